"""Lead scoring and qualification: explainable scores, persona matching, feedback, calibration.

A :class:`ScoringModel` of declarative :class:`Rule` objects scores leads on fit and
engagement (with decay) into a :class:`LeadScore` that says which rules fired;
:func:`match_persona` and :func:`suggest_personas` tie leads to buyer personas;
:func:`lead_quality` and :func:`feedback_coverage` close the loop with sales' feedback;
:func:`calibrate` and :func:`suggest_weights` calibrate a model against real outcomes.
"""

from __future__ import annotations

from salesmark.scoring.calibration import (
    Calibration,
    GroupConversion,
    RuleWeight,
    WeightSuggestion,
    calibrate,
    hit_matrix,
    roc_auc,
    suggest_weights,
)
from salesmark.scoring.decay import Decay, DecayKind
from salesmark.scoring.grades import EngagementBands, GradeScale, GradeThreshold, Qualification
from salesmark.scoring.matching import (
    AttributeProfile,
    PersonaMatch,
    PersonaSuggestion,
    match_persona,
    suggest_personas,
)
from salesmark.scoring.model import Contribution, LeadScore, LeadScores, ScoringModel
from salesmark.scoring.quality import (
    FeedbackCoverage,
    GroupQuality,
    LeadQualityReport,
    feedback_coverage,
    lead_quality,
)
from salesmark.scoring.rules import Dimension, Rule, RuleKind

__all__ = [
    "AttributeProfile",
    "Calibration",
    "Contribution",
    "Decay",
    "DecayKind",
    "Dimension",
    "EngagementBands",
    "FeedbackCoverage",
    "GradeScale",
    "GradeThreshold",
    "GroupConversion",
    "GroupQuality",
    "LeadQualityReport",
    "LeadScore",
    "LeadScores",
    "PersonaMatch",
    "PersonaSuggestion",
    "Qualification",
    "Rule",
    "RuleKind",
    "RuleWeight",
    "ScoringModel",
    "WeightSuggestion",
    "calibrate",
    "feedback_coverage",
    "hit_matrix",
    "lead_quality",
    "match_persona",
    "roc_auc",
    "suggest_personas",
    "suggest_weights",
]
