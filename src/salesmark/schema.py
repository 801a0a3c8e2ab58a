"""JSON Schema (draft 2020-12) of the wire format: what :func:`~salesmark.structure` accepts.

:func:`json_schema` describes the data of any public type, as
:func:`~salesmark.unstructure` writes it and :func:`~salesmark.structure` reads it, so an
API framework can document and check a request body before salesmark sees it:

* Decimals are strings of digits (an integer is accepted too), datetimes ISO 8601
  strings with a UTC offset and an optional ``[Zone]``, durations ISO 8601 durations,
  dates and times of day ISO 8601 text: each as the exact pattern ``structure`` checks;
* enums are their values, tuples, lists and sets are arrays, mappings are objects;
* a field with a default is optional, unknown fields are refused
  (``additionalProperties: false``), classes are defined once under ``$defs``;
* ``PathCounts`` is its wire shape (a list of rows), a tagged union one branch per
  class with its tag;
* field rules the validators state (a non-blank string, a minimum) are stated too, and
  a lead's numeric attributes are bounded as the lead bounds them.

What a schema cannot say, ``structure`` still checks: rules across fields (a history in
time order and legal for the lifecycle, references between the objects of an
organisation, one currency throughout), calendar validity (no 30 February), ranges of
values written as text (a Decimal between 0 and 1, a duration within 999,999,999 days)
and other checks made by constructors. JSON Schema counts ``1.0`` as an integer, while
``structure`` reads an integer only from a JSON integer; and it cannot tell the integer
``10**30`` from the float ``1e30``, so the ±2**63 bound of a lead's integer attributes is
``structure``'s alone.
"""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Hashable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from types import NoneType, UnionType
from typing import Any, Final, Literal

import attrs
from cattrs.preconf.json import JsonConverter

from salesmark import _validators as v
from salesmark import _wire as w
from salesmark._stage_names import optional_stage_field, stage_field, stage_name
from salesmark.attribution.paths import PathCounts
from salesmark.errors import WrongType
from salesmark.leads import Lead
from salesmark.serialization import SCHEMA_VERSION, _PathCountsData, _union_tags, converter

__all__ = ["DIALECT", "json_schema"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every schema :func:`json_schema` writes."""

_ATTRIBUTE: Final[dict[str, Any]] = {
    "type": ["string", "number", "boolean"],
    "description": "text, a finite number (an integer strictly within ±2**63) or true/false",
}
_FIELDS: Final[dict[tuple[type, str], dict[str, Any]]] = {
    # rules that constructors enforce and JSON Schema can state, merged into the field's own
    (Lead, "attributes"): {"propertyNames": {"minLength": 1}, "additionalProperties": _ATTRIBUTE},
    (Lead, "history"): {"minItems": 1},
}
_CONVERTERS: Final[dict[Any, dict[str, Any]]] = {
    converter: {"minLength": 1} for converter in (stage_name, stage_field, optional_stage_field)
}
_TEXT: Final[dict[Any, dict[str, Any]]] = {
    Decimal: {
        "anyOf": [{"type": "string", "pattern": w.DECIMAL_PATTERN}, {"type": "integer"}],
        "description": "a decimal number written as a string, e.g. '12.50'",
    },
    Fraction: {
        "anyOf": [{"type": "string", "pattern": w.FRACTION_PATTERN}, {"type": "integer"}],
        "description": "an exact fraction written as a string in lowest terms, e.g. '34000/3'",
    },
    datetime: {
        "type": "string",
        "pattern": w.DATETIME_PATTERN,
        "description": "ISO 8601 with a UTC offset and an optional IANA zone, e.g. '2026-03-02T09:00:00+01:00[Europe/Berlin]'",
    },
    date: {"type": "string", "pattern": w.DATE_PATTERN, "description": "e.g. '2026-12-24'"},
    time: {"type": "string", "pattern": w.TIME_PATTERN, "description": "e.g. '09:00:00'"},
    timedelta: {
        "type": "string",
        "pattern": w.DURATION_PATTERN,
        "description": "an ISO 8601 duration of days, hours, minutes and seconds, e.g. 'P1DT2H30M'",
    },
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    NoneType: {"type": "null"},
}


def json_schema(
    cls: Any, *, envelope: bool = False, converter: JsonConverter = converter
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the data of ``cls``, as :func:`~salesmark.structure` reads it.

    Args:
        cls: A public salesmark class or enum, or a generic of them such as ``list[Lead]``.
        envelope: Describe the versioned envelope ``{"schema": "salesmark/1", "type":
            ..., "data": ...}`` around the data instead (the current version only).
        converter: The converter whose tagged unions the schema follows; the default
            :data:`~salesmark.serialization.converter` unless you made your own.

    Returns:
        A JSON-ready dict: ``$schema``, the body, and every class under ``$defs``.

    Raises:
        WrongType: If ``cls`` is not a type the converter reads.

    Example:
        >>> from salesmark import Money
        >>> schema = json_schema(Money)
        >>> schema["$ref"], sorted(schema["$defs"]["Money"]["required"])
        ('#/$defs/Money', ['amount', 'currency'])
        >>> schema["$defs"]["Money"]["additionalProperties"]
        False
    """
    if not isinstance(cls, type) and typing.get_origin(cls) is None:
        msg = f"json_schema cls must be a salesmark type, got {v.shown(cls)}"
        raise WrongType(msg)
    builder = _Builder(converter)
    body = builder.schema(cls)
    if envelope:
        name = _type_name(cls)
        body = {
            "type": "object",
            "properties": {
                "schema": {"const": f"salesmark/{SCHEMA_VERSION}"},
                "type": {"enum": [name, "list"]} if name.startswith("list[") else {"const": name},
                "data": body,
            },
            "required": ["schema", "type", "data"],
            "additionalProperties": False,
        }
    root: dict[str, Any] = {"$schema": DIALECT, "title": _type_name(cls), **body}
    if builder.defs:
        root["$defs"] = dict(sorted(builder.defs.items()))
    return root


def _type_name(cls: Any) -> str:
    args = typing.get_args(cls)
    if w.is_sequence(cls) and args:
        return f"list[{_type_name(args[0])}]"
    return str(getattr(cls, "__name__", "value"))


class _Builder:
    """Builds one schema, defining each class once under ``$defs``."""

    def __init__(self, conv: JsonConverter) -> None:
        self.conv = conv
        self.defs: dict[str, dict[str, Any]] = {}
        self.names: dict[Any, str] = {}

    def schema(self, cls: Any) -> dict[str, Any]:  # noqa: PLR0911, PLR0912 (one answer per kind of type)
        if cls in (Any, object):
            return {}
        if cls is None:
            cls = NoneType
        if cls in _TEXT:
            return dict(_TEXT[cls])
        args = typing.get_args(cls)
        if w.is_enum(cls):
            return {"enum": [m.value for m in cls]}
        if w.origin(cls) is Literal:
            return {"enum": list(args)}
        if cls is Hashable:  # a group key of a split: a JSON scalar or a list of them
            return {"type": ["string", "number", "boolean", "null", "array"]}
        if cls is PathCounts:
            return self.ref(PathCounts, lambda: self.object_of(_PathCountsData, title="PathCounts"))
        if attrs.has(cls):
            return self.ref(cls, lambda: self.object_of(cls))
        if w.origin(cls) in (typing.Union, UnionType):
            return self.union(cls)
        if w.origin(cls) is tuple and args and args[-1] is not Ellipsis:
            n = len(args)
            items = [self.schema(a) for a in args]
            return {"type": "array", "prefixItems": items, "minItems": n, "maxItems": n}
        if w.is_sequence(cls):
            return {"type": "array", "items": self.schema(args[0]) if args else {}}
        if w.is_mapping(cls):
            found: dict[str, Any] = {"type": "object"}
            if len(args) == 2:
                found["additionalProperties"] = self.schema(args[1])
                keys = self.schema(args[0])
                if keys.get("type") != "string":
                    found["propertyNames"] = keys
            return found
        # a type with no wire form (say, Hashable): structure reads nothing there
        return {"not": {}, "description": "no value can be read here: the type has no wire form"}

    def ref(self, cls: Any, build: typing.Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if cls not in self.names:
            name = cls.__name__
            if name in self.defs or name in self.names.values():
                name = f"{cls.__module__}.{name}"
            self.names[cls] = name
            self.defs[name] = {}  # reserved: a class may refer to itself
            self.defs[name] = build()
        return {"$ref": f"#/$defs/{self.names[cls]}"}

    def object_of(self, cls: Any, *, title: str | None = None) -> dict[str, Any]:
        attrs.resolve_types(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if not field.init:
                continue
            schema = {**self.schema(field.type), **_FIELDS.get((cls, field.name), {})}
            schema.update(v.constraints(field.validator))
            with contextlib.suppress(TypeError):  # an unhashable converter states nothing
                schema.update(_CONVERTERS.get(field.converter, {}))
            properties[field.name] = schema
            if field.default is attrs.NOTHING:
                required.append(field.name)
        found: dict[str, Any] = {"title": title or cls.__name__, "type": "object"}
        doc = (cls.__doc__ or "").strip().split("\n", 1)[0]
        if doc and title is None:
            found["description"] = doc
        found.update(properties=properties, required=required, additionalProperties=False)
        return found

    def union(self, cls: Any) -> dict[str, Any]:
        args = typing.get_args(cls)
        tags = _union_tags(cls, self.conv)
        if tags is not None:
            field, tag_of = tags
            branches = []
            for member in args:
                if member is NoneType:
                    branches.append({"type": "null"})
                    continue
                self.schema(member)  # defines the class
                shape = dict(self.defs[self.names[member]])
                shape["properties"] = {field: {"const": tag_of[member]}, **shape["properties"]}
                shape["required"] = [field, *shape["required"]]
                branches.append(shape)
            return {"oneOf": branches}
        if w.is_primitive_union(cls):
            kinds = [self.schema(a) for a in args]
            if int in args and float in args:  # a JSON integer is already a number
                kinds = [k for k in kinds if k != {"type": "integer"}]
            return {"anyOf": kinds}
        return {"anyOf": [self.schema(a) for a in args]}
