"""Specification of touchpoints."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given

from salesmark import NaiveDatetime, Team, Touchpoint, TouchpointKind, ValidationError
from strategies import touchpoints

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


class TestTouchpointKind:
    def test_covers_both_teams_interactions(self) -> None:
        """Kinds cover marketing's (ad click, form fill, webinar) and sales' (call, meeting) interactions."""
        values = {k.value for k in TouchpointKind}
        assert {"ad_click", "form_fill", "email", "webinar", "call", "meeting", "demo"} <= values


class TestTouchpoint:
    def test_defaults_to_marketing_without_ids(self) -> None:
        """A touchpoint belongs to marketing and names no campaign, content or member unless given."""
        t = Touchpoint(at=T, channel="email", kind=TouchpointKind.EMAIL_OPEN)
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
            ({"kind": "smoke_signal"}, ValidationError, "Touchpoint.kind must be one of"),
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
            **changes,
        }
        with pytest.raises(error, match=match):
            Touchpoint(**fields)  # type: ignore[arg-type]

    @given(touchpoints())
    def test_generated_touchpoints_are_aware(self, touch: Touchpoint) -> None:
        """Every touchpoint carries an offset."""
        assert touch.at.utcoffset() is not None
