"""Test configuration: hypothesis profiles for a slow, shared machine, one loaded always.

``ci`` (the default) keeps every property quick enough for CI. A developer who wants
more examples selects another profile with an environment variable, for example
``SALESMARK_HYPOTHESIS_PROFILE=fuzz pytest tests/test_boundary_fuzz.py``: ``fuzz`` runs
50 times the examples (the boundary fuzz goes from about 2,000 to about 100,000 inputs).
``mutation`` is what ``benchmarks/mutation.sh`` runs under: a third of the examples, no
example database, and no complaint that mutmut calls a test from its own wrapper.

A test marked ``no_cover`` runs with every coverage measurement stopped, also on a
pytest-xdist worker, where pytest-cov's own pause stops only the newest of the two
measurements it started and the older one resumes in its place.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,  # CI machines are shared and noisy; speed is measured in benchmarks/
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fuzz", parent=settings.get_profile("ci"), max_examples=3_000)
settings.register_profile(
    "mutation",
    parent=settings.get_profile("ci"),
    max_examples=20,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.load_profile(os.environ.get("SALESMARK_HYPOTHESIS_PROFILE", "ci"))


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Run a ``no_cover`` test with every running coverage measurement stopped.

    ``trylast`` puts this inside pytest-cov's own pause, so it stops what that leaves
    running and restarts it, oldest first, before pytest-cov resumes its own.
    """
    if item.get_closest_marker("no_cover") is None:
        return (yield)
    try:
        import coverage
    except ImportError:  # pragma: no cover - coverage is only absent outside CI
        return (yield)
    stopped = []
    while (running := coverage.Coverage.current()) is not None:
        running.stop()
        stopped.append(running)
    try:
        return (yield)
    finally:
        for measurement in reversed(stopped):
            measurement.start()
