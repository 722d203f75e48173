"""Deadlines that act: an overdue task moves up one level by itself (street → district → city).

Central runs :func:`run` periodically. It finds the overdue open tasks in a read, then
escalates each in its own write transaction. With several workers on PostgreSQL two runs can
find the same task at once; the guard is that a write escalates a task only if it is still the
task that was found (same version, same level), read under a row lock. The second run then sees
the first run's new version and leaves the task alone: one escalation per task and deadline,
never two levels in one go.

Each escalation is a task event in the task's timeline and an audit entry, both in the change
feed, so the consoles of the level that gave the task up and of the level that takes it over
see it live (the task board, the task's history, the audit list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central import changes
from central.database import Database, bind
from db.models import AuditEntry, Task, TaskEvent
from domain.clock import utcnow
from domain.deadlines import LEVEL_NAMES_ZH, SUPERVISION_WINDOW, TaskLevel, next_level
from domain.tasks import OPEN_STATES

SYSTEM_ACTOR = "system"
ACTION = "auto_escalate"


@dataclass(frozen=True)
class Overdue:
    """A task as the finding read saw it: what a later write must still find."""

    task_id: str
    version: int
    level: str


def due_at(task: Task) -> datetime | None:
    """The deadline that counts: the 挂牌督办 one once a task is on the list."""
    return task.supervision_deadline or task.deadline


def find_overdue(session: Session, now: datetime) -> list[Overdue]:
    """Open tasks past their deadline that have a level above them."""
    due = func.coalesce(Task.supervision_deadline, Task.deadline)
    rows = session.execute(
        select(Task.id, Task.version, Task.level)
        .where(Task.state.in_([str(s) for s in OPEN_STATES]), due.is_not(None), due < now,
               Task.level != TaskLevel.CITY)
        .order_by(due)).all()
    return [Overdue(r.id, r.version, r.level) for r in rows]


def still_as_found(task: Task | None, found: Overdue) -> bool:
    """The guard: nobody (another worker's run, an operator) changed the task meanwhile."""
    return task is not None and task.version == found.version and task.level == found.level


def escalate(session: Session, found: Overdue, now: datetime) -> bool:
    """Move one overdue task up a level; False when it is no longer as found."""
    task = session.get(Task, found.task_id, with_for_update=True)
    if task is None or not still_as_found(task, found):
        return False
    target = next_level(task.level)
    if target is None or task.state not in OPEN_STATES:
        return False
    before = task.level
    deadline = now + SUPERVISION_WINDOW[target]
    task.level = target
    task.escalated = True
    task.escalated_at = now
    task.supervision_deadline = deadline
    task.version += 1
    task.updated_at = now
    note = (f"逾期未办结，自动升级挂牌督办：{LEVEL_NAMES_ZH[before]} → {LEVEL_NAMES_ZH[target]}，"
            f"督办期限 {deadline.isoformat(timespec='minutes')}"
            f" (overdue: escalated from {before} to {target})")
    event = TaskEvent(task_id=task.id, district_id=task.district_id, ts=now,
                      actor=SYSTEM_ACTOR, action=ACTION, from_state=task.state,
                      to_state=task.state, note=note)
    # One audit entry per level: the one that gave the task up and the one that took it over.
    entries = [AuditEntry(district_id=task.district_id, ts=now, user=SYSTEM_ACTOR,
                          action=f"task.{ACTION}", task_id=task.id,
                          detail=f"level={level}; from={before}; to={target}; "
                                 f"supervision_deadline={deadline.isoformat()}")
               for level in (before, target)]
    session.add_all([event, *entries])
    for row in (task, event, *entries):
        changes.record(session, row)
    return True


def run(db: Database, now: datetime | None = None, *,
        pause: Callable[[], object] | None = None) -> int:
    """One pass (synchronous: a worker thread, the command line, tests); the number of tasks
    escalated. ``pause`` runs between finding and escalating (tests force interleavings)."""
    at = now or utcnow()
    found = db.read_sync(lambda s: find_overdue(s, at))
    if pause is not None:
        pause()
    return sum(db.write_sync(bind(escalate, f, at)) for f in found)


async def run_async(db: Database, now: datetime | None = None) -> int:
    """:func:`run` for the server's periodic job (the event loop never touches the database)."""
    at = now or utcnow()
    found = await db.read(lambda s: find_overdue(s, at))
    done = 0
    for f in found:
        done += await db.write(bind(escalate, f, at))
    return done
