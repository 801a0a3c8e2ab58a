"""Personas drawn from evidence: clusters of won deals, each told apart from lost deals."""

from __future__ import annotations

import copy
import pickle
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL as W
from salesmark import HUBSPOT, Lead, Lifecycle, ValidationError, WrongType
from salesmark.intervals import wilson
from salesmark.scoring import PersonaSuggestions, suggest_personas
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
