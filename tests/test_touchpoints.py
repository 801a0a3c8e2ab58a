"""Specification of touchpoints."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from salesmark import NaiveDatetime, Team, Touchpoint, TouchpointKind, ValidationError


class TestTouchpoint:
    def test_defaults_to_marketing(self) -> None:
        """A touchpoint belongs to marketing unless a team is given."""
        t = Touchpoint(
            at=datetime(2026, 1, 1, tzinfo=timezone.utc),
            channel="email",
            kind=TouchpointKind.EMAIL_OPEN,
        )
        assert Team.MARKETING == t.team

    def test_bad_fields(self) -> None:
        """A naive time, an empty channel or an unknown kind is refused."""
        with pytest.raises(NaiveDatetime):
            Touchpoint(at=datetime(2026, 1, 1), channel="email", kind=TouchpointKind.EMAIL)
        with pytest.raises(ValidationError, match="Touchpoint.channel"):
            Touchpoint(
                at=datetime(2026, 1, 1, tzinfo=timezone.utc), channel="", kind=TouchpointKind.EMAIL
            )
        with pytest.raises(ValidationError, match="Touchpoint.kind"):
            Touchpoint(
                at=datetime(2026, 1, 1, tzinfo=timezone.utc), channel="x", kind="smoke_signal"
            )  # type: ignore[arg-type]
