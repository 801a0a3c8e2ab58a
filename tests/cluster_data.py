"""Data shared by the tests of the Dask and Spark adapters: journeys and stage changes, seeded.

Journeys come as rows in ChannelAttribution's format (several rows may share a path,
as journey-level data does), with values in cents; stage changes come as one row per
change of the leads of a synthetic organisation. Both are small enough for a test and
large enough to fill several partitions.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from salesmark import Organisation
from salesmark.synthetic import organisation

CHANNELS = ("ads", "blog", "direct", "email", "events", "search")
COLUMNS = ("path", "total_conversions", "total_null", "total_conversion_value")


def journeys(n: int, seed: int = 7) -> list[tuple[str, int, int, Decimal | None]]:
    """``n`` journey rows: a path of 1-6 channels, one conversion or null, a value in cents."""
    rng = random.Random(seed)
    rows: list[tuple[str, int, int, Decimal | None]] = []
    for _ in range(n):
        path = " > ".join(rng.choices(CHANNELS, k=rng.randint(1, 6)))
        converted = rng.random() < 0.3
        value = Decimal(rng.randint(100, 99_999)).scaleb(-2) if converted else None
        rows.append((path, int(converted), int(not converted), value))
    return rows


def records(rows: list[tuple[str, int, int, Decimal | None]]) -> list[dict[str, Any]]:
    """The rows as mappings, as ``PathCounts.from_records`` reads them."""
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def company(seed: int = 3, leads: int = 400) -> Organisation:
    """A synthetic organisation whose leads' stage changes make the funnel's table."""
    return organisation(seed=seed, leads=leads)


def stage_changes(org: Organisation) -> list[tuple[str, str, Any, Any, Any]]:
    """One row per stage change: lead id, stage, when, reason code, when the lead was created."""
    return [
        (lead.id, change.stage, change.at, change.reason, lead.created_at)
        for lead in org.leads
        for change in lead.history
    ]
