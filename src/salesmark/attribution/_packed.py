"""Exact arithmetic over all 2^n channel coalitions on packed big ints (private).

Shapley's conversion-rate game sums, for every coalition, the journeys whose channel
set lies inside it (a subset-sum transform), and then, for each channel, the weighted
rates of the coalitions that hold it. Both are sums of many numbers in fixed-width
fields; packing the fields into one Python int lets one mask, shift and add (in C)
do a whole pass, and keeps every sum exact. Used by
:mod:`~salesmark.attribution.shapley_values`; numpy is not needed.
"""

from __future__ import annotations

import contextlib
import math
import sys
from array import array
from itertools import repeat
from operator import and_, mul, rshift, truediv
from typing import Any

from salesmark._progress import Ticker

_WORD = 64  # bits of one packed coalition count


def zeta_packed(columns: list[list[int]], n: int, ticker: Ticker) -> list[list[int]]:
    """The subset sums of whole-number columns, each packed into one big int.

    Each count takes a 64-bit word of the int, and one bit's pass is one mask, shift
    and add over the whole int (in C), instead of a slice pass per run. The caller
    checks that every sum fits a word (all counts together stay below 2**53).
    """
    size = 1 << n
    packed = [int.from_bytes(_words(column).tobytes(), "little") for column in columns]
    for bit in range(n):
        step = 1 << bit
        half = _WORD // 8 * step
        low = int.from_bytes((b"\xff" * half + bytes(half)) * (size // (2 * step)), "little")
        shift = _WORD * step
        packed = [x + ((x & low) << shift) for x in packed]
        ticker.advance(len(columns))
    out = []
    for x in packed:
        words = array("Q")
        words.frombytes(x.to_bytes(_WORD // 8 * size, "little"))
        if sys.byteorder != "little":  # pragma: no cover - big-endian machines
            words.byteswap()
        out.append(words.tolist())
    return out


def _words(column: list[int]) -> array[int]:
    words = array("Q", column)
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        words.byteswap()
    return words


_FINEST = 400  # the finest power of two (2**-400) a term may need for exact half sums


def half_sums(terms: list[float], n: int) -> tuple[list[int], int, int] | None:
    """Exact sums of the terms of coalitions holding each channel, as integers, or ``None``.

    Every term (all >= 0) is a whole number of ``2**-k`` units for the ``k`` of the
    smallest, so they are packed as wide integers into one big int and summed by
    folding it in halves (in C), which gives each channel's sum over the coalitions
    holding it and the total. Returns (per-channel sums, the total, ``2**k``), or
    ``None`` when a term is too fine to pack (then ``math.fsum`` sums them).
    """
    smallest = min(filter(None, terms), default=0.0)
    if not smallest:
        return [0] * n, 0, 1
    places = 53 - math.frexp(smallest)[1]
    if places > _FINEST or max(terms) > 1.0:
        return None
    whole = list(map(int, map(mul, terms, repeat(2.0**places))))
    width = (places + n + 16) // 8  # places >= 52: every term is at most 1.0
    if width <= 16:  # two 64-bit words a term, interleaved in C
        width = 16
        words = array("Q", bytes(16 << n))
        words[0::2] = array("Q", map(and_, whole, repeat((1 << 64) - 1)))
        words[1::2] = array("Q", map(rshift, whole, repeat(64)))
        if sys.byteorder != "little":  # pragma: no cover - big-endian machines
            words.byteswap()
        data = words.tobytes()
    else:
        data = b"".join(x.to_bytes(width, "little") for x in whole)
    del whole
    packed = int.from_bytes(data, "little")
    size = 1 << n
    per_channel = [0] * n
    for bit in reversed(range(n)):
        size >>= 1
        shift = 8 * width * size
        upper = packed >> shift
        packed = (packed & ((1 << shift) - 1)) + upper
        per_channel[bit] = _field_sum(upper, size, width)
    return per_channel, packed, 2**places


def _field_sum(packed: int, fields: int, width: int) -> int:
    """The sum of ``fields`` (a power of two) ``width``-byte fields of ``packed``."""
    while fields > 1:
        fields >>= 1
        shift = 8 * width * fields
        packed = (packed & ((1 << shift) - 1)) + (packed >> shift)
    return packed


def packable(exact_conv: list[Any], exact_total: list[Any]) -> bool:
    """Whether the counts are whole and small enough for :func:`zeta_packed`."""
    kinds = set(map(type, exact_total)) | set(map(type, exact_conv))
    return kinds <= {int} and min(exact_conv) >= 0 and 0 <= sum(exact_total) < 2**53


def rates(conv: list[int], total: list[int]) -> list[float]:
    """Each coalition's conversions over its journeys, 0.0 where no journey lies inside it."""
    if not total[0]:  # no journey has no channel: the empty set is surely empty
        with contextlib.suppress(ZeroDivisionError):
            return [0.0, *map(truediv, conv[1:], total[1:])]
    return [c / t if t else 0.0 for c, t in zip(conv, total, strict=True)]
