"""Specification of Period: half-open spans of aware time on the calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from salesmark import NaiveDatetime, Period, ValidationError
from strategies import periods

UTC = timezone.utc


class TestConstructors:
    def test_month_in_a_zone_starts_at_local_midnight(self) -> None:
        """A month in Berlin starts at local midnight on the 1st and ends at the next 1st."""
        berlin = ZoneInfo("Europe/Berlin")
        march = Period.month(2026, 3, berlin)
        assert (datetime(2026, 3, 1, tzinfo=berlin), datetime(2026, 4, 1, tzinfo=berlin)) == (
            march.start,
            march.end,
        )
        assert timedelta(days=31) - timedelta(hours=1) == march.duration  # the clocks go forward

    def test_quarter(self) -> None:
        """Q3 runs from 1 July to 1 October."""
        q3 = Period.quarter(2026, 3)
        assert (date(2026, 7, 1), date(2026, 10, 1)) == (q3.start.date(), q3.end.date())

    def test_fiscal_year_is_named_by_its_end(self) -> None:
        """With an April start, fiscal 2027 runs from April 2026 to March 2027."""
        fy = Period.fiscal_year(2027, start_month=4)
        assert (date(2026, 4, 1), date(2027, 4, 1)) == (fy.start.date(), fy.end.date())
        assert Period.fiscal_year(2026) == Period.between(
            datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        )

    def test_fiscal_quarters_tile_the_fiscal_year(self) -> None:
        """The four fiscal quarters of a year with any start month cover it without gaps."""
        for start_month in range(1, 13):
            quarters = [
                Period.fiscal_quarter(2027, q, start_month=start_month) for q in (1, 2, 3, 4)
            ]
            year = Period.fiscal_year(2027, start_month=start_month)
            assert year.start == quarters[0].start
            assert year.end == quarters[-1].end
            assert all(a.end == b.start for a, b in pairwise(quarters))

    def test_iso_week(self) -> None:
        """ISO week 1 of 2026 starts on Monday 29 December 2025."""
        week = Period.iso_week(2026, 1)
        assert (date(2025, 12, 29), 0) == (week.start.date(), week.start.weekday())
        assert timedelta(days=7) == week.duration

    def test_rolling_window(self) -> None:
        """A rolling window ends where it is anchored."""
        end = datetime(2026, 3, 31, tzinfo=UTC)
        assert Period.between(end - timedelta(days=30), end) == Period.rolling(
            end, timedelta(days=30)
        )
        assert date(2025, 12, 31) == Period.rolling(end, relativedelta(months=3)).start.date()

    @pytest.mark.parametrize(
        ("make", "match"),
        [
            (lambda: Period.month(2026, 13), "month must be a whole number from 1 to 12"),
            (lambda: Period.quarter(2026, 0), "quarter must be a whole number from 1 to 4"),
            (lambda: Period.fiscal_year(2026, start_month=0), "start_month"),
            (lambda: Period.iso_week(2026, 54), "week must be a whole number from 1 to 53"),
            (
                lambda: Period.between(
                    datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
                ),
                "end must be after",
            ),
        ],
    )
    def test_bad_arguments(self, make: object, match: str) -> None:
        """Out-of-range calendar numbers and backwards spans are refused with the value."""
        with pytest.raises(ValidationError, match=match):
            make()  # type: ignore[operator]

    def test_naive_datetimes_are_refused(self) -> None:
        """A naive start, end or moment raises NaiveDatetime, which says so."""
        with pytest.raises(NaiveDatetime, match="timezone-aware"):
            Period.between(datetime(2026, 1, 1), datetime(2026, 2, 1, tzinfo=UTC))
        with pytest.raises(NaiveDatetime, match="moment"):
            Period.month(2026, 1).contains(datetime(2026, 1, 5))


class TestQueries:
    def test_half_open(self) -> None:
        """The start is inside, the end is not."""
        jan = Period.month(2026, 1)
        assert jan.contains(jan.start)
        assert not jan.contains(jan.end)

    def test_next_and_previous_months_have_their_own_lengths(self) -> None:
        """The month after January is February with 28 days; the quarter before Q1 is last year's Q4."""
        assert Period.month(2026, 2) == Period.month(2026, 1).next()
        assert Period.quarter(2025, 4) == Period.quarter(2026, 1).previous()
        assert Period.fiscal_year(2028, 4) == Period.fiscal_year(2027, 4).next()

    def test_overlaps(self) -> None:
        """Adjacent periods do not overlap; nested ones do."""
        assert not Period.month(2026, 1).overlaps(Period.month(2026, 2))
        assert Period.month(2026, 2).overlaps(Period.quarter(2026, 1))

    def test_split_with_bad_step(self) -> None:
        """A zero step cannot split a period."""
        with pytest.raises(ValidationError, match="positive step"):
            Period.month(2026, 1).split(timedelta(0))

    @given(
        periods(),
        st.sampled_from(
            [timedelta(hours=7), timedelta(days=1), relativedelta(weeks=1), relativedelta(months=1)]
        ),
    )
    def test_split_tiles_without_gaps(
        self, period: Period, step: timedelta | relativedelta
    ) -> None:
        """The parts of a split start at the start, end at the end and touch each other."""
        parts = period.split(step)
        assert period.start == parts[0].start
        assert period.end == parts[-1].end
        assert all(a.end == b.start for a, b in pairwise(parts))

    @given(periods())
    def test_next_and_previous_touch(self, period: Period) -> None:
        """next() starts where the period ends and previous() ends where it starts."""
        assert period.end == period.next().start
        assert period.start == period.previous().end
