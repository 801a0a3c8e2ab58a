"""Working calendars: which hours count when a deadline is in business hours.

A lead captured on Friday evening is not late on Saturday morning. A
:class:`WorkingCalendar` knows the working weekdays, the working hours, the time zone
(an IANA name, evaluated with ``zoneinfo``) and the holidays (single dates and yearly
rules); the working days themselves are generated with ``dateutil.rrule``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.rrule import DAILY, rrule, rruleset, rrulestr

from salesmark import _validators as v
from salesmark._time import require_aware
from salesmark.errors import ValidationError

__all__ = ["WorkingCalendar"]

_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MAX_SEARCH_DAYS = 3_660  # ten years without a working day means the calendar is broken


def _weekdays(value: Iterable[int]) -> tuple[int, ...]:
    if isinstance(value, str | bytes):
        msg = f"WorkingCalendar.weekdays must be whole numbers 0 (Monday) to 6 (Sunday), got {value!r}"
        raise ValidationError(msg)
    days = tuple(value)
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            msg = f"WorkingCalendar.weekdays must be whole numbers 0 (Monday) to 6 (Sunday), got {days!r}"
            raise ValidationError(msg)
    if not days:
        msg = "WorkingCalendar.weekdays must name at least one working weekday, got ()"
        raise ValidationError(msg)
    return tuple(sorted(set(days)))


def _holidays(value: Iterable[date]) -> tuple[date, ...]:
    if isinstance(value, str | bytes):
        msg = f"WorkingCalendar.holidays must be dates, got {value!r}"
        raise ValidationError(msg)
    days = tuple(value)
    for day in days:
        if not isinstance(day, date) or isinstance(day, datetime):
            msg = f"WorkingCalendar.holidays must hold datetime.date values, got {day!r}"
            raise ValidationError(msg)
    return tuple(sorted(set(days)))


def _rules(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str | bytes):
        msg = f"WorkingCalendar.recurring_holidays must be a sequence of RRULE bodies, got the string {value!r}"
        raise ValidationError(msg)
    return tuple(value)


def _clock(_i: object, attribute: attrs.Attribute[Any], value: time) -> None:
    if not isinstance(value, time) or value.tzinfo is not None:
        msg = f"WorkingCalendar.{attribute.name} must be a naive datetime.time (local to the calendar's timezone), got {value!r}"
        raise ValidationError(msg)


@attrs.frozen(kw_only=True)
class WorkingCalendar:
    """The working week of a team: weekdays, hours, time zone and holidays.

    Attributes:
        timezone: An IANA time-zone name such as ``"Europe/Berlin"`` or ``"UTC"``;
            working hours and holidays are local to it (daylight saving included).
        weekdays: The working weekdays, 0 (Monday) to 6 (Sunday).
        opens: When the working day starts (local time).
        closes: When it ends (local time, after ``opens``).
        holidays: Single non-working dates.
        recurring_holidays: Yearly (or any) non-working days as RFC 5545 ``RRULE``
            bodies, e.g. ``"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"``.

    Raises:
        ValidationError: If the zone is unknown, no weekday works, the hours are
            reversed, or a holiday rule does not parse.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> cal = WorkingCalendar.standard("UTC")
        >>> friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=timezone.utc)
        >>> monday_ten = datetime(2026, 3, 9, 10, 0, tzinfo=timezone.utc)
        >>> cal.working_time_between(friday_evening, monday_ten)
        datetime.timedelta(seconds=3600)
        >>> cal.add_working_time(friday_evening, timedelta(hours=8)).isoformat()
        '2026-03-09T17:00:00+00:00'
    """

    timezone: str = "UTC"
    weekdays: tuple[int, ...] = attrs.field(default=(0, 1, 2, 3, 4), converter=_weekdays)
    opens: time = attrs.field(default=time(9, 0), validator=_clock)
    closes: time = attrs.field(default=time(17, 0), validator=_clock)
    holidays: tuple[date, ...] = attrs.field(default=(), converter=_holidays)
    recurring_holidays: tuple[str, ...] = attrs.field(default=(), converter=_rules)

    _zone: ZoneInfo = attrs.field(init=False, eq=False, hash=False, repr=False)
    _years: dict[int, frozenset[date]] = attrs.field(
        init=False, eq=False, hash=False, repr=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.timezone, str) or not self.timezone:
            msg = f"WorkingCalendar.timezone must be an IANA time-zone name like 'Europe/Berlin', got {self.timezone!r}"
            raise ValidationError(msg)
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            msg = f"WorkingCalendar.timezone {self.timezone!r} is not a known IANA time-zone name"
            raise ValidationError(msg) from None
        if self.closes <= self.opens:
            msg = (
                f"WorkingCalendar.closes must be after opens, got opens={self.opens.isoformat()} "
                f"closes={self.closes.isoformat()}"
            )
            raise ValidationError(msg)
        for index, rule in enumerate(self.recurring_holidays):
            v.rrule_body(rule, f"WorkingCalendar.recurring_holidays[{index}]", datetime(2000, 1, 1))
        object.__setattr__(self, "_zone", zone)

    def __repr__(self) -> str:
        days = ",".join(_WEEKDAY_NAMES[d] for d in self.weekdays)
        extra = len(self.holidays) + len(self.recurring_holidays)
        return (
            f"WorkingCalendar({self.timezone} {days} {self.opens:%H:%M}-{self.closes:%H:%M}, "
            f"holidays={extra})"
        )

    @classmethod
    def standard(cls, timezone: str = "UTC", holidays: Iterable[date] = ()) -> WorkingCalendar:
        """Monday to Friday, 9:00 to 17:00 in ``timezone``.

        Example:
            >>> WorkingCalendar.standard("Europe/Berlin")
            WorkingCalendar(Europe/Berlin Mon,Tue,Wed,Thu,Fri 09:00-17:00, holidays=0)
        """
        return cls(timezone=timezone, holidays=tuple(holidays))

    @classmethod
    def around(cls, moment: datetime) -> WorkingCalendar:
        """The standard calendar in the zone of ``moment`` (UTC unless it is a zoneinfo zone).

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> WorkingCalendar.around(datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo"))).timezone
            'Asia/Tokyo'
        """
        require_aware(moment, "WorkingCalendar.around moment")
        tz = moment.tzinfo
        return cls.standard(tz.key if isinstance(tz, ZoneInfo) else "UTC")

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone as a ``zoneinfo.ZoneInfo``."""
        return self._zone

    # -- working days ---------------------------------------------------------------------

    def _working_days_of(self, year: int) -> frozenset[date]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        first, last = datetime(year, 1, 1), datetime(year, 12, 31)
        days = rruleset()
        days.rrule(rrule(DAILY, dtstart=first, until=last, byweekday=self.weekdays))
        for rule in self.recurring_holidays:
            days.exrule(rrulestr(rule, dtstart=first))  # type: ignore[arg-type]
        for holiday in self.holidays:
            if holiday.year == year:
                days.exdate(datetime(holiday.year, holiday.month, holiday.day))
        result = frozenset(d.date() for d in days)
        self._years[year] = result
        return result

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working weekday and not a holiday.

        Example:
            >>> from datetime import date
            >>> xmas = WorkingCalendar(recurring_holidays=("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",))
            >>> xmas.is_working_day(date(2026, 12, 25)), xmas.is_working_day(date(2026, 12, 24))
            (False, True)
        """
        if not isinstance(day, date) or isinstance(day, datetime):
            msg = f"WorkingCalendar.is_working_day day must be a datetime.date, got {day!r}"
            raise ValidationError(msg)
        return day in self._working_days_of(day.year)

    def _window(self, day: date) -> tuple[datetime, datetime]:
        opens = datetime.combine(day, self.opens, tzinfo=self._zone).astimezone(timezone.utc)
        closes = datetime.combine(day, self.closes, tzinfo=self._zone).astimezone(timezone.utc)
        return opens, closes

    def is_working_time(self, at: datetime) -> bool:
        """Whether ``at`` falls within working hours on a working day.

        Example:
            >>> from datetime import datetime, timezone
            >>> WorkingCalendar().is_working_time(datetime(2026, 3, 7, 10, tzinfo=timezone.utc))
            False
        """
        require_aware(at, "WorkingCalendar.is_working_time at")
        local = at.astimezone(self._zone)
        if not self.is_working_day(local.date()):
            return False
        opens, closes = self._window(local.date())
        return opens <= at < closes

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The working time inside ``[start, end)``; zero when ``end`` is not after ``start``.

        Args:
            start: From when (timezone-aware, any zone).
            end: Until when (timezone-aware, any zone).

        Returns:
            The sum of the working hours of every working day that overlap the span.

        Raises:
            NaiveDatetime: If either moment has no timezone.

        Example:
            >>> from datetime import datetime, timezone
            >>> utc = timezone.utc
            >>> WorkingCalendar().working_time_between(datetime(2026, 3, 2, 16, tzinfo=utc), datetime(2026, 3, 3, 10, tzinfo=utc))
            datetime.timedelta(seconds=7200)
        """
        require_aware(start, "WorkingCalendar.working_time_between start")
        require_aware(end, "WorkingCalendar.working_time_between end")
        if end <= start:
            return timedelta(0)
        day = start.astimezone(self._zone).date()
        last = end.astimezone(self._zone).date()
        total = timedelta(0)
        while day <= last:
            if day in self._working_days_of(day.year):
                opens, closes = self._window(day)
                low, high = max(opens, start), min(closes, end)
                if high > low:
                    total += high - low
            day += timedelta(days=1)
        return total

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of working time has passed since ``start``.

        This is the deadline of a commitment counted in business hours: a lead
        captured on Friday at 18:00 with an 8-hour promise is due on Monday at 17:00.

        Args:
            start: When the clock starts (timezone-aware).
            duration: Working time to add (zero or more).

        Returns:
            The deadline, in the calendar's time zone.

        Raises:
            ValidationError: If ``duration`` is negative or the calendar has no working
                day in the next ten years.

        Example:
            >>> from datetime import date, datetime, timedelta, timezone
            >>> cal = WorkingCalendar(holidays=(date(2026, 4, 6),))
            >>> cal.add_working_time(datetime(2026, 4, 3, 16, tzinfo=timezone.utc), timedelta(hours=2)).isoformat()
            '2026-04-07T10:00:00+00:00'
        """
        require_aware(start, "WorkingCalendar.add_working_time start")
        if not isinstance(duration, timedelta) or duration < timedelta(0):
            msg = f"WorkingCalendar.add_working_time duration must be a timedelta >= 0, got {duration!r}"
            raise ValidationError(msg)
        remaining = duration
        day = start.astimezone(self._zone).date()
        for _ in range(_MAX_SEARCH_DAYS):
            if day in self._working_days_of(day.year):
                opens, closes = self._window(day)
                low = max(opens, start)
                if low < closes:
                    if remaining <= closes - low:
                        return (low + remaining).astimezone(self._zone)
                    remaining -= closes - low
            day += timedelta(days=1)
        msg = f"{self!r} has no working time in the ten years after {start.isoformat()}"
        raise ValidationError(msg)
