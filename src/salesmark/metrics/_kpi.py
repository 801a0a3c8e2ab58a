"""One KPI as one object: its definition and its formula (private; import from :mod:`salesmark.metrics`).

A :class:`Kpi` pairs a :class:`~salesmark.kpis.KpiDefinition` with a formula, a pure
function of the period's :class:`~salesmark.metrics.KpiFacts` and the
:class:`~salesmark.metrics.KpiAssumptions` that returns either :class:`Computed` (the
exact value, with the figures it came from) or :class:`NotComputable` (the reason).
:meth:`Kpi.compute` wraps that into a :class:`~salesmark.kpis.KpiValue`, rounded for
display by the KPI's unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from salesmark import _validators as v
from salesmark.errors import WrongType
from salesmark.kpis import Direction, KpiDefinition, KpiUnit, KpiValue
from salesmark.metrics._assumptions import DEFAULT_ASSUMPTIONS, KpiAssumptions
from salesmark.metrics.facts import KpiFacts
from salesmark.money import Money
from salesmark.teams import Team

__all__ = [
    "BOTH",
    "MARKETING",
    "SALES",
    "Computed",
    "Kpi",
    "KpiFormula",
    "NotComputable",
    "Outcome",
    "define",
    "display",
    "exact_hours",
]

_RATIO: Final = Decimal("0.0001")
_HUNDREDTH: Final = Decimal("0.01")
_HOUR_US: Final = Decimal(3_600_000_000)
_ONE_US: Final = timedelta(microseconds=1)


def _pairs(
    value: Mapping[str, Decimal | None] | Iterable[tuple[str, Decimal | None]],
) -> tuple[tuple[str, Decimal | None], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), None if x is None else v.to_decimal(x)) for k, x in items)


@attrs.frozen(kw_only=True)
class Computed:
    """A formula's exact value, with the figures it came from.

    Attributes:
        value: The exact value (money as an amount in the facts' currency, ratios as
            fractions, durations in hours), not yet rounded for display.
        context: Named inputs and companion figures, in order.

    Example:
        >>> Computed(value=Decimal(3) / 4, context={"won": 3, "closed": 4}).context
        (('won', Decimal('3')), ('closed', Decimal('4')))
    """

    value: Decimal = attrs.field(converter=v.to_decimal)
    context: tuple[tuple[str, Decimal | None], ...] = attrs.field(default=(), converter=_pairs)


@attrs.frozen(kw_only=True)
class NotComputable:
    """A formula's "no value": why, and the figures it had.

    Attributes:
        reason: What was missing, e.g. ``"no deal was won in the period"``.
        context: Named inputs that were available, in order.

    Example:
        >>> NotComputable(reason="no lead was created in the period").reason
        'no lead was created in the period'
    """

    reason: str = attrs.field(validator=v.non_empty_text)
    context: tuple[tuple[str, Decimal | None], ...] = attrs.field(default=(), converter=_pairs)


Outcome: TypeAlias = Computed | NotComputable
"""What a formula returns: a value or the reason there is none."""

KpiFormula: TypeAlias = Callable[[KpiFacts, KpiAssumptions], Outcome]
"""A KPI's formula: ``(facts, assumptions) -> Computed | NotComputable``."""


def display(value: Decimal, unit: KpiUnit, currency: str | None) -> Decimal:
    """``value`` rounded for display: money half-even to the minor unit, ratios to 4 places, durations and months to 2.

    Example:
        >>> display(Decimal(2) / 3, KpiUnit.RATIO, None), display(Decimal("10.005"), KpiUnit.MONEY, "EUR")
        (Decimal('0.6667'), Decimal('10.00'))
    """
    if unit is KpiUnit.MONEY and currency is not None:
        return Money(value, currency).rounded().amount
    if unit is KpiUnit.RATIO:
        return value.quantize(_RATIO)
    if unit in (KpiUnit.DURATION, KpiUnit.MONTHS):
        return value.quantize(_HUNDREDTH)
    return value


def exact_hours(duration: timedelta) -> Decimal:
    """The exact length of ``duration`` in hours (microsecond resolution).

    Example:
        >>> exact_hours(timedelta(minutes=90))
        Decimal('1.5')
    """
    return Decimal(duration // _ONE_US) / _HOUR_US


def _callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # The toolkit has no check for a function; this one raises its WrongType.
    if not callable(value):
        msg = f"{v.where(instance, attribute)} must be a function (facts, assumptions) -> Computed | NotComputable, got {value!r}"
        raise WrongType(msg)


@attrs.frozen(kw_only=True)
class Kpi:
    """One KPI of the catalogue: what it is (its definition) and how to compute it (its formula).

    Attributes:
        definition: Key, name, unit, direction, owners and the formula in words.
        formula: ``(facts, assumptions) -> Computed | NotComputable``, from exact
            inputs to the exact value.

    Example:
        >>> from salesmark import Organisation, Period
        >>> from salesmark.kpis import Direction, KpiDefinition, KpiUnit
        >>> leads_per_campaign = Kpi(
        ...     definition=KpiDefinition(
        ...         key="leads_per_campaign", name="Leads per campaign", unit=KpiUnit.RATIO,
        ...         direction=Direction.HIGHER_IS_BETTER, owners=(Team.MARKETING,),
        ...         formula="new leads / campaigns"),
        ...     formula=lambda facts, assumptions: Computed(value=Decimal(facts.new_leads) / 3),
        ... )
        >>> facts = KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        >>> leads_per_campaign.compute(facts)
        KpiValue(leads_per_campaign=0.0000)
    """

    definition: KpiDefinition = attrs.field(validator=v.instance_of(KpiDefinition))
    formula: KpiFormula = attrs.field(validator=_callable)

    def __repr__(self) -> str:
        return f"Kpi({self.definition.key}: {self.definition.formula})"

    @property
    def key(self) -> str:
        """The KPI's key (its definition's).

        Example:
            >>> from salesmark import DEMAND_WATERFALL
            >>> from salesmark.metrics import default_catalogue
            >>> [kpi.key for kpi in default_catalogue(DEMAND_WATERFALL)][:2]
            ['new_leads', 'mqls']
        """
        return self.definition.key

    def compute(self, facts: KpiFacts, assumptions: KpiAssumptions | None = None) -> KpiValue:
        """The KPI for the facts' period: its value rounded for display, or why it has none.

        Money is rounded half-even to the currency's minor unit, ratios to four places,
        durations (hours) and months to two; counts are whole.

        Args:
            facts: The period's facts (:meth:`KpiFacts.collect`).
            assumptions: The inputs the data cannot give (default: ``KpiAssumptions()``).

        Raises:
            WrongType: If ``facts`` is not a KpiFacts or ``assumptions`` not KpiAssumptions.

        Example:
            >>> from salesmark import Organisation, Period
            >>> from salesmark.metrics import default_catalogue
            >>> org = Organisation(name="A", currency="EUR")
            >>> facts = KpiFacts.collect(org, Period.quarter(2026, 1))
            >>> default_catalogue(org.lifecycle)["win_rate"].compute(facts)
            KpiValue(win_rate not computable: no opportunity was closed in the period)
        """
        v.require(facts, KpiFacts, f"Kpi({self.key}).compute facts")
        given = v.require_optional(
            assumptions, KpiAssumptions, f"Kpi({self.key}).compute assumptions"
        )
        outcome = self.formula(facts, DEFAULT_ASSUMPTIONS if given is None else given)
        d = self.definition
        if isinstance(outcome, NotComputable):
            return KpiValue(
                key=d.key,
                period=facts.period,
                value=None,
                unit=d.unit,
                reason=outcome.reason,
                context=outcome.context,
            )
        currency = facts.currency if d.unit is KpiUnit.MONEY else None
        return KpiValue(
            key=d.key,
            period=facts.period,
            value=display(outcome.value, d.unit, currency),
            unit=d.unit,
            currency=currency,
            context=outcome.context,
        )


MARKETING: Final = (Team.MARKETING,)
SALES: Final = (Team.SALES,)
BOTH: Final = (Team.MARKETING, Team.SALES)


def define(
    *,
    key: str,
    name: str,
    unit: KpiUnit,
    direction: Direction,
    owners: tuple[Team, ...],
    formula: str,
) -> Callable[[KpiFormula], Kpi]:
    """Decorate a formula into the :class:`Kpi` of the definition given by these fields.

    Example:
        >>> @define(key="mqls_x2", name="Twice the MQLs", unit=KpiUnit.COUNT,
        ...         direction=Direction.HIGHER_IS_BETTER, owners=MARKETING, formula="2 * MQLs")
        ... def mqls_x2(f: KpiFacts, a: KpiAssumptions) -> Outcome:
        ...     return Computed(value=Decimal(2 * f.mqls))
        >>> mqls_x2
        Kpi(mqls_x2: 2 * MQLs)
    """
    definition = KpiDefinition(
        key=key, name=name, unit=unit, direction=direction, owners=owners, formula=formula
    )

    def wrap(fn: KpiFormula) -> Kpi:
        return Kpi(definition=definition, formula=fn)

    return wrap
