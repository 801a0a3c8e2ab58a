"""Tests for salesmark.meetings: the cadence, meetings, agenda items, decisions and action items."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from salesmark.cadence import MeetingCadence
from salesmark.errors import NaiveDatetime, UnknownReference, ValidationError
from salesmark.meetings import ActionItem, Agenda, AgendaItem, Decision, Meeting
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.teams import Member, Team

UTC = timezone.utc
TUESDAY = datetime(2026, 1, 6, 9, tzinfo=UTC)


def t(day: int, hour: int = 0, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


class TestMeetingCadence:
    def test_weekly_next_occurrences(self) -> None:
        """A weekly cadence gives the same weekday and time every week, strictly after the moment."""
        weekly = MeetingCadence.weekly(TUESDAY)
        assert (t(13, 9, month=1), t(20, 9, month=1)) == weekly.next_occurrences(TUESDAY, 2)

    def test_every_other_week_between(self) -> None:
        """A fortnightly cadence has three meetings in January 2026 from the 6th."""
        cadence = MeetingCadence.every_other_week(TUESDAY)
        assert (t(6, 9, month=1), t(20, 9, month=1)) == cadence.between(
            t(1, month=1), t(1, month=2)
        )[:2]

    @pytest.mark.parametrize("rule", ["FREQ=NEVER", "DTSTART:20260101\nFREQ=WEEKLY"])
    def test_bad_rules_are_refused(self, rule: str) -> None:
        """An invalid RRULE or one with its own DTSTART raises ValidationError."""
        with pytest.raises(ValidationError, match="rule"):
            MeetingCadence(start=TUESDAY, rule=rule)

    def test_negative_count_is_refused(self) -> None:
        """Asking for a negative number of meetings raises ValidationError."""
        with pytest.raises(ValidationError, match="n must be"):
            MeetingCadence.weekly(TUESDAY).next_occurrences(TUESDAY, -1)


class TestAgendaItem:
    def test_owner_must_be_a_team(self) -> None:
        """An owner that is not a Team raises ValidationError."""
        with pytest.raises(ValidationError, match="owner"):
            AgendaItem(title="x", owner="sales", minutes=5)  # type: ignore[arg-type]


class TestActionItem:
    def test_overdue_until_completed(self) -> None:
        """An open item past its due date is overdue; completing it clears that."""
        item = ActionItem(id="a1", description="Fix routing", owner_id="m1", due=t(10))
        assert (True, False) == (item.is_overdue(t(11)), item.completed().is_overdue(t(11)))


class TestMeeting:
    def test_agenda_minutes_add_up(self) -> None:
        """A meeting's agenda minutes are the sum of its items'."""
        items = (
            AgendaItem(title="a", owner=Team.SALES, minutes=5),
            AgendaItem(title="b", owner=Team.MARKETING, minutes=7),
        )
        assert 12 == Meeting(id="m", at=TUESDAY, agenda=items).agenda_minutes


MEMBERS = (
    Member(id="s1", name="Sam", team=Team.SALES),
    Member(id="s2", name="Sue", team=Team.SALES),
    Member(id="m1", name="Mia", team=Team.MARKETING),
)


def action(ident: str = "a1", due: datetime | None = None) -> ActionItem:
    return ActionItem(id=ident, description="Fix routing", owner_id="m1", due=due or t(10))


class TestAgendaItemKey:
    def test_key_defaults_to_the_title(self) -> None:
        """Without a key, an item is recognised by its title; with one, by the key."""
        plain = AgendaItem(title="SLA review", owner=Team.SALES, minutes=5)
        keyed = AgendaItem(title="SLA: 3 breaches", owner=Team.SALES, minutes=5, key="sla_sales")
        assert ("SLA review", "sla_sales") == (plain.key, keyed.key)

    @pytest.mark.parametrize(
        ("field", "value"), [("deferrals", -1), ("deferrals", True), ("escalated", "yes")]
    )
    def test_follow_through_fields_are_checked(self, field: str, value: object) -> None:
        """Deferrals are a whole number and escalated a bool."""
        with pytest.raises(ValidationError, match=field):
            AgendaItem(title="x", owner=Team.SALES, minutes=1, **{field: value})  # type: ignore[arg-type]


class TestActionItemFollowThrough:
    def test_open_until_its_completion_time(self) -> None:
        """An item completed on 12 March is open on the 11th and closed on the 12th."""
        done = action().completed(t(12))
        assert {"11th": True, "12th": False} == {
            "11th": done.is_open(t(11)),
            "12th": done.is_open(t(12)),
        }

    @pytest.mark.parametrize(
        ("completed", "at", "expected"),
        [
            (t(9), t(31), True),  # closed a day before its due date
            (t(10), t(31), True),  # closed on its due date
            (t(12), t(31), False),  # closed two days late
            (t(12), t(11), False),  # still open on the 11th, past its due date
            (None, t(9), None),  # open, not yet due: not judged
            (t(9), t(8), None),  # closed later than the evaluation time, not yet due
        ],
    )
    def test_closed_on_time(
        self, completed: datetime | None, at: datetime, expected: bool | None
    ) -> None:
        """Timeliness is judged as of a moment: on time, late (or overdue), or not yet known."""
        item = action() if completed is None else action().completed(completed)
        assert expected == item.closed_on_time(at)

    def test_done_without_a_time_cannot_be_judged(self) -> None:
        """An item marked done with no completion time is closed, but its timeliness is unknown."""
        item = action().completed()
        assert (False, None) == (item.is_open(t(1)), item.closed_on_time(t(31)))

    def test_a_completion_time_needs_done(self) -> None:
        """A completion time on an item not marked done is refused."""
        with pytest.raises(ValidationError, match="completed_at"):
            ActionItem(id="a1", description="x", owner_id="m1", due=t(10), completed_at=t(9))

    def test_an_id_is_required(self) -> None:
        """Every action item carries an id, so it can be followed from agenda to agenda."""
        with pytest.raises(TypeError, match="id"):
            ActionItem(description="x", owner_id="m1", due=t(10))  # type: ignore[call-arg]


class TestDecision:
    def test_due_for_review_until_reviewed(self) -> None:
        """A decision is due for review from its due date until a review."""
        decision = Decision(id="d1", description="Route Benelux to Ben", owner_id="s1", due=t(17))
        reviewed = decision.reviewed(at=t(20))
        assert {"before": False, "due": True, "reviewed": False, "before review": True} == {
            "before": decision.is_due_for_review(t(16)),
            "due": decision.is_due_for_review(t(17)),
            "reviewed": reviewed.is_due_for_review(t(21)),
            "before review": reviewed.is_due_for_review(t(19)),
        }

    def test_naive_due_is_refused(self) -> None:
        """A decision's due date must be timezone-aware."""
        with pytest.raises(NaiveDatetime):
            Decision(id="d1", description="x", owner_id="s1", due=datetime(2026, 3, 17))


class TestMeetingOutcome:
    def test_attendance_by_team(self) -> None:
        """Attendees are grouped by their team; ids that are not members are left out."""
        meeting = Meeting(id="m", at=t(3), attendees=("m1", "s2", "s1", "x9"))
        assert {Team.SALES: ("s1", "s2"), Team.MARKETING: ("m1",)} == dict(
            meeting.attendance(MEMBERS)
        )

    @pytest.mark.parametrize(
        ("attendees", "held"),
        [((), False), (("s1", "s2"), False), (("m1",), False), (("s1", "m1"), True)],
    )
    def test_held_only_with_both_teams(self, attendees: tuple[str, ...], held: bool) -> None:
        """A meeting counts as held only when sales and marketing were both there."""
        assert held == Meeting(id="m", at=t(3), attendees=attendees).is_held(MEMBERS)

    def test_hold_records_the_outcome(self) -> None:
        """Holding a planned meeting records attendance, decisions, actions and what it missed."""
        items = (
            AgendaItem(title="SLA", owner=Team.SALES, minutes=5, key="sla"),
            AgendaItem(title="KPIs", owner=Team.MARKETING, minutes=5, key="kpis"),
        )
        planned = Meeting(id="m", at=t(3), agenda=items)
        decision = Decision(id="d1", description="x", owner_id="s1", due=t(17), agenda_key="sla")
        held = planned.hold(
            attendees=("s1", "m1"),
            decisions=(decision,),
            actions=(action(),),
            not_reached=("kpis",),
        )
        assert {
            "agenda": ("sla",),
            "deferred": ("kpis",),
            "decisions": ("d1",),
            "actions": ("a1",),
            "held": True,
        } == {
            "agenda": tuple(i.key for i in held.agenda),
            "deferred": tuple(i.key for i in held.deferred),
            "decisions": tuple(d.id for d in held.decisions),
            "actions": tuple(a.id for a in held.actions),
            "held": held.is_held(MEMBERS),
        }

    def test_not_reached_must_be_on_the_agenda(self) -> None:
        """A key the agenda does not hold cannot be marked as not reached."""
        with pytest.raises(ValidationError, match="not_reached names \\['vibes'\\]"):
            Meeting(id="m", at=t(3)).hold(attendees=("s1",), not_reached=("vibes",))

    def test_a_decision_settles_an_item_of_its_agenda(self) -> None:
        """A decision naming an agenda key the meeting does not hold is refused."""
        decision = Decision(id="d1", description="x", owner_id="s1", due=t(17), agenda_key="sla")
        with pytest.raises(ValidationError, match="agenda_key names 'sla'"):
            Meeting(id="m", at=t(3), decisions=(decision,))

    def test_ids_do_not_repeat_in_a_meeting(self) -> None:
        """Two actions with one id in a meeting are refused."""
        with pytest.raises(ValidationError, match="repeats id 'a1'"):
            Meeting(id="m", at=t(3), actions=(action(), action()))

    def test_complete_and_review_by_id(self) -> None:
        """An action is completed and a decision reviewed through the meeting that agreed them."""
        decision = Decision(id="d1", description="x", owner_id="s1", due=t(17))
        meeting = Meeting(id="m", at=t(3), actions=(action(),), decisions=(decision,))
        later = meeting.complete_action("a1", at=t(9)).review_decision("d1", at=t(17))
        assert (t(9), t(17)) == (later.actions[0].completed_at, later.decisions[0].reviewed_at)

    @pytest.mark.parametrize("method", ["complete_action", "review_decision"])
    def test_unknown_ids_are_refused(self, method: str) -> None:
        """Completing or reviewing something the meeting did not agree raises UnknownReference."""
        with pytest.raises(UnknownReference, match="x9"):
            getattr(Meeting(id="m", at=t(3)), method)("x9", at=t(9))


class TestAgendaAsMeeting:
    def test_deferred_items_are_recorded(self) -> None:
        """A planned meeting keeps the agenda's deferred items, so the next agenda knows them."""
        march = Period.month(2026, 3)
        fitted = AgendaItem(title="a", owner=Team.SALES, minutes=5)
        put_off = AgendaItem(title="b", owner=Team.SALES, minutes=50)
        agenda = Agenda(
            period=march,
            at=march.end,
            duration=timedelta(minutes=30),
            items=(fitted,),
            deferred=(put_off,),
            next_meetings=(),
        )
        meeting = agenda.as_meeting("m", t(7, month=4))
        assert ((fitted,), (put_off,)) == (meeting.agenda, meeting.deferred)


class TestOrganisationMeetingReferences:
    def _org(self, *meetings: Meeting) -> Organisation:
        return Organisation(name="Acme", currency="EUR", members=MEMBERS, meetings=meetings)

    def test_a_decision_owner_must_be_a_member(self) -> None:
        """A decision owned by someone the organisation does not know is refused."""
        decision = Decision(id="d1", description="x", owner_id="x9", due=t(17))
        with pytest.raises(UnknownReference, match=r"meetings\[0\].decisions\[0\].owner_id"):
            self._org(Meeting(id="m", at=t(3), decisions=(decision,)))

    def test_action_ids_are_unique_across_meetings(self) -> None:
        """An action id used at two meetings is refused, naming both places."""
        with pytest.raises(
            ValidationError,
            match=r"meetings\[1\].actions\[0\] repeats id 'a1' of meetings\[0\].actions\[0\]",
        ):
            self._org(
                Meeting(id="m1", at=t(3), actions=(action(),)),
                Meeting(id="m2", at=t(10), actions=(action(),)),
            )

    def test_an_action_carries_out_a_known_decision(self) -> None:
        """An action naming a decision no meeting took is refused; one of an earlier meeting is fine."""
        decision = Decision(id="d1", description="x", owner_id="s1", due=t(17))
        follow = attrs.evolve(action(), decision_id="d1")
        org = self._org(
            Meeting(id="m1", at=t(3), decisions=(decision,)),
            Meeting(id="m2", at=t(10), actions=(follow,)),
        )
        assert "d1" == org.meetings[1].actions[0].decision_id
        with pytest.raises(UnknownReference, match="unknown decision 'd9'"):
            self._org(Meeting(id="m", at=t(3), actions=(attrs.evolve(action(), decision_id="d9"),)))
