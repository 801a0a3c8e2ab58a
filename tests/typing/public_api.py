"""The public API as a user writes it; ``mypy --strict`` checks this file in CI."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from salesmark import DEMAND_WATERFALL as W
from salesmark import (
    Lead,
    LeadSource,
    Money,
    Organisation,
    Period,
    RejectionReason,
    Stage,
    structure,
    synthetic,
    unstructure,
)
from salesmark.attribution import (
    AttributionResult,
    Journey,
    PathCounts,
    journeys_from_leads,
    markov,
    presets,
)

t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
lead: Lead = Lead.create(id="L1", created_at=t0, source=LeadSource(channel="paid_search"))
mql: Lead = lead.advance(Stage.MQL, at=t0 + timedelta(hours=1))
rejected: Lead = mql.advance(
    Stage.REJECTED, at=t0 + timedelta(hours=2), reason=RejectionReason.BAD_DATA
)
stage: str = rejected.stage

parts: tuple[Money, ...] = Money.of("100.00", "EUR").allocate([1, 2, 3])
total: Money = Money.total(parts, "EUR")
quarter: Period = Period.quarter(2026, 1)
following: Period = quarter.next()

org: Organisation = synthetic.organisation(seed=1, leads=300)
data: object = unstructure(org)
again: Organisation = structure(data, Organisation)
paths: PathCounts = PathCounts.from_journeys(journeys_from_leads(org.leads, lifecycle=W))
result: AttributionResult = markov(paths)
credited: float = sum(result.credits.values())
by_campaign: tuple[Journey, ...] = journeys_from_leads(org.leads, key="campaign_id", lifecycle=W)
hubspot_w: AttributionResult = presets.hubspot.w_shaped(by_campaign)
