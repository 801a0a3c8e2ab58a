"""Tests of salesmark._collector: the cyclic garbage collector paused around bulk passes,
and the state it found restored, whatever happens in the pass."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from salesmark import Organisation, Period, ValidationError, funnel_counts, synthetic
from salesmark._collector import paused
from salesmark.lifecycle import Lifecycle, StageDefinition, Transition
from salesmark.metrics import KpiFacts, evaluate_catalogue
from salesmark.metrics._passes import Cohort, StageEntries, Window, Wins

ORG = synthetic.organisation(seed=3, leads=2_500)
QUARTER = Period.quarter(2026, 2)


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    """Each test starts with the collector enabled and leaves it so."""
    gc.enable()
    yield
    gc.enable()


def young_collections() -> int:
    return int(gc.get_stats()[0]["collections"])


class TestPaused:
    def test_paused_in_the_block_and_enabled_after(self) -> None:
        with paused():
            assert not gc.isenabled()
        assert gc.isenabled()

    def test_a_collector_disabled_before_stays_disabled(self) -> None:
        gc.disable()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()

    def test_a_nested_pause_leaves_the_outer_one_paused(self) -> None:
        with paused():
            with paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()

    def test_an_error_in_the_block_restores_the_collector(self) -> None:
        with pytest.raises(ZeroDivisionError), paused():
            _ = 1 / 0
        assert gc.isenabled()

    def test_overlapping_pauses_in_two_threads_enable_once_the_last_ends(self) -> None:
        """A enters, B enters, A leaves (still paused for B), B leaves (enabled)."""
        entered, b_may_leave = threading.Event(), threading.Event()
        seen: dict[str, bool] = {}

        def b() -> None:
            with paused():
                entered.set()
                b_may_leave.wait(10)
            seen["after b"] = gc.isenabled()

        with paused():
            thread = threading.Thread(target=b)
            thread.start()
            assert entered.wait(10)
        seen["after a"] = gc.isenabled()
        b_may_leave.set()
        thread.join(10)
        assert seen == {"after a": False, "after b": True}


class TestBulkPasses:
    """With the young generation collected every 10 new objects (not 700), an unpaused
    pass runs the collector often; a paused one only once after it ends (what it made
    while paused is looked at once)."""

    @pytest.fixture(autouse=True)
    def _often(self) -> Iterator[None]:
        thresholds = gc.get_threshold()
        gc.set_threshold(10, 10, 10)
        yield
        gc.set_threshold(*thresholds)

    def test_the_walk_alone_runs_the_collector_often(self) -> None:
        """The control: unpaused, the facts' walk of 2,500 leads runs the young collection."""
        window = Window.of(ORG, QUARTER)
        before = young_collections()
        window.walk(ORG.leads, Cohort(n=len(window.stages)), StageEntries(), Wins())
        assert young_collections() - before > 20

    def test_facts_and_catalogue_run_with_the_collector_paused(self) -> None:
        """Collecting the facts (their funnel included), then every KPI: a collection after each at most."""
        counts = funnel_counts(ORG.leads, QUARTER, lifecycle=ORG.lifecycle)
        before = young_collections()
        facts = KpiFacts.collect(ORG, QUARTER)
        after_facts = young_collections()
        report = evaluate_catalogue(ORG, QUARTER, facts=facts)
        after_report = young_collections()
        assert after_facts - before <= 2
        assert after_report - after_facts <= 2
        assert gc.isenabled()
        assert facts.funnel == counts
        assert report["new_leads"].value == facts.new_leads

    def test_a_refusal_inside_the_pause_restores_the_collector(self) -> None:
        """A two-stage progression is refused once the pause has begun; the collector is on again."""
        short = Lifecycle(
            name="short",
            stages=[StageDefinition(name="lead"), StageDefinition(name="won", terminal=True)],
            transitions=[Transition(source="lead", target="won")],
            initial="lead",
            progression=("lead", "won"),
        )
        org = Organisation(name="A", currency="EUR", lifecycle=short)
        with pytest.raises(ValidationError, match="progression of at least 3 stages"):
            KpiFacts.collect(org, QUARTER)
        assert gc.isenabled()
