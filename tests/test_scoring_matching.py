"""Tests for salesmark.scoring.matching: persona matching and suggestions from won deals."""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL as W
from salesmark import Criterion, Lead, Persona, ValidationError
from salesmark.scoring import PersonaSuggestion, match_persona, suggest_personas

T = datetime(2026, 2, 1, tzinfo=timezone.utc)

OPS = Persona(
    id="ops",
    name="Ops",
    segment=(
        Criterion(attribute="industry", allowed=("logistics", "retail")),
        Criterion(attribute="employees", minimum=50, maximum=500),
        Criterion(attribute="role", allowed=("coo",)),
    ),
)
RETAIL = Persona(
    id="retail", name="Retail", segment=(Criterion(attribute="industry", allowed=("retail",)),)
)
BROAD = Persona(id="broad", name="Broad", segment=(Criterion(attribute="employees", minimum=1),))


def lead(**attributes: object) -> Lead:
    return Lead.create(id="L", created_at=T, attributes=attributes)  # type: ignore[arg-type]


def won(i: int, **attributes: object) -> Lead:
    x = Lead.create(id=f"W{i}", created_at=T, stage="opportunity", attributes=attributes)  # type: ignore[arg-type]
    return x.advance("won", at=T)


class TestMatchPersona:
    def test_full_match_with_details(self) -> None:
        """A lead meeting every criterion matches with score 1 and lists the attributes."""
        match = match_persona(lead(industry="retail", employees=80, role="coo"), [OPS])
        assert match is not None
        assert {
            "persona_id": "ops",
            "score": 1.0,
            "matched": ("industry", "employees", "role"),
            "failed": (),
            "missing": (),
        } == attrs.asdict(match, filter=attrs.filters.exclude("persona_name"))

    def test_partial_match_reports_failed_and_missing(self) -> None:
        """Below the minimum nothing fits; with a lower minimum the failures are listed."""
        subject = lead(industry="retail", employees=900)
        assert match_persona(subject, [OPS]) is None
        match = match_persona(subject, [OPS], minimum=0.3)
        assert match is not None
        assert {"matched": ("industry",), "failed": ("employees",), "missing": ("role",)} == {
            "matched": match.matched,
            "failed": match.failed,
            "missing": match.missing,
        }
        assert 3 == len(match.to_records())

    def test_tie_prefers_more_criteria_then_order(self) -> None:
        """On equal scores the persona with more criteria met wins, then the one given first."""
        subject = lead(industry="retail", employees=80, role="coo")
        best = match_persona(subject, [RETAIL, BROAD, OPS])
        assert best is not None
        assert "ops" == best.persona_id
        first = match_persona(subject, [BROAD, RETAIL])
        assert first is not None
        assert "broad" == first.persona_id

    def test_personas_without_criteria_are_skipped(self) -> None:
        """A persona with an empty segment never matches."""
        assert match_persona(lead(industry="retail"), [Persona(id="e", name="Empty")]) is None

    @pytest.mark.parametrize("minimum", [0, 1.5, True])
    def test_bad_minimum_refused(self, minimum: float) -> None:
        """A minimum outside (0, 1] is refused."""
        with pytest.raises(ValidationError, match="minimum"):
            match_persona(lead(), [OPS], minimum=minimum)

    @pytest.mark.parametrize(
        ("call", "pattern"),
        [
            (
                lambda: match_persona(lead(), [OPS, "retail"]),
                r"match_persona personas\[1\] must be a Persona, got 'retail'",
            ),
            (lambda: match_persona(lead(), OPS), r"match_persona personas .*got a single Persona"),
            (lambda: match_persona(lead(), None), r"match_persona personas .*got None"),
            (lambda: match_persona("L", [OPS]), r"match_persona lead must be a Lead, got 'L'"),
        ],
    )
    def test_non_personas_and_non_leads_refused(self, call: object, pattern: str) -> None:
        """Anything but a Lead and a sequence of Persona is a ValidationError naming the argument."""
        with pytest.raises(ValidationError, match=pattern):
            call()  # type: ignore[operator]

    @given(
        attributes=st.dictionaries(
            st.sampled_from(["industry", "employees", "role"]),
            st.sampled_from(["retail", "coo", "x", 10, 80, 900]),
        ),
        minimum=st.floats(0.01, 1.0),
    )
    def test_match_meets_minimum_and_is_best(
        self, attributes: dict[str, object], minimum: float
    ) -> None:
        """A match always reaches the minimum and no persona scores higher."""
        subject = lead(**attributes)
        match = match_persona(subject, [RETAIL, BROAD, OPS], minimum=minimum)
        scores = [match_persona(subject, [p], minimum=minimum) for p in (RETAIL, BROAD, OPS)]
        found = [m.score for m in scores if m is not None]
        if match is None:
            assert [] == found
        else:
            assert match.score >= minimum
            assert max(found) == match.score


class TestSuggestPersonas:
    def test_profiles_text_and_numbers(self) -> None:
        """Text attributes get ranked values, numbers a median and central range."""
        wins = [
            won(1, industry="retail", employees=100),
            won(2, industry="retail", employees=200),
            won(3, industry="media", employees=300),
            won(4, industry="logistics", employees=400),
            won(5, industry="retail", employees=500),
        ]
        suggestion = suggest_personas(
            [*wins, lead(industry="x")], ["industry", "employees", "role"], lifecycle=W
        )
        industry, employees, role = suggestion.profiles
        assert 5 == suggestion.leads
        assert (("retail", 3), ("logistics", 1), ("media", 1)) == industry.values
        assert ("retail", "logistics") == suggestion.criteria[0].allowed
        assert {
            "median": 300.0,
            "minimum": 100.0,
            "maximum": 500.0,
            "low": 140.0,
            "high": 460.0,
        } == {
            "median": employees.median,
            "minimum": employees.minimum,
            "maximum": employees.maximum,
            "low": employees.low,
            "high": employees.high,
        }
        assert (0, None) == (
            role.leads,
            next((c for c in suggestion.criteria if c.attribute == "role"), None),
        )
        assert 3 == len(suggestion.to_records())

    def test_to_persona_makes_a_draft(self) -> None:
        """The suggestion becomes a draft persona whose segment the won deals mostly meet."""
        wins = [won(i, industry="retail") for i in range(4)] + [won(9, industry="media")]
        suggestion = suggest_personas(wins, ["industry"], share=0.8, lifecycle=W)
        persona = suggestion.to_persona("p1", "Retail buyer")
        assert (("retail",), False) == (persona.segment[0].allowed, persona.is_validated)
        assert isinstance(suggestion, PersonaSuggestion)

    def test_needs_won_leads_and_attributes(self) -> None:
        """Without won leads, attribute names, or with a bad share, it refuses."""
        with pytest.raises(ValidationError, match="reached 'won'"):
            suggest_personas([lead(industry="x")], ["industry"], lifecycle=W)
        with pytest.raises(ValidationError, match="attribute names"):
            suggest_personas([won(1)], "industry", lifecycle=W)
        with pytest.raises(ValidationError, match="share"):
            suggest_personas([won(1)], ["industry"], share=0, lifecycle=W)

    @pytest.mark.parametrize(
        ("attributes", "pattern"),
        [
            ([5], r"suggest_personas attributes\[0\] must be a non-empty attribute name, got 5"),
            (["industry", ""], r"suggest_personas attributes\[1\] .*got ''"),
            (["industry", None], r"suggest_personas attributes\[1\] .*got None"),
            (None, r"suggest_personas attributes must be a sequence .*got None"),
        ],
    )
    def test_attribute_names_must_be_text(self, attributes: object, pattern: str) -> None:
        """Attribute names that are not non-empty strings are refused instead of profiling nothing."""
        with pytest.raises(ValidationError, match=pattern):
            suggest_personas([won(1, industry="retail")], attributes, lifecycle=W)  # type: ignore[arg-type]

    def test_won_leads_must_be_leads(self) -> None:
        """An item of won_leads that is not a Lead is refused with its position."""
        with pytest.raises(
            ValidationError, match=r"suggest_personas won_leads\[1\] must be a Lead, got 'W2'"
        ):
            suggest_personas([won(1, industry="retail"), "W2"], ["industry"], lifecycle=W)  # type: ignore[list-item]
