"""KPI definitions and the assumptions the data cannot give (private; import from :mod:`salesmark.metrics`).

:func:`default_catalogue` lists one :class:`~salesmark.kpis.KpiDefinition` per KPI, with
its formula in words; :class:`KpiAssumptions` holds the inputs the leads cannot give
(a revenue target, gross margin, churn, sales cost).
"""

from __future__ import annotations

import enum
from decimal import Decimal
from itertools import pairwise
from typing import Any, Final

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError
from salesmark.kpis import Direction, KpiDefinition, KpiUnit
from salesmark.lifecycle import DEMAND_WATERFALL, Lifecycle
from salesmark.money import Money
from salesmark.sourcing import SourcedBy
from salesmark.teams import Team

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "DEFAULT_CATALOGUE",
    "DEFINITIONS",
    "KpiAssumptions",
    "LtvMethod",
    "default_catalogue",
    "rate_key",
]


class LtvMethod(str, enum.Enum):
    """How to compute lifetime value.

    ``COHORT`` (the default): the discounted historical cohort sum, from the data alone.
    ``SIMPLE``: revenue per account * gross margin / churn rate; it needs a churn rate
    and breaks down as churn nears zero (the implied lifetime ``1 / churn`` explodes).
    """

    COHORT = "cohort"
    SIMPLE = "simple"


def _optional_money(_i: object, a: attrs.Attribute[Any], value: Money | None) -> None:
    if value is not None and not isinstance(value, Money):
        msg = f"KpiAssumptions.{a.name} must be Money or None, got {value!r}"
        raise ValidationError(msg)
    if value is not None and value.amount < 0:
        msg = f"KpiAssumptions.{a.name} must not be negative, got {value!r}"
        raise ValidationError(msg)


def _optional_fraction(value: Decimal | int | str | None) -> Decimal | None:
    if value is None:
        return None
    result = v.to_decimal(value)
    if not 0 <= result <= 1:
        msg = f"KpiAssumptions.churn_rate must be from 0 to 1, got {value!r}"
        raise ValidationError(msg)
    return result


def _non_negative(_i: object, a: attrs.Attribute[Any], value: Decimal) -> None:
    if not value.is_finite() or value < 0:
        msg = f"KpiAssumptions.{a.name} must be a Decimal >= 0, got {value!r}"
        raise ValidationError(msg)


def _positive_int(_i: object, a: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"KpiAssumptions.{a.name} must be a whole number >= 1, got {value!r}"
        raise ValidationError(msg)


@attrs.frozen(kw_only=True)
class KpiAssumptions:
    """The inputs of the KPI formulas that the organisation's data cannot give.

    Attributes:
        revenue_target: The revenue goal for the period (pipeline coverage needs it);
            not negative.
        sales_cost: Sales' cost of acquiring customers in the period, added to marketing
            spend in CAC; ``None`` counts marketing spend only; not negative.
        gross_margin: Gross margin as a fraction (default 1: revenue counts in full).
        churn_rate: Share of customers lost per period of the same length (simple LTV).
        discount_rate: Discount rate per period of the same length (cohort LTV), default 0.02.
        ltv_method: Cohort (default) or simple lifetime value.
        contract_months: Months a won deal's revenue covers (CAC payback), default 12.
        sourced_by: The definition of marketing-sourced (default: first touch).

    Raises:
        ValidationError: If a field is out of range, e.g. a negative revenue target.

    Example:
        >>> KpiAssumptions(churn_rate="0.05").churn_rate
        Decimal('0.05')
        >>> KpiAssumptions(revenue_target=Money.of(-5, "EUR"))
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: KpiAssumptions.revenue_target must not be negative, got Money('-5 EUR')
    """

    revenue_target: Money | None = attrs.field(default=None, validator=_optional_money)
    sales_cost: Money | None = attrs.field(default=None, validator=_optional_money)
    gross_margin: Decimal = attrs.field(
        default=Decimal(1), converter=v.to_decimal, validator=v.fraction
    )
    churn_rate: Decimal | None = attrs.field(default=None, converter=_optional_fraction)
    discount_rate: Decimal = attrs.field(
        default=Decimal("0.02"), converter=v.to_decimal, validator=_non_negative
    )
    ltv_method: LtvMethod = attrs.field(default=LtvMethod.COHORT, validator=v.member_of(LtvMethod))
    contract_months: int = attrs.field(default=12, validator=_positive_int)
    sourced_by: SourcedBy = attrs.field(
        default=SourcedBy.FIRST_TOUCH, validator=v.member_of(SourcedBy)
    )


DEFAULT_ASSUMPTIONS: Final = KpiAssumptions()


# -- definitions --------------------------------------------------------------------------

_M, _S = Team.MARKETING, Team.SALES
_HI, _LO = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER


def _definition(  # noqa: PLR0917 (a compact table of definitions reads best positionally)
    key: str, name: str, unit: KpiUnit, direction: Direction, owners: tuple[Team, ...], formula: str
) -> KpiDefinition:
    return KpiDefinition(
        key=key, name=name, unit=unit, direction=direction, owners=owners, formula=formula
    )


DEFINITIONS: Final[dict[str, KpiDefinition]] = {
    d.key: d
    for d in (
        _definition("new_leads", "New leads", KpiUnit.COUNT, _HI, (_M,), "leads created in the period"),
        _definition("mqls", "MQLs", KpiUnit.COUNT, _HI, (_M, _S), "entries into MQL in the period"),
        _definition("revenue", "Revenue won", KpiUnit.MONEY, _HI, (_M, _S), "sum of the values of deals won in the period"),
        _definition("cost_per_lead", "Cost per lead", KpiUnit.MONEY, _LO, (_M,), "marketing spend / new leads"),
        _definition("cost_per_acquisition", "Cost per acquisition", KpiUnit.MONEY, _LO, (_M, _S), "marketing spend / deals won"),
        _definition("customer_acquisition_cost", "Customer acquisition cost (CAC)", KpiUnit.MONEY, _LO, (_M, _S), "(marketing spend + sales cost) / new customers"),
        _definition("mql_to_sql_rate", "MQL to SQL rate", KpiUnit.RATIO, _HI, (_M, _S), "cohort leads reaching SQL / cohort leads reaching MQL"),
        _definition("win_rate", "Win rate", KpiUnit.RATIO, _HI, (_S,), "deals won / (deals won + opportunities lost), closed in the period"),
        _definition("average_deal_size", "Average deal size", KpiUnit.MONEY, _HI, (_S,), "revenue won / deals won with a value"),
        _definition("sales_cycle_length", "Sales cycle length", KpiUnit.DURATION, _LO, (_S,), "mean hours from opportunity to won, deals won in the period"),
        _definition("pipeline_coverage", "Pipeline coverage", KpiUnit.RATIO, _HI, (_S,), "open pipeline at period end / revenue target (required: 1 / win rate)"),
        _definition("pipeline_velocity", "Pipeline velocity", KpiUnit.MONEY, _HI, (_S,), "open opportunities * average deal size * win rate / sales cycle days (money per day)"),
        _definition("lead_velocity_rate", "Lead velocity rate", KpiUnit.RATIO, _HI, (_M,), "(MQLs this period - MQLs previous period) / MQLs previous period"),
        _definition("customer_lifetime_value", "Customer lifetime value", KpiUnit.MONEY, _HI, (_M, _S), "cohort: sum over t of margin * revenue_t / (1 + d)^t / new customers; simple: revenue per account * margin / churn"),
        _definition("ltv_to_cac", "LTV to CAC", KpiUnit.RATIO, _HI, (_M, _S), "customer lifetime value / customer acquisition cost"),
        _definition("cac_payback_months", "CAC payback", KpiUnit.MONTHS, _LO, (_M, _S), "CAC / (revenue per account / contract months * gross margin)"),
        _definition("return_on_marketing_investment", "Return on marketing investment", KpiUnit.RATIO, _HI, (_M,), "(marketing-sourced revenue * gross margin - marketing spend) / marketing spend"),
        _definition("speed_to_lead", "Speed to lead", KpiUnit.DURATION, _LO, (_S,), "median hours from MQL to first sales touch, MQLs of the period"),
        _definition("engagement_rate", "Engagement rate", KpiUnit.RATIO, _HI, (_M,), "new leads with an engagement touch after capture / new leads"),
        _definition("marketing_sourced_pipeline", "Marketing-sourced pipeline", KpiUnit.MONEY, _HI, (_M,), "value of opportunities opened in the period from marketing-sourced leads"),
        _definition("marketing_influenced_pipeline", "Marketing-influenced pipeline", KpiUnit.MONEY, _HI, (_M,), "value of opportunities opened in the period with a marketing touch before opening"),
        _definition("marketing_sourced_revenue", "Marketing-sourced revenue", KpiUnit.MONEY, _HI, (_M,), "value of deals won in the period from marketing-sourced leads"),
        _definition("marketing_influenced_revenue", "Marketing-influenced revenue", KpiUnit.MONEY, _HI, (_M,), "value of deals won in the period with a marketing touch before the win"),
    )
}  # fmt: skip


def rate_key(source: str, target: str) -> str:
    return f"{source}_to_{target}_rate"


def default_catalogue(lifecycle: Lifecycle = DEMAND_WATERFALL) -> tuple[KpiDefinition, ...]:
    """The default KPI definitions, with one conversion rate per step of ``lifecycle``.

    Example:
        >>> [d.key for d in default_catalogue()][:3]
        ['new_leads', 'mqls', 'revenue']
        >>> [d.key for d in default_catalogue() if d.key.endswith("_rate")][:2]
        ['mql_to_sql_rate', 'win_rate']
    """
    stages = lifecycle.progression
    rates = tuple(
        _definition(
            rate_key(a, b),
            f"{a.upper()} to {b.upper()} rate",
            KpiUnit.RATIO,
            _HI,
            (_M, _S),
            f"cohort leads reaching {b} / cohort leads reaching {a}",
        )
        for a, b in pairwise(stages)
    )
    return tuple(DEFINITIONS.values()) + rates


DEFAULT_CATALOGUE: Final[tuple[KpiDefinition, ...]] = default_catalogue()
"""The default catalogue for the demand waterfall."""
