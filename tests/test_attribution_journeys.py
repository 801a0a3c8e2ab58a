"""Tests for salesmark.attribution.journeys: journeys from leads, lookback windows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from salesmark import DEMAND_WATERFALL as W
from salesmark import Lead, Money, Stage, Touchpoint, TouchpointKind, ValidationError
from salesmark.attribution import Journey, Lookback, Milestones, journeys_from_leads

T = datetime(2026, 3, 1, tzinfo=timezone.utc)


def touch(
    day: int, channel: str, campaign: str | None = None, content: str | None = None
) -> Touchpoint:
    return Touchpoint(
        at=T + timedelta(days=day),
        channel=channel,
        kind=TouchpointKind.OTHER,
        campaign_id=campaign,
        content_id=content,
    )


def won_lead() -> Lead:
    lead = Lead.create(
        id="L1",
        created_at=T + timedelta(days=2),
        value=Money.of(1000, "EUR"),
        touchpoints=[
            touch(0, "search", "c-search"),
            touch(2, "webinar", "c-web", "deck"),
            touch(5, "email"),
            touch(9, "call", "c-web"),
            touch(12, "contract"),
            touch(20, "after_close"),
        ],
    )
    for day, stage in [
        (3, Stage.MQL),
        (4, Stage.SAL),
        (5, Stage.SQL),
        (9, Stage.OPPORTUNITY),
        (12, Stage.WON),
    ]:
        lead = lead.advance(stage, at=T + timedelta(days=day))
    return lead


class TestJourneysFromLeads:
    def test_won_lead(self) -> None:
        """A won lead's journey stops at the win and marks its milestones."""
        expected = Journey(
            path=("search", "webinar", "email", "call", "contract"),
            converted=True,
            value=Money.of(1000, "EUR"),
            times=tuple(T + timedelta(days=d) for d in (0, 2, 5, 9, 12)),
            converted_at=T + timedelta(days=12),
            milestones=Milestones(lead_created=1, opportunity_created=3, closed_won=4),
        )
        assert (expected,) == journeys_from_leads([won_lead()], lifecycle=W)

    def test_not_converted(self) -> None:
        """A lead that never reached the stage keeps all touches and no value."""
        (journey,) = journeys_from_leads([won_lead()], converted_at="lost", lifecycle=W)
        assert (False, None, 6) == (journey.converted, journey.value, len(journey.path))

    def test_campaign_key(self) -> None:
        """key='campaign' credits campaign ids, '(not set)' when a touch has none."""
        (journey,) = journeys_from_leads([won_lead()], key="campaign", lifecycle=W)
        assert ("c-search", "c-web", "(not set)", "c-web", "(not set)") == journey.path

    def test_content_key_dropping_unset(self) -> None:
        """unset=None drops touches without an id."""
        (journey,) = journeys_from_leads([won_lead()], key="content", unset=None, lifecycle=W)
        assert ("deck",) == journey.path

    def test_lookback_window(self) -> None:
        """Touches older than the window before the conversion are dropped."""
        (journey,) = journeys_from_leads([won_lead()], lookback=timedelta(days=8), lifecycle=W)
        assert ("email", "call", "contract") == journey.path

    def test_lookback_per_conversion_type(self) -> None:
        """Each conversion stage can have its own window."""
        lookback = Lookback(windows={"opportunity": timedelta(days=5)}, default=timedelta(days=1))
        (journey,) = journeys_from_leads(
            [won_lead()], converted_at=Stage.OPPORTUNITY, lookback=lookback, lifecycle=W
        )
        assert ("email", "call") == journey.path

    def test_lead_without_touches_is_skipped(self) -> None:
        """A lead left with no touch gives no journey."""
        assert () == journeys_from_leads([Lead.create(id="L2", created_at=T)], lifecycle=W)

    def test_bad_key(self) -> None:
        """An unknown key is refused."""
        with pytest.raises(ValidationError, match="key"):
            journeys_from_leads([], key="owner", lifecycle=W)  # type: ignore[arg-type]

    def test_bad_lead(self) -> None:
        """Something other than a Lead is refused."""
        with pytest.raises(ValidationError, match="Lead"):
            journeys_from_leads(["L1"], lifecycle=W)  # type: ignore[list-item]


class TestLookback:
    def test_window_for(self) -> None:
        """Stages without their own window use the default."""
        lookback = Lookback(windows={Stage.MQL: timedelta(days=1)}, default=timedelta(days=30))
        assert (timedelta(days=1), timedelta(days=30)) == (
            lookback.window_for("mql"),
            lookback.window_for("won"),
        )

    def test_bad_window(self) -> None:
        """A non-positive window is refused."""
        with pytest.raises(ValidationError, match="positive"):
            Lookback.of(timedelta(0))

    def test_bad_lookback_type(self) -> None:
        """A lookback that is not a Lookback or timedelta is refused."""
        with pytest.raises(ValidationError, match="lookback"):
            journeys_from_leads([], lookback=30, lifecycle=W)  # type: ignore[arg-type]


class TestJourneysFromLeadsTeams:
    def test_keeps_only_the_named_teams_touches(self) -> None:
        """With teams={MARKETING}, sales' calls drop out of the journey; without, they stay."""
        from datetime import datetime, timedelta, timezone

        from salesmark import Lead, Team, Touchpoint, TouchpointKind
        from salesmark.attribution import journeys_from_leads

        t = datetime(2026, 3, 1, tzinfo=timezone.utc)
        lead = Lead.create(
            id="L1",
            created_at=t,
            touchpoints=[
                Touchpoint(at=t, channel="search", kind=TouchpointKind.AD_CLICK),
                Touchpoint(
                    at=t + timedelta(hours=2),
                    channel="phone",
                    kind=TouchpointKind.CALL,
                    team=Team.SALES,
                ),
            ],
        )
        assert ("search", "phone") == journeys_from_leads([lead], lifecycle=W)[0].path
        marketing = journeys_from_leads([lead], teams={Team.MARKETING}, lifecycle=W)
        assert ("search",) == marketing[0].path

    def test_bad_teams(self) -> None:
        """An empty set or something that is not a Team is refused."""
        import pytest

        from salesmark import ValidationError
        from salesmark.attribution import journeys_from_leads

        for bad in (set(), {"marketing"}):
            with pytest.raises(ValidationError, match="teams must be a non-empty set of Team"):
                journeys_from_leads([], teams=bad, lifecycle=W)  # type: ignore[arg-type]
