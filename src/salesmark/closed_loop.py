"""Closed-loop reporting: what each channel and campaign brought, from lead to revenue.

One table both teams read: per source channel (or per campaign), the leads created in
the period followed down the funnel (leads, MQLs, ..., won), the revenue they won, the
cost of the period, the cost per won deal and, when :mod:`salesmark.attribution` is
available, the revenue a multi-touch model credits to the channel or campaign.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

from salesmark import _validators as v
from salesmark.errors import UnknownReference, ValidationError
from salesmark.funnel import funnel_by
from salesmark.kpi_facts import prorated_budget
from salesmark.money import Money
from salesmark.period import Period

if TYPE_CHECKING:
    from salesmark.leads import Lead
    from salesmark.organisation import Organisation

__all__ = ["ATTRIBUTION_MODELS", "ClosedLoopReport", "ClosedLoopRow", "closed_loop"]

GroupBy = Literal["channel", "campaign"]

ATTRIBUTION_MODELS = (
    "first_touch",
    "full_path",
    "inverse_j",
    "j_shaped",
    "last_non_direct",
    "last_touch",
    "linear",
    "markov",
    "position_based",
    "shapley",
    "time_decay",
    "w_shaped",
)
"""The :mod:`salesmark.attribution` models :func:`closed_loop` runs by name."""


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
            :func:`~salesmark.kpi_facts.prorated_budget`); zero when no campaign of
            the group runs in the period.
        cost_per_won: ``cost / won deals``, or ``None`` when it cannot be computed:
            nothing was won, or no campaign of the group runs in the period (no cost
            data, which is not a cost of zero).
        attributed_revenue: Revenue credited by the attribution model, or ``None`` when
            no model ran.
    """

    group: str | None
    stages: tuple[str, ...] = attrs.field(converter=v.to_tuple)
    counts: tuple[int, ...] = attrs.field(converter=v.to_tuple)
    revenue: Money
    cost: Money
    cost_per_won: Money | None
    attributed_revenue: Money | None = None

    def __repr__(self) -> str:
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
        by: ``"channel"`` or ``"campaign"``.
        rows: One row per group, by revenue then name.
        attribution_model: The attribution model that filled ``attributed_revenue``, or
            ``None`` (no model asked, or attribution not available).
        note: Why there is no attribution column, when one was asked for.
    """

    period: Period
    by: str
    rows: tuple[ClosedLoopRow, ...] = attrs.field(converter=v.to_tuple)
    attribution_model: str | None = None
    note: str | None = None

    def __repr__(self) -> str:
        return (
            f"ClosedLoopReport(by={self.by}, {len(self.rows)} rows, model={self.attribution_model})"
        )

    def __getitem__(self, group: str | None) -> ClosedLoopRow:
        for row in self.rows:
            if row.group == group:
                return row
        msg = f"ClosedLoopReport by {self.by} has no row {group!r}"
        raise UnknownReference(msg)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per row, for ``pandas.DataFrame``; money as Decimal amounts."""
        records = []
        for row in self.rows:
            record: dict[str, Any] = {self.by: row.group, "leads": row.leads}
            record.update(zip(row.stages[1:], row.counts[1:], strict=True))
            record["revenue"] = row.revenue.amount
            record["cost"] = row.cost.amount
            record["cost_per_won"] = None if row.cost_per_won is None else row.cost_per_won.amount
            if self.attribution_model is not None:
                amount = row.attributed_revenue
                record["attributed_revenue"] = None if amount is None else amount.amount
            records.append(record)
        return records


def _attribute(
    leads: Iterable[Any], by: GroupBy, model: str | Callable[..., Any]
) -> tuple[dict[str, Money] | None, str | None, str | None]:
    """Run an attribution model lazily; ``(credited, model name, note)``."""
    try:
        from salesmark import attribution  # noqa: PLC0415 (optional: another capability)
    except ImportError as exc:
        return None, None, f"attribution not available: {exc}"
    fn = getattr(attribution, model) if isinstance(model, str) else model
    journeys = attribution.journeys_from_leads(
        leads, key="campaign" if by == "campaign" else "channel", unset=None
    )
    result = fn(journeys)
    credited = {str(k): m for k, m in result.value_credits.items()}
    return credited, str(result.label), None


def _check_model(model: object) -> None:
    if isinstance(model, str):
        if model not in ATTRIBUTION_MODELS:
            names = ", ".join(ATTRIBUTION_MODELS)
            msg = (
                f"closed_loop attribution must be one of {names} or a function of journeys, "
                f"got {model!r}"
            )
            raise ValidationError(msg)
    elif not callable(model):
        msg = (
            f"closed_loop attribution must be a model name or a function of journeys, got {model!r}"
        )
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


def closed_loop(
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
        by: ``"channel"`` (default) or ``"campaign"``.
        attribution: A model of :mod:`salesmark.attribution` by name (one of
            :data:`ATTRIBUTION_MODELS`: ``"linear"``, ``"markov"``, ...) or as a function of
            journeys; adds the revenue it credits. Skipped, with a note, when the
            attribution package is not installed.

    Raises:
        ValidationError: If ``by`` is neither ``"channel"`` nor ``"campaign"``, or
            ``attribution`` is neither one of :data:`ATTRIBUTION_MODELS` nor a function.

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
        >>> report = closed_loop(org, q1)
        >>> report["email"]
        ClosedLoopRow(email: 1 > 0 > 0 > 0 > 0 > 0; revenue 0.00 EUR, cost 900.00 EUR)
        >>> print(report["email"].cost_per_won)
        None
        >>> closed_loop(org, q1, attribution="linaer")
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: closed_loop attribution must be one of first_touch, full_path, inverse_j, j_shaped, last_non_direct, last_touch, linear, markov, position_based, shapley, time_decay, w_shaped or a function of journeys, got 'linaer'
    """
    if by not in ("channel", "campaign"):
        msg = f"closed_loop by must be 'channel' or 'campaign', got {by!r}"
        raise ValidationError(msg)
    if attribution is not None:
        _check_model(attribution)
    key_of = _channel_key(org) if by == "channel" else None
    split = funnel_by(org, period, key_of or "campaign_id")
    stages = org.lifecycle.progression
    won = stages[-1]
    currency = org.currency
    cohort = [lead for lead in org.leads if period.start <= lead.created_at < period.end]
    revenue: dict[str | None, Decimal] = {}
    for lead in cohort:
        if lead.value is not None and lead.has_reached(won):
            group = key_of(lead) if key_of is not None else lead.campaign_id
            revenue[group] = revenue.get(group, Decimal(0)) + lead.value.amount
    cost: dict[str | None, Money] = {}
    for campaign in org.campaigns:
        group = campaign.channel if by == "channel" else campaign.id
        share = prorated_budget(campaign, period)
        if campaign.period.overlaps(period):
            cost[group] = cost.get(group, Money.zero(currency)) + share
    credited: dict[str, Money] | None = None
    model_name = note = None
    if attribution is not None:
        credited, model_name, note = _attribute(cohort, by, attribution)
    counts = dict(split.groups)
    groups = set(counts) | set(cost)
    rows: list[ClosedLoopRow] = []
    for name in groups:
        key = None if name is None else str(name)
        funnel = counts.get(name)
        row_counts = funnel.cohort if funnel is not None else (0,) * len(stages)
        if not any(row_counts) and key not in cost:
            continue  # only active in the period (activity view), not part of this cohort
        spent = cost.get(key, Money.zero(currency))
        wins = row_counts[-1]
        rows.append(
            ClosedLoopRow(
                group=key,
                stages=stages,
                counts=row_counts,
                revenue=Money(revenue.get(key, Decimal(0)), currency),
                cost=spent,
                cost_per_won=None
                if wins == 0 or key not in cost
                else Money(spent.amount / wins, currency).rounded(),
                attributed_revenue=None
                if credited is None or key is None
                else credited.get(key, Money.zero(currency)),
            )
        )
    rows.sort(key=lambda r: (-r.revenue.amount, r.group is None, r.group or ""))
    return ClosedLoopReport(
        period=period, by=by, rows=tuple(rows), attribution_model=model_name, note=note
    )
