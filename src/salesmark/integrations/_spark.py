"""What Spark runs: column expressions and the functions ``mapPartitions`` runs (private).

pyspark is imported on first use. Counts become ``BIGINT`` and values
``DECIMAL(38, places)`` in Spark SQL, exactly or failing the job; the grouped rows
reach Python on the executors, where :mod:`salesmark.integrations._partitions` turns
them into a statistic.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from salesmark.attribution import PathCounts
from salesmark.errors import MissingExtra, ValidationError
from salesmark.funnel import FunnelCounts
from salesmark.integrations import _partitions as parts

_INTEGRAL = ("byte", "short", "integer", "long")


def sql() -> tuple[Any, Any]:
    """``pyspark.sql.functions`` and ``pyspark.sql.types``, imported now, or a clear error."""
    try:
        functions = importlib.import_module("pyspark.sql.functions")
        types = importlib.import_module("pyspark.sql.types")
    except ImportError as exc:
        msg = f"salesmark.integrations.spark needs pyspark: pip install 'salesmark[spark]' ({exc})"
        raise MissingExtra(msg) from None
    return functions, types


def kind(frame: Any, column: str) -> str:
    return str(frame.schema[column].dataType.typeName())


def _whole(frame: Any, column: str | None) -> Any:
    """A count column as BIGINT (missing: zero), failing the job on a fractional count."""
    functions, _types = sql()
    if column is None:
        return functions.lit(0).cast("long")
    cell = functions.col(column)
    if kind(frame, column) not in _INTEGRAL:
        msg = f"count column {column!r} holds a number that is not whole"
        cell = functions.when(
            cell.isNotNull() & (cell != functions.floor(cell)), functions.raise_error(msg)
        ).otherwise(cell)
    return functions.coalesce(cell.cast("long"), functions.lit(0).cast("long"))


def _amount(frame: Any, column: str | None, places: int) -> Any:
    """A value column as DECIMAL(38, places), failing the job on an amount it would round."""
    functions, types = sql()
    exact = types.DecimalType(38, places)
    if column is None:
        return functions.lit(None).cast(exact)
    cell = functions.col(column)
    found = kind(frame, column)
    if found in ("float", "double"):
        cell = functions.when(functions.isnan(cell), functions.lit(None)).otherwise(cell)
    cast = cell.cast(exact)
    if found in _INTEGRAL:
        return cast
    msg = f"value column {column!r} holds an amount of more than {places} decimal places"
    return functions.when(
        cell.isNotNull() & (cast.isNull() | (cast != cell)), functions.raise_error(msg)
    ).otherwise(cast)


def grouped(frame: Any, reading: parts.Reading) -> Any:
    """The journeys summed by path: path, conversions, nulls, value and how many values."""
    functions, _types = sql()
    reading.check(frame.columns)
    col, total = functions.col, functions.sum
    return (
        frame.select(
            col(reading.path).cast("string").alias("path"),
            _whole(frame, reading.conversions).alias("c"),
            _whole(frame, reading.nulls).alias("n"),
            _amount(frame, reading.value, reading.places).alias("v"),
        )
        .groupBy("path")
        .agg(
            total("c").alias("c"),
            total("n").alias("n"),
            total("v").alias("v"),
            functions.count("v").alias("k"),
        )
    )


def counts(rows: Iterable[Any], reading: parts.Reading) -> PathCounts:
    """The PathCounts of grouped rows (path, conversions, nulls, value, how many values)."""
    paths, conversions, nulls, units = [], [], [], []
    for row in rows:
        path, c, n, value, valued = row[0], row[1], row[2], row[3], row[4]
        if valued and value is None:
            msg = f"the values of path {path!r} overflow DECIMAL(38, {reading.places})"
            raise ValidationError(msg)
        paths.append(path)
        conversions.append(c)
        nulls.append(n)
        units.append(0 if value is None else int(Decimal(value).scaleb(reading.places)))
    return parts.counts_of(
        paths, conversions, nulls, units if reading.value is not None else None, reading
    )


def partition(rows: Iterable[Any], reading: parts.Reading, model: parts.Model) -> Iterator[Any]:
    """Yield the statistic of one partition's grouped rows (what ``mapPartitions`` runs)."""
    yield model.of(counts(rows, reading))


def funnel_partition(rows: Iterable[Any], funnel: parts.Funnel) -> Iterator[FunnelCounts]:
    """Yield the funnel of one partition's stage-change rows (every change of its leads)."""
    cells: list[list[Any]] = [[], [], [], [], [], []]
    for row in rows:
        for column, cell in zip(cells, row, strict=True):
            column.append(cell)
    ids, stages, at, reasons, created, sequence = cells
    leads = parts.leads_of(
        ids,
        stages,
        at,
        reasons,
        created if any(c is not None for c in created) else None,
        sequence,
    )
    yield funnel.of(leads)
