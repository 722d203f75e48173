"""Operator and field actions, each applied exactly once per idempotency key.

The key is recorded in ``applied_actions`` in the same transaction as the action's effect. A
retry after a lost reply finds the key and gets the first answer back, so a console that
cannot tell whether its request arrived can always safely send it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from central import changes, tasks
from central.alarms import apply_decision
from central.errors import ApiError
from central.rules import Decision
from central.scope import ACTS_ON_ALARMS, Principal
from db.models import (
    AlarmKind,
    AlarmState,
    AppliedAction,
    AuditEntry,
    Business,
    Camera,
    PatrolRecord,
    Role,
    Severity,
    Task,
    TaskEvent,
    utcnow,
)
from db.serialize import PayloadError, from_payload, to_payload

Handler = Callable[[Session, Principal, dict[str, Any]], dict[str, Any]]


def _need(payload: dict[str, Any], key: str, kind: type = str) -> Any:
    value = payload.get(key)
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise ApiError(422, "invalid_payload", f"payload.{key}: required {kind.__name__}")
    return value


def _scoped(principal: Principal, row: Any, what: str, ident: str) -> Any:
    if row is None or not principal.can_see(what, row.district_id):
        raise ApiError(404, "not_found", f"{what} {ident} not found")
    return row


def _require(principal: Principal, roles: set[str], doing: str) -> None:
    if principal.role not in roles:
        raise ApiError(403, "forbidden", f"role {principal.role} may not {doing}")


def _audit(session: Session, principal: Principal, action: str, district_id: str,
           alarm_id: str | None = None, task_id: str | None = None, detail: str = "") -> None:
    entry = AuditEntry(district_id=district_id, user=principal.username, action=action,
                       alarm_id=alarm_id, task_id=task_id, detail=detail)
    session.add(entry)
    changes.record(session, entry)


def _alarm(session: Session, principal: Principal, payload: dict[str, Any]):
    from db.models import Alarm

    alarm_id = _need(payload, "alarm_id")
    return _scoped(principal, session.get(Alarm, alarm_id), "alarm", alarm_id)


def alarm_ack(session: Session, principal: Principal, payload: dict[str, Any]) -> dict[str, Any]:
    _require(principal, ACTS_ON_ALARMS, "acknowledge alarms")
    alarm = _alarm(session, principal, payload)
    if alarm.state == AlarmState.OPEN:
        alarm.state = AlarmState.ACKNOWLEDGED
        alarm.acked_at, alarm.acked_by = utcnow(), principal.username
        alarm.version += 1
        changes.record(session, alarm)
    _audit(session, principal, "alarm.ack", alarm.district_id, alarm_id=alarm.id)
    return {"alarm": to_payload(alarm)}


def alarm_dismiss(session: Session, principal: Principal,
                  payload: dict[str, Any]) -> dict[str, Any]:
    _require(principal, ACTS_ON_ALARMS, "dismiss alarms")
    reason = _need(payload, "reason")
    alarm = _alarm(session, principal, payload)
    if alarm.state in (AlarmState.CLOSED, AlarmState.DISPATCHED):
        raise ApiError(409, "invalid_state", f"alarm is {alarm.state}; it cannot be dismissed",
                       current=to_payload(alarm))
    alarm.state, alarm.dismiss_reason = AlarmState.DISMISSED, reason.strip()
    alarm.closed_at = utcnow()
    alarm.version += 1
    changes.record(session, alarm)
    _audit(session, principal, "alarm.dismiss", alarm.district_id, alarm_id=alarm.id,
           detail=reason.strip())
    return {"alarm": to_payload(alarm)}


def alarm_escalate(session: Session, principal: Principal,
                   payload: dict[str, Any]) -> dict[str, Any]:
    _require(principal, ACTS_ON_ALARMS, "escalate alarms")
    alarm = _alarm(session, principal, payload)
    alarm.severity = max(alarm.severity, int(Severity.CRITICAL))
    alarm.version += 1
    changes.record(session, alarm)
    _audit(session, principal, "alarm.escalate", alarm.district_id, alarm_id=alarm.id,
           detail=str(payload.get("note", "")))
    return {"alarm": to_payload(alarm)}


def task_dispatch(session: Session, principal: Principal,
                  payload: dict[str, Any]) -> dict[str, Any]:
    _require(principal, ACTS_ON_ALARMS, "dispatch tasks")
    try:
        values = from_payload(Task, _need(payload, "task", dict))
    except PayloadError as exc:
        raise ApiError(422, "invalid_payload", str(exc)) from exc
    business_id = values.get("business_id") or ""
    business = _scoped(principal, session.get(Business, business_id), "business", business_id)
    if values.get("id") and session.get(Task, values["id"]) is not None:
        raise ApiError(409, "exists", f"task {values['id']} already exists")
    now = utcnow()
    values.update(district_id=business.district_id, state="dispatched", version=1,
                  created_by=principal.username, created_at=now, updated_at=now,
                  closed_at=None, escalated=bool(values.get("escalated", False)))
    severity = int(values.get("severity") or Severity.MAJOR)
    if not values.get("deadline"):
        values["deadline"] = now + tasks.DEFAULT_DEADLINES.get(Severity(severity),
                                                               tasks.DEFAULT_DEADLINES[3])
    elif values["deadline"] <= now:
        raise ApiError(422, "invalid_payload", "task.deadline: must be in the future")
    task = Task(**values)
    alarm_id = payload.get("alarm_id") or values.get("alarm_id")
    if alarm_id:
        alarm = _alarm(session, principal, {"alarm_id": alarm_id})
        task.alarm_id = alarm.id
        alarm.state, alarm.task_id = AlarmState.DISPATCHED, task.id
        alarm.version += 1
    session.add(task)
    session.flush()
    event = TaskEvent(task_id=task.id, district_id=task.district_id, ts=now,
                      actor=principal.username, action="dispatch", to_state=task.state,
                      note=task.notes, attachment_url=task.evidence_url)
    session.add(event)
    changes.record(session, task)
    changes.record(session, event)
    if alarm_id:
        changes.record(session, alarm)
    _audit(session, principal, "task.dispatch", task.district_id, alarm_id=task.alarm_id,
           task_id=task.id, detail=f"assignee={task.assignee}")
    return {"task": to_payload(task)}


def task_transition(session: Session, principal: Principal,
                    payload: dict[str, Any]) -> dict[str, Any]:
    task_id = _need(payload, "task_id")
    task = _scoped(principal, session.get(Task, task_id), "task", task_id)
    version = payload.get("expected_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ApiError(422, "invalid_payload", "payload.expected_version: expected an integer")
    action = _need(payload, "action")
    event = tasks.transition(session, task, action, actor=principal.username,
                             role=principal.role, expected_version=version,
                             note=str(payload.get("note", "")),
                             attachment_url=str(payload.get("attachment_url", "")),
                             event_id=payload.get("event_id"))
    _audit(session, principal, f"task.{action}", task.district_id, alarm_id=task.alarm_id,
           task_id=task.id, detail=str(payload.get("note", "")))
    return {"task": to_payload(task), "event": to_payload(event)}


def patrol_record(session: Session, principal: Principal,
                  payload: dict[str, Any]) -> dict[str, Any]:
    _require(principal, ACTS_ON_ALARMS, "record patrols")
    try:
        values = from_payload(PatrolRecord, payload)
    except PayloadError as exc:
        raise ApiError(422, "invalid_payload", str(exc)) from exc
    business_id = values.get("business_id") or ""
    business = _scoped(principal, session.get(Business, business_id), "business", business_id)
    if values.get("verdict") not in ("compliant", "problem"):
        raise ApiError(422, "invalid_payload", "verdict: expected 'compliant' or 'problem'")
    values.update(district_id=business.district_id, user=principal.username)
    existing = session.get(PatrolRecord, values["id"]) if values.get("id") else None
    record = existing or PatrolRecord(**values)
    if existing is None:
        session.add(record)
    changes.record(session, record)
    return {"patrol_record": to_payload(record)}


def audit(session: Session, principal: Principal, payload: dict[str, Any]) -> dict[str, Any]:
    action = _need(payload, "action")
    district_id = payload.get("district_id") or principal.district_id or ""
    if principal.district_scope and district_id != principal.district_scope:
        raise ApiError(404, "not_found", f"district {district_id} not found")
    _audit(session, principal, action, district_id, alarm_id=payload.get("alarm_id"),
           task_id=payload.get("task_id"), detail=str(payload.get("detail", "")))
    return {}


def camera_health(session: Session, principal: Principal,
                  payload: dict[str, Any]) -> dict[str, Any]:
    camera_id = _need(payload, "camera_id")
    health = _need(payload, "health")
    camera = _scoped(principal, session.get(Camera, camera_id), "camera", camera_id)
    return set_camera_health(session, camera, health, str(payload.get("reason", "")))


def set_camera_health(session: Session, camera: Camera, health: str,
                      reason: str) -> dict[str, Any]:
    online = health in ("playing", "online")
    if camera.health != health or camera.online != online:
        camera.health, camera.online = health, online
        camera.version += 1
        changes.record(session, camera)
    decision = Decision(AlarmKind.DEVICE_OFFLINE, "camera", not online, Severity.MINOR,
                        message=f"camera {camera.name}: {health}" + (f" ({reason})" if reason
                                                                      else ""))
    apply_decision(session, decision, district_id=camera.district_id,
                   business_id=camera.business_id, camera_id=camera.id)
    return {"camera": to_payload(camera)}


HANDLERS: dict[str, Handler] = {
    "alarm.ack": alarm_ack,
    "alarm.dismiss": alarm_dismiss,
    "alarm.escalate": alarm_escalate,
    "task.dispatch": task_dispatch,
    "task.transition": task_transition,
    "patrol.record": patrol_record,
    "audit": audit,
    "camera.health": camera_health,
}


def apply(session: Session, principal: Principal, idem_key: str, kind: str,
          payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Apply once; a repeated key returns the stored answer."""
    seen = session.get(AppliedAction, idem_key)
    if seen is not None:
        if seen.user != principal.username:
            raise ApiError(409, "key_reused", "idempotency key already used by another user")
        return seen.status, seen.result
    handler = HANDLERS.get(kind)
    if handler is None:
        raise ApiError(422, "unknown_kind",
                       f"unknown action kind {kind!r}; one of {', '.join(HANDLERS)}")
    if principal.role == Role.VIEWER:
        raise ApiError(403, "forbidden", "the demonstration account is read-only")
    result = {"status": "applied", "result": handler(session, principal, payload)}
    session.add(AppliedAction(idem_key=idem_key, user=principal.username, kind=kind, status=200,
                              result=result))
    return 200, result


def parse_time(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise ApiError(422, "invalid_payload", f"{field}: expected an ISO-8601 timestamp")
    try:
        ts = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ApiError(422, "invalid_payload", f"{field}: {exc}") from exc
    if ts.tzinfo is None:
        raise ApiError(422, "invalid_payload", f"{field}: timestamp lacks a UTC offset")
    return ts
