"""Specification of the demo, ``python -m salesmark``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from salesmark.__main__ import main

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


class TestMain:
    def test_report_has_every_section(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo prints the funnel, scorecards, SLA, attribution, agenda, planning and alignment index."""
        assert 0 == main(["--leads", "400", "--seed", "7"])
        out = capsys.readouterr().out
        assert [] == [heading for heading in HEADINGS if heading not in out]

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
    def test_the_second_agenda_carries_the_first_meetings_action(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The demo holds the next meeting, closes one action, and the following agenda carries the other."""
        main(["--leads", "400", "--seed", "7"])
        out = capsys.readouterr().out
        section = out.split("Two consecutive meetings")[1].split("Alignment index")[0]
        assert "next-1-a1 was closed two days later" in section
        assert "Action next-1-a2" in section
        assert "<- from next-1" in section
