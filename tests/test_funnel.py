"""Tests of salesmark.funnel: both views, conversions, stays, velocity, splits and merging."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL as W
from salesmark import HUBSPOT, Lead, Period, UnknownReference, ValidationError, funnel_counts
from salesmark.funnel import FunnelCounts, FunnelSplit, StageTime, funnel_by
from salesmark.leads import lead_key
from strategies import hand_organisation, lead_lists

Q1 = Period.quarter(2026, 1)
ORG = hand_organisation()
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


class TestFunnel:
    def test_cohort_view_of_hand_fixture(self) -> None:
        """Leads created in Q1 count at every stage up to the furthest they reached."""
        assert (5, 4, 4, 4, 4, 2) == funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle).cohort

    def test_activity_view_of_hand_fixture(self) -> None:
        """Every stage entry in Q1 counts, including E's win from a 2025 lead."""
        assert (5, 4, 4, 4, 4, 3) == funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle).activity

    def test_time_in_opportunity(self) -> None:
        """Cohort stays in opportunity are A 30d, B 40d, C 30d: median 30d, p90 38d."""
        stay = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle).time_in_stage()[4]
        assert StageTime(stage="opportunity", count=3, median=30 * DAY, p90=38 * DAY) == stay

    def test_velocity_both_views(self) -> None:
        """Cohort wins took 40d and 39d; Q1 wins took 40d, 39d and 80d."""
        f = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle)
        assert (2, timedelta(days=39.5)) == (f.velocity().count, f.velocity().median)
        assert (3, 40 * DAY) == (f.velocity("activity").count, f.velocity("activity").median)

    def test_conversions_cohort(self) -> None:
        """Cohort conversion rates are counts of the next stage over this one."""
        rates = [
            c.rate for c in funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle).conversions()
        ]
        expected = ["0.8000", "1.0000", "1.0000", "1.0000", "0.5000"]
        assert [Decimal(x) for x in expected] == rates

    def test_end_to_end(self) -> None:
        """Two of five cohort leads were won."""
        assert (
            Decimal("0.4000") == funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle).end_to_end()
        )

    def test_stages_follow_the_given_lifecycle(self) -> None:
        """The lifecycle is required and decides the stages: HubSpot leads count along HubSpot's."""
        lead = Lead.create(id="L", created_at=Q1.start)
        assert ("inquiry", "mql", "sal", "sql", "opportunity", "won") == funnel_counts(
            [lead], Q1, lifecycle=W
        ).stages
        hubspot = [
            Lead.create(id=f"H{i}", created_at=Q1.start, lifecycle=HUBSPOT).advance(
                "marketingqualifiedlead", at=Q1.start + HOUR, lifecycle=HUBSPOT
            )
            for i in range(5)
        ]
        # 5 leads, all MQLs: none dropped for naming HubSpot's stages
        assert (5, 5, 5, 0, 0, 0) == funnel_counts(hubspot, Q1, lifecycle=HUBSPOT).cohort

    def test_bad_period_is_refused(self) -> None:
        """A period that is not a Period raises ValidationError."""
        with pytest.raises(ValidationError, match="Period"):
            funnel_counts([], "2026-Q1", lifecycle=W)  # type: ignore[arg-type]

    def test_bad_source_is_refused(self) -> None:
        """A string is not a source of leads."""
        with pytest.raises(ValidationError, match="iterable of Lead"):
            funnel_counts("leads", Q1, lifecycle=W)  # type: ignore[arg-type]

    def test_bad_lifecycle_is_refused(self) -> None:
        """A lifecycle given by name raises ValidationError naming the argument."""
        with pytest.raises(ValidationError, match="funnel_counts lifecycle must be a Lifecycle"):
            funnel_counts([], Q1, lifecycle="x")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="funnel_by lifecycle must be a Lifecycle"):
            funnel_by(ORG.leads, Q1, "channel", lifecycle="hubspot")  # type: ignore[arg-type]

    def test_unknown_view_is_refused(self) -> None:
        """Only the cohort and activity views exist."""
        with pytest.raises(ValidationError, match="view"):
            funnel_counts([], Q1, lifecycle=W).conversions("pipeline")  # type: ignore[arg-type]

    @settings(max_examples=60, deadline=None)
    @given(lead_lists(), st.integers(0, 25), st.integers(0, 25))
    def test_merge_equals_funnel_of_the_whole(self, leads: list[Lead], i: int, j: int) -> None:
        """Funnels of partitions of the leads add up to the funnel of all of them."""
        a, b = sorted((min(i, len(leads)), min(j, len(leads))))
        parts = [funnel_counts(p, Q1, lifecycle=W) for p in (leads[:a], leads[a:b], leads[b:])]
        assert funnel_counts(leads, Q1, lifecycle=W) == sum(parts, FunnelCounts())
        assert parts[0] + (parts[1] + parts[2]) == (parts[0] + parts[1]) + parts[2]
        assert parts[0] + parts[1] == parts[1] + parts[0]

    @settings(max_examples=60, deadline=None)
    @given(lead_lists())
    def test_cohort_counts_never_increase(self, leads: list[Lead]) -> None:
        """Cohort counts are non-increasing down the funnel."""
        cohort = funnel_counts(leads, Q1, lifecycle=W).cohort
        assert all(x >= y for x, y in pairwise(cohort))

    @settings(max_examples=40, deadline=None)
    @given(lead_lists())
    def test_months_add_up_to_the_quarter(self, leads: list[Lead]) -> None:
        """The funnels of the three months of a quarter add up to the quarter's funnel."""
        months = [Period.month(2026, m) for m in (1, 2, 3)]
        assert funnel_counts(leads, Q1, lifecycle=W) == sum(
            (funnel_counts(leads, m, lifecycle=W) for m in months), FunnelCounts()
        )

    @settings(max_examples=40, deadline=None)
    @given(lead_lists())
    def test_cohort_matches_a_naive_count(self, leads: list[Lead]) -> None:
        """The cohort count at a stage is the number of cohort leads at it or beyond."""
        stages = funnel_counts(leads, Q1, lifecycle=W).stages
        cohort = [lead for lead in leads if Q1.contains(lead.created_at)]
        expected = tuple(
            sum(1 for lead in cohort if any(lead.has_reached(s) for s in stages[i:]))
            for i in range(len(stages))
        )
        assert expected == funnel_counts(leads, Q1, lifecycle=W).cohort


class TestFunnelBy:
    def test_split_by_channel(self) -> None:
        """Each channel gets its own funnel; leads without a source group under None."""
        split = funnel_by(ORG.leads, Q1, "channel", lifecycle=ORG.lifecycle)
        assert 2 == split[None].count("inquiry")
        assert 1 == split["outbound"].count("won")

    def test_split_by_function(self) -> None:
        """A key function names the split after itself."""

        def has_value(lead: Lead) -> bool:
            return lead.value is not None

        split = funnel_by(ORG.leads, Q1, has_value, lifecycle=ORG.lifecycle)
        assert ("has_value", 1) == (split.by, split[False].count("inquiry"))

    def test_unknown_group(self) -> None:
        """Asking for a group that is not there raises UnknownReference."""
        with pytest.raises(UnknownReference, match="no group"):
            funnel_by(ORG.leads, Q1, "channel", lifecycle=ORG.lifecycle)["tv"]

    def test_unknown_field(self) -> None:
        """An unknown field name is refused with the list of known ones."""
        with pytest.raises(ValidationError, match="persona_id"):
            funnel_by([], Q1, "colour", lifecycle=W)

    def test_records(self) -> None:
        """Records carry the group key and one row per stage."""
        records = funnel_by(ORG.leads, Q1, "channel", lifecycle=ORG.lifecycle).to_records()
        assert {"channel", "stage", "cohort", "activity"} <= set(records[0])

    @settings(max_examples=40, deadline=None)
    @given(lead_lists(), st.integers(0, 25))
    def test_split_total_and_merge(self, leads: list[Lead], cut: int) -> None:
        """The groups add up to the whole funnel, and split merging is exact."""
        whole_funnel = funnel_counts(leads, Q1, lifecycle=W)
        zero = FunnelCounts.empty(whole_funnel.stages)
        assert whole_funnel == funnel_by(leads, Q1, "channel", lifecycle=W).total() + zero
        whole = funnel_by(leads, Q1, "channel", lifecycle=W)
        assert whole == funnel_by(leads[:cut], Q1, "channel", lifecycle=W) + funnel_by(
            leads[cut:], Q1, "channel", lifecycle=W
        )

    def test_splits_by_different_keys_do_not_add(self) -> None:
        """Adding splits by different keys raises ValidationError."""
        with pytest.raises(ValidationError, match="different keys"):
            FunnelSplit(by="channel") + FunnelSplit(by="owner_id")


class TestLeadKey:
    def test_attribute_field(self) -> None:
        """attributes.<name> reads a lead attribute."""
        lead = Lead.create(id="L", created_at=Q1.start, attributes={"region": "UK"})
        assert "UK" == lead_key("attributes.region")(lead)

    def test_empty_attribute_name_is_refused(self) -> None:
        """attributes. without a name is not a field."""
        with pytest.raises(ValidationError):
            lead_key("attributes.")


class TestFunnelCounts:
    def test_empty_is_identity(self) -> None:
        """The empty funnel adds nothing."""
        f = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle)
        assert (f, f) == (f + FunnelCounts(), FunnelCounts() + f)

    def test_different_stages_do_not_add(self) -> None:
        """Funnels of different stages cannot be added."""
        with pytest.raises(ValidationError, match="different stages"):
            FunnelCounts.empty(("a",)) + FunnelCounts.empty(("b",))

    def test_lengths_are_checked(self) -> None:
        """Counts must have one entry per stage."""
        with pytest.raises(ValidationError, match="one entry per stage"):
            FunnelCounts(stages=("a", "b"), cohort=(1,))

    def test_unknown_stage(self) -> None:
        """Counting an unknown stage raises ValidationError."""
        with pytest.raises(ValidationError, match="no stage"):
            FunnelCounts.empty(("a",)).count("b")

    def test_repr_and_records(self) -> None:
        """The repr is one line and the records hold one dict per stage."""
        f = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle)
        assert "\n" not in repr(f)
        assert 6 == len(f.to_records())
        assert Decimal("720.00") == f.to_records()[4]["cohort_median_hours"]


def test_utc_dates_only_aware() -> None:
    """Naive datetimes never reach the funnel: leads refuse them."""
    with pytest.raises(ValidationError):
        Lead.create(id="L", created_at=datetime(2026, 1, 1))
    assert timezone.utc == Q1.start.tzinfo
