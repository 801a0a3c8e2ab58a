"""Tests for salesmark.calendars: working time across weekends, holidays and DST."""

from __future__ import annotations

import time as time_module
from calendar import isleap
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark.calendars import WorkingCalendar
from salesmark.errors import NaiveDatetime, SalesmarkError, ValidationError, WrongType

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
XMAS = ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=26")

moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))
TIME_BOUND = 2.0  # seconds
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.sampled_from(
        [
            "UTC",
            "Europe/Berlin",
            "Mars/Olympus",
            "FREQ=YEARLY",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        ]
    ),
    st.sampled_from(
        [("FREQ=YEARLY;BYEASTER=1",), ("FREQ=DAILY",), ("FREQ=HOURLY",), (0, 6), (), (7,)]
    ),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.datetimes(min_value=datetime(9999, 12, 30), timezones=st.timezones()),
    st.datetimes(max_value=datetime(1, 1, 2), timezones=st.timezones()),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.just(timedelta.max),
    st.lists(st.dates(), max_size=2),
    st.lists(st.integers(-1, 7), max_size=3),
)


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the calendar's passes over a year and its looks at one day's hours."""
    calls: Counter[str] = Counter()
    for name in ("_year", "_part", "_window"):
        real = getattr(WorkingCalendar, name)

        def spy(self: WorkingCalendar, *args: Any, _real: Any = real, _name: str = name) -> Any:
            calls[_name] += 1
            return _real(self, *args)

        monkeypatch.setattr(WorkingCalendar, name, spy)
    return calls


def within_bound(call: Callable[[], Any]) -> Any:
    """Run ``call``: it returns or raises a salesmark error, in bounded time."""
    began = time_module.perf_counter()
    try:
        return call()
    except SalesmarkError as error:
        return error
    finally:
        assert time_module.perf_counter() - began < TIME_BOUND


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


def reference_working_days(cal: WorkingCalendar, year: int) -> set[date]:
    """The working days of ``year``, one by one, straight from dateutil (no closed form)."""
    first = datetime(year, 1, 1)
    off = set(cal.holidays)
    for rule in cal.recurring_holidays:
        off |= {
            d.date()
            for d in rrulestr(rule, dtstart=first).between(first, datetime(year, 12, 31), inc=True)
        }
    days = (first.date() + timedelta(days=k) for k in range(366 if isleap(year) else 365))
    return {d for d in days if d.weekday() in cal.weekdays and d not in off}


def reference_between(cal: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time walked day by day, each day's hours converted to UTC."""
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    day, last, total = (
        low.astimezone(cal.zone).date(),
        high.astimezone(cal.zone).date(),
        timedelta(0),
    )
    years: dict[int, set[date]] = {}
    while day <= last:
        if day.year not in years:
            years[day.year] = reference_working_days(cal, day.year)
        if day in years[day.year]:
            opens = datetime.combine(day, cal.opens, tzinfo=cal.zone).astimezone(UTC)
            closes = datetime.combine(day, cal.closes, tzinfo=cal.zone).astimezone(UTC)
            total += max(min(closes, high) - max(opens, low), timedelta(0))
        day += timedelta(days=1)
    return total


def reference_add(cal: WorkingCalendar, start: datetime, duration: timedelta) -> datetime:
    """The deadline walked day by day."""
    moment, remaining, day = start.astimezone(UTC), duration, start.astimezone(cal.zone).date()
    years: dict[int, set[date]] = {}
    while True:
        if day.year not in years:
            years[day.year] = reference_working_days(cal, day.year)
        if day in years[day.year]:
            opens = datetime.combine(day, cal.opens, tzinfo=cal.zone).astimezone(UTC)
            closes = datetime.combine(day, cal.closes, tzinfo=cal.zone).astimezone(UTC)
            low = max(opens, moment)
            if low < closes:
                if remaining <= closes - low:
                    return (low + remaining).astimezone(cal.zone)
                remaining -= closes - low
        day += timedelta(days=1)


HOURS = [(time(9), time(17)), (time(0), time(23, 59, 59)), (time(1, 30), time(2, 45)), (time(2, 15), time(3, 15)),
         (time(8, 30), time(12))]  # fmt: skip
RULES = ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", "FREQ=YEARLY;BYEASTER=1", "FREQ=YEARLY;BYEASTER=-2",
         "FREQ=MONTHLY;BYDAY=1MO", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"]  # fmt: skip


@st.composite
def calendars(
    draw: st.DrawFn,
    zones: tuple[str, ...] = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe"),
) -> WorkingCalendar:
    """Calendars in zones with clock changes (Lord Howe moves by 30 minutes), with holidays."""
    opens, closes = draw(st.sampled_from(HOURS))
    return WorkingCalendar(
        timezone=draw(st.sampled_from(zones)),
        weekdays=draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)),
        opens=opens,
        closes=closes,
        holidays=draw(st.lists(st.dates(date(2019, 6, 1), date(2031, 6, 1)), max_size=4)),
        recurring_holidays=draw(st.lists(st.sampled_from(RULES), max_size=3, unique=True)),
    )


spans_in_months = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120))
anywhere = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


class TestClosedForm:
    @settings(max_examples=150)
    @given(calendars(), anywhere, spans_in_months)
    def test_agrees_with_walking_day_by_day(
        self, cal: WorkingCalendar, start: datetime, span: timedelta
    ) -> None:
        """Over spans of up to four months the closed form equals a day-by-day walk."""
        shown = start.astimezone(cal.zone)
        assert reference_between(cal, start, start + span) == cal.working_time_between(
            shown, start + span
        )

    @settings(max_examples=100)
    @given(
        calendars(), anywhere, st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=600))
    )
    def test_deadlines_agree_with_walking_day_by_day(
        self, cal: WorkingCalendar, start: datetime, span: timedelta
    ) -> None:
        """add_working_time gives the deadline a day-by-day walk gives."""
        assert reference_add(cal, start, span) == cal.add_working_time(start, span)

    @settings(max_examples=25)
    @given(
        calendars(zones=("Europe/Berlin", "Australia/Lord_Howe", "UTC")),
        st.lists(
            st.datetimes(
                min_value=datetime(1, 1, 3),
                max_value=datetime(9999, 12, 29),
                timezones=st.just(UTC),
            ),
            min_size=3,
            max_size=3,
        ),
    )
    def test_is_additive_across_the_centuries(
        self, cal: WorkingCalendar, moments: list[datetime]
    ) -> None:
        """Working time over [a, c) is the sum over [a, b) and [b, c), for any three instants in 1-9999."""
        a, b, c = sorted(moments)
        assert cal.working_time_between(a, c) == cal.working_time_between(
            a, b
        ) + cal.working_time_between(b, c)

    @settings(max_examples=40)
    @given(
        calendars(),
        anywhere,
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=300_000)),
    )
    def test_far_deadlines_invert_the_span(
        self, cal: WorkingCalendar, start: datetime, span: timedelta
    ) -> None:
        """A deadline centuries away holds exactly the working time asked for."""
        span = timedelta(seconds=span // timedelta(seconds=1))
        available = cal.working_time_between(start, datetime.max.replace(tzinfo=UTC))
        if span > available:
            with pytest.raises(ValidationError, match="no working time left"):
                cal.add_working_time(start, span)
        else:
            assert span == cal.working_time_between(start, cal.add_working_time(start, span))

    def test_year_one_to_9999_in_closed_form(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The whole calendar of datetime is counted year by year (not day by day), and matches arithmetic."""
        calls = _count_calls(monkeypatch)
        cal = WorkingCalendar()
        got = cal.working_time_between(
            datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        )
        days = (date.max - date.min).days + 1
        whole_weeks, rest = divmod(days, 7)
        weekdays = whole_weeks * 5 + sum(
            1 for k in range(rest) if (date.min + timedelta(days=whole_weeks * 7 + k)).weekday() < 5
        )
        assert timedelta(hours=8) * weekdays == got
        # 3,652,059 days: at most one pass a year, and a day-by-day look only at the two ends
        assert calls["_year"] <= 9999
        assert (calls["_part"], calls["_window"]) <= (4, 4)

    def test_year_9999_sla_answers_in_closed_form(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Business hours from 2026 to the year 9999 in Berlin with Easter holidays go year by year."""
        calls = _count_calls(monkeypatch)
        cal = WorkingCalendar(timezone="Europe/Berlin", recurring_holidays=RULES)
        cal.working_time_between(
            datetime(2026, 1, 5, tzinfo=UTC), datetime(9999, 12, 1, tzinfo=UTC)
        )
        deadline = cal.add_working_time(datetime(2026, 1, 5, tzinfo=UTC), timedelta(days=400_000))
        assert 9 < deadline.year < 9999
        # 7,974 years each way: one pass a year, the ends looked at day by day
        assert calls["_year"] <= 2 * 7974
        assert (calls["_part"], calls["_window"]) <= (8, 8)

    def test_a_clock_change_inside_working_hours_counts(self) -> None:
        """On Berlin's spring-forward Sunday, hours from 01:00 to 04:00 last two hours."""
        cal = WorkingCalendar(
            timezone="Europe/Berlin", weekdays=(6,), opens=time(1), closes=time(4)
        )
        sunday = datetime(2026, 3, 29, tzinfo=BERLIN)
        assert timedelta(hours=2) == cal.working_time_between(sunday, sunday + timedelta(days=1))

    def test_lord_howe_moves_by_half_an_hour(self) -> None:
        """On Lord Howe the first Sunday of October loses thirty minutes of a 01:00-04:00 day."""
        cal = WorkingCalendar(
            timezone="Australia/Lord_Howe", weekdays=(6,), opens=time(1), closes=time(4)
        )
        sunday = datetime(2026, 10, 4, tzinfo=ZoneInfo("Australia/Lord_Howe"))
        assert timedelta(hours=2, minutes=30) == cal.working_time_between(
            sunday, sunday + timedelta(days=1)
        )


class TestHolidayRules:
    def test_easter_rules(self) -> None:
        """Good Friday and Easter Monday follow Easter from year to year."""
        cal = WorkingCalendar(
            recurring_holidays=("FREQ=YEARLY;BYEASTER=-2", "FREQ=YEARLY;BYEASTER=1")
        )
        days = [
            date(2026, 4, 3),
            date(2026, 4, 6),
            date(2027, 3, 26),
            date(2027, 3, 29),
            date(2027, 4, 5),
        ]
        assert [False, False, False, False, True] == [cal.is_working_day(d) for d in days]

    def test_a_rule_until_a_date(self) -> None:
        """A holiday abolished after 2027 is off in 2026 and 2027 only."""
        cal = WorkingCalendar(
            recurring_holidays=("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24;UNTIL=20271231T000000",)
        )
        days = [date(2026, 12, 24), date(2027, 12, 24), date(2029, 12, 24)]
        assert [False, False, True] == [cal.is_working_day(d) for d in days]

    @pytest.mark.parametrize(
        ("rule", "fragment"),
        [("FREQ=HOURLY", "whole days"), ("FREQ=SECONDLY", "whole days"),
         ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25;BYHOUR=9", "whole days"),
         ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never falls on any day"),
         ("FREQ=MONTHLY;INTERVAL=12;BYMONTH=2", "never falls on any day"),
         ("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", "never falls on any day")],
    )  # fmt: skip
    def test_rules_that_name_no_day_are_refused(self, rule: str, fragment: str) -> None:
        """Sub-daily rules and rules that fall on no day are refused when the calendar is made."""
        began = time_module.perf_counter()
        with pytest.raises(ValidationError, match=fragment):
            WorkingCalendar(recurring_holidays=(rule,))
        assert time_module.perf_counter() - began < 2


class TestArguments:
    @pytest.mark.parametrize(
        ("kwargs", "fragment"),
        [({"timezone": 5}, "WorkingCalendar.timezone"), ({"weekdays": 5}, "WorkingCalendar.weekdays"),
         ({"weekdays": (1.0,)}, "whole numbers 0"), ({"opens": "09:00"}, "WorkingCalendar.opens"),
         ({"holidays": 5}, "WorkingCalendar.holidays"), ({"holidays": ("2026-01-01",)}, "datetime.date values"),
         ({"recurring_holidays": (5,)}, r"recurring_holidays\[0\]"), ({"recurring_holidays": None}, "RRULE")],
    )  # fmt: skip
    def test_fields_of_the_wrong_type(self, kwargs: dict[str, object], fragment: str) -> None:
        """A field of the wrong type raises WrongType naming it."""
        with pytest.raises(WrongType, match=fragment):
            WorkingCalendar(**kwargs)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("ask", "fragment"),
        [(lambda c: c.is_working_day("2026-01-05"), "is_working_day day"),
         (lambda c: c.is_working_time(date(2026, 1, 5)), "is_working_time at"),
         (lambda c: c.working_time_between(1, 2), "working_time_between start"),
         (lambda c: c.add_working_time(datetime(2026, 1, 5, tzinfo=UTC), 3600), "add_working_time duration"),
         (lambda c: WorkingCalendar.around("Europe/Berlin"), "around moment"),
         (lambda c: WorkingCalendar.standard("UTC", holidays=5), "holidays")],
    )  # fmt: skip
    def test_arguments_of_the_wrong_type(
        self, ask: Callable[[WorkingCalendar], object], fragment: str
    ) -> None:
        """An argument of the wrong type raises WrongType naming it."""
        with pytest.raises(WrongType, match=fragment):
            ask(WorkingCalendar())

    @pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12", "UTC"])
    def test_the_ends_of_time(self, zone: str) -> None:
        """The first and last instants datetime can hold give sound answers in the extreme zones."""
        cal = WorkingCalendar(timezone=zone, weekdays=range(7), opens=time(0), closes=time(23, 59))
        first, last = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        total = cal.working_time_between(first, last)
        assert timedelta(0) < total <= last - first
        assert (bool, bool) == (type(cal.is_working_time(last)), type(cal.is_working_time(first)))
        with pytest.raises(ValidationError):
            cal.add_working_time(last - timedelta(hours=1), timedelta(hours=2))

    def test_instants_beyond_utc_are_held_at_its_ends(self) -> None:
        """The last instant west of UTC and the first east of it count like the ends of UTC."""
        cal = WorkingCalendar(weekdays=range(7), opens=time(0), closes=time(23, 59))
        west = datetime.max.replace(tzinfo=timezone(-timedelta(hours=5)))
        east = datetime.min.replace(tzinfo=timezone(timedelta(hours=5)))
        # UTC ends at 9999-12-31T23:59:59.999999 and starts at 0001-01-01T00:00
        assert (timedelta(hours=18, minutes=59, microseconds=1), timedelta(hours=19)) == (
            cal.working_time_between(west - timedelta(days=1), west),
            cal.working_time_between(east, east + timedelta(days=1)),
        )


class TestBadInput:
    @settings(max_examples=200)
    @given(
        st.dictionaries(
            st.sampled_from(
                ["timezone", "weekdays", "opens", "closes", "holidays", "recurring_holidays"]
            ),
            anything,
            max_size=3,
        )
    )
    def test_construction(self, kwargs: dict[str, Any]) -> None:
        """Any field values give a calendar or a salesmark error, in bounded time."""
        assert isinstance(
            within_bound(lambda: WorkingCalendar(**kwargs)), WorkingCalendar | SalesmarkError
        )
        values = [*kwargs.values(), None, None]
        made = within_bound(lambda: WorkingCalendar.standard(values[0], values[1]))
        assert isinstance(made, WorkingCalendar | SalesmarkError)

    @settings(max_examples=200)
    @given(
        calendars(zones=("UTC", "Europe/Berlin", "Pacific/Kiritimati", "Etc/GMT+12")),
        anything,
        anything,
    )
    def test_queries(self, cal: WorkingCalendar, a: Any, b: Any) -> None:
        """Every query gives a sound answer or a salesmark error, in bounded time."""
        for ask in (lambda: cal.is_working_day(a), lambda: cal.is_working_time(a), lambda: cal.working_time_between(a, b),
                    lambda: cal.add_working_time(a, b), lambda: WorkingCalendar.around(a)):  # fmt: skip
            answer = within_bound(ask)
            assert isinstance(
                answer, bool | timedelta | datetime | WorkingCalendar | SalesmarkError
            )
            if isinstance(answer, timedelta):
                assert timedelta(0) <= answer <= max(b - a, timedelta(0))
