"""Engagement rules: points for what the lead did, read from its touchpoints up to the scoring time.

Each kind is one small class holding only its fields, its checks, its description
and its evaluation (:meth:`evaluator`, which the scoring model compiles once):
:class:`EachTouch` (points per matching touch, decayed), :class:`RecentTouch` (the
latest matching touch is recent) and :class:`NoRecentTouch` (no matching touch
lately, usually negative points).

The model makes one pass over a lead's touchpoints and, per rule, tallies the matching
touches within the rule's window: how many it counted and their summed decay weights
(rules that count touches), and the age of the newest one.
The rule's evaluator turns that tally into a :class:`Contribution`, or ``None`` when it
does not fire.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import ClassVar, TypeAlias

import attrs

from salesmark import _validators as v
from salesmark.scoring import _checks
from salesmark.scoring.contributions import Contribution, Dimension

__all__ = [
    "ENGAGEMENT_RULES",
    "EachTouch",
    "EngagementRule",
    "NoRecentTouch",
    "RecentTouch",
    "TouchEvaluator",
]

TouchEvaluator: TypeAlias = Callable[[int, float, float], "Contribution | None"]
"""A compiled engagement rule: ``(hits, weight, newest) -> Contribution | None``.

``hits`` is how many matching touches were counted (with a decay weight above 0),
``weight`` the sum of their decay weights and ``newest`` the age in seconds of the
newest matching touch within the rule's window (``inf`` when there is none).
It is a pure function of the tally, so the model works out once what it gives a lead
without a matching touch (``(0, 0.0, inf)``) and asks it only about the others.

Example:
    >>> evaluate: TouchEvaluator = EachTouch(id="visits", points=2).evaluator()
    >>> evaluate(3, 2.5, 60.0).points
    5.0
"""


def _touches(kinds: tuple[str, ...], channels: tuple[str, ...], window: object) -> str:
    """The touches a rule looks at, in words: ``webinar/demo via events within 30d``."""
    what = "/".join(kinds) or "any touch"
    if channels:
        what += " via " + "/".join(channels)
    within = f" within {window.days}d" if isinstance(window, timedelta) else ""
    return what + within


def _matches(
    kinds: tuple[str, ...], channels: tuple[str, ...], kind: object, channel: object
) -> bool:
    return (not kinds or kind in kinds) and (not channels or channel in channels)


@attrs.frozen(kw_only=True)
class EachTouch:
    """An engagement rule: ``points`` per matching touch, decayed, from ``at_least`` touches on.

    Each matching touch adds ``points`` times its weight under the model's decay; the
    rule fires only when at least ``at_least`` touches counted, and its contribution
    is bounded in size by ``cap``.

    Attributes:
        id: Unique within the model, shown in explanations.
        points: Points per touch (before decay); may be negative; at most 1,000,000 either way.
        kinds: The touchpoint kinds it counts (empty: every kind).
        channels: The channels it counts (empty: every channel).
        window: Only touches at most this old at scoring time count (``None``: any age).
        at_least: The rule fires only from this many counted touches on (at least 1).
        cap: The largest size (absolute value) its contribution can reach, or ``None``.
        label: A human description for reports (empty for none).
        kind: ``"touches"``, the tag of this kind in stored models (a class attribute).
        dimension: :attr:`Dimension.ENGAGEMENT` (a class attribute).
        counts_touches: ``True`` (a class attribute): the model tallies the touches it
            counts, and asks it to evaluate only a lead with at least one.

    Raises:
        ValidationError: If ``kinds`` or ``channels`` is a lone string or holds
            something else, the window is not positive, ``at_least`` is not a whole
            number of at least 1, or the cap is not above 0.

    Example:
        >>> from salesmark import TouchpointKind
        >>> rule = EachTouch(id="webinars", points=8, kinds=[TouchpointKind.WEBINAR], cap=24)
        >>> rule.description
        'each webinar'
        >>> rule.evaluator()(2, 1.5, 86400.0)
        Contribution(rule_id='webinars', dimension=<Dimension.ENGAGEMENT: 'engagement'>, points=12.0, hits=2, not_evaluated=None)
    """

    kind: ClassVar[str] = "touches"
    dimension: ClassVar[Dimension] = Dimension.ENGAGEMENT
    counts_touches: ClassVar[bool] = True

    id: str = attrs.field(validator=v.non_empty_text)
    points: float = attrs.field(validator=_checks.points)
    kinds: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.kind_tuple, validator=_checks.kind_items
    )
    channels: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.channel_tuple, validator=_checks.channel_items
    )
    window: timedelta | None = attrs.field(default=None, validator=_checks.optional_window)
    at_least: int = attrs.field(default=1, validator=v.whole(1))
    cap: float | None = attrs.field(default=None, validator=v.optional_positive)
    label: str = attrs.field(default="", validator=v.instance_of(str))

    @property
    def description(self) -> str:
        """The label, or ``each <touches>`` when there is none.

        Example:
            >>> from datetime import timedelta
            >>> from salesmark import TouchpointKind
            >>> EachTouch(id="w", points=5, kinds=[TouchpointKind.WEBINAR], channels=["events"],
            ...           window=timedelta(days=30)).description
            'each webinar via events within 30d'
        """
        return self.label or f"each {_touches(self.kinds, self.channels, self.window)}"

    def matches(self, kind: str, channel: str) -> bool:
        """Whether a touch of ``kind`` on ``channel`` is one this rule looks at (at any age).

        Example:
            >>> from salesmark import TouchpointKind
            >>> rule = EachTouch(id="ps", points=1, channels=["paid_search"])
            >>> rule.matches(TouchpointKind.AD_CLICK, "paid_search"), rule.matches(TouchpointKind.AD_CLICK, "email")
            (True, False)
        """
        return _matches(self.kinds, self.channels, kind, channel)

    def evaluator(self) -> TouchEvaluator:
        """A fast function from a lead's tally of matching touches to this rule's contribution.

        Example:
            >>> rule = EachTouch(id="w", points=5, at_least=2, cap=8)
            >>> rule.evaluator()(1, 1.0, 0.0) is None, rule.evaluator()(3, 3.0, 0.0).points
            (True, 8)
        """
        at_least, per_touch, cap, rule_id = self.at_least, self.points, self.cap, self.id
        engagement = Dimension.ENGAGEMENT
        new = object.__new__
        set_ = object.__setattr__

        def evaluate(hits: int, weight: float, _newest: float) -> Contribution | None:
            if hits < at_least:
                return None
            points = per_touch * weight
            if cap is not None:
                points = max(-cap, min(cap, points))
            # built without attrs' __init__: this runs once per lead and rule
            c = new(Contribution)
            set_(c, "rule_id", rule_id)
            set_(c, "dimension", engagement)
            set_(c, "points", points)
            set_(c, "hits", hits)
            set_(c, "not_evaluated", None)
            return c

        return evaluate


@attrs.frozen(kw_only=True)
class RecentTouch:
    """An engagement rule: the latest matching touch is at most ``window`` old.

    It is not decayed: it looks at time itself.

    Attributes:
        id: Unique within the model, shown in explanations.
        points: Points earned when it holds; may be negative; at most 1,000,000 either way.
        window: How old the latest matching touch may be (a positive timedelta).
        kinds: The touchpoint kinds it looks at (empty: every kind).
        channels: The channels it looks at (empty: every channel).
        label: A human description for reports (empty for none).
        kind: ``"recency"``, the tag of this kind in stored models (a class attribute).
        dimension: :attr:`Dimension.ENGAGEMENT` (a class attribute).
        counts_touches: ``False`` (a class attribute): only the newest touch matters.

    Raises:
        ValidationError: If the window is not a positive timedelta, or ``kinds`` or
            ``channels`` is not a sequence of kinds or channel names.

    Example:
        >>> from datetime import timedelta
        >>> rule = RecentTouch(id="active-7d", points=10, window=timedelta(days=7))
        >>> rule.description
        'latest any touch within 7d'
        >>> rule.evaluator()(0, 0.0, 3 * 86400.0).points
        10
    """

    kind: ClassVar[str] = "recency"
    dimension: ClassVar[Dimension] = Dimension.ENGAGEMENT
    counts_touches: ClassVar[bool] = False

    id: str = attrs.field(validator=v.non_empty_text)
    points: float = attrs.field(validator=_checks.points)
    window: timedelta = attrs.field(validator=v.positive_duration)
    kinds: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.kind_tuple, validator=_checks.kind_items
    )
    channels: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.channel_tuple, validator=_checks.channel_items
    )
    label: str = attrs.field(default="", validator=v.instance_of(str))

    @property
    def description(self) -> str:
        """The label, or ``latest <touches> within <days>d`` when there is none.

        Example:
            >>> from datetime import timedelta
            >>> RecentTouch(id="r", points=3, window=timedelta(days=14), channels=["email"]).description
            'latest any touch via email within 14d'
        """
        return self.label or f"latest {_touches(self.kinds, self.channels, self.window)}"

    def matches(self, kind: str, channel: str) -> bool:
        """Whether a touch of ``kind`` on ``channel`` is one this rule looks at (at any age).

        Example:
            >>> from datetime import timedelta
            >>> from salesmark import TouchpointKind
            >>> rule = RecentTouch(id="r", points=3, window=timedelta(days=7), kinds=[TouchpointKind.DEMO])
            >>> rule.matches(TouchpointKind.DEMO, "sales"), rule.matches(TouchpointKind.EMAIL, "sales")
            (True, False)
        """
        return _matches(self.kinds, self.channels, kind, channel)

    def evaluator(self) -> TouchEvaluator:
        """A fast function from a lead's tally of matching touches to this rule's contribution.

        Example:
            >>> from datetime import timedelta
            >>> rule = RecentTouch(id="r", points=10, window=timedelta(days=7))
            >>> rule.evaluator()(0, 0.0, float("inf")) is None
            True
        """
        constant = Contribution(rule_id=self.id, dimension=Dimension.ENGAGEMENT, points=self.points)
        limit = self.window.total_seconds()

        def evaluate(_hits: int, _weight: float, newest: float) -> Contribution | None:
            return constant if newest <= limit else None

        return evaluate


@attrs.frozen(kw_only=True)
class NoRecentTouch:
    """An engagement rule: no matching touch in the last ``window`` (the lead went quiet).

    It usually takes points away, and is not decayed: it looks at time itself.

    Attributes:
        id: Unique within the model, shown in explanations.
        points: Points earned when it holds; usually negative; at most 1,000,000 either way.
        window: How long the lead must have been without a matching touch (positive).
        kinds: The touchpoint kinds it looks at (empty: every kind).
        channels: The channels it looks at (empty: every channel).
        label: A human description for reports (empty for none).
        kind: ``"inactivity"``, the tag of this kind in stored models (a class attribute).
        dimension: :attr:`Dimension.ENGAGEMENT` (a class attribute).
        counts_touches: ``False`` (a class attribute): only the newest touch matters.

    Raises:
        ValidationError: If the window is not a positive timedelta, or ``kinds`` or
            ``channels`` is not a sequence of kinds or channel names.

    Example:
        >>> from datetime import timedelta
        >>> rule = NoRecentTouch(id="dormant", points=-15, window=timedelta(days=90))
        >>> rule.description, rule.points
        ('no any touch within 90d', -15)
    """

    kind: ClassVar[str] = "inactivity"
    dimension: ClassVar[Dimension] = Dimension.ENGAGEMENT
    counts_touches: ClassVar[bool] = False

    id: str = attrs.field(validator=v.non_empty_text)
    points: float = attrs.field(validator=_checks.points)
    window: timedelta = attrs.field(validator=v.positive_duration)
    kinds: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.kind_tuple, validator=_checks.kind_items
    )
    channels: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.channel_tuple, validator=_checks.channel_items
    )
    label: str = attrs.field(default="", validator=v.instance_of(str))

    @property
    def description(self) -> str:
        """The label, or ``no <touches> within <days>d`` when there is none.

        Example:
            >>> from datetime import timedelta
            >>> NoRecentTouch(id="i", points=-1, window=timedelta(days=9), label="Went quiet").description
            'Went quiet'
        """
        return self.label or f"no {_touches(self.kinds, self.channels, self.window)}"

    def matches(self, kind: str, channel: str) -> bool:
        """Whether a touch of ``kind`` on ``channel`` is one this rule looks at (at any age).

        Example:
            >>> from datetime import timedelta
            >>> from salesmark import TouchpointKind
            >>> NoRecentTouch(id="i", points=-5, window=timedelta(days=30)).matches(TouchpointKind.EMAIL, "crm")
            True
        """
        return _matches(self.kinds, self.channels, kind, channel)

    def evaluator(self) -> TouchEvaluator:
        """A fast function from a lead's tally of matching touches to this rule's contribution.

        Example:
            >>> from datetime import timedelta
            >>> rule = NoRecentTouch(id="quiet", points=-20, window=timedelta(days=90))
            >>> rule.evaluator()(0, 0.0, float("inf")).points, rule.evaluator()(0, 0.0, 60.0)
            (-20, None)
        """
        constant = Contribution(rule_id=self.id, dimension=Dimension.ENGAGEMENT, points=self.points)
        limit = self.window.total_seconds()

        def evaluate(_hits: int, _weight: float, newest: float) -> Contribution | None:
            return None if newest <= limit else constant

        return evaluate


EngagementRule: TypeAlias = EachTouch | RecentTouch | NoRecentTouch
"""Any engagement rule.

Example:
    >>> rule: EngagementRule = EachTouch(id="visits", points=1)
    >>> rule.dimension.value
    'engagement'
"""

ENGAGEMENT_RULES: tuple[type[EachTouch], type[RecentTouch], type[NoRecentTouch]] = (
    EachTouch,
    RecentTouch,
    NoRecentTouch,
)
"""The engagement rule classes, for ``isinstance`` checks.

Example:
    >>> [cls.kind for cls in ENGAGEMENT_RULES]
    ['touches', 'recency', 'inactivity']
"""
