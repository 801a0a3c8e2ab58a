"""Tests of salesmark.sourcing: who found a lead, under each definition the field uses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from salesmark import Lead, LeadSource, Team, Touchpoint, TouchpointKind, ValidationError
from salesmark.sourcing import (
    ChannelClass,
    SourcedBy,
    channel_class,
    is_marketing_influenced,
    is_marketing_sourced,
)

T = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
H = timedelta(hours=1)


def touch(hours: float, team: Team, kind: TouchpointKind, channel: str = "web") -> Touchpoint:
    return Touchpoint(at=T + hours * H, channel=channel, kind=kind, team=team)


def lead(*touches: Touchpoint, channel: str | None = "paid_search") -> Lead:
    source = None if channel is None else LeadSource(channel=channel)
    return Lead.create(id="L", created_at=T, source=source, touchpoints=touches)


class TestChannelClass:
    @pytest.mark.parametrize(
        ("channel", "expected"),
        [
            ("paid_search", ChannelClass.MARKETING),
            ("webinar", ChannelClass.MARKETING),
            ("outbound", ChannelClass.SALES),
            ("sales_prospecting", ChannelClass.SALES),
            ("referral", ChannelClass.OTHER),
            ("partner", ChannelClass.OTHER),
            (None, None),
        ],
    )
    def test_default_classes(self, channel: str | None, expected: ChannelClass | None) -> None:
        """Sales channels are sales', referrals and partners nobody's, the rest marketing's."""
        assert expected == channel_class(channel)

    def test_classes_are_parameters(self) -> None:
        """An organisation names its own sales and other channels."""
        assert ChannelClass.SALES == channel_class("sdr", sales_channels={"sdr"})
        assert ChannelClass.MARKETING == channel_class("referral", other_channels=())


class TestIsMarketingSourced:
    def test_lead_source_reads_the_channel(self) -> None:
        """By lead source, a paid-search lead is marketing's; a referral or an outbound lead is not."""
        got = {
            channel: is_marketing_sourced(lead(channel=channel), SourcedBy.LEAD_SOURCE)
            for channel in ("paid_search", "referral", "outbound", None)
        }
        assert {"paid_search": True, "referral": False, "outbound": False, None: False} == got

    def test_first_touch(self) -> None:
        """By first touch, the team of the earliest touchpoint decides."""
        marketing_first = lead(
            touch(-2, Team.MARKETING, TouchpointKind.AD_CLICK),
            touch(1, Team.SALES, TouchpointKind.CALL),
        )
        sales_first = lead(touch(-2, Team.SALES, TouchpointKind.CALL))
        assert (True, False, False) == (
            is_marketing_sourced(marketing_first, SourcedBy.FIRST_TOUCH),
            is_marketing_sourced(sales_first, SourcedBy.FIRST_TOUCH),
            is_marketing_sourced(lead(), SourcedBy.FIRST_TOUCH),
        )

    def test_marketing_before_the_first_sales_activity(self) -> None:
        """A LinkedIn connection request is a touch, not an activity: the webinar after it still comes first."""
        connect = touch(0, Team.SALES, TouchpointKind.OTHER, channel="linkedin")
        webinar = touch(2, Team.MARKETING, TouchpointKind.WEBINAR)
        call = touch(5, Team.SALES, TouchpointKind.CALL)
        late_webinar = touch(6, Team.MARKETING, TouchpointKind.WEBINAR)
        by = SourcedBy.MARKETING_BEFORE_SALES
        assert (True, False, True) == (
            is_marketing_sourced(lead(connect, webinar, call), by),
            is_marketing_sourced(lead(call, late_webinar), by),
            is_marketing_sourced(lead(call, late_webinar), by, activities={"demo"}),
        )

    def test_influenced_at_or_before_the_instant(self) -> None:
        """Influenced: a marketing touch at or before the instant judged; later ones do not count."""
        won = T + 10 * H
        at_the_win = lead(touch(10, Team.MARKETING, TouchpointKind.EMAIL_CLICK))
        after = lead(touch(11, Team.MARKETING, TouchpointKind.EMAIL_CLICK))
        assert (True, False) == (
            is_marketing_sourced(at_the_win, SourcedBy.INFLUENCED, at=won),
            is_marketing_sourced(after, SourcedBy.INFLUENCED, at=won),
        )
        assert is_marketing_influenced(at_the_win, won)

    def test_influenced_needs_an_instant(self) -> None:
        """Asking for the influenced definition without the instant is an error, not a guess."""
        with pytest.raises(ValidationError, match="needs at="):
            is_marketing_sourced(lead(), SourcedBy.INFLUENCED)

    def test_unknown_definition_is_refused(self) -> None:
        """A definition given by name is refused, naming the argument."""
        with pytest.raises(ValidationError, match="by must be a SourcedBy member"):
            is_marketing_sourced(
                lead(touch(0, Team.MARKETING, TouchpointKind.AD_CLICK)),
                "first_touch",  # type: ignore[arg-type]
            )
