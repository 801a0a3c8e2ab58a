"""Tests for salesmark.scoring.rules: the rule union, its kind tags and its serialized shape."""

from __future__ import annotations

import ast
import doctest
import itertools
import json
import typing
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings

from salesmark import StructureError, TouchpointKind
from salesmark.scoring import (
    RULE_KINDS,
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
    Dimension,
    EachTouch,
    NoRecentTouch,
    RecentTouch,
    ScoringModel,
    ScoringRule,
    engagement,
    fit,
    rules,
)
from salesmark.scoring.rules import SCORING_RULES, rule_kind
from salesmark.serialization import converter, structure, unstructure
from salesmark.testing.strategies import scoring_models, scoring_rules
from strategies.scoring import build

EXAMPLES: list[ScoringRule] = [
    AttributeEquals(attribute="role", value="cfo", points=10),
    AttributeOneOf(attribute="industry", values=["saas", 3, True, 2.5], points=5, label="ICP"),
    AttributeInRange(attribute="employees", minimum=10, maximum=99.5, points=5),
    AttributePresent(attribute="phone", points=1),
    EachTouch(
        id="t",
        points=2,
        kinds=[TouchpointKind.WEBINAR],
        channels=["events"],
        window=timedelta(days=7),
        at_least=2,
        cap=10,
    ),
    RecentTouch(id="r", points=3, window=timedelta(days=7)),
    NoRecentTouch(id="i", points=-3, window=timedelta(days=90), channels=["email"]),
]


def _round_trip(data: Any, cls: Any) -> Any:
    return structure(json.loads(json.dumps(data)), cls)


class TestScoringRule:
    def test_each_class_has_its_kind_and_dimension(self) -> None:
        """Each rule class carries the kind tag of the table and the dimension it scores."""
        assert {
            "AttributeEquals": ("equals", Dimension.FIT),
            "AttributeOneOf": ("in", Dimension.FIT),
            "AttributeInRange": ("range", Dimension.FIT),
            "AttributePresent": ("present", Dimension.FIT),
            "EachTouch": ("touches", Dimension.ENGAGEMENT),
            "RecentTouch": ("recency", Dimension.ENGAGEMENT),
            "NoRecentTouch": ("inactivity", Dimension.ENGAGEMENT),
        } == {type(r).__name__: (r.kind, r.dimension) for r in EXAMPLES}

    def test_the_union_holds_every_class(self) -> None:
        """ScoringRule, SCORING_RULES and RULE_KINDS name the same seven classes."""
        assert set(typing.get_args(ScoringRule)) == set(SCORING_RULES) == set(RULE_KINDS.values())
        assert [rule_kind(cls) for cls in SCORING_RULES] == list(RULE_KINDS)

    def test_kinds_are_unique(self) -> None:
        """No two classes share a kind tag."""
        assert len(SCORING_RULES) == len(RULE_KINDS)


class TestSerializedShape:
    @pytest.mark.parametrize("rule", EXAMPLES, ids=lambda rule: type(rule).__name__)
    def test_every_kind_round_trips(self, rule: ScoringRule) -> None:
        """Each kind unstructures to its fields plus its kind tag and reads back equal."""
        data = converter.unstructure(rule, unstructure_as=ScoringRule)
        assert rule.kind == data["kind"]
        assert rule == _round_trip(data, ScoringRule)

    def test_shape_of_a_rule(self) -> None:
        """A rule is stored as a flat mapping of its own fields and the kind; durations are ISO 8601."""
        data = converter.unstructure(EXAMPLES[6], unstructure_as=ScoringRule)
        assert {
            "kind": "inactivity",
            "id": "i",
            "points": -3,
            "window": "P90D",
            "kinds": [],
            "channels": ["email"],
            "label": "",
        } == data

    def test_a_model_stores_tagged_rules(self) -> None:
        """A model's rules are stored with their kinds, and the model reads back equal."""
        model = build(*EXAMPLES)
        data = unstructure(model)
        assert [r.kind for r in EXAMPLES] == [r["kind"] for r in data["rules"]]
        assert model == _round_trip(data, ScoringModel)

    @settings(max_examples=60, deadline=None)
    @given(model=scoring_models())
    def test_generated_models_round_trip(self, model: ScoringModel) -> None:
        """structure(unstructure(model)) == model for generated models of every rule kind."""
        assert model == _round_trip(unstructure(model), ScoringModel)

    @settings(max_examples=60, deadline=None)
    @given(rule=scoring_rules())
    def test_generated_rules_round_trip(self, rule: ScoringRule) -> None:
        """Every generated rule round-trips on its own through the tagged union."""
        assert rule == _round_trip(
            converter.unstructure(rule, unstructure_as=ScoringRule), ScoringRule
        )

    @pytest.mark.parametrize(
        ("change", "pattern"),
        [
            (
                {"kind": "contains"},
                r"rule kind, one of \['equals', .*got 'contains' @ \$\.rules\[0\]\.kind",
            ),
            ({"kind": None}, r"got None @ \$\.rules\[0\]\.kind"),
            (
                {"kind": "present", "window": "P1D"},
                r"unknown field 'window': AttributePresent has no such field @ \$\.rules\[0\]\.window",
            ),
        ],
    )
    def test_bad_kinds_are_clear_errors(self, change: dict[str, object], pattern: str) -> None:
        """Stored data with an unknown kind, or a field its kind does not have, names the path."""
        data = unstructure(build(AttributePresent(attribute="p", points=1)))
        data["rules"][0].update(change)
        with pytest.raises(StructureError, match=pattern):
            structure(data, ScoringModel)

    def test_missing_kind_is_a_clear_error(self) -> None:
        """A stored rule without a kind names the kind's path."""
        data = unstructure(build(AttributePresent(attribute="p", points=1)))
        del data["rules"][0]["kind"]
        with pytest.raises(StructureError, match=r"got None @ \$\.rules\[0\]\.kind"):
            structure(data, ScoringModel)

    def test_a_rule_must_be_a_mapping(self) -> None:
        """A stored rule that is not a mapping is refused at its position."""
        data = unstructure(build(AttributePresent(attribute="p", points=1)))
        data["rules"][0] = "present"
        with pytest.raises(StructureError, match=r"got 'present' @ \$\.rules\[0\]"):
            structure(data, ScoringModel)

    def test_bad_field_of_a_known_kind_names_its_path(self) -> None:
        """A bad field inside a rule of a known kind is named by its full path."""
        data = unstructure(build(EachTouch(id="t", points=1)))
        data["rules"][0]["at_least"] = 0
        with pytest.raises(StructureError, match=r"EachTouch\.at_least .*@ \$\.rules\[0\]"):
            structure(data, ScoringModel)


def _constant_docs(module: ModuleType) -> list[str]:
    """The docstrings written under the module's constants and type aliases."""
    body = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8")).body
    return [
        after.value.value
        for before, after in itertools.pairwise(body)
        if isinstance(before, ast.Assign | ast.AnnAssign)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
        and isinstance(after.value.value, str)
    ]


class TestConstantExamples:
    @pytest.mark.parametrize("module", [fit, engagement, rules], ids=lambda m: m.__name__)
    def test_examples_under_constants_run(self, module: ModuleType) -> None:
        """The examples under the rule modules' constants and aliases hold (doctest skips them)."""
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        parser = doctest.DocTestParser()
        for index, text in enumerate(_constant_docs(module)):
            name = f"{module.__name__}[{index}]"
            runner.run(parser.get_doctest(text, dict(vars(module)), name, module.__file__, 0))
        assert (0, True) == (runner.failures, runner.tries > 0)
