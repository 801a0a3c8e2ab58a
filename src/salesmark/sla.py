"""The service-level agreement between marketing and sales.

Marketing commits to a volume of MQLs per period and to a minimum share of them that
sales accepts; sales commits to following up fast, trying enough times, and giving
feedback on every lead in time.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError

__all__ = ["ServiceLevelAgreement"]


def _min_attempts(_i: object, _a: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"ServiceLevelAgreement.min_attempts must be a whole number >= 1, got {value!r}"
        raise ValidationError(msg)


@attrs.frozen(kw_only=True)
class ServiceLevelAgreement:
    """What each team promises the other.

    Defaults follow the published demand-waterfall guidance: sales accepts at least 90%
    of MQLs and follows up within 24 hours.

    Attributes:
        id: Unique identifier.
        mql_volume: MQLs marketing delivers per period.
        period_length: The length of one commitment period, e.g. ``"month"`` or ``"quarter"``.
        min_acceptance_rate: The share of MQLs sales should accept (0-1).
        first_follow_up_within: Sales' deadline for the first follow-up after an MQL.
        min_attempts: Contact attempts sales makes before giving up on a lead.
        feedback_within: Sales' deadline for giving feedback on a lead.
        business_hours: Whether deadlines count business hours only (evaluated with a
            working-week calendar) rather than elapsed time.

    Example:
        >>> sla = ServiceLevelAgreement(id="sla-2026", mql_volume=400)
        >>> sla.min_acceptance_rate, sla.first_follow_up_within
        (Decimal('0.9'), datetime.timedelta(days=1))
    """

    id: str = attrs.field(validator=v.non_empty_text)
    mql_volume: int = attrs.field(validator=v.non_negative_int)
    period_length: str = attrs.field(default="month")
    min_acceptance_rate: Decimal = attrs.field(
        default=Decimal("0.9"), converter=v.to_decimal, validator=v.fraction
    )
    first_follow_up_within: timedelta = attrs.field(
        default=timedelta(hours=24), validator=v.positive_duration
    )
    min_attempts: int = attrs.field(default=3, validator=_min_attempts)
    feedback_within: timedelta = attrs.field(
        default=timedelta(days=5), validator=v.positive_duration
    )
    business_hours: bool = False

    def __attrs_post_init__(self) -> None:
        if self.period_length not in ("week", "month", "quarter", "year"):
            msg = (
                "ServiceLevelAgreement.period_length must be 'week', 'month', 'quarter' or "
                f"'year', got {self.period_length!r}"
            )
            raise ValidationError(msg)
