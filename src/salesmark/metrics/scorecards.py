"""Targets and scorecards: the organisation's KPIs judged against their goals.

A :class:`~salesmark.kpis.Target` judges a KPI's value on track, at risk or off track
(:func:`evaluate_targets`), and a team's :class:`~salesmark.kpis.Scorecard` holds its
three to five headline KPIs, rendered with values, targets and trend by
:func:`scorecard_report`. A KPI's value is the measurement recorded in the
organisation, or else the catalogue's computation from its data.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import attrs

from salesmark.errors import UnknownReference
from salesmark.kpis import Direction, KpiUnit, TargetStatus
from salesmark.metrics.catalogue import KpiAssumptions, kpi_function
from salesmark.metrics.facts import KpiFacts
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.teams import Team

__all__ = [
    "ScorecardReport",
    "ScorecardRow",
    "TargetEvaluation",
    "Trend",
    "evaluate_targets",
    "scorecard_report",
]


@attrs.frozen(kw_only=True)
class TargetEvaluation:
    """One target of a period judged against its measurement.

    Attributes:
        kpi: The KPI key.
        period: The period.
        goal: The target's goal.
        value: The measured value (or, when asked for, the computed one), or ``None``
            when there is none.
        status: On track / at risk / off track, or ``None`` without a value.
    """

    kpi: str
    period: Period
    goal: Decimal
    value: Decimal | None
    status: TargetStatus | None

    def __repr__(self) -> str:
        status = "no measurement" if self.status is None else self.status.value
        return f"TargetEvaluation({self.kpi}: {self.value} vs {self.goal} -> {status})"


def evaluate_targets(
    org: Organisation,
    period: Period,
    *,
    compute: bool = False,
    assumptions: KpiAssumptions | None = None,
) -> tuple[TargetEvaluation, ...]:
    """Judge every target of ``period`` in ``org`` against the measurement of the same KPI.

    A target is judged against the measurement recorded for its KPI and period. With
    ``compute=True``, a target without one is judged against the value the catalogue
    computes from the organisation's data, exactly as :func:`scorecard_report` shows it
    (a KPI outside the catalogue, or not computable, stays without a value).

    Args:
        org: The organisation.
        period: The period whose targets are judged.
        compute: Whether to compute the KPIs that have no recorded measurement.
        assumptions: The inputs the data cannot give, for computed KPIs.

    Example:
        >>> from salesmark import Measurement, Organisation, Target
        >>> from salesmark.metrics import DEFAULT_CATALOGUE
        >>> q1 = Period.quarter(2026, 1)
        >>> defs = {d.key: d for d in DEFAULT_CATALOGUE}
        >>> org = Organisation(name="A", currency="EUR", kpis=(defs["win_rate"], defs["new_leads"]),
        ...     measurements=(Measurement(kpi="win_rate", period=q1, value="0.31"),),
        ...     targets=(Target(kpi="win_rate", period=q1, goal="0.25"),
        ...              Target(kpi="new_leads", period=q1, goal=100)))
        >>> evaluate_targets(org, q1)
        (TargetEvaluation(win_rate: 0.31 vs 0.25 -> on_track), TargetEvaluation(new_leads: None vs 100 -> no measurement))
        >>> evaluate_targets(org, q1, compute=True)[1]
        TargetEvaluation(new_leads: 0 vs 100 -> off_track)
    """
    values = _Values(org, period, assumptions)
    results: list[TargetEvaluation] = []
    for target in org.targets:
        if target.period != period:
            continue
        definition = org.kpi(target.kpi)
        measurement = values.recorded.get(target.kpi)
        value: Decimal | None
        if measurement is not None:
            value = measurement.value
        elif compute:
            value = values.get(target.kpi)[0]
        else:
            value = None
        results.append(
            TargetEvaluation(
                kpi=target.kpi,
                period=period,
                goal=target.goal,
                value=value,
                status=None if value is None else target.status(value, definition.direction),
            )
        )
    return tuple(results)


class Trend(str, enum.Enum):
    """How a KPI moved since the previous period, judged by its direction."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    FLAT = "flat"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class ScorecardRow:
    """One headline KPI on a team's scorecard.

    Attributes:
        kpi: The KPI key.
        name: Its readable name.
        unit: Its unit.
        value: This period's value, or ``None`` when not computable.
        previous: The previous period's value, or ``None``.
        goal: The target's goal for this period, or ``None`` without a target.
        status: On track / at risk / off track, or ``None`` without a value or target.
        trend: Improving, worsening, flat, or unknown (a value is missing).
        reason: Why ``value`` is missing, if it is.
        currency: The currency of a money KPI.
    """

    kpi: str
    name: str
    unit: KpiUnit
    value: Decimal | None
    previous: Decimal | None
    goal: Decimal | None
    status: TargetStatus | None
    trend: Trend
    reason: str | None = None
    currency: str | None = None

    def __repr__(self) -> str:
        status = "-" if self.status is None else self.status.value
        return (
            f"ScorecardRow({self.kpi}={self.value} target={self.goal} {status}, "
            f"previous={self.previous} {self.trend.value})"
        )


@attrs.frozen(kw_only=True)
class ScorecardReport:
    """A team's scorecard for a period: its headline KPIs with values, targets and trend.

    Attributes:
        team: The team.
        period: The period.
        rows: One row per headline KPI, in the scorecard's order.
    """

    team: Team
    period: Period
    rows: tuple[ScorecardRow, ...]

    def __repr__(self) -> str:
        return f"ScorecardReport({self.team.value}, {self.period!r}, {len(self.rows)} KPIs)"

    def render(self) -> str:
        """The scorecard as a small text table (one KPI a line).

        Example:
            >>> print(ScorecardReport(team=Team.SALES, period=Period.quarter(2026, 1), rows=()).render())
            sales scorecard 2026-01-01 .. 2026-04-01
        """
        head = f"{self.team.value} scorecard {self.period.start.date()} .. {self.period.end.date()}"
        lines = [head]
        for row in self.rows:
            value = str(row.reason) if row.value is None else f"{row.value}"
            if row.currency and row.value is not None:
                value += f" {row.currency}"
            target = "" if row.goal is None else f" | target {row.goal}"
            status = "" if row.status is None else f" | {row.status.value}"
            previous = "" if row.previous is None else f" | previous {row.previous}"
            lines.append(f"  {row.name}: {value}{target}{status}{previous} | {row.trend.value}")
        return "\n".join(lines)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per headline KPI, for ``pandas.DataFrame``."""
        return [
            {
                "team": self.team.value,
                "kpi": r.kpi,
                "name": r.name,
                "value": r.value,
                "currency": r.currency,
                "goal": r.goal,
                "status": None if r.status is None else r.status.value,
                "previous": r.previous,
                "trend": r.trend.value,
                "reason": r.reason,
            }
            for r in self.rows
        ]


def _trend(value: Decimal | None, previous: Decimal | None, direction: Direction) -> Trend:
    if value is None or previous is None:
        return Trend.UNKNOWN
    if value == previous:
        return Trend.FLAT
    up = value > previous
    better = up if direction is Direction.HIGHER_IS_BETTER else not up
    return Trend.IMPROVING if better else Trend.WORSENING


class _Values:
    """The KPI values of one period: recorded measurements first, else the catalogue."""

    def __init__(
        self, org: Organisation, period: Period, assumptions: KpiAssumptions | None
    ) -> None:
        self.org, self.period, self.assumptions = org, period, assumptions
        self.recorded = {m.kpi: m for m in org.measurements if m.period == period}
        self.facts: KpiFacts | None = None

    def get(self, key: str) -> tuple[Decimal | None, str | None, str | None]:
        if key in self.recorded:
            m = self.recorded[key]
            return m.value, None, m.currency
        try:
            fn = kpi_function(key, self.org.lifecycle)
        except UnknownReference:
            return None, "no measurement recorded and no catalogue formula", None
        if self.facts is None:
            self.facts = KpiFacts.collect(self.org, self.period)
        result = fn(self.org, self.period, facts=self.facts, assumptions=self.assumptions)
        return result.value, result.reason, result.currency


def scorecard_report(
    org: Organisation,
    team: Team,
    period: Period,
    *,
    assumptions: KpiAssumptions | None = None,
) -> ScorecardReport:
    """Render ``team``'s scorecard for ``period``: values, targets, status and trend.

    A KPI's value is the measurement recorded in the organisation for the period, or
    else the catalogue's computation; the trend compares with ``period.previous()``
    the same way.

    Raises:
        UnknownReference: If the team has no scorecard.

    Example:
        >>> from salesmark import Measurement, Organisation, Scorecard, Target
        >>> from salesmark.metrics import DEFAULT_CATALOGUE
        >>> q1 = Period.quarter(2026, 1)
        >>> defs = {d.key: d for d in DEFAULT_CATALOGUE}
        >>> keys = ("new_leads", "mqls", "cost_per_lead")
        >>> org = Organisation(
        ...     name="A", currency="EUR", kpis=[defs[k] for k in keys],
        ...     scorecards=(Scorecard(team=Team.MARKETING, kpis=keys),),
        ...     measurements=(Measurement(kpi="mqls", period=q1, value=40),
        ...                   Measurement(kpi="mqls", period=q1.previous(), value=32)),
        ...     targets=(Target(kpi="mqls", period=q1, goal=50),),
        ... )
        >>> print(scorecard_report(org, Team.MARKETING, q1).render())
        marketing scorecard 2026-01-01 .. 2026-04-01
          New leads: 0 | previous 0 | flat
          MQLs: 40 | target 50 | off_track | previous 32 | improving
          Cost per lead: no lead was created in the period | unknown
    """
    card = org.scorecard(team)
    if card is None:
        msg = f"the {team.value} team has no scorecard in organisation {org.name!r}"
        raise UnknownReference(msg)
    now = _Values(org, period, assumptions)
    before = _Values(org, period.previous(), assumptions)
    goals = {t.kpi: t for t in org.targets if t.period == period}
    rows: list[ScorecardRow] = []
    for key in card.kpis:
        definition = org.kpi(key)
        value, reason, currency = now.get(key)
        previous, _, _ = before.get(key)
        target = goals.get(key)
        status = (
            None if target is None or value is None else target.status(value, definition.direction)
        )
        rows.append(
            ScorecardRow(
                kpi=key,
                name=definition.name,
                unit=definition.unit,
                value=value,
                previous=previous,
                goal=None if target is None else target.goal,
                status=status,
                trend=_trend(value, previous, definition.direction),
                reason=reason,
                currency=currency,
            )
        )
    return ScorecardReport(team=team, period=period, rows=tuple(rows))
