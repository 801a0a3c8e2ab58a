"""Benchmark salesmark.attribution (both engines) against channelattribution, paired and honest.

Usage: python benchmarks/attribution.py [--journeys N [N ...]] [--mix default|varied]
       [--pairs P] [--seed S] [--skip-peers]

For each size (default 1,000,000 journeys; ``--journeys 1000000 5000000`` adds 5M), a
seeded synthetic set of journeys over 12 channels (path length skewed short, up to 15,
repeats and loops) is aggregated to rows in ChannelAttribution's format (a path string
with counts and a float value), the in-memory input both sides start from. ``--mix
varied`` draws a more diverse set instead (11 channels, flatter popularity, longer
paths: about 180k distinct paths at 1M journeys).

Every timing starts from those rows: salesmark's includes ``PathCounts.from_records``
(a fresh object each run, so no cache survives), channelattribution's includes building
its pandas frame. The sides alternate — salesmark (pure Python), peer, salesmark
(numpy), peer, ... — ``--pairs`` times, the garbage collector runs between timed runs,
and each ratio reported is the median of the paired ratios (salesmark / peer). Both
engines' credits are compared with each other on the same data. numpy's BLAS is not
used by the engine; unset OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE only for this command if
they are set for an old OpenBLAS.

The last line printed is one JSON object with every measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import math
import pickle
import random
import statistics
import sys
import time
from array import array
from collections.abc import Callable
from typing import Any

from salesmark.attribution import (
    PathCounts,
    first_touch,
    inverse_j,
    j_shaped,
    last_non_direct,
    last_touch,
    linear,
    markov,
    position_based,
    shapley,
)

CHANNELS = [
    "paid_search",
    "organic_search",
    "direct",
    "email",
    "paid_social",
    "organic_social",
    "display",
    "referral",
    "affiliates",
    "video",
    "events",
    "webinar",
]
ENGINES = ("python", "numpy")
HEURISTICS = (first_touch, last_touch, linear)
RULES = (first_touch, last_touch, linear, last_non_direct, position_based, j_shaped, inverse_j)

Journeys = list[tuple[tuple[str, ...], bool, int]]


def generate(n: int, seed: int, channels: list[str], mix: str = "default") -> Journeys:
    """Seeded journeys: (path, converted, value in cents)."""
    rng = random.Random(seed)
    k = len(channels)
    varied = mix == "varied"
    popularity = [1.0 / (i + 1) ** (0.25 if varied else 0.8) for i in range(k)]
    lift = [0.02 + 0.06 * rng.random() for _ in range(k)]
    lengths = list(range(1, 16))
    length_weights = [(0.66 if varied else 0.55) ** i for i in range(15)]
    repeat, loop = (0.12, 0.1) if varied else (0.25, 0.15)
    journeys = []
    choices = rng.choices
    for _ in range(n):
        length = choices(lengths, length_weights)[0]
        path: list[str] = []
        for step in range(length):
            if step and rng.random() < repeat:
                path.append(path[-1])  # a repeat
            elif step > 1 and rng.random() < loop:
                path.append(path[-2])  # a loop back
            else:
                path.append(choices(channels, popularity)[0])
        p = 1.0 - math.prod(1.0 - lift[channels.index(c)] for c in set(path))
        converted = rng.random() < p
        value = rng.randint(1_000, 500_000) if converted else 0
        journeys.append((tuple(path), converted, value))
    return journeys


def to_rows(journeys: Journeys) -> list[dict[str, Any]]:
    """Aggregate to ChannelAttribution-style rows (value as float, as pandas holds it)."""
    agg: dict[tuple[str, ...], list[int]] = {}
    for path, converted, value in journeys:
        entry = agg.setdefault(path, [0, 0, 0])
        if converted:
            entry[0] += 1
            entry[2] += value
        else:
            entry[1] += 1
    return [
        {
            "path": " > ".join(path),
            "total_conversions": conv,
            "total_null": nulls,
            "total_conversion_value": cents / 100,
        }
        for path, (conv, nulls, cents) in agg.items()
    ]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by ``fn()`` (after a garbage collection) and its result; chatter swallowed."""
    gc.collect()
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return seconds, result


def parse(rows: list[dict[str, Any]], engine: str) -> PathCounts:
    return PathCounts.from_records(rows, currency="USD", engine=engine)  # type: ignore[arg-type]


def paired(
    ours: dict[str, Callable[[], Any]], theirs: Callable[[], Any] | None, pairs: int
) -> dict[str, Any]:
    """Alternate each of ``ours`` with ``theirs``; medians of times and of paired ratios."""
    times: dict[str, list[float]] = {name: [] for name in ours}
    peer: list[float] = []
    ratios: dict[str, list[float]] = {name: [] for name in ours}
    results: dict[str, Any] = {}
    for _ in range(pairs):
        for name, fn in ours.items():
            seconds, results[name] = timed(fn)
            times[name].append(seconds)
            if theirs is not None:
                peer_seconds, results["peer"] = timed(theirs)
                peer.append(peer_seconds)
                ratios[name].append(seconds / peer_seconds)
    out: dict[str, Any] = {"results": results}
    for name in ours:
        out[f"{name}_seconds"] = statistics.median(times[name])
        if theirs is not None:
            out[f"{name}_ratio"] = statistics.median(ratios[name])
    if theirs is not None:
        out["peer_seconds"] = statistics.median(peer)
    return out


def max_rel_diff(ours: dict[str, float], theirs: dict[str, float]) -> float:
    worst = 0.0
    for name in ours.keys() | theirs.keys():
        a, b = ours.get(name, 0.0), theirs.get(name, 0.0)
        scale = max(abs(a), abs(b))
        if scale > 0:
            worst = max(worst, abs(a - b) / scale)
    return worst


def table_bytes(counts: PathCounts) -> int:
    """Memory held by the columnar store: columns, name table and the names themselves."""
    table = counts.table
    total = sys.getsizeof(table.names) + sum(sys.getsizeof(n) for n in table.names)
    for column in (table.tokens, table.offsets, table.conversions, table.nulls, table.units):
        total += sys.getsizeof(column)
        if not isinstance(column, array):
            total += sum(sys.getsizeof(x) for x in column)
    return total + sys.getsizeof(counts)


def peer_calls(rows: list[dict[str, Any]]) -> dict[str, Callable[[], Any]] | None:
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import ChannelAttribution as ca  # noqa: N813
        import pandas as pd
    except Exception:
        return None

    def heuristics() -> Any:
        frame = pd.DataFrame(rows)
        return ca.heuristic_models(
            frame, "path", "total_conversions", var_value="total_conversion_value", sep=">"
        )

    def markov_model(order: int) -> Callable[[], Any]:
        def run() -> Any:
            frame = pd.DataFrame(rows)
            return ca.markov_model(
                frame,
                "path",
                "total_conversions",
                var_value="total_conversion_value",
                var_null="total_null",
                order=order,
                sep=">",
                out_more=True,
            )

        return run

    return {"heuristics": heuristics, "markov1": markov_model(1), "markov3": markov_model(3)}


def measure(rows: list[dict[str, Any]], pairs: int, skip_peers: bool) -> dict[str, Any]:  # noqa: FBT001
    """Every paired measurement at one size."""
    out: dict[str, Any] = {"unique_paths": len(rows)}
    peers = None if skip_peers else peer_calls(rows)
    for engine in ENGINES:
        out[f"parse_seconds_{engine}"] = min(
            timed(lambda e=engine: parse(rows, e))[0] for _ in range(3)
        )

    def heuristics(engine: str) -> Callable[[], Any]:
        def run() -> Any:
            counts = parse(rows, engine)
            return {m.__name__: m(counts, engine=engine) for m in HEURISTICS}

        return run

    def all_rules(engine: str) -> Callable[[], Any]:
        def run() -> Any:
            counts = parse(rows, engine)
            return {m.__name__: m(counts, engine=engine) for m in RULES}

        return run

    def markov_run(engine: str, order: int) -> Callable[[], Any]:
        return lambda: markov(parse(rows, engine), order=order, engine=engine)  # type: ignore[arg-type]

    jobs: dict[str, dict[str, Callable[[], Any]]] = {
        "heuristics": {e: heuristics(e) for e in ENGINES},
        "rules": {e: all_rules(e) for e in ENGINES},
        "markov1": {e: markov_run(e, 1) for e in ENGINES},
        "markov3": {e: markov_run(e, 3) for e in ENGINES},
    }
    for job, ours in jobs.items():
        theirs = None if peers is None else peers.get("heuristics" if job == "rules" else job)
        got = paired(ours, theirs, pairs)
        results = got.pop("results")
        for engine in ENGINES:
            out[f"{job}_seconds_{engine}"] = got[f"{engine}_seconds"]
            if theirs is not None:
                out[f"{job}_ratio_{engine}"] = got[f"{engine}_ratio"]
        if theirs is not None:
            out[f"{job}_peer_seconds"] = got["peer_seconds"]
        python, fast = results["python"], results["numpy"]
        pairs_of = python.items() if isinstance(python, dict) else [(job, python)]
        worst, cents = 0.0, True
        for name, result in pairs_of:
            other = fast[name] if isinstance(fast, dict) else fast
            worst = max(worst, max_rel_diff(dict(result.credits), dict(other.credits)))
            cents = cents and dict(result.value_credits) == dict(other.value_credits)
        out[f"{job}_engines_max_credit_diff"] = worst
        out[f"{job}_engines_same_cents"] = cents
        if job.startswith("markov") and theirs is not None and "peer" in results:
            peer = results["peer"]["result"]
            table = dict(zip(peer["channel_name"], peer["total_conversions"], strict=True))
            out[f"{job}_credit_diff_vs_peer"] = max_rel_diff(dict(python.credits), table)
    counts = parse(rows, "python")
    out["bytes_per_path"] = table_bytes(counts) / len(counts)
    out["pickled_bytes_per_path"] = len(pickle.dumps(counts)) / len(counts)
    return out


def shapley20(journeys: int, seed: int) -> dict[str, Any]:
    channels20 = [f"ch{i:02d}" for i in range(20)]
    counts = parse(to_rows(generate(max(journeys // 5, 1000), seed + 1, channels20)), "python")
    out: dict[str, Any] = {"shapley20_channels": len(counts.channels)}
    for engine in ENGINES:
        runs = [
            timed(lambda e=engine: shapley(counts, worth="conversion_rate", engine=e))  # type: ignore[misc]
            for _ in range(3 if engine == "numpy" else 1)
        ]
        out[f"shapley20_seconds_{engine}"] = statistics.median(r[0] for r in runs)
        out[f"_shapley20_{engine}"] = runs[0][1]
    a, b = out.pop("_shapley20_python"), out.pop("_shapley20_numpy")
    out["shapley20_engines_max_credit_diff"] = max_rel_diff(dict(a.credits), dict(b.credits))
    return out


def blas() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl absent)"
    import numpy  # noqa: F401 (loads its BLAS, for threadpoolctl to see)

    return ", ".join(
        f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}"
        for i in threadpool_info()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--mix", choices=("default", "varied"), default="default")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()
    summary: dict[str, Any] = {"mix": args.mix, "pairs": args.pairs, "seed": args.seed}
    summary["blas"] = blas()
    channels = CHANNELS[:11] if args.mix == "varied" else CHANNELS
    for index, n in enumerate(args.journeys):
        suffix = "" if index == 0 else f"_{n // 1_000_000}m" if n >= 1_000_000 else f"_{n}"
        started = time.perf_counter()
        rows = to_rows(generate(n, args.seed, channels, args.mix))
        gc.collect()
        gc.freeze()  # the rows are long-lived input: the collector need not rescan them
        print(
            f"{n:,} journeys, {len(rows):,} distinct paths ({time.perf_counter() - started:.0f}s)"
        )
        got = measure(rows, args.pairs, args.skip_peers)
        for key, value in got.items():
            summary[f"{key}{suffix}"] = value
        for engine in ENGINES:
            tail = "" if engine == "python" else "_numpy"
            for job in ("markov1", "markov3", "heuristics", "rules"):
                if f"{job}_ratio_{engine}" in got:
                    name = "rule_models" if job == "rules" else job
                    summary[f"{name}_ratio_vs_channelattribution{tail}{suffix}"] = got[
                        f"{job}_ratio_{engine}"
                    ]
        print(json.dumps({k: v for k, v in got.items() if not isinstance(v, dict)}))
        gc.unfreeze()
        del rows
    summary.update(shapley20(args.journeys[0], args.seed))
    sys.stdout.flush()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
