"""A loop that waits "until woken or N seconds" stops when cancelled, even when the wake-up and
the cancellation arrive together (Python 3.11's ``asyncio.wait_for`` loses the cancellation
then, and closing the console's session hung on its outbox loop)."""

from __future__ import annotations

import ast
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from common.aio import wait_event, within

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("common", "console", "central", "videowall", "widgets", "db", "simulator")


async def _cancel_as_it_wakes(wait: Callable[[asyncio.Event], Awaitable[object]]) -> bool:
    """Run "wait, then loop" and cancel it right after its wake-up completed; True if the
    task ended (cancelled) within a second, False if it carried on."""
    event = asyncio.Event()

    async def worker() -> None:
        while True:
            await wait(event)
            event.clear()

    task = asyncio.create_task(worker())
    await asyncio.sleep(0)  # the worker is now waiting
    event.set()
    # One turn: the wait inside the worker finishes, its result not yet handed over; the
    # cancellation arrives exactly then (FIFO scheduling makes this order deterministic).
    await asyncio.sleep(0)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=1.0)
    if not done:
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)
        return False
    return task.cancelled()


async def test_a_cancellation_arriving_with_the_wake_up_stops_the_loop() -> None:
    assert await _cancel_as_it_wakes(lambda event: wait_event(event, 60.0))


async def test_the_interleaving_is_the_one_that_loses_cancellations_with_wait_for() -> None:
    """The control: the same interleaving with asyncio.wait_for keeps the task alive on 3.11."""
    stopped = await _cancel_as_it_wakes(lambda event: asyncio.wait_for(event.wait(), 60.0))
    assert stopped == (sys.version_info >= (3, 12))


async def test_wait_event_and_within_time_out() -> None:
    assert await wait_event(asyncio.Event(), 0.01) is False
    event = asyncio.Event()
    event.set()
    assert await wait_event(event, 0.01) is True
    try:
        await within(asyncio.sleep(1.0), 0.01)
    except TimeoutError:
        pass
    else:
        raise AssertionError("within() did not time out")
    assert await within(asyncio.sleep(0, result=7), 1.0) == 7


def test_no_product_code_calls_asyncio_wait_for() -> None:
    offenders = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Attribute) and node.attr == "wait_for"
                        and isinstance(node.value, ast.Name) and node.value.id == "asyncio"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "use common.aio (wait_event, within): " + ", ".join(offenders)
