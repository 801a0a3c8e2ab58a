"""Tests for salesmark.scoring.weights: fitting which rules predict conversion, and new points."""

from __future__ import annotations

import math
import random
from datetime import datetime, timezone

import attrs
import pytest

from salesmark import DEMAND_WATERFALL as W
from salesmark import Lead, Team, ValidationError
from salesmark.scoring import (
    AttributeEquals,
    AttributePresent,
    Dimension,
    EachTouch,
    EngagementBands,
    GradeScale,
    Qualification,
    ScoringModel,
    ScoringRule,
    hit_matrix,
    suggest_weights,
)
from salesmark.scoring._logistic import _solve, fit_logistic
from salesmark.scoring.weights import RuleWeight

T = datetime(2026, 1, 5, tzinfo=timezone.utc)
FEATURES = ("f0", "f1", "f2", "f3", "f4")


def model(*rules: ScoringRule) -> ScoringModel:
    return ScoringModel(
        name="m",
        rules=rules
        or tuple(AttributeEquals(attribute=f, value="y", points=10, id=f) for f in FEATURES),
        grades=GradeScale.letters(a=30, b=20, c=10),
        bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        qualification=Qualification(minimum_total=30),
    )


def closed(i: int, won: bool, **attributes: object) -> Lead:
    lead = Lead.create(id=f"L{i}", created_at=T, stage="opportunity", attributes=attributes)  # type: ignore[arg-type]
    return lead.advance("won", at=T) if won else lead.advance("lost", at=T, reason="price")


def population(size: int = 400, seed: int = 7) -> list[Lead]:
    """Leads whose odds of winning rise with f0 and f1, fall with f2, ignore f3; f4 never set."""
    rng = random.Random(seed)
    leads = []
    for i in range(size):
        hits = {f: rng.random() < 0.5 for f in FEATURES[:4]}
        logit = -1.0 + 2.0 * hits["f0"] + 1.0 * hits["f1"] - 1.5 * hits["f2"]
        won = rng.random() < 1 / (1 + 2.718281828**-logit)
        leads.append(closed(i, won, **{f: "y" if hit else "n" for f, hit in hits.items()}))
    return leads


class TestSuggestWeights:
    def test_coefficients_match_scikit_learn(self) -> None:
        """The fitted coefficients equal scikit-learn's LogisticRegression with the same L2 penalty."""
        linear_model = pytest.importorskip("sklearn.linear_model")
        leads = population()
        scoring = model()
        for l2 in (0.5, 1.0, 4.0):
            ours = suggest_weights(scoring, leads, lifecycle=W, at=T, l2=l2)
            rows = [list(row) for row in hit_matrix(scoring, leads, at=T)]
            labels = [lead.has_reached("won") for lead in leads]
            reference = linear_model.LogisticRegression(C=1.0 / l2, tol=1e-12, max_iter=10_000)
            reference.fit(rows, labels)
            assert list(reference.coef_[0]) == pytest.approx(list(ours.coefficients), abs=1e-5)
            assert reference.intercept_[0] == pytest.approx(ours.intercept, abs=1e-5)

    def test_flags_rules_without_signal(self) -> None:
        """Rules that never fire or have no effect are flagged and get no points."""
        result = suggest_weights(model(), population(), lifecycle=W, at=T)
        by_id = {r.rule_id: r for r in result.rules}
        assert {"f0": True, "f1": True, "f2": True} == {
            key: by_id[key].signal for key in ("f0", "f1", "f2")
        }
        assert {"note": "never fires", "signal": False, "suggested_points": 0.0} == {
            "note": by_id["f4"].note,
            "signal": by_id["f4"].signal,
            "suggested_points": by_id["f4"].suggested_points,
        }
        assert "sign differs from current points" == by_id["f2"].note
        assert (
            by_id["f2"].suggested_points
            < 0
            < by_id["f1"].suggested_points
            < by_id["f0"].suggested_points
        )
        strict = {
            r.rule_id: r
            for r in suggest_weights(model(), population(), lifecycle=W, at=T, min_effect=0.5).rules
        }
        assert ("no signal (|coefficient| < 0.5)", 0.0) == (
            strict["f3"].note,
            strict["f3"].suggested_points,
        )

    def test_is_deterministic_and_applies(self) -> None:
        """The same data give the same suggestion, which applies to the model."""
        leads = population()
        first = suggest_weights(model(), leads, lifecycle=W, at=T)
        assert first == suggest_weights(model(), leads, lifecycle=W, at=T)
        updated = first.apply(model())
        assert [r.suggested_points for r in first.rules] == [r.points for r in updated.rules]
        assert 5 == len(first.to_records())
        with pytest.raises(ValidationError, match="cannot apply"):
            first.apply(model(AttributePresent(attribute="x", points=1)))

    def test_suggested_points_keep_the_scale(self) -> None:
        """Suggested points of rules with signal sum to what those rules' points sum to now."""
        result = suggest_weights(model(), population(), lifecycle=W, at=T)
        kept = [r for r in result.rules if r.signal]
        assert sum(abs(r.current_points) for r in kept) == pytest.approx(
            sum(abs(r.suggested_points) for r in kept), abs=0.2
        )

    def test_touch_rules_get_points_per_touch(self) -> None:
        """A touch rule's suggestion is per touch, scaled back from its typical contribution."""
        from datetime import timedelta

        from salesmark import Touchpoint, TouchpointKind

        touches = [
            Touchpoint(
                at=T - timedelta(days=1),
                channel="e",
                kind=TouchpointKind.WEBINAR,
                team=Team.MARKETING,
            )
        ] * 2
        leads = []
        for i in range(60):
            lead = Lead.create(
                id=f"L{i}",
                created_at=T - timedelta(days=5),
                stage="opportunity",
                touchpoints=touches if i % 2 else (),
            )
            won = (i % 2 == 1 and i % 3 != 0) or i % 7 == 0
            lead = lead.advance("won", at=T) if won else lead.advance("lost", at=T, reason="price")
            leads.append(lead)
        scoring = model(
            EachTouch(id="w", points=5),
            AttributeEquals(attribute="x", value="y", points=10, id="x"),
        )
        result = suggest_weights(scoring, leads, lifecycle=W, at=T)
        w = result.rules[0]
        assert (30, True) == (w.fired, w.signal)
        assert pytest.approx(5.0, abs=0.1) == w.suggested_points

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"l2": 0}, "l2"),
            ({"l2": math.inf}, r"suggest_weights l2 must be a finite number above 0, got inf"),
            ({"l2": math.nan}, r"suggest_weights l2 .*got nan"),
            ({"min_effect": -1}, "min_effect"),
            ({"min_effect": math.nan}, r"suggest_weights min_effect must be a finite .*got nan"),
            ({"min_effect": math.inf}, r"suggest_weights min_effect .*got inf"),
            ({"outcome": "sql"}, "reached 'sql'"),
        ],
    )
    def test_bad_inputs_refused(self, kwargs: dict[str, object], message: str) -> None:
        """A bad penalty, a negative minimum effect or a single class is refused."""
        with pytest.raises(ValidationError, match=message):
            suggest_weights(model(), population(20), lifecycle=W, at=T, **kwargs)  # type: ignore[arg-type]


def _gradient(rows: list[list[int]], labels: list[bool], l2: float) -> list[float]:
    """The gradient of ``sum(log loss) + l2 / 2 * ||w||^2`` at the fitted point."""
    intercept, coefficients, _ = fit_logistic(rows, labels, l2)
    beta = [intercept, *coefficients]
    gradient = [0.0] + [l2 * w for w in coefficients]
    for row, y in zip(rows, labels, strict=True):
        x = [1, *row]
        p = 1 / (1 + math.exp(-sum(b * xi for b, xi in zip(beta, x, strict=True))))
        for i, xi in enumerate(x):
            gradient[i] += xi * (p - y)
    return gradient


class TestLogisticFit:
    """The private Newton's-method fit behind suggest_weights, against what can be worked out by hand."""

    def test_without_a_penalty_the_fit_is_the_log_odds(self) -> None:
        """Won 1 of 4 without the rule, 3 of 4 with it: intercept log(1/3), coefficient log 3 - log(1/3)."""
        rows = [[0]] * 4 + [[1]] * 4
        labels = [True, False, False, False, True, True, True, False]
        intercept, coefficients, _ = fit_logistic(rows, labels, 0.0)
        # the unpenalised fit reproduces each group's log-odds: log(1/3) and log(3/1)
        assert -math.log(3) == pytest.approx(intercept, abs=1e-12)
        assert [2 * math.log(3)] == pytest.approx(coefficients, abs=1e-12)

    def test_a_balanced_outcome_is_fitted_at_once(self) -> None:
        """Half of each group won: the gradient at 0 is 0, so one Newton step confirms 0."""
        # at beta = 0 every p is 1/2 and each group's residual 2 * 1/2 - 1 = 0
        assert (0.0, [0.0], 1) == fit_logistic(
            [[1], [1], [0], [0]], [True, False, True, False], 1.0
        )

    @pytest.mark.parametrize(
        ("rows", "labels"),
        [
            ([[0]] * 4 + [[1]] * 4, [True, False, False, False, True, True, True, False]),
            (
                [[0, 0]] * 3 + [[1, 0]] * 3 + [[0, 1]] * 3 + [[1, 1]] * 3,
                [False, False, True, True, False, False, True, True, False, True, True, True],
            ),
        ],
    )
    def test_the_penalised_fit_is_the_minimum_reached_quadratically(
        self, rows: list[list[int]], labels: list[bool]
    ) -> None:
        """With l2 = 1 the gradient of the objective vanishes, after the few steps Newton's method needs."""
        gradient = _gradient(rows, labels, 1.0)
        assert [0.0] * len(gradient) == pytest.approx(gradient, abs=1e-10)
        # quadratic convergence: step sizes about 1e-1, 1e-3, 1e-7, then below 1e-10
        assert fit_logistic(rows, labels, 1.0)[2] <= 6

    @pytest.mark.parametrize(
        ("rows", "labels"),
        [([[2], [0], [3], [1]], [True, False, True, False]), ([[13], [0]], [True, False])],
    )
    def test_counts_are_fitted_as_well_as_hits(
        self, rows: list[list[int]], labels: list[bool]
    ) -> None:
        """Rows of counts, not just 0/1 hits, reach the minimum: each row weighs in by its values."""
        gradient = _gradient(rows, labels, 1.0)
        assert [0.0] * len(gradient) == pytest.approx(gradient, abs=1e-10)

    def test_one_label_per_row(self) -> None:
        """Rows and labels of different lengths are a bug, refused rather than cut short."""
        with pytest.raises(ValueError, match="zip"):
            fit_logistic([[1], [0]], [True], 1.0)

    def test_the_solver_pivots(self) -> None:
        """A 3 x 3 system with a zero in the first pivot is solved: x = (1, 2, 3)."""
        matrix = [[0.0, 2.0, 1.0], [1.0, 1.0, 1.0], [2.0, 1.0, 3.0]]
        # right-hand side: 0 + 4 + 3 = 7, 1 + 2 + 3 = 6, 2 + 2 + 9 = 13
        assert [1.0, 2.0, 3.0] == pytest.approx(_solve(matrix, [7.0, 6.0, 13.0]), abs=1e-12)


def two_rules(f0_points: float = 10) -> ScoringModel:
    """Rules on f0 and f1 (10 points each by default) and one on an attribute every lead has."""
    return model(
        AttributeEquals(attribute="f0", value="y", points=f0_points, id="f0"),
        AttributeEquals(attribute="f1", value="y", points=10, id="f1"),
        AttributePresent(attribute="f2", points=5, id="every"),
    )


def twelve() -> list[Lead]:
    """Twelve leads: f0 on the first three, f1 on every third; five won."""
    return [
        closed(
            i, i in (0, 1, 3, 6, 9), f0="y" if i < 3 else "n", f1="y" if i % 3 == 0 else "n", f2="x"
        )
        for i in range(12)
    ]


class TestSuggestedPointsByHand:
    @pytest.mark.parametrize("leads", [population(), twelve()], ids=["400 leads", "12 leads"])
    def test_points_are_the_coefficients_on_the_current_scale(self, leads: list[Lead]) -> None:
        """Each fit rule fires for its points, so s = (10 + 10) / (|c0| + |c1|) and points = round(c * s, 1)."""
        result = suggest_weights(two_rules(), leads, lifecycle=W, at=T)
        f0, f1, every = result.rules
        scale = 20 / (abs(f0.coefficient) + abs(f1.coefficient))
        assert [round(f0.coefficient * scale, 1), round(f1.coefficient * scale, 1), 0.0] == [
            f0.suggested_points,
            f1.suggested_points,
            every.suggested_points,
        ]
        assert ["", "", "fires for every lead"] == [r.note for r in result.rules]

    def test_a_rule_of_no_points_with_signal_keeps_it(self) -> None:
        """A rule worth 0 points now has no sign to contradict: its note is empty and it has signal."""
        f0 = suggest_weights(two_rules(f0_points=0), population(), lifecycle=W, at=T).rules[0]
        assert ("", True) == (f0.note, f0.signal)

    def test_a_coefficient_exactly_at_the_minimum_effect_is_signal(self) -> None:
        """The minimum effect is inclusive: |coefficient| equal to it counts."""
        leads = population()
        f1 = suggest_weights(two_rules(), leads, lifecycle=W, at=T).rules[1]
        again = suggest_weights(
            two_rules(), leads, lifecycle=W, at=T, min_effect=abs(f1.coefficient)
        )
        assert (True, "") == (again.rules[1].signal, again.rules[1].note)

    def test_without_any_signal_every_suggestion_is_0(self) -> None:
        """A rule that fires for every lead and one that never fires: no signal, no points, no division."""
        scoring = model(
            AttributePresent(attribute="f0", points=5, id="every"),
            AttributePresent(attribute="never", points=5, id="never"),
        )
        result = suggest_weights(scoring, population(40), lifecycle=W, at=T, min_effect=0)
        assert [(0.0, False), (0.0, False)] == [
            (r.suggested_points, r.signal) for r in result.rules
        ]

    def test_the_default_penalty_is_1(self) -> None:
        """Without ``l2`` the penalty is 1."""
        assert 1.0 == suggest_weights(two_rules(), population(40), lifecycle=W, at=T).l2

    def test_a_single_converter_is_enough(self) -> None:
        """One won deal among lost ones has both classes."""
        leads = [closed(i, i == 0, f0="y" if i < 2 else "n") for i in range(6)]
        assert (6, 1) == tuple(
            getattr(suggest_weights(two_rules(), leads, lifecycle=W, at=T), name)
            for name in ("leads", "converted")
        )

    def test_every_lead_converting_is_refused(self) -> None:
        """Only converters: nothing to contrast."""
        with pytest.raises(ValidationError) as caught:
            suggest_weights(two_rules(), [closed(1, True), closed(2, True)], lifecycle=W, at=T)
        assert (
            "suggest_weights needs leads that reached 'won' and leads that did not, got 2 of 2"
            == str(caught.value)
        )

    @pytest.mark.parametrize(
        ("kwargs", "start"),
        [
            ({"outcome": "signed"}, "suggest_weights outcome 'signed' is not a stage"),
            ({"leads": [5]}, "suggest_weights leads[0] must be a Lead"),
        ],
    )
    def test_errors_name_suggest_weights(self, kwargs: dict[str, object], start: str) -> None:
        """An unknown outcome or a lead that is not one is refused as suggest_weights'."""
        call: dict[str, object] = {"leads": population(20), "lifecycle": W, "at": T, **kwargs}
        with pytest.raises(ValidationError) as caught:
            suggest_weights(two_rules(), **call)  # type: ignore[arg-type]
        assert str(caught.value).startswith(start)


class TestWeightResults:
    def test_a_rule_weight_shows_its_note(self) -> None:
        """The repr gives current and suggested points, the coefficient and any note."""
        weight = {
            "rule_id": "role=cfo",
            "dimension": Dimension.FIT,
            "fired": 20,
            "current_points": 10,
            "coefficient": 2.2,
            "odds_ratio": 9.0,
            "suggested_points": 12.5,
            "signal": True,
        }
        assert [
            "RuleWeight('role=cfo': 10 -> 12.5 points, coefficient +2.200)",
            "RuleWeight('role=cfo': 10 -> 12.5 points, coefficient +2.200, fires for every lead)",
        ] == [
            repr(RuleWeight(**weight, note="")),
            repr(RuleWeight(**weight, note="fires for every lead")),
        ]  # type: ignore[arg-type]

    def test_a_suggestion_lists_the_rules_without_signal(self) -> None:
        """The repr names the rules flagged as carrying no signal."""
        result = suggest_weights(two_rules(), population(), lifecycle=W, at=T)
        assert (
            "WeightSuggestion(model='m', outcome='won', 400 leads, 3 rules, without signal: ['every'])"
            == repr(result)
        )

    @pytest.mark.parametrize(
        ("changes", "path", "message"),
        [
            (
                {"converted": 401},
                "/converted",
                "WeightSuggestion.converted must be at most WeightSuggestion.leads (400), got 401",
            ),
            (
                {"leads": 399, "converted": 100},
                "/rules/2/fired",
                "WeightSuggestion.rules[2].fired must be at most WeightSuggestion.leads (399), got 400",
            ),
        ],
    )
    def test_a_suggestion_read_from_data_is_consistent(
        self, changes: dict[str, object], path: str, message: str
    ) -> None:
        """No more converters than leads, and no rule firing on more leads than there are."""
        sound = suggest_weights(two_rules(), population(), lifecycle=W, at=T)
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(sound, **changes)
        assert (path, message) == (caught.value.path, str(caught.value))
        assert sound.rules[2].fired == sound.leads  # a rule may fire on every lead

    def test_a_rule_firing_too_often_carries_its_count(self) -> None:
        """The refusal of a rule firing on more leads than there are carries the count."""
        sound = suggest_weights(two_rules(), population(), lifecycle=W, at=T)
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(sound, leads=399, converted=100)
        assert "400" == caught.value.errors[0].value
