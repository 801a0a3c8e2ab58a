"""Strategies for the joint meetings: their cadence, agenda items, decisions and action items.

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(meetings())
    ... def test_decisions_settle_its_own_agenda(meeting):
    ...     keys = {i.key for i in (*meeting.agenda, *meeting.deferred)}
    ...     assert {d.agenda_key for d in meeting.decisions} <= keys | {None}
    >>> test_decisions_settle_its_own_agenda()
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from salesmark.cadence import MeetingCadence
from salesmark.meetings import ActionItem, AgendaItem, Decision, Meeting
from salesmark.testing.strategies.times import aware_datetimes
from salesmark.testing.strategies.values import ids, teams, words

__all__ = ["action_items", "agenda_items", "cadences", "decisions", "meetings"]

_RULES = (
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2",
    "FREQ=WEEKLY;BYDAY=TU,TH",
    "FREQ=MONTHLY;BYDAY=1MO",
    "FREQ=DAILY;COUNT=5",
)


def cadences() -> st.SearchStrategy[MeetingCadence]:
    """A meeting rhythm: a start, a recurrence rule (weekly, fortnightly, monthly...) and a length.

    Returns:
        A strategy of :class:`~salesmark.cadence.MeetingCadence`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(cadences())
        ... def test_meetings_take_time(cadence):
        ...     assert cadence.duration >= timedelta(minutes=5)
        >>> test_meetings_take_time()
    """
    return st.builds(
        MeetingCadence,
        start=aware_datetimes(),
        rule=st.sampled_from(_RULES),
        duration=st.timedeltas(timedelta(minutes=5), timedelta(hours=3)),
    )


def agenda_items() -> st.SearchStrategy[AgendaItem]:
    """A topic of a meeting: its owner team, minutes, evidence, priority and deferrals.

    Returns:
        A strategy of :class:`~salesmark.meetings.AgendaItem`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(agenda_items())
        ... def test_at_most_an_hour(item):
        ...     assert 0 <= item.minutes <= 60
        >>> test_at_most_an_hour()
    """
    return st.builds(
        AgendaItem,
        title=words(),
        owner=teams(),
        minutes=st.integers(0, 60),
        evidence=st.lists(words(), max_size=2).map(tuple),
        priority=st.floats(-100, 100, allow_nan=False),
        key=ids(),
        deferrals=st.integers(0, 5),
        escalated=st.booleans(),
    )


@st.composite
def action_items(
    draw: st.DrawFn,
    owner_ids: st.SearchStrategy[str] | None = None,
    action_id: st.SearchStrategy[str] | None = None,
    decision_ids: st.SearchStrategy[str | None] | None = None,
) -> ActionItem:
    """Something a member agreed to do by a date: open, done at a known time, or done undated.

    Args:
        draw: Given by hypothesis.
        owner_ids: The members who own it; any id if None.
        action_id: The action's id; any if None.
        decision_ids: The decision it carries out; any id or none if None.

    Returns:
        A strategy of :class:`~salesmark.meetings.ActionItem`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(action_items(owner_ids=st.just("m1")))
        ... def test_owned_by_m1(action):
        ...     assert "m1" == action.owner_id
        >>> test_owned_by_m1()
    """
    item = ActionItem(
        id=draw(action_id if action_id is not None else ids()),
        description=draw(words()),
        owner_id=draw(owner_ids if owner_ids is not None else ids()),
        due=draw(aware_datetimes()),
        decision_id=draw(decision_ids if decision_ids is not None else st.none() | ids()),
    )
    state = draw(st.sampled_from(["open", "dated", "undated"]))
    if state == "open":
        return item
    return item.completed(draw(aware_datetimes()) if state == "dated" else None)


def decisions(
    owner_ids: st.SearchStrategy[str] | None = None,
    decision_id: st.SearchStrategy[str] | None = None,
    agenda_keys: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[Decision]:
    """A decision with its owner, due date, maybe the agenda item it settles and a review.

    Args:
        owner_ids: The members who own it; any id if None.
        decision_id: The decision's id; any if None.
        agenda_keys: The agenda item it settles; any key or none if None.

    Returns:
        A strategy of :class:`~salesmark.meetings.Decision`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(decisions(agenda_keys=st.none()))
        ... def test_settles_no_item(decision):
        ...     assert decision.agenda_key is None
        >>> test_settles_no_item()
    """
    return st.builds(
        Decision,
        id=decision_id if decision_id is not None else ids(),
        description=words(),
        owner_id=owner_ids if owner_ids is not None else ids(),
        due=aware_datetimes(),
        agenda_key=agenda_keys if agenda_keys is not None else st.none() | ids(),
        reviewed_at=st.none() | aware_datetimes(),
    )


@st.composite
def meetings(
    draw: st.DrawFn,
    meeting_id: st.SearchStrategy[str] | None = None,
    member_ids: st.SearchStrategy[str] | None = None,
) -> Meeting:
    """A joint meeting with attendees, agenda, deferred items, decisions and action items.

    Its decisions settle items of its own agenda; action and decision ids are the
    meeting's id with a number, so meetings with distinct ids never share them, and an
    action carries out one of the meeting's decisions or none.

    Args:
        draw: Given by hypothesis.
        meeting_id: The meeting's id; any if None.
        member_ids: The members attending and owning; any ids if None.

    Returns:
        A strategy of :class:`~salesmark.meetings.Meeting`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None, deadline=None)
        ... @given(meetings(st.just("mt1")))
        ... def test_actions_carry_the_meeting_id(meeting):
        ...     assert all(a.id.startswith("mt1-a") for a in meeting.actions)
        >>> test_actions_carry_the_meeting_id()
    """
    members = member_ids if member_ids is not None else ids()
    ident = draw(meeting_id if meeting_id is not None else ids())
    agenda = draw(st.lists(agenda_items(), max_size=3, unique_by=lambda i: i.key))
    deferred = draw(st.lists(agenda_items(), max_size=2, unique_by=lambda i: i.key))
    keys = [i.key for i in (*agenda, *deferred)]
    taken = [
        draw(
            decisions(
                members,
                st.just(f"{ident}-d{n}"),
                st.none() | st.sampled_from(keys) if keys else st.none(),
            )
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    decided = st.none() | st.sampled_from([d.id for d in taken]) if taken else st.none()
    return Meeting(
        id=ident,
        at=draw(aware_datetimes()),
        duration=draw(st.timedeltas(timedelta(minutes=5), timedelta(hours=3))),
        attendees=tuple(draw(st.lists(members, max_size=3, unique=True))),
        agenda=tuple(agenda),
        deferred=tuple(deferred),
        decisions=tuple(taken),
        actions=tuple(
            draw(action_items(members, st.just(f"{ident}-a{n}"), decided))
            for n in range(draw(st.integers(0, 2)))
        ),
    )
