"""Tests for salesmark.scoring.calibration: how well scores predict outcomes, and which rules fired."""

from __future__ import annotations

import math
import random
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL as W
from salesmark import Lead, NaiveDatetime, ValidationError
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
