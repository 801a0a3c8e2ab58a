"""Specification of teams, members and approvals."""

from __future__ import annotations

import pytest

from salesmark import Member, Team, ValidationError


class TestTeam:
    def test_other(self) -> None:
        """Each team's other team is the opposite one."""
        assert (Team.MARKETING, Team.SALES) == (Team.SALES.other, Team.MARKETING.other)

    def test_member_validation(self) -> None:
        """A member needs an id, a name and a Team."""
        with pytest.raises(ValidationError, match="Member.name"):
            Member(id="m1", name=" ", team=Team.SALES)
        with pytest.raises(ValidationError, match="Member.team"):
            Member(id="m1", name="Ana", team="finance")  # type: ignore[arg-type]
