"""Fixtures for the central server: a demo-city database per test, an in-process server on a
real loopback socket (aiohttp's TestServer), and a small API client that logs in as any
demo user."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from central import changes
from central.app import create_app
from central.config import CentralConfig
from central.context import DB
from central.database import Database
from central.demo_registry import DEMO_PASSWORD, populate

# Credentials in the demo stream URLs let tests check that untrusted roles never see them.
STREAM_BASE = "rtsp://admin:cam-secret@media.example:554"
BUSINESSES = 40
SEED = 3


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated demo-city database built once; each test gets a copy."""
    path = tmp_path_factory.mktemp("central-template") / "central.db"
    database = Database(f"sqlite:///{path}")
    try:
        database.write_sync(changes.ensure_feed_id)
        database.write_sync(lambda s: populate(s, BUSINESSES, SEED, STREAM_BASE))
    finally:
        database.close()
    return path


@pytest.fixture
def db_url(template_db: Path, tmp_path: Path) -> str:
    target = tmp_path / "central.db"
    shutil.copyfile(template_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> CentralConfig:
    return CentralConfig(db_url=db_url, media_dir=tmp_path / "media", run_background=False,
                         token_cache_s=0.0)


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class Api:
    """A client of one running central; ``login`` returns a token for a demo user."""

    def __init__(self, base: str, session: aiohttp.ClientSession, app: web.Application) -> None:
        self.base = base.rstrip("/")
        self.http = session
        self.app = app
        self._tokens: dict[str, str] = {}
        self._login_locks: dict[str, asyncio.Lock] = {}

    @property
    def db(self) -> Database:
        return self.app[DB]

    async def login(self, username: str, password: str = DEMO_PASSWORD) -> str:
        # One login per user even when many requests start at once: central counts every
        # attempt until its password is checked, so a burst of simultaneous logins of one
        # account is throttled like a burst of guesses.
        async with self._login_locks.setdefault(username, asyncio.Lock()):
            if username not in self._tokens:
                reply = await self.post("/api/login", {"username": username,
                                                       "password": password})
                assert reply.status == 200, reply.body
                self._tokens[username] = reply.body["token"]
        return self._tokens[username]

    async def _call(self, method: str, path: str, as_user: str | None, **kwargs: Any) -> Reply:
        headers = kwargs.pop("headers", {})
        if as_user is not None:
            headers["Authorization"] = f"Bearer {await self.login(as_user)}"
        async with self.http.request(method, self.base + path, headers=headers,
                                     **kwargs) as resp:
            binary = resp.content_type == "image/jpeg" or resp.content_type.startswith("video/")
            body = await resp.read() if binary else await resp.json(content_type=None)
            return Reply(resp.status, body, dict(resp.headers))

    async def get(self, path: str, as_user: str | None = None, **kwargs: Any) -> Reply:
        return await self._call("GET", path, as_user, **kwargs)

    async def post(self, path: str, body: Any = None, as_user: str | None = None,
                   **kwargs: Any) -> Reply:
        if body is not None:
            kwargs["json"] = body
        return await self._call("POST", path, as_user, **kwargs)

    async def action(self, as_user: str, kind: str, payload: dict[str, Any],
                     key: str | None = None) -> Reply:
        from uuid import uuid4

        return await self.post("/api/actions", {"idem_key": key or uuid4().hex, "kind": kind,
                                                "payload": payload}, as_user=as_user)

    async def feed(self, as_user: str, since: int = 0, limit: int = 5000) -> tuple[list, int]:
        """Every change after ``since`` (paged) and the final cursor."""
        rows: list[dict[str, Any]] = []
        while True:
            reply = await self.get(f"/api/changes?since={since}&limit={limit}", as_user)
            assert reply.status == 200, reply.body
            rows += reply.body["changes"]
            since = reply.body["last_seq"]
            if not reply.body["more"]:
                return rows, since

    def ws_url(self, token: str, since: int = 0) -> str:
        return f"{self.base}/api/ws?token={token}&since={since}"


async def start_api(config: CentralConfig, database: Database | None = None,
                    middlewares: tuple = ()) -> tuple[Api, TestServer, aiohttp.ClientSession]:
    app = create_app(config, database)
    app.middlewares.extend(middlewares)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    session = aiohttp.ClientSession()
    return Api(str(server.make_url("/")), session, app), server, session


@pytest.fixture
async def api(config: CentralConfig) -> AsyncIterator[Api]:
    client, server, session = await start_api(config)
    try:
        yield client
    finally:
        await session.close()
        await server.close()
