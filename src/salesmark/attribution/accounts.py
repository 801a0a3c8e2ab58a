"""Account (multi-contact) attribution: one journey per account deal.

A B2B deal usually involves several people of one account. A :class:`ContactPolicy`
chooses whose touches count — every contact of the account, the contacts with a role
on the deal, or the primary contact only — and :func:`account_journeys` merges their
touches, in time order, into one journey per account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal

import attrs

from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._time import instant
from salesmark.attribution._checks import one_of
from salesmark.attribution.grouping import ChannelGrouping
from salesmark.attribution.journeys import (
    Journey,
    Key,
    Lookback,
    as_lookback,
    build_journey,
    check_grouping,
    check_key,
    check_value,
    conversion_stages,
)
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle
from salesmark.touchpoints import Touchpoint

__all__ = ["ContactPolicy", "account_journeys"]

PRIMARY = "primary"


def _role_name(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _roles(value: Mapping[str, str]) -> Mapping[str, str]:
    frozen = v.freeze_mapping(value)
    for lead_id, role in frozen.items():
        if not (_role_name(lead_id) and _role_name(role)):
            msg = f"ContactPolicy.roles must map lead ids to role names, got {lead_id!r}: {role!r}"
            raise ValidationError(msg)
    return frozen


def _role_set(value: Iterable[str]) -> frozenset[str]:
    roles = v.sequence(value, "ContactPolicy.counted_roles", "role names")
    if not all(map(_role_name, roles)):
        msg = f"ContactPolicy.counted_roles must be a collection of role names, got {value!r}"
        raise ValidationError(msg)
    return frozenset(roles)


def _kind(value: str) -> str:
    return one_of(value, "ContactPolicy.kind", ("all_contacts", "roles", "primary"))


@attrs.frozen(kw_only=True)
class ContactPolicy:
    """Which contacts of an account count toward its deal.

    Attributes:
        kind: ``"all_contacts"``, ``"roles"`` (contacts with a role on the deal) or
            ``"primary"`` (the primary contact only).
        roles: Lead id -> role on the deal, e.g. ``{"L1": "primary", "L2": "champion"}``.
        counted_roles: With ``"roles"``, the roles that count (empty: any role).

    When a policy selects nobody in an account (no roles recorded), the *deal lead* —
    the first lead of the account to convert, or its earliest-created lead — stands in,
    so no conversion is lost.

    Example:
        >>> ContactPolicy.primary_contact({"L1": "primary"}).kind
        'primary'
    """

    kind: Literal["all_contacts", "roles", "primary"] = attrs.field(converter=_kind)
    roles: Mapping[str, str] = attrs.field(factory=dict, converter=_roles, hash=False)
    counted_roles: frozenset[str] = attrs.field(factory=frozenset, converter=_role_set)

    @classmethod
    def all_contacts(cls) -> ContactPolicy:
        """Every contact of the account counts.

        Example:
            >>> ContactPolicy.all_contacts().kind
            'all_contacts'
        """
        return cls(kind="all_contacts")

    @classmethod
    def with_roles(
        cls, roles: Mapping[str, str], counted: Iterable[str] | None = None
    ) -> ContactPolicy:
        """Contacts with a role on the deal count (only ``counted`` roles, if given).

        Example:
            >>> ContactPolicy.with_roles({"L1": "champion"}, counted=["champion"]).counted_roles
            frozenset({'champion'})
        """
        return cls(kind="roles", roles=roles, counted_roles=() if counted is None else counted)

    @classmethod
    def primary_contact(cls, roles: Mapping[str, str]) -> ContactPolicy:
        """Only the contact whose role is ``"primary"`` counts.

        Example:
            >>> ContactPolicy.primary_contact({"L9": "primary"}).roles["L9"]
            'primary'
        """
        return cls(kind="primary", roles=roles)

    def select(self, leads: list[Lead], deal_lead: Lead) -> list[Lead]:
        """The leads of one account whose touches count.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> a, b = Lead.create(id="A", created_at=t), Lead.create(id="B", created_at=t)
            >>> [x.id for x in ContactPolicy.primary_contact({"B": "primary"}).select([a, b], a)]
            ['B']
        """
        if self.kind == "all_contacts":
            chosen = list(leads)
        elif self.kind == "primary":
            chosen = [x for x in leads if self.roles.get(x.id) == PRIMARY]
        else:
            chosen = [
                x
                for x in leads
                if x.id in self.roles
                and (not self.counted_roles or self.roles[x.id] in self.counted_roles)
            ]
        return chosen or [deal_lead]


def _touch_instant(touch: Touchpoint) -> datetime:
    return instant(touch.at)


def account_journeys(
    leads: Iterable[Lead],
    *,
    policy: ContactPolicy | None = None,
    converted_at: str | None = None,
    key: Key = "channel",
    lookback: Lookback | timedelta | None = None,
    unset: str | None = "(not set)",
    lifecycle: Lifecycle,
    grouping: ChannelGrouping | None = None,
) -> tuple[Journey, ...]:
    """Build one journey per account from the touches of the contacts the policy picks.

    Leads are grouped by ``account_id`` (a lead without one is an account of its own).
    The account converted when its first lead entered ``converted_at``; that lead is
    the *deal lead* and its value is the journey's value. Touches of the chosen
    contacts are merged in time order and cut at the conversion (and lookback window).
    Milestones: lead creation is the earliest ``created_at`` of the chosen contacts;
    opportunity creation and closed-won the earliest of any lead of the account.

    Args:
        leads: The leads of one or many accounts.
        policy: Whose touches count (all contacts by default).
        converted_at: The stage that counts as the deal's conversion; the lifecycle's
            won stage by default (a stage of ``lifecycle``, checked).
        key: The touch field to credit: ``"channel"``, ``"campaign_id"`` or
            ``"content_id"``.
        lookback: A :class:`~salesmark.attribution.Lookback`, a window, or ``None``.
        unset: The name for touches without a campaign/content id (``None`` drops them).
        lifecycle: The lifecycle the leads follow (an organisation's is ``org.lifecycle``).
        grouping: With ``key="channel"``, credit channel groups of the touches (see
            :meth:`~salesmark.attribution.ChannelGrouping.of_touch`).

    Raises:
        ValidationError: If ``policy``, ``key``, ``lookback``, ``lifecycle`` or
            ``grouping`` is not valid, ``converted_at`` is not a stage of the
            lifecycle, or an item of ``leads`` is not a Lead.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead, Team, Touchpoint, TouchpointKind as K
        >>> t = datetime(2026, 2, 1, tzinfo=timezone.utc)
        >>> cfo = Lead.create(id="cfo", created_at=t, account_id="acme", touchpoints=[
        ...     Touchpoint(at=t, channel="event", kind=K.EVENT, team=Team.MARKETING)])
        >>> cto = Lead.create(id="cto", created_at=t, account_id="acme", touchpoints=[
        ...     Touchpoint(at=t + timedelta(days=2), channel="webinar", kind=K.WEBINAR, team=Team.MARKETING)])
        >>> [j.path for j in account_journeys([cfo, cto], lifecycle=DEMAND_WATERFALL)]
        [('event', 'webinar')]
        >>> policy = ContactPolicy.primary_contact({"cto": "primary"})
        >>> [j.path for j in account_journeys([cfo, cto], policy=policy, lifecycle=DEMAND_WATERFALL)]
        [('webinar',)]
    """
    check_key(key, "account_journeys")
    chosen_policy = v.require(
        ContactPolicy.all_contacts() if policy is None else policy,
        ContactPolicy,
        "account_journeys policy",
    )
    stage, opportunity_stage, won_stage = conversion_stages(
        lifecycle, converted_at, "account_journeys"
    )
    regroup = check_grouping(grouping, key, "account_journeys")
    window = as_lookback(lookback, "account_journeys").window_for(stage)
    # keyed by (label, lead without an account): a lead with no account is its own
    # account, labelled "lead:<id>" for the order, and never merged with an account of
    # that name
    accounts: dict[tuple[str, bool], list[Lead]] = {}
    for index, lead in enumerate(distinct(leads, "account_journeys leads", Lead)):
        check_value(lead, index, "account_journeys")
        own = (lead.account_id, False) if lead.account_id else (f"lead:{lead.id}", True)
        accounts.setdefault(own, []).append(lead)
    journeys: list[Journey] = []
    for account in sorted(accounts):
        members = accounts[account]
        converted = [
            (instant(at), x.id, x) for x in members if (at := x.entered(stage)) is not None
        ]
        if converted:
            deal_lead = min(converted, key=lambda c: (c[0], c[1]))[2]
            conversion = deal_lead.entered(stage)
        else:
            deal_lead = min(members, key=lambda x: (instant(x.created_at), x.id))
            conversion = None
        chosen = chosen_policy.select(members, deal_lead)
        touches = sorted((t for x in chosen for t in x.touchpoints), key=_touch_instant)
        if regroup is not None:
            touches = [attrs.evolve(t, channel=regroup.of_touch(t)) for t in touches]
        opportunity = [x.entered(opportunity_stage) for x in members]
        won = [x.entered(won_stage) for x in members]
        journey = build_journey(
            touches,
            key=key,
            unset=unset,
            converted_at=conversion,
            window=window,
            value=deal_lead.value,
            milestone_times=(
                min((x.created_at for x in chosen), key=instant),
                min((m for m in opportunity if m is not None), default=None, key=instant),
                min((m for m in won if m is not None), default=None, key=instant),
            ),
        )
        if journey is not None:
            journeys.append(journey)
    return tuple(journeys)
