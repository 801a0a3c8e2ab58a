"""Tests for the numpy engine's reader of path strings: the same tables as the str route."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark._progress import Ticker
from salesmark.attribution import PathCounts, shapley, shapley_values
from salesmark.attribution import _packed as packed
from salesmark.attribution import _parsing as parsing
from salesmark.errors import WrongType
from salesmark.testing.strategies import path_rows

fast = pytest.importorskip("salesmark.attribution._numpy_engine")

NAMES = st.sampled_from(
    [
        "a",
        "ab",
        "b",
        "organic_search",
        "organic_social",
        "e-mail",
        "paid search",
        "café",
        "日本",
        "emoji 🎉",
        "x" * 8,
        "x" * 9,
        "y" * 64,
        "z" * 65,
        "a\tb",
        ">",
        "a >",
        " a",
        "\ud800",
        "line\nbreak",
        "",
    ]
)


def texts_of(paths: list[list[str]]) -> list[str]:
    """Path strings joined with the standard separator."""
    return [" > ".join(path) for path in paths]


def split(texts: list[str], engine: str) -> Any:
    """The (names, tokens, offsets) a route reads, as plain lists, or None."""
    route = parsing._split_numpy if engine == "numpy" else parsing._split_python
    got = route(texts, " > ", None, None)
    if got is None:
        return None
    names, tokens, offsets, _units = got
    return {"names": list(names), "tokens": list(tokens), "offsets": list(offsets)}


class TestSplitPaths:
    @settings(max_examples=150, deadline=None)
    @given(paths=st.lists(st.lists(NAMES, min_size=1, max_size=6), max_size=12))
    def test_same_as_the_str_route(self, paths: list[list[str]]) -> None:
        """Any path strings give the str route's table, or are refused by both routes."""
        texts = texts_of(paths)
        assert split(texts, "python") == split(texts, "numpy")

    @settings(max_examples=60, deadline=None)
    @given(paths=st.lists(st.lists(NAMES, min_size=1, max_size=6), min_size=1, max_size=12))
    def test_the_array_route_alone_agrees_when_it_reads(self, paths: list[list[str]]) -> None:
        """Whenever the array route reads the strings itself, it reads what the str route reads."""
        texts = texts_of(paths)
        cut = fast.split_paths(texts, " > ")
        if cut is not None:
            names, tokens, offsets = cut
            assert split(texts, "python") == {
                "names": names,
                "tokens": tokens.tolist(),
                "offsets": offsets.tolist(),
            }

    def test_reads_plain_paths_itself(self) -> None:
        """Plain paths are cut and interned by the array route, not handed to the str route."""
        names, tokens, offsets = fast.split_paths(["b > a > b", "café > a", "a"], " > ")
        assert {
            "names": ["a", "b", "café"],
            "tokens": [1, 0, 1, 2, 0, 0],
            "offsets": [0, 3, 5, 6],
        } == {
            "names": names,
            "tokens": tokens.tolist(),
            "offsets": offsets.tolist(),
        }

    @pytest.mark.parametrize(
        "texts",
        [
            ["a > b", "a > b"],  # a repeated path
            ["a >  b"],  # a doubled space
            ["a >b"],  # a separator without its space
            ["a > b", ""],  # an empty path
            [" a > b"],  # a name to strip
            ["a\nb > c"],  # a newline inside a name
            ["\ud800 > a"],  # a lone surrogate
            ["z" * 65 + " > a"],  # a name longer than the array route takes
        ],
    )
    def test_odd_strings_go_the_str_route(self, texts: list[str]) -> None:
        """Strings the array route does not plainly take are left to the str route."""
        assert fast.split_paths(texts, " > ") is None
        assert split(texts, "python") == split(texts, "numpy")

    def test_other_separators_go_the_str_route(self) -> None:
        """Only a single-character separator with one space each side is cut with arrays."""
        assert fast.split_paths(["a -> b"], " -> ") is None
        assert fast.split_paths(["a>b"], ">") is None

    def test_names_sharing_a_slot_go_the_str_route(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """When two names hash to one slot the array route gives up, and the str route reads them."""
        monkeypatch.setattr(fast, "_BUCKETS", 1)
        texts = ["a > b", "c > a", "b"]
        assert fast.split_paths(texts, " > ") is None
        assert split(texts, "python") == split(texts, "numpy")

    def test_a_repeated_path_is_found_exactly(self) -> None:
        """Two equal token sequences are found as equal, whatever their hashes."""
        import numpy as np

        tokens = np.asarray([0, 1, 0, 1, 1], dtype=np.int64)
        assert [False, True] == [
            fast._distinct_paths(tokens, np.asarray([0, 2, 4, 5])),
            fast._distinct_paths(tokens, np.asarray([0, 2, 3, 5])),
        ]


class TestNumpyRecords:
    def test_a_cell_not_text_is_named(self) -> None:
        """A path cell that is not text is refused by the numpy engine as by the str route."""
        rows = [{"path": "a > b", "total_conversions": 1}, {"path": 7, "total_conversions": 1}]
        for engine in ("python", "numpy"):
            with pytest.raises(WrongType, match=r"rows\[1\]\['path'\] must be a path string"):
                PathCounts.from_records(rows, value=None, engine=engine)

    def test_text_subclasses_read_as_text(self) -> None:
        """Path cells of a str subclass read as the plain strings."""

        class Text(str):
            __slots__ = ()

        rows = [{"path": Text("a > b"), "total_conversions": 1, "total_null": 2}]
        expected = PathCounts.from_records([{**rows[0], "path": "a > b"}], value=None)
        for engine in ("python", "numpy"):
            assert expected == PathCounts.from_records(rows, value=None, engine=engine)


class TestPackedShapley:
    @settings(max_examples=20, deadline=None)
    @given(rows=path_rows())
    def test_packed_subset_sums_change_no_bit(self, rows: list[Any]) -> None:
        """The big-int subset sums give the float transform's credits to the last bit."""
        counts = PathCounts.from_tuples(rows, currency="EUR")
        packed = shapley(counts, worth="conversion_rate", engine="python")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shapley_values, "packable", lambda _conv, _total: False)
            floats = shapley(counts, worth="conversion_rate", engine="python")
        assert {k: v.hex() for k, v in floats.credits.items()} == {
            k: v.hex() for k, v in packed.credits.items()
        }

    @settings(max_examples=20, deadline=None)
    @given(rows=path_rows())
    def test_exact_half_sums_change_no_bit(self, rows: list[Any]) -> None:
        """Half sums folded from one big int give math.fsum's credits to the last bit."""
        counts = PathCounts.from_tuples(rows, currency="EUR")
        folded = shapley(counts, worth="conversion_rate", engine="python")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shapley_values, "half_sums", lambda _terms, _n: None)
            summed = shapley(counts, worth="conversion_rate", engine="python")
        assert {k: v.hex() for k, v in summed.credits.items()} == {
            k: v.hex() for k, v in folded.credits.items()
        }

    @pytest.mark.parametrize(
        "terms",
        [
            [0.0, 0.75, 0.1, 0.3],  # two words a term
            [0.0, 1.0, 2.0**-100, 0.1],  # wider than two words
            [0.0, 0.0, 0.0, 0.0],  # nothing to sum
        ],
    )
    def test_half_sums_are_correctly_rounded(self, terms: list[float]) -> None:
        """Each channel's half sum, over 2**k, is the correctly rounded sum math.fsum gives."""
        got = packed.half_sums(terms, 2)
        assert got is not None
        per_channel, total, unit = got
        assert {
            "channels": [math.fsum(terms[1::2]), math.fsum(terms[2:])],
            "total": math.fsum(terms),
        } == {"channels": [x / unit for x in per_channel], "total": total / unit}

    def test_terms_too_fine_go_to_fsum(self) -> None:
        """A term finer than 2**-400 is left to math.fsum."""
        assert packed.half_sums([0.0, 2.0**-500], 1) is None


class TestPackedArithmetic:
    def test_subset_sums_of_many_byte_counts(self) -> None:
        """Each coalition (a bit mask) sums the counts of every subset: 1, 1+2, 1+300, 1+2+300+4."""
        got = packed.zeta_packed([[1, 2, 300, 4], [3, 0, 0, 5]], 2, Ticker(None, 0, what="t"))
        assert [[1, 3, 301, 307], [3, 3, 3, 8]] == got

    def test_half_sums_of_two_word_terms(self) -> None:
        """Smallest term 2**-20 = 0.5 * 2**-19, so the unit is 2**-(53 + 19) = 2**-72 and 1.0 spans both words."""
        got = packed.half_sums([0.0, 2.0**-20, 2.0**-8, 1.0], 2)
        # in units of 2**-72: 2**-20 -> 2**52, 2**-8 -> 2**64, 1.0 -> 2**72
        assert (
            [2**52 + 2**72, 2**64 + 2**72],  # channel 0: masks 1 and 3; channel 1: masks 2, 3
            2**52 + 2**64 + 2**72,
            2**72,
        ) == got

    def test_half_sums_of_wide_terms(self) -> None:
        """With 8 channels and a 2**-150 term (unit 2**-202), each channel's 128 ones fill 2**209 units."""
        terms = [2.0**-150] + [1.0] * 255
        # 202 + 8 + 16 bits -> 28-byte fields: room for 255 * 2**202, the total
        assert ([2**209] * 8, 255 * 2**202 + 2**52, 2**202) == packed.half_sums(terms, 8)

    def test_half_sums_keep_the_lowest_bit(self) -> None:
        """Unit 2**-53 (smallest 0.5): 1 - 2**-53 is 2**53 - 1 units, an odd number kept whole."""
        got = packed.half_sums([1 - 2.0**-53, 0.5, 0.5, 0.5], 2)
        assert ([2**53, 2**53], 2**53 - 1 + 3 * 2**52, 2**53) == got

    def test_half_sums_of_nothing(self) -> None:
        """All terms zero: zero sums in units of 1."""
        assert ([0, 0], 0, 1) == packed.half_sums([0.0] * 4, 2)

    @pytest.mark.parametrize(
        ("terms", "packs"),
        [
            ([0.0, 2.0**-348], True),  # 0.5 * 2**-347: 53 + 347 = 400 places, the finest
            ([0.0, 2.0**-349], False),  # 401 places
            ([0.0, 1.0], True),
            ([0.0, 1.5], False),  # a term above 1 is not a rate times a weight
        ],
    )
    def test_half_sums_bounds(self, terms: list[float], packs: bool) -> None:
        """Terms down to 2**-400 units and up to 1.0 are packed; others go to math.fsum."""
        assert packs == (packed.half_sums(terms, 1) is not None)

    @pytest.mark.parametrize(
        ("conv", "total", "expected"),
        [
            ([0], [0], True),
            ([1], [2**53 - 1], True),
            ([0], [2**53], False),  # a sum might not fit a float's 53 bits
            ([-1], [1], False),
            ([Fraction(1, 2)], [1], False),  # sampled weights are not whole
            ([Fraction(1, 2)], [Fraction(1, 2)], False),
        ],
    )
    def test_packable(self, conv: list[Any], total: list[Any], expected: bool) -> None:
        """Only whole counts >= 0 whose total stays below 2**53 are packed."""
        assert expected == packed.packable(conv, total)

    @pytest.mark.parametrize(
        ("conv", "total", "expected"),
        [
            ([0, 1, 3], [0, 2, 4], [0.0, 0.5, 0.75]),
            ([0, 1, 0], [0, 2, 0], [0.0, 0.5, 0.0]),  # an empty coalition rates 0
            ([1, 1], [2, 2], [0.5, 0.5]),  # a journey without channels counts too
        ],
    )
    def test_rates(self, conv: list[int], total: list[int], expected: list[float]) -> None:
        """Each coalition's conversions over its journeys."""
        assert expected == packed.rates(conv, total)

    def test_rates_need_matching_columns(self) -> None:
        """Columns of different lengths are a mistake, not a shorter answer."""
        with pytest.raises(ValueError, match="zip"):
            packed.rates([1, 2], [1])


def outcome(rows: list[dict[str, Any]], engine: str) -> Any:
    """The counts both routes read, or the error they raise."""
    try:
        return PathCounts.from_records(rows, currency="EUR", engine=engine)  # type: ignore[arg-type]
    except (ValueError, TypeError) as error:
        return f"{type(error).__name__}: {error}"


class TestNumpyValues:
    @pytest.mark.parametrize(
        "values",
        [
            [None, 1.5, 2],  # no value, a float, an int
            [Decimal("1.5"), 2.0, 0],  # an exact amount
            [0.1 + 0.2, 1.0, 3.0],  # a float off the cents grid
            [float("nan"), 1.0, 2.0],  # not a number
            [-1.0, 1.0, 2.0],  # a refund
            [None, None, None],  # nothing at all
        ],
    )
    def test_value_cells_read_as_the_str_route_reads_them(self, values: list[Any]) -> None:
        """Each kind of value cell gives the numpy engine what it gives the pure-Python one."""
        rows = [
            {"path": path, "total_conversions": 1, "total_null": 1, "total_conversion_value": value}
            for path, value in zip(["a > b", "b", "a > c"], values, strict=True)
        ]
        assert outcome(rows, "python") == outcome(rows, "numpy")
