"""Content that wins: which assets appear in won journeys more than in lost ones.

"What marketing comes up with often doesn't boost sales." :func:`content_performance`
looks at every deal closed in a period, won or lost, and at the content in its journey:
the assets its marketing and sales touchpoints name and the assets sales used with the
lead, up to the close. Per asset it reports:

* **lift**: the win rate of closed journeys that include the asset over the win rate
  of all closed journeys, ``P(won | asset) / P(won)`` (association-rule lift; 1 means
  the asset makes no difference);
* an interval for the lift: the **Wilson score interval** of ``P(won | asset)`` (95%
  with the default ``z = 1.96``) divided by the overall win rate, which is treated as
  known. An asset whose whole interval lies below 1 is *losing*, above 1 *winning*;
* **usage by sales**: how often salespeople used it and who, by ``at``;
* **who and what it serves**: the personas it was written for and its buying stage,
  and the personas of the leads and the lifecycle stages at which they met it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._result_fields import lenient_tuple as _tuple
from salesmark._time import instant, require_aware
from salesmark.content import BuyingStage, ContentAsset, ContentKind
from salesmark.errors import UnknownReference, ValidationError
from salesmark.intervals import Z95, wilson
from salesmark.leads import Lead
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.scoring._outcomes import closed
from salesmark.teams import Team

__all__ = [
    "AssetPerformance",
    "ContentPerformance",
    "content_performance",
]

_PLACES = Decimal("0.0001")


_RATE: Final = rf.exact(Decimal, minimum=0, maximum=1, optional=True)
_LIFT: Final = rf.exact(Decimal, minimum=0, optional=True)
_TEXTS: Final = rf.tuple_of(str)


@attrs.frozen(kw_only=True)
class AssetPerformance:
    """How one content asset fares in the deals closed in a period.

    Attributes:
        asset_id: The asset.
        title: Its title.
        kind: What kind of asset it is.
        stage: The buying stage it was made for.
        persona_ids: The personas it was written for.
        won: Closed-won journeys that include it.
        lost: Closed-lost journeys that include it.
        win_rate: ``won / (won + lost)`` (4 places), or ``None`` if it closed no deal.
        lift: ``win_rate`` over the overall win rate, or ``None``.
        lift_low: The lower end of the lift's Wilson interval, or ``None``.
        lift_high: The upper end, or ``None``.
        sales_uses: How often salespeople used it by ``at``.
        sales_users: The salespeople who used it.
        personas_served: The personas of the leads whose journeys include it.
        stages_served: The lifecycle stages those leads were in when they met it.
    """

    asset_id: str = attrs.field(validator=v.non_empty_text)
    title: str = attrs.field(validator=v.non_empty_text)
    kind: ContentKind = attrs.field(validator=v.member_of(ContentKind))
    stage: BuyingStage = attrs.field(validator=v.member_of(BuyingStage))
    persona_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    won: int = attrs.field(validator=v.whole())
    lost: int = attrs.field(validator=v.whole())
    win_rate: Decimal | None = attrs.field(validator=_RATE)
    lift: Decimal | None = attrs.field(validator=_LIFT)
    lift_low: Decimal | None = attrs.field(validator=_LIFT)
    lift_high: Decimal | None = attrs.field(validator=_LIFT)
    sales_uses: int = attrs.field(validator=v.whole())
    sales_users: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    personas_served: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    stages_served: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)

    def __attrs_post_init__(self) -> None:
        rf.ordered(self, "lift_low", "lift_high")
        if len(self.sales_users) > self.sales_uses:
            msg = (
                f"AssetPerformance.sales_users must be at most sales_uses ({self.sales_uses}) "
                f"people, got {len(self.sales_users)}"
            )
            raise ValidationError(msg, path="/sales_users", value=self.sales_users)

    @property
    def losing(self) -> bool:
        """Whether the whole lift interval lies below 1: it wins less often than average."""
        return self.lift_high is not None and self.lift_high < 1

    @property
    def winning(self) -> bool:
        """Whether the whole lift interval lies above 1."""
        return self.lift_low is not None and self.lift_low > 1

    def __repr__(self) -> str:
        lift = "n/a" if self.lift is None else f"{self.lift} [{self.lift_low}, {self.lift_high}]"
        return (
            f"AssetPerformance({self.asset_id!r}: {self.won} won, {self.lost} lost, "
            f"lift {lift}, {self.sales_uses} sales uses)"
        )


@attrs.frozen(kw_only=True)
class ContentPerformance:
    """Every content asset's presence in the period's won and lost deals.

    Attributes:
        period: The period whose closed deals are read.
        at: The evaluation time.
        won: Deals won in the period.
        lost: Deals lost in the period.
        win_rate: ``won / (won + lost)`` (4 places), or ``None`` with no closed deal.
        z: The normal quantile of the Wilson intervals.
        assets: One per content asset, in the organisation's order.
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    at: datetime = attrs.field(validator=v.aware)
    won: int = attrs.field(validator=v.whole())
    lost: int = attrs.field(validator=v.whole())
    win_rate: Decimal | None = attrs.field(validator=_RATE)
    z: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0))
    assets: tuple[AssetPerformance, ...] = attrs.field(
        converter=_tuple, validator=rf.tuple_of(AssetPerformance)
    )

    def __attrs_post_init__(self) -> None:
        for index, asset in enumerate(self.assets):
            if asset.won > self.won or asset.lost > self.lost:
                msg = (
                    f"ContentPerformance.assets[{index}] must be in at most the period's "
                    f"{self.won} won and {self.lost} lost deals, got {asset.won} won and "
                    f"{asset.lost} lost"
                )
                raise ValidationError(msg, path=f"/assets/{index}", value=asset)

    def asset(self, asset_id: str) -> AssetPerformance:
        """The performance of asset ``asset_id``.

        Raises:
            UnknownReference: If the organisation has no such asset.

        Example:
            >>> from salesmark import Organisation
            >>> content_performance(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3)).asset("a1")
            Traceback (most recent call last):
            ...
            salesmark.errors.UnknownReference: ContentPerformance has no asset a1
        """
        for a in self.assets:
            if a.asset_id == asset_id:
                return a
        msg = f"ContentPerformance has no asset {asset_id}"
        raise UnknownReference(msg)

    @property
    def losing(self) -> tuple[AssetPerformance, ...]:
        """The assets that win significantly less often than average.

        Example:
            >>> from salesmark import Organisation
            >>> content_performance(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3)).losing
            ()
        """
        return tuple(a for a in self.assets if a.losing)

    @property
    def unused(self) -> tuple[AssetPerformance, ...]:
        """The assets no salesperson has used."""
        return tuple(a for a in self.assets if a.sales_uses == 0)

    def __repr__(self) -> str:
        return (
            f"ContentPerformance({len(self.assets)} assets over {self.won} won and {self.lost} "
            f"lost deals: {len(self.losing)} losing, {len(self.unused)} unused by sales)"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per asset.

        Example:
            >>> from salesmark import Organisation
            >>> content_performance(Organisation(name="Acme", currency="EUR"), Period.month(2026, 3)).to_records()
            []
        """
        rows = [
            row(
                asset_id=a.asset_id,
                title=a.title,
                kind=a.kind,
                stage=a.stage,
                won=a.won,
                lost=a.lost,
                win_rate=a.win_rate,
                lift=a.lift,
                lift_low=a.lift_low,
                lift_high=a.lift_high,
                losing=a.losing,
                sales_uses=a.sales_uses,
                sales_users=", ".join(a.sales_users),
                personas_served=", ".join(a.personas_served),
                stages_served=", ".join(a.stages_served),
            )
            for a in self.assets
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _closed(org: Organisation, lead: Lead, at: datetime) -> tuple[bool, datetime] | None:
    """``(won, when)`` for a lead closed by ``at``: won, or lost after reaching the opportunity."""
    return closed(lead, org.lifecycle, at)


def _ratio(part: Decimal, whole: Decimal | None) -> Decimal | None:
    return None if whole is None or whole == 0 else (part / whole).quantize(_PLACES)


@attrs.define
class _Seen:
    """What the journeys show per asset: closed deals, personas, stages and sales' use."""

    won: int = 0
    lost: int = 0
    tally: dict[str, list[int]] = attrs.Factory(dict)
    personas: dict[str, set[str]] = attrs.Factory(dict)
    stages: dict[str, dict[str, None]] = attrs.Factory(dict)
    uses: dict[str, list[str]] = attrs.Factory(dict)
    lifecycle_stages: tuple[str, ...] = ()

    @classmethod
    def gather(cls, org: Organisation, period: Period, at: datetime) -> _Seen:
        moment = instant(at)
        seen = cls(lifecycle_stages=org.lifecycle.stage_names)
        sellers = {m.id for m in org.team(Team.SALES)}
        with_lead: dict[str, list[tuple[str, datetime]]] = {}
        for use in org.content_usage:
            if instant(use.at) <= moment and use.member_id in sellers:
                seen.uses.setdefault(use.asset_id, []).append(use.member_id)
            if use.lead_id is not None:
                with_lead.setdefault(use.lead_id, []).append((use.asset_id, use.at))
        for lead in org.leads:
            met = [(t.content_id, t.at) for t in lead.touchpoints if t.content_id is not None]
            seen.add(org, lead, [*met, *with_lead.get(lead.id, [])], period, at)
        return seen

    def add(
        self,
        org: Organisation,
        lead: Lead,
        met: list[tuple[str, datetime]],
        period: Period,
        at: datetime,
    ) -> None:
        closed = _closed(org, lead, at)
        end = instant(at if closed is None else closed[1])
        journey = [(asset, when) for asset, when in met if instant(when) <= end]
        for asset, when in journey:
            stage = lead.stage_as_of(when)
            if stage is not None:
                self.stages.setdefault(asset, {})[stage] = None
            if lead.persona_id is not None:
                self.personas.setdefault(asset, set()).add(lead.persona_id)
        if closed is None or not period.contains(closed[1]):
            return
        won = closed[0]
        self.won += won
        self.lost += not won
        for asset in {asset for asset, _ in journey}:
            self.tally.setdefault(asset, [0, 0])[0 if won else 1] += 1

    def performance(
        self, asset: ContentAsset, overall: Decimal | None, z: Decimal
    ) -> AssetPerformance:
        won, lost = self.tally.get(asset.id, [0, 0])
        rate = lift = low = high = None
        if won + lost:
            rate = Decimal(won) / (won + lost)
            lift = _ratio(rate, overall)
            if lift is not None:
                wilson_low, wilson_high = wilson(won, won + lost, z)
                low, high = _ratio(wilson_low, overall), _ratio(wilson_high, overall)
        used_by = self.uses.get(asset.id, [])
        stages = self.stages.get(asset.id, {})
        return AssetPerformance(
            asset_id=asset.id,
            title=asset.title,
            kind=asset.kind,
            stage=asset.stage,
            persona_ids=asset.persona_ids,
            won=won,
            lost=lost,
            win_rate=None if rate is None else rate.quantize(_PLACES),
            lift=lift,
            lift_low=low,
            lift_high=high,
            sales_uses=len(used_by),
            sales_users=tuple(sorted(set(used_by))),
            personas_served=tuple(sorted(self.personas.get(asset.id, set()))),
            stages_served=tuple(s for s in self.lifecycle_stages if s in stages),
        )


def content_performance(
    org: Organisation, period: Period, *, at: datetime | None = None, z: Decimal = Z95
) -> ContentPerformance:
    """Each content asset's presence in the won and lost deals closed in ``period``.

    A deal is won when it enters the last stage of the lifecycle's progression and
    lost when, after reaching the stage before it (the opportunity), it moves off the
    progression (``lost`` in the demand waterfall, ``other`` in HubSpot's); it counts
    in the period it closed in, by ``at``. Its journey holds the assets named by its
    touchpoints and by sales' uses of content with the lead, up to the close. See the
    module for the lift and its interval.

    Args:
        org: The organisation.
        period: The period whose closed deals are read.
        at: The evaluation time (timezone-aware); ``period.end`` by default.
        z: The normal quantile of the Wilson intervals (1.96 for 95%).

    Raises:
        ValidationError: If ``org``, ``period`` or ``z`` is of the wrong type.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import BuyingStage, ContentAsset, ContentKind, Lead, Member, Organisation, Team, Touchpoint, TouchpointKind
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> def deal(i, won, asset):
        ...     touch = Touchpoint(at=t, channel="email", kind=TouchpointKind.EMAIL_CLICK, team=Team.MARKETING, content_id=asset)
        ...     lead = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", touchpoints=[touch])
        ...     return lead.advance("won", at=t) if won else lead.advance("lost", at=t, reason="price")
        >>> leads = [deal(i, i < 8, "a1") for i in range(10)] + [deal(i, False, "a2") for i in range(10, 20)]
        >>> assets = [ContentAsset(id=a, title=a, kind=ContentKind.EBOOK, stage=BuyingStage.DECISION, owner_id="m1") for a in ("a1", "a2")]
        >>> report = content_performance(Organisation(name="Acme", currency="EUR", members=[Member(id="m1", name="Mia", team=Team.MARKETING)],
        ...                                           content=assets, leads=leads), Period.month(2026, 3))
        >>> report
        ContentPerformance(2 assets over 8 won and 12 lost deals: 1 losing, 2 unused by sales)
        >>> report.asset("a1"), report.asset("a2").losing
        (AssetPerformance('a1': 8 won, 2 lost, lift 2.0000 [1.2254, 2.3583], 0 sales uses), True)
    """
    v.require(org, Organisation, "content_performance org")
    v.require(period, Period, "content_performance period")
    v.require(z, Decimal, "content_performance z")
    when = period.end if at is None else require_aware(at, "content_performance at")
    seen = _Seen.gather(org, period, when)
    closed = seen.won + seen.lost
    overall = None if not closed else Decimal(seen.won) / closed
    return ContentPerformance(
        period=period,
        at=when,
        won=seen.won,
        lost=seen.lost,
        win_rate=None if overall is None else overall.quantize(_PLACES),
        z=z,
        assets=tuple(seen.performance(a, overall, z) for a in org.content),
    )
