"""Live events across worker processes through PostgreSQL LISTEN/NOTIFY.

With ``--workers N`` each process has its own WebSocket clients. A write in any process sends
``NOTIFY kw_changes`` on commit (see :mod:`central.database`); every process listens and wakes
its publisher, which reads the new rows from the feed itself (the notification carries no
data, so nothing can be lost or reordered in it). Live readings are not in the feed, so they
travel in ``kw_readings`` payloads, and each process ignores the ones it sent.
"""

from __future__ import annotations

import asyncio
import json
import logging

import psycopg
from sqlalchemy.engine import make_url

from central.changes import CHANGES_CHANNEL, READINGS_CHANNEL
from central.hub import Hub
from central.publisher import Publisher
from common.backoff import Backoff

log = logging.getLogger("kitchenwatch.central.pgnotify")


def libpq_dsn(sqlalchemy_url: str) -> str:
    """``postgresql+psycopg://u:p@h:5432/db`` → a libpq connection string for psycopg."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgListener:
    """Keeps one LISTEN connection open (reconnecting with backoff) and dispatches events."""

    def __init__(self, url: str, origin: str, publisher: Publisher, hub: Hub) -> None:
        self.dsn = libpq_dsn(url)
        self.origin = origin
        self.publisher = publisher
        self.hub = hub
        self.connected = asyncio.Event()

    async def run(self) -> None:
        backoff = Backoff(initial_s=0.5, cap_s=10.0)
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True)
            except psycopg.Error as exc:
                delay = backoff.next_delay()
                log.warning("cannot LISTEN on PostgreSQL (%s); retrying in %.0f s",
                            str(exc).strip(), delay)
                await asyncio.sleep(delay)
                continue
            try:
                async with conn:
                    await conn.execute(f"LISTEN {CHANGES_CHANNEL}")
                    await conn.execute(f"LISTEN {READINGS_CHANNEL}")
                    backoff.reset()
                    self.connected.set()
                    self.publisher.wake()  # catch up on anything missed while disconnected
                    async for note in conn.notifies():
                        self._dispatch(note.channel, note.payload)
            except psycopg.Error as exc:
                log.warning("LISTEN connection lost (%s); reconnecting", str(exc).strip())
            finally:
                self.connected.clear()
            await asyncio.sleep(backoff.next_delay())

    def _dispatch(self, channel: str, payload: str) -> None:
        if channel == CHANGES_CHANNEL:
            self.publisher.wake()
            return
        if not len(self.hub):
            return  # live readings are not stored for later: with no clients, nothing to do
        try:
            data = json.loads(payload)
        except json.JSONDecodeError:
            log.warning("ignoring a malformed %s notification", channel)
            return
        if data.get("origin") == self.origin:
            return
        self.hub.publish_readings([(message, district)
                                   for message, district in data.get("readings", [])])
