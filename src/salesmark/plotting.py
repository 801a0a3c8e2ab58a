"""Charts of salesmark results, drawn with matplotlib (the ``plot`` extra).

Computation never plots: every function here takes a result object that the
analytics already computed, draws it on ``ax`` (a new figure's axes when none is
given) and returns the :class:`matplotlib.axes.Axes`, to adjust or save as you like.
matplotlib is imported inside each function, never at import, and no backend is
chosen here: importing :mod:`salesmark.plotting` costs nothing without the extra.

Charts: :func:`funnel_chart` (cohort and activity views), :func:`attribution_chart`
(credit by channel across models), :func:`removal_effects_chart` and
:func:`transition_heatmap` (Markov attribution), :func:`scorecard_chart` (KPIs against
targets), :func:`sla_chart` (SLA compliance by commitment), :func:`time_in_stage_chart`
and :func:`lead_quality_chart` (acceptance intervals by source).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal

from salesmark import _validators as v
from salesmark.attribution import AttributionResult, Comparison, MarkovChain, compare
from salesmark.compliance import SlaCompliance
from salesmark.errors import MissingExtra, ValidationError
from salesmark.funnel import FunnelCounts, View
from salesmark.kpis import TargetStatus
from salesmark.metrics import ScorecardReport
from salesmark.scoring import LeadQualityReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "attribution_chart",
    "funnel_chart",
    "lead_quality_chart",
    "removal_effects_chart",
    "scorecard_chart",
    "sla_chart",
    "time_in_stage_chart",
    "transition_heatmap",
]

_GOOD: Final = "#2e7d32"
_WARN: Final = "#ef6c00"
_BAD: Final = "#c62828"
_NONE: Final = "#9e9e9e"
_VIEWS: Final = {"cohort": ("cohort",), "activity": ("activity",), "both": ("cohort", "activity")}
_STATUS_COLOURS: Final = {
    TargetStatus.ON_TRACK: _GOOD,
    TargetStatus.AT_RISK: _WARN,
    TargetStatus.OFF_TRACK: _BAD,
}
_CLIP: Final = 200.0  # scorecard bars stop at 200% of target; the label gives the real figure


def _axes(ax: Axes | None, what: str) -> Axes:
    """``ax``, or the axes of a new figure; matplotlib is loaded here, on first use."""
    try:
        from matplotlib import pyplot  # noqa: PLC0415 (the plot extra loads only when drawing)
        from matplotlib.axes import Axes  # noqa: PLC0415
    except ImportError:
        msg = f"{what} needs matplotlib; install salesmark[plot] (pip install 'salesmark[plot]')"
        raise MissingExtra(msg) from None
    if ax is None:
        return pyplot.subplots()[1]
    return v.require(ax, Axes, f"{what} ax")


def _view(view: str, choices: Sequence[str], what: str) -> str:
    if view not in choices:
        msg = f"{what} view must be one of {list(choices)}, got {view!r}"
        raise ValidationError(msg)
    return view


def funnel_chart(
    counts: FunnelCounts,
    *,
    view: Literal["cohort", "activity", "both"] = "both",
    ax: Axes | None = None,
) -> Axes:
    """The funnel as horizontal bars per stage, first stage on top, each labelled with its count.

    Args:
        counts: A funnel from :func:`salesmark.funnel_counts`.
        view: ``"cohort"`` (leads created in the period, by the furthest stage
            reached), ``"activity"`` (stage entries in the period) or ``"both"``
            side by side.
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes: one bar per stage and view.

    Raises:
        WrongType: If ``counts`` is not a FunnelCounts or ``ax`` not an Axes.
        ValidationError: If ``view`` is unknown.
        MissingExtra: If matplotlib is not installed.

    Example:
        >>> from salesmark.funnel import FunnelCounts
        >>> from matplotlib.figure import Figure
        >>> counts = FunnelCounts.empty(("inquiry", "mql"))
        >>> ax = funnel_chart(counts, view="cohort", ax=Figure().subplots())
        >>> len(ax.patches), ax.get_title()
        (2, 'Funnel (cohort)')
    """
    v.require(counts, FunnelCounts, "funnel_chart counts")
    views = _VIEWS[_view(view, tuple(_VIEWS), "funnel_chart")]
    ax = _axes(ax, "funnel_chart")
    height = 0.8 / len(views)
    path = counts.progression  # the funnel is the progression; side stages are not steps
    positions = range(len(path))
    for offset, name in enumerate(views):
        values = (counts.cohort if name == "cohort" else counts.activity)[: len(path)]
        ys = [y - 0.4 + height * (offset + 0.5) for y in positions]
        bars = ax.barh(ys, values, height=height, label=name)
        ax.bar_label(bars, padding=2)
    ax.set_yticks(list(positions), list(path))
    ax.invert_yaxis()
    ax.set_xlabel("stage entries" if views == ("activity",) else "leads")
    ax.set_title(f"Funnel ({' and '.join(views)})")
    if len(views) > 1:
        ax.legend()
    return ax


def attribution_chart(
    results: Comparison | Sequence[AttributionResult], *, ax: Axes | None = None
) -> Axes:
    """Conversions credited to each channel by each model, as grouped bars.

    Args:
        results: A :class:`~salesmark.attribution.Comparison`, or results to line up
            with :func:`salesmark.attribution.compare`.
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes: one bar per channel and model, a legend naming the models.

    Raises:
        WrongType: If ``results`` is neither a Comparison nor a sequence of results.
        ValidationError: As :func:`~salesmark.attribution.compare` does, or if
            matplotlib is not installed.

    Example:
        >>> from matplotlib.figure import Figure
        >>> from salesmark.attribution import PathCounts, first_touch, last_touch
        >>> counts = PathCounts.from_tuples([(("search", "email"), 3, 1, None)])
        >>> ax = attribution_chart([first_touch(counts), last_touch(counts)], ax=Figure().subplots())
        >>> len(ax.patches), [t.get_text() for t in ax.get_legend().get_texts()]
        (4, ['first_touch', 'last_touch'])
    """
    if not isinstance(results, Comparison):
        results = compare(
            *v.argument_items(results, "attribution_chart results", AttributionResult)
        )
    ax = _axes(ax, "attribution_chart")
    channels = list(results.credits)
    width = 0.8 / max(len(results.labels), 1)
    for index, label in enumerate(results.labels):
        xs = [x - 0.4 + width * (index + 0.5) for x in range(len(channels))]
        ax.bar(xs, [results.credits[c][index] for c in channels], width=width, label=label)
    ax.set_xticks(range(len(channels)), channels, rotation=30, ha="right")
    ax.set_ylabel("conversions credited")
    ax.set_title("Attribution by model")
    ax.legend()
    return ax


def removal_effects_chart(
    result: AttributionResult | MarkovChain, *, ax: Axes | None = None
) -> Axes:
    """Each channel's Markov removal effect, largest first, as bars labelled in percent.

    Args:
        result: A Markov :class:`~salesmark.attribution.AttributionResult` or a fitted
            :class:`~salesmark.attribution.MarkovChain`.
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes: one bar per channel.

    Raises:
        WrongType: If ``result`` is neither.
        ValidationError: If it has no removal effects (only Markov results do), or
            matplotlib is not installed.

    Example:
        >>> from salesmark.attribution import PathCounts, linear
        >>> removal_effects_chart(linear(PathCounts.from_tuples([(("a",), 1, 0, None)])))
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: removal_effects_chart result 'linear' has no removal effects; only Markov results have them
    """
    v.require(result, (AttributionResult, MarkovChain), "removal_effects_chart result")  # type: ignore[arg-type]
    effects = result.removal_effects
    if not effects:
        name = result.model if isinstance(result, AttributionResult) else "chain"
        msg = f"removal_effects_chart result {name!r} has no removal effects; only Markov results have them"
        raise ValidationError(msg)
    ax = _axes(ax, "removal_effects_chart")
    ranked = sorted(effects.items(), key=lambda kv: (-kv[1], kv[0]))
    bars = ax.bar([k for k, _ in ranked], [e for _, e in ranked], color=_GOOD)
    ax.bar_label(bars, labels=[f"{e:.0%}" for _, e in ranked], padding=2)
    ax.set_ylabel("removal effect (share of conversions lost)")
    ax.set_title("Markov removal effects")
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def transition_heatmap(chain: MarkovChain, *, ax: Axes | None = None) -> Axes:
    """The Markov chain's transition probabilities as a heatmap (rows: from, columns: to).

    Rows are ``(start)`` then every channel state; columns every channel state, then
    ``(conversion)`` and ``(null)``. Cells show the probability when the chain has at
    most 12 states.

    Args:
        chain: A :class:`~salesmark.attribution.MarkovChain` (``MarkovChain.fit(paths)``).
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes, holding one image of shape (from states, to states).

    Raises:
        WrongType: If ``chain`` is not a MarkovChain.
        MissingExtra: If matplotlib is not installed.

    Example:
        >>> from matplotlib.figure import Figure
        >>> from salesmark.attribution import MarkovChain, PathCounts
        >>> chain = MarkovChain.fit(PathCounts.from_tuples([(("a", "b"), 1, 1, None)]))
        >>> ax = transition_heatmap(chain, ax=Figure().subplots())
        >>> ax.images[0].get_array().shape
        (3, 4)
    """
    v.require(chain, MarkovChain, "transition_heatmap chain")
    ax = _axes(ax, "transition_heatmap")
    probabilities = chain.transition_probabilities
    ends = ("(conversion)", "(null)")
    states = sorted({s for pair in probabilities for s in pair} - {"(start)", *ends})
    sources, targets = ["(start)", *states], [*states, *ends]
    grid = [[probabilities.get((a, b), 0.0) for b in targets] for a in sources]
    image = ax.imshow(grid, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label="transition probability")
    ax.set_xticks(range(len(targets)), targets, rotation=45, ha="right")
    ax.set_yticks(range(len(sources)), sources)
    if len(states) <= 12:
        for row, values in enumerate(grid):
            for column, p in enumerate(values):
                if p:
                    colour = "white" if p > 0.5 else "black"
                    ax.text(column, row, f"{p:.2f}", ha="center", va="center", color=colour)
    ax.set_xlabel("to")
    ax.set_ylabel("from")
    ax.set_title(f"Markov transitions (order {chain.order})")
    return ax


def scorecard_chart(report: ScorecardReport, *, ax: Axes | None = None) -> Axes:
    """A team's KPIs as a share of their targets, coloured by status, with the 100% line.

    A KPI with no value or no (non-zero) target has no bar; its label says why.
    Bars stop at 200%; each is labelled with its real share. Whether more is better
    is the status's business: green on track, amber at risk, red off track.

    Args:
        report: A :class:`~salesmark.metrics.ScorecardReport`.
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes: one bar per KPI with a value and a target.

    Raises:
        WrongType: If ``report`` is not a ScorecardReport.
        MissingExtra: If matplotlib is not installed.

    Example:
        >>> from matplotlib.figure import Figure
        >>> from salesmark import Period, Team
        >>> from salesmark.metrics import ScorecardReport
        >>> empty = ScorecardReport(team=Team.SALES, period=Period.quarter(2026, 1), rows=())
        >>> scorecard_chart(empty, ax=Figure().subplots()).get_title()
        'sales scorecard, 2026-01-01 to 2026-04-01'
    """
    v.require(report, ScorecardReport, "scorecard_chart report")
    ax = _axes(ax, "scorecard_chart")
    names: list[str] = []
    for y, row in enumerate(report.rows):
        if row.value is None or not row.goal:
            names.append(f"{row.name} ({'no value' if row.value is None else 'no target'})")
            continue
        share = float(row.value / row.goal * 100)
        colour = _NONE if row.status is None else _STATUS_COLOURS[row.status]
        bars = ax.barh([y], [min(share, _CLIP)], color=colour)
        ax.bar_label(bars, labels=[f"{share:.0f}%"], padding=2)
        names.append(row.name)
    ax.axvline(100, color="black", linewidth=1, linestyle="--")
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, _CLIP * 1.15)
    ax.set_xlabel("% of target")
    period = f"{report.period.start.date()} to {report.period.end.date()}"
    ax.set_title(f"{report.team.value} scorecard, {period}")
    return ax


def _commitments(report: SlaCompliance) -> list[tuple[str, Decimal, Decimal]]:
    """(commitment, achieved, target) for each SLA commitment that can be judged."""
    market, sales = report.marketing, report.sales
    rows: list[tuple[str, Decimal | None, Decimal]] = [
        (
            "MQLs delivered",
            Decimal(market.delivered) / market.committed if market.committed else None,
            Decimal(1),
        ),
        ("MQLs accepted", market.acceptance_rate, market.min_acceptance_rate),
        ("followed up in time", sales.follow_up_rate, Decimal(1)),
        (f"{sales.min_attempts}+ attempts before giving up", sales.attempts_rate, Decimal(1)),
        ("feedback in time", sales.feedback_rate, Decimal(1)),
    ]
    return [(name, value, goal) for name, value, goal in rows if value is not None]


def sla_chart(report: SlaCompliance, *, ax: Axes | None = None) -> Axes:
    """The SLA's commitments, achieved against promised, one bar each with its target mark.

    Commitments: MQL volume (delivered over owed), acceptance (against the SLA's
    minimum), follow-up in time, enough attempts before giving up, and feedback in time
    (each against 100%). A commitment with nothing due yet has no bar.
    Green bars met their target, red ones did not.

    Args:
        report: A :class:`~salesmark.compliance.SlaCompliance` (``sla_compliance(org, period)``).
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes: one bar and one target mark (a point) per commitment judged.

    Raises:
        WrongType: If ``report`` is not an SlaCompliance.
        MissingExtra: If matplotlib is not installed.

    Example:
        >>> from matplotlib.figure import Figure
        >>> from salesmark import Period, sla_compliance
        >>> from salesmark.synthetic import organisation
        >>> report = sla_compliance(organisation(seed=1, leads=300), Period.quarter(2026, 1))
        >>> ax = sla_chart(report, ax=Figure().subplots())
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['MQLs delivered', 'MQLs accepted', 'followed up in time', '3+ attempts before giving up', 'feedback in time']
    """
    v.require(report, SlaCompliance, "sla_chart report")
    ax = _axes(ax, "sla_chart")
    rows = _commitments(report)
    ys = list(range(len(rows)))
    achieved = [float(value * 100) for _, value, _ in rows]
    colours = [_GOOD if value >= goal else _BAD for _, value, goal in rows]
    bars = ax.barh(ys, achieved, color=colours)
    ax.bar_label(bars, labels=[f"{a:.0f}%" for a in achieved], padding=2)
    ax.scatter(
        [float(goal * 100) for *_, goal in rows],
        ys,
        marker="|",
        s=400,
        color="black",
        label="target",
        zorder=3,
    )
    ax.set_yticks(ys, [name for name, *_ in rows])
    ax.invert_yaxis()
    ax.set_xlabel("% achieved")
    clock = "business hours" if report.calendar is not None else "elapsed time"
    ax.set_title(f"SLA {report.sla.id}: compliance by commitment ({clock})")
    ax.legend(loc="lower right")
    return ax


def time_in_stage_chart(
    counts: FunnelCounts, *, view: View = "cohort", ax: Axes | None = None
) -> Axes:
    """Median time in each stage as bars, the 90th percentile as a point, in hours or days.

    Only finished stays count (a stay ends at the next stage change); stages without
    one have no bar, and each bar is labelled with the number of stays. Days are used
    when some 90th percentile passes three days.

    Args:
        counts: A funnel from :func:`salesmark.funnel_counts`.
        view: ``"cohort"`` (the cohort's stays) or ``"activity"`` (stays that ended in
            the period).
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes: one bar and one point per stage with finished stays.

    Raises:
        WrongType: If ``counts`` is not a FunnelCounts.
        ValidationError: If ``view`` is unknown.
        MissingExtra: If matplotlib is not installed.

    Example:
        >>> from matplotlib.figure import Figure
        >>> from salesmark.funnel import FunnelCounts
        >>> ax = time_in_stage_chart(FunnelCounts.empty(("mql",)), ax=Figure().subplots())
        >>> len(ax.patches), ax.get_ylabel()
        (0, 'time in stage (hours)')
    """
    v.require(counts, FunnelCounts, "time_in_stage_chart counts")
    _view(view, ("cohort", "activity"), "time_in_stage_chart")
    ax = _axes(ax, "time_in_stage_chart")
    times = [t for t in counts.time_in_stage(view) if t.median is not None and t.p90 is not None]
    days = any(t.p90.total_seconds() > 3 * 86_400 for t in times if t.p90 is not None)
    unit, seconds = ("days", 86_400.0) if days else ("hours", 3_600.0)
    stages = [t.stage for t in times]
    medians = [t.median.total_seconds() / seconds for t in times if t.median is not None]
    p90s = [t.p90.total_seconds() / seconds for t in times if t.p90 is not None]
    bars = ax.bar(stages, medians, label="median", color=_GOOD)
    ax.bar_label(bars, labels=[f"n={t.count}" for t in times], padding=2)
    ax.scatter(stages, p90s, color="black", marker="D", label="90th percentile", zorder=3)
    ax.set_ylabel(f"time in stage ({unit})")
    ax.set_title(f"Time in stage ({view}, finished stays)")
    ax.legend()
    return ax


def lead_quality_chart(report: LeadQualityReport, *, ax: Axes | None = None) -> Axes:
    """Each group's smoothed acceptance rate with its credible interval; raw rates as crosses.

    Groups run worst first from the top, as the report sorts them; the dashed line is
    the prior's mean, the rate a group with no MQLs would be given.

    Args:
        report: A :class:`~salesmark.scoring.LeadQualityReport` (``scoring.lead_quality(...)``).
        ax: The axes to draw on; a new figure's when ``None``.

    Returns:
        The axes: one point with an interval per group, one cross per group with MQLs.

    Raises:
        WrongType: If ``report`` is not a LeadQualityReport.
        MissingExtra: If matplotlib is not installed.

    Example:
        >>> from matplotlib.figure import Figure
        >>> from salesmark.scoring import LeadQualityReport
        >>> empty = LeadQualityReport(by="channel", prior_alpha=9.0, prior_beta=1.0, level=0.9, groups=())
        >>> lead_quality_chart(empty, ax=Figure().subplots()).get_xlabel()
        'MQLs accepted by sales (90% credible interval)'
    """
    v.require(report, LeadQualityReport, "lead_quality_chart report")
    ax = _axes(ax, "lead_quality_chart")
    groups = report.groups
    ys = list(range(len(groups)))
    centres = [g.smoothed_acceptance for g in groups]
    errors = [
        [c - g.interval_low for c, g in zip(centres, groups, strict=True)],
        [g.interval_high - c for c, g in zip(centres, groups, strict=True)],
    ]
    ax.errorbar(centres, ys, xerr=errors, fmt="o", capsize=4, color=_GOOD, label="smoothed")
    raw: list[tuple[float, int]] = [
        (g.acceptance_rate, y)
        for y, g in zip(ys, groups, strict=True)
        if g.acceptance_rate is not None
    ]
    ax.scatter(
        [r for r, _ in raw], [y for _, y in raw], marker="x", color="black", label="raw", zorder=3
    )
    prior = report.prior_alpha / (report.prior_alpha + report.prior_beta)
    ax.axvline(prior, color=_NONE, linestyle="--", linewidth=1, label="prior mean")
    ax.set_yticks(ys, [f"{g.key} ({g.mqls} MQLs)" for g in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(f"MQLs accepted by sales ({report.level:.0%} credible interval)")
    ax.set_title(f"Lead quality by {report.by}")
    ax.legend(loc="best")
    return ax
