"""Tests for salesmark.scoring.matching: which persona a lead fits."""

from __future__ import annotations

from datetime import datetime, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Criterion, Lead, Persona, ValidationError
from salesmark.scoring import match_persona

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

    def test_the_personas_after_a_skipped_one_are_still_tried(self) -> None:
        """An empty persona or one below the minimum does not end the search: the next one fits."""
        subject = lead(industry="retail")
        found = [
            match_persona(subject, [Persona(id="e", name="Empty"), RETAIL]),
            match_persona(subject, [OPS, RETAIL]),
        ]
        assert ["retail", "retail"] == [m.persona_id if m else None for m in found]

    def test_a_match_shows_and_tabulates_each_outcome(self) -> None:
        """The repr lists the three outcomes; the records give one row per criterion, in that order."""
        match = match_persona(lead(industry="retail", employees=900), [OPS], minimum=0.3)
        assert match is not None
        assert (
            "PersonaMatch('ops', score 0.33, matched ['industry'], failed ['employees'], "
            "missing ['role'])"
        ) == repr(match)
        assert [
            {"persona_id": "ops", "attribute": "industry", "outcome": "matched"},
            {"persona_id": "ops", "attribute": "employees", "outcome": "failed"},
            {"persona_id": "ops", "attribute": "role", "outcome": "missing"},
        ] == match.to_records()

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
