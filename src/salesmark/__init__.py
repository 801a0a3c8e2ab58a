"""salesmark: sales-marketing alignment as pure, typed domain objects."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

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
from salesmark.money import Money
from salesmark.period import Period
from salesmark.teams import Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

try:
    __version__ = version("salesmark")
except PackageNotFoundError:  # pragma: no cover - only when run from a source tree
    __version__ = "0.0.0"

__all__ = [
    "DEMAND_WATERFALL",
    "HUBSPOT",
    "AttributeValue",
    "CurrencyMismatch",
    "DisqualificationReason",
    "HubSpotStage",
    "IllegalTransition",
    "Lead",
    "LeadSource",
    "Lifecycle",
    "LostReason",
    "Member",
    "MissingReason",
    "Money",
    "NaiveDatetime",
    "Period",
    "RecycleReason",
    "RejectionReason",
    "SalesmarkError",
    "Stage",
    "StageChange",
    "StageDefinition",
    "StructureError",
    "Team",
    "Touchpoint",
    "TouchpointKind",
    "UnknownReference",
    "ValidationError",
    "__version__",
]
