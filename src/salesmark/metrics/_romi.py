"""Return on marketing investment, in total and per campaign, from attributed revenue (private).

The revenue of the deals won in the period is credited to campaigns by an attribution
model (``KpiAssumptions.romi_model``): by default each deal goes to its last campaign
touch at or before the win (``"last_touch"`` over the journeys of campaign touches),
or any model of :mod:`salesmark.attribution` by name, or a function of journeys.
Revenue no campaign touch can take (a deal with no campaign touch before the win) stays
unattributed and is shown beside. A campaign that cost nothing in the period has no
return: it is not computable, with the reason. Import from :mod:`salesmark.metrics`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timezone
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark._time import instant
from salesmark.attribution import MODELS, journeys_from_leads
from salesmark.kpis import Direction, KpiUnit, KpiValue
from salesmark.metrics._assumptions import DEFAULT_ASSUMPTIONS, KpiAssumptions
from salesmark.metrics._economics import money_figure
from salesmark.metrics._kpi import MARKETING, Computed, NotComputable, Outcome, define, value_of
from salesmark.metrics.facts import KpiFacts

__all__ = ["Credit", "attributed_revenue", "return_on_marketing_investment", "romi_by_campaign"]

_ZERO: Final = Decimal(0)


@attrs.frozen(kw_only=True)
class Credit:
    """The period's won revenue as the ROMI model credits it (private to the formulas)."""

    by_campaign: Mapping[str, Fraction]
    unattributed: Fraction
    leads: Mapping[str, tuple[str, ...]]  # campaign -> the won deals that touched it
    credited_leads: tuple[str, ...]  # the won deals with a campaign touch up to the win

    @property
    def attributed(self) -> Fraction:
        return sum(self.by_campaign.values(), Fraction(0))


def attributed_revenue(f: KpiFacts, a: KpiAssumptions) -> Credit:
    """Credit the revenue of the deals won in the period to campaigns, by ``a.romi_model``.

    The journeys are the won deals' campaign touches up to the win
    (:func:`~salesmark.attribution.journeys_from_leads` keyed by ``campaign_id``).
    """
    deals = [(lead, at) for lead, at in f.deals_won if lead.value is not None]
    touched: dict[str, list[str]] = {}  # campaign -> the deals that touched it, in order
    credited_leads: list[str] = []
    last: dict[str, Decimal] = {}  # the default model, without building journeys
    for lead, at in deals:
        moment = instant(at)
        latest = None
        campaigns: set[str] = set()
        for touch in lead.touchpoints:  # in time order
            campaign = touch.campaign_id
            if campaign is None:
                continue
            when = touch.at
            if (when if type(when.tzinfo) is timezone else instant(when)) > moment:
                break
            latest = campaign
            if campaign not in campaigns:
                campaigns.add(campaign)
                touched.setdefault(campaign, []).append(lead.id)
        if latest is not None and lead.value is not None:
            credited_leads.append(lead.id)
            last[latest] = last.get(latest, _ZERO) + lead.value.amount
    credited: dict[str, Fraction] = {}
    if a.romi_model == "last_touch":
        credited = {name: Fraction(amount) for name, amount in last.items() if amount}
    elif touched:
        model = MODELS[a.romi_model] if isinstance(a.romi_model, str) else a.romi_model
        journeys = journeys_from_leads(
            [lead for lead, _ in deals], key="campaign_id", unset=None, lifecycle=f.lifecycle
        )
        result = model(journeys)
        credited = {
            str(name): Fraction(m.amount)
            for name, m in result.value_credits.items()
            if not m.is_zero()
        }
    revenue = Fraction(f.revenue.amount)
    return Credit(
        by_campaign=FrozenMap(credited),
        unattributed=revenue - sum(credited.values(), Fraction(0)),
        leads=FrozenMap({c: tuple(ids) for c, ids in touched.items()}),
        credited_leads=tuple(credited_leads),
    )


@define(
    key="return_on_marketing_investment",
    name="Return on marketing investment",
    unit=KpiUnit.RATIO,
    direction=Direction.HIGHER_IS_BETTER,
    owners=MARKETING,
    formula=(
        "(revenue attributed to campaigns * gross margin - marketing spend) / marketing spend"
    ),
)
def return_on_marketing_investment(f: KpiFacts, a: KpiAssumptions) -> Outcome:
    """(Revenue attributed to campaigns * gross margin - marketing spend) / marketing spend.

    The revenue won in the period is credited to campaigns by ``KpiAssumptions.romi_model``
    (default: each deal's last campaign touch at or before the win); what no campaign
    touch can take is left out and shown as ``unattributed_revenue``. Per campaign:
    :func:`romi_by_campaign`.
    """
    credit = attributed_revenue(f, a)
    context = {
        "attributed_revenue": money_figure(f, credit.attributed),
        "unattributed_revenue": money_figure(f, credit.unattributed),
        "spend": money_figure(f, f.spend),
        "gross_margin": a.gross_margin,
    }
    leads = {"attributed_revenue": credit.credited_leads}
    if f.spend == 0:
        return NotComputable(
            reason="no marketing spend in the period", context=context, leads=leads
        )
    value = (credit.attributed * Fraction(a.gross_margin) - f.spend) / f.spend
    return Computed(value=value, context=context, leads=leads)


def romi_by_campaign(
    facts: KpiFacts, assumptions: KpiAssumptions | None = None
) -> Mapping[str, KpiValue]:
    """Each campaign's return on marketing investment, from the revenue the ROMI model credits it.

    One :class:`~salesmark.kpis.KpiValue` (key ``return_on_marketing_investment``) per
    campaign that cost something in the period or was credited revenue, by campaign id:
    ``(credited revenue * gross margin - cost) / cost``, with the campaign's exact cost
    (:func:`~salesmark.campaigns.campaign_cost`). A campaign that cost nothing in the
    period is not computable, with the reason; its credited revenue is in the context.

    Args:
        facts: The period's facts (:meth:`KpiFacts.collect`).
        assumptions: The attribution model (``romi_model``) and gross margin (default:
            ``KpiAssumptions()``: last campaign touch, margin 1).

    Raises:
        WrongType: If ``facts`` is not a KpiFacts or ``assumptions`` not KpiAssumptions.

    Example:
        >>> from salesmark import Organisation, Period
        >>> romi_by_campaign(KpiFacts.collect(Organisation(name="A", currency="EUR"), Period.quarter(2026, 1)))
        {}
    """
    f = v.require(facts, KpiFacts, "romi_by_campaign facts")
    given = v.require_optional(assumptions, KpiAssumptions, "romi_by_campaign assumptions")
    a = DEFAULT_ASSUMPTIONS if given is None else given
    credit = attributed_revenue(f, a)
    margin = Fraction(a.gross_margin)
    costs = f.campaign_costs
    names = {c for c, cost in costs.items() if cost} | set(credit.by_campaign)
    values: dict[str, KpiValue] = {}
    for name in sorted(names):
        cost, revenue = costs.get(name, Fraction(0)), credit.by_campaign.get(name, Fraction(0))
        context = {
            "attributed_revenue": money_figure(f, revenue),
            "cost": money_figure(f, cost),
            "gross_margin": a.gross_margin,
        }
        leads = {"attributed_revenue": credit.leads.get(name, ())}
        outcome: Outcome
        if cost == 0:
            reason = (
                f"campaign {name!r} cost nothing in the period (no spend recorded and no "
                "budget in it), so its return has no denominator"
            )
            outcome = NotComputable(reason=reason, context=context, leads=leads)
        else:
            outcome = Computed(value=(revenue * margin - cost) / cost, context=context, leads=leads)
        values[name] = value_of(return_on_marketing_investment.definition, outcome, f)
    return FrozenMap(values)
