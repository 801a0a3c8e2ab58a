"""The two sides of the revenue engine, the teams a company names, and their members.

salesmark models the alignment of two *sides*, :class:`Team`: marketing, which
generates and hands over leads, and sales, which works and closes them. A company
names its own teams (:class:`TeamDefinition`) and says which side each plays: sales
development and account executives both on the sales side, customer success on the
sales side too, or one revenue team playing both. :data:`DEFAULT_TEAMS` is the two
teams named ``sales`` and ``marketing``. A :class:`Member` belongs to one named team;
the organisation checks that the team is one it names, and every analytic that splits
by team reads the teams from the organisation.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final

import attrs

from salesmark import _validators as v
from salesmark.errors import UnknownReference, ValidationError

__all__ = [
    "DEFAULT_TEAMS",
    "Approval",
    "Member",
    "Team",
    "TeamDefinition",
    "approving_teams",
    "sides_of",
]


class Team(str, enum.Enum):
    """One of the two sides whose alignment salesmark models: marketing and sales.

    A touchpoint's ``team``, a KPI's owners, a scorecard, an approval and a piece of
    persona evidence name a side; a :class:`Member` names the company's own team
    (:class:`TeamDefinition`), which plays one side or both.

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


def _sides(value: object) -> tuple[Team, ...]:
    """The sides a team plays, as given, in the order of :class:`Team` (each once)."""
    given = v.sequence(value, "TeamDefinition.sides", "sides (Team members)")
    for index, side in enumerate(given):
        if not isinstance(side, Team):
            msg = f"TeamDefinition.sides[{index}] must be a Team, got {side!r}"
            raise ValidationError(
                msg, path=f"/sides/{index}", value=side, expected="sales or marketing"
            )
    return tuple(side for side in Team if side in given)


@attrs.frozen(kw_only=True)
class TeamDefinition:
    """One of the company's own teams, and the side (or sides) of the handoff it plays.

    Attributes:
        name: The team's name, as members and reports use it (``"sdr"``, ``"revenue"``).
        sides: The sides it plays: ``(Team.SALES,)`` for a team that works and closes
            leads (sales development, account executives, customer success),
            ``(Team.MARKETING,)`` for one that generates them, both for a single
            revenue team. Kept in the order of :class:`Team`, each once.
        label: A display name, if different from ``name``.

    Raises:
        ValidationError: If the name is empty or no side is given.

    Example:
        >>> TeamDefinition(name="revenue", sides=(Team.MARKETING, Team.SALES)).sides
        (<Team.SALES: 'sales'>, <Team.MARKETING: 'marketing'>)
    """

    name: str = attrs.field(validator=v.non_empty_text)
    sides: tuple[Team, ...] = attrs.field(converter=_sides)
    label: str | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if not self.sides:
            msg = f"TeamDefinition {self.name!r} must play at least one side (sales, marketing)"
            raise ValidationError(msg, path="/sides", value=self.sides, expected="a Team")

    def plays(self, side: Team) -> bool:
        """Whether the team plays ``side``.

        Example:
            >>> TeamDefinition(name="sdr", sides=(Team.SALES,)).plays(Team.MARKETING)
            False
        """
        return side in self.sides


DEFAULT_TEAMS: Final[tuple[TeamDefinition, ...]] = (
    TeamDefinition(name="sales", sides=(Team.SALES,)),
    TeamDefinition(name="marketing", sides=(Team.MARKETING,)),
)
"""The teams of a company that names none: ``sales`` and ``marketing``, one side each."""


def _team_name(value: object) -> object:
    """A team name as text: a :class:`Team` side stands for the default team of its name."""
    return value.value if isinstance(value, Team) else value


@attrs.frozen(kw_only=True)
class Member:
    """A person on one of the company's teams.

    Attributes:
        id: Unique identifier of the member.
        name: Display name.
        team: The name of the team the member belongs to (one the organisation names,
            see :class:`TeamDefinition`); ``Team.SALES`` and ``Team.MARKETING`` stand
            for the default teams ``"sales"`` and ``"marketing"`` and are kept as text.

    Example:
        >>> Member(id="m1", name="Ana Ortiz", team=Team.SALES).team
        'sales'
        >>> Member(id="m2", name="Dev Rao", team="sdr").team
        'sdr'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    team: str = attrs.field(converter=_team_name, validator=v.non_empty_text)


def sides_of(
    members: Iterable[Member], teams: Iterable[TeamDefinition] = DEFAULT_TEAMS
) -> Mapping[str, tuple[Team, ...]]:
    """The sides each member plays, through the team it belongs to.

    Args:
        members: The members.
        teams: The company's teams (an organisation's ``teams``; by default
            :data:`DEFAULT_TEAMS`).

    Returns:
        A mapping of member id to the sides of the member's team.

    Raises:
        UnknownReference: If a member's team is not among ``teams`` (a team the company
            names must be passed, never guessed).

    Example:
        >>> sdr = TeamDefinition(name="sdr", sides=(Team.SALES,))
        >>> dict(sides_of([Member(id="d1", name="Dev", team="sdr")], [sdr, *DEFAULT_TEAMS]))
        {'d1': (<Team.SALES: 'sales'>,)}
    """
    by_name = {t.name: t.sides for t in v.argument_items(teams, "sides_of teams", TeamDefinition)}
    found: dict[str, tuple[Team, ...]] = {}
    for index, member in enumerate(v.argument_items(members, "sides_of members", Member)):
        sides = by_name.get(member.team)
        if sides is None:
            msg = (
                f"members[{index}] ({member.id!r}) belongs to team {member.team!r}, which is not "
                f"among the teams {sorted(by_name)}"
            )
            raise UnknownReference(msg, path=f"/members/{index}/team", value=member.team)
        found[member.id] = sides
    return found


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
