"""Private helpers for timezone-aware datetimes: the one place elapsed time is measured.

Python subtracts two aware datetimes that share one ``tzinfo`` by their wall clocks:
in Europe/Berlin, midnight 29 March 2026 to midnight 30 March 2026 gives 24 hours
though only 23 passed. :func:`elapsed` measures on the UTC time line instead, and every
duration, proration, stay, SLA clock and velocity in salesmark goes through it (a test
forbids subtracting datetimes anywhere else).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NewType

from salesmark.errors import NaiveDatetime, WrongType


def require_aware(value: datetime, field: str) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise a clear error."""
    if not isinstance(value, datetime):
        msg = f"{field} must be a timezone-aware datetime, got {value!r}"
        raise WrongType(msg)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        msg = (
            f"{field} must be timezone-aware, got naive datetime {value.isoformat()!r}; "
            "attach a tzinfo such as datetime.timezone.utc"
        )
        raise NaiveDatetime(msg)
    return value


Instant = NewType("Instant", datetime)
"""A datetime whose tzinfo is a fixed offset (UTC, or the fixed offset it came with).

Comparing an ``Instant`` with any aware datetime is sound: if both share one tzinfo
it is a fixed offset, whose wall clock is its instant; otherwise Python compares on
the UTC time line. A test checks, with mypy's types, that every ``<``, ``<=``, ``>``,
``>=``, ``min``, ``max`` and ``sorted`` of datetimes in salesmark has an ``Instant``
on one side (or sorts by ``key=instant``).
"""


def instant(value: datetime) -> Instant:
    """``value`` as a point on the UTC time line, for comparing and sorting.

    Two datetimes that share one tzinfo compare by their wall clocks, ignoring
    ``fold``: in the autumn hour that repeats, 02:30 summer time would sort after
    02:10 winter time though it happened 40 minutes earlier. Fixed offsets are
    returned as they are, since their wall clock is their instant.
    """
    # an Instant by construction; no NewType call, as this runs once per timestamp
    return value if type(value.tzinfo) is timezone else value.astimezone(timezone.utc)  # type: ignore[return-value]


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The time that really passed from ``start`` to ``end`` (negative if ``end`` is earlier).

    Measured on the UTC time line whatever the zones: across a daylight-saving change a
    calendar day can be 23 or 25 hours (23.5 or 24.5 on Lord Howe Island). Two naive
    datetimes are wall times (a working day's opening hours, say) and are subtracted as
    they are.

    Example:
        >>> from zoneinfo import ZoneInfo
        >>> berlin = ZoneInfo("Europe/Berlin")
        >>> elapsed(datetime(2026, 3, 29, tzinfo=berlin), datetime(2026, 3, 30, tzinfo=berlin))
        datetime.timedelta(seconds=82800)
    """
    zone = start.tzinfo
    if zone is None or end.tzinfo is None:  # wall times (a working day's hours): as they are
        return end - start
    if zone is end.tzinfo and type(zone) is not timezone:
        # one zone: Python subtracted the wall clocks; take the change of offset back out
        return (end - start) - (end.utcoffset() - start.utcoffset())  # type: ignore[operator]
    return end - start
