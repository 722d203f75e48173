"""``GET /api/risk`` and ``GET /api/risk/plan``: risk scores and a month's patrol plan.

The rules live in :mod:`domain.risk` (a pure function of facts); this module counts the facts
in SQL for every business of the caller's scope, a handful of grouped queries whatever the
number of businesses, and hands them over. Device accounts have no business here; a district
user sees their district only, and a business outside it is a 404 like every other read.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.context import CONFIG, DB, principal_of
from central.errors import not_found
from central.schemas import risk as q
from central.schemas.common import validate_query
from central.scope import Principal
from central.stats import OPEN_TASKS, RANK_DAYS, RANK_SIZE
from db.models import Alarm, Business, PatrolRecord, Task
from domain.alarms import AlarmKind, AlarmState
from domain.clock import utcnow
from domain.patrol import PatrolVerdict
from domain.risk import (
    FrequencyRule,
    PlanInput,
    RiskFacts,
    RiskScore,
    fill_plan,
    reason_text,
    score,
)
from domain.roles import Role
from domain.tasks import TaskState

routes = web.RouteTableDef()
#: Roles that read scores and plans: the office, not devices.
READS_RISK = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.VIEWER, Role.FIELD})


def _facts(session: Session, district_id: str | None, business_id: str | None,
           now: datetime, today: date) -> tuple[list[RiskFacts], dict[str, Business]]:
    """The facts of every business in scope (or of one), counted in grouped queries."""
    def scoped(stmt: Any, model: Any) -> Any:
        if district_id:
            stmt = stmt.where(model.district_id == district_id)
        if business_id:
            stmt = stmt.where(model.business_id == business_id if model is not Business
                              else Business.id == business_id)
        return stmt

    businesses = {b.id: b for b in session.scalars(scoped(select(Business), Business))}
    if not businesses:
        return [], {}

    def per_business(model: Any, *where: Any) -> dict[str, int]:
        stmt = select(model.business_id, func.count()).where(*where).group_by(model.business_id)
        return {b: int(n) for b, n in session.execute(scoped(stmt, model))}

    since = now - timedelta(days=RANK_DAYS)
    open_tasks = per_business(Task, Task.state.in_(OPEN_TASKS))
    overdue = per_business(Task, Task.state.in_(OPEN_TASKS), Task.deadline < now)
    alarms = per_business(Alarm, Alarm.opened_at >= since, Alarm.state != AlarmState.DISMISSED)
    problems = per_business(PatrolRecord, PatrolRecord.started_at >= since,
                            PatrolRecord.verdict == PatrolVerdict.PROBLEM)
    compliant = per_business(PatrolRecord, PatrolRecord.started_at >= since,
                             PatrolRecord.verdict == PatrolVerdict.COMPLIANT)
    # The same red and black lists as the dashboard's (central/stats.py), within this scope.
    black = set(sorted(set(alarms) | set(problems),
                       key=lambda b: (-(alarms.get(b, 0) + 2 * problems.get(b, 0)), b))
                [:RANK_SIZE])
    red = set(sorted((b for b in compliant if b not in alarms and b not in problems),
                     key=lambda b: (-compliant[b], b))[:RANK_SIZE])
    dark: dict[str, float] = defaultdict(float)
    offline = select(Alarm.business_id, Alarm.opened_at, Alarm.cleared_at).where(
        Alarm.kind == AlarmKind.DEVICE_OFFLINE, Alarm.camera_id.is_not(None),
        (Alarm.cleared_at.is_(None)) | (Alarm.cleared_at >= since), Alarm.opened_at <= now)
    for bid, opened, cleared in session.execute(scoped(offline, Alarm)):
        start, end = max(opened, since), min(cleared or now, now)
        if end > start:
            dark[bid] += (end - start).total_seconds() / 3600.0
    facts = [RiskFacts(
        bid, b.category, open_tasks=open_tasks.get(bid, 0), overdue_tasks=overdue.get(bid, 0),
        alarms_30d=alarms.get(bid, 0), black_list=bid in black, red_list=bid in red,
        licence_days_left=(b.licence_expiry - today).days if b.licence_expiry else None,
        dark_hours_30d=round(dark.get(bid, 0.0), 1)) for bid, b in businesses.items()]
    return facts, businesses


def scores(session: Session, district_id: str | None, business_id: str | None, tz: ZoneInfo,
           now: datetime | None = None) -> tuple[list[RiskScore], dict[str, Business]]:
    """Every business of the scope scored, highest first (ties by id)."""
    now = now or utcnow()
    facts, businesses = _facts(session, district_id, business_id, now,
                               now.astimezone(tz).date())
    ranked = sorted((score(f) for f in facts), key=lambda s: (-s.score, s.business_id))
    return ranked, businesses


def _entry(result: RiskScore, business: Business) -> dict[str, Any]:
    return {"business_id": result.business_id, "name": business.name,
            "district_id": business.district_id, "category": business.category,
            "score": result.score, "level": result.level,
            "reasons": [{"code": r.code, "points": r.points, "value": r.value,
                         "text": reason_text(r)} for r in result.reasons]}


def risk_reply(session: Session, principal: Principal, query: q.RiskQuery, tz: ZoneInfo,
               now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    ranked, businesses = scores(session, principal.district_scope, query.business_id, tz, now)
    if query.business_id and not ranked:
        raise not_found("business", query.business_id)
    return {"generated_at": now.isoformat(),
            "businesses": [_entry(r, businesses[r.business_id]) for r in ranked[:query.limit]]}


def plan_reply(session: Session, principal: Principal, query: q.RiskPlanQuery, tz: ZoneInfo,
               now: datetime | None = None) -> dict[str, Any]:
    """The month's plan: looks the frequency rules ask of each business (plus a follow-up
    look per task closed in the month), what is done (online patrol records of the month),
    and who is behind."""
    now = now or utcnow()
    local = now.astimezone(tz)
    year, month = (int(p) for p in query.month.split("-")) if query.month else (
        local.year, local.month)
    days = calendar.monthrange(year, month)[1]
    first = datetime(year, month, 1, tzinfo=tz)
    after = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    year_start = datetime(year, 1, 1, tzinfo=tz)
    # day of the month the plan is judged at: today within the month, its end once past
    day = 0 if local < first else days if local >= after else local.day
    ranked, businesses = scores(session, principal.district_scope, None, tz, now)
    reception = set(query.reception.split(",")) if query.reception else set()

    def looks(start: datetime) -> dict[str, int]:
        stmt = (select(PatrolRecord.business_id, func.count())
                .where(PatrolRecord.started_at >= start, PatrolRecord.started_at < after)
                .group_by(PatrolRecord.business_id))
        if principal.district_scope:
            stmt = stmt.where(PatrolRecord.district_id == principal.district_scope)
        return {b: int(n) for b, n in session.execute(stmt)}

    month_looks, year_looks = looks(first), looks(year_start)
    closed = select(Task.business_id, func.count()).where(
        Task.state == TaskState.CLOSED, Task.closed_at >= first, Task.closed_at < after
    ).group_by(Task.business_id)
    if principal.district_scope:
        closed = closed.where(Task.district_id == principal.district_scope)
    follow_ups = {b: int(n) for b, n in session.execute(closed)}
    rule = FrequencyRule(query.monthly_min, query.high_risk_extra, query.reception_yearly_min)
    lines = fill_plan([PlanInput(r.business_id, r.score, month_looks.get(r.business_id, 0),
                                 year_looks.get(r.business_id, 0), r.business_id in reception,
                                 follow_ups.get(r.business_id, 0))
                       for r in ranked], rule, month, day, days)
    out = [{"business_id": ln.business_id, "name": businesses[ln.business_id].name,
            "district_id": businesses[ln.business_id].district_id, "score": ln.score,
            "required": ln.required, "done": ln.done, "due_by_today": ln.due_by_today,
            "behind": ln.behind, "planned": ln.planned,
            "reception": ln.business_id in reception,
            "follow_ups": follow_ups.get(ln.business_id, 0)} for ln in lines]
    return {"month": f"{year:04d}-{month:02d}", "generated_at": now.isoformat(), "lines": out,
            "behind": sum(ln.behind for ln in lines),
            "planned_looks": sum(ln.planned for ln in lines)}


@routes.get("/api/risk")
async def risk(request: web.Request) -> web.Response:
    principal = await principal_of(request, READS_RISK, "read risk scores")
    query = validate_query(q.RiskQuery, {k: v for k, v in request.query.items() if v})
    tz = ZoneInfo(request.app[CONFIG].timezone)
    body = await request.app[DB].read(lambda s: risk_reply(s, principal, query, tz))
    return web.json_response(body)


@routes.get("/api/risk/plan")
async def risk_plan(request: web.Request) -> web.Response:
    principal = await principal_of(request, READS_RISK, "read patrol plans")
    query = validate_query(q.RiskPlanQuery, {k: v for k, v in request.query.items() if v})
    tz = ZoneInfo(request.app[CONFIG].timezone)
    body = await request.app[DB].read(lambda s: plan_reply(s, principal, query, tz))
    return web.json_response(body)
