"""Specification of lifecycles: stages, legal moves and reason codes as data."""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    HUBSPOT,
    DisqualificationReason,
    IllegalTransition,
    Lifecycle,
    LostReason,
    MissingReason,
    RecycleReason,
    RejectionReason,
    Stage,
    StageChange,
    StageDefinition,
    Transition,
    ValidationError,
)
from salesmark.lifecycle import HubSpotStage, stage_name
from salesmark.testing.strategies import custom_lifecycles, legal_walks

WATERFALL_MOVES = {
    ("inquiry", "mql"): None,
    ("inquiry", "disqualified"): DisqualificationReason,
    ("mql", "sal"): None,
    ("mql", "rejected"): RejectionReason,
    ("mql", "recycled"): RecycleReason,
    ("sal", "sql"): None,
    ("sal", "disqualified"): DisqualificationReason,
    ("sal", "recycled"): RecycleReason,
    ("sql", "opportunity"): None,
    ("sql", "disqualified"): DisqualificationReason,
    ("sql", "recycled"): RecycleReason,
    ("opportunity", "won"): None,
    ("opportunity", "lost"): LostReason,
    ("lost", "recycled"): RecycleReason,
    ("rejected", "recycled"): RecycleReason,
    ("recycled", "mql"): None,
}
STAGES = [s.value for s in Stage]


def _tiny(**changes: Any) -> Lifecycle:
    fields: dict[str, Any] = {
        "name": "tiny",
        "stages": (StageDefinition(name="new"), StageDefinition(name="gone", terminal=True)),
        "initial": "new",
        "progression": ("new", "gone"),
        "transitions": (Transition(source="new", target="gone", reasons=("spam",)),),
    }
    return Lifecycle(**{**fields, **changes})


class TestStageName:
    def test_enum_members_and_strings(self) -> None:
        """A stage may be given as an enum member or its string value."""
        assert ("mql", "mql", "salesqualifiedlead") == (
            stage_name(Stage.MQL),
            stage_name("mql"),
            stage_name(HubSpotStage.SQL),
        )

    @pytest.mark.parametrize("bad", ["", None, 3])
    def test_bad_stage_names(self, bad: object) -> None:
        """An empty or non-string stage is refused, showing the value."""
        with pytest.raises(ValidationError, match="a stage must be a non-empty string"):
            stage_name(bad)  # type: ignore[arg-type]


class TestTransition:
    def test_stores_plain_names(self) -> None:
        """Stages and reason codes given as enum members are stored as their values."""
        move = Transition(
            source=Stage.MQL, target=Stage.REJECTED, reasons=[RejectionReason.BAD_DATA]
        )
        assert ("mql", "rejected", ("bad_data",)) == (move.source, move.target, move.reasons)

    def test_lone_string_is_not_a_list_of_reasons(self) -> None:
        """Reasons are a sequence of codes; a single string is refused rather than split into letters."""
        with pytest.raises(ValidationError, match="sequence"):
            Transition(source="a", target="b", reasons="spam")


class TestDemandWaterfall:
    def test_stages_in_display_order(self) -> None:
        """The waterfall has every stage of the Stage enum, in its order, with labels."""
        assert tuple(STAGES) == DEMAND_WATERFALL.stage_names
        assert "Sales accepted lead" == DEMAND_WATERFALL.stages[2].label
        assert "inquiry" == DEMAND_WATERFALL.initial

    def test_main_progression(self) -> None:
        """The waterfall runs inquiry, MQL, SAL, SQL, opportunity, won."""
        expected = ("inquiry", "mql", "sal", "sql", "opportunity", "won")
        assert expected == DEMAND_WATERFALL.progression

    def test_progression_is_walkable_without_reasons(self) -> None:
        """Each step of the main progression is a legal move that needs no reason code."""
        for a, b in zip(
            DEMAND_WATERFALL.progression, DEMAND_WATERFALL.progression[1:], strict=False
        ):
            assert () == DEMAND_WATERFALL.check(a, b).reasons

    def test_moves_are_data(self) -> None:
        """The legal moves and their reason codes are exactly the table of the waterfall."""
        actual = {(t.source, t.target): t.reasons for t in DEMAND_WATERFALL.transitions}
        expected = {
            move: () if codes is None else tuple(c.value for c in codes)
            for move, codes in WATERFALL_MOVES.items()
        }
        assert expected == actual

    def test_terminal_stages(self) -> None:
        """Won and disqualified are terminal; lost and rejected can only be recycled."""
        assert {"won", "disqualified"} == {s for s in STAGES if DEMAND_WATERFALL.is_terminal(s)}
        assert ("recycled",) == DEMAND_WATERFALL.targets(Stage.LOST)
        assert ("recycled",) == DEMAND_WATERFALL.targets(Stage.REJECTED)
        assert () == DEMAND_WATERFALL.targets(Stage.WON)

    def test_targets_in_declaration_order(self) -> None:
        """The stages reachable from MQL are listed as declared."""
        assert ("sal", "rejected", "recycled") == DEMAND_WATERFALL.targets("mql")

    def test_rejection_is_before_contact_and_disqualification_after(self) -> None:
        """Only an MQL can be rejected; once accepted (SAL) or qualified it can only be disqualified."""
        DEMAND_WATERFALL.check("mql", "rejected", RejectionReason.BAD_DATA)
        for stage in ("sal", "sql"):
            with pytest.raises(IllegalTransition, match=f"from '{stage}' to 'rejected'"):
                DEMAND_WATERFALL.check(stage, "rejected", RejectionReason.BAD_DATA)
            DEMAND_WATERFALL.check(stage, "disqualified", DisqualificationReason.NO_BUDGET)
        with pytest.raises(IllegalTransition):
            DEMAND_WATERFALL.check("mql", "disqualified", DisqualificationReason.NO_BUDGET)

    def test_rejection_and_disqualification_take_different_codes(self) -> None:
        """A disqualification code does not reject, and a rejection code does not disqualify."""
        with pytest.raises(MissingReason, match=r"expected one of \['mis_routed'"):
            DEMAND_WATERFALL.check("mql", "rejected", DisqualificationReason.NO_BUDGET)
        with pytest.raises(MissingReason, match=r"expected one of \['unreachable'"):
            DEMAND_WATERFALL.check("sal", "disqualified", RejectionReason.BAD_DATA)

    @pytest.mark.parametrize(
        ("move", "codes"),
        [(m, c) for m, c in WATERFALL_MOVES.items() if c is not None],
        ids=lambda x: "->".join(x) if isinstance(x, tuple) else x.__name__,
    )
    def test_every_reasoned_move(self, move: tuple[str, str], codes: type[Enum]) -> None:
        """Moves that reject, disqualify, lose or recycle need one of their own codes, and accept each."""
        with pytest.raises(MissingReason, match=f"from '{move[0]}' to '{move[1]}' needs a reason"):
            DEMAND_WATERFALL.check(*move)
        with pytest.raises(MissingReason):
            DEMAND_WATERFALL.check(*move, "because")
        for code in codes:
            assert move == (DEMAND_WATERFALL.check(*move, code).source, move[1])
            DEMAND_WATERFALL.check(*move, code.value)

    def test_missing_reason_is_an_illegal_transition(self) -> None:
        """A missing reason can be caught as IllegalTransition or ValueError too."""
        assert issubclass(MissingReason, IllegalTransition)
        with pytest.raises(ValueError, match="needs a reason code"):
            DEMAND_WATERFALL.check("opportunity", "lost")

    def test_illegal_move_names_both_stages(self) -> None:
        """An illegal move says where from, where to, and what is reachable."""
        with pytest.raises(
            IllegalTransition, match="from 'inquiry' to 'won'.*'mql', 'disqualified'"
        ):
            DEMAND_WATERFALL.check("inquiry", "won")

    def test_unknown_stage(self) -> None:
        """A stage outside the lifecycle is an illegal transition naming it and the lifecycle."""
        with pytest.raises(
            IllegalTransition, match="'customer' is not in lifecycle 'demand_waterfall'"
        ):
            DEMAND_WATERFALL.check("mql", "customer")
        assert not DEMAND_WATERFALL.has_stage("customer")

    def test_terminal_stage_has_no_way_out(self) -> None:
        """Nothing leaves won."""
        with pytest.raises(IllegalTransition, match="nowhere"):
            DEMAND_WATERFALL.check("won", "recycled", RecycleReason.REENGAGE)

    @given(st.sampled_from(STAGES), st.sampled_from(STAGES))
    def test_check_agrees_with_the_table(self, source: str, target: str) -> None:
        """Any pair of stages is legal exactly when the table lists it (given a valid code)."""
        codes = WATERFALL_MOVES.get((source, target))
        reason = None if codes is None else next(iter(codes)).value
        if (source, target) in WATERFALL_MOVES:
            assert target == DEMAND_WATERFALL.check(source, target, reason).target
        else:
            with pytest.raises(IllegalTransition) as caught:
                DEMAND_WATERFALL.check(source, target, reason)
            assert f"'{source}'" in str(caught.value)
            assert f"'{target}'" in str(caught.value)

    @given(legal_walks())
    def test_random_legal_walks_validate(self, history: tuple[StageChange, ...]) -> None:
        """Every random legal walk passes validation and never leaves a terminal stage."""
        DEMAND_WATERFALL.validate_history([(c.stage, c.reason) for c in history])
        assert all(not DEMAND_WATERFALL.is_terminal(c.stage) for c in history[:-1])
        assert "inquiry" == history[0].stage

    @given(legal_walks(), st.data())
    def test_a_walk_with_an_illegal_step_is_refused(
        self, history: tuple[StageChange, ...], data: st.DataObject
    ) -> None:
        """Replacing a step of a legal walk by a stage the lifecycle cannot reach there is refused."""
        assume(len(history) > 1)
        index = data.draw(st.integers(1, len(history) - 1))
        before = history[index - 1].stage
        illegal = [s for s in STAGES if s not in DEMAND_WATERFALL.targets(before)]
        steps = [(c.stage, c.reason) for c in history]
        steps[index] = (data.draw(st.sampled_from(illegal)), None)
        with pytest.raises(IllegalTransition):
            DEMAND_WATERFALL.validate_history(steps)

    @given(legal_walks())
    def test_dropping_a_required_reason_is_refused(self, history: tuple[StageChange, ...]) -> None:
        """Removing the reason code of a move that needs one makes the walk illegal."""
        needing = [
            i
            for i, c in enumerate(history)
            if i and c.stage in {"rejected", "disqualified", "lost", "recycled"}
        ]
        assume(needing)
        steps = [(c.stage, None if i == needing[0] else c.reason) for i, c in enumerate(history)]
        with pytest.raises(MissingReason):
            DEMAND_WATERFALL.validate_history(steps)


class TestValidateHistory:
    def test_empty_history(self) -> None:
        """A history must hold at least one stage."""
        with pytest.raises(ValidationError, match="must not be empty"):
            DEMAND_WATERFALL.validate_history([])

    def test_first_stage_must_belong(self) -> None:
        """The first stage must be a stage of the lifecycle (a lead may start past the initial one)."""
        DEMAND_WATERFALL.validate_history([("mql", None), ("sal", None)])
        with pytest.raises(IllegalTransition, match="'customer' is not in lifecycle"):
            DEMAND_WATERFALL.validate_history([("customer", None)])

    def test_first_illegal_step_is_reported(self) -> None:
        """The error names the first step that breaks the rules."""
        with pytest.raises(IllegalTransition, match="from 'sal' to 'won'"):
            DEMAND_WATERFALL.validate_history(
                [("inquiry", None), ("mql", None), ("sal", None), ("won", None), ("lost", None)]
            )


class TestHubSpot:
    def test_stages(self) -> None:
        """The HubSpot preset has HubSpot's eight default stages and starts at subscriber."""
        assert tuple(s.value for s in HubSpotStage) == HUBSPOT.stage_names
        assert "subscriber" == HUBSPOT.initial
        assert not any(HUBSPOT.is_terminal(s) for s in HUBSPOT.stage_names)

    def test_forward_skips_and_other(self) -> None:
        """HubSpot moves forward, may skip stages, and reaches 'other' from anywhere and back."""
        HUBSPOT.check(HubSpotStage.SUBSCRIBER, HubSpotStage.OPPORTUNITY)
        for stage in HubSpotStage:
            if stage is not HubSpotStage.OTHER:
                HUBSPOT.check(stage, HubSpotStage.OTHER)
                HUBSPOT.check(HubSpotStage.OTHER, stage)
        with pytest.raises(IllegalTransition, match="from 'customer' to 'lead'"):
            HUBSPOT.check(HubSpotStage.CUSTOMER, HubSpotStage.LEAD)

    @given(legal_walks(HUBSPOT))
    def test_random_walks(self, history: tuple[StageChange, ...]) -> None:
        """Random legal HubSpot walks validate."""
        HUBSPOT.validate_history([(c.stage, c.reason) for c in history])


class TestCustomLifecycle:
    def test_an_application_defines_its_own(self) -> None:
        """A two-stage lifecycle with a reasoned exit works like the presets."""
        mine = _tiny()
        assert "gone" == mine.check("new", "gone", "spam").target
        assert mine.is_terminal("gone")
        with pytest.raises(MissingReason, match=r"\['spam'\]"):
            mine.check("new", "gone")

    def test_handover_stage(self) -> None:
        """The MQL role: named by each preset, by default the progression's second stage."""
        assert ("mql", "sal") == (DEMAND_WATERFALL.handover, DEMAND_WATERFALL.accepted)
        assert ("marketingqualifiedlead", "salesqualifiedlead") == (
            HUBSPOT.handover,
            HUBSPOT.accepted,
        )
        assert ("new", "gone") == (_tiny().handover, _tiny().accepted)
        three = _tiny(
            stages=(*_tiny().stages, StageDefinition(name="hot")),
            progression=("new", "hot", "gone"),
        )
        assert ("hot", "gone") == (three.handover, three.accepted)

    @pytest.mark.parametrize("bad", ["gone", "nowhere"])
    def test_handover_must_lead_somewhere_on_the_progression(self, bad: str) -> None:
        """The handover is a progression stage with a next one (sales' acceptance)."""
        with pytest.raises(ValidationError, match=f"Lifecycle.handover .* got '{bad}'"):
            _tiny(handover=bad)

    @given(custom_lifecycles(), st.data())
    def test_random_walks_of_any_lifecycle(self, lifecycle: Lifecycle, data: st.DataObject) -> None:
        """Walks built from any valid lifecycle's own table validate against it."""
        history = data.draw(legal_walks(lifecycle))
        lifecycle.validate_history([(c.stage, c.reason) for c in history])

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"stages": ()}, "at least one stage"),
            ({"name": " "}, "Lifecycle.name"),
            ({"stages": (StageDefinition(name="a"), StageDefinition(name="a"))}, r"more than once: \['a'\]"),
            ({"initial": "zzz"}, "initial names unknown stage 'zzz'"),
            ({"progression": ("a", "zzz")}, "progression names unknown stage 'zzz'"),
            ({"transitions": (Transition(source="a", target="zzz"),)}, r"transitions\[0\] names unknown stage 'zzz'"),
            ({"transitions": (Transition(source="a", target="b"), Transition(source="a", target="b"))},
             r"transitions\[1\] repeats 'a' -> 'b'"),
            (
                {"stages": (StageDefinition(name="a", terminal=True), StageDefinition(name="b")),
                 "transitions": (Transition(source="a", target="b"),)},
                "leaves terminal stage 'a'",
            ),
        ],
    )  # fmt: skip
    def test_bad_definitions(self, kwargs: dict[str, object], match: str) -> None:
        """Duplicate or unknown stages, repeated moves and exits from terminal stages are refused."""
        base: dict[str, object] = {
            "name": "x",
            "stages": (StageDefinition(name="a"), StageDefinition(name="b")),
            "initial": "a",
            "progression": ("a",),
            "transitions": (),
        }
        with pytest.raises(ValidationError, match=match):
            Lifecycle(**{**base, **kwargs})  # type: ignore[arg-type]

    def test_stages_must_be_stage_definitions(self) -> None:
        """Stages given as plain strings are refused with a ValidationError."""
        with pytest.raises(ValidationError, match="Lifecycle.stages"):
            _tiny(stages=("new", "gone"))


class TestOffRamps:
    def test_presets_name_their_rejection_and_given_up_stages(self) -> None:
        """The waterfall rejects at 'rejected' and gives up at 'recycled'/'disqualified'; HubSpot gives up at 'other'."""
        assert {
            "waterfall": ("rejected", ("recycled", "disqualified")),
            "hubspot": (None, ("other",)),
        } == {
            "waterfall": (DEMAND_WATERFALL.rejection, DEMAND_WATERFALL.given_up),
            "hubspot": (HUBSPOT.rejection, HUBSPOT.given_up),
        }

    @pytest.mark.parametrize(
        ("changes", "fragment"),
        [
            ({"rejection": "banana"}, "Lifecycle.rejection names unknown stage 'banana'"),
            ({"given_up": ("sal",)}, "Lifecycle.given_up must be a stage off the progression"),
            ({"rejection": "mql"}, "Lifecycle.rejection must be a stage off the progression"),
        ],
    )
    def test_off_ramps_are_checked(self, changes: dict[str, object], fragment: str) -> None:
        """The rejection and given-up stages must exist and lie off the progression."""
        with pytest.raises(ValidationError, match=fragment):
            attrs.evolve(DEMAND_WATERFALL, **changes)  # type: ignore[misc]


class TestExtending:
    def test_with_transition_adds_one_move(self) -> None:
        """with_transition returns a lifecycle with one more legal move; the preset is unchanged."""
        custom = DEMAND_WATERFALL.with_transition("inquiry", "sal")
        assert ("mql", "disqualified", "sal") == custom.targets("inquiry")
        assert ("mql", "disqualified") == DEMAND_WATERFALL.targets("inquiry")

    def test_with_transition_refuses_a_repeat(self) -> None:
        """Adding a move that exists already is refused."""
        with pytest.raises(ValidationError, match="repeats 'mql' -> 'sal'"):
            DEMAND_WATERFALL.with_transition("mql", "sal")

    def test_with_reasons_adds_codes(self) -> None:
        """with_reasons keeps the accepted codes and adds new ones, once each."""
        ours = DEMAND_WATERFALL.with_reasons("mql", "rejected", "wrong_language", "mis_routed")
        reasons = ours.check("mql", "rejected", "wrong_language").reasons
        assert ("mis_routed", "wrong_language") == (reasons[0], reasons[-1])
        assert len(set(reasons)) == len(reasons)

    def test_with_reasons_needs_a_move_and_a_reason(self) -> None:
        """A move the lifecycle lacks, or no reason at all, is refused."""
        with pytest.raises(IllegalTransition, match="no move 'mql' -> 'won'"):
            DEMAND_WATERFALL.with_reasons("mql", "won", "x")
        with pytest.raises(ValidationError, match="at least one reason"):
            DEMAND_WATERFALL.with_reasons("mql", "rejected")
