"""Bad input to every public attribution analytic: a sound result or a salesmark error, quickly."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import SalesmarkError
from salesmark.attribution import (
    AttributionResult,
    Journey,
    MarkovChain,
    PathCounts,
    compare,
    custom,
    first_touch,
    full_path,
    inverse_j,
    j_shaped,
    last_non_direct,
    last_touch,
    linear,
    markov,
    milestone_model,
    ordered_shapley,
    position_based,
    roll_up,
    shapley,
    time_decay,
    w_shaped,
)

GOOD = PathCounts.from_tuples([(("a", "b"), 2, 3, None), (("b",), 1, 4, None)])

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(GOOD),
    st.just([Journey.of("a", converted=True)]),
    st.just(timedelta(days=-1)),
)
"""Values of every kind an argument might be given by mistake."""

CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "first_touch": lambda a, _b: first_touch(a),
    "last_touch": lambda a, _b: last_touch(a),
    "linear": lambda a, b: linear(a, engine=b),
    "last_non_direct": lambda a, b: last_non_direct(GOOD, direct=a, engine=b),
    "position_based": lambda a, b: position_based(GOOD, first=a, last=b),
    "j_shaped": lambda a, _b: j_shaped(a),
    "inverse_j": lambda a, _b: inverse_j(a),
    "w_shaped": lambda a, _b: w_shaped(a),
    "full_path": lambda a, _b: full_path(a),
    "time_decay": lambda a, b: time_decay(a, half_life=b),
    "custom": lambda a, b: custom(GOOD, position=a, name=b),
    "milestone_model": milestone_model,
    "markov": lambda a, b: markov(GOOD, order=a, repeats=b),
    "markov_data": lambda a, b: markov(a, credit=b),
    "markov_chain": lambda a, b: MarkovChain.fit(a, engine=b),
    "shapley": lambda a, b: shapley(a, worth=b),
    "ordered_shapley": lambda a, _b: ordered_shapley(a),
    "compare": compare,
    "roll_up": roll_up,
    "from_tuples": lambda a, b: PathCounts.from_tuples([(a, b, 0, None)]),
    "from_records": lambda a, b: PathCounts.from_records([{"path": a, "total_conversions": b}]),
    "from_journeys": lambda a, _b: PathCounts.from_journeys(a),
    "result": lambda a, b: AttributionResult(model="m", credits=a, total_conversions=b),
}


class TestBadInput:
    @pytest.mark.parametrize("name", sorted(CALLS))
    @settings(max_examples=30, deadline=None)
    @given(a=junk, b=junk)
    def test_sound_result_or_salesmark_error(self, name: str, a: object, b: object) -> None:
        """Whatever the arguments, the analytic returns or raises a SalesmarkError, within 5 s."""
        started = time.perf_counter()
        with contextlib.suppress(SalesmarkError):
            CALLS[name](a, b)
        assert time.perf_counter() - started < 5
