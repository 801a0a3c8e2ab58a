"""Revenue planning on the synthetic company: the forecast of a quarter and its backtest.

Usage: python benchmarks/bench_planning.py [--leads N] [--seed S] [--draws D]
Generating the synthetic organisation is not timed. Timed: ``forecast`` of the fourth
quarter's three months as of 1 October (every open lead followed through the measured
stage exits, new leads at the measured rate, ``--draws`` seeded draws), and
``backtest`` of July to December, each month forecast from its own start with the same
draws. The forecast of a company this size always simulates (new leads are expected),
so its time grows with the open leads times the draws.
The last line is one JSON object with the times and what was measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import time

from salesmark import Period, synthetic
from salesmark.planning import backtest, forecast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    org = synthetic.organisation(seed=args.seed, leads=args.leads)
    generated = time.perf_counter() - started
    gc.collect()
    gc.freeze()  # long-lived input: the collector need not rescan it while timed
    print(f"generated {len(org.leads):,} leads in {generated:.1f} s (not timed)")

    quarter = [Period.month(2026, m) for m in (10, 11, 12)]
    started = time.perf_counter()
    outlook = forecast(org, quarter, draws=args.draws)
    forecast_s = time.perf_counter() - started
    print(
        f"forecast Q4 as of 2026-10-01 ({outlook.method.value}, {args.draws} draws): {forecast_s:.1f} s"
    )
    print(f"  {outlook!r}; {outlook.open_leads:,} open leads")

    months = [Period.month(2026, m) for m in range(7, 13)]
    started = time.perf_counter()
    check = backtest(org, months, draws=args.draws)
    backtest_s = time.perf_counter() - started
    print(f"backtest July-December ({len(months)} forecasts): {backtest_s:.1f} s")
    print(f"  {check!r}")
    print(
        json.dumps(
            {
                "benchmark": "planning",
                "leads": len(org.leads),
                "draws": args.draws,
                "open_leads": outlook.open_leads,
                "forecast_seconds": round(forecast_s, 2),
                "backtest_periods": len(months),
                "backtest_seconds": round(backtest_s, 2),
                "backtest_coverage": None if check.coverage is None else float(check.coverage),
                "backtest_mape": None if check.mape is None else float(check.mape),
            }
        )
    )


if __name__ == "__main__":
    main()
