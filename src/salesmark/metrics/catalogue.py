"""The shared KPI catalogue: every KPI both teams compute, each one object, looked up by key.

A :class:`~salesmark.metrics.Kpi` holds its definition and its formula; a
:class:`Catalogue` holds KPIs by key; :func:`default_catalogue` is salesmark's, with one
conversion rate per step of a lifecycle's progression. ``catalogue[key].compute(facts)``
gives one KPI as a :class:`~salesmark.kpis.KpiValue` (a value, or "not computable" with
the reason: a zero denominator or a missing input never crashes and never reads as 0);
:func:`evaluate_catalogue` gives them all as a :class:`KpiReport`, from one collection
of :class:`~salesmark.metrics.KpiFacts`. Inputs the data cannot give (a revenue target,
gross margin, churn, sales cost) are :class:`~salesmark.metrics.KpiAssumptions`.

Import these names from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import pairwise
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _validators as v
from salesmark._collector import paused
from salesmark.errors import UnknownReference, ValidationError
from salesmark.kpis import KpiDefinition, KpiValue
from salesmark.lifecycle import Lifecycle
from salesmark.metrics._assumptions import KpiAssumptions
from salesmark.metrics._demand import (
    conversion_rate,
    engagement_rate,
    lead_velocity_rate,
    mql_to_sql_rate,
    mqls,
    new_leads,
)
from salesmark.metrics._economics import (
    cac_payback_months,
    cost_per_acquisition,
    cost_per_lead,
    customer_acquisition_cost,
    customer_lifetime_value,
    ltv_to_cac,
)
from salesmark.metrics._kpi import Kpi
from salesmark.metrics._romi import return_on_marketing_investment
from salesmark.metrics._sales import (
    average_deal_size,
    pipeline_coverage,
    pipeline_velocity,
    revenue,
    sales_cycle_length,
    speed_to_lead,
    win_rate,
)
from salesmark.metrics._sourcing import (
    marketing_influenced_pipeline,
    marketing_influenced_revenue,
    marketing_sourced_pipeline,
    marketing_sourced_revenue,
)
from salesmark.metrics.facts import KpiFacts
from salesmark.organisation import Organisation
from salesmark.period import Period

__all__ = ["Catalogue", "KpiReport", "default_catalogue", "evaluate_catalogue"]

_KPIS: Final[tuple[Kpi, ...]] = (
    new_leads,
    mqls,
    revenue,
    cost_per_lead,
    cost_per_acquisition,
    customer_acquisition_cost,
    mql_to_sql_rate,
    win_rate,
    average_deal_size,
    sales_cycle_length,
    pipeline_coverage,
    pipeline_velocity,
    lead_velocity_rate,
    customer_lifetime_value,
    ltv_to_cac,
    cac_payback_months,
    return_on_marketing_investment,
    speed_to_lead,
    engagement_rate,
    marketing_sourced_pipeline,
    marketing_influenced_pipeline,
    marketing_sourced_revenue,
    marketing_influenced_revenue,
)
"""The catalogue's KPIs that do not depend on the lifecycle, in display order."""


def _by_key(kpis: tuple[Kpi, ...]) -> Mapping[str, Kpi]:
    by_key: dict[str, Kpi] = {}
    for kpi in kpis:
        if kpi.key in by_key:
            msg = f"Catalogue.kpis must hold each key once, got {kpi.key!r} twice"
            raise ValidationError(msg)
        by_key[kpi.key] = kpi
    return by_key


@attrs.frozen(kw_only=True)
class Catalogue:
    """KPIs by key, in display order: what both teams agree to compute, and how.

    Attributes:
        kpis: The KPIs, each key once.

    Raises:
        ValidationError: If an item is not a :class:`Kpi` or a key repeats.

    Example:
        >>> from salesmark import DEMAND_WATERFALL
        >>> catalogue = default_catalogue(DEMAND_WATERFALL)
        >>> catalogue["win_rate"].definition.formula
        'deals won / (deals won + opportunities lost), closed in the period'
        >>> "win_rate" in catalogue, len(catalogue), catalogue.keys[:3]
        (True, 28, ('new_leads', 'mqls', 'revenue'))
        >>> Catalogue(kpis=[catalogue["mqls"], catalogue["win_rate"]])
        Catalogue(mqls, win_rate)
    """

    kpis: tuple[Kpi, ...] = attrs.field(converter=v.tuple_field, validator=v.items_of(Kpi))
    _index: Mapping[str, Kpi] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", _by_key(self.kpis))

    def __repr__(self) -> str:
        return f"Catalogue({', '.join(self.keys)})"

    def __getitem__(self, key: str) -> Kpi:
        kpi = self._index.get(key)
        if kpi is None:
            known = ", ".join(self.keys)
            msg = f"the KPI catalogue has no KPI {key!r}; known KPIs: {known}"
            raise UnknownReference(msg)
        return kpi

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[Kpi]:
        return iter(self.kpis)

    def __len__(self) -> int:
        return len(self.kpis)

    @property
    def keys(self) -> tuple[str, ...]:
        """The KPI keys, in order.

        Example:
            >>> from salesmark import DEMAND_WATERFALL
            >>> default_catalogue(DEMAND_WATERFALL).keys[-1]
            'opportunity_to_won_rate'
        """
        return tuple(k.key for k in self.kpis)

    @property
    def definitions(self) -> tuple[KpiDefinition, ...]:
        """The KPI definitions, in order (e.g. for ``Organisation(kpis=...)``).

        Example:
            >>> from salesmark import DEMAND_WATERFALL
            >>> default_catalogue(DEMAND_WATERFALL).definitions[0].name
            'New leads'
        """
        return tuple(k.definition for k in self.kpis)


def default_catalogue(lifecycle: Lifecycle) -> Catalogue:
    """The catalogue salesmark ships: its shared KPIs, plus a conversion rate per step of ``lifecycle``.

    A step whose rate has the key of a shared KPI (``mql_to_sql_rate``, for a lifecycle
    going straight from ``mql`` to ``sql``) is that KPI, listed once.

    Args:
        lifecycle: The lifecycle whose progression names the conversion rates, e.g.
            ``org.lifecycle``.

    Raises:
        WrongType: If ``lifecycle`` is not a Lifecycle.

    Example:
        >>> from salesmark import DEMAND_WATERFALL
        >>> default_catalogue(DEMAND_WATERFALL).keys[:3]
        ('new_leads', 'mqls', 'revenue')
        >>> [k for k in default_catalogue(DEMAND_WATERFALL).keys if k.endswith("_rate")][:2]
        ['mql_to_sql_rate', 'win_rate']
    """
    v.require(lifecycle, Lifecycle, "default_catalogue lifecycle")
    shared = {k.key for k in _KPIS}
    rates = (conversion_rate(a, b) for a, b in pairwise(lifecycle.progression))
    return Catalogue(kpis=(*_KPIS, *(r for r in rates if r.key not in shared)))


@attrs.frozen(kw_only=True)
class KpiReport:
    """Every KPI of a catalogue for one period.

    Attributes:
        period: The period.
        values: One :class:`KpiValue` per KPI, in catalogue order.

    Example:
        >>> report = evaluate_catalogue(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        >>> report["new_leads"], report.as_dict()["mqls"]
        (KpiValue(new_leads=0), KpiValue(mqls=0))
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    values: tuple[KpiValue, ...] = attrs.field(
        converter=v.tuple_field, validator=v.items_of(KpiValue)
    )

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
        """The values by KPI key.

        Example:
            >>> list(evaluate_catalogue(Organisation(name="A", currency="EUR"),
            ...                         Period.quarter(2026, 1)).as_dict())[:2]
            ['new_leads', 'mqls']
        """
        return {x.key: x for x in self.values}

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain row per KPI (see :meth:`KpiValue.to_records`), for ``pandas.DataFrame``.

        Example:
            >>> rows = evaluate_catalogue(Organisation(name="A", currency="EUR"),
            ...                           Period.quarter(2026, 1)).to_records()
            >>> rows[2]["kpi"], rows[2]["value"], rows[2]["currency"]
            ('revenue', 0.0, 'EUR')
        """
        return [record for x in self.values for record in x.to_records(exact=exact)]

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _facts_of(period: Period, facts: object, caller: str) -> KpiFacts:
    given = v.require(facts, KpiFacts, f"{caller} facts")
    if given.period != period:
        msg = f"{caller} facts must be KpiFacts collected for {period!r}, got {given!r}"
        raise ValidationError(msg)
    return given


def evaluate_catalogue(
    org: Organisation,
    period: Period,
    *,
    assumptions: KpiAssumptions | None = None,
    facts: KpiFacts | None = None,
    catalogue: Catalogue | None = None,
) -> KpiReport:
    """Compute every KPI of ``catalogue`` for ``period``, from one collection of facts.

    Each value is ``catalogue[key].compute(facts, assumptions)``. The cyclic garbage
    collector is paused while the facts and KPIs are computed, and restored after (as
    in :meth:`KpiFacts.collect`).

    Args:
        org: The organisation.
        period: The period.
        assumptions: The inputs the data cannot give (default: ``KpiAssumptions()``).
        facts: The period's facts if already collected (else they are collected).
        catalogue: The KPIs to compute (default: ``default_catalogue(org.lifecycle)``).

    Raises:
        ValidationError: If ``facts`` were collected for another period, or an argument
            is of the wrong type.

    Example:
        >>> report = evaluate_catalogue(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        >>> report["new_leads"]
        KpiValue(new_leads=0)
    """
    v.require(org, Organisation, "evaluate_catalogue org")
    with paused():
        if facts is None:
            f = KpiFacts.collect(org, period)
        else:
            f = _facts_of(period, facts, "evaluate_catalogue")
        given = v.require_optional(assumptions, KpiAssumptions, "evaluate_catalogue assumptions")
        kpis = default_catalogue(org.lifecycle) if catalogue is None else catalogue
        v.require(kpis, Catalogue, "evaluate_catalogue catalogue")
        return KpiReport(period=period, values=tuple(k.compute(f, given) for k in kpis))
