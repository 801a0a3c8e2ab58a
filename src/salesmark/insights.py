"""Client-insight themes, ranked by how widely they are heard, and their trends.

At every meeting "each sales person should share the most relevant and prevalent
feedback they are getting from their clients". Prevalence is breadth, not repetition:
:func:`rank_themes` scores a theme by the salespeople and the accounts that raise it,
each counted once at its most recent mention and discounted by age (a half-life), and
by how negative clients are about it; one rep repeating a theme ten times does not
outrank five reps who each heard another once. :func:`theme_trends` says which themes
are rising or falling across periods, and :func:`unreflected_themes` which themes
several reps raise that no agreed narrative rests on yet.

**The score.** Each insight weighs ``w = 0.5 ** (age / half_life)`` at ``at``. For a
theme, with every salesperson (and every account) counted once at its newest mention:

* ``reps_reach``: the weights of the salespeople who raised the theme over the weights
  of every salesperson who raised any theme in the period;
* ``accounts_reach``: the same over accounts (an insight's account, else its lead's
  account, else its lead; insights naming none add no account);
* ``negativity``: the weighted mean tone of its mentions, negative 1, neutral 0.5,
  positive 0: clients' problems are what a narrative answers.

``score = (0.5 x reps_reach + 0.3 x accounts_reach + 0.2 x negativity) / 1.0`` with the
default :data:`THEME_WEIGHTS` (any weights are divided by their sum), so a score runs
from 0 to 1. Ties go to more salespeople, then more mentions, then the newer theme,
then the name.
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._result_fields import lenient_tuple as _tuple
from salesmark._time import elapsed, instant, require_aware
from salesmark.errors import ValidationError
from salesmark.feedback import ClientInsight, Sentiment
from salesmark.organisation import Organisation
from salesmark.period import Period

__all__ = [
    "HALF_LIFE",
    "THEME_WEIGHTS",
    "ThemeRanking",
    "ThemeScore",
    "ThemeTrend",
    "ThemeTrends",
    "TrendDirection",
    "rank_themes",
    "theme_trends",
    "unreflected_themes",
]

THEME_WEIGHTS: Final[Mapping[str, Decimal]] = MappingProxyType(
    {"reps": Decimal("0.5"), "accounts": Decimal("0.3"), "sentiment": Decimal("0.2")}
)
"""The default weights of a theme's score: salespeople 0.5, accounts 0.3, sentiment 0.2."""

HALF_LIFE: Final = timedelta(days=30)
"""The default recency half-life: a mention a month old counts half."""

_TONE: Final = {
    Sentiment.NEGATIVE: Decimal(1),
    Sentiment.NEUTRAL: Decimal("0.5"),
    Sentiment.POSITIVE: Decimal(0),
}
_PLACES = Decimal("0.0001")
_US = timedelta(microseconds=1)


_SHARE: Final = rf.exact(Decimal, minimum=0, maximum=1)
_TEXTS: Final = rf.tuple_of(str)


@attrs.frozen(kw_only=True)
class ThemeScore:
    """One theme's standing, with the people, accounts, leads and words behind it.

    Attributes:
        theme: The theme tag.
        rank: Its place, from 1.
        score: The weighted score from 0 to 1 (4 places).
        reps_reach: Recency-weighted share of the salespeople who raised it.
        accounts_reach: Recency-weighted share of the accounts it was heard from.
        negativity: Recency-weighted mean tone, 1 all negative to 0 all positive.
        mentions: How many insights name it.
        weighted_mentions: Those insights' recency weights summed (4 places).
        member_ids: The salespeople who raised it.
        account_ids: The accounts it was heard from.
        lead_ids: The leads behind it.
        quotes: What clients said, newest first.
        negative: Mentions with a negative tone.
        neutral: Mentions with a neutral tone.
        positive: Mentions with a positive tone.
        latest: The newest mention.
    """

    theme: str = attrs.field(validator=v.non_empty_text)
    rank: int = attrs.field(validator=v.whole(1))
    score: Decimal = attrs.field(validator=_SHARE)
    reps_reach: Decimal = attrs.field(validator=_SHARE)
    accounts_reach: Decimal = attrs.field(validator=_SHARE)
    negativity: Decimal = attrs.field(validator=_SHARE)
    mentions: int = attrs.field(validator=v.whole())
    weighted_mentions: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0))
    member_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    account_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    lead_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    quotes: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    negative: int = attrs.field(validator=v.whole())
    neutral: int = attrs.field(validator=v.whole())
    positive: int = attrs.field(validator=v.whole())
    latest: datetime = attrs.field(validator=v.aware)

    def __attrs_post_init__(self) -> None:
        rf.equal(self, "mentions", self.negative + self.neutral + self.positive, "the tones summed")

    def __repr__(self) -> str:
        return (
            f"ThemeScore(#{self.rank} {self.theme!r}: {self.score}, {len(self.member_ids)} reps, "
            f"{len(self.account_ids)} accounts, {self.mentions} mentions)"
        )


def _frozen_weights(value: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    return v.converted_as("ThemeRanking.weights", v.freeze_mapping, value)


_THEMES: Final = rf.tuple_of(ThemeScore)


@attrs.frozen(kw_only=True)
class ThemeRanking:
    """The period's themes, best first.

    Attributes:
        period: The period whose insights are ranked.
        at: The evaluation time; later insights are left out.
        half_life: The recency half-life.
        weights: The weights of reps, accounts and sentiment.
        insights: How many insights were read.
        reps: How many salespeople reported them.
        themes: The themes, best first.
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    at: datetime = attrs.field(validator=v.aware)
    half_life: timedelta = attrs.field(validator=v.positive_duration)
    weights: Mapping[str, Decimal] = attrs.field(converter=_frozen_weights)
    insights: int = attrs.field(validator=v.whole())
    reps: int = attrs.field(validator=v.whole())
    themes: tuple[ThemeScore, ...] = attrs.field(converter=_tuple, validator=_THEMES)

    def __attrs_post_init__(self) -> None:
        for index, theme in enumerate(self.themes):
            if theme.mentions > self.insights or len(theme.member_ids) > self.reps:
                msg = f"ThemeRanking.themes[{index}] must come from at most the {self.insights} insights of the {self.reps} reps, got {theme!r}"
                raise ValidationError(msg, path=f"/themes/{index}", value=theme)

    def theme(self, name: str) -> ThemeScore:
        """The score of theme ``name``.

        Raises:
            ValidationError: If no insight of the period names it.

        Example:
            >>> from salesmark import Organisation
            >>> rank_themes(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3)).theme("erp")
            Traceback (most recent call last):
            ...
            salesmark.errors.ValidationError: ThemeRanking has no theme 'erp'; themes are none
        """
        for t in self.themes:
            if t.theme == name:
                return t
        known = ", ".join(repr(t.theme) for t in self.themes) or "none"
        msg = f"ThemeRanking has no theme {name!r}; themes are {known}"
        raise ValidationError(msg)

    def __repr__(self) -> str:
        first = f", {self.themes[0].theme!r} first" if self.themes else ""
        return f"ThemeRanking({len(self.themes)} themes from {self.insights} insights{first})"

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per theme, best first.

        Example:
            >>> from salesmark import Organisation
            >>> rank_themes(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3)).to_records()
            []
        """
        rows = [
            row(
                rank=t.rank,
                theme=t.theme,
                score=t.score,
                reps_reach=t.reps_reach,
                accounts_reach=t.accounts_reach,
                negativity=t.negativity,
                reps=len(t.member_ids),
                accounts=len(t.account_ids),
                mentions=t.mentions,
                latest=t.latest,
                lead_ids=", ".join(t.lead_ids),
            )
            for t in self.themes
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _weights(weights: Mapping[str, object] | None) -> dict[str, Decimal]:
    chosen = dict(THEME_WEIGHTS)
    if weights is None:
        return chosen
    if not isinstance(weights, Mapping):
        msg = f"rank_themes weights must be a mapping of reps/accounts/sentiment to a weight, got {weights!r}"
        raise ValidationError(msg)
    for name, weight in weights.items():
        if name not in chosen:
            msg = f"rank_themes weights names unknown part {name!r}; parts are reps, accounts, sentiment"
            raise ValidationError(msg)
        number = v.to_decimal(weight) if isinstance(weight, Decimal | int | str) else weight
        if not isinstance(number, Decimal) or not number.is_finite() or number < 0:
            msg = f"rank_themes weights[{name!r}] must be a finite Decimal or int >= 0, got {weight!r}"
            raise ValidationError(msg)
        chosen[name] = number
    if sum(chosen.values()) == 0:
        msg = f"rank_themes weights must not all be zero, got {weights!r}"
        raise ValidationError(msg)
    return chosen


def _account(org: Organisation, insight: ClientInsight) -> str | None:
    if insight.account_id is not None:
        return insight.account_id
    if insight.lead_id is None:
        return None
    return org.lead(insight.lead_id).account_id or insight.lead_id


def _recency(age: timedelta, half_life: timedelta) -> Decimal:
    with decimal.localcontext() as ctx:
        ctx.prec = 28
        return +(Decimal("0.5") ** (Decimal(age // _US) / Decimal(half_life // _US)))


def _reach(newest: Mapping[str, Decimal], who: Iterable[str]) -> Decimal:
    total = sum(newest.values(), Decimal(0))
    part = sum((newest[w] for w in who), Decimal(0))
    return Decimal(0) if total == 0 else part / total


def _heard(org: Organisation, period: Period, at: datetime) -> list[ClientInsight]:
    moment = instant(at)
    chosen = [i for i in org.insights if period.contains(i.at) and instant(i.at) <= moment]
    return sorted(chosen, key=lambda i: (instant(i.at), i.member_id, i.themes, i.quote))


def rank_themes(
    org: Organisation,
    period: Period,
    *,
    at: datetime | None = None,
    half_life: timedelta = HALF_LIFE,
    weights: Mapping[str, Decimal | int] | None = None,
) -> ThemeRanking:
    """Rank the client-insight themes heard in ``period`` (see the module for the score).

    Args:
        org: The organisation.
        period: The period whose insights are read.
        at: The evaluation time (timezone-aware); ``period.end`` by default.
        half_life: The recency half-life (30 days by default).
        weights: Weights of ``reps``, ``accounts`` and ``sentiment`` (others keep
            their default; see :data:`THEME_WEIGHTS`).

    Raises:
        ValidationError: If ``org`` or ``period`` is of the wrong type, ``half_life``
            is not positive, or a weight is unknown, negative or all are zero.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import ClientInsight, Member, Organisation, Team
        >>> t = datetime(2026, 3, 20, tzinfo=timezone.utc)
        >>> reps = [Member(id=f"s{i}", name=f"Rep {i}", team=Team.SALES) for i in range(6)]
        >>> heard = [ClientInsight(member_id="s0", at=t, themes=("pricing",)) for _ in range(10)]
        >>> heard += [ClientInsight(member_id=f"s{i}", at=t, themes=("erp",)) for i in range(1, 6)]
        >>> ranking = rank_themes(Organisation(name="Acme", currency="EUR", members=reps, insights=heard), Period.month(2026, 3))
        >>> ranking.themes
        (ThemeScore(#1 'erp': 0.5167, 5 reps, 0 accounts, 5 mentions), ThemeScore(#2 'pricing': 0.1833, 1 reps, 0 accounts, 10 mentions))
    """
    v.require(org, Organisation, "rank_themes org")
    v.require(period, Period, "rank_themes period")
    when = period.end if at is None else require_aware(at, "rank_themes at")
    v.require_positive_duration(half_life, "rank_themes half_life")
    chosen = _weights(weights)
    heard = _heard(org, period, when)
    newest_rep: dict[str, Decimal] = {}
    newest_account: dict[str, Decimal] = {}
    by_theme: dict[str, list[tuple[ClientInsight, Decimal, str | None]]] = {}
    for insight in heard:
        weight = _recency(elapsed(insight.at, when), half_life)
        account = _account(org, insight)
        newest_rep[insight.member_id] = max(newest_rep.get(insight.member_id, weight), weight)
        if account is not None:
            newest_account[account] = max(newest_account.get(account, weight), weight)
        for theme in dict.fromkeys(insight.themes):
            by_theme.setdefault(theme, []).append((insight, weight, account))
    total = sum(chosen.values(), Decimal(0))
    scored: list[dict[str, Any]] = []
    for theme, mentions in by_theme.items():
        rep_best: dict[str, Decimal] = {}
        account_best: dict[str, Decimal] = {}
        for insight, weight, account in mentions:
            rep_best[insight.member_id] = max(rep_best.get(insight.member_id, weight), weight)
            if account is not None:
                account_best[account] = max(account_best.get(account, weight), weight)
        weighted = sum((w for _, w, _ in mentions), Decimal(0))
        tone = sum((w * _TONE[i.sentiment] for i, w, _ in mentions), Decimal(0))
        reps = _reach(newest_rep, rep_best)
        accounts = _reach(newest_account, account_best)
        negativity = Decimal("0.5") if weighted == 0 else tone / weighted
        score = (
            chosen["reps"] * reps + chosen["accounts"] * accounts + chosen["sentiment"] * negativity
        ) / total
        newest_first = sorted(mentions, key=lambda m: instant(m[0].at), reverse=True)
        scored.append(
            {
                "theme": theme,
                "score": score.quantize(_PLACES),
                "reps_reach": reps.quantize(_PLACES),
                "accounts_reach": accounts.quantize(_PLACES),
                "negativity": negativity.quantize(_PLACES),
                "mentions": len(mentions),
                "weighted_mentions": weighted.quantize(_PLACES),
                "member_ids": tuple(sorted(rep_best)),
                "account_ids": tuple(sorted(account_best)),
                "lead_ids": tuple(sorted({i.lead_id for i, _, _ in mentions if i.lead_id})),
                "quotes": tuple(dict.fromkeys(i.quote for i, _, _ in newest_first if i.quote)),
                "negative": sum(1 for i, _, _ in mentions if i.sentiment is Sentiment.NEGATIVE),
                "neutral": sum(1 for i, _, _ in mentions if i.sentiment is Sentiment.NEUTRAL),
                "positive": sum(1 for i, _, _ in mentions if i.sentiment is Sentiment.POSITIVE),
                "latest": newest_first[0][0].at,
            }
        )
    scored.sort(
        key=lambda s: (
            -s["score"],
            -len(s["member_ids"]),
            -s["mentions"],
            -instant(s["latest"]).timestamp(),
            s["theme"],
        )
    )
    themes = tuple(ThemeScore(rank=n, **s) for n, s in enumerate(scored, start=1))
    return ThemeRanking(
        period=period,
        at=when,
        half_life=half_life,
        weights=chosen,
        insights=len(heard),
        reps=len(newest_rep),
        themes=themes,
    )


def unreflected_themes(
    org: Organisation,
    period: Period,
    *,
    at: datetime | None = None,
    min_reps: int = 3,
    half_life: timedelta = HALF_LIFE,
) -> tuple[ThemeScore, ...]:
    """The themes at least ``min_reps`` salespeople raised that no agreed narrative rests on.

    A narrative rests on a theme when its current version, agreed by both teams and
    written by ``at``, lists it among its :attr:`~salesmark.narratives.Narrative.themes`
    (compared ignoring case). Best first, as :func:`rank_themes` ranks them.

    Raises:
        ValidationError: As :func:`rank_themes`, or if ``min_reps`` is below 1.

    Example:
        >>> from salesmark import Organisation
        >>> unreflected_themes(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3))
        ()
    """
    v.require_whole(min_reps, "unreflected_themes min_reps", minimum=1)
    ranking = rank_themes(org, period, at=at, half_life=half_life)
    moment = instant(ranking.at)
    told = {
        theme.casefold()
        for n in org.narratives
        if n.is_agreed and instant(n.created_at) <= moment
        for theme in n.themes
    }
    return tuple(
        t
        for t in ranking.themes
        if len(t.member_ids) >= min_reps and t.theme.casefold() not in told
    )


class TrendDirection(str, enum.Enum):
    """Whether a theme is heard from more salespeople period after period, or fewer."""

    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"


@attrs.frozen(kw_only=True)
class ThemeTrend:
    """One theme across periods.

    Attributes:
        theme: The theme tag.
        reps: How many salespeople raised it in each period.
        mentions: How many insights named it in each period.
        slope: The least-squares slope of ``reps`` per period (4 places).
        direction: Rising (slope above 0), falling (below 0) or steady.
    """

    theme: str = attrs.field(validator=v.non_empty_text)
    reps: tuple[int, ...] = attrs.field(converter=_tuple, validator=rf.counts)
    mentions: tuple[int, ...] = attrs.field(converter=_tuple, validator=rf.counts)
    slope: Decimal = attrs.field(validator=rf.exact(Decimal))
    direction: TrendDirection = attrs.field(validator=v.member_of(TrendDirection))


@attrs.frozen(kw_only=True)
class ThemeTrends:
    """Every theme's trend across the given periods, the steepest rise first.

    Attributes:
        periods: The periods, oldest first.
        at: The evaluation time; later insights are left out.
        trends: One per theme heard in any period.
    """

    periods: tuple[Period, ...] = attrs.field(converter=_tuple, validator=rf.tuple_of(Period))
    at: datetime = attrs.field(validator=v.aware)
    trends: tuple[ThemeTrend, ...] = attrs.field(
        converter=_tuple, validator=rf.tuple_of(ThemeTrend)
    )

    def __attrs_post_init__(self) -> None:
        for index, trend in enumerate(self.trends):
            if not len(trend.reps) == len(trend.mentions) == len(self.periods):
                msg = f"ThemeTrends.trends[{index}] must hold one count per period ({len(self.periods)}), got {trend!r}"
                raise ValidationError(msg, path=f"/trends/{index}", value=trend)

    def trend(self, theme: str) -> ThemeTrend:
        """The trend of ``theme``.

        Raises:
            ValidationError: If no period heard it.

        Example:
            >>> from salesmark import Organisation
            >>> quarters = [Period.quarter(2026, q) for q in (1, 2)]
            >>> theme_trends(Organisation(name="Acme", currency="EUR"), quarters).trend("erp")
            Traceback (most recent call last):
            ...
            salesmark.errors.ValidationError: ThemeTrends has no theme 'erp'; themes are none
        """
        for t in self.trends:
            if t.theme == theme:
                return t
        known = ", ".join(repr(t.theme) for t in self.trends) or "none"
        msg = f"ThemeTrends has no theme {theme!r}; themes are {known}"
        raise ValidationError(msg)

    def __repr__(self) -> str:
        rising = sum(t.direction is TrendDirection.RISING for t in self.trends)
        falling = sum(t.direction is TrendDirection.FALLING for t in self.trends)
        return (
            f"ThemeTrends({len(self.trends)} themes over {len(self.periods)} periods: "
            f"{rising} rising, {falling} falling)"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per theme and period.

        Example:
            >>> from salesmark import Organisation
            >>> theme_trends(Organisation(name="Acme", currency="EUR"), [Period.quarter(2026, 1), Period.quarter(2026, 2)]).to_records()
            []
        """
        rows = [
            row(
                theme=t.theme,
                period_start=p.start,
                reps=reps,
                mentions=mentions,
                slope=t.slope,
                direction=t.direction,
            )
            for t in self.trends
            for p, reps, mentions in zip(self.periods, t.reps, t.mentions, strict=True)
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _slope(values: tuple[int, ...]) -> Fraction:
    n = len(values)
    mean_x, mean_y = Fraction(n - 1, 2), Fraction(sum(values), n)
    spread = sum(((k - mean_x) ** 2 for k in range(n)), Fraction(0))
    covariance = sum(((k - mean_x) * (y - mean_y) for k, y in enumerate(values)), Fraction(0))
    return covariance / spread


def theme_trends(
    org: Organisation, periods: Iterable[Period], *, at: datetime | None = None
) -> ThemeTrends:
    """How each theme moves across ``periods``: rising, falling or steady.

    A theme's measure in a period is the number of salespeople who raised it there
    (prevalence, as in :func:`rank_themes`); its direction is the sign of the exact
    least-squares slope of that count over the periods, in the order given.

    Args:
        org: The organisation.
        periods: Two or more periods, oldest first.
        at: The evaluation time (timezone-aware); the last period's end by default.

    Raises:
        ValidationError: If ``org`` is not an Organisation, or fewer than two periods
            are given.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import ClientInsight, Member, Organisation, Team
        >>> reps = [Member(id=f"s{i}", name=f"Rep {i}", team=Team.SALES) for i in range(3)]
        >>> def heard(rep, month, theme):
        ...     return ClientInsight(member_id=rep, at=datetime(2026, month, 10, tzinfo=timezone.utc), themes=(theme,))
        >>> org = Organisation(name="Acme", currency="EUR", members=reps, insights=[
        ...     heard("s0", 1, "erp"), heard("s0", 2, "erp"), heard("s1", 2, "erp"), heard("s2", 3, "erp"),
        ...     heard("s0", 3, "erp"), heard("s1", 3, "erp"), heard("s0", 1, "pricing")])
        >>> trends = theme_trends(org, [Period.month(2026, m) for m in (1, 2, 3)])
        >>> [(t.theme, t.reps, t.direction.value) for t in trends.trends]
        [('erp', (1, 2, 3), 'rising'), ('pricing', (1, 0, 0), 'falling')]
    """
    v.require(org, Organisation, "theme_trends org")
    chosen = v.argument_items(periods, "theme_trends periods", Period)
    if len(chosen) < 2:
        msg = f"theme_trends periods must hold at least two periods, got {len(chosen)}"
        raise ValidationError(msg)
    when = chosen[-1].end if at is None else require_aware(at, "theme_trends at")
    reps: dict[str, list[set[str]]] = {}
    mentions: dict[str, list[int]] = {}
    for index, period in enumerate(chosen):
        for insight in _heard(org, period, when):
            for theme in dict.fromkeys(insight.themes):
                reps.setdefault(theme, [set() for _ in chosen])[index].add(insight.member_id)
                mentions.setdefault(theme, [0] * len(chosen))[index] += 1
    trends = []
    for theme in sorted(reps):
        counts = tuple(len(s) for s in reps[theme])
        slope = _slope(counts)
        direction = (
            TrendDirection.RISING
            if slope > 0
            else TrendDirection.FALLING
            if slope < 0
            else TrendDirection.STEADY
        )
        exact = Decimal(slope.numerator) / Decimal(slope.denominator)
        trends.append(
            ThemeTrend(
                theme=theme,
                reps=counts,
                mentions=tuple(mentions[theme]),
                slope=exact.quantize(_PLACES),
                direction=direction,
            )
        )
    trends.sort(key=lambda t: (-t.slope, t.theme))
    return ThemeTrends(periods=chosen, at=when, trends=tuple(trends))
