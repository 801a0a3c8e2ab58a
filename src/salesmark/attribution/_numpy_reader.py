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


def plain_counts(conversions: array[int], nulls: array[int], most: int) -> bool:
    """Whether every count is from 0 to ``most`` and every row has a conversion or a null."""
    conv = np.frombuffer(conversions, dtype=np.int64)
    null = np.frombuffer(nulls, dtype=np.int64)
    low = min(int(conv.min()), int(null.min()))
    high = max(int(conv.max()), int(null.max()))
    return low >= 0 and high <= most and bool((conv | null).all())


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
    if len(core) != 1 or sep != f" {core} " or not core.isascii() or not texts:
        return None  # (an empty path leaves an empty name, refused below)
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
    # The bytes before, at and after each cut, read as one little-endian word: a cut is
    # a newline, or a separator with a space on each side. (A second space, or a
    # separator at either end of a path, leaves a name that starts or ends with a space,
    # or an empty one, which the checks of the names refuse.)
    around = _words(data, np.uint32)[cuts - 1] if len(cuts) else np.zeros(0, dtype=np.uint32)
    newline = (around & np.uint32(0xFF00)) == np.uint32(_NEWLINE << 8)
    spaced = (around & np.uint32(0xFF00FF)) == np.uint32(_SPACE << 16 | _SPACE)
    if int(np.count_nonzero(newline)) != len(texts) - 1 or not (spaced | newline).all():
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


def _words(data: Any, kind: type[np.unsignedinteger[Any]]) -> Any:
    """A little-endian word of type ``kind`` starting at every byte of ``data`` (a view).

    The last word starts a word's width before the end, so every word read stays inside
    (the caller pads its bytes); index ``-1`` reads that last word, padding only.
    """
    width = np.dtype(kind).itemsize
    return np.ndarray(
        shape=(len(data) - width,),
        dtype=np.dtype(kind).newbyteorder("<"),
        buffer=data,
        strides=(1,),
    )


def _intern(data: Any, starts: Any, lengths: Any, mix: np.uint64) -> tuple[Any, Any] | None:
    """Each token's slot and one token of each slot used, or ``None`` if two names share a slot.

    A token is read as its bytes in 8-byte words, the bytes past its end masked off; its
    length rides in the top byte of its last word when no name reaches that byte, and is
    compared on its own otherwise. Every token is compared, word for word, with the
    first token of its slot, so two names never share an id.
    """
    words = _words(data, np.uint64)
    longest = int(lengths.max())
    chunks = []
    at, rest = starts, lengths
    for done in range(0, longest, 8):
        if done:
            at = at + 8
            rest = rest - 8
        chunk = words[at]
        chunk &= _KEEP.take(np.clip(rest, 0, 8))
        chunks.append(chunk)
    parts = chunks
    if longest % 8:  # no name fills its last word: the length takes the free top byte
        chunks[-1] |= lengths.astype(np.uint64) << np.uint64(56)
    else:
        parts = [lengths, *chunks]
    digest = chunks[0] * mix
    for chunk in chunks[1:]:
        digest ^= digest >> np.uint64(29)
        digest += chunk
        digest *= mix
    slots = (digest >> np.uint64(64 - _BUCKETS)).astype(np.int32)
    first = np.full(1 << _BUCKETS, -1, dtype=np.int32)
    first[slots] = np.arange(len(slots), dtype=np.int32)
    firsts = first[np.flatnonzero(first >= 0)]
    owner = first[slots]
    if not all((part[owner] == part).all() for part in parts):
        return None  # two names share a slot
    return slots, firsts


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


def _distinct_paths(tokens: Any, offsets: Ints) -> bool:
    """Whether no two paths are the same (a hash of each path, checked exactly on a clash)."""
    lengths = np.diff(offsets)
    step = np.ones(len(tokens), dtype=np.int32)  # each touch's place in its path, by a running sum
    step[0] = 0
    step[offsets[1:-1]] = 1 - lengths[:-1]
    position = np.cumsum(step, dtype=np.int32)
    by_token = _spread(int(tokens.max()) + 1, 1)
    by_place = _spread(int(lengths.max()), 2)
    by_place |= np.uint64(1)  # odd: a place never wipes out a token's bits
    term = by_token[tokens]
    term *= by_place[position]
    digest = np.add.reduceat(term, offsets[:-1])
    digest.sort()
    if not (digest[1:] == digest[:-1]).any():
        return True
    keys = {
        tokens[a:b].tobytes()
        for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
    }
    return len(keys) == len(lengths)
