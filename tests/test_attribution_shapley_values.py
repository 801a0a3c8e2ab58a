"""Tests for salesmark.attribution.shapley_values: exact Shapley values, plain and by touch position."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import Money, ValidationError, WrongType
from salesmark.attribution import (
    MAX_SHAPLEY_CHANNELS,
    PathCounts,
    PositionCredit,
    ShapleyStatistics,
    ordered_shapley,
    shapley,
    shapley_statistics,
)
from salesmark.testing.strategies import channel_paths, converting_counts, path_rows
from strategies import counts_of

# Rows with larger counts than the shared strategy, at least one of them converting.
converting_rows = st.lists(
    st.tuples(channel_paths(), st.integers(0, 20), st.integers(0, 20), st.none()),
    min_size=1,
    max_size=12,
).filter(lambda rows: any(conv for _, conv, _, _ in rows))

THREE = PathCounts.from_tuples(
    [(("a",), 1, 9, None), (("a", "b"), 3, 7, None), (("c",), 0, 10, None)]
)


def brute_force(counts: PathCounts, worth: str) -> dict[str, Fraction]:
    """Shapley values by averaging marginal worths over every ordering."""
    players = counts.channels

    def v(coalition: frozenset[str]) -> Fraction:
        conv = Fraction(0)
        total = Fraction(0)
        for path, (c, nulls, _value) in counts.paths.items():
            if set(path) <= coalition:
                conv += Fraction(c)
                total += Fraction(c) + Fraction(nulls)
        if worth == "conversions":
            return conv
        return conv / total if total else Fraction(0)

    values = dict.fromkeys(players, Fraction(0))
    for order in itertools.permutations(players):
        joined: frozenset[str] = frozenset()
        for player in order:
            values[player] += v(joined | {player}) - v(joined)
            joined = joined | {player}
    n_orders = math.factorial(len(players))
    return {p: x / n_orders for p, x in values.items()}


class TestShapley:
    def test_hand_worked_conversions(self) -> None:
        """With worth=conversions, each journey is shared by its distinct channels."""
        assert {"a": 2.5, "b": 1.5, "c": 0.0} == dict(shapley(THREE).credits)

    def test_hand_worked_conversion_rate(self) -> None:
        """With worth=conversion_rate, the 3-channel example matches the paper calculation."""
        # v(a)=1/10, v(ab)=1/5, v(ac)=1/20, v(abc)=2/15, others 0; scaled by 4 / (2/15) = 30.
        expected = {"a": 43 / 12, "b": 4 / 3, "c": -11 / 12}
        assert expected == pytest.approx(
            dict(shapley(THREE, worth="conversion_rate").credits), rel=1e-12
        )

    @settings(max_examples=20, deadline=None)
    @given(converting_counts())
    def test_matches_brute_force(self, counts: PathCounts) -> None:
        """Both worths equal the average marginal worth over all orderings."""
        for worth in ("conversions", "conversion_rate"):
            exact = brute_force(counts, worth)
            result = shapley(counts, worth=worth)  # type: ignore[arg-type]
            grand = sum(exact.values(), Fraction(0))
            scale = Fraction(counts.total_conversions) / grand if grand else Fraction(0)
            expected = {k: float(v * scale) for k, v in exact.items()}
            assert expected == pytest.approx(dict(result.credits), rel=1e-9, abs=1e-9)

    @settings(max_examples=20, deadline=None)
    @given(rows=path_rows())
    def test_conversions_conserved_and_non_negative(self, rows: list) -> None:  # type: ignore[type-arg]
        """worth=conversions credits are >= 0, sum to conversions, value sums exactly."""
        counts = counts_of(rows)
        result = shapley(counts)
        assert all(v >= 0 for v in result.credits.values())
        assert pytest.approx(float(counts.total_conversions), abs=1e-9) == sum(
            result.credits.values()
        )
        assert counts.total_value == Money.total(result.value_credits.values(), "EUR")

    @settings(max_examples=20, deadline=None)
    @given(counts=converting_counts())
    def test_rate_value_credits_sum_exactly(self, counts: PathCounts) -> None:
        """worth=conversion_rate credits sum to conversions; value sums exactly, even with negatives."""
        result = shapley(counts, worth="conversion_rate")
        assert pytest.approx(float(counts.total_conversions), rel=1e-9) == sum(
            result.credits.values()
        )
        assert counts.total_value == Money.total(result.value_credits.values(), "EUR")

    @settings(max_examples=20, deadline=None)
    @given(left=path_rows(), right=path_rows())
    def test_split_data_gives_the_same_result(self, left: list, right: list) -> None:  # type: ignore[type-arg]
        """shapley(a + b) == shapley(whole) for both worths."""
        for worth in ("conversions", "conversion_rate"):
            whole = shapley(counts_of(left + right), worth=worth)  # type: ignore[arg-type]
            assert whole == shapley(counts_of(left) + counts_of(right), worth=worth)  # type: ignore[arg-type]

    def test_symmetric_channels_share_equally(self) -> None:
        """Ten channels that always appear together share the rate credit equally."""
        path = tuple(f"c{i}" for i in range(10))
        counts = PathCounts.from_tuples([(path, 5, 5, None), (("c0",), 0, 10, None)])
        shares = shapley(counts, worth="conversion_rate").credits
        assert pytest.approx(shares["c1"], rel=1e-9) == shares["c9"]
        assert pytest.approx(5.0, rel=1e-9) == sum(shares.values())

    def test_too_many_channels(self) -> None:
        """More channels than the limit is a clear error for conversion_rate only."""
        counts = PathCounts.from_tuples(
            [((f"c{i}",), 1, 1, None) for i in range(MAX_SHAPLEY_CHANNELS + 1)]
        )
        with pytest.raises(ValidationError, match="at most 20 channels"):
            shapley(counts, worth="conversion_rate")
        assert 21.0 == sum(shapley(counts).credits.values())

    def test_bad_worth(self) -> None:
        """An unknown worth is refused."""
        with pytest.raises(ValidationError, match="worth"):
            shapley(THREE, worth="revenue")  # type: ignore[arg-type]


class TestOrderedShapley:
    def test_hand_worked(self) -> None:
        """Path ad > email > ad with 2 conversions: ad's half splits over positions 1 and 3."""
        result = ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 2, 5, None)]))
        expected = [
            {"channel": "ad", "position": 1, "conversions": 0.5},
            {"channel": "ad", "position": 3, "conversions": 0.5},
            {"channel": "email", "position": 2, "conversions": 1.0},
        ]
        assert expected == [attrs.asdict(r) for r in result.rows]
        assert {1: 0.5, 2: 1.0, 3: 0.5} == result.by_position()
        assert (
            "PositionCredits(ordered_shapley: 2 conversions over 2 channels and 3 channel positions)"
            == repr(result)
        )

    @given(converting_rows)
    def test_positions_sum_to_plain_shapley(self, rows: list) -> None:  # type: ignore[type-arg]
        """Summed over positions, each channel's credit is its Shapley value; all sum to the conversions."""
        counts = PathCounts.from_tuples(rows)
        ordered = ordered_shapley(counts)
        plain = shapley(counts)
        for channel, credit in ordered.by_channel().items():
            assert math.isclose(plain.credits[channel], credit, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(
            counts.total_conversions, math.fsum(r.conversions for r in ordered.rows), rel_tol=1e-9
        )
        assert all(r.conversions >= 0 for r in ordered.rows)

    def test_records(self) -> None:
        """to_records gives one plain dict per channel and position."""
        result = ordered_shapley(PathCounts.from_tuples([(("ad", "email"), 1, 0, None)]))
        assert [
            {"channel": "ad", "position": 1, "conversions": 0.5},
            {"channel": "email", "position": 2, "conversions": 0.5},
        ] == result.to_records()

    def test_bad_input(self) -> None:
        """Something that is not paths or journeys is refused."""
        with pytest.raises(ValidationError):
            ordered_shapley("ad > email")  # type: ignore[arg-type]


EIGHT = PathCounts.from_tuples(
    [
        (tuple(f"c{i}" for i in range(8)), 2.5, 1.5, None),  # sampled weights: not packable
        (("c0", "c7"), 1.5, 0.5, None),
        (("c3",), 0.5, 2.0, None),
        (("c6", "c1", "c5"), 1.0, 1.25, None),
        (("c2", "c4"), 0.0, 0.75, None),
    ]
)


class TestShapleyDetails:
    def test_many_channels_in_floats(self) -> None:
        """Eight channels (256 coalitions, runs of 64 and more) with sampled weights: the float transform agrees with numpy's."""
        pytest.importorskip("numpy")
        python = shapley(EIGHT, worth="conversion_rate", engine="python")
        fast = shapley(EIGHT, worth="conversion_rate", engine="numpy")
        assert pytest.approx(dict(fast.credits), rel=1e-12, abs=1e-12) == dict(python.credits)
        assert pytest.approx(5.5, rel=1e-12) == math.fsum(python.credits.values())

    @pytest.mark.parametrize(("engine", "steps"), [("python", 9), ("numpy", 1)])
    def test_progress_of_the_rate_game(self, engine: str, steps: int) -> None:
        """The pure-Python rate game reports three steps a channel (3 x 3 = 9), numpy one."""
        pytest.importorskip("numpy")
        seen: list[tuple[int, int]] = []
        shapley(
            THREE, worth="conversion_rate", engine=engine, progress=lambda d, t: seen.append((d, t))
        )  # type: ignore[arg-type]
        assert [(0, steps), (steps, steps)] == [seen[0], seen[-1]]

    def test_messages(self) -> None:
        """The worth, the engine and the channel limit are refused by name."""
        counts = PathCounts.from_tuples([((f"c{i}",), 1, 1, None) for i in range(21)])
        with pytest.raises(
            ValidationError,
            match=r"^shapley worth must be one of 'conversions', 'conversion_rate', got 'revenue'$",
        ):
            shapley(THREE, worth="revenue")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^shapley engine must be one of"):
            shapley(THREE, engine="gpu")  # type: ignore[arg-type]
        with pytest.raises(
            ValidationError,
            match=r"^shapley worth='conversion_rate' handles at most 20 channels \(2\^n coalitions\), "
            r"got 21; group channels \(see ChannelGrouping\) or use worth='conversions', which has no limit$",
        ):
            shapley(counts, worth="conversion_rate")

    def test_twenty_channels_are_allowed(self) -> None:
        """The channel limit is inclusive: 20 channels solve."""
        counts = PathCounts.from_tuples([((f"c{i}",), 1, 1, None) for i in range(20)])
        assert 20 == len(shapley(counts, worth="conversion_rate").credits)


ORDERED = PathCounts.from_tuples(
    [(("ad", "email", "ad"), 2, 0, None), (("email",), 1, 0, None), (("x",), 0, 3, None)]
)


class TestOrderedShapleyDetails:
    def test_rows_and_sums(self) -> None:
        """(ad, email, ad) x2: 1 to each channel, ad's split over positions 1 and 3; (email) x1: 1 at position 1."""
        ordered = ordered_shapley(ORDERED)
        assert {
            "rows": [("ad", 1, 0.5), ("ad", 3, 0.5), ("email", 1, 1.0), ("email", 2, 1.0)],
            "channels": {"ad": 1.0, "email": 2.0},
            "positions": {1: 1.5, 2: 1.0, 3: 0.5},
            "records": [
                {"channel": "ad", "position": 1, "conversions": 0.5},
                {"channel": "ad", "position": 3, "conversions": 0.5},
                {"channel": "email", "position": 1, "conversions": 1.0},
                {"channel": "email", "position": 2, "conversions": 1.0},
            ],
            "repr": "PositionCredits(ordered_shapley: 3 conversions over 2 channels and 4 channel positions)",
        } == {
            "rows": [(r.channel, r.position, r.conversions) for r in ordered.rows],
            "channels": ordered.by_channel(),
            "positions": ordered.by_position(),
            "records": ordered.to_records(),
            "repr": repr(ordered),
        }

    def test_position_credit_checks(self) -> None:
        """A position credit needs a channel, a position from 1 and a number."""
        with pytest.raises(ValidationError, match=r"^PositionCredit\.conversions must be finite"):
            PositionCredit(channel="a", position=1, conversions=math.inf)
        with pytest.raises(
            WrongType, match=r"^PositionCredit\.conversions must be a number, got 'x'$"
        ):
            PositionCredit(channel="a", position=1, conversions="x")  # type: ignore[arg-type]


class TestShapleyStatisticsDetails:
    def test_merged_parts_give_the_whole(self) -> None:
        """Two parts merged (or added) hold the coalitions of both and give shapley's credits."""
        left = PathCounts.from_tuples(
            [(("a",), 1, 9, "10"), (("b", "a"), 1, 2, "20")], currency="EUR"
        )
        right = PathCounts.from_tuples(
            [(("a", "b"), 2, 5, "40"), (("c",), 0, 10, None)], currency="EUR"
        )
        merged = shapley_statistics(left) + shapley_statistics(right)
        whole = left + right
        assert {
            "coalitions": {("a",): (1, 9, 10), ("a", "b"): (3, 7, 60), ("c",): (0, 10, 0)},
            "repr": "ShapleyStatistics(3 channels, 4 conversions, 26 nulls, value 70 EUR; 3 coalitions)",
            "conversions": shapley(whole, engine="python"),
            "rate": shapley(whole, worth="conversion_rate", engine="python"),
        } == {
            "coalitions": dict(merged.coalitions),
            "repr": repr(merged),
            "conversions": merged.result(),
            "rate": merged.result(worth="conversion_rate"),
        }

    def test_merge_of_one_or_none(self) -> None:
        """Merging one part gives it back; merging none gives the empty statistic."""
        one = shapley_statistics(THREE)
        assert [one, ShapleyStatistics()] == [
            ShapleyStatistics.merge([one]),
            ShapleyStatistics.merge([]),
        ]

    def test_refusals(self) -> None:
        """Adding something else, or an unknown worth, is refused."""
        stats = shapley_statistics(THREE)
        with pytest.raises(TypeError):
            stats + 1  # type: ignore[operator]
        with pytest.raises(
            ValidationError,
            match=r"^ShapleyStatistics\.result worth must be one of 'conversions', 'conversion_rate', got 'x'$",
        ):
            stats.result(worth="x")  # type: ignore[arg-type]
