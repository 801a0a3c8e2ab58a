"""Specification of the demo, ``python -m salesmark``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from salesmark.__main__ import main


class TestMain:
    def test_report_has_every_section(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo prints the funnel, scorecards, SLA, attribution, agenda and alignment index."""
        assert 0 == main(["--leads", "400", "--seed", "7"])
        out = capsys.readouterr().out
        for heading in (
            "Funnel",
            "Scorecards",
            "Service-level agreement",
            "marketing channels get credit",
            "Agenda for the next joint meeting",
            "Alignment index",
        ):
            assert heading in out

    def test_same_seed_same_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The report is the same for the same seed and size."""
        main(["--leads", "200", "--seed", "3"])
        first = capsys.readouterr().out
        main(["--leads", "200", "--seed", "3"])
        assert first == capsys.readouterr().out

    def test_negative_size_is_refused(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A negative number of leads exits with status 2 and says why."""
        assert 2 == main(["--leads", "-5"])
        assert "--leads must be 0 or more" in capsys.readouterr().err

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
