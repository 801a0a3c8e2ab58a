"""Tests for salesmark.attribution.milestones: the milestone-weight engine and its edge cases."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import ValidationError, WrongType
from salesmark.attribution import (
    Journey,
    Milestones,
    MilestoneWeights,
    PathCounts,
    full_path,
    inverse_j,
    j_shaped,
    milestone_model,
    milestones,
    position_based,
    w_shaped,
)

W = MilestoneWeights(first=0.3, lead_created=0.3, opportunity_created=0.3, between=0.1)


class TestMilestoneWeights:
    def test_one_touch(self) -> None:
        """A one-touch journey gets everything."""
        assert (1.0,) == W.shares(1, (0, 0, None))

    def test_two_touches(self) -> None:
        """With two touches there is no between touch; the rest is renormalised."""
        assert (0.5, 0.5) == W.shares(2, (None, 1, None))

    def test_several_milestones_on_one_touch(self) -> None:
        """Milestones on the same touch add up."""
        assert pytest.approx((0.3, 0.1, 0.6)) == W.shares(3, (2, 2, None))

    def test_no_touch_before_a_milestone(self) -> None:
        """A milestone without a touch is dropped and the rest renormalised."""
        assert pytest.approx((3 / 7, 1 / 7, 3 / 7, 0.0)) == W.shares(4, (2, None, None))

    def test_rule_with_only_missing_milestones_is_linear(self) -> None:
        """A rule that weighs only a missing milestone shares the journey equally."""
        assert (0.5, 0.5) == MilestoneWeights(lead_created=1).shares(2)

    def test_touches_after_the_last_slot_get_nothing(self) -> None:
        """Between touches lie before the last slot-holding touch."""
        assert pytest.approx((0.3, 0.1, 0.3, 0.3, 0.0)) == W.shares(5, (2, 3, None))

    @settings(max_examples=20, deadline=None)
    @given(st.integers(1, 12), st.data())
    def test_shares_sum_to_one(self, n: int, data: st.DataObject) -> None:
        """For any length and marks, shares are >= 0 and sum to 1."""
        marks = sorted(data.draw(st.lists(st.integers(0, n - 1), min_size=3, max_size=3)))
        shares = W.shares(n, (marks[0], marks[1], marks[2]))
        assert all(s >= 0 for s in shares)
        assert pytest.approx(1.0) == sum(shares)

    def test_all_zero_is_refused(self) -> None:
        """A rule without any weight is refused."""
        with pytest.raises(ValidationError, match="at least one weight"):
            MilestoneWeights()

    @pytest.mark.parametrize("bad", [-0.1, float("nan"), "0.3"])
    def test_bad_weight_is_refused(self, bad: object) -> None:
        """Negative, NaN and non-numeric weights are refused."""
        with pytest.raises(ValidationError):
            MilestoneWeights(first=bad)  # type: ignore[arg-type]

    def test_bad_length(self) -> None:
        """A length below 1 is refused."""
        with pytest.raises(ValidationError, match="length"):
            W.shares(0)

    def test_mark_outside_journey(self) -> None:
        """A mark outside the journey is refused."""
        with pytest.raises(ValidationError, match="outside"):
            W.shares(2, (5, None, None))

    def test_all_zero_message(self) -> None:
        """The all-zero error names the class and says what is missing."""
        with pytest.raises(
            ValidationError,
            match=r"^MilestoneWeights must have at least one weight above 0, got all zero$",
        ):
            MilestoneWeights(first=0, last=0.0)

    def test_non_finite_weight_names_the_field(self) -> None:
        """A NaN weight is refused naming the field and what a weight must be."""
        with pytest.raises(
            ValidationError,
            match=r"^MilestoneWeights\.first: a weight must be a finite number, got nan$",
        ):
            MilestoneWeights(first=float("nan"), last=1)

    def test_negative_weight_names_the_field(self) -> None:
        """A negative weight is refused naming the field and the bound."""
        with pytest.raises(
            ValidationError, match=r"^MilestoneWeights\.between: a weight must be >= 0, got -0\.1$"
        ):
            MilestoneWeights(first=1, between=-0.1)

    def test_bad_length_message(self) -> None:
        """The length error names the method's argument and the minimum."""
        with pytest.raises(
            ValidationError,
            match=r"^MilestoneWeights\.shares length must be a whole number >= 1, got 0$",
        ):
            W.shares(0)

    def test_mark_on_the_last_touch_and_one_past_it(self) -> None:
        """A mark may be length - 1 (the last touch) but not length (one past the end)."""
        # A 2-touch journey has touches 0 and 1: lead_created=1 is the last touch, so the
        # first touch (0.3) and that touch (0.3) share the journey, 0.5 each.
        assert (0.5, 0.5) == W.shares(2, (1, None, None))
        with pytest.raises(
            ValidationError, match=r"^MilestoneWeights\.shares mark 2 is outside a 2-touch journey$"
        ):
            W.shares(2, (2, None, None))

    @pytest.mark.parametrize("marks", [(), (1,), (1, None), (1, None, None, None)], ids=len)
    def test_marks_not_three_long_are_refused(self, marks: tuple[int | None, ...]) -> None:
        """Marks are the lead-created, opportunity-created and closed-won touches: three, no more."""
        # (1,) used to be read as lead_created=1 with the other two missing; (1, None,
        # None, None) dropped its fourth mark silently
        with pytest.raises(
            ValidationError,
            match=rf"^MilestoneWeights\.shares marks must be 3 touch indices .* got {len(marks)} marks",
        ):
            W.shares(3, marks)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("marks", "where"),
        [
            ([1, None, None], "marks must be a tuple, got"),
            ("abc", "marks must be a tuple, got"),
            (("1", None, None), r"marks\[0\] must be an int or None, got '1'"),
            ((None, 1.0, None), r"marks\[1\] must be an int or None, got 1\.0"),
            ((None, None, True), r"marks\[2\] must be an int or None, got True"),
        ],
        ids=str,
    )
    def test_marks_of_the_wrong_type_are_refused(self, marks: object, where: str) -> None:
        """Marks not a tuple, or a mark not an int (or None), are a WrongType naming the place."""
        with pytest.raises(WrongType, match=where):
            W.shares(3, marks)  # type: ignore[arg-type]

    def test_only_a_between_weight_is_shared_equally(self) -> None:
        """With no slot-holding touch there is no between touch, so every touch gets 1/n."""
        # No first, last or milestone weight: no touch holds a slot, the between weight
        # is dropped (rule 3), nothing is left and the 3 touches share equally (rule 4).
        assert (1 / 3, 1 / 3, 1 / 3) == MilestoneWeights(between=1).shares(3)

    def test_published_weights_come_out_exactly(self) -> None:
        """Weights that already sum to 1 are the shares, unscaled, to the last bit."""
        # Inverse J on 3 touches: 0.6 first, 0.2 to the one between touch, 0.2 last;
        # 0.6 + 0.2 + 0.2 == 1.0 in floats, so each share is its weight / 1.0.
        assert (0.6, 0.2, 0.2) == milestones.INVERSE_J.shares(3)

    def test_tiny_weights_keep_their_proportion(self) -> None:
        """Weights near the smallest float are not lost to underflow."""
        # 5e-324 is the smallest float (2**-1074) and 1e-323 twice it: the shares are
        # 1/3 and 2/3; halving the weights first would round 2**-1075 down to 0.
        assert (1 / 3, 2 / 3) == MilestoneWeights(first=5e-324, last=1e-323).shares(2)

    def test_needs_milestones(self) -> None:
        """Only rules weighing a milestone need journeys."""
        assert (True, False) == (
            W.needs_milestones,
            MilestoneWeights(first=1, last=1).needs_milestones,
        )


class TestMilestoneModel:
    def test_journeys_with_milestones(self) -> None:
        """The engine credits journeys by their marks."""
        j = Journey(path=("a", "b", "c"), converted=True, milestones=Milestones(lead_created=1))
        result = milestone_model([j], MilestoneWeights(first=1, lead_created=1), name="fl")
        assert ("fl", {"a": 0.5, "b": 0.5, "c": 0.0}) == (result.model, dict(result.credits))

    def test_path_counts_refused_for_milestone_rules(self) -> None:
        """PathCounts cannot feed a rule that weighs milestones."""
        with pytest.raises(ValidationError, match="milestones"):
            milestone_model(PathCounts.from_tuples([(("a",), 1, 0, None)]), W)

    def test_bad_rule(self) -> None:
        """The rule must be MilestoneWeights."""
        with pytest.raises(ValidationError, match="MilestoneWeights"):
            milestone_model([], {"first": 1})  # type: ignore[arg-type]

    def test_bad_rule_names_the_argument(self) -> None:
        """The wrong-type error names the function's argument."""
        with pytest.raises(
            WrongType,
            match=r"^milestone_model weights must be a MilestoneWeights, got \{'first': 1\}$",
        ):
            milestone_model([], {"first": 1})  # type: ignore[arg-type]

    def test_path_counts_refusal_says_what_to_pass(self) -> None:
        """The refusal names the default model name and points to journeys with milestones."""
        with pytest.raises(
            ValidationError,
            match=(
                r"^milestone weighs funnel milestones, which PathCounts does not keep; "
                r"pass journeys with milestones \(see journeys_from_leads\)$"
            ),
        ):
            milestone_model(PathCounts.from_tuples([(("a",), 1, 0, None)]), W)

    def test_default_name_and_given_parameters(self) -> None:
        """The result is named 'milestone' by default and carries the parameters given."""
        counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
        result = milestone_model(counts, MilestoneWeights(first=1), parameters={"rule": "first"})
        assert ("milestone", {"rule": "first"}) == (result.model, dict(result.parameters))


class TestNamedShapes:
    def test_rule_models_run_on_the_named_shapes(self) -> None:
        """Each milestone rule model weighs by its named shape, which its result reports."""
        j = Journey(
            path=("a", "b", "c", "d"),
            converted=True,
            milestones=Milestones(lead_created=1, opportunity_created=2, closed_won=3),
        )
        expected = {
            "position_based": milestones.POSITION_BASED.parameters(),
            "j_shaped": milestones.J_SHAPED.parameters(),
            "inverse_j": milestones.INVERSE_J.parameters(),
            "w_shaped": milestones.W_SHAPED.parameters(),
            "full_path": milestones.FULL_PATH.parameters(),
        }
        models = {
            "position_based": position_based,
            "j_shaped": j_shaped,
            "inverse_j": inverse_j,
            "w_shaped": w_shaped,
            "full_path": full_path,
        }
        assert expected == {name: dict(model([j]).parameters) for name, model in models.items()}

    def test_shapes_add_up(self) -> None:
        """Every named shape's weights sum to 1, as published."""
        shapes = {name: getattr(milestones, name) for name in milestones.__all__ if name.isupper()}
        assert dict.fromkeys(shapes, 1.0) == {
            name: pytest.approx(sum(attrs.astuple(shape))) for name, shape in shapes.items()
        }
