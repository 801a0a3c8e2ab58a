"""salesmark: sales-marketing alignment as pure, typed domain objects.

Buyer personas, client narratives, leads with their touchpoints and lifecycle, feedback,
KPIs and service-level agreements, plus the functions that judge them. No I/O: hand it
data, get values back.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from salesmark.campaigns import Campaign
from salesmark.content import BuyingStage, ContentAsset, ContentKind, ContentUsage
from salesmark.errors import (
    CurrencyMismatch,
    IllegalTransition,
    MissingReason,
    NaiveDatetime,
    SalesmarkError,
    StructureError,
    UnknownReference,
    ValidationError,
)
from salesmark.feedback import ClientInsight, FeedbackReason, LeadFeedback, Sentiment
from salesmark.kpis import (
    Direction,
    KpiDefinition,
    KpiUnit,
    Measurement,
    Scorecard,
    Target,
    TargetStatus,
)
from salesmark.leads import AttributeValue, Lead, LeadSource, StageChange
from salesmark.lifecycle import (
    DEMAND_WATERFALL,
    HUBSPOT,
    DisqualificationReason,
    HubSpotStage,
    Lifecycle,
    LostReason,
    RecycleReason,
    RejectionReason,
    Stage,
    StageDefinition,
    Transition,
)
from salesmark.meetings import ActionItem, AgendaItem, Meeting, MeetingCadence
from salesmark.money import Money
from salesmark.narratives import Narrative, NarrativeRevision, NarrativeStatus
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Criterion, Evidence, EvidenceKind, Persona
from salesmark.serialization import make_converter, structure, unstructure
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Approval, Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

try:
    __version__ = version("salesmark")
except PackageNotFoundError:  # pragma: no cover - only when run from a source tree
    __version__ = "0.0.0"

__all__ = [
    "DEMAND_WATERFALL",
    "HUBSPOT",
    "ActionItem",
    "AgendaItem",
    "Approval",
    "AttributeValue",
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
    "HubSpotStage",
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
    "MissingReason",
    "Money",
    "NaiveDatetime",
    "Narrative",
    "NarrativeRevision",
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
    "TargetStatus",
    "Team",
    "Touchpoint",
    "TouchpointKind",
    "Transition",
    "UnknownReference",
    "ValidationError",
    "__version__",
    "make_converter",
    "structure",
    "unstructure",
]
