"""Strategies for what both teams agree on: personas with their evidence and approvals, and narratives.

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(narratives())
    ... def test_versions_count_up(narrative):
    ...     assert [r.version for r in narrative.revisions] == list(range(1, narrative.version))
    >>> test_versions_count_up()
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st

from salesmark.narratives import Narrative, NarrativeRevision
from salesmark.personas import Criterion, Evidence, EvidenceKind, Persona
from salesmark.teams import Approval, Team
from salesmark.testing.strategies.times import _later, aware_datetimes
from salesmark.testing.strategies.values import ids, teams, words

__all__ = [
    "criteria",
    "evidence",
    "narrative_revisions",
    "narratives",
    "one_approval_per_team",
    "personas",
]


@st.composite
def criteria(draw: st.DrawFn) -> Criterion:
    """A segment criterion: allowed values, or a numeric range open on one side or none.

    Args:
        draw: Given by hypothesis.

    Returns:
        A strategy of :class:`~salesmark.personas.Criterion`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(criteria())
        ... def test_a_criterion_names_an_attribute(criterion):
        ...     assert criterion.attribute
        >>> test_a_criterion_names_an_attribute()
    """
    if draw(st.booleans()):
        values = st.lists(ids() | st.integers(0, 100), min_size=1, max_size=3, unique=True)
        return Criterion(attribute=draw(ids()), allowed=tuple(draw(values)))
    low = draw(st.none() | st.integers(0, 1000))
    high = draw(st.none() | st.integers(low or 0, 5000))
    if low is None and high is None:
        high = 10
    return Criterion(attribute=draw(ids()), minimum=low, maximum=high)


def evidence(team: st.SearchStrategy[Team] | None = None) -> st.SearchStrategy[Evidence]:
    """A fact behind a persona, contributed by a team.

    Args:
        team: The contributing team; either if None.

    Returns:
        A strategy of :class:`~salesmark.personas.Evidence`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> from salesmark import Team
        >>> @settings(max_examples=5, database=None)
        ... @given(evidence(st.just(Team.SALES)))
        ... def test_sales_evidence(fact):
        ...     assert Team.SALES == fact.team
        >>> test_sales_evidence()
    """
    return st.builds(
        Evidence,
        kind=st.sampled_from(list(EvidenceKind)),
        team=team if team is not None else teams(),
        at=aware_datetimes(),
        summary=words(),
        reference=st.none() | ids(),
    )


def one_approval_per_team(
    member_ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[tuple[Approval, ...]]:
    """Approvals by no team, one team or both, one each.

    Args:
        member_ids: The approving members; any id if None.

    Returns:
        A strategy of tuples of :class:`~salesmark.teams.Approval`, at most one per team.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(one_approval_per_team())
        ... def test_one_each(approvals):
        ...     assert len({a.team for a in approvals}) == len(approvals)
        >>> test_one_each()
    """
    who = member_ids if member_ids is not None else ids()
    return st.lists(teams(), max_size=2, unique=True).flatmap(
        lambda chosen: st.tuples(
            *(st.builds(Approval, team=st.just(t), member_id=who, at=aware_datetimes())
              for t in chosen)
        )
    )  # fmt: skip


def personas(
    persona_id: st.SearchStrategy[str] | None = None,
    member_ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Persona]:
    """A persona with a segment, its lists, evidence, approvals and maybe a review date.

    Args:
        persona_id: The persona's id; any if None.
        member_ids: The members who approve it; any id if None.

    Returns:
        A strategy of :class:`~salesmark.personas.Persona`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(personas())
        ... def test_a_persona_has_a_name(persona):
        ...     assert persona.name.strip()
        >>> test_a_persona_has_a_name()
    """
    return st.builds(
        Persona,
        id=persona_id if persona_id is not None else ids(),
        name=words(),
        segment=st.lists(criteria(), max_size=3).map(tuple),
        pains=st.lists(words(), max_size=2).map(tuple),
        goals=st.lists(words(), max_size=2).map(tuple),
        objections=st.lists(words(), max_size=2).map(tuple),
        buying_triggers=st.lists(words(), max_size=2).map(tuple),
        preferred_channels=st.lists(ids(), max_size=2).map(tuple),
        evidence=st.lists(evidence(), max_size=3).map(tuple),
        approvals=one_approval_per_team(member_ids),
        review_due=st.none() | aware_datetimes(),
    )


@st.composite
def narratives(
    draw: st.DrawFn,
    narrative_id: st.SearchStrategy[str] | None = None,
    persona_ids: st.SearchStrategy[str] | None = None,
    member_ids: st.SearchStrategy[str] | None = None,
    insight_ids: st.SearchStrategy[str] | None = None,
) -> Narrative:
    """A narrative built through its own methods: approved, revised, maybe retired.

    Each version names insights (from ``insight_ids``) and themes it rests on, and a
    revision names the new insights that prompted it.

    Args:
        draw: Given by hypothesis.
        narrative_id: The narrative's id; any if None.
        persona_ids: The persona it is for; any id if None.
        member_ids: The members who approve and revise it; any id if None.
        insight_ids: The insights it rests on (``st.nothing()`` for none); any ids if None.

    Returns:
        A strategy of :class:`~salesmark.narratives.Narrative`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None, deadline=None)
        ... @given(narratives(insight_ids=st.nothing()))
        ... def test_no_insights(narrative):
        ...     assert () == narrative.insight_ids
        >>> test_no_insights()
    """
    members = member_ids if member_ids is not None else ids()
    insights = insight_ids if insight_ids is not None else ids()
    at = draw(aware_datetimes(max_value=datetime(2028, 1, 1)))
    evidence = st.just([]) if insights.is_empty else st.lists(insights, max_size=2, unique=True)
    narrative = Narrative.draft(
        id=draw(narrative_id if narrative_id is not None else ids()),
        persona_id=draw(persona_ids if persona_ids is not None else ids()),
        audience=draw(words()),
        problem=draw(words()),
        trends=draw(st.lists(words(), min_size=1, max_size=2)),
        product=draw(words()),
        at=at,
        proof_points=draw(st.lists(words(), max_size=2)),
        insight_ids=draw(evidence),
        themes=draw(st.lists(words(), max_size=2)),
    )
    for _ in range(draw(st.integers(0, 2))):
        for team in draw(st.lists(teams(), max_size=2, unique=True)):
            narrative = narrative.approve(team, draw(members), at=_later(draw, at))
        at = _later(draw, at, timedelta(days=100))
        narrative = narrative.revise(
            at=at,
            reason=draw(words()),
            by=draw(st.none() | members),
            problem=draw(st.none() | words()),
            trends=draw(st.none() | st.lists(words(), min_size=1, max_size=2)),
            product=draw(st.none() | words()),
            prompted_by=draw(evidence),
            themes=draw(st.none() | st.lists(words(), max_size=2)),
        )
    for team in draw(st.lists(teams(), max_size=2, unique=True)):
        narrative = narrative.approve(team, draw(members), at=_later(draw, at))
    if draw(st.integers(0, 4)) == 0:
        narrative = narrative.retire()
    return narrative


def narrative_revisions() -> st.SearchStrategy[NarrativeRevision]:
    """A past version of a narrative, as a revision keeps it.

    Returns:
        A strategy of :class:`~salesmark.narratives.NarrativeRevision`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(narrative_revisions())
        ... def test_a_revision_has_trends(revision):
        ...     assert revision.trends and revision.version >= 1
        >>> test_a_revision_has_trends()
    """
    return st.builds(
        NarrativeRevision,
        version=st.integers(1, 20),
        problem=words(),
        trends=st.lists(words(), min_size=1, max_size=2).map(tuple),
        product=words(),
        proof_points=st.lists(words(), max_size=2).map(tuple),
        replaced_at=aware_datetimes(),
        reason=words(),
        by=st.none() | ids(),
        insight_ids=st.lists(ids(), max_size=2).map(tuple),
        themes=st.lists(words(), max_size=2).map(tuple),
        prompted_by=st.lists(ids(), max_size=2).map(tuple),
    )
