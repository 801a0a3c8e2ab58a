"""Tests for salesmark.scoring.scores: a lead's score, its explanation and its rows."""

from __future__ import annotations

from salesmark.scoring import (
    AttributeEquals,
    Contribution,
    Dimension,
    EachTouch,
    LeadScore,
    LeadScores,
)
from salesmark.testing.strategies import SCORING_AT
from strategies.scoring import build, scored_lead, touch


def _score(lead_id: str, total: float, *, qualified: bool) -> LeadScore:
    return LeadScore(
        lead_id=lead_id,
        at=SCORING_AT,
        fit=total,
        engagement=0.0,
        total=total,
        grade="A" if qualified else "D",
        band=4,
        cell="A4" if qualified else "D4",
        qualified=qualified,
        contributions=(Contribution(rule_id="r", dimension=Dimension.FIT, points=total),),
    )


class TestLeadScore:
    def test_explanation_and_records(self) -> None:
        """The explanation lists fired rules by effect; contribution rows give one row per rule."""
        model = build(
            AttributeEquals(attribute="role", value="cfo", points=5), EachTouch(id="w", points=8)
        )
        score = model.score(scored_lead({"role": "cfo"}, [touch(0), touch(1)]), at=SCORING_AT)
        assert ("+16 engagement: w (2 touches)", "+5 fit: role=cfo") == score.explain()
        assert ["role=cfo", "w"] == [r["rule_id"] for r in score.contribution_records()]
        assert 21.0 == score.to_records()[0]["total"]
        assert repr(score).startswith("LeadScore('L1': total 21.0 = fit 5.0 + engagement 16.0")

    def test_the_row_has_every_column(self) -> None:
        """to_records gives one flat row with the score's columns, in order."""
        model = build(AttributeEquals(attribute="role", value="cfo", points=30))
        score = model.score(scored_lead({"role": "cfo"}), at=SCORING_AT)
        assert [
            {
                "lead_id": "L1",
                "at": SCORING_AT,
                "fit": 30.0,
                "engagement": 0.0,
                "total": 30.0,
                "grade": "A",
                "band": 4,
                "cell": "A4",
                "qualified": False,
                "rules_fired": 1,
                "rules_not_evaluated": 0,
            }
        ] == score.to_records()

    def test_contribution_rows_are_plain(self) -> None:
        """Contribution rows hold the dimension by value, with the hits counted."""
        model = build(EachTouch(id="w", points=2))
        score = model.score(scored_lead(touches=[touch(0), touch(0)]), at=SCORING_AT)
        assert [
            {
                "lead_id": "L1",
                "rule_id": "w",
                "dimension": "engagement",
                "points": 4.0,
                "hits": 2,
                "not_evaluated": None,
            }
        ] == score.contribution_records()


class TestLeadScores:
    def test_behaves_as_a_sequence(self) -> None:
        """Scores have a length, an order, indexing and slicing."""
        scores = LeadScores(
            model="m",
            at=SCORING_AT,
            scores=(_score("L1", 50, qualified=True), _score("L2", 3, qualified=False)),
        )
        assert (2, ["L1", "L2"], "L2") == (
            len(scores),
            [s.lead_id for s in scores],
            scores[1].lead_id,
        )
        assert ("L1",) == tuple(s.lead_id for s in scores[:1])

    def test_qualified_records_and_repr(self) -> None:
        """Only MQLs are qualified; records give one row per lead; the repr is one line."""
        scores = LeadScores(
            model="m",
            at=SCORING_AT,
            scores=(_score("L1", 50, qualified=True), _score("L2", 3, qualified=False)),
        )
        assert ["L1"] == [s.lead_id for s in scores.qualified]
        assert [s.to_records()[0] for s in scores] == scores.to_records()
        assert "LeadScores(model='m', 2 leads, 1 MQL, mean total 26.5)" == repr(scores)
