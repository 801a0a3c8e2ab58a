"""Tests for salesmark.scoring.grades."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import ValidationError
from salesmark.scoring import EngagementBands, GradeScale, GradeThreshold, Qualification


class TestGradeScale:
    def test_letters_grade_from_thresholds(self) -> None:
        """A fit score earns the first letter whose minimum it reaches, else the lowest."""
        scale = GradeScale.letters(a=40, b=25, c=10)
        assert ["A", "A", "B", "C", "D"] == [scale.grade(x) for x in (99, 40, 39.9, 10, 9.99)]

    def test_thirds_give_a_plus_to_f(self) -> None:
        """The thirds scale runs A+ to D- in even steps with F below."""
        scale = GradeScale.thirds(top=110, bottom=0)
        assert 13 == len(scale.letter_order)
        assert ("A+", "A", "A-", "D-", "F") == (
            scale.grade(110),
            scale.grade(100),
            scale.grade(90),
            scale.grade(0),
            scale.grade(-0.1),
        )

    def test_thresholds_out_of_order_are_refused(self) -> None:
        """Minimums that do not strictly descend are a clear error."""
        with pytest.raises(ValidationError, match="strictly descending"):
            GradeScale(
                thresholds=(
                    GradeThreshold(letter="A", minimum=10),
                    GradeThreshold(letter="B", minimum=10),
                )
            )

    def test_empty_and_repeated_letters_are_refused(self) -> None:
        """A scale needs thresholds, and each letter once."""
        with pytest.raises(ValidationError, match="at least one"):
            GradeScale(thresholds=())
        with pytest.raises(ValidationError, match="unique"):
            GradeScale(thresholds=(GradeThreshold(letter="A", minimum=1),), lowest="A")

    def test_thirds_needs_top_above_bottom(self) -> None:
        """A thirds scale with top not above bottom is refused."""
        with pytest.raises(ValidationError, match="top above bottom"):
            GradeScale.thirds(top=0, bottom=0)

    @given(a=st.floats(-100, 100), b=st.floats(-100, 100))
    def test_grade_is_monotone(self, a: float, b: float) -> None:
        """A higher fit score never earns a worse grade."""
        scale = GradeScale.thirds(top=60, bottom=-20)
        order = scale.letter_order
        low, high = sorted((a, b))
        assert order.index(scale.grade(high)) <= order.index(scale.grade(low))


class TestEngagementBands:
    def test_bands(self) -> None:
        """Scores fall in band 1 to 4 by the three minimums."""
        bands = EngagementBands(band_1=30, band_2=20, band_3=10)
        assert [1, 2, 3, 4] == [bands.band(x) for x in (30, 29, 10, 9)]

    def test_out_of_order_refused(self) -> None:
        """Band minimums that do not strictly descend are refused."""
        with pytest.raises(ValidationError, match="strictly descending"):
            EngagementBands(band_1=10, band_2=20, band_3=5)

    def test_non_numbers_refused(self) -> None:
        """A band minimum that is not a finite number is refused, naming the field."""
        with pytest.raises(ValidationError, match=r"EngagementBands\.band_2"):
            EngagementBands(band_1=10, band_2=float("nan"), band_3=5)


class TestQualification:
    def test_every_condition_must_hold(self) -> None:
        """A score qualifies only when all given conditions hold."""
        q = Qualification(minimum_total=50, minimum_engagement=10, cells=("A1", "A2"))
        assert q.qualifies(fit=40, engagement=10, total=50, grade="A", cell="A2")
        assert not q.qualifies(fit=40, engagement=9, total=50, grade="A", cell="A2")
        assert not q.qualifies(fit=40, engagement=20, total=60, grade="A", cell="A3")
        assert not q.qualifies(fit=30, engagement=10, total=40, grade="A", cell="A2")

    def test_minimum_fit(self) -> None:
        """A minimum fit score is checked on its own."""
        q = Qualification(minimum_fit=20)
        assert (True, False) == (
            q.qualifies(fit=20, engagement=0, total=20, grade="B", cell="B4"),
            q.qualifies(fit=19, engagement=90, total=109, grade="B", cell="B1"),
        )

    def test_needs_a_condition(self) -> None:
        """A qualification without any condition is refused."""
        with pytest.raises(ValidationError, match="at least one condition"):
            Qualification()
