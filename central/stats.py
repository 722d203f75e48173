"""Dashboard statistics computed in SQL for a scope (the whole city or one district)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from db.models import Alarm, Business, Camera, District, PatrolRecord, Task, TaskState, utcnow


def compute_stats(session: Session, district_id: str | None) -> dict[str, Any]:
    def scoped(stmt, model):
        return stmt.where(model.district_id == district_id) if district_id else stmt

    now = utcnow()
    by_category = dict(session.execute(scoped(
        select(Business.category, func.count()).group_by(Business.category), Business)).all())
    biz_by_district = dict(session.execute(scoped(
        select(Business.district_id, func.count()).group_by(Business.district_id),
        Business)).all())
    cams_by_district = {d: (n, int(on or 0)) for d, n, on in session.execute(scoped(
        select(Camera.district_id, func.count(), func.sum(cast(Camera.online, Integer)))
        .group_by(Camera.district_id), Camera)).all()}
    names = dict(session.execute(select(District.id, District.name)).all())
    since = now - timedelta(days=14)
    alarms_by_day: dict[str, dict[str, int]] = {}
    for day, kind, n in session.execute(scoped(
            select(func.date(Alarm.opened_at), Alarm.kind, func.count())
            .where(Alarm.opened_at >= since).group_by(func.date(Alarm.opened_at), Alarm.kind),
            Alarm)).all():
        alarms_by_day.setdefault(str(day), {})[kind] = n
    task_total = session.scalar(scoped(select(func.count()).select_from(Task), Task)) or 0
    task_closed = session.scalar(scoped(select(func.count()).select_from(Task)
                                        .where(Task.state == TaskState.CLOSED), Task)) or 0
    overdue = session.scalar(scoped(select(func.count()).select_from(Task).where(
        Task.state != TaskState.CLOSED, Task.deadline < now), Task)) or 0
    patrolled = session.scalar(scoped(select(func.count(func.distinct(PatrolRecord.business_id)))
                                      .where(PatrolRecord.started_at >= now - timedelta(days=30)),
                                      PatrolRecord)) or 0
    total_biz = sum(biz_by_district.values())
    cams = sum(n for n, _ in cams_by_district.values())
    online = sum(on for _, on in cams_by_district.values())
    alarm_counts = dict(session.execute(scoped(
        select(Alarm.business_id, func.count()).where(Alarm.opened_at >= now - timedelta(days=30))
        .group_by(Alarm.business_id), Alarm)).all())
    biz_names = dict(session.execute(scoped(select(Business.id, Business.name), Business)).all())
    ranked = sorted(biz_names, key=lambda b: (alarm_counts.get(b, 0), b))
    return {
        "generated_at": now.isoformat(),
        "district_id": district_id,
        "businesses": total_biz,
        "businesses_by_category": by_category,
        "districts": [{"id": d, "name": names.get(d, d), "businesses": biz_by_district.get(d, 0),
                       "cameras": cams_by_district.get(d, (0, 0))[0],
                       "cameras_online": cams_by_district.get(d, (0, 0))[1]}
                      for d in sorted(set(biz_by_district) | set(cams_by_district))],
        "cameras": cams,
        "cameras_online": online,
        "online_rate": round(online / cams, 4) if cams else None,
        "alarms_by_day": alarms_by_day,
        "tasks": task_total,
        "tasks_closed": task_closed,
        "closure_rate": round(task_closed / task_total, 4) if task_total else None,
        "tasks_overdue": overdue,
        "patrol_coverage": round(patrolled / total_biz, 4) if total_biz else None,
        "red_list": [{"business_id": b, "name": biz_names[b], "alarms": alarm_counts.get(b, 0)}
                     for b in ranked[:10]],
        "black_list": [{"business_id": b, "name": biz_names[b], "alarms": alarm_counts.get(b, 0)}
                       for b in reversed(ranked[-10:]) if alarm_counts.get(b, 0) > 0],
    }

