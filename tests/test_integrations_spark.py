"""Tests of salesmark.integrations.spark on a local Spark session, ``local[2]``.

Every answer must equal the single-process one exactly: integer counts, money to the
cent, each model's statistic and the funnel. The session starts once for the module
(its Python workers run this interpreter, so they import the salesmark under test).
"""

from __future__ import annotations

import operator
import os
import pickle
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

pyspark_sql = pytest.importorskip(
    "pyspark.sql", reason="pyspark is not installed: pip install 'salesmark[spark]'"
)

from cluster_data import company, journeys, records, stage_changes  # noqa: E402
from salesmark import Period  # noqa: E402
from salesmark.attribution import (  # noqa: E402
    RULE_MODELS,
    MarkovStatistics,
    PathCounts,
    RuleCredits,
    markov,
    markov_statistics,
    rule_credits,
    shapley_statistics,
)
from salesmark.errors import ValidationError  # noqa: E402
from salesmark.funnel import FunnelCounts, funnel_counts  # noqa: E402
from salesmark.integrations import spark as ss  # noqa: E402

ROWS = journeys(3_000)
PARTITIONS = 4


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local session of two cores for the module, without its web UI."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("salesmark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(PARTITIONS))
        .config("spark.sql.adaptive.enabled", "false")  # keep the partitions asked for
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def frame(spark: Any) -> Any:
    """The journeys as a Spark DataFrame of several partitions, values as DECIMAL(12, 2)."""
    schema = (
        "path string, total_conversions long, total_null long, total_conversion_value decimal(12,2)"
    )
    return spark.createDataFrame(ROWS, schema).repartition(PARTITIONS)


@pytest.fixture(scope="module")
def whole() -> PathCounts:
    """The single-process answer."""
    return PathCounts.from_records(records(ROWS), currency="EUR")


class TestPathCounts:
    def test_equal_to_the_single_process_answer(self, frame: Any, whole: PathCounts) -> None:
        """Spark SQL's group-by gives the same paths, counts and value to the cent."""
        found = ss.path_counts(frame, currency="EUR")
        assert whole == found
        assert whole.total_value == found.total_value
        assert PARTITIONS == frame.rdd.getNumPartitions()

    def test_lazy_gives_an_rdd(self, frame: Any, whole: PathCounts) -> None:
        """lazy=True returns the RDD of one PathCounts per partition of the groups."""
        rdd = ss.path_counts(frame, currency="EUR", lazy=True)
        assert whole == PathCounts.merge(rdd.collect())

    def test_float_and_integer_values(self, spark: Any) -> None:
        """Floats holding cents and whole currency units are summed as DECIMAL, exactly."""
        rows = [("a > b", 1, 0.0, 0.1), ("a > b", 1, None, 0.2), ("b", 1, 2.0, None)]
        table = spark.createDataFrame(rows, "path string, c int, n double, v double")
        found = ss.path_counts(table, conversions="c", nulls="n", value="v", currency="EUR")
        assert {("a", "b"): (2, 0, Decimal("0.30")), ("b",): (1, 2, Decimal(0))} == dict(
            found.paths
        )

    def test_refuses_an_inexact_amount(self, spark: Any) -> None:
        """An amount with more decimal places than places= fails the job, never rounded."""
        table = spark.createDataFrame([("a", 1, 0, 1.005)], "path string, c int, n int, v double")
        with pytest.raises(Exception, match="more than 2 decimal places"):
            ss.path_counts(table, conversions="c", nulls="n", value="v", currency="EUR")

    def test_refuses_a_missing_column(self, frame: Any) -> None:
        """A column that is not there is named with the columns there are."""
        with pytest.raises(ValidationError, match="no column 'paths'"):
            ss.path_counts(frame, path="paths", currency="EUR")


class TestStatistics:
    @pytest.mark.parametrize("order", [1, 2])
    def test_markov(self, frame: Any, whole: PathCounts, order: int) -> None:
        """The merged transition counts are the whole's, and solve to the whole's model."""
        found = ss.markov_statistics(frame, order=order, currency="EUR")
        assert markov_statistics(whole, order=order) == found
        if order == 1:
            assert markov(whole, engine="python") == found.result()

    def test_every_rule_model(self, spark: Any, frame: Any, whole: PathCounts) -> None:
        """Each rule-based model's merged sums are the whole's (the lazy RDDs run as one job)."""
        lazy = [ss.rule_credits(frame, name, currency="EUR", lazy=True) for name in RULE_MODELS]
        partials = spark.sparkContext.union(lazy).collect()
        found = [RuleCredits.merge(p for p in partials if p.model == name) for name in RULE_MODELS]
        assert [rule_credits(whole, name) for name in RULE_MODELS] == found
        assert rule_credits(whole, "linear") == ss.rule_credits(frame, "linear", currency="EUR")

    def test_shapley(self, frame: Any, whole: PathCounts) -> None:
        """The merged coalition worths are the whole's."""
        assert shapley_statistics(whole) == ss.shapley_statistics(frame, currency="EUR")

    def test_the_driver_receives_no_path(self, frame: Any, whole: PathCounts) -> None:
        """Each partial a partition sends is bounded by the channels, however many paths it holds."""
        rdd = ss.markov_statistics(frame, currency="EUR", lazy=True)
        partials = rdd.collect()
        assert PARTITIONS == len(partials)
        merged = MarkovStatistics.merge(partials)
        assert markov_statistics(whole) == merged
        assert merged == rdd.treeReduce(operator.add)
        channels = len(merged.channels)
        assert len(merged.transitions) <= channels * channels
        biggest = max(len(pickle.dumps(p)) for p in partials)
        assert biggest < len(pickle.dumps(whole)) / 4
        assert len(pickle.dumps(merged)) < 2 * biggest


class TestFunnelCounts:
    def test_equal_to_the_single_process_answer(self, spark: Any) -> None:
        """The funnel of the stage changes repartitioned by lead is the funnel of the leads."""
        org = company()
        schema = "lead_id string, stage string, at timestamp, reason string, created_at timestamp"
        table = spark.createDataFrame(stage_changes(org), schema).repartition(3)
        year = Period.fiscal_year(2026)
        found = ss.funnel_counts(
            table, year, lifecycle=org.lifecycle, reason="reason", created_at="created_at"
        )
        assert funnel_counts(org.leads, year, lifecycle=org.lifecycle) == found
        lazy = ss.funnel_counts(
            table, year, lifecycle=org.lifecycle, created_at="created_at", lazy=True
        )
        assert found == FunnelCounts.merge(lazy.collect())

    def test_refuses_naive_timestamps(self, spark: Any) -> None:
        """A TIMESTAMP_NTZ column is refused before anything runs."""
        table = spark.sql(
            "select 'A' as lead_id, 'inquiry' as stage, timestamp_ntz'2026-01-05' as at"
        )
        with pytest.raises(ValidationError, match="must be a TIMESTAMP"):
            ss.funnel_counts(table, Period.quarter(2026, 1), lifecycle=company(leads=1).lifecycle)
