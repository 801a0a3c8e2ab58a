"""Specification of measured stage probabilities and the lifecycle's configured ones."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from salesmark import Organisation
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.lifecycle import HUBSPOT_DEALS, SALESFORCE_OPPORTUNITY, ForecastCategory
from salesmark.planning import stage_probabilities
from strategies.planning import MINI, mini_company

JUNE = datetime(2026, 6, 1, tzinfo=timezone.utc)


class TestPresets:
    def test_salesforce_defaults(self) -> None:
        """Salesforce's default opportunity stages carry its published default probabilities."""
        assert {
            "prospecting": Decimal("0.10"),
            "qualification": Decimal("0.10"),
            "needs_analysis": Decimal("0.20"),
            "value_proposition": Decimal("0.50"),
            "id_decision_makers": Decimal("0.60"),
            "perception_analysis": Decimal("0.70"),
            "proposal_price_quote": Decimal("0.75"),
            "negotiation_review": Decimal("0.90"),
            "closed_won": Decimal("1"),
            "closed_lost": Decimal("0"),
        } == {s.name: s.probability for s in SALESFORCE_OPPORTUNITY.stages}

    def test_salesforce_categories(self) -> None:
        """Open stages are Pipeline, Closed Won is Closed and Closed Lost is Omitted."""
        assert {
            "negotiation_review": ForecastCategory.PIPELINE,
            "closed_won": ForecastCategory.CLOSED,
            "closed_lost": ForecastCategory.OMITTED,
        } == {
            name: SALESFORCE_OPPORTUNITY.forecast_category(name)
            for name in ("negotiation_review", "closed_won", "closed_lost")
        }

    def test_hubspot_defaults(self) -> None:
        """HubSpot's default deal pipeline carries its default win probabilities."""
        assert {
            "appointmentscheduled": Decimal("0.2"),
            "qualifiedtobuy": Decimal("0.4"),
            "presentationscheduled": Decimal("0.6"),
            "decisionmakerboughtin": Decimal("0.8"),
            "contractsent": Decimal("0.9"),
            "closedwon": Decimal("1"),
            "closedlost": Decimal("0"),
        } == {s.name: s.probability for s in HUBSPOT_DEALS.stages}

    def test_a_probability_outside_zero_to_one_is_refused(self) -> None:
        """A stage probability of 1.5 is not a probability."""
        from salesmark.lifecycle import StageDefinition

        with pytest.raises(ValidationError, match="probability"):
            StageDefinition(name="x", probability="1.5")


class TestStageProbabilities:
    def test_by_hand(self) -> None:
        """The mini company's rates, counted on paper.

        Lead: L0..L4 reached it; only L0 won; L4 has sat 12 days, longer than any lead
        stay ever lasted (10 days), so it counts as not won: 1/5. Deal: L0, L1, D1, D2
        reached it; D1 and D2 are 4 days in, within the longest deal stay (15 days), so
        they are open and left out: 1 won of 2 decided.
        """
        result = stage_probabilities(mini_company(), as_of=JUNE)
        assert {
            "lead": (5, 1, 0, Fraction(1, 5), Decimal("0.1")),
            "deal": (4, 1, 2, Fraction(1, 2), Decimal("0.5")),
            "won": (1, 1, 0, Fraction(1), Decimal("1")),
        } == {s.stage: (s.reached, s.won, s.open, s.exact, s.configured) for s in result.stages}

    def test_jeffreys_interval(self) -> None:
        """The deal stage's 80% interval is the Jeffreys Beta(1.5, 1.5) interval."""
        deal = stage_probabilities(mini_company(), as_of=JUNE)["deal"]
        assert (Decimal("0.1565"), Decimal("0.8435")) == (deal.low, deal.high)

    def test_only_changes_before_as_of_count(self) -> None:
        """As of 22 March, the very instant L0 won, its win does not count yet (strictly before)."""
        early = stage_probabilities(
            mini_company(), as_of=datetime(2026, 3, 22, tzinfo=timezone.utc)
        )
        assert 0 == early["deal"].won

    def test_empty_company(self) -> None:
        """A company without leads has no rate at any stage, and no error."""
        empty = Organisation(name="A", currency="EUR", lifecycle=MINI)
        assert [None, None, None] == [s.rate for s in stage_probabilities(empty, as_of=JUNE).stages]

    def test_unknown_stage(self) -> None:
        """Asking for a stage the lifecycle lacks names it."""
        with pytest.raises(UnknownReference, match="nope"):
            stage_probabilities(mini_company(), as_of=JUNE)["nope"]

    def test_wrong_types(self) -> None:
        """A non-organisation is a WrongType; a level of 1 is not a probability strictly inside."""
        with pytest.raises(WrongType):
            stage_probabilities("acme", as_of=JUNE)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="level"):
            stage_probabilities(mini_company(), as_of=JUNE, level=1)
