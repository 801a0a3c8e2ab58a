"""Tests of salesmark.attribution._columns: the columnar store behind PathCounts.

Most tests go through :class:`PathCounts`; the array type codes of a table's columns
(what pickles carry, what the numpy engine reads as ``i8``) are only visible on the
private table, so those tests read ``counts.table`` or call ``_columns`` directly.
"""

from __future__ import annotations

import pickle
from array import array
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from salesmark import Money
from salesmark.attribution import PathCounts, PathRow
from salesmark.attribution._columns import Table, merge, merge_all


def _pickled(counts: PathCounts) -> dict[str, Any]:
    """The columns a PathCounts' table hands to pickle, by name."""
    restore, args = counts.table.__reduce__()
    assert restore.__name__ == "_restore"
    names = ("names", "tokens", "lengths", "conversions", "nulls", "units", "exponent")
    return dict(zip(names, args, strict=True))


def _codes(table: Table) -> dict[str, str]:
    """The array type code of each column of ``table`` (``list`` for a plain list)."""
    return {
        name: col.typecode if isinstance(col, array) else type(col).__name__
        for name, col in [
            ("tokens", table.tokens),
            ("offsets", table.offsets),
            ("conversions", table.conversions),
            ("nulls", table.nulls),
            ("units", table.units),
        ]
    }


FRESH = {"tokens": "B", "offsets": "q", "conversions": "q", "nulls": "q", "units": "q"}
"""The type codes of a freshly built table of whole counts and small values."""


def _one_big_count(top: int) -> PathCounts:
    """Path a with ``top`` conversions next to path b with 0 conversions and 1 null."""
    return PathCounts.from_tuples([(("a",), top, 0, None), (("b",), 0, 1, None)])


class TestNarrowing:
    @pytest.mark.parametrize(
        ("top", "code"),
        [
            (0, "B"),  # a column of zeros (the row is kept by its null)
            (1, "B"),
            (255, "B"),  # 256**1 - 1, the largest byte
            (256, "H"),
            (511, "H"),  # below 256 * 2, where a wrong bound would stop
            (65535, "H"),  # 256**2 - 1
            (65536, "I"),
            (2**32 - 1, "I"),  # 256**4 - 1
            (2**32, "Q"),
            (2**53 - 1, "Q"),
        ],
    )
    def test_a_count_column_pickles_in_the_smallest_unsigned_type(
        self, top: int, code: str
    ) -> None:
        """The conversions [top, 0] pickle as the smallest of B, H, I, Q that holds top."""
        counts = _one_big_count(top)
        if top == 0:
            counts = PathCounts.from_tuples([(("a",), 0, 2, None), (("b",), 0, 1, None)])
        columns = _pickled(counts)
        assert {
            "conversions": (columns["conversions"].typecode, list(columns["conversions"])),
            "nulls": (columns["nulls"].typecode, list(columns["nulls"])),
            "lengths": (columns["lengths"].typecode, list(columns["lengths"])),
            "units": (columns["units"].typecode, list(columns["units"])),
        } == {
            "conversions": (code, [top, 0]),
            "nulls": ("B", [0 if top else 2, 1]),
            "lengths": ("B", [1, 1]),  # both paths are one touch long
            "units": ("B", [0, 0]),  # no value: zero units
        }

    @pytest.mark.parametrize("top", [0, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**53 - 1])
    def test_narrowed_counts_come_back_as_signed_64_bit_columns(self, top: int) -> None:
        """After a pickle round trip the counts are equal and every column has its fresh type."""
        counts = _one_big_count(top) if top else PathCounts.from_tuples([(("a",), 0, 1, None)])
        again = pickle.loads(pickle.dumps(counts))
        assert {"equal": again == counts, "rows": again.rows(), "codes": _codes(again.table)} == {
            "equal": True,
            "rows": counts.rows(),
            "codes": FRESH,
        }

    def test_the_empty_counts_pickle(self) -> None:
        """PathCounts() pickles its empty columns as empty byte arrays and comes back empty."""
        columns = _pickled(PathCounts())
        again = pickle.loads(pickle.dumps(PathCounts()))
        assert {
            "columns": columns,
            "again": (again == PathCounts(), len(again), again.rows(), again.channels),
        } == {
            "columns": {
                "names": (),
                "tokens": array("B"),
                "lengths": array("B"),
                "conversions": array("B"),
                "nulls": array("B"),
                "units": array("B"),
                "exponent": 0,
            },
            "again": (True, 0, (), ()),
        }

    def test_a_long_path_pickles_its_length_in_two_bytes(self) -> None:
        """A path of 256 touches has a length that needs an H; it comes back whole."""
        path = ("a", "b") * 128  # 256 touches
        counts = PathCounts.from_tuples([(path, 1, 0, None), (("a",), 0, 1, None)])
        columns = _pickled(counts)
        again = pickle.loads(pickle.dumps(counts))
        assert {
            "lengths": (columns["lengths"].typecode, list(columns["lengths"])),
            "rows": again.rows(),
            "offsets": (again.table.offsets.typecode, list(again.table.offsets)),
        } == {
            "lengths": ("H", [256, 1]),
            "rows": (PathRow(("a",), 0, 1, Decimal(0)), PathRow(path, 1, 0, Decimal(0))),
            "offsets": ("q", [0, 256, 257]),  # 0, then 0 + 256, then 256 + 1
        }

    def test_value_units_below_2_to_64_pickle_as_q_and_come_back_exact(self) -> None:
        """2**64 - 1 whole units do not fit array('q') but pickle as array('Q') and come back."""
        top = 2**64 - 1  # 18446744073709551615, within MAX_VALUE (10**30)
        counts = PathCounts.from_tuples(
            [(("a",), 1, 0, Decimal(top)), (("b",), 1, 0, None)], currency="EUR"
        )
        columns = _pickled(counts)
        again = pickle.loads(pickle.dumps(counts))
        assert {
            "units": (type(counts.table.units).__name__, columns["units"]),
            "again": (type(again.table.units).__name__, list(again.table.units)),
            "rows": again.rows(),
            "total": again.total_value,
        } == {
            "units": ("list", array("Q", [top, 0])),
            "again": ("list", [top, 0]),  # too big for 'q': back to exact ints
            "rows": (
                PathRow(("a",), 1, 0, Decimal(top)),
                PathRow(("b",), 1, 0, Decimal(0)),
            ),
            "total": counts.total_value,
        }

    def test_value_units_of_2_to_64_stay_a_list(self) -> None:
        """2**64 whole units fit no array: they pickle as a plain list and come back exact."""
        top = 2**64
        counts = PathCounts.from_tuples([(("a",), 1, 0, Decimal(top))], currency="EUR")
        columns = _pickled(counts)
        again = pickle.loads(pickle.dumps(counts))
        assert {"pickled": columns["units"], "again": again.table.units, "rows": again.rows()} == {
            "pickled": [top],
            "again": [top],
            "rows": (PathRow(("a",), 1, 0, Decimal(top)),),
        }

    def test_fractional_counts_pickle_as_fractions(self) -> None:
        """A column of fractions is pickled as it is, and the whole column beside it narrowed."""
        counts = PathCounts.from_tuples([(("a",), 0.5, 3, None), (("b",), 2, 0, None)])
        columns = _pickled(counts)
        again = pickle.loads(pickle.dumps(counts))
        assert {
            "conversions": columns["conversions"],
            "nulls": columns["nulls"],
            "again": (again.table.conversions, _codes(again.table)["nulls"], again.rows()),
        } == {
            "conversions": [Fraction(1, 2), Fraction(2)],
            "nulls": array("B", [3, 0]),
            "again": ([Fraction(1, 2), Fraction(2)], "q", counts.rows()),
        }

    def test_values_with_decimals_pickle_their_units_and_exponent(self) -> None:
        """Values 4.50 and 300 are kept as 450 and 30000 hundredths; they come back exact."""
        counts = PathCounts.from_tuples(
            [(("a",), 1, 0, "4.50"), (("b",), 1, 0, "300")], currency="EUR"
        )
        columns = _pickled(counts)
        again = pickle.loads(pickle.dumps(counts))
        assert {
            "units": columns["units"],
            "exponent": columns["exponent"],
            "again": (again.table.exponent, again.total_value, again.rows()),
        } == {
            "units": array("H", [450, 30000]),  # 30000 > 255: two bytes each
            "exponent": -2,
            "again": (-2, counts.total_value, counts.rows()),
        }


def _unsorted() -> Table:
    """Paths b, a > b, a stored in that (unsorted) order, with values 1.5, 2 and none."""
    return Table.build(
        [("b",), ("a", "b"), ("a",)],
        [1, 2, 0],
        [0, 1, 4],
        [Decimal("1.5"), Decimal(2), Decimal(0)],
    )


class TestCanonical:
    def test_rows_come_in_sorted_order_with_their_stats(self) -> None:
        """canonical() stores the rows sorted by path, each with its counts and value."""
        table = _unsorted().canonical()
        assert {
            "items": list(table.items()),
            "names": table.names,
            "exponent": table.exponent,
            "order": table.order(),
            "codes": _codes(table),
            "offsets": list(table.offsets),
        } == {
            "items": [
                (("a",), (0, 4, Decimal(0))),
                (("a", "b"), (2, 1, Decimal(2))),
                (("b",), (1, 0, Decimal("1.5"))),
            ],
            "names": ("a", "b"),
            "exponent": -1,  # 1.5 needs tenths: units 0, 20, 15
            "order": [0, 1, 2],
            "codes": FRESH,
            "offsets": [0, 1, 3, 4],  # lengths 1, 2, 1
        }

    def test_a_sorted_table_is_its_own_canonical_form(self) -> None:
        """A table already in sorted order is returned as it is, not copied."""
        table = _unsorted().canonical()
        assert table.canonical() is table

    def test_the_original_keeps_its_order(self) -> None:
        """canonical() makes a new table; the unsorted one still reads in insertion order."""
        table = _unsorted()
        table.canonical()
        assert (list(table), table.order()) == ([("b",), ("a", "b"), ("a",)], [2, 1, 0])

    def test_fractional_counts_reach_the_engines_sorted(self) -> None:
        """for_engines() gives the canonical table for fractional counts, the table itself else."""
        whole = _unsorted()
        fractional = Table.build([("b",), ("a",)], [Fraction(1, 2), 1], [0, 0], None)
        engines = fractional.for_engines()
        assert {
            "whole": whole.for_engines() is whole,
            "fractional": list(engines.items()),
            "codes": (engines.conversions, _codes(engines)["nulls"]),
        } == {
            "whole": True,
            "fractional": [(("a",), (1, 0, Decimal(0))), (("b",), (0.5, 0, Decimal(0)))],
            "codes": ([Fraction(1), Fraction(1, 2)], "q"),
        }

    def test_wide_tokens_are_reordered_too(self) -> None:
        """With 300 channels (two-byte ids) canonical() still sorts the paths and keeps the ids."""
        names = [f"c{i:03d}" for i in range(300)]
        paths = [tuple(names[150:]), tuple(names[:150])]  # the c150.. path first
        table = Table.build(paths, [1, 2], [0, 0], None).canonical()
        assert (table.tokens.typecode, list(table), [table[p][0] for p in table]) == (
            "H",
            [tuple(names[:150]), tuple(names[150:])],
            [2, 1],
        )


class TestMergeAll:
    def test_one_part_is_returned_as_it_is(self) -> None:
        """Merging one non-empty part (among empty ones) gives that part's own table."""
        part = PathCounts.from_tuples([(("b",), 1, 0, None), (("a",), 0, 2, None)])
        merged = PathCounts.merge([PathCounts(), part, PathCounts()])
        assert (merged.table is part.table, merge_all([part.table]) is part.table) == (True, True)

    def test_no_part_gives_the_empty_table(self) -> None:
        """Merging nothing, or only empty parts, gives the empty counts."""
        assert (
            len(merge_all([])),
            PathCounts.merge([PathCounts(), PathCounts()]) == PathCounts(),
        ) == (0, True)

    def test_two_parts_add_up(self) -> None:
        """Two parts merge into every path of both, shared paths added."""
        a = PathCounts.from_tuples([(("x",), 1, 2, None), (("x", "y"), 3, 0, None)])
        b = PathCounts.from_tuples([(("x",), 4, 5, None), (("z",), 0, 6, None)])
        merged = PathCounts.merge([a, b])
        assert {"rows": merged.rows(), "channels": merged.channels} == {
            "rows": (
                PathRow(("x",), 5, 7, Decimal(0)),  # 1 + 4, 2 + 5
                PathRow(("x", "y"), 3, 0, Decimal(0)),
                PathRow(("z",), 0, 6, Decimal(0)),
            ),
            "channels": ("x", "y", "z"),
        }

    @pytest.mark.parametrize("parts", [2, 3])
    def test_values_of_different_precision_are_rescaled(self, parts: int) -> None:
        """Values in whole units and in tenths merge exactly: 2 becomes 20 tenths."""
        whole = PathCounts.from_tuples([(("w",), 1, 0, "2"), (("s",), 1, 0, "7")], currency="EUR")
        tenths = PathCounts.from_tuples(
            [(("t",), 1, 0, "1.5"), (("s",), 1, 0, "0.1")], currency="EUR"
        )
        items = [whole, tenths, PathCounts.from_tuples([(("u",), 0, 1, None)])][:parts]
        merged = PathCounts.merge(items)
        assert {
            "rows": merged.rows(),
            "exponent": merged.table.exponent,
            "total": merged.total_value,
        } == {
            "rows": (
                PathRow(("s",), 2, 0, Decimal("7.1")),  # 7 + 0.1
                PathRow(("t",), 1, 0, Decimal("1.5")),
                *([PathRow(("u",), 0, 1, Decimal(0))] if parts == 3 else []),
                PathRow(("w",), 1, 0, Decimal(2)),
            ),
            "exponent": -1,
            "total": Money.of("10.6", "EUR"),  # 2 + 7 + 1.5 + 0.1
        }

    def test_the_merged_columns_have_their_fresh_types(self) -> None:
        """The merged table's offsets are array('q'), like those of every other table."""
        a = PathCounts.from_tuples([(("x", "y"), 1, 0, None)])
        b = PathCounts.from_tuples([(("y",), 0, 1, None)])
        merged = PathCounts.merge([a, b]).table
        assert (_codes(merged), list(merged.offsets)) == (FRESH, [0, 2, 3])

    def test_many_parts_past_256_channels(self) -> None:
        """Parts of 200 channels each merge into two-byte ids; every path keeps its names."""
        names = [f"c{i:03d}" for i in range(400)]
        parts = [
            PathCounts.from_tuples(
                [(tuple(names[k * 200 : k * 200 + 200]), 1, 0, None), (("c000",), 0, 1, None)]
            )
            for k in range(2)
        ]
        merged = PathCounts.merge([*parts, parts[0]])
        assert (
            {
                "code": merged.table.tokens.typecode,
                "rows": merged.rows(),
                "same as +": merged == parts[0] + parts[1] + parts[0],
            }
            == {
                "code": "H",  # 400 names need more than a byte
                "rows": (
                    PathRow(("c000",), 0, 3, Decimal(0)),  # one null from each of three parts
                    PathRow(tuple(names[:200]), 2, 0, Decimal(0)),
                    PathRow(tuple(names[200:]), 1, 0, Decimal(0)),
                ),
                "same as +": True,
            }
        )


class TestMerge:
    def test_an_empty_side_gives_the_other_table(self) -> None:
        """a + PathCounts() and PathCounts() + a keep a's own table."""
        a = PathCounts.from_tuples([(("x",), 1, 0, None)])
        assert ((a + PathCounts()).table is a.table, (PathCounts() + a).table is a.table) == (
            True,
            True,
        )

    def test_the_merged_columns_have_their_fresh_types(self) -> None:
        """The table of a + b has array('q') offsets and counts, like a fresh one."""
        a = PathCounts.from_tuples([(("x", "y"), 1, 0, None)])
        b = PathCounts.from_tuples([(("y",), 0, 1, None), (("x", "y"), 2, 0, None)])
        merged = merge(a.table, b.table)
        assert (_codes(merged), list(merged.offsets), list(merged.items())) == (
            FRESH,
            [0, 1, 3],  # the larger side b first: y (1 touch), then x > y (2)
            [(("y",), (0, 1, Decimal(0))), (("x", "y"), (3, 0, Decimal(0)))],
        )
