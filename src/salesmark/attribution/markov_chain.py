"""Markov-chain attribution by removal effects, solved exactly and deterministically.

Journeys become walks on an absorbing Markov chain: a ``(start)`` state, one state per
channel (order 1) or per run of ``order`` consecutive channels (orders 2-4), and two
absorbing states, ``(conversion)`` and ``(null)``. Transition probabilities are the
observed transition counts, each path weighted by its conversions plus nulls.

A channel's **removal effect** is the share of the conversion probability that is lost
when every state holding the channel sends its walkers to ``(null)`` instead:
``1 - P(conversion | channel removed) / P(conversion)``.

The conversion probabilities are found by pushing probability mass from ``(start)``
through the chain until the mass not yet absorbed is below ``1e-13`` of the conversion
probability found (and below ``1e-15`` absolutely). The mass found converted is a lower
bound and adding the mass left gives an upper bound, so each probability is certified
to that tolerance — no random simulation, the same answer on every run.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from operator import eq, mul
from typing import Literal

import attrs

from salesmark.attribution._checks import one_of
from salesmark.attribution._engine import Paths, Terms, collect, finish, to_counts
from salesmark.attribution.paths import PathCounts
from salesmark.attribution.results import AttributionResult, _frozen
from salesmark.errors import ValidationError, WrongType

__all__ = ["MarkovChain", "markov"]

Repeats = Literal["collapse", "keep"]
Credit = Literal["removal_share", "value_weighted", "per_journey"]

START = "(start)"
CONVERSION = "(conversion)"
NULL = "(null)"
RELATIVE_TOLERANCE = 1e-13
ABSOLUTE_TOLERANCE = 1e-15
MAX_STEPS = 1_000_000


def _check_order(order: object) -> int:
    msg = f"markov order must be a whole number from 1 to 4, got {order!r}"
    if isinstance(order, bool) or not isinstance(order, int):
        raise WrongType(msg)
    if not 1 <= order <= 4:
        raise ValidationError(msg)
    return order


def _states(path: tuple[str, ...], order: int, collapse: bool) -> Sequence[Hashable]:  # noqa: FBT001
    raw: Sequence[Hashable]
    if order == 1:
        raw = path
    elif len(path) <= order:
        return (path,)
    else:
        raw = [path[i : i + order] for i in range(len(path) - order + 1)]
    if not collapse or not any(map(eq, raw, raw[1:])):
        return raw
    out = [raw[0]]
    for state in raw[1:]:
        if state != out[-1]:
            out.append(state)
    return out


def chain_states(
    start: Mapping[Hashable, float],
    pairs: Mapping[tuple[Hashable, Hashable], float],
    ends: Mapping[Hashable, object],
) -> Iterator[Hashable]:
    """Every state, in first-seen order."""
    yield from start
    for a, b in pairs:
        yield a
        yield b
    yield from ends


class _Chain:
    """The transition structure, indexed by int state ids."""

    def __init__(self, counts: PathCounts, order: int, collapse: bool) -> None:  # noqa: FBT001
        start: dict[Hashable, float] = {}
        pairs: dict[tuple[Hashable, Hashable], float] = {}
        ends: dict[Hashable, list[float]] = {}
        for path, (conv, nulls, value) in counts.paths.items():
            weight = conv + nulls
            if not weight:
                continue
            seq = _states(path, order, collapse)
            first = seq[0]
            start[first] = start.get(first, 0.0) + weight
            for pair in zip(seq, seq[1:], strict=False):  # noqa: RUF007 (faster than pairwise)
                pairs[pair] = pairs.get(pair, 0.0) + weight
            end = ends.get(seq[-1])
            if end is None:
                ends[seq[-1]] = [conv, nulls, float(value)]
            else:
                end[0] += conv
                end[1] += nulls
                end[2] += float(value)
        index: dict[Hashable, int] = {}
        keys: list[Hashable] = []
        for state in chain_states(start, pairs, ends):
            if state not in index:
                index[state] = len(keys)
                keys.append(state)
        end_conv = [0.0] * len(keys)
        end_null = [0.0] * len(keys)
        end_value = [0.0] * len(keys)
        for state, (conv_end, null_end, value_end) in ends.items():
            sid = index[state]
            end_conv[sid], end_null[sid], end_value[sid] = conv_end, null_end, value_end
        start_ids = {index[k]: w for k, w in start.items()}
        pair_ids = {(index[a], index[b]): w for (a, b), w in pairs.items()}
        size = len(keys)
        out_total = [end_conv[s] + end_null[s] for s in range(size)]
        for (a, _b), count in pair_ids.items():
            out_total[a] += count
        self.order = order
        self.keys = keys
        self.size = size
        start_total = math.fsum(start_ids.values())
        self.start = {s: c / start_total for s, c in start_ids.items()} if start_total else {}
        self.pairs = {(a, b): c / out_total[a] for (a, b), c in pair_ids.items()}
        self.pconv = [end_conv[s] / out_total[s] if out_total[s] else 0.0 for s in range(size)]
        self.pnull = [end_null[s] / out_total[s] if out_total[s] else 0.0 for s in range(size)]
        self.pvalue = [
            self.pconv[s] * (end_value[s] / end_conv[s]) if end_conv[s] else 0.0
            for s in range(size)
        ]
        incoming: list[list[tuple[int, float]]] = [[] for _ in range(size)]
        for (a, b), p in self.pairs.items():
            incoming[b].append((a, p))
        self.sources = [[a for a, _p in edges] for edges in incoming]
        self.weights = [[p for _a, p in edges] for edges in incoming]
        self.has_value = any(self.pvalue)

    def channels_of(self, sid: int) -> Iterable[str]:
        key = self.keys[sid]
        return (key,) if isinstance(key, str) else key  # type: ignore[return-value]

    def label(self, sid: int) -> str:
        return " > ".join(self.channels_of(sid))

    def solve(self, removed: frozenset[int] = frozenset()) -> tuple[float, float]:
        """P(conversion) and expected conversion value from start with ``removed`` states."""
        mass = [0.0] * self.size
        for sid, p in self.start.items():
            if sid not in removed:
                mass[sid] += p
        targets = [t for t in range(self.size) if t not in removed and self.sources[t]]
        sources, weights = self.sources, self.weights
        pconv, pvalue = self.pconv, self.pvalue
        converted = 0.0
        value = 0.0
        for _step in range(MAX_STEPS):
            converted += sum(map(mul, mass, pconv))
            if self.has_value:
                value += sum(map(mul, mass, pvalue))
            new = [0.0] * self.size
            for t in targets:
                new[t] = sum(map(mul, map(mass.__getitem__, sources[t]), weights[t]))
            mass = new
            remaining = sum(mass)
            if remaining <= ABSOLUTE_TOLERANCE or remaining <= RELATIVE_TOLERANCE * converted:
                return converted, value
        msg = (  # pragma: no cover - needs a chain that almost never absorbs
            f"markov did not converge within {MAX_STEPS} steps; the chain almost never absorbs"
        )
        raise ValidationError(msg)  # pragma: no cover


@attrs.frozen(kw_only=True, repr=False)
class MarkovChain:
    """A fitted absorbing Markov chain with its conversion probability and removal effects.

    Attributes:
        order: How many consecutive channels make a state (1-4).
        repeats: ``"collapse"`` (consecutive identical states merged, as
            ChannelAttribution does) or ``"keep"`` (self-loops kept).
        transition_probabilities: (from state, to state) -> probability; states are
            labelled ``"(start)"``, ``"a"`` or ``"a > b"``, ``"(conversion)"``, ``"(null)"``.
        conversion_probability: P(reaching ``(conversion)`` from ``(start)``).
        removal_effects: Channel -> removal effect (share of conversion probability lost).
        value_removal_effects: Channel -> removal effect on the expected conversion
            value, each path's conversions weighted by their mean value (equal to
            ``removal_effects`` when the paths carry no value).

    Example:
        >>> counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None), (("b",), 0, 1, None)])
        >>> chain = MarkovChain.fit(counts)
        >>> chain.conversion_probability
        0.5
        >>> dict(chain.removal_effects)
        {'a': 0.5, 'b': 1.0}
        >>> chain.transition_probabilities[("b", "(conversion)")]
        0.5
    """

    order: int
    repeats: str
    transition_probabilities: Mapping[tuple[str, str], float] = attrs.field(
        converter=_frozen, hash=False
    )
    conversion_probability: float
    removal_effects: Mapping[str, float] = attrs.field(converter=_frozen, hash=False)
    value_removal_effects: Mapping[str, float] = attrs.field(converter=_frozen, hash=False)

    @classmethod
    def fit(cls, data: Paths, *, order: int = 1, repeats: Repeats = "collapse") -> MarkovChain:
        """Build the chain from paths and solve it for every channel's removal effect.

        Args:
            data: PathCounts or journeys; at least one conversion.
            order: States are runs of ``order`` consecutive channels (1-4); a path
                shorter than ``order`` is one state of its own.
            repeats: ``"collapse"`` merges consecutive identical states (the default,
                as ChannelAttribution); ``"keep"`` keeps them as self-loops.

        Raises:
            ValidationError: If ``order`` is not 1-4, ``repeats`` is unknown, or there
                is no conversion.

        Example:
            >>> counts = PathCounts.from_tuples([(("a", "a", "b"), 1, 1, None)])
            >>> MarkovChain.fit(counts).transition_probabilities[("a", "b")]
            1.0
            >>> MarkovChain.fit(counts, repeats="keep").transition_probabilities[("a", "a")]
            0.5
        """
        return _fit(to_counts(data), order, repeats)[0]

    def __repr__(self) -> str:
        states = {a for a, _b in self.transition_probabilities} - {START}
        return (
            f"MarkovChain(order={self.order}, {len(states)} states, "
            f"P(conversion)={self.conversion_probability:.6g})"
        )


def _fit(counts: PathCounts, order: int, repeats: str) -> tuple[MarkovChain, _Chain]:
    order = _check_order(order)
    one_of(repeats, "markov repeats", ("collapse", "keep"))
    if not counts.total_conversions:
        msg = f"markov needs at least one conversion, got {counts!r}"
        raise ValidationError(msg)
    chain = _Chain(counts, order, repeats == "collapse")
    base, base_value = chain.solve()
    by_channel: dict[str, set[int]] = {}
    for sid in range(chain.size):
        for channel in chain.channels_of(sid):
            by_channel.setdefault(channel, set()).add(sid)
    effects: dict[str, float] = {}
    value_effects: dict[str, float] = {}
    for channel in sorted(by_channel):
        converted, value = chain.solve(frozenset(by_channel[channel]))
        effects[channel] = max(0.0, 1.0 - converted / base)
        value_effects[channel] = (
            max(0.0, 1.0 - value / base_value) if base_value > 0 else effects[channel]
        )
    probabilities: dict[tuple[str, str], float] = {}
    for sid, p in chain.start.items():
        probabilities[(START, chain.label(sid))] = p
    for (a, b), p in chain.pairs.items():
        probabilities[(chain.label(a), chain.label(b))] = p
    for sid in range(chain.size):
        if chain.pconv[sid]:
            probabilities[(chain.label(sid), CONVERSION)] = chain.pconv[sid]
        if chain.pnull[sid]:
            probabilities[(chain.label(sid), NULL)] = chain.pnull[sid]
    fitted = MarkovChain(
        order=order,
        repeats=repeats,
        transition_probabilities=probabilities,
        conversion_probability=base,
        removal_effects=effects,
        value_removal_effects=value_effects,
    )
    return fitted, chain


def markov(
    data: Paths,
    *,
    order: int = 1,
    repeats: Repeats = "collapse",
    credit: Credit = "removal_share",
) -> AttributionResult:
    """Attribute conversions by Markov removal effects, solved exactly.

    Args:
        data: PathCounts or journeys, with nulls (journeys that did not convert):
            without them every path converts and removal effects say little.
        order: How many consecutive channels make a state (1-4).
        repeats: ``"collapse"`` (default) or ``"keep"``; see :meth:`MarkovChain.fit`.
        credit: How removal effects become credits:

            - ``"removal_share"`` (default, ChannelAttribution's conversions):
              channel credit = removal effect / sum of removal effects x total
              conversions; value is split in the same proportions.
            - ``"value_weighted"`` (ChannelAttribution's value credits): conversions
              as above, value split by the value-weighted removal effects.
            - ``"per_journey"`` (marketing-attribution-models): each converting
              journey's conversions and value are split among its touches in
              proportion to their channels' removal effects.

    Raises:
        ValidationError: If ``order`` is not 1-4, an option is unknown, or there is
            no conversion.

    Example:
        A loop: ``a`` sends walkers to ``b``, which converts or comes back.

        >>> counts = PathCounts.from_tuples([
        ...     (("a", "b"), 1, 0, None),
        ...     (("a", "b", "a", "b"), 1, 0, None),
        ...     (("a",), 0, 2, None),
        ... ])
        >>> result = markov(counts)
        >>> {k: round(v, 6) for k, v in result.removal_effects.items()}
        {'a': 1.0, 'b': 1.0}
        >>> dict(result.credits)
        {'a': 1.0, 'b': 1.0}
    """
    counts = to_counts(data)
    one_of(credit, "markov credit", ("removal_share", "value_weighted", "per_journey"))
    fitted, _chain = _fit(counts, order, repeats)
    effects = dict(fitted.removal_effects)
    collected = collect(counts, with_marks=False)
    for channel in collected.channels:
        effects.setdefault(channel, 0.0)
    earned: dict[str, float]
    values: dict[str, float]
    if credit == "per_journey":
        earned_terms = Terms(collected.channels)
        value_terms = Terms(collected.channels)
        for path, _marks, conv, value in collected.rows:
            weights = [effects[c] for c in path]
            total = math.fsum(weights)
            shares = [w / total for w in weights] if total > 0 else [1.0 / len(path)] * len(path)
            for channel, share in zip(path, shares, strict=False):
                earned_terms[channel].append(conv * share)
                value_terms[channel].append(value * share)
        earned, values = earned_terms.sums(), value_terms.sums()
    else:
        total_effect = math.fsum(effects.values())
        earned = {}
        for channel, effect in effects.items():
            earned[channel] = effect / total_effect * collected.total_conversions
        source = fitted.value_removal_effects if credit == "value_weighted" else effects
        values = {c: source.get(c, 0.0) for c in collected.channels}
    return finish(
        collected,
        earned,
        values,
        model="markov",
        parameters={"order": fitted.order, "repeats": repeats, "credit": credit},
        removal_effects=effects,
    )
