"""Company-level KPIs: one catalogue both teams compute from, and scorecards against targets.

:class:`KpiFacts` gathers what the KPI formulas need from an organisation for a period;
each :class:`Kpi` of the :class:`Catalogue` holds its definition and its formula
(:func:`default_catalogue` is salesmark's, for a lifecycle), and computes from those
facts a value or an explicit "not computable" with the reason;
:func:`evaluate_catalogue` computes them all; :func:`evaluate_targets` and
:func:`scorecard_report` judge the values against the organisation's targets.
Every value is exact until it is shown (``KpiValue.exact`` beside the rounded
``KpiValue.value``), lists the leads behind its counts (``KpiValue.leads``), and
follows the conventions chosen in :class:`KpiAssumptions`; :func:`romi_by_campaign`
gives the return on marketing investment per campaign.

Example:
    >>> from salesmark import Organisation, Period, metrics
    >>> org = Organisation(name="A", currency="EUR")
    >>> facts = metrics.KpiFacts.collect(org, Period.quarter(2026, 1))
    >>> metrics.default_catalogue(org.lifecycle)["new_leads"].compute(facts)
    KpiValue(new_leads=0)
    >>> metrics.evaluate_catalogue(org, Period.quarter(2026, 1), facts=facts)["mqls"]
    KpiValue(mqls=0)
"""

from __future__ import annotations

from salesmark.metrics._assumptions import (
    Aggregate,
    AttributionModel,
    CycleStart,
    KpiAssumptions,
    LeadBase,
    LtvMethod,
    StageCount,
)
from salesmark.metrics._demand import conversion_rate
from salesmark.metrics._kpi import Computed, Kpi, KpiFormula, NotComputable
from salesmark.metrics._romi import romi_by_campaign
from salesmark.metrics.catalogue import (
    Catalogue,
    KpiReport,
    default_catalogue,
    evaluate_catalogue,
)
from salesmark.metrics.facts import KpiFacts
from salesmark.metrics.scorecards import (
    ScorecardReport,
    ScorecardRow,
    TargetEvaluation,
    Trend,
    evaluate_targets,
    scorecard_report,
)

__all__ = [
    "Aggregate",
    "AttributionModel",
    "Catalogue",
    "Computed",
    "CycleStart",
    "Kpi",
    "KpiAssumptions",
    "KpiFacts",
    "KpiFormula",
    "KpiReport",
    "LeadBase",
    "LtvMethod",
    "NotComputable",
    "ScorecardReport",
    "ScorecardRow",
    "StageCount",
    "TargetEvaluation",
    "Trend",
    "conversion_rate",
    "default_catalogue",
    "evaluate_catalogue",
    "evaluate_targets",
    "romi_by_campaign",
    "scorecard_report",
]
