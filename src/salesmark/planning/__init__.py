"""Revenue planning from the company's own funnel (placeholder while building)."""

from __future__ import annotations

from salesmark.planning.forecasting import Forecast, ForecastMethod, ForecastPeriod, forecast
from salesmark.planning.probabilities import (
    StageProbabilities,
    StageProbability,
    stage_probabilities,
)

__all__ = [
    "Forecast",
    "ForecastMethod",
    "ForecastPeriod",
    "StageProbabilities",
    "StageProbability",
    "forecast",
    "stage_probabilities",
]
