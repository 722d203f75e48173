"""Shared by the deadline tests on SQLite and PostgreSQL: a task with a deadline, and what a
console sees of its escalations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.database import Database
from db.models import AuditEntry, Business, Task, TaskEvent
from domain.tasks import TaskState


def make_task(db: Database, deadline: datetime, state: str = TaskState.ACCEPTED) -> str:
    def work(session: Session) -> str:
        business = session.scalars(select(Business).order_by(Business.id)).first()
        assert business is not None
        task = Task(district_id=business.district_id, business_id=business.id, state=state,
                    title="后厨未戴口罩", deadline=deadline, created_at=deadline,
                    updated_at=deadline)
        session.add(task)
        session.flush()
        return task.id

    return db.write_sync(work)


def escalations(db: Database, task_id: str) -> tuple[Task, list[TaskEvent], list[AuditEntry]]:
    def work(session: Session) -> tuple[Task, list[TaskEvent], list[AuditEntry]]:
        task = session.get(Task, task_id)
        assert task is not None
        events = list(session.scalars(select(TaskEvent).where(
            TaskEvent.task_id == task_id, TaskEvent.action == "auto_escalate")))
        entries = list(session.scalars(select(AuditEntry).where(
            AuditEntry.task_id == task_id, AuditEntry.action == "task.auto_escalate")))
        return task, events, entries

    return db.read_sync(work)
