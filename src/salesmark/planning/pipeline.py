"""The weighted pipeline as of an instant: every open deal's value times its stage probability.

:func:`weighted_pipeline` reads the state of the company as of ``as_of`` (each lead's
latest stage entry strictly before it), takes every open deal whose value is known
(from the first deal stage of the progression on, see
:func:`~salesmark.planning.forecast`) and weights its value by the probability of its
stage: the lifecycle's configured one (:attr:`~salesmark.lifecycle.StageDefinition.probability`,
as a CRM does) or the company's own measured one
(:func:`~salesmark.planning.stage_probabilities`). The sums come by stage, owner,
source channel, campaign and expected close month.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark._time import require_aware
from salesmark.errors import UnknownReference, ValidationError
from salesmark.money import Money
from salesmark.organisation import Organisation
from salesmark.planning._common import check_level, check_org, rounded
from salesmark.planning._history import Cut, OpenLead, expected_closes
from salesmark.planning.probabilities import measure

__all__ = ["PipelineLine", "WeightedPipeline", "weighted_pipeline"]

Basis = Literal["configured", "measured"]
DIMENSIONS = ("stage", "owner", "source", "campaign", "close_month")
"""The groupings of a weighted pipeline, in the order its lines list them."""


@attrs.frozen(kw_only=True)
class PipelineLine:
    """The open deals of one group (one stage, owner, source, campaign or close month).

    Attributes:
        dimension: ``"stage"``, ``"owner"``, ``"source"``, ``"campaign"`` or ``"close_month"``.
        key: The group, e.g. ``"opportunity"`` or ``"2026-07"``; ``None`` when unknown
            (no owner, no source, no campaign, or no winner ever stayed so long in the stage).
        deals: How many open deals it holds.
        value: Their summed value.
        weighted: Σ value x probability, exactly, rounded once to the minor unit.
        lead_ids: The deals, sorted.
    """

    dimension: str = attrs.field(validator=v.non_empty_text)
    key: str | None = attrs.field(validator=v.optional_instance_of(str))
    deals: int = attrs.field(validator=v.whole())
    value: Money = attrs.field(validator=v.instance_of(Money))
    weighted: Money = attrs.field(validator=v.instance_of(Money))
    lead_ids: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))

    def __attrs_post_init__(self) -> None:
        rf.equal(self, "deals", len(self.lead_ids), "the number of lead_ids")

    def __repr__(self) -> str:
        return f"PipelineLine({self.dimension}={self.key}: {self.deals} deals, {self.weighted} weighted)"


@attrs.frozen(kw_only=True)
class WeightedPipeline:
    """The weighted pipeline of a company as of an instant.

    Attributes:
        as_of: The instant: the state is each lead's latest stage entry strictly before it.
        basis: ``"configured"`` or ``"measured"`` probabilities.
        probabilities: The probability used per stage holding open deals, exactly.
        value: The summed value of every open deal with a known value.
        weighted: Σ value x probability over them, rounded once (lines are rounded on
            their own, so they may differ from it by a cent).
        deals: How many open deals count.
        lines: The groups, by :data:`DIMENSIONS` then key (``None`` last).
    """

    as_of: datetime = attrs.field(validator=v.aware)
    basis: str = attrs.field(validator=rf.one_of("configured", "measured"))
    probabilities: tuple[tuple[str, Fraction], ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.pairs_of(str, Fraction)
    )
    value: Money = attrs.field(validator=v.instance_of(Money))
    weighted: Money = attrs.field(validator=v.instance_of(Money))
    deals: int = attrs.field(validator=v.whole())
    lines: tuple[PipelineLine, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(PipelineLine)
    )

    def __attrs_post_init__(self) -> None:
        for index, (stage, probability) in enumerate(self.probabilities):
            if not 0 <= probability <= 1:
                msg = f"WeightedPipeline.probabilities of {stage!r} must be from 0 to 1, got {probability}"
                raise ValidationError(msg, path=f"/probabilities/{index}/1", value=probability)

    def __repr__(self) -> str:
        return (
            f"WeightedPipeline(as of {self.as_of.date().isoformat()}, {self.basis}: "
            f"{self.deals} deals, {self.value} open, {self.weighted} weighted)"
        )

    def by(self, dimension: str) -> tuple[PipelineLine, ...]:
        """The lines of one dimension.

        Raises:
            UnknownReference: If ``dimension`` is not one of :data:`DIMENSIONS`.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Organisation
            >>> empty = weighted_pipeline(Organisation(name="A", currency="EUR"),
            ...     as_of=datetime(2026, 7, 1, tzinfo=timezone.utc), probabilities="measured")
            >>> empty.by("stage"), empty.weighted
            ((), Money('0.00 EUR'))
        """
        if dimension not in DIMENSIONS:
            msg = f"WeightedPipeline.by dimension must be one of {list(DIMENSIONS)}, got {dimension!r}"
            raise UnknownReference(msg)
        return tuple(line for line in self.lines if line.dimension == dimension)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per line, for ``pandas.DataFrame``.

        Args:
            exact: Keep exact values (``Decimal``, ``Fraction``, ``timedelta``) rather
                than plain floats.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Organisation
            >>> weighted_pipeline(Organisation(name="A", currency="EUR"),
            ...     as_of=datetime(2026, 7, 1, tzinfo=timezone.utc), probabilities="measured").to_records(exact=True)
            []
        """
        rows = [
            row(
                dimension=line.dimension,
                key=line.key,
                deals=line.deals,
                value=line.value,
                weighted=line.weighted,
            )
            for line in self.lines
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def weighted_pipeline(
    org: Organisation,
    *,
    as_of: datetime,
    probabilities: Basis,
    level: float | Decimal | str = "0.8",
) -> WeightedPipeline:
    """The open deals as of ``as_of``, each weighted by its stage's probability.

    A deal counts when, as of ``as_of``, it sits in a stage of the progression it can
    still leave (not won, not terminal) and its value is known (it reached the first
    deal stage: pipeline, best case or commit, the opportunity in the demand waterfall).
    Its close month is its expected close date: ``as_of`` plus the median time the
    company's winners still needed from its stage once they had been in it as long.

    Args:
        org: The organisation.
        as_of: The instant (timezone-aware).
        probabilities: ``"configured"`` for the lifecycle's stage probabilities (every
            stage holding an open deal must have one), ``"measured"`` for the share of
            the leads that reached the stage before ``as_of`` and went on to win.
        level: Only for the measured probabilities' intervals (not used in the sums).

    Raises:
        WrongType: If ``org`` is not an Organisation.
        ValidationError: If ``as_of`` is naive, ``probabilities`` is neither basis, or a
            stage holding an open deal has no configured (or no measurable) probability.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, Money, Organisation
        >>> from salesmark.lifecycle import SALESFORCE_OPPORTUNITY as SF
        >>> t = datetime(2026, 5, 4, tzinfo=timezone.utc)
        >>> deal = Lead.create(id="A", created_at=t, stage="prospecting", value=Money.of(1000, "EUR"), lifecycle=SF)
        >>> org = Organisation(name="Acme", currency="EUR", lifecycle=SF, leads=(deal,))
        >>> weighted_pipeline(org, as_of=t + timedelta(days=1), probabilities="configured").weighted
        Money('100.00 EUR')
    """
    company = check_org(org, "weighted_pipeline org")
    at = require_aware(as_of, "weighted_pipeline as_of")
    if not isinstance(probabilities, str) or probabilities not in {"configured", "measured"}:
        msg = f"weighted_pipeline probabilities must be 'configured' or 'measured', got {probabilities!r}"
        raise ValidationError(msg)
    chosen = check_level(level, "weighted_pipeline level")
    cut = Cut(company, at, None)
    path = cut.lifecycle.progression[:-1]
    deals = [item for item in cut.open if item.value is not None and item.stage in path]
    chances = _chances(cut, probabilities, chosen, {item.stage for item in deals})
    closes = expected_closes(cut)
    currency = company.currency

    def month(item: OpenLead) -> str | None:
        close = closes.get(item.lead.id)
        return None if close is None else close.strftime("%Y-%m")

    keys: dict[str, Callable[[OpenLead], str | None]] = {
        "stage": lambda item: item.stage,
        "owner": lambda item: item.lead.owner_id,
        "source": lambda item: item.lead.channel,
        "campaign": lambda item: item.lead.campaign_id,
        "close_month": month,
    }
    lines: list[PipelineLine] = []
    for dimension in DIMENSIONS:
        groups: dict[str | None, list[OpenLead]] = {}
        for item in deals:
            groups.setdefault(keys[dimension](item), []).append(item)
        ordered = sorted(groups, key=lambda k: (k is None, k or ""))
        lines.extend(_line(dimension, key, groups[key], chances, currency) for key in ordered)
    total = sum((_amount(item) * chances[item.stage] for item in deals), Fraction(0))
    return WeightedPipeline(
        as_of=at,
        basis=probabilities,
        probabilities=sorted(chances.items(), key=lambda kv: cut.rank[kv[0]]),
        value=Money.total((Money(item.value or 0, currency) for item in deals), currency),
        weighted=rounded(total, currency),
        deals=len(deals),
        lines=lines,
    )


def _amount(item: OpenLead) -> Fraction:
    return Fraction(item.value or 0)


def _chances(cut: Cut, basis: str, level: Fraction, stages: set[str]) -> dict[str, Fraction]:
    """The probability of each stage holding a deal; a clear error when one has none."""
    lifecycle = cut.lifecycle
    found: dict[str, Fraction | None] = {}
    if basis == "configured":
        for stage in stages:
            configured = lifecycle.stages[lifecycle.stage_names.index(stage)].probability
            found[stage] = None if configured is None else Fraction(configured)
    else:
        measured = {p.stage: p.exact for p in measure(cut, level)}
        found = {stage: measured.get(stage) for stage in stages}
    missing = sorted(stage for stage, chance in found.items() if chance is None)
    if missing:
        why = (
            "has no configured probability (set StageDefinition.probability or use "
            "probabilities='measured')"
            if basis == "configured"
            else "has no decided lead to measure a probability on before as_of "
            "(use probabilities='configured')"
        )
        msg = f"weighted_pipeline stage(s) {missing} {why}"
        raise ValidationError(msg)
    return {stage: chance for stage, chance in found.items() if chance is not None}


def _line(
    dimension: str,
    key: str | None,
    items: list[OpenLead],
    chances: dict[str, Fraction],
    currency: str,
) -> PipelineLine:
    weighted = sum((_amount(item) * chances[item.stage] for item in items), Fraction(0))
    return PipelineLine(
        dimension=dimension,
        key=key,
        deals=len(items),
        value=Money.total((Money(item.value or 0, currency) for item in items), currency),
        weighted=rounded(weighted, currency),
        lead_ids=tuple(sorted(item.lead.id for item in items)),
    )
