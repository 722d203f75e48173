"""A lived-in past for the demo city: two weeks of alarms, tasks, patrols (opt-in).

A fresh demo registry has no history, so the statistics dashboard and the red/black lists
would show zeros on a big screen. ``populate_history`` adds, deterministically for a seed,
``days`` of plausible work: alarms of every kind (most of the older ones closed through an
inspection task or dismissed as false positives, recent ones still open, acknowledged or
dispatched), the tasks with their timelines (some overdue, some escalated) and online patrol
records for the district plans. Everything goes through the change feed like live data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from central import changes
from central.config import CentralConfig
from db.models import Alarm, Business, Camera, PatrolRecord, Sensor, Task, TaskEvent, User
from domain.alarms import AiViolation, AlarmKind, AlarmState, Severity
from domain.clock import utcnow
from domain.registry import SensorKind
from domain.tasks import TaskState

VIOLATION_WEIGHTS = {AiViolation.NO_CHEF_HAT: 30, AiViolation.NO_MASK: 25,
                     AiViolation.NO_WORK_CLOTHES: 10, AiViolation.NO_GLOVES: 8,
                     AiViolation.SMOKING: 6, AiViolation.PHONE_USE: 10, AiViolation.RODENT: 2,
                     AiViolation.UNCOVERED_BIN: 7, AiViolation.UNATTENDED_FLAME: 2}
DISMISS_REASONS = ("误报：店主的猫，不是老鼠", "误报：员工已戴帽，遮挡导致", "误报：画面反光",
                   "设备调试期间产生")
TASK_PATH = (TaskState.ACCEPTED, TaskState.ON_SITE, TaskState.RECTIFYING, TaskState.REVIEW,
             TaskState.CLOSED)
ACTION_TO = {TaskState.ACCEPTED: "accept", TaskState.ON_SITE: "arrive",
             TaskState.RECTIFYING: "rectify", TaskState.REVIEW: "submit_review",
             TaskState.CLOSED: "close"}


LIVE = (AlarmState.OPEN, AlarmState.ACKNOWLEDGED, AlarmState.DISPATCHED)


def _ids(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def populate_history(session: Session, days: int = 14, seed: int = 7,
                     now: datetime | None = None, config: CentralConfig | None = None) -> int:
    """Add ``days`` of history; returns the number of alarms created (0 if any exist)."""
    if days <= 0 or session.scalar(select(func.count()).select_from(Alarm)):
        return 0
    rng = random.Random(seed * 7919 + days)
    now = now or utcnow()
    deadlines = (config or CentralConfig()).task_deadlines
    cameras = session.execute(select(Camera.id, Camera.business_id, Camera.district_id,
                                     Camera.name).order_by(Camera.id)).all()
    sensors = session.execute(select(Sensor.id, Sensor.business_id, Sensor.district_id,
                                     Sensor.kind, Sensor.camera_id).order_by(Sensor.id)).all()
    businesses = session.execute(select(Business.id, Business.district_id, Business.name)
                                 .order_by(Business.id)).all()
    field: dict[str | None, list[str]] = {}
    office: dict[str | None, str] = {}
    for username, role, district in session.execute(select(User.username, User.role,
                                                           User.district_id)):
        if role == "field":
            field.setdefault(district, []).append(username)
        elif role == "district":
            office[district] = username
    if not cameras:
        return 0
    # A few troublesome kitchens get most of the alarms (that is what a black list shows).
    troubled = set(rng.sample([b.id for b in businesses], max(1, len(businesses) // 12)))
    per_day = max(3, min(400, len(businesses) * 12 // 100))
    rows: dict[str, list[dict[str, Any]]] = {"alarm": [], "task": [], "task_event": [],
                                              "patrol_record": []}
    live: dict[str, dict[str, Any]] = {}  # condition key -> the alarm still live today
    for day in range(days, 0, -1):
        for _ in range(per_day):
            opened = now - timedelta(days=day - 1, seconds=rng.randint(0, 86_000))
            if opened >= now:
                continue
            alarm = _alarm(rng, opened, cameras, sensors, troubled)
            earlier = live.get(alarm["condition_key"])
            if earlier is not None:  # one live alarm per condition: a repeat, as live
                earlier["count"] += 1
                earlier["last_seen_at"] = max(earlier["last_seen_at"], opened)
                continue
            # What happens after the moment of the demo's start has not happened yet: a
            # repeat or a clearing drawn minutes after an alarm opened just now.
            alarm["last_seen_at"] = min(alarm["last_seen_at"], now)
            if alarm["cleared_at"] is not None and alarm["cleared_at"] > now:
                alarm["cleared_at"] = None
            rows["alarm"].append(alarm)
            _resolve(rng, alarm, now, field, office, deadlines, rows)
            if alarm["state"] in LIVE:
                live[alarm["condition_key"]] = alarm
    rows["patrol_record"] = _patrols(rng, businesses, office, now)
    models = {"alarm": Alarm, "task": Task, "task_event": TaskEvent,
              "patrol_record": PatrolRecord}
    for entity, model in models.items():
        values = rows[entity]
        for start in range(0, len(values), 5000):
            session.execute(insert(model), values[start:start + 5000])
        changes.record_bulk(session, entity, values)
    return len(rows["alarm"])


def _alarm(rng: random.Random, opened: datetime, cameras: Sequence[Any],
           sensors: Sequence[Any], troubled: set[str]) -> dict[str, Any]:
    roll = rng.random()
    base: dict[str, Any] = {"id": _ids(rng), "state": AlarmState.OPEN, "count": 1,
                            "evidence_url": "", "evidence_box": None, "value": None,
                            "threshold": None,
                            "opened_at": opened, "cleared_at": None, "acked_at": None,
                            "acked_by": "", "closed_at": None, "dismiss_reason": "",
                            "task_id": None, "version": 1, "sensor_id": None,
                            "camera_id": None}
    cabinets = [s for s in sensors if s.kind == SensorKind.DISINFECTION_CABINET]
    rooms = [s for s in sensors if s.kind == SensorKind.SPECIAL_ROOM]
    if roll < 0.12 and rooms:
        s = rng.choice(rooms)
        value = round(rng.uniform(25.5, 30.5), 1)
        base.update(kind=AlarmKind.SENSOR_THRESHOLD, subtype="temp_high", sensor_id=s.id,
                    camera_id=s.camera_id, business_id=s.business_id, district_id=s.district_id,
                    value=value, threshold=25.0,
                    severity=Severity.CRITICAL if value >= 28 else Severity.MAJOR,
                    message=f"temperature {value:.1f} °C above the limit 25.0 °C",
                    cleared_at=opened + timedelta(minutes=rng.randint(5, 90)))
    elif roll < 0.22 and cabinets:
        s = rng.choice(cabinets)
        if rng.random() < 0.5:
            base.update(kind=AlarmKind.DISINFECTION_INVALID, subtype="too_short",
                        message="invalid disinfection cycle: it held 120 °C for only "
                                f"{rng.randint(3, 9)} of 15 min", value=122.0, threshold=120.0)
        else:
            base.update(kind=AlarmKind.NO_DISINFECTION, subtype="before_meal",
                        message="no valid disinfection cycle in the 180 min before the "
                                f"{rng.choice(['10:30', '16:30'])} meal service")
        base.update(sensor_id=s.id, camera_id=s.camera_id, business_id=s.business_id,
                    district_id=s.district_id, severity=Severity.MAJOR)
    elif roll < 0.45:
        c = rng.choice(cameras)
        health = rng.choice(["offline", "offline", "frozen", "black"])
        base.update(kind=AlarmKind.DEVICE_OFFLINE, subtype=health, camera_id=c.id,
                    business_id=c.business_id, district_id=c.district_id,
                    severity=Severity.MINOR, message=f"camera {c.name}: {health}",
                    cleared_at=opened + timedelta(minutes=rng.randint(2, 240)))
    else:
        pool = [c for c in cameras if c.business_id in troubled]
        c = rng.choice(pool if pool and rng.random() < 0.6 else cameras)
        violation = rng.choices(list(VIOLATION_WEIGHTS), list(VIOLATION_WEIGHTS.values()))[0]
        severity = (Severity.CRITICAL if violation in (AiViolation.RODENT,
                                                       AiViolation.UNATTENDED_FLAME)
                    else Severity.MAJOR)
        base.update(kind=AlarmKind.AI_VIOLATION, subtype=violation, camera_id=c.id,
                    business_id=c.business_id, district_id=c.district_id, severity=severity,
                    count=rng.randint(1, 4), value=round(rng.uniform(0.7, 0.98), 2),
                    message=f"AI detected {violation.replace('_', ' ')} at {c.name}",
                    evidence_box={"x": round(rng.uniform(0.1, 0.5), 2),
                                  "y": round(rng.uniform(0.1, 0.5), 2), "w": 0.2, "h": 0.3})
    device = base["sensor_id"] or base["camera_id"]
    condition = "offline" if base["kind"] == AlarmKind.DEVICE_OFFLINE else (
        "meal" if base["kind"] == AlarmKind.NO_DISINFECTION else
        "cycle" if base["kind"] == AlarmKind.DISINFECTION_INVALID else base["subtype"])
    base["condition_key"] = f"{base['kind']}:{condition}:{device}"
    base["last_seen_at"] = opened + timedelta(minutes=rng.randint(0, 30) * (base["count"] > 1))
    return base


def _resolve(rng: random.Random, alarm: dict[str, Any], now: datetime,
             field: dict[str | None, list[str]], office: dict[str | None, str],
             deadlines: dict[int, timedelta], rows: dict[str, list[dict[str, Any]]]) -> None:
    """Decide what the operators did with a past alarm (and write its task timeline)."""
    age = now - alarm["opened_at"]
    district = alarm["district_id"]
    operator = office.get(district, "operator")
    roll = rng.random()
    if age < timedelta(hours=1) or (age < timedelta(days=1) and roll < 0.15):
        return  # still open
    acked = alarm["opened_at"] + timedelta(minutes=rng.randint(1, 30))
    alarm.update(acked_at=acked, acked_by=operator, state=AlarmState.ACKNOWLEDGED, version=2)
    if alarm["kind"] == AlarmKind.DEVICE_OFFLINE or (roll < 0.25 and age > timedelta(days=1)):
        if alarm["kind"] == AlarmKind.AI_VIOLATION and roll < 0.12:
            alarm.update(state=AlarmState.DISMISSED, dismiss_reason=rng.choice(DISMISS_REASONS),
                         closed_at=acked, version=3)
        elif age > timedelta(hours=6):
            alarm.update(state=AlarmState.CLOSED, closed_at=acked + timedelta(hours=1),
                         version=3)
        return
    if age < timedelta(days=1) and roll < 0.35:
        return  # acknowledged, not yet dispatched
    assignees = field.get(district) or ["operator"]
    task_id = _ids(rng)
    deadline = acked + deadlines.get(alarm["severity"], timedelta(hours=24))
    # How far the task got: older tasks mostly closed; a few stuck (overdue) or escalated.
    if age > timedelta(days=3):
        steps = 5 if rng.random() < 0.85 else rng.randint(1, 4)
    else:
        steps = rng.randint(0, 5)
    state = TASK_PATH[steps - 1] if steps else TaskState.DISPATCHED
    events = [{"id": _ids(rng), "task_id": task_id, "district_id": district, "ts": acked,
               "actor": operator, "action": "dispatch", "from_state": "",
               "to_state": TaskState.DISPATCHED, "note": "", "attachment_url": "", "version": 1}]
    ts, previous = acked, TaskState.DISPATCHED
    assignee = rng.choice(assignees)
    for target in TASK_PATH[:steps]:
        span = min(timedelta(hours=rng.uniform(0.2, 6)),
                   max(timedelta(minutes=1), (now - ts) / 3))
        ts += span
        actor = operator if target == TaskState.CLOSED else assignee
        events.append({"id": _ids(rng), "task_id": task_id, "district_id": district, "ts": ts,
                       "actor": actor, "action": ACTION_TO[target], "from_state": previous,
                       "to_state": target, "note": "", "attachment_url": "", "version": 1})
        previous = target
    closed = state == TaskState.CLOSED
    escalated = not closed and deadline < now and rng.random() < 0.5
    rows["task"].append({
        "id": task_id, "alarm_id": alarm["id"], "district_id": district,
        "business_id": alarm["business_id"], "state": state, "assignee": assignee,
        "created_by": operator, "title": alarm["message"][:256], "notes": "", "checklist": {},
        "evidence_url": "", "severity": alarm["severity"], "deadline": deadline,
        "escalated": escalated, "supervisor": "副局长 王" if escalated else "",
        "created_at": acked, "updated_at": ts, "closed_at": ts if closed else None,
        "version": steps + 1 + (1 if escalated else 0)})
    rows["task_event"].extend(events)
    alarm.update(task_id=task_id, version=4,
                 state=AlarmState.CLOSED if closed else AlarmState.DISPATCHED,
                 closed_at=ts if closed else None)


def _patrols(rng: random.Random, businesses: Sequence[Any], office: dict[str | None, str],
             now: datetime) -> list[dict[str, Any]]:
    """Online patrol records of the last 30 days: most businesses looked at once or twice."""
    out = []
    for business in businesses:
        for _ in range(rng.choices([0, 1, 2, 3], [25, 45, 20, 10])[0]):
            started = now - timedelta(days=rng.uniform(0.1, 29.5))
            problem = rng.random() < 0.08
            out.append({"id": _ids(rng), "plan_id": f"plan-{business.district_id}-all",
                        "district_id": business.district_id, "business_id": business.id,
                        "user": office.get(business.district_id, "operator"),
                        "started_at": started,
                        "ended_at": started + timedelta(seconds=rng.randint(40, 300)),
                        "verdict": "problem" if problem else "compliant",
                        "note": "垃圾桶未加盖" if problem else "", "snapshot_url": "",
                        "task_id": None, "version": 1})
    return out
