"""The demo: ``python -m salesmark`` builds the synthetic organisation and reports on it.

This is the one module of salesmark that prints.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from salesmark import synthetic
from salesmark.lifecycle import Stage
from salesmark.organisation import Organisation
from salesmark.teams import Team


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m salesmark",
        description=(
            "Build a seeded synthetic company (both teams, personas, narratives, campaigns, "
            "content and leads with their journeys) and print a short report of what "
            "salesmark knows about it. Nothing is read or written."
        ),
    )
    parser.add_argument(
        "--seed", type=int, default=42, help="seed of the synthetic company (default: 42)"
    )
    parser.add_argument(
        "--leads", type=int, default=5_000, help="how many leads to generate (default: 5000)"
    )
    parser.add_argument(
        "--year", type=int, default=2026, help="the year leads are created in (default: 2026)"
    )
    return parser


def _pct(part: int, whole: int) -> str:
    return "n/a" if whole == 0 else f"{100 * part / whole:.1f}%"


def report(org: Organisation) -> list[str]:
    """The lines of the demo report for ``org``."""
    lines = [f"salesmark demo: {org.name} ({len(org.leads):,} leads, currency {org.currency})", ""]
    sales, marketing = org.team(Team.SALES), org.team(Team.MARKETING)
    lines.append(f"Teams: {len(sales)} in sales, {len(marketing)} in marketing")
    validated = sum(p.is_validated for p in org.personas)
    lines.append(
        f"Personas: {len(org.personas)} ({validated} validated by both teams with sales evidence)"
    )
    agreed = sum(n.is_agreed for n in org.narratives)
    lines.append(f"Narratives: {len(org.narratives)} ({agreed} agreed by both teams)")
    lines.extend(f"  - {n.statement}" for n in org.narratives if n.is_agreed)
    lines.append("")
    reached = Counter(stage for lead in org.leads for stage in {c.stage for c in lead.history})
    lines.append("Funnel (leads that ever reached each stage):")
    previous = None
    for stage in org.lifecycle.progression:
        count = reached[stage]
        rate = "" if previous is None else f"  ({_pct(count, previous)} of the stage before)"
        lines.append(f"  {stage:<12}{count:>8,}{rate}")
        previous = count
    mqls = [lead for lead in org.leads if lead.has_reached(Stage.MQL)]
    no_follow_up = sum(1 for lead in mqls if lead.first_follow_up is None)
    no_source = sum(1 for lead in org.leads if lead.source is None)
    lines.append("")
    lines.append(
        f"MQLs never followed up by sales: {no_follow_up:,} of {len(mqls):,} ({_pct(no_follow_up, len(mqls))})"
    )
    lines.append(f"Leads without a known source: {no_source:,} ({_pct(no_source, len(org.leads))})")
    rejected = [f for f in org.feedback if not f.accepted]
    reasons = Counter(r.value for f in rejected for r in f.reasons)
    if reasons:
        top = ", ".join(f"{reason} ({count})" for reason, count in reasons.most_common(3))
        lines.append(f"Top reasons sales rejects leads: {top}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.leads < 0:
        print(f"--leads must be 0 or more, got {args.leads}", file=sys.stderr)
        return 2
    org = synthetic.organisation(seed=args.seed, leads=args.leads, year=args.year)
    print("\n".join(report(org)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
