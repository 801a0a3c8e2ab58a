"""Specification of narratives: one story, approved by both teams, revised as markets change."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from salesmark import Narrative, NarrativeStatus, Team, ValidationError

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
