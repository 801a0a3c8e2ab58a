"""One pass over the leads for the funnel: every stage, both views, stays done and open (private)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime

from salesmark._distinct import KnownDistinct, refuse_repeats
from salesmark._time import instant
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
    """A mutable accumulator for one funnel (one group) during a scan.

    Stays are kept as the instants they run between, not yet measured: a finished stay
    as its start and end side by side in one list, an open stay as its start alone (all
    of a kind end at one instant). The stores are measured when first read.
    """

    __slots__ = (
        "activity", "activity_open", "astays", "avel", "cohort_open", "cohort_open_stays",
        "cstays", "cvel", "entered", "furthest", "wip_at",
    )  # fmt: skip

    def __init__(self, n: int, wip_at: datetime) -> None:
        self.furthest = [0] * n
        self.entered = [0] * n
        self.activity = [0] * n
        self.cohort_open = [0] * n
        self.cstays: list[list[datetime]] = [[] for _ in range(n)]
        self.astays: list[list[datetime]] = [[] for _ in range(n)]
        self.cohort_open_stays: list[list[datetime]] = [[] for _ in range(n)]
        self.activity_open: list[list[datetime]] = [[] for _ in range(n)]
        self.cvel: list[datetime] = []  # creation, won, ... of the cohort's won leads
        self.avel: list[datetime] = []  # creation, won, ... of the leads won in the period
        self.wip_at = wip_at  # where the open stays of the period are measured to

    def result(self, layout: Layout, as_of: datetime | None) -> FunnelCounts:
        p = len(layout.progression)
        cohort: list[int] = []
        running = 0
        for count in reversed(self.furthest[:p]):
            running += count
            cohort.append(running)
        cohort.reverse()
        cohort += self.entered[p:]

        def spans(values: list[list[datetime]]) -> tuple[Durations, ...]:
            return tuple(map(Durations._between, values))

        def since(values: list[list[datetime]], end: datetime | None) -> tuple[Durations, ...]:
            # without as_of the cohort's open stays are not measured (their lists are empty)
            return tuple(
                Durations._elapsed(starts, end) if end is not None else Durations()
                for starts in values
            )

        return FunnelCounts(
            stages=layout.stages,
            progression=layout.progression,
            cohort=tuple(cohort),
            activity=tuple(self.activity),
            cohort_stays=spans(self.cstays),
            activity_stays=spans(self.astays),
            cohort_open=tuple(self.cohort_open),
            cohort_open_stays=since(self.cohort_open_stays, as_of),
            activity_open=since(self.activity_open, self.wip_at),
            cohort_velocity=Durations._between(self.cvel),
            activity_velocity=Durations._between(self.avel),
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
    measured by :func:`~salesmark._time.elapsed` (when its store is first read), so a
    repeated autumn hour or a daylight-saving change never moves a count or a duration.
    The bounds are taken as instants once; a lead's datetime is compared with them as
    it is, which Python does on the UTC time line (two datetimes of different zones
    compare by their instants; of one fixed offset, by wall clocks that are instants).
    """
    get = layout.index.get
    n = len(layout.stages)
    top, terminal = layout.top, layout.terminal
    side_stages = range(top + 1, n)
    start, end = instant(period.start), instant(period.end)
    # where the open stays of the period stop, and the instant they are measured to
    limit, wip_until, wip_at = None, end, period.end
    if as_of is not None:
        limit = instant(as_of)
        if limit < end:
            wip_until, wip_at = limit, as_of
    tallies: dict[Hashable, Tally] = {}
    single = None if key is not None else Tally(n, wip_at)
    if single is not None:
        tallies[None] = single
    ids: list[str] = []  # checked for repeats once, after the pass (nothing has changed)
    keep = ids.append
    checked = type(leads) is KnownDistinct  # an organisation's leads: Leads, each once
    for lead in leads:
        if not checked:
            if not isinstance(lead, Lead):
                msg = f"{name}[{len(ids)}] must be a Lead, got {lead!r}"
                raise WrongType(msg)
            keep(lead.id)
        if single is not None and lead.created_at >= end:
            continue  # created after the period: in neither view, nor open in it
        hist = lead.history
        if limit is not None:
            hist = _cut(hist, limit)
            if not hist:
                continue  # not yet captured at as_of
        last = hist[-1]
        if single is None:
            group = key(lead)  # type: ignore[misc]
            tally = tallies.get(group)
            if tally is None:
                tally = tallies[group] = Tally(n, wip_at)
        else:
            tally = single
        if last.at < start:
            # nothing happened in the period; the stay it was in may still be open at its end
            i = get(last.stage)
            if i is not None and i not in terminal:
                tally.activity_open[i].append(last.at)
            continue
        created = lead.created_at
        if created >= end:
            continue
        in_cohort = created >= start
        activity = tally.activity
        cstays, astays = tally.cstays, tally.astays
        furthest = -1
        previous_at: datetime = start  # read only once its index is set
        open_at: datetime = start
        previous_index: int | None = None
        won_at: datetime | None = None
        open_index: int | None = None
        sides = 0  # the stages off the progression entered, as bits
        for change in hist:
            at = change.at
            i = get(change.stage)
            inside = start <= at < end
            if previous_index is not None:
                if in_cohort:
                    stays = cstays[previous_index]
                    stays.append(previous_at)
                    stays.append(at)
                if inside:
                    stays = astays[previous_index]
                    stays.append(previous_at)
                    stays.append(at)
            if at < wip_until:
                open_index, open_at = i, at
            if i is not None:
                if i <= top:
                    if i > furthest:  # noqa: PLR1730 (faster than max() in the hot loop)
                        furthest = i
                    if i == top and won_at is None:
                        won_at = at
                elif in_cohort:
                    sides |= 1 << i
                if inside:
                    activity[i] += 1
            previous_at, previous_index = at, i
        if in_cohort:
            if furthest >= 0:
                tally.furthest[furthest] += 1
            if sides:
                for i in side_stages:
                    if sides >> i & 1:
                        tally.entered[i] += 1
            if previous_index is not None and previous_index not in terminal:
                tally.cohort_open[previous_index] += 1
                if as_of is not None:
                    tally.cohort_open_stays[previous_index].append(previous_at)
        if open_index is not None and open_index not in terminal:
            tally.activity_open[open_index].append(open_at)
        if won_at is not None:
            if in_cohort:
                tally.cvel.append(created)
                tally.cvel.append(won_at)
            if start <= won_at < end:
                tally.avel.append(created)
                tally.avel.append(won_at)
    refuse_repeats(ids, name)
    return tallies
