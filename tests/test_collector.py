"""Tests of salesmark._collector: the cyclic garbage collector paused around bulk passes,
and the state it found restored, whatever happens in the pass."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from salesmark import Organisation, Period, ValidationError, funnel_counts, synthetic
from salesmark._collector import paused
from salesmark.lifecycle import Lifecycle, StageDefinition, Transition
from salesmark.metrics import KpiFacts, evaluate_catalogue
from salesmark.metrics._passes import Window

ORG = synthetic.organisation(seed=3, leads=2_500)
QUARTER = Period.quarter(2026, 2)


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    """Each test starts with the collector enabled and leaves it so."""
    gc.enable()
    yield
    gc.enable()


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
    @pytest.fixture
    def states(self, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
        """Whether the collector was enabled each time the facts' walk ran."""
        seen: list[bool] = []
        walk = Window.walk

        def recording(self: Window, *args: Any) -> None:
            seen.append(gc.isenabled())
            walk(self, *args)

        monkeypatch.setattr(Window, "walk", recording)
        return seen

    def test_the_facts_walk_with_the_collector_paused(self, states: list[bool]) -> None:
        """Collecting the facts, alone or for the catalogue: paused in the walk, enabled after."""
        facts = KpiFacts.collect(ORG, QUARTER)
        report = evaluate_catalogue(ORG, QUARTER)
        assert (states, gc.isenabled()) == ([False, False], True)
        assert report["new_leads"].value == facts.new_leads
        assert facts.funnel == funnel_counts(ORG.leads, QUARTER, lifecycle=ORG.lifecycle)

    def test_a_collector_disabled_before_the_facts_stays_disabled(self, states: list[bool]) -> None:
        gc.disable()
        evaluate_catalogue(ORG, QUARTER, facts=KpiFacts.collect(ORG, QUARTER))
        assert (states, gc.isenabled()) == ([False], False)

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
