"""Specification of the meeting cadence, meetings and action items."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import (
    ActionItem,
    Meeting,
    MeetingCadence,
    NaiveDatetime,
    SalesmarkError,
    StructureError,
    Team,
    ValidationError,
    WrongType,
    structure,
)
from salesmark.meetings import AgendaItem

START = datetime(2026, 1, 6, 9, 0, tzinfo=timezone.utc)  # a Tuesday
# seconds: the largest legal call (10,000 meetings from dateutil) takes about 2 s under
# coverage on a shared 2-core machine; the hangs this guards against took minutes
TIME_BOUND = 10.0
RULES = [
    "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=MONTHLY;BYDAY=1MO",
    "FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=YEARLY", "FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
    "FREQ=DAILY;INTERVAL=3;BYHOUR=9,15", "FREQ=DAILY;COUNT=5", "FREQ=HOURLY;INTERVAL=5",
    "FREQ=HOURLY;INTERVAL=2;BYHOUR=9,10,11", "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,MO",
    "FREQ=DAILY;UNTIL=20400101T000000Z", "FREQ=YEARLY;BYEASTER=0",
]  # fmt: skip
starts = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2040, 1, 1),
    timezones=st.sampled_from(
        [timezone.utc, ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")]
    ),
).filter(lambda d: d.utcoffset() == d.replace(fold=1).utcoffset())  # no repeated autumn hours
anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-1, 10_001), st.floats(),
    st.text(max_size=8), st.sampled_from([*RULES, "FREQ=SECONDLY", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"]),
    st.datetimes(), st.datetimes(timezones=st.timezones()), st.timedeltas(),
    st.datetimes(min_value=datetime(9999, 12, 1), timezones=st.timezones()),
)  # fmt: skip


def within_bound(call: Callable[[], Any]) -> Any:
    """Run ``call``: it returns or raises a salesmark error, in bounded time."""
    began = time.perf_counter()
    try:
        return call()
    except SalesmarkError as error:
        return error
    finally:
        assert time.perf_counter() - began < TIME_BOUND


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


class TestCadenceBounds:
    @pytest.mark.parametrize(
        "rule",
        ["FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=MINUTELY;INTERVAL=90", "FREQ=HOURLY;BYMINUTE=0,30",
         "FREQ=DAILY;BYHOUR=9;BYSECOND=0,1"],
    )  # fmt: skip
    def test_more_than_one_meeting_an_hour_is_refused(self, rule: str) -> None:
        """A cadence that could meet twice within an hour is refused when it is made."""
        with pytest.raises(ValidationError, match="at most once an hour"):
            MeetingCadence(start=START, rule=rule)

    def test_hourly_is_the_finest_cadence(self) -> None:
        """FREQ=HOURLY is allowed: one meeting an hour."""
        cadence = MeetingCadence(start=START, rule="FREQ=HOURLY")
        assert (START + timedelta(hours=1), START + timedelta(hours=2)) == cadence.next_occurrences(
            START, 2
        )

    def test_a_secondly_cadence_is_refused_at_structure_time(self) -> None:
        """Data that describes a FREQ=SECONDLY cadence does not structure."""
        data = {"start": START.isoformat(), "rule": "FREQ=SECONDLY", "duration": "PT30M"}
        with pytest.raises(StructureError, match="at most once an hour"):
            structure(data, MeetingCadence)

    @pytest.mark.parametrize(
        "rule",
        ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;INTERVAL=7;BYDAY=MO",
         "FREQ=MONTHLY;INTERVAL=12;BYMONTH=2", "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6"],
    )  # fmt: skip
    def test_a_cadence_that_never_meets_is_refused(self, rule: str) -> None:
        """A rule that gives no meeting at all is refused, quickly, instead of searching to 9999 on every query."""
        began = time.perf_counter()
        with pytest.raises(ValidationError, match="never gives a meeting"):
            MeetingCadence(start=START, rule=rule)
        assert time.perf_counter() - began < TIME_BOUND

    def test_a_yearly_month_reached_by_the_interval_is_kept(self) -> None:
        """A 12-monthly cadence meets in the named months it can reach."""
        cadence = MeetingCadence(start=START, rule="FREQ=MONTHLY;INTERVAL=12;BYMONTH=1,2")
        assert (START.replace(year=2027),) == cadence.next_occurrences(START, 1)

    def test_counts_are_bounded(self) -> None:
        """A COUNT or an n above 10,000 is refused."""
        with pytest.raises(ValidationError, match="COUNT must be at most 10,000"):
            MeetingCadence(start=START, rule="FREQ=DAILY;COUNT=10001")
        with pytest.raises(ValidationError, match="n must be a whole number from 0 to 10000"):
            MeetingCadence(start=START).next_occurrences(START, 10_001)

    def test_between_is_bounded(self) -> None:
        """More than 10,000 meetings in the span is a ValidationError, not a huge tuple."""
        hourly = MeetingCadence(start=START, rule="FREQ=HOURLY")
        assert 10_000 == len(hourly.between(START, START + timedelta(hours=10_000)))
        with pytest.raises(ValidationError, match="more than 10,000 meetings"):
            hourly.between(START, START + timedelta(hours=10_001))

    def test_a_query_far_in_the_future_answers_at_once(self) -> None:
        """An hourly cadence asked about the year 9000 jumps there instead of walking 61 million hours."""
        hourly = MeetingCadence(start=START, rule="FREQ=HOURLY")
        far = datetime(9000, 1, 1, tzinfo=timezone.utc)
        began = time.perf_counter()
        assert (far + timedelta(hours=1),) == hourly.next_occurrences(far, 1)
        assert (far, far + timedelta(hours=1)) == hourly.between(far, far + timedelta(hours=2))
        assert time.perf_counter() - began < TIME_BOUND

    @settings(max_examples=120)
    @given(
        starts,
        st.sampled_from(RULES),
        st.timedeltas(timedelta(days=-30), timedelta(days=2 * 365)),
        st.integers(0, 4),
    )
    def test_jumping_ahead_changes_no_meeting(
        self, start: datetime, rule: str, offset: timedelta, n: int
    ) -> None:
        """Meetings found after jumping ahead are the meetings dateutil walks to."""
        cadence = MeetingCadence(start=start, rule=rule)
        after = start + offset
        walked = rrulestr(rule, dtstart=start)
        assert tuple(walked.xafter(after, count=n, inc=False)) == cadence.next_occurrences(after, n)  # type: ignore[union-attr]
        end = after + timedelta(days=45)
        assert tuple(d for d in walked.between(after, end, inc=True) if d < end) == cadence.between(
            after, end
        )  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("make", "fragment"),
        [(lambda: MeetingCadence(start="2026-01-06"), "MeetingCadence.start"),  # type: ignore[arg-type]
         (lambda: MeetingCadence(start=START, rule=5), "MeetingCadence.rule"),  # type: ignore[arg-type]
         (lambda: MeetingCadence(start=START).next_occurrences("2026-01-07", 1), "next_occurrences after"),  # type: ignore[arg-type]
         (lambda: MeetingCadence(start=START).next_occurrences(START, "1"), "next_occurrences n"),  # type: ignore[arg-type]
         (lambda: MeetingCadence(start=START).between(START, 5), "between end")],  # type: ignore[arg-type]
    )  # fmt: skip
    def test_wrong_types_are_named(self, make: Callable[[], object], fragment: str) -> None:
        """An argument of the wrong type raises WrongType naming it."""
        with pytest.raises(WrongType, match=fragment):
            make()

    @settings(max_examples=200)
    @given(
        anything | starts,
        anything,
        anything | starts,
        anything | starts,
        anything | st.just(10**5000),
    )
    def test_bad_input(self, start: Any, rule: Any, a: Any, b: Any, n: Any) -> None:
        """Making and asking a cadence gives meetings or a salesmark error, in bounded time."""
        for made in (
            lambda: MeetingCadence.weekly(start, a),
            lambda: MeetingCadence.every_other_week(start, a),
        ):
            assert isinstance(within_bound(made), MeetingCadence | SalesmarkError)
        cadence = within_bound(lambda: MeetingCadence(start=start, rule=rule))
        if isinstance(cadence, MeetingCadence):
            for ask in (lambda: cadence.next_occurrences(a, n), lambda: cadence.between(a, b)):
                found = within_bound(ask)
                assert isinstance(found, tuple | SalesmarkError)
                if isinstance(found, tuple):
                    assert list(found) == sorted(found)


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
