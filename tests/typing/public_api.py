"""The public API as a user writes it; ``mypy --strict`` checks this file in CI."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from salesmark import DEMAND_WATERFALL as W
from salesmark import (
    Lead,
    LeadSource,
    Money,
    Organisation,
    Period,
    RejectionReason,
    Stage,
    funnel_counts,
    structure,
    synthetic,
    unstructure,
)
from salesmark.attribution import (
    AttributionResult,
    Comparison,
    Journey,
    PathCounts,
    compare,
    journeys_from_leads,
    linear,
    markov,
    presets,
)
from salesmark.planning import (
    Backtest,
    Forecast,
    ReverseWaterfall,
    WeightedPipeline,
    WinLoss,
    backtest,
    forecast,
    reverse_waterfall,
    weighted_pipeline,
    win_loss,
)
from salesmark.scoring import (
    AttributeEquals,
    AttributeInRange,
    EachTouch,
    EngagementBands,
    FitRule,
    GradeScale,
    LeadScore,
    NoRecentTouch,
    Qualification,
    ScoringModel,
    ScoringRule,
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

rules: tuple[ScoringRule, ...] = (
    AttributeEquals(attribute="industry", value="saas", points=10),
    AttributeInRange(attribute="employees", minimum=50, points=5),
    EachTouch(id="webinars", points=8, window=timedelta(days=30), cap=24),
    NoRecentTouch(id="dormant", points=-20, window=timedelta(days=90)),
)
scoring_model = ScoringModel(
    name="inbound",
    rules=rules,
    grades=GradeScale.letters(a=30, b=15, c=5),
    bands=EngagementBands(band_1=30, band_2=15, band_3=5),
    qualification=Qualification(minimum_total=40),
)
score: LeadScore = scoring_model.score(lead, at=t0)
score_row: dict[str, object] = score.to_records()[0]
explained: list[dict[str, object]] = score.contribution_records()
fit_only: tuple[FitRule, ...] = scoring_model.fit_rules
stored: ScoringModel = structure(unstructure(scoring_model), ScoringModel)

# DataFrames out and in, notebook display and progress
plain_rows: list[dict[str, Any]] = result.to_records()
exact_rows: list[dict[str, Any]] = result.to_records(exact=True)
rate: Decimal | None = funnel_counts(org.leads, quarter, lifecycle=W).to_records(exact=True)[0][
    "cohort_rate_to_next"
]
pandas_table: Any = result.to_frame()
polars_table: Any = result.to_frame("polars", exact=True)
wide: Comparison = compare(result, linear(paths), names=["chain", "even"])
by_value: list[dict[str, Any]] = wide.to_records(of="value")
wide_table: Any = wide.to_frame("pyarrow", of="conversions")
from_table: PathCounts = PathCounts.from_records(pandas_table)
page: str = score._repr_html_() + lead._repr_html_() + wide._repr_html_()
seen: list[tuple[int, int]] = []
scored = scoring_model.score_many(
    org.leads, at=t0, progress=lambda done, total: seen.append((done, total))
)
chain_with_bar: AttributionResult = markov(paths, order=3, progress=True)
june = Period.month(2026, 6)
outlook: Forecast = forecast(org, [june], as_of=t0, level="0.9", draws=200, seed=3)
check: Backtest = backtest(org, june, new_leads=False)
pipeline: WeightedPipeline = weighted_pipeline(org, as_of=t0, probabilities="configured")
plan: ReverseWaterfall = reverse_waterfall(org, Money.of(50_000, "EUR"), june, as_of=t0)
better: ReverseWaterfall = plan.what_if({"mql": "0.05"})
losses: WinLoss = win_loss(org, june, segment="industry")
