"""Stage probabilities measured from the company's own history, beside the configured ones.

:func:`stage_probabilities` answers, per stage of the lifecycle: of the leads that
reached it, what share went on to win? A CRM's stage probability is a setting
(:attr:`~salesmark.lifecycle.StageDefinition.probability`, e.g. Salesforce's 10% for
Prospecting); this is the company's own rate, with a Beta interval that says how
sure it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import elapsed, instant, require_aware
from salesmark.errors import UnknownReference, ValidationError
from salesmark.lifecycle import stage_name
from salesmark.organisation import Organisation
from salesmark.planning._common import (
    LEVEL,
    RATE,
    US,
    beta_interval,
    check_level,
    check_org,
    decimal_rate,
)
from salesmark.planning._history import Cut, longest_stays

__all__ = ["StageProbabilities", "StageProbability", "stage_probabilities"]


@attrs.frozen(kw_only=True)
class StageProbability:
    """How often the leads that reached one stage went on to win.

    Attributes:
        stage: The stage.
        reached: Leads that entered it before their first win (or at all, if they never won).
        won: Of them, the leads that went on to win.
        open: Of them, the leads still on their way: in a stage they may still leave (they
            have been there no longer than the longest stay in it that ever ended). They
            have neither won nor stopped, so they are left out of the rate.
        rate: ``won / (reached - open)`` to four places, or ``None`` when no lead is decided.
        low: The lower end of the Jeffreys interval (Beta(won + 1/2, lost + 1/2)) at the
            result's level, or ``None``.
        high: The upper end of that interval, or ``None``.
        configured: The lifecycle's configured probability for the stage, if any.

    Example:
        >>> StageProbability(stage="sql", reached=10, won=3, open=2, rate=Decimal("0.375"), low=None, high=None)
        StageProbability(sql: 3/8 won = 0.375, 2 open)
    """

    stage: str = attrs.field(validator=v.non_empty_text)
    reached: int = attrs.field(validator=v.whole())
    won: int = attrs.field(validator=v.whole())
    open: int = attrs.field(validator=v.whole())
    rate: Decimal | None = attrs.field(validator=RATE)
    low: Decimal | None = attrs.field(validator=RATE)
    high: Decimal | None = attrs.field(validator=RATE)
    configured: Decimal | None = attrs.field(default=None, validator=RATE)

    def __attrs_post_init__(self) -> None:
        rf.at_most(self, ("won", "reached"), ("open", "reached"))
        if self.won + self.open > self.reached:
            msg = (
                f"StageProbability.open must be at most reached - won "
                f"({self.reached - self.won}), got {self.open}"
            )
            raise ValidationError(msg, path="/open", value=self.open)
        rf.ordered(self, "low", "high")

    def __repr__(self) -> str:
        return (
            f"StageProbability({self.stage}: {self.won}/{self.decided} won = {self.rate}, "
            f"{self.open} open)"
        )

    @property
    def decided(self) -> int:
        """The leads the rate is measured on: those that reached the stage and are not open."""
        return self.reached - self.open

    @property
    def exact(self) -> Fraction | None:
        """The rate as an exact fraction, ``None`` when no lead is decided.

        Example:
            >>> StageProbability(stage="sql", reached=9, won=3, open=0, rate=None, low=None, high=None).exact
            Fraction(1, 3)
        """
        return Fraction(self.won, self.decided) if self.decided else None


@attrs.frozen(kw_only=True)
class StageProbabilities:
    """The measured stage probabilities of a company as of an instant.

    Attributes:
        as_of: The instant the history was cut at (only stage changes strictly before it).
        level: The probability of the Beta intervals, e.g. ``Fraction(4, 5)``.
        stages: One entry per stage of the lifecycle's progression, in order.
    """

    as_of: datetime = attrs.field(validator=v.aware)
    level: Fraction = attrs.field(validator=LEVEL)
    stages: tuple[StageProbability, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(StageProbability)
    )

    def __repr__(self) -> str:
        shown = ", ".join(f"{s.stage} {s.rate}" for s in self.stages)
        return f"StageProbabilities(as of {self.as_of.date().isoformat()}: {shown})"

    def __getitem__(self, stage: str) -> StageProbability:
        name = stage_name(stage)
        for item in self.stages:
            if item.stage == name:
                return item
        msg = f"StageProbabilities has no stage {stage!r}; stages are {[s.stage for s in self.stages]}"
        raise UnknownReference(msg)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per stage, for ``pandas.DataFrame``.

        Args:
            exact: Keep exact values (``Decimal``, ``Fraction``, ``timedelta``) rather
                than plain floats.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Organisation
            >>> at = datetime(2026, 7, 1, tzinfo=timezone.utc)
            >>> stage_probabilities(Organisation(name="A", currency="EUR"), as_of=at).to_records(exact=True)[0]["stage"]
            'inquiry'
        """
        rows = [
            row(
                stage=s.stage,
                reached=s.reached,
                won=s.won,
                open=s.open,
                decided=s.decided,
                rate=s.rate,
                low=s.low,
                high=s.high,
                configured=s.configured,
            )
            for s in self.stages
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def stage_probabilities(
    org: Organisation,
    *,
    as_of: datetime,
    level: float | Decimal | str = "0.8",
    lookback: timedelta | None = None,
) -> StageProbabilities:
    """Per stage of the progression, the share of the leads that reached it and went on to win.

    Only stage changes strictly before ``as_of`` count. A lead counts at every stage it
    entered before its first win; it is *open* while it sits in a stage it may still
    leave (no longer than the longest finished stay of that stage, the horizon of the
    forecast's own model), and open leads are left out: a young opportunity has not lost
    yet. A lead that sat longer than any stay ever lasted counts as not won. The won
    stage itself has rate 1.

    Args:
        org: The organisation.
        as_of: The instant of the cut (timezone-aware).
        level: The probability of the equal-tailed Jeffreys interval, strictly between 0 and 1.
        lookback: Count only stays that began within this long before ``as_of``, and
            leads created then; ``None`` for the whole history.

    Raises:
        ValidationError: If ``org`` is not an Organisation, ``as_of`` is naive or
            ``level`` is not a probability.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, Organisation
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> deal = Lead.create(id="A", created_at=t, stage="opportunity")
        >>> won, lost = deal.advance("won", at=t + timedelta(days=9)), attrs.evolve(deal, id="B").advance("lost", at=t + timedelta(days=4), reason="price")
        >>> org = Organisation(name="Acme", currency="EUR", leads=(won, lost))
        >>> stage_probabilities(org, as_of=datetime(2026, 3, 1, tzinfo=timezone.utc))["opportunity"]
        StageProbability(opportunity: 1/2 won = 0.5000, 0 open)
    """
    company = check_org(org, "stage_probabilities org")
    cut_at = require_aware(as_of, "stage_probabilities as_of")
    chosen = check_level(level, "stage_probabilities level")
    if lookback is not None:
        v.require_positive_duration(lookback, "stage_probabilities lookback")
    cut = Cut(company, cut_at, lookback)
    return StageProbabilities(as_of=cut_at, level=chosen, stages=measure(cut, chosen))


def measure(cut: Cut, level: Fraction) -> tuple[StageProbability, ...]:
    """The stage probabilities of a cut (shared with the weighted pipeline)."""
    lifecycle = cut.lifecycle
    path = lifecycle.progression
    longest = longest_stays(cut)
    reached = dict.fromkeys(path, 0)
    won = dict.fromkeys(path, 0)
    still = dict.fromkeys(path, 0)
    start = cut.since
    for lead, changes in cut.histories:
        if start is not None and instant(lead.created_at) < start:
            continue
        first_win = next((i for i, c in enumerate(changes) if c.stage == cut.won), None)
        seen = {c.stage for c in (changes if first_win is None else changes[: first_win + 1])}
        last = changes[-1]
        moving = (
            first_win is None
            and not lifecycle.is_terminal(last.stage)
            and _age(cut, last.at) <= longest.get(last.stage, -1)
        )
        for stage in path:
            if stage in seen:
                reached[stage] += 1
                won[stage] += first_win is not None
                still[stage] += moving
    result = []
    for stage in path:
        decided = reached[stage] - still[stage]
        interval = beta_interval(won[stage], decided, level)
        result.append(
            StageProbability(
                stage=stage,
                reached=reached[stage],
                won=won[stage],
                open=still[stage],
                rate=decimal_rate(Fraction(won[stage], decided) if decided else None),
                low=None if interval is None else interval[0],
                high=None if interval is None else interval[1],
                configured=lifecycle.stages[lifecycle.stage_names.index(stage)].probability,
            )
        )
    return tuple(result)


def _age(cut: Cut, since: datetime) -> int:
    return elapsed(since, cut.as_of) // US
