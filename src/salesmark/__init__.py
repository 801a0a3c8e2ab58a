"""salesmark: sales-marketing alignment as pure, typed domain objects.

Buyer personas, client narratives, leads with their touchpoints and lifecycle, feedback,
KPIs and service-level agreements, plus the functions that judge them. No I/O: hand it
data, get values back.

The top level holds the nouns you construct, the company-level verbs, the converter
functions (with :func:`json_schema`) and the errors; the capabilities with many parts are namespaces:
:mod:`salesmark.attribution`, :mod:`salesmark.scoring` and :mod:`salesmark.metrics`.
Result and row types are importable from their own modules.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from salesmark import attribution, metrics, scoring
from salesmark.agenda import build_agenda
from salesmark.alignment import alignment_index
from salesmark.cadence import MeetingCadence
from salesmark.calendars import WorkingCalendar as WorkingCalendar  # see __all__
from salesmark.campaigns import Campaign
from salesmark.closed_loop import closed_loop_report
from salesmark.compliance import sla_compliance
from salesmark.content import BuyingStage, ContentAsset, ContentKind, ContentUsage
from salesmark.errors import (
    CurrencyMismatch,
    IllegalTransition,
    MissingExtra,
    MissingReason,
    NaiveDatetime,
    SalesmarkError,
    StructureError,
    UnknownReference,
    ValidationError,
    WrongType,
)
from salesmark.errors import FieldError as FieldError  # see __all__
from salesmark.feedback import ClientInsight, FeedbackReason, LeadFeedback, Sentiment
from salesmark.funnel import funnel_counts
from salesmark.kpis import Direction, KpiDefinition, KpiUnit, Measurement, Scorecard, Target
from salesmark.leads import Lead, LeadSource, StageChange
from salesmark.lifecycle import (
    DEMAND_WATERFALL,
    HUBSPOT,
    DisqualificationReason,
    Lifecycle,
    LostReason,
    RecycleReason,
    RejectionReason,
    Stage,
    StageDefinition,
    Transition,
)
from salesmark.meetings import ActionItem, Meeting
from salesmark.money import Money
from salesmark.narratives import Narrative, NarrativeStatus
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Criterion, Evidence, EvidenceKind, Persona
from salesmark.recognition import allocate_bonus, marketing_recognition
from salesmark.schema import json_schema
from salesmark.serialization import make_converter, structure, unstructure
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Approval, Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

try:
    __version__ = version("salesmark")
except PackageNotFoundError:  # pragma: no cover - only when run from a source tree
    __version__ = "0.0.0"

# WorkingCalendar left __all__ for json_schema (its home is salesmark.calendars),
# FieldError for MissingExtra (it is read from an error's ``errors``, not raised; its
# home is salesmark.errors), and __version__ is an attribute, not an export; all stay
# importable from here, so code written against them keeps working.
__all__ = [
    "DEMAND_WATERFALL",
    "HUBSPOT",
    "ActionItem",
    "Approval",
    "BuyingStage",
    "Campaign",
    "ClientInsight",
    "ContentAsset",
    "ContentKind",
    "ContentUsage",
    "Criterion",
    "CurrencyMismatch",
    "Direction",
    "DisqualificationReason",
    "Evidence",
    "EvidenceKind",
    "FeedbackReason",
    "IllegalTransition",
    "KpiDefinition",
    "KpiUnit",
    "Lead",
    "LeadFeedback",
    "LeadSource",
    "Lifecycle",
    "LostReason",
    "Measurement",
    "Meeting",
    "MeetingCadence",
    "Member",
    "MissingExtra",
    "MissingReason",
    "Money",
    "NaiveDatetime",
    "Narrative",
    "NarrativeStatus",
    "Organisation",
    "Period",
    "Persona",
    "RecycleReason",
    "RejectionReason",
    "SalesmarkError",
    "Scorecard",
    "Sentiment",
    "ServiceLevelAgreement",
    "Stage",
    "StageChange",
    "StageDefinition",
    "StructureError",
    "Target",
    "Team",
    "Touchpoint",
    "TouchpointKind",
    "Transition",
    "UnknownReference",
    "ValidationError",
    "WrongType",
    "alignment_index",
    "allocate_bonus",
    "attribution",
    "build_agenda",
    "closed_loop_report",
    "funnel_counts",
    "json_schema",
    "make_converter",
    "marketing_recognition",
    "metrics",
    "scoring",
    "sla_compliance",
    "structure",
    "unstructure",
]
