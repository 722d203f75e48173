"""Waiting with a time limit, in a way a cancelled task always stops.

On Python 3.11, ``asyncio.wait_for`` swallows a cancellation that arrives just after the awaited
thing finished (CPython gh-86296, fixed in 3.12): the cancelled task carries on as if nothing had
happened. A loop of the form "wait until woken or N seconds, then work" then never ends, and
whoever awaits its end (closing a session, stopping central) waits for ever. This was seen: the
console's outbox loop, woken as the session closed, outlived its cancellation and the close hung.
``asyncio.timeout`` (3.11+) tells its own expiry from a caller's cancellation; everything here
is built on it, and no product code calls ``asyncio.wait_for`` (a test holds it to that).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def wait_event(event: asyncio.Event, timeout: float) -> bool:
    """Wait until ``event`` is set or ``timeout`` seconds passed; True if it was set."""
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    return True


async def within(awaitable: Awaitable[T], timeout: float) -> T:
    """``await awaitable``, raising TimeoutError after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        return await awaitable
