"""Tests for salesmark.attribution.results: AttributionResult, compare, roll_up."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import (
    CurrencyMismatch,
    Money,
    StructureError,
    UnknownReference,
    ValidationError,
    WrongType,
)
from salesmark.attribution import (
    AttributionResult,
    Comparison,
    PathCounts,
    compare,
    first_touch,
    last_touch,
    linear,
    markov,
    roll_up,
)
from salesmark.attribution.results import split_value
from salesmark.serialization import structure, unstructure

COUNTS = PathCounts.from_tuples(
    [(("c1", "c2"), 2, 1, "90.00"), (("c3",), 1, 3, "10.00")], currency="EUR"
)


class TestAttributionResult:
    def test_repr(self) -> None:
        """The repr is one line with totals and the top channels."""
        expected = "AttributionResult(linear: 3 conversions, 100.00 EUR; c1=1, c2=1, c3=1)"
        assert expected == repr(linear(COUNTS))

    def test_to_records(self) -> None:
        """to_records gives one plain dict per channel."""
        records = first_touch(COUNTS).to_records()
        expected = {
            "model": "first_touch",
            "channel": "c1",
            "conversions": 2.0,
            "share": 2 / 3,
            "value": Decimal("90.00"),
            "currency": "EUR",
        }
        assert expected == records[0]

    def test_markov_records_carry_removal_effects(self) -> None:
        """Markov records add the removal effect."""
        assert "removal_effect" in markov(COUNTS).to_records()[0]

    def test_share(self) -> None:
        """share is the fraction of all conversions."""
        assert pytest.approx(2 / 3) == first_touch(COUNTS).share("c1")

    def test_share_unknown(self) -> None:
        """Asking the share of an unknown name is an error."""
        with pytest.raises(UnknownReference, match="nope"):
            first_touch(COUNTS).share("nope")

    def test_label(self) -> None:
        """The label adds the parameters to the model name."""
        assert (
            "markov(credit=removal_share, order=2, repeats=collapse)"
            == markov(COUNTS, order=2).label
        )

    def test_value_credits_need_total(self) -> None:
        """Value credits without a total value are refused."""
        with pytest.raises(ValidationError, match="total_value"):
            AttributionResult(
                model="m",
                credits={"a": 1.0},
                value_credits={"a": Money.of(1, "EUR")},
                total_conversions=1.0,
            )


class TestCompare:
    def test_lines_models_up(self) -> None:
        """compare gives one row per channel and one column per model."""
        expected = [
            {"channel": "c1", "first_touch": 2.0, "last_touch": 0.0},
            {"channel": "c2", "first_touch": 0.0, "last_touch": 2.0},
            {"channel": "c3", "first_touch": 1.0, "last_touch": 1.0},
        ]
        assert expected == compare(first_touch(COUNTS), last_touch(COUNTS)).to_records()

    def test_markov_orders_get_short_names(self) -> None:
        """Markov chains of different orders are named markov, markov_2, markov_3."""
        table = compare(markov(COUNTS, order=1), markov(COUNTS, order=2), markov(COUNTS, order=3))
        assert ("markov", "markov_2", "markov_3") == table.labels

    def test_same_short_name_twice_uses_labels(self) -> None:
        """Two results with one short name are told apart by their parameters."""
        table = compare(markov(COUNTS), markov(COUNTS, credit="value_weighted"))
        assert (
            "markov(credit=removal_share, order=1, repeats=collapse)",
            "markov(credit=value_weighted, order=1, repeats=collapse)",
        ) == table.labels

    def test_names_name_the_columns(self) -> None:
        """names= gives each column its name, in the order of the results."""
        table = compare(first_touch(COUNTS), last_touch(COUNTS), names=["first", "last"])
        assert ("first", "last") == table.labels
        assert {"channel": "c1", "first": 2.0, "last": 0.0} == table.to_records()[0]

    @pytest.mark.parametrize(
        ("names", "match"),
        [
            (["only one"], "one name per result"),
            (["a", "a"], "distinct non-empty names"),
            (["channel", "b"], "other than"),
            ("ab", "sequence of names"),
            ([1, 2], r"names\[0\] must be a str"),
        ],
    )
    def test_bad_names(self, names: Any, match: str) -> None:
        """names= must give distinct, non-reserved names, one per result."""
        with pytest.raises(ValidationError, match=match):
            compare(first_touch(COUNTS), last_touch(COUNTS), names=names)

    def test_a_list_of_results(self) -> None:
        """One list of results reads as the results one by one."""
        results = [first_touch(COUNTS), last_touch(COUNTS)]
        assert compare(*results) == compare(results)

    def test_value_table(self) -> None:
        """of="value" gives the value each model credits each channel, with the currency."""
        table = compare(first_touch(COUNTS), linear(COUNTS))
        rows = {r["channel"]: r for r in table.to_records(of="value", exact=True)}
        first = first_touch(COUNTS).value_credits
        assert {c: (first[c].amount, "EUR") for c in rows} == {
            c: (r["first_touch"], r["currency"]) for c, r in rows.items()
        }
        totals = {label: sum(r[label] for r in rows.values()) for label in table.labels}
        assert {"first_touch": Decimal("100.00"), "linear": Decimal("100.00")} == totals

    def test_value_table_of_results_without_value(self) -> None:
        """Results without value leave the value table empty of amounts."""
        plain = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
        table = compare(first_touch(plain), last_touch(plain))
        assert {} == dict(table.values)
        assert [{"channel": "a", "first_touch": None, "last_touch": None, "currency": None}] == (
            table.to_records(of="value")[:1]
        )

    def test_mixed_currencies_are_refused(self) -> None:
        """Values in two currencies cannot share a table."""
        usd = PathCounts.from_tuples([(("c1",), 1, 0, "5")], currency="USD")
        with pytest.raises(CurrencyMismatch, match="more than one currency"):
            compare(first_touch(COUNTS), first_touch(usd), names=["eur", "usd"])

    def test_wide_frames(self) -> None:
        """to_frame gives the wide table of conversions or of value, numeric in pandas."""
        table = compare(first_touch(COUNTS), markov(COUNTS, order=2))
        frame = table.to_frame().set_index("channel")
        assert ["first_touch", "markov_2"] == list(frame.columns)
        assert {"first_touch": "float64", "markov_2": "float64"} == {
            c: str(t) for c, t in frame.dtypes.items()
        }
        value = table.to_frame("polars", of="value")
        assert ["channel", "first_touch", "markov_2", "currency"] == value.columns

    def test_unknown_measure(self) -> None:
        """of= is conversions or value."""
        with pytest.raises(ValidationError, match="of must be 'conversions' or 'value'"):
            compare(first_touch(COUNTS)).to_records(of="share")  # type: ignore[arg-type]

    def test_needs_a_result(self) -> None:
        """compare() with nothing is an error."""
        with pytest.raises(ValidationError):
            compare()

    def test_identical_results_are_refused(self) -> None:
        """The very same result twice cannot be told apart."""
        result = linear(COUNTS)
        with pytest.raises(ValidationError, match="same label"):
            compare(result, result)


class TestComparison:
    def test_repr(self) -> None:
        """The repr names the channel count and the models."""
        assert "Comparison(3 channels x linear)" == repr(compare(linear(COUNTS)))

    def test_credits(self) -> None:
        """credits holds one tuple per channel."""
        assert Comparison(labels=("x",), credits={"a": (1.0,)}).credits["a"] == (1.0,)

    def test_round_trip_with_values(self) -> None:
        """A comparison with values comes back from its plain data unchanged."""
        table = compare(first_touch(COUNTS), linear(COUNTS))
        assert table == structure(unstructure(table), Comparison)

    def test_values_must_match_the_labels(self) -> None:
        """Each channel's values hold one amount (or None) per label."""
        with pytest.raises(ValidationError, match=r"values\['a'\] must hold one credit per label"):
            Comparison(labels=("x", "y"), credits={"a": (1.0, 0.0)}, values={"a": (None,)})

    def test_html_shows_both_tables(self) -> None:
        """The notebook view shows the conversions table and, with value, the value table."""
        page = compare(first_touch(COUNTS), linear(COUNTS))._repr_html_()
        assert (2, True) == (page.count("<table"), "value credited" in page)


class TestRollUp:
    def test_credits_and_value_go_to_owners(self) -> None:
        """Campaign credits and value add up per owner; unowned goes to 'unassigned'."""
        result = roll_up(linear(COUNTS), {"c1": "ann", "c2": "ann"})
        assert {"ann": 2.0, "unassigned": 1.0} == dict(result.credits)
        assert {"ann": Money.of("90.00", "EUR"), "unassigned": Money.of("10.00", "EUR")} == dict(
            result.value_credits
        )

    def test_strict_owners(self) -> None:
        """With unowned=None, a campaign without an owner is an error."""
        with pytest.raises(UnknownReference, match="c3"):
            roll_up(linear(COUNTS), {"c1": "ann", "c2": "bob"}, unowned=None)


class TestSplitValue:
    @settings(max_examples=20, deadline=None)
    @given(
        st.integers(0, 10**8),
        st.dictionaries(st.sampled_from("abcdef"), st.floats(-5, 10, allow_nan=False), min_size=1),
    )
    def test_sums_exactly(self, cents: int, weights: dict[str, float]) -> None:
        """The parts always add up to the total exactly, negative weights included."""
        total = Money(Decimal(cents).scaleb(-2), "EUR")
        parts = split_value(total, weights)
        if sum(weights.values()) > 0 and sum(w for w in weights.values() if w > 0) > 0:
            assert total == Money.total(parts.values(), "EUR")
        assert set(weights) == set(parts)


def _eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


class TestSplitValueByHand:
    def test_nothing_to_split(self) -> None:
        """No total, or no names, gives no parts."""
        assert [{}, {}] == [split_value(None, {"a": 1.0}), split_value(_eur("10"), {})]

    @pytest.mark.parametrize(
        ("total", "weights"),
        [
            (_eur("0.00"), {"a": 1.0}),  # nothing to split
            (_eur("10.00"), {"a": 1.0, "b": -1.0}),  # the weights cancel: P - N = 0
            (_eur("10.00"), {"a": 1.0, "b": -2.0}),  # they are net negative
        ],
    )
    def test_zero_parts(self, total: Money, weights: dict[str, float]) -> None:
        """A zero total, or weights that are not net positive, give every name zero."""
        assert dict.fromkeys(weights, Money.zero("EUR")) == split_value(total, weights)

    def test_positive_weights(self) -> None:
        """10 EUR over 3 : 1 is 7.50 : 2.50, whatever order the names come in."""
        assert {"a": _eur("7.50"), "b": _eur("2.50")} == split_value(
            _eur("10.00"), {"b": 1.0, "a": 3.0}
        )

    def test_ties_go_to_the_earlier_name(self) -> None:
        """One cent over two equal weights goes to the alphabetically earlier name."""
        assert {"a": _eur("0.01"), "b": _eur("0.00")} == split_value(
            _eur("0.01"), {"b": 1.0, "a": 1.0}
        )

    def test_negative_weights(self) -> None:
        """P = 3, N = 1.5: the positives share 10 * 3 / 1.5 = 20 (13.33 : 6.67), the negatives -10 (-6.67 : -3.33)."""
        weights = {"a": 2.0, "b": 1.0, "c": -1.0, "d": -0.5, "e": 0.0}
        assert {
            "a": _eur("13.33"),
            "b": _eur("6.67"),
            "c": _eur("-6.67"),
            "d": _eur("-3.33"),
            "e": Money.zero("EUR"),
        } == split_value(_eur("10.00"), weights)

    def test_a_zero_weight_before_the_others(self) -> None:
        """A zero weight sorting first takes nothing from the positives: 10 EUR, weights 0, 2, -1 give 0, 20, -10."""
        assert {"a": Money.zero("EUR"), "b": _eur("20.00"), "c": _eur("-10.00")} == split_value(
            _eur("10.00"), {"a": 0.0, "b": 2.0, "c": -1.0}
        )

    def test_negative_weights_round_to_the_currency(self) -> None:
        """100 JPY, weights 1 and -0.25: the positive part 100 / 0.75 = 133.3 rounds to 133 yen, the rest -33."""
        assert {"a": Money.of("133", "JPY"), "b": Money.of("-33", "JPY")} == split_value(
            Money.of("100", "JPY"), {"a": 1.0, "b": -0.25}
        )


class TestValidatesWhenStructured:
    @pytest.mark.parametrize(
        ("field", "bad", "match"),
        [
            ("credits", {"a": float("nan")}, "finite"),
            ("total_conversions", -5.0, ">= 0"),
            ("removal_effects", {"a": float("inf")}, "finite"),
            ("model", "", "model"),
        ],
    )
    def test_attribution_result(self, field: str, bad: object, match: str) -> None:
        """NaN credits, negative conversions or an empty model name are refused when structured."""
        data = unstructure(linear(COUNTS))
        data[field] = bad
        with pytest.raises(StructureError, match=match):
            structure(data, AttributionResult)

    def test_comparison(self) -> None:
        """A comparison whose rows do not match its labels, or hold NaN, is refused."""
        data = unstructure(compare(first_touch(COUNTS), last_touch(COUNTS)))
        data["credits"]["c1"] = [1.0]
        with pytest.raises(StructureError, match="one credit per label"):
            structure(data, Comparison)
        data["credits"]["c1"] = [1.0, float("nan")]
        with pytest.raises(StructureError, match="finite"):
            structure(data, Comparison)

    def test_position_credits(self) -> None:
        """PositionCredits refuse negative totals and positions below 1."""
        from salesmark.attribution import PositionCredits, ordered_shapley

        data = unstructure(ordered_shapley(COUNTS))
        assert ordered_shapley(COUNTS) == structure(data, PositionCredits)
        data["total_conversions"] = -1.0
        with pytest.raises(StructureError, match=">= 0"):
            structure(data, PositionCredits)
        data = unstructure(ordered_shapley(COUNTS))
        data["rows"][0]["position"] = 0
        with pytest.raises(StructureError, match="position"):
            structure(data, PositionCredits)


def _typed(value: object) -> tuple[object, type]:
    return value, type(value)


def _result(shares: dict[str, float], **fields: Any) -> AttributionResult:
    return AttributionResult(model="m", credits=shares, **fields)


ONE = _result({"a": 1.0}, total_conversions=1.0)
EUR = Money.of("1", "EUR")


class TestMessagesNameTheField:
    @pytest.mark.parametrize(
        ("build", "error", "message"),
        [
            (
                lambda: Comparison(labels=["x"], credits=5),
                WrongType,
                r"^Comparison\.credits must be",
            ),
            (
                lambda: Comparison(labels=["x"], credits={1: (1.0,)}),
                WrongType,
                r"^Comparison\.credits key must be",
            ),
            (
                lambda: Comparison(labels=["x"], credits={"a": 5}),
                WrongType,
                r"^Comparison\.credits\['a'\] must be a sequence of credits",
            ),
            (
                lambda: Comparison(labels=["x"], credits={"a": ("z",)}),
                WrongType,
                r"^Comparison\.credits\['a'\]\[0\] must be a number",
            ),
            (
                lambda: Comparison(labels=["x"], credits={"a": (1.0, 2.0)}),
                ValidationError,
                r"^Comparison\.credits\['a'\] must hold one credit per label \(1\), got 2",
            ),
            (
                lambda: Comparison(labels=["x"], credits={}, values=5),
                WrongType,
                r"^Comparison\.values must be",
            ),
            (
                lambda: Comparison(labels=["x"], credits={}, values={1: (None,)}),
                WrongType,
                r"^Comparison\.values key must be",
            ),
            (
                lambda: Comparison(labels=["x"], credits={}, values={"a": 5}),
                WrongType,
                r"^Comparison\.values\['a'\] must be a sequence of amounts",
            ),
            (
                lambda: Comparison(labels=["x"], credits={}, values={"a": ("z",)}),
                WrongType,
                r"^Comparison\.values\['a'\]\[0\] must be .* or None, got 'z'",
            ),
            (
                lambda: _result(5, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.credits must be",
            ),
            (
                lambda: _result({1: 1.0}, total_conversions=1.0),
                WrongType,
                r"^AttributionResult\.credits key must be",
            ),
            (
                lambda: _result({"a": "x"}, total_conversions=1.0),
                WrongType,
                r"^AttributionResult\.credits\['a'\] must be a number",
            ),
            (
                lambda: _result({"a": math.nan}, total_conversions=1.0),
                ValidationError,
                r"^AttributionResult\.credits\['a'\] must be finite",
            ),
            (
                lambda: _result({}, removal_effects={"a": "x"}, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.removal_effects\['a'\] must be a number",
            ),
            (
                lambda: _result({}, value_credits=5, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.value_credits must be",
            ),
            (
                lambda: _result({}, value_credits={1: EUR}, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.value_credits key must be",
            ),
            (
                lambda: _result({}, value_credits={"a": 5}, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.value_credits\['a'\] must be",
            ),
            (
                lambda: _result({}, parameters=5, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.parameters must be",
            ),
            (
                lambda: _result({}, parameters={1: 1}, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.parameters key must be",
            ),
            (
                lambda: _result({}, parameters={"k": [1]}, total_conversions=0.0),
                WrongType,
                r"^AttributionResult\.parameters\['k'\] must be a plain value, got \[1\]",
            ),
            (
                lambda: _result({}, parameters={"k": math.inf}, total_conversions=0.0),
                ValidationError,
                r"^AttributionResult\.parameters\['k'\] must be finite",
            ),
            (
                lambda: _result({}, total_conversions="x"),
                WrongType,
                r"^AttributionResult\.total_conversions must be a number",
            ),
            (
                lambda: _result({}, total_conversions=-1.0),
                ValidationError,
                r"^AttributionResult\.total_conversions must be >= 0, got -1\.0",
            ),
            (
                lambda: _result({}, value_credits={"a": EUR}, total_conversions=0.0),
                ValidationError,
                r"^AttributionResult\.total_value must be given with value_credits$",
            ),
            (
                lambda: compare(ONE, names=5),
                WrongType,
                r"^compare names must be a sequence of names",
            ),
            (
                lambda: compare(5),
                WrongType,
                r"^compare results must be a sequence of AttributionResult objects",
            ),
            (
                lambda: compare([]),
                ValidationError,
                r"^compare needs at least one AttributionResult, got none$",
            ),
            (lambda: compare(ONE, 5), WrongType, r"^compare results\[1\] must be"),
            (lambda: roll_up(5, {}), WrongType, r"^roll_up result must be"),
            (lambda: roll_up(ONE, 5), WrongType, r"^roll_up owners must be"),
        ],
    )
    def test_message(self, build: Any, error: type[Exception], message: str) -> None:
        """Each refusal names the argument or field it refuses, as it is spelt."""
        with pytest.raises(error, match=message):
            build()


class TestResultDetails:
    def test_share_of_nothing_is_zero(self) -> None:
        """With no conversions at all, every share (and every record's share) is 0.0."""
        empty = _result({"a": 0.0}, total_conversions=0.0)
        assert {"share": 0.0, "records": [0.0]} == {
            "share": empty.share("a"),
            "records": [r["share"] for r in empty.to_records()],
        }

    def test_records_are_floats_unless_exact(self) -> None:
        """Value cells are floats by default and Decimals with exact=True."""
        result = linear(COUNTS)  # c1 and c2 share 90 EUR: 45 each
        assert {"default": (45.0, float), "exact": (Decimal("45.00"), Decimal)} == {
            "default": _typed(result.to_records()[0]["value"]),
            "exact": _typed(result.to_records(exact=True)[0]["value"]),
        }

    def test_records_of_names_without_value_or_effect(self) -> None:
        """A name without value gets no value nor currency; one without removal effect gets 0.0."""
        result = _result(
            {"a": 1.0, "b": 0.0},
            value_credits={"a": Money.of("5", "EUR")},
            total_value=Money.of("5", "EUR"),
            removal_effects={"a": 1.0},
            total_conversions=1.0,
        )
        assert [
            {"channel": "a", "value": 5.0, "currency": "EUR", "removal_effect": 1.0},
            {"channel": "b", "value": None, "currency": None, "removal_effect": 0.0},
        ] == [
            {k: r[k] for k in ("channel", "value", "currency", "removal_effect")}
            for r in result.to_records()
        ]

    def test_repr_shows_the_top_five_by_credit_then_name(self) -> None:
        """Six names, four tied at 1: the largest first, ties by name, the sixth left to '...'."""
        result = _result(
            {"d": 1.0, "c": 1.0, "b": 1.0, "a": 1.0, "e": 0.5, "f": 5.5}, total_conversions=10.0
        )
        assert "AttributionResult(m: 10 conversions; f=5.5, a=1, b=1, c=1, d=1, ...)" == repr(
            result
        )

    def test_repr_of_few_names(self) -> None:
        """Five names or fewer: all shown, no '...'."""
        assert "AttributionResult(m: 1 conversions; a=1)" == repr(ONE)

    def test_roll_up_without_value_keeps_the_parameters(self) -> None:
        """Rolling up a result without value gives no value credits and keeps its parameters."""
        result = _result({"c1": 1.0, "c2": 2.0}, parameters={"k": 2}, total_conversions=3.0)
        rolled = roll_up(result, {"c1": "ann", "c2": "ann"})
        assert {"credits": {"ann": 3.0}, "values": {}, "parameters": {"k": 2}, "total": None} == {
            "credits": dict(rolled.credits),
            "values": dict(rolled.value_credits),
            "parameters": dict(rolled.parameters),
            "total": rolled.total_value,
        }


class TestCompareDetails:
    def test_missing_channels_get_zero(self) -> None:
        """A channel a result lacks is 0.0 conversions and zero money there, None without value."""
        eur = Money.of("3", "EUR")
        a = _result({"a": 1.0}, value_credits={"a": eur}, total_value=eur, total_conversions=1.0)
        b = AttributionResult(
            model="n", credits={"b": 1.0}, value_credits={"b": eur}, total_value=eur,
            total_conversions=1.0,
        )  # fmt: skip
        c = AttributionResult(model="o", credits={"b": 1.0}, total_conversions=1.0)
        table = compare(a, b, c)
        assert {
            "credits": {"a": (1.0, 0.0, 0.0), "b": (0.0, 1.0, 1.0)},
            "values": {"a": (eur, Money.zero("EUR"), None), "b": (Money.zero("EUR"), eur, None)},
        } == {"credits": dict(table.credits), "values": dict(table.values)}

    def test_value_records_are_floats_unless_exact(self) -> None:
        """Value cells of the table are floats by default and Decimals with exact=True."""
        table = compare(first_touch(COUNTS), linear(COUNTS))
        assert {"default": (90.0, float), "exact": (Decimal("90.00"), Decimal)} == {
            "default": _typed(table.to_records(of="value")[0]["first_touch"]),
            "exact": _typed(table.to_records(exact=True, of="value")[0]["first_touch"]),
        }

    def test_frames_are_floats_unless_exact(self) -> None:
        """The value frame holds floats by default and Decimals with exact=True."""
        pytest.importorskip("pandas")
        table = compare(first_touch(COUNTS), linear(COUNTS))
        assert {"default": (90.0, float), "exact": (Decimal("90.00"), Decimal)} == {
            "default": _typed(table.to_frame(of="value")["first_touch"].tolist()[0]),
            "exact": _typed(table.to_frame(exact=True, of="value")["first_touch"].tolist()[0]),
        }

    def test_frame_backend_errors_name_the_method(self) -> None:
        """An unknown table library is refused by name of the method."""
        with pytest.raises(ValidationError, match=r"^Comparison\.to_frame backend must be one of"):
            compare(ONE).to_frame("excel")  # type: ignore[arg-type]

    def test_repr_and_html(self) -> None:
        """The repr lists the labels; the HTML captions the value table."""
        table = compare(first_touch(COUNTS), linear(COUNTS))
        assert {"repr": "Comparison(3 channels x first_touch, linear)", "caption": True} == {
            "repr": repr(table),
            "caption": "<b>value credited</b>" in table._repr_html_(),
        }
