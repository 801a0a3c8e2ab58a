"""The demo's planning sections: the forecast, its backtest and the reverse waterfall (private)."""

from __future__ import annotations

from decimal import Decimal

from dateutil.relativedelta import relativedelta

from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.planning import backtest, forecast, reverse_waterfall

__all__ = ["backtest_lines", "forecast_lines", "waterfall_lines"]

_DRAWS = 500  # the demo's simulated draws per forecast: enough for its intervals, quick
_GROWTH = Decimal("1.2")  # the demo's plan: next quarter books a fifth more than this one


def forecast_lines(org: Organisation, quarter: Period) -> list[str]:
    months = quarter.split(relativedelta(months=1))
    outlook = forecast(org, months, as_of=quarter.start, draws=_DRAWS)
    how = "exact" if outlook.draws is None else f"{outlook.draws} seeded draws"
    lines = [
        (
            f"  as of {quarter.start.date()}, {outlook.level * 100}% intervals ({how}); "
            f"{outlook.open_leads:,} open leads, {outlook.new_leads_per_day} new leads a day"
        )
    ]
    for p in (*outlook.periods, outlook.total):
        label = "quarter" if p is outlook.total else p.period.start.strftime("%b %Y")
        lines.append(
            f"  {label:<9} bookings {p.bookings_median.amount:>12,} "
            f"[{p.bookings_low.amount:,} to {p.bookings_high.amount:,}]  "
            f"wins {p.wins_median} [{p.wins_low} to {p.wins_high}]"
        )
    return lines


def backtest_lines(org: Organisation, quarter: Period) -> list[str]:
    months = quarter.split(relativedelta(months=1))
    check = backtest(org, months, draws=_DRAWS)
    lines = []
    for p in check.periods:
        mark = "inside" if p.covered else "OUTSIDE"
        lines.append(
            f"  {p.period.start.strftime('%b %Y'):<9} actual {p.actual_bookings.amount:>12,} "
            f"{mark} [{p.forecast.bookings_low.amount:,} to {p.forecast.bookings_high.amount:,}]"
        )
    cover = "n/a" if check.coverage is None else f"{float(check.coverage):.0%}"
    mape = "n/a" if check.mape is None else f"{float(check.mape):.1%}"
    lines.append(
        f"  MAPE {mape}; interval coverage {cover} against nominal {float(check.level):.0%} "
        "(a forecast is only as good as its backtest)"
    )
    return lines


def waterfall_lines(org: Organisation, quarter: Period) -> list[str]:
    won = org.lifecycle.progression[-1]
    booked = Money.total(
        (
            lead.value
            for lead in org.leads
            if lead.value is not None
            and (at := lead.entered(won)) is not None
            and quarter.contains(at)
        ),
        org.currency,
    )
    target = Money((booked.amount * _GROWTH).quantize(Decimal(1)), org.currency)
    plan = reverse_waterfall(org, target, quarter.next(), as_of=quarter.end)
    lines = [f"  target {target} for the next quarter (this one booked {booked}):"]
    lines += [
        f"  {s.stage:<12}{s.whole:>7,}  entering {s.window.start.date()} to {s.window.end.date()}"
        for s in plan.stages
    ]
    lines.append(f"  marketing budget at the measured cost per lead: {plan.budget}")
    first = plan.stages[0].stage
    step = next((s.stage for s in plan.stages[1:-1]), first)
    better = plan.what_if({step: "0.05"})
    lines.append(
        f"  what if {step} converts 5 points better: {better.stages[0].whole:,} {first} "
        f"instead of {plan.stages[0].whole:,}, budget {better.budget}"
    )
    return lines
