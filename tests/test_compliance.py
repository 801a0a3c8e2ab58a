"""Tests for salesmark.compliance: how both teams kept the SLA over a period.

The fixture below is computed by hand (March 2026, UTC; SLA: 4 MQLs a month, 90%
accepted, first follow-up within 24 hours, 2 attempts, feedback within 48 hours):

====  =====================  ==========================================================
lead  MQL                    what happened
====  =====================  ==========================================================
A     Mon 2 Mar 10:00        call 15:00 (5h); SAL; feedback 3 Mar 10:00 (24h)
B     Fri 6 Mar 18:00        call Mon 10:00 (64h wall / 1h business); SAL; feedback
                             Mon 12:00 (66h wall / 3h business)
C     Tue 10 Mar 09:00       nothing at all; no source
D     Wed 11 Mar 09:00       rejected 12:00 (mis_routed) before contact, negative feedback
                             12:00: owes no follow-up and no attempts, owes feedback
E     Thu 12 Mar 09:00       call 10:00; SAL 11:00; disqualified 13 Mar after 1 attempt
F     Tue 31 Mar 20:00       nothing yet: 4 hours before the period ends, not due
G     created 15 Mar         inquiry only, no source
H     MQL in February        outside the period
====  =====================  ==========================================================
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import sla_compliance
from salesmark.calendars import WorkingCalendar
from salesmark.compliance import (
    BreachKind,
    MarketingCompliance,
    SalesCompliance,
    SlaBreach,
    SlaCompliance,
)
from salesmark.errors import IllegalTransition, NaiveDatetime, ValidationError
from salesmark.feedback import FeedbackReason, LeadFeedback
from salesmark.leads import Lead, LeadSource
from salesmark.lifecycle import DEMAND_WATERFALL, HUBSPOT, Lifecycle
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.sla import Clock, ServiceLevelAgreement
from salesmark.teams import Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind
from strategies import organisation_of, sla_organisations
from strategies.funnel import slice_organisation

UTC = timezone.utc
MARCH = Period.month(2026, 3)
SOURCE = LeadSource(channel="paid_search", source="google")
SLA = ServiceLevelAgreement(
    id="sla",
    mql_volume=4,
    min_attempts=2,
    feedback_within=timedelta(hours=48),
)

IN_BUSINESS_HOURS: dict[str, Clock] = {
    "follow_up_clock": Clock.BUSINESS,
    "feedback_clock": Clock.BUSINESS,
}


def t(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def call(at: datetime) -> Touchpoint:
    return Touchpoint(
        at=at, channel="phone", kind=TouchpointKind.CALL, team=Team.SALES, member_id="s1"
    )


def mql(
    lead_id: str,
    at: datetime,
    *,
    source: LeadSource | None = SOURCE,
    calls: tuple[datetime, ...] = (),
) -> Lead:
    lead = Lead.create(
        id=lead_id,
        created_at=at,
        source=source,
        owner_id="s1",
        touchpoints=[call(c) for c in calls],
    )
    return lead.advance("mql", at=at)


def leads() -> tuple[Lead, ...]:
    a = mql("A", t(2, 10), calls=(t(2, 15),)).advance("sal", at=t(2, 16))
    b = mql("B", t(6, 18), calls=(t(9, 10),)).advance("sal", at=t(9, 11))
    c = mql("C", t(10, 9), source=None)
    d = mql("D", t(11, 9)).advance("rejected", at=t(11, 12), reason="mis_routed")
    e = (
        mql("E", t(12, 9), calls=(t(12, 10),))
        .advance("sal", at=t(12, 11))
        .advance("disqualified", at=t(13, 9), reason="unreachable")
    )
    f = mql("F", t(31, 20))
    g = Lead.create(id="G", created_at=t(15, 9))
    h = mql("H", t(20, 9, month=2), calls=(t(20, 10, month=2),))
    return (a, b, c, d, e, f, g, h)


def feedback() -> tuple[LeadFeedback, ...]:
    return (
        LeadFeedback(lead_id="A", member_id="s1", at=t(3, 10), accepted=True, rating=4),
        LeadFeedback(lead_id="B", member_id="s1", at=t(9, 12), accepted=True),
        LeadFeedback(
            lead_id="D",
            member_id="s1",
            at=t(11, 12),
            accepted=False,
            reasons=(FeedbackReason.MIS_ROUTED,),
        ),
    )


def judge(
    sla: ServiceLevelAgreement,
    leads: tuple[Lead, ...] | list[Lead],
    period: Period,
    *,
    feedback: tuple[LeadFeedback, ...] | list[LeadFeedback] = (),
    calendar: WorkingCalendar | None = None,
    at: datetime | None = None,
    lifecycle: Lifecycle = DEMAND_WATERFALL,
) -> SlaCompliance:
    """``sla`` judged over ``leads`` and ``feedback``, held by one organisation."""
    org = organisation_of(leads, feedback=feedback, lifecycle=lifecycle, sla=sla)
    return sla_compliance(org, period, calendar=calendar, at=at)


def kinds(breaches: tuple[SlaBreach, ...]) -> list[tuple[str, str]]:
    return [(b.kind.value, b.lead_id) for b in breaches]


class TestSlaCompliance:
    def test_marketing_side_by_hand(self) -> None:
        """Six MQLs against four owed; 3 of 4 decided accepted (75% < 90%); D not accepted."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        m = report.marketing
        assert (6, Decimal(4), True, 3, 1, 2, Decimal("0.7500"), False, False) == (
            m.delivered,
            m.committed,
            m.volume_met,
            m.accepted,
            m.rejected,
            m.pending,
            m.acceptance_rate,
            m.acceptance_met,
            m.met,
        )
        assert [("not_accepted", "D")] == kinds(m.breaches)

    def test_sales_side_on_the_wall_clock(self) -> None:
        """On the wall clock B is late twice, C and E got no feedback, C no follow-up, E too few attempts.

        D, rejected before contact, owes no follow-up and no attempts: 4 follow-ups are
        due (A, B, C, E) and 2 on time (A after 5h, E after 1h); F's are pending.
        Attempts: A 1, B 1, E 1 of 6 deliveries = 0.50. Feedback: 5 due (A, B, C, D,
        E), on time A (24h) and D (3h).
        """
        s = judge(SLA, leads(), MARCH, feedback=feedback()).sales
        assert (
            4,
            2,
            Decimal("0.5000"),
            1,
            0,
            Decimal("0.0000"),
            Decimal("0.50"),
            5,
            2,
            Decimal("0.4000"),
        ) == (
            s.follow_ups_due,
            s.followed_up_on_time,
            s.follow_up_rate,
            s.given_up,
            s.given_up_after_min_attempts,
            s.attempts_rate,
            s.mean_attempts,
            s.feedback_due,
            s.feedback_on_time,
            s.feedback_rate,
        )
        expected = [
            ("late_follow_up", "B"),
            ("no_follow_up", "C"),
            ("too_few_attempts", "E"),
            ("late_feedback", "B"),
            ("no_feedback", "C"),
            ("no_feedback", "E"),
        ]
        assert expected == kinds(s.breaches)

    def test_breach_details_by_hand(self) -> None:
        """B's follow-up took 64 wall-clock hours against 24 allowed."""
        late = judge(SLA, leads(), MARCH, feedback=feedback()).sales.breaches[0]
        assert (
            "B",
            timedelta(hours=64),
            timedelta(hours=24),
            "first follow-up after 64h (allowed 24h)",
            Team.SALES,
        ) == (
            late.lead_id,
            late.elapsed,
            late.allowed,
            late.detail,
            late.team,
        )

    def test_business_hours_forgive_the_weekend(self) -> None:
        """In business hours B's Friday-evening lead is on time; C waited 128 working hours."""
        sla = attrs.evolve(SLA, **IN_BUSINESS_HOURS)
        report = judge(sla, leads(), MARCH, feedback=feedback())
        s = report.sales
        # follow-ups due A, B, C, E (D was rejected before contact): A, B and E on time
        assert (4, 3, 5, 3) == (
            s.follow_ups_due,
            s.followed_up_on_time,
            s.feedback_due,
            s.feedback_on_time,
        )
        expected = [
            ("no_follow_up", "C"),
            ("too_few_attempts", "E"),
            ("no_feedback", "C"),
            ("no_feedback", "E"),
        ]
        assert expected == kinds(s.breaches)
        assert "no follow-up after 128h (allowed 24h)" == s.breaches[0].detail
        assert WorkingCalendar.standard("UTC") == report.calendar

    def test_business_hours_skip_holidays(self) -> None:
        """Thursday 16:00 before Easter to Tuesday 15:00 is 7 working hours with the holidays, 23 without."""
        lead = mql("X", t(2, 16, month=4), calls=(t(7, 15, month=4),))
        sla = ServiceLevelAgreement(
            id="s", mql_volume=1, first_follow_up_within=timedelta(hours=8), **IN_BUSINESS_HOURS
        )
        easter = WorkingCalendar(holidays=(date(2026, 4, 3), date(2026, 4, 6)))
        april = Period.month(2026, 4)
        with_holidays = judge(sla, [lead], april, calendar=easter)
        without = judge(sla, [lead], april, calendar=WorkingCalendar())
        assert (1, 1) == (
            with_holidays.sales.follow_ups_due,
            with_holidays.sales.followed_up_on_time,
        )
        assert (("late_follow_up", "X"), timedelta(hours=23)) == (
            kinds(without.sales.breaches)[0],
            without.sales.breaches[0].elapsed,
        )

    def test_business_hours_calendar_defaults_to_the_period_zone(self) -> None:
        """Without a calendar, business hours use Mon-Fri 9-17 in the period's zone."""
        from zoneinfo import ZoneInfo

        sla = attrs.evolve(SLA, **IN_BUSINESS_HOURS)
        report = judge(sla, (), Period.month(2026, 3, tz=ZoneInfo("Europe/Berlin")))
        assert WorkingCalendar.standard("Europe/Berlin") == report.calendar

    def test_wall_clock_ignores_a_given_calendar(self) -> None:
        """An SLA on the wall clock reports no calendar even when one is passed."""
        report = judge(SLA, leads(), MARCH, feedback=feedback(), calendar=WorkingCalendar())
        assert report.calendar is None

    def test_never_followed_up_and_unsourced_are_separate(self) -> None:
        """C is never followed up; C and G arrived without a source (F is not due yet)."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        assert (("C",), ("C", "G")) == (report.never_followed_up, report.unsourced)

    def test_evaluation_time_limits_what_is_due(self) -> None:
        """Evaluated on 10 March at noon, only A, B and C are delivered and C is not yet due."""
        report = judge(SLA, leads(), MARCH, feedback=feedback(), at=t(10, 12))
        assert (3, (), 2) == (
            report.marketing.delivered,
            report.never_followed_up,
            report.sales.follow_ups_due,
        )

    def test_an_empty_period_has_no_rates(self) -> None:
        """With no MQLs, rates are None rather than zero, and volume is missed."""
        report = judge(SLA, (), MARCH)
        assert (None, None, None, None, False) == (
            report.marketing.acceptance_rate,
            report.marketing.acceptance_met,
            report.sales.follow_up_rate,
            report.sales.mean_attempts,
            report.marketing.met,
        )

    def test_feedback_decides_acceptance_when_no_stage_does(self) -> None:
        """An MQL still in 'mql' with negative feedback counts as not accepted."""
        lead = mql("Y", t(2, 10), calls=(t(2, 11),))
        fb = LeadFeedback(
            lead_id="Y",
            member_id="s1",
            at=t(2, 12),
            accepted=False,
            reasons=(FeedbackReason.TOO_SMALL,),
        )
        report = judge(SLA, [lead], MARCH, feedback=[fb])
        assert (0, 1, "negative feedback at 2026-03-02T12:00:00+00:00 (too_small)") == (
            report.marketing.accepted,
            report.marketing.rejected,
            report.marketing.breaches[0].detail,
        )

    def test_enough_attempts_before_giving_up_is_no_breach(self) -> None:
        """A lead recycled after two calls meets a two-attempt minimum."""
        lead = mql("Z", t(2, 10), calls=(t(2, 11), t(3, 11))).advance(
            "recycled", at=t(4, 9), reason="no_response"
        )
        s = judge(SLA, [lead], MARCH).sales
        assert (1, 1, []) == (
            s.given_up,
            s.given_up_after_min_attempts,
            [k for k in kinds(s.breaches) if k[0] == "too_few_attempts"],
        )

    def test_results_read_in_one_line_and_as_records(self) -> None:
        """The report has one-line reprs and plain-dict records, one per breach."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        assert (
            "SlaCompliance('sla', 2026-03-01..2026-04-01, elapsed time: marketing met=False, sales met=False, 7 breaches, 1 never followed up, 2 unsourced)"
            == repr(report)
        )
        assert "MarketingCompliance(delivered 6/4, acceptance 75.0% vs 90.0%, met=False)" == repr(
            report.marketing
        )
        assert (
            "SalesCompliance(follow-up 50.0% of 4, attempts 0.0% of 1, feedback 40.0% of 5, met=False)"
            == repr(report.sales)
        )
        records = report.to_records()
        assert (7, "not_accepted", "marketing", 64.0, 24.0) == (
            len(records),
            records[0]["kind"],
            records[0]["team"],
            records[1]["elapsed_hours"],
            records[1]["allowed_hours"],
        )
        assert 1 == len(report.marketing.to_records()) == len(report.sales.to_records())

    def test_not_an_sla_is_refused(self) -> None:
        """Passing something else than an SLA raises ValidationError."""
        with pytest.raises(ValidationError, match="ServiceLevelAgreement"):
            sla_compliance(organisation_of(leads()), MARCH, sla="sla")  # type: ignore[arg-type]

    def test_naive_evaluation_time_is_refused(self) -> None:
        """A naive ``at`` raises NaiveDatetime."""
        with pytest.raises(NaiveDatetime):
            judge(SLA, leads(), MARCH, at=datetime(2026, 3, 10))

    @settings(max_examples=60, deadline=None)
    @given(sla_organisations())
    def test_counts_are_consistent(self, org: Organisation) -> None:
        """Accepted, rejected and pending add up to the MQLs delivered, and every rate is a share."""
        report = sla_compliance(org, Period.quarter(2026, 1), sla=SLA)
        m, s = report.marketing, report.sales
        assert m.delivered == m.accepted + m.rejected + m.pending
        rates = [m.acceptance_rate, s.follow_up_rate, s.attempts_rate, s.feedback_rate]
        assert all(r is None or 0 <= r <= 1 for r in rates)
        assert len(report.never_followed_up) <= s.follow_ups_due - s.followed_up_on_time

    @settings(max_examples=60, deadline=None)
    @given(sla_organisations())
    def test_business_hours_never_add_timing_breaches(self, org: Organisation) -> None:
        """Every lead late in business hours is late on the wall clock too."""
        timed = {
            BreachKind.LATE_FOLLOW_UP,
            BreachKind.NO_FOLLOW_UP,
            BreachKind.LATE_FEEDBACK,
            BreachKind.NO_FEEDBACK,
        }
        quarter = Period.quarter(2026, 1)
        wall = sla_compliance(org, quarter, sla=SLA)
        office = sla_compliance(org, quarter, sla=attrs.evolve(SLA, **IN_BUSINESS_HOURS))

        def late(report: SlaCompliance) -> set[tuple[str, str]]:
            return {
                (b.lead_id, b.kind.value.split("_", 1)[1])
                for b in report.sales.breaches
                if b.kind in timed
            }

        assert late(office) <= late(wall)


class TestRepeatedHandovers:
    """Every handover in the period is a delivery with its own clock.

    ====  ===================================================================================
    lead  history (SLA as above: 24h follow-up, 2 attempts, 48h feedback)
    ====  ===================================================================================
    R     MQL Tue 10 Feb 10:00, call 11:00, recycled 12 Feb; MQL again Tue 3 Mar 09:00,
          feedback 12:00 (3h), call Wed 4 Mar 15:00 (30h: late), SAL 16:00
    S     MQL Mon 2 Mar 10:00, rejected 12:00 (bad_data) with feedback 12:00, recycled
          Thu 5 Mar 09:00 after no call; MQL again Mon 16 Mar 10:00, call 11:00, SAL
          12:00, no feedback by 1 April (374h)
    ====  ===================================================================================

    Deliveries in March: R on 3 March (accepted), S on 2 March (rejected; gave up after
    0 attempts) and S on 16 March (accepted; no feedback).
    """

    def _leads(self) -> tuple[Lead, ...]:
        r = (
            mql("R", t(10, 10, month=2), calls=(t(10, 11, month=2), t(4, 15)))
            .advance("recycled", at=t(12, 9, month=2), reason="not_ready")
            .advance("mql", at=t(3, 9))
            .advance("sal", at=t(4, 16))
        )
        s = (
            mql("S", t(2, 10), calls=(t(16, 11),))
            .advance("rejected", at=t(2, 12), reason="bad_data")
            .advance("recycled", at=t(5, 9), reason="reengage")
            .advance("mql", at=t(16, 10))
            .advance("sal", at=t(16, 12))
        )
        return (r, s)

    def _feedback(self) -> tuple[LeadFeedback, ...]:
        return (
            LeadFeedback(lead_id="R", member_id="s1", at=t(3, 12), accepted=True),
            LeadFeedback(
                lead_id="S",
                member_id="s1",
                at=t(2, 12),
                accepted=False,
                reasons=(FeedbackReason.BAD_CONTACT_DATA,),
            ),
        )

    def test_marketing_side_counts_each_handover(self) -> None:
        """Three deliveries: R's second handover and both of S's; S's first is not accepted."""
        m = judge(SLA, self._leads(), MARCH, feedback=self._feedback()).marketing
        assert (3, 2, 1, 0) == (m.delivered, m.accepted, m.rejected, m.pending)
        assert [("S", t(2, 10), "rejected at 2026-03-02T12:00:00+00:00 (bad_data)")] == [
            (b.lead_id, b.mql_at, b.detail) for b in m.breaches
        ]

    def test_sales_side_judges_each_handover_on_its_own_clock(self) -> None:
        """R is late once (30h); S, rejected before contact the first time, owed no follow-up or attempts then, and gave no feedback the second time.

        Follow-ups due: R's second handover (30h, late) and S's second (1h); attempts:
        R 1 and S's second 1 over 3 deliveries = 0.67.
        """
        s = judge(SLA, self._leads(), MARCH, feedback=self._feedback()).sales
        assert (2, 1, 0, 0, Decimal("0.67"), 3, 2) == (
            s.follow_ups_due,
            s.followed_up_on_time,
            s.given_up,
            s.given_up_after_min_attempts,
            s.mean_attempts,
            s.feedback_due,
            s.feedback_on_time,
        )
        assert [
            ("late_follow_up", "R", t(3, 9), timedelta(hours=30)),
            ("no_feedback", "S", t(16, 10), timedelta(hours=374)),
        ] == [(b.kind.value, b.lead_id, b.mql_at, b.elapsed) for b in s.breaches]

    def test_a_later_handover_does_not_answer_an_earlier_one(self) -> None:
        """T, recycled untouched and handed over again 18 days later, was never followed up the first time."""
        lead = (
            mql("T", t(2, 10), calls=(t(20, 11),))
            .advance("recycled", at=t(2, 11), reason="no_response")
            .advance("mql", at=t(20, 10))
        )
        report = judge(SLA, [lead], MARCH)
        assert (2, 1, ("T",)) == (
            report.marketing.delivered,
            report.sales.followed_up_on_time,
            report.never_followed_up,
        )
        first = report.sales.breaches[0]
        assert ("no_follow_up", t(2, 10), timedelta(hours=432)) == (
            first.kind.value,
            first.mql_at,
            first.elapsed,
        )


class TestBusinessHours:
    """With both commitments in business hours the SLA's durations are working time."""

    def test_24_hours_are_three_working_days(self) -> None:
        """Handed over Monday 9:00: a call on Wednesday 17:00 is on time (24 working hours), Thursday 10:00 is late (25)."""
        sla = attrs.evolve(SLA, **IN_BUSINESS_HOURS)
        on_time = mql("A", t(2, 9), calls=(t(4, 17),))
        late = mql("B", t(2, 9), calls=(t(5, 10),))
        s = judge(sla, [on_time, late], MARCH).sales
        assert (2, 1) == (s.follow_ups_due, s.followed_up_on_time)
        assert [("late_follow_up", "B", timedelta(hours=25))] == [
            (b.kind.value, b.lead_id, b.elapsed)
            for b in s.breaches
            if b.kind in {BreachKind.LATE_FOLLOW_UP, BreachKind.NO_FOLLOW_UP}
        ]


class TestBadArguments:
    @pytest.mark.parametrize(
        ("org", "period", "fragment"),
        [
            (organisation_of(()), "2026", "sla_compliance period must be a Period, got '2026'"),
            ("abc", MARCH, "sla_compliance org must be an Organisation, got 'abc'"),
            ((), MARCH, r"sla_compliance org must be an Organisation, got \(\)"),
            (None, MARCH, "sla_compliance org must be an Organisation, got None"),
        ],
    )
    def test_bad_arguments_name_the_argument(
        self, org: object, period: object, fragment: str
    ) -> None:
        """A bad organisation or period raises ValidationError naming the argument and the value."""
        with pytest.raises(ValidationError, match=fragment):
            sla_compliance(org, period, sla=SLA)  # type: ignore[arg-type]


class TestOrganisationSla:
    def test_uses_the_organisations_sla_and_feedback(self) -> None:
        """The organisation's own SLA, leads and feedback give the hand-computed result."""
        org = Organisation(
            name="Acme",
            currency="EUR",
            members=(Member(id="s1", name="Sam", team=Team.SALES),),
            leads=leads(),
            feedback=feedback(),
            sla=SLA,
        )
        report = sla_compliance(org, MARCH)
        assert (6, 7) == (report.marketing.delivered, len(report.breaches))

    def test_an_explicit_sla_overrides(self) -> None:
        """A given SLA is used instead of the organisation's."""
        org = Organisation(name="Acme", currency="EUR", sla=SLA)
        other = ServiceLevelAgreement(id="other", mql_volume=9)
        assert "other" == sla_compliance(org, MARCH, sla=other).sla.id

    def test_no_sla_is_refused(self) -> None:
        """An organisation without an SLA and no SLA given raises ValidationError."""
        with pytest.raises(ValidationError, match="has none"):
            sla_compliance(Organisation(name="Acme", currency="EUR"), MARCH)


class TestBreachKind:
    def test_only_acceptance_is_marketings(self) -> None:
        """Marketing answers for leads not accepted; sales for everything else."""
        assert [Team.MARKETING] + [Team.SALES] * 5 == [k.team for k in BreachKind]


class TestResultTypes:
    def test_result_types_are_frozen(self) -> None:
        """Result objects cannot be changed after the fact."""
        report = judge(SLA, leads(), MARCH, feedback=feedback())
        for obj in (report, report.marketing, report.sales, report.breaches[0]):
            assert isinstance(
                obj, SlaCompliance | MarketingCompliance | SalesCompliance | SlaBreach
            )
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                obj.period = MARCH  # type: ignore[union-attr, misc]


class TestOtherLifecycles:
    """The SLA clock starts at the lifecycle's handover stage, whatever it is called."""

    def _hubspot_leads(self) -> list[Lead]:
        t = datetime(2026, 3, 2, 9, tzinfo=UTC)
        call = Touchpoint(
            at=t + timedelta(hours=2), channel="phone", kind=TouchpointKind.CALL, team=Team.SALES
        )
        hs = HUBSPOT
        accepted = (
            Lead.create(id="A", created_at=t, source=SOURCE, lifecycle=hs)
            .advance("marketingqualifiedlead", at=t, lifecycle=hs)
            .with_touchpoint(call)
            .advance("salesqualifiedlead", at=t + timedelta(hours=3), lifecycle=hs)
        )
        turned_away = (
            Lead.create(id="B", created_at=t, source=SOURCE, lifecycle=hs)
            .advance("marketingqualifiedlead", at=t, lifecycle=hs)
            .advance("other", at=t + timedelta(hours=1), lifecycle=hs)
        )
        skipped_ahead = (
            Lead.create(id="C", created_at=t, source=SOURCE, lifecycle=hs)
            .advance("marketingqualifiedlead", at=t, lifecycle=hs)
            .advance("opportunity", at=t + timedelta(hours=1), lifecycle=hs)
        )
        return [accepted, turned_away, skipped_ahead]  # fmt: skip

    def test_hubspot_lifecycle(self) -> None:
        """In HubSpot's stages the MQL is 'marketingqualifiedlead'; a later stage accepts, 'other' does not."""
        report = judge(SLA, self._hubspot_leads(), MARCH, lifecycle=HUBSPOT)
        m = report.marketing
        assert (3, 2, 1, 0) == (m.delivered, m.accepted, m.rejected, m.pending)
        assert ("B",) == tuple(b.lead_id for b in m.breaches)

    def test_organisation_lifecycle_is_used(self) -> None:
        """sla_compliance reads the organisation's own lifecycle."""
        org = Organisation(
            name="Hub",
            currency="EUR",
            lifecycle=HUBSPOT,
            sla=SLA,
            leads=tuple(self._hubspot_leads()),
        )
        assert 3 == sla_compliance(org, MARCH).marketing.delivered

    def test_hubspot_leads_are_refused_by_a_waterfall_organisation(self) -> None:
        """HubSpot histories are not legal walks of the demand waterfall: no silent zero."""
        with pytest.raises(IllegalTransition):
            judge(SLA, self._hubspot_leads(), MARCH)


class TestMerge:
    @settings(max_examples=60, deadline=None)
    @given(sla_organisations(), st.lists(st.integers(0, 9), max_size=3), st.booleans())
    def test_slices_of_the_leads_merge_to_the_whole(
        self, org: Organisation, cuts: list[int], business: bool
    ) -> None:
        """The compliance of consecutive slices of the leads merges to that of the whole."""
        sla = attrs.evolve(SLA, **IN_BUSINESS_HOURS) if business else SLA
        quarter = Period.quarter(2026, 1)
        parts = [sla_compliance(p, quarter, sla=sla) for p in slice_organisation(org, cuts)]
        assert sla_compliance(org, quarter, sla=sla) == SlaCompliance.merge(parts)

    def test_merge_is_associative_and_has_an_empty_value(self) -> None:
        """Grouping does not matter, and the compliance of no leads changes nothing."""
        org = organisation_of(leads(), feedback=feedback(), sla=SLA)
        whole = sla_compliance(org, MARCH)
        a, b, c = (sla_compliance(p, MARCH) for p in slice_organisation(org, [2, 4]))
        empty = sla_compliance(attrs.evolve(org, leads=(), feedback=()), MARCH)
        merge = SlaCompliance.merge
        assert merge([merge([a, b]), c]) == merge([a, merge([b, c])]) == whole
        assert whole == merge([empty, whole, empty])

    def test_parts_must_share_the_evaluation(self) -> None:
        """Parts judged at different times, or no parts, raise ValidationError."""
        org = organisation_of(leads(), feedback=feedback(), sla=SLA)
        later = sla_compliance(org, MARCH, at=datetime(2026, 4, 2, tzinfo=UTC))
        with pytest.raises(ValidationError, match="share one at"):
            SlaCompliance.merge([sla_compliance(org, MARCH), later])
        with pytest.raises(ValidationError, match="at least one part"):
            SlaCompliance.merge([])


class TestTheRepeatedAutumnHour:
    def test_a_call_after_the_handover_by_the_time_line_counts(self) -> None:
        """In Berlin's repeated hour, a call at 02:10 winter time follows a 02:30 summer-time handover.

        On 25 October 2026 Berlin's clocks go from 03:00 CEST back to 02:00 CET. The MQL
        at 02:30 CEST is 00:30 UTC; the call at 02:10 CET (fold=1) is 01:10 UTC, 40
        minutes later, though its wall clock is earlier: the follow-up is on time.
        """
        from zoneinfo import ZoneInfo

        berlin = ZoneInfo("Europe/Berlin")
        handover = datetime(2026, 10, 25, 2, 30, tzinfo=berlin)
        called = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=berlin)
        lead = mql("L", handover, calls=(called,))
        result = judge(
            ServiceLevelAgreement(id="sla", mql_volume=1), [lead], Period.month(2026, 10, berlin)
        )
        assert {"due": 1, "on_time": 1, "attempts": 1, "breaches": ["no_feedback"]} == {
            "due": result.sales.follow_ups_due,
            "on_time": result.sales.followed_up_on_time,
            "attempts": result.sales.given_up + len(lead.touchpoints),
            "breaches": [b.kind.value for b in result.breaches],
        }


class TestBoundaries:
    """Deadlines and the period are judged at their exact edges: on the deadline is on time, the period is half-open."""

    def test_a_follow_up_on_the_deadline_is_on_time(self) -> None:
        """A first call exactly 24 hours after the MQL is on time; one microsecond later is a breach."""
        on = mql("ON", t(2, 10), calls=(t(3, 10),))
        late = mql("LATE", t(2, 10), calls=(t(3, 10) + timedelta(microseconds=1),))
        report = judge(SLA, [on, late], MARCH)
        assert {"due": 2, "on_time": 1, "breaches": [("late_follow_up", "LATE")]} == {
            "due": report.sales.follow_ups_due,
            "on_time": report.sales.followed_up_on_time,
            "breaches": [k for k in kinds(report.breaches) if k[0] != "no_feedback"],
        }

    def test_feedback_on_the_deadline_is_on_time(self) -> None:
        """Feedback exactly 48 hours after the MQL is on time; one microsecond later is not."""
        leads_ = [mql("ON", t(2, 10), calls=(t(2, 11),)), mql("LATE", t(2, 10), calls=(t(2, 11),))]
        notes = [
            LeadFeedback(lead_id="ON", member_id="s1", at=t(4, 10), accepted=True),
            LeadFeedback(
                lead_id="LATE",
                member_id="s1",
                at=t(4, 10) + timedelta(microseconds=1),
                accepted=True,
            ),
        ]
        report = judge(SLA, leads_, MARCH, feedback=notes)
        assert (2, 1) == (report.sales.feedback_due, report.sales.feedback_on_time)

    def test_the_period_is_half_open(self) -> None:
        """An MQL at the period's first instant is delivered in it; one at its end is not."""
        first = mql("FIRST", MARCH.start, calls=(MARCH.start,))
        last = mql("END", MARCH.end, calls=(MARCH.end,))
        assert 1 == judge(SLA, [first, last], MARCH, at=MARCH.end).marketing.delivered

    def test_at_and_calendar_are_forwarded(self) -> None:
        """The evaluation time and the working calendar given are the ones the report was judged by."""
        calendar = WorkingCalendar.standard("Europe/Berlin")
        sla = attrs.evolve(SLA, **IN_BUSINESS_HOURS)
        at = t(5, 12)
        report = judge(sla, leads(), MARCH, calendar=calendar, at=at)
        assert {"at": at, "calendar": calendar} == {"at": report.at, "calendar": report.calendar}
        wall = judge(SLA, leads(), MARCH, at=at)
        assert wall.at == at
        assert (wall.sales.follow_ups_due, wall.sales.feedback_due) != (
            judge(SLA, leads(), MARCH).sales.follow_ups_due,
            judge(SLA, leads(), MARCH).sales.feedback_due,
        )
