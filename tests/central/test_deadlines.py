"""Deadlines that act (issue 18, item 4) on SQLite: an overdue task moves up one level by
itself, tells both levels through the change feed, and gets a 挂牌督办 deadline of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from central import changes, deadlines
from central.database import Database
from db.models import ChangeLog, Task
from domain.clock import utcnow
from domain.tasks import TaskState
from tests.central.deadline_helpers import escalations, make_task


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.close()


def test_an_overdue_task_moves_up_one_level_with_a_notice_to_both(db: Database) -> None:
    now = utcnow()
    late = make_task(db, now - timedelta(hours=1))
    on_time = make_task(db, now + timedelta(hours=1))
    head = db.read_sync(changes.head_seq)

    assert deadlines.run(db, now) == 1

    task, events, entries = escalations(db, late)
    assert (task.level, task.escalated, task.state) == ("district", True, TaskState.ACCEPTED)
    assert task.supervision_deadline == now + timedelta(hours=72)
    assert len(events) == 1 and "街道 → 区局" in events[0].note
    assert sorted(e.detail.split(";")[0] for e in entries) == ["level=district",
                                                             "level=street"]
    assert escalations(db, on_time)[0].level == "street"
    # The consoles hear of it: the task, its event and both audit entries are in the feed.
    fed = db.read_sync(lambda s: [c.entity for c in s.scalars(
        select(ChangeLog).where(ChangeLog.seq > head))])
    assert sorted(fed) == ["audit", "audit", "task", "task_event"]


def test_the_next_level_has_its_own_deadline_then_the_city_takes_over(db: Database) -> None:
    now = utcnow()
    task_id = make_task(db, now - timedelta(hours=1))
    assert deadlines.run(db, now) == 1
    assert deadlines.run(db, now + timedelta(hours=71)) == 0  # the district's 72 h run
    assert deadlines.run(db, now + timedelta(hours=73)) == 1
    task, events, _ = escalations(db, task_id)
    assert task.level == "city" and len(events) == 2
    assert deadlines.run(db, now + timedelta(days=30)) == 0  # nothing above the city


def test_closed_tasks_are_never_escalated(db: Database) -> None:
    now = utcnow()
    make_task(db, now - timedelta(hours=1), state=TaskState.CLOSED)
    assert deadlines.run(db, now) == 0


def test_a_task_changed_after_it_was_found_is_left_alone(db: Database) -> None:
    """The guard on one worker: an operator's action between the finding read and the write
    (here a manual 挂牌督办 with a new version) wins; the run does not escalate on stale data."""
    now = utcnow()
    task_id = make_task(db, now - timedelta(hours=1))

    def operator_acts() -> None:
        def work(session: Session) -> None:
            task = session.get(Task, task_id)
            assert task is not None
            task.notes = "已电话督促"
            task.version += 1
        db.write_sync(work)

    assert deadlines.run(db, now, pause=operator_acts) == 0
    assert escalations(db, task_id)[0].level == "street"
