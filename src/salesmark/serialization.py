"""One converter: every public salesmark type to JSON-ready data and back.

All cattrs configuration lives here. :func:`make_converter` builds a converter on
``cattrs.preconf.json`` that forbids unknown keys, writes datetimes as ISO 8601 with
their offset, followed by the IANA zone in brackets when there is one (RFC 9557, e.g.
``2026-03-02T09:00:00+01:00[Europe/Berlin]``, so periods keep stepping by local
calendar after a round trip), refuses naive datetimes when reading, Decimals as strings, durations as
ISO 8601 durations and enums by value, and is strict about primitive types (``1.5`` is
not silently read as the integer ``1``). :data:`converter` is the default instance;
:func:`unstructure` and :func:`structure` use it.

Data that does not fit raises :class:`~salesmark.errors.StructureError`, listing the
path of every offending field (like ``$.leads[3].touchpoints[0].at``) and the problem
there; nothing is returned half-built.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter
from cattrs.strategies import configure_tagged_union
from dateutil.parser import isoparse

from salesmark._frozen import FrozenMap
from salesmark.attribution.paths import PathCounts
from salesmark.errors import NaiveDatetime, SalesmarkError, StructureError, ValidationError
from salesmark.scoring.rules import RULE_KINDS, ScoringRule, rule_kind

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
"""The version of the serialized shape; it changes only with an incompatible change."""

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d{1,6})?)S)?)?$"
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
            refused: their length depends on the calendar).

    Example:
        >>> parse_duration("PT36H")
        datetime.timedelta(days=1, seconds=43200)
    """
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None or text in ("P", "-P") or text.endswith("T"):
        msg = f"expected an ISO 8601 duration like 'P1DT2H30M', got {text!r}"
        raise ValidationError(msg)
    parts = match.groupdict()
    result = timedelta(
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=float(0),
    ) + timedelta(microseconds=int(Decimal(parts["seconds"] or 0) * 1_000_000))
    return -result if parts["sign"] else result


def _unstructure_datetime(value: datetime) -> str:
    text = value.isoformat()
    if isinstance(value.tzinfo, ZoneInfo):  # keep the zone, as RFC 9557 does
        text += f"[{value.tzinfo.key}]"
    return text


def _structure_datetime(value: Any, _cls: type) -> datetime:
    zone: ZoneInfo | None = None
    text = value
    if isinstance(value, str) and value.endswith("]") and "[" in value:
        text, _bracket, key = value[:-1].partition("[")
        try:
            zone = ZoneInfo(key)
        except (ValueError, ZoneInfoNotFoundError):
            msg = f"unknown time zone {key!r} in datetime {value!r}"
            raise ValidationError(msg) from None
    if not isinstance(text, str):
        msg = f"expected an ISO 8601 datetime string with an offset, got {value!r}"
        raise ValidationError(msg)
    try:
        parsed = isoparse(text)
    except (ValueError, OverflowError):
        msg = f"expected an ISO 8601 datetime string with an offset, got {value!r}"
        raise ValidationError(msg) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        msg = f"expected a datetime with a UTC offset (e.g. '2026-01-05T09:00:00+00:00'), got naive {value!r}"
        raise NaiveDatetime(msg)
    return parsed if zone is None else parsed.astimezone(zone)


def _structure_date(value: Any, _: type) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        msg = f"expected an ISO 8601 date like '2026-12-24', got {value!r}"
        raise ValidationError(msg) from None


def _structure_time(value: Any, _: type) -> time:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        msg = f"expected an ISO 8601 time of day like '09:00:00', got {value!r}"
        raise ValidationError(msg) from None


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        msg = f"expected a decimal number written as a string (e.g. '12.50'), got {value!r}"
        raise ValidationError(msg)
    try:
        result = Decimal(value)
    except InvalidOperation:
        msg = f"expected a decimal number written as a string (e.g. '12.50'), got {value!r}"
        raise ValidationError(msg) from None
    if not result.is_finite():
        msg = f"expected a finite decimal number, got {value!r}"
        raise ValidationError(msg)
    return result


def _structure_duration(value: Any, _: type) -> timedelta:
    return parse_duration(value)


def _strict(kind: type, accepted: tuple[type, ...]) -> Any:
    def hook(value: Any, cls: type) -> Any:
        if issubclass(cls, enum.Enum):  # str- and int-based enums dispatch here too
            return _structure_enum(value, cls)
        if isinstance(value, bool) and bool not in accepted:
            msg = f"expected {kind.__name__}, got {value!r}"
            raise ValidationError(msg)
        if not isinstance(value, accepted):
            msg = f"expected {kind.__name__}, got {value!r}"
            raise ValidationError(msg)
        return kind(value)

    return hook


def _enum_value(value: Any) -> Any:
    """Enum members by their plain value; anything else unchanged."""
    return value.value if isinstance(value, enum.Enum) else value


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in cls)
        msg = f"expected one of {allowed}, got {value!r}"
        raise ValidationError(msg) from None


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
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(time, time.isoformat)
    conv.register_structure_hook(time, _structure_time)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(timedelta, format_duration)
    conv.register_structure_hook(timedelta, _structure_duration)
    conv.register_unstructure_hook(MappingProxyType, dict)
    conv.register_unstructure_hook(FrozenMap, dict)
    # Strict primitives: "400" is not an int and 1.5 is not silently truncated.
    for kind, accepted in ((str, (str,)), (int, (int,)), (float, (int, float)), (bool, (bool,))):
        conv.register_structure_hook(kind, _strict(kind, accepted))
    conv.register_unstructure_hook_func(_is_enum, _enum_value)
    # str- and int-based enums (Team, Stage, ...) dispatch to the str and int hooks first.
    conv.register_unstructure_hook(str, _enum_value)
    conv.register_unstructure_hook(int, _enum_value)
    conv.register_structure_hook_func(_is_enum, _structure_enum)
    _register_path_counts(conv)
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


def unstructure(obj: Any) -> Any:
    """Turn a salesmark object into plain, JSON-ready data (dicts, lists, strings, numbers).

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import Period
        >>> unstructure(Period.month(2026, 1))
        {'start': '2026-01-01T00:00:00+00:00', 'end': '2026-02-01T00:00:00+00:00'}
    """
    return converter.unstructure(obj)


def _describe(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, SalesmarkError):
        return str(exc)
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s) {sorted(exc.extra_fields)}"
    if isinstance(exc, KeyError):
        return "required field missing"
    name = getattr(_type, "__name__", repr(_type))
    return f"invalid value for {name}: {exc}"


def structure(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` from plain data, as written by :func:`unstructure`.

    Raises:
        StructureError: If anything in ``data`` does not fit; the message and
            ``problems`` list each offending field path with what was wrong.

    Example:
        >>> from salesmark import Money
        >>> structure({"amount": "12.50", "currency": "EUR"}, Money)
        Money('12.50 EUR')
        >>> structure({"amount": 12.5, "currency": "EUR"}, Money)
        Traceback (most recent call last):
        ...
        salesmark.errors.StructureError: cannot structure Money: expected a decimal number written as a string (e.g. '12.50'), got 12.5 @ $.amount
    """
    try:
        return converter.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        problems = tuple(cattrs.transform_error(exc, path="$", format_exception=_describe))
    except SalesmarkError as exc:
        problems = (f"{exc} @ $",)
    except (TypeError, ValueError, AttributeError) as exc:
        problems = (f"{type(exc).__name__}: {exc} @ $",)
    name = getattr(cls, "__name__", repr(cls))
    msg = f"cannot structure {name}: " + "; ".join(problems)
    raise StructureError(msg, problems)
