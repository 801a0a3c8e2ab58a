"""Reading rows with numpy (private; imported only inside functions, when numpy is installed).

The fast route of ``PathCounts.from_records`` hands its plainly well-formed columns
here: path strings are cut and interned, counts checked and values scaled as whole
arrays, and anything this module does not plainly take is handed back (``None``) to
the str route, which reads it exactly or names the offending row.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


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


_HALF_SUMS = 1 << 30
"""The most cells whose 32-bit halves numpy sums within int64 (2**30 * 2**32 < 2**63)."""


def exact_total(column: array[int]) -> int:
    """The exact sum of an ``array('q')``: the high and the low 32 bits of each cell summed apart.

    Each half's sum stays inside int64 for up to :data:`_HALF_SUMS` cells; a longer
    column is summed by Python.
    """
    if not column or len(column) > _HALF_SUMS:
        return sum(column)
    cells = np.frombuffer(column, dtype=np.int64)
    high = int((cells >> 32).sum())
    low = int((cells & 0xFFFFFFFF).sum())
    return (high << 32) + low


def plain_counts(conversions: array[int], nulls: array[int], most: int) -> bool:
    """Whether every count is from 0 to ``most`` and every row has a conversion or a null."""
    conv = np.frombuffer(conversions, dtype=np.int64)
    null = np.frombuffer(nulls, dtype=np.int64)
    low = min(int(conv.min()), int(null.min()))
    high = max(int(conv.max()), int(null.max()))
    return low >= 0 and high <= most and bool((conv | null).all())


# -- reading path strings -------------------------------------------------------------------

_LONGEST_NAME = 64  # bytes; longer names go the str route
_WORDS = _LONGEST_NAME // 8  # 8-byte words a name can span
_BUCKETS = 18  # bits of a name's hash that pick its slot
_BLOCK = 8192  # paths cut at a time: a block's arrays stay in cache and their memory is reused
_SPACE, _NEWLINE = ord(" "), ord("\n")
_PAD = "\0" * (_LONGEST_NAME + 8)  # after a block's last path: every word read stays inside
_KEEP = np.asarray([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def split_paths(texts: list[str], sep: str) -> tuple[list[str], Ints, Ints] | None:
    """Distinct, plainly well-formed path strings as (sorted names, token ids, offsets), or ``None``.

    The strings are read a block of paths at a time (see :class:`_Names`): each block is
    joined, encoded, and cut at its separator bytes with numpy, and each token's bytes
    are hashed to a slot and compared word for word with the name that slot holds, so
    the ids are exact (a token whose slot holds another name is looked up by its bytes).
    Working a block at a time keeps each step's arrays small: they stay in cache, and
    their memory is reused instead of fetched fresh from the system, which at a million
    touches costs more than the arithmetic. Anything not plainly well-formed returns
    ``None`` for the str route.
    Gives what :func:`~salesmark.attribution._parsing._split_python` gives; token ids
    come in the smallest unsigned type that holds them.
    """
    core = sep.strip()
    if len(core) != 1 or sep != f" {core} " or not core.isascii() or not texts:
        return None  # (an empty path leaves an empty name, refused below)
    names = _Names(ord(core))
    read = names.read(texts)
    if read is None:
        return None
    ids, offsets, digests = read
    found = names.found
    ordered = sorted(found)
    if not all(ordered) or list(map(str.strip, ordered)) != ordered:
        return None
    rank = np.empty(len(found), dtype=_id_type(len(found)))
    rank[sorted(range(len(found)), key=found.__getitem__)] = np.arange(len(found))
    tokens = rank.take(ids)
    if not _distinct(digests, texts):
        return None
    return ordered, tokens, offsets


class _Names:
    """The names found so far, block by block, and the slot each one holds.

    A token is read as its bytes in 8-byte words, the bytes past its end masked off,
    with its length beside them. Its hash is a sum of those words and its length, each
    times a fixed odd word, and its slot the top bits of that sum (multiplicative
    hashing: the top bits of a product depend on every bit of the word), so a name
    hashes alike whichever block it is in and however many words that block's longest
    name takes. A slot holds one name, read in the first block that uses the slot; a
    token of another name that hashes to it is found by its bytes in :attr:`spilled`,
    so any number of names, and names that share slots, are read exactly.
    """

    def __init__(self, core: int) -> None:
        self.core = core
        self.weights = _spread(_WORDS + 1, 3) | np.uint64(1)
        self.spilled: dict[bytes, int] = {}  # names whose slot holds another name
        self.slot_name = np.full(1 << _BUCKETS, -1, dtype=np.int32)
        self.found: list[str] = []
        self.lengths = np.zeros(0, dtype=np.int64)  # each slot holder's length and words
        self.words = [np.zeros(0, dtype=np.uint64) for _ in range(_WORDS)]
        self.powers = _powers(1)
        self.name_words = _spread(0, 1)

    def read(self, texts: list[str]) -> tuple[Ints, Ints, Any] | None:
        """Every token's name index, the path offsets and a hash of each path (``None``: odd input)."""
        ids = []
        offsets = [np.zeros(1, dtype=np.int64)]
        digests = []
        done = 0
        for at in range(0, len(texts), _BLOCK):
            got = self.block(texts[at : at + _BLOCK])
            if got is None:
                return None
            block_ids, ends, digest = got
            ids.append(block_ids)
            offsets.append(ends + done)
            digests.append(digest)
            done += len(block_ids)
        return np.concatenate(ids), np.concatenate(offsets), np.concatenate(digests)

    def block(self, texts: list[str]) -> tuple[Any, Ints, Any] | None:
        """One block's name indices, path ends (in its own tokens) and path hashes."""
        texts.append(_PAD)
        try:
            raw = "\n".join(texts).encode()
        except (TypeError, UnicodeEncodeError):  # a cell not text, or a lone surrogate
            return None
        paths = len(texts) - 1
        size = len(raw) - len(_PAD) - 1
        data = np.frombuffer(raw, dtype=np.uint8)
        text = data[:size]
        cut = text == self.core  # two vectorised comparisons: twice as fast as a table look-up
        cut |= text == _NEWLINE
        cuts = np.flatnonzero(cut)
        # A cut is a newline, or a separator with a space on each side. (A second space, or
        # a separator at either end of a path, leaves a name that starts or ends with a
        # space, or an empty one, which the checks of the names refuse; a cut at the very
        # first byte reads the last padding byte as the one before it.)
        newline = data[cuts] == _NEWLINE
        spaced = data[cuts - 1] == _SPACE
        spaced &= data[cuts + 1] == _SPACE
        ends = np.flatnonzero(newline)
        if len(ends) != paths - 1 or not (spaced | newline).all():
            return None
        count = len(cuts) + 1
        starts = np.empty(count, dtype=np.int64)
        starts[0] = 0
        np.add(cuts, 2, out=starts[1:])
        starts[1:] -= newline
        lengths = np.empty(count, dtype=np.int64)
        np.subtract(cuts, 1, out=lengths[:-1])
        lengths[:-1] += newline
        lengths[-1] = size
        lengths -= starts
        if lengths.min() <= 0 or lengths.max() > _LONGEST_NAME:
            return None
        chunks = _chunks(raw, starts, lengths)
        digest = lengths.astype(np.uint64)
        digest *= self.weights[_WORDS]
        for weight, chunk in zip(self.weights, chunks, strict=False):
            digest += chunk * weight
        slots = (digest >> np.uint64(64 - _BUCKETS)).astype(np.intp)
        index = self.slot_name[slots]
        if (index < 0).any():
            self.learn(raw, slots, index, starts, lengths, chunks)
            index = self.slot_name[slots]
        same = self.lengths[index] == lengths
        for known, chunk in zip(self.words, chunks, strict=False):
            same &= known[index] == chunk
        if not same.all():
            missed = np.flatnonzero(~same)
            index[missed] = self.spill(raw, starts[missed], lengths[missed])
        bounds = np.empty(paths + 1, dtype=np.int64)
        bounds[0] = 0
        bounds[1:-1] = ends
        bounds[1:-1] += 1
        bounds[-1] = count
        return index, bounds[1:], self.path_hashes(index, bounds)

    def learn(  # noqa: PLR0917 (one block's token columns)
        self, raw: bytes, slots: Any, index: Any, starts: Any, lengths: Any, chunks: list[Any]
    ) -> None:
        """Give each slot first used in this block the name of one token read there.

        Each new slot is marked with one of its tokens (a scatter: some token of the slot
        wins) and that token is read back, so no sort is needed; every token is then
        compared with its slot's name by the caller, so which token won does not matter.
        """
        new = np.flatnonzero(index < 0)
        mark = -2 - new.astype(np.int32)
        self.slot_name[slots[new]] = mark
        picks = new[self.slot_name[slots[new]] == mark]
        at = len(self.found)
        spans = zip(starts[picks].tolist(), lengths[picks].tolist(), strict=True)
        self.found.extend(raw[a : a + n].decode() for a, n in spans)
        self.slot_name[slots[picks]] = np.arange(at, at + len(picks), dtype=np.int32)
        gap = at - len(self.lengths)  # names spilled since: never looked up by slot
        self.lengths = np.concatenate((self.lengths, np.zeros(gap, np.int64), lengths[picks]))
        for j in range(_WORDS):
            add = chunks[j][picks] if j < len(chunks) else np.zeros(len(picks), dtype=np.uint64)
            self.words[j] = np.concatenate((self.words[j], np.zeros(gap, np.uint64), add))

    def spill(self, raw: bytes, starts: Any, lengths: Any) -> list[int]:
        """The name index of each token whose slot holds another name, found by its bytes."""
        spilled = self.spilled
        out = []
        for a, n in zip(starts.tolist(), lengths.tolist(), strict=True):
            name = raw[a : a + n]
            at = spilled.get(name)
            if at is None:  # (a spilled name has no length or words: it holds no slot)
                at = spilled[name] = len(self.found)
                self.found.append(name.decode())
            out.append(at)
        return out

    def path_hashes(self, index: Any, bounds: Ints) -> Any:
        """A hash of each path of the block, the same wherever the path is.

        Touch ``i`` of the block adds its name's word times ``P**i`` (``P`` odd, powers
        modulo 2**64); each path's sum is then multiplied by ``P**-start``, its first
        touch's inverse power, so a path hashes as the polynomial of its own names.
        """
        touches = len(index)
        if len(self.powers[0]) < touches:
            self.powers = _powers(max(touches, 2 * len(self.powers[0])))
        if len(self.name_words) < len(self.found):
            self.name_words = _spread(len(self.found), 1) | np.uint64(1)
        power, inverse = self.powers
        term = self.name_words[index]
        term *= power[:touches]
        sums = np.add.reduceat(term, bounds[:-1])
        sums *= inverse[bounds[:-1]]
        return sums


_BASE = 0x9E3779B97F4A7C15  # odd: invertible modulo 2**64


def _powers(size: int) -> tuple[Any, Any]:
    """``_BASE**i`` and ``_BASE**-i`` modulo 2**64 for ``i`` below ``size``."""
    step = np.full(size, _BASE, dtype=np.uint64)
    step[0] = 1
    back = np.full(size, pow(_BASE, -1, 1 << 64), dtype=np.uint64)
    back[0] = 1
    return np.multiply.accumulate(step), np.multiply.accumulate(back)


def _chunks(raw: bytes, starts: Any, lengths: Any) -> list[Any]:
    """Each token's bytes as 8-byte words (one array per word), the bytes past its end masked off.

    A word at any byte is put together from the two aligned words it straddles: numpy
    gathers from an aligned array several times faster than from a view at every byte.
    """
    aligned = np.frombuffer(raw, dtype="<u8", count=len(raw) // 8)
    at = starts >> 3
    low = ((starts & 7) << 3).astype(np.uint64)
    high = np.uint64(63) - low  # (a shift by one more: never by 64)
    chunks = []
    rest = lengths
    for done in range(0, int(lengths.max()), 8):
        if done:
            at = at + 1
            rest = rest - 8
        chunk = aligned[at] >> low
        chunk |= (aligned[at + 1] << np.uint64(1)) << high
        chunk &= _KEEP.take(rest, mode="clip")
        chunks.append(chunk)
    return chunks


def _distinct(digests: Any, texts: list[str]) -> bool:
    """Whether no two paths are the same: their hashes differ, or on a clash their strings do.

    (A plainly well-formed path string is its names joined by the separator, so two
    paths are the same exactly when their strings are.)
    """
    if not _shared_hash(digests):
        return True
    return len(set(texts)) == len(texts)


_ROUNDS = 3
"""Rounds of the slot table :func:`_shared_hash` tries before it sorts what is left."""


def _shared_hash(digests: Any) -> bool:
    """Whether two of ``digests`` are equal: by a slot table, then a sort of what is left.

    Each round puts every hash left into a slot by its top bits (one of each slot's
    hashes wins) and compares the others with their slot's winner; equal hashes share
    a slot, so every equal pair meets a winner in some round. The winners leave, and a
    few rounds leave only hashes that keep sharing slots, which are sorted.
    """
    table = np.empty(1 << (_BUCKETS + 1), dtype=np.int32)  # (written before it is read)
    left = np.arange(len(digests), dtype=np.int32)
    hashes = digests
    for _ in range(_ROUNDS):
        slots = (hashes >> np.uint64(64 - _BUCKETS - 1)).astype(np.intp)
        table[slots] = left
        winner = table[slots]
        lost = winner != left
        if (digests[winner[lost]] == hashes[lost]).any():
            return True
        left = left[lost]
        if not len(left):
            return False
        hashes = hashes[lost]
    ordered = np.sort(hashes)
    return bool((ordered[1:] == ordered[:-1]).any())


def _id_type(names: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned type that holds ``names`` ids (the table's ``typecode``)."""
    return np.uint8 if names <= 256 else np.uint16 if names <= 65536 else np.uint32


def _spread(size: int, stream: int) -> Any:
    """``size`` well-mixed 64-bit words, the same on every run.

    Word ``i`` is splitmix64's output mix of ``(stream * 2**32 + i) * 0x9E3779B97F4A7C15``.
    """
    words = np.arange(size, dtype=np.uint64)
    words += np.uint64(stream << 32)
    words *= np.uint64(0x9E3779B97F4A7C15)
    words ^= words >> np.uint64(30)
    words *= np.uint64(0xBF58476D1CE4E5B9)
    words ^= words >> np.uint64(27)
    words *= np.uint64(0x94D049BB133111EB)
    words ^= words >> np.uint64(31)
    return words
