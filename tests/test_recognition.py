"""Tests for salesmark.recognition: marketing's credit in won deals and bonus allocation.

Hand-computed fixture (deals won in March 2026; c1 and a1 belong to m1, c2 and a2 to m2):

* W1, 900.00 EUR, source c1; touches (c1 + a2), (c2), (no campaign, no content), and a
  sales call: two touches carry owners, 450 each; the first splits 225 m1 / 225 m2,
  the second gives 450 to m2. m1 225.00, m2 675.00.
* W2, 100.00 EUR, source c2, no touches: m2 100.00.
* W3, no value, one touch with a1: recognised, m1 credited 0.00.
* W4, won with sales touches only and no source campaign: not recognised.
* W5, won in February: outside the period.
* W6, 0.01 EUR, touches c1 then c2: one cent cannot be halved; it goes to m1.

Totals: m1 225.01 (3 deals), m2 775.00 (3 deals); revenue 1,000.01 EUR.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark.content import BuyingStage, ContentAsset, ContentKind
from salesmark.errors import SalesmarkError, ValidationError, WrongType
from salesmark.leads import Lead, LeadSource
from salesmark.lifecycle import HUBSPOT
from salesmark.money import Money, minor_unit
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.recognition import (
    BonusAllocation,
    Recognition,
    allocate_bonus,
    marketing_recognition,
)
from salesmark.teams import Member, Team
from salesmark.touchpoints import Touchpoint, TouchpointKind
from strategies import SLA_CAMPAIGNS, owner_credits, pools, sla_organisations

UTC = timezone.utc
MARCH = Period.month(2026, 3)
Q1 = Period.quarter(2026, 1)


def t(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=UTC)


def touch(
    at: datetime,
    campaign: str | None = None,
    content: str | None = None,
    team: Team = Team.MARKETING,
) -> Touchpoint:
    return Touchpoint(
        at=at,
        channel="email",
        kind=TouchpointKind.EMAIL_CLICK,
        team=team,
        campaign_id=campaign,
        content_id=content,
    )


def won(
    lead_id: str,
    at: datetime,
    *,
    value: str | None,
    campaign: str | None = None,
    touches: tuple[Touchpoint, ...] = (),
) -> Lead:
    lead = Lead.create(
        id=lead_id,
        created_at=at - timedelta(days=20),
        source=LeadSource(channel="email", campaign_id=campaign),
        value=None if value is None else Money.of(value, "EUR"),
        owner_id="s1",
        touchpoints=touches,
    )
    for stage in ("mql", "sal", "sql", "opportunity"):
        lead = lead.advance(stage, at=at - timedelta(days=1))
    return lead.advance("won", at=at)


def organisation() -> Organisation:
    asset = {"kind": ContentKind.CASE_STUDY, "stage": BuyingStage.DECISION}
    return Organisation(
        name="Acme",
        currency="EUR",
        members=(
            Member(id="s1", name="Sam", team=Team.SALES),
            Member(id="m1", name="Mia", team=Team.MARKETING),
            Member(id="m2", name="Max", team=Team.MARKETING),
        ),
        campaigns=SLA_CAMPAIGNS,  # Search (paid_search, m1, 1,000) and Webinar (webinar, m2, 500) in Q1
        content=(
            ContentAsset(id="a1", title="Guide", owner_id="m1", **asset),  # type: ignore[arg-type]
            ContentAsset(id="a2", title="Case", owner_id="m2", **asset),  # type: ignore[arg-type]
        ),
        leads=(
            won(
                "W1",
                t(10),
                value="900.00",
                campaign="c1",
                touches=(
                    touch(t(1), "c1", "a2"),
                    touch(t(2), "c2"),
                    touch(t(3)),
                    touch(t(4), team=Team.SALES),
                ),
            ),
            won("W2", t(11), value="100.00", campaign="c2"),
            won("W3", t(12), value=None, touches=(touch(t(1), content="a1"),)),
            won("W4", t(13), value="5000.00", touches=(touch(t(1), team=Team.SALES),)),
            won("W5", t(20, month=2), value="700.00", campaign="c1"),
            won("W6", t(14), value="0.01", touches=(touch(t(2), "c2"), touch(t(1), "c1"))),
        ),
    )


class TestMarketingRecognition:
    def test_deals_by_hand(self) -> None:
        """W1, W2, W3 and W6 are recognised with their campaigns, content and owners."""
        deals = marketing_recognition(organisation(), MARCH).deals
        assert [
            ("W1", ("c1", "c2"), ("a2",), ("m1", "m2"), 3),
            ("W2", ("c2",), (), ("m2",), 0),
            ("W3", (), ("a1",), ("m1",), 1),
            ("W6", ("c1", "c2"), (), ("m1", "m2"), 2),
        ] == [
            (d.lead_id, d.campaign_ids, d.content_ids, d.owner_ids, d.marketing_touches)
            for d in deals
        ]

    def test_credit_per_deal_sums_to_its_value(self) -> None:
        """W1's 900.00 splits 225.00 to m1 and 675.00 to m2; W6's cent goes to m1."""
        deals = {
            d.lead_id: dict(d.credits) for d in marketing_recognition(organisation(), MARCH).deals
        }
        assert {"m1": Money.of("225.00", "EUR"), "m2": Money.of("675.00", "EUR")} == deals["W1"]
        assert {"m1": Money.of("0.01", "EUR"), "m2": Money.of("0.00", "EUR")} == deals["W6"]
        assert {"m1": Money.of("0", "EUR")} == deals["W3"]

    def test_owner_totals_by_hand(self) -> None:
        """m2 leads with 775.00 over three deals; m1 has 225.01 over three."""
        owners = marketing_recognition(organisation(), MARCH).owners
        assert [
            ("m2", "Max", 3, Money.of("775.00", "EUR"), ("c2",), ("a2",)),
            ("m1", "Mia", 3, Money.of("225.01", "EUR"), ("c1",), ("a1",)),
        ] == [
            (o.owner_id, o.name, o.deals, o.credit, o.campaign_ids, o.content_ids) for o in owners
        ]

    def test_credits_feed_the_bonus(self) -> None:
        """The credits mapping holds plain amounts per owner."""
        assert {"m2": Decimal("775.00"), "m1": Decimal("225.01")} == marketing_recognition(
            organisation(), MARCH
        ).credits()

    def test_repr_and_records(self) -> None:
        """The report reads in one line and gives one record per owner."""
        report = marketing_recognition(organisation(), MARCH)
        assert (
            "Recognition(4 deals won with marketing, revenue 1,000.01 EUR, 2 owners credited)"
            == repr(report)
        )
        assert {
            "owner_id": "m2",
            "name": "Max",
            "deals": 3,
            "credit": Decimal("775.00"),
            "currency": "EUR",
            "campaign_ids": "c2",
            "content_ids": "a2",
        } == report.to_records()[0]

    def test_no_wins_means_nothing_to_recognise(self) -> None:
        """A period without won deals gives an empty report with zero revenue."""
        report = marketing_recognition(organisation(), Period.month(2026, 4))
        assert ((), (), Money.zero("EUR")) == (report.deals, report.owners, report.revenue)

    def test_hubspot_deals_are_won_as_customers(self) -> None:
        """In HubSpot's lifecycle the won stage is 'customer': a deal becoming a customer in March is recognised."""
        hs = HUBSPOT
        lead = Lead.create(
            id="H1",
            created_at=t(1),
            source=LeadSource(campaign_id="c1"),
            value=Money.of(300, "EUR"),
            lifecycle=hs,
        )
        for stage in ("marketingqualifiedlead", "salesqualifiedlead", "opportunity"):
            lead = lead.advance(stage, at=t(2), lifecycle=hs)
        lead = lead.advance("customer", at=t(5), lifecycle=hs)
        org = attrs.evolve(organisation(), lifecycle=hs, leads=(lead,))
        report = marketing_recognition(org, MARCH)
        assert ([("H1", t(5))], {"m1": Decimal("300.00")}) == (
            [(d.lead_id, d.won_at) for d in report.deals],
            report.credits(),
        )

    def test_period_must_be_a_period(self) -> None:
        """A string where the period belongs raises ValidationError naming the argument."""
        with pytest.raises(ValidationError, match="marketing_recognition period must be a Period"):
            marketing_recognition(organisation(), "q1")  # type: ignore[arg-type]

    @given(sla_organisations())
    def test_credits_never_exceed_revenue(self, org: Organisation) -> None:
        """Owner credits add up to at most the recognised revenue, exactly."""
        report = marketing_recognition(org, Q1)
        assert isinstance(report, Recognition)
        total = Money.total((o.credit for o in report.owners), "EUR")
        assert total <= report.revenue
        for deal in report.deals:
            if deal.credits and deal.value is not None:
                assert deal.value == Money.total((m for _, m in deal.credits), "EUR")


class TestAllocateBonus:
    def test_split_by_hand(self) -> None:
        """1,000.00 split 2:1 gives 666.67 and 333.33: the leftover cent goes to the larger remainder."""
        result = allocate_bonus(Money.of("1000.00", "EUR"), {"mia": 2, "leo": 1})
        assert {
            "leo": Money.of("333.33", "EUR"),
            "mia": Money.of("666.67", "EUR"),
        } == result.as_dict()
        assert [Decimal("0.3333"), Decimal("0.6667")] == [s.share for s in result.shares]

    def test_ties_go_to_the_first_owner_by_id(self) -> None:
        """Five cents split evenly gives the extra cent to the owner whose id sorts first."""
        result = allocate_bonus(Money.of("0.05", "USD"), {"b": 1, "a": 1})
        assert [("a", Money.of("0.03", "USD")), ("b", Money.of("0.02", "USD"))] == [
            (s.owner_id, s.amount) for s in result.shares
        ]

    def test_currency_minor_unit_is_respected(self) -> None:
        """Yen have no minor unit: 1,000 JPY in three gives 334, 333, 333."""
        result = allocate_bonus(Money.of(1000, "JPY"), {"a": 1, "b": 1, "c": 1})
        assert [Decimal(334), Decimal(333), Decimal(333)] == [
            s.amount.amount for s in result.shares
        ]

    def test_zero_credit_owner_gets_nothing(self) -> None:
        """An owner with zero credit gets zero."""
        result = allocate_bonus(Money.of("10.00", "EUR"), {"a": 0, "b": Decimal("2.5")})
        assert [Money.of("0.00", "EUR"), Money.of("10.00", "EUR")] == [
            s.amount for s in result.shares
        ]

    def test_float_credits_are_shown_as_written(self) -> None:
        """Float credits are kept as the decimal they print as."""
        result = allocate_bonus(Money.of("30.00", "EUR"), {"a": 0.1, "b": 0.2})
        assert (
            [Decimal("0.1"), Decimal("0.2")],
            [Money.of("10.00", "EUR"), Money.of("20.00", "EUR")],
        ) == (
            [s.credit for s in result.shares],
            [s.amount for s in result.shares],
        )

    def test_zero_pool_gives_zeros(self) -> None:
        """An empty pool gives everyone zero."""
        assert all(
            s.amount.is_zero() for s in allocate_bonus(Money.zero("EUR"), {"a": 1, "b": 3}).shares
        )

    def test_repr_and_records(self) -> None:
        """The allocation reads in one line and gives one record per owner."""
        result = allocate_bonus(Money.of("100.00", "EUR"), {"a": 1, "b": 3})
        assert "BonusAllocation(100.00 EUR -> a: 25.00 EUR, b: 75.00 EUR)" == repr(result)
        assert {
            "owner_id": "a",
            "credit": Decimal(1),
            "share": Decimal("0.2500"),
            "amount": Decimal("25.00"),
            "currency": "EUR",
        } == result.to_records()[0]

    @pytest.mark.parametrize(
        ("pool", "given_credits", "fragment"),
        [
            (Money.of("-1.00", "EUR"), {"a": 1}, "pool must not be negative"),
            (Decimal(100), {"a": 1}, "pool must be a Money"),
            (Money.of("1.00", "EUR"), {}, "non-empty mapping"),
            (Money.of("1.00", "EUR"), [("a", 1)], "non-empty mapping"),
            (Money.of("1.00", "EUR"), {"": 1}, "owner ids"),
            (Money.of("1.00", "EUR"), {"a": -1}, r"credits\['a'\] must be finite and >= 0"),
            (Money.of("1.00", "EUR"), {"a": float("nan")}, "finite"),
            (Money.of("1.00", "EUR"), {"a": Decimal("Infinity")}, "finite"),
            (Money.of("1.00", "EUR"), {"a": True}, "must be a number"),
            (Money.of("1.00", "EUR"), {"a": "1"}, "must be a number"),
            (Money.of("1.00", "EUR"), {"a": 0, "b": 0}, "not all be zero"),
        ],
    )
    def test_bad_inputs_are_refused(
        self, pool: object, given_credits: object, fragment: str
    ) -> None:
        """Each bad pool or credit raises a ValidationError naming the problem."""
        with pytest.raises(ValidationError, match=fragment):
            allocate_bonus(pool, given_credits)  # type: ignore[arg-type]

    @given(pools, owner_credits)
    def test_allocation_sums_exactly_to_the_pool(
        self, pool: Money, owner_credits: dict[str, float | Decimal]
    ) -> None:
        """The amounts add up to the pool exactly, none is negative, and each is within one minor unit of its exact share."""
        result = allocate_bonus(pool, owner_credits)
        assert isinstance(result, BonusAllocation)
        assert pool == Money.total((s.amount for s in result.shares), pool.currency)
        unit = Decimal(1).scaleb(-minor_unit(pool.currency))
        total = sum(
            Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in owner_credits.values()
        )
        for share in result.shares:
            assert share.amount.amount >= 0
            exact = pool.amount * share.credit / total
            assert abs(share.amount.amount - exact) <= unit


class TestAllocateBonusBounds:
    def test_a_credit_of_ten_to_the_400_takes_the_whole_pool(self) -> None:
        """An int credit beyond any float gives a sound split, not an OverflowError."""
        result = allocate_bonus(Money.of("100.00", "EUR"), {"a": 10**400, "b": 1})
        assert {"a": Money.of("100.00", "EUR"), "b": Money.of("0.00", "EUR")} == result.as_dict()
        assert [Decimal("1.0000"), Decimal("0.0000")] == [s.share for s in result.shares]

    def test_float_credits_near_the_largest_float(self) -> None:
        """Credits of 1e308 and 1.7e308 split exactly, as their ratio says."""
        result = allocate_bonus(Money.of("100.00", "EUR"), {"a": 1e308, "b": 1.7e308})
        assert {"a": Money.of("37.04", "EUR"), "b": Money.of("62.96", "EUR")} == result.as_dict()
        assert [Decimal("1E+308"), Decimal("1.7E+308")] == [s.credit for s in result.shares]

    @pytest.mark.parametrize("credit", [Decimal("1e999999999"), Decimal("1e-999999999"), 10**1000])
    def test_credits_beyond_the_bound_are_refused_quickly(self, credit: object) -> None:
        """A credit of 1e999999999 is a ValidationError naming it, at once."""
        began = time.perf_counter()
        with pytest.raises(
            ValidationError, match=r"allocate_bonus credits\['a'\] must be below 10\*\*1000"
        ):
            allocate_bonus(Money.of("1.00", "EUR"), {"a": credit, "b": 1})  # type: ignore[dict-item]
        assert time.perf_counter() - began < 2

    @pytest.mark.parametrize(
        ("pool", "given_credits", "fragment"),
        [(Decimal(100), {"a": 1}, "pool must be a Money"),
         (Money.of("1.00", "EUR"), [("a", 1)], "non-empty mapping"),
         (Money.of("1.00", "EUR"), {5: 1}, "owner ids"),
         (Money.of("1.00", "EUR"), {"a": "1"}, "must be a number"),
         (Money.of("1.00", "EUR"), {"a": None}, "must be a number")],
    )  # fmt: skip
    def test_wrong_types_are_named(
        self, pool: object, given_credits: object, fragment: str
    ) -> None:
        """A pool, mapping, owner id or credit of the wrong type is a WrongType."""
        with pytest.raises(WrongType, match=fragment):
            allocate_bonus(pool, given_credits)  # type: ignore[arg-type]

    def test_a_huge_negative_credit_is_named(self) -> None:
        """A negative credit of any size is refused with a readable message."""
        with pytest.raises(
            ValidationError,
            match=r"must be finite and >= 0, got a negative int of about 5,000 digits",
        ):
            allocate_bonus(Money.of("1.00", "EUR"), {"a": -(10**5000)})

    def test_shares_round_half_even_from_the_exact_ratio(self) -> None:
        """Shares are the exact ratio rounded half-even to four places."""
        result = allocate_bonus(
            Money.of("1.00", "EUR"), {"a": 1, "b": 19999}
        )  # 0.00005 and 0.99995
        assert [Decimal("0.0000"), Decimal("1.0000")] == [s.share for s in result.shares]

    @settings(max_examples=200)
    @given(
        pools | st.none() | st.integers() | st.just(Money.of("-1", "EUR")),
        st.dictionaries(
            st.text(max_size=3) | st.integers(),
            st.none() | st.booleans() | st.integers() | st.floats() | st.decimals() | st.text(max_size=2)
            | st.sampled_from([10**400, 10**5000, -(10**5000), 1e308, Decimal("1e999999999")]),
            max_size=4,
        ) | st.none() | st.lists(st.integers(), max_size=2),
    )  # fmt: skip
    def test_bad_input(self, pool: Any, given_credits: Any) -> None:
        """allocate_bonus gives a split of the whole pool or a salesmark error, in bounded time."""
        began = time.perf_counter()
        try:
            result = allocate_bonus(pool, given_credits)
        except SalesmarkError:
            result = None
        assert time.perf_counter() - began < 2
        if result is not None:
            assert pool == Money.total((s.amount for s in result.shares), pool.currency)


class TestResultTypes:
    def test_results_are_frozen(self) -> None:
        """Recognition and allocation results cannot be changed."""
        report = marketing_recognition(organisation(), MARCH)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            report.deals = ()  # type: ignore[misc]
