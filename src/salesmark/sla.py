"""The service-level agreement between marketing and sales: what each team promises.

Marketing commits to a volume of MQLs per period and to a minimum share of them that
sales accepts; sales commits to following up fast, trying enough times, and giving
feedback on every lead in time. :func:`salesmark.compliance.sla_compliance` measures
both sides over a period.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import attrs
from dateutil.relativedelta import relativedelta

from salesmark import _validators as v
from salesmark._time import elapsed
from salesmark.errors import ValidationError, WrongType
from salesmark.period import Period

__all__ = ["Clock", "ServiceLevelAgreement"]


class Clock(str, enum.Enum):
    """How a commitment's deadline is counted.

    ``WALL``: elapsed time, nights and weekends included (24 hours from Friday 18:00 is
    Saturday 18:00). ``BUSINESS``: working time of a
    :class:`~salesmark.calendars.WorkingCalendar` only (with a 9:00-17:00 working day,
    24 hours are three working days). Many SLAs count the follow-up in business hours
    and feedback on the wall clock, so each commitment has its own clock.
    """

    WALL = "wall"
    BUSINESS = "business"


_US = timedelta(microseconds=1)
_STEPS = {
    "week": relativedelta(weeks=1),
    "month": relativedelta(months=1),
    "quarter": relativedelta(months=3),
    "year": relativedelta(years=1),
}


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
        follow_up_clock: How the follow-up deadline is counted: on the wall clock
            (default) or in business hours (:class:`Clock`). In business hours the
            duration is working time: with the default 9:00-17:00 working day,
            ``first_follow_up_within=timedelta(hours=24)`` means three 8-hour working
            days, not one calendar day.
        feedback_clock: How the feedback deadline is counted (wall clock by default).

    Example:
        >>> sla = ServiceLevelAgreement(id="sla-2026", mql_volume=400)
        >>> sla.min_acceptance_rate, sla.first_follow_up_within
        (Decimal('0.9'), datetime.timedelta(days=1))

        In business hours, 24 hours from Monday 9:00 run out on Wednesday at 17:00:

        >>> from datetime import datetime, timezone
        >>> from salesmark import WorkingCalendar
        >>> office = ServiceLevelAgreement(id="sla-2026", mql_volume=400, follow_up_clock=Clock.BUSINESS)
        >>> monday = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> deadline = WorkingCalendar.standard("UTC").add_working_time(monday, office.first_follow_up_within)
        >>> deadline.strftime("%A %H:%M")
        'Wednesday 17:00'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    mql_volume: int = attrs.field(validator=v.non_negative_int)
    period_length: str = attrs.field(default="month")
    min_acceptance_rate: Decimal = attrs.field(
        default=Decimal("0.9"), converter=v.decimal_field, validator=v.fraction
    )
    first_follow_up_within: timedelta = attrs.field(
        default=timedelta(hours=24), validator=v.positive_duration
    )
    min_attempts: int = attrs.field(default=3, validator=v.whole(minimum=1))
    feedback_within: timedelta = attrs.field(
        default=timedelta(days=5), validator=v.positive_duration
    )
    follow_up_clock: Clock = attrs.field(default=Clock.WALL, validator=v.member_of(Clock))
    feedback_clock: Clock = attrs.field(default=Clock.WALL, validator=v.member_of(Clock))

    def __attrs_post_init__(self) -> None:
        if self.period_length not in ("week", "month", "quarter", "year"):
            msg = (
                "ServiceLevelAgreement.period_length must be 'week', 'month', 'quarter' or "
                f"'year', got {v.shown(self.period_length)}"
            )
            kind = ValidationError if isinstance(self.period_length, str) else WrongType
            raise kind(
                msg,
                path="/period_length",
                value=self.period_length,
                expected="'week', 'month', 'quarter' or 'year'",
            )

    @property
    def uses_business_hours(self) -> bool:
        """Whether any commitment counts working time (and so needs a calendar).

        Example:
            >>> ServiceLevelAgreement(id="s", mql_volume=1).uses_business_hours
            False
        """
        return Clock.BUSINESS in (self.follow_up_clock, self.feedback_clock)

    def owed(self, period: Period) -> Fraction:
        """The MQLs marketing owes over ``period``, exactly (see :meth:`committed_volume`).

        Example:
            >>> ServiceLevelAgreement(id="s", mql_volume=100).owed(Period.iso_week(2026, 10))
            Fraction(700, 31)
        """
        v.require(period, Period, "ServiceLevelAgreement.owed period")
        step = _STEPS[self.period_length]
        units = Fraction(0)
        for part in period.split(step):
            full = elapsed(part.start, part.start + step)
            units += Fraction(part.duration // _US, full // _US)
        return units * self.mql_volume

    def committed_volume(self, period: Period) -> Decimal:
        """The MQLs marketing owes over ``period``, for display: :meth:`owed` to 2 places.

        ``mql_volume`` is owed per commitment period: whole commitment periods count
        fully; a trailing part counts pro rata by its real length against a full
        commitment period's (so March in Berlin, 743 hours, owes a whole month).

        Example:
            >>> from datetime import datetime, timezone
            >>> sla = ServiceLevelAgreement(id="s", mql_volume=100)
            >>> sla.committed_volume(Period.quarter(2026, 1))
            Decimal('300')
            >>> sla.committed_volume(Period.between(datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 11, 12, tzinfo=timezone.utc)))
            Decimal('33.87')
        """
        owed = self.owed(period)
        if owed.denominator == 1:
            return Decimal(owed.numerator)
        return (Decimal(owed.numerator) / Decimal(owed.denominator)).quantize(Decimal("0.01"))
