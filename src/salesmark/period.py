"""Periods: half-open ``[start, end)`` spans of timezone-aware time.

Calendar periods (month, quarter, fiscal quarter and fiscal year with any start month,
ISO week) and rolling windows are built with ``dateutil.relativedelta`` in the time
zone you give, so a month in Berlin starts at local midnight on the 1st.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta, timezone, tzinfo

import attrs
from dateutil.relativedelta import relativedelta

from salesmark import _validators as v
from salesmark._time import Instant, elapsed, instant, require_aware
from salesmark.errors import ValidationError, WrongType
from salesmark.money import _shown

__all__ = ["Period"]

_MAX_PARTS = 100_000
"""The most parts :meth:`Period.split` makes; a finer step is refused."""

_Step = relativedelta | timedelta


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"Period {name} must be a whole number from {low} to {high}, got {_shown(value)}"
        raise WrongType(msg)
    if not low <= value <= high:
        msg = f"Period {name} must be a whole number from {low} to {high}, got {_shown(value)}"
        raise ValidationError(msg)


def _moment(value: object, name: str) -> datetime:
    """``value`` if it is a timezone-aware datetime (WrongType if not a datetime at all)."""
    return require_aware(v.require(value, datetime, name), name)


def _length(value: object, name: str) -> _Step:
    if not isinstance(value, relativedelta | timedelta):
        msg = f"{name} must be a relativedelta or a timedelta, got {value!r}"
        raise WrongType(msg)
    return value


def _shift(moment: datetime, by: relativedelta | timedelta, what: str) -> datetime:
    """``moment + by``, or a clear error when that leaves the years datetime can hold."""
    try:
        return moment + by
    except (OverflowError, ValueError):
        msg = f"{what} runs outside the years {MINYEAR}-{MAXYEAR}: {moment.isoformat()} + {by!r}"
        raise ValidationError(msg) from None


def _year(year: int) -> int:
    _check_range("year", year, MINYEAR, MAXYEAR)
    return year


def _tz(tz: tzinfo | None, name: str) -> tzinfo:
    zone = v.require_optional(tz, tzinfo, name)  # type: ignore[type-abstract]
    return timezone.utc if zone is None else zone


@attrs.frozen(kw_only=True)
class Period:
    """A half-open span of time ``[start, end)``.

    Attributes:
        start: The first instant inside the period (timezone-aware).
        end: The first instant after the period (timezone-aware, after ``start``).

    Example:
        >>> q3 = Period.quarter(2026, 3)
        >>> q3
        Period(2026-07-01T00:00:00+00:00 .. 2026-10-01T00:00:00+00:00)
        >>> q3.contains(datetime(2026, 9, 30, 23, 59, tzinfo=timezone.utc))
        True
        >>> [p.start.month for p in q3.split(relativedelta(months=1))]
        [7, 8, 9]
    """

    start: datetime = attrs.field(validator=[v.instance_of(datetime), v.aware])
    end: datetime = attrs.field(validator=[v.instance_of(datetime), v.aware])
    # Both ends in UTC, for comparing instants: two datetimes of one zone compare by
    # their wall clocks, which is wrong across an autumn clock change.
    _utc: tuple[Instant, Instant] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        try:
            start = Instant(self.start.astimezone(timezone.utc))
            end = Instant(self.end.astimezone(timezone.utc))
        except OverflowError:
            msg = (
                f"Period must lie within the years {MINYEAR}-{MAXYEAR} in UTC, got "
                f"start={self.start.isoformat()} end={self.end.isoformat()}"
            )
            raise ValidationError(msg) from None
        object.__setattr__(self, "_utc", (start, end))
        if end <= start:
            msg = (
                f"Period.end must be after Period.start, got start={self.start.isoformat()} "
                f"end={self.end.isoformat()}"
            )
            raise ValidationError(msg)

    def __repr__(self) -> str:
        return f"Period({self.start.isoformat()} .. {self.end.isoformat()})"

    # -- named constructors -------------------------------------------------------------

    @classmethod
    def between(cls, start: datetime, end: datetime) -> Period:
        """The period from ``start`` (inclusive) to ``end`` (exclusive).

        Example:
            >>> utc = timezone.utc
            >>> Period.between(datetime(2026, 1, 1, tzinfo=utc), datetime(2026, 1, 8, tzinfo=utc)).duration
            datetime.timedelta(days=7)
        """
        return cls(start=start, end=end)

    @classmethod
    def month(cls, year: int, month: int, tz: tzinfo | None = None) -> Period:
        """A calendar month in ``tz`` (UTC by default).

        Example:
            >>> Period.month(2026, 2).duration.days
            28
        """
        _check_range("month", month, 1, 12)
        start = datetime(_year(year), month, 1, tzinfo=_tz(tz, "Period.month tz"))
        return cls(start=start, end=_shift(start, relativedelta(months=1), "Period.month"))

    @classmethod
    def quarter(cls, year: int, quarter: int, tz: tzinfo | None = None) -> Period:
        """A calendar quarter (1-4) in ``tz`` (UTC by default).

        Example:
            >>> Period.quarter(2026, 1).end.month
            4
        """
        return cls.fiscal_quarter(year, quarter, start_month=1, tz=tz)

    @classmethod
    def fiscal_year(
        cls, fiscal_year: int, start_month: int = 1, tz: tzinfo | None = None
    ) -> Period:
        """A fiscal year that starts on the 1st of ``start_month``.

        A fiscal year is named after the calendar year in which it **ends** (the
        convention of most US companies and public bodies): with ``start_month=4``,
        fiscal year 2027 runs from 1 April 2026 to 31 March 2027. With ``start_month=1``
        it is the calendar year.

        Example:
            >>> fy = Period.fiscal_year(2027, start_month=4)
            >>> fy.start.date(), fy.end.date()
            (datetime.date(2026, 4, 1), datetime.date(2027, 4, 1))
        """
        _check_range("start_month", start_month, 1, 12)
        _check_range("year", fiscal_year, MINYEAR + (start_month != 1), MAXYEAR)
        first_year = fiscal_year if start_month == 1 else fiscal_year - 1
        start = datetime(first_year, start_month, 1, tzinfo=_tz(tz, "Period.fiscal_year tz"))
        return cls(start=start, end=_shift(start, relativedelta(years=1), "Period.fiscal_year"))

    @classmethod
    def fiscal_quarter(
        cls, fiscal_year: int, quarter: int, start_month: int = 1, tz: tzinfo | None = None
    ) -> Period:
        """Quarter 1-4 of a fiscal year starting in ``start_month`` (see :meth:`fiscal_year`).

        Example:
            >>> Period.fiscal_quarter(2027, 1, start_month=4).start.date()
            datetime.date(2026, 4, 1)
        """
        _check_range("quarter", quarter, 1, 4)
        year = cls.fiscal_year(fiscal_year, start_month, tz)
        start = year.start + relativedelta(months=3 * (quarter - 1))
        return cls(start=start, end=start + relativedelta(months=3))

    @classmethod
    def iso_week(cls, year: int, week: int, tz: tzinfo | None = None) -> Period:
        """ISO 8601 week ``week`` of ISO year ``year``, Monday to Monday.

        Example:
            >>> Period.iso_week(2026, 1).start.date()
            datetime.date(2025, 12, 29)
        """
        last_week = date(_year(year), 12, 28).isocalendar()[1]
        _check_range("week", week, 1, last_week)
        day = date.fromisocalendar(year, week, 1)
        start = datetime(day.year, day.month, day.day, tzinfo=_tz(tz, "Period.iso_week tz"))
        return cls(start=start, end=_shift(start, relativedelta(weeks=1), "Period.iso_week"))

    @classmethod
    def rolling(cls, end: datetime, length: relativedelta | timedelta) -> Period:
        """The window of ``length`` that ends (exclusive) at ``end``.

        Example:
            >>> end = datetime(2026, 3, 31, tzinfo=timezone.utc)
            >>> Period.rolling(end, relativedelta(days=30)).start.date()
            datetime.date(2026, 3, 1)
        """
        _moment(end, "Period.rolling end")
        return cls(
            start=_shift(end, -_length(length, "Period.rolling length"), "Period.rolling"), end=end
        )

    # -- queries -------------------------------------------------------------------------

    @property
    def duration(self) -> timedelta:
        """The exact elapsed time of the period (a spring month in Berlin lacks an hour)."""
        # Subtracting two datetimes of one zone ignores a DST change between them; in UTC it counts.
        return elapsed(self._utc[0], self._utc[1])

    def contains(self, moment: datetime) -> bool:
        """Whether ``moment`` lies inside ``[start, end)``.

        Example:
            >>> Period.month(2026, 1).contains(datetime(2026, 2, 1, tzinfo=timezone.utc))
            False
        """
        _moment(moment, "moment")
        start, end = self._utc
        return start <= moment < end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one instant.

        Example:
            >>> Period.month(2026, 1).overlaps(Period.quarter(2026, 1))
            True
        """
        v.require(other, Period, "Period.overlaps other")
        return self._utc[0] < other._utc[1] and other._utc[0] < self._utc[1]

    def split(self, by: relativedelta | timedelta) -> tuple[Period, ...]:
        """Cut the period into consecutive parts of length ``by``; the last may be shorter.

        Part ``k`` ends at ``start + by * k`` on the wall clock of the start's zone (so
        monthly parts from 31 January end on the last day of each month).

        Raises:
            WrongType: If ``by`` is not a relativedelta or timedelta.
            ValidationError: If ``by`` is not a positive step, or the period holds
                more than 100,000 parts of it (a year splits into its 8,760 hours, not
                into its minutes).

        Example:
            >>> len(Period.fiscal_year(2026).split(relativedelta(months=3)))
            4
        """
        _length(by, "Period.split by")
        first = _shift(self.start, by, "Period.split")
        if instant(first) <= self._utc[0]:
            msg = f"Period.split needs a positive step, got {by!r}"
            raise ValidationError(msg)
        try:
            far = instant(self.start + by * _MAX_PARTS)
        except (OverflowError, ValueError):  # beyond the years datetime holds: far enough
            far = None
        if far is not None and far < self._utc[1]:
            msg = (
                f"Period.split would make more than {_MAX_PARTS:,} parts of {by!r} out of "
                f"{self!r}; choose a longer step"
            )
            raise ValidationError(msg)
        parts: list[Period] = []
        start = self.start
        step = 1
        last = self._utc[1]
        while instant(start) < last:
            end = _shift(self.start, by * step, "Period.split")
            if instant(end) >= last:
                end = self.end
            if instant(end) <= instant(start):
                msg = f"Period.split needs a positive step, got {by!r}"
                raise ValidationError(msg)
            parts.append(Period(start=start, end=end))
            start = end
            step += 1
        return tuple(parts)

    def _step(self) -> relativedelta | timedelta:
        if self.start.tzinfo is not self.end.tzinfo:
            return self.duration
        delta = relativedelta(self.end, self.start)  # on the wall clock of the one zone
        if delta.hours == delta.minutes == delta.seconds == delta.microseconds == 0:
            if delta.days == 0 and self.start.day == self.end.day:
                return relativedelta(years=delta.years, months=delta.months)
            if delta.years == delta.months == 0:
                return relativedelta(days=delta.days)
        return self.duration

    def next(self) -> Period:
        """The period of the same length that starts where this one ends.

        Periods of whole calendar months (month, quarter, fiscal year) step by months,
        so the next month has its own number of days; periods of whole days (an ISO
        week, a 30-day window) step by calendar days in their zone, so the week after the
        week the clocks change is again Monday to Monday; other periods step by their
        exact duration.

        Example:
            >>> Period.month(2026, 1).next() == Period.month(2026, 2)
            True
        """
        return Period(start=self.end, end=_shift(self.end, self._step(), "Period.next"))

    def previous(self) -> Period:
        """The period of the same length that ends where this one starts.

        Example:
            >>> Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
            True
        """
        return Period(start=_shift(self.start, -self._step(), "Period.previous"), end=self.start)
