"""Fixtures for the console core: the REAL central server (``central.app.create_app``) on a
free loopback port in this process, over a copy of a demo-city database built once per run.

The server can be stopped and started again on the same port and database, which is how the
tests pull the plug on the console. Tests that need a separate process (kill -9) start
``python -m central`` themselves.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

central_app = pytest.importorskip("central.app", reason="central/ is not there yet")

from aiohttp import web  # noqa: E402

from central import changes  # noqa: E402
from central.config import CentralConfig  # noqa: E402
from central.database import Database  # noqa: E402
from central.demo_registry import DEMO_PASSWORD, populate  # noqa: E402

BUSINESSES = 30
SEED = 11
# Nothing listens there: the tree and sync do not need pictures.
STREAM_BASE = "http://127.0.0.1:9"

__all__ = ["DEMO_PASSWORD", "CentralServer", "wait_for"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class CentralServer:
    """One central server on loopback; ``stop()``/``start()`` keep its port and database."""

    db_path: Path
    media_dir: Path
    port: int = field(default_factory=free_port)
    runner: web.AppRunner | None = None
    app: web.Application | None = None
    middlewares: list[Any] = field(default_factory=list)  # e.g. fault injection
    config_overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> CentralServer:
        config = CentralConfig(db_url=f"sqlite:///{self.db_path}", media_dir=self.media_dir,
                               run_background=False, token_cache_s=0.0,
                               **self.config_overrides)
        self.app = central_app.create_app(config)
        self.app.middlewares.extend(self.middlewares)
        self.runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            runner, self.runner = self.runner, None
            await runner.cleanup()

    @property
    def running(self) -> bool:
        return self.runner is not None

    def edit_while_down(self, camera_ids: list[str], online: bool) -> None:
        """Change cameras in the database the way central does (feed entries included) while
        the server is stopped: the console can only learn of these by catching up."""
        from db.models import Camera

        assert not self.running
        database = Database(f"sqlite:///{self.db_path}")

        def work(session: Any) -> None:
            for camera_id in camera_ids:
                camera = session.get(Camera, camera_id)
                camera.online = online
                camera.version += 1
                changes.record(session, camera)

        try:
            database.write_sync(work)
        finally:
            database.close()

    # -- direct access for assertions ----------------------------------------------------------
    async def write(self, work: Callable[[Any], Any]) -> Any:
        from central.context import DB

        assert self.app is not None
        return await self.app[DB].write(work)

    async def read(self, work: Callable[[Any], Any]) -> Any:
        from central.context import DB

        assert self.app is not None
        return await self.app[DB].read(work)


@pytest.fixture(scope="session")
def central_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("central-template") / "central.db"
    database = Database(f"sqlite:///{path}")
    try:
        database.write_sync(changes.ensure_feed_id)
        database.write_sync(lambda s: populate(s, BUSINESSES, SEED, STREAM_BASE))
    finally:
        database.close()
    return path


@pytest.fixture
def central_db(central_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "central" / "central.db"
    target.parent.mkdir()
    shutil.copyfile(central_template, target)
    return target


@pytest.fixture
async def central(central_db: Path) -> AsyncIterator[CentralServer]:
    server = CentralServer(central_db, central_db.parent / "media")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def wait_for(condition: Callable[[], Any], timeout: float, what: str,
                   interval: float = 0.05) -> Any:
    """Poll ``condition`` (sync or async) on the loop until truthy; fail naming ``what``."""
    loop = asyncio.get_event_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


# -- Qt: one qasync loop per test, central running on it -------------------------------------

def _test_loop_class() -> type:
    import qasync

    class TestLoop(qasync.QEventLoop):
        """A qasync loop that stays the running loop for the whole test, as it does for the
        console's lifetime in production (one ``run_forever``). Plain qasync unsets it when a
        ``run_until_complete`` ends and then still runs ready callbacks (its final
        ``processEvents``, and any Qt event processing between two calls), so background
        tasks would step with no running loop and fail inside aiohttp."""

        def _after_run_forever(self) -> None:
            super()._after_run_forever()
            asyncio.events._set_running_loop(self)

    return TestLoop


@pytest.fixture
def qloop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    loop = _test_loop_class()(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        asyncio.events._set_running_loop(None)
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture
def qcentral(qloop: asyncio.AbstractEventLoop, central_db: Path) -> Iterator[CentralServer]:
    server = CentralServer(central_db, central_db.parent / "media")
    qloop.run_until_complete(server.start())
    yield server
    qloop.run_until_complete(server.stop())


def run(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    return loop.run_until_complete(coro)


def wait_until(loop: asyncio.AbstractEventLoop, condition: Callable[[], Any], timeout: float,
               what: str) -> Any:
    """Run the (qasync) loop until ``condition()`` holds."""
    return loop.run_until_complete(wait_for(condition, timeout, what))


@pytest.fixture
def synced_store(qloop, qcentral, tmp_path: Path):
    """A local cache holding the operator's snapshot of the demo city (no window)."""
    from console.sync.client import ApiClient
    from console.sync.puller import Puller
    from console.sync.store import LocalStore

    store = LocalStore(tmp_path / "local.db")

    async def sync() -> None:
        client = ApiClient(qcentral.url)
        await client.login("operator", DEMO_PASSWORD)
        await Puller(client, store).pull()
        await client.close()

    run(qloop, sync())
    yield store
    store.close()


def session_for(tmp_path: Path, **kwargs: Any):
    """A console session on a stand-in wall (no decoders), its data under ``tmp_path``."""
    from console.shell.session import ConsoleSession
    from tests.console.fakes import fake_wall

    return ConsoleSession(tmp_path / "data", wall_factory=fake_wall, **kwargs)


def stop_session(qloop: asyncio.AbstractEventLoop, session: Any) -> None:
    run(qloop, session.async_stop())
    if session.window is not None:
        session.window.close()
        session.window.deleteLater()
