"""A hand-checked organisation: 32 leads over March and April 2026 in Europe/Berlin.

Every figure salesmark gives about it is worked out by hand in
``tests/test_handchecked_organisation.py``. Berlin changes to summer time on Sunday
29 March at 02:00 (a stay across that night is an hour shorter than its wall clock);
Good Friday (3 April) and Easter Monday (6 April) are holidays of the office calendar
(9:00-17:00, Monday to Friday). Sales reps work from Berlin (``s-ber``), New York
(``s-ny``: UTC-5 until 8 March, UTC-4 after) and Lord Howe Island (``s-lh``: UTC+11
until 5 April, UTC+10:30 after, a 30-minute shift); their calls are recorded in their
own zone, and shown here on the Berlin wall clock. The lifecycle is the demand
waterfall with a fast track from MQL straight to SQL (a skipped stage).

Times are Berlin's; ``in``, ``mql``, ``sal``, ``sql``, ``opp`` are the stages entered.

=====  =================================================  =========  ===========  ==========================================
lead   history                                            value      channel      touches (m: marketing, s: sales)
=====  =================================================  =========  ===========  ==========================================
P1     Feb 10 10:00 in; Feb 11 10:00 mql                  -          web          -
P2     Feb 16 in, 17 mql, 18 sal, 20 sql, 24 opp 10:00;   4,000.00   events       m event Feb 16 10:00
       Mar 10 10:00 won
M01-7  Mar 2, 3, 4, 5, 9, 10, 11 10:00 in                 -          paid_search  m ad click (c-search) at creation; M04-M07
                                                                                  also m download (c-email) at 11:00
Q1     Mar 2 9:00 in, 10:00 mql; Mar 3 10:00 sal;         3,000.01   paid_search  m ad click (c-search) 9:00; s-ny call 12:00
       Mar 5 sql; Mar 9 10:00 opp; Apr 8 10:00 won                                (6:00 New York); m email click (c-email)
                                                                                  Mar 4 10:00
Q2     Mar 3 9:00 in, 10:00 mql; Mar 4 10:00 sql (no      8,000.00   web          m form (c-search) 9:00; s-lh call 11:30
       sal); Mar 12 10:00 opp; nothing since                                      (21:30 Lord Howe)
Q3     Mar 4 9:00 in, 10:00 mql; Mar 6 15:00 recycled;    5,000.00   email        m email click (c-email) Mar 4 9:00; s-ber
       Apr 7 10:00 mql, 16:00 sal; Apr 9 sql;                                     calls Mar 4 13:00 and Apr 7 11:00
       Apr 14 10:00 opp; Apr 28 10:00 lost
Q4     Mar 5 9:00 in, 10:00 mql, 14:00 rejected           -          paid_search  m ad click (c-search) 9:00
Q5     Mar 10 9:00 in, 10:00 mql                          -          web          m form (c-search) 9:00; s LinkedIn request
                                                                                  11:00 (a touch, not an activity)
Q6     Mar 27 15:00 in, 16:00 mql; Mar 30 12:00 sal       -          web          m form (c-search) 15:00; s-ny call Mar 30
                                                                                  10:00 (4:00 New York)
Q7     Mar 16 10:00 created at sql; Mar 18 10:00 opp;     2,000.00   outbound     s-ber call Mar 16 10:00; m email click
       Mar 31 10:00 won                                                           (c-email) Mar 20 10:00
Q8     Mar 9 9:00 in, 10:00 mql, 14:00 sal; Mar 11 sql;   6,000.00   paid_search  m ad click (c-search) 9:00; s-lh call
       Mar 13 10:00 opp; Mar 26 10:00 lost                                        12:00 (22:00 Lord Howe)
Q9     Mar 11 9:00 in, 10:00 mql, 15:00 sal;              -          paid_search  m ad click (c-search) 9:00; s-ber calls
       Mar 18 10:00 disqualified                                                  Mar 11 11:00, Mar 13 11:00, Mar 17 16:00
Q10    Mar 19 9:00 in, 10:00 mql; Mar 23 12:00 sal        -          web          m form (c-search) 9:00; s-ber call
                                                                                  Mar 23 11:00
Q11    Mar 31 14:00 in, 15:00 mql; Apr 1 10:00 sal        -          paid_search  m ad click (c-search) 14:00; s-ny call
                                                                                  Apr 1 9:30 (3:30 New York)
N01-7  Apr 1, 2, 7, 8, 13, 15, 16 10:00 in                -          paid_search  m ad click (c-search) at creation; N05-N07
                                                                                  also m form (c-search) at 11:00
R1     Apr 2 15:00 in, 16:00 mql; Apr 7 12:00 sal         -          web          m form (c-search) 15:00; s-lh call Apr 7
                                                                                  11:00 (19:30 Lord Howe, now UTC+10:30)
R2     Apr 1 9:00 in, 10:00 mql, 15:00 sql (no sal);      2,000.00   web          m form (c-search) 9:00, m webinar
       Apr 9 10:00 opp; Apr 22 10:00 won                                          (c-webinar) 9:30; s-ber call 11:00
R3     Apr 14 9:00 in, 10:00 mql, 13:00 sal; Apr 16 sql;  4,000.00   paid_search  m ad click (c-search) 9:00; s-ber calls
       Apr 20 10:00 opp                                                           Apr 14 12:00, Apr 15 10:00
R4     Apr 30 14:00 in, 15:00 mql                         -          web          m form (c-search) 14:00
R5     Apr 21 10:00 in, 11:00 mql, 12:00 rejected         -          referral     -
=====  =================================================  =========  ===========  ==========================================

Stage changes given without a time are at 10:00.

Feedback from sales (verdict, when): Q1 yes Mar 3 10:00; Q2 yes Mar 5 10:00; Q3 no
Mar 6 15:00, yes Apr 8 9:00; Q4 no Mar 12 10:00; Q6 yes Apr 1 17:00; Q8 yes Mar 10
9:00; Q9 yes Mar 12 10:00; Q10 yes Mar 23 12:00; Q11 yes Apr 2 9:00; R1 yes Apr 7
12:00; R2 yes Apr 1 16:00; R5 no Apr 22 10:00. None on P1, Q5, Q7, R3, R4.

Campaigns: ``c-search`` (paid search) runs 1 March to 1 May on a 14,630.00 budget with
no spend recorded, so its cost is the budget prorated by real time: 743 of 1,463 hours
in March (7,430.00), 720 in April (7,200.00). ``c-email`` runs in March on a 500.00
budget and recorded 150.25 of spend over March: its cost is that. ``c-webinar`` runs in
April and costs nothing.

The SLA: 10 MQLs a month, 90% accepted; a first follow-up within 8 business hours, at
least 2 attempts before giving up, feedback within 5 days on the wall clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from salesmark import (
    DEMAND_WATERFALL,
    Campaign,
    Lead,
    LeadFeedback,
    LeadSource,
    Member,
    Money,
    Organisation,
    Period,
    StageChange,
    Team,
    Touchpoint,
    WorkingCalendar,
)
from salesmark.campaigns import Spend
from salesmark.feedback import FeedbackReason
from salesmark.sla import Clock, ServiceLevelAgreement

__all__ = [
    "HANDCHECKED_CALENDAR",
    "HANDCHECKED_SLA",
    "handchecked_organisation",
]

_BERLIN = ZoneInfo("Europe/Berlin")
_NEW_YORK = ZoneInfo("America/New_York")
_LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
_EUR = "EUR"

HANDCHECKED_CALENDAR = WorkingCalendar(
    timezone="Europe/Berlin", holidays=(date(2026, 4, 3), date(2026, 4, 6))
)
"""The office: 9:00-17:00 Berlin time, Monday to Friday, but Good Friday and Easter Monday."""

HANDCHECKED_SLA = ServiceLevelAgreement(
    id="sla-2026",
    mql_volume=10,
    first_follow_up_within=timedelta(hours=8),
    follow_up_clock=Clock.BUSINESS,
    min_attempts=2,
    feedback_within=timedelta(days=5),
    feedback_clock=Clock.WALL,
)
"""The agreement: 10 MQLs a month; follow-up in 8 business hours; 2 attempts; feedback in 5 days."""

# The reason codes of the moves that need one.
_REASONS = {
    "lost": "price",
    "recycled": "not_ready",
    "rejected": "bad_data",
    "disqualified": "no_budget",
}
_CHANNELS = {"c-search": "paid_search", "c-email": "email", "c-webinar": "events", None: "web"}


def _b(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=_BERLIN)


def _lead(
    ident: str,
    stages: list[tuple[str, datetime]],
    *,
    channel: str,
    value: str | None = None,
    touches: tuple[Touchpoint, ...] = (),
    reasons: dict[str, str] | None = None,
) -> Lead:
    codes = {**_REASONS, **(reasons or {})}
    return Lead(
        id=ident,
        created_at=stages[0][1],
        history=tuple(StageChange(stage=s, at=at, reason=codes.get(s)) for s, at in stages),
        value=None if value is None else Money.of(value, _EUR),
        source=LeadSource(channel=channel),
        touchpoints=touches,
    )


def _m(at: datetime, kind: str, campaign: str | None = None) -> Touchpoint:
    """A marketing touch (on the campaign's channel)."""
    return Touchpoint(
        at=at, channel=_CHANNELS[campaign], kind=kind, team=Team.MARKETING, campaign_id=campaign
    )


def _call(at: datetime, rep: str) -> Touchpoint:
    """A sales call by ``rep``, recorded in the rep's own zone."""
    return Touchpoint(at=at, channel="phone", kind="call", team=Team.SALES, member_id=rep)


def _ber(month: int, day: int, hour: int, minute: int = 0) -> Touchpoint:
    return _call(_b(month, day, hour, minute), "s-ber")


def _ny(month: int, day: int, hour: int, minute: int = 0) -> Touchpoint:
    return _call(datetime(2026, month, day, hour, minute, tzinfo=_NEW_YORK), "s-ny")


def _lh(month: int, day: int, hour: int, minute: int = 0) -> Touchpoint:
    return _call(datetime(2026, month, day, hour, minute, tzinfo=_LORD_HOWE), "s-lh")


def _filler(ident: str, day: datetime, *, engaged: str | None) -> Lead:
    """An inquiry from an ad click; ``engaged`` names a touch an hour later (download or form)."""
    touches = [_m(day, "ad_click", "c-search")]
    if engaged == "content_download":
        touches.append(_m(day + timedelta(hours=1), engaged, "c-email"))
    elif engaged == "form_fill":
        touches.append(_m(day + timedelta(hours=1), engaged, "c-search"))
    return _lead(ident, [("inquiry", day)], channel="paid_search", touches=tuple(touches))


def _leads() -> tuple[Lead, ...]:
    leads: list[Lead] = [
        _lead("P1", [("inquiry", _b(2, 10, 10)), ("mql", _b(2, 11, 10))], channel="web"),
        _lead(
            "P2",
            [("inquiry", _b(2, 16, 10)), ("mql", _b(2, 17, 10)), ("sal", _b(2, 18, 10)),
             ("sql", _b(2, 20, 10)), ("opportunity", _b(2, 24, 10)), ("won", _b(3, 10, 10))],
            channel="events", value="4000.00", touches=(_m(_b(2, 16, 10), "event"),),
        ),
    ]  # fmt: skip
    for n, day in enumerate((2, 3, 4, 5, 9, 10, 11), start=1):
        engaged = "content_download" if n >= 4 else None
        leads.append(_filler(f"M0{n}", _b(3, day, 10), engaged=engaged))
    leads += [
        _lead(
            "Q1",
            [("inquiry", _b(3, 2, 9)), ("mql", _b(3, 2, 10)), ("sal", _b(3, 3, 10)),
             ("sql", _b(3, 5, 10)), ("opportunity", _b(3, 9, 10)), ("won", _b(4, 8, 10))],
            channel="paid_search", value="3000.01",
            touches=(_m(_b(3, 2, 9), "ad_click", "c-search"), _ny(3, 2, 6),
                     _m(_b(3, 4, 10), "email_click", "c-email")),
        ),
        _lead(
            "Q2",
            [("inquiry", _b(3, 3, 9)), ("mql", _b(3, 3, 10)), ("sql", _b(3, 4, 10)),
             ("opportunity", _b(3, 12, 10))],
            channel="web", value="8000.00",
            touches=(_m(_b(3, 3, 9), "form_fill", "c-search"), _lh(3, 3, 21, 30)),
        ),
        _lead(
            "Q3",
            [("inquiry", _b(3, 4, 9)), ("mql", _b(3, 4, 10)), ("recycled", _b(3, 6, 15)),
             ("mql", _b(4, 7, 10)), ("sal", _b(4, 7, 16)), ("sql", _b(4, 9, 10)),
             ("opportunity", _b(4, 14, 10)), ("lost", _b(4, 28, 10))],
            channel="email", value="5000.00",
            touches=(_m(_b(3, 4, 9), "email_click", "c-email"), _ber(3, 4, 13), _ber(4, 7, 11)),
        ),
        _lead(
            "Q4",
            [("inquiry", _b(3, 5, 9)), ("mql", _b(3, 5, 10)), ("rejected", _b(3, 5, 14))],
            channel="paid_search", touches=(_m(_b(3, 5, 9), "ad_click", "c-search"),),
        ),
        _lead(
            "Q5",
            [("inquiry", _b(3, 10, 9)), ("mql", _b(3, 10, 10))],
            channel="web",
            touches=(
                _m(_b(3, 10, 9), "form_fill", "c-search"),
                Touchpoint(at=_b(3, 10, 11), channel="linkedin", kind="linkedin",
                           team=Team.SALES, member_id="s-ber"),
            ),
        ),
        _lead(
            "Q6",
            [("inquiry", _b(3, 27, 15)), ("mql", _b(3, 27, 16)), ("sal", _b(3, 30, 12))],
            channel="web", touches=(_m(_b(3, 27, 15), "form_fill", "c-search"), _ny(3, 30, 4)),
        ),
        _lead(
            "Q7",
            [("sql", _b(3, 16, 10)), ("opportunity", _b(3, 18, 10)), ("won", _b(3, 31, 10))],
            channel="outbound", value="2000.00",
            touches=(_ber(3, 16, 10), _m(_b(3, 20, 10), "email_click", "c-email")),
        ),
        _lead(
            "Q8",
            [("inquiry", _b(3, 9, 9)), ("mql", _b(3, 9, 10)), ("sal", _b(3, 9, 14)),
             ("sql", _b(3, 11, 10)), ("opportunity", _b(3, 13, 10)), ("lost", _b(3, 26, 10))],
            channel="paid_search", value="6000.00", reasons={"lost": "competitor"},
            touches=(_m(_b(3, 9, 9), "ad_click", "c-search"), _lh(3, 9, 22)),
        ),
        _lead(
            "Q9",
            [("inquiry", _b(3, 11, 9)), ("mql", _b(3, 11, 10)), ("sal", _b(3, 11, 15)),
             ("disqualified", _b(3, 18, 10))],
            channel="paid_search",
            touches=(_m(_b(3, 11, 9), "ad_click", "c-search"), _ber(3, 11, 11), _ber(3, 13, 11),
                     _ber(3, 17, 16)),
        ),
        _lead(
            "Q10",
            [("inquiry", _b(3, 19, 9)), ("mql", _b(3, 19, 10)), ("sal", _b(3, 23, 12))],
            channel="web", touches=(_m(_b(3, 19, 9), "form_fill", "c-search"), _ber(3, 23, 11)),
        ),
        _lead(
            "Q11",
            [("inquiry", _b(3, 31, 14)), ("mql", _b(3, 31, 15)), ("sal", _b(4, 1, 10))],
            channel="paid_search",
            touches=(_m(_b(3, 31, 14), "ad_click", "c-search"), _ny(4, 1, 3, 30)),
        ),
    ]  # fmt: skip
    for n, day in enumerate((1, 2, 7, 8, 13, 15, 16), start=1):
        engaged = "form_fill" if n >= 5 else None
        leads.append(_filler(f"N0{n}", _b(4, day, 10), engaged=engaged))
    leads += [
        _lead(
            "R1",
            [("inquiry", _b(4, 2, 15)), ("mql", _b(4, 2, 16)), ("sal", _b(4, 7, 12))],
            channel="web", touches=(_m(_b(4, 2, 15), "form_fill", "c-search"), _lh(4, 7, 19, 30)),
        ),
        _lead(
            "R2",
            [("inquiry", _b(4, 1, 9)), ("mql", _b(4, 1, 10)), ("sql", _b(4, 1, 15)),
             ("opportunity", _b(4, 9, 10)), ("won", _b(4, 22, 10))],
            channel="web", value="2000.00",
            touches=(_m(_b(4, 1, 9), "form_fill", "c-search"),
                     _m(_b(4, 1, 9, 30), "webinar", "c-webinar"), _ber(4, 1, 11)),
        ),
        _lead(
            "R3",
            [("inquiry", _b(4, 14, 9)), ("mql", _b(4, 14, 10)), ("sal", _b(4, 14, 13)),
             ("sql", _b(4, 16, 10)), ("opportunity", _b(4, 20, 10))],
            channel="paid_search", value="4000.00",
            touches=(_m(_b(4, 14, 9), "ad_click", "c-search"), _ber(4, 14, 12), _ber(4, 15, 10)),
        ),
        _lead(
            "R4",
            [("inquiry", _b(4, 30, 14)), ("mql", _b(4, 30, 15))],
            channel="web", touches=(_m(_b(4, 30, 14), "form_fill", "c-search"),),
        ),
        _lead(
            "R5",
            [("inquiry", _b(4, 21, 10)), ("mql", _b(4, 21, 11)), ("rejected", _b(4, 21, 12))],
            channel="referral", reasons={"rejected": "duplicate"},
        ),
    ]  # fmt: skip
    return tuple(leads)


def _feedback() -> tuple[LeadFeedback, ...]:
    yes = [
        ("Q1", "s-ny", _b(3, 3, 10)), ("Q2", "s-lh", _b(3, 5, 10)), ("Q3", "s-ber", _b(4, 8, 9)),
        ("Q6", "s-ny", _b(4, 1, 17)), ("Q8", "s-lh", _b(3, 10, 9)), ("Q9", "s-ber", _b(3, 12, 10)),
        ("Q10", "s-ber", _b(3, 23, 12)), ("Q11", "s-ny", _b(4, 2, 9)), ("R1", "s-lh", _b(4, 7, 12)),
        ("R2", "s-ber", _b(4, 1, 16)),
    ]  # fmt: skip
    no = [
        ("Q3", _b(3, 6, 15), FeedbackReason.TOO_EARLY),
        ("Q4", _b(3, 12, 10), FeedbackReason.BAD_CONTACT_DATA),
        ("R5", _b(4, 22, 10), FeedbackReason.DUPLICATE),
    ]
    return (
        *(LeadFeedback(lead_id=i, member_id=m, at=at, accepted=True) for i, m, at in yes),
        *(
            LeadFeedback(lead_id=i, member_id="s-ber", at=at, accepted=False, reasons=(r,))
            for i, at, r in no
        ),
    )


def handchecked_organisation() -> Organisation:
    """The organisation of this module's table: 32 leads, 3 campaigns, the SLA.

    Example:
        >>> len(handchecked_organisation().leads)
        32
    """
    march = Period.month(2026, 3, _BERLIN)
    campaigns = (
        Campaign(
            id="c-search", name="Search", channel="paid_search", owner_id="m1",
            period=Period.between(_b(3, 1), _b(5, 1)), budget=Money.of("14630.00", _EUR),
        ),
        Campaign(
            id="c-email", name="Nurture e-mails", channel="email", owner_id="m1",
            period=march, budget=Money.of("500.00", _EUR),
            spend=(Spend(period=march, amount=Money.of("150.25", _EUR)),),
        ),
        Campaign(
            id="c-webinar", name="Spring webinar", channel="events", owner_id="m1",
            period=Period.month(2026, 4, _BERLIN), budget=Money.zero(_EUR),
        ),
    )  # fmt: skip
    members = (
        Member(id="m1", name="Mia", team=Team.MARKETING),
        Member(id="s-ber", name="Ben", team=Team.SALES),
        Member(id="s-ny", name="Nora", team=Team.SALES),
        Member(id="s-lh", name="Lou", team=Team.SALES),
    )
    return Organisation(
        name="Handchecked GmbH",
        currency=_EUR,
        lifecycle=DEMAND_WATERFALL.with_transition("mql", "sql"),
        members=members,
        campaigns=campaigns,
        leads=_leads(),
        feedback=_feedback(),
        sla=HANDCHECKED_SLA,
    )
