"""The funnel: how many leads reached each lifecycle stage, how fast, and at what rate.

Two views answer two questions a revenue analyst asks about a :class:`~salesmark.period.Period`:

* **cohort** — of the leads *created* in the period, how far did each get (by the time
  of the data)? A lead counts at every stage of the lifecycle's ``progression`` up to the
  furthest one it ever reached, so cohort counts never increase down the funnel.
* **activity** — how many *stage entries* happened in the period, whenever the lead was
  created? Every entry counts, so a lead recycled and qualified again is a second MQL.

:func:`funnel_counts` builds a :class:`FunnelCounts` in one pass over the leads;
:func:`funnel_by` splits it by a lead field or a key function.
Both are mergeable aggregates: ``FunnelCounts()`` is the empty value and ``a + b``
combines partial funnels of disjoint sets of leads exactly, so partitions can be
counted separately (in other processes, or on a distributed engine) and summed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

import attrs

from salesmark import _validators as v
from salesmark._records import row
from salesmark._time import elapsed
from salesmark.durations import Durations
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.leads import Lead, LeadKey, lead_key
from salesmark.lifecycle import Lifecycle
from salesmark.period import Period

__all__ = [
    "FunnelCounts",
    "FunnelSplit",
    "StageConversion",
    "StageTime",
    "View",
    "funnel_by",
    "funnel_counts",
]

View = Literal["cohort", "activity"]
"""Which funnel view: ``"cohort"`` (leads created in the period) or ``"activity"``
(stage entries that happened in the period)."""


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


@attrs.frozen(kw_only=True)
class StageConversion:
    """The conversion from one stage of the progression to the next.

    Attributes:
        source: The stage converted from.
        target: The next stage.
        entered: Leads (cohort) or entries (activity) at ``source``.
        converted: Leads (cohort) or entries (activity) at ``target``.
        rate: ``converted / entered`` to four decimals, or ``None`` when nothing entered.
    """

    source: str
    target: str
    entered: int
    converted: int
    rate: Decimal | None

    def __repr__(self) -> str:
        return f"StageConversion({self.source}->{self.target}: {self.converted}/{self.entered} = {self.rate})"


@attrs.frozen(kw_only=True)
class StageTime:
    """How long leads stayed in one stage.

    Attributes:
        stage: The stage.
        count: Completed stays measured.
        median: Median stay, or ``None`` when there were none.
        p90: 90th percentile stay, or ``None``.
    """

    stage: str
    count: int
    median: timedelta | None
    p90: timedelta | None

    def __repr__(self) -> str:
        return f"StageTime({self.stage}: n={self.count}, median={self.median}, p90={self.p90})"


def _check_view(view: str) -> None:
    if view not in ("cohort", "activity"):
        msg = f"funnel view must be 'cohort' or 'activity', got {view!r}"
        raise ValidationError(msg)


@attrs.frozen(kw_only=True)
class FunnelCounts:
    """Funnel counts for one period in both views; a mergeable aggregate.

    ``FunnelCounts()`` (no stages) is the empty value; ``a + b`` adds two funnels of the
    same stages, so ``sum(parts, FunnelCounts())`` over partitions of the leads equals
    the funnel of all of them.
    Funnels of the same leads over adjacent periods also add up to the funnel of the
    joined period (cohorts, entries and finished stays are all disjoint by time).

    Attributes:
        stages: The progression counted, e.g. inquiry, mql, sal, sql, opportunity, won.
        cohort: Per stage, the leads created in the period that reached it or a later
            stage of the progression.
        activity: Per stage, the entries into it that happened in the period.
        cohort_stays: Per stage, the finished stays in it of the cohort's leads.
        activity_stays: Per stage, the stays in it that ended in the period.
        cohort_velocity: Creation-to-won durations of the cohort's won leads.
        activity_velocity: Creation-to-won durations of the leads won in the period.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL as W, Lead, Period
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> a = Lead.create(id="A", created_at=t).advance("mql", at=t + timedelta(hours=4))
        >>> b = Lead.create(id="B", created_at=t + timedelta(days=1))
        >>> q1 = Period.quarter(2026, 1)
        >>> whole = funnel_counts([a, b], q1, lifecycle=W)
        >>> whole.cohort
        (2, 1, 0, 0, 0, 0)
        >>> funnel_counts([a], q1, lifecycle=W) + funnel_counts([b], q1, lifecycle=W) == whole
        True
    """

    stages: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple)
    cohort: tuple[int, ...] = attrs.field(default=(), converter=v.to_tuple)
    activity: tuple[int, ...] = attrs.field(default=(), converter=v.to_tuple)
    cohort_stays: tuple[Durations, ...] = attrs.field(default=(), converter=v.to_tuple)
    activity_stays: tuple[Durations, ...] = attrs.field(default=(), converter=v.to_tuple)
    cohort_velocity: Durations = attrs.field(factory=Durations)
    activity_velocity: Durations = attrs.field(factory=Durations)

    def __attrs_post_init__(self) -> None:
        n = len(self.stages)
        for name in ("cohort", "activity", "cohort_stays", "activity_stays"):
            if len(getattr(self, name)) != n:
                msg = (
                    f"FunnelCounts.{name} must hold one entry per stage ({n}), "
                    f"got {len(getattr(self, name))}"
                )
                raise ValidationError(msg)

    @classmethod
    def empty(cls, stages: Iterable[str]) -> FunnelCounts:
        """A funnel of ``stages`` with every count zero.

        Example:
            >>> FunnelCounts.empty(("mql", "sql")).cohort
            (0, 0)
        """
        names = tuple(stages)
        n = len(names)
        return cls(
            stages=names,
            cohort=(0,) * n,
            activity=(0,) * n,
            cohort_stays=(Durations(),) * n,
            activity_stays=(Durations(),) * n,
        )

    def __repr__(self) -> str:
        if not self.stages:
            return "FunnelCounts(empty)"
        cohort = " > ".join(f"{s} {c}" for s, c in zip(self.stages, self.cohort, strict=True))
        activity = " > ".join(f"{s} {c}" for s, c in zip(self.stages, self.activity, strict=True))
        return f"FunnelCounts(cohort: {cohort}; activity: {activity})"

    def __add__(self, other: FunnelCounts) -> FunnelCounts:
        if not isinstance(other, FunnelCounts):
            return NotImplemented
        if not other.stages:
            return self
        if not self.stages:
            return other
        if self.stages != other.stages:
            msg = f"cannot add funnels of different stages: {self.stages!r} and {other.stages!r}"
            raise ValidationError(msg)
        return FunnelCounts(
            stages=self.stages,
            cohort=tuple(a + b for a, b in zip(self.cohort, other.cohort, strict=True)),
            activity=tuple(a + b for a, b in zip(self.activity, other.activity, strict=True)),
            cohort_stays=tuple(
                a + b for a, b in zip(self.cohort_stays, other.cohort_stays, strict=True)
            ),
            activity_stays=tuple(
                a + b for a, b in zip(self.activity_stays, other.activity_stays, strict=True)
            ),
            cohort_velocity=self.cohort_velocity + other.cohort_velocity,
            activity_velocity=self.activity_velocity + other.activity_velocity,
        )

    def counts(self, view: View = "cohort") -> Mapping[str, int]:
        """The counts of ``view`` by stage name.

        Example:
            >>> dict(FunnelCounts.empty(("mql", "sql")).counts("activity"))
            {'mql': 0, 'sql': 0}
        """
        _check_view(view)
        values = self.cohort if view == "cohort" else self.activity
        return dict(zip(self.stages, values, strict=True))

    def count(self, stage: str, view: View = "cohort") -> int:
        """The count at ``stage`` in ``view``.

        Raises:
            ValidationError: If ``stage`` is not one of the funnel's stages.

        Example:
            >>> FunnelCounts.empty(("mql", "sql")).count("sql")
            0
        """
        counts = self.counts(view)
        name = getattr(stage, "value", stage)
        if name not in counts:
            msg = f"FunnelCounts has no stage {stage!r}; stages are {self.stages!r}"
            raise ValidationError(msg)
        return counts[name]

    def conversions(self, view: View = "cohort") -> tuple[StageConversion, ...]:
        """Stage-to-stage conversion along the progression.

        In the cohort view ``rate`` is the share of the cohort's leads at a stage that
        went on to the next. In the activity view it is the ratio of the period's
        entries into the next stage to its entries into this one (a flow ratio, which
        can exceed 1 when earlier cohorts convert in this period).

        Example:
            >>> f = FunnelCounts(stages=("mql", "sql"), cohort=(4, 1), activity=(0, 2),
            ...                  cohort_stays=(Durations(),) * 2, activity_stays=(Durations(),) * 2)
            >>> f.conversions()
            (StageConversion(mql->sql: 1/4 = 0.2500),)
            >>> f.conversions("activity")
            (StageConversion(mql->sql: 2/0 = None),)
        """
        _check_view(view)
        values = self.cohort if view == "cohort" else self.activity
        return tuple(
            StageConversion(
                source=self.stages[i],
                target=self.stages[i + 1],
                entered=values[i],
                converted=values[i + 1],
                rate=_ratio(values[i + 1], values[i]),
            )
            for i in range(len(self.stages) - 1)
        )

    def end_to_end(self, view: View = "cohort") -> Decimal | None:
        """Last stage over first stage of ``view`` (e.g. won per inquiry), or ``None``.

        Example:
            >>> print(FunnelCounts().end_to_end())
            None
        """
        _check_view(view)
        values = self.cohort if view == "cohort" else self.activity
        return _ratio(values[-1], values[0]) if values else None

    def time_in_stage(self, view: View = "cohort") -> tuple[StageTime, ...]:
        """Median and 90th percentile stay per stage (finished stays only).

        A stay runs from entering a stage to the next stage change.
        The cohort view measures the cohort's leads; the activity view the stays that
        ended in the period.

        Example:
            >>> FunnelCounts.empty(("mql",)).time_in_stage()
            (StageTime(mql: n=0, median=None, p90=None),)
        """
        _check_view(view)
        stays = self.cohort_stays if view == "cohort" else self.activity_stays
        return tuple(
            StageTime(stage=s, count=d.count, median=d.median(), p90=d.percentile("0.9"))
            for s, d in zip(self.stages, stays, strict=True)
        )

    def velocity(self, view: View = "cohort") -> StageTime:
        """End-to-end velocity: creation to the last stage (won), median and 90th percentile.

        Example:
            >>> FunnelCounts.empty(("mql", "won")).velocity()
            StageTime(won: n=0, median=None, p90=None)
        """
        _check_view(view)
        durations = self.cohort_velocity if view == "cohort" else self.activity_velocity
        return StageTime(
            stage=self.stages[-1] if self.stages else "",
            count=durations.count,
            median=durations.median(),
            p90=durations.percentile("0.9"),
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per stage, for ``pandas.DataFrame``; durations in hours.

        Example:
            >>> FunnelCounts.empty(("mql", "sql")).to_records()[0]["cohort_rate_to_next"]
        """
        cohort_rates = [c.rate for c in self.conversions("cohort")] + [None]
        activity_rates = [c.rate for c in self.conversions("activity")] + [None]
        times_c = self.time_in_stage("cohort")
        times_a = self.time_in_stage("activity")
        return [
            row(
                stage=stage,
                cohort=self.cohort[i],
                cohort_rate_to_next=cohort_rates[i],
                activity=self.activity[i],
                activity_rate_to_next=activity_rates[i],
                cohort_median_hours=times_c[i].median,
                cohort_p90_hours=times_c[i].p90,
                activity_median_hours=times_a[i].median,
                activity_p90_hours=times_a[i].p90,
            )
            for i, stage in enumerate(self.stages)
        ]


class _Acc:
    """A mutable accumulator for one funnel (one group) during a scan."""

    __slots__ = ("activity", "astays", "avel", "cstays", "cvel", "furthest")

    def __init__(self, n: int) -> None:
        self.furthest = [0] * n
        self.activity = [0] * n
        self.cstays: list[list[timedelta]] = [[] for _ in range(n)]
        self.astays: list[list[timedelta]] = [[] for _ in range(n)]
        self.cvel: list[timedelta] = []
        self.avel: list[timedelta] = []

    def result(self, stages: tuple[str, ...]) -> FunnelCounts:
        cohort: list[int] = []
        running = 0
        for count in reversed(self.furthest):
            running += count
            cohort.append(running)
        cohort.reverse()
        return FunnelCounts(
            stages=stages,
            cohort=tuple(cohort),
            activity=tuple(self.activity),
            cohort_stays=tuple(Durations._trusted(Counter(s)) for s in self.cstays),
            activity_stays=tuple(Durations._trusted(Counter(s)) for s in self.astays),
            cohort_velocity=Durations._trusted(Counter(self.cvel)),
            activity_velocity=Durations._trusted(Counter(self.avel)),
        )


def _leads(leads: Iterable[Lead], lifecycle: Lifecycle, caller: str) -> Iterable[Lead]:
    v.require(lifecycle, Lifecycle, f"{caller} lifecycle")
    if isinstance(leads, str | bytes | Mapping) or not isinstance(leads, Iterable):
        msg = f"{caller} leads must be an iterable of Lead, got {leads!r}"
        raise WrongType(msg)
    return leads


def _scan(  # noqa: PLR0912, PLR0915 (one tight pass, kept in one frame for speed)
    leads: Iterable[Lead],
    period: Period,
    stages: tuple[str, ...],
    key: Callable[[Lead], Hashable] | None,
) -> dict[Hashable, _Acc]:
    v.require(period, Period, "funnel period")
    index = {s: i for i, s in enumerate(stages)}
    get = index.get
    n = len(stages)
    top = n - 1
    start, end = period.start, period.end
    accs: dict[Hashable, _Acc] = {}
    single = None if key is not None else _Acc(n)
    if single is not None:
        accs[None] = single
    for lead in leads:
        hist = lead.history
        if hist[-1].at < start:
            continue
        created = lead.created_at
        if created >= end:
            continue
        if single is None:
            group = key(lead)  # type: ignore[misc]
            acc = accs.get(group)
            if acc is None:
                acc = accs[group] = _Acc(n)
        else:
            acc = single
        activity = acc.activity
        in_cohort = created >= start
        if len(hist) == 1:
            change = hist[0]
            i = get(change.stage)
            if i is not None:
                if in_cohort:
                    acc.furthest[i] += 1
                if start <= change.at < end:
                    activity[i] += 1
            continue
        furthest = -1
        previous = None
        previous_index: int | None = None
        won_at = None
        for change in hist:
            at = change.at
            i = get(change.stage)
            if previous is not None and previous_index is not None:
                stay = elapsed(previous, at)
                if in_cohort:
                    acc.cstays[previous_index].append(stay)
                if start <= at < end:
                    acc.astays[previous_index].append(stay)
            if i is not None:
                if i > furthest:  # noqa: PLR1730 (faster than max() in the hot loop)
                    furthest = i
                if start <= at < end:
                    activity[i] += 1
                if i == top and won_at is None:
                    won_at = at
            previous = at
            previous_index = i
        if in_cohort and furthest >= 0:
            acc.furthest[furthest] += 1
        if won_at is not None:
            velocity = elapsed(created, won_at)
            if in_cohort:
                acc.cvel.append(velocity)
            if start <= won_at < end:
                acc.avel.append(velocity)
    return accs


def funnel_counts(
    leads: Iterable[Lead],
    period: Period,
    *,
    lifecycle: Lifecycle,
) -> FunnelCounts:
    """Count the funnel of ``period`` in both views, in one pass over the leads.

    Args:
        leads: The leads (an organisation's are ``org.leads``).
        period: The period counted.
        lifecycle: The lifecycle the leads follow (an organisation's is
            ``org.lifecycle``); its ``progression`` gives the stages.

    Returns:
        The counts, stays and velocities of both views.

    Raises:
        ValidationError: If ``period`` is not a Period, ``leads`` is not an iterable
            of leads, or ``lifecycle`` is not a Lifecycle.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import Lead, Period
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="A", created_at=t).advance("mql", at=t + timedelta(hours=6))
        >>> from salesmark import DEMAND_WATERFALL
        >>> f = funnel_counts([lead], Period.quarter(2026, 1), lifecycle=DEMAND_WATERFALL)
        >>> f.counts()["mql"], f.time_in_stage()[0].median
        (1, datetime.timedelta(seconds=21600))
    """
    items = _leads(leads, lifecycle, "funnel_counts")
    stages = lifecycle.progression
    accs = _scan(items, period, stages, None)
    return accs[None].result(stages)


def funnel_by(
    leads: Iterable[Lead],
    period: Period,
    by: LeadKey,
    *,
    lifecycle: Lifecycle,
) -> FunnelSplit:
    """Count the funnel of ``period`` per group of leads (by a field or a key function).

    Args:
        leads: The leads.
        period: The period counted.
        by: A field name (see :func:`~salesmark.leads.lead_key`) or a function of the lead.
        lifecycle: As for :func:`funnel_counts`.

    Returns:
        One :class:`FunnelCounts` per group that has at least one lead in either view.

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
    stages = lifecycle.progression
    accs = _scan(items, period, stages, key)
    name = by if isinstance(by, str) else getattr(by, "__name__", "key")
    return FunnelSplit(
        by=name, groups=tuple((group, acc.result(stages)) for group, acc in accs.items())
    )


def _group_order(item: tuple[Hashable, FunnelCounts]) -> tuple[bool, str]:
    return (item[0] is None, str(item[0]))


def _groups(
    value: Iterable[tuple[Hashable, FunnelCounts]],
) -> tuple[tuple[Hashable, FunnelCounts], ...]:
    merged: dict[Hashable, FunnelCounts] = {}
    for group, counts in value:
        merged[group] = merged.get(group, FunnelCounts()) + counts
    return tuple(sorted(merged.items(), key=_group_order))


@attrs.frozen(kw_only=True)
class FunnelSplit:
    """Funnels per group of leads; mergeable like :class:`FunnelCounts`.

    Attributes:
        by: What the leads were split by (a field name or the key function's name).
        groups: ``(group key, funnel)`` pairs, sorted by key (``None``, leads without a
            value, last).

    Example:
        >>> (FunnelSplit(by="channel") + FunnelSplit(by="channel")).groups
        ()
    """

    by: str
    groups: tuple[tuple[Hashable, FunnelCounts], ...] = attrs.field(default=(), converter=_groups)

    def __repr__(self) -> str:
        return f"FunnelSplit(by={self.by!r}, groups={[g for g, _ in self.groups]!r})"

    def __add__(self, other: FunnelSplit) -> FunnelSplit:
        if not isinstance(other, FunnelSplit):
            return NotImplemented
        if self.by != other.by:
            msg = f"cannot add funnel splits by different keys: {self.by!r} and {other.by!r}"
            raise ValidationError(msg)
        return FunnelSplit(by=self.by, groups=self.groups + other.groups)

    def __getitem__(self, group: Hashable) -> FunnelCounts:
        for key, counts in self.groups:
            if key == group:
                return counts
        msg = f"FunnelSplit by {self.by!r} has no group {group!r}"
        raise UnknownReference(msg)

    def total(self) -> FunnelCounts:
        """The funnel of all groups together (``FunnelCounts()`` when there is no group).

        Example:
            >>> FunnelSplit(by="channel").total()
            FunnelCounts(empty)
        """
        return sum((c for _, c in self.groups), FunnelCounts())

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per group and stage, for ``pandas.DataFrame``.

        Example:
            >>> FunnelSplit(by="channel").to_records()
            []
        """
        return [
            {self.by: group, **row} for group, counts in self.groups for row in counts.to_records()
        ]
