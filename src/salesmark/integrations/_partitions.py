"""What every engine runs on one partition, in plain Python (private; no engine imported here).

The adapters reduce each partition to plain columns (path strings, whole counts and
values as whole units of ``10**-places``), hand them to these functions on the
workers and merge what they return: a :class:`~salesmark.attribution.PathCounts`, a
model's statistic, or a :class:`~salesmark.funnel.FunnelCounts`. Money travels as
exact integers and becomes ``Decimal`` here: never a float.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.attribution import (
    MarkovStatistics,
    PathCounts,
    RuleCredits,
    ShapleyStatistics,
    markov_statistics,
    rule_credits,
    shapley_statistics,
)
from salesmark.errors import ValidationError
from salesmark.funnel import FunnelCounts, funnel_counts
from salesmark.leads import Lead, StageChange
from salesmark.lifecycle import Lifecycle
from salesmark.money import Money
from salesmark.period import Period

EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
FAN_IN: Final = 8
"""How many parts one merge task of a tree adds up."""
MAX_PLACES: Final = 18
SPLIT: Final = 2**31
"""Values are summed as two int64 columns, ``units // SPLIT`` and ``units % SPLIT``, so an
engine's int64 sum of up to 2**31 rows a path cannot overflow."""


def _places(value: object) -> int:
    checked = v.require_whole(value, "places")
    if checked > MAX_PLACES:
        msg = f"places must be a whole number from 0 to {MAX_PLACES}, got {value!r}"
        raise ValidationError(msg)
    return checked


def _sep(value: object) -> str:
    text = v.require(value, str, "sep")
    if not text:
        msg = "sep must be a non-empty string, got ''"
        raise ValidationError(msg)
    return text


def _currency(value: object) -> str | None:
    if value is not None:
        Money.zero(v.require(value, str, "currency"))
    return value  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class Reading:
    """How a journeys table is read: its column names, the path separator and the money.

    Built on the driver (which checks it) and shipped to every worker.
    """

    path: str = attrs.field(validator=v.instance_of(str))
    conversions: str = attrs.field(validator=v.instance_of(str))
    nulls: str | None = attrs.field(validator=v.optional_instance_of(str))
    value: str | None = attrs.field(validator=v.optional_instance_of(str))
    sep: str = attrs.field(converter=_sep)
    currency: str | None = attrs.field(converter=_currency)
    places: int = attrs.field(converter=_places)

    @property
    def columns(self) -> list[str]:
        """The columns read, in order (path, conversions, then nulls and value if named)."""
        named = [self.path, self.conversions, self.nulls, self.value]
        return [name for name in named if name is not None]

    def check(self, columns: Iterable[Any], what: str = "journeys") -> None:
        """Refuse a table that lacks one of the columns read."""
        have = [str(c) for c in columns]
        for column in self.columns:
            if column not in have:
                msg = f"the {what} table has no column {column!r}; it has {have!r}"
                raise ValidationError(msg)


def units_of(cell: object, places: int, column: str) -> int:
    """A value cell (Decimal, numeric text, whole number or None) in whole units of ``10**-places``."""
    if cell is None:
        return 0
    if isinstance(cell, int) and not isinstance(cell, bool):
        return int(cell * 10**places)
    number: Decimal | None = None
    if isinstance(cell, str | Decimal):
        try:
            number = Decimal(cell)
        except (ArithmeticError, InvalidOperation):
            number = None
    if number is not None and number.is_nan():
        return 0
    if number is None or not number.is_finite():
        msg = f"value column {column!r} must hold exact amounts (Decimal, numeric text or whole numbers), got {cell!r}"
        raise ValidationError(msg)
    scaled = number.scaleb(places)
    if scaled != scaled.to_integral_value():
        msg = f"value column {column!r} holds {cell!r}, not an amount of at most {places} decimal places"
        raise ValidationError(msg)
    return int(scaled)


def counts_of(
    paths: Sequence[Any],
    conversions: Sequence[Any],
    nulls: Sequence[Any],
    units: Sequence[int] | None,
    reading: Reading,
) -> PathCounts:
    """The :class:`PathCounts` of plain columns (counts whole, values in whole units)."""
    columns: dict[str, Any] = {
        "path": [str(p) for p in paths],
        "conversions": [int(c) for c in conversions],
        "nulls": [int(n) for n in nulls],
    }
    if units is not None:
        places = -reading.places
        columns["value"] = [Decimal(int(u)).scaleb(places) for u in units]
    return PathCounts.from_records(
        columns,
        path="path",
        conversions="conversions",
        nulls="nulls",
        value="value" if units is not None else None,
        sep=reading.sep,
        currency=reading.currency,
    )


def _options(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return FrozenMap(value)


Statistic = RuleCredits | MarkovStatistics | ShapleyStatistics


@attrs.frozen(kw_only=True)
class Model:
    """Which statistic a partition's paths are reduced to, with the model's options."""

    kind: str = attrs.field(validator=attrs.validators.in_(("paths", "markov", "rules", "shapley")))
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=_options)

    def of(self, counts: PathCounts) -> PathCounts | Statistic:
        """The statistic of ``counts``."""
        if self.kind == "markov":
            return markov_statistics(counts, **self.options)
        if self.kind == "rules":
            return rule_credits(counts, **self.options)
        if self.kind == "shapley":
            return shapley_statistics(counts)
        return counts

    def check(self) -> None:
        """Check the options on the driver, before any partition is read."""
        self.of(PathCounts())


MERGES: Final[Mapping[type[Any], Callable[[Iterable[Any]], Any]]] = {
    PathCounts: PathCounts.merge,
    RuleCredits: RuleCredits.merge,
    MarkovStatistics: MarkovStatistics.merge,
    ShapleyStatistics: ShapleyStatistics.merge,
    FunnelCounts: FunnelCounts.merge,
}


def merge(parts: Sequence[Any]) -> Any:
    """The parts (all of one type, at least one) merged at once."""
    return MERGES[type(parts[0])](parts)


def add(left: Any, right: Any) -> Any:
    """Two parts merged (for engines that reduce pairwise)."""
    return merge([left, right])


def tree(parts: list[Any], combine: Callable[[list[Any]], Any]) -> Any:
    """Combine ``parts`` ``FAN_IN`` at a time, level by level, down to one."""
    level = parts
    while len(level) > 1:
        level = [combine(level[i : i + FAN_IN]) for i in range(0, len(level), FAN_IN)]
    return level[0]


def instant(micros: int) -> datetime:
    """An aware UTC datetime from microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=int(micros))


@attrs.frozen(kw_only=True)
class Changes:
    """How a tidy stage-change table is read: one row a stage change of one lead."""

    lead: str = attrs.field(validator=v.instance_of(str))
    stage: str = attrs.field(validator=v.instance_of(str))
    at: str = attrs.field(validator=v.instance_of(str))
    reason: str | None = attrs.field(validator=v.optional_instance_of(str))
    created_at: str | None = attrs.field(validator=v.optional_instance_of(str))
    sequence: str | None = attrs.field(validator=v.optional_instance_of(str))

    @property
    def columns(self) -> list[str]:
        """The columns read, in order (lead, stage, at, then those named)."""
        named = [self.lead, self.stage, self.at, self.reason, self.created_at, self.sequence]
        return [name for name in named if name is not None]

    def check(self, columns: Iterable[Any]) -> None:
        """Refuse a table that lacks one of the columns read."""
        have = [str(c) for c in columns]
        for column in self.columns:
            if column not in have:
                msg = f"the stage-change table has no column {column!r}; it has {have!r}"
                raise ValidationError(msg)


def leads_of(  # noqa: PLR0917 (the columns of one partition)
    ids: Sequence[Any],
    stages: Sequence[Any],
    at: Sequence[int],
    reasons: Sequence[Any] | None = None,
    created: Sequence[Any] | None = None,
    sequence: Sequence[Any] | None = None,
) -> list[Lead]:
    """Leads from stage-change rows: each lead's changes in time order (then by ``sequence``).

    ``at`` and ``created`` hold microseconds since the epoch (UTC); a lead is created at
    its earliest ``created`` cell, or else at its first change.
    """
    rows = sorted(
        range(len(ids)),
        key=lambda i: (str(ids[i]), int(at[i]), 0 if sequence is None else sequence[i], i),
    )
    leads: list[Lead] = []
    start = 0
    while start < len(rows):
        ident = str(ids[rows[start]])
        end = start
        while end < len(rows) and str(ids[rows[end]]) == ident:
            end += 1
        mine = rows[start:end]
        history = tuple(
            StageChange(
                stage=str(stages[i]),
                at=instant(at[i]),
                reason=None if reasons is None or reasons[i] is None else str(reasons[i]),
            )
            for i in mine
        )
        made = [int(created[i]) for i in mine if created is not None and created[i] is not None]
        born = instant(min(made)) if made else history[0].at
        leads.append(Lead(id=ident, created_at=born, history=history))
        start = end
    return leads


@attrs.frozen(kw_only=True)
class Funnel:
    """What a partition's leads are counted for: the period, lifecycle and cut."""

    period: Period = attrs.field(validator=v.instance_of(Period))
    lifecycle: Lifecycle = attrs.field(validator=v.instance_of(Lifecycle))
    as_of: datetime | None = attrs.field(validator=v.optional_aware)

    def of(self, leads: Sequence[Lead]) -> FunnelCounts:
        """The funnel of one partition's leads (every change of a lead in that partition)."""
        if not leads:
            return FunnelCounts()
        return funnel_counts(leads, self.period, lifecycle=self.lifecycle, as_of=self.as_of)
