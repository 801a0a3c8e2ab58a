"""Exact numbers for the KPI formulas, and the one rounding for display (private).

Every KPI is computed as a ``Fraction`` from unrounded inputs: money amounts, counts,
durations in microseconds, the period's length in months. :func:`rounded` rounds once,
half-even, when a value is shown; nothing rounded is ever computed with again.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Final

from dateutil.relativedelta import relativedelta

from salesmark._time import elapsed, instant
from salesmark.durations import Durations
from salesmark.errors import ValidationError, WrongType
from salesmark.period import Period

__all__ = [
    "HALF",
    "NINE_TENTHS",
    "as_decimal",
    "exact",
    "hours",
    "mean_us",
    "months_in",
    "quantile_us",
    "rounded",
]

_US: Final = timedelta(microseconds=1)
_HOUR_US: Final = 3_600_000_000
HALF: Final = Fraction(1, 2)
NINE_TENTHS: Final = Fraction(9, 10)


def exact(value: Fraction | Decimal | int | str) -> Fraction:
    """``value`` as a ``Fraction``; floats are refused, since they are inexact.

    Example:
        >>> exact(Decimal("0.25")), exact("34000/3"), exact(7)
        (Fraction(1, 4), Fraction(34000, 3), Fraction(7, 1))
    """
    if isinstance(value, bool | float):
        msg = (
            f"expected an exact number (Fraction, Decimal, int or numeric string), got "
            f"{type(value).__name__} {value!r}; floats are refused because they are inexact"
        )
        raise WrongType(msg)
    try:
        return Fraction(value)
    except (ArithmeticError, TypeError, ValueError):
        msg = f"expected an exact number (Fraction, Decimal, int or numeric string), got {value!r}"
        raise ValidationError(msg) from None


def rounded(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half-even to ``places`` decimal places: the one rounding, for display.

    Example:
        >>> rounded(Fraction(2, 3), 4), rounded(Fraction(10005, 1000), 2), rounded(Fraction(5), 0)
        (Decimal('0.6667'), Decimal('10.00'), Decimal('5'))
    """
    units = round(value * 10**places)  # Fraction rounds half to even
    return Decimal(units).scaleb(-places)


def as_decimal(value: Fraction) -> Decimal | None:
    """``value`` as an exact ``Decimal`` when it has a finite decimal expansion, else ``None``.

    Example:
        >>> as_decimal(Fraction(3, 8)), as_decimal(Fraction(1, 3))
        (Decimal('0.375'), None)
    """
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return None
    places = max(twos, fives)
    return Decimal(value.numerator * 10**places // value.denominator).scaleb(-places)


def hours(microseconds: Fraction) -> Fraction:
    """A length of time in microseconds, in hours.

    Example:
        >>> hours(Fraction(5_400_000_000))
        Fraction(3, 2)
    """
    return microseconds / _HOUR_US


def mean_us(durations: Durations) -> Fraction | None:
    """The exact mean of ``durations`` in microseconds (not rounded), or ``None`` if empty.

    Example:
        >>> mean_us(Durations.of([timedelta(microseconds=1), timedelta(microseconds=2)]))
        Fraction(3, 2)
    """
    n = total = 0
    for duration, count in durations.values:
        n += count
        total += (duration // _US) * count
    return None if n == 0 else Fraction(total, n)


def quantile_us(durations: Durations, q: Fraction) -> Fraction | None:
    """The exact ``q``-quantile of ``durations`` in microseconds, or ``None`` if empty.

    The same linear interpolation as :meth:`Durations.percentile` (numpy's default),
    without its rounding to the microsecond.

    Example:
        >>> quantile_us(Durations.of([timedelta(microseconds=1), timedelta(microseconds=2)]), HALF)
        Fraction(3, 2)
    """
    return durations._exact_quantile(q)


def months_in(period: Period) -> Fraction:
    """The length of ``period`` in calendar months, exactly: any real number, never rounded to whole months.

    Whole months are counted from the period's start (a quarter is 3, March 3 to
    April 17 is 1 and a part); the part left is the share of the next month's real
    time that it covers.

    Example:
        >>> from datetime import datetime, timezone
        >>> months_in(Period.quarter(2026, 1))
        Fraction(3, 1)
        >>> start = datetime(2026, 2, 1, tzinfo=timezone.utc)
        >>> months_in(Period.between(start, datetime(2026, 2, 15, tzinfo=timezone.utc)))
        Fraction(1, 2)
    """
    start, end = period.start, period.end
    whole = 0
    while instant(start + relativedelta(months=whole + 1)) <= instant(end):
        whole += 1
    anchor = start + relativedelta(months=whole)
    following = start + relativedelta(months=whole + 1)
    part = Fraction(elapsed(anchor, end) // _US, elapsed(anchor, following) // _US)
    return whole + part
