"""Spark: path counts, each model's statistics and the funnel of a Spark DataFrame.

Install with ``pip install "salesmark[spark]"`` (PySpark needs a Java runtime);
pyspark is imported inside each function, never when this module is imported. The
functions read the same journeys table as :mod:`salesmark.integrations.dask` and give
the single-process answer, exactly:

- :func:`path_counts` sums each path's counts with Spark SQL's group-by, as ``BIGINT``
  (values as ``DECIMAL(38, places)``), and builds the
  :class:`~salesmark.attribution.PathCounts` of the collected groups on the driver,
  which needs every distinct path.
- :func:`markov_statistics`, :func:`rule_credits` and :func:`shapley_statistics` sum
  the paths with the same group-by, reduce each partition of the groups to the
  model's statistic on its executor (``mapPartitions``) and merge the statistics with
  ``treeReduce``: the driver receives a few statistics whose size depends on the
  channels, not on the journeys.
- :func:`funnel_counts` repartitions a tidy stage-change table by lead, counts each
  partition's funnel and merges them with ``treeReduce``.

With ``lazy=True`` each returns Spark's own lazy object instead: the RDD of one
partial result per partition, which ``rdd.treeReduce(operator.add)`` (or the result
type's ``merge(rdd.collect())``) turns into the answer.

Counts must be whole: an integral column, or a fractional one holding whole numbers
(anything else fails the Spark job with an error naming the column). Values may be
integral (whole currency units), ``DECIMAL`` or floating point holding an amount of at
most ``places`` decimal places; they are cast to ``DECIMAL(38, places)``, exactly, or
the job fails. Timestamps are read as microseconds since the epoch (``unix_micros``),
so the session's time zone never shifts them; a ``TIMESTAMP_NTZ`` column is refused.

Example:
    >>> from pyspark.sql import SparkSession  # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
    >>> journeys = spark.createDataFrame([("a > b", 1, 0), ("b", 0, 1), ("a > b", 1, 2)],
    ...     ["path", "total_conversions", "total_null"])  # doctest: +SKIP
    >>> path_counts(journeys, value=None)  # doctest: +SKIP
    PathCounts(2 paths, 2 conversions, 3 nulls)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any, Literal, overload

from salesmark import _validators as v
from salesmark.attribution import MarkovStatistics, PathCounts, RuleCredits, ShapleyStatistics
from salesmark.errors import ValidationError
from salesmark.funnel import FunnelCounts
from salesmark.integrations import _partitions as parts
from salesmark.integrations import _spark as sql
from salesmark.lifecycle import Lifecycle
from salesmark.period import Period

__all__ = [
    "funnel_counts",
    "markov_statistics",
    "path_counts",
    "rule_credits",
    "shapley_statistics",
]


def _reduced(rdd: Any, empty: Any, lazy: bool) -> Any:  # noqa: FBT001 (internal)
    if lazy:
        return rdd
    if not rdd.getNumPartitions():
        return empty
    return rdd.treeReduce(parts.add)


def _statistics(frame: Any, model: parts.Model, reading: parts.Reading, lazy: bool) -> Any:  # noqa: FBT001
    model.check()
    grouped = sql.grouped(frame, reading)
    rdd = grouped.rdd.mapPartitions(partial(sql.partition, reading=reading, model=model))
    return _reduced(rdd, model.of(PathCounts()), lazy)


@overload
def path_counts(
    frame: Any,
    *,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[False] = ...,
) -> PathCounts: ...
@overload
def path_counts(
    frame: Any,
    *,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[True],
) -> Any: ...
def path_counts(
    frame: Any,
    *,
    path: str = "path",
    conversions: str = "total_conversions",
    nulls: str | None = "total_null",
    value: str | None = "total_conversion_value",
    sep: str = " > ",
    currency: str | None = None,
    places: int = 2,
    lazy: bool = False,
) -> PathCounts | Any:
    """The :class:`~salesmark.attribution.PathCounts` of a Spark DataFrame, by Spark SQL's group-by.

    The groups (one row per distinct path) are summed on the executors and collected
    to the driver, which builds the PathCounts of every distinct path.

    Args:
        frame: A ``pyspark.sql.DataFrame`` of journeys.
        path: The column of path strings.
        conversions: The conversions column.
        nulls: The nulls column (``None``: no nulls).
        value: The value column (``None``: no value), summed as ``DECIMAL(38, places)``.
        sep: What separates channels in a path string.
        currency: The currency of the values (required when there are values).
        places: The decimal places of the values (0-18).
        lazy: Return the RDD of one PathCounts per partition of the groups instead.

    Raises:
        MissingExtra: If pyspark is not installed.
        ValidationError: If a column is missing, or as for
            ``PathCounts.from_records``.

    Example:
        >>> from pyspark.sql import SparkSession  # doctest: +SKIP
        >>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
        >>> frame = spark.createDataFrame([("a > b", 1, 0, 10.5), ("b", 0, 1, None)],
        ...     ["path", "total_conversions", "total_null", "total_conversion_value"])  # doctest: +SKIP
        >>> path_counts(frame, currency="EUR")  # doctest: +SKIP
        PathCounts(2 paths, 1 conversions, 1 nulls, value 10.50 EUR)
    """
    reading = parts.Reading(
        path=path,
        conversions=conversions,
        nulls=nulls,
        value=value,
        sep=sep,
        currency=currency,
        places=places,
    )
    grouped = sql.grouped(frame, reading)
    if lazy:
        model = parts.Model(kind="paths")
        return grouped.rdd.mapPartitions(partial(sql.partition, reading=reading, model=model))
    return sql.counts(grouped.collect(), reading)


@overload
def markov_statistics(
    frame: Any,
    *,
    order: int = ...,
    repeats: str = ...,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[False] = ...,
) -> MarkovStatistics: ...
@overload
def markov_statistics(
    frame: Any,
    *,
    order: int = ...,
    repeats: str = ...,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[True],
) -> Any: ...
def markov_statistics(
    frame: Any,
    *,
    order: int = 1,
    repeats: str = "collapse",
    path: str = "path",
    conversions: str = "total_conversions",
    nulls: str | None = "total_null",
    value: str | None = "total_conversion_value",
    sep: str = " > ",
    currency: str | None = None,
    places: int = 2,
    lazy: bool = False,
) -> MarkovStatistics | Any:
    """The :class:`~salesmark.attribution.MarkovStatistics` of order ``order`` of a Spark DataFrame.

    Each partition's transition counts are merged by ``treeReduce``; only merged
    counts reach the driver, and ``.result()`` solves them there.

    Args:
        frame: A ``pyspark.sql.DataFrame`` of journeys.
        order: How many consecutive channels make a state (1-4).
        repeats: ``"collapse"`` (default) or ``"keep"``.
        path: As for :func:`path_counts`.
        conversions: As for :func:`path_counts`.
        nulls: As for :func:`path_counts`.
        value: As for :func:`path_counts`.
        sep: As for :func:`path_counts`.
        currency: As for :func:`path_counts`.
        places: As for :func:`path_counts`.
        lazy: Return the RDD of one statistic per partition instead.

    Raises:
        ValidationError: As for :func:`path_counts`, or if ``order`` or ``repeats``
            is out of range.

    Example:
        >>> frame = spark.createDataFrame([("a > b", 1, 0), ("b", 0, 1)],
        ...     ["path", "total_conversions", "total_null"])  # doctest: +SKIP
        >>> dict(markov_statistics(frame, value=None).result().removal_effects)  # doctest: +SKIP
        {'a': 0.5, 'b': 1.0}
    """
    model = parts.Model(kind="markov", options={"order": order, "repeats": repeats})
    reading = parts.Reading(
        path=path,
        conversions=conversions,
        nulls=nulls,
        value=value,
        sep=sep,
        currency=currency,
        places=places,
    )
    return _statistics(frame, model, reading, lazy)


@overload
def rule_credits(
    frame: Any,
    model: Any,
    *,
    direct: Iterable[str] | None = ...,
    first: float = ...,
    between: float = ...,
    last: float = ...,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[False] = ...,
) -> RuleCredits: ...
@overload
def rule_credits(
    frame: Any,
    model: Any,
    *,
    direct: Iterable[str] | None = ...,
    first: float = ...,
    between: float = ...,
    last: float = ...,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[True],
) -> Any: ...
def rule_credits(
    frame: Any,
    model: Any,
    *,
    direct: Iterable[str] | None = None,
    first: float = 0.4,
    between: float = 0.2,
    last: float = 0.4,
    path: str = "path",
    conversions: str = "total_conversions",
    nulls: str | None = "total_null",
    value: str | None = "total_conversion_value",
    sep: str = " > ",
    currency: str | None = None,
    places: int = 2,
    lazy: bool = False,
) -> RuleCredits | Any:
    """The :class:`~salesmark.attribution.RuleCredits` of a rule-based model over a Spark DataFrame.

    Each partition's sums are merged by ``treeReduce``; only merged sums reach the
    driver, and ``.result()`` gives the model's credits.

    Args:
        frame: A ``pyspark.sql.DataFrame`` of journeys.
        model: A rule model (``linear``, ``first_touch``, ...) or its name; see
            :data:`~salesmark.attribution.RULE_MODELS`.
        direct: For ``last_non_direct``: the direct channels.
        first: For ``position_based``: the first touch's weight.
        between: For ``position_based``: the weight the touches between share.
        last: For ``position_based``: the last touch's weight.
        path: As for :func:`path_counts`.
        conversions: As for :func:`path_counts`.
        nulls: As for :func:`path_counts`.
        value: As for :func:`path_counts`.
        sep: As for :func:`path_counts`.
        currency: As for :func:`path_counts`.
        places: As for :func:`path_counts`.
        lazy: Return the RDD of one statistic per partition instead.

    Raises:
        ValidationError: As for :func:`path_counts`, or as for
            :func:`salesmark.attribution.rule_credits`.

    Example:
        >>> frame = spark.createDataFrame([("a > b", 1), ("b", 1)],
        ...     ["path", "total_conversions"])  # doctest: +SKIP
        >>> dict(rule_credits(frame, "first_touch", nulls=None, value=None).result().credits)  # doctest: +SKIP
        {'a': 1.0, 'b': 1.0}
    """
    options: dict[str, Any] = {"model": getattr(model, "__name__", model)}
    options.update(first=first, between=between, last=last)
    if direct is not None:
        options["direct"] = tuple(direct)
    reading = parts.Reading(
        path=path,
        conversions=conversions,
        nulls=nulls,
        value=value,
        sep=sep,
        currency=currency,
        places=places,
    )
    return _statistics(frame, parts.Model(kind="rules", options=options), reading, lazy)


@overload
def shapley_statistics(
    frame: Any,
    *,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[False] = ...,
) -> ShapleyStatistics: ...
@overload
def shapley_statistics(
    frame: Any,
    *,
    path: str = ...,
    conversions: str = ...,
    nulls: str | None = ...,
    value: str | None = ...,
    sep: str = ...,
    currency: str | None = ...,
    places: int = ...,
    lazy: Literal[True],
) -> Any: ...
def shapley_statistics(
    frame: Any,
    *,
    path: str = "path",
    conversions: str = "total_conversions",
    nulls: str | None = "total_null",
    value: str | None = "total_conversion_value",
    sep: str = " > ",
    currency: str | None = None,
    places: int = 2,
    lazy: bool = False,
) -> ShapleyStatistics | Any:
    """The :class:`~salesmark.attribution.ShapleyStatistics` (coalition worths) of a Spark DataFrame.

    Its size is bounded by the channel sets seen (at most ``2**channels``).

    Args:
        frame: A ``pyspark.sql.DataFrame`` of journeys.
        path: As for :func:`path_counts`.
        conversions: As for :func:`path_counts`.
        nulls: As for :func:`path_counts`.
        value: As for :func:`path_counts`.
        sep: As for :func:`path_counts`.
        currency: As for :func:`path_counts`.
        places: As for :func:`path_counts`.
        lazy: Return the RDD of one statistic per partition instead.

    Raises:
        ValidationError: As for :func:`path_counts`.

    Example:
        >>> frame = spark.createDataFrame([("a > b", 1), ("b > a", 1)],
        ...     ["path", "total_conversions"])  # doctest: +SKIP
        >>> dict(shapley_statistics(frame, nulls=None, value=None).coalitions)  # doctest: +SKIP
        {('a', 'b'): (2, 0, 0)}
    """
    reading = parts.Reading(
        path=path,
        conversions=conversions,
        nulls=nulls,
        value=value,
        sep=sep,
        currency=currency,
        places=places,
    )
    return _statistics(frame, parts.Model(kind="shapley"), reading, lazy)


@overload
def funnel_counts(
    frame: Any,
    period: Period,
    *,
    lifecycle: Lifecycle,
    lead: str = ...,
    stage: str = ...,
    at: str = ...,
    reason: str | None = ...,
    created_at: str | None = ...,
    sequence: str | None = ...,
    as_of: datetime | None = ...,
    lazy: Literal[False] = ...,
) -> FunnelCounts: ...
@overload
def funnel_counts(
    frame: Any,
    period: Period,
    *,
    lifecycle: Lifecycle,
    lead: str = ...,
    stage: str = ...,
    at: str = ...,
    reason: str | None = ...,
    created_at: str | None = ...,
    sequence: str | None = ...,
    as_of: datetime | None = ...,
    lazy: Literal[True],
) -> Any: ...
def funnel_counts(
    frame: Any,
    period: Period,
    *,
    lifecycle: Lifecycle,
    lead: str = "lead_id",
    stage: str = "stage",
    at: str = "at",
    reason: str | None = None,
    created_at: str | None = None,
    sequence: str | None = None,
    as_of: datetime | None = None,
    lazy: bool = False,
) -> FunnelCounts | Any:
    """The :func:`~salesmark.funnel.funnel_counts` of a tidy stage-change table in Spark.

    One row is one stage change of one lead. The table is repartitioned by lead so
    each lead's changes meet in one partition; each partition's funnel is counted on
    its executor and the funnels are merged by ``treeReduce``.

    Args:
        frame: A ``pyspark.sql.DataFrame`` of stage changes.
        period: The period counted.
        lifecycle: The lifecycle the leads follow.
        lead: The lead id column.
        stage: The stage entered.
        at: When (a ``TIMESTAMP`` column).
        reason: The reason code column, if any.
        created_at: When each lead was created (a ``TIMESTAMP`` column; its earliest
            cell counts); by default a lead is created at its first change.
        sequence: A column ordering a lead's changes made at the same instant.
        as_of: As for :func:`~salesmark.funnel.funnel_counts`.
        lazy: Return the RDD of one funnel per partition instead.

    Raises:
        MissingExtra: If pyspark is not installed.
        ValidationError: If a column is missing, or a
            timestamp column is not a ``TIMESTAMP`` (with a time zone).

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> frame = spark.createDataFrame([("A", "inquiry", t), ("B", "inquiry", t)],
        ...     ["lead_id", "stage", "at"])  # doctest: +SKIP
        >>> funnel_counts(frame, Period.quarter(2026, 1), lifecycle=DEMAND_WATERFALL).cohort[:2]  # doctest: +SKIP
        (2, 0)
    """
    functions, _types = sql.sql()
    funnel = parts.Funnel(
        period=v.require(period, Period, "funnel_counts period"),
        lifecycle=v.require(lifecycle, Lifecycle, "funnel_counts lifecycle"),
        as_of=as_of,
    )
    changes = parts.Changes(
        lead=lead, stage=stage, at=at, reason=reason, created_at=created_at, sequence=sequence
    )
    changes.check(frame.columns)
    for name in (at, created_at):
        if name is not None and sql.kind(frame, name) != "timestamp":
            msg = f"stage-change column {name!r} must be a TIMESTAMP (with a time zone), got {sql.kind(frame, name)}"
            raise ValidationError(msg)
    col, lit, micros = functions.col, functions.lit, functions.unix_micros
    selected = frame.select(
        col(lead).cast("string").alias("lead"),
        col(stage).cast("string").alias("stage"),
        micros(col(at)).alias("at"),
        (col(reason).cast("string") if reason else lit(None)).alias("reason"),
        (micros(col(created_at)) if created_at else lit(None)).alias("created"),
        (col(sequence) if sequence else lit(0)).alias("sequence"),
    ).repartition("lead")
    rdd = selected.rdd.mapPartitions(partial(sql.funnel_partition, funnel=funnel))
    return _reduced(rdd, FunnelCounts(), lazy)
