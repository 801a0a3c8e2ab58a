"""Personas drawn from evidence: clusters of won deals, each told apart from lost deals."""

from __future__ import annotations

import copy
import pickle
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL as W
from salesmark import (
    HUBSPOT,
    Criterion,
    Lead,
    Lifecycle,
    StageDefinition,
    Transition,
    ValidationError,
    WrongType,
)
from salesmark.intervals import wilson
from salesmark.scoring import PersonaSuggestions, suggest_personas
from salesmark.scoring._kmodes import (
    MISSING,
    Coder,
    Profile,
    _bin,
    _distance,
    _edges,
    _kmodes,
    _mode,
    _silhouette,
    choose,
    key,
)
from salesmark.scoring._outcomes import closed
from salesmark.scoring.persona_suggestions import AttributeLift, PersonaSuggestion, _common
from salesmark.serialization import structure, unstructure

T = datetime(2026, 2, 1, tzinfo=timezone.utc)
ATTRIBUTES = ["industry", "employees", "region"]


def deal(i: int, *, won: bool, lifecycle: Lifecycle = W, **attributes: object) -> Lead:
    """A deal that reached the opportunity and then won or was lost."""
    path = lifecycle.progression
    lead = Lead.create(
        id=f"D{i:03d}", created_at=T, stage=path[-2], attributes=attributes, lifecycle=lifecycle
    )  # type: ignore[arg-type]
    if won:
        return lead.advance(path[-1], at=T + timedelta(days=1), lifecycle=lifecycle)
    off = next(s for s in lifecycle.targets(path[-2]) if s not in path)
    return lead.advance(off, at=T + timedelta(days=1), reason="price", lifecycle=lifecycle)


def planted(lifecycle: Lifecycle = W) -> list[Lead]:
    """Two planted clusters of won deals and a planted losing segment.

    * 30 won logistics deals of 200-400 employees in EMEA (cluster A);
    * 20 won fintech deals of 2,000-4,000 employees in North America (cluster B);
    * 40 lost education deals of 10-40 employees, across regions (the losing segment),
      with 3 won education deals among them (too few to be a persona);
    * 10 lost deals spread over logistics and fintech, so lift has something to beat.
    """
    deals: list[Lead] = []
    n = 0

    def add(count: int, *, won: bool, industry: str, sizes: range, regions: list[str]) -> None:
        nonlocal n
        for i in range(count):
            deals.append(
                deal(
                    n,
                    won=won,
                    lifecycle=lifecycle,
                    industry=industry,
                    employees=sizes[i % len(sizes)],
                    region=regions[i % len(regions)],
                )
            )
            n += 1

    add(30, won=True, industry="logistics", sizes=range(200, 401, 7), regions=["emea"])
    add(20, won=True, industry="fintech", sizes=range(2000, 4001, 101), regions=["na"])
    add(40, won=False, industry="education", sizes=range(10, 41), regions=["emea", "na", "apac"])
    add(3, won=True, industry="education", sizes=range(10, 41, 10), regions=["apac"])
    add(5, won=False, industry="logistics", sizes=range(50, 4000, 700), regions=["na", "apac"])
    add(5, won=False, industry="fintech", sizes=range(50, 4000, 700), regions=["emea", "apac"])
    return deals


def _segments(found: PersonaSuggestions) -> list[dict[str, object]]:
    return [
        {c.attribute: (c.allowed or (c.minimum, c.maximum)) for c in s.criteria}
        for s in found.suggested
    ]


class TestPlantedClusters:
    def test_both_clusters_found_and_the_losing_segment_not_suggested(self) -> None:
        """Both planted clusters are suggested, each by its distinguishing values; education is not."""
        found = suggest_personas(planted(), ATTRIBUTES, lifecycle=W)
        assert (53, 50) == (found.won, found.lost)
        segments = _segments(found)
        assert 2 == len(segments)
        logistics, fintech = segments
        assert (("logistics",), ("emea",)) == (logistics["industry"], logistics["region"])
        assert (("fintech",), ("na",)) == (fintech["industry"], fintech["region"])
        # each size range is the central 80% of the cluster's sizes (nearest rank):
        # logistics holds 33 deals (the 3 won education deals join it, too few for a
        # persona): sizes 10, 20, 30, 200, 200, 207, ..., 396; cut = int(33 * 0.1) = 3,
        # so ordered[3] = 200 and ordered[29] = 207 + 7 * 24 = 375;
        # fintech holds 20 deals of 2000, 2101, ..., 3919; cut = int(20 * 0.1) = 2, so
        # ordered[2] = 2202 and ordered[17] = 2000 + 101 * 17 = 3717
        assert ((200, 375), (2202, 3717)) == (logistics["employees"], fintech["employees"])
        assert all("education" not in str(s) for s in segments)

    def test_each_suggestion_lists_its_evidence(self) -> None:
        """A suggestion names its won deals and every common value's lift with its interval."""
        found = suggest_personas(planted(), ATTRIBUTES, lifecycle=W)
        logistics = found.suggested[0]
        assert 30 <= len(logistics.lead_ids) <= 33
        lift = next(
            x for x in logistics.lifts if x.attribute == "industry" and x.value == "logistics"
        )
        # 30 won logistics deals in the cluster against 5 lost logistics deals among 50 lost;
        # the base rate is the cluster's share of cluster + lost deals
        size = len(logistics.lead_ids)
        base = Decimal(size) / (size + 50)
        low, high = wilson(30, 35)
        assert {
            "in_persona": 30,
            "in_lost": 5,
            "lift": (Decimal(30) / 35 / base).quantize(Decimal("0.0001")),
            "low": (low / base).quantize(Decimal("0.0001")),
            "distinguishing": True,
        } == {
            "in_persona": lift.in_persona,
            "in_lost": lift.in_lost,
            "lift": lift.lift,
            "low": lift.low,
            "distinguishing": lift.distinguishing,
        }
        assert high > low

    def test_hubspot_lifecycle(self) -> None:
        """The same deals in HubSpot's lifecycle (customer won, other lost) give the same personas."""
        ours = _segments(suggest_personas(planted(), ATTRIBUTES, lifecycle=W))
        theirs = _segments(suggest_personas(planted(HUBSPOT), ATTRIBUTES, lifecycle=HUBSPOT))
        assert ours == theirs

    def test_the_order_of_leads_does_not_matter(self) -> None:
        """Shuffled leads give identical suggestions."""
        deals = planted()
        shuffled = deals[:]
        random.Random(7).shuffle(shuffled)
        assert suggest_personas(deals, ATTRIBUTES, lifecycle=W) == suggest_personas(
            shuffled, ATTRIBUTES, lifecycle=W
        )

    def test_no_structure_gives_one_cluster(self) -> None:
        """Won deals that all look alike are one cluster, with no silhouette."""
        deals = [deal(i, won=True, industry="retail") for i in range(10)]
        deals += [deal(20 + i, won=False, industry="banking") for i in range(10)]
        found = suggest_personas(deals, ["industry"], lifecycle=W)
        assert (1, None, [{"industry": ("retail",)}]) == (
            len(found.clusters),
            found.silhouette,
            _segments(found),
        )

    def test_a_cluster_like_the_lost_deals_is_not_suggested(self) -> None:
        """Won deals no different from lost ones make a cluster with no criteria."""
        deals = [deal(i, won=i % 2 == 0, industry="retail") for i in range(20)]
        found = suggest_personas(deals, ["industry"], lifecycle=W)
        assert ((), False) == (found.suggested, found.clusters[0].suggested)
        with pytest.raises(ValidationError, match="nothing distinguishes it from lost deals"):
            found.clusters[0].to_persona("p", "P")

    def test_draft_personas_need_approval(self) -> None:
        """A suggestion becomes a draft persona, not yet validated."""
        suggestion = suggest_personas(planted(), ATTRIBUTES, lifecycle=W).suggested[0]
        persona = suggestion.to_persona("p-logistics", "Logistics operations")
        assert (False, ["industry", "employees", "region"]) == (
            persona.is_validated,
            [c.attribute for c in persona.segment],
        )

    def test_results_cross_processes_and_round_trip(self) -> None:
        """The suggestions pickle, copy and round-trip through the converter."""
        found = suggest_personas(planted(), ATTRIBUTES, lifecycle=W)
        assert found == pickle.loads(pickle.dumps(found, protocol=5)) == copy.deepcopy(found)
        assert found == structure(unstructure(found), PersonaSuggestions)
        assert {"cluster", "suggested", "attribute", "lift", "low", "high"} <= set(
            found.to_records()[0]
        )


class TestBadInput:
    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"attributes": "industry"}, ValidationError, "got the string 'industry'"),
            ({"attributes": []}, ValidationError, "at least one"),
            ({"attributes": ["a", "a"]}, ValidationError, "distinct attributes"),
            ({"max_personas": 0}, ValidationError, "max_personas"),
            ({"max_personas": 13}, ValidationError, "at most 12"),
            ({"bins": 1}, ValidationError, "bins"),
            ({"min_share": 1.0}, ValidationError, "min_share"),
            ({"share": 0}, ValidationError, "share"),
            ({"lifecycle": "waterfall"}, WrongType, "lifecycle"),
        ],
    )
    def test_parameters_are_checked(
        self, kwargs: dict[str, object], error: type[Exception], match: str
    ) -> None:
        """Each parameter out of range is refused, naming it."""
        call: dict[str, object] = {"attributes": ["industry"], "lifecycle": W, **kwargs}
        with pytest.raises(error, match=match):
            suggest_personas(planted(), **call)  # type: ignore[arg-type]

    def test_needs_won_and_lost_deals(self) -> None:
        """Without lost deals there is nothing to contrast with."""
        with pytest.raises(
            ValidationError, match="needs won and lost deals to contrast, got 2 won and 0 lost"
        ):
            suggest_personas([deal(1, won=True), deal(2, won=True)], ["industry"], lifecycle=W)

    def test_duplicated_leads_are_refused(self) -> None:
        """The same lead twice is refused, not counted twice."""
        one = deal(1, won=True, industry="retail")
        with pytest.raises(ValidationError, match="lead id 'D001' twice"):
            suggest_personas([one, one, deal(2, won=False)], ["industry"], lifecycle=W)

    @settings(max_examples=40, deadline=None)
    @given(
        st.lists(
            st.tuples(st.booleans(), st.sampled_from(["a", "b", "c"]), st.integers(0, 50)),
            min_size=2,
            max_size=40,
        )
    )
    def test_any_deals_give_a_sound_answer(self, rows: list[tuple[bool, str, int]]) -> None:
        """Any mix of won and lost deals gives clusters covering every won deal once, or a clear error."""
        deals = [deal(i, won=w, industry=x, employees=n) for i, (w, x, n) in enumerate(rows)]
        if len({w for w, _, _ in rows}) < 2:  # all won or all lost: nothing to contrast
            with pytest.raises(ValidationError, match="needs won and lost deals"):
                suggest_personas(deals, ["industry", "employees"], lifecycle=W)
            return
        found = suggest_personas(deals, ["industry", "employees"], lifecycle=W)
        ids = [i for c in found.clusters for i in c.lead_ids]
        assert sorted(ids) == sorted(d.id for d in deals if d.stage == "won")
        assert all(x.lift is None or x.lift >= 0 for c in found.clusters for x in c.lifts)


class TestClosedDeals:
    """``closed``: whether a deal was won or lost by a moment (private, shared with content performance)."""

    def test_a_win_counts_from_the_moment_it_happened(self) -> None:
        """A deal won a day after opening is won as of that moment and later, open before it."""
        won = deal(1, won=True)
        day = T + timedelta(days=1)
        assert {"ever": (True, day), "at the win": (True, day), "before": None} == {
            "ever": closed(won, W),
            "at the win": closed(won, W, day),
            "before": closed(won, W, day - timedelta(seconds=1)),
        }

    def test_a_loss_counts_from_the_moment_it_happened(self) -> None:
        """A deal lost a day after opening is lost as of that moment and later, open before it."""
        lost = deal(1, won=False)
        day = T + timedelta(days=1)
        assert {"ever": (False, day), "at the loss": (False, day), "before": None} == {
            "ever": closed(lost, W),
            "at the loss": closed(lost, W, day),
            "before": closed(lost, W, day - timedelta(seconds=1)),
        }

    def test_a_loss_at_the_moment_of_opening_counts(self) -> None:
        """An opportunity lost the moment it opened is lost (the move is not before the opening)."""
        lead = Lead.create(id="D1", created_at=T, stage="opportunity")
        assert (False, T) == closed(lead.advance("lost", at=T, reason="price"), W)

    def test_an_open_opportunity_is_not_closed(self) -> None:
        """Reaching the opportunity is no loss: an open deal is not closed."""
        assert None is closed(Lead.create(id="D1", created_at=T, stage="opportunity"), W)

    def test_a_move_off_the_progression_before_the_opportunity_is_no_loss(self) -> None:
        """A lead recycled before it became an opportunity, then reopened, is still open."""
        lead = Lead.create(id="D1", created_at=T, stage="mql").advance(
            "recycled", at=T + timedelta(hours=1), reason="timing"
        )
        for hours, stage in enumerate(["mql", "sal", "sql", "opportunity"], start=2):
            lead = lead.advance(stage, at=T + timedelta(hours=hours))
        assert None is closed(lead, W)

    def test_a_two_stage_progression_closes_deals(self) -> None:
        """With a progression of just opportunity and won, a win is a win and a move off it a loss."""
        pipeline = Lifecycle(
            name="pipeline",
            stages=[
                StageDefinition(name="open"),
                StageDefinition(name="won", terminal=True),
                StageDefinition(name="lost", terminal=True),
            ],
            initial="open",
            progression=("open", "won"),
            transitions=[
                Transition(source="open", target="won"),
                Transition(source="open", target="lost"),
            ],
        )
        start = Lead.create(id="D1", created_at=T, lifecycle=pipeline)
        day = T + timedelta(days=1)
        assert [(True, day), (False, day)] == [
            closed(start.advance("won", at=day, lifecycle=pipeline), pipeline),
            closed(start.advance("lost", at=day, lifecycle=pipeline), pipeline),
        ]


class TestProfiles:
    """The private k-modes helpers: bins, profiles, distances and modes, checked by hand."""

    def test_bin_edges_are_the_nearest_rank_quantiles(self) -> None:
        """Nine values in three bins: ranks 9 * 1 // 3 = 3 and 9 * 2 // 3 = 6, so edges 4 and 7."""
        assert (4.0, 7.0) == _edges([float(x) for x in range(9, 0, -1)], 3)

    def test_the_top_edge_may_be_the_largest_value(self) -> None:
        """Two values in two bins: rank 2 * 1 // 2 = 1, the largest value, is the edge."""
        assert (5.0,) == _edges([5.0, 1.0], 2)

    def test_repeated_quantiles_give_one_edge(self) -> None:
        """Ranks 1 and 2 of (1, 3, 3) both read 3: a single edge."""
        assert (3.0,) == _edges([3.0, 1.0, 3.0], 3)

    @pytest.mark.parametrize(("value", "expected"), [(3.9, 0), (4.0, 1), (6.5, 1), (7.0, 2)])
    def test_a_value_on_an_edge_is_in_the_bin_above(self, value: float, expected: int) -> None:
        """Bins count the edges at or below the value: 4 opens bin 1 and 7 opens bin 2."""
        assert expected == _bin(value, (4.0, 7.0))

    def test_a_profile_bins_numbers_and_keeps_text_and_absence(self) -> None:
        """Employees 5, 50 and 500 make edges 50 and 500; a deal's profile reads its bin, its text, or MISSING."""
        deals = [
            deal(1, won=True, industry="retail", employees=5),
            deal(2, won=True, industry="retail", employees=50),
            deal(3, won=False, industry="banking", employees=500),
        ]
        coder = Coder(("industry", "employees"), deals, 3)
        # three values, three bins: ranks 3 * 1 // 3 = 1 and 3 * 2 // 3 = 2 read 50 and 500
        assert {"employees": (50.0, 500.0)} == coder.edges
        profile = coder.profile(deal(4, won=True, industry="retail", employees=60))
        absent = coder.profile(deal(5, won=True, industry="retail"))
        assert ("retail", 1) == profile
        assert ("retail", MISSING) == absent
        assert absent[1] is MISSING

    def test_missing_reads_as_such(self) -> None:
        """The absent value shows as ``(missing)``."""
        assert "(missing)" == repr(MISSING)

    def test_a_key_names_each_value_with_its_type(self) -> None:
        """The sort key of a profile writes each value's type and repr, so 1, 1.0 and '1' differ."""
        assert ("int:1", "float:1.0", "str:'1'", "bool:True") == key((1, 1.0, "1", True))

    def test_distance_counts_positions_that_differ_in_value_or_type(self) -> None:
        """(1, 'a', 'x') and (1.0, 'b', 'x'): the number differs in type, the text in value: 2."""
        assert 2 == _distance((1, "a", "x"), (1.0, "b", "x"))

    def test_profiles_of_different_widths_are_refused(self) -> None:
        """Profiles come from one coder; a width mismatch is a bug, not a distance."""
        with pytest.raises(ValueError, match="zip"):
            _distance(("a",), ("a", "b"))

    def test_the_mode_weighs_each_profile_by_its_deals(self) -> None:
        """'b' is in profiles of 2 + 2 deals, 'a' in one of 3: the mode's first value is 'b'."""
        weights: dict[Profile, int] = {("a", "x"): 3, ("b", "x"): 2, ("b", "y"): 2}
        # second position: 'x' in 3 + 2 = 5 deals, 'y' in 2
        assert ("b", "x") == _mode(list(weights), weights)

    def test_a_tied_mode_takes_the_value_of_the_smaller_key(self) -> None:
        """1 and 'a' are each in one deal: the tie goes to 'int:1' before "str:'a'"."""
        weights: dict[Profile, int] = {("a",): 1, (1,): 1}
        assert (1,) == _mode(list(weights), weights)


class TestClusters:
    """The private k-modes clustering and its silhouette, on profiles small enough to follow by hand."""

    def test_the_second_centre_is_the_farthest_profile(self) -> None:
        """Centre one is the commonest ('a', 'a'); ('b', 'b') is two values away, ('z', 'a') one."""
        weights: dict[Profile, int] = {("a", "a"): 3, ("b", "b"): 1, ("z", "a"): 1}
        # ('z', 'a') is one away from ('a', 'a') and two from ('b', 'b'): it joins the first
        assert [[("a", "a"), ("z", "a")], [("b", "b")]] == _kmodes(weights, 2)

    def test_a_profile_one_value_away_is_a_centre(self) -> None:
        """Two profiles one value apart are two clusters when two are asked for."""
        assert [[("a",)], [("b",)]] == _kmodes({("a",): 2, ("b",): 1}, 2)

    def test_identical_centres_are_not_doubled(self) -> None:
        """One distinct profile makes one cluster however many are asked for."""
        assert [[("a",)]] == _kmodes({("a",): 4}, 3)

    def test_centres_move_to_their_clusters_modes(self) -> None:
        """Centres ('a','a','y') and ('b','b','x') move: the second cluster's mode is ('a','b','x')."""
        weights: dict[Profile, int] = {("a", "a", "y"): 1, ("b", "b", "x"): 1, ("a", "b", "x"): 1}
        # round 1: ('a','b','x') is 2 from ('a','a','y') and 1 from ('b','b','x'); the mode of
        # {('a','b','x'), ('b','b','x')} is ('a','b','x') ('a' and 'b' tie, 'a' sorts first);
        # round 2 puts every profile where it was, and the centres stay
        assert [[("a", "a", "y")], [("a", "b", "x"), ("b", "b", "x")]] == _kmodes(weights, 2)

    def test_deals_move_until_the_centres_settle(self) -> None:
        """A second round moves abb from the aab cluster to bba's, once that centre has become aaa."""
        weights: dict[Profile, int] = {
            ("a", "a", "a"): 2,
            ("a", "a", "b"): 1,
            ("a", "b", "b"): 1,
            ("b", "b", "a"): 3,
        }
        # centres bba (3 deals) and aab (3 values away); round 1: aaa, aab and abb join aab,
        # whose cluster's mode is aaa (a 4:0, a 3:1, then a 2:2 tie to 'a'); round 2: abb is
        # 2 from bba and 2 from aaa and joins the earlier centre, bba; the modes stay bba and aaa
        assert [
            [("b", "b", "a"), ("a", "b", "b")],
            [("a", "a", "a"), ("a", "a", "b")],
        ] == _kmodes(weights, 2)

    def test_the_silhouette_of_a_clear_split(self) -> None:
        """Clusters {ax, ay} (one deal each) and {bz} (three deals): mean silhouette 4/5."""
        groups: list[list[Profile]] = [[("a", "x"), ("a", "y")], [("b", "z")]]
        weights: dict[Profile, int] = {("a", "x"): 1, ("a", "y"): 1, ("b", "z"): 3}
        # ax: a = 1 (ay is one away) / (2 - 1) = 1, b = 3 deals * 2 away / 3 = 2: (2 - 1) / 2 = 1/2;
        # ay likewise 1/2; bz (3 deals): a = 0, b = (2 + 2) / 2 = 2: (2 - 0) / 2 = 1 each;
        # (1/2 + 1/2 + 3 * 1) / 5 deals = 4/5
        assert Fraction(4, 5) == _silhouette(groups, weights)

    def test_a_deal_alone_in_its_cluster_scores_zero(self) -> None:
        """A lone deal counts 0 and the other deals still count: (0 + 2 + 3) / 6 = 5/6."""
        groups: list[list[Profile]] = [[("z",)], [("x",)], [("y",)]]
        weights: dict[Profile, int] = {("z",): 1, ("x",): 2, ("y",): 3}
        # x: a = 0, b = min(1 deal * 1 / 1, 3 * 1 / 3) = 1, so 1 for each of its 2 deals;
        # y: a = 0, b = min(1 / 1, 2 / 2) = 1, so 1 for each of its 3 deals
        assert Fraction(5, 6) == _silhouette(groups, weights)

    def test_no_k_tried_is_one_cluster_in_key_order(self) -> None:
        """With at most one persona, every profile is one cluster, sorted by key ('int:10' before 'int:2')."""
        assert ([[(10,), (2,)]], None) == choose({(2,): 1, (10,): 1}, 2, 1, Fraction(0))

    def test_the_largest_k_allowed_is_tried(self) -> None:
        """Two distinct profiles and max_k 2: two clusters, each deal at silhouette 1."""
        assert ([[("a",)], [("b",)]], Fraction(1)) == choose(
            {("a",): 2, ("b",): 2}, 4, 2, Fraction(0)
        )

    def test_no_k_beyond_the_largest_allowed_is_tried(self) -> None:
        """Three profiles would split perfectly in three, but max_k 2 keeps two clusters."""
        weights: dict[Profile, int] = {("a",): 2, ("b",): 2, ("c",): 2}
        # k = 2: centres a and b (the first of the farthest); c ties and joins the earlier, a;
        # b scores 1 (2 deals), a and c each (1 - 2/3) / 1 = 1/3 (a = (2 * 0 + 2 * 1) / 3,
        # b = 2 / 2): (2 + 4/3) / 6 = 5/9
        groups, score = choose(weights, 6, 2, Fraction(0))
        assert ([[("a",), ("c",)], [("b",)]], Fraction(5, 9)) == (groups, score)

    def test_a_cluster_of_exactly_the_minimum_share_is_allowed(self) -> None:
        """One won deal of four is exactly min_share 1/4: the split stands (silhouette 3/4)."""
        # the lone deal scores 0; the three others a = 0, b = 1: (0 + 3) / 4
        assert ([[("b",)], [("a",)]], Fraction(3, 4)) == choose(
            {("a",): 1, ("b",): 3}, 4, 2, Fraction(1, 4)
        )


RETAIL_LIFT = {
    "attribute": "industry",
    "value": "retail",
    "in_persona": 9,
    "in_lost": 1,
    "lift": Decimal("1.8"),
    "low": Decimal("1.2"),
    "high": Decimal("1.9"),
    "distinguishing": True,
}


class TestSuggestionResults:
    """The result types read from data: their checks, reprs and rows."""

    @pytest.mark.parametrize(
        ("changes", "path", "message"),
        [
            (
                {"low": Decimal(2), "high": Decimal(1)},
                "/low",
                "AttributeLift.low must be at most AttributeLift.high (Decimal('1')), got Decimal('2')",
            ),
            (
                {"value": None, "minimum": 5, "maximum": 1},
                "/minimum",
                "AttributeLift.minimum must be at most AttributeLift.maximum (1), got 5",
            ),
        ],
    )
    def test_a_lift_keeps_its_ends_in_order(
        self, changes: dict[str, object], path: str, message: str
    ) -> None:
        """An interval or a range whose low end is above its high end is refused, naming both."""
        with pytest.raises(ValidationError) as caught:
            AttributeLift(**{**RETAIL_LIFT, **changes})  # type: ignore[arg-type]
        assert (path, message) == (caught.value.path, str(caught.value))

    def test_suggestions_hold_no_more_deals_than_were_won(self) -> None:
        """Clusters of more deals than were won are refused, with the count and the bound."""
        two = PersonaSuggestion(lead_ids=("W1", "W2"), share=Decimal("0.5"), criteria=(), lifts=())
        with pytest.raises(ValidationError) as caught:
            PersonaSuggestions(won=1, lost=1, attributes=("x",), silhouette=None, clusters=(two,))
        assert {
            "path": "/clusters",
            "message": "PersonaSuggestions.clusters must hold at most the 1 won deals, got 2",
            "value": "2",
            "expected": "<= 1",
        } == caught.value.errors[0].to_dict()

    def test_lifts_show_their_interval_or_a_dash(self) -> None:
        """A distinguishing value shows its lift and interval; a range without deals a dash."""
        empty = AttributeLift(
            attribute="employees",
            value=None,
            minimum=50,
            maximum=400,
            in_persona=0,
            in_lost=0,
            lift=None,
            low=None,
            high=None,
            distinguishing=False,
        )
        absent = AttributeLift(
            **{**RETAIL_LIFT, "value": None, "missing": True, "distinguishing": False}
        )  # type: ignore[arg-type]
        assert [
            "AttributeLift(industry='retail': 9 in persona, 1 lost, lift 1.8 [1.2, 1.9], distinguishing)",
            "AttributeLift(employees=50..400: 0 in persona, 0 lost, lift -)",
            "AttributeLift(industry=(missing): 9 in persona, 1 lost, lift 1.8 [1.2, 1.9])",
        ] == [repr(AttributeLift(**RETAIL_LIFT)), repr(empty), repr(absent)]  # type: ignore[arg-type]

    def test_a_suggestion_shows_its_criteria_or_that_nothing_distinguishes_it(self) -> None:
        """The repr counts the deals and their share, then names the criteria or says there are none."""
        criteria = (Criterion(attribute="industry", allowed=("retail",)),)
        assert [
            "PersonaSuggestion(2 won deals (50.00%), criteria on ['industry'])",
            "PersonaSuggestion(2 won deals (50.00%), nothing distinguishes it from lost deals)",
        ] == [
            repr(
                PersonaSuggestion(lead_ids=("W1", "W2"), share=Decimal("0.5"), criteria=c, lifts=())
            )
            for c in (criteria, ())
        ]

    def test_rows_have_every_column(self) -> None:
        """One row per lift, with the cluster's number and verdict, lifts as floats unless exact."""
        lift = AttributeLift(**RETAIL_LIFT)  # type: ignore[arg-type]
        cluster = PersonaSuggestion(
            lead_ids=("W1", "W2"), share=Decimal("0.5"), criteria=(), lifts=(lift,)
        )
        found = PersonaSuggestions(
            won=2, lost=1, attributes=("industry",), silhouette=None, clusters=(cluster,)
        )
        row = {
            "won_deals": 2,
            "attribute": "industry",
            "value": "'retail'",
            "in_persona": 9,
            "in_lost": 1,
            "lift": 1.8,
            "low": 1.2,
            "high": 1.9,
            "distinguishing": True,
        }
        assert [{"cluster": 0, "suggested": False, **row}] == found.to_records()
        assert 1.8 == cluster.to_records()[0]["lift"]
        exact = found.to_records(exact=True)[0]
        assert (Decimal("1.8"), Decimal("1.2"), Decimal("1.9")) == (
            exact["lift"],
            exact["low"],
            exact["high"],
        )


def _gappy() -> list[Lead]:
    """Six won deals (four retail of 100-400 employees, two with neither) and five lost ones
    (three banking of 1,000 employees, two with neither)."""
    won = [deal(i, won=True, industry="retail", employees=100 * (i + 1)) for i in range(4)]
    won += [deal(4 + i, won=True) for i in range(2)]
    lost = [deal(10 + i, won=False, industry="banking", employees=1000) for i in range(3)]
    return won + lost + [deal(13 + i, won=False) for i in range(2)]


class TestLiftsByHand:
    def test_missing_values_get_their_own_lift_for_text_and_numbers(self) -> None:
        """Per attribute, the common value (or central range) and 'missing' each get a lift."""
        cluster = suggest_personas(
            _gappy(), ["industry", "employees"], lifecycle=W, max_personas=1
        ).clusters[0]
        # industry: retail in 4 of 6 members, missing in 2: 4 < 0.8 * 6 = 4.8, so both are common;
        # employees: the central 80% of 100..400 is cut int(4 * 0.2 / 2) = 0 from each end
        assert [
            ("industry", "retail", False, None, None, 4, 0),
            ("industry", None, True, None, None, 2, 2),
            ("employees", None, False, 100.0, 400.0, 4, 0),
            ("employees", None, True, None, None, 2, 2),
        ] == [
            (x.attribute, x.value, x.missing, x.minimum, x.maximum, x.in_persona, x.in_lost)
            for x in cluster.lifts
        ]

    def test_lift_and_interval_by_hand(self) -> None:
        """Base rate 6 / 11; 4 of 4 deals with retail are the cluster's: lift 11/6, interval from Wilson."""
        cluster = suggest_personas(
            _gappy(), ["industry", "employees"], lifecycle=W, max_personas=1
        ).clusters[0]
        base = Decimal(6) / 11
        low, high = wilson(4, 4)
        places = Decimal("0.0001")
        retail, _, employees, _ = cluster.lifts
        expected = (
            (1 / base).quantize(places),
            (low / base).quantize(places),
            (high / base).quantize(places),
        )
        assert (Decimal("1.8333"), expected, expected) == (
            retail.lift,
            (retail.lift, retail.low, retail.high),
            (employees.lift, employees.low, employees.high),
        )

    def test_a_range_counts_the_deals_on_its_ends(self) -> None:
        """The central range of 100, 200, 300, 400 is 100..400 and holds all four, ends included."""
        cluster = suggest_personas(_gappy(), ["employees"], lifecycle=W, max_personas=1).clusters[0]
        assert (100.0, 400.0, 4) == (
            cluster.lifts[0].minimum,
            cluster.lifts[0].maximum,
            cluster.lifts[0].in_persona,
        )

    def test_a_cluster_without_the_number_is_described_by_its_absence(self) -> None:
        """When no member has the numeric attribute, only 'missing' is weighed (no range to cut)."""
        won = [deal(i, won=True, industry="retail") for i in range(3)]
        lost = [deal(10 + i, won=False, industry="banking", employees=5) for i in range(3)]
        cluster = suggest_personas(won + lost, ["employees"], lifecycle=W, max_personas=1).clusters[
            0
        ]
        assert [(True, 3, 0)] == [(x.missing, x.in_persona, x.in_lost) for x in cluster.lifts]

    def test_a_value_of_a_single_deal_has_a_lift(self) -> None:
        """One won deal alone with its industry: 1 of 1 is the cluster's, lift 1 / (4 / 8) = 2."""
        won = [deal(i, won=True, industry="retail") for i in range(3)] + [
            deal(3, won=True, industry="solo")
        ]
        lost = [deal(10 + i, won=False, industry="banking") for i in range(4)]
        cluster = suggest_personas(won + lost, ["industry"], lifecycle=W, max_personas=1).clusters[
            0
        ]
        # retail covers 3 < 0.8 * 4 = 3.2 of the members, so solo is common too
        assert [("retail", 3, Decimal("2.0000")), ("solo", 1, Decimal("2.0000"))] == [
            (x.value, x.in_persona, x.lift) for x in cluster.lifts
        ]


class TestCommonValues:
    @pytest.mark.parametrize(
        ("values", "share", "expected"),
        [
            (["a", "a", "b", "c"], Fraction(3, 4), ["a", "b"]),  # 2, then 2 + 1 = 3 >= 3
            (["a", "b", "b", "c"], Fraction(1, 2), ["b"]),  # 2 >= 2: stop at the bound itself
            (["a", "b"], Fraction(1), ["a", "b"]),  # 1 < 2, then 2 >= 2
            ([1, "a"], Fraction(1, 2), [1]),  # a tie: 'int:1' sorts before "str:'a'"
            (["b", "c", "c"], Fraction(1, 3), ["c"]),  # the most common first
        ],
    )
    def test_the_commonest_values_covering_the_share(
        self, values: list[object], share: Fraction, expected: list[object]
    ) -> None:
        """Values by count (ties by their text) until they cover ``share`` of all."""
        assert expected == _common(values, share)


class TestParameterEdges:
    @pytest.mark.parametrize(
        "kwargs",
        [
            {"max_personas": 1},
            {"max_personas": 12},
            {"bins": 2},
            {"bins": 10},
            {"min_share": 0},
            {"share": 1},
        ],
    )
    def test_each_end_of_each_range_is_allowed(self, kwargs: dict[str, object]) -> None:
        """max_personas 1 and 12, bins 2 and 10, min_share 0 and share 1 are all accepted."""
        assert 53 == suggest_personas(planted(), ATTRIBUTES, lifecycle=W, **kwargs).won  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("kwargs", "error", "start"),
        [
            (
                {"bins": 11},
                ValidationError,
                "suggest_personas max_personas must be at most 12 and bins at most 10",
            ),
            ({"share": 1.5}, ValidationError, "suggest_personas share must be a share in (0, 1]"),
            ({"max_personas": 0}, ValidationError, "suggest_personas max_personas must be"),
            ({"bins": 1}, ValidationError, "suggest_personas bins must be"),
            ({"lifecycle": "w"}, WrongType, "suggest_personas lifecycle must be a Lifecycle"),
            (
                {"attributes": ["industry", ""]},
                ValidationError,
                "suggest_personas attributes[1] must be a non-empty attribute name",
            ),
            ({"leads": [5]}, WrongType, "suggest_personas leads[0] must be a Lead"),
        ],
    )
    def test_out_of_range_is_refused_by_name(
        self, kwargs: dict[str, object], error: type[Exception], start: str
    ) -> None:
        """Each refusal names suggest_personas and the argument."""
        call: dict[str, object] = {
            "leads": planted(),
            "attributes": ["industry"],
            "lifecycle": W,
            **kwargs,
        }
        with pytest.raises(error) as caught:
            suggest_personas(**call)  # type: ignore[arg-type]
        assert str(caught.value).startswith(start)

    def test_at_most_four_personas_by_default(self) -> None:
        """Five equal, distinct industries would split in five; by default four clusters are the most."""
        deals = [deal(i, won=True, industry=f"i{i % 5}") for i in range(20)]
        deals += [deal(30 + i, won=False, industry="other") for i in range(5)]
        found = suggest_personas(deals, ["industry"], lifecycle=W)
        # k = 4: three clusters of one industry (4 deals, silhouette 1 each) and one of two
        # (8 deals, a = 4 / 7, b = 1: 3/7 each): (12 + 8 * 3/7) / 20 = 27/35 = 0.7714
        assert (4, Decimal("0.7714")) == (len(found.clusters), found.silhouette)

    def test_numbers_are_cut_in_terciles_by_default(self) -> None:
        """Won and lost sizes 10..120 twice over: tercile edges 50 and 90 make three clusters of four."""
        deals = [deal(i, won=True, employees=10 * (i + 1)) for i in range(12)]
        deals += [deal(20 + i, won=False, employees=10 * (i + 1)) for i in range(12)]
        # 24 values, each twice: ranks 24 // 3 = 8 and 16 read 50 and 90 (quartiles would be four bins)
        assert [4, 4, 4] == [
            len(c.lead_ids) for c in suggest_personas(deals, ["employees"], lifecycle=W).clusters
        ]


class TestStructureThreshold:
    def test_a_silhouette_of_exactly_a_quarter_is_structure(self) -> None:
        """Clusters {c, b} and {a} from c twice, a and b once: silhouette exactly 1/4, which counts."""
        weights: dict[Profile, int] = {("c",): 2, ("a",): 1, ("b",): 1}
        # centres c (the commonest) and a (the first farthest); b ties and joins c.
        # each c deal: a = (3 - 2) / (3 - 1) = 1/2, b = 1, so 1/2; b: a = 2 / 2 = 1, so 0;
        # a is alone: 0. (2 * 1/2 + 0 + 0) / 4 deals = 1/4
        assert ([[("c",), ("b",)], [("a",)]], Fraction(1, 4)) == choose(weights, 4, 2, Fraction(0))
