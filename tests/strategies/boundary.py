"""Samples and fuzz helpers for the data boundary: every public type, results, mutations.

``boundary_types`` pairs every public type with a strategy (the public ones of
:func:`salesmark.testing.strategies.public_types`, and the tests' own organisations and
lead lists); ``result_samples`` computes one of each analytics result from a synthetic
organisation; ``mutations`` makes one small change to valid data, with the kind of
change made.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from functools import cache
from typing import Any

from hypothesis import strategies as st

import salesmark as sm
import salesmark.planning
from salesmark import Lead, Money, Organisation, Period, TouchpointKind, synthetic
from salesmark.attribution import MarkovChain, PathCounts
from salesmark.metrics.facts import KpiFacts
from salesmark.scoring import (
    AttributeInRange,
    AttributeOneOf,
    Decay,
    EachTouch,
    EngagementBands,
    GradeScale,
    Qualification,
    ScoringModel,
)
from salesmark.testing.strategies import SCORING_AT, json_scalars, public_types
from strategies.funnel import lead_lists
from strategies.sla import sla_organisations


def boundary_types() -> list[tuple[Any, st.SearchStrategy[Any]]]:
    """Every public type with a strategy: the public ones, then the tests' organisations and lead lists."""
    return [
        *public_types(),
        (Organisation, sla_organisations()),
        (list[Lead], lead_lists(max_size=6)),
    ]


def inbound_model() -> ScoringModel:
    """A small fit-and-engagement model, as the scoring guide builds one."""
    return ScoringModel(
        name="inbound",
        rules=(
            AttributeOneOf(attribute="industry", values=("saas", "fintech"), points=15),
            AttributeInRange(attribute="employees", minimum=50, maximum=5000, points=15),
            EachTouch(id="webinars", points=10, kinds=(TouchpointKind.WEBINAR,), cap=30),
        ),
        grades=GradeScale.letters(a=30, b=15, c=5),
        bands=EngagementBands(band_1=30, band_2=15, band_3=5),
        qualification=Qualification(minimum_total=40, grades=("A", "B")),
        decay=Decay.by_half_life(timedelta(days=30)),
    )


@cache
def result_samples() -> tuple[Any, ...]:
    """One of each analytics result, computed from a small synthetic organisation."""
    org = synthetic.organisation(seed=2, leads=120)
    quarter = Period.quarter(2026, 2)
    journeys_ = sm.attribution.journeys_from_leads(org.leads, lifecycle=org.lifecycle)
    paths = PathCounts.from_journeys(journeys_)
    linear, last = sm.attribution.linear(paths), sm.attribution.last_touch(paths)
    found: list[Any] = [
        sm.funnel_counts(org.leads, quarter, lifecycle=org.lifecycle),
        sm.sla_compliance(org, quarter),
        sm.build_agenda(org, quarter),
        sm.alignment_index(org, quarter),
        sm.metrics.evaluate_catalogue(org, quarter),
        KpiFacts.collect(org, quarter),
        paths,
        MarkovChain.fit(paths),
        sm.attribution.markov(paths),
        linear,
        sm.attribution.compare(linear, last),
        sm.closed_loop_report(org, quarter),
        sm.scoring.lead_quality(org.leads, org.feedback, lifecycle=org.lifecycle),
        inbound_model().score_many(
            [x for x in org.leads if x.created_at <= SCORING_AT], at=SCORING_AT
        ),
        sm.planning.weighted_pipeline(org, as_of=quarter.end, probabilities="measured"),
        sm.planning.stage_probabilities(org, as_of=quarter.end),
        sm.planning.forecast(org, quarter.next(), draws=20),
        sm.planning.backtest(org, quarter, draws=20),
        sm.planning.reverse_waterfall(
            org, Money.of(50_000, org.currency), quarter.next(), as_of=quarter.end
        ).what_if({org.lifecycle.progression[1]: "0.05"}),
        sm.planning.win_loss(org, quarter, segment="industry"),
        org,
    ]
    return tuple(found)


_KINDS = ("delete", "extra", "retype", "garbage")
_OTHER_TYPES: dict[type, tuple[Any, ...]] = {
    type(None): (0.5, "x", [], {}),
    bool: (0.5, "x", None, []),
    int: (0.5, "x", True, [1]),
    float: ("x", True, [0.5]),
    str: (0.5, True, ["x"], {"x": 1}),
    list: ("x", 0.5, {"x": 1}, None),
    dict: ("x", 0.5, [1], None),
}
GARBAGE = ("", " ", "not a value", "2026-13-45T99:00:00+00:00", "P1Y", "1e", "☃" * 3)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, (*path, index))
    return found


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def mutations(draw: st.DrawFn, data: Any) -> tuple[str, tuple[Any, ...], Any]:
    """One small change to ``data``: ``(kind, path of the change, changed copy)``.

    Kinds: ``delete`` a key, add an ``extra`` key, ``retype`` a value (give it a value
    of another JSON type), or replace a string by ``garbage``.
    """
    changed = copy.deepcopy(data)
    paths = _nodes(changed)
    kind = draw(st.sampled_from(_KINDS))
    if kind == "delete":
        keyed = [p for p in paths if p and isinstance(_get(changed, p[:-1]), dict)]
        if keyed:
            path = draw(st.sampled_from(keyed))
            del _get(changed, path[:-1])[path[-1]]
            return kind, path, changed
        kind = "retype"
    if kind == "extra":
        objects = [p for p in paths if isinstance(_get(changed, p), dict)]
        if objects:
            path = draw(st.sampled_from(objects))
            _get(changed, path)["surprise_field"] = draw(json_scalars())
            return kind, (*path, "surprise_field"), changed
        kind = "retype"
    if kind == "garbage":
        texts = [p for p in paths if isinstance(_get(changed, p), str)]
        if texts:
            path = draw(st.sampled_from(texts))
            value = draw(st.sampled_from(GARBAGE))
            return kind, path, _put(changed, path, value)
        kind = "retype"
    path = draw(st.sampled_from(paths))
    value = draw(st.sampled_from(_OTHER_TYPES[type(_get(changed, path))]))
    return "retype", path, _put(changed, path, value)


def _put(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data
