"""Specification of personas: segments, evidence from both teams, joint approval."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from salesmark import (
    Criterion,
    Evidence,
    EvidenceKind,
    NaiveDatetime,
    Persona,
    Team,
    ValidationError,
)

T = datetime(2026, 2, 1, tzinfo=timezone.utc)


def _persona() -> Persona:
    return Persona(
        id="p1",
        name="Operations Olivia",
        segment=(
            Criterion(attribute="industry", allowed=("logistics", "retail")),
            Criterion(attribute="employees", minimum=50, maximum=500),
        ),
        pains=("late deliveries",),
    )


class TestCriterion:
    def test_allowed_values_and_ranges(self) -> None:
        """A criterion matches listed values or numbers in its inclusive range; None never matches."""
        industry = Criterion(attribute="industry", allowed=("retail",))
        size = Criterion(attribute="employees", minimum=50, maximum=500)
        assert (True, False, False) == (
            industry.matches("retail"),
            industry.matches("bank"),
            industry.matches(None),
        )
        assert (True, True, False, False) == (
            size.matches(50),
            size.matches(500),
            size.matches(501),
            size.matches("50"),
        )

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({}, "neither"),
            ({"allowed": ("a",), "minimum": 1}, "both"),
            ({"minimum": 5, "maximum": 1}, "above maximum"),
        ],
    )
    def test_bad_criteria(self, kwargs: dict[str, object], match: str) -> None:
        """A criterion needs values or a range, not both, and a range in order."""
        with pytest.raises(ValidationError, match=match):
            Criterion(attribute="x", **kwargs)  # type: ignore[arg-type]


class TestPersona:
    def test_matches_attributes(self) -> None:
        """A lead's attributes match when every criterion holds."""
        assert _persona().matches({"industry": "retail", "employees": 120})
        assert not _persona().matches({"industry": "retail", "employees": 12})

    def test_validated_needs_sales_evidence_and_both_approvals(self) -> None:
        """Marketing evidence and both approvals are not enough: sales must bring facts too."""
        marketing_fact = Evidence(
            kind=EvidenceKind.ANALYTICS, team=Team.MARKETING, at=T, summary="web data"
        )
        sales_fact = Evidence(kind=EvidenceKind.WON_DEAL, team=Team.SALES, at=T, summary="3 wins")
        approved = _persona().approve(Team.SALES, "s1", at=T).approve(Team.MARKETING, "m1", at=T)
        assert not approved.with_evidence(marketing_fact).is_validated
        assert approved.with_evidence(sales_fact).is_validated
        assert not _persona().with_evidence(sales_fact).approve(Team.SALES, "s1", at=T).is_validated

    def test_approval_replaces_the_teams_earlier_one(self) -> None:
        """A team approving again replaces its earlier sign-off."""
        persona = _persona().approve(Team.SALES, "s1", at=T).approve(Team.SALES, "s2", at=T)
        assert ["s2"] == [a.member_id for a in persona.approvals]

    def test_review_due(self) -> None:
        """A persona is due for review once its review date has come."""
        persona = _persona().scheduled_for_review(T)
        assert (False, True) == (
            persona.is_review_due(T - timedelta(days=1)),
            persona.is_review_due(T),
        )
        with pytest.raises(NaiveDatetime):
            persona.is_review_due(datetime(2026, 1, 1))

    def test_evidence_needs_aware_time(self) -> None:
        """Evidence with a naive date is refused."""
        with pytest.raises(NaiveDatetime):
            Evidence(
                kind=EvidenceKind.SURVEY, team=Team.MARKETING, at=datetime(2026, 1, 1), summary="s"
            )
