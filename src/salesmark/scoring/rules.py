"""Scoring rules: declarative, serializable statements of what a lead earns points for.

Every rule is one :class:`Rule` with a :class:`RuleKind` tag, so a model is plain data
that the package converter writes and reads back (a tagged union in one class).
Fit rules look at who the lead is (its attributes); engagement rules look at what
the lead did (its touchpoints up to the scoring time).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError
from salesmark.leads import AttributeValue
from salesmark.touchpoints import TouchpointKind

__all__ = ["Dimension", "Rule", "RuleKind"]


class Dimension(str, enum.Enum):
    """The two dimensions of a lead score.

    ``FIT`` is who the lead is (industry, size, role); ``ENGAGEMENT`` is what the lead
    did (visits, downloads, webinars, calls).
    """

    FIT = "fit"
    ENGAGEMENT = "engagement"


class RuleKind(str, enum.Enum):
    """What a rule tests; the tag of the rule union.

    Fit kinds: ``EQUALS`` (attribute equals one value), ``IN`` (attribute is one of
    several values), ``RANGE`` (numeric attribute within inclusive bounds), ``PRESENT``
    (attribute given and not blank).
    Engagement kinds: ``TOUCHES`` (points per matching touchpoint, decayed by the
    model's decay, optionally only within a window and only from ``at_least`` touches
    on), ``RECENCY`` (the latest matching touch is within the window) and
    ``INACTIVITY`` (no matching touch within the window, usually negative points).
    """

    EQUALS = "equals"
    IN = "in"
    RANGE = "range"
    PRESENT = "present"
    TOUCHES = "touches"
    RECENCY = "recency"
    INACTIVITY = "inactivity"

    @property
    def dimension(self) -> Dimension:
        """The dimension rules of this kind score.

        Example:
            >>> RuleKind.RANGE.dimension.value, RuleKind.RECENCY.dimension.value
            ('fit', 'engagement')
        """
        return Dimension.FIT if self in _FIT_KINDS else Dimension.ENGAGEMENT


_FIT_KINDS = frozenset({RuleKind.EQUALS, RuleKind.IN, RuleKind.RANGE, RuleKind.PRESENT})


def _values(value: Iterable[AttributeValue]) -> tuple[AttributeValue, ...]:
    items = v.sequence(value, "Rule.values", "text, numbers or bools")
    for index, item in enumerate(items):
        if not isinstance(item, str | int | float | bool):
            msg = f"Rule.values[{index}] must be text, a number or a bool, got {item!r}"
            raise ValidationError(msg)
        if isinstance(item, float) and not math.isfinite(item):
            msg = f"Rule.values[{index}] must be a finite number (no lead attribute equals it), got {item!r}"
            raise ValidationError(msg)
    return items


def _kinds(value: Iterable[TouchpointKind]) -> tuple[TouchpointKind, ...]:
    allowed = ", ".join(k.value for k in TouchpointKind)
    items = v.sequence(value, "Rule.kinds", f"TouchpointKind members ({allowed})")
    for index, item in enumerate(items):
        if not isinstance(item, TouchpointKind):
            msg = f"Rule.kinds[{index}] must be one of the TouchpointKind members ({allowed}), got {item!r}"
            raise ValidationError(msg)
    return items


def _channels(value: Iterable[str]) -> tuple[str, ...]:
    items = v.sequence(value, "Rule.channels", "non-empty strings")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            msg = f"Rule.channels[{index}] must be a non-empty string, got {item!r}"
            raise ValidationError(msg)
    return items


def _kind(_instance: object, _attribute: object, value: RuleKind) -> None:
    if not isinstance(value, RuleKind):
        allowed = ", ".join(repr(k.value) for k in RuleKind)
        msg = f"Rule.kind must be a RuleKind ({allowed}), got {value!r}"
        raise ValidationError(msg)


# Which optional fields each kind may set; the others must keep their defaults.
_USES: dict[RuleKind, frozenset[str]] = {
    RuleKind.EQUALS: frozenset({"attribute", "values"}),
    RuleKind.IN: frozenset({"attribute", "values"}),
    RuleKind.RANGE: frozenset({"attribute", "minimum", "maximum"}),
    RuleKind.PRESENT: frozenset({"attribute"}),
    RuleKind.TOUCHES: frozenset({"kinds", "channels", "window", "at_least", "cap"}),
    RuleKind.RECENCY: frozenset({"kinds", "channels", "window"}),
    RuleKind.INACTIVITY: frozenset({"kinds", "channels", "window"}),
}
_DEFAULTS: dict[str, Any] = {
    "attribute": None,
    "values": (),
    "minimum": None,
    "maximum": None,
    "kinds": (),
    "channels": (),
    "window": None,
    "at_least": 1,
    "cap": None,
}


@attrs.frozen(kw_only=True)
class Rule:
    """One scoring rule: a test of the lead and the points it earns when the test holds.

    All rule kinds share this one class, tagged by ``kind``; each kind uses only some
    fields and the others must stay at their defaults.
    Build rules with the named constructors (:meth:`equals`, :meth:`one_of`,
    :meth:`between`, :meth:`present`, :meth:`touches`, :meth:`recency`,
    :meth:`inactivity`).

    Attributes:
        id: Unique identifier within the model, shown in score explanations.
        kind: What the rule tests.
        points: Points earned when it fires (per touch for ``TOUCHES``); may be negative.
        attribute: The lead attribute a fit rule reads.
        values: The accepted values (exactly one for ``EQUALS``, one or more for ``IN``);
            comparison is exact (case-sensitive for text).
        minimum: Inclusive lower bound of a ``RANGE`` rule.
        maximum: Inclusive upper bound of a ``RANGE`` rule.
        kinds: Touchpoint kinds an engagement rule counts (empty: every kind).
        channels: Touchpoint channels an engagement rule counts (empty: every channel).
        window: Only touches at most this old at scoring time count (required for
            ``RECENCY`` and ``INACTIVITY``, optional for ``TOUCHES``).
        at_least: A ``TOUCHES`` rule fires only from this many counted touches on.
        cap: The largest size (absolute value) a ``TOUCHES`` rule's contribution can reach.
        label: A human description for reports, e.g. ``"Attended a webinar"`` (a string;
            empty for none).

    Raises:
        ValidationError: If the kind is unknown, a required field is missing, a field
            the kind does not use is set, bounds are reversed, a number is not finite, or
            ``values``, ``kinds`` or ``channels`` is a lone string instead of a sequence.

    Example:
        >>> Rule.equals("industry", "saas", points=10).kind.value
        'equals'
        >>> Rule.between("employees", minimum=50, maximum=500, points=15).dimension.value
        'fit'
        >>> Rule(id="r", kind=RuleKind.PRESENT, points=5)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: Rule 'r' of kind 'present' needs an attribute, got None
    """

    id: str = attrs.field(validator=v.non_empty_text)
    kind: RuleKind = attrs.field(validator=_kind)
    points: float = attrs.field(validator=v.finite)
    attribute: str | None = attrs.field(default=None, validator=v.optional_text)
    values: tuple[AttributeValue, ...] = attrs.field(default=(), converter=_values)
    minimum: float | None = attrs.field(default=None, validator=v.optional_finite)
    maximum: float | None = attrs.field(default=None, validator=v.optional_finite)
    kinds: tuple[TouchpointKind, ...] = attrs.field(default=(), converter=_kinds)
    channels: tuple[str, ...] = attrs.field(default=(), converter=_channels)
    window: timedelta | None = attrs.field(default=None)
    at_least: int = attrs.field(default=1)
    cap: float | None = attrs.field(default=None, validator=v.optional_finite)
    label: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:  # noqa: PLR0912 (one check per field)
        name = f"Rule {self.id!r} of kind {self.kind.value!r}"
        used = _USES[self.kind]
        for field, default in _DEFAULTS.items():
            if field not in used and getattr(self, field) != default:
                msg = (
                    f"{name} does not use field {field!r}, got {getattr(self, field)!r}; "
                    f"it uses {sorted(used)}"
                )
                raise ValidationError(msg)
        if "attribute" in used and self.attribute is None:
            msg = f"{name} needs an attribute, got None"
            raise ValidationError(msg)
        if self.kind is RuleKind.EQUALS and len(self.values) != 1:
            msg = f"{name} needs exactly one value, got {self.values!r}"
            raise ValidationError(msg)
        if self.kind is RuleKind.IN and not self.values:
            msg = f"{name} needs at least one value, got {self.values!r}"
            raise ValidationError(msg)
        if self.kind is RuleKind.RANGE:
            if self.minimum is None and self.maximum is None:
                msg = f"{name} needs a minimum, a maximum or both, got neither"
                raise ValidationError(msg)
            if (
                self.minimum is not None
                and self.maximum is not None
                and self.minimum > self.maximum
            ):
                msg = f"{name} has minimum {self.minimum!r} above maximum {self.maximum!r}"
                raise ValidationError(msg)
        if self.window is not None:
            if not isinstance(self.window, timedelta) or self.window <= timedelta(0):
                msg = f"{name} needs a positive timedelta window, got {self.window!r}"
                raise ValidationError(msg)
        elif self.kind in (RuleKind.RECENCY, RuleKind.INACTIVITY):
            msg = f"{name} needs a window (a positive timedelta), got None"
            raise ValidationError(msg)
        if isinstance(self.at_least, bool) or not isinstance(self.at_least, int):
            msg = f"{name} needs a whole number at_least >= 1, got {self.at_least!r}"
            raise ValidationError(msg)
        if self.at_least < 1:
            msg = f"{name} needs a whole number at_least >= 1, got {self.at_least!r}"
            raise ValidationError(msg)
        if self.cap is not None and self.cap <= 0:
            msg = f"{name} needs a cap above 0 or None, got {self.cap!r}"
            raise ValidationError(msg)

    @property
    def dimension(self) -> Dimension:
        """The dimension this rule scores (fit or engagement)."""
        return self.kind.dimension

    @property
    def description(self) -> str:  # noqa: PLR0911 (one wording per rule kind)
        """The label, or a description built from the rule when it has none.

        Example:
            >>> Rule.one_of("region", ("emea", "na"), points=5).description
            "region in ('emea', 'na')"
        """
        if self.label:
            return self.label
        kind = self.kind
        if kind is RuleKind.EQUALS:
            return f"{self.attribute} = {self.values[0]!r}"
        if kind is RuleKind.IN:
            return f"{self.attribute} in {self.values!r}"
        if kind is RuleKind.RANGE:
            low = "-inf" if self.minimum is None else f"{self.minimum:g}"
            high = "inf" if self.maximum is None else f"{self.maximum:g}"
            return f"{self.attribute} in [{low}, {high}]"
        if kind is RuleKind.PRESENT:
            return f"{self.attribute} given"
        what = "/".join(k.value for k in self.kinds) or "any touch"
        if self.channels:
            what += " via " + "/".join(self.channels)
        within = "" if self.window is None else f" within {self.window.days}d"
        if kind is RuleKind.TOUCHES:
            return f"each {what}{within}"
        if kind is RuleKind.RECENCY:
            return f"latest {what}{within}"
        return f"no {what}{within}"

    # -- named constructors -------------------------------------------------------------

    @classmethod
    def equals(
        cls,
        attribute: str,
        value: AttributeValue,
        *,
        points: float,
        id: str | None = None,  # noqa: A002 (the domain's name for it)
    ) -> Rule:
        """A fit rule: ``attribute`` equals ``value``; the id defaults to ``attribute=value``.

        Example:
            >>> Rule.equals("role", "cfo", points=20).id
            'role=cfo'
        """
        return cls(
            id=id or f"{attribute}={value}",
            kind=RuleKind.EQUALS,
            points=points,
            attribute=attribute,
            values=(value,),
        )

    @classmethod
    def one_of(
        cls,
        attribute: str,
        values: Iterable[AttributeValue],
        *,
        points: float,
        id: str | None = None,  # noqa: A002 (the domain's name for it)
    ) -> Rule:
        """A fit rule: ``attribute`` is one of ``values``.

        Example:
            >>> Rule.one_of("industry", ["retail", "logistics"], points=10).id
            'industry in retail|logistics'
        """
        items = _values(values)
        return cls(
            id=id or f"{attribute} in {'|'.join(str(x) for x in items)}",
            kind=RuleKind.IN,
            points=points,
            attribute=attribute,
            values=items,
        )

    @classmethod
    def between(
        cls,
        attribute: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        points: float,
        id: str | None = None,  # noqa: A002 (the domain's name for it)
    ) -> Rule:
        """A fit rule: numeric ``attribute`` within ``[minimum, maximum]`` (either may be open).

        Example:
            >>> Rule.between("employees", minimum=1000, points=25).id
            'employees in [1000, ]'
        """
        low = "" if minimum is None else f"{minimum:g}"
        high = "" if maximum is None else f"{maximum:g}"
        return cls(
            id=id or f"{attribute} in [{low}, {high}]",
            kind=RuleKind.RANGE,
            points=points,
            attribute=attribute,
            minimum=minimum,
            maximum=maximum,
        )

    @classmethod
    def present(
        cls,
        attribute: str,
        *,
        points: float,
        id: str | None = None,  # noqa: A002 (the domain's name for it)
    ) -> Rule:
        """A fit rule: ``attribute`` is given and not blank.

        Example:
            >>> Rule.present("phone", points=5).id
            'phone given'
        """
        return cls(
            id=id or f"{attribute} given", kind=RuleKind.PRESENT, points=points, attribute=attribute
        )

    @classmethod
    def touches(
        cls,
        id: str,  # noqa: A002 (the domain's name for it)
        *,
        points: float,
        kinds: Iterable[TouchpointKind] = (),
        channels: Iterable[str] = (),
        window: timedelta | None = None,
        at_least: int = 1,
        cap: float | None = None,
    ) -> Rule:
        """An engagement rule: ``points`` per matching touch (decayed), from ``at_least`` touches on.

        Example:
            >>> from salesmark import TouchpointKind
            >>> r = Rule.touches("webinars", points=8, kinds=[TouchpointKind.WEBINAR], cap=24)
            >>> r.description
            'each webinar'
        """
        return cls(
            id=id,
            kind=RuleKind.TOUCHES,
            points=points,
            kinds=_kinds(kinds),
            channels=_channels(channels),
            window=window,
            at_least=at_least,
            cap=cap,
        )

    @classmethod
    def recency(
        cls,
        id: str,  # noqa: A002 (the domain's name for it)
        *,
        points: float,
        window: timedelta,
        kinds: Iterable[TouchpointKind] = (),
        channels: Iterable[str] = (),
    ) -> Rule:
        """An engagement rule: the latest matching touch is at most ``window`` old.

        Example:
            >>> from datetime import timedelta
            >>> Rule.recency("active-7d", points=10, window=timedelta(days=7)).description
            'latest any touch within 7d'
        """
        return cls(
            id=id,
            kind=RuleKind.RECENCY,
            points=points,
            window=window,
            kinds=_kinds(kinds),
            channels=_channels(channels),
        )

    @classmethod
    def inactivity(
        cls,
        id: str,  # noqa: A002 (the domain's name for it)
        *,
        points: float,
        window: timedelta,
        kinds: Iterable[TouchpointKind] = (),
        channels: Iterable[str] = (),
    ) -> Rule:
        """An engagement rule: no matching touch in the last ``window`` (usually negative points).

        Example:
            >>> from datetime import timedelta
            >>> Rule.inactivity("dormant", points=-15, window=timedelta(days=90)).points
            -15
        """
        return cls(
            id=id,
            kind=RuleKind.INACTIVITY,
            points=points,
            window=window,
            kinds=_kinds(kinds),
            channels=_channels(channels),
        )
