"""The sales KPIs: revenue, win rate, deal size, cycle, pipeline and speed to lead (private).

Each KPI is defined once, its definition and formula together; the catalogue
(:func:`~salesmark.metrics.default_catalogue`) lists them. A KPI built from other KPIs
(pipeline velocity) uses their values as the catalogue reports them. Import from
:mod:`salesmark.metrics`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from salesmark.errors import CurrencyMismatch
from salesmark.kpis import Direction, KpiUnit
from salesmark.metrics._assumptions import KpiAssumptions
from salesmark.metrics._kpi import (
    BOTH,
    SALES,
    Computed,
    NotComputable,
    Outcome,
    define,
    exact_hours,
)
from salesmark.metrics.facts import KpiFacts
from salesmark.money import Money

__all__ = [
    "average_deal_size",
    "pipeline_coverage",
    "pipeline_velocity",
    "revenue",
    "sales_cycle_length",
    "same_currency",
    "speed_to_lead",
    "win_rate",
]

_HIGHER, _LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER
_RATIO: Final = Decimal("0.0001")
_HUNDREDTH: Final = Decimal("0.01")


def same_currency(money: Money | None, currency: str, field: str) -> None:
    """Refuse an assumption in money of another currency than the facts'.

    Example:
        >>> same_currency(Money.of(1, "USD"), "EUR", "sales_cost")
        Traceback (most recent call last):
        ...
        salesmark.errors.CurrencyMismatch: KpiAssumptions.sales_cost is Money('1 USD'), not in the organisation's currency EUR
    """
    if money is not None and money.currency != currency:
        msg = f"KpiAssumptions.{field} is {money!r}, not in the organisation's currency {currency}"
        raise CurrencyMismatch(msg)


@define(
    key="revenue",
    name="Revenue won",
    unit=KpiUnit.MONEY,
    direction=_HIGHER,
    owners=BOTH,
    formula="sum of the values of deals won in the period",
)
def revenue(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """The sum of the values of the deals won in the period (always computable)."""
    return Computed(
        value=f.revenue.amount,
        context={
            "deals_won": Decimal(f.won_deals),
            "deals_without_value": Decimal(f.won_deals - f.won_with_value),
        },
    )


@define(
    key="win_rate",
    name="Win rate",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=SALES,
    formula="deals won / (deals won + opportunities lost), closed in the period",
)
def win_rate(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Deals won / (deals won + opportunities lost), both closed in the period."""
    closed = f.won_deals + f.lost_deals
    if closed == 0:
        return NotComputable(reason="no opportunity was closed in the period")
    return Computed(
        value=Decimal(f.won_deals) / closed,
        context={"won": Decimal(f.won_deals), "lost": Decimal(f.lost_deals)},
    )


@define(
    key="average_deal_size",
    name="Average deal size",
    unit=KpiUnit.MONEY,
    direction=_HIGHER,
    owners=SALES,
    formula="revenue won / deals won with a value",
)
def average_deal_size(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Revenue won / deals won with a value; deals without a value are counted aside."""
    missing = Decimal(f.won_deals - f.won_with_value)
    if f.won_with_value == 0:
        return NotComputable(
            reason="no deal with a value was won in the period",
            context={"deals_without_value": missing},
        )
    return Computed(
        value=f.revenue.amount / f.won_with_value,
        context={"deals": Decimal(f.won_with_value), "deals_without_value": missing},
    )


@define(
    key="sales_cycle_length",
    name="Sales cycle length",
    unit=KpiUnit.DURATION,
    direction=_LOWER,
    owners=SALES,
    formula="mean hours from opportunity to won, deals won in the period",
)
def sales_cycle_length(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Mean hours from entering opportunity to won, deals won in the period (median aside).

    A deal that never passed the opportunity stage counts from the lead's creation.
    """
    mean, median = f.sales_cycle.mean(), f.sales_cycle.median()
    if mean is None or median is None:
        return NotComputable(reason="no deal was won in the period")
    return Computed(
        value=exact_hours(mean),
        context={
            "median_hours": exact_hours(median).quantize(_HUNDREDTH),
            "deals": Decimal(f.sales_cycle.count),
        },
    )


@define(
    key="pipeline_coverage",
    name="Pipeline coverage",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=SALES,
    formula="open pipeline at period end / revenue target (required: 1 / win rate)",
)
def pipeline_coverage(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Open pipeline at the period's end / revenue target, next to the coverage required.

    The required coverage is ``1 / win rate`` (``None`` when no deal was won): a team
    that wins one deal in four needs 4x coverage, not the rule-of-thumb 3x.
    """
    same_currency(a.revenue_target, f.currency, "revenue_target")
    closed = f.won_deals + f.lost_deals
    required = None if not f.won_deals else (Decimal(closed) / f.won_deals).quantize(_RATIO)
    context: dict[str, Decimal | None] = {
        "open_pipeline": f.open_pipeline.amount,
        "win_rate": win_rate.compute(f, a).value,
        "required_coverage": required,
    }
    target = a.revenue_target
    if target is None:
        reason = "no revenue target given (KpiAssumptions.revenue_target)"
        return NotComputable(reason=reason, context=context)
    if target.is_zero():
        return NotComputable(reason="the revenue target is 0", context=context)
    context["revenue_target"] = target.amount
    return Computed(value=f.open_pipeline.amount / target.amount, context=context)


@define(
    key="pipeline_velocity",
    name="Pipeline velocity",
    unit=KpiUnit.MONEY,
    direction=_HIGHER,
    owners=SALES,
    formula="open opportunities * average deal size * win rate / sales cycle days (money per day)",
)
def pipeline_velocity(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Open opportunities * average deal size * win rate / sales cycle days: money per day.

    Open opportunities are those in the opportunity stage at the period's end; the
    other three inputs are the period's KPIs as reported.
    """
    rate, size, cycle = (k.compute(f, a) for k in (win_rate, average_deal_size, sales_cycle_length))
    context: dict[str, Decimal | None] = {
        "open_opportunities": Decimal(f.open_opportunities),
        "average_deal_size": size.value,
        "win_rate": rate.value,
        "sales_cycle_hours": cycle.value,
    }
    for name, part in (("win rate", rate), ("average deal size", size), ("sales cycle", cycle)):
        if part.value is None:
            return NotComputable(reason=f"{name}: {part.reason}", context=context)
    assert rate.value is not None
    assert size.value is not None
    assert cycle.value is not None
    if cycle.value == 0:
        return NotComputable(reason="the sales cycle is 0 hours", context=context)
    days = cycle.value / 24
    return Computed(value=f.open_opportunities * size.value * rate.value / days, context=context)


@define(
    key="speed_to_lead",
    name="Speed to lead",
    unit=KpiUnit.DURATION,
    direction=_LOWER,
    owners=SALES,
    formula="median hours from MQL to first sales touch, MQLs of the period",
)
def speed_to_lead(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Median hours from a lead's MQL entry to its first sales touch after it.

    Over the leads that became MQL in the period; those never followed up are left out
    and counted in the context (``never_followed_up``).
    """
    median, p90 = f.speed_to_lead.median(), f.speed_to_lead.percentile("0.9")
    context: dict[str, Decimal | None] = {
        "followed_up": Decimal(f.speed_to_lead.count),
        "never_followed_up": Decimal(f.mqls_never_followed_up),
    }
    if median is None or p90 is None:
        reason = "no MQL of the period was followed up by sales"
        return NotComputable(reason=reason, context=context)
    context["p90_hours"] = exact_hours(p90).quantize(_HUNDREDTH)
    return Computed(value=exact_hours(median), context=context)
