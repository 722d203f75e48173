"""``GET /api/businesses/{id}/disinfection-ledger.xlsx``: a business's 清洗消毒台账 as Excel.

``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (local dates, both inclusive; default the last 30 days, at
most 366). Office roles and viewers in the business's district; field staff may too (they
show it on site); devices never. Outside the caller's scope the business does not exist (404).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.context import CONFIG, DB, principal_of
from central.errors import ApiError, forbidden, malformed, not_found
from db.models import Business, DisinfectionCycle, Sensor
from domain.clock import utcnow
from domain.roles import Role
from ledger.disinfection import workbook_bytes

routes = web.RouteTableDef()
MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(request: web.Request, name: str, default: date) -> date:
    text = request.query.get(name)
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise malformed(f"{name}: {text!r} is not a date like 2026-11-30") from exc


@routes.get("/api/businesses/{id}/disinfection-ledger.xlsx")
async def disinfection_ledger(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    if principal.role == Role.DEVICE:
        raise forbidden("device accounts have no ledgers")
    tz = ZoneInfo(request.app[CONFIG].timezone)
    today = utcnow().astimezone(tz).date()
    last = _day(request, "to", today)
    first = _day(request, "from", last - timedelta(days=29))
    # Rules a JSON Schema cannot state: a code of their own (the description's dates are fine).
    if first > last:
        raise ApiError(422, "date_range", f"from: {first} is after to: {last}")
    if (last - first).days >= MAX_DAYS:
        raise ApiError(422, "date_range", f"from/to: at most {MAX_DAYS} days at once")
    ident = request.match_info["id"]

    def work(session: Session) -> bytes:
        business = session.get(Business, ident)
        if business is None or not principal.can_see("business", business.district_id):
            raise not_found("business", ident)
        rows: list[dict[str, Any]] = [
            {c.name: getattr(r, c.name) for c in DisinfectionCycle.__table__.columns}
            for r in session.scalars(select(DisinfectionCycle).where(
                DisinfectionCycle.business_id == ident, DisinfectionCycle.day >= first,
                DisinfectionCycle.day <= last))]
        sensors = {s.id: s.location or s.id for s in session.scalars(
            select(Sensor).where(Sensor.business_id == ident))}
        return workbook_bytes({"id": business.id, "name": business.name,
                               "licence_no": business.licence_no}, rows, sensors, first, last,
                              tz)

    body = await request.app[DB].read(work)
    name = f"disinfection-{ident}-{first.isoformat()}-{last.isoformat()}.xlsx"
    return web.Response(body=body, content_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
