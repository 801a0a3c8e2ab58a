"""Tests for the reader behind ``PathCounts.from_records``: record checks, path splitting, values."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import pytest

from salesmark import Money
from salesmark.attribution import PathCounts, PathRow, _parsing
from salesmark.errors import ValidationError, WrongType


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


def _no_row_route(monkeypatch: pytest.MonkeyPatch, *, columns: bool = False) -> None:
    """Make the careful row-by-row reader fail if it is reached (with ``columns``, rows read as dicts too)."""

    def unreachable(*_args: object) -> None:
        msg = "the careful row-by-row route was taken"
        raise AssertionError(msg)

    monkeypatch.setattr(_parsing, "_each_record", unreachable)
    if columns:
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
        _no_row_route(monkeypatch, columns=True)
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
        _no_row_route(monkeypatch, columns=True)
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


ENGINES = ["python", "numpy"]


def _fast(rows: object, engine: str, **options: object) -> PathCounts:
    """``from_records`` with the careful row-by-row reader switched off: the fast route must take it."""
    with pytest.MonkeyPatch.context() as patch:
        _no_row_route(patch, columns=isinstance(rows, dict))
        if engine == "numpy":
            pytest.importorskip("numpy")
        return PathCounts.from_records(rows, engine=engine, **options)  # type: ignore[arg-type]


def _as_rows(columns: dict[str, list[object]]) -> list[dict[str, object]]:
    return [dict(zip(columns, cells, strict=True)) for cells in zip(*columns.values(), strict=True)]


class TestTheFastRoute:
    """Plainly well-formed input is read column by column (never row by row), with exact totals."""

    @pytest.mark.parametrize("engine", ENGINES)
    @pytest.mark.parametrize("shape", ["rows", "columns"])
    @pytest.mark.parametrize(
        ("values", "total", "typed"),
        [
            ([12.5, 20.0], "32.5", "float tenths: one place"),  # 1250 + 2000 cents, cut by 10
            ([12.25, 20.0], "32.25", "float cents: two places"),  # 1225 + 2000 cents
            ([12, 20], "32", "ints: no places"),  # 1200 + 2000 cents, cut by 100
            ([12.5, None], "12.5", "a missing value counts zero"),
            ([7, 2.5], "9.5", "an int and a float"),
            ([2**45, 1], "35184372088833", "the largest value the fast route takes, plus 1"),
        ],
    )
    def test_values_keep_the_exponent_of_the_exact_sum(
        self, engine: str, shape: str, values: list[object], total: str, typed: str
    ) -> None:
        """The value total reads as the exact Decimal sum would: '32.5' not '32.50', '32' not '32.0'."""
        columns = {
            "path": ["a > b", "b"],
            "total_conversions": [1, 2],
            "total_null": [0, 3],
            "total_conversion_value": values,
        }
        data = _as_rows(columns) if shape == "rows" else columns
        counts = _fast(data, engine, currency="EUR")
        assert (3, 3, total) == (
            counts.total_conversions,
            counts.total_nulls,
            str(sum(row.value for row in counts.rows())),
        ), typed
        assert ("q", "q") == (counts.paths.units.typecode, counts.paths.offsets.typecode)

    @pytest.mark.parametrize("engine", ENGINES)
    def test_int_float_and_missing_values_together(self, engine: str) -> None:
        """Values of int, float and None in one column: 3 + 0.5 + 0 = 3.5."""
        rows = [
            {"path": "a", "total_conversions": 1, "total_conversion_value": 3},
            {"path": "b", "total_conversions": 1, "total_conversion_value": 0.5},
            {"path": "c", "total_conversions": 1, "total_conversion_value": None},
        ]
        counts = _fast(rows, engine, currency="EUR")
        assert Money.of("3.5", "EUR") == counts.total_value

    @pytest.mark.parametrize("engine", ENGINES)
    def test_a_row_without_the_nulls_cell_counts_zero_nulls(self, engine: str) -> None:
        """One row lacks the nulls cell: it counts 0, the other's 3 stay: 3 nulls in all."""
        rows = [
            {"path": "a", "total_conversions": 1},
            {"path": "b", "total_conversions": 1, "total_null": 3},
        ]
        counts = _fast(rows, engine)
        assert ((("a",), 1, 0), (("b",), 1, 3)) == tuple(
            (r.path, r.conversions, r.nulls) for r in counts.rows()
        )

    @pytest.mark.parametrize("engine", ENGINES)
    def test_counts_up_to_the_bound_take_the_fast_route(self, engine: str) -> None:
        """2**53 - 1 conversions plus 1 null is exactly the bound of 2**53 journeys."""
        rows = [{"path": "a > b", "total_conversions": 2**53 - 1, "total_null": 1}]
        counts = _fast(rows, engine)
        assert (2**53 - 1, 1) == (counts.total_conversions, counts.total_nulls)

    @pytest.mark.parametrize("engine", ENGINES)
    def test_values_without_nulls_column_in_columns(self, engine: str) -> None:
        """Columns with a value column but no nulls column still read the values: 4 + 6 = 10."""
        data = {"path": ["a", "b"], "total_conversions": [1, 1], "total_conversion_value": [4, 6]}
        counts = _fast(data, engine, currency="EUR")
        assert (0, Money.of(10, "EUR")) == (counts.total_nulls, counts.total_value)

    def test_non_sequence_columns_are_named(self) -> None:
        """A column that is a string or a number is refused, naming the column."""
        with pytest.raises(
            WrongType,
            match=r"^PathCounts\.from_records column 'path' must be a sequence of cells, "
            r"got the string 'a > b'$",
        ):
            PathCounts.from_records({"path": "a > b", "total_conversions": [1]})
        with pytest.raises(
            WrongType,
            match=r"^PathCounts\.from_records column 'total_conversions' must be a sequence of "
            r"cells, got 5$",
        ):
            PathCounts.from_records({"path": ["a > b"], "total_conversions": 5})


class TestTheCarefulRoute:
    """Input that is not plainly well-formed is read row by row; its messages name the cell."""

    @pytest.mark.parametrize("engine", ENGINES)
    @pytest.mark.parametrize(
        ("column", "bad"),
        [
            ("total_conversions", 2**53 + 1),  # fits a machine integer, past the bound
            ("total_null", 2**60),
            ("total_conversions", 2**64),  # fits no machine integer
            ("total_null", 10**400),
        ],
    )
    def test_a_count_past_the_bound_is_named(self, engine: str, column: str, bad: int) -> None:
        """A count above 2**53 in the second row is refused naming that row, on either engine."""
        if engine == "numpy":
            pytest.importorskip("numpy")
        rows = [
            {"path": "a > b", "total_conversions": 1, "total_null": 0},
            {"path": "b", "total_conversions": 1, "total_null": 0, column: bad},
        ]
        with pytest.raises(
            ValidationError, match=rf"^rows\[1\]\['{column}'\] must be at most 2\*\*53"
        ):
            PathCounts.from_records(rows, engine=engine)  # type: ignore[arg-type]

    @pytest.mark.parametrize("engine", ENGINES)
    def test_counts_adding_up_past_the_bound_are_refused(self, engine: str) -> None:
        """2**52 + 2**52 + 1 journeys, each count within the bound: the total is refused."""
        if engine == "numpy":
            pytest.importorskip("numpy")
        rows = [
            {"path": "a > b", "total_conversions": 2**52, "total_null": 0},
            {"path": "b", "total_conversions": 2**52, "total_null": 1},
        ]
        with pytest.raises(
            ValidationError, match=r"^PathCounts can hold at most 9,007,199,254,740,992 journeys"
        ):
            PathCounts.from_records(rows, engine=engine)  # type: ignore[arg-type]

    def test_without_a_nulls_column_repeated_paths_have_no_nulls(self) -> None:
        """Repeated paths (the careful route) and nulls=None: 1 + 2 = 3 conversions, 0 nulls."""
        rows = [
            {"path": "a  > b", "total_conversions": 1},
            {"path": "a > b", "total_conversions": 2},
        ]
        counts = PathCounts.from_records(rows, nulls=None, engine="python")
        assert ((("a", "b"), 3, 0),) == tuple(
            (r.path, r.conversions, r.nulls) for r in counts.rows()
        )

    @pytest.mark.parametrize(
        ("row", "message"),
        [
            (
                {"path": "a >  > b", "total_conversions": 1},
                r"^rows\[0\]\['path'\] ",
            ),
            (
                {"path": "a", "total_conversions": 1, "total_null": -1},
                r"^rows\[0\]\['total_null'\] ",
            ),
            (
                {"path": "a", "total_conversions": 1, "total_conversion_value": float("inf")},
                r"^rows\[0\]\['total_conversion_value'\] must be a finite amount >= 0, got inf$",
            ),
            (
                {"path": "a", "total_conversions": 1, "total_conversion_value": "1e31"},
                (
                    r"^rows\[0\]\['total_conversion_value'\] must be at most "
                    r"999,999,999,999,999,999,999,999,999,999, got 1E\+31$"
                ),
            ),
            (
                {"path": 5, "total_conversions": 1},
                r"^rows\[0\]\['path'\] must be a path string, got 5$",
            ),
        ],
    )
    def test_a_bad_cell_is_named(self, row: dict[str, object], message: str) -> None:
        """An empty step, a negative null count, an infinite or too large value, a non-text path."""
        with pytest.raises(ValidationError, match=message):
            PathCounts.from_records([row], currency="EUR")

    def test_a_path_total_above_the_value_bound_is_named(self) -> None:
        """Two rows of one path whose values add past 10**30 - 1: the path's total is named."""
        rows = [
            {"path": "a", "total_conversions": 1, "total_conversion_value": 10**30 - 1},
            {"path": "a", "total_conversions": 1, "total_conversion_value": 2},
        ]
        with pytest.raises(
            ValidationError,
            match=r"^the value of path \('a',\) must be at most "
            r"999,999,999,999,999,999,999,999,999,999, got 1000000000000000000000000000001$",
        ):
            PathCounts.from_records(rows, currency="EUR")

    def test_a_text_subclass_path_is_read(self) -> None:
        """A str subclass is a path string: its steps are plain names."""

        class Text(str):
            __slots__ = ()

        counts = PathCounts.from_records([{"path": Text("a > b"), "total_conversions": 1}])
        assert [("a", "b")] == [row.path for row in counts.rows()]
