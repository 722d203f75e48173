"""End-to-end fixtures: the real central server and simulator on free loopback ports, and the
real console in this process on a qasync loop (offscreen Qt)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from demo.launcher import DemoStack


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DemoStack]:
    with DemoStack(workdir=tmp_path / "stack", businesses=12, ai=False, field_staff=False,
                   speed=1.0) as running:
        yield running


@pytest.fixture
def qloop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


def wait_until(loop: asyncio.AbstractEventLoop, condition: Callable[[], bool],
               timeout: float, what: str) -> float:
    """Run the loop until ``condition()``; returns the seconds it took."""
    started = time.monotonic()

    async def poll() -> None:
        while not condition():
            if time.monotonic() - started > timeout:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
            await asyncio.sleep(0.1)

    loop.run_until_complete(poll())
    return time.monotonic() - started
