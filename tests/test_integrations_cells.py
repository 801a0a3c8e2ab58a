"""What a Dask worker runs on one pandas partition, run here in-process: exact cells or clear errors.

The cluster tests (test_integrations_dask.py) run these functions on workers, where
coverage does not see them; these tests hold each cell rule to account directly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from salesmark import ValidationError
from salesmark.attribution import PathCounts
from salesmark.integrations import _pandas, _partitions

pd = pytest.importorskip("pandas")

READ = _partitions.Reading(
    path="path", conversions="c", nulls="n", value="v", sep=" > ", currency="EUR", places=2
)


def _counts(frame: object) -> PathCounts:
    return _pandas.counts(_pandas.tidy(frame, READ), READ)


class TestCells:
    def test_integer_float_and_object_columns_read_the_same(self) -> None:
        """Counts as int, float or Python objects and values as float, Decimal or text give one answer."""
        ints = pd.DataFrame({"path": ["a > b", "a"], "c": [2, 0], "n": [1, 3], "v": [10, 0]})
        floats = pd.DataFrame(
            {"path": ["a > b", "a"], "c": [2.0, 0.0], "n": [1.0, None], "v": [10.0, float("nan")]}
        )
        objects = pd.DataFrame(
            {
                "path": ["a > b", "a"],
                "c": pd.Series([2, None], dtype=object),
                "n": pd.Series([1, 3], dtype=object),
                "v": pd.Series([Decimal("10.00"), "0"], dtype=object),
            }
        )
        # a missing count is zero: the float frame's second row has no nulls, so 1 in all
        expected = {"conversions": 2, "value": Decimal("10.00")}
        assert [expected] * 3 == [
            {"conversions": p.total_conversions, "value": p.total_value.amount}  # type: ignore[union-attr]
            for p in (_counts(ints), _counts(floats), _counts(objects))
        ]

    @pytest.mark.parametrize(
        ("column", "cells", "match"),
        [
            ("c", [1.5], "count column 'c' holds 1.5, not a whole number"),
            ("c", pd.Series(["two"], dtype=object), "count column 'c' holds 'two'"),
            (
                "v",
                [0.125],
                "value column 'v' holds 0.125, not an amount of at most 2 decimal places",
            ),
            ("v", pd.Series([2**70], dtype=object), "beyond 2\\*\\*63 units"),
        ],
    )
    def test_an_inexact_cell_is_refused_naming_its_column(
        self, column: str, cells: object, match: str
    ) -> None:
        """A fractional count, a count that is text, an amount finer than a cent, or too large, is refused."""
        row = {"path": ["a"], "c": [1], "n": [0], "v": [1]}
        row[column] = cells  # type: ignore[assignment]
        with pytest.raises(ValidationError, match=match):
            _pandas.tidy(pd.DataFrame(row), READ)

    def test_plain_reads_numpy_scalars_and_missing_markers(self) -> None:
        """numpy scalars become Python values; NaN, NA and NaT become None; text stays text."""
        import numpy as np

        assert [3, None, None, None, "x", Decimal("1.5")] == [
            _pandas._plain(np.int64(3)),
            _pandas._plain(float("nan")),
            _pandas._plain(pd.NA),
            _pandas._plain(pd.NaT),
            _pandas._plain("x"),
            _pandas._plain(Decimal("1.5")),
        ]

    def test_a_statistic_of_one_partition(self) -> None:
        """One partition's rule credits and Markov statistics are those of its paths summed by path."""
        from salesmark.attribution import markov_statistics, rule_credits

        frame = pd.DataFrame(
            {"path": ["a > b", "a > b", "b"], "c": [1, 1, 0], "n": [0, 1, 2], "v": [5, 5, 0]}
        )
        whole = _counts(frame)
        rules = _partitions.Model(kind="rules", options={"model": "linear"})
        chain = _partitions.Model(kind="markov", options={"order": 1})
        assert (rule_credits(whole, model="linear"), markov_statistics(whole, order=1)) == (
            _pandas.statistic(frame, READ, rules),
            _pandas.statistic(frame, READ, chain),
        )
