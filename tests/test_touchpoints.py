"""Specification of touchpoints."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given

from salesmark import (
    NaiveDatetime,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
    WrongType,
    structure,
    unstructure,
)
from salesmark.testing.strategies import touchpoints

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


class TestTouchpointKind:
    def test_covers_both_teams_interactions(self) -> None:
        """Kinds cover marketing's (ad click, form fill, webinar) and sales' (call, meeting) interactions."""
        values = {k.value for k in TouchpointKind}
        assert {"ad_click", "form_fill", "email", "webinar", "call", "meeting", "demo"} <= values


class TestTouchpoint:
    def test_names_no_ids_unless_given(self) -> None:
        """A touchpoint names no campaign, content or member unless given."""
        t = Touchpoint(at=T, channel="email", kind=TouchpointKind.EMAIL_OPEN, team=Team.MARKETING)
        assert (Team.MARKETING, None, None, None) == (
            t.team,
            t.campaign_id,
            t.content_id,
            t.member_id,
        )

    def test_sales_call(self) -> None:
        """A salesperson's call records the member who made it."""
        call = Touchpoint(
            at=T, channel="phone", kind=TouchpointKind.CALL, team=Team.SALES, member_id="s1"
        )
        assert (Team.SALES, "s1") == (call.team, call.member_id)

    @pytest.mark.parametrize(
        ("changes", "error", "match"),
        [
            ({"at": datetime(2026, 1, 1)}, NaiveDatetime, "Touchpoint.at must be timezone-aware"),
            ({"channel": ""}, ValidationError, "Touchpoint.channel"),
            ({"kind": ""}, ValidationError, "Touchpoint.kind must be a non-empty string"),
            ({"kind": 7}, WrongType, "Touchpoint.kind must be a non-empty string, got 7"),
            ({"team": "finance"}, ValidationError, "Touchpoint.team"),
            ({"campaign_id": ""}, ValidationError, "Touchpoint.campaign_id"),
            ({"content_id": " "}, ValidationError, "Touchpoint.content_id"),
            ({"member_id": ""}, ValidationError, "Touchpoint.member_id"),
        ],
    )
    def test_bad_fields(
        self, changes: dict[str, object], error: type[Exception], match: str
    ) -> None:
        """A naive time, a blank channel or id, or an unknown kind or team is refused, naming the field."""
        fields: dict[str, object] = {
            "at": T,
            "channel": "email",
            "kind": TouchpointKind.EMAIL,
            "team": Team.SALES,
            **changes,
        }
        with pytest.raises(error, match=match):
            Touchpoint(**fields)  # type: ignore[arg-type]

    def test_team_is_required(self) -> None:
        """Which team made a touch changes the SLA and sourcing answers, so it is never guessed."""
        with pytest.raises(TypeError, match="team"):
            Touchpoint(at=T, channel="phone", kind=TouchpointKind.CALL)  # type: ignore[call-arg]

    def test_kind_is_open_text(self) -> None:
        """A CRM's own activity type is kept as given; a member is stored as its text."""
        own = Touchpoint(at=T, channel="linkedin", kind="connection_request", team=Team.SALES)
        member = Touchpoint(at=T, channel="phone", kind=TouchpointKind.CALL, team=Team.SALES)
        assert ("connection_request", "call", str, True) == (
            own.kind,
            member.kind,
            type(member.kind),
            member.kind == TouchpointKind.CALL,
        )

    def test_kind_round_trips_as_text(self) -> None:
        """A member and the same text structure to equal touchpoints."""
        member = Touchpoint(at=T, channel="phone", kind=TouchpointKind.CALL, team=Team.SALES)
        text = Touchpoint(at=T, channel="phone", kind="call", team=Team.SALES)
        assert (member, hash(member)) == (text, hash(text))
        assert member == structure(unstructure(member), Touchpoint)

    @given(touchpoints())
    def test_generated_touchpoints_are_aware(self, touch: Touchpoint) -> None:
        """Every touchpoint carries an offset."""
        assert touch.at.utcoffset() is not None
