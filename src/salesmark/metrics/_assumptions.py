"""The inputs of the KPI formulas that the data cannot give (private; import from :mod:`salesmark.metrics`).

:class:`KpiAssumptions` holds a revenue target, gross margin, churn, sales cost and the
conventions (LTV method, contract months, the definition of marketing-sourced) a formula
needs beyond the organisation's records.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any, Final

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError
from salesmark.money import Money
from salesmark.sourcing import SourcedBy

__all__ = ["DEFAULT_ASSUMPTIONS", "KpiAssumptions", "LtvMethod"]


class LtvMethod(str, enum.Enum):
    """How to compute lifetime value.

    ``COHORT`` (the default): the discounted historical cohort sum, from the data alone.
    ``SIMPLE``: revenue per account * gross margin / churn rate; it needs a churn rate
    and breaks down as churn nears zero (the implied lifetime ``1 / churn`` explodes).

    Example:
        >>> LtvMethod("simple")
        <LtvMethod.SIMPLE: 'simple'>
    """

    COHORT = "cohort"
    SIMPLE = "simple"


# The toolkit has no "not negative" checks for money and decimals: these two are private.


def _not_negative_money(instance: object, attribute: attrs.Attribute[Any], value: Money) -> None:
    if value.amount < 0:
        msg = f"{v.where(instance, attribute)} must not be negative, got {value!r}"
        raise ValidationError(msg)


def _not_negative_decimal(
    instance: object, attribute: attrs.Attribute[Any], value: Decimal
) -> None:
    if not value.is_finite() or value < 0:
        msg = f"{v.where(instance, attribute)} must be a Decimal >= 0, got {value!r}"
        raise ValidationError(msg)


_OPTIONAL_MONEY: Final = attrs.validators.optional([v.instance_of(Money), _not_negative_money])


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

    revenue_target: Money | None = attrs.field(default=None, validator=_OPTIONAL_MONEY)
    sales_cost: Money | None = attrs.field(default=None, validator=_OPTIONAL_MONEY)
    gross_margin: Decimal = attrs.field(
        default=Decimal(1), converter=v.to_decimal, validator=v.fraction
    )
    churn_rate: Decimal | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(v.to_decimal),
        validator=attrs.validators.optional(v.fraction),
    )
    discount_rate: Decimal = attrs.field(
        default=Decimal("0.02"), converter=v.to_decimal, validator=_not_negative_decimal
    )
    ltv_method: LtvMethod = attrs.field(default=LtvMethod.COHORT, validator=v.member_of(LtvMethod))
    contract_months: int = attrs.field(default=12, validator=v.whole(1))
    sourced_by: SourcedBy = attrs.field(
        default=SourcedBy.FIRST_TOUCH, validator=v.member_of(SourcedBy)
    )


DEFAULT_ASSUMPTIONS: Final = KpiAssumptions()
"""The assumptions a formula uses when none are given."""
