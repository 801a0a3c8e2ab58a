"""Benchmark: a 20-rule salesmark ScoringModel against a hand-written scoring function.

Both sides score the same synthetic leads as of the same moment; the hand-written
function applies the same 20 rules (same decay, caps, grades, bands and MQL rule) in
plain Python and returns a tuple, while salesmark builds full ``LeadScore`` objects with
their explanations. Before each timed section the harness runs ``gc.collect()``
(untimed) so neither side pays for the other's garbage, and each chunk of input leads is
frozen (``gc.freeze()``) while both sides score it, as a long-running service would treat
its data, so the collector does not rescan the input during either side's timing.
Leads are generated in chunks (generation is not timed) so a million fit in memory
comfortably. By default they come from
``salesmark.synthetic.organisation`` (one organisation of ``--chunk`` leads per chunk,
seeds ``seed``, ``seed + 1``, ...; about two minutes per million leads), scored as of
2027-01-01; ``--source quick`` uses the faster in-script generator below instead
(more touchpoints per lead, same vocabulary), scored as of 2026-06-30.

Usage: python benchmarks/scoring.py [--leads N] [--chunk N] [--seed N] [--source synthetic|quick]
Last line: one JSON object with leads_per_second and ratio_vs_handwritten.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from salesmark import Lead, StageChange, Team, Touchpoint, TouchpointKind
from salesmark.scoring import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    Decay,
    EachTouch,
    EngagementBands,
    GradeScale,
    NoRecentTouch,
    Qualification,
    RecentTouch,
    ScoringModel,
)

QUICK_AT = datetime(2026, 6, 30, tzinfo=timezone.utc)
SYNTHETIC_AT = datetime(2027, 1, 1, tzinfo=timezone.utc)  # after the synthetic year 2026
DAY = 86400.0
K = TouchpointKind

# the vocabulary of salesmark.synthetic, which the quick generator reuses
INDUSTRIES = ("logistics", "retail", "manufacturing", "healthcare", "software", "finance")
REGIONS = ("DACH", "Benelux", "Nordics", "UK", "France", "Iberia")
ROLES = ("operations", "it", "finance", "procurement", "executive", "student")
CHANNELS = ("paid_search", "email", "events", "organic_search", "paid_social", "referral")
KINDS = (
    K.WEBINAR, K.REFERRAL, K.CALL, K.EMAIL_CLICK, K.PAGE_VIEW, K.PAGE_VIEW,
    K.FORM_FILL, K.AD_CLICK, K.AD_CLICK, K.EVENT, K.EMAIL, K.ORGANIC_VISIT,
)  # fmt: skip


def model() -> ScoringModel:
    """The 20-rule model: 10 fit rules, 10 engagement rules, 30-day half-life."""
    return ScoringModel(
        name="benchmark-20",
        rules=(
            AttributeOneOf(
                attribute="industry", values=("logistics", "retail", "manufacturing"), points=15
            ),
            AttributeEquals(attribute="industry", value="healthcare", points=-10),
            AttributeInRange(attribute="employees", minimum=200, maximum=5000, points=20),
            AttributeInRange(attribute="employees", maximum=49, points=-5),
            AttributeOneOf(
                attribute="role", values=("operations", "finance", "executive"), points=15
            ),
            AttributeEquals(attribute="role", value="student", points=-25),
            AttributeOneOf(attribute="region", values=("DACH", "Benelux", "Nordics"), points=5),
            AttributePresent(attribute="employees", points=5),
            AttributeInRange(attribute="employees", minimum=10_000, points=10),
            AttributeEquals(attribute="role", value="it", points=8),
            EachTouch(id="webinars", points=8, kinds=(K.WEBINAR,), cap=24),
            EachTouch(id="referrals", points=5, kinds=(K.REFERRAL,), cap=20),
            EachTouch(id="calls", points=4, kinds=(K.CALL,), cap=12),
            EachTouch(id="email-clicks", points=2, kinds=(K.EMAIL_CLICK,), cap=10),
            EachTouch(
                id="page-views-30d",
                points=1,
                kinds=(K.PAGE_VIEW,),
                window=timedelta(days=30),
                at_least=3,
                cap=15,
            ),
            EachTouch(id="forms", points=10, kinds=(K.FORM_FILL,)),
            EachTouch(
                id="paid-clicks", points=3, kinds=(K.AD_CLICK,), channels=("paid_search",), cap=9
            ),
            RecentTouch(id="active-7d", points=10, window=timedelta(days=7)),
            NoRecentTouch(id="dormant-90d", points=-20, window=timedelta(days=90)),
            EachTouch(id="events", points=12, kinds=(K.EVENT,)),
        ),
        grades=GradeScale.letters(a=45, b=25, c=10),
        bands=EngagementBands(band_1=40, band_2=20, band_3=8),
        qualification=Qualification(minimum_total=50, grades=("A", "B")),
        decay=Decay.by_half_life(timedelta(days=30)),
        engagement_cap=80,
    )


def handwritten(lead: Lead, at: datetime) -> tuple[float, float, float, str, int, bool]:  # noqa: PLR0912, PLR0915 (written out by hand on purpose)
    """The same 20 rules written out by hand: (fit, engagement, total, grade, band, mql)."""
    a = lead.attributes
    fit = 0.0
    industry = a.get("industry")
    if industry in ("logistics", "retail", "manufacturing"):
        fit += 15
    if industry == "healthcare":
        fit -= 10
    employees = a.get("employees")
    if employees is not None and not (isinstance(employees, str) and not employees.strip()):
        fit += 5
    if isinstance(employees, int | float) and not isinstance(employees, bool):
        if 200 <= employees <= 5000:
            fit += 20
        if employees <= 49:
            fit -= 5
        if employees >= 10_000:
            fit += 10
    role = a.get("role")
    if role in ("operations", "finance", "executive"):
        fit += 15
    if role == "student":
        fit -= 25
    if role == "it":
        fit += 8
    if a.get("region") in ("DACH", "Benelux", "Nordics"):
        fit += 5

    webinars = referrals = calls = clicks = views = forms = paid = events = 0.0
    n_views = 0
    newest = math.inf
    for t in lead.touchpoints:
        age = (at - t.at).total_seconds()
        if age < 0:
            break
        newest = age
        w = 0.5 ** (age / (30 * DAY))
        kind = t.kind
        if kind == "webinar":
            webinars += w
        elif kind == "referral":
            referrals += w
        elif kind == "call":
            calls += w
        elif kind == "email_click":
            clicks += w
        elif kind == "page_view":
            if age <= 30 * DAY:
                views += w
                n_views += 1
        elif kind == "form_fill":
            forms += w
        elif kind == "ad_click":
            if t.channel == "paid_search":
                paid += w
        elif kind == "event":
            events += w
    engagement = (
        min(8 * webinars, 24)
        + min(5 * referrals, 20)
        + min(4 * calls, 12)
        + min(2 * clicks, 10)
        + (min(views, 15) if n_views >= 3 else 0.0)
        + 10 * forms
        + min(3 * paid, 9)
        + 12 * events
    )
    if newest <= 7 * DAY:
        engagement += 10
    if newest > 90 * DAY:
        engagement -= 20
    engagement = min(engagement, 80)
    total = fit + engagement
    grade = "A" if fit >= 45 else "B" if fit >= 25 else "C" if fit >= 10 else "D"
    band = 1 if engagement >= 40 else 2 if engagement >= 20 else 3 if engagement >= 8 else 4
    return fit, engagement, total, grade, band, total >= 50 and grade in ("A", "B")


def quick_leads(count: int, seed: int) -> Iterator[Lead]:
    """Quick synthetic leads: random attributes and 0-15 touchpoints from a shared pool."""
    rng = random.Random(seed)
    pool = [
        Touchpoint(
            at=QUICK_AT - timedelta(seconds=rng.uniform(0, 200 * DAY)),
            channel=rng.choice(CHANNELS),
            kind=rng.choice(KINDS),
            team=Team.MARKETING,
        )
        for _ in range(20_000)
    ]
    for i in range(count):
        touches = sorted(rng.sample(pool, rng.randint(0, 15)), key=lambda t: t.at)
        created = (touches[0].at if touches else QUICK_AT) - timedelta(days=1)
        attributes: dict[str, str | int | float | bool] = {
            "industry": rng.choice(INDUSTRIES),
            "employees": rng.choice((5, 30, 80, 250, 1200, 8000, 15_000)),
            "role": rng.choice(ROLES),
            "region": rng.choice(REGIONS),
        }
        yield Lead(
            id=f"L{i}",
            created_at=created,
            history=(StageChange(stage="inquiry", at=created),),
            attributes=attributes,
            touchpoints=touches,
        )


def synthetic_leads(count: int, seed: int, chunk: int) -> Iterator[Lead]:
    """Leads from salesmark.synthetic.organisation, one organisation per chunk (seed, seed+1, ...)."""
    from salesmark import synthetic

    made = 0
    part = 0
    while made < count:
        size = min(chunk, count - made)
        yield from synthetic.organisation(seed=seed + part, leads=size).leads
        made += size
        part += 1


def chunks(source: Iterator[Lead], size: int) -> Iterator[list[Lead]]:
    """Cut a stream of leads into lists of ``size``."""
    chunk: list[Lead] = []
    for lead in source:
        chunk.append(lead)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def main() -> None:  # noqa: PLR0915 (one run, read top to bottom)
    """Run the benchmark and print readable lines, then one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--source",
        choices=("synthetic", "quick"),
        default="synthetic",
        help="salesmark.synthetic.organisation (default) or the quick in-script generator",
    )
    args = parser.parse_args()

    scoring = model()
    if args.source == "synthetic":
        at = SYNTHETIC_AT
        stream = synthetic_leads(args.leads, args.seed, args.chunk)
    else:
        at = QUICK_AT
        stream = quick_leads(args.leads, args.seed)
    salesmark_seconds = hand_seconds = generate_seconds = 0.0
    scored = mqls = hand_mqls = 0
    mismatches = 0
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        chunk = next(chunks(stream, args.chunk), None)
        generate_seconds += time.perf_counter() - t0
        if not chunk:
            break
        # The chunk's leads are long-lived input for both sides: freeze them so the cyclic
        # garbage collector does not rescan them while either side is timed.
        gc.collect()
        gc.freeze()
        # alternate which side runs first so cache and noise effects even out
        order = ("hand", "model") if scored // args.chunk % 2 else ("model", "hand")
        for side in order:
            gc.collect()  # untimed: neither side pays for the other's garbage
            if side == "model":
                t0 = time.perf_counter()
                scores = scoring.score_many(chunk, at=at)
                salesmark_seconds += time.perf_counter() - t0
            else:
                t0 = time.perf_counter()
                hand = [handwritten(lead, at) for lead in chunk]
                hand_seconds += time.perf_counter() - t0
        for s, h in zip(scores, hand, strict=True):
            if abs(s.total - h[2]) > 1e-9 or s.qualified is not h[5] or s.cell != f"{h[3]}{h[4]}":
                mismatches += 1
        mqls += sum(1 for s in scores if s.qualified)
        hand_mqls += sum(1 for h in hand if h[5])
        scored += len(chunk)
        del scores, hand, chunk
        gc.unfreeze()
    wall = time.perf_counter() - started

    rate = scored / salesmark_seconds
    hand_rate = scored / hand_seconds
    ratio = salesmark_seconds / hand_seconds
    print(
        f"leads scored:            {scored:,} ({args.source} generator, chunks of {args.chunk:,})"
    )
    print(f"lead generation:         {generate_seconds:.1f} s (not in the figures below)")
    print(f"salesmark ScoringModel:  {salesmark_seconds:.2f} s  {rate:,.0f} leads/s")
    print(f"hand-written function:   {hand_seconds:.2f} s  {hand_rate:,.0f} leads/s")
    print(f"ratio (model / hand):    {ratio:.2f}x  (target <= 3.0)")
    print(f"MQLs: model {mqls:,}, hand-written {hand_mqls:,}; disagreements: {mismatches}")
    print(f"wall time:               {wall:.1f} s")
    print(
        json.dumps(
            {
                "benchmark": "scoring",
                "leads": scored,
                "rules": len(scoring.rules),
                "source": args.source,
                "leads_per_second": round(rate),
                "handwritten_leads_per_second": round(hand_rate),
                "ratio_vs_handwritten": round(ratio, 3),
                "target_ratio": 3.0,
                "target_met": ratio <= 3.0 and mismatches == 0,
                "disagreements": mismatches,
                "mqls": mqls,
            }
        )
    )


if __name__ == "__main__":
    main()
