"""One way to turn a result into plain rows for ``pandas.DataFrame`` (private).

Every result's ``to_records()`` declares only its columns and builds each row with
:func:`row`, which flattens the values the same way everywhere: enum members become
their value, :class:`~salesmark.money.Money` its amount (the row gains a ``currency``
column unless it has one), a ``timedelta`` its length in hours (a ``Decimal`` to two
places), and everything else stays as it is.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from decimal import Decimal
from typing import Any, Final

from salesmark.money import Money

__all__ = ["cell", "hours", "row"]

_US: Final = timedelta(microseconds=1)
_HOUR_US: Final = Decimal(3_600_000_000)
_HUNDREDTH: Final = Decimal("0.01")


def hours(value: timedelta | None) -> Decimal | None:
    """The length of ``value`` in hours, to two places; ``None`` stays ``None``.

    Example:
        >>> hours(timedelta(minutes=90))
        Decimal('1.50')
    """
    if value is None:
        return None
    return (Decimal(value // _US) / _HOUR_US).quantize(_HUNDREDTH)


def cell(value: object) -> object:
    """One value as a plain cell: enum members by value, money by amount, durations in hours.

    Example:
        >>> cell(Money.of("12.50", "EUR")), cell(timedelta(hours=36))
        (Decimal('12.50'), Decimal('36.00'))
    """
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Money):
        return value.amount
    if isinstance(value, timedelta):
        return hours(value)
    return value


def row(**columns: object) -> dict[str, Any]:
    """One flat row of ``columns``, in the order given, each value flattened by :func:`cell`.

    A row holding money gains a ``currency`` column (the currency of its first amount)
    unless it names one itself.

    Example:
        >>> row(channel="email", revenue=Money.of(900, "EUR"), won=2)
        {'channel': 'email', 'revenue': Decimal('900'), 'won': 2, 'currency': 'EUR'}
    """
    flat = {name: cell(value) for name, value in columns.items()}
    if "currency" not in flat:
        currency = next((v.currency for v in columns.values() if isinstance(v, Money)), None)
        if currency is not None:
            flat["currency"] = currency
    return flat
