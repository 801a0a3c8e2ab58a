"""Marketo Measure (formerly Bizible) attribution models.

Rules as published in Adobe's Marketo Measure documentation, "Attribution models"
(FT = first touch, LC = lead-creation touch, OC = opportunity-creation touch,
CW = closed-won touch).
"""

from __future__ import annotations

from salesmark.attribution._engine import Paths
from salesmark.attribution.milestones import MilestoneWeights, milestone_model
from salesmark.attribution.results import AttributionResult

__all__ = ["first_touch", "full_path", "lead_creation", "u_shaped", "w_shaped"]


def first_touch(data: Paths) -> AttributionResult:
    """Marketo Measure "First Touch": 100% to FT.

    Source: Adobe Marketo Measure documentation, "Attribution models".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> dict(first_touch(PathCounts.from_tuples([(("a", "b"), 1, 0, None)])).credits)
        {'a': 1.0, 'b': 0.0}
    """
    return milestone_model(data, MilestoneWeights(first=1), name="marketo_measure.first_touch")


def lead_creation(data: Paths) -> AttributionResult:
    """Marketo Measure "Lead Creation": 100% to LC (a journey without LC shares linearly).

    Source: Adobe Marketo Measure documentation, "Attribution models".

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("a", "b"), converted=True, milestones=Milestones(lead_created=1))
        >>> dict(lead_creation([j]).credits)
        {'a': 0.0, 'b': 1.0}
    """
    rule = MilestoneWeights(lead_created=1)
    return milestone_model(data, rule, name="marketo_measure.lead_creation")


def u_shaped(data: Paths) -> AttributionResult:
    """Marketo Measure "U-Shaped": 50% to FT, 50% to LC, nothing to the touches between.

    Source: Adobe Marketo Measure documentation, "Attribution models".

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("a", "b", "c"), converted=True, milestones=Milestones(lead_created=2))
        >>> dict(u_shaped([j]).credits)
        {'a': 0.5, 'b': 0.0, 'c': 0.5}
    """
    rule = MilestoneWeights(first=0.5, lead_created=0.5)
    return milestone_model(data, rule, name="marketo_measure.u_shaped")


def w_shaped(data: Paths) -> AttributionResult:
    """Marketo Measure "W-Shaped": 30% each to FT, LC and OC; 10% over the touches between.

    Source: Adobe Marketo Measure documentation, "Attribution models".

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("a", "b", "c"), converted=True,
        ...             milestones=Milestones(lead_created=1, opportunity_created=2))
        >>> {k: round(v, 3) for k, v in w_shaped([j]).credits.items()}
        {'a': 0.333, 'b': 0.333, 'c': 0.333}
    """
    rule = MilestoneWeights(first=0.3, lead_created=0.3, opportunity_created=0.3, between=0.1)
    return milestone_model(data, rule, name="marketo_measure.w_shaped")


def full_path(data: Paths) -> AttributionResult:
    """Marketo Measure "Full Path": 22.5% each to FT, LC, OC and CW; 10% over the rest.

    Source: Adobe Marketo Measure documentation, "Attribution models".

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("a", "b", "c", "d", "e"), converted=True,
        ...             milestones=Milestones(lead_created=1, opportunity_created=2, closed_won=4))
        >>> {k: round(v, 3) for k, v in full_path([j]).credits.items()}
        {'a': 0.225, 'b': 0.225, 'c': 0.225, 'd': 0.1, 'e': 0.225}
    """
    rule = MilestoneWeights(
        first=0.225, lead_created=0.225, opportunity_created=0.225, closed_won=0.225, between=0.1
    )
    return milestone_model(data, rule, name="marketo_measure.full_path")
