"""CRM tables in: leads, stage histories, activities and campaign members to :class:`~salesmark.leads.Lead` objects.

CRMs export tidy tables: leads or contacts (one row a lead), a stage or status
history (one row a change), activities or engagements (one row a touch) and campaign
members (one row a lead in a campaign). :func:`read_leads` reads them into leads
through a :class:`TableMapping` that names which column holds what; two mappings
ship, :data:`HUBSPOT_EXPORT` and :data:`SALESFORCE_EXPORT`, with the column names of
those CRMs' exports.

Tables may be pandas, polars or pyarrow DataFrames (the ``dataframe`` extra, through
narwhals) or plain lists of dict rows (no extra). The lifecycle is required, every
history is checked against it, and every problem of every table is reported at once
in one :class:`~salesmark.errors.StructureError` naming the table, row and column.

Example:
    >>> from datetime import timezone
    >>> from salesmark import HUBSPOT
    >>> contacts = [{"hs_object_id": 101, "createdate": "2026-03-02T09:00:00Z",
    ...              "lifecyclestage": "marketingqualifiedlead", "hs_analytics_source": "PAID_SEARCH"}]
    >>> [lead] = read_leads(contacts, lifecycle=HUBSPOT, mapping=HUBSPOT_EXPORT)
    >>> lead.id, lead.stage, lead.channel
    ('101', 'marketingqualifiedlead', 'PAID_SEARCH')
"""

from __future__ import annotations

from salesmark.tables._mappings import (
    HUBSPOT_EXPORT,
    KIND_TEAMS,
    SALESFORCE_EXPORT,
    ActivityColumns,
    CampaignMemberColumns,
    HistoryColumns,
    LeadColumns,
    TableMapping,
)
from salesmark.tables._read import read_leads

__all__ = [
    "HUBSPOT_EXPORT",
    "KIND_TEAMS",
    "SALESFORCE_EXPORT",
    "ActivityColumns",
    "CampaignMemberColumns",
    "HistoryColumns",
    "LeadColumns",
    "TableMapping",
    "read_leads",
]
