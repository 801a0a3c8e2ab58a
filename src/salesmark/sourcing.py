"""Sourcing: who found a lead, and whether marketing sourced or influenced it.

The field disagrees on what "marketing-sourced" means, so :class:`SourcedBy` names each
definition and every KPI that depends on it takes the definition as a parameter.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.teams import Team
from salesmark.touchpoints import TouchpointKind

__all__ = [
    "DEFAULT_SALES_CHANNELS",
    "ENGAGEMENT_KINDS",
    "SourcedBy",
    "is_marketing_influenced",
    "is_marketing_sourced",
]

DEFAULT_SALES_CHANNELS: frozenset[str] = frozenset(
    {"outbound", "sales", "sales_outbound", "sales_outreach", "sales_prospecting"}
)
"""Lead-source channels that mean sales found the lead itself (not marketing-sourced)."""

ENGAGEMENT_KINDS: frozenset[TouchpointKind] = frozenset(
    {
        TouchpointKind.FORM_FILL,
        TouchpointKind.CONTENT_DOWNLOAD,
        TouchpointKind.EMAIL_CLICK,
        TouchpointKind.WEBINAR,
        TouchpointKind.EVENT,
        TouchpointKind.CHAT,
    }
)
"""Touchpoint kinds where the lead acted (not only saw): they count as engagement."""


class SourcedBy(str, enum.Enum):
    """Which definition of "marketing-sourced" to use; the field uses all three.

    ``FIRST_TOUCH`` (the default): the lead's first touchpoint was marketing's.
    ``LEAD_SOURCE``: the lead-source field names a channel that is not a sales channel.
    ``MARKETING_BEFORE_SALES``: a marketing touchpoint came before sales' first activity
    (or marketing touched the lead and sales never did).
    """

    FIRST_TOUCH = "first_touch"
    LEAD_SOURCE = "lead_source"
    MARKETING_BEFORE_SALES = "marketing_before_sales"


def is_marketing_sourced(
    lead: Lead,
    by: SourcedBy = SourcedBy.FIRST_TOUCH,
    sales_channels: Iterable[str] = DEFAULT_SALES_CHANNELS,
) -> bool:
    """Whether marketing sourced ``lead`` under definition ``by``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import LeadSource
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="L", created_at=t, source=LeadSource(channel="outbound"))
        >>> is_marketing_sourced(lead, SourcedBy.LEAD_SOURCE)
        False
    """
    if by is SourcedBy.LEAD_SOURCE:
        channel = None if lead.source is None else lead.source.channel
        return channel is not None and channel not in frozenset(sales_channels)
    touches = lead.touchpoints
    if not touches:
        return False
    if by is SourcedBy.FIRST_TOUCH:
        return touches[0].team is Team.MARKETING
    if by is SourcedBy.MARKETING_BEFORE_SALES:
        first_sales = next((t.at for t in touches if t.team is Team.SALES), None)
        return any(
            t.team is Team.MARKETING and (first_sales is None or t.at < first_sales)
            for t in touches
        )
    msg = f"is_marketing_sourced by must be a SourcedBy member, got {by!r}"
    raise ValidationError(msg)


def is_marketing_influenced(lead: Lead, before: datetime) -> bool:
    """Whether ``lead`` had at least one marketing touchpoint before ``before``.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> is_marketing_influenced(Lead.create(id="L", created_at=t), t)
        False
    """
    return any(t.team is Team.MARKETING and t.at < before for t in lead.touchpoints)
