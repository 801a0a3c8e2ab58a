"""One pass over the leads for the funnel: every stage, both views, stays done and open (private)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime, timedelta

from salesmark._distinct import refuse_repeats
from salesmark._time import elapsed, instant
from salesmark.durations import Durations
from salesmark.errors import WrongType
from salesmark.funnel.counts import FunnelCounts
from salesmark.leads import Lead, StageChange
from salesmark.lifecycle import Lifecycle
from salesmark.period import Period

__all__ = ["Layout", "Tally", "scan"]


class Layout:
    """The stages of a lifecycle as the funnel counts them: progression first, then the rest."""

    __slots__ = ("index", "progression", "stages", "terminal", "top")

    def __init__(self, lifecycle: Lifecycle) -> None:
        path = lifecycle.progression
        others = tuple(s for s in lifecycle.stage_names if s not in path)
        self.stages = (*path, *others)
        self.progression = path
        self.index = {s: i for i, s in enumerate(self.stages)}
        self.top = len(path) - 1
        self.terminal = frozenset(i for s, i in self.index.items() if lifecycle.is_terminal(s))


class Tally:
    """A mutable accumulator for one funnel (one group) during a scan."""

    __slots__ = (
        "activity", "activity_open", "astays", "avel", "cohort_open", "cohort_open_stays",
        "cstays", "cvel", "entered", "furthest",
    )  # fmt: skip

    def __init__(self, n: int) -> None:
        self.furthest = [0] * n
        self.entered = [0] * n
        self.activity = [0] * n
        self.cohort_open = [0] * n
        self.cstays: list[list[timedelta]] = [[] for _ in range(n)]
        self.astays: list[list[timedelta]] = [[] for _ in range(n)]
        self.cohort_open_stays: list[list[timedelta]] = [[] for _ in range(n)]
        self.activity_open: list[list[timedelta]] = [[] for _ in range(n)]
        self.cvel: list[timedelta] = []
        self.avel: list[timedelta] = []

    def result(self, layout: Layout, as_of: datetime | None) -> FunnelCounts:
        p = len(layout.progression)
        cohort: list[int] = []
        running = 0
        for count in reversed(self.furthest[:p]):
            running += count
            cohort.append(running)
        cohort.reverse()
        cohort += self.entered[p:]

        def store(values: list[list[timedelta]]) -> tuple[Durations, ...]:
            return tuple(Durations._trusted(Counter(v)) for v in values)

        return FunnelCounts(
            stages=layout.stages,
            progression=layout.progression,
            cohort=tuple(cohort),
            activity=tuple(self.activity),
            cohort_stays=store(self.cstays),
            activity_stays=store(self.astays),
            cohort_open=tuple(self.cohort_open),
            cohort_open_stays=store(self.cohort_open_stays),
            activity_open=store(self.activity_open),
            cohort_velocity=Durations._trusted(Counter(self.cvel)),
            activity_velocity=Durations._trusted(Counter(self.avel)),
            as_of=as_of,
        )


def _cut(history: tuple[StageChange, ...], limit: datetime | None) -> tuple[StageChange, ...]:
    """The stage changes strictly before ``limit`` (all of them without one)."""
    if limit is None or instant(history[-1].at) < limit:
        return history
    kept = 0
    for change in history:
        if instant(change.at) >= limit:
            break
        kept += 1
    return history[:kept]


def scan(  # noqa: PLR0912, PLR0915 (one tight pass, kept in one frame for speed)
    leads: Iterable[Lead],
    period: Period,
    layout: Layout,
    key: Callable[[Lead], Hashable] | None,
    as_of: datetime | None,
    *,
    name: str,
) -> dict[Hashable, Tally]:
    """Count ``leads`` into one tally per group (one, keyed ``None``, without ``key``).

    ``name`` names the argument for errors: an item that is not a Lead, or a lead id
    given twice (which would count one lead twice), is refused.

    Comparisons are made between instants on the UTC time line, and every stay is
    measured by :func:`~salesmark._time.elapsed`, so a repeated autumn hour or a
    daylight-saving change never moves a count or a duration.
    """
    get = layout.index.get
    n = len(layout.stages)
    top, terminal = layout.top, layout.terminal
    start, end = instant(period.start), instant(period.end)
    limit = None if as_of is None else instant(as_of)
    wip_until = end if limit is None else min(end, limit)  # where open stays of the period stop
    wip_at = period.end if limit is None or end <= limit else as_of
    tallies: dict[Hashable, Tally] = {}
    single = None if key is not None else Tally(n)
    if single is not None:
        tallies[None] = single
    ids: list[str] = []  # checked for repeats once, after the pass (nothing has changed)
    for index, lead in enumerate(leads):
        if not isinstance(lead, Lead):
            msg = f"{name}[{index}] must be a Lead, got {lead!r}"
            raise WrongType(msg)
        ids.append(lead.id)
        hist = _cut(lead.history, limit)
        if not hist:
            continue  # not yet captured at as_of
        last = hist[-1]
        last_at = instant(last.at)
        if single is None:
            group = key(lead)  # type: ignore[misc]
            tally = tallies.get(group)
            if tally is None:
                tally = tallies[group] = Tally(n)
        else:
            tally = single
        if last_at < start:
            # nothing happened in the period; the stay it was in may still be open at its end
            i = get(last.stage)
            if i is not None and i not in terminal:
                tally.activity_open[i].append(elapsed(last.at, wip_at))  # type: ignore[arg-type]
            continue
        created = instant(lead.created_at)
        if created >= end:
            continue
        in_cohort = created >= start
        activity = tally.activity
        furthest = -1
        previous: StageChange | None = None
        previous_index: int | None = None
        won_at: datetime | None = None
        open_at_end: StageChange | None = None
        sides: set[int] = set()
        for change in hist:
            at = instant(change.at)
            i = get(change.stage)
            if previous is not None and previous_index is not None:
                stay = elapsed(previous.at, change.at)
                if in_cohort:
                    tally.cstays[previous_index].append(stay)
                if start <= at < end:
                    tally.astays[previous_index].append(stay)
            if at < wip_until:
                open_at_end = change
            if i is not None:
                if i <= top:
                    if i > furthest:  # noqa: PLR1730 (faster than max() in the hot loop)
                        furthest = i
                    if i == top and won_at is None:
                        won_at = change.at
                elif in_cohort:
                    sides.add(i)
                if start <= at < end:
                    activity[i] += 1
            previous, previous_index = change, i
        if in_cohort:
            if furthest >= 0:
                tally.furthest[furthest] += 1
            for i in sides:
                tally.entered[i] += 1
            if previous_index is not None and previous_index not in terminal:
                tally.cohort_open[previous_index] += 1
                if as_of is not None and previous is not None:
                    tally.cohort_open_stays[previous_index].append(elapsed(previous.at, as_of))
        if open_at_end is not None:
            i = get(open_at_end.stage)
            if i is not None and i not in terminal:
                tally.activity_open[i].append(elapsed(open_at_end.at, wip_at))  # type: ignore[arg-type]
        if won_at is not None:
            velocity = elapsed(lead.created_at, won_at)
            if in_cohort:
                tally.cvel.append(velocity)
            if start <= instant(won_at) < end:
                tally.avel.append(velocity)
    refuse_repeats(ids, name)
    return tallies
