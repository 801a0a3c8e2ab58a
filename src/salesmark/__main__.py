"""The demo: ``python -m salesmark`` builds the synthetic organisation and reports on it.

This is the one module of salesmark that does I/O: it prints the report and, with
``--html FILE``, writes the same report as one self-contained HTML page, its charts
embedded as PNGs when matplotlib is installed (the ``plot`` extra). Without
``--html`` nothing but salesmark and its runtime dependencies is imported.
"""

from __future__ import annotations

import argparse
import base64
import functools
import html
import io
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from salesmark import plotting, synthetic
from salesmark._demo_planning import backtest_lines, forecast_lines, waterfall_lines
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
from salesmark.funnel import FunnelCounts, funnel_counts
from salesmark.kpis import KpiUnit
from salesmark.metrics import ScorecardReport, ScorecardRow, scorecard_report
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.teams import Team

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_AGENDA_BOX = timedelta(minutes=30)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m salesmark",
        description=(
            "Build a seeded synthetic company (both teams, personas, narratives, campaigns, "
            "content and leads with their journeys) and print a short report of what "
            "salesmark knows about it. Nothing is read; nothing is written but the "
            "--html page, if you ask for one."
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
    parser.add_argument(
        "--html",
        metavar="FILE",
        type=Path,
        help=(
            "also write the report to FILE as one self-contained HTML page, with its charts "
            "when matplotlib is installed (pip install 'salesmark[plot]')"
        ),
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


# -- figures with their units ---------------------------------------------------------


def _percent(ratio: Decimal | float | None) -> str:
    """A ratio (0.8354) as a percentage ("83.5%"), or "n/a"."""
    return "n/a" if ratio is None else f"{100 * float(ratio):.1f}%"


def _share(part: float, whole: float) -> str:
    return "n/a" if whole == 0 else _percent(part / whole)


def _duration(elapsed: timedelta) -> str:
    """Whole days as days, up to two days in hours, longer in days: "1 day", "6.8 hours"."""
    if elapsed and elapsed % _DAY == timedelta(0):
        days = elapsed // _DAY
        return f"{days} day{'s' if days != 1 else ''}"
    if elapsed < 2 * _DAY:
        return f"{elapsed / _HOUR:.1f} hours"
    return f"{elapsed / _DAY:.1f} days"


def _money(amount: Decimal, currency: str | None) -> str:
    return f"{amount:,.2f} {currency or ''}".rstrip()


def _kpi_figure(value: Decimal | None, row: ScorecardRow) -> str:
    """A KPI value in its unit: a count, a percentage, money, hours or days, months."""
    if value is None:
        return "n/a"
    if row.unit is KpiUnit.RATIO:
        return _percent(value)
    if row.unit is KpiUnit.MONEY:
        return _money(value, row.currency)
    if row.unit is KpiUnit.DURATION:  # KPI durations are in hours
        return _duration(timedelta(hours=float(value)))
    if row.unit is KpiUnit.MONTHS:
        return f"{value:.1f} months"
    return f"{value:,}"


# -- the report's parts ----------------------------------------------------------------

Draw = Callable[["Axes"], object]


@attrs.frozen(kw_only=True)
class Chart:
    """A chart of a section: its description (the HTML page's alt text) and how to draw it."""

    title: str
    draw: Draw


@attrs.frozen(kw_only=True)
class Section:
    """One section of the report: a title, its lines of text and the charts behind them."""

    title: str
    lines: tuple[str, ...]
    charts: tuple[Chart, ...] = ()


Body = list[str] | tuple[list[str], list[Chart]]


def _guarded(title: str, name: str, body: Callable[[], Body]) -> Section:
    """A section, or one line saying why it cannot be computed for this data."""
    try:
        made = body()
    except SalesmarkError as exc:
        return Section(title=title, lines=(f"  {name}: not computable: {exc}",))
    lines, charts = made if isinstance(made, tuple) else (made, [])
    return Section(title=title, lines=tuple(lines), charts=tuple(charts))


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


def _funnel(org: Organisation, quarter: Period) -> Body:
    funnel = funnel_counts(org.leads, quarter, lifecycle=org.lifecycle)
    lines = [f"  {'stage':<12}{'leads':>8}   reached the next stage"]
    for row in funnel.to_records():
        rate = row["cohort_rate_to_next"]
        onward = "" if rate is None else f"   {_percent(rate)}"
        lines.append(f"  {row['stage']:<12}{row['cohort']:>8,}{onward}")
    lines += _two_counts(funnel)
    chart = Chart(
        title="The funnel: leads by stage, cohort and activity",
        draw=lambda ax: plotting.funnel_chart(funnel, ax=ax),
    )
    return lines, [chart]


def _two_counts(funnel: FunnelCounts) -> list[str]:
    """Why the MQLs of the funnel and of the scorecards differ, said once."""
    if len(funnel.progression) < 2:
        return []
    mql = funnel.progression[1]  # the MQL stage, as the KPI catalogue counts it
    cohort, activity = funnel.counts("cohort")[mql], funnel.counts("activity")[mql]
    created = f"  Two counts of MQLs: {cohort:,} of the leads created in the quarter"
    happened = f"  {activity:,} times a lead became an MQL during the quarter"
    return [
        "",
        f"{created} became MQLs (the cohort, above), and",
        f"{happened}, whenever it was created (the activity: the scorecards and the SLA count these).",
    ]


def _scorecard_line(row: ScorecardRow) -> str:
    status = "no target" if row.status is None else row.status.value.replace("_", " ")
    goal = "none" if row.goal is None else _kpi_figure(row.goal, row)
    previous = (
        "no previous value"
        if row.previous is None
        else f"previous {_kpi_figure(row.previous, row)}, {row.trend.value}"
    )
    value = _kpi_figure(row.value, row) if row.value is not None else f"n/a ({row.reason})"
    return f"    {row.name:<28}{value:>18}   target {goal:<18}  {status:<11}{previous}"


def _scorecard_chart(report: ScorecardReport, ax: Axes) -> Axes:
    return plotting.scorecard_chart(report, ax=ax)


def _scorecards(org: Organisation, quarter: Period) -> Body:
    lines: list[str] = []
    charts: list[Chart] = []
    for team in (Team.MARKETING, Team.SALES):
        if org.scorecard(team) is None:
            continue
        report = scorecard_report(org, team, quarter)
        lines.append(f"  {team.value.capitalize()}")
        lines.extend(_scorecard_line(row) for row in report.rows)
        charts.append(
            Chart(
                title=f"{team.value.capitalize()} scorecard: each KPI as a share of its target",
                draw=functools.partial(_scorecard_chart, report),
            )
        )
    return lines, charts


def _kept(*, met: bool | None) -> str:
    return "not decided yet" if met is None else ("kept" if met else "missed")


def _sla(org: Organisation, quarter: Period) -> Body:
    sla = sla_compliance(org, quarter)
    mkt, sales = sla.marketing, sla.sales
    clock = "business hours" if sla.calendar is not None else "elapsed time"
    decided = mkt.accepted + mkt.rejected
    acceptance = (
        f"sales accepted {_percent(mkt.acceptance_rate)} of the {decided:,} MQLs it decided on"
    )
    minimum = f"a minimum of {_percent(mkt.min_acceptance_rate)}"
    breaches = f"{len(sales.breaches):,} breaches; deadlines in {clock}"
    follow_up = f"{_percent(sales.follow_up_rate)} of {sales.follow_ups_due:,} MQLs due"
    attempts = f"{_percent(sales.attempts_rate)} of {sales.given_up:,} MQLs given up"
    feedback = f"{_percent(sales.feedback_rate)} of {sales.feedback_due:,} MQLs due"
    volume = f"{mkt.delivered:,} delivered of {mkt.committed:,} promised"
    pending = f"{mkt.pending:,} not decided yet"
    unsourced = f"leads with no known source: {len(sla.unsourced):,}"
    lines = [
        f"  Marketing's promises: {_kept(met=mkt.met)}",
        f"    MQL volume: {volume} ({_kept(met=mkt.volume_met)})",
        f"    Acceptance: {acceptance}, against {minimum} ({_kept(met=mkt.acceptance_met)}); {pending}",
        f"  Sales' promises: {_kept(met=sales.met)} ({breaches})",
        f"    Follow-up within {_duration(sales.follow_up_within)}: {follow_up}",
        f"    At least {sales.min_attempts} attempts before giving up: {attempts}",
        f"    Feedback within {_duration(sales.feedback_within)}: {feedback}",
        f"  MQLs never followed up: {len(sla.never_followed_up):,}; {unsourced}",
    ]
    chart = Chart(
        title="SLA compliance by commitment", draw=lambda ax: plotting.sla_chart(sla, ax=ax)
    )
    return lines, [chart]


def _attribution(org: Organisation) -> Body:
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
    lines = [
        f"  {total:,.0f} won deals with a marketing touch; each model's share of them:",
        f"  {'channel':<16}{header}",
    ]
    ranked = sorted(comparison.credits.items(), key=lambda kv: -kv[1][-1])
    for channel, shares in ranked[:6]:
        cells = "".join(f"{_share(share, total):>13}" for share in shares)
        lines.append(f"  {channel:<16}{cells}")
    chart = Chart(
        title="Won deals credited to each marketing channel, by model",
        draw=lambda ax: plotting.attribution_chart(comparison, ax=ax),
    )
    return lines, [chart]


def _agenda(org: Organisation, quarter: Period) -> list[str]:
    agenda = build_agenda(org, quarter, _AGENDA_BOX)
    lines = []
    for item in agenda.items:
        evidence = f" - {item.evidence[0]}" if item.evidence else ""
        if item.key.startswith(
            "kpi:"
        ):  # its evidence has the bare figure; the scorecards have units
            evidence = " - figures with their units in the scorecards above"
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


def _alignment(org: Organisation, quarter: Period) -> Body:
    index = alignment_index(org, quarter)
    measured = sum(c.measurable for c in index.components)
    score = "not computable" if index.score is None else f"{index.score} out of 100"
    lines = [f"  {score}, from {measured} of {len(index.components)} practices measured:"]
    for part in index.components:
        shown = "not measurable" if part.value is None else _percent(part.value)
        evidence = "; ".join(part.evidence)
        lines.append(f"    {part.label:<52}{shown:>15}   {evidence}")
    return lines


def sections(org: Organisation, quarter: Period) -> list[Section]:
    """The sections of the demo report for ``org`` over ``quarter``, text and charts.

    A section the data cannot support (say, attribution without a single conversion)
    says so in one line instead of stopping the report. Charts are only described
    here; they are drawn (and matplotlib loaded) when the HTML page is written.
    """
    box = _AGENDA_BOX // timedelta(minutes=1)
    return [
        _guarded("Who and what", "who and what", lambda: _who(org)),
        _guarded(
            "Funnel (leads created in the quarter, followed to wherever they got)",
            "funnel",
            lambda: _funnel(org, quarter),
        ),
        _guarded(
            "Scorecards (headline KPIs against the quarter's targets)",
            "scorecards",
            lambda: _scorecards(org, quarter),
        ),
        _guarded("Service-level agreement", "SLA", lambda: _sla(org, quarter)),
        _guarded(
            "Which marketing channels get credit for won deals (share of deals)",
            "attribution",
            lambda: _attribution(org),
        ),
        _guarded(
            f"Agenda for the next joint meeting ({box} minutes)",
            "agenda",
            lambda: _agenda(org, quarter),
        ),
        _guarded(
            "Two consecutive meetings: the second's agenda carries the first's actions",
            "meetings",
            lambda: _two_meetings(org, quarter),
        ),
        _guarded(
            "Forecast of the quarter's bookings, from what was known at its start",
            "forecast",
            lambda: forecast_lines(org, quarter),
        ),
        _guarded(
            "Backtest: each month forecast from its own start, against what happened",
            "backtest",
            lambda: backtest_lines(org, quarter),
        ),
        _guarded(
            "Reverse waterfall: what the next quarter's target needs",
            "reverse waterfall",
            lambda: waterfall_lines(org, quarter),
        ),
        _guarded(
            "Alignment index (how well the two teams work together, 0 to 100)",
            "alignment index",
            lambda: _alignment(org, quarter),
        ),
    ]


def _heading(org: Organisation, quarter: Period) -> list[str]:
    return [
        f"salesmark demo: {org.name} ({len(org.leads):,} leads, currency {org.currency})",
        f"Reporting quarter: {quarter.start.date()} to {quarter.end.date()} (end exclusive)",
    ]


def report(org: Organisation, quarter: Period) -> list[str]:
    """The lines of the demo report for ``org`` over ``quarter`` (see :func:`sections`)."""
    lines = _heading(org, quarter)
    for part in sections(org, quarter):
        lines += ["", part.title, "-" * len(part.title), *part.lines]
    return lines


# -- the same report as one HTML page ---------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
       color: #212121; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
pre { background: #f5f5f5; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; }
figure { margin: 1rem 0; } img { max-width: 100%; height: auto; }
figcaption, .note { color: #616161; font-size: 0.9rem; }
"""

_NO_CHARTS = (
    "This page has no charts: they need matplotlib, which is not installed "
    "(pip install 'salesmark[plot]')."
)


def _png(chart: Chart, figure_class: Any) -> str:
    """The chart drawn off screen (no pyplot, no backend chosen) as base64 PNG."""
    figure = figure_class(figsize=(8, 4.5), layout="constrained")
    chart.draw(figure.subplots())
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=96)
    return base64.b64encode(png.getvalue()).decode("ascii")


def _figure_class() -> Any:
    """The Figure class of matplotlib, or None when matplotlib is not installed."""
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 (the plot extra, only for --html)
    except ImportError:
        return None
    return Figure


def _html_section(part: Section, figure_class: Any) -> list[str]:
    out = [f"<h2>{html.escape(part.title)}</h2>"]
    out.append("<pre>" + html.escape("\n".join(part.lines)) + "</pre>")
    if figure_class is not None:
        for chart in part.charts:
            title = html.escape(chart.title)
            out.append(
                f'<figure><img alt="{title}" src="data:image/png;base64,'
                f'{_png(chart, figure_class)}"><figcaption>{title}</figcaption></figure>'
            )
    return out


def html_report(org: Organisation, quarter: Period) -> str:
    """The demo report as one self-contained HTML page: the same text, with its charts.

    Each section's lines are shown as they print, followed by its charts as PNG
    images embedded in the page (``data:`` URLs), so the file needs nothing beside
    it. Without matplotlib the page has no charts and says so at the top.
    """
    heading = _heading(org, quarter)
    figure_class = _figure_class()
    body = [f"<h1>{html.escape(heading[0])}</h1>", f"<p>{html.escape(heading[1])}</p>"]
    if figure_class is None:
        body.append(f'<p class="note">{html.escape(_NO_CHARTS)}</p>')
    for part in sections(org, quarter):
        body += _html_section(part, figure_class)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            '<head><meta charset="utf-8">',
            f"<title>{html.escape(heading[0])}</title>",
            f"<style>{_STYLE}</style></head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; returns the process exit code.

    Bad arguments (such as ``--leads 0``) end in argparse's usage error: a message on
    stderr and ``SystemExit`` with status 2. A ``--html`` file that cannot be written
    is reported on stderr with exit code 1, after the printed report.
    """
    args = _parser().parse_args(argv)
    org = synthetic.organisation(seed=args.seed, leads=args.leads, year=args.year)
    quarter = Period.quarter(args.year, args.quarter)
    print("\n".join(report(org, quarter)))
    if args.html is not None:
        try:
            args.html.write_text(html_report(org, quarter), encoding="utf-8")
        except OSError as exc:
            print(f"python -m salesmark: cannot write {args.html}: {exc}", file=sys.stderr)
            return 1
        print(f"\nThe report with its charts is in {args.html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
