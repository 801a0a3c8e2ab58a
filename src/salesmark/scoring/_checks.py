"""Private checks shared by the scoring modules, built on the validation toolkit.

The toolkit (:mod:`salesmark._validators`) has no check for "a sequence of non-empty
strings" nor for a field holding a sequence whose class is only known at validation
time; these few helpers fill that gap for the rule classes, grades and matching, so
that every message still names ``Class.field`` (or the argument), the value and what
was expected.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError, WrongType
from salesmark.leads import AttributeValue
from salesmark.touchpoints import TouchpointKind

_MISSING = object()

MAX_POINTS: Final = 1_000_000
"""The most points a rule may give or take (either way): bounded points keep every score
finite, since a lead would need over 10**290 touches for a total to overflow a float."""


def share(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a float (or int) from 0 to 1: a rate or a probability."""
    if not v.is_finite(value) or not 0 <= value <= 1:  # type: ignore[operator]
        msg = f"{v.where(instance, attribute)} must be a number from 0 to 1, got {value!r}"
        wrong = isinstance(value, bool) or not isinstance(value, int | float)
        raise (WrongType if wrong else ValidationError)(
            msg, path=v.pointer(attribute.name), value=value, expected="a number from 0 to 1"
        )


def optional_share(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a number from 0 to 1, or ``None``."""
    if value is not None:
        share(instance, attribute, value)


def optional_rating(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a mean sales rating from 1 to 5, or ``None``."""
    if value is not None and (not v.is_finite(value) or not 1 <= value <= 5):  # type: ignore[operator]
        msg = f"{v.where(instance, attribute)} must be a number from 1 to 5 or None, got {value!r}"
        wrong = isinstance(value, bool) or not isinstance(value, int | float)
        raise (WrongType if wrong else ValidationError)(
            msg, path=v.pointer(attribute.name), value=value
        )


def positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite number above 0."""
    v.finite(instance, attribute, value)
    if not value > 0:  # type: ignore[operator]
        msg = f"{v.where(instance, attribute)} must be a finite number above 0, got {value!r}"
        raise ValidationError(
            msg, path=v.pointer(attribute.name), value=value, expected="a finite number above 0"
        )


def points(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite number of points of at most :data:`MAX_POINTS` either way."""
    v.finite(instance, attribute, value)
    if abs(value) > MAX_POINTS:  # type: ignore[arg-type]
        expected = f"a number from -{MAX_POINTS:,} to {MAX_POINTS:,}"
        msg = f"{v.where(instance, attribute)} must be {expected}, got {value!r}"
        raise ValidationError(msg, path=v.pointer(attribute.name), value=value, expected=expected)


def counted_codes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``(code, count)`` pairs: a non-empty text and a whole count of at least 1."""
    if not isinstance(value, tuple):
        msg = f"{v.where(instance, attribute)} must be a sequence of (code, count) pairs, got {value!r}"
        raise WrongType(msg, path=v.pointer(attribute.name), value=value)
    for index, item in enumerate(value):
        if not (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and item[0].strip()
            and isinstance(item[1], int)
            and not isinstance(item[1], bool)
            and item[1] >= 1
        ):
            expected = "a (code, count) pair: a non-empty text and a whole number >= 1"
            msg = f"{v.where(instance, attribute)}[{index}] must be {expected}, got {item!r}"
            raise ValidationError(
                msg, path=v.pointer(attribute.name, index), value=item, expected=expected
            )


def texts(value: object, name: str, *, item: str = "a non-empty string") -> tuple[str, ...]:
    """``value`` as a tuple of non-blank strings, else an error naming ``name`` (and the position)."""
    items = v.sequence(value, name, "non-empty strings")
    for index, entry in enumerate(items):
        if not isinstance(entry, str):
            msg = f"{name}[{index}] must be {item}, got {entry!r}"
            raise WrongType(msg)
        if not entry.strip():
            msg = f"{name}[{index}] must be {item}, got {entry!r}"
            raise ValidationError(msg)
    return items


def lenient_tuple(value: Any) -> Any:
    """Any iterable but a string or a mapping as a tuple; anything else is left for a validator."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def channel_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Converter of a ``channels`` field (checked by :func:`channel_items`)."""
    return lenient_tuple(value)  # type: ignore[no-any-return]


def kind_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Converter of a ``kinds`` field (checked by :func:`kind_items`): members as their text."""
    items = lenient_tuple(value)
    if not isinstance(items, tuple):
        return items  # type: ignore[no-any-return]
    return tuple(k.value if isinstance(k, TouchpointKind) else k for k in items)


def value_tuple(value: Iterable[AttributeValue]) -> tuple[AttributeValue, ...]:
    """Converter of a ``values`` field (checked by :func:`value_items`)."""
    return lenient_tuple(value)  # type: ignore[no-any-return]


def channel_items(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a sequence of non-empty channel names."""
    texts(value, v.where(instance, attribute))


def kind_items(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a sequence of touchpoint kinds: non-empty text (a :class:`TouchpointKind` or a CRM's own)."""
    texts(value, v.where(instance, attribute), item="a touchpoint kind (non-empty text)")


def _attribute_value(item: object, name: str) -> None:
    if not isinstance(item, str | int | float):  # bool is an int
        msg = f"{name} must be text, a number or a bool, got {item!r}"
        raise WrongType(msg)
    if isinstance(item, float) and not math.isfinite(item):
        msg = f"{name} must be a finite number (no lead attribute equals it), got {item!r}"
        raise ValidationError(msg)


def attribute_value(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a lead attribute value: text, a bool or a finite number."""
    _attribute_value(value, v.where(instance, attribute))


def value_items(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a sequence of lead attribute values."""
    name = v.where(instance, attribute)
    for index, item in enumerate(v.sequence(value, name, "text, numbers or bools")):
        _attribute_value(item, f"{name}[{index}]")


def optional_window(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a positive ``timedelta`` or ``None``."""
    if value is not None:
        v.require_positive_duration(value, v.where(instance, attribute))


def number_text(value: object) -> str:
    """A bound as rule ids and descriptions write it (``1000``, ``99.5``); ``str`` for non-numbers."""
    return f"{value:g}" if v.is_finite(value) else str(value)


def category(value: object) -> str:
    """What a lead attribute value is, as the rules compare it: text, a number or a bool."""
    if value.__class__ is bool:
        return "bool"
    if value.__class__ is int or value.__class__ is float:
        return "number"
    return "text"


_EXPECTED = {"text": "text", "number": "a number", "bool": "true/false"}


def expected_of(values: tuple[AttributeValue, ...]) -> str:
    """What a rule over ``values`` can read, in words (``text or a number``)."""
    found = sorted({category(x) for x in values}, key=list(_EXPECTED).index)
    return " or ".join(_EXPECTED[c] for c in found)


def not_evaluated(
    name: str, categories: frozenset[str], expected: str, attributes: Mapping[str, AttributeValue]
) -> str | None:
    """Why a fit rule over attribute ``name`` cannot judge ``attributes``, or ``None`` if it can.

    ``"missing"`` when the lead has no such attribute, ``"expected a number, got '400'"``
    when the value is of a kind the rule never compares with (text given to a range, a
    number given to a rule over text).
    """
    x = attributes.get(name, _MISSING)
    if x is _MISSING:
        return "missing"
    if category(x) not in categories:
        return f"expected {expected}, got {v.shown(x)}"
    return None


def fit_matcher(
    name: str, values: tuple[AttributeValue, ...]
) -> Callable[[Mapping[str, AttributeValue]], bool | None]:
    """Whether attribute ``name`` is one of ``values``; ``None`` when it cannot be judged.

    ``None`` means the attribute is missing or of a kind none of the values is (text
    where the values are numbers, say): the rule was not evaluated, which the scoring
    model records rather than counting it as a miss. A bool never equals a number.
    Text-only values compare with one dictionary look-up; values with numbers or bools
    compare as ``(is a bool, value)`` pairs, so ``True`` never equals ``1``.
    """
    missing: object = _MISSING
    if all(isinstance(x, str) for x in values):
        keys = frozenset(values)

        def in_text(a: Mapping[str, AttributeValue]) -> bool | None:
            x = a.get(name, missing)
            if x.__class__ is not str:
                return None  # missing, or not text: not evaluated
            return x in keys

        return in_text
    tagged = frozenset((isinstance(x, bool), x) for x in values)
    categories = frozenset(category(x) for x in values)

    def in_tagged(a: Mapping[str, AttributeValue]) -> bool | None:
        x = a.get(name, missing)
        if x is missing or category(x) not in categories:
            return None
        return (x.__class__ is bool, x) in tagged

    return in_tagged
