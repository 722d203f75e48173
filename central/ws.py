"""``GET /api/ws``: replay from the client's cursor, ``hello``, then live changes and readings.

The client is subscribed to the hub *before* the replay starts, so a change that commits
during the replay is either in the replay or in the live queue (or both: live changes at or
below the cursor are skipped). A reconnect with ``since=<last seq seen>`` therefore gives
neither a gap nor a duplicate. A client that falls ``ws_queue_size`` messages behind is closed
with code 1013 and resumes from its cursor; the others never wait for it. A socket whose
session ends (logout, expiry, disabled account, changed password, role or district: see
:mod:`central.sessions`) is closed with code 4401 and the reason, on whichever worker it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from aiohttp import WSMsgType, web
from sqlalchemy.orm import Session

from central import changes
from central.auth import token_hash
from central.context import AUTH, CONFIG, DB, HUB, bearer_token, principal_of, query_int
from central.errors import ApiError
from central.hub import ClientQueue
from central.scope import Principal, present
from central.sessions import CLOSE_SESSION_ENDED, REASON_TEXT
from common.aio import within
from db.models import ChangeLog

log = logging.getLogger("kitchenwatch.central.ws")
routes = web.RouteTableDef()
REPLAY_PAGE = 2000
CLOSE_TRY_AGAIN_LATER = 1013


class _Gone(Exception):
    """The client went away or could not keep up."""


async def _send(ws: web.WebSocketResponse, message: dict[str, Any], timeout: float) -> None:
    if ws.closed:
        raise _Gone
    try:
        await within(ws.send_str(json.dumps(message, ensure_ascii=False)), timeout)
    except (TimeoutError, ConnectionResetError) as exc:
        raise _Gone from exc


async def _replay(request: web.Request, ws: web.WebSocketResponse, principal: Principal,
                  since: int, timeout: float) -> tuple[int, str]:
    """Send every change after ``since`` up to the head read first; returns (head, feed id)."""
    db = request.app[DB]

    def head_and_id(session: Session) -> tuple[int, str]:
        head = changes.head_seq(session)
        return head, changes.feed_id(session)

    head, feed_id = await db.read(head_and_id)
    if since > head:
        raise ApiError(409, "cursor_ahead", f"cursor {since} is ahead of this server's newest "
                                            f"change {head}; sync again from 0")
    cursor = since
    while cursor < head:
        def page(session: Session, after: int = cursor) -> list[ChangeLog]:
            return changes.read(session, after, REPLAY_PAGE, upto=head,
                                district_id=principal.district_scope,
                                entities=principal.entities)

        rows = await db.read(page)
        for row in rows:
            message = changes.as_message(row)
            message["type"] = "change"
            message["payload"] = present(principal, row.entity, message["payload"])
            await _send(ws, message, timeout)
        if len(rows) < REPLAY_PAGE:
            break
        cursor = rows[-1].seq
    return head, feed_id


async def _pump(ws: web.WebSocketResponse, client: ClientQueue, cursor: int,
                timeout: float) -> None:
    while True:
        message = await client.get()
        if message is None:
            if client.overflowed:
                await ws.close(code=CLOSE_TRY_AGAIN_LATER,
                               message=b"fell behind; reconnect with since=<cursor>")
            return
        if message.get("type") == "change":
            if message["seq"] <= cursor:
                continue  # already sent by the replay
            cursor = message["seq"]
        await _send(ws, message, timeout)


async def _drain(ws: web.WebSocketResponse) -> None:
    """Read (and ignore) what the client sends, so pings and the close handshake work."""
    async for msg in ws:
        if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.ERROR):
            break


async def _session(request: web.Request, ws: web.WebSocketResponse, principal: Principal,
                   client: ClientQueue, since: int, timeout: float) -> None:
    """Replay, ``hello``, then live messages until the client goes or falls behind."""
    try:
        head, feed_id = await _replay(request, ws, principal, since, timeout)
    except ApiError as exc:
        await _send(ws, {"type": "error", "error": exc.code, "message": exc.message}, timeout)
        await ws.close(code=4409, message=exc.code.encode())
        return
    await _send(ws, {"type": "hello", "head_seq": head, "feed_id": feed_id,
                     "user": principal.username, "role": principal.role}, timeout)
    await _pump(ws, client, head, timeout)


@routes.get("/api/ws")
async def websocket(request: web.Request) -> web.WebSocketResponse:
    principal = await principal_of(request)  # 401 before the upgrade, as plain JSON
    since = query_int(request, "since", 0, 0, 2**62)
    timeout = request.app[CONFIG].ws_send_timeout_s
    # timeout: how long a close waits for the client's answer (a dead client must not hold up
    # a shutdown); heartbeat: pings that detect half-open connections.
    ws = web.WebSocketResponse(heartbeat=20.0, max_msg_size=1 << 16, compress=False,
                               timeout=2.0)
    await ws.prepare(request)
    hub = request.app[HUB]
    client = hub.subscribe(principal)
    # The session is re-checked by the worker's sweep from now on; a change between the check
    # above and this line is caught by the next sweep, which reads the database afresh.
    ended: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    unwatch = request.app[AUTH].watch.watch(
        token_hash(bearer_token(request)),
        lambda reason: None if ended.done() else ended.set_result(reason))
    reader = asyncio.create_task(_drain(ws))
    serving = asyncio.create_task(_session(request, ws, principal, client, since, timeout))
    try:
        waiting: set[asyncio.Future[Any]] = {serving, reader, ended}
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if serving in done:
            serving.result()
        elif ended in done:
            # Stop both tasks first: with no reader waiting, close() itself reads the client's
            # answer, so the handshake completes (over TLS the client would otherwise see
            # its answer fail and report 1006 instead of 4401).
            for task in (serving, reader):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, _Gone, Exception):
                    await task
            reason = ended.result()
            log.info("session of %s ended (%s); closing its WebSocket", principal.username,
                     reason)
            text = f"session ended: {REASON_TEXT.get(reason, reason)}"
            await ws.close(code=CLOSE_SESSION_ENDED, message=text.encode()[:120])
    except _Gone:
        log.debug("WebSocket client %s went away", principal.username)
    finally:
        unwatch()
        hub.unsubscribe(client)
        for task in (serving, reader):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if not ended.done():
            ended.cancel()
        if not ws.closed:
            await ws.close()
    return ws
