"""Specification of the service-level agreement object and its validation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from salesmark import ServiceLevelAgreement, ValidationError


class TestServiceLevelAgreement:
    def test_defaults_follow_the_demand_waterfall_guidance(self) -> None:
        """By default sales accepts 90% of MQLs and follows up within 24 hours."""
        sla = ServiceLevelAgreement(id="sla", mql_volume=400)
        assert (Decimal("0.9"), timedelta(hours=24), 3) == (
            sla.min_acceptance_rate,
            sla.first_follow_up_within,
            sla.min_attempts,
        )

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"mql_volume": -1}, "mql_volume"),
            ({"min_acceptance_rate": Decimal("1.2")}, "min_acceptance_rate"),
            ({"first_follow_up_within": timedelta(0)}, "first_follow_up_within"),
            ({"min_attempts": 0}, "min_attempts"),
            ({"feedback_within": timedelta(hours=-1)}, "feedback_within"),
            ({"period_length": "fortnight"}, "period_length"),
        ],
    )
    def test_bad_terms(self, kwargs: dict[str, object], match: str) -> None:
        """Each impossible commitment is refused, naming the field."""
        with pytest.raises(ValidationError, match=match):
            ServiceLevelAgreement(**{"id": "sla", "mql_volume": 10, **kwargs})  # type: ignore[arg-type]
