"""Leads: who they are, where they came from, what they did and where they stand.

A :class:`Lead` keeps its source, firmographic and demographic attributes, every
touchpoint in time order and its full stage history. Moving a lead returns a new lead;
the lifecycle decides which moves are legal.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Final, Union

import attrs

from salesmark import _display
from salesmark import _validators as v
from salesmark._stage_names import stage_field, stage_name
from salesmark._time import instant, require_aware
from salesmark.errors import IllegalTransition, ValidationError
from salesmark.lifecycle import DEMAND_WATERFALL, Lifecycle
from salesmark.money import Money
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint

__all__ = [
    "ATTRIBUTE_INT_BOUND",
    "AttributeValue",
    "Lead",
    "LeadKey",
    "LeadSource",
    "StageChange",
    "lead_key",
]

AttributeValue = Union[str, int, float, bool]  # noqa: UP007 (a runtime alias cattrs reads)
"""A lead attribute: text (industry, region, role) or a number (company size).

Numbers are bounded: an int lies strictly between ``-2**63`` and ``2**63`` (what a
64-bit column of a database, a DataFrame or a CRM export holds), a float is finite.
"""

ATTRIBUTE_INT_BOUND: Final = 2**63
"""An integer attribute's absolute value is below this bound."""


def _attributes(value: Mapping[str, AttributeValue]) -> Mapping[str, AttributeValue]:
    try:
        frozen = v.freeze_mapping(value)
    except ValidationError as exc:
        exc.path = "/attributes"
        raise
    for key, item in frozen.items():
        if not isinstance(key, str) or not key:
            msg = f"Lead.attributes keys must be non-empty strings, got {key!r}"
            raise ValidationError(
                msg, path="/attributes", value=key, expected="a non-empty string key"
            )
        if isinstance(item, str | bool):
            continue
        if not isinstance(item, int | float):
            msg = f"Lead.attributes[{key!r}] must be text, a number or a bool, got {item!r}"
        elif isinstance(item, float) and not math.isfinite(item):
            msg = f"Lead.attributes[{key!r}] must be a finite number, got {item!r}"
        elif isinstance(item, int) and not -ATTRIBUTE_INT_BOUND < item < ATTRIBUTE_INT_BOUND:
            msg = (
                f"Lead.attributes[{key!r}] must be an integer strictly between -2**63 and "
                f"2**63, got {v.shown(item)}"
            )
        else:
            continue
        path = v.pointer("attributes", key)
        raise ValidationError(msg, path=path, value=item, expected=_ATTRIBUTE)
    return frozen


_ATTRIBUTE: Final = "text, a finite number (an integer within ±2**63) or true/false"


def _touchpoints(value: Iterable[Touchpoint]) -> tuple[Touchpoint, ...]:
    try:
        touches = v.sequence(value, "Lead.touchpoints", "touchpoints")
    except ValidationError as exc:
        exc.path = "/touchpoints"
        raise
    for index, touch in enumerate(touches):
        if not isinstance(touch, Touchpoint):
            msg = f"Lead.touchpoints[{index}] must be a Touchpoint, got {touch!r}"
            raise ValidationError(
                msg, path=f"/touchpoints/{index}", value=touch, expected="a Touchpoint"
            )
    return tuple(sorted(touches, key=_touch_instant))


def _touch_instant(touch: Touchpoint) -> datetime:
    return instant(touch.at)


def _optional_code(value: str | None) -> str | None:
    return None if value is None else stage_name(value)


if TYPE_CHECKING:  # mypy is shown a plain function of the converter's types (see v.on_field)

    def _code_field(value: str | None) -> str | None: ...

else:
    _code_field = v.on_field(_optional_code)


@attrs.frozen(kw_only=True)
class LeadSource:
    """Where a lead came from, as tracked at capture (UTM-style).

    Attributes:
        source: e.g. ``"google"``, ``"linkedin"``, ``"newsletter"``.
        medium: e.g. ``"cpc"``, ``"organic"``, ``"email"``.
        channel: The channel group, e.g. ``"paid_search"``.
        campaign_id: The campaign that captured the lead, if known.
        landing_page: The page where the lead converted, if known.
    """

    source: str | None = attrs.field(default=None, validator=v.optional_text)
    medium: str | None = attrs.field(default=None, validator=v.optional_text)
    channel: str | None = attrs.field(default=None, validator=v.optional_text)
    campaign_id: str | None = attrs.field(default=None, validator=v.optional_text)
    landing_page: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class StageChange:
    """A lead entering a lifecycle stage.

    Attributes:
        stage: The stage entered.
        at: When (timezone-aware).
        by: The member who made the change, if known.
        reason: The reason code given, if any.
        competitor: On a lost deal (a move off the progression, e.g. ``opportunity ->
            lost``), the competitor the deal was lost to, if known: a non-blank name.

    Example:
        >>> from datetime import datetime, timezone
        >>> StageChange(stage="lost", at=datetime(2026, 5, 4, tzinfo=timezone.utc), reason="competitor", competitor="Globex").competitor
        'Globex'
        >>> StageChange(stage="lost", at=datetime(2026, 5, 4, tzinfo=timezone.utc), competitor=" ")
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: StageChange.competitor must be a non-empty string, got ' '
    """

    stage: str = attrs.field(converter=stage_field)
    at: datetime = attrs.field(validator=v.aware)
    by: str | None = attrs.field(default=None, validator=v.optional_text)
    reason: str | None = attrs.field(default=None, converter=_code_field)
    competitor: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class Lead:
    """A lead: a potential buyer followed from first touch to won or lost.

    Build new leads with :meth:`Lead.create`; the plain constructor takes a full
    history (as serialization does).

    Attributes:
        id: Unique identifier.
        created_at: When the lead was captured (timezone-aware).
        history: Every stage change in time order; the last is the current stage.
        source: Where the lead came from, or ``None`` when nobody knows.
        attributes: Firmographic and demographic values, e.g. ``{"industry": "retail",
            "employees": 250}``.
        persona_id: The buyer persona the lead was matched to, if any.
        owner_id: The member who owns the lead, if assigned.
        value: The deal value (expected, or actual once won), if known.
        touchpoints: Every interaction, in time order (sorted on construction).
        account_id: The account (company) the lead belongs to, for account-based views.

    Raises:
        ValidationError: If the history is empty, goes back in time, or starts
            before ``created_at``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import Stage
        >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="L1", created_at=t0)
        >>> lead = lead.advance(Stage.MQL, at=t0.replace(hour=10))
        >>> lead.stage
        'mql'
        >>> lead.advance(Stage.WON, at=t0.replace(hour=11))
        Traceback (most recent call last):
        ...
        salesmark.errors.IllegalTransition: cannot move a lead from 'mql' to 'won' in lifecycle 'demand_waterfall'; from 'mql' it can move to: 'sal', 'rejected', 'recycled'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    created_at: datetime = attrs.field(validator=v.aware)
    history: tuple[StageChange, ...] = attrs.field(
        converter=v.tuple_field, validator=v.items_of(StageChange)
    )
    source: LeadSource | None = attrs.field(
        default=None, validator=v.optional_instance_of(LeadSource)
    )
    attributes: Mapping[str, AttributeValue] = attrs.field(
        factory=dict, converter=_attributes, hash=False
    )
    persona_id: str | None = attrs.field(default=None, validator=v.optional_text)
    owner_id: str | None = attrs.field(default=None, validator=v.optional_text)
    value: Money | None = attrs.field(default=None, validator=v.optional_instance_of(Money))
    touchpoints: tuple[Touchpoint, ...] = attrs.field(default=(), converter=_touchpoints)
    account_id: str | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if not self.history:
            msg = f"Lead.history of lead {self.id!r} must hold at least its first stage"
            raise ValidationError(msg, path="/history", value=(), expected="at least one stage")
        if instant(self.history[0].at) < instant(self.created_at):
            msg = (
                f"Lead.history[0].at of lead {self.id!r} is {self.history[0].at.isoformat()}, "
                f"before created_at {self.created_at.isoformat()}"
            )
            raise ValidationError(msg, path="/history/0/at", value=self.history[0].at)
        for index in range(1, len(self.history)):
            if instant(self.history[index].at) < instant(self.history[index - 1].at):
                msg = (
                    f"Lead.history[{index}].at of lead {self.id!r} is "
                    f"{self.history[index].at.isoformat()}, before the previous change at "
                    f"{self.history[index - 1].at.isoformat()}; time never goes backwards"
                )
                raise ValidationError(
                    msg, path=f"/history/{index}/at", value=self.history[index].at
                )

    @classmethod
    def create(
        cls,
        *,
        id: str,  # noqa: A002 (the domain's name for it)
        created_at: datetime,
        stage: str | None = None,
        lifecycle: Lifecycle = DEMAND_WATERFALL,
        source: LeadSource | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
        persona_id: str | None = None,
        owner_id: str | None = None,
        value: Money | None = None,
        touchpoints: Iterable[Touchpoint] = (),
        account_id: str | None = None,
    ) -> Lead:
        """Capture a new lead in ``stage`` (the lifecycle's initial stage by default).

        Example:
            >>> from datetime import datetime, timezone
            >>> Lead.create(id="L7", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc)).stage
            'inquiry'
        """
        start = lifecycle.initial if stage is None else stage_name(stage)
        if not lifecycle.has_stage(start):
            msg = f"Lead.create stage {start!r} is not in lifecycle {lifecycle.name!r}"
            raise IllegalTransition(msg)
        require_aware(created_at, "Lead.created_at")
        return cls(
            id=id,
            created_at=created_at,
            history=(StageChange(stage=start, at=created_at),),
            source=source,
            attributes={} if attributes is None else attributes,
            persona_id=persona_id,
            owner_id=owner_id,
            value=value,
            touchpoints=touchpoints,  # a lone string is refused, not read letter by letter
            account_id=account_id,
        )

    @property
    def stage(self) -> str:
        """The current lifecycle stage."""
        return self.history[-1].stage

    @property
    def channel(self) -> str | None:
        """The source channel, or ``None`` when the lead has no known source."""
        return None if self.source is None else self.source.channel

    @property
    def campaign_id(self) -> str | None:
        """The source campaign, or ``None``."""
        return None if self.source is None else self.source.campaign_id

    def entered(self, stage: str) -> datetime | None:
        """When the lead first entered ``stage``, or ``None`` if it never did.

        Example:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> Lead.create(id="L", created_at=t0).entered("inquiry") == t0
            True
        """
        name = stage_name(stage)
        for change in self.history:
            if change.stage == name:
                return change.at
        return None

    def stage_as_of(self, at: datetime) -> str | None:
        """The lead's stage as of the instant ``at``: its latest entry strictly before ``at``.

        Whatever period the entry fell in: an opportunity opened in April and left
        alone is still an opportunity as of the end of May. ``None`` when the lead had
        not been captured yet (its first stage change is at or after ``at``). Periods
        are half-open, so the state at a period's end is the state as of ``period.end``.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> t0 = datetime(2026, 4, 3, tzinfo=timezone.utc)
            >>> lead = Lead.create(id="L", created_at=t0).advance("mql", at=t0 + timedelta(days=2))
            >>> lead.stage_as_of(t0), lead.stage_as_of(t0 + timedelta(days=2)), lead.stage_as_of(t0 + timedelta(days=60))
            (None, 'inquiry', 'mql')
        """
        moment = instant(require_aware(at, "Lead.stage_as_of at"))
        current: str | None = None
        for change in self.history:
            if instant(change.at) >= moment:
                break
            current = change.stage
        return current

    def has_reached(self, stage: str) -> bool:
        """Whether the lead ever entered ``stage``."""
        return self.entered(stage) is not None

    @property
    def first_follow_up(self) -> Touchpoint | None:
        """The first sales touchpoint at or after the lead was created, if any."""
        for touch in self.touchpoints:
            if touch.team is Team.SALES and instant(touch.at) >= instant(self.created_at):
                return touch
        return None

    def advance(
        self,
        to: str,
        *,
        at: datetime,
        by: str | None = None,
        reason: str | None = None,
        lifecycle: Lifecycle = DEMAND_WATERFALL,
        competitor: str | None = None,
    ) -> Lead:
        """Return this lead moved to stage ``to`` at time ``at``.

        Args:
            to: The stage to enter.
            at: When the move happened; not before the last change.
            by: The member who made the move.
            reason: The reason code; required by moves that reject, disqualify,
                lose or recycle a lead.
            lifecycle: The lifecycle whose rules apply (the demand waterfall by default).
            competitor: The competitor the deal was lost to; only on a move off the
                lifecycle's progression (a lost deal).

        Raises:
            IllegalTransition: If the lifecycle does not allow the move.
            MissingReason: If the move needs a reason code and none valid was given.
            NaiveDatetime: If ``at`` has no timezone.
            ValidationError: If ``at`` is before the lead's last stage change, or a
                competitor is given on a move along the progression.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 5, 4, tzinfo=timezone.utc)
            >>> deal = Lead.create(id="D", created_at=t, stage="opportunity")
            >>> deal.advance("lost", at=t, reason="competitor", competitor="Globex").history[-1].competitor
            'Globex'
            >>> deal.advance("won", at=t, competitor="Globex")
            Traceback (most recent call last):
            ...
            salesmark.errors.ValidationError: Lead.advance competitor is recorded only on a lost deal (a move off the progression), got competitor='Globex' for 'opportunity' -> 'won'
        """
        require_aware(at, "Lead.advance at")
        lifecycle.check(self.stage, to, reason)
        if competitor is not None and stage_name(to) in lifecycle.progression:
            msg = (
                f"Lead.advance competitor is recorded only on a lost deal (a move off the "
                f"progression), got competitor={competitor!r} for {self.stage!r} -> {stage_name(to)!r}"
            )
            raise ValidationError(msg)
        last = self.history[-1].at
        if instant(at) < instant(last):
            msg = (
                f"Lead.advance at={at.isoformat()} is before the last stage change of lead "
                f"{self.id!r} at {last.isoformat()}; time never goes backwards"
            )
            raise ValidationError(msg)
        change = StageChange(stage=to, at=at, by=by, reason=reason, competitor=competitor)
        return attrs.evolve(self, history=(*self.history, change))

    def with_touchpoint(self, touchpoint: Touchpoint) -> Lead:
        """Return this lead with one more touchpoint (kept in time order)."""
        return attrs.evolve(self, touchpoints=(*self.touchpoints, touchpoint))

    def assigned_to(self, owner_id: str) -> Lead:
        """Return this lead assigned to ``owner_id``."""
        return attrs.evolve(self, owner_id=owner_id)

    def __repr__(self) -> str:
        source = "no source" if self.channel is None else f"channel {self.channel!r}"
        value = "" if self.value is None else f", value {self.value.amount} {self.value.currency}"
        return (
            f"Lead({self.id!r}, stage {self.stage!r}, {source}, created "
            f"{self.created_at.date()}, {len(self.history)} stage changes, "
            f"{len(self.touchpoints)} touchpoints{value})"
        )

    def _repr_html_(self) -> str:
        """The lead in a notebook: its facts, its stage history and its touch timeline."""
        source = self.source or LeadSource()
        facts = [
            ("stage", self.stage),
            ("created", self.created_at),
            ("channel", source.channel),
            ("source / medium", f"{source.source or '-'} / {source.medium or '-'}"),
            ("campaign", source.campaign_id),
            ("owner", self.owner_id),
            ("persona", self.persona_id),
            ("account", self.account_id),
            ("value", None if self.value is None else f"{self.value.amount} {self.value.currency}"),
            ("attributes", ", ".join(f"{k}={x}" for k, x in self.attributes.items()) or None),
        ]
        history = [
            {"at": c.at, "stage": c.stage, "by": c.by, "reason": c.reason} for c in self.history
        ]
        touches = [
            {
                "at": t.at,
                "kind": t.kind,
                "channel": t.channel,
                "team": t.team.value,
                "campaign": t.campaign_id,
                "by": t.member_id,
            }
            for t in self.touchpoints
        ]
        extra = _display.table(history, caption="stage history") + _display.table(
            touches, caption=f"touch timeline ({len(touches)} touchpoints)"
        )
        return _display.fields(facts, caption=repr(self), extra=extra)


LeadKey = Union[str, Callable[["Lead"], Hashable]]  # noqa: UP007 (a runtime alias)
"""How to group leads: a field name (see :func:`lead_key`) or a function of the lead."""

_FIELDS: dict[str, Callable[[Lead], Hashable]] = {
    "channel": lambda lead: lead.channel,
    "campaign_id": lambda lead: lead.campaign_id,
    "source": lambda lead: None if lead.source is None else lead.source.source,
    "medium": lambda lead: None if lead.source is None else lead.source.medium,
    "landing_page": lambda lead: None if lead.source is None else lead.source.landing_page,
    "persona_id": lambda lead: lead.persona_id,
    "owner_id": lambda lead: lead.owner_id,
    "account_id": lambda lead: lead.account_id,
}


def lead_key(by: LeadKey) -> Callable[[Lead], Hashable]:
    """Turn a field name or a function into a function from a lead to its group key.

    This is the one grouping vocabulary of salesmark: the funnel split, lead quality
    and the closed loop all group leads through it. Field names: ``channel``, ``campaign_id``, ``source``, ``medium``, ``landing_page``
    (from the lead's source; ``None`` when it has none), ``persona_id``, ``owner_id``,
    ``account_id``, and ``attributes.<name>`` for a lead attribute (``None`` when unset).

    Raises:
        ValidationError: If ``by`` is neither a known field name nor callable.

    Example:
        >>> from datetime import datetime, timezone
        >>> lead = Lead.create(id="L", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc),
        ...                    attributes={"industry": "retail"})
        >>> lead_key("attributes.industry")(lead), lead_key("channel")(lead)
        ('retail', None)
    """
    if callable(by):
        return by
    if isinstance(by, str):
        if by in _FIELDS:
            return _FIELDS[by]
        if by.startswith("attributes.") and len(by) > len("attributes."):
            name = by[len("attributes.") :]
            return lambda lead: lead.attributes.get(name)
    known = ", ".join([*_FIELDS, "attributes.<name>"])
    msg = f"a lead key must be a function or one of {known}; got {by!r}"
    raise ValidationError(msg)
