"""Strategies for lead scoring: leads to score, rules of every class, decays and whole models.

Leads and rules share a small vocabulary (:data:`SCORING_ATTRIBUTES`, a few channels and
touchpoint kinds), so rules fire often; every touch happens at or before the scoring
moment (:data:`SCORING_AT` by default).

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(scoring_models(), scoring_leads())
    ... def test_the_total_is_fit_plus_engagement(model, lead):
    ...     score = model.score(lead, at=SCORING_AT)
    ...     assert abs(score.total - (score.fit + score.engagement)) < 1e-9
    >>> test_the_total_is_fit_plus_engagement()
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Final

import attrs
from hypothesis import strategies as st

from salesmark._time import instant
from salesmark.leads import AttributeValue, Lead
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
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

__all__ = [
    "SCORING_AT",
    "SCORING_ATTRIBUTES",
    "engagement_rules",
    "fit_rules",
    "scoring_attribute_values",
    "scoring_decays",
    "scoring_leads",
    "scoring_models",
    "scoring_rules",
    "scoring_touchpoints",
]

SCORING_AT: Final = datetime(2026, 6, 30, tzinfo=timezone.utc)
"""The default scoring moment: every drawn touch happens at or before it."""
SCORING_ATTRIBUTES: Final = ("industry", "role", "employees", "phone")
"""The attributes drawn leads carry and drawn fit rules read."""
_TEXT: Final = ("saas", "retail", "cfo", "it", "", "x")
_CHANNELS: Final = ("email", "events", "paid_search")
_KINDS: Final = (TouchpointKind.WEBINAR, TouchpointKind.PAGE_VIEW, TouchpointKind.DEMO)
_LABELS: Final = ("", "Fits the ICP", "Went quiet")


def _ages() -> st.SearchStrategy[int]:
    return st.integers(0, 200 * 86400)


def _rule_points() -> st.SearchStrategy[float]:
    return st.integers(-30, 30).map(float) | st.floats(-30, 30, allow_nan=False)


def _positive_points() -> st.SearchStrategy[float]:
    return st.floats(0.0, 30.0, allow_nan=False)


def _windows() -> st.SearchStrategy[timedelta]:
    return st.integers(1, 120).map(lambda d: timedelta(days=d))


def scoring_attribute_values() -> st.SearchStrategy[AttributeValue]:
    """Attribute values rules can compare: a few texts, whole numbers, booleans and floats.

    Returns:
        A strategy of attribute values.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(scoring_attribute_values())
        ... def test_plain_values(value):
        ...     assert isinstance(value, (str, int, float))
        >>> test_plain_values()
    """
    return st.one_of(
        st.sampled_from(_TEXT), st.integers(-10, 5000), st.booleans(), st.floats(-10, 5000)
    )


@st.composite
def scoring_touchpoints(draw: st.DrawFn, *, before: datetime = SCORING_AT) -> Touchpoint:
    """A marketing touchpoint (a webinar, page view or demo) up to 200 days before ``before``.

    Args:
        draw: Given by hypothesis.
        before: The latest moment of a touch.

    Returns:
        A strategy of :class:`~salesmark.touchpoints.Touchpoint`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(scoring_touchpoints())
        ... def test_touches_come_first(touch):
        ...     assert touch.at <= SCORING_AT
        >>> test_touches_come_first()
    """
    return Touchpoint(
        at=before - timedelta(seconds=draw(_ages())),
        channel=draw(st.sampled_from(_CHANNELS)),
        kind=draw(st.sampled_from(_KINDS)),
        team=Team.MARKETING,
    )


@st.composite
def scoring_leads(draw: st.DrawFn, *, before: datetime = SCORING_AT) -> Lead:
    """A lead with a few of :data:`SCORING_ATTRIBUTES` and touchpoints, all at or before ``before``.

    Args:
        draw: Given by hypothesis.
        before: The latest moment of a touch; the lead is created a day before its first.

    Returns:
        A strategy of :class:`~salesmark.leads.Lead`, each with id ``"L"``.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(scoring_leads())
        ... def test_created_before_it_is_scored(lead):
        ...     assert lead.created_at < SCORING_AT
        >>> test_created_before_it_is_scored()
    """
    touches = draw(st.lists(scoring_touchpoints(before=before), max_size=8))
    created = min([t.at for t in touches], default=before, key=instant) - timedelta(days=1)
    attributes = draw(
        st.dictionaries(st.sampled_from(SCORING_ATTRIBUTES), scoring_attribute_values(), max_size=4)
    )
    return Lead.create(id="L", created_at=created, attributes=attributes, touchpoints=touches)


def fit_rules(points: st.SearchStrategy[float] | None = None) -> st.SearchStrategy[FitRule]:
    """Fit rules of every class, with derived ids (and now and then a label).

    Args:
        points: The points a rule gives; whole and fractional from -30 to 30 if None.

    Returns:
        A strategy of fit rules (equals, one of, in range, present).

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(fit_rules(st.just(5.0)))
        ... def test_five_points(rule):
        ...     assert 5.0 == rule.points and rule.attribute in SCORING_ATTRIBUTES
        >>> test_five_points()
    """
    given = points if points is not None else _rule_points()
    attribute = st.sampled_from(SCORING_ATTRIBUTES)
    labels = st.sampled_from(_LABELS)
    return st.one_of(
        st.builds(
            AttributeEquals,
            attribute=attribute,
            value=scoring_attribute_values(),
            points=given,
            label=labels,
        ),
        st.builds(
            AttributeOneOf,
            attribute=attribute,
            values=st.lists(scoring_attribute_values(), min_size=1, max_size=3),
            points=given,
            label=labels,
        ),
        st.builds(
            lambda a, lo, span, p: AttributeInRange(
                attribute=a, minimum=lo, maximum=lo + span, points=p
            ),
            attribute,
            st.integers(-10, 3000),
            st.integers(0, 3000),
            given,
        ),
        st.builds(
            lambda a, hi, p: AttributeInRange(attribute=a, maximum=hi, points=p),
            attribute,
            st.floats(-10, 3000),
            given,
        ),
        st.builds(AttributePresent, attribute=attribute, points=given, label=labels),
    )


@st.composite
def engagement_rules(
    draw: st.DrawFn, *, points: st.SearchStrategy[float] | None = None, monotone: bool = False
) -> EngagementRule:
    """Engagement rules of every class; ``monotone`` keeps them non-increasing with time.

    Args:
        draw: Given by hypothesis.
        points: The points a rule gives; whole and fractional from -30 to 30 if None
            (from 0 to 30 when ``monotone``).
        monotone: Whether a lead's engagement never grows as time passes without touches.

    Returns:
        A strategy of engagement rules (each touch, recent touch, no recent touch).

    Example:
        >>> from hypothesis import given, settings
        >>> from salesmark.scoring import NoRecentTouch
        >>> @settings(max_examples=5, database=None)
        ... @given(engagement_rules(monotone=True))
        ... def test_only_silence_costs(rule):
        ...     assert (rule.points <= 0) if isinstance(rule, NoRecentTouch) else (rule.points >= 0)
        >>> test_only_silence_costs()
    """
    cls = draw(st.sampled_from((EachTouch, RecentTouch, NoRecentTouch)))
    kinds = draw(st.lists(st.sampled_from(_KINDS), max_size=2, unique=True))
    channels = draw(st.lists(st.sampled_from(_CHANNELS), max_size=2, unique=True))
    drawn = points if points is not None else _positive_points() if monotone else _rule_points()
    value = draw(drawn)
    if cls is EachTouch:
        return EachTouch(
            id="t",
            points=value,
            kinds=kinds,
            channels=channels,
            window=draw(st.none() | _windows()),
            at_least=draw(st.integers(1, 3)),
            cap=draw(st.none() | st.floats(1, 50)),
        )
    if cls is RecentTouch:
        return RecentTouch(
            id="r", points=value, window=draw(_windows()), kinds=kinds, channels=channels
        )
    return NoRecentTouch(
        id="i",
        points=-value if monotone else value,
        window=draw(_windows()),
        kinds=kinds,
        channels=channels,
    )


def scoring_rules() -> st.SearchStrategy[ScoringRule]:
    """Rules of every class, fit and engagement.

    Returns:
        A strategy of scoring rules.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(scoring_rules())
        ... def test_rules_have_ids(rule):
        ...     assert rule.id
        >>> test_rules_have_ids()
    """
    return fit_rules() | engagement_rules()


def scoring_decays() -> st.SearchStrategy[Decay]:
    """How engagement fades: not at all, by a half-life, by a factor per period, or within a window.

    Returns:
        A strategy of :class:`~salesmark.scoring.Decay`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(scoring_decays())
        ... def test_decays_are_decays(decay):
        ...     assert isinstance(decay, Decay)
        >>> test_decays_are_decays()
    """
    return st.one_of(
        st.just(Decay.none()),
        st.builds(Decay.by_half_life, _windows()),
        st.builds(Decay.by_period, _windows(), st.floats(0.01, 1.0)),
        st.builds(Decay.within, _windows()),
    )


def _renumber(rules: list[ScoringRule]) -> tuple[ScoringRule, ...]:
    """Give each rule a unique id."""
    return tuple(attrs.evolve(rule, id=f"r{i}-{rule.id}") for i, rule in enumerate(rules))


@st.composite
def scoring_models(draw: st.DrawFn, *, monotone: bool = False) -> ScoringModel:
    """A valid model of up to four fit and four engagement rules, with grades, bands, a decay and caps.

    Args:
        draw: Given by hypothesis.
        monotone: Whether engagement never grows as time passes (see :func:`engagement_rules`).

    Returns:
        A strategy of :class:`~salesmark.scoring.ScoringModel`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None, deadline=None)
        ... @given(scoring_models())
        ... def test_rule_ids_are_unique(model):
        ...     assert len({r.id for r in model.rules}) == len(model.rules) >= 1
        >>> test_rule_ids_are_unique()
    """
    rules = draw(st.lists(fit_rules(), max_size=4)) + draw(
        st.lists(engagement_rules(monotone=monotone), max_size=4)
    )
    if not rules:
        rules = [AttributePresent(attribute="phone", points=5)]
    return ScoringModel(
        name="generated",
        rules=_renumber(rules),
        grades=GradeScale.letters(a=30, b=15, c=5),
        bands=EngagementBands(band_1=30, band_2=15, band_3=5),
        qualification=Qualification(minimum_total=draw(st.integers(0, 60))),
        decay=draw(scoring_decays()),
        fit_cap=draw(st.none() | st.floats(0, 100, exclude_min=True)),
        engagement_cap=draw(st.none() | st.floats(0, 100, exclude_min=True)),
    )
