"""HubSpot's multi-touch revenue attribution models, as data.

Rules as published in HubSpot's Knowledge Base, "Understand attribution models" (the
lead-creation touch is the interaction that created the contact; the deal-creation
touch the one that created the deal; closed-won the last before the deal was won).
Each is a :class:`~salesmark.attribution.presets.Preset`: call it on journeys with
milestones (or on paths, for the rules that weigh no milestone).

Example:
    >>> from salesmark.attribution import Journey, Milestones, PathCounts
    >>> j = Journey(path=("ad", "blog", "form", "call"), converted=True,
    ...             milestones=Milestones(lead_created=2))
    >>> {k: round(v, 2) for k, v in u_shaped([j]).credits.items()}
    {'ad': 0.4, 'blog': 0.2, 'call': 0.0, 'form': 0.4}
    >>> j = Journey(path=("ad", "form", "call", "demo"), converted=True,
    ...             milestones=Milestones(lead_created=1, opportunity_created=3))
    >>> {k: round(v, 2) for k, v in w_shaped([j]).credits.items()}
    {'ad': 0.3, 'call': 0.1, 'demo': 0.3, 'form': 0.3}
    >>> j = Journey(path=("ad", "form", "demo", "contract"), converted=True,
    ...             milestones=Milestones(lead_created=1, opportunity_created=2, closed_won=3))
    >>> {k: round(v, 3) for k, v in full_path([j]).credits.items()}
    {'ad': 0.25, 'contract': 0.25, 'demo': 0.25, 'form': 0.25}
    >>> counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
    >>> {k: round(v, 2) for k, v in j_shaped(counts).credits.items()}
    {'a': 0.2, 'b': 0.2, 'c': 0.6}
    >>> {k: round(v, 2) for k, v in inverse_j(counts).credits.items()}
    {'a': 0.6, 'b': 0.2, 'c': 0.2}
"""

from __future__ import annotations

from typing import Final

from salesmark.attribution.milestones import (
    FULL_PATH,
    INVERSE_J,
    J_SHAPED,
    W_SHAPED,
    MilestoneWeights,
)
from salesmark.attribution.presets._preset import Preset

__all__ = ["full_path", "inverse_j", "j_shaped", "u_shaped", "w_shaped"]

_SOURCE = 'HubSpot Knowledge Base, "Understand attribution models"'

u_shaped: Final = Preset(
    vendor="hubspot",
    name="u_shaped",
    title="U-shaped",
    source=_SOURCE,
    weights=MilestoneWeights(first=0.4, lead_created=0.4, between=0.2),
)
"""HubSpot "U-shaped": 40% first interaction, 40% lead creation, 20% to the ones between.

Source: HubSpot Knowledge Base, "Understand attribution models".
"""

w_shaped: Final = Preset(
    vendor="hubspot",
    name="w_shaped",
    title="W-shaped",
    source=_SOURCE,
    weights=W_SHAPED,
)
"""HubSpot "W-shaped": 30% each to first, lead creation and deal creation, 10% between.

Source: HubSpot Knowledge Base, "Understand attribution models".
"""

full_path: Final = Preset(
    vendor="hubspot",
    name="full_path",
    title="Full path",
    source=_SOURCE,
    weights=FULL_PATH,
)
"""HubSpot "Full path": 22.5% each to first, lead, deal creation and closed won; 10% between.

Source: HubSpot Knowledge Base, "Understand attribution models".
"""

j_shaped: Final = Preset(
    vendor="hubspot",
    name="j_shaped",
    title="J-shaped",
    source=_SOURCE,
    weights=J_SHAPED,
)
"""HubSpot "J-shaped": 20% first interaction, 60% last, 20% between.

Source: HubSpot Knowledge Base, "Understand attribution models".
"""

inverse_j: Final = Preset(
    vendor="hubspot",
    name="inverse_j",
    title="Inverse J-shaped",
    source=_SOURCE,
    weights=INVERSE_J,
)
"""HubSpot "Inverse J-shaped": 60% first interaction, 20% last, 20% between.

Source: HubSpot Knowledge Base, "Understand attribution models".
"""
