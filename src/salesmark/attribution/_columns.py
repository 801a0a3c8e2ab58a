"""The columnar store behind :class:`~salesmark.attribution.PathCounts` (private).

A :class:`Table` interns channel names to small integers with one sorted name table,
holds every distinct path as a slice of one flat token array (``array`` module; one
byte a touch up to 256 channels), and keeps conversions, nulls and values as parallel
integer columns: counts as ``array('q')`` (or exact :class:`~fractions.Fraction` when
sampled journeys carry fractional weights) and values as whole units of
``10**exponent`` of the currency, so sums and merges are exact and associative.

Bounds (documented in ``docs/attribution.md``): every count and the total of all
conversions and nulls are at most :data:`MAX_COUNT` (2**53, so every sum of counts the
engines form in floating point is exact); a value is at most :data:`MAX_VALUE` with at
most :data:`MAX_DECIMALS` decimal places.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Context, Decimal
from fractions import Fraction
from itertools import accumulate, chain, pairwise, repeat
from typing import Any, Final, Union

from salesmark.errors import ValidationError

Path = tuple[str, ...]
Count = Union[int, float]  # noqa: UP007 (a runtime alias)
Stats = tuple[Count, Count, Decimal]

MAX_COUNT: Final = 2**53
"""The largest count, and the largest total of conversions plus nulls, a PathCounts holds."""

MAX_VALUE: Final = Decimal(10**30 - 1)
"""The largest value one row, one path or all paths together may carry (10**30 - 1 units of
its currency, the largest whole amount :class:`~salesmark.Money` holds)."""

MAX_DECIMALS: Final = 18
"""The most decimal places a value may have."""

WIDE: Final = Context(prec=80, Emax=10**6, Emin=-(10**6))
"""A context wide enough that every value arithmetic within the bounds is exact."""

ZERO: Final = Decimal(0)

CountColumn = Union["array[int]", list[Fraction]]


def typecode(channels: int) -> str:
    """The smallest unsigned array type that holds ``channels`` ids."""
    return "B" if channels <= 256 else "H" if channels <= 65536 else "I"


def count_column(values: Iterable[Any]) -> CountColumn:
    """Whole counts as ``array('q')``; any fractional count makes the column exact fractions."""
    items = list(values)
    try:
        return array("q", items)
    except TypeError:
        return [Fraction(x) for x in items]


def value_units(amount: Decimal, exponent: int) -> int:
    """``amount`` in whole units of ``10**exponent`` (exact)."""
    return int(amount.scaleb(-exponent, WIDE))


def exponent_of(amount: Decimal) -> int:
    """The exponent a table uses to hold ``amount``: its own (``4.50`` keeps its cents), at most 0.

    It is never finer than :data:`MAX_DECIMALS` places.
    """
    if not amount:
        return 0
    exp = amount.as_tuple().exponent
    assert isinstance(exp, int)
    return min(max(exp, -MAX_DECIMALS), 0)


def _places(amount: Decimal) -> int:
    exp = amount.normalize(WIDE).as_tuple().exponent
    assert isinstance(exp, int)
    return -exp


def check_value_bounds(amount: Decimal, field: str) -> None:
    """Refuse a value above :data:`MAX_VALUE` or with more than :data:`MAX_DECIMALS` places."""
    if amount > MAX_VALUE:
        msg = f"{field} must be at most {MAX_VALUE:,}, got {amount}"
        raise ValidationError(msg)
    if _places(amount) > MAX_DECIMALS:
        msg = f"{field} must have at most {MAX_DECIMALS} decimal places, got {amount}"
        raise ValidationError(msg)


Totals = tuple[Any, Any, int]
"""The exact totals of a table's conversions, nulls and value units."""


def total_check(
    conversions: CountColumn,
    nulls: CountColumn,
    units: Sequence[int],
    exponent: int,
    totals: Totals | None = None,
) -> Totals:
    """Refuse columns whose totals pass the bounds; their exact totals (summed, or ``totals``)."""
    if totals is None:
        totals = (sum(conversions), sum(nulls), sum(units))
    total = totals[0] + totals[1]
    if total > MAX_COUNT:
        msg = (
            f"PathCounts can hold at most {MAX_COUNT:,} journeys (conversions plus nulls) in all, "
            f"got {float(total):.6g}"
        )
        raise ValidationError(msg)
    value = _decimal(totals[2], exponent)
    if value > MAX_VALUE:
        msg = f"PathCounts can hold a value of at most {MAX_VALUE:,} in all, got {value}"
        raise ValidationError(msg)
    return totals


class Table(Mapping[Path, Stats]):
    """Distinct paths as columns; read as an immutable mapping path -> (conv, nulls, value).

    Paths are kept in the order they were first seen; :meth:`order` gives the sorted
    order, the same for any insertion order. Never mutated after construction.
    """

    __slots__ = (
        "_index",
        "_order",
        "_totals",
        "conversions",
        "exponent",
        "names",
        "nulls",
        "offsets",
        "tokens",
        "units",
    )

    def __init__(  # noqa: PLR0917 (the columns of one table)
        self,
        names: tuple[str, ...],
        tokens: array[int],
        offsets: array[int],
        conversions: CountColumn,
        nulls: CountColumn,
        values: Sequence[int],
        exponent: int,
    ) -> None:
        self.names = names
        self.tokens = tokens
        self.offsets = offsets
        self.conversions = conversions
        self.nulls = nulls
        self.units = values
        self.exponent = exponent
        self._index: dict[Any, int] | None = None
        self._order: list[int] | None = None
        self._totals: dict[str, Any] = {}

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def empty(cls) -> Table:
        """The table with no path."""
        return cls((), array("B"), array("q", [0]), array("q"), array("q"), array("q"), 0)

    @classmethod
    def build(
        cls,
        paths: Sequence[Path],
        conversions: Sequence[Any],
        nulls: Sequence[Any],
        values: Sequence[Decimal] | None,
    ) -> Table:
        """A table from distinct, validated paths (all-zero rows are dropped)."""
        values_list = list(values) if values is not None else None
        keep = [
            i
            for i, (c, n) in enumerate(zip(conversions, nulls, strict=True))
            if c or n or (values_list is not None and values_list[i])
        ]
        if len(keep) != len(paths):
            paths = [paths[i] for i in keep]
            conversions = [conversions[i] for i in keep]
            nulls = [nulls[i] for i in keep]
            if values_list is not None:
                values_list = [values_list[i] for i in keep]
        names = tuple(sorted(set(chain.from_iterable(paths))))
        ids = {name: i for i, name in enumerate(names)}
        tokens = array(typecode(len(names)), map(ids.__getitem__, chain.from_iterable(paths)))
        offsets = array("q", accumulate(map(len, paths), initial=0))
        conv = count_column(conversions)
        null = count_column(nulls)
        exponent, units = _units(values_list, len(paths))
        return cls(names, tokens, offsets, conv, null, units, exponent).checked()

    # -- mapping --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def path(self, i: int) -> Path:
        """The channel names of path ``i``."""
        names = self.names
        return tuple(map(names.__getitem__, self.tokens[self.offsets[i] : self.offsets[i + 1]]))

    def keys_raw(self) -> list[Any]:
        """One hashable, order-preserving key per path (bytes of ids, or tuples of ids)."""
        tokens, offsets = self.tokens, self.offsets
        if tokens.typecode == "B":
            flat = tokens.tobytes()
            return list(map(flat.__getitem__, map(slice, offsets, offsets[1:])))
        return [tuple(tokens[a:b]) for a, b in pairwise(offsets)]

    def __iter__(self) -> Iterator[Path]:
        names = self.names
        tokens, offsets = self.tokens, self.offsets
        for a, b in pairwise(offsets):
            yield tuple(map(names.__getitem__, tokens[a:b]))

    def stats(self, i: int) -> Stats:
        """(conversions, nulls, value) of path ``i``, counts as int when whole."""
        return (
            _count(self.conversions[i]),
            _count(self.nulls[i]),
            _decimal(self.units[i], self.exponent),
        )

    def __getitem__(self, key: Path) -> Stats:
        if self._index is None:
            self._index = {path: i for i, path in enumerate(self)}
        return self.stats(self._index[key])

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def items(self) -> Iterator[tuple[Path, Stats]]:  # type: ignore[override]
        """Each path with its stats, in storage order."""
        return zip(self, map(self.stats, range(len(self))), strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return Mapping.__eq__(self, other)
        if len(self) != len(other):
            return False
        return self.sorted_rows() == other.sorted_rows()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PathTable({len(self)} paths)"

    # -- canonical order ------------------------------------------------------------------

    def order(self) -> list[int]:
        """Row indices sorted by path (channel names), whatever the insertion order."""
        if self._order is None:
            keys = self.keys_raw()
            self._order = sorted(range(len(keys)), key=keys.__getitem__)
        return self._order

    def sorted_rows(self) -> list[tuple[Path, Stats]]:
        """Every (path, stats) in sorted order."""
        return [(self.path(i), self.stats(i)) for i in self.order()]

    @property
    def whole(self) -> bool:
        """Whether every count is a whole number (then every float sum of counts is exact)."""
        return isinstance(self.conversions, array) and isinstance(self.nulls, array)

    def canonical(self) -> Table:
        """The same table with its rows in sorted order."""
        order = self.order()
        if order == list(range(len(order))):
            return self
        tokens, offsets = self.tokens, self.offsets
        new_tokens = array(tokens.typecode)
        for i in order:
            new_tokens.extend(tokens[offsets[i] : offsets[i + 1]])
        lengths = [offsets[i + 1] - offsets[i] for i in order]
        table = Table(
            self.names,
            new_tokens,
            array("q", accumulate(lengths, initial=0)),
            _take(self.conversions, order),
            _take(self.nulls, order),
            _take_values(self.units, order),
            self.exponent,
        )
        table._order = list(range(len(order)))
        return table

    def for_engines(self) -> Table:
        """This table, or its canonical form when fractional counts make sums order-dependent."""
        return self if self.whole else self.canonical()

    # -- totals ---------------------------------------------------------------------------

    def total_conversions(self) -> Count:
        """All conversions, exact (int when whole)."""
        return _count(self._total("conversions"))

    def total_nulls(self) -> Count:
        """All nulls, exact (int when whole)."""
        return _count(self._total("nulls"))

    def total_value(self) -> Decimal:
        """All values, exact."""
        return _decimal(self.total_units(), self.exponent)

    def total_units(self) -> int:
        """All values in whole units of ``10**exponent``."""
        return int(self._total("units"))

    def _total(self, column: str) -> Any:
        """The exact sum of a column, summed once (the table never changes)."""
        return self.derived(column, lambda: sum(getattr(self, column)))

    def derived(self, key: str, make: Callable[[], Any]) -> Any:
        """What ``make()`` derives from this table, made once and kept (the table never changes)."""
        got = self._totals.get(key)
        if got is None:
            got = self._totals[key] = make()
        return got

    def checked(self, totals: Totals | None = None) -> Table:
        """This table once its totals are within bounds, the exact totals kept for later.

        ``totals`` are the columns' exact totals when the caller has summed them already.

        Raises:
            ValidationError: If all conversions and nulls pass :data:`MAX_COUNT`, or all
                values :data:`MAX_VALUE`.
        """
        conv, null, units = total_check(
            self.conversions, self.nulls, self.units, self.exponent, totals
        )
        self._totals.update(conversions=conv, nulls=null, units=units)
        return self

    def float_conversions(self) -> list[float]:
        """Conversions as floats (exact when whole)."""
        return list(map(float, self.conversions))

    def float_values(self) -> list[float]:
        """Values as floats, each correctly rounded from its exact amount."""
        scale = 10**-self.exponent
        return [v / scale for v in self.units] if self.units else []

    # -- pickling -------------------------------------------------------------------------

    def __reduce__(self) -> tuple[Any, ...]:
        lengths = [b - a for a, b in pairwise(self.offsets)]
        return (
            _restore,
            (
                self.names,
                self.tokens,
                _narrow(lengths),
                _narrow(self.conversions),
                _narrow(self.nulls),
                _narrow(self.units),
                self.exponent,
            ),
        )


def _narrow(column: Sequence[Any]) -> Any:
    """The column in the smallest unsigned array type that holds it (pickles stay small)."""
    if not isinstance(column, array | list) or (column and not isinstance(column[0], int)):
        return column
    top = max(column, default=0)
    if min(column, default=0) < 0:
        return column
    for code in ("B", "H", "I", "Q"):
        if top < 256 ** array(code).itemsize:
            return array(code, column)
    return list(column)


def _widen(column: Any) -> Any:
    if isinstance(column, array) and column.typecode != "q":
        return int_column(list(column))
    return column


def _restore(  # noqa: PLR0917 (the columns of one table, as pickled)
    names: tuple[str, ...],
    tokens: array[int],
    lengths: Sequence[int],
    conversions: Any,
    nulls: Any,
    units: Any,
    exponent: int,
) -> Table:
    """A table from its pickled (narrowed) columns."""
    offsets = array("q", accumulate(lengths, initial=0))
    conv, null = _widen(conversions), _widen(nulls)
    return Table(names, tokens, offsets, conv, null, _widen(units), exponent)


def _count(value: int | Fraction) -> Count:
    if isinstance(value, int):
        return value
    return int(value) if value.denominator == 1 else float(value)


def _decimal(units: int, exponent: int) -> Decimal:
    if not units:
        return ZERO
    return Decimal(units).scaleb(exponent, WIDE)


def _take(column: CountColumn, order: list[int]) -> CountColumn:
    if isinstance(column, array):
        return array("q", map(column.__getitem__, order))
    return list(map(column.__getitem__, order))


def _take_values(column: Sequence[int], order: list[int]) -> Sequence[int]:
    if isinstance(column, array):
        return array("q", map(column.__getitem__, order))
    return list(map(column.__getitem__, order))


def int_column(values: list[int]) -> Sequence[int]:
    """``array('q')`` when every int fits, else the list of exact ints."""
    try:
        return array("q", values)
    except OverflowError:
        return values


def _units(values: list[Decimal] | None, n: int) -> tuple[int, Sequence[int]]:
    if values is None or not any(values):
        return 0, array("q", repeat(0, n))
    exponent = min(map(exponent_of, values))
    return exponent, int_column([value_units(v, exponent) if v else 0 for v in values])


def rescale(values: Sequence[int], by: int) -> Sequence[int]:
    """Values multiplied by ``10**by`` (``by`` >= 0)."""
    if not by:
        return values
    factor = 10**by
    return int_column([v * factor for v in values])


def merge(left: Table, right: Table) -> Table:
    """``left + right``: paths of both, the counts and values of shared paths added."""
    if not len(right):
        return left
    if not len(left):
        return right
    big, small = (left, right) if len(left) >= len(right) else (right, left)
    names = tuple(sorted(set(big.names) | set(small.names)))
    big_tokens = _remap(big, names)
    small_tokens = _remap(small, names)
    code = typecode(len(names))
    big_keys = _keys(big_tokens, big.offsets)
    small_keys = _keys(small_tokens, small.offsets)
    index = dict(zip(big_keys, range(len(big_keys)), strict=True))
    exponent = min(big.exponent, small.exponent)
    conv: list[Any] = list(big.conversions)
    nulls: list[Any] = list(big.nulls)
    values = list(rescale(big.units, big.exponent - exponent))
    small_values = rescale(small.units, small.exponent - exponent)
    tokens = array(code, big_tokens)
    lengths = [b - a for a, b in pairwise(big.offsets)]
    s_off = small.offsets
    for i, key in enumerate(small_keys):
        j = index.get(key)
        if j is None:
            tokens.extend(small_tokens[s_off[i] : s_off[i + 1]])
            lengths.append(s_off[i + 1] - s_off[i])
            conv.append(small.conversions[i])
            nulls.append(small.nulls[i])
            values.append(small_values[i])
        else:
            conv[j] += small.conversions[i]
            nulls[j] += small.nulls[i]
            values[j] += small_values[i]
    conv_col, null_col = count_column(conv), count_column(nulls)
    return Table(
        names,
        tokens,
        array("q", accumulate(lengths, initial=0)),
        conv_col,
        null_col,
        int_column(values),
        exponent,
    ).checked()


def merge_all(tables: Sequence[Table]) -> Table:
    """The tables added up at once: each distinct path once, counts and values summed."""
    full = [t for t in tables if len(t)]
    if len(full) <= 1:
        return full[0] if full else Table.empty()
    names = tuple(sorted(set().union(*(t.names for t in full))))
    exponent = min(t.exponent for t in full)
    code = typecode(len(names))
    index: dict[Any, int] = {}
    tokens = array(code)
    lengths: list[int] = []
    conv: list[Any] = []
    nulls: list[Any] = []
    values: list[int] = []
    for table in full:
        remapped = _remap(table, names)
        keys = _keys(remapped, table.offsets)
        units = rescale(table.units, table.exponent - exponent)
        offsets = table.offsets
        for i, key in enumerate(keys):
            j = index.get(key)
            if j is None:
                index[key] = len(conv)
                tokens.extend(remapped[offsets[i] : offsets[i + 1]])
                lengths.append(offsets[i + 1] - offsets[i])
                conv.append(table.conversions[i])
                nulls.append(table.nulls[i])
                values.append(units[i])
            else:
                conv[j] += table.conversions[i]
                nulls[j] += table.nulls[i]
                values[j] += units[i]
    conv_col, null_col = count_column(conv), count_column(nulls)
    return Table(
        names,
        tokens,
        array("q", accumulate(lengths, initial=0)),
        conv_col,
        null_col,
        int_column(values),
        exponent,
    ).checked()


def _remap(table: Table, names: tuple[str, ...]) -> array[int]:
    if table.names == names[: len(table.names)] and table.tokens.typecode == typecode(len(names)):
        return table.tokens
    ids = {name: i for i, name in enumerate(names)}
    mapping = [ids[n] for n in table.names]
    code = typecode(len(names))
    if code == "B" and table.tokens.typecode == "B":
        table_bytes = bytes(mapping) + bytes(256 - len(mapping))
        return array("B", table.tokens.tobytes().translate(table_bytes))
    return array(code, map(mapping.__getitem__, table.tokens))


def _keys(tokens: array[int], offsets: array[int]) -> list[Any]:
    if tokens.typecode == "B":
        flat = tokens.tobytes()
        return list(map(flat.__getitem__, map(slice, offsets, offsets[1:])))
    return [tuple(tokens[a:b]) for a, b in pairwise(offsets)]
