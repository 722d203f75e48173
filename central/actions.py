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
import re
from datetime import timedelta
from typing import Any, TypeVar

from aiohttp import web
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from central import (
    account_actions,
    baobao,
    bulletin_actions,
    changes,
    major_events,
    recordings,
    tasks,
)
from central.action_context import ActionContext, Handler
from central.action_context import audit as _audit
from central.action_context import bump as _bump
from central.context import CONFIG, DB, RULES, principal_of
from central.errors import ApiError, forbidden, invalid, malformed, not_found, read_object
from central.registry_actions import HANDLERS as REGISTRY_HANDLERS
from central.registry_actions import checked_params
from central.schemas import actions as s
from central.schemas import recordings as rec
from central.schemas.common import describe_error, stored_media, validate
from central.scope import ACTS_ON_ALARMS, CHANGES_RULES, PATROLS, Principal
from db.models import (
    Alarm,
    AppliedAction,
    Business,
    Camera,
    District,
    Grid,
    PatrolPlan,
    PatrolRecord,
    RecordingLock,
    RecordingPolicy,
    Sensor,
    Task,
    TaskEvent,
    User,
)
from db.serialize import to_payload
from domain.alarms import AlarmState, Severity
from domain.clock import utcnow
from domain.ids import new_id
from domain.recordings import DEFAULT_RETENTION_DAYS, RecordingMode
from domain.roles import Role
from domain.tasks import OPEN_STATES, TaskState

# The rows an action may be scoped to (each has a district).
_Scoped = TypeVar("_Scoped", Alarm, Business, Camera, Sensor, Task)

routes = web.RouteTableDef()
_IDEM_KEY = re.compile(s.IDEM_KEY_PATTERN)
REMEMBERED_REFUSALS = frozenset({403, 404, 409, 422})
# key_reused: not this user's key; media_missing: the image is still on its way (the console
# uploads it independently and sends the action again).
_NOT_REMEMBERED = frozenset({"key_reused", "media_missing"})


# --------------------------------------------------------------------------- helpers


def _scoped(principal: Principal, row: _Scoped | None, entity: str, ident: Any) -> _Scoped:
    if row is None or not principal.can_see(entity, row.district_id):
        raise not_found(entity, ident)
    return row


def _require(principal: Principal, roles: frozenset[str], doing: str) -> None:
    if principal.role not in roles:
        raise forbidden(f"role {principal.role} may not {doing}")


def _alarm(session: Session, ctx: ActionContext, alarm_id: str) -> Alarm:
    return _scoped(ctx.principal, session.get(Alarm, alarm_id), "alarm", alarm_id)


def _media(ctx: ActionContext, url: str, where: str) -> str:
    return stored_media(ctx.config.media_dir, url, where)


# --------------------------------------------------------------------------- alarms


def alarm_ack(session: Session, ctx: ActionContext, payload: s.AlarmAck) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "acknowledge alarms")
    alarm = _alarm(session, ctx, payload.alarm_id)
    if alarm.state == AlarmState.OPEN:
        alarm.state = AlarmState.ACKNOWLEDGED
        alarm.acked_at, alarm.acked_by = utcnow(), ctx.principal.username
        _bump(session, alarm)
        _audit(session, ctx, "alarm.ack", alarm.district_id, alarm_id=alarm.id)
    return {"alarm": to_payload(alarm)}


def alarm_dismiss(session: Session, ctx: ActionContext,
                  payload: s.AlarmDismiss) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "dismiss alarms")
    reason = payload.reason.strip()
    alarm = _alarm(session, ctx, payload.alarm_id)
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


def alarm_close(session: Session, ctx: ActionContext, payload: s.AlarmClose) -> dict[str, Any]:
    """Close an alarm that needs no inspection (e.g. a camera that came back), with a note."""
    _require(ctx.principal, ACTS_ON_ALARMS, "close alarms")
    note = payload.note.strip()
    alarm = _alarm(session, ctx, payload.alarm_id)
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
                   payload: s.AlarmEscalate) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "escalate alarms")
    alarm = _alarm(session, ctx, payload.alarm_id)
    if alarm.severity < Severity.CRITICAL:
        alarm.severity = Severity.CRITICAL
        _bump(session, alarm)
    _audit(session, ctx, "alarm.escalate", alarm.district_id, alarm_id=alarm.id,
           detail=payload.note.strip())
    return {"alarm": to_payload(alarm)}


# --------------------------------------------------------------------------- tasks


def _check_assignee(session: Session, assignee: str, district_id: str) -> None:
    if not assignee:
        return
    user = session.scalar(select(User).where(User.username == assignee))
    if user is None or not user.active:
        raise invalid(f"payload.task.assignee: no active user {assignee!r}")
    if user.role in (Role.FIELD, Role.DISTRICT) and user.district_id != district_id:
        raise invalid(f"payload.task.assignee: {assignee} works in district {user.district_id},"
                      f" not {district_id}")
    if user.role not in (Role.FIELD, Role.DISTRICT, Role.OPERATOR, Role.ADMIN):
        raise invalid(f"payload.task.assignee: {assignee} ({user.role}) cannot work tasks")


def task_dispatch(session: Session, ctx: ActionContext,
                  payload: s.TaskDispatch) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "dispatch tasks")
    draft = payload.task
    alarm_id = payload.alarm_id or draft.alarm_id
    alarm = _alarm(session, ctx, alarm_id) if alarm_id else None
    business_id = draft.business_id or (alarm.business_id if alarm else None)
    if not business_id:
        # Either of two fields, which the payload's JSON Schema does not state: a code of its own.
        raise ApiError(422, "business_or_alarm",
                       "payload.task.business_id: required (or give alarm_id)")
    business = _scoped(ctx.principal, session.get(Business, business_id), "business",
                       business_id)
    if alarm is not None and alarm.business_id != business.id:
        raise invalid(f"payload.task.business_id: {business.id} is not the business of alarm "
                      f"{alarm.id} ({alarm.business_id})")
    task_id = draft.id or new_id()
    if session.get(Task, task_id) is not None:
        raise ApiError(409, "exists", f"task {task_id} already exists")
    if alarm is not None:
        if alarm.state in (AlarmState.CLOSED, AlarmState.DISMISSED):
            raise ApiError(409, "invalid_state", f"alarm {alarm.id} is {alarm.state}; it cannot "
                                                 f"be dispatched", current=to_payload(alarm))
        previous = session.get(Task, alarm.task_id) if alarm.task_id else None
        if previous is not None and previous.state in OPEN_STATES:
            raise ApiError(409, "already_dispatched",
                           f"alarm {alarm.id} already has task {previous.id} "
                           f"({previous.state})", current=to_payload(alarm))
    _check_assignee(session, draft.assignee, business.district_id)
    evidence = _media(ctx, draft.evidence_url, "payload.task.evidence_url")
    now = utcnow()
    severity = draft.severity or (alarm.severity if alarm else Severity.MAJOR)
    deadline = draft.deadline or now + ctx.config.deadline_for(severity)
    if deadline <= now:
        raise invalid(f"payload.task.deadline: {deadline.isoformat()} is already past")
    title = draft.title.strip() or (alarm.message if alarm and alarm.message
                                    else f"Inspection of {business.name}")
    task = Task(id=task_id, alarm_id=alarm.id if alarm else None,
                district_id=business.district_id, business_id=business.id,
                state=TaskState.DISPATCHED, assignee=draft.assignee,
                created_by=ctx.principal.username, title=title[:256], notes=draft.notes,
                checklist=draft.checklist.model_dump(),
                evidence_url=evidence or (alarm.evidence_url if alarm else ""),
                severity=severity, deadline=deadline, escalated=draft.escalated,
                supervisor=draft.supervisor, created_at=now, updated_at=now, version=1)
    session.add(task)
    event_id = payload.event_id
    if event_id is not None and session.get(TaskEvent, event_id) is not None:
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
           task_id=task.id, detail=f"assignee={draft.assignee}; deadline={deadline.isoformat()}")
    return {"task": to_payload(task), "event": to_payload(event),
            **({"alarm": to_payload(alarm)} if alarm is not None else {})}


def task_transition(session: Session, ctx: ActionContext,
                    payload: s.TaskTransition) -> dict[str, Any]:
    task = _scoped(ctx.principal, session.get(Task, payload.task_id), "task", payload.task_id)
    attachment = _media(ctx, payload.attachment_url, "payload.attachment_url")
    event = tasks.transition(session, task, payload.action, ctx.principal,
                             expected_version=payload.expected_version, note=payload.note,
                             attachment_url=attachment, event_id=payload.event_id,
                             supervisor=payload.supervisor.strip())
    _audit(session, ctx, f"task.{event.action}", task.district_id, alarm_id=task.alarm_id,
           task_id=task.id, detail=payload.note)
    return {"task": to_payload(task), "event": to_payload(event)}


# --------------------------------------------------------------------------- patrol


def _plan_in_scope(session: Session, ctx: ActionContext, plan_id: str | None) -> None:
    if not plan_id:
        return
    plan = session.get(PatrolPlan, plan_id)
    if plan is None or not ctx.principal.can_see("patrol_plan", plan.district_id):
        raise invalid(f"payload.plan_id: no patrol plan {plan_id}")


def patrol_record(session: Session, ctx: ActionContext,
                  payload: s.PatrolRecord) -> dict[str, Any]:
    _require(ctx.principal, PATROLS, "record patrols")
    business = _scoped(ctx.principal, session.get(Business, payload.business_id), "business",
                       payload.business_id)
    _plan_in_scope(session, ctx, payload.plan_id)
    if payload.task_id:
        _scoped(ctx.principal, session.get(Task, payload.task_id), "task", payload.task_id)
    record_id = payload.id or new_id()
    if session.get(PatrolRecord, record_id) is not None:
        raise ApiError(409, "exists", f"patrol record {record_id} already exists")
    snapshot = _media(ctx, payload.snapshot_url, "payload.snapshot_url")
    record = PatrolRecord(id=record_id, plan_id=payload.plan_id,
                          district_id=business.district_id, business_id=business.id,
                          user=ctx.principal.username,
                          started_at=payload.started_at or utcnow(), ended_at=payload.ended_at,
                          verdict=payload.verdict, note=payload.note, snapshot_url=snapshot,
                          task_id=payload.task_id, version=1)
    session.add(record)
    changes.record(session, record)
    return {"patrol_record": to_payload(record)}


def _check_selection(session: Session, selection: s.Selection, district: str | None) -> None:
    """Grids and businesses named by a plan exist and lie in the plan's district."""
    for model, ids, key in ((Grid, selection.grid_ids, "grid_ids"),
                            (Business, selection.business_ids, "business_ids")):
        if not ids:
            continue
        wanted = set(ids)
        found = dict(session.execute(select(model.id, model.district_id)
                                     .where(model.id.in_(sorted(wanted)))).all())
        for ident in sorted(wanted):
            if ident not in found or (district is not None and found[ident] != district):
                where = f" in district {district}" if district else ""
                raise invalid(f"payload.selection.{key}: no {model.__tablename__[:-1]} "
                              f"{ident}{where}")


def patrol_plan_save(session: Session, ctx: ActionContext,
                     payload: s.PatrolPlanSave) -> dict[str, Any]:
    """Create or update a patrol plan. A plan belongs to its district: district staff create
    and edit their district's plans only, never a city-wide one (``district_id`` null)."""
    _require(ctx.principal, ACTS_ON_ALARMS, "edit patrol plans")
    scope = ctx.principal.district_scope
    given = payload.model_fields_set
    plan_id = payload.id or new_id()
    plan = session.get(PatrolPlan, plan_id)
    if plan is not None:
        if not ctx.principal.can_see("patrol_plan", plan.district_id):
            raise not_found("patrol_plan", plan_id)
        if not ctx.principal.in_district(plan.district_id):
            raise forbidden(f"patrol plan {plan_id} is "
                            + (f"district {plan.district_id}'s" if plan.district_id
                               else "city-wide")
                            + f"; district staff edit the plans of district {scope} only")
    district = payload.district_id if "district_id" in given else (
        plan.district_id if plan is not None else scope)
    if scope is not None and district != scope:
        raise forbidden(f"district staff may only plan patrols in district {scope}"
                        + ("" if district else "; city-wide plans are the centre's"))
    if district is not None and session.get(District, district) is None:
        raise not_found("district", district)  # like every unknown reference: 404
    if payload.selection is not None:
        _check_selection(session, payload.selection, district)
    changed: dict[str, Any] = {
        key: getattr(payload, key) for key in ("name", "times_per_period", "period_days")
        if key in given and getattr(payload, key) is not None}
    if "name" in changed:
        changed["name"] = changed["name"].strip()
    if payload.selection is not None:
        changed["selection"] = payload.selection.model_dump(exclude_defaults=True)
    if plan is None:
        if not changed.get("name"):
            # whether the plan is new is the database's to say, not the payload's shape
            raise ApiError(422, "required_for_new", "payload.name: required for a new patrol "
                                                    "plan")
        plan = PatrolPlan(id=plan_id, district_id=district, version=1,
                          **{"selection": {}, "times_per_period": 1, "period_days": 30,
                             **changed})
        session.add(plan)
        changes.record(session, plan)
    else:
        expected = payload.expected_version
        if expected is not None and expected != plan.version:
            raise ApiError(409, "stale_version", f"patrol plan {plan_id} changed meanwhile",
                           current=to_payload(plan))
        for key, value in changed.items():
            setattr(plan, key, value)
        plan.district_id = district
        _bump(session, plan)
    _audit(session, ctx, "patrol_plan.save", district or "",
           detail=f"{plan.id}: {plan.name}")
    return {"patrol_plan": to_payload(plan)}


def patrol_skip(session: Session, ctx: ActionContext, payload: s.PatrolSkip) -> dict[str, Any]:
    """A business looked at without a verdict still leaves a trace: an audit entry that
    central writes with its own time, the caller's name and the business's district."""
    _require(ctx.principal, PATROLS, "record patrols")
    business = _scoped(ctx.principal, session.get(Business, payload.business_id), "business",
                       payload.business_id)
    _plan_in_scope(session, ctx, payload.plan_id)
    _audit(session, ctx, "patrol.skip", business.district_id,
           detail=f"{business.id} {business.name}: {payload.reason.strip()} after "
                  f"{payload.seconds} s (plan {payload.plan_id or '-'})")
    return {"business_id": business.id}


# --------------------------------------------------------------------------- devices


def camera_health(session: Session, ctx: ActionContext,
                  payload: s.CameraHealth) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "report camera health")
    camera = _scoped(ctx.principal, session.get(Camera, payload.camera_id), "camera",
                     payload.camera_id)
    ctx.rules.set_camera_health(session, camera, payload.health, None, payload.reason[:200])
    return {"camera": to_payload(camera)}


def sensor_params(session: Session, ctx: ActionContext,
                  payload: s.SensorParams) -> dict[str, Any]:
    """Set a sensor's rule parameters (admin only: a limit decides whether anyone is told)."""
    _require(ctx.principal, CHANGES_RULES, "change rule parameters")
    sensor = _scoped(ctx.principal, session.get(Sensor, payload.sensor_id), "sensor",
                     payload.sensor_id)
    params = payload.params.model_dump(exclude_unset=True)
    sensor.params = checked_params(sensor.kind, params, sensor.params)
    _bump(session, sensor)
    _audit(session, ctx, "sensor.params", sensor.district_id,
           detail=f"{sensor.id}: {json.dumps(params, ensure_ascii=False)[:500]}")
    return {"sensor": to_payload(sensor)}


# --------------------------------------------------------------------------- recordings


def _camera(session: Session, ctx: ActionContext, camera_id: str) -> Camera:
    return _scoped(ctx.principal, session.get(Camera, camera_id), "camera", camera_id)


def recording_start(session: Session, ctx: ActionContext,
                    payload: rec.RecordingStart) -> dict[str, Any]:
    """"Record now" from a tile's menu: a demand policy for the camera until ``minutes`` from
    now (a repeat extends the running one). The recorder picks it up from its plan, and its
    rolling buffer gives the recording the seconds before the click as well."""
    _require(ctx.principal, ACTS_ON_ALARMS, "start recordings")
    camera = _camera(session, ctx, payload.camera_id)
    now = utcnow()
    until = now + timedelta(minutes=payload.minutes)
    policy = recordings.active_demand(session, camera.id, now)
    if policy is None:
        policy = RecordingPolicy(mode=RecordingMode.DEMAND, camera_id=camera.id,
                                 retention_days=DEFAULT_RETENTION_DAYS[RecordingMode.DEMAND],
                                 until=until, created_by=ctx.principal.username, created_at=now)
        session.add(policy)
        session.flush()
    else:
        policy.until = max(policy.until or until, until)
    _audit(session, ctx, "recording.start", camera.district_id,
           detail=f"{camera.id} until {until.isoformat()}")
    return {"recording": _demand_payload(camera, policy)}


def _demand_payload(camera: Camera, policy: RecordingPolicy | None) -> dict[str, Any]:
    until = policy.until if policy is not None else None
    return {"camera_id": camera.id, "id": policy.id if policy is not None else None,
            "until": until.isoformat() if until is not None else None}


def recording_stop(session: Session, ctx: ActionContext,
                   payload: rec.RecordingStop) -> dict[str, Any]:
    _require(ctx.principal, ACTS_ON_ALARMS, "stop recordings")
    camera = _camera(session, ctx, payload.camera_id)
    now = utcnow()
    policy = recordings.active_demand(session, camera.id, now)
    if policy is not None:
        policy.until = now
        _audit(session, ctx, "recording.stop", camera.district_id, detail=camera.id)
    return {"recording": _demand_payload(camera, None)}


def recording_lock(session: Session, ctx: ActionContext,
                   payload: rec.RecordingLock) -> dict[str, Any]:
    """An evidence lock: no retention and no disk quota deletes what overlaps the range."""
    _require(ctx.principal, ACTS_ON_ALARMS, "lock recordings")
    camera = _camera(session, ctx, payload.camera_id)
    reason = payload.reason.strip()
    if payload.end <= payload.start:
        raise invalid(f"payload.end: {payload.end.isoformat()} is not after the start "
                      f"{payload.start.isoformat()}")
    lock = RecordingLock(camera_id=camera.id, district_id=camera.district_id,
                         start=payload.start, end=payload.end, reason=reason,
                         created_by=ctx.principal.username, created_at=utcnow())
    session.add(lock)
    session.flush()
    _audit(session, ctx, "recording.lock", camera.district_id,
           detail=f"{camera.id} {payload.start.isoformat()}..{payload.end.isoformat()}: "
                  f"{reason}")
    return {"lock": {"id": lock.id, "camera_id": camera.id, "start": lock.start.isoformat(),
                     "end": lock.end.isoformat(), "reason": reason}}


def recording_export(session: Session, ctx: ActionContext,
                     payload: rec.RecordingExport) -> dict[str, Any]:
    """A console exported a clip: the audit names the camera, the range, who, and the file's
    SHA-256 (the effect of this action; central never sees the file itself)."""
    _require(ctx.principal, ACTS_ON_ALARMS, "export recordings")
    camera = _camera(session, ctx, payload.camera_id)
    if payload.end <= payload.start:
        raise invalid(f"payload.end: {payload.end.isoformat()} is not after the start "
                      f"{payload.start.isoformat()}")
    detail = (f"{camera.id} {payload.start.isoformat()}..{payload.end.isoformat()} "
              f"sha256={payload.sha256} {payload.bytes} bytes"
              + (f" alarm {payload.alarm_id}" if payload.alarm_id else ""))
    _audit(session, ctx, "recording.export", camera.district_id, detail=detail)
    return {"export": {"camera_id": camera.id, "sha256": payload.sha256}}


def recording_policy(session: Session, ctx: ActionContext,
                     payload: rec.RecordingPolicySave) -> dict[str, Any]:
    """Create, change or delete a continuous or alarm policy (admin: it decides disk use)."""
    _require(ctx.principal, CHANGES_RULES, "change recording policies")
    # What is named must exist (404) before how it is combined is judged (422).
    if payload.camera_id:
        _camera(session, ctx, payload.camera_id)
    if payload.business_id:
        _scoped(ctx.principal, session.get(Business, payload.business_id), "business",
                payload.business_id)
    if payload.district_id and session.get(District, payload.district_id) is None:
        raise not_found("district", payload.district_id)
    policy = session.get(RecordingPolicy, payload.id) if payload.id else None
    if payload.id and (policy is None or policy.mode == RecordingMode.DEMAND):
        raise not_found("recording_policy", payload.id)
    targets = [t for t in (payload.camera_id, payload.business_id, payload.district_id) if t]
    if len(targets) > 1:
        raise invalid("payload: name at most one of camera_id, business_id and district_id "
                      "(none: the whole city)")
    if payload.delete:
        if policy is None:
            raise not_found("recording_policy", "(none named: give its id to delete it)")
        session.delete(policy)
        _audit(session, ctx, "recording.policy", "", detail=f"deleted {policy.id}")
        return {"policy": None}
    if policy is None:
        policy = RecordingPolicy(id=payload.id or new_id(), created_by=ctx.principal.username,
                                 created_at=utcnow())
        session.add(policy)
    policy.mode = payload.mode
    policy.camera_id, policy.business_id = payload.camera_id, payload.business_id
    policy.district_id = payload.district_id
    policy.retention_days = payload.retention_days or DEFAULT_RETENTION_DAYS[payload.mode]
    policy.pre_s, policy.post_s = payload.pre_s, payload.post_s
    session.flush()
    _audit(session, ctx, "recording.policy", "",
           detail=f"{policy.id}: {policy.mode} for "
                  f"{(payload.camera_id or payload.business_id or payload.district_id or 'city')}"
                  f", {policy.retention_days} days")
    return {"policy": {"id": policy.id, "mode": policy.mode, "camera_id": policy.camera_id,
                       "business_id": policy.business_id, "district_id": policy.district_id,
                       "retention_days": policy.retention_days, "pre_s": policy.pre_s,
                       "post_s": policy.post_s}}


HANDLERS: dict[str, Handler] = {
    "alarm.ack": alarm_ack,
    "alarm.dismiss": alarm_dismiss,
    "alarm.close": alarm_close,
    "alarm.escalate": alarm_escalate,
    "task.dispatch": task_dispatch,
    "task.transition": task_transition,
    "patrol.record": patrol_record,
    "patrol_plan.save": patrol_plan_save,
    "patrol.skip": patrol_skip,
    "camera.health": camera_health,
    "sensor.params": sensor_params,
    "recording.start": recording_start,
    "recording.stop": recording_stop,
    "recording.lock": recording_lock,
    "recording.export": recording_export,
    "recording.policy": recording_policy,
    **account_actions.HANDLERS,  # user.* and session.end
    **bulletin_actions.HANDLERS,  # bulletin.* (督查通报)
    **REGISTRY_HANDLERS,  # the registry's edits (central.registry_actions)
    **baobao.HANDLERS,  # 包保 officials, checklists, visits, looks (central.baobao)
    **major_events.HANDLERS,  # event.save, event.signoff (central.major_events)
}
assert HANDLERS.keys() == s.PAYLOADS.keys(), "every action kind has a payload model"


# --------------------------------------------------------------------------- ledger


def _stored(seen: AppliedAction, principal: Principal,
            kind: str) -> tuple[int, dict[str, Any]]:
    """The stored answer of a repeated key: only for the same user and the same kind of
    action. Answering another action with its stored result would tell the sender that
    something it never asked for was applied (or refused)."""
    if seen.user != principal.username:
        raise ApiError(409, "key_reused", "this idempotency key was already used by another "
                                          "user; generate a new one")
    if seen.kind != kind[:48]:
        raise ApiError(409, "key_reused", f"this idempotency key was already used for another "
                                          f"action ({seen.kind}); generate a new one")
    return seen.status, seen.result


def apply(session: Session, ctx: ActionContext, idem_key: str, kind: str,
          payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Apply once; a repeated key returns the stored answer (status, body)."""
    seen = session.get(AppliedAction, idem_key)
    if seen is not None:
        return _stored(seen, ctx.principal, kind)
    handler = HANDLERS.get(kind)
    if handler is None:
        raise invalid(f"kind: unknown action {kind!r}; one of {', '.join(HANDLERS)}")
    if ctx.principal.role == Role.VIEWER:
        raise forbidden("the demonstration account is read-only")
    if ctx.principal.role == Role.DEVICE:
        raise forbidden("device accounts post readings and events, not actions")
    model = validate(s.PAYLOADS[kind], payload, "payload")
    body = {"status": "applied", "result": handler(session, ctx, model)}
    session.add(AppliedAction(idem_key=idem_key, user=ctx.principal.username, kind=kind,
                              status=200, result=body, ts=utcnow()))
    return 200, body


def remember_refusal(session: Session, principal: Principal, idem_key: str, kind: str,
                     error: ApiError) -> tuple[int, dict[str, Any]]:
    """Store a permanent refusal so a repeat of the key gets the same answer."""
    seen = session.get(AppliedAction, idem_key)
    if seen is not None:
        return _stored(seen, principal, kind)
    body = error.body()
    session.add(AppliedAction(idem_key=idem_key, user=principal.username, kind=kind[:48],
                              status=error.status, result=body, ts=utcnow()))
    return error.status, body


@routes.post("/api/actions")
async def post_action(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    cfg = request.app[CONFIG]
    body = await read_object(request, cfg.max_body_bytes, '{"idem_key", "kind", "payload"}')
    key = body.get("idem_key")
    if not isinstance(key, str) or not _IDEM_KEY.fullmatch(key):
        raise malformed("idem_key: expected a string of 8..64 printable ASCII characters "
                        "without spaces (a uuid4 hex is ideal)")
    try:
        envelope = s.Envelope.model_validate(body)
    except ValidationError as exc:
        raise invalid(describe_error(exc)) from None
    kind, payload = envelope.kind, envelope.payload
    ctx = ActionContext(principal, cfg, request.app[RULES])
    db = request.app[DB]
    try:
        status, answer = await db.write(lambda s: apply(s, ctx, key, kind, payload))
    except ApiError as exc:
        if exc.status not in REMEMBERED_REFUSALS or exc.code in _NOT_REMEMBERED:
            raise
        def refused(session: Session, error: ApiError = exc) -> tuple[int, dict[str, Any]]:
            return remember_refusal(session, principal, key, kind, error)

        status, answer = await db.write(refused)
    return web.json_response(answer, status=status)
