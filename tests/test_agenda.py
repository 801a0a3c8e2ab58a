"""Tests for salesmark.agenda: the data-driven agenda of the joint meeting.

The agenda fixture (March 2026, evaluated at 1 April 00:00 UTC) is ranked by hand with
``priority = weight x (1 + severity)``:

=========================  ======  =========================================  ========  ===
topic                      weight  severity                                   priority  min
=========================  ======  =========================================  ========  ===
SLA: marketing             5       acceptance shortfall (0.9 - 0.5) / 0.9     7.2222    5
SLA: sales                 5       1 breaching lead of 3 MQLs                 6.6667    5
KPI off track: CPL         4       |150 - 100| / 100 = 0.5                    6.0       4
Rejection reasons          3       2 rejected leads / 3 MQLs                  5.0       5
Narratives                 2       2 flagged of 3 live                        3.3333    4
Insight themes             2       erp: (0.5^(1/30) + 0.5^(16/30)) / 3       3.1121    4
Personas                   1.5     1 due of 2                                 2.25      3
KPI at risk: win rate      2       |0.28 - 0.30| / 0.30                       2.1333    3
Unused content             1       2 unused of 3                              1.6667    3
=========================  ======  =========================================  ========  ===

In 30 minutes the first seven fit exactly; win rate and content are deferred.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import build_agenda
from salesmark.agenda import AgendaTopic
from salesmark.cadence import MeetingCadence
from salesmark.content import BuyingStage, ContentAsset, ContentKind, ContentUsage
from salesmark.errors import NaiveDatetime, ValidationError
from salesmark.feedback import ClientInsight, FeedbackReason, LeadFeedback
from salesmark.kpis import (
    Direction,
    KpiDefinition,
    KpiUnit,
    Measurement,
    Scorecard,
    Target,
    TargetStatus,
)
from salesmark.leads import Lead, LeadSource
from salesmark.lifecycle import DEMAND_WATERFALL, HUBSPOT
from salesmark.meetings import Agenda, AgendaItem
from salesmark.metrics import KpiAssumptions, default_catalogue, scorecard_report
from salesmark.money import Money
from salesmark.narratives import Narrative
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Persona
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind
from strategies import sla_organisations

UTC = timezone.utc
MARCH = Period.month(2026, 3)
TUESDAY = datetime(2026, 1, 6, 9, tzinfo=UTC)


def t(day: int, hour: int = 0, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def kpi(key: str, direction: Direction, *owners: Team) -> KpiDefinition:
    return KpiDefinition(
        key=key,
        name=key.replace("_", " "),
        unit=KpiUnit.COUNT,
        direction=direction,
        owners=owners,
        formula=f"{key} formula",
    )


def narrative(nid: str, at: datetime, *, agreed: bool) -> Narrative:
    n = Narrative.draft(
        id=nid,
        persona_id="p1",
        audience="Ops",
        problem="delays",
        trends=("speed",),
        product="X",
        at=at,
    )
    return n.approve(Team.SALES, "s1", at=at).approve(Team.MARKETING, "m1", at=at) if agreed else n


def organisation() -> Organisation:
    source = LeadSource(channel="paid_search")
    call = Touchpoint(at=t(2, 11), channel="phone", kind=TouchpointKind.CALL, team=Team.SALES)
    l1 = (
        Lead.create(id="L1", created_at=t(2, 10), source=source, touchpoints=[call])
        .advance("mql", at=t(2, 10))
        .advance("sal", at=t(2, 12))
    )
    l2 = (
        Lead.create(id="L2", created_at=t(3, 10), source=source)
        .advance("mql", at=t(3, 10))
        .advance("rejected", at=t(3, 11), reason="mis_routed")
    )
    l3 = Lead.create(id="L3", created_at=t(4, 10), source=source).advance("mql", at=t(4, 10))
    l4 = Lead.create(id="L4", created_at=t(5, 10), source=source).advance(
        "disqualified", at=t(5, 11), reason="no_fit"
    )
    catalogue = (
        kpi("cost_per_lead", Direction.LOWER_IS_BETTER, Team.MARKETING),
        kpi("win_rate", Direction.HIGHER_IS_BETTER, Team.SALES, Team.MARKETING),
        kpi("mqls", Direction.HIGHER_IS_BETTER, Team.MARKETING),
        kpi("sqls", Direction.HIGHER_IS_BETTER, Team.SALES),
        kpi("deal_size", Direction.HIGHER_IS_BETTER, Team.SALES),
    )
    asset = {"kind": ContentKind.CASE_STUDY, "stage": BuyingStage.DECISION, "owner_id": "m1"}
    return Organisation(
        name="Acme",
        currency="EUR",
        members=(
            Member(id="s1", name="Sam", team=Team.SALES),
            Member(id="m1", name="Mia", team=Team.MARKETING),
        ),
        personas=(Persona(id="p1", name="Ops", review_due=t(15)), Persona(id="p2", name="IT")),
        narratives=(
            narrative("n1", t(1, month=2), agreed=False),
            narrative("n2", t(1, month=6, year=2025), agreed=True),
            narrative("n3", t(1, month=2), agreed=True),
        ),
        content=tuple(ContentAsset(id=f"a{i}", title=f"Case {i}", **asset) for i in (1, 2, 3)),  # type: ignore[arg-type]
        content_usage=(
            ContentUsage(asset_id="a1", member_id="s1", at=t(10)),
            ContentUsage(asset_id="a2", member_id="m1", at=t(10)),
        ),
        leads=(l1, l2, l3, l4),
        feedback=(
            LeadFeedback(lead_id="L1", member_id="s1", at=t(2, 12), accepted=True),
            LeadFeedback(
                lead_id="L2",
                member_id="s1",
                at=t(3, 11),
                accepted=False,
                reasons=(FeedbackReason.MIS_ROUTED, FeedbackReason.WRONG_PERSONA),
            ),
        ),
        insights=(
            ClientInsight(member_id="s1", at=t(31), themes=("pricing", "erp")),
            ClientInsight(member_id="s1", at=t(1), themes=("pricing",)),
            ClientInsight(member_id="s1", at=t(16), themes=("erp",)),
        ),
        kpis=catalogue,
        measurements=(
            Measurement(kpi="cost_per_lead", period=MARCH, value=150),
            Measurement(kpi="win_rate", period=MARCH, value="0.28"),
            Measurement(kpi="mqls", period=MARCH, value=12),
            Measurement(kpi="cost_per_lead", period=Period.month(2026, 2), value=900),
        ),
        targets=(
            Target(kpi="cost_per_lead", period=MARCH, goal=100),
            Target(kpi="win_rate", period=MARCH, goal="0.30"),
            Target(kpi="mqls", period=MARCH, goal=10),
            Target(kpi="sqls", period=MARCH, goal=10),
        ),
        scorecards=(Scorecard(team=Team.SALES, kpis=("win_rate", "sqls", "deal_size")),),
        sla=ServiceLevelAgreement(id="sla", mql_volume=4),
        cadence=MeetingCadence.weekly(TUESDAY),
    )


RANKED = [
    ("SLA: marketing's commitments missed", Team.MARKETING, 5, 7.2222),
    ("SLA: sales' commitments missed", Team.SALES, 5, 6.6667),
    ("KPI off track: cost per lead", Team.MARKETING, 4, 6.0),
    ("Lead quality: top rejection reason 'mis_routed'", Team.MARKETING, 5, 5.0),
    ("Narratives: 2 awaiting approval or stale", Team.MARKETING, 4, 3.3333),
    ("Client insights: 'erp' is the most prevalent theme", Team.SALES, 4, 3.1121),
    ("Personas: 1 due for review", Team.MARKETING, 3, 2.25),
    ("KPI at risk: win rate", Team.SALES, 3, 2.1333),
    ("Content: 2 asset(s) sales never used", Team.MARKETING, 3, 1.6667),
]


# the topics the agenda read from the data before it followed meetings through
DATA_TOPICS = (
    AgendaTopic.SLA_SALES,
    AgendaTopic.SLA_MARKETING,
    AgendaTopic.KPI_OFF_TRACK,
    AgendaTopic.REJECTION_REASONS,
    AgendaTopic.KPI_AT_RISK,
    AgendaTopic.INSIGHT_THEMES,
    AgendaTopic.NARRATIVES,
    AgendaTopic.PERSONA_REVIEW,
    AgendaTopic.UNUSED_CONTENT,
)

PLANNING = AgendaTopic.FORECAST_TARGET


def summary(items: tuple[AgendaItem, ...]) -> list[tuple[str, Team, int, float]]:
    return [(i.title, i.owner, i.minutes, i.priority) for i in items]


class TestAgendaTopic:
    def test_weights_and_minutes(self) -> None:
        """Each topic carries its documented weight and time slot."""
        assert [5.0, 5.0, 4.0, 3.0, 2.0, 2.0, 2.0, 1.5, 1.0] == [
            topic.weight for topic in DATA_TOPICS
        ]
        assert [5, 5, 4, 5, 3, 4, 4, 3, 3] == [topic.minutes for topic in DATA_TOPICS]

    def test_follow_through_topics(self) -> None:
        """Open actions, decision reviews, unreflected themes and losing content have their weights and slots."""
        assert {
            AgendaTopic.OPEN_ACTION: (4.0, 1),
            AgendaTopic.DECISION_REVIEW: (3.0, 2),
            AgendaTopic.UNREFLECTED_THEMES: (2.0, 4),
            AgendaTopic.LOSING_CONTENT: (1.5, 3),
        } == {t: (t.weight, t.minutes) for t in AgendaTopic if t not in (*DATA_TOPICS, PLANNING)}

    def test_forecast_topic(self) -> None:
        """The forecast-against-target topic weighs like a KPI off track and gets four minutes."""
        assert (4.0, 4) == (PLANNING.weight, PLANNING.minutes)

    def test_existing_topics_keep_their_order(self) -> None:
        """The new topics are added around the data topics, whose relative order is unchanged."""
        assert list(DATA_TOPICS) == [t for t in AgendaTopic if t in DATA_TOPICS]


class TestBuildAgenda:
    def test_ranking_by_hand(self) -> None:
        """Items come in the hand-computed order with their owners, minutes and priorities."""
        agenda = build_agenda(organisation(), MARCH, timedelta(minutes=60))
        assert RANKED == summary(agenda.items)
        assert () == agenda.deferred

    def test_thirty_minutes_defers_what_does_not_fit(self) -> None:
        """In the default 30 minutes the first seven items fill the box and two are deferred."""
        agenda = build_agenda(organisation(), MARCH)
        assert (RANKED[:7], RANKED[7:], 30, 0) == (
            summary(agenda.items),
            summary(agenda.deferred),
            agenda.minutes_used,
            agenda.spare_minutes,
        )

    def test_smaller_items_fill_the_gap_after_a_deferral(self) -> None:
        """With 22 minutes, narratives and themes (4 min) are deferred but personas (3 min) still fit."""
        agenda = build_agenda(organisation(), MARCH, timedelta(minutes=22))
        assert [r[0] for r in RANKED[:4]] + [RANKED[6][0]] == [i.title for i in agenda.items]
        assert [RANKED[4][0], RANKED[5][0], RANKED[7][0], RANKED[8][0]] == [
            i.title for i in agenda.deferred
        ]

    def test_evidence_names_the_facts(self) -> None:
        """Each item carries the data behind it."""
        items = {
            i.title: i.evidence
            for i in build_agenda(organisation(), MARCH, timedelta(minutes=60)).items
        }
        assert (
            "3 of 4 committed MQLs delivered",
            "acceptance 50.0% vs minimum 90.0% (1 accepted, 1 not)",
            "not accepted: L2",
        ) == items[RANKED[0][0]]
        assert (
            "1 of 3 MQLs breached sales' commitments",
            "no_follow_up: L3",
            "no_feedback: L3",
        ) == items[RANKED[1][0]]
        assert (
            "cost per lead: 150 vs goal 100 (lower is better)",
            "formula: cost_per_lead formula",
        ) == items[RANKED[2][0]]
        assert (
            "2 lead(s) turned down; 3 MQLs in the period",
            "mis_routed: 1 lead(s)",
            "no_fit: 1 lead(s)",
            "wrong_persona: 1 lead(s)",
        ) == items[RANKED[3][0]]
        assert (
            "n1 (v1) awaits marketing and sales approval",
            "n2 (v1) agreed version from 2025-06-01 is older than 180 days",
        ) == items[RANKED[4][0]]
        assert (
            "erp: 2 of 3 insights, latest 2026-03-31",
            "pricing: 2 of 3 insights, latest 2026-03-31",
        ) == items[RANKED[5][0]]
        assert ("p1 'Ops' review due 2026-03-15",) == items[RANKED[6][0]]
        assert "a2 'Case 2' (case_study, owner m1)" == items[RANKED[8][0]][1]

    def test_next_meetings_come_from_the_cadence(self) -> None:
        """The next three weekly Tuesdays after 1 April are listed."""
        agenda = build_agenda(organisation(), MARCH)
        assert (t(7, 9, month=4), t(14, 9, month=4), t(21, 9, month=4)) == agenda.next_meetings

    def test_an_empty_organisation_has_an_empty_agenda(self) -> None:
        """With no data there is nothing to discuss and no next meeting."""
        agenda = build_agenda(Organisation(name="Acme", currency="EUR"), MARCH)
        assert ((), (), ()) == (agenda.items, agenda.deferred, agenda.next_meetings)

    def test_top_limits_reasons_and_themes(self) -> None:
        """``top=1`` lists one reason and one theme; ``top=0`` leaves both out."""
        items = {
            i.title: i.evidence
            for i in build_agenda(organisation(), MARCH, timedelta(minutes=60), top=1).items
        }
        assert 2 == len(items[RANKED[3][0]])
        titles = [
            i.title for i in build_agenda(organisation(), MARCH, timedelta(minutes=60), top=0).items
        ]
        assert RANKED[3][0] not in titles
        assert RANKED[5][0] not in titles

    def test_a_single_awaited_team_owns_the_narratives(self) -> None:
        """A narrative waiting only for sales makes sales the owner of the item."""
        org = organisation()
        waiting = narrative("n1", t(1, month=2), agreed=False).approve(
            Team.MARKETING, "m1", at=t(2, month=2)
        )
        org = attrs.evolve(org, narratives=(waiting,))
        item = next(
            i
            for i in build_agenda(org, MARCH, timedelta(minutes=60)).items
            if i.title.startswith("Narratives")
        )
        assert (Team.SALES, 4.0) == (item.owner, item.priority)

    def test_records_and_repr(self) -> None:
        """The agenda reads in one line and gives one record per item, fitted first."""
        agenda = build_agenda(organisation(), MARCH)
        assert "Agenda(30 min: 7 items (30 min), 2 deferred, next meeting 2026-04-07)" == repr(
            agenda
        )
        records = agenda.to_records()
        assert (9, 1, "scheduled", "deferred", "marketing") == (
            len(records),
            records[0]["rank"],
            records[0]["status"],
            records[-1]["status"],
            records[0]["owner"],
        )

    def test_as_meeting_keeps_the_fitted_items(self) -> None:
        """A planned meeting from the agenda holds exactly the fitted items."""
        agenda = build_agenda(organisation(), MARCH)
        meeting = agenda.as_meeting("m-apr", agenda.next_meetings[0])
        assert (agenda.items, 30) == (meeting.agenda, meeting.agenda_minutes)

    @pytest.mark.parametrize(
        ("kwargs", "fragment"),
        [
            ({"duration": timedelta(0)}, "duration"),
            ({"theme_half_life": timedelta(days=-1)}, "theme_half_life"),
            ({"narrative_max_age": 180}, "narrative_max_age"),
            ({"top": -1}, "top"),
            ({"upcoming": True}, "upcoming"),
        ],
    )
    def test_bad_arguments_are_refused(self, kwargs: dict[str, object], fragment: str) -> None:
        """Non-positive durations and negative counts raise ValidationError."""
        with pytest.raises(ValidationError, match=fragment):
            build_agenda(organisation(), MARCH, **kwargs)  # type: ignore[arg-type]

    def test_naive_time_is_refused(self) -> None:
        """A naive ``at`` raises NaiveDatetime."""
        with pytest.raises(NaiveDatetime):
            build_agenda(organisation(), MARCH, at=datetime(2026, 4, 1))

    def test_period_must_be_a_period(self) -> None:
        """A string where the period belongs raises ValidationError naming the argument."""
        with pytest.raises(ValidationError, match="build_agenda period must be a Period"):
            build_agenda(organisation(), "q1")  # type: ignore[arg-type]

    def test_org_must_be_an_organisation(self) -> None:
        """Something else than an organisation raises ValidationError naming the argument."""
        with pytest.raises(ValidationError, match="build_agenda org must be an Organisation"):
            build_agenda("Acme", MARCH)  # type: ignore[arg-type]

    @settings(max_examples=50, deadline=None)
    @given(sla_organisations(), st.integers(min_value=1, max_value=45))
    def test_agenda_fits_the_box_in_rank_order(self, org: Organisation, minutes: int) -> None:
        """Fitted items never exceed the time box, and each list is sorted by priority."""
        agenda = build_agenda(org, Period.quarter(2026, 1), timedelta(minutes=minutes))
        assert agenda.minutes_used <= minutes
        for items in (agenda.items, agenda.deferred):
            priorities = [i.priority for i in items]
            assert sorted(priorities, reverse=True) == priorities
        assert all(i.minutes > agenda.spare_minutes for i in agenda.deferred)


class TestBuildAgendaKpis:
    """KPI items read the same values as the scorecard: recorded, else computed."""

    def _org(self) -> Organisation:
        defs = {d.key: d for d in default_catalogue(DEMAND_WATERFALL).definitions}
        leads = tuple(
            Lead.create(id=f"M{day}", created_at=t(day, 9)).advance("mql", at=t(day, 10))
            for day in (2, 3, 4)
        )
        return Organisation(
            name="Acme",
            currency="EUR",
            leads=leads,
            kpis=(defs["mqls"], defs["new_leads"], defs["revenue"]),
            scorecards=(Scorecard(team=Team.MARKETING, kpis=("mqls", "new_leads", "revenue")),),
            targets=(
                Target(kpi="mqls", period=MARCH, goal=10),
                Target(kpi="new_leads", period=MARCH, goal=2),
            ),
        )

    def test_unrecorded_kpis_are_computed_like_the_scorecard(self) -> None:
        """With no measurement recorded, 3 MQLs against a goal of 10 is off track on the agenda as on the scorecard."""
        org = self._org()
        row = scorecard_report(org, Team.MARKETING, MARCH).rows[0]
        agenda = build_agenda(org, MARCH)
        kpi_items = [i for i in agenda.items if i.title.startswith("KPI")]
        assert (Decimal(3), TargetStatus.OFF_TRACK) == (row.value, row.status)
        # severity |3 - 10| / 10 = 0.7, priority 4 x 1.7 = 6.8; new leads (3 vs 2) on track
        assert [("KPI off track: MQLs", Team.MARKETING, 4, 6.8)] == summary(tuple(kpi_items))
        assert "MQLs: 3 vs goal 10 (higher is better)" == kpi_items[0].evidence[0]

    def test_a_recorded_measurement_wins_over_the_computation(self) -> None:
        """A measurement of 12 MQLs recorded for March puts the KPI on track, as on the scorecard."""
        org = self._org()
        org = attrs.evolve(org, measurements=(Measurement(kpi="mqls", period=MARCH, value=12),))
        titles = [i.title for i in build_agenda(org, MARCH).items]
        assert [] == [title for title in titles if title.startswith("KPI")]


class TestBuildAgendaLifecycle:
    """Rejection reasons follow the organisation's lifecycle."""

    def test_hubspot_other_with_a_reason_is_a_rejection(self) -> None:
        """A HubSpot MQL moved to 'other' with reason 'bad_data' is counted, against 2 MQLs."""
        hs = HUBSPOT

        def handed_over(lead_id: str, day: int) -> Lead:
            lead = Lead.create(id=lead_id, created_at=t(day, 9), lifecycle=hs)
            return lead.advance("marketingqualifiedlead", at=t(day, 10), lifecycle=hs)

        turned_away = handed_over("H1", 2).advance(
            "other", at=t(2, 12), reason="bad_data", lifecycle=hs
        )
        accepted = handed_over("H2", 3).advance("salesqualifiedlead", at=t(3, 12), lifecycle=hs)
        org = Organisation(name="Hub", currency="EUR", lifecycle=hs, leads=(turned_away, accepted))
        items = build_agenda(org, MARCH).items
        # severity 1 rejected lead / 2 MQLs = 0.5, priority 3 x 1.5 = 4.5
        assert [("Lead quality: top rejection reason 'bad_data'", Team.MARKETING, 5, 4.5)] == (
            summary(items)
        )
        assert ("1 lead(s) turned down; 2 MQLs in the period", "bad_data: 1 lead(s)") == (
            items[0].evidence
        )


class TestRejectionReasons:
    def test_lost_deals_are_not_lead_rejections(self) -> None:
        """A lost opportunity's reason (price) is not a lead-rejection reason; a disqualification is."""
        lost = (
            Lead.create(id="P", created_at=t(2, 9), stage="opportunity")
            .advance("lost", at=t(2, 10), reason="price")
            .advance("recycled", at=t(3, 9), reason="reengage")
        )
        dq = Lead.create(id="D", created_at=t(2, 9), stage="sql").advance(
            "disqualified", at=t(2, 10), reason="no_budget"
        )
        org = Organisation(name="Acme", currency="EUR", leads=(lost, dq))
        (item,) = [i for i in build_agenda(org, MARCH).items if i.title.startswith("Lead quality")]
        assert ("no_budget: 1 lead(s)",) == item.evidence[1:]


class TestBuildAgendaHandovers:
    def test_every_handover_counts_as_an_mql(self) -> None:
        """A lead rejected, recycled and handed over again is two MQLs of March, as the SLA counts them."""
        lead = (
            Lead.create(id="R", created_at=t(2, 9))
            .advance("mql", at=t(2, 10))
            .advance("rejected", at=t(2, 11), reason="mis_routed")
            .advance("recycled", at=t(3, 9), reason="reengage")
            .advance("mql", at=t(10, 10))
        )
        org = Organisation(name="Acme", currency="EUR", leads=(lead,))
        item = build_agenda(org, MARCH).items[0]
        # severity 1 lead turned down / 2 MQLs = 0.5, priority 3 x 1.5 = 4.5; recycling
        # a lead already rejected is not a second rejection, so "reengage" is not listed
        assert (
            4.5,
            (
                "1 lead(s) turned down; 2 MQLs in the period",
                "mis_routed: 1 lead(s)",
            ),
        ) == (item.priority, item.evidence)


class TestAgenda:
    def test_is_frozen(self) -> None:
        """An agenda cannot be changed after it was built."""
        agenda = build_agenda(organisation(), MARCH)
        assert isinstance(agenda, Agenda)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            agenda.items = ()  # type: ignore[misc]

    def test_priorities_are_floats_rounded_to_4_places(self) -> None:
        """Priorities are plain floats rounded to 4 places."""
        agenda = build_agenda(organisation(), MARCH)
        assert all(
            isinstance(i.priority, float) and round(i.priority, 4) == i.priority
            for i in agenda.items
        )


class TestNarrativeEvidenceOnTheAgenda:
    def test_a_narrative_whose_evidence_dried_up_is_flagged(self) -> None:
        """n3 rests on 'mobile', which no insight of the last 90 days mentions: 3 of 3 flagged."""
        org = organisation()
        n3 = attrs.evolve(org.narratives[2], themes=("mobile",))
        org = attrs.evolve(org, narratives=(*org.narratives[:2], n3))
        item = next(
            i
            for i in build_agenda(org, MARCH, timedelta(minutes=60)).items
            if i.key == "narratives"
        )
        # severity 3 flagged of 3 live, priority 2 x 2 = 4.0
        assert ("Narratives: 3 awaiting approval or stale", 4.0) == (item.title, item.priority)
        assert (
            "n3 (v1) has no supporting insight in the 90 days before 2026-04-01"
            == item.evidence[-1]
        )

    def test_a_supported_narrative_is_not(self) -> None:
        """n3 resting on 'erp', heard on 31 March, stays off the list: still 2 flagged."""
        org = organisation()
        n3 = attrs.evolve(org.narratives[2], themes=("erp",))
        org = attrs.evolve(org, narratives=(*org.narratives[:2], n3))
        titles = [i.title for i in build_agenda(org, MARCH, timedelta(minutes=60)).items]
        assert "Narratives: 2 awaiting approval or stale" in titles


class TestRotation:
    def test_keys_name_the_topics(self) -> None:
        """Every item has a key that stays the same whatever its title says: a topic, or kpi:<key>."""
        agenda = build_agenda(organisation(), MARCH, timedelta(minutes=60))
        assert [
            "sla_marketing",
            "sla_sales",
            "kpi:cost_per_lead",
            "rejection_reasons",
            "narratives",
            "insight_themes",
            "persona_review",
            "kpi:win_rate",
            "unused_content",
        ] == [i.key for i in agenda.items]

    def test_deferred_topics_go_ahead_next_time(self) -> None:
        """Win rate and content, deferred at a meeting on 24 March, lead the topics on 1 April."""
        org = organisation()
        first = build_agenda(org, MARCH, at=t(24))
        held = first.as_meeting("mt1", t(24)).hold(attendees=("s1", "m1"))
        agenda = build_agenda(attrs.evolve(org, meetings=(held,)), MARCH)
        assert ["kpi:win_rate", "unused_content"] == [i.key for i in first.deferred]
        assert ["kpi:win_rate", "unused_content"] == [i.key for i in agenda.items[:2]]
        assert [1, 1] == [i.deferrals for i in agenda.items[:2]]


class TestForecastAgainstTarget:
    @staticmethod
    def _org() -> Organisation:
        t = datetime(2026, 5, 4, tzinfo=timezone.utc)
        eur = Money.of(900, "EUR")
        history = [
            Lead.create(id=f"H{i}", created_at=t, stage="opportunity", value=eur).advance(
                "won" if i % 2 else "lost",
                at=t + timedelta(days=10),
                reason=None if i % 2 else "price",
            )
            for i in range(4)
        ]
        deal = Lead.create(
            id="D1", created_at=t + timedelta(days=20), stage="opportunity", value=eur
        )
        return Organisation(name="Acme", currency="EUR", leads=(*history, deal))

    def _topics(self, target: int, at: datetime) -> list[AgendaItem]:
        agenda = build_agenda(
            self._org(),
            Period.month(2026, 6),
            at=at,
            assumptions=KpiAssumptions(revenue_target=Money.of(target, "EUR")),
        )
        return [i for i in (*agenda.items, *agenda.deferred) if i.key == "forecast_target"]

    def test_a_target_beyond_the_interval_is_a_topic(self) -> None:
        """A June target of 50,000 EUR, far above anything the pipeline can book, is on the agenda."""
        (item,) = self._topics(50_000, datetime(2026, 6, 1, tzinfo=timezone.utc))
        assert {"owner": Team.SALES, "minutes": 4, "miss": True} == {
            "owner": item.owner,
            "minutes": item.minutes,
            "miss": "likely to miss 50,000.00 EUR" in item.title,
        }

    def test_a_target_inside_the_interval_is_not(self) -> None:
        """A target the interval holds (900 to 3,600 EUR: the open deal and new leads) raises nothing."""
        assert [] == self._topics(1_800, datetime(2026, 6, 1, tzinfo=timezone.utc))

    def test_a_finished_period_is_left_to_the_kpis(self) -> None:
        """At the period's end there is nothing left to forecast: no forecast topic."""
        assert [] == self._topics(50_000, datetime(2026, 7, 1, tzinfo=timezone.utc))
