"""Google Ads and Google Analytics (Universal Analytics era) rule-based models.

Google retired these rule-based models from Google Ads and GA4 in 2023 in favour of
data-driven attribution and last click; they are kept here so historical reports can be
reproduced.
"""

from __future__ import annotations

from datetime import timedelta

from salesmark.attribution._engine import Paths
from salesmark.attribution.journeys import Journey
from salesmark.attribution.milestones import MilestoneWeights, milestone_model
from salesmark.attribution.results import AttributionResult
from salesmark.attribution.rules import time_decay as _time_decay

__all__ = ["POSITION_BASED", "position_based", "time_decay"]

POSITION_BASED = MilestoneWeights(first=0.4, between=0.2, last=0.4)
"""40% first interaction, 40% last, 20% spread over the middle interactions."""


def position_based(data: Paths) -> AttributionResult:
    """Google's "Position-based": 40% first, 40% last, 20% evenly to the middle.

    Rule as published in Google Ads Help, "About attribution models": "the
    position-based model attributes 40% of the credit to both the first and last
    interactions, and the remaining 20% is spread out across the other interactions".

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
        >>> {k: round(v, 2) for k, v in position_based(counts).credits.items()}
        {'a': 0.4, 'b': 0.2, 'c': 0.4}
    """
    return milestone_model(data, POSITION_BASED, name="google_ads.position_based")


def time_decay(data: list[Journey] | tuple[Journey, ...]) -> AttributionResult:
    """Google's "Time decay": weight halves every 7 days before the conversion.

    Rule as published in Google Ads Help: "the time decay model uses a 7-day half-life",
    i.e. an interaction 8 days before the conversion gets half the credit of one a day
    before.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 1, 8, tzinfo=timezone.utc)
        >>> j = Journey(path=("a", "b"), converted=True, times=(t - timedelta(days=7), t))
        >>> {k: round(v, 3) for k, v in time_decay([j]).credits.items()}
        {'a': 0.333, 'b': 0.667}
    """
    result = _time_decay(data, half_life=timedelta(days=7))
    return AttributionResult(
        model="google_ads.time_decay",
        parameters=result.parameters,
        credits=result.credits,
        value_credits=result.value_credits,
        total_conversions=result.total_conversions,
        total_value=result.total_value,
    )
