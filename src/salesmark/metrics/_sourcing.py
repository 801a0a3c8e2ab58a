"""Marketing's part in pipeline and revenue: sourced and influenced (private).

"Marketing-sourced" follows ``KpiAssumptions.sourced_by`` (default: the first touch was
marketing's), with the channel classes ``sales_channels`` and ``other_channels`` for
the lead-source definition and the organisation's sales activities for
marketing-before-sales; "marketing-influenced" is a marketing touch at or before the
opportunity was opened or the deal won. Each value's context gives its ``share`` of the
whole (``None`` when the whole is 0). Import from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from salesmark.kpis import Direction, KpiUnit
from salesmark.metrics._assumptions import KpiAssumptions
from salesmark.metrics._kpi import MARKETING, Computed, Outcome, define, figure
from salesmark.metrics.facts import KpiFacts
from salesmark.sourcing import SourcedBy

__all__ = [
    "marketing_influenced_pipeline",
    "marketing_influenced_revenue",
    "marketing_sourced_pipeline",
    "marketing_sourced_revenue",
]


def _part_of(f: KpiFacts, by: SourcedBy, a: KpiAssumptions, name: str) -> Computed:
    """The value of the deals marketing sourced (or influenced) under ``by``, and its share of all of them.

    ``name`` is ``"pipeline"`` (the opportunities opened in the period) or ``"revenue"``
    (the deals won in it).
    """
    whole, ids = (
        (f.pipeline_created, "opportunities_opened")
        if name == "pipeline"
        else (f.revenue, "won_deals")
    )
    part = f.sourced_deals(
        "pipeline" if name == "pipeline" else "revenue",
        by,
        sales_channels=a.sales_channels,
        other_channels=a.other_channels,
    )
    amount, marketing = Decimal(0), []
    for lead, _ in part:  # one walk: the value and the ids, in the deals' order
        marketing.append(lead.id)
        if lead.value is not None:
            amount += lead.value.amount
    share = None if whole.is_zero() else figure(Fraction(amount) / Fraction(whole.amount))
    return Computed(
        value=amount,
        context={"share": share, name: whole.amount},
        leads={"marketing": tuple(marketing), name: f.leads(ids)},
    )


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
    return _part_of(f, a.sourced_by, a, "pipeline")


@define(
    key="marketing_influenced_pipeline",
    name="Marketing-influenced pipeline",
    unit=KpiUnit.MONEY,
    direction=Direction.HIGHER_IS_BETTER,
    owners=MARKETING,
    formula="value of opportunities opened in the period with a marketing touch at or before opening",
)
def marketing_influenced_pipeline(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Value of the opportunities opened in the period with a marketing touch at or before opening."""
    return _part_of(f, SourcedBy.INFLUENCED, a, "pipeline")


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
    return _part_of(f, a.sourced_by, a, "revenue")


@define(
    key="marketing_influenced_revenue",
    name="Marketing-influenced revenue",
    unit=KpiUnit.MONEY,
    direction=Direction.HIGHER_IS_BETTER,
    owners=MARKETING,
    formula="value of deals won in the period with a marketing touch at or before the win",
)
def marketing_influenced_revenue(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Value of the deals won in the period with a marketing touch at or before the win."""
    return _part_of(f, SourcedBy.INFLUENCED, a, "revenue")
