"""Tests for salesmark.scoring.contributions: the dimensions of a score and what a rule adds."""

from __future__ import annotations

import attrs
import pytest

from salesmark.scoring import Contribution, Dimension


class TestDimension:
    def test_values(self) -> None:
        """The two dimensions are stored by their lower-case names."""
        assert ["fit", "engagement"] == [d.value for d in Dimension]


class TestContribution:
    def test_a_fit_contribution_counts_one_hit(self) -> None:
        """A contribution counts one hit unless told otherwise."""
        c = Contribution(rule_id="role=cfo", dimension=Dimension.FIT, points=20)
        assert {
            "rule_id": "role=cfo",
            "dimension": Dimension.FIT,
            "points": 20,
            "hits": 1,
            "not_evaluated": None,
        } == attrs.asdict(c)

    def test_is_immutable(self) -> None:
        """A contribution cannot be changed after the fact."""
        c = Contribution(rule_id="w", dimension=Dimension.ENGAGEMENT, points=2.0, hits=2)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            c.points = 3.0  # type: ignore[misc]
