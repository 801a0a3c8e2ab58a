"""Hypothesis strategies for SLA, agenda, recognition and alignment tests.

``sla_organisations()`` draws small but complete sla_organisations: both teams, campaigns,
content and its use, leads with legal stage histories and touchpoints of both teams,
feedback, insights, personas, narratives, KPIs with targets, scorecards, an optional
SLA (on the wall clock or in business hours), a cadence and meetings.
``loop_organisations()`` adds meetings that follow through (attendance, deferred
topics, decisions and actions closed on time, late or never) and insights that name
their leads and accounts.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from salesmark.cadence import MeetingCadence
from salesmark.campaigns import Campaign
from salesmark.content import BuyingStage, ContentAsset, ContentKind, ContentUsage
from salesmark.content_performance import content_performance
from salesmark.feedback import ClientInsight, FeedbackReason, LeadFeedback, Sentiment
from salesmark.follow_through import action_follow_through
from salesmark.insights import rank_themes, theme_trends
from salesmark.kpis import Direction, KpiDefinition, KpiUnit, Measurement, Scorecard, Target
from salesmark.leads import Lead, LeadSource
from salesmark.meetings import ActionItem, AgendaItem, Decision, Meeting
from salesmark.money import Money
from salesmark.narratives import Narrative
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Evidence, EvidenceKind, Persona
from salesmark.sla import Clock, ServiceLevelAgreement
from salesmark.teams import Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

_UTC = timezone.utc
_BASE = datetime(2026, 1, 1, tzinfo=_UTC)
SLA_QUARTER = Period.quarter(2026, 1)

SLA_MEMBERS = (
    Member(id="s1", name="Sam", team=Team.SALES),
    Member(id="s2", name="Sue", team=Team.SALES),
    Member(id="m1", name="Mia", team=Team.MARKETING),
    Member(id="m2", name="Max", team=Team.MARKETING),
)
SLA_CAMPAIGNS = (
    Campaign(
        id="c1",
        name="Search",
        channel="paid_search",
        owner_id="m1",
        period=SLA_QUARTER,
        budget=Money.of(1000, "EUR"),
    ),
    Campaign(
        id="c2",
        name="Webinar",
        channel="webinar",
        owner_id="m2",
        period=SLA_QUARTER,
        budget=Money.of(500, "EUR"),
    ),
)
SLA_CONTENT = tuple(
    ContentAsset(
        id=f"a{i}",
        title=f"Asset {i}",
        kind=ContentKind.EBOOK,
        stage=BuyingStage.DECISION,
        owner_id=owner,
    )
    for i, owner in ((1, "m1"), (2, "m2"), (3, "m2"))
)

# stage paths after "inquiry"; reasons where the lifecycle needs one
PATHS: tuple[tuple[tuple[str, str | None], ...], ...] = (
    (),
    (("mql", None),),
    (("mql", None), ("sal", None)),
    (("mql", None), ("sal", None), ("sql", None), ("opportunity", None), ("won", None)),
    (("mql", None), ("sal", None), ("sql", None), ("opportunity", None), ("lost", "price")),
    (("mql", None), ("rejected", "mis_routed")),
    (("mql", None), ("recycled", "not_ready")),
    (("mql", None), ("sal", None), ("disqualified", "unreachable")),
    (("disqualified", "no_fit"),),
)

hours = st.integers(min_value=0, max_value=24 * 10)


@st.composite
def sla_touchpoints(draw: st.DrawFn, start: datetime) -> Touchpoint:
    """A touchpoint of either team some hours after ``start``."""
    team = draw(st.sampled_from(Team))
    return Touchpoint(
        at=start + timedelta(hours=draw(hours)),
        channel="email",
        kind=TouchpointKind.CALL if team is Team.SALES else TouchpointKind.EMAIL_CLICK,
        team=team,
        campaign_id=draw(st.sampled_from((None, "c1", "c2"))) if team is Team.MARKETING else None,
        content_id=draw(st.sampled_from((None, "a1", "a2"))),
        member_id="s1" if team is Team.SALES else None,
    )


@st.composite
def sla_leads(draw: st.DrawFn, index: int) -> Lead:
    """A lead with a legal history, sla_touchpoints and maybe a source and value."""
    created = _BASE + timedelta(hours=draw(st.integers(min_value=0, max_value=24 * 95)))
    source = draw(
        st.sampled_from(
            (
                None,
                LeadSource(channel="paid_search", campaign_id="c1"),
                LeadSource(campaign_id="c2"),
            )
        )
    )
    value = draw(st.sampled_from((None, Money.of("1000.00", "EUR"), Money.of("333.33", "EUR"))))
    lead = Lead.create(
        id=f"L{index}",
        created_at=created,
        source=source,
        value=value,
        owner_id=draw(st.sampled_from((None, "s1", "s2"))),
        touchpoints=draw(st.lists(sla_touchpoints(created), max_size=4)),
    )
    at = created
    for stage, reason in draw(st.sampled_from(PATHS)):
        at += timedelta(hours=draw(hours))
        lead = lead.advance(stage, at=at, reason=reason)
    return lead


@st.composite
def sla_organisations(draw: st.DrawFn) -> Organisation:
    """A small organisation with everything the analytics read."""
    all_leads = [draw(sla_leads(i)) for i in range(draw(st.integers(min_value=0, max_value=8)))]
    feedback = []
    for lead in all_leads:
        if draw(st.booleans()):
            accepted = draw(st.booleans())
            feedback.append(
                LeadFeedback(
                    lead_id=lead.id,
                    member_id="s1",
                    at=lead.created_at + timedelta(hours=draw(hours)),
                    accepted=accepted,
                    reasons=() if accepted else (draw(st.sampled_from(FeedbackReason)),),
                )
            )
    insights = [
        ClientInsight(
            member_id="s2",
            at=_BASE + timedelta(days=draw(st.integers(0, 89))),
            themes=tuple(
                draw(
                    st.lists(
                        st.sampled_from(("pricing", "erp", "mobile")),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    )
                )
            ),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    persona = Persona(
        id="p1", name="Ops", review_due=draw(st.sampled_from((None, _BASE + timedelta(days=30))))
    )
    if draw(st.booleans()):
        persona = persona.with_evidence(
            Evidence(kind=EvidenceKind.WON_DEAL, team=Team.SALES, at=_BASE, summary="wins")
        )
        persona = persona.approve(Team.SALES, "s1", at=_BASE).approve(
            Team.MARKETING, "m1", at=_BASE
        )
    narrative = Narrative.draft(
        id="n1",
        persona_id="p1",
        audience="Ops",
        problem="delays",
        trends=("speed",),
        product="X",
        at=_BASE,
    )
    if draw(st.booleans()):
        narrative = narrative.approve(Team.SALES, "s1", at=_BASE).approve(
            Team.MARKETING, "m1", at=_BASE
        )
    kpis = (
        KpiDefinition(
            key="win_rate",
            name="Win rate",
            unit=KpiUnit.RATIO,
            direction=Direction.HIGHER_IS_BETTER,
            owners=(Team.SALES, Team.MARKETING),
            formula="won / opportunities",
        ),
        KpiDefinition(
            key="cost_per_lead",
            name="CPL",
            unit=KpiUnit.MONEY,
            direction=Direction.LOWER_IS_BETTER,
            owners=(Team.MARKETING,),
            formula="spend / leads",
        ),
        KpiDefinition(
            key="mqls",
            name="MQLs",
            unit=KpiUnit.COUNT,
            direction=Direction.HIGHER_IS_BETTER,
            owners=(Team.MARKETING,),
            formula="count of MQLs",
        ),
    )
    value = draw(st.integers(0, 200))
    sla = draw(
        st.sampled_from(
            (
                None,
                ServiceLevelAgreement(id="sla", mql_volume=2),
                ServiceLevelAgreement(
                    id="sla",
                    mql_volume=1,
                    period_length="quarter",
                    follow_up_clock=Clock.BUSINESS,
                    feedback_clock=Clock.BUSINESS,
                ),
            )
        )
    )
    cadence = MeetingCadence.every_other_week(datetime(2026, 1, 6, 9, tzinfo=_UTC))
    slots = cadence.between(SLA_QUARTER.start, SLA_QUARTER.end)
    meetings = [
        Meeting(id=f"mt{i}", at=slot) for i, slot in enumerate(slots) if draw(st.booleans())
    ]
    usage = [
        ContentUsage(asset_id=a, member_id=draw(st.sampled_from(("s1", "m1"))), at=_BASE)
        for a in draw(st.lists(st.sampled_from(("a1", "a2", "a3")), unique=True))
    ]
    return Organisation(
        name="Acme",
        currency="EUR",
        members=SLA_MEMBERS,
        personas=(persona,),
        narratives=(narrative,),
        campaigns=SLA_CAMPAIGNS,
        content=SLA_CONTENT,
        content_usage=tuple(usage),
        leads=tuple(all_leads),
        feedback=tuple(feedback),
        insights=tuple(insights),
        kpis=kpis,
        measurements=(Measurement(kpi="cost_per_lead", period=SLA_QUARTER, value=value),),
        targets=(Target(kpi="cost_per_lead", period=SLA_QUARTER, goal=Decimal(100)),),
        scorecards=(Scorecard(team=Team.MARKETING, kpis=("cost_per_lead", "mqls", "win_rate")),)
        if draw(st.booleans())
        else (),
        sla=sla,
        cadence=cadence if draw(st.booleans()) else None,
        meetings=tuple(meetings),
    )


owner_credits = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=4),
    st.one_of(
        st.integers(min_value=0, max_value=10**6),
        st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
        st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=8,
).filter(lambda d: any(v > 0 for v in d.values()))
"""Credit per owner: at least one positive."""

pools = st.builds(
    Money.of,
    st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(("EUR", "USD", "JPY", "KWD")),
)
"""A non-negative bonus pool in a currency with 2, 0 or 3 decimal places."""


@st.composite
def loop_meetings(draw: st.DrawFn, cadence: MeetingCadence) -> tuple[Meeting, ...]:
    """The quarter's meetings on ``cadence``: attended by both teams or one, each deferring
    topics, taking decisions and agreeing actions closed on time, late, undated or never."""
    topics = ("sla_sales", "narratives", "unused_content", "persona_review")
    meetings = []
    for i, slot in enumerate(cadence.between(SLA_QUARTER.start, SLA_QUARTER.end)):
        if not draw(st.booleans()):
            continue
        ident = f"mt{i}"
        covered = draw(st.lists(st.sampled_from(topics), max_size=2, unique=True))
        drawn = draw(st.lists(st.sampled_from(topics), max_size=2, unique=True))
        put_off = [k for k in drawn if k not in covered]
        agenda = tuple(AgendaItem(title=k, owner=Team.SALES, minutes=3, key=k) for k in covered)
        actions = []
        for n in range(draw(st.integers(0, 2))):
            due = slot + timedelta(days=draw(st.integers(1, 20)))
            action = ActionItem(id=f"{ident}-a{n}", description="follow up", owner_id="m1", due=due)
            fate = draw(st.sampled_from(["open", "on time", "late", "undated"]))
            if fate == "on time":
                action = action.completed(due - timedelta(hours=draw(hours) % 24))
            elif fate == "late":
                action = action.completed(due + timedelta(hours=draw(hours) + 1))
            elif fate == "undated":
                action = action.completed()
            actions.append(action)
        decides = bool(covered) and draw(st.booleans())
        decisions = (
            [
                Decision(
                    id=f"{ident}-d0",
                    description="decided",
                    owner_id="s1",
                    due=slot + timedelta(days=draw(st.integers(0, 30))),
                    agenda_key=covered[0],
                    reviewed_at=draw(st.none() | st.just(slot + timedelta(days=35))),
                )
            ]
            if decides
            else []
        )
        meetings.append(
            Meeting(
                id=ident,
                at=slot,
                attendees=draw(st.sampled_from(((), ("s1",), ("s1", "m1"), ("s2", "m2", "m1")))),
                agenda=agenda,
                deferred=tuple(
                    AgendaItem(title=k, owner=Team.SALES, minutes=3, key=k) for k in put_off
                ),
                decisions=tuple(decisions),
                actions=tuple(actions),
            )
        )
    return tuple(meetings)


@st.composite
def loop_organisations(draw: st.DrawFn) -> Organisation:
    """An SLA organisation whose meetings follow through and whose insights name leads and accounts."""
    org = draw(sla_organisations())
    cadence = MeetingCadence.weekly(datetime(2026, 1, 6, 9, tzinfo=_UTC))
    lead_ids = [lead.id for lead in org.leads]
    insights = tuple(
        ClientInsight(
            id=f"i{n}",
            member_id=draw(st.sampled_from(("s1", "s2"))),
            at=_BASE + timedelta(days=draw(st.integers(0, 89))),
            themes=(draw(st.sampled_from(("pricing", "erp", "mobile"))),),
            sentiment=draw(st.sampled_from(Sentiment)),
            lead_id=draw(st.none() | st.sampled_from(lead_ids)) if lead_ids else None,
            account_id=draw(st.none() | st.sampled_from(("acme", "globex"))),
        )
        for n in range(draw(st.integers(0, 6)))
    )
    narrative = attrs.evolve(org.narratives[0], themes=draw(st.sampled_from(((), ("erp",)))))
    return attrs.evolve(
        org,
        cadence=cadence,
        meetings=draw(loop_meetings(cadence)),
        insights=insights,
        narratives=(narrative,),
    )


def loop_results() -> st.SearchStrategy[object]:
    """A result of the follow-through analytics over a drawn organisation."""
    months = [Period.month(2026, m) for m in (1, 2, 3)]
    return loop_organisations().flatmap(
        lambda org: st.sampled_from(
            [
                rank_themes(org, SLA_QUARTER),
                theme_trends(org, months),
                content_performance(org, SLA_QUARTER),
                action_follow_through(org, SLA_QUARTER),
            ]
        )
    )
