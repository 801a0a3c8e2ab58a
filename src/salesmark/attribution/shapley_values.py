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
  (over whole counts packed into one big int, a mask, shift and add a channel), and
  Shapley values from each channel's exact half sums (folded from one big int too,
  each correctly rounded once, as ``math.fsum`` would), so the cost grows as n * 2^n
  and memory as 2^n: up to :data:`MAX_SHAPLEY_CHANNELS`
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
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from itertools import chain
from operator import add, mul
from typing import Any, Final, Literal

import attrs

from salesmark import _display, _frames
from salesmark import _validators as v
from salesmark._progress import Progress, Ticker
from salesmark._records import records, row
from salesmark.attribution._checks import Engine, choose_engine, one_of
from salesmark.attribution._columns import Table
from salesmark.attribution._engine import (
    Paths,
    finite,
    result_from,
    result_of,
    sums,
    to_counts,
)
from salesmark.attribution._mergeable import (
    Exact,
    Key,
    add_cells,
    cells_map,
    check_exact,
    money,
    names_of,
    of_counts,
    parts_of,
    totals,
    totals_repr,
    whole,
    without_journeys,
)
from salesmark.attribution._packed import half_sums, packable, rates, zeta_packed
from salesmark.attribution._sums import by_key
from salesmark.attribution.results import AttributionResult, _conversions, _number
from salesmark.errors import ValidationError
from salesmark.money import Money

__all__ = [
    "MAX_SHAPLEY_CHANNELS",
    "PositionCredit",
    "PositionCredits",
    "ShapleyStatistics",
    "ordered_shapley",
    "shapley",
    "shapley_statistics",
]

MAX_SHAPLEY_CHANNELS: Final = 20
"""The most channels ``shapley(..., worth="conversion_rate")`` accepts (2^20 coalitions)."""

Worth = Literal["conversions", "conversion_rate"]


_RUN = 64  # from this many coalitions on, a half is read as contiguous runs


def _halves(n: int, bit: int) -> Iterator[tuple[slice, slice]]:
    """Slice pairs (coalitions without ``bit``, the same with ``bit``) covering 2^n.

    Short runs are read as a few strided slices, long ones as contiguous slices, so
    neither walks memory far apart at each step.
    """
    size = 1 << n
    step = 1 << bit
    span = step << 1
    if step < _RUN:
        for offset in range(step):
            yield slice(offset, size, span), slice(offset + step, size, span)
    else:
        for base in range(0, size, span):
            yield slice(base, base + step), slice(base + step, base + span)


def _zeta(values: list[float], n: int, ticker: Ticker) -> None:
    """In place: values[S] becomes the sum of values[T] over every T inside S."""
    for bit in range(n):
        for low, high in _halves(n, bit):
            values[high] = list(map(add, values[high], values[low]))
        ticker.advance()


def shapley(
    data: Paths,
    *,
    worth: Worth = "conversions",
    engine: Engine | None = None,
    progress: Progress = None,
) -> AttributionResult:
    """Attribute conversions by exact Shapley values over channel coalitions.

    Args:
        data: PathCounts or journeys.
        worth: ``"conversions"`` (default) or ``"conversion_rate"`` (needs nulls and
            at most :data:`MAX_SHAPLEY_CHANNELS` channels).
        engine: ``"python"`` or ``"numpy"`` (numpy when installed, by default); the
            numpy engine runs the subset-sum transforms as whole-array operations.
        progress: Called as ``progress(done, total)`` as the work proceeds (with the
            pure-Python engine and ``"conversion_rate"``, three steps per channel: two
            transforms and its value), or ``True`` for a tqdm bar (the ``progress`` extra).

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
    chosen = choose_engine(engine, "shapley")
    counts = to_counts(data)
    names = counts.channels
    if worth == "conversions":
        with Ticker(progress, 1, what="shapley"):
            earned, valued = by_key(sums(counts, "distinct", chosen), _per_member, len(names))
        return result_of(counts, earned, valued, model="shapley", parameters={"worth": worth})
    n = check_rate_channels(len(names))
    with Ticker(progress, 3 * n if chosen == "python" else 1, what="shapley") as ticker:
        if chosen == "numpy":
            from salesmark.attribution import _numpy_engine as fast  # noqa: PLC0415 (optional)

            phi = fast.rate_values(counts.table, n)
        else:
            phi = _rate_values(counts.table, n, ticker)
    return rate_result(phi, names, counts.total_conversions, counts.total_value)


def check_rate_channels(n: int) -> int:
    """``n`` if the conversion-rate game can be solved over ``n`` channels, else a clear error."""
    if n > MAX_SHAPLEY_CHANNELS:
        msg = (
            f"shapley worth='conversion_rate' handles at most {MAX_SHAPLEY_CHANNELS} channels "
            f"(2^n coalitions), got {n}; group channels (see ChannelGrouping) or use "
            "worth='conversions', which has no limit"
        )
        raise ValidationError(msg)
    return n


def rate_result(
    phi: list[float],
    names: tuple[str, ...],
    total_conversions: float,
    total_value: Money | None,
) -> AttributionResult:
    """The result of the rate game's values (the grand coalition's rate last)."""
    grand = phi.pop()
    total = float(total_conversions)
    scale = total / grand if grand > 0 else 0.0
    credits_by = [finite(value * scale, "shapley credit") for value in phi]
    weights = phi if grand > 0 else [0.0] * len(phi)
    return result_from(
        names,
        credits_by,
        weights,
        total_conversions=total_conversions,
        total_value=total_value,
        model="shapley",
        parameters={"worth": "conversion_rate"},
    )


def _per_member(key: tuple[int, int]) -> float:
    return 1.0 / key[0]


def _rate_values(table: Table, n: int, ticker: Ticker) -> list[float]:
    """Shapley values of the conversion-rate game, then the grand coalition's rate."""
    size = 1 << n
    exact_conv: list[Any] = [0] * size
    exact_total: list[Any] = [0] * size
    tokens, offsets = table.tokens, table.offsets
    pairs: list[tuple[Any, Any]] = list(zip(table.conversions, table.nulls, strict=True))
    for i, (c, nulls) in enumerate(pairs):
        mask = 0
        for token in tokens[offsets[i] : offsets[i + 1]]:
            mask |= 1 << token
        exact_conv[mask] += c
        exact_total[mask] += c + nulls
    return rate_values(exact_conv, exact_total, n, ticker)


def rate_values(
    exact_conv: list[Any], exact_total: list[Any], n: int, ticker: Ticker | None = None
) -> list[float]:
    """The same, from the exact conversions and journeys of each exact channel set (by bit mask).

    ``ticker`` (when given) advances ``3 * n`` steps: two zeta transforms and one per channel.
    """
    if ticker is None:
        ticker = Ticker(None, 3 * n, what="shapley")
    if packable(exact_conv, exact_total):
        # exact integer subset sums: the same numbers the float transform gives (every
        # sum stays below 2**53), and an int divided by an int is correctly rounded too
        whole_conv, whole_total = zeta_packed([exact_conv, exact_total], n, ticker)
        rate = rates(whole_conv, whole_total)
        del whole_conv, whole_total
    else:
        conv = list(map(float, exact_conv))
        total = list(map(float, exact_total))
        _zeta(conv, n, ticker)
        _zeta(total, n, ticker)
        rate = [c / t if t else 0.0 for c, t in zip(conv, total, strict=False)]
        del conv, total
    # w(s) = s! (n - s - 1)! / n!: the weight of joining a coalition of size s.
    weight = [
        float(Fraction(math.factorial(s) * math.factorial(n - s - 1), math.factorial(n)))
        for s in range(n)
    ]
    sizes = [0]
    for _ in range(n):
        sizes += list(map((1).__add__, sizes))
    joined = list(map(mul, rate, map([0.0, *weight].__getitem__, sizes)))
    left = list(map(mul, rate, map([*weight, 0.0].__getitem__, sizes)))
    del sizes
    gains, losses = half_sums(joined, n), half_sums(left, n)
    values: list[float] = []
    for i in range(n):
        if gains is not None and losses is not None:
            # the exact sums, each correctly rounded once: what math.fsum gives
            gain = gains[0][i] / gains[2]
            loss = (losses[1] - losses[0][i]) / losses[2]
        else:
            halves = list(_halves(n, i))
            gain = math.fsum(chain.from_iterable(joined[high] for _low, high in halves))
            loss = math.fsum(chain.from_iterable(left[low] for low, _high in halves))
        values.append(gain - loss)
        ticker.advance()
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

    channel: str = attrs.field(validator=v.non_empty_text)
    position: int = attrs.field(validator=v.whole(1))
    conversions: float = attrs.field(
        validator=lambda i, a, x: _number(x, "PositionCredit.conversions")
    )


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

    rows: tuple[PositionCredit, ...] = attrs.field(
        converter=v.tuple_field, validator=v.items_of(PositionCredit)
    )
    total_conversions: float = attrs.field(validator=_conversions)

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

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain dict per (channel, position), ready for ``pandas.DataFrame``.

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> ordered_shapley(PathCounts.from_tuples([(("ad",), 2, 0, None)])).to_records()
            [{'channel': 'ad', 'position': 1, 'conversions': 2.0}]
        """
        rows = [
            row(channel=r.channel, position=r.position, conversions=r.conversions)
            for r in self.rows
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


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
    counts = to_counts(data)
    table = counts.table
    names = table.names
    exact: dict[tuple[int, int, int, int], Any] = {}
    tokens, offsets = table.tokens, table.offsets
    for i, conv in enumerate(table.conversions):
        if not conv:
            continue
        path = tokens[offsets[i] : offsets[i + 1]]
        seen = Counter(path)
        for position, token in enumerate(path, start=1):
            key = (token, position, len(seen), seen[token])
            exact[key] = exact.get(key, 0) + conv
    parts: dict[tuple[int, int], list[float]] = {}
    for (token, position, members, times), total in exact.items():
        parts.setdefault((token, position), []).append(float(total) / (members * times))
    rows = tuple(
        PositionCredit(
            channel=names[token],
            position=position,
            conversions=finite(math.fsum(parts[token, position]), "ordered_shapley credit"),
        )
        for token, position in sorted(parts, key=lambda k: (names[k[0]], k[1]))
    )
    return PositionCredits(rows=rows, total_conversions=float(counts.total_conversions))


_COALITIONS = cells_map(3, "ShapleyStatistics.coalitions")


def _coalitions(value: object) -> Mapping[Key, tuple[Any, ...]]:
    return _COALITIONS(value)


@attrs.frozen(kw_only=True, repr=False)
class ShapleyStatistics:
    """The worth of each channel set seen (its conversions, nulls and value): a mergeable statistic.

    ``ShapleyStatistics()`` is the empty value; :meth:`merge` (or ``a + b``) adds parts
    exactly, and :meth:`result` gives :func:`~salesmark.attribution.shapley` over every
    journey counted (``worth="conversion_rate"`` as with ``engine="python"``). Build one
    with :func:`shapley_statistics`; it holds one entry per distinct set of channels.

    Attributes:
        coalitions: Sorted distinct channels of a journey -> (conversions, nulls, value
            units) of the journeys with exactly those channels.
        channels: Every channel seen, sorted.
        conversions: The conversions counted, exactly.
        nulls: The journeys without conversion counted, exactly.
        value: The value of the conversions in whole units of ``10**exponent``.
        currency: The currency of the value, or ``None`` when there is none.
        exponent: The power of ten of a value unit (0 or below).

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> stats = shapley_statistics(PathCounts.from_tuples([(("a", "b", "a"), 2, 1, None)]))
        >>> dict(stats.coalitions), dict(stats.result().credits)
        ({('a', 'b'): (2, 1, 0)}, {'a': 1.0, 'b': 1.0})
    """

    coalitions: Mapping[Key, tuple[Any, ...]] = attrs.field(factory=dict, converter=_coalitions)
    channels: tuple[str, ...] = attrs.field(default=(), converter=names_of)
    conversions: Exact = attrs.field(default=0, validator=check_exact)
    nulls: Exact = attrs.field(default=0, validator=check_exact)
    value: int = attrs.field(default=0, validator=v.whole(0))
    currency: str | None = attrs.field(default=None, validator=v.optional_instance_of(str))
    exponent: int = attrs.field(default=0, validator=v.instance_of(int))

    @classmethod
    def merge(cls, parts: Iterable[ShapleyStatistics]) -> ShapleyStatistics:
        """Add up the coalition worths of parts of the journeys (k at once).

        Raises:
            CurrencyMismatch: If their values are in different currencies.

        Example:
            >>> ShapleyStatistics.merge([])
            ShapleyStatistics(0 channels, 0 conversions, 0 nulls; 0 coalitions)
        """
        items, full = parts_of(cls, parts)
        if len(full) == 1:
            return full[0]
        if not full:
            return without_journeys(items, items[0] if items else cls(), "ShapleyStatistics.merge")
        merged = totals(full, "ShapleyStatistics.merge")
        return cls(
            coalitions=add_cells(((p.coalitions, p.exponent) for p in full), merged["exponent"]),
            **merged,
        )

    def __add__(self, other: ShapleyStatistics) -> ShapleyStatistics:
        if not isinstance(other, ShapleyStatistics):
            return NotImplemented
        return ShapleyStatistics.merge([self, other])

    def result(self, *, worth: Worth = "conversions") -> AttributionResult:
        """Shapley values over every journey counted, as :func:`~salesmark.attribution.shapley`.

        Raises:
            ValidationError: If ``worth`` is unknown, or ``"conversion_rate"`` is asked
                for more than :data:`~salesmark.attribution.MAX_SHAPLEY_CHANNELS` channels.

        Example:
            >>> from salesmark.attribution import PathCounts, shapley
            >>> counts = PathCounts.from_tuples([(("a",), 1, 9, None), (("a", "b"), 3, 7, None)])
            >>> shapley_statistics(counts).result(worth="conversion_rate") == shapley(
            ...     counts, worth="conversion_rate", engine="python")
            True
        """
        one_of(worth, "ShapleyStatistics.result worth", ("conversions", "conversion_rate"))
        names = self.channels
        ids = {name: i for i, name in enumerate(names)}
        if worth == "conversions":
            distinct: dict[Any, list[Any]] = {}
            for members, (c, _n, units) in self.coalitions.items():
                if not (c or units):
                    continue
                for name in members:
                    entry = distinct.setdefault((len(members), ids[name]), [0, 0])
                    entry[0] += c
                    entry[1] += units
            earned, valued = by_key(distinct, _per_member, len(names))
            return result_from(
                names,
                earned,
                valued,
                total_conversions=float(self.conversions),
                total_value=money(self),
                model="shapley",
                parameters={"worth": worth},
            )
        n = check_rate_channels(len(names))
        size = 1 << n
        exact_conv: list[Any] = [0] * size
        exact_total: list[Any] = [0] * size
        for members, (c, nulls, _units) in self.coalitions.items():
            mask = 0
            for name in members:
                mask |= 1 << ids[name]
            exact_conv[mask] += c
            exact_total[mask] += c + nulls
        phi = rate_values(exact_conv, exact_total, n)
        return rate_result(phi, names, float(self.conversions), money(self))

    def __repr__(self) -> str:
        return f"ShapleyStatistics({totals_repr(self)}; {len(self.coalitions)} coalitions)"


def shapley_statistics(data: Paths) -> ShapleyStatistics:
    """The :class:`ShapleyStatistics` of some of the journeys: the worth of each channel set.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> shapley_statistics(PathCounts.from_tuples([(("b", "a"), 1, 0, None), (("a", "b"), 0, 2, None)])).coalitions
        {('a', 'b'): (1, 2, 0)}
    """
    counts = to_counts(data)
    table = counts.table
    names = table.names
    tokens, offsets = table.tokens, table.offsets
    found: dict[Key, list[Any]] = {}
    for i in range(len(table)):
        members = tuple(names[t] for t in sorted(set(tokens[offsets[i] : offsets[i + 1]])))
        entry = found.get(members)
        if entry is None:
            entry = found[members] = [0, 0, 0]
        entry[0] += table.conversions[i]
        entry[1] += table.nulls[i]
        entry[2] += table.units[i]
    return ShapleyStatistics(
        coalitions={k: (whole(c), whole(n), int(u)) for k, (c, n, u) in found.items()},
        **of_counts(counts),
    )
