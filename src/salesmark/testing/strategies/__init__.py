"""Hypothesis strategies for every public type of salesmark, for property tests of your rules.

A business rule that must hold for every lead, every history legal in your lifecycle or
every organisation is a property; these strategies draw the data, valid by
construction (histories walk the lifecycle, references point at what the organisation
holds), in small modules by area: :mod:`~salesmark.testing.strategies.values` and
:mod:`~salesmark.testing.strategies.times` (ids, money, datetimes, periods),
:mod:`~salesmark.testing.strategies.lifecycle`, :mod:`~salesmark.testing.strategies.crm`
(leads, touchpoints, feedback, campaigns, content),
:mod:`~salesmark.testing.strategies.messaging` (personas, narratives),
:mod:`~salesmark.testing.strategies.goals` (KPIs, targets, SLAs),
:mod:`~salesmark.testing.strategies.meeting`, :mod:`~salesmark.testing.strategies.company`
(organisations), :mod:`~salesmark.testing.strategies.attribution`,
:mod:`~salesmark.testing.strategies.scoring`, :mod:`~salesmark.testing.strategies.wire`
(arbitrary JSON) and :mod:`~salesmark.testing.strategies.catalogue` (every public type,
and its JSON form). Every name is importable from here.

It needs the ``hypothesis`` extra: ``pip install 'salesmark[hypothesis]'``. Without
hypothesis, importing this module raises :class:`~salesmark.testing.MissingExtra`.

Example:
    >>> from hypothesis import given, settings
    >>> from salesmark import HUBSPOT
    >>> from salesmark.testing.strategies import leads
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(leads(HUBSPOT))
    ... def test_a_lead_is_where_its_history_ends(lead):
    ...     assert lead.stage == lead.history[-1].stage
    >>> test_a_lead_is_where_its_history_ends()
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401 (checked first, so the error names the extra)
except ImportError:
    from salesmark.testing._extra import MissingExtra

    _MSG = (
        "salesmark.testing.strategies needs hypothesis; "
        "install salesmark[hypothesis] (pip install 'salesmark[hypothesis]')"
    )
    raise MissingExtra(_MSG) from None

from salesmark.testing.strategies.attribution import (
    PATH_CHANNELS,
    PathRow,
    channel_paths,
    converting_counts,
    journey_lists,
    journeys,
    milestone_weights,
    path_counts,
    path_rows,
    presets,
)
from salesmark.testing.strategies.catalogue import public_types, unstructured
from salesmark.testing.strategies.company import organisations
from salesmark.testing.strategies.crm import (
    attribute_values,
    campaigns,
    client_insights,
    content_assets,
    content_usage,
    lead_feedback,
    lead_sources,
    leads,
    touchpoints,
)
from salesmark.testing.strategies.goals import (
    kpi_definitions,
    kpi_keys,
    kpi_values,
    measurements,
    scorecards,
    slas,
    targets,
)
from salesmark.testing.strategies.lifecycle import (
    custom_lifecycles,
    legal_walks,
    lifecycles,
    stage_definitions,
    transitions,
)
from salesmark.testing.strategies.meeting import (
    action_items,
    agenda_items,
    cadences,
    decisions,
    meetings,
)
from salesmark.testing.strategies.messaging import (
    criteria,
    evidence,
    narrative_revisions,
    narratives,
    one_approval_per_team,
    personas,
)
from salesmark.testing.strategies.scoring import (
    SCORING_AT,
    SCORING_ATTRIBUTES,
    engagement_rules,
    fit_rules,
    scoring_attribute_values,
    scoring_decays,
    scoring_leads,
    scoring_models,
    scoring_rules,
    scoring_touchpoints,
)
from salesmark.testing.strategies.times import (
    FIXED_ZONES,
    MAX_TIME,
    MIN_TIME,
    NAMED_ZONES,
    ZONES,
    any_aware_datetimes,
    aware_datetimes,
    instants,
    periods,
    zones,
)
from salesmark.testing.strategies.values import (
    CURRENCIES,
    approvals,
    currencies,
    decimals,
    ids,
    members,
    money,
    teams,
    words,
)
from salesmark.testing.strategies.wire import JsonValue, field_errors, json_scalars, json_values

__all__ = [
    "CURRENCIES",
    "FIXED_ZONES",
    "MAX_TIME",
    "MIN_TIME",
    "NAMED_ZONES",
    "PATH_CHANNELS",
    "SCORING_AT",
    "SCORING_ATTRIBUTES",
    "ZONES",
    "JsonValue",
    "PathRow",
    "action_items",
    "agenda_items",
    "any_aware_datetimes",
    "approvals",
    "attribute_values",
    "aware_datetimes",
    "cadences",
    "campaigns",
    "channel_paths",
    "client_insights",
    "content_assets",
    "content_usage",
    "converting_counts",
    "criteria",
    "currencies",
    "custom_lifecycles",
    "decimals",
    "decisions",
    "engagement_rules",
    "evidence",
    "field_errors",
    "fit_rules",
    "ids",
    "instants",
    "journey_lists",
    "journeys",
    "json_scalars",
    "json_values",
    "kpi_definitions",
    "kpi_keys",
    "kpi_values",
    "lead_feedback",
    "lead_sources",
    "leads",
    "legal_walks",
    "lifecycles",
    "measurements",
    "meetings",
    "members",
    "milestone_weights",
    "money",
    "narrative_revisions",
    "narratives",
    "one_approval_per_team",
    "organisations",
    "path_counts",
    "path_rows",
    "periods",
    "personas",
    "presets",
    "public_types",
    "scorecards",
    "scoring_attribute_values",
    "scoring_decays",
    "scoring_leads",
    "scoring_models",
    "scoring_rules",
    "scoring_touchpoints",
    "slas",
    "stage_definitions",
    "targets",
    "teams",
    "touchpoints",
    "transitions",
    "unstructured",
    "words",
    "zones",
]
