"""What every attribution model returns, and ways to line results up and roll them up.

:class:`AttributionResult` holds a model's credits per channel (floats that sum to the
total conversions) and value credits (``Money`` that sums exactly to the total value).
:func:`compare` lines several results up per channel; :func:`roll_up` moves credits
from campaigns or content to the members who own them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark._records import records, row
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.money import Money, minor_unit

__all__ = ["AttributionResult", "Comparison", "compare", "roll_up"]

Parameter = str | int | float | bool | None


def _frozen(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return FrozenMap(value)


def _number(value: object, field: str) -> float:
    """``value`` if it is a finite real number (not a bool), else a salesmark error."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{field} must be a number, got {value!r}"
        raise WrongType(msg)
    if not math.isfinite(value):
        msg = f"{field} must be finite, got {value!r}"
        raise ValidationError(msg)
    return value


def _named_numbers(field: str) -> Any:
    def convert(value: Mapping[str, float]) -> Mapping[str, float]:
        v.require(value, Mapping, field)  # type: ignore[type-abstract]
        for name, number in value.items():
            v.require(name, str, f"{field} key")
            _number(number, f"{field}[{name!r}]")
        return _frozen(value)

    return convert


def _credits(value: Mapping[str, float]) -> Mapping[str, float]:
    return _named_numbers("AttributionResult.credits")(value)  # type: ignore[no-any-return]


def _removal_effects(value: Mapping[str, float]) -> Mapping[str, float]:
    return _named_numbers("AttributionResult.removal_effects")(value)  # type: ignore[no-any-return]


def _named_money(value: Mapping[str, Money]) -> Mapping[str, Money]:
    v.require(value, Mapping, "AttributionResult.value_credits")  # type: ignore[type-abstract]
    for name, money in value.items():
        v.require(name, str, "AttributionResult.value_credits key")
        v.require(money, Money, f"AttributionResult.value_credits[{name!r}]")
    return _frozen(value)


def _parameters(value: Mapping[str, Parameter]) -> Mapping[str, Parameter]:
    v.require(value, Mapping, "AttributionResult.parameters")  # type: ignore[type-abstract]
    for name, item in value.items():
        v.require(name, str, "AttributionResult.parameters key")
        if item is not None and not isinstance(item, str | int | float | bool):
            msg = f"AttributionResult.parameters[{name!r}] must be a plain value, got {item!r}"
            raise WrongType(msg)
        if isinstance(item, float):
            _number(item, f"AttributionResult.parameters[{name!r}]")
    return _frozen(value)


def _conversions(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    field = f"{type(instance).__name__}.{attribute.name}"
    if _number(value, field) < 0:
        msg = f"{field} must be >= 0, got {value!r}"
        raise ValidationError(msg)


def _cells(value: Mapping[str, tuple[float, ...]]) -> Mapping[str, tuple[float, ...]]:
    v.require(value, Mapping, "Comparison.credits")  # type: ignore[type-abstract]
    for name, cells in value.items():
        v.require(name, str, "Comparison.credits key")
        for index, cell in enumerate(v.sequence(cells, f"Comparison.credits[{name!r}]", "credits")):
            _number(cell, f"Comparison.credits[{name!r}][{index}]")
    return _frozen({name: tuple(cells) for name, cells in value.items()})


def split_value(total: Money | None, weights: Mapping[str, float]) -> Mapping[str, Money]:
    """Split ``total`` over ``weights`` exactly (negative weights take negative parts)."""
    if total is None:
        return {}
    names = sorted(weights)  # ties in the split go to the alphabetically earlier name
    if not names:
        return {}
    values = [float(weights[n]) for n in names]
    positive = math.fsum(w for w in values if w > 0)
    negative = -math.fsum(w for w in values if w < 0)
    if total.is_zero() or positive - negative <= 0:
        return dict.fromkeys(names, Money.zero(total.currency))
    if negative == 0:
        parts = total.allocate(values)
        return dict(zip(names, parts, strict=False))
    # Give the positive weights total * P / (P - N), the negative ones the difference.
    step = Decimal(1).scaleb(-minor_unit(total.currency))
    plus = Money(
        (total.amount * Decimal(positive) / Decimal(positive - negative)).quantize(step),
        total.currency,
    )
    minus = plus - total
    result: dict[str, Money] = {}
    pos_names = [n for n, w in zip(names, values, strict=False) if w > 0]
    neg_names = [n for n, w in zip(names, values, strict=False) if w < 0]
    result.update(zip(pos_names, plus.allocate([w for w in values if w > 0]), strict=False))
    result.update(
        zip(neg_names, (-m for m in minus.allocate([-w for w in values if w < 0])), strict=False)
    )
    for name, weight in zip(names, values, strict=False):
        if weight == 0:
            result[name] = Money.zero(total.currency)
    return {n: result[n] for n in names}


@attrs.frozen(kw_only=True, repr=False)
class AttributionResult:
    """The credit a model gives each channel (or campaign, content, owner).

    Attributes:
        model: The model's name, e.g. ``"linear"`` or ``"markov"``.
        parameters: The parameters it ran with (plain values).
        credits: Name -> conversions credited; they sum to ``total_conversions``.
        value_credits: Name -> money credited, summing exactly to ``total_value``
            (empty when the paths carry no value).
        total_conversions: The conversions attributed.
        total_value: Their value, or ``None`` when the paths carry no value.
        removal_effects: For Markov models, name -> removal effect (empty otherwise).

    Example:
        >>> from salesmark.attribution import PathCounts, linear
        >>> counts = PathCounts.from_tuples([(("search", "email"), 2, 0, "100")], currency="EUR")
        >>> result = linear(counts)
        >>> result
        AttributionResult(linear: 2 conversions, 100 EUR; email=1, search=1)
        >>> result.value_credits["email"]
        Money('50.00 EUR')
        >>> result.to_records()[0]["channel"]
        'email'
    """

    model: str = attrs.field(validator=v.non_empty_text)
    parameters: Mapping[str, Parameter] = attrs.field(
        factory=dict, converter=_parameters, hash=False
    )
    credits: Mapping[str, float] = attrs.field(converter=_credits, hash=False)
    value_credits: Mapping[str, Money] = attrs.field(
        factory=dict, converter=_named_money, hash=False
    )
    total_conversions: float = attrs.field(validator=_conversions)
    total_value: Money | None = attrs.field(default=None, validator=v.optional_instance_of(Money))
    removal_effects: Mapping[str, float] = attrs.field(
        factory=dict, converter=_removal_effects, hash=False
    )

    def __attrs_post_init__(self) -> None:
        if self.value_credits and self.total_value is None:
            msg = "AttributionResult.total_value must be given with value_credits"
            raise ValidationError(msg)

    @property
    def label(self) -> str:
        """The model name with its parameters, e.g. ``"markov(order=3)"``.

        Example:
            >>> AttributionResult(model="m", parameters={"k": 2}, credits={},
            ...                   total_conversions=0.0).label
            'm(k=2)'
        """
        if not self.parameters:
            return self.model
        inner = ", ".join(f"{k}={v}" for k, v in self.parameters.items())
        return f"{self.model}({inner})"

    def share(self, name: str) -> float:
        """The fraction of all conversions credited to ``name`` (0 when there are none).

        Raises:
            UnknownReference: If ``name`` is not in the result.

        Example:
            >>> AttributionResult(model="m", credits={"a": 3.0, "b": 1.0},
            ...                   total_conversions=4.0).share("a")
            0.75
        """
        if name not in self.credits:
            msg = f"share name {name!r} is not in the result; it has {sorted(self.credits)!r}"
            raise UnknownReference(msg)
        return self.credits[name] / self.total_conversions if self.total_conversions else 0.0

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One plain dict per name, ready for ``pandas.DataFrame(...)``.

        Keys: ``model``, ``channel``, ``conversions``, ``share``, ``value`` (a
        ``Decimal`` or ``None``), ``currency`` and, for Markov, ``removal_effect``.

        Example:
            >>> r = AttributionResult(model="m", credits={"a": 1.0}, total_conversions=1.0)
            >>> r.to_records()
            [{'model': 'm', 'channel': 'a', 'conversions': 1.0, 'share': 1.0, 'value': None, 'currency': None}]
        """
        label = self.label
        found: list[dict[str, Any]] = []
        for name, credit in self.credits.items():
            money = self.value_credits.get(name)
            markov = (
                {"removal_effect": self.removal_effects.get(name, 0.0)}
                if self.removal_effects
                else {}
            )
            found.append(
                row(
                    model=label,
                    channel=name,
                    conversions=credit,
                    share=credit / self.total_conversions if self.total_conversions else 0.0,
                    value=money,
                    currency=None if money is None else money.currency,
                    **markov,
                )
            )
        return records(found, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html

    def __repr__(self) -> str:
        value = (
            ""
            if self.total_value is None
            else f", {self.total_value.amount} {self.total_value.currency}"
        )
        top = sorted(self.credits.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        shown = ", ".join(f"{k}={v:.6g}" for k, v in top)
        more = ", ..." if len(self.credits) > len(top) else ""
        return (
            f"AttributionResult({self.model}: {self.total_conversions:.6g} conversions"
            f"{value}; {shown}{more})"
        )


@attrs.frozen(kw_only=True, repr=False)
class Comparison:
    """Several results lined up per channel (see :func:`compare`).

    Attributes:
        labels: One column label per result, in the order given.
        credits: Channel -> one credit per result (0.0 where a result lacks it).

    Example:
        >>> a = AttributionResult(model="x", credits={"a": 1.0}, total_conversions=1.0)
        >>> b = AttributionResult(model="y", credits={"b": 1.0}, total_conversions=1.0)
        >>> compare(a, b).credits["a"]
        (1.0, 0.0)
    """

    labels: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.items_of(str))
    credits: Mapping[str, tuple[float, ...]] = attrs.field(converter=_cells, hash=False)

    def __attrs_post_init__(self) -> None:
        for name, cells in self.credits.items():
            if len(cells) != len(self.labels):
                msg = (
                    f"Comparison.credits[{name!r}] must hold one credit per label "
                    f"({len(self.labels)}), got {len(cells)}"
                )
                raise ValidationError(msg)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One dict per channel: ``channel`` and one key per label.

        Example:
            >>> a = AttributionResult(model="x", credits={"a": 1.0}, total_conversions=1.0)
            >>> compare(a).to_records()
            [{'channel': 'a', 'x': 1.0}]
        """
        rows = [
            row(**{"channel": name, **dict(zip(self.labels, cells, strict=False))})
            for name, cells in self.credits.items()
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html

    def __repr__(self) -> str:
        return f"Comparison({len(self.credits)} channels x {', '.join(self.labels)})"


def compare(*results: AttributionResult) -> Comparison:
    """Line several results up per channel, one column per model.

    Columns are labelled by model name, or by the full label (model and parameters)
    when two results share a name; channels missing from a result get 0.0.

    Raises:
        ValidationError: If no result is given, or two results have the same label.

    Example:
        >>> from salesmark.attribution import PathCounts, first_touch, last_touch
        >>> counts = PathCounts.from_tuples([(("a", "b"), 1, 0, None)])
        >>> compare(first_touch(counts), last_touch(counts)).to_records()
        [{'channel': 'a', 'first_touch': 1.0, 'last_touch': 0.0}, {'channel': 'b', 'first_touch': 0.0, 'last_touch': 1.0}]
    """
    if not results:
        msg = "compare needs at least one AttributionResult, got none"
        raise ValidationError(msg)
    v.argument_items(results, "compare results", AttributionResult)
    names = [r.model for r in results]
    labels = [r.model if names.count(r.model) == 1 else r.label for r in results]
    if len(set(labels)) != len(labels):
        msg = f"compare got results with the same label more than once: {labels!r}"
        raise ValidationError(msg)
    channels = sorted({c for r in results for c in r.credits})
    table = {c: tuple(float(r.credits.get(c, 0.0)) for r in results) for c in channels}
    return Comparison(labels=tuple(labels), credits=table)


def roll_up(
    result: AttributionResult,
    owners: Mapping[str, str],
    *,
    unowned: str | None = "unassigned",
) -> AttributionResult:
    """Add up the credits of campaigns or content per owner, for recognition.

    Args:
        result: A result keyed by campaign or content id (see
            :func:`~salesmark.attribution.journeys_from_leads` with ``key=``).
        owners: Campaign or content id -> the member id that owns it (e.g.
            ``{c.id: c.owner_id for c in campaigns}``).
        unowned: The name credits of ids without an owner go to; ``None`` makes an id
            without an owner an error.

    Raises:
        UnknownReference: If ``unowned`` is ``None`` and an id has no owner.

    Example:
        >>> r = AttributionResult(model="linear", credits={"c1": 1.5, "c2": 0.5, "c3": 1.0},
        ...                       total_conversions=3.0)
        >>> roll_up(r, {"c1": "ann", "c2": "ann"}).credits
        {'ann': 2.0, 'unassigned': 1.0}
    """
    v.require(result, AttributionResult, "roll_up result")
    v.require(owners, Mapping, "roll_up owners")  # type: ignore[type-abstract]
    earned: dict[str, list[float]] = {}
    values: dict[str, list[Money]] = {}
    for name, credit in result.credits.items():
        owner = owners.get(name)
        if owner is None:
            if unowned is None:
                msg = f"roll_up owners has no owner for {name!r}; pass unowned= to collect such credit"
                raise UnknownReference(msg)
            owner = unowned
        earned.setdefault(owner, []).append(credit)
        if name in result.value_credits:
            values.setdefault(owner, []).append(result.value_credits[name])
    currency = None if result.total_value is None else result.total_value.currency
    return AttributionResult(
        model=f"{result.model} by owner",
        parameters=result.parameters,
        credits={o: math.fsum(c) for o, c in earned.items()},
        value_credits=(
            {} if currency is None else {o: Money.total(m, currency) for o, m in values.items()}
        ),
        total_conversions=result.total_conversions,
        total_value=result.total_value,
    )
