"""One of every result type, computed from a synthetic organisation, and the walk that finds them.

``result_types`` walks salesmark and its subpackages for every public class with a
``to_records`` method; ``every_result`` computes one instance of each (with at least
one row) from a small synthetic organisation, so a test can hold every result to the
same promises (numeric frames, a short repr, an HTML view). A new result type fails
``TestEveryResult.test_every_result_type_has_a_sample`` until it gets a sample here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache
from typing import Any

import salesmark as sm
from salesmark import Money, Period, Team, synthetic
from salesmark.attribution import (
    PathCounts,
    compare,
    journeys_from_leads,
    last_touch,
    linear,
    markov,
    ordered_shapley,
)
from salesmark.content_performance import content_performance
from salesmark.follow_through import action_follow_through
from salesmark.funnel import funnel_by
from salesmark.insights import rank_themes, theme_trends
from salesmark.metrics import evaluate_catalogue, scorecard_report
from salesmark.planning import (
    backtest,
    forecast,
    reverse_waterfall,
    stage_probabilities,
    weighted_pipeline,
    win_loss,
)
from salesmark.scoring import (
    calibrate,
    feedback_coverage,
    lead_quality,
    match_persona,
    suggest_personas,
    suggest_weights,
)
from salesmark.testing.strategies import SCORING_AT
from strategies.boundary import inbound_model


def _public_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages(sm.__path__, "salesmark.")]
    return ["salesmark", *(n for n in names if not any(p.startswith("_") for p in n.split(".")))]


@cache
def result_types() -> tuple[type, ...]:
    """Every public class of salesmark and its subpackages that has ``to_records``, by name."""
    found: dict[str, type] = {}
    for name in _public_modules():
        module = importlib.import_module(name)
        for attribute in getattr(module, "__all__", ()):
            obj = getattr(module, attribute)
            if inspect.isclass(obj) and callable(getattr(obj, "to_records", None)):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return tuple(found[k] for k in sorted(found))


@cache
def every_result() -> tuple[Any, ...]:
    """One instance of every result type, each with at least one row."""
    org = synthetic.organisation(seed=2, leads=300)
    quarter = Period.quarter(2026, 2)
    paths = PathCounts.from_journeys(journeys_from_leads(org.leads, lifecycle=org.lifecycle))
    model = inbound_model()
    quality = lead_quality(org.leads, org.feedback, lifecycle=org.lifecycle)
    # a lead can be scored only once it exists
    scoreable = [x for x in org.leads if x.created_at <= SCORING_AT]
    scores = model.score_many(scoreable, at=SCORING_AT)
    compliance = sm.sla_compliance(org, quarter)
    report = evaluate_catalogue(org, quarter)
    outlook = forecast(org, quarter.next(), draws=20)
    suggestions = suggest_personas(org.leads, ["industry", "employees"], lifecycle=org.lifecycle)
    match = next(m for m in (match_persona(x, org.personas) for x in org.leads) if m is not None)
    return (
        sm.alignment_index(org, quarter),
        linear(paths),
        compare(linear(paths), last_touch(paths), markov(paths, order=2)),
        ordered_shapley(paths),
        sm.closed_loop_report(org, quarter),
        compliance,
        compliance.marketing,
        compliance.sales,
        compliance.breaches[0],
        content_performance(org, quarter),
        action_follow_through(org, quarter),
        sm.funnel_counts(org.leads, quarter, lifecycle=org.lifecycle),
        funnel_by(org.leads, quarter, "channel", lifecycle=org.lifecycle),
        rank_themes(org, quarter),
        theme_trends(org, [Period.quarter(2026, 1), quarter]),
        report.values[0],
        sm.build_agenda(org, quarter),
        report,
        scorecard_report(org, Team.SALES, quarter),
        sm.allocate_bonus(Money.of(1000, "EUR"), {"ann": 2, "bob": 1}),
        sm.marketing_recognition(org, quarter),
        calibrate(model, scoreable, lifecycle=org.lifecycle, at=SCORING_AT),
        feedback_coverage(org.leads, org.feedback, lifecycle=org.lifecycle, at=quarter.end),
        quality.groups[0],
        quality,
        scores[0],
        scores,
        match,
        suggestions,
        suggestions.clusters[0],
        suggest_weights(model, scoreable, lifecycle=org.lifecycle, at=SCORING_AT),
        outlook,
        outlook.periods[0],
        backtest(org, quarter, draws=20),
        weighted_pipeline(org, as_of=quarter.end, probabilities="measured"),
        stage_probabilities(org, as_of=quarter.end),
        reverse_waterfall(org, Money.of(50_000, org.currency), quarter.next(), as_of=quarter.end),
        win_loss(org, quarter, segment="industry"),
    )
