"""Specification of leads: source, touchpoints and a history that follows the lifecycle."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given

from salesmark import (
    HUBSPOT,
    IllegalTransition,
    Lead,
    LeadSource,
    MissingReason,
    Money,
    NaiveDatetime,
    RejectionReason,
    Stage,
    StageChange,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
)
from strategies import leads

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _lead() -> Lead:
    return Lead.create(
        id="L1",
        created_at=T0,
        source=LeadSource(source="google", medium="cpc", channel="paid_search", campaign_id="c1"),
        attributes={"industry": "retail", "employees": 120},
        value=Money.of("9000", "EUR"),
    )


class TestLead:
    def test_create_starts_in_the_initial_stage(self) -> None:
        """A new lead starts at inquiry, entered when it was created."""
        lead = _lead()
        assert ("inquiry", T0) == (lead.stage, lead.entered(Stage.INQUIRY))
        assert ("paid_search", "c1") == (lead.channel, lead.campaign_id)

    def test_advance_returns_a_new_lead(self) -> None:
        """Advancing returns a new lead with one more stage change; the original is unchanged."""
        lead = _lead()
        moved = lead.advance(Stage.MQL, at=T0 + timedelta(hours=1), by="m1")
        assert "inquiry" == lead.stage
        assert "mql" == moved.stage
        assert StageChange(stage="mql", at=T0 + timedelta(hours=1), by="m1") == moved.history[-1]

    def test_full_waterfall(self) -> None:
        """A lead can walk the whole waterfall to won."""
        lead = _lead()
        for hours, stage in enumerate(("mql", "sal", "sql", "opportunity", "won"), start=1):
            lead = lead.advance(stage, at=T0 + timedelta(hours=hours))
        assert lead.has_reached(Stage.SAL)
        assert "won" == lead.stage

    def test_illegal_transition(self) -> None:
        """Skipping from MQL to won is refused, naming both stages; the lead is unchanged."""
        lead = _lead().advance(Stage.MQL, at=T0)
        with pytest.raises(IllegalTransition, match="from 'mql' to 'won'"):
            lead.advance(Stage.WON, at=T0)
        assert "mql" == lead.stage

    def test_rejection_needs_a_reason(self) -> None:
        """Rejecting an MQL without a reason code is refused; with one it is recorded."""
        lead = _lead().advance(Stage.MQL, at=T0)
        with pytest.raises(MissingReason):
            lead.advance(Stage.REJECTED, at=T0, by="s1")
        rejected = lead.advance(Stage.REJECTED, at=T0, by="s1", reason=RejectionReason.MIS_ROUTED)
        assert "mis_routed" == rejected.history[-1].reason

    def test_time_never_goes_backwards(self) -> None:
        """A stage change before the previous one is refused."""
        lead = _lead().advance(Stage.MQL, at=T0 + timedelta(days=1))
        with pytest.raises(ValidationError, match="time never goes backwards"):
            lead.advance(Stage.SAL, at=T0)

    def test_naive_datetimes_are_refused(self) -> None:
        """Naive creation or move times raise NaiveDatetime."""
        with pytest.raises(NaiveDatetime):
            Lead.create(id="L", created_at=datetime(2026, 1, 1))
        with pytest.raises(NaiveDatetime):
            _lead().advance(Stage.MQL, at=datetime(2026, 3, 3))

    def test_other_lifecycle(self) -> None:
        """A lead can follow the HubSpot lifecycle instead."""
        lead = Lead.create(id="H", created_at=T0, lifecycle=HUBSPOT)
        assert "subscriber" == lead.stage
        assert "customer" == lead.advance("customer", at=T0, lifecycle=HUBSPOT).stage
        with pytest.raises(IllegalTransition):
            Lead.create(id="H", created_at=T0, stage="subscriber")

    def test_touchpoints_are_kept_in_time_order(self) -> None:
        """Touchpoints are sorted by time; the first sales touch after creation is the follow-up."""
        call = Touchpoint(
            at=T0 + timedelta(hours=3), channel="phone", kind=TouchpointKind.CALL, team=Team.SALES
        )
        click = Touchpoint(
            at=T0 - timedelta(days=2), channel="paid_search", kind=TouchpointKind.AD_CLICK
        )
        lead = _lead().with_touchpoint(call).with_touchpoint(click)
        assert (click, call) == lead.touchpoints
        assert call == lead.first_follow_up

    def test_bad_history(self) -> None:
        """An empty history, or one that starts before creation or goes back in time, is refused."""
        with pytest.raises(ValidationError, match="at least its first stage"):
            Lead(id="L", created_at=T0, history=())
        with pytest.raises(ValidationError, match="before created_at"):
            Lead(
                id="L", created_at=T0, history=(StageChange(stage="inquiry", at=T0 - timedelta(1)),)
            )
        with pytest.raises(ValidationError, match="time never goes backwards"):
            Lead(
                id="L",
                created_at=T0,
                history=(
                    StageChange(stage="inquiry", at=T0 + timedelta(1)),
                    StageChange(stage="mql", at=T0),
                ),
            )

    @pytest.mark.parametrize("bad", [{"": 1}, {"x": [1]}, {"x": None}])
    def test_bad_attributes(self, bad: dict[str, object]) -> None:
        """Attribute keys are non-empty strings and values are text, numbers or bools."""
        with pytest.raises(ValidationError, match="Lead.attributes"):
            Lead.create(id="L", created_at=T0, attributes=bad)  # type: ignore[arg-type]

    def test_attributes_are_read_only(self) -> None:
        """A lead's attributes cannot be changed in place."""
        lead = _lead()
        with pytest.raises(TypeError):
            lead.attributes["industry"] = "banking"  # type: ignore[index]

    @given(leads())
    def test_generated_leads_are_consistent(self, lead: Lead) -> None:
        """Any generated lead has a non-decreasing history starting at or after creation."""
        times = [c.at for c in lead.history]
        assert times == sorted(times)
        assert lead.created_at <= times[0]
