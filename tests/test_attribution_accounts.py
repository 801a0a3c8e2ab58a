"""Tests for salesmark.attribution.accounts: account (multi-contact) journeys."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from salesmark import DEMAND_WATERFALL as W
from salesmark import Lead, Money, Stage, Team, Touchpoint, TouchpointKind, ValidationError
from salesmark.attribution import ContactPolicy, account_journeys

T = datetime(2026, 6, 1, tzinfo=timezone.utc)


def lead(
    lead_id: str, account: str | None, *touches: tuple[int, str], won_day: int | None = None
) -> Lead:
    result = Lead.create(
        id=lead_id,
        created_at=T,
        account_id=account,
        value=Money.of(500, "EUR"),
        touchpoints=[
            Touchpoint(
                at=T + timedelta(days=d), channel=c, kind=TouchpointKind.OTHER, team=Team.MARKETING
            )
            for d, c in touches
        ],
    )
    if won_day is not None:
        for offset, stage in enumerate((Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY)):
            result = result.advance(stage, at=T + timedelta(days=won_day - 4 + offset))
        result = result.advance(Stage.WON, at=T + timedelta(days=won_day))
    return result


CFO = lead("cfo", "acme", (1, "event"), (8, "call"))
CTO = lead("cto", "acme", (2, "webinar"), (9, "demo"), won_day=10)
INTERN = lead("intern", "acme", (3, "blog"))
SOLO = lead("solo", None, (1, "search"))


class TestContactPolicy:
    def test_bad_kind(self) -> None:
        """An unknown policy kind is refused."""
        with pytest.raises(ValidationError, match="kind"):
            ContactPolicy(kind="everyone")  # type: ignore[arg-type]

    def test_select_roles(self) -> None:
        """With roles, only contacts with a counted role are chosen."""
        policy = ContactPolicy.with_roles(
            {"cfo": "economic_buyer", "intern": "user"}, counted=["economic_buyer"]
        )
        assert [CFO] == policy.select([CFO, CTO, INTERN], CTO)

    def test_nobody_selected_falls_back_to_deal_lead(self) -> None:
        """When no contact has the primary role, the deal lead stands in."""
        assert [CTO] == ContactPolicy.primary_contact({}).select([CFO, CTO], CTO)


class TestCountedRoles:
    @pytest.mark.parametrize("bad", ["champion", [""], [3]])
    def test_counted_roles_are_names(self, bad: object) -> None:
        """A lone string is not split into letters; blank or non-text roles are refused."""
        with pytest.raises(ValidationError, match="ContactPolicy.counted_roles"):
            ContactPolicy.with_roles({"L1": "champion"}, counted=bad)  # type: ignore[arg-type]


class TestAccountJourneys:
    def test_all_contacts(self) -> None:
        """All contacts' touches merge in time order, cut at the account's conversion."""
        journeys = account_journeys([CFO, CTO, INTERN, SOLO], lifecycle=W)
        assert [
            {
                "path": ("event", "webinar", "blog", "call", "demo"),
                "converted": True,
                "value": Money.of(500, "EUR"),
            },
            {"path": ("search",), "converted": False, "value": None},
        ] == [{"path": j.path, "converted": j.converted, "value": j.value} for j in journeys]

    def test_roles(self) -> None:
        """Contacts with a role on the deal count."""
        policy = ContactPolicy.with_roles({"cfo": "economic_buyer", "cto": "champion"})
        (journey, _solo) = account_journeys([CFO, CTO, INTERN, SOLO], policy=policy, lifecycle=W)
        assert ("event", "webinar", "call", "demo") == journey.path

    def test_primary_contact(self) -> None:
        """Only the primary contact's touches count."""
        policy = ContactPolicy.primary_contact({"cfo": "primary"})
        (journey, _solo) = account_journeys([CFO, CTO, INTERN, SOLO], policy=policy, lifecycle=W)
        assert (("event", "call"), True) == (journey.path, journey.converted)

    def test_milestones(self) -> None:
        """Opportunity and closed-won milestones come from the account's leads."""
        (journey, _solo) = account_journeys([CFO, CTO, INTERN, SOLO], lifecycle=W)
        assert (None, 4, 4) == journey.milestones.marks()  # no touch before creation

    def test_bad_policy(self) -> None:
        """The policy must be a ContactPolicy."""
        with pytest.raises(ValidationError, match="ContactPolicy"):
            account_journeys([CFO], policy="all", lifecycle=W)  # type: ignore[arg-type]


class TestContactPolicyChecks:
    def test_a_blank_role_is_refused(self) -> None:
        """Roles map lead ids to non-blank role names."""
        from salesmark.attribution import ContactPolicy

        with pytest.raises(
            ValidationError,
            match=r"^ContactPolicy\.roles must map lead ids to role names, got 'L1': ''$",
        ):
            ContactPolicy.primary_contact({"L1": ""})
