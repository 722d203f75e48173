"""Give the C heap's freed memory back to the system, now and then (glibc; a no-op elsewhere).

A decode worker opens and closes decoders all day: a tour changes page every few seconds,
cameras drop and come back. Each decoder allocates frame pools and scaled pictures of its
stream's sizes on the C heap and frees them when it closes. glibc keeps freed memory for
reuse, and with dozens of decoder threads of varying picture sizes much of it sits in holes it
never hands back: the worker's private memory (``RssAnon``) climbs for tens of minutes while
the memory actually in use stays flat. Measured on a 16-tile touring wall: ~35 MB in use,
~45 MB freed but kept, per worker, the kept part still growing; a standalone open/decode/close
churn of the simulator's clips (8 threads) sat at 69 MB ``RssAnon`` with 3 MB in use, and at
17 MB with ``malloc_trim`` after each round.

``malloc_trim(0)`` returns every whole free page inside the heap (``madvise``), not only the
top, in a few milliseconds; the worker calls :func:`trim` from its tick every
:data:`TRIM_EVERY_S`. Windows' and macOS's allocators give memory back on their own: there
this is a no-op (the portable path the tests take when ``libc`` is not glibc).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable

log = logging.getLogger("kitchenwatch.wall.heap")
TRIM_EVERY_S = 30.0


def _glibc_trim() -> Callable[[], bool] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        malloc_trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl (Alpine) has no malloc_trim
        return None
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int

    def run() -> bool:
        return bool(malloc_trim(0))

    return run


_TRIM = _glibc_trim()


def available() -> bool:
    return _TRIM is not None


def trim() -> bool:
    """Hand the heap's free pages back to the system; True if any were (False elsewhere)."""
    return _TRIM() if _TRIM is not None else False


class HeapTrimmer:
    """Calls :func:`trim` at most every ``every_s`` (from a tick that runs anyway)."""

    def __init__(self, every_s: float = TRIM_EVERY_S,
                 run: Callable[[], bool] | None = None) -> None:
        self.every_s = every_s
        self._run = run
        self._next: float | None = None
        self.trims = 0

    def tick(self, now: float) -> None:
        if self._next is None:
            self._next = now + self.every_s
            return
        if now < self._next:
            return
        self._next = now + self.every_s
        try:
            (self._run or trim)()
            self.trims += 1
        except OSError:  # never worth losing a worker over
            log.debug("malloc_trim failed", exc_info=True)
