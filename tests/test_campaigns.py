"""Specification of campaigns."""

from __future__ import annotations

import pytest

from salesmark import Campaign, CurrencyMismatch, Money, Period, ValidationError


class TestCampaign:
    def test_budget_must_not_be_negative(self) -> None:
        """A negative budget is refused, naming the campaign."""
        with pytest.raises(ValidationError, match="'c1' must not be negative"):
            Campaign(
                id="c1",
                name="n",
                channel="email",
                owner_id="m1",
                period=Period.month(2026, 1),
                budget=Money.of("-1", "EUR"),
            )

    def test_budgets_add_up_in_one_currency(self) -> None:
        """Budgets in one currency add up; mixing currencies is refused."""
        a = Campaign(
            id="a",
            name="n",
            channel="email",
            owner_id="m1",
            period=Period.month(2026, 1),
            budget=Money.of("100", "EUR"),
        )
        assert Money.of("200", "EUR") == a.budget + a.budget
        with pytest.raises(CurrencyMismatch):
            a.budget + Money.of("1", "USD")
