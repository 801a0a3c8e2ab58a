"""Engagement decay: older touches count for less.

A :class:`Decay` turns the age of a touchpoint at scoring time into a weight between
0 and 1 that multiplies the points of every ``TOUCHES`` rule the touch feeds.
``RECENCY`` and ``INACTIVITY`` rules already look at time and are not decayed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import timedelta

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError

__all__ = ["Decay", "DecayKind"]


class DecayKind(str, enum.Enum):
    """How engagement decays.

    ``NONE``: every touch keeps full weight.
    ``HALF_LIFE``: a touch's weight halves every ``half_life`` (``0.5 ** (age / half_life)``).
    ``PERIODIC``: a touch loses the fraction ``cut`` of its weight for each whole
    ``period`` elapsed (``(1 - cut) ** floor(age / period)``), like "cut 25% a month".
    ``WINDOW``: only touches at most ``window`` old count (weight 1), older ones weigh 0.

    Example:
        >>> from datetime import timedelta
        >>> Decay.by_half_life(timedelta(days=30)).kind is DecayKind.HALF_LIFE
        True
    """

    NONE = "none"
    HALF_LIFE = "half_life"
    PERIODIC = "periodic"
    WINDOW = "window"


@attrs.frozen(kw_only=True)
class Decay:
    """How much an engagement touch still counts as it ages.

    Build it with :meth:`none`, :meth:`by_half_life`, :meth:`by_period` or :meth:`within`.

    Attributes:
        kind: The decay curve.
        half_life: For ``HALF_LIFE``: the age at which a touch counts half.
        period: For ``PERIODIC``: the length of one period.
        cut: For ``PERIODIC``: the fraction of weight lost per whole period, in (0, 1].
        window: For ``WINDOW``: the largest age that still counts.

    Raises:
        ValidationError: If the fields the kind needs are missing or out of range, or
            fields it does not use are set.

    Example:
        >>> from datetime import timedelta
        >>> Decay.by_half_life(timedelta(days=30)).weight(timedelta(days=60))
        0.25
        >>> Decay.by_period(timedelta(days=30), cut=0.5).weight(timedelta(days=45))
        0.5
        >>> Decay.within(timedelta(days=90)).weight(timedelta(days=91))
        0.0
    """

    kind: DecayKind = attrs.field(default=DecayKind.NONE, validator=v.member_of(DecayKind))
    half_life: timedelta | None = None
    period: timedelta | None = None
    cut: float | None = None
    window: timedelta | None = None

    def __attrs_post_init__(self) -> None:
        kind = self.kind
        uses = {
            DecayKind.NONE: set(),
            DecayKind.HALF_LIFE: {"half_life"},
            DecayKind.PERIODIC: {"period", "cut"},
            DecayKind.WINDOW: {"window"},
        }[kind]
        for field in ("half_life", "period", "cut", "window"):
            if field not in uses and getattr(self, field) is not None:
                msg = f"Decay of kind {kind.value!r} does not use {field!r}, got {getattr(self, field)!r}"
                raise ValidationError(msg)
            if field in uses and field != "cut":
                v.require_positive_duration(getattr(self, field), f"Decay.{field}")
        if kind is DecayKind.PERIODIC:
            cut = self.cut
            if not (v.is_finite(cut) and 0 < cut <= 1):  # type: ignore[operator]
                msg = f"Decay.cut must be a fraction in (0, 1], e.g. 0.25 for 25%, got {cut!r}"
                raise ValidationError(msg)

    @classmethod
    def none(cls) -> Decay:
        """No decay: a touch counts fully forever.

        Example:
            >>> Decay.none().kind.value
            'none'
        """
        return cls()

    @classmethod
    def by_half_life(cls, half_life: timedelta) -> Decay:
        """A touch's weight halves every ``half_life``.

        Example:
            >>> from datetime import timedelta
            >>> Decay.by_half_life(timedelta(days=14)).weight(timedelta(days=14))
            0.5
        """
        return cls(kind=DecayKind.HALF_LIFE, half_life=half_life)

    @classmethod
    def by_period(cls, period: timedelta, cut: float) -> Decay:
        """A touch loses ``cut`` (a fraction) of its weight per whole ``period`` elapsed.

        Example:
            >>> from datetime import timedelta
            >>> Decay.by_period(timedelta(days=30), cut=0.25).weight(timedelta(days=61))
            0.5625
        """
        return cls(kind=DecayKind.PERIODIC, period=period, cut=cut)

    @classmethod
    def within(cls, window: timedelta) -> Decay:
        """Only touches at most ``window`` old count.

        Example:
            >>> from datetime import timedelta
            >>> Decay.within(timedelta(days=30)).weight(timedelta(days=30))
            1.0
        """
        return cls(kind=DecayKind.WINDOW, window=window)

    def weight(self, age: timedelta) -> float:
        """The weight, between 0 and 1, of a touch ``age`` old (a negative age counts as 0).

        Raises:
            ValidationError: If ``age`` is not a timedelta.

        Example:
            >>> from datetime import timedelta
            >>> decay = Decay.by_half_life(timedelta(days=30))
            >>> decay.weight(timedelta(0)), decay.weight(timedelta(days=30)), decay.weight(timedelta(days=90))
            (1.0, 0.5, 0.125)
        """
        v.require(age, timedelta, "Decay.weight age")
        return self.weigher()(age.total_seconds())

    def weigher(self) -> Callable[[float], float]:
        """A fast function from a touch's age in seconds to its weight.

        Example:
            >>> from datetime import timedelta
            >>> Decay.by_half_life(timedelta(seconds=10)).weigher()(20.0)
            0.25
        """
        kind = self.kind
        if kind is DecayKind.HALF_LIFE:
            assert self.half_life is not None
            half = self.half_life.total_seconds()

            def half_life(age: float) -> float:
                return 1.0 if age <= 0.0 else 0.5 ** (age / half)

            return half_life
        if kind is DecayKind.PERIODIC:
            assert self.period is not None
            assert self.cut is not None
            period = self.period.total_seconds()
            keep = 1.0 - self.cut

            def periodic(age: float) -> float:
                return 1.0 if age <= 0.0 else keep ** (age // period)

            return periodic
        if kind is DecayKind.WINDOW:
            assert self.window is not None
            limit = self.window.total_seconds()

            def windowed(age: float) -> float:
                return 1.0 if age <= limit else 0.0

            return windowed
        return _full


def _full(_age: float) -> float:
    return 1.0
