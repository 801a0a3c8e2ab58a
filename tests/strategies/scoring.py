"""Hypothesis strategies for salesmark.scoring: leads, rules and models."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from salesmark import Lead, Touchpoint, TouchpointKind
from salesmark.scoring import (
    Decay,
    EngagementBands,
    GradeScale,
    Qualification,
    Rule,
    RuleKind,
    ScoringModel,
)

SCORING_AT = datetime(2026, 6, 30, tzinfo=timezone.utc)
SCORING_ATTRIBUTES = ("industry", "role", "employees", "phone")
_TEXT = ("saas", "retail", "cfo", "it", "", "x")
_CHANNELS = ("email", "events", "paid_search")
_KINDS = (TouchpointKind.WEBINAR, TouchpointKind.PAGE_VIEW, TouchpointKind.DEMO)

scoring_attribute_values = st.one_of(
    st.sampled_from(_TEXT), st.integers(-10, 5000), st.booleans(), st.floats(-10, 5000)
)
_ages = st.integers(0, 200 * 86400)
rule_points = st.integers(-30, 30).map(float) | st.floats(-30, 30, allow_nan=False)
positive_points = st.floats(0.0, 30.0, allow_nan=False)
_windows = st.integers(1, 120).map(lambda d: timedelta(days=d))


@st.composite
def scoring_touchpoints(draw: st.DrawFn, *, before: datetime = SCORING_AT) -> Touchpoint:
    """A touchpoint at or before ``before``."""
    return Touchpoint(
        at=before - timedelta(seconds=draw(_ages)),
        channel=draw(st.sampled_from(_CHANNELS)),
        kind=draw(st.sampled_from(_KINDS)),
    )


@st.composite
def scoring_leads(draw: st.DrawFn, *, before: datetime = SCORING_AT) -> Lead:
    """A lead with a few attributes and touchpoints, all at or before ``before``."""
    touches = draw(st.lists(scoring_touchpoints(before=before), max_size=8))
    created = min([t.at for t in touches], default=before) - timedelta(days=1)
    attributes = draw(
        st.dictionaries(st.sampled_from(SCORING_ATTRIBUTES), scoring_attribute_values, max_size=4)
    )
    return Lead.create(id="L", created_at=created, attributes=attributes, touchpoints=touches)


def fit_rules(rule_points: st.SearchStrategy[float] = rule_points) -> st.SearchStrategy[Rule]:
    """Fit rules of every kind."""
    attribute = st.sampled_from(SCORING_ATTRIBUTES)
    return st.one_of(
        st.builds(
            lambda a, x, p: Rule.equals(a, x, points=p),
            attribute,
            scoring_attribute_values,
            rule_points,
        ),
        st.builds(
            lambda a, xs, p: Rule.one_of(a, xs, points=p),
            attribute,
            st.lists(scoring_attribute_values, min_size=1, max_size=3),
            rule_points,
        ),
        st.builds(
            lambda a, lo, span, p: Rule.between(a, minimum=lo, maximum=lo + span, points=p),
            attribute,
            st.integers(-10, 3000),
            st.integers(0, 3000),
            rule_points,
        ),
        st.builds(lambda a, p: Rule.present(a, points=p), attribute, rule_points),
    )


@st.composite
def engagement_rules(
    draw: st.DrawFn, *, rule_points: st.SearchStrategy[float] = rule_points, monotone: bool = False
) -> Rule:
    """Engagement rules of every kind; ``monotone`` keeps them non-increasing with time."""
    kind = draw(st.sampled_from((RuleKind.TOUCHES, RuleKind.RECENCY, RuleKind.INACTIVITY)))
    kinds = draw(st.lists(st.sampled_from(_KINDS), max_size=2, unique=True))
    channels = draw(st.lists(st.sampled_from(_CHANNELS), max_size=2, unique=True))
    value = draw(positive_points if monotone else rule_points)
    if kind is RuleKind.TOUCHES:
        return Rule.touches(
            "t",
            points=value,
            kinds=kinds,
            channels=channels,
            window=draw(st.none() | _windows),
            at_least=draw(st.integers(1, 3)),
            cap=draw(st.none() | st.floats(1, 50)),
        )
    if kind is RuleKind.RECENCY:
        return Rule.recency(
            "r", points=value, window=draw(_windows), kinds=kinds, channels=channels
        )
    return Rule.inactivity(
        "i",
        points=-value if monotone else value,
        window=draw(_windows),
        kinds=kinds,
        channels=channels,
    )


scoring_decays = st.one_of(
    st.just(Decay.none()),
    st.builds(Decay.by_half_life, _windows),
    st.builds(Decay.by_period, _windows, st.floats(0.01, 1.0)),
    st.builds(Decay.within, _windows),
)


def renumber(rules: list[Rule]) -> tuple[Rule, ...]:
    """Give each rule a unique id."""
    import attrs

    return tuple(attrs.evolve(rule, id=f"r{i}-{rule.id}") for i, rule in enumerate(rules))


@st.composite
def scoring_models(draw: st.DrawFn, *, monotone: bool = False) -> ScoringModel:
    """A valid model; ``monotone`` keeps engagement non-increasing with time."""
    rules = draw(st.lists(fit_rules(), max_size=4)) + draw(
        st.lists(engagement_rules(monotone=monotone), max_size=4)
    )
    if not rules:
        rules = [Rule.present("phone", points=5)]
    return ScoringModel(
        name="generated",
        rules=renumber(rules),
        grades=GradeScale.letters(a=30, b=15, c=5),
        bands=EngagementBands(band_1=30, band_2=15, band_3=5),
        qualification=Qualification(minimum_total=draw(st.integers(0, 60))),
        decay=draw(scoring_decays),
        fit_cap=draw(st.none() | st.floats(0, 100, exclude_min=True)),
        engagement_cap=draw(st.none() | st.floats(0, 100, exclude_min=True)),
    )
