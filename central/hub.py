"""Fan-out of live messages to WebSocket clients.

Each client has a bounded queue; a client that cannot keep up is disconnected (it will resume
from its cursor) instead of slowing everyone else or growing memory without bound.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from central.scope import Principal, present

log = logging.getLogger("kitchenwatch.central.hub")


@dataclass(eq=False)
class Subscriber:
    principal: Principal
    queue: asyncio.Queue[dict[str, Any] | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=2000))
    overflowed: bool = False


class Hub:
    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, principal: Principal) -> Subscriber:
        sub = Subscriber(principal)
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)

    def __len__(self) -> int:
        return len(self._subscribers)

    def publish_change(self, message: dict[str, Any]) -> None:
        for sub in list(self._subscribers):
            if not sub.principal.can_see(message["entity"], message.get("district_id")):
                continue
            out = dict(message, type="change",
                       payload=present(sub.principal, message["entity"], message["payload"]))
            self._offer(sub, out)

    def publish_reading(self, message: dict[str, Any], district_id: str | None) -> None:
        for sub in list(self._subscribers):
            if sub.principal.can_see("sensor", district_id):
                self._offer(sub, message)

    def _offer(self, sub: Subscriber, message: dict[str, Any]) -> None:
        if sub.overflowed:
            return
        try:
            sub.queue.put_nowait(message)
        except asyncio.QueueFull:
            sub.overflowed = True
            log.warning("WebSocket client %s fell behind; disconnecting it", sub.principal.username)
            sub.queue._queue.clear()  # type: ignore[attr-defined]
            sub.queue.put_nowait(None)

    def close_all(self) -> None:
        for sub in list(self._subscribers):
            sub.overflowed = True
            sub.queue._queue.clear()  # type: ignore[attr-defined]
            sub.queue.put_nowait(None)
