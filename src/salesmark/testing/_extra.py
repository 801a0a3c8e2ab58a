"""The error raised when an optional extra of ``salesmark.testing`` is not installed.

It is :class:`salesmark.errors.MissingExtra`, the one error of every optional extra,
kept importable from :mod:`salesmark.testing` where it was first defined.
"""

from __future__ import annotations

from salesmark.errors import MissingExtra

__all__ = ["MissingExtra"]
