"""The text forms of the wire format and the shape checks of the converter (private).

:mod:`salesmark.serialization` assembles the converter from these hooks, and
:mod:`salesmark.schema` states the same forms as JSON Schema: the patterns here are the
exact texts :func:`~salesmark.serialization.structure` reads (each hook checks its
pattern first, then parses), so the two cannot drift apart.
"""

from __future__ import annotations

import enum
import re
import typing
from collections import abc
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType, NoneType, UnionType
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs
from cattrs.errors import IterableValidationNote
from cattrs.preconf.json import JsonConverter
from dateutil.parser import isoparse

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.errors import NaiveDatetime, ValidationError

__all__ = [
    "DATETIME_PATTERN",
    "DATE_PATTERN",
    "DECIMAL_PATTERN",
    "DURATION_PATTERN",
    "TIME_PATTERN",
    "describe",
    "format_duration",
    "is_enum",
    "is_mapping",
    "is_primitive_union",
    "is_sequence",
    "is_set",
    "origin",
    "parse_duration",
    "register_shapes",
]

Tags = Callable[[Any], "tuple[str, dict[type, str]] | None"]
"""How to find a tagged union's tag field and tags (``None``: not a tagged union)."""


def _no_tags(_union: Any) -> tuple[str, dict[type, str]] | None:
    return None


_PRIMITIVES: Final = (str, int, float, bool, NoneType)

# The exact text forms structure reads; salesmark.schema states the same patterns.
# ASCII digits only ([0-9], not \d, which in Python takes any script's digits), and
# matched whole (re.fullmatch: "$" alone would also match before a final newline).
_DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_CLOCK = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_ZONE = r"(?:\[[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*\])"
DATETIME_PATTERN: Final = f"^{_DATE}T{_CLOCK}{_OFFSET}{_ZONE}?$"
DATE_PATTERN: Final = f"^{_DATE}$"
TIME_PATTERN: Final = f"^{_CLOCK}$"
DECIMAL_PATTERN: Final = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
FRACTION_PATTERN: Final = r"^-?[0-9]{1,4000}(?:/[0-9]{1,4000})?$"
"""An exact number as ``Fraction`` writes it: ``"34000/3"``, ``"-2/5"``, ``"7"``."""
_SECONDS = r"[0-9]+(?:\.[0-9]{1,6})?S"
_CLOCK_PART = rf"T(?:[0-9]+H(?:[0-9]+M)?(?:{_SECONDS})?|[0-9]+M(?:{_SECONDS})?|{_SECONDS})"
DURATION_PATTERN: Final = rf"^-?P(?:[0-9]+D(?:{_CLOCK_PART})?|{_CLOCK_PART})$"
_NAIVE = re.compile(f"^{_DATE}T{_CLOCK}{_ZONE}?$")

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>[0-9]+)D)?"
    r"(?:T(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+(?:\.[0-9]{1,6})?)S)?)?$"
)


def format_duration(value: timedelta) -> str:
    """Write a ``timedelta`` as an ISO 8601 duration, exactly (to the microsecond).

    Example:
        >>> format_duration(timedelta(days=1, hours=2, minutes=30))
        'P1DT2H30M'
        >>> format_duration(timedelta(0))
        'PT0S'
    """
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}P"
    if value.days:
        text += f"{value.days}D"
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if seconds or value.microseconds:
        fraction = f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
        clock += f"{seconds}{fraction}S"
    if clock or not value.days:
        text += "T" + (clock or "0S")
    return text


def parse_duration(text: str) -> timedelta:
    """Read an ISO 8601 duration of days, hours, minutes and seconds.

    Raises:
        ValidationError: If ``text`` is not such a duration (years and months are
            refused: their length depends on the calendar), or lies beyond what a
            ``timedelta`` holds (999,999,999 days either way).

    Example:
        >>> parse_duration("PT36H")
        datetime.timedelta(days=1, seconds=43200)
    """
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if match is None or re.fullmatch(DURATION_PATTERN, text) is None:
        msg = f"expected an ISO 8601 duration like 'P1DT2H30M', got {v.shown(text)}"
        raise ValidationError(msg, value=text, expected=describe(timedelta))
    parts = match.groupdict()
    try:
        result = timedelta(
            days=int(parts["days"] or 0),
            hours=int(parts["hours"] or 0),
            minutes=int(parts["minutes"] or 0),
        ) + timedelta(microseconds=int(Decimal(parts["seconds"] or 0) * 1_000_000))
    except (OverflowError, ValueError):
        msg = f"expected a duration within 999999999 days, got {v.shown(text)}"
        raise ValidationError(
            msg, value=text, expected="a duration within 999999999 days"
        ) from None
    return -result if parts["sign"] else result


def refuse(value: Any, cls: Any, what: str | None = None) -> ValidationError:
    expected = what or describe(cls)
    return ValidationError(
        f"expected {expected}, got {v.shown(value)}", value=value, expected=expected
    )


def unstructure_datetime(value: datetime) -> str:
    text = value.isoformat()
    if isinstance(value.tzinfo, ZoneInfo):  # keep the zone, as RFC 9557 does
        text += f"[{value.tzinfo.key}]"
    return text


def structure_datetime(value: Any, _cls: type) -> datetime:
    if not isinstance(value, str) or re.fullmatch(DATETIME_PATTERN, value) is None:
        if isinstance(value, str) and _NAIVE.fullmatch(value):
            msg = f"expected a datetime with a UTC offset (e.g. '2026-01-05T09:00:00+00:00'), got naive {value!r}"
            raise NaiveDatetime(msg, value=value, expected=describe(datetime))
        raise refuse(value, datetime)
    text, zone = value, None
    if value.endswith("]"):
        text, _bracket, key = value[:-1].partition("[")
        try:
            zone = ZoneInfo(key)
        except (ValueError, ZoneInfoNotFoundError):
            msg = f"unknown time zone {key!r} in datetime {value!r}"
            raise ValidationError(msg, value=value, expected="an IANA time zone name") from None
    try:
        parsed = isoparse(text)
    except (ValueError, OverflowError):
        raise refuse(value, datetime) from None
    return parsed if zone is None else parsed.astimezone(zone)


def structure_date(value: Any, _: type) -> date:
    try:
        if isinstance(value, str) and re.fullmatch(DATE_PATTERN, value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise refuse(value, date)


def structure_time(value: Any, _: type) -> time:
    if isinstance(value, str) and re.fullmatch(TIME_PATTERN, value):
        return time.fromisoformat(value)
    raise refuse(value, time)


def structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str) and re.fullmatch(DECIMAL_PATTERN, value):
        return Decimal(value)
    raise refuse(value, Decimal)


def structure_fraction(value: Any, _: type) -> Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, str) and re.match(FRACTION_PATTERN, value):
        top, _slash, bottom = value.partition("/")
        if int(bottom or 1) != 0:
            number = Fraction(int(top), int(bottom or 1))
            if str(number) == value:  # in lowest terms, as unstructure writes it
                return number
    raise refuse(value, Fraction)


def structure_duration(value: Any, _: type) -> timedelta:
    return parse_duration(value)


def strict(kind: type, accepted: tuple[type, ...]) -> Any:
    """A hook reading exactly a ``kind`` (one of ``accepted``; bools only as bools)."""

    def hook(value: Any, cls: type) -> Any:
        if issubclass(cls, enum.Enum):  # str- and int-based enums dispatch here too
            return structure_enum(value, cls)
        if (isinstance(value, bool) and bool not in accepted) or not isinstance(value, accepted):
            raise refuse(value, kind)
        if kind is float:
            if not v.is_finite(value):
                raise refuse(value, kind, "a finite number")
            # an int stays an int (JSON tells 10 from 10.0), so it comes back as it was given
            return value if isinstance(value, int) else float(typing.cast("float", value))
        return value if type(value) is kind else kind(value)

    return hook


def enum_value(value: Any) -> Any:
    """Enum members by their plain value; anything else unchanged."""
    return value.value if isinstance(value, enum.Enum) else value


def is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, cls):
        return value
    if isinstance(value, bool | enum.Enum) or not isinstance(value, str | int | float):
        raise refuse(value, cls)
    try:
        return cls(value)
    except ValueError:
        raise refuse(value, cls) from None


def describe(cls: Any, tags: Tags = _no_tags) -> str:  # noqa: PLR0911 (one answer per kind)
    """What data of type ``cls`` looks like, in words (never a Python type's repr).

    Example:
        >>> describe(tuple[datetime, ...])
        "a list, each item an ISO 8601 datetime string with a UTC offset (e.g. '2026-01-05T09:00:00+00:00')"
    """
    words = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        NoneType: "null",
        None: "null",
        Decimal: "a decimal number written as a string (e.g. '12.50')",
        Fraction: "an exact fraction written as a string in lowest terms (e.g. '34000/3')",
        datetime: "an ISO 8601 datetime string with a UTC offset (e.g. '2026-01-05T09:00:00+00:00')",
        date: "an ISO 8601 date string (e.g. '2026-12-24')",
        time: "an ISO 8601 time of day (e.g. '09:00:00')",
        timedelta: "an ISO 8601 duration string (e.g. 'P1DT2H30M')",
    }
    if cls in words:
        return words[cls]
    if cls is Any or cls is object:
        return "any value"
    origin, args = typing.get_origin(cls), typing.get_args(cls)
    if is_enum(cls) or origin is Literal:
        values = [m.value for m in cls] if is_enum(cls) else list(args)
        return "one of " + ", ".join(repr(x) for x in values)
    if attrs.has(cls) or (isinstance(cls, type) and cls.__module__.startswith("salesmark.")):
        return f"an object ({cls.__name__})"
    if origin in (typing.Union, UnionType):
        tagged = tags(cls)
        if tagged is not None:
            names = ", ".join(repr(t) for t in tagged[1].values())
            return f"an object whose {tagged[0]!r} is one of {names}"
        if all(a in _PRIMITIVES for a in args):
            kinds = {str: "text", int: "a number", float: "a number", bool: "true/false"}
            seen = list(dict.fromkeys(kinds.get(a, "null") for a in args))
            return ", ".join(seen[:-1]) + " or " + seen[-1]
        rest = [a for a in args if a is not NoneType]
        text = " or ".join(describe(a, tags) for a in rest)
        return text + " or null" if len(rest) < len(args) else text
    if origin is tuple and args and args[-1] is not Ellipsis:
        return f"a list of {len(args)} items (" + "; ".join(describe(a, tags) for a in args) + ")"
    if is_sequence(cls):
        return f"a list, each item {describe(args[0], tags)}" if args else "a list"
    if is_mapping(cls):
        return f"an object, each value {describe(args[1], tags)}" if len(args) == 2 else "an object"
    return "a value of a type that has no wire form (none can be read here)"


def origin(cls: Any) -> Any:
    """The generic origin of ``cls`` (``tuple`` for ``tuple[int, ...]``), or ``cls`` itself."""
    return typing.get_origin(cls) or cls


def is_sequence(cls: Any) -> bool:
    """Whether ``cls`` travels as a JSON list: a tuple, list, set or sequence type."""
    kind = origin(cls)
    if kind in (abc.Sequence, abc.Set):
        return True
    return (
        isinstance(kind, type)
        and issubclass(kind, tuple | list | frozenset | set)
        and not hasattr(kind, "_fields")  # named tuples keep cattrs' own handling
        and not attrs.has(kind)
    )


def is_set(cls: Any) -> bool:
    """Whether ``cls`` is a set type (read from a list, duplicates merged)."""
    kind = origin(cls)
    return kind is abc.Set or (isinstance(kind, type) and issubclass(kind, frozenset | set))


def is_mapping(cls: Any) -> bool:
    """Whether ``cls`` travels as a JSON object of values (a mapping type)."""
    return origin(cls) in (dict, abc.Mapping, MappingProxyType, FrozenMap)


def is_primitive_union(cls: Any) -> bool:
    """Whether ``cls`` is a union of two or more of str, int, float and bool (and None)."""
    args = typing.get_args(cls)
    if origin(cls) not in (typing.Union, UnionType):
        return False
    return all(a in _PRIMITIVES for a in args) and len([a for a in args if a is not NoneType]) > 1


def _note(exc: Exception, where: str, index: int | str, item: Any) -> Exception:
    notes = [*getattr(exc, "__notes__", []), IterableValidationNote(where, index, item)]
    exc.__notes__ = notes  # type: ignore[attr-defined]  # (Python 3.10 types have no notes)
    return exc


def _group(errors: list[Exception], cls: Any) -> cattrs.IterableValidationError:
    msg = f"While structuring {describe(cls)}"
    return cattrs.IterableValidationError(msg, errors, cls)


def _sequences(conv: JsonConverter) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Any:
        args = typing.get_args(cls)
        fixed = origin(cls) is tuple and bool(args) and args[-1] is not Ellipsis
        items = list(args) if fixed else [args[0] if args else Any]
        hooks = [conv.get_structure_hook(t) for t in items]
        kind = origin(cls)
        build: Callable[[list[Any]], Any] = list if kind is list else tuple
        if is_set(cls):
            build = set if kind is set else frozenset

        def hook(value: Any, _: Any) -> Any:
            refused = isinstance(value, str | bytes | bytearray | Mapping)
            if refused or not isinstance(value, Iterable):
                raise refuse(value, cls)
            given = list(value)
            if fixed and len(given) != len(items):
                raise refuse(value, cls)
            out, errors = [], []
            for index, item in enumerate(given):
                t, h = (items[index], hooks[index]) if fixed else (items[0], hooks[0])
                try:
                    out.append(h(item, t))
                except Exception as exc:
                    errors.append(_note(exc, f"item {index}", index, t))
            if errors:
                raise _group(errors, cls)
            return build(out)

        return hook

    return factory


def _mappings(conv: JsonConverter) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Any:
        args = typing.get_args(cls)
        key_t, value_t = args if len(args) == 2 else (Any, Any)
        key_h, value_h = conv.get_structure_hook(key_t), conv.get_structure_hook(value_t)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise refuse(value, cls)
            out, errors = {}, []
            for key, item in value.items():
                try:
                    out[key_h(key, key_t)] = value_h(item, value_t)
                except Exception as exc:  # noqa: PERF203 (each value's error is kept)
                    errors.append(_note(exc, f"key {key!r}", str(key), value_t))
            if errors:
                raise _group(errors, cls)
            return out

        return hook

    return factory


def _objects(conv: JsonConverter) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Any:
        inner = conv.gen_structure_attrs_fromdict(cls)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise refuse(value, cls)
            return inner(value, cls)

        return hook

    return factory


def _scalars(cls: Any) -> Any:
    args = typing.get_args(cls)

    def hook(value: Any, _: Any) -> Any:
        kind = type(value)
        if kind is float and not v.is_finite(value):
            raise refuse(value, cls, "a finite number")
        if kind in args:
            return value
        if kind is int and float in args:
            if not v.is_finite(value):
                raise refuse(value, cls, "a finite number")
            # an int stays an int, as in a field of type float (JSON tells 10 from 10.0)
            return value
        raise refuse(value, cls)

    return hook


def _sorted_sets(conv: JsonConverter) -> Callable[[Any], Callable[[Any], list[Any]]]:
    """Sets travel as sorted JSON lists: a set's own order changes with ``PYTHONHASHSEED``."""

    def factory(cls: Any) -> Callable[[Any], list[Any]]:
        args = typing.get_args(cls)
        item = args[0] if args else Any

        def dump(value: Any) -> list[Any]:
            items = [conv.unstructure(x, item) for x in value]
            try:
                return sorted(items)
            except TypeError:  # items of several types: by their text, still one order
                return sorted(items, key=repr)

        return dump

    return factory


def register_shapes(conv: JsonConverter) -> None:
    """Check lists, objects and unions of scalars for their shape before anything else.

    A lone string, bytes or an object where a list belongs is refused at once (never
    iterated character by character), as is anything but an object where an object
    belongs, and a union of scalars takes exactly the JSON types it names (``true`` is
    not a number there). Sets are written as sorted lists, the same whatever the hash
    seed.
    """
    conv.register_structure_hook_factory(is_sequence, _sequences(conv))
    conv.register_structure_hook_factory(is_mapping, _mappings(conv))
    conv.register_structure_hook_factory(attrs.has, _objects(conv))
    conv.register_structure_hook_factory(is_primitive_union, _scalars)
    conv.register_unstructure_hook_factory(is_set, _sorted_sets(conv))
