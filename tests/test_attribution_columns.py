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

from salesmark import Money, ValidationError
from salesmark.attribution import PathCounts, PathRow
from salesmark.attribution._columns import Table, merge, merge_all


def _pickled(counts: PathCounts) -> dict[str, Any]:
    """The columns a PathCounts' table hands to pickle, by name."""
    restore, args = counts.table.__reduce__()
    assert restore.__name__ == "_restore"
    names = ("names", "tokens", "lengths", "conversions", "nulls", "units", "exponent")
    return dict(zip(names, args, strict=True))


def _typed(column: Any) -> tuple[str, list[Any]]:
    """A column as its array type code (or ``list``) and its items: arrays of other types differ."""
    code = column.typecode if isinstance(column, array) else type(column).__name__
    return code, list(column)


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
            "columns": {
                k: _typed(c) if k not in {"names", "exponent"} else c for k, c in columns.items()
            },
            "again": (again == PathCounts(), len(again), again.rows(), again.channels),
        } == {
            "columns": {
                "names": (),
                "tokens": ("B", []),
                "lengths": ("B", []),
                "conversions": ("B", []),
                "nulls": ("B", []),
                "units": ("B", []),
                "exponent": 0,
            },
            "again": (True, 0, (), ()),
        }

    def test_the_empty_table_has_one_offset(self) -> None:
        """The empty table, fresh or unpickled, has the single offset 0 and no other column."""
        fresh = PathCounts().table
        again = pickle.loads(pickle.dumps(PathCounts())).table
        assert [
            (_typed(t.offsets), _codes(t), len(t.tokens), len(t.units), t.exponent)
            for t in (fresh, again)
        ] == [(("q", [0]), FRESH, 0, 0, 0)] * 2

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
            "units": (_typed(counts.table.units), _typed(columns["units"])),
            "again": _typed(again.table.units),
            "rows": again.rows(),
            "total": again.total_value,
        } == {
            "units": (("list", [top, 0]), ("Q", [top, 0])),
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
        assert {
            "pickled": _typed(columns["units"]),
            "again": _typed(again.table.units),
            "rows": again.rows(),
        } == {
            "pickled": ("list", [top]),
            "again": ("list", [top]),
            "rows": (PathRow(("a",), 1, 0, Decimal(top)),),
        }

    def test_fractional_counts_pickle_as_fractions(self) -> None:
        """A column of fractions is pickled as it is, and the whole column beside it narrowed."""
        counts = PathCounts.from_tuples([(("a",), 0.5, 3, None), (("b",), 2, 0, None)])
        columns = _pickled(counts)
        again = pickle.loads(pickle.dumps(counts))
        assert {
            "conversions": _typed(columns["conversions"]),
            "nulls": _typed(columns["nulls"]),
            "again": (_typed(again.table.conversions), _codes(again.table)["nulls"], again.rows()),
        } == {
            "conversions": ("list", [Fraction(1, 2), Fraction(2)]),
            "nulls": ("B", [3, 0]),
            "again": (("list", [Fraction(1, 2), Fraction(2)]), "q", counts.rows()),
        }

    def test_values_with_decimals_pickle_their_units_and_exponent(self) -> None:
        """Values 4.50 and 300 are kept as 450 and 30000 hundredths; they come back exact."""
        counts = PathCounts.from_tuples(
            [(("a",), 1, 0, "4.50"), (("b",), 1, 0, "300")], currency="EUR"
        )
        columns = _pickled(counts)
        again = pickle.loads(pickle.dumps(counts))
        assert {
            "units": _typed(columns["units"]),
            "exponent": columns["exponent"],
            "again": (again.table.exponent, again.total_value, again.rows()),
        } == {
            "units": ("H", [450, 30000]),  # 30000 > 255: two bytes each
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


def _wide(n: int) -> PathCounts:
    """One converting path through ``n`` distinct channels (c00000, c00001, ...)."""
    return PathCounts.from_tuples([(tuple(f"c{i:05d}" for i in range(n)), 1, 0, None)])


class TestTokenTypes:
    @pytest.mark.parametrize(
        ("channels", "code"),
        [(1, "B"), (256, "B"), (257, "H"), (65536, "H"), (65537, "I")],
    )
    def test_channel_ids_take_the_smallest_unsigned_type(self, channels: int, code: str) -> None:
        """Ids 0..n-1 fit a byte up to 256 channels, two bytes up to 65536, else four."""
        counts = _wide(channels)
        again = pickle.loads(pickle.dumps(counts))
        assert {
            "code": counts.table.tokens.typecode,
            "last id": counts.table.tokens[-1],
            "path": counts.rows()[0].path[-1],
            "again": (again.table.tokens.typecode, again.rows() == counts.rows()),
        } == {
            "code": code,
            "last id": channels - 1,
            "path": f"c{channels - 1:05d}",
            "again": (code, True),
        }

    @pytest.mark.parametrize(("extra", "code"), [(0, "B"), (1, "H")])
    def test_a_merge_that_reaches_257_channels_widens_the_ids(self, extra: int, code: str) -> None:
        """256 channels plus 0 or 1 new one merge into byte or two-byte ids, paths intact."""
        big = _wide(256)
        names = ["c00000", *(["d"] if extra else [])]
        small = PathCounts.from_tuples([(tuple(names), 2, 3, None), (("c00255",), 0, 1, None)])
        for merged in (big + small, small + big, PathCounts.merge([big, small])):
            assert {
                "code": merged.table.tokens.typecode,
                "channels": len(merged.channels),
                "rows": [(r.path[-1], len(r.path), r.conversions, r.nulls) for r in merged],
            } == {
                "code": code,
                "channels": 256 + extra,
                "rows": [
                    # c00000 alone sorts before c00000 > c00001 > ...; c00000 > d after it
                    *([] if extra else [("c00000", 1, 2, 3)]),
                    ("c00255", 256, 1, 0),
                    *([("d", 2, 2, 3)] if extra else []),
                    ("c00255", 1, 0, 1),
                ],
            }

    def test_new_channels_that_sort_first_renumber_the_ids(self) -> None:
        """Merging in a channel that sorts before the others shifts every id by one."""
        left = PathCounts.from_tuples([(("m", "z"), 1, 0, None), (("z",), 0, 2, None)])
        right = PathCounts.from_tuples([(("a", "z"), 3, 0, None)])
        merged = left + right
        assert {
            "names": merged.table.names,
            "tokens": list(merged.table.tokens),
            "rows": merged.rows(),
        } == {
            "names": ("a", "m", "z"),
            "tokens": [1, 2, 2, 0, 2],  # m z | z | a z, with a = 0, m = 1, z = 2
            "rows": (
                PathRow(("a", "z"), 3, 0, Decimal(0)),
                PathRow(("m", "z"), 1, 0, Decimal(0)),
                PathRow(("z",), 0, 2, Decimal(0)),
            ),
        }


MAX_TOTAL = (
    r"^PathCounts can hold at most 9,007,199,254,740,992 journeys \(conversions plus nulls\) "
    r"in all, got 9\.0072e\+15$"
)


class TestBounds:
    def test_2_to_53_journeys_in_all_are_held(self) -> None:
        """Conversions plus nulls may add up to exactly 2**53, built, added or merged."""
        half = 2**52
        built = PathCounts.from_tuples([(("a",), half, 0, None), (("b",), 0, half, None)])
        a = PathCounts.from_tuples([(("a",), half, 0, None)])
        b = PathCounts.from_tuples([(("a",), 0, half - 1, None)])
        c = PathCounts.from_tuples([(("c",), 0, 1, None)])
        assert (
            built.total_conversions + built.total_nulls,
            (a + b + c).total_nulls,
            PathCounts.merge([a, b, c]).total_nulls,
        ) == (2**53, 2**52, 2**52)  # 2**52 - 1 + 1 nulls next to 2**52 conversions

    def test_one_journey_more_is_refused_when_built(self) -> None:
        """2**52 conversions and 2**52 + 1 nulls are refused with the bound and the total."""
        with pytest.raises(ValidationError, match=MAX_TOTAL):
            PathCounts.from_tuples([(("a",), 2**52, 0, None), (("b",), 0, 2**52 + 1, None)])

    def test_one_journey_more_is_refused_when_added(self) -> None:
        """a + b past 2**53 in all is refused, on a shared path as on a new one."""
        a = PathCounts.from_tuples([(("a",), 2**52, 0, None)])
        for b in (
            PathCounts.from_tuples([(("a",), 0, 2**52 + 1, None)]),
            PathCounts.from_tuples([(("b",), 2**52 + 1, 0, None)]),
        ):
            with pytest.raises(ValidationError, match=MAX_TOTAL):
                a + b  # the addition raises

    def test_one_journey_more_is_refused_when_merged(self) -> None:
        """PathCounts.merge of three parts past 2**53 in all is refused."""
        a = PathCounts.from_tuples([(("a",), 2**52, 0, None)])
        b = PathCounts.from_tuples([(("a",), 0, 2**52, None)])
        c = PathCounts.from_tuples([(("c",), 1, 0, None)])
        with pytest.raises(ValidationError, match=MAX_TOTAL):
            PathCounts.merge([a, b, c])

    def test_a_value_above_the_bound_is_refused(self) -> None:
        """A value of 2 * 10**30 is refused, naming the bound as a number."""
        with pytest.raises(
            ValidationError,
            match=r"^rows\[0\]\.value must be at most 999(,999){9}, got 2E\+30$",
        ):
            PathCounts.from_tuples([(("a",), 1, 0, Decimal("2E+30"))], currency="EUR")

    def test_a_value_with_19_decimal_places_is_refused(self) -> None:
        """10**-19 has one place too many."""
        with pytest.raises(
            ValidationError,
            match=r"^rows\[0\]\.value must have at most 18 decimal places, got 1E-19$",
        ):
            PathCounts.from_tuples([(("a",), 1, 0, Decimal("1E-19"))], currency="EUR")

    def test_18_decimal_places_are_held_exactly(self) -> None:
        """10**-18 is held as one unit of 10**-18, and 1 next to it as 10**18 units."""
        counts = PathCounts.from_tuples(
            [(("a",), 1, 0, Decimal("1E-18")), (("b",), 1, 0, Decimal(1))], currency="EUR"
        )
        assert (counts.table.exponent, list(counts.table.units), counts.total_value) == (
            -18,
            [1, 10**18],
            Money.of("1.000000000000000001", "EUR"),
        )

    def test_trailing_zeros_past_18_places_are_dropped(self) -> None:
        """1.000...0 with 21 places has no digit past 18, so it is held in units of 10**-18."""
        value = Decimal("1." + "0" * 21)
        counts = PathCounts.from_tuples([(("a",), 1, 0, value)], currency="EUR")
        assert (counts.table.exponent, list(counts.table.units), counts.rows()[0].value) == (
            -18,
            [10**18],
            Decimal(1),
        )

    def test_a_value_in_thousands_is_held_in_whole_units(self) -> None:
        """1E+3 is held as 1000 units of 1 (the exponent is never above 0)."""
        counts = PathCounts.from_tuples([(("a",), 1, 0, Decimal("1E+3"))], currency="EUR")
        assert (counts.table.exponent, list(counts.table.units), counts.rows()[0].value) == (
            0,
            [1000],
            Decimal(1000),
        )


class TestRowsAndTotals:
    def test_rows_without_counts_or_value_are_dropped(self) -> None:
        """An all-zero row is dropped with its channel; a row with only a value is kept."""
        counts = PathCounts.from_tuples(
            [(("a",), 0, 0, None), (("b",), 0, 0, "5"), (("c",), 1, 0, None)], currency="EUR"
        )
        assert (counts.rows(), counts.channels, list(counts.table.tokens)) == (
            (PathRow(("b",), 0, 0, Decimal(5)), PathRow(("c",), 1, 0, Decimal(0))),
            ("b", "c"),
            [0, 1],
        )

    def test_only_zero_rows_give_the_empty_counts(self) -> None:
        """Rows that all have zero counts and no value leave nothing."""
        counts = PathCounts.from_tuples([(("a",), 0, 0, None), (("b",), 0, 0, 0)], currency="EUR")
        assert (len(counts), counts.channels, counts == PathCounts(currency="EUR")) == (0, (), True)

    def test_float_columns(self) -> None:
        """Conversions and values read as floats: 4.50 and 300 from 450 and 30000 hundredths."""
        table = PathCounts.from_tuples(
            [(("a",), 3, 0, "4.50"), (("b",), 0.5, 1, "300")], currency="EUR"
        ).table
        assert (
            table.float_conversions(),
            table.float_values(),
            PathCounts().table.float_values(),
        ) == (
            [3.0, 0.5],
            [4.5, 300.0],
            [],
        )

    def test_totals(self) -> None:
        """Totals are exact: 3 + 0.5 conversions, 0 + 1 nulls, 4.50 + 300 = 304.50."""
        counts = PathCounts.from_tuples(
            [(("a",), 3, 0, "4.50"), (("b",), 0.5, 1, "300")], currency="EUR"
        )
        table = counts.table
        assert (
            counts.total_conversions,
            counts.total_nulls,
            table.total_units(),
            counts.total_value,
        ) == (3.5, 1, 30450, Money.of("304.50", "EUR"))

    def test_values_of_both_sides_are_rescaled_when_added(self) -> None:
        """2 on one side and 1.5 on the other add to 3.5 on a shared path, in tenths."""
        a = PathCounts.from_tuples([(("x",), 1, 0, "2"), (("y",), 1, 0, "4")], currency="EUR")
        b = PathCounts.from_tuples([(("x",), 1, 0, "1.5")], currency="EUR")
        for merged in (a + b, b + a):
            assert (merged.rows(), merged.table.exponent, list(merged.table.units)) == (
                (PathRow(("x",), 2, 0, Decimal("3.5")), PathRow(("y",), 1, 0, Decimal(4))),
                -1,
                [35, 40],  # a is the larger side: x = 20 + 15 tenths, y = 40 tenths
            )


class TestExactness:
    def test_thirty_significant_digits_are_held_exactly(self) -> None:
        """A value of 30 significant digits (more than the default 28) keeps every digit."""
        value = Decimal("123456789012.123456789012345678")  # 12 digits + 18 places
        counts = PathCounts.from_tuples([(("a",), 1, 0, value)], currency="EUR")
        again = pickle.loads(pickle.dumps(counts))
        assert (list(counts.table.units), str(counts.rows()[0].value), again.rows()) == (
            [123456789012123456789012345678],
            "123456789012.123456789012345678",
            counts.rows(),
        )

    def test_19_places_among_32_digits_are_refused(self) -> None:
        """The places are counted on the exact value, not one rounded to 28 digits."""
        value = "1234567890123.1234567890123456789"  # 13 digits + 19 places
        with pytest.raises(
            ValidationError,
            match=rf"^rows\[0\]\.value must have at most 18 decimal places, got {value}$",
        ):
            PathCounts.from_tuples([(("a",), 1, 0, Decimal(value))], currency="EUR")

    def test_a_value_of_exactly_the_bound_is_held(self) -> None:
        """A row may carry exactly MAX_VALUE (10**30 - 1): the bound is inclusive, and Money holds it."""
        top = 10**30 - 1
        counts = PathCounts.from_tuples([(("a",), 1, 0, Decimal(top))], currency="EUR")
        assert (counts.rows()[0].value, list(counts.table.units), counts.total_value) == (
            Decimal(top),
            [top],
            Money.of(top, "EUR"),
        )

    def test_values_of_all_paths_together_are_bounded(self) -> None:
        """Two paths of 6 * 10**29 each add past the bound: refused, naming the total."""
        rows = [(("a",), 1, 0, Decimal(6 * 10**29)), (("b",), 1, 0, Decimal(6 * 10**29))]
        with pytest.raises(
            ValidationError,
            match=r"^PathCounts can hold a value of at most 999(,999){9} in all, got 12(0){29}$",
        ):
            PathCounts.from_tuples(rows, currency="EUR")
        half = PathCounts.from_tuples(rows[:1], currency="EUR")
        with pytest.raises(ValidationError, match=r"^PathCounts can hold a value of at most "):
            half + PathCounts.from_tuples(rows[1:], currency="EUR")
        with pytest.raises(ValidationError, match=r"^PathCounts can hold a value of at most "):
            PathCounts.merge([half, half, half])

    def test_zero_values_read_as_plain_zero(self) -> None:
        """A path without value reads as Decimal 0 (not 0E-2) next to a value in cents."""
        counts = PathCounts.from_tuples(
            [(("a",), 1, 0, "4.50"), (("b",), 1, 0, None)], currency="EUR"
        )
        assert [str(row.value) for row in counts] == ["4.50", "0"]

    def test_whole_fractions_read_as_ints(self) -> None:
        """In a fractional column, 3/2 reads as the float 1.5 and 2/1 as the int 2."""
        counts = PathCounts.from_tuples([(("a",), 1.5, 0, None), (("b",), 2, 1, None)])
        assert [(row.conversions, type(row.conversions)) for row in counts] + [
            (counts.total_conversions, type(counts.total_conversions))
        ] == [(1.5, float), (2, int), (3.5, float)]

    def test_canonical_keeps_big_value_units_exact(self) -> None:
        """canonical() reorders value units past 2**63 as exact ints."""
        table = Table.build(
            [("b",), ("a",)], [1, 1], [0, 0], [Decimal(2**70), Decimal(1)]
        ).canonical()
        assert (table.units, list(table.items())) == (
            [1, 2**70],
            [(("a",), (1, 0, Decimal(1))), (("b",), (1, 0, Decimal(2**70)))],
        )


class TestStorageOrder:
    def test_a_sum_of_equal_sizes_lists_the_left_paths_first(self) -> None:
        """counts.paths of a + b reads a's paths, then b's new ones, when both have as many."""
        a = PathCounts.from_tuples([(("x",), 1, 0, None)])
        b = PathCounts.from_tuples([(("w",), 1, 0, None)])
        assert (list((a + b).paths), list((b + a).paths)) == ([("x",), ("w",)], [("w",), ("x",)])

    def test_a_sum_lists_the_larger_side_first(self) -> None:
        """counts.paths of a + b starts with the paths of the side with more paths."""
        a = PathCounts.from_tuples([(("x",), 1, 0, None)])
        b = PathCounts.from_tuples([(("w",), 1, 0, None), (("v",), 0, 1, None)])
        assert list((a + b).paths) == [("w",), ("v",), ("x",)]

    def test_a_merge_lists_paths_as_first_seen(self) -> None:
        """PathCounts.merge reads the paths of each part in turn, each path once."""
        a = PathCounts.from_tuples([(("x",), 1, 0, None)])
        b = PathCounts.from_tuples([(("w",), 1, 0, None), (("x",), 0, 1, None)])
        c = PathCounts.from_tuples([(("v",), 1, 0, None)])
        merged = PathCounts.merge([a, b, c])
        assert (list(merged.paths), merged.paths[("x",)]) == (
            [("x",), ("w",), ("v",)],
            (1, 1, Decimal(0)),
        )


class TestSharedPaths:
    def test_a_shared_path_adds_every_column(self) -> None:
        """x in both a and b adds conversions 1 + 4, nulls 2 + 5 and values 3 + 6, either way."""
        a = PathCounts.from_tuples([(("x",), 1, 2, "3"), (("y",), 1, 1, "1")], currency="EUR")
        b = PathCounts.from_tuples([(("x",), 4, 5, "6")], currency="EUR")
        expected = (PathRow(("x",), 5, 7, Decimal(9)), PathRow(("y",), 1, 1, Decimal(1)))
        assert [(a + b).rows(), (b + a).rows(), PathCounts.merge([b, a]).rows()] == [expected] * 3

    def test_whole_units_on_the_smaller_side_are_rescaled(self) -> None:
        """The larger side in tenths plus 2 whole units on the smaller: 1.5 + 2 = 3.5."""
        tenths = PathCounts.from_tuples(
            [(("x",), 1, 0, "1.5"), (("y",), 1, 0, "0.5")], currency="EUR"
        )
        whole = PathCounts.from_tuples([(("x",), 1, 0, "2")], currency="EUR")
        for merged in (tenths + whole, whole + tenths):
            assert (merged.rows(), list(merged.table.units)) == (
                (PathRow(("x",), 2, 0, Decimal("3.5")), PathRow(("y",), 1, 0, Decimal("0.5"))),
                [35, 5],  # tenths: 15 + 20, 5
            )

    def test_a_new_path_from_the_smaller_side_is_rescaled(self) -> None:
        """A path only on the smaller, whole-unit side comes in as tenths: 2 is 20 tenths."""
        tenths = PathCounts.from_tuples(
            [(("x",), 1, 0, "1.5"), (("y",), 1, 0, "0.5")], currency="EUR"
        )
        whole = PathCounts.from_tuples([(("z",), 1, 3, "2")], currency="EUR")
        merged = whole + tenths
        assert (list(merged.paths), list(merged.table.units), merged.rows()[2]) == (
            [("x",), ("y",), ("z",)],
            [15, 5, 20],
            PathRow(("z",), 1, 3, Decimal(2)),
        )


class TestFreshTables:
    def test_built_columns_are_signed_64_bit(self) -> None:
        """A table built from rows has 'q' offsets, counts and units; without values, exponent 0."""
        plain = PathCounts.from_tuples([(("a", "b"), 1, 2, None), (("b",), 0, 1, None)]).table
        valued = PathCounts.from_tuples([(("a",), 1, 0, "2.5")], currency="EUR").table
        assert [
            (_codes(t), list(t.offsets), list(t.units), t.exponent) for t in (plain, valued)
        ] == [
            (FRESH, [0, 2, 3], [0, 0], 0),
            (FRESH, [0, 1], [25], -1),
        ]

    def test_columns_of_different_lengths_are_refused(self) -> None:
        """Table.build refuses more conversions than nulls rather than dropping a row."""
        with pytest.raises(ValueError, match=r"^zip\(\) argument 2 is shorter than argument 1$"):
            Table.build([("a",), ("b",)], [1, 2], [0], None)

    def test_a_derived_value_is_made_once(self) -> None:
        """derived() calls make() once per key and table, then hands back what it made."""
        table = _unsorted()
        calls: list[str] = []

        def make(key: str) -> Any:
            calls.append(key)
            return [key]

        first = table.derived("x", lambda: make("x"))
        again = table.derived("x", lambda: make("again"))
        other = table.derived("y", lambda: make("y"))
        assert (first is again, first, other, calls) == (True, ["x"], ["y"], ["x", "y"])

    def test_several_new_paths_from_the_smaller_side(self) -> None:
        """New paths after the first on the smaller side keep their own touches and lengths."""
        big = PathCounts.from_tuples(
            [(("x",), 1, 0, None), (("y",), 0, 1, None), (("z",), 1, 1, None), (("w",), 1, 0, None)]
        )
        small = PathCounts.from_tuples(
            [(("p", "q", "r"), 2, 0, None), (("x",), 1, 0, None), (("s",), 0, 3, None)]
        )
        for merged in (big + small, small + big):
            assert (
                list(merged.paths),
                list(merged.table.offsets),
                len(merged.table.tokens),
                merged.paths[("s",)],
            ) == (
                [("x",), ("y",), ("z",), ("w",), ("p", "q", "r"), ("s",)],
                [0, 1, 2, 3, 4, 7, 8],  # lengths 1, 1, 1, 1, 3, 1
                8,
                (0, 3, Decimal(0)),
            )
