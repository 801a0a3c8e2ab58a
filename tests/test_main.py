"""Specification of the demo, ``python -m salesmark``."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import re
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from salesmark.__main__ import _duration, _guarded, _kpi_figure, _two_counts, html_report, main
from salesmark.errors import ValidationError
from salesmark.funnel import FunnelCounts
from salesmark.kpis import KpiUnit
from salesmark.metrics import ScorecardRow, Trend

HEADINGS = (
    "Funnel",
    "Scorecards",
    "Service-level agreement",
    "marketing channels get credit",
    "Agenda for the next joint meeting (30 minutes)",
    "Two consecutive meetings: the second's agenda carries the first's actions",
    "Forecast of the quarter's bookings",
    "Backtest: each month forecast from its own start",
    "Reverse waterfall: what the next quarter's target needs",
    "Alignment index",
)


@pytest.fixture(scope="module")
def report() -> str:
    """The demo's report for 400 leads of seed 7, run once for the tests that read it."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert 0 == main(["--leads", "400", "--seed", "7"])
    return printed.getvalue()


class TestMain:
    def test_report_has_every_section(self, report: str) -> None:
        """The demo prints the funnel, scorecards, SLA, attribution, agenda, planning and alignment index."""
        assert [] == [heading for heading in HEADINGS if heading not in report]

    def test_same_seed_same_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The report is the same for the same seed and size."""
        main(["--leads", "200", "--seed", "3"])
        first = capsys.readouterr().out
        main(["--leads", "200", "--seed", "3"])
        assert first == capsys.readouterr().out

    @pytest.mark.parametrize("size", ["0", "-5", "many"])
    def test_fewer_than_one_lead_is_refused(
        self, capsys: pytest.CaptureFixture[str], size: str
    ) -> None:
        """``--leads`` below 1 (or not a number) is an argparse usage error: status 2, a reason, no traceback."""
        with pytest.raises(SystemExit) as exit_info:
            main(["--leads", size])
        err = capsys.readouterr().err
        assert (2, True, False) == (
            exit_info.value.code,
            "argument --leads:" in err,
            "Traceback" in err,
        )

    def test_a_single_lead_prints_the_whole_report(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With one lead there is no conversion: every section is printed, attribution says it is not computable."""
        assert 0 == main(["--leads", "1"])
        out = capsys.readouterr().out
        assert [] == [heading for heading in HEADINGS if heading not in out]
        assert "  attribution: not computable: no conversions" in out.splitlines()

    def test_help_explains_options(self) -> None:
        """``python -m salesmark --help`` lists the seed and size options."""
        done = subprocess.run(
            [sys.executable, "-m", "salesmark", "--help"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "--seed" in done.stdout
        assert "--leads" in done.stdout


class TestTwoMeetings:
    def test_the_second_agenda_carries_the_first_meetings_action(self, report: str) -> None:
        """The demo holds the next meeting, closes one action, and the following agenda carries the other."""
        section = _part(report, "Two consecutive meetings", "Alignment index")
        assert "next-1-a1 was closed two days later" in section
        assert "Action next-1-a2" in section
        assert "<- from next-1" in section


def _part(out: str, heading: str, following: str) -> str:
    return out.split(heading)[1].split(following, maxsplit=1)[0]


_LOADED_AFTER_THE_DEMO = (
    "import sys; from salesmark.__main__ import main; main(['--leads', '20']); "
    "print('loaded:', sorted(m for m in ('matplotlib', 'pandas', 'narwhals') if m in sys.modules))"
)


class TestTheReportReads:
    def test_no_raw_repr_is_printed(self, report: str) -> None:
        """No object repr (``MarketingCompliance(...)``, ``AlignmentIndex(...)``) is printed."""
        assert [] == re.findall(r"\b[A-Z][a-z]+[A-Z]\w*\(", report)

    def test_rates_are_percentages(self, report: str) -> None:
        """No ratio is printed as a bare fraction like 0.8354; the funnel's rates end in %."""
        funnel = _part(report, "Funnel (", "Two counts of MQLs")
        rows = [line.split() for line in funnel.splitlines()[3:] if line.strip()]
        assert [] == re.findall(r"(?<![\d.])0\.\d{3,}", report)
        assert [] == [row for row in rows if len(row) == 3 and not row[2].endswith("%")]
        assert 5 == sum(len(row) == 3 for row in rows)

    def test_every_scorecard_figure_has_its_unit(self, report: str) -> None:
        """Money KPIs show EUR, rates %, speed to lead hours or days, and so do their targets."""
        scorecards = _part(report, "Scorecards (", "Service-level agreement")
        lines = {line[:32].strip(): line for line in scorecards.splitlines() if " target " in line}
        units = {
            "Cost per lead": "EUR",
            "MQL to SAL rate": "%",
            "Marketing-sourced pipeline": "EUR",
            "Speed to lead": "hours",
            "MQL to SQL rate": "%",
            "Win rate": "%",
            "Average deal size": "EUR",
        }
        assert dict.fromkeys(units, 3) == {
            name: lines[name].count(unit) for name, unit in units.items()
        }

    def test_cohort_and_activity_are_explained_once(self, report: str) -> None:
        """The two MQL counts are explained once, with the funnel's cohort and activity numbers."""
        from salesmark import Period, funnel_counts, synthetic

        org = synthetic.organisation(seed=7, leads=400, year=2026)
        funnel = funnel_counts(org.leads, Period.quarter(2026, 3), lifecycle=org.lifecycle)
        cohort, activity = funnel.counts("cohort")["mql"], funnel.counts("activity")["mql"]
        assert 1 == report.count("Two counts of MQLs")
        assert f"Two counts of MQLs: {cohort} of the leads created" in report
        assert f"  {activity} times a lead became an MQL during the quarter" in report

    def test_the_sla_reads_as_sentences(self, report: str) -> None:
        """The SLA section names each promise, its figure with its unit and whether it was kept."""
        sla = _part(report, "Service-level agreement\n---", "Which marketing channels")
        starts = [line.split(":")[0].strip() for line in sla.strip("-\n").splitlines()]
        assert [
            "Marketing's promises",
            "MQL volume",
            "Acceptance",
            "Sales' promises",
            "Follow-up within 1 day",
            "At least 3 attempts before giving up",
            "Feedback within 5 days",
            "MQLs never followed up",
        ] == starts

    def test_the_alignment_index_reads_as_lines(self, report: str) -> None:
        """The alignment index gives its score out of 100 and one line per practice with its share."""
        part = report.split("Alignment index (")[1]
        lines = part.strip().splitlines()[2:]
        assert "out of 100" in lines[0]
        assert [] == [
            line for line in lines[1:] if "%" not in line and "not measurable" not in line
        ]


class TestDurations:
    @pytest.mark.parametrize(
        ("elapsed", "shown"),
        [
            (timedelta(days=1), "1 day"),
            (timedelta(days=5), "5 days"),
            (timedelta(hours=6, minutes=50), "6.8 hours"),
            (timedelta(hours=47), "47.0 hours"),
            (timedelta(days=3, hours=12), "3.5 days"),
        ],
    )
    def test_a_duration_shows_its_unit(self, elapsed: timedelta, shown: str) -> None:
        """Whole days show as days, up to two days as hours, longer as days with a decimal."""
        assert shown == _duration(elapsed)


class TestHtml:
    def test_the_page_is_the_report_with_its_charts(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """``--html FILE`` writes one page: every printed line, and each chart as an embedded PNG."""
        pytest.importorskip("matplotlib")
        page = tmp_path / "report.html"
        assert 0 == main(["--leads", "400", "--seed", "7", "--html", str(page)])
        printed = capsys.readouterr().out
        text = page.read_text(encoding="utf-8")
        images = re.findall(r'<img alt="[^"]+" src="data:image/png;base64,([^"]+)"', text)
        shown = html.unescape(re.sub(r"<[^>]+>", "\n", text))
        report = printed.split("\nThe report with its charts is in")[0]
        assert {"starts": True, "images": 5, "external": []} == {
            "starts": text.startswith("<!DOCTYPE html>"),
            "images": len(images),
            "external": re.findall(r'(?:src|href)="https?:', text),
        }
        assert [] == [png for png in images if not base64.b64decode(png).startswith(b"\x89PNG")]
        assert [] == [  # every line but the titles' underlines (the page has headings)
            line for line in report.splitlines() if line.strip("-") and line.strip() not in shown
        ]

    def test_without_matplotlib_the_page_says_it_has_no_charts(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without matplotlib the page has every section, no image, and says why."""
        from salesmark import Period, synthetic

        monkeypatch.setitem(sys.modules, "matplotlib", None)
        monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
        text = html_report(synthetic.organisation(seed=7, leads=100), Period.quarter(2026, 3))
        assert {"images": 0, "says so": True, "sections": []} == {
            "images": text.count("<img"),
            "says so": "no charts: they need matplotlib, which is not installed" in text,
            "sections": [heading for heading in HEADINGS if html.escape(heading) not in text],
        }

    def test_a_file_that_cannot_be_written_is_an_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A ``--html`` path in a missing folder ends with status 1 and a reason on stderr, after the report."""
        status = main(["--leads", "50", "--html", str(tmp_path / "missing" / "r.html")])
        captured = capsys.readouterr()
        assert {"status": 1, "report": True, "reason": True} == {
            "status": status,
            "report": "Alignment index" in captured.out,
            "reason": "cannot write" in captured.err,
        }

    def test_the_text_demo_never_loads_matplotlib(self) -> None:
        """Without ``--html`` the demo loads neither matplotlib nor a table library (numpy, where installed, is attribution's engine)."""
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _LOADED_AFTER_THE_DEMO,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "loaded: []" == done.stdout.strip().splitlines()[-1]


class TestFigures:
    @pytest.mark.parametrize(
        ("unit", "value", "shown"),
        [
            (KpiUnit.COUNT, Decimal(1250), "1,250"),
            (KpiUnit.RATIO, Decimal("0.8354"), "83.5%"),
            (KpiUnit.MONEY, Decimal("2584200"), "2,584,200.00 EUR"),
            (KpiUnit.DURATION, Decimal("6.84"), "6.8 hours"),
            (KpiUnit.DURATION, Decimal(120), "5 days"),
            (KpiUnit.MONTHS, Decimal("7.25"), "7.2 months"),
            (KpiUnit.RATIO, None, "n/a"),
        ],
    )
    def test_a_kpi_shows_in_its_unit(
        self, unit: KpiUnit, value: Decimal | None, shown: str
    ) -> None:
        """Counts get thousands separators, ratios percentages, money its currency, durations hours or days."""
        row = ScorecardRow(
            kpi="k", name="K", unit=unit, value=value, previous=None, goal=None, status=None,
            trend=Trend.UNKNOWN, currency="EUR" if unit is KpiUnit.MONEY else None,
        )  # fmt: skip
        assert shown == _kpi_figure(value, row)

    def test_a_section_the_data_cannot_support_says_why(self) -> None:
        """A section whose computation raises a SalesmarkError is one line naming the reason."""

        def fails() -> list[str]:
            msg = "no data"
            raise ValidationError(msg)

        section = _guarded("Title", "thing", fails)
        assert {"lines": ("  thing: not computable: no data",), "charts": ()} == {
            "lines": section.lines,
            "charts": section.charts,
        }

    def test_a_one_stage_funnel_has_no_mql_counts_to_explain(self) -> None:
        """A lifecycle without a second stage has no MQL, so nothing is explained."""
        assert [] == _two_counts(FunnelCounts.empty(("inquiry",)))
