"""Helpers for testing your business rules with salesmark: readable builders and strategies.

:func:`lead` writes a lead with its touches and stage moves in a few readable lines, and
:func:`organisation_of` wraps leads in a complete organisation for the company-level
analytics. :mod:`salesmark.testing.strategies` holds hypothesis strategies for every
public type, behind the ``hypothesis`` extra (``pip install 'salesmark[hypothesis]'``);
importing this package never imports hypothesis. See the docs page "Testing your
business rules".

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from salesmark import DEMAND_WATERFALL
    >>> from salesmark.testing import lead
    >>> lead("L1", created=datetime(2026, 3, 2, tzinfo=timezone.utc), lifecycle=DEMAND_WATERFALL,
    ...      channel="web").to("mql", after=timedelta(hours=1)).build().stage
    'mql'
"""

from __future__ import annotations

from salesmark.testing._extra import MissingExtra
from salesmark.testing.builders import LeadBuilder, lead, organisation_of

__all__ = ["LeadBuilder", "MissingExtra", "lead", "organisation_of"]
