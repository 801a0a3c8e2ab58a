"""Channel grouping: an ordered, first-match rule list from source/medium/campaign to a channel.

Each :class:`ChannelRule` names a channel group and one or more clauses; a clause is a
set of :class:`Match` conditions that must all hold (regular expressions matched in
full, case-insensitively). The first rule with a matching clause wins; nothing matching
gives the grouping's ``default``. :data:`GA4_DEFAULT_GROUPING` is modelled on Google
Analytics 4's default channel groups (with representative, not exhaustive, site lists).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, get_args

import attrs

from salesmark import _validators as v
from salesmark.attribution._checks import one_of
from salesmark.errors import ValidationError, WrongType
from salesmark.leads import LeadSource
from salesmark.touchpoints import Touchpoint

__all__ = ["GA4_DEFAULT_GROUPING", "ChannelGrouping", "ChannelRule", "Match"]

Field = Literal["source", "medium", "campaign"]
NOT_SET = "(not set)"


def _field(value: str) -> str:
    return one_of(value, "Match.field", get_args(Field))


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        msg = f"Match.pattern {pattern!r} is not a valid regular expression: {error}"
        raise ValidationError(msg) from None


@attrs.frozen(kw_only=True)
class Match:
    """One condition: ``field`` matches ``pattern`` in full, ignoring case.

    A missing value is matched as ``"(not set)"``.

    Attributes:
        field: ``"source"``, ``"medium"`` or ``"campaign"``.
        pattern: A regular expression.

    Example:
        >>> Match(field="medium", pattern="cpc|ppc").matches(medium="CPC")
        True
    """

    field: Field = attrs.field(converter=_field)
    pattern: str = attrs.field(validator=v.instance_of(str))
    _compiled: re.Pattern[str] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_compiled", _compile(self.pattern))

    def matches(
        self, *, source: str | None = None, medium: str | None = None, campaign: str | None = None
    ) -> bool:
        r"""Whether this condition holds for the given values.

        Example:
            >>> Match(field="source", pattern=r"\(direct\)").matches(source=None)
            False
        """
        value = {"source": source, "medium": medium, "campaign": campaign}[self.field]
        return self._compiled.fullmatch(NOT_SET if value is None else value) is not None


def _clauses(value: Iterable[Iterable[Match]]) -> tuple[tuple[Match, ...], ...]:
    clauses = tuple(tuple(c) for c in v.to_tuple(value))
    if not clauses or any(not c for c in clauses):
        msg = f"ChannelRule.clauses must hold at least one non-empty clause, got {clauses!r}"
        raise ValidationError(msg)
    for index, clause in enumerate(clauses):
        v.argument_items(clause, f"ChannelRule.clauses[{index}]", Match)
    return clauses


def _conditions(source: str | None, medium: str | None, campaign: str | None) -> tuple[Match, ...]:
    found = tuple(
        Match(field=name, pattern=pattern)
        for name, pattern in (("source", source), ("medium", medium), ("campaign", campaign))
        if pattern is not None
    )
    if not found:
        msg = "a ChannelRule clause needs at least one of source=, medium=, campaign="
        raise ValidationError(msg)
    return found


@attrs.frozen(kw_only=True)
class ChannelRule:
    """A channel group and the clauses that send a touch to it (any clause may match).

    Attributes:
        channel: The channel group's name, e.g. ``"paid_search"``.
        clauses: Alternatives; each is a tuple of conditions that must all hold.

    Example:
        >>> rule = ChannelRule.matching("email", medium="email").or_matching(source="newsletter")
        >>> rule.applies(source="newsletter", medium="web")
        True
    """

    channel: str = attrs.field(validator=v.non_empty_text)
    clauses: tuple[tuple[Match, ...], ...] = attrs.field(converter=_clauses)

    @classmethod
    def matching(
        cls,
        channel: str,
        *,
        source: str | None = None,
        medium: str | None = None,
        campaign: str | None = None,
    ) -> ChannelRule:
        """A rule with one clause: every given pattern must match.

        Example:
            >>> ChannelRule.matching("paid_search", source="google", medium="cpc").channel
            'paid_search'
        """
        return cls(channel=channel, clauses=(_conditions(source, medium, campaign),))

    def or_matching(
        self, *, source: str | None = None, medium: str | None = None, campaign: str | None = None
    ) -> ChannelRule:
        """This rule with one more alternative clause.

        Example:
            >>> len(ChannelRule.matching("sms", source="sms").or_matching(medium="sms").clauses)
            2
        """
        return attrs.evolve(self, clauses=(*self.clauses, _conditions(source, medium, campaign)))

    def applies(
        self, *, source: str | None = None, medium: str | None = None, campaign: str | None = None
    ) -> bool:
        """Whether any clause matches.

        Example:
            >>> ChannelRule.matching("email", medium="email").applies(medium="social")
            False
        """
        return any(
            all(m.matches(source=source, medium=medium, campaign=campaign) for m in clause)
            for clause in self.clauses
        )


@attrs.frozen(kw_only=True)
class ChannelGrouping:
    """An ordered rule list; the first rule that applies names the channel.

    Attributes:
        rules: The rules, tried in order.
        default: The channel when no rule applies.

    Example:
        >>> GA4_DEFAULT_GROUPING.channel_for(source="google", medium="cpc")
        'paid_search'
        >>> GA4_DEFAULT_GROUPING.channel_for(source="(direct)", medium="(none)")
        'direct'
        >>> GA4_DEFAULT_GROUPING.channel_for(source="partner.example", medium="referral")
        'referral'
        >>> GA4_DEFAULT_GROUPING.channel_for(source="mystery", medium="carrier-pigeon")
        'unassigned'
    """

    rules: tuple[ChannelRule, ...] = attrs.field(
        converter=v.tuple_field, validator=v.items_of(ChannelRule)
    )
    default: str = attrs.field(default="unassigned", validator=v.non_empty_text)

    def channel_for(
        self, *, source: str | None = None, medium: str | None = None, campaign: str | None = None
    ) -> str:
        """The channel group of a touch with this source, medium and campaign.

        Example:
            >>> GA4_DEFAULT_GROUPING.channel_for(source="linkedin", medium="paid_social")
            'paid_social'
        """
        for rule in self.rules:
            if rule.applies(source=source, medium=medium, campaign=campaign):
                return rule.channel
        return self.default

    def of_source(self, lead_source: LeadSource | None) -> str:
        """The channel group of a lead's captured source (``default`` when unknown).

        Example:
            >>> GA4_DEFAULT_GROUPING.of_source(LeadSource(source="newsletter", medium="email"))
            'email'
        """
        known = v.require_optional(lead_source, LeadSource, "ChannelGrouping.of_source")
        if known is None:
            return self.default
        return self.channel_for(
            source=known.source, medium=known.medium, campaign=known.campaign_id
        )

    def of_touch(self, touch: Touchpoint) -> str:
        """The channel group of a touch, from its source, medium and campaign.

        A touch that carries neither a source nor a medium (a sales call, a meeting:
        nothing tagged it) keeps its own ``channel`` name, since there is nothing for
        the rules to read.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Team, Touchpoint, TouchpointKind
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> visit = Touchpoint(at=t, channel="web", kind=TouchpointKind.AD_CLICK, team=Team.MARKETING,
            ...                    source="google", medium="cpc")
            >>> GA4_DEFAULT_GROUPING.of_touch(visit)
            'paid_search'
            >>> call = Touchpoint(at=t, channel="phone", kind=TouchpointKind.CALL, team=Team.SALES)
            >>> GA4_DEFAULT_GROUPING.of_touch(call)
            'phone'
        """
        if not isinstance(touch, Touchpoint):
            msg = f"ChannelGrouping.of_touch needs a Touchpoint, got {touch!r}"
            raise WrongType(msg)
        if touch.source is None and touch.medium is None:
            return touch.channel
        return self.channel_for(
            source=touch.source, medium=touch.medium, campaign=touch.campaign_id
        )

    @classmethod
    def ga4_default(cls) -> ChannelGrouping:
        """A rule set modelled on GA4's default channel groups, in GA4's order.

        Example:
            >>> ChannelGrouping.ga4_default().channel_for(source="bing", medium="organic")
            'organic_search'
        """
        paid = r".*cp.*|ppc|retargeting|paid.*"
        search = r"google|bing|yahoo|baidu|duckduckgo|yandex|ecosia|naver|ask|.*search.*"
        social = (
            r"facebook|fb|instagram|ig|linkedin|lnkd\.in|twitter|t\.co|x|tiktok|pinterest|"
            r"reddit|snapchat|quora|threads|mastodon|.*social.*"
        )
        video = r"youtube|vimeo|twitch|dailymotion|wistia|.*video.*"
        shopping = r"amazon|ebay|etsy|shopify|walmart|.*shopping.*"
        shop_campaign = r".*(([^a-df-z]|^)shop|shopping).*"
        social_media = r"social|social-network|social-media|sm|social network|social media"
        return cls(
            rules=(
                ChannelRule.matching(
                    "direct", source=r"\(direct\)", medium=r"\(none\)|\(not set\)"
                ),
                ChannelRule.matching("cross_network", campaign=r".*cross-network.*"),
                ChannelRule.matching("paid_shopping", source=shopping, medium=paid).or_matching(
                    campaign=shop_campaign, medium=paid
                ),
                ChannelRule.matching("paid_search", source=search, medium=paid),
                ChannelRule.matching("paid_social", source=social, medium=paid),
                ChannelRule.matching("paid_video", source=video, medium=paid),
                ChannelRule.matching(
                    "display", medium=r"display|banner|expandable|interstitial|cpm"
                ),
                ChannelRule.matching("paid_other", medium=paid),
                ChannelRule.matching("organic_shopping", source=shopping).or_matching(
                    campaign=shop_campaign
                ),
                ChannelRule.matching("organic_social", source=social).or_matching(
                    medium=social_media
                ),
                ChannelRule.matching("organic_video", source=video).or_matching(
                    medium=r".*video.*"
                ),
                ChannelRule.matching("organic_search", source=search).or_matching(medium="organic"),
                ChannelRule.matching("referral", medium=r"referral|app|link"),
                ChannelRule.matching(
                    "email", source=r"email|e-mail|e_mail|e mail|newsletter"
                ).or_matching(medium=r"email|e-mail|e_mail|e mail"),
                ChannelRule.matching("affiliates", medium="affiliate"),
                ChannelRule.matching("audio", medium="audio"),
                ChannelRule.matching("sms", source="sms").or_matching(medium="sms"),
                ChannelRule.matching(
                    "mobile_push", medium=r".*push|.*mobile.*|.*notification.*"
                ).or_matching(source="firebase"),
            ),
            default="unassigned",
        )


GA4_DEFAULT_GROUPING: ChannelGrouping = ChannelGrouping.ga4_default()
"""The GA4-like default channel grouping (see :meth:`ChannelGrouping.ga4_default`)."""
