"""Tests for salesmark.meetings: the cadence, meetings, agenda items and action items."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from salesmark.errors import ValidationError
from salesmark.meetings import ActionItem, AgendaItem, Meeting, MeetingCadence
from salesmark.teams import Team

UTC = timezone.utc
TUESDAY = datetime(2026, 1, 6, 9, tzinfo=UTC)


def t(day: int, hour: int = 0, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


class TestMeetingCadence:
    def test_weekly_next_occurrences(self) -> None:
        """A weekly cadence gives the same weekday and time every week, strictly after the moment."""
        weekly = MeetingCadence.weekly(TUESDAY)
        assert (t(13, 9, month=1), t(20, 9, month=1)) == weekly.next_occurrences(TUESDAY, 2)

    def test_every_other_week_between(self) -> None:
        """A fortnightly cadence has three meetings in January 2026 from the 6th."""
        cadence = MeetingCadence.every_other_week(TUESDAY)
        assert (t(6, 9, month=1), t(20, 9, month=1)) == cadence.between(
            t(1, month=1), t(1, month=2)
        )[:2]

    @pytest.mark.parametrize("rule", ["FREQ=NEVER", "DTSTART:20260101\nFREQ=WEEKLY"])
    def test_bad_rules_are_refused(self, rule: str) -> None:
        """An invalid RRULE or one with its own DTSTART raises ValidationError."""
        with pytest.raises(ValidationError, match="rule"):
            MeetingCadence(start=TUESDAY, rule=rule)

    def test_negative_count_is_refused(self) -> None:
        """Asking for a negative number of meetings raises ValidationError."""
        with pytest.raises(ValidationError, match="n must be"):
            MeetingCadence.weekly(TUESDAY).next_occurrences(TUESDAY, -1)


class TestAgendaItem:
    def test_owner_must_be_a_team(self) -> None:
        """An owner that is not a Team raises ValidationError."""
        with pytest.raises(ValidationError, match="owner"):
            AgendaItem(title="x", owner="sales", minutes=5)  # type: ignore[arg-type]


class TestActionItem:
    def test_overdue_until_completed(self) -> None:
        """An open item past its due date is overdue; completing it clears that."""
        item = ActionItem(description="Fix routing", owner_id="m1", due=t(10))
        assert (True, False) == (item.is_overdue(t(11)), item.completed().is_overdue(t(11)))


class TestMeeting:
    def test_agenda_minutes_add_up(self) -> None:
        """A meeting's agenda minutes are the sum of its items'."""
        items = (
            AgendaItem(title="a", owner=Team.SALES, minutes=5),
            AgendaItem(title="b", owner=Team.MARKETING, minutes=7),
        )
        assert 12 == Meeting(id="m", at=TUESDAY, agenda=items).agenda_minutes
