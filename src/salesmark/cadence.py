"""When the joint sales-marketing meeting recurs: an RFC 5545 recurrence rule.

A :class:`MeetingCadence` is evaluated with ``dateutil.rrule`` (weekly by default). It is
bounded: at most one meeting an hour and at most ``10,000`` meetings listed, so a rule
can never make a caller loop over every second of a year.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule

from salesmark import _validators as v
from salesmark._time import elapsed, instant, require_aware
from salesmark.calendars import _defaults, _never_recurs, _rule_parts
from salesmark.errors import ValidationError
from salesmark.money import _whole

__all__ = ["MeetingCadence"]

_MAX_MEETINGS = 10_000
"""The most meetings :meth:`MeetingCadence.between` or ``next_occurrences`` returns."""
_UNITS = {
    "YEARLY": relativedelta(years=1),
    "MONTHLY": relativedelta(months=1),
    "WEEKLY": relativedelta(weeks=1),
    "DAILY": relativedelta(days=1),
    "HOURLY": relativedelta(hours=1),
}


def _cadence(value: object, start: datetime) -> rrule:
    name = "MeetingCadence.rule"
    parsed = v.rrule_body(value, name, start)
    parts = _rule_parts(parsed)
    single = all(len(parts.get(p, "0").split(",")) == 1 for p in ("BYMINUTE", "BYSECOND"))
    if parts["FREQ"] not in _UNITS or not single:
        msg = (
            f"{name} must meet at most once an hour (FREQ=HOURLY or coarser, one BYMINUTE "
            f"and one BYSECOND at most), got {value!r}"
        )
        raise ValidationError(msg)
    if int(parts.get("COUNT", "0")) > _MAX_MEETINGS:
        msg = f"{name} COUNT must be at most {_MAX_MEETINGS:,}, got {value!r}"
        raise ValidationError(msg)
    if _never_recurs(parsed, parts, start):
        msg = f"{name} never gives a meeting after {start.isoformat()}, got {value!r}"
        raise ValidationError(msg)
    return parsed


@attrs.frozen(kw_only=True)
class MeetingCadence:
    """When the joint sales-marketing meeting recurs.

    A cadence meets at most once an hour: ``FREQ=MINUTELY`` and ``FREQ=SECONDLY``, or
    several ``BYMINUTE`` or ``BYSECOND`` values, are refused, as are a ``COUNT`` above
    10,000 and a rule that never meets (``BYMONTH=2;BYMONTHDAY=30``). Queries return at
    most 10,000 meetings, and a query far after the start jumps ahead rather than
    walking every meeting in between.

    Attributes:
        start: The first occurrence (timezone-aware); later ones keep its time of day.
        rule: An RFC 5545 ``RRULE`` body, e.g. ``"FREQ=WEEKLY;BYDAY=TU"``.
        duration: How long each meeting lasts (30 minutes by default: short meetings).

    Example:
        >>> from datetime import datetime, timezone
        >>> weekly = MeetingCadence.weekly(datetime(2026, 1, 6, 9, 0, tzinfo=timezone.utc))
        >>> [d.date().isoformat() for d in weekly.next_occurrences(datetime(2026, 1, 7, tzinfo=timezone.utc), 2)]
        ['2026-01-13', '2026-01-20']
    """

    start: datetime = attrs.field(validator=[v.instance_of(datetime), v.aware])
    rule: str = attrs.field(default="FREQ=WEEKLY")
    duration: timedelta = attrs.field(default=timedelta(minutes=30), validator=v.positive_duration)
    _rrule: rrule = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_rrule", _cadence(self.rule, self.start))

    @classmethod
    def weekly(cls, start: datetime, duration: timedelta = timedelta(minutes=30)) -> MeetingCadence:
        """Every week on the weekday and at the time of ``start``.

        Example:
            >>> from datetime import datetime, timezone
            >>> MeetingCadence.weekly(datetime(2026, 1, 6, 9, tzinfo=timezone.utc)).rule
            'FREQ=WEEKLY'
        """
        return cls(start=start, rule="FREQ=WEEKLY", duration=duration)

    @classmethod
    def every_other_week(
        cls, start: datetime, duration: timedelta = timedelta(minutes=30)
    ) -> MeetingCadence:
        """Every second week on the weekday and at the time of ``start``.

        Example:
            >>> from datetime import datetime, timezone
            >>> MeetingCadence.every_other_week(datetime(2026, 1, 6, 9, tzinfo=timezone.utc)).rule
            'FREQ=WEEKLY;INTERVAL=2'
        """
        return cls(start=start, rule="FREQ=WEEKLY;INTERVAL=2", duration=duration)

    def _from(self, moment: datetime) -> rrule:
        """The rule restarted at its last period well before ``moment``, with the same meetings after it."""
        parts = _rule_parts(self._rrule)
        if "COUNT" in parts or instant(moment) <= instant(self.start):
            return self._rrule
        start = self.start
        wall = moment.astimezone(start.tzinfo).replace(tzinfo=None, fold=0)
        freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
        if freq in ("YEARLY", "MONTHLY"):
            months = (wall.year - start.year) * 12 + wall.month - start.month
            units = months // 12 if freq == "YEARLY" else months
        else:
            units = elapsed(start.replace(tzinfo=None), wall) // (
                timedelta(weeks=1)
                if freq == "WEEKLY"
                else timedelta(days=1)
                if freq == "DAILY"
                else timedelta(hours=1)
            )
        periods = max(0, units // interval - 1)
        if periods == 0:
            return self._rrule
        restart = start.replace(tzinfo=None) + _UNITS[freq] * (periods * interval)
        return self._rrule.replace(
            dtstart=restart.replace(tzinfo=start.tzinfo), **_defaults(parts, start)
        )

    def next_occurrences(self, after: datetime, n: int) -> tuple[datetime, ...]:
        """The next ``n`` meetings strictly after ``after`` (``n`` at most 10,000).

        Example:
            >>> from datetime import datetime, timezone
            >>> weekly = MeetingCadence.weekly(datetime(2026, 1, 6, 9, tzinfo=timezone.utc))
            >>> weekly.next_occurrences(datetime(2030, 1, 1, tzinfo=timezone.utc), 1)[0].date().isoformat()
            '2030-01-01'
        """
        after = require_aware(
            v.require(after, datetime, "MeetingCadence.next_occurrences after"),
            "MeetingCadence.next_occurrences after",
        )
        _whole(n, "MeetingCadence.next_occurrences n", 0, _MAX_MEETINGS)
        return tuple(self._from(after).xafter(after, count=n, inc=False))

    def between(self, start: datetime, end: datetime) -> tuple[datetime, ...]:
        """The meetings scheduled in ``[start, end)`` (at most 10,000 of them).

        Raises:
            ValidationError: If more than 10,000 meetings fall in the span.

        Example:
            >>> from datetime import datetime, timezone
            >>> weekly = MeetingCadence.weekly(datetime(2026, 1, 6, 9, tzinfo=timezone.utc))
            >>> len(weekly.between(datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 2, 1, tzinfo=timezone.utc)))
            4
        """
        start = require_aware(
            v.require(start, datetime, "MeetingCadence.between start"),
            "MeetingCadence.between start",
        )
        end = require_aware(
            v.require(end, datetime, "MeetingCadence.between end"), "MeetingCadence.between end"
        )
        meetings: list[datetime] = []
        for meeting in self._from(start).xafter(start, inc=True):
            if instant(meeting) >= instant(end):
                break
            if len(meetings) == _MAX_MEETINGS:
                msg = f"MeetingCadence.between found more than {_MAX_MEETINGS:,} meetings of {self.rule!r} between {start.isoformat()} and {end.isoformat()}"
                raise ValidationError(msg)
            meetings.append(meeting)
        return tuple(meetings)
