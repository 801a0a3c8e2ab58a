"""Working calendars: which hours count when a deadline is in business hours.

A lead captured on Friday evening is not late on Saturday morning. A
:class:`WorkingCalendar` knows the working weekdays, the working hours, the time zone
(an IANA name, evaluated with ``zoneinfo``) and the holidays (single dates and yearly
rules, evaluated with ``dateutil.rrule``).

Working time is computed in closed form, a year at a time: each year's working days
come from its calendar (leap year, weekday of 1 January, Easter where a rule uses it),
the days whose working hours a clock change shortens or lengthens are found from the
zone's offsets, and only the two partial days at either end are walked. A span from
year 1 to 9999 takes a fraction of a second. This rests on two facts of the IANA time
zone database, true of every zone in it: two clock changes that undo each other are
at least three days apart, and outside the years 1800-2199 a zone keeps one offset or
follows one yearly rule.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from calendar import isleap
from collections.abc import Iterable, Mapping
from datetime import MAXYEAR, date, datetime, time, timedelta, timezone
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.easter import easter
from dateutil.rrule import rrule

from salesmark import _validators as v
from salesmark._time import Instant, elapsed, instant, require_aware
from salesmark.errors import ValidationError, WrongType
from salesmark.money import _shown

__all__ = ["WorkingCalendar"]

_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_UTC = timezone.utc
_DAY = timedelta(days=1)
_ZERO = timedelta(0)
# The zone's clock changes are looked for every three days: in the IANA database no two
# changes of a zone that cancel each other out are closer than that (the closest are four days).
_PROBE_STEP = timedelta(days=3)
# Outside these years every zone keeps one offset or follows one yearly rule, so a
# year's clock changes follow from its calendar; inside, each year is probed.
_LISTED_YEARS = range(1800, 2200)
_FIRST = Instant(datetime.min.replace(tzinfo=_UTC))
_LAST = Instant(datetime.max.replace(tzinfo=_UTC))

# -- recurrence rules (the holiday rules here, the meeting cadences of meetings.py) --------

_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_RULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_PARTS = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYEASTER")
_Rule = tuple[
    rrule, bool, int | None
]  # a parsed holiday rule, whether it uses Easter, its UNTIL year
_TIME_PARTS = (("BYHOUR", "hour", 4), ("BYMINUTE", "minute", 5), ("BYSECOND", "second", 6))


def _rule_parts(rule: rrule) -> dict[str, str]:
    """The parts of ``rule`` as written (those it takes from its start left out)."""
    body = str(rule).splitlines()[-1].partition(":")[2]
    return dict(part.partition("=")[::2] for part in body.split(";") if part)


def _defaults(parts: Mapping[str, str], start: datetime) -> dict[str, Any]:
    """The parts ``dateutil`` takes from a rule's start, given explicitly.

    A rule moved to another start keeps its meaning only with these spelled out.
    """
    freq, out = parts["FREQ"], {}
    if not any(p in parts for p in _DAY_PARTS):
        if freq in ("YEARLY", "MONTHLY"):
            out["bymonthday"] = start.day
        if freq == "YEARLY" and "BYMONTH" not in parts:
            out["bymonth"] = start.month
        if freq == "WEEKLY":
            out["byweekday"] = start.weekday()
    for part, unit, coarser in _TIME_PARTS:
        if part not in parts and _FREQUENCIES.index(freq) < coarser:
            out[part.lower()] = getattr(start, unit)
    return out


def _never_recurs(
    rule: rrule, parts: Mapping[str, str], start: datetime, *, yearly: bool = False
) -> bool:
    """Whether ``rule`` from ``start`` can never occur, decided in bounded time.

    ``dateutil`` searches up to the year 9999 for an occurrence that never comes, so
    a rule that never recurs would take seconds on every query. Its calendar parts are
    tried over one whole 400-year cycle of the Gregorian calendar (the last one before
    9999, where the search is short), and an interval that can never reach the named
    weekdays or months is spotted directly (weekdays only for a rule not restarted
    every 1 January, as holiday rules are: ``yearly``).
    """
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    if freq == "MONTHLY" and "BYMONTH" in parts:
        step = math.gcd(interval, 12)
        if all((int(m) - start.month) % step for m in parts["BYMONTH"].split(",")):
            return True
    hours = {"DAILY": 24, "HOURLY": 1}.get(freq, 0) * interval  # a step of whole weeks?
    named = parts.get("BYDAY", _RULE_DAYS[start.weekday()]).split(",")
    if (
        hours
        and not hours % 168
        and not yearly
        and _RULE_DAYS[start.weekday()] not in {d[-2:] for d in named}
    ):
        return True
    cycles = 0 if "BYEASTER" in parts else max(0, (MAXYEAR - 400 - start.year) // 400)
    kwargs = {"interval": 1, "count": None, "until": None, **_defaults(parts, start)}
    probe = rule.replace(dtstart=start.replace(year=start.year + 400 * cycles), **kwargs)
    return next(iter(probe), None) is None  # Easter has no 400-year cycle: searched from the start


def _holiday_rule(value: object, name: str) -> rrule:
    parsed = v.rrule_body(value, name, datetime(2000, 1, 1))
    parts = _rule_parts(parsed)
    if _FREQUENCIES.index(parts["FREQ"]) > _FREQUENCIES.index("DAILY") or any(
        p in parts for p in ("BYHOUR", "BYMINUTE", "BYSECOND")
    ):
        msg = f"{name} must name whole days (FREQ=DAILY or coarser, no BYHOUR, BYMINUTE or BYSECOND), got {value!r}"
        raise ValidationError(msg)
    if _never_recurs(parsed, parts, datetime(2000, 1, 1), yearly=True):
        msg = f"{name} never falls on any day, got {value!r}"
        raise ValidationError(msg)
    return parsed


# -- fields ---------------------------------------------------------------------------------


def _weekdays(value: Iterable[int]) -> tuple[int, ...]:
    expected = "whole numbers 0 (Monday) to 6 (Sunday)"
    days = v.sequence(value, "WorkingCalendar.weekdays", expected)
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            msg = f"WorkingCalendar.weekdays must be {expected}, got {_shown(days)}"
            raise (
                ValidationError if isinstance(day, int) and not isinstance(day, bool) else WrongType
            )(msg)
    if not days:
        msg = "WorkingCalendar.weekdays must name at least one working weekday, got ()"
        raise ValidationError(msg)
    return tuple(sorted(set(days)))


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _holidays(value: Iterable[date]) -> tuple[date, ...]:
    days = v.sequence(value, "WorkingCalendar.holidays", "dates")
    for day in days:
        if not _is_date(day):
            msg = f"WorkingCalendar.holidays must hold datetime.date values, got {day!r}"
            raise WrongType(msg)
    return tuple(sorted(set(days)))


def _rules(value: Iterable[str]) -> tuple[str, ...]:
    return v.sequence(value, "WorkingCalendar.recurring_holidays", "RRULE bodies")


def _clock(_i: object, attribute: attrs.Attribute[Any], value: time) -> None:
    expected = "a naive datetime.time (local to the calendar's timezone)"
    if not isinstance(value, time):
        msg = f"WorkingCalendar.{attribute.name} must be {expected}, got {value!r}"
        raise WrongType(msg)
    if value.tzinfo is not None:
        msg = f"WorkingCalendar.{attribute.name} must be {expected}, got {value!r}"
        raise ValidationError(msg)


def _moment(value: object, name: str) -> datetime:
    return require_aware(v.require(value, datetime, name), name)


def _utc(moment: datetime) -> Instant:
    """``moment`` in UTC, held at the ends of the years datetime can show."""
    try:
        return Instant(moment.astimezone(_UTC))
    except OverflowError:
        return _FIRST if moment.year == 1 else _LAST


def _doy(day: date) -> int:
    return day.timetuple().tm_yday


def _days_in(year: int) -> int:
    return 366 if isleap(year) else 365


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
            bodies, e.g. ``"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"``, each evaluated
            from 1 January of every year. They name whole days: ``FREQ=DAILY`` or
            coarser, without ``BYHOUR``, ``BYMINUTE`` or ``BYSECOND``, and a rule that
            falls on no day at all (30 February) is refused.

    Raises:
        WrongType: If a field has the wrong type.
        ValidationError: If the zone is unknown, no weekday works, the hours are
            reversed, or a holiday rule does not parse or names no day.

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

    # Derived at construction (the cache fills as years are asked for); never compared.
    _zone: ZoneInfo = attrs.field(init=False, eq=False, hash=False, repr=False)
    _rrules: tuple[_Rule, ...] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _base: timedelta = attrs.field(init=False, eq=False, hash=False, repr=False)
    _off: dict[int, tuple[int, ...]] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _cache: dict[Any, Any] = attrs.field(init=False, eq=False, hash=False, repr=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        name = "WorkingCalendar.timezone"
        if not isinstance(self.timezone, str) or not self.timezone:
            msg = (
                f"{name} must be an IANA time-zone name like 'Europe/Berlin', got {self.timezone!r}"
            )
            raise (ValidationError if isinstance(self.timezone, str) else WrongType)(msg)
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            msg = f"{name} {self.timezone!r} is not a known IANA time-zone name"
            raise ValidationError(msg) from None
        if self.closes <= self.opens:
            msg = (
                f"WorkingCalendar.closes must be after opens, got opens={self.opens.isoformat()} "
                f"closes={self.closes.isoformat()}"
            )
            raise ValidationError(msg)
        rules = []
        for index, rule in enumerate(self.recurring_holidays):
            parsed = _holiday_rule(rule, f"WorkingCalendar.recurring_holidays[{index}]")
            parts = _rule_parts(parsed)
            until = parts.get("UNTIL")  # written YYYYMMDDTHHMMSS, the year maybe shorter
            rules.append((parsed, "BYEASTER" in parts, None if until is None else int(until[:-11])))
        off: dict[int, tuple[int, ...]] = {}
        for day in self.holidays:
            off[day.year] = (*off.get(day.year, ()), _doy(day))
        day = date(2000, 1, 1)
        base = elapsed(datetime.combine(day, self.opens), datetime.combine(day, self.closes))
        derived = {"_zone": zone, "_rrules": tuple(rules), "_off": off, "_base": base}
        for field, value in derived.items():
            object.__setattr__(self, field, value)

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
        return cls(timezone=timezone, holidays=holidays)

    @classmethod
    def around(cls, moment: datetime) -> WorkingCalendar:
        """The standard calendar in the zone of ``moment`` (UTC unless it is a zoneinfo zone).

        Example:
            >>> from zoneinfo import ZoneInfo
            >>> WorkingCalendar.around(datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo"))).timezone
            'Asia/Tokyo'
        """
        tz = _moment(moment, "WorkingCalendar.around moment").tzinfo
        return cls.standard(tz.key if isinstance(tz, ZoneInfo) else "UTC")

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone as a ``zoneinfo.ZoneInfo``."""
        return self._zone

    # -- one year at a time -----------------------------------------------------------------

    def _days_key(self, year: int) -> tuple[Any, ...]:
        """What decides which days of ``year`` the yearly rules leave working."""
        jan1 = date(year, 1, 1)
        key: list[Any] = ["days", isleap(year), jan1.weekday()]
        for _parsed, uses_easter, until in self._rrules:
            if uses_easter:
                key.append(easter(year).toordinal() - jan1.toordinal())
            if until is not None:
                key.append(year if year == until else year > until)
        return tuple(key)

    def _days(self, year: int) -> tuple[tuple[int, ...], frozenset[int]]:
        """The days of ``year`` (1 = 1 January) on working weekdays and off no yearly rule."""
        key = self._days_key(year)
        cached = self._cache.get(key)
        if cached is None:
            first, last, off = datetime(year, 1, 1), date(year, 12, 31), set()
            for parsed, _uses_easter, _until in self._rrules:
                for occurrence in parsed.replace(dtstart=first):
                    if occurrence.date() > last:
                        break
                    off.add(_doy(occurrence))
            weekday = date(year, 1, 1).weekday()
            days = tuple(
                d for d in range(1, _days_in(year) + 1)
                if (weekday + d - 1) % 7 in self.weekdays and d not in off
            )  # fmt: skip
            cached = self._cache[key] = (days, frozenset(days))
        return cached

    def _working(self, year: int, day: int) -> bool:
        return day in self._days(year)[1] and day not in self._off.get(year, ())

    def _length(self, day: date) -> timedelta:
        """The working hours of ``day`` in elapsed time (a clock change inside them counts)."""
        opens = datetime.combine(day, self.opens, tzinfo=self._zone)
        closes = datetime.combine(day, self.closes, tzinfo=self._zone)
        shift = closes.utcoffset() - opens.utcoffset()  # type: ignore[operator]
        return max(self._base - shift, _ZERO)

    def _changed_key(self, year: int) -> tuple[tuple[Any, ...], int]:
        """What decides the clock changes of ``year``, and a year to look them up in."""
        if year in _LISTED_YEARS:
            return ("changed", year), year
        # an equal year of the 400-year cycle, on the same side of the listed years
        before = year < _LISTED_YEARS.start
        leaps = (isleap(year - 1), isleap(year), isleap(year + 1))
        key = ("changed", before, leaps, date(year, 1, 1).weekday())
        return key, (1400 + (year - 1400) % 400 if before else 2200 + (year - 2200) % 400)

    def _changed(self, year: int) -> dict[int, timedelta]:
        """The days of ``year`` whose working hours are not ``closes - opens`` long."""
        key, probed = self._changed_key(year)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._probe(probed)
        return cached

    def _probe(self, year: int) -> dict[int, timedelta]:
        changed: dict[int, timedelta] = {}
        moment = datetime(year, 1, 1, tzinfo=_UTC) - 2 * _DAY
        stop = datetime(year + 1, 1, 1, tzinfo=_UTC) + 2 * _DAY
        offset = moment.astimezone(self._zone).utcoffset()
        while instant(moment) < stop:
            after = moment + _PROBE_STEP
            new = after.astimezone(self._zone).utcoffset()
            if new != offset:  # the clocks changed in between: look at the days around
                day = (moment - 2 * _DAY).astimezone(self._zone).date()
                last = (after + 2 * _DAY).astimezone(self._zone).date()
                while day <= last:
                    length = self._length(day)
                    if day.year == year and length != self._base:
                        changed[_doy(day)] = length
                    day += _DAY
            moment, offset = after, new
        return changed

    def _time(self, year: int, first: int, last: int) -> timedelta:
        """The working time of the days ``first`` to ``last`` of ``year``, taken whole."""
        days, members = self._days(year)
        count = max(0, bisect_right(days, last) - bisect_left(days, first))
        count -= sum(1 for d in set(self._off.get(year, ())) if first <= d <= last and d in members)
        total = count * self._base
        if count:
            for day, length in self._changed(year).items():
                if first <= day <= last and self._working(year, day):
                    total += length - self._base
        return total

    def _year(self, year: int) -> timedelta:
        """The working time of the whole of ``year``."""
        if year in self._off:
            return self._time(year, 1, _days_in(year))
        key = ("year", self._days_key(year), self._changed_key(year)[0])
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._time(year, 1, _days_in(year))
        return cached

    def _between_days(self, first: date, last: date) -> timedelta:
        """The working time of the days ``first`` to ``last`` (not before it), each taken whole."""
        if first.year == last.year:
            return self._time(first.year, _doy(first), _doy(last))
        total = self._time(first.year, _doy(first), _days_in(first.year))
        for year in range(first.year + 1, last.year):
            total += self._year(year)
        return total + self._time(last.year, 1, _doy(last))

    def _window(self, day: date) -> tuple[Instant, Instant]:
        """The working hours of ``day`` in UTC (held at the ends of the years datetime shows)."""
        ends: list[Instant] = []
        for clock in (self.opens, self.closes):
            local = datetime.combine(day, clock, tzinfo=self._zone)
            try:
                wall = local.replace(tzinfo=None) - local.utcoffset()  # type: ignore[operator]
                ends.append(Instant(wall.replace(tzinfo=_UTC)))
            except OverflowError:
                ends.append(_FIRST if day.year == 1 else _LAST)
        return ends[0], ends[1]

    def _local_day(self, moment: datetime) -> date:
        try:
            return moment.astimezone(self._zone).date()
        except OverflowError:
            return date.min if moment.year == 1 else date.max

    def _part(self, day: date, start: Instant, end: Instant) -> timedelta:
        """The working time of ``day`` inside ``[start, end)`` (both in UTC)."""
        if not self._working(day.year, _doy(day)):
            return _ZERO
        opens, closes = self._window(day)
        low, high = max(opens, start), min(closes, end)
        return elapsed(low, high) if high > low else _ZERO

    # -- queries --------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working weekday and not a holiday.

        Example:
            >>> from datetime import date
            >>> xmas = WorkingCalendar(recurring_holidays=("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",))
            >>> xmas.is_working_day(date(2026, 12, 25)), xmas.is_working_day(date(2026, 12, 24))
            (False, True)
        """
        if not _is_date(day):
            msg = f"WorkingCalendar.is_working_day day must be a datetime.date, got {day!r}"
            raise WrongType(msg)
        return self._working(day.year, _doy(day))

    def is_working_time(self, at: datetime) -> bool:
        """Whether ``at`` falls within working hours on a working day.

        Example:
            >>> from datetime import datetime, timezone
            >>> WorkingCalendar().is_working_time(datetime(2026, 3, 7, 10, tzinfo=timezone.utc))
            False
        """
        moment = _utc(_moment(at, "WorkingCalendar.is_working_time at"))
        day = self._local_day(moment)
        if not self._working(day.year, _doy(day)):
            return False
        opens, closes = self._window(day)
        return opens <= moment < closes

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The working time inside ``[start, end)``; zero when ``end`` is not after ``start``.

        Computed in closed form: the partial days at either end are looked at, the days
        in between counted a year at a time.

        Args:
            start: From when (timezone-aware, any zone).
            end: Until when (timezone-aware, any zone).

        Returns:
            The sum of the working hours of every working day that overlap the span,
            in elapsed time.

        Raises:
            WrongType: If either moment is not a datetime.
            NaiveDatetime: If either moment has no timezone.

        Example:
            >>> from datetime import datetime, timezone
            >>> utc = timezone.utc
            >>> WorkingCalendar().working_time_between(datetime(2026, 3, 2, 16, tzinfo=utc), datetime(2026, 3, 3, 10, tzinfo=utc))
            datetime.timedelta(seconds=7200)
        """
        low = _utc(_moment(start, "WorkingCalendar.working_time_between start"))
        high = _utc(_moment(end, "WorkingCalendar.working_time_between end"))
        if high <= low:
            return _ZERO
        first, last = self._local_day(low), self._local_day(high)
        if (last - first).days <= 4:
            days = [first + k * _DAY for k in range((last - first).days + 1)]
            return sum((self._part(d, low, high) for d in days), _ZERO)
        # Days two or more away from either end lie wholly inside the span.
        ends = (first, first + _DAY, last - _DAY, last)
        total = sum((self._part(d, low, high) for d in ends), _ZERO)
        return total + self._between_days(first + 2 * _DAY, last - 2 * _DAY)

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of working time has passed since ``start``.

        This is the deadline of a commitment counted in business hours: a lead
        captured on Friday at 18:00 with an 8-hour promise is due on Monday at 17:00.
        A deadline that falls at a closing time is that closing time; a zero duration
        outside working hours gives the next opening. Found in closed form, a year at
        a time, however far away.

        Args:
            start: When the clock starts (timezone-aware).
            duration: Working time to add (zero or more).

        Returns:
            The deadline, in the calendar's time zone.

        Raises:
            WrongType: If ``start`` is not a datetime or ``duration`` not a timedelta.
            ValidationError: If ``duration`` is negative, or the calendar has not that
                much working time after ``start`` before the year 9999 ends.

        Example:
            >>> from datetime import date, datetime, timedelta, timezone
            >>> cal = WorkingCalendar(holidays=(date(2026, 4, 6),))
            >>> cal.add_working_time(datetime(2026, 4, 3, 16, tzinfo=timezone.utc), timedelta(hours=2)).isoformat()
            '2026-04-07T10:00:00+00:00'
        """
        moment = _utc(_moment(start, "WorkingCalendar.add_working_time start"))
        if not isinstance(duration, timedelta) or duration < _ZERO:
            msg = f"WorkingCalendar.add_working_time duration must be a timedelta >= 0, got {duration!r}"
            raise (ValidationError if isinstance(duration, timedelta) else WrongType)(msg)
        remaining, day = duration, self._local_day(moment)
        for _ in range(2):  # the start's day and the next, where the start may cut the hours
            if self._working(day.year, _doy(day)):
                opens, closes = self._window(day)
                low = max(opens, moment)
                if low < closes:
                    left = elapsed(low, closes)
                    if remaining <= left:
                        return self._deadline(low + remaining)
                    remaining -= left
            if day == date.max:
                return self._no_time(start, duration, remaining)
            day += _DAY

        def reached(time: timedelta) -> bool:
            return time >= remaining if remaining else time > _ZERO

        year, first = day.year, _doy(day)
        while not reached(
            rest := self._time(year, first, _days_in(year)) if first > 1 else self._year(year)
        ):
            remaining -= rest
            if year == MAXYEAR:
                return self._no_time(start, duration, remaining)
            year, first = year + 1, 1
        lowest, highest = first, _days_in(year)  # the day it is reached, by bisection
        while lowest < highest:
            middle = (lowest + highest) // 2
            if reached(self._time(year, first, middle)):
                highest = middle
            else:
                lowest = middle + 1
        opens, _closes = self._window(date(year, 1, 1) + (lowest - 1) * _DAY)
        return self._deadline(opens + remaining - self._time(year, first, lowest - 1))

    def _deadline(self, moment: datetime) -> datetime:
        # A deadline lies in the hours of a local day that datetime can show, so it converts.
        return moment.astimezone(self._zone)

    def _no_time(self, start: datetime, duration: timedelta, remaining: timedelta) -> NoReturn:
        if remaining == duration:
            msg = f"{self!r} has no working time after {start.isoformat()}"
        else:
            msg = f"{self!r} has no working time left to add {duration} after {start.isoformat()} before the year {MAXYEAR} ends"
        raise ValidationError(msg)
