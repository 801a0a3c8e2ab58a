"""The funnel: how many leads reached each lifecycle stage, how fast, and at what rate.

Two views answer two questions a revenue analyst asks about a :class:`~salesmark.period.Period`:

* **cohort** — of the leads *created* in the period, how far did each get? A lead counts
  at every stage of the lifecycle's ``progression`` up to the furthest one it reached,
  and at every other stage it entered.
* **activity** — how many *stage entries* happened in the period, whenever the lead was
  created? Every entry counts, so a lead recycled and qualified again is a second MQL.

:func:`funnel_counts` builds a :class:`FunnelCounts` in one pass over the leads, every
stage of the lifecycle included, with the stays that ended and those still open;
:func:`funnel_by` splits it by a lead field or a key function; :func:`funnel_leads`
lists the leads behind a count. Both results are mergeable aggregates:
``FunnelCounts()`` is the empty value and ``a + b`` combines partial funnels of
disjoint sets of leads exactly.
"""

from __future__ import annotations

from salesmark.funnel.counting import funnel_by, funnel_counts, funnel_leads
from salesmark.funnel.counts import FunnelCounts, StageConversion, StageTime, View
from salesmark.funnel.split import FunnelSplit

__all__ = [
    "FunnelCounts",
    "FunnelSplit",
    "StageConversion",
    "StageTime",
    "View",
    "funnel_by",
    "funnel_counts",
    "funnel_leads",
]
