"""Journeys from leads: touches up to the conversion, lookback windows and milestones.

:func:`journeys_from_leads` turns each lead into a :class:`~salesmark.attribution.Journey`
keyed by channel, campaign or content. A :class:`Lookback` drops touches older than a
window before the conversion, per conversion type, as GA4 and Salesforce Campaign
Influence do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Literal

import attrs

from salesmark._validators import require_positive_duration
from salesmark.attribution.grouping import ChannelGrouping
from salesmark.attribution.paths import Journey, Milestones
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle, stage_name
from salesmark.money import Money
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint

__all__ = ["Key", "Lookback", "journeys_from_leads"]

Key = Literal["channel", "campaign", "content"]


def _windows(value: Mapping[str, timedelta]) -> Mapping[str, timedelta]:
    if not isinstance(value, Mapping):
        msg = f"Lookback.windows must be a mapping of stage -> timedelta, got {value!r}"
        raise ValidationError(msg)
    out: dict[str, timedelta] = {}
    for stage, window in value.items():
        name = stage_name(stage)
        out[name] = require_positive_duration(window, f"Lookback.windows[{name!r}]")
    return dict(sorted(out.items()))


def _default(value: timedelta | None) -> timedelta | None:
    return None if value is None else require_positive_duration(value, "Lookback.default")


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


def _lookback(value: Lookback | timedelta | None) -> Lookback:
    if value is None:
        return Lookback.none()
    if isinstance(value, timedelta):
        return Lookback.of(value)
    if not isinstance(value, Lookback):
        msg = f"lookback must be a Lookback, a timedelta or None, got {value!r}"
        raise ValidationError(msg)
    return value


def touch_key(touch: Touchpoint, key: str, unset: str | None) -> str | None:
    """The name a touch is credited under for ``key`` (``unset`` when it has none)."""
    if key == "channel":
        return touch.channel
    name = touch.campaign_id if key == "campaign" else touch.content_id
    return unset if name is None else name


def check_key(key: object) -> str:
    """Return ``key`` if it is a known journey key, else raise."""
    if key not in ("channel", "campaign", "content"):
        msg = f"key must be 'channel', 'campaign' or 'content', got {key!r}"
        raise ValidationError(msg)
    return str(key)


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
    kept: list[tuple[str, datetime]] = []
    for touch in touches:
        if converted_at is not None and touch.at > converted_at:
            break
        if window is not None and end is not None and touch.at < end - window:
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
            for i, at in enumerate(times):
                if at <= moment:
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
    if not isinstance(lifecycle, Lifecycle):
        msg = f"{caller} lifecycle must be a Lifecycle, got {lifecycle!r}"
        raise ValidationError(msg)
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


def check_grouping(grouping: object, key: str, caller: str) -> ChannelGrouping | None:
    """``grouping`` if it is a ChannelGrouping used with ``key="channel"``, else an error."""
    if grouping is None:
        return None
    if not isinstance(grouping, ChannelGrouping):
        msg = f"{caller} grouping must be a ChannelGrouping or None, got {grouping!r}"
        raise ValidationError(msg)
    if key != "channel":
        msg = f"{caller} grouping applies to key='channel' only, got key={key!r}"
        raise ValidationError(msg)
    return grouping


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
        key: Credit ``"channel"`` names, ``"campaign"`` ids or ``"content"`` ids.
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
        ...     Touchpoint(at=t, channel="search", kind=K.AD_CLICK),
        ...     Touchpoint(at=t + timedelta(days=1), channel="webinar", kind=K.WEBINAR),
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
    check_key(key)
    kept = None if teams is None else frozenset(teams)
    if kept is not None and (not kept or not all(isinstance(t, Team) for t in kept)):
        msg = f"journeys_from_leads teams must be a non-empty set of Team members or None, got {teams!r}"
        raise ValidationError(msg)
    windows = _lookback(lookback)
    stage, opportunity, won = conversion_stages(lifecycle, converted_at, "journeys_from_leads")
    regroup = check_grouping(grouping, key, "journeys_from_leads")
    window = windows.window_for(stage)
    journeys: list[Journey] = []
    for index, lead in enumerate(leads):
        if not isinstance(lead, Lead):
            msg = f"leads[{index}] must be a Lead, got {lead!r}"
            raise ValidationError(msg)
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
