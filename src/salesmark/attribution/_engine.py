"""Private plumbing shared by the models: reading input, choosing the engine, building results.

Over :class:`PathCounts`, every rule model is a combination of exact sums
(:mod:`~salesmark.attribution._sums`), computed by the pure-Python engine or the numpy
engine (:mod:`~salesmark.attribution._numpy_engine`, imported only when used) and
cached on the counts. Journeys that carry milestones or times are read one by one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Union

from salesmark import _validators as v
from salesmark.attribution._sums import Sums, python_sums
from salesmark.attribution.journeys import Journey
from salesmark.attribution.paths import PathCounts, cache_of
from salesmark.attribution.results import AttributionResult, Parameter, split_value
from salesmark.errors import CurrencyMismatch, ValidationError, WrongType
from salesmark.money import Money

Paths = Union[PathCounts, Iterable[Journey]]  # noqa: UP007 (a runtime alias)
"""What the models accept: aggregated :class:`PathCounts`, or journeys."""


def sums(counts: PathCounts, kind: str, engine: str, direct: frozenset[int] = frozenset()) -> Sums:
    """The exact sums of ``kind`` over ``counts``, cached on it."""
    memo = cache_of(counts)
    key = ("sums", kind, engine, direct)
    cached = memo.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    table = counts.table
    if engine == "numpy" and kind != "positions":
        from salesmark.attribution import _numpy_engine as fast  # noqa: PLC0415 (optional)

        result = fast.sums(table, kind, direct) if fast.exact(table) else None
    else:
        result = None
    if result is None:
        result = python_sums(table, kind, direct)
    memo[key] = result
    return result


def result_of(
    counts: PathCounts,
    earned: Sequence[float],
    valued: Sequence[float],
    *,
    model: str,
    parameters: Mapping[str, Parameter],
    removal_effects: Mapping[str, float] | None = None,
) -> AttributionResult:
    """The result of per-channel-id credits and value weights over ``counts``."""
    return result_from(
        counts.table.names,
        earned,
        valued,
        total_conversions=counts.total_conversions,
        total_value=counts.total_value,
        model=model,
        parameters=parameters,
        removal_effects=removal_effects,
    )


def result_from(
    names: Sequence[str],
    earned: Sequence[float],
    valued: Sequence[float],
    *,
    total_conversions: float,
    total_value: Money | None,
    model: str,
    parameters: Mapping[str, Parameter],
    removal_effects: Mapping[str, float] | None = None,
) -> AttributionResult:
    """The result of credits and value weights by channel (``names`` in channel-id order)."""
    earned_by = {
        n: finite(x, f"{model} credit of {n!r}") for n, x in zip(names, earned, strict=True)
    }
    valued_by = dict(zip(names, valued, strict=True))
    return AttributionResult(
        model=model,
        parameters=parameters,
        credits=earned_by,
        value_credits=split_value(total_value, valued_by),
        total_conversions=float(total_conversions),
        total_value=total_value,
        removal_effects=removal_effects or {},
    )


def finite(value: float, field: str) -> float:
    """``value`` if finite, else a clear error: no NaN or infinity leaves a model."""
    if not math.isfinite(value):
        msg = f"{field} came out as {value!r}; the inputs are too large to attribute in floating point"
        raise ValidationError(msg)
    return value


Marks = tuple[int | None, int | None, int | None]
NO_MARKS: Marks = (None, None, None)
Row = tuple[tuple[str, ...], Marks, float, float]
"""(path, milestone marks, conversions, value as float) for one converting path."""


def to_counts(data: Paths) -> PathCounts:
    """Aggregate journeys to PathCounts (PathCounts pass through)."""
    if isinstance(data, PathCounts):
        return data
    if isinstance(data, str | bytes | Mapping) or not isinstance(data, Iterable):
        msg = f"paths must be PathCounts or an iterable of Journey, got {data!r}"
        raise WrongType(msg)
    return PathCounts.from_journeys(data)


def journeys_only(data: Paths, model: str) -> list[Journey]:
    """Return the journeys of ``data``, refusing PathCounts (which lack times and milestones)."""
    if isinstance(data, PathCounts):
        msg = (
            f"{model} needs journeys (with touch times or milestones), got PathCounts; "
            "pass the Journey objects instead"
        )
        raise ValidationError(msg)
    return list(v.argument_items(data, f"{model} paths", Journey))


class Collected:
    """Converting rows, every channel seen, and the totals of some input."""

    __slots__ = ("channels", "rows", "total_conversions", "total_value")

    def __init__(
        self,
        rows: list[Row],
        channels: set[str],
        total_conversions: float,
        total_value: Money | None,
    ) -> None:
        self.rows = rows
        self.channels = channels
        self.total_conversions = total_conversions
        self.total_value = total_value


def collect(data: Iterable[Journey], model: str) -> Collected:
    """Gather the converting journeys with their milestone marks (``model`` names the caller)."""
    journeys = journeys_only(data, model)
    grouped: dict[tuple[tuple[str, ...], Marks], list[Any]] = {}
    channels: set[str] = set()
    currency: str | None = None
    total = Decimal(0)
    for journey in journeys:
        channels.update(journey.path)
        if not journey.converted:
            continue
        key = (journey.path, journey.milestones.marks())
        entry = grouped.setdefault(key, [0, Decimal(0)])
        entry[0] += 1
        if journey.value is not None:
            if currency is not None and journey.value.currency != currency:
                msg = f"journey values must share one currency, got {currency!r} and {journey.value.currency!r}"
                raise CurrencyMismatch(msg)
            currency = journey.value.currency
            entry[1] += journey.value.amount
            total += journey.value.amount
    ordered = sorted(
        grouped.items(), key=lambda kv: (kv[0][0], [-1 if m is None else m for m in kv[0][1]])
    )
    rows = [(path, marks, float(e[0]), float(e[1])) for (path, marks), e in ordered]
    return Collected(
        rows,
        channels,
        float(sum(e[0] for _k, e in ordered)),
        None if currency is None else Money(total, currency),
    )


def attribute(
    collected: Collected,
    weigh: Callable[[tuple[str, ...], Marks], Sequence[float]],
    *,
    model: str,
    parameters: Mapping[str, Parameter],
) -> AttributionResult:
    """Credit each converting row by the shares ``weigh`` gives its touches."""
    earned = Terms(collected.channels)
    values = Terms(collected.channels)
    for path, marks, conv, value in collected.rows:
        shares = weigh(path, marks)
        for channel, share in zip(path, shares, strict=True):
            if share:
                earned[channel].append(conv * share)
                values[channel].append(value * share)
    return finish(collected, earned.sums(), values.sums(), model=model, parameters=parameters)


class Terms(dict[str, list[float]]):
    """Per-channel lists of terms, summed exactly (``math.fsum``) so order never matters."""

    def __init__(self, channels: Iterable[str]) -> None:
        super().__init__((c, []) for c in channels)

    def sums(self) -> dict[str, float]:
        """Each channel's terms, summed with correct rounding."""
        return {c: math.fsum(terms) for c, terms in self.items()}


def finish(
    collected: Collected,
    earned: Mapping[str, float],
    values: Mapping[str, float],
    *,
    model: str,
    parameters: Mapping[str, Parameter],
    removal_effects: Mapping[str, float] | None = None,
) -> AttributionResult:
    """Build the result, splitting the total value exactly by ``values``."""
    return AttributionResult(
        model=model,
        parameters=parameters,
        credits={c: finite(x, f"{model} credit of {c!r}") for c, x in earned.items()},
        value_credits=split_value(collected.total_value, values),
        total_conversions=collected.total_conversions,
        total_value=collected.total_value,
        removal_effects=removal_effects or {},
    )


def normalised(weights: Sequence[float], field: str) -> tuple[float, ...]:
    """Scale non-negative ``weights`` to sum to 1, or raise naming ``field``."""
    total = 0.0
    for index, weight in enumerate(weights):
        v.require_finite(weight, f"{field}[{index}]")
        if weight < 0:
            msg = f"{field}[{index}] must be >= 0, got {weight!r}"
            raise ValidationError(msg)
        total += weight
    if total <= 0:
        msg = f"{field} must have a weight above 0, got {list(weights)!r}"
        raise ValidationError(msg)
    if total == math.inf:  # finite weights whose sum overflows: scale by the largest first
        top = max(weights)
        scaled = [w / top for w in weights]
        total = math.fsum(scaled)
        return tuple(w / total for w in scaled)
    return tuple(w / total for w in weights)
