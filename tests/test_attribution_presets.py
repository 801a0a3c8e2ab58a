"""Tests for salesmark.attribution.presets: each vendor's published rule, as Preset data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings

from salesmark import ValidationError, structure, unstructure
from salesmark.attribution import (
    AttributionResult,
    Journey,
    Milestones,
    MilestoneWeights,
    PathCounts,
    linear,
    milestones,
    presets,
)
from salesmark.attribution.presets import PRESETS, Preset
from salesmark.testing.strategies import journey_lists
from salesmark.testing.strategies import presets as any_presets

VENDORS = {
    "google_ads": presets.google_ads,
    "hubspot": presets.hubspot,
    "marketo_measure": presets.marketo_measure,
    "salesforce": presets.salesforce,
}

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


class TestPreset:
    def test_attribute_and_call_agree(self) -> None:
        """Calling a preset is running its attribute method."""
        preset = presets.hubspot.w_shaped
        assert preset.attribute([J]) == preset([J])

    def test_result_is_labelled_vendor_dot_name(self) -> None:
        """The result carries the preset's label and the weights as parameters."""
        result = presets.marketo_measure.u_shaped([J])
        assert {
            "model": "marketo_measure.u_shaped",
            "parameters": {"first": 0.5, "lead_created": 0.5},
        } == {
            "model": result.model,
            "parameters": dict(result.parameters),
        }

    def test_even_distribution_is_linear_renamed(self) -> None:
        """Salesforce's even distribution is salesmark's linear model under Salesforce's name."""
        counts = PathCounts.from_tuples([(("a", "b", "c"), 2, 1, "90")], currency="EUR")
        expected = linear(counts)
        result = presets.salesforce.even_distribution(counts)
        assert "salesforce.even_distribution" == result.model
        assert (expected.credits, expected.value_credits) == (result.credits, result.value_credits)

    def test_time_decay_refuses_path_counts(self) -> None:
        """A time-decay preset needs journeys with touch times, and says so under its label."""
        with pytest.raises(ValidationError, match="google_ads.time_decay needs journeys"):
            presets.google_ads.time_decay(PathCounts.from_tuples([(("a",), 1, 0, None)]))

    def test_milestone_preset_refuses_path_counts(self) -> None:
        """A preset that weighs a milestone needs journeys with milestones."""
        with pytest.raises(ValidationError, match="hubspot.u_shaped weighs funnel milestones"):
            presets.hubspot.u_shaped(PathCounts.from_tuples([(("a",), 1, 0, None)]))

    def test_repr(self) -> None:
        """The repr is one line: the label and the rule."""
        assert {
            "hubspot.u_shaped": "Preset(hubspot.u_shaped: first=0.4, lead_created=0.4, between=0.2)",
            "google_ads.time_decay": "Preset(google_ads.time_decay: time_decay, half_life=7 days, 0:00:00)",
            "salesforce.even_distribution": "Preset(salesforce.even_distribution: linear)",
        } == {
            label: repr(PRESETS[label])
            for label in (
                "hubspot.u_shaped",
                "google_ads.time_decay",
                "salesforce.even_distribution",
            )
        }

    def test_your_own_preset(self) -> None:
        """A team can write its own rule down as a preset and run it like the vendors'."""
        ours = Preset(
            vendor="acme",
            name="handover",
            title="Handover",
            source="Acme revenue policy",
            weights=MilestoneWeights(lead_created=1, opportunity_created=1),
        )
        assert ("acme.handover", {"demo": 0.5, "form": 0.5}) == (
            ours([J]).model,
            {k: c for k, c in ours([J]).credits.items() if c},
        )

    @pytest.mark.parametrize(
        ("fields", "match"),
        [
            ({"model": "shapley"}, "Preset.model must be one of"),
            ({}, "needs weights"),
            ({"model": "linear", "weights": milestones.FIRST_TOUCH}, "takes no weights"),
            ({"model": "time_decay"}, "needs half_life"),
            (
                {"weights": milestones.FIRST_TOUCH, "half_life": timedelta(days=1)},
                "takes no half_life",
            ),
            ({"model": "time_decay", "half_life": timedelta(0)}, "half_life must be a positive"),
            ({"weights": {"first": 1}}, "Preset.weights must be a MilestoneWeights"),
            (
                {"weights": milestones.FIRST_TOUCH, "source": " "},
                "Preset.source must be a non-empty",
            ),
        ],
    )
    def test_bad_preset(self, fields: dict[str, object], match: str) -> None:
        """A preset whose rule does not match its model, or with a blank field, is refused."""
        base: dict[str, object] = {"vendor": "acme", "name": "x", "title": "X", "source": "policy"}
        with pytest.raises(ValidationError, match=match):
            Preset(**{**base, **fields})  # type: ignore[arg-type]


class TestPresetRegistry:
    def test_every_vendor_preset_is_registered_once(self) -> None:
        """PRESETS holds each vendor module's presets, once each, keyed by vendor.name."""
        found = {
            f"{vendor}.{name}": getattr(module, name)
            for vendor, module in VENDORS.items()
            for name in module.__all__
            if isinstance(getattr(module, name), Preset)
        }
        assert found == dict(PRESETS)
        assert sorted(PRESETS) == list(PRESETS)

    @pytest.mark.parametrize("label", sorted(PRESETS))
    def test_preset_data_matches_where_it_lives(self, label: str) -> None:
        """A preset's vendor and name are its module and attribute; it cites a source."""
        preset = PRESETS[label]
        module = VENDORS[preset.vendor]
        assert {"attribute": preset, "label": label, "cites": True} == {
            "attribute": getattr(module, preset.name),
            "label": preset.label,
            "cites": bool(preset.source.strip() and preset.title.strip()),
        }

    def test_shared_shapes_are_shared(self) -> None:
        """Vendors that publish the same split bind the one named shape."""
        assert {
            "w_shaped": True,
            "full_path": True,
            "position_based": True,
            "first_touch": True,
        } == {
            "w_shaped": presets.hubspot.w_shaped.weights
            is presets.marketo_measure.w_shaped.weights
            is milestones.W_SHAPED,
            "full_path": presets.hubspot.full_path.weights
            is presets.marketo_measure.full_path.weights
            is milestones.FULL_PATH,
            "position_based": presets.google_ads.position_based.weights
            is presets.salesforce.position_based.weights
            is presets.google_ads.POSITION_BASED,
            "first_touch": presets.marketo_measure.first_touch.weights
            is presets.salesforce.first_touch.weights
            is milestones.FIRST_TOUCH,
        }


class TestPresetData:
    @settings(max_examples=30, deadline=None)
    @given(any_presets())
    def test_round_trip(self, preset: Preset) -> None:
        """A preset is plain data: it survives the trip through JSON unchanged."""
        data = json.loads(json.dumps(unstructure(preset)))
        assert preset == structure(data, Preset)

    @settings(max_examples=30, deadline=None)
    @given(any_presets(), journey_lists())
    def test_credit_is_conserved(self, preset: Preset, journeys: list[Journey]) -> None:
        """Any preset shares each conversion in full and reports its label as the model."""
        result = preset(journeys)
        assert preset.label == result.model
        assert pytest.approx(sum(j.converted for j in journeys), abs=1e-9) == sum(
            result.credits.values()
        )


class TestOwnTimeDecay:
    def test_own_half_life_is_used(self) -> None:
        """A time-decay preset runs with its own half-life, not time_decay's 7-day default."""
        ours = Preset(
            vendor="acme",
            name="fast_decay",
            title="Fast decay",
            source="Acme revenue policy",
            model="time_decay",
            half_life=timedelta(days=1),
        )
        t = datetime(2026, 1, 8, tzinfo=timezone.utc)
        j = Journey(path=("a", "b"), converted=True, times=(t - timedelta(days=1), t))
        result = ours([j])
        # One day old at a one-day half-life: a weighs 2**-1 = 0.5, b weighs 2**0 = 1;
        # shares 0.5 / 1.5 = 1/3 and 1 / 1.5 = 2/3 (a 7-day half-life would give a 0.48).
        assert (
            "acme.fast_decay",
            {"half_life": "1 day, 0:00:00"},
            pytest.approx({"a": 1 / 3, "b": 2 / 3}),
        ) == (result.model, dict(result.parameters), dict(result.credits))
