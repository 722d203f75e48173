"""Publishes committed change-feed rows to the hub, in sequence order, exactly once each.

Handlers do not push their own changes: they commit, then wake the publisher, which reads the
feed after the last sequence it published. Live messages therefore come in the same order and
with the same content as the feed itself, whichever request (or, on PostgreSQL, whichever
worker process) wrote them.
"""

from __future__ import annotations

import asyncio
import logging

from central import changes
from central.database import Database
from central.hub import Hub

log = logging.getLogger("kitchenwatch.central.publisher")
PAGE = 2000


class Publisher:
    def __init__(self, db: Database, hub: Hub) -> None:
        self.db = db
        self.hub = hub
        self.cursor = 0
        self._wake = asyncio.Event()
        self.published = 0

    def wake(self) -> None:
        """Something committed feed rows (here or in another worker): publish them."""
        self._wake.set()

    async def run(self) -> None:
        self.cursor = await self.db.read(changes.head_seq)
        log.debug("publisher starts after seq %d", self.cursor)
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.publish_pending()
            except Exception:
                log.exception("publishing live changes failed; retrying in 1 s")
                await asyncio.sleep(1.0)
                self._wake.set()

    async def publish_pending(self) -> int:
        """Publish every committed row after the cursor; returns how many."""
        if not len(self.hub):
            # Nobody to tell: move the cursor to the head instead of reading rows for no one.
            # Rows up to that head committed before it was read; a client that subscribes
            # after the second check replays from the database after subscribing, so it
            # gets them there (see central.ws); one that subscribed before it is seen here.
            head = await self.db.read(changes.head_seq)
            if not len(self.hub):
                self.cursor = max(self.cursor, head)
                return 0
        count = 0
        while True:
            rows = await self.db.read(lambda s: changes.read(s, self.cursor, PAGE))
            for row in rows:
                self.hub.publish_change(changes.as_message(row))
                self.cursor = row.seq
            count += len(rows)
            if len(rows) < PAGE:
                self.published += count
                return count
