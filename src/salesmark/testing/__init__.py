"""Helpers for testing your business rules with salesmark: readable builders.

:func:`lead` writes a lead with its touches and stage moves in a few readable lines, and
:func:`organisation_of` wraps leads in a complete organisation for the company-level
analytics. See the docs page "Testing your business rules".

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from salesmark import DEMAND_WATERFALL
    >>> from salesmark.testing import lead
    >>> lead("L1", created=datetime(2026, 3, 2, tzinfo=timezone.utc), lifecycle=DEMAND_WATERFALL,
    ...      channel="web").to("mql", after=timedelta(hours=1)).build().stage
    'mql'
"""

from __future__ import annotations

from salesmark.testing.builders import LeadBuilder, lead, organisation_of

__all__ = ["LeadBuilder", "lead", "organisation_of"]
