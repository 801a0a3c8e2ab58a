"""Buyer personas, built jointly from evidence both teams bring.

A :class:`Persona` defines its segment with :class:`Criterion` rules over lead
attributes, records pains, goals, objections, buying triggers and preferred channels,
and carries the :class:`Evidence` behind it. It counts as validated only with evidence
from sales (the facts sales already has) and approval from both teams.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime

import attrs

from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._time import instant, require_aware
from salesmark.errors import ValidationError
from salesmark.leads import AttributeValue
from salesmark.teams import Approval, Team, approving_teams

__all__ = ["Criterion", "Evidence", "EvidenceKind", "Persona"]


class EvidenceKind(str, enum.Enum):
    """Where a piece of persona evidence comes from."""

    WON_DEAL = "won_deal"
    LOST_DEAL = "lost_deal"
    SALES_CONVERSATION = "sales_conversation"
    SURVEY = "survey"
    ANALYTICS = "analytics"
    INTERVIEW = "interview"


@attrs.frozen(kw_only=True)
class Criterion:
    """One rule of a persona's segment: an attribute and what it may be.

    Give either ``allowed`` values or a numeric range (``minimum`` and/or ``maximum``,
    both inclusive), not both.

    Attributes:
        attribute: The lead attribute, e.g. ``"industry"`` or ``"employees"``.
        allowed: The values that match, e.g. ``("retail", "logistics")``.
        minimum: The smallest matching number, if any.
        maximum: The largest matching number, if any.

    Example:
        >>> Criterion(attribute="employees", minimum=50, maximum=500).matches(120)
        True
        >>> Criterion(attribute="industry", allowed=("retail",)).matches("banking")
        False
    """

    attribute: str = attrs.field(validator=v.non_empty_text)
    allowed: tuple[AttributeValue, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=rf.tuple_of((str, int, float))
    )
    minimum: float | None = attrs.field(default=None, validator=rf.number(optional=True))
    maximum: float | None = attrs.field(default=None, validator=rf.number(optional=True))

    def __attrs_post_init__(self) -> None:
        ranged = self.minimum is not None or self.maximum is not None
        if ranged == bool(self.allowed):
            msg = (
                f"Criterion for {self.attribute!r} needs either allowed values or a "
                f"numeric range, not {'both' if ranged else 'neither'}"
            )
            raise ValidationError(msg)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            msg = (
                f"Criterion for {self.attribute!r} has minimum {self.minimum!r} above "
                f"maximum {self.maximum!r}"
            )
            raise ValidationError(msg)

    def matches(self, value: AttributeValue | None) -> bool:
        """Whether an attribute value satisfies this criterion (``None`` never does)."""
        if value is None:
            return False
        if self.allowed:
            return value in self.allowed
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.minimum is not None and value < self.minimum:
            return False
        return not (self.maximum is not None and value > self.maximum)


@attrs.frozen(kw_only=True)
class Evidence:
    """A fact behind a persona: a deal, a conversation, a survey, an analysis.

    Attributes:
        kind: Where it comes from.
        team: Which team contributed it.
        at: When it was gathered (timezone-aware).
        summary: What it shows, in a sentence.
        reference: An id it points at (a lead, a deal, a survey), if any.
    """

    kind: EvidenceKind = attrs.field(validator=v.member_of(EvidenceKind))
    team: Team = attrs.field(validator=v.member_of(Team))
    at: datetime = attrs.field(validator=v.aware)
    summary: str = attrs.field(validator=v.non_empty_text)
    reference: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class Persona:
    """A buyer persona both teams agree on.

    Attributes:
        id: Unique identifier.
        name: A short name, e.g. ``"Operations Olivia"``.
        segment: The criteria a lead's attributes must meet.
        pains: The problems the persona has.
        goals: What the persona wants to achieve.
        objections: What the persona says against buying.
        buying_triggers: Events that make the persona look for a solution.
        preferred_channels: Channels the persona responds to.
        evidence: The facts behind the persona.
        approvals: Sign-offs by the teams.
        review_due: When the persona should next be reviewed, if scheduled.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 2, 1, tzinfo=timezone.utc)
        >>> p = Persona(id="p1", name="Ops lead", segment=(Criterion(attribute="industry", allowed=("logistics",)),))
        >>> p = p.with_evidence(Evidence(kind=EvidenceKind.WON_DEAL, team=Team.SALES, at=t, summary="3 of 5 wins"))
        >>> p.is_validated
        False
        >>> p.approve(Team.SALES, "s1", at=t).approve(Team.MARKETING, "m1", at=t).is_validated
        True
    """

    id: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    segment: tuple[Criterion, ...] = attrs.field(default=(), converter=v.tuple_field)
    pains: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    goals: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    objections: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    buying_triggers: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    preferred_channels: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=v.tuple_field)
    approvals: tuple[Approval, ...] = attrs.field(default=(), converter=v.tuple_field)
    review_due: datetime | None = attrs.field(default=None, validator=v.optional_aware)

    def __repr__(self) -> str:
        on = ", ".join(c.attribute for c in self.segment) or "no criteria"
        validated = "validated" if self.is_validated else "not validated"
        return (
            f"Persona({self.id!r}, {self.name!r}, segment on {on}, "
            f"{len(self.evidence)} evidence, {validated})"
        )

    @property
    def is_validated(self) -> bool:
        """True when sales contributed evidence and both teams approved."""
        has_sales_facts = any(e.team is Team.SALES for e in self.evidence)
        return has_sales_facts and approving_teams(self.approvals) == {Team.SALES, Team.MARKETING}

    def is_review_due(self, at: datetime) -> bool:
        """Whether the scheduled review date has been reached at ``at``."""
        require_aware(at, "Persona.is_review_due at")
        return self.review_due is not None and instant(at) >= instant(self.review_due)

    def matches(self, attributes: Mapping[str, AttributeValue]) -> bool:
        """Whether attributes satisfy every criterion of the segment."""
        return all(c.matches(attributes.get(c.attribute)) for c in self.segment)

    def with_evidence(self, evidence: Evidence) -> Persona:
        """Return the persona with one more piece of evidence."""
        return attrs.evolve(self, evidence=(*self.evidence, evidence))

    def approve(self, team: Team, member_id: str, *, at: datetime) -> Persona:
        """Return the persona approved by ``team`` (replacing that team's earlier approval)."""
        approval = Approval(team=team, member_id=member_id, at=at)
        kept = tuple(a for a in self.approvals if a.team is not approval.team)
        return attrs.evolve(self, approvals=(*kept, approval))

    def scheduled_for_review(self, due: datetime) -> Persona:
        """Return the persona with its next review due at ``due``."""
        return attrs.evolve(self, review_due=due)
