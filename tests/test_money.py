"""Specification of Money: exact amounts, one currency, splits that sum back to the cent."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from salesmark import CurrencyMismatch, Money, ValidationError
from salesmark.money import minor_unit
from strategies import currencies, decimals, money


class TestMoney:
    def test_of_reads_strings_ints_and_decimals(self) -> None:
        """Money.of accepts a numeric string, an int or a Decimal, exactly."""
        assert Money(Decimal("12.50"), "EUR") == Money.of("12.50", "EUR")
        assert Decimal(3) == Money.of(3, "USD").amount
        assert Decimal("0.1") == Money.of(Decimal("0.1"), "USD").amount

    @pytest.mark.parametrize("bad", [12.5, True, None, "twelve", "NaN", "Infinity", [1]])
    def test_bad_amounts_are_refused(self, bad: object) -> None:
        """Floats, bools, non-numbers and non-finite amounts are refused, naming the value."""
        with pytest.raises(ValidationError, match="Money.amount"):
            Money.of(bad, "EUR")  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", ["eur", "EURO", "", "E1R", None, 978])
    def test_currency_must_be_an_iso_code(self, bad: object) -> None:
        """The currency is three upper-case letters."""
        with pytest.raises(ValidationError, match="ISO 4217"):
            Money.of("1", bad)  # type: ignore[arg-type]

    def test_arithmetic_in_one_currency(self) -> None:
        """Adding, subtracting, negating and multiplying stay exact and keep the currency."""
        a, b = Money.of("10.10", "EUR"), Money.of("0.20", "EUR")
        assert Money.of("10.30", "EUR") == a + b
        assert Money.of("9.90", "EUR") == a - b
        assert Money.of("-0.20", "EUR") == -b
        assert Money.of("30.30", "EUR") == a * 3
        assert Money.of("30.30", "EUR") == 3 * a
        assert b < a

    def test_mixing_currencies_is_refused(self) -> None:
        """Combining two currencies raises CurrencyMismatch naming both amounts."""
        with pytest.raises(CurrencyMismatch, match="EUR.*USD"):
            Money.of("1", "EUR") + Money.of("1", "USD")
        with pytest.raises(CurrencyMismatch):
            _ = Money.of("1", "EUR") < Money.of("1", "USD")

    def test_float_factor_is_refused(self) -> None:
        """Multiplying by a float would be inexact, so it is refused."""
        with pytest.raises(ValidationError, match="Decimal or int"):
            Money.of("1", "EUR") * 1.5  # type: ignore[operator]

    def test_total_and_zero(self) -> None:
        """The total of nothing is zero in the currency."""
        assert Money.zero("JPY") == Money.total([], "JPY")
        assert Money.of("3.5", "EUR") == Money.total(
            [Money.of("1", "EUR"), Money.of("2.5", "EUR")], "EUR"
        )

    def test_minor_units(self) -> None:
        """Minor units follow ISO 4217: yen have none, dinars three, most currencies two."""
        assert (0, 3, 2) == (minor_unit("JPY"), minor_unit("KWD"), minor_unit("EUR"))

    def test_rounded(self) -> None:
        """Rounding goes half-even to the minor unit."""
        assert Money.of("10.00", "EUR") == Money.of("10.005", "EUR").rounded()
        assert Money.of("10.02", "EUR") == Money.of("10.015", "EUR").rounded()


class TestAllocate:
    def test_worked_example(self) -> None:
        """1000 EUR split three ways gives the extra cent to the first part."""
        parts = Money.of("1000.00", "EUR").allocate([1, 1, 1])
        expected = (Money.of("333.34", "EUR"), Money.of("333.33", "EUR"), Money.of("333.33", "EUR"))
        assert expected == parts

    def test_yen_have_no_cents(self) -> None:
        """Parts are whole yen."""
        assert (Money.of(34, "JPY"), Money.of(33, "JPY"), Money.of(33, "JPY")) == Money.of(
            100, "JPY"
        ).allocate([1, 1, 1])

    @pytest.mark.parametrize(
        ("weights", "match"),
        [([], "must not be empty"), ([1, -1], "must be >= 0"), ([0, 0], "must not all be zero"),
         ([float("nan")], "finite"), (["1"], "must be a number")],
    )  # fmt: skip
    def test_bad_weights(self, weights: list[object], match: str) -> None:
        """Empty, negative, all-zero, non-finite or non-numeric weights are refused."""
        with pytest.raises(ValidationError, match=match):
            Money.of("10", "EUR").allocate(weights)  # type: ignore[arg-type]

    @given(
        money(),
        st.lists(
            st.integers(0, 1000)
            | st.decimals(0, 1000, places=3)
            | st.floats(0, 1000)
            | st.fractions(0, 1000),
            min_size=1,
            max_size=12,
        ),
    )
    def test_parts_sum_back_exactly(self, amount: Money, weights: list[object]) -> None:
        """For any amount and weights, the parts sum to the amount exactly, one part per weight."""
        assume(sum(Fraction(w) for w in weights) > 0)  # type: ignore[arg-type]
        parts = amount.allocate(weights)  # type: ignore[arg-type]
        assert len(weights) == len(parts)
        assert amount == Money.total(parts, amount.currency)

    @given(
        decimals(places=2, max_value=10**6),
        st.lists(st.integers(0, 50), min_size=1, max_size=8),
        currencies,
    )
    def test_each_part_is_within_one_unit_of_its_share(
        self, amount: Decimal, weights: list[int], currency: str
    ) -> None:
        """No part differs from its exact proportional share by a whole minor unit or more."""
        assume(sum(weights) > 0)
        money_amount = Money(amount, currency)
        unit = Fraction(1, 10 ** max(minor_unit(currency), 2))
        for part, weight in zip(money_amount.allocate(weights), weights, strict=True):
            share = Fraction(amount) * weight / sum(weights)
            assert abs(Fraction(part.amount) - share) < unit

    @given(money(), st.lists(st.integers(1, 9), min_size=1, max_size=6))
    def test_raising_changes_nothing(self, amount: Money, weights: list[int]) -> None:
        """Allocation returns new values and leaves the original amount as it was."""
        before = Money(amount.amount, amount.currency)
        amount.allocate(weights)
        assert before == amount
