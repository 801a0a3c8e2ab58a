"""Sourcing: who found a lead, and whether marketing sourced or influenced it.

The field disagrees on what "marketing-sourced" means, so :class:`SourcedBy` names each
definition and every KPI that depends on it takes the definition as a parameter.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

from salesmark._time import instant, require_aware
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.teams import Team
from salesmark.touchpoints import DEFAULT_SALES_ACTIVITIES, TouchpointKind

__all__ = [
    "DEFAULT_OTHER_CHANNELS",
    "DEFAULT_SALES_CHANNELS",
    "ENGAGEMENT_KINDS",
    "ChannelClass",
    "SourcedBy",
    "channel_class",
    "is_marketing_influenced",
    "is_marketing_sourced",
]

DEFAULT_SALES_CHANNELS: frozenset[str] = frozenset(
    {"outbound", "sales", "sales_outbound", "sales_outreach", "sales_prospecting"}
)
"""Lead-source channels that mean sales found the lead itself (not marketing-sourced)."""

DEFAULT_OTHER_CHANNELS: frozenset[str] = frozenset(
    {"referral", "partner", "partner_referral", "customer_referral", "word_of_mouth"}
)
"""Lead-source channels that are neither marketing's nor sales': a referral from a
customer or partner is not a marketing-sourced lead (the demand-waterfall literature
counts referrals and partner leads apart; HubSpot reports "Referrals" as a source of its
own)."""

ENGAGEMENT_KINDS: frozenset[str] = frozenset(
    kind.value
    for kind in (
        TouchpointKind.FORM_FILL,
        TouchpointKind.CONTENT_DOWNLOAD,
        TouchpointKind.EMAIL_CLICK,
        TouchpointKind.WEBINAR,
        TouchpointKind.EVENT,
        TouchpointKind.CHAT,
    )
)
"""Touchpoint kinds where the lead acted (not only saw): they count as engagement."""


class ChannelClass(str, enum.Enum):
    """Who a lead-source channel belongs to: marketing, sales, or neither (referrals)."""

    MARKETING = "marketing"
    SALES = "sales"
    OTHER = "other"


def channel_class(
    channel: str | None,
    *,
    sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
    other_channels: Iterable[str] = DEFAULT_OTHER_CHANNELS,
) -> ChannelClass | None:
    """The class of a lead-source channel; ``None`` when the channel is unknown.

    Example:
        >>> channel_class("paid_search"), channel_class("outbound"), channel_class("referral")
        (<ChannelClass.MARKETING: 'marketing'>, <ChannelClass.SALES: 'sales'>, <ChannelClass.OTHER: 'other'>)
    """
    if channel is None:
        return None
    if channel in frozenset(sales_channels):
        return ChannelClass.SALES
    if channel in frozenset(other_channels):
        return ChannelClass.OTHER
    return ChannelClass.MARKETING


class SourcedBy(str, enum.Enum):
    """Which definition of "marketing-sourced" to use: the field disagrees, so choose.

    ``FIRST_TOUCH`` (the default of the KPI catalogue, and of HubSpot's "first touch"
    revenue attribution): the lead's first touchpoint was marketing's.
    ``LEAD_SOURCE`` (Salesforce's ``LeadSource`` picklist, and most CRM reports): the
    lead-source channel is a marketing channel (:func:`channel_class`: not a sales
    channel, not a referral or partner).
    ``MARKETING_BEFORE_SALES`` (the demand-waterfall literature's "marketing-generated"):
    a marketing touchpoint came before sales' first *activity* (or marketing touched the
    lead and sales never did anything).
    ``INFLUENCED`` (marketing-influenced revenue): any marketing touchpoint at or before
    the instant judged (the win, or the opportunity's opening).
    """

    FIRST_TOUCH = "first_touch"
    LEAD_SOURCE = "lead_source"
    MARKETING_BEFORE_SALES = "marketing_before_sales"
    INFLUENCED = "influenced"


def is_marketing_sourced(
    lead: Lead,
    by: SourcedBy = SourcedBy.FIRST_TOUCH,
    sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
    *,
    other_channels: Iterable[str] = DEFAULT_OTHER_CHANNELS,
    activities: Iterable[str] = DEFAULT_SALES_ACTIVITIES,
    at: datetime | None = None,
) -> bool:
    """Whether marketing sourced ``lead`` under definition ``by`` (see :class:`SourcedBy`).

    Args:
        lead: The lead.
        by: The definition.
        sales_channels: Lead-source channels that mean sales found the lead.
        other_channels: Lead-source channels that are neither team's (referrals).
        activities: The touchpoint kinds that count as a sales activity.
        at: The instant judged, required by ``INFLUENCED`` (the win, say).

    Raises:
        ValidationError: If ``by`` is not a SourcedBy member, or ``INFLUENCED`` has no ``at``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import LeadSource
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="L", created_at=t, source=LeadSource(channel="outbound"))
        >>> is_marketing_sourced(lead, SourcedBy.LEAD_SOURCE)
        False
        >>> referred = Lead.create(id="R", created_at=t, source=LeadSource(channel="referral"))
        >>> is_marketing_sourced(referred, SourcedBy.LEAD_SOURCE)
        False
    """
    if by is SourcedBy.LEAD_SOURCE:
        found = channel_class(
            lead.channel, sales_channels=sales_channels, other_channels=other_channels
        )
        return found is ChannelClass.MARKETING
    if by is SourcedBy.INFLUENCED:
        if at is None:
            msg = "is_marketing_sourced by=SourcedBy.INFLUENCED needs at= (the instant judged)"
            raise ValidationError(msg)
        return is_marketing_influenced(lead, at)
    touches = lead.touchpoints
    if not isinstance(by, SourcedBy):
        msg = f"is_marketing_sourced by must be a SourcedBy member, got {by!r}"
        raise ValidationError(msg)
    if not touches:
        return False
    if by is SourcedBy.FIRST_TOUCH:
        return touches[0].team is Team.MARKETING
    kinds = frozenset(activities)
    first_sales = next(
        (instant(t.at) for t in touches if t.team is Team.SALES and t.kind in kinds), None
    )
    return any(
        t.team is Team.MARKETING and (first_sales is None or instant(t.at) < first_sales)
        for t in touches
    )


def is_marketing_influenced(lead: Lead, at: datetime) -> bool:
    """Whether ``lead`` had at least one marketing touchpoint at or before ``at``.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> is_marketing_influenced(Lead.create(id="L", created_at=t), t)
        False
    """
    moment = instant(require_aware(at, "is_marketing_influenced at"))
    return any(t.team is Team.MARKETING and instant(t.at) <= moment for t in lead.touchpoints)
