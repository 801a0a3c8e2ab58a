"""What the mergeable statistics of :mod:`~salesmark.attribution.statistics` share (private).

Each statistic keeps the channels seen, exact totals of conversions and nulls, and
the value as whole units of ``10**exponent`` of one currency; merging adds maps of
exact counts, rescaling value units to the finest exponent of the parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, Protocol, TypeVar

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.attribution._columns import MAX_COUNT, _decimal
from salesmark.attribution.paths import PathCounts
from salesmark.errors import CurrencyMismatch, ValidationError
from salesmark.money import Money

Exact = int | Fraction
"""A count summed exactly: a whole number, or a fraction for sampled weights."""

Key = tuple[Any, ...]


class Statistic(Protocol):
    """The totals every statistic carries."""

    @property
    def channels(self) -> tuple[str, ...]: ...
    @property
    def conversions(self) -> Exact: ...
    @property
    def nulls(self) -> Exact: ...
    @property
    def value(self) -> int: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def exponent(self) -> int: ...


S = TypeVar("S", bound=Statistic)


def exact(value: object, field: str) -> Exact:
    if isinstance(value, bool) or not isinstance(value, int | Fraction) or value < 0:
        msg = f"{field} must be a whole number or a Fraction >= 0, got {value!r}"
        raise ValidationError(msg)
    return value


def check_exact(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    exact(value, f"{type(instance).__name__}.{attribute.name}")


def names_of(value: object) -> tuple[str, ...]:
    names = v.sequence(value, "channels", "channel names")
    for name in names:
        v.require(name, str, "channels item")
    return tuple(sorted(set(names)))


def _key(key: object, field: str) -> Key:
    if not isinstance(key, tuple):
        msg = f"{field} keys must be tuples, got {key!r}"
        raise ValidationError(msg)
    return key


def counts_map(field: str) -> Callable[[object], Mapping[Key, Exact]]:
    """A converter: a read-only mapping of key -> exact count."""

    def convert(value: object) -> Mapping[Key, Exact]:
        v.require(value, Mapping, field)  # type: ignore[type-abstract]
        items: Mapping[Any, Any] = value  # type: ignore[assignment]
        return FrozenMap({_key(k, field): exact(n, f"{field}[{k!r}]") for k, n in items.items()})

    return convert


def cells_map(width: int, field: str) -> Callable[[object], Mapping[Key, tuple[Any, ...]]]:
    """A converter: a read-only mapping of key -> ``width`` exact counts (value units last)."""

    def convert(value: object) -> Mapping[Key, tuple[Any, ...]]:
        v.require(value, Mapping, field)  # type: ignore[type-abstract]
        items: Mapping[Any, Any] = value  # type: ignore[assignment]
        out: dict[Key, tuple[Any, ...]] = {}
        for key, cells in items.items():
            row = v.sequence(cells, f"{field}[{key!r}]", f"{width} counts")
            if len(row) != width:
                msg = f"{field}[{key!r}] must hold {width} counts, got {row!r}"
                raise ValidationError(msg)
            for cell in row:
                exact(cell, f"{field}[{key!r}]")
            out[_key(key, field)] = row
        return FrozenMap(out)

    return convert


def same(parts: list[Any], field: str, caller: str) -> Any:
    first = getattr(parts[0], field)
    for part in parts[1:]:
        if getattr(part, field) != first:
            msg = (
                f"{caller} parts must share one {field}, got {first!r} and {getattr(part, field)!r}"
            )
            raise ValidationError(msg)
    return first


def _currency(parts: list[Any], caller: str) -> str | None:
    found = sorted({p.currency for p in parts if p.currency is not None})
    if len(found) > 1:
        msg = f"{caller} parts must share one currency, got {found}"
        raise CurrencyMismatch(msg)
    return found[0] if found else None


def add_counts(maps: Iterable[Mapping[Key, Exact]]) -> dict[Key, Exact]:
    total: dict[Key, Any] = {}
    for counts in maps:
        for key, n in counts.items():
            total[key] = total.get(key, 0) + n
    return total


def add_cells(
    maps: Iterable[tuple[Mapping[Key, tuple[Any, ...]], int]], exponent: int
) -> dict[Key, tuple[Any, ...]]:
    """Add up maps of key -> counts (value units last), each rescaled from its own exponent."""
    total: dict[Key, list[Any]] = {}
    for cells, own in maps:
        scale = 10 ** (own - exponent)
        for key, row in cells.items():
            entry = total.get(key)
            if entry is None:
                entry = total[key] = [0] * len(row)
            for i in range(len(row) - 1):
                entry[i] += row[i]
            entry[-1] += row[-1] * scale
    return {key: tuple(row) for key, row in total.items()}


def totals(parts: list[Any], caller: str) -> dict[str, Any]:
    """The merged channels, totals, currency and exponent of ``parts``."""
    exponent = min(p.exponent for p in parts)
    conversions = sum((p.conversions for p in parts), 0)
    nulls = sum((p.nulls for p in parts), 0)
    if conversions + nulls > MAX_COUNT:
        msg = (
            f"{caller} can merge at most {MAX_COUNT:,} journeys in all, "
            f"got {float(conversions + nulls):.6g}"
        )
        raise ValidationError(msg)
    return {
        "channels": tuple(sorted({c for p in parts for c in p.channels})),
        "conversions": whole(conversions),
        "nulls": whole(nulls),
        "value": sum(p.value * 10 ** (p.exponent - exponent) for p in parts),
        "currency": _currency(parts, caller),
        "exponent": exponent,
    }


def of_counts(counts: PathCounts) -> dict[str, Any]:
    """The totals of ``counts`` as every statistic keeps them."""
    table = counts.table
    return {
        "channels": table.names,
        "conversions": whole(sum(table.conversions)),
        "nulls": whole(sum(table.nulls)),
        "value": int(sum(table.units)),
        "currency": counts.currency,
        "exponent": table.exponent,
    }


def whole(value: Any) -> Exact:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else value
    return int(value)


def money(stats: Statistic) -> Money | None:
    if stats.currency is None:
        return None
    return Money(_decimal(stats.value, stats.exponent), stats.currency)


def parts_of(cls: type[S], parts: Iterable[S]) -> tuple[list[S], list[S]]:
    """Every part, and those that hold a journey (the others are identities)."""
    items = list(v.argument_items(parts, f"{cls.__name__}.merge parts", cls))
    return items, [p for p in items if p.channels]


def without_journeys(items: list[S], base: S, caller: str) -> S:
    """The merge of parts none of which holds a journey: ``base`` in the parts' one currency.

    So the empty value stays neutral on either side: ``MarkovStatistics() + part`` and
    ``part + MarkovStatistics()`` are the same statistic for a part without journeys too.

    Raises:
        CurrencyMismatch: If the parts carry different currencies.
    """
    currency = _currency(items, caller)
    return base if base.currency == currency else attrs.evolve(base, currency=currency)  # type: ignore[misc]


def _shown(value: Exact) -> str:
    return str(value) if isinstance(value, int) else f"{float(value):g}"


def totals_repr(stats: Statistic) -> str:
    total = money(stats)
    value = "" if total is None else f", value {total.amount} {total.currency}"
    return (
        f"{len(stats.channels)} channels, {_shown(stats.conversions)} conversions, "
        f"{_shown(stats.nulls)} nulls{value}"
    )
