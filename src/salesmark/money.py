"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Amounts never pass through floats, arithmetic refuses to mix currencies, and
:meth:`Money.allocate` splits an amount into parts that sum back to it exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
)
from fractions import Fraction
from typing import Final

import attrs

from salesmark.errors import CurrencyMismatch, ValidationError

__all__ = ["Money", "minor_unit"]

# Sums, differences and products of amounts are computed exactly, at whatever
# number of digits they need: the default 28-digit context would round a 30-digit
# amount silently. The traps make any rounding an error instead of a wrong figure.
_EXACT: Final = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, Overflow, Inexact, Rounded],
)
# Rounding to the minor unit on purpose (Money.rounded), half-even, at any size.
_ROUNDING: Final = Context(
    prec=MAX_PREC, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation]
)

_CODE = re.compile(r"^[A-Z]{3}$")

# ISO 4217 currencies whose minor unit is not 2 decimal places.
_MINOR_UNITS: Final[dict[str, int]] = {
    "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0,
    "JOD": 3, "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0,
    "RWF": 0, "TND": 3, "UGX": 0, "UYI": 0, "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0,
    "XOF": 0, "XPF": 0,
}  # fmt: skip


def minor_unit(currency: str) -> int:
    """Return the number of decimal places of ``currency``'s minor unit (ISO 4217).

    Example:
        >>> minor_unit("EUR"), minor_unit("JPY"), minor_unit("KWD")
        (2, 0, 3)
    """
    return _MINOR_UNITS.get(currency, 2)


def _amount(value: Decimal | int | str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        msg = (
            f"Money.amount must be a Decimal, int or numeric string, got "
            f"{type(value).__name__} {value!r}; floats are refused because they are inexact"
        )
        raise ValidationError(msg)
    try:
        amount = Decimal(value)
    except ArithmeticError:
        msg = f"Money.amount must be numeric, got {value!r}"
        raise ValidationError(msg) from None
    if not amount.is_finite():
        msg = f"Money.amount must be finite, got {value!r}"
        raise ValidationError(msg)
    return amount


def _currency(value: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        msg = f"Money.currency must be a three-letter ISO 4217 code like 'EUR', got {value!r}"
        raise ValidationError(msg)
    return value


@attrs.frozen(order=False)
class Money:
    """An exact amount of money in one currency.

    Attributes:
        amount: The amount as a ``Decimal`` (ints and numeric strings are converted;
            floats are refused).
        currency: The ISO 4217 code, three upper-case letters.

    Example:
        >>> price = Money.of("12.50", "EUR")
        >>> price * 3
        Money('37.50 EUR')
        >>> price.allocate([1, 1, 1])
        (Money('4.17 EUR'), Money('4.17 EUR'), Money('4.16 EUR'))
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(validator=lambda _i, _a, v: _currency(v))

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Build money from an amount and a currency code.

        Example:
            >>> Money.of("0.10", "USD") + Money.of(2, "USD")
            Money('2.10 USD')
        """
        return cls(amount, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """The zero amount in ``currency``.

        Example:
            >>> Money.zero("GBP")
            Money('0 GBP')
        """
        return cls(Decimal(0), currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """Sum ``amounts`` (all in ``currency``); the sum of nothing is zero.

        Example:
            >>> Money.total([Money.of("1.10", "EUR"), Money.of("2", "EUR")], "EUR")
            Money('3.10 EUR')
        """
        result = cls.zero(currency)
        for item in amounts:
            result = result + item
        return result

    def __repr__(self) -> str:
        return f"Money('{self.amount} {self.currency}')"

    def __str__(self) -> str:
        # Show at least the currency's minor unit (1,234.50 EUR), never fewer digits than given.
        places = minor_unit(self.currency)
        exponent = self.amount.as_tuple().exponent
        shown = self.amount
        if isinstance(exponent, int) and -exponent < places:
            shown = _EXACT.quantize(self.amount, Decimal(1).scaleb(-places))
        return f"{shown:,} {self.currency}"

    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            msg = f"cannot {op} Money and {type(other).__name__} {other!r}"
            raise ValidationError(msg)
        if other.currency != self.currency:
            msg = f"cannot {op} {self!r} and {other!r}: currencies differ"
            raise CurrencyMismatch(msg)
        return other

    def __add__(self, other: Money) -> Money:
        return Money(_EXACT.add(self.amount, self._same(other, "add").amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(
            _EXACT.subtract(self.amount, self._same(other, "subtract").amount), self.currency
        )

    def __neg__(self) -> Money:
        return Money(self.amount.copy_negate(), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            msg = f"Money can be multiplied by a Decimal or int only, got {factor!r}"
            raise ValidationError(msg)
        return Money(_EXACT.multiply(self.amount, Decimal(factor)), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def is_zero(self) -> bool:
        """Whether the amount is zero.

        Example:
            >>> Money.of("0.00", "EUR").is_zero()
            True
        """
        return self.amount == 0

    def rounded(self) -> Money:
        """This amount rounded half-even to the currency's minor unit.

        Example:
            >>> Money.of("10.005", "EUR").rounded()
            Money('10.00 EUR')
        """
        return Money(
            self.amount.quantize(Decimal(1).scaleb(-minor_unit(self.currency)), context=_ROUNDING),
            self.currency,
        )

    def allocate(self, weights: Sequence[Decimal | int | float | Fraction]) -> tuple[Money, ...]:
        """Split this amount in proportion to ``weights``, summing back exactly.

        Parts are whole multiples of the currency's minor unit (or of the amount's own
        last digit, if it is finer). The units left over after rounding down go one at a
        time to the parts with the largest remainders (ties to the earlier part), so the
        parts always add up to exactly this amount.

        Args:
            weights: Non-negative numbers, at least one greater than zero. Floats are
                accepted here because weights are ratios, not money.

        Returns:
            One part per weight, in the same order.

        Raises:
            ValidationError: If ``weights`` is empty, has a negative or non-finite
                weight, or sums to zero.

        Example:
            >>> Money.of("100.00", "EUR").allocate([0.5, 0.25, 0.25])
            (Money('50.00 EUR'), Money('25.00 EUR'), Money('25.00 EUR'))
            >>> Money.of("0.05", "USD").allocate([1, 1])
            (Money('0.03 USD'), Money('0.02 USD'))
        """
        if len(weights) == 0:
            msg = "Money.allocate weights must not be empty"
            raise ValidationError(msg)
        exact: list[Fraction] = []
        for index, weight in enumerate(weights):
            if isinstance(weight, bool) or not isinstance(weight, Decimal | int | float | Fraction):
                msg = f"Money.allocate weights[{index}] must be a number, got {weight!r}"
                raise ValidationError(msg)
            if isinstance(weight, float | Decimal) and not _finite(weight):
                msg = f"Money.allocate weights[{index}] must be finite, got {weight!r}"
                raise ValidationError(msg)
            if weight < 0:
                msg = f"Money.allocate weights[{index}] must be >= 0, got {weight!r}"
                raise ValidationError(msg)
            exact.append(Fraction(weight))
        total_weight = sum(exact, Fraction(0))
        if total_weight == 0:
            msg = f"Money.allocate weights must not all be zero, got {list(weights)!r}"
            raise ValidationError(msg)
        exponent = self.amount.as_tuple().exponent
        places = max(minor_unit(self.currency), -exponent if isinstance(exponent, int) else 0)
        # Whole units of the last place, as an int: exact at any number of digits.
        negative, digits, digit_exponent = self.amount.as_tuple()
        units = int("".join(map(str, digits))) * 10 ** (int(digit_exponent) + places)
        sign = -1 if negative else 1
        shares = [Fraction(units) * w / total_weight for w in exact]
        floors = [int(s) for s in shares]
        leftover = units - sum(floors)
        order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
        for i in order[:leftover]:
            floors[i] += 1
        return tuple(Money(Decimal(f"{sign * f}E-{places}"), self.currency) for f in floors)


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
