"""Charts: each one rendered to PNG with the Agg backend, its bars and points counted."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from salesmark import Period, Team, ValidationError, WrongType, metrics, scoring, sla_compliance
from salesmark.attribution import MarkovChain, PathCounts, compare, first_touch, linear, markov
from salesmark.errors import MissingExtra
from salesmark.funnel import funnel_counts
from salesmark.kpis import KpiUnit, TargetStatus
from salesmark.metrics import ScorecardReport, ScorecardRow, Trend
from salesmark.plotting import (
    attribution_chart,
    funnel_chart,
    lead_quality_chart,
    removal_effects_chart,
    scorecard_chart,
    sla_chart,
    time_in_stage_chart,
    transition_heatmap,
)
from salesmark.synthetic import organisation
from strategies import hand_organisation

Q1 = Period.quarter(2026, 1)
HAND = hand_organisation()
SYNTHETIC = organisation(seed=1, leads=300)
PATHS = PathCounts.from_tuples(
    [
        (("search", "email"), 30, 10, None),
        (("email",), 10, 40, None),
        (("events", "search"), 20, 5, None),
        (("search",), 5, 30, None),
    ]
)


@pytest.fixture(autouse=True)
def agg() -> Iterator[None]:
    """Draw off screen with Agg, and close every figure a test opened."""
    mpl.use("Agg")
    yield
    from matplotlib import pyplot

    pyplot.close("all")


def _render(ax: Axes, tmp_path: Path) -> int:
    """Save the axes' figure as PNG and return the file's size."""
    path = tmp_path / "chart.png"
    ax.figure.savefig(path)
    return path.stat().st_size


def _points(ax: Axes) -> list[int]:
    """The number of points of each scatter on the axes."""
    return [len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)]


class TestFunnelChart:
    @pytest.mark.parametrize(("view", "bars"), [("cohort", 6), ("activity", 6), ("both", 12)])
    def test_one_bar_per_stage_and_view(self, view: str, bars: int, tmp_path: Path) -> None:
        """Six stages give six bars a view, labelled with the counts, first stage on top."""
        ax = funnel_chart(funnel_counts(HAND.leads, Q1, lifecycle=HAND.lifecycle), view=view)  # type: ignore[arg-type]
        assert 0 < _render(ax, tmp_path)
        assert bars == len(ax.patches)
        assert "inquiry" == ax.get_yticklabels()[0].get_text()

    def test_bar_lengths_are_the_counts(self) -> None:
        """The cohort bars are the cohort counts."""
        ax = funnel_chart(funnel_counts(HAND.leads, Q1, lifecycle=HAND.lifecycle), view="cohort")
        assert [5, 4, 4, 4, 4, 2] == [p.get_width() for p in ax.patches]  # type: ignore[attr-defined]

    def test_unknown_view(self) -> None:
        """An unknown view is named with the views accepted."""
        counts = funnel_counts(HAND.leads, Q1, lifecycle=HAND.lifecycle)
        with pytest.raises(
            ValidationError,
            match=r"funnel_chart view must be one of \['cohort', 'activity', 'both'\]",
        ):
            funnel_chart(counts, view="weekly")  # type: ignore[arg-type]

    def test_draws_on_the_given_axes(self) -> None:
        """Given axes are drawn on and returned; anything else is refused."""
        ax = Figure().subplots()
        counts = funnel_counts(HAND.leads, Q1, lifecycle=HAND.lifecycle)
        assert ax is funnel_chart(counts, ax=ax)
        with pytest.raises(WrongType, match="funnel_chart ax must be an Axes"):
            funnel_chart(counts, ax="left")  # type: ignore[arg-type]
        with pytest.raises(WrongType, match="funnel_chart counts must be a FunnelCounts"):
            funnel_chart(HAND)  # type: ignore[arg-type]


class TestAttributionChart:
    def test_one_bar_per_channel_and_model(self, tmp_path: Path) -> None:
        """Three channels by three models give nine bars; a Comparison draws the same."""
        results = [first_touch(PATHS), linear(PATHS), markov(PATHS)]
        ax = attribution_chart(results)
        assert 0 < _render(ax, tmp_path)
        assert 9 == len(ax.patches)
        legend = ax.get_legend()
        assert legend is not None
        assert ["first_touch", "linear", "markov"] == [t.get_text() for t in legend.get_texts()]
        assert 9 == len(attribution_chart(compare(*results)).patches)

    def test_refuses_other_things(self) -> None:
        """Only a Comparison or results are drawn."""
        with pytest.raises(
            WrongType, match=r"attribution_chart results\[0\] must be an AttributionResult"
        ):
            attribution_chart([PATHS])  # type: ignore[list-item]


class TestRemovalEffectsChart:
    def test_one_bar_per_channel_largest_first(self, tmp_path: Path) -> None:
        """A Markov result's three channels give three bars, in falling order."""
        ax = removal_effects_chart(markov(PATHS))
        assert 0 < _render(ax, tmp_path)
        heights = [p.get_height() for p in ax.patches]  # type: ignore[attr-defined]
        assert (3, sorted(heights, reverse=True)) == (len(heights), heights)

    def test_a_chain_draws_too(self) -> None:
        """A fitted chain's removal effects are drawn the same way."""
        assert 3 == len(removal_effects_chart(MarkovChain.fit(PATHS)).patches)

    def test_needs_removal_effects(self) -> None:
        """A chain-free result, or an empty chain, has none to draw."""
        with pytest.raises(ValidationError, match="result 'linear' has no removal effects"):
            removal_effects_chart(linear(PATHS))
        chain = MarkovChain(
            order=1, repeats="collapse", transitions=(), conversion_probability=0.0,
            removal_effects={}, value_removal_effects={},
        )  # fmt: skip
        with pytest.raises(ValidationError, match="result 'chain' has no removal effects"):
            removal_effects_chart(chain)
        with pytest.raises(
            WrongType,
            match="removal_effects_chart result must be an AttributionResult or MarkovChain",
        ):
            removal_effects_chart(PATHS)  # type: ignore[arg-type]


class TestTransitionHeatmap:
    def test_one_cell_per_transition(self, tmp_path: Path) -> None:
        """Rows are start and the three channels, columns the channels and both ends."""
        chain = MarkovChain.fit(PATHS)
        ax = transition_heatmap(chain)
        assert 0 < _render(ax, tmp_path)
        grid = ax.images[0].get_array()
        assert grid is not None
        assert (4, 5) == grid.shape
        assert chain.transition_probabilities[("(start)", "email")] == grid[0][0]
        assert ["(start)", "email", "events", "search"] == [
            t.get_text() for t in ax.get_yticklabels()
        ]

    def test_large_chains_are_not_annotated(self) -> None:
        """Above twelve states the cells carry no text."""
        paths = PathCounts.from_tuples([((f"c{i}", f"c{i + 1}"), 1, 1, None) for i in range(13)])
        assert 0 == len(transition_heatmap(MarkovChain.fit(paths)).texts)

    def test_refuses_other_things(self) -> None:
        """Only a MarkovChain has transitions."""
        with pytest.raises(WrongType, match="transition_heatmap chain must be a MarkovChain"):
            transition_heatmap(markov(PATHS))  # type: ignore[arg-type]


def _row(
    kpi: str, value: str | None, goal: str | None, status: TargetStatus | None
) -> ScorecardRow:
    return ScorecardRow(
        kpi=kpi, name=kpi.upper(), unit=KpiUnit.COUNT,
        value=None if value is None else Decimal(value), previous=None,
        goal=None if goal is None else Decimal(goal), status=status, trend=Trend.UNKNOWN,
    )  # fmt: skip


class TestScorecardChart:
    def test_one_bar_per_kpi_with_value_and_target(self, tmp_path: Path) -> None:
        """The synthetic marketing scorecard's four KPIs all have values and targets."""
        report = metrics.scorecard_report(SYNTHETIC, Team.MARKETING, Q1)
        ax = scorecard_chart(report)
        assert 0 < _render(ax, tmp_path)
        assert 4 == len(ax.patches)

    def test_bars_are_shares_of_target_clipped_at_200(self) -> None:
        """Bars are value over goal in percent, stopped at 200%; missing values or targets get none."""
        report = ScorecardReport(
            team=Team.SALES,
            period=Q1,
            rows=(
                _row("a", "40", "50", TargetStatus.AT_RISK),
                _row("b", "900", "100", TargetStatus.OFF_TRACK),
                _row("c", None, "10", None),
                _row("d", "5", None, None),
                _row("e", "5", "0", None),
                _row("f", "10", "10", None),
            ),
        )
        ax = scorecard_chart(report)
        assert [80.0, 200.0, 100.0] == [p.get_width() for p in ax.patches]  # type: ignore[attr-defined]
        assert ["A", "B", "C (no value)", "D (no target)", "E (no target)", "F"] == [
            t.get_text() for t in ax.get_yticklabels()
        ]
        assert ["80%", "900%", "100%"] == [t.get_text() for t in ax.texts]

    def test_refuses_other_things(self) -> None:
        """Only a ScorecardReport is drawn."""
        with pytest.raises(WrongType, match="scorecard_chart report must be a ScorecardReport"):
            scorecard_chart(HAND)  # type: ignore[arg-type]


class TestSlaChart:
    def test_one_bar_and_target_per_commitment(self, tmp_path: Path) -> None:
        """Every commitment judged has a bar and a target mark."""
        report = sla_compliance(SYNTHETIC, Q1)
        ax = sla_chart(report)
        assert 0 < _render(ax, tmp_path)
        assert (5, [5]) == (len(ax.patches), _points(ax))
        accepted = ax.patches[1].get_width()  # type: ignore[attr-defined]
        assert report.marketing.acceptance_rate is not None
        assert pytest.approx(float(report.marketing.acceptance_rate) * 100) == accepted

    def test_commitments_with_nothing_due_have_no_bar(self) -> None:
        """A quarter with no MQLs judges only the volume commitment."""
        report = sla_compliance(SYNTHETIC, Period.quarter(2031, 1))
        ax = sla_chart(report)
        assert (["MQLs delivered"], 1) == (
            [t.get_text() for t in ax.get_yticklabels()],
            len(ax.patches),
        )

    def test_refuses_other_things(self) -> None:
        """Only an SlaCompliance is drawn."""
        with pytest.raises(WrongType, match="sla_chart report must be a SlaCompliance"):
            sla_chart(HAND)  # type: ignore[arg-type]


class TestTimeInStageChart:
    def test_one_bar_and_point_per_stage_with_stays(self, tmp_path: Path) -> None:
        """Stages with finished stays get a median bar and a 90th percentile point."""
        counts = funnel_counts(HAND.leads, Q1, lifecycle=HAND.lifecycle)
        with_stays = [t for t in counts.time_in_stage() if t.count]
        ax = time_in_stage_chart(counts)
        assert 0 < _render(ax, tmp_path)
        assert (len(with_stays), [len(with_stays)]) == (len(ax.patches), _points(ax))
        assert "time in stage (days)" == ax.get_ylabel()

    def test_short_stays_in_hours(self) -> None:
        """When no 90th percentile passes three days, the unit is hours."""
        counts = funnel_counts(SYNTHETIC.leads, Q1, lifecycle=SYNTHETIC.lifecycle)
        assert (
            "time in stage (hours)" == time_in_stage_chart(counts.empty(counts.stages)).get_ylabel()
        )

    def test_unknown_view(self) -> None:
        """Only the cohort and activity views have stays."""
        counts = funnel_counts(HAND.leads, Q1, lifecycle=HAND.lifecycle)
        with pytest.raises(ValidationError, match="time_in_stage_chart view must be one of"):
            time_in_stage_chart(counts, view="both")  # type: ignore[arg-type]


class TestLeadQualityChart:
    def test_one_interval_per_group(self, tmp_path: Path) -> None:
        """Each group has a point with an interval; each group with MQLs a raw-rate cross."""
        report = scoring.lead_quality(
            SYNTHETIC.leads, SYNTHETIC.feedback, lifecycle=SYNTHETIC.lifecycle, by="channel"
        )
        ax = lead_quality_chart(report)
        assert 0 < _render(ax, tmp_path)
        raw = sum(1 for g in report.groups if g.acceptance_rate is not None)
        assert len(report.groups) == len(ax.containers[0].lines[0].get_xdata())  # type: ignore[attr-defined]
        assert [raw] == _points(ax)
        assert report.groups[0].key in ax.get_yticklabels()[0].get_text()

    def test_refuses_other_things(self) -> None:
        """Only a LeadQualityReport is drawn."""
        with pytest.raises(
            WrongType, match="lead_quality_chart report must be a LeadQualityReport"
        ):
            lead_quality_chart(HAND)  # type: ignore[arg-type]


class TestWithoutMatplotlib:
    def test_a_chart_says_how_to_install_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without matplotlib a chart call fails with how to install salesmark[plot]."""
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        counts = funnel_counts(HAND.leads, Q1, lifecycle=HAND.lifecycle)
        with pytest.raises(
            MissingExtra, match=r"funnel_chart needs matplotlib; install salesmark\[plot\]"
        ):
            funnel_chart(counts)


LAZY = """
import sys
import salesmark.plotting
from salesmark import DEMAND_WATERFALL, Period, funnel_counts
assert "matplotlib" not in sys.modules, "importing salesmark.plotting loaded matplotlib"
ax = salesmark.plotting.funnel_chart(funnel_counts([], Period.quarter(2026, 1), lifecycle=DEMAND_WATERFALL))
assert "matplotlib" in sys.modules
print(type(ax).__name__)
"""


class TestLazyImport:
    def test_matplotlib_loads_on_the_first_chart(self) -> None:
        """Importing salesmark.plotting loads no matplotlib; the first chart does."""
        env = {**os.environ, "MPLBACKEND": "Agg"}
        done = subprocess.run(
            [sys.executable, "-c", LAZY], capture_output=True, text=True, check=False, env=env
        )
        assert (0, "Axes\n", "") == (done.returncode, done.stdout, done.stderr)
