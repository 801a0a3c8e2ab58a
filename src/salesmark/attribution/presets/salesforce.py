"""Salesforce Customizable Campaign Influence models, as data.

Rules as published in Salesforce Help, "Campaign Influence Models": the standard models
are First Touch, Last Touch and Even Distribution; Position-Based (40/20/40) is the
common custom model set up with Salesforce's influence fields. Each is a
:class:`~salesmark.attribution.presets.Preset`: call it on paths or journeys.

Example:
    >>> from salesmark.attribution import PathCounts
    >>> two = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
    >>> dict(first_touch(two).credits), dict(last_touch(two).credits)
    ({'a': 1.0, 'b': 0.0}, {'a': 0.0, 'b': 1.0})
    >>> dict(even_distribution(two).credits)
    {'a': 0.5, 'b': 0.5}
    >>> three = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
    >>> {k: round(v, 2) for k, v in position_based(three).credits.items()}
    {'a': 0.4, 'b': 0.2, 'c': 0.4}
"""

from __future__ import annotations

from typing import Final

from salesmark.attribution.milestones import FIRST_TOUCH, LAST_TOUCH, POSITION_BASED
from salesmark.attribution.presets._preset import Preset

__all__ = ["even_distribution", "first_touch", "last_touch", "position_based"]

_SOURCE = 'Salesforce Help, "Campaign Influence Models"'

first_touch: Final = Preset(
    vendor="salesforce",
    name="first_touch",
    title="First Touch",
    source=_SOURCE,
    weights=FIRST_TOUCH,
)
"""Salesforce "First Touch": 100% to the first campaign that influenced the opportunity.

Source: Salesforce Help, "Campaign Influence Models".
"""

last_touch: Final = Preset(
    vendor="salesforce",
    name="last_touch",
    title="Last Touch",
    source=_SOURCE,
    weights=LAST_TOUCH,
)
"""Salesforce "Last Touch": 100% to the last campaign before the opportunity closed.

Source: Salesforce Help, "Campaign Influence Models".
"""

even_distribution: Final = Preset(
    vendor="salesforce",
    name="even_distribution",
    title="Even Distribution",
    source=_SOURCE,
    model="linear",
)
"""Salesforce "Even Distribution": every influencing campaign gets an equal share.

Source: Salesforce Help, "Campaign Influence Models".
"""

position_based: Final = Preset(
    vendor="salesforce",
    name="position_based",
    title="Position-Based",
    source=_SOURCE,
    weights=POSITION_BASED,
)
"""Salesforce "Position-Based": 40% first, 40% last, 20% over the campaigns between.

Source: Salesforce Help, "Campaign Influence Models".
"""
