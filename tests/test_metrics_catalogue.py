"""Tests of salesmark.metrics.catalogue: every catalogue formula on the hand fixture (see
strategies.funnel.hand_organisation), the not-computable cases, the KPI objects and the
catalogue that holds them."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    CurrencyMismatch,
    Direction,
    KpiDefinition,
    KpiUnit,
    Lead,
    Money,
    Organisation,
    Period,
    Team,
    UnknownReference,
    ValidationError,
    WrongType,
)
from salesmark.lifecycle import HUBSPOT, Lifecycle, StageDefinition, Transition
from salesmark.metrics import (
    Catalogue,
    Computed,
    Kpi,
    KpiAssumptions,
    KpiFacts,
    LtvMethod,
    NotComputable,
    conversion_rate,
    default_catalogue,
    evaluate_catalogue,
)
from salesmark.sourcing import SourcedBy
from salesmark.testing.strategies import organisations
from strategies import hand_organisation, lead_lists

Q1 = Period.quarter(2026, 1)
ORG = hand_organisation()
FACTS = KpiFacts.collect(ORG, Q1)
EMPTY = Organisation(name="Empty", currency="EUR")
CATALOGUE = default_catalogue(ORG.lifecycle)
D = Decimal


def value(key: str, **assume: object) -> Decimal | None:
    """KPI ``key`` of the hand fixture in Q1 under the assumptions given."""
    return CATALOGUE[key].compute(FACTS, KpiAssumptions(**assume)).value  # type: ignore[arg-type]


def reason(key: str, org: Organisation = EMPTY, **assume: object) -> str | None:
    """Why KPI ``key`` of ``org`` in Q1 is not computable under the assumptions given."""
    facts = KpiFacts.collect(org, Q1)
    result = CATALOGUE[key].compute(facts, KpiAssumptions(**assume))  # type: ignore[arg-type]
    assert result.value is None
    return result.reason


class TestCounts:
    def test_new_leads_mqls_revenue(self) -> None:
        """5 new leads, 4 MQL entries and 34,000 won in Q1."""
        assert {"new_leads": D(5), "mqls": D(4), "revenue": D("34000.00")} == {
            key: value(key) for key in ("new_leads", "mqls", "revenue")
        }


class TestCostPerLead:
    def test_value(self) -> None:
        """18,000 spend / 5 new leads = 3,600."""
        assert D("3600.00") == value("cost_per_lead")

    def test_not_computable(self) -> None:
        """No new lead: not computable, with the reason."""
        assert "no lead was created in the period" == reason("cost_per_lead")


class TestCostPerAcquisition:
    def test_value(self) -> None:
        """18,000 spend / 3 deals won = 6,000."""
        assert D("6000.00") == value("cost_per_acquisition")

    def test_not_computable(self) -> None:
        """No deal won: not computable."""
        assert "no deal was won in the period" == reason("cost_per_acquisition")


class TestCustomerAcquisitionCost:
    def test_marketing_only(self) -> None:
        """18,000 / 2 new customers = 9,000."""
        assert D("9000.00") == value("customer_acquisition_cost")

    def test_with_sales_cost(self) -> None:
        """(18,000 + 2,000) / 2 = 10,000."""
        cost = Money.of(2000, "EUR")
        assert D("10000.00") == value("customer_acquisition_cost", sales_cost=cost)

    def test_not_computable(self) -> None:
        """No new customer: not computable."""
        assert "no new customer in the period" == reason("customer_acquisition_cost")

    def test_currency_mismatch(self) -> None:
        """A sales cost in another currency is refused."""
        with pytest.raises(CurrencyMismatch, match="sales_cost"):
            value("customer_acquisition_cost", sales_cost=Money.of(1, "USD"))


class TestConversionRate:
    def test_each_step(self) -> None:
        """Cohort 5 > 4 > 4 > 4 > 4 > 2 gives 0.8, 1, 1, 1, 0.5."""
        keys = [
            "inquiry_to_mql_rate",
            "mql_to_sal_rate",
            "sal_to_sql_rate",
            "sql_to_opportunity_rate",
            "opportunity_to_won_rate",
        ]
        values = [value(key) for key in keys]
        assert [D("0.8000"), D("1.0000"), D("1.0000"), D("1.0000"), D("0.5000")] == values

    def test_not_computable(self) -> None:
        """No cohort lead at the source stage: not computable."""
        result = conversion_rate("sql", "opportunity").compute(KpiFacts.collect(EMPTY, Q1))
        assert "no lead created in the period reached sql" == result.reason

    def test_unknown_stage(self) -> None:
        """A stage outside the lifecycle is refused (every stage of it is in the funnel now)."""
        with pytest.raises(ValidationError, match="no stage 'banana'"):
            conversion_rate("mql", "banana").compute(FACTS)

    def test_definition(self) -> None:
        """A conversion rate is a ratio both teams own, keyed after its two stages."""
        definition = conversion_rate("mql", "sal").definition
        assert {
            "key": "mql_to_sal_rate",
            "name": "MQL to SAL rate",
            "unit": KpiUnit.RATIO,
            "owners": (Team.MARKETING, Team.SALES),
            "formula": "cohort leads reaching sal / cohort leads reaching mql",
        } == {k: getattr(definition, k) for k in ("key", "name", "unit", "owners", "formula")}

    def test_equal_stages_give_equal_kpis(self) -> None:
        """The factory's KPIs are values: the same stages give an equal KPI, so catalogues compare."""
        assert conversion_rate("mql", "sal") == conversion_rate("mql", "sal")
        assert default_catalogue(DEMAND_WATERFALL) == default_catalogue(DEMAND_WATERFALL)


class TestMqlToSqlRate:
    def test_value(self) -> None:
        """4 cohort SQLs / 4 cohort MQLs = 1."""
        assert D("1.0000") == value("mql_to_sql_rate")

    def test_not_computable(self) -> None:
        """No cohort MQL: not computable."""
        assert "no lead created in the period became an MQL" == reason("mql_to_sql_rate")


class TestWinRate:
    def test_value(self) -> None:
        """3 won / (3 won + 1 lost) = 0.75."""
        assert D("0.7500") == value("win_rate")

    def test_not_computable(self) -> None:
        """Nothing closed: not computable."""
        assert "no opportunity was closed in the period" == reason("win_rate")


class TestAverageDealSize:
    def test_value(self) -> None:
        """34,000 / 3 = 11,333.33."""
        assert D("11333.33") == value("average_deal_size")

    def test_not_computable(self) -> None:
        """No valued deal won: not computable."""
        assert "no deal with a value was won in the period" == reason("average_deal_size")


class TestSalesCycleLength:
    def test_value(self) -> None:
        """Opportunity to won: 720h, 720h and 1,200h; mean 880h, median 720h."""
        result = CATALOGUE["sales_cycle_length"].compute(FACTS)
        assert {"value": D("880.00"), "median_hours": D("720.00")} == {
            "value": result.value,
            "median_hours": result.get("median_hours"),
        }

    def test_not_computable(self) -> None:
        """No deal won: not computable."""
        assert "no deal was won in the period" == reason("sales_cycle_length")


class TestPipelineCoverage:
    def test_value_with_required(self) -> None:
        """8,000 open / 16,000 target = 0.5, next to the 1 / 0.75 = 1.3333 required."""
        target = KpiAssumptions(revenue_target=Money.of(16000, "EUR"))
        result = CATALOGUE["pipeline_coverage"].compute(FACTS, target)
        assert {"value": D("0.5000"), "required_coverage": D("1.3333")} == {
            "value": result.value,
            "required_coverage": result.get("required_coverage"),
        }

    def test_no_target(self) -> None:
        """Without a revenue target: not computable, still showing the required coverage."""
        result = CATALOGUE["pipeline_coverage"].compute(FACTS)
        assert {
            "reason": "no revenue target given (KpiAssumptions.revenue_target)",
            "required_coverage": D("1.3333"),
        } == {"reason": result.reason, "required_coverage": result.get("required_coverage")}

    def test_zero_target(self) -> None:
        """A zero target: not computable."""
        assert "the revenue target is 0" == reason(
            "pipeline_coverage", ORG, revenue_target=Money.zero("EUR")
        )


class TestKpiAssumptions:
    @pytest.mark.parametrize(
        ("fields", "fragment"),
        [
            ({"revenue_target": Money.of(-5, "EUR")}, "revenue_target must not be negative"),
            ({"sales_cost": Money.of("-0.01", "EUR")}, "sales_cost must not be negative"),
            ({"sales_cost": -5}, "sales_cost must be a Money"),
        ],
    )
    def test_negative_money_is_refused(self, fields: dict[str, object], fragment: str) -> None:
        """A negative revenue target or sales cost raises ValidationError naming the field."""
        with pytest.raises(ValidationError, match=fragment):
            KpiAssumptions(**fields)  # type: ignore[arg-type]

    def test_zero_is_allowed(self) -> None:
        """Zero money is not negative: a zero sales cost is kept."""
        assert Money.zero("EUR") == KpiAssumptions(sales_cost=Money.zero("EUR")).sales_cost

    @pytest.mark.parametrize(
        ("fields", "fragment"),
        [
            ({"contract_months": 0}, "contract_months must be a whole number >= 1, got 0"),
            ({"contract_months": True}, "contract_months must be a whole number >= 1"),
            ({"discount_rate": "-0.01"}, "discount_rate must be a Decimal >= 0"),
            ({"gross_margin": "1.2"}, "gross_margin must be a Decimal between 0 and 1"),
        ],
    )
    def test_out_of_range_is_refused(self, fields: dict[str, object], fragment: str) -> None:
        """Contract months are whole and positive, the discount rate not negative, the margin a fraction."""
        with pytest.raises(ValidationError, match=fragment):
            KpiAssumptions(**fields)  # type: ignore[arg-type]


class TestPipelineVelocity:
    def test_value(self) -> None:
        """1 open * 11,333.33 * 0.75 / (880h / 24) = 231.82 a day."""
        assert D("231.82") == value("pipeline_velocity")

    def test_not_computable(self) -> None:
        """The first missing input is named."""
        assert "win rate: no opportunity was closed in the period" == reason("pipeline_velocity")


class TestLeadVelocityRate:
    def test_value(self) -> None:
        """(4 - 2) / 2 = 1."""
        assert D("1.0000") == value("lead_velocity_rate")

    def test_not_computable(self) -> None:
        """No MQL in the previous period: not computable."""
        assert "the previous period had no MQL" == reason("lead_velocity_rate")


class TestLifetimeValue:
    def test_cohort(self) -> None:
        """(34,000 + 5,000 / 1.02) / 2 new customers = 19,450.98."""
        assert D("19450.98") == value("customer_lifetime_value")

    def test_simple(self) -> None:
        """17,000 per account * 0.5 margin / 0.1 churn = 85,000."""
        assert D("85000.00") == value(
            "customer_lifetime_value",
            ltv_method=LtvMethod.SIMPLE,
            gross_margin="0.5",
            churn_rate="0.1",
        )

    def test_simple_without_churn(self) -> None:
        """The simple formula needs a churn rate."""
        assert "no churn rate given (KpiAssumptions.churn_rate)" == reason(
            "customer_lifetime_value", ORG, ltv_method=LtvMethod.SIMPLE
        )

    def test_simple_breaks_down_at_zero_churn(self) -> None:
        """Zero churn is not computable by the simple formula, and says why."""
        text = reason("customer_lifetime_value", ORG, ltv_method=LtvMethod.SIMPLE, churn_rate=0)
        assert text is not None
        assert "diverges" in text

    def test_simple_without_revenue(self) -> None:
        """No valued win: not computable."""
        assert "no deal with a value was won in the period" == reason(
            "customer_lifetime_value", EMPTY, ltv_method=LtvMethod.SIMPLE, churn_rate="0.1"
        )

    def test_cohort_not_computable(self) -> None:
        """No new customer: not computable."""
        assert "no new customer in the period" == reason("customer_lifetime_value")

    def test_bad_churn(self) -> None:
        """A churn rate above 1 is refused."""
        with pytest.raises(ValidationError, match="churn_rate"):
            KpiAssumptions(churn_rate="1.5")


class TestLtvToCac:
    def test_value(self) -> None:
        """19,450.98 / 9,000 = 2.1612."""
        assert D("2.1612") == value("ltv_to_cac")

    def test_not_computable(self) -> None:
        """Missing LTV is named."""
        assert "LTV: no new customer in the period" == reason("ltv_to_cac")

    def test_zero_cac(self) -> None:
        """A CAC of 0 (no spend) is not computable."""
        campaigns = [attrs.evolve(c, budget=Money.zero("EUR")) for c in ORG.campaigns]
        free = attrs.evolve(ORG, campaigns=campaigns)
        assert "CAC is 0 (no acquisition cost recorded)" == reason("ltv_to_cac", free)


class TestCacPaybackMonths:
    def test_value(self) -> None:
        """9,000 / (17,000 / 12 * 1) = 6.35 months."""
        assert D("6.35") == value("cac_payback_months")

    def test_not_computable(self) -> None:
        """Missing CAC is named."""
        assert "CAC: no new customer in the period" == reason("cac_payback_months")

    def test_zero_margin(self) -> None:
        """A zero gross margin never pays back."""
        assert "the gross margin is 0" == reason("cac_payback_months", ORG, gross_margin=0)


class TestReturnOnMarketingInvestment:
    def test_value(self) -> None:
        """A's 10,000 goes to c1, its last campaign touch; C and E touched no campaign: (10,000 - 18,000) / 18,000 = -0.4444."""
        assert D("-0.4444") == value("return_on_marketing_investment")

    def test_margin(self) -> None:
        """(10,000 * 0.8 - 18,000) / 18,000 = -0.5556."""
        assert D("-0.5556") == value("return_on_marketing_investment", gross_margin="0.8")

    def test_not_computable(self) -> None:
        """No spend: not computable."""
        assert "no marketing spend in the period" == reason("return_on_marketing_investment")


class TestSpeedToLead:
    def test_value(self) -> None:
        """Follow-ups after 1h, 4h and 12h: median 4h, p90 10.4h; C was never followed up."""
        result = CATALOGUE["speed_to_lead"].compute(FACTS)
        assert {"value": D("4.00"), "p90_hours": D("10.40"), "never_followed_up": D(1)} == {
            "value": result.value,
            "p90_hours": result.get("p90_hours"),
            "never_followed_up": result.get("never_followed_up"),
        }

    def test_not_computable(self) -> None:
        """No MQL followed up: not computable."""
        assert "no MQL of the period was followed up by sales" == reason("speed_to_lead")


class TestEngagementRate:
    def test_value(self) -> None:
        """A (email click) and C (webinar) engaged after capture: 2 / 5."""
        assert D("0.4000") == value("engagement_rate")

    def test_not_computable(self) -> None:
        """No new lead: not computable."""
        assert "no lead was created in the period" == reason("engagement_rate")


class TestMarketingSourcedAndInfluenced:
    def test_sourced_pipeline_first_touch(self) -> None:
        """A, B and H began with a marketing touch: 24,000 of 44,000 opened."""
        result = CATALOGUE["marketing_sourced_pipeline"].compute(FACTS)
        assert {"value": D("24000.00"), "share": D("0.5455")} == {
            "value": result.value,
            "share": result.get("share"),
        }

    def test_sourced_pipeline_by_lead_source(self) -> None:
        """By lead source only A and B (H has none, C is outbound): 16,000."""
        assert D("16000.00") == value(
            "marketing_sourced_pipeline", sourced_by=SourcedBy.LEAD_SOURCE
        )

    def test_sourced_pipeline_marketing_before_sales(self) -> None:
        """A marketing touch before sales' first: A, B and H, 24,000."""
        got = value("marketing_sourced_pipeline", sourced_by=SourcedBy.MARKETING_BEFORE_SALES)
        assert D("24000.00") == got

    def test_influenced_pipeline(self) -> None:
        """Every opportunity opened had a marketing touch before: 44,000."""
        assert D("44000.00") == value("marketing_influenced_pipeline")

    def test_sourced_revenue(self) -> None:
        """A and E were won from marketing-sourced leads: 14,000."""
        assert D("14000.00") == value("marketing_sourced_revenue")

    def test_influenced_revenue(self) -> None:
        """All three wins had a marketing touch before the win: 34,000."""
        assert D("34000.00") == value("marketing_influenced_revenue")

    def test_empty_is_zero_with_no_share(self) -> None:
        """No pipeline: 0 sourced (a real sum), and the share is not computable (None)."""
        result = CATALOGUE["marketing_sourced_pipeline"].compute(KpiFacts.collect(EMPTY, Q1))
        assert {"value": D("0.00"), "share": None} == {
            "value": result.value,
            "share": result.get("share"),
        }


def _leads_per_mql(facts: KpiFacts, assumptions: KpiAssumptions) -> Computed | NotComputable:
    if facts.mqls == 0:
        return NotComputable(reason="no MQL in the period", context={"new_leads": facts.new_leads})
    return Computed(value=Decimal(facts.new_leads) / facts.mqls, context={"mqls": facts.mqls})


LEADS_PER_MQL = Kpi(
    definition=KpiDefinition(
        key="leads_per_mql",
        name="Leads per MQL",
        unit=KpiUnit.RATIO,
        direction=Direction.LOWER_IS_BETTER,
        owners=(Team.MARKETING,),
        formula="new leads / MQLs",
    ),
    formula=_leads_per_mql,
)


class TestKpi:
    def test_compute_rounds_for_display(self) -> None:
        """The formula's exact 5 / 4 is shown as a ratio to four places, with its context."""
        result = LEADS_PER_MQL.compute(FACTS)
        assert {"value": D("1.2500"), "context": (("mqls", D(4)),), "currency": None} == {
            "value": result.value,
            "context": result.context,
            "currency": result.currency,
        }

    def test_not_computable_keeps_reason_and_context(self) -> None:
        """A formula's NotComputable becomes a KpiValue without a value."""
        result = LEADS_PER_MQL.compute(KpiFacts.collect(EMPTY, Q1))
        assert {"reason": "no MQL in the period", "context": (("new_leads", D(0)),)} == {
            "reason": result.reason,
            "context": result.context,
        }

    def test_money_is_rounded_half_even_in_the_facts_currency(self) -> None:
        """Money KPIs carry the facts' currency and round half-even to its minor unit."""
        kpi = attrs.evolve(
            LEADS_PER_MQL,
            definition=attrs.evolve(LEADS_PER_MQL.definition, unit=KpiUnit.MONEY),
            formula=lambda f, a: Computed(value=D("10.125")),
        )
        result = kpi.compute(FACTS)
        assert {"value": D("10.12"), "currency": "EUR"} == {
            "value": result.value,
            "currency": result.currency,
        }

    def test_key_and_repr(self) -> None:
        """A KPI names its key and its formula in words."""
        assert "leads_per_mql" == LEADS_PER_MQL.key
        assert "Kpi(leads_per_mql: new leads / MQLs)" == repr(LEADS_PER_MQL)

    def test_facts_must_be_facts(self) -> None:
        """Computing from anything but KpiFacts is a WrongType naming the KPI."""
        with pytest.raises(WrongType, match=r"Kpi\(win_rate\).compute facts must be a KpiFacts"):
            CATALOGUE["win_rate"].compute(ORG)  # type: ignore[arg-type]

    def test_assumptions_must_be_assumptions(self) -> None:
        """Assumptions of the wrong type are refused."""
        with pytest.raises(WrongType, match="assumptions must be a KpiAssumptions or None"):
            CATALOGUE["win_rate"].compute(FACTS, {"gross_margin": 1})  # type: ignore[arg-type]

    def test_formula_must_be_a_function(self) -> None:
        """A KPI's formula must be callable."""
        with pytest.raises(WrongType, match=r"Kpi.formula must be a function"):
            Kpi(definition=LEADS_PER_MQL.definition, formula="new leads / MQLs")  # type: ignore[arg-type]


class TestCatalogue:
    def test_lookup_by_key(self) -> None:
        """A KPI is looked up by its key; the catalogue knows its keys and definitions in order."""
        assert "win_rate" == CATALOGUE["win_rate"].key
        assert "win_rate" in CATALOGUE
        assert "happiness" not in CATALOGUE
        assert [k.definition for k in CATALOGUE] == list(CATALOGUE.definitions)
        assert len(CATALOGUE.keys) == len(CATALOGUE)

    def test_unknown_key_lists_the_known(self) -> None:
        """An unknown KPI key raises UnknownReference listing the known keys."""
        with pytest.raises(
            UnknownReference, match="no KPI 'happiness'; known KPIs: new_leads, mqls"
        ):
            CATALOGUE["happiness"]

    def test_keys_are_unique(self) -> None:
        """A catalogue holds each key once."""
        with pytest.raises(ValidationError, match="each key once"):
            Catalogue(kpis=[CATALOGUE["mqls"], CATALOGUE["mqls"]])

    def test_items_are_kpis(self) -> None:
        """A catalogue holds Kpi objects only."""
        with pytest.raises(WrongType, match=r"Catalogue.kpis\[0\] must be a Kpi"):
            Catalogue(kpis=[CATALOGUE["mqls"].definition])

    def test_default_has_one_rate_per_step(self) -> None:
        """The default catalogue ends with one conversion rate per step of the lifecycle's progression."""
        catalogue = default_catalogue(HUBSPOT)
        assert [
            "subscriber_to_lead_rate",
            "lead_to_marketingqualifiedlead_rate",
            "marketingqualifiedlead_to_salesqualifiedlead_rate",
            "salesqualifiedlead_to_opportunity_rate",
            "opportunity_to_customer_rate",
        ] == list(catalogue.keys[-5:])
        assert list(CATALOGUE.keys[:-5]) == list(catalogue.keys[:-5])

    def test_a_step_named_like_a_shared_kpi_is_listed_once(self) -> None:
        """A lifecycle going straight from mql to sql has one mql_to_sql_rate: the shared KPI."""
        straight = Lifecycle(
            name="straight",
            stages=[
                StageDefinition(name=n, terminal=n == "won") for n in ("lead", "mql", "sql", "won")
            ],
            transitions=[
                Transition(source="lead", target="mql"),
                Transition(source="mql", target="sql"),
                Transition(source="sql", target="won"),
            ],
            initial="lead",
            progression=("lead", "mql", "sql", "won"),
        )
        keys = default_catalogue(straight).keys
        assert 1 == keys.count("mql_to_sql_rate")
        assert ("lead_to_mql_rate", "sql_to_won_rate") == keys[-2:]

    def test_lifecycle_is_required(self) -> None:
        """The default catalogue needs a lifecycle: none is assumed."""
        with pytest.raises(WrongType, match="default_catalogue lifecycle must be a Lifecycle"):
            default_catalogue("demand_waterfall")  # type: ignore[arg-type]

    def test_definitions_state_formulas(self) -> None:
        """Every definition states a formula."""
        assert all(d.formula for d in CATALOGUE.definitions)


class TestEvaluateCatalogue:
    def test_every_definition_has_a_function(self) -> None:
        """The report holds one value per KPI of the default catalogue, in order."""
        report = evaluate_catalogue(ORG, Q1, facts=FACTS)
        assert list(CATALOGUE.keys) == [x.key for x in report.values]

    def test_empty_organisation_never_crashes(self) -> None:
        """On an empty organisation every KPI is a value or a reason, never an error."""
        report = evaluate_catalogue(EMPTY, Q1)
        assert all((x.value is None) == (x.reason is not None) for x in report.values)
        assert "KpiReport" in repr(report)
        assert len(CATALOGUE) == len(report.to_records())

    def test_unknown_key(self) -> None:
        """An unknown KPI key raises UnknownReference."""
        with pytest.raises(UnknownReference, match="no KPI"):
            CATALOGUE["happiness"]
        with pytest.raises(UnknownReference):
            evaluate_catalogue(ORG, Q1, facts=FACTS)["happiness"]

    def test_a_catalogue_of_ones_own(self) -> None:
        """A catalogue given is computed in its order, custom KPIs included."""
        mine = Catalogue(kpis=[LEADS_PER_MQL, CATALOGUE["mqls"]])
        report = evaluate_catalogue(ORG, Q1, facts=FACTS, catalogue=mine)
        assert [("leads_per_mql", D("1.2500")), ("mqls", D(4))] == [
            (key, x.value) for key, x in report.as_dict().items()
        ]

    def test_records_are_the_values_rows(self) -> None:
        """The report's records are its values' rows, in order."""
        report = evaluate_catalogue(ORG, Q1, facts=FACTS)
        assert [row for x in report.values for row in x.to_records()] == report.to_records()

    @settings(max_examples=25, deadline=None)
    @given(lead_lists())
    def test_random_organisations_never_crash(self, leads: list[Lead]) -> None:
        """Any legal set of leads gives a value or a reason for every KPI."""
        org = Organisation(name="R", currency="EUR", leads=leads)
        report = evaluate_catalogue(org, Q1)
        assert all((x.value is None) != (x.reason is None) for x in report.values)

    @settings(max_examples=40, deadline=None)
    @given(organisations(max_leads=10), st.data())
    def test_equals_each_kpi_computed_alone(self, org: Organisation, data: st.DataObject) -> None:
        """The report is, KPI by KPI, what each KPI of the catalogue computes from the same facts."""
        period = data.draw(st.sampled_from([Q1, Q1.previous(), Period.month(2026, 2)]))
        money = st.integers(0, 10**6).map(lambda x: Money.of(x, org.currency))
        assumptions = data.draw(
            st.builds(
                KpiAssumptions,
                revenue_target=st.none() | money,
                sales_cost=st.none() | money,
                gross_margin=st.sampled_from(["0", "0.5", "1"]),
                churn_rate=st.sampled_from([None, "0", "0.1"]),
                ltv_method=st.sampled_from(LtvMethod),
                sourced_by=st.sampled_from(SourcedBy),
            )
        )
        facts = KpiFacts.collect(org, period)
        catalogue = default_catalogue(org.lifecycle)
        report = evaluate_catalogue(org, period, facts=facts, assumptions=assumptions)
        assert [kpi.compute(facts, assumptions) for kpi in catalogue] == list(report.values)
