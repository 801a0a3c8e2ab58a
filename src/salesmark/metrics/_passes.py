"""The named passes :meth:`~salesmark.metrics.KpiFacts.collect` makes over the leads (private).

One walk looks once at every lead: it keeps every win ever (the first win decides who
is a new customer), and for a lead relevant to the period its part of the cohort (new
leads, engagement, the stages each reached and entered) and its stage entries (MQLs,
opportunities opened, deals won and lost, the pipeline open at the end, and for each
first MQL entry the first sales activity after it: speed to lead). A lead is relevant
when it changed since the previous period began, or when it stands in the opportunity
stage (an opportunity opened long ago and left alone is still open at the period's
end); either way it was created before the period's end. Over the wins run the new
customers and their revenue since.

Instants are compared on the UTC time line (the period's bounds are taken as instants)
and every duration is measured by :func:`~salesmark._time.elapsed`. The state at the
period's end is the one rule of :meth:`~salesmark.Lead.stage_as_of`: a lead's latest
stage entry strictly before ``period.end``, whatever period it fell in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from operator import attrgetter
from typing import Final

import attrs

from salesmark._time import Instant, elapsed, instant
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.sourcing import ENGAGEMENT_KINDS, SourcedBy
from salesmark.teams import Team

__all__ = [
    "TOUCH_DEFINITIONS",
    "Cohort",
    "Entry",
    "FollowUp",
    "StageEntries",
    "Window",
    "Wins",
    "new_customers",
    "touch_sourcing",
]

_ZERO: Final = Decimal(0)
_STAGE: Final = attrgetter("stage")

Entry = tuple[Lead, datetime]
"""A stage entry of a lead: the lead and when."""

FollowUp = tuple[str, datetime, datetime]
"""A followed-up MQL: the lead, its MQL entry and its first sales activity at or after it."""


@attrs.frozen(kw_only=True)
class Window:
    """The period's bounds (as instants) and the lifecycle's stages the passes look for."""

    start: Instant
    end: Instant
    early: Instant  # the previous period's start, for its MQLs
    mql: str
    opp: str
    won: str
    won_is_terminal: bool
    stages: tuple[str, ...]  # the funnel's order: the progression, then the other stages
    top: int  # the index of the progression's last stage
    activities: frozenset[str]  # the touch kinds that are sales activities (follow-ups)

    @classmethod
    def of(cls, org: Organisation, period: Period) -> Window:
        lifecycle = org.lifecycle
        progression = lifecycle.progression
        if len(progression) < 3:
            msg = (
                f"KpiFacts.collect needs a lifecycle progression of at least 3 stages "
                f"(lead, MQL, ..., won), got {progression!r}"
            )
            raise ValidationError(msg)
        won = progression[-1]
        others = tuple(s for s in lifecycle.stage_names if s not in progression)
        return cls(
            start=instant(period.start),
            end=instant(period.end),
            early=instant(period.previous().start),
            mql=lifecycle.handover,
            opp=progression[-2],
            won=won,
            won_is_terminal=lifecycle.is_terminal(won),
            stages=(*progression, *others),
            top=len(progression) - 1,
            activities=org.sales_activities,
        )

    def walk(  # noqa: PLR0912, PLR0915 (one tight walk, in locals for speed)
        self, leads: Iterable[Lead], cohort: Cohort, entries: StageEntries, wins: Wins
    ) -> None:
        """One look at every lead: its win, and if relevant its part of the cohort and stage entries.

        A lead created in the period joins the cohort (engagement, the stages it counts
        at); every relevant lead's history is walked once for its stage entries.
        """
        start, end, early, mql, opp, won = (
            self.start, self.end, self.early, self.mql, self.opp, self.won
        )  # fmt: skip
        terminal = self.won_is_terminal
        win_account, win_at = wins.accounts.append, wins.ats.append
        win_amount, win_lead = wins.amounts.append, wins.lead_ids.append
        created_add, created_ids = cohort.created.append, cohort.created_ids.append
        engaged_add, reached, paths = cohort.engaged.append, cohort.reached, cohort.paths
        mqls, previous_mqls = entries.mqls.append, entries.previous_mqls.append
        lost = entries.lost.append
        opened, won_deals = entries.opened.append, entries.won.append
        opened_ids, won_ids = entries.opened_ids.append, entries.won_ids.append
        won_valued = entries.won_valued.append
        followed, never = entries.follow_ups.append, entries.never_followed_up.append
        sales, activities = Team.SALES, self.activities
        cycles = entries.cycles.append
        from_creation = entries.cycles_from_creation.append
        engagement, stage_of = ENGAGEMENT_KINDS, _STAGE
        for lead in leads:
            hist = lead.history
            last = hist[-1]
            last_at, last_stage = last.at, last.stage
            won_at = last_at if last_stage == won else None if terminal else lead.entered(won)
            if won_at is not None:
                win_account(lead.account_id or lead.id)
                win_at(won_at)
                win_amount(_ZERO if lead.value is None else lead.value.amount)
                win_lead(lead.id)
            created = lead.created_at
            if created >= end or (last_at < early and last_stage != opp):
                continue  # not relevant to the period
            ident = lead.id
            if created >= start:
                # The cohort: engagement, and the stages it counts at.
                created_add(lead)
                created_ids(ident)
                # instant() inlined: the hot loop's datetimes are mostly in fixed offsets
                moment = created if type(created.tzinfo) is timezone else instant(created)
                for touch in lead.touchpoints:  # in time order
                    if touch.kind in engagement:
                        touched: Instant = touch.at  # type: ignore[assignment]  # an Instant below
                        if type(touched.tzinfo) is not timezone:
                            touched = instant(touched)
                        if touched >= end:
                            break  # every later touch is later still
                        if moment < touched:
                            engaged_add(ident)
                            break
                path = tuple(map(stage_of, hist))
                counted = paths.get(path)
                if counted is None:
                    counted = paths[path] = cohort.counted(path, self)
                for i in counted:
                    reached[i].append(ident)
            # The stage entries, walking the history once.
            if last_at < start:
                # Nothing in the period: the previous period's MQLs (latest first: one id
                # per entry, all the same), and the stage it stands in.
                for change in reversed(hist):
                    if change.at < early:
                        break
                    if change.stage == mql:
                        previous_mqls(ident)
                if last_stage == opp:
                    entries.stands_open(lead, ident)
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
                            previous_mqls(ident)
                    elif stage == opp:
                        opp_entered = at
                    stage_at_end = previous_stage = stage
                    continue
                if at >= end:
                    break
                if stage == mql:
                    mqls(ident)
                    if first_mql is None:
                        first_mql = at
                elif stage == opp:
                    opp_entered = at
                    opened((lead, at))
                    opened_ids(ident)
                    if lead.value is not None:
                        entries.opened_value += lead.value.amount
                elif stage == won:
                    won_deals((lead, at))
                    won_ids(ident)
                    if lead.value is not None:
                        entries.won_value += lead.value.amount
                        won_valued(ident)
                    from_creation(created)
                    from_creation(at)
                    cycles(created if opp_entered is None else opp_entered)
                    cycles(at)
                if previous_stage == opp and stage != won:
                    lost(ident)
                stage_at_end = previous_stage = stage
            if stage_at_end == opp:
                entries.stands_open(lead, ident)
            if first_mql is not None:
                # The first sales *activity* at or after the lead's first MQL entry (a
                # sales touch of another kind, a LinkedIn connection request or a chat
                # greeting, is a touch, not a follow-up), looked for while the lead is
                # at hand.
                moment = instant(first_mql)
                for touch in lead.touchpoints:
                    if touch.team is sales and touch.kind in activities:
                        when = touch.at
                        if (when if type(when.tzinfo) is timezone else instant(when)) >= moment:
                            followed((ident, first_mql, when))
                            break
                else:
                    never(ident)


@attrs.define
class Cohort:
    """The leads created in the period: how many engaged, and the stages each counts at (the funnel's rule)."""

    n: int
    created: list[Lead] = attrs.Factory(list)
    created_ids: list[str] = attrs.Factory(list)
    engaged: list[str] = attrs.Factory(list)
    reached: list[list[str]] = attrs.Factory(list)
    # A history's stages -> the indexes of the stages it counts at; leads share a few paths.
    paths: dict[tuple[str, ...], tuple[int, ...]] = attrs.Factory(dict)

    def __attrs_post_init__(self) -> None:
        self.reached = [[] for _ in range(self.n)]

    @staticmethod
    def counted(path: tuple[str, ...], w: Window) -> tuple[int, ...]:
        """Every progression stage up to the furthest reached, and each other stage entered."""
        index, top = {s: i for i, s in enumerate(w.stages)}, w.top
        seen = {index[stage] for stage in path}  # the organisation checked every stage
        furthest = max((i for i in seen if i <= top), default=-1)
        return (*range(furthest + 1), *sorted(i for i in seen if i > top))


@attrs.define
class StageEntries:
    """The period's stage entries (and the previous period's MQLs).

    The sales cycles are kept as the instants they run between, start and end side by
    side, for :meth:`~salesmark.Durations._elapsed` to measure when first read. Each
    lead's first MQL entry of the period is either followed up (the lead, the entry and
    the first sales activity at or after it) or never followed up (the lead).
    """

    mqls: list[str] = attrs.Factory(list)
    previous_mqls: list[str] = attrs.Factory(list)
    lost: list[str] = attrs.Factory(list)
    open: list[Lead] = attrs.Factory(list)
    cycles: list[datetime] = attrs.Factory(list)
    cycles_from_creation: list[datetime] = attrs.Factory(list)
    follow_ups: list[FollowUp] = attrs.Factory(list)
    never_followed_up: list[str] = attrs.Factory(list)
    opened: list[Entry] = attrs.Factory(list)
    won: list[Entry] = attrs.Factory(list)
    # the ids and values of the deals, gathered while each lead is at hand
    open_ids: list[str] = attrs.Factory(list)
    opened_ids: list[str] = attrs.Factory(list)
    won_ids: list[str] = attrs.Factory(list)
    won_valued: list[str] = attrs.Factory(list)  # the won deals with a value
    open_value: Decimal = _ZERO
    opened_value: Decimal = _ZERO
    won_value: Decimal = _ZERO

    def stands_open(self, lead: Lead, ident: str) -> None:
        """``lead`` stands in the opportunity stage at the period's end."""
        self.open.append(lead)
        self.open_ids.append(ident)
        if lead.value is not None:
            self.open_value += lead.value.amount


@attrs.define
class Wins:
    """Every win ever, as parallel lists: the account (or the lead without one), when, the deal's value (0 without), the lead.

    Parallel lists rather than a tuple per win: each tuple is one more object for the
    cyclic garbage collector to look at when it next runs (after the walk's pause, see
    :mod:`salesmark._collector`); four lists are four.
    """

    accounts: list[str] = attrs.Factory(list)
    ats: list[datetime] = attrs.Factory(list)
    amounts: list[Decimal] = attrs.Factory(list)
    lead_ids: list[str] = attrs.Factory(list)


def new_customers(wins: Wins, period: Period) -> tuple[list[str], list[tuple[int, Decimal]]]:
    """The leads whose win made an account a new customer in ``period``, and the new customers' revenue per period step.

    An account's first win is its earliest, and of wins at one instant the one of the
    smallest lead id (kept as an instant and a lead in two maps, no pair per win).
    """
    start, end = instant(period.start), instant(period.end)
    first_at: dict[str, Instant] = {}
    first_lead: dict[str, str] = {}
    known = first_at.get
    for account, at, lead_id in zip(wins.accounts, wins.ats, wins.lead_ids, strict=True):
        # instant() inlined: the datetimes are mostly in fixed offsets
        moment: Instant = at if type(at.tzinfo) is timezone else instant(at)  # type: ignore[assignment]
        first = known(account)
        if first is None or moment < first or (moment == first and lead_id < first_lead[account]):
            first_at[account] = moment
            first_lead[account] = lead_id
    cohort = {a: first_lead[a] for a, at in first_at.items() if start <= at < end}
    us = timedelta(microseconds=1)
    length = period.duration // us
    by_step: dict[int, Decimal] = {}
    for account, at, amount in zip(wins.accounts, wins.ats, wins.amounts, strict=True):
        if account in cohort:
            step = (elapsed(period.start, at) // us) // length
            by_step[step] = by_step.get(step, _ZERO) + amount
    leads: list[str] = []  # in the order of the organisation's leads
    for account, lead_id in zip(wins.accounts, wins.lead_ids, strict=True):
        if cohort.get(account) == lead_id:
            leads.append(lead_id)
            del cohort[account]
    return leads, sorted(by_step.items())


TOUCH_DEFINITIONS: Final = {
    SourcedBy.FIRST_TOUCH: 1,
    SourcedBy.MARKETING_BEFORE_SALES: 2,
    SourcedBy.INFLUENCED: 4,
}
"""The definitions of marketing-sourced that read a lead's touches, as bits of :func:`touch_sourcing`."""


def touch_sourcing(entries: Iterable[Entry], activities: frozenset[str]) -> tuple[int, ...]:
    """For each deal, which touch-based definitions of marketing-sourced hold, as bits.

    The same rules as :func:`~salesmark.sourcing.is_marketing_sourced`, in one walk of
    the touches: the first touch was marketing's; the earliest marketing touch came
    before sales' first *activity* (or sales never acted); the earliest marketing touch
    was at or before the deal's date (influenced).
    """
    marketing, sales = Team.MARKETING, Team.SALES
    found: list[int] = []
    for lead, at in entries:
        touches = lead.touchpoints
        if not touches:
            found.append(0)
            continue
        bits = 1 if touches[0].team is marketing else 0
        earliest: Instant | None = None
        first_sales: Instant | None = None
        for touch in touches:
            team = touch.team
            if team is marketing:
                if earliest is None:
                    earliest = instant(touch.at)
                    if first_sales is not None:
                        break
            elif team is sales and first_sales is None and touch.kind in activities:
                first_sales = instant(touch.at)
                if earliest is not None:
                    break
        if earliest is not None:
            if first_sales is None or earliest < first_sales:
                bits |= 2
            if earliest <= instant(at):
                bits |= 4
        found.append(bits)
    return tuple(found)
