"""Tests for salesmark.attribution.markov_chain: exact removal-effect attribution."""

from __future__ import annotations

import itertools
import json
import math
import time
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings

from salesmark import Money, StructureError, ValidationError, WrongType
from salesmark.attribution import MarkovChain, PathCounts, Transition, markov
from salesmark.serialization import structure, unstructure
from salesmark.testing.strategies import converting_counts, path_rows
from strategies import counts_of

# The loop example of the docs: b sends walkers back to a.
LOOP = PathCounts.from_tuples(
    [
        (("a", "b"), 1, 0, "100"),
        (("a", "b", "a", "b"), 1, 0, "50"),
        (("a",), 0, 2, None),
        (("c", "b"), 0, 1, None),
        (("c",), 1, 0, "10"),
    ],
    currency="EUR",
)


def closed_form(counts: PathCounts) -> tuple[Fraction, dict[str, Fraction]]:
    """P(conversion) and removal effects of the order-1 chain, solved with fractions."""
    trans: dict[str, dict[str, Fraction]] = {}
    for path, (conv, nulls, _value) in counts.paths.items():
        weight = Fraction(conv) + Fraction(nulls)
        if not weight:
            continue
        seq = [c for i, c in enumerate(path) if i == 0 or path[i - 1] != c]
        steps = ["(start)", *seq]
        for a, b in itertools.pairwise(steps):
            trans.setdefault(a, {}).setdefault(b, Fraction(0))
            trans[a][b] += weight
        trans.setdefault(seq[-1], {}).setdefault("(conversion)", Fraction(0))
        trans[seq[-1]]["(conversion)"] += Fraction(conv)
        trans[seq[-1]].setdefault("(null)", Fraction(0))
        trans[seq[-1]]["(null)"] += Fraction(nulls)
    states = sorted(s for s in trans if s != "(start)")

    def solve(removed: str | None) -> Fraction:
        alive = [s for s in states if s != removed]
        n = len(alive)
        pos = {s: i for i, s in enumerate(alive)}
        # (I - Q) x = r, Gaussian elimination over fractions.
        rows = []
        for s in alive:
            total = sum(trans[s].values(), Fraction(0))
            row = [Fraction(0)] * (n + 1)
            row[pos[s]] += 1
            for t, c in trans[s].items():
                if t in pos:
                    row[pos[t]] -= c / total
            row[n] = trans[s].get("(conversion)", Fraction(0)) / total
            rows.append(row)
        for col in range(n):
            pivot = next(r for r in range(col, n) if rows[r][col] != 0)
            rows[col], rows[pivot] = rows[pivot], rows[col]
            for r in range(n):
                if r != col and rows[r][col] != 0:
                    f = rows[r][col] / rows[col][col]
                    rows[r] = [x - f * y for x, y in zip(rows[r], rows[col], strict=True)]
        x = {s: rows[pos[s]][n] / rows[pos[s]][pos[s]] for s in alive}
        start = trans["(start)"]
        total = sum(start.values(), Fraction(0))
        return sum((c / total * x[t] for t, c in start.items() if t in x), Fraction(0))

    base = solve(None)
    return base, {s: 1 - solve(s) / base for s in states}


class TestMarkov:
    def test_hand_worked_loop(self) -> None:
        """The loop example matches the removal effects worked out on paper."""
        result = markov(LOOP)
        assert {"a": 0.5, "b": 2 / 3, "c": 9 / 17} == pytest.approx(
            dict(result.removal_effects), rel=1e-12
        )
        assert {"a": 153 / 173, "b": 204 / 173, "c": 162 / 173} == pytest.approx(
            dict(result.credits), rel=1e-12
        )

    def test_value_credits_sum_exactly(self) -> None:
        """Value credits add up to the total value to the cent."""
        result = markov(LOOP)
        assert Money.of(160, "EUR") == Money.total(result.value_credits.values(), "EUR")

    @settings(max_examples=20, deadline=None)
    @given(converting_counts())
    def test_order_one_matches_closed_form(self, counts: PathCounts) -> None:
        """Order-1 removal effects equal the closed-form absorbing-chain answer to 1e-9."""
        base, effects = closed_form(counts)
        chain = MarkovChain.fit(counts)
        assert float(base) == pytest.approx(chain.conversion_probability, rel=1e-9)
        for channel, effect in effects.items():
            assert float(effect) == pytest.approx(
                chain.removal_effects[channel], rel=1e-9, abs=1e-12
            )

    @pytest.mark.parametrize("order", [1, 2, 3, 4])
    @pytest.mark.parametrize("credit", ["removal_share", "value_weighted", "per_journey"])
    @settings(max_examples=15, deadline=None)
    @given(counts=converting_counts())
    def test_credits_conserved(self, order: int, credit: str, counts: PathCounts) -> None:
        """Credits are >= 0 and sum to the conversions; value credits sum exactly."""
        result = markov(counts, order=order, credit=credit)  # type: ignore[arg-type]
        assert all(v >= 0 for v in result.credits.values())
        assert pytest.approx(float(counts.total_conversions), rel=1e-9) == sum(
            result.credits.values()
        )
        assert counts.total_value == Money.total(result.value_credits.values(), "EUR")

    @settings(max_examples=20, deadline=None)
    @given(left=path_rows(), right=path_rows())
    def test_split_data_gives_the_same_result(self, left: list, right: list) -> None:  # type: ignore[type-arg]
        """markov(a + b) == markov(whole)."""
        whole = counts_of([*left, *right, (("a",), 1, 1, None)])
        parts = counts_of(left) + counts_of([*right, (("a",), 1, 1, None)])
        assert markov(whole).credits == pytest.approx(dict(markov(parts).credits), rel=1e-12)

    @settings(max_examples=20, deadline=None)
    @given(counts=converting_counts())
    def test_relabelling_relabels_credits(self, counts: PathCounts) -> None:
        """Renaming channels renames their credits."""
        rename = {"a": "q", "b": "r", "c": "s", "d": "t", "e": "u"}
        renamed = PathCounts.from_tuples(
            [
                (tuple(rename[c] for c in r.path), r.conversions, r.nulls, r.value)
                for r in counts.rows()
            ],
            currency="EUR",
        )
        expected = {rename[k]: v for k, v in markov(counts, order=2).credits.items()}
        assert expected == pytest.approx(dict(markov(renamed, order=2).credits), rel=1e-12)

    def test_repeats_option(self) -> None:
        """Keeping repeats adds self-loops, which change nothing for a lone channel."""
        counts = PathCounts.from_tuples([(("a", "a", "b"), 1, 1, None), (("b",), 0, 1, None)])
        assert 1.0 == MarkovChain.fit(counts).transition_probabilities[("a", "b")]
        assert 0.5 == MarkovChain.fit(counts, repeats="keep").transition_probabilities[("a", "a")]

    def test_higher_order_states(self) -> None:
        """Order-2 states are pairs; a shorter path is a state of its own."""
        counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None), (("a",), 0, 1, None)])
        probabilities = MarkovChain.fit(counts, order=2).transition_probabilities
        expected = {
            ("(start)", "a > b"): 0.5,
            ("(start)", "a"): 0.5,
            ("a > b", "b > c"): 1.0,
            ("b > c", "(conversion)"): 1.0,
            ("a", "(null)"): 1.0,
        }
        assert expected == dict(probabilities)

    def test_per_journey_credit(self) -> None:
        """Per-journey credit splits each path by its touches' removal effects."""
        result = markov(LOOP, credit="per_journey")
        effects = result.removal_effects
        share_a = effects["a"] / (effects["a"] + effects["b"])
        expected_a = share_a + 2 * share_a / 2  # path a>b, and a>b>a>b (two of each)
        assert pytest.approx(expected_a, rel=1e-12) == result.credits["a"]
        assert 1.0 == result.credits["c"]

    def test_value_weighted_credit(self) -> None:
        """Value-weighted credit splits value by value-weighted removal effects."""
        chain = MarkovChain.fit(LOOP)
        result = markov(LOOP, credit="value_weighted")
        weights = dict(chain.value_removal_effects)
        expected = Money.of(160, "EUR").allocate([weights[c] for c in sorted(weights)])
        assert dict(zip(sorted(weights), expected, strict=True)) == dict(result.value_credits)

    @pytest.mark.parametrize("order", [0, 5, -1, 1.0, True])
    def test_bad_order(self, order: object) -> None:
        """An order outside 1-4 is refused, naming the value."""
        with pytest.raises(ValidationError, match="order must be a whole number from 1 to 4"):
            markov(LOOP, order=order)  # type: ignore[arg-type]

    def test_bad_options(self) -> None:
        """Unknown repeats and credit options are refused."""
        with pytest.raises(ValidationError, match="repeats"):
            markov(LOOP, repeats="drop")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="credit"):
            markov(LOOP, credit="shapley")  # type: ignore[arg-type]

    def test_no_conversion(self) -> None:
        """Paths without any conversion cannot be attributed."""
        with pytest.raises(ValidationError, match="at least one conversion"):
            markov(PathCounts.from_tuples([(("a",), 0, 3, None)]))


class TestMarkovChain:
    def test_loop_probabilities(self) -> None:
        """The loop example's transition probabilities are the observed frequencies."""
        chain = MarkovChain.fit(LOOP)
        assert 0.5 == pytest.approx(chain.conversion_probability, rel=1e-12)
        assert 0.25 == chain.transition_probabilities[("b", "a")]
        assert 0.6 == chain.transition_probabilities[("a", "b")]

    def test_repr(self) -> None:
        """The repr is one line with the order, state count and P(conversion)."""
        assert "MarkovChain(order=1, 3 states, P(conversion)=0.5)" == repr(MarkovChain.fit(LOOP))


def value_closed_form(counts: PathCounts) -> tuple[Fraction, dict[str, Fraction]]:
    """Expected conversion value of the order-1 chain and its value removal effects, exactly."""
    trans: dict[str, dict[str, Fraction]] = {}
    worth: dict[str, list[Fraction]] = {}
    for path, (conv, nulls, value) in counts.paths.items():
        weight = Fraction(conv) + Fraction(nulls)
        if not weight:
            continue
        seq = [c for i, c in enumerate(path) if i == 0 or path[i - 1] != c]
        for a, b in itertools.pairwise(["(start)", *seq]):
            trans.setdefault(a, {}).setdefault(b, Fraction(0))
            trans[a][b] += weight
        end = trans.setdefault(seq[-1], {})
        end["(conversion)"] = end.get("(conversion)", Fraction(0)) + Fraction(conv)
        end["(null)"] = end.get("(null)", Fraction(0)) + Fraction(nulls)
        pair = worth.setdefault(seq[-1], [Fraction(0), Fraction(0)])
        pair[0] += Fraction(conv)
        pair[1] += Fraction(value)
    states = sorted(s for s in trans if s != "(start)")

    def solve(removed: str | None) -> Fraction:
        alive = [s for s in states if s != removed]
        x = dict.fromkeys(alive, Fraction(0))
        for _ in range(400):  # exact value iteration; the test chains absorb quickly
            x = {
                s: sum(
                    (c / sum(trans[s].values()) * x[t] for t, c in trans[s].items() if t in x),
                    Fraction(0),
                )
                + (
                    trans[s].get("(conversion)", Fraction(0))
                    / sum(trans[s].values())
                    * (worth[s][1] / worth[s][0] if s in worth and worth[s][0] else Fraction(0))
                )
                for s in alive
            }
        start = trans["(start)"]
        total = sum(start.values(), Fraction(0))
        return sum((c / total * x[t] for t, c in start.items() if t in x), Fraction(0))

    base = solve(None)
    return base, {s: 1 - solve(s) / base for s in states}


class TestMarkovValueCredits:
    def test_value_removal_effects_by_hand(self) -> None:
        """Value removal effects of the loop equal the exact expected-value answer."""
        _base, expected = value_closed_form(LOOP)
        for engine in ("python", "numpy"):
            chain = MarkovChain.fit(LOOP, engine=engine)  # type: ignore[arg-type]
            assert {k: float(v) for k, v in expected.items()} == pytest.approx(
                dict(chain.value_removal_effects), rel=1e-12
            )

    def test_value_weighted_splits_by_value_effects(self) -> None:
        """value_weighted value credits follow the value effects, removal_share the plain ones."""
        chain = MarkovChain.fit(LOOP)
        weighted = markov(LOOP, credit="value_weighted")
        share = markov(LOOP, credit="removal_share")
        names = sorted(chain.removal_effects)
        by_value = Money.of(160, "EUR").allocate([chain.value_removal_effects[c] for c in names])
        by_effect = Money.of(160, "EUR").allocate([chain.removal_effects[c] for c in names])
        assert dict(zip(names, by_value, strict=True)) == dict(weighted.value_credits)
        assert dict(zip(names, by_effect, strict=True)) == dict(share.value_credits)
        assert dict(weighted.value_credits) != dict(share.value_credits)
        assert dict(weighted.credits) == dict(share.credits)

    def test_per_journey_value_credits(self) -> None:
        """per_journey splits each path's value among its touches by their removal effects."""
        result = markov(LOOP, credit="per_journey")
        e = result.removal_effects
        ab = e["a"] + e["b"]
        weights = {"a": (100 + 50) * e["a"] / ab, "b": (100 + 50) * e["b"] / ab, "c": 10.0}
        expected = Money.of(160, "EUR").allocate([weights[c] for c in sorted(weights)])
        assert dict(zip(sorted(weights), expected, strict=True)) == dict(result.value_credits)
        assert Money.of("10.00", "EUR") == result.value_credits["c"]


class TestMarkovRobustness:
    def test_tiny_conversion_probability(self) -> None:
        """A conversion probability near 1e-16 is solved (no ZeroDivisionError), finite and conserved."""
        counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None), (("a",), 0, 2**53 - 2, None)])
        result = markov(counts)
        assert {"a": 0.5, "b": 0.5} == pytest.approx(dict(result.credits), rel=1e-9)

    def test_issue_reproducer_is_a_clear_error(self) -> None:
        """10**20 nulls (the reported ZeroDivisionError) is now refused as beyond MAX_COUNT."""
        with pytest.raises(ValidationError, match="at most"):
            markov(PathCounts.from_tuples([(("a", "b"), 1, 0, None), (("a",), 0, 10**20, None)]))

    def test_channel_names_never_collide_with_states(self) -> None:
        """A channel named 'a > b' and the order-2 state (a, b) keep separate labels."""
        counts = PathCounts.from_tuples([(("a", "b"), 1, 1, None), (("a > b",), 1, 0, None)])
        probabilities = dict(MarkovChain.fit(counts, order=2).transition_probabilities)
        assert {
            ("(start)", "a > b"): 2 / 3,
            ("(start)", "a \\> b"): 1 / 3,
            ("a > b", "(conversion)"): 0.5,
            ("a > b", "(null)"): 0.5,
            ("a \\> b", "(conversion)"): 1.0,
        } == probabilities

    def test_reserved_names_are_escaped(self) -> None:
        """A channel named '(start)' or '(null)' is escaped, never taken for those states."""
        counts = PathCounts.from_tuples([(("(start)", "(null)"), 1, 1, None)])
        chain = MarkovChain.fit(counts)
        assert {
            ("(start)", "\\(start)"): 1.0,
            ("\\(start)", "\\(null)"): 1.0,
            ("\\(null)", "(conversion)"): 0.5,
            ("\\(null)", "(null)"): 0.5,
        } == dict(chain.transition_probabilities)
        assert {"(null)": 1.0, "(start)": 1.0} == dict(chain.removal_effects)

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_too_large_a_chain_is_refused_quickly(self, engine: str) -> None:
        """Thousands of channels are refused with a clear error at once, not solved for minutes."""
        pytest.importorskip("numpy")
        rows = [((f"c{i}", f"c{(i * 7 + 1) % 6000}"), 1, 1, None) for i in range(6000)]
        counts = PathCounts.from_tuples(rows)
        started = time.perf_counter()
        with pytest.raises(ValidationError, match="takes at most"):
            markov(counts, engine=engine)  # type: ignore[arg-type]
        assert time.perf_counter() - started < 30

    def test_round_trips_through_json(self) -> None:
        """unstructure(MarkovChain.fit(...)) works, and the chain comes back equal."""
        chain = MarkovChain.fit(LOOP, order=2)
        data = json.loads(json.dumps(unstructure(chain)))
        assert chain == structure(data, MarkovChain)

    @pytest.mark.parametrize(
        ("field", "bad"), [("order", 7), ("repeats", "banana"), ("conversion_probability", 1.5)]
    )
    def test_validates_when_structured(self, field: str, bad: object) -> None:
        """A chain with order 7, repeats 'banana' or a probability above 1 is refused."""
        data = unstructure(MarkovChain.fit(LOOP))
        data[field] = bad
        with pytest.raises(StructureError, match=field):
            structure(data, MarkovChain)

    def test_nan_effect_is_refused(self) -> None:
        """A NaN removal effect is refused when a chain is structured."""
        data = unstructure(MarkovChain.fit(LOOP))
        data["removal_effects"]["a"] = float("nan")
        with pytest.raises(StructureError, match="finite"):
            structure(data, MarkovChain)


class TestMarkovSolverLimits:
    def test_a_chain_that_does_not_settle_in_the_steps_allowed(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With the step limit lowered to 3, the loop example cannot settle and says so."""
        from salesmark.attribution import _chain

        monkeypatch.setattr(_chain, "MAX_STEPS", 3)
        with pytest.raises(
            ValidationError,
            match=r"^markov did not converge within 3 steps: the chain almost never absorbs "
            r"\(P\(conversion\) so far 0\.\d+\)$",
        ):
            markov(LOOP, engine="python")

    @pytest.mark.parametrize(("limit", "refused"), [(2, True), (3, False)])
    def test_the_state_bound(
        self, monkeypatch: pytest.MonkeyPatch, limit: int, refused: bool
    ) -> None:
        """The loop example has 3 states: a bound of 2 refuses it, naming both numbers; 3 is enough."""
        from salesmark.attribution import _chain

        monkeypatch.setattr(_chain, "MAX_MARKOV_STATES", limit)
        if not refused:
            assert 3 == len(markov(LOOP, engine="python").removal_effects)
            return
        with pytest.raises(
            ValidationError,
            match=r"^markov chain would have 3 states, more than MAX_MARKOV_STATES \(2\); "
            r"use a lower order or group channels \(ChannelGrouping\)$",
        ):
            markov(LOOP, engine="python")

    @pytest.mark.parametrize(("limit", "refused"), [(17, True), (18, False)])
    def test_the_work_bound(
        self, monkeypatch: pytest.MonkeyPatch, limit: int, refused: bool
    ) -> None:
        """3 channels x (3 states + 3 transitions: a>b, b>a, c>b) = 18: a bound of 17 refuses it."""
        from salesmark.attribution import _chain

        monkeypatch.setattr(_chain, "MAX_MARKOV_WORK", limit)
        if not refused:
            assert 3 == len(markov(LOOP, engine="python").removal_effects)
            return
        with pytest.raises(
            ValidationError,
            match=r"^markov with the python engine takes at most 17 channels x \(states \+ "
            r"transitions\), got 3 channels x 6; group channels \(ChannelGrouping\), lower the "
            r"order, or install numpy \(salesmark\[fast\]\)$",
        ):
            markov(LOOP, engine="python")

    def test_the_numpy_work_bound(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The numpy engine names itself and, having numpy, suggests no install."""
        fast = pytest.importorskip("salesmark.attribution._numpy_engine")
        monkeypatch.setattr(fast, "NUMPY_WORK", 17)
        with pytest.raises(
            ValidationError,
            match=r"^markov with the numpy engine takes at most 17 channels x \(states \+ "
            r"transitions\), got 3 channels x 6; group channels \(ChannelGrouping\), lower the "
            r"order$",
        ):
            markov(LOOP, engine="numpy")


SMALL = PathCounts.from_tuples([(("a", "b"), 1, 0, None), (("b",), 0, 1, None)])


def _chain_of(**fields: object) -> MarkovChain:
    base: dict[str, object] = {
        "order": 1,
        "repeats": "collapse",
        "transitions": [],
        "conversion_probability": 0.5,
        "removal_effects": {},
        "value_removal_effects": {},
    }
    return MarkovChain(**{**base, **fields})  # type: ignore[arg-type]


class TestMarkovMessages:
    @pytest.mark.parametrize(
        ("build", "error", "message"),
        [
            (lambda: markov(SMALL, order=True), WrongType, r"^markov order must be a whole number from 1 to 4, got True$"),
            (lambda: markov(SMALL, order=1.0), WrongType, r"^markov order must be a whole number from 1 to 4, got 1\.0$"),
            (lambda: markov(SMALL, order=0), ValidationError, r"^markov order must be a whole number from 1 to 4, got 0$"),
            (lambda: markov(SMALL, order=5), ValidationError, r"^markov order must be a whole number from 1 to 4, got 5$"),
            (lambda: markov(SMALL, engine="gpu"), ValidationError, r"^markov engine must be one of"),
            (lambda: MarkovChain.fit(SMALL, engine="gpu"), ValidationError, r"^markov engine must be one of"),
            (lambda: markov(SMALL, credit="x"), ValidationError, r"^markov credit must be one of 'removal_share', 'value_weighted', 'per_journey', got 'x'$"),
            (lambda: markov(SMALL, credit=5), WrongType, r"^markov credit must be one of 'removal_share', 'value_weighted', 'per_journey', got 5$"),
            (lambda: markov(SMALL, engine=5), WrongType, r"^markov engine must be one of .*, got 5$"),
            (lambda: markov(PathCounts.from_tuples([(("a",), 0, 1, None)])), ValidationError, r"^markov needs at least one conversion, got PathCounts\(1 paths, 0 conversions, 1 nulls\)$"),
            (lambda: Transition(source="a", target="b", probability=True), WrongType, r"^Transition\.probability must be a number, got True$"),
            (lambda: Transition(source="a", target="b", probability=1.5), ValidationError, r"^Transition\.probability must be from 0 to 1, got 1\.5$"),
            (lambda: Transition(source="a", target="b", probability=-0.5), ValidationError, r"^Transition\.probability must be from 0 to 1, got -0\.5$"),
            (lambda: Transition(source="a", target="b", probability=math.nan), ValidationError, r"^Transition\.probability must be from 0 to 1, got nan$"),
            (lambda: _chain_of(conversion_probability="x"), WrongType, r"^MarkovChain\.conversion_probability must be a number, got 'x'$"),
            (lambda: _chain_of(repeats="x"), ValidationError, r"^MarkovChain\.repeats must be one of 'collapse', 'keep', got 'x'$"),
            (lambda: _chain_of(transitions=[5]), WrongType, r"^MarkovChain\.transitions\[0\] must be"),
            (lambda: _chain_of(removal_effects=5), WrongType, r"^MarkovChain removal effects must be"),
            (lambda: _chain_of(removal_effects={"a": "x"}), ValidationError, r"^MarkovChain removal effects must map channels to finite numbers, got 'a': 'x'$"),
            (lambda: _chain_of(removal_effects={"a": True}), ValidationError, r"^MarkovChain removal effects must map channels to finite numbers, got 'a': True$"),
            (lambda: _chain_of(removal_effects={1: 0.5}), ValidationError, r"^MarkovChain removal effects must map channels to finite numbers, got 1: 0\.5$"),
            (lambda: _chain_of(value_removal_effects={"a": 1.5}), ValidationError, r"^MarkovChain removal effects must be from 0 to 1, got 'a': 1\.5$"),
            (lambda: _chain_of(removal_effects={"a": -0.5}), ValidationError, r"^MarkovChain removal effects must be from 0 to 1, got 'a': -0\.5$"),
        ],
    )  # fmt: skip
    def test_message(self, build: Any, error: type[Exception], message: str) -> None:
        """Each refusal names the argument or field, the value and what was expected."""
        with pytest.raises(error, match=message):
            build()

    def test_bounds_are_inclusive(self) -> None:
        """Probabilities and effects of exactly 0 and 1 are allowed."""
        chain = _chain_of(
            transitions=[Transition(source="a", target="b", probability=0)],
            conversion_probability=1,
            removal_effects={"a": 0.0, "b": 1.0},
        )
        assert {"a": 0.0, "b": 1.0} == dict(chain.removal_effects)


class TestMarkovChainDetails:
    def test_the_fitted_chain(self) -> None:
        """(a, b) converts once, (b) is a null: start splits 1 : 1, b converts half the time."""
        chain = MarkovChain.fit(SMALL)
        assert {
            "repr": "MarkovChain(order=1, 2 states, P(conversion)=0.5)",
            "transitions": {
                ("(start)", "a"): 0.5,
                ("(start)", "b"): 0.5,
                ("a", "b"): 1.0,
                ("b", "(conversion)"): 0.5,
                ("b", "(null)"): 0.5,
            },
            "effects": {"a": 0.5, "b": 1.0},
            "value effects": {"a": 0.5, "b": 1.0},
        } == {
            "repr": repr(chain),
            "transitions": dict(chain.transition_probabilities),
            "effects": dict(chain.removal_effects),
            "value effects": dict(chain.value_removal_effects),
        }

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_order_two_states_are_labelled(self, engine: str) -> None:
        """Order 2: states are pairs "a > b"; a path shorter than the order is a state of its own."""
        counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, None), (("c",), 0, 1, None)])
        chain = MarkovChain.fit(counts, order=2, engine=engine)  # type: ignore[arg-type]
        assert {
            ("(start)", "a > b"): 0.5,
            ("(start)", "c"): 0.5,
            ("a > b", "b > c"): 1.0,
            ("b > c", "(conversion)"): 1.0,
            ("c", "(null)"): 1.0,
        } == dict(chain.transition_probabilities)

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_value_effects_weigh_paths_by_value(self, engine: str) -> None:
        """(a) is worth 30, (b) worth 10: removing a loses 3/4 of the value, 1/2 of the conversions."""
        counts = PathCounts.from_tuples(
            [(("a",), 1, 0, "30"), (("b",), 1, 0, "10")], currency="EUR"
        )
        chain = MarkovChain.fit(counts, engine=engine)  # type: ignore[arg-type]
        assert {"effects": {"a": 0.5, "b": 0.5}, "value": {"a": 0.75, "b": 0.25}} == {
            "effects": dict(chain.removal_effects),
            "value": {k: round(x, 12) for k, x in chain.value_removal_effects.items()},
        }

    def test_per_journey_splits_evenly_when_no_touch_matters(self) -> None:
        """A converting path whose channels all have effect 0 is split evenly among its touches."""
        from salesmark.attribution.markov_chain import _per_journey

        counts = PathCounts.from_tuples([(("a", "b"), 2, 0, None)])
        earned, _valued = _per_journey(counts, [0.0, 0.0])
        assert [1.0, 1.0] == earned

    def test_coarse_value_weights(self) -> None:
        """Value weights go on a grid of 1e-9 of the largest; all zero stay zero."""
        from salesmark.attribution.markov_chain import _coarse

        assert {"grid": [1.0, 0.5, 0.0], "zero": [0.0, 0.0]} == {
            "grid": [round(w, 12) for w in _coarse([2.0, 1.0 + 1e-12, 0.0])],
            "zero": _coarse([0.0, 0.0]),
        }


def _ring(n: int) -> PathCounts:
    """n channels in a ring, each path a run of three of one channel then the next."""
    names = [f"c{i:03}" for i in range(n)]
    rows = [((names[i],) * 3 + (names[(i + 1) % n],), 1 + i % 2, 1, None) for i in range(n)]
    return PathCounts.from_tuples(rows)


class TestManyChannels:
    @pytest.mark.parametrize("n", [255, 256, 257])
    @pytest.mark.parametrize("order", [1, 2])
    def test_runs_collapse_alike_past_a_byte_of_channels(self, n: int, order: int) -> None:
        """Around 256 channels (bytes keys, then tuples) both engines collapse runs alike."""
        pytest.importorskip("numpy")
        counts = _ring(n)
        python = markov(counts, order=order, engine="python")
        fast = markov(counts, order=order, engine="numpy")
        assert pytest.approx(dict(fast.credits), rel=1e-12) == dict(python.credits)

    def test_collapse_keeps_runs_up_to_the_order(self) -> None:
        """Order 2 keeps a run of two and cuts a run of three to two, whatever the key type."""
        from salesmark.attribution._chain import _collapse

        assert [[b"\x00\x00\x01", b"\x01\x01"], [(0, 0, 1), (1, 1)]] == [
            _collapse([b"\x00\x00\x00\x01", b"\x01\x01"], 2, 2),
            _collapse([(0, 0, 0, 1), (1, 1)], 2, 300),
        ]

    def test_a_row_of_value_alone_is_skipped(self) -> None:
        """A row with value but no journeys adds nothing to the chain; the rows after it still count."""
        counts = PathCounts.from_tuples(
            [(("x",), 0, 0, "5"), (("a",), 1, 1, None), (("b",), 1, 0, None)], currency="EUR"
        )
        result = markov(counts, engine="python")
        assert {"a": 1.0, "b": 1.0, "x": 0.0} == {
            k: round(x, 12) for k, x in result.credits.items()
        }

    def test_collapse_of_a_newline_byte(self) -> None:
        """Channel 10 is the byte b"\\n": its runs collapse like any other."""
        from salesmark.attribution._chain import _collapse

        assert [b"\n\x01", b"\x01\n"] == _collapse([b"\n\n\x01", b"\x01\n\n\n"], 1, 12)

    def test_collapse_of_wide_byte_keys(self) -> None:
        """With 256 channels no byte is free to join on: each key is collapsed alone."""
        from salesmark.attribution._chain import _collapse

        assert [b"\xff\x00", b"\x01"] == _collapse([b"\xff\xff\x00", b"\x01\x01"], 1, 256)

    def test_mixed_exact_counts_divide_exactly(self) -> None:
        """A whole count over a total with a sampled weight (1 / 1.3) is the exact quotient, rounded once."""
        counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None), (("a",), 0, 0.3, None)])
        chain = MarkovChain.fit(counts, engine="python")
        # 1 / float(1.3) rounds twice and lands one ulp lower: 0.7692307692307692
        assert (
            float(Fraction(1) / (1 + Fraction(0.3))) == chain.transition_probabilities[("a", "b")]
        )
