"""Specification of the one error family."""

from __future__ import annotations

import inspect

import pytest

import salesmark.errors as errors_module
from salesmark import SalesmarkError, UnknownReference


def _errors() -> list[type[Exception]]:
    return [
        cls
        for _, cls in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == errors_module.__name__
    ]


class TestErrors:
    @pytest.mark.parametrize("cls", _errors(), ids=lambda c: c.__name__)
    def test_every_error_is_in_the_family_and_a_builtin(self, cls: type[Exception]) -> None:
        """Every error derives from SalesmarkError and, except the base, from a built-in too."""
        assert issubclass(cls, SalesmarkError)
        if cls is not SalesmarkError:
            assert issubclass(cls, ValueError | KeyError | TypeError)
        assert cls.__doc__

    def test_unknown_reference_reads_well(self) -> None:
        """UnknownReference is a KeyError whose message is not wrapped in quotes."""
        assert "no lead 'x'" == str(UnknownReference("no lead 'x'"))
        assert issubclass(UnknownReference, KeyError)
