"""Feedback coverage: whether sales gives feedback on the leads marketing hands over, and how fast.

:func:`feedback_coverage` measures the share of handed-over leads that got sales
feedback and the delay to it; :func:`~salesmark.scoring.lead_quality` reads what that
feedback says.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._records import records
from salesmark._time import elapsed, instant, require_aware
from salesmark.errors import ValidationError
from salesmark.feedback import LeadFeedback
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle
from salesmark.sourcing import SourcedBy, is_marketing_sourced

__all__ = ["FeedbackCoverage", "feedback_coverage"]


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

    at: datetime = attrs.field(validator=v.aware)
    handed_over: int = attrs.field(validator=v.whole())
    with_feedback: int = attrs.field(validator=v.whole())
    coverage: float | None = attrs.field(validator=rf.number(minimum=0, maximum=1, optional=True))
    median_delay: timedelta | None = attrs.field(validator=rf.duration(optional=True))
    p90_delay: timedelta | None = attrs.field(validator=rf.duration(optional=True))
    target: timedelta | None = attrs.field(validator=rf.duration(optional=True, positive=True))
    within_target: int | None = attrs.field(validator=rf.optional_whole())
    within_target_share: float | None = attrs.field(
        validator=rf.number(minimum=0, maximum=1, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        rf.at_most(self, ("with_feedback", "handed_over"), ("within_target", "with_feedback"))
        rf.ordered(self, "median_delay", "p90_delay")
        if (self.target is None) != (self.within_target is None):
            msg = (
                "FeedbackCoverage.within_target must be given exactly when target is, got "
                f"within_target={self.within_target!r} with target={self.target!r}"
            )
            raise ValidationError(msg, path="/within_target", value=self.within_target)

    def __repr__(self) -> str:
        share = "-" if self.coverage is None else f"{self.coverage:.0%}"
        median = _display.duration(self.median_delay)
        return (
            f"FeedbackCoverage({self.with_feedback}/{self.handed_over} MQLs with feedback "
            f"({share}), median delay {median})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """The measurement as a single row, for ``pandas.DataFrame``.

        Durations are float hours; ``exact=True`` keeps them as ``timedelta``.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from salesmark import DEMAND_WATERFALL, Lead, LeadFeedback
            >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> note = LeadFeedback(lead_id="L1", member_id="s1", at=t + timedelta(hours=5), accepted=True)
            >>> coverage = feedback_coverage([Lead.create(id="L1", created_at=t, stage="mql")], [note],
            ...                              lifecycle=DEMAND_WATERFALL, at=t + timedelta(days=1))
            >>> [(r["handed_over"], r["coverage"], r["median_delay"]) for r in coverage.to_records()]
            [(1, 1.0, 5.0)]
            >>> coverage.to_records(exact=True)[0]["median_delay"]
            datetime.timedelta(seconds=18000)
        """
        rows = [attrs.asdict(self, recurse=False)]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _nearest_rank(ordered: list[timedelta], q: float) -> timedelta:
    """The ``q`` quantile (0.5 or 0.9) of ``ordered`` by nearest rank: the ``ceil(q * n)``-th."""
    return ordered[-(-int(q * 100) * len(ordered) // 100) - 1]


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
        FeedbackCoverage(2/4 MQLs with feedback (50%), median delay 5.0 h)
        >>> from salesmark.sourcing import SourcedBy
        >>> from salesmark import LeadSource
        >>> leads[0] = attrs.evolve(leads[0], source=LeadSource(channel="webinar"))
        >>> feedback_coverage(leads, notes, lifecycle=W, at=t + timedelta(days=5), sourced_by=SourcedBy.LEAD_SOURCE)
        FeedbackCoverage(1/1 MQLs with feedback (100%), median delay 5.0 h)
    """
    require_aware(at, "feedback_coverage at")
    if target is not None:
        v.require_positive_duration(target, "feedback_coverage target")
    v.require_optional(sourced_by, SourcedBy, "feedback_coverage sourced_by")
    v.require(lifecycle, Lifecycle, "feedback_coverage lifecycle")
    stage = lifecycle.handover
    leads = distinct(leads, "feedback_coverage leads", Lead)
    # each lead's first feedback at or before ``at``, compared on the UTC time line
    first: dict[str, datetime] = {}
    first_instant: dict[str, datetime] = {}
    cutoff = instant(at)
    for item in v.argument_items(feedback, "feedback_coverage feedback", LeadFeedback):
        when = instant(item.at)
        earliest = first_instant.get(item.lead_id)
        if when <= cutoff and (earliest is None or when < earliest):
            first[item.lead_id], first_instant[item.lead_id] = item.at, when
    handed = 0
    delays: list[timedelta] = []
    for lead in leads:
        entered = lead.entered(stage)
        if entered is None or instant(entered) > cutoff:
            continue
        if sourced_by is not None and not is_marketing_sourced(lead, sourced_by):
            continue
        handed += 1
        given = first.get(lead.id)
        if given is not None:
            delays.append(max(elapsed(entered, given), timedelta(0)))
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
