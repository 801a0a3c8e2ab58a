"""Checks only attribution needs (private): channel paths, counts, amounts and options.

They build on :mod:`salesmark._validators` (a value of the wrong type raises
:class:`~salesmark.errors.WrongType`, a value out of range
:class:`~salesmark.errors.ValidationError`) for what the generic toolkit has no word
for: a path of channel names, a count that may be an int or a float (numpy scalars
included, as DataFrames hand them over), an amount that may arrive as a float, and a
choice among option strings.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal

from salesmark import _validators as v
from salesmark.attribution._columns import MAX_COUNT
from salesmark.errors import ValidationError, WrongType

Path = tuple[str, ...]
"""A journey's channel names, in time order."""

Count = int | float
"""Conversions or nulls: whole numbers, or weights when journeys are sampled."""


def check_path(path: object, field: str) -> Path:
    """``path`` as a tuple of channel names: at least one, each a non-blank string."""
    steps: Path = v.sequence(path, field, "channel names")
    if not steps:
        msg = f"{field} must hold at least one touch, got an empty path"
        raise ValidationError(msg)
    for step in steps:
        if not isinstance(step, str):
            msg = f"{field} channel names must be non-empty strings, got {step!r} in {steps!r}"
            raise WrongType(msg)
        if not step.strip():
            msg = f"{field} channel names must be non-empty strings, got {step!r} in {steps!r}"
            raise ValidationError(msg)
    return steps


def check_count(value: object, field: str) -> Count:
    """``value`` if it is a finite number >= 0 (not a bool), else a clear error.

    Other integral and real numbers (numpy scalars, say) become ``int`` and ``float``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{field} must be a number >= 0, got {value!r}"
        raise WrongType(msg)
    if not isinstance(value, int | float):
        value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"{field} must be finite, got {value!r}"
        raise ValidationError(msg)
    if value < 0:
        msg = f"{field} must be >= 0, got {value!r}"
        raise ValidationError(msg)
    if value > MAX_COUNT:
        shown = (
            f"{value:.6g}"
            if isinstance(value, float)
            else f"{float(value):.6g}"
            if value < 10**300
            else f"an integer of {len(str(value))} digits"
        )
        msg = f"{field} must be at most 2**53 ({MAX_COUNT:,}), got {shown}"
        raise ValidationError(msg)
    return value


def exact_count(value: object, field: str) -> int | Fraction:
    """:func:`check_count`, then exact: an int, or the float's exact :class:`~fractions.Fraction`."""
    count = check_count(value, field)
    if isinstance(count, int):
        return count
    return int(count) if count.is_integer() else Fraction(count)


def check_amount(value: object, field: str, *, allow_float: bool) -> Decimal:
    """``value`` as a finite ``Decimal`` >= 0, from a Decimal, an int or a numeric string.

    With ``allow_float`` (values read from DataFrames), a float is read through its
    shortest repr (``12.5`` -> ``Decimal("12.5")``); otherwise it is refused as inexact.
    """
    if isinstance(value, bool):
        msg = f"{field} must be a number, got {value!r}"
        raise WrongType(msg)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float) and allow_float:
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            msg = f"{field} must be numeric, got {value!r}"
            raise ValidationError(msg) from None
    else:
        msg = f"{field} must be Money, a Decimal, an int or a numeric string, got {value!r}"
        raise WrongType(msg)
    if not amount.is_finite() or amount < 0:
        msg = f"{field} must be a finite amount >= 0, got {value!r}"
        raise ValidationError(msg)
    return amount


def one_of(value: object, name: str, allowed: Sequence[str]) -> str:
    """``value`` if it is one of the option strings ``allowed``, else an error listing them."""
    if not isinstance(value, str) or value not in allowed:
        msg = f"{name} must be one of {', '.join(map(repr, allowed))}, got {v.shown(value)}"
        raise (ValidationError if isinstance(value, str) else WrongType)(msg)
    return value


Engine = Literal["python", "numpy"]
"""Which engine computes a model: pure Python, or numpy (``salesmark[fast]``)."""

_NUMPY: list[bool] = []


def numpy_available() -> bool:
    """Whether numpy can be imported (checked once)."""
    if not _NUMPY:
        try:
            import numpy  # noqa: F401, PLC0415 (the optional engine, imported lazily)
        except ImportError:
            _NUMPY.append(False)
        else:
            _NUMPY.append(True)
    return _NUMPY[0]


def choose_engine(engine: object, caller: str) -> str:
    """``engine``, or numpy when installed and ``engine`` is ``None``; a clear error otherwise."""
    if engine is None:
        return "numpy" if numpy_available() else "python"
    one_of(engine, f"{caller} engine", ("python", "numpy"))
    if engine == "numpy" and not numpy_available():
        msg = (
            f"{caller} engine='numpy' needs numpy: install salesmark[fast], or pass engine='python'"
        )
        raise ValidationError(msg)
    return str(engine)
