"""A seeded synthetic organisation: the demo's data and the tests' fixture.

:func:`organisation` builds, in memory and deterministically for a given seed, a
company with both teams, buyer personas, narratives, eleven channels, campaigns with
budgets, content, and leads whose touchpoints, stage histories, feedback and deal
values follow plausible, channel-dependent distributions: paid search converts well
but costs, events bring few big deals, some leads are never followed up, some arrive
without a source, some are rejected with reasons.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from salesmark.campaigns import Campaign
from salesmark.content import BuyingStage, ContentAsset, ContentKind, ContentUsage
from salesmark.errors import ValidationError
from salesmark.feedback import ClientInsight, FeedbackReason, LeadFeedback, Sentiment
from salesmark.kpis import Measurement, Scorecard, Target
from salesmark.leads import Lead, LeadSource, StageChange
from salesmark.lifecycle import (
    DEMAND_WATERFALL,
    DisqualificationReason,
    LostReason,
    RecycleReason,
    RejectionReason,
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
from salesmark.touchpoints import Touchpoint, TouchpointKind

__all__ = ["CHANNELS", "ChannelProfile", "organisation"]

_UTC = timezone.utc
_CURRENCY = "EUR"


@attrs.frozen(kw_only=True)
class ChannelProfile:
    """How leads from one channel behave in the synthetic organisation.

    Attributes:
        name: The channel.
        source: The UTM source leads from it carry.
        medium: The UTM medium.
        share: Relative share of new leads.
        mql_rate: Chance an inquiry becomes an MQL.
        accept_rate: Chance sales accepts an MQL.
        win_rate: Chance an opportunity is won.
        deal_size: Typical deal value in euros (log-normal median).
        cost_per_lead: Typical spend per lead in euros (0 for unpaid channels).
        touch_kind: The touchpoint kind that brings a lead in from this channel.
        team: The team that brings leads in through it (sales for outbound prospecting).
    """

    name: str
    source: str
    medium: str
    share: float
    mql_rate: float
    accept_rate: float
    win_rate: float
    deal_size: int
    cost_per_lead: int
    touch_kind: TouchpointKind
    team: Team = Team.MARKETING


CHANNELS: Final[tuple[ChannelProfile, ...]] = (
    *(ChannelProfile(
        name=n, source=s, medium=m, share=sh, mql_rate=q, accept_rate=a, win_rate=w,
        deal_size=d, cost_per_lead=c, touch_kind=k,
    )
    for n, s, m, sh, q, a, w, d, c, k in [
        ("paid_search", "google", "cpc", 0.20, 0.55, 0.85, 0.24, 9_000, 120, TouchpointKind.AD_CLICK),
        ("organic_search", "google", "organic", 0.16, 0.45, 0.90, 0.26, 8_000, 0, TouchpointKind.ORGANIC_VISIT),
        ("paid_social", "linkedin", "paid_social", 0.14, 0.40, 0.70, 0.16, 7_000, 150, TouchpointKind.AD_CLICK),
        ("organic_social", "linkedin", "social", 0.06, 0.30, 0.75, 0.18, 6_000, 0, TouchpointKind.PAGE_VIEW),
        ("email", "newsletter", "email", 0.10, 0.50, 0.88, 0.25, 8_500, 15, TouchpointKind.EMAIL_CLICK),
        ("referral", "partner", "referral", 0.07, 0.70, 0.95, 0.35, 12_000, 40, TouchpointKind.REFERRAL),
        ("display", "programmatic", "display", 0.09, 0.20, 0.55, 0.10, 6_500, 90, TouchpointKind.AD_CLICK),
        ("events", "tradeshow", "event", 0.05, 0.65, 0.90, 0.30, 20_000, 400, TouchpointKind.EVENT),
        ("webinar", "webinar", "webinar", 0.08, 0.60, 0.88, 0.22, 10_000, 60, TouchpointKind.WEBINAR),
        ("direct", "(direct)", "(none)", 0.05, 0.50, 0.90, 0.28, 9_500, 0, TouchpointKind.PAGE_VIEW),
    ]),
    ChannelProfile(
        name="outbound", source="sdr", medium="outbound", share=0.05, mql_rate=0.6,
        accept_rate=0.95, win_rate=0.3, deal_size=15_000, cost_per_lead=0,
        touch_kind=TouchpointKind.CALL, team=Team.SALES,
    ),
)  # fmt: skip
"""The eleven channels of the synthetic organisation and how their leads behave
(ten that marketing runs, and sales' own outbound prospecting)."""

_INDUSTRIES = ("logistics", "retail", "manufacturing", "healthcare", "software", "finance")
_REGIONS = ("DACH", "Benelux", "Nordics", "UK", "France", "Iberia")
_ROLES = ("operations", "it", "finance", "procurement", "executive", "student")
_SALES_NAMES = ("Ana Ortiz", "Ben Walsh", "Chloe Martin", "Dev Patel", "Eva Novak", "Finn Berg")
_MARKETING_NAMES = ("Grace Liu", "Hugo Klein", "Ines Rocha", "Jonas Weber")
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


class _LeadFactory:
    """Generates leads one at a time from a shared random stream."""

    def __init__(self, rng: random.Random, year: Period, personas: Sequence[Persona],
                 campaigns: Sequence[Campaign], content: Sequence[ContentAsset]) -> None:  # fmt: skip
        self.rng = rng
        self.year = year
        self.span = year.duration.total_seconds()
        self.personas = personas
        self.weights = [p.share for p in CHANNELS]
        self.marketing_channels = [p for p in CHANNELS if p.team is Team.MARKETING]
        self.marketing_weights = [p.share for p in self.marketing_channels]
        self.campaigns: dict[str, list[Campaign]] = {}
        for campaign in campaigns:
            self.campaigns.setdefault(campaign.channel, []).append(campaign)
        self.content_ids = [a.id for a in content]
        self.sales = [f"s0{i + 1}" for i in range(len(_SALES_NAMES))]
        self.feedback: list[LeadFeedback] = []
        self.usage: list[ContentUsage] = []

    def _campaign_for(self, channel: str, at: datetime) -> str | None:
        for campaign in self.campaigns.get(channel, ()):
            if campaign.period.contains(at):
                return campaign.id
        return None

    def _attributes(self) -> dict[str, str | int]:
        rng = self.rng
        if rng.random() < 0.45:  # a lead that looks like one of the personas
            persona = rng.choice(self.personas)
            crit = {c.attribute: c for c in persona.segment}
            low, high = (
                int(crit["employees"].minimum or 1),
                int(crit["employees"].maximum or 10_000),
            )
            return {
                "industry": str(crit["industry"].allowed[0]),
                "employees": rng.randint(low, high),
                "region": str(rng.choice(crit["region"].allowed)),
                "role": rng.choice(("operations", "it", "finance", "executive")),
            }
        return {
            "industry": rng.choice(_INDUSTRIES),
            "employees": int(math.exp(rng.uniform(math.log(5), math.log(20_000)))),
            "region": rng.choice(_REGIONS),
            "role": rng.choice(_ROLES),
        }

    def _persona_for(self, attributes: dict[str, str | int]) -> str | None:
        for persona in self.personas:
            if persona.matches(attributes):
                return persona.id
        return None

    def lead(self, index: int) -> Lead:  # noqa: PLR0912, PLR0915 (one lead's story, told in order)
        rng = self.rng
        profile = rng.choices(CHANNELS, weights=self.weights)[0]
        created = self.year.start + timedelta(seconds=int(rng.random() * self.span * 0.98))
        end = self.year.end
        attributes = self._attributes()
        persona_id = self._persona_for(attributes)
        fit = 1.35 if persona_id else 0.8
        if attributes["role"] == "student":
            fit = 0.2
        campaign_id = self._campaign_for(profile.name, created)
        source = None if rng.random() < 0.03 else LeadSource(
            source=profile.source, medium=profile.medium, channel=profile.name,
            campaign_id=campaign_id, landing_page=f"/lp/{profile.name}",
        )  # fmt: skip
        touches: list[Touchpoint] = []
        owner = rng.choice(self.sales)
        outbound = profile.team is Team.SALES
        # Anonymous marketing touches before the lead converts, then the converting touch.
        for _ in range(0 if outbound else min(int(rng.expovariate(0.8)), 6)):
            other = rng.choices(self.marketing_channels, weights=self.marketing_weights)[0]
            before = created - timedelta(hours=rng.uniform(1, 24 * 30))
            touches.append(Touchpoint(
                at=before, channel=other.name, kind=other.touch_kind, team=Team.MARKETING,
                campaign_id=self._campaign_for(other.name, before),
            ))  # fmt: skip
        touches.append(Touchpoint(
            at=created, channel=profile.name, team=profile.team,
            kind=profile.touch_kind if outbound else TouchpointKind.FORM_FILL,
            campaign_id=campaign_id, member_id=owner if outbound else None,
            content_id=None if outbound or rng.random() >= 0.3 else rng.choice(self.content_ids[:5]),
        ))  # fmt: skip
        # Some leads keep engaging with marketing's nurture after capture.
        if rng.random() < 0.35:
            for _ in range(rng.randint(1, 3)):
                after = created + timedelta(hours=rng.uniform(2, 24 * 60))
                if after < end:
                    nurture = rng.choice(
                        (
                            TouchpointKind.EMAIL_OPEN,
                            TouchpointKind.EMAIL_CLICK,
                            TouchpointKind.WEBINAR,
                        )
                    )
                    channel = "webinar" if nurture is TouchpointKind.WEBINAR else "email"
                    touches.append(Touchpoint(
                        at=after, channel=channel, kind=nurture, team=Team.MARKETING,
                        campaign_id=self._campaign_for(channel, after),
                    ))  # fmt: skip
        history = [StageChange(stage=Stage.INQUIRY, at=created)]
        value: Money | None = None
        lead_id = f"L{index:07d}"

        def step(
            stage: Stage, hours: float, by: str | None = None, reason: str | None = None
        ) -> bool:
            at = history[-1].at + timedelta(hours=hours)
            if at >= end:
                return False
            history.append(StageChange(stage=stage, at=at, by=by, reason=reason))
            return True

        if rng.random() < min(profile.mql_rate * fit, 0.95) and step(
            Stage.MQL, rng.expovariate(1 / 30)
        ):
            mql_at = history[-1].at
            followed = rng.random() > 0.07  # some MQLs are never followed up
            if followed:
                delay = rng.expovariate(1 / (10 if profile.name != "display" else 40))
                for attempt in range(rng.randint(1, 4)):
                    at = mql_at + timedelta(hours=delay + 20 * attempt)
                    if at < end:
                        touches.append(Touchpoint(
                            at=at, channel="sales_outreach", team=Team.SALES, member_id=owner,
                            kind=TouchpointKind.CALL if attempt % 2 == 0 else TouchpointKind.EMAIL,
                        ))  # fmt: skip
            accepted = followed and rng.random() < min(profile.accept_rate * fit, 0.98)
            if followed and rng.random() < 0.85:
                at = mql_at + timedelta(hours=rng.expovariate(1 / 60))
                if at < end:
                    self.feedback.append(self._feedback(lead_id, owner, at, accepted=accepted))
            if not followed:
                pass
            elif not accepted:
                step(Stage.REJECTED, rng.uniform(2, 72), owner, rng.choice(list(RejectionReason)))
            elif step(Stage.SAL, rng.uniform(1, 48), owner):
                if rng.random() < min(0.6 * fit, 0.9) and step(
                    Stage.SQL, rng.expovariate(1 / 120), owner
                ):
                    if rng.random() < 0.7 and step(
                        Stage.OPPORTUNITY, rng.expovariate(1 / 200), owner
                    ):
                        size = profile.deal_size * math.exp(rng.gauss(0, 0.5))
                        value = Money(Decimal(int(size / 100) * 100), _CURRENCY)
                        if rng.random() < 0.5:
                            self.usage.append(ContentUsage(
                                asset_id=rng.choice(self.content_ids[:7]), member_id=owner,
                                at=history[-1].at, lead_id=lead_id,
                            ))  # fmt: skip
                        if rng.random() < min(profile.win_rate * fit * 1.3, 0.9):
                            step(Stage.WON, rng.expovariate(1 / 900), owner)
                        else:
                            step(
                                Stage.LOST,
                                rng.expovariate(1 / 700),
                                owner,
                                rng.choice(list(LostReason)),
                            )
                    elif rng.random() < 0.5:
                        step(
                            Stage.RECYCLED,
                            rng.uniform(24, 400),
                            owner,
                            rng.choice(list(RecycleReason)),
                        )
                elif rng.random() < 0.6:
                    step(
                        Stage.DISQUALIFIED,
                        rng.uniform(24, 300),
                        owner,
                        rng.choice(list(DisqualificationReason)),
                    )
        elif rng.random() < 0.05:
            step(Stage.DISQUALIFIED, rng.uniform(1, 100), None, DisqualificationReason.NO_FIT)
        return Lead(
            id=lead_id,
            created_at=created,
            history=tuple(history),
            source=source,
            attributes=attributes,
            persona_id=persona_id,
            owner_id=owner if len(history) > 1 and history[1].stage == Stage.MQL else None,
            value=value,
            touchpoints=tuple(touches),
            account_id=f"acct-{rng.randrange(max(1, index // 3 + 1)):06d}",
        )

    def _feedback(self, lead_id: str, owner: str, at: datetime, *, accepted: bool) -> LeadFeedback:
        rng = self.rng
        if accepted:
            reasons = (FeedbackReason.GOOD_FIT,) if rng.random() < 0.6 else ()
            rating = rng.choice((3, 4, 4, 5))
        else:
            reasons = (rng.choice((
                FeedbackReason.WRONG_PERSONA, FeedbackReason.TOO_SMALL, FeedbackReason.NO_BUDGET,
                FeedbackReason.BAD_CONTACT_DATA, FeedbackReason.STUDENT_OR_JOB_SEEKER,
                FeedbackReason.NOT_DECISION_MAKER,
            )),)  # fmt: skip
            rating = rng.choice((1, 2, 2, 3))
        return LeadFeedback(
            lead_id=lead_id,
            member_id=owner,
            at=at,
            accepted=accepted,
            rating=rating,
            reasons=reasons,
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
    if isinstance(leads, bool) or not isinstance(leads, int) or leads < 0:
        msg = f"synthetic.organisation leads must be a whole number >= 0, got {leads!r}"
        raise ValidationError(msg)
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
    factory = _LeadFactory(rng, period, personas, campaigns, content)
    generated = tuple(factory.lead(i) for i in range(leads))
    insights = tuple(
        ClientInsight(
            member_id=rng.choice(factory.sales),
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
