"""The company's history as known at an instant, and the stage exits measured from it (private).

Everything planning measures starts from a :class:`Cut`: every lead's stage changes
strictly before ``as_of`` (so nothing after a forecast's start can leak into it), the
stays that ended and those still open, how long winners took from each stage to the
win, the values of the deals won, and how fast new leads arrived.

:func:`measure_exits` turns the stays of one stage into its competing-risk exit
distribution (Aalen-Johansen): the chance of leaving after each observed length for
each next stage, with the stays still open counted as at risk until their age, as the
complete funnel's Kaplan-Meier median does. The mass left after the longest observed
stay is the chance of staying longer than any stay seen so far: a forecast never
predicts when such a stay ends.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate, pairwise

from salesmark._time import elapsed, instant
from salesmark.leads import Lead, StageChange
from salesmark.lifecycle import ForecastCategory, Lifecycle
from salesmark.organisation import Organisation
from salesmark.planning._common import US

__all__ = [
    "Cut",
    "Exits",
    "OpenLead",
    "alive_stages",
    "expected_closes",
    "longest_stays",
    "measure_exits",
    "median_us",
    "valued_stage",
]

_DEALS = (ForecastCategory.PIPELINE, ForecastCategory.BEST_CASE, ForecastCategory.COMMIT)


def valued_stage(lifecycle: Lifecycle) -> str:
    """The first stage of the progression that is an open deal (pipeline, best case or commit).

    From that stage on a lead's value counts as known; before it (an MQL, say) the value a
    CRM holds may only have been set later, so planning does not read it. The
    opportunity (the progression's second-to-last stage) when no stage is a deal.
    """
    path = lifecycle.progression
    for stage in path[:-1]:
        if lifecycle.forecast_category(stage) in _DEALS:
            return stage
    return path[-2] if len(path) > 1 else path[0]


class OpenLead:
    """A lead still open at the cut: its stage, how long it has been there, its known value."""

    __slots__ = ("age", "category", "entered", "lead", "stage", "value")

    def __init__(
        self, lead: Lead, stage: str, entered: datetime, age: int, value: Decimal | None
    ) -> None:
        self.lead = lead
        self.stage = stage
        self.entered = entered
        self.age = age  # microseconds in the stage at the cut
        self.value = value
        self.category = ForecastCategory.OMITTED


class Cut:
    """What was known of the company at ``as_of`` (only stage changes strictly before it).

    Attributes are plain lists and dicts, built in one pass over the leads sorted by id,
    so nothing depends on the order the organisation holds them in.
    """

    def __init__(self, org: Organisation, as_of: datetime, lookback: timedelta | None) -> None:
        lifecycle = org.lifecycle
        self.lifecycle = lifecycle
        self.currency = org.currency
        self.as_of = as_of
        self.won = lifecycle.progression[-1]
        self.valued = valued_stage(lifecycle)
        limit = instant(as_of)
        since = None if lookback is None else limit - lookback
        self.since = since
        path = lifecycle.progression
        self.rank = {s: i for i, s in enumerate(lifecycle.stage_names)}
        valued_at = path.index(self.valued)
        deal_stages = frozenset(path[valued_at:])
        terminal = frozenset(s for s in lifecycle.stage_names if lifecycle.is_terminal(s))
        self.histories: list[tuple[Lead, tuple[StageChange, ...]]] = []
        self.stays: dict[str, list[tuple[int, str]]] = {s: [] for s in lifecycle.stage_names}
        self.censored: dict[str, list[int]] = {s: [] for s in lifecycle.stage_names}
        self.to_win: dict[str, list[int]] = {s: [] for s in lifecycle.stage_names}
        self.won_values: list[Decimal] = []
        self.wins: list[tuple[Lead, datetime]] = []
        self.open: list[OpenLead] = []
        created: list[datetime] = []
        first_stages: Counter[str] = Counter()
        for lead in sorted(org.leads, key=lambda item: item.id):
            changes = tuple(c for c in lead.history if instant(c.at) < limit)
            if not changes:
                continue
            self.histories.append((lead, changes))
            created.append(instant(lead.created_at))
            won = self._stays(changes, since)
            last = changes[-1]
            if won is not None:
                self._winner(lead, changes, won, since)
            elif last.stage not in terminal:
                age = elapsed(last.at, as_of) // US
                if since is None or instant(last.at) >= since:
                    self.censored[last.stage].append(age)
                known = lead.value is not None and any(c.stage in deal_stages for c in changes)
                value = lead.value.amount if known and lead.value is not None else None
                item = OpenLead(lead, last.stage, last.at, age, value)
                item.category = lifecycle.forecast_category(last.stage)
                self.open.append(item)
        start = min(created, default=limit)
        if since is not None:
            start = max(start, since, key=instant)
        self.arrival_span = elapsed(start, limit) // US if created else 0
        for lead, changes in self.histories:
            if instant(lead.created_at) >= start:
                first_stages[changes[0].stage] += 1
        self.arrivals = sum(first_stages.values())
        self.first_stages = [(s, first_stages[s]) for s in lifecycle.stage_names if first_stages[s]]

    def _stays(self, changes: tuple[StageChange, ...], since: datetime | None) -> int | None:
        """Record the finished stays of one history; the index of its first win, if any."""
        for before, after in pairwise(changes):
            if since is None or instant(before.at) >= since:
                self.stays[before.stage].append((elapsed(before.at, after.at) // US, after.stage))
        for index, change in enumerate(changes):
            if change.stage == self.won:
                return index
        return None

    def _winner(
        self, lead: Lead, changes: tuple[StageChange, ...], won: int, since: datetime | None
    ) -> None:
        won_at = changes[won].at
        self.wins.append((lead, won_at))
        if since is not None and instant(won_at) < since:
            return
        if lead.value is not None:
            self.won_values.append(lead.value.amount)
        last_entry = {change.stage: change.at for change in changes[:won]}
        for stage, entered in last_entry.items():
            self.to_win[stage].append(elapsed(entered, won_at) // US)


class Exits:
    """How stays in one stage end: after which length, to which stage, with what chance.

    ``times`` (microseconds), ``targets`` and ``mass`` list the exits in time order (ties
    by the lifecycle's stage order); ``prefix`` holds their running totals (exact or
    floats, as the masses), ``cumulative`` the same as floats, for sampling; ``residual``
    is the chance of reaching the tail (or of staying longer than any stay observed, when
    there is none). From ``tail_from`` to ``tail_to`` stays end at the constant
    ``tail_rate`` (per microsecond), past it at the hazard ``tail_rate * tail_to / age``,
    to ``tail_targets`` in the ratio ``tail_weights`` (see :func:`_tail`).
    """

    __slots__ = (
        "cumulative",
        "mass",
        "prefix",
        "residual",
        "stage",
        "tail_cumulative",
        "tail_from",
        "tail_rate",
        "tail_targets",
        "tail_to",
        "tail_weights",
        "targets",
        "times",
    )  # fmt: skip

    def __init__(self, stage: str, one: Fraction | float) -> None:
        self.stage = stage
        self.times: list[int] = []
        self.targets: list[str] = []
        self.mass: list[Fraction | float] = []
        self.prefix: list[Fraction | float] = []
        self.cumulative: list[float] = []
        self.residual: Fraction | float = one
        self.tail_rate = 0.0
        self.tail_from = 0
        self.tail_to = 0
        self.tail_targets: list[str] = []
        self.tail_weights: list[int] = []
        self.tail_cumulative: list[int] = []

    def after(self, age: int) -> tuple[int, Fraction | float]:
        """The index of the first exit at or after ``age``, and the chance of reaching ``age``."""
        index = bisect_left(self.times, age)
        if index == 0:
            return 0, self.residual + (self.prefix[-1] if self.prefix else 0)
        return index, self.residual + self.prefix[-1] - self.prefix[index - 1]


def measure_exits(
    stage: str,
    stays: Sequence[tuple[int, str]],
    censored: Sequence[int],
    rank: dict[str, int],
    *,
    exact: bool,
    weights: Sequence[int] | None = None,
) -> Exits:
    """The Aalen-Johansen exit distribution of one stage from finished and open stays.

    At each distinct length, the finished stays of that length end before the open ones
    of the same age leave the risk set (the Kaplan-Meier convention). With ``exact`` the
    chances are Fractions, else floats. ``weights`` (one whole number per stay, then per
    open stay) counts each stay that many times: a bootstrap replicate.

    Example:
        >>> ex = measure_exits("deal", [(10, "won"), (20, "lost")], [15], {"won": 0, "lost": 1}, exact=True)
        >>> list(zip(ex.times, ex.targets, ex.mass)), ex.residual
        ([(10, 'won', Fraction(1, 3)), (20, 'lost', Fraction(2, 3))], Fraction(0, 1))
    """
    one: Fraction | float = Fraction(1) if exact else 1.0
    exits = Exits(stage, one)
    by_length: dict[int, Counter[str]] = {}
    left: Counter[int] = Counter()
    if weights is None:
        for length, target in stays:
            by_length.setdefault(length, Counter())[target] += 1
        left.update(censored)
    else:
        for (length, target), w in zip(stays, weights, strict=False):
            if w:
                by_length.setdefault(length, Counter())[target] += w
        for length, w in zip(censored, weights[len(stays) :], strict=True):
            if w:
                left[length] += w
    at_risk = sum(sum(c.values()) for c in by_length.values()) + sum(left.values())
    survival = one
    total: Fraction | float = 0 * one
    for length in sorted(by_length.keys() | left.keys()):
        here = by_length.get(length)
        done = 0
        if here:
            done = sum(here.values())
            for target in sorted(here, key=lambda t: (rank.get(t, len(rank)), t)):
                share = survival * here[target] / at_risk
                total = total + share
                exits.times.append(length)
                exits.targets.append(target)
                exits.mass.append(share)
                exits.prefix.append(total)
                exits.cumulative.append(float(total))
            survival = survival * (at_risk - done) / at_risk
        at_risk -= done + left.get(length, 0)
    exits.residual = survival
    if len(exits.times) > TAIL_EXITS:
        _tail(exits, by_length, left, rank)
    return exits


TAIL_EXITS = 20
"""At least the last this many exits of a stage are smoothed into its tail."""
TAIL_SHARE = 0.05
"""At least this share of a stage's exits, the last ones, are smoothed into its tail."""


def _tail(
    exits: Exits, ended: dict[int, Counter[str]], left: Counter[int], rank: dict[str, int]
) -> None:
    """Replace the last exits, too few to trust one by one, by a smooth tail.

    From ``start``, where the last :data:`TAIL_EXITS` exits begin, to the last exit
    ``last``, stays end at the constant rate ``r`` of those exits over the time all stays
    spent between ``start`` and ``last`` (the exponential maximum-likelihood rate), and
    go where those exits went. Past ``last`` the hazard falls as ``r * last / age``: the
    longer a lead has sat without moving, the likelier it is one nobody works, so a pile
    of forgotten leads does not leak into the forecast, while a young history's long
    stays still end.
    """
    seen = 0
    cut = len(exits.times)
    wanted = max(TAIL_EXITS, int(TAIL_SHARE * sum(sum(c.values()) for c in ended.values())))
    while cut > 0 and seen < wanted:
        cut -= 1
        seen += ended[exits.times[cut]][exits.targets[cut]]
    start, last = exits.times[cut], exits.times[-1]
    cut = bisect_left(exits.times, start)
    tail: Counter[str] = Counter()
    exposure = 0
    for length, counts in ended.items():
        if length >= start:
            tail.update(counts)
            exposure += (min(length, last) - start) * sum(counts.values())
    exposure += sum((min(length, last) - start) * n for length, n in left.items() if length > start)
    if exposure <= 0:
        return
    before = exits.prefix[cut - 1] if cut else 0 * exits.residual
    for field in (exits.times, exits.targets, exits.mass, exits.prefix, exits.cumulative):
        del field[cut:]
    exits.residual = 1 - before
    exits.tail_from, exits.tail_to = start, last
    exits.tail_rate = sum(tail.values()) / exposure
    exits.tail_targets = sorted(tail, key=lambda t: (rank.get(t, len(rank)), t))
    exits.tail_weights = [tail[t] for t in exits.tail_targets]
    exits.tail_cumulative = list(accumulate(exits.tail_weights))


def alive_stages(exits: dict[str, Exits], won: str) -> frozenset[str]:
    """The stages from which the measured exits can still lead to the won stage."""
    alive = {won}
    changed = True
    while changed:
        changed = False
        for stage, found in exits.items():
            if stage not in alive and any(
                t in alive for t in [*found.targets, *found.tail_targets]
            ):
                alive.add(stage)
                changed = True
    return frozenset(alive)


def median_us(ordered: Sequence[int]) -> int:
    """The median of sorted microsecond counts, interpolated as :class:`Durations` does."""
    n = len(ordered)
    if n % 2:
        return ordered[n // 2]
    return round(Fraction(ordered[n // 2 - 1] + ordered[n // 2], 2))


def expected_closes(cut: Cut) -> dict[str, datetime | None]:
    """Per open lead, its expected close date (``None`` when no winner ever stayed that long).

    The cut plus the median time winners still needed from its stage once they had been
    there as long as it has.
    """
    ordered = {stage: sorted(times) for stage, times in cut.to_win.items()}
    start = cut.as_of.astimezone(timezone.utc)
    closes: dict[str, datetime | None] = {}
    for item in cut.open:
        times = ordered.get(item.stage, [])
        tail = times[bisect_left(times, item.age) :]
        if not tail:
            closes[item.lead.id] = None
            continue
        remaining = median_us(tail) - item.age
        closes[item.lead.id] = (start + remaining * US).astimezone(cut.as_of.tzinfo)
    return closes


def longest_stays(cut: Cut) -> dict[str, int]:
    """Per stage, the longest finished stay measured (``-1`` when none ended)."""
    return {stage: max((x for x, _ in stays), default=-1) for stage, stays in cut.stays.items()}
