"""Tests for salesmark.content_performance: content in won against lost journeys.

The fixture (March 2026): twenty deals closed, eight won and twelve lost, so the
overall win rate is 8 / 20 = 0.4.

* a1 (case study for p1) is in 10 of them: 8 won, 2 lost. Win rate 0.8, lift
  0.8 / 0.4 = 2. Wilson, z = 1.96, n = 10: z^2 = 3.8416, denominator 1 + 0.38416,
  centre (0.8 + 0.19208) / 1.38416 = 0.71684, half-width
  1.96 x sqrt(0.8 x 0.2 / 10 + 3.8416 / 400) / 1.38416 = 0.22658, so [0.49026, 0.94342]
  and the lift's interval is [1.2254, 2.3583]: winning.
* a2 (battlecard) is in the other 10: all lost. Wilson [0, 0.27754], lift [0, 0.6939]:
  losing.
* a3 (ebook) is in no journey; only marketing used it: unused by sales.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings

from salesmark.agenda import build_agenda
from salesmark.content import BuyingStage, ContentAsset, ContentKind, ContentUsage
from salesmark.content_performance import (
    ContentPerformance,
    content_performance,
)
from salesmark.errors import UnknownReference, ValidationError
from salesmark.intervals import wilson_interval
from salesmark.leads import Lead
from salesmark.lifecycle import HUBSPOT
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Persona
from salesmark.teams import Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind
from strategies import loop_organisations

UTC = timezone.utc
MARCH = Period.month(2026, 3)


def t(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def deal(
    index: int, asset: str, *, won: bool | None, day: int = 10, persona: str | None = None
) -> Lead:
    touch = Touchpoint(
        at=t(2, 10),
        channel="email",
        kind=TouchpointKind.EMAIL_CLICK,
        team=Team.MARKETING,
        content_id=asset,
    )
    lead = Lead.create(
        id=f"L{index}",
        created_at=t(2),
        stage="opportunity",
        touchpoints=[touch],
        persona_id=persona,
    )
    if won is None:
        return lead
    if won:
        return lead.advance("won", at=t(day))
    return lead.advance("lost", at=t(day), reason="price")


def company() -> Organisation:
    assets = (
        ContentAsset(
            id="a1",
            title="Case study",
            kind=ContentKind.CASE_STUDY,
            stage=BuyingStage.DECISION,
            owner_id="m1",
            persona_ids=("p1",),
        ),
        ContentAsset(
            id="a2",
            title="Battlecard",
            kind=ContentKind.BATTLECARD,
            stage=BuyingStage.DECISION,
            owner_id="m1",
        ),
        ContentAsset(
            id="a3",
            title="Ebook",
            kind=ContentKind.EBOOK,
            stage=BuyingStage.AWARENESS,
            owner_id="m1",
        ),
    )
    leads = [deal(i, "a1", won=i < 8, persona="p1") for i in range(10)]
    leads += [deal(i, "a2", won=False) for i in range(10, 20)]
    leads.append(deal(20, "a1", won=None, persona="p2"))  # still open: closes nothing, serves p2
    return Organisation(
        name="Acme",
        currency="EUR",
        members=(
            Member(id="s1", name="Sam", team=Team.SALES),
            Member(id="s2", name="Sue", team=Team.SALES),
            Member(id="m1", name="Mia", team=Team.MARKETING),
        ),
        personas=(Persona(id="p1", name="Ops"), Persona(id="p2", name="IT")),
        content=assets,
        content_usage=(
            ContentUsage(asset_id="a1", member_id="s1", at=t(3), lead_id="L0"),
            ContentUsage(asset_id="a1", member_id="s2", at=t(4)),
            ContentUsage(asset_id="a2", member_id="s1", at=t(3), lead_id="L12"),
            ContentUsage(asset_id="a3", member_id="m1", at=t(3)),
        ),
        leads=tuple(leads),
    )


class TestWilsonInterval:
    def test_by_hand(self) -> None:
        """8 of 10 gives [0.4902, 0.9433]; 0 of 10 gives [0, 0.2775]."""
        assert ((Decimal("0.4902"), Decimal("0.9433")), (Decimal("0.0000"), Decimal("0.2775"))) == (
            wilson_interval(8, 10),
            wilson_interval(0, 10),
        )

    @pytest.mark.parametrize(("k", "n"), [(1, 0), (-1, 3), (4, 3)])
    def test_impossible_counts_are_refused(self, k: int, n: int) -> None:
        """No trials, negative successes or more successes than trials raise ValidationError."""
        with pytest.raises(ValidationError, match="wilson_interval"):
            wilson_interval(k, n)


class TestContentPerformance:
    def test_lift_by_hand(self) -> None:
        """a1 wins twice as often as average, a2 never; the intervals say which is significant."""
        report = content_performance(company(), MARCH)
        assert (8, 12, Decimal("0.4000")) == (report.won, report.lost, report.win_rate)
        a1, a2, a3 = report.assets
        assert {
            "a1": (
                8,
                2,
                Decimal("0.8000"),
                Decimal("2.0000"),
                Decimal("1.2254"),
                Decimal("2.3583"),
            ),
            "a2": (
                0,
                10,
                Decimal("0.0000"),
                Decimal("0.0000"),
                Decimal("0.0000"),
                Decimal("0.6939"),
            ),
            "a3": (0, 0, None, None, None, None),
        } == {
            a.asset_id: (a.won, a.lost, a.win_rate, a.lift, a.lift_low, a.lift_high)
            for a in (a1, a2, a3)
        }
        assert ((True, False), (False, True), (False, False)) == tuple(
            (a.winning, a.losing) for a in (a1, a2, a3)
        )

    def test_usage_personas_and_stages(self) -> None:
        """Usage counts sales only; an open deal's persona is served though it closed nothing."""
        a1, a2, a3 = content_performance(company(), MARCH).assets
        assert {
            "a1": (2, ("s1", "s2"), ("p1", "p2"), ("opportunity",), ("p1",), BuyingStage.DECISION),
            "a2": (1, ("s1",), (), ("opportunity",), (), BuyingStage.DECISION),
            "a3": (0, (), (), (), (), BuyingStage.AWARENESS),
        } == {
            a.asset_id: (
                a.sales_uses,
                a.sales_users,
                a.personas_served,
                a.stages_served,
                a.persona_ids,
                a.stage,
            )
            for a in (a1, a2, a3)
        }

    def test_losing_and_unused(self) -> None:
        """The report names the losing asset and the one sales never used."""
        report = content_performance(company(), MARCH)
        assert (["a2"], ["a3"]) == (
            [a.asset_id for a in report.losing],
            [a.asset_id for a in report.unused],
        )
        assert (
            "ContentPerformance(3 assets over 8 won and 12 lost deals: 1 losing, 1 unused by sales)"
            == repr(report)
        )

    def test_deals_closed_outside_the_period_are_left_out(self) -> None:
        """In February nothing closed: no win rate and no lift."""
        report = content_performance(company(), Period.month(2026, 2))
        assert (0, 0, None, None) == (
            report.won,
            report.lost,
            report.win_rate,
            report.assets[0].lift,
        )

    def test_content_sales_used_with_a_lead_joins_its_journey(self) -> None:
        """A lead whose only content is what a salesperson used with it counts for that asset."""
        lead = Lead.create(id="U1", created_at=t(2), stage="opportunity").advance("won", at=t(9))
        org = company()
        org = attrs.evolve(
            org,
            leads=(*org.leads, lead),
            content_usage=(
                *org.content_usage,
                ContentUsage(asset_id="a3", member_id="s2", at=t(5), lead_id="U1"),
            ),
        )
        a3 = content_performance(org, MARCH).asset("a3")
        assert (1, 0, 1) == (a3.won, a3.lost, a3.sales_uses)

    def test_content_met_after_the_close_does_not_count(self) -> None:
        """A touch after the deal was lost is not part of its journey."""
        touch = Touchpoint(
            at=t(20),
            channel="email",
            kind=TouchpointKind.EMAIL_CLICK,
            team=Team.MARKETING,
            content_id="a3",
        )
        lead = Lead.create(id="X1", created_at=t(2), stage="opportunity", touchpoints=[touch])
        org = attrs.evolve(
            company(), leads=(*company().leads, lead.advance("lost", at=t(10), reason="price"))
        )
        assert (0, 0) == (
            content_performance(org, MARCH).asset("a3").won,
            content_performance(org, MARCH).asset("a3").lost,
        )

    def test_hubspot_lost_is_other_after_opportunity(self) -> None:
        """In HubSpot's lifecycle a deal is won as customer and lost when it moves to other."""
        hs = HUBSPOT

        def hub(index: int, won: bool) -> Lead:
            touch = Touchpoint(
                at=t(2, 10),
                channel="email",
                kind=TouchpointKind.EMAIL_CLICK,
                team=Team.MARKETING,
                content_id="a1",
            )
            lead = Lead.create(
                id=f"H{index}",
                created_at=t(2),
                stage="opportunity",
                lifecycle=hs,
                touchpoints=[touch],
            )
            return lead.advance("customer" if won else "other", at=t(9), lifecycle=hs)

        org = Organisation(
            name="Hub",
            currency="EUR",
            lifecycle=hs,
            members=(Member(id="m1", name="Mia", team=Team.MARKETING),),
            content=(attrs.evolve(company().content[0], persona_ids=()),),
            leads=(hub(1, True), hub(2, False), hub(3, False)),
        )
        report = content_performance(org, MARCH)
        assert (1, 2, Decimal("1.0000")) == (report.won, report.lost, report.asset("a1").lift)

    def test_records(self) -> None:
        """One row per asset with its lift and interval."""
        record = content_performance(company(), MARCH).to_records(exact=True)[1]
        assert {
            "asset_id": "a2",
            "losing": True,
            "lift_high": Decimal("0.6939"),
            "kind": "battlecard",
        } == {k: record[k] for k in ("asset_id", "losing", "lift_high", "kind")}

    def test_unknown_asset_lookup_is_refused(self) -> None:
        """Asking for an asset the organisation does not hold raises UnknownReference."""
        with pytest.raises(UnknownReference, match="a9"):
            content_performance(company(), MARCH).asset("a9")

    def test_z_must_be_a_decimal(self) -> None:
        """The quantile is a Decimal, never a float."""
        with pytest.raises(ValidationError, match="content_performance z must be a Decimal"):
            content_performance(company(), MARCH, z=1.96)  # type: ignore[arg-type]

    def test_losing_content_is_on_the_agenda(self) -> None:
        """The losing battlecard is an agenda topic for marketing, with its lift and interval."""
        agenda = build_agenda(company(), MARCH, timedelta(minutes=60))
        item = next(i for i in agenda.items if i.key == "losing_content")
        # severity: 1 losing of the 2 assets in closed deals; priority 1.5 x 1.5 = 2.25
        assert {
            "title": "Content: 1 asset(s) win less often than average",
            "owner": Team.MARKETING,
            "priority": 2.25,
            "evidence": (
                "win rate 0.4000 over 20 closed deals",
                "a2 'Battlecard': 0 won, 10 lost, lift 0.0000 (95% Wilson 0.0000-0.6939)",
            ),
        } == {
            "title": item.title,
            "owner": item.owner,
            "priority": item.priority,
            "evidence": item.evidence,
        }

    @settings(max_examples=40, deadline=None)
    @given(loop_organisations())
    def test_counts_and_bounds(self, org: Organisation) -> None:
        """Every asset is reported; its closed deals are among the period's; lift bounds bracket the lift."""
        report = content_performance(org, Period.quarter(2026, 1))
        assert isinstance(report, ContentPerformance)
        assert [a.id for a in org.content] == [a.asset_id for a in report.assets]
        for a in report.assets:
            assert a.won <= report.won
            assert a.lost <= report.lost
            if a.lift is not None:
                assert a.lift_low is not None
                assert a.lift_high is not None
                assert a.lift_low <= a.lift <= a.lift_high
