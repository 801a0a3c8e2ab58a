"""The unit-economics KPIs: cost per lead and acquisition, CAC, LTV and payback (private).

Each KPI is defined once, its definition and formula together; the catalogue
(:func:`~salesmark.metrics.default_catalogue`) lists them. Marketing spend is what the
campaigns cost in the period (:func:`~salesmark.campaigns.campaign_cost`: recorded
spend, the prorated budget only where none is recorded), summed exactly. A KPI built
from other KPIs (LTV to CAC, CAC payback) computes from their exact values, never from
the rounded ones they display. ROMI is in ``_romi``. Import from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

from fractions import Fraction

from salesmark.kpis import Direction, KpiUnit
from salesmark.metrics._assumptions import KpiAssumptions, LeadBase, LtvMethod
from salesmark.metrics._exact import months_in
from salesmark.metrics._kpi import (
    BOTH,
    MARKETING,
    Computed,
    Figure,
    NotComputable,
    Outcome,
    define,
    figure,
)
from salesmark.metrics._sales import same_currency
from salesmark.metrics.facts import KpiFacts
from salesmark.money import minor_unit
from salesmark.sourcing import is_marketing_sourced

__all__ = [
    "cac_payback_months",
    "cost_per_acquisition",
    "cost_per_lead",
    "customer_acquisition_cost",
    "customer_lifetime_value",
    "ltv_to_cac",
    "money_figure",
]

_HIGHER, _LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER


def money_figure(f: KpiFacts, amount: Fraction | None) -> Figure:
    """An exact amount shown in a context: rounded half-even to the facts' currency's minor unit.

    Example:
        >>> from salesmark import Organisation, Period
        >>> facts = KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        >>> money_figure(facts, Fraction(20005, 1000))
        Decimal('20.00')
    """
    return figure(amount, minor_unit(f.currency))


def _marketing_sourced_leads(f: KpiFacts, a: KpiAssumptions) -> tuple[str, ...]:
    return tuple(
        lead.id
        for lead in f.leads_created
        if is_marketing_sourced(
            lead,
            a.sourced_by,
            a.sales_channels,
            other_channels=a.other_channels,
            activities=f.sales_activities,
            at=lead.created_at,
        )
    )


@define(
    key="cost_per_lead",
    name="Cost per lead",
    unit=KpiUnit.MONEY,
    direction=_LOWER,
    owners=MARKETING,
    formula="marketing spend / new leads",
)
def cost_per_lead(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Marketing spend / new leads (all of them, or those marketing sourced).

    Marketing spend is what the campaigns cost in the period, exactly; new leads are
    those created in it, or with ``cost_per_lead_base=LeadBase.MARKETING_SOURCED`` those
    marketing sourced under ``sourced_by`` (``INFLUENCED`` judged at the lead's creation).
    """
    spend = money_figure(f, f.spend)
    if a.cost_per_lead_base is LeadBase.MARKETING_SOURCED:
        ids = _marketing_sourced_leads(f, a)
        name, reason = (
            "marketing_sourced_leads",
            f"no lead marketing sourced ({a.sourced_by.value}) was created in the period",
        )
    else:
        ids = f.leads("new_leads")
        name, reason = "new_leads", "no lead was created in the period"
    if not ids:
        return NotComputable(reason=reason, context={"spend": spend}, leads={name: ids})
    return Computed(
        value=f.spend / len(ids), context={"spend": spend, name: len(ids)}, leads={name: ids}
    )


@define(
    key="cost_per_acquisition",
    name="Cost per acquisition",
    unit=KpiUnit.MONEY,
    direction=_LOWER,
    owners=BOTH,
    formula="marketing spend / deals won",
)
def cost_per_acquisition(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Marketing spend / deals won in the period."""
    spend = money_figure(f, f.spend)
    leads = {"deals_won": f.leads("won_deals")}
    if f.won_deals == 0:
        reason = "no deal was won in the period"
        return NotComputable(reason=reason, context={"spend": spend}, leads=leads)
    return Computed(
        value=f.spend / f.won_deals,
        context={"spend": spend, "deals_won": f.won_deals},
        leads=leads,
    )


@define(
    key="customer_acquisition_cost",
    name="Customer acquisition cost (CAC)",
    unit=KpiUnit.MONEY,
    direction=_LOWER,
    owners=BOTH,
    formula="(marketing spend + sales cost) / new customers",
)
def customer_acquisition_cost(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """(Marketing spend + sales cost) / new customers.

    New customers are accounts (or leads without an account) whose first won deal is in
    the period; sales cost is ``KpiAssumptions.sales_cost`` (0 when not given, which the
    context notes as ``None``).
    """
    same_currency(a.sales_cost, f.currency, "sales_cost")
    sales = Fraction(0) if a.sales_cost is None else Fraction(a.sales_cost.amount)
    context: dict[str, Figure] = {
        "marketing_spend": money_figure(f, f.spend),
        "sales_cost": None if a.sales_cost is None else a.sales_cost.amount,
        "new_customers": f.new_customers,
    }
    leads = {"new_customers": f.leads("new_customers")}
    if f.new_customers == 0:
        return NotComputable(reason="no new customer in the period", context=context, leads=leads)
    return Computed(value=(f.spend + sales) / f.new_customers, context=context, leads=leads)


def _revenue_per_account(f: KpiFacts) -> Fraction | None:
    if f.won_accounts == 0 or f.won_with_value == 0:
        return None
    return Fraction(f.revenue.amount) / f.won_accounts


def _churned_ltv(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Simple and monthly LTV: revenue per account (per month) * margin / churn (per month)."""
    margin = Fraction(a.gross_margin)
    per_account = _revenue_per_account(f)
    leads = {"accounts": f.leads("won_with_value")}
    context: dict[str, Figure]
    if a.ltv_method is LtvMethod.MONTHLY:
        months = months_in(f.period)
        monthly = None if per_account is None else per_account / months
        context = {
            "monthly_revenue_per_account": money_figure(f, monthly),
            "months": figure(months),
            "gross_margin": a.gross_margin,
            "churn_rate": a.churn_rate,
        }
    else:
        monthly = per_account
        context = {
            "revenue_per_account": money_figure(f, per_account),
            "gross_margin": a.gross_margin,
            "churn_rate": a.churn_rate,
        }
    if monthly is None:
        reason = "no deal with a value was won in the period"
        return NotComputable(reason=reason, context=context, leads=leads)
    if a.churn_rate is None:
        reason = "no churn rate given (KpiAssumptions.churn_rate)"
        return NotComputable(reason=reason, context=context, leads=leads)
    if a.churn_rate == 0:
        reason = (
            "churn rate is 0: the simple formula diverges (lifetime 1 / churn is unbounded); "
            "use LtvMethod.COHORT"
        )
        return NotComputable(reason=reason, context=context, leads=leads)
    return Computed(value=monthly * margin / Fraction(a.churn_rate), context=context, leads=leads)


@define(
    key="customer_lifetime_value",
    name="Customer lifetime value",
    unit=KpiUnit.MONEY,
    direction=_HIGHER,
    owners=BOTH,
    formula=(
        "cohort: sum over t of margin * revenue_t / (1 + d)^t / new customers; "
        "simple: revenue per account * margin / churn; "
        "monthly: monthly revenue per account * margin / monthly churn"
    ),
)
def customer_lifetime_value(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Customer lifetime value, by the method in ``KpiAssumptions.ltv_method``.

    Cohort (default): ``sum over t of gross margin * R_t / (1 + d)^t / new customers``,
    where the new customers are the accounts whose first deal was won in the period,
    ``R_t`` the revenue they brought ``t`` periods (of the same length) later, and ``d``
    the discount rate per period. It is historical: recent cohorts have had less time.

    Simple: ``revenue per account * gross margin / churn rate``, with revenue per account
    = revenue won in the period / accounts that won. It breaks down as churn nears zero
    (the implied lifetime ``1 / churn`` grows without bound): churn 0 is not computable.

    Monthly: ``monthly revenue per account * gross margin / monthly churn``, the monthly
    revenue being the revenue per account over the period's length in months, exactly
    (any real number of months, never rounded to whole months).
    """
    if a.ltv_method is not LtvMethod.COHORT:
        return _churned_ltv(f, a)
    margin = Fraction(a.gross_margin)
    context: dict[str, Figure] = {
        "new_customers": f.new_customers,
        "gross_margin": a.gross_margin,
        "discount_rate": a.discount_rate,
    }
    leads = {"new_customers": f.leads("new_customers")}
    if f.new_customers == 0:
        return NotComputable(reason="no new customer in the period", context=context, leads=leads)
    base = 1 + Fraction(a.discount_rate)
    total = sum((margin * Fraction(m.amount) / base**t for t, m in f.cohort_revenue), Fraction(0))
    return Computed(value=total / f.new_customers, context=context, leads=leads)


@define(
    key="ltv_to_cac",
    name="LTV to CAC",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=BOTH,
    formula="customer lifetime value / customer acquisition cost",
)
def ltv_to_cac(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Customer lifetime value / customer acquisition cost, both exact (not as displayed).

    Not computable when either is, or when CAC is 0.
    """
    ltv = customer_lifetime_value.outcome(f, a)
    cac = customer_acquisition_cost.outcome(f, a)
    ltv_value = ltv.value if isinstance(ltv, Computed) else None
    cac_value = cac.value if isinstance(cac, Computed) else None
    context = {"ltv": money_figure(f, ltv_value), "cac": money_figure(f, cac_value)}
    leads = {"new_customers": f.leads("new_customers")}
    if isinstance(ltv, NotComputable):
        return NotComputable(reason=f"LTV: {ltv.reason}", context=context, leads=leads)
    if isinstance(cac, NotComputable):
        return NotComputable(reason=f"CAC: {cac.reason}", context=context, leads=leads)
    if cac.value == 0:
        reason = "CAC is 0 (no acquisition cost recorded)"
        return NotComputable(reason=reason, context=context, leads=leads)
    return Computed(value=ltv.value / cac.value, context=context, leads=leads)


@define(
    key="cac_payback_months",
    name="CAC payback",
    unit=KpiUnit.MONTHS,
    direction=_LOWER,
    owners=BOTH,
    formula="CAC / (revenue per account / contract months * gross margin)",
)
def cac_payback_months(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """CAC (exact) / (revenue per account / contract months * gross margin): months, not rounded to whole ones.

    Revenue per account is the period's revenue won / accounts that won; a deal's revenue
    is spread over ``KpiAssumptions.contract_months`` (default 12).
    """
    cac = customer_acquisition_cost.outcome(f, a)
    per_account = _revenue_per_account(f)
    context: dict[str, Figure] = {
        "cac": money_figure(f, cac.value) if isinstance(cac, Computed) else None,
        "revenue_per_account": money_figure(f, per_account),
        "contract_months": a.contract_months,
        "gross_margin": a.gross_margin,
    }
    leads = {"new_customers": f.leads("new_customers"), "accounts": f.leads("won_with_value")}
    if isinstance(cac, NotComputable):
        return NotComputable(reason=f"CAC: {cac.reason}", context=context, leads=leads)
    if per_account is None or per_account == 0:
        reason = "no deal with a value was won in the period"
        return NotComputable(reason=reason, context=context, leads=leads)
    if a.gross_margin == 0:
        return NotComputable(reason="the gross margin is 0", context=context, leads=leads)
    monthly = per_account / a.contract_months * Fraction(a.gross_margin)
    return Computed(value=cac.value / monthly, context=context, leads=leads)
