"""The demo: ``python -m salesmark`` builds the synthetic organisation and reports on it.

This is the one module of salesmark that prints.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta

from salesmark import synthetic
from salesmark.agenda import build_agenda
from salesmark.alignment import alignment_index
from salesmark.attribution import (
    PathCounts,
    compare,
    journeys_from_leads,
    last_touch,
    linear,
    markov,
)
from salesmark.compliance import sla_compliance
from salesmark.errors import SalesmarkError
from salesmark.funnel import funnel_counts
from salesmark.metrics import scorecard_report
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.planning import backtest, forecast, reverse_waterfall
from salesmark.teams import Team

_AGENDA_BOX = timedelta(minutes=30)
_DRAWS = 500  # the demo's simulated draws per forecast: enough for its intervals, quick
_GROWTH = Decimal("1.2")  # the demo's plan: next quarter books a fifth more than this one


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m salesmark",
        description=(
            "Build a seeded synthetic company (both teams, personas, narratives, campaigns, "
            "content and leads with their journeys) and print a short report of what "
            "salesmark knows about it. Nothing is read or written."
        ),
    )
    parser.add_argument(
        "--seed", type=int, default=42, help="seed of the synthetic company (default: 42)"
    )
    parser.add_argument(
        "--leads",
        type=_at_least_one,
        default=5_000,
        help="how many leads to generate, at least 1 (default: 5000)",
    )
    parser.add_argument(
        "--year", type=int, default=2026, help="the year leads are created in (default: 2026)"
    )
    parser.add_argument(
        "--quarter",
        type=int,
        default=3,
        choices=(1, 2, 3, 4),
        help="the quarter of that year to report on (default: 3)",
    )
    return parser


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        msg = f"must be a whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if number < 1:
        msg = f"must be 1 or more, got {number}"
        raise argparse.ArgumentTypeError(msg)
    return number


def _pct(part: float, whole: float) -> str:
    return "n/a" if whole == 0 else f"{100 * part / whole:.1f}%"


def _section(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def _guarded(name: str, lines: Callable[[], list[str]]) -> list[str]:
    """A section's lines, or one line saying why it cannot be computed for this data."""
    try:
        return lines()
    except SalesmarkError as exc:
        return [f"  {name}: not computable: {exc}"]


def _who(org: Organisation) -> list[str]:
    sales, marketing = org.team(Team.SALES), org.team(Team.MARKETING)
    lines = [f"Teams: {len(sales)} in sales, {len(marketing)} in marketing"]
    validated = sum(p.is_validated for p in org.personas)
    lines.append(
        f"Personas: {len(org.personas)} ({validated} validated by both teams with sales evidence)"
    )
    agreed = [n for n in org.narratives if n.is_agreed]
    lines.append(f"Narratives: {len(org.narratives)} ({len(agreed)} agreed by both teams)")
    lines.extend(f"  - {n.statement}" for n in agreed)
    return lines


def _funnel(org: Organisation, quarter: Period) -> list[str]:
    lines = []
    for row in funnel_counts(org.leads, quarter, lifecycle=org.lifecycle).to_records():
        rate = row["cohort_rate_to_next"]
        onward = "" if rate is None else f"   {_pct(float(rate), 1)} move on"
        lines.append(f"  {row['stage']:<12}{row['cohort']:>8,}{onward}")
    return lines


def _scorecards(org: Organisation, quarter: Period) -> list[str]:
    lines = []
    for team in (Team.MARKETING, Team.SALES):
        if org.scorecard(team) is not None:
            lines.extend(scorecard_report(org, team, quarter).render().splitlines())
    return lines


def _sla(org: Organisation, quarter: Period) -> list[str]:
    sla = sla_compliance(org, quarter)
    return [
        f"  Marketing: {sla.marketing!r}",
        f"  Sales:     {sla.sales!r}",
        (
            f"  MQLs never followed up: {len(sla.never_followed_up):,}; "
            f"leads with no known source: {len(sla.unsourced):,}"
        ),
    ]


def _attribution(org: Organisation) -> list[str]:
    # Marketing's question: which of *its* efforts converted? Credit marketing touches only.
    paths = PathCounts.from_journeys(
        journeys_from_leads(org.leads, teams={Team.MARKETING}, lifecycle=org.lifecycle)
    )
    if not paths.total_conversions:
        return ["  attribution: not computable: no conversions"]
    models = (last_touch(paths), linear(paths), markov(paths))
    comparison = compare(*models)
    total = models[0].total_conversions or 1.0
    header = "".join(f"{label:>13}" for label in comparison.labels)
    lines = [f"  {'channel':<16}{header}"]
    ranked = sorted(comparison.credits.items(), key=lambda kv: -kv[1][-1])
    for channel, shares in ranked[:6]:
        cells = "".join(f"{_pct(share, total):>13}" for share in shares)
        lines.append(f"  {channel:<16}{cells}")
    return lines


def _agenda(org: Organisation, quarter: Period) -> list[str]:
    agenda = build_agenda(org, quarter, _AGENDA_BOX)
    lines = []
    for item in agenda.items:
        evidence = f" - {item.evidence[0]}" if item.evidence else ""
        lines.append(f"  {item.minutes:>2} min  [{item.owner.value}] {item.title}{evidence}")
    if agenda.deferred:
        lines.append(f"  deferred: {', '.join(item.title for item in agenda.deferred)}")
    return lines


_FOLLOW_UP = ("action:", "decision:")


def _two_meetings(org: Organisation, quarter: Period) -> list[str]:
    """The next two joint meetings: the first held, the second's agenda carrying its actions."""
    if org.cadence is None:
        return ["  no meeting cadence set"]
    first_at, second_at = org.cadence.next_occurrences(quarter.end, 2)
    past = attrs.evolve(org, meetings=tuple(m for m in org.meetings if m.at < first_at))
    first = synthetic.held_meeting(
        past, build_agenda(past, quarter, _AGENDA_BOX, at=first_at), id="next-1", at=first_at
    )
    held = (
        f"  {first_at.date()}: held by {len(first.attendees)} members of both teams; "
        f"{len(first.decisions)} decision(s), {len(first.actions)} action(s) agreed"
    )
    lines = [held]
    lines += [f"    decided: {d.description} (review {d.due.date()})" for d in first.decisions]
    lines += [f"    action {a.id}: {a.description} (due {a.due.date()})" for a in first.actions]
    if first.actions:
        closed = first.actions[0]
        first = first.complete_action(closed.id, at=first_at + timedelta(days=2))
        lines.append(f"    {closed.id} was closed two days later; the rest stayed open")
    after = attrs.evolve(past, meetings=(*past.meetings, first))
    second = build_agenda(after, quarter, _AGENDA_BOX, at=second_at)
    carried = [i for i in second.items if i.key.startswith(_FOLLOW_UP)]
    lines.append(
        f"  {second_at.date()}: the agenda opens with {len(carried)} follow-up item(s), "
        f"{sum(i.escalated for i in carried)} escalated:"
    )
    for item in carried:
        mark = (
            "<- from " + first.id if item.key.removeprefix("action:").startswith(first.id) else ""
        )
        lines.append(f"  {item.minutes:>2} min  [{item.owner.value}] {item.title} {mark}".rstrip())
    topics = [i.title for i in second.items if not i.key.startswith(_FOLLOW_UP)]
    lines.append(f"  then: {'; '.join(topics) or 'nothing else fits'}")
    return lines


def _forecast(org: Organisation, quarter: Period) -> list[str]:
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


def _backtest(org: Organisation, quarter: Period) -> list[str]:
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


def _waterfall(org: Organisation, quarter: Period) -> list[str]:
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


def report(org: Organisation, quarter: Period) -> list[str]:
    """The lines of the demo report for ``org`` over ``quarter``.

    A section the data cannot support (say, attribution without a single conversion)
    says so in one line instead of stopping the report.
    """
    lines = [f"salesmark demo: {org.name} ({len(org.leads):,} leads, currency {org.currency})"]
    lines.append(
        f"Reporting quarter: {quarter.start.date()} to {quarter.end.date()} (end exclusive)"
    )
    lines += _section("Who and what")
    lines += _guarded("who and what", lambda: _who(org))
    lines += _section("Funnel (leads created in the quarter, followed to wherever they got)")
    lines += _guarded("funnel", lambda: _funnel(org, quarter))
    lines += _section("Scorecards")
    lines += _guarded("scorecards", lambda: _scorecards(org, quarter))
    lines += _section("Service-level agreement")
    lines += _guarded("SLA", lambda: _sla(org, quarter))
    lines += _section("Which marketing channels get credit for won deals (share of deals)")
    lines += _guarded("attribution", lambda: _attribution(org))
    lines += _section(
        f"Agenda for the next joint meeting ({_AGENDA_BOX // timedelta(minutes=1)} minutes)"
    )
    lines += _guarded("agenda", lambda: _agenda(org, quarter))
    lines += _section("Two consecutive meetings: the second's agenda carries the first's actions")
    lines += _guarded("meetings", lambda: _two_meetings(org, quarter))
    lines += _section("Forecast of the quarter's bookings, from what was known at its start")
    lines += _guarded("forecast", lambda: _forecast(org, quarter))
    lines += _section("Backtest: each month forecast from its own start, against what happened")
    lines += _guarded("backtest", lambda: _backtest(org, quarter))
    lines += _section("Reverse waterfall: what the next quarter's target needs")
    lines += _guarded("reverse waterfall", lambda: _waterfall(org, quarter))
    lines += _section("Alignment index")
    lines += _guarded("alignment index", lambda: [f"  {alignment_index(org, quarter)!r}"])
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; returns the process exit code.

    Bad arguments (such as ``--leads 0``) end in argparse's usage error: a message on
    stderr and ``SystemExit`` with status 2.
    """
    args = _parser().parse_args(argv)
    org = synthetic.organisation(seed=args.seed, leads=args.leads, year=args.year)
    print("\n".join(report(org, Period.quarter(args.year, args.quarter))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
