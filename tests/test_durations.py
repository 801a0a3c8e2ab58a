"""Tests of salesmark.durations: an exact, bounded, mergeable multiset of elapsed times."""

from __future__ import annotations

import copy
import pickle
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import SalesmarkError, ValidationError, WrongType
from salesmark.durations import Durations
from salesmark.metrics._exact import quantile_us

HOUR = timedelta(hours=1)
UTC = timezone.utc
LONGEST = timedelta.max
BAD_INPUT_EXAMPLES = 200
TIME_BOUND = 2.0  # seconds, for calls that take microseconds
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**18, 10**18 + 1, 10**400]),
    st.floats(),
    st.decimals(),
    st.sampled_from([Decimal("1e-999999999"), Decimal("1e999999999"), "0.5", " 0.5 ", "1/2"]),
    st.fractions(),
    st.text(max_size=6),
    st.timedeltas(),
    st.lists(st.timedeltas(min_value=timedelta(0)), max_size=4),
    st.lists(st.tuples(st.timedeltas(), st.integers(-1, 10**19)), max_size=3),
    st.lists(st.integers(), max_size=2),
)
stores = st.builds(
    Durations.of, st.lists(st.timedeltas(min_value=timedelta(0), max_value=LONGEST), max_size=8)
) | st.just(Durations(values=((LONGEST, 10**18),)))


@contextmanager
def quickly() -> Iterator[None]:
    """The block must finish within the time bound."""
    began = time.perf_counter()
    yield
    assert time.perf_counter() - began < TIME_BOUND


def within_bound(call: Any) -> Any:
    """Run ``call``: it returns or raises a salesmark error, in bounded time."""
    began = time.perf_counter()
    try:
        return call()
    except SalesmarkError as error:
        return error
    finally:
        assert time.perf_counter() - began < TIME_BOUND


class TestDurations:
    def test_percentile_interpolates(self) -> None:
        """The 0.9-quantile of 1h, 4h, 12h is 10.4h."""
        d = Durations.of([HOUR, 4 * HOUR, 12 * HOUR])
        assert timedelta(hours=10.4) == d.percentile("0.9")

    def test_bad_quantile(self) -> None:
        """A quantile outside 0..1 is refused."""
        with pytest.raises(ValidationError, match="from 0 to 1"):
            Durations().percentile(2)

    def test_negative_duration_is_refused(self) -> None:
        """Durations are never negative."""
        with pytest.raises(ValidationError, match="non-negative"):
            Durations.of([-HOUR])

    def test_bad_count_is_refused(self) -> None:
        """Counts are whole numbers of at least one."""
        with pytest.raises(ValidationError, match="counts"):
            Durations(values=((HOUR, 0),))

    def test_empty(self) -> None:
        """An empty store has no median, mean or percentile."""
        assert (None, None, 0) == (Durations().median(), Durations().mean(), Durations().count)

    @given(
        st.lists(st.integers(0, 10**9), min_size=1, max_size=30),
        st.lists(st.integers(0, 10**9), max_size=30),
        st.sampled_from(["0", "0.1", "0.5", "0.9", "1"]),
    )
    def test_merged_percentile_matches_numpy(self, a: list[int], b: list[int], q: str) -> None:
        """A percentile of merged stores equals numpy's linear percentile of all values."""
        merged = Durations.of(timedelta(microseconds=x) for x in a) + Durations.of(
            timedelta(microseconds=x) for x in b
        )
        expected = float(np.percentile(np.array(a + b, dtype=np.float64), float(q) * 100))
        actual = merged.percentile(q)
        assert actual is not None
        assert abs(expected - actual / timedelta(microseconds=1)) <= 1

    @given(
        st.lists(st.integers(0, 5), min_size=1, max_size=40),
        st.sampled_from(["0", "0.1", "0.25", "0.5", "0.9", "1"]),
    )
    def test_quantiles_with_repeats_match_the_expanded_list(self, xs: list[int], q: str) -> None:
        """With few distinct durations (counts above 1), the exact quantile is the interpolation
        over the sorted list with every repeat written out, and the percentile its rounding."""
        store = Durations.of(timedelta(microseconds=x) for x in xs)
        ordered, rank = sorted(xs), (len(xs) - 1) * Fraction(q)
        low = int(rank)
        high = min(low + 1, len(xs) - 1)
        expected = ordered[low] + (rank - low) * (ordered[high] - ordered[low])
        assert expected == quantile_us(store, Fraction(q))
        assert timedelta(microseconds=round(expected)) == store.percentile(q)

    def test_quantiles_of_a_hand_counted_store(self) -> None:
        """1h twice and 3h once: ranks 0, 1, 2 are 1h, 1h, 3h; the median is rank 1 (1h), the
        0.75-quantile rank 1.5, halfway from 1h to 3h: 2h."""
        store = Durations.of([HOUR, 3 * HOUR, HOUR])
        assert (HOUR, HOUR, 3 * HOUR) == tuple(store._nth(i) for i in range(3))
        assert (HOUR, 2 * HOUR) == (store.percentile("0.5"), store.percentile("0.75"))
        assert Fraction(2 * 3600 * 10**6) == quantile_us(store, Fraction(3, 4))


class TestBounds:
    def test_the_largest_store_is_exact(self) -> None:
        """10**18 of the longest timedelta have an exact mean and percentiles, never an overflow."""
        store = Durations(values=((LONGEST, 10**18 - 1), (timedelta(0), 1)))
        assert {
            "count": 10**18,
            "mean": LONGEST - timedelta(microseconds=86),  # 86.4 us short, rounded
            "median": LONGEST,
        } == {
            "count": store.count,
            "mean": store.mean(),
            "median": store.median(),
        }

    def test_more_than_the_bound_is_refused(self) -> None:
        """A store of more than 10**18 durations is a ValidationError naming the bound."""
        with pytest.raises(ValidationError, match=r"at most 1,000,000,000,000,000,000 durations"):
            Durations(values=((HOUR, 10**18), (2 * HOUR, 1)))

    def test_merging_past_the_bound_is_refused(self) -> None:
        """Adding two stores that together hold too many durations raises rather than grows."""
        full = Durations(values=((HOUR, 10**18),))
        with pytest.raises(ValidationError, match="at most"):
            full + Durations.of([HOUR])

    def test_counts_of_any_size_are_named(self) -> None:
        """A count far beyond the bound is refused with a readable message."""
        with quickly(), pytest.raises(ValidationError, match="at most"):
            Durations(values=((HOUR, 10**5000),))

    def test_merging_keeps_the_multiset(self) -> None:
        """Merged stores add the counts of equal durations and keep the others; empty stores change nothing."""
        merged = (
            Durations()
            + Durations.of([HOUR, HOUR, 2 * HOUR])
            + Durations.of([HOUR, 3 * HOUR])
            + Durations()
        )
        assert ((HOUR, 3), (2 * HOUR, 1), (3 * HOUR, 1)) == merged.values


class TestQuantiles:
    @pytest.mark.parametrize(
        "q", [Decimal("1e-999999999"), "1e-31", Decimal("0." + "0" * 30 + "1")]
    )
    def test_quantiles_with_too_many_places_are_refused(self, q: object) -> None:
        """A quantile written with more than 30 decimal places is refused at once."""
        with quickly(), pytest.raises(ValidationError, match="at most 30 decimal places"):
            Durations.of([HOUR]).percentile(q)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "q",
        [
            "1e999999999",
            Decimal("NaN"),
            Decimal("sNaN"),
            "half",
            pytest.param(-(10**5000), id="-10**5000"),
            pytest.param(10**5000, id="10**5000"),
            float("nan"),
        ],
    )
    def test_quantiles_out_of_range_are_refused(self, q: object) -> None:
        """A quantile that is not a number from 0 to 1 is a ValidationError, quickly."""
        with quickly(), pytest.raises(ValidationError, match="from 0 to 1"):
            Durations.of([HOUR]).percentile(q)  # type: ignore[arg-type]

    @pytest.mark.parametrize("q", [None, True, [0.5], Fraction(1, 2)])
    def test_quantiles_of_the_wrong_type(self, q: object) -> None:
        """A quantile that is no Decimal, int, str or float is a WrongType."""
        with pytest.raises(WrongType, match="Durations.percentile q"):
            Durations.of([HOUR]).percentile(q)  # type: ignore[arg-type]

    def test_floats_are_read_exactly(self) -> None:
        """A float quantile means the exact binary value, as it always did."""
        store = Durations.of([timedelta(0), timedelta(seconds=10)])
        assert (timedelta(seconds=9), timedelta(seconds=9)) == (
            store.percentile(0.9),
            store.percentile("0.9"),
        )


class TestArguments:
    @pytest.mark.parametrize("durations", [None, HOUR, "1h", {HOUR: 1}])
    def test_of_needs_an_iterable(self, durations: object) -> None:
        """Durations.of refuses a lone value, a string or a mapping."""
        with pytest.raises(WrongType, match="Durations.of durations"):
            Durations.of(durations)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("values", "fragment"),
        [(None, "Durations.values"), ([HOUR], "pairs"), ([(HOUR, 1, 2)], "pairs"),
         ([("1h", 1)], "non-negative timedeltas"), ([(HOUR, 1.0)], "counts"), ([(HOUR, True)], "counts")],
    )  # fmt: skip
    def test_values_are_checked(self, values: object, fragment: str) -> None:
        """Values must be (timedelta, count) pairs; anything else is a WrongType."""
        with pytest.raises(WrongType, match=fragment):
            Durations(values=values)  # type: ignore[arg-type]

    def test_adding_something_else_is_the_wrong_type(self) -> None:
        """Only Durations merge with Durations."""
        with pytest.raises(WrongType, match="cannot add Durations and int"):
            Durations() + 1  # type: ignore[operator]


class TestBadInput:
    @settings(max_examples=BAD_INPUT_EXAMPLES)
    @given(anything)
    def test_building(self, given_values: Any) -> None:
        """Building a store gives Durations or a salesmark error, in bounded time."""
        for call in (lambda: Durations.of(given_values), lambda: Durations(values=given_values)):
            made = within_bound(call)
            assert isinstance(made, Durations | SalesmarkError)
            if isinstance(made, Durations):
                assert made.count == sum(c for _, c in made.values)

    @settings(max_examples=BAD_INPUT_EXAMPLES)
    @given(stores, anything | stores)
    def test_querying(self, store: Durations, other: Any) -> None:
        """Every query gives a duration, None, a store or a salesmark error, in bounded time."""
        for call in (
            lambda: store.percentile(other),
            store.median,
            store.mean,
            lambda: store + other,
        ):
            answer = within_bound(call)
            assert isinstance(answer, timedelta | Durations | SalesmarkError | None)
            if isinstance(answer, timedelta):
                assert store.values[0][0] <= answer <= store.values[-1][0]


class TestMerge:
    @given(st.lists(stores, max_size=6))
    def test_k_way_merge_equals_folding(self, parts: list[Durations]) -> None:
        """Durations.merge of any parts equals adding them one by one (when it fits the bound)."""
        try:
            folded = sum(parts[1:], parts[0]) if parts else Durations()
        except ValidationError:
            with pytest.raises(ValidationError, match="at most"):
                Durations.merge(parts)
            return
        assert folded == Durations.merge(parts)

    def test_a_wrong_part_is_refused(self) -> None:
        """A part that is not a Durations raises WrongType naming the argument."""
        with pytest.raises(WrongType, match="Durations.merge parts"):
            Durations.merge([Durations(), [HOUR]])  # type: ignore[list-item]


class TestMeasuredWhenRead:
    """A store counted inside salesmark is measured, counted and sorted when first read."""

    @given(
        st.lists(
            st.tuples(
                st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)),
                st.timedeltas(timedelta(0), timedelta(days=900)),
            ),
            max_size=30,
        )
    )
    def test_spans_equal_the_eager_store(self, spans: list[tuple[datetime, timedelta]]) -> None:
        """Spans measured when read give the store of their elapsed times, counted before it is read."""
        starts = [start for start, _ in spans]
        ends = [start + length for start, length in spans]
        lazy = Durations._elapsed(starts, ends)
        side_by_side = Durations._between(
            [t for pair in zip(starts, ends, strict=True) for t in pair]
        )
        assert (len(spans), len(spans)) == (lazy.count, side_by_side.count)
        eager = Durations.of([length for _, length in spans])
        assert (eager, eager) == (lazy, side_by_side)

    def test_one_end_for_every_start(self) -> None:
        """Starts with one end measure each start to it, on the UTC time line."""
        berlin = ZoneInfo("Europe/Berlin")
        end = datetime(2026, 3, 30, tzinfo=berlin)
        lazy = Durations._elapsed([datetime(2026, 3, 29, tzinfo=berlin), end], end)
        assert Durations.of([timedelta(hours=23), timedelta(0)]) == lazy

    def test_a_counter_is_sorted_when_read(self) -> None:
        """A counter given as it is counts before it is read and sorts when it is."""
        lazy = Durations._trusted(Counter({3 * HOUR: 1, HOUR: 2}))
        assert 3 == lazy.count
        assert ((HOUR, 2), (3 * HOUR, 1)) == lazy.values

    def test_unread_stores_copy_pickle_and_compare(self) -> None:
        """A store not yet read pickles, copies, hashes and merges as the store it will be."""
        eager = Durations.of([HOUR, 2 * HOUR])
        start = datetime(2026, 1, 5, tzinfo=UTC)

        def lazy() -> Durations:
            return Durations._elapsed([start, start], [start + 2 * HOUR, start + HOUR])

        assert eager == pickle.loads(pickle.dumps(lazy()))
        assert eager == copy.deepcopy(lazy())
        assert hash(eager) == hash(lazy())
        assert eager + eager == lazy() + lazy()
        assert eager == Durations.merge([lazy(), Durations()])
        assert repr(eager) == repr(lazy())

    def test_an_unknown_attribute_is_still_an_error(self) -> None:
        """Asking a store for an attribute it has not is an AttributeError naming it."""
        with pytest.raises(AttributeError, match="'Durations' object has no attribute 'medians'"):
            _ = Durations().medians  # type: ignore[attr-defined]
