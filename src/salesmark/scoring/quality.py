"""The lead-quality feedback loop: how good are the leads each source sends to sales?

:func:`lead_quality` groups leads (by channel, campaign, persona, ...) and reports per
group how many MQLs sales accepted and how far they progressed, sales' average rating
and the most common rejection reasons, with Bayesian smoothing so that a group of
three leads is not ranked above one of three thousand.
:func:`feedback_coverage` measures whether sales gives that feedback at all, and how fast.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._records import row
from salesmark._time import require_aware
from salesmark.errors import UnknownReference, ValidationError
from salesmark.feedback import LeadFeedback
from salesmark.leads import Lead, LeadKey, lead_key
from salesmark.lifecycle import Lifecycle, Stage
from salesmark.scoring import _checks
from salesmark.scoring._beta import beta_quantile
from salesmark.sourcing import SourcedBy, is_marketing_sourced

__all__ = [
    "FeedbackCoverage",
    "GroupQuality",
    "LeadQualityReport",
    "feedback_coverage",
    "lead_quality",
]

NONE_KEY = "(none)"
"""The group key of leads that have no value for the grouping (e.g. no known channel)."""


@attrs.frozen(kw_only=True, repr=False)
class GroupQuality:
    """The quality of the leads of one group, as sales judged them.

    Rates are shares of the group's MQLs and are ``None`` when it has none.

    Attributes:
        key: The group, e.g. the channel name (``"(none)"`` for leads without one).
        leads: Leads in the group.
        mqls: Leads that reached MQL (handed to sales).
        accepted: MQLs that reached SAL (sales accepted them).
        sqls: MQLs that reached SQL.
        opportunities: MQLs that reached opportunity.
        won: MQLs that were won.
        acceptance_rate: ``accepted / mqls``, the raw MQL-to-SAL rate.
        smoothed_acceptance: The posterior mean acceptance rate under the report's beta prior.
        interval_low: Lower end of the equal-tailed credible interval for the acceptance rate.
        interval_high: Upper end of that interval.
        sql_rate: ``sqls / mqls``.
        opportunity_rate: ``opportunities / mqls``.
        won_rate: ``won / mqls``.
        ratings: How many sales ratings the group's leads received.
        average_rating: Mean sales rating (1-5), ``None`` without ratings.
        top_reasons: The most common rejection reason codes with their counts.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead, LeadSource
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> leads = [Lead.create(id=f"L{i}", created_at=t, stage="mql", source=LeadSource(channel="ppc")).advance("sal", at=t)
        ...          for i in range(3)]
        >>> lead_quality(leads, [], lifecycle=DEMAND_WATERFALL, prior=(1, 1)).group("ppc")
        GroupQuality('ppc': 3/3 accepted, smoothed 80% [47%, 99%], won 0, rating -)
    """

    key: str = attrs.field(validator=v.instance_of(str))
    leads: int = attrs.field(validator=v.whole())
    mqls: int = attrs.field(validator=v.whole())
    accepted: int = attrs.field(validator=v.whole())
    sqls: int = attrs.field(validator=v.whole())
    opportunities: int = attrs.field(validator=v.whole())
    won: int = attrs.field(validator=v.whole())
    acceptance_rate: float | None = attrs.field(validator=_checks.optional_share)
    smoothed_acceptance: float = attrs.field(validator=_checks.share)
    interval_low: float = attrs.field(validator=_checks.share)
    interval_high: float = attrs.field(validator=_checks.share)
    sql_rate: float | None = attrs.field(validator=_checks.optional_share)
    opportunity_rate: float | None = attrs.field(validator=_checks.optional_share)
    won_rate: float | None = attrs.field(validator=_checks.optional_share)
    ratings: int = attrs.field(validator=v.whole())
    average_rating: float | None = attrs.field(validator=_checks.optional_rating)
    top_reasons: tuple[tuple[str, int], ...] = attrs.field(converter=v.to_tuple)

    def __repr__(self) -> str:
        rating = "-" if self.average_rating is None else f"{self.average_rating:.1f}"
        return (
            f"GroupQuality({self.key!r}: {self.accepted}/{self.mqls} accepted, smoothed "
            f"{self.smoothed_acceptance:.0%} [{self.interval_low:.0%}, {self.interval_high:.0%}], "
            f"won {self.won}, rating {rating})"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """The group as a single flat row; ``top_reasons`` reads ``"code (count), ..."``.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL, Lead, LeadSource
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> lead = Lead.create(id="L1", created_at=t, stage="mql", source=LeadSource(channel="ppc"))
            >>> report = lead_quality([lead.advance("rejected", at=t, reason="bad_data")], [], lifecycle=DEMAND_WATERFALL)
            >>> [(r["key"], r["mqls"], r["top_reasons"]) for r in report.group("ppc").to_records()]
            [('ppc', 1, 'bad_data (1)')]
        """
        fields = attrs.asdict(self, recurse=False)
        fields["top_reasons"] = ", ".join(f"{code} ({n})" for code, n in self.top_reasons)
        return [row(**fields)]


@attrs.frozen(kw_only=True, repr=False)
class LeadQualityReport:
    """Lead quality per group, worst first.

    Attributes:
        by: The grouping used (its name, or ``"custom"`` for a function).
        prior_alpha: The beta prior's alpha (pseudo-accepted MQLs).
        prior_beta: The beta prior's beta (pseudo-rejected MQLs).
        level: The credible interval's probability, e.g. 0.9.
        groups: One entry per group, sorted by smoothed acceptance rate ascending
            (worst first), then by more MQLs first, then by key.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead, LeadSource
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="L1", created_at=t, stage="mql", source=LeadSource(channel="ppc"))
        >>> lead_quality([lead.advance("sal", at=t)], [], lifecycle=DEMAND_WATERFALL)
        LeadQualityReport(by='channel', 1 groups, prior Beta(9.90, 0.10), worst 'ppc')
    """

    by: str = attrs.field(validator=v.instance_of(str))
    prior_alpha: float = attrs.field(validator=_checks.positive)
    prior_beta: float = attrs.field(validator=_checks.positive)
    level: float = attrs.field(validator=_checks.share)
    groups: tuple[GroupQuality, ...] = attrs.field(
        converter=v.to_tuple, validator=v.items_of(GroupQuality)
    )

    def __repr__(self) -> str:
        worst = f", worst {self.groups[0].key!r}" if self.groups else ""
        return (
            f"LeadQualityReport(by={self.by!r}, {len(self.groups)} groups, prior "
            f"Beta({self.prior_alpha:.2f}, {self.prior_beta:.2f}){worst})"
        )

    def group(self, key: str) -> GroupQuality:
        """The entry of group ``key``.

        Raises:
            UnknownReference: If there is no such group.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL, Lead, LeadSource
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> leads = [Lead.create(id=f"L{i}", created_at=t, stage="mql", source=LeadSource(channel=channel)).advance("sal", at=t)
            ...          for i, channel in enumerate(["ppc", "events", "events"])]
            >>> report = lead_quality(leads, [], lifecycle=DEMAND_WATERFALL, by="channel")
            >>> report.group("events").accepted, report.group("events").mqls
            (2, 2)
            >>> report.group("seo")
            Traceback (most recent call last):
            ...
            salesmark.errors.UnknownReference: LeadQualityReport has no group 'seo'; groups are ['ppc', 'events']
        """
        for entry in self.groups:
            if entry.key == key:
                return entry
        msg = f"LeadQualityReport has no group {key!r}; groups are {[g.key for g in self.groups]}"
        raise UnknownReference(msg)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per group (the row of :meth:`GroupQuality.to_records`), worst first, for pandas.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL, Lead, LeadSource
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> leads = [Lead.create(id=f"L{i}", created_at=t, stage="mql", source=LeadSource(channel=c)).advance("sal", at=t)
            ...          for i, c in enumerate(["ppc", "events"])]
            >>> [r["key"] for r in lead_quality(leads, [], lifecycle=DEMAND_WATERFALL).to_records()]
            ['events', 'ppc']
        """
        return [record for g in self.groups for record in g.to_records()]


def _rejection_codes(lead: Lead, verdicts: list[LeadFeedback]) -> list[str]:
    codes = [r.value for fb in verdicts if not fb.accepted for r in fb.reasons]
    if codes:
        return codes
    return [
        change.reason
        for change in lead.history
        if change.stage in (Stage.REJECTED.value, Stage.DISQUALIFIED.value) and change.reason
    ]


def _check_parameters(prior: object, prior_strength: object, level: object, top: object) -> None:
    if not v.is_finite(prior_strength) or not prior_strength > 0:  # type: ignore[operator]
        msg = f"lead_quality prior_strength must be a finite number above 0, got {prior_strength!r}"
        raise ValidationError(msg)
    if not v.is_finite(level) or not 0 < level < 1:  # type: ignore[operator]
        msg = f"lead_quality level must be a probability in (0, 1), got {level!r}"
        raise ValidationError(msg)
    if prior is not None and (
        not isinstance(prior, tuple | list)
        or len(prior) != 2
        or not all(v.is_finite(x) and x > 0 for x in prior)
    ):
        msg = (
            f"lead_quality prior must be (alpha, beta) with both finite and above 0, got {prior!r}"
        )
        raise ValidationError(msg)
    v.require_whole(top, "lead_quality top")


def _stages(lifecycle: Lifecycle, caller: str) -> tuple[tuple[str, str], ...]:
    """The progression stages lead quality counts, each with its field name."""
    v.require(lifecycle, Lifecycle, f"{caller} lifecycle")
    path = lifecycle.progression
    accepted = lifecycle.accepted
    after = path.index(accepted) + 1
    qualified = path[after] if after < len(path) - 2 else accepted
    return (
        (accepted, "accepted"),
        (qualified, "sqls"),
        (path[-2], "opportunities"),
        (path[-1], "won"),
    )


def lead_quality(
    leads: Iterable[Lead],
    feedback: Iterable[LeadFeedback],
    *,
    lifecycle: Lifecycle,
    by: LeadKey = "channel",
    prior: tuple[float, float] | None = None,
    prior_strength: float = 10.0,
    level: float = 0.9,
    top: int = 3,
) -> LeadQualityReport:
    """Lead quality per group, with Bayesian smoothing, worst first.

    Acceptance and progression come from each lead's stage history, read against the
    lifecycle: an MQL is a lead that reached its handover stage (``mql`` in the demand
    waterfall); it was accepted when it reached the next stage (``sal``); it progressed
    when it reached the stage after that before the opportunity (``sql``; in HubSpot's
    lifecycle, where accepting is ``salesqualifiedlead``, that stage itself), the
    opportunity or the won stage (the last two of the progression).
    Ratings and rejection reasons come from sales' :class:`LeadFeedback`; a rejected
    lead without rejecting feedback contributes the reason code of its ``rejected`` or
    ``disqualified`` stage change instead.

    Smoothing: each group's acceptance rate gets a Beta(alpha, beta) prior.
    By default it is centred on the pooled acceptance rate p of all MQLs, with
    ``prior_strength`` m pseudo-MQLs: alpha = m * p and beta = m * (1 - p) (p is kept
    within [0.01, 0.99]; 0.5 when there are no MQLs).
    Pass ``prior=(alpha, beta)`` to set it yourself (``(1, 1)`` is the uniform prior).
    A group with ``a`` accepted of ``n`` MQLs then has the posterior
    Beta(alpha + a, beta + n - a), whose mean is the smoothed rate and whose
    equal-tailed ``level`` interval is reported: small groups stay near the pooled rate
    with a wide interval instead of topping or tailing the ranking on luck.

    Args:
        leads: The leads to judge.
        feedback: Sales' feedback on them (feedback on other leads is ignored).
        lifecycle: The lifecycle the leads follow (an organisation's is ``org.lifecycle``).
        by: A lead field name of :func:`~salesmark.leads.lead_key` (``"channel"``,
            ``"campaign_id"``, ``"persona_id"``, ``"owner_id"``, ``"account_id"``,
            ``"source"``, ``"medium"``, ``"landing_page"``, ``"attributes.<name>"``) or a
            function from a lead to its group key (``None`` groups as ``"(none)"``).
        prior: An explicit ``(alpha, beta)`` prior, both finite and above 0.
        prior_strength: The weight m of the default prior, in pseudo-MQLs, finite and above 0.
        level: The credible interval's probability, in (0, 1).
        top: How many rejection reason codes to report per group.

    Raises:
        ValidationError: If ``by`` is unknown or a parameter is out of range.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import LeadSource
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> def mql(i, channel, accepted):
        ...     lead = Lead.create(id=f"L{i}", created_at=t, stage="mql", source=LeadSource(channel=channel))
        ...     return lead.advance("sal", at=t) if accepted else lead.advance("rejected", at=t, reason="bad_data")
        >>> leads = [mql(i, "events", i % 2 == 0) for i in range(40)] + [mql(100, "ppc", False), mql(101, "ppc", False)]
        >>> from salesmark import DEMAND_WATERFALL
        >>> report = lead_quality(leads, [], lifecycle=DEMAND_WATERFALL, by="channel")
        >>> [g.key for g in report.groups]
        ['ppc', 'events']
        >>> report.groups[0]
        GroupQuality('ppc': 0/2 accepted, smoothed 40% [18%, 63%], won 0, rating -)
        >>> report.groups[0].top_reasons
        (('bad_data', 2),)
    """
    group_of = lead_key(by)
    stages = _stages(lifecycle, "lead_quality")
    handover = lifecycle.handover
    _check_parameters(prior, prior_strength, level, top)

    leads = distinct(leads, "lead_quality leads", Lead)
    by_lead: dict[str, list[LeadFeedback]] = defaultdict(list)
    for item in v.argument_items(feedback, "lead_quality feedback", LeadFeedback):
        by_lead[item.lead_id].append(item)

    tallies: dict[str, dict[str, Any]] = {}
    for lead in leads:
        raw = group_of(lead)
        key = NONE_KEY if raw is None else str(raw)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = {"counts": Counter(), "ratings": [], "reasons": Counter()}
        counts = tally["counts"]
        counts["leads"] += 1
        verdicts = by_lead.get(lead.id, [])
        tally["ratings"].extend(fb.rating for fb in verdicts if fb.rating is not None)
        reached = {change.stage for change in lead.history}
        if handover not in reached:
            continue
        counts["mqls"] += 1
        for stage, field in stages:
            if stage in reached:
                counts[field] += 1
        tally["reasons"].update(_rejection_codes(lead, verdicts))

    pooled_mqls = sum(t["counts"]["mqls"] for t in tallies.values())
    pooled_accepted = sum(t["counts"]["accepted"] for t in tallies.values())
    if prior is None:
        rate = pooled_accepted / pooled_mqls if pooled_mqls else 0.5
        rate = min(max(rate, 0.01), 0.99)
        alpha, beta = prior_strength * rate, prior_strength * (1.0 - rate)
    else:
        alpha, beta = float(prior[0]), float(prior[1])
    tail = (1.0 - level) / 2.0

    groups = []
    for key, tally in tallies.items():
        c = tally["counts"]
        mqls, accepted = c["mqls"], c["accepted"]
        a, b = alpha + accepted, beta + mqls - accepted
        ratings = tally["ratings"]
        reasons = sorted(tally["reasons"].items(), key=lambda item: (-item[1], item[0]))
        groups.append(
            GroupQuality(
                key=key,
                leads=c["leads"],
                mqls=mqls,
                accepted=accepted,
                sqls=c["sqls"],
                opportunities=c["opportunities"],
                won=c["won"],
                acceptance_rate=accepted / mqls if mqls else None,
                smoothed_acceptance=a / (a + b),
                interval_low=beta_quantile(tail, a, b),
                interval_high=beta_quantile(1.0 - tail, a, b),
                sql_rate=c["sqls"] / mqls if mqls else None,
                opportunity_rate=c["opportunities"] / mqls if mqls else None,
                won_rate=c["won"] / mqls if mqls else None,
                ratings=len(ratings),
                average_rating=sum(ratings) / len(ratings) if ratings else None,
                top_reasons=tuple(reasons[:top]),
            )
        )
    groups.sort(key=lambda g: (g.smoothed_acceptance, -g.mqls, g.key))
    return LeadQualityReport(
        by=by if isinstance(by, str) else "custom",
        prior_alpha=alpha,
        prior_beta=beta,
        level=float(level),
        groups=tuple(groups),
    )


@attrs.frozen(kw_only=True, repr=False)
class FeedbackCoverage:
    """Whether sales gives feedback on the leads marketing hands over, and how fast.

    Attributes:
        at: The moment measured as of.
        handed_over: Leads that reached MQL at or before ``at``.
        with_feedback: Of those, leads with sales feedback given at or before ``at``.
        coverage: ``with_feedback / handed_over`` (``None`` when nothing was handed over).
        median_delay: The median time from MQL to the first feedback.
        p90_delay: The 90th percentile of that time.
        target: The feedback deadline measured against, if given.
        within_target: Leads whose first feedback came within ``target`` of the MQL.
        within_target_share: ``within_target / handed_over``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> feedback_coverage([Lead.create(id="L1", created_at=t, stage="mql")], [],
        ...                   lifecycle=DEMAND_WATERFALL, at=t + timedelta(days=1))
        FeedbackCoverage(0/1 MQLs with feedback (0%), median delay -)
    """

    at: datetime
    handed_over: int
    with_feedback: int
    coverage: float | None
    median_delay: timedelta | None
    p90_delay: timedelta | None
    target: timedelta | None
    within_target: int | None
    within_target_share: float | None

    def __repr__(self) -> str:
        share = "-" if self.coverage is None else f"{self.coverage:.0%}"
        median = "-" if self.median_delay is None else str(self.median_delay)
        return (
            f"FeedbackCoverage({self.with_feedback}/{self.handed_over} MQLs with feedback "
            f"({share}), median delay {median})"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """The measurement as a single row, for ``pandas.DataFrame`` (durations as ``timedelta``).

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from salesmark import DEMAND_WATERFALL, Lead, LeadFeedback
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> note = LeadFeedback(lead_id="L1", member_id="s1", at=t + timedelta(hours=5), accepted=True)
            >>> coverage = feedback_coverage([Lead.create(id="L1", created_at=t, stage="mql")], [note],
            ...                              lifecycle=DEMAND_WATERFALL, at=t + timedelta(days=1))
            >>> [(r["handed_over"], r["coverage"], r["median_delay"]) for r in coverage.to_records()]
            [(1, 1.0, datetime.timedelta(seconds=18000))]
        """
        return [attrs.asdict(self, recurse=False)]


def _nearest_rank(ordered: list[timedelta], q: float) -> timedelta:
    index = max(0, min(len(ordered) - 1, -(-int(q * 100) * len(ordered) // 100) - 1))
    return ordered[index]


def feedback_coverage(
    leads: Iterable[Lead],
    feedback: Iterable[LeadFeedback],
    *,
    lifecycle: Lifecycle,
    at: datetime,
    target: timedelta | None = None,
    sourced_by: SourcedBy | None = None,
) -> FeedbackCoverage:
    """The share of leads marketing handed to sales that got sales feedback, and how fast.

    A lead counts as handed over when it entered the lifecycle's handover stage
    (:attr:`~salesmark.lifecycle.Lifecycle.handover`, ``mql`` in the demand waterfall)
    at or before ``at``; with ``sourced_by``, only the handed-over leads that marketing
    sourced under that definition count (see
    :func:`~salesmark.sourcing.is_marketing_sourced`), the strict reading of "the
    share of marketing-sourced leads that received sales feedback". Its feedback delay
    is from the handover to its first feedback given at or before ``at`` (feedback
    recorded before the handover counts as a delay of zero). Delays use the
    nearest-rank median and 90th percentile.

    Args:
        leads: The leads.
        feedback: Sales' feedback.
        lifecycle: The lifecycle the leads follow (an organisation's is ``org.lifecycle``).
        at: The moment to measure as of (timezone-aware).
        target: A feedback deadline (e.g. the SLA's 48 hours) to count against.
        sourced_by: Count only leads marketing sourced under this definition;
            ``None`` (the default) counts every lead handed over.

    Raises:
        NaiveDatetime: If ``at`` has no timezone.
        ValidationError: If ``target`` is not a positive timedelta or ``sourced_by``
            is not a SourcedBy member.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import LeadFeedback
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> leads = [Lead.create(id=f"L{i}", created_at=t, stage="mql") for i in range(4)]
        >>> notes = [LeadFeedback(lead_id="L0", member_id="s1", at=t + timedelta(hours=5), accepted=True),
        ...          LeadFeedback(lead_id="L1", member_id="s1", at=t + timedelta(hours=70), accepted=True)]
        >>> from salesmark import DEMAND_WATERFALL as W
        >>> feedback_coverage(leads, notes, lifecycle=W, at=t + timedelta(days=5), target=timedelta(hours=48))
        FeedbackCoverage(2/4 MQLs with feedback (50%), median delay 5:00:00)
        >>> from salesmark.sourcing import SourcedBy
        >>> from salesmark import LeadSource
        >>> leads[0] = attrs.evolve(leads[0], source=LeadSource(channel="webinar"))
        >>> feedback_coverage(leads, notes, lifecycle=W, at=t + timedelta(days=5), sourced_by=SourcedBy.LEAD_SOURCE)
        FeedbackCoverage(1/1 MQLs with feedback (100%), median delay 5:00:00)
    """
    require_aware(at, "feedback_coverage at")
    if target is not None:
        v.require_positive_duration(target, "feedback_coverage target")
    v.require_optional(sourced_by, SourcedBy, "feedback_coverage sourced_by")
    v.require(lifecycle, Lifecycle, "feedback_coverage lifecycle")
    stage = lifecycle.handover
    leads = distinct(leads, "feedback_coverage leads", Lead)
    first: dict[str, datetime] = {}
    for item in v.argument_items(feedback, "feedback_coverage feedback", LeadFeedback):
        if item.at <= at and (item.lead_id not in first or item.at < first[item.lead_id]):
            first[item.lead_id] = item.at
    handed = 0
    delays: list[timedelta] = []
    for lead in leads:
        entered = lead.entered(stage)
        if entered is None or entered > at:
            continue
        if sourced_by is not None and not is_marketing_sourced(lead, sourced_by):
            continue
        handed += 1
        given = first.get(lead.id)
        if given is not None:
            delays.append(max(given - entered, timedelta(0)))
    delays.sort()
    within = None if target is None else sum(1 for d in delays if d <= target)
    return FeedbackCoverage(
        at=at,
        handed_over=handed,
        with_feedback=len(delays),
        coverage=len(delays) / handed if handed else None,
        median_delay=_nearest_rank(delays, 0.5) if delays else None,
        p90_delay=_nearest_rank(delays, 0.9) if delays else None,
        target=target,
        within_target=within,
        within_target_share=None if within is None or not handed else within / handed,
    )
