"""Shapley-value attribution over channel coalitions, computed exactly, and by touch position.

A coalition of channels is worth what the journeys whose channel set lies inside it
achieved. Each channel's Shapley value is its average marginal worth over every order
in which the channels could join.

- ``worth="conversions"``: a coalition is worth the conversions of those journeys. The
  Harsanyi dividend of a coalition is then just the conversions of the journeys whose
  channel set is *exactly* that coalition, so each converting journey's conversions are
  shared equally among its distinct channels. Exact, with no limit on channels.
- ``worth="conversion_rate"``: a coalition is worth the conversion rate of those
  journeys. Worths of all 2^n coalitions come from two subset-sum (zeta) transforms
  over bit-indexed lists, and Shapley values from one weighted pass per channel, so
  the cost grows as n * 2^n and memory as 2^n: up to :data:`MAX_SHAPLEY_CHANNELS`
  (20) channels, beyond which a clear error is raised. Values are scaled so credits
  sum to the total conversions; a channel that lowers the rate can get a negative
  credit.

The **ordered Shapley value** (Zhao et al., 2018, "Shapley Value Methods for
Attribution Modeling in Online Advertising") refines :func:`shapley` with
``worth="conversions"``: each converting journey's conversions are shared equally among
its distinct channels, as there, and each channel's share is then split equally among
the positions at which it appeared. Summed over positions, a channel's credit is its
plain Shapley value; by position, :func:`ordered_shapley` tells whether a channel opens
journeys or closes them.

Example:
    >>> from salesmark.attribution import PathCounts
    >>> counts = PathCounts.from_tuples([(("ad", "email", "ad"), 2, 1, None)])
    >>> dict(shapley(counts).credits), ordered_shapley(counts).by_position()
    ({'ad': 1.0, 'email': 1.0}, {1: 0.5, 2: 1.0, 3: 0.5})
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from fractions import Fraction
from itertools import chain
from operator import add, mul
from typing import Any, Final, Literal

import attrs

from salesmark._records import row
from salesmark.attribution._checks import one_of
from salesmark.attribution._engine import Paths, Terms, collect, finish, to_counts
from salesmark.attribution.results import AttributionResult
from salesmark.errors import ValidationError

__all__ = [
    "MAX_SHAPLEY_CHANNELS",
    "PositionCredit",
    "PositionCredits",
    "ordered_shapley",
    "shapley",
]

MAX_SHAPLEY_CHANNELS: Final = 20
"""The most channels ``shapley(..., worth="conversion_rate")`` accepts (2^20 coalitions)."""

Worth = Literal["conversions", "conversion_rate"]


def _halves(n: int, bit: int) -> Iterator[tuple[slice, slice]]:
    """Slice pairs (coalitions without ``bit``, the same with ``bit``) covering 2^n."""
    size = 1 << n
    step = 1 << bit
    span = step << 1
    if step <= size // span:
        for offset in range(step):
            yield slice(offset, size, span), slice(offset + step, size, span)
    else:
        for base in range(0, size, span):
            yield slice(base, base + step), slice(base + step, base + span)


def _zeta(values: list[float], n: int) -> None:
    """In place: values[S] becomes the sum of values[T] over every T inside S."""
    for bit in range(n):
        for low, high in _halves(n, bit):
            values[high] = list(map(add, values[high], values[low]))


def shapley(data: Paths, *, worth: Worth = "conversions") -> AttributionResult:
    """Attribute conversions by exact Shapley values over channel coalitions.

    Args:
        data: PathCounts or journeys.
        worth: ``"conversions"`` (default) or ``"conversion_rate"`` (needs nulls and
            at most :data:`MAX_SHAPLEY_CHANNELS` channels).

    Raises:
        ValidationError: If ``worth`` is unknown, or ``"conversion_rate"`` is asked
            for more than :data:`MAX_SHAPLEY_CHANNELS` channels.

    Example:
        Three channels; ``a`` alone converts 10%, ``a`` with ``b`` 30%:

        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([
        ...     (("a",), 1, 9, None),
        ...     (("a", "b"), 3, 7, None),
        ...     (("c",), 0, 10, None),
        ... ])
        >>> dict(shapley(counts).credits)
        {'a': 2.5, 'b': 1.5, 'c': 0.0}
        >>> {k: round(v, 4) for k, v in shapley(counts, worth="conversion_rate").credits.items()}
        {'a': 3.5833, 'b': 1.3333, 'c': -0.9167}
    """
    one_of(worth, "shapley worth", ("conversions", "conversion_rate"))
    counts = to_counts(data)
    collected = collect(counts, with_marks=False)
    if worth == "conversions":
        earned = Terms(collected.channels)
        values = Terms(collected.channels)
        for path, _marks, conv, value in collected.rows:
            members = set(path)
            share = 1.0 / len(members)
            for channel in members:
                earned[channel].append(conv * share)
                values[channel].append(value * share)
        return finish(
            collected, earned.sums(), values.sums(), model="shapley", parameters={"worth": worth}
        )
    names = sorted(collected.channels)
    n = len(names)
    if n > MAX_SHAPLEY_CHANNELS:
        msg = (
            f"shapley worth='conversion_rate' handles at most {MAX_SHAPLEY_CHANNELS} channels "
            f"(2^n coalitions), got {n}; group channels (see ChannelGrouping) or use "
            "worth='conversions', which has no limit"
        )
        raise ValidationError(msg)
    phi = _rate_values(counts.paths.items(), names)
    grand = phi.pop()
    scale = collected.total_conversions / grand if grand > 0 else 0.0
    credits_by = {name: value * scale for name, value in zip(names, phi, strict=True)}
    weights = dict(zip(names, phi, strict=True)) if grand > 0 else dict.fromkeys(names, 0.0)
    return finish(collected, credits_by, weights, model="shapley", parameters={"worth": worth})


def _rate_values(paths: object, names: list[str]) -> list[float]:
    """Shapley values of the conversion-rate game, then the grand coalition's rate."""
    n = len(names)
    bit = {name: 1 << i for i, name in enumerate(names)}
    size = 1 << n
    conv = [0.0] * size
    total = [0.0] * size
    for path, (c, nulls, _value) in paths:  # type: ignore[attr-defined]
        mask = 0
        for channel in path:
            mask |= bit[channel]
        conv[mask] += c
        total[mask] += c + nulls
    _zeta(conv, n)
    _zeta(total, n)
    rate = [c / t if t else 0.0 for c, t in zip(conv, total, strict=False)]
    del conv, total
    # w(s) = s! (n - s - 1)! / n!: the weight of joining a coalition of size s.
    weight = [
        float(Fraction(math.factorial(s) * math.factorial(n - s - 1), math.factorial(n)))
        for s in range(n)
    ]
    sizes = [0]
    for _ in range(n):
        sizes += [s + 1 for s in sizes]
    joined = list(map(mul, rate, [weight[s - 1] if s else 0.0 for s in sizes]))
    left = list(map(mul, rate, [weight[s] if s < n else 0.0 for s in sizes]))
    del sizes
    values: list[float] = []
    for i in range(n):
        halves = list(_halves(n, i))
        gain = math.fsum(chain.from_iterable(joined[high] for _low, high in halves))
        loss = math.fsum(chain.from_iterable(left[low] for low, _high in halves))
        values.append(gain - loss)
    values.append(rate[-1])
    return values


@attrs.frozen(kw_only=True)
class PositionCredit:
    """The conversions credited to one channel at one touch position.

    Attributes:
        channel: The channel.
        position: The touch position in the journey, from 1 (the first touch).
        conversions: The conversions credited there.

    Example:
        >>> PositionCredit(channel="ad", position=1, conversions=0.5).position
        1
    """

    channel: str
    position: int
    conversions: float


@attrs.frozen(kw_only=True, repr=False)
class PositionCredits:
    """Ordered Shapley credits: per channel and touch position.

    Attributes:
        rows: One row per (channel, position) that earned credit, sorted by channel then
            position.
        total_conversions: The conversions shared out; the rows sum to it.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> ordered_shapley(PathCounts.from_tuples([(("ad", "email"), 1, 0, None)]))
        PositionCredits(ordered_shapley: 1 conversions over 2 channels and 2 channel positions)
    """

    rows: tuple[PositionCredit, ...]
    total_conversions: float

    def __repr__(self) -> str:
        channels = len({r.channel for r in self.rows})
        return (
            f"PositionCredits(ordered_shapley: {self.total_conversions:g} conversions over "
            f"{channels} channels and {len(self.rows)} channel positions)"
        )

    def by_channel(self) -> dict[str, float]:
        """Credit per channel (summed over positions): the plain Shapley values.

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 1, 0, None)])).by_channel()
            {'ad': 0.5, 'email': 0.5}
        """
        totals: dict[str, list[float]] = {}
        for credit in self.rows:
            totals.setdefault(credit.channel, []).append(credit.conversions)
        return {channel: math.fsum(parts) for channel, parts in totals.items()}

    def by_position(self) -> dict[int, float]:
        """Credit per touch position (summed over channels).

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 1, 0, None)])).by_position()
            {1: 0.25, 2: 0.5, 3: 0.25}
        """
        totals: dict[int, list[float]] = {}
        for credit in self.rows:
            totals.setdefault(credit.position, []).append(credit.conversions)
        return {position: math.fsum(totals[position]) for position in sorted(totals)}

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per (channel, position), ready for ``pandas.DataFrame``.

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> ordered_shapley(PathCounts.from_tuples([(("ad",), 2, 0, None)])).to_records()
            [{'channel': 'ad', 'position': 1, 'conversions': 2.0}]
        """
        return [
            row(channel=r.channel, position=r.position, conversions=r.conversions)
            for r in self.rows
        ]


def ordered_shapley(data: Paths) -> PositionCredits:
    """Ordered Shapley credits per channel and touch position.

    Each converting journey's conversions go in equal shares to its distinct channels;
    a channel that appears several times splits its share equally among those positions.

    Args:
        data: A :class:`~salesmark.attribution.PathCounts` or journeys.

    Raises:
        ValidationError: If ``data`` is not paths or journeys.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> credits = ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 1, 0, None)]))
        >>> [(r.channel, r.position, r.conversions) for r in credits.rows]
        [('ad', 1, 0.25), ('ad', 3, 0.25), ('email', 2, 0.5)]
    """
    collected = collect(data, with_marks=False)
    parts: dict[tuple[str, int], list[float]] = {}
    for path, _marks, conv, _value in collected.rows:
        if not conv:
            continue
        seen = Counter(path)
        share = conv / len(seen)
        for position, channel in enumerate(path, start=1):
            parts.setdefault((channel, position), []).append(share / seen[channel])
    rows = tuple(
        PositionCredit(
            channel=channel, position=position, conversions=math.fsum(parts[channel, position])
        )
        for channel, position in sorted(parts)
    )
    return PositionCredits(rows=rows, total_conversions=collected.total_conversions)
