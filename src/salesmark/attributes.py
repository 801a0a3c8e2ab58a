"""Attribute schemas: what type each lead attribute is, so text from a CSV becomes a number.

Every CSV file and most CRM exports give a lead's attributes as text: ``"400"`` employees
is text, and a scoring rule over a range of numbers cannot judge it (it records the rule
as *not evaluated*). An :class:`AttributeSchema` declares the type of each attribute that
matters and parses the values explicitly, by documented rules, so ``"400"`` becomes
``400`` where the caller says so and nowhere else. Attributes the schema does not name
are kept as they are.

The rules, per :class:`AttributeType`:

* ``number``: an int or float stays; text is read after trimming spaces: the text of a
  whole number (``"400"``, ``"-3"``) becomes an ``int``, a decimal (``"12.5"``,
  ``"1e3"``) a finite ``float``; no thousands separators (``"1,000"`` means a thousand
  in one locale and one in another, so it is refused).
* ``integer``: as ``number``, but the value must be whole (``"400"``, ``400.0``).
* ``text``: text stays; a whole number becomes its decimal text (``1234`` -> ``"1234"``).
* ``bool``: a bool stays; ``"true"``/``"false"``, ``"yes"``/``"no"``, ``"1"``/``"0"``
  (any case) and the integers 1 and 0 are read as a bool.

Blank text (``""``, ``"  "``) is a missing value in every type: the attribute is dropped,
so a rule over it says "missing" rather than "expected a number, got ''". A value that
cannot be read is an error naming the attribute's path (``/attributes/employees``), the
value and the type expected: never a value silently dropped or guessed.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.errors import ValidationError, WrongType
from salesmark.leads import ATTRIBUTE_INT_BOUND, AttributeValue, Lead

__all__ = ["AttributeSchema", "AttributeType"]

_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")
_DECIMAL = re.compile(
    r"[+-]?(?:[0-9]{1,300}(?:\.[0-9]{0,300})?|\.[0-9]{1,300})(?:[eE][+-]?[0-9]{1,3})?"
)
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


class AttributeType(str, enum.Enum):
    """The type an attribute's values are read as (see the module's rules).

    Example:
        >>> AttributeType("number") is AttributeType.NUMBER
        True
    """

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    BOOL = "bool"


def _types(value: Any) -> Mapping[str, AttributeType]:
    if not isinstance(value, Mapping):
        msg = f"AttributeSchema.types must be a mapping of attribute name to type, got {v.shown(value)}"
        raise WrongType(msg, path="/types")
    out: dict[str, AttributeType] = {}
    allowed = [t.value for t in AttributeType]
    for name, kind in value.items():
        if not isinstance(name, str) or not name.strip():
            msg = (
                f"AttributeSchema.types keys must be non-empty attribute names, got {v.shown(name)}"
            )
            raise WrongType(msg, path="/types")
        try:
            out[name] = AttributeType(kind)
        except ValueError:
            msg = f"AttributeSchema.types[{name!r}] must be one of {allowed}, got {v.shown(kind)}"
            raise ValidationError(msg, path=f"/types{v.pointer(name)}") from None
    return FrozenMap(out)


@attrs.frozen(kw_only=True)
class AttributeSchema:
    """The declared type of each lead attribute that matters, and how text is read as it.

    Attributes:
        types: Attribute name -> :class:`AttributeType` (or its value, ``"number"``).

    Raises:
        ValidationError: If a type is not one of ``text``, ``number``, ``integer``, ``bool``.
        WrongType: If ``types`` is not a mapping of non-empty names.

    Example:
        >>> schema = AttributeSchema(types={"employees": "integer", "industry": "text"})
        >>> dict(schema.parse({"employees": " 400 ", "industry": "saas", "note": "x"}))
        {'employees': 400, 'industry': 'saas', 'note': 'x'}
    """

    types: Mapping[str, AttributeType] = attrs.field(converter=_types)

    def parse(
        self, attributes: Mapping[str, object], *, path: str = "/attributes"
    ) -> Mapping[str, AttributeValue]:
        """``attributes`` with every declared one read as its type; the others kept as they are.

        Args:
            attributes: A lead's attributes, e.g. a CSV row's cells.
            path: The JSON Pointer errors name the attributes by (``/leads/3/attributes``).

        Raises:
            ValidationError: If a declared attribute's text cannot be read as its type,
                naming its path, the value and the type.
            WrongType: If a declared attribute's value is of a kind its type never reads
                (a float for ``text``), or ``attributes`` is not a mapping.

        Example:
            >>> schema = AttributeSchema(types={"employees": "number", "trial": "bool"})
            >>> dict(schema.parse({"employees": "1e3", "trial": "Yes", "phone": ""}))
            {'employees': 1000.0, 'phone': '', 'trial': True}
            >>> schema.parse({"employees": "1,000"})
            Traceback (most recent call last):
            ...
            salesmark.errors.ValidationError: attribute 'employees' must be a number (digits, an optional sign, decimal point and exponent; no thousands separators), got '1,000'
        """
        if not isinstance(attributes, Mapping):
            msg = f"AttributeSchema.parse attributes must be a mapping, got {v.shown(attributes)}"
            raise WrongType(msg, path=path)
        out: dict[str, Any] = {}
        for name, value in attributes.items():
            kind = self.types.get(name) if isinstance(name, str) else None
            if kind is None:
                out[name] = value
                continue
            read = _read(kind, name, value, f"{path}{v.pointer(name)}")
            if read is not None:
                out[name] = read
        return FrozenMap(out)

    def apply(self, leads: Iterable[Lead], *, path: str = "") -> tuple[Lead, ...]:
        """The leads with their attributes read by this schema, in the order given.

        Args:
            leads: The leads (a lead whose attributes need nothing comes back as it is).
            path: The JSON Pointer of the leads in the caller's data, for errors.

        Raises:
            ValidationError: As :meth:`parse`, the path naming the lead's position
                (``/3/attributes/employees``).
            WrongType: If ``leads`` is not an iterable of Lead.

        Example:
            >>> from datetime import datetime, timezone
            >>> lead = Lead.create(id="L1", created_at=datetime(2026, 3, 2, tzinfo=timezone.utc),
            ...                    attributes={"employees": "400"})
            >>> AttributeSchema(types={"employees": "number"}).apply([lead])[0].attributes["employees"]
            400
        """
        items = v.argument_items(leads, "AttributeSchema.apply leads", Lead)
        out = []
        for index, lead in enumerate(items):
            parsed = self.parse(lead.attributes, path=f"{path}/{index}/attributes")
            out.append(lead if parsed == lead.attributes else attrs.evolve(lead, attributes=parsed))
        return tuple(out)


def _read(kind: AttributeType, name: str, value: object, path: str) -> AttributeValue | None:
    """``value`` read as ``kind``; ``None`` for blank text (a missing value)."""
    if isinstance(value, str) and not value.strip():
        return None
    if kind is AttributeType.TEXT:
        return _text(name, value, path)
    if kind is AttributeType.BOOL:
        return _bool(name, value, path)
    number = _number(name, value, path)
    if kind is AttributeType.INTEGER and isinstance(number, float):
        if not number.is_integer():
            msg = f"attribute {name!r} must be a whole number, got {v.shown(value)}"
            raise ValidationError(msg, path=path, value=value, expected="a whole number")
        number = int(number)
    return _bounded(name, number, value, path)


def _text(name: str, value: object, path: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    msg = f"attribute {name!r} must be text (or a whole number, written as text), got {v.shown(value)}"
    raise WrongType(msg, path=path, value=value, expected="text")


def _bool(name: str, value: object, path: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    msg = f"attribute {name!r} must be true/false (true, false, yes, no, 1 or 0), got {v.shown(value)}"
    error = ValidationError if isinstance(value, str | int) else WrongType
    raise error(msg, path=path, value=value, expected="true/false")


def _number(name: str, value: object, path: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        msg = f"attribute {name!r} must be a number, got {v.shown(value)}"
        raise WrongType(msg, path=path, value=value, expected="a number")
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    msg = (
        f"attribute {name!r} must be a number (digits, an optional sign, decimal point and "
        f"exponent; no thousands separators), got {v.shown(value)}"
    )
    raise ValidationError(msg, path=path, value=value, expected="a number")


def _bounded(name: str, number: int | float, value: object, path: str) -> int | float:
    if isinstance(number, float) and not math.isfinite(number):
        msg = f"attribute {name!r} must be a finite number, got {v.shown(value)}"
        raise ValidationError(msg, path=path, value=value, expected="a finite number")
    if isinstance(number, int) and not -ATTRIBUTE_INT_BOUND < number < ATTRIBUTE_INT_BOUND:
        msg = f"attribute {name!r} must be strictly between -2**63 and 2**63, got {v.shown(value)}"
        raise ValidationError(msg, path=path, value=value, expected="a number within ±2**63")
    return number
