"""Alarm rows from rule decisions: one open alarm per condition, repeats counted.

A condition is (kind, subtype, device); while its alarm is not closed or dismissed, a repeat
raises ``count`` instead of opening another row, so a flapping sensor never floods operators.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import changes
from central.rules import Decision
from db.models import Alarm, AlarmState, utcnow

LIVE_STATES = (AlarmState.OPEN, AlarmState.ACKNOWLEDGED, AlarmState.DISPATCHED)


def condition_key(kind: str, subtype: str, device_id: str) -> str:
    return f"{kind}:{subtype}:{device_id}"


def live_alarm(session: Session, key: str) -> Alarm | None:
    stmt = select(Alarm).where(Alarm.condition_key == key, Alarm.state.in_(LIVE_STATES))
    return session.scalars(stmt.order_by(Alarm.opened_at.desc()).limit(1)).first()


def apply_decision(session: Session, decision: Decision, *, district_id: str, business_id: str,
                   sensor_id: str | None = None, camera_id: str | None = None,
                   evidence_url: str = "", evidence_box: dict | None = None) -> Alarm | None:
    """Open, refresh or clear the alarm for one condition; returns the row if it changed."""
    device = sensor_id or camera_id or business_id
    key = condition_key(decision.kind, decision.subtype, device)
    alarm = live_alarm(session, key)
    now = utcnow()
    if not decision.open:
        if alarm is None or alarm.cleared_at is not None:
            return None
        alarm.cleared_at = now
        alarm.version += 1
        changes.record(session, alarm)
        return alarm
    if alarm is not None and alarm.cleared_at is None:
        alarm.count += 1
        alarm.last_seen_at = now
        alarm.value = decision.value if decision.value is not None else alarm.value
        alarm.severity = max(alarm.severity, int(decision.severity))
        alarm.version += 1
    else:
        alarm = Alarm(kind=decision.kind, subtype=decision.subtype,
                      severity=int(decision.severity), district_id=district_id,
                      business_id=business_id, sensor_id=sensor_id, camera_id=camera_id,
                      condition_key=key, message=decision.message, value=decision.value,
                      threshold=decision.threshold, evidence_url=evidence_url,
                      evidence_box=evidence_box, opened_at=now, last_seen_at=now)
        session.add(alarm)
    changes.record(session, alarm)
    return alarm
