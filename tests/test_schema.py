"""Specification of json_schema: the JSON Schema of exactly what structure accepts."""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import pkgutil
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Union

import attrs
import pytest
from cattrs.strategies import configure_tagged_union
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.validators import extend

import salesmark
from salesmark import (
    Lead,
    Lifecycle,
    Money,
    Organisation,
    StageChange,
    StructureError,
    Transition,
    json_schema,
    make_converter,
    structure,
    unstructure,
)
from salesmark.attribution import PathCounts
from salesmark.schema import DIALECT
from salesmark.scoring import Calibration
from salesmark.serialization import format_duration
from strategies import boundary_types, mutations, result_samples

TYPES = boundary_types()
IDS = [f"{getattr(cls, '__name__', cls)}-{i}" for i, (cls, _) in enumerate(TYPES)]
SHAPE = ("expected ", "required field", "unknown field")
"""How structure's shape errors begin; other errors are rules of the domain."""

# structure reads an integer only from a JSON integer; JSON Schema also counts 1.0 as one
_INTEGERS = Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
)
Strict = extend(Draft202012Validator, type_checker=_INTEGERS)


def _public_classes() -> list[type[Any]]:
    """Every attrs class and enum that a public module of salesmark lists in its __all__."""
    found: dict[str, type[Any]] = {}
    for info in pkgutil.walk_packages(salesmark.__path__, "salesmark."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) and (attrs.has(obj) or issubclass(obj, enum.Enum)):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def _validator(cls: Any) -> Draft202012Validator:
    return Strict(json_schema(cls))


class TestEverySchema:
    @pytest.mark.parametrize("cls", _public_classes(), ids=lambda c: c.__name__)
    def test_every_public_class_has_a_valid_schema(self, cls: type[Any]) -> None:
        """Every public class and enum has a schema that is itself valid draft 2020-12."""
        schema = json_schema(cls)
        Draft202012Validator.check_schema(schema)
        assert DIALECT == schema["$schema"]
        assert json.loads(json.dumps(schema)) == schema

    @pytest.mark.parametrize(
        "name",
        [
            n
            for n in salesmark.__all__
            if inspect.isclass(getattr(salesmark, n)) and not issubclass(getattr(salesmark, n), Exception)
        ],
    )  # fmt: skip
    def test_every_class_of_the_top_level(self, name: str) -> None:
        """Every class in salesmark.__all__ has a schema its values are checked against: enums member by member, classes through a strategy or a sample here."""
        cls = getattr(salesmark, name)
        assert cls in set(_public_classes())
        if issubclass(cls, enum.Enum):
            validator = Draft202012Validator(json_schema(cls))
            assert [] == [m for m in cls if not validator.is_valid(unstructure(m))]
        else:
            covered = {c for c, _ in TYPES} | {type(r) for r in result_samples()}
            assert cls in covered

    @pytest.mark.parametrize(("cls", "strategy"), TYPES, ids=IDS)
    def test_unstructured_values_validate(self, cls: Any, strategy: st.SearchStrategy[Any]) -> None:
        """Every unstructured value of every strategy validates against its type's schema; changed in one place, what structure refuses for its shape the schema refuses too, and what structure reads the schema accepts."""
        strict, standard = _validator(cls), Draft202012Validator(json_schema(cls))

        @settings(max_examples=30)
        @given(st.data())
        def check(data: st.DataObject) -> None:
            valid = json.loads(json.dumps(unstructure(data.draw(strategy))))
            assert [] == [e.message for e in strict.iter_errors(valid)]
            assert standard.is_valid(valid)
            _kind, _path, changed = data.draw(mutations(valid))
            try:
                structure(changed, cls)
            except StructureError as error:
                shape = [e for e in error.errors if e.message.startswith(SHAPE)]
                assert not shape or not strict.is_valid(changed), shape
            else:
                assert strict.is_valid(changed)

        check()

    @pytest.mark.parametrize("result", result_samples(), ids=lambda r: type(r).__name__)
    def test_analytics_results_validate(self, result: Any) -> None:
        """Every analytics result that unstructures validates against its schema."""
        data = json.loads(json.dumps(unstructure(result)))
        assert [] == [e.message for e in _validator(type(result)).iter_errors(data)]


class TestShapes:
    def test_stage_fields_refuse_empty_text(self) -> None:
        """A stage field (a lead's stage change, a transition's ends, a lifecycle's first stage) is text of at least one character."""
        found = {
            f"{cls.__name__}.{name}": json_schema(cls)["$defs"][cls.__name__]["properties"][name]
            for cls, name in (
                (StageChange, "stage"),
                (Transition, "source"),
                (Transition, "target"),
                (Lifecycle, "initial"),
            )
        }
        assert {key: {"type": "string", "minLength": 1} for key in found} == found

    def test_result_ranges_are_stated(self) -> None:
        """A result's bounded numbers carry their bounds: a calibration's AUC from 0 to 1, its counts from 0."""
        properties = json_schema(Calibration)["$defs"]["Calibration"]["properties"]
        auc = Draft202012Validator(properties["auc"]).is_valid
        leads = Draft202012Validator(properties["leads"]).is_valid
        assert {"auc": (True, True, False, False), "leads": (True, False)} == {
            "auc": (auc(0.5), auc(None), auc(1.5), auc(-0.1)),
            "leads": (leads(0), leads(-1)),
        }

    def test_text_forms(self) -> None:
        """Decimals, datetimes and durations are the patterns structure checks."""
        schema = json_schema(Money)["$defs"]["Money"]["properties"]["amount"]
        valid = Draft202012Validator(schema).is_valid
        assert (True, True, False, False) == (
            valid("12.50"),
            valid(12),
            valid("1_000"),
            valid(" 12"),
        )
        at = json_schema(datetime)
        assert Draft202012Validator(at).is_valid("2026-03-02T09:00:00+01:00[Europe/Berlin]")
        assert not Draft202012Validator(at).is_valid("2026-03-02T09:00:00")
        assert Draft202012Validator(json_schema(timedelta)).is_valid(
            format_duration(timedelta(days=3, microseconds=5))
        )

    @pytest.mark.parametrize(
        "text", ["12.50", "-1e3", ".5", "5.", "1_000", " 12", "1e", "NaN", "+"]
    )
    def test_decimal_pattern_is_what_structure_reads(self, text: str) -> None:
        """A decimal string passes the schema exactly when structure reads it."""
        try:
            structure(text, Decimal)
        except StructureError:
            read = False
        else:
            read = True
        assert read == Draft202012Validator(json_schema(Decimal)).is_valid(text)

    @given(
        st.from_regex(
            r"-?P(\d{1,3}D)?(T(\d{1,2}H)?(\d{1,2}M)?(\d{1,2}(\.\d{1,7})?S)?)?", fullmatch=True
        )
    )
    def test_duration_pattern_is_what_structure_reads(self, text: str) -> None:
        """A duration passes the schema exactly when structure reads it."""
        try:
            structure(text, timedelta)
        except StructureError:
            read = False
        else:
            read = True
        assert read == Draft202012Validator(json_schema(timedelta)).is_valid(text)

    def test_classes_once_under_defs(self) -> None:
        """Nested classes are defined once under $defs and referred to by $ref; extra keys are refused."""
        schema = json_schema(Organisation)
        defs = schema["$defs"]
        assert {"Organisation", "Lead", "Touchpoint", "Lifecycle", "Money"} <= set(defs)
        lead = defs["Lead"]
        assert {"$ref": "#/$defs/Touchpoint"} == lead["properties"]["touchpoints"]["items"]
        assert (False, ["id", "created_at", "history"]) == (
            lead["additionalProperties"],
            lead["required"],
        )
        touchpoint = defs["Touchpoint"]
        # The kind is open text (a CRM's own kinds too); the team is required, never guessed.
        assert (
            {"type": "string", "pattern": "\\S"},
            {"enum": ["sales", "marketing"]},
            ["at", "channel", "kind", "team"],
        ) == (
            touchpoint["properties"]["kind"],
            touchpoint["properties"]["team"],
            touchpoint["required"],
        )

    def test_generic_roots(self) -> None:
        """A list of leads is an array of them."""
        assert {"$ref": "#/$defs/Lead"} == json_schema(list[Lead])["items"]

    def test_path_counts_wire_shape(self) -> None:
        """PathCounts is its wire shape: a currency and a list of path rows."""
        schema = json_schema(PathCounts)
        assert {"currency", "paths"} == set(schema["$defs"]["PathCounts"]["properties"])
        counts = PathCounts.from_tuples([(("a", "b"), 1, 0, Money.of("5", "EUR"))], currency="EUR")
        assert Draft202012Validator(schema).is_valid(unstructure(counts))

    def test_validator_rules_are_stated(self) -> None:
        """A rule a validator states (a non-blank id) is refused by the schema as by structure."""
        data = unstructure(Lead.create(id="L", created_at=datetime(2026, 1, 5).astimezone()))
        data["id"] = " "
        with pytest.raises(StructureError):
            structure(data, Lead)
        assert not _validator(Lead).is_valid(data)

    def test_envelope(self) -> None:
        """The envelope schema names the current version and the type."""
        lead = Lead.create(id="L", created_at=datetime(2026, 1, 5).astimezone())
        schema = json_schema(Lead, envelope=True)
        valid = Draft202012Validator(schema).is_valid
        data = unstructure(lead, envelope=True)
        assert valid(data)
        assert not valid({**data, "schema": "salesmark/0"})
        assert not valid({**data, "type": "Money"})

    def test_not_a_type(self) -> None:
        """Something the converter does not read has no schema."""
        with pytest.raises(salesmark.WrongType, match="json_schema cls"):
            json_schema(print)


@attrs.frozen(kw_only=True)
class _Email:
    address: str


@attrs.frozen(kw_only=True)
class _Phone:
    number: str
    country: str = "DE"


Contact = Union[_Email, _Phone]  # noqa: UP007 (a runtime union, as cattrs reads it)


class TestTaggedUnions:
    def test_branches_carry_their_tags(self) -> None:
        """A tagged union is one branch per class, each requiring its tag."""
        conv = make_converter()
        configure_tagged_union(
            Contact, conv, tag_name="kind", tag_generator=lambda c: c.__name__.strip("_").lower()
        )
        schema = json_schema(list[Contact], converter=conv)
        data = conv.unstructure([_Email(address="a@b.c"), _Phone(number="1")], list[Contact])
        validator = Draft202012Validator(schema)
        assert validator.is_valid(data)
        assert ["email", "phone"] == [
            b["properties"]["kind"]["const"] for b in schema["items"]["oneOf"]
        ]
        assert not validator.is_valid([{"kind": "fax", "number": "1"}])
        assert not validator.is_valid([{"number": "1"}])

    def test_untagged_unions_are_any_of(self) -> None:
        """Without tags, a union of classes is any of their schemas."""
        schema = json_schema(Contact)
        assert {"anyOf"} <= set(schema)


class TestDocumentedLimits:
    def test_integers_written_as_floats(self) -> None:
        """JSON Schema counts 1.0 as an integer; structure reads integers only from JSON integers."""
        schema = json_schema(salesmark.ServiceLevelAgreement)
        data = unstructure(salesmark.ServiceLevelAgreement(id="s", mql_volume=400))
        data["mql_volume"] = 400.0
        assert Draft202012Validator(schema).is_valid(data)
        assert not Strict(schema).is_valid(data)
        with pytest.raises(StructureError, match="mql_volume"):
            structure(data, salesmark.ServiceLevelAgreement)

    def test_cross_field_rules(self) -> None:
        """A history out of time order fits the schema; structure refuses it."""
        t = datetime(2026, 1, 5).astimezone()
        data = unstructure(
            Lead.create(id="L", created_at=t).advance("mql", at=t + timedelta(hours=1))
        )
        data["history"][1]["at"] = unstructure(t - timedelta(hours=1))
        assert _validator(Lead).is_valid(data)
        with pytest.raises(StructureError, match=re.escape("time never goes backwards")):
            structure(data, Lead)
