"""Content: the assets marketing makes and how sales uses them."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from salesmark import _validators as v

__all__ = ["BuyingStage", "ContentAsset", "ContentKind", "ContentUsage"]


class ContentKind(str, enum.Enum):
    """What kind of asset a piece of content is."""

    CASE_STUDY = "case_study"
    WHITEPAPER = "whitepaper"
    EBOOK = "ebook"
    BLOG_POST = "blog_post"
    WEBINAR = "webinar"
    VIDEO = "video"
    DATASHEET = "datasheet"
    SLIDE_DECK = "slide_deck"
    BATTLECARD = "battlecard"
    EMAIL_TEMPLATE = "email_template"
    ROI_CALCULATOR = "roi_calculator"


class BuyingStage(str, enum.Enum):
    """The stage of the buyer's journey a piece of content serves."""

    AWARENESS = "awareness"
    CONSIDERATION = "consideration"
    DECISION = "decision"


@attrs.frozen(kw_only=True)
class ContentAsset:
    """A piece of content.

    Attributes:
        id: Unique identifier.
        title: Title.
        kind: What kind of asset it is.
        stage: The buying stage it serves.
        owner_id: The member responsible for it.
        persona_ids: The personas it is written for.
        narrative_id: The narrative it tells, if any.

    Example:
        >>> ContentAsset(id="a1", title="Retail case study", kind=ContentKind.CASE_STUDY,
        ...              stage=BuyingStage.DECISION, owner_id="m1").kind.value
        'case_study'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    title: str = attrs.field(validator=v.non_empty_text)
    kind: ContentKind = attrs.field(validator=v.member_of(ContentKind))
    stage: BuyingStage = attrs.field(validator=v.member_of(BuyingStage))
    owner_id: str = attrs.field(validator=v.non_empty_text)
    persona_ids: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    narrative_id: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class ContentUsage:
    """A salesperson using a content asset, with a lead or on their own.

    Attributes:
        asset_id: The asset used.
        member_id: Who used it.
        at: When (timezone-aware).
        lead_id: The lead it was used with, if any.
    """

    asset_id: str = attrs.field(validator=v.non_empty_text)
    member_id: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware)
    lead_id: str | None = attrs.field(default=None, validator=v.optional_text)
