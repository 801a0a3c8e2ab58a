"""Hypothesis strategies for salesmark.scoring: leads, rules and models, and small builders.

``fit_rules`` and ``engagement_rules`` draw every rule class of
:mod:`salesmark.scoring.fit` and :mod:`salesmark.scoring.engagement`; ``scoring_rules``
draws either. ``build``, ``scored_lead``, ``touch`` and ``points`` build the small
models and leads the example tests score.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
from hypothesis import strategies as st

from salesmark import Lead, Team, Touchpoint, TouchpointKind
from salesmark.scoring import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    Decay,
    EachTouch,
    EngagementBands,
    EngagementRule,
    FitRule,
    GradeScale,
    NoRecentTouch,
    Qualification,
    RecentTouch,
    ScoringModel,
    ScoringRule,
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
        team=Team.MARKETING,
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


_labels = st.just("") | st.sampled_from(("Fits the ICP", "Went quiet"))


def fit_rules(rule_points: st.SearchStrategy[float] = rule_points) -> st.SearchStrategy[FitRule]:
    """Fit rules of every class, with derived ids (and now and then a label)."""
    attribute = st.sampled_from(SCORING_ATTRIBUTES)
    return st.one_of(
        st.builds(
            AttributeEquals,
            attribute=attribute,
            value=scoring_attribute_values,
            points=rule_points,
            label=_labels,
        ),
        st.builds(
            AttributeOneOf,
            attribute=attribute,
            values=st.lists(scoring_attribute_values, min_size=1, max_size=3),
            points=rule_points,
            label=_labels,
        ),
        st.builds(
            lambda a, lo, span, p: AttributeInRange(
                attribute=a, minimum=lo, maximum=lo + span, points=p
            ),
            attribute,
            st.integers(-10, 3000),
            st.integers(0, 3000),
            rule_points,
        ),
        st.builds(
            lambda a, hi, p: AttributeInRange(attribute=a, maximum=hi, points=p),
            attribute,
            st.floats(-10, 3000),
            rule_points,
        ),
        st.builds(AttributePresent, attribute=attribute, points=rule_points, label=_labels),
    )


@st.composite
def engagement_rules(
    draw: st.DrawFn, *, rule_points: st.SearchStrategy[float] = rule_points, monotone: bool = False
) -> EngagementRule:
    """Engagement rules of every class; ``monotone`` keeps them non-increasing with time."""
    cls = draw(st.sampled_from((EachTouch, RecentTouch, NoRecentTouch)))
    kinds = draw(st.lists(st.sampled_from(_KINDS), max_size=2, unique=True))
    channels = draw(st.lists(st.sampled_from(_CHANNELS), max_size=2, unique=True))
    value = draw(positive_points if monotone else rule_points)
    if cls is EachTouch:
        return EachTouch(
            id="t",
            points=value,
            kinds=kinds,
            channels=channels,
            window=draw(st.none() | _windows),
            at_least=draw(st.integers(1, 3)),
            cap=draw(st.none() | st.floats(1, 50)),
        )
    if cls is RecentTouch:
        return RecentTouch(
            id="r", points=value, window=draw(_windows), kinds=kinds, channels=channels
        )
    return NoRecentTouch(
        id="i",
        points=-value if monotone else value,
        window=draw(_windows),
        kinds=kinds,
        channels=channels,
    )


def scoring_rules() -> st.SearchStrategy[ScoringRule]:
    """Rules of every class, fit and engagement."""
    return fit_rules() | engagement_rules()


scoring_decays = st.one_of(
    st.just(Decay.none()),
    st.builds(Decay.by_half_life, _windows),
    st.builds(Decay.by_period, _windows, st.floats(0.01, 1.0)),
    st.builds(Decay.within, _windows),
)


def renumber(rules: list[ScoringRule]) -> tuple[ScoringRule, ...]:
    """Give each rule a unique id."""
    return tuple(attrs.evolve(rule, id=f"r{i}-{rule.id}") for i, rule in enumerate(rules))


@st.composite
def scoring_models(draw: st.DrawFn, *, monotone: bool = False) -> ScoringModel:
    """A valid model; ``monotone`` keeps engagement non-increasing with time."""
    rules = draw(st.lists(fit_rules(), max_size=4)) + draw(
        st.lists(engagement_rules(monotone=monotone), max_size=4)
    )
    if not rules:
        rules = [AttributePresent(attribute="phone", points=5)]
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
