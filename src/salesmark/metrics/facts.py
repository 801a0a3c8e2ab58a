"""The facts the KPI catalogue computes from, gathered once per period.

Every KPI of :mod:`salesmark.metrics` is a small formula over a :class:`KpiFacts`.
:meth:`KpiFacts.collect` reads an organisation once for a period (plus the previous
period, for lead velocity), so evaluating the whole catalogue costs one collection, not
one per KPI: ``catalogue[key].compute(facts)`` for one KPI, :func:`evaluate_catalogue`
for all of them.

The facts are exact: money as the sums of the deals' values, campaign spend as
:func:`~salesmark.campaigns.campaign_cost` to the fraction of a cent, durations to the
microsecond. They keep the leads behind every count, for the drill-down
(:meth:`KpiFacts.leads`), and the deals opened and won in the period, so that the
conventions of :class:`~salesmark.metrics.KpiAssumptions` (which definition of
marketing-sourced, which attribution model) apply when a KPI is computed, not when the
facts are gathered.

The state at the period's end (the pipeline open at the end) is the rule of
:meth:`~salesmark.Lead.stage_as_of`: a lead's latest stage entry strictly before
``period.end``, whatever period it fell in, so an opportunity opened months ago and
left alone is open. The collection is one walk over the leads and a few named passes
over what it found; statistics of durations are measured when first read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

import attrs

from salesmark import _validators as v
from salesmark._collector import paused
from salesmark._frozen import FrozenMap
from salesmark._time import instant
from salesmark.campaigns import campaign_cost
from salesmark.durations import Durations
from salesmark.errors import UnknownReference, ValidationError
from salesmark.funnel import FunnelCounts, funnel_counts
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle
from salesmark.metrics._exact import rounded
from salesmark.metrics._merging import merge_facts
from salesmark.metrics._passes import (
    TOUCH_DEFINITIONS,
    Cohort,
    Entry,
    FollowUp,
    StageEntries,
    Window,
    Wins,
    new_customers,
    touch_sourcing,
)
from salesmark.money import Money, minor_unit
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.sourcing import (
    DEFAULT_OTHER_CHANNELS,
    DEFAULT_SALES_CHANNELS,
    ChannelClass,
    SourcedBy,
    channel_class,
)

__all__ = ["KpiFacts"]

_ZERO: Final = Decimal(0)
_ENTERED: Final = "cohort_entered."


def _ids(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    return FrozenMap({k: tuple(ids) for k, ids in value.items()})


# The leads and ids are kept in the order of the organisation's leads (no sort while
# collecting); facts compare and hash by these canonical forms, so that they do not
# depend on that order.


def _ids_key(value: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return FrozenMap({k: tuple(sorted(ids)) for k, ids in value.items()})


def _leads_key(value: tuple[Lead, ...]) -> tuple[Lead, ...]:
    return tuple(sorted(value, key=_lead_id))


def _entries_key(value: tuple[Entry, ...]) -> tuple[Entry, ...]:
    return tuple(sorted(value, key=_entry_order))


def _follow_ups_key(value: tuple[FollowUp, ...]) -> tuple[FollowUp, ...]:
    return tuple(sorted(value, key=lambda f: (f[0], instant(f[1]))))


def _lead_id(lead: Lead) -> str:
    return lead.id


def _entry_order(entry: Entry) -> tuple[str, datetime]:
    return entry[0].id, instant(entry[1])


def _costs(value: Mapping[str, Fraction]) -> Mapping[str, Fraction]:
    return FrozenMap(value)


def _value(entries: Iterable[Entry]) -> Decimal:
    return sum((lead.value.amount for lead, _ in entries if lead.value is not None), _ZERO)


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
        marketing_spend: What the campaigns cost in the period, summed exactly and
            rounded once (see :attr:`campaign_costs`).
        mqls: Entries into MQL in the period.
        previous_mqls: Entries into MQL in the previous period (``Period.previous()``).
        won_deals: Deals won in the period.
        won_with_value: Of those, deals with a known value.
        revenue: The value of the deals won in the period.
        won_accounts: Distinct accounts (or leads without one) with a deal won in the period.
        new_customers: Accounts whose first ever won deal is in the period.
        lost_deals: Opportunities closed other than won in the period.
        sales_cycle: Opportunity-to-won durations of the deals won in the period (from
            the lead's creation for a deal that never passed the opportunity stage).
        open_opportunities: Leads in the opportunity stage as of the period's end
            (:meth:`~salesmark.Lead.stage_as_of` ``period.end``), whenever they entered it.
        open_pipeline: Their value.
        pipeline_created: Value of the entries into opportunity in the period.
        speed_to_lead: MQL-to-first-sales-activity durations of the period's MQLs, on
            the wall clock (only the organisation's
            :attr:`~salesmark.Organisation.sales_activities` count).
        mqls_never_followed_up: Of the period's MQLs, those without any later sales activity.
        engaged_leads: Leads created in the period with an engagement touchpoint
            (:data:`~salesmark.sourcing.ENGAGEMENT_KINDS`) after their capture and
            before the period's end.
        cohort_revenue: For the new customers, revenue won per period step ``t``
            (``t = 0`` is this period, ``t = 1`` the next period of the same length, ...).
        sales_cycle_from_creation: Lead-creation-to-won durations of the deals won in
            the period.
        campaign_costs: Each campaign's exact cost in the period, by campaign id
            (:func:`~salesmark.campaigns.campaign_cost`: recorded spend, else the budget
            prorated).
        follow_ups: For each followed-up MQL of the period: the lead's id, its MQL
            entry and its first sales activity at or after it.
        leads_created: The leads created in the period.
        opportunities_opened: The entries into opportunity in the period, ``(lead, at)``.
        deals_won: The deals won in the period, ``(lead, at)``.
        lifecycle: The organisation's lifecycle.
        sales_activities: The organisation's sales activity kinds.
        lead_ids: The drill-down: the ids of the leads behind each count, by name (see
            :meth:`leads`).

    The leads, deals and ids come in the order of the organisation's leads; two facts
    compare equal whatever that order.

    Example:
        >>> from salesmark import Organisation
        >>> KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        KpiFacts(Period(2026-01-01T00:00:00+00:00 .. 2026-04-01T00:00:00+00:00): new_leads=0, mqls=0, won=0, revenue=0.00 EUR, spend=0.00 EUR)
    """

    period: Period
    currency: str
    funnel: FunnelCounts
    new_leads: int = attrs.field(validator=v.whole())
    marketing_spend: Money
    mqls: int = attrs.field(validator=v.whole())
    previous_mqls: int = attrs.field(validator=v.whole())
    won_deals: int = attrs.field(validator=v.whole())
    won_with_value: int = attrs.field(validator=v.whole())
    revenue: Money
    won_accounts: int = attrs.field(validator=v.whole())
    new_customers: int = attrs.field(validator=v.whole())
    lost_deals: int = attrs.field(validator=v.whole())
    sales_cycle: Durations
    open_opportunities: int = attrs.field(validator=v.whole())
    open_pipeline: Money
    pipeline_created: Money
    speed_to_lead: Durations
    mqls_never_followed_up: int = attrs.field(validator=v.whole())
    engaged_leads: int = attrs.field(validator=v.whole())
    cohort_revenue: tuple[tuple[int, Money], ...]
    sales_cycle_from_creation: Durations
    campaign_costs: Mapping[str, Fraction] = attrs.field(converter=_costs)
    follow_ups: tuple[FollowUp, ...] = attrs.field(eq=_follow_ups_key)
    leads_created: tuple[Lead, ...] = attrs.field(eq=_leads_key)
    opportunities_opened: tuple[Entry, ...] = attrs.field(eq=_entries_key)
    deals_won: tuple[Entry, ...] = attrs.field(eq=_entries_key)
    lifecycle: Lifecycle
    sales_activities: frozenset[str]
    lead_ids: Mapping[str, tuple[str, ...]] = attrs.field(converter=_ids, eq=_ids_key)
    # Which touch-based definitions of marketing-sourced hold for each deal, as bits
    # (see _passes.touch_sourcing), aligned with the deals; worked out from them.
    _opened_sourcing: tuple[int, ...] = attrs.field(eq=False, repr=False)
    _won_sourcing: tuple[int, ...] = attrs.field(eq=False, repr=False)
    _cache: dict[str, tuple[str, ...]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, hash=False
    )

    def __repr__(self) -> str:
        return (
            f"KpiFacts({self.period!r}: new_leads={self.new_leads}, mqls={self.mqls}, "
            f"won={self.won_deals}, revenue={self.revenue}, spend={self.marketing_spend})"
        )

    @property
    def spend(self) -> Fraction:
        """Marketing spend in the period, exactly: the campaigns' costs summed, not rounded.

        Example:
            >>> from salesmark import Organisation
            >>> KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1)).spend
            Fraction(0, 1)
        """
        return sum(self.campaign_costs.values(), Fraction(0))

    def leads(self, name: str) -> tuple[str, ...]:
        """The ids of the leads behind the count ``name``: the drill-down from a number to its leads.

        ``name`` is a count of the facts (``"new_leads"``, ``"mqls"``,
        ``"previous_mqls"``, ``"won_deals"``, ``"won_with_value"``, ``"lost_deals"``,
        ``"new_customers"``, ``"open_opportunities"``, ``"opportunities_opened"``,
        ``"engaged_leads"``, ``"followed_up"``, ``"mqls_never_followed_up"``), or a
        cohort stage: ``"cohort.<stage>"`` (the funnel's cohort count, reached) and
        ``"cohort_entered.<stage>"`` (the cohort leads whose history entered it). Ids
        come in the order of the organisation's leads (facts compare equal whatever
        that order); a lead counted twice (a second MQL entry) is listed twice.

        Raises:
            UnknownReference: If ``name`` is none of these; the message lists them.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Lead, Organisation
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> org = Organisation(name="A", currency="EUR",
            ...                    leads=[Lead.create(id="L2", created_at=t), Lead.create(id="L1", created_at=t)])
            >>> KpiFacts.collect(org, Period.quarter(2026, 1)).leads("new_leads")
            ('L2', 'L1')
        """
        found = self.lead_ids.get(name)
        if (
            found is None
            and name.startswith(_ENTERED)
            and name[len(_ENTERED) :] in self.funnel.stages
        ):
            found = self._entered(name[len(_ENTERED) :])
        if found is None:
            counts = ", ".join(k for k in self.lead_ids if "." not in k)
            msg = (
                f"KpiFacts has no count {name!r}; counts are {counts}, and cohort.<stage> "
                f"or cohort_entered.<stage> for a stage of {list(self.funnel.stages)}"
            )
            raise UnknownReference(msg)
        return found

    def _entered(self, stage: str) -> tuple[str, ...]:
        """The cohort leads whose history entered ``stage`` (worked out when first asked)."""
        found = self._cache.get(stage)
        if found is None:
            found = self._cache[stage] = tuple(
                lead.id
                for lead in self.leads_created
                if any(c.stage == stage for c in lead.history)
            )
        return found

    def sourced_deals(
        self,
        which: Literal["pipeline", "revenue"],
        by: SourcedBy,
        *,
        sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
        other_channels: Iterable[str] = DEFAULT_OTHER_CHANNELS,
    ) -> tuple[Entry, ...]:
        """The deals marketing sourced under ``by``: of the opportunities opened (``"pipeline"``) or the deals won (``"revenue"``).

        The rules of :func:`~salesmark.sourcing.is_marketing_sourced`: each deal is
        judged at its own date (``INFLUENCED``: a marketing touch at or before it), with
        the organisation's sales activities (``MARKETING_BEFORE_SALES``) and the channel
        classes given (``LEAD_SOURCE``).

        Raises:
            ValidationError: If ``which`` is neither ``"pipeline"`` nor ``"revenue"``.

        Example:
            >>> from salesmark import Organisation
            >>> facts = KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
            >>> facts.sourced_deals("revenue", SourcedBy.FIRST_TOUCH)
            ()
        """
        if which == "pipeline":
            deals, bits = self.opportunities_opened, self._opened_sourcing
        elif which == "revenue":
            deals, bits = self.deals_won, self._won_sourcing
        else:
            msg = f"KpiFacts.sourced_deals which must be 'pipeline' or 'revenue', got {which!r}"
            raise ValidationError(msg)
        if by is SourcedBy.LEAD_SOURCE:
            sales, other = frozenset(sales_channels), frozenset(other_channels)
            marketing = ChannelClass.MARKETING
            return tuple(
                (lead, at)
                for lead, at in deals
                if channel_class(lead.channel, sales_channels=sales, other_channels=other)
                is marketing
            )
        bit = TOUCH_DEFINITIONS[v.require(by, SourcedBy, "KpiFacts.sourced_deals by")]
        return tuple(deal for deal, found in zip(deals, bits, strict=True) if found & bit)

    def sourced_pipeline(
        self,
        by: SourcedBy,
        *,
        sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
        other_channels: Iterable[str] = DEFAULT_OTHER_CHANNELS,
    ) -> Money:
        """Pipeline created in the period from leads marketing sourced under ``by``.

        Example:
            >>> from salesmark import Organisation
            >>> facts = KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
            >>> facts.sourced_pipeline(SourcedBy.LEAD_SOURCE)
            Money('0 EUR')
        """
        deals = self.sourced_deals(
            "pipeline", by, sales_channels=sales_channels, other_channels=other_channels
        )
        return Money(_value(deals), self.currency)

    def sourced_revenue(
        self,
        by: SourcedBy,
        *,
        sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
        other_channels: Iterable[str] = DEFAULT_OTHER_CHANNELS,
    ) -> Money:
        """Revenue won in the period from leads marketing sourced under ``by``.

        Example:
            >>> from salesmark import Organisation
            >>> facts = KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
            >>> facts.sourced_revenue(SourcedBy.FIRST_TOUCH)
            Money('0 EUR')
        """
        deals = self.sourced_deals(
            "revenue", by, sales_channels=sales_channels, other_channels=other_channels
        )
        return Money(_value(deals), self.currency)

    @property
    def influenced_pipeline(self) -> Money:
        """Pipeline created in the period with a marketing touch at or before the opportunity was opened.

        Example:
            >>> from salesmark import Organisation
            >>> KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1)).influenced_pipeline
            Money('0 EUR')
        """
        return self.sourced_pipeline(SourcedBy.INFLUENCED)

    @property
    def influenced_revenue(self) -> Money:
        """Revenue won in the period with a marketing touch at or before the win.

        Example:
            >>> from salesmark import Organisation
            >>> KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1)).influenced_revenue
            Money('0 EUR')
        """
        return self.sourced_revenue(SourcedBy.INFLUENCED)

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
    ) -> KpiFacts:
        """Gather the facts of ``period`` from ``org``.

        The cyclic garbage collector is paused while the facts are gathered, and
        restored after: the walk makes no reference cycle, and a million leads' worth of
        small tuples would otherwise set it running hundreds of times (see
        "Performance" in ``docs/funnel-and-kpis.md``).

        Args:
            org: The organisation.
            period: The period.
            funnel: The period's funnel if already computed (else it is counted).

        Raises:
            WrongType: If ``org`` is not an Organisation, ``period`` not a Period or
                ``funnel`` not FunnelCounts.
            ValidationError: If the lifecycle's progression has fewer than three stages.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Lead, Organisation
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> org = Organisation(name="Acme", currency="EUR",
            ...                    leads=(Lead.create(id="L1", created_at=t),))
            >>> KpiFacts.collect(org, Period.quarter(2026, 1)).new_leads
            1
        """
        v.require(org, Organisation, "KpiFacts.collect org")
        v.require(period, Period, "KpiFacts.collect period")
        v.require_optional(funnel, FunnelCounts, "KpiFacts.collect funnel")
        # The walk makes no reference cycle (salesmark._collector). Its lists die when
        # _gather returns, inside the pause, so the collector never walks them.
        with paused():
            return cls._gather(org, period, funnel)

    @classmethod
    def _gather(cls, org: Organisation, period: Period, funnel: FunnelCounts | None) -> KpiFacts:
        """The facts of :meth:`collect`, from arguments it has checked."""
        window = Window.of(org, period)
        counts = (
            funnel_counts(org.leads, period, lifecycle=org.lifecycle) if funnel is None else funnel
        )
        cohort, entries = Cohort(n=len(window.stages)), StageEntries()
        wins = Wins()
        window.walk(org.leads, cohort, entries, wins)
        found, never = entries.follow_ups, entries.never_followed_up
        customers, cohort_revenue = new_customers(wins, period)
        currency = org.currency
        costs = {c.id: campaign_cost(c, period) for c in org.campaigns}
        opened, won_deals = tuple(entries.opened), tuple(entries.won)
        ids: dict[str, Iterable[str]] = {
            "new_leads": cohort.created_ids,
            "mqls": entries.mqls,
            "previous_mqls": entries.previous_mqls,
            "won_deals": entries.won_ids,
            "won_with_value": entries.won_valued,
            "lost_deals": entries.lost,
            "new_customers": customers,
            "open_opportunities": entries.open_ids,
            "opportunities_opened": entries.opened_ids,
            "engaged_leads": cohort.engaged,
            "followed_up": [lead_id for lead_id, _, _ in found],
            "mqls_never_followed_up": never,
        }
        for i, stage in enumerate(window.stages):
            ids[f"cohort.{stage}"] = cohort.reached[i]

        def money(amount: Decimal) -> Money:
            return Money(amount, currency)

        spend = sum(costs.values(), Fraction(0))
        return cls(
            period=period,
            currency=currency,
            funnel=counts,
            new_leads=len(cohort.created),
            marketing_spend=Money(rounded(spend, minor_unit(currency)), currency),
            mqls=len(entries.mqls),
            previous_mqls=len(entries.previous_mqls),
            won_deals=len(won_deals),
            won_with_value=len(entries.won_valued),
            revenue=money(entries.won_value),
            won_accounts=len({lead.account_id or lead.id for lead, _ in won_deals}),
            new_customers=len(customers),
            lost_deals=len(entries.lost),
            sales_cycle=Durations._between(entries.cycles),
            open_opportunities=len(entries.open),
            open_pipeline=money(entries.open_value),
            pipeline_created=money(entries.opened_value),
            speed_to_lead=Durations._elapsed([f[1] for f in found], [f[2] for f in found]),
            mqls_never_followed_up=len(never),
            engaged_leads=len(cohort.engaged),
            cohort_revenue=tuple((step, money(x)) for step, x in cohort_revenue),
            sales_cycle_from_creation=Durations._between(entries.cycles_from_creation),
            campaign_costs=costs,
            follow_ups=tuple(found),
            leads_created=tuple(cohort.created),
            opportunities_opened=opened,
            deals_won=won_deals,
            lifecycle=org.lifecycle,
            sales_activities=org.sales_activities,
            lead_ids=ids,
            opened_sourcing=touch_sourcing(opened, org.sales_activities),
            won_sourcing=touch_sourcing(won_deals, org.sales_activities),
        )
