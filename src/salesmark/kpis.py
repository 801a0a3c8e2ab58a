"""Shared KPIs: definitions both teams use, measurements, targets and scorecards.

One catalogue of :class:`KpiDefinition` keeps both teams computing the same number the
same way. A :class:`Target` judges a measurement on track, at risk or off track, and a
team's :class:`Scorecard` holds its three to five headline KPIs, as the articles advise.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError
from salesmark.period import Period
from salesmark.teams import Team

__all__ = [
    "Direction",
    "KpiDefinition",
    "KpiUnit",
    "Measurement",
    "Scorecard",
    "Target",
    "TargetStatus",
]


class KpiUnit(str, enum.Enum):
    """What a KPI's value counts: a count, a ratio (0.25 = 25%), money, or a duration in hours."""

    COUNT = "count"
    RATIO = "ratio"
    MONEY = "money"
    DURATION = "duration"


class Direction(str, enum.Enum):
    """Whether a higher or a lower value is better."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class TargetStatus(str, enum.Enum):
    """How a measurement compares to its target."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


def _key(_i: object, _a: object, value: str) -> None:
    if not isinstance(value, str) or not value or not value.replace("_", "").isalnum():
        msg = f"a KPI key must be a non-empty snake_case identifier, got {value!r}"
        raise ValidationError(msg)


def _teams(value: Iterable[Team]) -> tuple[Team, ...]:
    teams = v.to_tuple(value)
    for team in teams:
        if not isinstance(team, Team):
            msg = f"KpiDefinition.owners must hold Team members, got {team!r}"
            raise ValidationError(msg)
    return tuple(sorted(set(teams), key=lambda t: t.value))


@attrs.frozen(kw_only=True)
class KpiDefinition:
    """One KPI as both teams define it.

    Attributes:
        key: A snake_case identifier, e.g. ``"cost_per_lead"``.
        name: A readable name.
        unit: Count, ratio, money or duration (hours).
        direction: Whether higher or lower is better.
        owners: The teams that own it; a KPI both teams own is a shared KPI.
        formula: The formula in words, e.g. ``"marketing spend / new leads"``.

    Example:
        >>> cpl = KpiDefinition(
        ...     key="cost_per_lead", name="Cost per lead", unit=KpiUnit.MONEY,
        ...     direction=Direction.LOWER_IS_BETTER, owners=(Team.MARKETING,),
        ...     formula="marketing spend / new leads",
        ... )
        >>> cpl.is_shared
        False
    """

    key: str = attrs.field(validator=_key)
    name: str = attrs.field(validator=v.non_empty_text)
    unit: KpiUnit = attrs.field(validator=v.member_of(KpiUnit))
    direction: Direction = attrs.field(validator=v.member_of(Direction))
    owners: tuple[Team, ...] = attrs.field(converter=_teams)
    formula: str = attrs.field(validator=v.non_empty_text)

    def __attrs_post_init__(self) -> None:
        if not self.owners:
            msg = f"KpiDefinition.owners of {self.key!r} must name at least one team"
            raise ValidationError(msg)

    @property
    def is_shared(self) -> bool:
        """True when both teams own the KPI."""
        return len(self.owners) == 2


@attrs.frozen(kw_only=True)
class Measurement:
    """The value of a KPI over a period.

    Attributes:
        kpi: The KPI key.
        period: The period measured.
        value: The value (ratios as fractions, durations in hours, money in ``currency``).
        currency: The currency for money KPIs, else ``None``.
    """

    kpi: str = attrs.field(validator=_key)
    period: Period
    value: Decimal = attrs.field(converter=v.to_decimal)
    currency: str | None = None


@attrs.frozen(kw_only=True)
class Target:
    """The goal for a KPI over a period, with a tolerance band.

    A value that meets the goal (in the KPI's better direction) is on track; one that
    misses it by no more than ``tolerance`` (a fraction of the goal) is at risk; anything
    worse is off track.

    Attributes:
        kpi: The KPI key.
        period: The period the goal is for.
        goal: The value to reach.
        tolerance: How far short, as a fraction of the goal, still counts as at risk.

    Example:
        >>> t = Target(kpi="mql_to_sql_rate", period=Period.quarter(2026, 1), goal="0.30", tolerance="0.1")
        >>> t.status(Decimal("0.28"), Direction.HIGHER_IS_BETTER).value
        'at_risk'
    """

    kpi: str = attrs.field(validator=_key)
    period: Period
    goal: Decimal = attrs.field(converter=v.to_decimal)
    tolerance: Decimal = attrs.field(
        default=Decimal("0.1"), converter=v.to_decimal, validator=v.fraction
    )

    def status(self, value: Decimal, direction: Direction) -> TargetStatus:
        """Judge ``value`` against the goal for a KPI going in ``direction``."""
        value = v.to_decimal(value)
        band = abs(self.goal) * self.tolerance
        if direction is Direction.HIGHER_IS_BETTER:
            if value >= self.goal:
                return TargetStatus.ON_TRACK
            return TargetStatus.AT_RISK if value >= self.goal - band else TargetStatus.OFF_TRACK
        if value <= self.goal:
            return TargetStatus.ON_TRACK
        return TargetStatus.AT_RISK if value <= self.goal + band else TargetStatus.OFF_TRACK


@attrs.frozen(kw_only=True)
class Scorecard:
    """A team's three to five headline KPIs.

    Attributes:
        team: The team the scorecard belongs to.
        kpis: The headline KPI keys, in display order: 3 to 5 of them, no repeats.

    Example:
        >>> Scorecard(team=Team.MARKETING, kpis=("cost_per_lead", "mqls"))
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: Scorecard.kpis of the marketing team must hold 3 to 5 headline KPIs, got 2: ('cost_per_lead', 'mqls')
    """

    team: Team = attrs.field(validator=v.member_of(Team))
    kpis: tuple[str, ...] = attrs.field(converter=v.to_tuple)

    def __attrs_post_init__(self) -> None:
        if not 3 <= len(self.kpis) <= 5:
            msg = (
                f"Scorecard.kpis of the {self.team.value} team must hold 3 to 5 headline "
                f"KPIs, got {len(self.kpis)}: {self.kpis!r}"
            )
            raise ValidationError(msg)
        if len(set(self.kpis)) != len(self.kpis):
            msg = f"Scorecard.kpis of the {self.team.value} team repeats a KPI: {self.kpis!r}"
            raise ValidationError(msg)
