"""Tests for salesmark.alignment: the 0-100 alignment index and its components.

Hand-computed fixture (March 2026, evaluated at 1 April; the same leads as the agenda
tests: L1 accepted and followed up, L2 rejected, L3 ignored, L4 disqualified from
inquiry; SLA 4 MQLs a month):

====================  =================================================  ======
component             computation                                        value
====================  =================================================  ======
sla_marketing         mean(3/4 delivered, (1/2) / 0.9 acceptance)        47/72
sla_sales             mean(1/2 follow-ups on time, 2/3 feedback on time) 7/12
feedback_coverage     2 of 3 MQLs with feedback                          2/3
lead_acceptance       1 of 2 decided MQLs accepted                       1/2
narratives            n3 of n1, n2, n3 agreed and fresh                  1/3
personas              p2 of 2 validated                                  1/2
content_used          a1 of 3 assets used by sales                       1/3
meetings_on_cadence   3 of 5 March Tuesdays matched within a day         3/5
shared_kpis           win_rate of 3 headline KPIs                        1/3
====================  =================================================  ======

``action_follow_through`` is not measurable: no action item was due (see
``test_follow_through.py`` for the component by hand).

L2 was rejected before contact, so it owes no follow-up (L1 on time, L3 never).
Equal weights: 100 x 1621/3240 = 50.031 -> 50.0.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark.alignment import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    AlignmentComponent,
    AlignmentIndex,
    alignment_index,
)
from salesmark.errors import NaiveDatetime, ValidationError
from salesmark.meetings import Meeting
from salesmark.narratives import Narrative
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Evidence, EvidenceKind, Persona
from salesmark.teams import Team
from strategies import sla_organisations
from test_agenda import organisation as agenda_organisation

UTC = timezone.utc
MARCH = Period.month(2026, 3)


def t(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def organisation() -> Organisation:
    org = agenda_organisation()
    validated = (
        Persona(id="p2", name="IT")
        .with_evidence(
            Evidence(kind=EvidenceKind.WON_DEAL, team=Team.SALES, at=t(1), summary="wins")
        )
        .approve(Team.SALES, "s1", at=t(1))
        .approve(Team.MARKETING, "m1", at=t(1))
    )
    both = ("s1", "m1")  # a meeting counts as held only with both teams present
    meetings = (
        Meeting(id="mt1", at=t(3), attendees=both),
        Meeting(id="mt2", at=t(10, 10), attendees=both),
        Meeting(id="mt3", at=t(18), attendees=both),
        Meeting(id="mt4", at=t(26), attendees=both),
    )
    return attrs.evolve(org, personas=(org.personas[0], validated), meetings=meetings)


VALUES = {
    "sla_marketing": Decimal("0.6528"),
    "sla_sales": Decimal("0.5833"),
    "feedback_coverage": Decimal("0.6667"),
    "lead_acceptance": Decimal("0.5000"),
    "narratives": Decimal("0.3333"),
    "personas": Decimal("0.5000"),
    "content_used": Decimal("0.3333"),
    "meetings_on_cadence": Decimal("0.6000"),
    "shared_kpis": Decimal("0.3333"),
    "action_follow_through": None,  # no action item was due: not measurable
}


class TestAlignmentIndex:
    def test_components_by_hand(self) -> None:
        """Each component has the hand-computed value and equal default weight."""
        index = alignment_index(organisation(), MARCH)
        assert VALUES == {c.name: c.value for c in index.components}
        assert COMPONENTS == tuple(c.name for c in index.components)
        assert all(Decimal(1) == c.weight for c in index.components)

    def test_score_by_hand(self) -> None:
        """With equal weights the index is the mean of the components: 50.0."""
        index = alignment_index(organisation(), MARCH)
        assert (Decimal("50.0"), Decimal("7.2531")) == (
            index.score,
            index.component("sla_marketing").points,
        )

    def test_evidence_by_hand(self) -> None:
        """Each component says what its value rests on."""
        index = alignment_index(organisation(), MARCH)
        assert (
            "3 of 4 committed MQLs delivered",
            "acceptance 50.0% vs minimum 90.0%",
        ) == index.component("sla_marketing").evidence
        assert ("1 of 2 follow-ups on time", "2 of 3 feedback on time") == index.component(
            "sla_sales"
        ).evidence
        assert ("3 of 5 scheduled meetings held",) == index.component(
            "meetings_on_cadence"
        ).evidence
        assert ("1 of 3 headline KPIs on the scorecards owned by both teams",) == index.component(
            "shared_kpis"
        ).evidence

    def test_weights_are_configurable(self) -> None:
        """Weight 0 leaves personas out and weight 3 triples shared KPIs: 100 x 1681/3600 = 46.7."""
        index = alignment_index(
            organisation(), MARCH, weights={"personas": 0, "shared_kpis": Decimal(3)}
        )
        assert (Decimal("46.7"), Decimal(0), Decimal(3)) == (
            index.score,
            index.component("personas").points,
            index.component("shared_kpis").weight,
        )

    def test_missing_data_is_left_out_not_zero(self) -> None:
        """Without an SLA both SLA components are not measurable and the rest average 46.7."""
        index = alignment_index(attrs.evolve(organisation(), sla=None), MARCH)
        assert (("sla_marketing", "sla_sales", "action_follow_through"), Decimal("46.7")) == (
            index.not_measurable,
            index.score,
        )
        assert (None, None, ("no SLA in force",), False) == (
            index.component("sla_sales").value,
            index.component("sla_sales").points,
            index.component("sla_sales").evidence,
            index.component("sla_sales").measurable,
        )

    def test_nothing_measurable_gives_no_score(self) -> None:
        """An organisation without data has no index rather than zero."""
        index = alignment_index(Organisation(name="Acme", currency="EUR"), MARCH)
        assert (None, COMPONENTS) == (index.score, index.not_measurable)
        assert "AlignmentIndex(n/a, 0 of 10 components measured)" == repr(index)

    def test_all_zero_weights_give_no_score(self) -> None:
        """When every measurable component weighs zero there is no score."""
        index = alignment_index(organisation(), MARCH, weights=dict.fromkeys(COMPONENTS, 0))
        assert index.score is None

    def test_catalogue_stands_in_for_missing_scorecards(self) -> None:
        """Without scorecards, shared KPIs are counted over the catalogue: 1 of 5."""
        index = alignment_index(attrs.evolve(organisation(), scorecards=()), MARCH)
        assert (Decimal("0.2000"), ("1 of 5 KPIs in the catalogue owned by both teams",)) == (
            index.component("shared_kpis").value,
            index.component("shared_kpis").evidence,
        )

    def test_meetings_count_only_up_to_the_evaluation_time(self) -> None:
        """Evaluated on 12 March, two slots were due and both were held."""
        index = alignment_index(organisation(), MARCH, at=t(12))
        assert Decimal(1) == index.component("meetings_on_cadence").value

    def test_personas_count_only_approvals_given_by_the_evaluation_time(self) -> None:
        """p2's marketing approval on 20 March does not count on 12 March: 0 of 2, then 1 of 2."""
        org = organisation()
        late = org.personas[1].approve(Team.MARKETING, "m1", at=t(20))
        org = attrs.evolve(org, personas=(org.personas[0], late))
        assert (Decimal("0.0000"), Decimal("0.5000")) == (
            alignment_index(org, MARCH, at=t(12)).component("personas").value,
            alignment_index(org, MARCH).component("personas").value,
        )

    def test_personas_count_only_evidence_given_by_the_evaluation_time(self) -> None:
        """Sales evidence dated 20 March does not validate p2 as of 12 March."""
        org = organisation()
        approved = (
            Persona(id="p2", name="IT")
            .with_evidence(
                Evidence(kind=EvidenceKind.WON_DEAL, team=Team.SALES, at=t(20), summary="wins")
            )
            .approve(Team.SALES, "s1", at=t(1))
            .approve(Team.MARKETING, "m1", at=t(1))
        )
        org = attrs.evolve(org, personas=(org.personas[0], approved))
        assert (Decimal("0.0000"), Decimal("0.5000")) == (
            alignment_index(org, MARCH, at=t(12)).component("personas").value,
            alignment_index(org, MARCH).component("personas").value,
        )

    def test_narratives_count_only_agreements_given_by_the_evaluation_time(self) -> None:
        """n3 approved by marketing on 20 March is not agreed as of 12 March: 0 of 3, then 1 of 3."""
        org = organisation()
        n3 = org.narratives[2]
        late = n3.approve(Team.MARKETING, "m1", at=t(20))
        org = attrs.evolve(org, narratives=(*org.narratives[:2], late))
        assert (Decimal("0.0000"), Decimal("0.3333")) == (
            alignment_index(org, MARCH, at=t(12)).component("narratives").value,
            alignment_index(org, MARCH).component("narratives").value,
        )

    def test_narratives_written_after_the_evaluation_time_are_left_out(self) -> None:
        """A narrative first drafted and agreed on 20 March is not counted as of 12 March."""
        org = organisation()
        new = (
            Narrative.draft(
                id="n4",
                persona_id="p1",
                audience="IT",
                problem="outages",
                trends=("cloud",),
                product="X",
                at=t(20),
            )
            .approve(Team.SALES, "s1", at=t(20))
            .approve(Team.MARKETING, "m1", at=t(20))
        )
        org = attrs.evolve(org, narratives=(*org.narratives, new))
        early, late = alignment_index(org, MARCH, at=t(12)), alignment_index(org, MARCH)
        assert (Decimal("0.3333"), Decimal("0.5000")) == (
            early.component("narratives").value,
            late.component("narratives").value,
        )
        assert ("1 of 3 narratives agreed and younger than 180 days",) == early.component(
            "narratives"
        ).evidence

    def test_a_version_written_after_the_evaluation_time_is_not_agreed(self) -> None:
        """n3 revised and re-agreed on 20 March counts, but not as agreed, as of 12 March."""
        org = organisation()
        revised = (
            org.narratives[2]
            .revise(at=t(20), reason="new pricing", product="X Pro")
            .approve(Team.SALES, "s1", at=t(20))
            .approve(Team.MARKETING, "m1", at=t(20))
        )
        org = attrs.evolve(org, narratives=(*org.narratives[:2], revised))
        assert (Decimal("0.0000"), Decimal("0.3333")) == (
            alignment_index(org, MARCH, at=t(12)).component("narratives").value,
            alignment_index(org, MARCH).component("narratives").value,
        )

    def test_a_tight_tolerance_matches_fewer_meetings(self) -> None:
        """With a two-hour tolerance the Wednesday meeting no longer counts: 2 of 5."""
        index = alignment_index(organisation(), MARCH, meeting_tolerance=timedelta(hours=2))
        assert Decimal("0.4000") == index.component("meetings_on_cadence").value

    def test_records_and_repr(self) -> None:
        """The index reads in one line and gives one record per component."""
        index = alignment_index(organisation(), MARCH)
        assert "AlignmentIndex(50.0/100, 9 of 10 components measured)" == repr(index)
        assert "AlignmentComponent(personas=0.5000, weight=1)" == repr(index.component("personas"))
        record = index.to_records()[3]
        assert ("lead_acceptance", Decimal("0.5000"), True, "1 of 2 decided MQLs accepted") == (
            record["component"],
            record["value"],
            record["measurable"],
            record["evidence"],
        )

    def test_unknown_component_lookup_is_refused(self) -> None:
        """Asking for a component that does not exist raises ValidationError."""
        with pytest.raises(ValidationError, match="no component 'vibes'"):
            alignment_index(organisation(), MARCH).component("vibes")

    @pytest.mark.parametrize(
        ("weights", "fragment"),
        [
            ({"vibes": 1}, "unknown component 'vibes'"),
            ({"personas": -1}, "finite and >= 0"),
            ({"personas": float("inf")}, "finite and >= 0"),
            ({"personas": True}, "must be a number"),
            ({"personas": "2"}, "must be a number"),
            ([("personas", 1)], "must be a mapping"),
        ],
    )
    def test_bad_weights_are_refused(self, weights: object, fragment: str) -> None:
        """Unknown components and negative or non-numeric weights raise ValidationError."""
        with pytest.raises(ValidationError, match=fragment):
            alignment_index(organisation(), MARCH, weights=weights)  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["narrative_max_age", "meeting_tolerance"])
    def test_non_positive_durations_are_refused(self, name: str) -> None:
        """A zero duration raises ValidationError naming the argument."""
        with pytest.raises(ValidationError, match=name):
            alignment_index(organisation(), MARCH, **{name: timedelta(0)})  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("args", "kwargs", "pattern"),
        [
            (("org", MARCH), {}, r"alignment_index org must be an Organisation, got 'org'"),
            ((None, "2026-03"), {}, r"alignment_index period must be a Period.*got '2026-03'"),
            ((None, None), {}, r"alignment_index period must be a Period.*got None"),
            (
                (None, MARCH),
                {"calendar": "x"},
                r"alignment_index calendar must be a WorkingCalendar or None, got 'x'",
            ),
        ],
    )
    def test_arguments_of_the_wrong_type_are_refused(
        self, args: tuple[object, object], kwargs: dict[str, object], pattern: str
    ) -> None:
        """An org, period or calendar of the wrong type raises ValidationError naming it and the value."""
        org = organisation() if args[0] is None else args[0]
        with pytest.raises(ValidationError, match=pattern):
            alignment_index(org, args[1], **kwargs)  # type: ignore[arg-type]

    def test_naive_time_is_refused(self) -> None:
        """A naive ``at`` raises NaiveDatetime."""
        with pytest.raises(NaiveDatetime):
            alignment_index(organisation(), MARCH, at=datetime(2026, 4, 1))

    def test_default_weights_are_read_only(self) -> None:
        """The default weights cannot be changed by accident."""
        with pytest.raises(TypeError):
            DEFAULT_WEIGHTS["personas"] = Decimal(5)  # type: ignore[index]

    @settings(max_examples=60, deadline=None)
    @given(
        sla_organisations(),
        st.dictionaries(st.sampled_from(COMPONENTS), st.integers(min_value=0, max_value=5)),
    )
    def test_index_stays_between_0_and_100(
        self, org: Organisation, weights: dict[str, int]
    ) -> None:
        """The index is None or within [0, 100], and the points add up to it."""
        index = alignment_index(org, Period.quarter(2026, 1), weights=weights)
        assert isinstance(index, AlignmentIndex)
        if index.score is not None:
            assert Decimal(0) <= index.score <= Decimal(100)
            points = sum(c.points for c in index.components if c.points is not None)
            assert abs(points - index.score) <= Decimal("0.06")
        for c in index.components:
            assert isinstance(c, AlignmentComponent)
            assert c.value is None or Decimal(0) <= c.value <= Decimal(1)


class TestNarrativeEvidence:
    def test_a_narrative_resting_on_unheard_themes_is_not_fresh(self) -> None:
        """n3 resting on 'mobile' (never heard) is stale: 0 of 3; resting on 'erp' it stays 1 of 3."""
        org = organisation()

        def resting_on(theme: str) -> Decimal | None:
            n3 = attrs.evolve(org.narratives[2], themes=(theme,))
            changed = attrs.evolve(org, narratives=(*org.narratives[:2], n3))
            return alignment_index(changed, MARCH).component("narratives").value

        assert (Decimal("0.0000"), Decimal("0.3333")) == (resting_on("mobile"), resting_on("erp"))


class TestHeldMeetings:
    def test_a_meeting_without_both_teams_is_not_held(self) -> None:
        """mt2 attended by sales alone no longer counts: 2 of 5, and the evidence says why."""
        org = organisation()
        alone = attrs.evolve(org.meetings[1], attendees=("s1",))
        org = attrs.evolve(org, meetings=(org.meetings[0], alone, *org.meetings[2:]))
        component = alignment_index(org, MARCH).component("meetings_on_cadence")
        assert (
            Decimal("0.4000"),
            (
                "2 of 5 scheduled meetings held",
                "1 meeting(s) without both teams present not counted",
            ),
        ) == (component.value, component.evidence)
