"""The shared KPI catalogue: one definition and one pure function per KPI.

Every function has the same shape, ``kpi(org, period, *, facts=None, assumptions=None)``,
and returns a :class:`~salesmark.kpis.KpiValue`: a value, or "not computable" with the
reason (a zero denominator or a missing input never crashes and never reads as 0).
The facts come from one pass over the leads (:class:`~salesmark.metrics.KpiFacts`);
pass ``facts=`` to share them between KPIs, as :func:`evaluate_catalogue` does.
Inputs the data cannot give (a revenue target, gross margin, churn, sales cost) are
:class:`KpiAssumptions`.

Import these names from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any, Final

import attrs

from salesmark import _validators as v
from salesmark.errors import CurrencyMismatch, UnknownReference, ValidationError
from salesmark.kpis import KpiDefinition, KpiUnit, KpiValue
from salesmark.lifecycle import DEMAND_WATERFALL, Lifecycle
from salesmark.metrics._definitions import (
    DEFAULT_ASSUMPTIONS,
    DEFAULT_CATALOGUE,
    DEFINITIONS,
    KpiAssumptions,
    LtvMethod,
    default_catalogue,
    rate_key,
)
from salesmark.metrics.facts import KpiFacts
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period

__all__ = [
    "DEFAULT_CATALOGUE",
    "KpiAssumptions",
    "KpiFunction",
    "KpiReport",
    "LtvMethod",
    "average_deal_size",
    "cac_payback_months",
    "conversion_rate",
    "cost_per_acquisition",
    "cost_per_lead",
    "customer_acquisition_cost",
    "default_catalogue",
    "engagement_rate",
    "evaluate_catalogue",
    "kpi_function",
    "lead_velocity_rate",
    "lifetime_value",
    "ltv_to_cac",
    "marketing_influenced_pipeline",
    "marketing_influenced_revenue",
    "marketing_sourced_pipeline",
    "marketing_sourced_revenue",
    "mql_to_sql_rate",
    "mqls",
    "new_leads",
    "pipeline_coverage",
    "pipeline_velocity",
    "return_on_marketing_investment",
    "revenue",
    "sales_cycle_length",
    "speed_to_lead",
    "win_rate",
]

_RATIO = Decimal("0.0001")
_HUNDREDTH = Decimal("0.01")
_HOUR_US = Decimal(3_600_000_000)
_ONE_US: Final = timedelta(microseconds=1)


KpiFunction = Callable[..., KpiValue]
"""A catalogue function: ``(org, period, *, facts=None, assumptions=None) -> KpiValue``."""


# -- helpers ------------------------------------------------------------------------------


def _facts(org: Organisation, period: Period, facts: KpiFacts | None) -> KpiFacts:
    if facts is None:
        return KpiFacts.collect(org, period)
    if not isinstance(facts, KpiFacts) or facts.period != period:
        msg = f"facts must be KpiFacts collected for {period!r}, got {facts!r}"
        raise ValidationError(msg)
    return facts


def _value(
    key: str,
    period: Period,
    value: Decimal,
    currency: str | None = None,
    /,
    **context: Decimal | None,
) -> KpiValue:
    d = DEFINITIONS.get(key)
    unit = KpiUnit.RATIO if d is None else d.unit
    if unit is KpiUnit.MONEY and currency is not None:
        value = Money(value, currency).rounded().amount
    elif unit is KpiUnit.RATIO:
        value = value.quantize(_RATIO)
    elif unit in (KpiUnit.DURATION, KpiUnit.MONTHS):
        value = value.quantize(_HUNDREDTH)
    return KpiValue(
        key=key, period=period, value=value, unit=unit, currency=currency, context=context
    )


def _missing(key: str, period: Period, reason: str, /, **context: Decimal | None) -> KpiValue:
    d = DEFINITIONS.get(key)
    unit = KpiUnit.RATIO if d is None else d.unit
    return KpiValue(
        key=key, period=period, value=None, unit=unit, reason=reason,
        context=context,
    )  # fmt: skip


def _assume(assumptions: KpiAssumptions | None) -> KpiAssumptions:
    if assumptions is None:
        return DEFAULT_ASSUMPTIONS
    if not isinstance(assumptions, KpiAssumptions):
        msg = f"assumptions must be KpiAssumptions, got {assumptions!r}"
        raise ValidationError(msg)
    return assumptions


def _same_currency(money: Money | None, currency: str, field: str) -> None:
    if money is not None and money.currency != currency:
        msg = f"KpiAssumptions.{field} is {money!r}, not in the organisation's currency {currency}"
        raise CurrencyMismatch(msg)


def _hours(us: int) -> Decimal:
    return Decimal(us) / _HOUR_US


# -- the catalogue ------------------------------------------------------------------------


def new_leads(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """New leads: the leads created in the period (always computable).

    Example:
        >>> from salesmark import Organisation
        >>> new_leads(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(new_leads=0)
    """
    f = _facts(org, period, facts)
    return _value("new_leads", period, Decimal(f.new_leads))


def mqls(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """MQLs: entries into the MQL stage in the period (a re-qualified lead counts again).

    Example:
        >>> from salesmark import Organisation
        >>> mqls(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(mqls=0)
    """
    f = _facts(org, period, facts)
    return _value("mqls", period, Decimal(f.mqls))


def revenue(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Revenue won: the sum of the values of the deals won in the period.

    Example:
        >>> from salesmark import Organisation
        >>> revenue(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(revenue=0.00 EUR)
    """
    f = _facts(org, period, facts)
    return _value(
        "revenue", period, f.revenue.amount, f.currency,
        deals_won=Decimal(f.won_deals), deals_without_value=Decimal(f.won_deals - f.won_with_value),
    )  # fmt: skip


def cost_per_lead(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Cost per lead = marketing spend / new leads.

    Marketing spend is the campaign budgets prorated to the period
    (:func:`~salesmark.campaigns.prorated_budget`); new leads are those created in it.
    Not computable when no lead was created.

    Example:
        >>> from salesmark import Organisation
        >>> cost_per_lead(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(cost_per_lead not computable: no lead was created in the period)
    """
    f = _facts(org, period, facts)
    spend = f.marketing_spend.amount
    if f.new_leads == 0:
        return _missing("cost_per_lead", period, "no lead was created in the period", spend=spend)
    return _value(
        "cost_per_lead", period, spend / f.new_leads, f.currency,
        spend=spend, new_leads=Decimal(f.new_leads),
    )  # fmt: skip


def cost_per_acquisition(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Cost per acquisition = marketing spend / deals won in the period.

    Not computable when no deal was won.

    Example:
        >>> from salesmark import Organisation
        >>> cost_per_acquisition(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(cost_per_acquisition not computable: no deal was won in the period)
    """
    f = _facts(org, period, facts)
    spend = f.marketing_spend.amount
    if f.won_deals == 0:
        return _missing(
            "cost_per_acquisition", period, "no deal was won in the period", spend=spend
        )
    return _value(
        "cost_per_acquisition", period, spend / f.won_deals, f.currency,
        spend=spend, deals_won=Decimal(f.won_deals),
    )  # fmt: skip


def customer_acquisition_cost(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """CAC = (marketing spend + sales cost) / new customers.

    New customers are accounts (or leads without an account) whose first won deal is in
    the period; sales cost is ``KpiAssumptions.sales_cost`` (0 when not given, which the
    context notes). Not computable when there is no new customer.

    Example:
        >>> from salesmark import Organisation
        >>> customer_acquisition_cost(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(customer_acquisition_cost not computable: no new customer in the period)
    """
    f = _facts(org, period, facts)
    a = _assume(assumptions)
    _same_currency(a.sales_cost, f.currency, "sales_cost")
    sales = Decimal(0) if a.sales_cost is None else a.sales_cost.amount
    cost = f.marketing_spend.amount + sales
    context: dict[str, Decimal | None] = {
        "marketing_spend": f.marketing_spend.amount,
        "sales_cost": None if a.sales_cost is None else sales,
        "new_customers": Decimal(f.new_customers),
    }
    if f.new_customers == 0:
        return _missing(
            "customer_acquisition_cost", period, "no new customer in the period", **context
        )
    return _value(
        "customer_acquisition_cost", period, cost / f.new_customers, f.currency, **context
    )


def conversion_rate(
    org: Organisation, period: Period, *, source: str, target: str,
    facts: KpiFacts | None = None, assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Conversion rate from ``source`` to ``target`` = cohort at ``target`` / cohort at ``source``.

    The cohort is the leads created in the period; a lead counts at every progression
    stage up to the furthest it reached (see :mod:`salesmark.funnel`).
    The key is ``"<source>_to_<target>_rate"``. Not computable when no cohort lead
    reached ``source``.

    Raises:
        ValidationError: If either stage is not in the funnel's progression.

    Example:
        >>> from salesmark import Organisation
        >>> conversion_rate(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1),
        ...                 source="mql", target="sal")
        KpiValue(mql_to_sal_rate not computable: no lead created in the period reached mql)
    """
    f = _facts(org, period, facts)
    key = rate_key(getattr(source, "value", source), getattr(target, "value", target))
    entered = f.funnel.count(source)
    converted = f.funnel.count(target)
    if entered == 0:
        return _missing(key, period, f"no lead created in the period reached {source}")
    return _value(
        key, period, Decimal(converted) / entered,
        entered=Decimal(entered), converted=Decimal(converted),
    )  # fmt: skip


def mql_to_sql_rate(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """MQL to SQL rate = cohort leads reaching SQL / cohort leads reaching MQL.

    Stages are the lifecycle's second and fourth progression stages (MQL and SQL in the
    demand waterfall). Not computable when no cohort lead became an MQL.

    Example:
        >>> from salesmark import Organisation
        >>> mql_to_sql_rate(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(mql_to_sql_rate not computable: no lead created in the period became an MQL)
    """
    f = _facts(org, period, facts)
    stages = f.funnel.stages
    mql_stage = stages[1]
    sql_stage = "sql" if "sql" in stages else stages[min(3, len(stages) - 1)]
    entered, converted = f.funnel.count(mql_stage), f.funnel.count(sql_stage)
    if entered == 0:
        return _missing("mql_to_sql_rate", period, "no lead created in the period became an MQL")
    return _value(
        "mql_to_sql_rate", period, Decimal(converted) / entered,
        mqls=Decimal(entered), sqls=Decimal(converted),
    )  # fmt: skip


def win_rate(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Win rate = deals won / (deals won + opportunities lost), both closed in the period.

    Not computable when no opportunity was closed.

    Example:
        >>> from salesmark import Organisation
        >>> win_rate(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(win_rate not computable: no opportunity was closed in the period)
    """
    f = _facts(org, period, facts)
    closed = f.won_deals + f.lost_deals
    if closed == 0:
        return _missing("win_rate", period, "no opportunity was closed in the period")
    return _value(
        "win_rate", period, Decimal(f.won_deals) / closed,
        won=Decimal(f.won_deals), lost=Decimal(f.lost_deals),
    )  # fmt: skip


def average_deal_size(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Average deal size = revenue won / deals won with a value, in the period.

    Won deals without a value are left out (the context counts them). Not computable
    when no won deal has a value.

    Example:
        >>> from salesmark import Organisation
        >>> average_deal_size(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(average_deal_size not computable: no deal with a value was won in the period)
    """
    f = _facts(org, period, facts)
    missing = Decimal(f.won_deals - f.won_with_value)
    if f.won_with_value == 0:
        return _missing(
            "average_deal_size", period, "no deal with a value was won in the period",
            deals_without_value=missing,
        )  # fmt: skip
    return _value(
        "average_deal_size", period, f.revenue.amount / f.won_with_value, f.currency,
        deals=Decimal(f.won_with_value), deals_without_value=missing,
    )  # fmt: skip


def sales_cycle_length(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Sales cycle length = mean hours from entering opportunity to won, deals won in the period.

    A deal that never passed the opportunity stage counts from the lead's creation.
    The context adds the median. Not computable when no deal was won.

    Example:
        >>> from salesmark import Organisation
        >>> sales_cycle_length(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(sales_cycle_length not computable: no deal was won in the period)
    """
    f = _facts(org, period, facts)
    mean, median = f.sales_cycle.mean(), f.sales_cycle.median()
    if mean is None or median is None:
        return _missing("sales_cycle_length", period, "no deal was won in the period")
    us = mean // _ONE_US
    return _value(
        "sales_cycle_length", period, _hours(us),
        median_hours=_hours(median // _ONE_US).quantize(_HUNDREDTH),
        deals=Decimal(f.sales_cycle.count),
    )  # fmt: skip


def pipeline_coverage(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Pipeline coverage = open pipeline at the period's end / revenue target.

    Reported next to the coverage actually required, ``1 / win rate`` (context
    ``required_coverage``; ``None`` when the win rate is not computable or 0):
    a team that wins one deal in four needs 4x coverage, not the rule-of-thumb 3x.
    Not computable without ``KpiAssumptions.revenue_target`` or when it is 0.

    Example:
        >>> from salesmark import Organisation
        >>> pipeline_coverage(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(pipeline_coverage not computable: no revenue target given (KpiAssumptions.revenue_target))
    """
    f = _facts(org, period, facts)
    a = _assume(assumptions)
    _same_currency(a.revenue_target, f.currency, "revenue_target")
    rate = win_rate(org, period, facts=f).value
    closed = f.won_deals + f.lost_deals
    required = None if not f.won_deals else (Decimal(closed) / f.won_deals).quantize(_RATIO)
    context: dict[str, Decimal | None] = {
        "open_pipeline": f.open_pipeline.amount,
        "win_rate": rate,
        "required_coverage": required,
    }
    target = a.revenue_target
    if target is None:
        reason = "no revenue target given (KpiAssumptions.revenue_target)"
        return _missing("pipeline_coverage", period, reason, **context)
    if target.is_zero():
        return _missing("pipeline_coverage", period, "the revenue target is 0", **context)
    context["revenue_target"] = target.amount
    return _value("pipeline_coverage", period, f.open_pipeline.amount / target.amount, **context)


def pipeline_velocity(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Pipeline velocity = open opportunities * average deal size * win rate / sales cycle days.

    Money per day the pipeline turns into revenue. Open opportunities are those in the
    opportunity stage at the period's end; the other three inputs are the period's KPIs.
    Not computable when any input is, or when the sales cycle is 0.

    Example:
        >>> from salesmark import Organisation
        >>> pipeline_velocity(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(pipeline_velocity not computable: win rate: no opportunity was closed in the period)
    """
    f = _facts(org, period, facts)
    rate = win_rate(org, period, facts=f)
    size = average_deal_size(org, period, facts=f)
    cycle = sales_cycle_length(org, period, facts=f)
    context: dict[str, Decimal | None] = {
        "open_opportunities": Decimal(f.open_opportunities),
        "average_deal_size": size.value,
        "win_rate": rate.value,
        "sales_cycle_hours": cycle.value,
    }
    for name, part in (("win rate", rate), ("average deal size", size), ("sales cycle", cycle)):
        if part.value is None:
            return _missing("pipeline_velocity", period, f"{name}: {part.reason}", **context)
    assert rate.value is not None
    assert size.value is not None
    assert cycle.value is not None
    if cycle.value == 0:
        return _missing("pipeline_velocity", period, "the sales cycle is 0 hours", **context)
    days = cycle.value / 24
    value = f.open_opportunities * size.value * rate.value / days
    return _value("pipeline_velocity", period, value, f.currency, **context)


def lead_velocity_rate(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Lead velocity rate = (MQLs this period - MQLs previous period) / MQLs previous period.

    MQLs are entries into the MQL stage; the previous period is ``period.previous()``.
    Not computable when the previous period had no MQL.

    Example:
        >>> from salesmark import Organisation
        >>> lead_velocity_rate(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(lead_velocity_rate not computable: the previous period had no MQL)
    """
    f = _facts(org, period, facts)
    context = {"mqls": Decimal(f.mqls), "previous_mqls": Decimal(f.previous_mqls)}
    if f.previous_mqls == 0:
        return _missing("lead_velocity_rate", period, "the previous period had no MQL", **context)
    value = Decimal(f.mqls - f.previous_mqls) / f.previous_mqls
    return _value("lead_velocity_rate", period, value, **context)


def _revenue_per_account(f: KpiFacts) -> Decimal | None:
    if f.won_accounts == 0 or f.won_with_value == 0:
        return None
    return f.revenue.amount / f.won_accounts


def lifetime_value(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Customer lifetime value, by the method in ``KpiAssumptions.ltv_method``.

    Cohort (default): ``sum over t of gross margin * R_t / (1 + d)^t / new customers``,
    where the new customers are the accounts whose first deal was won in the period,
    ``R_t`` the revenue they brought ``t`` periods (of the same length) later, and ``d``
    the discount rate per period. It is historical: recent cohorts have had less time.

    Simple: ``revenue per account * gross margin / churn rate``, with revenue per account
    = revenue won in the period / accounts that won. It breaks down as churn nears zero
    (the implied lifetime ``1 / churn`` grows without bound): churn 0 is not computable.

    Example:
        >>> from salesmark import Organisation
        >>> lifetime_value(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(customer_lifetime_value not computable: no new customer in the period)
    """
    f = _facts(org, period, facts)
    a = _assume(assumptions)
    key = "customer_lifetime_value"
    margin = a.gross_margin
    if a.ltv_method is LtvMethod.COHORT:
        context: dict[str, Decimal | None] = {
            "new_customers": Decimal(f.new_customers),
            "gross_margin": margin,
            "discount_rate": a.discount_rate,
        }
        if f.new_customers == 0:
            return _missing(key, period, "no new customer in the period", **context)
        base = Decimal(1) + a.discount_rate
        total = sum((margin * money.amount / base**t for t, money in f.cohort_revenue), Decimal(0))
        return _value(key, period, total / f.new_customers, f.currency, **context)
    per_account = _revenue_per_account(f)
    context = {
        "revenue_per_account": per_account,
        "gross_margin": margin,
        "churn_rate": a.churn_rate,
    }
    if per_account is None:
        return _missing(key, period, "no deal with a value was won in the period", **context)
    if a.churn_rate is None:
        return _missing(key, period, "no churn rate given (KpiAssumptions.churn_rate)", **context)
    if a.churn_rate == 0:
        reason = (
            "churn rate is 0: the simple formula diverges (lifetime 1 / churn is unbounded); "
            "use LtvMethod.COHORT"
        )
        return _missing(key, period, reason, **context)
    return _value(key, period, per_account * margin / a.churn_rate, f.currency, **context)


def ltv_to_cac(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """LTV to CAC = customer lifetime value / customer acquisition cost.

    Not computable when either is, or when CAC is 0.

    Example:
        >>> from salesmark import Organisation
        >>> ltv_to_cac(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(ltv_to_cac not computable: LTV: no new customer in the period)
    """
    f = _facts(org, period, facts)
    ltv = lifetime_value(org, period, facts=f, assumptions=assumptions)
    cac = customer_acquisition_cost(org, period, facts=f, assumptions=assumptions)
    context = {"ltv": ltv.value, "cac": cac.value}
    if ltv.value is None:
        return _missing("ltv_to_cac", period, f"LTV: {ltv.reason}", **context)
    if cac.value is None:
        return _missing("ltv_to_cac", period, f"CAC: {cac.reason}", **context)
    if cac.value == 0:
        return _missing("ltv_to_cac", period, "CAC is 0 (no acquisition cost recorded)", **context)
    return _value("ltv_to_cac", period, ltv.value / cac.value, **context)


def cac_payback_months(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """CAC payback in months = CAC / (revenue per account / contract months * gross margin).

    Revenue per account is the period's revenue won / accounts that won; a deal's revenue
    is spread over ``KpiAssumptions.contract_months`` (default 12).
    Not computable when CAC or revenue per account is, or the gross margin is 0.

    Example:
        >>> from salesmark import Organisation
        >>> cac_payback_months(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(cac_payback_months not computable: CAC: no new customer in the period)
    """
    f = _facts(org, period, facts)
    a = _assume(assumptions)
    cac = customer_acquisition_cost(org, period, facts=f, assumptions=a)
    per_account = _revenue_per_account(f)
    context = {
        "cac": cac.value,
        "revenue_per_account": per_account,
        "contract_months": Decimal(a.contract_months),
        "gross_margin": a.gross_margin,
    }
    if cac.value is None:
        return _missing("cac_payback_months", period, f"CAC: {cac.reason}", **context)
    if per_account is None or per_account == 0:
        reason = "no deal with a value was won in the period"
        return _missing("cac_payback_months", period, reason, **context)
    if a.gross_margin == 0:
        return _missing("cac_payback_months", period, "the gross margin is 0", **context)
    monthly = per_account / a.contract_months * a.gross_margin
    return _value("cac_payback_months", period, cac.value / monthly, **context)


def return_on_marketing_investment(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """ROMI = (marketing-sourced revenue * gross margin - marketing spend) / marketing spend.

    Marketing-sourced follows ``KpiAssumptions.sourced_by``. Not computable when there
    was no marketing spend in the period.

    Example:
        >>> from salesmark import Organisation
        >>> return_on_marketing_investment(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(return_on_marketing_investment not computable: no marketing spend in the period)
    """
    f = _facts(org, period, facts)
    a = _assume(assumptions)
    sourced = f.sourced_revenue[a.sourced_by].amount
    spend = f.marketing_spend.amount
    context = {"sourced_revenue": sourced, "spend": spend, "gross_margin": a.gross_margin}
    if spend == 0:
        reason = "no marketing spend in the period"
        return _missing("return_on_marketing_investment", period, reason, **context)
    value = (sourced * a.gross_margin - spend) / spend
    return _value("return_on_marketing_investment", period, value, **context)


def speed_to_lead(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Speed to lead = median hours from a lead's MQL entry to its first sales touch after it.

    Over the leads that became MQL in the period; those never followed up are left out
    and counted in the context (``never_followed_up``). Not computable when none of the
    period's MQLs was followed up.

    Example:
        >>> from salesmark import Organisation
        >>> speed_to_lead(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(speed_to_lead not computable: no MQL of the period was followed up by sales)
    """
    f = _facts(org, period, facts)
    median, p90 = f.speed_to_lead.median(), f.speed_to_lead.percentile("0.9")
    context: dict[str, Decimal | None] = {
        "followed_up": Decimal(f.speed_to_lead.count),
        "never_followed_up": Decimal(f.mqls_never_followed_up),
    }
    if median is None or p90 is None:
        reason = "no MQL of the period was followed up by sales"
        return _missing("speed_to_lead", period, reason, **context)
    context["p90_hours"] = _hours(p90 // _ONE_US).quantize(_HUNDREDTH)
    return _value("speed_to_lead", period, _hours(median // _ONE_US), **context)


def engagement_rate(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Engagement rate = new leads with an engagement touch after capture / new leads.

    An engagement touch is one of :data:`~salesmark.sourcing.ENGAGEMENT_KINDS` (form
    fill, content download, email click, webinar, event, chat) after the lead's
    creation and before the period's end. Not computable when no lead was created.

    Example:
        >>> from salesmark import Organisation
        >>> engagement_rate(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(engagement_rate not computable: no lead was created in the period)
    """
    f = _facts(org, period, facts)
    if f.new_leads == 0:
        return _missing("engagement_rate", period, "no lead was created in the period")
    return _value(
        "engagement_rate", period, Decimal(f.engaged_leads) / f.new_leads,
        engaged=Decimal(f.engaged_leads), new_leads=Decimal(f.new_leads),
    )  # fmt: skip


def _share(part: Money, whole: Money) -> Decimal | None:
    return None if whole.is_zero() else (part.amount / whole.amount).quantize(_RATIO)


def marketing_sourced_pipeline(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Marketing-sourced pipeline = value of opportunities opened in the period from marketing-sourced leads.

    "Marketing-sourced" follows ``KpiAssumptions.sourced_by`` (default: the first touch
    was marketing's); the context gives its ``share`` of all pipeline opened.

    Example:
        >>> from salesmark import Organisation
        >>> marketing_sourced_pipeline(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(marketing_sourced_pipeline=0.00 EUR)
    """
    f = _facts(org, period, facts)
    a = _assume(assumptions)
    part = f.sourced_pipeline[a.sourced_by]
    return _value(
        "marketing_sourced_pipeline", period, part.amount, f.currency,
        share=_share(part, f.pipeline_created), pipeline=f.pipeline_created.amount,
    )  # fmt: skip


def marketing_influenced_pipeline(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Marketing-influenced pipeline = value of opportunities opened in the period with a marketing touch before opening.

    Example:
        >>> from salesmark import Organisation
        >>> marketing_influenced_pipeline(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(marketing_influenced_pipeline=0.00 EUR)
    """
    f = _facts(org, period, facts)
    part = f.influenced_pipeline
    return _value(
        "marketing_influenced_pipeline", period, part.amount, f.currency,
        share=_share(part, f.pipeline_created), pipeline=f.pipeline_created.amount,
    )  # fmt: skip


def marketing_sourced_revenue(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Marketing-sourced revenue = value of deals won in the period from marketing-sourced leads.

    Example:
        >>> from salesmark import Organisation
        >>> marketing_sourced_revenue(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(marketing_sourced_revenue=0.00 EUR)
    """
    f = _facts(org, period, facts)
    a = _assume(assumptions)
    part = f.sourced_revenue[a.sourced_by]
    return _value(
        "marketing_sourced_revenue", period, part.amount, f.currency,
        share=_share(part, f.revenue), revenue=f.revenue.amount,
    )  # fmt: skip


def marketing_influenced_revenue(
    org: Organisation, period: Period, *, facts: KpiFacts | None = None,
    assumptions: KpiAssumptions | None = None,
) -> KpiValue:  # fmt: skip
    """Marketing-influenced revenue = value of deals won in the period with a marketing touch before the win.

    Example:
        >>> from salesmark import Organisation
        >>> marketing_influenced_revenue(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiValue(marketing_influenced_revenue=0.00 EUR)
    """
    f = _facts(org, period, facts)
    part = f.influenced_revenue
    return _value(
        "marketing_influenced_revenue", period, part.amount, f.currency,
        share=_share(part, f.revenue), revenue=f.revenue.amount,
    )  # fmt: skip


_FUNCTIONS: Final[dict[str, KpiFunction]] = {
    "new_leads": new_leads,
    "mqls": mqls,
    "revenue": revenue,
    "cost_per_lead": cost_per_lead,
    "cost_per_acquisition": cost_per_acquisition,
    "customer_acquisition_cost": customer_acquisition_cost,
    "mql_to_sql_rate": mql_to_sql_rate,
    "win_rate": win_rate,
    "average_deal_size": average_deal_size,
    "sales_cycle_length": sales_cycle_length,
    "pipeline_coverage": pipeline_coverage,
    "pipeline_velocity": pipeline_velocity,
    "lead_velocity_rate": lead_velocity_rate,
    "customer_lifetime_value": lifetime_value,
    "ltv_to_cac": ltv_to_cac,
    "cac_payback_months": cac_payback_months,
    "return_on_marketing_investment": return_on_marketing_investment,
    "speed_to_lead": speed_to_lead,
    "engagement_rate": engagement_rate,
    "marketing_sourced_pipeline": marketing_sourced_pipeline,
    "marketing_influenced_pipeline": marketing_influenced_pipeline,
    "marketing_sourced_revenue": marketing_sourced_revenue,
    "marketing_influenced_revenue": marketing_influenced_revenue,
}


def kpi_function(key: str, lifecycle: Lifecycle = DEMAND_WATERFALL) -> KpiFunction:
    """The catalogue function computing KPI ``key`` (stage rates follow ``lifecycle``).

    Raises:
        UnknownReference: If the catalogue has no KPI ``key``.

    Example:
        >>> kpi_function("win_rate") is win_rate
        True
    """
    if key in _FUNCTIONS:
        return _FUNCTIONS[key]
    stages = lifecycle.progression
    for a, b in pairwise(stages):
        if key == rate_key(a, b):

            def rate(
                org: Organisation, period: Period, *, facts: KpiFacts | None = None,
                assumptions: KpiAssumptions | None = None, _a: str = a, _b: str = b,
            ) -> KpiValue:  # fmt: skip
                return conversion_rate(org, period, source=_a, target=_b, facts=facts)

            return rate
    known = ", ".join(d.key for d in default_catalogue(lifecycle))
    msg = f"the KPI catalogue has no KPI {key!r}; known KPIs: {known}"
    raise UnknownReference(msg)


@attrs.frozen(kw_only=True)
class KpiReport:
    """Every catalogue KPI for one period.

    Attributes:
        period: The period.
        values: One :class:`KpiValue` per KPI, in catalogue order.
    """

    period: Period
    values: tuple[KpiValue, ...] = attrs.field(converter=v.to_tuple)

    def __repr__(self) -> str:
        missing = sum(1 for x in self.values if x.value is None)
        return f"KpiReport({self.period!r}: {len(self.values)} KPIs, {missing} not computable)"

    def __getitem__(self, key: str) -> KpiValue:
        for value in self.values:
            if value.key == key:
                return value
        msg = f"KpiReport has no KPI {key!r}"
        raise UnknownReference(msg)

    def as_dict(self) -> Mapping[str, KpiValue]:
        """The values by KPI key."""
        return {x.key: x for x in self.values}

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per KPI, for ``pandas.DataFrame``."""
        return [x.to_record() for x in self.values]


def evaluate_catalogue(
    org: Organisation,
    period: Period,
    *,
    assumptions: KpiAssumptions | None = None,
    facts: KpiFacts | None = None,
    catalogue: tuple[KpiDefinition, ...] | None = None,
) -> KpiReport:
    """Compute every KPI of ``catalogue`` (the default for the org's lifecycle) over one pass.

    Raises:
        UnknownReference: If a definition has no catalogue function.

    Example:
        >>> from salesmark import Organisation
        >>> report = evaluate_catalogue(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        >>> report["new_leads"]
        KpiValue(new_leads=0)
    """
    f = _facts(org, period, facts)
    definitions = default_catalogue(org.lifecycle) if catalogue is None else catalogue
    a = _assume(assumptions)
    return KpiReport(
        period=period,
        values=tuple(
            kpi_function(d.key, org.lifecycle)(org, period, facts=f, assumptions=a)
            for d in definitions
        ),
    )
