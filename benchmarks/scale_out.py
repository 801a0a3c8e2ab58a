"""Benchmark the scale-out adapters (Dask, Spark) against the single-process route, and project.

Usage: python benchmarks/scale_out.py [--journeys N [N ...]] [--partitions P] [--workers W]
       [--routes single dask spark] [--seed S]

For each size (default 1,000,000 journeys; ``--journeys 1000000 10000000`` adds 10M,
when the free disk allows), seeded journeys (the default mix of
``benchmarks/attribution.py``: 12 channels, paths skewed short, up to 15 touches) are
written one row a journey to partitioned Parquet in a temporary directory, removed at
the end. Each route then reads that directory and computes the PathCounts, the Markov
statistics (order 1) and the linear model's credits:

- ``single``: one process reads every row (pyarrow) into ``PathCounts.from_records``
  and computes both statistics from the counts;
- ``dask``: a ``LocalCluster`` of ``--workers`` processes runs
  ``salesmark.integrations.dask`` on ``dd.read_parquet``;
- ``spark``: a ``local[W]`` session runs ``salesmark.integrations.spark`` on
  ``spark.read.parquet``.

Each route runs in a fresh process of its own, so its driver's peak memory (max RSS)
is its own; the routes' order alternates from one size to the next. Spark's JVM and
Dask's workers are other processes: their memory is not in the driver's peak.

The projection to 100M and 1B journeys uses the measured per-core throughput of the
distributed statistics, the unique paths' growth (fitted between two sizes, else the
N^0.85 growth measured outside the project) and the driver's bytes per unique path:
cores needed to finish in ten minutes, the driver memory each route needs, and the
driver's own time. The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from attribution import CHANNELS, generate

GROWTH = 0.85  # unique paths ~ N**0.85, measured outside the project from 1M to 1B
TARGET_SECONDS = 600
PARQUET_BYTES = 12  # about what one journey row takes in Parquet; checked after writing


def write(directory: Path, n: int, partitions: int, seed: int) -> int:
    """Write ``n`` journeys as ``partitions`` Parquet files; return the bytes written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.mkdir(parents=True)
    per = math.ceil(n / partitions)
    for part in range(partitions):
        size = min(per, n - part * per)
        journeys = generate(size, seed * 10_000 + part, CHANNELS)
        table = pa.table(
            {
                "path": [" > ".join(path) for path, _c, _v in journeys],
                "total_conversions": pa.array([int(c) for _p, c, _v in journeys], pa.int64()),
                "total_null": pa.array([int(not c) for _p, c, _v in journeys], pa.int64()),
                "total_conversion_value": pa.array([v / 100 for _p, _c, v in journeys]),
            }
        )
        pq.write_table(table, directory / f"part-{part:04d}.parquet")
    return sum(f.stat().st_size for f in directory.iterdir())


def peak_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(results: dict[str, Any], name: str, call: Any) -> Any:
    start = time.perf_counter()
    value = call()
    results[name] = round(time.perf_counter() - start, 2)
    return value


def run_single(directory: Path, workers: int) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from salesmark.attribution import PathCounts, markov_statistics, rule_credits

    out: dict[str, Any] = {}
    start = time.perf_counter()
    read = timed(out, "read_s", lambda: pq.read_table(directory))
    counts = timed(out, "path_counts_s", lambda: PathCounts.from_records(read, currency="EUR"))
    timed(out, "markov_s", lambda: markov_statistics(counts))
    timed(out, "linear_s", lambda: rule_credits(counts, "linear"))
    out["total_s"] = round(time.perf_counter() - start, 2)
    # What a driver does with grouped rows: one PathCounts from the distinct paths.
    rows = counts.rows()
    grouped = {
        "path": [" > ".join(r.path) for r in rows],
        "total_conversions": [r.conversions for r in rows],
        "total_null": [r.nulls for r in rows],
        "total_conversion_value": [r.value for r in rows],
    }
    build = time.perf_counter()
    PathCounts.from_records(grouped, currency="EUR")
    out["driver_build_us_per_path"] = round((time.perf_counter() - build) / len(rows) * 1e6, 1)
    out["paths"] = len(counts)
    out["path_counts_pickle_bytes"] = len(__import__("pickle").dumps(counts))
    out["value"] = str(counts.total_value.amount) if counts.total_value else "0"
    return out


def run_dask(directory: Path, workers: int) -> dict[str, Any]:
    import pickle

    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    from salesmark.integrations import dask as sd

    out: dict[str, Any] = {}
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        start = time.perf_counter()
        frame = dd.read_parquet(str(directory))
        out["partitions"] = frame.npartitions
        before = peak_mb()
        counts = timed(out, "path_counts_s", lambda: sd.path_counts(frame, currency="EUR"))
        out["path_counts_driver_mb"] = round(peak_mb() - before, 1)
        stats = timed(out, "markov_s", lambda: sd.markov_statistics(frame, currency="EUR"))
        linear = timed(out, "linear_s", lambda: sd.rule_credits(frame, "linear", currency="EUR"))
        out["total_s"] = round(time.perf_counter() - start, 2)
    out["paths"] = len(counts)
    out["markov_collected_bytes"] = len(pickle.dumps(stats))
    out["linear_collected_bytes"] = len(pickle.dumps(linear))
    out["value"] = str(counts.total_value.amount) if counts.total_value else "0"
    return out


def run_spark(directory: Path, workers: int) -> dict[str, Any]:
    import pickle

    from pyspark.sql import SparkSession

    from salesmark.integrations import spark as ss

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(f"local[{workers}]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(4 * workers))
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    out: dict[str, Any] = {}
    try:
        start = time.perf_counter()
        frame = spark.read.parquet(str(directory))
        out["partitions"] = frame.rdd.getNumPartitions()
        counts = timed(out, "path_counts_s", lambda: ss.path_counts(frame, currency="EUR"))
        stats = timed(out, "markov_s", lambda: ss.markov_statistics(frame, currency="EUR"))
        linear = timed(out, "linear_s", lambda: ss.rule_credits(frame, "linear", currency="EUR"))
        out["total_s"] = round(time.perf_counter() - start, 2)
    finally:
        spark.stop()
    out["paths"] = len(counts)
    out["markov_collected_bytes"] = len(pickle.dumps(stats))
    out["linear_collected_bytes"] = len(pickle.dumps(linear))
    out["value"] = str(counts.total_value.amount) if counts.total_value else "0"
    return out


ROUTES = {"single": run_single, "dask": run_dask, "spark": run_spark}


def one_route(route: str, directory: Path, workers: int) -> dict[str, Any]:
    """Run one route in a fresh process; its figures and its driver's peak memory."""
    done = subprocess.run(
        [sys.executable, __file__, "--route-only", route, str(directory), str(workers)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    return json.loads(lines[-1])


def project(sizes: dict[int, dict[str, Any]], workers: int) -> dict[str, Any]:
    """Cores, driver memory and driver time at 100M and 1B journeys, from the measured figures."""
    largest = max(sizes)
    measured = sizes[largest]
    single = measured.get("single", {})
    paths = single.get("paths") or measured.get("dask", {}).get("paths")
    if len(sizes) > 1 and all("paths" in s.get("single", {}) for s in sizes.values()):
        small = min(sizes)
        growth = math.log(sizes[largest]["single"]["paths"] / sizes[small]["single"]["paths"])
        growth /= math.log(largest / small)
    else:
        growth = GROWTH
    driver_mb = measured.get("dask", {}).get("path_counts_driver_mb", 0)
    bytes_per_path = max(driver_mb * 1e6, single.get("path_counts_pickle_bytes", 0)) / max(
        paths or 1, 1
    )
    per_path_s = single.get("driver_build_us_per_path", 0) / 1e6
    out: dict[str, Any] = {
        "growth_exponent": round(growth, 3),
        "driver_bytes_per_path": round(bytes_per_path),
    }
    for route in ("dask", "spark"):
        figures = measured.get(route, {})
        if "markov_s" not in figures:
            continue
        per_core = largest / (figures["markov_s"] * workers)  # journeys a core a second
        out[f"{route}_journeys_per_core_s"] = round(per_core)
    for target, label in ((10**8, "100M"), (10**9, "1B")):
        unique = (paths or 0) * (target / largest) ** growth
        row: dict[str, Any] = {"journeys": target, "unique_paths": round(unique)}
        for route in ("dask", "spark"):
            per_core = out.get(f"{route}_journeys_per_core_s")
            if per_core:
                row[f"{route}_cores_for_10_min"] = math.ceil(target / (per_core * TARGET_SECONDS))
        row["path_counts_driver_gb"] = round(unique * bytes_per_path / 1e9, 1)
        row["path_counts_driver_build_min"] = round(unique * per_path_s / 60, 1)
        collected = max(
            measured.get(r, {}).get("linear_collected_bytes", 0) for r in ("dask", "spark")
        )
        row["markov_and_rules_collected_kb"] = round(collected / 1e3, 1)
        out[label] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--routes", nargs="+", default=list(ROUTES), choices=list(ROUTES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--route-only", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.route_only:
        route, directory, workers = args.route_only
        figures = ROUTES[route](Path(directory), int(workers))
        figures["driver_peak_mb"] = round(peak_mb())
        print(json.dumps(figures))
        return
    root = Path(tempfile.mkdtemp(prefix="salesmark-scale-out-"))
    sizes: dict[int, dict[str, Any]] = {}
    try:
        for index, n in enumerate(sorted(args.journeys)):
            free = shutil.disk_usage(root).free
            if n * PARQUET_BYTES * 2 > free:
                print(f"{n:,} journeys: skipped, {free / 1e9:.1f} GB free on the disk")
                continue
            directory = root / f"j{n}"
            start = time.perf_counter()
            written = write(directory, n, args.partitions, args.seed)
            figures: dict[str, Any] = {
                "parquet_mb": round(written / 1e6, 1),
                "generate_s": round(time.perf_counter() - start, 1),
            }
            order = args.routes if index % 2 == 0 else args.routes[::-1]
            for route in order:
                figures[route] = one_route(route, directory, args.workers)
                print(f"{n:,} journeys, {route}: {json.dumps(figures[route])}", flush=True)
            values = {figures[r].get("value") for r in args.routes if "value" in figures[r]}
            figures["same_value_everywhere"] = len(values) == 1
            paths = {figures[r].get("paths") for r in args.routes if "paths" in figures[r]}
            figures["same_paths_everywhere"] = len(paths) == 1
            sizes[n] = figures
            shutil.rmtree(directory)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    projection = project(sizes, args.workers) if sizes else {}
    for label in ("100M", "1B"):
        if label in projection:
            print(f"projection at {label} journeys: {json.dumps(projection[label])}")
    print(json.dumps({"workers": args.workers, "sizes": sizes, "projection": projection}))


if __name__ == "__main__":
    main()
