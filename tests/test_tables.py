"""CRM tables to leads: column mappings, the shipped HubSpot and Salesforce mappings, every error."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    HUBSPOT,
    Campaign,
    Lead,
    LeadSource,
    Money,
    Period,
    StageChange,
    StructureError,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
    WrongType,
)
from salesmark.tables import (
    HUBSPOT_EXPORT,
    KIND_TEAMS,
    SALESFORCE_EXPORT,
    ActivityColumns,
    CampaignMemberColumns,
    HistoryColumns,
    LeadColumns,
    TableMapping,
    read_leads,
)
from salesmark.testing.strategies import leads as any_leads

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)
PLAIN = TableMapping(
    name="plain",
    leads=LeadColumns(
        id="id",
        created_at="created",
        stage="stage",
        source="source",
        medium="medium",
        channel="channel",
        campaign="campaign",
        landing_page="page",
        owner="owner",
        account="account",
        persona="persona",
        value="value",
        currency="currency",
        attributes={"industry": "industry", "employees": "employees"},
    ),
    history=HistoryColumns(
        lead="lead", stage="stage", at="at", by="by", reason="reason", competitor="competitor"
    ),
    activities=ActivityColumns(
        lead="lead",
        at="at",
        kind="kind",
        channel="channel",
        team="team",
        campaign="campaign",
        content="content",
        member="member",
        source="source",
        medium="medium",
        # A CRM's own kinds are listed, as the generated touchpoints use them.
        kinds={"linkedin": "linkedin", "sms": "sms", "Visit": "Visit"},
    ),
    campaign_members=CampaignMemberColumns(lead="lead", campaign="campaign", at="at"),
)
"""A mapping whose column names are the Lead's own field names."""


def _read(rows: Any, **tables: Any) -> tuple[Lead, ...]:
    return read_leads(rows, lifecycle=DEMAND_WATERFALL, mapping=PLAIN, **tables)


def _problems(rows: Any, **tables: Any) -> tuple[str, ...]:
    with pytest.raises(StructureError) as caught:
        _read(rows, **tables)
    return caught.value.problems


def _lead_row(**cells: Any) -> dict[str, Any]:
    return {"id": "L1", "created": T0, "stage": "inquiry", **cells}


class TestLeadsTable:
    def test_every_column_is_read(self) -> None:
        """Each mapped column lands in its Lead field, ids read as text, values as Money."""
        row = _lead_row(
            source="google", medium="cpc", channel="paid_search", campaign="c1", page="/demo",
            owner=7, account="acme", persona="ops", value="1200.50", currency="EUR",
            industry="retail", employees=np.int64(250),
        )  # fmt: skip
        expected = Lead(
            id="L1",
            created_at=T0,
            history=(StageChange(stage="inquiry", at=T0),),
            source=LeadSource(
                source="google",
                medium="cpc",
                channel="paid_search",
                campaign_id="c1",
                landing_page="/demo",
            ),
            owner_id="7",
            account_id="acme",
            persona_id="ops",
            value=Money.of("1200.50", "EUR"),
            attributes={"industry": "retail", "employees": 250},
        )
        assert (expected,) == _read([row])

    def test_missing_cells_are_none(self) -> None:
        """None, NaN, NaT and blank strings are missing: no source, no value, no attribute."""
        row = _lead_row(channel="  ", value=float("nan"), industry=None, owner=pd.NaT)
        [lead] = _read([row])
        assert {"source": None, "value": None, "attributes": {}, "owner_id": None} == {
            "source": lead.source,
            "value": lead.value,
            "attributes": dict(lead.attributes),
            "owner_id": lead.owner_id,
        }

    def test_optional_columns_a_table_lacks_are_empty(self) -> None:
        """A table with only the required columns and a stage reads; the rest is empty."""
        [lead] = _read([{"id": "L1", "created": T0, "stage": "mql"}])
        assert ("mql", None, {}) == (lead.stage, lead.source, dict(lead.attributes))

    def test_values_from_numbers(self) -> None:
        """A float value is read as its shortest decimal; ints and Decimals exactly."""
        rows = [
            _lead_row(id="a", value=1200.1, currency="EUR"),
            _lead_row(id="b", value=np.int64(3), currency="EUR"),
            _lead_row(id="c", value=Decimal("0.10"), currency="EUR"),
        ]
        assert [Money.of("1200.1", "EUR"), Money.of(3, "EUR"), Money.of("0.10", "EUR")] == [
            lead.value for lead in _read(rows)
        ]

    def test_currency_argument(self) -> None:
        """Without a currency column the caller's currency= applies to every value."""
        mapping = attrs.evolve(PLAIN, leads=attrs.evolve(PLAIN.leads, currency=None))
        [lead] = read_leads(
            [_lead_row(value=10)], lifecycle=DEMAND_WATERFALL, mapping=mapping, currency="USD"
        )
        assert Money.of(10, "USD") == lead.value

    def test_timestamps_of_every_kind(self) -> None:
        """Aware datetimes, pandas Timestamps, numpy datetimes (with tz=) and ISO strings all read."""
        rows = [
            _lead_row(id="a", created=T0),
            _lead_row(id="b", created=pd.Timestamp("2026-03-02T10:00:00+01:00")),
            _lead_row(id="c", created="2026-03-02T09:00:00.000+0000"),
            _lead_row(id="d", created=np.datetime64("2026-03-02T09:00:00")),
            _lead_row(id="e", created=date(2026, 3, 2)),
        ]
        leads = read_leads(rows, lifecycle=DEMAND_WATERFALL, mapping=PLAIN, tz=timezone.utc)
        assert [T0, T0, T0, T0, T0 - 9 * HOUR] == [lead.created_at for lead in leads]

    def test_naive_timestamps_read_in_the_named_zone(self) -> None:
        """A naive timestamp is read in the zone the caller names, not in UTC."""
        berlin = timezone(timedelta(hours=1), "CET")
        [lead] = read_leads(
            [_lead_row(created="2026-03-02T10:00:00")],
            lifecycle=DEMAND_WATERFALL,
            mapping=PLAIN,
            tz=berlin,
        )
        assert (T0, berlin) == (lead.created_at, lead.created_at.tzinfo)

    def test_stage_labels_are_mapped(self) -> None:
        """TableMapping.stages turns exported labels into lifecycle stage names."""
        mapping = attrs.evolve(PLAIN, stages={"Marketing Qualified": "mql"})
        [lead] = read_leads(
            [_lead_row(stage="Marketing Qualified")], lifecycle=DEMAND_WATERFALL, mapping=mapping
        )
        assert "mql" == lead.stage

    def test_whole_float_ids(self) -> None:
        """An id column read as floats (pandas with gaps) gives the whole number's digits."""
        assert ("101",) == tuple(lead.id for lead in _read([_lead_row(id=101.0)]))

    def test_empty_tables(self) -> None:
        """An empty table (even without columns) gives no leads and no problem."""
        assert () == _read([], history=[], activities=[], campaign_members=[])


class TestHistory:
    def test_history_rows_in_time_order(self) -> None:
        """History rows are sorted by time (ties in table order) and carry by and reason."""
        history = [
            {"lead": "L1", "stage": "recycled", "at": T0 + 3 * HOUR, "by": "s1", "reason": "not_ready"},
            {"lead": "L1", "stage": "inquiry", "at": T0},
            {"lead": "L1", "stage": "mql", "at": T0 + HOUR},
        ]  # fmt: skip
        [lead] = _read([_lead_row(stage=None)], history=history)
        assert (
            StageChange(stage="inquiry", at=T0),
            StageChange(stage="mql", at=T0 + HOUR),
            StageChange(stage="recycled", at=T0 + 3 * HOUR, by="s1", reason="not_ready"),
        ) == lead.history

    def test_a_row_repeating_the_stage_is_no_change(self) -> None:
        """A history row that sets the stage the lead is already in is dropped."""
        history = [
            {"lead": "L1", "stage": "inquiry", "at": T0},
            {"lead": "L1", "stage": "inquiry", "at": T0 + HOUR},
            {"lead": "L1", "stage": "mql", "at": T0 + 2 * HOUR},
        ]
        [lead] = _read([_lead_row(stage="mql")], history=history)
        assert ["inquiry", "mql"] == [c.stage for c in lead.history]

    def test_previous_column_gives_the_first_stage(self) -> None:
        """With a previous column, the first change's previous stage starts at created_at."""
        mapping = attrs.evolve(PLAIN, history=attrs.evolve(PLAIN.history, previous="old"))
        history = [{"lead": "L1", "old": "inquiry", "stage": "mql", "at": T0 + HOUR}]
        [lead] = read_leads(
            [_lead_row(stage="mql")], lifecycle=DEMAND_WATERFALL, mapping=mapping, history=history
        )
        assert (StageChange(stage="inquiry", at=T0), StageChange(stage="mql", at=T0 + HOUR)) == (
            lead.history
        )

    def test_long_field_history_keeps_the_stage_field(self) -> None:
        """Rows of other fields in a long history table are skipped."""
        mapping = attrs.evolve(
            PLAIN, history=attrs.evolve(PLAIN.history, field="field", field_value="Status")
        )
        history = [
            {"lead": "L1", "field": "Email", "stage": "x@example.com", "at": T0},
            {"lead": "L1", "field": "Status", "stage": "inquiry", "at": T0},
            {"lead": "L1", "field": "Status", "stage": "mql", "at": T0 + HOUR},
        ]
        [lead] = read_leads(
            [_lead_row(stage=None)], lifecycle=DEMAND_WATERFALL, mapping=mapping, history=history
        )
        assert ["inquiry", "mql"] == [c.stage for c in lead.history]

    def test_every_bad_history_is_listed(self) -> None:
        """Every lead whose history the lifecycle refuses is listed, not only the first."""
        leads = [_lead_row(id="A", stage=None), _lead_row(id="B", stage=None), _lead_row(id="C")]
        history = [
            {"lead": "A", "stage": "inquiry", "at": T0},
            {"lead": "A", "stage": "won", "at": T0 + HOUR},
            {"lead": "B", "stage": "mql", "at": T0},
            {"lead": "B", "stage": "rejected", "at": T0 + HOUR},
        ]
        problems = _problems(leads, history=history)
        assert 2 == len(problems)
        assert problems[0].startswith(
            "lead 'A' (table 'leads' row 0; table 'history' rows 0, 1 column 'stage'): cannot move a lead from 'inquiry' to 'won'"
        )
        assert problems[1].startswith(
            "lead 'B' (table 'leads' row 1; table 'history' rows 2, 3 column 'stage'): moving a lead from 'mql' to 'rejected' needs a reason code"
        )

    def test_history_must_end_in_the_current_stage(self) -> None:
        """A history that ends elsewhere than the leads table's stage is a problem."""
        history = [{"lead": "L1", "stage": "inquiry", "at": T0}]
        assert (
            "lead 'L1' (table 'leads' row 0; table 'history' row 0 column 'stage'): its history ends in 'inquiry' but column 'stage' says it is in 'mql'",
        ) == _problems([_lead_row(stage="mql")], history=history)

    def test_a_lead_needs_a_stage(self) -> None:
        """A lead with no history rows and no stage cell has no stage; both causes are said."""
        no_column = attrs.evolve(PLAIN, leads=attrs.evolve(PLAIN.leads, stage=None))
        with pytest.raises(StructureError, match="the mapping names no stage column"):
            read_leads([_lead_row()], lifecycle=DEMAND_WATERFALL, mapping=no_column)
        assert (
            "lead 'L1' (table 'leads' row 0): has no stage: no history rows, and column 'stage' is empty",
        ) == _problems([_lead_row(stage=None)])

    def test_history_before_creation(self) -> None:
        """A change before the lead was created is refused by the lead, and reported."""
        history = [{"lead": "L1", "stage": "inquiry", "at": T0 - HOUR}]
        [problem] = _problems([_lead_row()], history=history)
        assert "before created_at" in problem

    def test_unknown_stage(self) -> None:
        """A stage the lifecycle does not have is reported for its lead."""
        [problem] = _problems([_lead_row(stage="subscriber")])
        assert "stage 'subscriber' is not in lifecycle 'demand_waterfall'" in problem


class TestActivities:
    def test_touchpoints_from_every_column(self) -> None:
        """Each mapped activity column lands in its Touchpoint field."""
        row = {
            "lead": "L1", "at": T0 + HOUR, "kind": "Webinar", "channel": "events",
            "team": "Marketing", "campaign": "c1", "content": "deck", "member": "m1",
            "source": "lnkd", "medium": "social",
        }  # fmt: skip
        [lead] = _read([_lead_row()], activities=[row])
        assert (
            Touchpoint(
                at=T0 + HOUR, channel="events", kind=TouchpointKind.WEBINAR, team=Team.MARKETING,
                campaign_id="c1", content_id="deck", member_id="m1", source="lnkd", medium="social",
            ),
        ) == lead.touchpoints  # fmt: skip

    def test_team_and_channel_by_the_documented_rules(self) -> None:
        """Without team and channel cells: team by KIND_TEAMS, channel by kind, then campaign."""
        columns = attrs.evolve(
            PLAIN.activities,  # type: ignore[misc]
            kinds={"CALL": TouchpointKind.CALL, "NOTE": None},
            channels={TouchpointKind.CALL: "sales_outreach"},
        )
        mapping = attrs.evolve(PLAIN, activities=columns)
        campaign = Campaign(
            id="c1", name="Spring", channel="paid_search", owner_id="m1",
            period=Period.quarter(2026, 1), budget=Money.of(100, "EUR"),
        )  # fmt: skip
        activities = [
            {"lead": "L1", "at": T0 + HOUR, "kind": "CALL"},
            {"lead": "L1", "at": T0 + HOUR, "kind": "NOTE"},
            {"lead": "L1", "at": T0 + 2 * HOUR, "kind": "ad_click", "campaign": "c1"},
        ]
        [lead] = read_leads(
            [_lead_row()],
            lifecycle=DEMAND_WATERFALL,
            mapping=mapping,
            activities=activities,
            campaigns=[campaign],
        )
        assert [("sales_outreach", Team.SALES), ("paid_search", Team.MARKETING)] == [
            (t.channel, t.team) for t in lead.touchpoints
        ]

    def test_team_is_never_guessed(self) -> None:
        """A chat with no team cell has no team by KIND_TEAMS: a problem, not a default."""
        activities = [{"lead": "L1", "at": T0, "kind": "chat", "channel": "web"}]
        assert (
            "table 'activities' row 0 column 'team': names no team for kind 'chat' and ActivityColumns.teams has none for it; add a team column or a teams entry",
        ) == _problems([_lead_row()], activities=activities)

    def test_activity_problems(self) -> None:
        """Unknown kinds, teams and leads, missing channels and times are each reported."""
        activities = [
            {"lead": "L1", "at": T0, "kind": "fax", "channel": "x", "team": "sales"},
            {"lead": "L1", "at": T0, "kind": "call", "channel": "x", "team": "finance"},
            {"lead": "L9", "at": T0, "kind": "call", "channel": "x", "team": "sales"},
            {"lead": "L1", "at": None, "kind": "call", "team": "sales"},
            {"lead": "L1", "at": T0, "kind": None, "channel": "x"},
        ]
        problems = _problems([_lead_row()], activities=activities)
        assert [
            "table 'activities' row 0 column 'kind': is not a touchpoint kind: 'fax'",
            "table 'activities' row 1 column 'team': must be 'sales' or 'marketing', got 'finance'",
            "table 'activities' row 2 column 'lead': lead 'L9' is not in the leads table",
            "table 'activities' row 3 column 'at': is empty; a timestamp is required",
            "table 'activities' row 3 column 'channel': names no channel for kind 'call'",
            "table 'activities' row 4 column 'kind': is empty; a value is required",
        ] == [p[: len(e)] for p, e in zip(problems, _expected_prefixes(problems), strict=True)]

    def test_required_columns(self) -> None:
        """A table without a required column says so once, listing the columns it has."""
        assert (
            "table 'activities' has no column 'kind' (a required column of the mapping); its columns are ['at', 'lead']",
        ) == _problems([_lead_row()], activities=[{"lead": "L1", "at": T0}])


def _expected_prefixes(problems: tuple[str, ...]) -> list[str]:
    """The first clause of each problem (up to the value named), for prefix comparisons."""
    cut = ("'fax'", "'finance'", "the leads table", "is required", "kind 'call'", "is required")
    return [p[: p.index(c) + len(c)] for p, c in zip(problems, cut, strict=True)]


class TestCampaignMembers:
    def test_responses_become_marketing_touches(self) -> None:
        """A responded member is a marketing touch of its campaign; others are skipped."""
        mapping = attrs.evolve(
            PLAIN,
            campaign_members=CampaignMemberColumns(
                lead="lead", campaign="campaign", at="at", responded="responded", status="status",
                channel="channel", kinds={"Attended": TouchpointKind.EVENT, "Sent": None},
            ),
        )  # fmt: skip
        members = [
            {"lead": "L1", "campaign": "c1", "at": T0 + HOUR, "responded": True, "status": "Attended", "channel": "events"},
            {"lead": "L1", "campaign": "c2", "at": None, "responded": "false", "status": "Sent"},
            {"lead": "L1", "campaign": "c3", "at": T0, "responded": 1, "status": "Sent"},
            {"lead": "L1", "campaign": "c4", "at": "2026-03-02T11:00:00Z", "responded": "yes", "channel": "web"},
        ]  # fmt: skip
        [lead] = read_leads(
            [_lead_row()], lifecycle=DEMAND_WATERFALL, mapping=mapping, campaign_members=members
        )
        assert [
            ("c1", TouchpointKind.EVENT, "events", Team.MARKETING),
            ("c4", TouchpointKind.OTHER, "web", Team.MARKETING),
        ] == [(t.campaign_id, t.kind, t.channel, t.team) for t in lead.touchpoints]

    def test_member_problems(self) -> None:
        """A campaign without a channel, a bad flag, a status without kind are reported."""
        mapping = attrs.evolve(
            PLAIN,
            campaign_members=CampaignMemberColumns(
                lead="lead", campaign="campaign", at="at", responded="responded", status="status",
                kind=None,
            ),
        )  # fmt: skip
        members = [
            {"lead": "L1", "campaign": "c1", "at": T0, "responded": True, "status": "Attended"},
            {"lead": "L1", "campaign": "c1", "at": T0, "responded": "maybe", "status": "x"},
            {"lead": "L9", "campaign": "c1", "at": T0, "responded": False},
            {"lead": "L9", "campaign": "c1", "at": T0, "responded": True},
        ]
        with pytest.raises(StructureError) as caught:
            read_leads(
                [_lead_row()], lifecycle=DEMAND_WATERFALL, mapping=mapping, campaign_members=members
            )
        assert (
            "table 'campaign_members' row 0 column 'status': status 'Attended' has no touchpoint kind; add it to CampaignMemberColumns.kinds or set its kind",
            "table 'campaign_members' row 0 column 'campaign': campaign 'c1' has no channel: add a channel column or pass the campaign to read_leads(campaigns=...)",
            "table 'campaign_members' row 1 column 'responded': must be true or false, got 'maybe'",
            "table 'campaign_members' row 3 column 'status': status None has no touchpoint kind; add it to CampaignMemberColumns.kinds or set its kind",
            "table 'campaign_members' row 3 column 'campaign': campaign 'c1' has no channel: add a channel column or pass the campaign to read_leads(campaigns=...)",
            "table 'campaign_members' row 3 column 'lead': lead 'L9' is not in the leads table",
        ) == caught.value.problems


class TestCellProblems:
    def test_every_problem_names_table_row_and_column(self) -> None:
        """All bad cells of all rows are listed at once, each with its place."""
        rows = [
            _lead_row(id=None),
            _lead_row(id="L2", created="2026-03-02T09:00:00"),
            _lead_row(id="L3", created="yesterday"),
            _lead_row(id="L4", created=1_708_850_086_096),
            _lead_row(id="L5", value="12,50", currency="EUR"),
            _lead_row(id="L6", value=10, currency=None),
            _lead_row(id="L7", value=10, currency="euro"),
            _lead_row(id="L8", industry=[1]),
            _lead_row(id="L9", owner=True),
            _lead_row(id="L9"),
            _lead_row(id="L10", value=True, currency="EUR"),
            _lead_row(id="L11", industry=float("inf")),
            _lead_row(id="L12", created=None),
            _lead_row(id="L13", employees=Decimal("12")),
        ]
        problems = _problems(rows)
        assert [
            "table 'leads' row 0 column 'id': is empty; a value is required",
            "table 'leads' row 1 column 'created': has no time zone (2026-03-02T09:00:00); pass tz= to read naive timestamps in a zone you name",
            "table 'leads' row 2 column 'created': is not an ISO 8601 timestamp: 'yesterday'",
            "table 'leads' row 3 column 'created': must be a datetime or an ISO 8601 string, got 1708850086096; convert epoch numbers first (e.g. pandas.to_datetime(column, unit='ms', utc=True))",
            "table 'leads' row 4 column 'value': must be a finite number, got '12,50'",
            "table 'leads' row 5 column 'value': holds 10 but no currency: map LeadColumns.currency or pass read_leads(currency=...)",
            "table 'leads' row 6 column 'currency': Money.currency must be an ISO 4217 currency code like 'EUR' (or a currency added with register_currency), got 'euro'",
            "table 'leads' row 7 column 'industry': must be text, a finite number or a bool, got [1]",
            "table 'leads' row 8 column 'owner': must be text or a whole-number id, got True",
            "table 'leads' row 9 column 'id': lead 'L9' is already in row 8",
            "table 'leads' row 10 column 'value': must be a number or a numeric string, got True",
            "table 'leads' row 11 column 'industry': must be text, a finite number or a bool, got inf",
            "table 'leads' row 12 column 'created': is empty; a timestamp is required",
        ] == list(problems)
        assert {"employees": 12.0} == dict(_read([rows[-1]])[0].attributes)

    def test_message_lists_the_first_twenty(self) -> None:
        """The message shows twenty problems and how many more; problems holds all."""
        rows = [_lead_row(id=f"L{i}", created=None) for i in range(25)]
        with pytest.raises(StructureError, match=r"found 25 problem\(s\)") as caught:
            _read(rows)
        assert 25 == len(caught.value.problems)
        assert str(caught.value).endswith("... and 5 more (the error's problems lists them all)")

    def test_missing_required_lead_columns(self) -> None:
        """A leads table without an id column is one problem; no lead is read."""
        assert (
            "table 'leads' has no column 'id' (a required column of the mapping); its columns are ['created']",
        ) == _problems([{"created": T0}])

    def test_other_tables_need_their_columns(self) -> None:
        """History and campaign member tables report their missing required columns."""
        problems = _problems([_lead_row()], history=[{"lead": "L1"}], campaign_members=[{"x": 1}])
        assert [
            "table 'history' has no column 'stage'",
            "table 'history' has no column 'at'",
            "table 'campaign_members' has no column 'lead'",
            "table 'campaign_members' has no column 'campaign'",
            "table 'campaign_members' has no column 'at'",
        ] == [p.split(" (", 1)[0] for p in problems]

    def test_history_cell_problems(self) -> None:
        """Bad history cells and rows of unknown leads are reported, table and row named."""
        history = [
            {"lead": "L1", "stage": None, "at": T0},
            {"lead": "L9", "stage": "mql", "at": T0},
        ]
        assert (
            "table 'history' row 0 column 'stage': is empty; a value is required",
            "table 'history' row 1 column 'lead': lead 'L9' is not in the leads table",
        ) == _problems([_lead_row()], history=history)


class TestArguments:
    def test_lifecycle_is_required(self) -> None:
        """The lifecycle must be a Lifecycle."""
        with pytest.raises(WrongType, match="read_leads lifecycle must be a Lifecycle"):
            read_leads([], lifecycle="hubspot", mapping=PLAIN)  # type: ignore[arg-type]

    def test_mapping_and_zone_types(self) -> None:
        """The mapping, the zone, the currency and the campaigns are checked."""
        with pytest.raises(WrongType, match="read_leads mapping must be a TableMapping"):
            read_leads([], lifecycle=HUBSPOT, mapping={})  # type: ignore[arg-type]
        with pytest.raises(WrongType, match="read_leads tz must be a tzinfo or None"):
            read_leads([], lifecycle=HUBSPOT, mapping=PLAIN, tz="UTC")  # type: ignore[arg-type]
        with pytest.raises(WrongType, match="read_leads currency must be a str or None"):
            read_leads([], lifecycle=HUBSPOT, mapping=PLAIN, currency=1)  # type: ignore[arg-type]
        with pytest.raises(WrongType, match=r"read_leads campaigns\[0\] must be a Campaign"):
            read_leads([], lifecycle=HUBSPOT, mapping=PLAIN, campaigns=["c1"])  # type: ignore[list-item]

    def test_table_without_columns_in_the_mapping(self) -> None:
        """A table the mapping has no columns for is refused by name."""
        bare = TableMapping(name="bare", leads=PLAIN.leads)
        with pytest.raises(
            ValidationError,
            match="read_leads campaign_members was given, but mapping 'bare' has no campaign_members columns",
        ):
            read_leads([], lifecycle=HUBSPOT, mapping=bare, campaign_members=[])

    def test_a_table_must_be_a_table(self) -> None:
        """A string is no table; the message names which argument."""
        with pytest.raises(WrongType, match="read_leads history must be a table"):
            _read([], history="lead,stage,at")


class TestMappings:
    def test_field_and_field_value_go_together(self) -> None:
        """A long-history field column needs the value that marks stage rows."""
        with pytest.raises(ValidationError, match="field and field_value go together"):
            HistoryColumns(lead="l", stage="s", at="a", field_value="Status")

    def test_mapping_values_are_checked(self) -> None:
        """Mappings of kinds, teams, channels, stages and attributes refuse wrong types."""
        with pytest.raises(WrongType, match="ActivityColumns.kinds must map str to str or None"):
            ActivityColumns(lead="l", at="a", kind="k", kinds={"CALL": 5})  # type: ignore[dict-item]
        with pytest.raises(ValidationError, match=r"ActivityColumns.kinds\['CALL'\] must be"):
            ActivityColumns(lead="l", at="a", kind="k", kinds={"CALL": " "})
        with pytest.raises(WrongType, match="ActivityColumns.teams must map str to Team"):
            ActivityColumns(lead="l", at="a", kind="k", teams={"call": "sales"})  # type: ignore[dict-item]
        with pytest.raises(WrongType, match="ActivityColumns.channels must be a mapping"):
            ActivityColumns(lead="l", at="a", kind="k", channels=["x"])  # type: ignore[arg-type]
        with pytest.raises(
            ValidationError, match="TableMapping.stages keys must be non-empty strings"
        ):
            TableMapping(name="m", leads=PLAIN.leads, stages={" ": "mql"})
        with pytest.raises(WrongType, match="LeadColumns.attributes must map str to str"):
            LeadColumns(id="i", created_at="c", attributes={"a": 1})  # type: ignore[dict-item]
        with pytest.raises(WrongType, match="CampaignMemberColumns.kinds must map"):
            CampaignMemberColumns(lead="l", campaign="c", at="a", kinds={1: None})  # type: ignore[dict-key]

    def test_kind_teams_rule(self) -> None:
        """Calls, e-mails, meetings and demos are sales'; chat, referral and other are nobody's by default."""
        sales = sorted(k for k, t in KIND_TEAMS.items() if t is Team.SALES)
        assert ["call", "demo", "email", "meeting"] == sales
        assert ["chat", "other", "referral"] == sorted(
            k.value for k in TouchpointKind if k not in KIND_TEAMS
        )


HUBSPOT_CONTACTS = [
    {"hs_object_id": 101, "createdate": "2026-03-02T09:00:00Z", "lifecyclestage": "salesqualifiedlead",
     "hs_analytics_source": "PAID_SEARCH", "hs_analytics_source_data_1": "google",
     "hubspot_owner_id": 7, "industry": "retail", "numemployees": 250, "recent_deal_amount": None},
    {"hs_object_id": 102, "createdate": "2026-03-03T09:00:00Z", "lifecyclestage": "lead",
     "hs_analytics_source": "ORGANIC_SEARCH", "recent_deal_amount": 1500},
]  # fmt: skip
HUBSPOT_HISTORY = [
    {"contactId": 101, "property": "lifecyclestage", "value": "lead", "timestamp": "2026-03-02T09:00:00Z"},
    {"contactId": 101, "property": "lifecyclestage", "value": "marketingqualifiedlead", "timestamp": "2026-03-04T09:00:00Z"},
    {"contactId": 101, "property": "email", "value": "ann@example.com", "timestamp": "2026-03-04T09:00:00Z"},
    {"contactId": 101, "property": "lifecyclestage", "value": "salesqualifiedlead", "timestamp": "2026-03-05T09:00:00Z", "updatedByUserId": 7},
]  # fmt: skip
HUBSPOT_ENGAGEMENTS = [
    {"contactId": 101, "type": "CALL", "timestamp": "2026-03-04T10:00:00Z", "ownerId": 7},
    {"contactId": 101, "type": "NOTE", "timestamp": "2026-03-04T10:05:00Z", "ownerId": 7},
]


class TestHubSpotExport:
    def test_contacts_history_and_engagements(self) -> None:
        """A HubSpot-style export reads into leads on the HubSpot lifecycle."""
        first, second = read_leads(
            HUBSPOT_CONTACTS,
            lifecycle=HUBSPOT,
            mapping=HUBSPOT_EXPORT,
            history=HUBSPOT_HISTORY,
            activities=HUBSPOT_ENGAGEMENTS,
            currency="USD",
        )
        assert {
            "stages": ["lead", "marketingqualifiedlead", "salesqualifiedlead"],
            "source": LeadSource(source="google", channel="PAID_SEARCH"),
            "owner": "7",
            "attributes": {"industry": "retail", "employees": 250},
            "touches": [(TouchpointKind.CALL, Team.SALES, "sales_outreach", "7")],
        } == {
            "stages": [c.stage for c in first.history],
            "source": first.source,
            "owner": first.owner_id,
            "attributes": dict(first.attributes),
            "touches": [(t.kind, t.team, t.channel, t.member_id) for t in first.touchpoints],
        }
        assert (["lead"], Money.of(1500, "USD")) == (
            [c.stage for c in second.history],
            second.value,
        )

    @pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
    def test_dataframes(self, library: str) -> None:
        """The same export as pandas, polars or pyarrow tables reads to the same leads."""

        def table(rows: list[dict[str, Any]]) -> Any:
            df = pd.DataFrame(rows)
            if library == "polars":
                return pl.from_pandas(df)
            return pa.Table.from_pandas(df) if library == "pyarrow" else df

        expected = read_leads(
            HUBSPOT_CONTACTS, lifecycle=HUBSPOT, mapping=HUBSPOT_EXPORT,
            history=HUBSPOT_HISTORY, activities=HUBSPOT_ENGAGEMENTS, currency="USD",
        )  # fmt: skip
        assert expected == read_leads(
            table(HUBSPOT_CONTACTS), lifecycle=HUBSPOT, mapping=HUBSPOT_EXPORT,
            history=table(HUBSPOT_HISTORY), activities=table(HUBSPOT_ENGAGEMENTS), currency="USD",
        )  # fmt: skip

    def test_pandas_timestamps_and_numpy_ids(self) -> None:
        """Parsed timestamps (pandas Timestamps) and int64 ids read as well as text does."""
        df = pd.DataFrame(HUBSPOT_CONTACTS)
        df["createdate"] = pd.to_datetime(df["createdate"], utc=True)
        leads = read_leads(df, lifecycle=HUBSPOT, mapping=HUBSPOT_EXPORT, currency="USD")
        assert [("101", T0), ("102", T0 + 24 * HOUR)] == [(x.id, x.created_at) for x in leads]


SALESFORCE = attrs.evolve(
    SALESFORCE_EXPORT,
    stages={
        "Open - Not Contacted": "inquiry",
        "Marketing Qualified": "mql",
        "Working - Contacted": "sal",
        "Closed - Not Converted": "disqualified",
    },
)


class TestSalesforceExport:
    def test_lead_history_task_and_campaign_member(self) -> None:
        """Lead, LeadHistory (OldValue starts it), Task and CampaignMember read into a lead."""
        leads = [{"Id": "00Q1", "CreatedDate": "2026-03-02T09:00:00.000+0000",
                  "Status": "Working - Contacted", "LeadSource": "Web", "CurrencyIsoCode": "EUR",
                  "Industry": "Retail", "NumberOfEmployees": 120}]  # fmt: skip
        history = [
            {"LeadId": "00Q1", "Field": "created", "CreatedDate": "2026-03-02T09:00:00.000+0000"},
            {"LeadId": "00Q1", "Field": "Status", "OldValue": "Open - Not Contacted",
             "NewValue": "Marketing Qualified", "CreatedDate": "2026-03-03T09:00:00.000+0000"},
            {"LeadId": "00Q1", "Field": "Status", "OldValue": "Marketing Qualified",
             "NewValue": "Working - Contacted", "CreatedDate": "2026-03-03T11:00:00.000+0000",
             "CreatedById": "005A"},
        ]  # fmt: skip
        tasks = [
            {"WhoId": "00Q1", "TaskSubtype": "Call", "CompletedDateTime": "2026-03-03T10:00:00.000+0000", "OwnerId": "005A"},
            {"WhoId": "00Q1", "TaskSubtype": "Task", "CompletedDateTime": None, "OwnerId": "005A"},
        ]  # fmt: skip
        members = [
            {"LeadId": "00Q1", "CampaignId": "701A", "HasResponded": True, "Status": "Attended", "FirstRespondedDate": "2026-03-02"},
            {"LeadId": "00Q1", "CampaignId": "701B", "HasResponded": False, "Status": "Sent", "FirstRespondedDate": None},
        ]  # fmt: skip
        webinar = Campaign(
            id="701A", name="Spring webinar", channel="events", owner_id="m1",
            period=Period.quarter(2026, 1), budget=Money.of(500, "EUR"),
        )  # fmt: skip
        [lead] = read_leads(
            leads, lifecycle=DEMAND_WATERFALL, mapping=SALESFORCE, history=history,
            activities=tasks, campaign_members=members, campaigns=[webinar], tz=timezone.utc,
        )  # fmt: skip
        assert {
            "history": [("inquiry", T0, None), ("mql", T0 + 24 * HOUR, None), ("sal", T0 + 26 * HOUR, "005A")],
            "channel": "Web",
            "attributes": {"industry": "Retail", "employees": 120},
            "touches": [
                ("701A", TouchpointKind.EVENT, "events", Team.MARKETING),
                (None, TouchpointKind.CALL, "sales_outreach", Team.SALES),
            ],
        } == {
            "history": [(c.stage, c.at, c.by) for c in lead.history],
            "channel": lead.channel,
            "attributes": dict(lead.attributes),
            "touches": [(t.campaign_id, t.kind, t.channel, t.team) for t in lead.touchpoints],
        }  # fmt: skip


def _tables(leads: list[Lead]) -> dict[str, list[dict[str, Any]]]:
    """Leads written out as tidy tables in the PLAIN mapping's columns."""
    lead_rows = [
        {
            "id": x.id, "created": x.created_at,
            "source": x.source and x.source.source, "medium": x.source and x.source.medium,
            "channel": x.channel, "campaign": x.campaign_id,
            "page": x.source and x.source.landing_page, "owner": x.owner_id,
            "account": x.account_id, "persona": x.persona_id,
            "value": None if x.value is None else x.value.amount,
            "currency": None if x.value is None else x.value.currency,
            **{a: x.attributes.get(a) for a in ("industry", "employees")},
        }
        for x in leads
    ]  # fmt: skip
    history = [
        {
            "lead": x.id,
            "stage": c.stage,
            "at": c.at,
            "by": c.by,
            "reason": c.reason,
            "competitor": c.competitor,
        }
        for x in leads
        for c in x.history
    ]
    activities = [
        {"lead": x.id, "at": t.at, "kind": t.kind, "channel": t.channel, "team": t.team.value,
         "campaign": t.campaign_id, "content": t.content_id, "member": t.member_id,
         "source": t.source, "medium": t.medium}
        for x in leads
        for t in x.touchpoints
    ]  # fmt: skip
    return {"leads": lead_rows, "history": history, "activities": activities}


def _readable(lead: Lead) -> Lead:
    """The lead as its table reads back: mapped attributes only, blanks gone, no empty source."""
    attributes: dict[str, Any] = {}
    for name in ("industry", "employees"):
        value = lead.attributes.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        if value is not None:
            attributes[name] = value
    source = lead.source if lead.source != LeadSource() else None
    return attrs.evolve(lead, attributes=attributes, source=source)


class TestRoundTrip:
    @given(
        leads=st.lists(
            any_leads(lead_id=st.sampled_from([f"L{i}" for i in range(8)])),
            max_size=6,
            unique_by=lambda lead: lead.id,
        )
    )
    def test_leads_written_as_tables_read_back(self, leads: list[Lead]) -> None:
        """Any leads written as leads, history and activities tables read back equal."""
        tables = _tables(leads)
        assert [_readable(x) for x in leads] == list(
            _read(tables["leads"], history=tables["history"], activities=tables["activities"])
        )
