"""Private: which lifecycle stage counts as converting, and which leads reached it."""

from __future__ import annotations

from collections.abc import Sequence

from salesmark import _validators as v
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle, stage_name


def outcome_stage(lifecycle: Lifecycle, outcome: str | None, caller: str) -> str:
    """The outcome stage: ``outcome`` checked against ``lifecycle``, or its won stage."""
    v.require(lifecycle, Lifecycle, f"{caller} lifecycle")
    if outcome is None:
        return lifecycle.progression[-1] if lifecycle.progression else lifecycle.initial
    name = stage_name(outcome)
    if not lifecycle.has_stage(name):
        msg = (
            f"{caller} outcome {name!r} is not a stage of lifecycle {lifecycle.name!r}; "
            f"stages are {list(lifecycle.stage_names)}"
        )
        raise ValidationError(msg)
    return name


def reached(leads: Sequence[Lead], stage: str) -> list[bool]:
    """For each lead, whether it reached ``stage``."""
    return [lead.has_reached(stage) for lead in leads]
