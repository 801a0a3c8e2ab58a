"""Win/loss analysis: who wins, who loses, to whom and why, with Beta intervals and the lead ids.

:func:`win_loss` reads the deals decided in a period (half-open): a deal is decided
when it first enters the won stage, or first moves off the progression from a deal
stage (the opportunity in the demand waterfall: ``opportunity -> lost``). It reports
the win rate by segment (a lead attribute you name), persona, source channel and
owner, each with a Jeffreys Beta interval and the ids of the deals behind it; and the
losses by lost reason and by competitor (:attr:`~salesmark.leads.StageChange.competitor`,
the optional field of the lost move), each as a share of all losses with its interval,
ranked so the reasons that explain most of the losses come first, with their running
share.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import instant
from salesmark.errors import UnknownReference, ValidationError
from salesmark.leads import Lead, StageChange
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.planning._common import (
    LEVEL,
    RATE,
    beta_interval,
    check_level,
    check_org,
    decimal_rate,
)
from salesmark.planning._history import valued_stage

__all__ = ["WinLoss", "WinLossLine", "win_loss"]

WIN_RATE_DIMENSIONS = ("segment", "persona", "source", "owner")
LOSS_DIMENSIONS = ("lost_reason", "competitor")


@attrs.frozen(kw_only=True)
class WinLossLine:
    """One group of decided deals.

    For a win-rate dimension (segment, persona, source, owner) the rate is ``won /
    (won + lost)``; for a loss dimension (lost reason, competitor) it is the group's
    share of all losses, ``lost / all lost``.

    Attributes:
        dimension: The grouping.
        key: The group (``None`` when unknown: no attribute, persona, source, owner,
            reason or competitor recorded).
        won: Deals won in the group (0 for a loss dimension).
        lost: Deals lost in the group.
        rate: The rate to four places, ``None`` without deals.
        low: The lower end of the Jeffreys interval at the result's level.
        high: The upper end.
        cumulative: For a loss dimension, the running share of the losses of this and
            the groups ranked before it; ``None`` for a win-rate dimension.
        lead_ids: The deals, sorted.
    """

    dimension: str = attrs.field(validator=v.non_empty_text)
    key: str | None = attrs.field(validator=v.optional_instance_of(str))
    won: int = attrs.field(validator=v.whole())
    lost: int = attrs.field(validator=v.whole())
    rate: Decimal | None = attrs.field(validator=RATE)
    low: Decimal | None = attrs.field(validator=RATE)
    high: Decimal | None = attrs.field(validator=RATE)
    cumulative: Decimal | None = attrs.field(validator=RATE)
    lead_ids: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))

    def __attrs_post_init__(self) -> None:
        rf.ordered(self, "low", "high")
        rf.equal(self, "lost", len(self.lead_ids) - self.won, "the lead_ids not won")

    def __repr__(self) -> str:
        return (
            f"WinLossLine({self.dimension}={self.key}: {self.won} won, {self.lost} lost, "
            f"rate {self.rate} [{self.low}, {self.high}])"
        )


@attrs.frozen(kw_only=True)
class WinLoss:
    """The win/loss analysis of a period.

    Attributes:
        period: The period the deals were decided in.
        level: The probability of the Beta intervals.
        segment: The attribute the segment lines group by, or ``None``.
        won: Deals won in the period.
        lost: Deals lost in the period.
        win_rate: ``won / (won + lost)`` to four places, ``None`` without deals.
        low: The lower end of its interval.
        high: The upper end.
        lines: The win-rate groups (by dimension, then key) and the loss groups (by
            dimension, then most losses first).
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    level: Fraction = attrs.field(validator=LEVEL)
    segment: str | None = attrs.field(validator=v.optional_text)
    won: int = attrs.field(validator=v.whole())
    lost: int = attrs.field(validator=v.whole())
    win_rate: Decimal | None = attrs.field(validator=RATE)
    low: Decimal | None = attrs.field(validator=RATE)
    high: Decimal | None = attrs.field(validator=RATE)
    lines: tuple[WinLossLine, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(WinLossLine)
    )

    def __attrs_post_init__(self) -> None:
        rf.ordered(self, "low", "high")
        for index, line in enumerate(self.lines):
            if line.won > self.won or line.lost > self.lost:
                msg = (
                    f"WinLoss.lines[{index}] must hold at most the period's {self.won} won and "
                    f"{self.lost} lost deals, got {line.won} won and {line.lost} lost"
                )
                raise ValidationError(msg, path=f"/lines/{index}", value=line)

    def __repr__(self) -> str:
        return f"WinLoss({self.period!r}: {self.won} won, {self.lost} lost, rate {self.win_rate})"

    def by(self, dimension: str) -> tuple[WinLossLine, ...]:
        """The lines of one dimension.

        Raises:
            UnknownReference: If ``dimension`` is not a win-rate or loss dimension.

        Example:
            >>> from salesmark import Organisation
            >>> win_loss(Organisation(name="A", currency="EUR"), Period.month(2026, 1)).by("owner")
            ()
        """
        known = (*WIN_RATE_DIMENSIONS, *LOSS_DIMENSIONS)
        if dimension not in known:
            msg = f"WinLoss.by dimension must be one of {list(known)}, got {dimension!r}"
            raise UnknownReference(msg)
        return tuple(line for line in self.lines if line.dimension == dimension)

    @property
    def top_reasons(self) -> tuple[WinLossLine, ...]:
        """The lost reasons that together explain at least 80% of the losses, most first.

        Example:
            >>> from salesmark import Organisation
            >>> win_loss(Organisation(name="A", currency="EUR"), Period.month(2026, 1)).top_reasons
            ()
        """
        ranked = self.by("lost_reason")
        chosen = []
        for line in ranked:
            chosen.append(line)
            if line.cumulative is not None and line.cumulative >= Decimal("0.8"):
                break
        return tuple(chosen)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per line, for ``pandas.DataFrame``.

        Args:
            exact: Keep exact values (``Decimal``, ``Fraction``, ``timedelta``) rather
                than plain floats.

        Example:
            >>> from salesmark import Organisation
            >>> win_loss(Organisation(name="A", currency="EUR"), Period.month(2026, 1)).to_records(exact=True)
            []
        """
        rows = [
            row(
                dimension=line.dimension,
                key=line.key,
                won=line.won,
                lost=line.lost,
                rate=line.rate,
                low=line.low,
                high=line.high,
                cumulative=line.cumulative,
            )
            for line in self.lines
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


Decided = tuple[Lead, bool, StageChange | None]


def win_loss(
    org: Organisation,
    period: Period,
    *,
    segment: str | None = None,
    level: float | Decimal | str = "0.8",
) -> WinLoss:
    """Win rates by segment, persona, source and owner; losses by reason and competitor.

    A deal counts in ``period`` when it was decided in it: its first entry into the won
    stage, or its first move off the progression from a deal stage (from the first
    stage whose forecast category is pipeline, best case or commit: the opportunity in
    the demand waterfall), whichever came first, falls in the half-open period.

    Args:
        org: The organisation.
        period: The period the deals were decided in.
        segment: The lead attribute that names a segment, e.g. ``"industry"``; ``None``
            leaves the segment lines out.
        level: The probability of the equal-tailed Jeffreys intervals.

    Raises:
        WrongType: If ``org`` is not an Organisation, ``period`` not a Period or
            ``segment`` not a string.
        ValidationError: If ``level`` is not a probability.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, Organisation
        >>> t = datetime(2026, 5, 4, tzinfo=timezone.utc)
        >>> deal = lambda i: Lead.create(id=f"D{i}", created_at=t, stage="opportunity")
        >>> deals = (deal(1).advance("won", at=t), deal(2).advance("lost", at=t, reason="price"),
        ...          deal(3).advance("lost", at=t, reason="competitor", competitor="Globex"))
        >>> report = win_loss(Organisation(name="Acme", currency="EUR", leads=deals), Period.month(2026, 5))
        >>> report
        WinLoss(Period(2026-05-01T00:00:00+00:00 .. 2026-06-01T00:00:00+00:00): 1 won, 2 lost, rate 0.3333)
        >>> report.by("competitor")
        (WinLossLine(competitor=Globex: 0 won, 1 lost, rate 0.5000 [0.1565, 0.8435]), WinLossLine(competitor=None: 0 won, 1 lost, rate 0.5000 [0.1565, 0.8435]))
    """
    company = check_org(org, "win_loss org")
    v.require(period, Period, "win_loss period")
    v.require_optional(segment, str, "win_loss segment")
    chosen = check_level(level, "win_loss level")
    decided = _decided(company, period)
    won = sum(1 for _, is_won, _ in decided if is_won)
    lost = len(decided) - won
    keys: dict[str, Callable[[Lead], str | None]] = {
        "segment": lambda lead: _text(lead.attributes.get(segment)) if segment else None,
        "persona": lambda lead: lead.persona_id,
        "source": lambda lead: lead.channel,
        "owner": lambda lead: lead.owner_id,
    }
    lines: list[WinLossLine] = []
    for dimension in WIN_RATE_DIMENSIONS:
        if dimension == "segment" and segment is None:
            continue
        groups: dict[str | None, list[Decided]] = {}
        for item in decided:
            groups.setdefault(keys[dimension](item[0]), []).append(item)
        ordered = sorted(groups, key=lambda k: (k is None, k or ""))
        lines.extend(_rate_line(dimension, key, groups[key], chosen) for key in ordered)
    losses = [item for item in decided if not item[1]]
    for dimension in LOSS_DIMENSIONS:
        lines.extend(_loss_lines(dimension, losses, chosen))
    interval = beta_interval(won, len(decided), chosen)
    return WinLoss(
        period=period,
        level=chosen,
        segment=segment,
        won=won,
        lost=lost,
        win_rate=decimal_rate(Fraction(won, len(decided)) if decided else None),
        low=None if interval is None else interval[0],
        high=None if interval is None else interval[1],
        lines=lines,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _decided(org: Organisation, period: Period) -> list[Decided]:
    """The deals decided in ``period``: (lead, won?, the losing move or ``None``)."""
    lifecycle = org.lifecycle
    path = lifecycle.progression
    won = path[-1]
    deal_stages = frozenset(path[path.index(valued_stage(lifecycle)) : -1])
    found: list[Decided] = []
    end = instant(period.end)
    for lead in sorted(org.leads, key=lambda item: item.id):
        before: str | None = None
        for change in lead.history:
            if instant(change.at) >= end:
                break
            if change.stage == won:
                if period.contains(change.at):
                    found.append((lead, True, None))
                break
            if before in deal_stages and change.stage not in path:
                if period.contains(change.at):
                    found.append((lead, False, change))
                break
            before = change.stage
    return found


def _rate_line(
    dimension: str, key: str | None, items: list[Decided], level: Fraction
) -> WinLossLine:
    won = sum(1 for _, is_won, _ in items if is_won)
    interval = beta_interval(won, len(items), level)
    return WinLossLine(
        dimension=dimension,
        key=key,
        won=won,
        lost=len(items) - won,
        rate=decimal_rate(Fraction(won, len(items))),
        low=None if interval is None else interval[0],
        high=None if interval is None else interval[1],
        cumulative=None,
        lead_ids=tuple(sorted(lead.id for lead, _, _ in items)),
    )


def _loss_lines(dimension: str, losses: list[Decided], level: Fraction) -> list[WinLossLine]:
    """The losses grouped by reason or competitor, most first (ties by key, unknown last)."""
    groups: dict[str | None, list[str]] = {}
    for lead, _, change in losses:
        move = change if change is not None else None
        key = (
            None
            if move is None
            else (move.reason if dimension == "lost_reason" else move.competitor)
        )
        groups.setdefault(key, []).append(lead.id)
    total = len(losses)
    ordered = sorted(groups, key=lambda k: (-len(groups[k]), k is None, k or ""))
    lines, running = [], 0
    for key in ordered:
        count = len(groups[key])
        running += count
        interval = beta_interval(count, total, level)
        lines.append(
            WinLossLine(
                dimension=dimension,
                key=key,
                won=0,
                lost=count,
                rate=decimal_rate(Fraction(count, total)),
                low=None if interval is None else interval[0],
                high=None if interval is None else interval[1],
                cumulative=decimal_rate(Fraction(running, total)),
                lead_ids=tuple(sorted(groups[key])),
            )
        )
    return lines
