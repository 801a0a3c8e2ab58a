"""Campaigns: what marketing runs, on which channel, with which budget and recorded spend.

A campaign keeps one identity across months: its budget is the plan, and its
:class:`Spend` entries are what was actually spent, dated (per day or per any period),
as CRMs record campaign spend items. :func:`campaign_cost` gives the cost of a period
exactly: recorded spend where there is any, else the budget spread over the run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import attrs

from salesmark import _validators as v
from salesmark._time import elapsed, instant
from salesmark.errors import CurrencyMismatch, ValidationError, WrongType
from salesmark.money import Money, minor_unit
from salesmark.period import Period

__all__ = ["Campaign", "Spend", "campaign_cost", "prorated_budget"]


_US = timedelta(microseconds=1)


@attrs.frozen(kw_only=True)
class Spend:
    """Money a campaign actually spent over a span of time (a day, a week, a month).

    The amount is spread evenly over the span's real time when a period cuts it.

    Attributes:
        period: The span the amount was spent over.
        amount: What was spent (not negative).
        note: What it was, e.g. an invoice number.

    Example:
        >>> Spend(period=Period.month(2026, 3), amount=Money.of("1200.00", "EUR")).amount
        Money('1200.00 EUR')
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    amount: Money = attrs.field(validator=v.instance_of(Money))
    note: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        if self.amount.amount < 0:
            msg = f"Spend.amount must not be negative, got {self.amount!r}"
            raise ValidationError(msg)


def _spend(value: Iterable[Spend]) -> tuple[Spend, ...]:
    items = v.sequence(value, "Campaign.spend", "Spend entries")
    for index, item in enumerate(items):
        if not isinstance(item, Spend):
            msg = f"Campaign.spend[{index}] must be a Spend, got {v.shown(item)}"
            raise WrongType(msg, path=v.pointer("spend", index), value=item, expected="a Spend")
    return tuple(sorted(items, key=lambda s: (s.period.duration, s.amount.amount)))


@attrs.frozen(kw_only=True)
class Campaign:
    """A marketing campaign.

    Attributes:
        id: Unique identifier.
        name: Display name.
        channel: The channel it runs on, e.g. ``"paid_search"``.
        period: When it runs.
        budget: What it may spend (not negative): the plan.
        owner_id: The member responsible, or ``None`` where a CRM export names nobody.
        spend: What it actually spent, dated (see :class:`Spend`), in the budget's
            currency; empty when nothing was recorded.
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
    period: Period = attrs.field(validator=v.instance_of(Period))
    budget: Money = attrs.field(validator=v.instance_of(Money))
    owner_id: str | None = attrs.field(default=None, validator=v.optional_text)
    spend: tuple[Spend, ...] = attrs.field(default=(), converter=_spend)
    goal: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        if self.budget.amount < 0:
            msg = f"Campaign.budget of {self.id!r} must not be negative, got {self.budget!r}"
            raise ValidationError(msg)
        for index, item in enumerate(self.spend):
            if item.amount.currency != self.budget.currency:
                msg = (
                    f"Campaign.spend[{index}] of {self.id!r} is {item.amount!r}, not in the "
                    f"budget's currency {self.budget.currency}"
                )
                raise CurrencyMismatch(msg)


def _share(span: Period, period: Period) -> Fraction:
    """The part of ``span`` (by real time) that falls in ``period``."""
    start = max(span.start, period.start, key=instant)
    end = min(span.end, period.end, key=instant)
    if instant(end) <= instant(start):
        return Fraction(0)
    return Fraction(elapsed(start, end) // _US, span.duration // _US)


def campaign_cost(campaign: Campaign, period: Period) -> Fraction:
    """What ``campaign`` cost in ``period``, exactly, in its budget's currency.

    Recorded spend where the campaign has any: each :class:`Spend` entry counts by the
    share of its span that falls in the period (by real time). Without recorded spend,
    the budget spread evenly over the campaign's run time (:func:`prorated_budget`,
    unrounded). The result is exact (a ``Fraction``); round it once, for display.

    Raises:
        WrongType: If ``campaign`` is not a Campaign or ``period`` not a Period.

    Example:
        >>> q1 = Period.quarter(2026, 1)
        >>> planned = Campaign(id="c", name="Q1", channel="email", period=q1,
        ...                    budget=Money.of("9000", "EUR"))
        >>> campaign_cost(planned, Period.month(2026, 1))
        Fraction(3100, 1)
        >>> spent = attrs.evolve(planned, spend=[Spend(period=Period.month(2026, 1), amount=Money.of("1000", "EUR"))])
        >>> campaign_cost(spent, Period.month(2026, 1)), campaign_cost(spent, Period.month(2026, 2))
        (Fraction(1000, 1), Fraction(0, 1))
    """
    v.require(campaign, Campaign, "campaign_cost campaign")
    v.require(period, Period, "campaign_cost period")
    if campaign.spend:
        return sum(
            (Fraction(s.amount.amount) * _share(s.period, period) for s in campaign.spend),
            Fraction(0),
        )
    return Fraction(campaign.budget.amount) * _share(campaign.period, period)


def prorated_budget(campaign: Campaign, period: Period) -> Money:
    """The part of ``campaign``'s budget that falls in ``period``.

    The budget is spread evenly over the campaign's run time (by real time, to the
    microsecond): ``budget * overlap / campaign duration``, computed exactly and rounded
    once, half-even, to the currency's minor unit. This is the plan; what was spent is
    :func:`campaign_cost`.

    Example:
        >>> c = Campaign(id="c", name="H1", channel="email", owner_id="m",
        ...              period=Period.between(Period.month(2026, 1).start, Period.month(2026, 3).start),
        ...              budget=Money.of("5900", "EUR"))
        >>> prorated_budget(c, Period.month(2026, 1))
        Money('3100.00 EUR')
    """
    v.require(campaign, Campaign, "prorated_budget campaign")
    v.require(period, Period, "prorated_budget period")
    exact = Fraction(campaign.budget.amount) * _share(campaign.period, period)
    return _rounded(exact, campaign.budget.currency)


def _rounded(amount: Fraction, currency: str) -> Money:
    """``amount`` rounded half-even to ``currency``'s minor unit, once."""
    places = minor_unit(currency)
    units = round(amount * 10**places)  # Fraction rounds half to even
    return Money(Decimal(units).scaleb(-places), currency)
