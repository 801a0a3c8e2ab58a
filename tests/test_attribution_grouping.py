"""Tests for salesmark.attribution.grouping: first-match channel rules and the GA4-like default."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from salesmark import DEMAND_WATERFALL as W
from salesmark import (
    HUBSPOT,
    Lead,
    LeadSource,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
)
from salesmark.attribution import (
    GA4_DEFAULT_GROUPING,
    ChannelGrouping,
    ChannelRule,
    Match,
    account_journeys,
    journeys_from_leads,
)


class TestMatch:
    def test_full_match_ignoring_case(self) -> None:
        """Patterns match the whole value, ignoring case."""
        match = Match(field="medium", pattern="cpc")
        assert (True, False) == (match.matches(medium="CPC"), match.matches(medium="cpcx"))

    def test_missing_value_is_not_set(self) -> None:
        """A missing value is matched as '(not set)'."""
        assert Match(field="campaign", pattern=r"\(not set\)").matches()

    def test_bad_pattern(self) -> None:
        """An invalid regular expression is refused with the pattern named."""
        with pytest.raises(ValidationError, match=r"not a valid regular expression"):
            Match(field="source", pattern="(")

    def test_bad_field(self) -> None:
        """Only source, medium and campaign can be matched."""
        with pytest.raises(ValidationError, match=r"Match\.field"):
            Match(field="country", pattern="x")  # type: ignore[arg-type]


class TestChannelRule:
    def test_all_conditions_of_a_clause(self) -> None:
        """Every condition of a clause must hold."""
        rule = ChannelRule.matching("paid_search", source="google", medium="cpc")
        assert (True, False) == (
            rule.applies(source="google", medium="cpc"),
            rule.applies(source="google"),
        )

    def test_any_clause(self) -> None:
        """Any clause may match."""
        rule = ChannelRule.matching("sms", source="sms").or_matching(medium="sms")
        assert rule.applies(medium="sms")

    def test_empty_clause_refused(self) -> None:
        """A clause needs a condition."""
        with pytest.raises(ValidationError, match="at least one of"):
            ChannelRule.matching("x")


class TestChannelGrouping:
    @pytest.mark.parametrize(
        ("source", "medium", "campaign", "expected"),
        [
            ("(direct)", "(none)", None, "direct"),
            ("google", "cpc", "brand", "paid_search"),
            ("google", "cpc", "cross-network-q3", "cross_network"),
            ("amazon", "cpc", None, "paid_shopping"),
            ("linkedin", "paid-social", None, "paid_social"),
            ("youtube", "cpv", None, "paid_video"),
            ("dv360", "display", None, "display"),
            ("partner", "paid", None, "paid_other"),
            ("etsy", "referral", None, "organic_shopping"),
            ("facebook", "referral", None, "organic_social"),
            ("vimeo", "referral", None, "organic_video"),
            ("bing", "organic", None, "organic_search"),
            ("blog.example", "referral", None, "referral"),
            ("newsletter", "email", None, "email"),
            ("partner", "affiliate", None, "affiliates"),
            ("spotify", "audio", None, "audio"),
            ("twilio", "sms", None, "sms"),
            ("firebase", "notification", None, "mobile_push"),
            (None, None, None, "unassigned"),
        ],
    )
    def test_ga4_default(
        self, source: str | None, medium: str | None, campaign: str | None, expected: str
    ) -> None:
        """The default grouping follows GA4's default channel groups, first match first."""
        assert expected == GA4_DEFAULT_GROUPING.channel_for(
            source=source, medium=medium, campaign=campaign
        )

    def test_first_match_wins(self) -> None:
        """Rules are tried in order."""
        grouping = ChannelGrouping(
            rules=(
                ChannelRule.matching("brand", campaign="brand.*"),
                ChannelRule.matching("paid", medium="cpc"),
            )
        )
        assert ("brand", "paid") == (
            grouping.channel_for(medium="cpc", campaign="brand-2026"),
            grouping.channel_for(medium="cpc", campaign="generic"),
        )

    def test_of_source(self) -> None:
        """A lead's captured source maps to a group; no source gives the default."""
        lead_source = LeadSource(source="google", medium="organic")
        assert ("organic_search", "unassigned") == (
            GA4_DEFAULT_GROUPING.of_source(lead_source),
            GA4_DEFAULT_GROUPING.of_source(None),
        )

    def test_rules_must_be_rules(self) -> None:
        """Only ChannelRule objects are accepted."""
        with pytest.raises(ValidationError, match="ChannelRule"):
            ChannelGrouping(rules=("direct",))  # type: ignore[arg-type]


class TestGroupingTouches:
    """A touch's own source, medium and campaign decide its channel group."""

    T = datetime(2026, 3, 2, tzinfo=timezone.utc)

    def _touch(self, **tags: str) -> Touchpoint:
        return Touchpoint(
            at=self.T, channel="web", kind=TouchpointKind.AD_CLICK, team=Team.MARKETING, **tags
        )

    def test_tagged_touches_are_grouped(self) -> None:
        """GA4's rules read the touch's tags."""
        assert ["paid_search", "email", "organic_social"] == [
            GA4_DEFAULT_GROUPING.of_touch(self._touch(source="google", medium="cpc")),
            GA4_DEFAULT_GROUPING.of_touch(self._touch(source="newsletter", medium="email")),
            GA4_DEFAULT_GROUPING.of_touch(self._touch(source="linkedin", medium="social")),
        ]

    def test_untagged_touch_keeps_its_channel(self) -> None:
        """Nothing to read: a sales call stays 'phone'."""
        call = Touchpoint(at=self.T, channel="phone", kind=TouchpointKind.CALL, team=Team.SALES)
        assert "phone" == GA4_DEFAULT_GROUPING.of_touch(call)

    def test_journeys_credit_groups(self) -> None:
        """journeys_from_leads(grouping=..., lifecycle=W) builds paths of channel groups."""
        lead = Lead.create(
            id="L",
            created_at=self.T,
            touchpoints=[
                self._touch(source="google", medium="cpc"),
                self._touch(source="bing", medium="organic"),
            ],
        )
        (raw,) = journeys_from_leads([lead], converted_at="inquiry", lifecycle=W)
        (grouped,) = journeys_from_leads(
            [lead], converted_at="inquiry", grouping=GA4_DEFAULT_GROUPING, lifecycle=W
        )
        assert (("web", "web"), ("paid_search", "organic_search")) == (raw.path, grouped.path)
        (account,) = account_journeys(
            [lead], converted_at="inquiry", grouping=GA4_DEFAULT_GROUPING, lifecycle=W
        )
        assert grouped.path == account.path

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"grouping": "ga4"}, "grouping must be a ChannelGrouping"),
            ({"grouping": GA4_DEFAULT_GROUPING, "key": "campaign_id"}, "key='channel' only"),
        ],
    )
    def test_bad_grouping(self, kwargs: dict[str, Any], match: str) -> None:
        """A grouping that is not one, or with a non-channel key, is refused."""
        with pytest.raises(ValidationError, match=match):
            journeys_from_leads([], **kwargs, lifecycle=W)
        with pytest.raises(ValidationError, match=match):
            account_journeys([], **kwargs, lifecycle=W)

    def test_of_touch_needs_a_touch(self) -> None:
        """A lead source is not a touch."""
        with pytest.raises(ValidationError, match="of_touch needs a Touchpoint"):
            GA4_DEFAULT_GROUPING.of_touch(LeadSource(source="google"))  # type: ignore[arg-type]


class TestConversionStage:
    """The conversion stage is checked against the lifecycle the leads follow."""

    def test_typo_is_an_error(self) -> None:
        """A misspelt stage is refused, listing the lifecycle's stages."""
        with pytest.raises(ValidationError, match="converted_at 'opportunty' is not a stage"):
            journeys_from_leads([], converted_at="opportunty", lifecycle=W)
        with pytest.raises(ValidationError, match="converted_at 'opportunty' is not a stage"):
            account_journeys([], converted_at="opportunty", lifecycle=W)

    def test_hubspot_leads_convert_as_customers(self) -> None:
        """With HubSpot's lifecycle the default conversion is 'customer'."""
        t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        touch = Touchpoint(
            at=t, channel="search", kind=TouchpointKind.AD_CLICK, team=Team.MARKETING
        )
        lead = (
            Lead.create(id="L", created_at=t, touchpoints=[touch], lifecycle=HUBSPOT)
            .advance("opportunity", at=t, lifecycle=HUBSPOT)
            .advance("customer", at=t + timedelta(days=1), lifecycle=HUBSPOT)
        )
        (journey,) = journeys_from_leads([lead], lifecycle=HUBSPOT)
        assert {"converted": True, "opportunity_created": 0, "closed_won": 0} == {
            "converted": journey.converted,
            "opportunity_created": journey.milestones.opportunity_created,
            "closed_won": journey.milestones.closed_won,
        }
        with pytest.raises(ValidationError, match="lifecycle must be a Lifecycle"):
            journeys_from_leads([lead], lifecycle="hubspot")  # type: ignore[arg-type]


class TestChannelRuleChecks:
    @pytest.mark.parametrize("clauses", [[], [[]]])
    def test_a_rule_needs_a_clause(self, clauses: list[list[object]]) -> None:
        """A rule without clauses, or with an empty one, matches nothing and is refused."""
        from salesmark.attribution import ChannelRule

        with pytest.raises(
            ValidationError, match=r"^ChannelRule\.clauses must hold at least one non-empty clause"
        ):
            ChannelRule(channel="x", clauses=clauses)  # type: ignore[arg-type]


# GA4's documented source lists, one entry each; matching is in full and ignores case.
_SEARCH = ("google", "bing", "yahoo", "baidu", "duckduckgo", "yandex", "ecosia", "naver", "ask")
_SOCIAL = (
    "facebook", "fb", "instagram", "ig", "linkedin", "lnkd.in", "twitter", "t.co", "x",
    "tiktok", "pinterest", "reddit", "snapchat", "quora", "threads", "mastodon",
)  # fmt: skip
_VIDEO = ("youtube", "vimeo", "twitch", "dailymotion", "wistia")
_SHOPPING = ("amazon", "ebay", "etsy", "shopify", "walmart")
_PAID = (
    "cpc",
    "xcpx",
    "ppc",
    "retargeting",
    "paid",
    "paid-social",
)  # .*cp.*|ppc|retargeting|paid.*


def _cases() -> list[tuple[str | None, str | None, str | None, str]]:
    """(source, medium, campaign, channel) for every alternative of every GA4 rule."""
    cases: list[tuple[str | None, str | None, str | None, str]] = [
        ("(direct)", "(none)", None, "direct"),
        ("(DIRECT)", None, None, "direct"),  # a missing medium reads "(not set)"
        ("(direct)", "organic", None, "organic_search"),  # direct needs no medium
        ("xdirectx", "(none)", None, "unassigned"),  # the parentheses are literal
        ("google", "cpc", "q3-cross-network-test", "cross_network"),
        ("google", "cpc", "crossnetwork", "paid_search"),
        ("mystore", "cpc", "summer-shop", "paid_shopping"),  # shop after a non-letter
        ("mystore", "cpc", "shop", "paid_shopping"),  # shop at the start
        ("mystore", "cpc", "e-shopping", "paid_shopping"),
        ("mystore", "cpc", "workshop", "paid_other"),  # shop after a letter other than e
        ("mystore", "cpc", "eshop", "paid_shopping"),  # e is not in [^a-df-z]
        ("mystore", "cpc", "bigshop", "paid_other"),  # g is a letter other than e
        ("myshoppingmall", "cpc", None, "paid_shopping"),
        ("my-search-engine", "cpc", None, "paid_search"),
        ("my-social-site", "cpc", None, "paid_social"),
        ("my-video-site", "cpc", None, "paid_video"),
        ("partner", "PPC", None, "paid_other"),
        ("partner", "retargeting", None, "paid_other"),
        ("partner", "paid-anything", None, "paid_other"),
        ("partner", "unpaid", None, "unassigned"),  # paid.* must start the medium
        ("myshoppingmall", "referral", None, "organic_shopping"),
        ("partner", "referral", "black-friday-shop", "organic_shopping"),
        ("my-social-site", "referral", None, "organic_social"),
        ("my-video-site", "referral", None, "organic_video"),
        ("partner", "web-video", None, "organic_video"),
        ("my-search-engine", "referral", None, "organic_search"),
        ("partner", "organic", None, "organic_search"),
        ("partner", "app", None, "referral"),
        ("partner", "link", None, "referral"),
        ("partner", "links", None, "unassigned"),
        ("partner", "affiliate", None, "affiliates"),
        ("partner", "affiliates", None, "unassigned"),
        ("partner", "audio", None, "audio"),
        ("sms", "text", None, "sms"),
        ("partner", "sms", None, "sms"),
        ("app", "web-push", None, "mobile_push"),
        ("app", "in-mobile-app", None, "mobile_push"),
        ("app", "notification", None, "mobile_push"),
        ("firebase", "none", None, "mobile_push"),
        ("partner", "carrier-pigeon", None, "unassigned"),
    ]
    cases += [(s, "cpc", None, "paid_search") for s in _SEARCH]
    cases += [(s, "organic-listing", None, "organic_search") for s in _SEARCH]
    cases += [(s, "cpc", None, "paid_social") for s in _SOCIAL]
    cases += [(s.upper(), "referral", None, "organic_social") for s in _SOCIAL]
    cases += [(s, "cpc", None, "paid_video") for s in _VIDEO]
    cases += [(s, "referral", None, "organic_video") for s in _VIDEO]
    cases += [(s, "cpc", None, "paid_shopping") for s in _SHOPPING]
    cases += [(s, "referral", None, "organic_shopping") for s in _SHOPPING]
    cases += [("partner", m, None, "paid_other") for m in _PAID]
    # cpm is also paid (.*cp.*), but display comes before paid_other
    cases += [
        ("dv360", m, None, "display")
        for m in ("display", "banner", "expandable", "interstitial", "cpm")
    ]
    cases += [
        ("partner", m, None, "organic_social")
        for m in (
            "social",
            "social-network",
            "social-media",
            "sm",
            "social network",
            "social media",
        )
    ]
    cases += [("partner", m, None, "referral") for m in ("referral", "REFERRAL")]
    cases += [
        (s, "none", None, "email") for s in ("email", "e-mail", "e_mail", "e mail", "newsletter")
    ]
    cases += [("partner", m, None, "email") for m in ("email", "e-mail", "e_mail", "e mail")]
    cases += [(s, "none", None, "unassigned") for s in ("emails", "x-newsletter")]
    return cases


class TestGa4DefaultBuiltFresh:
    """Each alternative of GA4's rules, on a grouping built by the call (not the module constant)."""

    @pytest.mark.parametrize(("source", "medium", "campaign", "expected"), _cases())
    def test_each_alternative(
        self, source: str | None, medium: str | None, campaign: str | None, expected: str
    ) -> None:
        """The channel GA4's documented rules give, first match first."""
        grouping = ChannelGrouping.ga4_default()
        assert expected == grouping.channel_for(source=source, medium=medium, campaign=campaign)

    def test_same_as_the_constant(self) -> None:
        """The module's constant is the grouping the call builds."""
        assert GA4_DEFAULT_GROUPING == ChannelGrouping.ga4_default()

    def test_names_and_default(self) -> None:
        """Eighteen channels in GA4's order, and "unassigned" when none matches."""
        grouping = ChannelGrouping.ga4_default()
        assert grouping.default == "unassigned"
        assert [r.channel for r in grouping.rules] == [
            "direct", "cross_network", "paid_shopping", "paid_search", "paid_social",
            "paid_video", "display", "paid_other", "organic_shopping", "organic_social",
            "organic_video", "organic_search", "referral", "email", "affiliates", "audio",
            "sms", "mobile_push",
        ]  # fmt: skip
