"""Company-level KPIs: one catalogue both teams compute from, and scorecards against targets.

:class:`KpiFacts` gathers what the KPI formulas need from an organisation in one pass
over its leads; the catalogue (:func:`default_catalogue`, :func:`evaluate_catalogue`)
computes every shared KPI from those facts, each as a value or an explicit "not
computable" with the reason; :func:`evaluate_targets` and :func:`scorecard_report`
judge the values against the organisation's targets.

Example:
    >>> from salesmark import Organisation, Period, metrics
    >>> report = metrics.evaluate_catalogue(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
    >>> report["new_leads"]
    KpiValue(new_leads=0)
"""

from __future__ import annotations

from salesmark.metrics.catalogue import (
    DEFAULT_CATALOGUE,
    KpiAssumptions,
    KpiFunction,
    KpiReport,
    LtvMethod,
    average_deal_size,
    cac_payback_months,
    conversion_rate,
    cost_per_acquisition,
    cost_per_lead,
    customer_acquisition_cost,
    default_catalogue,
    engagement_rate,
    evaluate_catalogue,
    kpi_function,
    lead_velocity_rate,
    lifetime_value,
    ltv_to_cac,
    marketing_influenced_pipeline,
    marketing_influenced_revenue,
    marketing_sourced_pipeline,
    marketing_sourced_revenue,
    mql_to_sql_rate,
    mqls,
    new_leads,
    pipeline_coverage,
    pipeline_velocity,
    return_on_marketing_investment,
    revenue,
    sales_cycle_length,
    speed_to_lead,
    win_rate,
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
    "DEFAULT_CATALOGUE",
    "KpiAssumptions",
    "KpiFacts",
    "KpiFunction",
    "KpiReport",
    "LtvMethod",
    "ScorecardReport",
    "ScorecardRow",
    "TargetEvaluation",
    "Trend",
    "average_deal_size",
    "cac_payback_months",
    "conversion_rate",
    "cost_per_acquisition",
    "cost_per_lead",
    "customer_acquisition_cost",
    "default_catalogue",
    "engagement_rate",
    "evaluate_catalogue",
    "evaluate_targets",
    "kpi_function",
    "lead_velocity_rate",
    "lifetime_value",
    "ltv_to_cac",
    "marketing_influenced_pipeline",
    "marketing_influenced_revenue",
    "marketing_sourced_pipeline",
    "marketing_sourced_revenue",
    "mql_to_sql_rate",
    "mqls",
    "new_leads",
    "pipeline_coverage",
    "pipeline_velocity",
    "return_on_marketing_investment",
    "revenue",
    "sales_cycle_length",
    "scorecard_report",
    "speed_to_lead",
    "win_rate",
]
