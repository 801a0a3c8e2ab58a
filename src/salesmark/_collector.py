"""The cyclic garbage collector paused around a bulk pass over the leads (private).

A pass over a million leads keeps hundreds of thousands of small tuples (a stage entry,
a follow-up, a duration and its count) and a few lists of a million ids. None of them
is part of a reference cycle, yet each young tuple counts towards the collector's next
run, and every run walks the lists built so far: on the funnel-and-KPIs benchmark at
1M leads the collector ran about 500 times and took 1.3 to 1.6 s of a 5 s pass.
Reference counting frees everything such a pass drops, so pausing the cyclic collector
for the pass changes no result and no memory use, only when cycles made elsewhere in
the meantime are reclaimed (at the end of the pass, when the collector runs as usual).

:func:`paused` restores the state it found: the collector is enabled again only if it
was enabled when the outermost pause began (a nested pause, as when
:func:`~salesmark.metrics.evaluate_catalogue` collects the facts, changes nothing), and
only once the last of overlapping pauses in several threads has ended. A program that
disables or enables the collector itself while a pass runs has its call undone at the
end of the pass; call ``gc.disable()`` before the pass to keep the collector off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]


class _State:
    """How many pauses are running, and whether the collector was on when the first began."""

    __slots__ = ("depth", "lock", "resume")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.resume = False


_STATE = _State()


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then restore the state it found.

    Example:
        >>> import gc
        >>> with paused():
        ...     gc.isenabled()
        False
        >>> gc.isenabled()
        True
    """
    state = _STATE
    with state.lock:
        if state.depth == 0:
            state.resume = gc.isenabled()
            gc.disable()
        state.depth += 1
    try:
        yield
    finally:
        with state.lock:
            state.depth -= 1
            if state.depth == 0 and state.resume:
                gc.enable()
