"""Alarm rows from rule decisions: one live alarm per condition, repeats counted.

A condition is (kind, condition, device). While its alarm is live (open, acknowledged or
dispatched) a repeat raises ``count`` and ``last_seen_at`` instead of opening another row, so a
flapping sensor or a camera that sees the same bare head every minute never floods operators.
When the condition goes away the alarm gets ``cleared_at`` but stays live until an operator
closes or dismisses it; if the condition returns meanwhile, it is the same alarm again.
Every write goes through the change feed, so consoles see it live.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import changes
from central.rules import Decision
from db.models import Alarm
from domain.alarms import AlarmState
from domain.clock import utcnow

LIVE_STATES = (AlarmState.OPEN, AlarmState.ACKNOWLEDGED, AlarmState.DISPATCHED)


def condition_key(kind: str, condition: str, device_id: str) -> str:
    return f"{kind}:{condition}:{device_id}"


def live_alarm(session: Session, key: str) -> Alarm | None:
    stmt = (select(Alarm).where(Alarm.condition_key == key, Alarm.state.in_(LIVE_STATES))
            .order_by(Alarm.opened_at.desc()).limit(1))
    return session.scalars(stmt).first()


def apply_decision(session: Session, decision: Decision, *, district_id: str, business_id: str,
                   sensor_id: str | None = None, camera_id: str | None = None,
                   evidence_url: str = "", evidence_box: dict[str, Any] | None = None,
                   evidence_clip_url: str = "", at: datetime | None = None) -> Alarm | None:
    """Open, refresh or clear the alarm of one condition; returns the row if it changed."""
    device = sensor_id or camera_id or business_id
    key = condition_key(decision.kind, decision.condition, device)
    alarm = live_alarm(session, key)
    now = at or utcnow()
    if not decision.open:
        if alarm is None or alarm.cleared_at is not None:
            return None
        alarm.cleared_at = now
        alarm.version += 1
        changes.record(session, alarm)
        return alarm
    if alarm is None:
        alarm = Alarm(kind=decision.kind, subtype=decision.subtype,
                      severity=int(decision.severity), district_id=district_id,
                      business_id=business_id, sensor_id=sensor_id, camera_id=camera_id,
                      condition_key=key, count=1, message=decision.message,
                      value=decision.value, threshold=decision.threshold,
                      evidence_url=evidence_url, evidence_box=evidence_box,
                      evidence_clip_url=evidence_clip_url, opened_at=now, last_seen_at=now,
                      version=1)
        session.add(alarm)
        changes.record(session, alarm)
        return alarm
    if alarm.cleared_at is not None or decision.repeat:
        alarm.count += 1  # a new occurrence of a condition whose alarm is still live
        alarm.cleared_at = None
    alarm.last_seen_at = max(now, alarm.last_seen_at)
    alarm.severity = max(alarm.severity, int(decision.severity))
    alarm.subtype = decision.subtype or alarm.subtype
    if decision.value is not None:
        alarm.value = decision.value
    if decision.threshold is not None:
        alarm.threshold = decision.threshold
    if decision.message:
        alarm.message = decision.message
    if evidence_url:  # the newest evidence is the most useful one
        alarm.evidence_url = evidence_url
        alarm.evidence_box = evidence_box
    if evidence_clip_url:  # likewise the newest clip; an event without one keeps the last
        alarm.evidence_clip_url = evidence_clip_url
    alarm.version += 1
    changes.record(session, alarm)
    return alarm
