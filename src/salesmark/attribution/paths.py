"""Journeys aggregated by path: :class:`PathCounts` and its rows, :class:`PathRow`.

:class:`PathCounts` stores each distinct path once with its conversions, nulls
(journeys that did not convert) and total value; it has an empty value and an
associative, commutative merge (``a + b``), so counts built on many partitions combine
exactly. Build one from :class:`~salesmark.attribution.Journey` objects, from
``(path, conversions, nulls, value)`` tuples, or from tidy records in
ChannelAttribution's format.

Example:
    >>> counts = PathCounts.from_tuples([(("search", "email"), 2, 1, None), (("email",), 0, 3, None)])
    >>> [(row.path, row.conversions) for row in counts]
    [(('email',), 0), (('search', 'email'), 2)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from salesmark import _frames
from salesmark import _validators as v
from salesmark.attribution._checks import (
    Count,
    Engine,
    Path,
    check_amount,
    check_path,
    choose_engine,
    exact_count,
)
from salesmark.attribution._columns import (
    MAX_COUNT,
    MAX_DECIMALS,
    MAX_VALUE,
    WIDE,
    ZERO,
    Stats,
    Table,
    check_value_bounds,
    merge,
    merge_all,
)
from salesmark.attribution._parsing import read_records
from salesmark.attribution.journeys import Journey
from salesmark.errors import CurrencyMismatch, ValidationError
from salesmark.money import Money

__all__ = ["MAX_COUNT", "MAX_DECIMALS", "MAX_VALUE", "PathCounts", "PathRow"]


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


def _to_table(paths: Mapping[Path, Stats]) -> Table:
    """The constructor's ``paths`` as a table, every entry checked."""
    if isinstance(paths, Table):
        return paths
    v.require(paths, Mapping, "PathCounts.paths")  # type: ignore[type-abstract]
    keys: list[Path] = []
    rows: list[tuple[Any, Any, Decimal]] = []
    for path, stats in paths.items():
        steps = check_path(path, "PathCounts.paths key")
        if not isinstance(stats, tuple) or len(stats) != 3:
            msg = f"PathCounts.paths[{steps!r}] must be (conversions, nulls, value), got {stats!r}"
            raise ValidationError(msg)
        conv = exact_count(stats[0], f"PathCounts.paths[{steps!r}] conversions")
        nulls = exact_count(stats[1], f"PathCounts.paths[{steps!r}] nulls")
        value = check_amount(stats[2], f"PathCounts.paths[{steps!r}] value", allow_float=False)
        check_value_bounds(value, f"PathCounts.paths[{steps!r}] value")
        keys.append(steps)
        rows.append((conv, nulls, value))
    if len(set(keys)) != len(keys):
        msg = "PathCounts.paths must give each path once"
        raise ValidationError(msg)
    return Table.build(keys, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


@attrs.frozen(kw_only=True, repr=False)
class PathCounts:
    """Journeys aggregated by path: conversions, nulls and total value per distinct path.

    ``PathCounts()`` is the empty value; ``a + b`` merges exactly (associative and
    commutative), so ``sum(parts, PathCounts())`` combines counts built anywhere.
    Values are plain amounts in one ``currency`` (``None`` while every value is zero).
    Build one with :meth:`from_journeys`, :meth:`from_tuples` or :meth:`from_records`.

    The store is columnar: channel names are interned once, paths are slices of one
    flat array of small integers, and counts and values are integer columns, so sums
    are exact and a path costs tens of bytes. Counts are bounded by :data:`MAX_COUNT`
    (2**53, conversions plus nulls in all) and a value by :data:`MAX_VALUE` with at
    most :data:`MAX_DECIMALS` decimal places.

    Attributes:
        paths: Distinct path -> (conversions, nulls, value), a read-only mapping.
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

    paths: Mapping[Path, Stats] = attrs.field(factory=Table.empty, converter=_to_table, hash=False)
    currency: str | None = attrs.field(default=None)
    _sorted: tuple[PathRow, ...] | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False
    )
    _memo: dict[Any, Any] = attrs.field(factory=dict, init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.currency is not None:
            try:
                Money.zero(self.currency)  # validates the code
            except ValidationError as exc:
                msg = str(exc).replace("Money.currency", "PathCounts.currency", 1)
                raise type(exc)(msg, path="/currency", value=self.currency) from None
        elif any(self.table.units):
            msg = "PathCounts.currency must be given when a path has a value"
            raise ValidationError(msg)

    @property
    def table(self) -> Table:
        """The columnar store (private to the attribution engines)."""
        return self.paths  # type: ignore[return-value]

    @classmethod
    def _make(cls, table: Table, currency: str | None) -> PathCounts:
        """Build from an already validated table, skipping the per-path checks."""
        counts = cls.__new__(cls)
        object.__setattr__(counts, "paths", table)
        object.__setattr__(counts, "currency", currency)
        object.__setattr__(counts, "_sorted", None)
        object.__setattr__(counts, "_memo", {})
        return counts

    def __reduce__(self) -> tuple[Any, ...]:
        return (PathCounts._make, (self.table, self.currency))

    @classmethod
    def from_journeys(cls, journeys: Iterable[Journey]) -> PathCounts:
        """Aggregate journeys by path.

        Raises:
            WrongType: If ``journeys`` is not an iterable of Journey.
            CurrencyMismatch: If journey values come in different currencies.

        Example:
            >>> PathCounts.from_journeys([Journey.of("a", converted=True), Journey.of("a")])
            PathCounts(1 paths, 1 conversions, 1 nulls)
        """
        paths: dict[Path, list[Any]] = {}
        currency: str | None = None
        for journey in v.argument_items(journeys, "PathCounts.from_journeys journeys", Journey):
            stats = paths.get(journey.path)
            if stats is None:
                stats = paths[journey.path] = [0, 0, ZERO]
            if journey.converted:
                stats[0] += 1
                if journey.value is not None:
                    currency = _merge_currency(currency, journey.value.currency)
                    stats[2] = WIDE.add(stats[2], journey.value.amount)
            else:
                stats[1] += 1
        return cls._make(_table(paths), currency)

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
            WrongType: If ``rows`` is not an iterable of tuples, or a cell has the wrong type.
            ValidationError: On an empty path, a negative count or one above
                :data:`MAX_COUNT`, a value out of bounds, or a plain amount without
                ``currency``.
            CurrencyMismatch: If values come in different currencies.

        Example:
            >>> PathCounts.from_tuples([(["a", "b"], 3, 1, Money.of("9.99", "USD"))]).currency
            'USD'
        """
        paths: dict[Path, list[Any]] = {}
        cur = currency
        if cur is not None:
            Money.zero(cur)
        for index, row in enumerate(v.argument_items(rows, "PathCounts.from_tuples rows", tuple)):
            if len(row) != 4:
                msg = (
                    f"rows[{index}] must be a (path, conversions, nulls, value) tuple, got {row!r}"
                )
                raise ValidationError(msg)
            raw_path, raw_conv, raw_nulls, raw_value = row
            path = check_path(raw_path, f"rows[{index}].path")
            conv = exact_count(raw_conv, f"rows[{index}].conversions")
            nulls = exact_count(raw_nulls, f"rows[{index}].nulls")
            if raw_value is None:
                value = ZERO
            elif isinstance(raw_value, Money):
                cur = _merge_currency(cur, raw_value.currency)
                value = check_amount(raw_value.amount, f"rows[{index}].value", allow_float=False)
            else:
                value = check_amount(raw_value, f"rows[{index}].value", allow_float=False)
                if value and cur is None:
                    msg = (
                        f"rows[{index}].value {raw_value!r} is a plain amount: give currency= once"
                    )
                    raise ValidationError(msg)
            if value:
                check_value_bounds(value, f"rows[{index}].value")
            stats = paths.get(path)
            if stats is None:
                paths[path] = [conv, nulls, value]
            else:
                stats[0] += conv
                stats[1] += nulls
                stats[2] = WIDE.add(stats[2], value)
        return cls._make(_table(paths), cur)

    @classmethod
    def from_records(
        cls,
        rows: Iterable[Mapping[str, Any]] | Mapping[str, Any] | _frames.DataFrame,
        *,
        path: str = "path",
        conversions: str = "total_conversions",
        nulls: str | None = "total_null",
        value: str | None = "total_conversion_value",
        sep: str = " > ",
        currency: str | None = None,
        engine: Engine | None = None,
    ) -> PathCounts:
        """Read rows in ChannelAttribution's format (``"a > b > c"`` path strings).

        ``rows`` is a pandas, polars or pyarrow table (read through narwhals, the
        ``dataframe`` extra, one column at a time; a missing cell, ``None`` or ``NaN``,
        counts as zero nulls or no value), a sequence of mappings
        (``df.to_dict("records")``) or one mapping of column name -> column
        (``df.to_dict("list")``, or numpy arrays such as
        ``{c: df[c].to_numpy() for c in df}``, which the numpy engine reads without a
        Python loop over the counts). Channel names are split on ``sep`` and
        stripped of surrounding spaces. A missing ``nulls`` or ``value`` column (or
        ``None`` for either name) counts as zero. Float values, as pandas gives them,
        are read through their shortest repr (``12.5`` -> ``12.5``). ``engine``
        (``"python"`` or ``"numpy"``; numpy when installed, by default) splits the
        path strings; both give the same counts.

        Raises:
            WrongType: If ``rows`` is not rows, columns or a table (a lazy frame is
                refused: collect it first), or a cell has the wrong type.
            ValidationError: On a missing path or conversions column, an empty path,
                a negative count, values without ``currency``, or a table without
                narwhals installed.

        Example:
            >>> rows = [{"path": "search > email", "total_conversions": 2, "total_null": 1,
            ...          "total_conversion_value": 120.5}]
            >>> PathCounts.from_records(rows, currency="EUR")
            PathCounts(1 paths, 2 conversions, 1 nulls, value 120.5 EUR)
            >>> PathCounts.from_records({"path": ["a > b", "b"], "total_conversions": [1, 0],
            ...                          "total_null": [0, 2]}, value=None)
            PathCounts(2 paths, 1 conversions, 2 nulls)
        """
        v.require(sep, str, "PathCounts.from_records sep")
        if not sep:
            msg = "PathCounts.from_records sep must be a non-empty string, got ''"
            raise ValidationError(msg)
        if currency is not None:
            Money.zero(currency)
        chosen = choose_engine(engine, "PathCounts.from_records")
        names = (path, conversions, nulls, value)
        if _frames.is_frame(rows):
            rows = _frames.columns_of(
                rows, names, what="PathCounts.from_records rows", required=(path, conversions)
            )
            if nulls in rows and None in rows[nulls]:  # a gap in the nulls is zero nulls
                rows[nulls] = [0 if x is None else x for x in rows[nulls]]
        table = read_records(rows, names, sep, currency, chosen)
        return cls._make(table, currency)

    def rows(self) -> tuple[PathRow, ...]:
        """Every distinct path with its totals, sorted by path.

        Example:
            >>> PathCounts.from_tuples([(("b",), 1, 0, None), (("a",), 0, 1, None)]).rows()[0].path
            ('a',)
        """
        if self._sorted is None:
            ordered = tuple(PathRow(p, *s) for p, s in self.table.sorted_rows())
            object.__setattr__(self, "_sorted", ordered)
            return ordered
        return self._sorted

    def __iter__(self) -> Iterator[PathRow]:
        return iter(self.rows())

    def __len__(self) -> int:
        return len(self.table)

    @property
    def total_conversions(self) -> Count:
        """The conversions of every path added up, exactly.

        Example:
            >>> PathCounts().total_conversions
            0
        """
        return self.table.total_conversions()

    @property
    def total_nulls(self) -> Count:
        """The nulls (journeys without conversion) of every path added up, exactly.

        Example:
            >>> PathCounts().total_nulls
            0
        """
        return self.table.total_nulls()

    @property
    def total_value(self) -> Money | None:
        """The value of every path added up (exactly), or ``None`` without a currency.

        Example:
            >>> PathCounts.from_tuples([(("a",), 1, 0, "5")], currency="EUR").total_value
            Money('5 EUR')
        """
        if self.currency is None:
            return None
        return Money(self.table.total_value(), self.currency)

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel name that appears in any path, sorted.

        Example:
            >>> PathCounts.from_tuples([(("b", "a"), 1, 0, None)]).channels
            ('a', 'b')
        """
        return self.table.names

    @classmethod
    def merge(cls, parts: Iterable[PathCounts]) -> PathCounts:
        """The counts of every part added up at once (k at once); no part gives ``PathCounts()``.

        Folding many parts with ``sum`` copies the growing table once per part; this
        builds it once. The same counts as ``sum(parts, PathCounts())``.

        Raises:
            WrongType: If a part is not a PathCounts.
            CurrencyMismatch: If their values are in different currencies.

        Example:
            >>> a = PathCounts.from_tuples([(("a",), 1, 0, None)])
            >>> PathCounts.merge([a, PathCounts(), a])
            PathCounts(1 paths, 2 conversions, 0 nulls)
        """
        items = v.argument_items(parts, "PathCounts.merge parts", cls)
        currency: str | None = None
        for part in items:
            currency = _merge_currency(currency, part.currency)
        return cls._make(merge_all([p.table for p in items]), currency)

    def __add__(self, other: PathCounts) -> PathCounts:
        if not isinstance(other, PathCounts):
            return NotImplemented
        currency = _merge_currency(self.currency, other.currency)
        return PathCounts._make(merge(self.table, other.table), currency)

    def __radd__(self, other: object) -> PathCounts:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __repr__(self) -> str:
        text = (
            f"PathCounts({len(self)} paths, {_num(self.total_conversions)} conversions, "
            f"{_num(self.total_nulls)} nulls"
        )
        total = self.total_value
        if total is not None:
            text += f", value {total.amount} {total.currency}"
        return text + ")"


def _num(value: Count) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _merge_currency(left: str | None, right: str | None) -> str | None:
    if left is None:
        return right
    if right is None or right == left:
        return left
    msg = f"PathCounts values must share one currency, got {left!r} and {right!r}"
    raise CurrencyMismatch(msg)


def _table(paths: dict[Path, list[Any]]) -> Table:
    keys = list(paths)
    stats = list(paths.values())
    for path, (_c, _n, value) in zip(keys, stats, strict=True):
        if value:
            check_value_bounds(value, f"the value of path {path!r}")
    return Table.build(keys, [s[0] for s in stats], [s[1] for s in stats], [s[2] for s in stats])


def cache_of(counts: PathCounts) -> dict[Any, Any]:
    """The private cache of derived sums the models keep on ``counts`` (never shared out)."""
    return counts._memo
