"""Hypothesis strategies for salesmark.attribution tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from salesmark import Money
from salesmark.attribution import Journey, Milestones, MilestoneWeights, PathCounts
from salesmark.attribution.presets import Preset

PATH_CHANNELS = ("a", "b", "c", "d", "e")
_T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)

path_channel = st.sampled_from(PATH_CHANNELS)
channel_paths = st.lists(path_channel, min_size=1, max_size=6).map(tuple)
cents = st.integers(min_value=0, max_value=1_000_000)


@st.composite
def path_rows(
    draw: st.DrawFn, *, min_size: int = 1, max_size: int = 12
) -> list[tuple[tuple[str, ...], int, int, Money | None]]:
    """Rows of (channel_paths, conversions, nulls, value in EUR or None)."""
    rows = []
    for _ in range(draw(st.integers(min_size, max_size))):
        conversions = draw(st.integers(0, 6))
        nulls = draw(st.integers(0, 6))
        value = (
            Money(Decimal(draw(cents)).scaleb(-2), "EUR")
            if conversions and draw(st.booleans())
            else None
        )
        rows.append((draw(channel_paths), conversions, nulls, value))
    return rows


def counts_of(rows: list[tuple[tuple[str, ...], int, int, Money | None]]) -> PathCounts:
    """PathCounts of rows, always in EUR."""
    return PathCounts.from_tuples(rows, currency="EUR")


path_counts = path_rows().map(counts_of)


@st.composite
def converting_counts(draw: st.DrawFn) -> PathCounts:
    """PathCounts with at least one conversion."""
    rows = draw(path_rows())
    first = draw(channel_paths)
    rows.append((first, draw(st.integers(1, 5)), draw(st.integers(0, 5)), None))
    return counts_of(rows)


@st.composite
def journeys(draw: st.DrawFn) -> Journey:
    """A journey with times, milestones and (when converted) sometimes a value."""
    steps = draw(channel_paths)
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
        Money(Decimal(draw(cents)).scaleb(-2), "EUR") if converted and draw(st.booleans()) else None
    )
    return Journey(
        path=steps,
        converted=converted,
        value=value,
        times=tuple(times),
        milestones=Milestones(lead_created=lead, opportunity_created=opp, closed_won=won),
    )


journey_lists = st.lists(journeys(), min_size=1, max_size=10)


_WEIGHT = st.sampled_from([0.0, 0.0, 0.1, 0.2, 0.25, 0.4, 1.0, 2.0])


@st.composite
def milestone_weights(draw: st.DrawFn) -> MilestoneWeights:
    """Milestone-weight rules with at least one weight above zero."""
    names = ("first", "lead_created", "opportunity_created", "closed_won", "last", "between")
    weights = {name: draw(_WEIGHT) for name in names}
    if not any(weights.values()):
        weights[draw(st.sampled_from(names))] = 1.0
    return MilestoneWeights(**weights)


_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_ ", min_size=1, max_size=12).filter(str.strip)

presets_of_rules = st.one_of(
    st.builds(
        Preset, vendor=_TEXT, name=_TEXT, title=_TEXT, source=_TEXT, weights=milestone_weights()
    ),
    st.builds(Preset, vendor=_TEXT, name=_TEXT, title=_TEXT, source=_TEXT, model=st.just("linear")),
    st.builds(
        Preset,
        vendor=_TEXT,
        name=_TEXT,
        title=_TEXT,
        source=_TEXT,
        model=st.just("time_decay"),
        half_life=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=400)),
    ),
)
"""Presets of each kind: a milestone-weight shape, an even split, a time decay."""


TRICKY_CHANNELS = ("a", "b", "a > b", "(start)", "(null)", "(conversion)", "x\\", "\\(start)", ">")
"""Channel names that look like state labels, separators or escapes."""


@st.composite
def tricky_counts(draw: st.DrawFn) -> PathCounts:
    """Converting PathCounts over channel names that look like Markov state labels."""
    paths = st.lists(st.sampled_from(TRICKY_CHANNELS), min_size=1, max_size=5).map(tuple)
    rows = draw(
        st.lists(st.tuples(paths, st.integers(0, 4), st.integers(0, 4), st.none()), max_size=10)
    )
    rows.append((draw(paths), draw(st.integers(1, 4)), draw(st.integers(0, 4)), None))
    return PathCounts.from_tuples(rows)


fractional_counts = st.lists(
    st.tuples(
        channel_paths,
        st.floats(0, 1e6, allow_nan=False).filter(lambda x: x != int(x)) | st.integers(0, 9),
        st.integers(0, 9),
        st.none(),
    ),
    min_size=1,
    max_size=8,
).map(PathCounts.from_tuples)
"""PathCounts whose conversions are sampled weights (fractions) or whole numbers."""
