"""Funnel (both views) plus every catalogue KPI for one quarter, next to the same funnel
counts and conversion rates computed with pandas from the same records.

Usage: python benchmarks/funnel_kpis.py [--leads N] [--seed S] [--repeat R]
Generating the synthetic organisation is not timed. salesmark's side is the full funnel
(cohort and activity counts of every stage, stays, velocity), the KPI facts, and every
KPI of ``default_catalogue(org.lifecycle)`` computed from them, exactly, with the leads
behind each count; pandas' side is the cohort and activity counts of the progression
and their conversion rates, DataFrame construction from the leads included. The counts
compared are the progression's. Each side runs ``--repeat`` times, best kept.
The last line is one JSON object with the figures; target: ratio_vs_pandas <= 1.0.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pandas as pd

from salesmark import Money, Organisation, Period, funnel_counts, synthetic
from salesmark.metrics import KpiAssumptions, KpiFacts, default_catalogue, evaluate_catalogue


def salesmark_route(org: Organisation, quarter: Period) -> dict[str, Any]:
    counts = funnel_counts(org.leads, quarter, lifecycle=org.lifecycle)
    facts = KpiFacts.collect(org, quarter, funnel=counts)
    assumptions = KpiAssumptions(
        revenue_target=Money.of(5_000_000, org.currency), churn_rate="0.05", gross_margin="0.8"
    )
    catalogue = default_catalogue(org.lifecycle)
    report = evaluate_catalogue(
        org, quarter, facts=facts, assumptions=assumptions, catalogue=catalogue
    )
    path = len(counts.progression)  # pandas counts the progression; the funnel every stage
    return {
        "cohort": list(counts.cohort[:path]),
        "activity": list(counts.activity[:path]),
        "cohort_rates": [c.rate for c in counts.conversions("cohort")],
        "activity_rates": [c.rate for c in counts.conversions("activity")],
        "kpis": len(report.values),
    }


def pandas_route(org: Organisation, quarter: Period) -> dict[str, Any]:
    stages = org.lifecycle.progression
    index = {s: i for i, s in enumerate(stages)}
    rows = [
        (n, lead.created_at, change.stage, change.at)
        for n, lead in enumerate(org.leads)
        for change in lead.history
    ]
    df = pd.DataFrame(rows, columns=["lead", "created_at", "stage", "at"])
    df["step"] = df["stage"].map(index)
    start, end = pd.Timestamp(quarter.start), pd.Timestamp(quarter.end)
    in_cohort = (df["created_at"] >= start) & (df["created_at"] < end)
    furthest = df.loc[in_cohort].groupby("lead")["step"].max()
    cohort = [int((furthest >= k).sum()) for k in range(len(stages))]
    in_period = (df["at"] >= start) & (df["at"] < end) & df["step"].notna()
    entries = df.loc[in_period].groupby("step").size()
    activity = [int(entries.get(k, 0)) for k in range(len(stages))]

    def rates(values: list[int]) -> list[float | None]:
        return [b / a if a else None for a, b in pairwise(values)]

    return {
        "cohort": cohort,
        "activity": activity,
        "cohort_rates": rates(cohort),
        "activity_rates": rates(activity),
    }


def best_of(repeat: int, fn: Callable[[], dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    best, result = float("inf"), {}
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    org = synthetic.organisation(seed=args.seed, leads=args.leads)
    generated = time.perf_counter() - started
    # The organisation is long-lived input for both sides: freeze it so the cyclic garbage
    # collector does not rescan its millions of objects while either side is timed.
    gc.collect()
    gc.freeze()
    quarter = Period.quarter(2026, 2)
    changes = sum(len(lead.history) for lead in org.leads)
    print(
        f"generated {len(org.leads):,} leads ({changes:,} stage changes) in {generated:.1f} s (not timed)"
    )
    ours_s, ours = best_of(args.repeat, lambda: salesmark_route(org, quarter))
    theirs_s, theirs = best_of(args.repeat, lambda: pandas_route(org, quarter))
    same = ours["cohort"] == theirs["cohort"] and ours["activity"] == theirs["activity"]
    print(f"quarter {quarter!r}")
    print(f"cohort   {ours['cohort']}")
    print(f"activity {ours['activity']}")
    print(f"salesmark funnel (both views, stays, velocity) + {ours['kpis']} KPIs: {ours_s:.2f} s")
    print(
        f"pandas funnel counts + conversion rates (DataFrame construction included): {theirs_s:.2f} s"
    )
    print(
        f"counts identical: {same}; ratio salesmark / pandas = {ours_s / theirs_s:.2f} (target <= 1.0)"
    )
    print(
        json.dumps(
            {
                "leads": len(org.leads),
                "quarter": "2026-Q2",
                "kpis": ours["kpis"],
                "salesmark_seconds": round(ours_s, 3),
                "pandas_seconds": round(theirs_s, 3),
                "ratio_vs_pandas": round(ours_s / theirs_s, 3),
                "counts_identical": same,
                "target_met": ours_s / theirs_s <= 1.0 and same,
            }
        )
    )


if __name__ == "__main__":
    main()
