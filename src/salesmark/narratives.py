"""Narratives: the one story both teams tell.

"Client X has this problem because of market trend Y; our product Z solves it."
A :class:`Narrative` ties a persona, a problem, market trends and a product together.
It is active only once both teams have approved its current version; revising it makes
a new version, records why and which new evidence prompted it, and asks both teams to
approve again. Each version names the client insights and insight themes it rests on,
so it goes stale when that evidence does, not only with age.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final

import attrs

from salesmark import _validators as v
from salesmark._time import elapsed, instant, require_aware
from salesmark.errors import ValidationError
from salesmark.feedback import ClientInsight
from salesmark.teams import Approval, Team, approving_teams

__all__ = ["EVIDENCE_WINDOW", "Narrative", "NarrativeRevision", "NarrativeStatus"]

EVIDENCE_WINDOW: Final = timedelta(days=90)
"""How recent a supporting insight must be for a narrative's evidence to count as fresh."""


class NarrativeStatus(str, enum.Enum):
    """Where a narrative stands: drafted, agreed by both teams, or retired."""

    DRAFT = "draft"
    AGREED = "agreed"
    RETIRED = "retired"


@attrs.frozen(kw_only=True)
class NarrativeRevision:
    """A past version of a narrative and why it was replaced.

    Attributes:
        version: The version number that was replaced.
        problem: Its problem statement.
        trends: Its market trends.
        product: Its product.
        proof_points: Its proof points.
        replaced_at: When the next version replaced it.
        reason: Why it was revised (e.g. "competitor launched a cheaper tier").
        by: The member who revised it.
        insight_ids: The insights it rested on.
        themes: The insight themes it rested on.
        prompted_by: The ids of the new insights that prompted the revision.
    """

    version: int = attrs.field(validator=v.non_negative_int)
    problem: str = attrs.field(validator=v.non_empty_text)
    trends: tuple[str, ...] = attrs.field(converter=v.tuple_field)
    product: str = attrs.field(validator=v.non_empty_text)
    proof_points: tuple[str, ...] = attrs.field(converter=v.tuple_field)
    replaced_at: datetime = attrs.field(validator=v.aware)
    reason: str = attrs.field(validator=v.non_empty_text)
    by: str | None = attrs.field(default=None, validator=v.optional_text)
    insight_ids: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    themes: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    prompted_by: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)


@attrs.frozen(kw_only=True)
class Narrative:
    """The shared story about a persona's problem and how the product solves it.

    Attributes:
        id: Unique identifier.
        persona_id: The persona the story is about.
        audience: How the story names the persona, e.g. ``"Mid-size logistics firms"``.
        problem: The client's problem.
        trends: The market trends that cause or sharpen it (at least one).
        product: The product (or offer) that solves it.
        proof_points: Evidence that it does (case studies, numbers).
        created_at: When the current version was written (timezone-aware).
        version: The current version number, from 1.
        status: Draft, agreed or retired.
        approvals: Sign-offs on the current version.
        revisions: Earlier versions, oldest first.
        insight_ids: The client insights (by :attr:`~salesmark.feedback.ClientInsight.id`)
            the current version rests on.
        themes: The client-insight themes it rests on; any insight with one of them
            supports it (compared ignoring case).

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 1, 10, tzinfo=timezone.utc)
        >>> n = Narrative.draft(
        ...     id="n1", persona_id="p1", audience="Mid-size logistics firms",
        ...     problem="late deliveries", trends=("same-day delivery expectations",),
        ...     product="RouteWise", at=t,
        ... )
        >>> n.statement
        'Mid-size logistics firms struggles with late deliveries because same-day delivery expectations; RouteWise solves it.'
        >>> n = n.approve(Team.SALES, "s1", at=t).approve(Team.MARKETING, "m1", at=t)
        >>> n.is_agreed, n.revise(at=t, reason="new pricing", product="RouteWise Pro").is_agreed
        (True, False)
    """

    id: str = attrs.field(validator=v.non_empty_text)
    persona_id: str = attrs.field(validator=v.non_empty_text)
    audience: str = attrs.field(validator=v.non_empty_text)
    problem: str = attrs.field(validator=v.non_empty_text)
    trends: tuple[str, ...] = attrs.field(converter=v.tuple_field)
    product: str = attrs.field(validator=v.non_empty_text)
    created_at: datetime = attrs.field(validator=v.aware)
    proof_points: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    version: int = attrs.field(default=1, validator=v.whole(1))
    status: NarrativeStatus = attrs.field(
        default=NarrativeStatus.DRAFT, validator=v.member_of(NarrativeStatus)
    )
    approvals: tuple[Approval, ...] = attrs.field(default=(), converter=v.tuple_field)
    revisions: tuple[NarrativeRevision, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(NarrativeRevision)
    )
    insight_ids: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    themes: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)

    def __attrs_post_init__(self) -> None:
        if not self.trends or not all(isinstance(t, str) and t.strip() for t in self.trends):
            msg = f"Narrative.trends of {self.id!r} must name at least one market trend, got {self.trends!r}"
            raise ValidationError(msg)
        if self.status is NarrativeStatus.AGREED and not self._both_approved():
            msg = f"Narrative.status of {self.id!r} is 'agreed' but not both teams approved it"
            raise ValidationError(msg)

    @classmethod
    def draft(
        cls,
        *,
        id: str,  # noqa: A002 (the domain's name for it)
        persona_id: str,
        audience: str,
        problem: str,
        trends: Iterable[str],
        product: str,
        at: datetime,
        proof_points: Iterable[str] = (),
        insight_ids: Iterable[str] = (),
        themes: Iterable[str] = (),
    ) -> Narrative:
        """Write the first version of a narrative, as a draft awaiting both approvals.

        Example:
            >>> from datetime import datetime, timezone
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=datetime(2026, 1, 5, tzinfo=timezone.utc),
            ...                     insight_ids=("i1",), themes=("late deliveries",))
            >>> n.version, n.insight_ids, n.themes
            (1, ('i1',), ('late deliveries',))
        """
        return cls(
            id=id,
            persona_id=persona_id,
            audience=audience,
            problem=problem,
            trends=tuple(trends),
            product=product,
            created_at=at,
            proof_points=tuple(proof_points),
            insight_ids=tuple(insight_ids),
            themes=tuple(themes),
        )

    def _both_approved(self) -> bool:
        return approving_teams(self.approvals) == {Team.SALES, Team.MARKETING}

    def __repr__(self) -> str:
        return (
            f"Narrative({self.id!r} v{self.version} for {self.persona_id!r}, {self.status.value}: "
            f"{self.problem!r} -> {self.product!r})"
        )

    @property
    def is_agreed(self) -> bool:
        """True when both teams approved the current version and it is not retired."""
        return self.status is NarrativeStatus.AGREED and self._both_approved()

    @property
    def awaiting(self) -> frozenset[Team]:
        """The teams whose approval of the current version is still missing."""
        if self.status is NarrativeStatus.RETIRED:
            return frozenset()
        return frozenset({Team.SALES, Team.MARKETING}) - approving_teams(self.approvals)

    @property
    def statement(self) -> str:
        """The story in one sentence."""
        trends = " and ".join(self.trends)
        return f"{self.audience} struggles with {self.problem} because {trends}; {self.product} solves it."

    @property
    def names_evidence(self) -> bool:
        """Whether the current version names any insight or theme it rests on.

        Example:
            >>> from datetime import datetime, timezone
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=datetime(2026, 1, 5, tzinfo=timezone.utc))
            >>> n.names_evidence
            False
        """
        return bool(self.insight_ids or self.themes)

    def supports(self, insight: ClientInsight) -> bool:
        """Whether ``insight`` is evidence for the current version: named, or on one of its themes.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=t, themes=("Late deliveries",))
            >>> n.supports(ClientInsight(member_id="s1", at=t, themes=("late deliveries",)))
            True
        """
        v.require(insight, ClientInsight, "Narrative.supports insight")
        if insight.id is not None and insight.id in self.insight_ids:
            return True
        mine = {t.casefold() for t in self.themes}
        return any(t.casefold() in mine for t in insight.themes)

    def supporting_insights(
        self,
        insights: Iterable[ClientInsight],
        *,
        at: datetime,
        window: timedelta = EVIDENCE_WINDOW,
    ) -> tuple[ClientInsight, ...]:
        """The insights that support the current version, dated in the ``window`` up to ``at``.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=t, themes=("delays",))
            >>> heard = [ClientInsight(member_id="s1", at=t, themes=("delays",))]
            >>> len(n.supporting_insights(heard, at=t)), len(n.supporting_insights(heard, at=datetime(2026, 6, 1, tzinfo=timezone.utc)))
            (1, 0)
        """
        require_aware(at, "Narrative.supporting_insights at")
        v.require_positive_duration(window, "Narrative.supporting_insights window")
        given = v.argument_items(insights, "Narrative.supporting_insights insights", ClientInsight)
        return tuple(
            i for i in given if i.at <= at and elapsed(i.at, at) <= window and self.supports(i)
        )

    def is_stale(
        self,
        at: datetime,
        max_age: timedelta,
        *,
        insights: Iterable[ClientInsight] | None = None,
        evidence_window: timedelta = EVIDENCE_WINDOW,
    ) -> bool:
        """Whether the current version is older than ``max_age``, or its evidence has gone stale.

        Markets change: a story nobody has revisited in ``max_age`` needs a review, and
        so does one whose evidence has dried up: given the ``insights`` heard, a version
        that names insights or themes is stale when none of them supports it within
        ``evidence_window`` before ``at``. A version that names no evidence is judged by
        age alone, as it is when no insights are given.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=t, themes=("delays",))
            >>> june = datetime(2026, 6, 1, tzinfo=timezone.utc)
            >>> n.is_stale(june, timedelta(days=365)), n.is_stale(june, timedelta(days=365), insights=())
            (False, True)
        """
        require_aware(at, "Narrative.is_stale at")
        if elapsed(self.created_at, at) > max_age:
            return True
        if insights is None or not self.names_evidence:
            return False
        return not self.supporting_insights(insights, at=at, window=evidence_window)

    def approve(self, team: Team, member_id: str, *, at: datetime) -> Narrative:
        """Return the narrative approved by ``team``; agreed once both teams approved.

        Raises:
            ValidationError: If the narrative is retired.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=t)
            >>> sorted(team.value for team in n.approve(Team.SALES, "s1", at=t).awaiting)
            ['marketing']
        """
        if self.status is NarrativeStatus.RETIRED:
            msg = f"Narrative {self.id!r} is retired and cannot be approved; revise it first"
            raise ValidationError(msg)
        approval = Approval(team=team, member_id=member_id, at=at)
        kept = tuple(a for a in self.approvals if a.team is not approval.team)
        approvals = (*kept, approval)
        agreed = approving_teams(approvals) == {Team.SALES, Team.MARKETING}
        status = NarrativeStatus.AGREED if agreed else NarrativeStatus.DRAFT
        return attrs.evolve(self, approvals=approvals, status=status)

    def revise(
        self,
        *,
        at: datetime,
        reason: str,
        by: str | None = None,
        problem: str | None = None,
        trends: Iterable[str] | None = None,
        product: str | None = None,
        proof_points: Iterable[str] | None = None,
        prompted_by: Iterable[str] = (),
        insight_ids: Iterable[str] | None = None,
        themes: Iterable[str] | None = None,
    ) -> Narrative:
        """Return a new version with the given changes, back in draft without approvals.

        The revision records the old version, the ``reason`` and the ids of the new
        insights that ``prompted_by`` it; those join the new version's ``insight_ids``
        unless ``insight_ids`` is given.

        Raises:
            ValidationError: If ``at`` is before the current version, or no reason is given.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=t, insight_ids=("i1",))
            >>> r = n.revise(at=t, reason="clients now ask about cost", prompted_by=("i9",), problem="cost")
            >>> r.insight_ids, r.revisions[0].prompted_by, r.revisions[0].insight_ids
            (('i1', 'i9'), ('i9',), ('i1',))
        """
        require_aware(at, "Narrative.revise at")
        if instant(at) < instant(self.created_at):
            msg = (
                f"Narrative.revise at={at.isoformat()} is before the current version of "
                f"{self.id!r} ({self.created_at.isoformat()})"
            )
            raise ValidationError(msg)
        old = NarrativeRevision(
            version=self.version,
            problem=self.problem,
            trends=self.trends,
            product=self.product,
            proof_points=self.proof_points,
            replaced_at=at,
            reason=reason,
            by=by,
            insight_ids=self.insight_ids,
            themes=self.themes,
            prompted_by=tuple(prompted_by),
        )
        evidence = (
            tuple(dict.fromkeys((*self.insight_ids, *old.prompted_by)))
            if insight_ids is None
            else tuple(insight_ids)
        )
        return attrs.evolve(
            self,
            problem=self.problem if problem is None else problem,
            trends=self.trends if trends is None else tuple(trends),
            product=self.product if product is None else product,
            proof_points=self.proof_points if proof_points is None else tuple(proof_points),
            insight_ids=evidence,
            themes=self.themes if themes is None else tuple(themes),
            created_at=at,
            version=self.version + 1,
            status=NarrativeStatus.DRAFT,
            approvals=(),
            revisions=(*self.revisions, old),
        )

    def retire(self) -> Narrative:
        """Return the narrative retired: no longer told, kept for the record.

        Example:
            >>> from datetime import datetime, timezone
            >>> n = Narrative.draft(id="n1", persona_id="p1", audience="Ops", problem="delays",
            ...                     trends=("speed",), product="X", at=datetime(2026, 1, 5, tzinfo=timezone.utc))
            >>> n.retire().status.value, n.retire().awaiting
            ('retired', frozenset())
        """
        return attrs.evolve(self, status=NarrativeStatus.RETIRED, approvals=())
