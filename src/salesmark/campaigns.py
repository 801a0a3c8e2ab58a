"""Campaigns: what marketing runs, on which channel, with which budget."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs

from salesmark import _validators as v
from salesmark._time import elapsed
from salesmark.errors import ValidationError
from salesmark.money import Money
from salesmark.period import Period

__all__ = ["Campaign", "prorated_budget"]


@attrs.frozen(kw_only=True)
class Campaign:
    """A marketing campaign.

    Attributes:
        id: Unique identifier.
        name: Display name.
        channel: The channel it runs on, e.g. ``"paid_search"``.
        owner_id: The member responsible.
        period: When it runs.
        budget: What it may spend (not negative).
        goal: What it is meant to achieve, in words.

    Example:
        >>> c = Campaign(
        ...     id="c1", name="Spring search", channel="paid_search", owner_id="m1",
        ...     period=Period.quarter(2026, 2), budget=Money.of("12000", "EUR"),
        ...     goal="150 MQLs from mid-size retailers",
        ... )
        >>> str(c.budget)
        '12,000.00 EUR'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    channel: str = attrs.field(validator=v.non_empty_text)
    owner_id: str = attrs.field(validator=v.non_empty_text)
    period: Period
    budget: Money
    goal: str = ""

    def __attrs_post_init__(self) -> None:
        if self.budget.amount < 0:
            msg = f"Campaign.budget of {self.id!r} must not be negative, got {self.budget!r}"
            raise ValidationError(msg)


def prorated_budget(campaign: Campaign, period: Period) -> Money:
    """The part of ``campaign``'s budget that falls in ``period``.

    The budget is spread evenly over the campaign's run time (to the microsecond):
    ``budget * overlap / campaign duration``, rounded half-even to the currency's
    minor unit.

    Example:
        >>> c = Campaign(id="c", name="H1", channel="email", owner_id="m",
        ...              period=Period.between(Period.month(2026, 1).start, Period.month(2026, 3).start),
        ...              budget=Money.of("5900", "EUR"))
        >>> prorated_budget(c, Period.month(2026, 1))
        Money('3100.00 EUR')
    """
    start = max(campaign.period.start, period.start)
    end = min(campaign.period.end, period.end)
    if end <= start:
        return Money.zero(campaign.budget.currency)
    us = timedelta(microseconds=1)
    share = Decimal(elapsed(start, end) // us) / Decimal(campaign.period.duration // us)
    return (campaign.budget * share).rounded()
