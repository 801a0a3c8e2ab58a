"""Specification of teams, members and approvals."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from salesmark import (
    Meeting,
    Member,
    Organisation,
    Team,
    UnknownReference,
    ValidationError,
    WrongType,
)
from salesmark.alignment import alignment_index
from salesmark.period import Period
from salesmark.teams import DEFAULT_TEAMS, TeamDefinition, sides_of

T = datetime(2026, 1, 5, tzinfo=timezone.utc)


class TestTeam:
    def test_two_teams_by_value(self) -> None:
        """There are exactly two teams, sales and marketing, looked up by value."""
        assert ["sales", "marketing"] == [t.value for t in Team]
        assert Team.SALES is Team("sales")

    def test_other(self) -> None:
        """Each team's other team is the opposite one."""
        assert (Team.MARKETING, Team.SALES) == (Team.SALES.other, Team.MARKETING.other)
        assert all(t.other.other is t for t in Team)


class TestMember:
    def test_valid(self) -> None:
        """A member has an id, a name and a team; a Team side stands for its default team's name."""
        assert "sales" == Member(id="m1", name="Ana Ortiz", team=Team.SALES).team

    def test_a_named_team_is_kept_as_text(self) -> None:
        """A member of the company's own team keeps its name; the organisation checks it."""
        assert "sdr" == Member(id="d1", name="Dev", team="sdr").team

    @pytest.mark.parametrize(
        ("changes", "match"),
        [({"id": ""}, "Member.id"), ({"name": " "}, "Member.name"),
         ({"team": ""}, "Member.team"), ({"team": 5}, "Member.team")],
    )  # fmt: skip
    def test_bad_fields(self, changes: dict[str, object], match: str) -> None:
        """A blank id, name or team, or a team that is not text, is refused naming the field."""
        fields: dict[str, object] = {"id": "m1", "name": "Ana", "team": Team.SALES, **changes}
        with pytest.raises(ValidationError, match=match):
            Member(**fields)  # type: ignore[arg-type]


SDR = TeamDefinition(name="sdr", label="Sales development", sides=(Team.SALES,))
AE = TeamDefinition(name="ae", sides=(Team.SALES,))
GROWTH = TeamDefinition(name="growth", sides=(Team.MARKETING,))
REVENUE = TeamDefinition(name="revenue", sides=(Team.MARKETING, Team.SALES))


class TestTeamDefinition:
    def test_sides_in_team_order_once(self) -> None:
        """Sides are kept in the order of Team, each once."""
        both = TeamDefinition(name="r", sides=(Team.MARKETING, Team.SALES, Team.MARKETING))
        assert (Team.SALES, Team.MARKETING) == both.sides

    @pytest.mark.parametrize(
        ("fields", "error", "match"),
        [({"name": "", "sides": (Team.SALES,)}, ValidationError, "TeamDefinition.name"),
         ({"name": "x", "sides": ()}, ValidationError, "must play at least one side"),
         ({"name": "x", "sides": ("sales",)}, ValidationError, r"TeamDefinition.sides\[0\] must be a Team"),
         ({"name": "x", "sides": Team.SALES}, WrongType, "TeamDefinition.sides must be a sequence of sides")],
    )  # fmt: skip
    def test_bad_definitions(
        self, fields: dict[str, object], error: type[Exception], match: str
    ) -> None:
        """A blank name, no side, or a side that is not a Team is refused naming the field."""
        with pytest.raises(error, match=match):
            TeamDefinition(**fields)  # type: ignore[arg-type]

    def test_default_teams(self) -> None:
        """By default a company has the teams sales and marketing, one side each."""
        assert {"sales": (Team.SALES,), "marketing": (Team.MARKETING,)} == {
            t.name: t.sides for t in DEFAULT_TEAMS
        }


class TestOrganisationTeams:
    def test_members_of_a_team_and_of_a_side(self) -> None:
        """org.team reads a named team, or every team playing a side, in member order."""
        org = Organisation(
            name="A",
            currency="EUR",
            teams=(SDR, AE, GROWTH),
            members=(
                Member(id="d1", name="Dev", team="sdr"),
                Member(id="g1", name="Gus", team="growth"),
                Member(id="a1", name="Ana", team="ae"),
            ),
        )
        assert {"sales": ["d1", "a1"], "marketing": ["g1"], "ae": ["a1"]} == {
            "sales": [m.id for m in org.team(Team.SALES)],
            "marketing": [m.id for m in org.team(Team.MARKETING)],
            "ae": [m.id for m in org.team("ae")],
        }

    def test_an_unknown_team_name_is_refused(self) -> None:
        """Asking for a team the organisation does not name is an UnknownReference."""
        org = Organisation(name="A", currency="EUR")
        with pytest.raises(UnknownReference, match="has no team 'sdr'"):
            org.team("sdr")

    def test_a_member_on_an_unnamed_team_is_refused(self) -> None:
        """Every member's team must be one the organisation names, with the member's path."""
        with pytest.raises(UnknownReference, match="belongs to team 'finance'") as caught:
            Organisation(
                name="A", currency="EUR", members=(Member(id="f1", name="F", team="finance"),)
            )
        assert "/members/0/team" == caught.value.path

    def test_both_sides_must_be_played(self) -> None:
        """A company whose teams play only sales is refused: there is nothing to align."""
        with pytest.raises(ValidationError, match="a team on the marketing side"):
            Organisation(name="A", currency="EUR", teams=(SDR, AE))

    def test_a_team_named_twice_is_refused(self) -> None:
        """Team names are unique."""
        with pytest.raises(ValidationError, match="names team 'sdr' a second time"):
            Organisation(name="A", currency="EUR", teams=(SDR, SDR, GROWTH))

    def test_one_revenue_team(self) -> None:
        """A single revenue team plays both sides: its members are sales and marketing."""
        org = Organisation(
            name="A",
            currency="EUR",
            teams=(REVENUE,),
            members=(Member(id="r1", name="R", team="revenue"),),
        )
        assert (["r1"], ["r1"], (Team.SALES, Team.MARKETING)) == (
            [m.id for m in org.team(Team.SALES)],
            [m.id for m in org.team(Team.MARKETING)],
            org.sides("r1"),
        )


class TestMeetingsReadTheTeams:
    T0 = datetime(2026, 4, 7, 9, tzinfo=timezone.utc)

    def test_held_when_the_attendees_cover_both_sides(self) -> None:
        """An SDR and a growth marketer make a held meeting; two sales teams do not."""
        members = (
            Member(id="d1", name="Dev", team="sdr"),
            Member(id="a1", name="Ana", team="ae"),
            Member(id="g1", name="Gus", team="growth"),
        )
        teams = (SDR, AE, GROWTH)
        sales_only = Meeting(id="m1", at=self.T0, attendees=("d1", "a1"))
        joint = Meeting(id="m2", at=self.T0, attendees=("d1", "g1"))
        assert (False, True) == (
            sales_only.is_held(members, teams),
            joint.is_held(members, teams),
        )

    def test_an_unnamed_team_is_an_error_not_an_absence(self) -> None:
        """A member whose team the teams given do not name raises, rather than counting as absent."""
        meeting = Meeting(id="m1", at=self.T0, attendees=("d1",))
        with pytest.raises(UnknownReference, match="team 'sdr'"):
            meeting.is_held([Member(id="d1", name="Dev", team="sdr")])

    def test_sides_of_names_each_member(self) -> None:
        """sides_of maps each member to the sides of their team."""
        members = [
            Member(id="r1", name="R", team="revenue"),
            Member(id="g1", name="G", team="growth"),
        ]
        assert {"r1": (Team.SALES, Team.MARKETING), "g1": (Team.MARKETING,)} == dict(
            sides_of(members, [REVENUE, GROWTH])
        )

    def test_the_alignment_index_counts_meetings_with_the_organisations_teams(self) -> None:
        """A revenue team's meeting is held (both sides); an SDR's meeting alone is not."""
        from salesmark.cadence import MeetingCadence

        april = Period.month(2026, 4)
        # weekly on Tuesdays from 7 April: 7, 14, 21 and 28 April are scheduled in April
        cadence = MeetingCadence.weekly(self.T0)
        members = (Member(id="r1", name="R", team="revenue"), Member(id="d1", name="D", team="sdr"))
        org = Organisation(
            name="A",
            currency="EUR",
            teams=(REVENUE, SDR),
            members=members,
            cadence=cadence,
            meetings=(
                Meeting(id="m1", at=self.T0, attendees=("r1",)),  # both sides: held
                Meeting(id="m2", at=self.T0 + timedelta(days=7), attendees=("d1",)),  # sales only
            ),
        )
        meetings = alignment_index(org, april, at=april.end).component("meetings_on_cadence")
        # 1 of the 4 scheduled meetings held: 1/4 = 0.25; the SDR's meeting is reported as not counted
        assert (Decimal("0.25"), True) == (
            meetings.value,
            any("1 meeting(s) without both teams present" in e for e in meetings.evidence),
        )
