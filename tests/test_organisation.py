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
    MissingReason,
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

    def test_every_bad_lead_is_listed(self) -> None:
        """Every lead whose history breaks the lifecycle is listed, each with its first illegal step."""
        bad = [
            Lead(id=f"L{i}", created_at=T, history=(StageChange(stage="inquiry", at=T), StageChange(stage="won", at=T)))
            for i in range(3)
        ]  # fmt: skip
        with pytest.raises(IllegalTransition) as caught:
            _org(leads=(bad[0], Lead.create(id="ok", created_at=T), bad[1], bad[2]))
        assert ["/leads/0/history/1/stage", "/leads/2/history/1/stage", "/leads/3/history/1/stage"] == [
            e.path for e in caught.value.errors
        ]  # fmt: skip
        assert str(caught.value).startswith("3 leads have an illegal history: leads[0] (lead 'L0')")
        assert (
            "a stage reachable from 'inquiry': 'mql', 'disqualified'"
            == caught.value.errors[0].expected
        )

    def test_missing_reasons_are_missing_reasons(self) -> None:
        """When every bad lead lacks only a reason code, the error is a MissingReason at the reason."""
        bad = Lead(
            id="L",
            created_at=T,
            history=(StageChange(stage="inquiry", at=T), StageChange(stage="disqualified", at=T)),
        )
        with pytest.raises(MissingReason) as caught:
            _org(leads=(bad,))
        assert ["/leads/0/history/1/reason"] == [e.path for e in caught.value.errors]

    @pytest.mark.parametrize(
        ("changes", "path"),
        [
            ({"leads": (Lead.create(id="L", created_at=T, source=LeadSource(campaign_id="c9")),)}, "/leads/0/source/campaign_id"),
            ({"leads": (Lead.create(id="L", created_at=T, touchpoints=[Touchpoint(at=T, channel="e", kind=TouchpointKind.EMAIL, team=Team.MARKETING, member_id="x")]),)}, "/leads/0/touchpoints/0/member_id"),
            ({"feedback": (LeadFeedback(lead_id="L9", member_id="s1", at=T, accepted=True),)}, "/feedback/0/lead_id"),
            ({"scorecards": (Scorecard(team=Team.SALES, kpis=("a", "b", "c")),)}, "/scorecards/0/kpis/0"),
        ],
    )  # fmt: skip
    def test_reference_errors_carry_their_path(self, changes: dict[str, Any], path: str) -> None:
        """A reference to nothing names the field that refers, as a JSON Pointer, and the id."""
        with pytest.raises(UnknownReference) as caught:
            _org(**changes)
        assert path == caught.value.path
        assert caught.value.errors[0].value is not None

    def test_other_errors_carry_their_path(self) -> None:
        """Repeated ids, amounts in another currency and an unknown currency name their field."""
        lead = Lead.create(id="L", created_at=T)
        paths = []
        for changes in (
            {"leads": (lead, lead)},
            {"leads": (Lead.create(id="L", created_at=T, value=Money.of("1", "USD")),)},
            {"currency": "EURO"},
        ):
            with pytest.raises(ValidationError) as caught:
                _org(**changes)
            paths.append(caught.value.path)
        assert ["/leads/1/id", "/leads/0/value", "/currency"] == paths

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
