"""Tests for salesmark.scoring.quality: the lead-quality feedback loop and its coverage."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL as W
from salesmark import (
    HUBSPOT,
    FeedbackReason,
    Lead,
    LeadFeedback,
    LeadSource,
    NaiveDatetime,
    SalesmarkError,
    ValidationError,
)
from salesmark.organisation import Organisation
from salesmark.scoring import (
    FeedbackCoverage,
    GroupCounts,
    GroupQuality,
    LeadQualityCounts,
    LeadQualityReport,
    feedback_coverage,
    lead_quality,
    lead_quality_counts,
)
from salesmark.scoring._beta import beta_cdf, beta_quantile
from salesmark.sourcing import SourcedBy
from strategies import sla_organisations

T = datetime(2026, 3, 2, tzinfo=timezone.utc)
H = timedelta(hours=1)


def journey(i: int, channel: str | None, path: str, **fields: object) -> Lead:
    """A lead captured as inquiry on ``channel`` and walked through ``path``."""
    source = None if channel is None else LeadSource(channel=channel, campaign_id=f"c-{channel}")
    lead = Lead.create(id=f"L{i}", created_at=T, source=source, **fields)  # type: ignore[arg-type]
    steps = {
        "inquiry": [],
        "rejected": [("mql", None), ("rejected", "bad_data")],
        "mql": [("mql", None)],
        "sal": [("mql", None), ("sal", None)],
        "sql": [("mql", None), ("sal", None), ("sql", None)],
        "won": [("mql", None), ("sal", None), ("sql", None), ("opportunity", None), ("won", None)],
    }[path]
    for hours, (stage, reason) in enumerate(steps, start=1):
        lead = lead.advance(stage, at=T + hours * H, reason=reason)
    return lead


def opportunity(i: int, channel: str) -> Lead:
    """A lead walked from MQL to opportunity."""
    lead = journey(i, channel, "sql")
    return lead.advance("opportunity", at=T + 4 * H)


def verdict(
    i: int, accepted: bool, rating: int | None = None, hours: int = 5, **kw: object
) -> LeadFeedback:
    reasons = kw.get("reasons", () if accepted else (FeedbackReason.WRONG_PERSONA,))
    return LeadFeedback(
        lead_id=f"L{i}",
        member_id="s1",
        at=T + hours * H,
        accepted=accepted,
        rating=rating,
        reasons=reasons,  # type: ignore[arg-type]
    )


class TestLeadQuality:
    def test_counts_rates_ratings_and_reasons(self) -> None:
        """A group reports MQLs, acceptance, progression, ratings and top reasons."""
        leads = [
            journey(1, "ppc", "rejected"),
            journey(2, "ppc", "sal"),
            journey(3, "ppc", "won"),
            journey(4, "ppc", "inquiry"),
            journey(5, "ppc", "rejected"),
        ]
        feedback = [verdict(1, False, 1), verdict(2, True, 4), verdict(3, True, 4)]
        group = lead_quality(leads, feedback, prior=(1, 1), lifecycle=W).group("ppc")
        assert {"leads": 5, "mqls": 4, "accepted": 2, "sqls": 1, "opportunities": 1, "won": 1} == {
            "leads": group.leads,
            "mqls": group.mqls,
            "accepted": group.accepted,
            "sqls": group.sqls,
            "opportunities": group.opportunities,
            "won": group.won,
        }
        assert {"acceptance_rate": 0.5, "sql_rate": 0.25, "won_rate": 0.25} == {
            "acceptance_rate": group.acceptance_rate,
            "sql_rate": group.sql_rate,
            "won_rate": group.won_rate,
        }
        assert (3, 3.0) == (group.ratings, group.average_rating)
        assert (("bad_data", 1), ("wrong_persona", 1)) == group.top_reasons
        assert 3 / 6 == group.smoothed_acceptance

    def test_small_groups_do_not_top_the_ranking(self) -> None:
        """Smoothing keeps a tiny perfect group below a large, nearly perfect one."""
        big = [journey(i, "events", "sal" if i % 10 else "rejected") for i in range(300)]
        small = [journey(1000 + i, "ppc", "sal") for i in range(2)]
        bad = [journey(2000 + i, "display", "rejected") for i in range(50)]
        report = lead_quality([*big, *small, *bad], [], lifecycle=W)
        assert ["display", "ppc", "events"] == [g.key for g in report.groups]
        ppc = report.group("ppc")
        assert ppc.interval_low < ppc.smoothed_acceptance < ppc.interval_high
        assert 1.0 == ppc.acceptance_rate

    def test_default_prior_is_centred_on_the_pooled_rate(self) -> None:
        """The default prior has prior_strength pseudo-MQLs at the pooled acceptance rate."""
        leads = [journey(i, "a", "sal" if i < 3 else "rejected") for i in range(4)]
        report = lead_quality(leads, [], prior_strength=8, lifecycle=W)
        assert (6.0, 2.0) == (report.prior_alpha, report.prior_beta)

    def test_groupings(self) -> None:
        """Leads group by campaign, persona, attribute or a function; missing keys group as (none)."""
        leads = [
            journey(1, "ppc", "sal", persona_id="p1", attributes={"size": 5}),
            journey(2, None, "sal"),
        ]
        assert {"c-ppc", "(none)"} == {
            g.key for g in lead_quality(leads, [], by="campaign_id", lifecycle=W).groups
        }
        assert {"p1", "(none)"} == {
            g.key for g in lead_quality(leads, [], by="persona_id", lifecycle=W).groups
        }
        assert {"5", "(none)"} == {
            g.key for g in lead_quality(leads, [], by="attributes.size", lifecycle=W).groups
        }
        custom = lead_quality(leads, [], by=lambda lead: lead.id, lifecycle=W)
        assert ("custom", {"L1", "L2"}) == (custom.by, {g.key for g in custom.groups})

    def test_records_and_repr(self) -> None:
        """The report gives one record per group and a one-line repr."""
        report = lead_quality([journey(1, "ppc", "rejected")], [], lifecycle=W)
        assert "bad_data (1)" == report.to_records()[0]["top_reasons"]
        assert repr(report).startswith("LeadQualityReport(by='channel', 1 groups")

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"by": "colour"}, "a lead key must be a function or one of"),
            ({"prior": (0, 1)}, "prior must be"),
            ({"prior": 5}, r"lead_quality prior must be .*got 5$"),
            ({"prior": (math.inf, 1)}, r"lead_quality prior must be .*finite.*got \(inf, 1\)"),
            ({"prior": (1, math.nan)}, r"lead_quality prior must be .*got \(1, nan\)"),
            ({"prior": "ab"}, r"lead_quality prior must be .*got 'ab'"),
            ({"prior_strength": 0}, "prior_strength"),
            (
                {"prior_strength": math.inf},
                r"lead_quality prior_strength must be a finite .*got inf",
            ),
            ({"level": math.nan}, r"lead_quality level .*got nan"),
            ({"level": 1.0}, "level"),
            ({"top": -1}, "top"),
        ],
    )
    def test_bad_parameters_refused(self, kwargs: dict[str, object], message: str) -> None:
        """Unknown groupings and out-of-range parameters are refused."""
        with pytest.raises(ValidationError, match=message):
            lead_quality([], [], **kwargs, lifecycle=W)  # type: ignore[arg-type]

    @given(
        outcomes=st.lists(st.booleans(), min_size=1, max_size=30),
        level=st.floats(0.5, 0.99),
    )
    def test_interval_holds_the_posterior_median(self, outcomes: list[bool], level: float) -> None:
        """The credible interval lies in [0, 1] around the posterior median; the mean is a rate."""
        leads = [journey(i, "a", "sal" if ok else "rejected") for i, ok in enumerate(outcomes)]
        report = lead_quality(leads, [], level=level, lifecycle=W)
        group = report.groups[0]
        a = report.prior_alpha + group.accepted
        b = report.prior_beta + group.mqls - group.accepted
        median = beta_quantile(0.5, a, b)
        assert 0 <= group.interval_low <= median <= group.interval_high <= 1
        assert 0 < group.smoothed_acceptance < 1


class TestGroupQuality:
    def test_one_flat_row(self) -> None:
        """A group's records are one row of all its fields, the reasons joined as text."""
        group = lead_quality(
            [journey(1, "ppc", "rejected"), journey(2, "ppc", "sal")], [], prior=(1, 1), lifecycle=W
        ).group("ppc")
        [record] = group.to_records()
        assert [f.name for f in attrs.fields(type(group))] == list(record)
        assert {"key": "ppc", "mqls": 2, "accepted": 1, "top_reasons": "bad_data (1)"} == {
            name: record[name] for name in ("key", "mqls", "accepted", "top_reasons")
        }


GROUP = {
    "key": "ppc",
    "leads": 3,
    "mqls": 2,
    "accepted": 1,
    "sqls": 1,
    "opportunities": 0,
    "won": 0,
    "acceptance_rate": 0.5,
    "smoothed_acceptance": 0.5,
    "interval_low": 0.2,
    "interval_high": 0.8,
    "sql_rate": 0.5,
    "opportunity_rate": 0.0,
    "won_rate": 0.0,
    "ratings": 1,
    "average_rating": 4.0,
    "top_reasons": (("bad_data", 1),),
}
PAIR = "a (code, count) pair: a non-empty text and a whole number >= 1"


def refusal(build: Callable[[], object]) -> tuple[str, dict[str, str | None]]:
    """The error class and first field error that building something raises."""
    with pytest.raises(ValidationError) as caught:
        build()
    return type(caught.value).__name__, caught.value.to_dict()["errors"][0]


def share_refusal(field: str, value: object, kind: str) -> tuple[str, dict[str, str | None]]:
    return kind, {
        "path": f"/{field}",
        "message": f"GroupQuality.{field} must be a number from 0 to 1, got {value!r}",
        "value": repr(value),
        "expected": "a number from 0 to 1",
    }


class TestGroupQualityChecks:
    """A group read from data is checked field by field: rates, ratings and reason counts."""

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("smoothed_acceptance", 0),
            ("smoothed_acceptance", 1),
            ("acceptance_rate", None),
            ("acceptance_rate", 1.0),
            ("average_rating", None),
            ("average_rating", 1),
            ("average_rating", 5.0),
            ("top_reasons", ()),
            ("top_reasons", (("bad_data", 1), ("timing", 2))),
        ],
    )
    def test_the_ends_of_each_range_are_accepted(self, field: str, value: object) -> None:
        """Rates of 0 and 1, ratings of 1 and 5, no reasons or counts of 1 and more all stand."""
        assert value == getattr(GroupQuality(**{**GROUP, field: value}), field)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("field", "value", "kind"),
        [
            ("smoothed_acceptance", 1.5, "ValidationError"),
            ("smoothed_acceptance", -0.01, "ValidationError"),
            ("interval_high", math.inf, "ValidationError"),
            ("smoothed_acceptance", True, "WrongType"),
            ("acceptance_rate", "0.5", "WrongType"),
            ("won_rate", 2, "ValidationError"),
        ],
    )
    def test_a_rate_must_be_a_number_from_0_to_1(
        self, field: str, value: object, kind: str
    ) -> None:
        """A rate outside [0, 1] (or infinite) is a ValidationError, a bool or text a WrongType, naming the field."""
        assert share_refusal(field, value, kind) == refusal(
            lambda: GroupQuality(**{**GROUP, field: value})  # type: ignore[arg-type]
        )

    @pytest.mark.parametrize(
        ("value", "kind"),
        [
            (0.99, "ValidationError"),
            (5.01, "ValidationError"),
            (6, "ValidationError"),
            (math.nan, "ValidationError"),
            (False, "WrongType"),
            ("4", "WrongType"),
        ],
    )
    def test_a_rating_must_be_from_1_to_5(self, value: object, kind: str) -> None:
        """A mean rating below 1, above 5 or not a number is refused, naming the field."""
        assert (
            kind,
            {
                "path": "/average_rating",
                "message": f"GroupQuality.average_rating must be a number from 1 to 5 or None, got {value!r}",
                "value": repr(value),
                "expected": None,
            },
        ) == refusal(lambda: GroupQuality(**{**GROUP, "average_rating": value}))  # type: ignore[arg-type]

    def test_reasons_must_be_a_sequence(self) -> None:
        """Reasons that are no sequence of pairs are a WrongType naming the field."""
        assert (
            "WrongType",
            {
                "path": "/top_reasons",
                "message": "GroupQuality.top_reasons must be a sequence of (code, count) pairs, got 5",
                "value": "5",
                "expected": None,
            },
        ) == refusal(lambda: GroupQuality(**{**GROUP, "top_reasons": 5}))  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "pair",
        [
            ["bad_data", 1],
            ("bad_data",),
            ("bad_data", 1, 2),
            (7, 1),
            ("  ", 1),
            ("bad_data", 1.0),
            ("bad_data", True),
            ("bad_data", 0),
        ],
    )
    def test_each_reason_must_be_a_code_and_a_count(self, pair: object) -> None:
        """A reason that is not a (non-empty code, whole count >= 1) pair is refused at its index."""
        assert (
            "ValidationError",
            {
                "path": "/top_reasons/1",
                "message": f"GroupQuality.top_reasons[1] must be {PAIR}, got {pair!r}",
                "value": repr(pair),
                "expected": PAIR,
            },
        ) == refusal(
            lambda: GroupQuality(**{**GROUP, "top_reasons": (("timing", 2), pair)})  # type: ignore[arg-type]
        )

    @pytest.mark.parametrize("value", [0, -1.5])
    def test_a_prior_must_be_above_0(self, value: float) -> None:
        """A prior of 0 or below is refused, naming the field and what it must be."""
        assert (
            "ValidationError",
            {
                "path": "/prior_alpha",
                "message": f"LeadQualityReport.prior_alpha must be a finite number above 0, got {value!r}",
                "value": repr(value),
                "expected": "a finite number above 0",
            },
        ) == refusal(
            lambda: LeadQualityReport(
                by="channel", prior_alpha=value, prior_beta=1.0, level=0.9, groups=()
            )
        )

    def test_a_prior_must_be_finite(self) -> None:
        """An infinite prior is refused as not finite, naming the field."""
        assert (
            "ValidationError",
            {
                "path": "/prior_beta",
                "message": "LeadQualityReport.prior_beta must be a finite number, got inf",
                "value": None,
                "expected": None,
            },
        ) == refusal(
            lambda: LeadQualityReport(
                by="channel", prior_alpha=1.0, prior_beta=math.inf, level=0.9, groups=()
            )
        )

    def test_a_tiny_prior_is_above_0(self) -> None:
        """Any prior above 0 stands, however small."""
        assert (
            1e-300
            == LeadQualityReport(
                by="channel", prior_alpha=1e-300, prior_beta=1.0, level=0.9, groups=()
            ).prior_alpha
        )


class TestLeadQualityReport:
    def test_records_are_the_groups_rows_worst_first(self) -> None:
        """The report's records are its groups' rows, in the report's order."""
        leads = [journey(1, "ppc", "rejected"), journey(2, "events", "sal")]
        report = lead_quality(leads, [], lifecycle=W)
        assert [g.to_records()[0] for g in report.groups] == report.to_records()
        assert ["ppc", "events"] == [r["key"] for r in report.to_records()]


class TestBeta:
    @given(p=st.floats(0.001, 0.999), a=st.floats(0.05, 500), b=st.floats(0.05, 500))
    def test_quantile_inverts_the_cdf(self, p: float, a: float, b: float) -> None:
        """The quantile x of p brackets p: the CDF is below p just under x and above it just over x."""
        x = beta_quantile(p, a, b)
        step = 1e-9 * x
        assert beta_cdf(x - step, a, b) <= p + 1e-12
        assert p - 1e-12 <= beta_cdf(x + step, a, b)

    @pytest.mark.parametrize("x", [-0.5, 0.0])
    def test_the_cdf_is_0_at_and_below_0(self, x: float) -> None:
        """No mass lies at or below 0."""
        assert 0.0 == beta_cdf(x, 2.0, 3.0)

    @pytest.mark.parametrize("x", [1.0, 1.5])
    def test_the_cdf_is_1_at_and_above_1(self, x: float) -> None:
        """All the mass lies at or below 1."""
        assert 1.0 == beta_cdf(x, 2.0, 3.0)

    @pytest.mark.parametrize("x", [0.1, 0.3, 0.5, 0.7, 0.9])
    def test_the_cdf_has_its_closed_forms(self, x: float) -> None:
        """Beta(2, 1) has CDF x^2, Beta(1, 2) 1 - (1 - x)^2 and Beta(2, 2) 3x^2 - 2x^3, on both sides of the mean."""
        assert {"2,1": x**2, "1,2": 1 - (1 - x) ** 2, "2,2": 3 * x**2 - 2 * x**3} == pytest.approx(
            {"2,1": beta_cdf(x, 2, 1), "1,2": beta_cdf(x, 1, 2), "2,2": beta_cdf(x, 2, 2)},
            rel=1e-12,
        )

    @pytest.mark.parametrize("p", [0.01, 0.25, 0.5, 0.81])
    def test_the_quantile_has_its_closed_form(self, p: float) -> None:
        """Beta(2, 1) has CDF x^2, so its p quantile is the square root of p."""
        assert math.sqrt(p) == pytest.approx(beta_quantile(p, 2, 1), rel=1e-12)

    def test_matches_scipy(self) -> None:
        """Quantiles agree with scipy's Beta distribution."""
        stats = pytest.importorskip("scipy.stats")
        for p, a, b in [(0.05, 4, 6), (0.95, 200, 3000), (0.3, 0.5, 0.5)]:
            assert stats.beta.ppf(p, a, b) == pytest.approx(beta_quantile(p, a, b), abs=1e-9)


class TestFeedbackCoverage:
    def test_share_delays_and_target(self) -> None:
        """Coverage counts MQLs with feedback by `at`, with delays and a deadline."""
        leads = [journey(i, "ppc", "mql") for i in range(5)] + [journey(9, "ppc", "inquiry")]
        feedback = [
            verdict(0, True, hours=3),
            verdict(0, True, hours=90),
            verdict(1, True, hours=51),
            verdict(2, True, hours=200),
        ]
        result = feedback_coverage(
            leads, feedback, at=T + 100 * H, target=timedelta(hours=48), lifecycle=W
        )
        assert {
            "handed_over": 5,
            "with_feedback": 2,
            "coverage": 0.4,
            "median_delay": 2 * H,
            "p90_delay": 50 * H,
            "within_target": 1,
            "within_target_share": 0.2,
        } == attrs.asdict(result, filter=attrs.filters.exclude("at", "target"))
        assert 1 == len(result.to_records())

    def test_nothing_handed_over(self) -> None:
        """Without MQLs the shares are None, not zero."""
        result = feedback_coverage([journey(1, "a", "inquiry")], [], at=T, lifecycle=W)
        assert {"handed_over": 0, "coverage": None, "median_delay": None} == {
            "handed_over": result.handed_over,
            "coverage": result.coverage,
            "median_delay": result.median_delay,
        }

    def test_bad_inputs_refused(self) -> None:
        """A naive `at` or a non-positive target is refused."""
        with pytest.raises(NaiveDatetime):
            feedback_coverage([], [], at=datetime(2026, 1, 1), lifecycle=W)
        with pytest.raises(ValidationError, match="target"):
            feedback_coverage([], [], at=T, target=timedelta(0), lifecycle=W)


COVERAGE = {
    "at": T,
    "handed_over": 4,
    "with_feedback": 2,
    "coverage": 0.5,
    "median_delay": 5 * H,
    "p90_delay": 70 * H,
    "target": 48 * H,
    "within_target": 1,
    "within_target_share": 0.25,
}


class TestFeedbackCoverageEdges:
    """Feedback coverage at its edges: moments equal to ``at`` or to the target, and its own checks."""

    def test_a_handover_and_feedback_at_the_moment_measured_count(self) -> None:
        """A lead reaching MQL at ``at`` is handed over; feedback given at ``at`` counts, at delay 0."""
        lead = journey(1, "ppc", "mql")  # MQL at T + 1 h
        result = feedback_coverage([lead], [verdict(1, True, hours=1)], at=T + H, lifecycle=W)
        assert (1, 1, timedelta(0)) == (
            result.handed_over,
            result.with_feedback,
            result.median_delay,
        )

    def test_feedback_exactly_at_the_target_is_within_it(self) -> None:
        """MQL at 1 h, feedback at 49 h: a delay of exactly the 48 h target is within it."""
        result = feedback_coverage(
            [journey(1, "ppc", "mql")],
            [verdict(1, True, hours=49)],
            at=T + 100 * H,
            target=48 * H,
            lifecycle=W,
        )
        assert (1, 1.0) == (result.within_target, result.within_target_share)

    def test_leads_after_one_not_handed_over_still_count(self) -> None:
        """An inquiry, or a lead marketing did not source, is skipped without ending the count."""
        leads = [journey(1, None, "mql"), journey(2, "ppc", "inquiry"), journey(3, "ppc", "mql")]
        everyone = feedback_coverage(leads, [], at=T + 100 * H, lifecycle=W)
        sourced = feedback_coverage(
            leads, [], at=T + 100 * H, lifecycle=W, sourced_by=SourcedBy.LEAD_SOURCE
        )
        assert (2, 1) == (everyone.handed_over, sourced.handed_over)

    def test_the_90th_percentile_is_the_nearest_rank(self) -> None:
        """Delays of 1 to 19 hours: the median is the 10th (ceil(9.5)), the 90th percentile the 18th (ceil(17.1))."""
        leads = [journey(i, "ppc", "mql") for i in range(19)]
        notes = [verdict(i, True, hours=2 + i) for i in range(19)]  # MQL at 1 h: delay i + 1 hours
        result = feedback_coverage(leads, notes, at=T + 100 * H, lifecycle=W)
        assert (10 * H, 18 * H) == (result.median_delay, result.p90_delay)

    def test_one_delay_is_its_own_median_and_90th_percentile(self) -> None:
        """A single delay is both quantiles (rank ceil(0.5) = ceil(0.9) = 1)."""
        result = feedback_coverage(
            [journey(1, "ppc", "mql")], [verdict(1, True, hours=6)], at=T + 100 * H, lifecycle=W
        )
        assert (5 * H, 5 * H) == (result.median_delay, result.p90_delay)

    @pytest.mark.parametrize(
        ("call", "kind", "start"),
        [
            ({"lifecycle": "w"}, "WrongType", "feedback_coverage lifecycle must be a Lifecycle"),
            ({"leads": [5]}, "WrongType", "feedback_coverage leads[0] must be a Lead"),
            (
                {"feedback": [5]},
                "WrongType",
                "feedback_coverage feedback[0] must be a LeadFeedback",
            ),
            (
                {"target": timedelta(0)},
                "ValidationError",
                "feedback_coverage target must be a positive",
            ),
            (
                {"at": datetime(2026, 1, 1)},
                "NaiveDatetime",
                "feedback_coverage at must be timezone-aware",
            ),
        ],
    )
    def test_each_argument_is_named(self, call: dict[str, object], kind: str, start: str) -> None:
        """A bad argument is refused, naming feedback_coverage and the argument."""
        arguments: dict[str, object] = {
            "leads": [],
            "feedback": [],
            "at": T,
            "lifecycle": W,
            **call,
        }
        with pytest.raises(ValidationError) as caught:
            feedback_coverage(**arguments)  # type: ignore[arg-type]
        assert (kind, True) == (type(caught.value).__name__, str(caught.value).startswith(start))

    @pytest.mark.parametrize(
        ("changes", "path", "message"),
        [
            (
                {"with_feedback": 5},
                "/with_feedback",
                "FeedbackCoverage.with_feedback must be at most FeedbackCoverage.handed_over (4), got 5",
            ),
            (
                {"within_target": 3},
                "/within_target",
                "FeedbackCoverage.within_target must be at most FeedbackCoverage.with_feedback (2), got 3",
            ),
            (
                {"median_delay": 80 * H},
                "/median_delay",
                (
                    "FeedbackCoverage.median_delay must be at most FeedbackCoverage.p90_delay "
                    "(datetime.timedelta(days=2, seconds=79200)), got datetime.timedelta(days=3, seconds=28800)"
                ),
            ),
            (
                {"target": None},
                "/within_target",
                (
                    "FeedbackCoverage.within_target must be given exactly when target is, got "
                    "within_target=1 with target=None"
                ),
            ),
        ],
    )
    def test_a_coverage_read_from_data_is_consistent(
        self, changes: dict[str, object], path: str, message: str
    ) -> None:
        """Counts within their totals, median at most the 90th percentile, a target count only with a target."""
        _, error = refusal(lambda: FeedbackCoverage(**{**COVERAGE, **changes}))  # type: ignore[arg-type]
        assert (path, message) == (error["path"], error["message"])

    def test_a_target_count_without_a_target_shows_its_value(self) -> None:
        """The refusal of a target count without a target carries the count."""
        _, error = refusal(lambda: FeedbackCoverage(**{**COVERAGE, "target": None}))  # type: ignore[arg-type]
        assert "1" == error["value"]

    def test_the_repr_and_the_plain_row(self) -> None:
        """The repr shows the share and median (dashes when none); the row has float hours by default."""
        nothing = FeedbackCoverage(
            at=T,
            handed_over=0,
            with_feedback=0,
            coverage=None,
            median_delay=None,
            p90_delay=None,
            target=None,
            within_target=None,
            within_target_share=None,
        )
        some = FeedbackCoverage(**COVERAGE)  # type: ignore[arg-type]
        assert [
            "FeedbackCoverage(2/4 MQLs with feedback (50%), median delay 5.0 h)",
            "FeedbackCoverage(0/0 MQLs with feedback (-), median delay -)",
        ] == [repr(some), repr(nothing)]
        assert (5.0, 70.0, 48.0) == tuple(
            some.to_records()[0][name] for name in ("median_delay", "p90_delay", "target")
        )
        assert (5 * H, 70 * H) == tuple(
            some.to_records(exact=True)[0][name] for name in ("median_delay", "p90_delay")
        )


class TestFeedbackCoveragePopulation:
    """Who counts as handed over: every MQL, or only the marketing-sourced ones."""

    T = datetime(2026, 3, 2, tzinfo=timezone.utc)

    def _leads(self) -> list[Lead]:
        web = LeadSource(channel="webinar")
        outbound = LeadSource(channel="outbound")
        return [
            Lead.create(id="M", created_at=self.T, stage="mql", source=web),
            Lead.create(id="S", created_at=self.T, stage="mql", source=outbound),
        ]

    def test_sourced_by_keeps_marketing_sourced_leads(self) -> None:
        """With sourced_by, a lead sales sourced itself is left out of the share."""
        notes = [LeadFeedback(lead_id="S", member_id="s1", at=self.T, accepted=True)]
        at = self.T + timedelta(days=1)
        everyone = feedback_coverage(self._leads(), notes, at=at, lifecycle=W)
        marketing = feedback_coverage(
            self._leads(), notes, at=at, sourced_by=SourcedBy.LEAD_SOURCE, lifecycle=W
        )
        assert (2, 1) == (everyone.handed_over, everyone.with_feedback)
        assert (1, 0) == (marketing.handed_over, marketing.with_feedback)

    def test_handover_stage_of_another_lifecycle(self) -> None:
        """HubSpot leads are handed over at 'marketingqualifiedlead'."""
        lead = Lead.create(
            id="H", created_at=self.T, stage="marketingqualifiedlead", lifecycle=HUBSPOT
        )
        at = self.T + timedelta(days=1)
        assert 0 == feedback_coverage([lead], [], at=at, lifecycle=W).handed_over
        assert 1 == feedback_coverage([lead], [], at=at, lifecycle=HUBSPOT).handed_over

    def test_sourced_by_must_be_a_definition(self) -> None:
        """A string is not a SourcedBy member."""
        with pytest.raises(ValidationError, match="sourced_by must be a SourcedBy"):
            feedback_coverage([], [], at=self.T, sourced_by="lead_source", lifecycle=W)  # type: ignore[arg-type]


class TestLeadQualityCounts:
    @settings(max_examples=60, deadline=None)
    @given(sla_organisations(), st.integers(1, 4), st.sampled_from(["channel", "owner_id"]))
    def test_merged_parts_report_the_whole(self, org: Organisation, k: int, by: str) -> None:
        """The report of merged partial counts is lead_quality over all the leads."""
        leads, feedback = org.leads, org.feedback
        parts = [
            lead_quality_counts(leads[i::k], feedback, lifecycle=org.lifecycle, by=by)
            for i in range(k)
        ]
        merged = LeadQualityCounts.merge(parts)
        expected = lead_quality(leads, feedback, lifecycle=org.lifecycle, by=by, prior_strength=4)
        assert expected == merged.report(prior_strength=4)
        assert merged == lead_quality_counts(leads, feedback, lifecycle=org.lifecycle, by=by)
        assert LeadQualityCounts.merge(reversed(parts)) == merged
        assert merged + LeadQualityCounts(by=by) == merged

    def test_groupings_do_not_merge(self) -> None:
        """Counts grouped by different keys raise ValidationError."""
        with pytest.raises(ValidationError, match="share one grouping"):
            LeadQualityCounts(by="channel") + LeadQualityCounts(by="owner_id")

    def test_bad_counts_are_refused(self) -> None:
        """A negative tally or a reason counted zero times is refused naming the field."""
        with pytest.raises(ValidationError, match="GroupCounts.leads"):
            GroupCounts(leads=-1)
        with pytest.raises(ValidationError, match="GroupCounts.reasons"):
            GroupCounts(reasons={"bad_data": 0})


def _message(call: Callable[[], object]) -> str:
    with pytest.raises(SalesmarkError) as caught:
        call()
    return str(caught.value)


class TestQualityShown:
    def test_a_group_shows_its_rating_or_a_dash(self) -> None:
        """The repr shows acceptance, the smoothed rate with its interval, wins and the rating."""
        assert [
            "GroupQuality('ppc': 1/2 accepted, smoothed 50% [20%, 80%], won 0, rating 4.0)",
            "GroupQuality('ppc': 1/2 accepted, smoothed 50% [20%, 80%], won 0, rating -)",
        ] == [
            repr(GroupQuality(**GROUP)),  # type: ignore[arg-type]
            repr(GroupQuality(**{**GROUP, "ratings": 0, "average_rating": None})),  # type: ignore[arg-type]
        ]

    def test_a_group_row_joins_its_reasons(self) -> None:
        """Reasons read 'code (count)' joined by a comma and a space."""
        group = GroupQuality(**{**GROUP, "top_reasons": (("bad_data", 2), ("timing", 1))})  # type: ignore[arg-type]
        assert "bad_data (2), timing (1)" == group.to_records()[0]["top_reasons"]

    def test_a_report_names_its_worst_group(self) -> None:
        """The repr names the first (worst) group, and nothing when there is none."""
        group = GroupQuality(**GROUP)  # type: ignore[arg-type]
        reports = [
            LeadQualityReport(
                by="channel", prior_alpha=5.0, prior_beta=5.0, level=0.9, groups=groups
            )
            for groups in ((group,), ())
        ]
        assert [
            "LeadQualityReport(by='channel', 1 groups, prior Beta(5.00, 5.00), worst 'ppc')",
            "LeadQualityReport(by='channel', 0 groups, prior Beta(5.00, 5.00))",
        ] == [repr(r) for r in reports]

    def test_an_unknown_group_lists_the_known_ones(self) -> None:
        """Asking for a group the report does not hold names it and the groups there are."""
        report = LeadQualityReport(
            by="channel",
            prior_alpha=5.0,
            prior_beta=5.0,
            level=0.9,
            groups=(GroupQuality(**GROUP),),  # type: ignore[arg-type]
        )
        assert "LeadQualityReport has no group 'x'; groups are ['ppc']" == _message(
            lambda: report.group("x")
        )

    def test_counts_show_their_groups_and_leads(self) -> None:
        """The counts' repr gives the grouping, the groups and the leads in them."""
        counts = LeadQualityCounts(groups={"a": GroupCounts(leads=2), "b": GroupCounts(leads=1)})
        assert "LeadQualityCounts(by='channel', 2 groups, 3 leads)" == repr(counts)


class TestCountsByHand:
    def test_group_counts_add_field_by_field_and_merge_reasons(self) -> None:
        """Adding counts adds each tally and each reason's count."""
        one = GroupCounts(
            leads=3,
            mqls=2,
            accepted=1,
            sqls=1,
            opportunities=1,
            won=1,
            ratings=2,
            rating_total=7,
            reasons={"bad_data": 1},
        )
        two = GroupCounts(
            leads=1, mqls=1, rating_total=3, ratings=1, reasons={"bad_data": 2, "timing": 1}
        )
        assert (
            GroupCounts(
                leads=4,
                mqls=3,
                accepted=1,
                sqls=1,
                opportunities=1,
                won=1,
                ratings=3,
                rating_total=10,
                reasons={"bad_data": 3, "timing": 1},
            )
            == one + two
        )

    def test_counts_add_only_counts(self) -> None:
        """Adding anything else is a TypeError, as for any type without that sum."""
        with pytest.raises(TypeError):
            GroupCounts() + 1  # type: ignore[operator]

    def test_stages_count_where_the_waterfall_says(self) -> None:
        """A lead at SQL is no opportunity and one at opportunity no win: each stage counts its own."""
        counts = lead_quality_counts(
            [journey(1, "ppc", "sql"), opportunity(2, "ppc")], [], lifecycle=W
        ).groups["ppc"]
        assert {"mqls": 2, "accepted": 2, "sqls": 2, "opportunities": 1, "won": 0} == {
            name: getattr(counts, name)
            for name in ("mqls", "accepted", "sqls", "opportunities", "won")
        }

    def test_in_hubspot_accepting_is_qualifying(self) -> None:
        """HubSpot accepts at salesqualifiedlead, the stage before the opportunity: that is its SQL too."""
        lead = Lead.create(id="H1", created_at=T, stage="marketingqualifiedlead", lifecycle=HUBSPOT)
        lead = lead.advance("salesqualifiedlead", at=T + H, lifecycle=HUBSPOT)
        counts = lead_quality_counts([lead], [], lifecycle=HUBSPOT).groups["(none)"]
        assert (1, 1, 0) == (counts.accepted, counts.sqls, counts.opportunities)

    def test_only_rejections_give_stage_reasons(self) -> None:
        """A rejected lead later recycled for timing gives its rejection reason, not the recycling's."""
        lead = journey(1, "ppc", "rejected").advance("recycled", at=T + 5 * H, reason="timing")
        assert {"bad_data": 1} == dict(
            lead_quality_counts([lead], [], lifecycle=W).groups["ppc"].reasons
        )

    def test_counts_group_by_channel_by_default(self) -> None:
        """Without ``by``, leads group by their channel."""
        counts = lead_quality_counts(
            [journey(1, "ppc", "mql"), journey(2, "events", "mql")], [], lifecycle=W
        )
        assert ("channel", ["events", "ppc"]) == (counts.by, sorted(counts.groups))


class TestReportByHand:
    def test_the_default_prior_weighs_ten_pseudo_mqls(self) -> None:
        """Pooled acceptance 1/2 and strength 10: Beta(5, 5); with no MQLs at all, also Beta(5, 5)."""
        leads = [journey(1, "ppc", "sal"), journey(2, "ppc", "rejected")]
        assert [(5.0, 5.0), (5.0, 5.0)] == [
            (r.prior_alpha, r.prior_beta)
            for r in (lead_quality(leads, [], lifecycle=W), LeadQualityCounts().report())
        ]

    def test_a_given_prior_level_and_top_are_used(self) -> None:
        """Prior (1, 3), level 0.5 and one reason: as given."""
        leads = [journey(1, "ppc", "rejected"), journey(2, "ppc", "rejected")]
        notes = [verdict(1, False), verdict(2, False, reasons=(FeedbackReason.NO_BUDGET,))]
        report = lead_quality(leads, notes, lifecycle=W, prior=(1, 3), level=0.5, top=1)
        assert (1.0, 3.0, 0.5, 1) == (
            report.prior_alpha,
            report.prior_beta,
            report.level,
            len(report.groups[0].top_reasons),
        )

    def test_the_interval_is_equal_tailed(self) -> None:
        """Prior (1, 1) and 0 of 1 accepted: Beta(1, 2), whose q quantile is 1 - sqrt(1 - q)."""
        group = lead_quality([journey(1, "ppc", "rejected")], [], lifecycle=W, prior=(1, 1)).groups[
            0
        ]
        # level 0.9 leaves 0.05 in each tail
        assert (1 - math.sqrt(0.95), 1 - math.sqrt(0.05)) == pytest.approx(
            (group.interval_low, group.interval_high), rel=1e-9
        )

    def test_rates_are_shares_of_the_mqls(self) -> None:
        """Of 2 MQLs, 1 reached opportunity and won: rates 1/2."""
        group = lead_quality(
            [opportunity(1, "ppc").advance("won", at=T + 9 * H), journey(2, "ppc", "mql")],
            [],
            lifecycle=W,
        ).groups[0]
        assert (0.5, 0.5, 0.5) == (group.sql_rate, group.opportunity_rate, group.won_rate)

    def test_three_reasons_by_default(self) -> None:
        """Of four reasons, the three most given (ties by code) are reported unless ``top`` says otherwise."""
        counts = LeadQualityCounts(
            groups={"x": GroupCounts(leads=1, reasons={"a": 4, "b": 3, "c": 2, "d": 1})}
        )
        four = (
            FeedbackReason.WRONG_PERSONA,
            FeedbackReason.TOO_SMALL,
            FeedbackReason.NO_BUDGET,
            FeedbackReason.DUPLICATE,
        )
        report = lead_quality(
            [journey(1, "ppc", "rejected")], [verdict(1, False, reasons=four)], lifecycle=W
        )
        assert [("a", "b", "c"), ("duplicate", "no_budget", "too_small")] == [
            tuple(code for code, _ in r.groups[0].top_reasons) for r in (counts.report(), report)
        ]

    def test_a_report_checks_its_prior(self) -> None:
        """The counts' report refuses a prior that is not two numbers above 0."""
        assert (
            "lead_quality prior must be (alpha, beta) with both finite and above 0, got (0, 1)"
            == _message(lambda: LeadQualityCounts().report(prior=(0, 1)))
        )

    def test_reasons_by_count_then_code(self) -> None:
        """Reasons b once, a once, c twice: c first, then a before b."""
        counts = LeadQualityCounts(
            groups={"x": GroupCounts(leads=1, reasons={"b": 1, "a": 1, "c": 2})}
        )
        assert (("c", 2), ("a", 1), ("b", 1)) == counts.report().groups[0].top_reasons

    def test_equal_rates_put_more_mqls_first(self) -> None:
        """1 of 2 and 2 of 4 both smooth to 1/2 under Beta(1, 1): the group with 4 MQLs comes first."""
        counts = LeadQualityCounts(
            groups={
                "small": GroupCounts(leads=2, mqls=2, accepted=1),
                "large": GroupCounts(leads=4, mqls=4, accepted=2),
            }
        )
        # (1 + 1) / (2 + 2) = (1 + 2) / (2 + 4) = 1/2
        assert ["large", "small"] == [g.key for g in counts.report(prior=(1, 1)).groups]


class TestQualityMessages:
    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: GroupCounts(reasons=5), "GroupCounts.reasons must be a Mapping, got 5"),
            (lambda: GroupCounts(reasons={1: 1}), "GroupCounts.reasons key must be a str, got 1"),
            (
                lambda: LeadQualityCounts(groups=5),
                "LeadQualityCounts.groups must be a Mapping, got 5",
            ),
            (
                lambda: LeadQualityCounts(groups={1: GroupCounts()}),
                "LeadQualityCounts.groups key must be a str, got 1",
            ),
            (
                lambda: LeadQualityCounts(groups={"a": 5}),
                "LeadQualityCounts.groups['a'] must be a GroupCounts, got 5",
            ),
            (
                lambda: LeadQualityCounts.merge([5]),
                "LeadQualityCounts.merge parts[0] must be a LeadQualityCounts, got 5",
            ),
            (
                lambda: LeadQualityCounts.merge(
                    [LeadQualityCounts(), LeadQualityCounts(by="campaign_id")]
                ),
                "LeadQualityCounts.merge parts must share one grouping, got 'channel' and 'campaign_id'",
            ),
            (
                lambda: lead_quality([], [], lifecycle=5),
                "lead_quality lifecycle must be a Lifecycle, got 5",
            ),
            (
                lambda: lead_quality([5], [], lifecycle=W),
                "lead_quality leads[0] must be a Lead, got 5",
            ),
            (
                lambda: lead_quality([], [5], lifecycle=W),
                "lead_quality feedback[0] must be a LeadFeedback, got 5",
            ),
            (
                lambda: lead_quality([], [], lifecycle=W, top=-1),
                "lead_quality top must be a whole number >= 0, got -1",
            ),
            (
                lambda: lead_quality([], [], lifecycle=W, level=0),
                "lead_quality level must be a probability in (0, 1), got 0",
            ),
            (
                lambda: lead_quality([5], [], lifecycle=W, prior=(0, 1)),
                "lead_quality prior must be (alpha, beta) with both finite and above 0, got (0, 1)",
            ),
        ],
    )
    def test_each_refusal_names_what_it_refuses(
        self, call: Callable[[], object], message: str
    ) -> None:
        """Each refusal names the field or argument and the value (parameters before the leads)."""
        assert message == _message(call)

    def test_a_weak_prior_is_allowed(self) -> None:
        """Half a pseudo-MQL is still above 0: with no MQLs, Beta(0.25, 0.25)."""
        report = lead_quality([], [], lifecycle=W, prior_strength=0.5)
        assert (0.25, 0.25) == (report.prior_alpha, report.prior_beta)
