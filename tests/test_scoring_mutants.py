"""Scoring, sharpened: open range bounds, window edges, and engagement rules firing together.

Each test pins down a behaviour a small change to ``salesmark.scoring`` (an operator
flipped, a bound moved by one, a buffer left unreset) would otherwise leave unnoticed.
Touch ages are given in days before ``SCORING_AT``; the half-life decay below is 10 days,
so touches 0, 10 and 20 days old weigh 1, 1/2 and 1/4 (exact in binary floating point).
"""

from __future__ import annotations

import copy
import html
import math
import pickle
import re
from collections.abc import Callable
from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import NaiveDatetime, Touchpoint, TouchpointKind, ValidationError, WrongType
from salesmark.scoring import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    Contribution,
    Decay,
    Dimension,
    EachTouch,
    NoRecentTouch,
    Qualification,
    RecentTouch,
    ScoringModel,
)
from salesmark.testing.strategies import SCORING_AT
from strategies.scoring import build, points, scored_lead, touch

DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
W = TouchpointKind.WEBINAR
HALF_LIFE = Decay.by_half_life(timedelta(days=10))


def at_age(age: timedelta, kind: TouchpointKind = W, channel: str = "events") -> Touchpoint:
    """A touch exactly ``age`` before the scoring moment."""
    return touch(age / DAY, kind, channel)


class TestRangeBounds:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [(-(10**9), True), (-1, True), (0, True), (10, True), (10.000001, False), (11, False)],
    )
    def test_an_open_lower_bound_takes_every_number_up_to_the_maximum(
        self, value: float, expected: bool
    ) -> None:
        """maximum=10 alone: any number at most 10 is in range, negatives included."""
        assert expected is AttributeInRange(attribute="n", maximum=10, points=1).matcher()(
            {"n": value}
        )

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(-(10**9), False), (-1, False), (-0.5, False), (0, True), (10**12, True), (1e300, True)],
    )
    def test_an_open_upper_bound_takes_every_number_from_the_minimum(
        self, value: float, expected: bool
    ) -> None:
        """minimum=0 alone: any number from 0 on is in range, however large."""
        assert expected is AttributeInRange(attribute="n", minimum=0, points=1).matcher()(
            {"n": value}
        )

    @pytest.mark.parametrize(
        ("value", "expected"), [(-6, False), (-5, True), (-3.5, True), (-2, True), (-1.999, False)]
    )
    def test_a_closed_negative_range_includes_both_ends(self, value: float, expected: bool) -> None:
        """[-5, -2] holds -5 and -2 and what lies between, nothing beyond either end."""
        rule = AttributeInRange(attribute="n", minimum=-5, maximum=-2, points=1)
        assert expected is rule.matcher()({"n": value})

    def test_a_range_of_one_point(self) -> None:
        """minimum == maximum is allowed and holds that one value."""
        test = AttributeInRange(attribute="n", minimum=3, maximum=3, points=1).matcher()
        assert (False, True, False) == (test({"n": 2.999}), test({"n": 3}), test({"n": 3.001}))

    @given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6), st.integers(-(10**7), 10**7))
    def test_a_range_holds_exactly_what_lies_between_its_bounds(
        self, low: int, high: int, value: int
    ) -> None:
        """For any bounds low <= high, value is in [low, high], [low, ) and ( , high] as the comparisons say."""
        low, high = min(low, high), max(low, high)
        closed = AttributeInRange(attribute="n", minimum=low, maximum=high, points=1).matcher()
        above = AttributeInRange(attribute="n", minimum=low, points=1).matcher()
        below = AttributeInRange(attribute="n", maximum=high, points=1).matcher()
        assert (low <= value <= high, low <= value, value <= high) == (
            closed({"n": value}),
            above({"n": value}),
            below({"n": value}),
        )

    def test_ids_and_descriptions_of_open_ranges(self) -> None:
        """An open end is blank in the id and infinite in the description."""
        low = AttributeInRange(attribute="n", maximum=10, points=1)
        high = AttributeInRange(attribute="n", minimum=-2.5, points=1)
        assert {
            "low id": "n in [, 10]",
            "low description": "n in [-inf, 10]",
            "high id": "n in [-2.5, ]",
            "high description": "n in [-2.5, inf]",
        } == {
            "low id": low.id,
            "low description": low.description,
            "high id": high.id,
            "high description": high.description,
        }

    def test_a_minimum_above_the_maximum_is_refused_but_equal_is_not(self) -> None:
        """minimum 5, maximum 4.999 is refused; 5 and 5 is a range."""
        with pytest.raises(ValueError, match="has minimum 5 above maximum 4.999"):
            AttributeInRange(attribute="n", minimum=5, maximum=4.999, points=1)
        assert 5 == AttributeInRange(attribute="n", minimum=5, maximum=5, points=1).maximum

    def test_a_range_without_bounds_is_refused(self) -> None:
        """Neither bound: refused, naming the rule."""
        with pytest.raises(ValueError, match=r"'n in \[, \]' needs a minimum, a maximum or both"):
            AttributeInRange(attribute="n", points=1)


class TestFitInTheModel:
    def test_every_matching_fit_rule_adds_and_a_miss_adds_nothing(self) -> None:
        """Four fit rules: three hold (10 + 5 - 3), the fourth misses: fit 12."""
        model = build(
            AttributeEquals(attribute="industry", value="saas", points=10),
            AttributeOneOf(attribute="region", values=["emea", "na"], points=5),
            AttributeInRange(attribute="employees", maximum=50, points=-3),
            AttributePresent(attribute="phone", points=7),
        )
        subject = scored_lead({"industry": "saas", "region": "na", "employees": -1})
        score = model.score(subject, at=SCORING_AT)
        assert {
            "fit": 12.0,
            "points": {"industry=saas": 10, "region in emea|na": 5, "employees in [, 50]": -3},
        } == {
            "fit": score.fit,
            "points": points(model, subject),
        }

    def test_the_fit_cap_bounds_the_sum(self) -> None:
        """Two rules of 20 capped at 30 give 30; one alone gives 20."""
        model = build(
            AttributePresent(attribute="a", points=20),
            AttributePresent(attribute="b", points=20),
            fit_cap=30,
        )
        assert (30, 20) == (
            model.score(scored_lead({"a": 1, "b": 1}), at=SCORING_AT).fit,
            model.score(scored_lead({"a": 1}), at=SCORING_AT).fit,
        )


class TestWindowEdges:
    @pytest.mark.parametrize(
        ("age", "fires"), [(7 * DAY - SECOND, True), (7 * DAY, True), (7 * DAY + SECOND, False)]
    )
    def test_recent_touch_at_its_window(self, age: timedelta, fires: bool) -> None:
        """A touch exactly 7 days old is still recent; one second older is not."""
        model = build(RecentTouch(id="r", points=10, window=7 * DAY))
        assert ({"r": 10} if fires else {}) == points(model, scored_lead(touches=[at_age(age)]))

    @pytest.mark.parametrize(("age", "fires"), [(30 * DAY, False), (30 * DAY + SECOND, True)])
    def test_no_recent_touch_at_its_window(self, age: timedelta, fires: bool) -> None:
        """A touch exactly 30 days old keeps the lead active; one second older lets it go quiet."""
        model = build(NoRecentTouch(id="q", points=-20, window=30 * DAY))
        assert ({"q": -20} if fires else {}) == points(model, scored_lead(touches=[at_age(age)]))

    @pytest.mark.parametrize(("age", "hits"), [(10 * DAY, 2), (10 * DAY + SECOND, 1)])
    def test_each_touch_window_includes_its_edge(self, age: timedelta, hits: int) -> None:
        """With a 10-day window, a touch exactly 10 days old counts; one second older does not."""
        model = build(EachTouch(id="e", points=3, window=10 * DAY))
        score = model.score(scored_lead(touches=[at_age(age), touch(1)]), at=SCORING_AT)
        assert (hits, 3.0 * hits) == (score.contributions[0].hits, score.contributions[0].points)

    def test_a_touch_at_the_scoring_instant_counts_one_after_it_does_not(self) -> None:
        """Age 0 counts fully; a touch a second after the scoring moment is in the future."""
        model = build(EachTouch(id="e", points=2), decay=HALF_LIFE)
        future = touch(-1 / 86400)
        assert {"e": 2.0} == points(model, scored_lead(touches=[touch(0), future]))

    @pytest.mark.parametrize(("age", "weight"), [(0, 1.0), (5, 1.0), (5 + 1 / 86400, 0.0)])
    def test_the_window_decay_weighs_all_or_nothing(self, age: float, weight: float) -> None:
        """Decay.within(5 days) weighs a touch 1 up to exactly 5 days old, 0 after."""
        assert weight == Decay.within(5 * DAY).weight(timedelta(days=age))

    @pytest.mark.parametrize(
        ("age", "weight"), [(-1, 1.0), (0, 1.0), (10, 0.5), (20, 0.25), (30, 0.125)]
    )
    def test_the_half_life_decay(self, age: float, weight: float) -> None:
        """Halves every 10 days; a touch from the future weighs fully."""
        assert weight == HALF_LIFE.weight(timedelta(days=age))

    @pytest.mark.parametrize(
        ("age", "weight"), [(-1, 1.0), (0, 1.0), (29.9, 1.0), (30, 0.75), (61, 0.5625)]
    )
    def test_the_periodic_decay(self, age: float, weight: float) -> None:
        """A quarter off per whole 30 days: 1, 0.75 after 30, 0.75**2 = 0.5625 after 61."""
        assert weight == Decay.by_period(30 * DAY, cut=0.25).weight(timedelta(days=age))


class TestEachTouchEvaluator:
    @pytest.mark.parametrize(("hits", "fires"), [(2, False), (3, True)])
    def test_it_fires_from_at_least_hits(self, hits: int, fires: bool) -> None:
        """at_least=3: two hits are not enough, three are."""
        result = EachTouch(id="e", points=2, at_least=3).evaluator()(hits, float(hits), 0.0)
        assert fires is (result is not None)

    @pytest.mark.parametrize(
        ("per_touch", "weight", "expected"),
        [(4, 1.5, 6.0), (4, 2.5, 10.0), (4, 3.0, 10.0), (-4, 2.0, -8.0), (-4, 3.0, -10.0)],
    )
    def test_the_cap_bounds_both_signs(
        self, per_touch: float, weight: float, expected: float
    ) -> None:
        """points * weight, held within [-cap, cap]: a cap of 10 stops 12 at 10 and -12 at -10."""
        result = EachTouch(id="e", points=per_touch, cap=10).evaluator()(3, weight, 0.0)
        assert result is not None
        assert {
            "rule_id": "e",
            "dimension": Dimension.ENGAGEMENT,
            "points": expected,
            "hits": 3,
            "not_evaluated": None,
        } == attrs.asdict(result)

    def test_without_a_cap_the_points_are_unbounded(self) -> None:
        """No cap: 1,000 hits of 1,000 points give 1,000,000."""
        result = EachTouch(id="e", points=1000).evaluator()(1000, 1000.0, 0.0)
        assert result is not None
        assert 1_000_000.0 == result.points


class TestRecencyEvaluators:
    def test_recent_touch_contribution(self) -> None:
        """RecentTouch gives its points, one hit, when the newest touch is within the window."""
        evaluate = RecentTouch(id="r", points=3, window=DAY).evaluator()
        assert (
            Contribution(rule_id="r", dimension=Dimension.ENGAGEMENT, points=3, hits=1),
            Contribution(rule_id="r", dimension=Dimension.ENGAGEMENT, points=3, hits=1),
            None,
            None,
        ) == (
            evaluate(0, 0.0, 0.0),
            evaluate(0, 0.0, 86400.0),
            evaluate(0, 0.0, 86400.5),
            evaluate(0, 0.0, math.inf),
        )

    def test_no_recent_touch_contribution(self) -> None:
        """NoRecentTouch gives its points only when the newest touch is older than the window."""
        evaluate = NoRecentTouch(id="q", points=-5, window=DAY).evaluator()
        quiet = Contribution(rule_id="q", dimension=Dimension.ENGAGEMENT, points=-5, hits=1)
        assert (None, None, quiet, quiet) == (
            evaluate(0, 0.0, 0.0),
            evaluate(0, 0.0, 86400.0),
            evaluate(0, 0.0, 86400.5),
            evaluate(0, 0.0, math.inf),
        )

    @pytest.mark.parametrize(
        ("rule", "expected"),
        [(EachTouch(id="e", points=1, kinds=[W, TouchpointKind.DEMO], channels=["events", "web"], window=14 * DAY),
          "each webinar/demo via events/web within 14d"),
         (RecentTouch(id="r", points=1, window=36 * 3600 * SECOND), "latest any touch within 1d"),
         (NoRecentTouch(id="q", points=-1, window=90 * DAY, channels=["email"]), "no any touch via email within 90d"),
         (EachTouch(id="e", points=1), "each any touch")],
    )  # fmt: skip
    def test_descriptions(
        self, rule: EachTouch | RecentTouch | NoRecentTouch, expected: str
    ) -> None:
        """A description lists kinds, channels and whole days of the window."""
        assert expected == rule.description

    @pytest.mark.parametrize(
        ("kind", "channel", "expected"),
        [(W, "events", True), (W, "web", False), (TouchpointKind.DEMO, "events", False)],
    )
    def test_a_rule_with_kinds_and_channels_needs_both(
        self, kind: TouchpointKind, channel: str, expected: bool
    ) -> None:
        """kinds=[webinar], channels=[events]: a touch must match both lists."""
        rule = RecentTouch(id="r", points=1, window=DAY, kinds=[W], channels=["events"])
        assert expected is rule.matches(kind, channel)


class TestRulesFiringTogether:
    def test_two_counting_rules_on_the_same_touches_both_get_the_decayed_weight(self) -> None:
        """Touches 0, 10 and 20 days old weigh 1 + 1/2 + 1/4 = 1.75: 8 points each give 14, 4 give 7."""
        model = build(
            EachTouch(id="big", points=8),
            EachTouch(id="small", points=4, kinds=[W]),
            decay=HALF_LIFE,
        )
        subject = scored_lead(touches=[touch(20), touch(10), touch(0)])
        score = model.score(subject, at=SCORING_AT)
        assert {"big": (14.0, 3), "small": (7.0, 3)} == {
            c.rule_id: (c.points, c.hits) for c in score.contributions
        }
        assert 21.0 == score.engagement

    def test_a_counting_rule_and_a_recency_rule_on_one_touch(self) -> None:
        """One touch 10 days old: EachTouch gets 8 * 1/2 = 4, RecentTouch its 5, NoRecentTouch(7d) -3."""
        model = build(
            EachTouch(id="each", points=8),
            RecentTouch(id="recent", points=5, window=30 * DAY),
            NoRecentTouch(id="quiet", points=-3, window=7 * DAY),
            decay=HALF_LIFE,
        )
        score = model.score(scored_lead(touches=[touch(10)]), at=SCORING_AT)
        assert {"each": 4.0, "recent": 5, "quiet": -3} == points(
            model, scored_lead(touches=[touch(10)])
        )
        assert 6.0 == score.engagement

    def test_a_recency_rule_first_does_not_spoil_the_weight_of_a_counting_rule(self) -> None:
        """The recency rule is listed first; the counting rule after it still weighs the touch 1/2."""
        model = build(
            RecentTouch(id="recent", points=5, window=30 * DAY),
            EachTouch(id="each", points=8),
            decay=HALF_LIFE,
        )
        assert {"recent": 5, "each": 4.0} == points(model, scored_lead(touches=[touch(10)]))

    def test_windows_of_two_rules_are_kept_apart(self) -> None:
        """A 5-day and a 15-day rule over touches 1, 10 and 20 days old count 1 and 2 touches."""
        model = build(
            EachTouch(id="short", points=1, window=5 * DAY),
            EachTouch(id="long", points=1, window=15 * DAY),
        )
        score = model.score(scored_lead(touches=[touch(20), touch(10), touch(1)]), at=SCORING_AT)
        assert {"short": (1.0, 1), "long": (2.0, 2)} == {
            c.rule_id: (c.points, c.hits) for c in score.contributions
        }

    def test_a_touch_weighing_nothing_is_not_a_hit(self) -> None:
        """Under a 5-day window decay, a touch 9 days old weighs 0: no hit, so at_least=2 is not reached."""
        model = build(EachTouch(id="e", points=2, at_least=2), decay=Decay.within(5 * DAY))
        assert {} == points(model, scored_lead(touches=[touch(9), touch(1)]))
        assert {"e": 4.0} == points(model, scored_lead(touches=[touch(2), touch(1)]))

    def test_the_newest_touch_decides_recency_even_when_older_ones_follow_in_the_rule(self) -> None:
        """Touches 40 and 3 days old: the lead is recent within 7 days and not quiet."""
        model = build(
            RecentTouch(id="recent", points=5, window=7 * DAY),
            NoRecentTouch(id="quiet", points=-3, window=7 * DAY),
        )
        assert {"recent": 5} == points(model, scored_lead(touches=[touch(40), touch(3)]))

    def test_the_engagement_cap_bounds_rules_together(self) -> None:
        """Two rules of 10 each, capped at 15 together."""
        model = build(
            RecentTouch(id="a", points=10, window=DAY),
            RecentTouch(id="b", points=10, window=DAY),
            engagement_cap=15,
        )
        assert 15 == model.score(scored_lead(touches=[touch(0)]), at=SCORING_AT).engagement

    def test_scoring_many_leads_starts_each_from_nothing(self) -> None:
        """After a lead with three touches, a lead without any gets no engagement and the quiet rule."""
        model = build(
            EachTouch(id="each", points=2),
            NoRecentTouch(id="quiet", points=-1, window=7 * DAY),
        )
        busy = scored_lead(touches=[touch(3), touch(2), touch(1)])
        idle = attrs.evolve(scored_lead(), id="L2")
        again = attrs.evolve(busy, id="L3")
        scores = list(model.score_many([busy, idle, again], at=SCORING_AT))
        assert [
            {"each": 6.0},
            {"quiet": -1},
            {"each": 6.0},
        ] == [{c.rule_id: c.points for c in s.contributions} for s in scores]


def _html_facts(text: str) -> list[tuple[str, str]]:
    """The (heading, value) pairs of a notebook view's fact table, unescaped."""
    pairs = re.findall(r"<th[^>]*>([^<]*)</th><td[^>]*>([^<]*)</td>", text)
    return [(html.unescape(a), html.unescape(b)) for a, b in pairs]


def _html_rows(text: str) -> list[list[str]]:
    """The body rows of a notebook view's tables, as lists of unescaped cells."""
    rows = re.findall(r"<tr>(<td.*?)</tr>", text)
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", row)] for row in rows]


class TestModelViews:
    def _model(self) -> ScoringModel:
        return build(
            AttributePresent(attribute="phone", points=5),
            EachTouch(id="w", points=2.5),
            decay=Decay.within(10 * DAY),
            engagement_cap=25,
            qualification=Qualification(minimum_total=35, grades=("A", "B"), cells=("A1", "B2")),
        )

    def test_repr(self) -> None:
        """One line: name, rules by dimension, grade thresholds and decay."""
        assert (
            "ScoringModel('t': 1 fit + 1 engagement rules, grades A>=30, B>=20, C>=10, decay window)"
            == repr(self._model())
        )

    def test_notebook_view(self) -> None:
        """The notebook view lists grading, qualification, decay and caps, then one row per rule."""
        text = self._model()._repr_html_()
        assert {
            "facts": [
                ("grades", "A from 30, B from 20, C from 10"),
                ("engagement bands", "1 from 30, 2 from 20, 3 from 10"),
                ("MQL: total at least", "35"),
                ("MQL: grades", "A, B"),
                ("MQL: cells", "A1, B2"),
                ("decay", "window"),
                ("caps (fit / engagement)", "- / 25"),
            ],
            "rules": [
                ["phone given", "fit", "AttributePresent", "5"],
                ["w", "engagement", "EachTouch", "2.5"],
            ],
            "captions": [html.escape(repr(self._model())), "2 rules"],
        } == {
            "facts": _html_facts(text),
            "rules": _html_rows(text),
            "captions": re.findall(r"<b>([^<]*)</b>", text),
        }

    def test_a_view_without_qualifying_grades_or_cells(self) -> None:
        """No MQL grades or cells show as a dash, and a fit cap alone as 'cap / -'."""
        text = build(AttributePresent(attribute="phone", points=5), fit_cap=40)._repr_html_()
        facts = dict(_html_facts(text))
        assert {"MQL: grades": "-", "MQL: cells": "-", "caps (fit / engagement)": "40 / -"} == {
            k: facts[k] for k in ("MQL: grades", "MQL: cells", "caps (fit / engagement)")
        }

    def test_a_model_pickles_and_copies_by_its_fields(self) -> None:
        """A pickled or deep-copied model equals the original and scores the same."""
        model = self._model()
        subject = scored_lead({"phone": "1"}, touches=[touch(1), touch(20)])
        for other in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model), copy.copy(model)):
            assert model == other
            assert model.score(subject, at=SCORING_AT) == other.score(subject, at=SCORING_AT)


class TestModelArguments:
    @pytest.mark.parametrize(
        ("call", "error", "pattern"),
        [(lambda m: m.score(scored_lead(), at=SCORING_AT.replace(tzinfo=None)), NaiveDatetime,
          r"^ScoringModel\.score at "),
         (lambda m: m.score("L1", at=SCORING_AT), ValidationError, r"^ScoringModel\.score lead "),
         (lambda m: m.score(scored_lead(), at=SCORING_AT, strict=1), ValidationError,
          r"^ScoringModel\.score strict "),
         (lambda m: m.score_many([scored_lead()], at=SCORING_AT.replace(tzinfo=None)), NaiveDatetime,
          r"^ScoringModel\.score_many at "),
         (lambda m: m.score_many(scored_lead(), at=SCORING_AT), ValidationError,
          r"^ScoringModel\.score_many leads must be an iterable of Lead, got a single Lead .*; use score$"),
         (lambda m: m.score_many("L1", at=SCORING_AT), WrongType,
          r"^ScoringModel\.score_many leads must be an iterable of Lead, got 'L1'$"),
         (lambda m: m.score_many([scored_lead(), "L2"], at=SCORING_AT), WrongType,
          r"^ScoringModel\.score_many leads\[1\] must be a Lead, got 'L2'$"),
         (lambda m: m.score_many([scored_lead()], at=SCORING_AT, strict="yes"), ValidationError,
          r"^ScoringModel\.score_many strict ")],
    )  # fmt: skip
    def test_bad_arguments_are_named(
        self, call: Callable[[ScoringModel], object], error: type[Exception], pattern: str
    ) -> None:
        """Each refusal starts with the method and argument it is about."""
        with pytest.raises(error, match=pattern):
            call(build(AttributePresent(attribute="phone", points=5)))

    def test_score_many_keeps_the_order_and_names_the_model(self) -> None:
        """Three leads come back in their order, with the model's name and the time scored."""
        model = build(AttributePresent(attribute="phone", points=5))
        leads = [
            attrs.evolve(scored_lead({"phone": "1"} if i % 2 else {}), id=f"L{i}") for i in range(3)
        ]
        scores = model.score_many(leads, at=SCORING_AT)
        assert {
            "model": "t",
            "at": SCORING_AT,
            "ids": ["L0", "L1", "L2"],
            "fit": [0.0, 5.0, 0.0],
        } == {
            "model": scores.model,
            "at": scores.at,
            "ids": [s.lead_id for s in scores],
            "fit": [s.fit for s in scores],
        }

    def test_score_many_reports_progress(self) -> None:
        """A progress callback hears of every lead scored, ending at the total."""
        model = build(AttributePresent(attribute="phone", points=5))
        leads = [attrs.evolve(scored_lead(), id=f"L{i}") for i in range(3)]
        heard: list[tuple[int, int]] = []
        model.score_many(
            leads, at=SCORING_AT, progress=lambda done, total: heard.append((done, total))
        )
        assert (3, 3) == heard[-1]

    def test_with_rule_replaces_in_place(self) -> None:
        """Replacing the first of two rules keeps it first, with its new points."""
        model = build(
            AttributePresent(attribute="phone", points=5),
            AttributePresent(attribute="email", points=3),
        )
        replaced = model.with_rule(AttributePresent(attribute="phone", points=8))
        assert [("phone given", 8), ("email given", 3)] == [
            (r.id, r.points) for r in replaced.rules
        ]


class TestNotEvaluated:
    @pytest.mark.parametrize(
        ("rule", "attributes", "expected"),
        [(AttributeOneOf(attribute="r", values=("a", 1), points=1), {"r": True}, "expected text or a number, got True"),
         (AttributeOneOf(attribute="r", values=("a", "b"), points=1), {"r": 2.5}, "expected text, got 2.5"),
         (AttributeOneOf(attribute="r", values=("a", "b"), points=1), {}, "missing"),
         (AttributeOneOf(attribute="r", values=("a", "b"), points=1), {"r": "c"}, None),
         (AttributeInRange(attribute="n", minimum=1, points=1), {"n": "x"}, "expected a number, got 'x'"),
         (AttributeInRange(attribute="n", minimum=1, points=1), {"n": True}, "expected a number, got True"),
         (AttributeInRange(attribute="n", minimum=1, points=1), {}, "missing"),
         (AttributeInRange(attribute="n", minimum=1, points=1), {"n": 0}, None)],
    )  # fmt: skip
    def test_why_a_rule_cannot_judge(
        self,
        rule: AttributeOneOf | AttributeInRange,
        attributes: dict[str, object],
        expected: str | None,
    ) -> None:
        """The reason names what was expected and what was given; a plain miss is no reason."""
        assert expected == rule.not_evaluated(attributes)  # type: ignore[arg-type]


class TestStrictScoring:
    @pytest.mark.parametrize(
        ("attributes", "error", "reason"),
        [({"employees": "400"}, WrongType, "expected a number, got '400'"),
         ({}, ValidationError, "missing")],
    )  # fmt: skip
    def test_a_rule_that_cannot_judge_raises_in_full(
        self, attributes: dict[str, object], error: type[Exception], reason: str
    ) -> None:
        """Strict scoring names model, rule, lead, attribute and reason, and says what to do."""
        model = build(AttributeInRange(attribute="employees", minimum=50, points=5))
        with pytest.raises(error) as caught:
            model.score(scored_lead(attributes), at=SCORING_AT, strict=True)
        assert error is caught.type
        assert {
            "message": f"ScoringModel 't' could not evaluate rule 'employees in [50, ]' on lead 'L1': "
            f"attribute 'employees' {reason}; give the attribute, read it with an AttributeSchema, "
            "or score with strict=False to record it as not evaluated",
            "path": "/attributes/employees",
        } == {"message": str(caught.value), "path": caught.value.path}  # type: ignore[attr-defined]

    def test_a_lead_given_twice_is_named_with_both_places(self) -> None:
        """score_many refuses a repeated id, naming both positions."""
        model = build(AttributePresent(attribute="phone", points=5))
        lead = scored_lead()
        with pytest.raises(ValidationError) as caught:
            model.score_many([lead, attrs.evolve(lead, id="L2"), lead], at=SCORING_AT)
        assert (
            "ScoringModel.score_many leads[2] repeats id 'L1' of ScoringModel.score_many leads[0]: "
            "each must be given once"
        ) == str(caught.value)

    def test_an_equals_rule_says_which_kind_it_expected(self) -> None:
        """A text value given a number: expected text."""
        rule = AttributeEquals(attribute="industry", value="saas", points=1)
        assert "expected text, got 7" == rule.not_evaluated({"industry": 7})

    def test_scoring_before_the_lead_existed_is_refused(self) -> None:
        """A lead scored as of a day before its creation: the error carries the instant and what was expected."""
        model = build(AttributePresent(attribute="phone", points=5))
        lead = scored_lead()
        before = lead.created_at - DAY
        with pytest.raises(ValidationError) as caught:
            model.score(lead, at=before)
        error = caught.value.errors[0]
        assert {
            "message": f"ScoringModel 't' cannot score lead 'L1' as of {before.isoformat()}, "
            f"before it was created ({lead.created_at.isoformat()})",
            "value": repr(before),
            "expected": "an instant on or after created_at",
        } == {"message": str(caught.value), "value": error.value, "expected": error.expected}


class TestTheTouchLoop:
    def test_a_touch_no_rule_looks_at_does_not_stop_the_count(self) -> None:
        """Webinars 20 and 1 days old around an ad click no rule counts: both webinars count."""
        model = build(EachTouch(id="w", points=3, kinds=[W]))
        click = touch(10, TouchpointKind.AD_CLICK, "paid_search")
        subject = scored_lead(touches=[touch(20), click, touch(1)])
        assert [("w", 6.0, 2)] == [
            (c.rule_id, c.points, c.hits) for c in model.score(subject, at=SCORING_AT).contributions
        ]

    def test_hits_start_from_nothing_for_each_lead(self) -> None:
        """Scoring three leads in a row, each counts only its own touches."""
        model = build(EachTouch(id="w", points=1))
        leads = [
            attrs.evolve(scored_lead(touches=[touch(d) for d in range(n, 0, -1)]), id=f"L{n}")
            for n in (3, 1, 2)
        ]
        assert [3, 1, 2] == [
            s.contributions[0].hits for s in model.score_many(leads, at=SCORING_AT)
        ]

    def test_a_minimum_fit_qualifies_on_fit(self) -> None:
        """A qualification on fit alone: fit 30 qualifies, fit 20 with much engagement does not."""
        model = build(
            AttributePresent(attribute="a", points=20),
            AttributePresent(attribute="b", points=10),
            RecentTouch(id="r", points=50, window=DAY),
            qualification=Qualification(minimum_fit=30),
        )
        assert (True, False) == (
            model.score(scored_lead({"a": 1, "b": 1}), at=SCORING_AT).qualified,
            model.score(scored_lead({"a": 1}, touches=[touch(0)]), at=SCORING_AT).qualified,
        )

    def test_every_band_makes_a_cell_to_qualify_by(self) -> None:
        """Cells of band 3 exist: a qualification naming B3 is accepted and met by a B grade in band 3."""
        model = build(
            AttributePresent(attribute="a", points=20),
            RecentTouch(id="r", points=15, window=DAY),
            qualification=Qualification(cells=("B3",)),
        )
        score = model.score(scored_lead({"a": 1}, touches=[touch(0)]), at=SCORING_AT)
        assert ("B3", True) == (score.cell, score.qualified)


class TestDecayEdges:
    def test_one_half_life_halves(self) -> None:
        """A one-second half-life: a touch one second old weighs 1/2, two seconds 1/4."""
        decay = Decay.by_half_life(SECOND)
        assert (1.0, 0.5, 0.25) == (
            decay.weight(timedelta(0)),
            decay.weight(SECOND),
            decay.weight(2 * SECOND),
        )

    def test_one_period_cuts(self) -> None:
        """A one-second period cutting a half: 1 second old weighs 1/2, 1.5 seconds still 1/2."""
        decay = Decay.by_period(SECOND, cut=0.5)
        assert (1.0, 0.5, 0.5, 0.25) == (
            decay.weight(timedelta(0)),
            decay.weight(SECOND),
            decay.weight(1.5 * SECOND),
            decay.weight(2 * SECOND),
        )

    @pytest.mark.parametrize("cut", [0, -0.1, 1.01, math.nan])
    def test_a_cut_outside_zero_to_one_is_refused(self, cut: float) -> None:
        """A cut of 0 loses nothing and is refused, like anything outside (0, 1]."""
        with pytest.raises(ValidationError, match=r"^Decay\.cut must be a fraction in \(0, 1\]"):
            Decay.by_period(DAY, cut=cut)

    def test_a_cut_of_one_loses_everything_after_a_period(self) -> None:
        """A cut of 1 keeps nothing after one whole period."""
        assert (1.0, 0.0) == (
            Decay.by_period(DAY, cut=1).weight(DAY - SECOND),
            Decay.by_period(DAY, cut=1).weight(DAY),
        )


class TestMoreModelEdges:
    def test_a_minimum_engagement_qualifies_on_engagement(self) -> None:
        """A qualification on engagement alone: 15 engagement points qualify, 40 fit points do not."""
        model = build(
            AttributePresent(attribute="a", points=40),
            RecentTouch(id="r", points=15, window=DAY),
            qualification=Qualification(minimum_engagement=15),
        )
        assert (True, False) == (
            model.score(scored_lead(touches=[touch(0)]), at=SCORING_AT).qualified,
            model.score(scored_lead({"a": 1}), at=SCORING_AT).qualified,
        )

    def test_strict_errors_carry_what_was_expected(self) -> None:
        """The error of strict scoring says, as its expectation, why the rule could not judge."""
        model = build(AttributeInRange(attribute="employees", minimum=50, points=5))
        with pytest.raises(WrongType) as caught:
            model.score(scored_lead({"employees": "400"}), at=SCORING_AT, strict=True)
        assert "expected a number, got '400'" == caught.value.errors[0].expected

    def test_the_rules_table_has_its_headings_and_every_rule(self) -> None:
        """A model of 30 rules lists all 30 under rule, dimension, kind and points."""
        rules = [AttributePresent(attribute=f"a{i}", points=i + 1) for i in range(30)]
        text = build(*rules)._repr_html_()
        headings = re.findall(r"<thead><tr>(.*?)</tr></thead>", text)
        assert {
            "headings": [["rule", "dimension", "kind", "points"]],
            "rows": 30,
            "last": ["a29 given", "fit", "AttributePresent", "30"],
        } == {
            "headings": [re.findall(r"<th[^>]*>([^<]*)</th>", h) for h in headings],
            "rows": len(_html_rows(text)),
            "last": _html_rows(text)[-1],
        }

    @pytest.mark.parametrize(
        "rule",
        [AttributeEquals(attribute="n", value=5, points=1),
         AttributeOneOf(attribute="n", values=(5, 6), points=1)],
    )  # fmt: skip
    def test_a_rule_over_numbers_judges_a_number(
        self, rule: AttributeEquals | AttributeOneOf
    ) -> None:
        """A number given to a rule over numbers can be judged; text cannot."""
        assert (None, "expected a number, got 'x'") == (
            rule.not_evaluated({"n": 3}),
            rule.not_evaluated({"n": "x"}),
        )

    def test_a_range_with_a_label_is_described_by_it(self) -> None:
        """A label replaces the generated description of a range."""
        rule = AttributeInRange(attribute="n", maximum=10, points=1, label="Small teams")
        assert "Small teams" == rule.description
