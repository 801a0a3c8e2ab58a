"""The one error family of salesmark.

Every error the package raises derives from :class:`SalesmarkError` and also from the
built-in exception it resembles, so callers may catch either::

    try:
        Money.of("1.00", "EUR") + Money.of("1.00", "USD")
    except ValueError:  # or SalesmarkError, or CurrencyMismatch
        ...

Messages name the field, the offending value and what was expected. Errors are data
too: each carries :attr:`~SalesmarkError.errors`, a tuple of :class:`FieldError` (a JSON
Pointer ``path``, the ``message``, the offending ``value`` and what was ``expected``)
that a program reads without parsing the message, and :meth:`~SalesmarkError.to_dict`
gives the JSON body a web service returns with its 422 answer.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from typing import Any, Final

import attrs

__all__ = [
    "CurrencyMismatch",
    "FieldError",
    "IllegalTransition",
    "MissingExtra",
    "MissingReason",
    "NaiveDatetime",
    "SalesmarkError",
    "StructureError",
    "UnknownReference",
    "ValidationError",
    "WrongType",
]

_SHOWN: Final = 80  # characters of a value's repr kept in a FieldError
_REPR = reprlib.Repr()
_REPR.maxstring = _SHOWN
_REPR.maxother = _SHOWN
_REPR.maxlong = 40
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = 6

_NO_VALUE: Any = object()


def _shown(value: object) -> str:
    try:
        text = _REPR.repr(value)
    except ValueError:  # an int beyond Python's int-to-string limit
        digits = int(getattr(value, "bit_length", int)() * 0.30103) + 1
        text = f"<an integer of about {digits} digits>"
    except RecursionError:
        text = f"<a deeply nested {type(value).__name__}>"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


@attrs.frozen(kw_only=True)
class FieldError:
    """One problem with one field: where it is, what is wrong, what was given and expected.

    Attributes:
        path: A JSON Pointer (RFC 6901) to the field, like ``/touchpoints/0/kind``;
            ``""`` is the whole value. A missing field's path is where it belongs.
        message: What is wrong, readable on its own.
        value: The ``repr`` of the value found there (at most 80 characters), or
            ``None`` when the field is missing.
        expected: What belongs there, in words (``"an ISO 8601 datetime string with a
            UTC offset"``), or ``None`` when the rule is not about one field's shape.

    Example:
        >>> error = FieldError(path="/amount", message="expected a decimal string, got 12.5",
        ...                    value="12.5", expected="a decimal string")
        >>> error.to_dict()["path"]
        '/amount'
    """

    path: str
    message: str
    value: str | None = None
    expected: str | None = None

    @staticmethod
    def shown(value: object) -> str:
        """``value`` as a :class:`FieldError` shows it: its ``repr``, cut to 80 characters.

        Example:
            >>> len(FieldError.shown("x" * 200)), FieldError.shown(12.5)
            (80, '12.5')
        """
        return _shown(value)

    def under(self, prefix: str) -> FieldError:
        """This error with its path moved under ``prefix`` (a JSON Pointer).

        Example:
            >>> FieldError(path="/at", message="naive").under("/touchpoints/2").path
            '/touchpoints/2/at'
        """
        return attrs.evolve(self, path=prefix + self.path)

    def to_dict(self) -> dict[str, str | None]:
        """The error as plain JSON-ready data: ``path``, ``message``, ``value``, ``expected``.

        Example:
            >>> FieldError(path="", message="expected an object, got 3", value="3").to_dict()
            {'path': '', 'message': 'expected an object, got 3', 'value': '3', 'expected': None}
        """
        return {
            "path": self.path,
            "message": self.message,
            "value": self.value,
            "expected": self.expected,
        }


class SalesmarkError(Exception):
    """Base class of every error raised by salesmark.

    Catch this to handle any salesmark failure in one place; each subclass also
    derives from the matching built-in exception (``ValueError``, ``KeyError``,
    ``TypeError``) so code written against the built-ins keeps working.

    Besides its message, an error may know the ``path`` (a JSON Pointer) of the field
    it is about, relative to the object being built: a constructor's check names its
    own field (``/history/2/at``), and :func:`~salesmark.serialization.structure` puts
    that under the path of the object in the data. :attr:`errors` lists the problems
    as :class:`FieldError` values, and :meth:`to_dict` gives them as JSON-ready data.
    """

    path: str | None
    """The JSON Pointer of the field the error is about, if known."""

    def __init__(
        self,
        *args: object,
        path: str | None = None,
        value: object = _NO_VALUE,
        expected: str | None = None,
        errors: Iterable[FieldError] = (),
    ) -> None:
        super().__init__(*args)
        self.path = path
        self._value = None if value is _NO_VALUE else _shown(value)
        self._expected = expected
        self._errors = tuple(errors)

    @property
    def errors(self) -> tuple[FieldError, ...]:
        """Every problem, as :class:`FieldError` values (one, unless the error lists several).

        Example:
            >>> ValidationError("Lead.id must be a non-empty string, got ''", path="/id").errors[0].path
            '/id'
        """
        if self._errors:
            return self._errors
        return (
            FieldError(
                path=self.path or "", message=str(self), value=self._value, expected=self._expected
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """The error as the JSON body of a 422 answer: ``error``, ``message`` and ``errors``.

        Example:
            >>> ValidationError("top must be a whole number >= 0, got -1").to_dict()["errors"][0]["message"]
            'top must be a whole number >= 0, got -1'
        """
        return {
            "error": type(self).__name__,
            "message": str(self),
            "errors": [e.to_dict() for e in self.errors],
        }


class ValidationError(SalesmarkError, ValueError):
    """A value given to a salesmark constructor or function is not acceptable.

    The message names the field, the value received and what was expected; ``path``
    is the field's JSON Pointer when a constructor raised it.
    Nothing was created or changed when it is raised.
    """


class WrongType(ValidationError, TypeError):
    """A value of the wrong type was given: a string where a period belongs, say.

    The message names the argument or field, the value received and the type expected.
    It is also a ``TypeError``, as Python's own type errors are.
    """


class MissingExtra(SalesmarkError, ImportError):
    """A feature needs an optional package that is not installed.

    The message names the extra to install (``pip install 'salesmark[dataframe]'``,
    ``[plot]``, ``[progress]``, ``[hypothesis]``, ``[dask]``, ``[spark]``). It is also an
    ``ImportError``, so ``except ImportError`` and ``pytest.importorskip`` work.

    Example:
        >>> issubclass(MissingExtra, ImportError), issubclass(MissingExtra, SalesmarkError)
        (True, True)
    """


class NaiveDatetime(ValidationError, TypeError):
    """A datetime without a timezone was given where an aware one is required.

    salesmark compares moments across teams and time zones, so every datetime must
    carry its offset: use ``datetime(..., tzinfo=timezone.utc)`` or a ``zoneinfo`` zone.
    """


class CurrencyMismatch(SalesmarkError, ValueError):
    """Two amounts of different currencies were combined.

    salesmark never converts currencies implicitly; convert first, then combine.
    """


class IllegalTransition(SalesmarkError, ValueError):
    """A lead was moved between two lifecycle stages that the lifecycle does not connect.

    The message names both stages and lists the stages that are reachable from the
    current one.
    """


class MissingReason(IllegalTransition):
    """A lifecycle transition that requires a reason code was attempted without a valid one.

    Rejecting, disqualifying, losing or recycling a lead must say why, so that the
    feedback reaches marketing; the message lists the reason codes accepted.
    """


class UnknownReference(SalesmarkError, KeyError):
    """An identifier refers to an object that does not exist where it was looked up.

    Raised for lookups by id and by the referential checks of an ``Organisation``
    (for example, a lead naming a campaign the organisation does not have).
    """

    def __str__(self) -> str:
        # KeyError quotes its argument; keep the readable message instead.
        return str(self.args[0]) if self.args else ""


def _dollar(pointer: str) -> str:
    """A JSON Pointer in the older ``$.leads[3].at`` notation, for messages."""
    text = "$"
    for part in pointer.split("/")[1:] if pointer else []:
        key = part.replace("~1", "/").replace("~0", "~")
        text += f"[{key}]" if key.isdigit() else f".{key}" if key.isidentifier() else f"[{key!r}]"
    return text


class StructureError(ValidationError):
    """Serialized data could not be turned back into salesmark objects.

    :attr:`errors` lists every problem as a :class:`FieldError` with the JSON Pointer
    of its field (like ``/leads/3/touchpoints/0/at``), and :meth:`to_dict` is the body a
    web service answers with (HTTP 422). The message lists the same problems readably,
    each as ``message @ $.leads[3].touchpoints[0].at``; ``problems`` holds those strings
    (the older form of ``errors``: read ``errors`` in new code).
    Nothing is returned half-built.

    Example:
        >>> error = StructureError("cannot structure Money", [FieldError(path="/amount", message="bad")])
        >>> [e.path for e in error.errors], error.problems
        (['/amount'], ('bad @ $.amount',))
    """

    def __init__(self, message: str, errors: Iterable[FieldError | str] = ()) -> None:
        given = tuple(errors)
        fields = tuple(
            e if isinstance(e, FieldError) else FieldError(path="", message=e) for e in given
        )
        super().__init__(message, given, errors=fields)
        self._problems = tuple(
            e if isinstance(e, str) else f"{e.message} @ {_dollar(e.path)}" for e in given
        )

    @property
    def errors(self) -> tuple[FieldError, ...]:
        """Every problem found, each a :class:`FieldError` (none when built without any)."""
        return self._errors

    @property
    def problems(self) -> tuple[str, ...]:
        """The problems as strings, ``"message @ $.path"``: the older form of :attr:`errors`."""
        return self._problems

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
