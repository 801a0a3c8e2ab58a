"""Specification of leads: source, touchpoints and a history that follows the lifecycle."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    HUBSPOT,
    DisqualificationReason,
    IllegalTransition,
    Lead,
    LeadSource,
    MissingReason,
    Money,
    NaiveDatetime,
    RecycleReason,
    RejectionReason,
    SalesmarkError,
    Stage,
    StageChange,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
)
from salesmark.leads import ATTRIBUTE_INT_BOUND
from salesmark.testing.strategies import leads, legal_walks

STAGES_OF_WATERFALL = DEMAND_WATERFALL.stage_names

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
BERLIN = ZoneInfo("Europe/Berlin")


def _lead(**changes: object) -> Lead:
    fields: dict[str, object] = {
        "id": "L1",
        "created_at": T0,
        "source": LeadSource(
            source="google", medium="cpc", channel="paid_search", campaign_id="c1"
        ),
        "attributes": {"industry": "retail", "employees": 120},
        "value": Money.of("9000", "EUR"),
    }
    return Lead.create(**{**fields, **changes})  # type: ignore[arg-type]


def _touch(
    hours: float, team: Team = Team.MARKETING, kind: TouchpointKind = TouchpointKind.EMAIL
) -> Touchpoint:
    return Touchpoint(at=T0 + timedelta(hours=hours), channel="email", kind=kind, team=team)


class TestLeadSource:
    def test_every_part_is_optional(self) -> None:
        """A source may know nothing but the channel, or nothing at all."""
        assert LeadSource() == LeadSource(source=None, medium=None, channel=None)
        assert "events" == LeadSource(channel="events").channel

    @pytest.mark.parametrize(
        "field", ["source", "medium", "channel", "campaign_id", "landing_page"]
    )
    def test_blank_parts_are_refused(self, field: str) -> None:
        """A known part is a non-blank string; unknown is None, not ''."""
        with pytest.raises(ValidationError, match=f"LeadSource.{field} must be a non-empty string"):
            LeadSource(**{field: " "})  # type: ignore[arg-type]


class TestStageChange:
    def test_enum_members_are_stored_as_names(self) -> None:
        """Stage and reason given as enum members are stored as plain codes."""
        change = StageChange(stage=Stage.REJECTED, at=T0, by="s1", reason=RejectionReason.DUPLICATE)
        assert ("rejected", "duplicate") == (change.stage, change.reason)

    def test_naive_time_is_refused(self) -> None:
        """A stage change needs an aware time."""
        with pytest.raises(NaiveDatetime, match="StageChange.at"):
            StageChange(stage="mql", at=datetime(2026, 1, 1))

    @pytest.mark.parametrize(("field", "value"), [("by", ""), ("reason", ""), ("stage", "")])
    def test_blank_fields_are_refused(self, field: str, value: str) -> None:
        """Who, why and which stage are never blank strings."""
        fields = {"stage": "mql", "at": T0, field: value}
        with pytest.raises(ValidationError):
            StageChange(**fields)  # type: ignore[arg-type]


class TestCreate:
    def test_starts_in_the_initial_stage(self) -> None:
        """A new lead starts at inquiry, entered when it was created."""
        lead = _lead()
        assert ("inquiry", T0, (StageChange(stage="inquiry", at=T0),)) == (
            lead.stage,
            lead.entered(Stage.INQUIRY),
            lead.history,
        )
        assert ("paid_search", "c1") == (lead.channel, lead.campaign_id)

    def test_may_start_further_down(self) -> None:
        """An imported lead may start at another stage of the lifecycle."""
        assert "mql" == _lead(stage=Stage.MQL).stage

    def test_stage_must_belong_to_the_lifecycle(self) -> None:
        """A start stage from another lifecycle is refused, naming it and the lifecycle."""
        with pytest.raises(
            IllegalTransition, match="'subscriber' is not in lifecycle 'demand_waterfall'"
        ):
            _lead(stage="subscriber")
        assert "subscriber" == _lead(lifecycle=HUBSPOT).stage

    def test_naive_creation_time(self) -> None:
        """A naive creation time raises NaiveDatetime, which says so."""
        with pytest.raises(NaiveDatetime, match="Lead.created_at must be timezone-aware"):
            _lead(created_at=datetime(2026, 1, 1))

    def test_without_a_source(self) -> None:
        """A lead nobody knows the source of has no channel and no campaign."""
        lead = Lead.create(id="L", created_at=T0)
        assert (None, None, None, {}) == (
            lead.source,
            lead.channel,
            lead.campaign_id,
            dict(lead.attributes),
        )

    def test_blank_id_is_refused(self) -> None:
        """Every lead has an id."""
        with pytest.raises(ValidationError, match="Lead.id"):
            _lead(id="")


class TestHistoryRules:
    def test_empty_history(self) -> None:
        """A lead holds at least its first stage."""
        with pytest.raises(ValidationError, match="at least its first stage"):
            Lead(id="L", created_at=T0, history=())

    def test_history_starts_at_or_after_creation(self) -> None:
        """The first stage change cannot precede the lead's creation."""
        with pytest.raises(ValidationError, match=r"history\[0\].at.*before created_at"):
            Lead(
                id="L", created_at=T0, history=(StageChange(stage="inquiry", at=T0 - timedelta(1)),)
            )

    def test_time_never_goes_backwards(self) -> None:
        """A later stage change cannot be dated before an earlier one."""
        with pytest.raises(ValidationError, match=r"history\[1\].at.*time never goes backwards"):
            Lead(
                id="L",
                created_at=T0,
                history=(
                    StageChange(stage="inquiry", at=T0 + timedelta(1)),
                    StageChange(stage="mql", at=T0),
                ),
            )

    def test_times_in_different_zones_are_ordered_by_instant(self) -> None:
        """09:30 in New York comes after 15:00 in Berlin on the same day."""
        created = datetime(2026, 3, 2, 15, 0, tzinfo=BERLIN)  # 14:00 UTC
        lead = Lead.create(id="L", created_at=created)
        moved = lead.advance(
            Stage.MQL, at=datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("America/New_York"))
        )
        assert "mql" == moved.stage
        with pytest.raises(ValidationError, match="time never goes backwards"):
            lead.advance(
                Stage.MQL, at=datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("America/New_York"))
            )

    @given(leads())
    def test_generated_leads_are_consistent(self, lead: Lead) -> None:
        """Any generated lead has a non-decreasing history starting at or after creation."""
        times = [c.at.astimezone(timezone.utc) for c in lead.history]
        assert times == sorted(times)
        assert lead.created_at <= lead.history[0].at


class TestAdvance:
    def test_returns_a_new_lead(self) -> None:
        """Advancing returns a new lead with one more stage change; the original is unchanged."""
        lead = _lead()
        moved = lead.advance(Stage.MQL, at=T0 + timedelta(hours=1), by="m1")
        assert ("inquiry", "mql") == (lead.stage, moved.stage)
        assert StageChange(stage="mql", at=T0 + timedelta(hours=1), by="m1") == moved.history[-1]
        assert lead.history == moved.history[:-1]

    def test_full_waterfall(self) -> None:
        """A lead can walk the whole waterfall to won, and remembers every stage."""
        lead = _lead()
        for hours, stage in enumerate(("mql", "sal", "sql", "opportunity", "won"), start=1):
            lead = lead.advance(stage, at=T0 + timedelta(hours=hours))
        assert all(lead.has_reached(s) for s in DEMAND_WATERFALL.progression)
        assert not lead.has_reached(Stage.LOST)
        assert ("won", T0 + timedelta(hours=3)) == (lead.stage, lead.entered(Stage.SQL))

    def test_illegal_transition_names_both_stages(self) -> None:
        """Skipping from MQL to won is refused, naming both stages; the lead is unchanged."""
        lead = _lead().advance(Stage.MQL, at=T0)
        with pytest.raises(IllegalTransition, match="from 'mql' to 'won'"):
            lead.advance(Stage.WON, at=T0)
        assert "mql" == lead.stage

    def test_nothing_leaves_a_terminal_stage(self) -> None:
        """A disqualified lead stays disqualified."""
        lead = _lead().advance(Stage.DISQUALIFIED, at=T0, reason=DisqualificationReason.NO_FIT)
        with pytest.raises(IllegalTransition, match="nowhere"):
            lead.advance(Stage.MQL, at=T0)

    def test_rejection_needs_a_reason(self) -> None:
        """Rejecting an MQL without a reason code is refused; with one it is recorded."""
        lead = _lead().advance(Stage.MQL, at=T0)
        with pytest.raises(MissingReason, match="needs a reason code"):
            lead.advance(Stage.REJECTED, at=T0, by="s1")
        rejected = lead.advance(Stage.REJECTED, at=T0, by="s1", reason=RejectionReason.MIS_ROUTED)
        assert ("mis_routed", "s1") == (rejected.history[-1].reason, rejected.history[-1].by)

    def test_recycled_lead_comes_back(self) -> None:
        """A rejected lead can be recycled and become an MQL again; entered() gives the first entry."""
        lead = (
            _lead()
            .advance(Stage.MQL, at=T0)
            .advance(Stage.REJECTED, at=T0 + timedelta(1), reason="bad_data")
            .advance(Stage.RECYCLED, at=T0 + timedelta(2), reason=RecycleReason.NOT_READY)
            .advance(Stage.MQL, at=T0 + timedelta(30))
        )
        assert ("mql", T0) == (lead.stage, lead.entered("mql"))

    def test_same_moment_is_allowed(self) -> None:
        """Two changes may share a timestamp (time does not go backwards)."""
        assert "sal" == _lead().advance(Stage.MQL, at=T0).advance(Stage.SAL, at=T0).stage

    def test_time_never_goes_backwards(self) -> None:
        """A stage change before the previous one is refused, showing both times."""
        lead = _lead().advance(Stage.MQL, at=T0 + timedelta(days=1))
        with pytest.raises(
            ValidationError, match=r"2026-03-02T09:00:00\+00:00.*time never goes backwards"
        ):
            lead.advance(Stage.SAL, at=T0)

    def test_naive_time(self) -> None:
        """A naive move time raises NaiveDatetime."""
        with pytest.raises(NaiveDatetime, match="Lead.advance at"):
            _lead().advance(Stage.MQL, at=datetime(2026, 3, 3))

    def test_other_lifecycle(self) -> None:
        """A lead can follow the HubSpot lifecycle instead, passing it on each move."""
        lead = Lead.create(id="H", created_at=T0, lifecycle=HUBSPOT)
        assert "customer" == lead.advance("customer", at=T0, lifecycle=HUBSPOT).stage
        with pytest.raises(IllegalTransition):
            lead.advance("customer", at=T0)

    @given(legal_walks())
    def test_advancing_along_a_walk_builds_the_same_history(
        self, walk: tuple[StageChange, ...]
    ) -> None:
        """Advancing step by step along a legal walk gives exactly that history."""
        lead = Lead(id="L", created_at=walk[0].at, history=walk[:1])
        for change in walk[1:]:
            lead = lead.advance(
                change.stage,
                at=change.at,
                by=change.by,
                reason=change.reason,
                competitor=change.competitor,
            )
        assert walk == lead.history

    @given(
        leads(),
        st.sampled_from(STAGES_OF_WATERFALL),
        st.timedeltas(timedelta(days=-3), timedelta(days=3)),
    )
    def test_a_refused_move_changes_nothing(self, lead: Lead, to: str, gap: timedelta) -> None:
        """Whatever move is attempted, a lead that raises is left exactly as it was."""
        before = attrs.evolve(lead)
        try:
            moved = lead.advance(to, at=lead.history[-1].at + gap)
        except SalesmarkError:
            assert before == lead
        else:
            assert before == lead
            assert (*lead.history, moved.history[-1]) == moved.history

    def test_time_never_goes_backwards_in_the_autumn_hour(self) -> None:
        """A move 40 minutes earlier in real time is refused even when its wall clock reads later."""
        lead = Lead.create(id="L", created_at=datetime(2026, 10, 25, 2, 10, tzinfo=BERLIN, fold=1))
        with pytest.raises(ValidationError, match="time never goes backwards"):
            lead.advance(Stage.MQL, at=datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0))


class TestEntered:
    def test_never_entered(self) -> None:
        """A stage the lead never entered has no entry time."""
        assert (None, False) == (_lead().entered(Stage.WON), _lead().has_reached("won"))

    @given(leads())
    def test_agrees_with_history(self, lead: Lead) -> None:
        """has_reached holds exactly for the stages of the history, and entered gives the first time."""
        for stage in STAGES_OF_WATERFALL:
            first = next((c.at for c in lead.history if c.stage == stage), None)
            assert (first, first is not None) == (lead.entered(stage), lead.has_reached(stage))


class TestTouchpoints:
    def test_kept_in_time_order(self) -> None:
        """Touchpoints are sorted by time however they were given or added."""
        call, click = (
            _touch(3, Team.SALES, TouchpointKind.CALL),
            _touch(-48, kind=TouchpointKind.AD_CLICK),
        )
        lead = _lead().with_touchpoint(call).with_touchpoint(click)
        assert (click, call) == lead.touchpoints
        assert (click, call) == _lead(touchpoints=[call, click]).touchpoints

    def test_first_follow_up_is_the_first_sales_touch_after_creation(self) -> None:
        """Marketing touches and sales touches before the lead existed are not follow-ups."""
        early_call = _touch(-1, Team.SALES, TouchpointKind.CALL)
        email = _touch(1)
        call, meeting = (
            _touch(2, Team.SALES, TouchpointKind.CALL),
            _touch(5, Team.SALES, TouchpointKind.MEETING),
        )
        lead = _lead(touchpoints=[meeting, email, early_call, call])
        assert call == lead.first_follow_up
        assert _lead(touchpoints=[email, early_call]).first_follow_up is None

    def test_with_touchpoint_returns_a_new_lead(self) -> None:
        """Adding a touchpoint leaves the original lead unchanged."""
        lead = _lead()
        assert (0, 1) == (len(lead.touchpoints), len(lead.with_touchpoint(_touch(1)).touchpoints))

    @given(leads())
    def test_always_sorted(self, lead: Lead) -> None:
        """Every lead's touchpoints are in time order."""
        times = [t.at.astimezone(timezone.utc) for t in lead.touchpoints]
        assert sorted(times) == times


class TestAssignedTo:
    def test_assigns_an_owner(self) -> None:
        """Assigning returns a lead owned by the member; the original keeps its owner."""
        lead = _lead()
        assert (None, "s1") == (lead.owner_id, lead.assigned_to("s1").owner_id)

    def test_blank_owner_is_refused(self) -> None:
        """An owner is a non-blank member id."""
        with pytest.raises(ValidationError, match="Lead.owner_id"):
            _lead().assigned_to(" ")


class TestAttributes:
    @pytest.mark.parametrize("bad", [{"": 1}, {"x": [1]}, {"x": None}, {"x": {"a": 1}}, {3: "x"}])
    def test_bad_attributes(self, bad: dict[object, object]) -> None:
        """Attribute keys are non-empty strings and values are text, numbers or bools."""
        with pytest.raises(ValidationError, match="Lead.attributes"):
            _lead(attributes=bad)

    def test_read_only_and_copied(self) -> None:
        """A lead's attributes cannot be changed in place, nor through the dict it was given."""
        given_attributes = {"industry": "retail"}
        lead = _lead(attributes=given_attributes)
        given_attributes["industry"] = "banking"
        assert "retail" == lead.attributes["industry"]
        with pytest.raises(TypeError):
            lead.attributes["industry"] = "banking"  # type: ignore[index]

    def test_keys_are_sorted(self) -> None:
        """Attributes are kept in key order, so two leads with the same attributes look alike."""
        assert ["a", "b"] == list(_lead(attributes={"b": 1, "a": 2}).attributes)
        assert _lead(attributes={"b": 1, "a": 2}) == _lead(attributes={"a": 2, "b": 1})

    @pytest.mark.parametrize("bad", [math.nan, math.inf])
    def test_non_finite_numbers_are_refused(self, bad: float) -> None:
        """NaN and infinity are not attribute values."""
        with pytest.raises(ValidationError, match="Lead.attributes"):
            _lead(attributes={"score": bad})

    @pytest.mark.parametrize(
        "bad", [2**63, -(2**63), 10**5000], ids=["2**63", "-2**63", "10**5000"]
    )
    def test_integers_are_bounded(self, bad: int) -> None:
        """An integer attribute lies strictly within ±2**63, what a 64-bit column holds."""
        with pytest.raises(
            ValidationError, match=r"strictly between -2\*\*63 and 2\*\*63"
        ) as caught:
            _lead(attributes={"employees": bad})
        assert "/attributes/employees" == caught.value.path

    def test_bounds_are_in_range(self) -> None:
        """The bound is exclusive: the largest 64-bit integers are attributes, as are bools."""
        top = 2**63 - 1
        lead = _lead(attributes={"a": top, "b": -top, "c": True})
        assert {"a": top, "b": -top, "c": True} == lead.attributes
        assert 2**63 == ATTRIBUTE_INT_BOUND

    def test_errors_name_the_attribute(self) -> None:
        """An attribute's error names its path, with the key escaped as a JSON Pointer."""
        with pytest.raises(ValidationError) as caught:
            _lead(attributes={"a/b": math.nan})
        assert "/attributes/a~1b" == caught.value.path
        with pytest.raises(ValidationError) as caught:
            _lead(attributes={"": 1})
        assert "/attributes" == caught.value.path


class TestErrorPaths:
    @pytest.mark.parametrize(
        ("history", "path"),
        [
            ((), "/history"),
            ((StageChange(stage="inquiry", at=T0 - timedelta(1)),), "/history/0/at"),
            ((StageChange(stage="inquiry", at=T0 + timedelta(1)), StageChange(stage="mql", at=T0)), "/history/1/at"),
        ],
    )  # fmt: skip
    def test_history_rules_name_the_step(self, history: tuple[StageChange, ...], path: str) -> None:
        """Each history rule names the path of the step that breaks it."""
        with pytest.raises(ValidationError) as caught:
            Lead(id="L", created_at=T0, history=history)
        assert path == caught.value.path

    def test_validators_name_their_field(self) -> None:
        """A field's validator names the field's path, the value and what was expected."""
        with pytest.raises(ValidationError) as caught:
            _lead(owner_id=" ")
        assert {
            "path": "/owner_id",
            "value": "' '",
            "expected": "a non-empty string",
        } == {k: v for k, v in caught.value.errors[0].to_dict().items() if k != "message"}

    def test_touchpoints_name_their_position(self) -> None:
        """A touchpoint that is not one names its position; a string instead of a list is one error."""
        with pytest.raises(ValidationError) as caught:
            _lead(touchpoints=[_touch(1), "webinar"])
        assert "/touchpoints/1" == caught.value.path
        with pytest.raises(ValidationError) as caught:
            _lead(touchpoints="webinar")
        assert "/touchpoints" == caught.value.path


class TestFieldTypes:
    @pytest.mark.parametrize("bad", [12.5, 12, "12.50 EUR"])
    def test_value_must_be_money(self, bad: object) -> None:
        """A lead's value is Money or None, never a bare number."""
        with pytest.raises(ValidationError, match="Lead.value"):
            _lead(value=bad)

    @pytest.mark.parametrize(
        "changes",
        [{"source": "google"}, {"touchpoints": ["click"]},
         {"history": ({"stage": "inquiry", "at": T0},)}],
    )  # fmt: skip
    def test_parts_must_have_their_types(self, changes: dict[str, object]) -> None:
        """A source, stage change or touchpoint of the wrong type is a ValidationError."""
        fields: dict[str, object] = {
            "id": "L",
            "created_at": T0,
            "history": (StageChange(stage="inquiry", at=T0),),
        }
        with pytest.raises(ValidationError, match="Lead"):
            Lead(**{**fields, **changes})  # type: ignore[arg-type]


class TestStageAsOf:
    def test_latest_entry_strictly_before_the_instant(self) -> None:
        """The state at an instant is the latest entry before it, whatever period it fell in."""
        t0 = datetime(2026, 4, 3, tzinfo=timezone.utc)
        lead = Lead.create(id="L", created_at=t0)
        for days, stage in ((1, "mql"), (2, "sal"), (3, "sql"), (5, "opportunity")):
            lead = lead.advance(stage, at=t0 + timedelta(days=days))
        end_of_may = datetime(2026, 6, 1, tzinfo=timezone.utc)
        assert {
            "before capture": None,
            "at capture": None,
            "just after": "inquiry",
            "at the opportunity": "sql",
            "end of May": "opportunity",
        } == {
            "before capture": lead.stage_as_of(t0 - timedelta(days=1)),
            "at capture": lead.stage_as_of(t0),
            "just after": lead.stage_as_of(t0 + timedelta(microseconds=1)),
            "at the opportunity": lead.stage_as_of(t0 + timedelta(days=5)),
            "end of May": lead.stage_as_of(end_of_may),
        }

    def test_naive_instant_is_refused(self) -> None:
        """A naive instant is refused."""
        lead = Lead.create(id="L", created_at=datetime(2026, 4, 3, tzinfo=timezone.utc))
        with pytest.raises(NaiveDatetime):
            lead.stage_as_of(datetime(2026, 5, 1))


class TestCompetitor:
    T = datetime(2026, 5, 4, tzinfo=timezone.utc)

    def test_a_lost_deal_names_its_competitor(self) -> None:
        """The lost move keeps the competitor the deal went to."""
        deal = Lead.create(id="D", created_at=self.T, stage="opportunity")
        lost = deal.advance("lost", at=self.T, reason="competitor", competitor="Globex")
        assert "Globex" == lost.history[-1].competitor

    def test_a_move_along_the_progression_takes_none(self) -> None:
        """A win cannot name a competitor: it was not lost to anyone."""
        deal = Lead.create(id="D", created_at=self.T, stage="opportunity")
        with pytest.raises(ValidationError, match="only on a lost deal"):
            deal.advance("won", at=self.T, competitor="Globex")

    def test_blank_competitor_is_refused(self) -> None:
        """A blank competitor name is not a name."""
        with pytest.raises(ValidationError, match="competitor"):
            StageChange(stage="lost", at=self.T, competitor="  ")

    def test_it_round_trips(self) -> None:
        """A lead with a competitor on its lost move survives the converter."""
        from salesmark import structure, unstructure

        deal = Lead.create(id="D", created_at=self.T, stage="opportunity")
        lost = deal.advance("lost", at=self.T, reason="competitor", competitor="Globex")
        assert lost == structure(unstructure(lost), Lead)
