"""The reverse waterfall: from a revenue target back to the leads, the lags and the budget it needs.

:func:`reverse_waterfall` plans backwards through the company's own measured funnel: the
deals a target needs at the average won deal's value, then at each stage of the
progression, from the last to the first, the leads needed to deliver the next one at
the measured stage-to-stage rate, and when they must enter (a deal won in July whose
opportunity takes six weeks needs its opportunity in May or June). The first stage's
leads cost what the company's leads cost per channel, measured from campaign spend,
so the plan names the marketing budget it implies. :meth:`ReverseWaterfall.what_if`
replays the plan with any rate changed.

Exact, with fractional leads: forward through the same rates, the needed first-stage
leads give back the target exactly. Rounded up to whole leads at each stage (``whole``),
forward they give at least the target (the ceiling never loses a lead).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import elapsed, instant, require_aware
from salesmark.campaigns import campaign_cost
from salesmark.errors import ValidationError
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.planning._common import US, check_org, decimal_rate, rounded
from salesmark.planning._history import Cut, longest_stays, median_us

__all__ = ["ChannelBudget", "ReverseWaterfall", "WaterfallStage", "reverse_waterfall"]


@attrs.frozen(kw_only=True)
class WaterfallStage:
    """What one stage of the progression must deliver for the target.

    Attributes:
        stage: The stage (the won stage is the deals).
        needed: The leads that must enter it, exactly (fractional).
        whole: ``needed`` rounded up, each stage from the whole leads of the next.
        rate: The share of the leads entering it that reach a later stage of the
            progression (``None`` for the won stage).
        lag: The median time from entering it to entering the next stage reached
            (``None`` for the won stage).
        window: When they must enter: the target's period moved back by the lags of
            this and every later stage.
    """

    stage: str = attrs.field(validator=v.non_empty_text)
    needed: Fraction = attrs.field(validator=rf.exact(Fraction, minimum=0))
    whole: int = attrs.field(validator=v.whole())
    rate: Fraction | None = attrs.field(
        validator=rf.exact(Fraction, minimum=0, maximum=1, optional=True)
    )
    lag: timedelta | None = attrs.field(validator=rf.duration(optional=True))
    window: Period = attrs.field(validator=v.instance_of(Period))

    def __repr__(self) -> str:
        return (
            f"WaterfallStage({self.stage}: {self.whole} from "
            f"{self.window.start.date().isoformat()} to {self.window.end.date().isoformat()})"
        )


@attrs.frozen(kw_only=True)
class ChannelBudget:
    """The cost of the first stage's leads from one channel, at the measured cost per lead.

    Attributes:
        channel: The channel (``None`` for leads without a known source, which cost nothing).
        share: The channel's share of the leads created in the measured span, exactly.
        leads: The leads it created then.
        cost: What its campaigns cost then (recorded spend, else prorated budget), exactly.
        cost_per_lead: ``cost / leads`` rounded once.
        budget: ``needed x share x cost / leads``: its part of the plan, rounded once.
    """

    channel: str | None = attrs.field(validator=v.optional_text)
    share: Fraction = attrs.field(validator=rf.exact(Fraction, minimum=0, maximum=1))
    leads: int = attrs.field(validator=v.whole())
    cost: Fraction = attrs.field(validator=rf.exact(Fraction, minimum=0))
    cost_per_lead: Money = attrs.field(validator=v.instance_of(Money))
    budget: Money = attrs.field(validator=v.instance_of(Money))


@attrs.frozen(kw_only=True)
class ReverseWaterfall:
    """The plan behind a revenue target, stage by stage, with its lags and budget.

    Attributes:
        target: The revenue target.
        period: The period the target is for.
        as_of: The instant the rates were measured at (stage changes strictly before it).
        deal_value: The average value of the deals won before ``as_of``, exactly.
        stages: The progression from its first stage to the won stage (the deals).
        channels: The first stage's budget per channel.
        budget: The whole budget, rounded once from the exact sum.
        changes: The rate changes of a what-if (points added per stage), empty for the
            measured plan.
    """

    target: Money = attrs.field(validator=v.instance_of(Money))
    period: Period = attrs.field(validator=v.instance_of(Period))
    as_of: datetime = attrs.field(validator=v.aware)
    deal_value: Fraction = attrs.field(validator=rf.exact(Fraction, minimum=0))
    stages: tuple[WaterfallStage, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(WaterfallStage)
    )
    channels: tuple[ChannelBudget, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(ChannelBudget)
    )
    budget: Money = attrs.field(validator=v.instance_of(Money))
    changes: tuple[tuple[str, Fraction], ...] = attrs.field(
        default=(), converter=rf.lenient_tuple, validator=rf.pairs_of(str, Fraction)
    )

    def __repr__(self) -> str:
        shown = ", ".join(f"{s.stage} {s.whole}" for s in self.stages)
        return f"ReverseWaterfall({self.target} in {self.period!r}: {shown}; budget {self.budget})"

    def forward(self, *, whole: bool = False) -> Fraction:
        """The revenue the first stage's leads deliver through the same rates, exactly.

        Example:
            >>> plan = _example()
            >>> plan.forward(), plan.forward(whole=True)
            (Fraction(11000, 1), Fraction(12000, 1))
        """
        first = self.stages[0]
        leads = Fraction(first.whole) if whole else first.needed
        for stage in self.stages[:-1]:
            leads *= stage.rate or 0
        return leads * self.deal_value

    def what_if(self, changes: Mapping[str, Decimal | int | str]) -> ReverseWaterfall:
        """The same plan with the onward rate of some stages raised (or lowered) by points.

        ``{"mql": "0.05"}`` raises MQL→SAL by five points; the rest stays as measured.

        Raises:
            ValidationError: If a stage has no onward rate or a changed rate leaves (0, 1].

        Example:
            >>> plan = _example()
            >>> [s.whole for s in plan.stages], [s.whole for s in plan.what_if({"inquiry": "0.25"}).stages]
            ([120, 12, 6], [35, 12, 6])
        """
        steps = {s.stage: s for s in self.stages[:-1]}
        rates = {name: s.rate or Fraction(0) for name, s in steps.items()}
        added = []
        for stage, points in sorted(v.freeze_mapping(changes).items()):
            if stage not in steps:
                msg = f"ReverseWaterfall.what_if stage must be one of {list(steps)}, got {stage!r}"
                raise ValidationError(msg)
            delta = Fraction(v.to_decimal(points))
            rates[stage] += delta
            added.append((stage, delta))
        lags = {name: s.lag or timedelta(0) for name, s in steps.items()}
        mix = [(c.channel, c.share, c.leads, c.cost) for c in self.channels]
        won = self.stages[-1].stage
        plan = _plan(self.target, self.period, self.as_of, self.deal_value, rates, lags, mix, won)
        return attrs.evolve(plan, changes=tuple(added))

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per stage, for ``pandas.DataFrame``.

        Args:
            exact: Keep exact values (``Decimal``, ``Fraction``, ``timedelta``) rather
                than plain floats.

        Example:
            >>> _example().to_records(exact=True)[0]["stage"]
            'inquiry'
        """
        rows = [
            row(
                stage=s.stage,
                needed=decimal_rate(s.needed),
                whole=s.whole,
                rate=decimal_rate(s.rate),
                lag=s.lag,
                window_start=s.window.start,
                window_end=s.window.end,
            )
            for s in self.stages
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _example() -> ReverseWaterfall:
    """A small plan for the examples: 11,000 EUR at 2,000 a deal, rates 1/10 then 1/2."""
    start = datetime.fromisoformat("2026-07-01T00:00:00+00:00")
    rates = {"inquiry": Fraction(1, 10), "opportunity": Fraction(1, 2)}
    lags = {"inquiry": timedelta(days=30), "opportunity": timedelta(days=14)}
    return _plan(
        Money.of(11_000, "EUR"),
        Period.month(2026, 7),
        start,
        Fraction(2000),
        rates,
        lags,
        [],
        "won",
    )


def reverse_waterfall(
    org: Organisation,
    target: Money,
    period: Period,
    *,
    as_of: datetime,
    lookback: timedelta | None = None,
) -> ReverseWaterfall:
    """The deals, leads per stage, entry windows and budget that ``target`` in ``period`` needs.

    Measured from the stage changes strictly before ``as_of`` (``lookback``: only leads
    created and deals won within that long before it):

    * the deal value: the mean value of the deals won (with a value);
    * per stage of the progression but the last, the rate: of the leads that entered
      it and are no longer sitting in it (a lead still there for no longer than the
      longest finished stay is undecided and left out, as in
      :func:`~salesmark.planning.stage_probabilities`), the share that entered a later
      stage of the progression; and the lag: the median time from its entry to the
      entry of the next progression stage it reached;
    * per channel, the leads created and what its campaigns cost over the same span
      (:func:`~salesmark.campaigns.campaign_cost`), which gives the cost per lead.

    Then backwards: deals = target / deal value; each earlier stage needs the next
    stage's leads over its rate. Whole leads round up at every stage from the whole
    leads of the next. The deals must be won in ``period``; each earlier stage's leads
    must enter in the window moved back by the lags of every later step.

    Raises:
        WrongType: If ``org``, ``target`` or ``period`` is of the wrong type.
        ValidationError: If ``as_of`` is naive, the target is negative or in another
            currency, no deal with a value was won before ``as_of``, or a stage's rate
            is zero or unmeasurable (no lead decided there).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, Money, Organisation
        >>> from salesmark.lifecycle import Lifecycle, StageDefinition, Transition
        >>> mini = Lifecycle(name="mini", initial="lead", progression=("lead", "deal", "won"),
        ...     stages=[StageDefinition(name=n, terminal=n in ("won", "lost")) for n in ("lead", "deal", "won", "lost")],
        ...     transitions=[Transition(source=a, target=b) for a, b in
        ...                  (("lead", "deal"), ("lead", "lost"), ("deal", "won"), ("deal", "lost"))])
        >>> t, day = datetime(2026, 3, 2, tzinfo=timezone.utc), timedelta(days=1)
        >>> new = [Lead.create(id=f"L{i}", created_at=t, lifecycle=mini, value=Money.of(2500, "EUR")) for i in range(4)]
        >>> deals = [new[i].advance("deal", at=t + 10 * day, lifecycle=mini) for i in (0, 1)]
        >>> leads = (deals[0].advance("won", at=t + 20 * day, lifecycle=mini),
        ...          deals[1].advance("lost", at=t + 25 * day, lifecycle=mini),
        ...          *(new[i].advance("lost", at=t + 5 * day, lifecycle=mini) for i in (2, 3)))
        >>> org = Organisation(name="Acme", currency="EUR", lifecycle=mini, leads=leads)
        >>> plan = reverse_waterfall(org, Money.of(10_000, "EUR"), Period.month(2026, 9),
        ...                          as_of=datetime(2026, 6, 1, tzinfo=timezone.utc))
        >>> plan.stages
        (WaterfallStage(lead: 16 from 2026-08-12 to 2026-09-11), WaterfallStage(deal: 8 from 2026-08-22 to 2026-09-21), WaterfallStage(won: 4 from 2026-09-01 to 2026-10-01))
        >>> plan.what_if({"lead": "0.3"}).stages[0].whole
        10
    """
    company = check_org(org, "reverse_waterfall org")
    v.require(target, Money, "reverse_waterfall target")
    v.require(period, Period, "reverse_waterfall period")
    at = require_aware(as_of, "reverse_waterfall as_of")
    if lookback is not None:
        v.require_positive_duration(lookback, "reverse_waterfall lookback")
    if target.currency != company.currency or target.amount < 0:
        msg = (
            f"reverse_waterfall target must be a non-negative amount in {company.currency}, "
            f"got {target!r}"
        )
        raise ValidationError(msg)
    cut = Cut(company, at, lookback)
    if not cut.won_values:
        msg = f"reverse_waterfall needs a deal won with a value before as_of {at.isoformat()}; none was"
        raise ValidationError(msg)
    deal_value = Fraction(sum(cut.won_values, Decimal(0))) / len(cut.won_values)
    rates, lags = _steps(cut)
    won = company.lifecycle.progression[-1]
    return _plan(target, period, at, deal_value, rates, lags, _mix(company, cut), won)


def _steps(cut: Cut) -> tuple[dict[str, Fraction], dict[str, timedelta]]:
    """Per stage of the progression but the last: its onward rate and median lag."""
    path = cut.lifecycle.progression
    place = {stage: i for i, stage in enumerate(path)}
    longest = longest_stays(cut)
    entered = dict.fromkeys(path[:-1], 0)
    onward = dict.fromkeys(path[:-1], 0)
    waits: dict[str, list[int]] = {stage: [] for stage in path[:-1]}
    for lead, changes in cut.histories:
        if cut.since is not None and instant(lead.created_at) < cut.since:
            continue
        last = changes[-1]
        sitting = elapsed(last.at, cut.as_of) // US <= longest.get(last.stage, -1)
        firsts: dict[str, datetime] = {}
        for change in changes:
            if change.stage in place:
                firsts.setdefault(change.stage, change.at)
        for stage, at in firsts.items():
            if stage == path[-1]:
                continue
            later = [firsts[s] for s in path[place[stage] + 1 :] if s in firsts]
            if later:
                entered[stage] += 1
                onward[stage] += 1
                waits[stage].append(elapsed(at, min(later, key=instant)) // US)
            elif not (last.stage == stage and sitting):
                entered[stage] += 1
    rates, lags = {}, {}
    for stage in path[:-1]:
        if not onward[stage]:
            msg = (
                f"reverse_waterfall cannot plan through stage {stage!r}: no lead that entered "
                f"it reached a later stage before as_of {cut.as_of.isoformat()} "
                f"({entered[stage]} decided)"
            )
            raise ValidationError(msg)
        rates[stage] = Fraction(onward[stage], entered[stage])
        lags[stage] = median_us(sorted(waits[stage])) * US
    return rates, lags


Mix = list[tuple[str | None, Fraction, int, Fraction]]


def _mix(org: Organisation, cut: Cut) -> Mix:
    """Per channel: its share of the leads created in the measured span, the leads, the cost."""
    created = [lead for lead, _ in cut.histories]
    if cut.since is not None:
        since = cut.since
        created = [lead for lead in created if instant(lead.created_at) >= since]
    if not created:
        return []
    start = min((lead.created_at for lead in created), key=instant)
    span = Period.between(start, cut.as_of)
    counts: dict[str | None, int] = {}
    for lead in created:
        counts[lead.channel] = counts.get(lead.channel, 0) + 1
    costs: dict[str | None, Fraction] = {}
    for campaign in org.campaigns:
        if campaign.period.overlaps(span):
            costs[campaign.channel] = costs.get(campaign.channel, Fraction(0)) + campaign_cost(
                campaign, span
            )
    ordered = sorted(counts, key=lambda c: (c is None, c or ""))
    return [
        (c, Fraction(counts[c], len(created)), counts[c], costs.get(c, Fraction(0)))
        for c in ordered
    ]


def _plan(  # noqa: PLR0917 (private; every caller names the plan's parts in order)
    target: Money,
    period: Period,
    as_of: datetime,
    deal_value: Fraction,
    rates: dict[str, Fraction],
    lags: dict[str, timedelta],
    mix: Mix,
    won_stage: str,
) -> ReverseWaterfall:
    """The plan from the measured (or changed) rates."""
    for stage, rate in rates.items():
        if not 0 < rate <= 1:
            msg = f"reverse_waterfall rate of stage {stage!r} must be above 0 and at most 1, got {rate}"
            raise ValidationError(msg)
    if deal_value <= 0:
        msg = f"reverse_waterfall deal value must be positive, got {deal_value}"
        raise ValidationError(msg)
    deals = Fraction(target.amount) / deal_value
    needed, whole = deals, math.ceil(deals)
    start, end = period.start, period.end
    won = WaterfallStage(
        stage=won_stage, needed=needed, whole=whole, rate=None, lag=None, window=period
    )
    stages = [won]
    for stage in reversed(list(rates)):
        rate, lag = rates[stage], lags[stage]
        needed, whole = needed / rate, math.ceil(whole / rate)
        start, end = start - lag, end - lag
        window = Period.between(start, end)
        stages.append(
            WaterfallStage(
                stage=stage, needed=needed, whole=whole, rate=rate, lag=lag, window=window
            )
        )
    stages.reverse()
    first = stages[0].needed
    currency = target.currency
    channels = [
        ChannelBudget(
            channel=channel,
            share=share,
            leads=leads,
            cost=cost,
            cost_per_lead=rounded(cost / leads, currency),
            budget=rounded(first * share * cost / leads, currency),
        )
        for channel, share, leads, cost in mix
    ]
    total = sum((first * share * cost / leads for _, share, leads, cost in mix), Fraction(0))
    return ReverseWaterfall(
        target=target,
        period=period,
        as_of=as_of,
        deal_value=deal_value,
        stages=stages,
        channels=channels,
        budget=rounded(total, currency),
    )
