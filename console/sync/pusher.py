"""Delivers the outbox to central in order (Qt-free).

Each action goes to ``POST /api/actions`` under the idempotency key it was recorded with, so a
retry after a lost answer is answered by the server, not applied twice:

- 2xx → acknowledged.
- another 4xx → the action can never apply: it moves to the rejected list with the server's
  message (the user sees it) and the queue moves on. The rows the action had changed locally
  are put back as the server has them, so the cache does not keep showing what never happened.
- 409 ``media_missing`` (the action links an evidence image the media spool has not uploaded
  yet; central does not remember that refusal), 429, 5xx, a timeout, no answer → the action
  stays at the head of the queue (order matters: a dispatch before the transitions of its
  task) and is retried with capped exponential backoff, or at once when :meth:`Pusher.wake`
  is called (a new action, the link came back).
- 401 → the session has ended (the client says so to the console, which asks for a login):
  delivery stops, the outbox stays exactly as it is in the local database, and nothing is
  sent until the same user has logged in again (:meth:`Pusher.wake` after the login). An
  action refused with 401 was not applied by central, so sending it again under the same key
  after the login applies it once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common.aio import wait_event
from common.backoff import Backoff
from console.sync.client import (
    ApiClient,
    AuthError,
    ServerError,
    ServerRejected,
    ServerUnreachable,
    SyncError,
    Throttled,
)
from console.sync.store import LocalStore, OutboxCounts, PendingAction

log = logging.getLogger("kitchenwatch.console.sync.push")
MEDIA_MISSING = "media_missing"

# Which local rows an action changes: (entity, dotted path of the id in the payload).
TOUCHED_ROWS: dict[str, tuple[tuple[str, str], ...]] = {
    "alarm.ack": (("alarm", "alarm_id"),),
    "alarm.dismiss": (("alarm", "alarm_id"),),
    "alarm.close": (("alarm", "alarm_id"),),
    "alarm.escalate": (("alarm", "alarm_id"),),
    "task.dispatch": (("task", "task.id"), ("alarm", "alarm_id")),
    "task.transition": (("task", "task_id"), ("task_event", "event_id")),
    "patrol.record": (("patrol_record", "id"),),
    "patrol_plan.save": (("patrol_plan", "id"),),
    "patrol.skip": (),  # central writes the audit entry; nothing local to put back
    "camera.health": (("camera", "camera_id"),),
    "sensor.params": (("sensor", "sensor_id"),),
    "user.create": (("user", "id"),),
    "user.update": (("user", "user_id"),),
    "user.disable": (("user", "user_id"),),
    "user.enable": (("user", "user_id"),),
    "user.reset_password": (("user", "user_id"),),
    "session.end": (),  # sessions are not synced; the signed-in list is fetched again
    # 包保 (console.baobao): the business's official; visits, checklists and looks are
    # central's own tables, read through their routes.
    "baobao.assign": (("business", "business_id"),),
    "checklist.save": (),
    "baobao.visit": (),
    "view.batch": (),
    # The registry's edits (console.registry): the edited row, by its id.
    **{f"{entity}.save": ((entity, "id"),) for entity in (
        "district", "street", "grid", "business", "camera", "sensor")},
}


def touched_rows(kind: str, payload: dict[str, Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for entity, path in TOUCHED_ROWS.get(kind, ()):
        value: Any = payload
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and value:
            rows.append((entity, value))
    return rows


@dataclass(frozen=True)
class DrainResult:
    sent: int = 0
    rejected: int = 0
    blocked_by: SyncError | None = None  # why delivery stopped with actions still pending


class Pusher:
    def __init__(self, client: ApiClient, store: LocalStore, *,
                 on_counts: Callable[[OutboxCounts], None] | None = None,
                 on_repaired: Callable[[frozenset[str]], None] | None = None,
                 backoff: Backoff | None = None, batch: int = 50,
                 idle_check_s: float = 60.0) -> None:
        self.client = client
        self.store = store
        self.on_counts = on_counts or (lambda counts: None)
        self.on_repaired = on_repaired or (lambda entities: None)
        self.backoff = backoff or Backoff()
        self.batch = batch
        self.idle_check_s = idle_check_s
        self._wake = asyncio.Event()
        self._counts: OutboxCounts | None = None
        store.on_action_recorded(self.wake)  # a new action is sent at once

    def wake(self) -> None:
        """Try now (a new action was recorded, or the server is reachable again)."""
        self._wake.set()

    async def publish_counts(self) -> OutboxCounts:
        counts = await self.store.outbox_counts()
        if counts != self._counts:
            self._counts = counts
            self.on_counts(counts)
        return counts

    async def drain(self) -> DrainResult:
        """Send pending actions in order until none is left or one cannot be delivered now."""
        sent = rejected = 0
        while True:
            if self.client.ended is not None:  # nothing goes out until someone logs in
                return DrainResult(sent, rejected, self.client.ended)
            actions = await self.store.next_pending(self.batch)
            if not actions:
                return DrainResult(sent, rejected)
            for action in actions:
                try:
                    await self.client.action(action.idem_key, action.kind, action.payload)
                except ServerRejected as exc:
                    if exc.code == MEDIA_MISSING:  # its image is still on its way: wait
                        await self.store.note_failure(action.id, exc.message)
                        return DrainResult(sent, rejected, exc)
                    log.warning("central refused %s (%s): %s", action.kind, exc.code,
                                exc.message)
                    await self.store.mark_rejected(action.id, exc.message)
                    rejected += 1
                    await self.publish_counts()
                    await self._repair(action, exc)
                    continue
                except AuthError as exc:
                    return DrainResult(sent, rejected, exc)  # not the action's fault
                except (Throttled, ServerError, ServerUnreachable) as exc:
                    await self.store.note_failure(action.id, exc.message)
                    return DrainResult(sent, rejected, exc)
                await self.store.mark_acked(action.id)
                sent += 1
                await self.publish_counts()

    async def _repair(self, action: PendingAction, refusal: ServerRejected) -> None:
        """Put back the server's version of every row the refused action changed locally."""
        changed: set[str] = set()
        current = refusal.body.get("current")
        for entity, entity_id in touched_rows(action.kind, action.payload):
            try:
                if isinstance(current, dict) and current.get("id") == entity_id:
                    payload: dict[str, Any] | None = current
                else:
                    payload = (await self.client.entity(entity, entity_id)).get("payload")
            except ServerRejected as exc:
                if exc.status != 404:
                    continue  # e.g. 403: this role cannot read that row; nothing to put back
                payload = None  # it does not exist there (created locally): drop it
            except SyncError as exc:
                log.info("could not fetch %s %s to undo a refused %s: %s", entity, entity_id,
                         action.kind, exc.message)
                return
            if await self.store.repair_row(entity, payload, entity_id):
                changed.add(entity)
        if changed:
            self.on_repaired(frozenset(changed))

    async def run(self) -> None:
        """Deliver for ever: drain, then sleep until woken (or back off after a failure)."""
        while True:
            self._wake.clear()
            try:
                await self.publish_counts()
                result = await self.drain()
            except Exception:
                log.exception("unexpected error while delivering the outbox")
                result = DrainResult(blocked_by=SyncError("internal error"))
            if result.sent or result.rejected:
                log.info("outbox: %d delivered, %d refused", result.sent, result.rejected)
            if result.blocked_by is None:
                self.backoff.reset()
                delay = self.idle_check_s
            elif isinstance(result.blocked_by, AuthError) and self.client.ended is not None:
                log.info("outbox delivery stopped until the next login: %s",
                         result.blocked_by.message)
                while self.client.ended is not None:  # woken by the login (or a new action)
                    self._wake.clear()
                    await self._wake.wait()
                self.backoff.reset()
                continue
            elif isinstance(result.blocked_by, Throttled) and result.blocked_by.retry_after:
                delay = result.blocked_by.retry_after
            else:
                delay = self.backoff.next_delay()
                log.debug("outbox delivery paused for %.1f s: %s", delay,
                          result.blocked_by.message)
            await wait_event(self._wake, delay)
