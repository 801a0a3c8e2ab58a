"""Tests for salesmark.scoring.scores: a lead's score, its explanation and its rows."""

from __future__ import annotations

import html

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


def _fired(points: float) -> LeadScore:
    """A lead whose one fit rule, ``size``, gave ``points``; a second, ``role``, could not judge it."""
    return LeadScore(
        lead_id="L1",
        at=SCORING_AT,
        fit=points,
        engagement=0.0,
        total=points,
        grade="B",
        band=4,
        cell="B4",
        qualified=False,
        contributions=(
            Contribution(rule_id="size", dimension=Dimension.FIT, points=points),
            Contribution.unevaluated("role", Dimension.FIT, "missing"),
        ),
    )


class TestLeadScoreShown:
    def test_the_repr_says_mql_or_not_and_what_was_not_evaluated(self) -> None:
        """An MQL says so; a lead that is not says 'not MQL' and counts the rules not evaluated."""
        assert [
            (
                "LeadScore('A': total 12.0 = fit 12.0 + engagement 0.0, grade A, band 4, cell A4, "
                "MQL, 1 rules fired)"
            ),
            (
                "LeadScore('L1': total 2.3 = fit 2.3 + engagement 0.0, grade B, band 4, cell B4, "
                "not MQL, 1 rules fired, 1 not evaluated)"
            ),
        ] == [repr(_score("A", 12.0, qualified=True)), repr(_fired(2.34))]

    def test_the_explanation_rounds_points_to_a_tenth(self) -> None:
        """2.34 points read +2.3 (rounded to 0.1, not to a whole point nor to 0.01)."""
        assert ("+2.3 fit: size", "not evaluated fit: role (missing)") == _fired(2.34).explain()

    def test_the_html_shows_the_facts_and_the_rules(self) -> None:
        """The notebook view names each fact, shows grade / band / cell, and tabulates the rules under the repr."""
        page = _fired(2.34)._repr_html_()
        names = ["total", "fit", "engagement", "grade / band / cell", "MQL", "scored as of"]
        assert [True] * len(names) == [f">{name}</th>" in page for name in names]
        assert {"cell": True, "caption": True, "rules": True, "rule rows": True} == {
            "cell": ">B / 4 / B4</td>" in page,
            "caption": f"<b>{html.escape(repr(_fired(2.34)))}</b>" in page,
            "rules": "<b>rules that fired</b>" in page,
            "rule rows": ">size</td>" in page and ">missing</td>" in page,
        }


class TestLeadScoresShown:
    def test_an_empty_batch_has_a_mean_of_0(self) -> None:
        """No scores: 0 leads, 0 MQL, mean total 0.0 (no division by zero)."""
        assert "LeadScores(model='m', 0 leads, 0 MQL, mean total 0.0)" == repr(
            LeadScores(model="m", at=SCORING_AT, scores=())
        )

    def test_the_html_shows_the_first_rows_and_counts_the_rest(self) -> None:
        """Twenty-one scores show the first twenty under the repr, and one more row counted."""
        batch = LeadScores(
            model="m",
            at=SCORING_AT,
            scores=tuple(_score(f"L{i:02d}", 1.0, qualified=False) for i in range(21)),
        )
        page = batch._repr_html_()
        assert {
            "caption": True,
            "first": True,
            "last shown": True,
            "hidden": False,
            "more": True,
        } == {
            "caption": f"<b>{html.escape(repr(batch))}</b>" in page,
            "first": ">L00</td>" in page,
            "last shown": ">L19</td>" in page,
            "hidden": ">L20</td>" in page,
            "more": "1 more rows" in page,
        }
