"""The facts the KPI catalogue computes from, gathered in one pass over the leads.

Every KPI of :mod:`salesmark.metrics` is a small formula over a :class:`KpiFacts`.
:meth:`KpiFacts.collect` reads an organisation once for a period (plus the previous
period, for lead velocity) so evaluating the whole catalogue costs one pass, not one
per KPI. Pass the facts to the KPI functions (``facts=``) to share them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

import attrs

from salesmark.campaigns import prorated_budget
from salesmark.durations import Durations
from salesmark.errors import ValidationError
from salesmark.funnel import FunnelCounts, funnel_counts
from salesmark.leads import Lead
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.sourcing import (
    DEFAULT_SALES_CHANNELS,
    ENGAGEMENT_KINDS,
    SourcedBy,
    is_marketing_influenced,
    is_marketing_sourced,
)
from salesmark.teams import Team

__all__ = ["KpiFacts"]


def _frozen_money(value: Mapping[SourcedBy, Money]) -> Mapping[SourcedBy, Money]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class KpiFacts:
    """What the KPI formulas need about one period, gathered in one pass.

    Counts are of the period unless said otherwise; "won" is the last stage of the
    lifecycle's progression, "opportunity" the one before it, and "MQL" the lifecycle's
    handover stage (:attr:`~salesmark.lifecycle.Lifecycle.handover`).

    Attributes:
        period: The period.
        currency: The organisation's currency.
        funnel: The period's funnel (both views).
        new_leads: Leads created in the period.
        marketing_spend: Campaign budgets prorated to the period (see :func:`prorated_budget`).
        mqls: Entries into MQL in the period.
        previous_mqls: Entries into MQL in the previous period (``Period.previous()``).
        won_deals: Deals won in the period.
        won_with_value: Of those, deals with a known value.
        revenue: The value of the deals won in the period.
        won_accounts: Distinct accounts (or leads without one) with a deal won in the period.
        new_customers: Accounts whose first ever won deal is in the period.
        lost_deals: Opportunities closed other than won in the period.
        sales_cycle: Opportunity-to-won durations of the deals won in the period.
        open_opportunities: Leads in the opportunity stage at the period's end.
        open_pipeline: Their value.
        pipeline_created: Value of the entries into opportunity in the period.
        speed_to_lead: MQL-to-first-sales-touch durations of the period's MQLs.
        mqls_never_followed_up: Of the period's MQLs, those without any later sales touch.
        engaged_leads: Leads created in the period with an engagement touchpoint
            (:data:`ENGAGEMENT_KINDS`) after their capture and before the period's end.
        sourced_pipeline: Pipeline created in the period from marketing-sourced leads,
            per definition.
        influenced_pipeline: Pipeline created in the period with a marketing touch before
            the opportunity was opened.
        sourced_revenue: Revenue won in the period from marketing-sourced leads, per definition.
        influenced_revenue: Revenue won in the period with a marketing touch before the win.
        cohort_revenue: For the new customers, revenue won per period step ``t``
            (``t = 0`` is this period, ``t = 1`` the next period of the same length, ...).
    """

    period: Period
    currency: str
    funnel: FunnelCounts
    new_leads: int
    marketing_spend: Money
    mqls: int
    previous_mqls: int
    won_deals: int
    won_with_value: int
    revenue: Money
    won_accounts: int
    new_customers: int
    lost_deals: int
    sales_cycle: Durations
    open_opportunities: int
    open_pipeline: Money
    pipeline_created: Money
    speed_to_lead: Durations
    mqls_never_followed_up: int
    engaged_leads: int
    sourced_pipeline: Mapping[SourcedBy, Money] = attrs.field(converter=_frozen_money)
    influenced_pipeline: Money
    sourced_revenue: Mapping[SourcedBy, Money] = attrs.field(converter=_frozen_money)
    influenced_revenue: Money
    cohort_revenue: tuple[tuple[int, Money], ...]

    def __repr__(self) -> str:
        return (
            f"KpiFacts({self.period!r}: new_leads={self.new_leads}, mqls={self.mqls}, "
            f"won={self.won_deals}, revenue={self.revenue}, spend={self.marketing_spend})"
        )

    @classmethod
    def collect(  # noqa: PLR0912, PLR0915 (one pass over the leads, kept in one frame)
        cls,
        org: Organisation,
        period: Period,
        *,
        funnel: FunnelCounts | None = None,
        sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
    ) -> KpiFacts:
        """Gather the facts of ``period`` from ``org`` in one pass over its leads.

        Args:
            org: The organisation.
            period: The period.
            funnel: The period's funnel if already computed (else it is counted).
            sales_channels: Lead-source channels that mean sales found the lead.

        Raises:
            ValidationError: If ``period`` is not a Period, or the lifecycle's progression
                has fewer than three stages.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Lead, Organisation
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> org = Organisation(name="Acme", currency="EUR",
            ...                    leads=(Lead.create(id="L1", created_at=t),))
            >>> KpiFacts.collect(org, Period.quarter(2026, 1)).new_leads
            1
        """
        if not isinstance(period, Period):
            msg = f"KpiFacts.collect period must be a Period, got {period!r}"
            raise ValidationError(msg)
        progression = org.lifecycle.progression
        if len(progression) < 3:
            msg = (
                f"KpiFacts.collect needs a lifecycle progression of at least 3 stages "
                f"(lead, MQL, ..., won), got {progression!r}"
            )
            raise ValidationError(msg)
        counts = (
            funnel_counts(org.leads, period, lifecycle=org.lifecycle) if funnel is None else funnel
        )
        currency = org.currency
        mql, opp, won = org.lifecycle.handover, progression[-2], progression[-1]
        start, end = period.start, period.end
        previous = period.previous()
        early = previous.start
        zero = Decimal(0)
        spend = Money.total((prorated_budget(c, period) for c in org.campaigns), currency)
        channels = frozenset(sales_channels)
        new_leads = mqls = previous_mqls = won_deals = won_with_value = lost = 0
        open_count = 0
        revenue = open_value = created_value = zero
        won_accounts: set[str] = set()
        cycles: list[timedelta] = []
        mql_leads: list[tuple[Lead, datetime]] = []
        engaged = 0
        opened: list[tuple[Lead, datetime]] = []
        won_in_period: list[tuple[Lead, datetime]] = []
        wins: list[tuple[str, datetime, Decimal]] = []
        won_is_terminal = org.lifecycle.is_terminal(won)
        for lead in org.leads:
            hist = lead.history
            last = hist[-1]
            if last.stage == won or not won_is_terminal:
                won_at = last.at if last.stage == won else lead.entered(won)
                if won_at is not None:
                    amount = zero if lead.value is None else lead.value.amount
                    wins.append((lead.account_id or lead.id, won_at, amount))
            last_at = last.at
            if last_at < start:
                # Nothing in the period: only the previous period's MQLs can count.
                if last_at >= early:
                    for change in hist:
                        if change.stage == mql and change.at >= early:
                            previous_mqls += 1
                continue
            created = lead.created_at
            if created >= end:
                continue
            if created >= start:
                new_leads += 1
                for touch in lead.touchpoints:
                    if created < touch.at < end and touch.kind in ENGAGEMENT_KINDS:
                        engaged += 1
                        break
            stage_at_end = None
            previous_stage = None
            opp_entered = None
            first_mql = None
            for change in hist:
                at = change.at
                stage = change.stage
                if at < start:
                    if stage == mql:
                        if at >= early:
                            previous_mqls += 1
                    elif stage == opp:
                        opp_entered = at
                    stage_at_end = previous_stage = stage
                    continue
                if at >= end:
                    break
                if stage == mql:
                    mqls += 1
                    if first_mql is None:
                        first_mql = at
                elif stage == opp:
                    opp_entered = at
                    opened.append((lead, at))
                    if lead.value is not None:
                        created_value += lead.value.amount
                elif stage == won:
                    won_deals += 1
                    won_accounts.add(lead.account_id or lead.id)
                    won_in_period.append((lead, at))
                    if lead.value is not None:
                        won_with_value += 1
                        revenue += lead.value.amount
                    cycles.append(at - (created if opp_entered is None else opp_entered))
                if previous_stage == opp and stage != won:
                    lost += 1
                stage_at_end = previous_stage = stage
            if stage_at_end == opp:
                open_count += 1
                if lead.value is not None:
                    open_value += lead.value.amount
            if first_mql is not None:
                mql_leads.append((lead, first_mql))

        speed: list[timedelta] = []
        never = 0
        for lead, at in mql_leads:
            first = next(
                (t.at for t in lead.touchpoints if t.team is Team.SALES and t.at >= at), None
            )
            if first is None:
                never += 1
            else:
                speed.append(first - at)

        sourced_pipeline = dict.fromkeys(SourcedBy, zero)
        sourced_revenue = dict.fromkeys(SourcedBy, zero)
        influenced_pipeline = influenced_revenue = zero
        for deals, sourced, is_revenue in (
            (opened, sourced_pipeline, False),
            (won_in_period, sourced_revenue, True),
        ):
            for lead, at in deals:
                if lead.value is None:
                    continue
                amount = lead.value.amount
                for by in SourcedBy:
                    if is_marketing_sourced(lead, by, channels, at=at):
                        sourced[by] += amount
                if is_marketing_influenced(lead, at):
                    if is_revenue:
                        influenced_revenue += amount
                    else:
                        influenced_pipeline += amount

        first_win: dict[str, datetime] = {}
        for account, at, _ in wins:
            if account not in first_win or at < first_win[account]:
                first_win[account] = at
        cohort = {a for a, at in first_win.items() if start <= at < end}
        us = timedelta(microseconds=1)
        length = period.duration // us
        by_step: dict[int, Decimal] = {}
        for account, at, amount in wins:
            if account in cohort:
                step = ((at - start) // us) // length
                by_step[step] = by_step.get(step, zero) + amount

        def money(amount: Decimal) -> Money:
            return Money(amount, currency)

        return cls(
            period=period,
            currency=currency,
            funnel=counts,
            new_leads=new_leads,
            marketing_spend=spend,
            mqls=mqls,
            previous_mqls=previous_mqls,
            won_deals=won_deals,
            won_with_value=won_with_value,
            revenue=money(revenue),
            won_accounts=len(won_accounts),
            new_customers=len(cohort),
            lost_deals=lost,
            sales_cycle=Durations._trusted(Counter(cycles)),
            open_opportunities=open_count,
            open_pipeline=money(open_value),
            pipeline_created=money(created_value),
            speed_to_lead=Durations._trusted(Counter(speed)),
            mqls_never_followed_up=never,
            engaged_leads=engaged,
            sourced_pipeline={k: money(x) for k, x in sourced_pipeline.items()},
            influenced_pipeline=money(influenced_pipeline),
            sourced_revenue={k: money(x) for k, x in sourced_revenue.items()},
            influenced_revenue=money(influenced_revenue),
            cohort_revenue=tuple((step, money(x)) for step, x in sorted(by_step.items())),
        )
