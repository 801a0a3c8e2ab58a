"""Mergeable sufficient statistics of the attribution models, for partitions and clusters.

A model over :class:`~salesmark.attribution.PathCounts` needs much less than every
path. Each statistic here is what one model needs, counted on any share of the
journeys, with an empty value and an exact, associative and commutative merge, so a
cluster counts each partition where it lies, merges the small statistics up a tree and
solves once:

- :class:`RuleCredits`, for the rule-based models (first and last touch, last
  non-direct, linear, position-based, J- and inverse-J-shaped): the exact sums of
  conversions and value per path length and channel (by position for a custom rule),
  bounded by the channels times the longest path.
- :class:`MarkovStatistics`, for :func:`~salesmark.attribution.markov` of an order:
  the start, end and transition counts of its chain, bounded by the chain's states
  and transitions, which depend on the channels, not on the journeys. The merged
  counts are solved by the same pure-Python solver as ``markov(..., engine="python")``.
- :class:`ShapleyStatistics`, for :func:`~salesmark.attribution.shapley`: the
  conversions, nulls and value of each channel set seen (the coalition worths).

Counts are summed exactly (integers, or fractions for sampled weights) and values as
whole units of ``10**exponent`` of one currency, so the result of the merged parts is
the result of the whole, bit for bit: ``merge(parts).result() == linear(whole)`` and
``MarkovStatistics.merge(parts).result() == markov(whole, engine="python")``. Channel
names, not ids, key every statistic, so parts built apart (with different channels)
merge. A part that holds no journey is the identity of the merge.

Example:
    >>> from salesmark.attribution import PathCounts, linear, markov
    >>> a = PathCounts.from_tuples([(("search", "email"), 1, 2, None)])
    >>> b = PathCounts.from_tuples([(("email",), 1, 3, None), (("search", "email"), 1, 0, None)])
    >>> merged = RuleCredits.merge([rule_credits(a, "linear"), rule_credits(b, "linear")])
    >>> merged.result() == linear(a + b)
    True
    >>> chain = markov_statistics(a) + markov_statistics(b)
    >>> chain.result() == markov(a + b, engine="python")
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.attribution import _chain
from salesmark.attribution._checks import Engine, choose_engine, one_of
from salesmark.attribution._columns import Table
from salesmark.attribution._engine import Paths, result_from, sums, to_counts
from salesmark.attribution._mergeable import (
    Exact,
    Key,
    add_cells,
    add_counts,
    cells_map,
    check_exact,
    counts_map,
    money,
    names_of,
    of_counts,
    parts_of,
    same,
    totals,
    totals_repr,
    whole,
    without_journeys,
)
from salesmark.attribution._sums import by_key, by_length_shares
from salesmark.attribution.markov_chain import (
    Credit,
    MarkovChain,
    Repeats,
    _check_order,
    _Solved,
    credited,
)
from salesmark.attribution.milestones import INVERSE_J, J_SHAPED, MilestoneWeights
from salesmark.attribution.results import AttributionResult, Parameter
from salesmark.attribution.shapley_values import ShapleyStatistics, shapley_statistics
from salesmark.errors import UnknownReference, ValidationError

__all__ = [
    "RULE_MODELS",
    "MarkovStatistics",
    "RuleCredits",
    "ShapleyStatistics",
    "markov_statistics",
    "rule_credits",
    "shapley_statistics",
]

RULE_MODELS: Mapping[str, tuple[str, ...]] = FrozenMap(
    {
        "first_touch": ("first",),
        "inverse_j": ("first", "last", "tokens"),
        "j_shaped": ("first", "last", "tokens"),
        "last_non_direct": ("last_non_direct",),
        "last_touch": ("last",),
        "linear": ("tokens",),
        "position_based": ("first", "last", "tokens"),
    }
)
"""The rule-based models :class:`RuleCredits` computes, each with the sums it needs.

Example:
    >>> sorted(RULE_MODELS)[:3]
    ['first_touch', 'inverse_j', 'j_shaped']
"""

# -- rule-based models ----------------------------------------------------------------------

_KINDS = ("first", "last", "last_non_direct", "tokens")


def _sums_of(value: object) -> Mapping[str, Mapping[Key, tuple[Any, ...]]]:
    v.require(value, Mapping, "RuleCredits.sums")  # type: ignore[type-abstract]
    items: Mapping[Any, Any] = value  # type: ignore[assignment]
    return FrozenMap(
        {
            one_of(kind, "RuleCredits.sums kind", _KINDS): cells_map(
                2, f"RuleCredits.sums[{kind!r}]"
            )(cells)
            for kind, cells in items.items()
        }
    )


def _optionalnames_of(value: object) -> tuple[str, ...] | None:
    return None if value is None else names_of(value)


def _parameters(value: Mapping[str, Parameter]) -> Mapping[str, Parameter]:
    v.require(value, Mapping, "RuleCredits.parameters")  # type: ignore[type-abstract]
    return FrozenMap(value)


def _optional_names(value: object) -> tuple[str, ...] | None:
    return None if value is None else names_of(value)


@attrs.frozen(kw_only=True, repr=False)
class RuleCredits:
    """The exact sums a rule-based model's credits are made of: a mergeable statistic.

    ``RuleCredits()`` is the empty value; :meth:`merge` (or ``a + b``) adds parts of one
    model exactly, and :meth:`result` gives the model's
    :class:`~salesmark.attribution.AttributionResult` over every journey counted, the
    same as the model over all of them. Build one with :func:`rule_credits`. Its size
    is bounded by the channels times the longest path, whatever the journeys.

    Attributes:
        model: The model's name (see :data:`RULE_MODELS`), ``None`` in the empty value.
        parameters: The parameters the model's result carries.
        direct: For ``last_non_direct``, the direct channels named (``None``: the
            default ``{"direct"}``).
        sums: Per kind of sum (``"first"``, ``"last"``, ``"last_non_direct"``,
            ``"tokens"``): ``(path length, channel)`` -> (conversions, value units) of
            the paths of that length that start with, end with (the last non-direct
            touch), or hold the channel (with repeats).
        channels: Every channel seen, sorted.
        conversions: The conversions counted, exactly.
        nulls: The journeys without conversion counted, exactly.
        value: The value of the conversions in whole units of ``10**exponent``.
        currency: The currency of the value, or ``None`` when there is none.
        exponent: The power of ten of a value unit (0 or below).

    Example:
        >>> from salesmark.attribution import PathCounts, first_touch
        >>> credits = rule_credits(PathCounts.from_tuples([(("ad", "email"), 2, 1, None)]), first_touch)
        >>> credits
        RuleCredits(first_touch: 2 channels, 2 conversions, 1 nulls)
        >>> dict((credits + RuleCredits()).result().credits)
        {'ad': 2.0, 'email': 0.0}
    """

    model: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            lambda _i, _a, x: one_of(x, "RuleCredits.model", tuple(RULE_MODELS))
        ),
    )
    parameters: Mapping[str, Parameter] = attrs.field(factory=dict, converter=_parameters)
    direct: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_names)
    sums: Mapping[str, Mapping[Key, tuple[Any, ...]]] = attrs.field(
        factory=dict, converter=_sums_of
    )
    channels: tuple[str, ...] = attrs.field(default=(), converter=names_of)
    conversions: Exact = attrs.field(default=0, validator=check_exact)
    nulls: Exact = attrs.field(default=0, validator=check_exact)
    value: int = attrs.field(default=0, validator=v.whole(0))
    currency: str | None = attrs.field(default=None, validator=v.optional_instance_of(str))
    exponent: int = attrs.field(default=0, validator=v.instance_of(int))

    @classmethod
    def merge(cls, parts: Iterable[RuleCredits]) -> RuleCredits:
        """Add up the credits of parts of the journeys (k at once); no part gives the empty value.

        Raises:
            ValidationError: If parts of different models or parameters are merged.
            CurrencyMismatch: If their values are in different currencies.

        Example:
            >>> RuleCredits.merge([])
            RuleCredits(empty)
        """
        items, full = parts_of(cls, parts)
        if len(full) == 1:
            return full[0]
        if not full:
            modelled = [p for p in items if p.model is not None]
            return without_journeys(items, modelled[0] if modelled else cls(), "RuleCredits.merge")
        caller = "RuleCredits.merge"
        merged = totals(full, caller)
        kinds = sorted({kind for p in full for kind in p.sums})
        return cls(
            model=same(full, "model", caller),
            parameters=same(full, "parameters", caller),
            direct=same(full, "direct", caller),
            sums={
                kind: add_cells(
                    ((p.sums.get(kind, {}), p.exponent) for p in full), merged["exponent"]
                )
                for kind in kinds
            },
            **merged,
        )

    def __add__(self, other: RuleCredits) -> RuleCredits:
        if not isinstance(other, RuleCredits):
            return NotImplemented
        return RuleCredits.merge([self, other])

    def result(self) -> AttributionResult:
        """The model's result over every journey counted.

        Raises:
            ValidationError: If this is the empty value (no model yet).
            UnknownReference: If ``last_non_direct`` names a direct channel no path holds.

        Example:
            >>> from salesmark.attribution import PathCounts, linear
            >>> counts = PathCounts.from_tuples([(("ad", "email", "ad"), 3, 0, None)])
            >>> rule_credits(counts, linear).result() == linear(counts)
            True
        """
        model = self.model
        if model is None:
            msg = "RuleCredits.result needs a model: build the statistic with rule_credits(data, model)"
            raise ValidationError(msg)
        names = self.channels
        if self.direct is not None:
            _known(self.direct, names)
        ids = {name: i for i, name in enumerate(names)}
        table = {
            kind: {(k[0], ids[k[1]]): list(cells) for k, cells in keyed.items()}
            for kind, keyed in self.sums.items()
        }
        for kind in RULE_MODELS[model]:
            table.setdefault(kind, {})
        n = len(names)
        if model == "linear":
            earned, valued = by_key(table["tokens"], _per_touch, n)
        elif len(RULE_MODELS[model]) == 1:
            earned, valued = by_key(table[RULE_MODELS[model][0]], _whole_credit, n)
        else:
            shares = _weights(model, self.parameters).shares
            earned, valued = by_length_shares(
                table["first"], table["last"], table["tokens"], shares, n
            )
        return result_from(
            names,
            earned,
            valued,
            total_conversions=float(self.conversions),
            total_value=money(self),
            model=model,
            parameters=self.parameters,
        )

    def __repr__(self) -> str:
        if self.model is None:
            return "RuleCredits(empty)"
        return f"RuleCredits({self.model}: {totals_repr(self)})"


def _per_touch(key: tuple[int, int]) -> float:
    return 1.0 / key[0]


def _whole_credit(_key: object) -> float:
    return 1.0


def _known(direct: tuple[str, ...], names: tuple[str, ...]) -> None:
    unknown = sorted(set(direct) - set(names))
    if unknown:
        msg = (
            f"last_non_direct direct names {unknown!r} appear in no path; "
            f"the channels are {list(names)!r}"
        )
        raise UnknownReference(msg)


def _weights(model: str, parameters: Mapping[str, Parameter]) -> MilestoneWeights:
    if model == "j_shaped":
        return J_SHAPED
    if model == "inverse_j":
        return INVERSE_J
    return MilestoneWeights(**{k: float(x) for k, x in parameters.items()})  # type: ignore[arg-type]


def rule_credits(
    data: Paths,
    model: str | Callable[..., AttributionResult],
    *,
    direct: Iterable[str] | None = None,
    first: float = 0.4,
    between: float = 0.2,
    last: float = 0.4,
    engine: Engine | None = None,
) -> RuleCredits:
    """The :class:`RuleCredits` of a rule-based model over some of the journeys.

    Args:
        data: PathCounts or journeys (one partition's, say).
        model: The model (``linear``, ``first_touch``, ...) or its name; see :data:`RULE_MODELS`.
        direct: For ``last_non_direct``: the direct channels (``{"direct"}`` by default);
            names given must appear in the merged paths (checked by :meth:`RuleCredits.result`).
        first: For ``position_based``: the first touch's weight.
        between: For ``position_based``: the weight the touches between share.
        last: For ``position_based``: the last touch's weight.
        engine: ``"python"`` or ``"numpy"`` for the sums (the same integers either way).

    Raises:
        ValidationError: If ``model`` is not a rule-based model over paths, or a weight
            is out of range.

    Example:
        >>> from salesmark.attribution import PathCounts, position_based
        >>> counts = PathCounts.from_tuples([(("ad", "blog", "demo"), 1, 0, None)])
        >>> part = rule_credits(counts, position_based, first=0.5, between=0.0, last=0.5)
        >>> dict(part.result().credits)
        {'ad': 0.5, 'blog': 0.0, 'demo': 0.5}
    """
    name = one_of(getattr(model, "__name__", model), "rule_credits model", tuple(RULE_MODELS))
    chosen = choose_engine(engine, "rule_credits")
    counts = to_counts(data)
    table = counts.table
    parameters: dict[str, Parameter] = {}
    named: tuple[str, ...] | None = None
    ids: frozenset[int] = frozenset()
    if name == "last_non_direct":
        named = None if direct is None else names_of(direct)
        wanted = ("direct",) if named is None else named
        parameters["direct"] = ",".join(sorted(wanted))
        ids = frozenset(i for i, c in enumerate(table.names) if c in wanted)
    elif name == "position_based":
        parameters = MilestoneWeights(first=first, between=between, last=last).parameters()
    elif name in ("j_shaped", "inverse_j"):
        parameters = _weights(name, {}).parameters()
    found = {kind: _by_name(sums(counts, kind, chosen, ids), table) for kind in RULE_MODELS[name]}
    return RuleCredits(
        model=name, parameters=parameters, direct=named, sums=found, **of_counts(counts)
    )


def _by_name(found: Mapping[Any, list[Any]], table: Table) -> dict[Key, tuple[Any, ...]]:
    names = table.names
    return {(k[0], names[k[-1]]): (whole(c), int(u)) for k, (c, u) in found.items() if c or u}


# -- Markov ---------------------------------------------------------------------------------


_STARTS = counts_map("MarkovStatistics.starts")
_TRANSITIONS = counts_map("MarkovStatistics.transitions")
_ENDS = cells_map(3, "MarkovStatistics.ends")


def _starts(value: object) -> Mapping[Key, Exact]:
    return _STARTS(value)


def _transitions(value: object) -> Mapping[Key, Exact]:
    return _TRANSITIONS(value)


def _ends(value: object) -> Mapping[Key, tuple[Any, ...]]:
    return _ENDS(value)


@attrs.frozen(kw_only=True, repr=False)
class MarkovStatistics:
    """The transition counts of a Markov chain of one order: a mergeable statistic.

    ``MarkovStatistics()`` is the empty value; :meth:`merge` (or ``a + b``) adds parts
    exactly, and :meth:`result` solves the merged chain (the pure-Python solver of
    :func:`~salesmark.attribution.markov`), giving the same result as
    ``markov(whole, order=..., repeats=..., engine="python")``. Build one with
    :func:`markov_statistics`. States are runs of ``order`` channels, so its size is
    bounded by the chain's states and transitions, not by the journeys.

    Attributes:
        order: How many consecutive channels make a state (1-4).
        repeats: ``"collapse"`` or ``"keep"`` (see :meth:`~salesmark.attribution.MarkovChain.fit`).
        starts: First state -> the journeys (conversions plus nulls) starting there.
        transitions: Run of ``order + 1`` channels -> the journeys that walked from its
            first ``order`` channels to its last ``order``, each walk counted.
        ends: Last state -> (conversions, nulls, value units) of the journeys ending there.
        channels: Every channel seen, sorted.
        conversions: The conversions counted, exactly.
        nulls: The journeys without conversion counted, exactly.
        value: The value of the conversions in whole units of ``10**exponent``.
        currency: The currency of the value, or ``None`` when there is none.
        exponent: The power of ten of a value unit (0 or below).

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> stats = markov_statistics(PathCounts.from_tuples([(("a", "b"), 1, 0, None), (("b",), 0, 1, None)]))
        >>> stats
        MarkovStatistics(order=1, collapse: 2 channels, 1 conversions, 1 nulls; 2 states, 1 transitions)
        >>> dict(stats.result().removal_effects)
        {'a': 0.5, 'b': 1.0}
    """

    order: int = attrs.field(default=1, converter=_check_order)
    repeats: str = attrs.field(
        default="collapse",
        validator=lambda _i, _a, x: one_of(x, "MarkovStatistics.repeats", ("collapse", "keep")),
    )
    starts: Mapping[Key, Exact] = attrs.field(factory=dict, converter=_starts)
    transitions: Mapping[Key, Exact] = attrs.field(factory=dict, converter=_transitions)
    ends: Mapping[Key, tuple[Any, ...]] = attrs.field(factory=dict, converter=_ends)
    channels: tuple[str, ...] = attrs.field(default=(), converter=names_of)
    conversions: Exact = attrs.field(default=0, validator=check_exact)
    nulls: Exact = attrs.field(default=0, validator=check_exact)
    value: int = attrs.field(default=0, validator=v.whole(0))
    currency: str | None = attrs.field(default=None, validator=v.optional_instance_of(str))
    exponent: int = attrs.field(default=0, validator=v.instance_of(int))

    @classmethod
    def merge(cls, parts: Iterable[MarkovStatistics]) -> MarkovStatistics:
        """Add up the transition counts of parts of the journeys (k at once).

        No part gives the empty value; a part without journeys changes nothing.

        Raises:
            ValidationError: If parts of different orders or repeats are merged.
            CurrencyMismatch: If their values are in different currencies.

        Example:
            >>> MarkovStatistics.merge([MarkovStatistics(), MarkovStatistics(order=2)])
            MarkovStatistics(order=1, collapse: 0 channels, 0 conversions, 0 nulls; 0 states, 0 transitions)
        """
        items, full = parts_of(cls, parts)
        if len(full) == 1:
            return full[0]
        if not full:
            return without_journeys(items, items[0] if items else cls(), "MarkovStatistics.merge")
        caller = "MarkovStatistics.merge"
        merged = totals(full, caller)
        return cls(
            order=same(full, "order", caller),
            repeats=same(full, "repeats", caller),
            starts=add_counts(p.starts for p in full),
            transitions=add_counts(p.transitions for p in full),
            ends=add_cells(((p.ends, p.exponent) for p in full), merged["exponent"]),
            **merged,
        )

    def __add__(self, other: MarkovStatistics) -> MarkovStatistics:
        if not isinstance(other, MarkovStatistics):
            return NotImplemented
        return MarkovStatistics.merge([self, other])

    def _solved(self) -> _Solved:
        if not self.conversions:
            msg = f"markov needs at least one conversion, got {self!r}"
            raise ValidationError(msg)
        names = self.channels
        ids = {name: i for i, name in enumerate(names)}

        def key(states: Key) -> Key:
            return tuple(ids[c] for c in states)

        gathered = (
            {key(k): n for k, n in self.starts.items()},
            {key(k): list(cells) for k, cells in self.ends.items()},
            {key(k): n for k, n in self.transitions.items()},
        )
        chain = _chain.assemble(gathered, self.order, self.exponent)
        return _Solved.of_chain(chain, names, self.order, self.repeats)

    def result(self, *, credit: Credit = "removal_share") -> AttributionResult:
        """Solve the chain and credit the channels, as :func:`~salesmark.attribution.markov` does.

        Args:
            credit: ``"removal_share"`` or ``"value_weighted"``; ``"per_journey"``
                splits each journey by its touches, which needs every path.

        Raises:
            ValidationError: If there is no conversion, ``credit`` is unknown or
                ``"per_journey"``, or the chain is beyond the solver's bounds.

        Example:
            >>> from salesmark.attribution import PathCounts, markov
            >>> counts = PathCounts.from_tuples([(("a", "b", "a"), 2, 1, None), (("b",), 0, 2, None)])
            >>> markov_statistics(counts, order=2).result() == markov(counts, order=2, engine="python")
            True
        """
        one_of(credit, "MarkovStatistics.result credit", ("removal_share", "value_weighted"))
        solved = self._solved()
        return credited(solved, self.channels, float(self.conversions), money(self), credit, None)

    def chain(self) -> MarkovChain:
        """The fitted chain, as :meth:`MarkovChain.fit` gives it over the whole (pure Python).

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> markov_statistics(PathCounts.from_tuples([(("a",), 1, 1, None)])).chain().conversion_probability
            0.5
        """
        return self._solved().chain()

    def __repr__(self) -> str:
        states = set(self.starts) | set(self.ends)
        return (
            f"MarkovStatistics(order={self.order}, {self.repeats}: {totals_repr(self)}; "
            f"{len(states)} states, {len(self.transitions)} transitions)"
        )


def markov_statistics(
    data: Paths, *, order: int = 1, repeats: Repeats = "collapse"
) -> MarkovStatistics:
    """The :class:`MarkovStatistics` of some of the journeys: their chain's counts of ``order``.

    Args:
        data: PathCounts or journeys (one partition's, say).
        order: How many consecutive channels make a state (1-4).
        repeats: ``"collapse"`` (default) or ``"keep"``.

    Raises:
        ValidationError: If ``order`` is not 1-4 or ``repeats`` is unknown.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> stats = markov_statistics(PathCounts.from_tuples([(("a", "a", "b"), 1, 0, None)]))
        >>> dict(stats.transitions)
        {('a', 'b'): 1}
    """
    checked = _check_order(order)
    one_of(repeats, "markov_statistics repeats", ("collapse", "keep"))
    counts = to_counts(data)
    table = counts.table
    names = table.names
    starts, ends, transitions = _chain.gather(table, checked, repeats == "collapse")

    def named(key: Any) -> Key:
        return tuple(names[i] for i in key)

    return MarkovStatistics(
        order=checked,
        repeats=repeats,
        starts={named(k): whole(n) for k, n in starts.items()},
        transitions={named(k): whole(n) for k, n in transitions.items()},
        ends={named(k): (whole(c), whole(n), int(u)) for k, (c, n, u) in ends.items()},
        **of_counts(counts),
    )
