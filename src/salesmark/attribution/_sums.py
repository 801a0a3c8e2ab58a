"""The exact sums the rule models are made of, and how a rule combines them (private).

A rule that weighs touches by their position only (every rule over ``PathCounts``)
needs, per path length and channel, the conversions (and value units) of the paths
that start with the channel, end with it, or hold it (counted with repeats). These are
sums of integers (or exact fractions), so they are the same whatever the order of the
paths, and the numpy engine computes the very same numbers; each credit is then a
correctly rounded sum (``math.fsum``) of share x sum terms, in both engines.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from salesmark.attribution._columns import Table

Sums = dict[Any, list[Any]]
"""key -> [conversions, value units]: exact."""


def _add(sums: Sums, key: Any, conv: Any, value: int) -> None:
    entry = sums.get(key)
    if entry is None:
        sums[key] = [conv, value]
    else:
        entry[0] += conv
        entry[1] += value


def python_sums(table: Table, kind: str, direct: frozenset[int] = frozenset()) -> Sums:  # noqa: PLR0912 (one pass, a branch per kind of sum)
    """The sums of ``kind`` ("first", "last", "last_non_direct", "tokens", "distinct", "positions")."""
    tokens, offsets = table.tokens, table.offsets
    conv, values = table.conversions, table.units
    sums: Sums = {}
    for i in range(len(table)):
        c, value = conv[i], values[i]
        if not (c or value):
            continue
        a, b = offsets[i], offsets[i + 1]
        length = b - a
        if kind == "first":
            _add(sums, (length, tokens[a]), c, value)
        elif kind == "last":
            _add(sums, (length, tokens[b - 1]), c, value)
        elif kind == "last_non_direct":
            pick = tokens[b - 1]
            for j in range(b - 1, a - 1, -1):
                if tokens[j] not in direct:
                    pick = tokens[j]
                    break
            _add(sums, (length, pick), c, value)
        elif kind == "tokens":
            for token, times in Counter(tokens[a:b]).items():
                _add(sums, (length, token), c * times, value * times)
        elif kind == "distinct":
            members = set(tokens[a:b])
            for token in members:
                _add(sums, (len(members), token), c, value)
        else:
            for pos in range(length):
                _add(sums, (length, pos, tokens[a + pos]), c, value)
    return sums


def by_length_shares(
    first: Sums, last: Sums, every: Sums, shares: Callable[[int], Sequence[float]], channels: int
) -> tuple[list[float], list[float]]:
    """Credits and value weights of a rule whose shares are (first, m, ..., m, last) by length."""
    earned: list[list[float]] = [[] for _ in range(channels)]
    valued: list[list[float]] = [[] for _ in range(channels)]
    cache: dict[int, Sequence[float]] = {}

    def share(length: int) -> Sequence[float]:
        got = cache.get(length)
        if got is None:
            got = cache[length] = shares(length)
        return got

    for (length, token), (c, value) in every.items():
        s = share(length)
        f = first.get((length, token), (0, 0))
        la = last.get((length, token), (0, 0))
        if length == 1:
            parts = [(s[0], c, value)]
        else:  # a path of two touches has none between: its middle sums are zero
            parts = [
                (s[0], f[0], f[1]),
                (s[-1], la[0], la[1]),
                (s[1], c - f[0] - la[0], value - f[1] - la[1]),
            ]
        for weight, conv_sum, value_sum in parts:
            if weight and conv_sum:
                earned[token].append(weight * float(conv_sum))
            if weight and value_sum:
                valued[token].append(weight * float(value_sum))
    return [math.fsum(t) for t in earned], [math.fsum(t) for t in valued]


def by_key(
    sums: Sums, share: Callable[[Any], float], channels: int
) -> tuple[list[float], list[float]]:
    """Credits and value weights: channel = key[-1], each sum weighted by ``share(key)``."""
    earned: list[list[float]] = [[] for _ in range(channels)]
    valued: list[list[float]] = [[] for _ in range(channels)]
    for key, (c, value) in sums.items():
        weight = share(key)
        token = key[-1]
        if weight and c:
            earned[token].append(weight * float(c))
        if weight and value:
            valued[token].append(weight * float(value))
    return [math.fsum(t) for t in earned], [math.fsum(t) for t in valued]
