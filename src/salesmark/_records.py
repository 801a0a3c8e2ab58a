"""One way to turn a result into plain rows for ``pandas.DataFrame`` (private).

Every result's ``to_records(exact=...)`` declares only its columns, builds each row with
:func:`row` and hands the rows to :func:`records`, so every result flattens and finishes
its values the same way:

* :func:`row` flattens: enum members become their value, :class:`~salesmark.money.Money`
  its amount (the row gains a ``currency`` column unless it has one), a ``timedelta``
  its length in hours (a ``Decimal`` to two places); everything else stays as it is.
* :func:`records` finishes: with ``exact=True`` the rows stay exact (``Decimal``,
  ``Fraction``, ``timedelta``); by default every number becomes a plain ``float``
  (``int`` and ``bool`` stay), durations float hours, and a value that cannot be
  computed is ``None``, so ``pandas.DataFrame(result.to_records())`` is numeric.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Protocol

from salesmark.money import Money

__all__ = ["Tabular", "approximate", "cell", "hours", "records", "row"]

_US: Final = timedelta(microseconds=1)
_HOUR_US: Final = Decimal(3_600_000_000)
_HOUR: Final = timedelta(hours=1)
_HUNDREDTH: Final = Decimal("0.01")


class Tabular(Protocol):
    """A result: it gives its rows, plain floats by default or exact with ``exact=True``."""

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """The result's rows (see :func:`records`)."""
        ...  # pragma: no cover - a protocol


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


def approximate(value: object) -> object:
    """One exact cell as a plain one: a ``float`` for a number, ``None`` for not-a-number.

    ``Decimal`` and ``Fraction`` become ``float``, a ``timedelta`` float hours and money
    its float amount; ``int``, ``bool``, text, times and ``None`` stay as they are.

    Example:
        >>> approximate(Decimal("0.8354")), approximate(Fraction(1, 4)), approximate(Decimal("NaN"))
        (0.8354, 0.25, None)
        >>> approximate(timedelta(minutes=90)), approximate(3), approximate(None)
        (1.5, 3, None)
    """
    if isinstance(value, Decimal):
        return None if value.is_nan() else float(value)
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, float):
        return None if value != value else value  # noqa: PLR0124 (NaN is unequal to itself)
    if isinstance(value, timedelta):
        return value / _HOUR
    if isinstance(value, Money):
        return float(value.amount)
    return value


def records(rows: Iterable[Mapping[str, Any]], *, exact: bool) -> list[dict[str, Any]]:
    """Finished rows: exact as built with ``exact=True``, else every number a plain float.

    Args:
        rows: The rows, each built by :func:`row` (or any mapping of column to cell).
        exact: Keep ``Decimal``, ``Fraction`` and ``timedelta`` cells as they are;
            without it each cell goes through :func:`approximate`.

    Returns:
        A new list of new dicts, in the order given.

    Example:
        >>> rows = [row(stage="mql", rate=Decimal("0.25"), hours=timedelta(hours=3))]
        >>> records(rows, exact=False)
        [{'stage': 'mql', 'rate': 0.25, 'hours': 3.0}]
        >>> records(rows, exact=True)
        [{'stage': 'mql', 'rate': Decimal('0.25'), 'hours': Decimal('3.00')}]
    """
    if exact:
        return [dict(r) for r in rows]
    return [{name: approximate(value) for name, value in r.items()} for r in rows]
