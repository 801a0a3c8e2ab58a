"""Tests for salesmark.attribution.paths: PathCounts and PathRow."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import CurrencyMismatch, Money, ValidationError, WrongType
from salesmark.attribution import Journey, PathCounts, PathRow
from salesmark.testing.strategies import path_counts, path_rows
from strategies import counts_of


class TestPathRow:
    def test_fields(self) -> None:
        """A PathRow unpacks to path, conversions, nulls, value."""
        assert (("a",), 1, 2, Decimal(3)) == tuple(PathRow(("a",), 1, 2, Decimal(3)))


class TestPathCounts:
    def test_empty(self) -> None:
        """The empty PathCounts has no paths and zero totals."""
        empty = PathCounts()
        assert {"paths": 0, "conversions": 0, "nulls": 0, "value": None} == {
            "paths": len(empty),
            "conversions": empty.total_conversions,
            "nulls": empty.total_nulls,
            "value": empty.total_value,
        }

    def test_from_tuples_adds_repeated_paths(self) -> None:
        """Repeated paths add up their counts and values."""
        counts = PathCounts.from_tuples(
            [(("a", "b"), 1, 2, "10.50"), (["a", "b"], 2, 0, Decimal("4.50"))], currency="EUR"
        )
        assert (PathRow(("a", "b"), 3, 2, Decimal("15.00")),) == counts.rows()

    def test_from_tuples_reads_money(self) -> None:
        """Money values set the currency."""
        counts = PathCounts.from_tuples([(("a",), 1, 0, Money.of("2", "USD"))])
        assert Money.of("2", "USD") == counts.total_value

    def test_from_journeys(self) -> None:
        """Journeys are counted as conversions or nulls, values summed."""
        counts = PathCounts.from_journeys(
            [
                Journey.of("a", "b", converted=True, value=Money.of(5, "EUR")),
                Journey.of("a", "b"),
                Journey.of("b", converted=True),
            ]
        )
        expected = (PathRow(("a", "b"), 1, 1, Decimal(5)), PathRow(("b",), 1, 0, Decimal(0)))
        assert expected == counts.rows()

    def test_from_records_channelattribution_format(self) -> None:
        """Rows in ChannelAttribution's format are split on ' > ' and stripped."""
        rows = [
            {
                "path": "eta > iota>alpha",
                "total_conversions": 2,
                "total_null": 1,
                "total_conversion_value": 10.25,
            },
            {
                "path": "alpha",
                "total_conversions": 0,
                "total_null": 3,
                "total_conversion_value": 0.0,
            },
        ]
        counts = PathCounts.from_records(rows, sep=">", currency="EUR")
        expected = (
            PathRow(("alpha",), 0, 3, Decimal(0)),
            PathRow(("eta", "iota", "alpha"), 2, 1, Decimal("10.25")),
        )
        assert expected == counts.rows()

    @given(
        st.lists(
            st.tuples(
                st.lists(
                    st.sampled_from(["search", "email", "social", "direct"]), min_size=1, max_size=4
                ),
                st.integers(0, 3),
                st.integers(0, 3),
                st.none() | st.sampled_from([0.0, 0.5, 12.25, 99.99]) | st.integers(0, 50),
            ),
            max_size=12,
        ),
        st.data(),
    )
    def test_from_records_any_spacing_and_order_gives_the_same_counts(
        self, raw: list[tuple[list[str], int, int, float | int | None]], data: st.DataObject
    ) -> None:
        """Tidy rows (read column by column) and untidy ones (read row by row) agree.

        Paths written as ``a > b`` take the fast route; the same paths with stray
        spaces (``a  >b ``) take the careful one. Both give the same totals as the
        tuples they stand for, repeated paths added up and all-zero rows dropped.
        """
        tidy = [
            {
                "path": " > ".join(p),
                "total_conversions": c,
                "total_null": n,
                "total_conversion_value": v,
            }
            for p, c, n, v in raw
        ]
        untidy = [
            {**row, "path": data.draw(st.sampled_from([">", " >", "  > "])).join(p) + " "}
            for row, (p, *_rest) in zip(tidy, raw, strict=True)
        ]
        expected = PathCounts.from_tuples(
            [(tuple(p), c, n, None if v is None else Decimal(repr(v)) if isinstance(v, float) else v)
             for p, c, n, v in raw],
            currency="EUR",
        )  # fmt: skip
        assert expected == PathCounts.from_records(tidy, currency="EUR")
        assert expected == PathCounts.from_records(untidy, currency="EUR")
        assert expected == PathCounts.from_records(iter(tidy), currency="EUR")

    def test_from_records_names_the_first_bad_row(self) -> None:
        """Whichever route reads them, an error names the first bad row and its column."""
        rows = [
            {"path": "a > b", "total_conversions": 1},
            {"path": "a", "total_conversions": 1, "total_conversion_value": "x"},
            {"path": "b", "total_conversions": -1},
        ]
        with pytest.raises(ValidationError, match=r"rows\[1\]\['total_conversion_value'\]"):
            PathCounts.from_records(rows, currency="EUR")
        with pytest.raises(ValidationError, match=r"rows\[1\]\['total_conversions'\]"):
            PathCounts.from_records([rows[0], rows[2]], currency="EUR")

    def test_from_records_custom_columns(self) -> None:
        """Column names are parameters; a missing nulls column counts as zero."""
        counts = PathCounts.from_records(
            [{"p": "a | b", "conv": 1.5}], path="p", conversions="conv", value=None, sep=" | "
        )
        assert (PathRow(("a", "b"), 1.5, 0, Decimal(0)),) == counts.rows()

    def test_from_records_missing_column(self) -> None:
        """A missing path column is named in the error."""
        with pytest.raises(ValidationError, match="'path'"):
            PathCounts.from_records([{"route": "a"}])

    def test_from_records_empty_channel(self) -> None:
        """An empty channel name in a path string is refused."""
        with pytest.raises(ValidationError, match="non-empty"):
            PathCounts.from_records([{"path": "a >  > b", "total_conversions": 1}], value=None)

    def test_from_records_value_needs_currency(self) -> None:
        """A value without a currency is refused with a hint."""
        with pytest.raises(ValidationError, match="currency="):
            PathCounts.from_records(
                [{"path": "a", "total_conversions": 1, "total_conversion_value": 5.0}]
            )

    @pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), "3", True])
    def test_bad_counts_are_refused(self, bad: object) -> None:
        """Negative, non-finite and non-numeric counts are refused."""
        with pytest.raises(ValidationError, match="conversions"):
            PathCounts.from_tuples([(("a",), bad, 0, None)])  # type: ignore[list-item]

    def test_negative_value_is_refused(self) -> None:
        """A negative value is refused."""
        with pytest.raises(ValidationError, match="value"):
            PathCounts.from_tuples([(("a",), 1, 0, "-5")], currency="EUR")

    def test_empty_path_is_refused(self) -> None:
        """An empty path is refused."""
        with pytest.raises(ValidationError, match="empty path"):
            PathCounts.from_tuples([((), 1, 0, None)])

    def test_mixed_currencies_are_refused(self) -> None:
        """Values in two currencies are refused."""
        with pytest.raises(CurrencyMismatch):
            PathCounts.from_tuples(
                [(("a",), 1, 0, Money.of(1, "EUR")), (("b",), 1, 0, Money.of(1, "USD"))]
            )

    def test_merging_mixed_currencies_is_refused(self) -> None:
        """Merging counts in two currencies is refused."""
        eur = PathCounts.from_tuples([(("a",), 1, 0, "1")], currency="EUR")
        usd = PathCounts.from_tuples([(("a",), 1, 0, "1")], currency="USD")
        with pytest.raises(CurrencyMismatch):
            eur + usd

    def test_constructor_validates(self) -> None:
        """The plain constructor checks its paths too."""
        with pytest.raises(ValidationError, match="nulls"):
            PathCounts(paths={("a",): (1, -1, Decimal(0))})

    def test_repr(self) -> None:
        """The repr is one readable line."""
        counts = PathCounts.from_tuples([(("a",), 2, 3, "7.5")], currency="EUR")
        assert "PathCounts(1 paths, 2 conversions, 3 nulls, value 7.5 EUR)" == repr(counts)

    def test_channels(self) -> None:
        """channels lists every channel once, sorted."""
        counts = PathCounts.from_tuples([(("c", "a"), 0, 1, None), (("b", "a"), 1, 0, None)])
        assert ("a", "b", "c") == counts.channels

    @settings(max_examples=20, deadline=None)
    @given(path_counts())
    def test_empty_is_identity(self, counts: PathCounts) -> None:
        """PathCounts() is the identity of the merge, on both sides."""
        assert counts == counts + PathCounts() == PathCounts() + counts

    @settings(max_examples=20, deadline=None)
    @given(path_counts(), path_counts())
    def test_merge_is_commutative(self, a: PathCounts, b: PathCounts) -> None:
        """a + b == b + a."""
        assert a + b == b + a

    @settings(max_examples=20, deadline=None)
    @given(path_counts(), path_counts(), path_counts())
    def test_merge_is_associative(self, a: PathCounts, b: PathCounts, c: PathCounts) -> None:
        """(a + b) + c == a + (b + c)."""
        assert (a + b) + c == a + (b + c)

    @settings(max_examples=20, deadline=None)
    @given(path_rows(), path_rows())
    def test_merge_equals_counting_the_whole(self, left: list, right: list) -> None:  # type: ignore[type-arg]
        """Counting two parts and merging equals counting everything at once."""
        assert counts_of(left + right) == counts_of(left) + counts_of(right)

    @settings(max_examples=20, deadline=None)
    @given(st.lists(path_counts(), min_size=1, max_size=4))
    def test_sum_works(self, parts: list[PathCounts]) -> None:
        """sum(parts) and sum(parts, PathCounts()) agree."""
        assert sum(parts, PathCounts()) == sum(parts)


class TestPathCountsRobustness:
    @pytest.mark.parametrize("bad", [10**400, 2**53 + 1, 1e308, float(2**60)])
    def test_counts_are_bounded(self, bad: float) -> None:
        """A count above MAX_COUNT (2**53), as 10**400 or 1e308, is refused with a clear error."""
        with pytest.raises(ValidationError, match=r"at most 2\*\*53"):
            PathCounts.from_tuples([(("a",), bad, 0, None)])

    def test_total_journeys_are_bounded(self) -> None:
        """Counts that add up past MAX_COUNT are refused, even when each is within it."""
        half = PathCounts.from_tuples([(("a",), 2**52, 2**52, None)])
        with pytest.raises(ValidationError, match="at most"):
            half + half

    @pytest.mark.parametrize("rows", [None, 5, "a > b", {"a": 1}])
    def test_from_tuples_wrong_type(self, rows: object) -> None:
        """PathCounts.from_tuples(None) and other non-rows raise WrongType naming the argument."""
        with pytest.raises(WrongType, match="from_tuples rows"):
            PathCounts.from_tuples(rows)  # type: ignore[arg-type]

    def test_from_records_and_journeys_wrong_type(self) -> None:
        """from_records(None) and from_journeys(None) raise WrongType naming the argument."""
        with pytest.raises(WrongType, match="from_records rows"):
            PathCounts.from_records(None)  # type: ignore[arg-type]
        with pytest.raises(WrongType, match="from_journeys journeys"):
            PathCounts.from_journeys(None)  # type: ignore[arg-type]

    def test_value_sums_are_exact_and_associative(self) -> None:
        """Values add exactly, at any number of digits: (A + B) + B == A + (B + B)."""
        a = PathCounts.from_tuples([(("a",), 1, 0, "1111111111111111111111111111")], currency="EUR")
        b = PathCounts.from_tuples([(("a",), 1, 0, "0.4")], currency="EUR")
        assert (a + b) + b == a + (b + b)
        assert Money(Decimal("1111111111111111111111111111.8"), "EUR") == ((a + b) + b).total_value

    def test_values_are_bounded(self) -> None:
        """A value above MAX_VALUE, or with more than MAX_DECIMALS places, is refused."""
        with pytest.raises(ValidationError, match="at most"):
            PathCounts.from_tuples([(("a",), 1, 0, "1e31")], currency="EUR")
        with pytest.raises(ValidationError, match="decimal places"):
            PathCounts.from_tuples([(("a",), 1, 0, "1e-19")], currency="EUR")

    def test_paths_cannot_be_changed(self) -> None:
        """PathCounts.paths is read-only: writing to it raises instead of corrupting totals."""
        counts = PathCounts.from_tuples([(("a",), 1, 0, None)])
        with pytest.raises(TypeError):
            counts.paths[("a",)] = (-7, float("nan"), 0)  # type: ignore[index]
        assert 1 == counts.total_conversions

    def test_fractional_counts_are_exact(self) -> None:
        """Sampled (fractional) counts add exactly, so merges stay associative."""
        parts = [PathCounts.from_tuples([(("a",), w, 0, None)]) for w in (0.1, 0.2, 0.3)]
        assert (parts[0] + parts[1]) + parts[2] == parts[0] + (parts[1] + parts[2])
        assert 0.6 == (parts[0] + parts[1] + parts[2]).total_conversions

    def test_columns_in(self) -> None:
        """from_records reads a mapping of columns as it reads rows."""
        columns = {"path": ["a > b", "b"], "total_conversions": [1, 0], "total_null": [0, 2]}
        rows = [
            {"path": "a > b", "total_conversions": 1, "total_null": 0},
            {"path": "b", "total_conversions": 0, "total_null": 2},
        ]
        assert PathCounts.from_records(rows, value=None) == PathCounts.from_records(
            columns, value=None
        )

    def test_columns_of_different_lengths(self) -> None:
        """Columns of different lengths are refused, naming the lengths."""
        with pytest.raises(ValidationError, match=r"one length, got \[1, 2\]"):
            PathCounts.from_records(
                {"path": ["a"], "total_conversions": [1, 2]}, nulls=None, value=None
            )

    def test_pickle_round_trip(self) -> None:
        """PathCounts pickles by its columns and comes back equal."""
        counts = PathCounts.from_tuples(
            [(("a", "b"), 1, 2, "3.5"), (("b",), 0, 1, None)], currency="EUR"
        )
        assert counts == pickle.loads(pickle.dumps(counts))


ROWS = [
    {"path": "search > email", "total_conversions": 2, "total_null": 1, "total_conversion_value": 120.5},
    {"path": "email", "total_conversions": 0, "total_null": 4, "total_conversion_value": 0.0},
    {"path": "search", "total_conversions": 1, "total_null": 0, "total_conversion_value": 30.25},
]  # fmt: skip
"""ChannelAttribution's example format: path strings with their totals."""


class TestFromRecordsOfTables:
    @pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_a_table_reads_as_its_rows(self, library: str, engine: str) -> None:
        """A pandas, polars or pyarrow table gives the same counts as its dict rows."""
        import narwhals as nw

        columns = {k: [r[k] for r in ROWS] for k in ROWS[0]}
        table = nw.from_dict(columns, backend=library).to_native()
        expected = PathCounts.from_records(ROWS, currency="EUR")
        assert expected == PathCounts.from_records(table, currency="EUR", engine=engine)  # type: ignore[arg-type]

    def test_gaps_are_zero(self) -> None:
        """A NaN or None in the nulls or value column counts as zero; numpy integers read as ints."""
        import pandas as pd

        frame = pd.DataFrame(ROWS)
        frame.loc[1, "total_null"] = None
        frame.loc[0, "total_conversion_value"] = float("nan")
        counts = PathCounts.from_records(frame, currency="EUR")
        assert {"nulls": 1, "value": Money.of("30.25", "EUR")} == {
            "nulls": counts.total_nulls,
            "value": counts.total_value,
        }

    def test_a_table_without_a_path_column(self) -> None:
        """A table without the path column is refused; the message lists its columns."""
        import polars as pl

        with pytest.raises(
            ValidationError,
            match=r"^PathCounts\.from_records rows has no 'path' column; it has \['route'\]$",
        ):
            PathCounts.from_records(pl.DataFrame({"route": ["a"]}))

    def test_a_table_without_nulls_or_values(self) -> None:
        """A table of paths and conversions alone has no nulls and no value."""
        import pandas as pd

        frame = pd.DataFrame({"path": ["a > b", "b"], "total_conversions": [1, 2]})
        counts = PathCounts.from_records(frame)
        assert (PathRow(("a", "b"), 1, 0, Decimal(0)), PathRow(("b",), 2, 0, Decimal(0))) == (
            counts.rows()
        )

    def test_the_engine_asked_for_splits_the_paths(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """engine="numpy" splits the path strings with numpy, engine="python" without it."""
        fast = pytest.importorskip("salesmark.attribution._numpy_reader")
        calls: list[int] = []
        real = fast.split_paths

        def spy(*args: Any) -> Any:
            calls.append(1)
            return real(*args)

        monkeypatch.setattr(fast, "split_paths", spy)
        used: dict[str, bool] = {}
        for engine in ("python", "numpy"):
            PathCounts.from_records({"path": ["a > b"], "total_conversions": [1]}, engine=engine)  # type: ignore[arg-type]
            used[engine] = bool(calls)
        assert {"python": False, "numpy": True} == used

    def test_a_lazy_frame_is_refused(self) -> None:
        """A lazy frame must be collected first."""
        import polars as pl

        with pytest.raises(WrongType, match="collect a lazy frame first"):
            PathCounts.from_records(pl.DataFrame(ROWS).lazy())


class TestMergeAll:
    @given(st.lists(path_rows(min_size=0, max_size=6).map(counts_of), max_size=6))
    def test_k_way_merge_equals_the_sum(self, parts: list[PathCounts]) -> None:
        """PathCounts.merge of any parts equals folding them with +, and keeps their currency."""
        merged = PathCounts.merge(parts)
        assert sum(parts, PathCounts()) == merged
        assert merged.currency == sum(parts, PathCounts()).currency

    def test_a_wrong_part_is_refused(self) -> None:
        """A part that is not PathCounts raises WrongType naming the argument."""
        with pytest.raises(WrongType, match="PathCounts.merge parts"):
            PathCounts.merge([PathCounts(), [("a",)]])  # type: ignore[list-item]


def _paths(paths: object) -> PathCounts:
    return PathCounts(paths=paths)  # type: ignore[arg-type]


A = ("a",)
BIG = Decimal(10) ** 30


class TestMessagesNameTheField:
    @pytest.mark.parametrize(
        ("build", "error", "message"),
        [
            (lambda: _paths(5), WrongType, r"^PathCounts\.paths must be"),
            (lambda: _paths({(): (1, 0, Decimal(0))}), ValidationError, r"^PathCounts\.paths key must hold at least one touch"),
            (lambda: _paths({A: 5}), ValidationError, r"^PathCounts\.paths\[\('a',\)\] must be \(conversions, nulls, value\), got 5$"),
            (lambda: _paths({A: (1, 0)}), ValidationError, r"^PathCounts\.paths\[\('a',\)\] must be \(conversions, nulls, value\)"),
            (lambda: _paths({A: (-1, 0, Decimal(0))}), ValidationError, r"^PathCounts\.paths\[\('a',\)\] conversions must be >= 0"),
            (lambda: _paths({A: (1, -1, Decimal(0))}), ValidationError, r"^PathCounts\.paths\[\('a',\)\] nulls must be >= 0"),
            (lambda: _paths({A: (1, 0, 1.5)}), WrongType, r"^PathCounts\.paths\[\('a',\)\] value must be Money, a Decimal"),
            (lambda: _paths({A: (1, 0, BIG * 2)}), ValidationError, r"^PathCounts\.paths\[\('a',\)\] value must be at most"),
            (lambda: _paths({A: (1, 0, Decimal(5))}), ValidationError, r"^PathCounts\.currency must be given when a path has a value$"),
            (lambda: PathCounts.from_tuples(5), WrongType, r"^PathCounts\.from_tuples rows must be an iterable of tuple"),  # type: ignore[arg-type]
            (lambda: PathCounts.from_tuples([(A, 1, 0)]), ValidationError, r"^rows\[0\] must be a \(path, conversions, nulls, value\) tuple, got"),  # type: ignore[list-item]
            (lambda: PathCounts.from_tuples([((), 1, 0, None)]), ValidationError, r"^rows\[0\]\.path must hold at least one touch"),
            (lambda: PathCounts.from_tuples([(A, -1, 0, None)]), ValidationError, r"^rows\[0\]\.conversions must be >= 0"),
            (lambda: PathCounts.from_tuples([(A, 1, -1, None)]), ValidationError, r"^rows\[0\]\.nulls must be >= 0"),
            (lambda: PathCounts.from_tuples([(A, 1, 0, 1.5)]), WrongType, r"^rows\[0\]\.value must be Money"),  # type: ignore[list-item]
            (lambda: PathCounts.from_tuples([(A, 1, 0, Money.of("-1", "EUR"))]), ValidationError, r"^rows\[0\]\.value must be a finite amount >= 0"),
            (lambda: PathCounts.from_tuples([(A, 1, 0, "5")]), ValidationError, r"^rows\[0\]\.value '5' is a plain amount: give currency= once$"),
            (lambda: PathCounts.from_tuples([(A, 1, 0, BIG * 2)], currency="EUR"), ValidationError, r"^rows\[0\]\.value must be at most"),
            (lambda: PathCounts.from_tuples([], currency="XYZ"), ValidationError, r"XYZ"),
            (lambda: PathCounts.from_journeys(5), WrongType, r"^PathCounts\.from_journeys journeys must be an iterable of Journey"),  # type: ignore[arg-type]
            (lambda: PathCounts.from_records([], sep=5), WrongType, r"^PathCounts\.from_records sep must be"),  # type: ignore[arg-type]
            (lambda: PathCounts.from_records([], sep=""), ValidationError, r"^PathCounts\.from_records sep must be a non-empty string, got ''$"),
            (lambda: PathCounts.from_records([], currency="XYZ"), ValidationError, r"XYZ"),
            (lambda: PathCounts.from_records([], engine="gpu"), ValidationError, r"^PathCounts\.from_records engine must be one of"),  # type: ignore[arg-type]
            (lambda: PathCounts.merge([5]), WrongType, r"^PathCounts\.merge parts\[0\] must be"),  # type: ignore[list-item]
            (
                lambda: PathCounts.from_tuples([(A, 1, 0, Money.of("1", "EUR")), (A, 1, 0, Money.of("1", "USD"))]),
                CurrencyMismatch,
                r"^PathCounts values must share one currency, got 'EUR' and 'USD'$",
            ),
        ],
    )  # fmt: skip
    def test_message(self, build: Any, error: type[Exception], message: str) -> None:
        """Each refusal names the argument, row or path it refuses."""
        with pytest.raises(error, match=message):
            build()

    def test_a_path_given_twice(self) -> None:
        """A mapping that gives one path twice (as a list and a tuple) is refused."""

        class Twice(Mapping[Any, Any]):
            def __getitem__(self, key: object) -> tuple[int, int, Decimal]:
                return (1, 0, Decimal(0))

            def __iter__(self) -> Iterator[Any]:
                return iter([["a"], ("a",)])

            def __len__(self) -> int:
                return 2

        with pytest.raises(ValidationError, match=r"^PathCounts\.paths must give each path once$"):
            _paths(Twice())

    def test_an_unknown_currency(self) -> None:
        """The currency code is checked when the counts are built."""
        with pytest.raises(ValidationError, match="XYZ"):
            PathCounts(paths={A: (1, 0, Decimal(0))}, currency="XYZ")

    def test_journey_values_adding_up_past_the_bound(self) -> None:
        """Values within bounds one by one but not together are refused, naming the path."""
        half = Money(BIG * Decimal("0.6"), "EUR")  # 6e29 each, 1.2e30 together
        journeys = [Journey.of("a", converted=True, value=half)] * 2
        with pytest.raises(ValidationError, match=r"^the value of path \('a',\) must be at most"):
            PathCounts.from_journeys(journeys)


class TestPathCountsDetails:
    def test_built_from_a_mapping(self) -> None:
        """The constructor reads path -> (conversions, nulls, value), every cell in its place."""
        counts = PathCounts(
            paths={("a", "b"): (2, 1, Decimal("5")), ("c",): (0, 3, Decimal(0))}, currency="EUR"
        )
        assert (PathRow(("a", "b"), 2, 1, Decimal(5)), PathRow(("c",), 0, 3, Decimal(0))) == (
            counts.rows()
        )

    def test_journey_values_add_up(self) -> None:
        """Converted journeys add their values and take their currency; nulls add none."""
        journeys = [
            Journey.of("a", converted=True, value=Money.of("2.50", "EUR")),
            Journey.of("a", converted=True, value=Money.of("1.25", "EUR")),
            Journey.of("a", converted=True),
            Journey.of("a"),
            Journey.of("a"),
        ]
        counts = PathCounts.from_journeys(journeys)
        assert {"row": PathRow(A, 3, 2, Decimal("3.75")), "currency": "EUR"} == {
            "row": counts.rows()[0],
            "currency": counts.currency,
        }

    def test_journeys_in_two_currencies(self) -> None:
        """Journey values in two currencies are refused, naming both."""
        journeys = [
            Journey.of("a", converted=True, value=Money.of("1", "EUR")),
            Journey.of("b", converted=True, value=Money.of("1", "USD")),
        ]
        with pytest.raises(CurrencyMismatch, match=r"got 'EUR' and 'USD'$"):
            PathCounts.from_journeys(journeys)

    def test_tuples_with_a_currency_and_money(self) -> None:
        """A given currency agrees with Money values; zero plain amounts need no currency."""
        counts = PathCounts.from_tuples(
            [(A, 1, 0, Money.of("2", "EUR")), (("b",), 1, 0, "0"), (A, 1, 1, Decimal("3"))],
            currency="EUR",
        )
        assert (PathRow(A, 2, 1, Decimal(5)), PathRow(("b",), 1, 0, Decimal(0))) == counts.rows()

    def test_zero_values_need_no_currency(self) -> None:
        """A zero plain amount, and no value at all, leave the currency unset."""
        counts = PathCounts.from_tuples([(A, 1, 0, "0"), (A, 1, 0, 0), (A, 1, 0, None)])
        assert {"currency": None, "row": PathRow(A, 3, 0, Decimal(0))} == {
            "currency": counts.currency,
            "row": counts.rows()[0],
        }

    def test_repr_of_fractional_counts(self) -> None:
        """Whole counts show as integers, sampled weights as floats."""
        counts = PathCounts.from_tuples([(A, 0.5, 2.0, None)])
        assert "PathCounts(1 paths, 0.5 conversions, 2 nulls)" == repr(counts)

    def test_adding_zero_and_other_things(self) -> None:
        """0 + counts is counts (for sum); a bool, 1, 0.0 or a string is not counts."""
        counts = PathCounts.from_tuples([(A, 1, 0, None)])
        assert counts is 0 + counts
        for other in (True, False, 1, 0.0, "a"):
            with pytest.raises(TypeError):
                other + counts  # type: ignore[operator]
            with pytest.raises(TypeError):
                counts + other  # type: ignore[operator]

    def test_merge_takes_the_currency_of_any_part(self) -> None:
        """Parts without value take the currency of those with value, in any order."""
        plain = PathCounts.from_tuples([(A, 1, 0, None)])
        valued = PathCounts.from_tuples([(A, 1, 0, Money.of("1", "EUR"))])
        assert ["EUR", "EUR", "EUR", None] == [
            PathCounts.merge([plain, valued]).currency,
            PathCounts.merge([valued, plain]).currency,
            (plain + valued).currency,
            PathCounts.merge([]).currency,
        ]

    def test_rows_are_cached(self) -> None:
        """rows() builds its sorted tuple once."""
        counts = PathCounts.from_tuples([(("b",), 1, 0, None), (A, 1, 0, None)])
        assert counts.rows() is counts.rows()


def _row(conversions: object = 1, nulls: object = 0, value: object = None, path: object = A) -> Any:
    return PathCounts.from_tuples([(path, conversions, nulls, value)], currency="EUR")  # type: ignore[list-item]


class TestCellChecks:
    @pytest.mark.parametrize(
        ("build", "error", "message"),
        [
            (lambda: _row(path=("a", 5)), WrongType, r"^rows\[0\]\.path channel names must be non-empty strings, got 5 in \('a', 5\)$"),
            (lambda: _row(path=("a", " ")), ValidationError, r"^rows\[0\]\.path channel names must be non-empty strings, got ' ' in \('a', ' '\)$"),
            (lambda: _row(path="ab"), WrongType, r"^rows\[0\]\.path must be a sequence of channel names, got the string 'ab'$"),
            (lambda: _row(True), WrongType, r"^rows\[0\]\.conversions must be a number >= 0, got True$"),
            (lambda: _row("1"), WrongType, r"^rows\[0\]\.conversions must be a number >= 0, got '1'$"),
            (lambda: _row(float("inf")), ValidationError, r"^rows\[0\]\.conversions must be finite, got inf$"),
            (lambda: _row(-0.5), ValidationError, r"^rows\[0\]\.conversions must be >= 0, got -0\.5$"),
            (lambda: _row(2**53 + 1), ValidationError, r"^rows\[0\]\.conversions must be at most 2\*\*53 \(9,007,199,254,740,992\), got 9\.0072e\+15$"),
            (lambda: _row(1e300), ValidationError, r"^rows\[0\]\.conversions must be at most 2\*\*53 \(9,007,199,254,740,992\), got 1e\+300$"),
            (lambda: _row(10**300), ValidationError, r"^rows\[0\]\.conversions must be at most 2\*\*53 \(9,007,199,254,740,992\), got an integer of 301 digits$"),
            (lambda: _row(value=True), WrongType, r"^rows\[0\]\.value must be a number, got True$"),
            (lambda: _row(value="abc"), ValidationError, r"^rows\[0\]\.value must be numeric, got 'abc'$"),
            (lambda: _row(value="NaN"), ValidationError, r"^rows\[0\]\.value must be a finite amount >= 0, got 'NaN'$"),
            (lambda: _row(value=Decimal("-1")), ValidationError, r"^rows\[0\]\.value must be a finite amount >= 0, got Decimal\('-1'\)$"),
            (lambda: _row(value=[1]), WrongType, r"^rows\[0\]\.value must be Money, a Decimal, an int or a numeric string, got \[1\]$"),
        ],
    )  # fmt: skip
    def test_message(self, build: Any, error: type[Exception], message: str) -> None:
        """Each bad cell is refused with its row, column, value and what was expected."""
        with pytest.raises(error, match=message):
            build()

    def test_counts_up_to_the_bound(self) -> None:
        """2**53 journeys in one count is allowed: the bound is inclusive."""
        assert 2**53 == _row(2**53).total_conversions

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(5, Decimal(5)), ("2.50", Decimal("2.50")), (Decimal("0.1"), Decimal("0.1"))],
    )
    def test_amounts(self, value: object, expected: Decimal) -> None:
        """Ints, numeric strings and Decimals are read exactly."""
        assert expected == _row(value=value).rows()[0].value

    def test_whole_float_counts_become_ints(self) -> None:
        """A float count that is whole is stored as an int, a fractional one exactly."""
        row = _row(3.0, 0.25).rows()[0]
        assert {"conversions": (3, int), "nulls": (0.25, float)} == {
            "conversions": (row.conversions, type(row.conversions)),
            "nulls": (row.nulls, type(row.nulls)),
        }

    def test_other_real_counts(self) -> None:
        """A Fraction count is read as its float; a numpy integer past 2**53 is refused, not rounded."""
        np = pytest.importorskip("numpy")
        assert 0.5 == _row(Fraction(1, 2)).rows()[0].conversions
        with pytest.raises(
            ValidationError, match=r"^rows\[0\]\.conversions must be at most 2\*\*53"
        ):
            _row(np.int64(2**53 + 1))

    def test_float_values_of_records(self) -> None:
        """Float values from records are read through their shortest repr."""
        rows = [
            {"path": "a", "total_conversions": 1, "total_null": 0, "total_conversion_value": 12.5}
        ]
        assert [Decimal("12.5"), Decimal("12.5")] == [
            PathCounts.from_records(rows, currency="EUR", engine=engine).rows()[0].value  # type: ignore[arg-type]
            for engine in ("python", "numpy")
        ]

    def test_numpy_scalars_are_plain_numbers(self) -> None:
        """numpy integers become ints and numpy floats floats."""
        np = pytest.importorskip("numpy")
        row = _row(np.int64(3), np.float64(0.5)).rows()[0]
        assert {"conversions": (3, int), "nulls": (0.5, float)} == {
            "conversions": (row.conversions, type(row.conversions)),
            "nulls": (row.nulls, type(row.nulls)),
        }

    def test_options_are_named(self) -> None:
        """An unknown option lists the allowed ones and names the argument."""
        from salesmark.attribution import markov

        with pytest.raises(
            ValidationError, match=r"^markov repeats must be one of 'collapse', 'keep', got 5$"
        ):
            markov(_row(), repeats=5)  # type: ignore[arg-type]


class TestPathsMapping:
    def test_the_paths_read_as_a_mapping(self) -> None:
        """counts.paths looks paths up, answers membership (odd keys too), compares and shows its size."""
        counts = PathCounts.from_tuples([(A, 1, 2, None), (("b", "a"), 3, 0, None)])
        paths = counts.paths
        assert {
            "get": (3, 0, Decimal(0)),
            "in": [True, False, False],
            "equal to a dict": True,
            "equal to fewer paths": False,
            "repr": "PathTable(2 paths)",
        } == {
            "get": paths[("b", "a")],
            "in": [A in paths, ("z",) in paths, ["a"] in paths],
            "equal to a dict": paths == {A: (1, 2, Decimal(0)), ("b", "a"): (3, 0, Decimal(0))},
            "equal to fewer paths": paths == PathCounts.from_tuples([(A, 1, 2, None)]).paths,
            "repr": repr(paths),
        }


class TestRecordShapes:
    def test_columns_without_the_path_column(self) -> None:
        """A mapping of columns without the path column is refused, listing the columns it has."""
        with pytest.raises(
            ValidationError,
            match=r"^PathCounts\.from_records columns have no 'path' column; they have \['route'\]$",
        ):
            PathCounts.from_records({"route": ["a"]})

    def test_a_row_that_is_not_a_mapping(self) -> None:
        """A row that is not a mapping is refused by its index."""
        with pytest.raises(
            WrongType, match=r"^rows\[0\] must be a mapping of column name to cell, got 5$"
        ):
            PathCounts.from_records([5])  # type: ignore[list-item]

    def test_a_negative_float_value(self) -> None:
        """A negative float value is read through its repr and refused as below zero."""
        rows = [{"path": "a", "total_conversions": 1, "total_conversion_value": -1.5}]
        with pytest.raises(ValidationError, match=r"must be a finite amount >= 0, got -1\.5$"):
            PathCounts.from_records(rows, currency="EUR", engine="python")


class TestPickledColumns:
    @pytest.mark.parametrize(
        "rows",
        [
            [(A, 0.5, 1, None)],  # sampled weights stay exact fractions
            [(A, 1, 0, Decimal("1e25")), (("b",), 2, 3, Decimal("0.5"))],  # value units past 2**64
        ],
    )
    def test_round_trip(self, rows: list[Any]) -> None:
        """Counts whose columns do not fit small unsigned arrays still pickle to equal counts."""
        counts = PathCounts.from_tuples(rows, currency="EUR")
        again = pickle.loads(pickle.dumps(counts))
        assert {"equal": True, "rows": counts.rows()} == {
            "equal": again == counts,
            "rows": again.rows(),
        }
