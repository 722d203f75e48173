"""Fan-out of live messages to WebSocket clients, each filtered to its caller's scope.

Every client has a bounded queue. Publishing never waits: a client whose queue is full is cut
off (its WebSocket closes with 1013 and it resumes from its cursor), so one slow console on a
bad link can neither slow the others down nor make the server's memory grow without bound.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

from central.scope import Principal, present

log = logging.getLogger("kitchenwatch.central.hub")


class ClientQueue:
    """A bounded FIFO for one client; ``overflowed`` once it had to refuse a message."""

    def __init__(self, principal: Principal, maxsize: int) -> None:
        self.principal = principal
        self.maxsize = maxsize
        self._items: deque[dict[str, Any]] = deque()
        self._ready = asyncio.Event()
        self.overflowed = False
        self.closed = False

    def offer(self, message: dict[str, Any]) -> bool:
        if self.closed:
            return False
        if len(self._items) >= self.maxsize:
            self.overflowed = True
            self.close()
            return False
        self._items.append(message)
        self._ready.set()
        return True

    def close(self) -> None:
        self.closed = True
        self._items.clear()
        self._ready.set()

    async def get(self) -> dict[str, Any] | None:
        """The next message, or None once the queue was closed (overflow or shutdown)."""
        while not self._items:
            if self.closed:
                return None
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    def __len__(self) -> int:
        return len(self._items)


class Hub:
    """The set of connected clients and the two kinds of live message they receive."""

    def __init__(self, queue_size: int = 5000) -> None:
        self.queue_size = queue_size
        self._clients: set[ClientQueue] = set()
        self.dropped = 0

    def subscribe(self, principal: Principal) -> ClientQueue:
        client = ClientQueue(principal, self.queue_size)
        self._clients.add(client)
        return client

    def unsubscribe(self, client: ClientQueue) -> None:
        self._clients.discard(client)

    def __len__(self) -> int:
        return len(self._clients)

    def publish_change(self, message: dict[str, Any]) -> None:
        """A committed change-feed row (``as_message`` form) to every client allowed it."""
        entity, district = message["entity"], message.get("district_id")
        for client in list(self._clients):
            if not client.principal.can_see(entity, district):
                continue
            out = dict(message, type="change",
                       payload=present(client.principal, entity, message["payload"]))
            self._offer(client, out)

    def publish_reading(self, message: dict[str, Any], district_id: str | None) -> None:
        """A live sensor reading (not sequenced) to every client that sees the sensor."""
        self.publish_readings([(message, district_id)])

    def publish_readings(self, items: list[tuple[dict[str, Any], str | None]]) -> None:
        """An ingest batch's live readings: one ``reading`` message when a client may see one
        of them, else one ``readings`` message carrying all it may see. A WebSocket frame per
        reading cost a system call each: at thousands of readings a second the event loop
        spent more time in ``send`` than in ingesting."""
        for client in list(self._clients):
            visible = [m for m, district in items if client.principal.can_see("sensor", district)]
            if len(visible) == 1:
                self._offer(client, visible[0])
            elif visible:
                self._offer(client, {"type": "readings",
                                     "readings": [dict(m, type="reading") for m in visible]})

    def _offer(self, client: ClientQueue, message: dict[str, Any]) -> None:
        if not client.offer(message) and client.overflowed and client in self._clients:
            self._clients.discard(client)
            self.dropped += 1
            log.warning("WebSocket client %s fell %d messages behind; disconnecting it",
                        client.principal.username, client.maxsize)

    def close_all(self) -> None:
        for client in list(self._clients):
            client.close()
        self._clients.clear()
