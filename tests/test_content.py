"""Specification of content assets and their use."""

from __future__ import annotations

from datetime import datetime

import pytest

from salesmark import (
    BuyingStage,
    ContentAsset,
    ContentKind,
    ContentUsage,
    NaiveDatetime,
    ValidationError,
)


class TestContent:
    def test_kind_must_be_a_content_kind(self) -> None:
        """A kind outside ContentKind is refused."""
        with pytest.raises(ValidationError, match="ContentKind"):
            ContentAsset(
                id="a", title="t", kind="brochure", stage=BuyingStage.DECISION, owner_id="m1"
            )  # type: ignore[arg-type]
        asset = ContentAsset(
            id="a", title="t", kind=ContentKind.VIDEO, stage=BuyingStage.AWARENESS, owner_id="m1"
        )
        assert ContentKind.VIDEO == asset.kind

    def test_usage_needs_aware_time(self) -> None:
        """Content usage with a naive time is refused."""
        with pytest.raises(NaiveDatetime):
            ContentUsage(asset_id="a", member_id="s1", at=datetime(2026, 1, 1))
