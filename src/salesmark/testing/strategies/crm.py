"""Strategies for what a CRM holds: leads, touchpoints, feedback, insights, campaigns, content.

Leads have touchpoints and histories that walk their lifecycle legally.

Every strategy that names other objects takes strategies of their ids, so a strategy of
a whole organisation can draw only ids it holds; left out, any id (or none) is drawn.

Example:
    >>> from hypothesis import given, settings
    >>> from salesmark import HUBSPOT
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(leads(HUBSPOT, currency="EUR"))
    ... def test_a_lead_is_where_its_history_ends(lead):
    ...     assert lead.stage == lead.history[-1].stage
    ...     assert lead.value is None or "EUR" == lead.value.currency
    >>> test_a_lead_is_where_its_history_ends()
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from salesmark.campaigns import Campaign
from salesmark.content import BuyingStage, ContentAsset, ContentKind, ContentUsage
from salesmark.feedback import ClientInsight, FeedbackReason, LeadFeedback, Sentiment
from salesmark.leads import AttributeValue, Lead, LeadSource
from salesmark.lifecycle import DEMAND_WATERFALL, Lifecycle
from salesmark.testing.strategies.lifecycle import legal_walks
from salesmark.testing.strategies.times import _later, aware_datetimes, periods
from salesmark.testing.strategies.values import ids, money, teams, words
from salesmark.touchpoints import Touchpoint, TouchpointKind

__all__ = [
    "attribute_values",
    "campaigns",
    "client_insights",
    "content_assets",
    "content_usage",
    "lead_feedback",
    "lead_sources",
    "leads",
    "touchpoints",
]

_Ids = st.SearchStrategy[str]
_OptionalIds = st.SearchStrategy[str | None]


def _or_any(given: _OptionalIds | None) -> _OptionalIds:
    return given if given is not None else st.none() | ids()


def touchpoints(
    campaign_ids: _OptionalIds | None = None,
    content_ids: _OptionalIds | None = None,
    member_ids: _OptionalIds | None = None,
) -> st.SearchStrategy[Touchpoint]:
    """Touchpoints of any kind (a CRM's own kinds too) by either team.

    Args:
        campaign_ids: The campaign ids touches name (None for none); any if None.
        content_ids: The content ids touches name; any if None.
        member_ids: The member ids touches name; any if None.

    Returns:
        A strategy of :class:`~salesmark.touchpoints.Touchpoint`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(touchpoints(campaign_ids=st.none()))
        ... def test_no_campaign_named(touch):
        ...     assert touch.campaign_id is None
        >>> test_no_campaign_named()
    """
    return st.builds(
        Touchpoint,
        at=aware_datetimes(),
        channel=ids(),
        kind=st.sampled_from(list(TouchpointKind)) | st.sampled_from(["linkedin", "sms", "Visit"]),
        team=teams(),
        campaign_id=_or_any(campaign_ids),
        content_id=_or_any(content_ids),
        member_id=_or_any(member_ids),
        source=st.none() | ids(),
        medium=st.none() | ids(),
    )


def lead_sources(campaign_ids: _OptionalIds | None = None) -> st.SearchStrategy[LeadSource]:
    """UTM-style sources, each part possibly unknown.

    Args:
        campaign_ids: The campaign ids sources name; any (or none) if None.

    Returns:
        A strategy of :class:`~salesmark.leads.LeadSource`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(lead_sources(st.just("c1")))
        ... def test_sources_name_the_campaign(source):
        ...     assert "c1" == source.campaign_id
        >>> test_sources_name_the_campaign()
    """
    return st.builds(
        LeadSource,
        source=st.none() | ids(),
        medium=st.none() | ids(),
        channel=st.none() | ids(),
        campaign_id=_or_any(campaign_ids),
        landing_page=st.none() | ids(),
    )


def attribute_values() -> st.SearchStrategy[AttributeValue]:
    """A lead attribute's value: short text, a whole number, a finite float or a boolean.

    Returns:
        A strategy of attribute values.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(attribute_values())
        ... def test_values_are_plain(value):
        ...     assert isinstance(value, (str, int, float, bool))
        >>> test_values_are_plain()
    """
    return (
        st.text(max_size=10)
        | st.integers(-(10**6), 10**6)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.booleans()
    )


@st.composite
def leads(
    draw: st.DrawFn,
    lifecycle: Lifecycle = DEMAND_WATERFALL,
    currency: str | None = None,
    *,
    lead_id: _Ids | None = None,
    member_ids: _OptionalIds | None = None,
    campaign_ids: _OptionalIds | None = None,
    content_ids: _OptionalIds | None = None,
    persona_ids: _OptionalIds | None = None,
) -> Lead:
    """A lead with a history that is a legal walk of ``lifecycle``, attributes, touchpoints and maybe a value.

    Args:
        draw: Given by hypothesis.
        lifecycle: The lifecycle the history walks.
        currency: The currency of the lead's value; any if None.
        lead_id: The lead's id; any if None.
        member_ids: The ids of the owner, of who moved the lead and of members touching it.
        campaign_ids: The campaign ids its source and touches name.
        content_ids: The content ids its touches name.
        persona_ids: The persona id it is matched to.

    Returns:
        A strategy of :class:`~salesmark.leads.Lead`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None, deadline=None)
        ... @given(leads(lead_id=st.just("L1"), member_ids=st.none()))
        ... def test_nobody_owns_it(lead):
        ...     assert ("L1", None) == (lead.id, lead.owner_id)
        >>> test_nobody_owns_it()
    """
    created = draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
    return Lead(
        id=draw(lead_id if lead_id is not None else ids()),
        created_at=created,
        history=draw(legal_walks(lifecycle, start=_later(draw, created), by=member_ids)),
        source=draw(st.none() | lead_sources(campaign_ids)),
        attributes=draw(st.dictionaries(ids(), attribute_values(), max_size=4)),
        persona_id=draw(_or_any(persona_ids)),
        owner_id=draw(_or_any(member_ids)),
        value=draw(st.none() | money(currency)),
        touchpoints=draw(st.lists(touchpoints(campaign_ids, content_ids, member_ids), max_size=4)),
        account_id=draw(st.none() | ids()),
    )


@st.composite
def lead_feedback(
    draw: st.DrawFn, lead_ids: _Ids | None = None, member_ids: _Ids | None = None
) -> LeadFeedback:
    """Sales' feedback on a lead: a rejection always carries a reason code.

    Args:
        draw: Given by hypothesis.
        lead_ids: The leads judged; any id if None.
        member_ids: The members judging; any id if None.

    Returns:
        A strategy of :class:`~salesmark.feedback.LeadFeedback`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(lead_feedback())
        ... def test_a_rejection_says_why(note):
        ...     assert note.accepted or note.reasons
        >>> test_a_rejection_says_why()
    """
    accepted = draw(st.booleans())
    reasons = draw(
        st.lists(
            st.sampled_from(list(FeedbackReason)),
            min_size=0 if accepted else 1,
            max_size=3,
            unique=True,
        )
    )
    return LeadFeedback(
        lead_id=draw(lead_ids if lead_ids is not None else ids()),
        member_id=draw(member_ids if member_ids is not None else ids()),
        at=draw(aware_datetimes()),
        accepted=accepted,
        rating=draw(st.none() | st.integers(1, 5)),
        reasons=tuple(reasons),
        note=draw(st.text(max_size=20)),
    )


def client_insights(
    member_ids: _Ids | None = None,
    persona_ids: _OptionalIds | None = None,
    *,
    insight_id: _OptionalIds | None = None,
    lead_ids: _OptionalIds | None = None,
) -> st.SearchStrategy[ClientInsight]:
    """What sales heard from clients, with at least one theme, maybe naming a lead and an account.

    Args:
        member_ids: The members who heard it; any id if None.
        persona_ids: The personas it is about; any id or none if None.
        insight_id: The insight's own id; any id or none if None.
        lead_ids: The leads it names; any id or none if None.

    Returns:
        A strategy of :class:`~salesmark.feedback.ClientInsight`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(client_insights())
        ... def test_an_insight_has_a_theme(insight):
        ...     assert insight.themes
        >>> test_an_insight_has_a_theme()
    """
    return st.builds(
        ClientInsight,
        member_id=member_ids if member_ids is not None else ids(),
        at=aware_datetimes(),
        themes=st.lists(words(), min_size=1, max_size=3).map(tuple),
        quote=st.text(max_size=30),
        persona_id=_or_any(persona_ids),
        sentiment=st.sampled_from(list(Sentiment)),
        id=_or_any(insight_id),
        lead_id=_or_any(lead_ids),
        account_id=st.none() | ids(),
    )


def campaigns(
    campaign_id: _Ids | None = None,
    owner_ids: _Ids | None = None,
    currency: str | None = None,
) -> st.SearchStrategy[Campaign]:
    """A campaign over a period, with a non-negative budget.

    Args:
        campaign_id: The campaign's id; any if None.
        owner_ids: The members who own it; any id if None.
        currency: The budget's currency; any if None.

    Returns:
        A strategy of :class:`~salesmark.campaigns.Campaign`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(campaigns(currency="GBP"))
        ... def test_budgets_are_not_negative(campaign):
        ...     assert "GBP" == campaign.budget.currency and campaign.budget.amount >= 0
        >>> test_budgets_are_not_negative()
    """
    return st.builds(
        Campaign,
        id=campaign_id if campaign_id is not None else ids(),
        name=words(),
        channel=ids(),
        owner_id=owner_ids if owner_ids is not None else ids(),
        period=periods(),
        budget=money(currency, min_amount=0),
        goal=st.text(max_size=20),
    )


def content_assets(
    asset_id: _Ids | None = None,
    owner_ids: _Ids | None = None,
    persona_ids: _Ids | None = None,
    narrative_ids: _OptionalIds | None = None,
    *,
    for_personas: bool = True,
) -> st.SearchStrategy[ContentAsset]:
    """A content asset for some personas, maybe telling a narrative.

    Args:
        asset_id: The asset's id; any if None.
        owner_ids: The members who own it; any id if None.
        persona_ids: The personas it is for; any ids if None.
        narrative_ids: The narrative it tells; any id or none if None.
        for_personas: False for assets made for no persona.

    Returns:
        A strategy of :class:`~salesmark.content.ContentAsset`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(content_assets(for_personas=False))
        ... def test_for_nobody(asset):
        ...     assert () == asset.persona_ids
        >>> test_for_nobody()
    """
    personas = persona_ids if persona_ids is not None else ids()
    return st.builds(
        ContentAsset,
        id=asset_id if asset_id is not None else ids(),
        title=words(),
        kind=st.sampled_from(list(ContentKind)),
        stage=st.sampled_from(list(BuyingStage)),
        owner_id=owner_ids if owner_ids is not None else ids(),
        persona_ids=st.lists(personas, max_size=2).map(tuple) if for_personas else st.just(()),
        narrative_id=_or_any(narrative_ids),
    )


def content_usage(
    asset_ids: _Ids | None = None,
    member_ids: _Ids | None = None,
    lead_ids: _OptionalIds | None = None,
) -> st.SearchStrategy[ContentUsage]:
    """A salesperson using an asset, maybe with a lead.

    Args:
        asset_ids: The assets used; any id if None.
        member_ids: The members using them; any id if None.
        lead_ids: The leads they are used with; any id or none if None.

    Returns:
        A strategy of :class:`~salesmark.content.ContentUsage`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(content_usage(st.just("a1")))
        ... def test_the_asset_used(use):
        ...     assert "a1" == use.asset_id
        >>> test_the_asset_used()
    """
    return st.builds(
        ContentUsage,
        asset_id=asset_ids if asset_ids is not None else ids(),
        member_id=member_ids if member_ids is not None else ids(),
        at=aware_datetimes(),
        lead_id=_or_any(lead_ids),
    )
