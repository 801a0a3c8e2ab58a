"""The pure-Python engine with numpy hidden: every model works, and numpy is never asked for."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from salesmark import Money, ValidationError
from salesmark.attribution import (
    MarkovChain,
    PathCounts,
    _checks,
    first_touch,
    last_non_direct,
    linear,
    markov,
    ordered_shapley,
    position_based,
    shapley,
)
from strategies.processes import child_env

COUNTS = [
    (("a", "b"), 1, 0, "100"),
    (("a", "b", "a", "b"), 1, 0, "50"),
    (("a",), 0, 2, None),
    (("c", "b"), 0, 1, None),
    (("c",), 1, 0, "10"),
]


@pytest.fixture(autouse=True)
def no_numpy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """numpy's import fails (as where it is not installed) and the engine check is redone."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    monkeypatch.setattr(_checks, "_NUMPY", [])
    yield
    _checks._NUMPY.clear()


class TestWithoutNumpy:
    def test_numpy_is_hidden(self) -> None:
        """The fixture really hides numpy."""
        with pytest.raises(ImportError):
            import numpy  # noqa: F401

    def test_models_run_on_the_pure_engine(self) -> None:
        """With numpy absent, the default engine is pure Python and gives its answers."""
        counts = PathCounts.from_tuples(COUNTS, currency="EUR")
        assert {"a": 153 / 173, "b": 204 / 173, "c": 162 / 173} == pytest.approx(
            dict(markov(counts).credits), rel=1e-12
        )
        for model in (first_touch, linear, last_non_direct, position_based, shapley):
            result = model(counts)
            assert Money.of(160, "EUR") == Money.total(result.value_credits.values(), "EUR")
        assert 3.0 == pytest.approx(sum(ordered_shapley(counts).by_channel().values()))
        assert 0.5 == pytest.approx(MarkovChain.fit(counts, order=2).conversion_probability)
        assert pytest.approx(3.0) == sum(shapley(counts, worth="conversion_rate").credits.values())

    def test_from_records(self) -> None:
        """Records are read without numpy."""
        rows = [{"path": "a > b", "total_conversions": 2, "total_null": 1}]
        assert 2 == PathCounts.from_records(rows, value=None).total_conversions

    def test_asking_for_numpy_is_a_clear_error(self) -> None:
        """engine='numpy' without numpy names the extra to install."""
        counts = PathCounts.from_tuples(COUNTS, currency="EUR")
        with pytest.raises(
            ValidationError, match=r"engine='numpy' needs numpy: install salesmark\[fast\]"
        ):
            markov(counts, engine="numpy")

    def test_a_fresh_process_never_imports_numpy(self) -> None:
        """A process with numpy blocked from the start runs every model and loads no numpy."""
        script = """
import sys
sys.modules["numpy"] = None
from salesmark.attribution import PathCounts, markov, linear, shapley, MODELS
counts = PathCounts.from_records(
    [{"path": "a > b", "total_conversions": 2, "total_null": 3, "total_conversion_value": 9.5},
     {"path": "b", "total_conversions": 1, "total_null": 1, "total_conversion_value": 1.0}],
    currency="EUR")
for order in (1, 2, 3, 4):
    markov(counts, order=order)
for name in ("first_touch", "last_touch", "linear", "position_based", "shapley"):
    MODELS[name](counts)
shapley(counts, worth="conversion_rate")
assert "salesmark.attribution._numpy_engine" not in sys.modules
print("ok")
"""
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env=child_env(),
        )
        assert "ok" == done.stdout.strip()

    def test_the_default_engine_is_named_python(self) -> None:
        """Without numpy the default engine is "python": the rate game reports its 3 steps a channel."""
        counts = PathCounts.from_tuples(COUNTS, currency="EUR")
        seen: list[tuple[int, int]] = []
        shapley(counts, worth="conversion_rate", progress=lambda d, t: seen.append((d, t)))
        assert (9, 9) == seen[-1]
