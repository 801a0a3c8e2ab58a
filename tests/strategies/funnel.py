"""Hypothesis strategies for funnel and KPI tests: leads with legal demand-waterfall histories."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from itertools import pairwise

import attrs
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    Campaign,
    Lead,
    LeadSource,
    Member,
    Money,
    Organisation,
    Period,
    StageChange,
    Team,
    Touchpoint,
    TouchpointKind,
)

_BASE = datetime(2025, 10, 1, tzinfo=timezone.utc)
_CHANNELS = ("email", "paid_search", "events", None)


def _reason(source: str, target: str) -> str | None:
    for move in DEMAND_WATERFALL.transitions:
        if move.source == source and move.target == target:
            return move.reasons[0] if move.reasons else None
    raise AssertionError((source, target))  # pragma: no cover


@st.composite
def lead_stories(draw: st.DrawFn, index: int = 0) -> Lead:
    """One lead created between Oct 2025 and Nov 2026 that walks the waterfall legally."""
    created = _BASE + timedelta(hours=draw(st.integers(0, 24 * 400)))
    stage = draw(st.sampled_from(("inquiry", "inquiry", "inquiry", "mql")))
    at = created + timedelta(minutes=draw(st.integers(0, 600)))
    history = [StageChange(stage=stage, at=at)]
    for _ in range(draw(st.integers(0, 9))):
        targets = DEMAND_WATERFALL.targets(stage)
        if not targets:
            break
        forward = [t for t in targets if t not in ("disqualified", "rejected", "recycled", "lost")]
        target = draw(st.sampled_from(forward * 3 + list(targets)))
        at = at + timedelta(minutes=draw(st.integers(0, 60 * 24 * 45)))
        history.append(StageChange(stage=target, at=at, reason=_reason(stage, target)))
        stage = target
    channel = draw(st.sampled_from(_CHANNELS))
    return Lead(
        id=f"L{index}",
        created_at=created,
        history=tuple(history),
        source=None if channel is None else LeadSource(channel=channel),
    )


@st.composite
def lead_lists(draw: st.DrawFn, max_size: int = 25) -> list[Lead]:
    """A list of leads with unique ids."""
    size = draw(st.integers(0, max_size))
    return [draw(lead_stories(index=i)) for i in range(size)]


def _utc(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.utc)


def hand_organisation() -> Organisation:
    """The hand-computed fixture of the funnel, KPI and closed-loop tests (see docs).

    Q1 2026 cohort: A (won), B (lost), C (won, sales-sourced), D (inquiry only),
    H (open opportunity). Earlier: E (won in Q1), F (MQL in Q4 2025). Later: G (won in
    May, same account as C).
    """
    m, s = Team.MARKETING, Team.SALES
    q1 = Period.quarter(2026, 1)

    def touch(
        at: datetime, kind: TouchpointKind, team: Team, campaign: str | None = None
    ) -> Touchpoint:
        channel = "sales_outreach" if team is s else "web"
        return Touchpoint(at=at, channel=channel, kind=kind, team=team, campaign_id=campaign)

    def lead(ident: str, stages: list[tuple[str, datetime]], **kw: object) -> Lead:
        history = tuple(
            StageChange(stage=st_, at=at, reason="price" if st_ == "lost" else None)
            for st_, at in stages
        )
        return Lead(id=ident, created_at=stages[0][1], history=history, **kw)  # type: ignore[arg-type]

    eur = "EUR"
    leads = (
        lead("A", [("inquiry", _utc(1, 5)), ("mql", _utc(1, 5, 1)), ("sal", _utc(1, 6)),
                   ("sql", _utc(1, 10)), ("opportunity", _utc(1, 15)), ("won", _utc(2, 14))],
             source=LeadSource(channel="email", campaign_id="c1"), value=Money.of(10000, eur),
             account_id="acct-1",
             touchpoints=(touch(_utc(1, 5), TouchpointKind.FORM_FILL, m, "c1"),
                          touch(_utc(1, 5, 2), TouchpointKind.CALL, s),
                          touch(_utc(1, 6), TouchpointKind.EMAIL_CLICK, m, "c1"))),
        lead("B", [("inquiry", _utc(1, 10)), ("mql", _utc(1, 10, 1)), ("sal", _utc(1, 11)),
                   ("sql", _utc(1, 12)), ("opportunity", _utc(1, 20)), ("lost", _utc(3, 1))],
             source=LeadSource(channel="paid_search", campaign_id="c2"), value=Money.of(6000, eur),
             touchpoints=(touch(_utc(1, 10), TouchpointKind.FORM_FILL, m, "c2"),
                          touch(_utc(1, 10, 5), TouchpointKind.CALL, s))),
        lead("C", [("inquiry", _utc(2, 1)), ("mql", _utc(2, 2)), ("sal", _utc(2, 3)),
                   ("sql", _utc(2, 5)), ("opportunity", _utc(2, 10)), ("won", _utc(3, 12))],
             source=LeadSource(channel="outbound"), value=Money.of(20000, eur), account_id="acct-2",
             touchpoints=(touch(_utc(2, 1), TouchpointKind.CALL, s),
                          touch(_utc(2, 3), TouchpointKind.WEBINAR, m))),
        lead("D", [("inquiry", _utc(2, 15))]),
        lead("H", [("inquiry", _utc(3, 1)), ("mql", _utc(3, 2)), ("sal", _utc(3, 3)),
                   ("sql", _utc(3, 4)), ("opportunity", _utc(3, 5))],
             value=Money.of(8000, eur),
             touchpoints=(touch(_utc(2, 20), TouchpointKind.PAGE_VIEW, m),
                          touch(_utc(3, 1), TouchpointKind.FORM_FILL, m),
                          touch(_utc(3, 2, 12), TouchpointKind.CALL, s))),
        lead("E", [("inquiry", _utc(11, 1, year=2025)), ("mql", _utc(11, 2, year=2025)),
                   ("sal", _utc(11, 3, year=2025)), ("sql", _utc(11, 10, year=2025)),
                   ("opportunity", _utc(12, 1, year=2025)), ("won", _utc(1, 20))],
             source=LeadSource(channel="email"), value=Money.of(4000, eur), account_id="acct-1",
             touchpoints=(touch(_utc(10, 30, year=2025), TouchpointKind.AD_CLICK, m),
                          touch(_utc(11, 2, 3, year=2025), TouchpointKind.CALL, s))),
        lead("F", [("inquiry", _utc(12, 1, year=2025)), ("mql", _utc(12, 2, year=2025))]),
        lead("G", [("inquiry", _utc(4, 10)), ("mql", _utc(4, 11)), ("sal", _utc(4, 12)),
                   ("sql", _utc(4, 13)), ("opportunity", _utc(4, 14)), ("won", _utc(5, 20))],
             value=Money.of(5000, eur), account_id="acct-2"),
    )  # fmt: skip
    campaigns = (
        Campaign(id="c1", name="Email Q1", channel="email", owner_id="m1", period=q1,
                 budget=Money.of(9000, eur)),
        Campaign(id="c2", name="Search H2", channel="paid_search", owner_id="m1",
                 period=Period.between(_utc(10, 1, year=2025), _utc(4, 1)),
                 budget=Money.of(18200, eur)),
    )  # fmt: skip
    members = (
        Member(id="m1", name="Grace", team=Team.MARKETING),
        Member(id="s1", name="Sam", team=Team.SALES),
    )
    return Organisation(
        name="Hand", currency=eur, members=members, campaigns=campaigns, leads=leads
    )


def part_of(org: Organisation, leads: tuple[Lead, ...], *, first: bool = True) -> Organisation:
    """``org`` with only ``leads``, the feedback and content use on them, every insight (tied
    to a lead only in this part) and every campaign, member and definition; ``first``
    keeps the records tied to no lead."""
    ids = {lead.id for lead in leads}

    def mine(item: object) -> bool:
        lead_id = getattr(item, "lead_id", None)
        return lead_id in ids if lead_id is not None else first

    return attrs.evolve(
        org,
        leads=leads,
        feedback=tuple(filter(mine, org.feedback)),
        content_usage=tuple(filter(mine, org.content_usage)),
        insights=tuple(
            i if i.lead_id is None or i.lead_id in ids else attrs.evolve(i, lead_id=None)
            for i in org.insights
        ),
    )


def split_organisation(org: Organisation, k: int, *, seed: int = 0) -> list[Organisation]:
    """``org`` split into ``k`` parts by account (a lead without an account goes alone)."""

    def part(lead: Lead) -> int:
        return zlib.crc32(f"{seed}:{lead.account_id or lead.id}".encode()) % k

    return [
        part_of(org, tuple(lead for lead in org.leads if part(lead) == i), first=i == 0)
        for i in range(k)
    ]


def slice_organisation(org: Organisation, cuts: list[int]) -> list[Organisation]:
    """``org`` cut into consecutive slices of its leads at ``cuts`` (clamped and sorted)."""
    n = len(org.leads)
    bounds = [0, *sorted(min(c, n) for c in cuts), n]
    return [part_of(org, org.leads[a:b], first=i == 0) for i, (a, b) in enumerate(pairwise(bounds))]
