"""Journeys: one buyer's touches up to a conversion, built from leads.

A :class:`Journey` is one buyer's ordered touches, whether they converted, what the
conversion was worth and, in :class:`Milestones`, which touches created the lead and
the opportunity and closed the deal. :func:`journeys_from_leads` turns each lead into a
journey keyed by a touch field (``"channel"``, ``"campaign_id"`` or ``"content_id"``).
A :class:`Lookback` drops touches older than a window before the conversion, per
conversion type, as GA4 and Salesforce Campaign Influence do.

Example:
    >>> Journey.of("search", "email", converted=True).milestones
    Milestones(lead_created=None, opportunity_created=None, closed_won=None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final, Literal, get_args

import attrs

from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._frozen import FrozenMap
from salesmark._time import instant, require_aware
from salesmark.attribution._checks import Path, check_path, one_of
from salesmark.attribution.grouping import ChannelGrouping
from salesmark.errors import ValidationError, WrongType
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle, stage_name
from salesmark.money import Money
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint

__all__ = ["Journey", "Key", "Lookback", "Milestones", "journeys_from_leads"]

Key = Literal["channel", "campaign_id", "content_id"]
"""The :class:`~salesmark.Touchpoint` field a journey is keyed by: channel, campaign or content."""

_KEYS: Final = get_args(Key)
_RENAMED: Final = {"campaign": "campaign_id", "content": "content_id"}

_TOUCH_INDEX = attrs.validators.optional(v.whole())


@attrs.frozen(kw_only=True)
class Milestones:
    """Which touch of a journey marks each funnel milestone.

    Each field is the index (0-based) of the *last touch at or before* the milestone,
    or ``None`` when the milestone did not happen or no touch came before it.

    Attributes:
        lead_created: The lead-creation touch.
        opportunity_created: The opportunity-creation touch.
        closed_won: The closed-won touch.

    Example:
        >>> Milestones(lead_created=1, opportunity_created=2).closed_won is None
        True
    """

    lead_created: int | None = attrs.field(default=None, validator=_TOUCH_INDEX)
    opportunity_created: int | None = attrs.field(default=None, validator=_TOUCH_INDEX)
    closed_won: int | None = attrs.field(default=None, validator=_TOUCH_INDEX)

    def __attrs_post_init__(self) -> None:
        marks = [m for m in self.marks() if m is not None]
        if marks != sorted(marks):
            msg = (
                f"Milestones must come in funnel order (lead_created <= opportunity_created "
                f"<= closed_won), got {self.marks()!r}"
            )
            raise ValidationError(msg)

    def marks(self) -> tuple[int | None, int | None, int | None]:
        """The three indices as a tuple (lead, opportunity, won).

        Example:
            >>> Milestones(lead_created=0).marks()
            (0, None, None)
        """
        return (self.lead_created, self.opportunity_created, self.closed_won)


def _path(value: Iterable[str]) -> Path:
    return check_path(value, "Journey.path")


@attrs.frozen(kw_only=True)
class Journey:
    """One buyer's ordered touches, whether they converted and the conversion's value.

    Attributes:
        path: Channel names (or campaign or content ids) in time order; at least one.
        converted: Whether the journey ended in the conversion being attributed.
        value: What the conversion was worth (zero or more); only a converted journey
            has one.
        times: When each touch happened (timezone-aware, non-decreasing), or empty when
            unknown; :func:`~salesmark.attribution.time_decay` needs them.
        converted_at: When the conversion happened (not before the first touch);
            defaults to the last touch's time.
        milestones: Which touches created the lead and the opportunity, and closed
            the deal (see :class:`Milestones`).

    Raises:
        ValidationError: If the path is empty, ``times`` does not match the path,
            a milestone index is outside the path, a null journey carries a value, the
            value is negative, or ``converted_at`` comes before the first touch.

    Example:
        >>> j = Journey.of("search", "email", converted=True, value=Money.of(100, "EUR"))
        >>> j.path, j.converted
        (('search', 'email'), True)
    """

    path: Path = attrs.field(converter=_path)
    converted: bool = attrs.field(default=False, validator=v.instance_of(bool))
    value: Money | None = attrs.field(default=None, validator=v.optional_instance_of(Money))
    times: tuple[datetime, ...] = attrs.field(default=(), converter=v.tuple_field)
    converted_at: datetime | None = attrs.field(default=None, validator=v.optional_aware)
    milestones: Milestones = attrs.field(factory=Milestones, validator=v.instance_of(Milestones))

    def __attrs_post_init__(self) -> None:
        if self.value is not None and not self.converted:
            msg = (
                f"Journey.value must be None for a journey that did not convert, got {self.value!r}"
            )
            raise ValidationError(msg)
        if self.value is not None and self.value.amount < 0:
            msg = (
                f"Journey.value must be zero or more (a conversion brings value in; record a "
                f"refund elsewhere), got {self.value!r}"
            )
            raise ValidationError(msg)
        if (
            self.converted_at is not None
            and self.times
            and instant(self.converted_at) < instant(self.times[0])
        ):
            msg = (
                f"Journey.converted_at must not come before the first touch "
                f"({self.times[0].isoformat()}), got {self.converted_at.isoformat()}"
            )
            raise ValidationError(msg)
        if self.times:
            if len(self.times) != len(self.path):
                msg = (
                    f"Journey.times must give one time per touch ({len(self.path)}), "
                    f"got {len(self.times)}"
                )
                raise ValidationError(msg)
            for index, at in enumerate(self.times):
                require_aware(at, f"Journey.times[{index}]")
                if index and instant(at) < instant(self.times[index - 1]):
                    msg = f"Journey.times must not go back in time, got {at.isoformat()} at index {index}"
                    raise ValidationError(msg)
        for name, mark in zip(
            ("lead_created", "opportunity_created", "closed_won"),
            self.milestones.marks(),
            strict=False,
        ):
            if mark is not None and mark >= len(self.path):
                msg = (
                    f"Journey.milestones.{name} must index a touch of the path "
                    f"(0..{len(self.path) - 1}), got {mark}"
                )
                raise ValidationError(msg)

    @classmethod
    def of(cls, *path: str, converted: bool = False, value: Money | None = None) -> Journey:
        """Build a journey from channel names, without times or milestones.

        Example:
            >>> Journey.of("a", "b").converted
            False
        """
        return cls(path=path, converted=converted, value=value)

    @property
    def reference_time(self) -> datetime | None:
        """The conversion time, else the last touch's time, else ``None``.

        Example:
            >>> Journey.of("a").reference_time is None
            True
        """
        if self.converted_at is not None:
            return self.converted_at
        return self.times[-1] if self.times else None


def _windows(value: Mapping[str, timedelta]) -> Mapping[str, timedelta]:
    v.require(value, Mapping, "Lookback.windows")  # type: ignore[type-abstract]
    out: dict[str, timedelta] = {}
    for stage, window in value.items():
        name = stage_name(stage)
        out[name] = v.require_positive_duration(window, f"Lookback.windows[{name!r}]")
    return FrozenMap(out)


def _default(value: timedelta | None) -> timedelta | None:
    return None if value is None else v.require_positive_duration(value, "Lookback.default")


@attrs.frozen(kw_only=True)
class Lookback:
    """How far back before a conversion touches still count, per conversion type.

    Attributes:
        windows: Conversion stage (e.g. ``"opportunity"``, ``"won"``) -> window.
        default: The window for stages not listed; ``None`` keeps every touch.

    Example:
        >>> lb = Lookback(windows={"opportunity": timedelta(days=30)}, default=timedelta(days=90))
        >>> lb.window_for("opportunity").days, lb.window_for("won").days
        (30, 90)
        >>> Lookback.none().window_for("won") is None
        True
    """

    windows: Mapping[str, timedelta] = attrs.field(factory=dict, converter=_windows, hash=False)
    default: timedelta | None = attrs.field(default=None, converter=_default)

    @classmethod
    def none(cls) -> Lookback:
        """No window: every touch before the conversion counts (the default).

        Example:
            >>> Lookback.none().default is None
            True
        """
        return cls()

    @classmethod
    def of(cls, window: timedelta) -> Lookback:
        """The same window for every conversion type.

        Example:
            >>> Lookback.of(timedelta(days=90)).window_for("won").days
            90
        """
        return cls(default=window)

    def window_for(self, stage: str) -> timedelta | None:
        """The window for conversions at ``stage``, or ``None`` for no window.

        Example:
            >>> Lookback.of(timedelta(days=7)).window_for("mql").days
            7
        """
        return self.windows.get(stage_name(stage), self.default)


def as_lookback(value: Lookback | timedelta | None, caller: str) -> Lookback:
    """``value`` as a :class:`Lookback` (a timedelta is one window for every stage)."""
    if value is None:
        return Lookback.none()
    if isinstance(value, timedelta):
        return Lookback.of(value)
    if not isinstance(value, Lookback):
        msg = f"{caller} lookback must be a Lookback, a timedelta or None, got {value!r}"
        raise WrongType(msg)
    return value


def touch_key(touch: Touchpoint, key: str, unset: str | None) -> str | None:
    """The name a touch is credited under for ``key`` (``unset`` when it has none)."""
    if key == "channel":
        return touch.channel
    name = touch.campaign_id if key == "campaign_id" else touch.content_id
    return unset if name is None else name


def check_key(key: object, caller: str) -> str:
    """``key`` if it names a touch field journeys can be keyed by, else an error naming them."""
    if key in _RENAMED:
        msg = (
            f"{caller} key must be one of {', '.join(map(repr, _KEYS))}, got {key!r} "
            f"(renamed {_RENAMED[str(key)]!r}, after the Touchpoint field)"
        )
        raise ValidationError(msg)
    return one_of(key, f"{caller} key", _KEYS)


def build_journey(
    touches: Sequence[Touchpoint],
    *,
    key: str,
    unset: str | None,
    converted_at: datetime | None,
    window: timedelta | None,
    value: Money | None,
    milestone_times: tuple[datetime | None, datetime | None, datetime | None],
) -> Journey | None:
    """One journey from time-ordered touches, or ``None`` when no touch is left."""
    end = converted_at if converted_at is not None else (touches[-1].at if touches else None)
    stop = None if converted_at is None else instant(converted_at)
    start = None if window is None or end is None else instant(end) - window
    kept: list[tuple[str, datetime]] = []
    for touch in touches:
        at = instant(touch.at)
        if stop is not None and at > stop:
            break
        if start is not None and at < start:
            continue
        name = touch_key(touch, key, unset)
        if name is not None:
            kept.append((name, touch.at))
    if not kept:
        return None
    times = tuple(at for _name, at in kept)
    marks: list[int | None] = []
    for moment in milestone_times:
        index = None
        if moment is not None:
            until = instant(moment)
            for i, when in enumerate(times):
                if instant(when) <= until:
                    index = i
                else:
                    break
        marks.append(index)
    return Journey(
        path=tuple(name for name, _at in kept),
        converted=converted_at is not None,
        value=value if converted_at is not None else None,
        times=times,
        converted_at=converted_at,
        milestones=Milestones(
            lead_created=marks[0], opportunity_created=marks[1], closed_won=marks[2]
        ),
    )


def conversion_stages(
    lifecycle: Lifecycle, converted_at: str | None, caller: str
) -> tuple[str, str, str]:
    """The conversion, opportunity and won stages of ``lifecycle``, checked."""
    v.require(lifecycle, Lifecycle, f"{caller} lifecycle")
    path = lifecycle.progression
    won = path[-1] if path else lifecycle.initial
    opportunity = path[-2] if len(path) > 1 else won
    stage = won if converted_at is None else stage_name(converted_at)
    if not lifecycle.has_stage(stage):
        msg = (
            f"{caller} converted_at {stage!r} is not a stage of lifecycle "
            f"{lifecycle.name!r}; stages are {list(lifecycle.stage_names)}"
        )
        raise ValidationError(msg)
    return stage, opportunity, won


def check_value(lead: Lead, index: int, caller: str) -> None:
    """Refuse a lead whose value is negative: a conversion brings value in."""
    if lead.value is not None and lead.value.amount < 0:
        msg = (
            f"{caller} leads[{index}] (id {lead.id!r}) has a negative value {lead.value!r}; "
            "attribution shares conversion value, which is zero or more"
        )
        raise ValidationError(msg)


def check_grouping(grouping: object, key: str, caller: str) -> ChannelGrouping | None:
    """``grouping`` if it is a ChannelGrouping used with ``key="channel"``, else an error."""
    checked = v.require_optional(grouping, ChannelGrouping, f"{caller} grouping")
    if checked is not None and key != "channel":
        msg = f"{caller} grouping applies to key='channel' only, got key={key!r}"
        raise ValidationError(msg)
    return checked


def _teams(teams: Iterable[Team]) -> frozenset[Team]:
    kept = frozenset(teams)
    msg = (
        f"journeys_from_leads teams must be a non-empty set of Team members or None, got {teams!r}"
    )
    if not all(isinstance(t, Team) for t in kept):
        raise WrongType(msg)
    if not kept:
        raise ValidationError(msg)
    return kept


def journeys_from_leads(
    leads: Iterable[Lead],
    *,
    converted_at: str | None = None,
    key: Key = "channel",
    lookback: Lookback | timedelta | None = None,
    unset: str | None = "(not set)",
    teams: Iterable[Team] | None = None,
    lifecycle: Lifecycle,
    grouping: ChannelGrouping | None = None,
) -> tuple[Journey, ...]:
    """Build one journey per lead, up to the moment it converted.

    A lead *converted* if it ever entered the ``converted_at`` stage; its journey keeps
    the touches at or before that moment (within the lookback window) and its value.
    A lead that never converted keeps all its touches (the window then ends at its
    last touch). Milestones mark the last touch at or before the lead was created,
    became an opportunity and was won (the last two stages of the lifecycle's
    progression: ``"opportunity"`` and ``"won"`` in the demand waterfall). A lead left
    with no touch is skipped: there is nothing to credit.

    Args:
        leads: The leads.
        converted_at: The stage that counts as the conversion; the lifecycle's won
            stage (``"won"``) by default. It must be a stage of ``lifecycle``, so a
            typo is an error rather than a silent "nothing converted".
        key: The touch field to credit: ``"channel"`` names, ``"campaign_id"`` or
            ``"content_id"`` (the :class:`~salesmark.Touchpoint` fields).
        lookback: A :class:`Lookback`, one window for every stage, or ``None``.
        unset: The name of a touch without a campaign (or content) id; ``None`` drops
            such touches.
        teams: Keep only touches made by these teams, e.g. ``{Team.MARKETING}`` to ask
            which of marketing's efforts converted; ``None`` keeps every touch.
        lifecycle: The lifecycle the leads follow (an organisation's is ``org.lifecycle``).
        grouping: With ``key="channel"``, credit channel groups instead of raw
            channel names: each touch is grouped by its source, medium and campaign
            (see :meth:`ChannelGrouping.of_touch`).

    Raises:
        ValidationError: If ``key``, ``lookback``, ``teams``, ``lifecycle`` or
            ``grouping`` is not valid, or ``converted_at`` is not a stage of the
            lifecycle.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead, Team, Touchpoint, TouchpointKind as K
        >>> t = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="L1", created_at=t + timedelta(days=1), touchpoints=[
        ...     Touchpoint(at=t, channel="search", kind=K.AD_CLICK, team=Team.MARKETING),
        ...     Touchpoint(at=t + timedelta(days=1), channel="webinar", kind=K.WEBINAR, team=Team.MARKETING),
        ... ])
        >>> (journey,) = journeys_from_leads([lead], converted_at="inquiry", lifecycle=DEMAND_WATERFALL)
        >>> journey.path, journey.converted, journey.milestones.lead_created
        (('search', 'webinar'), True, 1)
        >>> call = Touchpoint(at=t + timedelta(days=2), channel="phone", kind=K.CALL, team=Team.SALES)
        >>> (marketing_only,) = journeys_from_leads([lead.with_touchpoint(call)], teams={Team.MARKETING}, lifecycle=DEMAND_WATERFALL)
        >>> marketing_only.path
        ('search', 'webinar')
        >>> journeys_from_leads([lead], converted_at="wonn", lifecycle=DEMAND_WATERFALL)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: journeys_from_leads converted_at 'wonn' is not a stage of lifecycle 'demand_waterfall'; stages are ['inquiry', 'mql', 'sal', 'sql', 'opportunity', 'won', 'lost', 'rejected', 'recycled', 'disqualified']
    """
    check_key(key, "journeys_from_leads")
    kept = None if teams is None else _teams(teams)
    windows = as_lookback(lookback, "journeys_from_leads")
    stage, opportunity, won = conversion_stages(lifecycle, converted_at, "journeys_from_leads")
    regroup = check_grouping(grouping, key, "journeys_from_leads")
    window = windows.window_for(stage)
    journeys: list[Journey] = []
    for index, lead in enumerate(distinct(leads, "journeys_from_leads leads", Lead)):
        check_value(lead, index, "journeys_from_leads")
        touches = lead.touchpoints
        if kept is not None:
            touches = tuple(t for t in touches if t.team in kept)
        if regroup is not None:
            touches = tuple(attrs.evolve(t, channel=regroup.of_touch(t)) for t in touches)
        journey = build_journey(
            touches,
            key=key,
            unset=unset,
            converted_at=lead.entered(stage),
            window=window,
            value=lead.value,
            milestone_times=(lead.created_at, lead.entered(opportunity), lead.entered(won)),
        )
        if journey is not None:
            journeys.append(journey)
    return tuple(journeys)
