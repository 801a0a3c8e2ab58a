"""The Kaplan-Meier median of stays, some of them still open (private).

A stay still open at the evaluation instant is *censored*: the lead has stayed at least
that long. Dropping open stays understates time in stage (eight of ten MQLs still
waiting after 85 days do not make a median of one day); the Kaplan-Meier estimator
counts them as at risk until their censoring time. Exact: the survival function is a
product of fractions.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from salesmark.durations import Durations

__all__ = ["survival_median"]

_HALF = Fraction(1, 2)


def survival_median(completed: Durations, censored: Durations) -> timedelta | None:
    """The smallest stay length at which the Kaplan-Meier survival drops to one half.

    At each distinct length, completed stays end before censored ones of the same
    length leave the risk set (the usual convention). ``None`` when there are no stays,
    or when so many stays are still open that the survival never reaches one half.

    Example:
        >>> from datetime import timedelta as td
        >>> done = Durations.of([td(days=1), td(days=2)])
        >>> survival_median(done, Durations()), survival_median(done, Durations.of([td(days=85)] * 8))
        (datetime.timedelta(days=1), None)
    """
    events = dict(completed.values)
    lost = dict(censored.values)
    at_risk = completed.count + censored.count
    survival = Fraction(1)
    for length in sorted(events.keys() | lost.keys()):
        ended = events.get(length, 0)
        if ended:
            survival *= Fraction(at_risk - ended, at_risk)
            if survival <= _HALF:
                return length
        at_risk -= ended + lost.get(length, 0)
    return None
