"""The two revenue teams and their members."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from salesmark import _validators as v

__all__ = ["Approval", "Member", "Team", "approving_teams"]


class Team(str, enum.Enum):
    """One of the two teams whose alignment salesmark models.

    Example:
        >>> Team("sales") is Team.SALES
        True
    """

    SALES = "sales"
    MARKETING = "marketing"

    @property
    def other(self) -> Team:
        """The other team.

        Example:
            >>> Team.SALES.other
            <Team.MARKETING: 'marketing'>
        """
        return Team.MARKETING if self is Team.SALES else Team.SALES


@attrs.frozen(kw_only=True)
class Member:
    """A person on the sales or the marketing team.

    Attributes:
        id: Unique identifier of the member.
        name: Display name.
        team: The team the member belongs to.

    Example:
        >>> Member(id="m1", name="Ana Ortiz", team=Team.SALES).team.value
        'sales'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    team: Team = attrs.field(validator=v.member_of(Team))


@attrs.frozen(kw_only=True)
class Approval:
    """One team's sign-off on a shared artefact (a persona, a narrative).

    Attributes:
        team: The team that approved.
        member_id: The member who signed off for the team.
        at: When (timezone-aware).

    Example:
        >>> from datetime import datetime, timezone
        >>> Approval(team=Team.SALES, member_id="s1", at=datetime(2026, 1, 5, tzinfo=timezone.utc)).team
        <Team.SALES: 'sales'>
    """

    team: Team = attrs.field(validator=v.member_of(Team))
    member_id: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware)


def approving_teams(approvals: tuple[Approval, ...]) -> frozenset[Team]:
    """The set of teams that appear in ``approvals``.

    Example:
        >>> approving_teams(()) == frozenset()
        True
    """
    return frozenset(a.team for a in approvals)
