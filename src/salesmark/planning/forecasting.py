"""The forecast of wins and bookings for the next periods, from the company's own funnel.

:func:`forecast` follows every lead open at the forecast's start through the stage
exits measured from the history before it (how long stays last and where they lead,
stays still open counted as at risk: :mod:`salesmark.planning._history`), adds the
leads expected to arrive at the measured rate, and reports per period a median and an
interval of the wins and the bookings, next to the forecast categories' roll-up
(closed, commit, best case, pipeline) of the deals expected to close in it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import elapsed
from salesmark.errors import UnknownReference, ValidationError
from salesmark.lifecycle import ForecastCategory
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.planning._common import (
    LEVEL,
    US,
    check_instant,
    check_level,
    check_org,
    check_periods,
    rounded,
)
from salesmark.planning._engine import (
    Distribution,
    Model,
    TooLarge,
    enumerate_exactly,
    simulate,
    units,
)
from salesmark.planning._history import Cut, expected_closes

__all__ = ["Forecast", "ForecastMethod", "ForecastPeriod", "forecast"]

EXACT_STAYS = 2_000
"""The exact engine is tried (with ``method="auto"``) only on histories of at most this many stays."""


class ForecastMethod(str, enum.Enum):
    """How a forecast combined the measured rates.

    ``EXACT``: every journey of every open lead enumerated with exact chances, and the
    distributions of wins and bookings convolved exactly (possible when no new leads
    are expected and the outcomes stay few). ``SIMULATION``: a seeded simulation with a
    stated number of draws.
    """

    AUTO = "auto"
    EXACT = "exact"
    SIMULATION = "simulation"


@attrs.frozen(kw_only=True)
class ForecastPeriod:
    """The forecast of one period: wins and bookings with their interval, and the roll-up.

    Attributes:
        period: The period forecast.
        wins_low: The lower end of the interval of the number of wins.
        wins_median: The median number of wins.
        wins_high: The upper end of the interval.
        wins_mean: The expected number of wins (exact for the exact method, the mean of
            the draws for a simulation).
        bookings_low: The lower end of the interval of the bookings (the values won).
        bookings_median: The median bookings.
        bookings_high: The upper end of the interval.
        bookings_mean: The expected bookings, exactly; :attr:`expected_bookings` rounds it.
        closed: Bookings already won in the period before the forecast's start.
        closed_wins: Deals already won in the period before the forecast's start.
        commit: ``closed`` plus the open deals in a commit stage expected to close in the period.
        best_case: ``commit`` plus the best-case deals expected to close in the period.
        pipeline: ``best_case`` plus the pipeline deals expected to close in the period.
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    wins_low: int = attrs.field(validator=v.whole())
    wins_median: int = attrs.field(validator=v.whole())
    wins_high: int = attrs.field(validator=v.whole())
    wins_mean: Fraction = attrs.field(validator=rf.exact(Fraction, minimum=0))
    bookings_low: Money = attrs.field(validator=v.instance_of(Money))
    bookings_median: Money = attrs.field(validator=v.instance_of(Money))
    bookings_high: Money = attrs.field(validator=v.instance_of(Money))
    bookings_mean: Fraction = attrs.field(validator=rf.exact(Fraction, minimum=0))
    closed: Money = attrs.field(validator=v.instance_of(Money))
    closed_wins: int = attrs.field(validator=v.whole())
    commit: Money = attrs.field(validator=v.instance_of(Money))
    best_case: Money = attrs.field(validator=v.instance_of(Money))
    pipeline: Money = attrs.field(validator=v.instance_of(Money))

    def __attrs_post_init__(self) -> None:
        rf.ordered(self, "wins_low", "wins_median", "wins_high")
        rf.ordered(self, "bookings_low", "bookings_median", "bookings_high")
        rf.ordered(self, "closed", "commit", "best_case", "pipeline")

    def __repr__(self) -> str:
        return (
            f"ForecastPeriod({self.period.start.date().isoformat()}: bookings "
            f"{self.bookings_median} [{self.bookings_low.amount:,}, {self.bookings_high.amount:,}], "
            f"wins {self.wins_median} [{self.wins_low}, {self.wins_high}])"
        )

    @property
    def expected_bookings(self) -> Money:
        """The expected bookings rounded once to the currency's minor unit."""
        return rounded(self.bookings_mean, self.bookings_median.currency)

    def misses(self, target: Money) -> bool:
        """Whether ``target`` lies outside the bookings interval.

        Example:
            >>> from salesmark import Money
            >>> eur = lambda x: Money.of(x, "EUR")
            >>> p = ForecastPeriod(period=Period.month(2026, 7), wins_low=1, wins_median=2, wins_high=3,
            ...     wins_mean=Fraction(2), bookings_low=eur(10), bookings_median=eur(20), bookings_high=eur(30),
            ...     bookings_mean=Fraction(20), closed=eur(0), closed_wins=0, commit=eur(0), best_case=eur(0), pipeline=eur(0))
            >>> p.misses(eur(40)), p.misses(eur(25))
            (True, False)
        """
        return not self.bookings_low <= target <= self.bookings_high

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """The period as a one-row list, for ``pandas.DataFrame``.

        Args:
            exact: Keep exact values (``Decimal``, ``Fraction``, ``timedelta``) rather
                than plain floats.

        Example:
            >>> from salesmark import Organisation
            >>> p = forecast(Organisation(name="A", currency="EUR"), Period.month(2026, 7)).periods[0]
            >>> p.to_records(exact=True)[0]["bookings_median"], p.to_records(exact=True)[0]["currency"]
            (Decimal('0'), 'EUR')
        """
        rows = [_row(self)]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _row(p: ForecastPeriod, kind: str = "period") -> dict[str, Any]:
    """The period as one flat row (money as amounts, a ``currency`` column).

    ``kind`` is ``"period"`` for a forecast period and ``"total"`` for all of them,
    whose start and end span the periods.
    """
    return row(
        kind=kind,
        start=p.period.start,
        end=p.period.end,
        wins_low=p.wins_low,
        wins_median=p.wins_median,
        wins_high=p.wins_high,
        wins_mean=_decimal(p.wins_mean),
        bookings_low=p.bookings_low,
        bookings_median=p.bookings_median,
        bookings_high=p.bookings_high,
        bookings_mean=p.expected_bookings,
        closed=p.closed,
        closed_wins=p.closed_wins,
        commit=p.commit,
        best_case=p.best_case,
        pipeline=p.pipeline,
    )


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


@attrs.frozen(kw_only=True)
class Forecast:
    """A forecast of wins and bookings per period, from what was known at its start.

    Attributes:
        as_of: The forecast's start: only stage changes strictly before it were used.
        level: The probability of each interval, e.g. ``Fraction(4, 5)``.
        method: How it was computed (exact or simulated).
        draws: The number of simulated draws, or ``None`` for the exact method.
        seed: The seed of the simulation.
        periods: One forecast per period, in order.
        total: The forecast of all the periods together (one sum per draw, not a sum of
            medians), over the span from the first period's start to the last one's end.
        open_leads: Leads open at ``as_of`` (in a stage they can still leave).
        new_leads_per_day: The measured arrival rate of new leads (0 when new leads
            were left out).
    """

    as_of: datetime = attrs.field(validator=v.aware)
    level: Fraction = attrs.field(validator=LEVEL)
    method: ForecastMethod = attrs.field(validator=v.member_of(ForecastMethod))
    draws: int | None = attrs.field(validator=rf.optional_whole(1))
    seed: int = attrs.field(validator=v.whole())
    periods: tuple[ForecastPeriod, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(ForecastPeriod)
    )
    total: ForecastPeriod = attrs.field(validator=v.instance_of(ForecastPeriod))
    open_leads: int = attrs.field(validator=v.whole())
    new_leads_per_day: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0))

    def __repr__(self) -> str:
        how = "exact" if self.draws is None else f"{self.draws} draws"
        return (
            f"Forecast(as of {self.as_of.date().isoformat()}, {len(self.periods)} periods, "
            f"{how}, {self.level * 100}% intervals, total {self.total.bookings_median})"
        )

    def __getitem__(self, period: Period) -> ForecastPeriod:
        for item in self.periods:
            if item.period == period:
                return item
        msg = f"Forecast has no period {period!r}"
        raise UnknownReference(msg)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per period, then the total (``kind`` tells which), for ``pandas.DataFrame``.

        Args:
            exact: Keep exact values (``Decimal``, ``Fraction``, ``timedelta``) rather
                than plain floats.

        Example:
            >>> from salesmark import Organisation
            >>> result = forecast(Organisation(name="A", currency="EUR"), [Period.month(2026, 7), Period.month(2026, 8)])
            >>> [r["kind"] for r in result.to_records()]
            ['period', 'period', 'total']
        """
        rows = [*(_row(item) for item in self.periods), _row(self.total, "total")]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _check_method(method: object) -> ForecastMethod:
    try:
        return ForecastMethod(getattr(method, "value", method))
    except ValueError:
        msg = f"forecast method must be 'auto', 'exact' or 'simulation', got {method!r}"
        raise ValidationError(msg) from None


def forecast(
    org: Organisation,
    periods: Period | Iterable[Period],
    *,
    as_of: datetime | None = None,
    level: float | Decimal | str = "0.8",
    draws: int = 1_000,
    seed: int = 0,
    lookback: timedelta | None = None,
    new_leads: bool = True,
    method: ForecastMethod | str = ForecastMethod.AUTO,
) -> Forecast:
    """Forecast the wins and bookings of ``periods`` from the company's own funnel.

    **What it knows.** Only stage changes strictly before ``as_of`` (the first period's
    start by default): every open lead's stage and how long it has been there, every
    stay that ended (how long, and where to), the stays still open, the values of the
    deals won and the rate new leads arrived at. A lead's value counts as known once it
    reached the first deal stage of the progression (the opportunity in the demand
    waterfall); before that a CRM may hold a value that was set later, so a lead without a
    known value books a value drawn from the deals won before ``as_of``.

    **The model.** Each stage's exits are measured as a competing-risk distribution of
    stay length and next stage (Aalen-Johansen, open stays censored at their age, as the
    complete funnel's survival median). An open lead leaves its stage as the leads that
    stayed at least as long did; then it moves on as leads entering the next stage did,
    until it wins, stops, or the last period ends. A stay longer than any seen so far is
    never predicted to end. New leads arrive as a Poisson process at the rate measured
    since the first lead (or over ``lookback``), start where past leads started, and
    travel the same way.

    **The combination.** Without new leads and for small histories the chances are
    combined exactly (every journey enumerated, the distributions of wins and bookings
    convolved); otherwise by a seeded simulation of ``draws`` draws, deterministic for a
    seed whatever the order of the leads or ``PYTHONHASHSEED``. The interval of each
    period is equal-tailed at ``level``, by the inverted CDF (the smallest value whose
    chance of not being exceeded reaches the quantile).

    **The roll-up.** Each open deal with a known value is expected to close at its
    expected close date: ``as_of`` plus the median time the company's winners still
    needed from its stage once they had been in it as long (see
    :func:`~salesmark.planning.weighted_pipeline`); per period, closed is what was won
    before ``as_of``, commit adds the commit deals expected to close in it, best case
    the best-case ones, pipeline the pipeline ones (see
    :class:`~salesmark.lifecycle.ForecastCategory`).

    A forecast is only as good as its backtest: see :func:`~salesmark.planning.backtest`.

    Args:
        org: The organisation.
        periods: The period or periods to forecast, in order, not overlapping.
        as_of: The forecast's start; the first period's start by default.
        level: The interval's probability, strictly between 0 and 1.
        draws: The number of simulated draws (at least 10).
        seed: The simulation's seed.
        lookback: Measure only from stays that began, deals won and leads created
            within this long before ``as_of``; ``None`` for the whole history.
        new_leads: Whether to add the leads expected to arrive.
        method: ``"auto"`` (exact where it fits, else simulated), ``"exact"`` or ``"simulation"``.

    Raises:
        ValidationError: If an argument is of the wrong kind or out of range, or
            ``method="exact"`` is asked where the maths does not allow it.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, Money, Organisation, Period
        >>> t = datetime(2026, 5, 4, tzinfo=timezone.utc)
        >>> eur = lambda x: Money.of(x, "EUR")
        >>> history = [Lead.create(id=f"H{i}", created_at=t, stage="opportunity", value=eur(900)).advance(
        ...     "won" if i % 2 else "lost", at=t + timedelta(days=10), reason=None if i % 2 else "price") for i in range(4)]
        >>> open_deal = Lead.create(id="D1", created_at=t + timedelta(days=20), stage="opportunity", value=eur(1000))
        >>> org = Organisation(name="Acme", currency="EUR", leads=(*history, open_deal))
        >>> june = forecast(org, Period.month(2026, 6), as_of=t + timedelta(days=21), new_leads=False)
        >>> june.method.value, june.periods[0].wins_mean, june.periods[0].expected_bookings
        ('exact', Fraction(1, 2), Money('500.00 EUR'))
        >>> june.periods[0]
        ForecastPeriod(2026-06-01: bookings 0.00 EUR [0, 1,000], wins 0 [0, 1])
    """
    company = check_org(org, "forecast org")
    chosen = check_periods(periods, "forecast periods")
    start = check_instant(as_of, chosen[0].start, "forecast as_of")
    interval = check_level(level, "forecast level")
    v.require_whole(draws, "forecast draws", minimum=10)
    v.require_whole(seed, "forecast seed")
    v.require(new_leads, bool, "forecast new_leads")
    if lookback is not None:
        v.require_positive_duration(lookback, "forecast lookback")
    how = _check_method(method)
    cut = Cut(company, start, lookback)
    return run_forecast(cut, chosen, interval, draws, seed, new_leads=new_leads, method=how)


def run_forecast(
    cut: Cut,
    periods: tuple[Period, ...],
    level: Fraction,
    draws: int,
    seed: int,
    *,
    new_leads: bool,
    method: ForecastMethod,
) -> Forecast:
    """The forecast of a cut (shared with the backtest)."""
    as_of = cut.as_of
    known = [item.value for item in cut.open if item.value is not None]
    exponent = max((-int(d.as_tuple().exponent) for d in [*known, *cut.won_values]), default=0)
    exponent = max(exponent, 0)
    value_units = {
        item.lead.id: None if item.value is None else units(item.value, exponent)
        for item in cut.open
    }
    starts = [elapsed(as_of, p.start) // US for p in periods]
    ends = [elapsed(as_of, p.end) // US for p in periods]
    arriving = new_leads and cut.arrivals > 0 and cut.arrival_span > 0
    stays = sum(len(s) for s in cut.stays.values())
    results: list[tuple[Distribution, Distribution]] | None = None
    used = ForecastMethod.SIMULATION
    if method is not ForecastMethod.SIMULATION and not arriving and stays <= EXACT_STAYS:
        try:
            model = Model(cut, exact=True, exponent=exponent)
            results = enumerate_exactly(model, cut.open, starts, ends, value_units)
            used = ForecastMethod.EXACT
        except TooLarge:
            results = None
    if results is None:
        if method is ForecastMethod.EXACT:
            why = "new leads are expected" if arriving else "the outcomes are too many to enumerate"
            msg = f"forecast method='exact' is not possible here: {why}; use method='simulation'"
            raise ValidationError(msg)
        model = Model(cut, exact=False, exponent=exponent)
        results = simulate(
            model, cut.open, starts, ends, value_units, draws=draws, seed=seed, new_leads=arriving
        )
    rolled = _roll_up(cut, periods, exponent)
    span = Period.between(periods[0].start, periods[-1].end)
    total_known = _sum_rolls(rolled)
    rows = [
        _period(
            p, level, result=results[k], roll=rolled[k], currency=cut.currency, exponent=exponent
        )
        for k, p in enumerate(periods)
    ]
    total = _period(
        span, level, result=results[-1], roll=total_known, currency=cut.currency, exponent=exponent
    )
    rate = Decimal(0)
    if arriving:
        per_day = Fraction(cut.arrivals) * (timedelta(days=1) // US) / cut.arrival_span
        rate = _decimal(per_day)
    return Forecast(
        as_of=as_of,
        level=level,
        method=used,
        draws=None if used is ForecastMethod.EXACT else draws,
        seed=seed,
        periods=rows,
        total=total,
        open_leads=sum(1 for item in cut.open if item.stage in model.alive),
        new_leads_per_day=rate,
    )


_ROLL = (ForecastCategory.COMMIT, ForecastCategory.BEST_CASE, ForecastCategory.PIPELINE)


def _roll_up(cut: Cut, periods: tuple[Period, ...], exponent: int) -> list[list[int]]:
    """Per period: closed wins, closed units, then commit, best case and pipeline (cumulative)."""
    rolls = [[0, 0, 0, 0, 0] for _ in periods]
    for lead, won_at in cut.wins:
        for k, p in enumerate(periods):
            if p.contains(won_at):
                rolls[k][0] += 1
                rolls[k][1] += 0 if lead.value is None else units(lead.value.amount, exponent)
    closes = expected_closes(cut)
    for item in cut.open:
        close = closes.get(item.lead.id)
        if close is None or item.value is None or item.category not in _ROLL:
            continue
        for k, p in enumerate(periods):
            if p.contains(close):
                for slot in range(2 + _ROLL.index(item.category), 5):
                    rolls[k][slot] += units(item.value, exponent)
    for roll in rolls:
        roll[2] += roll[1]
        roll[3] += roll[1]
        roll[4] += roll[1]
    return rolls


def _sum_rolls(rolls: list[list[int]]) -> list[int]:
    return [sum(column) for column in zip(*rolls, strict=True)] if rolls else [0] * 5


def _money(amount: int, exponent: int, currency: str) -> Money:
    return Money(Decimal(amount).scaleb(-exponent), currency)


def _period(
    period: Period,
    level: Fraction,
    *,
    result: tuple[Distribution, Distribution],
    roll: list[int],
    currency: str,
    exponent: int,
) -> ForecastPeriod:
    wins, books = result
    low, high = (1 - level) / 2, (1 + level) / 2
    half = Fraction(1, 2)
    closed_wins, closed = roll[0], roll[1]

    def cash(amount: int) -> Money:
        return _money(amount + closed, exponent, currency)

    return ForecastPeriod(
        period=period,
        wins_low=closed_wins + wins.quantile(low),
        wins_median=closed_wins + wins.quantile(half),
        wins_high=closed_wins + wins.quantile(high),
        wins_mean=closed_wins + wins.mean(),
        bookings_low=cash(books.quantile(low)),
        bookings_median=cash(books.quantile(half)),
        bookings_high=cash(books.quantile(high)),
        bookings_mean=(books.mean() + closed) / Fraction(10) ** exponent,
        closed=_money(closed, exponent, currency),
        closed_wins=closed_wins,
        commit=_money(roll[2], exponent, currency),
        best_case=_money(roll[3], exponent, currency),
        pipeline=_money(roll[4], exponent, currency),
    )
