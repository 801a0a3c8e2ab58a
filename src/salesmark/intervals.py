"""Confidence intervals for proportions: the Wilson score interval.

The Wilson interval keeps inside [0, 1] and behaves well for small counts and for
proportions near 0 or 1, where the normal ("Wald") interval does not (Agresti and
Coull, 1998). salesmark uses it wherever a share of a few dozen deals is compared with
another: content lift, persona lift against lost deals.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Final

from salesmark import _validators as v
from salesmark.errors import ValidationError

__all__ = ["Z95", "wilson", "wilson_interval"]

_PLACES = Decimal("0.0001")
Z95: Final = Decimal("1.96")
"""The normal quantile of a two-sided 95% interval."""


def wilson(k: int, n: int, z: Decimal = Z95) -> tuple[Decimal, Decimal]:
    """The Wilson score interval of ``k / n`` unrounded (28 digits), for callers that round once.

    Arguments are not checked: ``0 <= k <= n`` and ``n >= 1`` are the caller's to ensure
    (:func:`wilson_interval` checks them).

    Example:
        >>> low, high = wilson(8, 10)
        >>> round(low, 6), round(high, 6)
        (Decimal('0.490157'), Decimal('0.943319'))
    """
    with decimal.localcontext() as ctx:
        ctx.prec = 28
        p, z2 = Decimal(k) / n, z * z
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = z * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt() / denominator
        return max(Decimal(0), centre - half), min(Decimal(1), centre + half)


def wilson_interval(successes: int, trials: int, z: Decimal = Z95) -> tuple[Decimal, Decimal]:
    """The Wilson score interval of the proportion ``successes / trials``, to 4 places.

    Raises:
        ValidationError: If ``trials`` is below 1, ``successes`` negative or above
            ``trials``, or ``z`` not a Decimal.

    Example:
        >>> wilson_interval(8, 10)
        (Decimal('0.4902'), Decimal('0.9433'))
    """
    k = v.require_whole(successes, "wilson_interval successes")
    n = v.require_whole(trials, "wilson_interval trials", minimum=1)
    v.require(z, Decimal, "wilson_interval z")
    if k > n:
        msg = f"wilson_interval successes must be at most trials ({n}), got {k}"
        raise ValidationError(msg)
    low, high = wilson(k, n, z)
    return low.quantize(_PLACES), high.quantize(_PLACES)
