"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Amounts never pass through floats, arithmetic refuses to mix currencies, and
:meth:`Money.allocate` splits an amount into parts that sum back to it exactly.
Currency codes are checked against the ISO 4217 list shipped with salesmark; a
currency of your own is added with :func:`register_currency`.
"""

from __future__ import annotations

import math
import re
import threading
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
from typing import Final, NoReturn

import attrs

from salesmark import _validators as v
from salesmark._currencies import ISO_4217
from salesmark.errors import CurrencyMismatch, ValidationError, WrongType

__all__ = ["Money", "minor_unit", "register_currency"]

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

# The bounds of an amount: at most 30 digits before the decimal point, 40 after it.
_INTEGER_DIGITS: Final = 30
_PLACES: Final = 40
_AMOUNT_LIMIT: Final = 10**_INTEGER_DIGITS
# A numeric string: ASCII digits, one optional point and exponent; nothing else.
_AMOUNT_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_AMOUNT_TEXT_LENGTH: Final = 100
# The bounds of an allocation weight, and of the common denominator of all of them.
_WEIGHT_DIGITS: Final = 1000
_WEIGHT_LIMIT: Final = 10**_WEIGHT_DIGITS
_COMMON_LIMIT: Final = 10**4000
# Any int factor this long makes a non-zero amount overflow the bound.
_FACTOR_BITS: Final = 400

_CODE: Final = re.compile(r"[A-Z]{3}")
_UNSPECIFIED_MINOR_UNIT: Final = 2  # for ISO codes whose minor unit is "N.A."
_MAX_PRIVATE_MINOR_UNIT: Final = 12
_PRIVATE: dict[str, int] = {}
_REGISTERING: Final = threading.Lock()


def _shown(value: object) -> str:
    """``repr(value)``, cut short when it is long (a 5,000-digit amount, say)."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's limit on digits shown, or holding one
        if isinstance(value, int):
            digits = int(value.bit_length() * math.log10(2))
            return f"{'a negative' if value < 0 else 'an'} int of about {digits:,} digits"
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= 60 else f"{text[:40]}...{text[-12:]} ({len(text)} characters)"


def _whole(value: object, name: str, low: int, high: int | None = None) -> int:
    """``value`` if it is a whole number (not a bool) from ``low`` to ``high`` (if any).

    Like ``_validators.require_whole``, but its messages show ints of any size
    (``repr`` refuses ints beyond Python's 4,300-digit limit).
    """
    expected = f">= {low}" if high is None else f"from {low} to {high}"
    msg = f"{name} must be a whole number {expected}, got {_shown(value)}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongType(msg)
    if value < low or (high is not None and value > high):
        raise ValidationError(msg)
    return value


def _iso_minor_unit(code: str) -> int:
    places = ISO_4217[code]
    return _UNSPECIFIED_MINOR_UNIT if places is None else places


def _minor_unit_of(value: object, name: str) -> int:
    if not isinstance(value, str):
        msg = f"{name} must be an ISO 4217 currency code (a str like 'EUR'), got {_shown(value)}"
        raise WrongType(msg)
    if value in ISO_4217:
        return _iso_minor_unit(value)
    if value in _PRIVATE:
        return _PRIVATE[value]
    msg = (
        f"{name} must be an ISO 4217 currency code like 'EUR' (or a currency added with "
        f"register_currency), got {_shown(value)}"
    )
    raise ValidationError(msg)


def minor_unit(currency: str) -> int:
    """Return the number of decimal places of ``currency``'s minor unit (ISO 4217).

    Codes whose ISO minor unit is "N.A." (gold ``XAU``, the SDR ``XDR``, ``XXX``, ...)
    are worked to two places; a registered private currency has the places it was
    registered with.

    Raises:
        WrongType: If ``currency`` is not a string.
        ValidationError: If it is neither an active ISO 4217 code nor registered.

    Example:
        >>> minor_unit("EUR"), minor_unit("JPY"), minor_unit("KWD")
        (2, 0, 3)
    """
    return _minor_unit_of(currency, "minor_unit currency")


def register_currency(code: str, minor_unit: int) -> None:
    """Add a private currency (loyalty points, an internal unit, a withdrawn code).

    salesmark keeps one process-wide table of private currencies, and this call is
    the only thing that changes it. It is global on purpose: an amount is just a
    ``Decimal`` and a code, held by every lead, campaign and result and written as
    ``{"amount", "currency"}``; a registry passed around as a value would have to reach
    every constructor, analytic and ``structure`` call, or else every amount would
    carry its minor unit on the wire. A currency is a fact about the world an
    application runs in, so declare it once at start-up. The effect is explicit and
    safe: a code is only ever added, never changed or removed (an amount made earlier
    keeps its meaning); registering the same code and minor unit again does nothing;
    an ISO 4217 code, or a code already registered with another minor unit, is
    refused. Register in every process (a worker started by ``multiprocessing``
    imports your module and registers again).

    Choose a code ISO 4217 does not list: codes beginning with ``AA``, ``QM`` to ``QZ``
    or ``ZZ`` belong to no country; withdrawn codes (``BGN``, ``HRK``, ...) may be
    registered to read old records.

    Args:
        code: Three upper-case ASCII letters that are not an active ISO 4217 code.
        minor_unit: Decimal places of the minor unit, a whole number from 0 to 12.

    Raises:
        WrongType: If ``code`` is not a string or ``minor_unit`` not an int.
        ValidationError: If the code is malformed or an ISO 4217 code, the minor unit
            is out of range, or the code is registered with another minor unit.

    Example:
        >>> register_currency("ZZP", 0)  # loyalty points, whole ones only
        >>> Money.of(10, "ZZP").allocate([1, 2])
        (Money('3 ZZP'), Money('7 ZZP'))
        >>> register_currency("EUR", 3)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: register_currency code 'EUR' is an ISO 4217 currency; its minor unit (2) cannot be changed
    """
    if not isinstance(code, str):
        msg = (
            f"register_currency code must be a str of three upper-case letters, got {_shown(code)}"
        )
        raise WrongType(msg)
    places = _whole(minor_unit, "register_currency minor_unit", 0, _MAX_PRIVATE_MINOR_UNIT)
    if not _CODE.fullmatch(code):
        msg = f"register_currency code must be three upper-case letters A-Z like 'ZZP', got {_shown(code)}"
        raise ValidationError(msg)
    if code in ISO_4217:
        msg = (
            f"register_currency code {code!r} is an ISO 4217 currency; its minor unit "
            f"({_iso_minor_unit(code)}) cannot be changed"
        )
        raise ValidationError(msg)
    with _REGISTERING:
        known = _PRIVATE.setdefault(code, places)
    if known != places:
        msg = f"register_currency code {code!r} is already registered with minor unit {known}, got {places}"
        raise ValidationError(msg)


def _out_of_bounds(given: str) -> NoReturn:
    msg = (
        f"Money.amount must have at most {_INTEGER_DIGITS} digits before the decimal point "
        f"and {_PLACES} after it, got {given}"
    )
    raise ValidationError(msg)


def _bounded(amount: Decimal, given: object) -> Decimal:
    exponent = amount.as_tuple().exponent
    if amount.adjusted() >= _INTEGER_DIGITS or (isinstance(exponent, int) and -exponent > _PLACES):
        _out_of_bounds(_shown(given))
    return amount


def _amount(value: Decimal | int | str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        msg = (
            f"Money.amount must be a Decimal, int or numeric string, got "
            f"{type(value).__name__} {_shown(value)}; floats are refused because they are inexact"
        )
        # A float is a number refused for its inexactness: a ValueError, not a TypeError.
        raise (ValidationError if isinstance(value, float) else WrongType)(msg)
    if isinstance(value, int):
        if not -_AMOUNT_LIMIT < value < _AMOUNT_LIMIT:
            _out_of_bounds(_shown(value))  # refused before converting, which is slow for huge ints
        return Decimal(value)
    if isinstance(value, str):
        if len(value) > _AMOUNT_TEXT_LENGTH or not _AMOUNT_TEXT.fullmatch(value):
            msg = (
                f"Money.amount must be a finite number written with ASCII digits, like "
                f"'-1234.50' or '1E+3' (no spaces, underscores or other digits), got {_shown(value)}"
            )
            raise ValidationError(msg)
        try:
            value = Decimal(value)
        except ArithmeticError:  # an exponent too large even for Decimal
            _out_of_bounds(_shown(value))
    if not value.is_finite():
        msg = f"Money.amount must be finite, got {value!r}"
        raise ValidationError(msg)
    return _bounded(value, value)


def _ratio(value: Decimal | int | float | Fraction, name: str) -> Fraction:
    """A finite, non-negative weight as a Fraction, refusing one beyond the weight bound."""
    if isinstance(value, float):
        return Fraction(value)  # a finite float is always inside the bound
    if isinstance(value, int):
        too_large = value >= _WEIGHT_LIMIT
    elif isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        too_large = value.adjusted() >= _WEIGHT_DIGITS or (
            isinstance(exponent, int) and -exponent > _WEIGHT_DIGITS
        )
    else:
        too_large = value.numerator >= _WEIGHT_LIMIT or value.denominator >= _WEIGHT_LIMIT
    if too_large:
        msg = (
            f"{name} must be below 10**{_WEIGHT_DIGITS} with at most {_WEIGHT_DIGITS} decimal "
            f"places (a Fraction: numerator and denominator below 10**{_WEIGHT_DIGITS}), got {_shown(value)}"
        )
        raise ValidationError(msg)
    return Fraction(value)


def _weight(value: object, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | Fraction):
        msg = f"{name} must be a number, got {_shown(value)}"
        raise WrongType(msg)
    if isinstance(value, float | Decimal) and not _finite(value):
        msg = f"{name} must be finite, got {value!r}"
        raise ValidationError(msg)
    if value < 0:
        msg = f"{name} must be >= 0, got {_shown(value)}"
        raise ValidationError(msg)
    return _ratio(value, name)


def _quantum(places: int) -> Decimal:
    """One unit of the ``places``-th decimal place (``places`` >= 0): ``Decimal('1E-2')``."""
    return Decimal(f"1E-{places}")


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


@attrs.frozen(order=False)
class Money:
    """An exact amount of money in one currency.

    An amount has at most 30 digits before the decimal point and 40 after it (as
    written: ``Decimal("0E+30")`` is refused too); anything beyond, NaN and the
    infinities are refused with a :class:`~salesmark.errors.ValidationError` naming
    ``Money.amount``. Numeric strings are read strictly: ASCII digits, an optional sign,
    point and exponent, at most 100 characters; no spaces, underscores or other
    digits. Sums and products that leave the bound are refused the same way.

    Attributes:
        amount: The amount as a ``Decimal`` (ints and numeric strings are converted;
            floats are refused).
        currency: An active ISO 4217 code (three upper-case letters), or a currency
            added with :func:`register_currency`.

    Example:
        >>> price = Money.of("12.50", "EUR")
        >>> price * 3
        Money('37.50 EUR')
        >>> price.allocate([1, 1, 1])
        (Money('4.17 EUR'), Money('4.17 EUR'), Money('4.16 EUR'))
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(validator=lambda _i, _a, v: _minor_unit_of(v, "Money.currency"))

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
        for item in v.argument_items(amounts, "Money.total amounts", Money):
            result = result + item
        return result

    def __repr__(self) -> str:
        return f"Money('{self.amount} {self.currency}')"

    def __str__(self) -> str:
        # Show at least the currency's minor unit (1,234.50 EUR), never fewer digits than given.
        places = max(minor_unit(self.currency), -int(self.amount.as_tuple().exponent))
        return f"{_EXACT.quantize(self.amount, _quantum(places)):,} {self.currency}"

    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            msg = f"cannot {op} Money and {type(other).__name__} {_shown(other)}"
            raise WrongType(msg)
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
            msg = f"Money can be multiplied by a Decimal or int only, got {_shown(factor)}"
            raise WrongType(msg)
        if isinstance(factor, Decimal) and not factor.is_finite():
            msg = f"Money can be multiplied by a finite number only, got {factor!r}"
            raise ValidationError(msg)
        if isinstance(factor, int) and factor.bit_length() > _FACTOR_BITS:
            if not self.amount.is_zero():
                _out_of_bounds(f"{self!r} times {_shown(factor)}")
            return -self if factor < 0 else self  # zero stays zero, with the product's sign
        try:
            product = _EXACT.multiply(self.amount, Decimal(factor))
        except ArithmeticError:  # an exponent beyond even Decimal's range
            _out_of_bounds(f"{self!r} times {_shown(factor)}")
        return Money(product, self.currency)

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
            self.amount.quantize(_quantum(minor_unit(self.currency)), context=_ROUNDING),
            self.currency,
        )

    def allocate(self, weights: Sequence[Decimal | int | float | Fraction]) -> tuple[Money, ...]:
        """Split this amount in proportion to ``weights``, summing back exactly.

        Parts are whole multiples of the currency's minor unit (or of the amount's own
        last digit, if it is finer). The units left over after rounding down go one at a
        time to the parts with the largest remainders (ties to the earlier part), so the
        parts always add up to exactly this amount. A negative amount splits like its
        positive counterpart, with every part negated.

        Args:
            weights: Non-negative numbers, at least one greater than zero. Floats are
                accepted here because weights are ratios, not money. Each weight is
                below ``10**1000`` with at most 1,000 decimal places (a Fraction:
                numerator and denominator below ``10**1000``), and all of them share a
                denominator below ``10**4000`` (ints, floats and Decimals always do),
                so a split takes bounded time.

        Returns:
            One part per weight, in the same order.

        Raises:
            WrongType: If ``weights`` is not a sequence of numbers.
            ValidationError: If ``weights`` is empty, has a negative, non-finite or
                too large weight, or sums to zero.

        Example:
            >>> Money.of("100.00", "EUR").allocate([0.5, 0.25, 0.25])
            (Money('50.00 EUR'), Money('25.00 EUR'), Money('25.00 EUR'))
            >>> Money.of("0.05", "USD").allocate([1, 1])
            (Money('0.03 USD'), Money('0.02 USD'))
        """
        items = v.sequence(weights, "Money.allocate weights", "numbers")
        if not items:
            msg = "Money.allocate weights must not be empty"
            raise ValidationError(msg)
        exact = [_weight(w, f"Money.allocate weights[{i}]") for i, w in enumerate(items)]
        common = exact[0].denominator
        for ratio in exact:
            common = math.lcm(common, ratio.denominator)
            if common >= _COMMON_LIMIT:
                msg = "Money.allocate weights must share a denominator below 10**4000, got Fractions whose common denominator is larger"
                raise ValidationError(msg)
        numerators = [r.numerator * (common // r.denominator) for r in exact]
        total_weight = sum(numerators)
        if total_weight == 0:
            msg = f"Money.allocate weights must not all be zero, got {_shown(list(items))}"
            raise ValidationError(msg)
        # Whole units of the last place, as an int: exact at any number of digits.
        negative, digits, digit_exponent = self.amount.as_tuple()
        places = max(minor_unit(self.currency), -int(digit_exponent))
        units = int("".join(map(str, digits))) * 10 ** (int(digit_exponent) + places)
        sign = -1 if negative else 1
        # Part i is floor(units * w_i / W); its remainder decides who gets a leftover unit.
        shares = [divmod(units * n, total_weight) for n in numerators]
        floors = [whole for whole, _ in shares]
        leftover = units - sum(floors)
        order = sorted(range(len(shares)), key=lambda i: (-shares[i][1], i))
        for i in order[:leftover]:
            floors[i] += 1
        return tuple(Money(Decimal(f"{sign * f}E-{places}"), self.currency) for f in floors)
