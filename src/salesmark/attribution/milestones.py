"""The milestone-weight engine behind every position- and milestone-based model.

A :class:`MilestoneWeights` rule gives weight to *slots* — the first touch, the
lead-creation touch, the opportunity-creation touch, the closed-won touch, the last
touch — and a weight shared by the touches *between* them. Vendors name their models
differently but all fit this shape, which is how :mod:`salesmark.attribution.presets`
reproduces each vendor's numbers.

The cases vendors leave undocumented get these rules, each conserving credit:

1. **Several slots on one touch** (a one-touch journey, or a form fill that is both
   the first touch and the lead-creation touch): the touch receives the sum of their
   weights.
2. **A missing milestone** (no opportunity yet, or no touch at or before the
   milestone): its slot is dropped.
3. **Between** touches are those that hold no slot and come before the last
   slot-holding touch; if there are none (one or two touches), the between weight is
   dropped.
4. The weights left are **renormalised** to sum to 1. If none is left (a rule that
   only weighs a missing milestone), the journey is shared equally by all its touches.

The shapes several models and vendors share are named here once (:data:`POSITION_BASED`,
:data:`W_SHAPED`, ...); the rule models of :mod:`~salesmark.attribution.rules` and the
vendor presets bind their names to them.

Example:
    >>> W_SHAPED.shares(4, (1, 3, None))
    (0.3, 0.3, 0.1, 0.3)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import attrs

from salesmark import _validators as v
from salesmark.attribution._checks import Engine, choose_engine
from salesmark.attribution._engine import (
    Marks,
    Paths,
    attribute,
    collect,
    result_of,
    sums,
    to_counts,
)
from salesmark.attribution._sums import by_length_shares
from salesmark.attribution.paths import PathCounts
from salesmark.attribution.results import AttributionResult, Parameter
from salesmark.errors import ValidationError

__all__ = [
    "FIRST_TOUCH",
    "FULL_PATH",
    "INVERSE_J",
    "J_SHAPED",
    "LAST_TOUCH",
    "LEAD_CREATION",
    "POSITION_BASED",
    "W_SHAPED",
    "MilestoneWeights",
    "milestone_model",
]


def _finite_weight(value: float) -> float:
    weight = v.require_finite(value, "a weight")
    if weight < 0:
        msg = f"a weight must be >= 0, got {value!r}"
        raise ValidationError(msg)
    return weight


if TYPE_CHECKING:  # mypy is shown a plain function of the converter's types (see v.on_field)

    def _weight(value: float) -> float: ...

else:
    _weight = v.on_field(_finite_weight)


@attrs.frozen(kw_only=True)
class MilestoneWeights:
    """Weights for the slots of a journey; they need not sum to 1 (they are renormalised).

    Attributes:
        first: Weight of the first touch.
        lead_created: Weight of the lead-creation touch.
        opportunity_created: Weight of the opportunity-creation touch.
        closed_won: Weight of the closed-won touch.
        last: Weight of the last touch.
        between: Weight shared equally by the touches between the slots.

    Raises:
        ValidationError: If a weight is negative or not finite, or all are zero.

    Example:
        >>> w = MilestoneWeights(first=0.4, between=0.2, last=0.4)
        >>> w.shares(4)
        (0.4, 0.1, 0.1, 0.4)
        >>> w.shares(2)
        (0.5, 0.5)
        >>> MilestoneWeights(first=0.3, lead_created=0.3, opportunity_created=0.3,
        ...                  between=0.1).shares(5, (0, 3, None))
        (0.6, 0.05, 0.05, 0.3, 0.0)
    """

    first: float = attrs.field(default=0.0, converter=_weight)
    lead_created: float = attrs.field(default=0.0, converter=_weight)
    opportunity_created: float = attrs.field(default=0.0, converter=_weight)
    closed_won: float = attrs.field(default=0.0, converter=_weight)
    last: float = attrs.field(default=0.0, converter=_weight)
    between: float = attrs.field(default=0.0, converter=_weight)

    def __attrs_post_init__(self) -> None:
        if not any(attrs.astuple(self)):
            msg = "MilestoneWeights must have at least one weight above 0, got all zero"
            raise ValidationError(msg)

    @property
    def needs_milestones(self) -> bool:
        """Whether the rule weighs a funnel milestone (and so needs journeys).

        Example:
            >>> MilestoneWeights(first=1).needs_milestones
            False
        """
        return bool(self.lead_created or self.opportunity_created or self.closed_won)

    def parameters(self) -> dict[str, Parameter]:
        """The non-zero weights, for a result's parameters.

        Example:
            >>> MilestoneWeights(first=0.6, between=0.2, last=0.2).parameters()
            {'first': 0.6, 'last': 0.2, 'between': 0.2}
        """
        return {k: v for k, v in attrs.asdict(self).items() if v}

    def shares(self, length: int, marks: Marks = (None, None, None)) -> tuple[float, ...]:
        """The share of each touch of a ``length``-touch journey, summing to 1.

        Args:
            length: The number of touches (at least 1).
            marks: The (lead created, opportunity created, closed won) touch indices.

        Raises:
            ValidationError: If ``length`` < 1, ``marks`` is not three long, or a mark is
                outside the journey.
            WrongType: If ``marks`` is not a tuple, or a mark is neither ``None`` nor a
                whole number.

        Example:
            >>> MilestoneWeights(first=0.5, lead_created=0.5).shares(3, (2, None, None))
            (0.5, 0.0, 0.5)
        """
        v.require_whole(length, "MilestoneWeights.shares length", minimum=1)
        _check_marks(marks)
        raw = attrs.astuple(self)
        top = 1.0 if math.isfinite(sum(raw)) else max(raw)  # huge weights: scaled, no overflow
        weights = [0.0] * length
        held = [False] * length
        slots = [(0, self.first), (length - 1, self.last)]
        for mark, weight in zip(
            marks, (self.lead_created, self.opportunity_created, self.closed_won), strict=True
        ):
            if mark is not None:
                if not 0 <= mark < length:
                    msg = f"MilestoneWeights.shares mark {mark} is outside a {length}-touch journey"
                    raise ValidationError(msg)
                slots.append((mark, weight))
        end = -1
        for index, weight in slots:
            if weight:
                weights[index] += weight / top
                held[index] = True
                end = max(end, index)
        between = [i for i in range(end) if not held[i]]
        if between and self.between:
            each = self.between / top / len(between)
            for index in between:
                weights[index] += each
        total = sum(weights)
        if total <= 0:
            return tuple(1.0 / length for _ in range(length))
        return tuple(w / total for w in weights)


def _check_marks(marks: object) -> None:
    """Refuse ``marks`` unless it is three touch indices (each an int or ``None``)."""
    name = "MilestoneWeights.shares marks"
    checked = v.require(marks, tuple, name)
    if len(checked) != 3:
        msg = (
            f"{name} must be 3 touch indices or None (lead created, opportunity created, "
            f"closed won), got {len(checked)} marks: {checked!r}"
        )
        raise ValidationError(msg)
    for index, mark in enumerate(checked):
        v.require_optional(mark, int, f"{name}[{index}]")


FIRST_TOUCH: Final = MilestoneWeights(first=1)
"""Everything to the first touch (Marketo Measure's and Salesforce's "First Touch")."""

LAST_TOUCH: Final = MilestoneWeights(last=1)
"""Everything to the last touch (Salesforce's "Last Touch")."""

LEAD_CREATION: Final = MilestoneWeights(lead_created=1)
"""Everything to the lead-creation touch (Marketo Measure's "Lead Creation")."""

POSITION_BASED: Final = MilestoneWeights(first=0.4, between=0.2, last=0.4)
"""40% first, 40% last, 20% between: :func:`~salesmark.attribution.position_based`,
Google's and Salesforce's "Position-based"."""

J_SHAPED: Final = MilestoneWeights(first=0.2, between=0.2, last=0.6)
"""20% first, 60% last, 20% between: :func:`~salesmark.attribution.j_shaped`, HubSpot's "J-shaped"."""

INVERSE_J: Final = MilestoneWeights(first=0.6, between=0.2, last=0.2)
"""60% first, 20% last, 20% between: :func:`~salesmark.attribution.inverse_j`,
HubSpot's "Inverse J-shaped"."""

W_SHAPED: Final = MilestoneWeights(
    first=0.3, lead_created=0.3, opportunity_created=0.3, between=0.1
)
"""30% each to first, lead-creation and opportunity-creation touches, 10% between:
:func:`~salesmark.attribution.w_shaped`, HubSpot's and Marketo Measure's "W-shaped"."""

FULL_PATH: Final = MilestoneWeights(
    first=0.225, lead_created=0.225, opportunity_created=0.225, closed_won=0.225, between=0.1
)
"""22.5% each to first, lead-creation, opportunity-creation and closed-won touches, 10%
between: :func:`~salesmark.attribution.full_path`, HubSpot's and Marketo Measure's
"Full path"."""


def milestone_model(
    data: Paths,
    weights: MilestoneWeights,
    *,
    name: str = "milestone",
    parameters: Mapping[str, Parameter] | None = None,
    engine: Engine | None = None,
) -> AttributionResult:
    """Attribute with a milestone-weight rule (the engine of the rule-based models).

    Args:
        data: PathCounts, or journeys (needed when the rule weighs a milestone).
        weights: The rule.
        name: The model name the result carries.
        parameters: The parameters the result carries (the weights by default).
        engine: ``"python"`` or ``"numpy"`` (numpy when installed, by default) for a
            rule that weighs no milestone; a milestone rule reads journeys one by one.

    Raises:
        ValidationError: If the rule weighs a milestone and ``data`` is PathCounts.

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("ad", "webinar", "demo"), converted=True,
        ...             milestones=Milestones(lead_created=1))
        >>> dict(milestone_model([j], MilestoneWeights(first=1, lead_created=1)).credits)
        {'ad': 0.5, 'demo': 0.0, 'webinar': 0.5}
    """
    v.require(weights, MilestoneWeights, "milestone_model weights")
    if weights.needs_milestones and isinstance(data, PathCounts):
        msg = (
            f"{name} weighs funnel milestones, which PathCounts does not keep; "
            "pass journeys with milestones (see journeys_from_leads)"
        )
        raise ValidationError(msg)
    chosen = choose_engine(engine, name)
    shown = weights.parameters() if parameters is None else parameters
    if not weights.needs_milestones:
        counts = to_counts(data)
        earned, valued = by_length_shares(
            sums(counts, "first", chosen),
            sums(counts, "last", chosen),
            sums(counts, "tokens", chosen),
            weights.shares,
            len(counts.channels),
        )
        return result_of(counts, earned, valued, model=name, parameters=shown)
    collected = collect(data, name)  # type: ignore[arg-type]
    cache: dict[tuple[int, Marks], tuple[float, ...]] = {}

    def weigh(path: tuple[str, ...], marks: Marks) -> tuple[float, ...]:
        key = (len(path), marks)
        shares = cache.get(key)
        if shares is None:
            shares = cache[key] = weights.shares(len(path), marks)
        return shares

    return attribute(collected, weigh, model=name, parameters=shown)
