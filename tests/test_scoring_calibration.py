"""Tests for salesmark.scoring.calibration: how well scores predict outcomes, and which rules fired."""

from __future__ import annotations

import math
import random
from datetime import datetime, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL as W
from salesmark import (
    Lead,
    NaiveDatetime,
    ValidationError,
    WrongType,
)
from salesmark.scoring import (
    AttributeEquals,
    AttributePresent,
    EngagementBands,
    GradeScale,
    Qualification,
    ScoringModel,
    ScoringRule,
    calibrate,
    hit_matrix,
    roc_auc,
)
from salesmark.scoring._outcomes import outcome_stage
from salesmark.scoring.calibration import GroupConversion
from strategies import FLAT

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


class TestRocAuc:
    @given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40, unique=True), st.data())
    def test_perfect_and_reversed_rankings(self, scores: list[float], data: st.DataObject) -> None:
        """AUC of a perfect ranking is 1 and of a reversed one 0."""
        ordered = sorted(scores)
        cut = data.draw(st.integers(1, len(ordered) - 1))
        labels = [i >= cut for i in range(len(ordered))]
        assert 1.0 == roc_auc(ordered, labels)
        assert 0.0 == roc_auc(ordered, [not x for x in labels])

    @given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=40))
    def test_in_unit_interval_and_symmetric(self, pairs: list[tuple[int, bool]]) -> None:
        """AUC lies in [0, 1], and negating the scores gives one minus it."""
        scores, labels = [float(s) for s, _ in pairs], [y for _, y in pairs]
        if len(set(labels)) < 2:
            return
        auc = roc_auc(scores, labels)
        assert 0.0 <= auc <= 1.0
        assert pytest.approx(1.0 - auc) == roc_auc([-s for s in scores], labels)

    def test_matches_scikit_learn(self) -> None:
        """AUC with ties agrees with scikit-learn's roc_auc_score."""
        metrics = pytest.importorskip("sklearn.metrics")
        rng = random.Random(3)
        scores = [rng.randint(0, 9) for _ in range(200)]
        labels = [rng.random() < s / 12 for s in scores]
        assert metrics.roc_auc_score(labels, scores) == pytest.approx(roc_auc(scores, labels))

    def test_bad_inputs_refused(self) -> None:
        """Mismatched lengths or a single class are refused."""
        with pytest.raises(ValidationError, match="one label per score"):
            roc_auc([1.0], [True, False])
        with pytest.raises(ValidationError, match="both converting"):
            roc_auc([1.0, 2.0], [True, True])

    @pytest.mark.parametrize(
        ("scores", "pattern"),
        [
            ([0.1, math.nan, 0.3], r"roc_auc scores\[1\] .*not NaN, got nan"),
            ([0.1, None, 0.3], r"roc_auc scores\[1\] .*got None"),
            (["0.1", 0.2, 0.3], r"roc_auc scores\[0\] .*got '0.1'"),
        ],
    )
    def test_nan_and_non_numeric_scores_refused(self, scores: list[object], pattern: str) -> None:
        """A NaN score cannot be ranked: it is refused rather than giving a silent 0.0."""
        with pytest.raises(ValidationError, match=pattern):
            roc_auc(scores, [True, False, True])  # type: ignore[arg-type]


class TestCalibrate:
    def test_reports_auc_bands_deciles_and_mqls(self) -> None:
        """The calibration counts conversions per grade, band and decile, with lift and MQLs."""
        leads = population(200)
        result = calibrate(model(), leads, lifecycle=W, at=T)
        converted = sum(lead.has_reached("won") for lead in leads)
        assert (200, converted) == (result.leads, result.converted)
        assert result.auc is not None
        assert result.auc > 0.6
        assert 200 == sum(g.leads for g in result.by_grade) == sum(g.leads for g in result.deciles)
        assert 10 == len(result.deciles)
        assert ["A", "B", "C", "D"] == [g.group for g in result.by_grade]
        top = result.deciles[0]
        assert top.lift is not None
        assert top.lift > 1
        assert result.mqls == sum(g.leads for g in result.by_grade if g.group == "A")
        assert result.mql_precision == result.mqls_converted / result.mqls
        assert 4 + 4 + 10 == len(result.to_records())

    def test_one_class_has_no_auc(self) -> None:
        """With no converters AUC is None and rates are zero, not an error."""
        result = calibrate(model(), [closed(1, False, f0="y"), closed(2, False)], lifecycle=W, at=T)
        assert {"auc": None, "base_rate": 0.0, "mql_recall": None} == {
            "auc": result.auc,
            "base_rate": result.base_rate,
            "mql_recall": result.mql_recall,
        }
        assert 2 == len(result.deciles)

    def test_bad_inputs_refused(self) -> None:
        """No leads, or a naive `at`, are refused."""
        with pytest.raises(ValidationError, match="at least one lead"):
            calibrate(model(), [], lifecycle=W, at=T)
        with pytest.raises(NaiveDatetime):
            calibrate(model(), [closed(1, True)], lifecycle=W, at=datetime(2026, 1, 1))


class TestHitMatrix:
    def test_one_row_per_lead_one_column_per_rule(self) -> None:
        """Each lead gets a 1 for every rule that fired and a 0 for every other, in model order."""
        scoring = model(
            AttributeEquals(attribute="f0", value="y", points=10, id="f0"),
            AttributePresent(attribute="f1", points=5),
        )
        leads = [closed(1, True, f0="y"), closed(2, False, f1="n"), closed(3, False)]
        assert ((1, 0), (0, 1), (0, 0)) == hit_matrix(scoring, leads, at=T)


class TestOutcomeStage:
    """Which stage counts as converting (private, shared by calibrate and suggest_weights)."""

    def test_by_default_the_won_stage(self) -> None:
        """The default outcome is the last stage of the progression."""
        assert "won" == outcome_stage(W, None, "calibrate")

    def test_without_a_progression_the_initial_stage(self) -> None:
        """A lifecycle with no progression converts on its initial stage."""
        flat = FLAT
        assert "new" == outcome_stage(flat, None, "calibrate")

    def test_an_unknown_outcome_is_refused_with_the_stages(self) -> None:
        """An outcome that is no stage is refused, naming the caller, the lifecycle and its stages."""
        expected = (
            "calibrate outcome 'signed' is not a stage of lifecycle 'demand_waterfall'; "
            f"stages are {list(W.stage_names)}"
        )
        with pytest.raises(ValidationError) as caught:
            outcome_stage(W, "signed", "calibrate")
        assert expected == str(caught.value)

    def test_the_lifecycle_is_checked_naming_the_caller(self) -> None:
        """A lifecycle that is not one is refused, naming the caller's argument."""
        with pytest.raises(WrongType, match="^calibrate lifecycle must be"):
            outcome_stage("demand_waterfall", None, "calibrate")  # type: ignore[arg-type]


def _roles(*rows: tuple[str, bool]) -> list[Lead]:
    return [closed(i, won, role=role) for i, (role, won) in enumerate(rows, start=1)]


CFO = (AttributeEquals(attribute="role", value="cfo", points=30),)
# L1 cfo won, L2 cfo lost, L3 and L4 it lost: totals 30, 30, 0, 0; grades A, A, D, D
FOUR = [("cfo", True), ("cfo", False), ("it", False), ("it", False)]


def _group(group: str, leads: int, converted: int, *figures: float | None) -> dict[str, object]:
    """A group's fields; ``figures`` are its rate, lift, lowest and highest total."""
    names = ("rate", "lift", "min_total", "max_total")
    return {
        "group": group,
        "leads": leads,
        "converted": converted,
        **dict(zip(names, figures, strict=True)),
    }


class TestCalibrationByHand:
    """Four leads worked out by hand: L1 and L2 are CFOs (30 points), L1 alone won."""

    def test_the_summary(self) -> None:
        """1 of 4 converted; 2 MQLs, 1 of them converted: precision 1/2, recall 1/1."""
        # AUC: ranks 1.5, 1.5 for the two 0s and 3.5, 3.5 for the two 30s; the converter's
        # rank sum 3.5 - 1 * 2 / 2 = 2.5 over 1 * 3 pairs = 0.8333
        result = calibrate(model(*CFO), _roles(*FOUR), lifecycle=W, at=T)
        assert {
            "converted": 1,
            "base_rate": 0.25,
            "mqls": 2,
            "mqls_converted": 1,
            "mql_precision": 0.5,
            "mql_recall": 1.0,
        } == {
            name: getattr(result, name)
            for name in (
                "converted",
                "base_rate",
                "mqls",
                "mqls_converted",
                "mql_precision",
                "mql_recall",
            )
        }
        assert 2.5 / 3 == pytest.approx(result.auc)
        assert (
            "Calibration(model='m', outcome='won': 1/4 converted, AUC 0.833, 2 MQLs of which 1 converted)"
        ) == repr(result)

    def test_conversion_by_grade_band_and_decile(self) -> None:
        """Grades A to D, bands 1 to 4 (all four leads in band 4, no engagement), one lead a decile."""
        result = calibrate(model(*CFO), _roles(*FOUR), lifecycle=W, at=T)
        # lift = rate / base rate 1/4: grade A converts 1/2 (lift 2), decile 1 (L1) 1/1 (lift 4)
        assert [
            _group("A", 2, 1, 0.5, 2.0, 30.0, 30.0),
            _group("B", 0, 0, None, None, None, None),
            _group("C", 0, 0, None, None, None, None),
            _group("D", 2, 0, 0.0, 0.0, 0.0, 0.0),
        ] == [attrs.asdict(g) for g in result.by_grade]
        assert [("band 1", 0), ("band 2", 0), ("band 3", 0), ("band 4", 4)] == [
            (g.group, g.leads) for g in result.by_band
        ]
        assert [
            _group("decile 1", 1, 1, 1.0, 4.0, 30.0, 30.0),
            _group("decile 2", 1, 0, 0.0, 0.0, 30.0, 30.0),
            _group("decile 3", 1, 0, 0.0, 0.0, 0.0, 0.0),
            _group("decile 4", 1, 0, 0.0, 0.0, 0.0, 0.0),
        ] == [attrs.asdict(g) for g in result.deciles]

    def test_the_records_say_which_table(self) -> None:
        """Twelve rows: four grades, four bands, four deciles, each with the group's columns."""
        records = calibrate(model(*CFO), _roles(*FOUR), lifecycle=W, at=T).to_records()
        assert ["grade"] * 4 + ["band"] * 4 + ["decile"] * 4 == [r["table"] for r in records]
        assert {"table": "grade", **_group("A", 2, 1, 0.5, 2.0, 30.0, 30.0)} == records[0]

    def test_every_lead_converting_has_no_auc(self) -> None:
        """With no non-converter there is no AUC, and every MQL converted."""
        result = calibrate(model(*CFO), _roles(("cfo", True), ("it", True)), lifecycle=W, at=T)
        assert (None, 1.0, 0.5) == (result.auc, result.mql_precision, result.mql_recall)
        assert (
            "Calibration(model='m', outcome='won': 2/2 converted, AUC -, 1 MQLs of which 1 converted)"
        ) == repr(result)

    def test_no_converter_has_no_recall(self) -> None:
        """With no converter the share of converters caught is undefined."""
        result = calibrate(model(*CFO), _roles(("cfo", False), ("it", False)), lifecycle=W, at=T)
        assert (None, 0.0) == (result.mql_recall, result.mql_precision)

    def test_errors_name_calibrate(self) -> None:
        """An unknown outcome, leads that are not leads, and no leads are refused as calibrate's."""
        with pytest.raises(ValidationError, match="^calibrate outcome 'signed' is not a stage"):
            calibrate(model(*CFO), _roles(*FOUR), lifecycle=W, at=T, outcome="signed")
        with pytest.raises(ValidationError, match="^calibrate leads"):
            calibrate(model(*CFO), [5], lifecycle=W, at=T)  # type: ignore[list-item]
        with pytest.raises(ValidationError) as caught:
            calibrate(model(*CFO), [], lifecycle=W, at=T)
        assert "calibrate needs at least one lead, got none" == str(caught.value)

    def test_a_named_outcome_is_used(self) -> None:
        """Counting reaching the opportunity as converting, every lead converted."""
        result = calibrate(model(*CFO), _roles(*FOUR), lifecycle=W, at=T, outcome="opportunity")
        assert ("opportunity", 4) == (result.outcome, result.converted)


class TestResultChecks:
    def test_roc_auc_names_its_arguments(self) -> None:
        """Scores or labels that are no sequence are refused, naming which and what it must hold."""
        messages = []
        for call in (lambda: roc_auc(5, [True]), lambda: roc_auc([1.0], 5)):  # type: ignore[arg-type]
            with pytest.raises(WrongType) as caught:
                call()
            messages.append(str(caught.value))
        assert [
            "roc_auc scores must be a sequence of numbers, got 5",
            "roc_auc labels must be a sequence of bools, got 5",
        ] == messages

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            (
                {"converted": 3},
                "GroupConversion.converted must be at most GroupConversion.leads (2), got 3",
            ),
            (
                {"min_total": 40.0},
                "GroupConversion.min_total must be at most GroupConversion.max_total (30.0), got 40.0",
            ),
        ],
    )
    def test_a_group_is_consistent(self, changes: dict[str, object], message: str) -> None:
        """A group cannot convert more leads than it holds, nor have its lowest total above its highest."""
        with pytest.raises(ValidationError) as caught:
            GroupConversion(**{**_group("A", 2, 1, 0.5, 2.0, 30.0, 30.0), **changes})  # type: ignore[arg-type]
        assert message == str(caught.value)

    def test_a_group_shows_its_rate_and_lift(self) -> None:
        """A group shows converted/leads as a percentage with its lift; an empty one shows dashes."""
        assert [
            "GroupConversion('A': 1/2 = 50.0%, lift 2.00)",
            "GroupConversion('B': 0/0 = -, lift -)",
        ] == [
            repr(GroupConversion(**_group("A", 2, 1, 0.5, 2.0, 30.0, 30.0))),  # type: ignore[arg-type]
            repr(GroupConversion(**_group("B", 0, 0, None, None, None, None))),  # type: ignore[arg-type]
        ]

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            (
                {"converted": 5},
                "Calibration.converted must be at most Calibration.leads (4), got 5",
            ),
            ({"mqls": 5}, "Calibration.mqls must be at most Calibration.leads (4), got 5"),
            (
                {"mqls_converted": 3},
                "Calibration.mqls_converted must be at most Calibration.mqls (2), got 3",
            ),
            (
                {"mqls": 3, "mqls_converted": 2},
                "Calibration.mqls_converted must be at most Calibration.converted (1), got 2",
            ),
        ],
    )
    def test_a_calibration_is_consistent(self, changes: dict[str, object], message: str) -> None:
        """No more converters or MQLs than leads, no more converted MQLs than MQLs or converters."""
        sound = calibrate(model(*CFO), _roles(*FOUR), lifecycle=W, at=T)
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(sound, **changes)
        assert message == str(caught.value)
