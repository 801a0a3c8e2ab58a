"""Private attrs validators and converters shared by the domain modules.

Each validator raises :class:`~salesmark.errors.ValidationError` (or a subclass) with a
message naming ``Class.field``, the value received and what was expected.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from salesmark._time import require_aware
from salesmark.errors import ValidationError

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


def where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """Name a field as ``Class.field`` for error messages."""
    return f"{type(instance).__name__}.{attribute.name}"


def aware(instance: object, attribute: attrs.Attribute[Any], value: datetime) -> None:
    """Require a timezone-aware datetime."""
    require_aware(value, where(instance, attribute))


def optional_aware(
    instance: object, attribute: attrs.Attribute[Any], value: datetime | None
) -> None:
    """Require a timezone-aware datetime or ``None``."""
    if value is not None:
        require_aware(value, where(instance, attribute))


def non_empty_text(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Require a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        msg = f"{where(instance, attribute)} must be a non-empty string, got {value!r}"
        raise ValidationError(msg)


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Require a non-blank string or ``None``."""
    if value is not None:
        non_empty_text(instance, attribute, value)


def positive_duration(instance: object, attribute: attrs.Attribute[Any], value: timedelta) -> None:
    """Require a ``timedelta`` greater than zero."""
    if not isinstance(value, timedelta) or value <= timedelta(0):
        msg = f"{where(instance, attribute)} must be a positive timedelta, got {value!r}"
        raise ValidationError(msg)


def non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    """Require an ``int`` (not a bool) that is zero or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{where(instance, attribute)} must be a whole number >= 0, got {value!r}"
        raise ValidationError(msg)


def fraction(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """Require a Decimal between 0 and 1 inclusive."""
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        msg = f"{where(instance, attribute)} must be a Decimal between 0 and 1, got {value!r}"
        raise ValidationError(msg)


def unique_ids(instance: object, attribute: attrs.Attribute[Any], value: Iterable[Any]) -> None:
    """Require the ``id`` of each item to be unique."""
    seen: set[str] = set()
    for item in value:
        if item.id in seen:
            msg = f"{where(instance, attribute)} holds id {item.id!r} more than once"
            raise ValidationError(msg)
        seen.add(item.id)


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable (but not a lone string) to a tuple."""
    if isinstance(value, str | bytes):
        msg = f"expected a sequence of items, got the string {value!r}"
        raise ValidationError(msg)
    return tuple(value)


def to_str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Convert an iterable of strings to a tuple, refusing a lone string."""
    return to_tuple(value)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Convert an int, str or Decimal to Decimal; refuse floats, which are inexact."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool | float):
        msg = (
            f"expected a Decimal, int or numeric string, got {type(value).__name__} "
            f"{value!r}; floats are refused because they are inexact"
        )
        raise ValidationError(msg)
    try:
        return Decimal(value)
    except (ArithmeticError, TypeError, ValueError):
        msg = f"expected a Decimal, int or numeric string, got {value!r}"
        raise ValidationError(msg) from None


def freeze_mapping(value: Mapping[str, T]) -> Mapping[str, T]:
    """Copy a mapping into a read-only view, keys sorted for a stable repr."""
    if not isinstance(value, Mapping):
        msg = f"expected a mapping, got {value!r}"
        raise ValidationError(msg)
    return MappingProxyType(dict(sorted(value.items())))


def instance_of(cls: type[Any]) -> Any:
    """Make a validator that requires an instance of ``cls``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, cls):
            msg = f"{where(instance, attribute)} must be a {cls.__name__}, got {value!r}"
            raise ValidationError(msg)

    return check


def optional_instance_of(cls: type[Any]) -> Any:
    """Make a validator that requires an instance of ``cls`` or ``None``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, cls):
            msg = f"{where(instance, attribute)} must be a {cls.__name__} or None, got {value!r}"
            raise ValidationError(msg)

    return check


def items_of(cls: type[Any]) -> Any:
    """Make a validator that requires every item of a tuple to be a ``cls``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                msg = (
                    f"{where(instance, attribute)}[{index}] must be a {cls.__name__}, got {item!r}"
                )
                raise ValidationError(msg)

    return check


def argument_items(value: object, name: str, cls: type[T]) -> tuple[T, ...]:
    """The items of a function argument ``name``, each required to be a ``cls``.

    A lone string, a mapping or something not iterable is refused, as is any item of
    another type; the message names the argument (and the item's position).
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        msg = f"{name} must be an iterable of {cls.__name__}, got {value!r}"
        raise ValidationError(msg)
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, cls):
            msg = f"{name}[{index}] must be a {cls.__name__}, got {item!r}"
            raise ValidationError(msg)
    return items


def member_of(enum_cls: type[enum.Enum]) -> Any:
    """Make a validator that requires a member of ``enum_cls``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, enum_cls):
            allowed = ", ".join(f"{enum_cls.__name__}.{m.name}" for m in enum_cls)
            msg = f"{where(instance, attribute)} must be one of {allowed}, got {value!r}"
            raise ValidationError(msg)

    return check


def members_of(enum_cls: type[enum.Enum]) -> Any:
    """Make a validator that requires a tuple of members of ``enum_cls``."""
    one = member_of(enum_cls)

    def check(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        for item in value:
            one(instance, attribute, item)

    return check
