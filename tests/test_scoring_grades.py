"""Tests for salesmark.scoring.grades."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import assume, given
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

    def test_thirds_bottom_earns_d_minus_exactly(self) -> None:
        """The last threshold is exactly ``bottom``, so bottom earns D- (not F by rounding)."""
        scale = GradeScale.thirds(top=30, bottom=0)
        assert (0.0, "D-", "F") == (
            scale.thresholds[-1].minimum,
            scale.grade(0),
            scale.grade(-1e-9),
        )

    @given(
        bottom=st.floats(-1e6, 1e6, allow_nan=False),
        span=st.floats(1e-3, 1e6, allow_nan=False),
    )
    def test_thirds_run_from_top_to_bottom_exactly(self, bottom: float, span: float) -> None:
        """For any top above bottom, top earns A+, bottom the lowest passing letter and below it F."""
        top = bottom + span
        assume(top > bottom)
        scale = GradeScale.thirds(top=top, bottom=bottom)
        lowest_pass = scale.letter_order[-2]
        assert ("A+", "D-", "D-", "F") == (
            scale.grade(top),
            lowest_pass,
            scale.grade(bottom),
            scale.grade(math.nextafter(bottom, -math.inf)),
        )

    def test_thirds_too_close_together_refused(self) -> None:
        """Top and bottom too close for twelve distinct minimums are refused with both values."""
        with pytest.raises(ValidationError, match=r"far enough apart.*top=1\.0 bottom=0\.9999"):
            GradeScale.thirds(top=1.0, bottom=math.nextafter(1.0, 0.0))

    @pytest.mark.parametrize(
        ("kwargs", "pattern"),
        [
            (
                {"top": "10", "bottom": 0},
                r"GradeScale\.thirds top must be a finite number, got '10'",
            ),
            (
                {"top": 10, "bottom": None},
                r"GradeScale\.thirds bottom must be a finite number, got None",
            ),
            ({"top": math.inf, "bottom": 0}, r"GradeScale\.thirds top .*got inf"),
        ],
    )
    def test_thirds_refuses_non_numbers(self, kwargs: dict[str, object], pattern: str) -> None:
        """A top or bottom that is not a finite number is refused naming the argument."""
        with pytest.raises(ValidationError, match=pattern):
            GradeScale.thirds(**kwargs)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("thresholds", "pattern"),
        [
            ([("A", 10)], r"GradeScale\.thresholds\[0\] must be a GradeThreshold, got \('A', 10\)"),
            (None, r"GradeScale\.thresholds must be a sequence of GradeThreshold, got None"),
            ("A", r"GradeScale\.thresholds .*got the string 'A'"),
        ],
    )
    def test_thresholds_must_be_grade_thresholds(self, thresholds: object, pattern: str) -> None:
        """Thresholds that are not GradeThreshold objects are refused naming the field and value."""
        with pytest.raises(ValidationError, match=pattern):
            GradeScale(thresholds=thresholds)  # type: ignore[arg-type]

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

    @pytest.mark.parametrize(
        ("kwargs", "pattern"),
        [
            ({"grades": "A"}, r"Qualification\.grades .*got the string 'A'"),
            ({"cells": "A1"}, r"Qualification\.cells .*got the string 'A1'"),
            (
                {"grades": ("A", "")},
                r"Qualification\.grades\[1\] must be a non-empty string, got ''",
            ),
            ({"cells": (1,)}, r"Qualification\.cells\[0\] must be a non-empty string, got 1"),
            ({"grades": None}, r"Qualification\.grades must be a sequence .*got None"),
        ],
    )
    def test_grades_and_cells_must_be_sequences_of_text(
        self, kwargs: dict[str, object], pattern: str
    ) -> None:
        """Grades or cells given as a lone string or holding non-text name their own field."""
        with pytest.raises(ValidationError, match=pattern):
            Qualification(**kwargs)  # type: ignore[arg-type]

    def test_needs_a_condition(self) -> None:
        """A qualification without any condition is refused."""
        with pytest.raises(ValidationError, match="at least one condition"):
            Qualification()


def _message(build: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as caught:
        build()
    return str(caught.value)


class TestMessages:
    """Each refusal of a grade scale, bands or qualification reads in full."""

    def test_no_thresholds(self) -> None:
        """A scale needs at least one threshold."""
        assert "GradeScale.thresholds must hold at least one GradeThreshold, got ()" == _message(
            lambda: GradeScale(thresholds=())
        )

    def test_minimums_not_descending(self) -> None:
        """Out-of-order minimums name both letters and their minimums."""
        assert (
            "GradeScale.thresholds must have strictly descending minimums (best grade first); "
            "'B' needs 25 after 'A' needs 10"
        ) == _message(lambda: GradeScale.letters(a=10, b=25, c=5))

    def test_thirds_too_close(self) -> None:
        """Twelve minimums that cannot be told apart are refused, naming top and bottom."""
        assert (
            "GradeScale.thirds needs top and bottom far enough apart for twelve distinct "
            "minimums, got top=1e-323 bottom=0"
        ) == _message(lambda: GradeScale.thirds(top=1e-323, bottom=0))

    @pytest.mark.parametrize(("band_1", "band_2", "band_3"), [(25, 25, 10), (50, 25, 25)])
    def test_equal_bands(self, band_1: float, band_2: float, band_3: float) -> None:
        """Two equal minimums are not strictly descending."""
        assert (
            "EngagementBands minimums must be strictly descending (band_1 > band_2 > band_3), "
            f"got {band_1!r}, {band_2!r}, {band_3!r}"
        ) == _message(lambda: EngagementBands(band_1=band_1, band_2=band_2, band_3=band_3))

    def test_no_condition(self) -> None:
        """A qualification without any condition is refused, listing the conditions."""
        assert (
            "Qualification needs at least one condition (minimum_total, minimum_fit, "
            "minimum_engagement, grades or cells), got none"
        ) == _message(Qualification)


class TestEdges:
    def test_letters_keep_their_lowest(self) -> None:
        """The letter below C is the one given."""
        assert "F" == GradeScale.letters(a=40, b=25, c=10, lowest="F").grade(0)

    def test_the_band_2_minimum_is_in_band_2(self) -> None:
        """An engagement score equal to band 2's minimum is band 2."""
        assert 2 == EngagementBands(band_1=50, band_2=25, band_3=10).band(25)

    def test_a_grade_condition_reads_the_grade(self) -> None:
        """Grades ('A',) qualify an A and not a B, whatever the other parts."""
        q = Qualification(grades=("A",))
        assert [True, False] == [
            q.qualifies(fit=0, engagement=0, total=0, grade=grade, cell="X9") for grade in "AB"
        ]

    def test_grades_must_be_a_sequence(self) -> None:
        """Grades that are no sequence are refused, saying what it must hold."""
        assert "Qualification.grades must be a sequence of non-empty strings, got 5" == _message(
            lambda: Qualification(grades=5)  # type: ignore[arg-type]
        )
