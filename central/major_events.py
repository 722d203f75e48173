"""Major-event mode (重大活动保障) on central: events and meal sign-offs through actions, the
list with the sign-offs still missing, and the event's report.

- ``event.save`` (admin; a district admin within their district): the reception kitchens, the
  period and the tighter limits (checked by :func:`domain.major_events.check_overrides`: known
  parameters, physical ranges, only tighter). Audited.
- ``event.signoff`` (office roles): one meal of one kitchen, with the verdict and a snapshot;
  a second sign-off of the same meal is a 409. Audited.
- ``GET /api/major-events``: the events of the caller's scope with their missing sign-offs.
- ``GET /api/major-events/{id}/report.xlsx``: the sign-offs, alarms and tasks of the event's
  kitchens during its period, one sheet each.

The limits are stored with the event and read through :func:`active_events`; they apply by
time, so nothing needs undoing when the period ends.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.action_context import ActionContext, Handler, audit, bump
from central.context import CONFIG, DB, principal_of
from central.errors import ApiError, forbidden, invalid, not_found
from central.schemas import events as es
from central.schemas.common import stored_media
from central.scope import Principal
from db.models import Alarm, Business, EventSignoff, MajorEventRow, Task
from domain.clock import utcnow
from domain.major_events import MajorEvent, check_overrides, missing_signoffs
from domain.roles import OFFICE_ROLES, Role

routes = web.RouteTableDef()
READS_EVENTS = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.VIEWER})


def as_domain(row: MajorEventRow) -> MajorEvent:
    return MajorEvent(row.id, row.name, frozenset(row.business_ids or ()), row.starts_at,
                      row.ends_at, row.overrides or {})


def active_events(session: Session, now: datetime) -> list[MajorEvent]:
    """Events in force at ``now`` (what the rules tighten limits with)."""
    rows = session.scalars(select(MajorEventRow).where(MajorEventRow.starts_at <= now,
                                                       MajorEventRow.ends_at > now))
    return [as_domain(r) for r in rows]


def _visible(principal: Principal, row: MajorEventRow | None, ident: str) -> MajorEventRow:
    if row is None or not principal.in_district(row.district_id):
        raise not_found("major event", ident)
    return row


def event_save(session: Session, ctx: ActionContext, payload: es.EventSave) -> dict[str, Any]:
    principal = ctx.principal
    if principal.role != Role.ADMIN:
        raise forbidden(f"role {principal.role} may not set up major events")
    if payload.ends_at <= payload.starts_at:
        raise ApiError(422, "event_period", "payload.ends_at: must be after starts_at")
    if (payload.ends_at - payload.starts_at).days > 60:
        raise ApiError(422, "event_period", "payload.ends_at: an event lasts at most 60 days")
    overrides: dict[str, dict[str, Any]] = {str(k): dict(v)
                                            for k, v in payload.overrides.items()}
    problems = check_overrides(overrides)
    if problems:
        raise invalid("payload.overrides." + "; ".join(problems))
    ids = sorted(set(payload.business_ids))
    found = {b.id: b for b in session.scalars(select(Business).where(Business.id.in_(ids)))}
    for bid in ids:
        if bid not in found or not principal.can_see("business", found[bid].district_id):
            raise invalid(f"payload.business_ids: no business {bid} in your scope")
    districts = {b.district_id for b in found.values()}
    district = districts.pop() if len(districts) == 1 else None
    if principal.district_scope and district != principal.district_scope:
        raise forbidden("a district administrator's event covers their district only")
    row = session.get(MajorEventRow, payload.id) if payload.id else None
    if row is not None:
        _visible(principal, row, row.id)
        if payload.expected_version is not None and payload.expected_version != row.version:
            raise ApiError(409, "stale_version", f"major event {row.id} changed meanwhile "
                           f"(version {row.version})")
        bump(session, row)
    else:
        row = MajorEventRow(id=payload.id or None, created_by=principal.username,
                            created_at=utcnow(), version=1)
        session.add(row)
    row.name, row.business_ids, row.district_id = payload.name, ids, district
    row.starts_at, row.ends_at = payload.starts_at, payload.ends_at
    row.overrides = overrides
    session.flush()
    audit(session, ctx, "event.save", district or "",
          detail=f"{row.name}: {len(ids)} kitchens, {row.starts_at.isoformat()} → "
                 f"{row.ends_at.isoformat()}, limits {row.overrides}")
    return {"event": _event_json(session, row, ZoneInfo(ctx.config.timezone), utcnow())}


def event_signoff(session: Session, ctx: ActionContext,
                  payload: es.EventSignoffBody) -> dict[str, Any]:
    principal = ctx.principal
    if principal.role not in OFFICE_ROLES:
        raise forbidden(f"role {principal.role} may not sign off meals")
    if payload.verdict == "problem" and not payload.note.strip():
        raise ApiError(422, "note_required",
                       "payload.note: a problem needs a note saying what was seen")
    row = _visible(principal, session.get(MajorEventRow, payload.event_id), payload.event_id)
    if payload.business_id not in (row.business_ids or ()):
        raise invalid(f"payload.business_id: {payload.business_id} is not a reception kitchen "
                      f"of {row.name}")
    business = session.get(Business, payload.business_id)
    if business is None or not principal.can_see("business", business.district_id):
        raise not_found("business", payload.business_id)
    tz = ZoneInfo(ctx.config.timezone)
    day = date.fromisoformat(payload.day)
    if not row.starts_at.astimezone(tz).date() <= day <= row.ends_at.astimezone(tz).date():
        raise invalid(f"payload.day: {day} is outside the event's period")
    snapshot = stored_media(ctx.config.media_dir, payload.snapshot_url, "payload.snapshot_url")
    signoff = EventSignoff(id=payload.id or None, event_id=row.id,
                           district_id=business.district_id, business_id=business.id, day=day,
                           meal=payload.meal, user=principal.username, ts=utcnow(),
                           verdict=payload.verdict, note=payload.note, snapshot_url=snapshot)
    try:
        with session.begin_nested():
            session.add(signoff)
    except IntegrityError:
        raise ApiError(409, "exists", f"the {payload.meal} of {day} at {business.name} is "
                                      "already signed off") from None
    audit(session, ctx, "event.signoff", business.district_id,
          detail=f"{row.name}: {business.name} {day} {payload.meal} {payload.verdict}")
    return {"signoff": _signoff_json(signoff)}


def _signoff_json(s: EventSignoff) -> dict[str, Any]:
    return {"id": s.id, "event_id": s.event_id, "business_id": s.business_id,
            "day": s.day.isoformat(), "meal": s.meal, "user": s.user, "ts": s.ts.isoformat(),
            "verdict": s.verdict, "note": s.note, "snapshot_url": s.snapshot_url}


def _event_json(session: Session, row: MajorEventRow, tz: ZoneInfo,
                now: datetime) -> dict[str, Any]:
    signed = [(s.business_id, s.day, s.meal) for s in session.scalars(
        select(EventSignoff).where(EventSignoff.event_id == row.id))]
    event = as_domain(row)
    missing = missing_signoffs(event, signed, now, tz)
    return {"id": row.id, "name": row.name, "district_id": row.district_id,
            "business_ids": list(row.business_ids or ()),
            "starts_at": row.starts_at.isoformat(), "ends_at": row.ends_at.isoformat(),
            "overrides": row.overrides or {}, "active": event.active(now),
            "version": row.version, "signoffs": len(signed),
            "missing_signoffs": [[b, d.isoformat(), m] for b, d, m in missing]}


HANDLERS: dict[str, Handler] = {"event.save": event_save, "event.signoff": event_signoff}


@routes.get("/api/major-events")
async def list_events(request: web.Request) -> web.Response:
    principal = await principal_of(request, READS_EVENTS, "read major events")
    tz = ZoneInfo(request.app[CONFIG].timezone)

    def work(session: Session) -> dict[str, Any]:
        now = utcnow()
        rows = session.scalars(select(MajorEventRow).order_by(MajorEventRow.starts_at.desc()))
        return {"events": [_event_json(session, r, tz, now) for r in rows
                           if principal.in_district(r.district_id)]}

    return web.json_response(await request.app[DB].read(work))


def report_xlsx(session: Session, principal: Principal, event_id: str) -> tuple[str, bytes]:
    """The event's report: its sign-offs, and the alarms and tasks of its kitchens during
    the period (one sheet each); returns (file name, bytes)."""
    row = _visible(principal, session.get(MajorEventRow, event_id), event_id)
    ids = list(row.business_ids or ())
    names = dict(session.execute(select(Business.id, Business.name)
                                 .where(Business.id.in_(ids))).all())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "签收 Sign-offs"
    sheet.append(["经营主体 Business", "日期 Day", "餐次 Meal", "签收人 By", "时间 At (UTC)",
                  "结论 Verdict", "说明 Note", "快照 Snapshot"])
    for s in session.scalars(select(EventSignoff).where(EventSignoff.event_id == row.id)
                             .order_by(EventSignoff.day, EventSignoff.meal)):
        sheet.append([names.get(s.business_id, s.business_id), s.day.isoformat(), s.meal,
                      s.user, s.ts.isoformat(timespec="seconds"), s.verdict, s.note,
                      s.snapshot_url])
    alarms = book.create_sheet("预警 Alarms")
    alarms.append(["经营主体 Business", "开始 Opened (UTC)", "类型 Kind", "子类 Subtype",
                   "级别 Severity", "状态 State", "说明 Message"])
    for a in session.scalars(select(Alarm).where(
            Alarm.business_id.in_(ids), Alarm.opened_at >= row.starts_at,
            Alarm.opened_at < row.ends_at).order_by(Alarm.opened_at)):
        alarms.append([names.get(a.business_id, a.business_id),
                       a.opened_at.isoformat(timespec="seconds"), a.kind, a.subtype,
                       a.severity, a.state, a.message])
    tasks = book.create_sheet("任务 Tasks")
    tasks.append(["经营主体 Business", "创建 Created (UTC)", "标题 Title", "状态 State",
                  "处置人 Assignee", "办结 Closed (UTC)"])
    for t in session.scalars(select(Task).where(
            Task.business_id.in_(ids), Task.created_at >= row.starts_at,
            Task.created_at < row.ends_at).order_by(Task.created_at)):
        tasks.append([names.get(t.business_id, t.business_id),
                      t.created_at.isoformat(timespec="seconds"), t.title, t.state, t.assignee,
                      t.closed_at.isoformat(timespec="seconds") if t.closed_at else ""])
    out = io.BytesIO()
    book.save(out)
    return f"major-event-{row.id}.xlsx", out.getvalue()


@routes.get("/api/major-events/{event_id}/report.xlsx")
async def report(request: web.Request) -> web.Response:
    principal = await principal_of(request, READS_EVENTS, "read major events")
    event_id = request.match_info["event_id"]
    name, body = await request.app[DB].read(lambda s: report_xlsx(s, principal, event_id))
    return web.Response(body=body, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="{name}"'})
