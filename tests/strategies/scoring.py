"""Scoring fixtures of the tests: small builders of models and leads, and a few point strategies.

``build``, ``scored_lead``, ``touch`` and ``points`` build the small models and leads the
example tests score; the public strategies (leads to score, rules, decays, models) live
in :mod:`salesmark.testing.strategies`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from hypothesis import strategies as st

from salesmark import Lead, Team, Touchpoint, TouchpointKind
from salesmark.scoring import (
    EngagementBands,
    GradeScale,
    Qualification,
    ScoringModel,
    ScoringRule,
)
from salesmark.testing.strategies import SCORING_AT

positive_points = st.floats(0.0, 30.0, allow_nan=False)
"""Points from 0 to 30, for rules that only ever add."""


def renumber(rules: list[ScoringRule]) -> tuple[ScoringRule, ...]:
    """Give each rule a unique id."""
    return tuple(attrs.evolve(rule, id=f"r{i}-{rule.id}") for i, rule in enumerate(rules))


# -- builders for example tests ---------------------------------------------------------


def touch(
    days_ago: float, kind: TouchpointKind = TouchpointKind.WEBINAR, channel: str = "events"
) -> Touchpoint:
    """A touchpoint ``days_ago`` days before the scoring moment."""
    return Touchpoint(
        at=SCORING_AT - timedelta(days=days_ago), channel=channel, kind=kind, team=Team.MARKETING
    )


def scored_lead(
    attributes: dict[str, object] | None = None, touches: list[Touchpoint] | None = None
) -> Lead:
    """Lead ``L1``, created 400 days before the scoring moment."""
    return Lead.create(
        id="L1",
        created_at=SCORING_AT - timedelta(days=400),
        attributes=attributes or {},  # type: ignore[arg-type]
        touchpoints=touches or (),
    )


def build(*rules: ScoringRule, **fields: object) -> ScoringModel:
    """A model named ``t`` of ``rules``, grades A/B/C at 30/20/10 and MQL from 40 points."""
    options: dict[str, object] = {
        "grades": GradeScale.letters(a=30, b=20, c=10),
        "bands": EngagementBands(band_1=30, band_2=20, band_3=10),
        "qualification": Qualification(minimum_total=40),
    }
    options.update(fields)
    return ScoringModel(name="t", rules=rules, **options)  # type: ignore[arg-type]


def points(model: ScoringModel, subject: Lead, at: datetime = SCORING_AT) -> dict[str, float]:
    """The points each rule that fired contributed, by rule id (rules not evaluated left out)."""
    return {c.rule_id: c.points for c in model.score(subject, at=at).contributions if c.evaluated}


def unevaluated(model: ScoringModel, subject: Lead, at: datetime = SCORING_AT) -> dict[str, str]:
    """Why each rule that could not judge the lead was not evaluated, by rule id."""
    return {c.rule_id: str(c.not_evaluated) for c in model.score(subject, at=at).not_evaluated}
