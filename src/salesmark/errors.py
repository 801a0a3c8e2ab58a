"""The one error family of salesmark.

Every error the package raises derives from :class:`SalesmarkError` and also from the
built-in exception it resembles, so callers may catch either::

    try:
        Money.of("1.00", "EUR") + Money.of("1.00", "USD")
    except ValueError:  # or SalesmarkError, or CurrencyMismatch
        ...

Messages name the field, the offending value and what was expected.
"""

from __future__ import annotations

__all__ = [
    "CurrencyMismatch",
    "IllegalTransition",
    "MissingReason",
    "NaiveDatetime",
    "SalesmarkError",
    "StructureError",
    "UnknownReference",
    "ValidationError",
    "WrongType",
]


class SalesmarkError(Exception):
    """Base class of every error raised by salesmark.

    Catch this to handle any salesmark failure in one place; each subclass also
    derives from the matching built-in exception (``ValueError``, ``KeyError``,
    ``TypeError``) so code written against the built-ins keeps working.
    """


class ValidationError(SalesmarkError, ValueError):
    """A value given to a salesmark constructor or function is not acceptable.

    The message names the field, the value received and what was expected.
    Nothing was created or changed when it is raised.
    """


class WrongType(ValidationError, TypeError):
    """A value of the wrong type was given: a string where a period belongs, say.

    The message names the argument or field, the value received and the type expected.
    It is also a ``TypeError``, as Python's own type errors are.
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


class StructureError(ValidationError):
    """Serialized data could not be turned back into salesmark objects.

    ``problems`` lists each offending field path (like ``$.leads[3].touchpoints[0].at``)
    with what was wrong there; the message lists them too.
    Nothing is returned half-built.
    """

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems
