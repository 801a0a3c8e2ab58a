"""The agenda's follow-through proposals (private to :mod:`salesmark.agenda`).

Open actions, decisions due for review, themes no agreed narrative reflects, content
that loses and a forecast whose interval misses the revenue target: each becomes a :class:`Proposal` (title, owning team, severity, evidence,
key) that :func:`salesmark.agenda.build_agenda` turns into an agenda item of its topic.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from salesmark._time import instant
from salesmark.content_performance import content_performance
from salesmark.follow_through import decisions_due, open_actions
from salesmark.insights import rank_themes, unreflected_themes
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.planning import forecast
from salesmark.teams import Team

_LISTED = 5


@attrs.frozen(kw_only=True)
class Proposal:
    """An agenda item before its topic gives it a weight and minutes."""

    title: str
    owner: Team
    severity: float
    evidence: tuple[str, ...]
    key: str
    deferrals: int = 0
    escalated: bool = False


def _day(at: datetime) -> str:
    return at.date().isoformat()


def action_proposals(org: Organisation, at: datetime, escalate_after: int) -> list[Proposal]:
    """One proposal per action agreed by ``at`` and still open: overdue ones are severe."""
    out = []
    for t in open_actions(org, at, escalate_after=escalate_after):
        a = t.action
        overdue = a.is_overdue(at)
        evidence = [
            f"agreed at {t.meeting_id} on {_day(t.agreed_at)}; owner {a.owner_id}",
            f"overdue since {_day(a.due)}" if overdue else f"due {_day(a.due)}",
        ]
        if t.carried:
            evidence.append(f"still open after {t.carried} later meeting(s)")
        prefix = "Escalated: " if t.escalated else ""
        out.append(
            Proposal(
                title=f"{prefix}Action {a.id}: {a.description}",
                owner=org.sides(a.owner_id)[0],  # a team playing both sides presents as sales
                severity=1.0 if overdue else 0.0,
                evidence=tuple(evidence),
                key=f"action:{a.id}",
                deferrals=t.carried,
                escalated=t.escalated,
            )
        )
    return out


def decision_proposals(org: Organisation, at: datetime, escalate_after: int) -> list[Proposal]:
    """One proposal per decision due for review at ``at``."""
    out = []
    for t in decisions_due(org, at, escalate_after=escalate_after):
        d = t.decision
        evidence = [
            f"decided at {t.meeting_id} on {_day(t.agreed_at)}; owner {d.owner_id}",
            f"due for review since {_day(d.due)}",
        ]
        if d.agenda_key is not None:
            evidence.append(f"settled agenda item {d.agenda_key}")
        if t.carried:
            evidence.append(f"not reviewed at {t.carried} later meeting(s)")
        prefix = "Escalated: " if t.escalated else ""
        out.append(
            Proposal(
                title=f"{prefix}Review decision {d.id}: {d.description}",
                owner=org.sides(d.owner_id)[0],
                severity=1.0 if t.carried else 0.0,
                evidence=tuple(evidence),
                key=f"decision:{d.id}",
                deferrals=t.carried,
                escalated=t.escalated,
            )
        )
    return out


def unreflected_proposal(
    org: Organisation,
    period: Period,
    at: datetime,
    *,
    min_reps: int,
    half_life: timedelta,
    top: int,
) -> list[Proposal]:
    """The themes several reps raise that no agreed narrative rests on, as one proposal."""
    ranking = rank_themes(org, period, at=at, half_life=half_life)
    themes = unreflected_themes(org, period, at=at, min_reps=min_reps, half_life=half_life)[:top]
    if not themes:
        return []
    evidence = tuple(
        f"{t.theme}: {len(t.member_ids)} reps ({', '.join(t.member_ids[:_LISTED])}), "
        f"{t.mentions} mentions, score {t.score}"
        for t in themes
    )
    return [
        Proposal(
            title=f"Client insights: {themes[0].theme!r} is raised by "
            f"{len(themes[0].member_ids)} reps but in no agreed narrative",
            owner=Team.MARKETING,
            severity=len(themes[0].member_ids) / ranking.reps,
            evidence=evidence,
            key="unreflected_themes",
        )
    ]


def losing_proposal(org: Organisation, period: Period, at: datetime) -> list[Proposal]:
    """The assets that win significantly less often than average, as one proposal."""
    if not org.content:
        return []
    report = content_performance(org, period, at=at)
    losing = report.losing
    if not losing:
        return []
    closing = [a for a in report.assets if a.won + a.lost]
    evidence = [f"win rate {report.win_rate} over {report.won + report.lost} closed deals"]
    evidence += [
        f"{a.asset_id} {a.title!r}: {a.won} won, {a.lost} lost, "
        f"lift {a.lift} (95% Wilson {a.lift_low}-{a.lift_high})"
        for a in losing[:_LISTED]
    ]
    return [
        Proposal(
            title=f"Content: {len(losing)} asset(s) win less often than average",
            owner=Team.MARKETING,
            severity=len(losing) / len(closing),
            evidence=tuple(evidence),
            key="losing_content",
        )
    ]


def forecast_proposal(
    org: Organisation, period: Period, at: datetime, target: Money | None
) -> list[Proposal]:
    """The forecast of ``period`` as of ``at`` when its interval misses ``target``.

    Only while the period is not over (``at`` before its end) and a target is set. The
    forecast is :func:`~salesmark.planning.forecast` with its defaults (80% interval,
    seed 0); severity is the target's distance from the nearer end of the interval, as
    a share of the target.
    """
    if target is None or instant(at) >= instant(period.end):
        return []
    outlook = forecast(org, period, as_of=at)
    p = outlook.periods[0]
    if not p.misses(target):
        return []
    short = target > p.bookings_high
    gap = target - p.bookings_high if short else p.bookings_low - target
    severity = 1.0 if target.is_zero() else min(1.0, float(gap.amount / target.amount))
    how = "exactly" if outlook.draws is None else f"from {outlook.draws} seeded draws"
    evidence = (
        (
            f"target {target}; forecast median {p.bookings_median}, "
            f"{outlook.level * 100}% interval {p.bookings_low} to {p.bookings_high} ({how})"
        ),
        f"as of {_day(at)}: {p.closed} already won in the period ({p.closed_wins} deals)",
        (
            f"{'short of' if short else 'above'} the target by at least {gap}; "
            "check the forecast's backtest (salesmark.planning.backtest) before acting on it"
        ),
    )
    return [
        Proposal(
            title=f"Forecast against target: bookings from {_day(period.start)} to "
            f"{_day(period.end)} are likely to {'miss' if short else 'beat'} {target}",
            owner=Team.SALES,
            severity=severity,
            evidence=evidence,
            key="forecast_target",
        )
    ]
