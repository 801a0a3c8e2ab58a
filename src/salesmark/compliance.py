"""SLA compliance: how both teams kept the service-level agreement over a period.

:func:`sla_compliance` judges every handover of a lead to sales in a period against the
organisation's :class:`~salesmark.sla.ServiceLevelAgreement` and lists every breaching
lead; deadlines run on the wall clock or, when the SLA says so, in business hours of a
:class:`~salesmark.calendars.WorkingCalendar`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._sla_judging import (
    BreachKind,
    Judge,
    SlaBreach,
    Tally,
    breach_order,
    is_unsourced,
    rate,
)
from salesmark._time import instant, require_aware
from salesmark.calendars import WorkingCalendar
from salesmark.errors import ValidationError
from salesmark.feedback import LeadFeedback
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Team

__all__ = [
    "BreachKind",
    "MarketingCompliance",
    "SalesCompliance",
    "SlaBreach",
    "SlaCompliance",
    "sla_compliance",
]


_RATE: Final = rf.exact(Decimal, minimum=0, maximum=1, optional=True)
_AMOUNT: Final = rf.exact(Decimal, minimum=0)


def _pct(rate: Decimal | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.1f}%"


@attrs.frozen(kw_only=True)
class MarketingCompliance:
    """Marketing's side of the SLA over a period.

    Attributes:
        delivered: MQLs handed over in the period.
        committed: MQLs owed over the period.
        volume_met: Whether ``delivered >= committed``.
        accepted: Delivered MQLs sales accepted (moved to SAL, or positive feedback).
        rejected: Delivered MQLs sales rejected, recycled or disqualified straight
            from MQL (or gave negative feedback on, when no stage says otherwise).
        pending: Delivered MQLs with no decision yet.
        undecided: Their lead ids (a lead handed over twice is listed twice).
        acceptance_rate: ``accepted / (accepted + rejected)`` to 4 places, ``None``
            when nothing was decided.
        min_acceptance_rate: The SLA's minimum.
        acceptance_met: Whether the exact rate reaches the minimum (``None`` when
            nothing was decided).
        breaches: The leads not accepted, oldest MQL first.
    """

    delivered: int = attrs.field(validator=v.whole())
    committed: Decimal = attrs.field(validator=_AMOUNT)
    volume_met: bool = attrs.field(validator=v.instance_of(bool))
    accepted: int = attrs.field(validator=v.whole())
    rejected: int = attrs.field(validator=v.whole())
    pending: int = attrs.field(validator=v.whole())
    undecided: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))
    acceptance_rate: Decimal | None = attrs.field(validator=_RATE)
    min_acceptance_rate: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0, maximum=1))
    acceptance_met: bool | None = attrs.field(validator=v.optional_instance_of(bool))
    breaches: tuple[SlaBreach, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(SlaBreach)
    )

    def __attrs_post_init__(self) -> None:
        rf.at_most(self, ("accepted", "delivered"), ("rejected", "delivered"))
        if self.accepted + self.rejected + self.pending != self.delivered:
            msg = (
                f"MarketingCompliance accepted + rejected + pending must be delivered "
                f"({self.delivered}), got {self.accepted} + {self.rejected} + {self.pending}"
            )
            raise ValidationError(msg, path="/pending", value=self.pending)

    @property
    def met(self) -> bool:
        """Whether marketing kept both promises (volume, and acceptance when decided)."""
        return self.volume_met and self.acceptance_met is not False

    def __repr__(self) -> str:
        return (
            f"MarketingCompliance(delivered {self.delivered}/{self.committed}, "
            f"acceptance {_pct(self.acceptance_rate)} vs {_pct(self.min_acceptance_rate)}, "
            f"met={self.met})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One summary row as a plain dict."""
        rows = [
            row(
                team=Team.MARKETING,
                delivered=self.delivered,
                committed=self.committed,
                volume_met=self.volume_met,
                accepted=self.accepted,
                rejected=self.rejected,
                pending=self.pending,
                acceptance_rate=self.acceptance_rate,
                min_acceptance_rate=self.min_acceptance_rate,
                acceptance_met=self.acceptance_met,
                breaches=len(self.breaches),
                met=self.met,
            )
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


@attrs.frozen(kw_only=True)
class SalesCompliance:
    """Sales' side of the SLA over a period.

    Only leads whose deadline has passed at the evaluation time (or whose action
    already happened) are *due*; younger leads are *pending*: left out of the rates
    rather than counted late, and listed.

    Attributes:
        follow_ups_due: MQLs whose first follow-up was due or done (a lead rejected
            before contact owes none).
        followed_up_on_time: Of those, followed up within the committed time.
        follow_up_rate: ``followed_up_on_time / follow_ups_due``, or ``None``.
        follow_up_within: The SLA's follow-up deadline.
        follow_ups_pending: Leads whose follow-up is not done and not yet due.
        given_up: MQLs sales recycled or disqualified.
        given_up_after_min_attempts: Of those, after at least the minimum attempts.
        attempts_rate: ``given_up_after_min_attempts / given_up``, or ``None``.
        min_attempts: The SLA's minimum attempts.
        mean_attempts: Sales activities per delivered MQL (to 2 places), or ``None``.
        attempts: The sales activities counted over the delivered MQLs.
        feedback_due: MQLs whose feedback was due or given.
        feedback_on_time: Of those, with feedback within the committed time.
        feedback_rate: ``feedback_on_time / feedback_due``, or ``None``.
        feedback_within: The SLA's feedback deadline.
        feedback_pending: Leads whose feedback is not given and not yet due.
        breaches: Every breaching lead, by kind then oldest MQL first.
    """

    follow_ups_due: int = attrs.field(validator=v.whole())
    followed_up_on_time: int = attrs.field(validator=v.whole())
    follow_up_rate: Decimal | None = attrs.field(validator=_RATE)
    follow_up_within: timedelta = attrs.field(validator=rf.duration(positive=True))
    follow_ups_pending: tuple[str, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(str)
    )
    given_up: int = attrs.field(validator=v.whole())
    given_up_after_min_attempts: int = attrs.field(validator=v.whole())
    attempts_rate: Decimal | None = attrs.field(validator=_RATE)
    min_attempts: int = attrs.field(validator=v.whole())
    mean_attempts: Decimal | None = attrs.field(
        validator=rf.exact(Decimal, minimum=0, optional=True)
    )
    attempts: int = attrs.field(validator=v.whole())
    feedback_due: int = attrs.field(validator=v.whole())
    feedback_on_time: int = attrs.field(validator=v.whole())
    feedback_rate: Decimal | None = attrs.field(validator=_RATE)
    feedback_within: timedelta = attrs.field(validator=rf.duration(positive=True))
    feedback_pending: tuple[str, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(str)
    )
    breaches: tuple[SlaBreach, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(SlaBreach)
    )

    def __attrs_post_init__(self) -> None:
        rf.at_most(
            self,
            ("followed_up_on_time", "follow_ups_due"),
            ("given_up_after_min_attempts", "given_up"),
            ("feedback_on_time", "feedback_due"),
        )

    @property
    def met(self) -> bool:
        """Whether sales kept every promise on every due lead."""
        return not self.breaches

    def __repr__(self) -> str:
        return (
            f"SalesCompliance(follow-up {_pct(self.follow_up_rate)} of {self.follow_ups_due}, "
            f"attempts {_pct(self.attempts_rate)} of {self.given_up}, "
            f"feedback {_pct(self.feedback_rate)} of {self.feedback_due}, met={self.met})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One summary row as a plain dict."""
        rows = [
            row(
                team=Team.SALES,
                follow_ups_due=self.follow_ups_due,
                followed_up_on_time=self.followed_up_on_time,
                follow_up_rate=self.follow_up_rate,
                given_up=self.given_up,
                given_up_after_min_attempts=self.given_up_after_min_attempts,
                attempts_rate=self.attempts_rate,
                mean_attempts=self.mean_attempts,
                feedback_due=self.feedback_due,
                feedback_on_time=self.feedback_on_time,
                feedback_rate=self.feedback_rate,
                breaches=len(self.breaches),
                met=self.met,
            )
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


@attrs.frozen(kw_only=True)
class SlaCompliance:
    """Both sides of the SLA over a period, with every breaching lead.

    Attributes:
        sla: The agreement evaluated.
        period: The period whose MQLs were judged.
        at: The evaluation time: deadlines not passed by then are not breaches yet.
        calendar: The working calendar used, or ``None`` when the SLA runs on elapsed time.
        marketing: Marketing's side.
        sales: Sales' side.
        never_followed_up: MQLs of the period with no sales touch by ``at`` although
            the follow-up deadline has passed.
        unsourced: Leads created in the period with no known source (no UTM source,
            medium, channel or campaign): the "clicks and calls, but sales had no clue
            where they came from" case.
    """

    sla: ServiceLevelAgreement = attrs.field(validator=v.instance_of(ServiceLevelAgreement))
    period: Period = attrs.field(validator=v.instance_of(Period))
    at: datetime = attrs.field(validator=v.aware)
    calendar: WorkingCalendar | None = attrs.field(
        validator=v.optional_instance_of(WorkingCalendar)
    )
    marketing: MarketingCompliance = attrs.field(validator=v.instance_of(MarketingCompliance))
    sales: SalesCompliance = attrs.field(validator=v.instance_of(SalesCompliance))
    never_followed_up: tuple[str, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(str)
    )
    unsourced: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))

    @property
    def breaches(self) -> tuple[SlaBreach, ...]:
        """Every breach, marketing's first."""
        return self.marketing.breaches + self.sales.breaches

    def __repr__(self) -> str:
        clock = "business hours" if self.calendar is not None else "elapsed time"
        return (
            f"SlaCompliance({self.sla.id!r}, {self.period.start.date()}..{self.period.end.date()}, "
            f"{clock}: marketing met={self.marketing.met}, sales met={self.sales.met}, "
            f"{len(self.breaches)} breaches, {len(self.never_followed_up)} never followed up, "
            f"{len(self.unsourced)} unsourced)"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per breach (see :meth:`SlaBreach.to_records`)."""
        return [r for b in self.breaches for r in b.to_records(exact=exact)]

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html

    @classmethod
    def merge(cls, parts: Iterable[SlaCompliance]) -> SlaCompliance:
        """The compliance of an organisation from that of parts of its leads (k at once).

        Each part must be judged against the same SLA, period, evaluation time and
        calendar, and hold the feedback on its own leads. The counts add and the rates
        are worked out again from them; the breaches come in their usual order; the
        lists of leads (pending, never followed up, unsourced) are joined in the order
        of the parts, so parts that are consecutive slices of the leads give exactly
        the compliance of the whole. The empty value is the compliance of the
        organisation with no leads.

        Raises:
            ValidationError: If there is no part, or the parts were judged against
                different SLAs, periods, times or calendars.

        Example:
            >>> from salesmark import Organisation
            >>> org = Organisation(name="Acme", currency="EUR", sla=ServiceLevelAgreement(id="s", mql_volume=2))
            >>> empty = sla_compliance(org, Period.month(2026, 3))
            >>> SlaCompliance.merge([empty, empty]) == empty
            True
        """
        items = v.argument_items(parts, "SlaCompliance.merge parts", cls)
        if not items:
            msg = "SlaCompliance.merge needs at least one part; the empty value is the compliance of the organisation with no leads"
            raise ValidationError(msg)
        first = items[0]
        for other in items[1:]:
            for name in ("sla", "period", "at", "calendar"):
                if getattr(other, name) != getattr(first, name):
                    msg = f"SlaCompliance.merge parts must share one {name}, got {getattr(first, name)!r} and {getattr(other, name)!r}"
                    raise ValidationError(msg)
        tally = Tally()
        for part in items:
            m, s = part.marketing, part.sales
            tally.delivered += m.delivered
            tally.accepted += m.accepted
            tally.rejected += m.rejected
            tally.follow_due += s.follow_ups_due
            tally.follow_ok += s.followed_up_on_time
            tally.given_up += s.given_up
            tally.given_up_ok += s.given_up_after_min_attempts
            tally.attempts += s.attempts
            tally.feedback_due += s.feedback_due
            tally.feedback_ok += s.feedback_on_time
            tally.not_accepted += m.breaches
            tally.sales += s.breaches
            tally.never += part.never_followed_up
            tally.undecided += m.undecided
            tally.follow_pending += s.follow_ups_pending
            tally.feedback_pending += s.feedback_pending
        return _report(
            tally,
            sla=first.sla,
            period=first.period,
            at=first.at,
            calendar=first.calendar,
            unsourced=[lead for part in items for lead in part.unsourced],
        )


def sla_compliance(
    org: Organisation,
    period: Period,
    *,
    sla: ServiceLevelAgreement | None = None,
    calendar: WorkingCalendar | None = None,
    at: datetime | None = None,
) -> SlaCompliance:
    """Measure both sides of the organisation's SLA over the MQLs handed over in ``period``.

    Every entry into the lifecycle's handover stage (:attr:`Lifecycle.handover`,
    ``mql`` in the demand waterfall) that falls in ``period`` and strictly before ``at``
    is a delivery, judged on its own with its own SLA clock starting at that moment: a
    lead recycled and handed over again is delivered again. A delivery lasts until the
    lead is next handed over; stage changes, sales activities and feedback from then on
    belong to the next delivery. Only what happened strictly before ``at`` counts
    (periods are half-open: by default ``at`` is the period's end).

    * **Acceptance**: the stage right after the handover decides: a later stage of the
      progression accepts (``sal``; in HubSpot's lifecycle ``salesqualifiedlead``),
      a stage off it (``rejected``, ``recycled``, ``disqualified``; HubSpot's
      ``other``) does not; without one, sales' first feedback decides; otherwise the
      delivery is pending.
    * **Follow-up**: the first sales *activity* at or after the handover: a sales
      touchpoint whose kind is one of the organisation's
      :attr:`~salesmark.organisation.Organisation.sales_activities` (call, email,
      meeting, demo by default; a LinkedIn connection request is a touch, not a
      follow-up). A lead sales rejected before contact (the lifecycle's
      :attr:`~salesmark.lifecycle.Lifecycle.rejection` stage, ``rejected`` in the
      demand waterfall) owes no follow-up.
    * **Attempts**: sales activities between the handover and the lead entering one of
      the lifecycle's :attr:`~salesmark.lifecycle.Lifecycle.given_up` stages
      (``recycled`` or ``disqualified``; HubSpot's ``other``); only deliveries sales
      gave up on can breach the minimum, and a lead rejected before contact owes none.
    * **Feedback**: sales' first :class:`~salesmark.feedback.LeadFeedback` on the lead
      at or after the handover; every delivery owes it, rejected ones too.

    Thresholds are inclusive: exactly 24 hours meets a 24-hour commitment. A commitment
    not kept whose deadline is at or after ``at`` (or the lead's next handover) is
    *pending*: no breach, out of the rate's denominator, and listed.
    Each commitment has its own clock (:class:`~salesmark.sla.Clock`): on the wall
    clock, or in working time of ``calendar`` (by default Monday to Friday,
    9:00-17:00 in the period's zone, see :meth:`WorkingCalendar.around`), where the
    SLA's durations are working time too: 24 hours to follow up means three 8-hour
    working days.

    Args:
        org: The organisation; its leads and feedback are judged, its lifecycle names
            the handover stage.
        period: The period whose MQLs are judged; unsourced leads are those created in it.
        sla: The agreement; the organisation's own by default.
        calendar: The working calendar for business hours.
        at: The evaluation time (timezone-aware); ``period.end`` by default.

    Returns:
        Both sides' compliance, every breach, the leads never followed up and the
        unsourced leads.

    Raises:
        NaiveDatetime: If ``at`` has no timezone.
        ValidationError: If ``org`` is not an Organisation, ``period`` not a Period,
            ``calendar`` not a WorkingCalendar (or None), or no SLA is given and the
            organisation has none.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, LeadSource, Organisation, Stage, Touchpoint, TouchpointKind
        >>> t = datetime(2026, 3, 6, 18, tzinfo=timezone.utc)  # a Friday evening
        >>> lead = Lead.create(id="L1", created_at=t, source=LeadSource(channel="paid_search"))
        >>> lead = lead.advance(Stage.MQL, at=t)
        >>> from salesmark.sla import Clock
        >>> sla = ServiceLevelAgreement(id="sla", mql_volume=1, first_follow_up_within=timedelta(hours=8), follow_up_clock=Clock.BUSINESS)
        >>> org = Organisation(name="Acme", currency="EUR", sla=sla, leads=[lead])
        >>> report = sla_compliance(org, Period.month(2026, 3), at=datetime(2026, 3, 9, 12, tzinfo=timezone.utc))
        >>> report.sales.follow_ups_due, report.never_followed_up  # 3 business hours by Monday noon
        (0, ())
        >>> report = sla_compliance(org, Period.month(2026, 3), at=datetime(2026, 3, 10, 12, tzinfo=timezone.utc))
        >>> report.never_followed_up, report.sales.breaches[0].detail
        (('L1',), 'no follow-up after 11h (allowed 8h)')

        With the default 24 hours in business hours, a lead handed over on Monday at
        9:00 and called on Thursday at 10:00 is 25 working hours late (73 on the wall clock):

        >>> monday = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> call = Touchpoint(at=datetime(2026, 3, 5, 10, tzinfo=timezone.utc), channel="phone", kind=TouchpointKind.CALL, team=Team.SALES)
        >>> lead = Lead.create(id="L2", created_at=monday, touchpoints=[call]).advance(Stage.MQL, at=monday)
        >>> office = ServiceLevelAgreement(id="sla", mql_volume=1, follow_up_clock=Clock.BUSINESS)
        >>> org = Organisation(name="Acme", currency="EUR", sla=office, leads=[lead])
        >>> sla_compliance(org, Period.month(2026, 3)).sales.breaches[0].detail
        'first follow-up after 25h (allowed 24h)'
    """
    v.require(org, Organisation, "sla_compliance org")
    v.require(period, Period, "sla_compliance period")
    chosen = org.sla if sla is None else sla
    if chosen is None:
        msg = f"sla_compliance needs an SLA: organisation {org.name!r} has none and sla=None"
        raise ValidationError(msg)
    sla = v.require(chosen, ServiceLevelAgreement, "sla_compliance sla")
    v.require_optional(calendar, WorkingCalendar, "sla_compliance calendar")
    lifecycle = org.lifecycle
    all_leads, all_feedback = org.leads, org.feedback
    when = period.end if at is None else require_aware(at, "sla_compliance at")
    cal: WorkingCalendar | None = None
    if sla.uses_business_hours:
        cal = WorkingCalendar.around(period.start) if calendar is None else calendar
    by_lead: dict[str, list[LeadFeedback]] = {}
    for item in all_feedback:
        by_lead.setdefault(item.lead_id, []).append(item)
    for items in by_lead.values():
        items.sort(key=lambda f: instant(f.at))
    handover = lifecycle.handover
    judge = Judge(
        sla, at=when, calendar=cal, feedback=by_lead, lifecycle=lifecycle,
        activities=org.sales_activities,
    )  # fmt: skip
    unsourced: list[str] = []
    until = instant(when)
    for lead in all_leads:
        if period.contains(lead.created_at) and is_unsourced(lead):
            unsourced.append(lead.id)
        entries = [i for i, c in enumerate(lead.history) if c.stage == handover]
        for n, index in enumerate(entries):
            mql_at = lead.history[index].at
            if period.contains(mql_at) and instant(mql_at) < until:
                judge.judge(lead, index, entries[n + 1] if n + 1 < len(entries) else None)
    return _report(judge.tally, sla=sla, period=period, at=when, calendar=cal, unsourced=unsourced)


def _report(
    t: Tally,
    *,
    sla: ServiceLevelAgreement,
    period: Period,
    at: datetime,
    calendar: WorkingCalendar | None,
    unsourced: list[str],
) -> SlaCompliance:
    """Both sides' compliance from what the deliveries added up to."""
    decided = t.accepted + t.rejected
    marketing = MarketingCompliance(
        delivered=t.delivered,
        committed=sla.committed_volume(period),
        volume_met=t.delivered >= sla.owed(period),
        accepted=t.accepted,
        rejected=t.rejected,
        pending=t.delivered - decided,
        undecided=tuple(t.undecided),
        acceptance_rate=rate(t.accepted, decided),
        min_acceptance_rate=sla.min_acceptance_rate,
        acceptance_met=None if decided == 0 else t.accepted >= sla.min_acceptance_rate * decided,
        breaches=tuple(sorted(t.not_accepted, key=breach_order)),
    )
    sales = SalesCompliance(
        follow_ups_due=t.follow_due,
        followed_up_on_time=t.follow_ok,
        follow_up_rate=rate(t.follow_ok, t.follow_due),
        follow_up_within=sla.first_follow_up_within,
        follow_ups_pending=tuple(t.follow_pending),
        given_up=t.given_up,
        given_up_after_min_attempts=t.given_up_ok,
        attempts_rate=rate(t.given_up_ok, t.given_up),
        min_attempts=sla.min_attempts,
        mean_attempts=None
        if t.delivered == 0
        else (Decimal(t.attempts) / Decimal(t.delivered)).quantize(Decimal("0.01")),
        attempts=t.attempts,
        feedback_due=t.feedback_due,
        feedback_on_time=t.feedback_ok,
        feedback_rate=rate(t.feedback_ok, t.feedback_due),
        feedback_within=sla.feedback_within,
        feedback_pending=tuple(t.feedback_pending),
        breaches=tuple(sorted(t.sales, key=breach_order)),
    )
    return SlaCompliance(
        sla=sla,
        period=period,
        at=at,
        calendar=calendar,
        marketing=marketing,
        sales=sales,
        never_followed_up=tuple(t.never),
        unsourced=tuple(unsourced),
    )
