"""Every public type of salesmark with a strategy for it, for tests that hold them all to one promise.

Example:
    >>> [cls.__name__ for cls, _ in public_types()][:3]
    ['Money', 'Period', 'Member']
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from salesmark.attribution import Journey, MilestoneWeights, PathCounts
from salesmark.attribution.presets import Preset
from salesmark.cadence import MeetingCadence
from salesmark.campaigns import Campaign
from salesmark.content import ContentAsset, ContentUsage
from salesmark.errors import FieldError, ValidationError
from salesmark.feedback import ClientInsight, LeadFeedback
from salesmark.kpis import KpiDefinition, KpiValue, Measurement, Scorecard, Target
from salesmark.leads import Lead, LeadSource, StageChange
from salesmark.lifecycle import HUBSPOT, Lifecycle, StageDefinition, Transition
from salesmark.meetings import ActionItem, AgendaItem, Decision, Meeting
from salesmark.money import Money
from salesmark.narratives import Narrative, NarrativeRevision
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Criterion, Evidence, Persona
from salesmark.scoring import Decay, ScoringModel
from salesmark.serialization import unstructure
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Approval, Member
from salesmark.testing.strategies import attribution as _attribution
from salesmark.testing.strategies import crm as _crm
from salesmark.testing.strategies import goals as _goals
from salesmark.testing.strategies import lifecycle as _lifecycle
from salesmark.testing.strategies import meeting as _meeting
from salesmark.testing.strategies import messaging as _messaging
from salesmark.testing.strategies import scoring as _scoring
from salesmark.testing.strategies.company import organisations
from salesmark.testing.strategies.times import periods
from salesmark.testing.strategies.values import approvals, members, money
from salesmark.testing.strategies.wire import JsonValue, field_errors
from salesmark.touchpoints import Touchpoint

__all__ = ["public_types", "unstructured"]


def public_types() -> list[tuple[type[Any], st.SearchStrategy[Any]]]:
    """Every public type with a strategy for it (a type may come twice, with two strategies).

    The domain's types, the scoring model and its decay, the attribution inputs and the
    field errors of the boundary: what a round trip through JSON, a pickle or a schema
    check should hold for.

    Returns:
        ``(type, strategy)`` pairs, in a stable order.

    Example:
        >>> from hypothesis import given, settings
        >>> from salesmark import structure, unstructure
        >>> for cls, strategy in public_types()[:4]:
        ...     @settings(max_examples=3, database=None, deadline=None)
        ...     @given(strategy)
        ...     def test_round_trip(obj):
        ...         assert obj == structure(unstructure(obj), cls)
        ...     test_round_trip()
    """
    return [
        (Money, money()),
        (Period, periods()),
        (Member, members()),
        (Approval, approvals()),
        (Touchpoint, _crm.touchpoints()),
        (LeadSource, _crm.lead_sources()),
        (StageChange, _lifecycle.legal_walks().map(lambda h: h[-1])),
        (Lead, _crm.leads()),
        (Lead, _crm.leads(HUBSPOT)),
        (Criterion, _messaging.criteria()),
        (Evidence, _messaging.evidence()),
        (Persona, _messaging.personas()),
        (Narrative, _messaging.narratives()),
        (NarrativeRevision, _messaging.narrative_revisions()),
        (LeadFeedback, _crm.lead_feedback()),
        (ClientInsight, _crm.client_insights()),
        (KpiDefinition, _goals.kpi_definitions()),
        (Measurement, _goals.measurements()),
        (Target, _goals.targets()),
        (Scorecard, _goals.scorecards()),
        (KpiValue, _goals.kpi_values()),
        (ServiceLevelAgreement, _goals.slas()),
        (Campaign, _crm.campaigns()),
        (ContentAsset, _crm.content_assets()),
        (ContentUsage, _crm.content_usage()),
        (MeetingCadence, _meeting.cadences()),
        (AgendaItem, _meeting.agenda_items()),
        (ActionItem, _meeting.action_items()),
        (Decision, _meeting.decisions()),
        (Meeting, _meeting.meetings()),
        (StageDefinition, _lifecycle.stage_definitions()),
        (Transition, _lifecycle.transitions()),
        (Lifecycle, _lifecycle.lifecycles()),
        (Organisation, organisations()),
        (ScoringModel, _scoring.scoring_models()),
        (Decay, _scoring.scoring_decays()),
        (PathCounts, _attribution.path_counts()),
        (Journey, _attribution.journeys()),
        (MilestoneWeights, _attribution.milestone_weights()),
        (Preset, _attribution.presets()),
        (FieldError, field_errors()),
    ]


def _through_json(obj: object) -> JsonValue:
    return json.loads(json.dumps(unstructure(obj)))


def unstructured(of: type[Any] | st.SearchStrategy[Any]) -> st.SearchStrategy[JsonValue]:
    """The JSON form of valid objects: what :func:`~salesmark.serialization.unstructure` gives, through JSON text.

    Args:
        of: A public type (its strategies in :func:`~salesmark.testing.strategies.public_types`
            are drawn from), or a strategy of objects.

    Returns:
        A strategy of JSON documents that :func:`~salesmark.serialization.structure` reads back.

    Raises:
        ValidationError: If ``of`` is a type without a strategy here.

    Example:
        >>> from hypothesis import given, settings
        >>> from salesmark import Money, structure, unstructure
        >>> @settings(max_examples=5, database=None)
        ... @given(unstructured(Money))
        ... def test_money_reads_back(data):
        ...     assert data == unstructure(structure(data, Money))
        >>> test_money_reads_back()
    """
    if isinstance(of, st.SearchStrategy):
        return of.map(_through_json)
    found = [strategy for cls, strategy in public_types() if cls == of]
    if not found:
        msg = f"unstructured of must be a public type with a strategy or a strategy, got {of!r}"
        raise ValidationError(msg)
    return st.one_of(found).map(_through_json)
