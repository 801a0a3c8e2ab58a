"""Hypothesis strategies for every public domain type of salesmark.

Times are drawn as instants and shown in one of several zones (fixed offsets and named
zones with daylight saving), so histories are ordered in real time. Wall times that a
daylight-saving change makes ambiguous are shown in UTC instead: Python compares two
datetimes of one zone by their wall clock, so an ambiguous hour could order a history
differently before and after a round trip (the tests of that edge live in
``test_period.py`` and ``test_leads.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    HUBSPOT,
    ActionItem,
    Approval,
    BuyingStage,
    Campaign,
    ClientInsight,
    ContentAsset,
    ContentKind,
    ContentUsage,
    Criterion,
    Direction,
    Evidence,
    EvidenceKind,
    FeedbackReason,
    KpiDefinition,
    KpiUnit,
    Lead,
    LeadFeedback,
    LeadSource,
    Lifecycle,
    Measurement,
    Meeting,
    MeetingCadence,
    Member,
    Money,
    Narrative,
    Organisation,
    Period,
    Persona,
    Scorecard,
    Sentiment,
    ServiceLevelAgreement,
    StageChange,
    StageDefinition,
    Target,
    Team,
    Touchpoint,
    TouchpointKind,
    Transition,
)
from salesmark.kpis import KpiValue
from salesmark.lifecycle import ForecastCategory
from salesmark.meetings import AgendaItem, Decision
from salesmark.narratives import NarrativeRevision
from salesmark.sla import Clock

UTC = timezone.utc
FIXED_ZONES: list[tzinfo] = [
    UTC,
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=-8)),
    timezone(timedelta(hours=12, minutes=45)),
    timezone(timedelta(hours=-3, minutes=-30)),
]
NAMED_ZONES: list[tzinfo] = [
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Lord_Howe"),  # half-hour daylight saving
    ZoneInfo("Asia/Kolkata"),
]
ZONES = FIXED_ZONES + NAMED_ZONES
zones = st.sampled_from(ZONES)

MIN_TIME = datetime(2020, 1, 1)
MAX_TIME = datetime(2030, 1, 1)

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).filter(
    lambda s: s.strip() != ""
)
STAGES_OF_WATERFALL = DEMAND_WATERFALL.stage_names
currencies = st.sampled_from(["EUR", "USD", "GBP", "JPY", "KWD", "CHF"])
teams = st.sampled_from(list(Team))


def is_ambiguous(moment: datetime) -> bool:
    """Whether ``moment``'s wall time occurs twice (the hour the clocks go back)."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


def show_in(instant: datetime, zone: tzinfo) -> datetime:
    """The instant as a wall time in ``zone``, or in UTC where that wall time is ambiguous."""
    local = instant.astimezone(zone)
    return instant.astimezone(UTC) if is_ambiguous(local) else local


def instants(
    min_value: datetime = MIN_TIME, max_value: datetime = MAX_TIME
) -> st.SearchStrategy[datetime]:
    """Instants in UTC, to the microsecond, between two naive UTC bounds."""
    return st.datetimes(min_value=min_value, max_value=max_value).map(
        lambda d: d.replace(tzinfo=UTC)
    )


@st.composite
def aware_datetimes(
    draw: st.DrawFn, min_value: datetime = MIN_TIME, max_value: datetime = MAX_TIME
) -> datetime:
    """Timezone-aware datetimes in fixed offsets and named zones, never ambiguous."""
    return show_in(draw(instants(min_value, max_value)), draw(zones))


def any_aware_datetimes() -> st.SearchStrategy[datetime]:
    """Any aware datetime hypothesis can make, ambiguous autumn hours (fold=1) included."""
    return st.datetimes(
        min_value=MIN_TIME,
        max_value=MAX_TIME,
        timezones=st.sampled_from(NAMED_ZONES) | st.timezones(),
        allow_imaginary=False,
    )


def later(draw: st.DrawFn, moment: datetime, max_gap: timedelta = timedelta(days=30)) -> datetime:
    """A moment not before ``moment`` in real time, shown in a random zone."""
    gap = draw(st.timedeltas(timedelta(0), max_gap))
    return show_in(moment.astimezone(UTC) + gap, draw(zones))


def decimals(places: int = 2, max_value: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Finite decimals with at most ``places`` decimal places."""
    return st.decimals(
        min_value=-max_value,
        max_value=max_value,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def money(draw: st.DrawFn, currency: str | None = None, min_amount: int | None = None) -> Money:
    """Money in a currency; amounts may be finer than the minor unit (up to 4 places)."""
    code = currency or draw(currencies)
    amount = draw(decimals(places=draw(st.integers(0, 4))))
    if min_amount is not None:
        amount = max(amount, Decimal(min_amount))
    return Money(amount, code)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Any period: calendar ones in any zone, rolling windows and arbitrary spans."""
    year = draw(st.integers(2021, 2029))
    tz = draw(zones)
    month, quarter = draw(st.integers(1, 12)), draw(st.integers(1, 4))
    kind = draw(
        st.sampled_from(["month", "quarter", "fiscal_q", "fiscal_y", "week", "rolling", "span"])
    )
    if kind == "rolling":
        length = draw(
            st.sampled_from(
                [
                    relativedelta(days=30),
                    relativedelta(months=3),
                    timedelta(days=7),
                    timedelta(hours=36),
                ]
            )
        )
        return Period.rolling(draw(aware_datetimes()), length)
    if kind == "span":
        start = draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
        return Period.between(start, later(draw, start + timedelta(seconds=1), timedelta(days=400)))
    calendar = {
        "month": lambda: Period.month(year, month, tz),
        "quarter": lambda: Period.quarter(year, quarter, tz),
        "fiscal_q": lambda: Period.fiscal_quarter(year, quarter, start_month=month, tz=tz),
        "fiscal_y": lambda: Period.fiscal_year(year, month, tz),
        "week": lambda: Period.iso_week(year, draw(st.integers(1, 52)), tz),
    }
    return calendar[kind]()


members = st.builds(Member, id=ids, name=words, team=teams)
approvals = st.builds(Approval, team=teams, member_id=ids, at=aware_datetimes())


def touchpoints(
    campaign_ids: st.SearchStrategy[str | None] | None = None,
    content_ids: st.SearchStrategy[str | None] | None = None,
    member_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[Touchpoint]:
    """Touchpoints of any kind (a CRM's own kinds too) by either team, optionally naming only the given ids."""
    return st.builds(
        Touchpoint,
        at=aware_datetimes(),
        channel=ids,
        kind=st.sampled_from(list(TouchpointKind)) | st.sampled_from(["linkedin", "sms", "Visit"]),
        team=teams,
        campaign_id=campaign_ids if campaign_ids is not None else st.none() | ids,
        content_id=content_ids if content_ids is not None else st.none() | ids,
        member_id=member_ids if member_ids is not None else st.none() | ids,
        source=st.none() | ids,
        medium=st.none() | ids,
    )


def lead_sources(
    campaign_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[LeadSource]:
    """UTM-style sources, each part possibly unknown."""
    return st.builds(
        LeadSource,
        source=st.none() | ids,
        medium=st.none() | ids,
        channel=st.none() | ids,
        campaign_id=campaign_ids if campaign_ids is not None else st.none() | ids,
        landing_page=st.none() | ids,
    )


attribute_values = (
    st.text(max_size=10)
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)


def reasons_for(lifecycle: Lifecycle, source: str, target: str) -> tuple[str, ...]:
    """The reason codes the lifecycle accepts for the move ``source -> target``."""
    return next(
        t.reasons for t in lifecycle.transitions if (t.source, t.target) == (source, target)
    )


@st.composite
def legal_walks(
    draw: st.DrawFn,
    lifecycle: Lifecycle = DEMAND_WATERFALL,
    start: datetime | None = None,
    by: st.SearchStrategy[str | None] | None = None,
    max_steps: int = 10,
) -> tuple[StageChange, ...]:
    """A stage history built by a random legal walk of ``lifecycle``.

    Each step picks a legal target of the current stage, gives one of its reason codes
    when the move needs one (and sometimes a free note code when it does not), and
    happens at or after the step before, in real time.
    """
    who = by if by is not None else st.none() | ids
    at = start if start is not None else draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
    history = [StageChange(stage=lifecycle.initial, at=at, by=draw(who))]
    for _ in range(draw(st.integers(0, max_steps))):
        options = lifecycle.targets(history[-1].stage)
        if not options:
            break
        target = draw(st.sampled_from(options))
        codes = reasons_for(lifecycle, history[-1].stage, target)
        reason = draw(st.sampled_from(codes)) if codes else draw(st.none() | st.just("noted"))
        at = later(draw, at)
        rival = None
        if target not in lifecycle.progression:  # a move off it may name a competitor
            rival = draw(st.none() | st.sampled_from(("Globex", "Initech")))
        change = StageChange(stage=target, at=at, by=draw(who), reason=reason, competitor=rival)
        history.append(change)
    return tuple(history)


@st.composite
def leads(
    draw: st.DrawFn,
    lifecycle: Lifecycle = DEMAND_WATERFALL,
    currency: str | None = None,
    *,
    lead_id: st.SearchStrategy[str] | None = None,
    member_ids: st.SearchStrategy[str | None] | None = None,
    campaign_ids: st.SearchStrategy[str | None] | None = None,
    content_ids: st.SearchStrategy[str | None] | None = None,
    persona_ids: st.SearchStrategy[str | None] | None = None,
) -> Lead:
    """A lead with a legal history, attributes, touchpoints and maybe a value.

    The id strategies let an organisation strategy draw only ids it holds.
    """
    created = draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
    return Lead(
        id=draw(lead_id if lead_id is not None else ids),
        created_at=created,
        history=draw(legal_walks(lifecycle, start=later(draw, created), by=member_ids)),
        source=draw(st.none() | lead_sources(campaign_ids)),
        attributes=draw(st.dictionaries(ids, attribute_values, max_size=4)),
        persona_id=draw(persona_ids if persona_ids is not None else st.none() | ids),
        owner_id=draw(member_ids if member_ids is not None else st.none() | ids),
        value=draw(st.none() | money(currency)),
        touchpoints=draw(st.lists(touchpoints(campaign_ids, content_ids, member_ids), max_size=4)),
        account_id=draw(st.none() | ids),
    )


@st.composite
def criteria(draw: st.DrawFn) -> Criterion:
    """A segment criterion: allowed values, or a numeric range open on one side or none."""
    if draw(st.booleans()):
        values = st.lists(ids | st.integers(0, 100), min_size=1, max_size=3, unique=True)
        return Criterion(attribute=draw(ids), allowed=tuple(draw(values)))
    low = draw(st.none() | st.integers(0, 1000))
    high = draw(st.none() | st.integers(low or 0, 5000))
    if low is None and high is None:
        high = 10
    return Criterion(attribute=draw(ids), minimum=low, maximum=high)


def evidence(team: st.SearchStrategy[Team] = teams) -> st.SearchStrategy[Evidence]:
    """A fact behind a persona, contributed by ``team``."""
    return st.builds(
        Evidence,
        kind=st.sampled_from(list(EvidenceKind)),
        team=team,
        at=aware_datetimes(),
        summary=words,
        reference=st.none() | ids,
    )


def one_approval_per_team(
    member_ids: st.SearchStrategy[str] = ids,
) -> st.SearchStrategy[tuple[Approval, ...]]:
    """Approvals by no team, one team or both, one each."""
    return st.lists(teams, max_size=2, unique=True).flatmap(
        lambda chosen: st.tuples(
            *(st.builds(Approval, team=st.just(t), member_id=member_ids, at=aware_datetimes())
              for t in chosen)
        )
    )  # fmt: skip


def personas(
    persona_id: st.SearchStrategy[str] = ids, member_ids: st.SearchStrategy[str] = ids
) -> st.SearchStrategy[Persona]:
    """A persona with a segment, its lists, evidence, approvals and maybe a review date."""
    return st.builds(
        Persona,
        id=persona_id,
        name=words,
        segment=st.lists(criteria(), max_size=3).map(tuple),
        pains=st.lists(words, max_size=2).map(tuple),
        goals=st.lists(words, max_size=2).map(tuple),
        objections=st.lists(words, max_size=2).map(tuple),
        buying_triggers=st.lists(words, max_size=2).map(tuple),
        preferred_channels=st.lists(ids, max_size=2).map(tuple),
        evidence=st.lists(evidence(), max_size=3).map(tuple),
        approvals=one_approval_per_team(member_ids),
        review_due=st.none() | aware_datetimes(),
    )


@st.composite
def narratives(
    draw: st.DrawFn,
    narrative_id: st.SearchStrategy[str] = ids,
    persona_ids: st.SearchStrategy[str] = ids,
    member_ids: st.SearchStrategy[str] = ids,
    insight_ids: st.SearchStrategy[str] = ids,
) -> Narrative:
    """A narrative built through its own methods: approved, revised, maybe retired.

    Each version names insights (from ``insight_ids``) and themes it rests on, and a
    revision names the new insights that prompted it.
    """
    at = draw(aware_datetimes(max_value=datetime(2028, 1, 1)))
    evidence = (
        st.just([]) if insight_ids.is_empty else st.lists(insight_ids, max_size=2, unique=True)
    )
    narrative = Narrative.draft(
        id=draw(narrative_id),
        persona_id=draw(persona_ids),
        audience=draw(words),
        problem=draw(words),
        trends=draw(st.lists(words, min_size=1, max_size=2)),
        product=draw(words),
        at=at,
        proof_points=draw(st.lists(words, max_size=2)),
        insight_ids=draw(evidence),
        themes=draw(st.lists(words, max_size=2)),
    )
    for _ in range(draw(st.integers(0, 2))):
        for team in draw(st.lists(teams, max_size=2, unique=True)):
            narrative = narrative.approve(team, draw(member_ids), at=later(draw, at))
        at = later(draw, at, timedelta(days=100))
        narrative = narrative.revise(
            at=at,
            reason=draw(words),
            by=draw(st.none() | member_ids),
            problem=draw(st.none() | words),
            trends=draw(st.none() | st.lists(words, min_size=1, max_size=2)),
            product=draw(st.none() | words),
            prompted_by=draw(evidence),
            themes=draw(st.none() | st.lists(words, max_size=2)),
        )
    for team in draw(st.lists(teams, max_size=2, unique=True)):
        narrative = narrative.approve(team, draw(member_ids), at=later(draw, at))
    if draw(st.integers(0, 4)) == 0:
        narrative = narrative.retire()
    return narrative


narrative_revisions = st.builds(
    NarrativeRevision,
    version=st.integers(1, 20),
    problem=words,
    trends=st.lists(words, min_size=1, max_size=2).map(tuple),
    product=words,
    proof_points=st.lists(words, max_size=2).map(tuple),
    replaced_at=aware_datetimes(),
    reason=words,
    by=st.none() | ids,
    insight_ids=st.lists(ids, max_size=2).map(tuple),
    themes=st.lists(words, max_size=2).map(tuple),
    prompted_by=st.lists(ids, max_size=2).map(tuple),
)


@st.composite
def lead_feedback(
    draw: st.DrawFn,
    lead_ids: st.SearchStrategy[str] = ids,
    member_ids: st.SearchStrategy[str] = ids,
) -> LeadFeedback:
    """Sales' feedback: a rejection always carries a reason code."""
    accepted = draw(st.booleans())
    reasons = draw(
        st.lists(
            st.sampled_from(list(FeedbackReason)),
            min_size=0 if accepted else 1,
            max_size=3,
            unique=True,
        )
    )
    return LeadFeedback(
        lead_id=draw(lead_ids),
        member_id=draw(member_ids),
        at=draw(aware_datetimes()),
        accepted=accepted,
        rating=draw(st.none() | st.integers(1, 5)),
        reasons=tuple(reasons),
        note=draw(st.text(max_size=20)),
    )


def client_insights(
    member_ids: st.SearchStrategy[str] = ids,
    persona_ids: st.SearchStrategy[str | None] | None = None,
    *,
    insight_id: st.SearchStrategy[str | None] | None = None,
    lead_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[ClientInsight]:
    """What sales heard from clients, with at least one theme, maybe naming a lead and an account."""
    return st.builds(
        ClientInsight,
        member_id=member_ids,
        at=aware_datetimes(),
        themes=st.lists(words, min_size=1, max_size=3).map(tuple),
        quote=st.text(max_size=30),
        persona_id=persona_ids if persona_ids is not None else st.none() | ids,
        sentiment=st.sampled_from(list(Sentiment)),
        id=insight_id if insight_id is not None else st.none() | ids,
        lead_id=lead_ids if lead_ids is not None else st.none() | ids,
        account_id=st.none() | ids,
    )


kpi_keys = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


def kpi_definitions(key: st.SearchStrategy[str] = kpi_keys) -> st.SearchStrategy[KpiDefinition]:
    """A KPI definition owned by one team or both."""
    return st.builds(
        KpiDefinition,
        key=key,
        name=words,
        unit=st.sampled_from(list(KpiUnit)),
        direction=st.sampled_from(list(Direction)),
        owners=st.lists(teams, min_size=1, max_size=2, unique=True).map(tuple),
        formula=words,
    )


def measurements(key: st.SearchStrategy[str] = kpi_keys) -> st.SearchStrategy[Measurement]:
    """A KPI value for a period, money ones with a currency."""
    return st.builds(
        Measurement,
        kpi=key,
        period=periods(),
        value=decimals(4),
        currency=st.none() | currencies,
    )


def targets(key: st.SearchStrategy[str] = kpi_keys) -> st.SearchStrategy[Target]:
    """A goal for a KPI over a period, with a tolerance between 0 and 1."""
    return st.builds(
        Target,
        kpi=key,
        period=periods(),
        goal=decimals(4),
        tolerance=st.decimals(min_value=0, max_value=1, places=2),
    )


def scorecards(
    keys: st.SearchStrategy[str] = kpi_keys, team: st.SearchStrategy[Team] = teams
) -> st.SearchStrategy[Scorecard]:
    """A team's three to five distinct headline KPIs."""
    return st.builds(
        Scorecard, team=team, kpis=st.lists(keys, min_size=3, max_size=5, unique=True).map(tuple)
    )


@st.composite
def kpi_values(draw: st.DrawFn) -> KpiValue:
    """A computed KPI: a value with its context, or not computable with a reason."""
    computable = draw(st.booleans())
    return KpiValue(
        key=draw(kpi_keys),
        period=draw(periods()),
        value=draw(decimals(4)) if computable else None,
        unit=draw(st.sampled_from(list(KpiUnit))),
        currency=draw(st.none() | currencies),
        reason=None if computable else draw(words),
        context=tuple(draw(st.lists(st.tuples(kpi_keys, st.none() | decimals(4)), max_size=3))),
    )


slas = st.builds(
    ServiceLevelAgreement,
    id=ids,
    mql_volume=st.integers(0, 10_000),
    period_length=st.sampled_from(["week", "month", "quarter", "year"]),
    min_acceptance_rate=st.decimals(min_value=0, max_value=1, places=3),
    first_follow_up_within=st.timedeltas(timedelta(microseconds=1), timedelta(days=10)),
    min_attempts=st.integers(1, 10),
    feedback_within=st.timedeltas(timedelta(minutes=1), timedelta(days=30)),
    follow_up_clock=st.sampled_from(list(Clock)),
    feedback_clock=st.sampled_from(list(Clock)),
)


def campaigns(
    campaign_id: st.SearchStrategy[str] = ids,
    owner_ids: st.SearchStrategy[str] = ids,
    currency: str | None = None,
) -> st.SearchStrategy[Campaign]:
    """A campaign with a non-negative budget."""
    return st.builds(
        Campaign,
        id=campaign_id,
        name=words,
        channel=ids,
        owner_id=owner_ids,
        period=periods(),
        budget=money(currency, min_amount=0),
        goal=st.text(max_size=20),
    )


def content_assets(
    asset_id: st.SearchStrategy[str] = ids,
    owner_ids: st.SearchStrategy[str] = ids,
    persona_ids: st.SearchStrategy[str] | None = ids,
    narrative_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[ContentAsset]:
    """A content asset for some personas (none when ``persona_ids`` is None), maybe telling a narrative."""
    return st.builds(
        ContentAsset,
        id=asset_id,
        title=words,
        kind=st.sampled_from(list(ContentKind)),
        stage=st.sampled_from(list(BuyingStage)),
        owner_id=owner_ids,
        persona_ids=st.just(())
        if persona_ids is None
        else st.lists(persona_ids, max_size=2).map(tuple),
        narrative_id=narrative_ids if narrative_ids is not None else st.none() | ids,
    )


def content_usage(
    asset_ids: st.SearchStrategy[str] = ids,
    member_ids: st.SearchStrategy[str] = ids,
    lead_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[ContentUsage]:
    """A salesperson using an asset, maybe with a lead."""
    return st.builds(
        ContentUsage,
        asset_id=asset_ids,
        member_id=member_ids,
        at=aware_datetimes(),
        lead_id=lead_ids if lead_ids is not None else st.none() | ids,
    )


cadences = st.builds(
    MeetingCadence,
    start=aware_datetimes(),
    rule=st.sampled_from(
        [
            "FREQ=WEEKLY",
            "FREQ=WEEKLY;INTERVAL=2",
            "FREQ=WEEKLY;BYDAY=TU,TH",
            "FREQ=MONTHLY;BYDAY=1MO",
            "FREQ=DAILY;COUNT=5",
        ]
    ),
    duration=st.timedeltas(timedelta(minutes=5), timedelta(hours=3)),
)
agenda_items = st.builds(
    AgendaItem,
    title=words,
    owner=teams,
    minutes=st.integers(0, 60),
    evidence=st.lists(words, max_size=2).map(tuple),
    priority=st.floats(-100, 100, allow_nan=False),
    key=ids,
    deferrals=st.integers(0, 5),
    escalated=st.booleans(),
)


@st.composite
def action_items(
    draw: st.DrawFn,
    owner_ids: st.SearchStrategy[str] = ids,
    action_id: st.SearchStrategy[str] = ids,
    decision_ids: st.SearchStrategy[str | None] | None = None,
) -> ActionItem:
    """Something a member agreed to do by a date: open, done at a known time, or done undated."""
    item = ActionItem(
        id=draw(action_id),
        description=draw(words),
        owner_id=draw(owner_ids),
        due=draw(aware_datetimes()),
        decision_id=draw(decision_ids if decision_ids is not None else st.none() | ids),
    )
    state = draw(st.sampled_from(["open", "dated", "undated"]))
    if state == "open":
        return item
    return item.completed(draw(aware_datetimes()) if state == "dated" else None)


def decisions(
    owner_ids: st.SearchStrategy[str] = ids,
    decision_id: st.SearchStrategy[str] = ids,
    agenda_keys: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[Decision]:
    """A decision with its owner, due date, maybe the agenda item it settles and a review."""
    return st.builds(
        Decision,
        id=decision_id,
        description=words,
        owner_id=owner_ids,
        due=aware_datetimes(),
        agenda_key=agenda_keys if agenda_keys is not None else st.none() | ids,
        reviewed_at=st.none() | aware_datetimes(),
    )


@st.composite
def meetings(
    draw: st.DrawFn,
    meeting_id: st.SearchStrategy[str] = ids,
    member_ids: st.SearchStrategy[str] = ids,
) -> Meeting:
    """A joint meeting with attendees, agenda, deferred items, decisions and action items.

    Its decisions settle items of its own agenda; action and decision ids are the
    meeting's id with a number, so meetings with distinct ids never share them, and an
    action carries out one of the meeting's decisions or none.
    """
    ident = draw(meeting_id)
    agenda = draw(st.lists(agenda_items, max_size=3, unique_by=lambda i: i.key))
    deferred = draw(st.lists(agenda_items, max_size=2, unique_by=lambda i: i.key))
    keys = [i.key for i in (*agenda, *deferred)]
    taken = [
        draw(
            decisions(
                member_ids,
                st.just(f"{ident}-d{n}"),
                st.none() | st.sampled_from(keys) if keys else st.none(),
            )
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    decided = st.none() | st.sampled_from([d.id for d in taken]) if taken else st.none()
    return Meeting(
        id=ident,
        at=draw(aware_datetimes()),
        duration=draw(st.timedeltas(timedelta(minutes=5), timedelta(hours=3))),
        attendees=tuple(draw(st.lists(member_ids, max_size=3, unique=True))),
        agenda=tuple(agenda),
        deferred=tuple(deferred),
        decisions=tuple(taken),
        actions=tuple(
            draw(action_items(member_ids, st.just(f"{ident}-a{n}"), decided))
            for n in range(draw(st.integers(0, 2)))
        ),
    )


stage_definitions = st.builds(
    StageDefinition,
    name=ids,
    terminal=st.booleans(),
    label=st.text(max_size=12),
    probability=st.none() | st.decimals(min_value=0, max_value=1, places=2),
    forecast_category=st.none() | st.sampled_from(ForecastCategory),
)
transitions = st.builds(
    Transition, source=ids, target=ids, reasons=st.lists(ids, max_size=3, unique=True).map(tuple)
)


@st.composite
def custom_lifecycles(draw: st.DrawFn) -> Lifecycle:
    """An application's own lifecycle: random stages, terminal ones without exits."""
    names = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    terminal = set(draw(st.lists(st.sampled_from(names), max_size=2)))
    stages = tuple(StageDefinition(name=n, terminal=n in terminal, label=n.upper()) for n in names)
    pairs = st.tuples(st.sampled_from(names), st.sampled_from(names))
    moves = [m for m in draw(st.lists(pairs, unique=True, max_size=12)) if m[0] not in terminal]
    return Lifecycle(
        name=draw(words),
        stages=stages,
        initial=draw(st.sampled_from(names)),
        progression=tuple(draw(st.lists(st.sampled_from(names), max_size=4))),
        transitions=tuple(
            Transition(
                source=a, target=b, reasons=tuple(draw(st.lists(ids, max_size=2, unique=True)))
            )
            for a, b in moves
        ),
    )


lifecycles = st.sampled_from([DEMAND_WATERFALL, HUBSPOT]) | custom_lifecycles()


@st.composite
def organisations(draw: st.DrawFn, max_leads: int = 6) -> Organisation:
    """A small organisation whose every reference points at something it holds."""
    currency = draw(currencies)
    lifecycle = draw(st.sampled_from([DEMAND_WATERFALL, HUBSPOT]))
    sales = [
        Member(id=f"s{i}", name=draw(words), team=Team.SALES)
        for i in range(draw(st.integers(1, 3)))
    ]
    marketing = [
        Member(id=f"m{i}", name=draw(words), team=Team.MARKETING)
        for i in range(draw(st.integers(1, 3)))
    ]
    member_ids = st.sampled_from([m.id for m in (*sales, *marketing)])
    sales_ids = st.sampled_from([m.id for m in sales])
    persona_list = [
        draw(personas(st.just(f"p{i}"), member_ids)) for i in range(draw(st.integers(0, 3)))
    ]
    persona_ids = st.sampled_from([p.id for p in persona_list]) if persona_list else st.nothing()
    insight_count = draw(st.integers(0, 3))
    insight_ids = (
        st.sampled_from([f"i{i}" for i in range(insight_count)]) if insight_count else st.nothing()
    )
    narrative_list = (
        [
            draw(narratives(st.just(f"n{i}"), persona_ids, member_ids, insight_ids))
            for i in range(draw(st.integers(0, 2)))
        ]
        if persona_list
        else []
    )
    narrative_ids = st.sampled_from([n.id for n in narrative_list]) if narrative_list else None
    campaign_list = [
        draw(campaigns(st.just(f"c{i}"), member_ids, currency))
        for i in range(draw(st.integers(0, 3)))
    ]
    campaign_ids = st.none() | (
        st.sampled_from([c.id for c in campaign_list]) if campaign_list else st.nothing()
    )
    asset_list = [
        draw(
            content_assets(
                st.just(f"a{i}"),
                member_ids,
                persona_ids if persona_list else None,
                st.none() | narrative_ids if narrative_ids is not None else st.none(),
            )
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    asset_ids = st.sampled_from([a.id for a in asset_list]) if asset_list else st.nothing()
    lead_list = [
        draw(
            leads(
                lifecycle,
                currency,
                lead_id=st.just(f"L{i}"),
                member_ids=st.none() | member_ids,
                campaign_ids=campaign_ids,
                content_ids=st.none() | asset_ids,
                persona_ids=st.none() | persona_ids,
            )
        )
        for i in range(draw(st.integers(0, max_leads)))
    ]
    lead_ids = st.sampled_from([lead.id for lead in lead_list]) if lead_list else st.nothing()
    kpi_list = [
        draw(kpi_definitions(st.just(key)))
        for key in draw(st.lists(kpi_keys, max_size=6, unique=True))
    ]
    keys = st.sampled_from([k.key for k in kpi_list]) if kpi_list else st.nothing()
    card_list = (
        [
            draw(scorecards(keys, st.just(team)))
            for team in draw(st.lists(teams, max_size=2, unique=True))
        ]
        if len(kpi_list) >= 3
        else []
    )
    return Organisation(
        name=draw(words),
        currency=currency,
        lifecycle=lifecycle,
        members=(*sales, *marketing),
        personas=tuple(persona_list),
        narratives=tuple(narrative_list),
        campaigns=tuple(campaign_list),
        content=tuple(asset_list),
        content_usage=tuple(
            draw(st.lists(content_usage(asset_ids, member_ids, st.none() | lead_ids), max_size=2))
            if asset_list
            else ()
        ),
        leads=tuple(lead_list),
        feedback=tuple(
            draw(st.lists(lead_feedback(lead_ids, sales_ids), max_size=3)) if lead_list else ()
        ),
        insights=tuple(
            draw(
                client_insights(
                    sales_ids,
                    st.none() | persona_ids,
                    insight_id=st.just(f"i{i}") if i < insight_count else st.none(),
                    lead_ids=st.none() | lead_ids,
                )
            )
            for i in range(insight_count + draw(st.integers(0, 1)))
        ),
        kpis=tuple(kpi_list),
        measurements=tuple(draw(st.lists(measurements(keys), max_size=3))) if kpi_list else (),
        targets=tuple(draw(st.lists(targets(keys), max_size=3))) if kpi_list else (),
        scorecards=tuple(card_list),
        sla=draw(st.none() | slas),
        cadence=draw(st.none() | cadences),
        meetings=tuple(
            draw(meetings(st.just(f"mt{i}"), member_ids)) for i in range(draw(st.integers(0, 2)))
        ),
    )


def public_types() -> list[tuple[type[Any], st.SearchStrategy[Any]]]:
    """Every public domain type with a strategy, for the round-trip test."""
    return [
        (Money, money()),
        (Period, periods()),
        (Member, members),
        (Approval, approvals),
        (Touchpoint, touchpoints()),
        (LeadSource, lead_sources()),
        (StageChange, legal_walks().map(lambda h: h[-1])),
        (Lead, leads()),
        (Lead, leads(HUBSPOT)),
        (Criterion, criteria()),
        (Evidence, evidence()),
        (Persona, personas()),
        (Narrative, narratives()),
        (NarrativeRevision, narrative_revisions),
        (LeadFeedback, lead_feedback()),
        (ClientInsight, client_insights()),
        (KpiDefinition, kpi_definitions()),
        (Measurement, measurements()),
        (Target, targets()),
        (Scorecard, scorecards()),
        (KpiValue, kpi_values()),
        (ServiceLevelAgreement, slas),
        (Campaign, campaigns()),
        (ContentAsset, content_assets()),
        (ContentUsage, content_usage()),
        (MeetingCadence, cadences),
        (AgendaItem, agenda_items),
        (ActionItem, action_items()),
        (Decision, decisions()),
        (Meeting, meetings()),
        (StageDefinition, stage_definitions),
        (Transition, transitions),
        (Lifecycle, lifecycles),
        (Organisation, organisations()),
    ]
