"""Targets and scorecards: the organisation's KPIs judged against their goals.

A :class:`~salesmark.kpis.Target` judges a KPI's value on track, at risk or off track
(:func:`evaluate_targets`), and a team's :class:`~salesmark.kpis.Scorecard` holds its
three to five headline KPIs, rendered with values, targets and trend by
:func:`scorecard_report`. A KPI's value is the measurement recorded in the
organisation, or else the catalogue's computation from its data (the default catalogue
for the organisation's lifecycle, or the one given as ``catalogue=``).
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark.errors import UnknownReference
from salesmark.kpis import Direction, KpiUnit, TargetStatus
from salesmark.metrics._assumptions import KpiAssumptions
from salesmark.metrics.catalogue import Catalogue, default_catalogue
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

    Example:
        >>> TargetEvaluation(kpi="mqls", period=Period.quarter(2026, 1), goal=Decimal(50),
        ...                  value=Decimal(40), status=TargetStatus.OFF_TRACK)
        TargetEvaluation(mqls: 40 vs 50 -> off_track)
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
    catalogue: Catalogue | None = None,
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
        catalogue: The KPIs the catalogue computes (default:
            ``default_catalogue(org.lifecycle)``).

    Example:
        >>> from salesmark import DEMAND_WATERFALL, Measurement, Organisation, Target
        >>> q1 = Period.quarter(2026, 1)
        >>> kpis = default_catalogue(DEMAND_WATERFALL)
        >>> org = Organisation(name="A", currency="EUR",
        ...     kpis=(kpis["win_rate"].definition, kpis["new_leads"].definition),
        ...     measurements=(Measurement(kpi="win_rate", period=q1, value="0.31"),),
        ...     targets=(Target(kpi="win_rate", period=q1, goal="0.25"),
        ...              Target(kpi="new_leads", period=q1, goal=100)))
        >>> evaluate_targets(org, q1)
        (TargetEvaluation(win_rate: 0.31 vs 0.25 -> on_track), TargetEvaluation(new_leads: None vs 100 -> no measurement))
        >>> evaluate_targets(org, q1, compute=True)[1]
        TargetEvaluation(new_leads: 0 vs 100 -> off_track)
    """
    values = _Values(org, period, assumptions, catalogue, "evaluate_targets")
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
    """How a KPI moved since the previous period, judged by its direction.

    Example:
        >>> Trend("improving")
        <Trend.IMPROVING: 'improving'>
    """

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

    Example:
        >>> ScorecardRow(kpi="mqls", name="MQLs", unit=KpiUnit.COUNT, value=Decimal(40),
        ...              previous=Decimal(32), goal=Decimal(50), status=TargetStatus.OFF_TRACK,
        ...              trend=Trend.IMPROVING)
        ScorecardRow(mqls=40 target=50 off_track, previous=32 improving)
    """

    kpi: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    unit: KpiUnit = attrs.field(validator=v.member_of(KpiUnit))
    value: Decimal | None = attrs.field(validator=rf.exact(Decimal, optional=True))
    previous: Decimal | None = attrs.field(validator=rf.exact(Decimal, optional=True))
    goal: Decimal | None = attrs.field(validator=rf.exact(Decimal, optional=True))
    status: TargetStatus | None = attrs.field(validator=v.optional_instance_of(TargetStatus))
    trend: Trend = attrs.field(validator=v.member_of(Trend))
    reason: str | None = attrs.field(default=None, validator=v.optional_text)
    currency: str | None = attrs.field(default=None, validator=v.optional_text)

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

    Example:
        >>> ScorecardReport(team=Team.SALES, period=Period.quarter(2026, 1), rows=())
        ScorecardReport(sales, Period(2026-01-01T00:00:00+00:00 .. 2026-04-01T00:00:00+00:00), 0 KPIs)
    """

    team: Team = attrs.field(validator=v.member_of(Team))
    period: Period = attrs.field(validator=v.instance_of(Period))
    rows: tuple[ScorecardRow, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(ScorecardRow)
    )

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
        for r in self.rows:
            value = str(r.reason) if r.value is None else f"{r.value}"
            if r.currency and r.value is not None:
                value += f" {r.currency}"
            target = "" if r.goal is None else f" | target {r.goal}"
            status = "" if r.status is None else f" | {r.status.value}"
            previous = "" if r.previous is None else f" | previous {r.previous}"
            lines.append(f"  {r.name}: {value}{target}{status}{previous} | {r.trend.value}")
        return "\n".join(lines)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain row per headline KPI, for ``pandas.DataFrame``.

        Example:
            >>> ScorecardReport(team=Team.SALES, period=Period.quarter(2026, 1), rows=()).to_records()
            []
        """
        rows = [
            row(
                team=self.team,
                kpi=r.kpi,
                name=r.name,
                value=r.value,
                currency=r.currency,
                goal=r.goal,
                status=r.status,
                previous=r.previous,
                trend=r.trend,
                reason=r.reason,
            )
            for r in self.rows
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


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
        self,
        org: Organisation,
        period: Period,
        assumptions: KpiAssumptions | None,
        catalogue: Catalogue | None,
        caller: str,
    ) -> None:
        self.org, self.period = org, period
        self.assumptions = v.require_optional(assumptions, KpiAssumptions, f"{caller} assumptions")
        self.catalogue = (
            default_catalogue(org.lifecycle)
            if catalogue is None
            else v.require(catalogue, Catalogue, f"{caller} catalogue")
        )
        self.recorded = {m.kpi: m for m in org.measurements if m.period == period}
        self.facts: KpiFacts | None = None

    def get(self, key: str) -> tuple[Decimal | None, str | None, str | None]:
        if key in self.recorded:
            m = self.recorded[key]
            return m.value, None, m.currency
        if key not in self.catalogue:
            return None, "no measurement recorded and no catalogue formula", None
        if self.facts is None:
            self.facts = KpiFacts.collect(self.org, self.period)
        result = self.catalogue[key].compute(self.facts, self.assumptions)
        return result.value, result.reason, result.currency


def scorecard_report(
    org: Organisation,
    team: Team,
    period: Period,
    *,
    assumptions: KpiAssumptions | None = None,
    catalogue: Catalogue | None = None,
) -> ScorecardReport:
    """Render ``team``'s scorecard for ``period``: values, targets, status and trend.

    A KPI's value is the measurement recorded in the organisation for the period, or
    else the catalogue's computation; the trend compares with ``period.previous()``
    the same way.

    Args:
        org: The organisation.
        team: The team whose scorecard is rendered.
        period: The period.
        assumptions: The inputs the data cannot give, for computed KPIs.
        catalogue: The KPIs the catalogue computes (default:
            ``default_catalogue(org.lifecycle)``).

    Raises:
        UnknownReference: If the team has no scorecard.
        WrongType: If ``org`` is not an Organisation, ``team`` not a Team or
            ``period`` not a Period.

    Example:
        >>> from salesmark import DEMAND_WATERFALL, Measurement, Organisation, Scorecard, Target
        >>> q1 = Period.quarter(2026, 1)
        >>> kpis = default_catalogue(DEMAND_WATERFALL)
        >>> keys = ("new_leads", "mqls", "cost_per_lead")
        >>> org = Organisation(
        ...     name="A", currency="EUR", kpis=[kpis[k].definition for k in keys],
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
    v.require(org, Organisation, "scorecard_report org")
    v.require(team, Team, "scorecard_report team")
    v.require(period, Period, "scorecard_report period")
    card = org.scorecard(team)
    if card is None:
        msg = f"the {team.value} team has no scorecard in organisation {org.name!r}"
        raise UnknownReference(msg)
    now = _Values(org, period, assumptions, catalogue, "scorecard_report")
    before = _Values(org, period.previous(), assumptions, now.catalogue, "scorecard_report")
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
