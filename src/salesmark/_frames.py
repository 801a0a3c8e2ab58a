"""DataFrames in and out, through narwhals (private).

Two helpers serve every edge that takes or gives a table:

* :func:`rows_of` turns a pandas, polars or pyarrow table (anything narwhals reads
  natively, eagerly) or an iterable of dict rows into plain dict rows holding Python
  values: numpy scalars become ``int``/``float``/``bool``, pandas timestamps
  ``datetime``, pandas and numpy durations ``timedelta``, and every missing marker
  (``None``, ``NaN``, ``NaT``, ``pd.NA``) ``None``. A timestamp keeps its time zone; a
  naive one stays naive, for the caller to refuse or to read in a zone it names.
* :func:`frame` builds a pandas, polars or pyarrow table from plain rows with numeric
  columns numeric: ``Decimal`` and ``Fraction`` become ``float`` and ``timedelta`` float
  hours, unless ``exact=True`` keeps exact decimals and durations.
* :func:`to_frame` is every result's ``to_frame`` method: each result class sets
  ``to_frame = _frames.to_frame``, so all of them build their tables in this one place,
  from their own ``to_records(exact=...)``.
* :func:`columns_of` reads a table as plain columns, for inputs read column by column
  (``PathCounts.from_records``).

narwhals is imported inside the functions that need it, never at module import, so
``salesmark`` loads without the ``dataframe`` extra; plain rows never need it.
"""

from __future__ import annotations

import enum
import importlib
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any, Final, Literal

from salesmark._records import Tabular
from salesmark.errors import MissingExtra, ValidationError, WrongType
from salesmark.money import Money

__all__ = [
    "BACKENDS",
    "Backend",
    "DataFrame",
    "columns_of",
    "frame",
    "is_frame",
    "plain",
    "rows_of",
    "to_frame",
]

Backend = Literal["pandas", "polars", "pyarrow"]
"""A table library :func:`frame` can build for."""

DataFrame = Any
"""A pandas, polars or pyarrow table (anything narwhals reads eagerly): typed as ``Any``,
since salesmark depends on none of them."""

BACKENDS: Final[tuple[str, ...]] = ("pandas", "polars", "pyarrow")
"""The backends :func:`frame` accepts."""

_FRAME_LIBRARIES: Final = frozenset(
    {"pandas", "polars", "pyarrow", "modin", "cudf", "dask", "pyspark", "duckdb", "ibis"}
)
_FRAME_PROTOCOLS: Final = ("__narwhals_dataframe__", "__arrow_c_stream__", "__dataframe__")
_MISSING_TYPES: Final = frozenset({"NAType", "NaTType"})
_HOUR: Final = timedelta(hours=1)
_PLAIN: Final = frozenset({str, bool, int, Decimal})
_EXTRA: Final = "install salesmark[dataframe] (pip install 'salesmark[dataframe]')"


def _narwhals(what: str) -> ModuleType:
    """The narwhals module, or a MissingExtra telling how to install it."""
    try:
        return importlib.import_module("narwhals")
    except ImportError:
        msg = f"{what} needs narwhals to read or build a DataFrame; {_EXTRA}"
        raise MissingExtra(msg) from None


def is_frame(data: object) -> bool:
    """Whether ``data`` looks like a DataFrame of some library (checked without importing any).

    Example:
        >>> is_frame([{"path": "a > b"}]), is_frame({"path": ["a > b"]})
        (False, False)
    """
    root = type(data).__module__.split(".", 1)[0]
    return root in _FRAME_LIBRARIES or any(hasattr(data, p) for p in _FRAME_PROTOCOLS)


def _numpy_value(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for."""
    kind = getattr(getattr(value, "dtype", None), "kind", "")
    if kind in ("M", "m"):  # datetime64 / timedelta64: .item() of a nanosecond value is an int
        if value != value:  # noqa: PLR0124 (NaT is the one value unequal to itself)
            return None
        unit = "datetime64[us]" if kind == "M" else "timedelta64[us]"
        return value.astype(unit).item()
    return plain(value.item())


def plain(value: Any) -> Any:
    """One cell as a plain Python value; every missing marker becomes ``None``.

    Example:
        >>> plain(float("nan")) is None, plain(Decimal("1.5")), plain("a")
        (True, Decimal('1.5'), 'a')
    """
    kind = type(value)
    if value is None or kind in _PLAIN:
        return value
    if isinstance(value, float):  # numpy's float64 is a float too: make it a plain one
        return None if math.isnan(value) else float(value)
    if kind.__name__ in _MISSING_TYPES:
        return None
    if kind.__module__ == "numpy" and hasattr(value, "item"):
        return _numpy_value(value)
    if isinstance(value, datetime | timedelta) and kind not in (datetime, timedelta):
        # pandas Timestamp / Timedelta: their plain standard-library counterparts
        convert = getattr(value, "to_pydatetime", None) or getattr(value, "to_pytimedelta", None)
        if convert is not None:
            return convert()
    return value


def rows_of(data: object, *, what: str) -> Iterator[dict[str, Any]]:
    """The rows of a table or of an iterable of dict rows, as plain dicts of Python values.

    Args:
        data: A pandas, polars or pyarrow table (or any eager frame narwhals reads), or
            an iterable of mappings from column name to value.
        what: The argument's name, for error messages (e.g. ``"read_leads leads"``).

    Returns:
        An iterator of one dict per row, values converted by :func:`plain`.

    Raises:
        WrongType: If ``data`` is a string, a single mapping, a lazy frame, not
            iterable, or holds a row that is not a mapping.
        MissingExtra: If ``data`` is a DataFrame and narwhals is not installed.

    Example:
        >>> list(rows_of([{"id": "L1", "value": float("nan")}], what="leads"))
        [{'id': 'L1', 'value': None}]
    """
    if isinstance(data, str | bytes | Mapping):
        msg = f"{what} must be a table or an iterable of dict rows, got {data!r}"
        raise WrongType(msg)
    if not isinstance(data, list | tuple | Iterator):
        if is_frame(data):
            return _frame_rows(data, what)
        if not isinstance(data, Iterable):
            msg = f"{what} must be a table or an iterable of dict rows, got {data!r}"
            raise WrongType(msg)
    return _dict_rows(data, what)


def _frame_rows(data: object, what: str) -> Iterator[dict[str, Any]]:
    nw = _narwhals(what)
    native = nw.from_native(data, eager_only=True, pass_through=True)
    if native is data:
        msg = (
            f"{what} must be an eager table (pandas, polars, pyarrow) or dict rows, got a "
            f"{type(data).__name__}; collect a lazy frame first"
        )
        raise WrongType(msg)
    return ({k: plain(v) for k, v in r.items()} for r in native.iter_rows(named=True))


def _dict_rows(rows: Iterable[Any], what: str) -> Iterator[dict[str, Any]]:
    for index, item in enumerate(rows):
        if not isinstance(item, Mapping):
            msg = f"{what}[{index}] must be a mapping of column name to value, got {item!r}"
            raise WrongType(msg)
        yield {str(k): plain(v) for k, v in item.items()}


def _terminating(value: Fraction, column: str) -> Decimal:
    """``value`` as an exact Decimal, if its denominator has no prime factor but 2 and 5."""
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        msg = (
            f"frame column {column!r} holds {value!r}, which has no exact decimal form; "
            "pass exact=False for floats, or backend='pandas', which keeps fractions"
        )
        raise ValidationError(msg)
    places = max(twos, fives)
    return Decimal(int(value * 10**places)).scaleb(-places)


def _cell(value: Any, column: str, *, exact: bool, fractions: bool) -> Any:  # noqa: PLR0911 (one answer per kind of cell)
    value = plain(value)
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, Money):
        value = value.amount
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value if exact else float(value)
    if isinstance(value, Fraction):
        if not exact:
            return float(value)
        return value if fractions else _terminating(value, column)
    if isinstance(value, timedelta):
        return value if exact else value / _HOUR
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc)
    return value


def _backend(backend: object, what: str) -> ModuleType:
    """narwhals, once ``backend`` is known and installed; a salesmark error otherwise."""
    if backend not in BACKENDS:
        msg = f"{what} backend must be one of {list(BACKENDS)}, got {backend!r}"
        raise ValidationError(msg)
    nw = _narwhals(f"{what}(backend={backend!r})")
    try:
        importlib.import_module(str(backend))
    except ImportError:
        msg = f"{what}(backend={backend!r}) needs {backend} installed (pip install {backend})"
        raise MissingExtra(msg) from None
    return nw


def frame(
    rows: Iterable[Mapping[str, Any]],
    *,
    backend: Backend = "pandas",
    columns: Sequence[str] | None = None,
    exact: bool = False,
    what: str = "frame",
) -> Any:
    """A pandas, polars or pyarrow table of plain ``rows``, built through narwhals.

    Numbers come out numeric: ``Decimal`` and ``Fraction`` as float, ``timedelta`` as
    float hours, money as its amount (a ``currency`` column is added unless the row
    has one), enum members as their value, aware datetimes in UTC.
    With ``exact=True`` decimals stay ``Decimal`` and durations stay durations, for
    those who need the cent; fractions stay fractions in pandas and become exact
    decimals in polars and pyarrow (an error if they have none).
    Missing values are nulls of the column's type (NaN in pandas float columns); a
    column with no value at all is a float column of nulls in pandas (a column of
    ``None`` would be an ``object`` column) and a null column in polars and pyarrow.

    Args:
        rows: Plain rows, e.g. a result's ``to_records()``.
        backend: ``"pandas"``, ``"polars"`` or ``"pyarrow"``.
        columns: The columns in order (rows may leave some out); by default, every
            column of the rows in the order first seen.
        exact: Keep exact decimals and durations instead of floats.
        what: Who asks, for error messages (e.g. ``"Comparison.to_frame"``).

    Returns:
        The native table of ``backend``.

    Raises:
        ValidationError: If ``backend`` is unknown or an exact fraction has no decimal
            form.
        MissingExtra: If narwhals or the backend library is not installed.
        WrongType: If ``rows`` is not an iterable of mappings.

    Example:
        >>> from decimal import Decimal
        >>> table = frame([{"stage": "mql", "rate": Decimal("0.25")}], backend="polars")
        >>> table.schema["rate"]
        Float64
    """
    nw = _backend(backend, what)
    return _build(nw, rows, backend, columns, exact=exact)


def _build(
    nw: ModuleType,
    rows: Iterable[Mapping[str, Any]],
    backend: str,
    columns: Sequence[str] | None,
    *,
    exact: bool,
) -> Any:
    records = [_with_currency(r) for r in _dict_rows(rows, "frame rows")]
    names = (
        list(columns) if columns is not None else list(dict.fromkeys(k for r in records for k in r))
    )
    fractions = backend == "pandas"
    data = {
        name: [_cell(r.get(name), name, exact=exact, fractions=fractions) for r in records]
        for name in names
    }
    native = nw.from_dict(data, backend=backend).to_native()
    if backend == "pandas":
        for name, values in data.items():
            present = [x for x in values if x is not None]
            if values and not present:  # no value at all: a float column of NaN, not objects
                native[name] = native[name].astype("float64")
            elif len(present) < len(values) and all(type(x) is bool for x in present):
                native[name] = native[name].astype("boolean")  # bools with gaps: nullable
    return native


def _with_currency(row: dict[str, Any]) -> dict[str, Any]:
    if "currency" in row:
        return row
    currency = next((v.currency for v in row.values() if isinstance(v, Money)), None)
    return row if currency is None else {**row, "currency": currency}


def to_frame(self: Tabular, backend: Backend = "pandas", *, exact: bool = False) -> Any:  # noqa: D417 (self is the result: this is every result's method)
    """This result as a pandas, polars or pyarrow table: its ``to_records()``, one row each.

    Every result's ``to_frame`` is this function. Numbers come out numeric: counts as
    integers, ratios and shares as floats, durations as float hours, money as a float
    column beside a ``currency`` column, times as UTC datetimes, and a value that cannot
    be computed as a null. ``exact=True`` keeps ``Decimal`` amounts and rates (and
    ``Fraction``s in pandas), as ``to_records(exact=True)`` gives them. Needs the
    ``dataframe`` extra (narwhals, imported only here) and the backend's library.

    Args:
        backend: ``"pandas"`` (default), ``"polars"`` or ``"pyarrow"``.
        exact: Keep exact decimals instead of floats.

    Returns:
        The backend's own table (``pandas.DataFrame``, ``polars.DataFrame`` or
        ``pyarrow.Table``); an empty result gives a table without columns.

    Raises:
        ValidationError: If ``backend`` is not one of the three.
        MissingExtra: If narwhals or the backend's library is not installed (the
            message says what to install).

    Example:
        >>> from salesmark.attribution import PathCounts, linear
        >>> result = linear(PathCounts.from_tuples([(("search", "email"), 2, 0, "100")], currency="EUR"))
        >>> table = result.to_frame("polars")
        >>> table.columns
        ['model', 'channel', 'conversions', 'share', 'value', 'currency']
        >>> table["value"].to_list(), str(table.schema["value"])
        ([50.0, 50.0], 'Float64')
        >>> result.to_frame("polars", exact=True)["value"].to_list()
        [Decimal('50.00'), Decimal('50.00')]
    """
    nw = _backend(backend, f"{type(self).__name__}.to_frame")
    return _build(nw, self.to_records(exact=exact), backend, None, exact=exact)


def columns_of(
    data: object,
    names: Iterable[str | None],
    *,
    what: str,
    required: Iterable[str] = (),
) -> dict[str, list[Any]]:
    """The columns ``names`` of a DataFrame that has them, as lists of plain Python values.

    Each column is read in one call (``to_list``); a missing float (``NaN``) reads as
    ``None``, as a missing cell of any other type does. A name the table lacks, or
    ``None``, is left out, unless it is ``required``.

    Raises:
        WrongType: If ``data`` is a lazy frame.
        ValidationError: If a ``required`` column is missing (the message lists the
            table's columns).
        MissingExtra: If narwhals is not installed.

    Example:
        >>> import pandas as pd
        >>> columns_of(pd.DataFrame({"path": ["a > b"], "value": [float("nan")]}), ["path", "value", None], what="rows")
        {'path': ['a > b'], 'value': [None]}
    """
    nw = _narwhals(what)
    native = nw.from_native(data, eager_only=True, pass_through=True)
    if native is data:
        msg = f"{what} must be an eager table (pandas, polars, pyarrow), got a {type(data).__name__}; collect a lazy frame first"
        raise WrongType(msg)
    present = set(native.columns)
    for needed in required:
        if needed not in present:
            msg = f"{what} has no {needed!r} column; it has {list(native.columns)!r}"
            raise ValidationError(msg)
    columns: dict[str, list[Any]] = {}
    for name in names:
        if name is None or name not in present:
            continue
        series = native[name]
        values = series.to_list()
        missing = series.null_count() > 0  # pandas counts NaN as null
        if missing or (series.dtype.is_float() and bool(series.is_nan().any())):
            values = [None if x is not None and x != x else x for x in values]  # noqa: PLR0124 (NaN)
        columns[name] = values
    return columns
