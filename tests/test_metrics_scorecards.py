"""Tests of salesmark.metrics.scorecards: targets judged against recorded or computed values,
and the teams' scorecards with trend, on the hand fixture (see strategies.funnel)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from salesmark import (
    Direction,
    KpiDefinition,
    KpiUnit,
    Organisation,
    Period,
    Team,
    UnknownReference,
    WrongType,
)
from salesmark.kpis import Measurement, Scorecard, Target, TargetStatus
from salesmark.metrics import (
    Catalogue,
    Computed,
    Kpi,
    Trend,
    default_catalogue,
    evaluate_targets,
    scorecard_report,
)
from strategies import hand_organisation

Q1 = Period.quarter(2026, 1)
ORG = hand_organisation()
EMPTY = Organisation(name="Empty", currency="EUR")
CATALOGUE = default_catalogue(ORG.lifecycle)
D = Decimal


def _definitions(*keys: str) -> list[KpiDefinition]:
    return [CATALOGUE[key].definition for key in keys]


class TestEvaluateTargets:
    def test_with_and_without_measurement(self) -> None:
        """A target without a measurement has no status."""
        org = Organisation(
            name="T",
            currency="EUR",
            kpis=_definitions("win_rate", "cost_per_lead"),
            measurements=(Measurement(kpi="cost_per_lead", period=Q1, value=60),),
            targets=(
                Target(kpi="cost_per_lead", period=Q1, goal=50),
                Target(kpi="win_rate", period=Q1, goal="0.3"),
                Target(kpi="win_rate", period=Q1.next(), goal="0.3"),
            ),
        )
        got = [(e.kpi, e.status) for e in evaluate_targets(org, Q1)]
        assert [("cost_per_lead", TargetStatus.OFF_TRACK), ("win_rate", None)] == got

    def test_compute_fills_in_what_was_not_recorded(self) -> None:
        """With compute=True, win rate is the computed 0.75 (on track), the recorded cost per lead stays 60."""
        org = attrs.evolve(
            ORG,
            kpis=_definitions("win_rate", "cost_per_lead"),
            measurements=(Measurement(kpi="cost_per_lead", period=Q1, value=60),),
            targets=(
                Target(kpi="cost_per_lead", period=Q1, goal=50),
                Target(kpi="win_rate", period=Q1, goal="0.3"),
            ),
        )
        got = [
            {"kpi": e.kpi, "value": e.value, "status": e.status}
            for e in evaluate_targets(org, Q1, compute=True)
        ]
        assert [
            {"kpi": "cost_per_lead", "value": D(60), "status": TargetStatus.OFF_TRACK},
            {"kpi": "win_rate", "value": D("0.7500"), "status": TargetStatus.ON_TRACK},
        ] == got

    def test_compute_leaves_uncomputable_kpis_without_status(self) -> None:
        """A KPI the data cannot give (win rate without a closed deal) has no value even when computed."""
        org = Organisation(
            name="T",
            currency="EUR",
            kpis=_definitions("win_rate"),
            targets=(Target(kpi="win_rate", period=Q1, goal="0.3"),),
        )
        got = [(e.value, e.status) for e in evaluate_targets(org, Q1, compute=True)]
        assert [(None, None)] == got

    def test_compute_with_a_catalogue_of_ones_own(self) -> None:
        """A KPI of the catalogue given is computed for its target; one outside it stays without a value."""
        nps = _nps()
        org = attrs.evolve(
            ORG,
            kpis=[nps.definition, *_definitions("win_rate")],
            targets=(
                Target(kpi="nps", period=Q1, goal=40),
                Target(kpi="win_rate", period=Q1, goal="0.3"),
            ),
        )
        got = {
            e.kpi: e.value
            for e in evaluate_targets(org, Q1, compute=True, catalogue=Catalogue(kpis=[nps]))
        }
        assert {"nps": D(42), "win_rate": None} == got

    def test_bad_catalogue(self) -> None:
        """A catalogue of the wrong type is a WrongType naming the argument."""
        with pytest.raises(WrongType, match="evaluate_targets catalogue must be a Catalogue"):
            evaluate_targets(ORG, Q1, compute=True, catalogue=CATALOGUE.definitions)  # type: ignore[arg-type]


def _nps() -> Kpi:
    return Kpi(
        definition=KpiDefinition(
            key="nps",
            name="NPS",
            unit=KpiUnit.COUNT,
            direction=Direction.HIGHER_IS_BETTER,
            owners=(Team.SALES,),
            formula="promoters - detractors",
        ),
        formula=lambda facts, assumptions: Computed(value=D(42)),
    )


class TestScorecardReport:
    def _org(self) -> Organisation:
        keys = ("new_leads", "mqls", "win_rate", "cost_per_lead")
        return Organisation(
            name="S",
            currency="EUR",
            members=ORG.members,
            campaigns=ORG.campaigns,
            leads=ORG.leads,
            kpis=_definitions(*keys),
            scorecards=(Scorecard(team=Team.MARKETING, kpis=keys),),
            targets=(
                Target(kpi="mqls", period=Q1, goal="4.4"),
                Target(kpi="cost_per_lead", period=Q1, goal=4000),
            ),
        )

    def test_rows(self) -> None:
        """Computed values, targets, status and trend against the previous quarter."""
        report = scorecard_report(self._org(), Team.MARKETING, Q1)
        got = [
            {
                "kpi": r.kpi,
                "value": r.value,
                "previous": r.previous,
                "status": r.status,
                "trend": r.trend,
            }
            for r in report.rows
        ]
        assert [
            {
                "kpi": "new_leads",
                "value": D(5),
                "previous": D(2),
                "status": None,
                "trend": Trend.IMPROVING,
            },
            {
                "kpi": "mqls",
                "value": D(4),
                "previous": D(2),
                "status": TargetStatus.AT_RISK,
                "trend": Trend.IMPROVING,
            },
            {
                "kpi": "win_rate",
                "value": D("0.7500"),
                "previous": None,
                "status": None,
                "trend": Trend.UNKNOWN,
            },
            {
                "kpi": "cost_per_lead",
                "value": D("3600.00"),
                "previous": D("4600.00"),
                "status": TargetStatus.ON_TRACK,
                "trend": Trend.IMPROVING,
            },
        ] == got
        assert "marketing scorecard" in report.render()
        assert 4 == len(report.to_records())

    def test_to_records(self) -> None:
        """Each row is plain: enums by their value, money with its currency."""
        record = scorecard_report(self._org(), Team.MARKETING, Q1).to_records()[3]
        assert {
            "team": "marketing",
            "kpi": "cost_per_lead",
            "name": "Cost per lead",
            "value": D("3600.00"),
            "currency": "EUR",
            "goal": D(4000),
            "status": "on_track",
            "previous": D("4600.00"),
            "trend": "improving",
            "reason": None,
        } == record

    def test_recorded_measurement_wins(self) -> None:
        """A recorded measurement is shown rather than the computed value."""
        keys = ("new_leads", "mqls", "win_rate")
        org = Organisation(
            name="S",
            currency="EUR",
            kpis=_definitions(*keys),
            scorecards=(Scorecard(team=Team.SALES, kpis=keys),),
            measurements=(Measurement(kpi="win_rate", period=Q1, value="0.2"),),
        )
        row = scorecard_report(org, Team.SALES, Q1).rows[2]
        assert {"value": D("0.2"), "trend": Trend.UNKNOWN} == {
            "value": row.value,
            "trend": row.trend,
        }

    def test_custom_kpi_without_formula(self) -> None:
        """A KPI outside the catalogue and unmeasured shows why it has no value."""
        keys = ("new_leads", "mqls", "nps")
        org = Organisation(
            name="S",
            currency="EUR",
            kpis=[*_definitions("new_leads", "mqls"), _nps().definition],
            scorecards=(Scorecard(team=Team.SALES, kpis=keys),),
        )
        row = scorecard_report(org, Team.SALES, Q1).rows[2]
        assert "no measurement recorded and no catalogue formula" == row.reason

    def test_custom_kpi_in_a_catalogue(self) -> None:
        """A KPI of the catalogue given is computed this period and the previous one."""
        keys = ("new_leads", "mqls", "nps")
        nps = _nps()
        org = Organisation(
            name="S",
            currency="EUR",
            kpis=[*_definitions("new_leads", "mqls"), nps.definition],
            scorecards=(Scorecard(team=Team.SALES, kpis=keys),),
        )
        catalogue = Catalogue(kpis=[*(CATALOGUE[k] for k in ("new_leads", "mqls")), nps])
        row = scorecard_report(org, Team.SALES, Q1, catalogue=catalogue).rows[2]
        assert {"value": D(42), "previous": D(42), "trend": Trend.FLAT} == {
            "value": row.value,
            "previous": row.previous,
            "trend": row.trend,
        }

    def test_no_scorecard(self) -> None:
        """A team without a scorecard raises UnknownReference."""
        with pytest.raises(UnknownReference, match="no scorecard"):
            scorecard_report(EMPTY, Team.SALES, Q1)
