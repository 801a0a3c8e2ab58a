"""Private: the deterministic k-modes clustering of deal profiles behind persona suggestions.

A profile is a deal's attribute values (text as it is, numbers as the number of their
quantile bin, ``MISSING`` for an absent attribute). Clustering works on the distinct
profiles weighted by how many deals share them, so its cost grows with the distinct
profiles, not the deals. The method is documented in
:mod:`salesmark.scoring.persona_suggestions`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Final

from salesmark.leads import Lead

_MAX_ROUNDS: Final = 100
_STRUCTURE: Final = Fraction(1, 4)
"""The silhouette below which no substantial cluster structure is found."""
TOLERANCE: Final = Fraction(3, 20)
"""How far below the best silhouette a smaller k may be and still be chosen (0.15)."""


class _Missing:
    """The value of an attribute a deal does not have (one instance, never equal to a value)."""

    def __repr__(self) -> str:
        return "(missing)"


MISSING: Final = _Missing()

Profile = tuple[Any, ...]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _edges(values: list[float], bins: int) -> tuple[float, ...]:
    """The inner bin edges: the ``i / bins`` quantiles (nearest rank) of ``values``, distinct.

    The rank ``len * i // bins`` is below ``len`` for every ``i < bins``.
    """
    ordered = sorted(values)
    picked = [ordered[(len(ordered) * i) // bins] for i in range(1, bins)]
    return tuple(sorted(set(picked)))


def _bin(value: float, edges: tuple[float, ...]) -> int:
    return sum(1 for edge in edges if value >= edge)


class Coder:
    """Turns a deal's attributes into a profile: values for text, bin numbers for numbers."""

    def __init__(self, names: tuple[str, ...], deals: Sequence[Lead], bins: int) -> None:
        self.names = names
        self.edges: dict[str, tuple[float, ...]] = {}
        for name in names:
            present = [d.attributes[name] for d in deals if name in d.attributes]
            if present and all(_is_number(x) for x in present):
                self.edges[name] = _edges([float(x) for x in present], bins)

    def profile(self, lead: Lead) -> Profile:
        out: list[Any] = []
        for name in self.names:
            value = lead.attributes.get(name, MISSING)
            if name in self.edges and value is not MISSING:
                out.append(_bin(float(value), self.edges[name]))  # type: ignore[arg-type]
            else:
                out.append(value)
        return tuple(out)


def key(profile: Profile) -> tuple[str, ...]:
    return tuple(f"{type(x).__name__}:{x!r}" for x in profile)


def _distance(a: Profile, b: Profile) -> int:
    return sum(1 for x, y in zip(a, b, strict=True) if x != y or type(x) is not type(y))


def _kmodes(weights: dict[Profile, int], k: int) -> list[list[Profile]]:
    """The profiles in (at most) ``k`` clusters, by the deterministic k-modes of the module."""
    order = sorted(weights, key=lambda p: (-weights[p], key(p)))
    centres = [order[0]]
    while len(centres) < k:
        far = max(order, key=lambda p: (min(_distance(p, c) for c in centres), weights[p]))
        if min(_distance(far, c) for c in centres) == 0:
            break  # fewer distinct profiles than k
        centres.append(far)
    groups: list[list[Profile]] = []
    for _ in range(_MAX_ROUNDS):
        groups = [[] for _ in centres]
        for p in order:
            nearest = min(range(len(centres)), key=lambda j: (_distance(p, centres[j]), j))
            groups[nearest].append(p)
        groups = [g for g in groups if g]
        moved = [_mode(g, weights) for g in groups]
        if moved == centres[: len(moved)] and len(moved) == len(centres):
            break
        centres = moved
    return groups


def _mode(group: list[Profile], weights: dict[Profile, int]) -> Profile:
    width = len(group[0])
    out = []
    for i in range(width):
        counts: Counter[tuple[str, Any]] = Counter()
        for p in group:
            counts[(key((p[i],))[0], p[i])] += weights[p]
        out.append(min(counts.items(), key=lambda item: (-item[1], item[0][0]))[0][1])
    return tuple(out)


def _silhouette(groups: list[list[Profile]], weights: dict[Profile, int]) -> Fraction:
    """The mean silhouette over deals (profiles weighted by their deals), exactly."""
    total = Fraction(0)
    count = 0
    where = {p: j for j, g in enumerate(groups) for p in g}
    sizes = [sum(weights[p] for p in g) for g in groups]
    for p, j in where.items():
        n = weights[p]
        count += n
        if sizes[j] == 1:
            continue  # a deal alone in its cluster scores 0
        sums = [sum(weights[q] * _distance(p, q) for q in g) for g in groups]
        a = Fraction(sums[j], sizes[j] - 1)
        b = min(Fraction(sums[i], sizes[i]) for i in range(len(groups)) if i != j)
        top = max(a, b)
        if top:
            total += n * (b - a) / top
    return total / count


def choose(
    weights: dict[Profile, int], won: int, max_k: int, min_share: Fraction
) -> tuple[list[list[Profile]], Fraction | None]:
    """The clusters chosen and their silhouette (``None`` for one cluster), by the module's rule.

    Among the k from 2 to ``max_k`` whose every cluster holds ``min_share`` of the won
    deals and whose silhouette reaches 0.25, the smallest k within ``TOLERANCE`` of the
    best silhouette: fewer, broader personas unless more are clearly better.
    """
    found: list[tuple[int, Fraction, list[list[Profile]]]] = []
    for k in range(2, max_k + 1):
        groups = _kmodes(weights, k)
        if len(groups) < k or any(
            Fraction(sum(weights[p] for p in g), won) < min_share for g in groups
        ):
            continue
        score = _silhouette(groups, weights)
        if score >= _STRUCTURE:
            found.append((k, score, groups))
    if not found:
        return [sorted(weights, key=key)], None
    best = max(score for _, score, _ in found)
    _, score, groups = min(x for x in found if x[1] >= best - TOLERANCE)
    return groups, score
