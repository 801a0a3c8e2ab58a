"""Specification of the meeting cadence, meetings and action items."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from salesmark import ActionItem, Meeting, MeetingCadence, NaiveDatetime, Team, ValidationError
from salesmark.meetings import AgendaItem

START = datetime(2026, 1, 6, 9, 0, tzinfo=timezone.utc)  # a Tuesday


class TestMeetingCadence:
    def test_weekly_by_default(self) -> None:
        """The cadence is weekly on the start's weekday and time."""
        cadence = MeetingCadence(start=START)
        after = datetime(2026, 1, 7, tzinfo=timezone.utc)
        assert (START + timedelta(weeks=1), START + timedelta(weeks=2)) == cadence.next_occurrences(
            after, 2
        )

    def test_rrule_body(self) -> None:
        """Any RRULE body works, e.g. Tuesdays and Thursdays."""
        cadence = MeetingCadence(start=START, rule="FREQ=WEEKLY;BYDAY=TU,TH")
        days = [d.strftime("%a") for d in cadence.next_occurrences(START, 3)]
        assert ["Thu", "Tue", "Thu"] == days

    def test_between_is_half_open(self) -> None:
        """Meetings in [start, end) are listed."""
        cadence = MeetingCadence.every_other_week(START)
        assert (START, START + timedelta(weeks=2)) == cadence.between(
            START, START + timedelta(weeks=4)
        )

    @pytest.mark.parametrize(
        "rule", ["FREQ=SOMETIMES", "DTSTART:20260101T000000Z\nRRULE:FREQ=WEEKLY"]
    )
    def test_bad_rules(self, rule: str) -> None:
        """An invalid rule, or one that carries its own DTSTART, is refused."""
        with pytest.raises(ValidationError, match="MeetingCadence.rule"):
            MeetingCadence(start=START, rule=rule)

    def test_naive_times(self) -> None:
        """Naive start or query times are refused."""
        with pytest.raises(NaiveDatetime):
            MeetingCadence(start=datetime(2026, 1, 6, 9))
        with pytest.raises(NaiveDatetime):
            MeetingCadence(start=START).next_occurrences(datetime(2026, 1, 7), 1)


class TestMeeting:
    def test_agenda_minutes_and_overdue_actions(self) -> None:
        """A meeting sums its agenda's minutes; an undone action past its due date is overdue."""
        action = ActionItem(
            id="a1", description="share reasons", owner_id="m1", due=START + timedelta(days=7)
        )
        meeting = Meeting(
            id="mt1",
            at=START,
            agenda=(AgendaItem(title="Lead quality", owner=Team.SALES, minutes=10),
                    AgendaItem(title="KPIs", owner=Team.MARKETING, minutes=15)),
            actions=(action,),
        )  # fmt: skip
        assert 25 == meeting.agenda_minutes
        assert action.is_overdue(START + timedelta(days=8))
        assert not action.completed().is_overdue(START + timedelta(days=8))
