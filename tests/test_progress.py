"""Progress of long computations: a recording callback sees a few, ordered reports; True draws a bar."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Period, WrongType, funnel_counts, synthetic
from salesmark._progress import REPORTS, Ticker, tracked
from salesmark.attribution import MarkovChain, PathCounts, markov, shapley
from salesmark.errors import MissingExtra
from salesmark.funnel import funnel_by
from salesmark.testing.strategies import SCORING_AT
from strategies import inbound_model

ORG = synthetic.organisation(seed=4, leads=400)
SCOREABLE = [x for x in ORG.leads if x.created_at <= SCORING_AT]
"""The leads that exist at ``SCORING_AT`` (a lead cannot be scored before it is created)."""
Q1 = Period.quarter(2026, 1)
CHANNELS = [f"c{i}" for i in range(10)]


def _paths(n: int = 400) -> PathCounts:
    rng = random.Random(7)
    rows = [
        (tuple(rng.choice(CHANNELS) for _ in range(rng.randint(1, 5))), rng.randint(0, 2), rng.randint(0, 3), None)
        for _ in range(n)
    ]  # fmt: skip
    return PathCounts.from_tuples(rows)


class Recorder:
    """A progress callback that keeps every report."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))

    def check(self, total: int) -> None:
        """Reports start at 0, never go back, stay few and end at the total."""
        done = [d for d, _ in self.calls]
        assert {
            "first": 0,
            "last": total,
            "totals": {total},
            "ordered": True,
            "few": True,
        } == {
            "first": done[0],
            "last": done[-1],
            "totals": {t for _, t in self.calls},
            "ordered": done == sorted(done),
            "few": len(self.calls) <= REPORTS + 2,
        }


class TestTicker:
    @given(st.integers(0, 100_000), st.integers(1, 1_000))
    def test_at_most_about_a_hundred_reports(self, total: int, steps: int) -> None:
        """However the work is counted, a run reports from 0 to its total in at most 102 calls."""
        seen = Recorder()
        with Ticker(seen, total, what="t") as tick:
            done = 0
            while done < total:
                tick.advance(min(steps, total - done))
                done += steps
        seen.check(total)

    def test_nothing_without_progress(self) -> None:
        """progress=None and False report nothing and cost a comparison a step."""
        for off in (None, False):
            with Ticker(off, 10, what="t") as tick:
                tick.advance()
            assert 1 == tick.done

    def test_an_interrupted_run_never_completes(self) -> None:
        """An error in the middle leaves the last report short of the total."""
        seen = Recorder()

        def interrupted() -> None:
            with Ticker(seen, 10, what="t") as tick:
                tick.advance(3)
                msg = "boom"
                raise KeyError(msg)

        with pytest.raises(KeyError):
            interrupted()
        assert 10 != seen.calls[-1][0]

    @pytest.mark.parametrize("bad", ["yes", 1, object()])
    def test_refuses_what_is_not_a_callback(self, bad: Any) -> None:
        """progress must be a callable, True or None; the message says so and names the caller."""
        with pytest.raises(WrongType, match="markov progress must be a callable"):
            markov(_paths(), progress=bad)

    def test_true_draws_a_tqdm_bar(self, capsys: pytest.CaptureFixture[str]) -> None:
        """progress=True draws tqdm's bar on stderr, named after the computation, to the end."""
        funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle, progress=True)
        err = capsys.readouterr().err
        assert ("funnel_counts: 100%", f"{len(ORG.leads)}/{len(ORG.leads)}") == tuple(
            s for s in ("funnel_counts: 100%", f"{len(ORG.leads)}/{len(ORG.leads)}") if s in err
        )

    def test_true_without_tqdm_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without tqdm, progress=True is a salesmark error naming the progress extra."""
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)
        with pytest.raises(MissingExtra, match=r"salesmark\[progress\]"):
            funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle, progress=True)


class TestTracked:
    def test_items_pass_unchanged(self) -> None:
        """Every item comes through once, in order, whatever the reporting."""
        seen = Recorder()
        assert list(range(1234)) == list(tracked(iter(range(1234)), seen, what="t"))
        seen.check(1234)

    def test_without_progress_the_items_are_untouched(self) -> None:
        """Without progress the very same iterable comes back, no copy, no wrapper."""
        items = iter([1, 2])
        assert items is tracked(items, None, what="t")


class TestLongComputations:
    @pytest.mark.parametrize("engine", ["python", "numpy"])
    @pytest.mark.parametrize("order", [1, 3])
    def test_markov(self, engine: str, order: int) -> None:
        """Markov reports building the chain and solving it, then each channel's removal (python)."""
        seen = Recorder()
        plain = markov(_paths(), order=order, engine=engine)  # type: ignore[arg-type]
        assert plain == markov(_paths(), order=order, engine=engine, progress=seen)  # type: ignore[arg-type]
        seen.check(len(CHANNELS) + 2)
        if engine == "python":
            assert len(CHANNELS) + 3 == len(seen.calls)

    def test_markov_chain_fit(self) -> None:
        """MarkovChain.fit reports the same steps."""
        seen = Recorder()
        MarkovChain.fit(_paths(), order=2, engine="python", progress=seen)
        seen.check(len(CHANNELS) + 2)

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_shapley(self, engine: str) -> None:
        """Shapley over coalitions reports three steps a channel with the pure-Python engine."""
        seen = Recorder()
        plain = shapley(_paths(), worth="conversion_rate", engine=engine)  # type: ignore[arg-type]
        assert plain == shapley(
            _paths(),
            worth="conversion_rate",
            engine=engine,
            progress=seen,  # type: ignore[arg-type]
        )
        seen.check(3 * len(CHANNELS) if engine == "python" else 1)

    def test_shapley_of_conversions(self) -> None:
        """Shapley of conversions is one step."""
        seen = Recorder()
        shapley(_paths(), progress=seen)
        assert [(0, 1), (1, 1)] == seen.calls

    def test_score_many(self) -> None:
        """score_many reports the leads scored, the same scores either way, a stream too."""
        seen = Recorder()
        model = inbound_model()
        plain = model.score_many(SCOREABLE, at=SCORING_AT)
        assert plain == model.score_many(iter(SCOREABLE), at=SCORING_AT, progress=seen)
        seen.check(len(SCOREABLE))

    @pytest.mark.parametrize(
        "count",
        [
            lambda p: funnel_counts(ORG.leads, Q1, lifecycle=ORG.lifecycle, progress=p),
            lambda p: funnel_by(ORG.leads, Q1, "channel", lifecycle=ORG.lifecycle, progress=p),
        ],
        ids=["funnel_counts", "funnel_by"],
    )
    def test_funnels(self, count: Callable[[Any], Any]) -> None:
        """Funnels report the leads counted and count the same."""
        seen = Recorder()
        assert count(None) == count(seen)
        seen.check(len(ORG.leads))

    def test_many_leads_few_calls(self) -> None:
        """Twenty thousand leads are reported in at most about a hundred calls."""
        seen = Recorder()
        # each copy its own lead: a lead given twice is refused
        leads = [attrs.evolve(lead, id=f"{lead.id}-{n}") for n in range(50) for lead in ORG.leads]
        funnel_counts(leads, Q1, lifecycle=ORG.lifecycle, progress=seen)
        assert len(seen.calls) <= REPORTS + 2
        seen.check(len(leads))
