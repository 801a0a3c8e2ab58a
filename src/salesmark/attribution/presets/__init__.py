"""Vendor presets: each tool's published rule, as data on one milestone-weight engine.

Vendors use the same names for different rules: "U-shaped" is 40/20/40
first/between/last in Google's products, 40/40 first/lead-creation (20 between) at
HubSpot, and 50/50 first/lead-creation with nothing between at Marketo Measure. Each
preset is a :class:`Preset`: the vendor's name for a rule, the source that publishes
it, and the rule itself (a named milestone-weight shape from
:mod:`salesmark.attribution.milestones`, or one of salesmark's rule models). Pick the
module of the tool you are leaving to reproduce its numbers:
:mod:`~salesmark.attribution.presets.google_ads`,
:mod:`~salesmark.attribution.presets.hubspot`,
:mod:`~salesmark.attribution.presets.marketo_measure`,
:mod:`~salesmark.attribution.presets.salesforce`; or look one up by label in
:data:`PRESETS`.

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
    >>> presets.PRESETS["hubspot.u_shaped"].source
    'HubSpot Knowledge Base, "Understand attribution models"'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from salesmark.attribution.presets import google_ads, hubspot, marketo_measure, salesforce
from salesmark.attribution.presets._preset import Preset

__all__ = ["PRESETS", "Preset", "google_ads", "hubspot", "marketo_measure", "salesforce"]

PRESETS: Final[Mapping[str, Preset]] = MappingProxyType(
    dict(
        sorted(
            (preset.label, preset)
            for vendor in (google_ads, hubspot, marketo_measure, salesforce)
            for preset in map(vendor.__dict__.get, vendor.__all__)
            if isinstance(preset, Preset)
        )
    )
)
"""Every vendor preset by label (``"hubspot.u_shaped"``), in label order.

Example:
    >>> list(PRESETS)[:3]
    ['google_ads.position_based', 'google_ads.time_decay', 'hubspot.full_path']
"""
