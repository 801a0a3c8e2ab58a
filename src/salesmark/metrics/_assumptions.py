"""The inputs of the KPI formulas that the data cannot give, and every convention (private).

:class:`KpiAssumptions` holds a revenue target (the period's quota), gross margin,
churn, sales cost, and every convention a formula depends on: where a sales cycle
starts and how it is aggregated, the LTV method, the attribution model behind ROMI, the
clock of speed to lead, which leads cost per lead counts, how MQL to SQL counts, and
which definition of marketing-sourced applies with which channel classes. It is the one
place a convention is chosen; ``docs/funnel-and-kpis.md`` lists who uses which.
Import from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from salesmark import _validators as v
from salesmark.attribution import MODELS, AttributionResult
from salesmark.calendars import WorkingCalendar
from salesmark.errors import ValidationError, WrongType
from salesmark.money import Money
from salesmark.sla import Clock
from salesmark.sourcing import DEFAULT_OTHER_CHANNELS, DEFAULT_SALES_CHANNELS, SourcedBy

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "Aggregate",
    "AttributionModel",
    "CycleStart",
    "KpiAssumptions",
    "LeadBase",
    "LtvMethod",
    "StageCount",
]


class LtvMethod(str, enum.Enum):
    """How to compute lifetime value.

    ``COHORT`` (the default): the discounted historical cohort sum, from the data alone.
    ``SIMPLE``: revenue per account * gross margin / churn rate, with the churn per
    period of the same length; it breaks down as churn nears zero (the implied
    lifetime ``1 / churn`` explodes).
    ``MONTHLY``: monthly revenue per account * gross margin / monthly churn, where the
    monthly revenue is the period's revenue per account over the period's length in
    months (any real number: a quarter is 3, six weeks about 1.4; never rounded to
    whole months).

    Example:
        >>> LtvMethod("simple"), LtvMethod("monthly")
        (<LtvMethod.SIMPLE: 'simple'>, <LtvMethod.MONTHLY: 'monthly'>)
    """

    COHORT = "cohort"
    SIMPLE = "simple"
    MONTHLY = "monthly"


class CycleStart(str, enum.Enum):
    """Where a sales cycle starts; it ends at the win.

    ``OPPORTUNITY`` (the default; Salesforce's opportunity age, HubSpot's deal "time to
    close"): when the lead last entered the opportunity stage before the win (a deal
    that skipped it counts from the lead's creation).
    ``LEAD_CREATED`` (HubSpot's contact "days to close", the demand waterfall's
    inquiry-to-close velocity): when the lead was created.

    Example:
        >>> CycleStart("lead_created")
        <CycleStart.LEAD_CREATED: 'lead_created'>
    """

    OPPORTUNITY = "opportunity"
    LEAD_CREATED = "lead_created"


class Aggregate(str, enum.Enum):
    """How many durations become one: their mean or their median.

    Example:
        >>> Aggregate("median")
        <Aggregate.MEDIAN: 'median'>
    """

    MEAN = "mean"
    MEDIAN = "median"


class LeadBase(str, enum.Enum):
    """Which new leads cost per lead divides by.

    ``ALL`` (the default): every lead created in the period.
    ``MARKETING_SOURCED``: those marketing sourced, by ``KpiAssumptions.sourced_by``
    (marketing's spend over the leads it brought; ``INFLUENCED`` is judged at the
    lead's creation).

    Example:
        >>> LeadBase("marketing_sourced")
        <LeadBase.MARKETING_SOURCED: 'marketing_sourced'>
    """

    ALL = "all"
    MARKETING_SOURCED = "marketing_sourced"


class StageCount(str, enum.Enum):
    """How a cohort lead counts at a stage of a conversion rate.

    ``REACHED`` (the default, the demand waterfall's and salesmark's funnel): a lead
    counts at every stage of the progression up to the furthest it reached, so a lead
    that skipped SQL on its way to opportunity is an SQL.
    ``ENTERED`` (HubSpot's funnel of records that went "through all stages"): a lead
    counts only at the stages its history entered; MQL to SQL is then the cohort leads
    that entered both over those that entered MQL.

    Example:
        >>> StageCount("entered")
        <StageCount.ENTERED: 'entered'>
    """

    REACHED = "reached"
    ENTERED = "entered"


AttributionModel: TypeAlias = "str | Callable[..., AttributionResult]"
"""An attribution model: a key of :data:`salesmark.attribution.MODELS` or a function of journeys."""

# The toolkit has no "not negative" checks for money and decimals, nor one for a model
# or a set of channel names: these are private.


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


def _model(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, str):
        if value not in MODELS:
            names = ", ".join(MODELS)
            msg = f"{v.where(instance, attribute)} must be one of {names} or a function of journeys, got {value!r}"
            raise ValidationError(msg)
    elif not callable(value):
        msg = f"{v.where(instance, attribute)} must be a model name or a function of journeys, got {value!r}"
        raise WrongType(msg)


def _channels(value: Iterable[str]) -> frozenset[str]:
    names = v.sequence(value, "KpiAssumptions channels", "lead-source channel names")
    if not all(isinstance(name, str) and name for name in names):
        msg = f"KpiAssumptions channels must be non-empty channel names, got {value!r}"
        raise WrongType(msg)
    return frozenset(names)


_OPTIONAL_MONEY: Final = attrs.validators.optional([v.instance_of(Money), _not_negative_money])


@attrs.frozen(kw_only=True)
class KpiAssumptions:
    """The inputs of the KPI formulas that the data cannot give, and the conventions they follow.

    Attributes:
        revenue_target: The period's quota, the revenue goal pipeline coverage divides
            by; not negative. Without one, coverage is not computable.
        sales_cost: Sales' cost of acquiring customers in the period, added to marketing
            spend in CAC; ``None`` counts marketing spend only; not negative.
        gross_margin: Gross margin as a fraction (default 1: revenue counts in full).
        churn_rate: Share of customers lost per period of the same length (simple LTV)
            or per month (monthly LTV).
        discount_rate: Discount rate per period of the same length (cohort LTV), default 0.02.
        ltv_method: Cohort (default), simple or monthly lifetime value (:class:`LtvMethod`).
        contract_months: Months a won deal's revenue covers (CAC payback), default 12.
        sourced_by: The definition of marketing-sourced (default: first touch), for the
            sourced pipeline and revenue and for cost per marketing-sourced lead.
        sales_channels: Lead-source channels that mean sales found the lead (the
            ``LEAD_SOURCE`` definition), default
            :data:`~salesmark.sourcing.DEFAULT_SALES_CHANNELS`.
        other_channels: Lead-source channels that are neither team's (referrals,
            partners), default :data:`~salesmark.sourcing.DEFAULT_OTHER_CHANNELS`.
        cycle_start: Where the sales cycle starts (default: the opportunity).
        cycle_aggregate: The sales cycle KPI's aggregate (default: the mean).
        velocity_cycle_aggregate: The sales cycle pipeline velocity divides by
            (default: the mean, as the velocity formula is usually written).
        romi_model: The attribution model that credits revenue to campaigns for ROMI: a
            key of :data:`salesmark.attribution.MODELS` or a function of journeys; the
            default ``"last_touch"`` gives each deal to its last campaign touch at or
            before the win.
        speed_to_lead_clock: Speed to lead on the wall clock (default) or in business
            hours of ``calendar`` (:class:`~salesmark.sla.Clock`).
        calendar: The working calendar of business-hours speed to lead.
        cost_per_lead_base: Which new leads cost per lead counts (default: all).
        mql_to_sql_count: How MQL to SQL counts its cohort (default: reached).

    Raises:
        ValidationError: If a field is out of range, e.g. a negative revenue target, an
            unknown attribution model, or business hours without a calendar.

    Example:
        >>> KpiAssumptions(churn_rate="0.05").churn_rate
        Decimal('0.05')
        >>> KpiAssumptions(revenue_target=Money.of(-5, "EUR"))
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: KpiAssumptions.revenue_target must not be negative, got Money('-5 EUR')
        >>> KpiAssumptions(speed_to_lead_clock=Clock.BUSINESS)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: KpiAssumptions.calendar is required when speed_to_lead_clock is business (a WorkingCalendar says which hours work)
    """

    revenue_target: Money | None = attrs.field(default=None, validator=_OPTIONAL_MONEY)
    sales_cost: Money | None = attrs.field(default=None, validator=_OPTIONAL_MONEY)
    gross_margin: Decimal = attrs.field(
        default=Decimal(1), converter=v.decimal_field, validator=v.fraction
    )
    churn_rate: Decimal | None = attrs.field(
        default=None,
        converter=v.optional_decimal_field,
        validator=attrs.validators.optional(v.fraction),
    )
    discount_rate: Decimal = attrs.field(
        default=Decimal("0.02"), converter=v.decimal_field, validator=_not_negative_decimal
    )
    ltv_method: LtvMethod = attrs.field(default=LtvMethod.COHORT, validator=v.member_of(LtvMethod))
    contract_months: int = attrs.field(default=12, validator=v.whole(1))
    sourced_by: SourcedBy = attrs.field(
        default=SourcedBy.FIRST_TOUCH, validator=v.member_of(SourcedBy)
    )
    sales_channels: frozenset[str] = attrs.field(
        default=DEFAULT_SALES_CHANNELS, converter=_channels
    )
    other_channels: frozenset[str] = attrs.field(
        default=DEFAULT_OTHER_CHANNELS, converter=_channels
    )
    cycle_start: CycleStart = attrs.field(
        default=CycleStart.OPPORTUNITY, validator=v.member_of(CycleStart)
    )
    cycle_aggregate: Aggregate = attrs.field(
        default=Aggregate.MEAN, validator=v.member_of(Aggregate)
    )
    velocity_cycle_aggregate: Aggregate = attrs.field(
        default=Aggregate.MEAN, validator=v.member_of(Aggregate)
    )
    romi_model: AttributionModel = attrs.field(default="last_touch", validator=_model)
    speed_to_lead_clock: Clock = attrs.field(default=Clock.WALL, validator=v.member_of(Clock))
    calendar: WorkingCalendar | None = attrs.field(
        default=None, validator=v.optional_instance_of(WorkingCalendar)
    )
    cost_per_lead_base: LeadBase = attrs.field(
        default=LeadBase.ALL, validator=v.member_of(LeadBase)
    )
    mql_to_sql_count: StageCount = attrs.field(
        default=StageCount.REACHED, validator=v.member_of(StageCount)
    )

    def __attrs_post_init__(self) -> None:
        if self.speed_to_lead_clock is Clock.BUSINESS and self.calendar is None:
            msg = (
                "KpiAssumptions.calendar is required when speed_to_lead_clock is business "
                "(a WorkingCalendar says which hours work)"
            )
            raise ValidationError(msg)


DEFAULT_ASSUMPTIONS: Final = KpiAssumptions()
"""The assumptions a formula uses when none are given."""
