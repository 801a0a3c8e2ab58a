"""Specification of lead feedback and client insights."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from salesmark import (
    ClientInsight,
    FeedbackReason,
    LeadFeedback,
    Member,
    NaiveDatetime,
    Organisation,
    Sentiment,
    Team,
    UnknownReference,
    ValidationError,
)

T = datetime(2026, 3, 3, tzinfo=timezone.utc)


class TestLeadFeedback:
    def test_rejection_needs_a_reason(self) -> None:
        """Sales may not reject a lead without telling marketing why."""
        with pytest.raises(ValidationError, match="without a reason code"):
            LeadFeedback(lead_id="L1", member_id="s1", at=T, accepted=False)
        ok = LeadFeedback(
            lead_id="L1", member_id="s1", at=T, accepted=False, reasons=(FeedbackReason.NO_BUDGET,)
        )
        assert (FeedbackReason.NO_BUDGET,) == ok.reasons

    @pytest.mark.parametrize("rating", [0, 6, 2.5, True])
    def test_rating_is_one_to_five(self, rating: object) -> None:
        """Ratings are whole numbers from 1 to 5."""
        with pytest.raises(ValidationError, match="rating"):
            LeadFeedback(lead_id="L1", member_id="s1", at=T, accepted=True, rating=rating)  # type: ignore[arg-type]

    def test_reasons_are_codes(self) -> None:
        """Reasons must be FeedbackReason codes, so they can be counted."""
        with pytest.raises(ValidationError, match="FeedbackReason"):
            LeadFeedback(
                lead_id="L1", member_id="s1", at=T, accepted=False, reasons=("too pricey",)
            )  # type: ignore[arg-type]

    def test_naive_time(self) -> None:
        """Feedback needs an aware time."""
        with pytest.raises(NaiveDatetime):
            LeadFeedback(lead_id="L1", member_id="s1", at=datetime(2026, 3, 3), accepted=True)


class TestClientInsight:
    def test_themes_required(self) -> None:
        """An insight carries at least one theme so it can be ranked."""
        with pytest.raises(ValidationError, match="at least one non-empty theme"):
            ClientInsight(member_id="s1", at=T, themes=())
        insight = ClientInsight(
            member_id="s1", at=T, themes=("pricing",), sentiment=Sentiment.NEGATIVE
        )
        assert ("pricing",) == insight.themes


class TestClientInsightSources:
    def test_names_its_lead_and_account(self) -> None:
        """An insight may carry an id, the lead it came from and the client's account."""
        insight = ClientInsight(
            id="i1", member_id="s1", at=T, themes=("erp",), lead_id="L1", account_id="acme"
        )
        assert ("i1", "L1", "acme") == (insight.id, insight.lead_id, insight.account_id)

    def test_the_organisation_checks_the_lead(self) -> None:
        """An insight naming a lead the organisation does not hold is refused."""
        with pytest.raises(
            UnknownReference, match=r"insights\[0\].lead_id names unknown lead 'L9'"
        ):
            Organisation(
                name="Acme",
                currency="EUR",
                members=(Member(id="s1", name="Sam", team=Team.SALES),),
                insights=(ClientInsight(member_id="s1", at=T, themes=("erp",), lead_id="L9"),),
            )

    def test_insight_ids_do_not_repeat(self) -> None:
        """Two insights with one id are refused."""
        twice = ClientInsight(id="i1", member_id="s1", at=T, themes=("erp",))
        with pytest.raises(ValidationError, match="repeats id 'i1'"):
            Organisation(
                name="Acme",
                currency="EUR",
                members=(Member(id="s1", name="Sam", team=Team.SALES),),
                insights=(twice, twice),
            )


class TestLeadFeedbackAccepted:
    def test_accepted_must_be_a_bool(self) -> None:
        """An acceptance that is not True or False is refused with the field named."""
        with pytest.raises(ValidationError, match="LeadFeedback.accepted must be a bool"):
            LeadFeedback(lead_id="L1", member_id="s1", at=T, accepted=1)  # type: ignore[arg-type]
