"""Google Ads and Google Analytics (Universal Analytics era) rule-based models, as data.

Google retired these rule-based models from Google Ads and GA4 in 2023 in favour of
data-driven attribution and last click; they are kept here so historical reports can be
reproduced. Each is a :class:`~salesmark.attribution.presets.Preset`: call it on paths
or journeys. ``POSITION_BASED`` is the shared 40/20/40 shape,
:data:`salesmark.attribution.milestones.POSITION_BASED`.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from salesmark.attribution import Journey, PathCounts
    >>> counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
    >>> {k: round(v, 2) for k, v in position_based(counts).credits.items()}
    {'a': 0.4, 'b': 0.2, 'c': 0.4}
    >>> t = datetime(2026, 1, 8, tzinfo=timezone.utc)
    >>> j = Journey(path=("a", "b"), converted=True, times=(t - timedelta(days=7), t))
    >>> {k: round(v, 3) for k, v in time_decay([j]).credits.items()}
    {'a': 0.333, 'b': 0.667}
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from salesmark.attribution.milestones import POSITION_BASED
from salesmark.attribution.presets._preset import Preset

__all__ = ["POSITION_BASED", "position_based", "time_decay"]

_SOURCE = 'Google Ads Help, "About attribution models"'

position_based: Final = Preset(
    vendor="google_ads",
    name="position_based",
    title="Position-based",
    source=_SOURCE,
    weights=POSITION_BASED,
)
"""Google's "Position-based": 40% first, 40% last, 20% evenly to the middle.

Rule as published in Google Ads Help, "About attribution models": "the
position-based model attributes 40% of the credit to both the first and last
interactions, and the remaining 20% is spread out across the other interactions".
"""

time_decay: Final = Preset(
    vendor="google_ads",
    name="time_decay",
    title="Time decay",
    source=_SOURCE,
    model="time_decay",
    half_life=timedelta(days=7),
)
"""Google's "Time decay": weight halves every 7 days before the conversion.

Rule as published in Google Ads Help: "the time decay model uses a 7-day half-life",
i.e. an interaction 8 days before the conversion gets half the credit of one a day
before. Needs journeys with touch times.
"""
