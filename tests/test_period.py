"""Specification of Period: half-open spans of aware time on the calendar."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import NaiveDatetime, Period, SalesmarkError, ValidationError, WrongType
from salesmark import period as period_module
from salesmark.testing.strategies import FIXED_ZONES, ZONES, aware_datetimes, periods

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
calendar_periods = st.builds(
    lambda kind, year, n, zone: {
        "month": lambda: Period.month(year, n, zone),
        "quarter": lambda: Period.quarter(year, (n - 1) // 3 + 1, zone),
        "fiscal_quarter": lambda: Period.fiscal_quarter(year, (n - 1) // 3 + 1, n, zone),
        "fiscal_year": lambda: Period.fiscal_year(year, n, zone),
    }[kind](),
    st.sampled_from(["month", "quarter", "fiscal_quarter", "fiscal_year"]),
    st.integers(2021, 2029),
    st.integers(1, 12),
    st.sampled_from(ZONES),
)
BAD_INPUT_EXAMPLES = 200
TIME_BOUND = 2.0  # seconds, for calls that take microseconds
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-3, 10_000),
    st.sampled_from([0, 1, 4, 12, 53, 9999, 10**400]),
    st.floats(),
    st.text(max_size=5),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.datetimes(min_value=datetime(9999, 12, 1), timezones=st.timezones()),
    st.datetimes(max_value=datetime(1, 2, 1), timezones=st.timezones()),
    st.dates(),
    st.timedeltas(),
    st.timezones(),
    st.sampled_from(
        [relativedelta(months=1), relativedelta(months=-1, days=40), relativedelta(day=31)]
    ),
    st.lists(st.integers(), max_size=2),
)


def within_bound(call: Callable[[], Any]) -> Any:
    """Run ``call``: it returns or raises a salesmark error, in bounded time."""
    began = time.perf_counter()
    try:
        return call()
    except SalesmarkError as error:
        return error
    finally:
        assert time.perf_counter() - began < TIME_BOUND


steps = st.sampled_from(
    [timedelta(hours=7), timedelta(days=1), relativedelta(weeks=1), relativedelta(months=1),
     relativedelta(months=3), timedelta(days=45)]
)  # fmt: skip


class TestBetween:
    def test_start_inside_end_outside(self) -> None:
        """A period is half-open: its start is inside, its end is not."""
        jan = Period.between(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
        assert jan.contains(jan.start)
        assert not jan.contains(jan.end)
        assert jan.contains(jan.end - timedelta(microseconds=1))

    @pytest.mark.parametrize("gap", [timedelta(0), timedelta(days=-1)])
    def test_end_must_follow_start(self, gap: timedelta) -> None:
        """An empty or backwards span is refused, showing both ends."""
        start = datetime(2026, 2, 1, tzinfo=UTC)
        with pytest.raises(ValidationError, match=r"end must be after.*2026-02-01T00:00:00\+00:00"):
            Period.between(start, start + gap)

    def test_naive_ends_are_refused(self) -> None:
        """A naive start or end raises NaiveDatetime, which says so and names the field."""
        with pytest.raises(NaiveDatetime, match=r"Period.start must be timezone-aware"):
            Period.between(datetime(2026, 1, 1), datetime(2026, 2, 1, tzinfo=UTC))
        with pytest.raises(NaiveDatetime, match=r"Period.end"):
            Period.between(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1))

    def test_ends_in_different_zones(self) -> None:
        """The two ends may be given in different zones; order is by the instant."""
        start = datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=9)))  # midnight UTC
        period = Period.between(start, datetime(2026, 1, 1, 1, tzinfo=UTC))
        assert timedelta(hours=1) == period.duration

    def test_frozen(self) -> None:
        """A period cannot be changed in place."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            Period.month(2026, 1).start = datetime(2026, 1, 2, tzinfo=UTC)  # type: ignore[misc]

    def test_repr_is_one_readable_line(self) -> None:
        """The repr shows both ends in ISO 8601."""
        assert "Period(2026-01-01T00:00:00+00:00 .. 2026-02-01T00:00:00+00:00)" == repr(
            Period.month(2026, 1)
        )

    def test_span_across_the_autumn_change(self) -> None:
        """A span from 02:30 summer time to 02:10 winter time is 40 minutes long and valid."""
        start = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0)
        end = datetime(2026, 10, 25, 2, 10, tzinfo=BERLIN, fold=1)
        assert timedelta(minutes=40) == Period.between(start, end).duration


class TestCalendarConstructors:
    def test_utc_by_default(self) -> None:
        """Without a zone, calendar periods are in UTC."""
        assert UTC == Period.month(2026, 1).start.tzinfo

    def test_month_in_a_zone_starts_at_local_midnight(self) -> None:
        """A month in Berlin starts at local midnight on the 1st and lacks the hour the clocks skip."""
        march = Period.month(2026, 3, BERLIN)
        assert (datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 4, 1, tzinfo=BERLIN)) == (
            march.start,
            march.end,
        )
        assert timedelta(days=31) - timedelta(hours=1) == march.duration
        assert timedelta(days=31) + timedelta(hours=1) == Period.month(2026, 10, BERLIN).duration

    def test_months_have_their_own_lengths(self) -> None:
        """February has 28 days, or 29 in a leap year."""
        assert (28, 29, 31) == tuple(
            Period.month(y, m).duration.days for y, m in ((2026, 2), (2028, 2), (2026, 12))
        )

    def test_quarter(self) -> None:
        """Q3 runs from 1 July to 1 October; Q4 ends on 1 January of the next year."""
        q3 = Period.quarter(2026, 3)
        assert (date(2026, 7, 1), date(2026, 10, 1)) == (q3.start.date(), q3.end.date())
        assert date(2027, 1, 1) == Period.quarter(2026, 4).end.date()

    def test_fiscal_year_is_named_by_its_end(self) -> None:
        """With an April start, fiscal 2027 runs from April 2026 to March 2027."""
        fy = Period.fiscal_year(2027, start_month=4)
        assert (date(2026, 4, 1), date(2027, 4, 1)) == (fy.start.date(), fy.end.date())
        assert Period.fiscal_year(2026) == Period.between(
            datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        )

    @pytest.mark.parametrize("start_month", range(1, 13))
    def test_fiscal_quarters_tile_the_fiscal_year(self, start_month: int) -> None:
        """The four fiscal quarters of a year with any start month cover it without gaps."""
        quarters = [Period.fiscal_quarter(2027, q, start_month=start_month) for q in (1, 2, 3, 4)]
        year = Period.fiscal_year(2027, start_month=start_month)
        assert (year.start, year.end) == (quarters[0].start, quarters[-1].end)
        assert all(a.end == b.start for a, b in pairwise(quarters))
        assert date(2026 if start_month > 1 else 2027, start_month, 1) == year.start.date()

    def test_calendar_quarter_is_fiscal_quarter_from_january(self) -> None:
        """A calendar quarter is the fiscal quarter of a year starting in January."""
        assert Period.fiscal_quarter(2026, 2, start_month=1) == Period.quarter(2026, 2)

    def test_iso_week(self) -> None:
        """ISO week 1 of 2026 starts on Monday 29 December 2025 and lasts seven days."""
        week = Period.iso_week(2026, 1)
        assert (date(2025, 12, 29), 0) == (week.start.date(), week.start.weekday())
        assert timedelta(days=7) == week.duration

    def test_iso_week_53_only_in_long_years(self) -> None:
        """2026 has an ISO week 53; 2025 does not."""
        assert date(2026, 12, 28) == Period.iso_week(2026, 53).start.date()
        with pytest.raises(ValidationError, match="week must be a whole number from 1 to 52"):
            Period.iso_week(2025, 53)

    def test_iso_week_in_a_zone(self) -> None:
        """An ISO week in a zone runs from local Monday midnight to the next."""
        week = Period.iso_week(2026, 13, BERLIN)
        assert datetime(2026, 3, 23, tzinfo=BERLIN) == week.start
        assert datetime(2026, 3, 30, tzinfo=BERLIN) == week.end

    @pytest.mark.parametrize(
        ("make", "match"),
        [
            (lambda: Period.month(2026, 13), "month must be a whole number from 1 to 12, got 13"),
            (lambda: Period.month(2026, 0), "month must be a whole number from 1 to 12, got 0"),
            (lambda: Period.month(2026, True), "month must be a whole number"),
            (lambda: Period.month(2026, 1.0), "month must be a whole number"),
            (lambda: Period.quarter(2026, 0), "quarter must be a whole number from 1 to 4"),
            (lambda: Period.quarter(2026, 5), "quarter must be a whole number from 1 to 4"),
            (lambda: Period.fiscal_year(2026, start_month=0), "start_month"),
            (lambda: Period.fiscal_quarter(2026, 1, start_month=13), "start_month"),
            (lambda: Period.iso_week(2026, 0), "week must be a whole number from 1 to 53"),
            (lambda: Period.iso_week(2026, 54), "week must be a whole number from 1 to 53"),
        ],
    )
    def test_bad_calendar_numbers(self, make: Callable[[], Period], match: str) -> None:
        """Out-of-range calendar numbers are refused with the value received."""
        with pytest.raises(ValidationError, match=match):
            make()

    @pytest.mark.parametrize(
        "make",
        [lambda: Period.month(0, 1), lambda: Period.iso_week(10_000, 1),
         lambda: Period.quarter("2026", 1)],  # type: ignore[arg-type]
    )  # fmt: skip
    def test_bad_year(self, make: Callable[[], Period]) -> None:
        """A year outside 1-9999 (or not a number) is a ValidationError naming the year."""
        with pytest.raises(ValidationError, match="year"):
            make()


class TestRolling:
    def test_ends_where_it_is_anchored(self) -> None:
        """A rolling window ends (exclusive) at its anchor and reaches back its length."""
        end = datetime(2026, 3, 31, tzinfo=UTC)
        assert Period.between(end - timedelta(days=30), end) == Period.rolling(
            end, timedelta(days=30)
        )
        assert date(2025, 12, 31) == Period.rolling(end, relativedelta(months=3)).start.date()

    @pytest.mark.parametrize("length", [timedelta(0), timedelta(days=-1), relativedelta(months=-1)])
    def test_length_must_be_positive(self, length: timedelta | relativedelta) -> None:
        """A window of no or negative length is refused."""
        with pytest.raises(ValidationError, match="end must be after"):
            Period.rolling(datetime(2026, 3, 31, tzinfo=UTC), length)

    def test_naive_anchor_is_refused(self) -> None:
        """The anchor must be aware."""
        with pytest.raises(NaiveDatetime):
            Period.rolling(datetime(2026, 3, 31), timedelta(days=1))


class TestContains:
    def test_moments_in_other_zones(self) -> None:
        """Membership is decided by the instant, whatever zone the moment is shown in."""
        jan = Period.month(2026, 1)  # UTC
        tokyo = timezone(timedelta(hours=9))
        assert jan.contains(datetime(2026, 2, 1, 8, 59, tzinfo=tokyo))  # 23:59 UTC on 31 Jan
        assert not jan.contains(datetime(2026, 2, 1, 9, 0, tzinfo=tokyo))

    def test_naive_moment_is_refused(self) -> None:
        """A naive moment raises NaiveDatetime naming the argument."""
        with pytest.raises(NaiveDatetime, match="moment"):
            Period.month(2026, 1).contains(datetime(2026, 1, 5))

    @given(periods(), aware_datetimes())
    def test_agrees_with_instants(self, period: Period, moment: datetime) -> None:
        """contains is start <= moment < end on the UTC time line."""
        utc = [d.astimezone(UTC) for d in (period.start, moment, period.end)]
        assert (utc[0] <= utc[1] < utc[2]) == period.contains(moment)

    def test_ambiguous_hour(self) -> None:
        """02:30 summer time is not inside the winter-time hour from 02:00 to 03:00."""
        winter_hour = Period.between(
            datetime(2026, 10, 25, 2, 0, tzinfo=BERLIN, fold=1),
            datetime(2026, 10, 25, 3, 0, tzinfo=BERLIN),
        )
        assert not winter_hour.contains(datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0))


class TestOverlaps:
    def test_adjacent_and_nested(self) -> None:
        """Adjacent periods do not overlap; nested ones do."""
        assert not Period.month(2026, 1).overlaps(Period.month(2026, 2))
        assert Period.month(2026, 2).overlaps(Period.quarter(2026, 1))

    @given(periods(), periods())
    def test_symmetric_and_agrees_with_contains(self, a: Period, b: Period) -> None:
        """Overlap is symmetric, and holds exactly when one period contains the other's start."""
        assert a.overlaps(b) == b.overlaps(a)
        assert a.overlaps(b) == (a.contains(b.start) or b.contains(a.start))


class TestDuration:
    def test_counts_elapsed_time_across_dst(self) -> None:
        """The duration is real elapsed time: the spring week in Berlin has 167 hours."""
        assert timedelta(hours=167) == Period.iso_week(2026, 13, BERLIN).duration
        assert timedelta(days=7) == Period.iso_week(2026, 13, UTC).duration

    @given(periods())
    def test_positive(self, period: Period) -> None:
        """Every period lasts some time."""
        assert timedelta(0) < period.duration


class TestSplit:
    def test_last_part_may_be_shorter(self) -> None:
        """January split into 10-day parts gives three of 10 days and one of 1 day."""
        parts = Period.month(2026, 1).split(timedelta(days=10))
        assert [10, 10, 10, 1] == [p.duration.days for p in parts]

    def test_months_from_the_31st_do_not_drift(self) -> None:
        """Monthly parts from 31 January end on the last day of each month, not the 28th."""
        span = Period.between(datetime(2026, 1, 31, tzinfo=UTC), datetime(2026, 5, 31, tzinfo=UTC))
        assert [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)] == [
            p.end.date() for p in span.split(relativedelta(months=1))
        ]

    def test_quarter_into_months(self) -> None:
        """A quarter splits into its three calendar months."""
        q1 = Period.quarter(2026, 1, BERLIN)
        assert tuple(Period.month(2026, m, BERLIN) for m in (1, 2, 3)) == q1.split(
            relativedelta(months=1)
        )

    @pytest.mark.parametrize("step", [timedelta(0), timedelta(hours=-1), relativedelta(months=-1)])
    def test_bad_step(self, step: timedelta | relativedelta) -> None:
        """A zero or negative step cannot split a period."""
        with pytest.raises(ValidationError, match="positive step"):
            Period.month(2026, 1).split(step)

    @given(periods(), steps)
    def test_tiles_without_gaps(self, period: Period, step: timedelta | relativedelta) -> None:
        """The parts start at the start, end at the end, touch each other and never overlap."""
        parts = period.split(step)
        assert (period.start, period.end) == (parts[0].start, parts[-1].end)
        assert all(a.end == b.start for a, b in pairwise(parts))
        assert sum((p.duration for p in parts), timedelta(0)) == period.duration


class TestNextAndPrevious:
    def test_months_quarters_and_years(self) -> None:
        """The month after January is February; the quarter before Q1 is last year's Q4."""
        assert Period.month(2026, 2) == Period.month(2026, 1).next()
        assert Period.month(2025, 12) == Period.month(2026, 1).previous()
        assert Period.quarter(2025, 4) == Period.quarter(2026, 1).previous()
        assert Period.fiscal_year(2028, 4) == Period.fiscal_year(2027, 4).next()

    def test_weeks_step_by_a_week(self) -> None:
        """The week after the last ISO week of 2026 is week 1 of 2027."""
        assert Period.iso_week(2027, 1) == Period.iso_week(2026, 53).next()
        assert Period.iso_week(2026, 53) == Period.iso_week(2027, 1).previous()

    def test_months_in_a_zone_keep_local_midnight(self) -> None:
        """Next month in Berlin starts at local midnight although the clocks changed."""
        assert Period.month(2026, 4, BERLIN) == Period.month(2026, 3, BERLIN).next()
        assert Period.month(2026, 10, BERLIN) == Period.month(2026, 11, BERLIN).previous()

    @given(periods())
    def test_touch(self, period: Period) -> None:
        """next() starts where the period ends and previous() ends where it starts."""
        assert period.end == period.next().start
        assert period.start == period.previous().end

    @given(calendar_periods)
    def test_calendar_periods_step_to_their_neighbours(self, period: Period) -> None:
        """For calendar periods, next().previous() and previous().next() give the period back."""
        assert period == period.next().previous()
        assert period == period.previous().next()

    @given(
        st.integers(2021, 2029),
        st.integers(1, 51),
        st.sampled_from(FIXED_ZONES),
    )
    def test_weeks_in_fixed_offsets(self, year: int, week: int, zone: timezone) -> None:
        """In a fixed offset the week after week n is week n + 1."""
        assert Period.iso_week(year, week + 1, zone) == Period.iso_week(year, week, zone).next()

    def test_other_spans_step_by_their_duration(self) -> None:
        """A span from 31 January to 30 April is no whole number of months: it steps by its length."""
        span = Period.between(datetime(2026, 1, 31, tzinfo=UTC), datetime(2026, 4, 30, tzinfo=UTC))
        assert Period.between(span.end, span.end + span.duration) == span.next()

    def test_week_after_the_spring_change(self) -> None:
        """In Berlin, the week after ISO week 13 of 2026 (when the clocks go forward) is week 14."""
        assert Period.iso_week(2026, 14, BERLIN) == Period.iso_week(2026, 13, BERLIN).next()


class TestSplitBound:
    @pytest.mark.parametrize(
        "step", [timedelta(microseconds=1), relativedelta(microseconds=1), timedelta(seconds=1)]
    )
    def test_too_fine_a_step_is_refused_at_once(self, step: timedelta | relativedelta) -> None:
        """Splitting a year by the microsecond raises a clear error instead of running for ever."""
        began = time.perf_counter()
        with pytest.raises(ValidationError, match="more than 100,000 parts"):
            Period.fiscal_year(2026).split(step)
        assert time.perf_counter() - began < 1

    def test_the_bound_itself_is_allowed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A split into exactly the maximum number of parts is made; one more part is refused."""
        monkeypatch.setattr(period_module, "_MAX_PARTS", 10)
        day = Period.between(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 10, tzinfo=UTC))
        assert 10 == len(day.split(timedelta(hours=1)))
        with pytest.raises(ValidationError, match="more than 10 parts"):
            Period.between(day.start, day.end + timedelta(minutes=1)).split(timedelta(hours=1))

    def test_a_step_that_goes_back_is_refused_on_the_way(self) -> None:
        """A step that moves forward once and then back is refused when it turns."""
        with pytest.raises(ValidationError, match="positive step"):
            Period.month(2026, 1).split(relativedelta(months=1, days=-30))

    def test_a_step_past_the_last_year_gives_one_part(self) -> None:
        """A step whose hundred-thousandth multiple leaves the calendar is no obstacle."""
        assert (Period.quarter(2026, 1),) == Period.quarter(2026, 1).split(relativedelta(years=1))

    @pytest.mark.parametrize("step", [None, 5, "P1M", datetime(2026, 1, 1, tzinfo=UTC)])
    def test_a_step_of_the_wrong_type(self, step: object) -> None:
        """Only a relativedelta or a timedelta can be a step."""
        with pytest.raises(WrongType, match="Period.split by"):
            Period.month(2026, 1).split(step)  # type: ignore[arg-type]


class TestArgumentTypes:
    @pytest.mark.parametrize(
        ("make", "fragment"),
        [(lambda: Period.between("2026-01-01", datetime(2026, 2, 1, tzinfo=UTC)), "Period.start"),
         (lambda: Period.between(datetime(2026, 1, 1, tzinfo=UTC), date(2026, 2, 1)), "Period.end"),
         (lambda: Period.month(2026, 1, "Europe/Berlin"), "Period.month tz"),
         (lambda: Period.fiscal_year(2026, 4, "UTC"), "Period.fiscal_year tz"),
         (lambda: Period.iso_week(2026, 1, 1), "Period.iso_week tz"),
         (lambda: Period.month("2026", 1), "year"),
         (lambda: Period.quarter(2026, 1.0), "quarter"),
         (lambda: Period.rolling("2026-03-31", timedelta(days=1)), "Period.rolling end"),
         (lambda: Period.rolling(datetime(2026, 3, 31, tzinfo=UTC), 30), "Period.rolling length"),
         (lambda: Period.month(2026, 1).contains(date(2026, 1, 5)), "moment"),
         (lambda: Period.month(2026, 1).overlaps((1, 2)), "Period.overlaps other")],
    )  # fmt: skip
    def test_wrong_types_are_named(self, make: Callable[[], object], fragment: str) -> None:
        """An argument of the wrong type raises WrongType naming it."""
        with pytest.raises(WrongType, match=fragment):
            make()

    def test_ends_before_year_one_in_utc_are_refused(self) -> None:
        """A start on 1 January of year 1 east of Greenwich is before UTC's year 1: a clear error."""
        start = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=3)))
        with pytest.raises(ValidationError, match="within the years 1-9999 in UTC"):
            Period.between(start, datetime(2000, 1, 1, tzinfo=UTC))

    def test_numbers_of_any_size_are_shown(self) -> None:
        """A year far out of range is refused with a readable message."""
        with pytest.raises(ValidationError, match="got an int of about 5,000 digits"):
            Period.month(10**5000, 1)


class TestBadInput:
    @settings(max_examples=BAD_INPUT_EXAMPLES)
    @given(anything, anything, anything, anything)
    def test_constructors(self, a: Any, b: Any, c: Any, d: Any) -> None:
        """Every named constructor gives a period or a salesmark error, in bounded time."""
        for make in (
            lambda: Period.between(a, b), lambda: Period.month(a, b, c), lambda: Period.quarter(a, b, c),
            lambda: Period.fiscal_year(a, b, c), lambda: Period.fiscal_quarter(a, b, c, d),
            lambda: Period.iso_week(a, b, c), lambda: Period.rolling(a, b),
        ):  # fmt: skip
            made = within_bound(make)
            assert isinstance(made, Period | SalesmarkError)
            if isinstance(made, Period):
                assert timedelta(0) < made.duration

    @settings(max_examples=BAD_INPUT_EXAMPLES)
    @given(periods(), anything | steps | periods())
    def test_queries(self, period: Period, other: Any) -> None:
        """Every query gives a sound answer or a salesmark error, in bounded time."""
        for ask in (lambda: period.contains(other), lambda: period.overlaps(other), lambda: period.split(other),
                    period.next, period.previous):  # fmt: skip
            answer = within_bound(ask)
            assert isinstance(answer, bool | tuple | Period | SalesmarkError)
            if isinstance(answer, tuple):
                assert (period.start, period.end) == (answer[0].start, answer[-1].end)
