"""Markov-chain attribution in detail: labels, validators, engines, progress and credit edge cases."""

from __future__ import annotations

from typing import Any

import pytest

from salesmark import Money, ValidationError, WrongType
from salesmark.attribution import MarkovChain, PathCounts, Transition, markov
from salesmark.attribution.markov_chain import _Solved, credited, escape
from test_attribution_markov_chain import LOOP, _chain_of

# The loop example of the main tests: 3 channels, 3 states and 3 transitions (a>b, b>a, c>b).
# (a, b) converts once, (b) is a null: start -> a 1/2, start -> b 1/2, b converts 1/2.
SMALL = PathCounts.from_tuples([(("a", "b"), 1, 0, None), (("b",), 0, 1, None)])
ENGINES = ["python", "numpy"]
# untyped, to pass the wrong types on purpose
FIT: Any = MarkovChain.fit
MARKOV: Any = markov


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def rounded(values: Any) -> dict[str, float]:
    return {k: round(x, 12) for k, x in dict(values).items()}


class TestEscape:
    @pytest.mark.parametrize(
        ("name", "label"),
        [
            ("a\\b", "a\\\\b"),  # a backslash is doubled
            ("a\\>b", "a\\\\\\>b"),  # a backslash, then an escaped >
            ("a>b", "a\\>b"),
            ("(null)", "\\(null)"),
            ("(conversion)", "\\(conversion)"),
            ("\\(null)", "\\\\(null)"),  # escaped first, so no longer a reserved name
            ("(start) ", "(start) "),  # only the exact reserved name gets the prefix
        ],
    )
    def test_labels(self, name: str, label: str) -> None:
        """Backslashes are doubled, > is escaped, and only an exact reserved name is prefixed."""
        assert label == escape(name)

    def test_a_backslash_in_a_fitted_label(self) -> None:
        """A channel "a\\b" is labelled "a\\\\b" in the fitted chain's transitions."""
        counts = PathCounts.from_tuples([(("a\\b",), 1, 1, None)])
        assert {
            ("(start)", "a\\\\b"): 1.0,
            ("a\\\\b", "(conversion)"): 0.5,
            ("a\\\\b", "(null)"): 0.5,
        } == dict(MarkovChain.fit(counts).transition_probabilities)


class TestTransitionAndChainFields:
    @pytest.mark.parametrize(
        ("fields", "error", "message"),
        [
            ({"source": ""}, ValidationError, r"^Transition\.source must be a non-empty string, got ''$"),
            ({"source": " "}, ValidationError, r"^Transition\.source must be a non-empty string, got ' '$"),
            ({"target": ""}, ValidationError, r"^Transition\.target must be a non-empty string, got ''$"),
            ({"target": 5}, WrongType, r"^Transition\.target must be a non-empty string, got 5$"),
            ({"probability": "x"}, WrongType, r"^Transition\.probability must be a number, got 'x'$"),
            ({"probability": 1.0000001}, ValidationError, r"^Transition\.probability must be from 0 to 1, got 1\.0000001$"),
        ],
    )  # fmt: skip
    def test_transition_refusals(
        self, fields: dict[str, object], error: type[Exception], message: str
    ) -> None:
        """An empty or blank state label, or a probability that is no number in 0-1, is refused."""
        with pytest.raises(error, match=message):
            Transition(**{"source": "a", "target": "b", "probability": 0.5, **fields})  # type: ignore[arg-type]

    @pytest.mark.parametrize("probability", [0, 1, 0.0, 1.0, 0.25])
    def test_transition_bounds(self, probability: float) -> None:
        """Probabilities 0 and 1 (int or float) and between are kept as given."""
        assert (
            probability == Transition(source="a", target="b", probability=probability).probability
        )

    def test_transitions_are_sorted_by_source_then_target(self) -> None:
        """Transitions given in any order are kept sorted by source, then target label."""
        given = [
            Transition(source="b", target="a", probability=0.5),
            Transition(source="a", target="c", probability=0.5),
            Transition(source="b", target="(null)", probability=0.5),
            Transition(source="a", target="b", probability=0.5),
        ]
        chain = _chain_of(transitions=given)
        assert [("a", "b"), ("a", "c"), ("b", "(null)"), ("b", "a")] == [
            (t.source, t.target) for t in chain.transitions
        ]

    @pytest.mark.parametrize("order", [1, 2, 3, 4])
    def test_every_order_and_repeats_is_accepted(self, order: int) -> None:
        """Orders 1 to 4, with either repeats option, make a chain."""
        for repeats in ("collapse", "keep"):
            chain = _chain_of(order=order, repeats=repeats)
            assert (order, repeats) == (chain.order, chain.repeats)

    @pytest.mark.parametrize(
        ("fields", "error", "message"),
        [
            ({"order": 0}, ValidationError, r"^markov order must be a whole number from 1 to 4, got 0$"),
            ({"order": 5}, ValidationError, r"^markov order must be a whole number from 1 to 4, got 5$"),
            ({"order": False}, WrongType, r"^markov order must be a whole number from 1 to 4, got False$"),
            ({"order": "2"}, WrongType, r"^markov order must be a whole number from 1 to 4, got '2'$"),
            ({"conversion_probability": 1.5}, ValidationError, r"^MarkovChain\.conversion_probability must be from 0 to 1, got 1\.5$"),
            ({"conversion_probability": False}, WrongType, r"^MarkovChain\.conversion_probability must be a number, got False$"),
            ({"transitions": "ab"}, WrongType, r"^MarkovChain\.transitions must be an iterable of Transition, got 'ab'$"),
            ({"transitions": [5]}, WrongType, r"^MarkovChain\.transitions\[0\] must be a Transition, got 5$"),
            ({"removal_effects": 5}, WrongType, r"^MarkovChain removal effects must be a Mapping, got 5$"),
            ({"value_removal_effects": 5}, WrongType, r"^MarkovChain removal effects must be a Mapping, got 5$"),
            ({"value_removal_effects": {"a": float("inf")}}, ValidationError, r"^MarkovChain removal effects must map channels to finite numbers, got 'a': inf$"),
            ({"removal_effects": {"a": 1.0000001}}, ValidationError, r"^MarkovChain removal effects must be from 0 to 1, got 'a': 1\.0000001$"),
            ({"removal_effects": {"a": 0.5, "b": -1e-9}}, ValidationError, r"^MarkovChain removal effects must be from 0 to 1, got 'b': -1e-09$"),
        ],
    )  # fmt: skip
    def test_chain_refusals(
        self, fields: dict[str, object], error: type[Exception], message: str
    ) -> None:
        """Each field of a chain built by hand is checked, naming the field and the value."""
        with pytest.raises(error, match=message):
            _chain_of(**fields)

    def test_effects_are_kept_read_only(self) -> None:
        """The removal effects given are kept as a read-only mapping equal to them."""
        chain = _chain_of(removal_effects={"a": 0.25, "b": 1}, value_removal_effects={"a": 0})
        assert ({"a": 0.25, "b": 1}, {"a": 0}) == (
            dict(chain.removal_effects),
            dict(chain.value_removal_effects),
        )
        with pytest.raises(TypeError):
            chain.removal_effects["a"] = 0.5  # type: ignore[index]

    def test_equal_chains_hash_alike(self) -> None:
        """Two fits of the same data are equal and hash alike."""
        assert MarkovChain.fit(SMALL) == MarkovChain.fit(SMALL)
        assert hash(MarkovChain.fit(SMALL)) == hash(MarkovChain.fit(SMALL))


class TestEngines:
    def test_fit_runs_the_python_engine_when_asked(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With the python work bound at 17, fit(engine="python") is refused and numpy still fits."""
        pytest.importorskip("numpy")
        from salesmark.attribution import _chain

        monkeypatch.setattr(_chain, "MAX_MARKOV_WORK", 17)
        # 3 channels x (3 states + 3 transitions) = 18 > 17
        with pytest.raises(
            ValidationError,
            match=r"^markov with the python engine takes at most 17 channels x \(states \+ "
            r"transitions\), got 3 channels x 6; group channels \(ChannelGrouping\), lower the "
            r"order, or install numpy \(salesmark\[fast\]\)$",
        ):
            MarkovChain.fit(LOOP, engine="python")
        assert 0.5 == pytest.approx(
            MarkovChain.fit(LOOP, engine="numpy").conversion_probability, rel=1e-12
        )

    def test_fit_runs_the_numpy_engine_when_asked(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With the numpy work bound at 17, fit(engine="numpy") is refused and python still fits."""
        fast = pytest.importorskip("salesmark.attribution._numpy_engine")
        monkeypatch.setattr(fast, "NUMPY_WORK", 17)
        with pytest.raises(
            ValidationError,
            match=r"^markov with the numpy engine takes at most 17 channels x \(states \+ "
            r"transitions\), got 3 channels x 6; group channels \(ChannelGrouping\), lower the "
            r"order$",
        ):
            MarkovChain.fit(LOOP, engine="numpy")
        with pytest.raises(ValidationError, match=r"^markov with the numpy engine"):
            MarkovChain.fit(LOOP)  # numpy is the default when installed
        assert 0.5 == pytest.approx(
            MarkovChain.fit(LOOP, engine="python").conversion_probability, rel=1e-12
        )

    @pytest.mark.parametrize("engine", ENGINES)
    def test_markov_with_repeats_kept(self, engine: str) -> None:
        """Kept repeats make a self-loop: (a, a) converting once, (a) not, gives a -> a 1/3."""
        pytest.importorskip("numpy")
        counts = PathCounts.from_tuples([(("a", "a"), 1, 0, None), (("a",), 0, 1, None)])
        # a is left 3 times: once to a, once to conversion, once to null
        chain = MarkovChain.fit(counts, repeats="keep", engine=engine)  # type: ignore[arg-type]
        assert {
            ("(start)", "a"): 1.0,
            ("a", "a"): pytest.approx(1 / 3, rel=1e-15),
            ("a", "(conversion)"): pytest.approx(1 / 3, rel=1e-15),
            ("a", "(null)"): pytest.approx(1 / 3, rel=1e-15),
        } == dict(chain.transition_probabilities)
        assert "keep" == chain.repeats
        # P(conversion) = (1/3) / (1 - 1/3) = 1/2
        assert 0.5 == pytest.approx(chain.conversion_probability, rel=1e-12)
        assert {"order": 1, "repeats": "keep", "credit": "removal_share"} == dict(
            markov(counts, repeats="keep", engine=engine).parameters  # type: ignore[arg-type]
        )


def _calls(run: Any) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    run(lambda done, total: seen.append((done, total)))
    return seen


# SMALL has 2 channels: 4 steps (build, base solve, one solve per removal)
PYTHON_STEPS = [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
NUMPY_STEPS = [(0, 4), (1, 4), (4, 4)]  # numpy solves every removal at once


class TestProgress:
    def test_fit_python(self) -> None:
        """The python engine reports the build, the base solve and each removal."""
        assert PYTHON_STEPS == _calls(lambda p: MarkovChain.fit(SMALL, engine="python", progress=p))

    def test_markov_python(self) -> None:
        """markov reports the same steps as MarkovChain.fit."""
        assert PYTHON_STEPS == _calls(lambda p: markov(SMALL, engine="python", progress=p))

    def test_fit_numpy(self) -> None:
        """The numpy engine reports the build, then everything solved at once."""
        pytest.importorskip("numpy")
        assert NUMPY_STEPS == _calls(lambda p: MarkovChain.fit(SMALL, engine="numpy", progress=p))

    def test_markov_numpy(self) -> None:
        """markov with numpy reports the build, then the end."""
        pytest.importorskip("numpy")
        assert NUMPY_STEPS == _calls(lambda p: markov(SMALL, engine="numpy", progress=p))

    @pytest.mark.parametrize(
        ("run", "message"),
        [
            (lambda: FIT(SMALL, progress=5), r"^MarkovChain\.fit progress must be a callable progress\(done, total\), True for a bar, or None, got 5$"),
            (lambda: MARKOV(SMALL, progress="yes"), r"^markov progress must be a callable progress\(done, total\), True for a bar, or None, got 'yes'$"),
        ],
    )  # fmt: skip
    def test_a_bad_progress_names_the_caller(self, run: Any, message: str) -> None:
        """A progress that is neither callable, True nor None is refused, naming fit or markov."""
        with pytest.raises(WrongType, match=message):
            run()


class TestMessages:
    @pytest.mark.parametrize(
        ("run", "error", "message"),
        [
            (lambda: MARKOV(SMALL, repeats="drop"), ValidationError, r"^markov repeats must be one of 'collapse', 'keep', got 'drop'$"),
            (lambda: MARKOV(SMALL, credit="shapley"), ValidationError, r"^markov credit must be one of 'removal_share', 'value_weighted', 'per_journey', got 'shapley'$"),
            (lambda: FIT(SMALL, repeats="drop"), ValidationError, r"^markov repeats must be one of 'collapse', 'keep', got 'drop'$"),
            (lambda: FIT(SMALL, repeats=None), WrongType, r"^markov repeats must be one of 'collapse', 'keep', got None$"),
            (lambda: MarkovChain.fit(SMALL, order=5), ValidationError, r"^markov order must be a whole number from 1 to 4, got 5$"),
            (lambda: MarkovChain.fit(PathCounts.from_tuples([(("a",), 0, 2, None)])), ValidationError, r"^markov needs at least one conversion, got PathCounts\(1 paths, 0 conversions, 2 nulls\)$"),
        ],
    )  # fmt: skip
    def test_message(self, run: Any, error: type[Exception], message: str) -> None:
        """Each refusal of markov and MarkovChain.fit names the option and the value."""
        with pytest.raises(error, match=message):
            run()

    @pytest.mark.parametrize("engine", ENGINES)
    def test_a_conversion_probability_that_rounds_to_zero(self, engine: str) -> None:
        """5e-324 conversions against 2 nulls: 5e-324 / 2 rounds to 0.0, which is refused."""
        pytest.importorskip("numpy")
        counts = PathCounts.from_tuples([(("a",), 5e-324, 2, None)])
        with pytest.raises(
            ValidationError,
            match=r"^markov found no conversion probability above 0 \(got 0\.0\); "
            r"the conversions are too rare to attribute$",
        ):
            markov(counts, engine=engine)  # type: ignore[arg-type]

    @pytest.mark.parametrize("engine", ENGINES)
    def test_the_smallest_conversion_probability_is_solved(self, engine: str) -> None:
        """5e-324 conversions against 1 null: P(conversion) 5e-324 is above 0, so a's effect is 1."""
        pytest.importorskip("numpy")
        counts = PathCounts.from_tuples([(("a",), 5e-324, 1, None)])
        chain = MarkovChain.fit(counts, engine=engine)  # type: ignore[arg-type]
        assert (5e-324, {"a": 1.0}) == (chain.conversion_probability, dict(chain.removal_effects))

    def test_a_probability_just_above_one_is_capped(self) -> None:
        """Every path converts: P(conversion) is 1 (the numpy sums may round to 1 + 2**-52; it is capped)."""
        counts = PathCounts.from_tuples([(("c", "b"), 3, 0, None), (("b", "a"), 0.3, 0, None)])
        for engine in ENGINES:
            chain = MarkovChain.fit(counts, engine=engine)  # type: ignore[arg-type]
            assert chain.conversion_probability <= 1.0
            assert 1.0 == pytest.approx(chain.conversion_probability, rel=1e-15)


class TestDefaults:
    # SMALL, order 1: effects a 1/2, b 1; credits 1/3 and 2/3 of the one conversion.
    def test_markov_defaults(self) -> None:
        """markov defaults to order 1, collapsed repeats and removal_share credit."""
        result = markov(SMALL)
        assert {
            "model": "markov",
            "parameters": {"order": 1, "repeats": "collapse", "credit": "removal_share"},
            "credits": {"a": round(1 / 3, 12), "b": round(2 / 3, 12)},
            "effects": {"a": 0.5, "b": 1.0},
        } == {
            "model": result.model,
            "parameters": dict(result.parameters),
            "credits": rounded(result.credits),
            "effects": dict(result.removal_effects),
        }

    def test_fit_defaults_to_order_one_and_collapse(self) -> None:
        """fit without options collapses (a, a) into a and uses single-channel states."""
        counts = PathCounts.from_tuples([(("a", "a", "b"), 1, 0, None)])
        chain = MarkovChain.fit(counts)
        assert {
            "order": 1,
            "repeats": "collapse",
            "transitions": {("(start)", "a"): 1.0, ("a", "b"): 1.0, ("b", "(conversion)"): 1.0},
        } == {
            "order": chain.order,
            "repeats": chain.repeats,
            "transitions": dict(chain.transition_probabilities),
        }


# "0" has value but no journey, so no state holds it; it comes first of the channels.
UNHELD = PathCounts.from_tuples(
    [(("0",), 0, 0, "5"), (("b",), 1, 1, "30"), (("c",), 1, 0, "10")], currency="EUR"
)


class TestUnheldChannels:
    @pytest.mark.parametrize("engine", ENGINES)
    def test_a_channel_in_no_state_has_no_effect(self, engine: str) -> None:
        """A channel no state holds gets no removal effect; the channels after it still do."""
        pytest.importorskip("numpy")
        chain = MarkovChain.fit(UNHELD, engine=engine)  # type: ignore[arg-type]
        # start -> b 2/3, c 1/3; b converts 1/2, c always: P = 1/3 + 1/3 = 2/3
        # removing b or c loses 1/3: effects 1/2; by value b loses 1/3 * 30, c 1/3 * 10 of 40/3
        assert {"effects": {"b": 0.5, "c": 0.5}, "value": {"b": 0.75, "c": 0.25}} == {
            "effects": rounded(chain.removal_effects),
            "value": rounded(chain.value_removal_effects),
        }

    @pytest.mark.parametrize(
        ("credit", "values"),
        [
            ("removal_share", ("0.00", "22.50", "22.50")),
            ("value_weighted", ("0.00", "33.75", "11.25")),
        ],
    )
    def test_a_channel_in_no_state_gets_no_credit(
        self, credit: str, values: tuple[str, str, str]
    ) -> None:
        """The unheld channel gets neither conversions nor value; 45 EUR go by the effects."""
        result = markov(UNHELD, credit=credit)  # type: ignore[arg-type]
        # removal_share: 1/2 : 1/2; value_weighted: 3/4 : 1/4 of 45 EUR
        assert {
            "credits": {"0": 0.0, "b": 1.0, "c": 1.0},
            "values": {"0": eur(values[0]), "b": eur(values[1]), "c": eur(values[2])},
            "effects": {"0": 0.0, "b": 0.5, "c": 0.5},
        } == {
            "credits": rounded(result.credits),
            "values": dict(result.value_credits),
            "effects": rounded(result.removal_effects),
        }


class TestSmallValues:
    # (a) converts once worth 0.30; (b) converts once worth 0.10 and once not.
    # Expected value 1/3 * 0.30 + 1/3 * 0.10 = 0.40 / 3, below 1.
    CENTS = PathCounts.from_tuples([(("a",), 1, 0, "0.30"), (("b",), 1, 1, "0.10")], currency="EUR")

    @pytest.mark.parametrize("engine", ENGINES)
    def test_value_effects_below_one_unit(self, engine: str) -> None:
        """An expected conversion value below 1 still weighs the effects: 3/4 and 1/4."""
        pytest.importorskip("numpy")
        chain = MarkovChain.fit(self.CENTS, engine=engine)  # type: ignore[arg-type]
        # removing a loses 0.10 of 0.40/3 (3/4); removing b loses 0.10/3 (1/4)
        assert {"effects": {"a": 0.5, "b": 0.5}, "value": {"a": 0.75, "b": 0.25}} == {
            "effects": rounded(chain.removal_effects),
            "value": rounded(chain.value_removal_effects),
        }

    def test_value_weighted_credit_of_cents(self) -> None:
        """value_weighted splits the 0.40 EUR 0.30 : 0.10 by those value effects."""
        result = markov(self.CENTS, credit="value_weighted")
        assert {"a": eur("0.30"), "b": eur("0.10")} == dict(result.value_credits)


class TestPerJourney:
    # (a, b) converts once, worth 50; (a) and (b) are nulls (1 and 3); (c) converts 3 times, worth 90.
    # start -> a 2/8, b 3/8, c 3/8; a -> b 1/2, null 1/2; b converts 1/4; c converts.
    # P = 2/8 * 1/2 * 1/4 + 3/8 * 1/4 + 3/8 = 1/32 + 3/32 + 12/32 = 1/2
    # effects: a loses 1/32 (1/16), b loses 4/32 (1/4), c loses 12/32 (3/4)
    COUNTS = PathCounts.from_tuples(
        [
            (("a", "b"), 1, 0, "50"),
            (("a",), 0, 1, None),
            (("b",), 0, 3, None),
            (("c",), 3, 0, "90"),
        ],
        currency="EUR",
    )

    @pytest.mark.parametrize("engine", ENGINES)
    def test_weights_summing_below_one_still_split_by_effect(self, engine: str) -> None:
        """(a, b) has effects 1/16 + 1/4 = 5/16 < 1 and splits 1 : 4, not evenly."""
        pytest.importorskip("numpy")
        result = markov(self.COUNTS, credit="per_journey", engine=engine)  # type: ignore[arg-type]
        assert {
            "effects": {"a": 0.0625, "b": 0.25, "c": 0.75},
            "credits": {"a": 0.2, "b": 0.8, "c": 3.0},
            "values": {"a": eur("10.00"), "b": eur("40.00"), "c": eur("90.00")},
        } == {
            "effects": rounded(result.removal_effects),
            "credits": rounded(result.credits),
            "values": dict(result.value_credits),
        }

    def test_every_converting_row_counts_after_null_rows(self) -> None:
        """Null-only rows, before and between converting ones, are skipped without stopping."""
        counts = PathCounts.from_tuples(
            [(("a",), 0, 1, None), (("b",), 2, 0, None), (("c",), 0, 1, None), (("d",), 1, 0, None)]
        )
        result = markov(counts, credit="per_journey")
        assert {"a": 0.0, "b": 2.0, "c": 0.0, "d": 1.0} == rounded(result.credits)

    def test_value_without_conversions_is_split_too(self) -> None:
        """A row with value but no conversion splits its value by its touches' effects."""
        from salesmark.attribution.markov_chain import _per_journey

        counts = PathCounts.from_tuples(
            [(("a", "b"), 0, 0, "12"), (("b",), 1, 1, None)], currency="EUR"
        )
        # effects given: a 1, b 3 -> the 12 of (a, b) splits 3 : 9; (b) earns its conversion
        earned, valued = _per_journey(counts, [1.0, 3.0])
        assert ([0.0, 1.0], [3.0, 9.0]) == (earned, valued)


class TestCredited:
    def test_no_effect_at_all_credits_nothing(self) -> None:
        """With every removal effect 0 (none to share), no channel earns a conversion."""
        solved = _Solved.__new__(_Solved)
        solved.order, solved.repeats = 1, "collapse"
        solved.effects, solved.value_effects = {}, {}
        result = credited(solved, ("a", "b"), 0.0, None, "removal_share", lambda _e: ([], []))
        assert {"a": 0.0, "b": 0.0} == dict(result.credits)

    def test_coarse_weights_of_no_channel(self) -> None:
        """No value weights at all stay an empty list (no largest weight to divide by)."""
        from salesmark.attribution.markov_chain import _coarse

        assert [] == _coarse([])

    def test_coarse_weights_are_shares_of_the_largest(self) -> None:
        """Weights 4, 1 and 1/3 become 1, 1/4 and 1/3 / 4 rounded to 1e-9 (0.083333333)."""
        from salesmark.attribution.markov_chain import _coarse

        # round(1/12 * 1e9) = 83333333, times 1e-9
        assert [1.0, 0.25, 0.083333333] == [round(w, 12) for w in _coarse([4.0, 1.0, 1 / 3])]


class TestBothEnginesAndMergedCounts:
    @pytest.mark.parametrize("engine", ENGINES)
    def test_collapse_is_the_default_of_either_engine(self, engine: str) -> None:
        """(a, a, b) collapses to a -> b by default in both engines; keep makes a -> a 1/2."""
        pytest.importorskip("numpy")
        counts = PathCounts.from_tuples([(("a", "a", "b"), 1, 0, None)])
        collapsed = MarkovChain.fit(counts, engine=engine)  # type: ignore[arg-type]
        kept = MarkovChain.fit(counts, repeats="keep", engine=engine)  # type: ignore[arg-type]
        # kept: a is left twice, once to a and once to b
        assert {
            "collapsed": {("(start)", "a"): 1.0, ("a", "b"): 1.0, ("b", "(conversion)"): 1.0},
            "kept": {
                ("(start)", "a"): 1.0,
                ("a", "a"): 0.5,
                ("a", "b"): 0.5,
                ("b", "(conversion)"): 1.0,
            },
        } == {
            "collapsed": dict(collapsed.transition_probabilities),
            "kept": dict(kept.transition_probabilities),
        }

    @pytest.mark.parametrize("order", [1, 2])
    def test_merged_counts_give_the_fitted_chain(self, order: int) -> None:
        """The chain of merged transition counts is the chain fitted on all paths at once."""
        from salesmark.attribution import markov_statistics

        statistics = markov_statistics(LOOP, order=order)
        fitted = MarkovChain.fit(LOOP, order=order, engine="python")
        assert fitted == statistics.chain()
        assert markov(LOOP, order=order, engine="python") == statistics.result()
        assert {"order": order, "repeats": "collapse"} == {
            "order": statistics.chain().order,
            "repeats": statistics.chain().repeats,
        }

    def test_repr(self) -> None:
        """The repr counts the states left ((start) is not one) and shows P(conversion)."""
        assert "MarkovChain(order=1, 2 states, P(conversion)=0.5)" == repr(MarkovChain.fit(SMALL))
        empty = MarkovChain(
            order=2,
            repeats="keep",
            transitions=[Transition(source="(start)", target="a", probability=1.0)],
            conversion_probability=0.25,
            removal_effects={},
            value_removal_effects={},
        )
        assert "MarkovChain(order=2, 0 states, P(conversion)=0.25)" == repr(empty)

    @pytest.mark.parametrize(
        ("run", "message"),
        [
            (lambda: FIT(SMALL, engine="gpu"), r"^markov engine must be one of 'python', 'numpy', got 'gpu'$"),
            (lambda: MARKOV(SMALL, engine="gpu"), r"^markov engine must be one of 'python', 'numpy', got 'gpu'$"),
        ],
    )  # fmt: skip
    def test_an_unknown_engine(self, run: Any, message: str) -> None:
        """An unknown engine is refused by markov and MarkovChain.fit alike, naming markov."""
        with pytest.raises(ValidationError, match=message):
            run()

    @pytest.mark.parametrize(
        ("effects", "message"),
        [
            ({1: 0.5}, r"^MarkovChain removal effects must map channels to finite numbers, got 1: 0\.5$"),
            ({"a": False}, r"^MarkovChain removal effects must map channels to finite numbers, got 'a': False$"),
            ({"a": float("nan")}, r"^MarkovChain removal effects must map channels to finite numbers, got 'a': nan$"),
        ],
    )  # fmt: skip
    def test_an_effect_that_is_no_channel_number(
        self, effects: dict[object, object], message: str
    ) -> None:
        """A key that is no channel name, or an effect that is a bool or NaN, is refused."""
        with pytest.raises(ValidationError, match=message):
            MarkovChain(
                order=1,
                repeats="collapse",
                transitions=[],
                conversion_probability=0.5,
                removal_effects=effects,  # type: ignore[arg-type]
                value_removal_effects={},
            )

    @pytest.mark.parametrize("engine", ENGINES)
    def test_order_three_labels(self, engine: str) -> None:
        """Order 3: (a, b, c, d) walks "a > b > c" -> "b > c > d"; (d) stays a state of its own."""
        pytest.importorskip("numpy")
        counts = PathCounts.from_tuples([(("a", "b", "c", "d"), 1, 0, None), (("d",), 1, 1, None)])
        chain = MarkovChain.fit(counts, order=3, engine=engine)  # type: ignore[arg-type]
        # start: 1 walker to a > b > c, 2 to d; d converts one of its 2
        assert {
            ("(start)", "a > b > c"): pytest.approx(1 / 3, rel=1e-15),
            ("(start)", "d"): pytest.approx(2 / 3, rel=1e-15),
            ("a > b > c", "b > c > d"): 1.0,
            ("b > c > d", "(conversion)"): 1.0,
            ("d", "(conversion)"): 0.5,
            ("d", "(null)"): 0.5,
        } == dict(chain.transition_probabilities)
        assert 3 == chain.order

    def test_a_path_of_touches_without_effect_splits_evenly(self) -> None:
        """(a, b, c) converting 3 times, worth 30, with every effect 0 gives each touch 1 and 10."""
        from salesmark.attribution.markov_chain import _per_journey

        counts = PathCounts.from_tuples([(("a", "b", "c"), 3, 0, "30")], currency="EUR")
        # 3 conversions / 3 touches = 1 each; 30 / 3 = 10 each
        assert ([1.0, 1.0, 1.0], [10.0, 10.0, 10.0]) == _per_journey(counts, [0.0, 0.0, 0.0])
