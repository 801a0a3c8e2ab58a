"""A vendor's published rule as data, and the one way to run it (private; see ``presets``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final, Literal

import attrs

from salesmark import _validators as v
from salesmark.attribution._checks import one_of
from salesmark.attribution._engine import Paths, journeys_only
from salesmark.attribution.milestones import MilestoneWeights, milestone_model
from salesmark.attribution.results import AttributionResult
from salesmark.attribution.rules import linear, time_decay
from salesmark.errors import ValidationError

__all__ = ["Preset"]

PresetModel = Literal["milestone_model", "linear", "time_decay"]
_MODELS: Final = ("milestone_model", "linear", "time_decay")


def _known_model(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    one_of(value, v.where(instance, attribute), _MODELS)


@attrs.frozen(kw_only=True, repr=False)
class Preset:
    """A vendor's published attribution rule, bound to the vendor's name for it.

    Most vendor rules are a milestone-weight shape
    (:class:`~salesmark.attribution.MilestoneWeights`); the others are one of
    salesmark's rule models under the vendor's name: an even split is
    :func:`~salesmark.attribution.linear`, a decay with the vendor's half-life is
    :func:`~salesmark.attribution.time_decay`. Run a preset with :meth:`attribute`, or
    call it like a model function; the result's model is :attr:`label`.

    Attributes:
        vendor: The vendor, named as its module (``"hubspot"``).
        name: The preset's name at that vendor, in snake case (``"u_shaped"``).
        title: What the vendor calls the model (``"U-shaped"``).
        source: Where the vendor publishes the rule.
        weights: The milestone-weight shape of a ``"milestone_model"`` rule.
        model: The salesmark model that runs the rule: ``"milestone_model"`` (the
            default, with ``weights``), ``"linear"``, or ``"time_decay"`` (with
            ``half_life``).
        half_life: The half-life of a ``"time_decay"`` rule.

    Raises:
        ValidationError: If a text field is blank, ``model`` is unknown, or
            ``weights`` and ``half_life`` do not match ``model``.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> ours = Preset(vendor="acme", name="two_to_one", title="2:1",
        ...               source="Acme's attribution policy, 2026",
        ...               weights=MilestoneWeights(first=2, last=1))
        >>> ours
        Preset(acme.two_to_one: first=2.0, last=1.0)
        >>> result = ours(PathCounts.from_tuples([(("ad", "email", "demo"), 3, 0, None)]))
        >>> result.model, dict(result.credits)
        ('acme.two_to_one', {'ad': 2.0, 'demo': 1.0, 'email': 0.0})
    """

    vendor: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    title: str = attrs.field(validator=v.non_empty_text)
    source: str = attrs.field(validator=v.non_empty_text)
    weights: MilestoneWeights | None = attrs.field(
        default=None, validator=v.optional_instance_of(MilestoneWeights)
    )
    model: PresetModel = attrs.field(default="milestone_model", validator=_known_model)
    half_life: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.positive_duration)
    )

    def __attrs_post_init__(self) -> None:
        needs = {
            "weights": self.model == "milestone_model",
            "half_life": self.model == "time_decay",
        }
        for field, needed in needs.items():
            given = getattr(self, field) is not None
            if given != needed:
                msg = (
                    f"Preset {self.label!r} with model={self.model!r} "
                    f"{'needs' if needed else 'takes no'} {field}, got {getattr(self, field)!r}"
                )
                raise ValidationError(msg)

    @property
    def label(self) -> str:
        """``vendor.name``: the key in :data:`~salesmark.attribution.presets.PRESETS`.

        Example:
            >>> from salesmark.attribution import presets
            >>> presets.hubspot.w_shaped.label
            'hubspot.w_shaped'
        """
        return f"{self.vendor}.{self.name}"

    def attribute(self, data: Paths) -> AttributionResult:
        """Attribute ``data`` by the vendor's rule; the result's model is :attr:`label`.

        Args:
            data: PathCounts or journeys; journeys with milestones when the rule weighs
                a funnel milestone, with touch times for a time-decay rule.

        Raises:
            ValidationError: If the rule needs journeys (milestones or times) and
                ``data`` is PathCounts.

        Example:
            >>> from salesmark.attribution import PathCounts, presets
            >>> counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None)])
            >>> dict(presets.salesforce.even_distribution.attribute(counts).credits)
            {'a': 0.3333333333333333, 'b': 0.3333333333333333, 'c': 0.3333333333333333}
        """
        if self.weights is not None:
            return milestone_model(data, self.weights, name=self.label)
        if self.half_life is not None:
            result = time_decay(journeys_only(data, self.label), half_life=self.half_life)
        else:
            result = linear(data)
        return attrs.evolve(result, model=self.label)

    def __call__(self, data: Paths) -> AttributionResult:
        """Attribute ``data`` by the vendor's rule (as :meth:`attribute`).

        Example:
            >>> from salesmark.attribution import PathCounts, presets
            >>> counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
            >>> presets.salesforce.last_touch(counts).model
            'salesforce.last_touch'
        """
        return self.attribute(data)

    def __repr__(self) -> str:
        if self.weights is not None:
            rule = ", ".join(f"{k}={w}" for k, w in self.weights.parameters().items())
        elif self.half_life is not None:
            rule = f"time_decay, half_life={self.half_life}"
        else:
            rule = self.model
        return f"Preset({self.label}: {rule})"
