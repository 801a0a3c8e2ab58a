"""Marketing's part in pipeline and revenue: sourced and influenced (private).

"Marketing-sourced" follows ``KpiAssumptions.sourced_by`` (default: the first touch was
marketing's); "marketing-influenced" is a marketing touch before the opportunity was
opened or the deal won. Each value's context gives its ``share`` of the whole (``None``
when the whole is 0). Import from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from salesmark.kpis import Direction, KpiUnit
from salesmark.metrics._assumptions import KpiAssumptions
from salesmark.metrics._kpi import MARKETING, Computed, Outcome, define
from salesmark.metrics.facts import KpiFacts
from salesmark.money import Money

__all__ = [
    "marketing_influenced_pipeline",
    "marketing_influenced_revenue",
    "marketing_sourced_pipeline",
    "marketing_sourced_revenue",
]

_RATIO: Final = Decimal("0.0001")


def _part_of(part: Money, whole: Money, name: str) -> Computed:
    share = None if whole.is_zero() else (part.amount / whole.amount).quantize(_RATIO)
    return Computed(value=part.amount, context={"share": share, name: whole.amount})


@define(
    key="marketing_sourced_pipeline",
    name="Marketing-sourced pipeline",
    unit=KpiUnit.MONEY,
    direction=Direction.HIGHER_IS_BETTER,
    owners=MARKETING,
    formula="value of opportunities opened in the period from marketing-sourced leads",
)
def marketing_sourced_pipeline(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Value of the opportunities opened in the period from marketing-sourced leads."""
    return _part_of(f.sourced_pipeline[a.sourced_by], f.pipeline_created, "pipeline")


@define(
    key="marketing_influenced_pipeline",
    name="Marketing-influenced pipeline",
    unit=KpiUnit.MONEY,
    direction=Direction.HIGHER_IS_BETTER,
    owners=MARKETING,
    formula="value of opportunities opened in the period with a marketing touch before opening",
)
def marketing_influenced_pipeline(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Value of the opportunities opened in the period with a marketing touch before opening."""
    return _part_of(f.influenced_pipeline, f.pipeline_created, "pipeline")


@define(
    key="marketing_sourced_revenue",
    name="Marketing-sourced revenue",
    unit=KpiUnit.MONEY,
    direction=Direction.HIGHER_IS_BETTER,
    owners=MARKETING,
    formula="value of deals won in the period from marketing-sourced leads",
)
def marketing_sourced_revenue(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Value of the deals won in the period from marketing-sourced leads."""
    return _part_of(f.sourced_revenue[a.sourced_by], f.revenue, "revenue")


@define(
    key="marketing_influenced_revenue",
    name="Marketing-influenced revenue",
    unit=KpiUnit.MONEY,
    direction=Direction.HIGHER_IS_BETTER,
    owners=MARKETING,
    formula="value of deals won in the period with a marketing touch before the win",
)
def marketing_influenced_revenue(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Value of the deals won in the period with a marketing touch before the win."""
    return _part_of(f.influenced_revenue, f.revenue, "revenue")
