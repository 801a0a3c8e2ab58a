"""Recognition: marketing's part in deals won, and a bonus pool split by credit.

"Recognise marketing's part in deals; part of marketing's bonus on total sales."
:func:`marketing_recognition` finds the deals won with marketing touches, the
campaigns and content involved and their owners, and credits each owner with a share
of the revenue; :func:`allocate_bonus` splits a bonus pool by any credit per owner
(from this module or from an attribution model), exactly to the cent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._result_fields import lenient_tuple as _tuple
from salesmark.errors import ValidationError, WrongType
from salesmark.leads import Lead
from salesmark.money import Money, _ratio, _shown
from salesmark.organisation import Organisation
from salesmark.period import Period
from salesmark.teams import Team

__all__ = [
    "BonusAllocation",
    "BonusShare",
    "OwnerCredit",
    "RecognisedDeal",
    "Recognition",
    "allocate_bonus",
    "marketing_recognition",
]

_SHARE_SCALE = 10**4


_TEXTS: Final = rf.tuple_of(str)


def _currency(where: str, path: str, money: Money, currency: str) -> None:
    """Require ``money`` to be in ``currency`` (the result's own)."""
    if money.currency != currency:
        msg = f"{where} must be in {currency}, got {money!r}"
        raise ValidationError(msg, path=path, value=money, expected=f"an amount in {currency}")


@attrs.frozen(kw_only=True)
class RecognisedDeal:
    """A deal won with marketing's help.

    Attributes:
        lead_id: The won lead.
        won_at: When it was won.
        value: The deal value, if known.
        sales_owner_id: The salesperson who owns the lead, if assigned.
        marketing_touches: Marketing touchpoints up to the win.
        campaign_ids: Campaigns involved (the source campaign and touched ones), in
            order of first appearance.
        content_ids: Content assets involved, in order of first appearance.
        owner_ids: Owners of those campaigns and content, sorted.
        credits: Each owner's share of the deal value (see :func:`marketing_recognition`).
    """

    lead_id: str = attrs.field(validator=v.non_empty_text)
    won_at: datetime = attrs.field(validator=v.aware)
    value: Money | None = attrs.field(validator=v.optional_instance_of(Money))
    sales_owner_id: str | None = attrs.field(validator=v.optional_text)
    marketing_touches: int = attrs.field(validator=v.whole())
    campaign_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    content_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    owner_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    credits: tuple[tuple[str, Money], ...] = attrs.field(
        converter=_tuple, validator=rf.pairs_of(str, Money)
    )

    def __repr__(self) -> str:
        value = "no value" if self.value is None else str(self.value)
        return (
            f"RecognisedDeal({self.lead_id!r}, {value}, campaigns={list(self.campaign_ids)}, "
            f"content={list(self.content_ids)}, owners={list(self.owner_ids)})"
        )


@attrs.frozen(kw_only=True)
class OwnerCredit:
    """What one marketing owner contributed to the period's won deals.

    Attributes:
        owner_id: The member owning campaigns or content involved.
        name: The member's name (the id when unknown).
        deals: Won deals the owner's campaigns or content touched.
        credit: The owner's share of those deals' value.
        campaign_ids: The owner's campaigns involved, sorted.
        content_ids: The owner's content involved, sorted.
    """

    owner_id: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    deals: int = attrs.field(validator=v.whole())
    credit: Money = attrs.field(validator=v.instance_of(Money))
    campaign_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)
    content_ids: tuple[str, ...] = attrs.field(converter=_tuple, validator=_TEXTS)


@attrs.frozen(kw_only=True)
class Recognition:
    """The period's deals won with marketing touches, and the credit per owner.

    Attributes:
        period: The period whose wins are counted.
        currency: The organisation's currency.
        deals: The recognised deals, in order of winning.
        owners: Credit per owner, largest credit first (ties by id).
    """

    period: Period = attrs.field(validator=v.instance_of(Period))
    currency: str = attrs.field(validator=v.non_empty_text)
    deals: tuple[RecognisedDeal, ...] = attrs.field(
        converter=_tuple, validator=rf.tuple_of(RecognisedDeal)
    )
    owners: tuple[OwnerCredit, ...] = attrs.field(
        converter=_tuple, validator=rf.tuple_of(OwnerCredit)
    )

    def __attrs_post_init__(self) -> None:
        for index, deal in enumerate(self.deals):
            if deal.value is not None:
                _currency(
                    "Recognition deal values", f"/deals/{index}/value", deal.value, self.currency
                )
        for index, owner in enumerate(self.owners):
            _currency(
                "Recognition owner credits", f"/owners/{index}/credit", owner.credit, self.currency
            )
            if owner.deals > len(self.deals):
                msg = (
                    f"Recognition.owners[{index}].deals must be at most the {len(self.deals)} "
                    f"deals recognised, got {owner.deals}"
                )
                raise ValidationError(msg, path=f"/owners/{index}/deals", value=owner.deals)

    @property
    def revenue(self) -> Money:
        """The total value of the recognised deals."""
        return Money.total((d.value for d in self.deals if d.value is not None), self.currency)

    def credits(self) -> dict[str, Decimal]:
        """Credit per owner as plain amounts, ready for :func:`allocate_bonus`."""
        return {o.owner_id: o.credit.amount for o in self.owners}

    def __repr__(self) -> str:
        return (
            f"Recognition({len(self.deals)} deals won with marketing, revenue {self.revenue}, "
            f"{len(self.owners)} owners credited)"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per owner credit."""
        rows = [
            row(
                owner_id=o.owner_id,
                name=o.name,
                deals=o.deals,
                credit=o.credit,
                currency=o.credit.currency,
                campaign_ids=", ".join(o.campaign_ids),
                content_ids=", ".join(o.content_ids),
            )
            for o in self.owners
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _recognise(org: Organisation, lead: Lead, won_at: datetime) -> RecognisedDeal | None:
    touches = [t for t in lead.touchpoints if t.team is Team.MARKETING and t.at <= won_at]
    source_campaign = lead.campaign_id
    if not touches and source_campaign is None:
        return None
    campaigns = dict.fromkeys(
        ([source_campaign] if source_campaign else [])
        + [t.campaign_id for t in touches if t.campaign_id]
    )
    content = dict.fromkeys(t.content_id for t in touches if t.content_id)
    # one slot per touch and owner: each touch's credit is split between the owners of
    # its campaign and its content; without such touches the source campaign's owner
    slots: list[tuple[str, Fraction]] = []
    for t in touches:
        owners: list[str] = []
        if t.campaign_id and (owner := org.campaign(t.campaign_id).owner_id) is not None:
            owners.append(owner)
        if t.content_id:
            owners.append(org.content_asset(t.content_id).owner_id)
        slots += [(o, Fraction(1, len(owners))) for o in owners]
    source_owner = None if source_campaign is None else org.campaign(source_campaign).owner_id
    if not slots and source_owner is not None:
        slots.append((source_owner, Fraction(1)))
    campaign_owners = {org.campaign(c).owner_id for c in campaigns}
    owner_ids = {o for o in campaign_owners if o is not None} | {
        org.content_asset(c).owner_id for c in content
    }
    by_owner: dict[str, Money] = {}
    if slots:
        value = Money.zero(org.currency) if lead.value is None else lead.value
        parts = value.allocate([w for _, w in slots])
        for (owner, _), part in zip(slots, parts, strict=True):
            by_owner[owner] = by_owner.get(owner, Money.zero(value.currency)) + part
    return RecognisedDeal(
        lead_id=lead.id,
        won_at=won_at,
        value=lead.value,
        sales_owner_id=lead.owner_id,
        marketing_touches=len(touches),
        campaign_ids=tuple(c for c in campaigns if c is not None),
        content_ids=tuple(c for c in content if c is not None),
        owner_ids=tuple(sorted(owner_ids)),
        credits=tuple(sorted(by_owner.items())),
    )


def marketing_recognition(org: Organisation, period: Period) -> Recognition:
    """The deals won in ``period`` that marketing touched, and who gets the credit.

    A won deal counts when the lead had a marketing touchpoint at or before the win,
    or came from a campaign. Credit is linear: the deal value is split equally over
    the marketing touchpoints that name a campaign or a content asset; a touchpoint's
    share goes to the owner of its campaign and the owner of its content (half each
    when both are set, even if they are the same person). Touchpoints with neither
    have no owner to credit and are left out of the split. A deal with a source
    campaign but no such touchpoints credits that campaign's owner in full.
    Splits use :meth:`Money.allocate`, so each deal's credits add up to its value
    exactly. Deals without a value are listed but credit nothing.

    Args:
        org: The organisation.
        period: The period in which the deals were won: the first entry into the won
            stage of the organisation's lifecycle (the last stage of its progression,
            ``won`` in the demand waterfall, ``customer`` in HubSpot's).

    Returns:
        The recognised deals and the credit per owner.

    Raises:
        ValidationError: If ``period`` is not a Period.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import Campaign, Lead, LeadSource, Member, Money, Organisation, Stage
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> lead = Lead.create(id="L1", created_at=t, source=LeadSource(campaign_id="c1"), value=Money.of(900, "EUR"))
        >>> for stage in ("mql", "sal", "sql", "opportunity", "won"):
        ...     lead = lead.advance(stage, at=t)
        >>> org = Organisation(
        ...     name="Acme", currency="EUR", leads=(lead,),
        ...     members=(Member(id="m1", name="Mia", team=Team.MARKETING),),
        ...     campaigns=(Campaign(id="c1", name="Search", channel="paid_search", owner_id="m1",
        ...                         period=Period.quarter(2026, 1), budget=Money.of(1000, "EUR")),),
        ... )
        >>> marketing_recognition(org, Period.month(2026, 3)).credits()
        {'m1': Decimal('900.00')}
    """
    v.require(org, Organisation, "marketing_recognition org")
    v.require(period, Period, "marketing_recognition period")
    path = org.lifecycle.progression
    deals: list[RecognisedDeal] = []
    for lead in org.leads if path else ():
        won_at = lead.entered(path[-1])
        if won_at is None or not period.contains(won_at):
            continue
        deal = _recognise(org, lead, won_at)
        if deal is not None:
            deals.append(deal)
    deals.sort(key=lambda d: (d.won_at, d.lead_id))
    totals: dict[str, Money] = {}
    counts: dict[str, int] = {}
    campaigns: dict[str, set[str]] = {}
    content: dict[str, set[str]] = {}
    for deal in deals:
        for owner in deal.owner_ids:
            counts[owner] = counts.get(owner, 0) + 1
            totals.setdefault(owner, Money.zero(org.currency))
        for owner, amount in deal.credits:
            totals[owner] = totals.get(owner, Money.zero(org.currency)) + amount
        for c in deal.campaign_ids:
            campaign_owner = org.campaign(c).owner_id
            if campaign_owner is not None:  # a campaign nobody owns credits no one
                campaigns.setdefault(campaign_owner, set()).add(c)
        for c in deal.content_ids:
            content.setdefault(org.content_asset(c).owner_id, set()).add(c)
    known = {m.id: m.name for m in org.members}
    owners = [
        OwnerCredit(
            owner_id=owner,
            name=known.get(owner, owner),
            deals=counts.get(owner, 0),
            credit=credit,
            campaign_ids=tuple(sorted(campaigns.get(owner, ()))),
            content_ids=tuple(sorted(content.get(owner, ()))),
        )
        for owner, credit in totals.items()
    ]
    owners.sort(key=lambda o: (-o.credit.amount, o.owner_id))
    return Recognition(
        period=period, currency=org.currency, deals=tuple(deals), owners=tuple(owners)
    )


# -- bonus allocation ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class BonusShare:
    """One owner's part of a bonus pool.

    Attributes:
        owner_id: The owner.
        credit: The credit given.
        share: ``credit / total credit`` to 4 places (for reading; the amount is exact).
        amount: The owner's part of the pool.
    """

    owner_id: str = attrs.field(validator=v.non_empty_text)
    credit: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0))
    share: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0, maximum=1))
    amount: Money = attrs.field(validator=v.instance_of(Money))


@attrs.frozen(kw_only=True)
class BonusAllocation:
    """A bonus pool split by credit; the amounts add up to the pool exactly.

    Attributes:
        pool: The pool split.
        shares: One share per owner, sorted by owner id.
    """

    pool: Money = attrs.field(validator=v.instance_of(Money))
    shares: tuple[BonusShare, ...] = attrs.field(
        converter=_tuple, validator=rf.tuple_of(BonusShare)
    )

    def __attrs_post_init__(self) -> None:
        for index, part in enumerate(self.shares):
            _currency(
                "BonusAllocation shares", f"/shares/{index}/amount", part.amount, self.pool.currency
            )
        total = sum((s.amount.amount for s in self.shares), Decimal(0))
        if self.shares and total != self.pool.amount:
            msg = f"BonusAllocation.shares must add up to the pool ({self.pool}), got {total}"
            raise ValidationError(msg, path="/shares", value=total, expected=str(self.pool.amount))

    def as_dict(self) -> dict[str, Money]:
        """Amount per owner.

        Example:
            >>> allocate_bonus(Money.of(10, "EUR"), {"a": 1}).as_dict()
            {'a': Money('10.00 EUR')}
        """
        return {s.owner_id: s.amount for s in self.shares}

    def __repr__(self) -> str:
        parts = ", ".join(f"{s.owner_id}: {s.amount}" for s in self.shares)
        return f"BonusAllocation({self.pool} -> {parts})"

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per owner."""
        rows = [
            row(
                owner_id=s.owner_id,
                credit=s.credit,
                share=s.share,
                amount=s.amount,
                currency=s.amount.currency,
            )
            for s in self.shares
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _credit(owner: object, value: object) -> Fraction:
    if not isinstance(owner, str):
        msg = f"allocate_bonus credits keys must be non-empty owner ids (str), got {_shown(owner)}"
        raise WrongType(msg)
    if not owner.strip():
        msg = f"allocate_bonus credits keys must be non-empty owner ids, got {owner!r}"
        raise ValidationError(msg)
    name = f"allocate_bonus credits[{owner!r}]"  # owner is a str by now
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        msg = f"{name} must be a number (Decimal, int or float), got {_shown(value)}"
        raise WrongType(msg)
    if isinstance(value, Decimal):
        finite = value.is_finite()
    else:  # an int of any size is finite; a float need not be
        finite = isinstance(value, int) or math.isfinite(value)
    if not finite or value < 0:
        msg = f"{name} must be finite and >= 0, got {_shown(value)}"
        raise ValidationError(msg)
    return _ratio(value, name)


def allocate_bonus(
    pool: Money,
    credits: Mapping[str, float | Decimal],  # noqa: A002 (the issue names the argument)
) -> BonusAllocation:
    """Split a bonus pool in proportion to each owner's credit, exactly to the cent.

    The split is :meth:`Money.allocate` over the owners sorted by id: each owner gets
    the pool times their share rounded down to the cent, and the cents left over go one
    at a time to the largest remainders (ties to the owner whose id sorts first), so
    the amounts always add up to the pool.

    Args:
        pool: The bonus pool (not negative).
        credits: Credit per owner id, e.g. attributed revenue or attribution weight;
            not negative, not all zero. Each credit is below ``10**1000`` with at most
            1,000 decimal places (so ``10**400`` or a float near ``1e308`` is fine: the
            split is exact whatever the size).

    Returns:
        One share per owner.

    Raises:
        WrongType: If the pool is not Money, ``credits`` not a mapping, an owner id not
            a string or a credit not a number.
        ValidationError: If the pool is negative, ``credits`` is empty, an owner id is
            blank, or a credit is negative, not finite or too large, or all credits are
            zero.

    Example:
        >>> allocate_bonus(Money.of("1000.00", "EUR"), {"mia": 2, "leo": 1})
        BonusAllocation(1,000.00 EUR -> leo: 333.33 EUR, mia: 666.67 EUR)
        >>> allocate_bonus(Money.of("1000.00", "EUR"), {"mia": -1})
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: allocate_bonus credits['mia'] must be finite and >= 0, got -1
    """
    v.require(pool, Money, "allocate_bonus pool")
    if pool.amount < 0:
        msg = f"allocate_bonus pool must not be negative, got {pool!r}"
        raise ValidationError(msg)
    if not isinstance(credits, Mapping):
        msg = f"allocate_bonus credits must be a non-empty mapping of owner id to credit, got {credits!r}"
        raise WrongType(msg)
    if not credits:
        msg = f"allocate_bonus credits must be a non-empty mapping of owner id to credit, got {credits!r}"
        raise ValidationError(msg)
    owners = sorted(credits, key=str)
    exact = [_credit(owner, credits[owner]) for owner in owners]
    total = sum(exact, Fraction(0))
    if total == 0:
        msg = f"allocate_bonus credits must not all be zero, got {dict(credits)!r}"
        raise ValidationError(msg)
    amounts = pool.allocate(exact)
    shares = []
    for owner, weight, amount in zip(owners, exact, amounts, strict=True):
        raw = credits[owner]
        credit = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        # The share to 4 places, rounded half-even from its exact value.
        share = Decimal(f"{round(weight / total * _SHARE_SCALE)}E-4")
        shares.append(BonusShare(owner_id=owner, credit=credit, share=share, amount=amount))
    return BonusAllocation(pool=pool, shares=tuple(shares))
