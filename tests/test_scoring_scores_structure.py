"""Scores read from data are checked as the model would have made them: every field, with its path."""

from __future__ import annotations

import copy
import math
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from salesmark import Lead, SalesmarkError, ValidationError, structure, unstructure
from salesmark.scoring import Contribution, Dimension, LeadScore, LeadScores
from salesmark.scoring.scores import _check_score, checked_scores
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


AT = datetime(2026, 3, 1, tzinfo=timezone.utc)
SOUND = LeadScore(
    lead_id="L1",
    at=AT,
    fit=20.0,
    engagement=4.0,
    total=24.0,
    grade="A",
    band=4,
    cell="A4",
    qualified=True,
    contributions=(
        Contribution(rule_id="role=cfo", dimension=Dimension.FIT, points=20),
        Contribution(rule_id="visits", dimension=Dimension.ENGAGEMENT, points=4.0, hits=4),
    ),
)


def _contribution(**unchecked: object) -> Contribution:
    """A contribution with fields set past its own checks, as data might hold them."""
    item = Contribution(rule_id="r", dimension=Dimension.FIT, points=1)
    for name, value in unchecked.items():
        object.__setattr__(item, name, value)
    return item


def _first_error(score: LeadScore) -> tuple[str, dict[str, str | None]]:
    with pytest.raises(SalesmarkError) as caught:
        _check_score(score)
    return type(caught.value).__name__, caught.value.errors[0].to_dict()


class TestScoreChecks:
    """The check of a score read from data, field by field, with the messages it gives."""

    def test_a_sound_score_with_both_dimensions_passes(self) -> None:
        """Fit 20 + engagement 4 = total 24, with an unevaluated rule of no hits: nothing to refuse."""
        unjudged = Contribution.unevaluated("size", Dimension.FIT, "missing")
        score = attrs.evolve(SOUND, contributions=(*SOUND.contributions, unjudged))
        _check_score(score)
        assert score == checked_scores(LeadScores(model="m", at=AT, scores=(score,))).scores[0]

    @pytest.mark.parametrize(
        ("changes", "kind", "error"),
        [
            (
                {"lead_id": 5},
                "WrongType",
                ("/lead_id", "LeadScore.lead_id must be a str, got 5", "5", "a str"),
            ),
            (
                {"cell": ""},
                "ValidationError",
                (
                    "/cell",
                    "LeadScore.cell must be a non-empty string, got ''",
                    "''",
                    "a non-empty string",
                ),
            ),
            (
                {"at": "x"},
                "WrongType",
                ("/at", "LeadScore.at must be a datetime, got 'x'", "'x'", "a datetime"),
            ),
            (
                {"fit": math.inf},
                "ValidationError",
                ("/fit", "LeadScore.fit must be a finite number, got inf", None, None),
            ),
            (
                {"total": 16.0},
                "ValidationError",
                (
                    "/total",
                    "LeadScore.total must be fit + engagement (20.0 + 4.0), got 16.0",
                    "16.0",
                    None,
                ),
            ),
            (
                {"band": 0},
                "ValidationError",
                ("/band", "LeadScore.band must be 1, 2, 3 or 4, got 0", "0", None),
            ),
            (
                {"qualified": 1},
                "WrongType",
                ("/qualified", "LeadScore.qualified must be a bool, got 1", "1", "a bool"),
            ),
        ],
    )
    def test_each_unsound_field_is_named_with_its_value(
        self, changes: dict[str, object], kind: str, error: tuple[str, str, str | None, str | None]
    ) -> None:
        """Each field's check names LeadScore.field, the value and, where it has one, what was expected."""
        path, message, value, expected = error
        assert (kind, {"path": path, "message": message, "value": value, "expected": expected}) == (
            _first_error(attrs.evolve(SOUND, **changes))  # type: ignore[arg-type]
        )

    def test_a_naive_moment_is_refused(self) -> None:
        """A score's moment must carry its timezone."""
        kind, error = _first_error(attrs.evolve(SOUND, at=datetime(2026, 3, 1)))
        assert ("NaiveDatetime", "/at") == (kind, error["path"])
        assert str(error["message"]).startswith("LeadScore.at must be timezone-aware")

    @pytest.mark.parametrize(
        ("unchecked", "kind", "path", "message"),
        [
            (
                {"rule_id": ""},
                "ValidationError",
                "/rule_id",
                "Contribution.rule_id must be a non-empty string, got ''",
            ),
            (
                {"dimension": "luck"},
                "WrongType",
                "/dimension",
                "Contribution.dimension must be one of Dimension.FIT, Dimension.ENGAGEMENT, got 'luck'",
            ),
            (
                {"points": math.nan},
                "ValidationError",
                "/points",
                "Contribution.points must be a finite number, got nan",
            ),
            (
                {"hits": 0},
                "ValidationError",
                "/hits",
                "Contribution.hits must be a whole number >= 1, got 0",
            ),
        ],
    )
    def test_a_contribution_is_checked_at_its_position(
        self, unchecked: dict[str, object], kind: str, path: str, message: str
    ) -> None:
        """A bad second contribution is named with its class and field, under /contributions/1."""
        score = attrs.evolve(
            SOUND, contributions=(SOUND.contributions[0], _contribution(**unchecked))
        )
        got_kind, error = _first_error(score)
        assert (kind, f"/contributions/1{path}", message) == (
            got_kind,
            error["path"],
            error["message"],
        )

    def test_a_repeated_lead_is_named_with_both_positions(self) -> None:
        """The same lead twice in a batch is refused, naming both places."""
        with pytest.raises(ValidationError) as caught:
            checked_scores(LeadScores(model="m", at=AT, scores=(SOUND, SOUND)))
        expected = (
            "LeadScores.scores[1] repeats id 'L1' of LeadScores.scores[0]: each must be given once"
        )
        assert expected == str(caught.value)
