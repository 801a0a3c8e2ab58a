"""Specification of the organisation snapshot: lookups and referential checks."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from salesmark import (
    Campaign,
    Direction,
    IllegalTransition,
    KpiDefinition,
    KpiUnit,
    Lead,
    LeadFeedback,
    LeadSource,
    Member,
    Money,
    Organisation,
    Period,
    Scorecard,
    StageChange,
    Team,
    Touchpoint,
    TouchpointKind,
    UnknownReference,
    ValidationError,
    synthetic,
)

T = datetime(2026, 1, 5, tzinfo=timezone.utc)
MEMBERS = (
    Member(id="s1", name="Sam", team=Team.SALES),
    Member(id="m1", name="Mia", team=Team.MARKETING),
)
CAMPAIGN = Campaign(
    id="c1",
    name="Search",
    channel="paid_search",
    owner_id="m1",
    period=Period.month(2026, 1),
    budget=Money.of("500", "EUR"),
)


def _org(**changes: Any) -> Organisation:
    fields: dict[str, Any] = {
        "name": "Acme",
        "currency": "EUR",
        "members": MEMBERS,
        "campaigns": (CAMPAIGN,),
    }
    return Organisation(**{**fields, **changes})


class TestLookups:
    def test_by_id(self) -> None:
        """Members, campaigns and leads are found by id; unknown ids raise UnknownReference."""
        org = _org(leads=(Lead.create(id="L1", created_at=T, owner_id="s1"),))
        assert ("Sam", "Search", "s1") == (
            org.member("s1").name,
            org.campaign("c1").name,
            org.lead("L1").owner_id,
        )
        assert (MEMBERS[0],) == org.team(Team.SALES)
        with pytest.raises(UnknownReference, match="no lead with id 'L9'"):
            org.lead("L9")
        with pytest.raises(KeyError):
            org.persona("p9")

    def test_large_organisation(self) -> None:
        """Lookups work on a synthetic organisation of a few thousand leads."""
        org = synthetic.organisation(seed=1, leads=3_000)
        lead = org.leads[1234]
        assert lead == org.lead(lead.id)


class TestReferentialChecks:
    @pytest.mark.parametrize(
        ("changes", "match"),
        [
            ({"leads": (Lead.create(id="L", created_at=T, source=LeadSource(campaign_id="c9")),)}, r"leads\[0\].source.campaign_id names unknown campaign 'c9'"),
            ({"leads": (Lead.create(id="L", created_at=T, owner_id="x"),)}, "owner_id names unknown member 'x'"),
            ({"leads": (Lead.create(id="L", created_at=T, touchpoints=[Touchpoint(at=T, channel="e", kind=TouchpointKind.EMAIL, team=Team.MARKETING, content_id="a9")]),)}, "unknown content asset 'a9'"),
            ({"feedback": (LeadFeedback(lead_id="L9", member_id="s1", at=T, accepted=True),)}, "feedback.0..lead_id names unknown lead 'L9'"),
            ({"scorecards": (Scorecard(team=Team.SALES, kpis=("a", "b", "c")),)}, "unknown KPI 'a'"),
        ],
    )  # fmt: skip
    def test_unknown_references(self, changes: dict[str, Any], match: str) -> None:
        """Anything that names an id the organisation does not hold is refused with its path."""
        with pytest.raises(UnknownReference, match=match):
            _org(**changes)

    def test_duplicate_ids(self) -> None:
        """Two leads with one id are refused."""
        lead = Lead.create(id="L", created_at=T)
        with pytest.raises(ValidationError, match="repeats id 'L'"):
            _org(leads=(lead, lead))

    def test_currency(self) -> None:
        """Lead values must be in the organisation's currency."""
        with pytest.raises(ValidationError, match="not in the organisation's currency EUR"):
            _org(leads=(Lead.create(id="L", created_at=T, value=Money.of("1", "USD")),))

    def test_illegal_history(self) -> None:
        """A lead whose history breaks the lifecycle is refused, naming the lead."""
        bad = Lead(
            id="L",
            created_at=T,
            history=(StageChange(stage="inquiry", at=T), StageChange(stage="won", at=T)),
        )
        with pytest.raises(IllegalTransition, match="lead 'L'"):
            _org(leads=(bad,))

    def test_one_scorecard_per_team(self) -> None:
        """A team has at most one scorecard."""
        kpis = tuple(
            KpiDefinition(
                key=k, name=k, unit=KpiUnit.COUNT, direction=Direction.HIGHER_IS_BETTER,
                owners=(Team.SALES,), formula="f",
            )
            for k in "abc"
        )  # fmt: skip
        card = Scorecard(team=Team.SALES, kpis=("a", "b", "c"))
        assert card == _org(kpis=kpis, scorecards=(card,)).scorecard(Team.SALES)
        with pytest.raises(ValidationError, match="second scorecard for the sales team"):
            _org(kpis=kpis, scorecards=(card, card))
