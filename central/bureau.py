"""Licences that act (证照): a reminder task before a licence expires, an alarm after.

A business whose licence expires within :data:`REMINDER_DAYS` gets one reminder task per
licence expiry (the task's ``origin_key`` names the business and the expiry date and is unique,
so neither a daily run nor a second worker makes another; a renewed licence with a new expiry
gets its own). A business whose licence has expired while any of its cameras is online is
working without a licence: an alarm of kind ``licence`` through the alarm path (one live alarm
per business; it clears when the licence is renewed or the cameras go dark).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import alarms, changes
from central.config import CentralConfig
from central.database import Database
from central.rules import Decision
from db.models import AuditEntry, Business, Camera, Task, TaskEvent
from domain.alarms import AlarmKind, Severity
from domain.clock import utcnow
from domain.tasks import TaskState

REMINDER_DAYS = 30
SYSTEM_ACTOR = "system"


def reminder_key(business: Business) -> str:
    assert business.licence_expiry is not None
    return f"licence:{business.id}:{business.licence_expiry.isoformat()}"


def remind_expiring(session: Session, today: date, now: datetime) -> int:
    """Create the missing reminder tasks; returns how many were created."""
    horizon = today + timedelta(days=REMINDER_DAYS)
    businesses = session.scalars(
        select(Business).where(Business.licence_expiry.is_not(None),
                               Business.licence_expiry >= today,
                               Business.licence_expiry <= horizon)).all()
    keys = {reminder_key(b): b for b in businesses}
    if not keys:
        return 0
    existing = set(session.scalars(select(Task.origin_key)
                                   .where(Task.origin_key.in_(list(keys)))).all())
    made = 0
    for key, business in keys.items():
        if key in existing:
            continue
        expiry = business.licence_expiry
        assert expiry is not None
        deadline = max(datetime.combine(expiry, time(0), UTC), now + timedelta(days=1))
        task = Task(district_id=business.district_id, business_id=business.id,
                    state=TaskState.DISPATCHED, created_by=SYSTEM_ACTOR,
                    title=f"许可证即将到期：{business.licence_no or '（无编号）'}，"
                          f"{expiry.isoformat()} 到期，请督促办理延续",
                    notes=f"licence {business.licence_no} expires {expiry.isoformat()}",
                    severity=int(Severity.MINOR), deadline=deadline, origin_key=key,
                    created_at=now, updated_at=now, version=1)
        session.add(task)
        session.flush()
        event = TaskEvent(task_id=task.id, district_id=task.district_id, ts=now,
                          actor=SYSTEM_ACTOR, action="dispatch", to_state=task.state,
                          note="licence reminder")
        entry = AuditEntry(district_id=task.district_id, ts=now, user=SYSTEM_ACTOR,
                           action="task.licence_reminder", task_id=task.id,
                           detail=f"business={business.id}; expiry={expiry.isoformat()}")
        session.add_all([event, entry])
        for row in (task, event, entry):
            changes.record(session, row)
        made += 1
    return made


def alarm_expired(session: Session, today: date, now: datetime) -> int:
    """Open (or keep) the licence alarm of every expired business with a camera online, and
    clear it where the licence was renewed or no camera is online; returns alarms changed."""
    online = set(session.scalars(select(Camera.business_id).where(Camera.online)).all())
    changed = 0
    rows = session.scalars(select(Business).where(Business.licence_expiry.is_not(None))).all()
    for business in rows:
        expiry = business.licence_expiry
        assert expiry is not None
        working = expiry < today and business.id in online
        key = alarms.condition_key(AlarmKind.LICENCE, "expired", business.id)
        live = alarms.live_alarm(session, key)
        if working and live is not None and live.cleared_at is None:
            continue  # already told; a refresh every minute would only churn the feed
        if not working and live is None:
            continue
        decision = Decision(
            kind=AlarmKind.LICENCE, condition="expired", open=working,
            severity=Severity.MAJOR,
            message=(f"许可证 {business.licence_no or ''} 已于 {expiry.isoformat()} 过期，"
                     f"摄像头仍在线（仍在经营） / licence expired {expiry.isoformat()}, "
                     f"cameras online"))
        if alarms.apply_decision(session, decision, district_id=business.district_id,
                                 business_id=business.id, at=now) is not None:
            changed += 1
    return changed


def local_today(config: CentralConfig, now: datetime) -> date:
    return now.astimezone(ZoneInfo(config.timezone)).date()


def check_licences(session: Session, config: CentralConfig, now: datetime) -> tuple[int, int]:
    today = local_today(config, now)
    return remind_expiring(session, today, now), alarm_expired(session, today, now)


async def run_async(db: Database, config: CentralConfig, now: datetime | None = None) -> None:
    at = now or utcnow()
    await db.write(lambda s: check_licences(s, config, at))
