"""The numpy engine (private; imported only inside functions, when numpy is installed).

It builds exactly the chain and the integer sums the pure-Python engine builds — the
same states numbered in the same sorted order, the same exact counts (sums of whole
numbers below 2**53 are exact in float64) — so both engines agree to rounding, and
each gives the same bits whatever order the paths were added in. Markov solves every
removal together: one mass matrix, one row per removal, pushed until each is
certified to the same tolerance as the pure-Python solver.
"""

from __future__ import annotations

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
    """A table's columns as numpy arrays (counts as float64, exact when whole)."""

    def __init__(self, table: Table) -> None:
        self.units = table.units  # not the table itself: the table keeps these columns
        self.tokens: Ints = _ints(table.tokens, f"u{table.tokens.itemsize}")
        self.offsets: Ints = _ints(table.offsets, "i8")
        self.lengths: Ints = np.diff(self.offsets)
        self.conv: Floats = _floats(table.conversions)
        self.nulls: Floats = _floats(table.nulls)
        self.values: Floats | None = None
        if isinstance(table.units, array):
            units = _ints(table.units, "i8")
            if table.total_units() < EXACT / 2:
                self.values = units.astype(np.float64)
        self.path_of: Ints = np.repeat(np.arange(len(self.lengths)), self.lengths)


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


def _keyed(keys: Ints, weights: Floats, width: int) -> dict[Any, float]:
    """Sum ``weights`` by integer key; keys decode to tuples through ``width``-wide digits."""
    if not len(keys):
        return {}
    top = int(keys.max()) + 1
    if top <= 1 << 22:  # a dense key space: one pass, no sort
        dense = np.bincount(keys, weights=weights, minlength=top)
        uniq = np.flatnonzero(dense)
        sums = dense[uniq]
    else:
        uniq, inverse = np.unique(keys, return_inverse=True)
        sums = np.bincount(inverse, weights=weights, minlength=len(uniq))
    out: dict[Any, float] = {}
    for key, total in zip(uniq.tolist(), sums.tolist(), strict=True):
        if total:
            out[(key // width, key % width)] = total
    return out


def sums(table: Table, kind: str, direct: frozenset[int] = frozenset()) -> dict[Any, list[Any]]:
    """The integer sums the rule models combine, keyed as the pure-Python engine keys them."""
    cols = columns(table)
    c = len(table.names)
    tok, off, lengths = cols.tokens, cols.offsets, cols.lengths
    n = len(lengths)
    if not n:
        return {}
    starts = off[:-1]
    if kind in ("first", "last", "last_non_direct"):
        if kind == "first":
            chosen = tok[starts]
        elif kind == "last":
            chosen = tok[off[1:] - 1]
        else:
            is_direct = np.zeros(max(c, 1), dtype=bool)
            is_direct[list(direct)] = True
            idx = np.where(is_direct[tok], -1, np.arange(len(tok)))
            last_nd = np.maximum.reduceat(idx, starts)
            chosen = np.where(last_nd >= 0, tok[np.maximum(last_nd, 0)], tok[off[1:] - 1])
        keys = lengths * c + chosen
        return _pair(_keyed(keys, cols.conv, c), _values_keyed(keys, cols, None, c))
    if kind == "tokens":
        keys = lengths[cols.path_of] * c + tok
        return _pair(
            _keyed(keys, cols.conv[cols.path_of], c), _values_keyed(keys, cols, cols.path_of, c)
        )
    if kind == "distinct":
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

    def __init__(self, table: Table, order: int, collapse: bool) -> None:  # noqa: FBT001, PLR0912, PLR0915 (one vectorised pass)
        cols = columns(table)
        c = len(table.names)
        base = c + 1
        if float(base) ** order >= 2.0**62:
            msg = "markov with the numpy engine: too many channels for this order"
            raise ValidationError(msg)
        tok, path_of, off, lengths = cols.tokens, cols.path_of, cols.offsets, cols.lengths
        if collapse and len(tok):
            same = np.empty(len(tok), dtype=bool)
            same[0] = False
            np.equal(tok[1:], tok[:-1], out=same[1:])
            same[off[:-1]] = False  # a path's first touch repeats nothing
            if order == 1:
                keep = ~same
            else:
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
        if order > 1:
            padded = np.concatenate((code, np.zeros(order, dtype=np.int64)))
            for j in range(1, order):
                code = code * base + np.where(room > j, padded[j : j + size_t], 0)
        weight = cols.conv + cols.nulls
        live = weight > 0
        starts = off[:-1]
        start_code = code[starts][live]
        end_code = code[starts + np.maximum(lengths - order, 0)][live]
        tr = np.flatnonzero((room > order) & live[path_of])
        from_code, to_code = code[tr], code[tr + 1]
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
        tr_weight = weight[path_of[tr]]
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


# -- reading values -------------------------------------------------------------------------


def cents(raws: list[Any]) -> npt.NDArray[np.int64] | None:
    """Plain non-negative float/int values as whole cents, or ``None`` if any is not plainly so."""
    values = np.asarray(raws, dtype=np.float64)
    if not np.isfinite(values).all() or (values < 0).any() or (values > 2.0**45).any():
        return None
    scaled = np.round(values * 100.0)
    if not np.array_equal(scaled / 100.0, values):
        return None
    return scaled.astype(np.int64)


# -- reading path strings -------------------------------------------------------------------

_LONGEST_NAME = 64  # bytes; longer names go the str route
_BUCKETS = 18  # bits of a name's hash that pick its slot
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
_SPACE, _NEWLINE = ord(" "), ord("\n")
_PAD = "\0" * (_LONGEST_NAME + 8)  # after the last path: every word read stays inside
_KEEP = np.asarray([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def split_paths(texts: list[str], sep: str) -> tuple[list[str], Ints, Ints] | None:  # noqa: PLR0911 (each check sends odd input to the str route)
    """Distinct, plainly well-formed path strings as (sorted names, token ids, offsets), or ``None``.

    The strings are joined once, encoded, and cut at the separator bytes with numpy;
    each token's bytes are hashed to a slot, and every token is then compared word for
    word with its slot's first, so the ids are exact (names that keep sharing a slot,
    or anything not plainly well-formed, return ``None`` for the str route). Gives what
    :func:`~salesmark.attribution._parsing._split_python` gives; token ids come in the
    smallest unsigned type that holds them, and arrays are kept narrow, since most of
    the time goes in touching fresh memory.
    """
    core = sep.strip()
    if len(core) != 1 or sep != f" {core} " or not core.isascii() or "" in texts:
        return None
    try:
        raw = "\n".join([*texts, _PAD]).encode()
    except (TypeError, UnicodeEncodeError):  # a cell not text, or a lone surrogate
        return None
    size = len(raw) - len(_PAD) - 1
    if size >= 1 << 31:  # pragma: no cover - 2 GiB of path text: the str route
        return None
    data = np.frombuffer(raw, dtype=np.uint8)
    text = data[:size]
    cut = text == ord(core)  # two vectorised comparisons: twice as fast as a table look-up
    cut |= text == _NEWLINE
    cuts = np.flatnonzero(cut).astype(np.int32)
    newline = data[cuts] == _NEWLINE
    marks = cuts[~newline]
    if int(np.count_nonzero(newline)) != len(texts) - 1 or not _spaced(data, marks, size):
        return None
    count = len(cuts) + 1
    starts = np.empty(count, dtype=np.int32)
    starts[0] = 0
    np.add(cuts, 2, out=starts[1:])
    starts[1:] -= newline
    lengths = np.empty(count, dtype=np.int32)
    np.subtract(cuts, 1, out=lengths[:-1])
    lengths[:-1] += newline
    lengths[-1] = size
    lengths -= starts
    if lengths.min() <= 0 or lengths.max() > _LONGEST_NAME:
        return None
    for mix in _MIX:  # a second hash when two names share a slot
        interned = _intern(data, starts, lengths, mix)
        if interned is not None:
            break
    else:
        return None
    slots, firsts = interned
    spans = zip(starts[firsts].tolist(), lengths[firsts].tolist(), strict=True)
    found = [raw[a : a + n].decode() for a, n in spans]
    names = sorted(found)
    if not all(names) or list(map(str.strip, names)) != names:
        return None
    rank = np.zeros(1 << _BUCKETS, dtype=_id_type(len(names)))
    by_name = sorted(range(len(found)), key=found.__getitem__)
    rank[slots[firsts][by_name]] = np.arange(len(found))
    tokens = rank[slots]
    offsets = np.empty(len(texts) + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:-1] = np.flatnonzero(newline)
    offsets[1:-1] += 1
    offsets[-1] = count
    if not _distinct_paths(tokens, offsets):
        return None
    return names, tokens, offsets


def _id_type(names: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned type that holds ``names`` ids (the table's ``typecode``)."""
    return np.uint8 if names <= 256 else np.uint16 if names <= 65536 else np.uint32


def _spaced(data: Any, marks: Any, size: int) -> bool:
    """Whether every separator byte stands as `` x `` with exactly one space each side."""
    if not len(marks):
        return True
    if marks[0] < 2 or marks[-1] > size - 3:
        return False
    return bool(
        (data[marks - 1] == _SPACE).all()
        and (data[marks + 1] == _SPACE).all()
        and (data[marks - 2] != _SPACE).all()
        and (data[marks + 2] != _SPACE).all()
    )


def _intern(data: Any, starts: Any, lengths: Any, mix: np.uint64) -> tuple[Any, Any] | None:
    """Each token's slot and one token of each slot used, or ``None`` if two names share a slot."""
    words = np.ndarray(shape=(len(data) - 8,), dtype="<u8", buffer=data, strides=(1,))
    digest = lengths.astype(np.uint64)
    chunks = []
    at = starts.copy()
    rest = lengths.copy()
    for _ in range(0, int(lengths.max()), 8):
        chunk = words[at]
        chunk &= _KEEP[np.clip(rest, 0, 8)]
        chunks.append(chunk)
        digest ^= chunk
        digest *= mix
        digest ^= digest >> np.uint64(29)
        at += 8
        rest -= 8
    slots = (digest >> np.uint64(64 - _BUCKETS)).astype(np.int32)
    first = np.full(1 << _BUCKETS, -1, dtype=np.int32)
    first[slots] = np.arange(len(slots), dtype=np.int32)
    firsts = first[np.flatnonzero(first >= 0)]
    owner = first[slots]
    if not np.array_equal(lengths[owner], lengths) or not all(
        np.array_equal(chunk[owner], chunk) for chunk in chunks
    ):
        return None  # two names share a slot
    return slots, firsts


def _distinct_paths(tokens: Any, offsets: Ints) -> bool:
    """Whether no two paths are the same (a hash of each path, checked exactly on a clash)."""
    lengths = np.diff(offsets)
    position = np.arange(len(tokens), dtype=np.int32)
    position -= np.repeat(offsets[:-1].astype(np.int32), lengths)
    spread = np.random.default_rng(0).integers(
        0, 1 << 63, size=(2, 1 + int(lengths.max())), dtype=np.uint64
    )
    term = spread[0][tokens.astype(np.int64) % spread.shape[1]]  # (uint8 ids: 257+ columns)
    term += tokens.astype(np.uint64)
    term *= spread[1][position] | np.uint64(1)
    digest = np.add.reduceat(term, offsets[:-1])
    digest.sort()
    if not (digest[1:] == digest[:-1]).any():
        return True
    keys = {
        tokens[a:b].tobytes()
        for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
    }
    return len(keys) == len(lengths)
