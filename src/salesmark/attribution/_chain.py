"""The Markov chain of a path table and its pure-Python solver (private).

States are keyed by sequences of channel ids (``bytes`` up to 256 channels, tuples
beyond), never by display strings, and numbered in sorted order; transition counts are
summed exactly (integers, or fractions for sampled weights). So the chain, and every
float the solver derives from it, is the same whatever order the paths were added in.
:mod:`~salesmark.attribution._numpy_engine` builds the very same chain with numpy.

The solver pushes probability mass from ``(start)`` through the chain. The mass found
converted is a lower bound of the conversion probability and adding the mass not yet
absorbed gives an upper bound; it stops when that gap is below
:data:`RELATIVE_TOLERANCE` of the conversion probability, so each probability (and
each removal effect, to that tolerance absolutely) is certified.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from itertools import compress
from operator import add, itemgetter, mul
from typing import Any, Final

from salesmark.attribution._columns import Table
from salesmark.errors import ValidationError

RELATIVE_TOLERANCE: Final = 1e-13
MAX_STEPS: Final = 100_000

MAX_MARKOV_STATES: Final = 200_000
"""The most states (besides start and the two absorbing ones) a Markov chain may have."""

MAX_MARKOV_WORK: Final = 3_000_000
"""The most channels x (states + transitions) the pure-Python engine takes on (numpy: 8x)."""

Key = Any  # bytes or tuple[int, ...]


class Chain:
    """Transition structure with exact counts, states numbered in sorted key order."""

    def __init__(  # noqa: PLR0917 (the columns of one chain)
        self,
        keys: list[Key],
        start: list[Any],
        edges: list[tuple[int, int, Any]],
        end_conv: list[Any],
        end_null: list[Any],
        end_value: list[int],
        exponent: int,
    ) -> None:
        size = len(keys)
        self.keys = keys
        self.size = size
        out: list[Any] = [c + n for c, n in zip(end_conv, end_null, strict=True)]
        for a, _b, count in edges:
            out[a] += count
        start_total = sum(start)
        self.start = [_ratio(c, start_total) for c in start]
        self.edges = [(a, b, _ratio(c, out[a])) for a, b, c in edges]
        self.pconv = [_ratio(c, t) for c, t in zip(end_conv, out, strict=True)]
        self.pnull = [_ratio(c, t) for c, t in zip(end_null, out, strict=True)]
        scale = float(10**-exponent)
        self.pvalue = [
            p * ((float(v) / scale) / float(c)) if c else 0.0
            for p, v, c in zip(self.pconv, end_value, end_conv, strict=True)
        ]
        self.has_value = any(self.pvalue)

    def channels_of(self, sid: int) -> set[int]:
        """The channel ids in state ``sid``."""
        return set(self.keys[sid])

    def removal_sets(self, channels: int) -> list[list[int]]:
        """For each channel id, the states that hold it."""
        sets: list[list[int]] = [[] for _ in range(channels)]
        for sid in range(self.size):
            for channel in self.channels_of(sid):
                sets[channel].append(sid)
        return sets


def _ratio(count: Any, total: Any) -> float:
    """``count / total`` correctly rounded; ``total`` > 0 (every state has a way out)."""
    if isinstance(count, Fraction) or isinstance(total, Fraction):
        return float(Fraction(count) / Fraction(total))
    return float(count) / float(total)


def _collapse(keys: list[Key], order: int, channels: int) -> list[Key]:
    """Runs of one channel longer than ``order`` cut to ``order`` (identical states merged)."""
    if keys and isinstance(keys[0], bytes):
        pattern = re.compile(b"(.)\\1{%d,}" % order, re.DOTALL)

        def keep(run: re.Match[bytes]) -> bytes:
            # a function, not the template b"\\1" * order: Python 3.11 expands a template
            # in Python for each match, which took longer than this call
            return run.group(1) * order

        if channels < 256:  # one pass over all paths, joined by a byte no path holds
            gap = bytes([channels])
            return pattern.sub(keep, gap.join(keys)).split(gap)
        return [pattern.sub(keep, key) for key in keys]
    out = []
    for key in keys:
        kept: list[int] = []
        run = 0
        for i, token in enumerate(key):
            run = run + 1 if i and token == key[i - 1] else 1
            if run <= order:
                kept.append(token)
        out.append(tuple(kept))
    return out


Gathered = tuple[dict[Key, Any], dict[Key, list[Any]], dict[Key, Any]]
"""What a chain is made of, keyed by channel-id sequences: the start count of each first
state, the (conversions, nulls, value units) of each last state, and the count of each
run of ``order + 1`` states (a transition). Sums of exact counts: they merge by adding."""


def build(table: Table, order: int, collapse: bool) -> Chain:  # noqa: FBT001 (internal)
    """The order-``order`` chain of ``table`` (repeats collapsed or kept)."""
    return assemble(gather(table, order, collapse), order, table.exponent)


def gather(table: Table, order: int, collapse: bool) -> Gathered:  # noqa: FBT001 (one pass over the paths)
    """The start, end and transition counts of ``table``'s chain, keyed by id sequences."""
    keys = table.keys_raw()
    if collapse:
        keys = _collapse(keys, order, len(table.names))
    conv: Sequence[Any] = table.conversions
    nulls: Sequence[Any] = table.nulls
    values: Sequence[int] = table.units
    weights: list[Any] = list(map(add, conv, nulls))
    if not all(weights):  # rows with a value but no journey start nothing, end nothing
        live = list(map(bool, weights))
        keys, weights = list(compress(keys, live)), list(compress(weights, live))
        conv, nulls = list(compress(conv, live)), list(compress(nulls, live))
        values = list(compress(values, live))
    k, k1 = order, order + 1
    firsts = map(itemgetter(slice(0, k)), keys)
    lasts = list(map(itemgetter(slice(-k, None)), keys))
    start = _sum_by(firsts, weights)
    end_conv, end_null, end_value = (_sum_by(lasts, column) for column in (conv, nulls, values))
    ends = {key: [c, end_null[key], end_value[key]] for key, c in end_conv.items()}
    groups: dict[Any, list[Key]] = {}
    for seq, w in zip(keys, weights, strict=True):
        if len(seq) > k:
            groups.setdefault(w, []).append(seq)
    transitions: Counter[Key] = Counter()
    for w, group in groups.items():
        grams = Counter(s[i : i + k1] for s in group for i in range(len(s) - k))
        if w == 1:
            transitions.update(grams)
        else:
            for gram, n in grams.items():
                transitions[gram] += n * w
    return start, ends, dict(transitions)


def _sum_by(keys: Iterable[Key], column: Iterable[Any]) -> dict[Key, Any]:
    """The sum of ``column`` by key: one pass over the zipped columns, no indexing."""
    total: dict[Key, Any] = {}
    get = total.get
    for key, x in zip(keys, column, strict=True):
        total[key] = get(key, 0) + x
    return total


def assemble(gathered: Gathered, order: int, exponent: int) -> Chain:
    """The chain of gathered counts: states numbered in sorted key order (any input order)."""
    start, ends, transitions = gathered
    k = order
    states = set(start) | set(ends)
    states.update(g[:k] for g in transitions)
    states.update(g[1:] for g in transitions)
    ordered = sorted(states)
    check_size(len(ordered))
    index = {key: i for i, key in enumerate(ordered)}
    edges = sorted((index[g[:k]], index[g[1:]], n) for g, n in transitions.items())
    size = len(ordered)
    start_col: list[Any] = [0] * size
    for key, w in start.items():
        start_col[index[key]] = w
    end_conv: list[Any] = [0] * size
    end_null: list[Any] = [0] * size
    end_value: list[int] = [0] * size
    for key, (c, n, v) in ends.items():
        sid = index[key]
        end_conv[sid], end_null[sid], end_value[sid] = c, n, v
    return Chain(ordered, start_col, edges, end_conv, end_null, end_value, exponent)


def check_size(states: int) -> None:
    """Refuse a chain with more than :data:`MAX_MARKOV_STATES` states."""
    if states > MAX_MARKOV_STATES:
        msg = (
            f"markov chain would have {states:,} states, more than MAX_MARKOV_STATES "
            f"({MAX_MARKOV_STATES:,}); use a lower order or group channels (ChannelGrouping)"
        )
        raise ValidationError(msg)


def check_work(removals: int, size: int, limit: int, engine: str) -> None:
    """Refuse a solve of more than ``limit`` channels x (states + transitions)."""
    if removals * size > limit:
        msg = (
            f"markov with the {engine} engine takes at most {limit:,} channels x (states + "
            f"transitions), got {removals:,} channels x {size:,}; group channels "
            "(ChannelGrouping), lower the order"
            + (", or install numpy (salesmark[fast])" if engine == "python" else "")
        )
        raise ValidationError(msg)


def solve(
    chain: Chain, channels: int, step: Callable[[], None] | None = None
) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    """(P(conversion), expected value) of the chain, and of it with each channel removed.

    ``step`` is called after the base solve and after each removal's.
    """
    check_work(channels, chain.size + len(chain.edges), MAX_MARKOV_WORK, "python")
    size = chain.size
    incoming: list[list[tuple[int, float]]] = [[] for _ in range(size)]
    for a, b, p in chain.edges:
        incoming[b].append((a, p))
    gather: list[Any] = [None] * size
    weights: list[Any] = [None] * size
    for t, edges in enumerate(incoming):
        if len(edges) == 1:
            gather[t] = edges[0][0]
            weights[t] = edges[0][1]
        elif edges:
            gather[t] = itemgetter(*[a for a, _p in edges])
            weights[t] = [p for _a, p in edges]
    base = _push(chain, gather, weights, frozenset(), None)
    done = step or _nothing
    done()
    removed = []
    for states in chain.removal_sets(channels):
        removed.append(
            _push(chain, gather, weights, frozenset(states), base[0]) if states else base
        )
        done()
    return base, removed


def _nothing() -> None:
    """No progress to report."""


def _push(
    chain: Chain,
    gather: Sequence[Any],
    weights: Sequence[Any],
    removed: frozenset[int],
    reference: float | None,
) -> tuple[float, float]:
    size = chain.size
    mass = [0.0] * size
    for sid, p in enumerate(chain.start):
        if p and sid not in removed:
            mass[sid] = p
    alive = [t for t in range(size) if t not in removed and gather[t] is not None]
    singles = [(t, gather[t], weights[t]) for t in alive if isinstance(gather[t], int)]
    many = [(t, gather[t], weights[t]) for t in alive if not isinstance(gather[t], int)]
    pconv, pvalue = chain.pconv, chain.pvalue
    has_value = chain.has_value
    converted = 0.0
    value = 0.0
    for _step in range(MAX_STEPS):
        converted += sum(map(mul, mass, pconv))
        if has_value:
            value += sum(map(mul, mass, pvalue))
        new = [0.0] * size
        for t, source, p in singles:
            new[t] = mass[source] * p
        for t, get, ps in many:
            new[t] = sum(map(mul, get(mass), ps))
        mass = new
        remaining = sum(mass)
        scale = converted if reference is None else reference
        if remaining <= RELATIVE_TOLERANCE * scale or not remaining:
            return converted, value
    msg = (
        f"markov did not converge within {MAX_STEPS:,} steps: the chain almost never absorbs "
        f"(P(conversion) so far {converted:.3g})"
    )
    raise ValidationError(msg)
