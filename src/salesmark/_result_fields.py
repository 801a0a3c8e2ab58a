"""Checks for the fields of result types (private), built on the validation toolkit.

A result is computed by salesmark but can also be built directly or read from data
(``structure``); either way its fields are checked here, with messages that name
``Class.field``, the value and what was expected, and errors whose ``path`` is the
field's JSON Pointer. The toolkit (:mod:`salesmark._validators`) has checks for whole
numbers, text and aware datetimes; this module adds what results need beside them:
exact numbers (Decimal, Fraction) with a range, shares from 0 to 1, durations that may
be zero, tuples of a class, and a part that is at most its whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any, TypeVar

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError, WrongType

T = TypeVar("T")


def _refuse(
    kind: type[ValidationError],
    instance: object,
    attribute: attrs.Attribute[Any],
    value: object,
    expected: str,
) -> ValidationError:
    msg = f"{v.where(instance, attribute)} must be {expected}, got {v.shown(value)}"
    return kind(msg, path=v.pointer(attribute.name), value=value, expected=expected)


def _range(minimum: object, maximum: object) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" >= {minimum}"
    return "" if maximum is None else f" <= {maximum}"


def exact(
    cls: type[Decimal] | type[Fraction],
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    optional: bool = False,
) -> v.Validator:
    """A validator requiring a finite ``cls`` (Decimal or Fraction) within the bounds given.

    A value of another type (an int, a float) is a :class:`~salesmark.errors.WrongType`:
    results keep their exact numbers exact. With ``optional``, ``None`` is accepted too.

    Example:
        >>> @attrs.frozen
        ... class Rate:
        ...     value: Decimal = attrs.field(validator=exact(Decimal, minimum=0, maximum=1))
        >>> Rate(Decimal("1.5"))
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: Rate.value must be a Decimal from 0 to 1, got Decimal('1.5')
    """
    expected = f"a {cls.__name__}{_range(minimum, maximum)}" + (" or None" if optional else "")

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, cls):
            raise _refuse(WrongType, instance, attribute, value, expected)
        if isinstance(value, Decimal) and not value.is_finite():
            raise _refuse(ValidationError, instance, attribute, value, expected)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise _refuse(ValidationError, instance, attribute, value, expected)

    return check


def number(
    *, minimum: float | None = None, maximum: float | None = None, optional: bool = False
) -> v.Validator:
    """A validator requiring a finite int or float (not a bool) within the bounds given.

    Example:
        >>> @attrs.frozen
        ... class Auc:
        ...     value: float = attrs.field(validator=number(minimum=0, maximum=1))
        >>> Auc(float("nan"))
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: Auc.value must be a finite number from 0 to 1, got nan
    """
    expected = f"a finite number{_range(minimum, maximum)}" + (" or None" if optional else "")

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _refuse(WrongType, instance, attribute, value, expected)
        if not v.is_finite(value):
            raise _refuse(ValidationError, instance, attribute, value, expected)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise _refuse(ValidationError, instance, attribute, value, expected)

    # json_schema states the range too (a JSON number's bounds)
    bounds = {"minimum": minimum, "maximum": maximum}
    return v._states(check, **{k: b for k, b in bounds.items() if b is not None})


def optional_whole(minimum: int = 0) -> v.Validator:
    """A validator requiring a whole number of at least ``minimum``, or ``None``."""
    whole = v.whole(minimum)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            whole(instance, attribute, value)

    return v._states(check, minimum=minimum)


def duration(*, optional: bool = False, positive: bool = False) -> v.Validator:
    """A validator requiring a ``timedelta`` of zero or more (above zero with ``positive``).

    With ``optional``, ``None`` is accepted too.
    """
    expected = ("a timedelta > 0" if positive else "a timedelta >= 0") + (
        " or None" if optional else ""
    )

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, timedelta):
            raise _refuse(WrongType, instance, attribute, value, expected)
        if value < timedelta(0) or (positive and not value):
            raise _refuse(ValidationError, instance, attribute, value, expected)

    return check


def lenient_tuple(value: Any) -> Any:
    """Any iterable but a string or a mapping as a tuple; anything else is left for a validator."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def tuple_of(cls: type[Any] | tuple[type[Any], ...]) -> v.Validator:
    """A validator requiring a tuple whose every item is a ``cls`` (use with :func:`lenient_tuple`).

    Example:
        >>> @attrs.frozen
        ... class Ids:
        ...     ids: tuple[str, ...] = attrs.field(converter=lenient_tuple, validator=tuple_of(str))
        >>> Ids(["a", "b"]).ids
        ('a', 'b')
        >>> Ids("ab")
        Traceback (most recent call last):
        ...
        salesmark.errors.WrongType: Ids.ids must be a sequence of str, got 'ab'
    """
    names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
    items = v.items_of(cls)  # type: ignore[arg-type]

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise _refuse(WrongType, instance, attribute, value, f"a sequence of {names}")
        items(instance, attribute, value)

    return check


def counts(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a tuple of whole numbers >= 0 (use with :func:`lenient_tuple`)."""
    expected = "a sequence of whole numbers >= 0"
    if not isinstance(value, tuple):
        raise _refuse(WrongType, instance, attribute, value, expected)
    for index, count in enumerate(value):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            kind = (
                ValidationError
                if isinstance(count, int) and not isinstance(count, bool)
                else WrongType
            )
            msg = f"{v.where(instance, attribute)}[{index}] must be a whole number >= 0, got {v.shown(count)}"
            raise kind(msg, path=v.pointer(attribute.name, index), value=count, expected=">= 0")


def aware_tuple(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a tuple of timezone-aware datetimes (use with :func:`lenient_tuple`)."""
    if not isinstance(value, tuple):
        raise _refuse(WrongType, instance, attribute, value, "a sequence of aware datetimes")
    index = 0
    try:
        for index, moment in enumerate(value):  # noqa: B007 (the failing index is named)
            v.aware(instance, attribute, moment)
    except ValidationError as exc:
        exc.path = v.pointer(attribute.name, index)
        raise


def one_of(*choices: str) -> v.Validator:
    """A validator requiring one of the texts ``choices`` (a result's ``basis``, say)."""
    expected = "one of " + ", ".join(repr(c) for c in choices)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise _refuse(WrongType, instance, attribute, value, expected)
        if value not in choices:
            raise _refuse(ValidationError, instance, attribute, value, expected)

    return check


def pairs_of(first: type[Any], second: type[Any] | tuple[type[Any], ...]) -> v.Validator:
    """A validator requiring a tuple of ``(first, second)`` pairs (use with :func:`lenient_tuple`)."""
    seconds = second if isinstance(second, tuple) else (second,)
    expected = f"a ({first.__name__}, {' or '.join(c.__name__ for c in seconds)}) pair"

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise _refuse(WrongType, instance, attribute, value, f"a sequence of {expected}s")
        for index, item in enumerate(value):
            fits = (
                isinstance(item, tuple)
                and len(item) == 2
                and isinstance(item[0], first)
                and isinstance(item[1], second)
                and not (isinstance(item[1], bool) and bool not in seconds)
            )
            if not fits:
                msg = f"{v.where(instance, attribute)}[{index}] must be {expected}, got {v.shown(item)}"
                raise WrongType(
                    msg, path=v.pointer(attribute.name, index), value=item, expected=expected
                )

    return check


def at_most(instance: object, *pairs: tuple[str, str]) -> None:
    """Require each part to be at most its whole: ``converted <= leads``, say.

    A ``None`` on either side is not compared. For an ``__attrs_post_init__``.

    Example:
        >>> @attrs.frozen
        ... class Tally:
        ...     leads: int
        ...     converted: int
        ...     def __attrs_post_init__(self) -> None:
        ...         at_most(self, ("converted", "leads"))
        >>> Tally(leads=3, converted=4)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: Tally.converted must be at most Tally.leads (3), got 4
    """
    name = type(instance).__name__
    for part, whole in pairs:
        low, high = getattr(instance, part), getattr(instance, whole)
        if low is not None and high is not None and low > high:
            expected = f"at most {name}.{whole} ({high!r})"
            msg = f"{name}.{part} must be {expected}, got {low!r}"
            raise ValidationError(msg, path=v.pointer(part), value=low, expected=expected)


def ordered(instance: object, *names: str) -> None:
    """Require the fields ``names`` to be in order, lowest first (``None`` not compared).

    For bounds of an interval, ``low <= rate <= high``, in an ``__attrs_post_init__``.
    """
    given = [(n, getattr(instance, n)) for n in names if getattr(instance, n) is not None]
    for (low_name, low), (high_name, high) in pairwise(given):
        if low > high:
            at_most(instance, (low_name, high_name))


def equal(instance: object, field: str, expected: object, rule: str) -> None:
    """Require field ``field`` to equal ``expected`` (what ``rule``, in words, gives).

    Example:
        >>> @attrs.frozen
        ... class Pair:
        ...     won: int
        ...     lost: int
        ...     total: int
        ...     def __attrs_post_init__(self) -> None:
        ...         equal(self, "total", self.won + self.lost, "won + lost")
        >>> Pair(won=1, lost=2, total=4)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: Pair.total must be won + lost (3), got 4
    """
    value = getattr(instance, field)
    if value != expected:
        where = f"{type(instance).__name__}.{field}"
        msg = f"{where} must be {rule} ({expected!r}), got {value!r}"
        raise ValidationError(msg, path=v.pointer(field), value=value, expected=f"{rule}")
