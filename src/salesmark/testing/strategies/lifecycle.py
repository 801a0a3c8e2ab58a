"""Strategies for lifecycles and the stage histories that walk them legally.

Example:
    >>> from hypothesis import given, settings
    >>> from salesmark import HUBSPOT
    >>> @settings(max_examples=5, database=None)
    ... @given(legal_walks(HUBSPOT))
    ... def test_a_walk_is_a_valid_history(history):
    ...     HUBSPOT.validate_history([(change.stage, change.reason) for change in history])
    >>> test_a_walk_is_a_valid_history()
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from salesmark.leads import StageChange
from salesmark.lifecycle import (
    DEMAND_WATERFALL,
    HUBSPOT,
    ForecastCategory,
    Lifecycle,
    StageDefinition,
    Transition,
)
from salesmark.testing.strategies.times import _later, aware_datetimes
from salesmark.testing.strategies.values import ids, words

__all__ = ["custom_lifecycles", "legal_walks", "lifecycles", "stage_definitions", "transitions"]


def stage_definitions() -> st.SearchStrategy[StageDefinition]:
    """A stage of some lifecycle: a name, whether it is terminal, a label, maybe a probability and forecast category.

    Returns:
        A strategy of :class:`~salesmark.lifecycle.StageDefinition`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(stage_definitions())
        ... def test_stages_are_named(stage):
        ...     assert stage.name
        >>> test_stages_are_named()
    """
    return st.builds(
        StageDefinition,
        name=ids(),
        terminal=st.booleans(),
        label=st.text(max_size=12),
        probability=st.none() | st.decimals(min_value=0, max_value=1, places=2),
        forecast_category=st.none() | st.sampled_from(ForecastCategory),
    )


def transitions() -> st.SearchStrategy[Transition]:
    """A move between two stages, with the reason codes it accepts (maybe none).

    Returns:
        A strategy of :class:`~salesmark.lifecycle.Transition`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(transitions())
        ... def test_reasons_are_distinct(move):
        ...     assert len(set(move.reasons)) == len(move.reasons)
        >>> test_reasons_are_distinct()
    """
    return st.builds(
        Transition,
        source=ids(),
        target=ids(),
        reasons=st.lists(ids(), max_size=3, unique=True).map(tuple),
    )


@st.composite
def custom_lifecycles(draw: st.DrawFn) -> Lifecycle:
    """An application's own lifecycle: random stages, terminal ones without exits.

    Args:
        draw: Given by hypothesis.

    Returns:
        A strategy of :class:`~salesmark.lifecycle.Lifecycle`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(custom_lifecycles())
        ... def test_it_starts_at_one_of_its_stages(lifecycle):
        ...     assert lifecycle.initial in lifecycle.stage_names
        >>> test_it_starts_at_one_of_its_stages()
    """
    names = draw(st.lists(ids(), min_size=1, max_size=6, unique=True))
    terminal = set(draw(st.lists(st.sampled_from(names), max_size=2)))
    stages = tuple(StageDefinition(name=n, terminal=n in terminal, label=n.upper()) for n in names)
    pairs = st.tuples(st.sampled_from(names), st.sampled_from(names))
    moves = [m for m in draw(st.lists(pairs, unique=True, max_size=12)) if m[0] not in terminal]
    return Lifecycle(
        name=draw(words()),
        stages=stages,
        initial=draw(st.sampled_from(names)),
        progression=tuple(draw(st.lists(st.sampled_from(names), max_size=4))),
        transitions=tuple(
            Transition(
                source=a, target=b, reasons=tuple(draw(st.lists(ids(), max_size=2, unique=True)))
            )
            for a, b in moves
        ),
    )


def lifecycles() -> st.SearchStrategy[Lifecycle]:
    """The shipped lifecycles (the demand waterfall, HubSpot's) or a custom one.

    Returns:
        A strategy of :class:`~salesmark.lifecycle.Lifecycle`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(lifecycles())
        ... def test_a_lifecycle_has_stages(lifecycle):
        ...     assert lifecycle.stage_names
        >>> test_a_lifecycle_has_stages()
    """
    return st.sampled_from([DEMAND_WATERFALL, HUBSPOT]) | custom_lifecycles()


def _reasons_for(lifecycle: Lifecycle, source: str, target: str) -> tuple[str, ...]:
    """The reason codes the lifecycle accepts for the move ``source -> target``."""
    return next(
        t.reasons for t in lifecycle.transitions if (t.source, t.target) == (source, target)
    )


@st.composite
def legal_walks(
    draw: st.DrawFn,
    lifecycle: Lifecycle = DEMAND_WATERFALL,
    start: datetime | None = None,
    by: st.SearchStrategy[str | None] | None = None,
    max_steps: int = 10,
) -> tuple[StageChange, ...]:
    """A stage history built by a random legal walk of ``lifecycle``.

    Each step picks a legal target of the current stage, gives one of its reason codes
    when the move needs one (and sometimes a free note code when it does not), and
    happens at or after the step before, in real time.

    Args:
        draw: Given by hypothesis.
        lifecycle: The lifecycle walked, from its initial stage.
        start: When the walk starts; an aware datetime drawn if None.
        by: The ids of who made each move (None for nobody named); any id or None if None.
        max_steps: The most moves after the initial stage.

    Returns:
        A strategy of histories, tuples of :class:`~salesmark.leads.StageChange`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(legal_walks(max_steps=3))
        ... def test_a_walk_starts_at_the_initial_stage(history):
        ...     assert "inquiry" == history[0].stage and len(history) <= 4
        >>> test_a_walk_starts_at_the_initial_stage()
    """
    who = by if by is not None else st.none() | ids()
    at = start if start is not None else draw(aware_datetimes(max_value=datetime(2029, 1, 1)))
    history = [StageChange(stage=lifecycle.initial, at=at, by=draw(who))]
    for _ in range(draw(st.integers(0, max_steps))):
        options = lifecycle.targets(history[-1].stage)
        if not options:
            break
        target = draw(st.sampled_from(options))
        codes = _reasons_for(lifecycle, history[-1].stage, target)
        reason = draw(st.sampled_from(codes)) if codes else draw(st.none() | st.just("noted"))
        at = _later(draw, at)
        rival = None
        if target not in lifecycle.progression:  # a move off it may name a competitor
            rival = draw(st.none() | st.sampled_from(("Globex", "Initech")))
        change = StageChange(stage=target, at=at, by=draw(who), reason=reason, competitor=rival)
        history.append(change)
    return tuple(history)
