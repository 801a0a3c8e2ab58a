"""Tests of salesmark.kpis: every catalogue formula on the hand fixture, the not-computable
cases, target evaluation and scorecards."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings

from salesmark import (
    CurrencyMismatch,
    Lead,
    Money,
    Organisation,
    Period,
    Team,
    UnknownReference,
    ValidationError,
)
from salesmark import metrics as k
from salesmark.campaigns import prorated_budget
from salesmark.kpis import (
    Direction,
    KpiDefinition,
    KpiUnit,
    KpiValue,
    Measurement,
    Scorecard,
    Target,
    TargetStatus,
)
from salesmark.metrics import DEFAULT_CATALOGUE, KpiAssumptions, KpiFacts, LtvMethod, Trend
from salesmark.sourcing import SourcedBy
from strategies import hand_organisation, lead_lists

Q1 = Period.quarter(2026, 1)
ORG = hand_organisation()
FACTS = KpiFacts.collect(ORG, Q1)
EMPTY = Organisation(name="Empty", currency="EUR")
D = Decimal


def value(fn: k.KpiFunction, **assume: object) -> Decimal | None:
    result = fn(ORG, Q1, facts=FACTS, assumptions=KpiAssumptions(**assume))  # type: ignore[arg-type]
    return result.value


def reason(fn: k.KpiFunction, org: Organisation = EMPTY, **assume: object) -> str | None:
    result = fn(org, Q1, assumptions=KpiAssumptions(**assume))  # type: ignore[arg-type]
    assert result.value is None
    return result.reason


class TestKpiFacts:
    def test_hand_fixture(self) -> None:
        """The facts of Q1 match the hand count (see funnel_strategies.hand_organisation)."""
        f = FACTS
        assert (5, 4, 2, 3, 1, 2, 2) == (
            f.new_leads, f.mqls, f.previous_mqls, f.won_deals, f.lost_deals,
            f.won_accounts, f.new_customers,
        )  # fmt: skip
        assert Money.of("18000.00", "EUR") == f.marketing_spend
        assert ((0, Money.of(34000, "EUR")), (1, Money.of(5000, "EUR"))) == f.cohort_revenue

    def test_facts_for_another_period_are_refused(self) -> None:
        """Facts of one period cannot compute another period's KPI."""
        with pytest.raises(ValidationError, match="facts must be KpiFacts"):
            k.win_rate(ORG, Q1.next(), facts=FACTS)

    def test_bad_period(self) -> None:
        """A period must be a Period."""
        with pytest.raises(ValidationError, match="Period"):
            KpiFacts.collect(ORG, "Q1")  # type: ignore[arg-type]


class TestProratedBudget:
    def test_half_year_campaign(self) -> None:
        """18,200 over 182 days gives 9,000 to the 90 days of Q1."""
        assert Money.of("9000.00", "EUR") == prorated_budget(ORG.campaign("c2"), Q1)

    def test_no_overlap(self) -> None:
        """A campaign outside the period costs nothing in it."""
        assert Money.zero("EUR") == prorated_budget(ORG.campaign("c1"), Q1.next())


class TestCounts:
    def test_new_leads_mqls_revenue(self) -> None:
        """5 new leads, 4 MQL entries and 34,000 won in Q1."""
        assert (D(5), D(4), D("34000.00")) == (
            value(k.new_leads), value(k.mqls), value(k.revenue),
        )  # fmt: skip


class TestCostPerLead:
    def test_value(self) -> None:
        """18,000 spend / 5 new leads = 3,600."""
        assert D("3600.00") == value(k.cost_per_lead)

    def test_not_computable(self) -> None:
        """No new lead: not computable, with the reason."""
        assert "no lead was created in the period" == reason(k.cost_per_lead)


class TestCostPerAcquisition:
    def test_value(self) -> None:
        """18,000 spend / 3 deals won = 6,000."""
        assert D("6000.00") == value(k.cost_per_acquisition)

    def test_not_computable(self) -> None:
        """No deal won: not computable."""
        assert "no deal was won in the period" == reason(k.cost_per_acquisition)


class TestCustomerAcquisitionCost:
    def test_marketing_only(self) -> None:
        """18,000 / 2 new customers = 9,000."""
        assert D("9000.00") == value(k.customer_acquisition_cost)

    def test_with_sales_cost(self) -> None:
        """(18,000 + 2,000) / 2 = 10,000."""
        cost = Money.of(2000, "EUR")
        assert D("10000.00") == value(k.customer_acquisition_cost, sales_cost=cost)

    def test_not_computable(self) -> None:
        """No new customer: not computable."""
        assert "no new customer in the period" == reason(k.customer_acquisition_cost)

    def test_currency_mismatch(self) -> None:
        """A sales cost in another currency is refused."""
        with pytest.raises(CurrencyMismatch, match="sales_cost"):
            value(k.customer_acquisition_cost, sales_cost=Money.of(1, "USD"))


class TestConversionRate:
    def test_each_step(self) -> None:
        """Cohort 5 > 4 > 4 > 4 > 4 > 2 gives 0.8, 1, 1, 1, 0.5."""
        keys = ["inquiry_to_mql_rate", "mql_to_sal_rate", "sal_to_sql_rate",
                "sql_to_opportunity_rate", "opportunity_to_won_rate"]  # fmt: skip
        values = [value(k.kpi_function(key)) for key in keys]
        assert [D("0.8000"), D("1.0000"), D("1.0000"), D("1.0000"), D("0.5000")] == values

    def test_not_computable(self) -> None:
        """No cohort lead at the source stage: not computable."""
        result = k.conversion_rate(EMPTY, Q1, source="sql", target="opportunity")
        assert "no lead created in the period reached sql" == result.reason

    def test_unknown_stage(self) -> None:
        """A stage outside the progression is refused."""
        with pytest.raises(ValidationError, match="no stage"):
            k.conversion_rate(ORG, Q1, source="lost", target="won", facts=FACTS)


class TestMqlToSqlRate:
    def test_value(self) -> None:
        """4 cohort SQLs / 4 cohort MQLs = 1."""
        assert D("1.0000") == value(k.mql_to_sql_rate)

    def test_not_computable(self) -> None:
        """No cohort MQL: not computable."""
        assert "no lead created in the period became an MQL" == reason(k.mql_to_sql_rate)


class TestWinRate:
    def test_value(self) -> None:
        """3 won / (3 won + 1 lost) = 0.75."""
        assert D("0.7500") == value(k.win_rate)

    def test_not_computable(self) -> None:
        """Nothing closed: not computable."""
        assert "no opportunity was closed in the period" == reason(k.win_rate)


class TestAverageDealSize:
    def test_value(self) -> None:
        """34,000 / 3 = 11,333.33."""
        assert D("11333.33") == value(k.average_deal_size)

    def test_not_computable(self) -> None:
        """No valued deal won: not computable."""
        assert "no deal with a value was won in the period" == reason(k.average_deal_size)


class TestSalesCycleLength:
    def test_value(self) -> None:
        """Opportunity to won: 720h, 720h and 1,200h; mean 880h, median 720h."""
        result = k.sales_cycle_length(ORG, Q1, facts=FACTS)
        assert (D("880.00"), D("720.00")) == (result.value, result.get("median_hours"))

    def test_not_computable(self) -> None:
        """No deal won: not computable."""
        assert "no deal was won in the period" == reason(k.sales_cycle_length)


class TestPipelineCoverage:
    def test_value_with_required(self) -> None:
        """8,000 open / 16,000 target = 0.5, next to the 1 / 0.75 = 1.3333 required."""
        result = k.pipeline_coverage(
            ORG, Q1, facts=FACTS, assumptions=KpiAssumptions(revenue_target=Money.of(16000, "EUR"))
        )
        assert (D("0.5000"), D("1.3333")) == (result.value, result.get("required_coverage"))

    def test_no_target(self) -> None:
        """Without a revenue target: not computable, still showing the required coverage."""
        result = k.pipeline_coverage(ORG, Q1, facts=FACTS)
        assert ("no revenue target given (KpiAssumptions.revenue_target)", D("1.3333")) == (
            result.reason, result.get("required_coverage"),
        )  # fmt: skip

    def test_zero_target(self) -> None:
        """A zero target: not computable."""
        assert "the revenue target is 0" == reason(
            k.pipeline_coverage, ORG, revenue_target=Money.zero("EUR")
        )


class TestKpiAssumptions:
    @pytest.mark.parametrize(
        ("fields", "fragment"),
        [
            ({"revenue_target": Money.of(-5, "EUR")}, "revenue_target must not be negative"),
            ({"sales_cost": Money.of("-0.01", "EUR")}, "sales_cost must not be negative"),
            ({"sales_cost": -5}, "sales_cost must be Money"),
        ],
    )
    def test_negative_money_is_refused(self, fields: dict[str, object], fragment: str) -> None:
        """A negative revenue target or sales cost raises ValidationError naming the field."""
        with pytest.raises(ValidationError, match=fragment):
            KpiAssumptions(**fields)  # type: ignore[arg-type]

    def test_zero_is_allowed(self) -> None:
        """Zero money is not negative: a zero sales cost is kept."""
        assert Money.zero("EUR") == KpiAssumptions(sales_cost=Money.zero("EUR")).sales_cost


class TestPipelineVelocity:
    def test_value(self) -> None:
        """1 open * 11,333.33 * 0.75 / (880h / 24) = 231.82 a day."""
        assert D("231.82") == value(k.pipeline_velocity)

    def test_not_computable(self) -> None:
        """The first missing input is named."""
        assert "win rate: no opportunity was closed in the period" == reason(k.pipeline_velocity)


class TestLeadVelocityRate:
    def test_value(self) -> None:
        """(4 - 2) / 2 = 1."""
        assert D("1.0000") == value(k.lead_velocity_rate)

    def test_not_computable(self) -> None:
        """No MQL in the previous period: not computable."""
        assert "the previous period had no MQL" == reason(k.lead_velocity_rate)


class TestLifetimeValue:
    def test_cohort(self) -> None:
        """(34,000 + 5,000 / 1.02) / 2 new customers = 19,450.98."""
        assert D("19450.98") == value(k.lifetime_value)

    def test_simple(self) -> None:
        """17,000 per account * 0.5 margin / 0.1 churn = 85,000."""
        assert D("85000.00") == value(
            k.lifetime_value, ltv_method=LtvMethod.SIMPLE, gross_margin="0.5", churn_rate="0.1"
        )

    def test_simple_without_churn(self) -> None:
        """The simple formula needs a churn rate."""
        assert "no churn rate given (KpiAssumptions.churn_rate)" == reason(
            k.lifetime_value, ORG, ltv_method=LtvMethod.SIMPLE
        )

    def test_simple_breaks_down_at_zero_churn(self) -> None:
        """Zero churn is not computable by the simple formula, and says why."""
        text = reason(k.lifetime_value, ORG, ltv_method=LtvMethod.SIMPLE, churn_rate=0)
        assert text is not None
        assert "diverges" in text

    def test_simple_without_revenue(self) -> None:
        """No valued win: not computable."""
        assert "no deal with a value was won in the period" == reason(
            k.lifetime_value, EMPTY, ltv_method=LtvMethod.SIMPLE, churn_rate="0.1"
        )

    def test_cohort_not_computable(self) -> None:
        """No new customer: not computable."""
        assert "no new customer in the period" == reason(k.lifetime_value)

    def test_bad_churn(self) -> None:
        """A churn rate above 1 is refused."""
        with pytest.raises(ValidationError, match="churn_rate"):
            KpiAssumptions(churn_rate="1.5")


class TestLtvToCac:
    def test_value(self) -> None:
        """19,450.98 / 9,000 = 2.1612."""
        assert D("2.1612") == value(k.ltv_to_cac)

    def test_not_computable(self) -> None:
        """Missing LTV is named."""
        assert "LTV: no new customer in the period" == reason(k.ltv_to_cac)

    def test_zero_cac(self) -> None:
        """A CAC of 0 (no spend) is not computable."""
        campaigns = [attrs.evolve(c, budget=Money.zero("EUR")) for c in ORG.campaigns]
        free = attrs.evolve(ORG, campaigns=campaigns)
        assert "CAC is 0 (no acquisition cost recorded)" == reason(k.ltv_to_cac, free)


class TestCacPaybackMonths:
    def test_value(self) -> None:
        """9,000 / (17,000 / 12 * 1) = 6.35 months."""
        assert D("6.35") == value(k.cac_payback_months)

    def test_not_computable(self) -> None:
        """Missing CAC is named."""
        assert "CAC: no new customer in the period" == reason(k.cac_payback_months)

    def test_zero_margin(self) -> None:
        """A zero gross margin never pays back."""
        assert "the gross margin is 0" == reason(k.cac_payback_months, ORG, gross_margin=0)


class TestReturnOnMarketingInvestment:
    def test_value(self) -> None:
        """(14,000 first-touch sourced - 18,000) / 18,000 = -0.2222."""
        assert D("-0.2222") == value(k.return_on_marketing_investment)

    def test_margin(self) -> None:
        """(14,000 * 0.8 - 18,000) / 18,000 = -0.3778."""
        assert D("-0.3778") == value(k.return_on_marketing_investment, gross_margin="0.8")

    def test_not_computable(self) -> None:
        """No spend: not computable."""
        assert "no marketing spend in the period" == reason(k.return_on_marketing_investment)


class TestSpeedToLead:
    def test_value(self) -> None:
        """Follow-ups after 1h, 4h and 12h: median 4h, p90 10.4h; C was never followed up."""
        result = k.speed_to_lead(ORG, Q1, facts=FACTS)
        assert (D("4.00"), D("10.40"), D(1)) == (
            result.value, result.get("p90_hours"), result.get("never_followed_up"),
        )  # fmt: skip

    def test_not_computable(self) -> None:
        """No MQL followed up: not computable."""
        assert "no MQL of the period was followed up by sales" == reason(k.speed_to_lead)


class TestEngagementRate:
    def test_value(self) -> None:
        """A (email click) and C (webinar) engaged after capture: 2 / 5."""
        assert D("0.4000") == value(k.engagement_rate)

    def test_not_computable(self) -> None:
        """No new lead: not computable."""
        assert "no lead was created in the period" == reason(k.engagement_rate)


class TestMarketingSourcedAndInfluenced:
    def test_sourced_pipeline_first_touch(self) -> None:
        """A, B and H began with a marketing touch: 24,000 of 44,000 opened."""
        result = k.marketing_sourced_pipeline(ORG, Q1, facts=FACTS)
        assert (D("24000.00"), D("0.5455")) == (result.value, result.get("share"))

    def test_sourced_pipeline_by_lead_source(self) -> None:
        """By lead source only A and B (H has none, C is outbound): 16,000."""
        assert D("16000.00") == value(
            k.marketing_sourced_pipeline, sourced_by=SourcedBy.LEAD_SOURCE
        )

    def test_sourced_pipeline_marketing_before_sales(self) -> None:
        """A marketing touch before sales' first: A, B and H, 24,000."""
        got = value(k.marketing_sourced_pipeline, sourced_by=SourcedBy.MARKETING_BEFORE_SALES)
        assert D("24000.00") == got

    def test_influenced_pipeline(self) -> None:
        """Every opportunity opened had a marketing touch before: 44,000."""
        assert D("44000.00") == value(k.marketing_influenced_pipeline)

    def test_sourced_revenue(self) -> None:
        """A and E were won from marketing-sourced leads: 14,000."""
        assert D("14000.00") == value(k.marketing_sourced_revenue)

    def test_influenced_revenue(self) -> None:
        """All three wins had a marketing touch before the win: 34,000."""
        assert D("34000.00") == value(k.marketing_influenced_revenue)

    def test_empty_is_zero_with_no_share(self) -> None:
        """No pipeline: 0 sourced (a real sum), and the share is not computable (None)."""
        result = k.marketing_sourced_pipeline(EMPTY, Q1)
        assert (D("0.00"), None) == (result.value, result.get("share"))


class TestEvaluateCatalogue:
    def test_every_definition_has_a_function(self) -> None:
        """The report holds one value per default definition, in order."""
        report = k.evaluate_catalogue(ORG, Q1, facts=FACTS)
        assert [d.key for d in DEFAULT_CATALOGUE] == [x.key for x in report.values]

    def test_empty_organisation_never_crashes(self) -> None:
        """On an empty organisation every KPI is a value or a reason, never an error."""
        report = k.evaluate_catalogue(EMPTY, Q1)
        assert all((x.value is None) == (x.reason is not None) for x in report.values)
        assert "KpiReport" in repr(report)
        assert len(DEFAULT_CATALOGUE) == len(report.to_records())

    def test_unknown_key(self) -> None:
        """An unknown KPI key raises UnknownReference."""
        with pytest.raises(UnknownReference, match="no KPI"):
            k.kpi_function("happiness")
        with pytest.raises(UnknownReference):
            k.evaluate_catalogue(ORG, Q1, facts=FACTS)["happiness"]

    def test_definitions_state_formulas(self) -> None:
        """Every definition states a formula."""
        assert all(d.formula for d in DEFAULT_CATALOGUE)

    @settings(max_examples=25, deadline=None)
    @given(lead_lists())
    def test_random_organisations_never_crash(self, leads: list[Lead]) -> None:
        """Any legal set of leads gives a value or a reason for every KPI."""
        org = Organisation(name="R", currency="EUR", leads=leads)
        report = k.evaluate_catalogue(org, Q1)
        assert all((x.value is None) != (x.reason is None) for x in report.values)


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


def _definitions(*keys: str) -> list[KpiDefinition]:
    by_key = {d.key: d for d in DEFAULT_CATALOGUE}
    return [by_key[key] for key in keys]


class TestTargetStatusOfMeasurements:
    def test_statuses(self) -> None:
        """Higher-is-better: meets goal on track, within tolerance at risk, else off track."""
        (wr,) = _definitions("win_rate")
        target = Target(kpi="win_rate", period=Q1, goal="0.30", tolerance="0.1")
        got = [target.status(Measurement(kpi="win_rate", period=Q1, value=x).value, wr.direction)
               for x in ("0.31", "0.28", "0.2")]  # fmt: skip
        assert [TargetStatus.ON_TRACK, TargetStatus.AT_RISK, TargetStatus.OFF_TRACK] == got


class TestEvaluateTargets:
    def test_with_and_without_measurement(self) -> None:
        """A target without a measurement has no status."""
        org = Organisation(
            name="T", currency="EUR", kpis=_definitions("win_rate", "cost_per_lead"),
            measurements=(Measurement(kpi="cost_per_lead", period=Q1, value=60),),
            targets=(Target(kpi="cost_per_lead", period=Q1, goal=50),
                     Target(kpi="win_rate", period=Q1, goal="0.3"),
                     Target(kpi="win_rate", period=Q1.next(), goal="0.3")),
        )  # fmt: skip
        got = [(e.kpi, e.status) for e in k.evaluate_targets(org, Q1)]
        assert [("cost_per_lead", TargetStatus.OFF_TRACK), ("win_rate", None)] == got

    def test_compute_fills_in_what_was_not_recorded(self) -> None:
        """With compute=True, win rate is the computed 0.75 (on track), the recorded cost per lead stays 60."""
        org = attrs.evolve(
            ORG, kpis=_definitions("win_rate", "cost_per_lead"),
            measurements=(Measurement(kpi="cost_per_lead", period=Q1, value=60),),
            targets=(Target(kpi="cost_per_lead", period=Q1, goal=50),
                     Target(kpi="win_rate", period=Q1, goal="0.3")),
        )  # fmt: skip
        got = [(e.kpi, e.value, e.status) for e in k.evaluate_targets(org, Q1, compute=True)]
        assert [
            ("cost_per_lead", D(60), TargetStatus.OFF_TRACK),
            ("win_rate", D("0.7500"), TargetStatus.ON_TRACK),
        ] == got

    def test_compute_leaves_uncomputable_kpis_without_status(self) -> None:
        """A KPI the data cannot give (win rate without a closed deal) has no value even when computed."""
        org = Organisation(
            name="T", currency="EUR", kpis=_definitions("win_rate"),
            targets=(Target(kpi="win_rate", period=Q1, goal="0.3"),),
        )  # fmt: skip
        got = [(e.value, e.status) for e in k.evaluate_targets(org, Q1, compute=True)]
        assert [(None, None)] == got


class TestScorecardReport:
    def test_rows(self) -> None:
        """Computed values, targets, status and trend against the previous quarter."""
        keys = ("new_leads", "mqls", "win_rate", "cost_per_lead")
        org = Organisation(
            name="S", currency="EUR", members=ORG.members, campaigns=ORG.campaigns,
            leads=ORG.leads, kpis=_definitions(*keys),
            scorecards=(Scorecard(team=Team.MARKETING, kpis=keys),),
            targets=(Target(kpi="mqls", period=Q1, goal="4.4"),
                     Target(kpi="cost_per_lead", period=Q1, goal=4000)),
        )  # fmt: skip
        report = k.scorecard_report(org, Team.MARKETING, Q1)
        got = [(r.kpi, r.value, r.previous, r.status, r.trend) for r in report.rows]
        assert [
            ("new_leads", D(5), D(2), None, Trend.IMPROVING),
            ("mqls", D(4), D(2), TargetStatus.AT_RISK, Trend.IMPROVING),
            ("win_rate", D("0.7500"), None, None, Trend.UNKNOWN),
            ("cost_per_lead", D("3600.00"), D("4600.00"), TargetStatus.ON_TRACK, Trend.IMPROVING),
        ] == got
        assert "marketing scorecard" in report.render()
        assert 4 == len(report.to_records())

    def test_recorded_measurement_wins(self) -> None:
        """A recorded measurement is shown rather than the computed value."""
        keys = ("new_leads", "mqls", "win_rate")
        org = Organisation(
            name="S", currency="EUR", kpis=_definitions(*keys),
            scorecards=(Scorecard(team=Team.SALES, kpis=keys),),
            measurements=(Measurement(kpi="win_rate", period=Q1, value="0.2"),),
        )  # fmt: skip
        row = k.scorecard_report(org, Team.SALES, Q1).rows[2]
        assert (D("0.2"), Trend.UNKNOWN) == (row.value, row.trend)

    def test_custom_kpi_without_formula(self) -> None:
        """A KPI outside the catalogue and unmeasured shows why it has no value."""
        custom = KpiDefinition(key="nps", name="NPS", unit=KpiUnit.COUNT,
                                 direction=Direction.HIGHER_IS_BETTER, owners=(Team.SALES,),
                                 formula="promoters - detractors")  # fmt: skip
        keys = ("new_leads", "mqls", "nps")
        org = Organisation(
            name="S",
            currency="EUR",
            kpis=[*_definitions("new_leads", "mqls"), custom],
            scorecards=(Scorecard(team=Team.SALES, kpis=keys),),
        )
        row = k.scorecard_report(org, Team.SALES, Q1).rows[2]
        assert "no measurement recorded and no catalogue formula" == row.reason

    def test_no_scorecard(self) -> None:
        """A team without a scorecard raises UnknownReference."""
        with pytest.raises(UnknownReference, match="no scorecard"):
            k.scorecard_report(EMPTY, Team.SALES, Q1)
