"""Frozen means frozen: no public result or domain object holds a list, dict or set a caller could change."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import boundary_types, result_samples

MUTABLE = (list, dict, set, bytearray)


def _derived(field: attrs.Attribute[Any]) -> bool:
    """A private index or memo built from the other fields (not given, not compared): nothing a caller reads."""
    return field.name.startswith("_") and not field.init and not field.eq


def _mutable_inside(obj: Any, path: str = "$", seen: set[int] | None = None) -> Iterator[str]:
    """The paths of every mutable container reachable through ``obj``'s fields."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, MUTABLE):
        yield path
        return
    if attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            if not _derived(field):
                yield from _mutable_inside(getattr(obj, field.name), f"{path}.{field.name}", seen)
    elif isinstance(obj, Mapping):
        for key, value in obj.items():
            yield from _mutable_inside(key, f"{path}[{key!r}] (key)", seen)
            yield from _mutable_inside(value, f"{path}[{key!r}]", seen)
    elif isinstance(obj, tuple | frozenset):
        for index, item in enumerate(obj):
            yield from _mutable_inside(item, f"{path}[{index}]", seen)


class TestNoMutableContainers:
    @pytest.mark.parametrize("result", result_samples(), ids=lambda r: type(r).__name__)
    def test_results_hold_no_mutable_container(self, result: Any) -> None:
        """Every analytics result holds tuples and read-only mappings only, all the way down."""
        assert [] == list(_mutable_inside(result))

    @pytest.mark.parametrize(
        ("cls", "strategy"),
        boundary_types(),
        ids=[f"{getattr(c, '__name__', c)}-{i}" for i, (c, _) in enumerate(boundary_types())],
    )
    def test_domain_objects_hold_no_mutable_container(
        self, cls: Any, strategy: st.SearchStrategy[Any]
    ) -> None:
        """Every public domain object, however built, holds tuples and read-only mappings only."""

        @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(strategy)
        def check(value: Any) -> None:
            assert [] == list(_mutable_inside(tuple(value) if isinstance(value, list) else value))

        check()
