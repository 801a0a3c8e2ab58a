"""Fuzzing the data boundary: whatever comes in, structure answers in bounded time with a
salesmark error whose field paths point into the input.

The budget is fixed for CI (``CI_EXAMPLES`` per type and property: at least 2,000
examples per run across all types); it scales with the hypothesis profile, so a longer
local run is ``SALESMARK_HYPOTHESIS_PROFILE=fuzz pytest tests/test_boundary_fuzz.py``
(see ``tests/conftest.py``).
"""

from __future__ import annotations

import json
import math
import re
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesmark import SalesmarkError, StructureError, structure, unstructure
from salesmark.testing.strategies import json_values
from strategies import boundary_types, mutations

TYPES = boundary_types()
IDS = [f"{getattr(cls, '__name__', cls)}-{i}" for i, (cls, _) in enumerate(TYPES)]
CI_EXAMPLES = 30
"""Examples per type and property in CI: 2 properties x 41 types x 30 > 2,000."""
BOUND = 2.0
"""Seconds one structure call may take, whatever its input."""
INTERNALS = ("typing.", "<class", "object has no attribute", "NoneType", "Traceback", "__")
"""Bits of Python's own messages and reprs that no salesmark message shows (outside quotes)."""
QUOTED = re.compile(r"'[^']*(?:'|$)|\"[^\"]*(?:\"|$)")
"""A quoted value, or one cut short where a long value's repr is truncated."""


def _budget() -> int:
    """CI_EXAMPLES, scaled by the loaded profile's max_examples against the CI profile's."""
    ci = settings.get_profile("ci").max_examples
    return max(CI_EXAMPLES, math.ceil(CI_EXAMPLES * settings.default.max_examples / ci))


FUZZ = settings(
    max_examples=_budget(),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _exists(data: Any, pointer: str) -> bool:
    """Whether a JSON Pointer names a value in ``data``, or a missing key of an object there."""
    if pointer == "":
        return True
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        if isinstance(data, dict):
            if part not in data:
                return last  # a missing field's path
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False
    return True


def _refused(data: Any, cls: Any) -> SalesmarkError | None:
    """Structure ``data`` and return the error, checking it is a readable, timely salesmark error."""
    start = time.perf_counter()
    error: SalesmarkError | None = None
    try:
        structure(data, cls)
    except SalesmarkError as exc:  # anything else fails the test as it is
        error = exc
    assert time.perf_counter() - start < BOUND
    assert error is None or isinstance(error, StructureError)
    if error is not None:
        assert error.errors
        for field in error.errors:
            assert _exists(data, field.path), (field.path, data)
            prose = QUOTED.sub("", field.message)  # values quoted from the input may be anything
            assert not any(bit in prose for bit in INTERNALS), field.message
    return error


class TestStructure:
    @pytest.mark.parametrize(("cls", "strategy"), TYPES, ids=IDS)
    def test_refused_readably(self, cls: Any, strategy: st.SearchStrategy[Any]) -> None:
        """Arbitrary JSON is refused (or read) in bounded time, with paths into the input."""

        @FUZZ
        @given(json_values())
        def check(data: Any) -> None:
            _refused(data, cls)

        check()

    @pytest.mark.parametrize(("cls", "strategy"), TYPES, ids=IDS)
    def test_mutated_valid_data(self, cls: Any, strategy: st.SearchStrategy[Any]) -> None:
        """Valid data with one field replaced, removed or added fails only as a salesmark error."""

        @FUZZ
        @given(st.data())
        def check(data: st.DataObject) -> None:
            valid = json.loads(json.dumps(unstructure(data.draw(strategy))))
            _kind, _path, changed = data.draw(mutations(valid))
            _refused(changed, cls)

        check()


class TestBudget:
    def test_ci_budget(self) -> None:
        """The CI budget is at least 2,000 examples per run across all types."""
        assert 2 * len(TYPES) * CI_EXAMPLES >= 2_000
        assert _budget() >= CI_EXAMPLES
