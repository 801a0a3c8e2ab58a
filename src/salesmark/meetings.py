"""Meetings: a regular, short, data-driven huddle of both teams, and what it settles.

A :class:`~salesmark.cadence.MeetingCadence` says when the meeting recurs; a
:class:`Meeting` records one occurrence: who
attended, the agenda it covered and the items it deferred, the :class:`Decision` s it
took and the :class:`ActionItem` s it agreed. An :class:`Agenda` is a proposed agenda,
which :func:`salesmark.agenda.build_agenda` draws from the organisation's data, open
actions and decisions due for review first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark._records import records, row
from salesmark._result_fields import lenient_tuple as _tuple
from salesmark._time import instant, require_aware
from salesmark.errors import UnknownReference, ValidationError
from salesmark.period import Period
from salesmark.teams import DEFAULT_TEAMS, Member, Team, TeamDefinition, sides_of

__all__ = [
    "BOTH_TEAMS",
    "ActionItem",
    "Agenda",
    "AgendaItem",
    "Decision",
    "Meeting",
]

BOTH_TEAMS: Final[frozenset[Team]] = frozenset({Team.SALES, Team.MARKETING})
"""The sides that must both be present for a meeting to count as held."""


def _title_key(item: AgendaItem) -> str:
    return item.title


_TEXTS: Final = rf.tuple_of(str)


@attrs.frozen(kw_only=True)
class AgendaItem:
    """One topic on a meeting's agenda, with the data that puts it there.

    Attributes:
        title: The topic.
        owner: The team that presents it.
        minutes: Time allotted.
        evidence: The facts behind it (e.g. "3 of 20 MQLs accepted in week 12").
        priority: Higher comes first.
        key: What the topic is, whatever its title says this time (``"kpi:win_rate"``,
            ``"action:a-7"``); a deferred topic is recognised at the next meeting by its
            key. The title by default.
        deferrals: How many earlier meetings passed the topic over: deferred it, or
            (for an action or a decision) left it open.
        escalated: Whether it was passed over so often that it now leads the agenda.

    Example:
        >>> AgendaItem(title="SLA review", owner=Team.SALES, minutes=5).key
        'SLA review'
    """

    title: str = attrs.field(validator=v.non_empty_text)
    owner: Team = attrs.field(validator=v.member_of(Team))
    minutes: int = attrs.field(validator=v.non_negative_int)
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_TEXTS)
    priority: float = attrs.field(default=0.0, validator=rf.number())
    key: str = attrs.field(
        default=attrs.Factory(_title_key, takes_self=True), validator=v.non_empty_text
    )
    deferrals: int = attrs.field(default=0, validator=v.whole())
    escalated: bool = attrs.field(default=False, validator=v.instance_of(bool))


@attrs.frozen(kw_only=True)
class ActionItem:
    """Something a member agreed to do by a date.

    Attributes:
        id: Unique identifier (across the organisation's meetings), so the action can
            be followed from agenda to agenda until it is closed.
        description: What is to be done.
        owner_id: Who does it.
        due: By when (timezone-aware).
        done: Whether it is done.
        completed_at: When it was done, if known; follow-through (closed by the due
            date or late) can only be judged with it.
        decision_id: The decision it carries out, if any.

    Raises:
        ValidationError: If ``completed_at`` is set on an item not marked done.

    Example:
        >>> from datetime import datetime, timezone
        >>> item = ActionItem(id="a1", description="Fix routing", owner_id="m1",
        ...                   due=datetime(2026, 3, 10, tzinfo=timezone.utc))
        >>> late = item.completed(at=datetime(2026, 3, 12, tzinfo=timezone.utc))
        >>> late.done, late.closed_on_time(datetime(2026, 3, 31, tzinfo=timezone.utc))
        (True, False)
    """

    id: str = attrs.field(validator=v.non_empty_text)
    description: str = attrs.field(validator=v.non_empty_text)
    owner_id: str = attrs.field(validator=v.non_empty_text)
    due: datetime = attrs.field(validator=v.aware)
    done: bool = attrs.field(default=False, validator=v.instance_of(bool))
    completed_at: datetime | None = attrs.field(default=None, validator=v.optional_aware)
    decision_id: str | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.completed_at is not None and not self.done:
            msg = (
                f"ActionItem {self.id!r} has completed_at={self.completed_at.isoformat()} "
                "but done=False; an item with a completion time must be done"
            )
            raise ValidationError(msg)

    def is_open(self, at: datetime) -> bool:
        """Whether the item is still to be done at ``at``.

        An item done without a completion time counts as closed at any time.

        Example:
            >>> from datetime import datetime, timezone
            >>> due = datetime(2026, 3, 10, tzinfo=timezone.utc)
            >>> item = ActionItem(id="a1", description="Fix routing", owner_id="m1", due=due)
            >>> item.is_open(due), item.completed(at=due).is_open(due), item.completed().is_open(due)
            (True, False, False)
        """
        require_aware(at, "ActionItem.is_open at")
        if not self.done:
            return True
        return self.completed_at is not None and instant(self.completed_at) > instant(at)

    def is_overdue(self, at: datetime) -> bool:
        """Whether the item is open at ``at`` and its due date has passed.

        Example:
            >>> from datetime import datetime, timezone
            >>> item = ActionItem(id="a1", description="Fix routing", owner_id="m1",
            ...                   due=datetime(2026, 3, 10, tzinfo=timezone.utc))
            >>> item.is_overdue(datetime(2026, 3, 11, tzinfo=timezone.utc))
            True
        """
        require_aware(at, "ActionItem.is_overdue at")
        return self.is_open(at) and instant(at) > instant(self.due)

    def closed_on_time(self, at: datetime) -> bool | None:
        """Whether, as of ``at``, the item was closed by its due date.

        ``True`` when it was completed by its due date; ``False`` when it was completed
        after it, or is still open with the due date passed; ``None`` when it cannot be
        judged yet (open and not yet due) or at all (done without a completion time).

        Example:
            >>> from datetime import datetime, timezone
            >>> due = datetime(2026, 3, 10, tzinfo=timezone.utc)
            >>> item = ActionItem(id="a1", description="Fix routing", owner_id="m1", due=due)
            >>> item.closed_on_time(due), item.completed(at=due).closed_on_time(due)
            (None, True)
        """
        require_aware(at, "ActionItem.closed_on_time at")
        if self.done and self.completed_at is None:
            return None
        if self.completed_at is not None and instant(self.completed_at) <= instant(at):
            return instant(self.completed_at) <= instant(self.due)
        return False if instant(at) > instant(self.due) else None

    def completed(self, at: datetime | None = None) -> ActionItem:
        """Return the item marked done, at ``at`` if the time is known.

        Example:
            >>> from datetime import datetime, timezone
            >>> due = datetime(2026, 3, 10, tzinfo=timezone.utc)
            >>> ActionItem(id="a1", description="Fix routing", owner_id="m1", due=due).completed().done
            True
        """
        if at is not None:
            require_aware(at, "ActionItem.completed at")
        return attrs.evolve(self, done=True, completed_at=at)


@attrs.frozen(kw_only=True)
class Decision:
    """Something a meeting decided, who sees it through, and when to look at it again.

    Attributes:
        id: Unique identifier (across the organisation's meetings).
        description: What was decided.
        owner_id: The member who sees it through.
        due: When it is to be in effect; from then on it is due for review.
        agenda_key: The :attr:`AgendaItem.key` of the agenda item it settles, if any.
        reviewed_at: When a later meeting reviewed it, if one has.

    Example:
        >>> from datetime import datetime, timezone
        >>> due = datetime(2026, 4, 1, tzinfo=timezone.utc)
        >>> d = Decision(id="d1", description="Route Benelux MQLs to Ben", owner_id="s1", due=due)
        >>> d.is_due_for_review(due), d.reviewed(at=due).is_due_for_review(due)
        (True, False)
    """

    id: str = attrs.field(validator=v.non_empty_text)
    description: str = attrs.field(validator=v.non_empty_text)
    owner_id: str = attrs.field(validator=v.non_empty_text)
    due: datetime = attrs.field(validator=v.aware)
    agenda_key: str | None = attrs.field(default=None, validator=v.optional_text)
    reviewed_at: datetime | None = attrs.field(default=None, validator=v.optional_aware)

    def is_due_for_review(self, at: datetime) -> bool:
        """Whether, at ``at``, the due date has been reached and no review has taken place.

        Example:
            >>> from datetime import datetime, timezone
            >>> due = datetime(2026, 4, 1, tzinfo=timezone.utc)
            >>> Decision(id="d1", description="x", owner_id="s1", due=due).is_due_for_review(datetime(2026, 3, 1, tzinfo=timezone.utc))
            False
        """
        require_aware(at, "Decision.is_due_for_review at")
        reviewed = self.reviewed_at is not None and instant(self.reviewed_at) <= instant(at)
        return instant(at) >= instant(self.due) and not reviewed

    def reviewed(self, *, at: datetime) -> Decision:
        """Return the decision reviewed at ``at``.

        Example:
            >>> from datetime import datetime, timezone
            >>> due = datetime(2026, 4, 1, tzinfo=timezone.utc)
            >>> Decision(id="d1", description="x", owner_id="s1", due=due).reviewed(at=due).reviewed_at == due
            True
        """
        require_aware(at, "Decision.reviewed at")
        return attrs.evolve(self, reviewed_at=at)


def _unique(ids: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for position, ident in enumerate(ids):
        if ident in seen:
            msg = f"{where}[{position}] repeats id {ident!r}"
            raise ValidationError(msg)
        seen.add(ident)


@attrs.frozen(kw_only=True)
class Meeting:
    """One joint meeting: planned, or held with its attendance and outcome.

    A planned meeting (from :meth:`Agenda.as_meeting`) has an agenda and no
    attendees; :meth:`hold` records who came, what was decided and agreed, and which
    items were not reached. The meeting counts as held only when both teams were
    present (:meth:`is_held`).

    Attributes:
        id: Unique identifier.
        at: When it starts (timezone-aware).
        duration: How long it lasts.
        attendees: The member ids present.
        agenda: The topics covered (planned, until the meeting is held), in order.
        actions: The action items agreed.
        deferred: The topics put off to a later meeting: those the time box could not
            hold and those the meeting did not reach.
        decisions: The decisions taken.

    Raises:
        ValidationError: If an action or decision id repeats, or a decision names an
            agenda key the meeting does not hold.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark.teams import Member
        >>> at = datetime(2026, 4, 7, 9, tzinfo=timezone.utc)
        >>> members = (Member(id="s1", name="Sam", team=Team.SALES), Member(id="m1", name="Mia", team=Team.MARKETING))
        >>> planned = Meeting(id="m-1", at=at, agenda=(AgendaItem(title="SLA review", owner=Team.SALES, minutes=5),))
        >>> planned.is_held(members), planned.hold(attendees=("s1", "m1")).is_held(members)
        (False, True)
    """

    id: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware)
    duration: timedelta = attrs.field(default=timedelta(minutes=30), validator=v.positive_duration)
    attendees: tuple[str, ...] = attrs.field(default=(), converter=v.tuple_field)
    agenda: tuple[AgendaItem, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(AgendaItem)
    )
    actions: tuple[ActionItem, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(ActionItem)
    )
    deferred: tuple[AgendaItem, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(AgendaItem)
    )
    decisions: tuple[Decision, ...] = attrs.field(
        default=(), converter=v.tuple_field, validator=v.items_of(Decision)
    )

    def __attrs_post_init__(self) -> None:
        _unique((a.id for a in self.actions), f"Meeting {self.id!r} actions")
        _unique((d.id for d in self.decisions), f"Meeting {self.id!r} decisions")
        keys = {i.key for i in (*self.agenda, *self.deferred)}
        for position, decision in enumerate(self.decisions):
            if decision.agenda_key is not None and decision.agenda_key not in keys:
                msg = (
                    f"Meeting {self.id!r} decisions[{position}].agenda_key names "
                    f"{decision.agenda_key!r}, which is not on its agenda; keys are {sorted(keys)}"
                )
                raise ValidationError(msg)

    @property
    def agenda_minutes(self) -> int:
        """The minutes allotted on the agenda in total."""
        return sum(item.minutes for item in self.agenda)

    def __repr__(self) -> str:
        return (
            f"Meeting({self.id!r}, {self.at.isoformat(timespec='minutes')}, "
            f"{self.duration // timedelta(minutes=1)} min, {len(self.attendees)} attendees, "
            f"{len(self.agenda)} agenda items, {len(self.decisions)} decisions, "
            f"{len(self.actions)} actions)"
        )

    def attendance(self, members: Iterable[Member]) -> Mapping[str, tuple[str, ...]]:
        """The attendees by team name, read from ``members`` (ids it does not know are left out).

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark.teams import Member
            >>> members = (Member(id="s1", name="Sam", team=Team.SALES), Member(id="s2", name="Sue", team="sdr"))
            >>> m = Meeting(id="m", at=datetime(2026, 4, 7, tzinfo=timezone.utc), attendees=("s2", "s1"))
            >>> dict(m.attendance(members))
            {'sales': ('s1',), 'sdr': ('s2',)}
        """
        teams = {
            m.id: m.team for m in v.argument_items(members, "Meeting.attendance members", Member)
        }
        by_team: dict[str, list[str]] = {}
        for who in sorted(set(self.attendees)):
            if who in teams:
                by_team.setdefault(teams[who], []).append(who)
        return FrozenMap({team: tuple(by_team[team]) for team in sorted(by_team)})

    def sides_present(
        self, members: Iterable[Member], teams: Iterable[TeamDefinition] = DEFAULT_TEAMS
    ) -> frozenset[Team]:
        """The sides (sales, marketing) of the attendees, through the teams they belong to.

        Args:
            members: The company's members (attendees it does not know are left out).
            teams: The company's teams (an organisation's ``teams``; by default
                :data:`~salesmark.teams.DEFAULT_TEAMS`).

        Raises:
            UnknownReference: If a member's team is not among ``teams``.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark.teams import Member, TeamDefinition
            >>> revenue = TeamDefinition(name="revenue", sides=(Team.SALES, Team.MARKETING))
            >>> m = Meeting(id="m", at=datetime(2026, 4, 7, tzinfo=timezone.utc), attendees=("r1",))
            >>> m.sides_present([Member(id="r1", name="Rae", team="revenue")], [revenue]) == {Team.SALES, Team.MARKETING}
            True
        """
        present = set(self.attendees)
        sides = sides_of(members, teams)
        return frozenset(side for who, played in sides.items() if who in present for side in played)

    def is_held(
        self, members: Iterable[Member], teams: Iterable[TeamDefinition] = DEFAULT_TEAMS
    ) -> bool:
        """Whether both sides were present (see :data:`BOTH_TEAMS` and :meth:`sides_present`).

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark.teams import Member
            >>> members = (Member(id="s1", name="Sam", team=Team.SALES),)
            >>> Meeting(id="m", at=datetime(2026, 4, 7, tzinfo=timezone.utc), attendees=("s1",)).is_held(members)
            False
        """
        return self.sides_present(members, teams) >= BOTH_TEAMS

    def hold(
        self,
        *,
        attendees: Iterable[str],
        decisions: Iterable[Decision] = (),
        actions: Iterable[ActionItem] = (),
        not_reached: Iterable[str] = (),
    ) -> Meeting:
        """Return the meeting as held: who came, what it decided and agreed, what it missed.

        Args:
            attendees: The member ids present.
            decisions: The decisions taken (added to any already recorded).
            actions: The action items agreed (added to any already recorded).
            not_reached: Keys of agenda items the meeting did not get to; they move
                from the agenda to :attr:`deferred`.

        Raises:
            ValidationError: If a key in ``not_reached`` is not on the agenda.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 4, 7, 9, tzinfo=timezone.utc)
            >>> items = (AgendaItem(title="SLA", owner=Team.SALES, minutes=5), AgendaItem(title="KPIs", owner=Team.MARKETING, minutes=5))
            >>> held = Meeting(id="m-1", at=at, agenda=items).hold(attendees=("s1", "m1"), not_reached=("KPIs",))
            >>> [i.key for i in held.agenda], [i.key for i in held.deferred]
            (['SLA'], ['KPIs'])
        """
        missed = set(v.sequence(not_reached, "Meeting.hold not_reached", "agenda keys"))
        unknown = sorted(missed - {i.key for i in self.agenda})
        if unknown:
            msg = (
                f"Meeting.hold not_reached names {unknown!r}, not on the agenda of "
                f"{self.id!r}; keys are {[i.key for i in self.agenda]}"
            )
            raise ValidationError(msg)
        return attrs.evolve(
            self,
            attendees=v.sequence(attendees, "Meeting.hold attendees", "member ids"),
            agenda=tuple(i for i in self.agenda if i.key not in missed),
            deferred=(*self.deferred, *(i for i in self.agenda if i.key in missed)),
            decisions=(
                *self.decisions,
                *v.argument_items(decisions, "Meeting.hold decisions", Decision),
            ),
            actions=(*self.actions, *v.argument_items(actions, "Meeting.hold actions", ActionItem)),
        )

    def complete_action(self, action_id: str, *, at: datetime) -> Meeting:
        """Return the meeting with action ``action_id`` done at ``at``.

        Raises:
            UnknownReference: If the meeting agreed no such action.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 4, 7, 9, tzinfo=timezone.utc)
            >>> act = ActionItem(id="a1", description="Fix routing", owner_id="m1", due=at)
            >>> Meeting(id="m-1", at=at, actions=(act,)).complete_action("a1", at=at).actions[0].done
            True
        """
        if action_id not in {a.id for a in self.actions}:
            msg = f"Meeting {self.id!r} agreed no action {action_id!r}"
            raise UnknownReference(msg)
        actions = tuple(a.completed(at) if a.id == action_id else a for a in self.actions)
        return attrs.evolve(self, actions=actions)

    def review_decision(self, decision_id: str, *, at: datetime) -> Meeting:
        """Return the meeting with decision ``decision_id`` reviewed at ``at``.

        Raises:
            UnknownReference: If the meeting took no such decision.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 4, 7, 9, tzinfo=timezone.utc)
            >>> d = Decision(id="d1", description="x", owner_id="s1", due=at)
            >>> Meeting(id="m-1", at=at, decisions=(d,)).review_decision("d1", at=at).decisions[0].reviewed_at == at
            True
        """
        if decision_id not in {d.id for d in self.decisions}:
            msg = f"Meeting {self.id!r} took no decision {decision_id!r}"
            raise UnknownReference(msg)
        decisions = tuple(d.reviewed(at=at) if d.id == decision_id else d for d in self.decisions)
        return attrs.evolve(self, decisions=decisions)


_ITEMS: Final = rf.tuple_of(AgendaItem)


@attrs.frozen(kw_only=True)
class Agenda:
    """A proposed meeting agenda: ranked items that fit the time box, and what did not.

    Attributes:
        period: The period the data covers.
        at: The moment the agenda was built for.
        duration: The time box.
        items: The items that fit, in rank order: open actions and decisions due for
            review first (see :func:`~salesmark.agenda.build_agenda`).
        deferred: The items that did not fit, in rank order.
        next_meetings: The next meetings after ``at`` from the cadence.
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    at: datetime = attrs.field(validator=v.aware)
    duration: timedelta = attrs.field(validator=v.positive_duration)
    items: tuple[AgendaItem, ...] = attrs.field(converter=_tuple, validator=_ITEMS)
    deferred: tuple[AgendaItem, ...] = attrs.field(converter=_tuple, validator=_ITEMS)
    next_meetings: tuple[datetime, ...] = attrs.field(converter=_tuple, validator=rf.aware_tuple)

    def __attrs_post_init__(self) -> None:
        if self.spare_minutes < 0:
            msg = f"Agenda.items must fit in Agenda.duration ({self.duration}), got {self.minutes_used} minutes"
            raise ValidationError(msg, path="/items", value=self.minutes_used)

    @property
    def minutes_used(self) -> int:
        """Minutes allotted to the items that fit."""
        return sum(i.minutes for i in self.items)

    @property
    def spare_minutes(self) -> int:
        """Minutes of the time box left free (for action items and questions)."""
        return int(self.duration // timedelta(minutes=1)) - self.minutes_used

    def __repr__(self) -> str:
        nxt = self.next_meetings[0].date().isoformat() if self.next_meetings else "none"
        box = int(self.duration // timedelta(minutes=1))
        return (
            f"Agenda({box} min: {len(self.items)} items ({self.minutes_used} min), "
            f"{len(self.deferred)} deferred, next meeting {nxt})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per item, the fitted ones first, then the deferred ones.

        Example:
            >>> march = Period.month(2026, 3)
            >>> item = AgendaItem(title="SLA review", owner=Team.SALES, minutes=5, key="sla")
            >>> agenda = Agenda(period=march, at=march.end, duration=timedelta(minutes=30),
            ...                 items=(item,), deferred=(), next_meetings=())
            >>> agenda.to_records()[0]["key"], agenda.to_records()[0]["status"]
            ('sla', 'scheduled')
        """
        rows: list[dict[str, Any]] = []
        for status, items in (("scheduled", self.items), ("deferred", self.deferred)):
            for item in items:
                rows.append(
                    row(
                        rank=len(rows) + 1,
                        status=status,
                        title=item.title,
                        owner=item.owner,
                        minutes=item.minutes,
                        priority=item.priority,
                        evidence="; ".join(item.evidence),
                        key=item.key,
                        deferrals=item.deferrals,
                        escalated=item.escalated,
                    )
                )
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html

    def as_meeting(self, id: str, at: datetime) -> Meeting:  # noqa: A002 (the domain's name)
        """A planned :class:`Meeting` at ``at`` with this agenda's fitted items.

        The items that did not fit go to the meeting's :attr:`~Meeting.deferred`, so the
        next agenda knows they were put off.

        Example:
            >>> from datetime import datetime, timezone
            >>> march = Period.month(2026, 3)
            >>> item = AgendaItem(title="SLA review", owner=Team.SALES, minutes=5)
            >>> agenda = Agenda(period=march, at=march.end, duration=timedelta(minutes=30),
            ...                 items=(item,), deferred=(), next_meetings=())
            >>> agenda.as_meeting("m-1", datetime(2026, 4, 7, 9, tzinfo=timezone.utc)).agenda_minutes
            5
        """
        return Meeting(
            id=id, at=at, duration=self.duration, agenda=self.items, deferred=self.deferred
        )
