"""Hypothesis strategies for every public domain type of salesmark."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    HUBSPOT,
    ActionItem,
    AgendaItem,
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
    Period,
    Persona,
    Scorecard,
    Sentiment,
    ServiceLevelAgreement,
    StageChange,
    Target,
    Team,
    Touchpoint,
    TouchpointKind,
)

UTC = timezone.utc
ZONES = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
ZONES += [ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")]

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).filter(
    lambda s: s.strip() != ""
)
currencies = st.sampled_from(["EUR", "USD", "GBP", "JPY", "KWD"])
teams = st.sampled_from(list(Team))


def aware_datetimes(
    min_value: datetime = datetime(2020, 1, 1),
    max_value: datetime = datetime(2030, 1, 1),
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes in several fixed offsets and named zones, to the microsecond."""
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.sampled_from(ZONES),
        allow_imaginary=False,  # wall times skipped by a DST change never occur
    )


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
def money(draw: st.DrawFn, currency: str | None = None) -> Money:
    """Money in a currency, amounts with up to 4 decimal places."""
    code = currency or draw(currencies)
    return Money(draw(decimals(places=draw(st.integers(0, 4)))), code)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Any period: calendar ones and arbitrary spans."""
    year = draw(st.integers(2021, 2029))
    tz = draw(st.sampled_from(ZONES))
    kind = draw(st.sampled_from(["month", "quarter", "fiscal", "week", "span"]))
    if kind == "month":
        return Period.month(year, draw(st.integers(1, 12)), tz)
    if kind == "quarter":
        return Period.quarter(year, draw(st.integers(1, 4)), tz)
    if kind == "fiscal":
        return Period.fiscal_year(year, draw(st.integers(1, 12)), tz)
    if kind == "week":
        return Period.iso_week(year, draw(st.integers(1, 52)), tz)
    start = draw(aware_datetimes())
    return Period.between(
        start, start + draw(st.timedeltas(timedelta(seconds=1), timedelta(days=400)))
    )


members = st.builds(Member, id=ids, name=words, team=teams)
approvals = st.builds(Approval, team=teams, member_id=ids, at=aware_datetimes())
touchpoints = st.builds(
    Touchpoint,
    at=aware_datetimes(),
    channel=ids,
    kind=st.sampled_from(list(TouchpointKind)),
    team=teams,
    campaign_id=st.none() | ids,
    content_id=st.none() | ids,
    member_id=st.none() | ids,
)
lead_sources = st.builds(
    LeadSource,
    source=st.none() | ids,
    medium=st.none() | ids,
    channel=st.none() | ids,
    campaign_id=st.none() | ids,
    landing_page=st.none() | ids,
)
attribute_values = (
    st.text(max_size=10)
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)


@st.composite
def legal_walks(
    draw: st.DrawFn, lifecycle: Lifecycle = DEMAND_WATERFALL, start: datetime | None = None
) -> tuple[StageChange, ...]:
    """A stage history built by a random legal walk of ``lifecycle``, time never going back."""
    at = start or draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
    history = [StageChange(stage=lifecycle.initial, at=at)]
    for _ in range(draw(st.integers(0, 8))):
        options = lifecycle.targets(history[-1].stage)
        if not options:
            break
        target = draw(st.sampled_from(options))
        reasons = next(
            t.reasons
            for t in lifecycle.transitions
            if (t.source, t.target) == (history[-1].stage, target)
        )
        reason = draw(st.sampled_from(reasons)) if reasons else None
        at = at + draw(st.timedeltas(timedelta(0), timedelta(days=30)))
        history.append(StageChange(stage=target, at=at, by=draw(st.none() | ids), reason=reason))
    return tuple(history)


@st.composite
def leads(draw: st.DrawFn, lifecycle: Lifecycle = DEMAND_WATERFALL) -> Lead:
    """A lead with a legal history, attributes, touchpoints and maybe a value."""
    created = draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
    return Lead(
        id=draw(ids),
        created_at=created,
        history=draw(legal_walks(lifecycle, start=created)),
        source=draw(st.none() | lead_sources),
        attributes=draw(st.dictionaries(ids, attribute_values, max_size=4)),
        persona_id=draw(st.none() | ids),
        owner_id=draw(st.none() | ids),
        value=draw(st.none() | money()),
        touchpoints=draw(st.lists(touchpoints, max_size=4)),
        account_id=draw(st.none() | ids),
    )


@st.composite
def criteria(draw: st.DrawFn) -> Criterion:
    """A segment criterion: allowed values or a numeric range."""
    if draw(st.booleans()):
        return Criterion(
            attribute=draw(ids), allowed=tuple(draw(st.lists(ids, min_size=1, max_size=3)))
        )
    low = draw(st.none() | st.integers(0, 1000))
    high = draw(st.integers(low or 0, 5000) if low is not None else st.integers(0, 5000))
    return Criterion(attribute=draw(ids), minimum=low, maximum=high)


evidence = st.builds(
    Evidence,
    kind=st.sampled_from(list(EvidenceKind)),
    team=teams,
    at=aware_datetimes(),
    summary=words,
    reference=st.none() | ids,
)
personas = st.builds(
    Persona,
    id=ids,
    name=words,
    segment=st.lists(criteria(), max_size=3).map(tuple),
    pains=st.lists(words, max_size=2).map(tuple),
    goals=st.lists(words, max_size=2).map(tuple),
    objections=st.lists(words, max_size=2).map(tuple),
    buying_triggers=st.lists(words, max_size=2).map(tuple),
    preferred_channels=st.lists(ids, max_size=2).map(tuple),
    evidence=st.lists(evidence, max_size=2).map(tuple),
    approvals=st.lists(approvals, max_size=2).map(tuple),
    review_due=st.none() | aware_datetimes(),
)


@st.composite
def narratives(draw: st.DrawFn) -> Narrative:
    """A narrative, maybe approved by one or both teams, maybe revised."""
    at = draw(aware_datetimes(max_value=datetime(2028, 1, 1)))
    narrative = Narrative.draft(
        id=draw(ids),
        persona_id=draw(ids),
        audience=draw(words),
        problem=draw(words),
        trends=draw(st.lists(words, min_size=1, max_size=2)),
        product=draw(words),
        at=at,
        proof_points=draw(st.lists(words, max_size=2)),
    )
    for team in draw(st.lists(teams, max_size=2, unique=True)):
        narrative = narrative.approve(team, draw(ids), at=at)
    for _ in range(draw(st.integers(0, 2))):
        at = at + draw(st.timedeltas(timedelta(0), timedelta(days=100)))
        narrative = narrative.revise(
            at=at, reason=draw(words), by=draw(st.none() | ids), problem=draw(words)
        )
    if draw(st.booleans()):
        narrative = narrative.retire()
    return narrative


@st.composite
def lead_feedback(draw: st.DrawFn) -> LeadFeedback:
    """Sales' feedback: a rejection always has a reason code."""
    accepted = draw(st.booleans())
    reasons = draw(
        st.lists(st.sampled_from(list(FeedbackReason)), min_size=0 if accepted else 1, max_size=3)
    )
    return LeadFeedback(
        lead_id=draw(ids),
        member_id=draw(ids),
        at=draw(aware_datetimes()),
        accepted=accepted,
        rating=draw(st.none() | st.integers(1, 5)),
        reasons=tuple(reasons),
        note=draw(st.text(max_size=20)),
    )


client_insights = st.builds(
    ClientInsight,
    member_id=ids,
    at=aware_datetimes(),
    themes=st.lists(words, min_size=1, max_size=3).map(tuple),
    quote=st.text(max_size=30),
    persona_id=st.none() | ids,
    sentiment=st.sampled_from(list(Sentiment)),
)
kpi_keys = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
kpi_definitions = st.builds(
    KpiDefinition,
    key=kpi_keys,
    name=words,
    unit=st.sampled_from(list(KpiUnit)),
    direction=st.sampled_from(list(Direction)),
    owners=st.lists(teams, min_size=1, max_size=2, unique=True).map(tuple),
    formula=words,
)
measurements = st.builds(
    Measurement, kpi=kpi_keys, period=periods(), value=decimals(4), currency=st.none() | currencies
)
targets = st.builds(
    Target,
    kpi=kpi_keys,
    period=periods(),
    goal=decimals(4),
    tolerance=st.decimals(min_value=0, max_value=1, places=2),
)
scorecards = st.builds(
    Scorecard, team=teams, kpis=st.lists(kpi_keys, min_size=3, max_size=5, unique=True).map(tuple)
)
slas = st.builds(
    ServiceLevelAgreement,
    id=ids,
    mql_volume=st.integers(0, 10_000),
    period_length=st.sampled_from(["week", "month", "quarter", "year"]),
    min_acceptance_rate=st.decimals(min_value=0, max_value=1, places=3),
    first_follow_up_within=st.timedeltas(timedelta(minutes=1), timedelta(days=10)),
    min_attempts=st.integers(1, 10),
    feedback_within=st.timedeltas(timedelta(minutes=1), timedelta(days=30)),
    business_hours=st.booleans(),
)
campaigns = st.builds(
    Campaign,
    id=ids,
    name=words,
    channel=ids,
    owner_id=ids,
    period=periods(),
    budget=st.decimals(min_value=0, max_value=10**7, places=2).map(lambda d: Money(d, "EUR")),
    goal=st.text(max_size=20),
)
content_assets = st.builds(
    ContentAsset,
    id=ids,
    title=words,
    kind=st.sampled_from(list(ContentKind)),
    stage=st.sampled_from(list(BuyingStage)),
    owner_id=ids,
    persona_ids=st.lists(ids, max_size=2).map(tuple),
    narrative_id=st.none() | ids,
)
content_usage = st.builds(
    ContentUsage, asset_id=ids, member_id=ids, at=aware_datetimes(), lead_id=st.none() | ids
)
cadences = st.builds(
    MeetingCadence,
    start=aware_datetimes(),
    rule=st.sampled_from(
        ["FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=MONTHLY"]
    ),
    duration=st.timedeltas(timedelta(minutes=5), timedelta(hours=3)),
)
agenda_items = st.builds(
    AgendaItem,
    title=words,
    owner=teams,
    minutes=st.integers(0, 60),
    evidence=st.lists(words, max_size=2).map(tuple),
    priority=st.floats(0, 100, allow_nan=False),
)
action_items = st.builds(
    ActionItem, description=words, owner_id=ids, due=aware_datetimes(), done=st.booleans()
)
meetings = st.builds(
    Meeting,
    id=ids,
    at=aware_datetimes(),
    duration=st.timedeltas(timedelta(minutes=5), timedelta(hours=3)),
    attendees=st.lists(ids, max_size=3).map(tuple),
    agenda=st.lists(agenda_items, max_size=3).map(tuple),
    actions=st.lists(action_items, max_size=2).map(tuple),
)
lifecycles = st.sampled_from([DEMAND_WATERFALL, HUBSPOT])


def public_types() -> list[tuple[type[Any], st.SearchStrategy[Any]]]:
    """Every public domain type with a strategy, for the round-trip test."""
    return [
        (Money, money()),
        (Period, periods()),
        (Member, members),
        (Approval, approvals),
        (Touchpoint, touchpoints),
        (LeadSource, lead_sources),
        (StageChange, legal_walks().map(lambda h: h[-1])),
        (Lead, leads()),
        (Criterion, criteria()),
        (Evidence, evidence),
        (Persona, personas),
        (Narrative, narratives()),
        (LeadFeedback, lead_feedback()),
        (ClientInsight, client_insights),
        (KpiDefinition, kpi_definitions),
        (Measurement, measurements),
        (Target, targets),
        (Scorecard, scorecards),
        (ServiceLevelAgreement, slas),
        (Campaign, campaigns),
        (ContentAsset, content_assets),
        (ContentUsage, content_usage),
        (MeetingCadence, cadences),
        (AgendaItem, agenda_items),
        (ActionItem, action_items),
        (Meeting, meetings),
        (Lifecycle, lifecycles),
    ]
