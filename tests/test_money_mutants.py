"""Money, sharpened: exact messages, boundaries one step either side, and the global registry.

Each test here pins down a behaviour a small change to ``salesmark.money`` (an operator
flipped, a constant moved by one, an argument dropped) would otherwise leave unnoticed:
messages are compared whole, bounds are probed at the bound and one step beyond it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import CurrencyMismatch, Money, ValidationError, WrongType
from salesmark import money as money_module
from salesmark.money import minor_unit, register_currency

BOUND = "Money.amount must have at most 30 digits before the decimal point and 40 after it, got "


def message(call: Callable[[], Any], error: type[Exception] = ValidationError) -> str:
    """The message ``call`` raises ``error`` with (exactly that class, not a subclass)."""
    with pytest.raises(error) as caught:
        call()
    assert error is caught.type
    return str(caught.value)


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """An empty table of private currencies for one test (the real one is process-wide)."""
    table: dict[str, int] = {}
    monkeypatch.setattr(money_module, "_PRIVATE", table)
    return table


class TestShownValues:
    def test_a_huge_int_is_described_by_its_number_of_digits(self) -> None:
        """10**5000 has 16,610 bits; 16,610 * log10(2) = 5,000.1, shown as about 5,000 digits."""
        assert (
            "register_currency minor_unit must be a whole number from 0 to 12, "
            "got an int of about 5,000 digits"
        ) == message(lambda: register_currency("ZZQ", 10**5000))

    def test_a_huge_negative_int_says_so(self) -> None:
        """-(10**5000) is described as a negative int of about 5,000 digits."""
        assert (
            "register_currency minor_unit must be a whole number from 0 to 12, "
            "got a negative int of about 5,000 digits"
        ) == message(lambda: register_currency("ZZQ", -(10**5000)))

    def test_a_repr_of_60_characters_is_shown_whole(self) -> None:
        """The repr of 58 x's is 60 characters with its quotes, the longest shown whole."""
        text = "x" * 58
        assert f"cannot add Money and str {text!r}" == message(
            lambda: Money.of(1, "EUR") + text,  # type: ignore[operator]
            WrongType,
        )

    def test_a_repr_of_61_characters_is_cut(self) -> None:
        """The repr of "a" + 57 x's + "b" is 61 characters: its first 40 and last 12 are shown."""
        text = "a" + "x" * 57 + "b"
        shown = f"{repr(text)[:40]}...{repr(text)[-12:]} (61 characters)"
        assert "'a" + "x" * 38 == shown[:40]
        assert "x" * 10 + "b'" == shown[43:55]
        assert f"cannot add Money and str {shown}" == message(
            lambda: Money.of(1, "EUR") + text,  # type: ignore[operator]
            WrongType,
        )


class TestWholeNumbers:
    @pytest.mark.parametrize(
        ("value", "high", "error", "expected"),
        [(0, None, ValidationError, "n must be a whole number >= 1, got 0"),
         (True, None, WrongType, "n must be a whole number >= 1, got True"),
         (4, 3, ValidationError, "n must be a whole number from 1 to 3, got 4")],
    )  # fmt: skip
    def test_the_shared_check_of_whole_numbers(
        self, value: object, high: int | None, error: type[Exception], expected: str
    ) -> None:
        """The check durations and cadences share names the bound, open above when there is none."""
        assert expected == message(lambda: money_module._whole(value, "n", 1, high), error)

    @pytest.mark.parametrize(
        ("value", "high"),
        [(1, None), (10**5000, None), (1, 3), (3, 3)],
        ids=["1", "10**5000", "1 of 3", "3 of 3"],
    )
    def test_whole_numbers_inside_the_bounds_pass(self, value: int, high: int | None) -> None:
        """The bounds are inclusive, and an open upper bound takes any size."""
        assert value == money_module._whole(value, "n", 1, high)


class TestRegisterCurrencyExactly:
    @pytest.mark.parametrize("places", [0, 12])
    def test_minor_units_at_the_bounds_are_accepted(
        self, fresh_registry: dict[str, int], places: int
    ) -> None:
        """0 and 12 places are both inside "from 0 to 12", and recorded as given."""
        register_currency("ZZQ", places)
        assert {"ZZQ": places} == fresh_registry
        assert places == minor_unit("ZZQ")

    @pytest.mark.parametrize("places", [-1, 13])
    def test_minor_units_one_beyond_the_bounds_are_refused(
        self, fresh_registry: dict[str, int], places: int
    ) -> None:
        """-1 and 13 places are refused and nothing is registered."""
        assert (
            f"register_currency minor_unit must be a whole number from 0 to 12, got {places}"
        ) == message(lambda: register_currency("ZZQ", places))
        assert {} == fresh_registry

    def test_a_minor_unit_that_is_no_int_is_the_wrong_type(self) -> None:
        """A float minor unit is named with its value."""
        assert (
            "register_currency minor_unit must be a whole number from 0 to 12, got 2.0"
        ) == message(lambda: register_currency("ZZQ", 2.0), WrongType)  # type: ignore[arg-type]

    def test_the_first_registration_records_its_minor_unit(
        self, fresh_registry: dict[str, int]
    ) -> None:
        """A new code is stored with its minor unit, and a second minor unit is refused."""
        register_currency("ZZQ", 4)
        assert (
            "register_currency code 'ZZQ' is already registered with minor unit 4, got 5"
        ) == message(lambda: register_currency("ZZQ", 5))
        assert {"ZZQ": 4} == fresh_registry

    @pytest.mark.parametrize(
        ("code", "error", "expected"),
        [(5, WrongType, "register_currency code must be a str of three upper-case letters, got 5"),
         ("zzq", ValidationError,
          "register_currency code must be three upper-case letters A-Z like 'ZZP', got 'zzq'"),
         ("JPY", ValidationError,
          "register_currency code 'JPY' is an ISO 4217 currency; its minor unit (0) cannot be changed"),
         ("XAU", ValidationError,
          "register_currency code 'XAU' is an ISO 4217 currency; its minor unit (2) cannot be changed")],
    )  # fmt: skip
    def test_bad_codes_are_named_whole(
        self, fresh_registry: dict[str, int], code: object, error: type[Exception], expected: str
    ) -> None:
        """Each refusal names the code and why; an ISO code shows its own minor unit."""
        assert expected == message(lambda: register_currency(code, 2), error)  # type: ignore[arg-type]
        assert {} == fresh_registry


class TestCurrencyMessages:
    def test_a_currency_that_is_no_string(self) -> None:
        """A currency given by its ISO number is the wrong type, and shown."""
        assert (
            "Money.currency must be an ISO 4217 currency code (a str like 'EUR'), got 978"
        ) == message(lambda: Money.of(1, 978), WrongType)  # type: ignore[arg-type]

    def test_an_unknown_currency(self) -> None:
        """A lower-case code is not a currency, and named."""
        assert (
            "Money.currency must be an ISO 4217 currency code like 'EUR' (or a currency added "
            "with register_currency), got 'eur'"
        ) == message(lambda: Money.of(1, "eur"))


class TestAmountMessages:
    @pytest.mark.parametrize(
        ("amount", "shown"),
        [(Decimal("1E+30"), "Decimal('1E+30')"),
         ("1E+30", "Decimal('1E+30')"),
         (10**30, "1" + "0" * 30),
         (-(10**30), "-1" + "0" * 30),
         ("1e99999999999999999999", "'1e99999999999999999999'"),
         (Decimal("1e-41"), "Decimal('1E-41')")],
    )  # fmt: skip
    def test_amounts_beyond_the_bound_are_shown(self, amount: object, shown: str) -> None:
        """The message names the amount refused (a string Decimal cannot even read as given)."""
        assert BOUND + shown == message(lambda: Money.of(amount, "EUR"))  # type: ignore[arg-type]

    def test_a_float_is_a_value_error_not_a_type_error(self) -> None:
        """A float is a number refused for being inexact: ValidationError, not WrongType."""
        assert (
            "Money.amount must be a Decimal, int or numeric string, got float 1.5; "
            "floats are refused because they are inexact"
        ) == message(lambda: Money.of(1.5, "EUR"))  # type: ignore[arg-type]

    def test_none_is_the_wrong_type(self) -> None:
        """None is no number at all: WrongType."""
        assert (
            "Money.amount must be a Decimal, int or numeric string, got NoneType None; "
            "floats are refused because they are inexact"
        ) == message(lambda: Money.of(None, "EUR"), WrongType)  # type: ignore[arg-type]

    def test_a_numeric_string_of_100_characters_is_read(self) -> None:
        """99 zeros then a 1 is 100 characters, the longest string read: it is 1."""
        assert Money.of(1, "EUR") == Money.of("0" * 99 + "1", "EUR")

    def test_a_numeric_string_of_101_characters_is_refused(self) -> None:
        """100 zeros then a 1 is one character too long, and shown cut short."""
        text = "0" * 100 + "1"
        assert (
            "Money.amount must be a finite number written with ASCII digits, like '-1234.50' or "
            f"'1E+3' (no spaces, underscores or other digits), got '{'0' * 39}...{'0' * 10}1' "
            "(103 characters)"
        ) == message(lambda: Money.of(text, "EUR"))


class TestOperatorMessages:
    @pytest.mark.parametrize(
        ("op", "verb"),
        [(lambda a, b: a + b, "add"),
         (lambda a, b: a - b, "subtract"),
         (lambda a, b: a < b, "compare"),
         (lambda a, b: a <= b, "compare"),
         (lambda a, b: a > b, "compare"),
         (lambda a, b: a >= b, "compare")],
    )  # fmt: skip
    def test_each_operator_names_itself_and_the_other_operand(
        self, op: Callable[[Money, Any], object], verb: str
    ) -> None:
        """Money with an int: the message says which operation and shows the int."""
        assert f"cannot {verb} Money and int 7" == message(
            lambda: op(Money.of(1, "EUR"), 7), WrongType
        )

    @pytest.mark.parametrize(
        ("op", "verb"),
        [(lambda a, b: a + b, "add"),
         (lambda a, b: a - b, "subtract"),
         (lambda a, b: a < b, "compare"),
         (lambda a, b: a <= b, "compare"),
         (lambda a, b: a > b, "compare"),
         (lambda a, b: a >= b, "compare")],
    )  # fmt: skip
    def test_each_operator_refuses_another_currency_by_name(
        self, op: Callable[[Money, Money], object], verb: str
    ) -> None:
        """EUR with USD: the message shows both amounts."""
        assert f"cannot {verb} Money('1 EUR') and Money('2 USD'): currencies differ" == message(
            lambda: op(Money.of(1, "EUR"), Money.of(2, "USD")), CurrencyMismatch
        )

    def test_a_float_factor_is_shown(self) -> None:
        """Multiplying by a float names the float."""
        assert "Money can be multiplied by a Decimal or int only, got 1.5" == message(
            lambda: Money.of(1, "EUR") * 1.5,  # type: ignore[operator]
            WrongType,
        )


class TestProducts:
    def test_a_factor_of_400_bits_is_multiplied_out(self) -> None:
        """2**399 has 400 bits, not more than the shortcut's 400: the product itself is refused."""
        product = 2**399
        text = repr(Decimal(product))
        assert BOUND + f"{text[:40]}...{text[-12:]} ({len(text)} characters)" == message(
            lambda: Money.of(1, "EUR") * product
        )

    def test_a_factor_of_401_bits_is_refused_before_multiplying(self) -> None:
        """2**400 has 401 bits: refused at once, the message showing amount and factor."""
        factor = repr(2**400)
        assert (
            BOUND
            + f"Money('1 EUR') times {factor[:40]}...{factor[-12:]} ({len(factor)} characters)"
        ) == message(lambda: Money.of(1, "EUR") * 2**400)

    def test_a_product_beyond_decimals_range_shows_both_operands(self) -> None:
        """1E+29 EUR times 9E+999999999999999999 overflows Decimal itself; both operands are named."""
        assert BOUND + "Money('1E+29 EUR') times Decimal('9E+999999999999999999')" == message(
            lambda: Money.of("1E+29", "EUR") * Decimal("9e999999999999999999")
        )

    @pytest.mark.parametrize(
        ("factor", "expected"),
        [(10**5000, "0"), (-(10**5000), "-0"), (2**401, "0.00")],
        ids=["+10**5000", "-10**5000", "2**401"],
    )
    def test_zero_times_a_huge_factor_keeps_the_sign_of_the_product(
        self, factor: int, expected: str
    ) -> None:
        """Zero times any factor is zero; a negative factor gives negative zero, as Decimal does."""
        amount = Decimal(expected.lstrip("-"))
        assert expected == str((Money.of(amount, "EUR") * factor).amount)


class TestShowingAndRounding:
    @pytest.mark.parametrize(
        ("amount", "currency", "expected"),
        [("1.5", "EUR", "1.50 EUR"),
         ("1.25", "EUR", "1.25 EUR"),  # exactly the minor unit: shown as it is
         ("1.255", "EUR", "1.255 EUR"),  # finer than the minor unit: never fewer digits
         ("1E+3", "EUR", "1,000.00 EUR"),
         ("7", "JPY", "7 JPY"),
         ("7", "KWD", "7.000 KWD")],
    )  # fmt: skip
    def test_str_shows_at_least_the_minor_unit(
        self, amount: str, currency: str, expected: str
    ) -> None:
        """str pads to the currency's minor unit, and keeps any finer digits."""
        assert expected == str(Money.of(amount, currency))

    @pytest.mark.parametrize(
        ("amount", "currency", "expected"),
        [("2.675", "EUR", "2.68"),  # half-even: 7 is odd, up to 8
         ("2.665", "EUR", "2.66"),  # half-even: 6 is even, stays
         ("-2.675", "EUR", "-2.68"),
         ("2.5", "JPY", "2"),
         ("3.5", "JPY", "4"),
         ("1.0005", "KWD", "1.000"),
         ("7", "EUR", "7.00")],
    )  # fmt: skip
    def test_rounding_is_half_even_to_exactly_the_minor_unit(
        self, amount: str, currency: str, expected: str
    ) -> None:
        """The rounded amount has exactly the currency's places, ties to the even digit."""
        assert expected == str(Money.of(amount, currency).rounded().amount)

    def test_rounding_a_30_digit_amount(self) -> None:
        """29 nines and .125 is 32 digits, more than Decimal's default 28: still rounded exactly."""
        assert Decimal("9" * 29 + ".12") == Money.of("9" * 29 + ".125", "EUR").rounded().amount


class TestAllocateMessages:
    @pytest.mark.parametrize(
        ("weights", "error", "expected"),
        [("12", WrongType, "Money.allocate weights must be a sequence of numbers, got the string '12'"),
         ([], ValidationError, "Money.allocate weights must not be empty"),
         ([0, 0], ValidationError, "Money.allocate weights must not all be zero, got [0, 0]"),
         ([1, -1], ValidationError, "Money.allocate weights[1] must be >= 0, got -1"),
         ([1, Decimal("1E+1000")], ValidationError,
          ("Money.allocate weights[1] must be below 10**1000 with at most 1000 decimal places "
           "(a Fraction: numerator and denominator below 10**1000), got Decimal('1E+1000')"))],
    )  # fmt: skip
    def test_bad_weights_are_named_whole(
        self, weights: object, error: type[Exception], expected: str
    ) -> None:
        """Each refusal says which weight and why."""
        assert expected == message(lambda: Money.of(1, "EUR").allocate(weights), error)  # type: ignore[arg-type]

    def test_a_common_denominator_too_large(self) -> None:
        """Six denominators near 10**999 have a common one far beyond 10**4000."""
        weights = [Fraction(1, 10**999 + k) for k in range(1, 7)]
        assert (
            "Money.allocate weights must share a denominator below 10**4000, got Fractions "
            "whose common denominator is larger"
        ) == message(lambda: Money.of(1, "EUR").allocate(weights))

    def test_total_names_its_argument(self) -> None:
        """Money.total of a number says what it needs."""
        assert "Money.total amounts must be an iterable of Money, got 5" == message(
            lambda: Money.total(5, "EUR"),  # type: ignore[arg-type]
            WrongType,
        )


class TestWeightBounds:
    @pytest.mark.parametrize(
        "weight",
        [Decimal("9.999E+999"),  # adjusted exponent 999: the largest order of magnitude allowed
         Decimal("1E-1000"),  # 1,000 places exactly
         Fraction(10**1000 - 1, 2),
         Fraction(1, 10**1000 - 1),
         10**1000 - 1],
    )  # fmt: skip
    def test_weights_at_the_bound_are_accepted(self, weight: object) -> None:
        """A weight just inside the bound is read; next to 1 it takes all or nothing of 1 EUR."""
        parts = Money.of(1, "EUR").allocate([1, weight])  # type: ignore[list-item]
        assert Money.of(1, "EUR") == Money.total(parts, "EUR")

    @pytest.mark.parametrize(
        "weight",
        [Decimal("1E+1000"), Decimal("1E-1001"), Fraction(10**1000, 3), Fraction(1, 10**1000), 10**1000],
    )  # fmt: skip
    def test_weights_one_step_beyond_are_refused(self, weight: object) -> None:
        """The same weights one step further out are refused, naming the weight."""
        text = message(lambda: Money.of(1, "EUR").allocate([1, weight]))  # type: ignore[list-item]
        assert text.startswith("Money.allocate weights[1] must be below 10**1000")

    def test_float_weights_are_read_exactly(self) -> None:
        """0.1 and 0.9 as floats are read as their exact binary fractions: 1 EUR splits 0.10/0.90."""
        assert (Money.of("0.10", "EUR"), Money.of("0.90", "EUR")) == Money.of(1, "EUR").allocate(
            [0.1, 0.9]
        )


class TestAllocatePlaces:
    @pytest.mark.parametrize(
        ("amount", "currency", "weights", "expected"),
        [("1", "JPY", [1, 1], ("1", "0")),  # whole yen: 0.5 each rounds down, the cent left goes first
         ("1.5", "JPY", [1, 1], ("0.8", "0.7")),  # a finer amount splits at its own last digit
         ("1E+2", "EUR", [1, 2], ("33.33", "66.67")),  # 10000 cents: 3333.3 and 6666.6
         ("0.1", "EUR", [1, 1], ("0.05", "0.05"))],
    )  # fmt: skip
    def test_parts_are_multiples_of_the_finer_of_the_minor_unit_and_the_amount(
        self, amount: str, currency: str, weights: list[int], expected: tuple[str, ...]
    ) -> None:
        """The unit split is the minor unit, or the amount's own last digit when finer."""
        parts = Money.of(amount, currency).allocate(weights)
        assert expected == tuple(str(p.amount) for p in parts)

    def test_a_single_fraction_weight(self) -> None:
        """One weight of 1/3 takes everything."""
        assert (Money.of("0.10", "EUR"),) == Money.of("0.10", "EUR").allocate([Fraction(1, 3)])

    def test_fractions_with_different_denominators(self) -> None:
        """1/2 : 1/3 is 3 : 2 over the common denominator 6: 10 cents give 6 and 4."""
        assert (Money.of("0.06", "EUR"), Money.of("0.04", "EUR")) == Money.of(
            "0.10", "EUR"
        ).allocate([Fraction(1, 2), Fraction(1, 3)])

    def test_remainders_not_shares_decide_the_leftover(self) -> None:
        """10 cents by 0.64 : 0.36 are 6.4 and 3.6 cents: the leftover cent goes to the .6, so 0.06/0.04."""
        assert (Money.of("0.06", "EUR"), Money.of("0.04", "EUR")) == Money.of(
            "0.10", "EUR"
        ).allocate([Decimal("0.64"), Decimal("0.36")])

    @given(
        st.integers(-(10**30) + 1, 10**30 - 1),
        st.lists(st.integers(0, 50), min_size=1, max_size=6).filter(any),
    )
    def test_integer_amounts_split_into_floors_plus_one_cent(
        self, cents: int, weights: list[int]
    ) -> None:
        """Each part of n cents is floor(n*w/W) or one cent more, the extra cents to the largest remainders."""
        amount = Money.of(f"{cents}E-2", "EUR")
        total = sum(weights)
        size = abs(cents)
        floors = [size * w // total for w in weights]
        remainders = [size * w % total for w in weights]
        order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
        extra = set(order[: size - sum(floors)])
        sign = -1 if cents < 0 else 1
        expected = tuple(
            Money.of(f"{sign * (f + (i in extra))}E-2", "EUR") for i, f in enumerate(floors)
        )
        assert expected == amount.allocate(weights)


class TestComparisonBoundaries:
    @given(st.integers(-(10**29), 10**29), st.integers(-1, 1))
    def test_neighbouring_amounts_compare_as_their_cents(self, cents: int, step: int) -> None:
        """a and a + step cents (step -1, 0 or 1), negatives included, compare like their ints."""
        a = Money.of(f"{cents}E-2", "EUR")
        b = Money.of(f"{cents + step}E-2", "EUR")
        assert {
            "<": step > 0,
            "<=": step >= 0,
            ">": step < 0,
            ">=": step <= 0,
            "==": step == 0,
        } == {
            "<": a < b,
            "<=": a <= b,
            ">": a > b,
            ">=": a >= b,
            "==": a == b,
        }

    def test_equal_amounts_at_the_bound(self) -> None:
        """The largest amount equals itself: not less, not greater."""
        top, same = Money.of("9" * 30, "EUR"), Money.of("9" * 30, "EUR")
        assert (False, False, True, True) == (top < same, top > same, top <= same, top >= same)

    def test_is_zero_is_false_for_the_smallest_amount(self) -> None:
        """1E-40 is not zero; -0 is."""
        assert (False, True) == (
            Money.of("1E-40", "EUR").is_zero(),
            Money.of("-0", "EUR").is_zero(),
        )
