"""The organisation: one company's sales and marketing, in one immutable snapshot.

An :class:`Organisation` holds members, personas, narratives, campaigns, content,
leads, feedback, insights, KPIs, the SLA and meetings; it looks things up by id and
checks that every reference points at something it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from salesmark import _display
from salesmark import _validators as v
from salesmark._distinct import KnownDistinct
from salesmark.cadence import MeetingCadence
from salesmark.campaigns import Campaign
from salesmark.content import ContentAsset, ContentUsage
from salesmark.errors import (
    FieldError,
    IllegalTransition,
    MissingReason,
    SalesmarkError,
    UnknownReference,
    ValidationError,
)
from salesmark.feedback import ClientInsight, LeadFeedback
from salesmark.kpis import KpiDefinition, Measurement, Scorecard, Target
from salesmark.leads import Lead, StageChange
from salesmark.lifecycle import DEMAND_WATERFALL, Lifecycle
from salesmark.meetings import Meeting
from salesmark.money import Money
from salesmark.narratives import Narrative
from salesmark.personas import Persona
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import DEFAULT_TEAMS, Member, Team, TeamDefinition, sides_of
from salesmark.touchpoints import DEFAULT_SALES_ACTIVITIES

__all__ = ["Organisation"]

T = TypeVar("T")


def _pointer(where: str) -> str:
    """``leads[0].source.campaign_id`` as a JSON Pointer: ``/leads/0/source/campaign_id``."""
    return "/" + re.sub(r"\[(\d+)\]", r".\1", where).replace(".", "/")


def _index(items: Iterable[T], field: str, key: str = "id") -> dict[str, T]:
    index: dict[str, T] = {}
    for position, item in enumerate(items):
        ident = getattr(item, key)
        if ident in index:
            msg = f"Organisation.{field}[{position}] repeats {key} {ident!r}"
            raise ValidationError(
                msg,
                path=f"/{field}/{position}/{key}",
                value=ident,
                expected=f"a {key} not yet used",
            )
        index[ident] = item
    return index


def _kinds(value: Iterable[str]) -> frozenset[str]:
    try:
        kinds = v.sequence(value, "Organisation.sales_activities", "touchpoint kind names")
    except SalesmarkError as exc:
        exc.path = "/sales_activities"
        raise
    names = frozenset(str(getattr(k, "value", k)) for k in kinds)
    if not names or not all(isinstance(k, str) and k.strip() for k in names):
        msg = f"Organisation.sales_activities must name at least one touchpoint kind, got {value!r}"
        raise ValidationError(msg, path="/sales_activities", value=value)
    return names


def _unique_across(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Where each id is first given; an id given twice is refused, naming both places."""
    seen: dict[str, str] = {}
    for where, ident in items:
        if ident in seen:
            msg = f"{where} repeats id {ident!r} of {seen[ident]}"
            raise ValidationError(msg)
        seen[ident] = where
    return seen


def _require(known: Mapping[str, Any], ident: str | None, where: str, what: str) -> None:
    if ident is not None and ident not in known:
        msg = f"{where} names unknown {what} {ident!r}"
        raise UnknownReference(
            msg, path=_pointer(where), value=ident, expected=f"the id of one of its {what}s"
        )


def _illegal_history(lifecycle: Lifecycle, lead: Lead) -> IllegalTransition | None:
    """Why ``lead``'s history is not a legal walk of ``lifecycle``, or ``None`` if it is.

    The error returned (not raised) says what :meth:`Lifecycle.validate_history` says,
    with the path of the first illegal step within the lead (``/history/2/stage``, or
    ``/history/2/reason`` when a reason code is missing) and what was expected there.
    """
    history = lead.history
    try:
        lifecycle.validate_history([(c.stage, c.reason) for c in history])
    except IllegalTransition as exc:
        step, expected = 0, f"a stage of lifecycle {lifecycle.name!r}"
        if history[0].stage in lifecycle.stage_names:
            step = next(s for s in range(1, len(history)) if not _legal(lifecycle, history, s))
            before = history[step - 1].stage
            options = ", ".join(repr(t) for t in lifecycle.targets(before)) or "none"
            expected = f"a stage reachable from {before!r}: {options}"
        part = "stage"
        if isinstance(exc, MissingReason):
            part, expected = "reason", "a reason code accepted for this move"
        change = history[step]
        value = change.reason if part == "reason" else change.stage
        return type(exc)(str(exc), path=f"/history/{step}/{part}", value=value, expected=expected)
    return None


def _legal(lifecycle: Lifecycle, history: tuple[StageChange, ...], step: int) -> bool:
    try:
        lifecycle.check(history[step - 1].stage, history[step].stage, history[step].reason)
    except IllegalTransition:
        return False
    return True


@attrs.frozen(kw_only=True)
class Organisation:
    """A snapshot of one company's revenue teams and everything they share.

    Attributes:
        name: The company's name.
        currency: The reporting currency; lead values and budgets use it.
        lifecycle: The lead lifecycle every lead's history follows.
        teams: The company's teams and the side each plays (by default
            :data:`~salesmark.teams.DEFAULT_TEAMS`, ``sales`` and ``marketing``); every
            member's team must be one of them, and both sides must be played.
        members: The teams' members.
        personas: Buyer personas.
        narratives: Client narratives.
        campaigns: Marketing campaigns.
        content: Content assets.
        content_usage: Sales' use of content.
        leads: Leads with their touchpoints and histories.
        feedback: Sales' feedback on leads.
        insights: Client insights from sales.
        kpis: The shared KPI catalogue.
        measurements: KPI values per period.
        targets: KPI targets per period.
        scorecards: Each team's headline KPIs (at most one per team).
        sla: The service-level agreement, if one is in force.
        cadence: The joint meeting cadence, if set.
        meetings: Joint meetings held.
        sales_activities: The touchpoint kinds that count as a sales activity (what
            answers the SLA's follow-up, counts as a contact attempt and ends speed to
            lead); by default :data:`~salesmark.touchpoints.DEFAULT_SALES_ACTIVITIES`
            (call, email, meeting, demo).

    Raises:
        ValidationError: If an id repeats within a collection or an amount is in
            another currency.
        UnknownReference: If anything names an id the organisation does not hold.
        IllegalTransition: If leads' histories are not legal walks of the lifecycle
            (:meth:`Lifecycle.validate_history`); the error lists every such lead in its
            message and its ``errors``, each with the path of the first illegal step
            (``/leads/3/history/2/stage``). A :class:`MissingReason` when each of them
            lacks only a reason code.

    Every other error names the path of its field in ``path`` (``/leads/0/owner_id``).

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import Lead, LeadSource, Member, Team
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> org = Organisation(
        ...     name="Acme", currency="EUR",
        ...     members=(Member(id="s1", name="Sam", team=Team.SALES),),
        ...     leads=(Lead.create(id="L1", created_at=t, owner_id="s1"),),
        ... )
        >>> org.lead("L1").owner_id
        's1'
        >>> Organisation(name="Acme", currency="EUR",
        ...              leads=(Lead.create(id="L1", created_at=t, source=LeadSource(campaign_id="c9")),))
        Traceback (most recent call last):
        ...
        salesmark.errors.UnknownReference: leads[0].source.campaign_id names unknown campaign 'c9'
    """

    name: str = attrs.field(validator=v.non_empty_text)
    currency: str
    lifecycle: Lifecycle = attrs.field(default=DEMAND_WATERFALL, validator=v.instance_of(Lifecycle))
    teams: tuple[TeamDefinition, ...] = attrs.field(
        default=DEFAULT_TEAMS, converter=v.tuple_field, validator=v.items_of(TeamDefinition)
    )
    members: tuple[Member, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Member)
    )
    personas: tuple[Persona, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Persona)
    )
    narratives: tuple[Narrative, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Narrative)
    )
    campaigns: tuple[Campaign, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Campaign)
    )
    content: tuple[ContentAsset, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(ContentAsset)
    )
    content_usage: tuple[ContentUsage, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(ContentUsage)
    )
    leads: tuple[Lead, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Lead)
    )
    feedback: tuple[LeadFeedback, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(LeadFeedback)
    )
    insights: tuple[ClientInsight, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(ClientInsight)
    )
    kpis: tuple[KpiDefinition, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(KpiDefinition)
    )
    measurements: tuple[Measurement, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Measurement)
    )
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Target)
    )
    scorecards: tuple[Scorecard, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Scorecard)
    )
    sla: ServiceLevelAgreement | None = attrs.field(
        default=None, validator=v.optional_instance_of(ServiceLevelAgreement)
    )
    cadence: MeetingCadence | None = attrs.field(
        default=None, validator=v.optional_instance_of(MeetingCadence)
    )
    meetings: tuple[Meeting, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Meeting)
    )

    sales_activities: frozenset[str] = attrs.field(
        default=DEFAULT_SALES_ACTIVITIES, converter=_kinds
    )

    _members: dict[str, Member] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _personas: dict[str, Persona] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _narratives: dict[str, Narrative] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _campaigns: dict[str, Campaign] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _content: dict[str, ContentAsset] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _leads: dict[str, Lead] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _kpis: dict[str, KpiDefinition] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        try:
            Money.zero(self.currency)  # validates the currency code
        except SalesmarkError as exc:
            exc.path = "/currency"
            raise
        indexes = {
            "_members": _index(self.members, "members"),
            "_personas": _index(self.personas, "personas"),
            "_narratives": _index(self.narratives, "narratives"),
            "_campaigns": _index(self.campaigns, "campaigns"),
            "_content": _index(self.content, "content"),
            "_leads": _index(self.leads, "leads"),
            "_kpis": _index(self.kpis, "kpis", key="key"),
        }
        _index(self.meetings, "meetings")
        self._check_teams()
        for name, index in indexes.items():
            object.__setattr__(self, name, index)
        self._check_references()
        # each lead once, checked: analytics handed org.leads need not check again
        object.__setattr__(self, "leads", KnownDistinct(self.leads))

    def __repr__(self) -> str:
        return (
            f"Organisation(name={self.name!r}, members={len(self.members)}, "
            f"personas={len(self.personas)}, campaigns={len(self.campaigns)}, "
            f"leads={len(self.leads)})"
        )

    def _repr_html_(self) -> str:
        """The organisation in a notebook: what it holds, counted."""
        teams = {t.name: sum(1 for m in self.members if m.team == t.name) for t in self.teams}
        facts = [
            ("currency", self.currency),
            ("lifecycle", self.lifecycle.name),
            ("members", ", ".join(f"{n} in {name}" for name, n in teams.items())),
            (
                "personas",
                f"{len(self.personas)} ({sum(p.is_validated for p in self.personas)} validated)",
            ),
            (
                "narratives",
                f"{len(self.narratives)} ({sum(n.is_agreed for n in self.narratives)} agreed)",
            ),
            ("campaigns", len(self.campaigns)),
            ("content assets", len(self.content)),
            ("leads", len(self.leads)),
            (
                "feedback and insights",
                f"{len(self.feedback)} feedback, {len(self.insights)} insights",
            ),
            (
                "KPIs",
                f"{len(self.kpis)} defined, {len(self.measurements)} measurements, {len(self.targets)} targets",
            ),
            ("SLA", None if self.sla is None else self.sla.id),
            ("meetings", len(self.meetings)),
        ]
        return _display.fields(facts, caption=repr(self))

    def _money(self, amount: Money | None, where: str) -> None:
        if amount is not None and amount.currency != self.currency:
            msg = f"{where} is {amount!r}, not in the organisation's currency {self.currency}"
            raise ValidationError(
                msg, path=_pointer(where), value=amount, expected=f"an amount in {self.currency}"
            )

    def _check_teams(self) -> None:
        """Team names once each, both sides played, every member on a named team."""
        names: set[str] = set()
        for i, team in enumerate(self.teams):
            if team.name in names:
                msg = f"teams[{i}] names team {team.name!r} a second time"
                raise ValidationError(
                    msg, path=f"/teams/{i}/name", value=team.name, expected="each name once"
                )
            names.add(team.name)
        for side in Team:
            if not any(team.plays(side) for team in self.teams):
                msg = f"Organisation.teams must have a team on the {side.value} side, got {sorted(names)}"
                raise ValidationError(
                    msg, path="/teams", value=sorted(names), expected=f"a team playing {side.value}"
                )
        sides_of(self.members, self.teams)

    def _check_references(self) -> None:  # noqa: PLR0912 (one check per reference kind)
        members, personas = self._members, self._personas
        insights = _index((i for i in self.insights if i.id is not None), "insights")
        for i, n in enumerate(self.narratives):
            _require(personas, n.persona_id, f"narratives[{i}].persona_id", "persona")
            self._check_evidence(insights, n.insight_ids, f"narratives[{i}].insight_ids")
            for j, old in enumerate(n.revisions):
                where = f"narratives[{i}].revisions[{j}]"
                self._check_evidence(insights, old.insight_ids, f"{where}.insight_ids")
                self._check_evidence(insights, old.prompted_by, f"{where}.prompted_by")
            for j, a in enumerate(n.approvals):
                _require(
                    members, a.member_id, f"narratives[{i}].approvals[{j}].member_id", "member"
                )
        for i, p in enumerate(self.personas):
            for j, a in enumerate(p.approvals):
                _require(members, a.member_id, f"personas[{i}].approvals[{j}].member_id", "member")
        for i, c in enumerate(self.campaigns):
            _require(members, c.owner_id, f"campaigns[{i}].owner_id", "member")
            self._money(c.budget, f"campaigns[{i}].budget")
        for i, asset in enumerate(self.content):
            _require(members, asset.owner_id, f"content[{i}].owner_id", "member")
            _require(
                self._narratives, asset.narrative_id, f"content[{i}].narrative_id", "narrative"
            )
            for j, persona_id in enumerate(asset.persona_ids):
                _require(personas, persona_id, f"content[{i}].persona_ids[{j}]", "persona")
        for i, u in enumerate(self.content_usage):
            _require(self._content, u.asset_id, f"content_usage[{i}].asset_id", "content asset")
            _require(members, u.member_id, f"content_usage[{i}].member_id", "member")
            _require(self._leads, u.lead_id, f"content_usage[{i}].lead_id", "lead")
        for i, lead in enumerate(self.leads):
            self._check_lead(i, lead)
        self._check_histories()
        for i, f in enumerate(self.feedback):
            _require(self._leads, f.lead_id, f"feedback[{i}].lead_id", "lead")
            _require(members, f.member_id, f"feedback[{i}].member_id", "member")
        for i, ins in enumerate(self.insights):
            _require(members, ins.member_id, f"insights[{i}].member_id", "member")
            _require(personas, ins.persona_id, f"insights[{i}].persona_id", "persona")
            _require(self._leads, ins.lead_id, f"insights[{i}].lead_id", "lead")
        for i, measurement in enumerate(self.measurements):
            _require(self._kpis, measurement.kpi, f"measurements[{i}].kpi", "KPI")
        for i, target in enumerate(self.targets):
            _require(self._kpis, target.kpi, f"targets[{i}].kpi", "KPI")
        teams: set[Team] = set()
        for i, card in enumerate(self.scorecards):
            if card.team in teams:
                msg = f"scorecards[{i}] is a second scorecard for the {card.team.value} team"
                raise ValidationError(
                    msg, path=f"/scorecards/{i}/team", value=card.team, expected="one card per team"
                )
            teams.add(card.team)
            for j, key in enumerate(card.kpis):
                _require(self._kpis, key, f"scorecards[{i}].kpis[{j}]", "KPI")
        self._check_meetings()

    @staticmethod
    def _check_evidence(insights: Mapping[str, Any], ids: Iterable[str], where: str) -> None:
        for j, ident in enumerate(ids):
            _require(insights, ident, f"{where}[{j}]", "insight")

    def _check_meetings(self) -> None:
        members = self._members
        decisions = _unique_across(
            (f"meetings[{i}].decisions[{j}]", d.id)
            for i, m in enumerate(self.meetings)
            for j, d in enumerate(m.decisions)
        )
        _unique_across(
            (f"meetings[{i}].actions[{j}]", a.id)
            for i, m in enumerate(self.meetings)
            for j, a in enumerate(m.actions)
        )
        for i, m in enumerate(self.meetings):
            for j, who in enumerate(m.attendees):
                _require(members, who, f"meetings[{i}].attendees[{j}]", "member")
            for j, action in enumerate(m.actions):
                where = f"meetings[{i}].actions[{j}]"
                _require(members, action.owner_id, f"{where}.owner_id", "member")
                _require(decisions, action.decision_id, f"{where}.decision_id", "decision")
            for j, decision in enumerate(m.decisions):
                where = f"meetings[{i}].decisions[{j}].owner_id"
                _require(members, decision.owner_id, where, "member")

    def _lead_is_sound(self, lead: Lead) -> bool:
        """Whether every reference and amount of ``lead`` holds (checked without naming paths)."""
        members, campaigns, content = self._members, self._campaigns, self._content
        source = None if lead.source is None else lead.source.campaign_id
        if (
            (lead.owner_id is not None and lead.owner_id not in members)
            or (lead.persona_id is not None and lead.persona_id not in self._personas)
            or (source is not None and source not in campaigns)
            or (lead.value is not None and lead.value.currency != self.currency)
        ):
            return False
        for t in lead.touchpoints:
            if (
                (t.campaign_id is not None and t.campaign_id not in campaigns)
                or (t.content_id is not None and t.content_id not in content)
                or (t.member_id is not None and t.member_id not in members)
            ):
                return False
        return all(c.by is None or c.by in members for c in lead.history)

    def _check_lead(self, i: int, lead: Lead) -> None:
        if self._lead_is_sound(lead):  # the usual case: no error paths to build
            return
        members, campaigns = self._members, self._campaigns
        _require(members, lead.owner_id, f"leads[{i}].owner_id", "member")
        _require(self._personas, lead.persona_id, f"leads[{i}].persona_id", "persona")
        if lead.source is not None:
            _require(
                campaigns, lead.source.campaign_id, f"leads[{i}].source.campaign_id", "campaign"
            )
        self._money(lead.value, f"leads[{i}].value")
        for j, t in enumerate(lead.touchpoints):
            _require(
                campaigns, t.campaign_id, f"leads[{i}].touchpoints[{j}].campaign_id", "campaign"
            )
            _require(
                self._content,
                t.content_id,
                f"leads[{i}].touchpoints[{j}].content_id",
                "content asset",
            )
            _require(members, t.member_id, f"leads[{i}].touchpoints[{j}].member_id", "member")
        for j, change in enumerate(lead.history):
            _require(members, change.by, f"leads[{i}].history[{j}].by", "member")

    def _check_histories(self) -> None:
        """Every lead's history against the lifecycle; all bad leads in one error."""
        bad: list[tuple[int, Lead, IllegalTransition]] = []
        for i, lead in enumerate(self.leads):
            problem = _illegal_history(self.lifecycle, lead)
            if problem is not None:
                bad.append((i, lead, problem))
        if not bad:
            return
        found = [
            FieldError(
                path=f"/leads/{i}{exc.path}",
                message=f"leads[{i}] (lead {lead.id!r}) has an illegal history: {exc}",
                value=exc.errors[0].value,
                expected=exc.errors[0].expected,
            )
            for i, lead, exc in bad
        ]
        if len(found) == 1:
            msg = found[0].message
        else:
            msg = f"{len(found)} leads have an illegal history: " + "; ".join(
                f.message for f in found
            )
        kind = (
            MissingReason
            if all(isinstance(e, MissingReason) for *_, e in bad)
            else IllegalTransition
        )
        raise kind(msg, path=found[0].path, errors=found)

    # -- lookups ---------------------------------------------------------------------------

    def member(self, member_id: str) -> Member:
        """The member with ``member_id``; raises :class:`UnknownReference` if none."""
        return self._lookup(self._members, member_id, "member")

    def persona(self, persona_id: str) -> Persona:
        """The persona with ``persona_id``; raises :class:`UnknownReference` if none."""
        return self._lookup(self._personas, persona_id, "persona")

    def narrative(self, narrative_id: str) -> Narrative:
        """The narrative with ``narrative_id``; raises :class:`UnknownReference` if none."""
        return self._lookup(self._narratives, narrative_id, "narrative")

    def campaign(self, campaign_id: str) -> Campaign:
        """The campaign with ``campaign_id``; raises :class:`UnknownReference` if none."""
        return self._lookup(self._campaigns, campaign_id, "campaign")

    def content_asset(self, asset_id: str) -> ContentAsset:
        """The content asset with ``asset_id``; raises :class:`UnknownReference` if none."""
        return self._lookup(self._content, asset_id, "content asset")

    def lead(self, lead_id: str) -> Lead:
        """The lead with ``lead_id``; raises :class:`UnknownReference` if none."""
        return self._lookup(self._leads, lead_id, "lead")

    def kpi(self, key: str) -> KpiDefinition:
        """The KPI definition with ``key``; raises :class:`UnknownReference` if none."""
        return self._lookup(self._kpis, key, "KPI")

    def team(self, team: str | Team) -> tuple[Member, ...]:
        """The members of a named team, or of every team on a side.

        Args:
            team: A team name from :attr:`teams` (``"sdr"``), or a :class:`Team` side:
                ``Team.SALES`` gives the members of every team playing sales.

        Raises:
            UnknownReference: If ``team`` is text naming no team of the organisation.

        Example:
            >>> from salesmark import Member, Team
            >>> from salesmark.teams import TeamDefinition
            >>> org = Organisation(name="A", currency="EUR", teams=(
            ...     TeamDefinition(name="sdr", sides=(Team.SALES,)),
            ...     TeamDefinition(name="ae", sides=(Team.SALES,)),
            ...     TeamDefinition(name="growth", sides=(Team.MARKETING,)),
            ... ), members=(Member(id="d1", name="Dev", team="sdr"), Member(id="a1", name="Ana", team="ae")))
            >>> [m.id for m in org.team(Team.SALES)], [m.id for m in org.team("ae")]
            (['d1', 'a1'], ['a1'])
        """
        if isinstance(team, Team):
            names = {t.name for t in self.teams if t.plays(team)}
            return tuple(m for m in self.members if m.team in names)
        v.require(team, str, "Organisation.team team")
        if not any(t.name == team for t in self.teams):
            msg = f"Organisation {self.name!r} has no team {team!r}; its teams are {[t.name for t in self.teams]}"
            raise UnknownReference(msg, value=team)
        return tuple(m for m in self.members if m.team == team)

    def sides(self, member_id: str) -> tuple[Team, ...]:
        """The sides the member with ``member_id`` plays, through their team.

        Raises:
            UnknownReference: If the organisation has no such member.

        Example:
            >>> from salesmark import Member, Team
            >>> org = Organisation(name="A", currency="EUR", members=(Member(id="s1", name="Sam", team=Team.SALES),))
            >>> org.sides("s1")
            (<Team.SALES: 'sales'>,)
        """
        member = self.member(member_id)
        return next(t.sides for t in self.teams if t.name == member.team)

    def scorecard(self, team: Team) -> Scorecard | None:
        """The scorecard of ``team``, if it has one."""
        return next((s for s in self.scorecards if s.team is team), None)

    @staticmethod
    def _lookup(index: Mapping[str, T], ident: str, what: str) -> T:
        try:
            return index[ident]
        except KeyError:
            msg = f"the organisation has no {what} with id {ident!r}"
            raise UnknownReference(msg) from None
