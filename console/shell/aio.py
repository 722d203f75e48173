"""Small helpers for coroutines started from Qt code on the qasync loop.

A task nobody holds can be garbage-collected mid-flight, and an exception in it is only
reported when it is collected; :func:`spawn` keeps a reference until the task ends and logs
its failure at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger("kitchenwatch.console")
T = TypeVar("T")
_running: set[asyncio.Future[Any]] = set()


def spawn(coro: Coroutine[Any, Any, T], name: str = "") -> asyncio.Future[T]:
    """Run ``coro`` on the (qasync) event loop from a Qt slot; failures are logged."""
    # qasync does not always mark its loop as running inside slots: ensure_future finds it.
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def done(finished: asyncio.Future[Any]) -> None:
        _running.discard(finished)
        if not finished.cancelled() and finished.exception() is not None:
            log.error("background task %s failed", name or coro.__qualname__,
                      exc_info=finished.exception())

    task.add_done_callback(done)
    return task


async def cancel_all() -> None:
    """Cancel what is still running (shutdown)."""
    tasks = list(_running)
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):  # failures were logged
            await task


class Coalescer:
    """Runs an async job on request; requests that arrive while it runs merge into one more
    run. A burst of change notifications then costs two reloads of a view, not one each, and
    the last run always starts after the last request (nothing is left unshown)."""

    def __init__(self, job: Callable[[], Awaitable[None]], name: str) -> None:
        self._job = job
        self._name = name
        self._running = False
        self._again = False

    @property
    def running(self) -> bool:
        return self._running

    def request(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        spawn(self._loop(), name=self._name)

    async def _loop(self) -> None:
        try:
            while True:
                self._again = False
                await self._job()
                if not self._again:
                    return
        finally:
            self._running = False
