"""The numpy engine (private; imported only inside functions, when numpy is installed).

It builds exactly the chain and the integer sums the pure-Python engine builds — the
same states numbered in the same sorted order, the same exact counts (sums of whole
numbers below 2**53 are exact in float64) — so both engines agree to rounding, and
each gives the same bits whatever order the paths were added in. Markov solves every
removal together: one mass matrix, one row per removal, pushed until each is
certified to the same tolerance as the pure-Python solver.
"""

from __future__ import annotations

import functools
import math
from array import array
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from salesmark.attribution._chain import (
    MAX_MARKOV_WORK,
    MAX_STEPS,
    RELATIVE_TOLERANCE,
    check_size,
    check_work,
)
from salesmark.attribution._columns import Table
from salesmark.errors import ValidationError

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

EXACT: float = 2.0**53
NUMPY_WORK = 8 * MAX_MARKOV_WORK


class Columns:
    """A table's columns as numpy arrays (counts as float64, exact when whole).

    ``narrow`` is the table's token array itself (its smallest unsigned type, no copy);
    ``tokens`` (as int64) and ``path_of`` (each touch's path) are made when first used,
    since the order-1 chain and the first- and last-touch sums need neither.
    """

    def __init__(self, table: Table) -> None:
        self.units = table.units  # not the table itself: the table keeps these columns
        self.narrow: npt.NDArray[np.unsignedinteger[Any]] = (
            np.frombuffer(table.tokens, dtype=f"u{table.tokens.itemsize}")
            if len(table.tokens)
            else np.zeros(0, dtype=np.uint8)
        )
        self.offsets: Ints = _ints(table.offsets, "i8")
        self.lengths: Ints = np.diff(self.offsets)
        self.conv: Floats = _floats(table.conversions)
        self.nulls: Floats = _floats(table.nulls)
        self.values: Floats | None = None
        if isinstance(table.units, array):
            units = _ints(table.units, "i8")
            if table.total_units() < EXACT / 2:
                self.values = units.astype(np.float64)

    @functools.cached_property
    def tokens(self) -> Ints:
        """Every touch's channel id as int64."""
        return self.narrow.astype(np.int64)

    @functools.cached_property
    def path_of(self) -> Ints:
        """Every touch's path (row) index."""
        return np.repeat(np.arange(len(self.lengths)), self.lengths)


def _ints(column: Any, dtype: str) -> Ints:
    if not len(column):
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(column, dtype=dtype).astype(np.int64)


def _floats(column: Any) -> Floats:
    if isinstance(column, array):
        return _ints(column, "i8").astype(np.float64)
    return np.asarray([float(c) for c in column], dtype=np.float64)


def exact(table: Table) -> bool:
    """Whether the numpy sums of this table are exact integers (else the caller sums them)."""
    values = table.units
    return table.whole and (
        not any(values) or (isinstance(values, array) and table.total_units() < EXACT / 2)
    )


def columns(table: Table) -> Columns:
    """The numpy columns of ``table`` (fractional counts in canonical row order), made once per table."""
    return table.derived("numpy columns", lambda: Columns(table.for_engines()))  # type: ignore[no-any-return]


# -- rule-model sums ------------------------------------------------------------------------


_DENSE = 1 << 22
"""The most keys summed into one dense table instead of found by a sort."""

_BLOCK = 1 << 16
"""Touches summed at a time where a sum runs over every touch: each block's arrays stay
in cache, and their memory is reused."""


def _keyed(keys: Ints, weights: Floats, width: int) -> dict[Any, float]:
    """Sum ``weights`` by integer key; keys decode to tuples through ``width``-wide digits."""
    if not len(keys):
        return {}
    top = int(keys.max()) + 1
    if top <= _DENSE:  # a dense key space: one pass, no sort
        return _dense_keyed(np.bincount(keys, weights=weights, minlength=top), width)
    uniq, inverse = np.unique(keys, return_inverse=True)
    return _decoded(uniq, np.bincount(inverse, weights=weights, minlength=len(uniq)), width)


def _dense_keyed(dense: Any, width: int) -> dict[Any, float]:
    """The non-zero sums of a dense table indexed by key, keyed as :func:`_keyed` keys them."""
    uniq = np.flatnonzero(dense)
    return _decoded(uniq, dense[uniq], width)


def _decoded(uniq: Ints, sums: Any, width: int) -> dict[Any, float]:
    """Each key's non-zero sum, the key as (high digit, low digit) in base ``width``."""
    out: dict[Any, float] = {}
    for key, total in zip(uniq.tolist(), sums.tolist(), strict=True):
        if total:
            out[(key // width, key % width)] = total
    return out


def _path_blocks(off: Ints) -> list[tuple[int, int]]:
    """Ranges of whole paths (row indices) of about :data:`_BLOCK` touches each, in order."""
    cuts = np.searchsorted(off, np.arange(0, int(off[-1]), _BLOCK))
    bounds = np.unique(np.concatenate((cuts, [len(off) - 1])))
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))


def _touch_sums(cols: Columns, c: int) -> dict[Any, list[Any]] | None:
    """The ``tokens`` sums (each touch's path length and channel) a block of paths at a time.

    Each block's sums, and their total, are sums of whole numbers below 2**53: exact,
    whatever the blocks. ``None`` when the keys do not fit a dense table.
    """
    off, lengths = cols.offsets, cols.lengths
    top = (int(lengths.max()) + 1) * c
    if top > _DENSE:
        return None
    conv = np.zeros(top)
    value = None if cols.values is None else np.zeros(top)
    for a, b in _path_blocks(off):
        seg = lengths[a:b]
        keys = np.repeat(seg * c, seg)
        keys += cols.narrow[off[a] : off[b]]
        conv += np.bincount(keys, weights=np.repeat(cols.conv[a:b], seg), minlength=top)
        if value is not None and cols.values is not None:
            value += np.bincount(keys, weights=np.repeat(cols.values[a:b], seg), minlength=top)
    values = None if value is None else {k: int(v) for k, v in _dense_keyed(value, c).items()}
    return _pair(_dense_keyed(conv, c), values)


def sums(table: Table, kind: str, direct: frozenset[int] = frozenset()) -> dict[Any, list[Any]]:
    """The integer sums the rule models combine, keyed as the pure-Python engine keys them."""
    cols = columns(table)
    c = len(table.names)
    off, lengths = cols.offsets, cols.lengths
    n = len(lengths)
    if not n:
        return {}
    starts = off[:-1]
    if kind in ("first", "last"):
        at = starts if kind == "first" else off[1:] - 1
        keys = lengths * c + cols.narrow[at]
        return _pair(_keyed(keys, cols.conv, c), _values_keyed(keys, cols, None, c))
    if kind == "last_non_direct":
        tok = cols.tokens
        is_direct = np.zeros(max(c, 1), dtype=bool)
        is_direct[list(direct)] = True
        idx = np.where(is_direct[tok], -1, np.arange(len(tok)))
        last_nd = np.maximum.reduceat(idx, starts)
        chosen = np.where(last_nd >= 0, tok[np.maximum(last_nd, 0)], tok[off[1:] - 1])
        keys = lengths * c + chosen
        return _pair(_keyed(keys, cols.conv, c), _values_keyed(keys, cols, None, c))
    if kind == "tokens":
        dense = _touch_sums(cols, c)
        if dense is not None:
            return dense
        keys = lengths[cols.path_of] * c + cols.tokens
        return _pair(
            _keyed(keys, cols.conv[cols.path_of], c), _values_keyed(keys, cols, cols.path_of, c)
        )
    if kind == "distinct":
        tok = cols.tokens
        order = np.lexsort((tok, cols.path_of))
        p, t = cols.path_of[order], tok[order]
        first = np.ones(len(t), dtype=bool)
        first[1:] = (p[1:] != p[:-1]) | (t[1:] != t[:-1])
        p, t = p[first], t[first]
        k = np.bincount(p, minlength=n)
        keys = k[p] * c + t
        return _pair(_keyed(keys, cols.conv[p], c), _values_keyed(keys, cols, p, c))
    msg = f"unknown sums kind {kind!r}"  # pragma: no cover - internal
    raise ValueError(msg)  # pragma: no cover


def _values_keyed(
    keys: Ints, cols: Columns, path_of: Ints | None, width: int
) -> dict[Any, Any] | None:
    if cols.values is None:
        return None
    weights = cols.values if path_of is None else cols.values[path_of]
    return {k: int(v) for k, v in _keyed(keys, weights, width).items()}


def _pair(conv: dict[Any, float], values: dict[Any, Any] | None) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = {k: [int(v), 0] for k, v in conv.items()}
    if values is not None:
        for key, total in values.items():
            out.setdefault(key, [0, 0])[1] = total
    return out


# -- Markov ---------------------------------------------------------------------------------


class NumpyChain:
    """The chain of :mod:`~salesmark.attribution._chain`, as arrays."""

    def __init__(self, table: Table, order: int, collapse: bool) -> None:  # noqa: FBT001, PLR0915 (one vectorised pass)
        cols = columns(table)
        c = len(table.names)
        base = c + 1
        if float(base) ** order >= 2.0**62:
            msg = "markov with the numpy engine: too many channels for this order"
            raise ValidationError(msg)
        off = cols.offsets
        weight = cols.conv + cols.nulls
        live = weight > 0
        starts = off[:-1]
        if order == 1:
            narrow = cols.narrow
            start_code = narrow[starts][live].astype(np.int64) + 1
            end_code = narrow[off[1:] - 1][live].astype(np.int64) + 1
            from_code, to_code, tr_weight = _first_order_steps(cols, weight, c, collapse)
        else:
            start_code, end_code, from_code, to_code, tr_weight = _steps(
                cols, weight, live, order, base, collapse
            )
        space = base**order
        if space <= 1 << 22:  # dense codes: states found and numbered by a lookup table
            present = np.zeros(space, dtype=bool)
            for part in (start_code, end_code, from_code, to_code):
                present[part] = True
            states = np.flatnonzero(present)
            check_size(len(states))
            number = np.cumsum(present) - 1

            def index_of(codes: Ints) -> Ints:
                return number[codes]
        else:
            states = np.unique(np.concatenate((start_code, end_code, from_code, to_code)))
            check_size(len(states))

            def index_of(codes: Ints) -> Ints:
                return np.searchsorted(states, codes)

        size = len(states)
        pair_code = index_of(from_code) * size + index_of(to_code)
        if size * size <= 1 << 24:  # every weight is above 0: a pair is seen iff its sum is
            dense = np.bincount(pair_code, weights=tr_weight, minlength=size * size)
            pair = np.flatnonzero(dense)
            counts = dense[pair]
        else:
            pair, inverse = np.unique(pair_code, return_inverse=True)
            counts = np.bincount(inverse, weights=tr_weight, minlength=len(pair))
        self.src: Ints = pair // size
        self.dst: Ints = pair % size
        start_id = index_of(start_code)
        end_id = index_of(end_code)
        start = np.bincount(start_id, weights=weight[live], minlength=size)
        end_conv = np.bincount(end_id, weights=cols.conv[live], minlength=size)
        end_null = np.bincount(end_id, weights=cols.nulls[live], minlength=size)
        if cols.values is not None:
            end_value = np.bincount(end_id, weights=cols.values[live], minlength=size)
        else:
            exact = [0] * size
            live_rows = np.flatnonzero(live).tolist()
            for sid, row in zip(end_id.tolist(), live_rows, strict=True):
                exact[sid] += cols.units[row]
            end_value = np.asarray([float(x) for x in exact])
        out = np.bincount(self.src, weights=counts, minlength=size) + end_conv + end_null
        self.codes = states
        self.base = base
        self.order = order
        self.size = size
        self.start: Floats = start / start.sum()
        self.p: Floats = counts / out[self.src]
        safe = np.where(out > 0, out, 1.0)
        self.pconv: Floats = np.where(out > 0, end_conv / safe, 0.0)
        self.pnull: Floats = np.where(out > 0, end_null / safe, 0.0)
        scale = float(10**-table.exponent)
        per = np.where(end_conv > 0, (end_value / scale) / np.where(end_conv > 0, end_conv, 1.0), 0)
        self.pvalue: Floats = self.pconv * per
        self.channels = c

    def keys(self) -> list[tuple[int, ...]]:
        """Each state's channel ids, in state order."""
        out = []
        for state in self.codes.tolist():
            ids = []
            rest = state
            for _ in range(self.order):
                rest, digit = divmod(rest, self.base)
                ids.append(digit)
            out.append(tuple(d - 1 for d in reversed(ids) if d))
        return out

    def holds(self) -> npt.NDArray[np.bool_]:
        """(channels, states): whether each state holds each channel."""
        held = np.zeros((self.channels, self.size), dtype=bool)
        code = self.codes.copy()
        states = np.arange(self.size)
        for _ in range(self.order):
            code, digit = np.divmod(code, self.base)
            real = digit > 0
            held[digit[real] - 1, states[real]] = True
        return held

    def solve(self) -> tuple[tuple[float, float], list[tuple[float, float]]]:
        """Base and every removal, pushed together until each is certified."""
        removals = self.channels
        check_work(removals, self.size + len(self.src), NUMPY_WORK, "numpy")
        # one row per state, one column per solve (the base, then each removal): a
        # transition gathers whole rows, contiguous in memory
        keep = np.ones((self.size, removals + 1), dtype=np.float64)
        keep[:, 1:][self.holds().T] = 0.0
        mass = self.start[:, None] * keep
        order = np.argsort(self.dst, kind="stable")
        src, dst, p = self.src[order], self.dst[order], self.p[order][:, None]
        if len(dst):
            starts = np.flatnonzero(np.concatenate(([True], dst[1:] != dst[:-1])))
            targets = dst[starts]
        pconv, pvalue = self.pconv[:, None], self.pvalue[:, None]
        converted = np.zeros(removals + 1)
        value = np.zeros(removals + 1)
        has_value = bool(self.pvalue.any())
        for _step in range(MAX_STEPS):
            converted += (mass * pconv).sum(axis=0)
            if has_value:
                value += (mass * pvalue).sum(axis=0)
            new = np.zeros_like(mass)
            if len(dst):
                new[targets] = np.add.reduceat(mass[src] * p, starts, axis=0)
            mass = new
            mass *= keep
            remaining = mass.sum(axis=0)
            if (remaining <= RELATIVE_TOLERANCE * converted[0]).all() or not remaining.any():
                base = (float(converted[0]), float(value[0]))
                rest = list(zip(converted[1:].tolist(), value[1:].tolist(), strict=True))
                return base, rest
        msg = f"markov did not converge within {MAX_STEPS:,} steps: the chain almost never absorbs"
        raise ValidationError(msg)


Steps = tuple[Ints, Ints, Floats]
"""Transitions as (from codes, to codes, weights): one entry per touch, or per distinct pair."""


def _first_order_steps(cols: Columns, weight: Floats, channels: int, collapse: bool) -> Steps:  # noqa: FBT001
    """Order 1: the weight of each distinct pair of touches in a row, summed over every path.

    A step runs from each touch to the next within its path (with ``collapse``, not to
    a repeat of the same channel: dropping the repeats leaves exactly these steps).
    The steps are summed by pair code a block of whole paths at a time, into one dense
    table when the pairs fit one: for whole counts each block's sums, and their total,
    are sums of whole numbers below 2**53, so exact whatever the blocks; fractional
    counts come in canonical row order and are summed in the same blocks every time.
    Paths of no weight add zeros.
    """
    tok, off, lengths = cols.narrow, cols.offsets, cols.lengths
    width = channels + 1
    if len(tok) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    if width * width > 1 << 24:  # many channels: only the pairs that occur
        pair, weights = _pairs(tok, off, lengths, weight, width, collapse)
        seen, inverse = np.unique(pair, return_inverse=True)
        sums = np.bincount(inverse, weights=weights, minlength=len(seen)).astype(float)
        seen, sums = seen[sums > 0], sums[sums > 0]
    else:
        dense = np.zeros(width * width)
        for a, b in _path_blocks(off):
            pair, weights = _pairs(tok, off[a : b + 1], lengths[a:b], weight[a:b], width, collapse)
            dense += np.bincount(pair, weights=weights, minlength=width * width)
        seen = np.flatnonzero(dense)
        sums = dense[seen]
    codes: Ints = seen.astype(np.int64, copy=False)
    return codes // width + 1, codes % width + 1, sums


def _pairs(  # noqa: PLR0917 (one block's columns)
    tok: Any,
    off: Ints,
    lengths: Ints,
    weight: Floats,
    width: int,
    collapse: bool,  # noqa: FBT001
) -> tuple[Ints, Floats]:
    """The pair code and weight of each step out of every touch of the paths ``off`` bounds.

    A touch with no step out (a path's last, or with ``collapse`` one whose next touch
    repeats its channel) is given weight 0.
    """
    first, last = int(off[0]), int(off[-1])
    block = tok[first:last]
    step = np.ones(len(block) - 1, dtype=bool)
    # no step from the last touch of one path to the first of the next
    step[off[1:-1] - first - 1] = False
    if collapse:
        step &= block[1:] != block[:-1]
    pair = block[:-1].astype(np.intp)
    pair *= width
    pair += block[1:]
    weights = np.repeat(weight, lengths)[1:]
    weights *= step
    return pair, weights


def _steps(  # noqa: PLR0917 (the chain's inputs)
    cols: Columns,
    weight: Floats,
    live: Any,
    order: int,
    base: int,
    collapse: bool,  # noqa: FBT001
) -> tuple[Ints, Ints, Ints, Ints, Floats]:
    """Orders above 1: each path's start and end state codes (of live paths), and every step."""
    tok, path_of, off, lengths = cols.tokens, cols.path_of, cols.offsets, cols.lengths
    if collapse and len(tok):
        same = np.empty(len(tok), dtype=bool)
        same[0] = False
        np.equal(tok[1:], tok[:-1], out=same[1:])
        same[off[:-1]] = False  # a path's first touch repeats nothing
        run_starts = np.flatnonzero(~same)
        run_id = np.cumsum(~same) - 1
        keep = (np.arange(len(tok)) - run_starts[run_id]) < order
        if not keep.all():
            tok, path_of = tok[keep], path_of[keep]
            lengths = np.bincount(path_of, minlength=len(cols.lengths))
            off = np.concatenate(([0], np.cumsum(lengths)))
    size_t = len(tok)
    # room[i]: the touches from i to the end of its path (i included)
    room = off[1:][path_of] - np.arange(size_t)
    code = tok + 1
    padded = np.concatenate((code, np.zeros(order, dtype=np.int64)))
    for j in range(1, order):
        code = code * base + np.where(room > j, padded[j : j + size_t], 0)
    starts = off[:-1]
    start_code = code[starts][live]
    end_code = code[starts + np.maximum(lengths - order, 0)][live]
    tr = np.flatnonzero((room > order) & live[path_of])
    return start_code, end_code, code[tr], code[tr + 1], weight[path_of[tr]]


# -- Shapley --------------------------------------------------------------------------------


def rate_values(table: Table, n: int) -> list[float]:
    """Shapley values of the conversion-rate game over ``n`` channels, then the grand rate."""
    cols = columns(table)
    size = 1 << n
    if len(cols.lengths):
        masks = np.bitwise_or.reduceat(np.left_shift(1, cols.tokens), cols.offsets[:-1])
    else:
        masks = np.zeros(0, dtype=np.int64)
    conv = np.bincount(masks, weights=cols.conv, minlength=size)
    total = np.bincount(masks, weights=cols.conv + cols.nulls, minlength=size)
    for bit in range(n):
        for arr in (conv, total):
            view = arr.reshape(-1, 2, 1 << bit)
            view[:, 1, :] += view[:, 0, :]
    rate = np.where(total > 0, conv / np.where(total > 0, total, 1.0), 0.0)
    weight = [
        float(Fraction(math.factorial(s) * math.factorial(n - s - 1), math.factorial(n)))
        for s in range(n)
    ]
    sizes = np.zeros(size, dtype=np.int64)
    for bit in range(n):
        sizes.reshape(-1, 2, 1 << bit)[:, 1, :] += 1
    joined_w = np.asarray([0.0, *weight])
    left_w = np.asarray([*weight, 0.0])
    joined = rate * joined_w[sizes]
    left = rate * left_w[sizes]
    values = []
    for i in range(n):
        gain = joined.reshape(-1, 2, 1 << i)[:, 1, :].sum()
        loss = left.reshape(-1, 2, 1 << i)[:, 0, :].sum()
        values.append(float(gain - loss))
    values.append(float(rate[-1]))
    return values
