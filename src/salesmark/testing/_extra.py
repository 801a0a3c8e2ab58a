"""The error raised when an optional extra of ``salesmark.testing`` is not installed."""

from __future__ import annotations

from salesmark.errors import SalesmarkError

__all__ = ["MissingExtra"]


class MissingExtra(SalesmarkError, ImportError):
    """A part of ``salesmark.testing`` needs a package that is not installed.

    Importing :mod:`salesmark.testing.strategies` without hypothesis raises it; the
    message names the extra to install (``pip install 'salesmark[hypothesis]'``). It is
    also an ``ImportError``, so ``pytest.importorskip`` and ``except ImportError`` work.

    Example:
        >>> issubclass(MissingExtra, ImportError)
        True
    """
