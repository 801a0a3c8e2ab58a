"""Fit rules: points for who the lead is, read from its attributes.

Each kind is one small class holding only its fields, its checks, its description
and its test of a lead's attributes (:meth:`matcher`, which the scoring model compiles
once): :class:`AttributeEquals`, :class:`AttributeOneOf`, :class:`AttributeInRange` and
:class:`AttributePresent`.
When no ``id`` is given, each derives one from what it tests (``industry=saas``).
Comparison is exact: text is case-sensitive, and a bool never equals a number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeAlias

import attrs

from salesmark import _validators as v
from salesmark.errors import ValidationError
from salesmark.leads import AttributeValue
from salesmark.scoring import _checks
from salesmark.scoring.contributions import Dimension

__all__ = [
    "FIT_RULES",
    "AttributeEquals",
    "AttributeInRange",
    "AttributeOneOf",
    "AttributePresent",
    "AttributeTest",
    "FitRule",
]

AttributeTest: TypeAlias = Callable[[Mapping[str, AttributeValue]], "bool | None"]
"""A compiled fit rule: whether a lead's attributes pass it, ``None`` if it cannot tell.

``None`` means the rule was not evaluated: the attribute is missing, or of a kind the
rule never compares with (``"400"``, text, given to a range of numbers). The scoring
model records that as an explicit "not evaluated" contribution (or raises, with
``strict=True``); it never counts as a plain miss. :meth:`AttributeEquals.not_evaluated`
and its siblings say why.

Example:
    >>> test: AttributeTest = AttributePresent(attribute="phone", points=5).matcher()
    >>> test({"phone": "+1 555"})
    True
    >>> AttributeInRange(attribute="employees", minimum=50, points=5).matcher()({"employees": "400"}) is None
    True
"""

_MISSING: Any = object()


@attrs.frozen(kw_only=True)
class AttributeEquals:
    """A fit rule: ``attribute`` equals ``value``.

    Attributes:
        attribute: The lead attribute read.
        value: The value that earns the points (text, a number or a bool).
        points: Points earned when it holds; may be negative; at most 1,000,000 either way.
        id: Unique within the model, shown in explanations; ``attribute=value`` by default.
        label: A human description for reports (empty for none).
        kind: ``"equals"``, the tag of this kind in stored models (a class attribute).
        dimension: :attr:`Dimension.FIT` (a class attribute).

    Raises:
        ValidationError: If the attribute is blank, the value is not text, a bool or a
            finite number, or the points are not a finite number.

    Example:
        >>> rule = AttributeEquals(attribute="industry", value="saas", points=10)
        >>> rule.id, rule.description
        ('industry=saas', "industry = 'saas'")
        >>> rule.matcher()({"industry": "saas"})
        True
    """

    kind: ClassVar[str] = "equals"
    dimension: ClassVar[Dimension] = Dimension.FIT

    attribute: str = attrs.field(validator=v.non_empty_text)
    value: AttributeValue = attrs.field(validator=_checks.attribute_value)
    points: float = attrs.field(validator=_checks.points)
    id: str = attrs.field(validator=v.non_empty_text)
    label: str = attrs.field(default="", validator=v.instance_of(str))

    @id.default  # noqa: A003 (attrs' decorator for the field's default)
    def _default_id(self) -> str:
        return f"{self.attribute}={self.value}"

    @property
    def description(self) -> str:
        """The label, or ``attribute = value`` when there is none.

        Example:
            >>> AttributeEquals(attribute="role", value="cfo", points=20).description
            "role = 'cfo'"
        """
        return self.label or f"{self.attribute} = {self.value!r}"

    def matcher(self) -> AttributeTest:
        """A fast test of a lead's attributes: whether the attribute equals the value.

        ``None`` when the rule cannot tell: the attribute is missing, or text where the
        value is a number (or the other way round). A bool is never a number.

        Example:
            >>> test = AttributeEquals(attribute="n", value=1, points=5).matcher()
            >>> test({"n": 1}), test({"n": 2}), test({"n": True}), test({"n": "1"}), test({})
            (True, False, None, None, None)
        """
        return _checks.fit_matcher(self.attribute, (self.value,))

    def not_evaluated(self, attributes: Mapping[str, AttributeValue]) -> str | None:
        """Why this rule cannot judge ``attributes`` (``"missing"``, ``"expected ..."``), else ``None``.

        Example:
            >>> rule = AttributeEquals(attribute="industry", value="saas", points=10)
            >>> rule.not_evaluated({}), rule.not_evaluated({"industry": 7}), rule.not_evaluated({"industry": "x"})
            ('missing', 'expected text, got 7', None)
        """
        expected = _checks.expected_of((self.value,))
        kinds = frozenset({_checks.category(self.value)})
        return _checks.not_evaluated(self.attribute, kinds, expected, attributes)


@attrs.frozen(kw_only=True)
class AttributeOneOf:
    """A fit rule: ``attribute`` is one of ``values``.

    Attributes:
        attribute: The lead attribute read.
        values: The accepted values, at least one (text, numbers or bools).
        points: Points earned when it holds; may be negative; at most 1,000,000 either way.
        id: Unique within the model; ``attribute in v1|v2`` by default.
        label: A human description for reports (empty for none).
        kind: ``"in"``, the tag of this kind in stored models (a class attribute).
        dimension: :attr:`Dimension.FIT` (a class attribute).

    Raises:
        ValidationError: If there is no value, ``values`` is a lone string, a value is
            not text, a bool or a finite number, or a field is out of range.

    Example:
        >>> rule = AttributeOneOf(attribute="industry", values=["retail", "logistics"], points=10)
        >>> rule.id, rule.values
        ('industry in retail|logistics', ('retail', 'logistics'))
    """

    kind: ClassVar[str] = "in"
    dimension: ClassVar[Dimension] = Dimension.FIT

    attribute: str = attrs.field(validator=v.non_empty_text)
    values: tuple[AttributeValue, ...] = attrs.field(
        converter=_checks.value_tuple, validator=_checks.value_items
    )
    points: float = attrs.field(validator=_checks.points)
    id: str = attrs.field(validator=v.non_empty_text)
    label: str = attrs.field(default="", validator=v.instance_of(str))

    @id.default  # noqa: A003 (attrs' decorator for the field's default)
    def _default_id(self) -> str:
        items = self.values if isinstance(self.values, tuple) else ()
        return f"{self.attribute} in {'|'.join(str(x) for x in items)}"

    def __attrs_post_init__(self) -> None:
        if not self.values:
            msg = f"AttributeOneOf.values must hold at least one value, got {self.values!r}"
            raise ValidationError(msg)

    @property
    def description(self) -> str:
        """The label, or ``attribute in (values)`` when there is none.

        Example:
            >>> AttributeOneOf(attribute="region", values=("emea", "na"), points=5).description
            "region in ('emea', 'na')"
        """
        return self.label or f"{self.attribute} in {self.values!r}"

    def matcher(self) -> AttributeTest:
        """A fast test of a lead's attributes: whether the attribute is one of the values.

        ``None`` when the rule cannot tell: the attribute is missing, or of a kind (text,
        number, bool) that none of the values is.

        Example:
            >>> test = AttributeOneOf(attribute="x", values=[1, True, "a"], points=1).matcher()
            >>> [test({"x": x}) for x in (1, True, "a", 2, False)]
            [True, True, True, False, False]
            >>> AttributeOneOf(attribute="x", values=["a", "b"], points=1).matcher()({"x": 3}) is None
            True
        """
        return _checks.fit_matcher(self.attribute, self.values)

    def not_evaluated(self, attributes: Mapping[str, AttributeValue]) -> str | None:
        """Why this rule cannot judge ``attributes`` (``"missing"``, ``"expected ..."``), else ``None``.

        Example:
            >>> AttributeOneOf(attribute="region", values=("emea", "na"), points=5).not_evaluated({"region": 3})
            'expected text, got 3'
        """
        expected = _checks.expected_of(self.values)
        kinds = frozenset(_checks.category(x) for x in self.values)
        return _checks.not_evaluated(self.attribute, kinds, expected, attributes)


@attrs.frozen(kw_only=True)
class AttributeInRange:
    """A fit rule: numeric ``attribute`` lies within ``[minimum, maximum]`` (either may be open).

    Text and bools never lie in a range.

    Attributes:
        attribute: The lead attribute read.
        minimum: The inclusive lower bound, or ``None`` for none.
        maximum: The inclusive upper bound, or ``None`` for none.
        points: Points earned when it holds; may be negative; at most 1,000,000 either way.
        id: Unique within the model; ``attribute in [minimum, maximum]`` by default.
        label: A human description for reports (empty for none).
        kind: ``"range"``, the tag of this kind in stored models (a class attribute).
        dimension: :attr:`Dimension.FIT` (a class attribute).

    Raises:
        ValidationError: If both bounds are missing, the minimum is above the maximum,
            or a bound is not a finite number.

    Example:
        >>> AttributeInRange(attribute="employees", minimum=1000, points=25).id
        'employees in [1000, ]'
        >>> AttributeInRange(attribute="employees", minimum=5, maximum=1, points=1)
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: AttributeInRange 'employees in [5, 1]' has minimum 5 above maximum 1
    """

    kind: ClassVar[str] = "range"
    dimension: ClassVar[Dimension] = Dimension.FIT

    attribute: str = attrs.field(validator=v.non_empty_text)
    minimum: float | None = attrs.field(default=None, validator=v.optional_finite)
    maximum: float | None = attrs.field(default=None, validator=v.optional_finite)
    points: float = attrs.field(validator=_checks.points)
    id: str = attrs.field(validator=v.non_empty_text)
    label: str = attrs.field(default="", validator=v.instance_of(str))

    @id.default  # noqa: A003 (attrs' decorator for the field's default)
    def _default_id(self) -> str:
        low = "" if self.minimum is None else _checks.number_text(self.minimum)
        high = "" if self.maximum is None else _checks.number_text(self.maximum)
        return f"{self.attribute} in [{low}, {high}]"

    def __attrs_post_init__(self) -> None:
        if self.minimum is None and self.maximum is None:
            msg = f"AttributeInRange {self.id!r} needs a minimum, a maximum or both, got neither"
            raise ValidationError(msg)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            msg = (
                f"AttributeInRange {self.id!r} has minimum {self.minimum!r} "
                f"above maximum {self.maximum!r}"
            )
            raise ValidationError(msg)

    @property
    def description(self) -> str:
        """The label, or ``attribute in [low, high]`` (``-inf``/``inf`` for open ends).

        Example:
            >>> AttributeInRange(attribute="employees", maximum=10, points=1).description
            'employees in [-inf, 10]'
        """
        if self.label:
            return self.label
        low = "-inf" if self.minimum is None else f"{self.minimum:g}"
        high = "inf" if self.maximum is None else f"{self.maximum:g}"
        return f"{self.attribute} in [{low}, {high}]"

    def matcher(self) -> AttributeTest:
        """A fast test of a lead's attributes: whether the attribute is a number in range.

        ``None`` when the rule cannot tell: the attribute is missing or not a number
        (``"100"`` is text until an :class:`~salesmark.attributes.AttributeSchema` reads
        it as a number; a bool is never a number).

        Example:
            >>> test = AttributeInRange(attribute="employees", minimum=50, maximum=500, points=15).matcher()
            >>> [test({"employees": x}) for x in (50, 500, 49.9, "100", True)]
            [True, True, False, None, None]
        """
        name = self.attribute
        low = -math.inf if self.minimum is None else self.minimum
        high = math.inf if self.maximum is None else self.maximum

        def in_range(a: Mapping[str, AttributeValue]) -> bool | None:
            x = a.get(name)  # a missing attribute is None, no number
            if x.__class__ is int or x.__class__ is float:
                return low <= x <= high
            return None  # missing, text or a bool: not evaluated

        return in_range

    def not_evaluated(self, attributes: Mapping[str, AttributeValue]) -> str | None:
        """Why this rule cannot judge ``attributes`` (``"missing"``, ``"expected a number, ..."``), else ``None``.

        Example:
            >>> AttributeInRange(attribute="employees", minimum=50, points=15).not_evaluated({"employees": "400"})
            "expected a number, got '400'"
        """
        return _checks.not_evaluated(self.attribute, frozenset({"number"}), "a number", attributes)


@attrs.frozen(kw_only=True)
class AttributePresent:
    """A fit rule: ``attribute`` is given and not blank text.

    Attributes:
        attribute: The lead attribute read.
        points: Points earned when it holds; may be negative; at most 1,000,000 either way.
        id: Unique within the model; ``attribute given`` by default.
        label: A human description for reports (empty for none).
        kind: ``"present"``, the tag of this kind in stored models (a class attribute).
        dimension: :attr:`Dimension.FIT` (a class attribute).

    Raises:
        ValidationError: If the attribute is blank or the points are not a finite number.

    Example:
        >>> AttributePresent(attribute="phone", points=5).id
        'phone given'
        >>> AttributePresent(attribute="phone", points=5, label="Left a number").description
        'Left a number'
    """

    kind: ClassVar[str] = "present"
    dimension: ClassVar[Dimension] = Dimension.FIT

    attribute: str = attrs.field(validator=v.non_empty_text)
    points: float = attrs.field(validator=_checks.points)
    id: str = attrs.field(validator=v.non_empty_text)
    label: str = attrs.field(default="", validator=v.instance_of(str))

    @id.default  # noqa: A003 (attrs' decorator for the field's default)
    def _default_id(self) -> str:
        return f"{self.attribute} given"

    @property
    def description(self) -> str:
        """The label, or ``attribute given`` when there is none.

        Example:
            >>> AttributePresent(attribute="phone", points=5).description
            'phone given'
        """
        return self.label or f"{self.attribute} given"

    def matcher(self) -> AttributeTest:
        """A fast test of a lead's attributes: whether the attribute is given and not blank.

        Example:
            >>> test = AttributePresent(attribute="phone", points=5).matcher()
            >>> [test(a) for a in ({"phone": "1"}, {"phone": 0}, {"phone": " "}, {})]
            [True, True, False, False]
        """
        name = self.attribute

        def present(a: Mapping[str, AttributeValue]) -> bool:
            x = a.get(name, _MISSING)
            return x is not _MISSING and not (x.__class__ is str and not x.strip())

        return present

    def not_evaluated(self, attributes: Mapping[str, AttributeValue]) -> str | None:
        """Always ``None``: whether an attribute is given is always known (a missing one fails).

        Example:
            >>> AttributePresent(attribute="phone", points=5).not_evaluated({}) is None
            True
        """
        return None


FitRule: TypeAlias = AttributeEquals | AttributeOneOf | AttributeInRange | AttributePresent
"""Any fit rule.

Example:
    >>> rule: FitRule = AttributePresent(attribute="phone", points=5)
    >>> rule.dimension.value
    'fit'
"""

FIT_RULES: tuple[
    type[AttributeEquals], type[AttributeOneOf], type[AttributeInRange], type[AttributePresent]
] = (AttributeEquals, AttributeOneOf, AttributeInRange, AttributePresent)
"""The fit rule classes, for ``isinstance`` checks.

Example:
    >>> [cls.kind for cls in FIT_RULES]
    ['equals', 'in', 'range', 'present']
"""
