"""Tests for salesmark.attribution.presets: each vendor's published rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from salesmark.attribution import AttributionResult, Journey, Milestones, presets

# First touch, blog, form fill (lead created), call, demo (opportunity created), contract (won).
J = Journey(
    path=("ad", "blog", "form", "call", "demo", "contract"),
    converted=True,
    milestones=Milestones(lead_created=2, opportunity_created=4, closed_won=5),
)


def credit_of(model: Callable[[list[Journey]], AttributionResult]) -> dict[str, float]:
    return {k: round(v, 9) for k, v in model([J]).credits.items()}


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            presets.google_ads.position_based,
            {"ad": 0.4, "blog": 0.05, "call": 0.05, "contract": 0.4, "demo": 0.05, "form": 0.05},
        ),
        (
            presets.hubspot.u_shaped,
            {"ad": 0.4, "blog": 0.2, "call": 0.0, "contract": 0.0, "demo": 0.0, "form": 0.4},
        ),
        (
            presets.hubspot.w_shaped,
            {"ad": 0.3, "blog": 0.05, "call": 0.05, "contract": 0.0, "demo": 0.3, "form": 0.3},
        ),
        (
            presets.hubspot.full_path,
            {
                "ad": 0.225,
                "blog": 0.05,
                "call": 0.05,
                "contract": 0.225,
                "demo": 0.225,
                "form": 0.225,
            },
        ),
        (
            presets.hubspot.j_shaped,
            {"ad": 0.2, "blog": 0.05, "call": 0.05, "contract": 0.6, "demo": 0.05, "form": 0.05},
        ),
        (
            presets.hubspot.inverse_j,
            {"ad": 0.6, "blog": 0.05, "call": 0.05, "contract": 0.2, "demo": 0.05, "form": 0.05},
        ),
        (
            presets.marketo_measure.first_touch,
            {"ad": 1.0, "blog": 0.0, "call": 0.0, "contract": 0.0, "demo": 0.0, "form": 0.0},
        ),
        (
            presets.marketo_measure.lead_creation,
            {"ad": 0.0, "blog": 0.0, "call": 0.0, "contract": 0.0, "demo": 0.0, "form": 1.0},
        ),
        (
            presets.marketo_measure.u_shaped,
            {"ad": 0.5, "blog": 0.0, "call": 0.0, "contract": 0.0, "demo": 0.0, "form": 0.5},
        ),
        (
            presets.marketo_measure.w_shaped,
            {"ad": 0.3, "blog": 0.05, "call": 0.05, "contract": 0.0, "demo": 0.3, "form": 0.3},
        ),
        (
            presets.marketo_measure.full_path,
            {
                "ad": 0.225,
                "blog": 0.05,
                "call": 0.05,
                "contract": 0.225,
                "demo": 0.225,
                "form": 0.225,
            },
        ),
        (
            presets.salesforce.first_touch,
            {"ad": 1.0, "blog": 0.0, "call": 0.0, "contract": 0.0, "demo": 0.0, "form": 0.0},
        ),
        (
            presets.salesforce.last_touch,
            {"ad": 0.0, "blog": 0.0, "call": 0.0, "contract": 1.0, "demo": 0.0, "form": 0.0},
        ),
        (
            presets.salesforce.even_distribution,
            dict.fromkeys(["ad", "blog", "call", "contract", "demo", "form"], round(1 / 6, 9)),
        ),
        (
            presets.salesforce.position_based,
            {"ad": 0.4, "blog": 0.05, "call": 0.05, "contract": 0.4, "demo": 0.05, "form": 0.05},
        ),
    ],
)
def test_vendor_rules(
    model: Callable[[list[Journey]], AttributionResult], expected: dict[str, float]
) -> None:
    """Each preset reproduces its vendor's published split on a six-touch journey."""
    assert expected == credit_of(model)


class TestUShapedDisagreement:
    def test_three_vendors_three_answers(self) -> None:
        """'U-shaped' means three different rules at Google, HubSpot and Marketo Measure."""
        answers = {
            credit_of(presets.google_ads.position_based)["ad"],
            credit_of(presets.hubspot.u_shaped)["blog"],
            credit_of(presets.marketo_measure.u_shaped)["form"],
        }
        assert {0.4, 0.2, 0.5} == answers


class TestGoogleTimeDecay:
    def test_seven_day_half_life(self) -> None:
        """Google's time decay halves weight every 7 days."""
        t = datetime(2026, 1, 8, tzinfo=timezone.utc)
        j = Journey(path=("a", "b"), converted=True, times=(t - timedelta(days=7), t))
        result = presets.google_ads.time_decay([j])
        assert ("google_ads.time_decay", pytest.approx({"a": 1 / 3, "b": 2 / 3})) == (
            result.model,
            dict(result.credits),
        )
