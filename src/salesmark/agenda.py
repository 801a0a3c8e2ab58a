"""The data-driven agenda: what the joint meeting should discuss, ranked and time-boxed.

:func:`build_agenda` reads the organisation's KPIs against their targets, SLA
compliance on both sides, sales' rejection reasons, client-insight themes, narratives,
personas and content use, ranks the topics it finds and fits them to the meeting's
time box. It follows through: the open action items and the decisions due for review
that earlier meetings left come first, topics deferred before rotate ahead of new ones,
and whatever was passed over too often is escalated.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from salesmark import _validators as v
from salesmark._agenda_loop import (
    Proposal,
    action_proposals,
    decision_proposals,
    forecast_proposal,
    losing_proposal,
    unreflected_proposal,
)
from salesmark._time import instant, require_aware
from salesmark.calendars import WorkingCalendar
from salesmark.compliance import SlaCompliance, sla_compliance
from salesmark.follow_through import times_deferred
from salesmark.insights import rank_themes
from salesmark.kpis import TargetStatus
from salesmark.meetings import Agenda, AgendaItem
from salesmark.metrics import KpiAssumptions, evaluate_targets
from salesmark.narratives import EVIDENCE_WINDOW
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.teams import Team

__all__ = ["AgendaTopic", "build_agenda"]


class AgendaTopic(str, enum.Enum):
    """The kinds of topic :func:`build_agenda` proposes, each with a weight and a time slot.

    ``weight`` says how much the topic matters to revenue before looking at the data;
    ``minutes`` is the time it gets on the agenda.

    Example:
        >>> AgendaTopic.SLA_SALES.weight, AgendaTopic.SLA_SALES.minutes
        (5.0, 5)
    """

    OPEN_ACTION = "open_action"
    DECISION_REVIEW = "decision_review"
    SLA_SALES = "sla_sales"
    SLA_MARKETING = "sla_marketing"
    KPI_OFF_TRACK = "kpi_off_track"
    FORECAST_TARGET = "forecast_target"
    REJECTION_REASONS = "rejection_reasons"
    KPI_AT_RISK = "kpi_at_risk"
    INSIGHT_THEMES = "insight_themes"
    UNREFLECTED_THEMES = "unreflected_themes"
    NARRATIVES = "narratives"
    PERSONA_REVIEW = "persona_review"
    LOSING_CONTENT = "losing_content"
    UNUSED_CONTENT = "unused_content"

    @property
    def weight(self) -> float:
        """The topic's base weight (5 = most urgent)."""
        return _TOPIC_RULES[self][0]

    @property
    def minutes(self) -> int:
        """Minutes the topic gets on the agenda."""
        return _TOPIC_RULES[self][1]


_TOPIC_RULES: dict[AgendaTopic, tuple[float, int]] = {
    AgendaTopic.OPEN_ACTION: (4.0, 1),
    AgendaTopic.DECISION_REVIEW: (3.0, 2),
    AgendaTopic.SLA_SALES: (5.0, 5),
    AgendaTopic.SLA_MARKETING: (5.0, 5),
    AgendaTopic.KPI_OFF_TRACK: (4.0, 4),
    AgendaTopic.FORECAST_TARGET: (4.0, 4),
    AgendaTopic.REJECTION_REASONS: (3.0, 5),
    AgendaTopic.KPI_AT_RISK: (2.0, 3),
    AgendaTopic.INSIGHT_THEMES: (2.0, 4),
    AgendaTopic.UNREFLECTED_THEMES: (2.0, 4),
    AgendaTopic.NARRATIVES: (2.0, 4),
    AgendaTopic.PERSONA_REVIEW: (1.5, 3),
    AgendaTopic.LOSING_CONTENT: (1.5, 3),
    AgendaTopic.UNUSED_CONTENT: (1.0, 3),
}
_ORDER = {topic: index for index, topic in enumerate(AgendaTopic)}
_LISTED = 5  # at most this many leads / assets named in one evidence line


def _priority(topic: AgendaTopic, severity: float) -> float:
    return round(topic.weight * (1.0 + min(1.0, max(0.0, severity))), 4)


_FOLLOW_UP = frozenset({AgendaTopic.OPEN_ACTION, AgendaTopic.DECISION_REVIEW})


@attrs.frozen(kw_only=True)
class _Candidate:
    topic: AgendaTopic
    item: AgendaItem

    @property
    def group(self) -> int:
        """Follow-up first (escalated first), then escalated topics, deferred ones, the rest."""
        if self.topic in _FOLLOW_UP:
            return 0 if self.item.escalated else 1
        if self.item.escalated:
            return 2
        return 3 if self.item.deferrals else 4


def _candidate(
    topic: AgendaTopic,
    title: str,
    owner: Team,
    severity: float,
    evidence: Iterable[str],
    *,
    key: str | None = None,
) -> _Candidate:
    item = AgendaItem(
        title=title,
        owner=owner,
        minutes=topic.minutes,
        evidence=tuple(evidence),
        priority=_priority(topic, severity),
        key=topic.value if key is None else key,
    )
    return _Candidate(topic=topic, item=item)


def _proposed(topic: AgendaTopic, proposals: Iterable[Proposal]) -> list[_Candidate]:
    out = []
    for p in proposals:
        c = _candidate(topic, p.title, p.owner, p.severity, p.evidence, key=p.key)
        item = attrs.evolve(c.item, deferrals=p.deferrals, escalated=p.escalated)
        out.append(_Candidate(topic=topic, item=item))
    return out


def _rotated(org: Organisation, c: _Candidate, at: datetime, escalate_after: int) -> _Candidate:
    """The topic with how often earlier meetings deferred it; escalated when that is enough."""
    deferrals = times_deferred(org, c.item.key, at=at)
    if not deferrals:
        return c
    escalated = deferrals >= escalate_after
    title = f"Escalated: {c.item.title}" if escalated else c.item.title
    item = attrs.evolve(c.item, title=title, deferrals=deferrals, escalated=escalated)
    return _Candidate(topic=c.topic, item=item)


def _names(ids: Iterable[str]) -> str:
    items = list(ids)
    shown = ", ".join(items[:_LISTED])
    return shown + (f" and {len(items) - _LISTED} more" if len(items) > _LISTED else "")


def _pct(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _sla_items(report: SlaCompliance) -> list[_Candidate]:
    out: list[_Candidate] = []
    m, s = report.marketing, report.sales
    if not m.met:
        severities = [0.0]
        evidence: list[str] = []
        if not m.volume_met and m.committed > 0:
            severities.append(float(1 - Decimal(m.delivered) / m.committed))
            evidence.append(f"{m.delivered} of {m.committed} committed MQLs delivered")
        if m.acceptance_met is False and m.acceptance_rate is not None:
            shortfall = (m.min_acceptance_rate - m.acceptance_rate) / m.min_acceptance_rate
            severities.append(float(shortfall))
            evidence.append(
                f"acceptance {_pct(m.acceptance_rate)} vs minimum {_pct(m.min_acceptance_rate)} "
                f"({m.accepted} accepted, {m.rejected} not)"
            )
        if m.breaches:
            evidence.append("not accepted: " + _names(b.lead_id for b in m.breaches))
        out.append(
            _candidate(
                AgendaTopic.SLA_MARKETING,
                "SLA: marketing's commitments missed",
                Team.MARKETING,
                max(severities),
                evidence,
            )
        )
    if s.breaches and m.delivered:
        leads = {b.lead_id for b in s.breaches}
        evidence = [f"{len(leads)} of {m.delivered} MQLs breached sales' commitments"]
        for kind in dict.fromkeys(b.kind for b in s.breaches):
            ids = [b.lead_id for b in s.breaches if b.kind is kind]
            evidence.append(f"{kind.value}: {_names(ids)}")
        out.append(
            _candidate(
                AgendaTopic.SLA_SALES,
                "SLA: sales' commitments missed",
                Team.SALES,
                len(leads) / m.delivered,
                evidence,
            )
        )
    return out


def _kpi_items(
    org: Organisation, period: Period, assumptions: KpiAssumptions | None
) -> list[_Candidate]:
    headline = {card.team: set(card.kpis) for card in org.scorecards}
    out: list[_Candidate] = []
    # the scorecard's values: a recorded measurement, else the catalogue's computation
    for judged in evaluate_targets(org, period, compute=True, assumptions=assumptions):
        status, value, goal = judged.status, judged.value, judged.goal
        if status is None or value is None or status is TargetStatus.ON_TRACK:
            continue
        kpi = org.kpi(judged.kpi)
        topic = (
            AgendaTopic.KPI_OFF_TRACK
            if status is TargetStatus.OFF_TRACK
            else AgendaTopic.KPI_AT_RISK
        )
        severity = 1.0 if goal == 0 else float(abs(value - goal) / abs(goal))
        owners = [t for t in kpi.owners if judged.kpi in headline.get(t, set())] or list(kpi.owners)
        label = "off track" if status is TargetStatus.OFF_TRACK else "at risk"
        evidence = [
            f"{kpi.name}: {value} vs goal {goal} ({kpi.direction.value.replace('_', ' ')})",
            f"formula: {kpi.formula}",
        ]
        title = f"KPI {label}: {kpi.name}"
        out.append(_candidate(topic, title, owners[0], severity, evidence, key=f"kpi:{kpi.key}"))
    return out


def _mql_count(org: Organisation, period: Period, at: datetime) -> int:
    """Handovers in the period: every entry into the handover stage, as the SLA counts them."""
    handover = org.lifecycle.handover
    return sum(
        1
        for lead in org.leads
        for change in lead.history
        if change.stage == handover and period.contains(change.at) and change.at <= at
    )


def _rejection_item(org: Organisation, period: Period, at: datetime, top: int) -> list[_Candidate]:
    # turned down: a move off the lifecycle's progression, with a reason code, from a
    # stage before the opportunity (inquiry/SAL/SQL -> disqualified, MQL -> rejected or
    # recycled in the demand waterfall; -> "other" in HubSpot's); a lost opportunity,
    # or a lead recycled after a loss, is not a lead rejection
    path = org.lifecycle.progression
    on_path = frozenset(path)
    before_opportunity = frozenset(path[:-2])
    reasons: dict[str, set[str]] = {}
    for lead in org.leads:
        for before, change in zip(lead.history, lead.history[1:], strict=False):
            if (
                before.stage in before_opportunity
                and change.stage not in on_path
                and change.reason
                and period.contains(change.at)
                and instant(change.at) <= instant(at)
            ):
                reasons.setdefault(lead.id, set()).add(change.reason)
    for fb in org.feedback:
        if not fb.accepted and period.contains(fb.at) and instant(fb.at) <= instant(at):
            reasons.setdefault(fb.lead_id, set()).update(r.value for r in fb.reasons)
    if not reasons:
        return []
    counts = Counter(code for codes in reasons.values() for code in codes)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    mqls = _mql_count(org, period, at)
    severity = 1.0 if mqls == 0 else len(reasons) / mqls
    evidence = [f"{len(reasons)} lead(s) turned down; {mqls} MQLs in the period"]
    evidence += [f"{code}: {n} lead(s)" for code, n in ranked]
    title = f"Lead quality: top rejection reason {ranked[0][0]!r}"
    return [_candidate(AgendaTopic.REJECTION_REASONS, title, Team.MARKETING, severity, evidence)]


def _theme_item(
    org: Organisation, period: Period, at: datetime, half_life: timedelta, top: int
) -> list[_Candidate]:
    # ranked by reach across salespeople and accounts, recency and sentiment (insights)
    ranking = rank_themes(org, period, at=at, half_life=half_life)
    if not ranking.themes:
        return []
    ranked = ranking.themes[:top]
    evidence = [
        f"{t.theme}: {t.mentions} of {ranking.insights} insights, latest {t.latest.date().isoformat()}"
        for t in ranked
    ]
    severity = float(ranked[0].weighted_mentions) / ranking.insights
    title = f"Client insights: {ranked[0].theme!r} is the most prevalent theme"
    return [_candidate(AgendaTopic.INSIGHT_THEMES, title, Team.SALES, severity, evidence)]


def _narrative_item(
    org: Organisation, at: datetime, max_age: timedelta, window: timedelta
) -> list[_Candidate]:
    live = [n for n in org.narratives if n.status.value != "retired"]
    evidence: list[str] = []
    waiting: set[Team] = set()
    flagged = 0
    for n in live:
        if n.awaiting:
            flagged += 1
            teams = " and ".join(sorted(t.value for t in n.awaiting))
            waiting |= n.awaiting
            evidence.append(f"{n.id} (v{n.version}) awaits {teams} approval")
        elif n.is_stale(at, max_age):
            flagged += 1
            evidence.append(
                f"{n.id} (v{n.version}) agreed version from {n.created_at.date().isoformat()} "
                f"is older than {max_age.days} days"
            )
        elif n.is_stale(at, max_age, insights=org.insights, evidence_window=window):
            flagged += 1
            evidence.append(
                f"{n.id} (v{n.version}) has no supporting insight in the {window.days} days "
                f"before {at.date().isoformat()}"
            )
    if not flagged:
        return []
    owner = next(iter(waiting)) if len(waiting) == 1 else Team.MARKETING
    title = f"Narratives: {flagged} awaiting approval or stale"
    return [_candidate(AgendaTopic.NARRATIVES, title, owner, flagged / len(live), evidence)]


def _persona_item(org: Organisation, at: datetime) -> list[_Candidate]:
    due = [p for p in org.personas if p.is_review_due(at)]
    if not due:
        return []
    evidence = [
        f"{p.id} {p.name!r} review due {p.review_due.date().isoformat()}"
        for p in due
        if p.review_due is not None
    ]
    title = f"Personas: {len(due)} due for review"
    severity = len(due) / len(org.personas)
    return [_candidate(AgendaTopic.PERSONA_REVIEW, title, Team.MARKETING, severity, evidence)]


def _content_item(org: Organisation, at: datetime) -> list[_Candidate]:
    if not org.content:
        return []
    sellers = {m.id for m in org.team(Team.SALES)}
    used = {u.asset_id for u in org.content_usage if u.at <= at and u.member_id in sellers}
    unused = [a for a in org.content if a.id not in used]
    if not unused:
        return []
    evidence = [f"{len(unused)} of {len(org.content)} assets never used by sales"]
    evidence += [
        f"{a.id} {a.title!r} ({a.kind.value}, owner {a.owner_id})" for a in unused[:_LISTED]
    ]
    title = f"Content: {len(unused)} asset(s) sales never used"
    severity = len(unused) / len(org.content)
    return [_candidate(AgendaTopic.UNUSED_CONTENT, title, Team.MARKETING, severity, evidence)]


def build_agenda(
    org: Organisation,
    period: Period,
    duration: timedelta = timedelta(minutes=30),
    *,
    at: datetime | None = None,
    calendar: WorkingCalendar | None = None,
    narrative_max_age: timedelta = timedelta(days=180),
    theme_half_life: timedelta = timedelta(days=30),
    top: int = 3,
    upcoming: int = 3,
    assumptions: KpiAssumptions | None = None,
    escalate_after: int = 2,
    theme_min_reps: int = 3,
    narrative_evidence_window: timedelta = EVIDENCE_WINDOW,
) -> Agenda:
    """Propose the joint meeting's agenda from the organisation's data and its meetings.

    Follow-up items, one per action or decision, drawn from the meetings held by ``at``:

    * every action item still open at ``at``, overdue or not
      (:func:`~salesmark.follow_through.open_actions`);
    * every decision due for review at ``at``
      (:func:`~salesmark.follow_through.decisions_due`).

    Candidate topics (at most one per kind, except one per KPI off track or at risk):

    * KPIs whose value for ``period`` misses its target for ``period``
      (:meth:`~salesmark.kpis.Target.status` with the KPI's direction); the value is
      the one the scorecard shows: the measurement recorded for the period, or else
      the catalogue's computation from the data (see
      :func:`~salesmark.metrics.evaluate_targets` with ``compute=True``); a KPI with
      neither is left out;
    * while ``period`` is not over (``at`` before its end) and ``assumptions`` hold a
      ``revenue_target``: the forecast of the period's bookings as of ``at``
      (:func:`~salesmark.planning.forecast`, 80% interval, seed 0) when its interval
      misses the target, either way;
    * SLA breaches on marketing's side and on sales' side (:func:`~salesmark.compliance.sla_compliance`);
    * the most frequent lead-rejection reasons: sales' negative feedback and the
      reason codes of moves in the period off the lifecycle's progression from a stage
      before the opportunity (``rejected``, ``recycled`` or ``disqualified`` in the
      demand waterfall; ``other`` in HubSpot's; not a lost deal), each reason counted once per lead;
    * the most prevalent client-insight themes in the period, each insight weighted by
      recency (halving every ``theme_half_life`` before ``at``);
    * themes raised by at least ``theme_min_reps`` salespeople that no agreed
      narrative rests on (:func:`~salesmark.insights.unreflected_themes`);
    * narratives awaiting approval, or agreed but older than ``narrative_max_age``, or
      whose evidence is stale: no supporting insight in ``narrative_evidence_window``;
    * personas whose review is due at ``at``;
    * content assets that win significantly less often than average (the whole Wilson
      interval of their lift below 1, :func:`~salesmark.content_performance.content_performance`);
    * content assets no salesperson has used by ``at``.

    **Ranking rule.** Each topic has a base weight (see :class:`AgendaTopic`) and a
    severity from 0 to 1 read from the data; ``priority = weight x (1 + severity)``,
    highest first, ties broken by the topic order of :class:`AgendaTopic`, then title.
    Severity is: the KPI's relative miss ``|value - goal| / |goal|`` (1 when the goal
    is 0); for the forecast the target's distance from the nearer end of the interval
    over the target; for sales' SLA the share of the period's MQLs with a breach; for marketing's
    SLA the larger of the volume shortfall ``1 - delivered / committed`` and the
    acceptance shortfall ``(minimum - rate) / minimum``; for rejections the leads turned
    down per handover into the MQL stage in the period; for themes the top theme's
    recency-weighted share of insights (themes are ranked by
    :func:`~salesmark.insights.rank_themes`); for unreflected themes the top one's
    share of the salespeople who reported any insight in the period; for an action 1 when overdue, else 0; for a decision 1 when
    an earlier meeting already left it unreviewed, else 0; for narratives, personas and
    content the share flagged (losing content: among the assets in closed deals).
    Severity is capped at 1, so a severe lower-weight topic can overtake a mild
    higher-weight one but never one of more than twice its weight.

    **Follow-through and rotation.** Items are ranked in five groups, by priority
    within each: escalated follow-up items, other follow-up items, escalated topics,
    topics deferred before, and the rest. A topic is recognised across meetings by its
    :attr:`~salesmark.meetings.AgendaItem.key`; its ``deferrals`` count the meetings
    that deferred it since one last covered it
    (:func:`~salesmark.follow_through.times_deferred`), so a topic the time box pushed
    out last time goes ahead of the new ones this time. A topic deferred at
    ``escalate_after`` meetings, an action on at least its ``escalate_after``-th agenda
    while still open, and a decision left unreviewed as often are escalated: marked,
    titled "Escalated: ..." and put first.

    **Fitting.** Items are taken in rank order and kept while their minutes fit in what
    is left of ``duration``; an item that does not fit is deferred and smaller items
    after it may still fit. Follow-up items come first, so they fit first.

    Args:
        org: The organisation.
        period: The period the data covers (KPI targets must be for this exact period).
        duration: The time box.
        at: When the agenda is built (timezone-aware); ``period.end`` by default.
        calendar: The working calendar for an SLA in business hours.
        narrative_max_age: Age after which an agreed narrative is stale.
        theme_half_life: Recency half-life for insight themes.
        top: How many rejection reasons and themes to list.
        upcoming: How many next meeting dates to list.
        assumptions: The inputs the data cannot give, for KPIs computed from the data.
        escalate_after: How often an item may be passed over before it is escalated.
        theme_min_reps: How many salespeople must raise a theme before a missing
            narrative for it is an agenda topic.
        narrative_evidence_window: How recent a supporting insight must be for a
            narrative's evidence to be fresh.

    Returns:
        The agenda with fitted and deferred items and the next meeting dates.

    Raises:
        ValidationError: If ``org`` is not an Organisation, ``period`` not a Period,
            ``duration``, ``theme_half_life``, ``narrative_max_age`` or
            ``narrative_evidence_window`` is not positive, ``top``/``upcoming`` is
            negative, or ``escalate_after``/``theme_min_reps`` is below 1.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import BuyingStage, ContentAsset, ContentKind, Member, MeetingCadence, Organisation
        >>> org = Organisation(
        ...     name="Acme", currency="EUR",
        ...     members=(Member(id="m1", name="Mia", team=Team.MARKETING),),
        ...     content=(ContentAsset(id="a1", title="ROI guide", kind=ContentKind.EBOOK,
        ...                           stage=BuyingStage.DECISION, owner_id="m1"),),
        ...     cadence=MeetingCadence.weekly(datetime(2026, 1, 6, 9, tzinfo=timezone.utc)),
        ... )
        >>> agenda = build_agenda(org, Period.month(2026, 3))
        >>> agenda
        Agenda(30 min: 1 items (3 min), 0 deferred, next meeting 2026-04-07)
        >>> agenda.items[0].title, agenda.items[0].priority
        ('Content: 1 asset(s) sales never used', 2.0)
    """
    v.require(org, Organisation, "build_agenda org")
    v.require(period, Period, "build_agenda period")
    when = period.end if at is None else require_aware(at, "build_agenda at")
    for name, span in (
        ("duration", duration),
        ("narrative_max_age", narrative_max_age),
        ("theme_half_life", theme_half_life),
        ("narrative_evidence_window", narrative_evidence_window),
    ):
        v.require_positive_duration(span, f"build_agenda {name}")
    v.require_whole(top, "build_agenda top")
    v.require_whole(upcoming, "build_agenda upcoming")
    v.require_whole(escalate_after, "build_agenda escalate_after", minimum=1)
    v.require_whole(theme_min_reps, "build_agenda theme_min_reps", minimum=1)
    candidates: list[_Candidate] = []
    if org.sla is not None:
        candidates += _sla_items(sla_compliance(org, period, calendar=calendar, at=when))
    candidates += _kpi_items(org, period, assumptions)
    target = None if assumptions is None else assumptions.revenue_target
    candidates += _proposed(
        AgendaTopic.FORECAST_TARGET, forecast_proposal(org, period, when, target)
    )
    if top:
        candidates += _rejection_item(org, period, when, top)
        candidates += _theme_item(org, period, when, theme_half_life, top)
        unreflected = unreflected_proposal(
            org, period, when, min_reps=theme_min_reps, half_life=theme_half_life, top=top
        )
        candidates += _proposed(AgendaTopic.UNREFLECTED_THEMES, unreflected)
    candidates += _narrative_item(org, when, narrative_max_age, narrative_evidence_window)
    candidates += _persona_item(org, when)
    candidates += _proposed(AgendaTopic.LOSING_CONTENT, losing_proposal(org, period, when))
    candidates += _content_item(org, when)
    candidates = [_rotated(org, c, when, escalate_after) for c in candidates]
    candidates += _proposed(AgendaTopic.OPEN_ACTION, action_proposals(org, when, escalate_after))
    candidates += _proposed(
        AgendaTopic.DECISION_REVIEW, decision_proposals(org, when, escalate_after)
    )
    candidates.sort(key=lambda c: (c.group, -c.item.priority, _ORDER[c.topic], c.item.title))
    left = int(duration // timedelta(minutes=1))
    fitted: list[AgendaItem] = []
    deferred: list[AgendaItem] = []
    for candidate in candidates:
        if candidate.item.minutes <= left:
            fitted.append(candidate.item)
            left -= candidate.item.minutes
        else:
            deferred.append(candidate.item)
    nxt = () if org.cadence is None else org.cadence.next_occurrences(when, upcoming)
    return Agenda(
        period=period,
        at=when,
        duration=duration,
        items=tuple(fitted),
        deferred=tuple(deferred),
        next_meetings=nxt,
    )
