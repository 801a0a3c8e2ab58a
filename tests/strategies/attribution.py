"""Attribution fixtures of the tests: path counts in euros, tricky channel names, fractional counts.

The public strategies (paths, counts, journeys, milestone weights, presets) live in
:mod:`salesmark.testing.strategies`.
"""

from __future__ import annotations

from hypothesis import strategies as st

from salesmark import Money
from salesmark.attribution import PathCounts
from salesmark.testing.strategies import channel_paths


def counts_of(rows: list[tuple[tuple[str, ...], int, int, Money | None]]) -> PathCounts:
    """PathCounts of rows, always in EUR."""
    return PathCounts.from_tuples(rows, currency="EUR")


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
        channel_paths(),
        st.floats(0, 1e6, allow_nan=False).filter(lambda x: x != int(x)) | st.integers(0, 9),
        st.integers(0, 9),
        st.none(),
    ),
    min_size=1,
    max_size=8,
).map(PathCounts.from_tuples)
"""PathCounts whose conversions are sampled weights (fractions) or whole numbers."""
