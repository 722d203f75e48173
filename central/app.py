"""The central server application: wiring of routes, shared state and background work.

``create_app(config)`` returns an aiohttp application ready for ``web.run_app``, an
``AppRunner`` or aiohttp's test client. Route handlers live in their feature modules; this
module only assembles them and owns the life cycle (publisher, PostgreSQL listener, periodic
rule checks, orderly shutdown).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from central import (
    account_actions,
    actions,
    auth,
    baobao,
    bulletin_actions,
    bureau,
    changes,
    deadlines,
    disinfection_routes,
    feed,
    ingest,
    major_events,
    media,
    openapi,
    playback_links,
    reads,
    recordings,
    risk,
    stats,
    ws,
)
from central.config import CentralConfig
from central.context import AUTH, CONFIG, DB, HUB, PUBLISHER, RULES
from central.database import Database
from central.errors import error_middleware
from central.evaluator import RuleEngine
from central.hub import Hub
from central.ledger_routes import routes as ledger_import_routes
from central.publisher import Publisher
from central.version import VERSION
from domain.clock import utcnow

log = logging.getLogger("kitchenwatch.central")
routes = web.RouteTableDef()


@routes.get("/api/health")
async def health(request: web.Request) -> web.Response:
    def work(session: Session) -> tuple[int, str]:
        return changes.head_seq(session), changes.feed_id(session)

    head, feed_id = await request.app[DB].read(work)
    return web.json_response({"status": "ok", "version": VERSION, "head_seq": head,
                              "feed_id": feed_id, "clients": len(request.app[HUB])})


async def _every(seconds: float, name: str, job: Callable[[], Awaitable[object]]) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await job()
        except Exception:
            log.exception("periodic %s failed; will try again in %.0f s", name, seconds)


def _background_jobs(app: web.Application) -> list[Callable[[], Coroutine[Any, Any, None]]]:
    cfg, db, rules = app[CONFIG], app[DB], app[RULES]

    async def silent() -> None:
        await db.write(rules.check_silent)

    async def meals() -> None:
        await db.write(rules.check_meals)

    async def tokens() -> None:
        await app[AUTH].purge()

    async def overdue() -> None:
        if (n := await deadlines.run_async(db)):
            log.info("escalated %d overdue task(s) one level", n)
        await bureau.run_async(db, cfg)

    async def retention() -> None:
        before = utcnow() - cfg.readings_retention
        total = 0
        while (n := await db.write(lambda s: rules.purge_readings(s, before))) > 0:
            total += n
        if total:
            log.info("deleted %d readings older than %s", total, before.date())

    return [lambda: _every(cfg.silent_check_s, "silent-sensor check", silent),
            lambda: _every(timedelta(hours=1).total_seconds(), "readings retention",
                           retention),
            lambda: _every(cfg.meal_check_s, "meal-service check", meals),
            lambda: _every(timedelta(hours=1).total_seconds(), "token clean-up", tokens),
            lambda: _every(cfg.deadline_check_s, "overdue-task and licence check", overdue)]


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    db, publisher = app[DB], app[PUBLISHER]
    await db.write(changes.ensure_feed_id)
    tasks = [asyncio.create_task(publisher.run(), name="publisher"),
             asyncio.create_task(app[AUTH].watch.run(), name="session-watch")]
    if db.is_postgres:
        from central.pgnotify import PgListener

        listener = PgListener(db.url, app[CONFIG].worker_id, publisher, app[HUB])
        tasks.append(asyncio.create_task(listener.run(), name="pg-listener"))
    if app[CONFIG].run_background:
        app[RULES].meal_cursor = utcnow()
        tasks += [asyncio.create_task(job(), name="periodic") for job in _background_jobs(app)]
    yield
    app[HUB].close_all()
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if app.get(_OWNS_DB, False):
        db.close()


_OWNS_DB = web.AppKey("owns_db", bool)


async def _close_sockets(app: web.Application) -> None:
    """On shutdown, end every WebSocket at once (clients reconnect with their cursor)."""
    app[HUB].close_all()


def create_app(config: CentralConfig, database: Database | None = None) -> web.Application:
    """The application for ``config``; pass ``database`` to share one (tests, start-up)."""
    app = web.Application(middlewares=[error_middleware],
                          client_max_size=config.max_media_bytes * 2)
    app[CONFIG] = config
    app[_OWNS_DB] = database is None
    app[DB] = database or Database(config.db_url)
    app[HUB] = Hub(config.ws_queue_size)
    app[PUBLISHER] = Publisher(app[DB], app[HUB])
    app[DB].on_feed_commit(app[PUBLISHER].wake)
    app[RULES] = RuleEngine(config)
    app[AUTH] = auth.create_authenticator(app)
    app.cleanup_ctx.append(_lifecycle)
    app.on_shutdown.append(_close_sockets)
    for module_routes in (routes, auth.routes, feed.routes, ws.routes, ingest.routes,
                          actions.routes, reads.routes, stats.routes, media.routes,
                          openapi.routes, ledger_import_routes,
                          account_actions.routes, recordings.routes, bulletin_actions.routes,
                          disinfection_routes.routes, playback_links.routes, baobao.routes,
                          risk.routes, major_events.routes):
        app.router.add_routes(module_routes)
    return app
