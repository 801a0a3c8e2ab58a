"""Tests for salesmark.attribution.journeys: Journey, Milestones, journeys from leads, lookback windows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest

from salesmark import DEMAND_WATERFALL as W
from salesmark import (
    Lead,
    Money,
    NaiveDatetime,
    Stage,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
    WrongType,
)
from salesmark.attribution import (
    GA4_DEFAULT_GROUPING,
    Journey,
    Lookback,
    Milestones,
    journeys_from_leads,
)
from salesmark.lifecycle import Lifecycle
from strategies import FLAT

T = datetime(2026, 3, 1, tzinfo=timezone.utc)
MAY = datetime(2026, 5, 1, tzinfo=timezone.utc)
BERLIN = ZoneInfo("Europe/Berlin")


class TestMilestones:
    def test_marks_in_order(self) -> None:
        """marks() gives lead, opportunity and won indices in that order."""
        assert (0, 2, None) == Milestones(lead_created=0, opportunity_created=2).marks()

    def test_out_of_funnel_order_is_refused(self) -> None:
        """An opportunity touch before the lead touch is refused."""
        with pytest.raises(ValidationError, match=r"funnel order"):
            Milestones(lead_created=3, opportunity_created=1)

    def test_negative_index_is_refused(self) -> None:
        """A negative touch index is refused, naming the field."""
        with pytest.raises(ValidationError, match=r"Milestones\.lead_created"):
            Milestones(lead_created=-1)


class TestJourney:
    def test_of_builds_a_path(self) -> None:
        """Journey.of keeps the channels in order."""
        assert ("a", "b", "a") == Journey.of("a", "b", "a").path

    def test_empty_path_is_refused(self) -> None:
        """A journey needs at least one touch."""
        with pytest.raises(ValidationError, match="empty path"):
            Journey.of()

    def test_blank_channel_is_refused(self) -> None:
        """A blank channel name is refused."""
        with pytest.raises(ValidationError, match="non-empty strings"):
            Journey.of("a", " ")

    def test_value_on_null_journey_is_refused(self) -> None:
        """Only a converted journey can carry a value."""
        with pytest.raises(ValidationError, match="did not convert"):
            Journey.of("a", value=Money.of(1, "EUR"))

    def test_times_must_match_path(self) -> None:
        """times must give one time per touch."""
        with pytest.raises(ValidationError, match="one time per touch"):
            Journey(path=("a", "b"), times=(MAY,))

    def test_times_must_not_go_back(self) -> None:
        """times must be non-decreasing."""
        with pytest.raises(ValidationError, match="back in time"):
            Journey(path=("a", "b"), times=(MAY, MAY - timedelta(days=1)))

    def test_naive_times_are_refused(self) -> None:
        """A naive touch time is refused."""
        with pytest.raises(NaiveDatetime):
            Journey(path=("a",), times=(datetime(2026, 1, 1),))

    def test_milestone_outside_path_is_refused(self) -> None:
        """A milestone must index a touch of the path."""
        with pytest.raises(ValidationError, match="lead_created"):
            Journey(path=("a",), milestones=Milestones(lead_created=1))

    def test_reference_time_prefers_conversion(self) -> None:
        """The conversion time wins over the last touch time."""
        later = MAY + timedelta(days=2)
        journey = Journey(path=("a",), times=(MAY,), converted=True, converted_at=later)
        assert later == journey.reference_time


def touch(
    day: int, channel: str, campaign: str | None = None, content: str | None = None
) -> Touchpoint:
    return Touchpoint(
        at=T + timedelta(days=day),
        channel=channel,
        kind=TouchpointKind.OTHER,
        team=Team.MARKETING,
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
        assert {"converted": False, "value": None, "touches": 6} == {
            "converted": journey.converted,
            "value": journey.value,
            "touches": len(journey.path),
        }

    def test_campaign_key(self) -> None:
        """key='campaign_id' credits campaign ids, '(not set)' when a touch has none."""
        (journey,) = journeys_from_leads([won_lead()], key="campaign_id", lifecycle=W)
        assert ("c-search", "c-web", "(not set)", "c-web", "(not set)") == journey.path

    def test_content_key_dropping_unset(self) -> None:
        """unset=None drops touches without an id."""
        (journey,) = journeys_from_leads([won_lead()], key="content_id", unset=None, lifecycle=W)
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

    def test_bad_key_names_the_valid_keys(self) -> None:
        """The error lists the Touchpoint field names a journey can be keyed by."""
        with pytest.raises(
            ValidationError, match="key must be one of 'channel', 'campaign_id', 'content_id'"
        ):
            journeys_from_leads([], key="owner", lifecycle=W)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("old", "new"), [("campaign", "campaign_id"), ("content", "content_id")]
    )
    def test_old_key_names_point_to_the_new_ones(self, old: str, new: str) -> None:
        """The key names before the Touchpoint field names are refused with the new name."""
        with pytest.raises(ValidationError, match=f"got '{old}' \\(renamed '{new}'"):
            journeys_from_leads([], key=old, lifecycle=W)  # type: ignore[arg-type]

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
                Touchpoint(
                    at=t, channel="search", kind=TouchpointKind.AD_CLICK, team=Team.MARKETING
                ),
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


class TestRobustness:
    def test_lookback_windows_are_read_only(self) -> None:
        """Lookback.windows cannot be changed after the fact."""
        lookback = Lookback(windows={"won": timedelta(days=5)})
        with pytest.raises(TypeError):
            lookback.windows["won"] = timedelta(days=-1)  # type: ignore[index]

    def test_negative_value_is_refused(self) -> None:
        """A journey worth less than nothing is refused: conversion value is zero or more."""
        with pytest.raises(ValidationError, match="Journey.value must be zero or more"):
            Journey.of("a", converted=True, value=Money.of(-5, "EUR"))

    def test_lead_with_a_negative_value_is_named(self) -> None:
        """journeys_from_leads names the lead whose value is negative."""
        lead = Lead.create(
            id="L9",
            created_at=T,
            value=Money.of(-5, "EUR"),
            touchpoints=[
                Touchpoint(at=T, channel="ad", kind=TouchpointKind.AD_CLICK, team=Team.MARKETING)
            ],
        )
        with pytest.raises(ValidationError, match=r"leads\[0\] \(id 'L9'\) has a negative value"):
            journeys_from_leads([lead], lifecycle=W)

    def test_conversion_before_the_first_touch_is_refused(self) -> None:
        """converted_at before every touch is refused."""
        with pytest.raises(ValidationError, match="converted_at must not come before"):
            Journey(path=("a",), converted=True, times=(T,), converted_at=T - timedelta(hours=1))


class TestJourneyMessages:
    def test_empty_path_names_the_field(self) -> None:
        """The empty-path error names Journey.path."""
        with pytest.raises(
            ValidationError,
            match=r"^Journey\.path must hold at least one touch, got an empty path$",
        ):
            Journey(path=())

    def test_naive_time_names_its_index(self) -> None:
        """A naive touch time is refused naming Journey.times and its index."""
        with pytest.raises(NaiveDatetime, match=r"^Journey\.times\[1\] must be timezone-aware"):
            Journey(path=("a", "b"), times=(MAY, datetime(2026, 5, 2)))

    @pytest.mark.parametrize("field", ["lead_created", "opportunity_created", "closed_won"])
    def test_milestone_outside_path_names_the_milestone(self, field: str) -> None:
        """Each milestone outside the path is refused naming it and the valid range."""
        # A 2-touch path has touches 0..1 (len 2 - 1 = 1); index 2 is one past its end.
        marks = Milestones(**{field: 2})
        with pytest.raises(
            ValidationError,
            match=rf"^Journey\.milestones\.{field} must index a touch of the path \(0\.\.1\), got 2$",
        ):
            Journey(path=("a", "b"), milestones=marks)

    def test_milestone_on_the_last_touch_is_kept(self) -> None:
        """A milestone on the last touch (index len - 1) is inside the path."""
        journey = Journey(path=("a", "b"), milestones=Milestones(closed_won=1))
        assert 1 == journey.milestones.closed_won


class TestLookbackMessages:
    def test_windows_must_be_a_mapping(self) -> None:
        """Windows given as pairs are refused naming Lookback.windows."""
        with pytest.raises(WrongType, match=r"^Lookback\.windows must be a Mapping, got \["):
            Lookback(windows=[("won", timedelta(days=1))])  # type: ignore[arg-type]

    def test_bad_window_names_its_stage(self) -> None:
        """A non-positive window is refused naming its stage."""
        with pytest.raises(
            ValidationError,
            match=r"^Lookback\.windows\['won'\] must be a positive timedelta, got datetime\.timedelta\(0\)$",
        ):
            Lookback(windows={Stage.WON: timedelta(0)})

    def test_bad_default_names_the_field(self) -> None:
        """A non-positive default window is refused naming Lookback.default."""
        with pytest.raises(
            ValidationError,
            match=r"^Lookback\.default must be a positive timedelta, got datetime\.timedelta\(days=-1\)$",
        ):
            Lookback(default=timedelta(days=-1))


class TestLookbackBoundaries:
    def test_touch_exactly_at_the_window_start_is_kept(self) -> None:
        """A touch exactly one window before the conversion still counts."""
        # Won on day 12, window 3 days: the window starts on day 12 - 3 = 9, where the call is.
        (journey,) = journeys_from_leads([won_lead()], lookback=timedelta(days=3), lifecycle=W)
        assert ("call", "contract") == journey.path

    def test_window_of_a_lead_that_did_not_convert_ends_at_its_last_touch(self) -> None:
        """Without a conversion the window runs back from the last touch."""
        # Never lost: the last touch is on day 20, an 8-day window starts on day 12,
        # where the contract touch is (kept, on the boundary); days 0..9 drop out.
        (journey,) = journeys_from_leads(
            [won_lead()], converted_at="lost", lookback=timedelta(days=8), lifecycle=W
        )
        assert (("contract", "after_close"), False) == (journey.path, journey.converted)

    def test_window_across_the_spring_dst_change_is_measured_in_utc(self) -> None:
        """Across the Berlin clock change a window is elapsed time, not wall-clock time."""

        # Clocks in Berlin go from 02:00 CET (UTC+1) to 03:00 CEST (UTC+2) on 2026-03-29.
        # Won 2026-03-30 12:00 CEST = 10:00 UTC; a 2-day window starts 2026-03-28 10:00 UTC
        # = 11:00 CET. The webinar at 11:00 CET is on the boundary and kept; the ad at
        # 10:59 CET is a minute outside. (Wall-clock 12:00 minus two days, 12:00 CET,
        # would drop the webinar too.)
        def at(day: int, hour: int, minute: int = 0) -> datetime:
            return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)

        def berlin_touch(when: datetime, channel: str) -> Touchpoint:
            return Touchpoint(
                at=when, channel=channel, kind=TouchpointKind.OTHER, team=Team.MARKETING
            )

        lead = Lead.create(
            id="B1",
            created_at=at(28, 11, 30),
            touchpoints=[
                berlin_touch(at(28, 10, 59), "ad"),
                berlin_touch(at(28, 11), "webinar"),
                berlin_touch(at(30, 9), "demo"),
            ],
        )
        for when, stage in [
            (at(28, 12), Stage.MQL),
            (at(28, 13), Stage.SAL),
            (at(28, 14), Stage.SQL),
            (at(30, 8), Stage.OPPORTUNITY),
            (at(30, 12), Stage.WON),
        ]:
            lead = lead.advance(stage, at=when)
        (journey,) = journeys_from_leads([lead], lookback=timedelta(days=2), lifecycle=W)
        # Lead created 11:30 CET (after the webinar), opportunity 08:00 CEST = 06:00 UTC
        # (before the demo at 07:00 UTC), won 10:00 UTC (after the demo).
        assert (
            ("webinar", "demo"),
            Milestones(lead_created=0, opportunity_created=0, closed_won=1),
        ) == (journey.path, journey.milestones)


def short_lifecycle(progression: tuple[str, ...]) -> Lifecycle:
    """The tests' flat lifecycle (``new`` then terminal ``done``) with ``progression``."""
    return attrs.evolve(FLAT, progression=progression)


class TestShortProgressions:
    @pytest.mark.parametrize("progression", [(), ("new",)])
    def test_without_a_second_stage_every_milestone_is_the_won_one(
        self, progression: tuple[str, ...]
    ) -> None:
        """With no progression (or a one-stage one) the initial stage is won and opportunity."""
        # The lead enters "new" on creation (T), with its one touch at T: it converted at T,
        # and the lead, opportunity and won touches are all touch 0.
        expected = Journey(
            path=("ad",),
            converted=True,
            times=(T,),
            converted_at=T,
            milestones=Milestones(lead_created=0, opportunity_created=0, closed_won=0),
        )
        lifecycle = short_lifecycle(progression)
        lead = Lead.create(id="S1", created_at=T, lifecycle=lifecycle, touchpoints=[touch(0, "ad")])
        assert (expected,) == journeys_from_leads([lead], lifecycle=lifecycle)

    def test_two_stage_progression_has_its_first_stage_as_opportunity(self) -> None:
        """With progression (new, done), 'new' is the opportunity stage and 'done' the won one."""
        lifecycle = short_lifecycle(("new", "done"))
        lead = Lead.create(
            id="S2",
            created_at=T,
            lifecycle=lifecycle,
            touchpoints=[touch(0, "ad"), touch(1, "email"), touch(2, "call")],
        )
        lead = lead.advance("done", at=T + timedelta(days=2), lifecycle=lifecycle)
        (journey,) = journeys_from_leads([lead], lifecycle=lifecycle)
        # Created and in "new" at T (touch 0, day 0); "done" on day 2 (touch 2).
        assert Milestones(lead_created=0, opportunity_created=0, closed_won=2) == journey.milestones


class TestJourneysFromLeadsMessages:
    def test_zero_value_is_kept(self) -> None:
        """A lead worth exactly zero is not negative: its journey carries the zero."""
        lead = Lead.create(
            id="Z1",
            created_at=T,
            value=Money.of(0, "EUR"),
            touchpoints=[touch(0, "ad")],
        )
        (journey,) = journeys_from_leads([lead], converted_at="inquiry", lifecycle=W)
        assert Money.of(0, "EUR") == journey.value

    def test_negative_value_message(self) -> None:
        """The negative-value error names the function, the lead and why."""
        lead = Lead.create(
            id="L9", created_at=T, value=Money.of(-5, "EUR"), touchpoints=[touch(0, "ad")]
        )
        with pytest.raises(
            ValidationError,
            match=(
                r"^journeys_from_leads leads\[0\] \(id 'L9'\) has a negative value .*; "
                r"attribution shares conversion value, which is zero or more$"
            ),
        ):
            journeys_from_leads([lead], lifecycle=W)

    def test_bad_key_names_the_function(self) -> None:
        """The unknown-key error names journeys_from_leads."""
        with pytest.raises(ValidationError, match=r"^journeys_from_leads key must be one of "):
            journeys_from_leads([], key="owner", lifecycle=W)  # type: ignore[arg-type]

    def test_renamed_key_message(self) -> None:
        """The renamed-key error names the function, every valid key and the new name."""
        with pytest.raises(
            ValidationError,
            match=(
                r"^journeys_from_leads key must be one of 'channel', 'campaign_id', 'content_id', "
                r"got 'campaign' \(renamed 'campaign_id', after the Touchpoint field\)$"
            ),
        ):
            journeys_from_leads([], key="campaign", lifecycle=W)  # type: ignore[arg-type]

    def test_bad_lookback_names_the_function(self) -> None:
        """The wrong-type lookback error names journeys_from_leads and what is accepted."""
        with pytest.raises(
            WrongType,
            match=r"^journeys_from_leads lookback must be a Lookback, a timedelta or None, got 30$",
        ):
            journeys_from_leads([], lookback=30, lifecycle=W)  # type: ignore[arg-type]

    def test_bad_lifecycle_names_the_function(self) -> None:
        """A lifecycle given by name is refused naming the argument."""
        with pytest.raises(
            WrongType,
            match=r"^journeys_from_leads lifecycle must be a Lifecycle, got 'demand_waterfall'$",
        ):
            journeys_from_leads([], lifecycle="demand_waterfall")  # type: ignore[arg-type]

    def test_unknown_conversion_stage_names_the_function(self) -> None:
        """A conversion stage the lifecycle lacks is refused naming the function."""
        with pytest.raises(
            ValidationError,
            match=r"^journeys_from_leads converted_at 'wonn' is not a stage of lifecycle 'demand_waterfall'",
        ):
            journeys_from_leads([], converted_at="wonn", lifecycle=W)

    def test_grouping_with_another_key_names_the_function(self) -> None:
        """A channel grouping with key='campaign_id' is refused naming the function."""
        with pytest.raises(
            ValidationError,
            match=r"^journeys_from_leads grouping applies to key='channel' only, got key='campaign_id'$",
        ):
            journeys_from_leads([], key="campaign_id", grouping=GA4_DEFAULT_GROUPING, lifecycle=W)

    def test_repeated_lead_names_the_argument(self) -> None:
        """The same lead twice is refused naming journeys_from_leads leads and both positions."""
        lead = won_lead()
        with pytest.raises(
            ValidationError,
            match=(
                r"^journeys_from_leads leads\[1\] repeats id 'L1' of "
                r"journeys_from_leads leads\[0\]: each must be given once$"
            ),
        ):
            journeys_from_leads([lead, lead], lifecycle=W)
