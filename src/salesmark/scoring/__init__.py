"""Lead scoring and qualification: explainable scores, persona matching, feedback, calibration.

A :class:`ScoringModel` of declarative rules (a :data:`ScoringRule` is one of the fit
rules :class:`AttributeEquals`, :class:`AttributeOneOf`, :class:`AttributeInRange`,
:class:`AttributePresent` or the engagement rules :class:`EachTouch`,
:class:`RecentTouch`, :class:`NoRecentTouch`) scores leads on fit and engagement (with
decay) into a :class:`LeadScore` that says which rules fired;
:func:`match_persona` and :func:`suggest_personas` tie leads to buyer personas;
:func:`lead_quality` (mergeable as :func:`lead_quality_counts`) and
:func:`feedback_coverage` close the loop with sales' feedback;
:func:`calibrate` and :func:`suggest_weights` calibrate a model against real outcomes.
"""

from __future__ import annotations

from salesmark.scoring.calibration import (
    Calibration,
    GroupConversion,
    calibrate,
    hit_matrix,
    roc_auc,
)
from salesmark.scoring.contributions import Contribution, Dimension
from salesmark.scoring.coverage import FeedbackCoverage, feedback_coverage
from salesmark.scoring.decay import Decay, DecayKind
from salesmark.scoring.engagement import (
    EachTouch,
    EngagementRule,
    NoRecentTouch,
    RecentTouch,
)
from salesmark.scoring.fit import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    FitRule,
)
from salesmark.scoring.grades import EngagementBands, GradeScale, GradeThreshold, Qualification
from salesmark.scoring.matching import PersonaMatch, match_persona
from salesmark.scoring.model import ScoringModel
from salesmark.scoring.persona_suggestions import (
    AttributeLift,
    PersonaSuggestion,
    PersonaSuggestions,
    suggest_personas,
)
from salesmark.scoring.quality import (
    GroupCounts,
    GroupQuality,
    LeadQualityCounts,
    LeadQualityReport,
    lead_quality,
    lead_quality_counts,
)
from salesmark.scoring.rules import RULE_KINDS, ScoringRule
from salesmark.scoring.scores import LeadScore, LeadScores
from salesmark.scoring.weights import RuleWeight, WeightSuggestion, suggest_weights

__all__ = [
    "RULE_KINDS",
    "AttributeEquals",
    "AttributeInRange",
    "AttributeLift",
    "AttributeOneOf",
    "AttributePresent",
    "Calibration",
    "Contribution",
    "Decay",
    "DecayKind",
    "Dimension",
    "EachTouch",
    "EngagementBands",
    "EngagementRule",
    "FeedbackCoverage",
    "FitRule",
    "GradeScale",
    "GradeThreshold",
    "GroupConversion",
    "GroupCounts",
    "GroupQuality",
    "LeadQualityCounts",
    "LeadQualityReport",
    "LeadScore",
    "LeadScores",
    "NoRecentTouch",
    "PersonaMatch",
    "PersonaSuggestion",
    "PersonaSuggestions",
    "Qualification",
    "RecentTouch",
    "RuleWeight",
    "ScoringModel",
    "ScoringRule",
    "WeightSuggestion",
    "calibrate",
    "feedback_coverage",
    "hit_matrix",
    "lead_quality",
    "lead_quality_counts",
    "match_persona",
    "roc_auc",
    "suggest_personas",
    "suggest_weights",
]
