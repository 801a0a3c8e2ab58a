"""Closed-loop reporting: what each channel and campaign brought, from lead to revenue.

One table both teams read: per source channel (or per campaign), the leads created in
the period followed down the funnel (leads, MQLs, ..., won), the revenue they won, the
cost of the period, the cost per won deal and, on request, the revenue a multi-touch
model of :mod:`salesmark.attribution` credits to the channel or campaign.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark import attribution as _attribution
from salesmark._records import records, row
from salesmark.campaigns import campaign_cost
from salesmark.errors import UnknownReference, ValidationError
from salesmark.funnel import funnel_by
from salesmark.leads import Lead, lead_key
from salesmark.money import Money, minor_unit
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.teams import Team

__all__ = ["ClosedLoopReport", "ClosedLoopRow", "RowKind", "closed_loop_report"]

GroupBy = Literal["channel", "campaign_id"]


class RowKind(str, enum.Enum):
    """What a closed-loop row stands for.

    ``SOURCE``: a lead-source channel or campaign, followed down the funnel.
    ``SALES_TOUCH``: a channel or campaign the attribution model credited that only
    sales' touchpoints carry (a phone call, a sales email): it sourced no lead.
    ``MARKETING_TOUCH``: a channel or campaign credited through marketing's touchpoints
    that sourced no lead of the period.
    ``UNATTRIBUTED``: won revenue the model could not credit to any touch (a won lead
    without a touchpoint).
    """

    SOURCE = "source"
    SALES_TOUCH = "sales_touch"
    MARKETING_TOUCH = "marketing_touch"
    UNATTRIBUTED = "unattributed"


@attrs.frozen(kw_only=True)
class ClosedLoopRow:
    """One channel's or campaign's line of the closed-loop report.

    Attributes:
        group: The channel name or campaign id; ``None`` for leads without one.
        stages: The progression stages counted.
        counts: Per stage, the leads created in the period that reached it or beyond
            (the first is the number of leads).
        revenue: The value of those leads that were won (whenever they were won).
        cost: Campaign budgets prorated to the period (see
            :func:`~salesmark.campaigns.prorated_budget`); zero when no campaign of
            the group runs in the period.
        cost_per_won: ``cost / won deals``, or ``None`` when it cannot be computed:
            nothing was won, or no campaign of the group runs in the period (no cost
            data, which is not a cost of zero).
        attributed_revenue: Revenue credited by the attribution model, or ``None`` when
            no model ran.
        kind: What the row stands for (a lead source, a touch-only channel, or the
            revenue left unattributed; see :class:`RowKind`).
    """

    group: str | None = attrs.field(validator=v.optional_instance_of(str))
    stages: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))
    counts: tuple[int, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.counts)
    revenue: Money = attrs.field(validator=v.instance_of(Money))
    cost: Money = attrs.field(validator=v.instance_of(Money))
    cost_per_won: Money | None = attrs.field(validator=v.optional_instance_of(Money))
    attributed_revenue: Money | None = attrs.field(
        default=None, validator=v.optional_instance_of(Money)
    )
    kind: RowKind = attrs.field(default=RowKind.SOURCE, validator=v.member_of(RowKind))

    def __attrs_post_init__(self) -> None:
        if len(self.counts) != len(self.stages):
            msg = (
                f"ClosedLoopRow.counts must hold one count per stage ({len(self.stages)}), "
                f"got {len(self.counts)}"
            )
            raise ValidationError(msg, path="/counts", value=self.counts)

    def __repr__(self) -> str:
        if self.kind is not RowKind.SOURCE:
            return f"ClosedLoopRow({self.kind.value} {self.group}: attributed {self.attributed_revenue})"
        funnel = " > ".join(str(c) for c in self.counts)
        return f"ClosedLoopRow({self.group}: {funnel}; revenue {self.revenue}, cost {self.cost})"

    @property
    def leads(self) -> int:
        """The leads created in the period."""
        return self.counts[0] if self.counts else 0

    @property
    def won(self) -> int:
        """Of them, those won."""
        return self.counts[-1] if self.counts else 0

    def count(self, stage: str) -> int:
        """The leads that reached ``stage`` or beyond.

        Raises:
            UnknownReference: If ``stage`` is not one of the stages.
        """
        name = getattr(stage, "value", stage)
        if name not in self.stages:
            msg = f"ClosedLoopRow has no stage {stage!r}; stages are {self.stages!r}"
            raise UnknownReference(msg)
        return self.counts[self.stages.index(name)]


@attrs.frozen(kw_only=True)
class ClosedLoopReport:
    """The closed-loop table for a period.

    Attributes:
        period: The period (leads created in it; costs falling in it).
        by: ``"channel"`` or ``"campaign_id"``.
        rows: One row per lead-source group, by revenue then name; with an attribution
            model, then the touch-only groups it credited and the unattributed revenue,
            so that ``attributed_revenue`` over all rows sums exactly to the revenue of
            the source rows.
        attribution_model: The attribution model that filled ``attributed_revenue``, or
            ``None`` when no model was asked for.
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    by: str = attrs.field(validator=v.non_empty_text)
    rows: tuple[ClosedLoopRow, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(ClosedLoopRow)
    )
    attribution_model: str | None = attrs.field(default=None, validator=v.optional_text)

    def __repr__(self) -> str:
        return (
            f"ClosedLoopReport(by={self.by}, {len(self.rows)} rows, model={self.attribution_model})"
        )

    def __getitem__(self, group: str | None) -> ClosedLoopRow:
        for line in self.rows:
            if line.group == group and line.kind is not RowKind.UNATTRIBUTED:
                return line
        msg = f"ClosedLoopReport by {self.by} has no row {group!r}"
        raise UnknownReference(msg)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain dict per row, for ``pandas.DataFrame``; money as Decimal amounts."""
        found = []
        for line in self.rows:
            columns: dict[str, object] = {
                self.by: line.group,
                "kind": line.kind,
                "leads": line.leads,
            }
            columns.update(zip(line.stages[1:], line.counts[1:], strict=True))
            columns.update(revenue=line.revenue, cost=line.cost, cost_per_won=line.cost_per_won)
            if self.attribution_model is not None:
                columns["attributed_revenue"] = line.attributed_revenue
            found.append(row(**columns))
        return records(found, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _attribute(
    leads: Iterable[Lead], by: GroupBy, model: str | Callable[..., Any], lifecycle: Any
) -> tuple[dict[str, Money], str]:
    """Run an attribution model; ``(credited, model label)``."""
    fn = _attribution.MODELS[model] if isinstance(model, str) else model
    journeys = _attribution.journeys_from_leads(leads, key=by, unset=None, lifecycle=lifecycle)
    result = fn(journeys)
    credited = {str(k): m for k, m in result.value_credits.items() if not m.is_zero()}
    return credited, str(result.label)


def _touch_kinds(leads: Iterable[Lead], by: GroupBy) -> dict[str, RowKind]:
    """Per touch channel (or campaign): sales' if only sales' touchpoints carry it."""
    teams: dict[str, set[Team]] = {}
    for lead in leads:
        for touch in lead.touchpoints:
            name = touch.channel if by == "channel" else touch.campaign_id
            if name is not None:
                teams.setdefault(name, set()).add(touch.team)
    return {
        name: RowKind.SALES_TOUCH if found == {Team.SALES} else RowKind.MARKETING_TOUCH
        for name, found in teams.items()
    }


def _check_model(model: object) -> None:
    if isinstance(model, str):
        if model not in _attribution.MODELS:
            names = ", ".join(_attribution.MODELS)
            msg = (
                f"closed_loop_report attribution must be one of {names} or a function of "
                f"journeys, got {model!r}"
            )
            raise ValidationError(msg)
    elif not callable(model):
        msg = f"closed_loop_report attribution must be a model name or a function of journeys, got {model!r}"
        raise ValidationError(msg)


def _channel_key(org: Organisation) -> Callable[[Lead], str | None]:
    """A lead's channel: its source's, else the channel of the campaign its source names."""
    by_campaign = {c.id: c.channel for c in org.campaigns}

    def channel(lead: Lead) -> str | None:
        source = lead.source
        if source is None:
            return None
        if source.channel is None and source.campaign_id is not None:
            return by_campaign.get(source.campaign_id)
        return source.channel

    return channel


def closed_loop_report(
    org: Organisation,
    period: Period,
    *,
    by: GroupBy = "channel",
    attribution: str | Callable[..., Any] | None = None,
) -> ClosedLoopReport:
    """Build the closed-loop report of ``period``, per source channel or per campaign.

    Leads are grouped by their lead source (``source.channel`` or ``source.campaign_id``)
    and followed as a cohort: the leads created in the period, counted at every stage
    they reached. A lead whose source names no channel but a known campaign counts in
    that campaign's channel, where the campaign's cost is. Cost is each campaign's
    budget spread evenly over its run time and prorated to the period; a channel's cost
    is the sum over its campaigns. Groups that had cost but no lead are listed too
    (spend that brought nothing); groups with no campaign in the period (such as leads
    without a source) have no cost data, so their cost per won deal is ``None``.

    Args:
        org: The organisation.
        period: The period.
        by: ``"channel"`` (default) or ``"campaign_id"``.
        attribution: A model of :mod:`salesmark.attribution` by name (a key of
            :data:`salesmark.attribution.MODELS`: ``"linear"``, ``"markov"``, ...) or as
            a function of journeys; adds the revenue it credits.

    Raises:
        ValidationError: If ``by`` is neither ``"channel"`` nor ``"campaign_id"``, or
            ``attribution`` is neither a model name nor a function.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import Campaign, Lead, LeadSource, Member, Organisation, Team
        >>> q1 = Period.quarter(2026, 1)
        >>> t = q1.start
        >>> org = Organisation(name="A", currency="EUR",
        ...     members=(Member(id="m", name="Mo", team=Team.MARKETING),),
        ...     campaigns=(Campaign(id="c1", name="C1", channel="email", owner_id="m",
        ...                         period=q1, budget=Money.of(900, "EUR")),),
        ...     leads=(Lead.create(id="L1", created_at=t, source=LeadSource(channel="email", campaign_id="c1")),))
        >>> report = closed_loop_report(org, q1)
        >>> report["email"]
        ClosedLoopRow(email: 1 > 0 > 0 > 0 > 0 > 0; revenue 0.00 EUR, cost 900.00 EUR)
        >>> print(report["email"].cost_per_won)
        None
        >>> closed_loop_report(org, q1, attribution="linaer")
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: closed_loop_report attribution must be one of first_touch, full_path, inverse_j, j_shaped, last_non_direct, last_touch, linear, markov, position_based, shapley, time_decay, w_shaped or a function of journeys, got 'linaer'
    """
    v.require(org, Organisation, "closed_loop_report org")
    v.require(period, Period, "closed_loop_report period")
    if by not in ("channel", "campaign_id"):
        msg = f"closed_loop_report by must be 'channel' or 'campaign_id', got {by!r}"
        raise ValidationError(msg)
    if attribution is not None:
        _check_model(attribution)
    key_of: Callable[[Lead], Hashable] = (
        _channel_key(org) if by == "channel" else lead_key("campaign_id")
    )
    split = funnel_by(org.leads, period, key_of, lifecycle=org.lifecycle)
    stages = org.lifecycle.progression
    won = stages[-1]
    currency = org.currency
    cohort = [lead for lead in org.leads if period.contains(lead.created_at)]
    revenue: dict[Hashable, Decimal] = {}
    for lead in cohort:
        if lead.value is not None and lead.has_reached(won):
            group: Hashable = key_of(lead)
            revenue[group] = revenue.get(group, Decimal(0)) + lead.value.amount
    cost: dict[Hashable, Fraction] = {}
    for campaign in org.campaigns:
        if campaign.period.overlaps(period) or campaign.spend:
            group = campaign.channel if by == "channel" else campaign.id
            cost[group] = cost.get(group, Fraction(0)) + campaign_cost(campaign, period)
    credited: dict[str, Money] | None = None
    model_name = None
    if attribution is not None:
        credited, model_name = _attribute(cohort, by, attribution, org.lifecycle)
    counts = dict(split.groups)
    rows: list[ClosedLoopRow] = []
    for name in set(counts) | set(cost):
        key = None if name is None else str(name)
        funnel = counts.get(name)
        row_counts = funnel.cohort[: len(stages)] if funnel is not None else (0,) * len(stages)
        if not any(row_counts) and key not in cost:
            continue  # only active in the period (activity view), not part of this cohort
        spent = cost.get(key, Fraction(0))
        wins = row_counts[-1]
        rows.append(
            ClosedLoopRow(
                group=key,
                stages=stages,
                counts=row_counts,
                revenue=Money(revenue.get(key, Decimal(0)), currency),
                cost=_rounded(spent, currency),
                cost_per_won=None
                if wins == 0 or key not in cost
                else _rounded(spent / wins, currency),
                attributed_revenue=None
                if credited is None or key is None
                else credited.get(key, Money.zero(currency)),
            )
        )
    rows.sort(key=lambda r: (-r.revenue.amount, r.group is None, r.group or ""))
    if credited is not None:
        rows += _touch_and_unattributed_rows(
            rows, credited, cohort=cohort, by=by, stages=stages, currency=currency
        )
    return ClosedLoopReport(period=period, by=by, rows=tuple(rows), attribution_model=model_name)


def _touch_and_unattributed_rows(
    rows: list[ClosedLoopRow],
    credited: dict[str, Money],
    *,
    cohort: list[Lead],
    by: GroupBy,
    stages: tuple[str, ...],
    currency: str,
) -> list[ClosedLoopRow]:
    """The rows that make attributed revenue add up to the revenue won.

    Credit that lands on a channel or campaign no lead of the cohort came from (a
    phone call, say) gets a row of its own; revenue the model could not credit (a won
    lead without a touchpoint) gets the unattributed row.
    """
    listed = {line.group for line in rows}
    kinds = _touch_kinds(cohort, by)
    zero, nothing = Money.zero(currency), (0,) * len(stages)
    extra = [
        ClosedLoopRow(
            group=name, stages=stages, counts=nothing, revenue=zero, cost=zero,
            cost_per_won=None, attributed_revenue=amount,
            kind=kinds.get(name, RowKind.MARKETING_TOUCH),
        )
        for name, amount in sorted(credited.items())
        if name not in listed
    ]  # fmt: skip
    won_revenue = Money.total((line.revenue for line in rows), currency)
    attributed = Money.total(credited.values(), currency)
    extra.append(
        ClosedLoopRow(
            group=None, stages=stages, counts=nothing, revenue=zero, cost=zero,
            cost_per_won=None, attributed_revenue=won_revenue - attributed,
            kind=RowKind.UNATTRIBUTED,
        )
    )  # fmt: skip
    return extra


def _rounded(amount: Fraction, currency: str) -> Money:
    """An exact amount rounded half-even to ``currency``'s minor unit, once, for display."""
    places = minor_unit(currency)
    return Money(Decimal(round(amount * 10**places)).scaleb(-places), currency)
