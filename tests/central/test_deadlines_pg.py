"""Deadlines that act with several workers on PostgreSQL: two workers run the overdue check at
the same moment (both find the task before either writes, forced with a barrier) and the task
still moves up exactly one level, with one notice. Without the guard it would jump two levels."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest

from central import deadlines
from central.database import Database
from domain.clock import utcnow
from tests.central.deadline_helpers import escalations, make_task
from tests.central.pg_fixtures import postgres_fixtures

cluster, template, db_url, config, api = postgres_fixtures("kw_deadlines")


def _two_workers_at_once(url: str) -> tuple[list[int], str, Database]:
    """Two Database objects (two workers' pools) each run one pass; both find the overdue
    task, then wait at the barrier, then write."""
    workers = [Database(url, migrate=False) for _ in range(2)]
    now = utcnow()
    task_id = make_task(workers[0], now - timedelta(minutes=5))
    barrier = threading.Barrier(2, timeout=30)
    done: list[int] = []
    errors: list[BaseException] = []

    def run(db: Database) -> None:
        try:
            done.append(deadlines.run(db, now, pause=barrier.wait))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(db,)) for db in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    workers[1].close()
    return done, task_id, workers[0]


def test_two_workers_escalate_an_overdue_task_once(db_url: str) -> None:
    done, task_id, db = _two_workers_at_once(db_url)
    try:
        task, events, entries = escalations(db, task_id)
        assert sorted(done) == [0, 1]
        assert task.level == "district"
        assert len(events) == 1 and len(entries) == 2
    finally:
        db.close()


def test_without_the_guard_the_same_interleaving_escalates_twice(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shows the barrier really forces the race: with the guard taken out, both workers act
    on what they found and the task jumps from street to city."""
    always: Callable[..., bool] = lambda task, found: task is not None  # noqa: E731
    monkeypatch.setattr(deadlines, "still_as_found", always)
    done, task_id, db = _two_workers_at_once(db_url)
    try:
        task, events, _ = escalations(db, task_id)
        assert sorted(done) == [1, 1]
        assert task.level == "city" and len(events) == 2
    finally:
        db.close()
