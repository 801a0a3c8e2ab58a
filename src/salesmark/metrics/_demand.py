"""The demand KPIs: lead volume, engagement and the funnel's conversion rates (private).

Each KPI is defined once, its definition and formula together; the catalogue
(:func:`~salesmark.metrics.default_catalogue`) lists them. Import from
:mod:`salesmark.metrics`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

from salesmark import _validators as v
from salesmark.kpis import Direction, KpiDefinition, KpiUnit
from salesmark.metrics._assumptions import KpiAssumptions, StageCount
from salesmark.metrics._kpi import BOTH, MARKETING, Computed, Kpi, NotComputable, Outcome, define
from salesmark.metrics.facts import KpiFacts

__all__ = [
    "conversion_rate",
    "engagement_rate",
    "lead_velocity_rate",
    "mql_to_sql_rate",
    "mqls",
    "new_leads",
    "rate_key",
]

_HIGHER = Direction.HIGHER_IS_BETTER


@define(
    key="new_leads",
    name="New leads",
    unit=KpiUnit.COUNT,
    direction=_HIGHER,
    owners=MARKETING,
    formula="leads created in the period",
)
def new_leads(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """The leads created in the period (always computable)."""
    return Computed(value=f.new_leads, leads={"new_leads": f.leads("new_leads")})


@define(
    key="mqls",
    name="MQLs",
    unit=KpiUnit.COUNT,
    direction=_HIGHER,
    owners=BOTH,
    formula="entries into MQL in the period",
)
def mqls(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Entries into the MQL stage in the period (a re-qualified lead counts again)."""
    return Computed(value=f.mqls, leads={"mqls": f.leads("mqls")})


@define(
    key="mql_to_sql_rate",
    name="MQL to SQL rate",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=BOTH,
    formula="cohort leads reaching SQL / cohort leads reaching MQL",
)
def mql_to_sql_rate(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Cohort leads at SQL / cohort leads at MQL, counted as ``KpiAssumptions.mql_to_sql_count`` says.

    The stages are the progression's second and ``"sql"`` (else its fourth, or its last
    when shorter). ``REACHED`` (default): the funnel's cohort counts, where a lead
    counts at every stage up to the furthest it reached. ``ENTERED``: only the leads
    whose history entered MQL, and of those the ones that also entered SQL. Not
    computable when no cohort lead became an MQL.
    """
    stages = f.funnel.progression
    mql, sql = stages[1], "sql" if "sql" in stages else stages[min(3, len(stages) - 1)]
    if a.mql_to_sql_count is StageCount.ENTERED:
        denominator = f.leads(f"cohort_entered.{mql}")
        entered_sql = set(f.leads(f"cohort_entered.{sql}"))
        numerator = tuple(i for i in denominator if i in entered_sql)
        if not denominator:
            return NotComputable(reason="no lead created in the period entered MQL")
        entered, converted = len(denominator), len(numerator)
    else:
        denominator, numerator = f.leads(f"cohort.{mql}"), f.leads(f"cohort.{sql}")
        entered, converted = f.funnel.count(mql), f.funnel.count(sql)
        if entered == 0:
            return NotComputable(reason="no lead created in the period became an MQL")
    return Computed(
        value=Fraction(converted, entered),
        context={"mqls": entered, "sqls": converted},
        leads={"mqls": denominator, "sqls": numerator},
    )


@define(
    key="lead_velocity_rate",
    name="Lead velocity rate",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=MARKETING,
    formula="(MQLs this period - MQLs previous period) / MQLs previous period",
)
def lead_velocity_rate(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """(MQLs this period - MQLs previous period) / MQLs previous period.

    The previous period is ``period.previous()``. Not computable when it had no MQL.
    """
    context = {"mqls": Decimal(f.mqls), "previous_mqls": Decimal(f.previous_mqls)}
    leads = {name: f.leads(name) for name in ("mqls", "previous_mqls")}
    if f.previous_mqls == 0:
        reason = "the previous period had no MQL"
        return NotComputable(reason=reason, context=context, leads=leads)
    return Computed(
        value=Fraction(f.mqls - f.previous_mqls, f.previous_mqls), context=context, leads=leads
    )


@define(
    key="engagement_rate",
    name="Engagement rate",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=MARKETING,
    formula="new leads with an engagement touch after capture / new leads",
)
def engagement_rate(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """New leads with an engagement touch after capture / new leads.

    An engagement touch is one of :data:`~salesmark.sourcing.ENGAGEMENT_KINDS` after
    the lead's creation and before the period's end. Not computable when no lead was
    created.
    """
    if f.new_leads == 0:
        return NotComputable(reason="no lead was created in the period")
    return Computed(
        value=Fraction(f.engaged_leads, f.new_leads),
        context={"engaged": Decimal(f.engaged_leads), "new_leads": Decimal(f.new_leads)},
        leads={"engaged": f.leads("engaged_leads"), "new_leads": f.leads("new_leads")},
    )


def rate_key(source: str, target: str) -> str:
    """The key of the conversion rate from ``source`` to ``target``.

    Example:
        >>> rate_key("mql", "sal")
        'mql_to_sal_rate'
    """
    return f"{source}_to_{target}_rate"


def conversion_rate(source: str, target: str) -> Kpi:
    """The KPI "conversion rate from ``source`` to ``target``": cohort at ``target`` / cohort at ``source``.

    The cohort is the leads created in the period; a lead counts at every progression
    stage up to the furthest it reached (see :mod:`salesmark.funnel`). The key is
    ``"<source>_to_<target>_rate"``. The default catalogue holds one such KPI per step
    of the lifecycle's progression. Computing it is not possible when no cohort lead
    reached ``source``, and an error when either stage is not in the facts' funnel.

    Args:
        source: The stage converted from.
        target: The stage converted to.

    Raises:
        WrongType: If ``source`` or ``target`` is not a stage name (or a Stage).

    Example:
        >>> from salesmark import Organisation, Period
        >>> facts = KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        >>> conversion_rate("mql", "sal").compute(facts)
        KpiValue(mql_to_sal_rate not computable: no lead created in the period reached mql)
        >>> conversion_rate("mql", "banana").compute(facts)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: FunnelCounts has no stage 'banana'; stages are ('inquiry', 'mql', 'sal', 'sql', 'opportunity', 'won', 'lost', 'rejected', 'recycled', 'disqualified')
    """
    a, b = getattr(source, "value", source), getattr(target, "value", target)
    v.require(a, str, "conversion_rate source")
    v.require(b, str, "conversion_rate target")
    definition = KpiDefinition(
        key=rate_key(a, b),
        name=f"{a.upper()} to {b.upper()} rate",
        unit=KpiUnit.RATIO,
        direction=_HIGHER,
        owners=BOTH,
        formula=f"cohort leads reaching {b} / cohort leads reaching {a}",
    )
    return Kpi(definition=definition, formula=_StageRate(source=a, target=b))


@attrs.frozen(kw_only=True)
class _StageRate:
    """The formula of a conversion rate (a value, so equal stages give equal KPIs)."""

    source: str
    target: str

    def __call__(self, f: KpiFacts, a: KpiAssumptions) -> Outcome:
        entered, converted = f.funnel.count(self.source), f.funnel.count(self.target)
        if entered == 0:
            return NotComputable(reason=f"no lead created in the period reached {self.source}")
        return Computed(
            value=Fraction(converted, entered),
            context={"entered": Decimal(entered), "converted": Decimal(converted)},
            leads={
                "entered": f.leads(f"cohort.{self.source}"),
                "converted": f.leads(f"cohort.{self.target}"),
            },
        )
