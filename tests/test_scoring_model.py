"""Tests for salesmark.scoring.model: scoring, explanations, serialization and properties."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import (
    Lead,
    NaiveDatetime,
    StructureError,
    Touchpoint,
    TouchpointKind,
    UnknownReference,
    ValidationError,
)
from salesmark.scoring import (
    Contribution,
    Decay,
    Dimension,
    EngagementBands,
    GradeScale,
    Qualification,
    Rule,
    ScoringModel,
)
from salesmark.serialization import structure, unstructure
from strategies import (
    SCORING_AT,
    engagement_rules,
    fit_rules,
    positive_points,
    renumber,
    scoring_leads,
    scoring_models,
)

DAY = timedelta(days=1)
W = TouchpointKind.WEBINAR


def touch(days_ago: float, kind: TouchpointKind = W, channel: str = "events") -> Touchpoint:
    return Touchpoint(at=SCORING_AT - timedelta(days=days_ago), channel=channel, kind=kind)


def lead(attributes: dict[str, object] | None = None, touches: list[Touchpoint] = ()) -> Lead:  # type: ignore[assignment]
    return Lead.create(
        id="L1",
        created_at=SCORING_AT - timedelta(days=400),
        attributes=attributes or {},  # type: ignore[arg-type]
        touchpoints=touches,
    )


def build(*rules: Rule, **fields: object) -> ScoringModel:
    options: dict[str, object] = {
        "grades": GradeScale.letters(a=30, b=20, c=10),
        "bands": EngagementBands(band_1=30, band_2=20, band_3=10),
        "qualification": Qualification(minimum_total=40),
    }
    options.update(fields)
    return ScoringModel(name="t", rules=rules, **options)  # type: ignore[arg-type]


def points(model: ScoringModel, subject: Lead, at: datetime = SCORING_AT) -> dict[str, float]:
    return {c.rule_id: c.points for c in model.score(subject, at=at).contributions}


class TestFitRules:
    def test_equals(self) -> None:
        """EQUALS fires on the exact value only, never mixing bools and numbers."""
        model = build(Rule.equals("role", "cfo", points=10), Rule.equals("n", 1, points=5))
        assert {"role=cfo": 10} == points(model, lead({"role": "cfo", "n": True}))
        assert {"n=1": 5} == points(model, lead({"role": "CFO", "n": 1.0}))

    def test_in(self) -> None:
        """IN fires when the value is one of the listed values."""
        model = build(Rule.one_of("industry", ["saas", "retail"], points=7, id="ind"))
        assert {"ind": 7} == points(model, lead({"industry": "retail"}))
        assert {} == points(model, lead({"industry": "banking"}))
        assert {} == points(model, lead())

    def test_in_with_mixed_values(self) -> None:
        """IN with numbers and bools compares bools to bools and numbers to numbers."""
        model = build(Rule.one_of("x", [1, True, "a"], points=1, id="x"))
        assert [1, 1, 1, 0, 0] == [
            len(points(model, lead({"x": v}))) for v in (1, True, "a", 2, False)
        ]

    def test_range(self) -> None:
        """RANGE fires for numbers within inclusive bounds, never for text or bools."""
        model = build(Rule.between("employees", minimum=50, maximum=500, points=15, id="size"))
        fired = [
            len(points(model, lead({"employees": v}))) for v in (50, 500, 49.9, 501, "100", True)
        ]
        assert [1, 1, 0, 0, 0, 0] == fired

    def test_open_range(self) -> None:
        """A range with one bound is open on the other side."""
        model = build(Rule.between("budget", minimum=1000, points=3, id="b"))
        assert {"b": 3} == points(model, lead({"budget": 10**9}))

    def test_present(self) -> None:
        """PRESENT fires for any given value except blank text."""
        model = build(Rule.present("phone", points=5, id="p"))
        assert [1, 1, 0, 0] == [
            len(points(model, lead(a))) for a in ({"phone": "1"}, {"phone": 0}, {"phone": " "}, {})
        ]

    def test_negative_points_and_fit_cap(self) -> None:
        """Negative rules subtract, and the fit cap bounds the fit score."""
        model = build(
            Rule.equals("role", "cfo", points=30),
            Rule.present("phone", points=20),
            Rule.equals("region", "x", points=-5),
            fit_cap=40,
        )
        score = model.score(lead({"role": "cfo", "phone": "1", "region": "x"}), at=SCORING_AT)
        assert 40 == score.fit


class TestEngagementRules:
    def test_touches_count_kinds_and_channels(self) -> None:
        """TOUCHES gives points per touch of the listed kinds and channels."""
        model = build(
            Rule.touches("w", points=5, kinds=[W]),
            Rule.touches("ps", points=1, channels=["paid_search"]),
        )
        subject = lead(
            touches=[touch(1), touch(2), touch(3, TouchpointKind.AD_CLICK, "paid_search")]
        )
        assert {"w": 10, "ps": 1} == points(model, subject)

    def test_touches_window_at_least_and_cap(self) -> None:
        """TOUCHES counts only touches in its window, from at_least on, capped."""
        model = build(Rule.touches("w", points=5, window=timedelta(days=10), at_least=2, cap=8))
        assert {} == points(model, lead(touches=[touch(1), touch(11)]))
        assert {"w": 8} == points(model, lead(touches=[touch(1), touch(2), touch(11)]))

    def test_negative_cap_bounds_magnitude(self) -> None:
        """A cap bounds a negative contribution's size too."""
        model = build(Rule.touches("unsub", points=-10, cap=15))
        assert {"unsub": -15} == points(model, lead(touches=[touch(1), touch(2)]))

    def test_recency_and_inactivity(self) -> None:
        """RECENCY fires for a recent matching touch, INACTIVITY when there is none."""
        model = build(
            Rule.recency("recent", points=10, window=timedelta(days=7)),
            Rule.inactivity("quiet", points=-20, window=timedelta(days=90)),
        )
        assert {"recent": 10} == points(model, lead(touches=[touch(100), touch(3)]))
        assert {} == points(model, lead(touches=[touch(30)]))
        assert {"quiet": -20} == points(model, lead(touches=[touch(91)]))
        assert {"quiet": -20} == points(model, lead())

    def test_future_touches_are_ignored(self) -> None:
        """Touches after `at` do not count: a lead can be re-scored as of a past date."""
        model = build(Rule.touches("w", points=5))
        subject = lead(touches=[touch(10), touch(1)])
        assert {"w": 5} == points(model, subject, at=SCORING_AT - 5 * DAY)

    def test_decay_half_life_and_engagement_cap(self) -> None:
        """Touch points are decayed by the model's decay, then the engagement cap applies."""
        model = build(Rule.touches("w", points=8), decay=Decay.by_half_life(timedelta(days=10)))
        assert {"w": 8 + 4 + 2} == points(model, lead(touches=[touch(0), touch(10), touch(20)]))
        capped = attrs.evolve(model, engagement_cap=9)
        assert 9 == capped.score(lead(touches=[touch(0), touch(10)]), at=SCORING_AT).engagement

    def test_window_decay_counts_only_recent_touches(self) -> None:
        """With a window decay, older touches neither add points nor count as hits."""
        model = build(Rule.touches("w", points=2), decay=Decay.within(timedelta(days=5)))
        score = model.score(lead(touches=[touch(1), touch(9)]), at=SCORING_AT)
        assert (Contribution(rule_id="w", dimension=Dimension.ENGAGEMENT, points=2.0, hits=1),) == (
            score.contributions
        )

    def test_decay_does_not_touch_recency(self) -> None:
        """Recency rules are not decayed."""
        model = build(
            Rule.recency("r", points=10, window=timedelta(days=30)),
            decay=Decay.by_period(timedelta(days=1), cut=0.9),
        )
        assert {"r": 10} == points(model, lead(touches=[touch(20)]))


class TestLeadScore:
    def test_grade_band_cell_and_qualification(self) -> None:
        """A score carries grade, band, matrix cell and MQL status from the model."""
        model = build(
            Rule.equals("role", "cfo", points=25),
            Rule.touches("w", points=11),
            qualification=Qualification(minimum_total=40, cells=("B1", "B2")),
        )
        score = model.score(lead({"role": "cfo"}, [touch(0), touch(0)]), at=SCORING_AT)
        assert ("B", 2, "B2", True, 47.0) == (
            score.grade,
            score.band,
            score.cell,
            score.qualified,
            score.total,
        )

    def test_thirds_scale_cells_use_the_letter(self) -> None:
        """With an A+ to F scale, the matrix cell keeps the letter without plus or minus."""
        model = build(
            Rule.equals("role", "cfo", points=100),
            grades=GradeScale.thirds(top=100, bottom=0),
            qualification=Qualification(grades=("A+",)),
        )
        score = model.score(lead({"role": "cfo"}), at=SCORING_AT)
        assert ("A+", "A4", True) == (score.grade, score.cell, score.qualified)

    def test_explanation_and_records(self) -> None:
        """The explanation lists fired rules by effect; records give one row per rule."""
        model = build(Rule.equals("role", "cfo", points=5), Rule.touches("w", points=8))
        score = model.score(lead({"role": "cfo"}, [touch(0), touch(1)]), at=SCORING_AT)
        assert ("+16 engagement: w (2 touches)", "+5 fit: role=cfo") == score.explain()
        assert ["role=cfo", "w"] == [r["rule_id"] for r in score.to_records()]
        assert 21.0 == score.as_record()["total"]
        assert repr(score).startswith("LeadScore('L1': total 21.0 = fit 5.0 + engagement 16.0")

    def test_naive_at_refused(self) -> None:
        """Scoring at a naive datetime is refused."""
        with pytest.raises(NaiveDatetime):
            build(Rule.present("p", points=1)).score(lead(), at=datetime(2026, 1, 1))


class TestScoringModel:
    def test_empty_rule_set_refused(self) -> None:
        """A model without rules is a clear error."""
        with pytest.raises(ValidationError, match="empty rule set"):
            build()

    def test_repeated_rule_id_refused(self) -> None:
        """Rule ids must be unique in a model."""
        with pytest.raises(ValidationError, match="repeats rule id 'p'"):
            build(Rule.present("p", points=1, id="p"), Rule.present("q", points=1, id="p"))

    def test_qualification_must_use_known_grades_and_cells(self) -> None:
        """A qualification naming a grade or cell the model cannot give is refused."""
        with pytest.raises(ValidationError, match="never gives"):
            build(Rule.present("p", points=1), qualification=Qualification(grades=("A+",)))
        with pytest.raises(ValidationError, match="cell 'A5'"):
            build(Rule.present("p", points=1), qualification=Qualification(cells=("A5",)))

    def test_wrong_field_types_refused(self) -> None:
        """A model whose parts have the wrong type, or a non-rule, is refused."""
        with pytest.raises(ValidationError, match=r"ScoringModel\.decay must be a Decay"):
            build(Rule.present("p", points=1), decay="none")
        with pytest.raises(ValidationError, match="must be a Rule"):
            build("p")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"ScoringModel\.fit_cap"):
            build(Rule.present("p", points=1), fit_cap=float("inf"))

    def test_rule_lookup_and_with_rule(self) -> None:
        """Rules are found by id; with_rule adds or replaces by id."""
        model = build(Rule.present("p", points=1, id="p"))
        replaced = model.with_rule(Rule.present("p", points=9, id="p"))
        added = model.with_rule(Rule.present("q", points=2, id="q"))
        assert (9.0, ("p", "q")) == (replaced.rule("p").points, tuple(r.id for r in added.rules))
        assert (2, 1) == (
            len(added.fit_rules),
            len(build(Rule.touches("t", points=1)).engagement_rules),
        )
        with pytest.raises(UnknownReference, match="no rule 'zz'"):
            model.rule("zz")

    def test_round_trips_through_the_converter(self) -> None:
        """A model serializes to JSON and back unchanged, and still scores the same."""
        model = build(
            Rule.one_of("industry", ["saas", 3, True], points=7),
            Rule.between("employees", minimum=10, maximum=99.5, points=4),
            Rule.touches("w", points=2, kinds=[W], channels=["events"], window=7 * DAY, cap=10),
            Rule.inactivity("i", points=-5, window=90 * DAY),
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
        data = unstructure(build(Rule.present("p", points=1)))
        data["rules"][0]["kind"] = "contains"
        with pytest.raises(StructureError, match=r"\$\.rules\[0\]\.kind"):
            structure(data, ScoringModel)

    def test_score_many_keeps_order(self) -> None:
        """score_many returns one score per lead, in order, like score."""
        model = build(Rule.equals("role", "cfo", points=50))
        subjects = [lead({"role": r}) for r in ("cfo", "it", "cfo")]
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
            build(Rule.present("p", points=1), **{field: cap})

    @pytest.mark.parametrize(
        ("rules", "fragment"),
        [
            (None, "got None"),
            (Rule.present("p", points=1), "got a single Rule"),
            ("p", "got the string 'p'"),
            (5, "got 5"),
        ],
    )
    def test_rules_must_be_a_sequence_of_rules(self, rules: object, fragment: str) -> None:
        """Rules that are not a sequence (None, one Rule, a string) are refused naming the field."""
        with pytest.raises(
            ValidationError, match=rf"ScoringModel\.rules must be a sequence of Rule, {fragment}"
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
        model = build(Rule.present("p", points=1))
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
        model = build(Rule.present("p", points=1))
        with pytest.raises(ValidationError, match=rf"ScoringModel\.score_many {fragment}"):
            model.score_many(leads, at=SCORING_AT)  # type: ignore[arg-type]

    def test_score_many_names_the_bad_position(self) -> None:
        """A non-lead after good leads is reported with its position."""
        model = build(Rule.present("p", points=1))
        with pytest.raises(ValidationError, match=r"leads\[2\] must be a Lead, got 'x'"):
            model.score_many([lead(), lead(), "x"], at=SCORING_AT)  # type: ignore[list-item]

    def test_score_many_refuses_a_single_lead(self) -> None:
        """One Lead instead of an iterable of leads is refused with a hint to use score."""
        model = build(Rule.present("p", points=1))
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
        extra = data.draw(
            fit_rules(positive_points) | engagement_rules(rule_points=positive_points)
        )
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
