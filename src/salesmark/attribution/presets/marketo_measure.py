"""Marketo Measure (formerly Bizible) attribution models, as data.

Rules as published in Adobe's Marketo Measure documentation, "Attribution models"
(FT = first touch, LC = lead-creation touch, OC = opportunity-creation touch,
CW = closed-won touch). Each is a :class:`~salesmark.attribution.presets.Preset`: call
it on journeys with milestones (or on paths, for First Touch).

Example:
    >>> from salesmark.attribution import Journey, Milestones, PathCounts
    >>> dict(first_touch(PathCounts.from_tuples([(("a", "b"), 1, 0, None)])).credits)
    {'a': 1.0, 'b': 0.0}
    >>> j = Journey(path=("a", "b"), converted=True, milestones=Milestones(lead_created=1))
    >>> dict(lead_creation([j]).credits)
    {'a': 0.0, 'b': 1.0}
    >>> j = Journey(path=("a", "b", "c"), converted=True, milestones=Milestones(lead_created=2))
    >>> dict(u_shaped([j]).credits)
    {'a': 0.5, 'b': 0.0, 'c': 0.5}
    >>> j = Journey(path=("a", "b", "c"), converted=True,
    ...             milestones=Milestones(lead_created=1, opportunity_created=2))
    >>> {k: round(v, 3) for k, v in w_shaped([j]).credits.items()}
    {'a': 0.333, 'b': 0.333, 'c': 0.333}
    >>> j = Journey(path=("a", "b", "c", "d", "e"), converted=True,
    ...             milestones=Milestones(lead_created=1, opportunity_created=2, closed_won=4))
    >>> {k: round(v, 3) for k, v in full_path([j]).credits.items()}
    {'a': 0.225, 'b': 0.225, 'c': 0.225, 'd': 0.1, 'e': 0.225}
"""

from __future__ import annotations

from typing import Final

from salesmark.attribution.milestones import (
    FIRST_TOUCH,
    FULL_PATH,
    LEAD_CREATION,
    W_SHAPED,
    MilestoneWeights,
)
from salesmark.attribution.presets._preset import Preset

__all__ = ["first_touch", "full_path", "lead_creation", "u_shaped", "w_shaped"]

_SOURCE = 'Adobe Marketo Measure documentation, "Attribution models"'

first_touch: Final = Preset(
    vendor="marketo_measure",
    name="first_touch",
    title="First Touch",
    source=_SOURCE,
    weights=FIRST_TOUCH,
)
"""Marketo Measure "First Touch": 100% to FT.

Source: Adobe Marketo Measure documentation, "Attribution models".
"""

lead_creation: Final = Preset(
    vendor="marketo_measure",
    name="lead_creation",
    title="Lead Creation",
    source=_SOURCE,
    weights=LEAD_CREATION,
)
"""Marketo Measure "Lead Creation": 100% to LC (a journey without LC shares linearly).

Source: Adobe Marketo Measure documentation, "Attribution models".
"""

u_shaped: Final = Preset(
    vendor="marketo_measure",
    name="u_shaped",
    title="U-Shaped",
    source=_SOURCE,
    weights=MilestoneWeights(first=0.5, lead_created=0.5),
)
"""Marketo Measure "U-Shaped": 50% to FT, 50% to LC, nothing to the touches between.

Source: Adobe Marketo Measure documentation, "Attribution models".
"""

w_shaped: Final = Preset(
    vendor="marketo_measure",
    name="w_shaped",
    title="W-Shaped",
    source=_SOURCE,
    weights=W_SHAPED,
)
"""Marketo Measure "W-Shaped": 30% each to FT, LC and OC; 10% over the touches between.

Source: Adobe Marketo Measure documentation, "Attribution models".
"""

full_path: Final = Preset(
    vendor="marketo_measure",
    name="full_path",
    title="Full Path",
    source=_SOURCE,
    weights=FULL_PATH,
)
"""Marketo Measure "Full Path": 22.5% each to FT, LC, OC and CW; 10% over the rest.

Source: Adobe Marketo Measure documentation, "Attribution models".
"""
