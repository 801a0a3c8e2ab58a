"""Tests for salesmark.attribution.rules: every rule-based model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import CurrencyMismatch, Money, UnknownReference, ValidationError, WrongType
from salesmark.attribution import (
    MODELS,
    AttributionResult,
    Journey,
    Milestones,
    MilestoneWeights,
    PathCounts,
    custom,
    first_touch,
    full_path,
    inverse_j,
    j_shaped,
    last_non_direct,
    last_touch,
    linear,
    position_based,
    time_decay,
    w_shaped,
)
from salesmark.testing.strategies import journey_lists, path_counts, path_rows
from strategies import counts_of

T = datetime(2026, 4, 1, tzinfo=timezone.utc)

COUNT_MODELS: dict[str, Callable[[PathCounts], AttributionResult]] = {
    "first_touch": first_touch,
    "last_touch": last_touch,
    "last_non_direct": last_non_direct,
    "linear": linear,
    "position_based": position_based,
    "j_shaped": j_shaped,
    "inverse_j": inverse_j,
    "custom": lambda d: custom(d, position=lambda n: [2**i for i in range(n)]),
}
JOURNEY_MODELS: dict[str, Callable[[list[Journey]], AttributionResult]] = {
    "w_shaped": w_shaped,
    "full_path": full_path,
    "time_decay": time_decay,
    **COUNT_MODELS,  # type: ignore[dict-item]
}


def rounded(result: AttributionResult, places: int = 9) -> dict[str, float]:
    return {k: round(v, places) for k, v in result.credits.items()}


class TestRuleModelProperties:
    @pytest.mark.parametrize("name", sorted(COUNT_MODELS))
    @settings(max_examples=10, deadline=None)
    @given(counts=path_counts())
    def test_credits_non_negative_and_conserved(self, name: str, counts: PathCounts) -> None:
        """Credits are >= 0 and sum to the total conversions."""
        result = COUNT_MODELS[name](counts)
        assert all(v >= 0 for v in result.credits.values())
        assert pytest.approx(float(counts.total_conversions), abs=1e-9) == sum(
            result.credits.values()
        )

    @pytest.mark.parametrize("name", sorted(COUNT_MODELS))
    @settings(max_examples=10, deadline=None)
    @given(counts=path_counts())
    def test_value_credits_sum_exactly(self, name: str, counts: PathCounts) -> None:
        """Value credits add up to the total value exactly."""
        result = COUNT_MODELS[name](counts)
        assert counts.total_value == Money.total(result.value_credits.values(), "EUR")

    @pytest.mark.parametrize("name", sorted(COUNT_MODELS))
    @settings(max_examples=10, deadline=None)
    @given(rows=path_rows())
    def test_absent_channel_gets_zero(self, name: str, rows: list) -> None:  # type: ignore[type-arg]
        """A channel found only in journeys that did not convert gets zero credit."""
        rows = [*rows, (("never",), 0, 3, None), (("never", "a"), 0, 1, None)]
        result = COUNT_MODELS[name](counts_of(rows))
        assert 0.0 == result.credits["never"]

    @pytest.mark.parametrize("name", sorted(COUNT_MODELS))
    @settings(max_examples=10, deadline=None)
    @given(rows=path_rows())
    def test_relabelling_relabels_credits(self, name: str, rows: list) -> None:  # type: ignore[type-arg]
        """Renaming channels renames their credits and changes nothing else."""
        rename = {"a": "z", "b": "y", "c": "x", "d": "w", "e": "v"}
        renamed = [(tuple(rename[c] for c in p), n, m, v) for p, n, m, v in rows]
        before = COUNT_MODELS[name](counts_of(rows))
        after = COUNT_MODELS[name](counts_of(renamed))
        assert {rename[k]: v for k, v in before.credits.items()} == dict(after.credits)

    @pytest.mark.parametrize("name", sorted(COUNT_MODELS))
    @settings(max_examples=10, deadline=None)
    @given(left=path_rows(), right=path_rows())
    def test_split_data_gives_the_same_result(self, name: str, left: list, right: list) -> None:  # type: ignore[type-arg]
        """model(a + b) == model(whole) for data split in two."""
        whole = COUNT_MODELS[name](counts_of(left + right))
        assert whole == COUNT_MODELS[name](counts_of(left) + counts_of(right))

    @pytest.mark.parametrize("name", sorted(JOURNEY_MODELS))
    @settings(max_examples=10, deadline=None)
    @given(journeys=journey_lists(), more=journey_lists())
    def test_journey_models_conserve_and_merge(
        self, name: str, journeys: list[Journey], more: list[Journey]
    ) -> None:
        """On journeys, credits are >= 0, sum to conversions, and splitting changes nothing."""
        result = JOURNEY_MODELS[name](journeys + more)
        converted = sum(j.converted for j in journeys + more)
        assert all(v >= 0 for v in result.credits.values())
        assert pytest.approx(converted, abs=1e-9) == sum(result.credits.values())
        assert result == JOURNEY_MODELS[name](more + journeys)
        if result.total_value is not None:
            assert result.total_value == Money.total(result.value_credits.values(), "EUR")


def _counts(*rows: tuple[tuple[str, ...], int]) -> PathCounts:
    return PathCounts.from_tuples([(p, n, 0, None) for p, n in rows])


EXAMPLE = _counts((("ad", "email", "webinar", "demo"), 1), (("email", "demo"), 2), (("ad",), 1))


class TestFirstTouch:
    def test_hand_worked(self) -> None:
        """Each conversion goes to its first touch."""
        assert {"ad": 2.0, "demo": 0.0, "email": 2.0, "webinar": 0.0} == dict(
            first_touch(EXAMPLE).credits
        )


class TestLastTouch:
    def test_hand_worked(self) -> None:
        """Each conversion goes to its last touch."""
        assert {"ad": 1.0, "demo": 3.0, "email": 0.0, "webinar": 0.0} == dict(
            last_touch(EXAMPLE).credits
        )


class TestLastNonDirect:
    def test_skips_direct(self) -> None:
        """Direct touches at the end are skipped; all-direct journeys credit direct."""
        counts = _counts((("ad", "direct", "direct"), 1), (("direct",), 1), (("brand", "ad"), 1))
        assert {"ad": 2.0, "brand": 0.0, "direct": 1.0} == dict(last_non_direct(counts).credits)

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_looks_back_only_within_its_own_path(self, engine: str) -> None:
        """Each path is searched from its last touch back to its first, and no further."""
        counts = PathCounts.from_tuples(
            [
                (("email",), 1, 0, None),  # email
                (("direct",), 1, 0, None),  # all direct: direct, not the email before it
                (("ad", "email", "direct"), 1, 0, None),  # email, the nearest non-direct
                (("ad", "direct", "direct"), 1, 0, None),  # ad, two touches back
            ]
        )
        result = last_non_direct(counts, engine=engine)  # type: ignore[arg-type]
        assert {"ad": 1.0, "direct": 1.0, "email": 2.0} == dict(result.credits)

    def test_custom_direct_names(self) -> None:
        """The names that count as direct are a parameter."""
        counts = _counts((("ad", "typed_url"), 1))
        assert {"ad": 1.0, "typed_url": 0.0} == dict(
            last_non_direct(counts, direct=["typed_url"]).credits
        )

    def test_unknown_direct_name(self) -> None:
        """A direct name that appears in no path is an error."""
        with pytest.raises(UnknownReference, match="typo"):
            last_non_direct(EXAMPLE, direct=["typo"])

    def test_string_is_refused(self) -> None:
        """A lone string is not taken as a set of characters."""
        with pytest.raises(ValidationError):
            last_non_direct(EXAMPLE, direct="direct")


class TestLinear:
    def test_hand_worked(self) -> None:
        """Each touch gets an equal share; repeats count each time."""
        counts = _counts((("a", "b", "a", "c"), 4), (("b",), 1))
        assert {"a": 2.0, "b": 2.0, "c": 1.0} == dict(linear(counts).credits)

    def test_value_is_split_exactly(self) -> None:
        """Value is split in the same shares, to the cent, summing exactly."""
        counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, "100.00")], currency="EUR")
        expected = {
            "a": Money.of("33.34", "EUR"),
            "b": Money.of("33.33", "EUR"),
            "c": Money.of("33.33", "EUR"),
        }
        assert expected == dict(linear(counts).value_credits)


class TestPositionBased:
    def test_hand_worked(self) -> None:
        """40/20/40 over four touches, 50/50 over two, all over one."""
        assert {"ad": 1.4, "demo": 1.4, "email": 1.1, "webinar": 0.1} == rounded(
            position_based(EXAMPLE)
        )

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_value_follows_the_positions(self, engine: str) -> None:
        """100 EUR over three touches splits 40 : 20 : 40, the first's and last's value not reused between."""
        counts = PathCounts.from_tuples([(("a", "b", "c"), 1, 0, "100")], currency="EUR")
        result = position_based(counts, engine=engine)  # type: ignore[arg-type]
        assert {
            "a": Money.of("40.00", "EUR"),
            "b": Money.of("20.00", "EUR"),
            "c": Money.of("40.00", "EUR"),
        } == dict(result.value_credits)

    def test_weights_are_configurable(self) -> None:
        """First/between/last weights are parameters."""
        counts = _counts((("a", "b", "c"), 1))
        assert {"a": 0.3, "b": 0.3, "c": 0.4} == rounded(
            position_based(counts, first=3, between=3, last=4)
        )

    def test_negative_weight_is_refused(self) -> None:
        """A negative weight is refused."""
        with pytest.raises(ValidationError, match=">= 0"):
            position_based(EXAMPLE, first=-1)


class TestJShaped:
    def test_hand_worked(self) -> None:
        """20/20/60 first/between/last; two touches renormalise to 25/75."""
        counts = _counts((("a", "b", "c"), 1), (("a", "c"), 1))
        assert {"a": 0.45, "b": 0.2, "c": 1.35} == rounded(j_shaped(counts))


class TestInverseJ:
    def test_hand_worked(self) -> None:
        """60/20/20 first/between/last; two touches renormalise to 75/25."""
        counts = _counts((("a", "b", "c"), 1), (("a", "c"), 1))
        assert {"a": 1.35, "b": 0.2, "c": 0.45} == rounded(inverse_j(counts))


def _journey(path: tuple[str, ...], **marks: int) -> Journey:
    return Journey(path=path, converted=True, milestones=Milestones(**marks))


class TestWShaped:
    def test_hand_worked(self) -> None:
        """30/30/30 to first, lead and opportunity touches, 10 shared between."""
        j = _journey(("a", "b", "c", "d", "e", "f"), lead_created=2, opportunity_created=4)
        expected = {"a": 0.3, "b": 0.05, "c": 0.3, "d": 0.05, "e": 0.3, "f": 0.0}
        assert expected == rounded(w_shaped([j]))

    def test_first_touch_is_also_lead_creation(self) -> None:
        """Two milestones on one touch add up."""
        j = _journey(("a", "b", "c"), lead_created=0, opportunity_created=2)
        assert {"a": 0.6, "b": 0.1, "c": 0.3} == rounded(w_shaped([j]))

    def test_missing_opportunity_is_renormalised(self) -> None:
        """Without an opportunity touch, the remaining weights are renormalised."""
        j = _journey(("a", "b", "c"), lead_created=2)
        assert {"a": 0.428571429, "b": 0.142857143, "c": 0.428571429} == rounded(w_shaped([j]))

    def test_refuses_path_counts(self) -> None:
        """PathCounts hold no milestones, so W-shaped refuses them."""
        with pytest.raises(ValidationError, match="milestones"):
            w_shaped(EXAMPLE)  # type: ignore[arg-type]


class TestFullPath:
    def test_hand_worked(self) -> None:
        """22.5 to each of four milestones, 10 shared between."""
        j = _journey(("a", "b", "c", "d", "e"), lead_created=1, opportunity_created=3, closed_won=4)
        assert {"a": 0.225, "b": 0.225, "c": 0.1, "d": 0.225, "e": 0.225} == rounded(full_path([j]))

    def test_one_touch_gets_everything(self) -> None:
        """A one-touch journey holds every milestone and all the credit."""
        j = _journey(("a",), lead_created=0, opportunity_created=0, closed_won=0)
        assert {"a": 1.0} == rounded(full_path([j]))


class TestTimeDecay:
    def test_hand_worked(self) -> None:
        """Weights halve every half-life back from the conversion."""
        j = Journey(
            path=("a", "b", "c"),
            converted=True,
            times=(T - timedelta(days=14), T - timedelta(days=7), T),
        )
        assert {"a": 1 / 7, "b": 2 / 7, "c": 4 / 7} == pytest.approx(dict(time_decay([j]).credits))

    def test_half_life_is_configurable(self) -> None:
        """A one-day half-life weighs a two-day-old touch at a quarter."""
        j = Journey(path=("a", "b"), converted=True, times=(T - timedelta(days=2), T))
        assert {"a": 0.2, "b": 0.8} == pytest.approx(
            dict(time_decay([j], half_life=timedelta(days=1)).credits)
        )

    def test_very_old_touches_do_not_underflow(self) -> None:
        """Touches years old still share the conversion without dividing by zero."""
        old = T - timedelta(days=36500)
        j = Journey(path=("a", "b"), converted=True, times=(old, old), converted_at=T)
        assert {"a": 0.5, "b": 0.5} == dict(time_decay([j]).credits)

    def test_needs_times(self) -> None:
        """A converted journey without touch times is an error."""
        with pytest.raises(ValidationError, match="touch times"):
            time_decay([Journey.of("a", converted=True)])

    def test_refuses_path_counts(self) -> None:
        """PathCounts hold no times."""
        with pytest.raises(ValidationError, match="journeys"):
            time_decay(EXAMPLE)  # type: ignore[arg-type]

    def test_bad_half_life(self) -> None:
        """A zero half-life is refused."""
        with pytest.raises(ValidationError, match="half_life"):
            time_decay([], half_life=timedelta(0))


class TestCustom:
    def test_position_function(self) -> None:
        """A position function's weights are normalised per path length."""
        counts = _counts((("a", "b"), 1))
        assert {"a": 0.25, "b": 0.75} == dict(custom(counts, position=lambda n: [1, 3][:n]).credits)

    def test_milestone_weights(self) -> None:
        """Milestone weights run through the milestone engine."""
        j = _journey(("a", "b"), lead_created=1)
        rule = MilestoneWeights(lead_created=1)
        assert {"a": 0.0, "b": 1.0} == dict(custom([j], milestones=rule).credits)

    def test_needs_exactly_one_rule(self) -> None:
        """Giving both or neither rule is an error."""
        with pytest.raises(ValidationError, match="exactly one"):
            custom(EXAMPLE)

    @pytest.mark.parametrize(
        ("rule", "message"),
        [
            (lambda n: [1] * (n + 1), "must return"),
            (lambda n: [-1] * n, ">= 0"),
            (lambda n: [0] * n, "above 0"),
        ],
    )
    def test_bad_position_function(self, rule: Callable[[int], list[int]], message: str) -> None:
        """Wrong length, negative or all-zero weights are refused."""
        with pytest.raises(ValidationError, match=message):
            custom(EXAMPLE, position=rule)

    @settings(max_examples=10, deadline=None)
    @given(st.integers(1, 8))
    def test_uniform_function_is_linear(self, n: int) -> None:
        """Equal position weights reproduce the linear model."""
        counts = _counts((tuple("abcdefgh"[:n]), 1))
        assert rounded(linear(counts)) == rounded(custom(counts, position=lambda k: [1] * k))


class TestBadInputs:
    def test_strings_are_not_paths(self) -> None:
        """A string is not accepted as the data."""
        with pytest.raises(ValidationError, match="PathCounts"):
            linear("a > b")  # type: ignore[arg-type]

    def test_journey_list_with_junk(self) -> None:
        """Something other than a Journey in the list is refused."""
        with pytest.raises(ValidationError, match="Journey"):
            linear([("a", "b")])  # type: ignore[list-item]


class TestModelRegistry:
    def test_each_model_once_under_its_own_name(self) -> None:
        """MODELS holds each model function exactly once, keyed by the function's name."""
        assert {name: name for name in MODELS} == {name: fn.__name__ for name, fn in MODELS.items()}
        assert len(MODELS) == len(set(MODELS.values()))

    def test_models_credit_under_their_registered_name(self) -> None:
        """Each registered model's result carries the name it is registered under."""
        j = Journey(
            path=("a", "b", "c"),
            converted=True,
            times=(T - timedelta(days=2), T - timedelta(days=1), T),
            milestones=Milestones(lead_created=1, opportunity_created=2),
        )
        nulls = Journey(path=("b",), times=(T,))
        assert {name: name for name in MODELS} == {
            name: model([j, nulls]).model for name, model in MODELS.items()
        }

    def test_read_only(self) -> None:
        """The registry cannot be changed by a caller."""
        with pytest.raises(TypeError):
            MODELS["mine"] = linear  # type: ignore[index]


class TestRuleDetails:
    @pytest.mark.parametrize(
        "model",
        [first_touch, last_touch, last_non_direct, linear, position_based, j_shaped, inverse_j],
    )
    def test_engine_is_passed_on(self, model: Callable[..., AttributionResult]) -> None:
        """Each model hands its engine on: an unknown one is refused, by the model's name."""
        message = f"^{model.__name__} engine must be one of 'python', 'numpy'"
        with pytest.raises(ValidationError, match=message):
            model(EXAMPLE, engine="gpu")

    @pytest.mark.parametrize(
        "model",
        [first_touch, last_touch, last_non_direct, linear, position_based, j_shaped, inverse_j],
    )
    def test_engine_is_the_one_asked_for(
        self, model: Callable[..., AttributionResult], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """engine="numpy" (the default with numpy installed) sums with numpy, engine="python" without."""
        fast = pytest.importorskip("salesmark.attribution._numpy_engine")
        calls: list[int] = []
        real = fast.sums

        def spy(*args: Any) -> Any:
            calls.append(1)
            return real(*args)

        monkeypatch.setattr(fast, "sums", spy)
        used: dict[str | None, bool] = {}
        for engine in ("python", None, "numpy"):  # fresh counts each time: sums are cached on them
            calls.clear()
            model(_counts((("ad", "email", "direct"), 1)), engine=engine)
            used[engine] = bool(calls)
        assert {"python": False, None: True, "numpy": True} == used  # numpy is the default

    def test_direct_names_are_listed_in_the_parameters(self) -> None:
        """The direct names, sorted and joined by commas, are the model's parameter."""
        counts = _counts((("ad", "typed_url", "direct"), 1))
        result = last_non_direct(counts, direct=["typed_url", "direct"])
        assert {"direct": "direct,typed_url"} == dict(result.parameters)

    @pytest.mark.parametrize(
        ("direct", "error", "message"),
        [
            (["ad", " "], ValidationError, r"^last_non_direct direct must hold non-empty channel names, got ' '$"),
            (5, WrongType, r"^last_non_direct direct must be a sequence of channel names"),
        ],
    )  # fmt: skip
    def test_direct_names_are_checked(
        self, direct: object, error: type[Exception], message: str
    ) -> None:
        """The direct names must be a sequence of non-blank names, and the message says so."""
        with pytest.raises(error, match=message):
            last_non_direct(EXAMPLE, direct=direct)  # type: ignore[arg-type]

    def test_custom_names_and_parameters(self) -> None:
        """A position rule is named "custom" unless named, with parameters rule=position; milestones keep the name."""
        j = _journey(("a", "b"), lead_created=1)
        assert {
            "default": ("custom", {"rule": "position"}),
            "milestones": "mine",
        } == {
            "default": (
                (r := custom(EXAMPLE, position=lambda n: [1] * n)).model,
                dict(r.parameters),
            ),
            "milestones": custom(
                [j], milestones=MilestoneWeights(lead_created=1), name="mine"
            ).model,
        }

    @pytest.mark.parametrize(
        ("rules", "said"),
        [
            ({"position": lambda n: [1] * n, "milestones": MilestoneWeights(first=1)}, "both"),
            ({}, "neither"),
        ],
    )
    def test_custom_says_which_rules_it_got(self, rules: dict[str, Any], said: str) -> None:
        """Both rules or neither: the message says which."""
        with pytest.raises(ValidationError, match=f"position= or milestones=, got {said}$"):
            custom(EXAMPLE, **rules)

    def test_custom_weights_too_large_to_add(self) -> None:
        """Two weights of 1e308 overflow when added: they are scaled first and share evenly."""
        counts = _counts((("a", "b"), 2))
        assert {"a": 1.0, "b": 1.0} == dict(custom(counts, position=lambda n: [1e308] * n).credits)

    def test_milestone_values_in_two_currencies(self) -> None:
        """Milestone journeys with values in two currencies are refused, naming both."""
        journeys = [
            Journey(path=("a",), converted=True, value=Money.of("1", "EUR")),
            Journey(path=("b",), converted=True, value=Money.of("1", "USD")),
        ]
        with pytest.raises(
            CurrencyMismatch, match=r"^journey values must share one currency, got 'EUR' and 'USD'$"
        ):
            w_shaped(journeys)

    def test_custom_rule_is_asked_once_per_length(self) -> None:
        """The position function is called once for each path length, shortest first."""
        asked: list[int] = []

        def rule(n: int) -> list[int]:
            asked.append(n)
            return [1] * n

        counts = _counts((("a", "b", "c"), 1), (("a",), 1), (("b", "c"), 1), (("c", "a", "b"), 2))
        custom(counts, position=rule)
        assert [1, 2, 3] == asked

    @pytest.mark.parametrize(
        ("rule", "error", "message"),
        [
            (lambda n: None, WrongType, r"^custom position\(1\) must be a sequence of 1 weights"),
            (lambda n: [-1] * n, ValidationError, r"^custom position\(1\)\[0\] must be >= 0"),
        ],
    )
    def test_custom_messages_name_the_length(
        self, rule: Callable[[int], Any], error: type[Exception], message: str
    ) -> None:
        """A bad weight list is named by the path length it was asked for."""
        with pytest.raises(error, match=message):
            custom(_counts((("a",), 1)), position=rule)

    @pytest.mark.parametrize(
        ("call", "error", "message"),
        [
            (lambda: time_decay([], half_life=timedelta(0)), ValidationError, r"^time_decay half_life must be a positive timedelta"),
            (lambda: time_decay(EXAMPLE), ValidationError, r"^time_decay needs journeys"),
            (lambda: time_decay([5]), WrongType, r"^time_decay paths\[0\] must be"),
        ],
    )  # fmt: skip
    def test_time_decay_messages(
        self, call: Callable[[], Any], error: type[Exception], message: str
    ) -> None:
        """time_decay names itself and the argument it refuses."""
        with pytest.raises(error, match=message):
            call()

    def test_time_decay_needs_times_even_with_a_conversion_time(self) -> None:
        """A converting journey with converted_at but no touch times is refused all the same."""
        j = Journey(path=("a",), converted=True, converted_at=T)
        with pytest.raises(
            ValidationError, match=r"^time_decay paths\[0\] converted but has no touch times"
        ):
            time_decay([j])


class TestRuleRobustness:
    def test_huge_position_weights_are_sound(self) -> None:
        """position_based(first=1e308, last=1e308, between=1e308) gives finite, conserved credits."""
        counts = PathCounts.from_tuples([(("ad", "email", "webinar", "demo"), 3, 0, None)])
        huge = position_based(counts, first=1e308, last=1e308, between=1e308)
        plain = position_based(counts, first=1, last=1, between=1)
        assert dict(plain.credits) == pytest.approx(dict(huge.credits), rel=1e-12)
        assert 3.0 == pytest.approx(sum(huge.credits.values()))

    def test_custom_rule_returning_none(self) -> None:
        """A custom position rule that returns None is a clear WrongType, naming the rule."""
        counts = PathCounts.from_tuples([(("ad", "email"), 1, 0, None)])
        with pytest.raises(WrongType, match=r"custom position\(2\) must be a sequence"):
            custom(counts, position=lambda n: None)  # type: ignore[arg-type,return-value]

    def test_custom_rule_not_callable(self) -> None:
        """A position rule that is not a function is refused."""
        counts = PathCounts.from_tuples([(("ad",), 1, 0, None)])
        with pytest.raises(WrongType, match="custom position must be a function"):
            custom(counts, position=[1, 2])  # type: ignore[arg-type]

    def test_milestone_models_refuse_conversion_before_touches(self) -> None:
        """A journey converted before its first touch is refused (it cannot be attributed)."""
        t = datetime(2026, 3, 1, tzinfo=timezone.utc)
        with pytest.raises(ValidationError, match="converted_at must not come before"):
            w_shaped(
                [
                    Journey(
                        path=("ad",), converted=True, times=(t,), converted_at=t - timedelta(days=1)
                    )
                ]
            )

    def test_negative_journey_value_is_refused(self) -> None:
        """linear of a -5 EUR journey is refused rather than crediting 0 EUR."""
        with pytest.raises(ValidationError, match="Journey.value must be zero or more"):
            linear([Journey.of("a", converted=True, value=Money.of(-5, "EUR"))])


class TestTimeDecayValueCredits:
    def test_value_follows_the_decay_weights(self) -> None:
        """Value is split by the decay shares: 1/7, 2/7, 4/7 of 90 EUR, summing exactly."""
        t = datetime(2026, 3, 15, tzinfo=timezone.utc)
        journey = Journey(
            path=("search", "webinar", "demo"),
            converted=True,
            value=Money.of(90, "EUR"),
            times=(t - timedelta(days=14), t - timedelta(days=7), t),
        )
        result = time_decay([journey])
        assert {
            "demo": Money.of("51.43", "EUR"),
            "search": Money.of("12.86", "EUR"),
            "webinar": Money.of("25.71", "EUR"),
        } == dict(result.value_credits)

    def test_values_weigh_their_own_journey(self) -> None:
        """Each journey's value is split by its own shares, not by conversion counts."""
        t = datetime(2026, 3, 15, tzinfo=timezone.utc)
        big = Journey(path=("a", "b"), converted=True, value=Money.of(300, "EUR"), times=(t, t))
        small = Journey(
            path=("b", "a"),
            converted=True,
            value=Money.of(100, "EUR"),
            times=(t - timedelta(days=7), t),
        )
        result = time_decay([big, small])
        assert {"a": Money.of("216.67", "EUR"), "b": Money.of("183.33", "EUR")} == dict(
            result.value_credits
        )
        assert {"a": 0.5 + 2 / 3, "b": 0.5 + 1 / 3} == pytest.approx(dict(result.credits))
