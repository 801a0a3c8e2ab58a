"""Rules that cannot judge a lead are recorded, never quietly switched off; strict raises."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Lead, Team, Touchpoint, TouchpointKind, ValidationError, WrongType
from salesmark.leads import AttributeValue
from salesmark.scoring import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    Contribution,
    Dimension,
    EachTouch,
    FitRule,
)
from salesmark.testing.strategies import (
    SCORING_AT,
    SCORING_ATTRIBUTES,
    fit_rules,
    scoring_attribute_values,
)
from strategies.scoring import build, points, scored_lead, unevaluated

SIZE = AttributeInRange(attribute="employees", minimum=50, maximum=5000, points=15, id="size")
INDUSTRY = AttributeOneOf(attribute="industry", values=["saas", "retail"], points=10, id="ind")


class TestNotEvaluated:
    def test_text_given_to_a_range_is_not_evaluated(self) -> None:
        """The reported defect: employees "400" gave grade B silently; now the range says why it did not judge."""
        model = build(SIZE, INDUSTRY)
        lead = scored_lead({"employees": "400", "industry": "saas"})
        score = model.score(lead, at=SCORING_AT)
        assert {"ind": 10} == points(model, lead)
        assert {"size": "expected a number, got '400'"} == unevaluated(model, lead)
        assert "not evaluated fit: size (expected a number, got '400')" in score.explain()
        assert (1, 1) == (score.rules_fired, score.to_records()[0]["rules_not_evaluated"])

    def test_a_missing_attribute_is_not_evaluated(self) -> None:
        """A rule whose attribute the lead lacks records "missing", with no points and no hits."""
        model = build(SIZE)
        [entry] = model.score(scored_lead({}), at=SCORING_AT).not_evaluated
        assert (
            Contribution(
                rule_id="size", dimension=Dimension.FIT, points=0.0, hits=0, not_evaluated="missing"
            )
            == entry
        )

    @pytest.mark.parametrize(
        ("rule", "value", "reason"),
        [
            (AttributeEquals(attribute="x", value="saas", points=1), 7, "expected text, got 7"),
            (AttributeEquals(attribute="x", value=1, points=1), True, "expected a number, got True"),
            (AttributeEquals(attribute="x", value=True, points=1), 1, "expected true/false, got 1"),
            (AttributeOneOf(attribute="x", values=[1, "a"], points=1), False, "expected text or a number, got False"),
            (AttributeInRange(attribute="x", maximum=3, points=1), "2", "expected a number, got '2'"),
        ],
    )  # fmt: skip
    def test_each_wrong_kind_is_named(
        self, rule: FitRule, value: AttributeValue, reason: str
    ) -> None:
        """Each fit rule names what it can read and the value it was given."""
        assert {rule.id: reason} == unevaluated(build(rule), scored_lead({"x": value}))

    def test_presence_is_always_judged(self) -> None:
        """A missing attribute fails AttributePresent: it is never "not evaluated"."""
        model = build(AttributePresent(attribute="phone", points=5))
        assert ({}, {}) == (points(model, scored_lead({})), unevaluated(model, scored_lead({})))

    def test_a_plain_miss_is_not_listed(self) -> None:
        """A value of the right kind that does not match is a miss, not a rule switched off."""
        model = build(SIZE, INDUSTRY)
        lead = scored_lead({"employees": 10, "industry": "banking"})
        assert ({}, {}) == (points(model, lead), unevaluated(model, lead))

    def test_records_give_the_reason(self) -> None:
        """contribution_records() carries the reason in its not_evaluated column."""
        rows = (
            build(SIZE).score(scored_lead({"employees": "4"}), at=SCORING_AT).contribution_records()
        )
        assert [("size", 0.0, "expected a number, got '4'")] == [
            (r["rule_id"], r["points"], r["not_evaluated"]) for r in rows
        ]

    @given(
        rule=fit_rules(),
        attributes=st.dictionaries(st.sampled_from(SCORING_ATTRIBUTES), scoring_attribute_values()),
    )
    def test_every_rule_fires_misses_or_says_why(
        self, rule: FitRule, attributes: dict[str, AttributeValue]
    ) -> None:
        """Each fit rule either fires, misses on a value it can read, or is listed with its reason."""
        verdict = rule.matcher()(dict(attributes))
        reason = rule.not_evaluated(attributes)
        model = build(rule)
        lead = scored_lead(dict(attributes))
        assert (verdict is None) == (reason is not None)
        assert ({rule.id: reason} if reason else {}) == unevaluated(model, lead)
        assert ({rule.id: rule.points} if verdict else {}) == points(model, lead)


class TestStrict:
    def test_strict_raises_on_the_wrong_kind(self) -> None:
        """strict=True raises a WrongType naming the lead, the rule and the attribute's path."""
        with pytest.raises(
            WrongType,
            match=r"rule 'size' on lead 'L1': attribute 'employees' expected a number, got '400'",
        ) as caught:
            build(SIZE).score(scored_lead({"employees": "400"}), at=SCORING_AT, strict=True)
        assert "/attributes/employees" == caught.value.path

    def test_strict_raises_on_a_missing_attribute(self) -> None:
        """A missing attribute under strict=True is a ValidationError saying "missing"."""
        with pytest.raises(ValidationError, match="attribute 'employees' missing"):
            build(SIZE).score_many([scored_lead({})], at=SCORING_AT, strict=True)

    def test_strict_scores_what_it_can_judge(self) -> None:
        """With every attribute readable, strict and lenient scoring agree."""
        model = build(SIZE, INDUSTRY)
        lead = scored_lead({"employees": 400, "industry": "retail"})
        assert model.score(lead, at=SCORING_AT) == model.score(lead, at=SCORING_AT, strict=True)

    def test_strict_must_be_a_bool(self) -> None:
        """strict="yes" is refused, not read as true."""
        with pytest.raises(WrongType, match="strict"):
            build(SIZE).score(scored_lead({}), at=SCORING_AT, strict="yes")  # type: ignore[arg-type]


class TestScoringInstant:
    def test_before_creation_is_an_error(self) -> None:
        """Scoring a lead as of an instant before it was created is an error, not a score of nothing."""
        lead = scored_lead({})
        with pytest.raises(
            ValidationError, match="cannot score lead 'L1' as of .* before it was created"
        ):
            build(SIZE).score(lead, at=lead.created_at - timedelta(seconds=1))
        with pytest.raises(ValidationError, match="before it was created"):
            build(SIZE).score_many([lead], at=lead.created_at - timedelta(days=1))

    def test_at_creation_is_fine(self) -> None:
        """The instant of creation itself may be scored."""
        lead = scored_lead({"employees": 60})
        assert 15 == build(SIZE).score(lead, at=lead.created_at).fit

    @pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
    def test_windows_measure_real_time_across_dst(self, zone: str) -> None:
        """A 24-hour window counts a touch 23 real hours old across spring-forward, by real time."""
        tz = ZoneInfo(zone)
        # the spring change of each zone: Berlin 29 March, New York 8 March, Lord Howe 4 October 2026
        day = {
            "Europe/Berlin": (3, 29),
            "America/New_York": (3, 8),
            "Australia/Lord_Howe": (10, 4),
        }[zone]
        at = datetime(2026, day[0], day[1] + 1, 1, 0, tzinfo=tz)
        touched = datetime(2026, day[0], day[1] - 1, 2, 30, tzinfo=tz)
        # real hours between: wall clock 22.5 h plus the lost hour (half an hour on Lord Howe)
        real = (at.timestamp() - touched.timestamp()) / 3600
        lost = 0.5 if zone == "Australia/Lord_Howe" else 1.0
        assert 22.5 + 24 - lost == real
        rule = EachTouch(
            id="recent", points=1, kinds=[TouchpointKind.WEBINAR], window=timedelta(hours=real)
        )
        touch = Touchpoint(
            at=touched, channel="web", kind=TouchpointKind.WEBINAR, team=Team.MARKETING
        )
        lead = Lead.create(id="L1", created_at=touched - timedelta(days=1), touchpoints=[touch])
        just_inside = build(rule).score(lead, at=at)
        tighter = EachTouch(
            id="recent",
            points=1,
            kinds=[TouchpointKind.WEBINAR],
            window=timedelta(hours=real - 0.25),
        )
        assert (1.0, 0.0) == (just_inside.engagement, build(tighter).score(lead, at=at).engagement)
