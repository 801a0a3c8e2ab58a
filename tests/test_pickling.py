"""Objects cross processes: every public type pickles, copies and deep-copies to an equal object."""

from __future__ import annotations

import copy
import inspect
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesmark
from salesmark import (
    FieldError,
    Lead,
    SalesmarkError,
    StructureError,
    ValidationError,
    structure,
    synthetic,
)
from salesmark.scoring import ScoringModel
from salesmark.testing.strategies import SCORING_AT
from strategies import boundary_types, inbound_model, result_samples

TYPES = boundary_types()
IDS = [f"{getattr(cls, '__name__', cls)}-{i}" for i, (cls, _) in enumerate(TYPES)]
UNPICKLABLE: dict[str, str] = {}
"""Types known not to cross yet (none): a mark turns into a failure once it is fixed."""


def _crossings(obj: Any) -> dict[str, Any]:
    """The object after each way of crossing: pickle (protocol 5), copy and deepcopy."""
    return {
        "pickle": pickle.loads(pickle.dumps(obj, protocol=5)),
        "copy": copy.copy(obj),
        "deepcopy": copy.deepcopy(obj),
    }


def _known_failure(cls: Any) -> None:
    reason = UNPICKLABLE.get(getattr(cls, "__name__", ""))
    if reason is not None:
        pytest.xfail(reason)


class TestEveryType:
    @pytest.mark.parametrize(("cls", "strategy"), TYPES, ids=IDS)
    def test_strategies(self, cls: Any, strategy: st.SearchStrategy[Any]) -> None:
        """Every value of every strategy crosses unchanged."""
        _known_failure(cls)

        @settings(max_examples=30)
        @given(strategy)
        def check(obj: Any) -> None:
            assert {"pickle": obj, "copy": obj, "deepcopy": obj} == _crossings(obj)

        check()

    @pytest.mark.parametrize("result", result_samples(), ids=lambda r: type(r).__name__)
    def test_analytics_results(self, result: Any) -> None:
        """Every analytics result crosses unchanged."""
        _known_failure(type(result))
        assert {"pickle": result, "copy": result, "deepcopy": result} == _crossings(result)

    @pytest.mark.parametrize(
        "name",
        [n for n in salesmark.__all__ if inspect.isclass(getattr(salesmark, n))],
    )
    def test_every_class_of_the_top_level(self, name: str) -> None:
        """Every class in salesmark.__all__ has a strategy or sample here, or is an enum or an error that crosses."""
        cls = getattr(salesmark, name)
        covered = {c for c, _ in TYPES} | {type(r) for r in result_samples()}
        if issubclass(cls, Exception):
            error = cls("a message", path="/x") if cls is not StructureError else cls("m", ["p"])
            back = pickle.loads(pickle.dumps(error, protocol=5))
            assert (str(error), error.errors) == (str(back), back.errors)
            assert (str(error), error.errors) == (str(copy.deepcopy(error)), error.errors)
        elif hasattr(cls, "__members__"):
            assert list(cls) == [pickle.loads(pickle.dumps(m, protocol=5)) for m in cls]
            assert list(cls) == [copy.deepcopy(m) for m in cls]
        else:
            assert cls in covered


class TestErrors:
    def test_errors_keep_their_fields(self) -> None:
        """Errors cross with their paths and field errors, so a worker's failure reads the same."""
        error = ValidationError("Lead.id must be a non-empty string", path="/id", value="")
        back = pickle.loads(pickle.dumps(error, protocol=5))
        assert error.to_dict() == back.to_dict()
        with pytest.raises(StructureError) as caught:
            structure({"amount": 1.5, "currency": "EUR"}, salesmark.Money)
        back = pickle.loads(pickle.dumps(caught.value, protocol=5))
        assert (caught.value.to_dict(), caught.value.problems) == (back.to_dict(), back.problems)
        assert isinstance(back, SalesmarkError)
        assert FieldError(path="", message="m") == copy.deepcopy(FieldError(path="", message="m"))


def _scores(model: ScoringModel, leads: list[Lead], at: datetime) -> list[tuple[str, float, str]]:
    """Score leads in a worker; the model and the leads travel pickled."""
    return [(s.lead_id, s.total, s.grade) for s in model.score_many(leads, at=at).scores]


class TestProcessPool:
    def test_scores_match_in_process(self) -> None:
        """Scoring leads in a pool of two worker processes gives the same scores as in-process."""
        model = inbound_model()
        at = SCORING_AT.astimezone(timezone.utc)
        every = synthetic.organisation(seed=5, leads=400).leads
        leads = [x for x in every if x.created_at <= at][:80]
        chunks = [leads[i::4] for i in range(4)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            remote = pool.map(_scores, [model] * 4, chunks, [at] * 4)
            in_pool = sorted(score for part in remote for score in part)
        in_process = sorted(_scores(model, leads, at))
        assert 80 == len(in_pool)
        assert in_process == in_pool
