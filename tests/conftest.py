"""Test configuration: one hypothesis profile for a slow, shared machine, loaded always."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,  # CI machines are shared and noisy; speed is measured in benchmarks/
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")
