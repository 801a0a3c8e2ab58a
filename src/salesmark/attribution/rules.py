"""Rule-based attribution models: fixed rules that share each conversion among its touches.

Every model takes :class:`~salesmark.attribution.PathCounts` or an iterable of
:class:`~salesmark.attribution.Journey` (``time_decay`` and the milestone models need
journeys) and returns an :class:`~salesmark.attribution.AttributionResult`. A
journey's conversion (and value) is shared among its touches; a channel that never
appears in a converting journey gets zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from salesmark import _validators as v
from salesmark._time import elapsed
from salesmark.attribution._checks import Engine, choose_engine
from salesmark.attribution._engine import (
    Paths,
    Terms,
    collect,
    finish,
    journeys_only,
    normalised,
    result_of,
    sums,
    to_counts,
)
from salesmark.attribution._sums import by_key
from salesmark.attribution.journeys import Journey
from salesmark.attribution.milestones import (
    FULL_PATH,
    INVERSE_J,
    J_SHAPED,
    W_SHAPED,
    MilestoneWeights,
    milestone_model,
)
from salesmark.attribution.results import AttributionResult
from salesmark.errors import UnknownReference, ValidationError, WrongType

__all__ = [
    "custom",
    "first_touch",
    "full_path",
    "inverse_j",
    "j_shaped",
    "last_non_direct",
    "last_touch",
    "linear",
    "position_based",
    "time_decay",
    "w_shaped",
]


def _single(data: Paths, model: str, kind: str, engine: Engine | None) -> AttributionResult:
    chosen = choose_engine(engine, model)
    counts = to_counts(data)
    earned, valued = by_key(sums(counts, kind, chosen), _whole, len(counts.channels))
    return result_of(counts, earned, valued, model=model, parameters={})


def _whole(_key: object) -> float:
    return 1.0


def first_touch(data: Paths, *, engine: Engine | None = None) -> AttributionResult:
    """Give each conversion wholly to the journey's first touch.

    Assumes the touch that made the buyer aware did the work; use it to judge
    demand generation. ``engine`` is ``"python"`` or ``"numpy"`` (numpy when
    installed, by default); both give the same credits, bit for bit.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "email", "demo"), 2, 0, None)])
        >>> dict(first_touch(counts).credits)
        {'ad': 2.0, 'demo': 0.0, 'email': 0.0}
    """
    return _single(data, "first_touch", "first", engine)


def last_touch(data: Paths, *, engine: Engine | None = None) -> AttributionResult:
    """Give each conversion wholly to the journey's last touch.

    Assumes the touch that closed did the work; use it to judge what converts.
    ``engine`` as for :func:`first_touch`.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "email", "demo"), 2, 0, None)])
        >>> dict(last_touch(counts).credits)
        {'ad': 0.0, 'demo': 2.0, 'email': 0.0}
    """
    return _single(data, "last_touch", "last", engine)


def last_non_direct(
    data: Paths, *, direct: Iterable[str] | None = None, engine: Engine | None = None
) -> AttributionResult:
    """Give each conversion to the last touch that is not direct (GA's old default).

    A journey made only of direct touches credits its last (direct) touch.

    Args:
        data: The paths.
        direct: The channel names that count as direct (``{"direct"}`` by default).
            Names given explicitly must appear in the data.
        engine: ``"python"`` or ``"numpy"`` (numpy when installed, by default).

    Raises:
        UnknownReference: If a name in ``direct`` appears in no path.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "direct"), 1, 0, None),
        ...                                  (("direct",), 1, 0, None)])
        >>> dict(last_non_direct(counts).credits)
        {'ad': 1.0, 'direct': 1.0}
    """
    names = frozenset(("direct",) if direct is None else _names(direct, "last_non_direct direct"))
    chosen = choose_engine(engine, "last_non_direct")
    counts = to_counts(data)
    channels = counts.channels
    if direct is not None:
        unknown = sorted(names - set(channels))
        if unknown:
            msg = (
                f"last_non_direct direct names {unknown!r} appear in no path; "
                f"the channels are {list(channels)!r}"
            )
            raise UnknownReference(msg)
    ids = frozenset(i for i, name in enumerate(channels) if name in names)
    earned, valued = by_key(sums(counts, "last_non_direct", chosen, ids), _whole, len(channels))
    return result_of(
        counts,
        earned,
        valued,
        model="last_non_direct",
        parameters={"direct": ",".join(sorted(names))},
    )


def _names(value: Iterable[str], field: str) -> tuple[str, ...]:
    names: tuple[str, ...] = v.sequence(value, field, "channel names")
    for name in names:
        if not isinstance(name, str) or not name.strip():
            msg = f"{field} must hold non-empty channel names, got {name!r}"
            raise ValidationError(msg)
    return names


def linear(data: Paths, *, engine: Engine | None = None) -> AttributionResult:
    """Share each conversion equally among the journey's touches (repeats count each time).

    Assumes every touch mattered equally; a fair, simple baseline. ``engine`` as for
    :func:`first_touch`.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "email", "ad", "demo"), 1, 0, None)])
        >>> dict(linear(counts).credits)
        {'ad': 0.5, 'demo': 0.25, 'email': 0.25}
    """
    chosen = choose_engine(engine, "linear")
    counts = to_counts(data)
    earned, valued = by_key(sums(counts, "tokens", chosen), _per_touch, len(counts.channels))
    return result_of(counts, earned, valued, model="linear", parameters={})


def _per_touch(key: tuple[int, int]) -> float:
    return 1.0 / key[0]


def position_based(
    data: Paths,
    *,
    first: float = 0.4,
    between: float = 0.2,
    last: float = 0.4,
    engine: Engine | None = None,
) -> AttributionResult:
    """The U-shaped model: 40% to the first touch, 40% to the last, 20% shared between.

    With two touches the between share is dropped and first and last get 50% each;
    with one touch it gets everything (see :mod:`~salesmark.attribution.milestones`).
    The weights are renormalised (they must be finite, >= 0, and not all zero);
    ``engine`` as for :func:`first_touch`.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "email", "webinar", "demo"), 1, 0, None)])
        >>> {k: round(v, 3) for k, v in position_based(counts).credits.items()}
        {'ad': 0.4, 'demo': 0.4, 'email': 0.1, 'webinar': 0.1}
    """
    weights = MilestoneWeights(first=first, between=between, last=last)
    return milestone_model(data, weights, name="position_based", engine=engine)


def j_shaped(data: Paths, *, engine: Engine | None = None) -> AttributionResult:
    """20% to the first touch, 60% to the last, 20% shared between.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "email", "demo"), 1, 0, None)])
        >>> {k: round(v, 3) for k, v in j_shaped(counts).credits.items()}
        {'ad': 0.2, 'demo': 0.6, 'email': 0.2}
    """
    return milestone_model(data, J_SHAPED, name="j_shaped", engine=engine)


def inverse_j(data: Paths, *, engine: Engine | None = None) -> AttributionResult:
    """60% to the first touch, 20% to the last, 20% shared between.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "email", "demo"), 1, 0, None)])
        >>> {k: round(v, 3) for k, v in inverse_j(counts).credits.items()}
        {'ad': 0.6, 'demo': 0.2, 'email': 0.2}
    """
    return milestone_model(data, INVERSE_J, name="inverse_j", engine=engine)


def w_shaped(data: Iterable[Journey]) -> AttributionResult:
    """30% each to the first, lead-creation and opportunity-creation touches, 10% between.

    Needs journeys with milestones (see
    :func:`~salesmark.attribution.journeys_from_leads`); missing milestones follow the
    rules of :mod:`~salesmark.attribution.milestones`.

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("ad", "blog", "form", "call", "demo"), converted=True,
        ...             milestones=Milestones(lead_created=2, opportunity_created=4))
        >>> {k: round(v, 3) for k, v in w_shaped([j]).credits.items()}
        {'ad': 0.3, 'blog': 0.05, 'call': 0.05, 'demo': 0.3, 'form': 0.3}
    """
    return milestone_model(data, W_SHAPED, name="w_shaped")


def full_path(data: Iterable[Journey]) -> AttributionResult:
    """22.5% each to the first, lead-creation, opportunity-creation and closed-won touches.

    The other 10% is shared by the touches between them. Needs journeys with
    milestones.

    Example:
        >>> from salesmark.attribution import Journey, Milestones
        >>> j = Journey(path=("ad", "form", "call", "demo", "email", "contract"),
        ...             converted=True,
        ...             milestones=Milestones(lead_created=1, opportunity_created=3, closed_won=5))
        >>> {k: round(v, 3) for k, v in full_path([j]).credits.items()}
        {'ad': 0.225, 'call': 0.05, 'contract': 0.225, 'demo': 0.225, 'email': 0.05, 'form': 0.225}
    """
    return milestone_model(data, FULL_PATH, name="full_path")


def time_decay(
    data: Iterable[Journey], *, half_life: timedelta = timedelta(days=7)
) -> AttributionResult:
    """Weigh each touch by 2^(-age / half_life), age measured back from the conversion.

    Weights are normalised per journey, so each conversion is shared in full. The
    conversion time is the journey's ``converted_at``, else its last touch.

    Args:
        data: Journeys with touch times.
        half_life: How long it takes a touch's weight to halve (7 days by default).

    Raises:
        ValidationError: If a converting journey has no touch times, or
            ``half_life`` is not positive.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 15, tzinfo=timezone.utc)
        >>> j = Journey(path=("ad", "email"), converted=True,
        ...             times=(t - timedelta(days=7), t))
        >>> {k: round(v, 4) for k, v in time_decay([j]).credits.items()}
        {'ad': 0.3333, 'email': 0.6667}
    """
    v.require_positive_duration(half_life, "time_decay half_life")
    journeys = journeys_only(data, "time_decay")
    collected = collect(journeys, "time_decay")
    earned = Terms(collected.channels)
    values = Terms(collected.channels)
    seconds = half_life.total_seconds()
    for index, journey in enumerate(journeys):
        if not journey.converted:
            continue
        reference = journey.reference_time
        if not journey.times or reference is None:
            msg = f"time_decay paths[{index}] converted but has no touch times; give Journey.times"
            raise ValidationError(msg)
        ages = [elapsed(at, reference).total_seconds() / seconds for at in journey.times]
        youngest = min(ages)  # weigh relative to the youngest touch, so nothing underflows
        raw = [2.0 ** (youngest - age) for age in ages]
        shares = normalised(raw, f"time_decay paths[{index}] weights")
        value = 0.0 if journey.value is None else float(journey.value.amount)
        for channel, share in zip(journey.path, shares, strict=False):
            earned[channel].append(share)
            values[channel].append(value * share)
    return finish(
        collected,
        earned.sums(),
        values.sums(),
        model="time_decay",
        parameters={"half_life": str(half_life)},
    )


def custom(
    data: Paths,
    *,
    position: Callable[[int], Sequence[float]] | None = None,
    milestones: MilestoneWeights | None = None,
    name: str = "custom",
) -> AttributionResult:
    """Attribute with your own rule: a position-weight function or milestone weights.

    Args:
        data: The paths (journeys when ``milestones`` weighs a funnel milestone).
        position: Given a path length n, returns n non-negative weights (normalised).
        milestones: A :class:`~salesmark.attribution.MilestoneWeights` rule.
        name: The model name the result carries.

    Raises:
        ValidationError: Unless exactly one of ``position`` and ``milestones`` is
            given, or if ``position`` returns the wrong number of weights, a negative
            weight, or only zeros.

    Example:
        >>> from salesmark.attribution import PathCounts
        >>> counts = PathCounts.from_tuples([(("ad", "email", "demo"), 1, 0, None)])
        >>> later_counts_more = lambda n: [i + 1 for i in range(n)]
        >>> {k: round(v, 3) for k, v in custom(counts, position=later_counts_more).credits.items()}
        {'ad': 0.167, 'demo': 0.5, 'email': 0.333}
    """
    if (position is None) == (milestones is None):
        msg = "custom needs exactly one of position= or milestones=, got " + (
            "both" if position is not None else "neither"
        )
        raise ValidationError(msg)
    if milestones is not None:
        return milestone_model(data, milestones, name=name)
    if not callable(position):
        msg = f"custom position must be a function of the path length, got {position!r}"
        raise WrongType(msg)
    rule = position
    cache: dict[int, tuple[float, ...]] = {}

    def share(key: tuple[int, int, int]) -> float:
        n, pos, _token = key
        shares = cache.get(n)
        if shares is None:
            returned = rule(n)
            weights = list(v.sequence(returned, f"custom position({n})", f"{n} weights"))
            if len(weights) != n:
                msg = f"custom position({n}) must return {n} weights, got {len(weights)}"
                raise ValidationError(msg)
            shares = cache[n] = normalised(weights, f"custom position({n})")
        return shares[pos]

    counts = to_counts(data)
    positions = sums(counts, "positions", "python")
    for length in sorted({key[0] for key in positions}):
        share((length, 0, 0))  # check every length's weights, shortest first
    earned, valued = by_key(positions, share, len(counts.channels))
    return result_of(counts, earned, valued, model=name, parameters={"rule": "position"})
