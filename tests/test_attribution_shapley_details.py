"""More tests for salesmark.attribution.shapley_values: the pure-Python rate game, its paths and details."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import pytest

from salesmark import CurrencyMismatch, Money, ValidationError, WrongType
from salesmark.attribution import (
    PathCounts,
    PositionCredit,
    ShapleyStatistics,
    ordered_shapley,
    shapley,
    shapley_statistics,
)

Row = tuple[tuple[str, ...], float, float]

# v(a)=1/10, v(ab)=1/5, v(ac)=1/20, v(abc)=2/15, others 0 (no journey inside b, c or bc).
THREE_ROWS: list[Row] = [(("a",), 1, 9), (("a", "b"), 3, 7), (("c",), 0, 10)]
# phi: a = 43/360, b = 4/90, c = -11/360 (sum 2/15); scaled by 4 / (2/15) = 30.
THREE_CREDITS = {"a": 43 / 12, "b": 4 / 3, "c": -11 / 12}
# The same rates at half the counts (not whole: the float transform); scale 2 / (2/15) = 15.
HALF_ROWS: list[Row] = [(("a",), 0.5, 4.5), (("a", "b"), 1.5, 3.5), (("c",), 0, 5)]
HALF_CREDITS = {"a": 43 / 24, "b": 2 / 3, "c": -11 / 24}

TINY = 2.0**-346  # a count this small makes rate x weight terms too fine to pack exactly


def counts_of(rows: list[Row], currency: str | None = None) -> PathCounts:
    """PathCounts of (path, conversions, nulls) rows, without value."""
    return PathCounts.from_tuples([(p, c, n, None) for p, c, n in rows], currency=currency)


def rate_reference(rows: list[Row]) -> dict[str, float]:
    """Scaled conversion-rate Shapley credits, exactly: sum over S of w(|S|) (v(S+i) - v(S))."""
    players = sorted({c for path, _, _ in rows for c in path})
    n = len(players)

    def v(coalition: frozenset[str]) -> Fraction:
        inside = [
            (Fraction(c), Fraction(c) + Fraction(m)) for p, c, m in rows if set(p) <= coalition
        ]
        total = sum((t for _, t in inside), Fraction(0))
        return sum((c for c, _ in inside), Fraction(0)) / total if total else Fraction(0)

    worth = {
        frozenset(s): v(frozenset(s))
        for k in range(n + 1)
        for s in itertools.combinations(players, k)
    }
    phi = dict.fromkeys(players, Fraction(0))
    for coalition, value in worth.items():
        if len(coalition) == n:
            continue  # no channel left to join
        weight = Fraction(math.factorial(len(coalition)) * math.factorial(n - len(coalition) - 1))
        for p in players:
            if p not in coalition:
                phi[p] += weight / math.factorial(n) * (worth[coalition | {p}] - value)
    grand = worth[frozenset(players)]
    conversions = sum((Fraction(c) for _, c, _ in rows), Fraction(0))
    scale = conversions / grand if grand else Fraction(0)
    return {p: float(x * scale) for p, x in phi.items()}


def rate_credits(data: PathCounts | ShapleyStatistics) -> dict[str, float]:
    """The pure-Python conversion-rate credits of PathCounts or of a statistic."""
    if isinstance(data, ShapleyStatistics):
        return dict(data.result(worth="conversion_rate").credits)
    return dict(shapley(data, worth="conversion_rate", engine="python").credits)


def steps_of(data: PathCounts, **kwargs: object) -> list[tuple[int, int]]:
    """Every (done, total) that shapley reports for ``data``."""
    seen: list[tuple[int, int]] = []
    shapley(data, progress=lambda d, t: seen.append((d, t)), **kwargs)  # type: ignore[arg-type]
    return seen


# Eight channels (bits 6 and 7 are read as contiguous runs), counts not all whole.
EIGHT_ROWS: list[Row] = [
    (tuple(f"c{i}" for i in range(8)), 2.5, 1.5),
    (("c0", "c7"), 1.5, 0.5),
    (("c3",), 0.5, 2.0),
    (("c6", "c1", "c5"), 1.0, 1.25),
    (("c2", "c4"), 0.0, 0.75),
    (("c7",), 1.0, 3.0),
    (("c6", "c7"), 2.0, 1.0),
]


class TestPythonRateGame:
    def test_reference_agrees_with_the_hand_calculation(self) -> None:
        """The exact reference gives the hand-worked three-channel credits (a check of the check)."""
        assert THREE_CREDITS == pytest.approx(rate_reference(THREE_ROWS), rel=1e-15)

    def test_whole_counts(self) -> None:
        """Whole counts (the packed transform) give the hand-worked credits, model and parameters."""
        result = shapley(counts_of(THREE_ROWS), worth="conversion_rate", engine="python")
        assert THREE_CREDITS == pytest.approx(dict(result.credits), rel=1e-12)
        assert ("shapley", {"worth": "conversion_rate"}) == (result.model, dict(result.parameters))
        assert 4.0 == result.total_conversions

    def test_counts_not_whole(self) -> None:
        """Half counts (the float transform, with empty coalitions at rate 0) halve the credits."""
        assert HALF_CREDITS == pytest.approx(rate_credits(counts_of(HALF_ROWS)), rel=1e-12)

    @pytest.mark.parametrize("scale", [1, 0.5])
    def test_eight_channels(self, scale: float) -> None:
        """Eight channels, whole (packed) and halved (float runs of 64 and more), match the exact sums."""
        rows = [(p, c * scale, m * scale) for p, c, m in EIGHT_ROWS]
        expected = rate_reference(rows)
        got = rate_credits(counts_of(rows))
        assert expected == pytest.approx(got, rel=1e-12, abs=1e-12)
        assert expected.keys() == got.keys()

    def test_too_fine_for_one_half(self) -> None:
        """A tiny grand-coalition rate makes only the gains too fine to pack: both halves are summed exactly."""
        # v(a) = 1, v(b) = 0, v(ab) = r ~ 1e-300: phi(a) = (1 + r) / 2, phi(b) = (r - 1) / 2,
        # scaled by 1e-300 / r ~ 1.
        rows: list[Row] = [(("a",), 1e-300, 0), (("b",), 0, 1)]
        assert {"a": 0.5, "b": -0.5} == rate_credits(counts_of(rows))

    def test_too_fine_for_the_other_half(self) -> None:
        """A tiny singleton rate, finer than packable only as a loss term: the credits stay exact."""
        # v(a) = TINY ~ 0, v(b) = v(c) = v(bc) = 1/2, v(ab) = v(ac) = 1/3, v(abc) = 2/5:
        # phi(a) = (1/6)(-1/6) * 2 + (1/3)(-1/10) = -4/45, phi(b) = phi(c) = 1/6 + 1/18 + 1/45 = 11/45,
        # scaled by 2 / (2/5) = 5.  The gain term TINY/3 packs, the loss term TINY/6 does not.
        rows: list[Row] = [(("a",), TINY, 1), (("b",), 1, 1), (("c",), 1, 1)]
        expected = {"a": -4 / 9, "b": 11 / 9, "c": 11 / 9}
        assert expected == pytest.approx(rate_credits(counts_of(rows)), rel=1e-12)

    def test_too_fine_with_eight_channels(self) -> None:
        """Eight channels with a tiny rate (summed without packing, over runs of 64 and more) match the exact sums."""
        # v(c2) = TINY and v(c2, c4) = TINY / 1.75: both halves too fine to pack.
        rows = [*EIGHT_ROWS, (("c2",), TINY, 1.0)]
        expected = rate_reference(rows)
        assert expected == pytest.approx(rate_credits(counts_of(rows)), rel=1e-12, abs=1e-12)

    @pytest.mark.parametrize("scale", [1, 0.5])
    def test_paths_with_the_same_channels(self, scale: float) -> None:
        """Different paths over the same channel set add up into one coalition, whole counts or not."""
        # (a, b) 1/1 and (b, a, b) 1/3: v(ab) = (1 + 1 + 1) / (2 + 4 + 2) = 3/8 with (a) 1/1;
        # v(a) = 1/2, v(b) = 0: phi(a) = 1/4 + 3/16 = 7/16, phi(b) = (3/8 - 1/2) / 2 = -1/16,
        # scaled by 3 / (3/8) = 8.
        rows: list[Row] = [(("a", "b"), 1, 1), (("b", "a", "b"), 1, 3), (("a",), 1, 1)]
        counts = counts_of([(p, c * scale, m * scale) for p, c, m in rows])
        expected = {"a": 3.5 * scale, "b": -0.5 * scale}
        assert expected == pytest.approx(rate_credits(counts), rel=1e-12)

    def test_no_conversions(self) -> None:
        """Without conversions every credit and value share is zero (no division by a zero rate)."""
        counts = PathCounts.from_tuples(
            [(("a",), 0, 3, "10"), (("b", "a"), 0, 2, None)], currency="EUR"
        )
        result = shapley(counts, worth="conversion_rate", engine="python")
        assert {"a": 0.0, "b": 0.0} == dict(result.credits)
        assert {"a": Money("0", "EUR"), "b": Money("0", "EUR")} == dict(result.value_credits)

    def test_value_is_split(self) -> None:
        """Two channels always together share the rate credit and the value equally."""
        # v(a) = v(b) = 0, v(ab) = 1/2: phi = 1/4 each, scaled by 1 / (1/2) = 2; 10 EUR in halves.
        counts = PathCounts.from_tuples([(("a", "b"), 1, 1, "10")], currency="EUR")
        result = shapley(counts, worth="conversion_rate", engine="python")
        assert {"a": 0.5, "b": 0.5} == dict(result.credits)
        assert {"a": Money("5", "EUR"), "b": Money("5", "EUR")} == dict(result.value_credits)
        assert Money("10", "EUR") == result.total_value


class TestProgress:
    def test_packed_rate_game(self) -> None:
        """Whole counts: each of 3 bits advances both packed columns (2, 4, 6), then one step a channel."""
        assert [(0, 9), (2, 9), (4, 9), (6, 9), (7, 9), (8, 9), (9, 9)] == steps_of(
            counts_of(THREE_ROWS), worth="conversion_rate", engine="python"
        )

    def test_float_rate_game(self) -> None:
        """Counts not whole: one step a bit of each transform (3 + 3), then one a channel (3)."""
        assert [(d, 9) for d in range(10)] == steps_of(
            counts_of(HALF_ROWS), worth="conversion_rate", engine="python"
        )

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_conversions_game(self, engine: str) -> None:
        """worth=conversions is one step, with either engine."""
        if engine == "numpy":
            pytest.importorskip("numpy")
        assert [(0, 1), (1, 1)] == steps_of(counts_of(THREE_ROWS), engine=engine)

    @pytest.mark.parametrize(
        ("worth", "engine"),
        [("conversions", "python"), ("conversion_rate", "python"), ("conversion_rate", "numpy")],
    )
    def test_bad_progress(self, worth: str, engine: str) -> None:
        """A progress that is not callable is refused, naming shapley."""
        if engine == "numpy":
            pytest.importorskip("numpy")
        with pytest.raises(
            WrongType,
            match=r"^shapley progress must be a callable progress\(done, total\), True for a bar, "
            r"or None, got 'x'$",
        ):
            shapley(counts_of(THREE_ROWS), worth=worth, engine=engine, progress="x")  # type: ignore[arg-type]


class TestEngines:
    @pytest.mark.parametrize(("engine", "calls"), [("numpy", [3]), ("python", [])])
    def test_rate_game_transform(
        self, monkeypatch: pytest.MonkeyPatch, engine: str, calls: list[int]
    ) -> None:
        """engine="numpy" runs numpy's rate transform (once, over 3 channels); "python" does not."""
        pytest.importorskip("numpy")
        from salesmark.attribution import _numpy_engine as fast

        seen: list[int] = []
        original = fast.rate_values

        def spy(table: Any, n: int) -> list[float]:
            seen.append(n)
            return original(table, n)

        monkeypatch.setattr(fast, "rate_values", spy)
        result = shapley(counts_of(THREE_ROWS), worth="conversion_rate", engine=engine)  # type: ignore[arg-type]
        assert THREE_CREDITS == pytest.approx(dict(result.credits), rel=1e-12)
        assert calls == seen

    @pytest.mark.parametrize(("engine", "kinds"), [("numpy", ["distinct"]), ("python", [])])
    def test_conversions_game_sums(
        self, monkeypatch: pytest.MonkeyPatch, engine: str, kinds: list[str]
    ) -> None:
        """engine="numpy" takes the distinct-channel sums from numpy; "python" does not."""
        pytest.importorskip("numpy")
        from salesmark.attribution import _numpy_engine as fast

        seen: list[str] = []
        original = fast.sums

        def spy(table: Any, kind: str, direct: frozenset[int]) -> Any:
            seen.append(kind)
            return original(table, kind, direct)

        monkeypatch.setattr(fast, "sums", spy)
        result = shapley(counts_of(THREE_ROWS), engine=engine)  # type: ignore[arg-type]
        assert {"a": 2.5, "b": 1.5, "c": 0.0} == dict(result.credits)
        assert kinds == seen


class TestConversionsGame:
    def test_model_and_parameters(self) -> None:
        """worth=conversions names the model and its worth."""
        result = shapley(counts_of(THREE_ROWS), engine="python")
        assert ("shapley", {"worth": "conversions"}) == (result.model, dict(result.parameters))

    def test_shares_by_distinct_channels(self) -> None:
        """Each journey's conversions go in equal shares to its distinct channels, repeats or not."""
        # (a, b, a, c) x3: 1 each; (b, b) x2: 2 to b; (c, a) x1: 1/2 each; (d) x0: nothing.
        counts = counts_of(
            [(("a", "b", "a", "c"), 3, 1), (("b", "b"), 2, 0), (("c", "a"), 1, 5), (("d",), 0, 4)]
        )
        expected = {"a": 1.5, "b": 3.0, "c": 1.5, "d": 0.0}
        assert expected == dict(shapley(counts, engine="python").credits)


class TestOrderedShapley:
    def test_non_converting_row_first(self) -> None:
        """A journey without conversions before converting ones is skipped, the others still counted."""
        # (x, y) x0: nothing; (y, x, x) x3: y 3/2 at 1; x 3/2 split over 2 and 3 (3/4 each).
        counts = counts_of([(("x", "y"), 0, 4), (("y", "x", "x"), 3, 0)])
        ordered = ordered_shapley(counts)
        assert [("x", 2, 0.75), ("x", 3, 0.75), ("y", 1, 1.5)] == [
            (r.channel, r.position, r.conversions) for r in ordered.rows
        ]
        assert 3.0 == ordered.total_conversions

    def test_positions_in_order(self) -> None:
        """by_position lists positions in increasing order, whatever the channel order of the rows."""
        # (a, b, a) x2: a 1/2 at 1 and 3, b 1 at 2; (b) x1: b 1 at 1.  Rows: a1, a3, b1, b2.
        counts = counts_of([(("a", "b", "a"), 2, 0), (("b",), 1, 0)])
        ordered = ordered_shapley(counts)
        assert [(1, 1.5), (2, 1.0), (3, 0.5)] == list(ordered.by_position().items())
        # b at 2 is met before b at 1, yet the rows go by channel, then position.
        assert [("a", 1, 0.5), ("a", 3, 0.5), ("b", 1, 1.0), ("b", 2, 1.0)] == [
            (r.channel, r.position, r.conversions) for r in ordered.rows
        ]

    def test_same_key_from_several_paths(self) -> None:
        """Paths sharing a channel, position, size and repeat count add up before the split."""
        # (a, b) x1 and (a, c) x3: a at 1 gets (1 + 3) / 2 = 2; b at 2 1/2, c at 2 3/2.
        # (a, a) x2: a at 1 and 2 get 2 / (1 * 2) = 1 each.
        counts = counts_of([(("a", "b"), 1, 0), (("a", "c"), 3, 0), (("a", "a"), 2, 0)])
        ordered = ordered_shapley(counts)
        assert [("a", 1, 3.0), ("a", 2, 1.0), ("b", 2, 0.5), ("c", 2, 1.5)] == [
            (r.channel, r.position, r.conversions) for r in ordered.rows
        ]
        assert {"a": 4.0, "b": 0.5, "c": 1.5} == ordered.by_channel()

    def test_position_credit_refusals(self) -> None:
        """A position credit needs a non-empty channel and a position of at least 1."""
        with pytest.raises(
            ValidationError, match=r"^PositionCredit\.position must be a whole number >= 1, got 0$"
        ):
            PositionCredit(channel="a", position=0, conversions=1.0)
        with pytest.raises(
            ValidationError, match=r"^PositionCredit\.channel must be a non-empty string, got ''$"
        ):
            PositionCredit(channel="", position=1, conversions=1.0)


class TestStatistics:
    def test_rows_of_one_coalition_add_up(self) -> None:
        """Every journey with the same channel set adds its conversions, nulls and value units."""
        counts = PathCounts.from_tuples(
            [(("b", "a"), 1, 1, "2"), (("a", "b", "a"), 2, 3, "5"), (("a",), 1, 1, "1")],
            currency="EUR",
        )
        stats = shapley_statistics(counts)
        # (b, a) and (a, b, a): 1 + 2 conversions, 1 + 3 nulls, 2 + 5 EUR.
        assert {("a", "b"): (3, 4, 7), ("a",): (1, 1, 1)} == dict(stats.coalitions)

    def test_rate_result_by_hand(self) -> None:
        """The statistic's conversion-rate credits are the hand-worked ones, whole or not."""
        assert THREE_CREDITS == pytest.approx(
            rate_credits(shapley_statistics(counts_of(THREE_ROWS))), rel=1e-12
        )
        assert HALF_CREDITS == pytest.approx(
            rate_credits(shapley_statistics(counts_of(HALF_ROWS))), rel=1e-12
        )

    def test_rate_result_of_eight_channels(self) -> None:
        """Eight channels from the statistic match the exact sums."""
        expected = rate_reference(EIGHT_ROWS)
        got = rate_credits(shapley_statistics(counts_of(EIGHT_ROWS)))
        assert expected == pytest.approx(got, rel=1e-12, abs=1e-12)

    def test_conversions_result_without_value(self) -> None:
        """worth=conversions counts coalitions with conversions but no value, and skips empty ones."""
        # (a) x0 sorts first and earns nothing; (b, c) x2 without value: 1 each; (b) x1 with 6 EUR.
        counts = PathCounts.from_tuples(
            [(("a",), 0, 4, None), (("c", "b"), 2, 1, None), (("b",), 1, 0, "6")],
            currency="EUR",
        )
        stats = shapley_statistics(counts)
        assert [("a",), ("b",), ("b", "c")] == list(stats.coalitions)
        result = stats.result()
        assert {"a": 0.0, "b": 2.0, "c": 1.0} == dict(result.credits)
        assert {"a": Money("0", "EUR"), "b": Money("6", "EUR"), "c": Money("0", "EUR")} == dict(
            result.value_credits
        )
        assert result == shapley(counts, engine="python")

    def test_conversions_result_with_value_only(self) -> None:
        """A coalition with value but no conversions still takes its value share."""
        # (a) x0 with 4 EUR: no conversion credit, the whole value to a; (b) x1: 1 conversion.
        counts = PathCounts.from_tuples([(("a",), 0, 2, "4"), (("b",), 1, 0, None)], currency="EUR")
        result = shapley_statistics(counts).result()
        assert {"a": 0.0, "b": 1.0} == dict(result.credits)
        assert {"a": Money("4", "EUR"), "b": Money("0", "EUR")} == dict(result.value_credits)
        assert result == shapley(counts, engine="python")

    def test_conversions_result_shared_keys(self) -> None:
        """Coalitions of one size that share a channel add up that channel's conversions and value."""
        # (a, b) x2 with 4 EUR, (a, c) x4 with 2 EUR: a 1 + 2 = 3, b 1, c 2; value a 2 + 1, b 2, c 1.
        counts = PathCounts.from_tuples(
            [(("a", "b"), 2, 0, "4"), (("c", "a"), 4, 1, "2")], currency="EUR"
        )
        result = shapley_statistics(counts).result()
        assert {"a": 3.0, "b": 1.0, "c": 2.0} == dict(result.credits)
        assert {"a": Money("3", "EUR"), "b": Money("2", "EUR"), "c": Money("1", "EUR")} == dict(
            result.value_credits
        )
        assert result == shapley(counts, engine="python")

    def test_merge_rescales_values(self) -> None:
        """Parts whose values have different exponents merge in the finer unit."""
        cents = shapley_statistics(PathCounts.from_tuples([(("a",), 1, 0, "1.5")], currency="EUR"))
        whole = shapley_statistics(
            PathCounts.from_tuples([(("a", "b"), 1, 2, "2")], currency="EUR")
        )
        merged = cents + whole
        # 1.5 EUR is 15 tenths, 2 EUR 20 tenths.
        assert {("a",): (1, 0, 15), ("a", "b"): (1, 2, 20)} == dict(merged.coalitions)
        assert (-1, 35) == (merged.exponent, merged.value)

    def test_merge_refusals(self) -> None:
        """Parts in different currencies, or too many journeys, are refused naming the merge."""
        euros = shapley_statistics(PathCounts.from_tuples([(("a",), 1, 0, "1")], currency="EUR"))
        dollars = shapley_statistics(PathCounts.from_tuples([(("b",), 1, 0, "1")], currency="USD"))
        with pytest.raises(
            CurrencyMismatch,
            match=r"^ShapleyStatistics\.merge parts must share one currency, got \['EUR', 'USD'\]$",
        ):
            euros + dollars
        big = shapley_statistics(counts_of([(("a",), 2**53, 0)]))
        with pytest.raises(
            ValidationError,
            match=r"^ShapleyStatistics\.merge can merge at most 9,007,199,254,740,992 journeys in all, "
            r"got 1\.80144e\+16$",
        ):
            big + big

    def test_coalition_cells(self) -> None:
        """Each coalition holds exactly three counts."""
        with pytest.raises(
            ValidationError,
            match=r"^ShapleyStatistics\.coalitions\[\('a',\)\] must hold 3 counts, got \(1, 2\)$",
        ):
            ShapleyStatistics(coalitions={("a",): (1, 2)})

    def test_too_many_channels(self) -> None:
        """The statistic's rate game refuses 21 channels with the same message as shapley."""
        stats = shapley_statistics(counts_of([((f"c{i}",), 1, 1) for i in range(21)]))
        with pytest.raises(
            ValidationError,
            match=r"^shapley worth='conversion_rate' handles at most 20 channels \(2\^n coalitions\), "
            r"got 21; group channels \(see ChannelGrouping\) or use worth='conversions', which has no limit$",
        ):
            stats.result(worth="conversion_rate")
        assert 21.0 == sum(stats.result().credits.values())

    def test_merge_gives_back_the_one_part(self) -> None:
        """Merging one part with journeys (and empties) gives that very part back."""
        one = shapley_statistics(counts_of(THREE_ROWS))
        assert ShapleyStatistics.merge([one]) is one
        assert ShapleyStatistics.merge([ShapleyStatistics(), one]) is one

    def test_merge_of_empties(self) -> None:
        """Merging only empty parts gives the first of them back."""
        first = ShapleyStatistics(currency="EUR")
        assert ShapleyStatistics.merge([first]) is first
        assert ShapleyStatistics.merge([first, ShapleyStatistics()]) is first
