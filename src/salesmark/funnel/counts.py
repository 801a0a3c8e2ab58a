"""Funnel counts: every stage of the lifecycle in both views, with stays open and done.

A :class:`FunnelCounts` is a mergeable aggregate: ``FunnelCounts()`` is the empty value
and ``a + b`` adds the funnels of two disjoint sets of leads exactly, stays and
percentiles included, so partitions can be counted anywhere and summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark.durations import Durations
from salesmark.errors import ValidationError
from salesmark.funnel._survival import survival_median

__all__ = ["FunnelCounts", "StageConversion", "StageTime", "View"]

View = Literal["cohort", "activity"]
"""Which funnel view: ``"cohort"`` (leads created in the period) or ``"activity"``
(stage entries that happened in the period)."""


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def check_view(view: object) -> View:
    """``view`` if it is ``"cohort"`` or ``"activity"``, else a clear error."""
    if view == "cohort":
        return "cohort"
    if view == "activity":
        return "activity"
    msg = f"funnel view must be 'cohort' or 'activity', got {view!r}"
    raise ValidationError(msg)


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
    """How long leads stayed in one stage: the stays that ended, and those still open.

    Attributes:
        stage: The stage.
        count: Completed stays measured.
        median: Median of the completed stays only, or ``None`` when there were none.
        p90: 90th percentile of the completed stays only, or ``None``.
        open: Stays still open (the lead is still in the stage).
        survival_median: The Kaplan-Meier median over completed and open stays (open
            ones censored where they are measured), or ``None`` when it cannot be
            computed: no stay at all, open stays of unknown length (a cohort counted
            without ``as_of``), or so many open that survival never reaches one half.
    """

    stage: str
    count: int
    median: timedelta | None
    p90: timedelta | None
    open: int = 0
    survival_median: timedelta | None = None

    def __repr__(self) -> str:
        median, p90, survival = (
            "None" if d is None else _display.duration(d)
            for d in (self.median, self.p90, self.survival_median)
        )
        opened = f", open={self.open}, survival median={survival}" if self.open else ""
        return f"StageTime({self.stage}: n={self.count}, median={median}, p90={p90}{opened})"


def _size(self: FunnelCounts) -> int:
    """How many stages the funnel has (none while ``stages`` is not a tuple, which its check refuses)."""
    return len(self.stages) if isinstance(self.stages, tuple) else 0


def _zeros(self: FunnelCounts) -> tuple[int, ...]:
    return (0,) * _size(self)


def _nothing(self: FunnelCounts) -> tuple[Durations, ...]:
    return (Durations(),) * _size(self)


def _progression(self: FunnelCounts) -> tuple[str, ...]:
    return self.stages


@attrs.frozen(kw_only=True)
class FunnelCounts:
    """Funnel counts for one period in both views; a mergeable aggregate.

    ``FunnelCounts()`` (no stages) is the empty value; ``a + b`` adds two funnels of the
    same stages (and the same ``as_of``), so ``sum(parts, FunnelCounts())`` over
    partitions of the leads equals the funnel of all of them. Funnels of the same leads
    over adjacent periods also add up to the funnel of the joined period for the
    counts and finished stays (cohorts, entries and finished stays are disjoint by
    time; open stays are each period's own).

    Attributes:
        stages: Every stage counted: the progression first, in order, then the
            lifecycle's other stages (lost, rejected, recycled, disqualified, ...) in
            its display order.
        progression: The leading stages that form the progression (by default all).
        cohort: Per stage, the leads created in the period that reached it: on the
            progression, it or a later stage of the progression; off it, the stage itself.
        activity: Per stage, the entries into it that happened in the period.
        cohort_stays: Per stage, the finished stays in it of the cohort's leads.
        activity_stays: Per stage, the stays in it that ended in the period.
        cohort_open: Per stage, the cohort's leads still in it (in no terminal stage).
        cohort_open_stays: Per stage, how long those have stayed so far, measured to
            ``as_of`` (empty when the funnel was counted without ``as_of``).
        activity_open: Per stage, the stays open at the period's end (or at ``as_of``
            when earlier), measured to that instant.
        cohort_velocity: Creation-to-won durations of the cohort's won leads.
        activity_velocity: Creation-to-won durations of the leads won in the period.
        as_of: The instant the data was cut at (only stage changes strictly before it
            count), or ``None`` for all of the data.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import DEMAND_WATERFALL as W, Lead, Period, funnel_counts
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> a = Lead.create(id="A", created_at=t).advance("mql", at=t + timedelta(hours=4))
        >>> b = Lead.create(id="B", created_at=t + timedelta(days=1))
        >>> q1 = Period.quarter(2026, 1)
        >>> whole = funnel_counts([a, b], q1, lifecycle=W)
        >>> whole.cohort[:6], whole.progression[-1]
        ((2, 1, 0, 0, 0, 0), 'won')
        >>> funnel_counts([a], q1, lifecycle=W) + funnel_counts([b], q1, lifecycle=W) == whole
        True
    """

    stages: tuple[str, ...] = attrs.field(
        default=(), converter=rf.lenient_tuple, validator=rf.tuple_of(str)
    )
    progression: tuple[str, ...] = attrs.field(
        default=attrs.Factory(_progression, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.tuple_of(str),
    )
    cohort: tuple[int, ...] = attrs.field(
        default=attrs.Factory(_zeros, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.counts,
    )
    activity: tuple[int, ...] = attrs.field(
        default=attrs.Factory(_zeros, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.counts,
    )
    cohort_stays: tuple[Durations, ...] = attrs.field(
        default=attrs.Factory(_nothing, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.tuple_of(Durations),
    )
    activity_stays: tuple[Durations, ...] = attrs.field(
        default=attrs.Factory(_nothing, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.tuple_of(Durations),
    )
    cohort_open: tuple[int, ...] = attrs.field(
        default=attrs.Factory(_zeros, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.counts,
    )
    cohort_open_stays: tuple[Durations, ...] = attrs.field(
        default=attrs.Factory(_nothing, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.tuple_of(Durations),
    )
    activity_open: tuple[Durations, ...] = attrs.field(
        default=attrs.Factory(_nothing, takes_self=True),
        converter=rf.lenient_tuple,
        validator=rf.tuple_of(Durations),
    )
    cohort_velocity: Durations = attrs.field(factory=Durations, validator=v.instance_of(Durations))
    activity_velocity: Durations = attrs.field(
        factory=Durations, validator=v.instance_of(Durations)
    )
    as_of: datetime | None = attrs.field(default=None, validator=v.optional_aware)

    def __attrs_post_init__(self) -> None:
        n = len(self.stages)
        if self.stages[: len(self.progression)] != self.progression:
            msg = (
                f"FunnelCounts.progression must be the leading stages, got "
                f"{self.progression!r} for stages {self.stages!r}"
            )
            raise ValidationError(
                msg, path="/progression", value=self.progression, expected="the leading stages"
            )
        for name in (
            "cohort", "activity", "cohort_stays", "activity_stays",
            "cohort_open", "cohort_open_stays", "activity_open",
        ):  # fmt: skip
            if len(getattr(self, name)) != n:
                msg = (
                    f"FunnelCounts.{name} must hold one entry per stage ({n}), "
                    f"got {len(getattr(self, name))}"
                )
                raise ValidationError(msg, path=v.pointer(name), expected=f"{n} entries")
        top = len(self.progression)
        for index in range(1, top):
            if self.cohort[index] > self.cohort[index - 1]:
                msg = (
                    f"FunnelCounts.cohort must not increase down the progression, got "
                    f"{self.cohort[index - 1]} at {self.stages[index - 1]!r} and "
                    f"{self.cohort[index]} at {self.stages[index]!r}"
                )
                raise ValidationError(
                    msg,
                    path=v.pointer("cohort", index),
                    value=self.cohort[index],
                    expected=f"at most {self.cohort[index - 1]}",
                )

    @classmethod
    def empty(cls, stages: Iterable[str], progression: Iterable[str] | None = None) -> FunnelCounts:
        """A funnel of ``stages`` with every count zero (all on the progression by default).

        Example:
            >>> FunnelCounts.empty(("mql", "sql")).cohort
            (0, 0)
        """
        names = tuple(stages)
        return cls(stages=names, progression=names if progression is None else tuple(progression))

    def __repr__(self) -> str:
        if not self.stages:
            return "FunnelCounts(empty)"
        p = len(self.progression)

        def line(values: tuple[int, ...]) -> str:
            path = " > ".join(f"{s} {c}" for s, c in zip(self.progression, values[:p], strict=True))
            others = ", ".join(
                f"{s} {c}" for s, c in zip(self.stages[p:], values[p:], strict=True) if c
            )
            return path + (f" ({others})" if others else "")

        return f"FunnelCounts(cohort: {line(self.cohort)}; activity: {line(self.activity)})"

    def __add__(self, other: FunnelCounts) -> FunnelCounts:
        if not isinstance(other, FunnelCounts):
            return NotImplemented
        return FunnelCounts.merge([self, other])

    @classmethod
    def merge(cls, parts: Iterable[FunnelCounts]) -> FunnelCounts:
        """The funnel of all ``parts`` together, added up in one pass (k at once).

        Folding many parts with ``sum`` rebuilds the funnel once per part; this adds
        every stage's counts and stays across all parts at once. No part gives the empty
        value ``FunnelCounts()``, which changes nothing in a merge.

        Raises:
            WrongType: If a part is not a FunnelCounts.
            ValidationError: If parts count different stages or progressions, or were
                counted as of different instants.

        Example:
            >>> a = FunnelCounts(stages=("mql", "sql"), cohort=(4, 1), activity=(2, 0))
            >>> FunnelCounts.merge([a, FunnelCounts(), a]).cohort
            (8, 2)
            >>> FunnelCounts.merge([])
            FunnelCounts(empty)
        """
        full = [p for p in v.argument_items(parts, "FunnelCounts.merge parts", cls) if p.stages]
        if len(full) <= 1:
            return full[0] if full else cls()
        first = full[0]
        for other in full[1:]:
            if (first.stages, first.progression) != (other.stages, other.progression):
                msg = (
                    f"cannot add funnels of different stages: {first.stages!r} (progression "
                    f"{first.progression!r}) and {other.stages!r} (progression {other.progression!r})"
                )
                raise ValidationError(msg)
            if first.as_of != other.as_of:
                msg = f"cannot add funnels counted as of different instants: {first.as_of} and {other.as_of}"
                raise ValidationError(msg)

        def counts(name: str) -> tuple[int, ...]:
            return tuple(map(sum, zip(*(getattr(p, name) for p in full), strict=True)))

        def stays(name: str) -> tuple[Durations, ...]:
            return tuple(map(Durations.merge, zip(*(getattr(p, name) for p in full), strict=True)))

        return cls(
            stages=first.stages,
            progression=first.progression,
            cohort=counts("cohort"),
            activity=counts("activity"),
            cohort_stays=stays("cohort_stays"),
            activity_stays=stays("activity_stays"),
            cohort_open=counts("cohort_open"),
            cohort_open_stays=stays("cohort_open_stays"),
            activity_open=stays("activity_open"),
            cohort_velocity=Durations.merge(p.cohort_velocity for p in full),
            activity_velocity=Durations.merge(p.activity_velocity for p in full),
            as_of=first.as_of,
        )

    def counts(self, view: View = "cohort") -> Mapping[str, int]:
        """The counts of ``view`` by stage name, every stage included.

        Example:
            >>> dict(FunnelCounts.empty(("mql", "sql")).counts("activity"))
            {'mql': 0, 'sql': 0}
        """
        values = self.cohort if check_view(view) == "cohort" else self.activity
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
            >>> f = FunnelCounts(stages=("mql", "sql"), cohort=(4, 1), activity=(0, 2))
            >>> f.conversions()
            (StageConversion(mql->sql: 1/4 = 0.2500),)
            >>> f.conversions("activity")
            (StageConversion(mql->sql: 2/0 = None),)
        """
        values = self.cohort if check_view(view) == "cohort" else self.activity
        path = self.progression
        return tuple(
            StageConversion(
                source=path[i],
                target=path[i + 1],
                entered=values[i],
                converted=values[i + 1],
                rate=_ratio(values[i + 1], values[i]),
            )
            for i in range(len(path) - 1)
        )

    def end_to_end(self, view: View = "cohort") -> Decimal | None:
        """Last stage of the progression over its first, in ``view`` (won per inquiry), or ``None``.

        Example:
            >>> print(FunnelCounts().end_to_end())
            None
        """
        values = self.cohort if check_view(view) == "cohort" else self.activity
        p = len(self.progression)
        return _ratio(values[p - 1], values[0]) if p else None

    def time_in_stage(self, view: View = "cohort") -> tuple[StageTime, ...]:
        """Per stage: the finished stays (median, 90th percentile), the open ones, and the survival median.

        A stay runs from entering a stage to the next stage change. The cohort view
        measures the cohort's leads (open stays to ``as_of``); the activity view the
        stays that ended in the period and those still open at its end. The median and
        90th percentile are of finished stays only; ``survival_median`` counts the open
        ones too (Kaplan-Meier), so a stage most leads are still waiting in is not
        reported as quick.

        Example:
            >>> FunnelCounts.empty(("mql",)).time_in_stage()
            (StageTime(mql: n=0, median=None, p90=None),)
        """
        cohort = check_view(view) == "cohort"
        times = []
        for i, stage in enumerate(self.stages):
            done = self.cohort_stays[i] if cohort else self.activity_stays[i]
            if cohort:
                still = self.cohort_open[i]
                measured = self.cohort_open_stays[i]
                known = self.as_of is not None or still == 0
            else:
                measured = self.activity_open[i]
                still, known = measured.count, True
            times.append(
                StageTime(
                    stage=stage,
                    count=done.count,
                    median=done.median(),
                    p90=done.percentile("0.9"),
                    open=still,
                    survival_median=survival_median(done, measured) if known else None,
                )
            )
        return tuple(times)

    def velocity(self, view: View = "cohort") -> StageTime:
        """End-to-end velocity: creation to the last stage of the progression (won).

        Example:
            >>> FunnelCounts.empty(("mql", "won")).velocity()
            StageTime(won: n=0, median=None, p90=None)
        """
        durations = self.cohort_velocity if check_view(view) == "cohort" else self.activity_velocity
        return StageTime(
            stage=self.progression[-1] if self.progression else "",
            count=durations.count,
            median=durations.median(),
            p90=durations.percentile("0.9"),
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain dict per stage, for ``pandas.DataFrame``; durations in hours.

        Example:
            >>> FunnelCounts.empty(("mql", "sql")).to_records()[0]["cohort_rate_to_next"]
        """
        p = len(self.progression)
        nothing = [None] * (len(self.stages) - p + 1)
        cohort_rates = [c.rate for c in self.conversions("cohort")] + nothing
        activity_rates = [c.rate for c in self.conversions("activity")] + nothing
        times_c = self.time_in_stage("cohort")
        times_a = self.time_in_stage("activity")
        rows = [
            row(
                stage=stage,
                on_progression=i < p,
                cohort=self.cohort[i],
                cohort_rate_to_next=cohort_rates[i],
                activity=self.activity[i],
                activity_rate_to_next=activity_rates[i],
                cohort_median_hours=times_c[i].median,
                cohort_p90_hours=times_c[i].p90,
                cohort_open=times_c[i].open,
                cohort_survival_median_hours=times_c[i].survival_median,
                activity_median_hours=times_a[i].median,
                activity_p90_hours=times_a[i].p90,
                activity_open=times_a[i].open,
                activity_survival_median_hours=times_a[i].survival_median,
            )
            for i, stage in enumerate(self.stages)
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame

    def _repr_html_(self) -> str:
        """The funnel as bars: one row per stage, its cohort and activity counts and rates on."""
        onward = {
            view: {c.source: c.rate for c in self.conversions(view)}
            for view in ("cohort", "activity")
        }

        def shown(count: int, rate: Decimal | None) -> str:
            return f"{count:,}" if rate is None else f"{count:,} ({rate:.0%} on)"

        bars = [
            (
                stage,
                [
                    (c, shown(c, onward["cohort"].get(stage))),
                    (a, shown(a, onward["activity"].get(stage))),
                ],
            )
            for stage, c, a in zip(self.stages, self.cohort, self.activity, strict=True)
        ]
        return _display.bars(bars, caption=repr(self), headers=("cohort", "activity"))
