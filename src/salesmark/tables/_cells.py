"""Reading the cells of one CRM table, collecting every problem with its place (private).

A :class:`Cells` reads one table's rows. Each reader returns the cell's value, or
``None`` when the cell is missing (``None``, ``NaN``, an empty string) or wrong; a
wrong cell adds one problem naming the table, the row (counted from 0, as pandas
positions are) and the column, so that every problem of every table is reported at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.parser import isoparse

from salesmark.leads import AttributeValue
from salesmark.teams import Team

__all__ = ["Cells", "Row"]

Row = Mapping[str, Any]
"""One row of a table: column name -> plain value."""

_TRUE = frozenset({"true", "yes", "1", "y", "t"})
_FALSE = frozenset({"false", "no", "0", "n", "f"})


class Cells:
    """The readers of one table's cells; problems go to a shared list."""

    def __init__(
        self, table: str, rows: Sequence[Row], problems: list[str], tz: tzinfo | None
    ) -> None:
        self.table, self.rows, self.problems, self.tz = table, rows, problems, tz
        self.columns = frozenset(k for r in rows for k in r)

    def where(self, index: int, column: str) -> str:
        """The place of a cell, e.g. ``table 'leads' row 3 column 'createdate'``."""
        return f"table {self.table!r} row {index} column {column!r}"

    def problem(self, index: int, column: str, text: str) -> None:
        """Record a problem with one cell."""
        self.problems.append(f"{self.where(index, column)}: {text}")

    def require_columns(self, *columns: str) -> bool:
        """Whether there are rows to read: an empty table has none (and is no problem).

        A table with rows must have every required column; one problem per missing one.
        """
        if not self.rows:
            return False
        missing = [c for c in columns if c not in self.columns]
        for column in missing:
            known = sorted(self.columns)
            self.problems.append(
                f"table {self.table!r} has no column {column!r} (a required column of the "
                f"mapping); its columns are {known}"
            )
        return not missing

    def text(self, index: int, row: Row, column: str | None) -> str | None:
        """A text cell: blanks trimmed, whole numbers (ids read as numbers) as their digits."""
        if column is None:
            return None
        value = row.get(column)
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        self.problem(index, column, f"must be text or a whole-number id, got {value!r}")
        return None

    def required_text(self, index: int, row: Row, column: str) -> str | None:
        """A text cell that must not be empty."""
        before = len(self.problems)
        value = self.text(index, row, column)
        if value is None and len(self.problems) == before:  # empty, not wrong (reported)
            self.problem(index, column, "is empty; a value is required")
        return value

    def stamp(self, index: int, row: Row, column: str) -> datetime | None:
        """A required timestamp: an aware datetime, or an ISO 8601 string with an offset.

        Naive timestamps and dates (read at midnight) are read in the caller's ``tz``,
        or refused when it named none; numbers (epoch times) are refused.
        """
        value = row.get(column)
        if isinstance(value, str):
            value = value.strip() or None
        if value is None:
            self.problem(index, column, "is empty; a timestamp is required")
            return None
        if isinstance(value, str):
            try:
                value = isoparse(value)
            except (ValueError, OverflowError):
                self.problem(index, column, f"is not an ISO 8601 timestamp: {value!r}")
                return None
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time())
        if not isinstance(value, datetime):
            self.problem(
                index,
                column,
                f"must be a datetime or an ISO 8601 string, got {value!r}; convert epoch "
                "numbers first (e.g. pandas.to_datetime(column, unit='ms', utc=True))",
            )
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            if self.tz is None:
                self.problem(
                    index,
                    column,
                    f"has no time zone ({value.isoformat()}); pass tz= to read naive "
                    "timestamps in a zone you name",
                )
                return None
            value = value.replace(tzinfo=self.tz)
        return value

    def flag(self, index: int, row: Row, column: str) -> bool | None:
        """A required true/false cell (bools, 0/1, ``"true"``/``"false"``, ``"yes"``/``"no"``)."""
        value = row.get(column)
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        self.problem(index, column, f"must be true or false, got {value!r}")
        return None

    def attribute(self, index: int, row: Row, column: str) -> AttributeValue | None:
        """A lead attribute: text, a finite number or a bool; empty cells are left out."""
        value = row.get(column)
        if isinstance(value, str):
            return value.strip() or None
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, float) and math.isfinite(value):
            return value
        if isinstance(value, Decimal) and value.is_finite():
            return float(value)
        self.problem(index, column, f"must be text, a finite number or a bool, got {value!r}")
        return None

    def amount(self, index: int, row: Row, column: str | None) -> Decimal | None:
        """An amount: a number or a numeric string, as an exact Decimal.

        A float is read as the shortest decimal that reads back as it (``repr``).
        """
        if column is None:
            return None
        value = row.get(column)
        if isinstance(value, str):
            value = value.strip() or None
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            self.problem(index, column, f"must be a number or a numeric string, got {value!r}")
            return None
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else value)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            self.problem(index, column, f"must be a finite number, got {value!r}")
            return None
        return amount

    def team(self, index: int, row: Row, column: str | None) -> Team | None:
        """A team cell, ``"sales"`` or ``"marketing"`` in any case; empty is ``None``."""
        value = self.text(index, row, column)
        if value is None or column is None:
            return None
        try:
            return Team(value.lower())
        except ValueError:
            self.problem(index, column, f"must be 'sales' or 'marketing', got {value!r}")
            return None
