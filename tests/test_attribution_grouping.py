"""Tests for salesmark.attribution.grouping: first-match channel rules and the GA4-like default."""

from __future__ import annotations

import pytest

from salesmark import LeadSource, ValidationError
from salesmark.attribution import GA4_DEFAULT_GROUPING, ChannelGrouping, ChannelRule, Match


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
