"""Specification of the forecast of wins and bookings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Lead, Organisation, Period, synthetic
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.planning import ForecastMethod, forecast
from strategies.planning import MINI, ONE_STAGE, eur, mini_company
from strategies.processes import outputs_under_hash_seeds

JUNE = Period.month(2026, 6)


class TestForecastByHand:
    def test_one_period_exactly(self) -> None:
        """June for the mini company, as of 1 June, without new leads, worked on paper.

        Deal stays: L0 won after 10 days, L1 lost after 15; D1 and D2 are open at 4 days
        (censored: at risk until then). Kaplan-Meier: both open stays leave the risk set at
        4 days, so at 10 days 1 of 2 wins (1/2) and at 15 days the other loses (1/2). D1 and
        D2 are past 4 days, so each wins with 1/2 on 7 June, in June. L4 has sat 12 days in
        lead, longer than any lead stay, and is never predicted to move. Wins ~ 0, 1, 2
        with 1/4, 1/2, 1/4; bookings 0, 1,000, 3,000, 4,000 with 1/4 each: mean 2,000;
        median (the smallest value whose chance of not being exceeded reaches 1/2) 1,000;
        80% interval from the 10% quantile 0 to the 90% quantile 4,000.
        """
        result = forecast(mini_company(), JUNE, new_leads=False)
        june = result.periods[0]
        assert {
            "method": ForecastMethod.EXACT,
            "draws": None,
            "wins": (0, 1, 2, Fraction(1)),
            "bookings": (eur(0), eur(1000), eur(4000), Fraction(2000)),
        } == {
            "method": result.method,
            "draws": result.draws,
            "wins": (june.wins_low, june.wins_median, june.wins_high, june.wins_mean),
            "bookings": (
                june.bookings_low,
                june.bookings_median,
                june.bookings_high,
                june.bookings_mean,
            ),
        }

    def test_roll_up(self) -> None:
        """Both deals are pipeline deals expected on 7 June: pipeline 4,000, commit nothing."""
        june = forecast(mini_company(), JUNE, new_leads=False).periods[0]
        assert (eur(0), eur(0), eur(4000)) == (june.commit, june.best_case, june.pipeline)

    def test_a_later_period_gets_nothing(self) -> None:
        """Every open deal decides by 12 June, so July forecasts no win."""
        result = forecast(mini_company(), [JUNE, Period.month(2026, 7)], new_leads=False)
        assert (0, eur(0)) == (result.periods[1].wins_high, result.periods[1].bookings_high)
        assert Fraction(1) == result.total.wins_mean

    def test_closed_wins_count_when_forecasting_mid_period(self) -> None:
        """As of 1 April, the 22 March win (2,500) is closed in a March-to-April span."""
        span = Period.between(
            datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 5, 1, tzinfo=timezone.utc)
        )
        p = forecast(
            mini_company(), span, as_of=datetime(2026, 4, 1, tzinfo=timezone.utc), new_leads=False
        ).periods[0]
        assert (1, eur(2500)) == (p.closed_wins, p.closed)


class TestForecastProperties:
    @given(
        st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=5),
        st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=5),
    )
    def test_one_stage_rate_one_is_the_pipeline(self, values: list[int], stays: list[int]) -> None:
        """One open stage that always wins: the forecast is the pipeline, with certainty."""
        t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        past = [
            Lead.create(id=f"P{i}", created_at=t, lifecycle=ONE_STAGE, value=eur(1)).advance(
                "won", at=t + timedelta(days=d), lifecycle=ONE_STAGE
            )
            for i, d in enumerate(stays)
        ]
        start = t + timedelta(days=40)
        deals = [
            Lead.create(id=f"D{i}", created_at=start, lifecycle=ONE_STAGE, value=eur(v))
            for i, v in enumerate(values)
        ]
        org = Organisation(name="A", currency="EUR", lifecycle=ONE_STAGE, leads=(*past, *deals))
        span = Period.between(start + timedelta(microseconds=1), start + timedelta(days=60))
        p = forecast(org, span, new_leads=False).periods[0]
        total = eur(sum(values))
        assert (total, total, total) == (p.bookings_low, p.bookings_median, p.bookings_high)

    def test_order_of_leads_does_not_matter(self) -> None:
        """The same leads in reverse order give the same simulated forecast."""
        org = synthetic.organisation(seed=3, leads=300)
        months = [Period.month(2026, 10), Period.month(2026, 11)]
        reverse = attrs.evolve(org, leads=tuple(reversed(org.leads)))
        assert forecast(org, months, draws=50) == forecast(reverse, months, draws=50)

    def test_same_under_any_hash_seed(self) -> None:
        """The simulation gives the same numbers whatever PYTHONHASHSEED is."""
        code = (
            "from salesmark import synthetic, Period; from salesmark.planning import forecast; "
            "print(forecast(synthetic.organisation(seed=1, leads=200), Period.month(2026, 9), draws=40))"
        )
        assert 1 == len(outputs_under_hash_seeds(code))

    def test_simulation_states_its_draws(self) -> None:
        """With new leads expected the forecast simulates and says how many draws it took."""
        result = forecast(mini_company(), JUNE, draws=200, seed=4)
        assert (ForecastMethod.SIMULATION, 200, 4) == (result.method, result.draws, result.seed)


class TestForecastInputs:
    def test_exact_refused_with_new_leads(self) -> None:
        """method='exact' with arriving leads says why it cannot be exact."""
        with pytest.raises(ValidationError, match="new leads are expected"):
            forecast(mini_company(), JUNE, method="exact")

    def test_empty_company(self) -> None:
        """A company without leads forecasts zero, exactly."""
        empty = Organisation(name="A", currency="EUR", lifecycle=MINI)
        p = forecast(empty, JUNE).periods[0]
        assert (0, eur(0)) == (p.wins_high, p.bookings_high)

    def test_bad_arguments(self) -> None:
        """Wrong types, no periods, overlapping periods and too few draws are clear errors."""
        with pytest.raises(WrongType):
            forecast("acme", JUNE)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="at least one Period"):
            forecast(mini_company(), [])
        with pytest.raises(ValidationError, match="without overlaps"):
            forecast(mini_company(), [JUNE, JUNE])
        with pytest.raises(ValidationError, match="draws"):
            forecast(mini_company(), JUNE, draws=3)
        with pytest.raises(ValidationError, match="method"):
            forecast(mini_company(), JUNE, method="guess")

    def test_unknown_period(self) -> None:
        """Looking up a period the forecast does not hold names it."""
        with pytest.raises(UnknownReference):
            forecast(mini_company(), JUNE, new_leads=False)[Period.month(2026, 7)]
