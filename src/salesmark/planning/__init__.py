"""Revenue planning from the company's own funnel.

Stage probabilities (configured on the lifecycle, or measured with Beta intervals), the
weighted pipeline as of an instant, a forecast of wins and bookings with intervals and
its backtest, the reverse waterfall from a revenue target, and win/loss analysis. Every
function takes an :class:`~salesmark.organisation.Organisation` first and reads only the
stage changes strictly before the instant it is asked about.
"""

from __future__ import annotations

from salesmark.planning.backtesting import Backtest, BacktestPeriod, backtest
from salesmark.planning.forecasting import Forecast, ForecastMethod, ForecastPeriod, forecast
from salesmark.planning.pipeline import PipelineLine, WeightedPipeline, weighted_pipeline
from salesmark.planning.probabilities import (
    StageProbabilities,
    StageProbability,
    stage_probabilities,
)
from salesmark.planning.waterfall import (
    ChannelBudget,
    ReverseWaterfall,
    WaterfallStage,
    reverse_waterfall,
)
from salesmark.planning.wins_and_losses import WinLoss, WinLossLine, win_loss

__all__ = [
    "Backtest",
    "BacktestPeriod",
    "ChannelBudget",
    "Forecast",
    "ForecastMethod",
    "ForecastPeriod",
    "PipelineLine",
    "ReverseWaterfall",
    "StageProbabilities",
    "StageProbability",
    "WaterfallStage",
    "WeightedPipeline",
    "WinLoss",
    "WinLossLine",
    "backtest",
    "forecast",
    "reverse_waterfall",
    "stage_probabilities",
    "weighted_pipeline",
    "win_loss",
]
