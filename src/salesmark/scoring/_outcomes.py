"""Private: which lifecycle stage counts as converting, and which leads reached it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from salesmark import _validators as v
from salesmark._time import instant
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


def closed(
    lead: Lead, lifecycle: Lifecycle, at: datetime | None = None
) -> tuple[bool, datetime] | None:
    """``(won, when)`` for a deal closed by ``at`` (any time when ``None``), else ``None``.

    A deal is won when it entered the last stage of the lifecycle's progression, and lost
    when, after reaching the stage before it (the opportunity), it moved off the
    progression (``lost`` in the demand waterfall, ``other`` in HubSpot's). A lifecycle
    whose progression has fewer than two stages closes no deal.
    """
    path = lifecycle.progression
    if len(path) < 2:
        return None
    moment = None if at is None else instant(at)
    won_at = lead.entered(path[-1])
    if won_at is not None and (moment is None or instant(won_at) <= moment):
        return True, won_at
    opened = lead.entered(path[-2])
    if opened is None:
        return None
    on_path = set(path)
    start = instant(opened)
    for change in lead.history:
        when = instant(change.at)
        if start <= when and (moment is None or when <= moment) and change.stage not in on_path:
            return False, change.at
    return None
