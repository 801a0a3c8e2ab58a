"""Merging the KPI facts of parts of an organisation (private; see :meth:`KpiFacts.merge`).

Facts are merged field by field, by what each field holds, so a field added to
:class:`~salesmark.metrics.KpiFacts` merges without a change here as long as it holds
one of these: counts, money and exact amounts add; durations and funnels merge; maps
add key by key; the ``(step, money)`` pairs of a cohort add step by step; other tuples
(the leads and deals behind the counts) are joined in the order of the parts. The
fields that describe the organisation rather than its leads (the period, currency,
lifecycle and the campaigns' spend: every part holds all the campaigns) must be the
same in every part, and are taken once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, TypeVar

import attrs

from salesmark import _validators as v
from salesmark.durations import Durations
from salesmark.errors import ValidationError
from salesmark.funnel import FunnelCounts
from salesmark.money import Money

T = TypeVar("T")

SAME: Final = frozenset(
    {
        "period", "currency", "lifecycle", "sales_activities",
        "marketing_spend", "campaign_costs",
    }
)  # fmt: skip
"""Fields of the organisation itself (its period, currency, lifecycle and campaigns'
spend), not of its leads: every part holds them whole, so they are equal in every part."""

_ADDED: Final = (int, Fraction, Decimal, Money)


def merge_facts(cls: type[T], parts: Iterable[T]) -> T:
    """The facts of every part together: one value per field, merged by what it holds.

    Raises:
        WrongType: If a part is not a ``cls``.
        ValidationError: If there is no part, or the parts describe different periods,
            currencies or lifecycles.
    """
    items = list(v.argument_items(parts, f"{cls.__name__}.merge parts", cls))
    if not items:
        msg = (
            f"{cls.__name__}.merge needs at least one part; the empty value is the facts of an "
            "organisation with no leads and no campaigns"
        )
        raise ValidationError(msg)
    if len(items) == 1:
        return items[0]
    fields: dict[str, Any] = {}
    for field in attrs.fields(cls):  # type: ignore[arg-type]
        if not field.init:
            continue
        values = [getattr(p, field.name) for p in items]
        fields[field.alias] = _merged(field.name, values, cls.__name__)
    return cls(**fields)


def _merged(name: str, values: list[Any], owner: str) -> Any:  # noqa: PLR0911 (one return per kind of field)
    first = values[0]
    if name in SAME:
        for other in values[1:]:
            if other != first:
                msg = f"{owner}.merge parts must share one {name}, got {first!r} and {other!r}"
                raise ValidationError(msg)
        return first
    if isinstance(first, _ADDED):
        return _sum(values)
    if isinstance(first, Durations):
        return Durations.merge(values)
    if isinstance(first, FunnelCounts):
        return FunnelCounts.merge(values)
    if isinstance(first, Mapping):
        return _by_key(name, values, owner)
    if isinstance(first, tuple):
        if all(_is_steps(value) for value in values):
            return tuple(sorted(_by_key(name, [dict(x) for x in values], owner).items()))
        return tuple(item for value in values for item in value)
    msg = f"{owner}.merge does not know how to merge {name} ({type(first).__name__})"
    raise ValidationError(msg)


def _sum(values: list[Any]) -> Any:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _by_key(name: str, values: list[Mapping[Any, Any]], owner: str) -> dict[Any, Any]:
    grouped: dict[Any, list[Any]] = {}
    for value in values:
        for key, item in value.items():
            grouped.setdefault(key, []).append(item)
    return {key: _merged(f"{name}[{key!r}]", items, owner) for key, items in grouped.items()}


def _is_steps(value: tuple[Any, ...]) -> bool:
    """Whether ``value`` is a tuple of ``(step, amount)`` pairs keyed by whole numbers."""
    return all(
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], int)
        and isinstance(item[1], _ADDED)
        for item in value
    )
