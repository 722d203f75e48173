"""Keeps the local cache in step with central and delivers the outbox (plain asyncio).

- Pull: page the change feed from the stored cursor (initial snapshot = from 0), each page
  applied with its cursor in one transaction, so an interruption resumes where it stopped.
- Live: a WebSocket from the cursor; ``change`` messages are applied in order (a replayed one
  is recognised by its sequence number), ``reading`` messages go to subscribers.
- Push: outbox actions in order; 2xx → acknowledged; 4xx → rejected with the server's words
  (the queue moves on); no answer / 5xx → retried with capped backoff.
- Offline: any failure drops to "offline since T" and retries with backoff and jitter; the
  console keeps working on its cache meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp

from console.store import LocalStore
from console.sync.client import (
    ApiClient,
    AuthError,
    ServerError,
    ServerRejected,
    ServerUnreachable,
    SyncError,
)

log = logging.getLogger("kitchenwatch.console.sync")


@dataclass
class SyncCallbacks:
    state: Callable[[str, str], None] = lambda state, detail: None
    entities: Callable[[set[str]], None] = lambda names: None
    reading: Callable[[dict[str, Any]], None] = lambda message: None
    progress: Callable[[int, int], None] = lambda done, total: None
    outbox: Callable[[int, int], None] = lambda pending, rejected: None


@dataclass
class SyncEngine:
    client: ApiClient
    store: LocalStore
    username: str
    password: str
    callbacks: SyncCallbacks = field(default_factory=SyncCallbacks)
    state: str = "connecting"
    offline_since: datetime | None = None
    _outbox_wake: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._live_loop(), name="sync-live"),
                       asyncio.create_task(self._push_loop(), name="sync-push")]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.client.close()

    def outbox_changed(self) -> None:
        self._outbox_wake.set()

    def _set_state(self, state: str, detail: str = "") -> None:
        if state == "offline" and self.offline_since is None:
            self.offline_since = datetime.now().astimezone()
        elif state == "online":
            self.offline_since = None
        if state != self.state or detail:
            if state == "online" and self.state != "online":
                log.info("connected to %s", self.client.base_url)
            elif state == "offline" and self.state != "offline":
                log.warning("server unreachable (%s); working on the local cache", detail)
        self.state = state
        self.callbacks.state(state, detail)

    async def _ensure_login(self) -> None:
        if self.client.token is None:
            await self.client.login(self.username, self.password)

    async def pull(self) -> int:
        """Page the feed up to the head; returns the number of rows applied."""
        cursor = await self.store.cursor()
        applied = 0
        total = None
        while True:
            try:
                page = await self.client.changes(cursor)
            except ServerRejected as exc:
                if exc.code != "cursor_ahead":
                    raise
                page = {"head_seq": -1}
            feed_id = page.get("feed_id") or ""
            known = await self.store.state("feed_id")
            if feed_id and known and feed_id != known and cursor > 0:
                log.warning("the server's database changed (feed %s, was %s); resyncing",
                            feed_id, known)
                await self.store.reset_cache()
                cursor = 0
                await self.store.set_state("feed_id", feed_id)
                continue
            if feed_id and feed_id != known:
                await self.store.set_state("feed_id", feed_id)
            if page["head_seq"] < cursor:
                log.warning("server's feed (head %s) is behind our cursor %s: its database was "
                            "replaced; resyncing from scratch", page["head_seq"], cursor)
                await self.store.reset_cache()
                cursor = 0
                continue
            if total is None:
                total = max(page["head_seq"] - cursor, 1)
            touched = await self.store.apply_changes(page["changes"], page["last_seq"])
            applied += len(page["changes"])
            cursor = page["last_seq"]
            self.callbacks.progress(min(applied, total), total)
            if touched:
                self.callbacks.entities(touched)
            if not page["more"]:
                return applied

    async def _live_loop(self) -> None:
        delay = 1.0
        while True:
            try:
                await self._ensure_login()
                await self.pull()
                self._set_state("online")
                delay = 1.0
                await self._websocket()
            except AuthError as exc:
                self.client.token = None
                if exc.code in ("token_expired", "invalid_token"):
                    continue  # log in again with the same credentials
                self._set_state("auth_failed", str(exc))
                await asyncio.sleep(30)
            except (TimeoutError, SyncError, aiohttp.ClientError, OSError) as exc:
                self._set_state("offline", str(exc))
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, 30.0)

    async def _websocket(self) -> None:
        cursor = await self.store.cursor()
        async with self.client.session.ws_connect(self.client.ws_url(cursor),
                                                  heartbeat=20) as ws:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                if ws.close_code == 4409:
                    break  # cursor ahead of the server: the next pull resyncs from 0
                data = msg.json()
                kind = data.get("type")
                if kind == "change":
                    touched = await self.store.apply_changes([data], data["seq"])
                    if touched:
                        self.callbacks.entities(touched)
                elif kind == "reading":
                    self.callbacks.reading(data)
        raise ServerUnreachable("live connection closed by the server")

    async def _push_loop(self) -> None:
        delay = 1.0
        while True:
            pending, rejected = await self.store.outbox_counts()
            self.callbacks.outbox(pending, rejected)
            if pending == 0 or self.state != "online":
                self._outbox_wake.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._outbox_wake.wait(), timeout=2.0)
                continue
            try:
                for action in await self.store.pending():
                    try:
                        await self.client.action(action.idem_key, action.kind, action.payload)
                        await self.store.settle(action.id, "acked")
                    except ServerRejected as exc:
                        log.warning("server rejected %s: %s", action.kind, exc)
                        await self.store.settle(action.id, "rejected", str(exc))
                delay = 1.0
            except (ServerUnreachable, ServerError, AuthError) as exc:
                log.info("outbox delivery paused: %s", exc)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 30.0)

