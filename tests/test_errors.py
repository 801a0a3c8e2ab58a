"""Specification of the one error family."""

from __future__ import annotations

import inspect

import pytest

import salesmark
import salesmark.errors as errors_module
from salesmark import (
    CurrencyMismatch,
    IllegalTransition,
    MissingReason,
    NaiveDatetime,
    SalesmarkError,
    StructureError,
    UnknownReference,
    ValidationError,
    WrongType,
)

BUILTINS = (ValueError, KeyError, TypeError)


def _errors() -> list[type[Exception]]:
    return [
        cls
        for _, cls in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == errors_module.__name__
    ]


class TestErrorFamily:
    def test_every_error_is_listed(self) -> None:
        """errors.__all__ lists every error class, and each is exported at top level."""
        assert sorted(c.__name__ for c in _errors()) == sorted(errors_module.__all__)
        assert all(
            getattr(salesmark, name) is getattr(errors_module, name)
            for name in errors_module.__all__
        )

    @pytest.mark.parametrize("cls", _errors(), ids=lambda c: c.__name__)
    def test_every_error_is_in_the_family_and_a_builtin(self, cls: type[Exception]) -> None:
        """Every error derives from SalesmarkError and, except the base, from a built-in too."""
        assert issubclass(cls, SalesmarkError)
        if cls is not SalesmarkError:
            assert issubclass(cls, BUILTINS)
        assert cls.__doc__

    @pytest.mark.parametrize(
        ("cls", "builtins"),
        [
            (ValidationError, (ValueError,)),
            (NaiveDatetime, (ValueError, TypeError)),
            (WrongType, (ValueError, TypeError)),
            (CurrencyMismatch, (ValueError,)),
            (IllegalTransition, (ValueError,)),
            (MissingReason, (ValueError,)),
            (UnknownReference, (KeyError,)),
            (StructureError, (ValueError,)),
        ],
    )
    def test_each_resembles_its_builtin(
        self, cls: type[Exception], builtins: tuple[type[Exception], ...]
    ) -> None:
        """Each error is caught by the built-in it resembles."""
        for builtin in builtins:
            assert isinstance(cls("x"), builtin)

    def test_specific_relations(self) -> None:
        """A missing reason is an illegal transition; naive datetimes and bad data are validation errors."""
        assert issubclass(MissingReason, IllegalTransition)
        assert issubclass(NaiveDatetime, ValidationError)
        assert issubclass(StructureError, ValidationError)

    def test_base_is_not_a_builtin_subclass(self) -> None:
        """The base error is a plain Exception, so catching it catches only salesmark failures."""
        assert not issubclass(SalesmarkError, BUILTINS)


class TestUnknownReference:
    def test_reads_well(self) -> None:
        """UnknownReference is a KeyError whose message is not wrapped in quotes."""
        assert "no lead 'x'" == str(UnknownReference("no lead 'x'"))
        assert "" == str(UnknownReference())


class TestStructureError:
    def test_carries_its_problems(self) -> None:
        """A StructureError keeps the list of problems beside its message."""
        error = StructureError("bad", ("x @ $.a",))
        assert ("bad", ("x @ $.a",)) == (str(error), error.problems)
        assert () == StructureError("bad").problems
