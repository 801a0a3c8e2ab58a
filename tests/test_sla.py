"""Tests for salesmark.sla: the service-level agreement and what it commits each team to."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs
import pytest

from salesmark.errors import ValidationError
from salesmark.period import Period
from salesmark.sla import ServiceLevelAgreement


class TestServiceLevelAgreement:
    def test_defaults_follow_the_demand_waterfall(self) -> None:
        """By default sales accepts 90% of MQLs and follows up within 24 hours on the wall clock."""
        sla = ServiceLevelAgreement(id="s", mql_volume=10)
        assert (Decimal("0.9"), timedelta(hours=24), 3, timedelta(days=5), False, "month") == (
            sla.min_acceptance_rate,
            sla.first_follow_up_within,
            sla.min_attempts,
            sla.feedback_within,
            sla.uses_business_hours,
            sla.period_length,
        )

    @pytest.mark.parametrize(
        ("kwargs", "fragment"),
        [
            ({"period_length": "fortnight"}, "period_length"),
            ({"min_attempts": 0}, "min_attempts"),
            ({"min_attempts": True}, "min_attempts"),
            ({"min_acceptance_rate": "1.5"}, "min_acceptance_rate"),
            ({"first_follow_up_within": timedelta(0)}, "first_follow_up_within"),
            ({"feedback_within": timedelta(hours=-1)}, "feedback_within"),
            ({"mql_volume": -1}, "mql_volume"),
        ],
    )
    def test_bad_terms_are_refused(self, kwargs: dict[str, object], fragment: str) -> None:
        """Each bad term raises a ValidationError naming the field."""
        fields: dict[str, object] = {"id": "s", "mql_volume": 1, **kwargs}
        with pytest.raises(ValidationError, match=fragment):
            ServiceLevelAgreement(**fields)  # type: ignore[arg-type]


class TestCommittedVolume:
    def test_whole_periods_multiply(self) -> None:
        """A quarter owes three monthly volumes; a year owes four quarterly ones."""
        monthly = ServiceLevelAgreement(id="s", mql_volume=100)
        quarterly = attrs.evolve(monthly, period_length="quarter")
        assert (Decimal(300), Decimal(400)) == (
            monthly.committed_volume(Period.quarter(2026, 1)),
            quarterly.committed_volume(Period.fiscal_year(2026)),
        )

    def test_partial_period_is_pro_rata(self) -> None:
        """An ISO week in March owes 7/31 of a monthly volume of 100 = 22.58."""
        sla = ServiceLevelAgreement(id="s", mql_volume=100)
        assert Decimal("22.58") == sla.committed_volume(Period.iso_week(2026, 10))


class TestServiceLevelAgreementTerms:
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
