"""Feedback that flows from sales back to marketing.

:class:`LeadFeedback` is sales' verdict on a lead marketing passed (accepted or not, a
1-5 quality rating, reason codes); :class:`ClientInsight` is what sales hears from
clients, tagged with themes so the most prevalent can be ranked and shared (see
:mod:`salesmark.insights`), naming the lead and account it came from so that prevalence
counts salespeople and accounts, not repetitions.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError, WrongType

__all__ = ["ClientInsight", "FeedbackReason", "LeadFeedback", "Sentiment"]


class FeedbackReason(str, enum.Enum):
    """Reason codes sales gives about a lead's quality."""

    GOOD_FIT = "good_fit"
    READY_TO_BUY = "ready_to_buy"
    WRONG_PERSONA = "wrong_persona"
    TOO_SMALL = "too_small"
    NO_BUDGET = "no_budget"
    NOT_DECISION_MAKER = "not_decision_maker"
    BAD_CONTACT_DATA = "bad_contact_data"
    DUPLICATE = "duplicate"
    MIS_ROUTED = "mis_routed"
    TOO_EARLY = "too_early"
    STUDENT_OR_JOB_SEEKER = "student_or_job_seeker"
    EXISTING_CUSTOMER = "existing_customer"
    COMPETITOR = "competitor"
    OTHER = "other"


class Sentiment(str, enum.Enum):
    """The tone of what a client said."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


def _rating(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or value not in (1, 2, 3, 4, 5)):
        msg = f"LeadFeedback.rating must be a whole number from 1 to 5 or None, got {value!r}"
        whole = isinstance(value, int) and not isinstance(value, bool)
        raise (ValidationError if whole else WrongType)(
            msg, path="/rating", value=value, expected="a whole number from 1 to 5 or None"
        )


@attrs.frozen(kw_only=True)
class LeadFeedback:
    """Sales' verdict on one lead marketing handed over.

    Attributes:
        lead_id: The lead judged.
        member_id: The salesperson who judged it.
        at: When (timezone-aware).
        accepted: Whether sales accepted the lead.
        rating: Lead quality from 1 (poor) to 5 (excellent), if given.
        reasons: Reason codes; a rejection must give at least one.
        note: Free text.

    Example:
        >>> from datetime import datetime, timezone
        >>> fb = LeadFeedback(
        ...     lead_id="L1", member_id="s1", at=datetime(2026, 3, 3, tzinfo=timezone.utc),
        ...     accepted=False, rating=2, reasons=(FeedbackReason.WRONG_PERSONA,),
        ... )
        >>> fb.reasons[0].value
        'wrong_persona'
    """

    lead_id: str = attrs.field(validator=v.non_empty_text)
    member_id: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware)
    accepted: bool = attrs.field(validator=v.instance_of(bool))
    rating: int | None = attrs.field(default=None, validator=_rating)
    reasons: tuple[FeedbackReason, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.members_of(FeedbackReason)
    )
    note: str = attrs.field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        if not self.accepted and not self.reasons:
            msg = (
                f"LeadFeedback for lead {self.lead_id!r} rejects it without a reason code; "
                "marketing needs to know why"
            )
            raise ValidationError(msg)


@attrs.frozen(kw_only=True)
class ClientInsight:
    """Something a client told sales, worth sharing with marketing.

    Attributes:
        member_id: The salesperson who heard it.
        at: When (timezone-aware).
        themes: Short tags, e.g. ``("pricing", "integration")``; at least one.
        quote: What the client said.
        persona_id: The persona the client fits, if known.
        sentiment: The tone.
        id: An identifier, so a narrative can name the insights it rests on.
        lead_id: The lead the client is, if known.
        account_id: The client's account (company), if known; when ``None``, the
            lead's account is used, and a lead without one is its own account.

    Example:
        >>> from datetime import datetime, timezone
        >>> ClientInsight(
        ...     member_id="s1", at=datetime(2026, 3, 3, tzinfo=timezone.utc),
        ...     themes=("integration",), quote="We need it to talk to our ERP.",
        ... ).sentiment.value
        'neutral'
    """

    member_id: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware)
    themes: tuple[str, ...] = attrs.field(converter=v.tuple_field)
    quote: str = attrs.field(default="", validator=v.instance_of(str))
    persona_id: str | None = attrs.field(default=None, validator=v.optional_text)
    sentiment: Sentiment = attrs.field(default=Sentiment.NEUTRAL, validator=v.member_of(Sentiment))
    id: str | None = attrs.field(default=None, validator=v.optional_text)
    lead_id: str | None = attrs.field(default=None, validator=v.optional_text)
    account_id: str | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if not self.themes or not all(isinstance(t, str) and t.strip() for t in self.themes):
            msg = (
                f"ClientInsight.themes must hold at least one non-empty theme, got {self.themes!r}"
            )
            raise ValidationError(msg)
