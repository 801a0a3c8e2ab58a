"""Tests for salesmark.attribution.results: AttributionResult, compare, roll_up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import Money, StructureError, UnknownReference, ValidationError
from salesmark.attribution import (
    AttributionResult,
    Comparison,
    PathCounts,
    compare,
    first_touch,
    last_touch,
    linear,
    markov,
    roll_up,
)
from salesmark.attribution.results import split_value
from salesmark.serialization import structure, unstructure

COUNTS = PathCounts.from_tuples(
    [(("c1", "c2"), 2, 1, "90.00"), (("c3",), 1, 3, "10.00")], currency="EUR"
)


class TestAttributionResult:
    def test_repr(self) -> None:
        """The repr is one line with totals and the top channels."""
        expected = "AttributionResult(linear: 3 conversions, 100.00 EUR; c1=1, c2=1, c3=1)"
        assert expected == repr(linear(COUNTS))

    def test_to_records(self) -> None:
        """to_records gives one plain dict per channel."""
        records = first_touch(COUNTS).to_records()
        expected = {
            "model": "first_touch",
            "channel": "c1",
            "conversions": 2.0,
            "share": 2 / 3,
            "value": Decimal("90.00"),
            "currency": "EUR",
        }
        assert expected == records[0]

    def test_markov_records_carry_removal_effects(self) -> None:
        """Markov records add the removal effect."""
        assert "removal_effect" in markov(COUNTS).to_records()[0]

    def test_share(self) -> None:
        """share is the fraction of all conversions."""
        assert pytest.approx(2 / 3) == first_touch(COUNTS).share("c1")

    def test_share_unknown(self) -> None:
        """Asking the share of an unknown name is an error."""
        with pytest.raises(UnknownReference, match="nope"):
            first_touch(COUNTS).share("nope")

    def test_label(self) -> None:
        """The label adds the parameters to the model name."""
        assert (
            "markov(credit=removal_share, order=2, repeats=collapse)"
            == markov(COUNTS, order=2).label
        )

    def test_value_credits_need_total(self) -> None:
        """Value credits without a total value are refused."""
        with pytest.raises(ValidationError, match="total_value"):
            AttributionResult(
                model="m",
                credits={"a": 1.0},
                value_credits={"a": Money.of(1, "EUR")},
                total_conversions=1.0,
            )


class TestCompare:
    def test_lines_models_up(self) -> None:
        """compare gives one row per channel and one column per model."""
        expected = [
            {"channel": "c1", "first_touch": 2.0, "last_touch": 0.0},
            {"channel": "c2", "first_touch": 0.0, "last_touch": 2.0},
            {"channel": "c3", "first_touch": 1.0, "last_touch": 1.0},
        ]
        assert expected == compare(first_touch(COUNTS), last_touch(COUNTS)).to_records()

    def test_same_model_twice_uses_labels(self) -> None:
        """Two results of one model are told apart by their parameters."""
        table = compare(markov(COUNTS, order=1), markov(COUNTS, order=2))
        assert (
            "markov(credit=removal_share, order=1, repeats=collapse)",
            "markov(credit=removal_share, order=2, repeats=collapse)",
        ) == table.labels

    def test_needs_a_result(self) -> None:
        """compare() with nothing is an error."""
        with pytest.raises(ValidationError):
            compare()

    def test_identical_results_are_refused(self) -> None:
        """The very same result twice cannot be told apart."""
        result = linear(COUNTS)
        with pytest.raises(ValidationError, match="same label"):
            compare(result, result)


class TestComparison:
    def test_repr(self) -> None:
        """The repr names the channel count and the models."""
        assert "Comparison(3 channels x linear)" == repr(compare(linear(COUNTS)))

    def test_credits(self) -> None:
        """credits holds one tuple per channel."""
        assert Comparison(labels=("x",), credits={"a": (1.0,)}).credits["a"] == (1.0,)


class TestRollUp:
    def test_credits_and_value_go_to_owners(self) -> None:
        """Campaign credits and value add up per owner; unowned goes to 'unassigned'."""
        result = roll_up(linear(COUNTS), {"c1": "ann", "c2": "ann"})
        assert {"ann": 2.0, "unassigned": 1.0} == dict(result.credits)
        assert {"ann": Money.of("90.00", "EUR"), "unassigned": Money.of("10.00", "EUR")} == dict(
            result.value_credits
        )

    def test_strict_owners(self) -> None:
        """With unowned=None, a campaign without an owner is an error."""
        with pytest.raises(UnknownReference, match="c3"):
            roll_up(linear(COUNTS), {"c1": "ann", "c2": "bob"}, unowned=None)


class TestSplitValue:
    @settings(max_examples=20, deadline=None)
    @given(
        st.integers(0, 10**8),
        st.dictionaries(st.sampled_from("abcdef"), st.floats(-5, 10, allow_nan=False), min_size=1),
    )
    def test_sums_exactly(self, cents: int, weights: dict[str, float]) -> None:
        """The parts always add up to the total exactly, negative weights included."""
        total = Money(Decimal(cents).scaleb(-2), "EUR")
        parts = split_value(total, weights)
        if sum(weights.values()) > 0 and sum(w for w in weights.values() if w > 0) > 0:
            assert total == Money.total(parts.values(), "EUR")
        assert set(weights) == set(parts)


class TestValidatesWhenStructured:
    @pytest.mark.parametrize(
        ("field", "bad", "match"),
        [
            ("credits", {"a": float("nan")}, "finite"),
            ("total_conversions", -5.0, ">= 0"),
            ("removal_effects", {"a": float("inf")}, "finite"),
            ("model", "", "model"),
        ],
    )
    def test_attribution_result(self, field: str, bad: object, match: str) -> None:
        """NaN credits, negative conversions or an empty model name are refused when structured."""
        data = unstructure(linear(COUNTS))
        data[field] = bad
        with pytest.raises(StructureError, match=match):
            structure(data, AttributionResult)

    def test_comparison(self) -> None:
        """A comparison whose rows do not match its labels, or hold NaN, is refused."""
        data = unstructure(compare(first_touch(COUNTS), last_touch(COUNTS)))
        data["credits"]["c1"] = [1.0]
        with pytest.raises(StructureError, match="one credit per label"):
            structure(data, Comparison)
        data["credits"]["c1"] = [1.0, float("nan")]
        with pytest.raises(StructureError, match="finite"):
            structure(data, Comparison)

    def test_position_credits(self) -> None:
        """PositionCredits refuse negative totals and positions below 1."""
        from salesmark.attribution import PositionCredits, ordered_shapley

        data = unstructure(ordered_shapley(COUNTS))
        assert ordered_shapley(COUNTS) == structure(data, PositionCredits)
        data["total_conversions"] = -1.0
        with pytest.raises(StructureError, match=">= 0"):
            structure(data, PositionCredits)
        data = unstructure(ordered_shapley(COUNTS))
        data["rows"][0]["position"] = 0
        with pytest.raises(StructureError, match="position"):
            structure(data, PositionCredits)
