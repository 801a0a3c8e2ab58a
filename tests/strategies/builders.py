"""Builders of small, complete organisations around hand-written leads, for example tests.

A company-level analytic takes an :class:`~salesmark.organisation.Organisation`, which
checks that every reference points at something it holds. :func:`organisation_of`
wraps leads and feedback in one, adding a member for every id they name: the members
feedback, sales touches, owners and stage changes name join sales, those of marketing
touches join marketing.
"""

from __future__ import annotations

from collections.abc import Iterable

from salesmark.campaigns import Campaign
from salesmark.feedback import LeadFeedback
from salesmark.leads import Lead
from salesmark.lifecycle import DEMAND_WATERFALL, Lifecycle
from salesmark.organisation import Organisation
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Member, Team


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
    lead_list, notes, given = tuple(leads), tuple(feedback), tuple(members)
    teams: dict[str, Team] = {m.id: m.team for m in given}
    for campaign in campaigns:
        if campaign.owner_id is not None:
            teams.setdefault(campaign.owner_id, Team.MARKETING)
    for lead in lead_list:
        for touch in lead.touchpoints:
            if touch.member_id is not None:
                teams.setdefault(touch.member_id, touch.team)
        for who in [lead.owner_id, *(c.by for c in lead.history)]:
            if who is not None:
                teams.setdefault(who, Team.SALES)
    for note in notes:
        teams.setdefault(note.member_id, Team.SALES)
    known = {m.id for m in given}
    extra = tuple(
        Member(id=ident, name=ident, team=team)
        for ident, team in sorted(teams.items())
        if ident not in known
    )
    return Organisation(
        name="Test company",
        currency=currency,
        lifecycle=lifecycle,
        members=given + extra,
        campaigns=tuple(campaigns),
        leads=lead_list,
        feedback=notes,
        sla=sla,
    )
