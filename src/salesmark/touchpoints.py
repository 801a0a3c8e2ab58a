"""Touchpoints: each interaction a lead had with either team."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from salesmark import _validators as v
from salesmark.teams import Team

__all__ = ["DEFAULT_SALES_ACTIVITIES", "Touchpoint", "TouchpointKind"]


class TouchpointKind(str, enum.Enum):
    """The common kinds of interaction a touchpoint can be.

    A touchpoint's ``kind`` is text: these members name the kinds salesmark's own
    defaults read (:data:`DEFAULT_SALES_ACTIVITIES`, the scoring presets), and any other
    non-empty text is accepted as it is, for a CRM's own activity types (``"linkedin"``,
    ``"sms"``). A member compares equal to its text: ``TouchpointKind.CALL == "call"``.
    """

    AD_IMPRESSION = "ad_impression"
    AD_CLICK = "ad_click"
    ORGANIC_VISIT = "organic_visit"
    PAGE_VIEW = "page_view"
    FORM_FILL = "form_fill"
    CONTENT_DOWNLOAD = "content_download"
    EMAIL_OPEN = "email_open"
    EMAIL_CLICK = "email_click"
    WEBINAR = "webinar"
    EVENT = "event"
    CHAT = "chat"
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    DEMO = "demo"
    REFERRAL = "referral"
    OTHER = "other"


DEFAULT_SALES_ACTIVITIES: frozenset[str] = frozenset(
    {
        TouchpointKind.CALL.value,
        TouchpointKind.EMAIL.value,
        TouchpointKind.MEETING.value,
        TouchpointKind.DEMO.value,
    }
)
"""The touchpoint kinds that count as a sales *activity* by default: a call, an email, a
meeting or a demo. A sales touch of another kind (a LinkedIn connection request, a chat
greeting) is a touch but not an activity: it does not answer the SLA's follow-up, count
as a contact attempt or start speed to lead. An organisation names its own set
(:attr:`salesmark.organisation.Organisation.sales_activities`), for CRMs with custom
activity types."""


def _kind_text(value: str) -> str:
    """A kind as plain text: a :class:`TouchpointKind` member becomes its value."""
    if isinstance(value, TouchpointKind):
        return value._value_  # not .value: an enum property, slow on every touch
    return value


@attrs.frozen(kw_only=True)
class Touchpoint:
    """One interaction of a lead with marketing or sales.

    Attributes:
        at: When it happened (timezone-aware).
        channel: The channel it came through, e.g. ``"paid_search"`` or ``"email"``.
        kind: What happened, as text: ``"call"``, ``"form_fill"``, a CRM's own activity
            type. A :class:`TouchpointKind` member is stored as its text.
        team: Which team made or owned the interaction. Required: a call is a sales
            touch and an ad click a marketing one, and which team it was changes the SLA,
            sourcing and closed-loop answers, so salesmark does not guess.
        campaign_id: The campaign it belongs to, if any.
        content_id: The content asset involved, if any.
        member_id: The team member who made it (for calls, emails, meetings), if any.
        source: The traffic source of a tracked visit (``utm_source``, e.g.
            ``"google"``), if known; a channel grouping reads it.
        medium: The traffic medium of a tracked visit (``utm_medium``, e.g. ``"cpc"``),
            if known.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = Touchpoint(
        ...     at=datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc),
        ...     channel="paid_search",
        ...     kind=TouchpointKind.AD_CLICK,
        ...     team=Team.MARKETING,
        ...     campaign_id="c-spring",
        ... )
        >>> t.kind, t.team.value
        ('ad_click', 'marketing')
        >>> t.kind == TouchpointKind.AD_CLICK
        True

        A CRM's own activity type is taken as it is:

        >>> Touchpoint(at=t.at, channel="linkedin", kind="connection_request",
        ...            team=Team.SALES).kind
        'connection_request'
    """

    at: datetime = attrs.field(validator=v.aware)
    channel: str = attrs.field(validator=v.non_empty_text)
    kind: str = attrs.field(converter=_kind_text, validator=v.non_empty_text)
    team: Team = attrs.field(validator=v.member_of(Team))
    campaign_id: str | None = attrs.field(default=None, validator=v.optional_text)
    content_id: str | None = attrs.field(default=None, validator=v.optional_text)
    member_id: str | None = attrs.field(default=None, validator=v.optional_text)
    source: str | None = attrs.field(default=None, validator=v.optional_text)
    medium: str | None = attrs.field(default=None, validator=v.optional_text)
