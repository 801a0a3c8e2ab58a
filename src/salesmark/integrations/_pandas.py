"""What a Dask worker runs on one pandas partition (private; pandas is imported on first use).

Each function turns a partition's cells into exact plain columns (whole counts, values
as whole units of ``10**-places`` split in two int64 columns) and hands them to
:mod:`salesmark.integrations._partitions`. A cell that is not exact is refused with an
error naming its column, never rounded.
"""

from __future__ import annotations

import importlib
import math
from decimal import Decimal
from typing import Any

from salesmark.attribution import PathCounts
from salesmark.errors import ValidationError
from salesmark.funnel import FunnelCounts
from salesmark.integrations import _partitions as parts

TIDY = {"path": object, "c": "int64", "n": "int64", "hi": "int64", "lo": "int64"}
"""The columns of a tidy partition, with their dtypes."""


def _pandas() -> Any:
    return importlib.import_module("pandas")


def _whole(column: Any, name: str) -> Any:
    """A count column of one pandas partition as int64 (a missing cell is zero)."""
    kind = column.dtype.kind
    if kind in "iub":
        return column.astype("int64")
    if kind == "f":
        filled = column.fillna(0.0)
        bad = filled[(filled != filled.round()) | (filled.abs() >= 2.0**53)]
        if len(bad):
            msg = f"count column {name!r} holds {_plain(bad.iloc[0])!r}, not a whole number"
            raise ValidationError(msg)
        return filled.astype("int64")
    return column.map(lambda cell: _count(_plain(cell), name)).astype("int64")


def _count(cell: Any, name: str) -> int:
    if cell is None:
        return 0
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    msg = f"count column {name!r} holds {cell!r}, not a whole number"
    raise ValidationError(msg)


def _units(column: Any, name: str, places: int) -> Any:
    """A value column of one pandas partition as whole units of ``10**-places`` (int64)."""
    scale = 10**places
    kind = column.dtype.kind
    if kind in "iub":
        return column.astype("int64") * scale
    if kind == "f":
        filled = column.fillna(0.0)
        units = (filled * scale).round()
        bad = filled[((units / scale) != filled) | (units.abs() >= 2.0**53)]
        if len(bad):
            msg = f"value column {name!r} holds {_plain(bad.iloc[0])!r}, not an amount of at most {places} decimal places"
            raise ValidationError(msg)
        return units.astype("int64")

    def unit(cell: Any) -> int:
        units = parts.units_of(_plain(cell), places, name)
        if abs(units) >= 2**63:
            msg = f"value column {name!r} holds {cell!r}, beyond 2**63 units of 10**-{places}"
            raise ValidationError(msg)
        return units

    return column.map(unit).astype("int64")


def _plain(cell: Any) -> Any:
    """A pandas cell as a plain Python value (NaN, NA and NaT as None)."""
    if cell is None or type(cell).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(cell, float) and math.isnan(cell):
        return None
    item = getattr(cell, "item", None)
    return item() if callable(item) and not isinstance(cell, str | Decimal) else cell


def tidy(part: Any, reading: parts.Reading) -> Any:
    """One pandas partition as path, counts and value units (``hi * SPLIT + lo``), all exact."""
    pandas = _pandas()
    units = (
        _units(part[reading.value], reading.value, reading.places)
        if reading.value is not None
        else pandas.Series(0, index=part.index, dtype="int64")
    )
    nulls = (
        _whole(part[reading.nulls], reading.nulls)
        if reading.nulls is not None
        else pandas.Series(0, index=part.index, dtype="int64")
    )
    return pandas.DataFrame(
        {
            "path": part[reading.path].astype(str),
            "c": _whole(part[reading.conversions], reading.conversions),
            "n": nulls,
            "hi": units // parts.SPLIT,
            "lo": units % parts.SPLIT,
        }
    )


def counts(table: Any, reading: parts.Reading) -> PathCounts:
    """The PathCounts of a pandas table of path, counts and value units."""
    table = table.reset_index() if "path" not in table.columns else table
    units = None
    if reading.value is not None:
        his, los = table["hi"].tolist(), table["lo"].tolist()
        units = [int(hi) * parts.SPLIT + int(lo) for hi, lo in zip(his, los, strict=True)]
    return parts.counts_of(
        table["path"].tolist(), table["c"].tolist(), table["n"].tolist(), units, reading
    )


def statistic(part: Any, reading: parts.Reading, model: parts.Model) -> Any:
    """One partition's paths, summed by path, as the model's statistic."""
    local = tidy(part, reading).groupby("path", sort=False, as_index=False).sum()
    return model.of(counts(local, reading))


def _micros(column: Any) -> Any:
    """An aware datetime column of a pandas partition as int64 microseconds since the epoch."""
    return column.dt.tz_convert("UTC").dt.as_unit("us").astype("int64")


def funnel(part: Any, changes: parts.Changes, funnel: parts.Funnel) -> FunnelCounts:
    """The funnel of one partition's stage changes (every change of its leads is there)."""
    if not len(part):
        return FunnelCounts()
    reason, created, sequence = changes.reason, changes.created_at, changes.sequence
    leads = parts.leads_of(
        part[changes.lead].tolist(),
        part[changes.stage].tolist(),
        _micros(part[changes.at]).tolist(),
        None if reason is None else [_plain(x) for x in part[reason].tolist()],
        None if created is None else _created(part[created]),
        None if sequence is None else part[sequence].tolist(),
    )
    return funnel.of(leads)


def _created(column: Any) -> list[Any]:
    """Creation instants as microseconds since the epoch (a missing cell as None)."""
    return [
        None if _plain(x) is None else int(x)
        for x in _micros(column.dropna()).reindex(column.index).tolist()
    ]
