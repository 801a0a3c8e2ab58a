"""salesmark.testing.strategies: shipped behind the hypothesis extra, valid by construction."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesmark
from salesmark import DEMAND_WATERFALL, HUBSPOT, Money, ValidationError, structure, unstructure
from salesmark.testing import MissingExtra
from salesmark.testing import strategies as sms

IMPORT_BUILDERS = """
import sys
import salesmark
import salesmark.testing
from salesmark.testing import lead, organisation_of
print(sorted(m for m in sys.modules if m.split(".")[0] == "hypothesis"))
"""

WITHOUT_HYPOTHESIS = """
import sys
from importlib.abc import MetaPathFinder


class Refuse(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "hypothesis":
            raise ImportError(f"{name} is blocked in this test")
        return None


sys.meta_path.insert(0, Refuse())

from salesmark import SalesmarkError
from salesmark.testing import MissingExtra, lead

try:
    import salesmark.testing.strategies
except SalesmarkError as exc:
    assert isinstance(exc, MissingExtra) and isinstance(exc, ImportError), type(exc)
    print(exc)
else:
    raise AssertionError("salesmark.testing.strategies imported without hypothesis")
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout


class TestTheExtra:
    def test_builders_never_import_hypothesis(self) -> None:
        """import salesmark and salesmark.testing (the builders) load no hypothesis module."""
        assert "[]\n" == _run(IMPORT_BUILDERS)

    def test_strategies_without_hypothesis_name_the_extra(self) -> None:
        """With hypothesis blocked, importing the strategies raises MissingExtra naming the pip command."""
        assert "pip install 'salesmark[hypothesis]'" in _run(WITHOUT_HYPOTHESIS)

    def test_missing_extra_is_a_salesmark_import_error(self) -> None:
        """MissingExtra is both a SalesmarkError and an ImportError, so importorskip works."""
        assert issubclass(MissingExtra, salesmark.SalesmarkError)
        assert issubclass(MissingExtra, ImportError)


class TestPublicTypes:
    def test_every_top_level_class_with_fields_has_a_strategy(self) -> None:
        """Each attrs class of salesmark.__all__ is covered by public_types (organisations included)."""
        covered = {cls for cls, _ in sms.public_types()}
        classes = [getattr(salesmark, n) for n in salesmark.__all__]
        missing = [
            c.__name__
            for c in classes
            if isinstance(c, type) and hasattr(c, "__attrs_attrs__") and c not in covered
        ]
        assert [] == missing


class TestUnstructured:
    @settings(max_examples=20, deadline=None)
    @given(sms.unstructured(Money))
    def test_a_type_gives_its_json_form(self, data: Any) -> None:
        """unstructured(Money) draws JSON text-safe data that structure reads back."""
        assert data == json.loads(json.dumps(data))
        assert data == unstructure(structure(data, Money))

    @settings(max_examples=10, deadline=None)
    @given(sms.unstructured(sms.leads(HUBSPOT)))
    def test_a_strategy_gives_its_json_form(self, data: Any) -> None:
        """unstructured of a strategy draws the JSON form of its values."""
        assert data == unstructure(structure(data, salesmark.Lead, lifecycle=HUBSPOT))

    def test_a_type_without_a_strategy_is_refused(self) -> None:
        """A type with no strategy here is a ValidationError naming it."""
        with pytest.raises(ValidationError, match="unstructured of must be a public type"):
            sms.unstructured(int)


class TestLeads:
    @settings(max_examples=30, deadline=None)
    @given(
        st.sampled_from([DEMAND_WATERFALL, HUBSPOT]).flatmap(
            lambda lc: st.tuples(st.just(lc), sms.leads(lc))
        )
    )
    def test_histories_are_legal_in_their_lifecycle(
        self, drawn: tuple[Any, salesmark.Lead]
    ) -> None:
        """Every drawn lead's history is a legal walk of the lifecycle it was drawn for."""
        lifecycle, lead = drawn
        lifecycle.validate_history([(c.stage, c.reason) for c in lead.history])
        assert lead.created_at <= lead.history[0].at
