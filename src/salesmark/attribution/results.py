"""What every attribution model returns, and ways to line results up and roll them up.

:class:`AttributionResult` holds a model's credits per channel (floats that sum to the
total conversions) and value credits (``Money`` that sums exactly to the total value).
:func:`compare` lines several results up per channel; :func:`roll_up` moves credits
from campaigns or content to the members who own them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from salesmark import _display, _frames
from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark._records import records, row
from salesmark.errors import CurrencyMismatch, UnknownReference, ValidationError, WrongType
from salesmark.money import Money, minor_unit

__all__ = ["AttributionResult", "Comparison", "Measure", "compare", "roll_up", "short_name"]

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


def _values(
    value: Mapping[str, tuple[Money | None, ...]],
) -> Mapping[str, tuple[Money | None, ...]]:
    v.require(value, Mapping, "Comparison.values")  # type: ignore[type-abstract]
    for name, cells in value.items():
        v.require(name, str, "Comparison.values key")
        for index, cell in enumerate(v.sequence(cells, f"Comparison.values[{name!r}]", "amounts")):
            v.require_optional(cell, Money, f"Comparison.values[{name!r}][{index}]")
    return _frozen({name: tuple(cells) for name, cells in value.items()})


_RESERVED_LABELS = ("channel", "currency")
Measure = Literal["conversions", "value"]


@attrs.frozen(kw_only=True, repr=False)
class Comparison:
    """Several results lined up per channel (see :func:`compare`): a channel x model table.

    Attributes:
        labels: One column label per result, in the order given.
        credits: Channel -> the conversions each result credits it (0.0 where a
            result lacks it).
        values: Channel -> the value each result credits it (``None`` for a result
            without value); empty when no result carries value.

    Example:
        >>> a = AttributionResult(model="x", credits={"a": 1.0}, total_conversions=1.0)
        >>> b = AttributionResult(model="y", credits={"b": 1.0}, total_conversions=1.0)
        >>> compare(a, b).credits["a"]
        (1.0, 0.0)
    """

    labels: tuple[str, ...] = attrs.field(converter=v.tuple_field, validator=v.items_of(str))
    credits: Mapping[str, tuple[float, ...]] = attrs.field(converter=_cells, hash=False)
    values: Mapping[str, tuple[Money | None, ...]] = attrs.field(
        factory=dict, converter=_values, hash=False
    )

    def __attrs_post_init__(self) -> None:
        for label in self.labels:
            if not label or label in _RESERVED_LABELS or self.labels.count(label) > 1:
                msg = f"Comparison.labels must be distinct non-empty names other than {list(_RESERVED_LABELS)}, got {list(self.labels)!r}"
                raise ValidationError(msg)
        for field, table in (("credits", self.credits), ("values", self.values)):
            for name, cells in table.items():
                if len(cells) != len(self.labels):
                    msg = (
                        f"Comparison.{field}[{name!r}] must hold one credit per label "
                        f"({len(self.labels)}), got {len(cells)}"
                    )
                    raise ValidationError(msg)

    def to_records(
        self, *, exact: bool = False, of: Measure = "conversions"
    ) -> list[dict[str, Any]]:
        """One dict per channel: ``channel`` and one key per label, of conversions or of value.

        With ``of="value"`` each cell is the value credited (a float amount, a
        ``Decimal`` with ``exact=True``, ``None`` for a result without value) and a
        ``currency`` column follows.

        Raises:
            ValidationError: If ``of`` is neither ``"conversions"`` nor ``"value"``.

        Example:
            >>> from salesmark.attribution import PathCounts, first_touch, linear
            >>> counts = PathCounts.from_tuples([(("a", "b"), 1, 0, "90")], currency="EUR")
            >>> table = compare(first_touch(counts), linear(counts))
            >>> table.to_records()
            [{'channel': 'a', 'first_touch': 1.0, 'linear': 0.5}, {'channel': 'b', 'first_touch': 0.0, 'linear': 0.5}]
            >>> table.to_records(of="value")[0]
            {'channel': 'a', 'first_touch': 90.0, 'linear': 45.0, 'currency': 'EUR'}
        """
        if of == "conversions":
            rows = [
                row(channel=name, **dict(zip(self.labels, cells, strict=True)))
                for name, cells in self.credits.items()
            ]
        elif of == "value":
            currency = next((m.currency for c in self.values.values() for m in c if m), None)
            rows = [
                row(
                    channel=name,
                    **dict(zip(self.labels, self.values.get(name, none), strict=True)),
                    currency=currency,
                )
                for none in [(None,) * len(self.labels)]
                for name in self.credits
            ]
        else:
            msg = f"Comparison.to_records of must be 'conversions' or 'value', got {of!r}"
            raise ValidationError(msg)
        return records(rows, exact=exact)

    def to_frame(
        self,
        backend: _frames.Backend = "pandas",
        *,
        exact: bool = False,
        of: Measure = "conversions",
    ) -> Any:
        """The wide table of :meth:`to_records` as a pandas, polars or pyarrow table.

        See :func:`salesmark._frames.to_frame` for the types of the columns.

        Example:
            >>> from salesmark.attribution import PathCounts, first_touch, linear
            >>> counts = PathCounts.from_tuples([(("a", "b"), 1, 0, "90")], currency="EUR")
            >>> compare(first_touch(counts), linear(counts)).to_frame("polars", of="value").columns
            ['channel', 'first_touch', 'linear', 'currency']
        """
        rows = self.to_records(exact=exact, of=of)
        return _frames.frame(rows, backend=backend, exact=exact, what="Comparison.to_frame")

    def _repr_html_(self) -> str:
        shown = _display.table(self.to_records(), caption=f"{self!r}: conversions credited")
        if self.values:
            shown += _display.table(self.to_records(of="value"), caption="value credited")
        return shown

    def __repr__(self) -> str:
        return f"Comparison({len(self.credits)} channels x {', '.join(self.labels)})"


def short_name(result: AttributionResult) -> str:
    """A result's short column name: its model, and the order of a Markov chain above 1.

    Example:
        >>> from salesmark.attribution import PathCounts, markov
        >>> counts = PathCounts.from_tuples([(("a", "b"), 1, 1, None)])
        >>> short_name(markov(counts, order=3)), short_name(markov(counts))
        ('markov_3', 'markov')
    """
    order = result.parameters.get("order")
    if result.model == "markov" and isinstance(order, int) and order != 1:
        return f"markov_{order}"
    return result.model


def compare(
    *results: AttributionResult | Iterable[AttributionResult],
    names: Sequence[str] | None = None,
) -> Comparison:
    """Line several results up per channel: a channel x model table of conversions and of value.

    Columns are named by ``names`` (one per result) or by each result's short name
    (``"linear"``, ``"position_based"``, ``"markov_3"`` for an order-3 chain); results
    that share a short name are named by their full label (model and parameters).
    Channels missing from a result get 0.0 conversions (and zero value, when the
    result has value). The results may come one by one or as one list.

    Args:
        results: The results, in column order (or one iterable of them).
        names: A name for each result's column, in the same order.

    Raises:
        ValidationError: If no result is given, two columns would have one name, a
            name is empty or one of ``"channel"`` and ``"currency"``, or ``names``
            does not give one name per result.
        CurrencyMismatch: If the results' values are in different currencies.

    Example:
        >>> from salesmark.attribution import PathCounts, first_touch, last_touch, markov
        >>> counts = PathCounts.from_tuples([(("a", "b"), 1, 0, "30"), (("b",), 0, 1, None)], currency="EUR")
        >>> compare(first_touch(counts), last_touch(counts)).to_records()
        [{'channel': 'a', 'first_touch': 1.0, 'last_touch': 0.0}, {'channel': 'b', 'first_touch': 0.0, 'last_touch': 1.0}]
        >>> compare([first_touch(counts), markov(counts, order=2)]).labels
        ('first_touch', 'markov_2')
        >>> compare(first_touch(counts), last_touch(counts), names=["first", "last"]).to_records(of="value")[0]
        {'channel': 'a', 'first': 30.0, 'last': 0.0, 'currency': 'EUR'}
    """
    given = _results(results)
    if names is None:
        short = [short_name(r) for r in given]
        labels = [s if short.count(s) == 1 else r.label for s, r in zip(short, given, strict=True)]
        if len(set(labels)) != len(labels):
            msg = f"compare got results with the same label more than once: {labels!r}; pass names= to tell them apart"
            raise ValidationError(msg)
    else:
        labels = list(v.sequence(names, "compare names", "names"))
        v.argument_items(labels, "compare names", str)
        if len(labels) != len(given):
            msg = f"compare names must give one name per result ({len(given)}), got {len(labels)}: {labels!r}"
            raise ValidationError(msg)
    currencies = sorted({r.total_value.currency for r in given if r.total_value is not None})
    if len(currencies) > 1:
        msg = f"compare got values in more than one currency: {currencies}; compare results of one currency"
        raise CurrencyMismatch(msg)
    channels = sorted({c for r in given for c in r.credits})
    table = {c: tuple(float(r.credits.get(c, 0.0)) for r in given) for c in channels}
    values: dict[str, tuple[Money | None, ...]] = {}
    if currencies:
        zero = Money.zero(currencies[0])
        values = {
            c: tuple(None if r.total_value is None else r.value_credits.get(c, zero) for r in given)
            for c in channels
        }
    return Comparison(labels=tuple(labels), credits=table, values=values)


def _results(results: tuple[Any, ...]) -> list[AttributionResult]:
    if len(results) == 1 and not isinstance(results[0], AttributionResult):
        results = tuple(v.sequence(results[0], "compare results", "AttributionResult objects"))
    if not results:
        msg = "compare needs at least one AttributionResult, got none"
        raise ValidationError(msg)
    v.argument_items(results, "compare results", AttributionResult)
    return list(results)


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
