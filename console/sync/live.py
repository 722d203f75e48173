"""The live link to central and the loop that keeps it up (Qt-free).

:class:`LiveFeed` is one WebSocket session: ``/api/ws?since=<cursor>`` replays what changed
after our cursor, says ``hello`` (everything up to its head has been sent), then streams.
``change`` messages are applied in order, in small batches (one transaction per batch, the
cursor with it); anything at or below the stored cursor is a replay and ignored, so a
reconnect from the cursor has neither a gap nor a duplicate. ``reading`` messages are not
stored: they go straight to subscribers.

:class:`LiveSync` keeps that session up: log in if needed, pull what changed (paged, with
progress) and go live; when the link drops, reconnect with capped exponential backoff and
jitter, and publish the connection state through :class:`ConnectionTracker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from common.aio import wait_event
from common.backoff import Backoff
from console.sync.client import (
    CLOSE_SESSION_ENDED,
    ApiClient,
    AuthError,
    ServerError,
    ServerRejected,
    ServerUnreachable,
    SyncError,
    Throttled,
    session_closed,
)
from console.sync.puller import Puller
from console.sync.state import ConnectionStatus, ConnectionTracker
from console.sync.store import AppliedPage, LocalStore
from db.models import SYNCED_ENTITIES

log = logging.getLogger("kitchenwatch.console.sync.live")

CLOSE_TRY_AGAIN_LATER = 1013  # the server dropped us for falling behind: resume at once
CLOSE_CURSOR_AHEAD = 4409
STABLE_AFTER_S = 30.0  # a link that lived this long resets the backoff


class LiveClosed(SyncError):
    """The live connection ended (server closed it, network dropped, ping timed out)."""

    def __init__(self, message: str, close_code: int | None = None) -> None:
        super().__init__(message, code=str(close_code or ""))
        self.close_code = close_code


class FeedReplaced(SyncError):
    """The server's database is not the one our cursor came from: sync again from 0."""


_END = object()


class LiveFeed:
    """One WebSocket session from the stored cursor."""

    def __init__(self, client: ApiClient, store: LocalStore, *,
                 on_applied: Callable[[AppliedPage], None],
                 on_reading: Callable[[dict[str, Any]], None],
                 batch_max: int = 500, heartbeat_s: float = 20.0) -> None:
        self.client = client
        self.store = store
        self.on_applied = on_applied
        self.on_reading = on_reading
        self.batch_max = batch_max
        self.heartbeat_s = heartbeat_s
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._closing: asyncio.Future[Any] | None = None

    def stop(self) -> None:
        """Close the current live link (the session ended: nothing more is applied)."""
        ws = self._ws
        if ws is not None and not ws.closed:
            self._closing = asyncio.ensure_future(ws.close())

    async def run(self, on_hello: Callable[[dict[str, Any]], None]) -> None:
        """Apply the stream until the connection ends; always raises why it ended."""
        cursor, feed_id = await self.store.feed_position()
        ws = await self.client.ws_connect(cursor, heartbeat_s=self.heartbeat_s)
        self._ws = ws
        queue: asyncio.Queue[Any] = asyncio.Queue()
        reader = asyncio.ensure_future(self._read(ws, queue))
        try:
            await self._apply(queue, feed_id, on_hello)
        finally:
            self._ws = None
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
            if not ws.closed:
                with contextlib.suppress(Exception):
                    await ws.close()

    async def _read(self, ws: aiohttp.ClientWebSocketResponse, queue: asyncio.Queue[Any]) -> None:
        """Receive into the queue (readings bypass it: they are not ordered or stored)."""
        close_reason = ""
        try:
            while True:
                msg = await ws.receive()
                if msg.type == aiohttp.WSMsgType.CLOSE:
                    close_reason = str(msg.extra or "")  # e.g. "logged out" with 4401
                    break
                if msg.type in (aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED,
                                aiohttp.WSMsgType.ERROR):
                    break
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                try:
                    data = json.loads(msg.data)
                except ValueError:
                    log.warning("ignored a live message that is not JSON (%d bytes)",
                                len(msg.data))
                    continue
                if not isinstance(data, dict):
                    continue
                kind = data.get("type")
                if kind in ("reading", "readings"):
                    batch = data.get("readings") if kind == "readings" else [data]
                    for reading in batch if isinstance(batch, list) else ():
                        if not isinstance(reading, dict):
                            continue
                        try:
                            self.on_reading(reading)
                        except Exception:
                            log.exception("a reading subscriber failed")
                else:
                    queue.put_nowait(data)
        finally:
            exc = ws.exception()
            if ws.close_code == CLOSE_SESSION_ENDED:
                reason = close_reason
            elif exc is not None:
                reason = f"the connection failed: {exc}"
            else:
                reason = f"closed by the server (code {ws.close_code})"
            queue.put_nowait((_END, ws.close_code, reason))

    async def _apply(self, queue: asyncio.Queue[Any], feed_id: str,
                     on_hello: Callable[[dict[str, Any]], None]) -> None:
        held: Any = None  # a message taken while batching that belongs to the next round
        while True:
            item, held = (held, None) if held is not None else (await queue.get(), None)
            if isinstance(item, tuple) and item and item[0] is _END:
                _, code, reason = item
                if code == CLOSE_CURSOR_AHEAD:
                    raise FeedReplaced("our cursor is ahead of the server's feed",
                                       code="cursor_ahead")
                if code == CLOSE_SESSION_ENDED:
                    raise session_closed(reason)  # like a 401: the login is over
                raise LiveClosed(reason, code)
            kind = item.get("type")
            if kind == "change":
                batch = [item]
                while len(batch) < self.batch_max and not queue.empty():
                    nxt = queue.get_nowait()
                    if not (isinstance(nxt, dict) and nxt.get("type") == "change"):
                        held = nxt  # only consecutive changes share a transaction
                        break
                    batch.append(nxt)
                applied = await self.store.apply_changes(batch)
                if applied.touched:
                    self.on_applied(applied)
            elif kind == "hello":
                hello_feed = str(item.get("feed_id") or "")
                if feed_id and hello_feed and hello_feed != feed_id:
                    raise FeedReplaced(f"the server's database changed (feed {hello_feed}, "
                                       f"our cache came from {feed_id})", code="feed_changed")
                head = item.get("head_seq")
                if isinstance(head, int):
                    await self.store.apply_changes([], upto=head, feed_id=hello_feed or None)
                on_hello(item)
            elif kind == "error":
                if item.get("error") == "cursor_ahead":
                    raise FeedReplaced(str(item.get("message") or "cursor ahead"),
                                       code="cursor_ahead")
                log.warning("live error from the server: %s", item.get("message") or item)
            else:
                log.debug("ignored a live message of type %r", kind)


class LiveSync:
    """Keeps the cache in step: login → pull → live, reconnecting with backoff for ever."""

    def __init__(self, client: ApiClient, store: LocalStore, puller: Puller, live: LiveFeed,
                 tracker: ConnectionTracker, *,
                 on_status: Callable[[ConnectionStatus], None],
                 on_online: Callable[[], None] = lambda: None,
                 on_reset: Callable[[AppliedPage], None] = lambda page: None,
                 backoff: Backoff | None = None) -> None:
        self.client = client
        self.store = store
        self.puller = puller
        self.live = live
        self.tracker = tracker
        self.on_status = on_status
        self.on_online = on_online
        self.on_reset = on_reset
        self.backoff = backoff or Backoff()
        self._relogin_at = -1e9  # when an unattended screen last logged in again by itself
        self._renewed = asyncio.Event()
        self._wake = asyncio.Event()

    def _publish(self, status: ConnectionStatus | None) -> None:
        if status is not None:
            self.on_status(status)

    def credentials_renewed(self) -> None:
        """The user logged in again after ``auth_expired``: carry on from the cursor."""
        self._publish(self.tracker.credentials_renewed())
        self._renewed.set()

    def session_ended(self) -> None:
        """Central ended the session (a 401 seen elsewhere): drop the live link at once."""
        self.live.stop()
        self._wake.set()

    def retry_now(self) -> None:
        """Cut the current wait short (the user asked, or the network came back)."""
        self._wake.set()

    async def _wait(self, seconds: float) -> None:
        self._wake.clear()
        await wait_event(self._wake, seconds)

    async def _log_in_again(self) -> None:
        """No token (started offline, or an unattended screen's login failed): a screen with
        a password source logs in; otherwise, once the server answers, the user must."""
        if self.client.can_relogin:
            await self.client.relogin(stale_token=None)
            return
        await self.client.health()  # ServerUnreachable while the server is still away
        raise self.client.end_session(AuthError(
            "the server is reachable again; log in to sync and send the queued actions",
            status=401, code="login_needed"))

    async def _until_logged_in_again(self, reason: AuthError) -> None:
        """Stop syncing until someone logs in again (the outbox stays as it is)."""
        self._publish(self.tracker.auth_expired(reason.message))
        while self.client.ended is not None:
            self._renewed.clear()
            await self._renewed.wait()
        self.backoff.reset()

    async def run(self) -> None:
        while True:
            self._publish(self.tracker.connecting())
            hello_at: list[float] = []

            def on_hello(_msg: dict[str, Any], seen: list[float] = hello_at) -> None:
                seen.append(time.monotonic())
                self._publish(self.tracker.online())
                self.on_online()

            token = self.client.token
            try:
                if self.client.ended is not None:
                    raise self.client.refusal()
                if not token:
                    await self._log_in_again()
                    token = self.client.token
                await self.puller.pull()
                await self.live.run(on_hello)
            except FeedReplaced as exc:
                await self.store.reset_cache(exc.message)
                self.on_reset(AppliedPage(0, 0, frozenset(SYNCED_ENTITIES)))
                continue
            except AuthError as exc:
                if self.client.ended is None:
                    try:  # a 4401 close, or a 401 of our own: a kiosk logs in again
                        await self.client.session_refused(exc, stale_token=token)
                    except AuthError:
                        pass
                    except SyncError as failed:
                        self._publish(self.tracker.failed(failed.message))
                        await self._wait(self.backoff.next_delay())
                        continue
                if self.client.ended is None:
                    if time.monotonic() - self._relogin_at < 10.0:
                        await self._wait(self.backoff.next_delay())  # refused again at once
                    self._relogin_at = time.monotonic()
                    continue
                await self._until_logged_in_again(self.client.ended)
                continue
            except Throttled as exc:
                self._publish(self.tracker.failed(exc.message))
                await self._wait(exc.retry_after or self.backoff.next_delay())
                continue
            except LiveClosed as exc:
                if self.client.ended is not None:  # closed by session_ended()
                    await self._until_logged_in_again(self.client.ended)
                    continue
                if hello_at:
                    if time.monotonic() - hello_at[0] > STABLE_AFTER_S:
                        self.backoff.reset()
                    self._publish(self.tracker.dropped(exc.message))
                    if exc.close_code == CLOSE_TRY_AGAIN_LATER:
                        self.backoff.reset()
                else:
                    self._publish(self.tracker.failed(exc.message))
            except (ServerUnreachable, ServerError, ServerRejected) as exc:
                self._publish(self.tracker.failed(exc.message))
            except Exception as exc:  # a bug must not end syncing for the rest of the shift
                log.exception("unexpected error in the sync loop")
                self._publish(self.tracker.failed(f"internal error: {exc}"))
            await self._wait(self.backoff.next_delay())
