"""Tests for salesmark.scoring.fit: the fit rule classes, their checks, ids and tests of a lead."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import ValidationError
from salesmark.leads import AttributeValue
from salesmark.scoring import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    Dimension,
    FitRule,
)
from salesmark.scoring.fit import FIT_RULES
from salesmark.testing.strategies import (
    SCORING_AT,
    SCORING_ATTRIBUTES,
    fit_rules,
    scoring_attribute_values,
)
from strategies.scoring import build, points, scored_lead

lead = scored_lead


class TestAttributeEquals:
    def test_id_defaults_to_attribute_equals_value(self) -> None:
        """Without an id, the rule is named ``attribute=value``; an explicit id wins."""
        assert "industry=saas" == AttributeEquals(attribute="industry", value="saas", points=10).id
        assert "cfo" == AttributeEquals(attribute="role", value="cfo", points=20, id="cfo").id

    def test_fires_on_the_exact_value_only(self) -> None:
        """EQUALS fires on the exact value only, never mixing bools and numbers."""
        model = build(
            AttributeEquals(attribute="role", value="cfo", points=10),
            AttributeEquals(attribute="n", value=1, points=5),
        )
        assert {"role=cfo": 10} == points(model, lead({"role": "cfo", "n": True}))
        assert {"n=1": 5} == points(model, lead({"role": "CFO", "n": 1.0}))

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
    def test_non_finite_value_is_refused(self, bad: float) -> None:
        """A non-finite float can never equal an attribute, so a rule on it is refused."""
        with pytest.raises(
            ValidationError, match=rf"AttributeEquals\.value must be a finite number.*{bad}"
        ):
            AttributeEquals(attribute="a", value=bad, points=1)

    @pytest.mark.parametrize("bad", [None, ("a",), {"a": 1}])
    def test_value_must_be_text_a_number_or_a_bool(self, bad: object) -> None:
        """A value that no lead attribute can hold is refused, naming the field and the value."""
        with pytest.raises(
            ValidationError,
            match=r"AttributeEquals\.value must be text, a number or a bool, got "
            + re.escape(repr(bad)),
        ):
            AttributeEquals(attribute="a", value=bad, points=1)  # type: ignore[arg-type]

    def test_description(self) -> None:
        """A rule without a label reads ``attribute = 'value'``."""
        assert (
            "role = 'cfo'" == AttributeEquals(attribute="role", value="cfo", points=1).description
        )


class TestAttributeOneOf:
    def test_id_joins_the_values(self) -> None:
        """Without an id, the rule is named ``attribute in v1|v2``."""
        rule = AttributeOneOf(attribute="industry", values=["retail", "logistics"], points=10)
        assert ("industry in retail|logistics", ("retail", "logistics")) == (rule.id, rule.values)

    def test_fires_when_the_value_is_listed(self) -> None:
        """IN fires when the value is one of the listed values."""
        model = build(
            AttributeOneOf(attribute="industry", values=["saas", "retail"], points=7, id="ind")
        )
        assert {"ind": 7} == points(model, lead({"industry": "retail"}))
        assert {} == points(model, lead({"industry": "banking"}))
        assert {} == points(model, lead())

    def test_mixed_values_keep_bools_and_numbers_apart(self) -> None:
        """IN with numbers and bools compares bools to bools and numbers to numbers."""
        model = build(AttributeOneOf(attribute="x", values=[1, True, "a"], points=1, id="x"))
        assert [1, 1, 1, 0, 0] == [
            len(points(model, lead({"x": v}))) for v in (1, True, "a", 2, False)
        ]

    def test_needs_a_value(self) -> None:
        """A rule with no accepted value is refused."""
        with pytest.raises(ValidationError, match="at least one value"):
            AttributeOneOf(attribute="a", values=(), points=1)

    def test_a_lone_string_is_not_a_sequence(self) -> None:
        """A string where the values belong is refused whole, naming the field and the value."""
        with pytest.raises(ValidationError, match=r"AttributeOneOf\.values .*'saas'"):
            AttributeOneOf(attribute="industry", values="saas", points=1)

    @pytest.mark.parametrize("bad", [float("nan"), float("inf")])
    def test_non_finite_values_are_refused(self, bad: float) -> None:
        """A non-finite value is refused with its position."""
        with pytest.raises(ValidationError, match=r"AttributeOneOf\.values\[1\]"):
            AttributeOneOf(attribute="a", values=[1, bad], points=1)

    def test_description(self) -> None:
        """A rule without a label lists its values."""
        rule = AttributeOneOf(attribute="region", values=("emea", "na"), points=5)
        assert "region in ('emea', 'na')" == rule.description


class TestAttributeInRange:
    @pytest.mark.parametrize(
        ("bounds", "expected"),
        [
            ({"minimum": 1000}, "employees in [1000, ]"),
            ({"maximum": 49}, "employees in [, 49]"),
            ({"minimum": 10, "maximum": 99.5}, "employees in [10, 99.5]"),
        ],
    )
    def test_id_writes_the_bounds(self, bounds: dict[str, float], expected: str) -> None:
        """Without an id, the rule is named after its bounds, an open end left blank."""
        assert expected == AttributeInRange(attribute="employees", points=1, **bounds).id

    def test_fires_for_numbers_within_inclusive_bounds(self) -> None:
        """RANGE fires for numbers within inclusive bounds, never for text or bools."""
        model = build(
            AttributeInRange(attribute="employees", minimum=50, maximum=500, points=15, id="size")
        )
        fired = [
            len(points(model, lead({"employees": v}))) for v in (50, 500, 49.9, 501, "100", True)
        ]
        assert [1, 1, 0, 0, 0, 0] == fired

    def test_open_range(self) -> None:
        """A range with one bound is open on the other side."""
        model = build(AttributeInRange(attribute="budget", minimum=1000, points=3, id="b"))
        assert {"b": 3} == points(model, lead({"budget": 10**9}))

    @pytest.mark.parametrize(
        ("bounds", "message"),
        [
            ({}, "minimum, a maximum or both"),
            ({"minimum": 5, "maximum": 1}, "above maximum"),
            ({"minimum": float("nan")}, r"AttributeInRange\.minimum must be a finite number"),
            ({"maximum": "10"}, r"AttributeInRange\.maximum .*got '10'"),
        ],
    )
    def test_bad_bounds_are_refused(self, bounds: dict[str, object], message: str) -> None:
        """Missing, reversed or non-numeric bounds raise a ValidationError saying what is wrong."""
        with pytest.raises(ValidationError, match=message):
            AttributeInRange(attribute="a", points=1, **bounds)  # type: ignore[arg-type]

    def test_description(self) -> None:
        """An open end reads as minus or plus infinity."""
        rule = AttributeInRange(attribute="employees", maximum=10, points=1)
        assert "employees in [-inf, 10]" == rule.description


class TestAttributePresent:
    def test_id_and_description(self) -> None:
        """Without an id the rule is named ``attribute given``, and describes itself so."""
        rule = AttributePresent(attribute="phone", points=5)
        assert ("phone given", "phone given") == (rule.id, rule.description)

    def test_fires_for_any_value_but_blank_text(self) -> None:
        """PRESENT fires for any given value except blank text."""
        model = build(AttributePresent(attribute="phone", points=5, id="p"))
        assert [1, 1, 0, 0] == [
            len(points(model, lead(a))) for a in ({"phone": "1"}, {"phone": 0}, {"phone": " "}, {})
        ]

    def test_needs_an_attribute(self) -> None:
        """A rule without an attribute is refused, naming the field."""
        with pytest.raises(
            ValidationError, match=r"AttributePresent\.attribute must be a non-empty string"
        ):
            AttributePresent(attribute=None, points=1)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "5"])
    def test_points_must_be_finite_numbers(self, bad: object) -> None:
        """Points that are not finite numbers are refused."""
        with pytest.raises(ValidationError, match=r"AttributePresent\.points"):
            AttributePresent(attribute="a", points=bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize("label", [5, None, ("a",)])
    def test_label_must_be_text(self, label: object) -> None:
        """A label that is not a string is refused, naming the field and the value."""
        with pytest.raises(
            ValidationError,
            match=r"AttributePresent\.label must be a str, got " + re.escape(repr(label)),
        ):
            AttributePresent(attribute="a", points=1, label=label)  # type: ignore[arg-type]

    def test_a_label_wins(self) -> None:
        """A labelled rule describes itself by its label."""
        assert (
            "Went quiet"
            == AttributePresent(attribute="a", points=1, label="Went quiet").description
        )

    def test_fields_of_other_kinds_are_not_fields(self) -> None:
        """A field another kind uses (a window, values) cannot be given to a presence rule."""
        with pytest.raises(TypeError, match="window"):
            AttributePresent(attribute="a", points=1, window=None)  # type: ignore[call-arg]


class TestFitRules:
    def test_negative_points_and_fit_cap(self) -> None:
        """Negative rules subtract, and the fit cap bounds the fit score."""
        model = build(
            AttributeEquals(attribute="role", value="cfo", points=30),
            AttributePresent(attribute="phone", points=20),
            AttributeEquals(attribute="region", value="x", points=-5),
            fit_cap=40,
        )
        score = model.score(lead({"role": "cfo", "phone": "1", "region": "x"}), at=SCORING_AT)
        assert 40 == score.fit

    def test_every_fit_rule_scores_fit(self) -> None:
        """Every fit rule class scores the fit dimension."""
        assert [Dimension.FIT] * 4 == [cls.dimension for cls in FIT_RULES]

    @given(
        rule=fit_rules(),
        attributes=st.dictionaries(st.sampled_from(SCORING_ATTRIBUTES), scoring_attribute_values()),
    )
    def test_the_model_fires_what_the_matcher_passes(
        self, rule: FitRule, attributes: dict[str, AttributeValue]
    ) -> None:
        """A model of one fit rule fires it exactly when the rule's matcher passes the attributes."""
        expected = {rule.id: rule.points} if rule.matcher()(attributes) else {}
        assert expected == points(build(rule), lead(dict(attributes)))


class TestOpenBounds:
    def test_an_open_lower_bound_takes_any_number_up_to_the_maximum(self) -> None:
        """With no minimum, every number up to the maximum (inclusive) fires, however low; above it does not."""
        test = AttributeInRange(attribute="employees", maximum=10, points=1).matcher()
        assert [True, True, True, False] == [
            test({"employees": x}) for x in (-(10**9), 0, 10, 10.5)
        ]

    def test_an_open_upper_bound_takes_any_number_from_the_minimum(self) -> None:
        """With no maximum, every number from the minimum (inclusive) fires, however high; below it does not."""
        test = AttributeInRange(attribute="employees", minimum=10, points=1).matcher()
        assert [False, True, True] == [test({"employees": x}) for x in (9.5, 10, 10**9)]


class TestPointBounds:
    @pytest.mark.parametrize("value", [1_000_000, -1_000_000])
    def test_a_million_points_either_way_is_allowed(self, value: int) -> None:
        """The bound itself is within the bound."""
        assert value == AttributePresent(attribute="phone", points=value).points

    @pytest.mark.parametrize("value", [1_000_001, -1_000_000.5])
    def test_more_than_a_million_points_is_refused(self, value: float) -> None:
        """Beyond a million points either way, the refusal names the field, the value and the range."""
        expected = "a number from -1,000,000 to 1,000,000"
        with pytest.raises(ValidationError) as caught:
            AttributePresent(attribute="phone", points=value)
        assert {
            "path": "/points",
            "message": f"AttributePresent.points must be {expected}, got {value!r}",
            "value": repr(value),
            "expected": expected,
        } == caught.value.errors[0].to_dict()


class TestBoundText:
    def test_float_bounds_read_as_numbers_in_the_id(self) -> None:
        """Bounds 1000.0 and 99500.0 read 1000 and 99500 (``:g``), not 1000.0."""
        assert (
            "n in [1000, 99500]"
            == AttributeInRange(attribute="n", minimum=1000.0, maximum=99.5e3, points=1).id
        )

    def test_values_must_be_a_sequence(self) -> None:
        """Values that are no sequence are refused, saying what the sequence must hold."""
        with pytest.raises(ValidationError) as caught:
            AttributeOneOf(attribute="x", values=5, points=1)  # type: ignore[arg-type]
        assert "AttributeOneOf.values must be a sequence of text, numbers or bools, got 5" == str(
            caught.value
        )


class TestMixedValues:
    def test_a_rule_over_text_and_numbers_does_not_judge_a_missing_attribute(self) -> None:
        """Values 'a' and 1: a lead without the attribute is not evaluated, one with 'b' is a miss."""
        matcher = AttributeOneOf(attribute="x", values=("a", 1), points=1).matcher()
        assert [None, True, True, None, False] == [
            matcher(attributes)
            for attributes in ({}, {"x": "a"}, {"x": 1}, {"x": True}, {"x": "b"})
        ]
