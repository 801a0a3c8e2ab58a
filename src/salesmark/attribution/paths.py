"""Journeys and their aggregated form, :class:`PathCounts`.

A :class:`Journey` is one buyer's ordered touches, whether they converted and what the
conversion was worth. :class:`PathCounts` stores each distinct path once with its
conversions, nulls (journeys that did not convert) and total value; it has an empty
value and an associative, commutative merge (``a + b``), so counts built on many
partitions combine exactly.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import compress, count, repeat
from operator import add, itemgetter, methodcaller
from typing import Any, NamedTuple

import attrs

from salesmark import _validators as v
from salesmark._time import require_aware
from salesmark.errors import CurrencyMismatch, ValidationError
from salesmark.money import Money

__all__ = ["Journey", "Milestones", "PathCounts", "PathRow"]

Path = tuple[str, ...]
Count = int | float


def check_path(path: object, field: str) -> Path:
    """Return ``path`` as a tuple of channel names, or raise a clear error."""
    if isinstance(path, str | bytes) or not isinstance(path, Iterable):
        msg = f"{field} must be a sequence of channel names, got {path!r}"
        raise ValidationError(msg)
    steps = tuple(path)
    if not steps:
        msg = f"{field} must hold at least one touch, got an empty path"
        raise ValidationError(msg)
    for step in steps:
        if not isinstance(step, str) or not step.strip():
            msg = f"{field} channel names must be non-empty strings, got {step!r} in {steps!r}"
            raise ValidationError(msg)
    return steps


def check_count(value: object, field: str) -> Count:
    """Return ``value`` if it is a finite number >= 0 (not a bool), else raise.

    Other integral and real numbers (numpy scalars, say) become ``int`` and ``float``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{field} must be a number >= 0, got {value!r}"
        raise ValidationError(msg)
    if not isinstance(value, int | float):
        value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"{field} must be finite, got {value!r}"
        raise ValidationError(msg)
    if value < 0:
        msg = f"{field} must be >= 0, got {value!r}"
        raise ValidationError(msg)
    return value


def _index(value: int | None, field: str) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        msg = f"{field} must be a touch index >= 0 or None, got {value!r}"
        raise ValidationError(msg)
    return value


def _index_validator(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    _index(value, v.where(instance, attribute))


@attrs.frozen(kw_only=True)
class Milestones:
    """Which touch of a journey marks each funnel milestone.

    Each field is the index (0-based) of the *last touch at or before* the milestone,
    or ``None`` when the milestone did not happen or no touch came before it.

    Attributes:
        lead_created: The lead-creation touch.
        opportunity_created: The opportunity-creation touch.
        closed_won: The closed-won touch.

    Example:
        >>> Milestones(lead_created=1, opportunity_created=2).closed_won is None
        True
    """

    lead_created: int | None = attrs.field(default=None, validator=_index_validator)
    opportunity_created: int | None = attrs.field(default=None, validator=_index_validator)
    closed_won: int | None = attrs.field(default=None, validator=_index_validator)

    def __attrs_post_init__(self) -> None:
        marks = [m for m in self.marks() if m is not None]
        if marks != sorted(marks):
            msg = (
                f"Milestones must come in funnel order (lead_created <= opportunity_created "
                f"<= closed_won), got {self.marks()!r}"
            )
            raise ValidationError(msg)

    def marks(self) -> tuple[int | None, int | None, int | None]:
        """The three indices as a tuple (lead, opportunity, won).

        Example:
            >>> Milestones(lead_created=0).marks()
            (0, None, None)
        """
        return (self.lead_created, self.opportunity_created, self.closed_won)


def _path(value: Iterable[str]) -> Path:
    return check_path(value, "Journey.path")


@attrs.frozen(kw_only=True)
class Journey:
    """One buyer's ordered touches, whether they converted and the conversion's value.

    Attributes:
        path: Channel (or campaign, or content) names in time order; at least one.
        converted: Whether the journey ended in the conversion being attributed.
        value: What the conversion was worth; only a converted journey has one.
        times: When each touch happened (timezone-aware, non-decreasing), or empty when
            unknown; :func:`~salesmark.attribution.time_decay` needs them.
        converted_at: When the conversion happened; defaults to the last touch's time.
        milestones: Which touches created the lead and the opportunity, and closed
            the deal (see :class:`Milestones`).

    Raises:
        ValidationError: If the path is empty, ``times`` does not match the path,
            a milestone index is outside the path, or a null journey carries a value.

    Example:
        >>> j = Journey.of("search", "email", converted=True, value=Money.of(100, "EUR"))
        >>> j.path, j.converted
        (('search', 'email'), True)
    """

    path: Path = attrs.field(converter=_path)
    converted: bool = attrs.field(default=False)
    value: Money | None = attrs.field(default=None)
    times: tuple[datetime, ...] = attrs.field(default=(), converter=v.to_tuple)
    converted_at: datetime | None = attrs.field(default=None)
    milestones: Milestones = attrs.field(factory=Milestones)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.converted, bool):
            msg = f"Journey.converted must be a bool, got {self.converted!r}"
            raise ValidationError(msg)
        if self.value is not None:
            if not isinstance(self.value, Money):
                msg = f"Journey.value must be Money or None, got {self.value!r}"
                raise ValidationError(msg)
            if not self.converted:
                msg = f"Journey.value must be None for a journey that did not convert, got {self.value!r}"
                raise ValidationError(msg)
        if self.times:
            if len(self.times) != len(self.path):
                msg = (
                    f"Journey.times must give one time per touch ({len(self.path)}), "
                    f"got {len(self.times)}"
                )
                raise ValidationError(msg)
            for index, at in enumerate(self.times):
                require_aware(at, f"Journey.times[{index}]")
                if index and at < self.times[index - 1]:
                    msg = f"Journey.times must not go back in time, got {at.isoformat()} at index {index}"
                    raise ValidationError(msg)
        if self.converted_at is not None:
            require_aware(self.converted_at, "Journey.converted_at")
        for name, mark in zip(
            ("lead_created", "opportunity_created", "closed_won"),
            self.milestones.marks(),
            strict=False,
        ):
            if mark is not None and mark >= len(self.path):
                msg = (
                    f"Journey.milestones.{name} must index a touch of the path "
                    f"(0..{len(self.path) - 1}), got {mark}"
                )
                raise ValidationError(msg)

    @classmethod
    def of(cls, *path: str, converted: bool = False, value: Money | None = None) -> Journey:
        """Build a journey from channel names, without times or milestones.

        Example:
            >>> Journey.of("a", "b").converted
            False
        """
        return cls(path=path, converted=converted, value=value)

    @property
    def reference_time(self) -> datetime | None:
        """The conversion time, else the last touch's time, else ``None``.

        Example:
            >>> Journey.of("a").reference_time is None
            True
        """
        if self.converted_at is not None:
            return self.converted_at
        return self.times[-1] if self.times else None


class PathRow(NamedTuple):
    """One distinct path of a :class:`PathCounts` with its totals.

    Example:
        >>> PathRow(("a", "b"), 2, 1, Decimal("10")).conversions
        2
    """

    path: Path
    conversions: Count
    nulls: Count
    value: Decimal


_Stats = tuple[Count, Count, Decimal]
_ZERO = Decimal(0)


def _to_decimal(value: object, field: str, *, allow_float: bool) -> Decimal:
    if isinstance(value, bool):
        msg = f"{field} must be a number, got {value!r}"
        raise ValidationError(msg)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float) and allow_float:
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            msg = f"{field} must be numeric, got {value!r}"
            raise ValidationError(msg) from None
    else:
        msg = f"{field} must be Money, a Decimal, an int or a numeric string, got {value!r}"
        raise ValidationError(msg)
    if not amount.is_finite() or amount < 0:
        msg = f"{field} must be a finite amount >= 0, got {value!r}"
        raise ValidationError(msg)
    return amount


@attrs.frozen(kw_only=True, repr=False)
class PathCounts:
    """Journeys aggregated by path: conversions, nulls and total value per distinct path.

    ``PathCounts()`` is the empty value; ``a + b`` merges exactly (associative and
    commutative), so ``sum(parts, PathCounts())`` combines counts built anywhere.
    Values are plain amounts in one ``currency`` (``None`` while every value is zero).
    Build one with :meth:`from_journeys`, :meth:`from_tuples` or :meth:`from_records`.

    Attributes:
        paths: Distinct path -> (conversions, nulls, value).
        currency: The currency of every value, or ``None`` when there is no value.

    Example:
        >>> a = PathCounts.from_tuples([(("search", "email"), 1, 2, "50")], currency="EUR")
        >>> b = PathCounts.from_tuples([(("search", "email"), 1, 0, "30"), (("email",), 0, 4, 0)],
        ...                            currency="EUR")
        >>> merged = a + b
        >>> merged
        PathCounts(2 paths, 2 conversions, 6 nulls, value 80 EUR)
        >>> merged.rows()[1]
        PathRow(path=('search', 'email'), conversions=2, nulls=2, value=Decimal('80'))
        >>> sum([a, b], PathCounts()) == merged
        True
    """

    paths: Mapping[Path, _Stats] = attrs.field(factory=dict, hash=False)
    currency: str | None = attrs.field(default=None)
    _sorted: tuple[PathRow, ...] | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False
    )
    _memo: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.currency is not None:
            Money.zero(self.currency)  # validates the code
        clean: dict[Path, _Stats] = {}
        for path, stats in self.paths.items():
            steps = check_path(path, "PathCounts.paths key")
            if not isinstance(stats, tuple) or len(stats) != 3:
                msg = f"PathCounts.paths[{steps!r}] must be (conversions, nulls, value), got {stats!r}"
                raise ValidationError(msg)
            conv = check_count(stats[0], f"PathCounts.paths[{steps!r}] conversions")
            nulls = check_count(stats[1], f"PathCounts.paths[{steps!r}] nulls")
            value = _to_decimal(stats[2], f"PathCounts.paths[{steps!r}] value", allow_float=False)
            if value and self.currency is None:
                msg = f"PathCounts.currency must be given when a path has a value, got value {value} for {steps!r}"
                raise ValidationError(msg)
            if conv or nulls or value:
                clean[steps] = (conv, nulls, value)
        object.__setattr__(self, "paths", clean)

    @classmethod
    def _make(cls, paths: dict[Path, _Stats], currency: str | None) -> PathCounts:
        """Build from already validated data, skipping the per-path checks."""
        counts = cls.__new__(cls)
        object.__setattr__(counts, "paths", paths)
        object.__setattr__(counts, "currency", currency)
        object.__setattr__(counts, "_sorted", None)
        object.__setattr__(counts, "_memo", {})
        return counts

    def memo(self) -> dict[str, Any]:
        """A private cache for derived data (the models keep their prepared rows here)."""
        return self._memo

    @classmethod
    def from_journeys(cls, journeys: Iterable[Journey]) -> PathCounts:
        """Aggregate journeys by path.

        Raises:
            CurrencyMismatch: If journey values come in different currencies.

        Example:
            >>> PathCounts.from_journeys([Journey.of("a", converted=True), Journey.of("a")])
            PathCounts(1 paths, 1 conversions, 1 nulls)
        """
        paths: dict[Path, list[Any]] = {}
        currency: str | None = None
        for index, journey in enumerate(journeys):
            if not isinstance(journey, Journey):
                msg = f"journeys[{index}] must be a Journey, got {journey!r}"
                raise ValidationError(msg)
            stats = paths.get(journey.path)
            if stats is None:
                stats = paths[journey.path] = [0, 0, _ZERO]
            if journey.converted:
                stats[0] += 1
                if journey.value is not None:
                    currency = _merge_currency(currency, journey.value.currency)
                    stats[2] += journey.value.amount
            else:
                stats[1] += 1
        return cls._make({p: (s[0], s[1], s[2]) for p, s in paths.items()}, currency)

    @classmethod
    def from_tuples(
        cls,
        rows: Iterable[tuple[Iterable[str], Count, Count, Money | Decimal | int | str | None]],
        *,
        currency: str | None = None,
    ) -> PathCounts:
        """Aggregate ``(path, conversions, nulls, value)`` tuples; repeated paths add up.

        Values are ``Money`` or plain amounts in ``currency``; ``None`` means no value.

        Raises:
            ValidationError: On an empty path, a negative count, or a plain amount
                without ``currency``.
            CurrencyMismatch: If values come in different currencies.

        Example:
            >>> PathCounts.from_tuples([(["a", "b"], 3, 1, Money.of("9.99", "USD"))]).currency
            'USD'
        """
        paths: dict[Path, list[Any]] = {}
        cur = currency
        if cur is not None:
            Money.zero(cur)
        for index, row in enumerate(rows):
            if not isinstance(row, tuple) or len(row) != 4:
                msg = (
                    f"rows[{index}] must be a (path, conversions, nulls, value) tuple, got {row!r}"
                )
                raise ValidationError(msg)
            raw_path, raw_conv, raw_nulls, raw_value = row
            path = check_path(raw_path, f"rows[{index}].path")
            conv = check_count(raw_conv, f"rows[{index}].conversions")
            nulls = check_count(raw_nulls, f"rows[{index}].nulls")
            if raw_value is None:
                value = _ZERO
            elif isinstance(raw_value, Money):
                cur = _merge_currency(cur, raw_value.currency)
                value = _to_decimal(raw_value.amount, f"rows[{index}].value", allow_float=False)
            else:
                value = _to_decimal(raw_value, f"rows[{index}].value", allow_float=False)
                if value and cur is None:
                    msg = (
                        f"rows[{index}].value {raw_value!r} is a plain amount: give currency= once"
                    )
                    raise ValidationError(msg)
            _add(paths, path, conv, nulls, value)
        return cls._make(_freeze(paths), cur)

    @classmethod
    def from_records(  # noqa: PLR0912 (one hot loop, kept inline for speed)
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        path: str = "path",
        conversions: str = "total_conversions",
        nulls: str | None = "total_null",
        value: str | None = "total_conversion_value",
        sep: str = " > ",
        currency: str | None = None,
    ) -> PathCounts:
        """Read rows in ChannelAttribution's format (``"a > b > c"`` path strings).

        Each row is a mapping (``df.to_dict("records")`` gives them). Channel names are
        split on ``sep`` and stripped of surrounding spaces. A missing ``nulls`` or
        ``value`` column (or ``None`` for either name) counts as zero. Float values, as
        pandas gives them, are read through their shortest repr (``12.5`` -> ``12.5``).

        Raises:
            ValidationError: On a missing path or conversions column, an empty path,
                a negative count, or values without ``currency``.

        Example:
            >>> rows = [{"path": "search > email", "total_conversions": 2, "total_null": 1,
            ...          "total_conversion_value": 120.5}]
            >>> PathCounts.from_records(rows, currency="EUR")
            PathCounts(1 paths, 2 conversions, 1 nulls, value 120.5 EUR)
        """
        if not sep:
            msg = "PathCounts.from_records sep must be a non-empty string, got ''"
            raise ValidationError(msg)
        if currency is not None:
            Money.zero(currency)
        if not isinstance(rows, list | tuple):
            rows = list(rows)
        fast = _well_formed_records(rows, (path, conversions, nulls, value), sep, currency)
        if fast is not None:
            return cls._make(fast, currency)
        core = sep.strip() or sep  # "a>b" and "a > b" both split on " > "
        padded = (" " + sep, sep + " ") if core != sep else ("\0", "\0")
        strip = str.strip
        paths: dict[Path, _Stats] = {}
        for index, row in enumerate(rows):
            try:
                text = row[path]
                conv = row[conversions]
            except KeyError as missing:
                msg = f"rows[{index}] has no {missing} column; it has {sorted(row)!r}"
                raise ValidationError(msg) from None
            if type(text) is not str:
                text = _path_text(text, index, path)
            if (
                core != sep
                and text.count(core) == text.count(sep)
                and padded[0] not in text
                and padded[1] not in text
                and text == strip(text)
            ):
                steps = tuple(text.split(sep))  # well-formed: nothing to strip
            else:
                steps = tuple(map(strip, text.split(core)))
            if "" in steps:
                check_path(steps, f"rows[{index}][{path!r}]")
            if type(conv) is not int or conv < 0:
                conv = check_count(conv, f"rows[{index}][{conversions!r}]")
            null_count: Count = 0
            if nulls is not None:
                null_count = row.get(nulls, 0)
                if type(null_count) is not int or null_count < 0:
                    null_count = check_count(null_count, f"rows[{index}][{nulls!r}]")
            amount = _ZERO
            if value is not None:
                raw = row.get(value)
                if type(raw) is float and raw > 0 and currency is not None and raw != math.inf:
                    amount = Decimal(repr(raw))
                elif raw is not None and raw != 0:
                    amount = _record_value(raw, index, value, currency)
            old = paths.get(steps)
            paths[steps] = (
                (conv, null_count, amount)
                if old is None
                else (old[0] + conv, old[1] + null_count, old[2] + amount)
            )
        return cls._make({p: s for p, s in paths.items() if s[0] or s[1] or s[2]}, currency)

    def rows(self) -> tuple[PathRow, ...]:
        """Every distinct path with its totals, sorted by path.

        Example:
            >>> PathCounts.from_tuples([(("b",), 1, 0, None), (("a",), 0, 1, None)]).rows()[0].path
            ('a',)
        """
        if self._sorted is None:
            ordered = tuple(PathRow(p, *self.paths[p]) for p in sorted(self.paths))
            object.__setattr__(self, "_sorted", ordered)
            return ordered
        return self._sorted

    def __iter__(self) -> Iterator[PathRow]:
        return iter(self.rows())

    def __len__(self) -> int:
        return len(self.paths)

    @property
    def total_conversions(self) -> Count:
        """The conversions of every path added up.

        Example:
            >>> PathCounts().total_conversions
            0
        """
        return sum(s[0] for s in self.paths.values())

    @property
    def total_nulls(self) -> Count:
        """The nulls (journeys without conversion) of every path added up.

        Example:
            >>> PathCounts().total_nulls
            0
        """
        return sum(s[1] for s in self.paths.values())

    @property
    def total_value(self) -> Money | None:
        """The value of every path added up, or ``None`` without a currency.

        Example:
            >>> PathCounts.from_tuples([(("a",), 1, 0, "5")], currency="EUR").total_value
            Money('5 EUR')
        """
        if self.currency is None:
            return None
        total = self._memo.get("total_value")
        if not isinstance(total, Money):
            total = Money(sum((s[2] for s in self.paths.values()), _ZERO), self.currency)
            self._memo["total_value"] = total
        return total

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel name that appears in any path, sorted.

        Example:
            >>> PathCounts.from_tuples([(("b", "a"), 1, 0, None)]).channels
            ('a', 'b')
        """
        return tuple(sorted({c for p in self.paths for c in p}))

    def __add__(self, other: PathCounts) -> PathCounts:
        if not isinstance(other, PathCounts):
            return NotImplemented
        currency = _merge_currency(self.currency, other.currency)
        big, small = (self, other) if len(self.paths) >= len(other.paths) else (other, self)
        merged: dict[Path, _Stats] = dict(big.paths)
        for path, (conv, nulls, value) in small.paths.items():
            old = merged.get(path)
            merged[path] = (
                (conv, nulls, value)
                if old is None
                else (old[0] + conv, old[1] + nulls, old[2] + value)
            )
        return PathCounts._make(merged, currency)

    def __radd__(self, other: object) -> PathCounts:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __repr__(self) -> str:
        text = (
            f"PathCounts({len(self.paths)} paths, {_num(self.total_conversions)} conversions, "
            f"{_num(self.total_nulls)} nulls"
        )
        total = self.total_value
        if total is not None:
            text += f", value {total.amount} {total.currency}"
        return text + ")"


def _well_formed_records(
    rows: Sequence[Mapping[str, Any]],
    columns: tuple[str, str, str | None, str | None],
    sep: str,
    currency: str | None,
) -> dict[Path, _Stats] | None:
    """:meth:`PathCounts.from_records` for well-formed rows, column by column.

    Checks the rows as a whole (every path a string with single-spaced separators and
    nothing to strip, every count a non-negative int) so each step runs in C, and
    returns the same totals the row-by-row route would. Returns ``None`` as soon as
    anything is not plainly well-formed: the caller then walks the rows one by one,
    which names the first offending row.
    """
    path, conversions, nulls, value = columns
    try:
        texts = list(map(itemgetter(path), rows))
        convs = list(map(itemgetter(conversions), rows))
        null_counts = list(map(methodcaller("get", nulls, 0), rows)) if nulls is not None else None
        raws = list(map(methodcaller("get", value), rows)) if value is not None else None
    except (KeyError, TypeError, AttributeError):
        return None
    steps = _well_formed_paths(texts, sep)
    if steps is None or not all(_natural(c) for c in (convs, null_counts) if c is not None):
        return None
    amounts = [_ZERO] * len(texts)
    for index in compress(count(), raws or ()):  # rows with a non-zero value
        raw = raws[index] if raws else None
        if type(raw) is float and raw > 0 and currency is not None and raw != math.inf:
            amounts[index] = Decimal(repr(raw))
        else:
            amounts[index] = _record_value(raw, index, value or "", currency)
    weights = convs if null_counts is None else list(map(add, convs, null_counts))
    stats: list[_Stats] = list(zip(convs, null_counts or repeat(0), amounts))  # noqa: B905
    paths: dict[Path, _Stats] = dict(zip(steps, stats, strict=True))
    if len(paths) != len(steps):  # a path given in several rows: add them up
        paths = {}
        for key, (conv, null_count, amount) in zip(steps, stats, strict=True):
            old = paths.get(key)
            paths[key] = (
                (conv, null_count, amount)
                if old is None
                else (old[0] + conv, old[1] + null_count, old[2] + amount)
            )
    elif 0 not in weights:
        return paths
    return {p: s for p, s in paths.items() if s[0] or s[1] or s[2]}


def _well_formed_paths(texts: list[Any], sep: str) -> list[Path] | None:
    """Split path strings on ``sep`` if all are plainly well-formed, else ``None``."""
    core = sep.strip()
    if not texts or not core or core == sep:
        return [] if texts == [] else None
    if set(map(type, texts)) != {str} or "" in texts:
        return None
    joined = "\0".join(texts)
    if (
        joined.count(core) != joined.count(sep)
        or " " + sep in joined
        or sep + " " in joined
        or list(map(str.strip, texts)) != texts
    ):
        return None
    return list(map(tuple, map(str.split, texts, repeat(sep))))


def _natural(column: list[Any]) -> bool:
    """Whether every count in a column is an int of zero or more."""
    return not column or (set(map(type, column)) == {int} and min(column) >= 0)


def _path_text(text: object, index: int, column: str) -> str:
    if not isinstance(text, str):
        msg = f"rows[{index}][{column!r}] must be a path string, got {text!r}"
        raise ValidationError(msg)
    return str(text)


def _record_value(raw: object, index: int, column: str, currency: str | None) -> Decimal:
    """Read one value cell of :meth:`PathCounts.from_records`."""
    if raw is None or raw == 0:
        return _ZERO
    if type(raw) is float and raw > 0 and raw != math.inf:
        amount = Decimal(repr(raw))
    else:
        amount = _to_decimal(raw, f"rows[{index}][{column!r}]", allow_float=True)
    if amount and currency is None:
        msg = (
            f"rows[{index}][{column!r}] is {raw!r}: give currency= "
            "to read values, or value=None to ignore them"
        )
        raise ValidationError(msg)
    return amount


def _num(value: Count) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _merge_currency(left: str | None, right: str | None) -> str | None:
    if left is None:
        return right
    if right is None or right == left:
        return left
    msg = f"PathCounts values must share one currency, got {left!r} and {right!r}"
    raise CurrencyMismatch(msg)


def _add(
    paths: dict[Path, list[Any]], path: Path, conv: Count, nulls: Count, value: Decimal
) -> None:
    stats = paths.get(path)
    if stats is None:
        paths[path] = [conv, nulls, value]
    else:
        stats[0] += conv
        stats[1] += nulls
        stats[2] += value


def _freeze(paths: dict[Path, list[Any]]) -> dict[Path, _Stats]:
    return {p: (s[0], s[1], s[2]) for p, s in paths.items() if s[0] or s[1] or s[2]}
