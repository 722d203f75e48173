"""The console's local database stays bounded over weeks: finished history ages out of the
cache, while nothing the operator did that central has not taken yet is ever forgotten."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from console.sync.store import ACKED, PENDING, REJECTED, LocalStore
from db.models import Alarm, AuditEntry, OutboxAction, PatrolRecord, Task, TaskEvent
from domain.clock import utcnow

pytestmark = pytest.mark.timeout(120)
KEEP = timedelta(days=90)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    local = await LocalStore.async_open(tmp_path / "local.db")
    yield local
    local.close()


def alarm(ident: str, state: str, days_ago: float, message: str = "") -> Alarm:
    when = utcnow() - timedelta(days=days_ago)
    return Alarm(id=ident, kind="ai", state=state, district_id="D01", business_id="B1",
                 condition_key=f"ai:{ident}", message=message, opened_at=when,
                 last_seen_at=when, closed_at=when if state == "closed" else None)


def action(ident: str, state: str, payload: dict) -> OutboxAction:
    return OutboxAction(idem_key=ident, kind="alarm.ack", payload=payload, state=state,
                        created_at=utcnow())


async def ids(store: LocalStore, model: type) -> set[str]:
    return set(await store.read(lambda s: list(s.scalars(select(model.id)))))


async def test_finished_history_past_retention_is_forgotten_and_the_rest_kept(
        store: LocalStore) -> None:
    old, recent = 120, 10

    def fill(session) -> None:
        session.add_all([
            alarm("closed-old", "closed", old), alarm("dismissed-old", "dismissed", old),
            alarm("open-old", "open", old), alarm("acked-old", "acknowledged", old),
            alarm("closed-recent", "closed", recent),
            Task(id="task-done", district_id="D01", business_id="B1", state="closed",
                 closed_at=utcnow() - timedelta(days=old)),
            Task(id="task-live", district_id="D01", business_id="B1", state="rectifying",
                 updated_at=utcnow() - timedelta(days=old)),
            TaskEvent(id="ev-done", task_id="task-done", district_id="D01", action="close",
                      ts=utcnow() - timedelta(days=old)),
            TaskEvent(id="ev-live", task_id="task-live", district_id="D01", action="accept",
                      ts=utcnow() - timedelta(days=old)),
            AuditEntry(id="audit-old", district_id="D01", user="op", action="ack",
                       ts=utcnow() - timedelta(days=old)),
            AuditEntry(id="audit-recent", district_id="D01", user="op", action="ack",
                       ts=utcnow() - timedelta(days=recent)),
            PatrolRecord(id="patrol-old", district_id="D01", business_id="B1", user="op",
                         verdict="ok", started_at=utcnow() - timedelta(days=old),
                         ended_at=utcnow() - timedelta(days=old)),
        ])

    await store.run(fill)
    deleted = await store.prune_cache(KEEP)

    assert deleted == {"alarm": 2, "task_event": 1, "task": 1, "patrol_record": 1, "audit": 1}
    # Alarms still being handled stay however old they are; recent history stays.
    assert await ids(store, Alarm) == {"open-old", "acked-old", "closed-recent"}
    assert await ids(store, Task) == {"task-live"}
    assert await ids(store, TaskEvent) == {"ev-live"}
    assert await ids(store, AuditEntry) == {"audit-recent"}
    assert await ids(store, PatrolRecord) == set()


async def test_rows_named_by_actions_central_has_not_taken_are_never_forgotten(
        store: LocalStore) -> None:
    def fill(session) -> None:
        session.add_all([
            alarm("unsent", "closed", 200), alarm("refused", "dismissed", 200),
            alarm("delivered", "closed", 200),
            action("k1", PENDING, {"alarm_id": "unsent", "note": "closed offline"}),
            action("k2", REJECTED, {"alarms": [{"id": "refused"}]}),
            action("k3", ACKED, {"alarm_id": "delivered"}),
            AuditEntry(id="audit-unsent", district_id="D01", user="op", action="close",
                       ts=utcnow() - timedelta(days=200)),
            action("k4", PENDING, {"audit": {"id": "audit-unsent"}}),
        ])

    await store.run(fill)
    deleted = await store.prune_cache(KEEP)

    assert deleted == {"alarm": 1}
    assert await ids(store, Alarm) == {"unsent", "refused"}
    assert await ids(store, AuditEntry) == {"audit-unsent"}
    # The outbox itself is the operator's work: the cache's retention never touches it.
    assert len(await store.read(lambda s: list(s.scalars(select(OutboxAction.id))))) == 4


async def test_the_file_stops_growing_once_history_ages_out(store: LocalStore) -> None:
    """Weeks of alarm storms in fast motion: each 'day' central sends 400 alarms that are
    handled and closed; housekeeping runs daily. Once the first days have aged out, the
    file reuses freed pages instead of growing."""
    message = "厨师未戴帽子 no chef hat detected at the pass " * 8
    cycles, step = 24, 4  # a cycle is four days; the simulated clock reaches now at the end
    sizes: list[int] = []
    for cycle in range(cycles):
        behind = (cycles - 1 - cycle) * step  # how far the simulated 'now' is behind

        def fill(session, cycle: int = cycle, behind: int = behind) -> None:
            session.add_all(alarm(f"c{cycle}-{i}", "closed", behind, message)
                            for i in range(400))

        await store.run(fill)
        await store.prune_cache(timedelta(days=30 + behind))  # 30 days before simulated now
        sizes.append(sum(p.stat().st_size for p in store.path.parent.glob("local.db*")
                         if not p.name.endswith("-shm")))
    assert len(await ids(store, Alarm)) <= 8 * 400  # 30 days at four days a cycle
    # Once the first month has aged out (cycle 8), the file is as big as it gets.
    assert sizes[-1] <= sizes[9] * 1.1, sizes
