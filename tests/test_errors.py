"""Specification of the one error family."""

from __future__ import annotations

import inspect

import pytest

import salesmark
import salesmark.errors as errors_module
from salesmark import (
    CurrencyMismatch,
    FieldError,
    IllegalTransition,
    MissingReason,
    NaiveDatetime,
    SalesmarkError,
    StructureError,
    UnknownReference,
    ValidationError,
    WrongType,
)

BUILTINS = (ValueError, KeyError, TypeError, ImportError)


def _errors() -> list[type[Exception]]:
    return [
        cls
        for _, cls in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == errors_module.__name__
    ]


class TestErrorFamily:
    def test_every_error_is_listed(self) -> None:
        """errors.__all__ lists every error class and the FieldError record; each error is exported at top level.

        FieldError, read from an error's ``errors`` rather than raised, stays importable
        from ``salesmark`` without being in its ``__all__``.
        """
        assert sorted([*(c.__name__ for c in _errors()), "FieldError"]) == sorted(
            errors_module.__all__
        )
        assert all(getattr(salesmark, c.__name__) is c for c in _errors())
        assert {c.__name__ for c in _errors()} <= set(salesmark.__all__)
        assert salesmark.FieldError is errors_module.FieldError

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

    def test_errors_are_field_errors(self) -> None:
        """Its errors are FieldErrors with JSON Pointer paths; problems are their older string form."""
        fields = [
            FieldError(path="/leads/3/touchpoints/0/at", message="naive", value="'x'"),
            FieldError(path="/attributes/a~1b", message="bad"),
            FieldError(path="", message="not an object"),
        ]
        error = StructureError("cannot structure Organisation", fields)
        assert {
            "errors": tuple(fields),
            "problems": (
                "naive @ $.leads[3].touchpoints[0].at",
                "bad @ $.attributes['a/b']",
                "not an object @ $",
            ),
        } == {"errors": error.errors, "problems": error.problems}

    def test_strings_become_top_level_field_errors(self) -> None:
        """Problems given as strings (as the CRM table reader gives them) are field errors at the top."""
        error = StructureError("bad", ["leads row 3: no id"])
        assert (FieldError(path="", message="leads row 3: no id"),) == error.errors

    def test_to_dict_is_a_422_body(self) -> None:
        """to_dict gives plain data: the error's name, its message and every field error."""
        error = StructureError("cannot structure Money", [FieldError(path="/amount", message="m")])
        assert {
            "error": "StructureError",
            "message": "cannot structure Money",
            "errors": [{"path": "/amount", "message": "m", "value": None, "expected": None}],
        } == error.to_dict()


class TestFieldError:
    def test_value_is_a_short_repr(self) -> None:
        """A value is shown by its repr, cut to 80 characters, even an int beyond Python's print limit."""
        assert "'abc'" == FieldError.shown("abc")
        assert 80 == len(FieldError.shown("x" * 10_000))
        assert "<an integer of about 5001 digits>" == FieldError.shown(10**5000)

    def test_under(self) -> None:
        """under() moves an error's path below a prefix."""
        assert "/leads/0/id" == FieldError(path="/id", message="m").under("/leads/0").path


class TestPaths:
    @pytest.mark.parametrize("cls", _errors(), ids=lambda c: c.__name__)
    def test_every_error_reads_as_field_errors(self, cls: type[Exception]) -> None:
        """Every salesmark error can carry a path and reads as field errors."""
        error = cls("m") if cls is StructureError else cls("m", path="/x", value=3, expected="e")
        assert isinstance(error, SalesmarkError)
        if cls is not StructureError:
            assert (FieldError(path="/x", message="m", value="3", expected="e"),) == error.errors
            assert "/x" == error.to_dict()["errors"][0]["path"]

    def test_without_a_path(self) -> None:
        """An error raised without a path is about the value as a whole."""
        assert (FieldError(path="", message="m"),) == ValidationError("m").errors

    def test_constructor_errors_carry_their_field(self) -> None:
        """A validator's error names its field as a path, and the value and expectation."""
        from datetime import datetime, timezone

        from salesmark import Lead

        with pytest.raises(ValidationError) as caught:
            Lead.create(id=" ", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
        assert {
            "path": "/id",
            "message": "Lead.id must be a non-empty string, got ' '",
            "value": "' '",
            "expected": "a non-empty string",
        } == caught.value.errors[0].to_dict()
