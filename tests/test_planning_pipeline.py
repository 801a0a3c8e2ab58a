"""Specification of the weighted pipeline as of an instant."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Lead, Organisation
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.planning import weighted_pipeline
from strategies.planning import MINI, ONE_STAGE, eur, mini_company

JUNE = datetime(2026, 6, 1, tzinfo=timezone.utc)


class TestWeightedPipeline:
    def test_by_hand_configured(self) -> None:
        """D1 (1,000) and D2 (3,000) sit in deal at 50%: 500 + 1,500 = 2,000 weighted of 4,000."""
        result = weighted_pipeline(mini_company(), as_of=JUNE, probabilities="configured")
        assert {"value": eur(4000), "weighted": eur(2000), "deals": 2} == {
            "value": result.value,
            "weighted": result.weighted,
            "deals": result.deals,
        }
        assert {"s1": eur(500), "s2": eur(1500)} == {
            line.key: line.weighted for line in result.by("owner")
        }

    def test_close_month(self) -> None:
        """Both deals are 4 days in; the one winner needed 10 days from deal: both close 7 June."""
        result = weighted_pipeline(mini_company(), as_of=JUNE, probabilities="configured")
        assert [("2026-06", 2, ("D1", "D2"))] == [
            (line.key, line.deals, line.lead_ids) for line in result.by("close_month")
        ]

    def test_measured(self) -> None:
        """The measured deal rate is 1/2 too (1 won of 2 decided): the same 2,000."""
        result = weighted_pipeline(mini_company(), as_of=JUNE, probabilities="measured")
        assert eur(2000) == result.weighted

    def test_state_as_of_is_strictly_before(self) -> None:
        """As of the instant D1 and D2 were created they are not in the pipeline yet."""
        created = datetime(2026, 5, 28, tzinfo=timezone.utc)
        result = weighted_pipeline(mini_company(), as_of=created, probabilities="configured")
        assert 0 == result.deals

    def test_missing_configured_probability(self) -> None:
        """A stage without a configured probability is named, with the way out."""
        t = datetime(2026, 5, 4, tzinfo=timezone.utc)
        deal = Lead.create(id="A", created_at=t, stage="opportunity", value=eur(10))
        org = Organisation(name="A", currency="EUR", leads=(deal,))
        with pytest.raises(ValidationError, match=r"\['opportunity'\] has no configured"):
            weighted_pipeline(org, as_of=JUNE, probabilities="configured")

    def test_bad_arguments(self) -> None:
        """A wrong basis, a wrong dimension and a non-organisation are clear errors."""
        with pytest.raises(ValidationError, match="'configured' or 'measured'"):
            weighted_pipeline(mini_company(), as_of=JUNE, probabilities="guess")  # type: ignore[arg-type]
        with pytest.raises(WrongType):
            weighted_pipeline(None, as_of=JUNE, probabilities="measured")  # type: ignore[arg-type]
        result = weighted_pipeline(mini_company(), as_of=JUNE, probabilities="measured")
        with pytest.raises(UnknownReference, match="region"):
            result.by("region")

    def test_empty(self) -> None:
        """A company without leads has an empty, zero pipeline."""
        empty = Organisation(name="A", currency="EUR", lifecycle=MINI)
        result = weighted_pipeline(empty, as_of=JUNE, probabilities="configured")
        assert (0, eur(0), []) == (result.deals, result.weighted, result.to_records())

    @given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=6))
    def test_rate_one_weights_every_deal_fully(self, values: list[int]) -> None:
        """With one open stage whose every past deal won, the weighted pipeline is the pipeline."""
        t = datetime(2026, 5, 4, tzinfo=timezone.utc)
        past = Lead.create(id="P", created_at=t, lifecycle=ONE_STAGE, value=eur(5)).advance(
            "won", at=t + timedelta(days=3), lifecycle=ONE_STAGE
        )
        deals = [
            Lead.create(
                id=f"D{i}", created_at=t + timedelta(days=10), lifecycle=ONE_STAGE, value=eur(v)
            )
            for i, v in enumerate(values)
        ]
        org = Organisation(name="A", currency="EUR", lifecycle=ONE_STAGE, leads=(past, *deals))
        result = weighted_pipeline(org, as_of=t + timedelta(days=11), probabilities="measured")
        assert eur(sum(values)) == result.weighted == result.value
