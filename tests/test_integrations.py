"""Tests of salesmark.integrations without an engine: lazy imports, clear errors, exact cells."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from salesmark.errors import ValidationError
from salesmark.integrations import _partitions as parts

IMPORT_ONLY = """
import sys
import salesmark
import salesmark.integrations.dask, salesmark.integrations.spark
engines = ("dask", "distributed", "pyspark", "py4j", "pandas", "pyarrow")
print(sorted(m for m in sys.modules if m.split(".")[0] in engines))
"""

BLOCKED = """
import sys
for name in ("dask", "dask.dataframe", "distributed", "pyspark", "pyspark.sql",
             "pyspark.sql.functions", "pyspark.sql.types"):
    sys.modules[name] = None
from salesmark.errors import MissingExtra
from salesmark.integrations import dask, spark
for module, extra in ((dask, "salesmark[dask]"), (spark, "salesmark[spark]")):
    try:
        module.path_counts(object())
    except MissingExtra as exc:
        assert extra in str(exc), exc
    else:
        raise AssertionError(extra)
print("named")
"""


class TestImports:
    def test_importing_the_adapters_loads_no_engine(self) -> None:
        """import salesmark and both adapters loads neither dask nor pyspark (nor pandas)."""
        done = subprocess.run(
            [sys.executable, "-c", IMPORT_ONLY], capture_output=True, text=True, check=True
        )
        assert "[]\n" == done.stdout

    def test_a_missing_engine_names_its_extra(self) -> None:
        """Without its engine, an adapter's function says which extra to install."""
        done = subprocess.run(
            [sys.executable, "-c", BLOCKED], capture_output=True, text=True, check=True
        )
        assert "named\n" == done.stdout


class TestReading:
    def test_checks_places_sep_and_currency(self) -> None:
        """A reading refuses places out of 0-18, an empty separator and an unknown currency."""
        base = {"path": "p", "conversions": "c", "nulls": None, "value": None, "sep": ">",
                "currency": None, "places": 2}  # fmt: skip
        for field, bad, match in [
            ("places", 19, "places must be a whole number from 0 to 18"),
            ("sep", "", "sep must be a non-empty string"),
            ("currency", "XXQ", "XXQ"),
        ]:
            with pytest.raises(ValidationError, match=match):
                parts.Reading(**{**base, field: bad})

    def test_names_a_missing_column(self) -> None:
        """A table without a column read is refused, naming the column and those there are."""
        reading = parts.Reading(path="p", conversions="c", nulls="n", value=None, sep=">",
                                currency=None, places=2)  # fmt: skip
        with pytest.raises(ValidationError, match=r"no column 'n'; it has \['p', 'c'\]"):
            reading.check(["p", "c"])


class TestUnits:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [(None, 0), (3, 300), (Decimal("1.25"), 125), ("0.10", 10), (Decimal("NaN"), 0)],
    )
    def test_exact_cells(self, cell: object, expected: int) -> None:
        """Whole numbers, Decimals and numeric text become whole cents exactly."""
        assert expected == parts.units_of(cell, 2, "v")

    @pytest.mark.parametrize("cell", [Decimal("1.005"), "abc", 1.5, Decimal("Infinity")])
    def test_refused_cells(self, cell: object) -> None:
        """An amount finer than the places, text that is no number, a float or infinity is refused."""
        with pytest.raises(ValidationError, match="value column 'v'"):
            parts.units_of(cell, 2, "v")
