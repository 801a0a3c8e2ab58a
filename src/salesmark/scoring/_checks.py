"""Private attrs validators and argument checks for the numbers of scoring models."""

from __future__ import annotations

import math
from typing import Any

import attrs

from salesmark._validators import where
from salesmark.errors import ValidationError


def is_finite(value: object) -> bool:
    """Whether ``value`` is an int or float (not a bool) and finite."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def finite(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite int or float (bools refused)."""
    if not is_finite(value):
        msg = f"{where(instance, attribute)} must be a finite number, got {value!r}"
        raise ValidationError(msg)


def optional_finite(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite int or float, or ``None``."""
    if value is not None and not is_finite(value):
        msg = f"{where(instance, attribute)} must be a finite number or None, got {value!r}"
        raise ValidationError(msg)


def optional_positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite int or float above 0, or ``None``."""
    if value is not None and not (is_finite(value) and value > 0):  # type: ignore[operator]
        msg = f"{where(instance, attribute)} must be a finite number above 0 or None, got {value!r}"
        raise ValidationError(msg)


def sequence(value: Any, field: str, expected: str) -> tuple[Any, ...]:
    """Convert ``value`` to a tuple, refusing a lone string or a non-iterable.

    ``field`` names where the value was given (``Class.field`` or ``function argument``)
    and ``expected`` what its items should be, for the message.
    """
    if isinstance(value, str | bytes):
        msg = f"{field} must be a sequence of {expected}, got the string {value!r}"
        raise ValidationError(msg)
    try:
        return tuple(value)
    except TypeError:
        msg = f"{field} must be a sequence of {expected}, got {value!r}"
        raise ValidationError(msg) from None
