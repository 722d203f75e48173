"""The central server's HTTP and WebSocket routes (see docs/protocol.md)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiohttp import WSMsgType, web
from sqlalchemy import select

from central import actions as actions_mod
from central import auth, changes
from central.config import CentralConfig
from central.database import Database
from central.errors import ApiError, bad_request, error_middleware, read_json
from central.hub import Hub
from central.ingest import RuleEngine, ingest_ai, ingest_health, save_media
from central.openapi import openapi_document
from central.scope import INGESTS, Principal, present
from central.stats import compute_stats
from db.models import Reading, Role, Sensor, User

log = logging.getLogger("kitchenwatch.central")
VERSION = "0.1.0"

DB = web.AppKey("db", Database)
CONFIG = web.AppKey("config", CentralConfig)
HUB = web.AppKey("hub", Hub)
RULES = web.AppKey("rules", RuleEngine)
THROTTLE = web.AppKey("throttle", auth.LoginThrottle)
WAKE = web.AppKey("wake", asyncio.Event)
PUBLISHED = web.AppKey("published", list)


def _token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip()
    return request.query.get("token", "")


async def principal_of(request: web.Request) -> Principal:
    token = _token(request)
    if not token:
        raise ApiError(401, "invalid_token", "not logged in: send 'Authorization: Bearer <token>'")
    return await request.app[DB].run(lambda s: auth.authenticate(s, token))


def _int_param(request: web.Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise bad_request(f"{name}: expected an integer, got {raw!r}") from exc
    if not lo <= value <= hi:
        raise bad_request(f"{name}: must be between {lo} and {hi}")
    return value


def _written(request: web.Request) -> None:
    """Wake the publisher: a unit of work committed new change-feed rows."""
    request.app[WAKE].set()


async def health(request: web.Request) -> web.Response:
    head = await request.app[DB].run(changes.head_seq)
    return web.json_response({"status": "ok", "version": VERSION, "head_seq": head})


async def login(request: web.Request) -> web.Response:
    body = await read_json(request, 64 * 1024)
    if not isinstance(body, dict):
        raise bad_request("body: expected {\"username\", \"password\"}")
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username:
        raise bad_request("username and password are required strings")
    throttle = request.app[THROTTLE]
    keys = (f"user:{username}", f"addr:{request.remote}")
    wait = throttle.retry_after(*keys)
    if wait > 0:
        raise ApiError(429, "throttled", f"too many failed logins; try again in {wait:.0f} s",
                       retry_after=round(wait))
    cfg = request.app[CONFIG]
    result = await request.app[DB].run(
        lambda s: auth.login(s, username, password, cfg.token_lifetime))
    if result is None:
        throttle.failed(*keys)
        log.info("failed login for %r from %s", username, request.remote)
        raise ApiError(401, "bad_credentials", "wrong username or password")
    throttle.succeeded(*keys)
    token, expires, user = result
    return web.json_response({"token": token, "expires_at": expires.isoformat(),
                              "user": auth.user_json(user)})


async def get_changes(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    cfg = request.app[CONFIG]
    since = _int_param(request, "since", 0, 0, 2**62)
    limit = _int_param(request, "limit", 1000, 1, cfg.feed_page_max)

    def work(session):
        rows = changes.read(session, since, limit + 1, principal.district_scope,
                            principal.entities)
        head = changes.head_seq(session)
        return rows, head

    rows, head = await request.app[DB].run(work)
    more = len(rows) > limit
    rows = rows[:limit]
    out = []
    for row in rows:
        msg = changes.as_message(row)
        msg["payload"] = present(principal, row.entity, msg["payload"])
        out.append(msg)
    # Without more pages the caller has seen everything in its scope up to head (rows and head
    # come from one transaction), so the cursor may jump past rows of other districts.
    last = rows[-1].seq if more else max(head, since)
    return web.json_response({"changes": out, "last_seq": last, "head_seq": head,
                              "more": more})


async def websocket(request: web.Request) -> web.WebSocketResponse:
    principal = await principal_of(request)
    since = _int_param(request, "since", 0, 0, 2**62)
    ws = web.WebSocketResponse(heartbeat=20, max_msg_size=1 << 20)
    await ws.prepare(request)
    hub = request.app[HUB]
    sub = hub.subscribe(principal)  # subscribe before replay: nothing falls between the two
    cursor = since
    try:
        while True:
            page = await request.app[DB].run(lambda s, c=cursor: changes.read(
                s, c, 2000, principal.district_scope, principal.entities))
            for row in page:
                msg = changes.as_message(row)
                msg.update(type="change",
                           payload=present(principal, row.entity, msg["payload"]))
                await ws.send_json(msg)
                cursor = row.seq
            if len(page) < 2000:
                break
        await ws.send_json({"type": "hello", "head_seq": cursor})
        reader = asyncio.create_task(_drain_client(ws))
        try:
            while not ws.closed:
                getter = asyncio.create_task(sub.queue.get())
                done, _ = await asyncio.wait({getter, reader},
                                             return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    getter.cancel()
                    break
                msg = getter.result()
                if msg is None:
                    await ws.close(code=1013, message=b"fell behind; resume from your cursor")
                    break
                if msg.get("type") == "change":
                    if msg["seq"] <= cursor:
                        continue
                    cursor = msg["seq"]
                await ws.send_json(msg)
        finally:
            reader.cancel()
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        hub.unsubscribe(sub)
    return ws


async def _drain_client(ws: web.WebSocketResponse) -> None:
    async for msg in ws:
        if msg.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
            break


async def post_readings(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    if principal.role not in INGESTS:
        raise ApiError(403, "forbidden", f"role {principal.role} may not post readings")
    body = await read_json(request, request.app[CONFIG].max_body_bytes)
    if not isinstance(body, dict) or "readings" not in body:
        raise bad_request("body: expected {\"readings\": [...]}")
    rules = request.app[RULES]
    result = await request.app[DB].run(lambda s: rules.ingest_readings(s, body["readings"]))
    hub = request.app[HUB]
    for message, district in result.live:
        hub.publish_reading(message, district)
    _written(request)
    return web.json_response({"accepted": result.accepted, "rejected": result.rejected})


async def post_ai(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    if principal.role not in INGESTS:
        raise ApiError(403, "forbidden", f"role {principal.role} may not post AI events")
    body = await read_json(request, request.app[CONFIG].max_media_bytes * 2)
    media = request.app[CONFIG].media_dir
    result = await request.app[DB].run(lambda s: ingest_ai(s, media, body))
    _written(request)
    return web.json_response(result)


async def post_health(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    if principal.role not in INGESTS:
        raise ApiError(403, "forbidden", f"role {principal.role} may not post health events")
    body = await read_json(request, 64 * 1024)
    result = await request.app[DB].run(lambda s: ingest_health(s, body))
    _written(request)
    return web.json_response(result)


async def post_action(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    body = await read_json(request, request.app[CONFIG].max_body_bytes)
    if not isinstance(body, dict):
        raise bad_request("body: expected {\"idem_key\", \"kind\", \"payload\"}")
    key, kind, payload = body.get("idem_key"), body.get("kind"), body.get("payload")
    if not isinstance(key, str) or not 8 <= len(key) <= 64:
        raise bad_request("idem_key: expected a string of 8..64 characters")
    if not isinstance(kind, str):
        raise bad_request("kind: expected a string")
    if not isinstance(payload, dict):
        raise bad_request("payload: expected an object")
    status, result = await request.app[DB].run(
        lambda s: actions_mod.apply(s, principal, key, kind, payload))
    _written(request)
    return web.json_response(result, status=status)


async def sensor_readings(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    sensor_id = request.match_info["sensor_id"]
    t_from = request.query.get("from")
    t_to = request.query.get("to")
    max_points = _int_param(request, "max_points", 2000, 10, 20000)

    def work(session):
        sensor = session.get(Sensor, sensor_id)
        if sensor is None or not principal.can_see("sensor", sensor.district_id):
            raise ApiError(404, "not_found", f"sensor {sensor_id} not found")
        stmt = select(Reading.ts, Reading.value, Reading.humidity).where(
            Reading.sensor_id == sensor_id)
        if t_from:
            stmt = stmt.where(Reading.ts >= actions_mod.parse_time(t_from, "from"))
        if t_to:
            stmt = stmt.where(Reading.ts <= actions_mod.parse_time(t_to, "to"))
        rows = session.execute(stmt.order_by(Reading.ts.desc()).limit(max_points)).all()
        return [[ts.isoformat(), v, h] for ts, v, h in reversed(rows)]

    points = await request.app[DB].run(work)
    return web.json_response({"sensor_id": sensor_id, "points": points})


async def list_users(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    role = request.query.get("role", Role.FIELD)

    def work(session):
        stmt = select(User).where(User.role == role, User.active.is_(True))
        if principal.district_scope:
            stmt = stmt.where(User.district_id == principal.district_scope)
        return [present(principal, "user", auth.user_json(u) | {"phone": u.phone})
                for u in session.scalars(stmt.order_by(User.username))]

    return web.json_response({"users": await request.app[DB].run(work)})


async def stats(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    return web.json_response(await request.app[DB].run(
        lambda s: compute_stats(s, principal.district_scope)))


async def post_media(request: web.Request) -> web.Response:
    await principal_of(request)
    cfg = request.app[CONFIG]
    if request.content_length and request.content_length > cfg.max_media_bytes:
        raise ApiError(413, "too_large", f"image exceeds {cfg.max_media_bytes} bytes")
    data = await request.content.read(cfg.max_media_bytes + 1)
    if len(data) > cfg.max_media_bytes:
        raise ApiError(413, "too_large", f"image exceeds {cfg.max_media_bytes} bytes")
    url = await asyncio.get_running_loop().run_in_executor(
        None, save_media, cfg.media_dir, data, request.content_type)
    return web.json_response({"url": url})


async def get_media(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    if "/" in name or name.startswith(".") or len(name) > 80:
        raise ApiError(404, "not_found", "no such media")
    path = request.app[CONFIG].media_dir / name
    if not path.is_file():
        raise ApiError(404, "not_found", f"media {name} not found")
    return web.FileResponse(path)


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document(VERSION))


async def _publisher(app: web.Application) -> None:
    """Publish committed change-feed rows to WebSocket subscribers, in sequence order."""
    db, hub, wake = app[DB], app[HUB], app[WAKE]
    published = app[PUBLISHED]
    published[0] = await db.run(changes.head_seq)
    while True:
        await wake.wait()
        wake.clear()
        while True:
            rows = await db.run(lambda s: changes.read(s, published[0], 2000))
            for row in rows:
                hub.publish_change(changes.as_message(row))
                published[0] = row.seq
            if len(rows) < 2000:
                break


async def _silent_checker(app: web.Application) -> None:
    while True:
        await asyncio.sleep(app[CONFIG].silent_check_s)
        try:
            if await app[DB].run(app[RULES].check_silent):
                app[WAKE].set()
        except Exception:
            log.exception("silent-device check failed")


async def _background(app: web.Application) -> Any:
    tasks = [asyncio.create_task(_publisher(app)), asyncio.create_task(_silent_checker(app))]
    yield
    app[HUB].close_all()
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    app[DB].close()


def create_app(config: CentralConfig, database: Database | None = None) -> web.Application:
    app = web.Application(middlewares=[error_middleware],
                          client_max_size=config.max_media_bytes * 3)
    app[CONFIG] = config
    app[DB] = database or Database(config.db_url)
    app[HUB] = Hub()
    app[RULES] = RuleEngine()
    app[THROTTLE] = auth.LoginThrottle(config.login_failures_allowed, config.login_window_s)
    app[WAKE] = asyncio.Event()
    app[PUBLISHED] = [0]
    app.cleanup_ctx.append(_background)
    app.router.add_get("/api/health", health)
    app.router.add_post("/api/login", login)
    app.router.add_get("/api/changes", get_changes)
    app.router.add_get("/api/ws", websocket)
    app.router.add_post("/api/readings", post_readings)
    app.router.add_post("/api/events/ai", post_ai)
    app.router.add_post("/api/events/health", post_health)
    app.router.add_post("/api/actions", post_action)
    app.router.add_get("/api/sensors/{sensor_id}/readings", sensor_readings)
    app.router.add_get("/api/users", list_users)
    app.router.add_get("/api/stats", stats)
    app.router.add_post("/api/media", post_media)
    app.router.add_get("/media/{name}", get_media)
    app.router.add_get("/api/openapi.json", openapi)
    return app
