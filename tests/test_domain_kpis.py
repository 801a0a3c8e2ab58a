"""Specification of the KPI domain classes: definitions, targets and 3-5 KPI scorecards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from salesmark import (
    Direction,
    KpiDefinition,
    KpiUnit,
    Period,
    Scorecard,
    Target,
    Team,
    ValidationError,
)
from salesmark.kpis import TargetStatus

Q1 = Period.quarter(2026, 1)


class TestKpiDefinition:
    def test_shared_when_both_teams_own_it(self) -> None:
        """A KPI owned by both teams is shared."""
        kpi = KpiDefinition(
            key="mql_to_sql_rate", name="MQL to SQL", unit=KpiUnit.RATIO,
            direction=Direction.HIGHER_IS_BETTER, owners=(Team.SALES, Team.MARKETING), formula="SQLs / MQLs",
        )  # fmt: skip
        assert kpi.is_shared

    @pytest.mark.parametrize(("key", "owners"), [("Cost Per Lead", (Team.MARKETING,)), ("cpl", ())])
    def test_bad_definitions(self, key: str, owners: tuple[Team, ...]) -> None:
        """Keys are snake_case identifiers and someone owns every KPI."""
        with pytest.raises(ValidationError):
            KpiDefinition(
                key=key,
                name="n",
                unit=KpiUnit.MONEY,
                direction=Direction.LOWER_IS_BETTER,
                owners=owners,
                formula="f",
            )


class TestTarget:
    @pytest.mark.parametrize(
        ("value", "direction", "expected"),
        [
            ("0.30", Direction.HIGHER_IS_BETTER, TargetStatus.ON_TRACK),
            ("0.28", Direction.HIGHER_IS_BETTER, TargetStatus.AT_RISK),
            ("0.20", Direction.HIGHER_IS_BETTER, TargetStatus.OFF_TRACK),
            ("0.25", Direction.LOWER_IS_BETTER, TargetStatus.ON_TRACK),
            ("0.32", Direction.LOWER_IS_BETTER, TargetStatus.AT_RISK),
            ("0.40", Direction.LOWER_IS_BETTER, TargetStatus.OFF_TRACK),
        ],
    )
    def test_status(self, value: str, direction: Direction, expected: TargetStatus) -> None:
        """Meeting the goal is on track, missing it within the tolerance at risk, else off track."""
        target = Target(kpi="rate", period=Q1, goal="0.30", tolerance="0.1")
        assert expected == target.status(Decimal(value), direction)

    def test_tolerance_is_a_fraction(self) -> None:
        """The tolerance lies between 0 and 1."""
        with pytest.raises(ValidationError, match="tolerance"):
            Target(kpi="rate", period=Q1, goal="1", tolerance="1.5")

    def test_goal_refuses_floats(self) -> None:
        """Goals are exact decimals, not floats."""
        with pytest.raises(ValidationError, match="float"):
            Target(kpi="rate", period=Q1, goal=0.3)  # type: ignore[arg-type]


class TestScorecard:
    @pytest.mark.parametrize("count", [2, 6])
    def test_three_to_five_kpis(self, count: int) -> None:
        """A scorecard of 2 or 6 KPIs is refused: the articles advise three to five."""
        with pytest.raises(ValidationError, match="3 to 5 headline KPIs"):
            Scorecard(team=Team.MARKETING, kpis=tuple(f"k{i}" for i in range(count)))

    def test_no_repeats(self) -> None:
        """A KPI appears once on a scorecard."""
        with pytest.raises(ValidationError, match="repeats"):
            Scorecard(team=Team.SALES, kpis=("a", "a", "b"))

    def test_valid(self) -> None:
        """Three to five distinct KPIs make a scorecard."""
        assert 4 == len(Scorecard(team=Team.SALES, kpis=("a", "b", "c", "d")).kpis)
