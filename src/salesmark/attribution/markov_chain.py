r"""Markov-chain attribution by removal effects, solved exactly and deterministically.

Journeys become walks on an absorbing Markov chain: a ``(start)`` state, one state per
channel (order 1) or per run of ``order`` consecutive channels (orders 2-4), and two
absorbing states, ``(conversion)`` and ``(null)``. Transition probabilities are the
observed transition counts, each path weighted by its conversions plus nulls.

A channel's **removal effect** is the share of the conversion probability that is lost
when every state holding the channel sends its walkers to ``(null)`` instead:
``1 - P(conversion | channel removed) / P(conversion)``.

The conversion probabilities are found by pushing probability mass from ``(start)``
through the chain until the mass not yet absorbed is below ``1e-13`` of the conversion
probability found. The mass found converted is a lower bound and adding the mass left
gives an upper bound, so each probability (and each removal effect) is certified to
that tolerance — no random simulation, the same answer on every run. States are keyed
by tuples of channels and numbered in sorted order, and transition counts are summed
exactly, so the answer is also the same, to the last bit, whatever order the paths
were added in. Two engines solve it: pure Python, and numpy (``salesmark[fast]``),
which pushes every removal at once; they agree to rounding (1e-12 relative).

Display labels escape channel names so that no label can collide: ``\`` and ``>`` in a
name are preceded by ``\``, and a channel named like a reserved state
(:data:`RESERVED_STATES`: ``(start)``, ``(conversion)``, ``(null)``) gets a leading
``\``. A chain may hold at most :data:`MAX_MARKOV_STATES` states; the pure-Python
engine takes at most :data:`MAX_MARKOV_WORK` channels x (states + transitions), numpy
8 times that; a larger chain is refused with a clear error instead of running for
minutes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import attrs

from salesmark import _validators as v
from salesmark._progress import Progress, Ticker
from salesmark.attribution import _chain
from salesmark.attribution._chain import MAX_MARKOV_STATES, MAX_MARKOV_WORK
from salesmark.attribution._checks import Engine, choose_engine, one_of
from salesmark.attribution._engine import (
    Paths,
    finite,
    result_from,
    to_counts,
)
from salesmark.attribution.paths import PathCounts
from salesmark.attribution.results import AttributionResult, _frozen
from salesmark.errors import ValidationError, WrongType
from salesmark.money import Money

__all__ = [
    "MAX_MARKOV_STATES",
    "MAX_MARKOV_WORK",
    "RESERVED_STATES",
    "MarkovChain",
    "Transition",
    "markov",
]

Repeats = Literal["collapse", "keep"]
Credit = Literal["removal_share", "value_weighted", "per_journey"]

START = "(start)"
CONVERSION = "(conversion)"
NULL = "(null)"
RESERVED_STATES: Final = (START, CONVERSION, NULL)
"""The labels of the start and absorbing states; a channel of that name is escaped."""


def escape(name: str) -> str:
    r"""A channel name as it appears in a state label (see the module docs).

    Example:
        >>> escape("a > b"), escape("(start)"), escape("(not set)")
        ('a \\> b', '\\(start)', '(not set)')
    """
    text = name.replace("\\", "\\\\").replace(">", "\\>")
    return "\\" + text if text in RESERVED_STATES else text


def _check_order(order: object) -> int:
    msg = f"markov order must be a whole number from 1 to 4, got {order!r}"
    if isinstance(order, bool) or not isinstance(order, int):
        raise WrongType(msg)
    if not 1 <= order <= 4:
        raise ValidationError(msg)
    return order


def _probability(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{type(instance).__name__}.{attribute.name} must be a number, got {value!r}"
        raise WrongType(msg)
    if not (math.isfinite(value) and 0 <= value <= 1):
        msg = f"{type(instance).__name__}.{attribute.name} must be from 0 to 1, got {value!r}"
        raise ValidationError(msg)


def _effects(value: Mapping[str, float]) -> Mapping[str, float]:
    v.require(value, Mapping, "MarkovChain removal effects")  # type: ignore[type-abstract]
    for name, effect in value.items():
        if not isinstance(name, str) or isinstance(effect, bool) or not v.is_finite(effect):
            msg = f"MarkovChain removal effects must map channels to finite numbers, got {name!r}: {effect!r}"
            raise ValidationError(msg)
        if not 0 <= effect <= 1:
            msg = f"MarkovChain removal effects must be from 0 to 1, got {name!r}: {effect!r}"
            raise ValidationError(msg)
    return _frozen(value)


@attrs.frozen(kw_only=True)
class Transition:
    """One transition of a fitted chain: from a state label to another, with its probability.

    Attributes:
        source: The state it leaves (``"(start)"``, ``"a"``, ``"a > b"``, ...).
        target: The state it enters (a channel state, ``"(conversion)"`` or ``"(null)"``).
        probability: The observed share of walkers leaving ``source`` that enter ``target``.

    Example:
        >>> Transition(source="(start)", target="a", probability=1.0).target
        'a'
    """

    source: str = attrs.field(validator=v.non_empty_text)
    target: str = attrs.field(validator=v.non_empty_text)
    probability: float = attrs.field(validator=_probability)


def _transitions(value: object) -> tuple[Transition, ...]:
    items = v.argument_items(value, "MarkovChain.transitions", Transition)
    return tuple(sorted(items, key=lambda t: (t.source, t.target)))


@attrs.frozen(kw_only=True, repr=False)
class MarkovChain:
    """A fitted absorbing Markov chain with its conversion probability and removal effects.

    Attributes:
        order: How many consecutive channels make a state (1-4).
        repeats: ``"collapse"`` (consecutive identical states merged, as
            ChannelAttribution does) or ``"keep"`` (self-loops kept).
        transitions: Every transition, sorted by source then target label; states are
            labelled ``"(start)"``, ``"a"`` or ``"a > b"``, ``"(conversion)"``,
            ``"(null)"`` (channel names escaped, see the module docs).
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

    order: int = attrs.field(converter=_check_order)
    repeats: str = attrs.field(
        validator=lambda _i, _a, x: one_of(x, "MarkovChain.repeats", ("collapse", "keep"))
    )
    transitions: tuple[Transition, ...] = attrs.field(converter=_transitions)
    conversion_probability: float = attrs.field(validator=_probability)
    removal_effects: Mapping[str, float] = attrs.field(converter=_effects, hash=False)
    value_removal_effects: Mapping[str, float] = attrs.field(converter=_effects, hash=False)

    @property
    def transition_probabilities(self) -> Mapping[tuple[str, str], float]:
        """(from state, to state) -> probability, read-only.

        Example:
            >>> counts = PathCounts.from_tuples([(("a",), 1, 1, None)])
            >>> dict(MarkovChain.fit(counts).transition_probabilities)
            {('(start)', 'a'): 1.0, ('a', '(conversion)'): 0.5, ('a', '(null)'): 0.5}
        """
        return _frozen({(t.source, t.target): t.probability for t in self.transitions})

    @classmethod
    def fit(
        cls,
        data: Paths,
        *,
        order: int = 1,
        repeats: Repeats = "collapse",
        engine: Engine | None = None,
        progress: Progress = None,
    ) -> MarkovChain:
        """Build the chain from paths and solve it for every channel's removal effect.

        Args:
            data: PathCounts or journeys; at least one conversion.
            order: States are runs of ``order`` consecutive channels (1-4); a path
                shorter than ``order`` is one state of its own.
            repeats: ``"collapse"`` merges consecutive identical states (the default,
                as ChannelAttribution); ``"keep"`` keeps them as self-loops.
            engine: ``"python"`` or ``"numpy"`` (numpy when installed, by default).
            progress: Called as ``progress(done, total)`` over the steps (building the
                chain, then solving it and each channel's removal; the numpy engine
                solves the removals at once), or ``True`` for a tqdm bar (the
                ``progress`` extra).

        Raises:
            ValidationError: If ``order`` is not 1-4, ``repeats`` is unknown, there
                is no conversion, or the chain is beyond the documented bounds.

        Example:
            >>> counts = PathCounts.from_tuples([(("a", "a", "b"), 1, 1, None)])
            >>> MarkovChain.fit(counts).transition_probabilities[("a", "b")]
            1.0
            >>> MarkovChain.fit(counts, repeats="keep").transition_probabilities[("a", "a")]
            0.5
        """
        chosen = choose_engine(engine, "markov")
        solved = _solve(
            to_counts(data), order, repeats, chosen, progress=progress, what="MarkovChain.fit"
        )
        return solved.chain()

    def __repr__(self) -> str:
        states = {t.source for t in self.transitions} - {START}
        return (
            f"MarkovChain(order={self.order}, {len(states)} states, "
            f"P(conversion)={self.conversion_probability:.6g})"
        )


class _Solved:
    """A solved chain: the engine's structure, base and per-channel results."""

    def __init__(
        self, counts: PathCounts, order: int, repeats: str, engine: str, ticker: Ticker
    ) -> None:
        table = counts.table
        names = table.names
        collapse = repeats == "collapse"
        if engine == "numpy":
            from salesmark.attribution import _numpy_engine as fast  # noqa: PLC0415 (optional)

            numpy_chain = fast.NumpyChain(table, order, collapse)
            ticker.advance()
            (base, base_value), removed = numpy_chain.solve()  # every removal at once
            holds: Any = numpy_chain.holds().any(axis=1)
            held = [bool(x) for x in holds.tolist()]
            self._finish(numpy_chain, names, order, repeats, (base, base_value), removed, held)
        else:
            chain = _chain.build(table, order, collapse)
            ticker.advance()
            self._solve(chain, names, order, repeats, ticker.advance)

    @classmethod
    def of_chain(
        cls, chain: _chain.Chain, names: tuple[str, ...], order: int, repeats: str
    ) -> _Solved:
        """Solve a chain already assembled (from merged transition counts) in pure Python."""
        solved = cls.__new__(cls)
        solved._solve(chain, names, order, repeats, None)
        return solved

    def _solve(
        self,
        chain: _chain.Chain,
        names: tuple[str, ...],
        order: int,
        repeats: str,
        step: Callable[[], None] | None,
    ) -> None:
        base, removed = _chain.solve(chain, len(names), step)
        held = [bool(s) for s in chain.removal_sets(len(names))]
        self._finish(chain, names, order, repeats, base, removed, held)

    def _finish(  # noqa: PLR0917 (the parts of one solve)
        self,
        structure: Any,
        names: tuple[str, ...],
        order: int,
        repeats: str,
        base_pair: tuple[float, float],
        removed: list[tuple[float, float]],
        held: list[bool],
    ) -> None:
        self.order, self.repeats, self.names = order, repeats, names
        self._structure: Any = structure
        base, base_value = base_pair
        if not base > 0:
            msg = f"markov found no conversion probability above 0 (got {base!r}); the conversions are too rare to attribute"
            raise ValidationError(msg)
        self.base = finite(base, "markov conversion probability")
        effects: dict[str, float] = {}
        value_effects: dict[str, float] = {}
        for name, keep, (converted, value) in zip(names, held, removed, strict=True):
            if not keep:
                continue
            effect = finite(max(0.0, 1.0 - converted / base), f"markov removal effect of {name!r}")
            effects[name] = min(effect, 1.0)
            value_effects[name] = (
                min(1.0, max(0.0, 1.0 - value / base_value)) if base_value > 0 else effects[name]
            )
        self.effects = effects
        self.value_effects = value_effects

    def chain(self) -> MarkovChain:
        """The public, labelled chain."""
        structure = self._structure
        escaped = [escape(name) for name in self.names]
        if isinstance(structure, _chain.Chain):
            keys = [tuple(key) for key in structure.keys]
            start = structure.start
            edges: list[tuple[int, int, float]] = structure.edges
            pconv, pnull = structure.pconv, structure.pnull
        else:
            keys = structure.keys()
            start = structure.start.tolist()
            edges = list(
                zip(
                    structure.src.tolist(),
                    structure.dst.tolist(),
                    structure.p.tolist(),
                    strict=True,
                )
            )
            pconv, pnull = structure.pconv.tolist(), structure.pnull.tolist()
        labels = [" > ".join(escaped[i] for i in key) for key in keys]
        transitions = [
            Transition(source=START, target=labels[s], probability=p)
            for s, p in enumerate(start)
            if p
        ]
        transitions += [
            Transition(source=labels[a], target=labels[b], probability=p) for a, b, p in edges
        ]
        for sid, label in enumerate(labels):
            if pconv[sid]:
                transitions.append(
                    Transition(source=label, target=CONVERSION, probability=pconv[sid])
                )
            if pnull[sid]:
                transitions.append(Transition(source=label, target=NULL, probability=pnull[sid]))
        return MarkovChain(
            order=self.order,
            repeats=self.repeats,
            transitions=transitions,
            conversion_probability=min(self.base, 1.0),
            removal_effects=self.effects,
            value_removal_effects=self.value_effects,
        )


def _solve(
    counts: PathCounts,
    order: object,
    repeats: object,
    engine: str,
    *,
    progress: Progress,
    what: str,
) -> _Solved:
    checked = _check_order(order)
    one_of(repeats, "markov repeats", ("collapse", "keep"))
    if not counts.total_conversions:
        msg = f"markov needs at least one conversion, got {counts!r}"
        raise ValidationError(msg)
    # steps: building the chain, solving it, and solving it with each channel removed
    with Ticker(progress, len(counts.channels) + 2, what=what) as ticker:
        return _Solved(counts, checked, str(repeats), engine, ticker)


def markov(
    data: Paths,
    *,
    order: int = 1,
    repeats: Repeats = "collapse",
    credit: Credit = "removal_share",
    engine: Engine | None = None,
    progress: Progress = None,
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
        engine: ``"python"`` or ``"numpy"`` (numpy when installed, by default); both
            give the same credits to 1e-12 and the same value credits to the cent.
        progress: Called as ``progress(done, total)`` while the chain is built and
            solved (see :meth:`MarkovChain.fit`), or ``True`` for a tqdm bar.

    Raises:
        ValidationError: If ``order`` is not 1-4, an option is unknown, there is no
            conversion, or the chain is beyond :data:`MAX_MARKOV_STATES` or the
            engine's work bound.

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
    chosen = choose_engine(engine, "markov")
    solved = _solve(counts, order, repeats, chosen, progress=progress, what="markov")
    return credited(
        solved,
        counts.channels,
        counts.total_conversions,
        counts.total_value,
        credit,
        lambda effects: _per_journey(counts, effects),
    )


def credited(  # noqa: PLR0917 (the parts of one result)
    solved: _Solved,
    names: tuple[str, ...],
    total_conversions: float,
    total_value: Money | None,
    credit: str,
    per_journey: Callable[[list[float]], tuple[list[float], list[float]]] | None,
) -> AttributionResult:
    """The result of a solved chain: removal effects become credits as ``credit`` says.

    ``per_journey`` splits the journeys by their touches for ``credit="per_journey"``;
    ``None`` where the paths are not at hand (the caller refuses that credit first).
    """
    effects = [solved.effects.get(name, 0.0) for name in names]
    total = float(total_conversions)
    if credit == "per_journey":
        assert per_journey is not None, "per_journey credit needs the paths"
        earned, valued = per_journey(effects)
    else:
        total_effect = math.fsum(effects)
        earned = [e / total_effect * total if total_effect else 0.0 for e in effects]
        valued = (
            [solved.value_effects.get(name, 0.0) for name in names]
            if credit == "value_weighted"
            else effects
        )
    return result_from(
        names,
        earned,
        _coarse(valued),
        total_conversions=total_conversions,
        total_value=total_value,
        model="markov",
        parameters={"order": solved.order, "repeats": solved.repeats, "credit": credit},
        removal_effects=dict(zip(names, effects, strict=True)),
    )


def _coarse(weights: list[float]) -> list[float]:
    """Value weights on a grid of 1e-9 of the largest, so both engines split the same cents.

    The engines' removal effects agree to about 1e-13; on this coarser grid they almost
    always land on the same point, and the exact allocation then gives the same cents.
    """
    top = max((abs(w) for w in weights), default=0.0)
    if not top:
        return weights
    return [round(w / top * 1e9) * 1e-9 for w in weights]


def _per_journey(counts: PathCounts, effects: list[float]) -> tuple[list[float], list[float]]:
    """Each converting path split among its touches by their removal effects (exact fsums)."""
    table = counts.table
    earned: list[list[float]] = [[] for _ in effects]
    valued: list[list[float]] = [[] for _ in effects]
    tokens, offsets = table.tokens, table.offsets
    conversions = table.float_conversions()
    values = table.float_values()
    for i, (conv, value) in enumerate(zip(conversions, values, strict=True)):
        if not (conv or value):
            continue
        path = tokens[offsets[i] : offsets[i + 1]]
        weights = [effects[t] for t in path]
        total = math.fsum(weights)
        shares = [w / total for w in weights] if total > 0 else [1.0 / len(path)] * len(path)
        for token, share in zip(path, shares, strict=True):
            earned[token].append(conv * share)
            valued[token].append(value * share)
    return [math.fsum(t) for t in earned], [math.fsum(t) for t in valued]
