"""One KPI as one object: its definition and its formula (private; import from :mod:`salesmark.metrics`).

A :class:`Kpi` pairs a :class:`~salesmark.kpis.KpiDefinition` with a formula, a pure
function of the period's :class:`~salesmark.metrics.KpiFacts` and the
:class:`~salesmark.metrics.KpiAssumptions` that returns either :class:`Computed` (the
exact value, with the figures it came from and the leads behind its counts) or
:class:`NotComputable` (the reason). :meth:`Kpi.compute` wraps that into a
:class:`~salesmark.kpis.KpiValue` that keeps the exact value and rounds it once, for
display, by the KPI's unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, TypeAlias

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.errors import WrongType
from salesmark.kpis import Direction, KpiDefinition, KpiUnit, KpiValue
from salesmark.metrics._assumptions import DEFAULT_ASSUMPTIONS, KpiAssumptions
from salesmark.metrics._exact import as_decimal, exact, hours, rounded
from salesmark.metrics.facts import KpiFacts
from salesmark.money import minor_unit
from salesmark.teams import Team

__all__ = [
    "BOTH",
    "MARKETING",
    "SALES",
    "Computed",
    "Figure",
    "Kpi",
    "KpiFormula",
    "NotComputable",
    "Outcome",
    "define",
    "display",
    "exact_hours",
    "figure",
    "value_of",
]

_ONE_US: Final = timedelta(microseconds=1)


Figure: TypeAlias = Decimal | int | str | None
"""A context figure as a formula gives it: an exact number (``None`` when unknown)."""


def _pairs(
    value: Mapping[str, Figure] | Iterable[tuple[str, Figure]],
) -> tuple[tuple[str, Decimal | None], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), None if x is None else v.to_decimal(x)) for k, x in items)


def _ids(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    """Lead ids by count name (a KpiValue trusts what an outcome built).

    The ids come from the facts, so only their shape is checked here, not each id: a
    count's leads can be hundreds of thousands.
    """
    frozen: dict[str, tuple[str, ...]] = {}
    for name, ids in v.freeze_mapping(value).items():
        found = ids if type(ids) is tuple else tuple(ids)
        if (
            not isinstance(name, str)
            or isinstance(ids, str)
            or (found and type(found[0]) is not str)
        ):
            msg = f"a KPI outcome's leads must map a count's name to lead ids (text), got {name!r}: {ids!r}"
            raise WrongType(msg)
        frozen[name] = found
    return FrozenMap(frozen)


@attrs.frozen(kw_only=True)
class Computed:
    """A formula's exact value, with the figures it came from and the leads behind its counts.

    Attributes:
        value: The exact value (money as an amount in the facts' currency, ratios as
            fractions, durations in hours), not rounded: any exact number (a
            ``Fraction``, ``Decimal``, int or numeric string), kept as a ``Fraction``;
            floats are refused.
        context: Named inputs and companion figures, in order, as shown.
        leads: For each count behind the value (by its name in ``context``, or the
            KPI's key for a count KPI), the ids of the leads counted.

    Example:
        >>> Computed(value=Decimal(3) / 4, context={"won": 3, "closed": 4}).context
        (('won', Decimal('3')), ('closed', Decimal('4')))
        >>> Computed(value=Fraction(2, 3), leads={"won": ["A", "B"]}).leads["won"]
        ('A', 'B')
    """

    value: Fraction = attrs.field(converter=exact)
    context: tuple[tuple[str, Decimal | None], ...] = attrs.field(default=(), converter=_pairs)
    leads: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_ids)


@attrs.frozen(kw_only=True)
class NotComputable:
    """A formula's "no value": why, and the figures it had.

    Attributes:
        reason: What was missing, e.g. ``"no deal was won in the period"``.
        context: Named inputs that were available, in order.
        leads: The leads behind the counts that were available, by name.

    Example:
        >>> NotComputable(reason="no lead was created in the period").reason
        'no lead was created in the period'
    """

    reason: str = attrs.field(validator=v.non_empty_text)
    context: tuple[tuple[str, Decimal | None], ...] = attrs.field(default=(), converter=_pairs)
    leads: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_ids)


Outcome: TypeAlias = Computed | NotComputable
"""What a formula returns: a value or the reason there is none."""

KpiFormula: TypeAlias = Callable[[KpiFacts, KpiAssumptions], Outcome]
"""A KPI's formula: ``(facts, assumptions) -> Computed | NotComputable``."""


_PLACES: Final = {KpiUnit.RATIO: 4, KpiUnit.DURATION: 2, KpiUnit.MONTHS: 2}


def display(value: Fraction | Decimal | int, unit: KpiUnit, currency: str | None) -> Decimal:
    """``value`` rounded once, half-even, for display: money to the minor unit, ratios to 4 places, durations and months to 2.

    A count (or money without a currency) is shown exactly when it has a finite decimal
    expansion, else to 4 places.

    Example:
        >>> display(Fraction(2, 3), KpiUnit.RATIO, None), display(Decimal("10.005"), KpiUnit.MONEY, "EUR")
        (Decimal('0.6667'), Decimal('10.00'))
        >>> display(5, KpiUnit.COUNT, None)
        Decimal('5')
    """
    number = exact(value)
    if unit is KpiUnit.MONEY and currency is not None:
        return rounded(number, minor_unit(currency))
    places = _PLACES.get(unit)
    if places is not None:
        return rounded(number, places)
    shown = as_decimal(number)
    return rounded(number, 4) if shown is None else shown


def figure(value: Fraction | None, places: int = 4) -> Decimal | None:
    """A companion figure for a KPI's context: ``value`` rounded half-even to ``places``.

    Example:
        >>> figure(Fraction(4, 3)), figure(None)
        (Decimal('1.3333'), None)
    """
    return None if value is None else rounded(value, places)


def exact_hours(duration: timedelta) -> Fraction:
    """The exact length of ``duration`` in hours (microsecond resolution).

    Example:
        >>> exact_hours(timedelta(minutes=90))
        Fraction(3, 2)
    """
    return hours(Fraction(duration // _ONE_US))


def value_of(definition: KpiDefinition, outcome: Outcome, facts: KpiFacts) -> KpiValue:
    """The :class:`KpiValue` of ``outcome`` for ``definition``: the exact value and, once rounded, the display value.

    Example:
        >>> from salesmark import Organisation, Period
        >>> facts = KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1))
        >>> d = KpiDefinition(key="share", name="Share", unit=KpiUnit.RATIO,
        ...                   direction=Direction.HIGHER_IS_BETTER, owners=MARKETING, formula="1 / 3")
        >>> shown = value_of(d, Computed(value=Fraction(1, 3)), facts)
        >>> shown.value, shown.exact
        (Decimal('0.3333'), Fraction(1, 3))
    """
    if isinstance(outcome, NotComputable):
        return KpiValue(
            key=definition.key,
            period=facts.period,
            value=None,
            unit=definition.unit,
            reason=outcome.reason,
            context=outcome.context,
            leads=outcome.leads,
        )
    currency = facts.currency if definition.unit is KpiUnit.MONEY else None
    return KpiValue(
        key=definition.key,
        period=facts.period,
        value=display(outcome.value, definition.unit, currency),
        exact=outcome.value,
        unit=definition.unit,
        currency=currency,
        context=outcome.context,
        leads=outcome.leads,
    )


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
        """The KPI for the facts' period: its exact value and the same rounded for display, or why it has none.

        The formula computes exactly; the value is rounded once, half-even: money to
        the currency's minor unit, ratios to four places, durations (hours) and months
        to two; counts are whole. ``KpiValue.exact`` keeps the unrounded value and
        ``KpiValue.leads`` the leads behind each count.

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
        return value_of(self.definition, outcome, facts)

    def outcome(self, facts: KpiFacts, assumptions: KpiAssumptions | None = None) -> Outcome:
        """The formula's outcome, unrounded: what a KPI built from this one computes with.

        Example:
            >>> from salesmark import Organisation, Period
            >>> from salesmark.metrics import default_catalogue
            >>> org = Organisation(name="A", currency="EUR")
            >>> facts = KpiFacts.collect(org, Period.quarter(2026, 1))
            >>> default_catalogue(org.lifecycle)["new_leads"].outcome(facts).value
            Fraction(0, 1)
        """
        return self.formula(facts, DEFAULT_ASSUMPTIONS if assumptions is None else assumptions)


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
        ...     return Computed(value=2 * f.mqls)
        >>> mqls_x2
        Kpi(mqls_x2: 2 * MQLs)
    """
    definition = KpiDefinition(
        key=key, name=name, unit=unit, direction=direction, owners=owners, formula=formula
    )

    def wrap(fn: KpiFormula) -> Kpi:
        return Kpi(definition=definition, formula=fn)

    return wrap
