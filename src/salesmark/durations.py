"""Durations: an exact, mergeable multiset of elapsed times for medians and percentiles.

Time in stage, sales cycles and speed to lead are all collections of ``timedelta``
values. A :class:`Durations` keeps every one of them (equal durations share one entry),
so the percentile of merged parts equals the percentile of the whole, exactly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, TypeAlias

import attrs

from salesmark import _validators as v
from salesmark._time import elapsed
from salesmark.errors import ValidationError, WrongType
from salesmark.money import _shown, _whole

__all__ = ["Durations"]

_US = timedelta(microseconds=1)
_MAX_COUNT = 10**18
"""The most durations one store holds (counts included); merging beyond it is refused."""
_first = itemgetter(0)
_second = itemgetter(1)
_Q_PLACES = 30
"""The most decimal places a quantile may be written with."""


def _duration(value: object) -> timedelta:
    if not isinstance(value, timedelta):
        msg = f"Durations.values must hold non-negative timedeltas, got {value!r}"
        raise WrongType(msg)
    if value < timedelta(0):
        msg = f"Durations.values must hold non-negative timedeltas, got {value!r}"
        raise ValidationError(msg)
    return value


def _bounded(count: int) -> int:
    if count > _MAX_COUNT:
        msg = f"Durations hold at most {_MAX_COUNT:,} durations, got {_shown(count)}"
        raise ValidationError(msg)
    return count


def _pairs(value: Iterable[tuple[timedelta, int]]) -> tuple[tuple[timedelta, int], ...]:
    merged: Counter[timedelta] = Counter()
    for pair in v.sequence(value, "Durations.values", "(timedelta, count) pairs"):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            msg = f"Durations.values must hold (timedelta, count) pairs, got {pair!r}"
            raise WrongType(msg)
        duration, count = pair
        _duration(duration)
        _whole(count, f"Durations.values counts (for {duration!r})", 1)
        merged[duration] += count
    _bounded(sum(merged.values()))
    return tuple(sorted(merged.items(), key=_first))


def _quantile(q: object) -> Fraction:
    expected = (
        f"Durations.percentile q must be a number from 0 to 1 (at most {_Q_PLACES} decimal places)"
    )
    if isinstance(q, bool) or not isinstance(q, Decimal | int | str | float):
        msg = f"{expected}, got {_shown(q)}"
        raise WrongType(msg)
    if isinstance(q, int) and not 0 <= q <= 1:  # an int is converted only once known small
        msg = f"{expected}, got {_shown(q)}"
        raise ValidationError(msg)
    try:
        number = Decimal(q)
    except ArithmeticError:
        number = Decimal("NaN")
    exponent = number.as_tuple().exponent
    if not (number.is_finite() and 0 <= number <= 1) or (
        not isinstance(q, float) and isinstance(exponent, int) and -exponent > _Q_PLACES
    ):
        msg = f"{expected}, got {q!r}"
        raise ValidationError(msg)
    return Fraction(number)


_Spans: TypeAlias = tuple[Sequence[datetime], Sequence[datetime] | datetime | None]
"""Starts, and their ends (or one end for all, or ``None`` when the starts hold each
start and its end side by side): durations not yet measured."""
_Pending: TypeAlias = Counter[timedelta] | _Spans | None
"""What a store built inside salesmark holds until it is first read (``None`` once read)."""


def _measured(pending: Counter[timedelta] | _Spans) -> tuple[tuple[timedelta, int], ...]:
    """The sorted ``(duration, count)`` pairs of a pending store."""
    if isinstance(pending, Counter):
        counter = pending
    else:
        starts, ends = pending
        if ends is None:
            counter = Counter(map(elapsed, starts[0::2], starts[1::2]))
        elif isinstance(ends, datetime):
            counter = Counter([elapsed(s, ends) for s in starts])
        else:
            counter = Counter(map(elapsed, starts, ends))
    # the durations are distinct keys, so sorting by them alone orders the pairs
    # (about three times faster than comparing the pairs as tuples)
    return tuple(sorted(counter.items(), key=_first))


@attrs.frozen(kw_only=True)
class Durations:
    """An exact multiset of durations: a mergeable store for medians and percentiles.

    Every duration is kept (as a sorted tuple of ``(duration, count)`` pairs, so equal
    durations share one entry); merging two stores adds the counts, so a percentile of
    merged parts equals the percentile of the whole, exactly.

    A store holds at most 10**18 durations (counts included); building or merging a
    larger one is refused. Sums are exact integers of microseconds, so the mean and the
    percentiles never overflow: they lie between the shortest and the longest duration.

    Attributes:
        values: ``(duration, how many times)`` pairs, sorted by duration.

    Example:
        >>> d = Durations.of([timedelta(hours=1), timedelta(hours=3)])
        >>> d + Durations.of([timedelta(hours=2)])
        Durations(n=3, median=2:00:00, p90=2:48:00)
    """

    values: tuple[tuple[timedelta, int], ...] = attrs.field(default=(), converter=_pairs)
    # A store counted inside salesmark is measured, counted and sorted when first read
    # (most funnels are read for their counts, not their stays): until then ``values``
    # is unset and this holds what it will be made of.
    _pending: _Pending = attrs.field(default=None, init=False, eq=False, hash=False, repr=False)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> object:
            # Only an unset ``values`` (a store not yet read) gets here.
            if name != "values":
                msg = f"{type(self).__name__!r} object has no attribute {name!r}"
                raise AttributeError(msg)
            pending = object.__getattribute__(self, "_pending")
            if pending is None:  # pragma: no cover (another thread measured it meanwhile)
                return object.__getattribute__(self, "values")
            values = _measured(pending)
            object.__setattr__(self, "values", values)
            object.__setattr__(self, "_pending", None)
            return values

    @classmethod
    def of(cls, durations: Iterable[timedelta]) -> Durations:
        """Collect ``durations`` (non-negative timedeltas) into a store.

        Example:
            >>> Durations.of([timedelta(days=1)] * 3).count
            3
        """
        items = v.sequence(durations, "Durations.of durations", "timedeltas")
        return cls(values=tuple(Counter(_duration(d) for d in items).items()))

    @classmethod
    def _trusted(cls, counter: Counter[timedelta]) -> Durations:
        # Internal fast path: the counter holds non-negative timedeltas and positive
        # counts; it is sorted when the store is first read.
        return cls._later(counter)

    @classmethod
    def _elapsed(cls, starts: Sequence[datetime], ends: Sequence[datetime] | datetime) -> Durations:
        # Internal fast path: the time elapsed from each start to its end (or to the one
        # end), each end at or after its start; measured (by _time.elapsed) when the
        # store is first read. The sequences must not change afterwards.
        return cls._later((starts, ends))

    @classmethod
    def _between(cls, pairs: Sequence[datetime]) -> Durations:
        # Internal fast path: as _elapsed, each start followed by its end in one sequence
        # (start, end, start, end, ...), so that no list is built until the store is read.
        return cls._later((pairs, None))

    @classmethod
    def _later(cls, pending: Counter[timedelta] | _Spans) -> Durations:
        result = object.__new__(cls)
        object.__setattr__(result, "_pending", pending)
        return result

    def __repr__(self) -> str:
        return f"Durations(n={self.count}, median={self.median()}, p90={self.percentile('0.9')})"

    def __add__(self, other: Durations) -> Durations:
        if not isinstance(other, Durations):
            msg = f"cannot add Durations and {type(other).__name__} {other!r}"
            raise WrongType(msg)
        if not other.count:
            return self
        if not self.count:
            return other
        _bounded(self.count + other.count)
        counter: Counter[timedelta] = Counter(dict(self.values))
        counter.update(dict(other.values))
        return Durations._trusted(counter)

    @classmethod
    def merge(cls, parts: Iterable[Durations]) -> Durations:
        """All the durations of ``parts`` in one store (k at once); no part gives the empty store.

        Raises:
            WrongType: If a part is not a Durations.
            ValidationError: If the merged store would hold more than 10**18 durations.

        Example:
            >>> Durations.merge([Durations.of([timedelta(hours=1)]), Durations(), Durations.of([timedelta(hours=3)])])
            Durations(n=2, median=2:00:00, p90=2:48:00)
        """
        items = v.argument_items(parts, "Durations.merge parts", Durations)
        full = [p for p in items if p.count]
        if len(full) <= 1:
            return full[0] if full else cls()
        _bounded(sum(p.count for p in full))
        counter: Counter[timedelta] = Counter()
        for part in full:
            counter.update(dict(part.values))
        return Durations._trusted(counter)

    @property
    def count(self) -> int:
        """How many durations are held (a store not yet read is counted without sorting it)."""
        pending = self._pending
        if pending is not None:
            if isinstance(pending, Counter):
                return sum(pending.values())
            starts, ends = pending
            return len(starts) // 2 if ends is None else len(starts)
        return sum(map(_second, self.values))

    def percentile(self, q: Decimal | int | str) -> timedelta | None:
        """The ``q``-quantile (``q`` from 0 to 1) by linear interpolation, or ``None`` if empty.

        The rank is ``(n - 1) * q`` over the sorted durations, interpolated between the
        two nearest (numpy's default ``"linear"`` method), rounded to the microsecond.

        Raises:
            WrongType: If ``q`` is not a Decimal, int, str or float.
            ValidationError: If ``q`` is not a number from 0 to 1, or is written with
                more than 30 decimal places.

        Example:
            >>> Durations.of([timedelta(hours=h) for h in (1, 2, 3, 4)]).percentile("0.5")
            datetime.timedelta(seconds=9000)
        """
        micro = self._exact_quantile(_quantile(q))
        return None if micro is None else timedelta(microseconds=round(micro))

    def _exact_quantile(self, q: Fraction) -> Fraction | None:
        """The ``q``-quantile in microseconds, not rounded, or ``None`` if empty.

        The rank is ``(n - 1) * q``, interpolated between the two nearest durations;
        :meth:`percentile` rounds it to the microsecond, the KPIs' exact quantiles
        (``salesmark.metrics``) keep it as it is.

        Example:
            >>> Durations.of([timedelta(microseconds=1), timedelta(microseconds=2)])._exact_quantile(Fraction(1, 2))
            Fraction(3, 2)
        """
        n = self.count
        if n == 0:
            return None
        rank = (n - 1) * q
        low = int(rank)
        low_us = self._nth(low) // _US
        if rank == low:
            return Fraction(low_us)
        return low_us + (rank - low) * (self._nth(low + 1) // _US - low_us)

    def median(self) -> timedelta | None:
        """The median (the 0.5-quantile), or ``None`` if empty.

        Example:
            >>> print(Durations().median())
            None
        """
        return self.percentile(Decimal("0.5"))

    def mean(self) -> timedelta | None:
        """The mean rounded to the microsecond, or ``None`` if empty.

        Example:
            >>> Durations.of([timedelta(hours=1), timedelta(hours=2)]).mean()
            datetime.timedelta(seconds=5400)
        """
        n = self.count
        if n == 0:
            return None
        total = sum((d // _US) * c for d, c in self.values)
        return timedelta(microseconds=round(Fraction(total, n)))

    def _nth(self, index: int) -> timedelta:
        """The duration at ``index`` (from 0) of the sorted durations, counts expanded.

        ``index`` is below :attr:`count`. Where every duration is held once (the usual
        store of stays measured to the microsecond) it is the pair at that position;
        else the position is found by bisection over the running counts.

        Example:
            >>> Durations.of([timedelta(hours=1), timedelta(hours=1), timedelta(hours=3)])._nth(1)
            datetime.timedelta(seconds=3600)
        """
        values = self.values
        if self.count == len(values):
            return values[index][0]
        return values[bisect_right(list(accumulate(map(_second, values))), index)][0]
