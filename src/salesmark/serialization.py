"""One converter: every public salesmark type to JSON-ready data and back.

All cattrs configuration lives here. :func:`make_converter` builds a converter on
``cattrs.preconf.json`` that forbids unknown keys, writes datetimes as ISO 8601 with
their offset, followed by the IANA zone in brackets when there is one (RFC 9557, e.g.
``2026-03-02T09:00:00+01:00[Europe/Berlin]``, so periods keep stepping by local
calendar after a round trip), refuses naive datetimes when reading, Decimals as strings,
durations as ISO 8601 durations and enums by value, and is strict about primitive types
(``1.5`` is not silently read as the integer ``1``, ``"400"`` is not a number, ``true``
is not a number). A lone string, bytes or an object where a list belongs is refused at
once, as one error, before anything is iterated. :data:`converter` is the default
instance; :func:`unstructure` and :func:`structure` use it.

Data that does not fit raises :class:`~salesmark.errors.StructureError`: its ``errors``
hold one :class:`~salesmark.errors.FieldError` per problem, with the JSON Pointer of the
field (``/leads/3/touchpoints/0/at``), the message, the value found and what was
expected; nothing is returned half-built. A path inside a list that a constructor
reorders (a lead's touchpoints, kept in time order) counts in that order, which is the
order :func:`unstructure` writes.

**The wire format is versioned.** ``unstructure(obj, envelope=True)`` wraps the data as
``{"schema": "salesmark/1", "type": "Lead", "data": {...}}``; :func:`structure` reads
such an envelope and checks its version and type. The policy for other versions: data
written by an older salesmark (``salesmark/N`` with N below :data:`SCHEMA_VERSION`) is
migrated forward by the upgrade step registered for each version, one version at a time;
a version with no upgrade step, and any newer version, is refused with an error that says
which versions this salesmark reads. :data:`SCHEMA_VERSION` changes only with an
incompatible change of shape, and each change ships its upgrade step.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Hashable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter
from cattrs.strategies import configure_tagged_union

from salesmark import _validators as v
from salesmark import _wire as w
from salesmark._frozen import FrozenMap
from salesmark._wire import format_duration, parse_duration
from salesmark.attributes import AttributeSchema
from salesmark.attribution.paths import PathCounts
from salesmark.errors import (
    FieldError,
    SalesmarkError,
    StructureError,
    ValidationError,
    WrongType,
)
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle
from salesmark.organisation import Organisation, _illegal_history
from salesmark.scoring.rules import RULE_KINDS, ScoringRule, rule_kind
from salesmark.scoring.scores import LeadScore, LeadScores, _check_score, checked_scores

__all__ = [
    "SCHEMA_VERSION",
    "converter",
    "format_duration",
    "make_converter",
    "parse_duration",
    "structure",
    "unstructure",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 1
"""The version of the serialized shape, carried by envelopes as ``"salesmark/1"``."""

_SHOWN_ERRORS: Final = 20  # problems listed in the message; ``errors`` holds them all
_ENVELOPE_KEYS: Final = frozenset({"schema", "type", "data"})

_UPGRADES: dict[int, Callable[[str, Any], Any]] = {}
"""Upgrade steps: version N -> a function of (type name, data of version N) giving the
data of version N + 1. Version 1 is the first, so there is none yet."""


@attrs.frozen(kw_only=True)
class _PathRowData:
    """The wire shape of one :class:`~salesmark.attribution.PathRow`."""

    path: tuple[str, ...]
    conversions: int | float
    nulls: int | float
    value: Decimal


@attrs.frozen(kw_only=True)
class _PathCountsData:
    """The wire shape of :class:`~salesmark.attribution.PathCounts` (paths as a list, not a map)."""

    currency: str | None
    paths: tuple[_PathRowData, ...]


def _register_path_counts(conv: JsonConverter) -> None:
    # PathCounts maps tuple paths to totals; JSON keys must be strings, so it travels
    # as a list of rows and is rebuilt through its own validating constructor.
    def dump(counts: PathCounts) -> Any:
        rows = tuple(
            _PathRowData(path=r.path, conversions=r.conversions, nulls=r.nulls, value=r.value)
            for r in counts.rows()
        )
        return conv.unstructure(_PathCountsData(currency=counts.currency, paths=rows))

    def load(data: Any, _: type) -> PathCounts:
        wire = conv.structure(data, _PathCountsData)
        return PathCounts.from_tuples(
            [(r.path, r.conversions, r.nulls, r.value) for r in wire.paths], currency=wire.currency
        )

    conv.register_unstructure_hook(PathCounts, dump)
    conv.register_structure_hook(PathCounts, load)


def _structure_group(data: Any, _: Any = None) -> Hashable:
    """A group key of a split (``FunnelSplit.groups``): a JSON scalar, or a list read as a tuple."""
    if data is None or isinstance(data, str | int | bool) or v.is_finite(data):
        return typing.cast("Hashable", data)
    if isinstance(data, list):
        return tuple(_structure_group(item) for item in data)
    msg = f"expected a group key (text, a finite number, a boolean, null or a list of them), got {v.shown(data)}"
    raise ValidationError(msg)


def _unstructure_group(key: Any) -> Any:
    """A group key as JSON: a tuple as a list, an enum as its value, a scalar as itself."""
    if isinstance(key, tuple):
        return [_unstructure_group(item) for item in key]
    return w.enum_value(key)


def make_converter() -> JsonConverter:
    """Build a fresh converter configured for every salesmark type.

    Use it to register hooks for your own types without touching the default
    :data:`converter`.

    Example:
        >>> from salesmark import Money
        >>> make_converter().unstructure(Money.of("12.50", "EUR"))
        {'amount': '12.50', 'currency': 'EUR'}
    """
    # Tuples (fixed-shape ones too, like KPI context pairs) travel as JSON lists.
    conv = _make_json_converter(forbid_extra_keys=True, unstruct_collection_overrides={tuple: list})
    w.register_shapes(conv)  # lists, objects and unions of scalars: shape first, at once
    conv.register_unstructure_hook(datetime, w.unstructure_datetime)
    conv.register_structure_hook(datetime, w.structure_datetime)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(date, w.structure_date)
    conv.register_unstructure_hook(time, time.isoformat)
    conv.register_structure_hook(time, w.structure_time)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, w.structure_decimal)
    conv.register_unstructure_hook(Fraction, str)
    conv.register_structure_hook(Fraction, w.structure_fraction)
    conv.register_unstructure_hook(timedelta, format_duration)
    conv.register_structure_hook(timedelta, w.structure_duration)
    conv.register_unstructure_hook(MappingProxyType, dict)
    conv.register_unstructure_hook(FrozenMap, dict)
    # Strict primitives: "400" is not an int and 1.5 is not silently truncated.
    for kind, accepted in ((str, (str,)), (int, (int,)), (float, (int, float)), (bool, (bool,))):
        conv.register_structure_hook(kind, w.strict(kind, accepted))
    conv.register_unstructure_hook_func(w.is_enum, w.enum_value)
    # str- and int-based enums (Team, Stage, ...) dispatch to the str and int hooks first.
    conv.register_unstructure_hook(str, w.enum_value)
    conv.register_unstructure_hook(int, w.enum_value)
    conv.register_structure_hook_func(w.is_enum, w.structure_enum)
    _register_path_counts(conv)
    # the keys of a split are whatever the key function gave; on the wire, JSON scalars
    # scores are checked when read, not when the scorer makes them (its loop stays fast)
    score_hook, scores_hook = (
        conv.get_structure_hook(LeadScore),
        conv.get_structure_hook(LeadScores),
    )

    def structure_score(data: Any, cls: type) -> LeadScore:
        score = score_hook(data, cls)
        _check_score(score)
        return typing.cast("LeadScore", score)

    conv.register_structure_hook(LeadScore, structure_score)
    conv.register_structure_hook(
        LeadScores, lambda data, cls: checked_scores(scores_hook(data, cls))
    )
    conv.register_unstructure_hook_func(lambda cls: cls is Hashable, _unstructure_group)
    conv.register_structure_hook_func(lambda cls: cls is Hashable, _structure_group)
    # Scoring rules are one union tagged by "kind" (configure_tagged_union writes it); reading
    # names an unknown kind at its path ($...kind), then builds the class the kind names.
    configure_tagged_union(ScoringRule, conv, tag_generator=rule_kind, tag_name="kind")

    def structure_rule(data: Any, cls: Any) -> Any:
        if not isinstance(data, dict):
            msg = f"expected a scoring rule (a mapping with a 'kind'), got {data!r}"
            raise ValidationError(msg)
        kind = data.get("kind")
        member = RULE_KINDS.get(kind) if isinstance(kind, str) else None
        if member is None:
            msg = f"expected a rule kind, one of {list(RULE_KINDS)}, got {kind!r}"
            problem = ValidationError(msg)
            problem.__notes__ = [AttributeValidationNote("rule kind", "kind", str)]  # type: ignore[attr-defined]
            where = "While structuring a scoring rule"
            raise ClassValidationError(where, [problem], cls)
        fields = {name: value for name, value in data.items() if name != "kind"}
        return conv.structure(fields, member)

    conv.register_structure_hook(ScoringRule, structure_rule)
    return conv


converter: Final[JsonConverter] = make_converter()
"""The default converter used by :func:`structure` and :func:`unstructure`."""


def _union_tags(
    union: Any, conv: JsonConverter | None = None
) -> tuple[str, dict[type, str]] | None:
    """The tag field and each class's tag of a union configured as a tagged union, or ``None``.

    Read from the hook that cattrs' ``configure_tagged_union`` registered on ``conv``.
    """
    conv = converter if conv is None else conv
    try:
        params = inspect.signature(conv.get_unstructure_hook(union)).parameters
    except (TypeError, ValueError):
        return None
    name, tags = params.get("_tag_name"), params.get("_cl_to_tag")
    if name is None or tags is None or not isinstance(tags.default, Mapping):
        return None
    return str(name.default), dict(tags.default)


def _describe(cls: Any) -> str:
    return w.describe(cls, _union_tags)


def _type_name(cls: Any) -> str:
    if w.is_sequence(cls) and typing.get_args(cls):
        return f"list[{_type_name(typing.get_args(cls)[0])}]"
    return str(getattr(cls, "__name__", "value"))


def _type_of(obj: Any) -> str:
    if isinstance(obj, list | tuple):
        kinds = {type(item).__name__ for item in obj}
        return f"list[{kinds.pop()}]" if len(kinds) == 1 else "list"
    return type(obj).__name__


def unstructure(obj: Any, *, envelope: bool = False) -> Any:
    """Turn a salesmark object into plain, JSON-ready data (dicts, lists, strings, numbers).

    Args:
        obj: Any salesmark object (or a list of them).
        envelope: Wrap the data as ``{"schema": "salesmark/1", "type": ..., "data": ...}``
            so that whoever reads it knows the version and type of the shape.

    Example:
        >>> from salesmark import Period
        >>> unstructure(Period.month(2026, 1))
        {'start': '2026-01-01T00:00:00+00:00', 'end': '2026-02-01T00:00:00+00:00'}
        >>> unstructure(Period.month(2026, 1), envelope=True)["schema"]
        'salesmark/1'
    """
    data = converter.unstructure(obj)
    if not envelope:
        return data
    return {"schema": f"salesmark/{SCHEMA_VERSION}", "type": _type_of(obj), "data": data}


def _open_envelope(data: Mapping[str, Any], cls: Any) -> Any:
    name = _type_name(cls)
    schema, kind = data["schema"], data["type"]
    found = re.fullmatch(r"salesmark/(\d{1,6})", schema) if isinstance(schema, str) else None
    here = f"salesmark/{SCHEMA_VERSION}"
    if found is None:
        msg = f"expected a schema like {here!r}, got {v.shown(schema)}"
        raise _envelope_error(name, "/schema", msg, schema, here)
    version = int(found.group(1))
    if version > SCHEMA_VERSION:
        msg = (
            f"the data is in {schema!r}, written by a newer salesmark; this one reads "
            f"{here!r} and older versions it can upgrade: upgrade salesmark to read it"
        )
        raise _envelope_error(name, "/schema", msg, schema, f"{here} or older")
    fits = kind == name or (name.startswith("list[") and kind == "list")
    if not fits:
        msg = f"the envelope holds {v.shown(kind)}, not {name!r}"
        raise _envelope_error(name, "/type", msg, kind, repr(name))
    payload = data["data"]
    for old in range(version, SCHEMA_VERSION):
        step = _UPGRADES.get(old)
        if step is None:
            msg = f"data in 'salesmark/{old}' cannot be read: no upgrade from it to {here!r}"
            raise _envelope_error(name, "/schema", msg, schema, f"{here} or an upgradable version")
        try:
            payload = step(kind, payload)
        except SalesmarkError as exc:
            errors = [e.under("/data") for e in exc.errors]
            raise StructureError(_message(name, errors), errors) from None
        except Exception:
            msg = f"the data does not have the shape of {name} in 'salesmark/{old}'"
            raise _envelope_error(
                name, "/data", msg, payload, f"{name} data of 'salesmark/{old}'"
            ) from None
    return payload


def _envelope_error(name: str, path: str, msg: str, value: Any, expected: str) -> StructureError:
    error = FieldError(path=path, message=msg, value=v.shown(value), expected=expected)
    return StructureError(_message(name, [error]), [error])


def structure(
    data: Any,
    cls: type[T],
    *,
    lifecycle: Lifecycle | None = None,
    envelope: bool | None = None,
    attributes: AttributeSchema | None = None,
) -> T:
    """Build a ``cls`` from plain data, as written by :func:`unstructure`.

    Without ``lifecycle``, only the shape of leads is checked: a lead's history must be
    well-formed (known fields, aware times in order) but need not be a legal walk of any
    lifecycle, since a lead alone does not say which lifecycle it follows. Pass the
    lifecycle to check each lead's history against it. An ``Organisation`` always checks
    its leads against its own lifecycle and lists every bad lead.

    Args:
        data: JSON-ready data, or an envelope written by ``unstructure(obj, envelope=True)``.
        cls: The type to build: a salesmark class, or e.g. ``list[Lead]``.
        lifecycle: Check every lead's history against this lifecycle
            (:meth:`Lifecycle.validate_history`); only with ``cls`` a ``Lead`` or a list
            or tuple of leads.
        envelope: ``True`` requires an envelope, ``False`` reads ``data`` as it is, and
            ``None`` (the default) reads an envelope when ``data`` is one (an object with
            exactly the keys ``schema``, ``type`` and ``data``).
        attributes: Read the leads' attributes by this schema
            (:class:`~salesmark.attributes.AttributeSchema`: ``"400"`` becomes ``400``
            where it declares a number); only with ``cls`` a ``Lead``, a list or tuple of
            leads, or an ``Organisation``. Without it, attributes are kept as given.

    Raises:
        StructureError: If anything in ``data`` does not fit; its ``errors`` list each
            problem with the JSON Pointer of its field, and the message lists them too.
        WrongType: If ``lifecycle`` is given for something that is not leads, or
            ``attributes`` for something that holds no leads.

    Example:
        >>> from salesmark import DEMAND_WATERFALL, Lead, Money
        >>> structure({"amount": "12.50", "currency": "EUR"}, Money)
        Money('12.50 EUR')
        >>> structure({"amount": 12.5, "currency": "EUR"}, Money)
        Traceback (most recent call last):
        ...
        salesmark.errors.StructureError: cannot structure Money: expected a decimal number written as a string (e.g. '12.50'), got 12.5 @ $.amount
        >>> lead = {"id": "L1", "created_at": "2026-01-05T09:00:00+00:00",
        ...         "history": [{"stage": "inquiry", "at": "2026-01-05T09:00:00+00:00"},
        ...                     {"stage": "won", "at": "2026-01-06T09:00:00+00:00"}]}
        >>> structure([lead], list[Lead])[0].stage  # the shape is fine
        'won'
        >>> structure([lead], list[Lead], lifecycle=DEMAND_WATERFALL)
        Traceback (most recent call last):
        ...
        salesmark.errors.StructureError: cannot structure list[Lead]: lead 'L1' has an illegal history: cannot move a lead from 'inquiry' to 'won' in lifecycle 'demand_waterfall'; from 'inquiry' it can move to: 'mql', 'disqualified' @ $[0].history[1].stage
        >>> from salesmark.attributes import AttributeSchema
        >>> row = {"id": "L2", "created_at": "2026-01-05T09:00:00+00:00", "attributes": {"employees": "400"},
        ...        "history": [{"stage": "inquiry", "at": "2026-01-05T09:00:00+00:00"}]}
        >>> structure(row, Lead, attributes=AttributeSchema(types={"employees": "number"})).attributes
        {'employees': 400}
    """
    name = _type_name(cls)
    leads_type = cls is Lead or (w.is_sequence(cls) and typing.get_args(cls)[:1] == (Lead,))
    if attributes is not None:
        v.require(attributes, AttributeSchema, "structure attributes")
        if not (leads_type or cls is Organisation):
            msg = (
                "structure attributes= reads leads' attributes: cls must be Lead, a list of "
                f"Lead or Organisation, got {name}"
            )
            raise WrongType(msg)
    if lifecycle is not None:
        v.require(lifecycle, Lifecycle, "structure lifecycle")
        if not leads_type:
            msg = (
                f"structure lifecycle= checks leads: cls must be Lead or a list of Lead, got {name}"
            )
            raise WrongType(msg)
    base = ""
    is_envelope = isinstance(data, Mapping) and set(data) == _ENVELOPE_KEYS
    if envelope or (envelope is None and is_envelope):
        if not is_envelope:
            expected = "an envelope: an object with the keys 'schema', 'type' and 'data'"
            raise _envelope_error(
                name, "", f"expected {expected}, got {v.shown(data)}", data, expected
            )
        data, base = _open_envelope(data, cls), "/data"
    try:
        result = converter.structure(data, cls)
    except Exception as exc:
        errors = _field_errors(exc, data, base, cls)
        raise StructureError(_message(name, errors), errors) from None
    if attributes is not None:
        result = _read_attributes(result, attributes, name, base)
    if lifecycle is not None:
        _check_histories(result, lifecycle, name, base)
    return result


def _read_attributes(result: Any, schema: AttributeSchema, name: str, base: str) -> Any:
    """``result`` (a lead, leads or an organisation) with its leads' attributes read by ``schema``."""
    try:
        if isinstance(result, Lead):
            return _one(result, schema, base)
        if isinstance(result, Organisation):
            return attrs.evolve(result, leads=schema.apply(result.leads, path=f"{base}/leads"))
        return type(result)(schema.apply(result, path=base))
    except SalesmarkError as exc:
        errors = list(exc.errors)
        raise StructureError(_message(name, errors), errors) from None


def _one(lead: Lead, schema: AttributeSchema, base: str) -> Lead:
    parsed = schema.parse(lead.attributes, path=f"{base}/attributes")
    return lead if parsed == lead.attributes else attrs.evolve(lead, attributes=parsed)


def _check_histories(result: Any, lifecycle: Lifecycle, name: str, base: str) -> None:
    leads = (
        [("", result)] if isinstance(result, Lead) else [(f"/{i}", x) for i, x in enumerate(result)]
    )
    errors = []
    for where, lead in leads:
        problem = _illegal_history(lifecycle, lead)
        if problem is not None:
            message = f"lead {lead.id!r} has an illegal history: {problem}"
            found = problem.errors[0]
            errors.append(attrs.evolve(found, message=message).under(base + where))
    if errors:
        raise StructureError(_message(name, errors), errors)


def _message(name: str, errors: list[FieldError]) -> str:
    shown = "; ".join(StructureError(name, errors[:_SHOWN_ERRORS]).problems)
    more = len(errors) - _SHOWN_ERRORS
    tail = f"; ... and {more} more (the error's errors list them all)" if more > 0 else ""
    return f"cannot structure {name}: {shown}{tail}"


_MISSING: Any = object()


def _child(data: Any, key: Any) -> Any:
    if isinstance(data, Mapping):
        return data.get(key, _MISSING)
    if isinstance(data, list | tuple) and isinstance(key, int) and 0 <= key < len(data):
        return data[key]
    return _MISSING


def _field_errors(exc: BaseException, data: Any, path: str, cls: Any) -> list[FieldError]:
    """Every problem in a cattrs error tree, with JSON Pointer paths into ``data``."""
    if isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        found: list[FieldError] = []
        noted, others = exc.group_exceptions()
        for sub, note in noted:
            key = note.name if isinstance(note, cattrs.AttributeValidationNote) else note.index
            child = _child(data, key)
            if isinstance(data, Mapping) and child is _MISSING and isinstance(sub, KeyError):
                msg = f"required field {key!r} is missing"
                found.append(
                    FieldError(
                        path=path + v.pointer(key), message=msg, expected=_describe(note.type)
                    )
                )
            else:
                found += _field_errors(sub, child, path + v.pointer(key), note.type)
        for sub in others:
            if isinstance(sub, cattrs.ForbiddenExtraKeysError):
                for key in sorted(sub.extra_fields):
                    msg = f"unknown field {key!r}: {sub.cl.__name__} has no such field"
                    known = ", ".join(a.name for a in attrs.fields(sub.cl) if a.init)
                    shown = v.shown(_child(data, key))
                    found.append(
                        FieldError(
                            path=path + v.pointer(key),
                            message=msg,
                            value=shown,
                            expected=f"one of the fields {known}",
                        )
                    )
            else:
                found += _field_errors(sub, data, path, exc.cl)
        return found
    if isinstance(exc, cattrs.BaseValidationError):  # a group of another shape
        return [e for sub in exc.exceptions for e in _field_errors(sub, data, path, cls)]
    if isinstance(exc, SalesmarkError):
        return [e.under(path) for e in exc.errors]
    tags = _union_tags(cls)
    if (
        tags is not None
        and isinstance(data, Mapping)
        and data.get(tags[0], _MISSING) not in tags[1].values()
    ):
        tag, names = tags[0], ", ".join(repr(t) for t in tags[1].values())
        given = data.get(tag, _MISSING)
        msg = (
            f"required field {tag!r} is missing"
            if given is _MISSING
            else f"expected one of {names}, got {v.shown(given)}"
        )
        return [
            FieldError(
                path=path + v.pointer(tag),
                message=msg,
                value=None if given is _MISSING else v.shown(given),
                expected=f"one of {names}",
            )
        ]
    expected = _describe(cls)
    value = None if data is _MISSING else v.shown(data)
    return [
        FieldError(
            path=path, message=f"expected {expected}, got {value}", value=value, expected=expected
        )
    ]
