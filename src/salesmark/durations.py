"""Durations: an exact, mergeable multiset of elapsed times for medians and percentiles.

Time in stage, sales cycles and speed to lead are all collections of ``timedelta``
values. A :class:`Durations` keeps every one of them (equal durations share one entry),
so the percentile of merged parts equals the percentile of the whole, exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import attrs

from salesmark.errors import ValidationError

__all__ = ["Durations"]

_US = timedelta(microseconds=1)


def _pairs(value: Iterable[tuple[timedelta, int]]) -> tuple[tuple[timedelta, int], ...]:
    merged: Counter[timedelta] = Counter()
    for duration, count in value:
        if not isinstance(duration, timedelta) or duration < timedelta(0):
            msg = f"Durations.values must hold non-negative timedeltas, got {duration!r}"
            raise ValidationError(msg)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            msg = f"Durations.values counts must be whole numbers >= 1, got {count!r} for {duration!r}"
            raise ValidationError(msg)
        merged[duration] += count
    return tuple(sorted(merged.items()))


@attrs.frozen(kw_only=True)
class Durations:
    """An exact multiset of durations: a mergeable store for medians and percentiles.

    Every duration is kept (as a sorted tuple of ``(duration, count)`` pairs, so equal
    durations share one entry); merging two stores adds the counts, so a percentile of
    merged parts equals the percentile of the whole, exactly.

    Attributes:
        values: ``(duration, how many times)`` pairs, sorted by duration.

    Example:
        >>> d = Durations.of([timedelta(hours=1), timedelta(hours=3)])
        >>> d + Durations.of([timedelta(hours=2)])
        Durations(n=3, median=2:00:00, p90=2:48:00)
    """

    values: tuple[tuple[timedelta, int], ...] = attrs.field(default=(), converter=_pairs)

    @classmethod
    def of(cls, durations: Iterable[timedelta]) -> Durations:
        """Collect ``durations`` (non-negative timedeltas) into a store.

        Example:
            >>> Durations.of([timedelta(days=1)] * 3).count
            3
        """
        return cls(values=tuple(Counter(durations).items()))

    @classmethod
    def _trusted(cls, counter: Counter[timedelta]) -> Durations:
        # Internal fast path: the counter holds non-negative timedeltas and positive counts.
        result = cls()
        object.__setattr__(result, "values", tuple(sorted(counter.items())))
        return result

    def __repr__(self) -> str:
        return f"Durations(n={self.count}, median={self.median()}, p90={self.percentile('0.9')})"

    def __add__(self, other: Durations) -> Durations:
        if not isinstance(other, Durations):
            return NotImplemented
        if not other.values:
            return self
        if not self.values:
            return other
        counter: Counter[timedelta] = Counter(dict(self.values))
        counter.update(dict(other.values))
        return Durations._trusted(counter)

    @property
    def count(self) -> int:
        """How many durations are held."""
        return sum(c for _, c in self.values)

    def percentile(self, q: Decimal | int | str) -> timedelta | None:
        """The ``q``-quantile (``q`` from 0 to 1) by linear interpolation, or ``None`` if empty.

        The rank is ``(n - 1) * q`` over the sorted durations, interpolated between the
        two nearest (numpy's default ``"linear"`` method), rounded to the microsecond.

        Raises:
            ValidationError: If ``q`` is not a number from 0 to 1.

        Example:
            >>> Durations.of([timedelta(hours=h) for h in (1, 2, 3, 4)]).percentile("0.5")
            datetime.timedelta(seconds=9000)
        """
        try:
            fraction = Fraction(Decimal(q)) if not isinstance(q, bool) else None
        except (ArithmeticError, TypeError, ValueError):
            fraction = None
        if fraction is None or not 0 <= fraction <= 1:
            msg = f"Durations.percentile q must be a number from 0 to 1, got {q!r}"
            raise ValidationError(msg)
        n = self.count
        if n == 0:
            return None
        rank = (n - 1) * fraction
        low = int(rank)
        low_value = self._nth(low)
        if rank == low:
            return low_value
        high_value = self._nth(low + 1)
        micro = Fraction(low_value // _US) + (rank - low) * ((high_value - low_value) // _US)
        return timedelta(microseconds=round(micro))

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
        seen = 0
        for duration, count in self.values:
            seen += count
            if index < seen:
                return duration
        raise AssertionError(index)  # pragma: no cover - guarded by count
