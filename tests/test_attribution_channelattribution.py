"""Specification of the ChannelAttribution migration: which ``credit=`` gives which output.

ChannelAttribution's ``markov_model`` reads a table of paths (``"c1 > c2"``) with
``total_conversions``, ``total_conversion_value`` and ``total_null``, and returns per
channel ``total_conversions`` and ``total_conversion_value``. Both are a removal-effect
share of a total:

- ``total_conversions`` = RE(c) / sum of RE x total conversions, where RE(c) is the
  share of the probability of converting lost when ``c`` sends every walker to null;
- ``total_conversion_value`` = REv(c) / sum of REv x total value, where REv(c) is the
  same on the expected value of a walk, a conversion from state ``s`` being worth the
  mean value of the conversions whose path ended in ``s``.

The example is small enough to solve on paper; the removal effects below are worked
by hand in the comments, as exact fractions, and the two formulas are applied to them.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

import pytest

from salesmark.attribution import MarkovChain, PathCounts, first_touch, last_touch, linear, markov

# ChannelAttribution's input format: one row per distinct path.
ROWS = [
    {"path": "c1 > c2", "total_conversions": 1, "total_conversion_value": 100, "total_null": 1},
    {"path": "c2", "total_conversions": 1, "total_conversion_value": 50, "total_null": 1},
    {"path": "c1 > c3", "total_conversions": 1, "total_conversion_value": 30, "total_null": 2},
]
TOTAL_CONVERSIONS = 3  # 1 + 1 + 1
TOTAL_VALUE = 180  # 100 + 50 + 30

# The chain, each path weighted by its conversions plus nulls (2, 2 and 3 walkers):
#   (start) -> c1: 2 + 3 = 5 of 7;  (start) -> c2: 2 of 7
#   c1 -> c2: 2 of 5;  c1 -> c3: 3 of 5
#   c2 -> conversion: 2 of 4 (1 + 1 of the walkers ending in c2); c2 -> null: 2 of 4
#   c3 -> conversion: 1 of 3;  c3 -> null: 2 of 3
#
# P(conversion): from c2 1/2, from c3 1/3, from c1 2/5 * 1/2 + 3/5 * 1/3 = 2/5,
#   from the start 5/7 * 2/5 + 2/7 * 1/2 = 3/7.
# Without c1: 2/7 * 1/2 = 1/7               -> RE(c1) = 1 - (1/7) / (3/7) = 2/3
# Without c2: 5/7 * (3/5 * 1/3) = 1/7       -> RE(c2) = 2/3
# Without c3: 5/7 * (2/5 * 1/2) + 1/7 = 2/7 -> RE(c3) = 1 - (2/7) / (3/7) = 1/3
REMOVAL_EFFECTS = {"c1": Fraction(2, 3), "c2": Fraction(2, 3), "c3": Fraction(1, 3)}

# Expected value: a conversion from c2 is worth (100 + 50) / 2 = 75, from c3 30 / 1 = 30.
#   from c2 1/2 * 75 = 75/2, from c3 1/3 * 30 = 10, from c1 2/5 * 75/2 + 3/5 * 10 = 21,
#   from the start 5/7 * 21 + 2/7 * 75/2 = 180/7.
# Without c1: 2/7 * 75/2 = 75/7           -> REv(c1) = 1 - 75/180 = 7/12
# Without c2: 5/7 * (3/5 * 10) = 30/7     -> REv(c2) = 1 - 30/180 = 5/6
# Without c3: 5/7 * 15 + 75/7 = 150/7     -> REv(c3) = 1 - 150/180 = 1/6
VALUE_REMOVAL_EFFECTS = {"c1": Fraction(7, 12), "c2": Fraction(5, 6), "c3": Fraction(1, 6)}


def _shares(effects: dict[str, Fraction], total: int) -> dict[str, Fraction]:
    """ChannelAttribution's credit: each removal effect's share of their sum, of the total."""
    whole = sum(effects.values())
    return {channel: effect / whole * total for channel, effect in effects.items()}


# total_conversions: 2/3 / (5/3) * 3 = 6/5 for c1 and c2, 1/3 / (5/3) * 3 = 3/5 for c3.
CA_TOTAL_CONVERSIONS = _shares(REMOVAL_EFFECTS, TOTAL_CONVERSIONS)
# total_conversion_value: the effects sum to 19/12, so 7/19, 10/19 and 2/19 of 180:
# 66.3158, 94.7368 and 18.9474.
CA_TOTAL_CONVERSION_VALUE = _shares(VALUE_REMOVAL_EFFECTS, TOTAL_VALUE)


@pytest.fixture
def data() -> PathCounts:
    return PathCounts.from_records(ROWS, currency="EUR")


class TestTheHandWorkedExample:
    def test_the_formulas_give_the_worked_figures(self) -> None:
        """The hand-worked credits are 6/5, 6/5, 3/5 conversions and 7/19, 10/19, 2/19 of the value."""
        assert {"c1": Fraction(6, 5), "c2": Fraction(6, 5), "c3": Fraction(3, 5)} == (
            CA_TOTAL_CONVERSIONS
        )
        assert {
            "c1": Fraction(1260, 19),
            "c2": Fraction(1800, 19),
            "c3": Fraction(360, 19),
        } == CA_TOTAL_CONVERSION_VALUE

    def test_the_chain_has_the_worked_removal_effects(self, data: PathCounts) -> None:
        """The fitted chain's conversion and value removal effects are the hand-worked fractions."""
        chain = MarkovChain.fit(data)
        assert pytest.approx(float(Fraction(3, 7)), rel=1e-12) == chain.conversion_probability
        assert {c: pytest.approx(float(e), rel=1e-12) for c, e in REMOVAL_EFFECTS.items()} == dict(
            chain.removal_effects
        )
        assert {
            c: pytest.approx(float(e), rel=1e-12) for c, e in VALUE_REMOVAL_EFFECTS.items()
        } == dict(chain.value_removal_effects)


class TestTotalConversions:
    @pytest.mark.parametrize("credit", ["removal_share", "value_weighted"])
    def test_removal_share_credits_are_total_conversions(
        self, data: PathCounts, credit: Literal["removal_share", "value_weighted"]
    ) -> None:
        """``credit="removal_share"`` (the default) and ``"value_weighted"`` both give ChannelAttribution's total_conversions."""
        result = markov(data, credit=credit)
        assert {
            c: pytest.approx(float(x), rel=1e-12) for c, x in CA_TOTAL_CONVERSIONS.items()
        } == dict(result.credits)

    def test_the_removal_effects_are_out_mores_removal_effects_conversion(
        self, data: PathCounts
    ) -> None:
        """A Markov result's removal effects are ChannelAttribution's removal_effects_conversion."""
        assert {c: pytest.approx(float(e), rel=1e-12) for c, e in REMOVAL_EFFECTS.items()} == dict(
            markov(data).removal_effects
        )


class TestTotalConversionValue:
    def test_value_weighted_credits_are_total_conversion_value(self, data: PathCounts) -> None:
        """``credit="value_weighted"`` gives ChannelAttribution's total_conversion_value, to the cent."""
        result = markov(data, credit="value_weighted")
        # 66.3158 -> 66.31 (so the cents add up to 180.00), 94.7368 -> 94.74, 18.9474 -> 18.95
        assert {"c1": Decimal("66.31"), "c2": Decimal("94.74"), "c3": Decimal("18.95")} == {
            c: m.amount for c, m in result.value_credits.items()
        }
        assert {
            c: pytest.approx(float(x), abs=0.01) for c, x in CA_TOTAL_CONVERSION_VALUE.items()
        } == {c: float(m.amount) for c, m in result.value_credits.items()}

    def test_the_default_splits_value_like_conversions_instead(self, data: PathCounts) -> None:
        """The default ``removal_share`` splits the value by conversion credit (2/5, 2/5, 1/5 of 180), not ChannelAttribution's way."""
        result = markov(data)
        assert {"c1": Decimal("72.00"), "c2": Decimal("72.00"), "c3": Decimal("36.00")} == {
            c: m.amount for c, m in result.value_credits.items()
        }


class TestPathFormat:
    def test_repeats_collapse_as_channelattribution_does(self, data: PathCounts) -> None:
        """A path written ``c1 > c1 > c2`` reads as ``c1 > c2``: the same credits, conversions and value."""
        repeated = [{**ROWS[0], "path": "c1 > c1 > c2"}, *ROWS[1:]]
        again = markov(PathCounts.from_records(repeated, currency="EUR"), credit="value_weighted")
        expected = markov(data, credit="value_weighted")
        assert {"credits": dict(expected.credits), "value": dict(expected.value_credits)} == {
            "credits": dict(again.credits),
            "value": dict(again.value_credits),
        }


class TestHeuristicModels:
    def test_first_last_and_linear_touch_split_as_heuristic_models_does(self) -> None:
        """first_touch, last_touch and linear give heuristic_models' conversions and values, repeats counted as touches."""
        rows = [
            {"path": "c1 > c1 > c2", "total_conversions": 1, "total_conversion_value": 100, "total_null": 1},
            {"path": "c2", "total_conversions": 1, "total_conversion_value": 50, "total_null": 1},
            {"path": "c1 > c3 > c1", "total_conversions": 1, "total_conversion_value": 30, "total_null": 2},
        ]  # fmt: skip
        data = PathCounts.from_records(rows, currency="EUR")
        # first touch: c1 opens paths 1 and 3 (100 + 30), c2 path 2 (50)
        # last touch: c2 closes paths 1 and 2 (100 + 50), c1 path 3 (30)
        # linear: each touch of a path gets an equal share, so c1 has 2/3 of paths 1 and 3
        #   (2/3 * 100 + 2/3 * 30 = 86.67), c2 1/3 of path 1 and all of path 2 (33.33 + 50),
        #   c3 1/3 of path 3 (10)
        expected: dict[str, object] = {
            "first_touch": ({"c1": 2.0, "c2": 1.0, "c3": 0.0}, {"c1": "130.00", "c2": "50.00", "c3": "0.00"}),
            "last_touch": ({"c1": 1.0, "c2": 2.0, "c3": 0.0}, {"c1": "30.00", "c2": "150.00", "c3": "0.00"}),
            "linear": ({"c1": 4 / 3, "c2": 4 / 3, "c3": 1 / 3}, {"c1": "86.67", "c2": "83.33", "c3": "10.00"}),
        }  # fmt: skip
        assert expected == {
            model.__name__: (
                {c: pytest.approx(x) for c, x in model(data).credits.items()},
                {c: str(m.amount) for c, m in model(data).value_credits.items()},
            )
            for model in (first_touch, last_touch, linear)
        }
