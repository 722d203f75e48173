"""A patrol's reads and local effects without Qt, on a real SQLite store: coverage counts an
offline verdict at once, a problem dispatched from a patrol is a task in its first state,
a saved plan is one version on, and the business card counts only tasks still being worked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.alarm_heap import Feed
from console.patrol import effects
from console.patrol.queries import read_business, read_coverages
from console.sync.store import LocalStore
from db.models import PatrolPlan, Task, TaskEvent
from domain.tasks import TaskState

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PLAN = {"id": "p1", "name": "Kitchens", "district_id": None, "times_per_period": 1,
        "period_days": 30, "selection": {"business_ids": ["b0", "b1"]}}


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    store = await LocalStore.async_open(tmp_path / "cache.db")
    await store.apply_changes(Feed(businesses=2).registry())
    await store.record_action("patrol_plan.save", dict(PLAN), effects.save_plan(PLAN, None))
    yield store
    store.close()


def verdict(business_id: str, started: datetime) -> dict[str, object]:
    return {"id": f"r-{business_id}", "plan_id": "p1", "district_id": "d0",
            "business_id": business_id, "user": "operator", "started_at": started.isoformat(),
            "ended_at": (started + timedelta(minutes=1)).isoformat(), "verdict": "compliant",
            "note": "", "snapshot_url": "", "task_id": None, "version": 1}


async def test_a_verdict_recorded_offline_counts_in_the_plans_coverage(
        store: LocalStore) -> None:
    before = (await store.read(lambda s: read_coverages(s, NOW)))[0]
    assert before.total == 2 and before.covered == 0
    record = verdict("b1", NOW - timedelta(days=1))
    await store.record_action("patrol.record", record, effects.record(record))
    after = (await store.read(lambda s: read_coverages(s, NOW)))[0]
    assert after.covered == 1
    assert after.entries[0].business_id == "b0"  # the one not looked at is first


async def test_saving_a_plan_again_moves_it_one_version_on(store: LocalStore) -> None:
    edited = dict(PLAN, name="Kitchens (north)", expected_version=1)
    await store.record_action("patrol_plan.save", edited, effects.save_plan(edited, 1))
    name, version = await store.read(lambda s: (lambda p: (p.name, p.version))(
        s.get(PatrolPlan, "p1")))
    assert (name, version) == ("Kitchens (north)", 2)


async def test_a_problem_dispatched_on_patrol_is_a_task_in_its_first_state(
        store: LocalStore) -> None:
    draft = {"id": "t9", "district_id": "d1", "business_id": "b1", "assignee": "li",
             "title": "b1: problem found in online patrol", "notes": "no hairnet",
             "evidence_url": "/media/abc.jpg", "alarm_id": None}
    await store.record_action("task.dispatch", {"task": draft}, effects.dispatch(draft, "op"))
    task, events = await store.read(lambda s: (
        s.get(Task, "t9").state,
        [(e.to_state, e.actor, e.attachment_url) for e in s.scalars(select(TaskEvent))]))
    assert task == TaskState.DISPATCHED
    assert events == [(TaskState.DISPATCHED, "op", "/media/abc.jpg")]
    look = await store.read(lambda s: read_business(s, "b1"))
    assert look is not None and look.open_tasks == 1
    assert [c["id"] for c in look.cameras] == ["c1-0", "c1-1"]


async def test_a_rejected_task_is_not_counted_as_open(store: LocalStore) -> None:
    draft = {"id": "t8", "district_id": "d1", "business_id": "b1", "assignee": "li",
             "title": "x", "state": TaskState.REJECTED}
    await store.record_action("task.dispatch", {"task": draft}, effects.dispatch(draft, "op"))
    look = await store.read(lambda s: read_business(s, "b1"))
    assert look is not None and look.open_tasks == 0
