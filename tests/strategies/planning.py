"""Small hand-made companies shared by the planning tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from salesmark import Lead, Member, Money, Organisation, Team
from salesmark.lifecycle import Lifecycle, StageDefinition, Transition

T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def eur(amount: int | str) -> Money:
    return Money.of(amount, "EUR")


MINI = Lifecycle(
    name="mini",
    initial="lead",
    progression=("lead", "deal", "won"),
    stages=[
        StageDefinition(name="lead", probability="0.1"),
        StageDefinition(name="deal", probability="0.5"),
        StageDefinition(name="won", terminal=True, probability="1"),
        StageDefinition(name="lost", terminal=True, probability="0"),
    ],
    transitions=[
        Transition(source=a, target=b)
        for a, b in (("lead", "deal"), ("lead", "lost"), ("deal", "won"), ("deal", "lost"))
    ],
)
"""Lead, deal, won (and lost): configured probabilities 10% and 50%."""

ONE_STAGE = Lifecycle(
    name="one",
    initial="deal",
    progression=("deal", "won"),
    stages=[StageDefinition(name="deal"), StageDefinition(name="won", terminal=True)],
    transitions=[Transition(source="deal", target="won")],
)
"""A single open stage whose only way out is the win: its rate is 1."""


def mini_company() -> Organisation:
    """Four leads of 2 March: L0 and L1 become deals on day 10, L2 and L3 are lost on day 5;
    L0 is won on day 20 (2,500 EUR), L1 lost on day 25. Then, open on 1 June: L4 a lead
    since 20 May and deals D1 (1,000 EUR, owner s1) and D2 (3,000 EUR, owner s2) since 28 May.
    """
    life = MINI
    new = [
        Lead.create(id=f"L{i}", created_at=T0, lifecycle=life, value=eur(2500), owner_id="s1")
        for i in range(4)
    ]
    deals = [new[i].advance("deal", at=T0 + 10 * DAY, lifecycle=life) for i in (0, 1)]
    history = (
        deals[0].advance("won", at=T0 + 20 * DAY, lifecycle=life),
        deals[1].advance("lost", at=T0 + 25 * DAY, lifecycle=life),
        *(new[i].advance("lost", at=T0 + 5 * DAY, lifecycle=life) for i in (2, 3)),
    )
    may20, may28 = (
        datetime(2026, 5, 20, tzinfo=timezone.utc),
        datetime(2026, 5, 28, tzinfo=timezone.utc),
    )
    open_now = (
        Lead.create(id="L4", created_at=may20, lifecycle=life),
        Lead.create(
            id="D1", created_at=may28, lifecycle=life, stage="deal", value=eur(1000), owner_id="s1"
        ),
        Lead.create(
            id="D2", created_at=may28, lifecycle=life, stage="deal", value=eur(3000), owner_id="s2"
        ),
    )
    members = tuple(Member(id=m, name=m, team=Team.SALES) for m in ("s1", "s2"))
    return Organisation(
        name="Mini", currency="EUR", lifecycle=life, members=members, leads=(*history, *open_now)
    )
