"""Tests for the reader behind ``PathCounts.from_records``: record checks, path splitting, values."""

from __future__ import annotations

import pytest

from salesmark.attribution import PathCounts
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
