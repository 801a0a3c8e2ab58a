"""Stage and reason-code names, and the converters of the fields that hold them (private).

A stage or a reason code is given as text or as a member of a text enum (``Stage.MQL``,
``LostReason.PRICE``) and kept as its plain text. The converters below are what the
lifecycle's and the leads' fields use: a value they refuse is reported as that field's,
with its JSON Pointer path (see :func:`salesmark._validators.on_field`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError, WrongType

__all__ = [
    "optional_stage_field",
    "reason_codes",
    "reasons_field",
    "stage_field",
    "stage_name",
    "stages_field",
]


def stage_name(stage: str) -> str:
    """The plain string name of a stage, whether given as an enum member or a string.

    Example:
        >>> from salesmark.lifecycle import Stage
        >>> stage_name(Stage.MQL), stage_name("sql")
        ('mql', 'sql')
    """
    if isinstance(stage, enum.Enum):
        return str(stage._value_)  # not .value: an enum property, slow on every change
    if not isinstance(stage, str):
        msg = f"a stage must be a non-empty string, got {v.shown(stage)}"
        raise WrongType(msg)
    if not stage:
        msg = f"a stage must be a non-empty string, got {stage!r}"
        raise ValidationError(msg)
    return stage


def reason_codes(value: Iterable[str]) -> tuple[str, ...]:
    """Reason codes (text or text enum members) as a tuple of their texts.

    Example:
        >>> from salesmark.lifecycle import LostReason
        >>> reason_codes([LostReason.PRICE, "timing"])
        ('price', 'timing')
    """
    return tuple(stage_name(r) for r in v.to_tuple(value))


def _stage_names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(stage_name(s) for s in v.to_tuple(value))


# mypy's attrs plugin reads a named function's types, not an attrs Converter's: it is
# shown plain functions of the same types.
if TYPE_CHECKING:

    def stage_field(value: str) -> str: ...
    def optional_stage_field(value: str | None) -> str | None: ...
    def stages_field(value: Iterable[str]) -> tuple[str, ...]: ...
    def reasons_field(value: Iterable[str]) -> tuple[str, ...]: ...

else:
    stage_field = v.on_field(stage_name)
    optional_stage_field = v.on_field(attrs.converters.optional(stage_name))
    stages_field = v.on_field(_stage_names)
    reasons_field = v.on_field(reason_codes)
