"""The lead-quality feedback loop: how good are the leads each source sends to sales?

:func:`lead_quality` groups leads (by channel, campaign, persona, ...) and reports per
group how many MQLs sales accepted and how far they progressed, sales' average rating
and the most common rejection reasons, with Bayesian smoothing so that a group of
three leads is not ranked above one of three thousand.
:func:`lead_quality_counts` tallies the same without smoothing, as a mergeable
:class:`LeadQualityCounts` whose report is that of all the leads, so parts of the
leads can be counted apart. :func:`feedback_coverage` (in
:mod:`~salesmark.scoring.coverage`) measures whether sales gives that feedback at all,
and how fast.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._frozen import FrozenMap
from salesmark._records import records, row
from salesmark.errors import UnknownReference, ValidationError
from salesmark.feedback import LeadFeedback
from salesmark.leads import Lead, LeadKey, lead_key
from salesmark.lifecycle import Lifecycle, Stage
from salesmark.scoring import _checks
from salesmark.scoring._beta import beta_quantile
from salesmark.scoring.coverage import FeedbackCoverage, feedback_coverage

__all__ = [
    "FeedbackCoverage",
    "GroupCounts",
    "GroupQuality",
    "LeadQualityCounts",
    "LeadQualityReport",
    "feedback_coverage",
    "lead_quality",
    "lead_quality_counts",
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
    top_reasons: tuple[tuple[str, int], ...] = attrs.field(
        converter=_checks.lenient_tuple, validator=_checks.counted_codes
    )

    def __repr__(self) -> str:
        rating = "-" if self.average_rating is None else f"{self.average_rating:.1f}"
        return (
            f"GroupQuality({self.key!r}: {self.accepted}/{self.mqls} accepted, smoothed "
            f"{self.smoothed_acceptance:.0%} [{self.interval_low:.0%}, {self.interval_high:.0%}], "
            f"won {self.won}, rating {rating})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
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
        rows = [row(**fields)]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


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
        converter=rf.lenient_tuple, validator=rf.tuple_of(GroupQuality)
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

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
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
        return [record for g in self.groups for record in g.to_records(exact=exact)]

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


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
    _check_parameters(prior, prior_strength, level, top)
    counts = lead_quality_counts(leads, feedback, lifecycle=lifecycle, by=by)
    return counts.report(prior=prior, prior_strength=prior_strength, level=level, top=top)


def _reasons(value: Mapping[str, int]) -> Mapping[str, int]:
    v.require(value, Mapping, "GroupCounts.reasons")  # type: ignore[type-abstract]
    for code, n in value.items():
        v.require(code, str, "GroupCounts.reasons key")
        v.require_whole(n, f"GroupCounts.reasons[{code!r}]", minimum=1)
    return FrozenMap(value)


def _group_counts(value: Mapping[str, GroupCounts]) -> Mapping[str, GroupCounts]:
    v.require(value, Mapping, "LeadQualityCounts.groups")  # type: ignore[type-abstract]
    for key, group in value.items():
        v.require(key, str, "LeadQualityCounts.groups key")
        v.require(group, GroupCounts, f"LeadQualityCounts.groups[{key!r}]")
    return FrozenMap(value)


@attrs.frozen(kw_only=True)
class GroupCounts:
    """What the leads of one group add up to, before any rate: a mergeable tally.

    Attributes:
        leads: Leads in the group.
        mqls: Leads that reached MQL.
        accepted: MQLs that reached the accepting stage.
        sqls: MQLs that reached the qualified stage.
        opportunities: MQLs that reached opportunity.
        won: MQLs that were won.
        ratings: Sales ratings the group's leads received.
        rating_total: Those ratings added up.
        reasons: Rejection reason code -> how often it was given.

    Example:
        >>> (GroupCounts(leads=1, reasons={"bad_data": 1}) + GroupCounts(leads=2)).leads
        3
    """

    leads: int = attrs.field(default=0, validator=v.whole(0))
    mqls: int = attrs.field(default=0, validator=v.whole(0))
    accepted: int = attrs.field(default=0, validator=v.whole(0))
    sqls: int = attrs.field(default=0, validator=v.whole(0))
    opportunities: int = attrs.field(default=0, validator=v.whole(0))
    won: int = attrs.field(default=0, validator=v.whole(0))
    ratings: int = attrs.field(default=0, validator=v.whole(0))
    rating_total: int = attrs.field(default=0, validator=v.whole(0))
    reasons: Mapping[str, int] = attrs.field(factory=dict, converter=_reasons)

    def __add__(self, other: GroupCounts) -> GroupCounts:
        if not isinstance(other, GroupCounts):
            return NotImplemented
        reasons = Counter(dict(self.reasons))
        reasons.update(dict(other.reasons))
        return GroupCounts(
            reasons=reasons,
            **{name: getattr(self, name) + getattr(other, name) for name in _TALLIES},
        )


_TALLIES = ("leads", "mqls", "accepted", "sqls", "opportunities", "won", "ratings", "rating_total")


@attrs.frozen(kw_only=True, repr=False)
class LeadQualityCounts:
    """The lead-quality tallies of each group: a mergeable aggregate behind :func:`lead_quality`.

    ``LeadQualityCounts()`` is the empty value (grouped by channel); :meth:`merge` adds
    the counts of disjoint sets of leads exactly, and :meth:`report` smooths and ranks
    them, so the report of merged parts equals the report of all the leads.

    Attributes:
        by: The grouping (its name, or ``"custom"`` for a function).
        groups: Group key -> its :class:`GroupCounts`.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead, LeadSource
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="L1", created_at=t, stage="mql", source=LeadSource(channel="ppc"))
        >>> part = lead_quality_counts([lead.advance("sal", at=t)], [], lifecycle=DEMAND_WATERFALL)
        >>> part
        LeadQualityCounts(by='channel', 1 groups, 1 leads)
        >>> LeadQualityCounts.merge([part, part]).groups["ppc"].accepted
        2
    """

    by: str = attrs.field(default="channel", validator=v.non_empty_text)
    groups: Mapping[str, GroupCounts] = attrs.field(factory=dict, converter=_group_counts)

    @classmethod
    def merge(cls, parts: Iterable[LeadQualityCounts]) -> LeadQualityCounts:
        """The counts of disjoint sets of leads together (k at once); no part gives the empty value.

        Raises:
            ValidationError: If the parts are grouped by different keys.

        Example:
            >>> LeadQualityCounts.merge([])
            LeadQualityCounts(by='channel', 0 groups, 0 leads)
        """
        items = v.argument_items(parts, "LeadQualityCounts.merge parts", cls)
        if not items:
            return cls()
        for other in items[1:]:
            if other.by != items[0].by:
                msg = f"LeadQualityCounts.merge parts must share one grouping, got {items[0].by!r} and {other.by!r}"
                raise ValidationError(msg)
        totals: dict[str, dict[str, int]] = {}
        reasons: dict[str, Counter[str]] = {}
        for part in items:
            for key, group in part.groups.items():
                tally = totals.setdefault(key, dict.fromkeys(_TALLIES, 0))
                for name in _TALLIES:
                    tally[name] += getattr(group, name)
                reasons.setdefault(key, Counter()).update(dict(group.reasons))
        return cls(
            by=items[0].by,
            groups={key: GroupCounts(reasons=reasons[key], **t) for key, t in totals.items()},
        )

    def __add__(self, other: LeadQualityCounts) -> LeadQualityCounts:
        if not isinstance(other, LeadQualityCounts):
            return NotImplemented
        return LeadQualityCounts.merge([self, other])

    def __repr__(self) -> str:
        leads = sum(g.leads for g in self.groups.values())
        return f"LeadQualityCounts(by={self.by!r}, {len(self.groups)} groups, {leads} leads)"

    def report(
        self,
        *,
        prior: tuple[float, float] | None = None,
        prior_strength: float = 10.0,
        level: float = 0.9,
        top: int = 3,
    ) -> LeadQualityReport:
        """Smooth and rank the groups: the report of :func:`lead_quality` (same arguments).

        Raises:
            ValidationError: If a parameter is out of range.

        Example:
            >>> LeadQualityCounts().report()
            LeadQualityReport(by='channel', 0 groups, prior Beta(5.00, 5.00))
        """
        _check_parameters(prior, prior_strength, level, top)
        pooled_mqls = sum(g.mqls for g in self.groups.values())
        pooled_accepted = sum(g.accepted for g in self.groups.values())
        if prior is None:
            rate = pooled_accepted / pooled_mqls if pooled_mqls else 0.5
            rate = min(max(rate, 0.01), 0.99)
            alpha, beta = prior_strength * rate, prior_strength * (1.0 - rate)
        else:
            alpha, beta = float(prior[0]), float(prior[1])
        tail = (1.0 - level) / 2.0
        groups = []
        for key, c in self.groups.items():
            mqls, accepted = c.mqls, c.accepted
            a, b = alpha + accepted, beta + mqls - accepted
            reasons = sorted(c.reasons.items(), key=lambda item: (-item[1], item[0]))
            groups.append(
                GroupQuality(
                    key=key,
                    leads=c.leads,
                    mqls=mqls,
                    accepted=accepted,
                    sqls=c.sqls,
                    opportunities=c.opportunities,
                    won=c.won,
                    acceptance_rate=accepted / mqls if mqls else None,
                    smoothed_acceptance=a / (a + b),
                    interval_low=beta_quantile(tail, a, b),
                    interval_high=beta_quantile(1.0 - tail, a, b),
                    sql_rate=c.sqls / mqls if mqls else None,
                    opportunity_rate=c.opportunities / mqls if mqls else None,
                    won_rate=c.won / mqls if mqls else None,
                    ratings=c.ratings,
                    average_rating=c.rating_total / c.ratings if c.ratings else None,
                    top_reasons=tuple(reasons[:top]),
                )
            )
        groups.sort(key=lambda g: (g.smoothed_acceptance, -g.mqls, g.key))
        return LeadQualityReport(
            by=self.by, prior_alpha=alpha, prior_beta=beta, level=float(level), groups=tuple(groups)
        )


def lead_quality_counts(
    leads: Iterable[Lead],
    feedback: Iterable[LeadFeedback],
    *,
    lifecycle: Lifecycle,
    by: LeadKey = "channel",
) -> LeadQualityCounts:
    """Tally lead quality per group, unsmoothed: the mergeable part of :func:`lead_quality`.

    Counting is that of :func:`lead_quality` (same arguments); the counts of disjoint
    sets of leads merge, and :meth:`LeadQualityCounts.report` of the merge is the
    report of all of them.

    Raises:
        ValidationError: If ``by`` is unknown.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> counts = lead_quality_counts([Lead.create(id="L1", created_at=t, stage="mql")], [], lifecycle=DEMAND_WATERFALL)
        >>> counts.groups["(none)"].mqls
        1
    """
    group_of = lead_key(by)
    stages = _stages(lifecycle, "lead_quality")
    handover = lifecycle.handover
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
            tally = tallies[key] = {"counts": Counter(), "reasons": Counter()}
        counts = tally["counts"]
        counts["leads"] += 1
        verdicts = by_lead.get(lead.id, [])
        for fb in verdicts:
            if fb.rating is not None:
                counts["ratings"] += 1
                counts["rating_total"] += fb.rating
        reached = {change.stage for change in lead.history}
        if handover not in reached:
            continue
        counts["mqls"] += 1
        for stage, field in stages:
            if stage in reached:
                counts[field] += 1
        tally["reasons"].update(_rejection_codes(lead, verdicts))
    return LeadQualityCounts(
        by=by if isinstance(by, str) else "custom",
        groups={
            key: GroupCounts(reasons=t["reasons"], **{n: t["counts"][n] for n in _TALLIES})
            for key, t in tallies.items()
        },
    )
