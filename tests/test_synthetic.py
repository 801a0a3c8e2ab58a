"""Specification of the seeded synthetic organisation."""

from __future__ import annotations

import pytest

from salesmark import Organisation, Period, Stage, Team, ValidationError, synthetic
from salesmark.agenda import build_agenda
from salesmark.follow_through import ActionState, action_follow_through


@pytest.fixture(scope="module")
def org() -> Organisation:
    return synthetic.organisation(seed=3, leads=1_500)


class TestOrganisation:
    def test_same_seed_same_company(self, org: Organisation) -> None:
        """The same seed and size give an equal organisation."""
        assert org == synthetic.organisation(seed=3, leads=1_500)

    def test_other_seed_other_company(self, org: Organisation) -> None:
        """Another seed gives other leads."""
        assert org.leads != synthetic.organisation(seed=4, leads=1_500).leads

    def test_both_teams_have_members(self, org: Organisation) -> None:
        """Sales and marketing both have members."""
        assert org.team(Team.SALES)
        assert org.team(Team.MARKETING)

    def test_three_to_five_personas(self, org: Organisation) -> None:
        """There are 3 to 5 personas, each with a narrative."""
        assert 3 <= len(org.personas) <= 5
        assert {p.id for p in org.personas} == {n.persona_id for n in org.narratives}

    def test_eight_to_twelve_channels(self, org: Organisation) -> None:
        """Leads come from 8 to 12 channels."""
        channels = {lead.channel for lead in org.leads if lead.channel is not None}
        assert 8 <= len(channels) <= 12

    def test_campaigns_have_budgets(self, org: Organisation) -> None:
        """Every campaign has a positive budget in the organisation's currency."""
        assert org.campaigns
        assert all(c.budget.amount > 0 and c.budget.currency == org.currency for c in org.campaigns)

    def test_requested_number_of_leads(self, org: Organisation) -> None:
        """The organisation holds exactly the leads asked for."""
        assert 1_500 == len(org.leads)

    def test_imperfections_are_present(self, org: Organisation) -> None:
        """Some MQLs are never followed up, some leads have no source, some are rejected with a reason."""
        mqls = [lead for lead in org.leads if lead.has_reached(Stage.MQL)]
        assert any(lead.first_follow_up is None for lead in mqls)
        assert any(lead.source is None for lead in org.leads)
        rejected = [lead for lead in org.leads if lead.stage == Stage.REJECTED]
        assert rejected
        assert all(lead.history[-1].reason for lead in rejected)

    def test_deals_won_have_values(self, org: Organisation) -> None:
        """Every won lead carries a deal value."""
        won = [lead for lead in org.leads if lead.stage == Stage.WON]
        assert won
        assert all(lead.value is not None and lead.value.amount > 0 for lead in won)

    def test_channels_behave_differently(self) -> None:
        """Conversion to MQL depends on the channel: referrals convert better than display."""
        big = synthetic.organisation(seed=5, leads=6_000)

        def mql_rate(channel: str) -> float:
            leads = [lead for lead in big.leads if lead.channel == channel]
            return sum(lead.has_reached(Stage.MQL) for lead in leads) / len(leads)

        assert mql_rate("referral") > mql_rate("display")

    def test_scorecards_and_measurements(self, org: Organisation) -> None:
        """Both teams have a scorecard and every headline KPI has targets."""
        assert {Team.SALES, Team.MARKETING} == {card.team for card in org.scorecards}
        headline = {key for card in org.scorecards for key in card.kpis}
        assert headline == {t.kpi for t in org.targets}
        assert org.measurements

    def test_zero_leads(self) -> None:
        """An organisation with no leads is still a valid company."""
        assert () == synthetic.organisation(seed=1, leads=0).leads

    @pytest.mark.parametrize("bad", [-1, 1.5, True])
    def test_bad_size(self, bad: object) -> None:
        """A negative, fractional or boolean size is refused with a clear error."""
        with pytest.raises(ValidationError, match="leads must be a whole number"):
            synthetic.organisation(seed=1, leads=bad)  # type: ignore[arg-type]


class TestFollowThrough:
    def test_meetings_follow_through_imperfectly(self, org: Organisation) -> None:
        """Actions are closed on time, late, and some never; some meetings lack marketing."""
        report = action_follow_through(org, Period.fiscal_year(2026))
        states = {a.state for a in report.actions}
        assert {ActionState.CLOSED_ON_TIME, ActionState.CLOSED_LATE} <= states
        assert any(not m.is_held(org.members) for m in org.meetings)
        assert any(m.decisions for m in org.meetings)

    def test_insights_name_leads_and_narratives_rest_on_themes(self, org: Organisation) -> None:
        """Every insight has an id and a lead; every narrative names the themes it rests on."""
        assert all(i.id is not None and i.lead_id is not None for i in org.insights)
        assert all(n.themes for n in org.narratives)

    def test_held_meeting(self, org: Organisation) -> None:
        """An agenda held as the next meeting has both teams, a decision and two actions."""
        quarter = Period.quarter(2026, 3)
        agenda = build_agenda(org, quarter)
        meeting = synthetic.held_meeting(org, agenda, id="next", at=agenda.next_meetings[0])
        assert (True, 1, ["next-a1", "next-a2"]) == (
            meeting.is_held(org.members),
            len(meeting.decisions),
            [a.id for a in meeting.actions],
        )
