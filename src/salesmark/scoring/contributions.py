"""What a rule adds to a lead's score: its dimension and its points.

A score has two dimensions, :attr:`Dimension.FIT` (who the lead is) and
:attr:`Dimension.ENGAGEMENT` (what the lead did); every rule that fires adds one
:class:`Contribution` to one of them, and the contributions are the score's explanation.
"""

from __future__ import annotations

import enum

import attrs

__all__ = ["Contribution", "Dimension"]


class Dimension(str, enum.Enum):
    """The two dimensions of a lead score.

    ``FIT`` is who the lead is (industry, size, role); ``ENGAGEMENT`` is what the lead
    did (visits, downloads, webinars, calls).

    Example:
        >>> Dimension("fit") is Dimension.FIT
        True
    """

    FIT = "fit"
    ENGAGEMENT = "engagement"


@attrs.frozen(kw_only=True)
class Contribution:
    """What one rule added to a lead's score.

    Attributes:
        rule_id: The rule that fired.
        dimension: The dimension it scores.
        points: The points it added (after decay and its cap); negative when it took away.
        hits: How many touches it counted (1 for fit, recency and inactivity rules).

    Example:
        >>> Contribution(rule_id="role=cfo", dimension=Dimension.FIT, points=20.0, hits=1)
        Contribution(rule_id='role=cfo', dimension=<Dimension.FIT: 'fit'>, points=20.0, hits=1)
    """

    rule_id: str
    dimension: Dimension
    points: float
    hits: int = 1
