"""Specification of ordered (order-aware) Shapley attribution."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import ValidationError
from salesmark.attribution import PathCounts, ordered_shapley, shapley

channel_paths = st.lists(st.sampled_from("abcde"), min_size=1, max_size=6).map(tuple)
path_rows = st.lists(
    st.tuples(channel_paths, st.integers(0, 20), st.integers(0, 20), st.none()),
    min_size=1,
    max_size=12,
).filter(lambda rows: any(conv for _, conv, _, _ in rows))


class TestOrderedShapley:
    def test_hand_worked(self) -> None:
        """Path ad > email > ad with 2 conversions: ad's half splits over positions 1 and 3."""
        result = ordered_shapley(PathCounts.from_tuples([(("ad", "email", "ad"), 2, 5, None)]))
        expected = [("ad", 1, 0.5), ("ad", 3, 0.5), ("email", 2, 1.0)]
        assert expected == [(r.channel, r.position, r.conversions) for r in result.rows]
        assert {1: 0.5, 2: 1.0, 3: 0.5} == result.by_position()
        assert (
            "PositionCredits(ordered_shapley: 2 conversions over 2 channels and 3 channel positions)"
            == repr(result)
        )

    @given(path_rows)
    def test_positions_sum_to_plain_shapley(self, rows: list) -> None:  # type: ignore[type-arg]
        """Summed over positions, each channel's credit is its Shapley value; all sum to the conversions."""
        counts = PathCounts.from_tuples(rows)
        ordered = ordered_shapley(counts)
        plain = shapley(counts)
        for channel, credit in ordered.by_channel().items():
            assert math.isclose(plain.credits[channel], credit, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(
            counts.total_conversions, math.fsum(r.conversions for r in ordered.rows), rel_tol=1e-9
        )
        assert all(r.conversions >= 0 for r in ordered.rows)

    def test_records(self) -> None:
        """to_records gives one plain dict per channel and position."""
        result = ordered_shapley(PathCounts.from_tuples([(("ad", "email"), 1, 0, None)]))
        assert [
            {"channel": "ad", "position": 1, "conversions": 0.5},
            {"channel": "email", "position": 2, "conversions": 0.5},
        ] == result.to_records()

    def test_bad_input(self) -> None:
        """Something that is not paths or journeys is refused."""
        with pytest.raises(ValidationError):
            ordered_shapley("ad > email")  # type: ignore[arg-type]
