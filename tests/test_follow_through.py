"""Tests for salesmark.follow_through and the agenda's follow-through: three meetings walked.

The company meets on Tuesdays at 09:00 in March 2026 with an 8-minute time box. Its
data always raises three topics (a narrative awaiting both approvals, a persona due
for review, an asset sales never used), ranked ``weight x (1 + severity)``:

==================  ======  ========  ========  =====
topic               weight  severity  priority  min
==================  ======  ========  ========  =====
narratives          2       1 of 1    4.0       4
persona_review      1.5     1 of 1    3.0       3
unused_content      1       1 of 1    2.0       3
==================  ======  ========  ========  =====

* **3 March** (mt1, Sam and Mia): narratives (4) and personas (3) fill 7 minutes;
  content (3) is deferred. The meeting decides D1 on the narrative (due 17 March) and
  agrees A1 and A2 (due 6 March) and A3 (due 13 March).
  A1 is closed on 5 March (on time), A2 on 12 March (late), A3 on 20 March (late).
* **10 March** (mt2): the agenda opens with A2 (overdue: 4 x 2 = 8.0) and A3 (not
  yet due: 4.0), a minute each; content, deferred once, rotates ahead of the rest
  (5 minutes so far); narratives (4) no longer fit and are deferred; personas (3)
  fill the box.
* **17 March** (mt3): A3 is still open and on its second agenda: escalated, first;
  D1 is due for review (3.0, 2 minutes); narratives, deferred at mt2, rotate ahead
  (7 minutes); personas and content are deferred. The meeting reviews D1 and does not
  reach the narratives.
* **24 March**: narratives were deferred at mt2 and mt3: escalated, first among the topics.

Follow-through for March as of 31 March: A1 on time, A2 and A3 late: 1 of 3.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings

from salesmark.agenda import build_agenda
from salesmark.alignment import COMPONENTS, alignment_index
from salesmark.cadence import MeetingCadence
from salesmark.content import BuyingStage, ContentAsset, ContentKind
from salesmark.errors import ValidationError
from salesmark.follow_through import (
    ActionState,
    FollowThrough,
    action_follow_through,
    decisions_due,
    open_actions,
    times_deferred,
)
from salesmark.meetings import ActionItem, Agenda, Decision, Meeting
from salesmark.narratives import Narrative
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.personas import Persona
from salesmark.teams import Member, Team
from strategies import loop_organisations

UTC = timezone.utc
MARCH = Period.month(2026, 3)
BOX = timedelta(minutes=8)


def t(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def company() -> Organisation:
    story = Narrative.draft(
        id="n1",
        persona_id="p1",
        audience="Ops",
        problem="delays",
        trends=("speed",),
        product="X",
        at=t(1),
    )
    return Organisation(
        name="Acme",
        currency="EUR",
        members=(
            Member(id="s1", name="Sam", team=Team.SALES),
            Member(id="s2", name="Sue", team=Team.SALES),
            Member(id="m1", name="Mia", team=Team.MARKETING),
        ),
        personas=(Persona(id="p1", name="Ops", review_due=t(1)),),
        narratives=(story,),
        content=(
            ContentAsset(
                id="a1",
                title="ERP guide",
                kind=ContentKind.EBOOK,
                stage=BuyingStage.DECISION,
                owner_id="m1",
            ),
        ),
        cadence=MeetingCadence.weekly(t(3)),
    )


def keys(agenda: Agenda) -> tuple[list[str], list[str]]:
    return [i.key for i in agenda.items], [i.key for i in agenda.deferred]


class Walk:
    """The three meetings of March, each held from the agenda built for it."""

    def __init__(self) -> None:
        org = company()
        self.agenda1 = build_agenda(org, MARCH, BOX, at=t(3))
        mt1 = self.agenda1.as_meeting("mt1", t(3)).hold(
            attendees=("s1", "m1"),
            decisions=(
                Decision(
                    id="D1",
                    description="Sales approves the narrative",
                    owner_id="s1",
                    due=t(17),
                    agenda_key="narratives",
                ),
            ),
            actions=(
                ActionItem(id="A1", description="Send the draft", owner_id="m1", due=t(6)),
                ActionItem(id="A2", description="Collect wins", owner_id="s1", due=t(6)),
                ActionItem(id="A3", description="Rewrite the guide", owner_id="m1", due=t(13)),
            ),
        )
        mt1 = mt1.complete_action("A1", at=t(5)).complete_action("A2", at=t(12))
        self.mt1 = mt1.complete_action("A3", at=t(20))
        org = attrs.evolve(org, meetings=(self.mt1,))
        self.agenda2 = build_agenda(org, MARCH, BOX, at=t(10))
        self.mt2 = self.agenda2.as_meeting("mt2", t(10)).hold(attendees=("s1", "s2", "m1"))
        org = attrs.evolve(org, meetings=(self.mt1, self.mt2))
        self.agenda3 = build_agenda(org, MARCH, BOX, at=t(17))
        mt3 = self.agenda3.as_meeting("mt3", t(17)).hold(
            attendees=("s1", "m1"), not_reached=("narratives",)
        )
        self.mt3 = mt3
        mt1_reviewed = self.mt1.review_decision("D1", at=t(17, 10))
        only_sales = Meeting(id="mt4", at=t(24), attendees=("s1", "s2"))
        self.org = attrs.evolve(org, meetings=(mt1_reviewed, self.mt2, self.mt3, only_sales))
        self.agenda4 = build_agenda(self.org, MARCH, BOX, at=t(24))


@pytest.fixture(scope="module")
def walk() -> Walk:
    return Walk()


class TestThreeMeetings:
    def test_first_agenda_defers_what_does_not_fit(self, walk: Walk) -> None:
        """On 3 March narratives and personas fill 7 of 8 minutes and content is deferred."""
        assert (["narratives", "persona_review"], ["unused_content"]) == keys(walk.agenda1)

    def test_second_agenda_carries_the_open_actions_first(self, walk: Walk) -> None:
        """On 10 March A2 (overdue) and A3 lead, content rotates ahead and narratives are deferred."""
        assert (
            ["action:A2", "action:A3", "unused_content", "persona_review"],
            ["narratives"],
        ) == keys(walk.agenda2)
        a2, a3 = walk.agenda2.items[:2]
        assert {
            "A2": ("Action A2: Collect wins", Team.SALES, 1, 8.0, False),
            "A3": ("Action A3: Rewrite the guide", Team.MARKETING, 1, 4.0, False),
        } == {
            "A2": (a2.title, a2.owner, a2.minutes, a2.priority, a2.escalated),
            "A3": (a3.title, a3.owner, a3.minutes, a3.priority, a3.escalated),
        }
        assert (
            "agreed at mt1 on 2026-03-03; owner s1",
            "overdue since 2026-03-06",
        ) == a2.evidence

    def test_the_deferred_topic_rotates_ahead(self, walk: Walk) -> None:
        """Content, deferred once at mt1, goes before narratives (priority 4.0) on 10 March."""
        content = walk.agenda2.items[2]
        assert (2.0, 1, False) == (content.priority, content.deferrals, content.escalated)

    def test_an_action_carried_twice_is_escalated(self, walk: Walk) -> None:
        """On 17 March A3, still open after mt2, is on its second agenda: escalated and first."""
        assert (
            ["action:A3", "decision:D1", "narratives"],
            ["persona_review", "unused_content"],
        ) == (keys(walk.agenda3))
        a3 = walk.agenda3.items[0]
        assert {
            "title": "Escalated: Action A3: Rewrite the guide",
            "escalated": True,
            "deferrals": 1,
            "evidence": (
                "agreed at mt1 on 2026-03-03; owner m1",
                "overdue since 2026-03-13",
                "still open after 1 later meeting(s)",
            ),
        } == {
            "title": a3.title,
            "escalated": a3.escalated,
            "deferrals": a3.deferrals,
            "evidence": a3.evidence,
        }

    def test_a_decision_due_for_review_is_carried(self, walk: Walk) -> None:
        """D1, due on 17 March, is on that day's agenda after the escalated action."""
        d1 = walk.agenda3.items[1]
        assert ("Review decision D1: Sales approves the narrative", 2, 3.0) == (
            d1.title,
            d1.minutes,
            d1.priority,
        )
        assert "settled agenda item narratives" in d1.evidence

    def test_a_topic_deferred_twice_is_escalated(self, walk: Walk) -> None:
        """Narratives, deferred at mt2 and not reached at mt3, lead the 24 March agenda, escalated."""
        first = walk.agenda4.items[0]
        assert ("narratives", "Escalated: Narratives: 1 awaiting approval or stale", 2, True) == (
            first.key,
            first.title,
            first.deferrals,
            first.escalated,
        )
        assert (["narratives", "persona_review"], ["unused_content"]) == keys(walk.agenda4)

    def test_closed_and_reviewed_items_are_not_carried(self, walk: Walk) -> None:
        """By 24 March every action is closed and D1 reviewed: nothing is carried."""
        assert ((), ()) == (open_actions(walk.org, t(24)), decisions_due(walk.org, t(24)))

    def test_follow_through_by_hand(self, walk: Walk) -> None:
        """As of 31 March: A1 closed on 5 March for the 6th; A2 on the 12th for the 6th and A3 on the 20th for the 13th are late: 1 of 3."""
        report = action_follow_through(walk.org, MARCH)
        assert {
            "A1": ActionState.CLOSED_ON_TIME,
            "A2": ActionState.CLOSED_LATE,
            "A3": ActionState.CLOSED_LATE,
        } == {a.action.id: a.state for a in report.actions}
        assert (Decimal("0.3333"), 3) == (report.rate, report.judged)
        assert "FollowThrough(3 actions due: 1 on time, 2 late, 0 overdue; rate 33.3%)" == repr(
            report
        )

    def test_follow_through_as_of_a_moment(self, walk: Walk) -> None:
        """As of 11 March, A1 is on time, A2 overdue and A3 not yet due: 1 of 2."""
        report = action_follow_through(walk.org, MARCH, at=t(11))
        assert ({"A1": ActionState.CLOSED_ON_TIME, "A2": ActionState.OVERDUE}, Decimal("0.5")) == (
            {a.action.id: a.state for a in report.actions},
            report.rate,
        )

    def test_alignment_component_by_hand(self, walk: Walk) -> None:
        """The follow-through component is 1/3; with meetings held 3 of 5 Tuesdays, the two average 46.7."""
        weights = dict.fromkeys(COMPONENTS, 0)
        weights.update(meetings_on_cadence=1, action_follow_through=1)
        index = alignment_index(walk.org, MARCH, weights=weights)
        follow = index.component("action_follow_through")
        # value 1 on time / 3 judged = 0.3333; points 100 x (1 / 2) x 1/3 = 16.6667
        assert {
            "value": Decimal("0.3333"),
            "points": Decimal("16.6667"),
            "evidence": (
                "1 of 3 action items due in the period closed by their due date",
                "2 closed late, 0 still open",
            ),
        } == {"value": follow.value, "points": follow.points, "evidence": follow.evidence}
        meetings = index.component("meetings_on_cadence")
        # Tuesdays 3, 10, 17, 24 and 31 March; mt1-mt3 held, mt4 had no marketing: 3 of 5
        assert (
            Decimal("0.6000"),
            (
                "3 of 5 scheduled meetings held",
                "1 meeting(s) without both teams present not counted",
            ),
        ) == (meetings.value, meetings.evidence)
        # 100 x (3/5 + 1/3) / 2 = 100 x 14/30 = 46.666... -> 46.7
        assert Decimal("46.7") == index.score


class TestTimesDeferred:
    def test_counts_since_the_topic_was_last_covered(self, walk: Walk) -> None:
        """Content was deferred at mt1, covered at mt2 and deferred at mt3: once, as of 24 March."""
        assert (1, 1, 2, 0) == (
            times_deferred(walk.org, "unused_content", at=t(24)),
            times_deferred(walk.org, "unused_content", at=t(10)),
            times_deferred(walk.org, "narratives", at=t(24)),
            times_deferred(walk.org, "narratives", at=t(10)),
        )


class TestEscalateAfter:
    def test_one_escalates_at_once(self, walk: Walk) -> None:
        """With escalate_after=1 every open action is escalated on its first agenda."""
        org = attrs.evolve(walk.org, meetings=(walk.mt1,))
        assert [True, True] == [a.escalated for a in open_actions(org, t(10), escalate_after=1)]

    @pytest.mark.parametrize("value", [0, -1, True])
    def test_below_one_is_refused(self, walk: Walk, value: object) -> None:
        """An escalation threshold below 1 (or a bool) raises ValidationError."""
        with pytest.raises(ValidationError, match="escalate_after"):
            build_agenda(walk.org, MARCH, escalate_after=value)  # type: ignore[arg-type]


class TestFollowThrough:
    def test_undated_completions_are_left_out(self) -> None:
        """An action done without a completion time is listed but not judged."""
        org = company()
        done = ActionItem(id="A1", description="x", owner_id="m1", due=t(6)).completed()
        org = attrs.evolve(org, meetings=(Meeting(id="mt1", at=t(3), actions=(done,)),))
        report = action_follow_through(org, MARCH)
        assert (1, 0, None) == (
            report.count(ActionState.CLOSED_UNDATED),
            report.judged,
            report.rate,
        )
        component = alignment_index(org, MARCH).component("action_follow_through")
        assert (
            None,
            (
                "no action item due in the period could be judged",
                "1 done without a completion time left out",
            ),
        ) == (component.value, component.evidence)

    def test_records(self, walk: Walk) -> None:
        """One record per action due, with its state and completion time."""
        records = action_follow_through(walk.org, MARCH).to_records()
        assert {"action_id": "A2", "state": "closed_late", "carried": 1} == {
            k: records[1][k] for k in ("action_id", "state", "carried")
        }

    def test_actions_of_later_meetings_are_unknown(self, walk: Walk) -> None:
        """As of 2 March no meeting had taken place: nothing is due."""
        assert () == action_follow_through(walk.org, MARCH, at=t(2)).actions

    def test_organisation_type_is_checked(self) -> None:
        """Something else than an organisation raises ValidationError naming the argument."""
        with pytest.raises(ValidationError, match="action_follow_through org"):
            action_follow_through("Acme", MARCH)  # type: ignore[arg-type]

    @settings(max_examples=40, deadline=None)
    @given(loop_organisations())
    def test_rate_and_states(self, org: Organisation) -> None:
        """The rate is a share of the judged actions, and every action is due in the period."""
        report = action_follow_through(org, Period.quarter(2026, 1))
        assert isinstance(report, FollowThrough)
        assert report.rate is None or Decimal(0) <= report.rate <= Decimal(1)
        assert all(Period.quarter(2026, 1).contains(a.action.due) for a in report.actions)


class TestAgendaFollowUpFirst:
    @settings(max_examples=40, deadline=None)
    @given(loop_organisations())
    def test_follow_up_items_lead(self, org: Organisation) -> None:
        """Open actions and decisions due come before every topic, and the box is kept."""
        agenda = build_agenda(org, Period.quarter(2026, 1), timedelta(minutes=20))
        follow = [i.key.startswith(("action:", "decision:")) for i in agenda.items]
        assert follow == sorted(follow, reverse=True)
        assert agenda.minutes_used <= 20
        carried = {i.key for i in (*agenda.items, *agenda.deferred)}
        expected = {f"action:{a.action.id}" for a in open_actions(org, agenda.at)}
        assert expected <= carried
