"""Tests for the numpy engine's reader of path strings: the same tables as the str route."""

from __future__ import annotations

import math
from array import array
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

np = pytest.importorskip("numpy")
fast = pytest.importorskip("salesmark.attribution._numpy_reader")

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

    def test_names_sharing_a_slot_are_read_by_their_bytes(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With two slots for three names, the array route still reads them, as the str route does."""
        monkeypatch.setattr(fast, "_BUCKETS", 1)
        texts = ["a > b", "c > a", "b"]
        assert fast.split_paths(texts, " > ") is not None
        assert split(texts, "python") == split(texts, "numpy")

    def test_thousands_of_names(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """5,000 names in 1,024 slots are read by the array route, each touch its name's rank."""
        monkeypatch.setattr(fast, "_BUCKETS", 10)
        many = [f"campaign_{i:04d}" for i in range(5000)]
        texts = [" > ".join(many[i : i + 3]) for i in range(4998)]
        names = fast._Names(ord(">"))
        assert names.read(texts) is not None
        assert names.spilled  # some names share slots
        got = cut(texts)
        assert {"names": many, "type": "uint16"} == {"names": got["names"], "type": got["type"]}
        assert split(texts, "python") == split(texts, "numpy")

    def test_a_repeated_path_is_found_exactly(self) -> None:
        """Paths whose hashes clash are compared by their strings: equal only when they are."""
        clash = np.asarray([7, 7, 9], dtype=np.uint64)
        assert [True, False, True] == [
            fast._distinct(clash, ["a > b", "b", "c"]),  # same hash, different paths
            fast._distinct(clash, ["a > b", "a > b", "c"]),
            fast._distinct(np.asarray([1, 2, 3], dtype=np.uint64), ["x", "x", "x"]),  # no clash
        ]

    @settings(max_examples=60, deadline=None)
    @given(paths=st.lists(st.lists(NAMES, min_size=1, max_size=6), max_size=12))
    def test_blocks_of_two_paths_read_as_one(self, paths: list[list[str]]) -> None:
        """Read two paths at a time, the strings give the table read in one block, or are refused alike."""
        texts = texts_of(paths)
        whole = split(texts, "numpy")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(fast, "_BLOCK", 2)
            assert whole == split(texts, "numpy")
            assert split(texts, "python") == split(texts, "numpy")


class TestBlocks:
    """The array route reads the strings a block of paths at a time (two at a time here)."""

    @pytest.fixture(autouse=True)
    def _two_paths_a_block(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(fast, "_BLOCK", 2)

    def test_names_first_seen_in_a_later_block(self) -> None:
        """Blocks: [c > a, a] [b > c, d] [b]; names sorted a, b, c, d, each touch its rank."""
        assert {
            "names": ["a", "b", "c", "d"],
            "type": "uint8",
            "tokens": [2, 0, 0, 1, 2, 3, 1],
            "offsets": [0, 2, 3, 5, 6, 7],  # path lengths 2, 1, 2, 1, 1
        } == cut(["c > a", "a", "b > c", "d", "b"])

    def test_a_path_repeated_in_another_block(self) -> None:
        """The same path in the first and the third block is found, and left to the str route."""
        assert cut(["a > b", "c", "d", "e", "a > b"]) is None

    @pytest.mark.parametrize("odd", ["a >  b", "", " a", "a\nb", "z" * 65])
    def test_an_odd_path_in_a_later_block(self, odd: str) -> None:
        """A path the array route does not take is found in whichever block it falls."""
        assert cut(["a > b", "b", "c", odd]) is None

    def test_names_sharing_a_slot_in_different_blocks(self) -> None:
        """k04968 and k10010 share a slot, read in blocks 1 and 2: k10010 is found by its bytes."""
        names = fast._Names(ord(">"))
        assert names.read(["k04968", "x", "k10010"]) is not None
        assert {b"k10010": 2} == names.spilled  # (the first block's k04968 holds the slot)
        assert {
            "names": ["k04968", "k10010", "x"],
            "type": "uint8",
            "tokens": [0, 2, 1],
            "offsets": [0, 1, 2, 3],
        } == cut(["k04968", "x", "k10010"])

    def test_a_name_learned_after_one_spilled(self) -> None:
        """Blocks [k04968 > k10010, y] [z > y]: one of the pair spills, then z takes a new slot."""
        names = fast._Names(ord(">"))
        texts = ["k04968 > k10010", "y", "z > y"]
        assert names.read(texts) is not None
        assert (4, 1) == (len(names.found), len(names.spilled))
        assert {
            "names": ["k04968", "k10010", "y", "z"],
            "type": "uint8",
            "tokens": [0, 1, 2, 3, 2],
            "offsets": [0, 2, 3, 5],
        } == cut(texts)


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


def _splitmix(x: int) -> int:
    """splitmix64's output mix of ``x`` times the golden-ratio step, in plain ints."""
    top = 2**64 - 1
    z = (x * 0x9E3779B97F4A7C15) & top
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & top
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & top
    return z ^ (z >> 31)


class TestCents:
    def test_whole_cents(self) -> None:
        """Ints and floats on the cents grid become whole cents: 1.5 -> 150, 2 -> 200, 0.07 -> 7."""
        got = fast.cents([1.5, 2, 0, 0.07])
        assert got is not None
        assert (np.dtype(np.int64), [150, 200, 0, 7]) == (got.dtype, got.tolist())

    def test_largest_plain_value(self) -> None:
        """2**45 is read as cents; 2**45 + 1, still whole, is left to the exact route."""
        got = fast.cents([float(2**45)])
        assert got is not None
        assert [2**45 * 100] == got.tolist()
        assert fast.cents([float(2**45 + 1)]) is None

    @pytest.mark.parametrize(
        "raws",
        [
            [1.0, -0.01],  # a refund
            [float("nan")],
            [float("inf"), 1.0],
            [0.1 + 0.2],  # off the cents grid
            [1.005],
            [2**64, 1],  # an int too large for any machine integer
        ],
    )
    def test_values_not_plainly_cents(self, raws: list[Any]) -> None:
        """Negative, not finite or not on the cents grid: left to the exact route."""
        assert fast.cents(raws) is None


class TestExactTotal:
    @pytest.mark.parametrize(
        "cells",
        [
            [],
            [1, 2, 3],
            [2**62, 2**62, 2**62, 2**63 - 1],  # a total past int64: 3 * 2**62 + 2**63 - 1
            [-(2**63), 5, 2**32 - 1, -1],  # negative cells, and low halves at their largest
        ],
    )
    def test_the_exact_sum(self, cells: list[int]) -> None:
        """The high and low halves summed apart give Python's exact sum, past int64 too."""
        assert sum(cells) == fast.exact_total(array("q", cells))

    def test_a_long_column_is_summed_by_python(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Past the cells whose halves fit int64, Python sums (here past two cells)."""
        monkeypatch.setattr(fast, "_HALF_SUMS", 2)
        monkeypatch.setattr(fast.np, "frombuffer", None)  # (numpy is not reached)
        assert 2**63 + 6 == fast.exact_total(array("q", [2**62, 2**62, 6]))

    def test_tables_keep_the_totals_read(self) -> None:
        """The reader's totals are kept on the table, the totals its columns sum to."""
        rows = [
            {
                "path": "a > b",
                "total_conversions": 2,
                "total_null": 1,
                "total_conversion_value": 1.5,
            },
            {"path": "b", "total_conversions": 0, "total_null": 4, "total_conversion_value": 0.25},
        ]
        for engine in ("python", "numpy"):
            table = PathCounts.from_records(rows, currency="EUR", engine=engine).table
            # conversions 2 + 0, nulls 1 + 4, value 150 + 25 cents
            assert {"conversions": 2, "nulls": 5, "units": 175} == {
                k: table._totals[k] for k in ("conversions", "nulls", "units")
            }
            assert (2, 5, Decimal("1.75")) == (
                table.total_conversions(),
                table.total_nulls(),
                table.total_value(),
            )


def cut(texts: list[Any], sep: str = " > ") -> Any:
    """What the array route reads: names, the token type, tokens and offsets (or None)."""
    got = fast.split_paths(texts, sep)
    if got is None:
        return None
    found, tokens, offsets = got
    return {
        "names": found,
        "type": tokens.dtype.name,
        "tokens": tokens.tolist(),
        "offsets": offsets.tolist(),
    }


class TestSplitPathsByHand:
    @pytest.mark.parametrize(
        ("texts", "sep", "expected"),
        [
            (["a > b"], " > ", (["a", "b"], [0, 1], [0, 2])),  # the first touch's name once
            (["x"], " > ", (["x"], [0], [0, 1])),  # one path of one touch
            (["a - b", "b"], " - ", (["a", "b"], [0, 1, 1], [0, 2, 3])),  # another separator
            (["ab > c", "c > ab"], " > ", (["ab", "c"], [0, 1, 1, 0], [0, 2, 4])),
            # nine bytes: the names differ in their second word only
            (
                ["channel_a > channel_b", "channel_b"],
                " > ",
                (["channel_a", "channel_b"], [0, 1, 1], [0, 2, 3]),
            ),
            (["y" * 64 + " > a"], " > ", (["a", "y" * 64], [1, 0], [0, 2])),  # the longest name
            (
                ["b > a > b", "c", "a > c > b > a"],
                " > ",
                (["a", "b", "c"], [1, 0, 1, 2, 0, 2, 1, 0], [0, 3, 4, 8]),
            ),
        ],
    )
    def test_plain_paths(self, texts: list[str], sep: str, expected: tuple[Any, ...]) -> None:
        """Plain path strings are cut and interned by the array route itself."""
        found, tokens, offsets = expected
        assert {"names": found, "type": "uint8", "tokens": tokens, "offsets": offsets} == cut(
            texts, sep
        )

    @pytest.mark.parametrize(
        ("texts", "expected"),
        [
            # a short name after a long one: its second word is cut to nothing, wherever it is
            (["channel_a > b > c", "c > b", "b"], (["b", "c", "channel_a"], [2, 0, 1, 1, 0, 0])),
            # the same second word, different first words
            (["channel_a > xhannel_a"], (["channel_a", "xhannel_a"], [0, 1])),
            # the same first word, the ninth byte differs, each name followed by a space
            (["channel_a > x", "channel_b > x"], (["channel_a", "channel_b", "x"], [0, 2, 1, 2])),
        ],
    )
    def test_names_longer_than_a_word(self, texts: list[str], expected: tuple[Any, ...]) -> None:
        """Names are hashed and compared word by word, each word cut to the name's bytes."""
        found, tokens = expected
        got = cut(texts)
        assert (found, tokens) == (got["names"], got["tokens"])

    def test_a_name_whose_slot_holds_another(self) -> None:
        """k04968 and k10010 share a slot: one holds it, the other is found by its bytes."""
        names = fast._Names(ord(">"))
        read = names.read(["k04968 > k10010 > k04968 > k10010"])
        assert read is not None
        # whichever token of the slot was read first holds it; the other name spills
        assert (["k04968", "k10010"], 1) == (sorted(names.found), len(names.spilled))
        index = {name: i for i, name in enumerate(names.found)}
        assert [index["k04968"], index["k10010"]] * 2 == read[0].tolist()
        assert {
            "names": ["k04968", "k10010"],
            "type": "uint8",
            "tokens": [0, 1],
            "offsets": [0, 2],
        } == cut(["k04968 > k10010"])

    def test_names_sharing_a_slot_and_their_words(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With two slots, three names cannot each have their own: the third is found by its bytes."""
        monkeypatch.setattr(fast, "_BUCKETS", 1)
        assert {
            "names": ["a", "b", "c"],
            "type": "uint8",
            "tokens": [0, 1, 2],
            "offsets": [0, 2, 3],
        } == cut(["a > b", "c"])

    def test_names_told_apart_by_their_length(self) -> None:
        """ "a" and "a" + NUL have the same masked word: their lengths tell them apart."""
        expected = {"names": ["a", "a\x00"], "type": "uint8", "tokens": [0, 1], "offsets": [0, 2]}
        assert expected == cut(["a > a\x00"])
        # a name of 8 bytes fills its word: the lengths are still compared on their own
        texts = ["a > a\x00", "abcdefgh"]
        assert [0, 1, 2] == cut(texts)["tokens"]
        assert split(texts, "python") == split(texts, "numpy")

    def test_many_names(self) -> None:
        """257 names need uint16 ids; each touch gets its name's rank."""
        many = [f"n{i:03d}" for i in range(257)]
        texts = [" > ".join(many[:200]), " > ".join(reversed(many[150:]))]
        assert {
            "names": many,
            "type": "uint16",
            "tokens": list(range(200)) + list(reversed(range(150, 257))),
            "offsets": [0, 200, 307],
        } == cut(texts)

    @pytest.mark.parametrize(
        ("texts", "sep"),
        [
            (["ab> c"], " > "),  # no space before a separator byte
            (["a >b"], " > "),  # no space after it
            (["a  > b"], " > "),  # two spaces before it
            (["a >  b"], " > "),  # two spaces after it
            (["a >> b"], " >> "),  # a separator of two characters
            (["a  > b"], "  > "),  # two spaces before it
            (["a → b"], " → "),  # not ASCII
            (["a > b", "c", "a > b"], " > "),  # a repeated path, not next to its twin
            (["a", 3], " > "),  # a cell not text
            (["a > b", "a\nb"], " > "),  # a newline inside a path
            (["a", "z" * 65], " > "),  # a name too long for the array route
            (["a > b", " > c"], " > "),  # an empty name
            (["a > b", "a\t > c"], " > "),  # a name to strip
            ([">  a"], " > "),  # a separator at the very first byte (the word before is padding)
            (["", "a"], " > "),  # an empty first path: a newline at the very first byte
            (["a", ""], " > "),  # an empty last path
            (["a", "", "b"], " > "),  # an empty path between two
            (["a > "], " > "),  # a separator ending the last path
            ([], " > "),  # no paths at all
        ],
    )
    def test_odd_paths_go_the_str_route(self, texts: list[Any], sep: str) -> None:
        """Anything not plainly well-formed is left to the str route."""
        assert cut(texts, sep) is None

    def test_id_types(self) -> None:
        """Ids take the smallest unsigned type: 256 names fit a byte, 65,536 two bytes."""
        assert [np.uint8, np.uint16, np.uint16, np.uint32] == [
            fast._id_type(n) for n in (256, 257, 65_536, 65_537)
        ]

    def test_path_hashes(self) -> None:
        """Paths of different lengths, or the same names in another order, hash apart."""
        names = fast._Names(ord(">"))
        names.found = ["a", "b"]
        index = np.asarray([0, 1, 1, 0, 0, 1, 0, 1], dtype=np.int32)
        hashes = names.path_hashes(index, np.asarray([0, 2, 4, 7, 8])).tolist()
        # [a b] [b a] [a b a] [b]: four paths, four hashes
        assert 4 == len(set(hashes))
        again = names.path_hashes(np.asarray([1, 0, 0, 1], dtype=np.int32), np.asarray([0, 2, 4]))
        assert [hashes[1], hashes[0]] == again.tolist()  # the same path hashes alike anywhere

    def test_a_shared_path_hash_is_checked_by_the_strings(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When every path hashes alike, distinct paths still read, and a repeat is still found."""
        monkeypatch.setattr(
            fast._Names,
            "path_hashes",
            lambda _self, _index, bounds: np.ones(len(bounds) - 1, dtype=np.uint64),
        )
        assert [0, 1] == cut(["a", "b"])["tokens"]
        assert cut(["a", "b", "a"]) is None

    @pytest.mark.parametrize("rounds", [0, 1, 3])
    def test_equal_hashes_are_found_in_any_round(
        self, monkeypatch: pytest.MonkeyPatch, rounds: int
    ) -> None:
        """Equal hashes are found by the slot table or by the sort of what it leaves."""
        monkeypatch.setattr(fast, "_ROUNDS", rounds)
        top = np.uint64(1 << 63)
        # 5 and 7 share a slot (equal top bits) without being equal; 5 repeats past them
        hashes = np.asarray([5, 7, top, 9, 5], dtype=np.uint64)
        assert fast._shared_hash(hashes)
        assert not fast._shared_hash(hashes[:4])
        # three in one slot, the last two equal: whichever wins, the equal pair is found
        assert fast._shared_hash(np.asarray([1, 2, 2], dtype=np.uint64))
        assert not fast._shared_hash(np.asarray([1, 2, 3], dtype=np.uint64))

    def test_spread_words_are_fixed_and_distinct(self) -> None:
        """The hash words are the same on every run, and no two are alike."""
        words = fast._spread(1000, 1).tolist()
        assert len(set(words + fast._spread(1000, 2).tolist())) == 2000
        assert words[:2] == fast._spread(2, 1).tolist()
        assert words[:3] == [_splitmix(2**32 + i) for i in range(3)]

    def test_a_path_of_256_touches(self) -> None:
        """A path of 300 touches over two names is read as pure Python reads it (positions pass 255)."""
        rows = [{"path": " > ".join(["a", "b"] * 150), "total_conversions": 1}]
        counts = PathCounts.from_records(rows, value=None, engine="numpy")
        assert PathCounts.from_records(rows, value=None, engine="python") == counts
