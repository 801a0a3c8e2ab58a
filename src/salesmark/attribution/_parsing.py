"""Reading tidy records into path statistics (private): the body of ``PathCounts.from_records``.

Rows come in ChannelAttribution's format: a path string (``"a > b > c"``), total
conversions, total nulls and total conversion value. Plainly well-formed rows are read
column by column, so each step runs in C; anything else is read row by row, which names
the first offending row. Both routes give the same totals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import compress, count, repeat
from operator import add, itemgetter, methodcaller
from typing import Any

from salesmark.attribution._checks import Count, Path, check_amount, check_count, check_path
from salesmark.errors import ValidationError, WrongType

Stats = tuple[Count, Count, Decimal]
"""(conversions, nulls, value) of one distinct path."""

ZERO = Decimal(0)

Columns = tuple[str, str, str | None, str | None]
"""The names of the path, conversions, nulls and value columns (``None``: no column)."""


def read_records(
    rows: Sequence[Mapping[str, Any]], columns: Columns, sep: str, currency: str | None
) -> dict[Path, Stats]:
    """Totals per distinct path of tidy ``rows``, all-zero paths dropped.

    Raises:
        ValidationError: On a missing path or conversions column, an empty path, a
            negative count, or a value without ``currency``.
    """
    fast = _well_formed_records(rows, columns, sep, currency)
    if fast is not None:
        return fast
    return _each_record(rows, columns, sep, currency)


def _each_record(
    rows: Sequence[Mapping[str, Any]], columns: Columns, sep: str, currency: str | None
) -> dict[Path, Stats]:
    """Read the rows one by one, naming the first offending row."""
    path, conversions, nulls, value = columns
    core = sep.strip() or sep  # "a>b" and "a > b" both split on " > "
    padded = (" " + sep, sep + " ") if core != sep else ("\0", "\0")
    strip = str.strip
    paths: dict[Path, Stats] = {}
    for index, row in enumerate(rows):
        try:
            text = row[path]
            conv = row[conversions]
        except KeyError as missing:
            msg = f"rows[{index}] has no {missing} column; it has {sorted(row)!r}"
            raise ValidationError(msg) from None
        if type(text) is not str:
            text = _path_text(text, index, path)
        if (
            core != sep
            and text.count(core) == text.count(sep)
            and padded[0] not in text
            and padded[1] not in text
            and text == strip(text)
        ):
            steps = tuple(text.split(sep))  # well-formed: nothing to strip
        else:
            steps = tuple(map(strip, text.split(core)))
        if "" in steps:
            check_path(steps, f"rows[{index}][{path!r}]")
        if type(conv) is not int or conv < 0:
            conv = check_count(conv, f"rows[{index}][{conversions!r}]")
        null_count: Count = 0
        if nulls is not None:
            null_count = row.get(nulls, 0)
            if type(null_count) is not int or null_count < 0:
                null_count = check_count(null_count, f"rows[{index}][{nulls!r}]")
        amount = ZERO
        if value is not None:
            raw = row.get(value)
            if type(raw) is float and raw > 0 and currency is not None and raw != math.inf:
                amount = Decimal(repr(raw))
            elif raw is not None and raw != 0:
                amount = _record_value(raw, index, value, currency)
        old = paths.get(steps)
        paths[steps] = (
            (conv, null_count, amount)
            if old is None
            else (old[0] + conv, old[1] + null_count, old[2] + amount)
        )
    return {p: s for p, s in paths.items() if s[0] or s[1] or s[2]}


def _well_formed_records(
    rows: Sequence[Mapping[str, Any]], columns: Columns, sep: str, currency: str | None
) -> dict[Path, Stats] | None:
    """Read well-formed rows column by column, or ``None`` if they are not plainly so.

    Checks the rows as a whole (every path a string with single-spaced separators and
    nothing to strip, every count a non-negative int) so each step runs in C, and
    returns the same totals the row-by-row route would. Returns ``None`` as soon as
    anything is not plainly well-formed: the caller then walks the rows one by one,
    which names the first offending row.
    """
    path, conversions, nulls, value = columns
    try:
        texts = list(map(itemgetter(path), rows))
        convs = list(map(itemgetter(conversions), rows))
        null_counts = list(map(methodcaller("get", nulls, 0), rows)) if nulls is not None else None
        raws = list(map(methodcaller("get", value), rows)) if value is not None else None
    except (KeyError, TypeError, AttributeError):
        return None
    steps = _well_formed_paths(texts, sep)
    if steps is None or not all(_natural(c) for c in (convs, null_counts) if c is not None):
        return None
    amounts = [ZERO] * len(texts)
    for index in compress(count(), raws or ()):  # rows with a non-zero value
        raw = raws[index] if raws else None
        if type(raw) is float and raw > 0 and currency is not None and raw != math.inf:
            amounts[index] = Decimal(repr(raw))
        else:
            amounts[index] = _record_value(raw, index, value or "", currency)
    weights = convs if null_counts is None else list(map(add, convs, null_counts))
    stats: list[Stats] = list(zip(convs, null_counts or repeat(0), amounts))  # noqa: B905
    paths: dict[Path, Stats] = dict(zip(steps, stats, strict=True))
    if len(paths) != len(steps):  # a path given in several rows: add them up
        paths = {}
        for key, (conv, null_count, amount) in zip(steps, stats, strict=True):
            old = paths.get(key)
            paths[key] = (
                (conv, null_count, amount)
                if old is None
                else (old[0] + conv, old[1] + null_count, old[2] + amount)
            )
    elif 0 not in weights:
        return paths
    return {p: s for p, s in paths.items() if s[0] or s[1] or s[2]}


def _well_formed_paths(texts: list[Any], sep: str) -> list[Path] | None:
    """Split path strings on ``sep`` if all are plainly well-formed, else ``None``."""
    core = sep.strip()
    if not texts or not core or core == sep:
        return [] if texts == [] else None
    if set(map(type, texts)) != {str} or "" in texts:
        return None
    joined = "\0".join(texts)
    if (
        joined.count(core) != joined.count(sep)
        or " " + sep in joined
        or sep + " " in joined
        or list(map(str.strip, texts)) != texts
    ):
        return None
    return list(map(tuple, map(str.split, texts, repeat(sep))))


def _natural(column: list[Any]) -> bool:
    """Whether every count in a column is an int of zero or more."""
    return not column or (set(map(type, column)) == {int} and min(column) >= 0)


def _path_text(text: object, index: int, column: str) -> str:
    if not isinstance(text, str):
        msg = f"rows[{index}][{column!r}] must be a path string, got {text!r}"
        raise WrongType(msg)
    return str(text)


def _record_value(raw: object, index: int, column: str, currency: str | None) -> Decimal:
    """Read one value cell of a record."""
    if raw is None or raw == 0:
        return ZERO
    if type(raw) is float and raw > 0 and raw != math.inf:
        amount = Decimal(repr(raw))
    else:
        amount = check_amount(raw, f"rows[{index}][{column!r}]", allow_float=True)
    if amount and currency is None:
        msg = (
            f"rows[{index}][{column!r}] is {raw!r}: give currency= "
            "to read values, or value=None to ignore them"
        )
        raise ValidationError(msg)
    return amount
