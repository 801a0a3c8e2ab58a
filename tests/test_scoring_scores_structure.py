"""Scores read from data are checked as the model would have made them: every field, with its path."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from salesmark import Lead, ValidationError, structure, unstructure
from salesmark.scoring import LeadScore, LeadScores
from salesmark.testing.strategies import SCORING_AT
from strategies import inbound_model

MODEL = inbound_model()
LEADS = [
    Lead.create(id="L1", created_at=SCORING_AT - timedelta(days=3), attributes={"employees": 400}),
    Lead.create(
        id="L2", created_at=SCORING_AT - timedelta(days=1), attributes={"industry": "saas"}
    ),
]
SCORE = MODEL.score(LEADS[0], at=SCORING_AT)
SCORES = MODEL.score_many(LEADS, at=SCORING_AT)


def _changed(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    out.update(changes)
    return out


class TestLeadScoreFromData:
    def test_a_sound_score_round_trips(self) -> None:
        """A score the model made, not-evaluated entries included, comes back equal."""
        assert (SCORE, SCORES) == (
            structure(unstructure(SCORE), LeadScore),
            structure(unstructure(SCORES), LeadScores),
        )

    @pytest.mark.parametrize(
        ("changes", "path"),
        [
            ({"lead_id": ""}, "/lead_id"),
            ({"grade": " "}, "/grade"),
            ({"at": "2026-06-30T00:00:00"}, "/at"),
            ({"total": 99.0}, "/total"),
            ({"band": 5}, "/band"),
            ({"band": True}, "/band"),
            ({"qualified": "yes"}, "/qualified"),
        ],
    )
    def test_an_unsound_field_is_refused_with_its_path(
        self, changes: dict[str, Any], path: str
    ) -> None:
        """Blank text, a naive time, a total that is not fit + engagement, a band outside 1-4, a verdict not boolean."""
        with pytest.raises(ValidationError) as caught:
            structure(_changed(unstructure(SCORE), **changes), LeadScore)
        assert [path] == [e.path for e in caught.value.errors] or path == caught.value.path

    def test_a_contribution_of_an_unknown_dimension(self) -> None:
        """A contribution is checked too, with its position in the path."""
        data = unstructure(SCORE)
        data["contributions"][1]["dimension"] = "luck"
        with pytest.raises(ValidationError, match="dimension"):
            structure(data, LeadScore)


class TestLeadScoresFromData:
    def test_a_lead_scored_twice_is_refused(self) -> None:
        """Each lead is scored once in a batch read from data."""
        data = unstructure(SCORES)
        data["scores"][1] = copy.deepcopy(data["scores"][0])
        with pytest.raises(ValidationError, match="L1"):
            structure(data, LeadScores)

    def test_an_unsound_score_names_its_position(self) -> None:
        """The path of a bad score starts at its position in the batch."""
        data = unstructure(SCORES)
        data["scores"][1]["band"] = 9
        with pytest.raises(ValidationError) as caught:
            structure(data, LeadScores)
        paths = [e.path for e in caught.value.errors] + [caught.value.path]
        assert any(p is not None and p.startswith("/scores/1") for p in paths)
