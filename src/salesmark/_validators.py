"""The one validation toolkit of salesmark (private).

Two kinds of checks, built from the same rules so that a field and an argument are
judged alike:

* **attrs validators and converters** for the fields of domain objects
  (``attrs.field(validator=v.instance_of(Period))``); their messages name
  ``Class.field``;
* **argument checks** for the functions (``v.require(period, Period, "funnel_counts
  period")``); their messages name the argument.

Every message names the field or argument, the value received and what was expected.
A value of the wrong type raises :class:`~salesmark.errors.WrongType` (also a
``TypeError``); a value of the right type out of range raises
:class:`~salesmark.errors.ValidationError`.
"""

from __future__ import annotations

import contextlib
import enum
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from dateutil.rrule import rrule, rrulestr

from salesmark._frozen import FrozenMap
from salesmark._time import require_aware
from salesmark.errors import FieldError, SalesmarkError, ValidationError, WrongType

T = TypeVar("T")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
"""An attrs validator: ``(instance, attribute, value) -> None``, raising on a bad value."""


def where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """Name a field as ``Class.field`` for error messages."""
    return f"{type(instance).__name__}.{attribute.name}"


def _kind(cls: type[Any] | tuple[type[Any], ...]) -> str:
    """``cls`` named with its article: ``a Period``, ``an Organisation``, ``a Money or None``."""
    names = [c.__name__ for c in cls] if isinstance(cls, tuple) else [cls.__name__]
    first = names[0]
    article = "an" if first[0].upper() in "AEIOU" else "a"
    return f"{article} {' or '.join(names)}"


# -- argument checks ----------------------------------------------------------------------


def require(value: object, cls: type[T], name: str) -> T:
    """``value`` if it is a ``cls``, else :class:`WrongType` naming ``name``.

    A bool is never taken for an int.

    Example:
        >>> require("2026-Q1", int, "funnel_counts period")
        Traceback (most recent call last):
        ...
        salesmark.errors.WrongType: funnel_counts period must be an int, got '2026-Q1'
    """
    if not isinstance(value, cls) or (isinstance(value, bool) and cls is int):
        msg = f"{name} must be {_kind(cls)}, got {value!r}"
        raise WrongType(msg)
    return value


def require_optional(value: object, cls: type[T], name: str) -> T | None:
    """``value`` if it is ``None`` or a ``cls`` (a bool never an int), else :class:`WrongType`."""
    if value is None:
        return None
    if not isinstance(value, cls) or (isinstance(value, bool) and cls is int):
        msg = f"{name} must be {_kind(cls)} or None, got {value!r}"
        raise WrongType(msg)
    return value


def require_whole(value: object, name: str, *, minimum: int = 0) -> int:
    """``value`` if it is a whole number (not a bool) of at least ``minimum``.

    Example:
        >>> require_whole(-1, "top")
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: top must be a whole number >= 0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be a whole number >= {minimum}, got {value!r}"
        raise WrongType(msg)
    if value < minimum:
        msg = f"{name} must be a whole number >= {minimum}, got {value!r}"
        raise ValidationError(msg)
    return value


def require_positive_duration(value: object, name: str) -> timedelta:
    """``value`` if it is a ``timedelta`` longer than zero.

    Example:
        >>> require_positive_duration(timedelta(0), "half_life")
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: half_life must be a positive timedelta, got datetime.timedelta(0)
    """
    if not isinstance(value, timedelta):
        msg = f"{name} must be a positive timedelta, got {value!r}"
        raise WrongType(msg)
    if value <= timedelta(0):
        msg = f"{name} must be a positive timedelta, got {value!r}"
        raise ValidationError(msg)
    return value


def is_finite(value: object) -> bool:
    """Whether ``value`` is an int or float (not a bool) and finite (as a float, too).

    Example:
        >>> is_finite(1.5), is_finite(float("nan")), is_finite(True), is_finite(10**400)
        (True, False, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def require_finite(value: object, name: str) -> float:
    """``value`` as a float if it is a finite real number (int or float, not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{name} must be a finite number, got {value!r}"
        raise WrongType(msg)
    if not is_finite(value):
        msg = f"{name} must be a finite number, got {value!r}"
        raise ValidationError(msg)
    return float(value)


def sequence(value: Any, name: str, expected: str) -> tuple[Any, ...]:
    """``value`` as a tuple, refusing a lone string, a mapping or a non-iterable.

    ``name`` says where the value was given (``Class.field`` or ``function argument``)
    and ``expected`` what its items should be, for the message.

    Example:
        >>> sequence("webinar", "Rule.kinds", "touchpoint kinds")
        Traceback (most recent call last):
        ...
        salesmark.errors.WrongType: Rule.kinds must be a sequence of touchpoint kinds, got the string 'webinar'
    """
    if isinstance(value, str | bytes):
        msg = f"{name} must be a sequence of {expected}, got the string {value!r}"
        raise WrongType(msg)
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        msg = f"{name} must be a sequence of {expected}, got {value!r}"
        raise WrongType(msg)
    return tuple(value)


def rrule_body(value: object, name: str, dtstart: datetime) -> rrule:
    """Parse ``value`` as one RFC 5545 ``RRULE`` body (no ``DTSTART``) starting at ``dtstart``.

    Example:
        >>> rule = rrule_body("FREQ=WEEKLY;BYDAY=TU", "MeetingCadence.rule", datetime(2026, 1, 6))
        >>> rule.after(datetime(2026, 1, 7)).date().isoformat()
        '2026-01-13'
        >>> rrule_body("DTSTART:20260101", "MeetingCadence.rule", datetime(2026, 1, 6))
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: MeetingCadence.rule must be an RRULE body without DTSTART, got 'DTSTART:20260101'
    """
    if not isinstance(value, str):
        msg = f"{name} must be an RRULE body without DTSTART, got {value!r}"
        raise WrongType(msg)
    if "DTSTART" in value.upper():
        msg = f"{name} must be an RRULE body without DTSTART, got {value!r}"
        raise ValidationError(msg)
    try:
        parsed = rrulestr(value, dtstart=dtstart)
    except (ValueError, TypeError) as exc:
        msg = f"{name} is not a valid RRULE: {value!r} ({exc})"
        raise ValidationError(msg) from None
    if not isinstance(parsed, rrule):
        msg = f"{name} must be a single RRULE, got {value!r}"
        raise ValidationError(msg)
    return parsed


def argument_items(value: object, name: str, cls: type[T]) -> tuple[T, ...]:
    """The items of a function argument ``name``, each required to be a ``cls``.

    A lone string, a mapping or something not iterable is refused, as is any item of
    another type; the message names the argument (and the item's position).

    Example:
        >>> argument_items("abc", "leads", int)
        Traceback (most recent call last):
        ...
        salesmark.errors.WrongType: leads must be an iterable of int, got 'abc'
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        msg = f"{name} must be an iterable of {cls.__name__}, got {value!r}"
        raise WrongType(msg)
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, cls):
            msg = f"{name}[{index}] must be {_kind(cls)}, got {item!r}"
            raise WrongType(msg)
    return items


# -- attrs validators -----------------------------------------------------------------------
#
# Each validator raises with ``path`` set to its field's JSON Pointer (``/history`` or
# ``/history/2`` for an item), so that an error raised while building an object says
# which field it is about; :func:`salesmark.serialization.structure` puts that path
# under the object's own. Validators whose rule JSON Schema can state also record it
# (see :func:`constraints`), so that ``salesmark.json_schema`` states it too.

_CONSTRAINTS: dict[Any, dict[str, Any]] = {}


def _states(validator: T, **schema: Any) -> T:
    """Record the JSON Schema keywords ``validator`` enforces (for :func:`constraints`)."""
    _CONSTRAINTS[validator] = schema
    return validator


def constraints(validator: object) -> dict[str, Any]:
    """The JSON Schema keywords an attrs validator enforces on a field's value, if known.

    Validators made here state theirs; ``attrs.validators.and_`` and ``optional``
    combinations are looked through. Anything else states nothing (``{}``).

    Example:
        >>> constraints(whole(1)), "pattern" in constraints(non_empty_text)
        ({'minimum': 1}, True)
    """
    found: dict[str, Any] = {}
    inner = getattr(validator, "_validators", None)  # attrs' and_()
    if isinstance(inner, tuple):
        for part in inner:
            found.update(constraints(part))
        return found
    wrapped = getattr(validator, "validator", None)  # attrs' optional()
    if wrapped is not None:
        found.update(constraints(wrapped))
    with contextlib.suppress(TypeError):  # an unhashable validator states nothing
        found.update(_CONSTRAINTS.get(validator, {}))
    return found


def pointer(*parts: object) -> str:
    """A JSON Pointer (RFC 6901) from its parts: ``pointer("attributes", "a/b")`` is ``/attributes/a~1b``.

    Example:
        >>> pointer("touchpoints", 0, "kind"), pointer()
        ('/touchpoints/0/kind', '')
    """
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _at(exc: SalesmarkError, *parts: object) -> SalesmarkError:
    """``exc`` with its path set to ``parts`` (kept if it already has a deeper one)."""
    if exc.path is None:
        exc.path = pointer(*parts)
    return exc


def instance_of(cls: type[Any] | tuple[type[Any], ...]) -> Validator:
    """A validator requiring an instance of ``cls``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, cls):
            msg = f"{where(instance, attribute)} must be {_kind(cls)}, got {value!r}"
            raise WrongType(msg, path=pointer(attribute.name), value=value, expected=_kind(cls))

    return check


def optional_instance_of(cls: type[Any] | tuple[type[Any], ...]) -> Validator:
    """A validator requiring an instance of ``cls`` or ``None``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, cls):
            msg = f"{where(instance, attribute)} must be {_kind(cls)} or None, got {value!r}"
            raise WrongType(
                msg, path=pointer(attribute.name), value=value, expected=f"{_kind(cls)} or None"
            )

    return check


def items_of(cls: type[Any]) -> Validator:
    """A validator requiring every item of a tuple to be a ``cls``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                msg = f"{where(instance, attribute)}[{index}] must be {_kind(cls)}, got {item!r}"
                raise WrongType(
                    msg, path=pointer(attribute.name, index), value=item, expected=_kind(cls)
                )

    return check


def whole(minimum: int = 0) -> Validator:
    """A validator requiring a whole number (not a bool) of at least ``minimum``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        try:
            require_whole(value, where(instance, attribute), minimum=minimum)
        except SalesmarkError as exc:
            raise _at(exc, attribute.name) from None

    return _states(check, minimum=minimum)


def member_of(enum_cls: type[enum.Enum]) -> Validator:
    """A validator requiring a member of ``enum_cls``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, enum_cls):
            allowed = ", ".join(f"{enum_cls.__name__}.{m.name}" for m in enum_cls)
            msg = f"{where(instance, attribute)} must be one of {allowed}, got {value!r}"
            raise WrongType(
                msg, path=pointer(attribute.name), value=value, expected=f"one of {allowed}"
            )

    return check


def members_of(enum_cls: type[enum.Enum]) -> Validator:
    """A validator requiring a tuple of members of ``enum_cls``."""
    one = member_of(enum_cls)

    def check(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        index = 0
        try:
            for index, item in enumerate(value):  # noqa: B007 (the failing index is reported)
                one(instance, attribute, item)
        except SalesmarkError as exc:
            exc.path = pointer(attribute.name, index)
            raise

    return check


def aware(instance: object, attribute: attrs.Attribute[Any], value: datetime) -> None:
    """Require a timezone-aware datetime."""
    try:
        require_aware(value, where(instance, attribute))
    except SalesmarkError as exc:
        raise _at(exc, attribute.name) from None


def optional_aware(
    instance: object, attribute: attrs.Attribute[Any], value: datetime | None
) -> None:
    """Require a timezone-aware datetime or ``None``."""
    if value is not None:
        aware(instance, attribute, value)


def non_empty_text(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Require a non-blank string."""
    if not isinstance(value, str):
        msg = f"{where(instance, attribute)} must be a non-empty string, got {value!r}"
        raise WrongType(
            msg, path=pointer(attribute.name), value=value, expected="a non-empty string"
        )
    if not value.strip():
        msg = f"{where(instance, attribute)} must be a non-empty string, got {value!r}"
        raise ValidationError(
            msg, path=pointer(attribute.name), value=value, expected="a non-empty string"
        )


_states(non_empty_text, pattern=r"\S")


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Require a non-blank string or ``None``."""
    if value is not None:
        non_empty_text(instance, attribute, value)


_states(optional_text, pattern=r"\S")


def positive_duration(instance: object, attribute: attrs.Attribute[Any], value: timedelta) -> None:
    """Require a ``timedelta`` greater than zero."""
    try:
        require_positive_duration(value, where(instance, attribute))
    except SalesmarkError as exc:
        raise _at(exc, attribute.name) from None


def non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    """Require an ``int`` (not a bool) that is zero or more."""
    try:
        require_whole(value, where(instance, attribute))
    except SalesmarkError as exc:
        raise _at(exc, attribute.name) from None


_states(non_negative_int, minimum=0)


def finite(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite int or float (bools refused)."""
    try:
        require_finite(value, where(instance, attribute))
    except SalesmarkError as exc:
        raise _at(exc, attribute.name) from None


def optional_finite(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite int or float, or ``None``."""
    if value is not None and not is_finite(value):
        msg = f"{where(instance, attribute)} must be a finite number or None, got {value!r}"
        raise ValidationError(
            msg, path=pointer(attribute.name), value=value, expected="a finite number or None"
        )


def optional_positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a finite int or float above 0, or ``None``."""
    if value is not None and not (is_finite(value) and value > 0):  # type: ignore[operator]
        msg = f"{where(instance, attribute)} must be a finite number above 0 or None, got {value!r}"
        number = isinstance(value, int | float) and not isinstance(value, bool)
        raise (ValidationError if number else WrongType)(
            msg,
            path=pointer(attribute.name),
            value=value,
            expected="a finite number above 0 or None",
        )


_states(optional_positive, exclusiveMinimum=0)


def fraction(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """Require a Decimal between 0 and 1 inclusive."""
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        msg = f"{where(instance, attribute)} must be a Decimal between 0 and 1, got {value!r}"
        raise ValidationError(
            msg, path=pointer(attribute.name), value=value, expected="a Decimal between 0 and 1"
        )


# -- converters -----------------------------------------------------------------------------


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable (but not a lone string or a mapping) to a tuple."""
    if isinstance(value, str | bytes):
        msg = f"expected a sequence of items, got the string {value!r}"
        raise WrongType(msg)
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        msg = f"expected a sequence of items, got {value!r}"
        raise WrongType(msg)
    return tuple(value)


def _field_tuple(
    value: Iterable[Any], instance: object, attribute: attrs.Attribute[Any]
) -> tuple[Any, ...]:
    """:func:`to_tuple` for the field ``attribute`` of ``instance``, its error naming both and the path.

    Example:
        >>> @attrs.frozen
        ... class Tags:
        ...     names: tuple[str, ...] = attrs.field(converter=tuple_field)
        >>> Tags(["a", "b"]).names
        ('a', 'b')
        >>> Tags(5)
        Traceback (most recent call last):
        ...
        salesmark.errors.WrongType: Tags.names must be a sequence of items, got 5
    """
    try:
        return to_tuple(value)
    except WrongType:
        got = f"the string {value!r}" if isinstance(value, str | bytes) else shown(value)
        msg = f"{where(instance, attribute)} must be a sequence of items, got {got}"
        raise WrongType(
            msg, path=pointer(attribute.name), value=value, expected="a sequence of items"
        ) from None


def on_field(convert: Callable[[Any], T]) -> Any:
    """An attrs converter running ``convert``; its error is re-raised naming the field and its path.

    attrs hands the converter the instance and the field, so an error ``convert`` raises
    without a path (it is not told where the value goes) comes out as the field's, as a
    validator's would. Give mypy a function of the same types under ``TYPE_CHECKING``
    (its attrs plugin reads named functions only), as :data:`tuple_field` does.

    Example:
        >>> @attrs.frozen
        ... class Price:
        ...     amount: Decimal = attrs.field(converter=on_field(to_decimal))
        >>> Price("1.50").amount
        Decimal('1.50')
        >>> Price([1])
        Traceback (most recent call last):
        ...
        salesmark.errors.WrongType: Price.amount: expected a Decimal, int or numeric string, got [1]
    """

    def run(value: Any, instance: object, attribute: attrs.Attribute[Any]) -> T:
        return converted_as(where(instance, attribute), convert, value)

    return attrs.Converter(run, takes_self=True, takes_field=True)


def converted_as(field: str, convert: Callable[[Any], T], value: Any) -> T:
    """``convert(value)``, an error it raises without a path re-raised as the field ``field``'s (``Class.field``).

    Example:
        >>> converted_as("Price.amount", to_decimal, [1])
        Traceback (most recent call last):
        ...
        salesmark.errors.WrongType: Price.amount: expected a Decimal, int or numeric string, got [1]
    """
    try:
        return convert(value)
    except SalesmarkError as exc:
        if exc.path is not None:
            raise
        text = str(exc)
        msg = text if text.startswith(field) else f"{field}: {text}"
        raise type(exc)(msg, path=pointer(field.rpartition(".")[2]), value=value) from None


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Convert an int, str or Decimal to Decimal; refuse floats, which are inexact."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool | float):
        msg = (
            f"expected a Decimal, int or numeric string, got {type(value).__name__} "
            f"{value!r}; floats are refused because they are inexact"
        )
        raise WrongType(msg)
    if not isinstance(value, int | str):
        msg = f"expected a Decimal, int or numeric string, got {shown(value)}"
        raise WrongType(msg)
    try:
        return Decimal(value)
    except (ArithmeticError, TypeError, ValueError):
        msg = f"expected a Decimal, int or numeric string, got {value!r}"
        raise ValidationError(msg) from None


# The attrs converter of a tuple field: attrs hands it the instance and the field, so a
# value that is no sequence is refused naming the field and its path. The attrs plugin of
# mypy reads a named function's types, not a Converter's, hence the stand-in it is shown.
if TYPE_CHECKING:

    def tuple_field(value: Iterable[Any]) -> tuple[Any, ...]:
        """Any iterable but a lone string or a mapping, as a tuple."""

    def decimal_field(value: Decimal | int | str) -> Decimal:
        """:func:`to_decimal`, as the converter of a field."""

    def optional_decimal_field(value: Decimal | int | str | None) -> Decimal | None:
        """:func:`to_decimal` or ``None``, as the converter of a field."""

else:
    tuple_field = attrs.Converter(_field_tuple, takes_self=True, takes_field=True)
    decimal_field = on_field(to_decimal)
    optional_decimal_field = on_field(attrs.converters.optional(to_decimal))


def freeze_mapping(value: Mapping[str, T]) -> Mapping[str, T]:
    """Copy a mapping into a read-only, picklable :class:`FrozenMap`, keys sorted."""
    if not isinstance(value, Mapping):
        msg = f"expected a mapping, got {value!r}"
        raise WrongType(msg)
    return FrozenMap(value)


def shown(value: object) -> str:
    """``value``'s ``repr`` cut to 80 characters (bounded in time, whatever the value).

    Example:
        >>> shown(10**5000)
        '<an integer of about 5001 digits>'
    """
    return FieldError.shown(value)
