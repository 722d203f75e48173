"""What a patrol's actions change in the local cache before central confirms them.

A verdict, a dispatch from a patrol and a saved plan are each written with their outbox
action in one transaction (:meth:`LocalStore.record_action`), so coverage, the task board and
the plan list update at once and survive a crash or a missing server. The task a patrol
dispatches starts where :mod:`domain.tasks` says every task starts. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from db.models import Task, TaskEvent
from db.serialize import from_payload, upsert
from domain.tasks import TaskState

Effect = Callable[[Session], None]


def record(payload: Mapping[str, Any]) -> Effect:
    """The patrol record as central will store it (coverage counts it at once)."""
    row = dict(payload)

    def effect(session: Session) -> None:
        upsert(session, "patrol_record", row)

    return effect


def dispatch(draft: Mapping[str, Any], actor: str) -> Effect:
    """A task for a problem found on patrol (no alarm), with its ``dispatch`` event."""

    def effect(session: Session) -> None:
        values = from_payload(Task, dict(draft))
        values.setdefault("state", TaskState.DISPATCHED)
        task = Task(**values)
        session.add(task)
        session.flush()  # the task's id (a column default) for the event
        session.add(TaskEvent(task_id=task.id, district_id=task.district_id, actor=actor,
                              action="dispatch", from_state="", to_state=task.state,
                              note=task.notes, attachment_url=task.evidence_url))

    return effect


def save_plan(payload: Mapping[str, Any], previous_version: int | None) -> Effect:
    """The plan as it will be after ``patrol_plan.save`` (one version on from the one
    edited; the expected version the server checks is not a column)."""
    local = {k: v for k, v in payload.items() if k != "expected_version"}
    local["version"] = previous_version + 1 if previous_version is not None else 1

    def effect(session: Session) -> None:
        upsert(session, "patrol_plan", local)

    return effect
