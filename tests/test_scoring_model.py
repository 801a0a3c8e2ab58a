"""Tests for salesmark.scoring.model: the compiled model, its checks, serialization and properties."""

from __future__ import annotations

import json
import pickle
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import (
    Lead,
    NaiveDatetime,
    StructureError,
    TouchpointKind,
    UnknownReference,
    ValidationError,
)
from salesmark.scoring import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    Decay,
    EachTouch,
    EngagementBands,
    GradeScale,
    NoRecentTouch,
    Qualification,
    ScoringModel,
)
from salesmark.serialization import structure, unstructure
from salesmark.testing.strategies import (
    SCORING_AT,
    engagement_rules,
    fit_rules,
    scoring_leads,
    scoring_models,
)
from strategies import positive_points, renumber
from strategies.scoring import build, scored_lead, touch

DAY = timedelta(days=1)
W = TouchpointKind.WEBINAR
lead = scored_lead


class TestScore:
    def test_grade_band_cell_and_qualification(self) -> None:
        """A score carries grade, band, matrix cell and MQL status from the model."""
        model = build(
            AttributeEquals(attribute="role", value="cfo", points=25),
            EachTouch(id="w", points=11),
            qualification=Qualification(minimum_total=40, cells=("B1", "B2")),
        )
        score = model.score(lead({"role": "cfo"}, [touch(0), touch(0)]), at=SCORING_AT)
        assert {"grade": "B", "band": 2, "cell": "B2", "qualified": True, "total": 47.0} == {
            "grade": score.grade,
            "band": score.band,
            "cell": score.cell,
            "qualified": score.qualified,
            "total": score.total,
        }

    def test_thirds_scale_cells_use_the_letter(self) -> None:
        """With an A+ to F scale, the matrix cell keeps the letter without plus or minus."""
        model = build(
            AttributeEquals(attribute="role", value="cfo", points=100),
            grades=GradeScale.thirds(top=100, bottom=0),
            qualification=Qualification(grades=("A+",)),
        )
        score = model.score(lead({"role": "cfo"}), at=SCORING_AT)
        assert {"grade": "A+", "cell": "A4", "qualified": True} == {
            "grade": score.grade,
            "cell": score.cell,
            "qualified": score.qualified,
        }

    def test_every_field_of_a_score_is_set_and_equal_to_one_built_by_hand(self) -> None:
        """A score from the compiled scorer has every LeadScore field and equals the same score built with LeadScore(...)."""
        model = build(AttributeEquals(attribute="role", value="cfo", points=25))
        score = model.score(lead({"role": "cfo"}), at=SCORING_AT)
        fields = {f.name: getattr(score, f.name) for f in attrs.fields(type(score))}
        assert score == type(score)(**fields)
        assert pickle.loads(pickle.dumps(score)) == score

    def test_one_scorer_scores_as_of_each_moment_it_is_given(self) -> None:
        """One compiled scorer given two moments: a touch 5 days before the first is 5, then 35 days old (the moment's timestamp is not kept from the previous call)."""
        model = build(NoRecentTouch(id="quiet", points=-20, window=timedelta(days=30)))
        subject = lead({}, [touch(5)])
        later = SCORING_AT + timedelta(days=30)
        scorer = model._scorer(False)  # the compiled scorer score_many uses
        # 5 days old as of SCORING_AT: not quiet; 35 days old as of `later`: quiet, -20
        assert [0.0, -20.0, 0.0] == [
            scorer(subject, SCORING_AT).engagement,
            scorer(subject, later).engagement,
            scorer(subject, SCORING_AT).engagement,
        ]

    def test_naive_at_refused(self) -> None:
        """Scoring at a naive datetime is refused."""
        with pytest.raises(NaiveDatetime):
            build(AttributePresent(attribute="p", points=1)).score(lead(), at=datetime(2026, 1, 1))


class TestScoringModel:
    def test_empty_rule_set_refused(self) -> None:
        """A model without rules is a clear error."""
        with pytest.raises(ValidationError, match="empty rule set"):
            build()

    def test_repeated_rule_id_refused(self) -> None:
        """Rule ids must be unique in a model."""
        with pytest.raises(ValidationError, match="repeats rule id 'p'"):
            build(
                AttributePresent(attribute="p", points=1, id="p"),
                AttributePresent(attribute="q", points=1, id="p"),
            )

    def test_qualification_must_use_known_grades_and_cells(self) -> None:
        """A qualification naming a grade or cell the model cannot give is refused."""
        with pytest.raises(ValidationError, match="never gives"):
            build(
                AttributePresent(attribute="p", points=1),
                qualification=Qualification(grades=("A+",)),
            )
        with pytest.raises(ValidationError, match="cell 'A5'"):
            build(
                AttributePresent(attribute="p", points=1),
                qualification=Qualification(cells=("A5",)),
            )

    def test_wrong_field_types_refused(self) -> None:
        """A model whose parts have the wrong type, or a non-rule, is refused."""
        with pytest.raises(ValidationError, match=r"ScoringModel\.decay must be a Decay"):
            build(AttributePresent(attribute="p", points=1), decay="none")
        with pytest.raises(
            ValidationError, match=r"rules\[0\] must be a scoring rule \(AttributeEquals, "
        ):
            build("p")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"ScoringModel\.fit_cap"):
            build(AttributePresent(attribute="p", points=1), fit_cap=float("inf"))

    def test_rule_lookup_and_with_rule(self) -> None:
        """Rules are found by id; with_rule adds or replaces by id."""
        model = build(AttributePresent(attribute="p", points=1, id="p"))
        replaced = model.with_rule(AttributePresent(attribute="p", points=9, id="p"))
        added = model.with_rule(AttributePresent(attribute="q", points=2, id="q"))
        assert (9.0, ("p", "q")) == (replaced.rule("p").points, tuple(r.id for r in added.rules))
        assert (2, 1) == (
            len(added.fit_rules),
            len(build(EachTouch(id="t", points=1)).engagement_rules),
        )
        with pytest.raises(UnknownReference, match="no rule 'zz'"):
            model.rule("zz")

    def test_round_trips_through_the_converter(self) -> None:
        """A model serializes to JSON and back unchanged, and still scores the same."""
        model = build(
            AttributeOneOf(attribute="industry", values=["saas", 3, True], points=7),
            AttributeInRange(attribute="employees", minimum=10, maximum=99.5, points=4),
            EachTouch(id="w", points=2, kinds=[W], channels=["events"], window=7 * DAY, cap=10),
            NoRecentTouch(id="i", points=-5, window=90 * DAY),
            grades=GradeScale.thirds(top=30, bottom=0),
            decay=Decay.by_period(30 * DAY, cut=0.25),
            fit_cap=50,
        )
        data = json.loads(json.dumps(unstructure(model)))
        again = structure(data, ScoringModel)
        subject = lead({"industry": "saas", "employees": 50}, [touch(1)])
        assert model == again
        assert model.score(subject, at=SCORING_AT) == again.score(subject, at=SCORING_AT)

    def test_unknown_rule_kind_in_data_refused(self) -> None:
        """Stored data with an unknown rule kind is a StructureError naming the field path."""
        data = unstructure(build(AttributePresent(attribute="p", points=1)))
        data["rules"][0]["kind"] = "contains"
        with pytest.raises(StructureError, match=r"\$\.rules\[0\]\.kind"):
            structure(data, ScoringModel)

    def test_score_many_keeps_order(self) -> None:
        """score_many returns one score per lead, in order, like score."""
        model = build(AttributeEquals(attribute="role", value="cfo", points=50))
        # each lead has its own id: score_many refuses a lead given twice
        subjects = [
            attrs.evolve(lead({"role": r}), id=f"L{i}") for i, r in enumerate(("cfo", "it", "cfo"))
        ]
        scores = model.score_many(iter(subjects), at=SCORING_AT)
        assert [model.score(s, at=SCORING_AT) for s in subjects] == list(scores)
        assert (3, 2, scores[0]) == (len(scores), len(scores.qualified), scores.scores[0])
        assert 3 == len(scores.to_records())
        assert "LeadScores(model='t', 3 leads, 2 MQL, mean total 33.3)" == repr(scores)

    @pytest.mark.parametrize("field", ["fit_cap", "engagement_cap"])
    @pytest.mark.parametrize("cap", [0, 0.0, -5])
    def test_caps_must_be_above_zero(self, field: str, cap: float) -> None:
        """A dimension cap of zero or below is refused, naming the field and the value."""
        with pytest.raises(ValidationError, match=rf"ScoringModel\.{field} .*above 0.*got {cap}"):
            build(AttributePresent(attribute="p", points=1), **{field: cap})

    @pytest.mark.parametrize(
        ("rules", "fragment"),
        [
            (None, "got None"),
            (AttributePresent(attribute="p", points=1), "got a single AttributePresent"),
            ("p", "got the string 'p'"),
            (5, "got 5"),
        ],
    )
    def test_rules_must_be_a_sequence_of_rules(self, rules: object, fragment: str) -> None:
        """Rules that are not a sequence (None, one rule, a string) are refused naming the field."""
        with pytest.raises(
            ValidationError,
            match=rf"ScoringModel\.rules must be a sequence of scoring rules, {fragment}",
        ):
            ScoringModel(
                name="t",
                rules=rules,  # type: ignore[arg-type]
                grades=GradeScale.letters(a=30, b=20, c=10),
                bands=EngagementBands(band_1=30, band_2=20, band_3=10),
                qualification=Qualification(minimum_total=40),
            )

    def test_score_refuses_what_is_not_a_lead(self) -> None:
        """Scoring something other than a Lead is a ValidationError naming the argument and value."""
        model = build(AttributePresent(attribute="p", points=1))
        with pytest.raises(
            ValidationError, match=r"ScoringModel\.score lead must be a Lead, got 'L1'"
        ):
            model.score("L1", at=SCORING_AT)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("leads", "fragment"),
        [
            (["L0"], r"leads\[0\] must be a Lead, got 'L0'"),
            ([None], r"leads\[0\] must be a Lead, got None"),
            (None, "leads must be an iterable of Lead, got None"),
            (5, "leads must be an iterable of Lead, got 5"),
        ],
    )
    def test_score_many_refuses_what_is_not_leads(self, leads: object, fragment: str) -> None:
        """score_many names the first item that is not a Lead, or refuses a non-iterable."""
        model = build(AttributePresent(attribute="p", points=1))
        with pytest.raises(ValidationError, match=rf"ScoringModel\.score_many {fragment}"):
            model.score_many(leads, at=SCORING_AT)  # type: ignore[arg-type]

    def test_score_many_names_the_bad_position(self) -> None:
        """A non-lead after good leads is reported with its position."""
        model = build(AttributePresent(attribute="p", points=1))
        with pytest.raises(ValidationError, match=r"leads\[2\] must be a Lead, got 'x'"):
            model.score_many([lead(), attrs.evolve(lead(), id="L2"), "x"], at=SCORING_AT)  # type: ignore[list-item]

    def test_score_many_refuses_a_single_lead(self) -> None:
        """One Lead instead of an iterable of leads is refused with a hint to use score."""
        model = build(AttributePresent(attribute="p", points=1))
        with pytest.raises(ValidationError, match="got a single Lead"):
            model.score_many(lead(), at=SCORING_AT)  # type: ignore[arg-type]


class TestProperties:
    @settings(max_examples=60, deadline=None)
    @given(model=scoring_models(), subject=scoring_leads())
    def test_scores_are_deterministic(self, model: ScoringModel, subject: Lead) -> None:
        """The same model, lead and time always give the same score."""
        assert model.score(subject, at=SCORING_AT) == model.score(subject, at=SCORING_AT)
        assert model.score(subject, at=SCORING_AT) == model.score_many([subject], at=SCORING_AT)[0]

    @settings(max_examples=80, deadline=None)
    @given(model=scoring_models(), subject=scoring_leads(), data=st.data())
    def test_a_positive_rule_never_lowers_a_score(
        self, model: ScoringModel, subject: Lead, data: st.DataObject
    ) -> None:
        """Adding a rule with positive points never lowers fit, engagement or total."""
        extra = data.draw(fit_rules(positive_points) | engagement_rules(points=positive_points))
        bigger = attrs.evolve(model, rules=renumber([*model.rules, extra]))
        before, after = model.score(subject, at=SCORING_AT), bigger.score(subject, at=SCORING_AT)
        assert before.fit <= after.fit
        assert before.engagement <= after.engagement
        assert before.total <= after.total

    @settings(max_examples=80, deadline=None)
    @given(
        model=scoring_models(monotone=True),
        subject=scoring_leads(),
        later=st.integers(0, 400 * 86400),
    )
    def test_decay_never_increases_engagement(
        self, model: ScoringModel, subject: Lead, later: int
    ) -> None:
        """With no new touches, engagement never grows as time passes."""
        now = model.score(subject, at=SCORING_AT).engagement
        afterwards = model.score(subject, at=SCORING_AT + timedelta(seconds=later)).engagement
        assert afterwards <= now
