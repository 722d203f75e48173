"""The inspection task state machine applied to rows, with optimistic versions (闭环).

The table of transitions and who may make them is :mod:`domain.tasks` (the console's task
board reads the same table to offer only what is accepted here).

Field staff accept, arrive, rectify, submit for review and may decline a dispatch, on tasks
assigned to them; office roles (operator, district staff, admin) dispatch, review, close,
reopen and escalate. Every transition names the version it was made against: a stale one is
refused with 409 and the row as the server holds it, so the console can show who won. Each
transition writes a :class:`TaskEvent` (the client's ``event_id`` when given) and the task's
alarm follows: dispatched with its task, closed when the task is ticked off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from central import changes
from central.errors import ApiError, forbidden, invalid
from central.looks import latest_look
from central.scope import Principal
from db.models import Alarm, Task, TaskEvent
from db.serialize import to_payload
from domain import second_look
from domain.alarms import AlarmState
from domain.clock import utcnow
from domain.deadlines import DEFAULT_WINDOW, SUPERVISION_WINDOW
from domain.roles import Role
from domain.second_look import SECOND_LOOK_MINUTES, earliest_look
from domain.tasks import ACTIONS, ALIASES, TRANSITIONS, TaskAction, TaskState, allowed_actions

S = TaskState


def transition(session: Session, task: Task, action: str, principal: Principal, *,
               expected_version: int | None, note: str = "", attachment_url: str = "",
               event_id: str | None = None, supervisor: str = "",
               second_look_minutes: int = SECOND_LOOK_MINUTES) -> TaskEvent:
    """Apply one action to ``task`` (raises ApiError 403/409/422 without changing anything)."""
    action = ALIASES.get(action, action)
    if action not in {a for a, _ in TRANSITIONS}:
        raise invalid(f"action: unknown task action {action!r}; one of {', '.join(ACTIONS)}")
    if not any(principal.role in roles for (a, _), (_, roles) in TRANSITIONS.items()
               if a == action):
        raise forbidden(f"role {principal.role} may not {action} a task")
    if (principal.role == Role.FIELD and task.assignee
            and task.assignee != principal.username):
        raise forbidden(f"task {task.id} is assigned to {task.assignee}, not to "
                        f"{principal.username}")
    if expected_version is not None and expected_version != task.version:
        raise ApiError(409, "stale_version",
                       f"task {task.id} changed meanwhile: you acted on version "
                       f"{expected_version}, it is now version {task.version} ({task.state})",
                       current=to_payload(task))
    rule = TRANSITIONS.get((action, task.state))
    if rule is None or principal.role not in rule[1]:
        possible = allowed_actions(task.state, principal.role)
        raise ApiError(409, "invalid_transition",
                       f"cannot {action} a task that is {task.state}; possible: "
                       f"{', '.join(possible) or 'nothing for your role'}",
                       current=to_payload(task))
    if event_id is not None and session.get(TaskEvent, event_id) is not None:
        raise ApiError(409, "exists", f"task event {event_id} already exists")
    before, target = task.state, rule[0]
    now = utcnow()
    if action == TaskAction.CLOSE_BY_LOOK:
        note = _check_second_look(session, task, now, second_look_minutes) + (
            f"; {note}" if note else "")
    task.state = target
    if action == "escalate":
        task.escalated = True
        task.supervisor = supervisor or task.supervisor or principal.username
        # On the 挂牌督办 list the task has a deadline of its own (the level's window).
        task.escalated_at = task.escalated_at or now
        task.supervision_deadline = (task.supervision_deadline
                                     or now + SUPERVISION_WINDOW.get(task.level, DEFAULT_WINDOW))
    if target == S.CLOSED:
        task.closed_at = now
    elif action == "reopen":
        task.closed_at = None
    if attachment_url:
        task.evidence_url = attachment_url
    task.version += 1
    task.updated_at = now
    event = TaskEvent(task_id=task.id, district_id=task.district_id, ts=now,
                      actor=principal.username, action=action, from_state=before,
                      to_state=target, note=note, attachment_url=attachment_url,
                      **({"id": event_id} if event_id else {}))
    session.add(event)
    changes.record(session, task)
    changes.record(session, event)
    _follow_alarm(session, task, action, now)
    return event


def _check_second_look(session: Session, task: Task, now: datetime, minutes: int) -> str:
    """Refuse (409 ``second_look``) unless the task's alarm is a minor AI violation and its
    camera was looked at again at least ``minutes`` after it; the note says which look."""
    alarm = session.get(Alarm, task.alarm_id) if task.alarm_id else None
    look = None
    if alarm is not None and alarm.camera_id:
        look = latest_look(session, alarm.camera_id,
                           earliest_look(alarm.opened_at, minutes))
    why = second_look.refusal(
        alarm_kind=alarm.kind if alarm else None, severity=alarm.severity if alarm else None,
        camera_id=alarm.camera_id if alarm else None,
        opened_at=alarm.opened_at if alarm else None, look_started_at=look, now=now,
        minutes=minutes)
    if why is not None or alarm is None or look is None:
        raise ApiError(409, "second_look", f"task {task.id} cannot be closed by a look: {why}",
                       current=to_payload(task))
    return (f"closed by a second online look at camera {alarm.camera_id} at "
            f"{look.isoformat(timespec='minutes')}")


def _follow_alarm(session: Session, task: Task, action: str, now: datetime) -> None:
    """Keep the task's alarm in step: closed with the task, back in play when reopened."""
    if not task.alarm_id:
        return
    alarm = session.get(Alarm, task.alarm_id)
    if alarm is None or alarm.task_id not in (None, task.id):
        return  # the alarm has moved on to another task
    changed: dict[str, Any] = {}
    if task.state == S.CLOSED and alarm.state != AlarmState.CLOSED:
        changed = {"state": AlarmState.CLOSED, "closed_at": now}
    elif action == "reopen" and alarm.state == AlarmState.CLOSED:
        changed = {"state": AlarmState.DISPATCHED, "closed_at": None}
    elif task.state == S.REJECTED and alarm.state == AlarmState.DISPATCHED:
        changed = {"state": AlarmState.ACKNOWLEDGED}  # back to the office to dispatch again
    if changed:
        for key, value in changed.items():
            setattr(alarm, key, value)
        alarm.version += 1
        changes.record(session, alarm)
