"""The patrol's reads of the local cache, Qt-free, run on the store's reader thread.

Coverage is computed from the cache, not asked of central: a record made offline counts at
once, and a patrol plan's "overdue" order is the same with the server away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Alarm,
    Business,
    Camera,
    District,
    Grid,
    PatrolPlan,
    PatrolRecord,
    Street,
    Task,
    User,
)
from db.serialize import to_payload
from domain.roles import Role
from domain.tasks import OPEN_STATES
from widgets.models.patrol import PatrolPlanSpec, PlanCoverage, histories, plan_coverage
from widgets.models.rows import Assignee


def read_coverages(session: Session, now: datetime) -> list[PlanCoverage]:
    """Every plan with its businesses in order (most overdue first) and its coverage."""
    plans = [PatrolPlanSpec.from_payload(to_payload(p)) for p in session.scalars(
        select(PatrolPlan).order_by(PatrolPlan.name, PatrolPlan.id))]
    businesses = [{"id": i, "name": n, "district_id": d, "grid_id": g, "category": c}
                  for i, n, d, g, c in session.execute(select(
                      Business.id, Business.name, Business.district_id,
                      Business.grid_id, Business.category))]
    last = dict(session.execute(
        select(PatrolRecord.business_id, func.max(PatrolRecord.started_at))
        .group_by(PatrolRecord.business_id)).all())
    counts: dict[int, dict[str, int]] = {}
    for days in {plan.period_days for plan in plans}:
        since = now - timedelta(days=days)
        counts[days] = {b: int(n) for b, n in session.execute(
            select(PatrolRecord.business_id, func.count())
            .where(PatrolRecord.started_at >= since)
            .group_by(PatrolRecord.business_id))}
    return [plan_coverage(plan, businesses, histories(counts[plan.period_days], last), now)
            for plan in plans]


@dataclass
class BusinessLook:
    """What the patrol shows of one business: its card's facts and its cameras."""

    business: dict[str, Any]
    grid: dict[str, Any] | None
    district_name: str
    cameras: list[dict[str, Any]]
    alarms: int
    open_tasks: int
    street_name: str = ""


def read_business(session: Session, business_id: str) -> BusinessLook | None:
    biz = session.get(Business, business_id)
    if biz is None:
        return None
    grid = session.get(Grid, biz.grid_id) if biz.grid_id else None
    district = session.get(District, biz.district_id)
    cams = [to_payload(c) for c in session.scalars(
        select(Camera).where(Camera.business_id == business_id).order_by(Camera.id))]
    alarms = session.scalar(select(func.count()).select_from(Alarm)
                            .where(Alarm.business_id == business_id)) or 0
    open_tasks = session.scalar(select(func.count()).select_from(Task).where(
        Task.business_id == business_id, Task.state.in_(OPEN_STATES))) or 0
    street = session.get(Street, biz.street_id) if biz.street_id else None
    return BusinessLook(to_payload(biz), to_payload(grid) if grid else None,
                        district.name if district else "", cams, int(alarms), int(open_tasks),
                        street.name if street else "")


def field_officers(session: Session) -> list[Assignee]:
    """Active field staff (whom a problem can be dispatched to while central is away)."""
    return [Assignee(u.username, u.display_name, u.district_id, u.phone)
            for u in session.scalars(select(User).where(
                User.role == Role.FIELD, User.active.is_(True)).order_by(User.username))]


PlanChoices = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[dict[str, Any]]]


def read_plan_choices(session: Session) -> PlanChoices:
    """Districts, grids and businesses a plan can be made of (the plan dialog's choices)."""
    districts = [tuple(r) for r in session.execute(
        select(District.id, District.name).order_by(District.id))]
    grids = [tuple(r) for r in session.execute(
        select(Grid.id, Grid.name, Grid.district_id).order_by(Grid.id))]
    businesses = [{"id": i, "district_id": d, "grid_id": g, "category": c}
                  for i, d, g, c in session.execute(select(
                      Business.id, Business.district_id, Business.grid_id, Business.category))]
    return districts, grids, businesses
