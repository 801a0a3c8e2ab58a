"""Builders of small, complete organisations around hand-written leads, for example tests.

A company-level analytic takes an :class:`~salesmark.organisation.Organisation`, which
checks that every reference points at something it holds. :func:`organisation_of` is
:func:`salesmark.testing.organisation_of` with the demand waterfall as the lifecycle the
project's own tests mostly use: it wraps leads and feedback in one organisation, adding a
member for every id they name.
"""

from __future__ import annotations

from collections.abc import Iterable

from salesmark import testing
from salesmark.campaigns import Campaign
from salesmark.feedback import LeadFeedback
from salesmark.leads import Lead
from salesmark.lifecycle import DEMAND_WATERFALL, Lifecycle, StageDefinition, Transition
from salesmark.organisation import Organisation
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Member

FLAT = Lifecycle(
    name="flat",
    stages=[StageDefinition(name="new"), StageDefinition(name="done", terminal=True)],
    initial="new",
    progression=(),
    transitions=[Transition(source="new", target="done")],
)
"""A lifecycle without a progression: one stage ``new``, one terminal ``done``."""


def organisation_of(
    leads: Iterable[Lead],
    *,
    feedback: Iterable[LeadFeedback] = (),
    lifecycle: Lifecycle = DEMAND_WATERFALL,
    sla: ServiceLevelAgreement | None = None,
    campaigns: Iterable[Campaign] = (),
    members: Iterable[Member] = (),
    currency: str = "EUR",
) -> Organisation:
    """An organisation holding ``leads`` and ``feedback``, with a member for every id they name."""
    return testing.organisation_of(
        leads,
        lifecycle=lifecycle,
        feedback=feedback,
        sla=sla,
        campaigns=campaigns,
        members=members,
        currency=currency,
    )
