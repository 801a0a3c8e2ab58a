"""Invariants of salesmark.metrics: the state as of an instant is one rule, values are exact
until shown, the drill-down lists as many leads as each count counts, the touch-based
definitions of marketing-sourced follow salesmark.sourcing, and composite KPIs never
compute from rounded values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import (
    Lead,
    LeadSource,
    Money,
    Organisation,
    Period,
    StageChange,
    Team,
    Touchpoint,
    TouchpointKind,
    WrongType,
    synthetic,
)
from salesmark.attribution import last_touch
from salesmark.kpis import KpiUnit
from salesmark.metrics import (
    Computed,
    KpiAssumptions,
    KpiFacts,
    default_catalogue,
    evaluate_catalogue,
    romi_by_campaign,
)
from salesmark.money import minor_unit
from salesmark.sourcing import SourcedBy, is_marketing_sourced
from salesmark.testing.strategies import organisations
from strategies import lead_lists

PERIODS = st.sampled_from(
    [
        Period.quarter(2026, 1),
        Period.month(2026, 2),
        Period.quarter(2026, 2),
        Period.month(2025, 12),
    ]
)
SYNTHETIC = synthetic.organisation(seed=5, leads=400)
Q2 = Period.quarter(2026, 2)


def _utc(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=timezone.utc)


class TestStateAsOfAnInstant:
    @settings(max_examples=60, deadline=None)
    @given(lead_lists(), PERIODS)
    def test_open_is_the_stage_as_of_the_end(self, leads: list[Lead], period: Period) -> None:
        """The open opportunities are the leads whose stage as of the period's end is opportunity, whenever they entered it."""
        org = Organisation(name="R", currency="EUR", leads=leads)
        facts = KpiFacts.collect(org, period)
        expected = [lead.id for lead in leads if lead.stage_as_of(period.end) == "opportunity"]
        value = sum(
            (lead.value.amount for lead in leads if lead.id in expected and lead.value),
            Decimal(0),
        )
        assert {"ids": expected, "value": value} == {
            "ids": list(facts.leads("open_opportunities")),
            "value": facts.open_pipeline.amount,
        }

    def test_an_opportunity_left_alone_for_months(self) -> None:
        """An opportunity opened in January and untouched since is open at the end of June."""
        t = _utc(1)
        lead = Lead(
            id="L",
            created_at=t - timedelta(days=70),
            history=(
                StageChange(stage="inquiry", at=t - timedelta(days=70)),
                StageChange(stage="mql", at=t - timedelta(days=69)),
                StageChange(stage="sal", at=t - timedelta(days=68)),
                StageChange(stage="sql", at=t - timedelta(days=67)),
                StageChange(stage="opportunity", at=t - timedelta(days=60)),
            ),
            value=Money.of(5000, "EUR"),
        )
        org = Organisation(name="R", currency="EUR", leads=[lead])
        facts = KpiFacts.collect(org, Period.month(2026, 6))
        assert (1, Money.of(5000, "EUR")) == (facts.open_opportunities, facts.open_pipeline)


def _velocity_org() -> Organisation:
    """Three wins of 1,000, 1,000 and 1,001 (1,000.33 on average) after 24h, 48h and 48h, one loss, seven open.

    All in March 2026 (UTC), each lead changing stage inside the month.
    """
    path = ("inquiry", "mql", "sal", "sql", "opportunity")

    def lead(ident: str, end: str | None, hours: int, value: int) -> Lead:
        changes = [StageChange(stage=s, at=_utc(2, i)) for i, s in enumerate(path)]
        if end is not None:
            reason = "price" if end == "lost" else None
            changes.append(
                StageChange(stage=end, at=_utc(2, 4) + timedelta(hours=hours), reason=reason)
            )
        return Lead(
            id=ident, created_at=_utc(2), history=tuple(changes), value=Money.of(value, "EUR")
        )

    leads = [lead("W1", "won", 24, 1000), lead("W2", "won", 48, 1000), lead("W3", "won", 48, 1001)]
    leads += [lead("L1", "lost", 10, 500)] + [lead(f"O{i}", None, 0, 700) for i in range(7)]
    return Organisation(name="V", currency="EUR", leads=leads)


class TestExactUntilTheEdge:
    def test_pipeline_velocity_from_unrounded_parts(self) -> None:
        """7 open * 3,001/3 * 3/4 / (40h / 24) = 3,151.05 a day; from the rounded 1,000.33 it would be 3,151.04."""
        org = _velocity_org()
        value = default_catalogue(org.lifecycle)["pipeline_velocity"].compute(
            KpiFacts.collect(org, Period.month(2026, 3))
        )
        assert {"value": Decimal("3151.05"), "exact": Fraction(315105, 100)} == {
            "value": value.value,
            "exact": value.exact,
        }

    @settings(max_examples=30, deadline=None)
    @given(organisations(max_leads=10), PERIODS)
    def test_composites_divide_exact_parts(self, org: Organisation, period: Period) -> None:
        """LTV to CAC is the exact LTV over the exact CAC, whatever the data."""
        catalogue = default_catalogue(org.lifecycle)
        facts = KpiFacts.collect(org, period)
        ltv = catalogue["customer_lifetime_value"].compute(facts)
        cac = catalogue["customer_acquisition_cost"].compute(facts)
        ratio = catalogue["ltv_to_cac"].compute(facts)
        if ratio.exact is not None:
            assert ltv.exact is not None
            assert cac.exact is not None
            assert ltv.exact / cac.exact == ratio.exact

    @settings(max_examples=30, deadline=None)
    @given(organisations(max_leads=10), PERIODS)
    def test_display_is_exact_rounded_half_even(self, org: Organisation, period: Period) -> None:
        """Every value shown is the exact value rounded once, half-even, by the KPI's unit."""
        report = evaluate_catalogue(org, period)
        places = {KpiUnit.RATIO: 4, KpiUnit.DURATION: 2, KpiUnit.MONTHS: 2, KpiUnit.COUNT: 0}
        for value in report.values:
            if value.exact is None:
                continue
            digits = minor_unit(org.currency) if value.unit is KpiUnit.MONEY else places[value.unit]
            step = Fraction(1, 10**digits)
            assert round(value.exact / step) * step == value.value

    def test_computed_refuses_floats(self) -> None:
        """A formula's value is exact: a float is refused."""
        with pytest.raises(WrongType, match="floats are refused"):
            Computed(value=0.5)  # type: ignore[arg-type]


COUNTS = (
    "new_leads",
    "mqls",
    "previous_mqls",
    "won_deals",
    "won_with_value",
    "lost_deals",
    "new_customers",
    "open_opportunities",
    "engaged_leads",
    "mqls_never_followed_up",
)


class TestDrillDown:
    @settings(max_examples=40, deadline=None)
    @given(lead_lists(), PERIODS)
    def test_each_count_has_its_leads(self, leads: list[Lead], period: Period) -> None:
        """Every count of the facts lists as many leads as it counts, and the cohort as many as the funnel."""
        facts = KpiFacts.collect(Organisation(name="R", currency="EUR", leads=leads), period)
        assert {name: getattr(facts, name) for name in COUNTS} == {
            name: len(facts.leads(name)) for name in COUNTS
        }
        assert {s: facts.funnel.count(s) for s in facts.funnel.stages} == {
            s: len(facts.leads(f"cohort.{s}")) for s in facts.funnel.stages
        }

    def test_unknown_count(self) -> None:
        """An unknown count is an error that lists the counts."""
        facts = KpiFacts.collect(SYNTHETIC, Q2)
        with pytest.raises(
            KeyError, match="no count 'wins'; counts are engaged_leads, followed_up, lost_deals"
        ):
            facts.leads("wins")

    def test_report_values_carry_their_leads(self) -> None:
        """The win rate of a report names the deals it counted."""
        facts = KpiFacts.collect(SYNTHETIC, Q2)
        rate = evaluate_catalogue(SYNTHETIC, Q2, facts=facts)["win_rate"]
        assert {"won": facts.leads("won_deals"), "lost": facts.leads("lost_deals")} == dict(
            rate.leads
        )


class TestSourcing:
    @settings(max_examples=40, deadline=None)
    @given(organisations(max_leads=10), PERIODS)
    def test_definitions_follow_sourcing(self, org: Organisation, period: Period) -> None:
        """The deals each definition counts are those is_marketing_sourced accepts at the deal's date."""
        facts = KpiFacts.collect(org, period)
        for which, deals in (
            ("pipeline", facts.opportunities_opened),
            ("revenue", facts.deals_won),
        ):
            for by in SourcedBy:
                expected = [
                    (lead, at)
                    for lead, at in deals
                    if is_marketing_sourced(lead, by, activities=org.sales_activities, at=at)
                ]
                assert expected == list(facts.sourced_deals(which, by))  # type: ignore[arg-type]

    def test_sales_activities_of_the_organisation(self) -> None:
        """An organisation whose emails are no activity: marketing's touch after a sales email still comes first."""
        t = _utc(2)
        touches = (
            Touchpoint(at=t, channel="email", kind=TouchpointKind.EMAIL, team=Team.SALES),
            Touchpoint(
                at=t + timedelta(hours=1),
                channel="web",
                kind=TouchpointKind.WEBINAR,
                team=Team.MARKETING,
            ),
            Touchpoint(
                at=t + timedelta(hours=2),
                channel="phone",
                kind=TouchpointKind.CALL,
                team=Team.SALES,
            ),
        )
        changes = ("inquiry", "mql", "sal", "sql", "opportunity")
        lead = Lead(
            id="L",
            created_at=t,
            history=tuple(
                StageChange(stage=s, at=t + timedelta(hours=i)) for i, s in enumerate(changes)
            ),
            touchpoints=touches,
            value=Money.of(100, "EUR"),
            source=LeadSource(channel="web"),
        )
        org = Organisation(name="R", currency="EUR", leads=[lead], sales_activities={"call"})
        facts = KpiFacts.collect(org, Period.month(2026, 3))
        assert Money.of(100, "EUR") == facts.sourced_pipeline(SourcedBy.MARKETING_BEFORE_SALES)


class TestRomi:
    @settings(max_examples=30, deadline=None)
    @given(organisations(max_leads=10), PERIODS)
    def test_default_is_last_touch(self, org: Organisation, period: Period) -> None:
        """The default ROMI model gives what attribution's last_touch gives on the won deals' campaign journeys."""
        facts = KpiFacts.collect(org, period)
        function = KpiAssumptions(romi_model=last_touch)
        assert romi_by_campaign(facts) == romi_by_campaign(facts, function)

    def test_synthetic_models(self) -> None:
        """On a synthetic company, every model credits at most the revenue won."""
        facts = KpiFacts.collect(SYNTHETIC, Q2)
        catalogue = default_catalogue(SYNTHETIC.lifecycle)
        for model in ("last_touch", "first_touch", "linear", "markov", "shapley"):
            value = catalogue["return_on_marketing_investment"].compute(
                facts, KpiAssumptions(romi_model=model)
            )
            attributed = value.get("attributed_revenue")
            assert attributed is not None
            assert attributed <= facts.revenue.amount

    def test_assumptions_must_be_assumptions(self) -> None:
        """romi_by_campaign refuses assumptions of the wrong type."""
        with pytest.raises(WrongType, match="romi_by_campaign assumptions"):
            romi_by_campaign(KpiFacts.collect(SYNTHETIC, Q2), {"romi_model": "linear"})  # type: ignore[arg-type]


class TestFactsEquality:
    def test_facts_do_not_depend_on_the_order_of_the_leads(self) -> None:
        """Reversed leads give equal facts, though the drill-down lists them in the organisation's order."""
        backwards = attrs.evolve(SYNTHETIC, leads=tuple(reversed(SYNTHETIC.leads)))
        ahead, behind = KpiFacts.collect(SYNTHETIC, Q2), KpiFacts.collect(backwards, Q2)
        assert ahead == behind
        assert list(reversed(ahead.leads("new_leads"))) == list(behind.leads("new_leads"))
