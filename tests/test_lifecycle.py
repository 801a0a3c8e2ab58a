"""Specification of lifecycles: stages, legal moves and reason codes as data."""

from __future__ import annotations

import pytest
from hypothesis import given

from salesmark import (
    DEMAND_WATERFALL,
    HUBSPOT,
    HubSpotStage,
    IllegalTransition,
    Lifecycle,
    MissingReason,
    RejectionReason,
    Stage,
    StageChange,
    StageDefinition,
    Transition,
    ValidationError,
)
from strategies import legal_walks


class TestDemandWaterfall:
    def test_main_progression(self) -> None:
        """The waterfall runs inquiry, MQL, SAL, SQL, opportunity, won."""
        assert (
            "inquiry",
            "mql",
            "sal",
            "sql",
            "opportunity",
            "won",
        ) == DEMAND_WATERFALL.progression

    def test_terminal_stages(self) -> None:
        """Won and disqualified are terminal; lost and rejected can be recycled."""
        assert DEMAND_WATERFALL.is_terminal(Stage.WON)
        assert DEMAND_WATERFALL.is_terminal(Stage.DISQUALIFIED)
        assert ("recycled",) == DEMAND_WATERFALL.targets(Stage.LOST)
        assert ("recycled",) == DEMAND_WATERFALL.targets(Stage.REJECTED)

    def test_rejection_and_disqualification_are_distinct(self) -> None:
        """Rejecting (before contact) and disqualifying (after contact) take different reason codes."""
        rejecting = DEMAND_WATERFALL.check("mql", "rejected", RejectionReason.BAD_DATA)
        disqualifying = DEMAND_WATERFALL.check("sal", "disqualified", "no_budget")
        assert "bad_data" in rejecting.reasons
        assert "bad_data" not in disqualifying.reasons
        assert "no_budget" in disqualifying.reasons
        with pytest.raises(MissingReason):
            DEMAND_WATERFALL.check("mql", "rejected", "no_budget")

    def test_illegal_move_names_both_stages(self) -> None:
        """An illegal move says where from, where to, and what is reachable."""
        with pytest.raises(
            IllegalTransition, match="from 'inquiry' to 'won'.*'mql', 'disqualified'"
        ):
            DEMAND_WATERFALL.check("inquiry", "won")

    def test_missing_reason_lists_accepted_codes(self) -> None:
        """A move that needs a reason lists the accepted codes when none is given."""
        with pytest.raises(MissingReason, match="needs a reason code.*'mis_routed'"):
            DEMAND_WATERFALL.check("mql", "rejected")

    def test_unknown_stage(self) -> None:
        """A stage outside the lifecycle is an illegal transition naming it."""
        with pytest.raises(IllegalTransition, match="'customer' is not in lifecycle"):
            DEMAND_WATERFALL.check("mql", "customer")

    def test_terminal_stage_has_no_way_out(self) -> None:
        """Nothing leaves won."""
        with pytest.raises(IllegalTransition, match="nowhere"):
            DEMAND_WATERFALL.check("won", "recycled")

    @given(legal_walks())
    def test_random_legal_walks_validate(self, history: tuple[StageChange, ...]) -> None:
        """Every random legal walk passes validation and never leaves a terminal stage."""
        DEMAND_WATERFALL.validate_history([(c.stage, c.reason) for c in history])
        for change in history[:-1]:
            assert not DEMAND_WATERFALL.is_terminal(change.stage)


class TestHubSpot:
    def test_forward_skips_and_other(self) -> None:
        """HubSpot moves forward, may skip stages, and reaches 'other' from anywhere."""
        HUBSPOT.check(HubSpotStage.SUBSCRIBER, HubSpotStage.OPPORTUNITY)
        HUBSPOT.check(HubSpotStage.CUSTOMER, HubSpotStage.OTHER)
        with pytest.raises(IllegalTransition):
            HUBSPOT.check(HubSpotStage.CUSTOMER, HubSpotStage.LEAD)

    @given(legal_walks(HUBSPOT))
    def test_random_walks(self, history: tuple[StageChange, ...]) -> None:
        """Random legal HubSpot walks validate."""
        HUBSPOT.validate_history([(c.stage, None) for c in history])


class TestCustomLifecycle:
    def test_an_application_defines_its_own(self) -> None:
        """A two-stage lifecycle with a reasoned exit works like the presets."""
        mine = Lifecycle(
            name="tiny",
            stages=(StageDefinition(name="new"), StageDefinition(name="gone", terminal=True)),
            initial="new",
            progression=("new",),
            transitions=(Transition(source="new", target="gone", reasons=("spam",)),),
        )
        assert mine.check("new", "gone", "spam").target == "gone"

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"stages": ()}, "at least one stage"),
            ({"stages": (StageDefinition(name="a"), StageDefinition(name="a"))}, "more than once"),
            ({"initial": "zzz"}, "initial names unknown stage 'zzz'"),
            ({"transitions": (Transition(source="a", target="zzz"),)}, "unknown stage 'zzz'"),
            (
                {"stages": (StageDefinition(name="a", terminal=True), StageDefinition(name="b")),
                 "transitions": (Transition(source="a", target="b"),)},
                "leaves terminal stage 'a'",
            ),
        ],
    )  # fmt: skip
    def test_bad_definitions(self, kwargs: dict[str, object], match: str) -> None:
        """Duplicate or unknown stages and exits from terminal stages are refused."""
        base: dict[str, object] = {
            "name": "x",
            "stages": (StageDefinition(name="a"), StageDefinition(name="b")),
            "initial": "a",
            "progression": ("a",),
            "transitions": (),
        }
        with pytest.raises(ValidationError, match=match):
            Lifecycle(**{**base, **kwargs})  # type: ignore[arg-type]
