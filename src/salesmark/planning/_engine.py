"""The forecast's two engines: exact enumeration where it fits, else a seeded simulation (private).

Both run on a :class:`Model` measured from a :class:`~salesmark.planning._history.Cut`
and give, per forecast period and for all periods together, the distribution of the
number of wins and of the bookings (in whole units of the smallest amount, so sums are
exact integers). Time is counted in microseconds from the forecast's start.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate

from salesmark.planning._history import Cut, Exits, OpenLead, alive_stages, measure_exits

__all__ = ["Distribution", "Model", "TooLarge", "enumerate_exactly", "simulate"]

_MAX_STEPS = 1_000  # a journey longer than this many moves is cut (zero-length loops)
NEW_LEAD_JOURNEYS = 50_000
"""The fewest journeys of new leads sampled to measure what new leads will win (the wins of
a new lead within a few months are rare, so the estimate needs many)."""
ATOM_BUDGET = 20_000
"""The most outcomes the exact engine enumerates (journey branches, or distinct sums) before
it gives way to the simulation."""


class TooLarge(Exception):  # an internal signal, never raised to users
    """The exact enumeration would exceed :data:`ATOM_BUDGET`."""


class Distribution:
    """A finite distribution over whole numbers: exact chances, or equally likely draws."""

    __slots__ = ("atoms", "draws")

    def __init__(
        self, atoms: dict[int, Fraction] | None = None, draws: list[int] | None = None
    ) -> None:
        self.atoms = atoms
        self.draws = None if draws is None else sorted(draws)

    def quantile(self, q: Fraction) -> int:
        """The smallest value whose cumulative chance reaches ``q`` (the inverted CDF)."""
        if self.draws is not None:
            n = len(self.draws)
            return self.draws[min(n - 1, max(0, math.ceil(q * n) - 1))]
        assert self.atoms is not None
        running = Fraction(0)
        ordered = sorted(self.atoms.items())
        for value, chance in ordered:
            running += chance
            if running >= q:
                return value
        return ordered[-1][0]

    def mean(self) -> Fraction:
        """The expected value, exactly (the mean of the draws for a simulation)."""
        if self.draws is not None:
            return Fraction(sum(self.draws), len(self.draws))
        assert self.atoms is not None
        return sum((value * chance for value, chance in self.atoms.items()), Fraction(0))


class Model:
    """The measured exits of every stage a lead can still leave, and what new leads bring."""

    def __init__(
        self, cut: Cut, *, exact: bool, exponent: int, rng: random.Random | None = None
    ) -> None:
        lifecycle = cut.lifecycle
        self.won = cut.won
        self.exits: dict[str, Exits] = {}
        for stage in lifecycle.stage_names:
            if stage == cut.won or lifecycle.is_terminal(stage):
                continue
            stays, open_stays = cut.stays[stage], cut.censored[stage]
            weights = None
            if rng is not None:
                weights = [_poisson(1.0, rng) for _ in range(len(stays) + len(open_stays))]
            self.exits[stage] = measure_exits(
                stage, stays, open_stays, cut.rank, exact=exact, weights=weights
            )
        self.alive = alive_stages(self.exits, cut.won)
        self.exponent = exponent
        self.values = sorted(units(value, exponent) for value in cut.won_values)
        self.arrivals = cut.arrivals
        self.span = cut.arrival_span
        self.first_stages = cut.first_stages


def units(value: Decimal, exponent: int) -> int:
    """``value`` in whole units of ``10 ** -exponent``, exactly."""
    return int(value.scaleb(exponent))


def _period_of(t: int, starts: Sequence[int], ends: Sequence[int]) -> int | None:
    k = bisect_right(starts, t) - 1
    return k if k >= 0 and t < ends[k] else None


# -- the exact engine ----------------------------------------------------------------------


def _win_chances(
    model: Model, item: OpenLead, starts: Sequence[int], ends: Sequence[int], budget: list[int]
) -> dict[int, Fraction]:
    """Per period, the exact chance that ``item`` wins in it (every journey enumerated)."""
    horizon = ends[-1]
    chances: dict[int, Fraction] = {}
    stack: list[tuple[str, int, int, Fraction]] = [(item.stage, item.age, 0, Fraction(1))]
    while stack:
        stage, age, t, chance = stack.pop()
        exits = model.exits[stage]
        first, left = exits.after(age)
        for j in range(first, len(exits.times)):
            at = t + exits.times[j] - age
            if at >= horizon:
                break
            budget[0] -= 1
            if budget[0] < 0:
                raise TooLarge
            share = chance * Fraction(exits.mass[j]) / Fraction(left)
            target = exits.targets[j]
            if target == model.won:
                k = _period_of(at, starts, ends)
                if k is not None:
                    chances[k] = chances.get(k, Fraction(0)) + share
            elif target in model.alive:
                stack.append((target, 0, at, share))
    return chances


def _convolve(
    dist: dict[int, Fraction], chance: Fraction, outcomes: dict[int, Fraction], budget: int
) -> dict[int, Fraction]:
    """``dist`` plus one more lead that adds an outcome of ``outcomes`` with ``chance``."""
    result: dict[int, Fraction] = {}
    stay = 1 - chance
    for value, p in dist.items():
        if stay:
            result[value] = result.get(value, Fraction(0)) + p * stay
        for add, q in outcomes.items():
            key = value + add
            result[key] = result.get(key, Fraction(0)) + p * chance * q
    if len(result) > budget:
        raise TooLarge
    return result


def enumerate_exactly(
    model: Model,
    leads: Sequence[OpenLead],
    starts: Sequence[int],
    ends: Sequence[int],
    value_units: dict[str, int | None],
) -> list[tuple[Distribution, Distribution]]:
    """Exact (wins, bookings) distributions per period, then for all periods together.

    Raises:
        TooLarge: When the journeys or the distinct sums outgrow :data:`ATOM_BUDGET`.
    """
    budget = [ATOM_BUDGET]
    unknown: dict[int, Fraction] = {}
    for value, n in Counter(model.values).items():
        unknown[value] = Fraction(n, len(model.values))
    periods = len(starts)
    wins: list[dict[int, Fraction]] = [{0: Fraction(1)} for _ in range(periods + 1)]
    books: list[dict[int, Fraction]] = [{0: Fraction(1)} for _ in range(periods + 1)]
    for item in leads:
        if item.stage not in model.alive:
            continue
        chances = _win_chances(model, item, starts, ends, budget)
        if not chances:
            continue
        known = value_units[item.lead.id]
        values = {known: Fraction(1)} if known is not None else unknown or {0: Fraction(1)}
        total = sum(chances.values(), Fraction(0))
        for k, chance in [*chances.items(), (periods, total)]:
            wins[k] = _convolve(wins[k], chance, {1: Fraction(1)}, ATOM_BUDGET)
            books[k] = _convolve(books[k], chance, values, ATOM_BUDGET)
    return [
        (Distribution(atoms=w), Distribution(atoms=b)) for w, b in zip(wins, books, strict=True)
    ]


# -- the simulation ------------------------------------------------------------------------


def _poisson(mean: float, rng: random.Random) -> int:
    """A Poisson draw by inversion, in chunks of at most 500 so ``exp(-mean)`` stays above zero."""
    count = 0
    while mean > 0:
        part = min(mean, 500.0)
        mean -= part
        u, k, p = rng.random(), 0, math.exp(-part)
        total = p
        while u > total and k < 10_000:
            k += 1
            p *= part / k
            total += p
        count += k
    return count


def _journey(model: Model, stage: str, age: int, rng: random.Random, horizon: int) -> int | None:
    """One sampled journey from ``stage`` (``age`` into it): the time of the win, or ``None``."""
    t = 0
    for _ in range(_MAX_STEPS):
        exits = model.exits[stage]
        cumulative = exits.cumulative
        if age:
            first = bisect_right(exits.times, age - 1)  # first exit at or after age
            base = cumulative[first - 1] if first else 0.0
            j = bisect_right(cumulative, base + rng.random() * (1.0 - base), first)
        else:
            j = bisect_right(cumulative, rng.random())
        if j >= len(cumulative):  # in the smoothed tail, if there is one
            if not exits.tail_rate:
                return None
            t += _tail_stay(exits, age, rng) - age
            target = _pick(exits.tail_targets, exits.tail_cumulative, rng)
        else:
            t += exits.times[j] - age
            target = exits.targets[j]
        if t >= horizon:
            return None
        stage, age = target, 0
        if stage == model.won:
            return t
        if stage not in model.alive:
            return None
    return None


def _pick(items: Sequence[str], cumulative: Sequence[int], rng: random.Random) -> str:
    """One of ``items`` by whole-number weights, as ``rng.choices`` picks it (same draws)."""
    return items[bisect_right(cumulative, rng.random() * cumulative[-1], 0, len(items) - 1)]


def _tail_stay(exits: Exits, age: int, rng: random.Random) -> int:
    """The length of a stay that reached the tail of ``exits`` and is ``age`` long already."""
    reached = max(age, exits.tail_from)
    last, rate = exits.tail_to, exits.tail_rate
    if reached < last:
        ends = reached + rng.expovariate(rate)
        if ends < last:
            return int(ends)
        reached = last
    shape = rate * last  # the hazard rate * last / z past last: survival (reached / z) ** shape
    growth = -math.log(1.0 - rng.random()) / shape
    return int(reached * math.exp(growth)) if growth < 40.0 else 2**62


def _new_lead_means(
    model: Model, starts: Sequence[int], ends: Sequence[int], journeys: int, rng: random.Random
) -> list[float]:
    """Per period, the expected wins of leads yet to arrive (a Poisson process at the measured rate).

    A lead arriving at ``a`` (uniform over the horizon) wins in period k when ``a + T``
    falls in it, ``T`` its time to win; averaged over ``journeys`` sampled new leads.
    """
    horizon = ends[-1]
    if not model.arrivals or not model.span:
        return [0.0] * len(starts)
    rate = model.arrivals / model.span
    stages = [s for s, _ in model.first_stages]
    cumulative = list(accumulate(n for _, n in model.first_stages))
    overlap = [0.0] * len(starts)
    for _ in range(journeys):
        stage = _pick(stages, cumulative, rng)
        if stage == model.won:
            took: int | None = 0
        elif stage in model.alive:
            took = _journey(model, stage, 0, rng, horizon)
        else:
            took = None
        if took is None:
            continue
        for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
            overlap[k] += max(0, min(horizon, end - took) - max(0, start - took))
    return [rate * o / journeys for o in overlap]


def simulate(
    model: Model,
    leads: Sequence[OpenLead],
    starts: Sequence[int],
    ends: Sequence[int],
    value_units: dict[str, int | None],
    *,
    draws: int,
    seed: int,
    new_leads: bool,
) -> list[tuple[Distribution, Distribution]]:
    """Seeded (wins, bookings) draws per period, then for all periods together.

    Each draw follows every open lead through the measured exits and adds Poisson
    numbers of wins from new leads, each booking a won deal's value drawn from history.
    """
    rng = random.Random(seed)
    horizon = ends[-1]
    periods = len(starts)
    active = [
        (item.stage, item.age, value_units[item.lead.id])
        for item in leads
        if item.stage in model.alive and _may_leave(model.exits[item.stage], item.age)
    ]
    journeys = max(NEW_LEAD_JOURNEYS, 20 * draws)
    means = _new_lead_means(model, starts, ends, journeys, rng) if new_leads else [0.0] * periods
    values = model.values
    wins = [[0] * draws for _ in range(periods + 1)]
    books = [[0] * draws for _ in range(periods + 1)]
    for d in range(draws):
        for stage, age, value in active:
            t = _journey(model, stage, age, rng, horizon)
            if t is None:
                continue
            k = _period_of(t, starts, ends)
            if k is None:
                continue
            amount = (
                value
                if value is not None
                else (values[int(rng.random() * len(values))] if values else 0)
            )
            for slot in (k, periods):
                wins[slot][d] += 1
                books[slot][d] += amount
        for k, mean in enumerate(means):
            n = _poisson(mean, rng)
            amount = sum(values[int(rng.random() * len(values))] for _ in range(n)) if values else 0
            for slot in (k, periods):
                wins[slot][d] += n
                books[slot][d] += amount
    return [
        (Distribution(draws=w), Distribution(draws=b)) for w, b in zip(wins, books, strict=True)
    ]


def _may_leave(exits: Exits, age: int) -> bool:
    """Whether a lead ``age`` into the stage can still leave it, as measured."""
    return bool(exits.tail_rate) or (bool(exits.times) and age <= exits.times[-1])
