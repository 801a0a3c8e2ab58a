"""Helpers the planning modules share: levels, Beta intervals, exact money, quantiles (private)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._time import instant, require_aware
from salesmark.errors import ValidationError
from salesmark.money import Money, minor_unit
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.scoring._beta import beta_quantile

__all__ = [
    "FOUR",
    "LEVEL",
    "RATE",
    "US",
    "beta_interval",
    "check_instant",
    "check_level",
    "check_org",
    "check_periods",
    "decimal_rate",
    "rounded",
]

US = timedelta(microseconds=1)
FOUR = Decimal("0.0001")
LEVEL = rf.exact(Fraction, minimum=0, maximum=1)
"""The validator of a result's ``level``: the probability of its intervals."""
RATE = rf.exact(Decimal, minimum=0, maximum=1, optional=True)
"""The validator of a rate or an interval's end, to four places, or ``None``."""


def check_level(level: object, name: str) -> Fraction:
    """``level`` (a probability strictly between 0 and 1: float, Decimal or str) as a Fraction."""
    try:
        exact = Fraction(str(level)) if not isinstance(level, bool) else None
    except (ValueError, ZeroDivisionError):
        exact = None
    if exact is None or not 0 < exact < 1:
        msg = f"{name} must be a probability strictly between 0 and 1 (e.g. 0.8), got {level!r}"
        raise ValidationError(msg)
    return exact


def beta_interval(successes: int, trials: int, level: Fraction) -> tuple[Decimal, Decimal] | None:
    """The equal-tailed Jeffreys interval (Beta(s + 1/2, n - s + 1/2)) for a rate, to 4 places.

    ``None`` when there were no trials.

    Example:
        >>> beta_interval(5, 10, Fraction(8, 10))
        (Decimal('0.3099'), Decimal('0.6901'))
    """
    if trials == 0:
        return None
    a, b = successes + 0.5, trials - successes + 0.5
    tail = float((1 - level) / 2)
    low = Decimal(repr(beta_quantile(tail, a, b))).quantize(FOUR)
    high = Decimal(repr(beta_quantile(1 - tail, a, b))).quantize(FOUR)
    return low, high


def decimal_rate(value: Fraction | None) -> Decimal | None:
    """An exact rate shown as a Decimal to four places (half-even); ``None`` stays ``None``."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(FOUR)


def rounded(amount: Fraction, currency: str) -> Money:
    """An exact amount rounded once, half-even, to ``currency``'s minor unit.

    Example:
        >>> rounded(Fraction(10, 3), "EUR")
        Money('3.33 EUR')
    """
    places = minor_unit(currency)
    units = round(amount * 10**places)  # Fraction rounds half to even
    return Money(Decimal(units).scaleb(-places), currency)


def check_periods(periods: Period | Iterable[Period], name: str) -> tuple[Period, ...]:
    """One period or an iterable of them: at least one, in order, none overlapping the next."""
    items = (periods,) if isinstance(periods, Period) else v.argument_items(periods, name, Period)
    if not items:
        msg = f"{name} must hold at least one Period, got none"
        raise ValidationError(msg)
    for before, after in pairwise(items):
        if instant(after.start) < instant(before.end):
            msg = f"{name} must be in time order without overlaps, got {before!r} then {after!r}"
            raise ValidationError(msg)
    return items


def check_instant(value: datetime | None, default: datetime, name: str) -> datetime:
    """``value`` if aware, else ``default`` when ``None``."""
    return default if value is None else require_aware(value, name)


def check_org(org: object, name: str) -> Organisation:
    """``org`` if it is an Organisation, else WrongType naming ``name``."""
    return v.require(org, Organisation, name)
