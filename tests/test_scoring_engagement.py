"""Tests for salesmark.scoring.engagement: the engagement rule classes, their checks and evaluation."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from salesmark import TouchpointKind, ValidationError
from salesmark.scoring import (
    Contribution,
    Decay,
    Dimension,
    EachTouch,
    NoRecentTouch,
    RecentTouch,
)
from salesmark.scoring.engagement import ENGAGEMENT_RULES
from salesmark.testing.strategies import SCORING_AT
from strategies.scoring import build, points, scored_lead, touch

DAY = timedelta(days=1)
W = TouchpointKind.WEBINAR
lead = scored_lead


class TestEachTouch:
    def test_counts_kinds_and_channels(self) -> None:
        """TOUCHES gives points per touch of the listed kinds and channels."""
        model = build(
            EachTouch(id="w", points=5, kinds=[W]),
            EachTouch(id="ps", points=1, channels=["paid_search"]),
        )
        subject = lead(
            touches=[touch(1), touch(2), touch(3, TouchpointKind.AD_CLICK, "paid_search")]
        )
        assert {"w": 10, "ps": 1} == points(model, subject)

    def test_window_at_least_and_cap(self) -> None:
        """TOUCHES counts only touches in its window, from at_least on, capped."""
        model = build(EachTouch(id="w", points=5, window=timedelta(days=10), at_least=2, cap=8))
        assert {} == points(model, lead(touches=[touch(1), touch(11)]))
        assert {"w": 8} == points(model, lead(touches=[touch(1), touch(2), touch(11)]))

    def test_negative_cap_bounds_magnitude(self) -> None:
        """A cap bounds a negative contribution's size too."""
        model = build(EachTouch(id="unsub", points=-10, cap=15))
        assert {"unsub": -15} == points(model, lead(touches=[touch(1), touch(2)]))

    def test_future_touches_are_ignored(self) -> None:
        """Touches after `at` do not count: a lead can be re-scored as of a past date."""
        model = build(EachTouch(id="w", points=5))
        subject = lead(touches=[touch(10), touch(1)])
        assert {"w": 5} == points(model, subject, at=SCORING_AT - 5 * DAY)

    def test_decay_half_life_and_engagement_cap(self) -> None:
        """Touch points are decayed by the model's decay, then the engagement cap applies."""
        model = build(EachTouch(id="w", points=8), decay=Decay.by_half_life(timedelta(days=10)))
        assert {"w": 8 + 4 + 2} == points(model, lead(touches=[touch(0), touch(10), touch(20)]))
        capped = attrs.evolve(model, engagement_cap=9)
        assert 9 == capped.score(lead(touches=[touch(0), touch(10)]), at=SCORING_AT).engagement

    def test_window_decay_counts_only_recent_touches(self) -> None:
        """With a window decay, older touches neither add points nor count as hits."""
        model = build(EachTouch(id="w", points=2), decay=Decay.within(timedelta(days=5)))
        score = model.score(lead(touches=[touch(1), touch(9)]), at=SCORING_AT)
        assert (Contribution(rule_id="w", dimension=Dimension.ENGAGEMENT, points=2.0, hits=1),) == (
            score.contributions
        )

    def test_evaluator_scales_caps_and_waits_for_at_least(self) -> None:
        """The evaluator gives points times the summed weight, capped, from at_least hits on."""
        evaluate = EachTouch(id="w", points=4, at_least=2, cap=10).evaluator()
        assert None is evaluate(1, 1.0, 0.0)
        assert {"points": 6.0, "hits": 2} == attrs.asdict(evaluate(2, 1.5, 0.0), filter=_some)  # type: ignore[arg-type]
        assert {"points": 10, "hits": 5} == attrs.asdict(evaluate(5, 5.0, 0.0), filter=_some)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"window": timedelta(0)}, r"EachTouch\.window must be a positive timedelta"),
            ({"at_least": 0}, r"EachTouch\.at_least must be a whole number >= 1"),
            ({"at_least": True}, r"EachTouch\.at_least must be a whole number >= 1, got True"),
            ({"cap": -1}, r"EachTouch\.cap must be a finite number above 0"),
            ({"kinds": ("",)}, r"EachTouch\.kinds\[0\] must be a touchpoint kind"),
            ({"kinds": (3,)}, r"EachTouch\.kinds\[0\] must be a touchpoint kind .*got 3"),
            ({"channels": ("",)}, r"EachTouch\.channels\[0\] must be a non-empty string"),
            ({"channels": "events"}, r"EachTouch\.channels .*'events'"),
            ({"channels": 5}, r"EachTouch\.channels .*got 5"),
            ({"kinds": "webinar"}, r"EachTouch\.kinds .*'webinar'"),
        ],
    )
    def test_bad_rules_are_refused(self, fields: dict[str, object], message: str) -> None:
        """Each malformed rule raises a ValidationError naming the field and the value."""
        with pytest.raises(ValidationError, match=message):
            EachTouch(id="x", points=1, **fields)  # type: ignore[arg-type]

    def test_kinds_are_text(self) -> None:
        """A kind is given as a member or as text (a CRM's own kind too) and kept as text."""
        rule = EachTouch(id="t", points=1, kinds=[TouchpointKind.WEBINAR, "linkedin"])
        assert ("webinar", "linkedin") == rule.kinds
        assert rule.matches("linkedin", "social")

    def test_a_lone_kind_is_refused_whole(self) -> None:
        """A lone kind where a sequence belongs is refused showing that name, not its letters."""
        with pytest.raises(ValidationError, match=r"EachTouch\.kinds .*'webinar'"):
            EachTouch(id="t", points=1, kinds="webinar")

    def test_fields_of_other_kinds_are_not_fields(self) -> None:
        """A fit rule's field (an attribute) cannot be given to a touch rule."""
        with pytest.raises(TypeError, match="attribute"):
            EachTouch(id="t", points=1, attribute="a")  # type: ignore[call-arg]

    def test_description_reads_the_rule(self) -> None:
        """A rule without a label describes its kinds, channels and window."""
        rule = EachTouch(id="w", points=5, kinds=[W], channels=["events"], window=timedelta(30))
        assert "each webinar via events within 30d" == rule.description


class TestRecentTouch:
    def test_fires_for_a_recent_matching_touch(self) -> None:
        """RECENCY fires when the latest matching touch lies within the window."""
        model = build(RecentTouch(id="recent", points=10, window=timedelta(days=7)))
        assert {"recent": 10} == points(model, lead(touches=[touch(100), touch(3)]))
        assert {} == points(model, lead(touches=[touch(30)]))

    def test_decay_does_not_touch_recency(self) -> None:
        """Recency rules are not decayed."""
        model = build(
            RecentTouch(id="r", points=10, window=timedelta(days=30)),
            decay=Decay.by_period(timedelta(days=1), cut=0.9),
        )
        assert {"r": 10} == points(model, lead(touches=[touch(20)]))

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"window": None}, r"RecentTouch\.window must be a positive timedelta, got None"),
            ({"window": timedelta(7), "channels": "email"}, r"RecentTouch\.channels .*'email'"),
        ],
    )
    def test_bad_rules_are_refused(self, fields: dict[str, object], message: str) -> None:
        """A missing window or a lone channel string is refused, naming the field."""
        with pytest.raises(ValidationError, match=message):
            RecentTouch(id="r", points=1, **fields)  # type: ignore[arg-type]

    def test_needs_a_window(self) -> None:
        """A recency rule cannot be built without a window."""
        with pytest.raises(TypeError, match="window"):
            RecentTouch(id="r", points=1)  # type: ignore[call-arg]

    def test_description(self) -> None:
        """A rule without a label reads ``latest <touches> within <days>d``."""
        rule = RecentTouch(id="active-7d", points=10, window=timedelta(days=7))
        assert "latest any touch within 7d" == rule.description


class TestNoRecentTouch:
    def test_fires_when_the_lead_went_quiet(self) -> None:
        """INACTIVITY fires when no matching touch lies within the window, or none at all."""
        model = build(
            RecentTouch(id="recent", points=10, window=timedelta(days=7)),
            NoRecentTouch(id="quiet", points=-20, window=timedelta(days=90)),
        )
        assert {"recent": 10} == points(model, lead(touches=[touch(100), touch(3)]))
        assert {"quiet": -20} == points(model, lead(touches=[touch(91)]))
        assert {"quiet": -20} == points(model, lead())

    def test_needs_a_positive_window(self) -> None:
        """A window of zero is refused, naming the field."""
        with pytest.raises(ValidationError, match=r"NoRecentTouch\.window must be a positive"):
            NoRecentTouch(id="i", points=-1, window=timedelta(0))

    def test_description(self) -> None:
        """A rule without a label reads ``no <touches> within <days>d``; a label wins."""
        assert (
            "no any touch within 9d"
            == NoRecentTouch(id="i", points=-1, window=timedelta(9)).description
        )
        assert (
            "Went quiet"
            == NoRecentTouch(id="i", points=-1, window=timedelta(9), label="Went quiet").description
        )


class TestEngagementRules:
    def test_every_engagement_rule_scores_engagement(self) -> None:
        """Every engagement rule class scores the engagement dimension; only EachTouch counts touches."""
        assert {
            "EachTouch": (Dimension.ENGAGEMENT, True),
            "RecentTouch": (Dimension.ENGAGEMENT, False),
            "NoRecentTouch": (Dimension.ENGAGEMENT, False),
        } == {cls.__name__: (cls.dimension, cls.counts_touches) for cls in ENGAGEMENT_RULES}

    @pytest.mark.parametrize(
        "rule",
        [
            EachTouch(id="t", points=1, kinds=[W], channels=["events"]),
            RecentTouch(id="r", points=1, window=DAY, kinds=[W], channels=["events"]),
            NoRecentTouch(id="i", points=1, window=DAY, kinds=[W], channels=["events"]),
        ],
        ids=lambda rule: type(rule).__name__,
    )
    def test_matches_reads_kinds_and_channels(self, rule: EachTouch) -> None:
        """A rule looks at touches of its kinds on its channels, and only those."""
        assert [True, False, False] == [
            rule.matches(W, "events"),
            rule.matches(TouchpointKind.DEMO, "events"),
            rule.matches(W, "email"),
        ]


def _some(attribute: attrs.Attribute[object], _value: object) -> bool:
    return attribute.name in {"points", "hits"}


class TestRulesTogether:
    def test_two_rules_firing_together_add_up(self) -> None:
        """Two engagement rules that both fire on one lead each contribute, and the engagement is their sum."""
        model = build(
            EachTouch(id="each", points=4, kinds=[W]),
            RecentTouch(id="recent", points=10, window=timedelta(days=7)),
        )
        subject = lead(touches=[touch(20), touch(2)])
        assert {"each": 8, "recent": 10} == points(model, subject)
        assert 18 == model.score(subject, at=SCORING_AT).engagement


class TestKindsAsText:
    def test_a_kind_member_is_stored_as_its_text(self) -> None:
        """``TouchpointKind.WEBINAR`` is kept as the plain text ``'webinar'``."""
        kinds = EachTouch(id="w", kinds=[W], points=1).kinds
        assert (("webinar",), str) == (kinds, type(kinds[0]))
