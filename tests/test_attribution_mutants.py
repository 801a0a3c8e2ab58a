"""Attribution, sharpened: the Markov credit modes and time-decay value credits, by hand.

Each example is small enough to solve on paper, and chosen so that the three Markov
credit modes give three different value splits: a mode mixed up with another, or value
split like conversions, shows.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from salesmark import Money
from salesmark.attribution import Journey, PathCounts, markov, time_decay

T = datetime(2026, 3, 15, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def rounded(shares: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 9) for k, v in shares.items()}


# Two converting paths: (a) worth 30 and (a, b) worth 10. The chain goes start -> a;
# a -> conversion 1/2, a -> b 1/2; b -> conversion. Removing a converts nothing (effect
# 1); removing b leaves a's direct half (effect 1/2).
SHARED = PathCounts.from_tuples([(("a",), 1, 0, eur("30")), (("a", "b"), 1, 0, eur("10"))])
# Two separate paths: (a) converts once, worth 30; (b) converts once, worth 10, and once
# does not. P(conversion) = 1/3 + 2/3 * 1/2 = 2/3; removing either leaves 1/3: effects 1/2.
APART = PathCounts.from_tuples([(("a",), 1, 0, eur("30")), (("b",), 1, 1, eur("10"))])


class TestMarkovCreditModes:
    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_removal_share_splits_value_like_conversions(self, engine: str) -> None:
        """Effects 1 and 1/2 share 2 conversions 4/3 : 2/3 and 40 EUR 26.67 : 13.33."""
        result = markov(SHARED, credit="removal_share", engine=engine)  # type: ignore[arg-type]
        assert {
            "effects": {"a": 1.0, "b": 0.5},
            "credits": {"a": round(4 / 3, 9), "b": round(2 / 3, 9)},
            "values": {"a": eur("26.67"), "b": eur("13.33")},
        } == {
            "effects": rounded(dict(result.removal_effects)),
            "credits": rounded(dict(result.credits)),
            "values": dict(result.value_credits),
        }

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_value_weighted_splits_value_by_the_value_chain(self, engine: str) -> None:
        """Weighted by value, start -> a carries 40, a -> conversion 30, a -> b 10: effects 1 and 1/4 split 40 EUR 32 : 8."""
        result = markov(SHARED, credit="value_weighted", engine=engine)  # type: ignore[arg-type]
        assert {
            "credits": {"a": round(4 / 3, 9), "b": round(2 / 3, 9)},
            "values": {"a": eur("32.00"), "b": eur("8.00")},
        } == {
            "credits": rounded(dict(result.credits)),
            "values": dict(result.value_credits),
        }

    @pytest.mark.parametrize("engine", ["python", "numpy"])
    def test_per_journey_splits_each_path_by_its_touches_effects(self, engine: str) -> None:
        """(a) goes wholly to a; (a, b) splits 1 : 1/2, so a gets 1 + 2/3 and 30 + 6.67 EUR."""
        result = markov(SHARED, credit="per_journey", engine=engine)  # type: ignore[arg-type]
        assert {
            "credits": {"a": round(5 / 3, 9), "b": round(1 / 3, 9)},
            "values": {"a": eur("36.67"), "b": eur("3.33")},
        } == {
            "credits": rounded(dict(result.credits)),
            "values": dict(result.value_credits),
        }

    @pytest.mark.parametrize(
        ("credit", "values"),
        [("removal_share", ("20.00", "20.00")),
         ("value_weighted", ("30.00", "10.00")),
         ("per_journey", ("30.00", "10.00"))],
    )  # fmt: skip
    def test_equal_effects_split_value_by_mode(self, credit: str, values: tuple[str, str]) -> None:
        """Equal effects (1/2 each): shares split 40 EUR evenly, value-based modes 30 : 10."""
        result = markov(APART, credit=credit)  # type: ignore[arg-type]
        assert {
            "effects": {"a": 0.5, "b": 0.5},
            "credits": {"a": 1.0, "b": 1.0},
            "values": {"a": eur(values[0]), "b": eur(values[1])},
            "credit": credit,
        } == {
            "effects": rounded(dict(result.removal_effects)),
            "credits": rounded(dict(result.credits)),
            "values": dict(result.value_credits),
            "credit": result.parameters["credit"],
        }

    def test_an_unknown_mode_is_refused(self) -> None:
        """Only the three modes are known."""
        with pytest.raises(ValueError, match="markov credit"):
            markov(SHARED, credit="value")  # type: ignore[arg-type]


class TestTimeDecayValues:
    def _journeys(self) -> list[Journey]:
        return [
            # 7 days and 0 days before converting: weights 1/2 and 1, shares 1/3 and 2/3
            Journey(path=("ad", "email"), converted=True, times=(T - 7 * DAY, T), value=eur("90")),
            # 14, 7 and 0 days: weights 1/4, 1/2, 1 (sum 7/4); no value
            Journey(
                path=("ad", "email", "ad"),
                converted=True,
                times=(T - 14 * DAY, T - 7 * DAY, T),
            ),
            Journey(path=("email",), converted=False, times=(T,)),
        ]

    def test_value_follows_each_journeys_own_shares(self) -> None:
        """Credits 1/3 + 5/7 = 22/21 and 2/3 + 2/7 = 20/21; only the first journey's 90 EUR is split, 30 : 60."""
        result = time_decay(self._journeys())
        assert {
            "credits": {"ad": round(22 / 21, 9), "email": round(20 / 21, 9)},
            "values": {"ad": eur("30.00"), "email": eur("60.00")},
        } == {
            "credits": rounded(dict(result.credits)),
            "values": dict(result.value_credits),
        }

    def test_a_longer_half_life_flattens_the_value_split(self) -> None:
        """A 14-day half-life weighs the 7-day-old touch 2**-0.5: 90 EUR splits 37.28 : 52.72."""
        result = time_decay(self._journeys()[:1], half_life=14 * DAY)
        share = 2**-0.5 / (1 + 2**-0.5)  # 0.41421...
        assert {
            "credits": {"ad": round(share, 9), "email": round(1 - share, 9)},
            "values": {"ad": eur("37.28"), "email": eur("52.72")},
            "half_life": "14 days, 0:00:00",
        } == {
            "credits": rounded(dict(result.credits)),
            "values": dict(result.value_credits),
            "half_life": result.parameters["half_life"],
        }
