"""Attribute schemas read text as numbers, integers and bools by declared, documented rules."""

from __future__ import annotations

import copy
import pickle
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL, Lead, StructureError, ValidationError, WrongType
from salesmark.attributes import AttributeSchema, AttributeType
from salesmark.scoring import AttributeInRange
from salesmark.serialization import structure, unstructure
from salesmark.tables import LeadColumns, TableMapping, read_leads
from salesmark.testing.strategies import SCORING_AT
from strategies.scoring import build, points, unevaluated

T = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
SCHEMA = AttributeSchema(
    types={"employees": "integer", "revenue": "number", "industry": "text", "trial": "bool"}
)


def _lead(**attributes: Any) -> Lead:
    return Lead.create(id="L1", created_at=T, attributes=attributes)


class TestParse:
    @pytest.mark.parametrize(
        ("name", "raw", "read"),
        [
            ("employees", "400", 400), ("employees", " -3 ", -3), ("employees", 400.0, 400),
            ("employees", "4e2", 400), ("revenue", "12.5", 12.5), ("revenue", "1e3", 1000.0),
            ("revenue", "400", 400), ("revenue", 7, 7), ("industry", "saas", "saas"),
            ("industry", 1234, "1234"), ("trial", "Yes", True), ("trial", "0", False),
            ("trial", 1, True), ("trial", False, False),
        ],
    )  # fmt: skip
    def test_declared_values_are_read(self, name: str, raw: Any, read: Any) -> None:
        """Each type reads its documented forms, keeping ints as ints and floats as floats."""
        parsed = SCHEMA.parse({name: raw})[name]
        assert (read, type(read)) == (parsed, type(parsed))

    def test_undeclared_attributes_are_kept(self) -> None:
        """Attributes the schema does not name come back as they are."""
        assert {"note": "400", "employees": 4} == dict(
            SCHEMA.parse({"note": "400", "employees": "4"})
        )

    def test_blank_text_is_missing(self) -> None:
        """Blank text drops the attribute, so a rule over it says "missing"."""
        assert {} == dict(SCHEMA.parse({"employees": "  ", "trial": ""}))

    @pytest.mark.parametrize(
        ("name", "raw", "error", "match"),
        [
            ("employees", "1,000", ValidationError, "no thousands separators"),
            ("employees", "12.5", ValidationError, "must be a whole number, got '12.5'"),
            ("employees", True, WrongType, "must be a number, got True"),
            ("revenue", "1e999", ValidationError, "must be a finite number"),
            ("revenue", "1e99999", ValidationError, "must be a number"),
            ("revenue", "nan", ValidationError, "must be a number"),
            ("employees", str(2**63), ValidationError, "strictly between -2\\*\\*63 and 2\\*\\*63"),
            ("industry", 1.5, WrongType, "must be text"),
            ("trial", "maybe", ValidationError, "must be true/false"),
            ("trial", 2, ValidationError, "must be true/false"),
            ("trial", 1.0, WrongType, "must be true/false"),
        ],
    )  # fmt: skip
    def test_unreadable_values_are_errors(
        self, name: str, raw: Any, error: type[Exception], match: str
    ) -> None:
        """A value that cannot be read is an error naming the attribute, with its path."""
        with pytest.raises(error, match=match) as caught:
            SCHEMA.parse({name: raw})
        assert f"/attributes/{name}" == caught.value.path  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("types", "error", "match"),
        [
            ({"x": "float"}, ValidationError, r"types\['x'\] must be one of \['text', 'number', 'integer', 'bool'\]"),
            ({"": "text"}, WrongType, "non-empty attribute names"),
            ("number", WrongType, "must be a mapping"),
        ],
    )  # fmt: skip
    def test_bad_schemas_are_refused(self, types: Any, error: type[Exception], match: str) -> None:
        """A schema naming an unknown type, a blank name or no mapping is refused."""
        with pytest.raises(error, match=match):
            AttributeSchema(types=types)

    @given(st.integers(-(2**62), 2**62))
    def test_integers_round_trip_through_text(self, number: int) -> None:
        """Any integer written as text reads back as that integer."""
        assert number == SCHEMA.parse({"employees": str(number)})["employees"]

    @given(st.floats(allow_nan=False, allow_infinity=False))
    def test_floats_round_trip_through_repr(self, number: float) -> None:
        """Any finite float written by repr reads back as the same float."""
        read = SCHEMA.parse({"revenue": repr(number)})["revenue"]
        assert number == read

    def test_types_are_stored_as_members(self) -> None:
        """Types given by value are stored as AttributeType members; the schema pickles and copies."""
        assert AttributeType.INTEGER is SCHEMA.types["employees"]
        assert SCHEMA == pickle.loads(pickle.dumps(SCHEMA, protocol=5)) == copy.deepcopy(SCHEMA)


class TestApply:
    def test_the_reported_defect_is_fixed_explicitly(self) -> None:
        """employees "400" is not evaluated by a range rule; read by a schema it scores."""
        model = build(AttributeInRange(attribute="employees", minimum=50, points=15, id="size"))
        raw = Lead.create(id="L1", created_at=T, attributes={"employees": "400"})
        (read,) = AttributeSchema(types={"employees": "number"}).apply([raw])
        assert ({}, {"size": "expected a number, got '400'"}) == (
            points(model, raw, SCORING_AT),
            unevaluated(model, raw, SCORING_AT),
        )
        assert ({"size": 15}, {}) == (
            points(model, read, SCORING_AT),
            unevaluated(model, read, SCORING_AT),
        )

    def test_a_lead_needing_nothing_is_returned_as_is(self) -> None:
        """A lead whose attributes are already read comes back as the same object."""
        lead = _lead(employees=4)
        assert SCHEMA.apply([lead])[0] is lead

    def test_errors_name_the_lead_position(self) -> None:
        """An unreadable attribute names the lead's position in the path."""
        with pytest.raises(ValidationError) as caught:
            SCHEMA.apply([_lead(), _lead(trial="perhaps")], path="/leads")
        assert "/leads/1/attributes/trial" == caught.value.path

    def test_leads_must_be_leads(self) -> None:
        """apply takes leads only."""
        with pytest.raises(WrongType, match="AttributeSchema.apply leads"):
            SCHEMA.apply(["L1"])  # type: ignore[list-item]


class TestAtTheBoundary:
    def test_structure_reads_attributes(self) -> None:
        """structure(..., attributes=) reads a lead's, a list's and an organisation's leads."""
        data = unstructure(_lead(employees="400", trial="yes"))
        assert {"employees": 400, "trial": True} == dict(
            structure(data, Lead, attributes=SCHEMA).attributes
        )
        assert {"employees": 400, "trial": True} == dict(
            structure([data], list[Lead], attributes=SCHEMA)[0].attributes
        )

    def test_structure_errors_carry_the_path(self) -> None:
        """An unreadable attribute at the boundary is a StructureError at its JSON Pointer."""
        data = [unstructure(_lead()), unstructure(_lead(employees="lots"))]
        with pytest.raises(StructureError) as caught:
            structure(data, list[Lead], attributes=SCHEMA)
        assert ["/1/attributes/employees"] == [e.path for e in caught.value.errors]

    def test_structure_refuses_a_schema_for_other_types(self) -> None:
        """attributes= only makes sense where there are leads."""
        with pytest.raises(WrongType, match="attributes= reads leads' attributes"):
            structure({"amount": "1", "currency": "EUR"}, object, attributes=SCHEMA)

    def test_read_leads_reads_attribute_columns(self) -> None:
        """A CSV's text cells become numbers; an unreadable cell names its table, row and column."""
        mapping = TableMapping(
            name="csv",
            leads=LeadColumns(
                id="id", created_at="created", stage="stage", attributes={"employees": "size"}
            ),
        )
        rows = [
            {"id": "L1", "created": "2026-03-02T09:00:00+00:00", "stage": "inquiry", "size": "400"},
            {"id": "L2", "created": "2026-03-02T09:00:00+00:00", "stage": "inquiry", "size": "n/a"},
        ]
        schema = AttributeSchema(types={"employees": "number"})
        with pytest.raises(
            StructureError,
            match="table 'leads' row 1 column 'size': attribute 'employees' must be a number",
        ):
            read_leads(rows, lifecycle=DEMAND_WATERFALL, mapping=mapping, attributes=schema)
        (lead,) = read_leads(
            rows[:1], lifecycle=DEMAND_WATERFALL, mapping=mapping, attributes=schema
        )
        assert {"employees": 400} == dict(lead.attributes)
