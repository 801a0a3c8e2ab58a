"""The KPI value objects: definitions, measurements, targets, scorecards and computed values.

Private home of the classes :mod:`salesmark.kpis` exports; they live here so the KPI
catalogue can use them without an import cycle (``salesmark.organisation`` imports
``salesmark.kpis``, whose catalogue computes from an organisation).
Import them from :mod:`salesmark.kpis`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark._records import records, row
from salesmark.errors import ValidationError, WrongType
from salesmark.period import Period
from salesmark.teams import Team

__all__ = [
    "Direction",
    "KpiDefinition",
    "KpiUnit",
    "KpiValue",
    "Measurement",
    "Scorecard",
    "Target",
    "TargetStatus",
]


class KpiUnit(str, enum.Enum):
    """What a KPI's value counts: a count, a ratio (0.25 = 25%), money, a duration in hours, or months."""

    COUNT = "count"
    RATIO = "ratio"
    MONEY = "money"
    DURATION = "duration"
    MONTHS = "months"


class Direction(str, enum.Enum):
    """Whether a higher or a lower value is better."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class TargetStatus(str, enum.Enum):
    """How a measurement compares to its target."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


def _key(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value or not value.replace("_", "").isalnum():
        expected = "a KPI key: a non-empty snake_case identifier"
        msg = f"{v.where(instance, attribute)} must be {expected}, got {value!r}"
        kind = ValidationError if isinstance(value, str) else WrongType
        raise kind(msg, path=v.pointer(attribute.name), value=value, expected=expected)


def _teams(value: Iterable[Team]) -> tuple[Team, ...]:
    teams = v.sequence(value, "KpiDefinition.owners", "Team members")
    for index, team in enumerate(teams):
        if not isinstance(team, Team):
            msg = f"KpiDefinition.owners must hold Team members, got {v.shown(team)}"
            raise WrongType(msg, path=v.pointer("owners", index), value=team, expected="a Team")
    return tuple(sorted(set(teams), key=lambda t: t.value))


@attrs.frozen(kw_only=True)
class KpiDefinition:
    """One KPI as both teams define it.

    Attributes:
        key: A snake_case identifier, e.g. ``"cost_per_lead"``.
        name: A readable name.
        unit: Count, ratio, money, duration (hours) or months.
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
    period: Period = attrs.field(validator=v.instance_of(Period))
    value: Decimal = attrs.field(converter=v.decimal_field)
    currency: str | None = attrs.field(default=None, validator=v.optional_text)


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
    period: Period = attrs.field(validator=v.instance_of(Period))
    goal: Decimal = attrs.field(converter=v.decimal_field)
    tolerance: Decimal = attrs.field(
        default=Decimal("0.1"), converter=v.decimal_field, validator=v.fraction
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
    kpis: tuple[str, ...] = attrs.field(converter=v.tuple_field)

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


def _pairs(
    value: Iterable[tuple[str, Decimal | None]] | Mapping[str, Decimal | None],
) -> tuple[tuple[str, Decimal | None], ...]:
    items = (
        value.items()
        if isinstance(value, Mapping)
        else v.sequence(value, "KpiValue.context", "pairs")
    )
    for item in items:
        if not isinstance(item, tuple | list) or len(item) != 2:
            msg = f"KpiValue.context must hold (name, number) pairs, got {item!r}"
            raise WrongType(msg, path="/context", value=item, expected="a (name, number) pair")
    return tuple((str(k), None if x is None else v.to_decimal(x)) for k, x in items)


def _exact_number(value: Fraction | Decimal | int | str | None) -> Fraction | None:
    """An exact number as a ``Fraction`` (given as one, a Decimal, an int or ``"34000/3"``)."""
    if value is None:
        return None
    if isinstance(value, bool | float):
        msg = (
            f"KpiValue.exact must be an exact number (Fraction, Decimal, int or a string "
            f"such as '34000/3'), got {type(value).__name__} {value!r}; floats are inexact"
        )
        raise WrongType(msg)
    if not isinstance(value, Fraction | Decimal | int | str):
        msg = (
            f"KpiValue.exact must be an exact number (Fraction, Decimal, int or a string "
            f"such as '34000/3'), got {value!r}"
        )
        raise WrongType(msg)
    try:
        exact = Fraction(value)
    except (ArithmeticError, TypeError, ValueError):
        msg = (
            f"KpiValue.exact must be an exact number (Fraction, Decimal, int or a string "
            f"such as '34000/3'), got {value!r}"
        )
        raise ValidationError(msg) from None
    return exact


def _decimal(value: Decimal | int | str | None) -> Decimal | None:
    """A KPI's rounded value as a Decimal (given as one, an int or a numeric string), or None."""
    if value is not None and not isinstance(value, Decimal | int | str | float):
        msg = f"expected a Decimal, int or numeric string, got {value!r}"
        raise WrongType(msg)
    return None if value is None else v.to_decimal(value)


def _lead_ids(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    if isinstance(value, FrozenMap):
        return value  # built by a formula's outcome (checked there) or by a KpiValue
    if not isinstance(value, Mapping):
        msg = f"KpiValue.leads must map a count's name to lead ids, got {value!r}"
        raise WrongType(msg)
    frozen: dict[str, tuple[str, ...]] = {}
    for name, ids in value.items():
        if not isinstance(name, str) or isinstance(ids, str):
            msg = f"KpiValue.leads must map a count's name to lead ids, got {name!r}: {ids!r}"
            raise WrongType(msg)
        found = ids if type(ids) is tuple else tuple(ids)
        if not set(map(type, found)) <= _TEXT:  # one look per id, in C: these can be many
            msg = f"KpiValue.leads[{name!r}] must hold lead ids (text), got {found!r}"
            raise WrongType(msg)
        frozen[name] = found
    return FrozenMap(frozen)


_TEXT = frozenset({str})


def _context(
    value: Iterable[tuple[str, Decimal | None]] | Mapping[str, Decimal | None],
) -> tuple[tuple[str, Decimal | None], ...]:
    return v.converted_as("KpiValue.context", _pairs, value)


def _value(value: Decimal | int | str | None) -> Decimal | None:
    return v.converted_as("KpiValue.value", _decimal, value)


def _exact(value: Fraction | Decimal | int | str | None) -> Fraction | None:
    return v.converted_as("KpiValue.exact", _exact_number, value)


def _leads(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    return v.converted_as("KpiValue.leads", _lead_ids, value)


@attrs.frozen(kw_only=True)
class KpiValue:
    """A KPI computed for a period: a value, or an explicit "not computable" with the reason.

    A zero denominator or a missing input never crashes and never shows as a silent 0:
    ``value`` is ``None`` and ``reason`` says what was missing.

    The value comes twice: ``exact``, the unrounded value the formula computed (a
    ``Fraction``), and ``value``, that number rounded once, half-even, for display. A KPI
    computed from other KPIs uses their exact values, never the rounded ones. Both
    travel through :mod:`salesmark.serialization` (``exact`` written as ``"34000/3"``).

    Attributes:
        key: The KPI key, e.g. ``"cost_per_lead"``.
        period: The period computed.
        value: The value rounded for display (ratios as fractions, durations in hours,
            money in ``currency``), or ``None`` when it cannot be computed.
        unit: The KPI's unit.
        currency: The currency of a money KPI, else ``None``.
        reason: Why the value is ``None``; ``None`` when there is a value.
        context: Named inputs and companion figures, e.g. the numerator and the
            denominator, or the coverage actually required next to pipeline coverage.
        exact: The unrounded value (given as a ``Fraction``, ``Decimal``, int or a
            string such as ``"34000/3"``; ``value`` itself when not given); ``None``
            exactly when ``value`` is.
        leads: The drill-down: for each count behind the KPI (its numerator, its
            denominator, the KPI itself for a count), the ids of the leads counted, in
            the order of the organisation's leads (a lead counted twice, such as a
            second MQL entry, is listed twice).

    Example:
        >>> from fractions import Fraction
        >>> q1 = Period.quarter(2026, 1)
        >>> KpiValue(key="win_rate", period=q1, value=Decimal("0.25"), unit=KpiUnit.RATIO)
        KpiValue(win_rate=0.25)
        >>> KpiValue(key="win_rate", period=q1, value=None, unit=KpiUnit.RATIO,
        ...          reason="no opportunity was closed in the period")
        KpiValue(win_rate not computable: no opportunity was closed in the period)
        >>> size = KpiValue(key="average_deal_size", period=q1, value=Decimal("11333.33"),
        ...                 exact=Fraction(34000, 3), unit=KpiUnit.MONEY, currency="EUR",
        ...                 leads={"deals": ("A", "C", "E")})
        >>> size.exact, size.leads["deals"]
        (Fraction(34000, 3), ('A', 'C', 'E'))
    """

    key: str = attrs.field(validator=_key)
    period: Period = attrs.field(validator=v.instance_of(Period))
    value: Decimal | None = attrs.field(
        converter=_value,
        validator=rf.exact(Decimal, optional=True),
    )
    unit: KpiUnit = attrs.field(validator=v.member_of(KpiUnit))
    currency: str | None = attrs.field(default=None, validator=v.optional_text)
    reason: str | None = attrs.field(default=None, validator=v.optional_text)
    context: tuple[tuple[str, Decimal | None], ...] = attrs.field(default=(), converter=_context)
    exact: Fraction | None = attrs.field(default=None, converter=_exact)
    leads: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_leads)

    def __attrs_post_init__(self) -> None:
        if (self.value is None) == (self.reason is None):
            msg = (
                f"KpiValue {self.key!r} must have either a value or a reason it is not "
                f"computable, got value={self.value!r} reason={self.reason!r}"
            )
            raise ValidationError(msg)
        if self.value is None and self.exact is not None:
            msg = f"KpiValue {self.key!r} is not computable, so it has no exact value, got exact={self.exact!r}"
            raise ValidationError(msg)
        if self.value is not None and self.exact is None:
            object.__setattr__(self, "exact", _exact_number(self.value))

    def __repr__(self) -> str:
        if self.value is None:
            return f"KpiValue({self.key} not computable: {self.reason})"
        suffix = f" {self.currency}" if self.currency else ""
        return f"KpiValue({self.key}={self.value}{suffix})"

    @property
    def is_computable(self) -> bool:
        """Whether there is a value."""
        return self.value is not None

    def get(self, name: str) -> Decimal | None:
        """The context figure ``name``, or ``None`` if absent or not computable.

        Example:
            >>> KpiValue(key="k", period=Period.quarter(2026, 1), value=1, unit=KpiUnit.COUNT,
            ...          context={"numerator": 1}).get("numerator")
            Decimal('1')
        """
        return dict(self.context).get(name)

    def to_measurement(self) -> Measurement:
        """This value as a :class:`Measurement` (to store in an organisation).

        Raises:
            ValidationError: If the value is not computable.

        Example:
            >>> KpiValue(key="mqls", period=Period.quarter(2026, 1), value=7,
            ...          unit=KpiUnit.COUNT).to_measurement().value
            Decimal('7')
        """
        if self.value is None:
            msg = (
                f"KpiValue {self.key!r} is not computable ({self.reason}), so it is no Measurement"
            )
            raise ValidationError(msg)
        return Measurement(
            kpi=self.key, period=self.period, value=self.value, currency=self.currency
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain row for ``pandas.DataFrame``: key, period, value, unit, currency, reason, context.

        Values are floats (``None`` when not computable); ``exact=True`` keeps the Decimals.

        Example:
            >>> mqls = KpiValue(key="mqls", period=Period.quarter(2026, 1), value=7,
            ...                 unit=KpiUnit.COUNT, context={"previous": 5})
            >>> mqls.to_records()[0]["context.previous"], mqls.to_records(exact=True)[0]["value"]
            (5.0, Decimal('7'))
        """
        rows = [
            row(
                kpi=self.key,
                period_start=self.period.start,
                period_end=self.period.end,
                value=self.value,
                unit=self.unit,
                currency=self.currency,
                reason=self.reason,
                **{f"context.{k}": x for k, x in self.context},
            )
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html
