"""Delivering the outbox to the real central server: in order, refusals listed with the
server's words without blocking the queue (and their local effects undone), transient
failures retried, and actions queued while the server is down delivered exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, select

from common.backoff import Backoff
from console.sync.client import ApiClient
from console.sync.puller import Puller
from console.sync.pusher import Pusher, touched_rows
from console.sync.store import LocalStore, OutboxCounts
from db.models import Alarm, AuditEntry, Camera, OutboxAction, Task, new_id
from tests.console.conftest import DEMO_PASSWORD, CentralServer, wait_for

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    local = LocalStore(tmp_path / "local.db")
    yield local
    local.close()


async def synced_client(central: CentralServer, store: LocalStore) -> ApiClient:
    client = ApiClient(central.url)
    await client.login("operator", DEMO_PASSWORD)
    await Puller(client, store).pull()
    return client


def audit(note: str) -> dict:
    """A ``patrol.skip`` carrying ``note``: an action whose only effect is central's audit
    entry, so the order and count of entries on central show what was delivered."""
    return {"business_id": "D01-B00001", "reason": note, "seconds": 1}


def _note(detail: str) -> str:
    return detail.split(": ", 1)[1].rsplit(" after ", 1)[0]


async def audit_notes_on_server(central: CentralServer) -> list[str]:
    return await central.read(lambda s: [_note(d) for d in s.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "patrol.skip")
        .order_by(AuditEntry.ts, AuditEntry.id))])


async def test_refusal_is_listed_with_the_reason_and_the_queue_moves_on(central, store) -> None:
    client = await synced_client(central, store)
    counts: list[OutboxCounts] = []
    try:
        await store.record_action("patrol.skip", audit("first"))
        await store.record_action("alarm.ack", {"alarm_id": "does-not-exist"})
        await store.record_action("patrol.skip", audit("after the refused one"))
        result = await Pusher(client, store, on_counts=counts.append).drain()
        assert (result.sent, result.rejected, result.blocked_by) == (2, 1, None)
        [refused] = await store.rejected()
        assert refused.kind == "alarm.ack" and "does-not-exist" in refused.message
        assert await audit_notes_on_server(central) == ["first", "after the refused one"]
        assert counts[-1] == OutboxCounts(pending=0, rejected=1)
    finally:
        await client.close()


async def test_a_refused_action_gives_back_the_servers_state(central, store) -> None:
    """The operator dismissed an alarm that central had meanwhile dispatched: the refusal is
    listed, and the cache shows the alarm as central has it again."""
    client = await synced_client(central, store)
    try:
        camera = await store.read(lambda s: s.scalars(select(Camera)).first())
        await client.action(new_id(), "camera.health", {"camera_id": camera.id,
                                                        "health": "offline", "reason": "test"})
        await Puller(client, store).pull()
        alarm = await store.read(lambda s: s.scalars(select(Alarm)).first())
        task_id = new_id()
        await client.action(new_id(), "task.dispatch", {
            "alarm_id": alarm.id, "task": {"id": task_id, "business_id": alarm.business_id,
                                           "district_id": alarm.district_id,
                                           "assignee": "kbs_field1", "title": "检查"}})

        def dismiss_locally(session) -> None:
            session.get(Alarm, alarm.id).state = "dismissed"

        await store.record_action("alarm.dismiss", {"alarm_id": alarm.id, "reason": "误报"},
                                  dismiss_locally)
        # A locally created task that central refuses (no such alarm) disappears again.
        ghost = new_id()

        def create_task(session) -> None:
            session.add(Task(id=ghost, business_id=alarm.business_id,
                             district_id=alarm.district_id, title="x", alarm_id="nope"))

        await store.record_action("task.dispatch", {"alarm_id": "nope", "task": {
            "id": ghost, "business_id": alarm.business_id, "district_id": alarm.district_id,
            "assignee": "kbs_field1", "title": "x"}}, create_task)
        repaired: list[frozenset[str]] = []
        result = await Pusher(client, store, on_repaired=repaired.append).drain()
        assert result.rejected == 2
        messages = [r.message for r in await store.rejected()]
        assert any("dispatched" in m for m in messages), messages
        assert (await store.read(lambda s: s.get(Alarm, alarm.id))).state == "dispatched"
        assert await store.read(lambda s: s.get(Task, ghost)) is None
        assert {"alarm", "task"} <= set().union(*repaired)
    finally:
        await client.close()


async def test_queued_while_down_then_delivered_exactly_once(central, store) -> None:
    client = await synced_client(central, store)
    counts: list[OutboxCounts] = []
    pusher = Pusher(client, store, on_counts=counts.append,
                    backoff=Backoff(initial_s=0.2, cap_s=0.5))
    task = asyncio.ensure_future(pusher.run())
    try:
        await central.stop()
        notes = [f"offline note {i}" for i in range(6)]
        for note in notes:
            await store.record_action("patrol.skip", audit(note))
        await wait_for(lambda: counts and counts[-1].pending == 6, 5, "six queued actions")
        await asyncio.sleep(1.0)  # several failed attempts while the server is away
        pending = await store.next_pending()
        assert pending[0].attempts >= 2 and "cannot reach" in (await store.read(
            lambda s: s.scalars(select(OutboxAction.error))
            .first()))
        await central.start()
        await wait_for(lambda: counts[-1].pending == 0, 10, "the outbox to drain")
        assert await audit_notes_on_server(central) == notes  # in order, each once
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()


async def test_lost_answers_are_retried_under_the_same_key(central_db, store) -> None:
    """Central applies the action but the answer is lost (5xx from a proxy, a timeout): the
    retry is answered from central's ledger, not applied twice."""
    failures = {"left": 2}

    @web.middleware
    async def lose_answers(request: web.Request, handler):
        response = await handler(request)
        if request.path == "/api/actions" and failures["left"] > 0:
            failures["left"] -= 1
            return web.json_response({"error": "bad_gateway", "message": "upstream reset"},
                                     status=502)
        return response

    central = CentralServer(central_db, central_db.parent / "media", middlewares=[lose_answers])
    await central.start()
    client = await synced_client(central, store)
    try:
        await store.record_action("patrol.skip", audit("exactly once"))
        pusher = Pusher(client, store, backoff=Backoff(initial_s=0.05, cap_s=0.1))
        for _ in range(2):
            blocked = await pusher.drain()
            assert blocked.blocked_by is not None and "upstream reset" in \
                blocked.blocked_by.message
        assert (await pusher.drain()).sent == 1
        assert await audit_notes_on_server(central) == ["exactly once"]
        total = await central.read(lambda s: s.scalar(select(func.count()).select_from(
            AuditEntry).where(AuditEntry.detail.contains("exactly once"))))
        assert total == 1
    finally:
        await client.close()
        await central.stop()


def test_touched_rows_follow_the_protocol() -> None:
    assert touched_rows("task.dispatch", {"alarm_id": "A", "task": {"id": "T"}}) == [
        ("task", "T"), ("alarm", "A")]
    assert touched_rows("task.transition", {"task_id": "T", "event_id": "E"}) == [
        ("task", "T"), ("task_event", "E")]
    assert touched_rows("unknown.kind", {"id": "x"}) == []
