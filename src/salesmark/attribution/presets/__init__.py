"""Vendor presets: each tool's published rule, reproduced on one milestone-weight engine.

Vendors use the same names for different rules: "U-shaped" is 40/20/40
first/between/last in Google's products, 40/40 first/lead-creation (20 between) at
HubSpot, and 50/50 first/lead-creation with nothing between at Marketo Measure. Pick
the module of the tool you are leaving to reproduce its numbers:
:mod:`~salesmark.attribution.presets.google_ads`,
:mod:`~salesmark.attribution.presets.hubspot`,
:mod:`~salesmark.attribution.presets.marketo_measure`,
:mod:`~salesmark.attribution.presets.salesforce`.

Every preset follows the edge-case rules of :mod:`salesmark.attribution.milestones`
(several milestones on one touch add up; a missing milestone's weight is dropped and
the rest renormalised), which the vendors do not all document.

Example:
    >>> from salesmark.attribution import Journey, Milestones, presets
    >>> j = Journey(path=("ad", "blog", "form", "call"), converted=True,
    ...             milestones=Milestones(lead_created=2))
    >>> dict(presets.marketo_measure.u_shaped([j]).credits)
    {'ad': 0.5, 'blog': 0.0, 'call': 0.0, 'form': 0.5}
    >>> {k: round(v, 2) for k, v in presets.google_ads.position_based([j]).credits.items()}
    {'ad': 0.4, 'blog': 0.1, 'call': 0.4, 'form': 0.1}
"""

from __future__ import annotations

from salesmark.attribution.presets import google_ads, hubspot, marketo_measure, salesforce

__all__ = ["google_ads", "hubspot", "marketo_measure", "salesforce"]
