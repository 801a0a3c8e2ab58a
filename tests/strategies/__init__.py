"""The tests' own fixtures and helpers, one module per area: what is not a public strategy.

The strategies for every public type live in :mod:`salesmark.testing.strategies` and
the tests import them from there. What stays here is test-only: the hand-computed
organisation of the funnel and KPI tests (``funnel``), the SLA and follow-through
organisations with fixed members (``sla``), the organisation whose every
figure is worked out by hand (``handchecked``), the scoring builders (``scoring``), tricky
attribution inputs (``attribution``), the boundary's fuzz helpers and samples
(``boundary``) and the walk over every result type (``results``). Every name is unique
across the package and importable from here: ``from strategies import hand_organisation``.
"""

from __future__ import annotations

from strategies.attribution import TRICKY_CHANNELS, counts_of, fractional_counts, tricky_counts
from strategies.boundary import GARBAGE, boundary_types, inbound_model, mutations, result_samples
from strategies.builders import FLAT, organisation_of
from strategies.funnel import (
    hand_organisation,
    lead_lists,
    lead_stories,
    part_of,
    slice_organisation,
    split_organisation,
)
from strategies.handchecked import (
    HANDCHECKED_CALENDAR,
    HANDCHECKED_SLA,
    handchecked_organisation,
)
from strategies.results import every_result, result_types
from strategies.scoring import (
    build,
    points,
    positive_points,
    renumber,
    scored_lead,
    touch,
    unevaluated,
)
from strategies.sla import (
    PATHS,
    SLA_CAMPAIGNS,
    SLA_CONTENT,
    SLA_MEMBERS,
    SLA_QUARTER,
    hours,
    loop_meetings,
    loop_organisations,
    loop_results,
    owner_credits,
    pools,
    sla_leads,
    sla_organisations,
    sla_touchpoints,
)

__all__ = [
    "FLAT",
    "GARBAGE",
    "HANDCHECKED_CALENDAR",
    "HANDCHECKED_SLA",
    "PATHS",
    "SLA_CAMPAIGNS",
    "SLA_CONTENT",
    "SLA_MEMBERS",
    "SLA_QUARTER",
    "TRICKY_CHANNELS",
    "boundary_types",
    "build",
    "counts_of",
    "every_result",
    "fractional_counts",
    "hand_organisation",
    "handchecked_organisation",
    "hours",
    "inbound_model",
    "lead_lists",
    "lead_stories",
    "loop_meetings",
    "loop_organisations",
    "loop_results",
    "mutations",
    "organisation_of",
    "owner_credits",
    "part_of",
    "points",
    "pools",
    "positive_points",
    "renumber",
    "result_samples",
    "result_types",
    "scored_lead",
    "sla_leads",
    "sla_organisations",
    "sla_touchpoints",
    "slice_organisation",
    "split_organisation",
    "touch",
    "tricky_counts",
    "unevaluated",
]
