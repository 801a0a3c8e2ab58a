"""Readable builders of leads and organisations for tests of your business rules.

A lead with a history and touchpoints takes a dozen lines of constructors; a test of a
business rule should read like the rule. :func:`lead` starts a :class:`LeadBuilder`
whose steps name what happened and how long after the lead was created::

    >>> from datetime import datetime, timedelta, timezone
    >>> from salesmark import DEMAND_WATERFALL
    >>> created = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> l1 = (lead("L1", created=created, lifecycle=DEMAND_WATERFALL, channel="paid_search")
    ...       .touch("ad_click", after=timedelta(0))
    ...       .to("mql", after=timedelta(hours=1))
    ...       .touch("call", after=timedelta(hours=3), member="s1")
    ...       .build())
    >>> l1.stage, [(t.kind, t.team.value) for t in l1.touchpoints]
    ('mql', [('ad_click', 'marketing'), ('call', 'sales')])

:func:`organisation_of` then wraps leads in a complete :class:`Organisation`, adding a
member for every id they name. Builders are immutable: each step returns a new builder,
so a half-built lead can be shared by several tests.

The rules a builder follows (documented, never guessed silently):

* a touch's **team** is the one given, else the team of its kind by
  :data:`salesmark.tables.KIND_TEAMS` (ad clicks, form fills, webinars are marketing's;
  calls, e-mails, meetings, demos are sales'); a kind with no team there needs ``team=``;
* a touch's **channel** is the one given, else the lead's ``channel``, else an error;
* times are ``after=`` a timedelta from creation, or ``at=`` an aware datetime.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import attrs

from salesmark import _validators as v
from salesmark._time import require_aware
from salesmark.campaigns import Campaign
from salesmark.errors import ValidationError
from salesmark.feedback import LeadFeedback
from salesmark.leads import AttributeValue, Lead, LeadSource
from salesmark.lifecycle import Lifecycle
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.sla import ServiceLevelAgreement
from salesmark.tables import KIND_TEAMS
from salesmark.teams import Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

__all__ = ["LeadBuilder", "lead", "organisation_of"]


def _when(created: datetime, at: datetime | None, after: timedelta | None, what: str) -> datetime:
    if (at is None) == (after is None):
        msg = f"{what} takes exactly one of at= (a datetime) and after= (a timedelta from creation)"
        raise ValidationError(msg)
    if at is not None:
        return require_aware(at, f"{what} at")
    return created + v.require(after, timedelta, f"{what} after")


def _frozen(value: Mapping[str, AttributeValue]) -> Mapping[str, AttributeValue]:
    return v.freeze_mapping(value)


@attrs.frozen(kw_only=True)
class LeadBuilder:
    """A lead being written step by step: touches and stage moves, in any order of calls.

    Start one with :func:`lead`. Each step returns a new builder; :meth:`build` makes the
    :class:`~salesmark.leads.Lead`, applying the stage moves in time order under the
    builder's lifecycle (an illegal walk is an error there, as it would be in a CRM).

    Attributes:
        id: The lead's id.
        created: When it was created (aware).
        lifecycle: The lifecycle its stage moves follow.
        channel: The lead's source channel, and the default channel of its touches.
        attributes: Its attributes.
        value: Its deal value.
        owner: Its owner's member id.
        touches: The touches so far.
        moves: The stage moves so far, as ``(stage, at, by, reason)``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import HUBSPOT
        >>> start = lead("H1", created=datetime(2026, 1, 5, tzinfo=timezone.utc), lifecycle=HUBSPOT)
        >>> start.to("marketingqualifiedlead", after=timedelta(days=1)).build().stage
        'marketingqualifiedlead'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    created: datetime = attrs.field(validator=v.aware)
    lifecycle: Lifecycle = attrs.field(validator=v.instance_of(Lifecycle))
    channel: str | None = attrs.field(default=None, validator=v.optional_text)
    attributes: Mapping[str, AttributeValue] = attrs.field(factory=dict, converter=_frozen)
    value: Money | None = attrs.field(default=None, validator=v.optional_instance_of(Money))
    owner: str | None = attrs.field(default=None, validator=v.optional_text)
    touches: tuple[Touchpoint, ...] = ()
    moves: tuple[tuple[str, datetime, str | None, str | None], ...] = ()

    def touch(
        self,
        kind: str,
        *,
        at: datetime | None = None,
        after: timedelta | None = None,
        team: Team | None = None,
        channel: str | None = None,
        campaign: str | None = None,
        content: str | None = None,
        member: str | None = None,
    ) -> LeadBuilder:
        """One more touch of ``kind`` (a :class:`TouchpointKind` or a CRM's own kind).

        Raises:
            ValidationError: If neither or both of ``at`` and ``after`` are given, the
                kind has no default team and none is given, or there is no channel.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> b = lead("L1", created=datetime(2026, 1, 5, tzinfo=timezone.utc), lifecycle=DEMAND_WATERFALL)
            >>> b.touch("linkedin", after=timedelta(hours=2), team=Team.SALES, channel="social").build().touchpoints[0].kind
            'linkedin'
        """
        when = _when(self.created, at, after, f"LeadBuilder.touch {kind!r}")
        text = kind.value if isinstance(kind, TouchpointKind) else kind
        chosen_team = team if team is not None else KIND_TEAMS.get(text)
        if chosen_team is None:
            msg = (
                f"LeadBuilder.touch kind {text!r} has no default team (salesmark.tables.KIND_TEAMS "
                "names none); give team=Team.SALES or team=Team.MARKETING"
            )
            raise ValidationError(msg)
        where = channel or self.channel
        if where is None:
            msg = f"LeadBuilder.touch {text!r} needs a channel: give channel= here or to lead()"
            raise ValidationError(msg)
        made = Touchpoint(
            at=when,
            channel=where,
            kind=text,
            team=chosen_team,
            campaign_id=campaign,
            content_id=content,
            member_id=member,
        )
        return attrs.evolve(self, touches=(*self.touches, made))

    def to(
        self,
        stage: str,
        *,
        at: datetime | None = None,
        after: timedelta | None = None,
        by: str | None = None,
        reason: str | None = None,
    ) -> LeadBuilder:
        """One more stage move, checked against the lifecycle when the lead is built.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> b = lead("L1", created=datetime(2026, 1, 5, tzinfo=timezone.utc), lifecycle=DEMAND_WATERFALL)
            >>> b.to("mql", after=timedelta(days=1)).to("rejected", after=timedelta(days=2), reason="bad_data").build().stage
            'rejected'
        """
        when = _when(self.created, at, after, f"LeadBuilder.to {stage!r}")
        return attrs.evolve(self, moves=(*self.moves, (stage, when, by, reason)))

    def build(self) -> Lead:
        """The lead: created, then every stage move in time order (ties in call order).

        Raises:
            IllegalTransition: If the lifecycle does not allow a move.
            MissingReason: If a move needs a reason code and has none.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> lead("L1", created=datetime(2026, 1, 5, tzinfo=timezone.utc), lifecycle=DEMAND_WATERFALL).build().stage
            'inquiry'
        """
        made = Lead.create(
            id=self.id,
            created_at=self.created,
            lifecycle=self.lifecycle,
            source=None if self.channel is None else LeadSource(channel=self.channel),
            attributes=self.attributes,
            owner_id=self.owner,
            value=self.value,
            touchpoints=self.touches,
        )
        order = sorted(range(len(self.moves)), key=lambda i: (self.moves[i][1].timestamp(), i))
        for index in order:
            stage, when, by, reason = self.moves[index]
            made = made.advance(stage, at=when, by=by, reason=reason, lifecycle=self.lifecycle)
        return made


def lead(
    id: str,  # noqa: A002 (the domain's name)
    *,
    created: datetime,
    lifecycle: Lifecycle,
    channel: str | None = None,
    attributes: Mapping[str, AttributeValue] | None = None,
    value: Money | None = None,
    owner: str | None = None,
) -> LeadBuilder:
    """Start writing a lead: its id, when it was created and the lifecycle it follows.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> lead("L9", created=datetime(2026, 1, 5, tzinfo=timezone.utc), lifecycle=DEMAND_WATERFALL,
        ...      attributes={"employees": 400}).build().attributes
        {'employees': 400}
    """
    return LeadBuilder(
        id=id,
        created=created,
        lifecycle=lifecycle,
        channel=channel,
        attributes=attributes or {},
        value=value,
        owner=owner,
    )


def organisation_of(
    leads: Iterable[Lead],
    *,
    lifecycle: Lifecycle,
    feedback: Iterable[LeadFeedback] = (),
    sla: ServiceLevelAgreement | None = None,
    campaigns: Iterable[Campaign] = (),
    members: Iterable[Member] = (),
    currency: str = "EUR",
    name: str = "Test company",
) -> Organisation:
    """An organisation holding ``leads``, with a member for every id they name.

    The members given are kept; every other id the leads, feedback and campaigns name
    becomes a member, by this rule: feedback authors, lead owners, those who moved a
    stage and campaign owners are sales' (campaign owners marketing's); a touch's member
    joins the touch's team.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> l1 = lead("L1", created=t, lifecycle=DEMAND_WATERFALL, channel="web", owner="s1")
        >>> org = organisation_of([l1.touch("call", after=timedelta(hours=1), member="s2").build()],
        ...                       lifecycle=DEMAND_WATERFALL)
        >>> sorted((m.id, m.team) for m in org.members)
        [('s1', 'sales'), ('s2', 'sales')]
    """
    lead_list, notes, given = tuple(leads), tuple(feedback), tuple(members)
    owners = tuple(campaigns)
    teams: dict[str, str] = {m.id: m.team for m in given}
    for campaign in owners:
        if campaign.owner_id is not None:
            teams.setdefault(campaign.owner_id, Team.MARKETING)
    for item in lead_list:
        for touch in item.touchpoints:
            if touch.member_id is not None:
                teams.setdefault(touch.member_id, touch.team)
        for who in [item.owner_id, *(c.by for c in item.history)]:
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
        name=name,
        currency=currency,
        lifecycle=lifecycle,
        members=given + extra,
        campaigns=owners,
        leads=lead_list,
        feedback=notes,
        sla=sla,
    )
