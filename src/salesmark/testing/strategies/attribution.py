"""Strategies for the inputs of attribution: channel paths, path counts, journeys, milestone weights and presets.

Paths are drawn over a few short channel names (:data:`PATH_CHANNELS` by default), so
paths repeat and models have something to aggregate; values are in euros.

Example:
    >>> from hypothesis import given, settings
    >>> from salesmark.attribution import linear
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(converting_counts())
    ... def test_linear_credits_only_the_channels_seen(paths):
    ...     assert set(linear(paths).credits) <= set(PATH_CHANNELS)
    >>> test_linear_credits_only_the_channels_seen()
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Final

from hypothesis import strategies as st

from salesmark.attribution import Journey, Milestones, MilestoneWeights, PathCounts
from salesmark.attribution.presets import Preset
from salesmark.money import Money

__all__ = [
    "PATH_CHANNELS",
    "PathRow",
    "channel_paths",
    "converting_counts",
    "journey_lists",
    "journeys",
    "milestone_weights",
    "path_counts",
    "path_rows",
    "presets",
]

PATH_CHANNELS: Final = ("a", "b", "c", "d", "e")
"""The channel names paths are drawn over by default."""
PathRow = tuple[tuple[str, ...], int, int, Money | None]
"""One row of :meth:`PathCounts.from_tuples`: (channel path, conversions, nulls, value or None)."""
_T0: Final = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _cents() -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=1_000_000)


def channel_paths(channels: tuple[str, ...] = PATH_CHANNELS) -> st.SearchStrategy[tuple[str, ...]]:
    """Paths of one to six touches over ``channels``.

    Args:
        channels: The channel names touches are drawn from.

    Returns:
        A strategy of non-empty tuples of channel names.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(channel_paths(("email", "search")))
        ... def test_paths_use_the_channels(path):
        ...     assert 1 <= len(path) <= 6 and set(path) <= {"email", "search"}
        >>> test_paths_use_the_channels()
    """
    return st.lists(st.sampled_from(channels), min_size=1, max_size=6).map(tuple)


@st.composite
def path_rows(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 12) -> list[PathRow]:
    """Rows of ``(channel path, conversions, nulls, value in EUR or None)``.

    A row has a value only when it converts.

    Args:
        draw: Given by hypothesis.
        min_size: The fewest rows.
        max_size: The most rows.

    Returns:
        A strategy of lists of rows, as :meth:`PathCounts.from_tuples` reads them.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(path_rows(max_size=3))
        ... def test_only_conversions_have_value(rows):
        ...     assert all(conversions or value is None for _, conversions, _, value in rows)
        >>> test_only_conversions_have_value()
    """
    rows: list[PathRow] = []
    for _ in range(draw(st.integers(min_size, max_size))):
        conversions = draw(st.integers(0, 6))
        nulls = draw(st.integers(0, 6))
        value = (
            Money(Decimal(draw(_cents())).scaleb(-2), "EUR")
            if conversions and draw(st.booleans())
            else None
        )
        rows.append((draw(channel_paths()), conversions, nulls, value))
    return rows


def path_counts() -> st.SearchStrategy[PathCounts]:
    """Counts of paths in euros, from :func:`path_rows` (maybe without any conversion).

    Returns:
        A strategy of :class:`~salesmark.attribution.PathCounts`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(path_counts())
        ... def test_conversions_are_not_negative(paths):
        ...     assert paths.total_conversions >= 0
        >>> test_conversions_are_not_negative()
    """
    return path_rows().map(lambda rows: PathCounts.from_tuples(rows, currency="EUR"))


@st.composite
def converting_counts(draw: st.DrawFn) -> PathCounts:
    """Counts of paths in euros with at least one conversion.

    Args:
        draw: Given by hypothesis.

    Returns:
        A strategy of :class:`~salesmark.attribution.PathCounts`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(converting_counts())
        ... def test_something_converts(paths):
        ...     assert paths.total_conversions >= 1
        >>> test_something_converts()
    """
    rows = draw(path_rows())
    rows.append((draw(channel_paths()), draw(st.integers(1, 5)), draw(st.integers(0, 5)), None))
    return PathCounts.from_tuples(rows, currency="EUR")


@st.composite
def journeys(draw: st.DrawFn) -> Journey:
    """A journey with times, milestones and (when converted) sometimes a value.

    Args:
        draw: Given by hypothesis.

    Returns:
        A strategy of :class:`~salesmark.attribution.Journey`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(journeys())
        ... def test_a_time_per_touch(journey):
        ...     assert len(journey.times) == len(journey.path)
        >>> test_a_time_per_touch()
    """
    steps = draw(channel_paths())
    n = len(steps)
    gaps = draw(st.lists(st.integers(0, 30 * 24), min_size=n, max_size=n))
    times = []
    at = _T0
    for gap in gaps:
        at = at + timedelta(hours=gap)
        times.append(at)
    converted = draw(st.booleans())
    marks = sorted(
        draw(st.lists(st.one_of(st.none(), st.integers(0, n - 1)), min_size=3, max_size=3)),
        key=lambda m: -1 if m is None else m,
    )
    present = [m for m in marks if m is not None]
    lead, opp, won = [*present, None, None, None][:3] if draw(st.booleans()) else (None, None, None)
    value = (
        Money(Decimal(draw(_cents())).scaleb(-2), "EUR")
        if converted and draw(st.booleans())
        else None
    )
    return Journey(
        path=steps,
        converted=converted,
        value=value,
        times=tuple(times),
        milestones=Milestones(lead_created=lead, opportunity_created=opp, closed_won=won),
    )


def journey_lists(max_size: int = 10) -> st.SearchStrategy[list[Journey]]:
    """One to ``max_size`` journeys.

    Args:
        max_size: The most journeys.

    Returns:
        A strategy of non-empty lists of :class:`~salesmark.attribution.Journey`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(journey_lists(max_size=3))
        ... def test_one_to_three(found):
        ...     assert 1 <= len(found) <= 3
        >>> test_one_to_three()
    """
    return st.lists(journeys(), min_size=1, max_size=max_size)


_WEIGHTS: Final = (0.0, 0.0, 0.1, 0.2, 0.25, 0.4, 1.0, 2.0)
_MILESTONES: Final = (
    "first",
    "lead_created",
    "opportunity_created",
    "closed_won",
    "last",
    "between",
)


@st.composite
def milestone_weights(draw: st.DrawFn) -> MilestoneWeights:
    """Milestone-weight rules with at least one weight above zero.

    Args:
        draw: Given by hypothesis.

    Returns:
        A strategy of :class:`~salesmark.attribution.MilestoneWeights`.

    Example:
        >>> import attrs
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(milestone_weights())
        ... def test_something_weighs(weights):
        ...     assert any(w > 0 for w in attrs.asdict(weights).values())
        >>> test_something_weighs()
    """
    weights = {name: draw(st.sampled_from(_WEIGHTS)) for name in _MILESTONES}
    if not any(weights.values()):
        weights[draw(st.sampled_from(_MILESTONES))] = 1.0
    return MilestoneWeights(**weights)


def presets() -> st.SearchStrategy[Preset]:
    """Vendor presets of each kind: a milestone-weight shape, an even split, a time decay.

    Returns:
        A strategy of :class:`~salesmark.attribution.presets.Preset`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(presets())
        ... def test_a_preset_names_its_vendor(preset):
        ...     assert preset.vendor.strip()
        >>> test_a_preset_names_its_vendor()
    """
    text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_ ", min_size=1, max_size=12).filter(
        str.strip
    )
    return st.one_of(
        st.builds(
            Preset, vendor=text, name=text, title=text, source=text, weights=milestone_weights()
        ),
        st.builds(Preset, vendor=text, name=text, title=text, source=text, model=st.just("linear")),
        st.builds(
            Preset,
            vendor=text,
            name=text,
            title=text,
            source=text,
            model=st.just("time_decay"),
            half_life=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=400)),
        ),
    )
