"""Follow-through: what the joint meetings agreed, and whether it got done.

The articles' fourth step is "follow-through and repeat". :func:`action_follow_through`
judges the action items due in a period: closed by their due date, closed late, or
still open past it. :func:`open_actions` and :func:`decisions_due` list what the next
agenda must carry, each with how many meetings it has already been carried through, and
:func:`times_deferred` counts how often a topic was put off, so the agenda can rotate
deferred topics and escalate the ones passed over too often.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import instant, require_aware
from salesmark.meetings import ActionItem, Decision, Meeting
from salesmark.organisation import Organisation
from salesmark.period import Period

__all__ = [
    "ActionState",
    "FollowThrough",
    "TrackedAction",
    "TrackedDecision",
    "action_follow_through",
    "decisions_due",
    "open_actions",
    "times_deferred",
]

_PLACES = Decimal("0.0001")


class ActionState(str, enum.Enum):
    """Where an action item stands at a moment."""

    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED_ON_TIME = "closed_on_time"
    CLOSED_LATE = "closed_late"
    CLOSED_UNDATED = "closed_undated"


def _state(action: ActionItem, at: datetime) -> ActionState:
    if action.is_open(at):
        return ActionState.OVERDUE if action.is_overdue(at) else ActionState.OPEN
    on_time = action.closed_on_time(at)
    if on_time is None:
        return ActionState.CLOSED_UNDATED
    return ActionState.CLOSED_ON_TIME if on_time else ActionState.CLOSED_LATE


@attrs.frozen(kw_only=True)
class TrackedAction:
    """An action item followed from the meeting that agreed it.

    Attributes:
        action: The action item.
        meeting_id: The meeting that agreed it.
        agreed_at: When that meeting took place.
        state: Where it stands at the evaluation time.
        carried: How many later meetings (before the evaluation time) it was still
            open at, so carried to.
        escalated: Whether the next agenda escalates it: it is open and that agenda
            is at least the ``escalate_after``-th to carry it.
    """

    action: ActionItem = attrs.field(validator=v.instance_of(ActionItem))
    meeting_id: str = attrs.field(validator=v.non_empty_text)
    agreed_at: datetime = attrs.field(validator=v.aware)
    state: ActionState = attrs.field(validator=v.member_of(ActionState))
    carried: int = attrs.field(validator=v.whole())
    escalated: bool = attrs.field(validator=v.instance_of(bool))


@attrs.frozen(kw_only=True)
class TrackedDecision:
    """A decision due for review, followed from the meeting that took it.

    Attributes:
        decision: The decision.
        meeting_id: The meeting that took it.
        agreed_at: When that meeting took place.
        carried: How many later meetings (before the evaluation time) found it due
            for review and left it unreviewed.
        escalated: Whether the next agenda escalates it (as for actions).
    """

    decision: Decision = attrs.field(validator=v.instance_of(Decision))
    meeting_id: str = attrs.field(validator=v.non_empty_text)
    agreed_at: datetime = attrs.field(validator=v.aware)
    carried: int = attrs.field(validator=v.whole())
    escalated: bool = attrs.field(validator=v.instance_of(bool))


@attrs.frozen(kw_only=True)
class FollowThrough:
    """How the action items due in a period were followed through.

    Attributes:
        period: The period whose due dates are judged.
        at: The evaluation time.
        actions: The action items due in the period by ``at``, by due date.
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    at: datetime = attrs.field(validator=v.aware)
    actions: tuple[TrackedAction, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(TrackedAction)
    )

    def count(self, state: ActionState) -> int:
        """How many of the actions are in ``state``.

        Example:
            >>> from salesmark import Organisation
            >>> report = action_follow_through(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3))
            >>> report.count(ActionState.OVERDUE)
            0
        """
        return sum(1 for a in self.actions if a.state is state)

    @property
    def judged(self) -> int:
        """Actions whose timeliness is known: closed on time, closed late or overdue."""
        return sum(self.count(s) for s in _JUDGED)

    @property
    def rate(self) -> Decimal | None:
        """The share of judged actions closed by their due date (4 places), or ``None``.

        Example:
            >>> from salesmark import Organisation
            >>> report = action_follow_through(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3))
            >>> report.judged, report.rate
            (0, None)
        """
        if not self.judged:
            return None
        share = Decimal(self.count(ActionState.CLOSED_ON_TIME)) / Decimal(self.judged)
        return share.quantize(_PLACES)

    def __repr__(self) -> str:
        rate = "n/a" if self.rate is None else f"{self.rate * 100:.1f}%"
        return (
            f"FollowThrough({len(self.actions)} actions due: "
            f"{self.count(ActionState.CLOSED_ON_TIME)} on time, "
            f"{self.count(ActionState.CLOSED_LATE)} late, "
            f"{self.count(ActionState.OVERDUE)} overdue; rate {rate})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per action due in the period.

        Example:
            >>> from salesmark import Organisation
            >>> action_follow_through(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3)).to_records()
            []
        """
        rows = [
            row(
                action_id=t.action.id,
                description=t.action.description,
                owner_id=t.action.owner_id,
                meeting_id=t.meeting_id,
                due=t.action.due,
                completed_at=t.action.completed_at,
                state=t.state,
                carried=t.carried,
            )
            for t in self.actions
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


_JUDGED = (ActionState.CLOSED_ON_TIME, ActionState.CLOSED_LATE, ActionState.OVERDUE)


def _known(org: Organisation, at: datetime) -> list[Meeting]:
    """The meetings that took place by ``at``, in time order (ties by id)."""
    moment = instant(at)
    return sorted(
        (m for m in org.meetings if instant(m.at) <= moment), key=lambda m: (instant(m.at), m.id)
    )


def _carried(
    meetings: Iterable[Meeting], since: datetime, at: datetime, still: Callable[[datetime], bool]
) -> int:
    """Meetings after ``since`` and before ``at`` at which ``still(meeting.at)`` held."""
    start, end = instant(since), instant(at)
    return sum(1 for m in meetings if start < instant(m.at) < end and still(m.at))


def _tracked(org: Organisation, at: datetime, escalate_after: int) -> list[TrackedAction]:
    meetings = _known(org, at)
    out = []
    for m in meetings:
        for action in m.actions:
            carried = _carried(meetings, m.at, at, action.is_open)
            state = _state(action, at)
            is_open = state in (ActionState.OPEN, ActionState.OVERDUE)
            out.append(
                TrackedAction(
                    action=action,
                    meeting_id=m.id,
                    agreed_at=m.at,
                    state=state,
                    carried=carried,
                    escalated=is_open and carried + 1 >= escalate_after,
                )
            )
    return out


def _escalate_after(value: object, caller: str) -> int:
    return v.require_whole(value, f"{caller} escalate_after", minimum=1)


def open_actions(
    org: Organisation, at: datetime, *, escalate_after: int = 2
) -> tuple[TrackedAction, ...]:
    """Every action item agreed by ``at`` and still open then: what the next agenda carries.

    Overdue ones come first, then by due date and id. An action is escalated when the
    next agenda is at least the ``escalate_after``-th to carry it: with the default 2,
    an action still open after one follow-up meeting.

    Args:
        org: The organisation.
        at: The moment the next agenda is built (timezone-aware).
        escalate_after: On which agenda an open action is escalated (1 or more).

    Raises:
        ValidationError: If ``org`` is not an Organisation or ``escalate_after`` is below 1.

    Example:
        >>> from salesmark import Organisation
        >>> open_actions(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3).end)
        ()
    """
    v.require(org, Organisation, "open_actions org")
    require_aware(at, "open_actions at")
    after = _escalate_after(escalate_after, "open_actions")
    tracked = [
        t for t in _tracked(org, at, after) if t.state in (ActionState.OPEN, ActionState.OVERDUE)
    ]
    tracked.sort(
        key=lambda t: (t.state is not ActionState.OVERDUE, instant(t.action.due), t.action.id)
    )
    return tuple(tracked)


def decisions_due(
    org: Organisation, at: datetime, *, escalate_after: int = 2
) -> tuple[TrackedDecision, ...]:
    """Every decision taken by ``at`` that is due for review then, the longest due first.

    A decision is escalated, as an action is, when the next agenda is at least the
    ``escalate_after``-th since it fell due to carry it.

    Raises:
        ValidationError: If ``org`` is not an Organisation or ``escalate_after`` is below 1.

    Example:
        >>> from salesmark import Organisation
        >>> decisions_due(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3).end)
        ()
    """
    v.require(org, Organisation, "decisions_due org")
    require_aware(at, "decisions_due at")
    after = _escalate_after(escalate_after, "decisions_due")
    meetings = _known(org, at)
    out = []
    for m in meetings:
        for d in m.decisions:
            if d.is_due_for_review(at):
                carried = _carried(meetings, m.at, at, d.is_due_for_review)
                out.append(
                    TrackedDecision(
                        decision=d,
                        meeting_id=m.id,
                        agreed_at=m.at,
                        carried=carried,
                        escalated=carried + 1 >= after,
                    )
                )
    out.sort(key=lambda t: (instant(t.decision.due), t.decision.id))
    return tuple(out)


def times_deferred(org: Organisation, key: str, *, at: datetime) -> int:
    """How many meetings before ``at`` deferred the topic ``key`` since one last covered it.

    Meetings are read newest first: each that lists ``key`` among its
    :attr:`~salesmark.meetings.Meeting.deferred` items counts, the first that has it on
    its agenda stops the count, and meetings with neither are skipped.

    Example:
        >>> from salesmark import Organisation
        >>> times_deferred(Organisation(name="Acme", currency="EUR"), "kpi:win_rate", at=Period.month(2026, 3).end)
        0
    """
    v.require(org, Organisation, "times_deferred org")
    require_aware(at, "times_deferred at")
    count = 0
    for m in reversed([m for m in _known(org, at) if instant(m.at) < instant(at)]):
        if any(i.key == key for i in m.deferred):
            count += 1
        elif any(i.key == key for i in m.agenda):
            break
    return count


def action_follow_through(
    org: Organisation, period: Period, *, at: datetime | None = None
) -> FollowThrough:
    """How the action items due in ``period`` were followed through, as of ``at``.

    Every action agreed at a meeting by ``at`` whose due date falls in ``period`` and
    has passed by ``at`` is judged: closed by its due date, closed late, or still open
    (overdue). An action marked done without a completion time cannot be judged and
    is listed as ``closed_undated``; the :attr:`~FollowThrough.rate` leaves it out.

    Args:
        org: The organisation.
        period: The period whose due dates are judged.
        at: The evaluation time (timezone-aware); ``period.end`` by default.

    Raises:
        ValidationError: If ``org`` is not an Organisation or ``period`` not a Period.

    Example:
        >>> from salesmark import Organisation
        >>> action_follow_through(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3))
        FollowThrough(0 actions due: 0 on time, 0 late, 0 overdue; rate n/a)
    """
    v.require(org, Organisation, "action_follow_through org")
    v.require(period, Period, "action_follow_through period")
    when = period.end if at is None else require_aware(at, "action_follow_through at")
    moment = instant(when)
    due = [
        t
        for t in _tracked(org, when, 2)
        if period.contains(t.action.due) and instant(t.action.due) <= moment
    ]
    due.sort(key=lambda t: (instant(t.action.due), t.action.id))
    return FollowThrough(period=period, at=when, actions=tuple(due))
