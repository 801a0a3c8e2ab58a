"""Multi-touch attribution: who gets credit for each conversion.

Rule-based models (first touch, last touch, linear, U-, J-, W-shaped, full path, time
decay, custom), vendor presets on one milestone-weight engine, and exact data-driven
models (Markov removal effects, Shapley values, ordered Shapley by touch position), all
over :class:`PathCounts` or :class:`Journey` objects and all returning an
:class:`AttributionResult` (ordered Shapley: :class:`PositionCredits`).

One module per part: :mod:`~salesmark.attribution.journeys` (journeys, from leads),
:mod:`~salesmark.attribution.accounts` (one journey per account),
:mod:`~salesmark.attribution.grouping` (channel groups),
:mod:`~salesmark.attribution.paths` (journeys aggregated by path),
:mod:`~salesmark.attribution.milestones` (the milestone-weight engine and its named
shapes), :mod:`~salesmark.attribution.rules` (rule-based models),
:mod:`~salesmark.attribution.markov_chain`, :mod:`~salesmark.attribution.shapley_values`,
:mod:`~salesmark.attribution.results`, :mod:`~salesmark.attribution.presets` and
:mod:`~salesmark.attribution.statistics` (each model's mergeable statistics, for
partitions and clusters).

Two engines compute the models over :class:`PathCounts`: pure Python, always there,
and numpy (``pip install "salesmark[fast]"``), used when installed; ``engine=`` picks
one. They give the same credits (to 1e-12; the rule models bit for bit) and the same
cents, and each gives the same bits whatever order the paths were added in.

Example:
    >>> from salesmark.attribution import PathCounts, compare, linear, markov
    >>> counts = PathCounts.from_records(
    ...     [{"path": "search > email", "total_conversions": 3, "total_null": 7},
    ...      {"path": "email", "total_conversions": 1, "total_null": 9}],
    ...     value=None,
    ... )
    >>> compare(linear(counts), markov(counts)).to_records()[0]["channel"]
    'email'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from salesmark.attribution import presets
from salesmark.attribution.accounts import ContactPolicy, account_journeys
from salesmark.attribution.grouping import (
    GA4_DEFAULT_GROUPING,
    ChannelGrouping,
    ChannelRule,
    Match,
)
from salesmark.attribution.journeys import Journey, Lookback, Milestones, journeys_from_leads
from salesmark.attribution.markov_chain import (
    MAX_MARKOV_STATES,
    MAX_MARKOV_WORK,
    RESERVED_STATES,
    MarkovChain,
    Transition,
    markov,
)
from salesmark.attribution.milestones import MilestoneWeights, milestone_model
from salesmark.attribution.paths import MAX_COUNT, MAX_DECIMALS, MAX_VALUE, PathCounts, PathRow
from salesmark.attribution.results import AttributionResult, Comparison, compare, roll_up
from salesmark.attribution.rules import (
    custom,
    first_touch,
    full_path,
    inverse_j,
    j_shaped,
    last_non_direct,
    last_touch,
    linear,
    position_based,
    time_decay,
    w_shaped,
)
from salesmark.attribution.shapley_values import (
    MAX_SHAPLEY_CHANNELS,
    PositionCredit,
    PositionCredits,
    ShapleyStatistics,
    ordered_shapley,
    shapley,
    shapley_statistics,
)
from salesmark.attribution.statistics import (
    RULE_MODELS,
    MarkovStatistics,
    RuleCredits,
    markov_statistics,
    rule_credits,
)

MODELS: Final[Mapping[str, Callable[..., AttributionResult]]] = MappingProxyType(
    {
        model.__name__: model
        for model in sorted(
            (
                first_touch,
                full_path,
                inverse_j,
                j_shaped,
                last_non_direct,
                last_touch,
                linear,
                markov,
                position_based,
                shapley,
                time_decay,
                w_shaped,
            ),
            key=lambda model: model.__name__,
        )
    }
)
"""Every attribution model that needs nothing but paths, once, under its function's name.

Reports that run a model by name (:func:`salesmark.closed_loop.closed_loop_report`)
look it up here. :func:`custom` and :func:`milestone_model` need a rule and
:func:`ordered_shapley` credits positions, so they are called directly; vendor presets
are listed in :data:`salesmark.attribution.presets.PRESETS`.

Example:
    >>> sorted(MODELS)[:3]
    ['first_touch', 'full_path', 'inverse_j']
"""

__all__ = [
    "GA4_DEFAULT_GROUPING",
    "MAX_COUNT",
    "MAX_DECIMALS",
    "MAX_MARKOV_STATES",
    "MAX_MARKOV_WORK",
    "MAX_SHAPLEY_CHANNELS",
    "MAX_VALUE",
    "MODELS",
    "RESERVED_STATES",
    "RULE_MODELS",
    "AttributionResult",
    "ChannelGrouping",
    "ChannelRule",
    "Comparison",
    "ContactPolicy",
    "Journey",
    "Lookback",
    "MarkovChain",
    "MarkovStatistics",
    "Match",
    "MilestoneWeights",
    "Milestones",
    "PathCounts",
    "PathRow",
    "PositionCredit",
    "PositionCredits",
    "RuleCredits",
    "ShapleyStatistics",
    "Transition",
    "account_journeys",
    "compare",
    "custom",
    "first_touch",
    "full_path",
    "inverse_j",
    "j_shaped",
    "journeys_from_leads",
    "last_non_direct",
    "last_touch",
    "linear",
    "markov",
    "markov_statistics",
    "milestone_model",
    "ordered_shapley",
    "position_based",
    "presets",
    "roll_up",
    "rule_credits",
    "shapley",
    "shapley_statistics",
    "time_decay",
    "w_shaped",
]
