"""Specification of narratives: one story, approved by both teams, resting on evidence, revised as markets change."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from salesmark import (
    ClientInsight,
    Narrative,
    NarrativeStatus,
    Organisation,
    Persona,
    Team,
    UnknownReference,
    ValidationError,
)

T = datetime(2026, 1, 10, tzinfo=timezone.utc)


def _draft() -> Narrative:
    return Narrative.draft(
        id="n1",
        persona_id="p1",
        audience="Mid-size logistics firms",
        problem="late deliveries",
        trends=("customers expect same-day delivery",),
        product="RouteWise",
        at=T,
    )


class TestNarrative:
    def test_statement(self) -> None:
        """The statement tells the story in one sentence."""
        expected = (
            "Mid-size logistics firms struggles with late deliveries because customers expect "
            "same-day delivery; RouteWise solves it."
        )
        assert expected == _draft().statement

    def test_agreed_only_with_both_approvals(self) -> None:
        """A narrative is agreed once both teams approved its current version."""
        one = _draft().approve(Team.MARKETING, "m1", at=T)
        both = one.approve(Team.SALES, "s1", at=T)
        assert (False, True) == (one.is_agreed, both.is_agreed)
        assert frozenset({Team.SALES}) == one.awaiting
        assert NarrativeStatus.AGREED == both.status

    def test_revise_makes_a_new_version_and_clears_approvals(self) -> None:
        """Revising records the old version with its reason and asks both teams again."""
        agreed = _draft().approve(Team.MARKETING, "m1", at=T).approve(Team.SALES, "s1", at=T)
        later = T + timedelta(days=90)
        revised = agreed.revise(
            at=later, reason="competitor launched a cheaper tier", product="RouteWise Pro"
        )
        assert (2, False, (), "RouteWise Pro") == (
            revised.version,
            revised.is_agreed,
            revised.approvals,
            revised.product,
        )
        assert ("RouteWise", "competitor launched a cheaper tier") == (
            revised.revisions[0].product,
            revised.revisions[0].reason,
        )
        assert agreed.is_agreed  # the original is unchanged

    def test_stale_after_max_age(self) -> None:
        """A version older than the maximum age is stale."""
        assert not _draft().is_stale(T + timedelta(days=30), max_age=timedelta(days=90))
        assert _draft().is_stale(T + timedelta(days=91), max_age=timedelta(days=90))

    def test_retired_cannot_be_approved(self) -> None:
        """A retired narrative must be revised before it can be approved again."""
        with pytest.raises(ValidationError, match="retired"):
            _draft().retire().approve(Team.SALES, "s1", at=T)

    def test_bad_input(self) -> None:
        """No trend, an early revision or an agreed status without approvals are refused."""
        with pytest.raises(ValidationError, match="at least one market trend"):
            Narrative.draft(
                id="n", persona_id="p", audience="a", problem="p", trends=(), product="x", at=T
            )
        with pytest.raises(ValidationError, match="before the current version"):
            _draft().revise(at=T - timedelta(days=1), reason="oops")
        with pytest.raises(ValidationError, match="not both teams approved"):
            Narrative(
                id="n", persona_id="p", audience="a", problem="p", trends=("t",), product="x",
                created_at=T, status=NarrativeStatus.AGREED,
            )  # fmt: skip


def _heard(day: int, *themes: str, ident: str | None = None) -> ClientInsight:
    return ClientInsight(
        id=ident, member_id="s1", at=T + timedelta(days=day), themes=themes or ("delays",)
    )


def _resting() -> Narrative:
    return Narrative.draft(
        id="n1",
        persona_id="p1",
        audience="Mid-size logistics firms",
        problem="late deliveries",
        trends=("customers expect same-day delivery",),
        product="RouteWise",
        at=T,
        insight_ids=("i1",),
        themes=("Late Deliveries",),
    )


class TestNarrativeEvidence:
    def test_supporting_insights(self) -> None:
        """An insight supports a version when the version names it or shares a theme (any case)."""
        story = _resting()
        named, on_theme, other = (
            _heard(1, "pricing", ident="i1"),
            _heard(2, "late deliveries"),
            _heard(3, "pricing"),
        )
        assert (True, True, False) == (
            story.supports(named),
            story.supports(on_theme),
            story.supports(other),
        )

    def test_stale_when_no_insight_supports_it_within_the_window(self) -> None:
        """Young but unsupported for 90 days, the story is stale; a fresh insight keeps it alive."""
        story = _resting()
        at = T + timedelta(days=120)
        old, fresh = _heard(10, "late deliveries"), _heard(100, "late deliveries")
        assert {"by age": False, "old evidence": True, "fresh evidence": False} == {
            "by age": story.is_stale(at, timedelta(days=365)),
            "old evidence": story.is_stale(at, timedelta(days=365), insights=[old]),
            "fresh evidence": story.is_stale(at, timedelta(days=365), insights=[old, fresh]),
        }

    def test_the_window_is_configurable(self) -> None:
        """With a 150-day window the insight of day 10 still supports the story on day 120."""
        story = _resting()
        at = T + timedelta(days=120)
        insights = [_heard(10, "late deliveries")]
        assert not story.is_stale(
            at, timedelta(days=365), insights=insights, evidence_window=timedelta(days=150)
        )

    def test_later_insights_do_not_count(self) -> None:
        """An insight heard after the evaluation time does not support the story then."""
        story = _resting()
        assert () == story.supporting_insights(
            [_heard(30, "late deliveries")], at=T + timedelta(days=20)
        )

    def test_without_named_evidence_only_age_counts(self) -> None:
        """A story that names no evidence is judged by its age alone."""
        assert not _draft().is_stale(T + timedelta(days=30), timedelta(days=90), insights=())

    def test_revision_records_the_evidence_that_prompted_it(self) -> None:
        """A revision keeps the old evidence and the new insights that prompted it, which join the new version."""
        revised = _resting().revise(
            at=T + timedelta(days=40),
            reason="clients now ask about cost",
            prompted_by=("i7", "i8"),
            themes=("cost",),
        )
        old = revised.revisions[0]
        assert {
            "old": (("i1",), ("Late Deliveries",), ("i7", "i8")),
            "new": (("i1", "i7", "i8"), ("cost",)),
        } == {
            "old": (old.insight_ids, old.themes, old.prompted_by),
            "new": (revised.insight_ids, revised.themes),
        }

    def test_the_organisation_checks_named_insights(self) -> None:
        """A narrative naming an insight the organisation does not hold is refused."""
        with pytest.raises(
            UnknownReference, match=r"narratives\[0\].insight_ids\[0\] names unknown insight 'i1'"
        ):
            Organisation(
                name="Acme",
                currency="EUR",
                personas=(Persona(id="p1", name="Ops"),),
                narratives=(_resting(),),
            )

    def test_the_organisation_checks_what_prompted_a_revision(self) -> None:
        """A revision prompted by an unknown insight is refused."""
        story = _draft().revise(at=T, reason="new", prompted_by=("i9",), insight_ids=())
        with pytest.raises(UnknownReference, match=r"revisions\[0\].prompted_by\[0\]"):
            Organisation(
                name="Acme",
                currency="EUR",
                personas=(Persona(id="p1", name="Ops"),),
                narratives=(story,),
            )

    def test_version_must_be_at_least_one(self) -> None:
        """A version number below 1 is refused."""
        with pytest.raises(ValidationError, match="Narrative.version must be a whole number >= 1"):
            attrs.evolve(_draft(), version=0)
