"""Specification of win/loss analysis."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from salesmark import Lead, LeadSource, Member, Organisation, Period, Team, synthetic
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.planning import win_loss
from strategies.planning import eur

MAY = Period.month(2026, 5)
T = datetime(2026, 5, 4, tzinfo=timezone.utc)


def _company() -> Organisation:
    """Six deals decided in May, one in June, and a lead rejected before it was a deal.

    W1, W2 (web, s1) won; X1 (web, s1) lost on price; X2 (event, s2) lost to Globex;
    X3 (event, s2) lost to Initech; X4 (event, s2) lost on price; J1 won in June;
    R1 was rejected as an MQL, which is not a lost deal.
    """

    def deal(lead_id: str, channel: str, owner: str, industry: str) -> Lead:
        return Lead.create(
            id=lead_id,
            created_at=T,
            stage="opportunity",
            value=eur(100),
            source=LeadSource(channel=channel),
            owner_id=owner,
            attributes={"industry": industry},
        )

    later = T + timedelta(days=3)
    leads = (
        deal("W1", "web", "s1", "retail").advance("won", at=later),
        deal("W2", "web", "s1", "retail").advance("won", at=later),
        deal("X1", "web", "s1", "retail").advance("lost", at=later, reason="price"),
        deal("X2", "event", "s2", "banking").advance(
            "lost", at=later, reason="competitor", competitor="Globex"
        ),
        deal("X3", "event", "s2", "banking").advance(
            "lost", at=later, reason="competitor", competitor="Initech"
        ),
        deal("X4", "event", "s2", "banking").advance("lost", at=later, reason="price"),
        deal("J1", "web", "s1", "retail").advance("won", at=T + timedelta(days=40)),
        Lead.create(id="R1", created_at=T, stage="mql").advance(
            "rejected", at=later, reason="bad_data"
        ),
    )
    members = tuple(Member(id=m, name=m, team=Team.SALES) for m in ("s1", "s2"))
    return Organisation(name="Acme", currency="EUR", members=members, leads=leads)


class TestWinLoss:
    def test_by_hand(self) -> None:
        """May: 2 won, 4 lost (J1 won in June, R1 was never a deal): rate 1/3."""
        result = win_loss(_company(), MAY, segment="industry")
        assert (2, 4, Decimal("0.3333")) == (result.won, result.lost, result.win_rate)

    def test_by_source_and_segment(self) -> None:
        """Web won 2 of 3, event 0 of 3; retail and banking split the same way."""
        result = win_loss(_company(), MAY, segment="industry")
        assert {
            "source": [("event", 0, 3), ("web", 2, 1)],
            "segment": [("banking", 0, 3), ("retail", 2, 1)],
            "owner": [("s1", 2, 1), ("s2", 0, 3)],
        } == {
            dim: [(line.key, line.won, line.lost) for line in result.by(dim)]
            for dim in ("source", "segment", "owner")
        }

    def test_jeffreys_interval_and_ids(self) -> None:
        """Web's 2 of 3 has the 80% Jeffreys interval of Beta(2.5, 1.5) (checked by numeric integration) and names its deals."""
        (web,) = [line for line in win_loss(_company(), MAY).by("source") if line.key == "web"]
        assert ((Decimal("0.3153"), Decimal("0.8985")), ("W1", "W2", "X1")) == (
            (web.low, web.high),
            web.lead_ids,
        )

    def test_reasons_ranked(self) -> None:
        """Price (2 of 4 losses) and competitor (2 of 4) explain all losses; ties by name."""
        result = win_loss(_company(), MAY)
        assert [("competitor", 2, Decimal("0.5000")), ("price", 2, Decimal("1.0000"))] == [
            (line.key, line.lost, line.cumulative) for line in result.by("lost_reason")
        ]
        assert ["competitor", "price"] == [line.key for line in result.top_reasons]

    def test_competitors(self) -> None:
        """Globex and Initech took one deal each; two losses name no competitor."""
        result = win_loss(_company(), MAY)
        assert [(None, 2, ("X1", "X4")), ("Globex", 1, ("X2",)), ("Initech", 1, ("X3",))] == [
            (line.key, line.lost, line.lead_ids) for line in result.by("competitor")
        ]

    def test_empty_period(self) -> None:
        """A period without decided deals has no rate, no lines and no error."""
        result = win_loss(_company(), Period.month(2026, 1))
        assert (0, 0, None, ()) == (result.won, result.lost, result.win_rate, result.lines)

    def test_bad_arguments(self) -> None:
        """Wrong types and an unknown dimension are clear errors."""
        with pytest.raises(WrongType):
            win_loss(_company(), "May")  # type: ignore[arg-type]
        with pytest.raises(WrongType):
            win_loss(_company(), MAY, segment=3)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="level"):
            win_loss(_company(), MAY, level="high")
        with pytest.raises(UnknownReference, match="colour"):
            win_loss(_company(), MAY).by("colour")

    def test_synthetic_competitors(self) -> None:
        """The synthetic company names a competitor on every deal lost for the reason competitor."""
        result = win_loss(synthetic.organisation(seed=0, leads=800), Period.fiscal_year(2026))
        named = sum(line.lost for line in result.by("competitor") if line.key is not None)
        (competitor,) = [line for line in result.by("lost_reason") if line.key == "competitor"]
        assert competitor.lost == named
