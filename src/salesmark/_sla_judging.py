"""Judging each handover of a lead against the SLA (private; see :mod:`salesmark.compliance`).

One delivery is one entry into the lifecycle's handover stage; :class:`Judge` tallies
what each team did about it and records every breach as a :class:`SlaBreach`.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import elapsed, instant
from salesmark.calendars import WorkingCalendar
from salesmark.feedback import LeadFeedback
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle
from salesmark.sla import Clock, ServiceLevelAgreement
from salesmark.teams import Team

__all__ = ["BreachKind", "Judge", "SlaBreach", "Tally", "breach_order", "is_unsourced", "rate"]

_RATE = Decimal("0.0001")


class BreachKind(str, enum.Enum):
    """The ways a lead can breach the SLA, and which team answers for it."""

    NOT_ACCEPTED = "not_accepted"
    """Sales rejected, recycled or disqualified the MQL instead of accepting it (marketing)."""
    LATE_FOLLOW_UP = "late_follow_up"
    """Sales' first follow-up came after the committed time (sales)."""
    NO_FOLLOW_UP = "no_follow_up"
    """The committed time passed and sales never followed up (sales)."""
    TOO_FEW_ATTEMPTS = "too_few_attempts"
    """Sales gave up on the lead after fewer attempts than committed (sales)."""
    LATE_FEEDBACK = "late_feedback"
    """Sales' feedback on the lead came after the committed time (sales)."""
    NO_FEEDBACK = "no_feedback"
    """The committed time passed and sales gave no feedback (sales)."""

    @property
    def team(self) -> Team:
        """The team that answers for this kind of breach."""
        return Team.MARKETING if self is BreachKind.NOT_ACCEPTED else Team.SALES


@attrs.frozen(kw_only=True)
class SlaBreach:
    """One lead that broke one SLA commitment.

    Attributes:
        lead_id: The lead.
        kind: Which commitment it broke.
        owner_id: The lead's owner, if assigned.
        mql_at: When the lead became an MQL (the SLA clock starts there).
        elapsed: The time counted on the SLA's clock (business hours or elapsed time)
            until the late action, or until ``at`` when the action never came.
        allowed: The time the SLA allows, if the commitment has a deadline.
        detail: A sentence saying what happened.
    """

    lead_id: str = attrs.field(validator=v.non_empty_text)
    kind: BreachKind = attrs.field(validator=v.member_of(BreachKind))
    owner_id: str | None = attrs.field(validator=v.optional_text)
    mql_at: datetime = attrs.field(validator=v.aware)
    elapsed: timedelta | None = attrs.field(validator=rf.duration(optional=True))
    allowed: timedelta | None = attrs.field(validator=rf.duration(optional=True, positive=True))
    detail: str = attrs.field(validator=v.non_empty_text)

    @property
    def team(self) -> Team:
        """The team that answers for the breach."""
        return self.kind.team

    def __repr__(self) -> str:
        return f"SlaBreach({self.lead_id!r}, {self.kind.value}: {self.detail})"

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """The breach as a one-row list of plain dicts (durations in hours)."""
        rows = [
            row(
                lead_id=self.lead_id,
                kind=self.kind,
                team=self.team,
                owner_id=self.owner_id,
                mql_at=self.mql_at,
                elapsed_hours=self.elapsed,
                allowed_hours=self.allowed,
                detail=self.detail,
            )
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def rate(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_RATE)


def is_unsourced(lead: Lead) -> bool:
    s = lead.source
    return s is None or (
        s.source is None and s.medium is None and s.channel is None and s.campaign_id is None
    )


def _fmt(value: timedelta) -> str:
    hours = value / timedelta(hours=1)
    return f"{hours:g}h"


@attrs.define
class Tally:
    """What the deliveries of a period added up to, as they are judged (mutable, private)."""

    delivered: int = 0
    accepted: int = 0
    rejected: int = 0
    follow_due: int = 0
    follow_ok: int = 0
    given_up: int = 0
    given_up_ok: int = 0
    attempts: int = 0
    feedback_due: int = 0
    feedback_ok: int = 0
    not_accepted: list[SlaBreach] = attrs.field(factory=list)
    sales: list[SlaBreach] = attrs.field(factory=list)
    never: list[str] = attrs.field(factory=list)
    undecided: list[str] = attrs.field(factory=list)
    follow_pending: list[str] = attrs.field(factory=list)
    feedback_pending: list[str] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class _Window:
    """The time one delivery covers: from its handover until ``at`` or the next handover.

    Half-open like every period: an event exactly at the evaluation instant ``at`` (or
    at the next handover) does not belong to it.
    """

    start: datetime
    at: datetime
    next_at: datetime | None

    @property
    def end(self) -> datetime:
        """Where the clock of a missing action stops."""
        return self.at if self.next_at is None else min(self.at, self.next_at, key=instant)

    def holds(self, moment: datetime) -> bool:
        """Whether ``moment`` belongs to this delivery."""
        # instants, not wall clocks: in the autumn hour that repeats, 02:10 winter time
        # comes 40 minutes after 02:30 summer time though its wall clock is earlier
        return instant(self.start) <= instant(moment) < instant(self.end)


@attrs.frozen(kw_only=True)
class _Commitment:
    """One timed promise of sales: what it is called, how long it allows, on which clock."""

    name: str
    within: timedelta
    clock: Clock
    late: BreachKind
    missing: BreachKind


class Judge:
    """Judges one delivery at a time against the SLA."""

    def __init__(
        self,
        sla: ServiceLevelAgreement,
        *,
        at: datetime,
        calendar: WorkingCalendar | None,
        feedback: dict[str, list[LeadFeedback]],
        lifecycle: Lifecycle,
        activities: frozenset[str],
    ) -> None:
        self.sla, self.at, self.calendar, self.feedback = sla, at, calendar, feedback
        self.activities = activities
        path = lifecycle.progression
        self.on_path = frozenset(path)
        self.accepting = frozenset(path[path.index(lifecycle.handover) + 1 :] if path else ())
        self.rejection = lifecycle.rejection
        self.given_up = frozenset(lifecycle.given_up)
        self.follow_up = _Commitment(
            name="follow-up",
            within=sla.first_follow_up_within,
            clock=sla.follow_up_clock,
            late=BreachKind.LATE_FOLLOW_UP,
            missing=BreachKind.NO_FOLLOW_UP,
        )
        self.feedback_given = _Commitment(
            name="feedback",
            within=sla.feedback_within,
            clock=sla.feedback_clock,
            late=BreachKind.LATE_FEEDBACK,
            missing=BreachKind.NO_FEEDBACK,
        )
        self.tally = Tally()

    def clock(self, commitment: _Commitment, start: datetime, end: datetime) -> timedelta:
        """The time on ``commitment``'s clock from ``start`` to ``end`` (never negative)."""
        if commitment.clock is Clock.BUSINESS and self.calendar is not None:
            return self.calendar.working_time_between(start, end)
        return max(elapsed(start, end), timedelta(0))

    def breach(
        self,
        lead: Lead,
        mql_at: datetime,
        kind: BreachKind,
        detail: str,
        *,
        took: timedelta | None = None,
        allowed: timedelta | None = None,
    ) -> SlaBreach:
        return SlaBreach(
            lead_id=lead.id,
            kind=kind,
            owner_id=lead.owner_id,
            mql_at=mql_at,
            elapsed=took,
            allowed=allowed,
            detail=detail,
        )

    def judge(self, lead: Lead, mql_index: int, next_index: int | None) -> None:
        """Judge one delivery: the handover at ``mql_index``, until the next one (if any).

        A delivery lasts until the lead is handed over again (``next_index``); stage
        changes, sales activities and feedback from then on belong to the next delivery.
        Only what happened strictly before the evaluation instant counts.
        """
        t = self.tally
        history = lead.history
        mql_at = history[mql_index].at
        next_at = None if next_index is None else history[next_index].at
        window = _Window(start=mql_at, at=self.at, next_at=next_at)
        t.delivered += 1
        later = [c for c in history[mql_index + 1 : next_index] if window.holds(c.at)]
        fb = [f for f in self.feedback.get(lead.id, ()) if window.holds(f.at)]
        # acceptance: the stage right after the MQL decides; feedback when no stage does
        decision = later[0] if later else None
        rejected = decision is not None and decision.stage == self.rejection
        if decision is not None and decision.stage in self.accepting:
            t.accepted += 1
        elif decision is not None and decision.stage not in self.on_path:
            t.rejected += 1
            why = f" ({decision.reason})" if decision.reason else ""
            detail = f"{decision.stage} at {decision.at.isoformat()}{why}"
            t.not_accepted.append(self.breach(lead, mql_at, BreachKind.NOT_ACCEPTED, detail))
        elif fb:
            if fb[0].accepted:
                t.accepted += 1
            else:
                t.rejected += 1
                reasons = ", ".join(r.value for r in fb[0].reasons)
                detail = f"negative feedback at {fb[0].at.isoformat()} ({reasons})"
                t.not_accepted.append(self.breach(lead, mql_at, BreachKind.NOT_ACCEPTED, detail))
        else:
            t.undecided.append(lead.id)
        activities = [
            p.at
            for p in lead.touchpoints
            if p.team is Team.SALES and p.kind in self.activities and window.holds(p.at)
        ]
        # a lead rejected before contact owes no follow-up and no attempts, but feedback
        if not rejected:
            first = min(activities, default=None, key=instant)
            if self._timed(lead, window, self.follow_up, first, t.follow_pending):
                t.follow_due += 1
            self._attempts(lead, window, activities, later)
        given = fb[0].at if fb else None
        if self._timed(lead, window, self.feedback_given, given, t.feedback_pending):
            t.feedback_due += 1

    def _timed(
        self,
        lead: Lead,
        window: _Window,
        commitment: _Commitment,
        done_at: datetime | None,
        pending: list[str],
    ) -> bool:
        """Judge one timed commitment; whether it was due (done, or its deadline passed).

        Exactly ``within`` meets the commitment. A commitment not done whose deadline
        is at or after the end of the delivery's window is pending: not due, and listed.
        """
        t, within, start = self.tally, commitment.within, window.start
        if done_at is None:
            waited = self.clock(commitment, start, window.end)
            if waited <= within:
                pending.append(lead.id)
                return False
            if commitment is self.follow_up and lead.id not in t.never:
                t.never.append(lead.id)
            detail = f"no {commitment.name} after {_fmt(waited)} (allowed {_fmt(within)})"
            t.sales.append(
                self.breach(lead, start, commitment.missing, detail, took=waited, allowed=within)
            )
            return True
        took = self.clock(commitment, start, done_at)
        if took <= within:
            if commitment is self.follow_up:
                t.follow_ok += 1
            else:
                t.feedback_ok += 1
        else:
            what = "first follow-up" if commitment is self.follow_up else commitment.name
            detail = f"{what} after {_fmt(took)} (allowed {_fmt(within)})"
            t.sales.append(
                self.breach(lead, start, commitment.late, detail, took=took, allowed=within)
            )
        return True

    def _attempts(
        self, lead: Lead, window: _Window, activities: list[datetime], later: list[Any]
    ) -> None:
        t, needed = self.tally, self.sla.min_attempts
        gave_up = next((c for c in later if c.stage in self.given_up), None)
        tries = (
            len(activities)
            if gave_up is None
            else sum(1 for at in activities if instant(at) <= instant(gave_up.at))
        )
        t.attempts += tries
        if gave_up is None:
            return
        t.given_up += 1
        if tries >= needed:
            t.given_up_ok += 1
        else:
            detail = f"{gave_up.stage} after {tries} attempt(s) (minimum {needed})"
            t.sales.append(self.breach(lead, window.start, BreachKind.TOO_FEW_ATTEMPTS, detail))


def breach_order(b: SlaBreach) -> tuple[int, datetime, str]:
    return (list(BreachKind).index(b.kind), instant(b.mql_at), b.lead_id)
