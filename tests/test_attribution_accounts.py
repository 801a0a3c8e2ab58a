"""Tests for salesmark.attribution.accounts: account (multi-contact) journeys."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from salesmark import DEMAND_WATERFALL as W
from salesmark import Lead, Money, Stage, Team, Touchpoint, TouchpointKind, ValidationError
from salesmark.attribution import ChannelGrouping, ContactPolicy, account_journeys

T = datetime(2026, 6, 1, tzinfo=timezone.utc)


def lead(
    lead_id: str, account: str | None, *touches: tuple[int, str], won_day: int | None = None
) -> Lead:
    result = Lead.create(
        id=lead_id,
        created_at=T,
        account_id=account,
        value=Money.of(500, "EUR"),
        touchpoints=[
            Touchpoint(
                at=T + timedelta(days=d), channel=c, kind=TouchpointKind.OTHER, team=Team.MARKETING
            )
            for d, c in touches
        ],
    )
    if won_day is not None:
        for offset, stage in enumerate((Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY)):
            result = result.advance(stage, at=T + timedelta(days=won_day - 4 + offset))
        result = result.advance(Stage.WON, at=T + timedelta(days=won_day))
    return result


CFO = lead("cfo", "acme", (1, "event"), (8, "call"))
CTO = lead("cto", "acme", (2, "webinar"), (9, "demo"), won_day=10)
INTERN = lead("intern", "acme", (3, "blog"))
SOLO = lead("solo", None, (1, "search"))


class TestContactPolicy:
    def test_bad_kind(self) -> None:
        """An unknown policy kind is refused."""
        with pytest.raises(ValidationError, match="kind"):
            ContactPolicy(kind="everyone")  # type: ignore[arg-type]

    def test_select_roles(self) -> None:
        """With roles, only contacts with a counted role are chosen."""
        policy = ContactPolicy.with_roles(
            {"cfo": "economic_buyer", "intern": "user"}, counted=["economic_buyer"]
        )
        assert [CFO] == policy.select([CFO, CTO, INTERN], CTO)

    def test_nobody_selected_falls_back_to_deal_lead(self) -> None:
        """When no contact has the primary role, the deal lead stands in."""
        assert [CTO] == ContactPolicy.primary_contact({}).select([CFO, CTO], CTO)


class TestCountedRoles:
    @pytest.mark.parametrize("bad", ["champion", [""], [3]])
    def test_counted_roles_are_names(self, bad: object) -> None:
        """A lone string is not split into letters; blank or non-text roles are refused."""
        with pytest.raises(ValidationError, match="ContactPolicy.counted_roles"):
            ContactPolicy.with_roles({"L1": "champion"}, counted=bad)  # type: ignore[arg-type]


class TestAccountJourneys:
    def test_all_contacts(self) -> None:
        """All contacts' touches merge in time order, cut at the account's conversion."""
        journeys = account_journeys([CFO, CTO, INTERN, SOLO], lifecycle=W)
        assert [
            {
                "path": ("event", "webinar", "blog", "call", "demo"),
                "converted": True,
                "value": Money.of(500, "EUR"),
            },
            {"path": ("search",), "converted": False, "value": None},
        ] == [{"path": j.path, "converted": j.converted, "value": j.value} for j in journeys]

    def test_roles(self) -> None:
        """Contacts with a role on the deal count."""
        policy = ContactPolicy.with_roles({"cfo": "economic_buyer", "cto": "champion"})
        (journey, _solo) = account_journeys([CFO, CTO, INTERN, SOLO], policy=policy, lifecycle=W)
        assert ("event", "webinar", "call", "demo") == journey.path

    def test_primary_contact(self) -> None:
        """Only the primary contact's touches count."""
        policy = ContactPolicy.primary_contact({"cfo": "primary"})
        (journey, _solo) = account_journeys([CFO, CTO, INTERN, SOLO], policy=policy, lifecycle=W)
        assert (("event", "call"), True) == (journey.path, journey.converted)

    def test_milestones(self) -> None:
        """Opportunity and closed-won milestones come from the account's leads."""
        (journey, _solo) = account_journeys([CFO, CTO, INTERN, SOLO], lifecycle=W)
        assert (None, 4, 4) == journey.milestones.marks()  # no touch before creation

    def test_bad_policy(self) -> None:
        """The policy must be a ContactPolicy."""
        with pytest.raises(ValidationError, match="ContactPolicy"):
            account_journeys([CFO], policy="all", lifecycle=W)  # type: ignore[arg-type]


class TestContactPolicyChecks:
    def test_a_blank_role_is_refused(self) -> None:
        """Roles map lead ids to non-blank role names."""
        from salesmark.attribution import ContactPolicy

        with pytest.raises(
            ValidationError,
            match=r"^ContactPolicy\.roles must map lead ids to role names, got 'L1': ''$",
        ):
            ContactPolicy.primary_contact({"L1": ""})


def touch(at: datetime, channel: str, **fields: str) -> Touchpoint:
    """A marketing touch of kind OTHER on ``channel`` (with optional campaign/source/medium)."""
    return Touchpoint(
        at=at, channel=channel, kind=TouchpointKind.OTHER, team=Team.MARKETING, **fields
    )


def won(result: Lead, day: int) -> Lead:
    """``result`` walked up the waterfall to WON on day ``day`` (MQL four days before)."""
    for offset, stage in enumerate((Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY)):
        result = result.advance(stage, at=T + timedelta(days=day - 4 + offset))
    return result.advance(Stage.WON, at=T + timedelta(days=day))


def won_at(result: Lead, at: datetime) -> Lead:
    """``result`` walked up the waterfall (days 5 to 8) and WON at ``at``."""
    for offset, stage in enumerate((Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY)):
        result = result.advance(stage, at=T + timedelta(days=5 + offset))
    return result.advance(Stage.WON, at=at)


BERLIN_SUMMER = timezone(timedelta(hours=2))


class TestTheDealLead:
    def test_of_two_converting_at_one_instant_the_lower_id_is_the_deal_lead(self) -> None:
        """Two contacts won at the same instant: the lower id ('a') is the deal lead, its value counts."""
        first = won(
            Lead.create(
                id="b", created_at=T, account_id="acme", value=Money.of(900, "EUR"),
                touchpoints=[touch(T + timedelta(days=1), "event")],
            ),
            10,
        )  # fmt: skip
        second = won(
            Lead.create(
                id="a", created_at=T, account_id="acme", value=Money.of(300, "EUR"),
                touchpoints=[touch(T + timedelta(days=2), "call")],
            ),
            10,
        )  # fmt: skip
        (journey,) = account_journeys([first, second], lifecycle=W)
        assert Money.of(300, "EUR") == journey.value

    def test_the_first_to_convert_in_real_time_is_the_deal_lead(self) -> None:
        """Won at 12:00+02:00 (10:00 UTC) is before 11:00 UTC: that lead's value counts."""
        early = Lead.create(
            id="z", created_at=T, account_id="acme", value=Money.of(700, "EUR"),
            touchpoints=[touch(T + timedelta(days=1), "event")],
        )  # fmt: skip
        early = won_at(early, datetime(2026, 6, 20, 12, tzinfo=BERLIN_SUMMER))
        late = Lead.create(
            id="a", created_at=T, account_id="acme", value=Money.of(100, "EUR"),
            touchpoints=[touch(T + timedelta(days=2), "call")],
        )  # fmt: skip
        late = won_at(late, datetime(2026, 6, 20, 11, tzinfo=timezone.utc))
        (journey,) = account_journeys([late, early], lifecycle=W)
        # the conversion is the deal lead's: 10:00 UTC, so the journey ends there
        assert (Money.of(700, "EUR"), datetime(2026, 6, 20, 12, tzinfo=BERLIN_SUMMER)) == (
            journey.value,
            journey.converted_at,
        )

    def test_without_a_conversion_the_earliest_created_lead_stands_in(self) -> None:
        """Nobody converted and nobody is primary: the earliest-created contact's touches count."""
        older = Lead.create(
            id="z", created_at=T, account_id="acme",
            touchpoints=[touch(T + timedelta(days=3), "event")],
        )  # fmt: skip
        newer = Lead.create(
            id="a", created_at=T + timedelta(days=1), account_id="acme",
            touchpoints=[touch(T + timedelta(days=2), "call")],
        )  # fmt: skip
        policy = ContactPolicy.primary_contact({})
        (journey,) = account_journeys([newer, older], policy=policy, lifecycle=W)
        assert (("event",), False) == (journey.path, journey.converted)

    def test_without_a_conversion_a_tie_on_creation_goes_to_the_lower_id(self) -> None:
        """Created at one instant, neither converted: the lower id 'a' stands in."""
        leads = [
            Lead.create(id=i, created_at=T, account_id="acme", touchpoints=[touch(T, c)])
            for i, c in (("b", "event"), ("a", "call"))
        ]
        (journey,) = account_journeys(leads, policy=ContactPolicy.primary_contact({}), lifecycle=W)
        assert ("call",) == journey.path


class TestAccountsAndTouches:
    def test_journeys_come_in_account_order(self) -> None:
        """Accounts are sorted by key: 'alpha' before 'beta', whatever the input order."""
        beta = Lead.create(id="1", created_at=T, account_id="beta", touchpoints=[touch(T, "b")])
        alpha = Lead.create(id="2", created_at=T, account_id="alpha", touchpoints=[touch(T, "a")])
        assert [("a",), ("b",)] == [j.path for j in account_journeys([beta, alpha], lifecycle=W)]

    def test_leads_without_an_account_are_accounts_of_their_own(self) -> None:
        """Two leads without account_id give two journeys, not one merged one."""
        one = Lead.create(id="1", created_at=T, touchpoints=[touch(T, "x")])
        two = Lead.create(id="2", created_at=T, touchpoints=[touch(T, "y")])
        assert [("x",), ("y",)] == [j.path for j in account_journeys([two, one], lifecycle=W)]

    def test_a_lead_without_an_account_never_joins_an_account_named_like_it(self) -> None:
        """A lead "x" with no account and an account named "lead:x" stay two journeys."""
        # the lone lead's label is "lead:x": once the key, it merged with that account
        alone = Lead.create(id="x", created_at=T, touchpoints=[touch(T, "a")])
        named = Lead.create(
            id="y",
            created_at=T,
            account_id="lead:x",
            touchpoints=[touch(T + timedelta(hours=1), "b")],
        )
        journeys = account_journeys([named, alone], lifecycle=W)
        assert [("b",), ("a",)] == [j.path for j in journeys]  # the account, then the lone lead

    def test_touches_merge_in_real_time_order(self) -> None:
        """10:00+02:00 (08:00 UTC) comes before 09:00 UTC, though its wall clock is later."""
        cfo = Lead.create(
            id="cfo", created_at=T, account_id="acme",
            touchpoints=[touch(datetime(2026, 6, 2, 10, tzinfo=BERLIN_SUMMER), "event")],
        )  # fmt: skip
        cto = Lead.create(
            id="cto", created_at=T, account_id="acme",
            touchpoints=[touch(datetime(2026, 6, 2, 9, tzinfo=timezone.utc), "webinar")],
        )  # fmt: skip
        (journey,) = account_journeys([cto, cfo], lifecycle=W)
        assert ("event", "webinar") == journey.path

    def test_a_grouping_renames_the_touches(self) -> None:
        """With the GA4 grouping, a google/cpc touch counts as paid_search; an untagged one keeps its name."""
        ad = touch(T + timedelta(days=1), "web", source="google", medium="cpc")
        person = Lead.create(
            id="p",
            created_at=T,
            account_id="acme",
            touchpoints=[ad, touch(T + timedelta(days=2), "phone")],
        )
        (journey,) = account_journeys([person], grouping=ChannelGrouping.ga4_default(), lifecycle=W)
        assert ("paid_search", "phone") == journey.path

    def test_the_key_and_unset_name_are_used(self) -> None:
        """key='campaign_id' credits campaigns; a touch without one is named by `unset`, or dropped."""
        person = Lead.create(
            id="p", created_at=T, account_id="acme",
            touchpoints=[touch(T, "web", campaign_id="spring"), touch(T + timedelta(days=1), "web")],
        )  # fmt: skip
        named = account_journeys([person], key="campaign_id", unset="none", lifecycle=W)
        dropped = account_journeys([person], key="campaign_id", unset=None, lifecycle=W)
        assert [("spring", "none"), ("spring",)] == [named[0].path, dropped[0].path]

    def test_converted_at_names_the_stage_that_converts(self) -> None:
        """With converted_at='sql' the journey ends at the SQL (day 8), before the day-9 demo."""
        # CTO: touches on days 2 and 9; MQL day 6, SAL 7, SQL 8, opportunity 9, won 10
        (journey, _solo) = account_journeys(
            [CTO, SOLO], policy=ContactPolicy.primary_contact({"cto": "primary"}),
            converted_at="sql", lifecycle=W,
        )  # fmt: skip
        assert (("webinar",), T + timedelta(days=8)) == (journey.path, journey.converted_at)

    def test_the_lookback_window_cuts_old_touches(self) -> None:
        """A 5-day lookback before the day-10 win keeps the touches of days 8 and 9 only."""
        (journey, _solo) = account_journeys(
            [CFO, CTO, INTERN, SOLO], lookback=timedelta(days=5), lifecycle=W
        )
        assert ("call", "demo") == journey.path


class TestAccountMilestones:
    def test_lead_creation_is_the_earliest_chosen_contact(self) -> None:
        """The intern, created first but not chosen, does not move the lead-creation mark."""
        intern = Lead.create(
            id="intern", created_at=T - timedelta(days=30), account_id="acme",
            touchpoints=[touch(T - timedelta(days=20), "blog")],
        )  # fmt: skip
        cfo = Lead.create(
            id="cfo", created_at=T + timedelta(days=2), account_id="acme",
            touchpoints=[touch(T + timedelta(days=1), "event"), touch(T + timedelta(days=3), "call")],
        )  # fmt: skip
        policy = ContactPolicy.primary_contact({"cfo": "primary"})
        (journey,) = account_journeys([intern, cfo], policy=policy, lifecycle=W)
        # created day 2: the last touch on or before it is the day-1 event, index 0
        assert (0, None, None) == journey.milestones.marks()

    def test_opportunity_and_won_come_from_any_lead_of_the_account(self) -> None:
        """The CTO (not chosen) reached opportunity on day 9 and won on day 10: the marks say so."""
        policy = ContactPolicy.primary_contact({"cfo": "primary"})
        (journey, _solo) = account_journeys([CFO, CTO, SOLO], policy=policy, lifecycle=W)
        # the CFO's touches: event day 1 (index 0), call day 8 (index 1); opportunity day 9
        # and won day 10 both lie after the call, so both marks are 1
        assert (("event", "call"), (None, 1, 1)) == (journey.path, journey.milestones.marks())


class TestAccountErrors:
    """Each check names account_journeys and the argument (exact messages)."""

    A = Lead.create(id="a", created_at=T)

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (
                {"key": "stage"},
                "account_journeys key must be one of 'channel', 'campaign_id', 'content_id', got 'stage'",
            ),
            ({"policy": "all"}, "account_journeys policy must be a ContactPolicy, got 'all'"),
            (
                {"converted_at": "nope"},
                "account_journeys converted_at 'nope' is not a stage of lifecycle 'demand_waterfall'; ",
            ),
            (
                {"key": "campaign_id", "grouping": ChannelGrouping.ga4_default()},
                "account_journeys grouping applies to key='channel' only, got key='campaign_id'",
            ),
            (
                {"lookback": 5},
                "account_journeys lookback must be a Lookback, a timedelta or None, got 5",
            ),
        ],
    )
    def test_bad_arguments(self, arguments: dict[str, object], message: str) -> None:
        """A bad argument's message names account_journeys and that argument."""
        with pytest.raises(ValidationError) as caught:
            account_journeys([self.A], lifecycle=W, **arguments)  # type: ignore[arg-type]
        assert str(caught.value).startswith(message)

    @pytest.mark.parametrize(
        ("leads", "message"),
        [
            (
                [A, A],
                "account_journeys leads[1] repeats id 'a' of account_journeys leads[0]: each must be given once",
            ),
            ([A, 5], "account_journeys leads[1] must be a Lead, got 5"),
            (
                [A, Lead.create(id="n", created_at=T, value=Money.of(-5, "EUR"))],
                (
                    "account_journeys leads[1] (id 'n') has a negative value Money('-5 EUR'); "
                    "attribution shares conversion value, which is zero or more"
                ),
            ),
        ],
    )
    def test_bad_leads(self, leads: list[object], message: str) -> None:
        """A repeated, foreign or negative-valued lead is named by its index."""
        with pytest.raises(ValidationError) as caught:
            account_journeys(leads, lifecycle=W)  # type: ignore[arg-type]
        assert message == str(caught.value)

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda: ContactPolicy.with_roles({3: "x"}), "got 3: 'x'"),  # type: ignore[dict-item]
            (lambda: ContactPolicy.with_roles({"a": 3}), "got 'a': 3"),  # type: ignore[dict-item]
        ],
    )
    def test_roles_map_names_to_names(self, make: object, message: str) -> None:
        """A non-text lead id or role is refused with the pair named."""
        with pytest.raises(ValidationError) as caught:
            make()  # type: ignore[operator]
        assert f"ContactPolicy.roles must map lead ids to role names, {message}" == str(
            caught.value
        )

    @pytest.mark.parametrize("bad", [[""], [3]])
    def test_counted_roles_message(self, bad: list[object]) -> None:
        """A blank or non-text counted role is named with the whole collection."""
        with pytest.raises(ValidationError) as caught:
            ContactPolicy.with_roles({"a": "b"}, counted=bad)  # type: ignore[arg-type]
        assert f"ContactPolicy.counted_roles must be a collection of role names, got {bad!r}" == (
            str(caught.value)
        )

    def test_the_kind_message(self) -> None:
        """An unknown kind lists the three kinds."""
        with pytest.raises(ValidationError) as caught:
            ContactPolicy(kind="x")
        assert "ContactPolicy.kind must be one of 'all_contacts', 'roles', 'primary', got 'x'" == (
            str(caught.value)
        )

    def test_roles_without_counted_roles_count_any_role(self) -> None:
        """with_roles and no counted roles: every contact with some role counts, others not."""
        policy = ContactPolicy.with_roles({"cfo": "user", "cto": "champion"})
        assert (frozenset(), [CFO, CTO]) == (
            policy.counted_roles,
            policy.select([CFO, CTO, INTERN], CTO),
        )


BERLIN = ZoneInfo("Europe/Berlin")


def berlin(minute: int, *, fold: int) -> datetime:
    """02:MM on 2026-10-25 in Berlin, the repeated hour: fold 0 is summer (00:MM UTC), 1 winter (01:MM UTC)."""
    return datetime(2026, 10, 25, 2, minute, tzinfo=BERLIN, fold=fold)


class TestAccountMilestonesInRealTime:
    def test_the_earliest_creation_and_opportunity_are_found_in_real_time(self) -> None:
        """In Berlin's repeated hour, 02:30 summer time (00:30 UTC) is before 02:10 winter time (01:10 UTC)."""
        # A: created 00:30 UTC, MQL/SAL/SQL 00:31-00:33, opportunity 00:40, won 00:50
        a = Lead.create(id="a", created_at=berlin(30, fold=0), account_id="acme")
        for minute, stage in (
            (31, Stage.MQL),
            (32, Stage.SAL),
            (33, Stage.SQL),
            (40, Stage.OPPORTUNITY),
            (50, Stage.WON),
        ):
            a = a.advance(stage, at=berlin(minute, fold=0))
        # B: created 01:10 UTC, MQL/SAL/SQL 01:11-01:13, opportunity 01:15; one touch at 00:45 UTC
        b = Lead.create(
            id="b", created_at=berlin(10, fold=1), account_id="acme",
            touchpoints=[touch(datetime(2026, 10, 25, 0, 45, tzinfo=timezone.utc), "event")],
        )  # fmt: skip
        for minute, stage in (
            (11, Stage.MQL),
            (12, Stage.SAL),
            (13, Stage.SQL),
            (15, Stage.OPPORTUNITY),
        ):
            b = b.advance(stage, at=berlin(minute, fold=1))
        (journey,) = account_journeys([a, b], lifecycle=W)
        # the touch (00:45 UTC) is after the earliest creation (00:30) and opportunity
        # (00:40), so neither mark has a touch; it is before the win at 00:50: mark 0.
        # By wall clock the earliest would be B's (02:10, 02:15) and both marks would be 0.
        assert (("event",), (None, None, 0)) == (journey.path, journey.milestones.marks())


class TestAccountDefaults:
    def test_touches_without_a_campaign_are_not_set_by_default(self) -> None:
        """key='campaign_id' and no unset given: a touch without a campaign is '(not set)'."""
        person = Lead.create(id="p", created_at=T, touchpoints=[touch(T, "web")])
        (journey,) = account_journeys([person], key="campaign_id", lifecycle=W)
        assert ("(not set)",) == journey.path

    def test_a_lone_string_of_counted_roles_is_refused_exactly(self) -> None:
        """counted='champion' is a string, not a collection of roles: the message says so."""
        with pytest.raises(ValidationError) as caught:
            ContactPolicy.with_roles({"a": "b"}, counted="champion")
        assert (
            "ContactPolicy.counted_roles must be a sequence of role names, got the string 'champion'"
            == str(caught.value)
        )

    @pytest.mark.parametrize(
        ("policy", "chosen"),
        [
            (ContactPolicy.primary_contact({"cfo": "primary", "cto": "champion"}), ["cfo"]),
            (ContactPolicy(kind="primary", roles={"cto": "primary"}), ["cto"]),
        ],
    )
    def test_primary_picks_the_primary_role_only(
        self, policy: ContactPolicy, chosen: list[str]
    ) -> None:
        """The primary kind picks the contact whose role is exactly 'primary'."""
        assert chosen == [x.id for x in policy.select([CFO, CTO, INTERN], INTERN)]
