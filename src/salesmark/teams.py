"""The two revenue teams and their members."""

from __future__ import annotations

import enum

import attrs

from salesmark import _validators as v

__all__ = ["Member", "Team"]


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
    team: Team = attrs.field(converter=v.to_enum(Team))
