"""The named passes :meth:`~salesmark.metrics.KpiFacts.collect` makes over the leads (private).

A scan looks once at every lead: it keeps the leads relevant to the period and every
win ever (the first win decides who is a new customer). A lead is relevant when it
changed since the previous period began, or when it stands in the opportunity stage
(an opportunity opened long ago and left alone is still open at the period's end);
either way it was created before the period's end. Over the relevant leads run the
passes for the cohort (new leads, engagement, the stages each reached and entered) and
for stage entries (MQLs, opportunities opened, deals won and lost, the pipeline open at
the end); over what those found, speed to lead; over the wins, the new customers and
their revenue since.

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
    "BLOCK",
    "TOUCH_DEFINITIONS",
    "Cohort",
    "Entry",
    "FollowUp",
    "StageEntries",
    "Win",
    "Window",
    "follow_ups",
    "new_customers",
    "touch_sourcing",
]

BLOCK: Final = 1024
_ZERO: Final = Decimal(0)
_STAGE: Final = attrgetter("stage")

Entry = tuple[Lead, datetime]
"""A stage entry of a lead: the lead and when."""

Win = tuple[str, datetime, Decimal, str]
"""A win: the account (or the lead without one), when, the deal's value (0 without), the lead."""

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
        )

    def scan(self, leads: Iterable[Lead]) -> tuple[list[Lead], list[Win]]:
        """One look at every lead: those relevant to the period, and every win ever."""
        early, end, won, opp, terminal = (
            self.early,
            self.end,
            self.won,
            self.opp,
            self.won_is_terminal,
        )
        relevant: list[Lead] = []
        wins: list[Win] = []
        keep, win = relevant.append, wins.append
        for lead in leads:
            last = lead.history[-1]
            won_at = last.at if last.stage == won else None if terminal else lead.entered(won)
            if won_at is not None:
                amount = _ZERO if lead.value is None else lead.value.amount
                win((lead.account_id or lead.id, won_at, amount, lead.id))
            if (last.at >= early or last.stage == opp) and lead.created_at < end:
                keep(lead)
        return relevant, wins


@attrs.define
class Cohort:
    """The leads created in the period: how many engaged, and the stages each counts at (the funnel's rule)."""

    n: int
    created: list[Lead] = attrs.Factory(list)
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

    def add(self, leads: list[Lead], w: Window) -> None:
        start, end = w.start, w.end
        created_add, engaged_add = self.created.append, self.engaged.append
        reached, paths, stage_of = self.reached, self.paths, _STAGE
        for lead in leads:
            created = lead.created_at
            if created < start:
                continue
            ident = lead.id
            created_add(lead)
            # instant() inlined: the hot loop's datetimes are mostly in fixed offsets
            moment = created if type(created.tzinfo) is timezone else instant(created)
            for touch in lead.touchpoints:
                if touch.kind in ENGAGEMENT_KINDS:
                    at: Instant = touch.at  # type: ignore[assignment]  # an Instant below
                    if type(at.tzinfo) is not timezone:
                        at = instant(at)
                    if moment < at < end:
                        engaged_add(ident)
                        break
            path = tuple(map(stage_of, lead.history))
            counted = paths.get(path)
            if counted is None:
                counted = paths[path] = self.counted(path, w)
            for i in counted:
                reached[i].append(ident)


@attrs.define
class StageEntries:
    """The period's stage entries (and the previous period's MQLs), walking each history once."""

    mqls: list[str] = attrs.Factory(list)
    previous_mqls: list[str] = attrs.Factory(list)
    lost: list[str] = attrs.Factory(list)
    open: list[Lead] = attrs.Factory(list)
    cycles: list[timedelta] = attrs.Factory(list)
    cycles_from_creation: list[timedelta] = attrs.Factory(list)
    first_mqls: list[Entry] = attrs.Factory(list)
    opened: list[Entry] = attrs.Factory(list)
    won: list[Entry] = attrs.Factory(list)

    def add(self, leads: list[Lead], w: Window) -> None:  # noqa: PLR0912 (one tight walk, in locals for speed)
        start, end, early, mql, opp, won = w.start, w.end, w.early, w.mql, w.opp, w.won
        mqls, previous_mqls, lost = self.mqls.append, self.previous_mqls.append, self.lost.append
        open_add, opened, won_deals = self.open.append, self.opened.append, self.won.append
        first_mqls, cycles = self.first_mqls.append, self.cycles.append
        from_creation = self.cycles_from_creation.append
        for lead in leads:
            hist = lead.history
            ident = lead.id
            if hist[-1].at < start:
                # Nothing in the period: the previous period's MQLs, and the stage it stands in.
                for change in hist:
                    if change.stage == mql and change.at >= early:
                        previous_mqls(ident)
                if hist[-1].stage == opp:
                    open_add(lead)
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
                elif stage == won:
                    won_deals((lead, at))
                    creation = elapsed(lead.created_at, at)
                    from_creation(creation)
                    cycles(creation if opp_entered is None else elapsed(opp_entered, at))
                if previous_stage == opp and stage != won:
                    lost(ident)
                stage_at_end = previous_stage = stage
            if stage_at_end == opp:
                open_add(lead)
            if first_mql is not None:
                first_mqls((lead, first_mql))


def follow_ups(
    first_mqls: list[Entry], activities: frozenset[str]
) -> tuple[list[FollowUp], list[str]]:
    """Each MQL entry's first sales *activity* at or after it; and the MQLs that had none.

    A sales touch of a kind that is not an activity (a LinkedIn connection request, a
    chat greeting) is a touch, not a follow-up.
    """
    found: list[FollowUp] = []
    never: list[str] = []
    sales = Team.SALES
    for lead, at in first_mqls:
        moment = instant(at)
        for touch in lead.touchpoints:
            if touch.team is sales and touch.kind in activities:
                when = touch.at
                if (when if type(when.tzinfo) is timezone else instant(when)) >= moment:
                    found.append((lead.id, at, when))
                    break
        else:
            never.append(lead.id)
    return found, never


def new_customers(wins: list[Win], period: Period) -> tuple[list[str], list[tuple[int, Decimal]]]:
    """The leads whose win made an account a new customer in ``period``, and the new customers' revenue per period step."""
    start, end = instant(period.start), instant(period.end)
    first_win: dict[str, tuple[datetime, str]] = {}
    for account, at, _, lead_id in wins:
        key = (instant(at), lead_id)
        if account not in first_win or key < first_win[account]:
            first_win[account] = key
    cohort = {a: lead_id for a, (at, lead_id) in first_win.items() if start <= at < end}
    us = timedelta(microseconds=1)
    length = period.duration // us
    by_step: dict[int, Decimal] = {}
    for account, at, amount, _ in wins:
        if account in cohort:
            step = (elapsed(period.start, at) // us) // length
            by_step[step] = by_step.get(step, _ZERO) + amount
    leads: list[str] = []  # in the order of the organisation's leads
    for account, _, _, lead_id in wins:
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
