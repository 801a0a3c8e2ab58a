"""Tests of salesmark.kpis, the KPI value objects: definitions, targets, 3-5 KPI scorecards,
measurements and computed values."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from salesmark import (
    DEMAND_WATERFALL,
    Direction,
    KpiDefinition,
    KpiUnit,
    Period,
    Scorecard,
    Target,
    Team,
    ValidationError,
    WrongType,
    structure,
    unstructure,
)
from salesmark.kpis import KpiValue, Measurement, TargetStatus
from salesmark.metrics import default_catalogue

Q1 = Period.quarter(2026, 1)
D = Decimal


class TestKpiDefinition:
    def test_shared_when_both_teams_own_it(self) -> None:
        """A KPI owned by both teams is shared."""
        kpi = KpiDefinition(
            key="mql_to_sql_rate",
            name="MQL to SQL",
            unit=KpiUnit.RATIO,
            direction=Direction.HIGHER_IS_BETTER,
            owners=(Team.SALES, Team.MARKETING),
            formula="SQLs / MQLs",
        )
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

    def test_statuses_of_measurements(self) -> None:
        """Higher-is-better (the catalogue's win rate): meets goal on track, within tolerance at risk, else off track."""
        win_rate = default_catalogue(DEMAND_WATERFALL)["win_rate"].definition
        target = Target(kpi="win_rate", period=Q1, goal="0.30", tolerance="0.1")
        got = [
            target.status(Measurement(kpi="win_rate", period=Q1, value=x).value, win_rate.direction)
            for x in ("0.31", "0.28", "0.2")
        ]
        assert [TargetStatus.ON_TRACK, TargetStatus.AT_RISK, TargetStatus.OFF_TRACK] == got


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


class TestKpiValue:
    def test_value_xor_reason(self) -> None:
        """A KpiValue has a value or a reason, not both nor neither."""
        with pytest.raises(ValidationError, match="either a value or a reason"):
            KpiValue(key="k", period=Q1, value=None, unit=KpiUnit.COUNT)

    def test_to_measurement(self) -> None:
        """A computable value becomes a Measurement; a missing one refuses."""
        assert (
            Measurement(kpi="k", period=Q1, value=D(3))
            == KpiValue(key="k", period=Q1, value=3, unit=KpiUnit.COUNT).to_measurement()
        )
        with pytest.raises(ValidationError, match="not computable"):
            KpiValue(
                key="k", period=Q1, value=None, unit=KpiUnit.COUNT, reason="r"
            ).to_measurement()

    def test_to_records_is_one_plain_row(self) -> None:
        """A value is one row: the unit by its value, the period's bounds, each context figure in a column."""
        value = KpiValue(
            key="cost_per_lead",
            period=Q1,
            value="3600.00",
            unit=KpiUnit.MONEY,
            currency="EUR",
            context={"spend": "18000.00", "new_leads": 5},
        )
        assert [
            {
                "kpi": "cost_per_lead",
                "period_start": datetime(2026, 1, 1, tzinfo=timezone.utc),
                "period_end": datetime(2026, 4, 1, tzinfo=timezone.utc),
                "value": D("3600.00"),
                "unit": "money",
                "currency": "EUR",
                "reason": None,
                "context.spend": D("18000.00"),
                "context.new_leads": D(5),
            }
        ] == value.to_records()

    def test_to_records_of_a_missing_value(self) -> None:
        """A value that is not computable keeps its reason and no currency."""
        value = KpiValue(key="win_rate", period=Q1, value=None, unit=KpiUnit.RATIO, reason="r")
        (row,) = value.to_records()
        assert {"value": None, "unit": "ratio", "currency": None, "reason": "r"} == {
            k: row[k] for k in ("value", "unit", "currency", "reason")
        }


class TestKpiValueExact:
    def test_exact_defaults_to_the_value(self) -> None:
        """A value given without its exact form is its own exact value."""
        assert (
            Fraction(1, 4) == KpiValue(key="k", period=Q1, value="0.25", unit=KpiUnit.RATIO).exact
        )

    def test_exact_beside_the_display_value(self) -> None:
        """The exact value is kept as given, beside the rounded one."""
        value = KpiValue(
            key="k", period=Q1, value="0.6667", exact=Fraction(2, 3), unit=KpiUnit.RATIO
        )
        assert {"value": D("0.6667"), "exact": Fraction(2, 3)} == {
            "value": value.value,
            "exact": value.exact,
        }

    def test_both_travel_through_json(self) -> None:
        """The serialized form keeps the exact value (as "2/3") and the leads, and reads back equal."""
        value = KpiValue(
            key="k",
            period=Q1,
            value="0.6667",
            exact=Fraction(2, 3),
            unit=KpiUnit.RATIO,
            leads={"won": ("A", "B")},
        )
        data = json.loads(json.dumps(unstructure(value)))
        assert {"exact": "2/3", "leads": {"won": ["A", "B"]}} == {
            "exact": data["exact"],
            "leads": data["leads"],
        }
        assert value == structure(data, KpiValue)

    def test_no_exact_without_a_value(self) -> None:
        """A value that is not computable has no exact value either."""
        with pytest.raises(ValidationError, match="not computable, so it has no exact value"):
            KpiValue(key="k", period=Q1, value=None, exact=1, unit=KpiUnit.COUNT, reason="r")

    @pytest.mark.parametrize(
        ("exact", "error"), [(0.5, WrongType), ("two thirds", ValidationError)]
    )
    def test_exact_is_an_exact_number(self, exact: object, error: type[Exception]) -> None:
        """A float or a word is not an exact value."""
        with pytest.raises(error, match="KpiValue.exact must be an exact number"):
            KpiValue(key="k", period=Q1, value=1, exact=exact, unit=KpiUnit.COUNT)  # type: ignore[arg-type]

    @pytest.mark.parametrize("leads", [["A"], {"won": "AB"}, {"won": [1, 2]}])
    def test_leads_are_ids_by_count(self, leads: object) -> None:
        """The drill-down maps a count's name to lead ids."""
        with pytest.raises(WrongType, match="KpiValue.leads"):
            KpiValue(key="k", period=Q1, value=1, unit=KpiUnit.COUNT, leads=leads)  # type: ignore[arg-type]
