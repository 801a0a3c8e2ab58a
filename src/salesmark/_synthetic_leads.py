"""How the synthetic organisation's leads behave, one lead's story at a time (private).

See :mod:`salesmark.synthetic`, which builds the organisation around these leads.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Final

import attrs

from salesmark._time import instant
from salesmark.campaigns import Campaign
from salesmark.content import ContentAsset, ContentUsage
from salesmark.feedback import FeedbackReason, LeadFeedback
from salesmark.leads import Lead, LeadSource, StageChange
from salesmark.lifecycle import (
    DisqualificationReason,
    LostReason,
    RecycleReason,
    RejectionReason,
    Stage,
)
from salesmark.money import Money
from salesmark.period import Period
from salesmark.personas import Persona
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

__all__ = ["CHANNELS", "CURRENCY", "ChannelProfile", "LeadFactory"]

CURRENCY = "EUR"


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
_COMPETITORS = ("Globex", "Initech", "Umbrella")
"""Who a deal lost for the reason ``competitor`` went to: chosen from the lead's id, so
the random stream (and every other figure of the company) is the same as without it."""
_ROLES = ("operations", "it", "finance", "procurement", "executive", "student")


class LeadFactory:
    """Generates leads one at a time from a shared random stream."""

    def __init__(self, rng: random.Random, year: Period, personas: Sequence[Persona],
                 campaigns: Sequence[Campaign], content: Sequence[ContentAsset],
                 *, sales: Sequence[str]) -> None:  # fmt: skip
        self.rng = rng
        self.year = year
        self.span = year.duration.total_seconds()
        self.personas = personas
        # cumulative weights once: random.choices draws the same leads either way
        self.weights = list(accumulate(p.share for p in CHANNELS))
        self.marketing_channels = [p for p in CHANNELS if p.team is Team.MARKETING]
        self.marketing_weights = list(accumulate(p.share for p in self.marketing_channels))
        self.campaigns: dict[str, list[Campaign]] = {}
        for campaign in campaigns:
            self.campaigns.setdefault(campaign.channel, []).append(campaign)
        self.content_ids = [a.id for a in content]
        self.sales = list(sales)
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
        profile = rng.choices(CHANNELS, cum_weights=self.weights)[0]
        created = self.year.start + timedelta(seconds=int(rng.random() * self.span * 0.98))
        end = instant(self.year.end)
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
            other = rng.choices(self.marketing_channels, cum_weights=self.marketing_weights)[0]
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
            rival = None
            if stage is Stage.LOST and reason == "competitor":
                rival = _COMPETITORS[sum(map(ord, lead_id)) % len(_COMPETITORS)]
            history.append(StageChange(stage=stage, at=at, by=by, reason=reason, competitor=rival))
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
                        value = Money(Decimal(int(size / 100) * 100), CURRENCY)
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
