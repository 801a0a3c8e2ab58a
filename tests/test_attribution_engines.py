"""Tests for the two attribution engines: same answers, and the same bits whatever the order."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings

from salesmark import Money, ValidationError
from salesmark.attribution import (
    MarkovChain,
    PathCounts,
    first_touch,
    inverse_j,
    j_shaped,
    last_non_direct,
    last_touch,
    linear,
    markov,
    position_based,
    shapley,
)
from salesmark.testing.strategies import converting_counts, path_rows
from strategies.attribution import fractional_counts, tricky_counts
from strategies.processes import child_env

pytest.importorskip("numpy")

RULES: dict[str, Callable[..., Any]] = {
    "first_touch": first_touch,
    "last_touch": last_touch,
    "linear": linear,
    "last_non_direct": last_non_direct,
    "position_based": position_based,
    "j_shaped": j_shaped,
    "inverse_j": inverse_j,
    "shapley": shapley,
}

ROWS = [
    (("a", "b", "c"), 3, 5, "120.50"),
    (("b", "a", "b", "d"), 1, 7, "35.25"),
    (("c",), 0, 9, None),
    (("d", "d", "a"), 2, 1, "80"),
    (("a", "b", "a", "b", "c"), 4, 2, "410.10"),
    (("e", "c"), 1, 3, "9.99"),
    (("b",), 2, 6, "12"),
]


def close(expected: dict[str, float], actual: dict[str, float], scale: float) -> bool:
    """Equal to 1e-12 relative, or 1e-12 of ``scale`` where a credit is near zero."""
    return expected.keys() == actual.keys() and all(
        abs(expected[k] - actual[k]) <= 1e-12 * max(abs(expected[k]), abs(actual[k]), scale)
        for k in expected
    )


class TestEnginesAgree:
    @pytest.mark.parametrize("order", [1, 2, 3, 4])
    @pytest.mark.parametrize("credit", ["removal_share", "value_weighted", "per_journey"])
    @settings(max_examples=12, deadline=None)
    @given(counts=converting_counts())
    def test_markov(self, order: int, credit: str, counts: PathCounts) -> None:
        """Markov credits agree to 1e-12 and value credits to the cent, for every order and credit."""
        python = markov(counts, order=order, credit=credit, engine="python")  # type: ignore[arg-type]
        fast = markov(counts, order=order, credit=credit, engine="numpy")  # type: ignore[arg-type]
        total = float(counts.total_conversions)
        assert close(dict(python.credits), dict(fast.credits), total)
        assert close(dict(python.removal_effects), dict(fast.removal_effects), 1.0)
        assert dict(python.value_credits) == dict(fast.value_credits)

    @pytest.mark.parametrize("name", sorted(RULES))
    @settings(max_examples=15, deadline=None)
    @given(rows=path_rows())
    def test_rule_models(self, name: str, rows: list[Any]) -> None:
        """Rule models and Shapley give the very same credits and cents on both engines."""
        counts = PathCounts.from_tuples(rows, currency="EUR")
        python, fast = (RULES[name](counts, engine=e) for e in ("python", "numpy"))
        assert {"credits": dict(python.credits), "value": dict(python.value_credits)} == {
            "credits": dict(fast.credits),
            "value": dict(fast.value_credits),
        }

    @settings(max_examples=15, deadline=None)
    @given(rows=path_rows())
    def test_shapley_conversion_rate(self, rows: list[Any]) -> None:
        """The vectorised subset-sum transform agrees with the pure-Python one to 1e-12."""
        counts = PathCounts.from_tuples(rows, currency="EUR")
        python = shapley(counts, worth="conversion_rate", engine="python")
        fast = shapley(counts, worth="conversion_rate", engine="numpy")
        assert close(dict(python.credits), dict(fast.credits), float(counts.total_conversions))

    @settings(max_examples=15, deadline=None)
    @given(rows=path_rows())
    def test_from_records(self, rows: list[Any]) -> None:
        """Both engines read the same records (and the same columns) into the same counts."""
        counts = PathCounts.from_tuples(rows, currency="EUR")
        records = [
            {
                "path": " > ".join(r.path),
                "total_conversions": r.conversions,
                "total_null": r.nulls,
                "total_conversion_value": float(r.value),
            }
            for r in counts.rows()
        ]
        keys = ("path", "total_conversions", "total_null", "total_conversion_value")
        columns = {key: [r[key] for r in records] for key in keys}
        for data in (records, columns):
            for engine in ("python", "numpy"):
                read = PathCounts.from_records(data, currency="EUR", engine=engine)  # type: ignore[arg-type]
                assert counts.rows() == read.rows()

    def test_from_records_numpy_columns(self) -> None:
        """Columns that arrive as numpy arrays are read like lists."""
        import numpy as np

        columns = {
            "path": np.array(["a > b", "b", "a"]),
            "total_conversions": np.array([2, 0, 1]),
            "total_null": np.array([1, 4, 0]),
            "total_conversion_value": np.array([10.5, 0.0, 3.25]),
        }
        expected = PathCounts.from_tuples(
            [(("a", "b"), 2, 1, "10.5"), (("b",), 0, 4, None), (("a",), 1, 0, "3.25")],
            currency="EUR",
        )
        assert expected == PathCounts.from_records(columns, currency="EUR")


def _orders() -> list[PathCounts]:
    """The same counts built in three insertion orders (one of them by merging halves)."""
    forward = PathCounts.from_tuples(ROWS, currency="EUR")
    backward = PathCounts.from_tuples(list(reversed(ROWS)), currency="EUR")
    shuffled = [ROWS[i] for i in (3, 0, 6, 2, 5, 1, 4)]
    merged = PathCounts.from_tuples(shuffled[4:], currency="EUR") + PathCounts.from_tuples(
        shuffled[:4], currency="EUR"
    )
    return [forward, backward, merged]


def _bits(counts: PathCounts, engine: str) -> dict[str, Any]:
    """Every model's credits as exact float hex strings."""
    out: dict[str, Any] = {}
    for order in (1, 2, 3):
        result = markov(counts, order=order, engine=engine)  # type: ignore[arg-type]
        out[f"markov{order}"] = {k: v.hex() for k, v in result.credits.items()}
        out[f"markov{order}_value"] = {k: str(m) for k, m in result.value_credits.items()}
    for name, model in RULES.items():
        out[name] = {k: v.hex() for k, v in model(counts, engine=engine).credits.items()}
    rate = shapley(counts, worth="conversion_rate", engine=engine)  # type: ignore[arg-type]
    out["shapley_rate"] = {k: v.hex() for k, v in rate.credits.items()}
    return out


class TestDeterminism:
    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_insertion_order_changes_no_bit(self, engine: str) -> None:
        """Three insertion orders of the same paths give the same credits to the last bit."""
        first, *others = (_bits(counts, engine) for counts in _orders())
        assert [first, first] == others

    def test_hash_seed_changes_no_bit(self) -> None:
        """Two processes with different PYTHONHASHSEED give the same bits, on each engine."""
        script = (
            "import json, sys; sys.path.insert(0, sys.argv[1]); "
            "import test_attribution_engines as t; "
            "print(json.dumps({e: [t._bits(c, e) for c in t._orders()] for e in ('python', 'numpy')}))"
        )
        here = os.path.dirname(__file__)
        outputs = []
        for seed in ("1", "4242"):
            env = child_env(PYTHONHASHSEED=seed)
            done = subprocess.run(
                [sys.executable, "-c", script, here],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            outputs.append(json.loads(done.stdout))
        assert outputs[0] == outputs[1]
        for engine in ("python", "numpy"):
            assert [_bits(c, engine) for c in _orders()] == outputs[0][engine]


class TestEngineOption:
    def test_unknown_engine(self) -> None:
        """An engine that is neither python nor numpy is refused, naming both."""
        counts = PathCounts.from_tuples(ROWS, currency="EUR")
        with pytest.raises(ValidationError, match="engine must be one of 'python', 'numpy'"):
            markov(counts, engine="gpu")  # type: ignore[arg-type]

    def test_default_is_numpy_when_installed(self) -> None:
        """With numpy installed, the default engine gives numpy's bits."""
        counts = PathCounts.from_tuples(ROWS, currency="EUR")
        assert markov(counts, order=3, engine="numpy") == markov(counts, order=3)

    def test_value_credits_sum_exactly(self) -> None:
        """Each engine's value credits add up to the total value exactly."""
        counts = PathCounts.from_tuples(ROWS, currency="EUR")
        for engine in ("python", "numpy"):
            result = markov(counts, order=2, credit="value_weighted", engine=engine)  # type: ignore[arg-type]
            assert counts.total_value == Money.total(result.value_credits.values(), "EUR")


class TestPickling:
    def test_compact_and_lossless(self) -> None:
        """PathCounts pickles to its columns: small, and equal after the trip."""
        rows = [
            ((f"c{i % 7}", f"c{i % 5}", f"c{i % 3}"), i % 4, i % 9 + 1, None) for i in range(400)
        ]
        counts = PathCounts.from_tuples(rows)
        data = pickle.dumps(counts)
        assert counts == pickle.loads(data)
        assert len(data) / len(counts) < 60


class TestTrickyInput:
    @settings(max_examples=25, deadline=None)
    @given(counts=tricky_counts())
    def test_labels_never_collide(self, counts: PathCounts) -> None:
        """Channel names that look like states or escapes give one distinct label per state."""
        for order in (1, 2):
            chain = MarkovChain.fit(counts, order=order, engine="python")
            sources = {t.source for t in chain.transitions} - {"(start)"}
            targets = {t.target for t in chain.transitions} - {"(conversion)", "(null)"}
            assert targets <= sources
            assert pytest.approx(1.0) == sum(
                t.probability for t in chain.transitions if t.source == "(start)"
            )
            fast = MarkovChain.fit(counts, order=order, engine="numpy")
            assert [(t.source, t.target) for t in chain.transitions] == [
                (t.source, t.target) for t in fast.transitions
            ]

    @settings(max_examples=25, deadline=None)
    @given(a=fractional_counts, b=fractional_counts, c=fractional_counts)
    def test_fractional_merges_are_exact(self, a: PathCounts, b: PathCounts, c: PathCounts) -> None:
        """Sampled weights merge exactly and associatively, and both engines agree on them."""
        assert (a + b) + c == a + (b + c)
        merged = a + b + c
        if merged.total_conversions:
            python = markov(merged, engine="python")
            fast = markov(merged, engine="numpy")
            assert close(dict(python.credits), dict(fast.credits), float(merged.total_conversions))
            assert dict(linear(merged, engine="python").credits) == dict(
                linear(merged, engine="numpy").credits
            )
