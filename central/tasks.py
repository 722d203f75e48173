"""The inspection task state machine (dispatched → … → closed) with optimistic versions.

Every transition names the version it was made against; a stale one is refused with the row as
the server holds it, so the console can show the operator who won.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from central import changes
from central.errors import ApiError
from db.models import Alarm, AlarmState, Role, Severity, Task, TaskEvent, TaskState, utcnow
from db.serialize import to_payload

S = TaskState
# action → (allowed from-states, to-state, roles allowed)
OFFICE = {Role.ADMIN, Role.OPERATOR, Role.DISTRICT}
FIELD = {Role.FIELD, Role.ADMIN}
TRANSITIONS: dict[str, tuple[set[str], str | None, set[str]]] = {
    "accept": ({S.DISPATCHED}, S.ACCEPTED, FIELD),
    "decline": ({S.DISPATCHED}, S.REJECTED, FIELD),
    "arrive": ({S.ACCEPTED}, S.ON_SITE, FIELD),
    "rectify": ({S.ON_SITE}, S.RECTIFYING, FIELD),
    "submit_review": ({S.RECTIFYING}, S.REVIEW, FIELD),
    "close": ({S.REVIEW}, S.CLOSED, OFFICE),
    "reject": ({S.REVIEW}, S.RECTIFYING, OFFICE),
    "reopen": ({S.CLOSED}, S.RECTIFYING, OFFICE),
    "escalate": ({S.DISPATCHED, S.ACCEPTED, S.ON_SITE, S.RECTIFYING, S.REVIEW}, None, OFFICE),
}
DEFAULT_DEADLINES = {Severity.CRITICAL: timedelta(hours=2), Severity.MAJOR: timedelta(hours=24),
                     Severity.MINOR: timedelta(hours=72), Severity.INFO: timedelta(hours=72)}


def transition(session: Session, task: Task, action: str, *, actor: str, role: str,
               expected_version: int | None, note: str = "", attachment_url: str = "",
               event_id: str | None = None) -> TaskEvent:
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise ApiError(422, "unknown_action",
                       f"unknown task action {action!r}; one of {', '.join(TRANSITIONS)}")
    sources, target, roles = rule
    if role not in roles:
        raise ApiError(403, "forbidden", f"role {role} may not {action} a task")
    if expected_version is not None and expected_version != task.version:
        raise ApiError(409, "stale_version",
                       f"task changed meanwhile (version {task.version}, state {task.state})",
                       current=to_payload(task))
    if task.state not in sources:
        raise ApiError(409, "invalid_transition",
                       f"cannot {action} a task that is {task.state}", current=to_payload(task))
    before = task.state
    now = utcnow()
    if action == "escalate":
        task.escalated = True
        task.supervisor = note or task.supervisor
    else:
        task.state = target  # type: ignore[assignment]
    task.version += 1
    task.updated_at = now
    if task.state == S.CLOSED:
        task.closed_at = now
        _close_alarm(session, task, now)
    elif action == "reopen":
        task.closed_at = None
    event = TaskEvent(task_id=task.id, district_id=task.district_id, ts=now, actor=actor,
                      action=action, from_state=before, to_state=task.state, note=note,
                      attachment_url=attachment_url, **({"id": event_id} if event_id else {}))
    session.add(event)
    changes.record(session, task)
    changes.record(session, event)
    return event


def _close_alarm(session: Session, task: Task, now) -> None:
    if not task.alarm_id:
        return
    alarm = session.get(Alarm, task.alarm_id)
    if alarm is not None and alarm.state != AlarmState.CLOSED:
        alarm.state = AlarmState.CLOSED
        alarm.closed_at = now
        alarm.version += 1
        changes.record(session, alarm)
