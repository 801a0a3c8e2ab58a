"""Each record once: the duplicate-id check of the lead-level analytics (private).

An analytic given the same lead twice would count it twice (two MQLs, two deliveries,
two scores), so every analytic that takes leads refuses a repeated id, naming the
argument, both positions and the id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from salesmark import _validators as v
from salesmark.errors import ValidationError

__all__ = ["KnownDistinct", "Once", "distinct", "refuse_repeats"]


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


class KnownDistinct(tuple[Any, ...]):
    """An organisation's leads: a tuple the organisation has checked, each a Lead with its own id.

    :class:`~salesmark.organisation.Organisation` stores its leads as one (and only it
    makes one), so an analytic handed ``org.leads`` may skip its repeated-id check: the
    organisation refused a repeat when it was built. It is a plain tuple otherwise
    (equal to one, pickled, copied and written as one).

    Example:
        >>> KnownDistinct(("a", "b")) == ("a", "b")
        True
    """

    __slots__ = ()


class Once:
    """Remembers the ids seen so far in argument ``name``; a repeat is a ValidationError.

    Example:
        >>> once = Once("funnel_counts leads")
        >>> once.see("L1", 0); once.see("L2", 1); once.see("L1", 2)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: funnel_counts leads[2] repeats id 'L1' of funnel_counts leads[0]: each must be given once
    """

    __slots__ = ("_name", "_seen")

    def __init__(self, name: str) -> None:
        self._name = name
        self._seen: dict[str, int] = {}

    def see(self, ident: str, index: int) -> None:
        """Record ``ident`` at position ``index``, refusing it if an earlier position had it."""
        first = self._seen.setdefault(ident, index)
        if first != index:
            msg = (
                f"{self._name}[{index}] repeats id {ident!r} of {self._name}[{first}]: "
                "each must be given once"
            )
            raise ValidationError(msg)


def refuse_repeats(ids: list[str], name: str) -> None:
    """Refuse a list of ids in which one repeats, as :class:`Once` would, naming both positions.

    One set of the ids answers the common case (no repeat) at C speed; only when the
    set is shorter than the list are the positions walked, to name the first repeat.

    Example:
        >>> refuse_repeats(["L1", "L2"], "leads")
        >>> refuse_repeats(["L1", "L2", "L1"], "leads")
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: leads[2] repeats id 'L1' of leads[0]: each must be given once
    """
    if len(set(ids)) == len(ids):
        return
    once = Once(name)
    for index, ident in enumerate(ids):
        once.see(ident, index)


def distinct(items: Iterable[object], name: str, cls: type[T]) -> tuple[T, ...]:
    """The items of argument ``name``, each a ``cls`` (see ``argument_items``) with its own id.

    Example:
        >>> from salesmark.teams import Member, Team
        >>> ann = Member(id="m1", name="Ann", team=Team.SALES)
        >>> distinct([ann, ann], "members", Member)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: members[1] repeats id 'm1' of members[0]: each must be given once
    """
    found = v.argument_items(items, name, cls)
    refuse_repeats([item.id for item in found], name)
    return found
