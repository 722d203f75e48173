"""Operator and field actions (``POST /api/actions``), each applied exactly once per key.

The idempotency key is recorded in ``applied_actions`` in the same transaction as the
action's effect. A retry after a lost reply finds the key and gets the first answer back, so a
console that cannot tell whether its request arrived can always send it again. A refusal that
can never succeed (403, 404, 409, 422) is remembered too, in its own transaction, so a repeat
gets the same refusal even if the world changed meanwhile; 401, 429 and 5xx are not remembered
(the console retries those).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from central import changes, tasks
from central.config import CentralConfig
from central.context import CONFIG, DB, RULES, principal_of
from central.errors import ApiError, forbidden, invalid, malformed, not_found, read_object
from central.evaluator import CAMERA_HEALTH, RuleEngine
from central.rules import ParamsError, params_for
from central.scope import ACTS_ON_ALARMS, PATROLS, Principal
from db.models import (
    Alarm,
    AlarmState,
    AppliedAction,
    AuditEntry,
    Business,
    Camera,
    PatrolPlan,
    PatrolRecord,
    PatrolVerdict,
    Role,
    Sensor,
    Severity,
    Task,
    TaskEvent,
    TaskState,
    User,
    new_id,
    utcnow,
)
from db.serialize import PayloadError, from_payload, to_payload

routes = web.RouteTableDef()
REMEMBERED_REFUSALS = frozenset({403, 404, 409, 422})


@dataclass(frozen=True)
class ActionContext:
    principal: Principal
    config: CentralConfig
    rules: RuleEngine


Handler = Callable[[Session, ActionContext, dict[str, Any]], dict[str, Any]]


# --------------------------------------------------------------------------- helpers


def _text(payload: dict[str, Any], key: str, *, required: bool = True, limit: int = 2000) -> str:
    value = payload.get(key, "" if not required else None)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid(f"payload.{key}: required non-empty text")
    if len(value) > limit:
        raise invalid(f"payload.{key}: longer than {limit} characters")
    return value.strip()


def _columns(model: type, payload: Any, what: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise invalid(f"payload.{what}: expected an object with {model.__tablename__} columns")
    try:
        return from_payload(model, payload)
    except PayloadError as exc:
        raise invalid(f"payload.{what}: {exc}") from exc


def _scoped(principal: Principal, row: Any, entity: str, ident: Any) -> Any:
    if row is None or not principal.can_see(entity, row.district_id):
        raise not_found(entity, ident)
    return row


def _require(principal: Principal, roles: frozenset[str], doing: str) -> None:
    if principal.role not in roles:
        raise forbidden(f"role {principal.role} may not {doing}")


def _audit(session: Session, ctx: ActionContext, action: str, district_id: str, *,
           alarm_id: str | None = None, task_id: str | None = None, detail: str = "") -> None:
    entry = AuditEntry(district_id=district_id, user=ctx.principal.username, action=action,
                       alarm_id=alarm_id, task_id=task_id, detail=detail[:2000], ts=utcnow())
    session.add(entry)
    changes.record(session, entry)


def _alarm(session: Session, ctx: ActionContext, alarm_id: Any) -> Alarm:
    if not isinstance(alarm_id, str) or not alarm_id:
        raise invalid("payload.alarm_id: required alarm id")
    return _scoped(ctx.principal, session.get(Alarm, alarm_id), "alarm", alarm_id)


def _bump(session: Session, row: Any) -> None:
    row.version += 1
    changes.record(session, row)


# --------------------------------------------------------------------------- alarms


def alarm_ack(session: Session, ctx: ActionContext, payload: dict[str, Any]) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "acknowledge alarms")
    alarm = _alarm(session, ctx, payload.get("alarm_id"))
    if alarm.state == AlarmState.OPEN:
        alarm.state = AlarmState.ACKNOWLEDGED
        alarm.acked_at, alarm.acked_by = utcnow(), ctx.principal.username
        _bump(session, alarm)
        _audit(session, ctx, "alarm.ack", alarm.district_id, alarm_id=alarm.id)
    return {"alarm": to_payload(alarm)}


def alarm_dismiss(session: Session, ctx: ActionContext,
                  payload: dict[str, Any]) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "dismiss alarms")
    reason = _text(payload, "reason")
    alarm = _alarm(session, ctx, payload.get("alarm_id"))
    if alarm.state == AlarmState.DISMISSED:
        return {"alarm": to_payload(alarm)}
    if alarm.state in (AlarmState.CLOSED, AlarmState.DISPATCHED):
        raise ApiError(409, "invalid_state",
                       f"alarm {alarm.id} is {alarm.state}; only open or acknowledged alarms "
                       f"can be dismissed", current=to_payload(alarm))
    now = utcnow()
    alarm.state, alarm.dismiss_reason, alarm.closed_at = AlarmState.DISMISSED, reason, now
    if alarm.acked_at is None:
        alarm.acked_at, alarm.acked_by = now, ctx.principal.username
    _bump(session, alarm)
    _audit(session, ctx, "alarm.dismiss", alarm.district_id, alarm_id=alarm.id, detail=reason)
    return {"alarm": to_payload(alarm)}


def alarm_close(session: Session, ctx: ActionContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Close an alarm that needs no inspection (e.g. a camera that came back), with a note."""
    _require(ctx.principal, ACTS_ON_ALARMS, "close alarms")
    note = _text(payload, "note")
    alarm = _alarm(session, ctx, payload.get("alarm_id"))
    if alarm.state == AlarmState.CLOSED:
        return {"alarm": to_payload(alarm)}
    if alarm.state in (AlarmState.DISPATCHED, AlarmState.DISMISSED):
        raise ApiError(409, "invalid_state",
                       f"alarm {alarm.id} is {alarm.state}; "
                       + ("close its task instead" if alarm.state == AlarmState.DISPATCHED
                          else "it is already finished"), current=to_payload(alarm))
    alarm.state, alarm.closed_at = AlarmState.CLOSED, utcnow()
    _bump(session, alarm)
    _audit(session, ctx, "alarm.close", alarm.district_id, alarm_id=alarm.id, detail=note)
    return {"alarm": to_payload(alarm)}


def alarm_escalate(session: Session, ctx: ActionContext,
                   payload: dict[str, Any]) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "escalate alarms")
    note = _text(payload, "note", required=False)
    alarm = _alarm(session, ctx, payload.get("alarm_id"))
    if alarm.severity < Severity.CRITICAL:
        alarm.severity = Severity.CRITICAL
        _bump(session, alarm)
    _audit(session, ctx, "alarm.escalate", alarm.district_id, alarm_id=alarm.id, detail=note)
    return {"alarm": to_payload(alarm)}


# --------------------------------------------------------------------------- tasks


def _check_assignee(session: Session, assignee: str, district_id: str) -> None:
    if not assignee:
        return
    user = session.scalar(select(User).where(User.username == assignee))
    if user is None or not user.active:
        raise invalid(f"task.assignee: no active user {assignee!r}")
    if user.role in (Role.FIELD, Role.DISTRICT) and user.district_id != district_id:
        raise invalid(f"task.assignee: {assignee} works in district {user.district_id}, "
                      f"not {district_id}")
    if user.role not in (Role.FIELD, Role.DISTRICT, Role.OPERATOR, Role.ADMIN):
        raise invalid(f"task.assignee: {assignee} ({user.role}) cannot work tasks")


def task_dispatch(session: Session, ctx: ActionContext,
                  payload: dict[str, Any]) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "dispatch tasks")
    values = _columns(Task, payload.get("task"), "task")
    alarm_id = payload.get("alarm_id") or values.get("alarm_id")
    alarm = _alarm(session, ctx, alarm_id) if alarm_id else None
    business_id = values.get("business_id") or (alarm.business_id if alarm else None)
    if not business_id:
        raise invalid("payload.task.business_id: required (or give alarm_id)")
    business = _scoped(ctx.principal, session.get(Business, business_id), "business",
                       business_id)
    if alarm is not None and alarm.business_id != business.id:
        raise invalid(f"payload.task.business_id: {business.id} is not the business of alarm "
                      f"{alarm.id} ({alarm.business_id})")
    task_id = values.get("id") or new_id()
    if session.get(Task, task_id) is not None:
        raise ApiError(409, "exists", f"task {task_id} already exists")
    if alarm is not None:
        if alarm.state in (AlarmState.CLOSED, AlarmState.DISMISSED):
            raise ApiError(409, "invalid_state", f"alarm {alarm.id} is {alarm.state}; it cannot "
                                                 f"be dispatched", current=to_payload(alarm))
        previous = session.get(Task, alarm.task_id) if alarm.task_id else None
        if previous is not None and previous.state in tasks.OPEN_STATES:
            raise ApiError(409, "already_dispatched",
                           f"alarm {alarm.id} already has task {previous.id} "
                           f"({previous.state})", current=to_payload(alarm))
    assignee = values.get("assignee") or ""
    _check_assignee(session, assignee, business.district_id)
    now = utcnow()
    severity = values.get("severity") or (alarm.severity if alarm else Severity.MAJOR)
    if severity not in {int(s) for s in Severity}:
        raise invalid(f"payload.task.severity: expected 1..4, got {severity}")
    deadline = values.get("deadline") or now + ctx.config.deadline_for(severity)
    if deadline <= now:
        raise invalid(f"payload.task.deadline: {deadline.isoformat()} is already past")
    title = values.get("title") or (alarm.message if alarm and alarm.message
                                    else f"Inspection of {business.name}")
    task = Task(id=task_id, alarm_id=alarm.id if alarm else None,
                district_id=business.district_id, business_id=business.id,
                state=TaskState.DISPATCHED, assignee=assignee,
                created_by=ctx.principal.username, title=title[:256],
                notes=values.get("notes") or "", checklist=values.get("checklist") or {},
                evidence_url=values.get("evidence_url") or (alarm.evidence_url if alarm else ""),
                severity=severity, deadline=deadline, escalated=bool(values.get("escalated")),
                supervisor=values.get("supervisor") or "", created_at=now, updated_at=now,
                version=1)
    session.add(task)
    event_id = payload.get("event_id")
    if event_id is not None and (not isinstance(event_id, str) or not event_id
                                 or session.get(TaskEvent, event_id) is not None):
        raise invalid(f"payload.event_id: {event_id!r} is not a new event id")
    event = TaskEvent(task_id=task.id, district_id=task.district_id, ts=now,
                      actor=ctx.principal.username, action="dispatch", from_state="",
                      to_state=TaskState.DISPATCHED, note=task.notes,
                      attachment_url=task.evidence_url, **({"id": event_id} if event_id else {}))
    session.add(event)
    changes.record(session, task)
    changes.record(session, event)
    if alarm is not None:
        alarm.state, alarm.task_id = AlarmState.DISPATCHED, task.id
        if alarm.acked_at is None:
            alarm.acked_at, alarm.acked_by = now, ctx.principal.username
        _bump(session, alarm)
    _audit(session, ctx, "task.dispatch", task.district_id, alarm_id=task.alarm_id,
           task_id=task.id, detail=f"assignee={assignee}; deadline={deadline.isoformat()}")
    return {"task": to_payload(task), "event": to_payload(event),
            **({"alarm": to_payload(alarm)} if alarm is not None else {})}


def task_transition(session: Session, ctx: ActionContext,
                    payload: dict[str, Any]) -> dict[str, Any]:
    task_id = payload.get("task_id")
    if not isinstance(task_id, str) or not task_id:
        raise invalid("payload.task_id: required task id")
    task = _scoped(ctx.principal, session.get(Task, task_id), "task", task_id)
    version = payload.get("expected_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise invalid(f"payload.expected_version: expected an integer, got {version!r}")
    action = _text(payload, "action", limit=32)
    event_id = payload.get("event_id")
    if event_id is not None and (not isinstance(event_id, str) or not 1 <= len(event_id) <= 32):
        raise invalid("payload.event_id: expected an id of 1..32 characters")
    note = _text(payload, "note", required=False)
    event = tasks.transition(session, task, action, ctx.principal, expected_version=version,
                             note=note,
                             attachment_url=_text(payload, "attachment_url", required=False,
                                                  limit=512),
                             event_id=event_id,
                             supervisor=_text(payload, "supervisor", required=False, limit=64))
    _audit(session, ctx, f"task.{event.action}", task.district_id, alarm_id=task.alarm_id,
           task_id=task.id, detail=note)
    return {"task": to_payload(task), "event": to_payload(event)}


# --------------------------------------------------------------------------- patrol


def patrol_record(session: Session, ctx: ActionContext,
                  payload: dict[str, Any]) -> dict[str, Any]:
    _require(ctx.principal, PATROLS, "record patrols")
    values = _columns(PatrolRecord, payload, "patrol_record")
    business_id = values.get("business_id") or ""
    business = _scoped(ctx.principal, session.get(Business, business_id), "business",
                       business_id or "(missing business_id)")
    if values.get("verdict") not in {v.value for v in PatrolVerdict}:
        raise invalid(f"payload.verdict: expected 'compliant' or 'problem', "
                      f"got {values.get('verdict')!r}")
    plan_id = values.get("plan_id")
    if plan_id:
        plan = session.get(PatrolPlan, plan_id)
        if plan is None or not ctx.principal.can_see("patrol_plan", plan.district_id):
            raise invalid(f"payload.plan_id: no patrol plan {plan_id}")
    record_id = values.get("id") or new_id()
    if session.get(PatrolRecord, record_id) is not None:
        raise ApiError(409, "exists", f"patrol record {record_id} already exists")
    values.update(id=record_id, district_id=business.district_id, user=ctx.principal.username,
                  version=1)
    values.setdefault("started_at", utcnow())
    record = PatrolRecord(**values)
    session.add(record)
    changes.record(session, record)
    return {"patrol_record": to_payload(record)}


def patrol_plan_save(session: Session, ctx: ActionContext,
                     payload: dict[str, Any]) -> dict[str, Any]:
    """Create or update a patrol plan (district staff: their district's plans only)."""
    _require(ctx.principal, ACTS_ON_ALARMS, "edit patrol plans")
    values = _columns(PatrolPlan, payload, "patrol_plan")
    scope = ctx.principal.district_scope
    district = values.get("district_id", scope)
    if scope is not None and district != scope:
        raise forbidden(f"district staff may only plan patrols in district {scope}")
    if not isinstance(values.get("selection", {}), dict):
        raise invalid("payload.selection: expected an object")
    plan_id = values.get("id") or new_id()
    plan = session.get(PatrolPlan, plan_id)
    expected = payload.get("expected_version")
    if plan is None:
        if not values.get("name"):
            raise invalid("payload.name: required for a new patrol plan")
        values.update(id=plan_id, district_id=district, version=1)
        plan = PatrolPlan(**values)
        session.add(plan)
        changes.record(session, plan)
    else:
        _scoped(ctx.principal, plan, "patrol_plan", plan_id)
        if expected is not None and expected != plan.version:
            raise ApiError(409, "stale_version", f"patrol plan {plan_id} changed meanwhile",
                           current=to_payload(plan))
        for key in ("name", "selection", "times_per_period", "period_days"):
            if key in values:
                setattr(plan, key, values[key])
        _bump(session, plan)
    return {"patrol_plan": to_payload(plan)}


# --------------------------------------------------------------------------- misc


def audit(session: Session, ctx: ActionContext, payload: dict[str, Any]) -> dict[str, Any]:
    """An audit entry written by the console (e.g. "looked at camera X"), kept once by id."""
    values = _columns(AuditEntry, payload, "audit")
    if not values.get("action"):
        raise invalid("payload.action: required text")
    entry_id = values.get("id") or new_id()
    existing = session.get(AuditEntry, entry_id)
    if existing is not None:
        return {"audit": to_payload(existing)}
    district = values.get("district_id") or ctx.principal.district_id or ""
    if not ctx.principal.in_district(district):
        raise not_found("district", district)
    values.update(id=entry_id, district_id=district, user=ctx.principal.username, version=1)
    values.setdefault("ts", utcnow())
    entry = AuditEntry(**values)
    session.add(entry)
    changes.record(session, entry)
    return {"audit": to_payload(entry)}


def camera_health(session: Session, ctx: ActionContext,
                  payload: dict[str, Any]) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "report camera health")
    camera_id = _text(payload, "camera_id", limit=48)
    health = _text(payload, "health", limit=32)
    if health not in CAMERA_HEALTH:
        raise invalid(f"payload.health: expected one of {', '.join(sorted(CAMERA_HEALTH))}")
    camera = _scoped(ctx.principal, session.get(Camera, camera_id), "camera", camera_id)
    ctx.rules.set_camera_health(session, camera, health, None,
                                _text(payload, "reason", required=False, limit=200))
    return {"camera": to_payload(camera)}


def sensor_params(session: Session, ctx: ActionContext,
                  payload: dict[str, Any]) -> dict[str, Any]:
    """Set a sensor's rule parameters (limits differ between bureaus and sites)."""
    _require(ctx.principal, ACTS_ON_ALARMS, "change rule parameters")
    sensor_id = _text(payload, "sensor_id", limit=48)
    params = payload.get("params")
    if not isinstance(params, dict):
        raise invalid("payload.params: expected an object of rule parameters")
    sensor = _scoped(ctx.principal, session.get(Sensor, sensor_id), "sensor", sensor_id)
    merged = {**(sensor.params or {}), **params}
    merged = {k: v for k, v in merged.items() if v is not None}  # null: back to the default
    try:
        params_for(sensor.kind, merged)
    except ParamsError as exc:
        raise invalid(f"payload.{exc}") from exc
    sensor.params = merged
    _bump(session, sensor)
    _audit(session, ctx, "sensor.params", sensor.district_id,
           detail=f"{sensor.id}: {json.dumps(params, ensure_ascii=False)[:500]}")
    return {"sensor": to_payload(sensor)}


HANDLERS: dict[str, Handler] = {
    "alarm.ack": alarm_ack,
    "alarm.dismiss": alarm_dismiss,
    "alarm.close": alarm_close,
    "alarm.escalate": alarm_escalate,
    "task.dispatch": task_dispatch,
    "task.transition": task_transition,
    "patrol.record": patrol_record,
    "patrol_plan.save": patrol_plan_save,
    "audit": audit,
    "camera.health": camera_health,
    "sensor.params": sensor_params,
}


# --------------------------------------------------------------------------- ledger


def _stored(seen: AppliedAction, principal: Principal) -> tuple[int, dict[str, Any]]:
    if seen.user != principal.username:
        raise ApiError(409, "key_reused", "this idempotency key was already used by another "
                                          "user; generate a new one")
    return seen.status, seen.result


def apply(session: Session, ctx: ActionContext, idem_key: str, kind: str,
          payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Apply once; a repeated key returns the stored answer (status, body)."""
    seen = session.get(AppliedAction, idem_key)
    if seen is not None:
        return _stored(seen, ctx.principal)
    handler = HANDLERS.get(kind)
    if handler is None:
        raise invalid(f"kind: unknown action {kind!r}; one of {', '.join(HANDLERS)}")
    if ctx.principal.role == Role.VIEWER:
        raise forbidden("the demonstration account is read-only")
    if ctx.principal.role == Role.DEVICE:
        raise forbidden("device accounts post readings and events, not actions")
    body = {"status": "applied", "result": handler(session, ctx, payload)}
    session.add(AppliedAction(idem_key=idem_key, user=ctx.principal.username, kind=kind,
                              status=200, result=body, ts=utcnow()))
    return 200, body


def remember_refusal(session: Session, principal: Principal, idem_key: str, kind: str,
                     error: ApiError) -> tuple[int, dict[str, Any]]:
    """Store a permanent refusal so a repeat of the key gets the same answer."""
    seen = session.get(AppliedAction, idem_key)
    if seen is not None:
        return _stored(seen, principal)
    body = error.body()
    session.add(AppliedAction(idem_key=idem_key, user=principal.username, kind=kind[:48],
                              status=error.status, result=body, ts=utcnow()))
    return error.status, body


@routes.post("/api/actions")
async def post_action(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    cfg = request.app[CONFIG]
    body = await read_object(request, cfg.max_body_bytes, '{"idem_key", "kind", "payload"}')
    key, kind, payload = body.get("idem_key"), body.get("kind"), body.get("payload")
    if not isinstance(key, str) or not 8 <= len(key) <= 64 or not key.isprintable():
        raise malformed("idem_key: expected a string of 8..64 printable characters "
                        "(a uuid4 hex is ideal)")
    if not isinstance(kind, str) or not kind:
        raise invalid("kind: expected an action kind string")
    if not isinstance(payload, dict):
        raise invalid(f"payload: expected an object, got {type(payload).__name__}")
    ctx = ActionContext(principal, cfg, request.app[RULES])
    db = request.app[DB]
    try:
        status, answer = await db.write(lambda s: apply(s, ctx, key, kind, payload))
    except ApiError as exc:
        if exc.status not in REMEMBERED_REFUSALS or exc.code == "key_reused":
            raise
        status, answer = await db.write(
            lambda s, error=exc: remember_refusal(s, principal, key, kind, error))
    return web.json_response(answer, status=status)
