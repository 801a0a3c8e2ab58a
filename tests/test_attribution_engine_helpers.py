"""Tests of the shared model plumbing (``attribution._engine``) through the public models."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from salesmark import Money, ValidationError, WrongType
from salesmark.attribution import Journey, Milestones, PathCounts, linear, time_decay, w_shaped

T = datetime(2026, 5, 4, tzinfo=timezone.utc)


def journey(path: tuple[str, ...], value: int | None, **marks: int) -> Journey:
    """A converted journey whose touches all happened at T, with milestone ``marks``."""
    return Journey(
        path=path,
        converted=True,
        value=None if value is None else Money.of(value, "EUR"),
        times=(T,) * len(path),
        converted_at=T,
        milestones=Milestones(**marks),
    )


class TestCollectedJourneys:
    def test_equal_journeys_add_their_conversions_and_values(self) -> None:
        """Two ("a",) journeys of 100 and 50 EUR and one ("b",) of 50: a earns 150, b 50 of 200 EUR."""
        # the milestone models group equal (path, marks) rows: a's row is 2 conversions, 150 EUR
        result = w_shaped(
            [
                journey(("a",), 100, lead_created=0),
                journey(("a",), 50, lead_created=0),
                journey(("b",), 50, lead_created=0),
            ]
        )
        assert (
            {"a": 2.0, "b": 1.0},
            {"a": Money.of(150, "EUR"), "b": Money.of(50, "EUR")},
            3,
            Money.of(200, "EUR"),
        ) == (
            dict(result.credits),
            dict(result.value_credits),
            result.total_conversions,
            result.total_value,
        )

    def test_value_is_shared_by_the_touch_shares(self) -> None:
        """W-shaped on (a, b, c) with all three milestones met: 1/3 of 100 EUR each; (d,) all of its 100."""
        result = w_shaped(
            [
                journey(("a", "b", "c"), 100, lead_created=1, opportunity_created=2),
                journey(("d",), 100),
            ]
        )
        # first, lead creation and opportunity each weigh 0.3 of 0.9: shares 1/3; 100 EUR
        # is split 33.34 + 33.33 + 33.33 (the odd cent to the first), d keeps 100 EUR
        assert {
            "a": Money.of("33.34", "EUR"),
            "b": Money.of("33.33", "EUR"),
            "c": Money.of("33.33", "EUR"),
            "d": Money.of(100, "EUR"),
        } == dict(result.value_credits)

    def test_journeys_without_value_count_without_value(self) -> None:
        """A journey without a value adds a conversion, not a value: 2 conversions, 30 EUR."""
        result = time_decay([journey(("a",), None), journey(("b",), 30)])
        assert ({"a": 1.0, "b": 1.0}, Money.of(30, "EUR"), {"b": Money.of(30, "EUR")}) == (
            dict(result.credits),
            result.total_value,
            {c: m for c, m in result.value_credits.items() if m.amount},
        )


class TestPlumbingMessages:
    def test_time_decay_refuses_path_counts(self) -> None:
        """time_decay needs journey times: PathCounts is refused with the way out."""
        with pytest.raises(
            ValidationError,
            match=r"^time_decay needs journeys \(with touch times or milestones\), got PathCounts; "
            r"pass the Journey objects instead$",
        ):
            time_decay(PathCounts.from_tuples([(("a",), 1, 0, None)]))  # type: ignore[arg-type]

    def test_a_milestone_model_names_itself_for_a_bad_journey(self) -> None:
        """W-shaped weighs milestones, so it reads journeys; a non-journey is named by index."""
        with pytest.raises(WrongType, match=r"^w_shaped paths\[0\] must be a Journey, got 5$"):
            w_shaped([5])  # type: ignore[list-item]

    @pytest.mark.parametrize("bad", ["a > b", b"a", {"a": 1}, 5])
    def test_paths_must_be_counts_or_journeys(self, bad: object) -> None:
        """A string, bytes, a mapping or a number is not a collection of journeys."""
        with pytest.raises(
            WrongType,
            match=rf"^paths must be PathCounts or an iterable of Journey, got {bad!r}$".replace(
                "{", r"\{"
            ).replace("}", r"\}"),
        ):
            linear(bad)  # type: ignore[arg-type]
