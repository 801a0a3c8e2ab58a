"""Tests of salesmark.attribution._mergeable: the fields, totals and repr every mergeable statistic shares."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from salesmark.attribution import (
    PathCounts,
    RuleCredits,
    markov_statistics,
    rule_credits,
)
from salesmark.attribution._mergeable import counts_map
from salesmark.errors import CurrencyMismatch, ValidationError, WrongType


class TestCountsMap:
    def test_a_mapping_of_tuple_keys_converts(self) -> None:
        """A mapping of tuple keys to exact counts comes back with the same items."""
        assert {("a",): 2, ("b",): Fraction(1, 2)} == dict(
            counts_map("F")({("a",): 2, ("b",): Fraction(1, 2)})
        )

    @pytest.mark.parametrize(
        ("value", "error", "message"),
        [
            ([1], WrongType, "F must be a Mapping, got [1]"),
            ({"a": 1}, ValidationError, "F keys must be tuples, got 'a'"),
            (
                {("a",): -1},
                ValidationError,
                "F[('a',)] must be a whole number or a Fraction >= 0, got -1",
            ),
        ],
    )
    def test_bad_values_name_the_field(
        self, value: object, error: type[Exception], message: str
    ) -> None:
        """Each refusal names the field (and the key) and the value."""
        with pytest.raises(error, match=f"^{re.escape(message)}$"):
            counts_map("F")(value)


class TestFields:
    def test_a_float_or_bool_count_is_refused(self) -> None:
        """Counts are whole numbers or Fractions, never floats or bools."""
        for bad in (1.5, True):
            with pytest.raises(
                ValidationError,
                match=rf"^RuleCredits\.conversions must be a whole number or a Fraction >= 0, got {bad}$",
            ):
                RuleCredits(model="linear", conversions=bad)

    def test_channels_must_be_names(self) -> None:
        """A lone string or a non-string item is refused, naming channels."""
        with pytest.raises(
            WrongType, match=r"^channels must be a sequence of channel names, got the string 'ab'$"
        ):
            RuleCredits(channels="ab")
        with pytest.raises(WrongType, match=r"^channels item must be a str, got 1$"):
            RuleCredits(channels=[1])


class TestTotals:
    def test_values_rescale_to_the_finest_exponent(self) -> None:
        """5 EUR (exponent 0) and 3.25 EUR (exponent -2) merge to 500 + 325 = 825 cents."""
        x = PathCounts.from_tuples([(("ad",), 1, 0, "5")], currency="EUR")
        y = PathCounts.from_tuples([(("ad", "b"), 1, 0, "3.25")], currency="EUR")
        merged = rule_credits(x, "linear") + rule_credits(y, "linear")
        assert (825, -2) == (merged.value, merged.exponent)
        # 5 units at 10**0 are 5 * 10**2 = 500 units at 10**-2
        assert (1, 500) == merged.sums["tokens"][(1, "ad")]
        assert rule_credits(x + y, "linear") == merged

    def test_fractions_that_add_to_a_whole_become_an_int(self) -> None:
        """1/2 + 1/2 conversions merge to the int 1."""
        half = rule_credits(PathCounts.from_tuples([(("ad",), 0.5, 0, None)]), "linear")
        assert int is type((half + half).conversions)

    def test_the_bound_counts_conversions_plus_nulls(self) -> None:
        """2**51 + 2**52 journeys a part: two parts hold 3 * 2**52 > 2**53 and are refused."""
        part = rule_credits(PathCounts.from_tuples([(("a",), 2**51, 2**52, None)]), "linear")
        with pytest.raises(
            ValidationError,
            match=r"^RuleCredits\.merge can merge at most 9,007,199,254,740,992 journeys in all, got 1\.35108e\+16$",
        ):
            part + part

    def test_exactly_the_bound_merges(self) -> None:
        """Two parts of 2**52 conversions hold exactly 2**53 journeys, which is allowed."""
        part = rule_credits(PathCounts.from_tuples([(("a",), 2**52, 0, None)]), "linear")
        assert 2**53 == (part + part).conversions

    def test_currencies_must_agree(self) -> None:
        """EUR and USD parts raise CurrencyMismatch naming the caller and the currencies."""
        eur = PathCounts.from_tuples([(("ad",), 1, 0, "5")], currency="EUR")
        usd = PathCounts.from_tuples([(("ad",), 1, 0, "5")], currency="USD")
        with pytest.raises(
            CurrencyMismatch,
            match=r"^RuleCredits\.merge parts must share one currency, got \['EUR', 'USD'\]$",
        ):
            rule_credits(eur, "linear") + rule_credits(usd, "linear")
        with pytest.raises(
            CurrencyMismatch,
            match=r"^MarkovStatistics\.merge parts must share one currency, got \['EUR', 'USD'\]$",
        ):
            markov_statistics(eur) + markov_statistics(usd)


class TestRepr:
    def test_whole_and_fractional_counts(self) -> None:
        """Whole counts show in full, fractions as short decimals, value with its currency."""
        big = rule_credits(PathCounts.from_tuples([(("ad",), 1234567, 0, None)]), "linear")
        assert "RuleCredits(linear: 1 channels, 1234567 conversions, 0 nulls)" == repr(big)
        part = PathCounts.from_tuples([(("ad",), 0.75, 0.5, "2.5")], currency="EUR")
        assert (
            "RuleCredits(linear: 1 channels, 0.75 conversions, 0.5 nulls, value 2.5 EUR)"
            == repr(rule_credits(part, "linear"))
        )

    def test_markov_states_are_starts_and_ends(self) -> None:
        """a -> b starts in a and ends in b: 2 states."""
        stats = markov_statistics(PathCounts.from_tuples([(("a", "b"), 1, 0, None)]))
        assert (
            "MarkovStatistics(order=1, collapse: 2 channels, 1 conversions, 0 nulls; 2 states, 1 transitions)"
            == repr(stats)
        )
