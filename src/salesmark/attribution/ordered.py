"""Order-aware Shapley attribution: a channel's credit split by where it stood in the path.

The ordered Shapley value (Zhao et al., 2018, "Shapley Value Methods for Attribution
Modeling in Online Advertising") refines :func:`~salesmark.attribution.shapley` with
``worth="conversions"``: each converting journey's conversions are shared equally among
its distinct channels, as there, and each channel's share is then split equally among
the positions at which it appeared. Summed over positions, a channel's credit is its
plain Shapley value; by position, it tells whether a channel opens journeys or closes
them.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import attrs

from salesmark.attribution._engine import Paths, collect

__all__ = ["PositionCredit", "PositionCredits", "ordered_shapley"]


@attrs.frozen(kw_only=True)
class PositionCredit:
    """The conversions credited to one channel at one touch position.

    Attributes:
        channel: The channel.
        position: The touch position in the journey, from 1 (the first touch).
        conversions: The conversions credited there.
    """

    channel: str
    position: int
    conversions: float


@attrs.frozen(kw_only=True, repr=False)
class PositionCredits:
    """Ordered Shapley credits: per channel and touch position.

    Attributes:
        rows: One row per (channel, position) that earned credit, sorted by channel then
            position.
        total_conversions: The conversions shared out; the rows sum to it.
    """

    rows: tuple[PositionCredit, ...]
    total_conversions: float

    def __repr__(self) -> str:
        channels = len({r.channel for r in self.rows})
        return (
            f"PositionCredits(ordered_shapley: {self.total_conversions:g} conversions over "
            f"{channels} channels and {len(self.rows)} channel positions)"
        )

    def by_channel(self) -> dict[str, float]:
        """Credit per channel (summed over positions): the plain Shapley values.

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 1, 0, None)])).by_channel()
            {'ad': 0.5, 'email': 0.5}
        """
        totals: dict[str, list[float]] = {}
        for row in self.rows:
            totals.setdefault(row.channel, []).append(row.conversions)
        return {channel: math.fsum(parts) for channel, parts in totals.items()}

    def by_position(self) -> dict[int, float]:
        """Credit per touch position (summed over channels).

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 1, 0, None)])).by_position()
            {1: 0.25, 2: 0.5, 3: 0.25}
        """
        totals: dict[int, list[float]] = {}
        for row in self.rows:
            totals.setdefault(row.position, []).append(row.conversions)
        return {position: math.fsum(totals[position]) for position in sorted(totals)}

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per (channel, position), ready for ``pandas.DataFrame``.

        Example:
            >>> from salesmark.attribution import PathCounts
            >>> ordered_shapley(PathCounts.from_tuples([(("ad",), 2, 0, None)])).to_records()
            [{'channel': 'ad', 'position': 1, 'conversions': 2.0}]
        """
        return [
            {"channel": r.channel, "position": r.position, "conversions": r.conversions}
            for r in self.rows
        ]


def ordered_shapley(data: Paths) -> PositionCredits:
    """Ordered Shapley credits per channel and touch position.

    Each converting journey's conversions go in equal shares to its distinct channels;
    a channel that appears several times splits its share equally among those positions.

    Args:
        data: A :class:`~salesmark.attribution.PathCounts` or journeys.

    Raises:
        ValidationError: If ``data`` is not paths or journeys.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> credits = ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 1, 0, None)]))
        >>> [(r.channel, r.position, r.conversions) for r in credits.rows]
        [('ad', 1, 0.25), ('ad', 3, 0.25), ('email', 2, 0.5)]
    """
    collected = collect(data, with_marks=False)
    parts: dict[tuple[str, int], list[float]] = {}
    for path, _marks, conv, _value in collected.rows:
        if not conv:
            continue
        seen = Counter(path)
        share = conv / len(seen)
        for position, channel in enumerate(path, start=1):
            parts.setdefault((channel, position), []).append(share / seen[channel])
    rows = tuple(
        PositionCredit(
            channel=channel, position=position, conversions=math.fsum(parts[channel, position])
        )
        for channel, position in sorted(parts)
    )
    return PositionCredits(rows=rows, total_conversions=collected.total_conversions)
