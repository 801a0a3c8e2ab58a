"""Strategies for instants, timezone-aware datetimes and periods.

Times are drawn as instants and shown in one of several zones (fixed offsets and named
zones with daylight saving), so values drawn one after another are ordered in real time.
Wall times that a daylight-saving change makes ambiguous are shown in UTC instead:
Python compares two datetimes of one zone by their wall clock, so an ambiguous hour
could order a history differently before and after a round trip.
:func:`any_aware_datetimes` draws those ambiguous hours too, for tests of that edge.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from salesmark.period import Period

__all__ = [
    "FIXED_ZONES",
    "MAX_TIME",
    "MIN_TIME",
    "NAMED_ZONES",
    "ZONES",
    "any_aware_datetimes",
    "aware_datetimes",
    "instants",
    "periods",
    "zones",
]

_UTC: Final = timezone.utc
FIXED_ZONES: Final[tuple[tzinfo, ...]] = (
    _UTC,
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=-8)),
    timezone(timedelta(hours=12, minutes=45)),
    timezone(timedelta(hours=-3, minutes=-30)),
)
"""UTC and fixed offsets, whole, half and three-quarter hours, east and west."""


def _zone(key: str) -> tzinfo | None:
    try:
        return ZoneInfo(key)
    except ZoneInfoNotFoundError:  # pragma: no cover (a system without the tz database)
        return None


def _available(*keys: str) -> tuple[tzinfo, ...]:
    return tuple(zone for zone in map(_zone, keys) if zone is not None)


NAMED_ZONES: Final[tuple[tzinfo, ...]] = _available(
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # half-hour daylight saving
    "Asia/Kolkata",
)
"""Named zones with and without daylight saving (those the system's tz database has)."""
ZONES: Final[tuple[tzinfo, ...]] = FIXED_ZONES + NAMED_ZONES
"""Every zone the datetime strategies show instants in."""
MIN_TIME: Final = datetime(2020, 1, 1)
"""The earliest instant drawn by default (naive, read as UTC)."""
MAX_TIME: Final = datetime(2030, 1, 1)
"""The latest instant drawn by default (naive, read as UTC)."""


def zones() -> st.SearchStrategy[tzinfo]:
    """One of :data:`ZONES`.

    Returns:
        A strategy of fixed offsets and named zones.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(zones())
        ... def test_every_zone_has_an_offset(zone):
        ...     assert zone.utcoffset(datetime(2026, 1, 1)) is not None
        >>> test_every_zone_has_an_offset()
    """
    return st.sampled_from(ZONES)


def _is_ambiguous(moment: datetime) -> bool:
    """Whether ``moment``'s wall time occurs twice (the hour the clocks go back)."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


def _show_in(instant: datetime, zone: tzinfo) -> datetime:
    """The instant as a wall time in ``zone``, or in UTC where that wall time is ambiguous."""
    local = instant.astimezone(zone)
    return instant.astimezone(_UTC) if _is_ambiguous(local) else local


def instants(
    min_value: datetime = MIN_TIME, max_value: datetime = MAX_TIME
) -> st.SearchStrategy[datetime]:
    """Instants in UTC, to the microsecond, between two naive UTC bounds.

    Args:
        min_value: The earliest instant, naive and read as UTC.
        max_value: The latest instant, naive and read as UTC.

    Returns:
        A strategy of aware datetimes in UTC.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(instants(max_value=datetime(2021, 1, 1)))
        ... def test_instants_are_utc(moment):
        ...     assert moment.tzinfo is timezone.utc and moment.year <= 2021
        >>> test_instants_are_utc()
    """
    return st.datetimes(min_value=min_value, max_value=max_value).map(
        lambda d: d.replace(tzinfo=_UTC)
    )


@st.composite
def aware_datetimes(
    draw: st.DrawFn, min_value: datetime = MIN_TIME, max_value: datetime = MAX_TIME
) -> datetime:
    """Timezone-aware datetimes in fixed offsets and named zones, never ambiguous.

    Args:
        draw: Given by hypothesis.
        min_value: The earliest instant, naive and read as UTC.
        max_value: The latest instant, naive and read as UTC.

    Returns:
        A strategy of aware datetimes whose wall time names one instant.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(aware_datetimes())
        ... def test_datetimes_are_aware(moment):
        ...     assert moment.utcoffset() is not None
        >>> test_datetimes_are_aware()
    """
    return _show_in(draw(instants(min_value, max_value)), draw(zones()))


def any_aware_datetimes() -> st.SearchStrategy[datetime]:
    """Any aware datetime hypothesis can make, ambiguous autumn hours (``fold=1``) included.

    Returns:
        A strategy of aware datetimes in named zones and any zone hypothesis draws.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(any_aware_datetimes())
        ... def test_any_datetime_is_aware(moment):
        ...     assert moment.tzinfo is not None
        >>> test_any_datetime_is_aware()
    """
    return st.datetimes(
        min_value=MIN_TIME,
        max_value=MAX_TIME,
        timezones=st.sampled_from(NAMED_ZONES) | st.timezones(),
        allow_imaginary=False,
    )


def _later(draw: st.DrawFn, moment: datetime, max_gap: timedelta = timedelta(days=30)) -> datetime:
    """A moment not before ``moment`` in real time, shown in a random zone."""
    gap = draw(st.timedeltas(timedelta(0), max_gap))
    return _show_in(moment.astimezone(_UTC) + gap, draw(zones()))


_KINDS: Final = ("month", "quarter", "fiscal_q", "fiscal_y", "week", "rolling", "span")
_LENGTHS: Final[tuple[relativedelta | timedelta, ...]] = (
    relativedelta(days=30),
    relativedelta(months=3),
    timedelta(days=7),
    timedelta(hours=36),
)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Any period: calendar ones in any zone, rolling windows and arbitrary spans.

    Calendar periods are months, quarters, fiscal quarters and years and ISO weeks of
    2021-2029; rolling windows end at an aware datetime; spans last up to 400 days.

    Args:
        draw: Given by hypothesis.

    Returns:
        A strategy of :class:`~salesmark.period.Period`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(periods())
        ... def test_a_period_starts_before_it_ends(period):
        ...     assert period.start < period.end
        >>> test_a_period_starts_before_it_ends()
    """
    year = draw(st.integers(2021, 2029))
    tz = draw(zones())
    month, quarter = draw(st.integers(1, 12)), draw(st.integers(1, 4))
    kind = draw(st.sampled_from(_KINDS))
    if kind == "rolling":
        return Period.rolling(draw(aware_datetimes()), draw(st.sampled_from(_LENGTHS)))
    if kind == "span":
        start = draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
        end = _later(draw, start + timedelta(seconds=1), timedelta(days=400))
        return Period.between(start, end)
    calendar: dict[str, Callable[[], Period]] = {
        "month": lambda: Period.month(year, month, tz),
        "quarter": lambda: Period.quarter(year, quarter, tz),
        "fiscal_q": lambda: Period.fiscal_quarter(year, quarter, start_month=month, tz=tz),
        "fiscal_y": lambda: Period.fiscal_year(year, month, tz),
        "week": lambda: Period.iso_week(year, draw(st.integers(1, 52)), tz),
    }
    return calendar[kind]()
