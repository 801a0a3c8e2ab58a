"""HubSpot's multi-touch revenue attribution models.

Rules as published in HubSpot's Knowledge Base, "Understand attribution models" (the
lead-creation touch is the interaction that created the contact; the deal-creation
touch the one that created the deal; closed-won the last before the deal was won).
"""

from __future__ import annotations

from salesmark.attribution._engine import Paths
from salesmark.attribution.milestones import MilestoneWeights, milestone_model
from salesmark.attribution.results import AttributionResult

__all__ = ["full_path", "inverse_j", "j_shaped", "u_shaped", "w_shaped"]


def u_shaped(data: Paths) -> AttributionResult:
    """HubSpot "U-shaped": 40% first interaction, 40% lead creation, 20% to the ones between.

    Source: HubSpot Knowledge Base, "Understand attribution models".

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("ad", "blog", "form", "call"), converted=True,
        ...             milestones=Milestones(lead_created=2))
        >>> {k: round(v, 2) for k, v in u_shaped([j]).credits.items()}
        {'ad': 0.4, 'blog': 0.2, 'call': 0.0, 'form': 0.4}
    """
    rule = MilestoneWeights(first=0.4, lead_created=0.4, between=0.2)
    return milestone_model(data, rule, name="hubspot.u_shaped")


def w_shaped(data: Paths) -> AttributionResult:
    """HubSpot "W-shaped": 30% each to first, lead creation and deal creation, 10% between.

    Source: HubSpot Knowledge Base, "Understand attribution models".

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("ad", "form", "call", "demo"), converted=True,
        ...             milestones=Milestones(lead_created=1, opportunity_created=3))
        >>> {k: round(v, 2) for k, v in w_shaped([j]).credits.items()}
        {'ad': 0.3, 'call': 0.1, 'demo': 0.3, 'form': 0.3}
    """
    rule = MilestoneWeights(first=0.3, lead_created=0.3, opportunity_created=0.3, between=0.1)
    return milestone_model(data, rule, name="hubspot.w_shaped")


def full_path(data: Paths) -> AttributionResult:
    """HubSpot "Full path": 22.5% each to first, lead, deal creation and closed won; 10% between.

    Source: HubSpot Knowledge Base, "Understand attribution models".

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("ad", "form", "demo", "contract"), converted=True,
        ...             milestones=Milestones(lead_created=1, opportunity_created=2, closed_won=3))
        >>> {k: round(v, 3) for k, v in full_path([j]).credits.items()}
        {'ad': 0.25, 'contract': 0.25, 'demo': 0.25, 'form': 0.25}
    """
    rule = MilestoneWeights(
        first=0.225, lead_created=0.225, opportunity_created=0.225, closed_won=0.225, between=0.1
    )
    return milestone_model(data, rule, name="hubspot.full_path")


def j_shaped(data: Paths) -> AttributionResult:
    """HubSpot "J-shaped": 20% first interaction, 60% last, 20% between.

    Source: HubSpot Knowledge Base, "Understand attribution models".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
        >>> {k: round(v, 2) for k, v in j_shaped(counts).credits.items()}
        {'a': 0.2, 'b': 0.2, 'c': 0.6}
    """
    rule = MilestoneWeights(first=0.2, between=0.2, last=0.6)
    return milestone_model(data, rule, name="hubspot.j_shaped")


def inverse_j(data: Paths) -> AttributionResult:
    """HubSpot "Inverse J-shaped": 60% first interaction, 20% last, 20% between.

    Source: HubSpot Knowledge Base, "Understand attribution models".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
        >>> {k: round(v, 2) for k, v in inverse_j(counts).credits.items()}
        {'a': 0.6, 'b': 0.2, 'c': 0.2}
    """
    rule = MilestoneWeights(first=0.6, between=0.2, last=0.2)
    return milestone_model(data, rule, name="hubspot.inverse_j")
