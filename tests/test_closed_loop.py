"""Tests of salesmark.closed_loop on the hand fixture."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from salesmark import (
    Campaign,
    Lead,
    LeadSource,
    Member,
    Money,
    Organisation,
    Period,
    Team,
    UnknownReference,
    ValidationError,
    closed_loop_report,
)
from salesmark.attribution import MODELS
from salesmark.closed_loop import ClosedLoopReport
from strategies import hand_organisation

Q1 = Period.quarter(2026, 1)
ORG = hand_organisation()


class TestClosedLoop:
    def test_by_channel(self) -> None:
        """Per channel: the cohort down the funnel, revenue won, prorated cost, cost per win."""
        report = closed_loop_report(ORG, Q1)
        email = report["email"]
        assert ((1, 1, 1, 1, 1, 1), Money.of(10000, "EUR"), Money.of("9000.00", "EUR")) == (
            email.counts, email.revenue, email.cost,
        )  # fmt: skip
        assert Money.of("9000.00", "EUR") == email.cost_per_won

    def test_no_win_means_no_cost_per_win(self) -> None:
        """Paid search spent 9,000 and won nothing: cost per won deal is None, not 0."""
        row = closed_loop_report(ORG, Q1)["paid_search"]
        assert (Money.of("9000.00", "EUR"), None) == (row.cost, row.cost_per_won)

    def test_leads_without_source(self) -> None:
        """D and H had no source: they form the None row, with no cost."""
        row = closed_loop_report(ORG, Q1)[None]
        assert (2, Money.zero("EUR")) == (row.leads, row.cost)

    def test_no_cost_data_means_no_cost_per_win(self) -> None:
        """Outbound won 20,000 but runs no campaign: cost per won deal is None, not 0.00."""
        row = closed_loop_report(ORG, Q1)["outbound"]
        assert (1, Money.zero("EUR"), None) == (row.won, row.cost, row.cost_per_won)
        assert None is closed_loop_report(ORG, Q1).to_records()[0]["cost_per_won"]

    def test_a_campaign_without_channel_lends_its_channel(self) -> None:
        """A lead whose source names campaign c1 (email) but no channel lands in the email row, with c1's cost."""
        start = Q1.start
        lead = Lead.create(
            id="L1", created_at=start, source=LeadSource(campaign_id="c1"),
            value=Money.of(3000, "EUR"),
        )  # fmt: skip
        for stage in ("mql", "sal", "sql", "opportunity", "won"):
            lead = lead.advance(stage, at=start + timedelta(days=1))
        org = Organisation(
            name="A", currency="EUR",
            members=(Member(id="m", name="Mo", team=Team.MARKETING),),
            campaigns=(Campaign(id="c1", name="C1", channel="email", owner_id="m",
                                period=Q1, budget=Money.of(900, "EUR")),),
            leads=(lead,),
        )  # fmt: skip
        report = closed_loop_report(org, Q1)
        assert [("email", 1, 1, Money.of(3000, "EUR"), Money.of("900.00", "EUR"))] == [
            (r.group, r.leads, r.won, r.revenue, r.cost_per_won) for r in report.rows
        ]

    def test_order_by_revenue(self) -> None:
        """Rows are sorted by revenue, highest first."""
        groups = [r.group for r in closed_loop_report(ORG, Q1).rows]
        assert ["outbound", "email", "paid_search", None] == groups

    def test_by_campaign(self) -> None:
        """Per campaign, leads without a campaign are the None row."""
        report = closed_loop_report(ORG, Q1, by="campaign_id")
        assert (1, 1, 3) == (report["c1"].leads, report["c2"].leads, report[None].leads)

    def test_spend_without_leads_is_listed(self) -> None:
        """A campaign with budget in the period but no lead still shows its cost."""
        report = closed_loop_report(ORG, Q1.previous(), by="campaign_id")
        assert (0, Money.of("9200.00", "EUR")) == (report["c2"].leads, report["c2"].cost)

    def test_attribution_column(self) -> None:
        """A model function adds the revenue it credits."""

        class Result:
            label = "fake"
            value_credits: dict[str, Money] = {"web": Money.of(7, "EUR")}  # noqa: RUF012

        def fake(journeys: Any) -> Result:
            return Result()

        report = closed_loop_report(ORG, Q1, attribution=fake)
        assert "fake" == report.attribution_model
        assert Money.zero("EUR") == report["email"].attributed_revenue
        assert "attributed_revenue" in report.to_records()[0]

    def test_unknown_model_name_is_refused(self) -> None:
        """A misspelt model name raises ValidationError listing the models."""
        with pytest.raises(
            ValidationError, match="closed_loop_report attribution must be one of"
        ) as info:
            closed_loop_report(ORG, Q1, attribution="linaer")
        assert ("'linaer'", True) == (
            str(info.value)[-len("'linaer'") :],
            all(name in str(info.value) for name in MODELS),
        )

    def test_model_names_are_the_attribution_models(self) -> None:
        """The registry holds exactly salesmark.attribution's functions that take paths and need no options."""
        from salesmark import attribution

        functions = {
            name
            for name in attribution.__all__
            if callable(getattr(attribution, name))
            and not isinstance(getattr(attribution, name), type)
        }
        builders = {"account_journeys", "journeys_from_leads", "compare", "roll_up"}
        needs_options = {"custom", "milestone_model", "ordered_shapley"}
        statistics = {"rule_credits", "markov_statistics", "shapley_statistics"}  # mergeable parts
        assert functions - builders - needs_options - statistics == set(MODELS)
        assert all(MODELS[name] is getattr(attribution, name) for name in MODELS)

    def test_not_a_model_is_refused(self) -> None:
        """Something neither a model name nor a function raises ValidationError."""
        with pytest.raises(ValidationError, match="closed_loop_report attribution"):
            closed_loop_report(ORG, Q1, attribution=5)  # type: ignore[arg-type]

    def test_records(self) -> None:
        """Records hold the stage columns and money as Decimals."""
        record = closed_loop_report(ORG, Q1).to_records()[0]
        assert {"channel": "outbound", "leads": 1, "mql": 1, "won": 1} == {
            key: record[key] for key in ("channel", "leads", "mql", "won")
        }
        assert Decimal(20000) == record["revenue"]

    def test_bad_grouping(self) -> None:
        """Only channel and campaign groupings exist."""
        with pytest.raises(ValidationError, match="by must be"):
            closed_loop_report(ORG, Q1, by="persona")  # type: ignore[arg-type]

    def test_unknown_row(self) -> None:
        """Asking for a missing row raises UnknownReference."""
        with pytest.raises(UnknownReference):
            closed_loop_report(ORG, Q1)["tv"]

    def test_repr(self) -> None:
        """The repr is one line."""
        report = closed_loop_report(ORG, Q1)
        assert isinstance(report, ClosedLoopReport)
        assert "\n" not in repr(report) + repr(report.rows[0])

    def test_real_attribution_model(self) -> None:
        """When salesmark.attribution is present, a model by name fills the column."""
        pytest.importorskip("salesmark.attribution")
        report = closed_loop_report(ORG, Q1, attribution="linear")
        assert "linear" == report.attribution_model


class TestReconciliation:
    """The attributed revenue of every row adds up to the revenue won, to the cent.

    Two leads of Q1, both won: A (10,000.00, from email) had an email form fill and a
    sales call; B (2,000.00, from events) had no touchpoint at all. Linear attribution
    gives A's value half to email and half to the phone call; the phone channel sourced
    no lead, so it gets a sales-touch row of its own; B's 2,000.00 cannot be credited
    to any touch and goes to the unattributed row: 5,000 + 5,000 + 2,000 = 12,000.
    """

    @staticmethod
    def _org() -> Organisation:
        from salesmark import Touchpoint, TouchpointKind

        t = Q1.start + timedelta(days=3)
        a = Lead.create(
            id="A", created_at=t, source=LeadSource(channel="email"),
            value=Money.of("10000.00", "EUR"),
            touchpoints=[
                Touchpoint(at=t, channel="email", kind=TouchpointKind.FORM_FILL, team=Team.MARKETING),
                Touchpoint(at=t + timedelta(hours=2), channel="phone", kind=TouchpointKind.CALL, team=Team.SALES),
            ],
        )  # fmt: skip
        b = Lead.create(
            id="B", created_at=t, source=LeadSource(channel="events"),
            value=Money.of("2000.00", "EUR"),
        )  # fmt: skip

        def won(lead: Lead) -> Lead:
            for i, stage in enumerate(("mql", "sal", "sql", "opportunity", "won"), start=1):
                lead = lead.advance(stage, at=t + timedelta(days=i))
            return lead

        return Organisation(name="Acme", currency="EUR", leads=(won(a), won(b)))

    def test_rows_add_up_to_the_revenue_won(self) -> None:
        """Source rows, the phone call's sales-touch row and the unattributed row sum to 12,000.00."""
        from salesmark.closed_loop import RowKind

        report = closed_loop_report(self._org(), Q1, attribution="linear")
        got = {(line.kind, line.group): line.attributed_revenue for line in report.rows}
        assert {
            (RowKind.SOURCE, "email"): Money.of("5000.00", "EUR"),
            (RowKind.SOURCE, "events"): Money.zero("EUR"),
            (RowKind.SALES_TOUCH, "phone"): Money.of("5000.00", "EUR"),
            (RowKind.UNATTRIBUTED, None): Money.of("2000.00", "EUR"),
        } == got
        total = Money.total(
            (r.attributed_revenue for r in report.rows if r.attributed_revenue), "EUR"
        )
        assert Money.of("12000.00", "EUR") == total
        assert Money.of("12000.00", "EUR") == Money.total((r.revenue for r in report.rows), "EUR")

    def test_recorded_spend_is_the_cost(self) -> None:
        """A campaign with recorded spend costs what it spent in the period, not its budget."""
        import attrs

        from salesmark.campaigns import Spend

        campaign = Campaign(
            id="c1", name="Email", channel="email", period=Q1, budget=Money.of(9000, "EUR"),
            spend=[Spend(period=Period.month(2026, 1), amount=Money.of("1234.56", "EUR"))],
        )  # fmt: skip
        org = attrs.evolve(self._org(), campaigns=(campaign,))
        assert Money.of("1234.56", "EUR") == closed_loop_report(org, Q1)["email"].cost
