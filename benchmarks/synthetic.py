"""How long the synthetic organisation takes to generate (issue: 100,000 leads well under a minute).

Usage: python benchmarks/synthetic.py [--leads N] [--seed S]
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import time

from salesmark import synthetic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    org = synthetic.organisation(seed=args.seed, leads=args.leads)
    seconds = time.perf_counter() - start
    touches = sum(len(lead.touchpoints) for lead in org.leads)
    print(f"generated {len(org.leads):,} leads with {touches:,} touchpoints in {seconds:.1f} s")
    print(
        f"{len(org.leads) / seconds:,.0f} leads per second; target: {args.leads:,} leads in well under 60 s"
    )
    print(
        json.dumps(
            {"leads": len(org.leads), "seconds": round(seconds, 2), "under_a_minute": seconds < 60}
        )
    )


if __name__ == "__main__":
    main()
