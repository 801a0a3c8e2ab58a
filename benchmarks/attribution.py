"""Benchmark salesmark.attribution against channelattribution and marketing-attribution-models.

Usage: python benchmarks/attribution.py [--journeys N] [--seed S] [--skip-peers]

Generates a seeded synthetic set of journeys (default 1,000,000 over 12 channels; path
length skewed short, up to 15; repeats and loops included), aggregates them, and times
the same work in salesmark and in each peer, starting from the same in-memory rows of
path strings with counts and values (ChannelAttribution's format). salesmark's
timings include parsing those rows. channelattribution needs them as a pandas
DataFrame: the headline ratios add the time to build that frame from the same rows
(best of three) to the peer's time, since both sides start from the rows; the
``*_prebuilt_frame`` ratios leave it out (the peer handed a ready frame for free).

The last line printed is one JSON object with every measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import math
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
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


def generate(n: int, seed: int, channels: list[str]) -> list[tuple[tuple[str, ...], bool, int]]:
    """Seeded journeys: (path, converted, value in cents)."""
    rng = random.Random(seed)
    k = len(channels)
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(k)]
    lift = [0.02 + 0.06 * rng.random() for _ in range(k)]
    lengths = list(range(1, 16))
    length_weights = [0.55**i for i in range(15)]
    journeys = []
    choices = rng.choices
    for _ in range(n):
        length = choices(lengths, length_weights)[0]
        path = []
        for step in range(length):
            if step and rng.random() < 0.25:
                path.append(path[-1])  # a repeat
            elif step > 1 and rng.random() < 0.15:
                path.append(path[-2])  # a loop back
            else:
                path.append(choices(channels, popularity)[0])
        p = 1.0 - math.prod(1.0 - lift[channels.index(c)] for c in set(path))
        converted = rng.random() < p
        value = rng.randint(1_000, 500_000) if converted else 0
        journeys.append((tuple(path), converted, value))
    return journeys


def to_rows(journeys: list[tuple[tuple[str, ...], bool, int]]) -> list[dict[str, Any]]:
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


def timed(fn: Callable[[], Any], *, quiet: bool = False) -> tuple[float, Any]:
    """Seconds taken by ``fn()`` and its result (peer chatter on stdout is swallowed)."""
    sink = io.StringIO()
    start = time.perf_counter()
    if quiet:
        with contextlib.redirect_stdout(sink):
            result = fn()
    else:
        result = fn()
    return time.perf_counter() - start, result


def parse(rows: list[dict[str, Any]]) -> PathCounts:
    return PathCounts.from_records(rows, currency="USD")


def max_rel_diff(ours: dict[str, float], theirs: dict[str, float]) -> float:
    worst = 0.0
    for name, value in ours.items():
        other = theirs.get(name, 0.0)
        scale = max(abs(value), abs(other))
        if scale > 0:
            worst = max(worst, abs(value - other) / scale)
    return worst


def main() -> None:  # noqa: PLR0912, PLR0915 (one linear script)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()
    out: dict[str, Any] = {"journeys": args.journeys, "seed": args.seed}

    t0 = time.perf_counter()
    raw = generate(args.journeys, args.seed, CHANNELS)
    print(f"generated {len(raw):,} journeys in {time.perf_counter() - t0:.1f}s")

    def build(raw: list[tuple[tuple[str, ...], bool, int]] = raw) -> PathCounts:
        return PathCounts.from_tuples(
            (
                (path, int(conv), int(not conv), Decimal(value).scaleb(-2) if conv else None)
                for path, conv, value in raw
            ),
            currency="USD",
        )

    out["build_pathcounts_seconds"], counts = timed(build)
    out["unique_paths"] = len(counts)
    out["total_conversions"] = counts.total_conversions
    print(
        f"PathCounts from raw journeys: {out['build_pathcounts_seconds']:.2f}s, {len(counts):,} unique paths"
    )
    rows = to_rows(raw)
    del raw
    # The rows are long-lived input for every side: freeze them (and the aggregated counts)
    # so the cyclic garbage collector does not rescan them while any side is timed.
    gc.collect()
    gc.freeze()

    out["parse_rows_seconds"], parsed = timed(lambda: parse(rows))
    assert parsed.paths.keys() == counts.paths.keys()
    print(f"parse {len(rows):,} rows (from_records): {out['parse_rows_seconds']:.2f}s")

    rule_models: dict[str, Callable[[PathCounts], Any]] = {
        "first_touch": first_touch,
        "last_touch": last_touch,
        "linear": linear,
        "last_non_direct": last_non_direct,
        "position_based": position_based,
        "j_shaped": j_shaped,
        "inverse_j": inverse_j,
    }
    results: dict[str, Any] = {}
    for name, model in rule_models.items():
        seconds, results[name] = timed(lambda m=model: m(parsed))
        out[f"salesmark_{name}_seconds"] = seconds
        print(f"salesmark {name}: {seconds:.3f}s")
    heur = ["first_touch", "last_touch", "linear"]
    out["salesmark_heuristics_seconds"] = out["parse_rows_seconds"] + sum(
        out[f"salesmark_{n}_seconds"] for n in heur
    )
    out["salesmark_all_rule_models_seconds"] = out["parse_rows_seconds"] + sum(
        out[f"salesmark_{n}_seconds"] for n in rule_models
    )

    for order in (1, 3):
        seconds, results[f"markov{order}"] = timed(lambda o=order: markov(parse(rows), order=o))
        out[f"salesmark_markov{order}_seconds"] = seconds
        print(f"salesmark markov order {order} (incl. parsing): {seconds:.2f}s")
    for worth in ("conversions", "conversion_rate"):
        seconds, results[f"shapley_{worth}"] = timed(lambda w=worth: shapley(parsed, worth=w))
        out[f"salesmark_shapley_{worth}_seconds"] = seconds
        print(f"salesmark shapley worth={worth} ({len(CHANNELS)} channels): {seconds:.2f}s")

    channels20 = [f"ch{i:02d}" for i in range(20)]
    rows20 = to_rows(generate(max(args.journeys // 5, 1000), args.seed + 1, channels20))
    counts20 = parse(rows20)
    out["shapley20_channels"] = len(counts20.channels)
    out["shapley20_seconds"], _r20 = timed(lambda: shapley(counts20, worth="conversion_rate"))
    print(f"salesmark shapley conversion_rate over 20 channels: {out['shapley20_seconds']:.2f}s")

    if args.skip_peers:
        print(json.dumps(out))
        return

    import pandas as pd

    frame_seconds = min(timed(lambda: pd.DataFrame(rows), quiet=True)[0] for _ in range(3))
    frame = pd.DataFrame(rows)
    out["pandas_frame_from_rows_seconds"] = frame_seconds
    print(f"pandas DataFrame from the same rows (for channelattribution): {frame_seconds:.2f}s")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import ChannelAttribution as ca  # noqa: N813
    except Exception as error:
        out["channelattribution_error"] = repr(error)
        ca = None
    if ca is not None:
        seconds, heur_ca = timed(
            lambda: ca.heuristic_models(
                frame, "path", "total_conversions", var_value="total_conversion_value", sep=">"
            ),
            quiet=True,
        )
        out["channelattribution_heuristics_seconds"] = seconds
        out["heuristics_ratio_vs_channelattribution"] = out["salesmark_heuristics_seconds"] / (
            seconds + frame_seconds
        )
        out["heuristics_ratio_vs_channelattribution_prebuilt_frame"] = (
            out["salesmark_heuristics_seconds"] / seconds
        )
        print(f"channelattribution heuristic_models: {seconds:.2f}s")
        ca_cols = {
            "first_touch": "first_touch",
            "last_touch": "last_touch",
            "linear": "linear_touch",
        }
        diffs = {}
        for ours, theirs in ca_cols.items():
            table = dict(
                zip(heur_ca["channel_name"], heur_ca[f"{theirs}_conversions"], strict=True)
            )
            diffs[ours] = max_rel_diff(dict(results[ours].credits), table)
        out["max_heuristic_credit_diff_vs_channelattribution"] = max(diffs.values())
        for order in (1, 3):
            seconds, res = timed(
                lambda o=order: ca.markov_model(
                    frame,
                    "path",
                    "total_conversions",
                    var_value="total_conversion_value",
                    var_null="total_null",
                    order=o,
                    sep=">",
                    out_more=True,
                ),
                quiet=True,
            )
            out[f"channelattribution_markov{order}_seconds"] = seconds
            out[f"markov{order}_ratio_vs_channelattribution"] = out[
                f"salesmark_markov{order}_seconds"
            ] / (seconds + frame_seconds)
            out[f"markov{order}_ratio_vs_channelattribution_prebuilt_frame"] = (
                out[f"salesmark_markov{order}_seconds"] / seconds
            )
            ca_credits = dict(
                zip(res["result"]["channel_name"], res["result"]["total_conversions"], strict=True)
            )
            ca_effects = dict(
                zip(
                    res["removal_effects"]["channel_name"],
                    res["removal_effects"]["removal_effects_conversion"],
                    strict=True,
                )
            )
            ours = results[f"markov{order}"]
            out[f"max_markov{order}_credit_diff_vs_channelattribution"] = max_rel_diff(
                dict(ours.credits), ca_credits
            )
            out[f"max_markov{order}_removal_effect_diff_vs_channelattribution"] = max_rel_diff(
                dict(ours.removal_effects), ca_effects
            )
            print(
                f"channelattribution markov_model order {order}: {seconds:.2f}s; "
                f"largest credit difference "
                f"{out[f'max_markov{order}_credit_diff_vs_channelattribution']:.2%}"
            )

    try:
        import polars as pl
        from mam import MAM
    except Exception as error:
        out["mam_error"] = repr(error)
        MAM = None  # noqa: N806
    if MAM is not None:
        grouped = []
        for row in rows:
            if row["total_conversions"]:
                grouped.append(
                    {
                        "path": row["path"],
                        "occurrences": row["total_conversions"],
                        "has_conversion": True,
                        "value": row["total_conversion_value"],
                    }
                )
            if row["total_null"]:
                grouped.append(
                    {
                        "path": row["path"],
                        "occurrences": row["total_null"],
                        "has_conversion": False,
                        "value": 0.0,
                    }
                )
        mam_frame = pl.DataFrame(grouped)

        def run_mam() -> Any:
            model = MAM(
                mam_frame,
                format_type="grouped_journey",
                channels_colname="path",
                journey_with_conv_colname="has_conversion",
                occurrences_colname="occurrences",
                path_separator=" > ",
                conversion_value_colname="value",
            )
            return model.run_markov()

        seconds, mam_result = timed(run_mam, quiet=True)
        out["mam_markov1_seconds"] = seconds
        out["markov1_ratio_vs_mam"] = out["salesmark_markov1_seconds"] / seconds
        table = mam_result.metadata["removal_effect"]
        mam_effects = {str(k): float(v) for k, v in table["removal_effect"].items()}
        out["max_removal_effect_diff_vs_mam"] = max_rel_diff(
            dict(results["markov1"].removal_effects), mam_effects
        )
        print(
            f"marketing-attribution-models markov: {seconds:.2f}s; largest removal-effect "
            f"difference {out['max_removal_effect_diff_vs_mam']:.3g}"
        )
    sys.stdout.flush()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
