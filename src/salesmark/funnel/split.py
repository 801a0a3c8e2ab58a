"""Funnels per group of leads (by a lead field or a key function); mergeable like the funnel."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _validators as v
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.funnel.counts import FunnelCounts

__all__ = ["FunnelSplit"]


def _group_order(item: tuple[Hashable, FunnelCounts]) -> tuple[bool, str]:
    return (item[0] is None, str(item[0]))


_PAIR = "a (group key, FunnelCounts) pair with a hashable key"


def _is_pair(item: object) -> bool:
    """Whether ``item`` is a ``(hashable key, FunnelCounts)`` pair."""
    if not (isinstance(item, tuple | list) and len(item) == 2):
        return False
    try:
        hash(item[0])
    except TypeError:
        return False
    return isinstance(item[1], FunnelCounts)


def _groups(
    value: Iterable[tuple[Hashable, FunnelCounts]],
) -> tuple[tuple[Hashable, FunnelCounts], ...]:
    try:
        items = v.sequence(value, "FunnelSplit.groups", "(group key, FunnelCounts) pairs")
    except ValidationError as exc:
        exc.path = "/groups"
        raise
    parts: dict[Hashable, list[FunnelCounts]] = {}
    for index, item in enumerate(items):
        if not _is_pair(item):
            msg = f"FunnelSplit.groups[{index}] must be {_PAIR}, got {v.shown(item)}"
            raise WrongType(msg, path=f"/groups/{index}", value=item, expected=_PAIR)
        group, counts = item
        parts.setdefault(group, []).append(counts)
    merged = {group: FunnelCounts.merge(counts) for group, counts in parts.items()}
    return tuple(sorted(merged.items(), key=_group_order))


@attrs.frozen(kw_only=True)
class FunnelSplit:
    """Funnels per group of leads; mergeable like :class:`FunnelCounts`.

    Attributes:
        by: What the leads were split by (a field name or the key function's name).
        groups: ``(group key, funnel)`` pairs, sorted by key (``None``, leads without a
            value, last).

    Example:
        >>> (FunnelSplit(by="channel") + FunnelSplit(by="channel")).groups
        ()
    """

    by: str = attrs.field(validator=v.non_empty_text)
    groups: tuple[tuple[Hashable, FunnelCounts], ...] = attrs.field(default=(), converter=_groups)

    def __repr__(self) -> str:
        return f"FunnelSplit(by={self.by!r}, groups={[g for g, _ in self.groups]!r})"

    def __add__(self, other: FunnelSplit) -> FunnelSplit:
        if not isinstance(other, FunnelSplit):
            return NotImplemented
        if self.by != other.by:
            msg = f"cannot add funnel splits by different keys: {self.by!r} and {other.by!r}"
            raise ValidationError(msg)
        return FunnelSplit(by=self.by, groups=self.groups + other.groups)

    @classmethod
    def merge(cls, parts: Iterable[FunnelSplit]) -> FunnelSplit:
        """The splits of ``parts`` together, each group's funnels added up at once.

        Raises:
            ValidationError: If no part is given, or parts are split by different keys.

        Example:
            >>> FunnelSplit.merge([FunnelSplit(by="channel"), FunnelSplit(by="channel")])
            FunnelSplit(by='channel', groups=[])
        """
        items = v.argument_items(parts, "FunnelSplit.merge parts", cls)
        if not items:
            msg = "FunnelSplit.merge needs at least one part (a split knows what it is split by)"
            raise ValidationError(msg)
        for other in items[1:]:
            if other.by != items[0].by:
                msg = (
                    f"cannot add funnel splits by different keys: {items[0].by!r} and {other.by!r}"
                )
                raise ValidationError(msg)
        return cls(by=items[0].by, groups=tuple(g for p in items for g in p.groups))

    def __getitem__(self, group: Hashable) -> FunnelCounts:
        for key, counts in self.groups:
            if key == group:
                return counts
        msg = f"FunnelSplit by {self.by!r} has no group {group!r}"
        raise UnknownReference(msg)

    def total(self) -> FunnelCounts:
        """The funnel of all groups together (``FunnelCounts()`` when there is no group).

        Example:
            >>> FunnelSplit(by="channel").total()
            FunnelCounts(empty)
        """
        return sum((c for _, c in self.groups), FunnelCounts())

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain dict per group and stage, for ``pandas.DataFrame``.

        Example:
            >>> FunnelSplit(by="channel").to_records()
            []
        """
        return [
            {self.by: group, **row}
            for group, counts in self.groups
            for row in counts.to_records(exact=exact)
        ]

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html
