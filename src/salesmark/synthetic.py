"""A seeded synthetic organisation: the demo's data and the tests' fixture.

:func:`organisation` builds, in memory and deterministically for a given seed, a
company with both teams, buyer personas, narratives, eleven channels, campaigns with
budgets, content, and leads whose touchpoints, stage histories, feedback and deal
values follow plausible, channel-dependent distributions: paid search converts well
but costs, events bring few big deals, some leads are never followed up, some arrive
without a source, some are rejected with reasons.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from salesmark import _validators as v
from salesmark._synthetic_leads import CHANNELS, CURRENCY, ChannelProfile, LeadFactory
from salesmark.campaigns import Campaign
from salesmark.content import BuyingStage, ContentAsset, ContentKind
from salesmark.feedback import ClientInsight, Sentiment
from salesmark.kpis import Measurement, Scorecard, Target
from salesmark.lifecycle import (
    DEMAND_WATERFALL,
    Stage,
)
from salesmark.meetings import ActionItem, AgendaItem, Meeting, MeetingCadence
from salesmark.metrics import default_catalogue, evaluate_catalogue
from salesmark.money import Money
from salesmark.narratives import Narrative
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Criterion, Evidence, EvidenceKind, Persona
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Member, Team

__all__ = ["CHANNELS", "ChannelProfile", "organisation"]

_UTC = timezone.utc
_CURRENCY = CURRENCY


_SALES_NAMES = ("Ana Ortiz", "Ben Walsh", "Chloe Martin", "Dev Patel", "Eva Novak", "Finn Berg")
_MARKETING_NAMES = ("Grace Liu", "Hugo Klein", "Ines Rocha", "Jonas Weber")
_SALES_IDS = tuple(f"s0{i + 1}" for i in range(len(_SALES_NAMES)))
_THEMES = (
    "pricing", "integration", "onboarding time", "reporting", "security review",
    "competitor discount", "mobile app", "support quality",
)  # fmt: skip


def _personas(at: datetime) -> tuple[Persona, ...]:
    ev = EvidenceKind
    specs = [
        ("p-ops", "Operations Olivia", "logistics", (50, 1000), ("DACH", "Benelux", "Nordics"),
         "operations", ("late deliveries", "manual planning"), True),
        ("p-it", "IT Ian", "software", (200, 5000), ("UK", "Nordics", "DACH"),
         "it", ("tool sprawl", "security reviews"), True),
        ("p-fin", "Finance Fiona", "finance", (100, 5000), ("UK", "France", "DACH"),
         "finance", ("slow month-end close",), False),
        ("p-retail", "Retail Rui", "retail", (20, 800), ("Iberia", "France", "Benelux"),
         "operations", ("stock-outs", "seasonal peaks"), True),
    ]  # fmt: skip
    personas = []
    for pid, name, industry, (low, high), regions, role, pains, validated in specs:
        evidence = [
            Evidence(
                kind=ev.ANALYTICS,
                team=Team.MARKETING,
                at=at,
                summary=f"web leads skew to {industry}",
            ),
        ]
        approvals: tuple[tuple[Team, str], ...] = ((Team.MARKETING, "m01"),)
        if validated:
            evidence.append(
                Evidence(
                    kind=ev.WON_DEAL,
                    team=Team.SALES,
                    at=at,
                    summary=f"most {industry} wins are {role} buyers",
                )
            )
            approvals = (*approvals, (Team.SALES, "s01"))
        persona = Persona(
            id=pid,
            name=name,
            segment=(
                Criterion(attribute="industry", allowed=(industry,)),
                Criterion(attribute="employees", minimum=low, maximum=high),
                Criterion(attribute="region", allowed=regions),
            ),
            pains=pains,
            goals=("predictable operations",),
            objections=("implementation effort",),
            buying_triggers=("new leadership", "failed audit"),
            preferred_channels=("webinar", "referral") if validated else ("paid_social",),
            evidence=tuple(evidence),
            review_due=at + timedelta(days=120 if validated else 60),
        )
        for team, member in approvals:
            persona = persona.approve(team, member, at=at)
        personas.append(persona)
    return tuple(personas)


def _narratives(personas: Sequence[Persona], start: datetime) -> tuple[Narrative, ...]:
    products = ("RouteWise", "StackGuard", "CloseFast", "ShelfSense")
    trends = (
        "customers now expect same-day delivery",
        "security audits keep getting stricter",
        "boards want real-time numbers",
        "demand swings harder every season",
    )
    narratives = []
    for index, persona in enumerate(personas):
        narrative = Narrative.draft(
            id=f"n-{persona.id[2:]}",
            persona_id=persona.id,
            audience=persona.name,
            problem=persona.pains[0],
            trends=(trends[index],),
            product=products[index],
            at=start + timedelta(days=7 * index),
            proof_points=(f"{products[index]} cut the problem by a third for a reference client",),
        )
        if index != 2:  # one narrative still waits for sales' approval
            narrative = narrative.approve(
                Team.MARKETING, "m01", at=start + timedelta(days=7 * index + 1)
            )
            narrative = narrative.approve(
                Team.SALES, "s01", at=start + timedelta(days=7 * index + 2)
            )
        else:
            narrative = narrative.approve(Team.MARKETING, "m02", at=start + timedelta(days=15))
        if index == 1:
            narrative = narrative.revise(
                at=start + timedelta(days=150),
                reason="a competitor launched a cheaper tier",
                by="m01",
                proof_points=("StackGuard passed 40 security reviews without findings",),
            )
        narratives.append(narrative)
    return tuple(narratives)


def _campaigns(year: Period, rng: random.Random) -> tuple[Campaign, ...]:
    campaigns: list[Campaign] = []
    halves = year.split(timedelta(days=183))
    for profile in CHANNELS:
        if profile.cost_per_lead == 0:
            continue
        for half_index, half in enumerate(halves):
            budget = Decimal(rng.randrange(15, 60) * 1000)
            campaigns.append(
                Campaign(
                    id=f"c-{profile.name}-h{half_index + 1}",
                    name=f"{profile.name.replace('_', ' ').title()} H{half_index + 1}",
                    channel=profile.name,
                    owner_id=f"m0{1 + (len(campaigns) % 4)}",
                    period=half,
                    budget=Money(budget, _CURRENCY),
                    goal=f"MQLs from {profile.name.replace('_', ' ')}",
                )
            )
    return tuple(campaigns)


def _content(personas: Sequence[Persona]) -> tuple[ContentAsset, ...]:
    kinds = [
        ("Logistics case study", ContentKind.CASE_STUDY, BuyingStage.DECISION, "p-ops", "n-ops"),
        ("Route planning ebook", ContentKind.EBOOK, BuyingStage.AWARENESS, "p-ops", None),
        ("Security whitepaper", ContentKind.WHITEPAPER, BuyingStage.CONSIDERATION, "p-it", "n-it"),
        ("Audit checklist", ContentKind.DATASHEET, BuyingStage.CONSIDERATION, "p-it", None),
        ("Month-end webinar", ContentKind.WEBINAR, BuyingStage.AWARENESS, "p-fin", None),
        ("ROI calculator", ContentKind.ROI_CALCULATOR, BuyingStage.DECISION, None, None),
        ("Competitor battlecard", ContentKind.BATTLECARD, BuyingStage.DECISION, None, None),
        (
            "Retail peak-season guide",
            ContentKind.EBOOK,
            BuyingStage.AWARENESS,
            "p-retail",
            "n-retail",
        ),
        ("Product demo video", ContentKind.VIDEO, BuyingStage.CONSIDERATION, None, None),
        (
            "Follow-up email template",
            ContentKind.EMAIL_TEMPLATE,
            BuyingStage.CONSIDERATION,
            None,
            None,
        ),
    ]
    known = {p.id for p in personas}
    return tuple(
        ContentAsset(
            id=f"a{index + 1:02d}",
            title=title,
            kind=kind,
            stage=stage,
            owner_id=f"m0{1 + index % 4}",
            persona_ids=(persona,) if persona in known else (),
            narrative_id=narrative,
        )
        for index, (title, kind, stage, persona, narrative) in enumerate(kinds)
    )


def _meetings(cadence: MeetingCadence, year: Period, rng: random.Random) -> tuple[Meeting, ...]:
    meetings = []
    for index, at in enumerate(cadence.between(year.start, year.end)):
        if rng.random() < 0.15:  # some weeks the meeting is skipped
            continue
        meetings.append(
            Meeting(
                id=f"mt{index + 1:03d}",
                at=at,
                duration=cadence.duration,
                attendees=("s01", "s02", "m01", "m02"),
                agenda=(
                    AgendaItem(title="Lead quality review", owner=Team.SALES, minutes=10),
                    AgendaItem(title="Pipeline and KPIs", owner=Team.MARKETING, minutes=10),
                ),
                actions=(
                    ActionItem(
                        description="Share rejected-lead reasons with campaign owners",
                        owner_id="m01",
                        due=at + timedelta(days=7),
                        done=rng.random() < 0.7,
                    ),
                ),
            )
        )
    return tuple(meetings)


def organisation(seed: int = 0, leads: int = 2_000, year: int = 2026) -> Organisation:
    """Build the synthetic organisation for ``seed``: the same seed gives the same company.

    Args:
        seed: Seed of the random stream.
        leads: How many leads to generate (0 or more).
        year: The calendar year the leads are created in (UTC).

    Raises:
        ValidationError: If ``leads`` is negative or not a whole number.

    Example:
        >>> org = organisation(seed=7, leads=200)
        >>> len(org.leads), len(org.personas), org.currency
        (200, 4, 'EUR')
        >>> organisation(seed=7, leads=200) == org
        True
    """
    v.require_whole(leads, "synthetic.organisation leads")
    rng = random.Random(seed)
    period = Period.fiscal_year(year)
    start = period.start
    members = tuple(
        Member(id=f"s0{i + 1}", name=name, team=Team.SALES) for i, name in enumerate(_SALES_NAMES)
    ) + tuple(
        Member(id=f"m0{i + 1}", name=name, team=Team.MARKETING)
        for i, name in enumerate(_MARKETING_NAMES)
    )
    personas = _personas(start)
    campaigns = _campaigns(period, rng)
    content = _content(personas)
    factory = LeadFactory(rng, period, personas, campaigns, content, sales=_SALES_IDS)
    generated = tuple(factory.lead(i) for i in range(leads))
    insights = tuple(
        ClientInsight(
            member_id=rng.choice(_SALES_IDS),
            at=start + timedelta(days=rng.uniform(0, 360)),
            themes=tuple(
                sorted(
                    set(rng.choices(_THEMES, weights=(8, 6, 3, 3, 2, 4, 1, 1), k=rng.randint(1, 2)))
                )
            ),
            quote="What the client said, in their words.",
            persona_id=rng.choice([p.id for p in personas] + [None]),
            sentiment=rng.choice(list(Sentiment)),
        )
        for _ in range(40)
    )
    cadence = MeetingCadence(start=start + timedelta(days=5, hours=9), rule="FREQ=WEEKLY;BYDAY=TU")
    mqls_per_month = sum(1 for lead in generated if lead.has_reached(Stage.MQL)) / 12
    company = Organisation(
        name="Northwind Logistics Software",
        currency=_CURRENCY,
        lifecycle=DEMAND_WATERFALL,
        members=members,
        personas=personas,
        narratives=_narratives(personas, start),
        campaigns=campaigns,
        content=content,
        content_usage=tuple(factory.usage),
        leads=generated,
        feedback=tuple(factory.feedback),
        insights=insights,
        sla=ServiceLevelAgreement(id="sla-2026", mql_volume=max(1, round(mqls_per_month * 1.05))),
        cadence=cadence,
        meetings=_meetings(cadence, period, rng),
        kpis=default_catalogue(DEMAND_WATERFALL).definitions,
        scorecards=_SCORECARDS,
    )
    measurements, targets = _measured(company, period, round(mqls_per_month * 3))
    return attrs.evolve(company, measurements=measurements, targets=targets)


_SCORECARDS: Final = (
    Scorecard(
        team=Team.MARKETING,
        kpis=("mqls", "cost_per_lead", "mql_to_sal_rate", "marketing_sourced_pipeline"),
    ),
    Scorecard(
        team=Team.SALES,
        kpis=("speed_to_lead", "mql_to_sql_rate", "win_rate", "average_deal_size"),
    ),
)

# Goals per headline KPI: some the teams meet, some they miss, as in any real quarter.
_GOALS: Final[dict[str, Decimal]] = {
    "cost_per_lead": Decimal(90),
    "mql_to_sal_rate": Decimal("0.9"),  # the demand-waterfall guidance the SLA follows
    "marketing_sourced_pipeline": Decimal(2_000_000),
    "speed_to_lead": Decimal(4),  # hours
    "mql_to_sql_rate": Decimal("0.55"),
    "win_rate": Decimal("0.35"),
    "average_deal_size": Decimal(11_000),
}


def _measured(
    company: Organisation, year: Period, mqls_per_quarter: int
) -> tuple[tuple[Measurement, ...], tuple[Target, ...]]:
    """Each quarter's headline KPIs, computed from the leads, and the teams' targets."""
    keys = [key for card in _SCORECARDS for key in card.kpis]
    measurements, targets = [], []
    scale = Decimal(len(company.leads)) / 5_000  # goals in money and volume scale with size
    for quarter in year.split(relativedelta(months=3)):
        report = evaluate_catalogue(company, quarter)
        for key in keys:
            kpi = report[key]
            if kpi.value is not None:
                measurements.append(
                    Measurement(kpi=key, period=quarter, value=kpi.value, currency=kpi.currency)
                )
            goal = Decimal(mqls_per_quarter) if key == "mqls" else _GOALS[key]
            if key == "marketing_sourced_pipeline":
                goal = (goal * scale).quantize(Decimal(1))
            targets.append(Target(kpi=key, period=quarter, goal=goal, tolerance=Decimal("0.1")))
    return tuple(measurements), tuple(targets)
