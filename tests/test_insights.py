"""Tests for salesmark.insights: themes ranked by reach, recency and sentiment, and their trends.

Default weights: reps 0.5, accounts 0.3, sentiment 0.2 (negative 1, neutral 0.5,
positive 0). The acceptance case, all heard on 20 March and ranked at 31 March
00:00 (so every mention weighs the same):

* rep s0 reports "pricing" ten times, from ten accounts;
* reps s1..s5 each report "erp" once, from five accounts.

Six reps and fifteen accounts in all:

* erp: 0.5 x 5/6 + 0.3 x 5/15 + 0.2 x 0.5 = 0.41667 + 0.1 + 0.1 = 0.6167
* pricing: 0.5 x 1/6 + 0.3 x 10/15 + 0.2 x 0.5 = 0.08333 + 0.2 + 0.1 = 0.3833

Even with every pricing mention negative (sentiment 1: +0.1) pricing scores 0.4833.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings

from salesmark.agenda import build_agenda
from salesmark.errors import ValidationError
from salesmark.feedback import ClientInsight, Sentiment
from salesmark.insights import (
    THEME_WEIGHTS,
    ThemeRanking,
    TrendDirection,
    rank_themes,
    theme_trends,
    unreflected_themes,
)
from salesmark.leads import Lead
from salesmark.narratives import Narrative
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Persona
from salesmark.teams import Member, Team
from strategies import loop_organisations

UTC = timezone.utc
MARCH = Period.month(2026, 3)
AT = datetime(2026, 3, 31, tzinfo=UTC)


def t(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, tzinfo=UTC)


REPS = tuple(Member(id=f"s{i}", name=f"Rep {i}", team=Team.SALES) for i in range(6))


def heard(
    rep: str,
    theme: str,
    day: int = 20,
    *,
    account: str | None = None,
    sentiment: Sentiment = Sentiment.NEUTRAL,
    quote: str = "",
    lead: str | None = None,
    month: int = 3,
) -> ClientInsight:
    return ClientInsight(
        member_id=rep,
        at=t(day, month),
        themes=(theme,),
        account_id=account,
        sentiment=sentiment,
        quote=quote,
        lead_id=lead,
    )


def org_of(*insights: ClientInsight, **kwargs: object) -> Organisation:
    return Organisation(name="Acme", currency="EUR", members=REPS, insights=insights, **kwargs)  # type: ignore[arg-type]


def acceptance(sentiment: Sentiment = Sentiment.NEUTRAL) -> Organisation:
    repeated = [heard("s0", "pricing", account=f"p{n}", sentiment=sentiment) for n in range(10)]
    spread = [heard(f"s{i}", "erp", account=f"e{i}") for i in range(1, 6)]
    return org_of(*repeated, *spread)


class TestRankThemes:
    def test_five_reps_outrank_one_rep_repeating_himself(self) -> None:
        """One rep reporting pricing ten times ranks below five reps reporting erp once each."""
        ranking = rank_themes(acceptance(), MARCH, at=AT)
        assert {"erp": (1, Decimal("0.6167")), "pricing": (2, Decimal("0.3833"))} == {
            s.theme: (s.rank, s.score) for s in ranking.themes
        }

    def test_even_when_the_repeated_theme_is_all_negative(self) -> None:
        """Ten negative pricing mentions from one rep (0.4833) still rank below erp (0.6167)."""
        ranking = rank_themes(acceptance(Sentiment.NEGATIVE), MARCH, at=AT)
        assert [("erp", Decimal("0.6167")), ("pricing", Decimal("0.4833"))] == [
            (s.theme, s.score) for s in ranking.themes
        ]

    def test_components_by_hand(self) -> None:
        """Each theme shows its reach over reps and accounts, its negativity and its mentions."""
        pricing = rank_themes(acceptance(), MARCH, at=AT).theme("pricing")
        assert {
            "reps_reach": Decimal("0.1667"),
            "accounts_reach": Decimal("0.6667"),
            "negativity": Decimal("0.5000"),
            "mentions": 10,
            "member_ids": ("s0",),
            "accounts": 10,
        } == {
            "reps_reach": pricing.reps_reach,
            "accounts_reach": pricing.accounts_reach,
            "negativity": pricing.negativity,
            "mentions": pricing.mentions,
            "member_ids": pricing.member_ids,
            "accounts": len(pricing.account_ids),
        }

    def test_weights_are_documented_and_configurable(self) -> None:
        """The default weights are 0.5, 0.3 and 0.2; weighting accounts alone puts pricing first."""
        assert {
            "reps": Decimal("0.5"),
            "accounts": Decimal("0.3"),
            "sentiment": Decimal("0.2"),
        } == (dict(THEME_WEIGHTS))
        ranking = rank_themes(
            acceptance(), MARCH, at=AT, weights={"reps": 0, "accounts": 1, "sentiment": 0}
        )
        # pricing 10 of 15 accounts, erp 5 of 15
        assert [("pricing", Decimal("0.6667")), ("erp", Decimal("0.3333"))] == [
            (s.theme, s.score) for s in ranking.themes
        ]

    def test_recency_discounts_a_rep_by_their_newest_mention(self) -> None:
        """A rep last heard 30 days ago counts half: s1 (today) 1, s0 (30 days) 0.5: reach 2/3 vs 1/3."""
        org = org_of(heard("s0", "pricing", day=1), heard("s1", "erp", day=31))
        ranking = rank_themes(org, MARCH, at=t(31))
        assert {"erp": Decimal("0.6667"), "pricing": Decimal("0.3333")} == {
            s.theme: s.reps_reach for s in ranking.themes
        }

    def test_negative_themes_rank_higher(self) -> None:
        """Between two themes as widely heard, the one clients are negative about comes first."""
        org = org_of(
            heard("s0", "pricing", sentiment=Sentiment.POSITIVE),
            heard("s1", "erp", sentiment=Sentiment.NEGATIVE),
        )
        ranking = rank_themes(org, MARCH, at=AT)
        # erp 0.5 x 1/2 + 0.2 x 1 = 0.45; pricing 0.5 x 1/2 + 0.2 x 0 = 0.25
        assert [("erp", Decimal("0.4500")), ("pricing", Decimal("0.2500"))] == [
            (s.theme, s.score) for s in ranking.themes
        ]

    def test_quotes_and_leads_behind_each_theme(self) -> None:
        """A theme lists the leads and the quotes behind it, newest quote first."""
        lead = Lead.create(id="L1", created_at=t(1), account_id="acme")
        org = org_of(
            heard("s0", "erp", day=5, quote="It must talk to SAP.", lead="L1"),
            heard("s1", "erp", day=9, quote="We run Dynamics."),
            leads=(lead,),
        )
        erp = rank_themes(org, MARCH, at=AT).theme("erp")
        assert {
            "quotes": ("We run Dynamics.", "It must talk to SAP."),
            "lead_ids": ("L1",),
            "account_ids": ("acme",),
            "latest": t(9),
        } == {
            "quotes": erp.quotes,
            "lead_ids": erp.lead_ids,
            "account_ids": erp.account_ids,
            "latest": erp.latest,
        }

    def test_a_lead_without_an_account_is_its_own_account(self) -> None:
        """An insight's account is its own, else its lead's, else the lead itself."""
        leads = (
            Lead.create(id="L1", created_at=t(1)),
            Lead.create(id="L2", created_at=t(1), account_id="acme"),
        )
        org = org_of(
            heard("s0", "erp", lead="L1"),
            heard("s0", "erp", lead="L2"),
            heard("s0", "erp", account="globex", lead="L2"),
            leads=leads,
        )
        assert ("L1", "acme", "globex") == rank_themes(org, MARCH, at=AT).theme("erp").account_ids

    def test_insights_after_at_or_outside_the_period_are_left_out(self) -> None:
        """Only the period's insights heard by ``at`` are read."""
        org = org_of(
            heard("s0", "erp", day=10),
            heard("s1", "erp", day=25),
            heard("s2", "erp", day=10, month=2),
        )
        ranking = rank_themes(org, MARCH, at=t(20))
        assert (1, ("s0",)) == (ranking.insights, ranking.theme("erp").member_ids)

    def test_records_and_repr(self) -> None:
        """The ranking reads in one line and gives one row per theme."""
        ranking = rank_themes(acceptance(), MARCH, at=AT)
        assert "ThemeRanking(2 themes from 15 insights, 'erp' first)" == repr(ranking)
        assert {"rank": 1, "theme": "erp", "reps": 5, "accounts": 5, "mentions": 5} == {
            k: ranking.to_records()[0][k] for k in ("rank", "theme", "reps", "accounts", "mentions")
        }

    @pytest.mark.parametrize(
        ("weights", "fragment"),
        [
            ({"vibes": 1}, "unknown part 'vibes'"),
            ({"reps": -1}, "finite Decimal or int >= 0"),
            ({"reps": 0.5}, "finite Decimal or int >= 0"),
            ({"reps": 0, "accounts": 0, "sentiment": 0}, "must not all be zero"),
            ([("reps", 1)], "must be a mapping"),
        ],
    )
    def test_bad_weights_are_refused(self, weights: object, fragment: str) -> None:
        """Unknown, negative, float or all-zero weights raise ValidationError."""
        with pytest.raises(ValidationError, match=fragment):
            rank_themes(acceptance(), MARCH, weights=weights)  # type: ignore[arg-type]

    def test_unknown_theme_lookup_is_refused(self) -> None:
        """Asking for a theme nobody raised raises ValidationError naming the known ones."""
        with pytest.raises(ValidationError, match="no theme 'mobile'; themes are 'erp', 'pricing'"):
            rank_themes(acceptance(), MARCH, at=AT).theme("mobile")

    @settings(max_examples=40, deadline=None)
    @given(loop_organisations())
    def test_scores_and_ranks(self, org: Organisation) -> None:
        """Scores lie in [0, 1], ranks run from 1 in score order, and mentions add up."""
        ranking = rank_themes(org, Period.quarter(2026, 1))
        assert isinstance(ranking, ThemeRanking)
        assert list(range(1, len(ranking.themes) + 1)) == [s.rank for s in ranking.themes]
        scores = [s.score for s in ranking.themes]
        assert sorted(scores, reverse=True) == scores
        assert all(Decimal(0) <= s <= Decimal(1) for s in scores)


class TestThemeTrends:
    def test_rising_falling_steady(self) -> None:
        """Reps per month 1, 2, 3 rise; 2, 1, 0 fall; 1, 1, 1 hold steady."""
        org = org_of(
            heard("s0", "erp", month=1),
            heard("s0", "erp", month=2),
            heard("s1", "erp", month=2),
            *(heard(f"s{i}", "erp") for i in range(3)),
            heard("s0", "pricing", month=1),
            heard("s1", "pricing", month=1),
            heard("s2", "pricing", month=2),
            *(heard("s3", "mobile", month=m) for m in (1, 2, 3)),
        )
        trends = theme_trends(org, [Period.month(2026, m) for m in (1, 2, 3)])
        assert {
            "erp": ((1, 2, 3), Decimal("1.0000"), TrendDirection.RISING),
            "mobile": ((1, 1, 1), Decimal("0.0000"), TrendDirection.STEADY),
            "pricing": ((2, 1, 0), Decimal("-1.0000"), TrendDirection.FALLING),
        } == {tr.theme: (tr.reps, tr.slope, tr.direction) for tr in trends.trends}
        assert ["erp", "mobile", "pricing"] == [tr.theme for tr in trends.trends]
        assert "ThemeTrends(3 themes over 3 periods: 1 rising, 1 falling)" == repr(trends)

    def test_prevalence_not_repetition(self) -> None:
        """One rep repeating a theme more each month is steady: one rep every month."""
        org = org_of(*(heard("s0", "erp", month=m) for m in (1, 2, 2, 3, 3, 3)))
        trend = theme_trends(org, [Period.month(2026, m) for m in (1, 2, 3)]).trend("erp")
        assert ((1, 1, 1), (1, 2, 3), TrendDirection.STEADY) == (
            trend.reps,
            trend.mentions,
            trend.direction,
        )

    def test_records(self) -> None:
        """One row per theme and period."""
        org = org_of(heard("s0", "erp", month=1))
        records = theme_trends(org, [Period.month(2026, 1), Period.month(2026, 2)]).to_records()
        assert [(1, "falling"), (0, "falling")] == [(r["reps"], r["direction"]) for r in records]

    def test_needs_two_periods(self) -> None:
        """A trend needs at least two periods."""
        with pytest.raises(ValidationError, match="at least two periods"):
            theme_trends(acceptance(), [MARCH])


def narrated(org: Organisation, *themes: str, agreed: bool = True) -> Organisation:
    story = Narrative.draft(
        id="n1",
        persona_id="p1",
        audience="Ops",
        problem="cost",
        trends=("inflation",),
        product="X",
        at=t(1),
        themes=themes,
    )
    if agreed:
        story = story.approve(Team.SALES, "s0", at=t(1)).approve(Team.MARKETING, "m1", at=t(1))
    members = (*org.members, Member(id="m1", name="Mia", team=Team.MARKETING))
    return attrs.evolve(
        org, members=members, personas=(Persona(id="p1", name="Ops"),), narratives=(story,)
    )


class TestUnreflectedThemes:
    def test_a_theme_of_several_reps_without_a_narrative(self) -> None:
        """Erp, raised by five reps, is unreflected; pricing (one rep) is not several."""
        assert ["erp"] == [s.theme for s in unreflected_themes(acceptance(), MARCH, at=AT)]

    def test_an_agreed_narrative_reflects_it(self) -> None:
        """An agreed narrative resting on 'ERP' (any case) reflects the theme; a draft does not."""
        assert () == unreflected_themes(narrated(acceptance(), "ERP"), MARCH, at=AT)
        draft = narrated(acceptance(), "erp", agreed=False)
        assert ["erp"] == [s.theme for s in unreflected_themes(draft, MARCH, at=AT)]

    def test_min_reps(self) -> None:
        """With min_reps=6 not even erp's five reps are enough."""
        assert () == unreflected_themes(acceptance(), MARCH, at=AT, min_reps=6)

    def test_on_the_agenda(self) -> None:
        """An unreflected theme becomes an agenda topic owned by marketing."""
        agenda = build_agenda(acceptance(), MARCH, at=AT)
        item = next(i for i in agenda.items if i.key == "unreflected_themes")
        # severity: erp's reps reach 5/6; priority 2 x (1 + 0.8333) = 3.6667
        assert {
            "title": "Client insights: 'erp' is raised by 5 reps but in no agreed narrative",
            "owner": Team.MARKETING,
            "priority": 3.6667,
            "evidence": ("erp: 5 reps (s1, s2, s3, s4, s5), 5 mentions, score 0.6167",),
        } == {
            "title": item.title,
            "owner": item.owner,
            "priority": item.priority,
            "evidence": item.evidence,
        }

    def test_the_agenda_ranks_themes_by_reach(self) -> None:
        """The agenda's most prevalent theme is erp (five reps), not pricing (ten mentions)."""
        agenda = build_agenda(acceptance(), MARCH, at=AT)
        item = next(i for i in agenda.items if i.key == "insight_themes")
        assert "Client insights: 'erp' is the most prevalent theme" == item.title


class TestArguments:
    @pytest.mark.parametrize(
        ("call", "fragment"),
        [
            (lambda: rank_themes("Acme", MARCH), "rank_themes org must be an Organisation"),  # type: ignore[arg-type]
            (lambda: rank_themes(acceptance(), "2026-03"), "rank_themes period"),  # type: ignore[arg-type]
            (lambda: rank_themes(acceptance(), MARCH, half_life=timedelta(0)), "half_life"),
            (lambda: unreflected_themes(acceptance(), MARCH, min_reps=0), "min_reps"),
            (lambda: theme_trends(acceptance(), ["2026-01", MARCH]), r"periods\[0\]"),  # type: ignore[list-item]
        ],
    )
    def test_bad_arguments_are_refused(self, call: object, fragment: str) -> None:
        """Arguments of the wrong type or out of range raise ValidationError naming them."""
        with pytest.raises(ValidationError, match=fragment):
            call()  # type: ignore[operator]
