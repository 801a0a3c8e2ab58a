"""Specification of teams, members and approvals."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from salesmark import Approval, Member, NaiveDatetime, Team, ValidationError
from salesmark.teams import approving_teams

T = datetime(2026, 1, 5, tzinfo=timezone.utc)


class TestTeam:
    def test_two_teams_by_value(self) -> None:
        """There are exactly two teams, sales and marketing, looked up by value."""
        assert ["sales", "marketing"] == [t.value for t in Team]
        assert Team.SALES is Team("sales")

    def test_other(self) -> None:
        """Each team's other team is the opposite one."""
        assert (Team.MARKETING, Team.SALES) == (Team.SALES.other, Team.MARKETING.other)
        assert all(t.other.other is t for t in Team)


class TestMember:
    def test_valid(self) -> None:
        """A member has an id, a name and a team."""
        assert Team.SALES == Member(id="m1", name="Ana Ortiz", team=Team.SALES).team

    @pytest.mark.parametrize(
        ("changes", "match"),
        [({"id": ""}, "Member.id"), ({"name": " "}, "Member.name"),
         ({"team": "finance"}, r"Member.team must be one of Team.SALES, Team.MARKETING, got 'finance'"),
         ({"team": "sales"}, "Member.team")],
    )  # fmt: skip
    def test_bad_fields(self, changes: dict[str, object], match: str) -> None:
        """A blank id or name, or a team that is not a Team member, is refused naming the field."""
        fields: dict[str, object] = {"id": "m1", "name": "Ana", "team": Team.SALES, **changes}
        with pytest.raises(ValidationError, match=match):
            Member(**fields)  # type: ignore[arg-type]


class TestApproval:
    def test_naive_time_is_refused(self) -> None:
        """An approval needs an aware time."""
        with pytest.raises(NaiveDatetime, match="Approval.at"):
            Approval(team=Team.SALES, member_id="s1", at=datetime(2026, 1, 5))

    def test_blank_member(self) -> None:
        """Somebody signs off."""
        with pytest.raises(ValidationError, match="Approval.member_id"):
            Approval(team=Team.SALES, member_id="", at=T)


class TestApprovingTeams:
    def test_set_of_teams(self) -> None:
        """The approving teams are the distinct teams of the approvals."""
        approvals = (
            Approval(team=Team.SALES, member_id="s1", at=T),
            Approval(team=Team.SALES, member_id="s2", at=T),
        )
        assert frozenset({Team.SALES}) == approving_teams(approvals)
        assert frozenset() == approving_teams(())
