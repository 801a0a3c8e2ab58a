"""Tests of salesmark.integrations.dask on a real local cluster: two worker processes.

Every answer must equal the single-process one exactly: integer counts, money to the
cent, each model's statistic and the funnel. The cluster starts once for the module.
"""

from __future__ import annotations

import copyreg
import pickle
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

_PICKLERS = dict(copyreg.dispatch_table)
dd = pytest.importorskip(
    "dask.dataframe", reason="dask is not installed: pip install 'salesmark[dask]'"
)
distributed = pytest.importorskip(
    "dask.distributed", reason="dask.distributed is not installed: pip install 'salesmark[dask]'"
)
pd = pytest.importorskip("pandas", reason="pandas is not installed: pip install 'salesmark[dask]'")

from cluster_data import COLUMNS, company, journeys, records, stage_changes  # noqa: E402
from salesmark import Period  # noqa: E402
from salesmark.attribution import (  # noqa: E402
    RULE_MODELS,
    PathCounts,
    markov,
    markov_statistics,
    rule_credits,
    shapley_statistics,
)
from salesmark.errors import ValidationError  # noqa: E402
from salesmark.funnel import funnel_counts  # noqa: E402
from salesmark.integrations import dask as sd  # noqa: E402

# Importing dask installs tblib's pickling of every exception class in this process
# (cattrs' grouped errors then no longer pickle): the rest of the suite gets plain
# Python's back. The workers are processes of their own, and keep theirs.
for _type in [k for k in copyreg.dispatch_table if k not in _PICKLERS]:
    if isinstance(_type, type) and issubclass(_type, BaseException):
        del copyreg.dispatch_table[_type]

ROWS = journeys(3_000)
PARTITIONS = 6


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of two worker processes, one thread each, and its client.

    Its dashboard takes a free port (``":0"``): ``None`` still asks for 8787, which
    another cluster on the machine may hold.
    """
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def frame(client: Any) -> Any:
    """The journeys as a Dask DataFrame of several partitions, values as floats of cents."""
    table = pd.DataFrame(records(ROWS))
    table["total_conversion_value"] = [None if x is None else float(x) for x in table[COLUMNS[3]]]
    return dd.from_pandas(table, npartitions=PARTITIONS)


@pytest.fixture(scope="module")
def whole() -> PathCounts:
    """The single-process answer."""
    return PathCounts.from_records(records(ROWS), currency="EUR")


class TestPathCounts:
    def test_equal_to_the_single_process_answer(self, frame: Any, whole: PathCounts) -> None:
        """Dask's group-by gives the same paths, counts and value to the cent."""
        found = sd.path_counts(frame, currency="EUR")
        assert whole == found
        assert whole.total_value == found.total_value
        assert PARTITIONS == frame.npartitions

    def test_lazy_gives_a_delayed(self, frame: Any, whole: PathCounts) -> None:
        """lazy=True returns a Delayed whose computed value is the answer."""
        delayed = sd.path_counts(frame, currency="EUR", lazy=True)
        assert "Delayed" == type(delayed).__name__
        assert whole == delayed.compute()

    def test_decimal_cells(self, client: Any) -> None:
        """Decimal and integer value cells are summed exactly, with no float on the way."""
        table = pd.DataFrame(
            {
                "path": ["a > b", "a > b", "b"],
                "total_conversions": [1, 1, 1],
                "total_null": [0.0, None, 2.0],
                "total_conversion_value": [Decimal("0.10"), Decimal("0.20"), 3],
            }
        )
        found = sd.path_counts(dd.from_pandas(table, npartitions=2), currency="EUR")
        assert {("a", "b"): (2, 0, Decimal("0.30")), ("b",): (1, 2, Decimal(3))} == dict(
            found.paths
        )

    def test_refuses_an_inexact_amount(self, client: Any) -> None:
        """An amount with more decimal places than places= is refused, never rounded."""
        table = pd.DataFrame({"path": ["a"], "total_conversions": [1], "total_null": [0],
                              "total_conversion_value": [1.005]})  # fmt: skip
        with pytest.raises(ValidationError, match="total_conversion_value"):
            sd.path_counts(dd.from_pandas(table, npartitions=1), currency="EUR")

    def test_refuses_a_missing_column(self, frame: Any) -> None:
        """A column that is not there is named with the columns there are."""
        with pytest.raises(ValidationError, match="no column 'paths'"):
            sd.path_counts(frame, path="paths", currency="EUR")


class TestStatistics:
    @pytest.mark.parametrize("order", [1, 2])
    def test_markov(self, frame: Any, whole: PathCounts, order: int) -> None:
        """The merged transition counts are the whole's, and solve to the whole's model."""
        found = sd.markov_statistics(frame, order=order, currency="EUR")
        assert markov_statistics(whole, order=order) == found
        if order == 1:
            assert markov(whole, engine="python") == found.result()

    def test_every_rule_model(self, frame: Any, whole: PathCounts) -> None:
        """Each rule-based model's merged sums are the whole's (lazy ones computed together)."""
        lazy = [sd.rule_credits(frame, name, currency="EUR", lazy=True) for name in RULE_MODELS]
        found = distributed.get_client().compute(lazy, sync=True)
        assert [rule_credits(whole, name) for name in RULE_MODELS] == found

    def test_shapley(self, frame: Any, whole: PathCounts) -> None:
        """The merged coalition worths are the whole's."""
        assert shapley_statistics(whole) == sd.shapley_statistics(frame, currency="EUR")

    def test_the_driver_receives_no_path(self, frame: Any, whole: PathCounts) -> None:
        """What reaches the driver is bounded by the channels, and does not grow with the paths."""
        small = dd.from_pandas(pd.DataFrame(records(ROWS[:300])), npartitions=2)
        for name in ("markov", "linear"):
            sizes = []
            for data in (small, frame):
                delayed = (
                    sd.markov_statistics(data, currency="EUR", lazy=True)
                    if name == "markov"
                    else sd.rule_credits(data, name, currency="EUR", lazy=True)
                )
                sizes.append(len(pickle.dumps(distributed.get_client().compute(delayed).result())))
            assert sizes[1] < 2 * sizes[0]
            assert sizes[1] < len(pickle.dumps(whole)) / 4
        stats = sd.markov_statistics(frame, currency="EUR")
        channels = len(stats.channels)
        assert len(stats.transitions) <= channels * channels
        assert len(stats.starts) <= channels
        assert len(stats.ends) <= channels


class TestFunnelCounts:
    def test_equal_to_the_single_process_answer(self, client: Any) -> None:
        """The funnel of the stage changes shuffled by lead is the funnel of the leads."""
        org = company()
        table = pd.DataFrame(
            stage_changes(org), columns=["lead_id", "stage", "at", "reason", "created_at"]
        )
        frame = dd.from_pandas(table, npartitions=4)
        year = Period.fiscal_year(2026)
        found = sd.funnel_counts(
            frame, year, lifecycle=org.lifecycle, reason="reason", created_at="created_at"
        )
        assert funnel_counts(org.leads, year, lifecycle=org.lifecycle) == found

    def test_refuses_naive_timestamps(self, client: Any) -> None:
        """A stage-change column without a time zone is refused before anything runs."""
        table = pd.DataFrame({"lead_id": ["A"], "stage": ["inquiry"],
                              "at": [pd.Timestamp("2026-01-05")]})  # fmt: skip
        with pytest.raises(ValidationError, match="timezone-aware"):
            sd.funnel_counts(
                dd.from_pandas(table, npartitions=1),
                Period.quarter(2026, 1),
                lifecycle=company(leads=1).lifecycle,
            )
