"""The sales KPIs: revenue, win rate, deal size, cycle, pipeline and speed to lead (private).

Each KPI is defined once, its definition and formula together; the catalogue
(:func:`~salesmark.metrics.default_catalogue`) lists them. A KPI built from other KPIs
(pipeline velocity, the coverage required) computes from their exact values, never
from the rounded ones they display. Import from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Final

from salesmark.durations import Durations
from salesmark.errors import CurrencyMismatch
from salesmark.kpis import Direction, KpiUnit
from salesmark.metrics._assumptions import Aggregate, CycleStart, KpiAssumptions
from salesmark.metrics._exact import HALF, NINE_TENTHS, hours, mean_us, quantile_us
from salesmark.metrics._kpi import (
    BOTH,
    SALES,
    Computed,
    Figure,
    NotComputable,
    Outcome,
    define,
    figure,
)
from salesmark.metrics.facts import KpiFacts
from salesmark.money import Money, minor_unit
from salesmark.sla import Clock

__all__ = [
    "average_deal_size",
    "cycle_hours",
    "pipeline_coverage",
    "pipeline_velocity",
    "revenue",
    "sales_cycle_length",
    "same_currency",
    "speed_to_lead",
    "win_rate",
]

_HIGHER, _LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER
_DAY_HOURS: Final = 24
_MINUTE_US: Final = 60_000_000


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
    won, valued = f.leads("won_deals"), set(f.leads("won_with_value"))
    return Computed(
        value=f.revenue.amount,
        context={
            "deals_won": f.won_deals,
            "deals_without_value": f.won_deals - f.won_with_value,
        },
        leads={
            "deals_won": won,
            "deals_without_value": tuple(i for i in won if i not in valued),
        },
    )


def _closed(f: KpiFacts) -> dict[str, tuple[str, ...]]:
    return {"won": f.leads("won_deals"), "lost": f.leads("lost_deals")}


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
        value=Fraction(f.won_deals, closed),
        context={"won": f.won_deals, "lost": f.lost_deals},
        leads=_closed(f),
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
    missing = f.won_deals - f.won_with_value
    valued = f.leads("won_with_value")
    with_value = set(valued)
    without = tuple(i for i in f.leads("won_deals") if i not in with_value)
    leads = {"deals": valued, "deals_without_value": without}
    if f.won_with_value == 0:
        return NotComputable(
            reason="no deal with a value was won in the period",
            context={"deals_without_value": missing},
            leads=leads,
        )
    return Computed(
        value=Fraction(f.revenue.amount) / f.won_with_value,
        context={"deals": f.won_with_value, "deals_without_value": missing},
        leads=leads,
    )


def _cycles(f: KpiFacts, a: KpiAssumptions) -> Durations:
    if a.cycle_start is CycleStart.LEAD_CREATED:
        return f.sales_cycle_from_creation
    return f.sales_cycle


def cycle_hours(durations: Durations, aggregate: Aggregate) -> Fraction | None:
    """The mean or the median of ``durations`` in hours, exactly; ``None`` when there are none.

    Example:
        >>> from datetime import timedelta
        >>> cycles = Durations.of([timedelta(hours=h) for h in (1, 2, 6)])
        >>> cycle_hours(cycles, Aggregate.MEAN), cycle_hours(cycles, Aggregate.MEDIAN)
        (Fraction(3, 1), Fraction(2, 1))
    """
    us = mean_us(durations) if aggregate is Aggregate.MEAN else quantile_us(durations, HALF)
    return None if us is None else hours(us)


@define(
    key="sales_cycle_length",
    name="Sales cycle length",
    unit=KpiUnit.DURATION,
    direction=_LOWER,
    owners=SALES,
    formula=(
        "mean (or median) hours from opportunity (or lead creation) to won, deals won in the period"
    ),
)
def sales_cycle_length(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Hours to win, deals won in the period: aggregated by ``cycle_aggregate``, from ``cycle_start``.

    By default the mean time from entering opportunity to won (a deal that never passed
    the opportunity stage counts from the lead's creation); the median and the mean are
    both in the context. ``KpiAssumptions.cycle_start`` counts from the lead's creation
    instead, ``cycle_aggregate`` takes the median.
    """
    cycles = _cycles(f, a)
    mean, median = cycle_hours(cycles, Aggregate.MEAN), cycle_hours(cycles, Aggregate.MEDIAN)
    if mean is None or median is None:
        return NotComputable(reason="no deal was won in the period")
    return Computed(
        value=mean if a.cycle_aggregate is Aggregate.MEAN else median,
        context={
            "median_hours": figure(median, 2),
            "mean_hours": figure(mean, 2),
            "deals": cycles.count,
        },
        leads={"deals": f.leads("won_deals")},
    )


def _required(f: KpiFacts) -> Fraction | None:
    """The coverage a team needs, 1 / win rate, exactly; ``None`` when nothing was won."""
    if not f.won_deals:
        return None
    return Fraction(f.won_deals + f.lost_deals, f.won_deals)


@define(
    key="pipeline_coverage",
    name="Pipeline coverage",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=SALES,
    formula="pipeline open at the period's end / the period's quota (required: 1 / win rate)",
)
def pipeline_coverage(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Pipeline open as of the period's end / the period's quota, next to the coverage required.

    Open means in the opportunity stage as of ``period.end``, whenever the opportunity
    was opened. The quota is ``KpiAssumptions.revenue_target``: without one, coverage is
    not computable. The required coverage is ``1 / win rate`` (``None`` when no deal was
    won), from the exact win rate: a team that wins one deal in four needs 4x coverage,
    not the rule-of-thumb 3x.
    """
    same_currency(a.revenue_target, f.currency, "revenue_target")
    rate = win_rate.outcome(f, a)
    context: dict[str, Figure] = {
        "open_pipeline": f.open_pipeline.amount,
        "win_rate": figure(rate.value) if isinstance(rate, Computed) else None,
        "required_coverage": figure(_required(f)),
    }
    leads = {"open_opportunities": f.leads("open_opportunities"), **_closed(f)}
    target = a.revenue_target
    if target is None:
        reason = "no revenue target given (KpiAssumptions.revenue_target)"
        return NotComputable(reason=reason, context=context, leads=leads)
    if target.is_zero():
        return NotComputable(reason="the revenue target is 0", context=context, leads=leads)
    context["revenue_target"] = target.amount
    return Computed(
        value=Fraction(f.open_pipeline.amount) / Fraction(target.amount),
        context=context,
        leads=leads,
    )


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

    Open opportunities are those in the opportunity stage as of the period's end; the
    other three inputs are the period's exact values (never their rounded display). The
    cycle starts where ``KpiAssumptions.cycle_start`` says and is aggregated by
    ``velocity_cycle_aggregate`` (the mean by default).
    """
    rate, size = win_rate.outcome(f, a), average_deal_size.outcome(f, a)
    cycle = cycle_hours(_cycles(f, a), a.velocity_cycle_aggregate)
    places = minor_unit(f.currency)
    context = {
        "open_opportunities": f.open_opportunities,
        "average_deal_size": figure(size.value, places) if isinstance(size, Computed) else None,
        "win_rate": figure(rate.value) if isinstance(rate, Computed) else None,
        "sales_cycle_hours": figure(cycle, 2),
    }
    leads = {"open_opportunities": f.leads("open_opportunities"), **_closed(f)}
    for name, part in (("win rate", rate), ("average deal size", size)):
        if isinstance(part, NotComputable):
            return NotComputable(reason=f"{name}: {part.reason}", context=context, leads=leads)
    assert isinstance(rate, Computed)
    assert isinstance(size, Computed)
    if cycle is None:
        reason = "sales cycle: no deal was won in the period"
        return NotComputable(reason=reason, context=context, leads=leads)
    if cycle == 0:
        return NotComputable(reason="the sales cycle is 0 hours", context=context, leads=leads)
    days = cycle / _DAY_HOURS
    return Computed(
        value=f.open_opportunities * size.value * rate.value / days, context=context, leads=leads
    )


def _speed(f: KpiFacts, a: KpiAssumptions) -> Durations:
    if a.speed_to_lead_clock is Clock.WALL or a.calendar is None:
        return f.speed_to_lead
    calendar = a.calendar
    return Durations._trusted(
        Counter(calendar.working_time_between(at, touch) for _, at, touch in f.follow_ups)
    )


@define(
    key="speed_to_lead",
    name="Speed to lead",
    unit=KpiUnit.DURATION,
    direction=_LOWER,
    owners=SALES,
    formula="median hours from MQL to first sales activity, MQLs of the period",
)
def speed_to_lead(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Median hours from a lead's MQL entry to its first sales activity after it.

    Over the leads that became MQL in the period; only the organisation's sales
    activities count (a call, an email, a meeting, a demo by default: a LinkedIn
    connection request is a touch, not an activity). Those never followed up are left
    out and counted in the context (``never_followed_up``). On the wall clock by
    default, or in business hours of ``KpiAssumptions.calendar``
    (``speed_to_lead_clock=Clock.BUSINESS``). The value is in hours, like every
    duration KPI; the context gives the median in minutes too (``median_minutes``).
    """
    durations = _speed(f, a)
    median, p90 = quantile_us(durations, HALF), quantile_us(durations, NINE_TENTHS)
    context = {
        "followed_up": durations.count,
        "never_followed_up": f.mqls_never_followed_up,
    }
    leads = {
        "followed_up": f.leads("followed_up"),
        "never_followed_up": f.leads("mqls_never_followed_up"),
    }
    if median is None or p90 is None:
        reason = "no MQL of the period was followed up by sales"
        return NotComputable(reason=reason, context=context, leads=leads)
    shown = {"p90_hours": figure(hours(p90), 2), "median_minutes": figure(median / _MINUTE_US, 2)}
    return Computed(value=hours(median), context={**context, **shown}, leads=leads)
