"""Tests of salesmark.metrics.facts: what the KPI formulas compute from, on the hand fixture
(see strategies.funnel.hand_organisation), and its invariants."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import Lead, Money, Period, StageChange, ValidationError, WrongType, synthetic
from salesmark.campaigns import prorated_budget
from salesmark.funnel import funnel_counts
from salesmark.metrics import KpiFacts, evaluate_catalogue
from salesmark.sourcing import SourcedBy
from strategies import hand_organisation, lead_lists
from strategies.funnel import split_organisation

Q1 = Period.quarter(2026, 1)
ORG = hand_organisation()
FACTS = KpiFacts.collect(ORG, Q1)


def fields(facts: KpiFacts, *names: str) -> dict[str, Any]:
    return {name: getattr(facts, name) for name in names}


def eur(amount: int | str) -> Money:
    return Money.of(amount, "EUR")


class TestCollect:
    def test_counts_of_the_hand_fixture(self) -> None:
        """The counts of Q1 match the hand count."""
        assert {
            "new_leads": 5,
            "mqls": 4,
            "previous_mqls": 2,
            "won_deals": 3,
            "lost_deals": 1,
            "won_accounts": 2,
            "new_customers": 2,
        } == fields(
            FACTS,
            "new_leads",
            "mqls",
            "previous_mqls",
            "won_deals",
            "lost_deals",
            "won_accounts",
            "new_customers",
        )

    def test_money_of_the_hand_fixture(self) -> None:
        """Spend, revenue and the new customers' revenue by period step match the hand count."""
        assert eur("18000.00") == FACTS.marketing_spend
        assert ((0, eur(34000)), (1, eur(5000))) == FACTS.cohort_revenue

    def test_pipeline_and_sourcing_of_the_hand_fixture(self) -> None:
        """H is open at the end; A, B, C and H opened 44,000; first-touch sourcing gives 24,000 and 14,000."""
        assert {
            "open_opportunities": 1,
            "open_pipeline": eur(8000),
            "pipeline_created": eur(44000),
            "influenced_pipeline": eur(44000),
            "influenced_revenue": eur(34000),
            "engaged_leads": 2,
            "mqls_never_followed_up": 1,
        } == fields(
            FACTS,
            "open_opportunities",
            "open_pipeline",
            "pipeline_created",
            "influenced_pipeline",
            "influenced_revenue",
            "engaged_leads",
            "mqls_never_followed_up",
        )
        assert eur(24000) == FACTS.sourced_pipeline(SourcedBy.FIRST_TOUCH)
        assert eur(14000) == FACTS.sourced_revenue(SourcedBy.FIRST_TOUCH)

    def test_durations_of_the_hand_fixture(self) -> None:
        """Three sales cycles (720h, 720h, 1,200h) and three follow-ups (1h, 4h, 12h)."""
        assert [timedelta(hours=h) for h in (720, 720, 1200)] == sorted(
            d for d, n in FACTS.sales_cycle.values for _ in range(n)
        )
        assert [timedelta(hours=h) for h in (1, 4, 12)] == sorted(
            d for d, n in FACTS.speed_to_lead.values for _ in range(n)
        )

    def test_a_given_funnel_is_kept(self) -> None:
        """A funnel counted already is used as it is, and the rest is the same."""
        counts = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle)
        assert FACTS == KpiFacts.collect(ORG, Q1, funnel=counts)

    def test_facts_for_another_period_are_refused(self) -> None:
        """Facts of one period cannot compute another period's KPIs."""
        with pytest.raises(ValidationError, match="facts must be KpiFacts"):
            evaluate_catalogue(ORG, Q1.next(), facts=FACTS)

    def test_bad_period(self) -> None:
        """A period must be a Period."""
        with pytest.raises(ValidationError, match="Period"):
            KpiFacts.collect(ORG, "Q1")  # type: ignore[arg-type]

    def test_bad_period_is_a_wrong_type(self) -> None:
        """A period of the wrong type is a WrongType naming the argument."""
        with pytest.raises(WrongType, match="KpiFacts.collect period must be a Period"):
            KpiFacts.collect(ORG, "Q1")  # type: ignore[arg-type]

    def test_many_blocks_equal_one(self) -> None:
        """Over thousands of leads (many blocks), the facts do not depend on the order of the leads."""
        org = synthetic.organisation(seed=3, leads=2_500)
        shuffled = list(org.leads)
        random.Random(7).shuffle(shuffled)
        quarter = Period.quarter(2026, 2)
        assert KpiFacts.collect(org, quarter) == KpiFacts.collect(
            attrs.evolve(org, leads=shuffled), quarter
        )

    def test_an_accounts_first_win_at_one_instant_is_the_smallest_lead_id(self) -> None:
        """Two leads of one account won at the same instant: one new customer, lead "A".

        acct-9's leads B (4,000) and A (6,000) both enter won on 10 February 2026 at noon,
        and C (1,000) on 10 May (Q2, step 1): acct-9's first win is in Q1, so it is one
        new customer, behind lead A (of two wins at one instant, the smaller id), with
        revenue 4,000 + 6,000 = 10,000 at step 0 and 1,000 at step 1, in either order of
        the leads.
        """
        utc = ORG.leads[0].created_at.tzinfo
        created, won = datetime(2026, 1, 5, tzinfo=utc), datetime(2026, 2, 10, 12, tzinfo=utc)

        def lead(ident: str, amount: int, at: datetime) -> Lead:
            steps = ("inquiry", "mql", "sal", "sql", "opportunity")  # a day apart from 5 January
            history = (
                *(
                    StageChange(stage=x, at=created + timedelta(days=d))
                    for d, x in enumerate(steps)
                ),
                StageChange(stage="won", at=at),
            )
            return Lead(
                id=ident,
                created_at=created,
                history=history,
                value=eur(amount),
                account_id="acct-9",
            )

        leads = [
            lead("B", 4000, won),
            lead("A", 6000, won),
            lead("C", 1000, datetime(2026, 5, 10, tzinfo=utc)),
        ]
        for order in (leads, leads[::-1]):
            facts = KpiFacts.collect(attrs.evolve(ORG, leads=order, campaigns=()), Q1)
            assert (facts.new_customers, facts.leads("new_customers")) == (1, ("A",))
            assert ((0, eur(10000)), (1, eur(1000))) == facts.cohort_revenue

    @settings(max_examples=40, deadline=None)
    @given(lead_lists(), st.randoms(use_true_random=False))
    def test_order_of_the_leads_does_not_matter(
        self, leads: list[Lead], rng: random.Random
    ) -> None:
        """The facts are the same whatever the order of the organisation's leads."""
        org = attrs.evolve(ORG, leads=leads)
        shuffled = list(leads)
        rng.shuffle(shuffled)
        assert KpiFacts.collect(org, Q1) == KpiFacts.collect(attrs.evolve(org, leads=shuffled), Q1)


class TestMarketingSpend:
    def test_half_year_campaign(self) -> None:
        """18,200 over 182 days gives 9,000 to the 90 days of Q1."""
        assert eur("9000.00") == prorated_budget(ORG.campaign("c2"), Q1)

    def test_no_overlap(self) -> None:
        """A campaign outside the period costs nothing in it."""
        assert Money.zero("EUR") == prorated_budget(ORG.campaign("c1"), Q1.next())


class TestMerge:
    @settings(max_examples=15, deadline=None)
    @given(st.integers(0, 10_000), st.integers(1, 5), st.sampled_from([Q1, Period.month(2026, 5)]))
    def test_parts_by_account_merge_to_the_whole(self, seed: int, k: int, period: Period) -> None:
        """The facts of an organisation split by account merge to the facts of the whole."""
        org = synthetic.organisation(seed=seed % 7, leads=240)
        parts = [KpiFacts.collect(p, period) for p in split_organisation(org, k, seed=seed)]
        assert KpiFacts.collect(org, period) == KpiFacts.merge(parts)

    def test_merge_is_associative_and_has_an_empty_value(self) -> None:
        """Grouping does not matter, and the facts of the organisation without leads change nothing."""
        a, b, c = (KpiFacts.collect(p, Q1) for p in split_organisation(ORG, 3))
        empty = KpiFacts.collect(attrs.evolve(ORG, leads=(), feedback=()), Q1)
        merge = KpiFacts.merge
        assert merge([merge([a, b]), c]) == merge([a, merge([b, c])]) == merge([c, b, a])
        assert FACTS == merge([a, b, c, empty]) == merge([empty, FACTS])

    def test_parts_must_share_the_period(self) -> None:
        """Facts of different periods, or no facts at all, raise ValidationError."""
        with pytest.raises(ValidationError, match="share one period"):
            KpiFacts.merge([FACTS, KpiFacts.collect(ORG, Period.quarter(2026, 2))])
        with pytest.raises(ValidationError, match="at least one part"):
            KpiFacts.merge([])
        with pytest.raises(WrongType, match="KpiFacts.merge parts"):
            KpiFacts.merge([FACTS, "facts"])  # type: ignore[list-item]
