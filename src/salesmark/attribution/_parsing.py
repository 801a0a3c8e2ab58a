"""Reading tidy records into path statistics (private): the body of ``PathCounts.from_records``.

Rows come in ChannelAttribution's format: a path string (``"a > b > c"``), total
conversions, total nulls and total conversion value, either as rows (mappings) or as
columns (one mapping of column name -> sequence or array). Plainly well-formed input
is read column by column straight into the columnar store, so each step runs in C;
anything else is read row by row, which names the first offending row. Both routes
give the same totals.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import accumulate, count, repeat
from operator import add, itemgetter, methodcaller, mul, or_, truediv
from typing import Any

from salesmark import _validators as v
from salesmark.attribution._checks import Path, check_amount, check_path, exact_count
from salesmark.attribution._columns import (
    MAX_COUNT,
    MAX_VALUE,
    WIDE,
    ZERO,
    Table,
    Totals,
    check_value_bounds,
    typecode,
)
from salesmark.errors import ValidationError, WrongType

Columns = tuple[str, str, str | None, str | None]
"""The names of the path, conversions, nulls and value columns (``None``: no column)."""

_CENTS = 100
_FAST_MAX = 2**45  # below it, a float within the cents grid is its shortest repr


def read_records(
    rows: Iterable[Mapping[str, Any]] | Mapping[str, Any],
    columns: Columns,
    sep: str,
    currency: str | None,
    engine: str,
) -> Table:
    """Totals per distinct path of tidy ``rows`` (or columns), all-zero paths dropped.

    Raises:
        ValidationError: On a missing path or conversions column, an empty path, a
            negative count, or a value without ``currency``.
    """
    if isinstance(rows, Mapping):
        rows = _rows_of_columns(rows, columns)
    elif isinstance(rows, str | bytes) or not isinstance(rows, Iterable):
        msg = f"PathCounts.from_records rows must be a sequence of mappings or a mapping of columns, got {rows!r}"
        raise WrongType(msg)
    if not isinstance(rows, list | tuple | _ColumnRows):
        rows = list(rows)  # (columns are already a sequence: keep their fast route)
    fast = _well_formed_records(rows, columns, sep, currency, engine)
    if fast is not None:
        return fast
    paths = _each_record(rows, columns, sep, currency)
    keys = list(paths)
    stats = list(paths.values())
    return Table.build(keys, [s[0] for s in stats], [s[1] for s in stats], [s[2] for s in stats])


class _ColumnRows(Sequence[Mapping[str, Any]]):
    """Columns read as rows (only for the careful route, which names a row)."""

    def __init__(self, columns: dict[str, list[Any]], length: int) -> None:
        self.columns = columns
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: Any) -> Any:
        return {name: column[index] for name, column in self.columns.items()}


def _rows_of_columns(data: Mapping[str, Any], columns: Columns) -> _ColumnRows:
    path = columns[0]
    if path not in data or columns[1] not in data:
        missing = path if path not in data else columns[1]
        msg = f"PathCounts.from_records columns have no {missing!r} column; they have {sorted(data)!r}"
        raise ValidationError(msg)
    lists: dict[str, list[Any]] = {}
    for name in columns:
        if name is None or name not in data:
            continue
        column = data[name]
        if hasattr(column, "tolist"):  # numpy arrays and pandas series: one C call
            column = column.tolist()
        lists[name] = list(v.sequence(column, f"PathCounts.from_records column {name!r}", "cells"))
    lengths = {len(c) for c in lists.values()}
    if len(lengths) > 1:
        msg = f"PathCounts.from_records columns must have one length, got {sorted(lengths)!r}"
        raise ValidationError(msg)
    return _ColumnRows(lists, lengths.pop())  # (path and conversions are always there)


def _each_record(  # noqa: PLR0912 (one pass naming the first bad row)
    rows: Sequence[Mapping[str, Any]], columns: Columns, sep: str, currency: str | None
) -> dict[Path, tuple[Any, Any, Decimal]]:
    """Read the rows one by one, naming the first offending row."""
    path, conversions, nulls, value = columns
    core = sep.strip() or sep  # "a>b" and "a > b" both split on " > "
    padded = (" " + sep, sep + " ")  # (read only when sep has spaces around its core)
    strip = str.strip
    paths: dict[Path, tuple[Any, Any, Decimal]] = {}
    for index in range(len(rows)):
        row = rows[index]
        if not isinstance(row, Mapping):
            msg = f"rows[{index}] must be a mapping of column name to cell, got {row!r}"
            raise WrongType(msg)
        try:
            text = row[path]
            conv = row[conversions]
        except KeyError as missing:
            msg = f"rows[{index}] has no {missing} column; it has {sorted(row)!r}"
            raise ValidationError(msg) from None
        if not isinstance(text, str):
            msg = f"rows[{index}][{path!r}] must be a path string, got {text!r}"
            raise WrongType(msg)
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
        conv = exact_count(conv, f"rows[{index}][{conversions!r}]")
        null_count: Any = 0
        if nulls is not None:
            null_count = exact_count(row.get(nulls, 0), f"rows[{index}][{nulls!r}]")
        amount = ZERO
        if value is not None:
            raw = row.get(value)
            if raw is not None and raw != 0:
                amount = _record_value(raw, index, value, currency)
            if amount:
                check_value_bounds(amount, f"rows[{index}][{value!r}]")
        old = paths.get(steps)
        paths[steps] = (
            (conv, null_count, amount)
            if old is None
            else (old[0] + conv, old[1] + null_count, WIDE.add(old[2], amount))
        )
    for steps, (_c, _n, total) in paths.items():
        if total > MAX_VALUE:
            check_value_bounds(total, f"the value of path {steps!r}")
    return {p: s for p, s in paths.items() if s[0] or s[1] or s[2]}


def _well_formed_records(  # noqa: PLR0911 (each check sends odd input to the careful route)
    rows: Sequence[Mapping[str, Any]],
    columns: Columns,
    sep: str,
    currency: str | None,
    engine: str,
) -> Table | None:
    """Read well-formed rows column by column into a table, or ``None`` if they are not plainly so.

    Checks the rows as a whole (every path a distinct string with single-spaced
    separators and nothing to strip, every count a non-negative int, every value a
    plain number) so each step runs in C, and returns the same totals the row-by-row
    route would. Returns ``None`` as soon as anything is not plainly well-formed: the
    caller then walks the rows one by one, which names the first offending row.
    """
    path, conversions, nulls, value = columns
    if isinstance(rows, _ColumnRows):
        cols = rows.columns
        texts = cols[path]
        convs = cols[conversions]
        null_counts = cols.get(nulls) if nulls is not None else None
        raws = cols.get(value) if value is not None else None
    else:
        try:
            texts = list(map(itemgetter(path), rows))
            convs = list(map(itemgetter(conversions), rows))
        except (KeyError, TypeError, AttributeError):
            return None
        null_counts = _column(rows, nulls, 0)
        raws = _column(rows, value, None)
    if not texts:
        return Table.empty()
    core = sep.strip()
    if not core or core == sep:
        return None
    conv = _counts(convs)
    null = _counts(null_counts) if null_counts is not None else array("q", bytes(8 * len(texts)))
    if conv is None or null is None or not _plain_counts(conv, null, engine):
        return None  # rare: let the careful route drop the empty rows, or name a bad cell
    if engine != "numpy" and set(map(type, texts)) != {str}:
        return None  # (the numpy route's join refuses any other cell)
    if engine == "numpy":
        split = _split_numpy(texts, sep, raws, currency)
        if split is None:
            return None
        names, tokens, offsets, units = split
    else:
        split_py = _split_python(texts, sep, raws, currency)
        if split_py is None:
            return None
        names, tokens, offsets, units = split_py
    exponent = -2 if any(units) else 0
    # The exponent the exact Decimal sum would have: floats come through their repr
    # ("120.5", "5.0"), ints as they are.
    if exponent and raws is not None and not any(u % 10 for u in units):
        cut = 10 if any(type(r) is float and r for r in raws) else 100
        units = array("q", (u // cut for u in units))
        exponent = -1 if cut == 10 else 0
    totals = _numpy_totals(conv, null, units) if engine == "numpy" else None
    return Table(names, tokens, offsets, conv, null, units, exponent).checked(totals)


def _numpy_totals(conv: array[int], null: array[int], units: array[int]) -> Totals:
    """The exact totals of the three columns, summed by numpy."""
    from salesmark.attribution import _numpy_reader as fast  # noqa: PLC0415 (optional)

    return fast.exact_total(conv), fast.exact_total(null), fast.exact_total(units)


def _column(rows: Sequence[Mapping[str, Any]], name: str | None, default: Any) -> list[Any] | None:
    if name is None:
        return None
    try:
        return list(map(itemgetter(name), rows))
    except KeyError:
        return list(map(methodcaller("get", name, default), rows))


Split = tuple[tuple[str, ...], "array[int]", "array[int]", "array[int]"]


def _split_python(
    texts: list[str], sep: str, raws: list[Any] | None, currency: str | None
) -> Split | None:
    """Split distinct, plainly well-formed path strings with str methods, or ``None``.

    Each touch's name is numbered as it first appears (one C-level pass over the names,
    no set of them first) and the numbers then renumbered to the sorted names' order.
    """
    if len(set(texts)) != len(texts):
        return None
    joined = sep.join(texts)
    flat = joined.split(sep)
    core = sep.strip()
    if joined.count(core) != len(flat) - 1:
        return None  # a bare separator inside a name
    first: defaultdict[str, int] = defaultdict(count().__next__)  # ids in order of first appearance
    try:
        seen = array("B", map(first.__getitem__, flat))
    except OverflowError:  # more than 256 names (the ids found so far are kept)
        seen = array("I", map(first.__getitem__, flat))
    found = list(first)
    names = sorted(found)
    if not all(names) or list(map(str.strip, names)) != names:  # an empty path, a loose space
        return None
    units = _cents(raws, currency) if raws is not None else array("q", repeat(0, len(texts)))
    if units is None:
        return None
    rank = [0] * len(found)  # each name's place in sorted order, by its first-appearance id
    for place, i in enumerate(sorted(range(len(found)), key=found.__getitem__)):
        rank[i] = place
    if seen.typecode == "B":  # one byte a touch: renumbered by a translation table
        table = bytes(rank) + bytes(256 - len(rank))
        tokens = array("B", seen.tobytes().translate(table))[:]  # (a slice: no spare room)
    else:
        tokens = array(typecode(len(names)), map(rank.__getitem__, seen))
    lengths = list(map(add, map(str.count, texts, repeat(sep)), repeat(1)))
    offsets = array("q", accumulate(lengths, initial=0))
    return tuple(names), tokens, offsets, units


def _split_numpy(
    texts: list[str], sep: str, raws: list[Any] | None, currency: str | None
) -> Split | None:
    """The same as :func:`_split_python`, with numpy: paths cut and interned as arrays.

    The path strings are joined and cut at the separator bytes, and the tokens interned,
    by whole-array operations (see ``_numpy_reader.split_paths``); the value column is
    checked and scaled as one array. Anything the array route does not plainly take
    goes the str route.
    """
    from salesmark.attribution import _numpy_reader as fast  # noqa: PLC0415 (optional)

    if raws is None or not any(raws):
        units = array("q", repeat(0, len(texts)))
    else:
        kinds = set(map(type, raws))
        if currency is None or not kinds <= {int, float, type(None)}:
            return None
        if type(None) in kinds:
            raws = [0 if r is None else r for r in raws]
        cents = fast.cents(raws)
        if cents is None:
            return None
        units = array("q")
        units.frombytes(cents.tobytes())
    cut = fast.split_paths(texts, sep)
    if cut is None:
        if set(map(type, texts)) != {str}:
            return None
        split = _split_python(texts, sep, None, currency)
        return None if split is None else (split[0], split[1], split[2], units)
    names, ids, bounds = cut
    tokens = array(typecode(len(names)))
    tokens.frombytes(ids.tobytes())  # ids come in the table's unsigned type
    offsets = array("q")
    offsets.frombytes(bounds.astype("i8").tobytes())
    return tuple(names), tokens, offsets, units


def _cents(raws: list[Any], currency: str | None) -> array[int] | None:
    """Values as whole cents when every cell is plainly a number of cents, else ``None``."""
    kinds = set(map(type, raws))
    if not kinds <= {int, float, type(None)}:
        return None
    if type(None) in kinds:
        raws = [0 if r is None else r for r in raws]
    if not any(raws):
        return array("q", repeat(0, len(raws)))
    if currency is None or min(raws) < 0 or max(raws) > _FAST_MAX:
        return None
    try:
        cents = list(map(round, map(mul, raws, repeat(_CENTS))))
    except (OverflowError, ValueError):  # inf or nan: the careful route names the row
        return None
    if list(map(truediv, cents, repeat(_CENTS))) != raws:
        return None
    return array("q", cents)


def _counts(column: list[Any]) -> array[int] | None:
    """A count column as ``array('q')`` if every cell is an int that fits one, else ``None``."""
    if set(map(type, column)) != {int}:
        return None
    try:
        return array("q", column)
    except OverflowError:
        return None


def _plain_counts(conversions: array[int], nulls: array[int], engine: str) -> bool:
    """Whether every count is from 0 to ``MAX_COUNT`` and every row has a conversion or a null.

    (A total of more than ``MAX_COUNT`` journeys is refused by the table's own check,
    with the message the careful route would give.)
    """
    if engine == "numpy":
        from salesmark.attribution import _numpy_reader as fast  # noqa: PLC0415 (optional)

        return fast.plain_counts(conversions, nulls, MAX_COUNT)
    return (
        min(conversions) >= 0
        and min(nulls) >= 0
        and max(conversions) <= MAX_COUNT
        and max(nulls) <= MAX_COUNT
        and 0 not in map(or_, conversions, nulls)
    )


def _record_value(raw: object, index: int, column: str, currency: str | None) -> Decimal:
    """Read one value cell of a record (not None, not zero: the caller skips those)."""
    amount = check_amount(raw, f"rows[{index}][{column!r}]", allow_float=True)
    if amount and currency is None:
        msg = (
            f"rows[{index}][{column!r}] is {raw!r}: give currency= "
            "to read values, or value=None to ignore them"
        )
        raise ValidationError(msg)
    return amount
