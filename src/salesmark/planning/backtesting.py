"""The forecast's backtest: each past period forecast from what was known at its start.

A forecast is only as good as its backtest. :func:`backtest` forecasts every given
period exactly as :func:`~salesmark.planning.forecast` would have on the morning the
period began (only stage changes strictly before its start), then compares the
forecast with what happened: the error of the median, the absolute percentage error,
and whether the interval held the actual value. Over the periods it reports the mean
absolute percentage error (MAPE) and the interval coverage, to set against the
nominal level: an 80% interval that holds the truth in half the periods is not an
80% interval.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import instant
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.planning._common import LEVEL, check_level, check_org, check_periods, decimal_rate
from salesmark.planning._history import Cut
from salesmark.planning.forecasting import ForecastMethod, ForecastPeriod, run_forecast

__all__ = ["Backtest", "BacktestPeriod", "backtest"]


_SHARE = rf.exact(Fraction, minimum=0, maximum=1, optional=True)


@attrs.frozen(kw_only=True)
class BacktestPeriod:
    """One past period: its forecast from its start, and what happened.

    Attributes:
        forecast: The forecast of the period made as of its start.
        method: How that forecast was computed.
        actual_wins: The deals whose first win fell in the period.
        actual_bookings: Their summed value (a win without a value adds nothing).
        error: ``actual_bookings - forecast.bookings_median``.
        percentage_error: ``|error| / actual_bookings`` to four places, ``None`` when
            nothing was booked.
        covered: Whether the bookings interval held ``actual_bookings``.
        wins_covered: Whether the wins interval held ``actual_wins``.
    """

    forecast: ForecastPeriod = attrs.field(validator=v.instance_of(ForecastPeriod))
    method: ForecastMethod = attrs.field(validator=v.member_of(ForecastMethod))
    actual_wins: int = attrs.field(validator=v.whole())
    actual_bookings: Money = attrs.field(validator=v.instance_of(Money))
    error: Money = attrs.field(validator=v.instance_of(Money))
    percentage_error: Decimal | None = attrs.field(
        validator=rf.exact(Decimal, minimum=0, optional=True)
    )
    covered: bool = attrs.field(validator=v.instance_of(bool))
    wins_covered: bool = attrs.field(validator=v.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        error = self.actual_bookings - self.forecast.bookings_median
        rf.equal(self, "error", error, "actual_bookings - forecast.bookings_median")

    @property
    def period(self) -> Period:
        """The period backtested."""
        return self.forecast.period

    def __repr__(self) -> str:
        mark = "in" if self.covered else "OUT of"
        return (
            f"BacktestPeriod({self.period.start.date().isoformat()}: actual {self.actual_bookings} "
            f"{mark} [{self.forecast.bookings_low.amount:,}, {self.forecast.bookings_high.amount:,}], "
            f"median {self.forecast.bookings_median.amount:,})"
        )


@attrs.frozen(kw_only=True)
class Backtest:
    """How the forecast did on past periods, each forecast from its own start.

    Attributes:
        level: The nominal probability of each interval.
        draws: The simulated draws per forecast (used where a forecast simulated).
        seed: The seed of every forecast.
        periods: One entry per period, in order.
        mape: The mean absolute percentage error of the median bookings over the
            periods that booked anything (to four places), ``None`` if none did.
        coverage: The share of periods whose bookings interval held the actual, exactly
            (``None`` without periods).
        wins_coverage: The same for the number of wins.
    """

    level: Fraction = attrs.field(validator=LEVEL)
    draws: int = attrs.field(validator=v.whole(1))
    seed: int = attrs.field(validator=v.whole())
    periods: tuple[BacktestPeriod, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(BacktestPeriod)
    )
    mape: Decimal | None = attrs.field(validator=rf.exact(Decimal, minimum=0, optional=True))
    coverage: Fraction | None = attrs.field(validator=_SHARE)
    wins_coverage: Fraction | None = attrs.field(validator=_SHARE)

    def __repr__(self) -> str:
        cover = "n/a" if self.coverage is None else f"{decimal_rate(self.coverage)}"
        return (
            f"Backtest({len(self.periods)} periods: MAPE {self.mape}, bookings coverage "
            f"{cover} against nominal {decimal_rate(self.level)})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per period, for ``pandas.DataFrame``.

        Args:
            exact: Keep exact values (``Decimal``, ``Fraction``, ``timedelta``) rather
                than plain floats.

        Example:
            >>> from salesmark import Organisation
            >>> report = backtest(Organisation(name="A", currency="EUR"), Period.month(2026, 3))
            >>> report.to_records(exact=True)[0]["actual_wins"], report.coverage
            (0, Fraction(1, 1))
        """
        rows = [
            row(
                start=p.period.start,
                end=p.period.end,
                method=p.method,
                bookings_low=p.forecast.bookings_low,
                bookings_median=p.forecast.bookings_median,
                bookings_high=p.forecast.bookings_high,
                actual_bookings=p.actual_bookings,
                error=p.error,
                percentage_error=p.percentage_error,
                covered=p.covered,
                wins_low=p.forecast.wins_low,
                wins_median=p.forecast.wins_median,
                wins_high=p.forecast.wins_high,
                actual_wins=p.actual_wins,
                wins_covered=p.wins_covered,
            )
            for p in self.periods
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def backtest(
    org: Organisation,
    periods: Period | Iterable[Period],
    *,
    level: float | Decimal | str = "0.8",
    draws: int = 1_000,
    seed: int = 0,
    lookback: timedelta | None = None,
    new_leads: bool = True,
) -> Backtest:
    """Forecast each past period from what was known at its start; compare with what happened.

    Each period is forecast on its own, as of its start, with the arguments
    :func:`~salesmark.planning.forecast` takes (``method="auto"``): only stage changes
    strictly before the period's start are read, so nothing that happened later (a
    deal won next year, a lead created after the start) can leak into the forecast.
    The actual is read from the whole history: the deals whose first entry into the
    won stage falls in the period (half-open), and their values.

    Args:
        org: The organisation.
        periods: The past periods, in order, not overlapping.
        level: The intervals' probability, strictly between 0 and 1.
        draws: The draws of each simulated forecast (at least 10).
        seed: The seed of each forecast.
        lookback: As for :func:`~salesmark.planning.forecast`.
        new_leads: As for :func:`~salesmark.planning.forecast`.

    Raises:
        WrongType: If ``org`` is not an Organisation or a period is not a Period.
        ValidationError: If an argument is out of range.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, Money, Organisation
        >>> t = datetime(2026, 5, 4, tzinfo=timezone.utc)
        >>> eur = Money.of(900, "EUR")
        >>> old = [Lead.create(id=f"H{i}", created_at=t, stage="opportunity", value=eur).advance(
        ...     "won" if i % 2 else "lost", at=t + timedelta(days=10), reason=None if i % 2 else "price") for i in range(4)]
        >>> new = Lead.create(id="D1", created_at=t + timedelta(days=20), stage="opportunity", value=eur)
        >>> org = Organisation(name="Acme", currency="EUR", leads=(*old, new.advance("won", at=t + timedelta(days=30))))
        >>> report = backtest(org, Period.month(2026, 6), new_leads=False)
        >>> report.periods[0]
        BacktestPeriod(2026-06-01: actual 900.00 EUR in [0, 900], median 0)
    """
    company = check_org(org, "backtest org")
    chosen = check_periods(periods, "backtest periods")
    interval = check_level(level, "backtest level")
    v.require_whole(draws, "backtest draws", minimum=10)
    v.require_whole(seed, "backtest seed")
    v.require(new_leads, bool, "backtest new_leads")
    if lookback is not None:
        v.require_positive_duration(lookback, "backtest lookback")
    actual = _actuals(company, chosen)
    rows = []
    for k, period in enumerate(chosen):
        cut = Cut(company, period.start, lookback)
        result = run_forecast(
            cut, (period,), interval, draws, seed, new_leads=new_leads, method=ForecastMethod.AUTO
        )
        rows.append(_compare(result.periods[0], result.method, *actual[k]))
    errors = [p.percentage_error for p in rows if p.percentage_error is not None]
    mape = None
    if errors:
        mape = (sum(errors, Decimal(0)) / len(errors)).quantize(Decimal("0.0001"))
    n = len(rows)
    return Backtest(
        level=interval,
        draws=draws,
        seed=seed,
        periods=rows,
        mape=mape,
        coverage=Fraction(sum(p.covered for p in rows), n) if n else None,
        wins_coverage=Fraction(sum(p.wins_covered for p in rows), n) if n else None,
    )


def _actuals(org: Organisation, periods: tuple[Period, ...]) -> list[tuple[int, Money]]:
    """Per period, the deals first won in it and their summed value."""
    won = org.lifecycle.progression[-1]
    wins = [0] * len(periods)
    books = [Money.zero(org.currency)] * len(periods)
    starts = [instant(p.start) for p in periods]
    for lead in org.leads:
        at = lead.entered(won)
        if at is None:
            continue
        moment = instant(at)
        for k, period in enumerate(periods):
            if starts[k] <= moment and period.contains(at):
                wins[k] += 1
                if lead.value is not None:
                    books[k] = books[k] + lead.value
    return list(zip(wins, books, strict=True))


def _compare(
    forecast: ForecastPeriod, method: ForecastMethod, wins: int, bookings: Money
) -> BacktestPeriod:
    error = bookings - forecast.bookings_median
    percentage = None
    if not bookings.is_zero():
        percentage = (abs(error.amount) / bookings.amount).quantize(Decimal("0.0001"))
    return BacktestPeriod(
        forecast=forecast,
        method=method,
        actual_wins=wins,
        actual_bookings=bookings,
        error=error,
        percentage_error=percentage,
        covered=forecast.bookings_low <= bookings <= forecast.bookings_high,
        wins_covered=forecast.wins_low <= wins <= forecast.wins_high,
    )
