"""Every tuple field of a public type refuses a value that is no sequence, naming the field and its path.

A tuple field converts any iterable to a tuple; a number, a lone string or a mapping
given directly (not read from data, where ``structure`` names it) is a ``WrongType``
(also a ``TypeError``) whose message starts ``Class.field`` and whose path is the field's.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesmark import _validators as v
from salesmark.errors import WrongType
from strategies import boundary_types

TUPLE_FIELDS = sorted(
    {
        (cls.__name__, field.name, id(strategy)): (cls, field.name, strategy)
        for cls, strategy in boundary_types()
        if attrs.has(cls)
        for field in attrs.fields(cls)
        if field.init and field.converter is v.tuple_field
    }.values(),
    key=lambda item: (item[0].__name__, item[1]),
)


class TestTupleFields:
    def test_the_domain_has_tuple_fields_to_check(self) -> None:
        """The public types hold tuple fields through the named converter (personas, narratives, the organisation)."""
        names = {cls.__name__ for cls, _, _ in TUPLE_FIELDS}
        assert {"Persona", "Narrative", "Organisation"} <= names

    @pytest.mark.parametrize(
        ("cls", "name", "strategy"),
        TUPLE_FIELDS,
        ids=[f"{cls.__name__}.{name}" for cls, name, _ in TUPLE_FIELDS],
    )
    @pytest.mark.parametrize("bad", [5, "abc", {"a": 1}], ids=["number", "string", "mapping"])
    def test_a_value_that_is_no_sequence_is_refused_naming_the_field(
        self, cls: type[Any], name: str, strategy: st.SearchStrategy[Any], bad: object
    ) -> None:
        """attrs.evolve with a non-sequence in a tuple field: WrongType, a TypeError, naming Class.field and /field."""

        @settings(max_examples=1, suppress_health_check=list(HealthCheck), deadline=None)
        @given(strategy)
        def check(obj: Any) -> None:
            with pytest.raises(WrongType) as caught:
                attrs.evolve(obj, **{name: bad})
            assert {
                "starts": f"{cls.__name__}.{name} must be a sequence of items, got",
                "path": f"/{name}",
                "type error": True,
            } == {
                "starts": str(caught.value)[
                    : len(f"{cls.__name__}.{name} must be a sequence of items, got")
                ],
                "path": caught.value.path,
                "type error": isinstance(caught.value, TypeError),
            }

        check()
