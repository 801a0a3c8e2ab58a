"""Specification of the reverse waterfall."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Campaign, LeadSource, Money, Organisation, Period, synthetic
from salesmark.errors import ValidationError, WrongType
from salesmark.planning import reverse_waterfall
from strategies.planning import eur, mini_company

SEPTEMBER = Period.month(2026, 9)
JUNE = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _plan(target: int = 10_000, org: Organisation | None = None):  # type: ignore[no-untyped-def]
    return reverse_waterfall(org or mini_company(), eur(target), SEPTEMBER, as_of=JUNE)


class TestReverseWaterfall:
    def test_by_hand(self) -> None:
        """10,000 EUR in September for the mini company, worked on paper.

        Deal value: the one win, 2,500. Deal -> won: of L0, L1 (D1, D2 still sitting
        within the longest stay, so undecided) one won: 1/2, lag 10 days (L0). Lead ->
        deal: L0, L1 moved on, L2, L3 were lost, L4 has sat longer than any lead stay
        and counts as decided: 2/5, lag 10 days. So 4 deals, 8 deals opened, 20 leads; the
        deals open 22 August to 21 September, the leads enter 12 August to 11 September.
        """
        plan = _plan()
        assert {
            "deal_value": Fraction(2500),
            "rates": [Fraction(2, 5), Fraction(1, 2), None],
            "needed": [Fraction(20), Fraction(8), Fraction(4)],
            "whole": [20, 8, 4],
            "windows": [
                ("2026-08-12", "2026-09-11"),
                ("2026-08-22", "2026-09-21"),
                ("2026-09-01", "2026-10-01"),
            ],
        } == {
            "deal_value": plan.deal_value,
            "rates": [s.rate for s in plan.stages],
            "needed": [s.needed for s in plan.stages],
            "whole": [s.whole for s in plan.stages],
            "windows": [
                (s.window.start.date().isoformat(), s.window.end.date().isoformat())
                for s in plan.stages
            ],
        }

    def test_fractional_and_whole(self) -> None:
        """11,000 EUR needs 4.4 deals (5 whole), 8.8 opened (10 whole), 22 leads (25 whole)."""
        plan = _plan(11_000)
        assert [(Fraction(22), 25), (Fraction(44, 5), 10), (Fraction(22, 5), 5)] == [
            (s.needed, s.whole) for s in plan.stages
        ]

    def test_budget_from_cost_per_lead(self) -> None:
        """A 6,000 EUR web campaign over the measured span bought all 7 leads: 20 leads cost 20 x 6,000 / 7."""
        org = mini_company()
        span = Period.between(datetime(2026, 3, 2, tzinfo=timezone.utc), JUNE)
        campaign = Campaign(id="c", name="web", channel="web", period=span, budget=eur(6000))
        web = LeadSource(channel="web", campaign_id="c")
        org = attrs.evolve(
            org,
            campaigns=(campaign,),
            leads=tuple(attrs.evolve(lead, source=web) for lead in org.leads),
        )
        plan = _plan(org=org)
        # The span runs from the first lead (2 March) to as_of; the campaign's cost over it is
        # its whole budget; 7 leads were created in it (L0..L4, D1, D2), all from web.
        (web_line,) = plan.channels
        assert {
            "cost_per_lead": eur("857.14"),
            "budget": eur("17142.86"),
            "share": Fraction(1),
        } == {
            "cost_per_lead": web_line.cost_per_lead,
            "budget": plan.budget,
            "share": web_line.share,
        }

    def test_what_if(self) -> None:
        """Raising lead -> deal by 10 points (2/5 to 1/2) needs 16 leads instead of 20."""
        plan = _plan()
        better = plan.what_if({"lead": "0.1"})
        assert (20, 16, (("lead", Fraction(1, 10)),)) == (
            plan.stages[0].whole,
            better.stages[0].whole,
            better.changes,
        )

    def test_what_if_refuses_impossible_rates(self) -> None:
        """A rate pushed above 1 and a stage without an onward rate are named."""
        with pytest.raises(ValidationError, match="at most 1"):
            _plan().what_if({"deal": "0.6"})
        with pytest.raises(ValidationError, match="won"):
            _plan().what_if({"won": "0.1"})

    def test_needs_a_won_deal(self) -> None:
        """Before any deal was won there is no deal value to plan with."""
        with pytest.raises(ValidationError, match="needs a deal won"):
            reverse_waterfall(
                mini_company(), eur(100), SEPTEMBER, as_of=datetime(2026, 3, 5, tzinfo=timezone.utc)
            )

    def test_bad_arguments(self) -> None:
        """A non-organisation, a float target and a target in another currency are refused."""
        with pytest.raises(WrongType):
            reverse_waterfall("x", eur(1), SEPTEMBER, as_of=JUNE)  # type: ignore[arg-type]
        with pytest.raises(WrongType):
            reverse_waterfall(mini_company(), 1.5, SEPTEMBER, as_of=JUNE)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="in EUR"):
            reverse_waterfall(mini_company(), Money.of(1, "USD"), SEPTEMBER, as_of=JUNE)

    def test_synthetic_company(self) -> None:
        """The synthetic company's plan runs inquiry to won, each stage needing more than the next."""
        org = synthetic.organisation(seed=0, leads=600)
        plan = reverse_waterfall(
            org,
            eur(400_000),
            Period.quarter(2026, 4),
            as_of=datetime(2026, 10, 1, tzinfo=timezone.utc),
        )
        wholes = [s.whole for s in plan.stages]
        assert org.lifecycle.progression == tuple(s.stage for s in plan.stages)
        assert wholes == sorted(wholes, reverse=True)
        assert plan.budget > eur(0)


class TestRoundTrip:
    @given(
        st.integers(min_value=0, max_value=10**9),
        st.decimals(min_value=Decimal("-0.3999"), max_value=Decimal("0.6"), places=4),
        st.decimals(min_value=Decimal("-0.4999"), max_value=Decimal("0.5"), places=4),
    )
    def test_forward_gives_the_target_back(self, target: int, lead: Decimal, deal: Decimal) -> None:
        """Forward through the same rates the fractional leads give the target exactly, whole leads at least it."""
        plan = _plan(target).what_if({"lead": lead, "deal": deal})
        assert (Fraction(target), True) == (plan.forward(), plan.forward(whole=True) >= target)
