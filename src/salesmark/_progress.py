"""Progress of long computations (private): a callback ``progress(done, total)`` or a bar.

A long computation takes ``progress=``: ``None`` (the default) or ``False`` for
nothing, a callable called as ``progress(done, total)``, or ``True`` for a tqdm bar
(the ``progress`` extra; tqdm is imported only then). However long the run, the
callback is called at most about a hundred times, plus once with ``done=0`` at the
start, and last with ``done == total`` when the run completes; an interrupted run
(an error in the middle) never reports completion.

* :class:`Ticker` serves a computation that counts its own steps.
* :func:`tracked` wraps an iterable of items (leads, say) that a loop consumes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sized
from itertools import islice
from types import TracebackType
from typing import Any, Final, TypeVar

from salesmark.errors import MissingExtra, WrongType

__all__ = ["REPORTS", "Progress", "Ticker", "tracked"]

Progress = Callable[[int, int], object] | bool | None
"""What ``progress=`` takes: a callable ``progress(done, total)``, ``True`` for a bar, or nothing."""

REPORTS: Final = 100
"""About how many times a run reports (besides its start)."""

_NEVER: Final = float("inf")
_EXTRA: Final = "install salesmark[progress] (pip install 'salesmark[progress]')"

T = TypeVar("T")


def _callback(progress: object, what: str, total: int) -> tuple[Callable[[int, int], object], Any]:
    """The function to call with ``(done, total)``, and the tqdm bar to close (or ``None``)."""
    if progress is True:
        try:
            auto = importlib.import_module("tqdm.auto")
        except ImportError:
            msg = f"{what} progress=True needs tqdm for its progress bar; {_EXTRA}, or pass a callable progress(done, total)"
            raise MissingExtra(msg) from None
        bar = auto.tqdm(total=total, desc=what)

        def show(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        return show, bar
    if not callable(progress) or isinstance(progress, bool):
        msg = f"{what} progress must be a callable progress(done, total), True for a bar, or None, got {progress!r}"
        raise WrongType(msg)
    return progress, None


class Ticker:
    """Counts ``done`` steps of ``total`` and reports them at most about :data:`REPORTS` times.

    Use it as a context manager: entering reports ``(0, total)``, :meth:`advance` counts,
    leaving without an error reports ``(total, total)`` if not reported yet, and a bar is
    closed whatever happens. With ``progress=None`` every call does nothing.

    Example:
        >>> seen = []
        >>> with Ticker(lambda done, total: seen.append(done), 1_000, what="demo") as tick:
        ...     for _ in range(1_000):
        ...         tick.advance()
        >>> len(seen), seen[:3], seen[-1]
        (101, [0, 10, 20], 1000)
    """

    __slots__ = ("_bar", "_next", "_report", "done", "step", "total")

    def __init__(self, progress: Progress, total: int, *, what: str) -> None:
        self.total = max(0, int(total))
        self.done = 0
        self.step = max(1, -(-self.total // REPORTS))
        self._report: Callable[[int, int], object] | None = None
        self._bar: Any = None
        self._next = _NEVER
        if progress is not None and progress is not False:
            self._report, self._bar = _callback(progress, what, self.total)
            self._next = 0

    def __enter__(self) -> Ticker:
        if self._report is not None:
            self._report(0, self.total)
            self._next = self.step if self.total else _NEVER
        return self

    def advance(self, steps: int = 1) -> None:
        """Count ``steps`` more steps done, reporting when another ``step`` has passed."""
        self.done += steps
        if self.done >= self._next:
            self._send()

    def _send(self) -> None:
        done = min(self.done, self.total)
        if self._report is not None:
            self._report(done, self.total)
        self._next = _NEVER if done >= self.total else done + self.step

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None and self._next != _NEVER:
                self.done = self.total
                self._send()
        finally:
            if self._bar is not None:
                self._bar.close()


def tracked(items: Iterable[T], progress: Progress, *, what: str) -> Iterable[T]:
    """``items`` as they are without progress; else the same items, reported as they are consumed.

    To know the total, items that have no length (a generator) are read into a list
    first. Items are handed on in chunks of a hundredth of the total, and each chunk is
    reported when the consumer asks for the next one: the items before it are done.

    Example:
        >>> seen = []
        >>> sum(tracked(range(5), lambda done, total: seen.append((done, total)), what="demo"))
        10
        >>> seen
        [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
        >>> tracked([1, 2], None, what="demo")
        [1, 2]
    """
    if progress is None or progress is False:
        return items
    sized = items if isinstance(items, Sized) else list(items)
    ticker = Ticker(progress, len(sized), what=what)
    return _chunks(sized, ticker)


def _chunks(items: Iterable[T], ticker: Ticker) -> Iterator[T]:
    with ticker:
        source = iter(items)
        while chunk := list(islice(source, ticker.step)):
            yield from chunk
            ticker.advance(len(chunk))
