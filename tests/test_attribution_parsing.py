"""Tests for the reader behind ``PathCounts.from_records``: record checks, path splitting, values."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import pytest

from salesmark import Money
from salesmark.attribution import PathCounts, PathRow, _parsing
from salesmark.errors import ValidationError


class TestFromRecordsParsing:
    def test_a_missing_conversions_column_is_named(self) -> None:
        """Columns without the conversions column name that column, not the path or nulls one."""
        with pytest.raises(
            ValidationError,
            match=r"PathCounts.from_records columns have no 'total_conversions' column; "
            r"they have \['path'\]",
        ):
            PathCounts.from_records({"path": ["a > b"]}, engine="python")

    @pytest.mark.parametrize("text", ["a  > b", "a >  b"])
    def test_extra_spaces_around_the_separator_are_stripped(self, text: str) -> None:
        """A doubled space before or after the separator still gives the names a and b."""
        counts = PathCounts.from_records([{"path": text, "total_conversions": 1}], engine="python")
        assert [("a", "b")] == [row.path for row in counts.rows()]

    def test_a_bare_separator_inside_a_name_splits_it(self) -> None:
        """'a>b > c' splits at every '>': three names, as the careful route reads it."""
        counts = PathCounts.from_records(
            [{"path": "a>b > c", "total_conversions": 1}], engine="python"
        )
        assert [("a", "b", "c")] == [row.path for row in counts.rows()]

    def test_values_without_currency_are_refused(self) -> None:
        """A well-formed row with a value and no currency names the cell and the fix."""
        rows = [{"path": "a > b", "total_conversions": 1, "total_conversion_value": 12.5}]
        with pytest.raises(
            ValidationError,
            match=r"rows\[0\]\['total_conversion_value'\] is 12\.5: give currency= "
            r"to read values, or value=None to ignore them",
        ):
            PathCounts.from_records(rows, engine="python")

    def test_no_nulls_column_counts_zero_nulls(self) -> None:
        """With nulls=None, two well-formed rows of 2 and 3 conversions have 5 conversions, 0 nulls."""
        rows = [{"path": "a > b", "total_conversions": 2}, {"path": "b", "total_conversions": 3}]
        counts = PathCounts.from_records(rows, nulls=None, value=None, engine="python")
        # 2 + 3 = 5 conversions; no nulls column, so 0 nulls; value=None, so no total value
        assert (5, 0, None) == (
            counts.total_conversions,
            counts.total_nulls,
            counts.total_value,
        )


def _no_row_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the row-by-row reader and the row-column helper fail if they are reached."""

    def unreachable(*_args: object) -> None:
        msg = "the careful row-by-row route was taken"
        raise AssertionError(msg)

    monkeypatch.setattr(_parsing, "_each_record", unreachable)
    monkeypatch.setattr(_parsing, "_column", unreachable)


class TestFromRecordsOfColumns:
    """Columns (one mapping of name -> cells) are read column by column, not as rows."""

    COLUMNS: ClassVar[dict[str, list[object]]] = {
        "path": ["a > b", "b"],
        "total_conversions": [1, 2],
        "total_null": [3, 0],
        "total_conversion_value": [10.5, 20],
    }

    def test_well_formed_columns_take_the_column_route(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Plain columns never reach the row-by-row reader; the totals are the rows' sums."""
        _no_row_route(monkeypatch)
        counts = PathCounts.from_records(self.COLUMNS, currency="EUR", engine="python")
        # conversions 1 + 2 = 3; nulls 3 + 0 = 3; value 10.5 + 20 = 30.50 EUR
        assert (3, 3, Money.of("30.50", "EUR")) == (
            counts.total_conversions,
            counts.total_nulls,
            counts.total_value,
        )
        assert (
            PathRow(("a", "b"), 1, 3, Decimal("10.5")),
            PathRow(("b",), 2, 0, Decimal("20.0")),
        ) == counts.rows()

    def test_columns_and_rows_give_the_same_statistics(self) -> None:
        """The same data as columns and as rows gives equal PathCounts."""
        rows = [
            dict(zip(self.COLUMNS, cells, strict=True))
            for cells in zip(*self.COLUMNS.values(), strict=True)
        ]
        assert PathCounts.from_records(rows, currency="EUR") == PathCounts.from_records(
            self.COLUMNS, currency="EUR"
        )

    def test_absent_nulls_and_value_columns_count_zero(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without a nulls or value column, columns still go the column route with zeros."""
        _no_row_route(monkeypatch)
        data = {"path": ["a", "a > c"], "total_conversions": [2, 5]}
        counts = PathCounts.from_records(data, currency="EUR", engine="python")
        # 2 + 5 = 7 conversions; no nulls column: 0 nulls; no value column: 0 EUR
        assert (7, 0, Money.of(0, "EUR")) == (
            counts.total_conversions,
            counts.total_nulls,
            counts.total_value,
        )

    def test_empty_columns_are_empty_statistics(self) -> None:
        """Columns of no cells give statistics with no paths."""
        counts = PathCounts.from_records({"path": [], "total_conversions": []})
        assert ((), 0, 0) == (counts.rows(), counts.total_conversions, counts.total_nulls)

    def test_columns_of_two_lengths_are_refused(self) -> None:
        """Columns must have one length; the message lists the lengths, sorted."""
        with pytest.raises(
            ValidationError,
            match=r"^PathCounts\.from_records columns must have one length, got \[1, 2\]$",
        ):
            PathCounts.from_records({"path": ["a", "b"], "total_conversions": [1]})

    def test_a_bad_cell_in_columns_is_named_by_its_row(self) -> None:
        """A column cell the column route does not take goes the careful route, which names it."""
        data = {"path": ["a", "b"], "total_conversions": [1, -1]}
        with pytest.raises(ValidationError, match=r"^rows\[1\]\['total_conversions'\]"):
            PathCounts.from_records(data)

    def test_a_repeated_path_in_columns_is_summed(self) -> None:
        """Two cells of one path (not distinct: the careful route) add up: 1 + 4 = 5."""
        data = {"path": ["a > b", "a > b"], "total_conversions": [1, 4]}
        counts = PathCounts.from_records(data, engine="python")
        assert (PathRow(("a", "b"), 5, 0, Decimal(0)),) == counts.rows()
