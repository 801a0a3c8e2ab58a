"""The alignment index: one 0-100 health score of the sales-marketing partnership.

:func:`alignment_index` scores the practices the articles ask for, each as a named
component from 0 to 1 with its weight and the evidence behind it: SLA compliance on
both sides, feedback-loop coverage, lead acceptance, narratives agreed and fresh,
personas validated, content used by sales, meetings held on cadence (with both teams
present), KPIs shared between the teams and action items closed by their due date. A
component without data is *not measurable*: it is reported but left out of the total,
never counted as zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import elapsed, instant, require_aware
from salesmark.calendars import WorkingCalendar
from salesmark.compliance import SlaCompliance, sla_compliance
from salesmark.errors import ValidationError
from salesmark.follow_through import ActionState, action_follow_through
from salesmark.narratives import EVIDENCE_WINDOW, Narrative, NarrativeStatus
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Persona
from salesmark.scoring.quality import feedback_coverage
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Approval, Team, approving_teams

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "AlignmentComponent",
    "AlignmentIndex",
    "alignment_index",
]

COMPONENTS: Final[tuple[str, ...]] = (
    "sla_marketing",
    "sla_sales",
    "feedback_coverage",
    "lead_acceptance",
    "narratives",
    "personas",
    "content_used",
    "meetings_on_cadence",
    "shared_kpis",
    "action_follow_through",
)
"""The component names, in report order."""

DEFAULT_WEIGHTS: Final[Mapping[str, Decimal]] = MappingProxyType(
    dict.fromkeys(COMPONENTS, Decimal(1))
)
"""Equal weights: every practice counts the same unless the caller says otherwise."""

_LABELS: Final[dict[str, str]] = {
    "sla_marketing": "SLA kept by marketing (MQL volume and acceptance)",
    "sla_sales": "SLA kept by sales (follow-up, attempts, feedback)",
    "feedback_coverage": "MQLs that received sales feedback",
    "lead_acceptance": "MQLs accepted by sales",
    "narratives": "Narratives agreed by both teams and fresh",
    "personas": "Personas validated by both teams",
    "content_used": "Content assets used by sales",
    "meetings_on_cadence": "Joint meetings held on cadence",
    "shared_kpis": "Headline KPIs owned by both teams",
    "action_follow_through": "Action items closed by their due date",
}
_VALUE = Decimal("0.0001")
_SCORE = Decimal("0.1")


def _dec(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


@attrs.frozen(kw_only=True)
class AlignmentComponent:
    """One practice scored from 0 (absent) to 1 (fully in place).

    Attributes:
        name: The component's name (one of :data:`COMPONENTS`).
        label: What it measures, in words.
        value: The score from 0 to 1 (4 places), or ``None`` when not measurable.
        weight: Its weight in the index.
        points: What it adds to the 0-100 index (its weighted share), or ``None``
            when not measurable.
        evidence: The facts behind the value, or why it is not measurable.
    """

    name: str = attrs.field(validator=v.non_empty_text)
    label: str = attrs.field(validator=v.non_empty_text)
    value: Decimal | None = attrs.field(
        validator=rf.exact(Decimal, minimum=0, maximum=1, optional=True)
    )
    weight: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0))
    points: Decimal | None = attrs.field(
        validator=rf.exact(Decimal, minimum=0, maximum=100, optional=True)
    )
    evidence: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))

    @property
    def measurable(self) -> bool:
        """Whether there was data to score this component."""
        return self.value is not None

    def __repr__(self) -> str:
        shown = "not measurable" if self.value is None else f"{self.value}"
        return f"AlignmentComponent({self.name}={shown}, weight={self.weight})"


@attrs.frozen(kw_only=True)
class AlignmentIndex:
    """The partnership's health: a 0-100 score and the components behind it.

    Attributes:
        period: The period scored.
        at: The evaluation time.
        score: ``100 x sum(weight x value) / sum(weight)`` over the measurable
            components (one decimal place), or ``None`` when none is measurable or
            their weights are all zero.
        components: Every component, measurable or not, in :data:`COMPONENTS` order.
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    at: datetime = attrs.field(validator=v.aware)
    score: Decimal | None = attrs.field(
        validator=rf.exact(Decimal, minimum=0, maximum=100, optional=True)
    )
    components: tuple[AlignmentComponent, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(AlignmentComponent)
    )

    def component(self, name: str) -> AlignmentComponent:
        """The component called ``name``.

        Raises:
            ValidationError: If there is no such component.

        Example:
            >>> from salesmark import Organisation
            >>> index = alignment_index(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3))
            >>> index.component("meetings_on_cadence").evidence
            ('no meeting cadence set',)
            >>> index.component("vibes")
            Traceback (most recent call last):
            ...
            salesmark.errors.ValidationError: AlignmentIndex has no component 'vibes'; components are sla_marketing, sla_sales, feedback_coverage, lead_acceptance, narratives, personas, content_used, meetings_on_cadence, shared_kpis, action_follow_through
        """
        for c in self.components:
            if c.name == name:
                return c
        msg = f"AlignmentIndex has no component {name!r}; components are {', '.join(COMPONENTS)}"
        raise ValidationError(msg)

    @property
    def not_measurable(self) -> tuple[str, ...]:
        """The names of the components left out for lack of data.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Evidence, EvidenceKind, Organisation, Persona
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> persona = Persona(id="p1", name="Ops").with_evidence(
            ...     Evidence(kind=EvidenceKind.WON_DEAL, team=Team.SALES, at=t, summary="7 of 10 wins"))
            >>> index = alignment_index(Organisation(name="Acme", currency="EUR", personas=[persona]), Period.month(2026, 3))
            >>> index.not_measurable
            ('sla_marketing', 'sla_sales', 'feedback_coverage', 'lead_acceptance', 'narratives', 'content_used', 'meetings_on_cadence', 'shared_kpis', 'action_follow_through')
            >>> index.score, index.component("personas").evidence
            (Decimal('0.0'), ('0 of 1 personas validated',))
        """
        return tuple(c.name for c in self.components if c.value is None)

    def __repr__(self) -> str:
        score = "n/a" if self.score is None else f"{self.score}/100"
        measured = len(self.components) - len(self.not_measurable)
        return f"AlignmentIndex({score}, {measured} of {len(self.components)} components measured)"

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per component.

        Example:
            >>> from salesmark import Organisation
            >>> alignment_index(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3)).to_records()[-1]["component"]
            'action_follow_through'
        """
        rows = [
            row(
                component=c.name,
                label=c.label,
                value=c.value,
                weight=c.weight,
                points=c.points,
                measurable=c.measurable,
                evidence="; ".join(c.evidence),
            )
            for c in self.components
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


_Raw = tuple[Fraction | None, tuple[str, ...]]


def _share(part: int, whole: int, what: str, missing: str) -> _Raw:
    if whole == 0:
        return None, (missing,)
    return Fraction(part, whole), (f"{part} of {whole} {what}",)


def _mean(parts: list[Fraction]) -> Fraction | None:
    return sum(parts, Fraction(0)) / len(parts) if parts else None


def _sla_marketing(report: SlaCompliance | None) -> _Raw:
    if report is None:
        return None, ("no SLA in force",)
    m = report.marketing
    parts: list[Fraction] = []
    evidence: list[str] = []
    if m.committed > 0:
        parts.append(min(Fraction(1), Fraction(m.delivered) / Fraction(m.committed)))
        evidence.append(f"{m.delivered} of {m.committed} committed MQLs delivered")
    decided = m.accepted + m.rejected
    if decided:
        rate = Fraction(m.accepted, decided)
        minimum = Fraction(m.min_acceptance_rate)
        parts.append(Fraction(1) if minimum == 0 else min(Fraction(1), rate / minimum))
        evidence.append(
            f"acceptance {_dec(rate) * 100:.1f}% vs minimum {m.min_acceptance_rate * 100:.1f}%"
        )
    if not parts:
        return None, ("no MQL volume committed and no MQL decided in the period",)
    return _mean(parts), tuple(evidence)


def _sla_sales(report: SlaCompliance | None) -> _Raw:
    if report is None:
        return None, ("no SLA in force",)
    s = report.sales
    parts: list[Fraction] = []
    evidence: list[str] = []
    for done, due, what in (
        (s.followed_up_on_time, s.follow_ups_due, "follow-ups on time"),
        (s.given_up_after_min_attempts, s.given_up, "leads given up after enough attempts"),
        (s.feedback_on_time, s.feedback_due, "feedback on time"),
    ):
        if due:
            parts.append(Fraction(done, due))
            evidence.append(f"{done} of {due} {what}")
    if not parts:
        return None, ("no follow-up, attempt or feedback was due in the period",)
    return _mean(parts), tuple(evidence)


def _feedback_coverage(org: Organisation, period: Period, at: datetime) -> _Raw:
    of_period = [
        lead
        for lead in org.leads
        if (mql := lead.entered(org.lifecycle.handover)) is not None and period.contains(mql)
    ]
    coverage = feedback_coverage(of_period, org.feedback, lifecycle=org.lifecycle, at=at)
    return _share(
        coverage.with_feedback,
        coverage.handed_over,
        "MQLs of the period with sales feedback",
        "no MQLs in the period",
    )


def _approved_by_both(approvals: tuple[Approval, ...], at: datetime) -> bool:
    given = tuple(a for a in approvals if a.at <= at)
    return approving_teams(given) == {Team.SALES, Team.MARKETING}


def _agreed_and_fresh(
    org: Organisation, narrative: Narrative, at: datetime, max_age: timedelta, window: timedelta
) -> bool:
    """Whether the narrative's version of ``at`` was agreed by both teams by then and fresh.

    A version written after ``at`` was not yet there; the versions it replaced keep no
    approvals, so they cannot be shown to have been agreed. Fresh means younger than
    ``max_age`` and, when it names evidence, supported by an insight within ``window``.
    """
    return (
        instant(narrative.created_at) <= instant(at)
        and narrative.is_agreed
        and _approved_by_both(narrative.approvals, at)
        and not narrative.is_stale(at, max_age, insights=org.insights, evidence_window=window)
    )


def _narratives(org: Organisation, at: datetime, max_age: timedelta, window: timedelta) -> _Raw:
    # a narrative first written after `at` did not exist yet (one with revisions did)
    live = [
        n
        for n in org.narratives
        if n.status is not NarrativeStatus.RETIRED
        and (instant(n.created_at) <= instant(at) or n.revisions)
    ]
    good = sum(1 for n in live if _agreed_and_fresh(org, n, at, max_age, window))
    return _share(
        good, len(live), f"narratives agreed and younger than {max_age.days} days", "no narratives"
    )


def _validated(persona: Persona, at: datetime) -> bool:
    """Whether, by ``at``, sales had given evidence and both teams had approved."""
    has_sales_facts = any(
        e.team is Team.SALES and instant(e.at) <= instant(at) for e in persona.evidence
    )
    return has_sales_facts and _approved_by_both(persona.approvals, at)


def _personas(org: Organisation, at: datetime) -> _Raw:
    good = sum(1 for p in org.personas if _validated(p, at))
    return _share(good, len(org.personas), "personas validated", "no personas")


def _content(org: Organisation, at: datetime) -> _Raw:
    sellers = {m.id for m in org.team(Team.SALES)}
    used = {
        u.asset_id
        for u in org.content_usage
        if instant(u.at) <= instant(at) and u.member_id in sellers
    }
    good = sum(1 for a in org.content if a.id in used)
    return _share(good, len(org.content), "content assets used by sales", "no content assets")


def _meetings(org: Organisation, period: Period, at: datetime, tolerance: timedelta) -> _Raw:
    if org.cadence is None:
        return None, ("no meeting cadence set",)
    end = min(period.end, at, key=instant)
    scheduled = (
        org.cadence.between(period.start, end) if instant(end) > instant(period.start) else ()
    )
    if not scheduled:
        return None, ("no meeting was scheduled in the period",)
    # held: both teams present; a meeting only one team attended is not a joint meeting
    recorded = [m for m in org.meetings if instant(m.at) <= instant(at)]
    free = sorted((m.at for m in recorded if m.is_held(org.members, org.teams)), key=instant)
    without = sum(
        1 for m in recorded if period.contains(m.at) and not m.is_held(org.members, org.teams)
    )
    held = 0
    for slot in scheduled:
        match = next((m for m in free if abs(elapsed(slot, m)) <= tolerance), None)
        if match is not None:
            free.remove(match)
            held += 1
    value, evidence = _share(held, len(scheduled), "scheduled meetings held", "")
    if without:
        evidence += (f"{without} meeting(s) without both teams present not counted",)
    return value, evidence


def _follow_through(org: Organisation, period: Period, at: datetime) -> _Raw:
    report = action_follow_through(org, period, at=at)
    on_time = report.count(ActionState.CLOSED_ON_TIME)
    value, evidence = _share(
        on_time,
        report.judged,
        "action items due in the period closed by their due date",
        "no action item due in the period could be judged",
    )
    late, overdue = report.count(ActionState.CLOSED_LATE), report.count(ActionState.OVERDUE)
    if report.judged:
        evidence += (f"{late} closed late, {overdue} still open",)
    undated = report.count(ActionState.CLOSED_UNDATED)
    if undated:
        evidence += (f"{undated} done without a completion time left out",)
    return value, evidence


def _shared_kpis(org: Organisation) -> _Raw:
    headline = list(dict.fromkeys(k for card in org.scorecards for k in card.kpis))
    where = "headline KPIs on the scorecards"
    if not headline:
        headline = [k.key for k in org.kpis]
        where = "KPIs in the catalogue"
    shared = sum(1 for key in headline if org.kpi(key).is_shared)
    return _share(shared, len(headline), f"{where} owned by both teams", "no KPIs defined")


def _weights(weights: Mapping[str, float | int | Decimal] | None) -> dict[str, Decimal]:
    chosen = dict(DEFAULT_WEIGHTS)
    if weights is None:
        return chosen
    if not isinstance(weights, Mapping):
        msg = f"alignment_index weights must be a mapping of component name to weight, got {weights!r}"
        raise ValidationError(msg)
    for name, weight in weights.items():
        if name not in chosen:
            msg = f"alignment_index weights names unknown component {name!r}; components are {', '.join(COMPONENTS)}"
            raise ValidationError(msg)
        if isinstance(weight, bool) or not isinstance(weight, int | float | Decimal):
            msg = f"alignment_index weights[{name!r}] must be a number, got {weight!r}"
            raise ValidationError(msg)
        finite = weight.is_finite() if isinstance(weight, Decimal) else math.isfinite(weight)
        if not finite or weight < 0:
            msg = f"alignment_index weights[{name!r}] must be finite and >= 0, got {weight!r}"
            raise ValidationError(msg)
        chosen[name] = Decimal(repr(weight)) if isinstance(weight, float) else Decimal(weight)
    return chosen


def alignment_index(
    org: Organisation,
    period: Period,
    *,
    weights: Mapping[str, float | int | Decimal] | None = None,
    at: datetime | None = None,
    calendar: WorkingCalendar | None = None,
    narrative_max_age: timedelta = timedelta(days=180),
    meeting_tolerance: timedelta = timedelta(days=1),
    narrative_evidence_window: timedelta = EVIDENCE_WINDOW,
) -> AlignmentIndex:
    """Score the sales-marketing partnership from 0 to 100 over ``period``.

    Components, each from 0 to 1:

    * ``sla_marketing``: the mean of MQL volume attainment ``min(1, delivered /
      committed)`` and acceptance attainment ``min(1, rate / minimum)``;
    * ``sla_sales``: the mean of the on-time follow-up share, the share of given-up
      leads with enough attempts and the on-time feedback share (each among due leads);
    * ``feedback_coverage``: MQLs of the period with any sales feedback by ``at``;
    * ``lead_acceptance``: accepted MQLs among those sales decided on;
    * ``narratives``: live narratives agreed by both teams by ``at`` and younger than
      ``narrative_max_age`` then, and, when they name evidence, supported by an insight
      in the ``narrative_evidence_window`` before ``at`` (a narrative first written
      after ``at`` is left out; one whose current version was written after ``at``
      counts as not agreed);
    * ``personas``: personas validated by ``at`` (sales evidence and both approvals
      dated at or before ``at``);
    * ``content_used``: content assets a salesperson used by ``at``;
    * ``meetings_on_cadence``: cadence slots in the period (up to ``at``) matched by a
      meeting held by ``at`` within ``meeting_tolerance`` (each meeting matches one
      slot); a meeting is held only with both teams present
      (:meth:`~salesmark.meetings.Meeting.is_held`);
    * ``shared_kpis``: headline KPIs on the scorecards owned by both teams (the whole
      catalogue when there are no scorecards);
    * ``action_follow_through``: action items due in the period (by ``at``) closed by
      their due date, among those closed on time, closed late or still open
      (:func:`~salesmark.follow_through.action_follow_through`; one done without a
      completion time is left out).

    The SLA parts use :func:`~salesmark.compliance.sla_compliance` with the organisation's SLA;
    ``lead_acceptance`` needs no SLA. The index is
    ``100 x sum(weight x value) / sum(weight)`` over the measurable components; a
    component without data is reported as not measurable and left out, never
    counted as zero.

    Args:
        org: The organisation.
        period: The period scored.
        weights: Weight per component name (others keep their default of 1); zero
            leaves a component out.
        at: The evaluation time (timezone-aware); ``period.end`` by default.
        calendar: The working calendar for an SLA in business hours.
        narrative_max_age: Age after which an agreed narrative is stale.
        meeting_tolerance: How far a held meeting may be from its slot.
        narrative_evidence_window: How recent a supporting insight must be for a
            narrative that names evidence to be fresh.

    Returns:
        The index with every component, its value, weight, points and evidence.

    Raises:
        NaiveDatetime: If ``at`` has no timezone.
        ValidationError: If ``org`` is not an Organisation, ``period`` not a Period,
            ``calendar`` not a WorkingCalendar, a weight names an unknown component or is
            negative, or a duration is not positive.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import Direction, KpiDefinition, KpiUnit, Organisation
        >>> kpi = KpiDefinition(key="win_rate", name="Win rate", unit=KpiUnit.RATIO,
        ...                     direction=Direction.HIGHER_IS_BETTER,
        ...                     owners=(Team.SALES, Team.MARKETING), formula="won / opportunities")
        >>> index = alignment_index(Organisation(name="Acme", currency="EUR", kpis=(kpi,)), Period.month(2026, 3))
        >>> index
        AlignmentIndex(100.0/100, 1 of 10 components measured)
        >>> index.component("personas").evidence
        ('no personas',)
    """
    v.require(org, Organisation, "alignment_index org")
    v.require(period, Period, "alignment_index period")
    v.require_optional(calendar, WorkingCalendar, "alignment_index calendar")
    when = period.end if at is None else require_aware(at, "alignment_index at")
    v.require_positive_duration(narrative_max_age, "alignment_index narrative_max_age")
    v.require_positive_duration(meeting_tolerance, "alignment_index meeting_tolerance")
    v.require_positive_duration(
        narrative_evidence_window, "alignment_index narrative_evidence_window"
    )
    chosen = _weights(weights)
    sla = org.sla
    report = None if sla is None else sla_compliance(org, period, calendar=calendar, at=when)
    # acceptance needs no SLA: judge against a neutral agreement when there is none
    acceptance_basis = report or sla_compliance(
        org, period, sla=ServiceLevelAgreement(id="acceptance", mql_volume=0), at=when
    )
    m = acceptance_basis.marketing
    raw: dict[str, _Raw] = {
        "sla_marketing": _sla_marketing(report),
        "sla_sales": _sla_sales(report),
        "feedback_coverage": _feedback_coverage(org, period, when),
        "lead_acceptance": _share(
            m.accepted,
            m.accepted + m.rejected,
            "decided MQLs accepted",
            "no MQL decided in the period",
        ),
        "narratives": _narratives(org, when, narrative_max_age, narrative_evidence_window),
        "personas": _personas(org, when),
        "content_used": _content(org, when),
        "meetings_on_cadence": _meetings(org, period, when, meeting_tolerance),
        "shared_kpis": _shared_kpis(org),
        "action_follow_through": _follow_through(org, period, when),
    }
    total_weight = sum(
        (Fraction(chosen[n]) for n in COMPONENTS if raw[n][0] is not None), Fraction(0)
    )
    components = []
    weighted = Fraction(0)
    for name in COMPONENTS:
        value, evidence = raw[name]
        weight = chosen[name]
        points: Decimal | None = None
        if value is not None:
            share = Fraction(0) if total_weight == 0 else Fraction(weight) / total_weight
            weighted += share * value
            points = _dec(100 * share * value).quantize(_VALUE)
        components.append(
            AlignmentComponent(
                name=name,
                label=_LABELS[name],
                value=None if value is None else _dec(value).quantize(_VALUE),
                weight=weight,
                points=points,
                evidence=evidence,
            )
        )
    score = None if total_weight == 0 else _dec(100 * weighted).quantize(_SCORE)
    return AlignmentIndex(period=period, at=when, score=score, components=tuple(components))
