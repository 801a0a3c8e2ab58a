"""Private attrs validators for the numbers of scoring models."""

from __future__ import annotations

import math
from typing import Any

import attrs

from salesmark._validators import where
from salesmark.errors import ValidationError


def is_finite(value: object) -> bool:
    """Whether ``value`` is an int or float (not a bool) and finite."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


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
