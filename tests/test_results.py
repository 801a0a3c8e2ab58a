"""Every result type keeps the analyst's promises: numeric records and frames, a short repr, HTML.

The walk finds every public class of salesmark (and its subpackages) with ``to_records``;
``strategies.every_result`` holds one instance of each, so a new result type is held to
the same promises as soon as it is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd
import polars as pl
import pytest

from salesmark._records import approximate
from strategies import every_result, result_types

RESULTS = every_result()
IDS = [f"{type(r).__name__}-{i}" for i, r in enumerate(RESULTS)]
EXACT = (Decimal, Fraction, timedelta)


def _is_text(value: object) -> bool:
    """A name or an id: text, nothing, or a list of texts."""
    if isinstance(value, list | tuple):
        return all(isinstance(x, str) for x in value)
    return value is None or isinstance(value, str)


class TestEveryResult:
    def test_every_result_type_has_a_sample(self) -> None:
        """Each public class with to_records has an instance in every_result, with rows."""
        assert sorted(t.__qualname__ for t in result_types()) == sorted(
            {type(r).__qualname__ for r in RESULTS}
        )
        assert [] == [type(r).__name__ for r in RESULTS if not r.to_records()]

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_records_are_plain_by_default(self, result: Any) -> None:
        """to_records() holds no Decimal, Fraction or timedelta: numbers are floats or ints."""
        cells = [(k, v) for r in result.to_records() for k, v in r.items()]
        assert [] == [(k, v) for k, v in cells if isinstance(v, EXACT)]

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_exact_records_round_to_the_plain_ones(self, result: Any) -> None:
        """The default rows are the exact rows with each number made a float: same keys, same order."""
        exact = result.to_records(exact=True)
        assert [{k: approximate(v) for k, v in r.items()} for r in exact] == result.to_records()

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_pandas_frame_has_no_object_column_but_names(self, result: Any) -> None:
        """In pandas, every column but names and ids is numeric, boolean, text or a time."""
        table = result.to_frame()
        assert len(result.to_records()) == len(table)
        objects = [c for c in table.columns if table[c].dtype == object]
        assert [] == [c for c in objects if not all(_is_text(x) for x in table[c])]

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_polars_frame_has_no_object_or_decimal_column(self, result: Any) -> None:
        """In polars, no column is an Object or a Decimal column by default."""
        table = result.to_frame("polars")
        assert len(result.to_records()) == table.height
        assert [] == [c for c, t in table.schema.items() if t in (pl.Object, pl.Decimal)]

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_pyarrow_frame_has_every_row(self, result: Any) -> None:
        """pyarrow gets the same rows and columns."""
        table = result.to_frame("pyarrow")
        assert (len(result.to_records()), len(result.to_frame().columns)) == table.shape

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_numbers_come_out_numeric(self, result: Any) -> None:
        """A column whose cells are numbers is a numeric (or boolean) column in pandas."""
        rows = result.to_records()
        table = result.to_frame()
        numeric = [
            c
            for c in table.columns
            if any(v is not None for v in (r.get(c) for r in rows))
            and all(isinstance(r.get(c), int | float | type(None)) for r in rows)
        ]
        kinds = {c: table[c].dtype.kind for c in numeric}
        assert {} == {c: k for c, k in kinds.items() if k not in "biuf"}

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_exact_frame_keeps_decimals(self, result: Any) -> None:
        """to_frame(exact=True) holds the exact rows' Decimals as Decimals, in pandas and polars."""
        exact = result.to_records(exact=True)
        decimals = sorted({k for r in exact for k, v in r.items() if isinstance(v, Decimal)})
        table = result.to_frame(exact=True)
        kept = {c: {type(x) for x in table[c] if not pd.isna(x)} for c in decimals}
        assert {c: {Decimal} for c in decimals} == kept
        schema = result.to_frame("polars", exact=True).schema
        assert dict.fromkeys(decimals, True) == {c: schema[c] == pl.Decimal for c in decimals}

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_times_are_utc(self, result: Any) -> None:
        """Aware datetimes come out as UTC datetime columns."""
        rows = result.to_records()
        times = [
            c
            for c in result.to_frame().columns
            if any(isinstance(r.get(c), datetime) for r in rows)
        ]
        table = result.to_frame()
        assert dict.fromkeys(times, "UTC") == {c: str(table[c].dt.tz) for c in times}

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_repr_is_one_short_line(self, result: Any) -> None:
        """A result's repr is one line of at most 320 characters."""
        shown = repr(result)
        assert ("\n" not in shown, len(shown) <= 320) == (True, True), shown

    @pytest.mark.parametrize("result", RESULTS, ids=IDS)
    def test_html_is_a_small_page(self, result: Any) -> None:
        """_repr_html_ gives one salesmark block, at most 21 table rows of data, under 40 kB."""
        page = result._repr_html_()
        assert page.startswith('<div class="salesmark">')
        assert page.count("<tr>") <= 2 + 21 * 2
        assert len(page) < 40_000
