"""Bad input to every public analytic outside attribution: a sound result or a salesmark error, quickly.

Each analytic is called with two of its arguments drawn from values of every kind a
caller might pass by mistake (the others are sound); it must return or raise a
:class:`~salesmark.SalesmarkError` (a wrong type is also a ``TypeError``) within a
time bound, never crash raw, hang or leak a Python error. The budget is fixed:
``EXAMPLES`` per analytic (``tests/test_attribution_bad_input.py`` does the same for
attribution); ``TRIED`` counts the examples actually run.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import salesmark as sm
from salesmark import (
    DEMAND_WATERFALL,
    Lead,
    LeadFeedback,
    Money,
    Period,
    SalesmarkError,
    Team,
    WorkingCalendar,
    insights,
    metrics,
    scoring,
    synthetic,
)
from salesmark import content_performance as cp
from salesmark import follow_through as ft
from salesmark.funnel import funnel_by, funnel_leads
from salesmark.metrics import KpiFacts
from salesmark.testing.strategies import SCORING_AT
from strategies import inbound_model

ORG = synthetic.organisation(seed=3, leads=30)
Q = Period.quarter(2026, 1)
AT = datetime(2026, 3, 1, tzinfo=UTC)
MODEL = inbound_model()
LEAD = ORG.leads[0]
EXAMPLES = 25
"""Examples per analytic and run (a fixed budget, whatever the hypothesis profile)."""
BOUND = 10.0
"""Seconds one call may take, whatever its input (generous: the machine may be shared)."""
TRIED: list[str] = []
"""The name of the analytic of every example tried."""

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.text(max_size=5),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=3),
    st.dictionaries(st.text(max_size=3), st.one_of(st.integers(), st.floats()), max_size=2),
    st.sampled_from(
        [
            ORG,
            Q,
            AT,
            datetime(2026, 3, 1),
            datetime(9999, 12, 31, tzinfo=UTC),
            timedelta(days=-1),
            timedelta(0),
            timedelta(microseconds=1),
            LEAD,
            [LEAD, LEAD],
            list(ORG.leads),
            Money.of("10", "EUR"),
            Decimal("1e999999999"),
            Team.SALES,
            "sales",
            DEMAND_WATERFALL,
            WorkingCalendar.standard(),
            MODEL,
            {"a": 10**400},
            {"a": 1e308, "b": 1e308},
        ]
    ),
)
"""Values of every kind an argument might be given by mistake, or at a bound."""

LEADS = list(ORG.leads)
SCORED = [x for x in LEADS if x.created_at <= SCORING_AT]
NOTES = list(ORG.feedback)
W = ORG.lifecycle

CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "funnel_counts": lambda a, b: sm.funnel_counts(a, Q, lifecycle=W, as_of=b),
    "funnel_counts_period": lambda a, b: sm.funnel_counts(LEADS, a, lifecycle=b),
    "funnel_by": lambda a, b: funnel_by(LEADS, a, b, lifecycle=W),
    "funnel_leads": lambda a, b: funnel_leads(LEADS, Q, a, lifecycle=W, view=b),
    "sla_compliance": lambda a, b: sm.sla_compliance(ORG, Q, calendar=a, at=b),
    "sla_compliance_org": sm.sla_compliance,
    "alignment_index": lambda a, b: sm.alignment_index(ORG, Q, weights=a, at=b),
    "alignment_index_durations": lambda a, b: sm.alignment_index(
        ORG, Q, narrative_max_age=a, meeting_tolerance=b
    ),
    "build_agenda": lambda a, b: sm.build_agenda(ORG, Q, a, at=b),
    "closed_loop_report": lambda a, b: sm.closed_loop_report(ORG, Q, by=a, attribution=b),
    "marketing_recognition": sm.marketing_recognition,
    "allocate_bonus": lambda a, b: sm.allocate_bonus(Money.of("100", "EUR"), {"x": a, "y": b}),
    "allocate_bonus_pool": sm.allocate_bonus,
    "money_allocate": lambda a, b: Money.of("10", "EUR").allocate([a, b]),
    "period_split": lambda a, _b: Q.split(a),
    "evaluate_catalogue": lambda a, b: metrics.evaluate_catalogue(ORG, Q, assumptions=a, facts=b),
    "evaluate_targets": lambda a, b: metrics.evaluate_targets(ORG, Q, compute=a, assumptions=b),
    "scorecard_report": lambda a, b: metrics.scorecard_report(ORG, a, b),
    "kpi_facts": KpiFacts.collect,
    "romi_by_campaign": metrics.romi_by_campaign,
    "conversion_rate": metrics.conversion_rate,
    "lead_quality": lambda a, b: scoring.lead_quality(
        LEADS, NOTES, lifecycle=W, prior=a, prior_strength=b
    ),
    "lead_quality_leads": lambda a, b: scoring.lead_quality(a, b, lifecycle=W),
    "lead_quality_counts": lambda a, b: scoring.lead_quality_counts(a, NOTES, lifecycle=W, by=b),
    "feedback_coverage": lambda a, b: scoring.feedback_coverage(
        LEADS, NOTES, lifecycle=W, at=a, target=b
    ),
    "calibrate": lambda a, b: scoring.calibrate(MODEL, a, lifecycle=W, at=SCORING_AT, outcome=b),
    "suggest_weights": lambda a, b: scoring.suggest_weights(
        MODEL, LEADS, lifecycle=W, at=SCORING_AT, l2=a, min_effect=b
    ),
    "suggest_personas": lambda a, b: scoring.suggest_personas(
        LEADS, ["industry"], lifecycle=W, max_personas=a, share=b
    ),
    "match_persona": lambda a, b: scoring.match_persona(LEAD, a, minimum=b),
    "hit_matrix": lambda a, b: scoring.hit_matrix(MODEL, a, at=b),
    "roc_auc": scoring.roc_auc,
    "score_many": lambda a, b: MODEL.score_many(a, at=b),
    "rank_themes": lambda a, b: insights.rank_themes(ORG, Q, at=a, half_life=b),
    "theme_trends": lambda a, b: insights.theme_trends(ORG, a, at=b),
    "unreflected_themes": lambda a, b: insights.unreflected_themes(ORG, Q, min_reps=a, at=b),
    "content_performance": lambda a, b: cp.content_performance(ORG, Q, at=a, z=b),
    "action_follow_through": lambda a, b: ft.action_follow_through(ORG, a, at=b),
    "open_actions": lambda a, b: ft.open_actions(ORG, a, escalate_after=b),
    "decisions_due": lambda a, b: ft.decisions_due(ORG, a, escalate_after=b),
    "times_deferred": lambda a, b: ft.times_deferred(ORG, a, at=b),
}


class TestBadInput:
    @pytest.mark.parametrize("name", sorted(CALLS))
    def test_sound_result_or_salesmark_error(self, name: str) -> None:
        """Whatever two of its arguments are, the analytic returns or raises a SalesmarkError, in bounded time."""

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(a=junk, b=junk)
        def check(a: object, b: object) -> None:
            TRIED.append(name)
            started = time.perf_counter()
            with contextlib.suppress(SalesmarkError):
                CALLS[name](a, b)
            assert time.perf_counter() - started < BOUND

        check()

    def test_wrong_type_names_the_argument(self) -> None:
        """A wrong argument type is a salesmark error that is also a TypeError and names the argument."""
        for call, argument in [
            (lambda: metrics.scorecard_report(ORG, "sales", Q), "team"),  # type: ignore[arg-type]
            (lambda: sm.funnel_counts([1], Q, lifecycle=W), "leads[0]"),  # type: ignore[list-item]
            (lambda: sm.sla_compliance(ORG, Q, calendar="Europe/Berlin"), "calendar"),  # type: ignore[arg-type]
            (lambda: scoring.lead_quality(LEADS, [1], lifecycle=W), "feedback"),  # type: ignore[list-item]
        ]:
            with pytest.raises(TypeError, match=re.escape(argument)) as raised:
                call()
            assert isinstance(raised.value, SalesmarkError)


def _copy(lead: Lead, n: int) -> Lead:
    return attrs.evolve(lead, id=f"{lead.id}-{n}")


class TestLeadsGivenTwice:
    """A lead given twice would be counted twice: every lead-level analytic refuses it."""

    @pytest.mark.parametrize(
        ("name", "call"),
        [
            ("funnel_counts leads", lambda x: sm.funnel_counts(x, Q, lifecycle=W)),
            ("funnel_by leads", lambda x: funnel_by(x, Q, "channel", lifecycle=W)),
            ("funnel_leads leads", lambda x: funnel_leads(x, Q, "mql", lifecycle=W)),
            ("lead_quality leads", lambda x: scoring.lead_quality(x, NOTES, lifecycle=W)),
            ("lead_quality leads", lambda x: scoring.lead_quality_counts(x, NOTES, lifecycle=W)),
            ("feedback_coverage leads", lambda x: scoring.feedback_coverage(x, [], lifecycle=W, at=AT)),
            ("calibrate leads", lambda x: scoring.calibrate(MODEL, x, lifecycle=W, at=SCORING_AT)),
            ("suggest_weights leads", lambda x: scoring.suggest_weights(MODEL, x, lifecycle=W, at=SCORING_AT)),
            ("ScoringModel.score_many leads", lambda x: MODEL.score_many(x, at=SCORING_AT)),
            ("suggest_personas leads", lambda x: scoring.suggest_personas(x, ["industry"], lifecycle=W)),
        ],
    )  # fmt: skip
    def test_a_repeated_id_is_refused(self, name: str, call: Callable[[list[Lead]], Any]) -> None:
        """The same lead twice is a ValidationError naming the argument, or (where an analytic says so) counted once."""
        twice = [*SCORED, SCORED[1]]
        with pytest.raises(SalesmarkError, match=f"{re.escape(name)}|twice") as raised:
            call(twice)
        assert SCORED[1].id in str(raised.value)

    def test_distinct_copies_count_each(self) -> None:
        """Copies under their own ids are different leads and each is counted: the 39 deliveries of the issue stay 39."""
        once = sm.funnel_counts(LEADS, Q, lifecycle=W)
        twice = sm.funnel_counts(LEADS + [_copy(x, 1) for x in LEADS], Q, lifecycle=W)
        assert [2 * n for n in once.cohort] == list(twice.cohort)

    def test_feedback_items_are_checked(self) -> None:
        """A feedback item that is not LeadFeedback is refused with its position."""
        note = LeadFeedback(lead_id=LEAD.id, member_id="s1", at=AT, accepted=True)
        with pytest.raises(TypeError, match=r"feedback_coverage feedback\[1\]"):
            scoring.feedback_coverage(LEADS, [note, "x"], lifecycle=W, at=AT)  # type: ignore[list-item]
