"""Tests of salesmark.attribution.statistics: each model's mergeable statistics."""

from __future__ import annotations

import math
import pickle
import re
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Money
from salesmark.attribution import (
    RULE_MODELS,
    MarkovStatistics,
    PathCounts,
    RuleCredits,
    ShapleyStatistics,
    first_touch,
    inverse_j,
    j_shaped,
    last_non_direct,
    last_touch,
    linear,
    markov,
    markov_statistics,
    position_based,
    rule_credits,
    shapley,
    shapley_statistics,
)
from salesmark.errors import CurrencyMismatch, UnknownReference, ValidationError, WrongType
from salesmark.testing.strategies import path_rows
from strategies.attribution import counts_of

MODELS: dict[str, Any] = {
    "first_touch": first_touch,
    "inverse_j": inverse_j,
    "j_shaped": j_shaped,
    "last_non_direct": last_non_direct,
    "last_touch": last_touch,
    "linear": linear,
    "position_based": position_based,
}

Rows = list[tuple[tuple[str, ...], int, int, Money | None]]


@st.composite
def split_rows(draw: st.DrawFn) -> tuple[Rows, list[Rows]]:
    """Rows with at least one conversion, and a split of them into 1-4 parts (some empty)."""
    rows = draw(path_rows(max_size=14))
    rows.append((draw(st.sampled_from([("a",), ("b", "a")])), 1, draw(st.integers(0, 3)), None))
    k = draw(st.integers(1, 4))
    where = draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    parts: list[Rows] = [[] for _ in range(k)]
    for row, part in zip(rows, where, strict=True):
        parts[part].append(row)
    return rows, parts


class TestRuleCredits:
    @given(split_rows(), st.sampled_from(sorted(RULE_MODELS)))
    def test_merged_parts_give_the_model_of_the_whole(
        self, data: tuple[Rows, list[Rows]], name: str
    ) -> None:
        """model(merge(parts)) == model(whole), credits bit for bit and value to the cent."""
        rows, parts = data
        merged = RuleCredits.merge(rule_credits(counts_of(p), name) for p in parts)
        assert MODELS[name](counts_of(rows)) == merged.result()

    @given(split_rows())
    def test_merge_is_associative_and_commutative(self, data: tuple[Rows, list[Rows]]) -> None:
        """Grouping and order of the parts do not matter, and the empty value changes nothing."""
        _rows, parts = data
        a, b, c = (rule_credits(counts_of(p), "linear") for p in [*parts, [], []][:3])
        assert (a + b) + c == a + (b + c) == RuleCredits.merge([c, b, a])
        whole = a + b + c
        assert whole + RuleCredits() == whole == RuleCredits() + whole

    @given(split_rows())
    def test_both_engines_count_the_same(self, data: tuple[Rows, list[Rows]]) -> None:
        """The numpy and pure-Python engines give the very same sums."""
        rows, _parts = data
        counts = counts_of(rows)
        for name in RULE_MODELS:
            python = rule_credits(counts, name, engine="python")
            assert python == rule_credits(counts, name, engine="numpy")

    def test_options_reach_the_result(self) -> None:
        """last_non_direct's direct channels and position_based's weights are kept."""
        counts = PathCounts.from_tuples([(("ad", "web", "mail"), 2, 0, None)])
        direct = rule_credits(counts, last_non_direct, direct=["mail"])
        assert last_non_direct(counts, direct=["mail"]) == direct.result()
        shaped = rule_credits(counts, "position_based", first=1, between=0, last=1)
        assert position_based(counts, first=1, between=0, last=1) == shaped.result()

    def test_an_unknown_direct_channel_is_refused_when_solved(self) -> None:
        """A direct channel no merged path holds raises UnknownReference, as the model does."""
        counts = PathCounts.from_tuples([(("ad",), 1, 0, None)])
        with pytest.raises(UnknownReference, match="appear in no path"):
            rule_credits(counts, "last_non_direct", direct=["tv"]).result()

    def test_different_models_do_not_merge(self) -> None:
        """Parts of two models raise ValidationError naming the field."""
        counts = PathCounts.from_tuples([(("ad",), 1, 0, None)])
        with pytest.raises(ValidationError, match="share one model"):
            rule_credits(counts, "linear") + rule_credits(counts, "first_touch")

    def test_different_currencies_do_not_merge(self) -> None:
        """Values in EUR and USD raise CurrencyMismatch."""
        eur = PathCounts.from_tuples([(("ad",), 1, 0, "5")], currency="EUR")
        usd = PathCounts.from_tuples([(("ad",), 1, 0, "5")], currency="USD")
        with pytest.raises(CurrencyMismatch):
            rule_credits(eur, "linear") + rule_credits(usd, "linear")

    def test_model_must_be_a_rule_over_paths(self) -> None:
        """time_decay and markov are not rule models over paths."""
        with pytest.raises(ValidationError, match="rule_credits model"):
            rule_credits(PathCounts(), markov)
        with pytest.raises(ValidationError, match="needs a model"):
            RuleCredits().result()

    def test_fractional_counts_merge_exactly(self) -> None:
        """Sampled weights add as exact fractions."""
        a = PathCounts.from_tuples([(("ad",), 0.5, 0, None)])
        b = PathCounts.from_tuples([(("ad",), 0.25, 0, None)])
        merged = rule_credits(a, "linear") + rule_credits(b, "linear")
        assert Fraction(3, 4) == merged.conversions
        assert linear(a + b) == merged.result()

    def test_pickles(self) -> None:
        """A statistic crosses processes unchanged."""
        counts = PathCounts.from_tuples([(("ad", "web"), 1, 2, "3.50")], currency="EUR")
        stats = rule_credits(counts, "j_shaped")
        assert stats == pickle.loads(pickle.dumps(stats))

    def test_bad_fields_are_refused(self) -> None:
        """A negative count or an unknown kind raises ValidationError naming the field."""
        with pytest.raises(ValidationError, match="RuleCredits.conversions"):
            RuleCredits(model="linear", conversions=-1)
        with pytest.raises(ValidationError, match="RuleCredits.sums kind"):
            RuleCredits(model="linear", sums={"middle": {}})
        with pytest.raises(ValidationError, match="must hold 2 counts"):
            RuleCredits(model="linear", sums={"tokens": {(1, "a"): (1,)}})


class TestMarkovStatistics:
    @given(split_rows(), st.integers(1, 3), st.sampled_from(["collapse", "keep"]))
    def test_merged_parts_give_markov_of_the_whole(
        self, data: tuple[Rows, list[Rows]], order: int, repeats: Any
    ) -> None:
        """The merged transition counts solve to markov over the whole, exactly."""
        rows, parts = data
        merged = MarkovStatistics.merge(
            markov_statistics(counts_of(p), order=order, repeats=repeats) for p in parts
        )
        whole = counts_of(rows)
        assert markov_statistics(whole, order=order, repeats=repeats) == merged
        for credit in ("removal_share", "value_weighted"):
            expected = markov(whole, order=order, repeats=repeats, credit=credit, engine="python")
            assert expected == merged.result(credit=credit)  # type: ignore[arg-type]

    @given(split_rows())
    def test_merge_is_associative_and_commutative(self, data: tuple[Rows, list[Rows]]) -> None:
        """Grouping and order of the parts do not matter, and the empty value changes nothing."""
        _rows, parts = data
        a, b, c = (markov_statistics(counts_of(p)) for p in [*parts, [], []][:3])
        assert (a + b) + c == a + (b + c) == MarkovStatistics.merge([c, b, a])
        whole = a + b + c
        assert whole + MarkovStatistics() == whole == MarkovStatistics() + whole

    def test_the_chain_is_the_fitted_chain(self) -> None:
        """chain() is MarkovChain.fit over the whole."""
        from salesmark.attribution import MarkovChain

        counts = PathCounts.from_tuples([(("a", "b"), 2, 1, None), (("b", "a", "c"), 0, 3, None)])
        assert MarkovChain.fit(counts, engine="python") == markov_statistics(counts).chain()

    def test_orders_do_not_merge(self) -> None:
        """Counts of orders 1 and 2 raise ValidationError naming the field."""
        counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
        with pytest.raises(ValidationError, match="share one order"):
            markov_statistics(counts) + markov_statistics(counts, order=2)

    def test_per_journey_needs_paths(self) -> None:
        """Crediting each journey needs every path, which the statistic does not keep."""
        counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
        with pytest.raises(ValidationError, match="credit"):
            markov_statistics(counts).result(credit="per_journey")  # type: ignore[arg-type]

    def test_no_conversion_is_refused(self) -> None:
        """Without a conversion there is nothing to attribute."""
        with pytest.raises(ValidationError, match="at least one conversion"):
            markov_statistics(PathCounts.from_tuples([(("a",), 0, 2, None)])).result()

    def test_bad_fields_are_refused(self) -> None:
        """An order out of range or a non-tuple key raises ValidationError."""
        with pytest.raises(ValidationError, match="order"):
            MarkovStatistics(order=5)
        with pytest.raises(ValidationError, match="keys must be tuples"):
            MarkovStatistics(starts={"a": 1})


class TestShapleyStatistics:
    @given(split_rows(), st.sampled_from(["conversions", "conversion_rate"]))
    def test_merged_parts_give_shapley_of_the_whole(
        self, data: tuple[Rows, list[Rows]], worth: Any
    ) -> None:
        """The merged coalition worths give shapley over the whole, exactly."""
        rows, parts = data
        merged = ShapleyStatistics.merge(shapley_statistics(counts_of(p)) for p in parts)
        expected = shapley(counts_of(rows), worth=worth, engine="python")
        assert expected == merged.result(worth=worth)

    @given(split_rows())
    def test_merge_is_associative_and_commutative(self, data: tuple[Rows, list[Rows]]) -> None:
        """Grouping and order of the parts do not matter."""
        _rows, parts = data
        a, b, c = (shapley_statistics(counts_of(p)) for p in [*parts, [], []][:3])
        assert (a + b) + c == a + (b + c) == ShapleyStatistics.merge([c, b, a])

    def test_too_many_channels_for_the_rate_game(self) -> None:
        """More than 20 channels are refused for the conversion-rate game."""
        counts = PathCounts.from_tuples([((f"c{i}",), 1, 0, None) for i in range(21)])
        with pytest.raises(ValidationError, match="at most 20 channels"):
            shapley_statistics(counts).result(worth="conversion_rate")


class TestPartsWithoutJourneys:
    """Parts whose rows were all empty hold no journey, but keep the currency they were read in."""

    # one row of no conversion, null or value: dropped, so the part holds no journey
    EMPTY_EUR = PathCounts.from_tuples([(("a",), 0, 0, None)], currency="EUR")

    @pytest.mark.parametrize(
        ("statistics", "empty"),
        [
            (markov_statistics, MarkovStatistics()),
            (lambda c: rule_credits(c, "linear"), RuleCredits()),
            (shapley_statistics, ShapleyStatistics()),
        ],
        ids=["markov", "rules", "shapley"],
    )
    def test_the_empty_value_is_neutral_on_either_side(self, statistics: Any, empty: Any) -> None:
        """empty + part == part == part + empty, currency included, for a part without journeys."""
        part = statistics(self.EMPTY_EUR)
        assert (part.channels, part.currency) == ((), "EUR")
        assert [part, part] == [empty + part, part + empty]

    def test_currencies_of_parts_without_journeys_must_agree(self) -> None:
        """Two parts without journeys in different currencies are a mistake, not an empty merge."""
        usd = PathCounts.from_tuples([(("a",), 0, 0, None)], currency="USD")
        with pytest.raises(
            CurrencyMismatch, match=r"must share one currency, got \['EUR', 'USD'\]"
        ):
            markov_statistics(self.EMPTY_EUR) + markov_statistics(usd)


class TestMergeBounds:
    def test_merging_past_the_journey_bound(self) -> None:
        """Parts of 2**52 journeys each are fine alone; three together pass 2**53 and are refused."""
        part = shapley_statistics(PathCounts.from_tuples([(("a",), 2**52, 0, None)]))
        with pytest.raises(
            ValidationError,
            match=r"^ShapleyStatistics\.merge can merge at most 9,007,199,254,740,992 journeys in all, got 1\.35108e\+16$",
        ):
            ShapleyStatistics.merge([part, part, part])

    def test_a_non_finite_result_is_refused(self) -> None:
        """The last guard of every model: no NaN or infinity leaves it."""
        from salesmark.attribution._engine import finite

        with pytest.raises(ValidationError, match=r"^x came out as inf; the inputs are too large"):
            finite(math.inf, "x")


class TestMessages:
    @pytest.mark.parametrize(
        ("call", "error", "message"),
        [
            (lambda: RuleCredits(sums=[]), WrongType, "RuleCredits.sums must be a Mapping, got []"),
            (
                lambda: RuleCredits(sums={"middle": {}}),
                ValidationError,
                "RuleCredits.sums kind must be one of 'first', 'last', 'last_non_direct', 'tokens', got 'middle'",
            ),
            (
                lambda: RuleCredits(sums={"tokens": {(1, "a"): (1,)}}),
                ValidationError,
                "RuleCredits.sums['tokens'][(1, 'a')] must hold 2 counts, got (1,)",
            ),
            (
                lambda: RuleCredits(parameters=[]),
                WrongType,
                "RuleCredits.parameters must be a Mapping, got []",
            ),
            (
                lambda: RuleCredits().result(),
                ValidationError,
                "RuleCredits.result needs a model: build the statistic with rule_credits(data, model)",
            ),
            (
                lambda: rule_credits(PathCounts(), "linear", engine="fortran"),
                ValidationError,
                "rule_credits engine must be one of 'python', 'numpy', got 'fortran'",
            ),
            (
                lambda: markov_statistics(PathCounts(), repeats="twice"),
                ValidationError,
                "markov_statistics repeats must be one of 'collapse', 'keep', got 'twice'",
            ),
        ],
    )
    def test_each_error_names_its_field(
        self, call: Any, error: type[Exception], message: str
    ) -> None:
        """Every refusal states the field or argument, what was expected and the value."""
        with pytest.raises(error, match=f"^{re.escape(message)}$"):
            call()

    def test_merge_names_the_field_that_differs(self) -> None:
        """Parts of different models, orders or repeats are refused naming the field and both values."""
        counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
        with pytest.raises(
            ValidationError,
            match=r"^RuleCredits\.merge parts must share one model, got 'linear' and 'first_touch'$",
        ):
            rule_credits(counts, "linear") + rule_credits(counts, "first_touch")
        with pytest.raises(
            ValidationError,
            match=r"^MarkovStatistics\.merge parts must share one order, got 1 and 2$",
        ):
            markov_statistics(counts) + markov_statistics(counts, order=2)
        with pytest.raises(
            ValidationError,
            match=r"^MarkovStatistics\.merge parts must share one repeats, got 'collapse' and 'keep'$",
        ):
            markov_statistics(counts) + markov_statistics(counts, repeats="keep")


class TestIdentities:
    def test_empty_parts_keep_the_model(self) -> None:
        """No part gives the empty value; an empty part with a model is kept over one without."""
        empty_linear = rule_credits(PathCounts(), "linear")
        assert RuleCredits() == RuleCredits.merge([])
        assert empty_linear == RuleCredits.merge([RuleCredits(), empty_linear])
        assert MarkovStatistics() == MarkovStatistics.merge([])
        assert MarkovStatistics(order=2) == MarkovStatistics.merge(
            [MarkovStatistics(order=2), MarkovStatistics()]
        )
