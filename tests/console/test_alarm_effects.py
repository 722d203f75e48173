"""The operator's alarm actions as the local cache records them, without Qt: the same state
central reaches (``central/actions.py``), written with the outbox row in one transaction.

A real SQLite store, seeded through the real change application. Each test says what the
operator would see in the list before central answers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bench.alarm_heap import Feed
from console.alarms import effects
from console.alarms.queries import Directory, fingerprint, read_window
from console.sync.store import LocalStore
from db.models import Alarm, OutboxAction, Task, TaskEvent
from domain.alarms import AlarmState, Severity
from domain.tasks import TaskState
from widgets.models.alarm_window import AlarmWindow


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    store = await LocalStore.async_open(tmp_path / "cache.db")
    feed = Feed(businesses=2)
    now = datetime.now(UTC)
    await store.apply_changes(feed.registry() + [feed.new_alarm(now) for _ in range(3)])
    yield store
    store.close()


async def alarm(store: LocalStore, alarm_id: str) -> dict[str, Any]:
    return await store.read(lambda s: {c: getattr(a, c) for c in (
        "state", "acked_by", "acked_at", "dismiss_reason", "closed_at", "severity", "task_id")}
        if (a := s.get(Alarm, alarm_id)) is not None else {})


async def set_state(store: LocalStore, alarm_id: str, state: AlarmState) -> None:
    def work(session: Any) -> None:
        session.get(Alarm, alarm_id).state = state
    await store.record_action("test.set", {}, work)


async def test_acknowledge_marks_an_open_alarm_with_who_and_queues_the_action(
        store: LocalStore) -> None:
    await store.record_action("alarm.ack", {"alarm_id": "a0000001"},
                              effects.acknowledge("a0000001", "operator"))
    seen = await alarm(store, "a0000001")
    assert seen["state"] == AlarmState.ACKNOWLEDGED
    assert seen["acked_by"] == "operator" and seen["acked_at"] is not None
    kinds = await store.read(lambda s: [a.kind for a in s.scalars(select(OutboxAction))])
    assert kinds == ["alarm.ack"]


async def test_acknowledging_a_dispatched_alarm_does_not_take_it_back(
        store: LocalStore) -> None:
    """Central acknowledges only open alarms; the list must not show a dispatched alarm as
    merely acknowledged until central answers."""
    await set_state(store, "a0000002", AlarmState.DISPATCHED)
    await store.record_action("alarm.ack", {"alarm_id": "a0000002"},
                              effects.acknowledge("a0000002", "operator"))
    assert (await alarm(store, "a0000002"))["state"] == AlarmState.DISPATCHED


async def test_dismiss_keeps_the_reason_and_finishes_the_alarm(store: LocalStore) -> None:
    await store.record_action("alarm.dismiss", {"alarm_id": "a0000001", "reason": "drill"},
                              effects.dismiss("a0000001", "drill", "operator"))
    seen = await alarm(store, "a0000001")
    assert seen["state"] == AlarmState.DISMISSED
    assert seen["dismiss_reason"] == "drill" and seen["closed_at"] is not None
    assert seen["acked_by"] == "operator"  # dismissing an unacknowledged alarm acknowledges it


async def test_a_closed_alarm_is_not_dismissed(store: LocalStore) -> None:
    await set_state(store, "a0000003", AlarmState.CLOSED)
    await store.record_action("alarm.dismiss", {"alarm_id": "a0000003", "reason": "late"},
                              effects.dismiss("a0000003", "late", "operator"))
    seen = await alarm(store, "a0000003")
    assert seen["state"] == AlarmState.CLOSED and seen["dismiss_reason"] == ""


async def test_escalation_makes_the_alarm_critical(store: LocalStore) -> None:
    await store.record_action("alarm.escalate", {"alarm_id": "a0000001", "note": ""},
                              effects.escalate("a0000001"))
    assert (await alarm(store, "a0000001"))["severity"] == Severity.CRITICAL


async def test_dispatch_writes_the_task_its_first_event_and_the_alarms_link(
        store: LocalStore) -> None:
    draft = {"id": "t1", "district_id": "d1", "business_id": "b1", "assignee": "li",
             "title": "Look at the kitchen", "notes": "gloves"}
    await store.record_action("task.dispatch", {"task": draft, "alarm_id": "a0000001"},
                              effects.dispatch("a0000001", draft, "operator"))
    seen = await alarm(store, "a0000001")
    assert seen["state"] == AlarmState.DISPATCHED and seen["task_id"] == "t1"
    task, events = await store.read(lambda s: (
        (t := s.get(Task, "t1")) and (t.state, t.alarm_id),
        [(e.action, e.from_state, e.to_state, e.actor, e.note)
         for e in s.scalars(select(TaskEvent).where(TaskEvent.task_id == "t1"))]))
    assert task == (TaskState.DISPATCHED, "a0000001")
    assert events == [("dispatch", "", TaskState.DISPATCHED, "operator", "gloves")]


async def test_a_failing_effect_leaves_neither_the_change_nor_the_action(
        store: LocalStore) -> None:
    """One transaction: a dispatch whose task cannot be written is not queued either."""
    with pytest.raises(IntegrityError):  # the task has no district
        await store.record_action("task.dispatch", {"task": {}, "alarm_id": "a0000001"},
                                  effects.dispatch("a0000001", {"title": "no ids"}, "op"))
    assert (await alarm(store, "a0000001"))["state"] == AlarmState.OPEN
    assert await store.read(lambda s: s.scalars(select(OutboxAction)).all()) == []


async def test_a_reload_reads_only_what_changed_and_the_true_counts(store: LocalStore) -> None:
    limits = AlarmWindow(live=2, finished=1)
    first = await store.read(lambda s: read_window(s, {}, limits, Directory(), full=True))
    assert first.directory is not None and first.directory.names["b1"] == "Kitchen 1"
    assert sorted(r.id for r in first.rows) == ["a0000002", "a0000003"]  # the newest two
    assert first.counts == {"open": 3}
    assert first.marked == {"c1-0", "c0-1", "c1-1"}  # each open alarm's camera
    held = {r.id: fingerprint(r) for r in first.rows}
    await store.record_action("alarm.ack", {"alarm_id": "a0000003"},
                              effects.acknowledge("a0000003", "operator"))
    again = await store.read(
        lambda s: read_window(s, held, limits, first.directory or Directory(), full=False))
    assert [r.id for r in again.rows] == ["a0000003"] and again.gone == []
    assert again.counts == {"open": 2, "acknowledged": 1}
    assert again.directory is None
