"""A strategy for whole organisations whose every reference points at something they hold.

Example:
    >>> from hypothesis import HealthCheck, given, settings
    >>> from salesmark import funnel_counts, Period
    >>> @settings(max_examples=3, database=None, deadline=None,
    ...           suppress_health_check=[HealthCheck.too_slow])
    ... @given(organisations(max_leads=3))
    ... def test_the_funnel_counts_at_most_every_lead(org):
    ...     counts = funnel_counts(org.leads, Period.quarter(2026, 1), lifecycle=org.lifecycle)
    ...     assert all(n <= len(org.leads) for n in counts.counts().values())
    >>> test_the_funnel_counts_at_most_every_lead()
"""

from __future__ import annotations

from hypothesis import strategies as st

from salesmark.lifecycle import DEMAND_WATERFALL, HUBSPOT
from salesmark.organisation import Organisation
from salesmark.teams import Member, Team
from salesmark.testing.strategies.crm import (
    campaigns,
    client_insights,
    content_assets,
    content_usage,
    lead_feedback,
    leads,
)
from salesmark.testing.strategies.goals import (
    kpi_definitions,
    kpi_keys,
    measurements,
    scorecards,
    slas,
    targets,
)
from salesmark.testing.strategies.meeting import cadences, meetings
from salesmark.testing.strategies.messaging import narratives, personas
from salesmark.testing.strategies.values import currencies, teams, words

__all__ = ["organisations"]


def _one_of(names: list[str]) -> st.SearchStrategy[str]:
    """One of ``names``, or nothing at all (a strategy that draws no value) when there are none."""
    return st.sampled_from(names) if names else st.nothing()


@st.composite
def organisations(draw: st.DrawFn, max_leads: int = 6) -> Organisation:
    """A small organisation whose every reference points at something it holds.

    Both teams have one to three members; personas, narratives, campaigns, content and
    its use, leads (with histories legal in the organisation's lifecycle, the demand
    waterfall or HubSpot's), feedback, insights, KPIs with measurements, targets and
    scorecards, an SLA, a cadence and meetings are drawn around them, each naming only
    ids the organisation holds.

    Args:
        draw: Given by hypothesis.
        max_leads: The most leads drawn.

    Returns:
        A strategy of :class:`~salesmark.organisation.Organisation`.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=3, database=None, deadline=None,
        ...           suppress_health_check=[HealthCheck.too_slow])
        ... @given(organisations(max_leads=2))
        ... def test_both_teams_have_members(org):
        ...     assert {Team.SALES, Team.MARKETING} == {m.team for m in org.members}
        >>> test_both_teams_have_members()
    """
    currency = draw(currencies())
    lifecycle = draw(st.sampled_from([DEMAND_WATERFALL, HUBSPOT]))
    sales = [
        Member(id=f"s{i}", name=draw(words()), team=Team.SALES)
        for i in range(draw(st.integers(1, 3)))
    ]
    marketing = [
        Member(id=f"m{i}", name=draw(words()), team=Team.MARKETING)
        for i in range(draw(st.integers(1, 3)))
    ]
    member_ids = st.sampled_from([m.id for m in (*sales, *marketing)])
    sales_ids = st.sampled_from([m.id for m in sales])
    persona_list = [
        draw(personas(st.just(f"p{i}"), member_ids)) for i in range(draw(st.integers(0, 3)))
    ]
    persona_ids = _one_of([p.id for p in persona_list])
    insight_count = draw(st.integers(0, 3))
    insight_ids = _one_of([f"i{i}" for i in range(insight_count)])
    narrative_list = (
        [
            draw(narratives(st.just(f"n{i}"), persona_ids, member_ids, insight_ids))
            for i in range(draw(st.integers(0, 2)))
        ]
        if persona_list
        else []
    )
    narrative_ids = st.none() | _one_of([n.id for n in narrative_list])
    campaign_list = [
        draw(campaigns(st.just(f"c{i}"), member_ids, currency))
        for i in range(draw(st.integers(0, 3)))
    ]
    campaign_ids = st.none() | _one_of([c.id for c in campaign_list])
    asset_list = [
        draw(
            content_assets(
                st.just(f"a{i}"),
                member_ids,
                persona_ids,
                narrative_ids,
                for_personas=bool(persona_list),
            )
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    asset_ids = _one_of([a.id for a in asset_list])
    lead_list = [
        draw(
            leads(
                lifecycle,
                currency,
                lead_id=st.just(f"L{i}"),
                member_ids=st.none() | member_ids,
                campaign_ids=campaign_ids,
                content_ids=st.none() | asset_ids,
                persona_ids=st.none() | persona_ids,
            )
        )
        for i in range(draw(st.integers(0, max_leads)))
    ]
    lead_ids = _one_of([lead.id for lead in lead_list])
    kpi_list = [
        draw(kpi_definitions(st.just(key)))
        for key in draw(st.lists(kpi_keys(), max_size=6, unique=True))
    ]
    keys = _one_of([k.key for k in kpi_list])
    card_list = (
        [
            draw(scorecards(keys, st.just(team)))
            for team in draw(st.lists(teams(), max_size=2, unique=True))
        ]
        if len(kpi_list) >= 3
        else []
    )
    return Organisation(
        name=draw(words()),
        currency=currency,
        lifecycle=lifecycle,
        members=(*sales, *marketing),
        personas=tuple(persona_list),
        narratives=tuple(narrative_list),
        campaigns=tuple(campaign_list),
        content=tuple(asset_list),
        content_usage=tuple(
            draw(st.lists(content_usage(asset_ids, member_ids, st.none() | lead_ids), max_size=2))
            if asset_list
            else ()
        ),
        leads=tuple(lead_list),
        feedback=tuple(
            draw(st.lists(lead_feedback(lead_ids, sales_ids), max_size=3)) if lead_list else ()
        ),
        insights=tuple(
            draw(
                client_insights(
                    sales_ids,
                    st.none() | persona_ids,
                    insight_id=st.just(f"i{i}") if i < insight_count else st.none(),
                    lead_ids=st.none() | lead_ids,
                )
            )
            for i in range(insight_count + draw(st.integers(0, 1)))
        ),
        kpis=tuple(kpi_list),
        measurements=tuple(draw(st.lists(measurements(keys), max_size=3))) if kpi_list else (),
        targets=tuple(draw(st.lists(targets(keys), max_size=3))) if kpi_list else (),
        scorecards=tuple(card_list),
        sla=draw(st.none() | slas()),
        cadence=draw(st.none() | cadences()),
        meetings=tuple(
            draw(meetings(st.just(f"mt{i}"), member_ids)) for i in range(draw(st.integers(0, 2)))
        ),
    )
