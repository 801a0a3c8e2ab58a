"""Tests for salesmark.calendars: working time across weekends, holidays and DST."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark.calendars import WorkingCalendar
from salesmark.errors import NaiveDatetime, ValidationError

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
XMAS = ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=26")

moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))


class TestWorkingCalendar:
    def test_defaults_are_monday_to_friday_nine_to_five_utc(self) -> None:
        """The default calendar is the standard working week in UTC."""
        cal = WorkingCalendar()
        assert ("UTC", (0, 1, 2, 3, 4), time(9), time(17)) == (
            cal.timezone,
            cal.weekdays,
            cal.opens,
            cal.closes,
        )

    def test_repr_is_one_readable_line(self) -> None:
        """The repr names the zone, days, hours and holiday count."""
        cal = WorkingCalendar(timezone="Europe/Berlin", holidays=(date(2026, 1, 1),))
        assert "WorkingCalendar(Europe/Berlin Mon,Tue,Wed,Thu,Fri 09:00-17:00, holidays=1)" == repr(
            cal
        )

    def test_weekdays_are_sorted_and_deduplicated(self) -> None:
        """Weekdays given in any order come out sorted without repeats."""
        assert (0, 2, 6) == WorkingCalendar(weekdays=[6, 0, 2, 2]).weekdays

    def test_equal_calendars_compare_equal(self) -> None:
        """Two calendars with the same fields are equal despite their private caches."""
        a, b = WorkingCalendar(), WorkingCalendar()
        a.is_working_day(date(2026, 1, 5))
        assert a == b

    @pytest.mark.parametrize(
        ("kwargs", "fragment"),
        [
            ({"timezone": "Mars/Olympus"}, "not a known IANA"),
            ({"timezone": ""}, "IANA time-zone name"),
            ({"weekdays": ()}, "at least one working weekday"),
            ({"weekdays": (7,)}, "whole numbers 0"),
            ({"weekdays": (True,)}, "whole numbers 0"),
            ({"weekdays": "01234"}, "whole numbers 0"),
            ({"opens": time(17), "closes": time(9)}, "closes must be after opens"),
            ({"opens": time(9, tzinfo=UTC)}, "naive datetime.time"),
            ({"holidays": (datetime(2026, 1, 1, tzinfo=UTC),)}, "datetime.date values"),
            ({"recurring_holidays": ("FREQ=SOMETIMES",)}, "not a valid RRULE"),
            ({"recurring_holidays": ("DTSTART:20260101\nFREQ=YEARLY",)}, "without DTSTART"),
            ({"recurring_holidays": "FREQ=YEARLY"}, "the string"),
        ],
    )
    def test_bad_definitions_are_refused(self, kwargs: dict[str, object], fragment: str) -> None:
        """Each malformed field raises a ValidationError that says what was expected."""
        with pytest.raises(ValidationError, match=fragment):
            WorkingCalendar(**kwargs)  # type: ignore[arg-type]


class TestStandard:
    def test_standard_takes_zone_and_holidays(self) -> None:
        """The named constructor builds the standard week in the given zone."""
        cal = WorkingCalendar.standard("Asia/Tokyo", holidays=[date(2026, 1, 1)])
        assert ("Asia/Tokyo", (date(2026, 1, 1),)) == (cal.timezone, cal.holidays)


class TestAround:
    def test_zoneinfo_zone_is_kept(self) -> None:
        """A moment in a zoneinfo zone gives a calendar in that zone."""
        assert (
            "Europe/Berlin" == WorkingCalendar.around(datetime(2026, 1, 1, tzinfo=BERLIN)).timezone
        )

    def test_fixed_offset_falls_back_to_utc(self) -> None:
        """A moment with a fixed offset gives a UTC calendar."""
        moment = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=2)))
        assert "UTC" == WorkingCalendar.around(moment).timezone

    def test_naive_moment_is_refused(self) -> None:
        """A naive moment raises NaiveDatetime."""
        with pytest.raises(NaiveDatetime):
            WorkingCalendar.around(datetime(2026, 1, 1))


class TestIsWorkingDay:
    def test_weekend_holiday_and_recurring_holiday_are_off(self) -> None:
        """Saturdays, listed holidays and recurring holidays are not working days."""
        cal = WorkingCalendar(holidays=(date(2026, 4, 6),), recurring_holidays=XMAS)
        days = [date(2026, 3, 7), date(2026, 4, 6), date(2026, 12, 25), date(2027, 12, 26)]
        assert [False, False, False, False] == [cal.is_working_day(d) for d in days]
        assert cal.is_working_day(date(2026, 4, 7))

    def test_datetime_is_refused(self) -> None:
        """A datetime instead of a date raises ValidationError."""
        with pytest.raises(ValidationError, match=r"datetime\.date"):
            WorkingCalendar().is_working_day(datetime(2026, 1, 5, tzinfo=UTC))


class TestIsWorkingTime:
    def test_opening_is_in_closing_is_out(self) -> None:
        """Working hours are half-open: 9:00 is in, 17:00 is out."""
        cal = WorkingCalendar()
        monday = datetime(2026, 3, 2, tzinfo=UTC)
        assert (True, False, False) == (
            cal.is_working_time(monday.replace(hour=9)),
            cal.is_working_time(monday.replace(hour=17)),
            cal.is_working_time(monday.replace(hour=8, minute=59)),
        )

    def test_local_hours_apply_to_any_input_zone(self) -> None:
        """08:30 UTC in winter is 09:30 in Berlin, so it is working time there."""
        cal = WorkingCalendar(timezone="Europe/Berlin")
        assert cal.is_working_time(datetime(2026, 1, 5, 8, 30, tzinfo=UTC))


class TestWorkingTimeBetween:
    def test_friday_evening_to_monday_morning(self) -> None:
        """Friday 18:00 to Monday 10:00 holds one working hour (Monday 9-10)."""
        cal = WorkingCalendar()
        start, end = datetime(2026, 3, 6, 18, tzinfo=UTC), datetime(2026, 3, 9, 10, tzinfo=UTC)
        assert timedelta(hours=1) == cal.working_time_between(start, end)

    def test_across_a_weekend(self) -> None:
        """Friday 16:00 to Monday 10:00 holds two working hours."""
        cal = WorkingCalendar()
        start, end = datetime(2026, 3, 6, 16, tzinfo=UTC), datetime(2026, 3, 9, 10, tzinfo=UTC)
        assert timedelta(hours=2) == cal.working_time_between(start, end)

    def test_across_a_weekend_and_a_holiday(self) -> None:
        """Friday 16:00 to Tuesday 10:00 over Easter Monday holds two working hours."""
        cal = WorkingCalendar(holidays=(date(2026, 4, 6),))
        start, end = datetime(2026, 4, 3, 16, tzinfo=UTC), datetime(2026, 4, 7, 10, tzinfo=UTC)
        assert timedelta(hours=2) == cal.working_time_between(start, end)

    def test_across_recurring_christmas(self) -> None:
        """Thursday 24 Dec 16:00 to Monday 28 Dec 10:00 skips Christmas and the weekend."""
        cal = WorkingCalendar(recurring_holidays=XMAS)
        start, end = datetime(2026, 12, 24, 16, tzinfo=UTC), datetime(2026, 12, 28, 10, tzinfo=UTC)
        assert timedelta(hours=2) == cal.working_time_between(start, end)

    def test_across_a_daylight_saving_change(self) -> None:
        """Over Berlin's spring-forward weekend, Friday 16:00 to Monday 10:00 is still 2 hours."""
        cal = WorkingCalendar(timezone="Europe/Berlin")
        start = datetime(2026, 3, 27, 16, tzinfo=BERLIN)
        end = datetime(2026, 3, 30, 10, tzinfo=BERLIN)
        assert (timedelta(hours=2), timedelta(hours=65)) == (
            cal.working_time_between(start, end),
            end.astimezone(UTC) - start.astimezone(UTC),
        )

    def test_reversed_span_is_zero(self) -> None:
        """An end before the start gives zero working time."""
        cal = WorkingCalendar()
        start = datetime(2026, 3, 3, 12, tzinfo=UTC)
        assert timedelta(0) == cal.working_time_between(start, start - timedelta(hours=5))

    def test_naive_datetimes_are_refused(self) -> None:
        """Naive datetimes raise NaiveDatetime."""
        with pytest.raises(NaiveDatetime):
            WorkingCalendar().working_time_between(
                datetime(2026, 1, 5), datetime(2026, 1, 6, tzinfo=UTC)
            )

    @given(moments, moments)
    def test_never_more_than_wall_clock(self, a: datetime, b: datetime) -> None:
        """Working time between two moments is between zero and the wall-clock time."""
        got = WorkingCalendar().working_time_between(a, b)
        assert timedelta(0) <= got <= max(b - a, timedelta(0))

    @given(moments, spans, spans)
    def test_is_additive(self, a: datetime, first: timedelta, second: timedelta) -> None:
        """Working time over [a, c) is the sum over [a, b) and [b, c)."""
        cal = WorkingCalendar(timezone="Europe/Berlin", recurring_holidays=XMAS)
        b, c = a + first, a + first + second
        assert cal.working_time_between(a, c) == cal.working_time_between(
            a, b
        ) + cal.working_time_between(b, c)


class TestAddWorkingTime:
    def test_friday_evening_plus_eight_hours_is_monday_close(self) -> None:
        """Eight working hours from Friday 18:00 end on Monday at 17:00."""
        deadline = WorkingCalendar().add_working_time(
            datetime(2026, 3, 6, 18, tzinfo=UTC), timedelta(hours=8)
        )
        assert datetime(2026, 3, 9, 17, tzinfo=UTC) == deadline

    def test_skips_a_holiday(self) -> None:
        """Two working hours from Friday 16:00 before Easter Monday end on Tuesday 10:00."""
        cal = WorkingCalendar(holidays=(date(2026, 4, 6),))
        deadline = cal.add_working_time(datetime(2026, 4, 3, 16, tzinfo=UTC), timedelta(hours=2))
        assert datetime(2026, 4, 7, 10, tzinfo=UTC) == deadline

    def test_result_is_in_the_calendar_zone(self) -> None:
        """The deadline is expressed in the calendar's zone."""
        deadline = WorkingCalendar(timezone="Europe/Berlin").add_working_time(
            datetime(2026, 1, 5, 8, tzinfo=UTC), timedelta(hours=1)
        )
        assert (datetime(2026, 1, 5, 10, tzinfo=BERLIN), "Europe/Berlin") == (
            deadline,
            str(deadline.tzinfo),
        )

    def test_negative_duration_is_refused(self) -> None:
        """A negative duration raises ValidationError."""
        with pytest.raises(ValidationError, match=">= 0"):
            WorkingCalendar().add_working_time(
                datetime(2026, 1, 5, tzinfo=UTC), timedelta(hours=-1)
            )

    def test_calendar_without_working_days_is_refused(self) -> None:
        """A calendar whose holidays cover every day raises rather than looping forever."""
        cal = WorkingCalendar(recurring_holidays=("FREQ=DAILY",))
        with pytest.raises(ValidationError, match="no working time"):
            cal.add_working_time(datetime(2026, 1, 5, tzinfo=UTC), timedelta(hours=1))

    @given(moments, spans)
    def test_is_the_inverse_of_working_time_between(self, start: datetime, span: timedelta) -> None:
        """The working time from start to start plus span is exactly span."""
        cal = WorkingCalendar(timezone="Europe/Berlin", holidays=(date(2026, 5, 1),))
        span = timedelta(seconds=span // timedelta(seconds=1))
        assert span == cal.working_time_between(start, cal.add_working_time(start, span))
