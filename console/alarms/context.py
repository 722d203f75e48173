"""Everything the console's cache knows about one alarm, read in one go on the store's reader.

The alarm panel, its history tab and the evidence pack all need the same things: the alarm,
its business (with grid officer and district), how many earlier alarms and open tasks the
business has, its cameras, the sensor's rule parameters, the task with its timeline and the
audit trail — plus this console's own actions on the alarm that are still in the outbox, so
the history shows them (as not yet delivered) while the server is away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Alarm,
    AuditEntry,
    Business,
    Camera,
    District,
    Grid,
    OutboxAction,
    Sensor,
    Street,
    Task,
    TaskEvent,
)
from db.serialize import to_payload

PENDING = "pending"


@dataclass
class AlarmContext:
    alarm: dict[str, Any]
    business: dict[str, Any] | None = None
    grid: dict[str, Any] | None = None
    district_name: str = ""
    street_name: str = ""
    previous_alarms: int = 0
    open_tasks: int = 0
    cameras: list[dict[str, Any]] = field(default_factory=list)
    sensor: dict[str, Any] | None = None
    task: dict[str, Any] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)  # AuditEntry payloads
    pending: list[dict[str, Any]] = field(default_factory=list)  # AuditRow-shaped dicts

    @property
    def business_name(self) -> str:
        return str(self.business.get("name", "")) if self.business else ""

    @property
    def place(self) -> str:
        """Where in the kitchen: the alarm's camera by name, else its sensor's location."""
        camera_id = self.alarm.get("camera_id")
        for camera in self.cameras:
            if camera_id and camera.get("id") == camera_id:
                return str(camera.get("name", ""))
        return str(self.sensor.get("location", "")) if self.sensor else ""


def pending_actions(session: Session, alarm_id: str, task_id: str | None,
                    user: str) -> list[dict[str, Any]]:
    """This console's undelivered actions on the alarm or its task, as history rows."""
    rows = []
    for action in session.scalars(select(OutboxAction).where(OutboxAction.state == PENDING)
                                  .order_by(OutboxAction.id)):
        payload = action.payload or {}
        if action.kind.startswith("alarm.") and payload.get("alarm_id") == alarm_id:
            name = action.kind
            detail = str(payload.get("reason") or payload.get("note") or "")
        elif action.kind == "task.dispatch" and payload.get("alarm_id") == alarm_id:
            name = "task.dispatch"
            task = payload.get("task") or {}
            detail = str(task.get("assignee", ""))
        elif (action.kind == "task.transition" and task_id
              and payload.get("task_id") == task_id):
            name = f"task.{payload.get('action', '')}"
            detail = str(payload.get("note", ""))
        else:
            continue
        rows.append({"id": action.idem_key, "ts": action.created_at, "user": user,
                     "action": name, "detail": detail})
    return rows


def load_alarm_context(session: Session, alarm_id: str, user: str = "") -> AlarmContext | None:
    """Read one alarm and its surroundings (run it on the store's reader)."""
    alarm = session.get(Alarm, alarm_id)
    if alarm is None:
        return None
    ctx = AlarmContext(alarm=to_payload(alarm))
    biz = session.get(Business, alarm.business_id)
    if biz is not None:
        ctx.business = to_payload(biz)
        grid = session.get(Grid, biz.grid_id) if biz.grid_id else None
        ctx.grid = to_payload(grid) if grid is not None else None
        street = session.get(Street, biz.street_id) if biz.street_id else None
        ctx.street_name = street.name if street is not None else ""
    district = session.get(District, alarm.district_id)
    ctx.district_name = district.name if district is not None else ""
    ctx.previous_alarms = int(session.scalar(select(func.count()).select_from(Alarm).where(
        Alarm.business_id == alarm.business_id, Alarm.id != alarm.id)) or 0)
    ctx.open_tasks = int(session.scalar(select(func.count()).select_from(Task).where(
        Task.business_id == alarm.business_id, Task.state != "closed")) or 0)
    ctx.cameras = [to_payload(c) for c in session.scalars(
        select(Camera).where(Camera.business_id == alarm.business_id).order_by(Camera.id))]
    if alarm.sensor_id:
        sensor = session.get(Sensor, alarm.sensor_id)
        ctx.sensor = to_payload(sensor) if sensor is not None else None
    task = session.get(Task, alarm.task_id) if alarm.task_id else None
    if task is None:
        task = session.scalars(select(Task).where(Task.alarm_id == alarm.id)
                               .order_by(Task.created_at.desc())).first()
    if task is not None:
        ctx.task = to_payload(task)
        ctx.events = [to_payload(e) for e in session.scalars(
            select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(TaskEvent.ts))]
    audit_filter = AuditEntry.alarm_id == alarm.id
    if task is not None:
        audit_filter = audit_filter | (AuditEntry.task_id == task.id)
    ctx.audit = [to_payload(a) for a in session.scalars(
        select(AuditEntry).where(audit_filter).order_by(AuditEntry.ts))]
    ctx.pending = pending_actions(session, alarm.id, task.id if task else None, user)
    return ctx
