"""Specification of Money: exact amounts, one currency, splits that sum back to the minor unit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from salesmark import CurrencyMismatch, Money, SalesmarkError, ValidationError
from salesmark.money import minor_unit
from strategies import money

weights = st.lists(
    st.integers(0, 1000)
    | st.decimals(0, 1000, places=3)
    | st.floats(0, 1000)
    | st.fractions(0, 1000)
    | st.just(0),
    min_size=1,
    max_size=12,
)


def _step(amount: Money) -> Fraction:
    """The unit allocate works in: the minor unit, or the amount's own last digit if finer."""
    exponent = amount.amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return Fraction(1, 10 ** max(minor_unit(amount.currency), -exponent))


class TestConstruction:
    def test_of_reads_strings_ints_and_decimals(self) -> None:
        """Money.of accepts a numeric string, an int or a Decimal, exactly."""
        assert Money(Decimal("12.50"), "EUR") == Money.of("12.50", "EUR")
        assert Decimal(3) == Money.of(3, "USD").amount
        assert Decimal("0.1") == Money.of(Decimal("0.1"), "USD").amount
        assert "0.1000000000000000000001" == str(Money.of("0.1000000000000000000001", "EUR").amount)

    @pytest.mark.parametrize(
        "bad", [12.5, 0.1, True, None, "twelve", "NaN", "Infinity", "-Infinity", "sNaN", [1],
                Decimal("NaN"), Decimal("Infinity"), Fraction(1, 3)],
    )  # fmt: skip
    def test_bad_amounts_are_refused(self, bad: object) -> None:
        """Floats, bools, non-numbers and non-finite amounts are refused, naming the field."""
        with pytest.raises(ValidationError, match="Money.amount"):
            Money.of(bad, "EUR")  # type: ignore[arg-type]

    def test_float_message_says_why(self) -> None:
        """Refusing a float explains that floats are inexact and shows the value."""
        with pytest.raises(ValidationError, match=r"float 0\.1.*inexact"):
            Money.of(0.1, "EUR")  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", ["eur", "EURO", "", "E1R", "EU", None, 978, "€"])
    def test_currency_must_be_an_iso_code(self, bad: object) -> None:
        """The currency is three upper-case letters, and the message shows what came instead."""
        with pytest.raises(ValidationError, match=r"Money.currency.*ISO 4217"):
            Money.of("1", bad)  # type: ignore[arg-type]

    def test_zero(self) -> None:
        """Money.zero is the zero amount of the currency."""
        assert Money.of(0, "JPY") == Money.zero("JPY")
        assert Money.zero("EUR").is_zero()
        assert not Money.of("0.01", "EUR").is_zero()

    def test_frozen(self) -> None:
        """Money is immutable."""
        price = Money.of("1", "EUR")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            price.amount = Decimal(2)  # type: ignore[misc]

    def test_equal_amounts_are_equal_whatever_their_scale(self) -> None:
        """1.0 EUR equals 1.00 EUR and hashes alike; the same number in two currencies differs."""
        assert Money.of("1.0", "EUR") == Money.of("1.00", "EUR")
        assert hash(Money.of("1.0", "EUR")) == hash(Money.of("1.00", "EUR"))
        assert Money.of("1", "EUR") != Money.of("1", "USD")

    def test_repr_and_str(self) -> None:
        """repr shows the exact amount; str groups thousands and shows the minor unit."""
        assert "Money('12.5 EUR')" == repr(Money.of("12.5", "EUR"))
        assert "12,000.00 EUR" == str(Money.of("12000", "EUR"))
        assert "1,000 JPY" == str(Money.of("1000", "JPY"))
        assert "1.500 KWD" == str(Money.of("1.5", "KWD"))
        assert "10.005 EUR" == str(Money.of("10.005", "EUR"))


class TestMinorUnit:
    def test_iso_4217(self) -> None:
        """Yen have no minor unit, dinars three places, most currencies two."""
        assert (0, 3, 2, 2, 4) == tuple(minor_unit(c) for c in ("JPY", "KWD", "EUR", "USD", "CLF"))


class TestArithmetic:
    def test_in_one_currency(self) -> None:
        """Adding, subtracting, negating and multiplying stay exact and keep the currency."""
        a, b = Money.of("10.10", "EUR"), Money.of("0.20", "EUR")
        assert Money.of("10.30", "EUR") == a + b
        assert Money.of("9.90", "EUR") == a - b
        assert Money.of("-0.20", "EUR") == -b
        assert Money.of("30.30", "EUR") == a * 3
        assert Money.of("30.30", "EUR") == 3 * a
        assert Money.of("1.01", "EUR") == a * Decimal("0.1")

    def test_decimal_tenths_add_up_exactly(self) -> None:
        """Ten times 0.10 is exactly 1.00, as it never is with floats."""
        assert Money.of("1.00", "USD") == Money.total([Money.of("0.10", "USD")] * 10, "USD")

    def test_comparisons(self) -> None:
        """Amounts of one currency compare by value."""
        small, large = Money.of("1", "EUR"), Money.of("2", "EUR")
        assert (True, True, True, True) == (
            small < large,
            small <= Money.of("1.00", "EUR"),
            large > small,
            large >= Money.of("2.0", "EUR"),
        )

    @pytest.mark.parametrize(
        "combine",
        [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a < b, lambda a, b: a <= b,
         lambda a, b: a > b, lambda a, b: a >= b],
    )  # fmt: skip
    def test_mixing_currencies_is_refused(self, combine: object) -> None:
        """Combining two currencies raises CurrencyMismatch naming both amounts."""
        with pytest.raises(CurrencyMismatch, match=r"1 EUR.*1 USD.*currencies differ"):
            combine(Money.of("1", "EUR"), Money.of("1", "USD"))  # type: ignore[operator]

    def test_currency_mismatch_is_a_value_error(self) -> None:
        """Code written against the built-ins catches a currency mismatch as ValueError."""
        with pytest.raises(ValueError, match="currencies differ"):
            Money.of("1", "EUR") + Money.of("1", "GBP")

    @pytest.mark.parametrize("factor", [1.5, True, Fraction(1, 2), "2", None])
    def test_inexact_or_odd_factors_are_refused(self, factor: object) -> None:
        """Multiplying by a float, bool, fraction or string is refused."""
        with pytest.raises(ValidationError, match="Decimal or int"):
            Money.of("1", "EUR") * factor  # type: ignore[operator]

    @pytest.mark.parametrize("other", [1, Decimal(1), "1", None])
    def test_adding_a_plain_number_is_refused(self, other: object) -> None:
        """Money adds only to Money: a bare number has no currency."""
        with pytest.raises(ValidationError, match="cannot add Money and"):
            Money.of("1", "EUR") + other  # type: ignore[operator]

    @given(money("EUR"), money("EUR"), money("EUR"))
    def test_addition_is_exact(self, a: Money, b: Money, c: Money) -> None:
        """Addition commutes and associates exactly, and subtraction undoes it."""
        assert a + b == b + a
        assert (a + b) + c == a + (b + c)
        assert a == (a + b) - b
        negated = -a
        assert a == -negated

    def test_raising_changes_nothing(self) -> None:
        """A refused operation leaves both operands as they were."""
        a, b = Money.of("1", "EUR"), Money.of("2", "USD")
        with pytest.raises(CurrencyMismatch):
            a + b
        assert (Money.of("1", "EUR"), Money.of("2", "USD")) == (a, b)

    def test_large_amounts_are_not_rounded_silently(self) -> None:
        """Adding a cent to a 30-digit amount either is exact or raises; it never rounds."""
        big = Money.of("1234567890123456789012345678.91", "EUR")
        try:
            total = big + Money.of("0.01", "EUR")
        except SalesmarkError:
            return
        assert Decimal("1234567890123456789012345678.92") == total.amount


class TestTotal:
    def test_sum_of_nothing_is_zero(self) -> None:
        """The total of nothing is zero in the currency."""
        assert Money.zero("JPY") == Money.total([], "JPY")
        assert Money.of("3.5", "EUR") == Money.total(
            [Money.of("1", "EUR"), Money.of("2.5", "EUR")], "EUR"
        )

    def test_other_currency_inside_is_refused(self) -> None:
        """One amount in another currency makes the total fail."""
        with pytest.raises(CurrencyMismatch):
            Money.total([Money.of("1", "EUR"), Money.of("1", "USD")], "EUR")
        with pytest.raises(CurrencyMismatch):
            Money.total([Money.of("1", "USD")], "EUR")


class TestRounded:
    def test_half_even_to_the_minor_unit(self) -> None:
        """Rounding goes half-even to the currency's minor unit."""
        assert Money.of("10.00", "EUR") == Money.of("10.005", "EUR").rounded()
        assert Money.of("10.02", "EUR") == Money.of("10.015", "EUR").rounded()
        assert Money.of("12", "JPY") == Money.of("12.5", "JPY").rounded()
        assert Money.of("1.234", "KWD") == Money.of("1.2345", "KWD").rounded()
        assert Decimal("5.00") == Money.of("5", "EUR").rounded().amount


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

    def test_dinars_have_fils(self) -> None:
        """Kuwaiti dinars split to the fils (three places)."""
        assert (Money.of("0.334", "KWD"), Money.of("0.333", "KWD"), Money.of("0.333", "KWD")) == (
            Money.of(1, "KWD").allocate([1, 1, 1])
        )

    def test_negative_amounts(self) -> None:
        """A refund splits like a payment, with the signs kept."""
        assert (Money.of("-0.03", "USD"), Money.of("-0.02", "USD")) == Money.of(
            "-0.05", "USD"
        ).allocate([1, 1])

    def test_zero_weights_get_nothing(self) -> None:
        """A part with weight zero gets zero."""
        assert (Money.zero("EUR"), Money.of("10.00", "EUR"), Money.zero("EUR")) == Money.of(
            "10.00", "EUR"
        ).allocate([0, 1, 0])

    def test_amounts_finer_than_the_minor_unit(self) -> None:
        """An amount with more places than the currency is split at its own last digit."""
        assert (Money.of("0.003", "EUR"), Money.of("0.002", "EUR")) == Money.of(
            "0.005", "EUR"
        ).allocate([1, 1])

    def test_ratios_of_any_kind(self) -> None:
        """Weights may be ints, Decimals, floats or Fractions: they are ratios, not money."""
        expected = Money.of("100.00", "EUR").allocate([2, 1, 1])
        assert expected == Money.of("100.00", "EUR").allocate([0.5, 0.25, 0.25])
        assert expected == Money.of("100.00", "EUR").allocate(
            [Fraction(1, 2), Decimal("0.25"), 0.25]
        )

    @pytest.mark.parametrize(
        ("weights", "match"),
        [([], "must not be empty"), ([1, -1], r"weights\[1\] must be >= 0"),
         ([0, 0], "must not all be zero"), ([float("nan")], "finite"),
         ([float("inf")], "finite"), ([Decimal("NaN")], "finite"),
         (["1"], "must be a number"), ([True], "must be a number"), ([None], "must be a number")],
    )  # fmt: skip
    def test_bad_weights(self, weights: list[object], match: str) -> None:
        """Empty, negative, all-zero, non-finite or non-numeric weights are refused."""
        with pytest.raises(ValidationError, match=match):
            Money.of("10", "EUR").allocate(weights)  # type: ignore[arg-type]

    @given(money(), weights)
    def test_parts_sum_back_exactly(self, amount: Money, weights: list[object]) -> None:
        """For any amount and weights, the parts sum to the amount exactly, one part per weight."""
        assume(sum(Fraction(w) for w in weights) > 0)  # type: ignore[arg-type]
        parts = amount.allocate(weights)  # type: ignore[arg-type]
        assert len(weights) == len(parts)
        assert {amount.currency} == {p.currency for p in parts}
        assert amount == Money.total(parts, amount.currency)

    @given(money(), weights)
    def test_each_part_is_within_one_unit_of_its_share(
        self, amount: Money, weights: list[object]
    ) -> None:
        """Every part is a whole number of units and differs from its exact share by less than one."""
        exact = [Fraction(w) for w in weights]  # type: ignore[arg-type]
        assume(sum(exact) > 0)
        step = _step(amount)
        for part, weight in zip(amount.allocate(weights), exact, strict=True):  # type: ignore[arg-type]
            share = Fraction(amount.amount) * weight / sum(exact)
            assert (Fraction(part.amount) / step).denominator == 1
            assert abs(Fraction(part.amount) - share) < step

    @given(money(), st.lists(st.integers(0, 50), min_size=2, max_size=8))
    def test_larger_weights_never_get_less(self, amount: Money, weights: list[int]) -> None:
        """Allocation keeps the order of the weights (by size of the part, for either sign)."""
        assume(sum(weights) > 0)
        parts = amount.allocate(weights)
        for i, wi in enumerate(weights):
            for j, wj in enumerate(weights):
                if wi > wj:
                    assert abs(parts[i].amount) >= abs(parts[j].amount)

    @given(money(), st.lists(st.integers(1, 9), min_size=1, max_size=6))
    def test_inputs_are_left_unchanged(self, amount: Money, weights: list[int]) -> None:
        """Allocation returns new values and changes neither the amount nor the weights."""
        before, weights_before = Money(amount.amount, amount.currency), list(weights)
        amount.allocate(weights)
        assert (before, weights_before) == (amount, weights)

    def test_sums_exactly_beyond_28_digits(self) -> None:
        """Even a 30-digit amount splits into parts that sum back to it exactly."""
        big = Money.of("1234567890123456789012345678.91", "EUR")
        assert big == Money.total(big.allocate([1, 1, 1]), "EUR")
