"""Counting the funnel of a period: the whole, per group, and the leads behind a count."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._progress import Progress, tracked
from salesmark._time import instant, require_aware
from salesmark.errors import ValidationError, WrongType
from salesmark.funnel._scan import Layout, scan
from salesmark.funnel.counts import FunnelCounts, View, check_view
from salesmark.funnel.split import FunnelSplit
from salesmark.leads import Lead, LeadKey, lead_key
from salesmark.lifecycle import Lifecycle
from salesmark.period import Period

__all__ = ["funnel_by", "funnel_counts", "funnel_leads"]


def _leads(leads: Iterable[Lead], lifecycle: Lifecycle, caller: str) -> Iterable[Lead]:
    v.require(lifecycle, Lifecycle, f"{caller} lifecycle")
    if isinstance(leads, str | bytes | Mapping) or not isinstance(leads, Iterable):
        msg = f"{caller} leads must be an iterable of Lead, got {leads!r}"
        raise WrongType(msg)
    return leads


def _as_of(as_of: datetime | None, caller: str) -> datetime | None:
    return None if as_of is None else require_aware(as_of, f"{caller} as_of")


def funnel_counts(
    leads: Iterable[Lead],
    period: Period,
    *,
    lifecycle: Lifecycle,
    as_of: datetime | None = None,
    progress: Progress = None,
) -> FunnelCounts:
    """Count the funnel of ``period`` in both views, every stage, in one pass over the leads.

    * **cohort**: of the leads *created* in the period, how far did each get? A lead
      counts at every stage of the lifecycle's progression up to the furthest one it
      reached, and at every other stage it ever entered (lost, rejected, recycled,
      disqualified): cohort counts never increase down the progression.
    * **activity**: how many *stage entries* happened in the period, whenever the lead
      was created? Every entry counts, so a lead recycled and qualified again is a
      second MQL.

    Stays that ended and stays still open are both kept, so time in stage can report a
    survival-aware median beside the median of finished stays
    (:meth:`FunnelCounts.time_in_stage`).

    Args:
        leads: The leads (an organisation's are ``org.leads``).
        period: The period counted.
        lifecycle: The lifecycle the leads follow (an organisation's is
            ``org.lifecycle``); its ``progression`` gives the main path.
        as_of: Cut the data at this instant: only stage changes strictly before it
            count, and the cohort's open stays are measured up to it. ``None`` (the
            default) counts all of the data, and leaves the length of the cohort's open
            stays unknown.
        progress: Called as ``progress(done, total)`` with the leads counted so far (at
            most about a hundred times; a stream of leads is read into a list first, to
            count it), or ``True`` for a tqdm bar (the ``progress`` extra).

    Returns:
        The counts, stays (finished and open) and velocities of both views.

    Raises:
        ValidationError: If ``period`` is not a Period, ``leads`` is not an iterable
            of leads, ``lifecycle`` is not a Lifecycle, or ``as_of`` is naive; or if
            two leads share an id (a lead is counted once, so it is given once).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead, Period
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="A", created_at=t).advance("mql", at=t + timedelta(hours=6))
        >>> f = funnel_counts([lead], Period.quarter(2026, 1), lifecycle=DEMAND_WATERFALL)
        >>> f.counts()["mql"], f.time_in_stage()[0].median
        (1, datetime.timedelta(seconds=21600))
    """
    items = _leads(leads, lifecycle, "funnel_counts")
    v.require(period, Period, "funnel_counts period")
    cut = _as_of(as_of, "funnel_counts")
    layout = Layout(lifecycle)
    counted = tracked(items, progress, what="funnel_counts")
    return scan(counted, period, layout, None, cut, name="funnel_counts leads")[None].result(
        layout, cut
    )


def funnel_by(
    leads: Iterable[Lead],
    period: Period,
    by: LeadKey,
    *,
    lifecycle: Lifecycle,
    as_of: datetime | None = None,
    progress: Progress = None,
) -> FunnelSplit:
    """Count the funnel of ``period`` per group of leads (by a field or a key function).

    Args:
        leads: The leads.
        period: The period counted.
        by: A field name (see :func:`~salesmark.leads.lead_key`) or a function of the lead.
        lifecycle: As for :func:`funnel_counts`.
        as_of: As for :func:`funnel_counts`.
        progress: As for :func:`funnel_counts`.

    Returns:
        One :class:`FunnelCounts` per group that has at least one lead in either view
        (or a stay open at the period's end).

    Raises:
        ValidationError: If ``by`` is not a known field or a function, or as for
            :func:`funnel_counts`.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL, Lead, LeadSource, Period
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> leads = [Lead.create(id=str(i), created_at=t, source=LeadSource(channel=c))
        ...          for i, c in enumerate(["email", "email", "events"])]
        >>> split = funnel_by(leads, Period.quarter(2026, 1), "channel", lifecycle=DEMAND_WATERFALL)
        >>> split
        FunnelSplit(by='channel', groups=['email', 'events'])
        >>> split["email"].count("inquiry")
        2
    """
    key = lead_key(by)
    items = _leads(leads, lifecycle, "funnel_by")
    v.require(period, Period, "funnel_by period")
    cut = _as_of(as_of, "funnel_by")
    layout = Layout(lifecycle)
    tallies = scan(
        tracked(items, progress, what="funnel_by"), period, layout, key, cut, name="funnel_by leads"
    )
    name = by if isinstance(by, str) else getattr(by, "__name__", "key")
    return FunnelSplit(
        by=name, groups=tuple((group, t.result(layout, cut)) for group, t in tallies.items())
    )


def funnel_leads(
    leads: Iterable[Lead],
    period: Period,
    stage: str,
    *,
    lifecycle: Lifecycle,
    view: View = "cohort",
    as_of: datetime | None = None,
) -> tuple[str, ...]:
    """The ids of the leads behind one count of :func:`funnel_counts`: the drill-down.

    In the cohort view, the leads created in the period counted at ``stage`` (once
    each); in the activity view, one id per entry into ``stage`` in the period (a lead
    that entered twice is listed twice). Ids come in the order of ``leads``.

    Raises:
        ValidationError: If ``stage`` is not a stage of ``lifecycle``, or as for
            :func:`funnel_counts`.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import DEMAND_WATERFALL as W, Lead, Period
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> a = Lead.create(id="A", created_at=t).advance("mql", at=t + timedelta(hours=4))
        >>> b = Lead.create(id="B", created_at=t)
        >>> funnel_leads([a, b], Period.quarter(2026, 1), "mql", lifecycle=W)
        ('A',)
    """
    items = _leads(leads, lifecycle, "funnel_leads")
    v.require(period, Period, "funnel_leads period")
    chosen = check_view(view)
    cut = _as_of(as_of, "funnel_leads")
    layout = Layout(lifecycle)
    name = str(getattr(stage, "value", stage))
    if name not in layout.index:
        msg = f"funnel_leads stage {stage!r} is not a stage of lifecycle {lifecycle.name!r}; stages are {list(layout.stages)}"
        raise ValidationError(msg)
    wanted = layout.index[name]
    start, end = instant(period.start), instant(period.end)
    limit = None if cut is None else instant(cut)
    found: list[str] = []
    for lead in distinct(items, "funnel_leads leads", Lead):
        changes = [c for c in lead.history if limit is None or instant(c.at) < limit]
        if chosen == "activity":
            found += [lead.id for c in changes if c.stage == name and start <= instant(c.at) < end]
            continue
        if not changes or not start <= instant(lead.created_at) < end:
            continue
        reached = {layout.index.get(c.stage) for c in changes} - {None}
        on_path = wanted <= layout.top
        furthest = max((i for i in reached if i is not None and i <= layout.top), default=-1)
        if (on_path and furthest >= wanted) or (not on_path and wanted in reached):
            found.append(lead.id)
    return tuple(found)
