"""pytest configuration for the whole checkout: the engine adapters' doctests need their engine.

The examples in ``salesmark.integrations.dask`` run on Dask; where the ``dask`` extra is
not installed they are skipped with the reason, as the cluster tests are (CI installs
the extras, so they run there). The Spark adapter's examples are marked to skip: a
Spark session costs seconds to start, and the cluster tests run the same calls.
"""

from __future__ import annotations

import importlib.util

import pytest

ENGINES = {"salesmark.integrations.dask": ("dask", "distributed", "pandas")}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the doctests of an adapter whose engine is not installed."""
    for item in items:
        for module, needs in ENGINES.items():
            if not isinstance(item, pytest.DoctestItem) or not item.name.startswith(module):
                continue
            missing = [name for name in needs if importlib.util.find_spec(name) is None]
            if missing:
                reason = f"{', '.join(missing)} not installed: pip install 'salesmark[dask]'"
                item.add_marker(pytest.mark.skip(reason=reason))
