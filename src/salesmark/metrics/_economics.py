"""The unit-economics KPIs: cost per lead and acquisition, CAC, LTV, payback, ROMI (private).

Each KPI is defined once, its definition and formula together; the catalogue
(:func:`~salesmark.metrics.default_catalogue`) lists them. A KPI built from other KPIs
(LTV to CAC, CAC payback) uses their values as the catalogue reports them. Import from
:mod:`salesmark.metrics`.
"""

from __future__ import annotations

from decimal import Decimal

from salesmark.kpis import Direction, KpiUnit
from salesmark.metrics._assumptions import KpiAssumptions, LtvMethod
from salesmark.metrics._kpi import BOTH, MARKETING, Computed, NotComputable, Outcome, define
from salesmark.metrics._sales import same_currency
from salesmark.metrics.facts import KpiFacts

__all__ = [
    "cac_payback_months",
    "cost_per_acquisition",
    "cost_per_lead",
    "customer_acquisition_cost",
    "customer_lifetime_value",
    "ltv_to_cac",
    "return_on_marketing_investment",
]

_HIGHER, _LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER


@define(
    key="cost_per_lead",
    name="Cost per lead",
    unit=KpiUnit.MONEY,
    direction=_LOWER,
    owners=MARKETING,
    formula="marketing spend / new leads",
)
def cost_per_lead(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Marketing spend / new leads.

    Marketing spend is the campaign budgets prorated to the period
    (:func:`~salesmark.campaigns.prorated_budget`); new leads are those created in it.
    """
    spend = f.marketing_spend.amount
    if f.new_leads == 0:
        return NotComputable(reason="no lead was created in the period", context={"spend": spend})
    return Computed(
        value=spend / f.new_leads, context={"spend": spend, "new_leads": Decimal(f.new_leads)}
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
    spend = f.marketing_spend.amount
    if f.won_deals == 0:
        return NotComputable(reason="no deal was won in the period", context={"spend": spend})
    return Computed(
        value=spend / f.won_deals, context={"spend": spend, "deals_won": Decimal(f.won_deals)}
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
    sales = Decimal(0) if a.sales_cost is None else a.sales_cost.amount
    context: dict[str, Decimal | None] = {
        "marketing_spend": f.marketing_spend.amount,
        "sales_cost": None if a.sales_cost is None else sales,
        "new_customers": Decimal(f.new_customers),
    }
    if f.new_customers == 0:
        return NotComputable(reason="no new customer in the period", context=context)
    return Computed(value=(f.marketing_spend.amount + sales) / f.new_customers, context=context)


def _revenue_per_account(f: KpiFacts) -> Decimal | None:
    if f.won_accounts == 0 or f.won_with_value == 0:
        return None
    return f.revenue.amount / f.won_accounts


@define(
    key="customer_lifetime_value",
    name="Customer lifetime value",
    unit=KpiUnit.MONEY,
    direction=_HIGHER,
    owners=BOTH,
    formula=(
        "cohort: sum over t of margin * revenue_t / (1 + d)^t / new customers; "
        "simple: revenue per account * margin / churn"
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
    """
    margin = a.gross_margin
    if a.ltv_method is LtvMethod.COHORT:
        context: dict[str, Decimal | None] = {
            "new_customers": Decimal(f.new_customers),
            "gross_margin": margin,
            "discount_rate": a.discount_rate,
        }
        if f.new_customers == 0:
            return NotComputable(reason="no new customer in the period", context=context)
        base = Decimal(1) + a.discount_rate
        total = sum((margin * money.amount / base**t for t, money in f.cohort_revenue), Decimal(0))
        return Computed(value=total / f.new_customers, context=context)
    per_account = _revenue_per_account(f)
    context = {
        "revenue_per_account": per_account,
        "gross_margin": margin,
        "churn_rate": a.churn_rate,
    }
    if per_account is None:
        reason = "no deal with a value was won in the period"
        return NotComputable(reason=reason, context=context)
    if a.churn_rate is None:
        reason = "no churn rate given (KpiAssumptions.churn_rate)"
        return NotComputable(reason=reason, context=context)
    if a.churn_rate == 0:
        reason = (
            "churn rate is 0: the simple formula diverges (lifetime 1 / churn is unbounded); "
            "use LtvMethod.COHORT"
        )
        return NotComputable(reason=reason, context=context)
    return Computed(value=per_account * margin / a.churn_rate, context=context)


@define(
    key="ltv_to_cac",
    name="LTV to CAC",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=BOTH,
    formula="customer lifetime value / customer acquisition cost",
)
def ltv_to_cac(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """Customer lifetime value / customer acquisition cost, both as reported.

    Not computable when either is, or when CAC is 0.
    """
    ltv = customer_lifetime_value.compute(f, a)
    cac = customer_acquisition_cost.compute(f, a)
    context = {"ltv": ltv.value, "cac": cac.value}
    if ltv.value is None:
        return NotComputable(reason=f"LTV: {ltv.reason}", context=context)
    if cac.value is None:
        return NotComputable(reason=f"CAC: {cac.reason}", context=context)
    if cac.value == 0:
        return NotComputable(reason="CAC is 0 (no acquisition cost recorded)", context=context)
    return Computed(value=ltv.value / cac.value, context=context)


@define(
    key="cac_payback_months",
    name="CAC payback",
    unit=KpiUnit.MONTHS,
    direction=_LOWER,
    owners=BOTH,
    formula="CAC / (revenue per account / contract months * gross margin)",
)
def cac_payback_months(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """CAC (as reported) / (revenue per account / contract months * gross margin).

    Revenue per account is the period's revenue won / accounts that won; a deal's revenue
    is spread over ``KpiAssumptions.contract_months`` (default 12).
    """
    cac = customer_acquisition_cost.compute(f, a)
    per_account = _revenue_per_account(f)
    context = {
        "cac": cac.value,
        "revenue_per_account": per_account,
        "contract_months": Decimal(a.contract_months),
        "gross_margin": a.gross_margin,
    }
    if cac.value is None:
        return NotComputable(reason=f"CAC: {cac.reason}", context=context)
    if per_account is None or per_account == 0:
        reason = "no deal with a value was won in the period"
        return NotComputable(reason=reason, context=context)
    if a.gross_margin == 0:
        return NotComputable(reason="the gross margin is 0", context=context)
    monthly = per_account / a.contract_months * a.gross_margin
    return Computed(value=cac.value / monthly, context=context)


@define(
    key="return_on_marketing_investment",
    name="Return on marketing investment",
    unit=KpiUnit.RATIO,
    direction=_HIGHER,
    owners=MARKETING,
    formula="(marketing-sourced revenue * gross margin - marketing spend) / marketing spend",
)
def return_on_marketing_investment(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """(Marketing-sourced revenue * gross margin - marketing spend) / marketing spend.

    Marketing-sourced follows ``KpiAssumptions.sourced_by``.
    """
    sourced = f.sourced_revenue[a.sourced_by].amount
    spend = f.marketing_spend.amount
    context = {"sourced_revenue": sourced, "spend": spend, "gross_margin": a.gross_margin}
    if spend == 0:
        return NotComputable(reason="no marketing spend in the period", context=context)
    return Computed(value=(sourced * a.gross_margin - spend) / spend, context=context)
