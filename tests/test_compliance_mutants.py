"""SLA compliance, sharpened: every record field, every boundary one step either side.

Each test pins down a behaviour that a small change to ``salesmark.compliance`` or its
judge (an operator flipped, a field dropped from a record, a constant moved by one) would
otherwise leave unnoticed. The SLA is the one of ``test_compliance``: 4 MQLs a month,
90% accepted, first follow-up within 24 hours, 2 attempts, feedback within 48 hours.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from salesmark import Money
from salesmark.calendars import WorkingCalendar
from salesmark.campaigns import Campaign
from salesmark.compliance import SlaCompliance, sla_compliance
from salesmark.errors import ValidationError
from salesmark.feedback import FeedbackReason, LeadFeedback
from salesmark.leads import Lead, LeadSource
from salesmark.lifecycle import DEMAND_WATERFALL
from salesmark.period import Period
from salesmark.sla import Clock, ServiceLevelAgreement
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint, TouchpointKind
from strategies import FLAT, organisation_of
from test_compliance import MARCH, SLA, feedback, judge, kinds, leads, mql, t

UTC = timezone.utc
MICROSECOND = timedelta(microseconds=1)
SECOND = timedelta(seconds=1)


def touch(
    at: datetime, kind: TouchpointKind = TouchpointKind.CALL, team: Team = Team.SALES
) -> Touchpoint:
    return Touchpoint(at=at, channel="phone", kind=kind, team=team, member_id="s1")


def with_touches(lead: Lead, *touches: Touchpoint) -> Lead:
    return attrs.evolve(lead, touchpoints=(*lead.touchpoints, *touches))


def note(lead_id: str, at: datetime, *, accepted: bool = True) -> LeadFeedback:
    reasons = () if accepted else (FeedbackReason.TOO_SMALL,)
    return LeadFeedback(lead_id=lead_id, member_id="s1", at=at, accepted=accepted, reasons=reasons)


class TestRecords:
    def test_marketing_record_by_hand(self) -> None:
        """The fixture's marketing row: 6 delivered of 4 owed, 3 accepted of 4 decided (75% < 90%)."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        assert [
            {
                "team": "marketing",
                "delivered": 6,
                "committed": 4.0,
                "volume_met": True,
                "accepted": 3,
                "rejected": 1,
                "pending": 2,
                "acceptance_rate": 0.75,
                "min_acceptance_rate": 0.9,
                "acceptance_met": False,
                "breaches": 1,
                "met": False,
            }
        ] == report.marketing.to_records()

    def test_sales_record_by_hand(self) -> None:
        """The fixture's sales row: 2 of 4 follow-ups, 0 of 1 give-ups, 2 of 5 feedbacks on time."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        assert [
            {
                "team": "sales",
                "follow_ups_due": 4,
                "followed_up_on_time": 2,
                "follow_up_rate": 0.5,
                "given_up": 1,
                "given_up_after_min_attempts": 0,
                "attempts_rate": 0.0,
                "mean_attempts": 0.5,  # 3 calls over 6 deliveries
                "feedback_due": 5,
                "feedback_on_time": 2,
                "feedback_rate": 0.4,
                "breaches": 6,
                "met": False,
            }
        ] == report.sales.to_records()

    def test_exact_records_keep_decimals(self) -> None:
        """With exact=True the rates stay Decimals."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        row = report.sales.to_records(exact=True)[0]
        assert {"follow_up_rate": Decimal("0.5000"), "mean_attempts": Decimal("0.50")} == {
            "follow_up_rate": row["follow_up_rate"],
            "mean_attempts": row["mean_attempts"],
        }
        assert Decimal("0.7500") == report.marketing.to_records(exact=True)[0]["acceptance_rate"]

    def test_breach_records_by_hand(self) -> None:
        """D's breach is marketing's, untimed; B's late follow-up took 64 of 24 hours."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        assert [
            {
                "lead_id": "D",
                "kind": "not_accepted",
                "team": "marketing",
                "owner_id": "s1",
                "mql_at": t(11, 9),
                "elapsed_hours": None,
                "allowed_hours": None,
                "detail": "rejected at 2026-03-11T12:00:00+00:00 (mis_routed)",
            },
            {
                "lead_id": "B",
                "kind": "late_follow_up",
                "team": "sales",
                "owner_id": "s1",
                "mql_at": t(6, 18),
                "elapsed_hours": 64.0,
                "allowed_hours": 24.0,
                "detail": "first follow-up after 64h (allowed 24h)",
            },
        ] == report.to_records()[:2]

    def test_a_breach_reads_in_one_line(self) -> None:
        """A breach's repr names the lead, the kind and what happened."""
        breach = judge(SLA, leads(), MARCH, feedback=feedback()).breaches[0]
        assert (
            "SlaBreach('D', not_accepted: rejected at 2026-03-11T12:00:00+00:00 (mis_routed))"
            == repr(breach)
        )


class TestOneLineSummaries:
    def test_nothing_decided_reads_n_a(self) -> None:
        """With no MQL every rate reads n/a, and sales, owing nothing, met the SLA."""
        report = judge(SLA, (), MARCH)
        assert {
            "marketing": "MarketingCompliance(delivered 0/4, acceptance n/a vs 90.0%, met=False)",
            "sales": "SalesCompliance(follow-up n/a of 0, attempts n/a of 0, feedback n/a of 0, met=True)",
            "report": "SlaCompliance('sla', 2026-03-01..2026-04-01, elapsed time: marketing met=False, "
            "sales met=True, 0 breaches, 0 never followed up, 0 unsourced)",
        } == {
            "marketing": repr(report.marketing),
            "sales": repr(report.sales),
            "report": repr(report),
        }

    def test_business_hours_are_named(self) -> None:
        """A report judged in business hours says so."""
        sla = attrs.evolve(SLA, follow_up_clock=Clock.BUSINESS)
        assert repr(judge(sla, (), MARCH)).startswith(
            "SlaCompliance('sla', 2026-03-01..2026-04-01, business hours: "
        )

    def test_a_rate_reads_to_one_decimal_place(self) -> None:
        """2 of 3 accepted is 0.6667, shown as 66.7%."""
        leads_ = [
            mql("A", t(2, 10)).advance("sal", at=t(2, 11)),
            mql("B", t(2, 10)).advance("sal", at=t(2, 11)),
            mql("C", t(2, 10)).advance("rejected", at=t(2, 11), reason="mis_routed"),
        ]
        m = judge(SLA, leads_, MARCH, at=t(2, 12)).marketing
        assert (
            Decimal("0.6667"),
            "MarketingCompliance(delivered 3/4, acceptance 66.7% vs 90.0%, met=False)",
        ) == (
            m.acceptance_rate,
            repr(m),
        )


class TestThresholds:
    def test_the_volume_owed_exactly_is_met(self) -> None:
        """Four MQLs against four owed meet the volume; three do not."""
        four = [mql(f"L{i}", t(2, 10)) for i in range(4)]
        assert (True, False) == (
            judge(SLA, four, MARCH).marketing.volume_met,
            judge(SLA, four[:3], MARCH).marketing.volume_met,
        )

    def test_the_acceptance_minimum_exactly_is_met(self) -> None:
        """9 of 10 accepted is exactly 90%: met; 8 of 9 (88.9%) is not."""
        accepted = [mql(f"A{i}", t(2, 10)).advance("sal", at=t(2, 11)) for i in range(9)]
        rejected = [mql("R", t(2, 10)).advance("rejected", at=t(2, 11), reason="mis_routed")]
        assert (True, False) == (
            judge(SLA, accepted + rejected, MARCH).marketing.acceptance_met,
            judge(SLA, accepted[:8] + rejected, MARCH).marketing.acceptance_met,
        )

    def test_mean_attempts_to_two_places(self) -> None:
        """One call over three deliveries is 0.33 attempts each."""
        leads_ = [mql("A", t(2, 10), calls=(t(2, 11),)), mql("B", t(2, 10)), mql("C", t(2, 10))]
        s = judge(SLA, leads_, MARCH).sales
        assert (Decimal("0.33"), 1) == (s.mean_attempts, s.attempts)

    def test_the_minimum_attempts_exactly_is_met(self) -> None:
        """Recycled after exactly two calls meets a minimum of two; after one does not."""
        two = mql("TWO", t(2, 10), calls=(t(2, 11), t(2, 12))).advance(
            "recycled", at=t(3, 9), reason="no_response"
        )
        one = mql("ONE", t(2, 10), calls=(t(2, 11),)).advance(
            "recycled", at=t(3, 9), reason="no_response"
        )
        s = judge(SLA, [two, one], MARCH).sales
        assert {"given_up": 2, "ok": 1, "breaches": [("too_few_attempts", "ONE")]} == {
            "given_up": s.given_up,
            "ok": s.given_up_after_min_attempts,
            "breaches": [k for k in kinds(s.breaches) if k[0] == "too_few_attempts"],
        }

    def test_a_call_at_the_instant_of_giving_up_is_an_attempt(self) -> None:
        """The second call at the very instant the lead is recycled still counts; one after it does not."""
        at_once = mql("AT", t(2, 10), calls=(t(2, 11), t(3, 9))).advance(
            "recycled", at=t(3, 9), reason="no_response"
        )
        after = mql("AFTER", t(2, 10), calls=(t(2, 11), t(3, 9) + MICROSECOND)).advance(
            "recycled", at=t(3, 9), reason="no_response"
        )
        s = judge(SLA, [at_once, after], MARCH).sales
        assert {"ok": 1, "attempts": 3, "breach": "recycled after 1 attempt(s) (minimum 2)"} == {
            "ok": s.given_up_after_min_attempts,
            "attempts": s.attempts,
            "breach": next(b.detail for b in s.breaches if b.kind.value == "too_few_attempts"),
        }


class TestDeadlines:
    def test_a_follow_up_not_done_when_its_deadline_is_at_is_pending(self) -> None:
        """Evaluated exactly 24 hours after the MQL, a lead not called is pending, not late."""
        report = judge(SLA, [mql("P", t(2, 10))], MARCH, at=t(3, 10))
        assert {"due": 0, "pending": ("P",), "never": (), "breaches": []} == {
            "due": report.sales.follow_ups_due,
            "pending": report.sales.follow_ups_pending,
            "never": report.never_followed_up,
            "breaches": kinds(report.sales.breaches),
        }

    def test_a_follow_up_not_done_one_microsecond_after_its_deadline_is_missing(self) -> None:
        """A microsecond past the 24 hours, the lead is due, never followed up, and a breach."""
        report = judge(SLA, [mql("P", t(2, 10))], MARCH, at=t(3, 10) + MICROSECOND)
        breach = report.sales.breaches[0]
        assert {
            "due": 1,
            "pending": (),
            "never": ("P",),
            "kind": "no_follow_up",
            "elapsed": timedelta(hours=24, microseconds=1),
            "allowed": timedelta(hours=24),
            "detail": "no follow-up after 24h (allowed 24h)",
        } == {
            "due": report.sales.follow_ups_due,
            "pending": report.sales.follow_ups_pending,
            "never": report.never_followed_up,
            "kind": breach.kind.value,
            "elapsed": breach.elapsed,
            "allowed": breach.allowed,
            "detail": breach.detail,
        }

    def test_feedback_not_given_at_its_deadline_is_pending_then_missing(self) -> None:
        """Exactly 48 hours without feedback is pending; a microsecond more is a breach."""
        lead = mql("P", t(2, 10), calls=(t(2, 11),))
        on = judge(SLA, [lead], MARCH, at=t(4, 10)).sales
        late = judge(SLA, [lead], MARCH, at=t(4, 10) + MICROSECOND).sales
        assert {"on": (0, ("P",), []), "late": (1, (), [("no_feedback", "P")])} == {
            "on": (on.feedback_due, on.feedback_pending, kinds(on.breaches)),
            "late": (late.feedback_due, late.feedback_pending, kinds(late.breaches)),
        }

    def test_late_feedback_names_its_time(self) -> None:
        """Feedback 50 hours after the MQL is late against 48."""
        lead = mql("L", t(2, 10), calls=(t(2, 11),))
        s = judge(SLA, [lead], MARCH, feedback=[note("L", t(4, 12))]).sales
        breach = s.breaches[0]
        assert {
            "kind": "late_feedback",
            "elapsed": timedelta(hours=50),
            "allowed": timedelta(hours=48),
            "detail": "feedback after 50h (allowed 48h)",
            "due": 1,
            "on_time": 0,
            "follow_ok": 1,
        } == {
            "kind": breach.kind.value,
            "elapsed": breach.elapsed,
            "allowed": breach.allowed,
            "detail": breach.detail,
            "due": s.feedback_due,
            "on_time": s.feedback_on_time,
            "follow_ok": s.followed_up_on_time,
        }

    def test_a_lead_never_followed_up_twice_is_listed_once(self) -> None:
        """Handed over twice and never called, a lead breaches twice but is listed once."""
        lead = (
            mql("N", t(2, 10))
            .advance("recycled", at=t(5, 10), reason="no_response")
            .advance("mql", at=t(9, 10))
        )
        report = judge(SLA, [lead], MARCH)
        assert (("N",), [("no_follow_up", "N"), ("no_follow_up", "N")]) == (
            report.never_followed_up,
            [k for k in kinds(report.sales.breaches) if k[0] == "no_follow_up"],
        )

    def test_a_missing_follow_up_waits_only_until_the_next_handover(self) -> None:
        """Recycled without a call and handed over again 30 hours later: the first delivery waited 72h, no more."""
        lead = (
            mql("N", t(2, 10))
            .advance("recycled", at=t(3, 9), reason="no_response")
            .advance("mql", at=t(5, 10))
        )
        report = judge(SLA, [lead], MARCH, at=t(5, 12))
        assert [("no_follow_up", timedelta(hours=72))] == [
            (b.kind.value, b.elapsed)
            for b in report.sales.breaches
            if b.kind.value == "no_follow_up"
        ]


class TestWindows:
    def test_a_call_at_the_handover_instant_is_a_follow_up_in_no_time(self) -> None:
        """A call at the very instant of the MQL belongs to the delivery and takes 0 hours."""
        report = judge(SLA, [mql("Z", t(2, 10), calls=(t(2, 10),))], MARCH)
        assert (1, 1) == (report.sales.follow_ups_due, report.sales.followed_up_on_time)

    def test_a_call_before_the_handover_is_no_follow_up(self) -> None:
        """A call a microsecond before the MQL belongs to no delivery."""
        report = judge(SLA, [mql("Z", t(2, 10), calls=(t(2, 10) - MICROSECOND,))], MARCH)
        assert (("Z",), 0) == (report.never_followed_up, report.sales.attempts)

    def test_a_call_at_the_evaluation_instant_does_not_count(self) -> None:
        """Evaluated at 12:00, a call at 12:00 has not happened yet; one at 11:59 has."""
        late = judge(SLA, [mql("Z", t(2, 10), calls=(t(2, 12),))], MARCH, at=t(2, 12)).sales
        early = judge(
            SLA, [mql("Z", t(2, 10), calls=(t(2, 12) - MICROSECOND,))], MARCH, at=t(2, 12)
        ).sales
        assert {"late": (0, ("Z",), 0), "early": (1, (), 1)} == {
            "late": (late.follow_ups_due, late.follow_ups_pending, late.attempts),
            "early": (early.follow_ups_due, early.follow_ups_pending, early.attempts),
        }

    def test_a_call_at_the_next_handover_belongs_to_the_next_delivery(self) -> None:
        """Recycled and handed over again at noon on the 5th, a call at that noon answers the second delivery."""
        lead = with_touches(
            mql("R", t(2, 10))
            .advance("recycled", at=t(3, 9), reason="no_response")
            .advance("mql", at=t(5, 12)),
            touch(t(5, 12)),
        )
        report = judge(SLA, [lead], MARCH)
        assert {"due": 2, "on_time": 1, "late": [("no_follow_up", "R")]} == {
            "due": report.sales.follow_ups_due,
            "on_time": report.sales.followed_up_on_time,
            "late": [k for k in kinds(report.sales.breaches) if k[0].endswith("follow_up")],
        }

    def test_only_sales_activities_follow_up(self) -> None:
        """A marketing call and a sales email open are no follow-up; a sales email is."""
        quiet = with_touches(
            mql("Q", t(2, 10)),
            touch(t(2, 11), team=Team.MARKETING),
            touch(t(2, 12), kind=TouchpointKind.EMAIL_OPEN),
        )
        emailed = with_touches(mql("E", t(2, 10)), touch(t(2, 11), kind=TouchpointKind.EMAIL))
        report = judge(SLA, [quiet, emailed], MARCH)
        assert (("Q",), 1) == (report.never_followed_up, report.sales.followed_up_on_time)


class TestAcceptance:
    def test_recycled_straight_from_mql_is_not_accepted_but_owes_a_follow_up(self) -> None:
        """Recycled (not rejected) at once: not accepted, and still owes its follow-up and attempts."""
        lead = mql("Y", t(2, 10)).advance("recycled", at=t(2, 11), reason="no_response")
        report = judge(SLA, [lead], MARCH)
        assert {
            "rejected": 1,
            "detail": "recycled at 2026-03-02T11:00:00+00:00 (no_response)",
            "follow_ups_due": 1,
            "given_up": 1,
        } == {
            "rejected": report.marketing.rejected,
            "detail": report.marketing.breaches[0].detail,
            "follow_ups_due": report.sales.follow_ups_due,
            "given_up": report.sales.given_up,
        }

    def test_rejected_at_once_owes_no_follow_up(self) -> None:
        """Rejected before contact: no follow-up, no attempts, but feedback is owed."""
        lead = mql("Y", t(2, 10)).advance("rejected", at=t(2, 11), reason="mis_routed")
        report = judge(SLA, [lead], MARCH)
        assert {"follow": 0, "pending": (), "never": (), "given_up": 0, "feedback": 1} == {
            "follow": report.sales.follow_ups_due,
            "pending": report.sales.follow_ups_pending,
            "never": report.never_followed_up,
            "given_up": report.sales.given_up,
            "feedback": report.sales.feedback_due,
        }

    def test_positive_feedback_accepts_when_no_stage_decides(self) -> None:
        """Still an MQL with positive feedback: accepted, not pending."""
        lead = mql("Y", t(2, 10), calls=(t(2, 11),))
        m = judge(SLA, [lead], MARCH, feedback=[note("Y", t(2, 12))]).marketing
        assert (1, 0, 0, ()) == (m.accepted, m.rejected, m.pending, m.undecided)

    def test_the_first_feedback_decides(self) -> None:
        """Negative then positive feedback: the first, negative, decides and dates the feedback."""
        lead = mql("Y", t(2, 10), calls=(t(2, 11),))
        notes = [note("Y", t(3, 12)), note("Y", t(2, 12), accepted=False)]
        report = judge(SLA, [lead], MARCH, feedback=notes)
        assert {
            "rejected": 1,
            "detail": "negative feedback at 2026-03-02T12:00:00+00:00 (too_small)",
            "feedback_on_time": 1,
        } == {
            "rejected": report.marketing.rejected,
            "detail": report.marketing.breaches[0].detail,
            "feedback_on_time": report.sales.feedback_on_time,
        }

    def test_no_decision_is_pending_and_listed(self) -> None:
        """An MQL with neither a stage nor feedback after it is undecided."""
        m = judge(SLA, [mql("U", t(2, 10))], MARCH).marketing
        assert (0, 0, 1, ("U",)) == (m.accepted, m.rejected, m.pending, m.undecided)


class TestUnsourced:
    @pytest.mark.parametrize(
        "source",
        [LeadSource(source="google"),
         LeadSource(medium="cpc"),
         LeadSource(channel="paid_search"),
         LeadSource(campaign_id="c1")],
    )  # fmt: skip
    def test_any_one_source_field_makes_a_lead_sourced(self, source: LeadSource) -> None:
        """A lead with only a source, medium, channel or campaign is sourced."""
        campaign = Campaign(
            id="c1",
            name="Spring",
            channel="email",
            owner_id="m1",
            period=MARCH,
            budget=Money.of(100, "EUR"),
        )
        lead = Lead.create(id="S", created_at=t(2, 10), source=source)
        org = organisation_of([lead], sla=SLA, campaigns=[campaign])
        assert () == sla_compliance(org, MARCH).unsourced

    @pytest.mark.parametrize("source", [None, LeadSource(), LeadSource(landing_page="/pricing")])
    def test_a_lead_without_any_is_unsourced(self, source: LeadSource | None) -> None:
        """No source, an empty one or only a landing page: unsourced."""
        report = judge(SLA, [Lead.create(id="S", created_at=t(2, 10), source=source)], MARCH)
        assert ("S",) == report.unsourced

    def test_only_leads_created_in_the_period_are_counted(self) -> None:
        """A lead created on the period's end is not in it."""
        report = judge(SLA, [Lead.create(id="S", created_at=MARCH.end)], MARCH)
        assert () == report.unsourced


class TestClocks:
    def test_each_commitment_keeps_its_own_clock(self) -> None:
        """Follow-up in business hours, feedback on the wall clock: Friday 18:00 to Monday 10:00 is 1h and 64h."""
        sla = attrs.evolve(SLA, follow_up_clock=Clock.BUSINESS)
        lead = mql("B", t(6, 18), calls=(t(9, 10),))
        s = judge(sla, [lead], MARCH, feedback=[note("B", t(9, 10))]).sales
        assert {
            "follow_ok": 1,
            "feedback_ok": 0,
            "late": [("late_feedback", timedelta(hours=64))],
        } == {
            "follow_ok": s.followed_up_on_time,
            "feedback_ok": s.feedback_on_time,
            "late": [(b.kind.value, b.elapsed) for b in s.breaches],
        }

    def test_feedback_in_business_hours(self) -> None:
        """Feedback alone in business hours: Friday 18:00 to Tuesday 12:00 is 11 working hours."""
        sla = attrs.evolve(SLA, feedback_clock=Clock.BUSINESS, feedback_within=timedelta(hours=8))
        lead = mql("B", t(6, 18), calls=(t(6, 19),))
        s = judge(sla, [lead], MARCH, feedback=[note("B", t(10, 12))]).sales
        assert [("late_feedback", timedelta(hours=11), "feedback after 11h (allowed 8h)")] == [
            (b.kind.value, b.elapsed, b.detail) for b in s.breaches
        ]

    def test_the_calendar_given_is_used(self) -> None:
        """A calendar of 7:00-19:00 counts Friday 18:00 to Monday 10:00 as 4 working hours, not 1."""
        sla = attrs.evolve(
            SLA, follow_up_clock=Clock.BUSINESS, first_follow_up_within=timedelta(hours=2)
        )
        long_days = WorkingCalendar(opens=time(7), closes=time(19))
        lead = mql("B", t(6, 18), calls=(t(9, 10),))
        default = judge(sla, [lead], MARCH).sales
        given = judge(sla, [lead], MARCH, calendar=long_days).sales
        assert {"default": [], "given": [("late_follow_up", timedelta(hours=4))]} == {
            "default": [b.kind.value for b in default.breaches if b.kind.value != "no_feedback"],
            "given": [
                (b.kind.value, b.elapsed) for b in given.breaches if b.kind.value != "no_feedback"
            ],
        }


class TestForwarding:
    def test_an_explicit_sla_and_time_reach_the_report(self) -> None:
        """sla_compliance reports the SLA, period, time and calendar it judged by."""
        sla = attrs.evolve(SLA, id="other", follow_up_clock=Clock.BUSINESS)
        calendar = WorkingCalendar.standard("Europe/Berlin")
        org_sla = ServiceLevelAgreement(id="own", mql_volume=1)
        org = organisation_of(leads(), feedback=feedback(), sla=org_sla)
        report = sla_compliance(org, MARCH, sla=sla, calendar=calendar, at=t(9, 12))
        assert {"sla": sla, "period": MARCH, "at": t(9, 12), "calendar": calendar} == {
            "sla": report.sla,
            "period": report.period,
            "at": report.at,
            "calendar": report.calendar,
        }

    def test_merge_adds_every_count(self) -> None:
        """Merging the report of A-D with that of E-H gives every count of the whole."""
        whole = judge(SLA, leads(), MARCH, feedback=feedback())
        first = judge(SLA, leads()[:4], MARCH, feedback=feedback())
        second = judge(SLA, leads()[4:], MARCH)  # the feedback is on A, B and D only
        assert attrs.asdict(whole, recurse=False) == attrs.asdict(
            SlaCompliance.merge([first, second]), recurse=False
        )

    def test_a_period_in_another_zone(self) -> None:
        """A period's default calendar follows its zone."""
        from zoneinfo import ZoneInfo

        berlin = Period.month(2026, 3, tz=ZoneInfo("Europe/Berlin"))
        sla = attrs.evolve(SLA, feedback_clock=Clock.BUSINESS)
        assert WorkingCalendar.standard("Europe/Berlin") == judge(sla, (), berlin).calendar
        assert UTC == t(2, 10).tzinfo


class TestResultChecks:
    @pytest.mark.parametrize(
        ("side", "fields", "expected", "path"),
        [("marketing", {"committed": Decimal(-1)},
          "MarketingCompliance.committed must be a Decimal >= 0, got Decimal('-1')", "/committed"),
         ("marketing", {"committed": Decimal("NaN")},
          "MarketingCompliance.committed must be a Decimal >= 0, got Decimal('NaN')", "/committed"),
         ("marketing", {"committed": 4},
          "MarketingCompliance.committed must be a Decimal >= 0, got 4", "/committed"),
         ("marketing", {"accepted": 7},
          "MarketingCompliance.accepted must be at most MarketingCompliance.delivered (6), got 7", "/accepted"),
         ("marketing", {"rejected": 7},
          "MarketingCompliance.rejected must be at most MarketingCompliance.delivered (6), got 7", "/rejected"),
         ("marketing", {"pending": 3},
          "MarketingCompliance accepted + rejected + pending must be delivered (6), got 3 + 1 + 3", "/pending"),
         ("marketing", {"acceptance_rate": Decimal(2)},
          "MarketingCompliance.acceptance_rate must be a Decimal from 0 to 1 or None, got Decimal('2')",
          "/acceptance_rate"),
         ("sales", {"mean_attempts": Decimal(-1)},
          "SalesCompliance.mean_attempts must be a Decimal >= 0 or None, got Decimal('-1')", "/mean_attempts"),
         ("sales", {"followed_up_on_time": 5},
          "SalesCompliance.followed_up_on_time must be at most SalesCompliance.follow_ups_due (4), got 5",
          "/followed_up_on_time"),
         ("sales", {"given_up_after_min_attempts": 2},
          "SalesCompliance.given_up_after_min_attempts must be at most SalesCompliance.given_up (1), got 2",
          "/given_up_after_min_attempts"),
         ("sales", {"feedback_on_time": 6},
          "SalesCompliance.feedback_on_time must be at most SalesCompliance.feedback_due (5), got 6",
          "/feedback_on_time")],
    )  # fmt: skip
    def test_inconsistent_results_are_refused_by_name(
        self, side: str, fields: dict[str, object], expected: str, path: str
    ) -> None:
        """Each check names the field, its value and what it must be, with the field's path."""
        part = getattr(judge(SLA, leads(), MARCH, feedback=feedback()), side)
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(part, **fields)
        assert {"message": expected, "path": path, "value": repr(next(iter(fields.values())))} == {
            "message": str(caught.value),
            "path": caught.value.path,
            "value": caught.value.errors[0].value,
        }

    @pytest.mark.parametrize(
        ("side", "fields"),
        [("marketing", {"committed": Decimal(0)}),
         ("marketing", {"acceptance_rate": None}),
         ("sales", {"mean_attempts": None}),
         ("sales", {"mean_attempts": Decimal(0)}),
         ("sales", {"feedback_on_time": 5}),
         ("sales", {"followed_up_on_time": 4})],
    )  # fmt: skip
    def test_values_at_the_limits_are_accepted(self, side: str, fields: dict[str, object]) -> None:
        """Zero volume, no rate, zero attempts, and parts equal to their wholes are consistent."""
        part = getattr(judge(SLA, leads(), MARCH, feedback=feedback()), side)
        assert fields == {name: getattr(attrs.evolve(part, **fields), name) for name in fields}

    def test_merging_nothing_is_refused(self) -> None:
        """Merge needs a part."""
        with pytest.raises(ValidationError, match=r"^SlaCompliance\.merge needs at least one part"):
            SlaCompliance.merge([])

    @pytest.mark.parametrize(
        ("other", "name"),
        [({"at": t(9, 9)}, "at"), ({"sla": attrs.evolve(SLA, id="other")}, "sla"),
         ({"period": Period.month(2026, 4)}, "period")],
    )  # fmt: skip
    def test_parts_judged_differently_are_refused_by_name(
        self, other: dict[str, object], name: str
    ) -> None:
        """Parts must share SLA, period and time; the message names what differs."""
        fields: dict[str, object] = {"sla": SLA, "period": MARCH, "at": None, **other}
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        different = judge(
            fields["sla"], leads(), fields["period"], feedback=feedback(), at=fields["at"]
        )  # type: ignore[arg-type]
        with pytest.raises(
            ValidationError, match=rf"^SlaCompliance\.merge parts must share one {name}, got "
        ):
            SlaCompliance.merge([report, different])

    def test_parts_on_different_calendars_are_refused(self) -> None:
        """A part judged in another calendar cannot be merged."""
        sla = attrs.evolve(SLA, follow_up_clock=Clock.BUSINESS)
        one = judge(sla, (), MARCH)
        two = judge(sla, (), MARCH, calendar=WorkingCalendar.standard("Europe/Berlin"))
        with pytest.raises(ValidationError, match="must share one calendar"):
            SlaCompliance.merge([one, two])


class TestBreachOrder:
    def test_breaches_come_by_kind_then_oldest_mql_then_lead(self) -> None:
        """Three leads never called: by MQL time, and by id at the same time."""
        report = judge(SLA, [mql("Z", t(3, 10)), mql("B", t(2, 10)), mql("A", t(3, 10))], MARCH)
        assert ["B", "A", "Z"] == [
            b.lead_id for b in report.sales.breaches if b.kind.value == "no_follow_up"
        ]


class TestMoreDeliveries:
    def test_an_mql_at_the_evaluation_instant_is_not_delivered_yet(self) -> None:
        """Evaluated at 10:00, an MQL at 10:00 is not delivered; one at 09:59:59 is."""
        on = mql("ON", t(2, 10))
        before = mql("BEFORE", t(2, 10) - SECOND)
        assert 1 == judge(SLA, [on, before], MARCH, at=t(2, 10)).marketing.delivered

    def test_three_handovers_are_three_deliveries_each_until_the_next(self) -> None:
        """Handed over on the 2nd, 9th and 16th, never called: each waits until the next (7 days), the last until April."""
        lead = (
            mql("T", t(2, 10))
            .advance("recycled", at=t(5, 10), reason="no_response")
            .advance("mql", at=t(9, 10))
            .advance("recycled", at=t(12, 10), reason="no_response")
            .advance("mql", at=t(16, 10))
        )
        report = judge(SLA, [lead], MARCH)
        waited = [b.elapsed for b in report.sales.breaches if b.kind.value == "no_follow_up"]
        assert [timedelta(days=7), timedelta(days=7), timedelta(hours=15 * 24 + 14)] == waited

    def test_two_leads_accepted_by_feedback_count_twice(self) -> None:
        """Two MQLs with positive feedback and two with negative: 2 accepted, 2 rejected."""
        leads_ = [mql(x, t(2, 10), calls=(t(2, 11),)) for x in "ABCD"]
        notes = [note("A", t(2, 12)), note("B", t(2, 12))]
        notes += [note("C", t(2, 12), accepted=False), note("D", t(2, 12), accepted=False)]
        m = judge(SLA, leads_, MARCH, feedback=notes).marketing
        assert (2, 2) == (m.accepted, m.rejected)

    def test_negative_feedback_lists_every_reason(self) -> None:
        """Two reasons are joined with a comma."""
        lead = mql("Y", t(2, 10), calls=(t(2, 11),))
        reasons = (FeedbackReason.TOO_SMALL, FeedbackReason.MIS_ROUTED)
        fb = LeadFeedback(lead_id="Y", member_id="s1", at=t(2, 12), accepted=False, reasons=reasons)
        detail = judge(SLA, [lead], MARCH, feedback=[fb]).marketing.breaches[0].detail
        assert "negative feedback at 2026-03-02T12:00:00+00:00 (too_small, mis_routed)" == detail

    def test_two_leads_given_up_after_enough_attempts(self) -> None:
        """Two leads recycled after two calls each both meet the minimum."""
        leads_ = [
            mql(x, t(2, 10), calls=(t(2, 11), t(2, 12))).advance(
                "recycled", at=t(3, 9), reason="no_response"
            )
            for x in "AB"
        ]
        s = judge(SLA, leads_, MARCH).sales
        assert (2, 2, Decimal("1.0000")) == (
            s.given_up,
            s.given_up_after_min_attempts,
            s.attempts_rate,
        )

    def test_a_follow_up_late_by_less_than_a_day(self) -> None:
        """A one-hour commitment and a call after five hours: late by the five hours themselves."""
        sla = attrs.evolve(SLA, first_follow_up_within=timedelta(hours=1))
        breach = judge(sla, [mql("L", t(2, 10), calls=(t(2, 15),))], MARCH).sales.breaches[0]
        assert ("late_follow_up", timedelta(hours=5), "first follow-up after 5h (allowed 1h)") == (
            breach.kind.value,
            breach.elapsed,
            breach.detail,
        )

    def test_the_first_call_is_the_first_on_the_time_line(self) -> None:
        """In Berlin's repeated hour, a call at 02:30 summer time comes before one at 02:10 winter time.

        The MQL at 01:50 CEST is 23:50 UTC; the call at 02:30 CEST (00:30 UTC) comes 40
        minutes after it, the one at 02:10 CET (01:10 UTC) 80 minutes: the first follow-up
        is the 40-minute one, within the hour allowed, though its wall clock is later.
        """
        from zoneinfo import ZoneInfo

        berlin = ZoneInfo("Europe/Berlin")
        handover = datetime(2026, 10, 25, 1, 50, tzinfo=berlin)
        summer = datetime(2026, 10, 25, 2, 30, tzinfo=berlin)
        winter = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=berlin)
        lead = mql("L", handover, calls=(summer, winter))
        sla = ServiceLevelAgreement(
            id="sla", mql_volume=1, first_follow_up_within=timedelta(hours=1)
        )
        s = judge(sla, [lead], Period.month(2026, 10, berlin)).sales
        assert (1, 1) == (s.follow_ups_due, s.followed_up_on_time)


class TestArguments:
    @pytest.mark.parametrize(
        ("fields", "pattern"),
        [({"sla": "sla"}, r"^sla_compliance sla must be "),
         ({"calendar": "cal"}, r"^sla_compliance calendar must be "),
         ({"at": datetime(2026, 3, 9)}, r"^sla_compliance at ")],
    )  # fmt: skip
    def test_bad_arguments_are_named(self, fields: dict[str, object], pattern: str) -> None:
        """A wrong SLA, calendar or naive time names the argument first."""
        org = organisation_of(leads(), feedback=feedback(), sla=SLA)
        with pytest.raises(ValidationError, match=pattern):
            sla_compliance(org, MARCH, **fields)  # type: ignore[arg-type]


class TestMoreRecords:
    def test_records_are_floats_unless_exact(self) -> None:
        """Hours and rates are floats by default and Decimals with exact=True, in every kind of record."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        plain, exact = report.to_records()[1], report.to_records(exact=True)[1]
        assert {
            "plain": (float, float),
            "exact": (Decimal, Decimal),
            "marketing": (float, Decimal),
            "sales": (float, Decimal),
        } == {
            "plain": (type(plain["elapsed_hours"]), type(plain["allowed_hours"])),
            "exact": (type(exact["elapsed_hours"]), type(exact["allowed_hours"])),
            "marketing": (
                type(report.marketing.to_records()[0]["acceptance_rate"]),
                type(report.marketing.to_records(exact=True)[0]["acceptance_rate"]),
            ),
            "sales": (
                type(report.sales.to_records()[0]["mean_attempts"]),
                type(report.sales.to_records(exact=True)[0]["mean_attempts"]),
            ),
        }

    def test_a_part_that_is_no_report_is_named(self) -> None:
        """Merging something else than a report names the part."""
        report = judge(SLA, (), MARCH)
        with pytest.raises(
            ValidationError,
            match=r"^SlaCompliance\.merge parts\[1\] must be a SlaCompliance, got 5$",
        ):
            SlaCompliance.merge([report, 5])  # type: ignore[list-item]


class TestStepsBack:
    def test_a_step_back_off_the_handover_neither_accepts_nor_rejects(self) -> None:
        """Where a lifecycle lets an MQL go back to inquiry, that step leaves the delivery undecided."""
        lifecycle = DEMAND_WATERFALL.with_transition("mql", "inquiry")
        lead = mql("B", t(2, 10)).advance("inquiry", at=t(2, 11), lifecycle=lifecycle)
        m = judge(SLA, [lead], MARCH, lifecycle=lifecycle).marketing
        assert (0, 0, 1) == (m.accepted, m.rejected, m.pending)

    def test_a_move_off_the_path_without_a_reason_says_none(self) -> None:
        """Disqualified straight from MQL with no reason code: the detail has no brackets."""
        lifecycle = DEMAND_WATERFALL.with_transition("mql", "disqualified")
        lead = mql("D", t(2, 10)).advance("disqualified", at=t(2, 11), lifecycle=lifecycle)
        m = judge(SLA, [lead], MARCH, lifecycle=lifecycle).marketing
        assert ["disqualified at 2026-03-02T11:00:00+00:00"] == [b.detail for b in m.breaches]

    def test_two_leads_rejected_by_stage_count_twice(self) -> None:
        """Two MQLs rejected straight away: two not accepted, and each a breach."""
        leads_ = [
            mql(x, t(2, 10)).advance("rejected", at=t(2, 11), reason="mis_routed") for x in "AB"
        ]
        m = judge(SLA, leads_, MARCH).marketing
        assert (0, 2, ["A", "B"]) == (m.accepted, m.rejected, [b.lead_id for b in m.breaches])

    def test_a_lifecycle_without_a_progression(self) -> None:
        """With no progression the handover is the initial stage and nothing accepts: the next stage rejects."""
        flat = FLAT
        lead = Lead.create(id="F", created_at=t(2, 10), lifecycle=flat).advance(
            "done", at=t(2, 11), lifecycle=flat
        )
        m = judge(SLA, [lead], MARCH, lifecycle=flat).marketing
        assert (1, 0, 1) == (m.delivered, m.accepted, m.rejected)

    def test_a_breach_record_is_plain_by_default(self) -> None:
        """A breach's own records have float hours unless asked for exact ones."""
        breach = judge(SLA, leads(), MARCH, feedback=feedback()).sales.breaches[0]
        assert (float, Decimal) == (
            type(breach.to_records()[0]["elapsed_hours"]),
            type(breach.to_records(exact=True)[0]["elapsed_hours"]),
        )
