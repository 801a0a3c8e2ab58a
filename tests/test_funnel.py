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
from salesmark.errors import WrongType
from salesmark.funnel import FunnelCounts, FunnelSplit, StageTime, funnel_by, funnel_leads
from salesmark.leads import lead_key
from strategies import hand_organisation, lead_lists

Q1 = Period.quarter(2026, 1)
ORG = hand_organisation()
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


class TestFunnel:
    def test_cohort_view_of_hand_fixture(self) -> None:
        """Leads created in Q1 count at every stage up to the furthest they reached, and at B's loss."""
        counts = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle)
        # progression: A, B, C, D, H created; D stayed an inquiry; A and C won; then lost
        # (B), rejected, recycled, disqualified
        assert (5, 4, 4, 4, 4, 2, 1, 0, 0, 0) == counts.cohort

    def test_activity_view_of_hand_fixture(self) -> None:
        """Every stage entry in Q1 counts, including E's win from a 2025 lead and B's loss."""
        activity = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle).activity
        assert (5, 4, 4, 4, 4, 3, 1, 0, 0, 0) == activity

    def test_time_in_opportunity(self) -> None:
        """Cohort stays in opportunity are A 30d, B 40d, C 30d: median 30d, p90 38d; H's is open.

        Counted without ``as_of``, H's open stay has no length, so there is no survival median.
        """
        stay = funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle).time_in_stage()[4]
        assert (
            StageTime(stage="opportunity", count=3, median=30 * DAY, p90=38 * DAY, open=1) == stay
        )

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
        ).progression
        hubspot = [
            Lead.create(id=f"H{i}", created_at=Q1.start, lifecycle=HUBSPOT).advance(
                "marketingqualifiedlead", at=Q1.start + HOUR, lifecycle=HUBSPOT
            )
            for i in range(5)
        ]
        # 5 leads, all MQLs: none dropped for naming HubSpot's stages
        assert (5, 5, 5, 0, 0, 0, 0, 0) == funnel_counts(hubspot, Q1, lifecycle=HUBSPOT).cohort

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
        """Cohort counts are non-increasing down the progression."""
        counts = funnel_counts(leads, Q1, lifecycle=W)
        assert all(x >= y for x, y in pairwise(counts.cohort[: len(counts.progression)]))

    @settings(max_examples=40, deadline=None)
    @given(lead_lists())
    def test_months_add_up_to_the_quarter(self, leads: list[Lead]) -> None:
        """The counts and finished stays of the three months add up to the quarter's.

        Open stays are each period's own (a stay open at the end of January may end in
        February), so they do not add up across periods.
        """
        months = [Period.month(2026, m) for m in (1, 2, 3)]
        whole = funnel_counts(leads, Q1, lifecycle=W)
        parts = sum((funnel_counts(leads, m, lifecycle=W) for m in months), FunnelCounts())
        fields = ("cohort", "activity", "cohort_stays", "activity_stays", "cohort_velocity")
        assert {f: getattr(whole, f) for f in fields} == {f: getattr(parts, f) for f in fields}

    @settings(max_examples=40, deadline=None)
    @given(lead_lists())
    def test_cohort_matches_a_naive_count(self, leads: list[Lead]) -> None:
        """The cohort count at a progression stage is the cohort leads at it or beyond; off it, those that entered it."""
        counts = funnel_counts(leads, Q1, lifecycle=W)
        path, others = counts.progression, counts.stages[len(counts.progression) :]
        cohort = [lead for lead in leads if Q1.contains(lead.created_at)]
        expected = tuple(
            sum(1 for lead in cohort if any(lead.has_reached(s) for s in path[i:]))
            for i in range(len(path))
        ) + tuple(sum(1 for lead in cohort if lead.has_reached(s)) for s in others)
        assert expected == counts.cohort


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
        zero = FunnelCounts.empty(whole_funnel.stages, whole_funnel.progression)
        assert whole_funnel == funnel_by(leads, Q1, "channel", lifecycle=W).total() + zero
        whole = funnel_by(leads, Q1, "channel", lifecycle=W)
        assert whole == funnel_by(leads[:cut], Q1, "channel", lifecycle=W) + funnel_by(
            leads[cut:], Q1, "channel", lifecycle=W
        )

    @settings(max_examples=30, deadline=None)
    @given(lead_lists(), st.integers(1, 6))
    def test_k_way_merge_of_splits(self, leads: list[Lead], k: int) -> None:
        """FunnelSplit.merge of k slices equals the split of all the leads."""
        parts = [funnel_by(leads[i::k], Q1, "channel", lifecycle=W) for i in range(k)]
        assert funnel_by(leads, Q1, "channel", lifecycle=W) == FunnelSplit.merge(parts)

    def test_a_split_merge_needs_a_part(self) -> None:
        """No part leaves nothing to name the split by."""
        with pytest.raises(ValidationError, match="at least one part"):
            FunnelSplit.merge([])
        with pytest.raises(ValidationError, match="different keys"):
            FunnelSplit.merge([FunnelSplit(by="channel"), FunnelSplit(by="owner_id")])

    @pytest.mark.parametrize(
        ("groups", "path", "shown"),
        [
            (5, "/groups", "FunnelSplit.groups must be a sequence of (group key, FunnelCounts) pairs, got 5"),
            ("ab", "/groups", "FunnelSplit.groups must be a sequence of (group key, FunnelCounts) pairs, got the string 'ab'"),
            ([("a",)], "/groups/0", "FunnelSplit.groups[0] must be a (group key, FunnelCounts) pair with a hashable key, got ('a',)"),
            ([("a", 3)], "/groups/0", "FunnelSplit.groups[0] must be a (group key, FunnelCounts) pair with a hashable key, got ('a', 3)"),
            (
                [("a", FunnelCounts()), (["b"], FunnelCounts())],
                "/groups/1",
                "FunnelSplit.groups[1] must be a (group key, FunnelCounts) pair with a hashable key, got (['b'], FunnelCounts(empty))",
            ),
        ],
    )  # fmt: skip
    def test_groups_that_are_not_keyed_funnels_are_refused(
        self, groups: object, path: str, shown: str
    ) -> None:
        """Groups not a sequence of (hashable key, FunnelCounts) pairs: a WrongType (also a TypeError) naming the place."""
        with pytest.raises(WrongType) as caught:
            FunnelSplit(by="channel", groups=groups)  # type: ignore[arg-type]
        assert {"message": shown, "path": path, "type error": True} == {
            "message": str(caught.value),
            "path": caught.value.path,
            "type error": isinstance(caught.value, TypeError),
        }

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

    @settings(max_examples=40, deadline=None)
    @given(lead_lists(), st.integers(1, 8))
    def test_k_way_merge_equals_the_whole(self, leads: list[Lead], k: int) -> None:
        """merge of k partitions (some empty) equals the funnel of all the leads and their sum."""
        parts = [funnel_counts(leads[i::k], Q1, lifecycle=W) for i in range(k)]
        merged = FunnelCounts.merge([*parts, FunnelCounts()])
        assert funnel_counts(leads, Q1, lifecycle=W) == merged
        assert sum(parts, FunnelCounts()) == merged
        assert FunnelCounts.merge(reversed(parts)) == merged

    def test_merge_of_nothing_is_empty(self) -> None:
        """No part gives the empty value; a wrong part is refused."""
        assert FunnelCounts() == FunnelCounts.merge([])
        with pytest.raises(ValidationError, match="FunnelCounts.merge parts"):
            FunnelCounts.merge([FunnelCounts(), "funnel"])  # type: ignore[list-item]
        with pytest.raises(ValidationError, match="different stages"):
            FunnelCounts.merge([FunnelCounts.empty(("a",)), FunnelCounts.empty(("b",))])

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
        assert 10 == len(f.to_records())  # every stage of the lifecycle
        assert Decimal("720.00") == f.to_records()[4]["cohort_median_hours"]


def test_utc_dates_only_aware() -> None:
    """Naive datetimes never reach the funnel: leads refuse them."""
    with pytest.raises(ValidationError):
        Lead.create(id="L", created_at=datetime(2026, 1, 1))
    assert timezone.utc == Q1.start.tzinfo


class TestCompleteFunnel:
    """Every stage counted, open stays beside finished ones, the survival median."""

    def test_open_stays_are_counted_and_survive(self) -> None:
        """Eight of ten MQLs still waiting after 85 days: finished median 1 day, survival median none.

        Two stays ended after one day (events), eight are censored at 85 days: the
        Kaplan-Meier survival after one day is 8/10, and it never falls to one half.
        """
        start = Q1.start
        waiting = [
            Lead.create(id=f"W{i}", created_at=start).advance("mql", at=start) for i in range(8)
        ]
        quick = [
            Lead.create(id=f"Q{i}", created_at=start)
            .advance("mql", at=start)
            .advance("sal", at=start + DAY)
            for i in range(2)
        ]
        f = funnel_counts(waiting + quick, Q1, lifecycle=W, as_of=start + 85 * DAY)
        assert (
            StageTime(stage="mql", count=2, median=DAY, p90=DAY, open=8, survival_median=None)
            == f.time_in_stage()[1]
        )

    def test_survival_median_by_hand(self) -> None:
        """Stays of 1, 2 and 3 days done and one open at 2 days: S(1)=3/4, S(2)=3/4*2/3=1/2, median 2 days."""
        start = Q1.start
        done = [
            Lead.create(id=f"D{d}", created_at=start)
            .advance("mql", at=start)
            .advance("sal", at=start + d * DAY)
            for d in (1, 2, 3)
        ]
        still = Lead.create(id="O", created_at=start).advance("mql", at=start)
        f = funnel_counts([*done, still], Q1, lifecycle=W, as_of=start + 2 * DAY + HOUR)
        # as of day 2 + 1h the 3-day stay has not ended: it is open too (censored at 2d 1h)
        mql = f.time_in_stage()[1]
        assert (2, 2, 2 * DAY) == (mql.count, mql.open, mql.survival_median)

    def test_side_stages_have_stays(self) -> None:
        """A lead rejected then recycled stayed 2 hours in 'rejected', and is still 'recycled'."""
        t = Q1.start
        lead = (
            Lead.create(id="R", created_at=t)
            .advance("mql", at=t)
            .advance("rejected", at=t + HOUR, reason="bad_data")
            .advance("recycled", at=t + 3 * HOUR, reason="reengage")
        )
        f = funnel_counts([lead], Q1, lifecycle=W)
        times = {s.stage: s for s in f.time_in_stage()}
        assert {"rejected": 1, "recycled": 1} == {s: f.count(s) for s in ("rejected", "recycled")}
        assert (2 * HOUR, 1) == (times["rejected"].median, times["recycled"].open)

    def test_open_at_the_period_end_whatever_period_it_began_in(self) -> None:
        """An opportunity opened in April and left alone is open at the end of May."""
        april = datetime(2026, 4, 3, tzinfo=timezone.utc)
        lead = Lead.create(id="O", created_at=april)
        for i, stage in enumerate(("mql", "sal", "sql", "opportunity"), start=1):
            lead = lead.advance(stage, at=april + i * HOUR)
        may = Period.month(2026, 5)
        opportunity = funnel_counts([lead], may, lifecycle=W).time_in_stage("activity")[4]
        assert (0, 1) == (opportunity.count, opportunity.open)

    def test_as_of_cuts_the_data(self) -> None:
        """Changes at or after ``as_of`` do not count: the lead is an MQL as of the day it was accepted."""
        t = Q1.start
        lead = Lead.create(id="L", created_at=t).advance("mql", at=t).advance("sal", at=t + DAY)
        f = funnel_counts([lead], Q1, lifecycle=W, as_of=t + DAY)
        assert ((1, 1, 0), 1) == (f.cohort[:3], f.cohort_open[1])

    def test_a_lead_captured_after_as_of_is_not_counted(self) -> None:
        """A lead captured at or after ``as_of`` is in neither view, split or not."""
        t = Q1.start + DAY
        early = Lead.create(id="E", created_at=Q1.start)
        late = Lead.create(id="L", created_at=t).advance("mql", at=t + HOUR)
        whole = funnel_counts([early, late], Q1, lifecycle=W, as_of=t)
        split = funnel_by([early, late], Q1, _lead_id, lifecycle=W, as_of=t)
        assert ((1, 0), (1, 0)) == (whole.cohort[:2], whole.activity[:2])
        assert ["E"] == [group for group, _ in split.groups]

    def test_funnels_of_different_instants_do_not_add(self) -> None:
        """Funnels counted as of different instants cannot be added."""
        a = funnel_counts([], Q1, lifecycle=W, as_of=Q1.end)
        b = funnel_counts([], Q1, lifecycle=W)
        with pytest.raises(ValidationError, match="as of different instants"):
            _ = a + b


class TestFunnelLeads:
    def test_the_leads_behind_each_count(self) -> None:
        """The ids behind the hand fixture's counts: cohort once each, activity once per entry."""
        got = {
            stage: funnel_leads(ORG.leads, Q1, stage, lifecycle=ORG.lifecycle)
            for stage in ("opportunity", "won", "lost")
        }
        assert {"opportunity": ("A", "B", "C", "H"), "won": ("A", "C"), "lost": ("B",)} == got
        assert ("A", "C", "E") == funnel_leads(
            ORG.leads, Q1, "won", lifecycle=ORG.lifecycle, view="activity"
        )

    @settings(max_examples=40, deadline=None)
    @given(lead_lists())
    def test_as_many_ids_as_the_count(self, leads: list[Lead]) -> None:
        """Every count has as many ids behind it, in both views."""
        f = funnel_counts(leads, Q1, lifecycle=W)
        for view in ("cohort", "activity"):
            assert dict(f.counts(view)) == {  # type: ignore[arg-type]
                s: len(funnel_leads(leads, Q1, s, lifecycle=W, view=view))  # type: ignore[arg-type]
                for s in f.stages
            }

    def test_unknown_stage_is_refused(self) -> None:
        """A stage the lifecycle lacks is refused, listing the stages."""
        with pytest.raises(ValidationError, match="is not a stage of lifecycle 'demand_waterfall'"):
            funnel_leads([], Q1, "banana", lifecycle=W)


def _lead_id(lead: Lead) -> str:
    return lead.id


class TestAnOrganisationsLeads:
    """An organisation refused repeated ids when it was built: its leads are not checked again."""

    def test_org_leads_count_as_a_plain_tuple_of_them(self) -> None:
        """funnel_counts of org.leads equals funnel_counts of the same leads as a plain tuple or list."""
        from salesmark import synthetic

        org = synthetic.organisation(seed=4, leads=200)
        q = Period.quarter(2026, 2)
        ours = funnel_counts(org.leads, q, lifecycle=org.lifecycle)
        assert ours == funnel_counts(tuple(org.leads), q, lifecycle=org.lifecycle)
        assert ours == funnel_counts(list(org.leads), q, lifecycle=org.lifecycle)

    def test_the_marker_survives_pickling_copying_and_evolving(self) -> None:
        """A pickled, copied or evolved organisation still holds checked leads, equal to a tuple."""
        import copy
        import pickle

        import attrs

        from salesmark import synthetic
        from salesmark._distinct import KnownDistinct

        org = synthetic.organisation(seed=4, leads=20)
        again = [
            pickle.loads(pickle.dumps(org)),
            copy.deepcopy(org),
            attrs.evolve(org, leads=tuple(reversed(org.leads))),
        ]
        assert [True, True, True] == [type(o.leads) is KnownDistinct for o in again]
        assert tuple(org.leads) == again[0].leads

    def test_a_repeat_outside_an_organisation_is_still_refused(self) -> None:
        """The same leads given twice in a plain tuple are refused naming the repeat."""
        from salesmark import synthetic

        org = synthetic.organisation(seed=4, leads=5)
        with pytest.raises(ValidationError, match=r"funnel_counts leads\[5\] repeats id"):
            funnel_counts((*org.leads, org.leads[0]), Period.quarter(2026, 2), lifecycle=W)
