"""The facts the KPI catalogue computes from, gathered once per period.

Every KPI of :mod:`salesmark.metrics` is a small formula over a :class:`KpiFacts`.
:meth:`KpiFacts.collect` reads an organisation once for a period (plus the previous
period, for lead velocity), so evaluating the whole catalogue costs one collection, not
one per KPI: ``catalogue[key].compute(facts)`` for one KPI, :func:`evaluate_catalogue`
for all of them.

The collection is a few named passes. A scan looks once at every lead: it keeps the
leads relevant to the period (changed since the previous period began, created before
the period's end) and every win ever (the first win decides who is a new customer).
Over the relevant leads run the passes for new leads and engagement and for stage
entries (MQLs, opportunities opened, deals won and lost, the pipeline open at the end);
over what those found, speed to lead and the marketing-sourced and -influenced money;
over the wins, the new customers and their revenue since. The scan and the passes over
the relevant leads go block by block, so each block is still in the processor's cache
when the next pass reads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.campaigns import prorated_budget
from salesmark.durations import Durations
from salesmark.errors import ValidationError
from salesmark.funnel import FunnelCounts, funnel_counts
from salesmark.leads import Lead
from salesmark.metrics._merging import merge_facts
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
    return FrozenMap(value)


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

    Example:
        >>> from salesmark import Organisation
        >>> KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiFacts(Period(2026-01-01T00:00:00+00:00 .. 2026-04-01T00:00:00+00:00): new_leads=0, mqls=0, won=0, revenue=0.00 EUR, spend=0.00 EUR)
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
    def merge(cls, parts: Iterable[KpiFacts]) -> KpiFacts:
        """The facts of an organisation from the facts of its parts, for the same period.

        Exact when the parts split the organisation's leads by account (every lead of
        one account, or a lead without one, in one part, with its feedback) and each
        part holds all of the organisation's campaigns: the leads' counts, money and
        durations add, funnels merge, and the spend is taken once. The empty value is
        the facts of the organisation with no leads.

        Raises:
            ValidationError: If there is no part, or the parts differ in period,
                currency or spend.

        Example:
            >>> from salesmark import Organisation
            >>> q1 = Period.quarter(2026, 1)
            >>> empty = KpiFacts.collect(Organisation(name="A", currency="EUR"), q1)
            >>> KpiFacts.merge([empty, empty]) == empty
            True
        """
        return merge_facts(cls, parts)

    @classmethod
    def collect(
        cls,
        org: Organisation,
        period: Period,
        *,
        funnel: FunnelCounts | None = None,
        sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
    ) -> KpiFacts:
        """Gather the facts of ``period`` from ``org``.

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
        v.require(period, Period, "KpiFacts.collect period")
        window = _Window.of(org, period)
        counts = (
            funnel_counts(org.leads, period, lifecycle=org.lifecycle) if funnel is None else funnel
        )
        new, entries, wins = _NewLeads(), _StageEntries(), []
        # Block by block, so that a block's leads are still in the processor's cache when
        # the passes read them again: the three cost about what one fused loop would.
        leads = org.leads
        for first in range(0, len(leads), _BLOCK):
            relevant, won = window.scan(leads[first : first + _BLOCK])
            wins += won
            new.add(relevant, window)
            entries.add(relevant, window)
        speed, never = _speed_to_lead(entries.first_mqls)
        channels = frozenset(sales_channels)
        sourced_pipeline, influenced_pipeline = _sourced_and_influenced(entries.opened, channels)
        sourced_revenue, influenced_revenue = _sourced_and_influenced(entries.won, channels)
        new_customers, cohort_revenue = _new_customers(wins, period)
        currency = org.currency

        def money(amount: Decimal) -> Money:
            return Money(amount, currency)

        return cls(
            period=period,
            currency=currency,
            funnel=counts,
            new_leads=new.count,
            marketing_spend=Money.total(
                (prorated_budget(c, period) for c in org.campaigns), currency
            ),
            mqls=entries.mqls,
            previous_mqls=entries.previous_mqls,
            won_deals=len(entries.won),
            won_with_value=entries.won_with_value,
            revenue=money(entries.revenue),
            won_accounts=len(entries.won_accounts),
            new_customers=new_customers,
            lost_deals=entries.lost,
            sales_cycle=Durations._trusted(Counter(entries.cycles)),
            open_opportunities=entries.open_count,
            open_pipeline=money(entries.open_value),
            pipeline_created=money(entries.created_value),
            speed_to_lead=Durations._trusted(Counter(speed)),
            mqls_never_followed_up=never,
            engaged_leads=new.engaged,
            sourced_pipeline={k: money(x) for k, x in sourced_pipeline.items()},
            influenced_pipeline=money(influenced_pipeline),
            sourced_revenue={k: money(x) for k, x in sourced_revenue.items()},
            influenced_revenue=money(influenced_revenue),
            cohort_revenue=tuple((step, money(x)) for step, x in cohort_revenue),
        )


# -- the passes -----------------------------------------------------------------------------

_BLOCK: Final = 1024
_ZERO: Final = Decimal(0)
_DEFINITIONS: Final = tuple(SourcedBy)

_Win = tuple[str, datetime, Decimal]
"""A win: the account (or the lead without one), when, and the deal's value (0 without)."""


@attrs.frozen(kw_only=True)
class _Window:
    """The period's bounds and the lifecycle's stages the passes look for."""

    start: datetime
    end: datetime
    early: datetime  # the previous period's start, for its MQLs
    mql: str
    opp: str
    won: str
    won_is_terminal: bool

    @classmethod
    def of(cls, org: Organisation, period: Period) -> _Window:
        progression = org.lifecycle.progression
        if len(progression) < 3:
            msg = (
                f"KpiFacts.collect needs a lifecycle progression of at least 3 stages "
                f"(lead, MQL, ..., won), got {progression!r}"
            )
            raise ValidationError(msg)
        won = progression[-1]
        return cls(
            start=period.start,
            end=period.end,
            early=period.previous().start,
            mql=org.lifecycle.handover,
            opp=progression[-2],
            won=won,
            won_is_terminal=org.lifecycle.is_terminal(won),
        )

    def scan(self, leads: Iterable[Lead]) -> tuple[list[Lead], list[_Win]]:
        """One look at every lead: those relevant to the period, and every win ever.

        The relevant leads changed since the previous period began and were created
        before the period's end; the wins (of any lead, at any time) decide which
        accounts are new customers.
        """
        early, end, won, terminal = self.early, self.end, self.won, self.won_is_terminal
        relevant: list[Lead] = []
        wins: list[_Win] = []
        keep, win = relevant.append, wins.append
        for lead in leads:
            last = lead.history[-1]
            won_at = last.at if last.stage == won else None if terminal else lead.entered(won)
            if won_at is not None:
                amount = _ZERO if lead.value is None else lead.value.amount
                win((lead.account_id or lead.id, won_at, amount))
            if last.at >= early and lead.created_at < end:
                keep(lead)
        return relevant, wins


@attrs.define
class _NewLeads:
    """Leads created in the period, and those with an engagement touch after capture."""

    count: int = 0
    engaged: int = 0

    def add(self, leads: list[Lead], w: _Window) -> None:
        start, end = w.start, w.end
        for lead in leads:
            created = lead.created_at
            if created >= start:
                self.count += 1
                for touch in lead.touchpoints:
                    if created < touch.at < end and touch.kind in ENGAGEMENT_KINDS:
                        self.engaged += 1
                        break


@attrs.define
class _StageEntries:
    """The period's stage entries (and the previous period's MQLs), walking each history once."""

    mqls: int = 0
    previous_mqls: int = 0
    won_with_value: int = 0
    lost: int = 0
    open_count: int = 0
    revenue: Decimal = _ZERO
    open_value: Decimal = _ZERO
    created_value: Decimal = _ZERO
    won_accounts: set[str] = attrs.Factory(set)
    cycles: list[timedelta] = attrs.Factory(list)
    first_mqls: list[tuple[Lead, datetime]] = attrs.Factory(list)
    opened: list[tuple[Lead, datetime]] = attrs.Factory(list)
    won: list[tuple[Lead, datetime]] = attrs.Factory(list)

    def add(self, leads: list[Lead], w: _Window) -> None:  # noqa: PLR0912, PLR0915 (one tight walk, in locals for speed)
        start, end, early, mql, opp, won = w.start, w.end, w.early, w.mql, w.opp, w.won
        mqls, previous_mqls, lost = self.mqls, self.previous_mqls, self.lost
        open_count, open_value = self.open_count, self.open_value
        won_with_value, revenue, created_value = (
            self.won_with_value,
            self.revenue,
            self.created_value,
        )
        opened, won_deals, first_mqls = self.opened.append, self.won.append, self.first_mqls.append
        accounts, cycles = self.won_accounts.add, self.cycles.append
        for lead in leads:
            hist = lead.history
            if hist[-1].at < start:
                # Nothing in the period: only the previous period's MQLs can count.
                for change in hist:
                    if change.stage == mql and change.at >= early:
                        previous_mqls += 1
                continue
            stage_at_end: str | None = None
            previous_stage: str | None = None
            opp_entered: datetime | None = None
            first_mql: datetime | None = None
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
                    opened((lead, at))
                    if lead.value is not None:
                        created_value += lead.value.amount
                elif stage == won:
                    accounts(lead.account_id or lead.id)
                    won_deals((lead, at))
                    if lead.value is not None:
                        won_with_value += 1
                        revenue += lead.value.amount
                    cycles(at - (lead.created_at if opp_entered is None else opp_entered))
                if previous_stage == opp and stage != won:
                    lost += 1
                stage_at_end = previous_stage = stage
            if stage_at_end == opp:
                open_count += 1
                if lead.value is not None:
                    open_value += lead.value.amount
            if first_mql is not None:
                first_mqls((lead, first_mql))
        self.mqls, self.previous_mqls, self.lost = mqls, previous_mqls, lost
        self.open_count, self.open_value = open_count, open_value
        self.won_with_value, self.revenue, self.created_value = (
            won_with_value,
            revenue,
            created_value,
        )


def _speed_to_lead(first_mqls: list[tuple[Lead, datetime]]) -> tuple[list[timedelta], int]:
    """From each MQL entry to the first sales touch at or after it; and how many had none."""
    speed: list[timedelta] = []
    never = 0
    sales = Team.SALES
    for lead, at in first_mqls:
        for touch in lead.touchpoints:
            if touch.team is sales and touch.at >= at:
                speed.append(touch.at - at)
                break
        else:
            never += 1
    return speed, never


def _sourced_and_influenced(
    deals: list[tuple[Lead, datetime]], sales_channels: frozenset[str]
) -> tuple[dict[SourcedBy, Decimal], Decimal]:
    """The value of ``deals`` marketing sourced (per definition), and influenced before each deal's date."""
    sourced = dict.fromkeys(SourcedBy, _ZERO)
    influenced = _ZERO
    for lead, at in deals:
        if lead.value is None:
            continue
        amount = lead.value.amount
        for by in _DEFINITIONS:
            if is_marketing_sourced(lead, by, sales_channels, at=at):
                sourced[by] += amount
        if is_marketing_influenced(lead, at):
            influenced += amount
    return sourced, influenced


def _new_customers(wins: list[_Win], period: Period) -> tuple[int, list[tuple[int, Decimal]]]:
    """How many accounts first won in ``period``, and their revenue per period step since."""
    start, end = period.start, period.end
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
            by_step[step] = by_step.get(step, _ZERO) + amount
    return len(cohort), sorted(by_step.items())
