"""Salesforce Customizable Campaign Influence models.

Rules as published in Salesforce Help, "Campaign Influence Models": the standard models
are First Touch, Last Touch and Even Distribution; Position-Based (40/20/40) is the
common custom model set up with Salesforce's influence fields.
"""

from __future__ import annotations

from salesmark.attribution._engine import Paths
from salesmark.attribution.milestones import MilestoneWeights, milestone_model
from salesmark.attribution.results import AttributionResult
from salesmark.attribution.rules import linear

__all__ = ["even_distribution", "first_touch", "last_touch", "position_based"]


def first_touch(data: Paths) -> AttributionResult:
    """Salesforce "First Touch": 100% to the first campaign that influenced the opportunity.

    Source: Salesforce Help, "Campaign Influence Models".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> dict(first_touch(PathCounts.from_tuples([(("a", "b"), 1, 0, None)])).credits)
        {'a': 1.0, 'b': 0.0}
    """
    return milestone_model(data, MilestoneWeights(first=1), name="salesforce.first_touch")


def last_touch(data: Paths) -> AttributionResult:
    """Salesforce "Last Touch": 100% to the last campaign before the opportunity closed.

    Source: Salesforce Help, "Campaign Influence Models".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> dict(last_touch(PathCounts.from_tuples([(("a", "b"), 1, 0, None)])).credits)
        {'a': 0.0, 'b': 1.0}
    """
    return milestone_model(data, MilestoneWeights(last=1), name="salesforce.last_touch")


def even_distribution(data: Paths) -> AttributionResult:
    """Salesforce "Even Distribution": every influencing campaign gets an equal share.

    Source: Salesforce Help, "Campaign Influence Models".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> dict(even_distribution(PathCounts.from_tuples([(("a", "b"), 1, 0, None)])).credits)
        {'a': 0.5, 'b': 0.5}
    """
    result = linear(data)
    return AttributionResult(
        model="salesforce.even_distribution",
        credits=result.credits,
        value_credits=result.value_credits,
        total_conversions=result.total_conversions,
        total_value=result.total_value,
    )


def position_based(data: Paths) -> AttributionResult:
    """Salesforce "Position-Based": 40% first, 40% last, 20% over the campaigns between.

    Source: Salesforce Help, "Campaign Influence Models".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
        >>> {k: round(v, 2) for k, v in position_based(counts).credits.items()}
        {'a': 0.4, 'b': 0.2, 'c': 0.4}
    """
    rule = MilestoneWeights(first=0.4, between=0.2, last=0.4)
    return milestone_model(data, rule, name="salesforce.position_based")
