"""Tests of the numpy engine, branch by branch: the same chains, sums and values as pure Python.

Each example is built to reach one branch of the engine (collapsed runs longer than the
order, rows that carry a value but no journey, codes too many for a lookup table, values
too large for float sums, a chain that loops for a long time) and is checked against
the pure-Python engine or against numbers worked out by hand.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from salesmark import ValidationError
from salesmark.attribution import (
    MarkovChain,
    PathCounts,
    _chain,
    first_touch,
    inverse_j,
    j_shaped,
    last_non_direct,
    last_touch,
    linear,
    markov,
    position_based,
    shapley,
)
from salesmark.attribution._checks import Engine
from salesmark.attribution._sums import python_sums

np = pytest.importorskip("numpy")
fast = pytest.importorskip("salesmark.attribution._numpy_engine")

ENGINES: tuple[Engine, Engine] = ("python", "numpy")


def counts_of(rows: list[tuple[tuple[str, ...], Any, Any, Any]]) -> PathCounts:
    """PathCounts of rows, values in euros."""
    return PathCounts.from_tuples(rows, currency="EUR")


def chain_of(counts: PathCounts, order: int, repeats: str, engine: str) -> dict[str, Any]:
    """Every transition of the fitted chain (exact floats), and its solved numbers."""
    chain = MarkovChain.fit(counts, order=order, repeats=repeats, engine=engine)  # type: ignore[arg-type]
    return {
        "transitions": [(t.source, t.target, t.probability.hex()) for t in chain.transitions],
        "conversion": chain.conversion_probability,
        "effects": dict(chain.removal_effects),
        "value_effects": dict(chain.value_removal_effects),
    }


def assert_same_chain(counts: PathCounts, order: int, repeats: str, *, bits: bool = True) -> None:
    """The numpy chain has the pure-Python chain's transitions (to the bit, for whole counts) and effects."""
    python = chain_of(counts, order, repeats, "python")
    numpy = chain_of(counts, order, repeats, "numpy")
    if bits:
        assert python["transitions"] == numpy["transitions"]
    else:  # exact fractions against float64 sums: the same to rounding
        assert [t[:2] for t in python["transitions"]] == [t[:2] for t in numpy["transitions"]]
        for (*_, p), (*_, q) in zip(python["transitions"], numpy["transitions"], strict=True):
            assert float.fromhex(p) == pytest.approx(float.fromhex(q), rel=1e-15)
    assert python["conversion"] == pytest.approx(numpy["conversion"], rel=1e-12)
    for key in ("effects", "value_effects"):
        assert python[key].keys() == numpy[key].keys()
        for name, effect in python[key].items():
            assert effect == pytest.approx(numpy[key][name], rel=1e-12, abs=1e-13)


def assert_same_markov(counts: PathCounts, order: int, repeats: str = "collapse") -> None:
    """Each credit mode gives the same credits (to 1e-12) and cents on both engines."""
    for credit in ("removal_share", "value_weighted", "per_journey"):
        python, numpy = (
            markov(counts, order=order, repeats=repeats, credit=credit, engine=e)  # type: ignore[arg-type]
            for e in ENGINES
        )
        assert dict(python.value_credits) == dict(numpy.value_credits)
        assert python.credits.keys() == numpy.credits.keys()
        for name, credit_of in python.credits.items():
            assert credit_of == pytest.approx(numpy.credits[name], rel=1e-12, abs=1e-12)


# Runs of one channel from 1 to 6 touches long, so that collapsing cuts runs longer
# than each order (1-4) and keeps the shorter ones; conversions, nulls and values differ
# row by row so that a mixed-up column shows.
RUNS = counts_of(
    [
        (("a", "a", "a", "b", "b", "a", "c", "c", "c", "c", "c"), 3, 2, "120.50"),
        (("b", "b", "b", "b", "b", "b"), 1, 4, "10"),
        (("c", "a", "a"), 2, 1, "33.30"),
        (("d", "a", "b", "c"), 1, 0, "7"),
        (("d", "d"), 0, 3, None),
        (("c",), 1, 1, "2.50"),
        (("a", "b", "a", "b", "a"), 2, 2, "50"),
    ]
)

# Rows with a value but neither a conversion nor a null are kept by PathCounts, but
# no walker starts on them: they must add no state, start or transition.
# e and f live only in such a row; ("b", "a") ends with nulls only and a value.
DEAD = counts_of(
    [
        (("a", "b"), 2, 1, "30"),
        (("e", "f", "e"), 0, 0, "5"),
        (("b", "a"), 0, 2, "7"),
        (("a",), 1, 3, "4"),
        (("b", "b", "a", "c"), 1, 1, "9.90"),
    ]
)


class TestMarkovChains:
    @pytest.mark.parametrize("order", [1, 2, 3, 4])
    @pytest.mark.parametrize("repeats", ["collapse", "keep"])
    def test_runs(self, order: int, repeats: str) -> None:
        """Runs shorter and longer than the order give the pure-Python chain, collapsed or kept."""
        assert_same_chain(RUNS, order, repeats)

    @pytest.mark.parametrize("order", [1, 2, 3])
    def test_runs_credits(self, order: int) -> None:
        """Over runs, each credit mode gives the pure-Python credits and cents."""
        assert_same_markov(RUNS, order)
        assert_same_markov(RUNS, order, "keep")

    @pytest.mark.parametrize("order", [1, 2, 3])
    def test_rows_without_journeys(self, order: int) -> None:
        """Rows with a value but no journey add nothing: the chain is the pure-Python one."""
        assert_same_chain(DEAD, order, "collapse")
        assert_same_markov(DEAD, order)


def names(prefix: str, count: int) -> list[str]:
    """``count`` channel names that sort in number order."""
    return [f"{prefix}{i:05d}" for i in range(count)]


# 45 channels: 46**4 = 4,477,456 state codes at order 4, more than the 2**22 = 4,194,304
# a lookup table takes, so the states are found by sorting.
FORTY_FIVE = names("c", 45)
SPARSE_CODES = counts_of(
    [
        (
            tuple(FORTY_FIVE[(i + step) % 45] for step in (0, 1, 3, 7, 12, 1)),
            i % 3,
            1 + i % 2,
            f"{i}.25" if i % 4 else None,
        )
        for i in range(45)
    ]
)

# 70 channels, every ordered pair (i, j), i != j, starting a path of three: 4,830 paths and
# more than 4,096 order-2 states, so the states' pairs (over 2**24) are found by sorting.
SEVENTY = names("s", 70)
SPARSE_PAIRS = counts_of(
    [
        ((SEVENTY[i], SEVENTY[j], SEVENTY[(i + j) % 70]), (i * j) % 3, 1 + (i + j) % 2, None)
        for i in range(70)
        for j in range(70)
        if i != j
    ]
)


class TestMarkovBranches:
    def test_state_codes_beyond_a_lookup_table(self) -> None:
        """At order 4 over 45 channels the states are sorted, not looked up: same chain."""
        assert fast.NumpyChain(SPARSE_CODES.table, 4, True).base ** 4 > 1 << 22  # 46**4
        assert_same_chain(SPARSE_CODES, 4, "collapse")
        assert_same_chain(SPARSE_CODES, 4, "keep")
        assert_same_markov(SPARSE_CODES, 4)

    def test_state_pairs_beyond_a_lookup_table(self) -> None:
        """Over 4,096 states the transition pairs are sorted, not counted densely: same chain."""
        chain = fast.NumpyChain(SPARSE_PAIRS.table, 2, True)
        assert chain.size * chain.size > 1 << 24
        assert_same_chain(SPARSE_PAIRS, 2, "collapse")

    @pytest.mark.parametrize("repeats", ["collapse", "keep"])
    def test_first_order_pairs_beyond_a_lookup_table(self, repeats: str) -> None:
        """Over 4,095 channels the order-1 pairs are sorted, not counted densely: same chain."""
        names = [f"c{i:04d}" for i in range(4100)]  # (4100 + 1)**2 > 2**24 pair codes
        counts = counts_of(
            [
                ((names[i], names[i], names[(i * 7) % 4100]), 1 + i % 3, i % 2, None)
                for i in range(4100)
            ]
        )
        assert (len(counts.channels) + 1) ** 2 > 1 << 24
        # (too large a chain to solve in pure Python: its structure is compared, to the bit)
        python = _chain.build(counts.table, 1, repeats == "collapse")
        numpy = fast.NumpyChain(counts.table, 1, repeats == "collapse")
        assert [k[0] for k in python.keys] == (numpy.codes - 1).tolist()
        assert python.edges == list(
            zip(numpy.src.tolist(), numpy.dst.tolist(), numpy.p.tolist(), strict=True)
        )
        assert (python.start, python.pconv, python.pnull) == (
            numpy.start.tolist(),
            numpy.pconv.tolist(),
            numpy.pnull.tolist(),
        )

    def test_a_single_touch(self) -> None:
        """One path of one touch: no step at all, start then absorb."""
        counts = counts_of([(("a",), 1, 3, "10")])
        assert fast.NumpyChain(counts.table, 1, True).src.size == 0
        assert_same_chain(counts, 1, "collapse")
        assert_same_markov(counts, 1)

    def test_a_step_never_crosses_from_one_path_to_the_next(self) -> None:
        """A path ending in a and the next starting in b add no a -> b step."""
        counts = counts_of(
            [(("b", "a"), 1, 0, None), (("b",), 0, 1, None), (("a", "a"), 1, 1, None)]
        )
        # steps: b -> a (weight 1) only; a -> a collapses, and keep gives a -> a (weight 2)
        chain = fast.NumpyChain(counts.table, 1, True)
        assert (chain.src.tolist(), chain.dst.tolist(), chain.p.tolist()) == ([1], [0], [0.5])
        assert_same_chain(counts, 1, "collapse")
        assert_same_chain(counts, 1, "keep")

    def test_values_too_large_for_a_float_sum(self) -> None:
        """Values over 2**63 cents are summed exactly per state: the pure-Python value credits."""
        counts = counts_of(
            [
                (("a", "b"), 1, 0, "100000000000000000.01"),  # 10**19 + 1 cents
                (("b",), 2, 1, "3.10"),
                (("a", "c", "b"), 1, 1, "0.07"),
                (("c",), 0, 2, "1.00"),
            ]
        )
        assert fast.columns(counts.table).values is None
        assert_same_chain(counts, 1, "collapse")
        assert_same_markov(counts, 1)
        assert_same_markov(counts, 2)

    def test_large_values_of_rows_ending_alike_add_up(self) -> None:
        """Two rows ending in state a each bring their value V (over 2**63 cents) to it."""
        big = "100000000000000000.01"  # V = 10**19 + 1 cents
        counts = counts_of([(("a",), 1, 0, big), (("b", "a"), 1, 0, big), (("b",), 1, 0, big)])
        assert fast.columns(counts.table).values is None
        # start: a 1/3, b 2/3; b -> a 1/2, b converts 1/2; a converts: V per conversion at
        # a (2V over 2) and at b. Base value V/3 + 2/3 * V = V; without b: V/3; without
        # a: 2/3 * 1/2 * V = V/3. Both value effects 1 - 1/3 = 2/3.
        chain = MarkovChain.fit(counts, engine="numpy")
        assert {"a": 2 / 3, "b": 2 / 3} == pytest.approx(dict(chain.value_removal_effects))
        assert_same_chain(counts, 1, "collapse")

    def test_large_values_leave_a_state_without_value_at_zero(self) -> None:
        """A total of 2**52 cents is summed exactly per state: z's state keeps no value at all."""
        # a: one conversion worth 2**52 cents; z: one conversion without value. One cent
        # more at z would already move z's value effect to 2**-52 (one cent in 2**52).
        counts = counts_of([(("a",), 1, 0, "45035996273704.96"), (("z",), 1, 0, None)])
        assert 2**52 == counts.table.total_units()
        assert fast.columns(counts.table).values is None
        chain = MarkovChain.fit(counts, engine="numpy")
        assert {"a": 1.0, "z": 0.0} == dict(chain.value_removal_effects)

    def test_no_transition(self) -> None:
        """Paths of one touch make a chain with no transition: start, then absorb."""
        counts = counts_of([(("a",), 1, 3, "10"), (("b",), 3, 1, "30")])
        # P(conversion) = 1/2 * 1/4 + 1/2 * 3/4 = 1/2; removing a leaves 3/8 (effect
        # 1 - 3/4 = 1/4), removing b leaves 1/8 (effect 3/4)
        assert {
            "conversion": 0.5,
            "effects": {"a": 0.25, "b": 0.75},
        } == {
            "conversion": MarkovChain.fit(counts, engine="numpy").conversion_probability,
            "effects": dict(MarkovChain.fit(counts, engine="numpy").removal_effects),
        }
        assert_same_chain(counts, 1, "collapse")

    def test_a_long_loop_converges_to_the_exact_probability(self) -> None:
        """A self-loop of 99/101 is followed to the tolerance: P(conversion) = (1/101) / (2/101)."""
        # ("a",) * 100 converts once: a -> a 99 times, then converts; ("a",) once ends null.
        # out(a) = 99 + 1 + 1 = 101: P = (1/101) / (1 - 99/101) = 1/2; removing a leaves 0.
        counts = counts_of([(("a",) * 100, 1, 0, "8"), (("a",), 0, 1, None)])
        result = MarkovChain.fit(counts, repeats="keep", engine="numpy")
        assert {"conversion": 0.5, "effects": {"a": 1.0}} == {
            "conversion": pytest.approx(result.conversion_probability, rel=1e-12),
            "effects": dict(result.removal_effects),
        }

    def test_a_chain_that_almost_never_absorbs(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A loop of 9,999 in 10,000 is still open after the most steps (here 1,000): a clear error."""
        monkeypatch.setattr(fast, "MAX_STEPS", 1_000)
        counts = counts_of([(("a",) * 10_000, 1, 0, None)])
        # 0.9999**1000 > 0.9: nine tenths of the walkers are still looping
        with pytest.raises(
            ValidationError,
            match=r"^markov did not converge within 1,000 steps: the chain almost never absorbs$",
        ):
            markov(counts, repeats="keep", engine="numpy")

    def test_too_many_channels_for_the_order(self) -> None:
        """46,340 channels: 46,341**4 state codes reach 2**62 at order 4, and are refused."""
        assert 46_341**4 >= 2**62 > 46_340**4
        counts = counts_of([((name,), 1, 1, None) for name in names("x", 46_340)])
        with pytest.raises(
            ValidationError,
            match=r"^markov with the numpy engine: too many channels for this order$",
        ):
            markov(counts, order=4, engine="numpy")

    def test_just_few_enough_channels_for_the_order(self) -> None:
        """46,339 channels fit order 4's codes; the work bound refuses them instead."""
        counts = counts_of([((name,), 1, 1, None) for name in names("x", 46_339)])
        # 46,339 states of one touch, no transition: 46,339 x 46,339 work
        with pytest.raises(
            ValidationError,
            match=r"^markov with the numpy engine takes at most 24,000,000 channels x "
            r"\(states \+ transitions\), got 46,339 channels x 46,339; group channels "
            r"\(ChannelGrouping\), lower the order$",
        ):
            markov(counts, order=4, engine="numpy")

    def test_work_bound_counts_states_and_transitions(self) -> None:
        """10,000 channels in 5,000 pairs: 10,000 states + 5,000 transitions, over the bound."""
        ten = names("w", 10_000)
        counts = counts_of([((ten[2 * i], ten[2 * i + 1]), 1, 1, None) for i in range(5_000)])
        with pytest.raises(
            ValidationError,
            match=r"^markov with the numpy engine takes at most 24,000,000 channels x "
            r"\(states \+ transitions\), got 10,000 channels x 15,000; group channels "
            r"\(ChannelGrouping\), lower the order$",
        ):
            markov(counts, engine="numpy")


RULES = {
    "first_touch": first_touch,
    "last_touch": last_touch,
    "linear": linear,
    "position_based": position_based,
    "j_shaped": j_shaped,
    "inverse_j": inverse_j,
    "shapley": shapley,
}

KINDS = ("first", "last", "last_non_direct", "tokens", "distinct")

# 3,000 channels in two paths of 1,500 touches: the keys (length x 3,000 + channel) pass
# 1500 * 3000 = 4,500,000 > 2**22, so they are summed by sorting. The reversed first
# path converts nothing and has no value: its keys sum to zero and must not appear.
THREE_THOUSAND = names("t", 3_000)
WIDE = counts_of(
    [
        (tuple(THREE_THOUSAND[:1500]), 2, 1, "12.34"),
        (tuple(THREE_THOUSAND[1500:]), 1, 0, None),
        (tuple(reversed(THREE_THOUSAND[:1500])), 0, 5, None),
        (tuple(THREE_THOUSAND[1000:2500]), 0, 1, "0.50"),
    ]
)

# direct touches anywhere in a path, at its end, and a path of direct touches only
DIRECT = counts_of(
    [
        (("a", "direct", "b", "direct"), 2, 1, "30"),
        (("direct", "direct"), 1, 0, "4"),
        (("b", "a", "direct"), 3, 1, None),
        (("direct", "c", "a"), 1, 2, "7.70"),
        (("c",), 0, 2, "1"),
        (("b", "b"), 0, 0, "2"),
    ]
)


def ids_of(counts: PathCounts, channels: tuple[str, ...]) -> frozenset[int]:
    """The channel ids of ``channels`` in the table of ``counts``."""
    return frozenset(counts.table.names.index(name) for name in channels)


class TestRuleSums:
    @pytest.mark.parametrize("kind", KINDS)
    @pytest.mark.parametrize(
        "counts", [RUNS, DEAD, DIRECT, WIDE], ids=["runs", "dead", "direct", "wide"]
    )
    def test_sums_are_the_pure_python_sums(self, counts: PathCounts, kind: str) -> None:
        """Every kind of sum has the pure-Python keys and exact integers, dense keys or sorted."""
        direct = (
            ids_of(counts, ("direct",))
            if kind == "last_non_direct" and counts is DIRECT
            else frozenset()
        )
        assert fast.exact(counts.table)
        assert python_sums(counts.table, kind, direct) == fast.sums(counts.table, kind, direct)

    def test_last_non_direct_over_several_direct_channels(self) -> None:
        """With two channels direct, the last touch of neither is chosen, else the last touch."""
        direct = ids_of(DIRECT, ("direct", "a"))
        got = fast.sums(DIRECT.table, "last_non_direct", direct)
        assert python_sums(DIRECT.table, "last_non_direct", direct) == got
        b, c, d = (DIRECT.table.names.index(n) for n in ("b", "c", "direct"))
        # length 4: b (2 conv, 3000 cents); length 2: only direct -> direct (1, 400), and
        # (b, b) (0, 200); length 3: b (3, 0) and c (1, 770); length 1: c (0, 100)
        assert {
            (4, b): [2, 3000],
            (2, d): [1, 400],
            (2, b): [0, 200],
            (3, b): [3, 0],
            (3, c): [1, 770],
            (1, c): [0, 100],
        } == got

    def test_last_non_direct_at_the_very_first_touch(self) -> None:
        """The first touch of the table, followed by direct touches only, is the one chosen."""
        counts = counts_of([(("a", "direct", "direct"), 2, 0, "5"), (("direct",), 1, 0, None)])
        a, d = 0, 1
        # ("a", "direct", "direct"): a (touch 0 of all), 5 units of 1 EUR; ("direct",): direct
        assert {(3, a): [2, 5], (1, d): [1, 0]} == fast.sums(
            counts.table, "last_non_direct", frozenset([d])
        )
        assert {"a": 2.0, "direct": 1.0} == dict(last_non_direct(counts, engine="numpy").credits)

    @pytest.mark.parametrize("name", sorted(RULES))
    @pytest.mark.parametrize(
        "counts", [RUNS, DEAD, DIRECT, WIDE], ids=["runs", "dead", "direct", "wide"]
    )
    def test_rule_models_agree(self, name: str, counts: PathCounts) -> None:
        """Every rule model gives the same credits and cents on both engines."""
        python, numpy = (RULES[name](counts, engine=e) for e in ENGINES)
        assert (dict(python.credits), dict(python.value_credits)) == (
            dict(numpy.credits),
            dict(numpy.value_credits),
        )

    @pytest.mark.parametrize("direct", [None, ["direct"], ["direct", "a"], ["c"]])
    def test_last_non_direct_agrees(self, direct: list[str] | None) -> None:
        """last_non_direct with any direct channels gives the same credits on both engines."""
        python, numpy = (last_non_direct(DIRECT, direct=direct, engine=e) for e in ENGINES)
        assert (dict(python.credits), dict(python.value_credits)) == (
            dict(numpy.credits),
            dict(numpy.value_credits),
        )

    def test_sums_without_exact_values(self) -> None:
        """Values too large for float sums are left out of the numpy sums (conversions only)."""
        counts = counts_of(
            [
                (("a", "b"), 1, 0, "100000000000000000.01"),
                (("b",), 2, 1, "3.10"),
                (("a",), 0, 1, None),
            ]
        )
        assert not fast.exact(counts.table)
        a, b = 0, 1
        # first: (2, a) 1 conversion; (1, b) 2; (1, a) 0 conversions -> left out
        assert {(2, a): [1, 0], (1, b): [2, 0]} == fast.sums(counts.table, "first")
        assert {(2, a): [1, 0], (2, b): [1, 0], (1, b): [2, 0]} == fast.sums(counts.table, "tokens")
        for name in ("linear", "first_touch"):
            python, numpy = (RULES[name](counts, engine=e) for e in ENGINES)
            assert dict(python.value_credits) == dict(numpy.value_credits)

    def test_sums_of_no_path(self) -> None:
        """The empty table has no sums, and every rule model credits nothing on numpy."""
        empty = PathCounts.from_tuples([])
        assert {} == fast.sums(empty.table, "tokens")
        for model in RULES.values():
            assert {} == dict(model(empty, engine="numpy").credits)


# sampled weights: conversions and nulls that are not whole numbers
SAMPLED: list[Any] = [
    (("a", "b"), Fraction(1, 3), Fraction(1, 2), None),
    (("b",), 0.25, 1, None),
    (("a", "a", "c"), 2, Fraction(2, 7), None),
    (("c", "b", "a"), Fraction(5, 4), 0, None),
]
FRACTIONAL = PathCounts.from_tuples(SAMPLED)


class TestBlocks:
    """Sums over every touch run a block of whole paths at a time (three touches here)."""

    @pytest.fixture(autouse=True)
    def _small_blocks(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(fast, "_BLOCK", 3)

    def test_blocks_of_whole_paths(self) -> None:
        """Paths of 3, 1, 2, 4 touches (offsets 0 3 4 6 10): blocks start at the paths holding touches 0, 3, 6, 9."""
        offsets = np.asarray([0, 3, 4, 6, 10])
        # touch 3 starts path 1, touch 6 path 3, touch 9 is inside path 3: [0, 1) [1, 3) [3, 4)
        assert [(0, 1), (1, 3), (3, 4)] == fast._path_blocks(offsets)

    @pytest.mark.parametrize(
        "counts", [RUNS, DEAD, DIRECT, WIDE], ids=["runs", "dead", "direct", "wide"]
    )
    def test_touch_sums_in_blocks(self, counts: PathCounts) -> None:
        """Each touch's (path length, channel) sums, block by block: the pure-Python sums."""
        table = counts.table
        assert len(fast._path_blocks(fast.columns(table).offsets)) > 1
        assert python_sums(table, "tokens") == fast.sums(table, "tokens")

    @pytest.mark.parametrize("repeats", ["collapse", "keep"])
    @pytest.mark.parametrize("counts", [RUNS, DEAD], ids=["runs", "dead"])
    def test_first_order_steps_in_blocks(self, counts: PathCounts, repeats: str) -> None:
        """Order-1 steps summed block by block: the pure-Python chain, to the bit."""
        assert_same_chain(counts, 1, repeats)

    def test_a_step_never_crosses_from_one_block_to_the_next(self) -> None:
        """(b a) then (a b) in separate blocks: steps b -> a and a -> b, weight 1 each, no a -> a."""
        counts = counts_of([(("b", "a", "c"), 1, 0, None), (("a", "b"), 0, 1, None)])
        chain = fast.NumpyChain(counts.table, 1, False)
        # states a=0, b=1, c=2: b -> a, a -> c (path 1), a -> b (path 2)
        assert sorted(zip(chain.src.tolist(), chain.dst.tolist(), strict=True)) == [
            (0, 1),
            (0, 2),
            (1, 0),
        ]
        assert_same_chain(counts, 1, "keep")

    def test_touch_sums_beyond_a_dense_table(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """When the (length, channel) keys pass the dense bound, they are sorted: the same sums."""
        monkeypatch.setattr(fast, "_DENSE", 4)
        assert fast._touch_sums(fast.columns(RUNS.table), len(RUNS.channels)) is None
        assert python_sums(RUNS.table, "tokens") == fast.sums(RUNS.table, "tokens")


class TestFractionalCounts:
    @pytest.mark.parametrize("order", [1, 2])
    def test_markov(self, order: int) -> None:
        """Fractional weights give the pure-Python chain and credits."""
        assert not FRACTIONAL.table.whole
        assert_same_chain(FRACTIONAL, order, "collapse", bits=False)
        assert_same_markov(FRACTIONAL, order)

    def test_conversion_rate_game(self) -> None:
        """Fractional weights give the pure-Python conversion-rate Shapley values."""
        python, numpy = (shapley(FRACTIONAL, worth="conversion_rate", engine=e) for e in ENGINES)
        assert python.credits.keys() == numpy.credits.keys()
        for name, credit in python.credits.items():
            assert credit == pytest.approx(numpy.credits[name], rel=1e-12)

    def test_rule_models(self) -> None:
        """Fractional weights are summed exactly (by pure Python) on the numpy engine too."""
        assert not fast.exact(FRACTIONAL.table)
        for model in RULES.values():
            python, numpy = (model(FRACTIONAL, engine=e) for e in ENGINES)
            assert dict(python.credits) == dict(numpy.credits)


def units_table(*units: str) -> Any:
    """The table of one-touch converting paths worth these whole-euro amounts."""
    return counts_of([((f"p{i}",), 1, 0, u) for i, u in enumerate(units)]).table


class TestExactSums:
    def test_values_below_2_to_52_units_are_summed_as_floats(self) -> None:
        """A total of 2**52 - 1 units is exact in float sums: numpy sums them."""
        table = units_table("4503599627370000", "495")  # 2**52 - 1 = 4,503,599,627,370,495
        assert 2**52 - 1 == table.total_units()
        assert fast.exact(table)
        values = fast.columns(table).values
        assert values is not None
        assert [4503599627370000.0, 495.0] == values.tolist()

    def test_values_from_2_to_52_units_are_left_to_exact_sums(self) -> None:
        """A total of 2**52 units may round in float sums: numpy leaves the values out."""
        table = units_table("4503599627370000", "496")
        assert 2**52 == table.total_units()
        assert not fast.exact(table)
        assert fast.columns(table).values is None

    def test_no_values_are_exact(self) -> None:
        """A table without values has exact (zero) value sums."""
        table = counts_of([(("a",), 1, 0, None), (("b", "a"), 2, 3, None)]).table
        assert fast.exact(table)
        values = fast.columns(table).values
        assert values is not None
        assert [0.0, 0.0] == values.tolist()

    def test_columns(self) -> None:
        """The columns as arrays: tokens, offsets, lengths, counts and the path of each touch."""
        counts = counts_of([(("b", "a", "b"), 2, 1, "1.50"), (("a",), 0, 4, "0.25")])
        cols = fast.columns(counts.table)
        assert {
            "tokens": [1, 0, 1, 0],
            "offsets": [0, 3, 4],
            "lengths": [3, 1],
            "conv": [2.0, 0.0],
            "nulls": [1.0, 4.0],
            "values": [150.0, 25.0],
            "path_of": [0, 0, 0, 1],
        } == {
            "tokens": cols.tokens.tolist(),
            "offsets": cols.offsets.tolist(),
            "lengths": cols.lengths.tolist(),
            "conv": cols.conv.tolist(),
            "nulls": cols.nulls.tolist(),
            "values": None if cols.values is None else cols.values.tolist(),
            "path_of": cols.path_of.tolist(),
        }
        assert cols is fast.columns(counts.table)  # made once per table
        assert "u1" == cols.narrow.dtype.str[1:]  # the table's own one-byte ids, not copied

    def test_columns_of_sampled_weights(self) -> None:
        """Fractional counts become floats, in the canonical (sorted) row order."""
        counts = PathCounts.from_tuples([(("b",), 0.25, 1, None), (("a",), 2, 0.5, None)])
        cols = fast.columns(counts.table)
        # rows sorted by path: ("a",) then ("b",)
        assert {"tokens": [0, 1], "conv": [2.0, 0.25], "nulls": [0.5, 1.0]} == {
            "tokens": cols.tokens.tolist(),
            "conv": cols.conv.tolist(),
            "nulls": cols.nulls.tolist(),
        }

    def test_columns_of_no_path(self) -> None:
        """The empty table has empty columns (and one offset)."""
        cols = fast.columns(PathCounts.from_tuples([]).table)
        assert {"tokens": [], "offsets": [0], "conv": [], "path_of": []} == {
            "tokens": cols.tokens.tolist(),
            "offsets": cols.offsets.tolist(),
            "conv": cols.conv.tolist(),
            "path_of": cols.path_of.tolist(),
        }


# The conversion-rate game of the shapley docstring: (a) 1 of 10, (a, b) 3 of 10,
# (c) 0 of 10. v(a) = 1/10, v(ab) = 4/20, v(ac) = 1/20, v(abc) = 4/30, others 0.
# phi_a = 1/3 * 1/10 + 1/6 * 4/20 + 1/6 * 1/20 + 1/3 * 4/30 = 43/360
# phi_b = 1/6 * (4/20 - 1/10) + 1/3 * (4/30 - 1/20) = 2/45
# phi_c = 1/6 * (1/20 - 1/10) + 1/3 * (4/30 - 4/20) = -11/360
RATE_GAME = counts_of([(("a",), 1, 9, None), (("a", "b"), 3, 7, None), (("c",), 0, 10, None)])


class TestConversionRateGame:
    def test_values_by_hand(self) -> None:
        """The Shapley values of the rate game, then the grand coalition's rate 4/30."""
        assert [43 / 360, 2 / 45, -11 / 360, 4 / 30] == pytest.approx(
            fast.rate_values(RATE_GAME.table, 3), rel=1e-14
        )

    def test_credits_by_hand(self) -> None:
        """Scaled to 4 conversions (x 30): a 43/12, b 4/3, c -11/12."""
        got = shapley(RATE_GAME, worth="conversion_rate", engine="numpy").credits
        assert {"a": 43 / 12, "b": 4 / 3, "c": -11 / 12} == pytest.approx(dict(got), rel=1e-14)

    @pytest.mark.parametrize("counts", [RUNS, DEAD, DIRECT], ids=["runs", "dead", "direct"])
    def test_agrees_with_pure_python(self, counts: PathCounts) -> None:
        """Four to five channels: the same credits and cents as pure Python."""
        python, numpy = (shapley(counts, worth="conversion_rate", engine=e) for e in ENGINES)
        assert dict(python.value_credits) == dict(numpy.value_credits)
        for name, credit in python.credits.items():
            assert credit == pytest.approx(numpy.credits[name], rel=1e-12, abs=1e-15)

    def test_one_channel(self) -> None:
        """One channel: its value is the rate of its journeys, 3 of 4."""
        counts = counts_of([(("a",), 1, 1, None), (("a", "a"), 2, 0, None)])
        assert [0.75, 0.75] == fast.rate_values(counts.table, 1)

    def test_no_path(self) -> None:
        """No channel and no journey: only the grand rate, 0."""
        empty = PathCounts.from_tuples([])
        assert [0.0] == fast.rate_values(empty.table, 0)
        assert {} == dict(shapley(empty, worth="conversion_rate", engine="numpy").credits)
