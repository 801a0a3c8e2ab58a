"""Dask: path counts, each model's statistics and the funnel of a Dask DataFrame.

Install with ``pip install "salesmark[dask]"``; dask is imported inside each function,
never when this module is imported. The journeys table is in ChannelAttribution's
format (a path string such as ``"search > email"``, conversions, nulls and value; a
row may be one journey or many). Each function runs on the cluster of the current
Dask client (or Dask's default scheduler) and gives the single-process answer,
exactly:

- :func:`path_counts` sums each path's counts with Dask's own group-by, as integers
  (values as whole units of ``10**-places``, in two int64 columns that cannot
  overflow), and builds the :class:`~salesmark.attribution.PathCounts` of the groups
  on the driver, which needs every distinct path.
- :func:`markov_statistics`, :func:`rule_credits` and :func:`shapley_statistics`
  aggregate each partition's paths where it lies, reduce them to the model's
  statistic (:mod:`salesmark.attribution.statistics`) and merge the statistics up a
  tree on the workers: the driver receives one statistic, whose size depends on the
  channels, not on the journeys.
- :func:`funnel_counts` shuffles a tidy stage-change table (one row a stage change) by
  lead, counts each partition's funnel and merges them up a tree.

With ``lazy=True`` each returns a ``dask.delayed.Delayed`` instead: ``.compute()`` it,
or compute several together with ``dask.compute``.

Count cells must be whole (ints, or floats holding whole numbers; a missing cell is
zero). Value cells may be ints (whole currency units), floats holding an amount of at
most ``places`` decimal places (read exactly, or refused), ``Decimal`` objects or
numeric text; the sums are integers, never floats.

Example:
    >>> import pandas as pd, dask.dataframe as dd
    >>> journeys = dd.from_pandas(pd.DataFrame({"path": ["a > b", "b", "a > b"],
    ...     "total_conversions": [1, 0, 1], "total_null": [0, 1, 2],
    ...     "total_conversion_value": [10.5, 0.0, 4.25]}), npartitions=2)
    >>> path_counts(journeys, currency="EUR")
    PathCounts(2 paths, 2 conversions, 3 nulls, value 14.75 EUR)
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal, overload

from salesmark import _validators as v
from salesmark.attribution import MarkovStatistics, PathCounts, RuleCredits, ShapleyStatistics
from salesmark.errors import MissingExtra, ValidationError
from salesmark.funnel import FunnelCounts
from salesmark.integrations import _pandas as cells
from salesmark.integrations import _partitions as parts
from salesmark.lifecycle import Lifecycle
from salesmark.period import Period

__all__ = [
    "funnel_counts",
    "markov_statistics",
    "path_counts",
    "rule_credits",
    "shapley_statistics",
]

_NO_DASK = "salesmark.integrations.dask needs {}: pip install 'salesmark[dask]' ({})"


def _engine(module: str = "dask") -> Any:
    """The module ``module`` (dask or pandas), imported now, or a clear error naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = _NO_DASK.format(module, exc)
        raise MissingExtra(msg) from None


def _tree(pieces: list[Any], empty: Any, lazy: bool) -> Any:  # noqa: FBT001 (internal)
    delayed = _engine().delayed
    merged = parts.tree([delayed(empty), *pieces], delayed(parts.merge))
    return merged if lazy else merged.compute()


def _checked(frame: Any, reading: parts.Reading) -> parts.Reading:
    """``reading``, once dask is there and ``frame`` has its columns."""
    _engine("dask.dataframe")
    reading.check(frame.columns)
    return reading


def _statistics(frame: Any, model: parts.Model, reading: parts.Reading, lazy: bool) -> Any:  # noqa: FBT001
    _checked(frame, reading)
    model.check()
    delayed = _engine().delayed
    pieces = [delayed(cells.statistic)(p, reading, model) for p in frame.to_delayed()]
    return _tree(pieces, model.of(PathCounts()), lazy)


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
    """The :class:`~salesmark.attribution.PathCounts` of a Dask DataFrame, by Dask's group-by.

    The groups (one row per distinct path) are built on the workers and the
    PathCounts on the driver, which holds every distinct path.

    Args:
        frame: A ``dask.dataframe.DataFrame`` of journeys.
        path: The column of path strings.
        conversions: The conversions column.
        nulls: The nulls column (``None``: no nulls).
        value: The value column (``None``: no value).
        sep: What separates channels in a path string.
        currency: The currency of the values (required when there are values).
        places: The decimal places of the values (0-18), summed as whole units.
        lazy: Return a ``dask.delayed.Delayed`` of the PathCounts instead.

    Raises:
        MissingExtra: If dask is not installed.
        ValidationError: If a column is missing, a count is
            not whole, a value has more than ``places`` decimal places, or as for
            ``PathCounts.from_records``.

    Example:
        >>> import pandas as pd, dask.dataframe as dd
        >>> frame = dd.from_pandas(pd.DataFrame({"path": ["a > b", "b", "a > b"],
        ...     "total_conversions": [1, 0, 1], "total_null": [0, 1, 2]}), npartitions=2)
        >>> path_counts(frame, value=None)
        PathCounts(2 paths, 2 conversions, 3 nulls)
        >>> path_counts(frame, value=None, lazy=True).compute() == path_counts(frame, value=None)
        True
    """
    reading = _checked(
        frame,
        parts.Reading(
            path=path,
            conversions=conversions,
            nulls=nulls,
            value=value,
            sep=sep,
            currency=currency,
            places=places,
        ),
    )
    meta = _engine("pandas").DataFrame({name: [] for name in cells.TIDY}).astype(cells.TIDY)
    tidy = frame.map_partitions(cells.tidy, reading, meta=meta)
    grouped = tidy.groupby("path").sum(split_out=max(1, frame.npartitions // 2))
    if lazy:
        return _engine().delayed(cells.counts)(grouped, reading)
    return cells.counts(grouped.compute(), reading)


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
    """The :class:`~salesmark.attribution.MarkovStatistics` of order ``order`` of a Dask DataFrame.

    Each partition's transition counts are merged up a tree on the workers; only the
    merged counts reach the driver, and ``.result()`` solves them there.

    Args:
        frame: A ``dask.dataframe.DataFrame`` of journeys.
        order: How many consecutive channels make a state (1-4).
        repeats: ``"collapse"`` (default) or ``"keep"``.
        path: As for :func:`path_counts`.
        conversions: As for :func:`path_counts`.
        nulls: As for :func:`path_counts`.
        value: As for :func:`path_counts`.
        sep: As for :func:`path_counts`.
        currency: As for :func:`path_counts`.
        places: As for :func:`path_counts`.
        lazy: Return a ``dask.delayed.Delayed`` of the statistic instead.

    Raises:
        ValidationError: As for :func:`path_counts`, or if ``order`` or ``repeats``
            is out of range.

    Example:
        >>> import pandas as pd, dask.dataframe as dd
        >>> frame = dd.from_pandas(pd.DataFrame({"path": ["a > b", "b"],
        ...     "total_conversions": [1, 0], "total_null": [0, 1]}), npartitions=2)
        >>> dict(markov_statistics(frame, value=None).result().removal_effects)
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
    """The :class:`~salesmark.attribution.RuleCredits` of a rule-based model over a Dask DataFrame.

    Each partition's sums are merged up a tree on the workers; only the merged sums
    reach the driver, and ``.result()`` gives the model's credits.

    Args:
        frame: A ``dask.dataframe.DataFrame`` of journeys.
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
        lazy: Return a ``dask.delayed.Delayed`` of the statistic instead.

    Raises:
        ValidationError: As for :func:`path_counts`, or as for
            :func:`salesmark.attribution.rule_credits`.

    Example:
        >>> import pandas as pd, dask.dataframe as dd
        >>> frame = dd.from_pandas(pd.DataFrame({"path": ["a > b", "b"],
        ...     "total_conversions": [1, 1]}), npartitions=2)
        >>> dict(rule_credits(frame, "first_touch", nulls=None, value=None).result().credits)
        {'a': 1.0, 'b': 1.0}
    """
    options: dict[str, Any] = {"model": getattr(model, "__name__", model)}
    options.update(first=first, between=between, last=last)
    if direct is not None:
        options["direct"] = tuple(direct)
    chosen = parts.Model(kind="rules", options=options)
    reading = parts.Reading(
        path=path,
        conversions=conversions,
        nulls=nulls,
        value=value,
        sep=sep,
        currency=currency,
        places=places,
    )
    return _statistics(frame, chosen, reading, lazy)


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
    """The :class:`~salesmark.attribution.ShapleyStatistics` (coalition worths) of a Dask DataFrame.

    Its size is bounded by the channel sets seen (at most ``2**channels``).

    Args:
        frame: A ``dask.dataframe.DataFrame`` of journeys.
        path: As for :func:`path_counts`.
        conversions: As for :func:`path_counts`.
        nulls: As for :func:`path_counts`.
        value: As for :func:`path_counts`.
        sep: As for :func:`path_counts`.
        currency: As for :func:`path_counts`.
        places: As for :func:`path_counts`.
        lazy: Return a ``dask.delayed.Delayed`` of the statistic instead.

    Raises:
        ValidationError: As for :func:`path_counts`.

    Example:
        >>> import pandas as pd, dask.dataframe as dd
        >>> frame = dd.from_pandas(pd.DataFrame({"path": ["a > b", "b > a"],
        ...     "total_conversions": [1, 1]}), npartitions=2)
        >>> dict(shapley_statistics(frame, nulls=None, value=None).coalitions)
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
    """The :func:`~salesmark.funnel.funnel_counts` of a tidy stage-change table in Dask.

    One row is one stage change of one lead. The table is shuffled by lead so each
    lead's changes meet in one partition; each partition's funnel is counted there and
    the funnels are merged up a tree on the workers.

    Args:
        frame: A ``dask.dataframe.DataFrame`` of stage changes.
        period: The period counted.
        lifecycle: The lifecycle the leads follow.
        lead: The lead id column.
        stage: The stage entered.
        at: When (timezone-aware timestamps).
        reason: The reason code column, if any.
        created_at: When each lead was created (timezone-aware; its earliest cell
            counts); by default a lead is created at its first change.
        sequence: A column ordering a lead's changes made at the same instant.
        as_of: As for :func:`~salesmark.funnel.funnel_counts`.
        lazy: Return a ``dask.delayed.Delayed`` of the funnel instead.

    Raises:
        MissingExtra: If dask is not installed.
        ValidationError: If a column is missing, or a timestamp
            column has no time zone.

    Example:
        >>> import pandas as pd, dask.dataframe as dd
        >>> from salesmark import DEMAND_WATERFALL
        >>> t = pd.Timestamp("2026-01-05", tz="UTC")
        >>> frame = dd.from_pandas(pd.DataFrame({"lead_id": ["A", "A", "B"],
        ...     "stage": ["inquiry", "mql", "inquiry"], "at": [t, t + pd.Timedelta(hours=1), t]}),
        ...     npartitions=2)
        >>> funnel_counts(frame, Period.quarter(2026, 1), lifecycle=DEMAND_WATERFALL).cohort[:3]
        (2, 1, 0)
    """
    funnel = parts.Funnel(
        period=v.require(period, Period, "funnel_counts period"),
        lifecycle=v.require(lifecycle, Lifecycle, "funnel_counts lifecycle"),
        as_of=as_of,
    )
    changes = parts.Changes(
        lead=lead, stage=stage, at=at, reason=reason, created_at=created_at, sequence=sequence
    )
    _engine("dask.dataframe")
    changes.check(frame.columns)
    pandas = _engine("pandas")
    for name in (at, created_at):
        if name is not None and not isinstance(frame[name].dtype, pandas.DatetimeTZDtype):
            msg = f"stage-change column {name!r} must hold timezone-aware timestamps, got dtype {frame[name].dtype}"
            raise ValidationError(msg)
    delayed = _engine().delayed
    shuffled = frame[changes.columns].shuffle(on=lead, npartitions=frame.npartitions)
    pieces = [delayed(cells.funnel)(p, changes, funnel) for p in shuffled.to_delayed()]
    return _tree(pieces, FunnelCounts(), lazy)
