"""Grades, engagement bands and the MQL qualification rule of a scoring model.

The fit score becomes a letter grade, the engagement score a band from 1 (most
engaged) to 4, and the two together a matrix cell such as ``A1`` or ``C3``: the grid
revenue teams use to decide which leads to call first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError
from salesmark.scoring._checks import texts

__all__ = ["EngagementBands", "GradeScale", "GradeThreshold", "Qualification"]

_THIRDS = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-")


@attrs.frozen(kw_only=True)
class GradeThreshold:
    """One letter of a grade scale and the smallest fit score that earns it.

    Attributes:
        letter: The grade, e.g. ``"A"`` or ``"B+"``.
        minimum: The smallest fit score that earns it (inclusive).

    Example:
        >>> GradeThreshold(letter="A", minimum=40).minimum
        40
    """

    letter: str = attrs.field(validator=v.non_empty_text)
    minimum: float = attrs.field(validator=v.finite)


def _thresholds(value: Iterable[GradeThreshold]) -> tuple[GradeThreshold, ...]:
    return v.sequence(value, "GradeScale.thresholds", "GradeThreshold")


@attrs.frozen(kw_only=True)
class GradeScale:
    """Letter grades for the fit score, best first.

    A fit score gets the first letter whose minimum it reaches, or ``lowest`` when it
    reaches none.
    Build it with :meth:`letters` (A/B/C/D) or :meth:`thirds` (A+ to F in thirds of
    a letter, as Salesforce's grading does).

    Attributes:
        thresholds: The letters and their minimums, minimums strictly descending.
        lowest: The letter for scores below every threshold.

    Raises:
        ValidationError: If there are no thresholds, their minimums are not strictly
            descending, or a letter repeats.

    Example:
        >>> scale = GradeScale.letters(a=40, b=25, c=10)
        >>> scale.grade(30), scale.grade(3)
        ('B', 'D')
        >>> GradeScale.letters(a=10, b=25, c=40)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: GradeScale.thresholds must have strictly descending minimums (best grade first); 'B' needs 25 after 'A' needs 10
    """

    thresholds: tuple[GradeThreshold, ...] = attrs.field(
        converter=_thresholds, validator=v.items_of(GradeThreshold)
    )
    lowest: str = attrs.field(default="D", validator=v.non_empty_text)

    def __attrs_post_init__(self) -> None:
        if not self.thresholds:
            msg = "GradeScale.thresholds must hold at least one GradeThreshold, got ()"
            raise ValidationError(msg)
        for index in range(1, len(self.thresholds)):
            upper, lower = self.thresholds[index - 1], self.thresholds[index]
            if lower.minimum >= upper.minimum:
                msg = (
                    "GradeScale.thresholds must have strictly descending minimums (best grade "
                    f"first); {lower.letter!r} needs {lower.minimum!r} after "
                    f"{upper.letter!r} needs {upper.minimum!r}"
                )
                raise ValidationError(msg)
        letters = self.letter_order
        if len(set(letters)) != len(letters):
            msg = f"GradeScale letters must be unique, got {list(letters)}"
            raise ValidationError(msg)

    @classmethod
    def letters(cls, *, a: float, b: float, c: float, lowest: str = "D") -> GradeScale:
        """Grades A, B, C from their minimum fit scores, and ``lowest`` below C.

        Example:
            >>> GradeScale.letters(a=40, b=25, c=10).letter_order
            ('A', 'B', 'C', 'D')
        """
        return cls(
            thresholds=(
                GradeThreshold(letter="A", minimum=a),
                GradeThreshold(letter="B", minimum=b),
                GradeThreshold(letter="C", minimum=c),
            ),
            lowest=lowest,
        )

    @classmethod
    def thirds(cls, *, top: float, bottom: float) -> GradeScale:
        """Grades A+ to D- in twelve even steps from ``top`` (A+) down to ``bottom`` (D-), F below.

        The minimums are computed exactly and rounded once, so ``top`` earns A+ and
        ``bottom`` earns D- exactly.

        Raises:
            ValidationError: If ``top`` is not above ``bottom``, or they are too close
                together to hold twelve distinct minimums.

        Example:
            >>> scale = GradeScale.thirds(top=110, bottom=0)
            >>> scale.grade(110), scale.grade(55), scale.grade(-1)
            ('A+', 'C+', 'F')
            >>> GradeScale.thirds(top=30, bottom=0).grade(0)
            'D-'
        """
        top_ = v.require_finite(top, "GradeScale.thirds top")
        bottom_ = v.require_finite(bottom, "GradeScale.thirds bottom")
        if top_ <= bottom_:
            msg = f"GradeScale.thirds needs top above bottom, got top={top!r} bottom={bottom!r}"
            raise ValidationError(msg)
        high, low = Fraction(top_), Fraction(bottom_)
        steps = len(_THIRDS) - 1
        minimums = [float(high - (high - low) * i / steps) for i in range(steps + 1)]
        if len(set(minimums)) != len(minimums):
            msg = (
                "GradeScale.thirds needs top and bottom far enough apart for twelve distinct "
                f"minimums, got top={top!r} bottom={bottom!r}"
            )
            raise ValidationError(msg)
        return cls(
            thresholds=tuple(
                GradeThreshold(letter=letter, minimum=minimum)
                for letter, minimum in zip(_THIRDS, minimums, strict=True)
            ),
            lowest="F",
        )

    @property
    def letter_order(self) -> tuple[str, ...]:
        """Every letter of the scale, best first.

        Example:
            >>> GradeScale.thirds(top=110, bottom=0).letter_order[:4]
            ('A+', 'A', 'A-', 'B+')
        """
        return (*(t.letter for t in self.thresholds), self.lowest)

    def grade(self, fit: float) -> str:
        """The letter a fit score earns.

        Example:
            >>> scale = GradeScale.letters(a=40, b=25, c=10)
            >>> scale.grade(40), scale.grade(24.9), scale.grade(-5)
            ('A', 'C', 'D')
        """
        for threshold in self.thresholds:
            if fit >= threshold.minimum:
                return threshold.letter
        return self.lowest


@attrs.frozen(kw_only=True)
class EngagementBands:
    """Engagement bands 1 (most engaged) to 4 from three minimum engagement scores.

    Attributes:
        band_1: The smallest engagement score in band 1.
        band_2: The smallest engagement score in band 2.
        band_3: The smallest engagement score in band 3; anything lower is band 4.

    Raises:
        ValidationError: If the minimums are not strictly descending.

    Example:
        >>> bands = EngagementBands(band_1=50, band_2=25, band_3=10)
        >>> bands.band(60), bands.band(30), bands.band(0)
        (1, 2, 4)
    """

    band_1: float = attrs.field(validator=v.finite)
    band_2: float = attrs.field(validator=v.finite)
    band_3: float = attrs.field(validator=v.finite)

    def __attrs_post_init__(self) -> None:
        if not self.band_1 > self.band_2 > self.band_3:
            msg = (
                "EngagementBands minimums must be strictly descending (band_1 > band_2 > "
                f"band_3), got {self.band_1!r}, {self.band_2!r}, {self.band_3!r}"
            )
            raise ValidationError(msg)

    def band(self, engagement: float) -> int:
        """The band (1 to 4) an engagement score falls in.

        Example:
            >>> bands = EngagementBands(band_1=40, band_2=20, band_3=5)
            >>> bands.band(40), bands.band(19.5), bands.band(4)
            (1, 3, 4)
        """
        if engagement >= self.band_1:
            return 1
        if engagement >= self.band_2:
            return 2
        if engagement >= self.band_3:
            return 3
        return 4


def _grades(value: Iterable[str]) -> tuple[str, ...]:
    return texts(value, "Qualification.grades")


def _cells(value: Iterable[str]) -> tuple[str, ...]:
    return texts(value, "Qualification.cells")


@attrs.frozen(kw_only=True)
class Qualification:
    """When a scored lead counts as a marketing-qualified lead (MQL).

    Every condition given must hold; conditions left at ``None`` or empty are ignored,
    but at least one must be given.

    Attributes:
        minimum_total: The smallest total score that qualifies.
        minimum_fit: The smallest fit score that qualifies.
        minimum_engagement: The smallest engagement score that qualifies.
        grades: The fit grades that qualify (e.g. ``("A", "B")``).
        cells: The matrix cells that qualify (e.g. ``("A1", "A2", "B1")``).

    Raises:
        ValidationError: If no condition is given.

    Example:
        >>> q = Qualification(minimum_total=60, grades=("A", "B"))
        >>> q.qualifies(fit=30, engagement=40, total=70, grade="B", cell="B2")
        True
        >>> q.qualifies(fit=5, engagement=80, total=85, grade="D", cell="D1")
        False
    """

    minimum_total: float | None = attrs.field(default=None, validator=v.optional_finite)
    minimum_fit: float | None = attrs.field(default=None, validator=v.optional_finite)
    minimum_engagement: float | None = attrs.field(default=None, validator=v.optional_finite)
    grades: tuple[str, ...] = attrs.field(default=(), converter=_grades)
    cells: tuple[str, ...] = attrs.field(default=(), converter=_cells)

    def __attrs_post_init__(self) -> None:
        if (
            self.minimum_total is None
            and self.minimum_fit is None
            and self.minimum_engagement is None
            and not self.grades
            and not self.cells
        ):
            msg = (
                "Qualification needs at least one condition (minimum_total, minimum_fit, "
                "minimum_engagement, grades or cells), got none"
            )
            raise ValidationError(msg)

    def qualifies(
        self, *, fit: float, engagement: float, total: float, grade: str, cell: str
    ) -> bool:
        """Whether a score with these parts qualifies as an MQL.

        Example:
            >>> q = Qualification(minimum_fit=20, cells=("A1", "A2", "B1"))
            >>> q.qualifies(fit=25, engagement=35, total=60, grade="B", cell="B1")
            True
            >>> q.qualifies(fit=25, engagement=15, total=40, grade="B", cell="B3")
            False
        """
        return self.predicate()(fit, engagement, total, grade, cell)

    def predicate(self) -> Callable[[float, float, float, str, str], bool]:
        """A fast function ``(fit, engagement, total, grade, cell) -> bool``: :meth:`qualifies`, compiled.

        Example:
            >>> qualifies = Qualification(minimum_total=60, grades=("A", "B")).predicate()
            >>> qualifies(30, 40, 70, "B", "B2"), qualifies(5, 80, 85, "D", "D1")
            (True, False)
        """
        min_total, min_fit, min_engagement = (
            self.minimum_total,
            self.minimum_fit,
            self.minimum_engagement,
        )
        grades = frozenset(self.grades) or None
        cells = frozenset(self.cells) or None

        def qualifies(fit: float, engagement: float, total: float, grade: str, cell: str) -> bool:
            return (
                (min_total is None or total >= min_total)
                and (min_fit is None or fit >= min_fit)
                and (min_engagement is None or engagement >= min_engagement)
                and (grades is None or grade in grades)
                and (cells is None or cell in cells)
            )

        return qualifies
