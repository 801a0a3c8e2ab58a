"""What a rule adds to a lead's score: its dimension and its points.

A score has two dimensions, :attr:`Dimension.FIT` (who the lead is) and
:attr:`Dimension.ENGAGEMENT` (what the lead did); every rule that fires adds one
:class:`Contribution` to one of them, and the contributions are the score's explanation.
A fit rule that could not judge the lead (its attribute missing, or ``"400"`` given to a
range of numbers) adds a contribution too, of no points, saying why it was not evaluated:
the explanation never hides a rule that was quietly switched off.
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
        rule_id: The rule that fired (or could not be evaluated).
        dimension: The dimension it scores.
        points: The points it added (after decay and its cap); negative when it took away;
            0 when it was not evaluated.
        hits: How many touches it counted (1 for fit, recency and inactivity rules; 0
            when it was not evaluated).
        not_evaluated: ``None`` for a rule that fired; else why it could not judge the
            lead: ``"missing"`` or ``"expected a number, got '400'"``.

    Example:
        >>> Contribution(rule_id="role=cfo", dimension=Dimension.FIT, points=20.0, hits=1)
        Contribution(rule_id='role=cfo', dimension=<Dimension.FIT: 'fit'>, points=20.0, hits=1, not_evaluated=None)
        >>> Contribution.unevaluated("employees 50+", Dimension.FIT, "missing").evaluated
        False
    """

    rule_id: str
    dimension: Dimension
    points: float
    hits: int = 1
    not_evaluated: str | None = None

    @classmethod
    def unevaluated(cls, rule_id: str, dimension: Dimension, reason: str) -> Contribution:
        """A rule that could not judge the lead: no points, no hits, and why.

        Example:
            >>> Contribution.unevaluated("employees 50+", Dimension.FIT, "expected a number, got '400'").not_evaluated
            "expected a number, got '400'"
        """
        return cls(rule_id=rule_id, dimension=dimension, points=0.0, hits=0, not_evaluated=reason)

    @property
    def evaluated(self) -> bool:
        """Whether the rule judged the lead (it fired); ``False`` for a "not evaluated" entry.

        Example:
            >>> Contribution(rule_id="r", dimension=Dimension.FIT, points=5).evaluated
            True
        """
        return self.not_evaluated is None
