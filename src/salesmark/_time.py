"""Private helpers for timezone-aware datetimes."""

from __future__ import annotations

from datetime import datetime, timezone

from salesmark.errors import NaiveDatetime, ValidationError


def require_aware(value: datetime, field: str) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise a clear error."""
    if not isinstance(value, datetime):
        msg = f"{field} must be a timezone-aware datetime, got {value!r}"
        raise ValidationError(msg)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        msg = (
            f"{field} must be timezone-aware, got naive datetime {value.isoformat()!r}; "
            "attach a tzinfo such as datetime.timezone.utc"
        )
        raise NaiveDatetime(msg)
    return value


def instant(value: datetime) -> datetime:
    """``value`` as a point on the UTC time line, for comparing and sorting.

    Two datetimes that share one tzinfo compare by their wall clocks, ignoring
    ``fold``: in the autumn hour that repeats, 02:30 summer time would sort after
    02:10 winter time though it happened 40 minutes earlier. Fixed offsets are
    returned as they are, since their wall clock is their instant.
    """
    return value if type(value.tzinfo) is timezone else value.astimezone(timezone.utc)
