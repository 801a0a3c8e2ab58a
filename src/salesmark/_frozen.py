"""An immutable, hashable, picklable mapping for the fields of frozen objects (private).

``types.MappingProxyType`` is read-only but cannot be pickled or deep-copied, so an
object holding one cannot cross a process boundary (``multiprocessing``, a notebook
cache). :class:`FrozenMap` is read-only too, keeps its keys in a stable sorted order,
compares equal to any mapping with the same items, hashes by its items, and pickles as
the plain dict it was built from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenMap", "plain"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only mapping that pickles, copies and hashes.

    Example:
        >>> import pickle
        >>> m = FrozenMap({"b": 2, "a": 1})
        >>> list(m), m["a"], pickle.loads(pickle.dumps(m)) == m
        (['a', 'b'], 1, True)
        >>> m["c"] = 3
        Traceback (most recent call last):
        ...
        TypeError: 'FrozenMap' object does not support item assignment
    """

    __slots__ = ("_items",)
    _items: dict[K, V]

    def __init__(self, items: Mapping[K, V] | None = None) -> None:
        data = dict(items or {})
        try:
            ordered = dict(sorted(data.items()))
        except TypeError:  # keys that do not sort: keep their order
            ordered = data
        object.__setattr__(self, "_items", ordered)

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self._items)

    def __setattr__(self, name: str, value: Any) -> None:
        msg = f"'{type(self).__name__}' object is read-only"
        raise AttributeError(msg)

    def copy(self) -> dict[K, V]:
        """A plain, mutable dict of the same items (as ``MappingProxyType.copy`` gives)."""
        return dict(self._items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self._items),))

    def __copy__(self) -> FrozenMap[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenMap[K, V]:
        from copy import deepcopy  # noqa: PLC0415 (only when an object is deep-copied)

        return type(self)(deepcopy(self._items, memo))


def plain(mapping: Mapping[K, V]) -> Mapping[K, V]:
    """The dict inside a :class:`FrozenMap` (any other mapping as it is), for fast reads.

    For the package's hot loops only, which read it and never change it: a dict's
    ``get`` runs in C, the ``Mapping`` mixin's in Python.

    Example:
        >>> plain(FrozenMap({"a": 1})).get("a"), type(plain(FrozenMap())).__name__
        (1, 'dict')
    """
    if mapping.__class__ is FrozenMap:
        return mapping._items
    return mapping
