"""Direct reads: a sensor's readings for a trend, assignable users, one row by id.

All of them apply the same scope as the feed: a row outside the caller's district is a 404.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import Float, Integer, cast, func, select
from sqlalchemy.orm import Session

from central import changes
from central.auth import user_json
from central.context import DB, principal_of
from central.errors import ApiError, malformed, not_found
from central.schemas import reads as q
from central.schemas.common import ID_PATTERN, validate_query
from central.scope import READS_USERS, Principal, present
from db.models import SYNCED_ENTITIES, Reading, Sensor, User
from domain.clock import utcnow

routes = web.RouteTableDef()
MAX_RANGE = timedelta(days=400)
_ENTITY_ID = re.compile(ID_PATTERN)


def _epoch(session: Session, column: Any) -> Any:
    """Seconds since 1970 of a stored (naive UTC) timestamp, in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", column), Float)
    return cast(func.strftime("%s", column), Integer) + (
        cast(func.strftime("%f", column), Float) - cast(func.strftime("%S", column), Integer))


def sensor_points(session: Session, sensor_id: str, start: datetime, end: datetime,
                  max_points: int) -> dict[str, Any]:
    """Readings of one sensor in [start, end]; more than ``max_points`` are bucketed in SQL.

    Each point is ``[ts, value, humidity, min, max]``: a raw reading has min = max = value; a
    bucket gives its average at the bucket's middle and keeps the extremes, so a short peak
    above a limit survives a week-long zoom.
    """
    in_range = (Reading.sensor_id == sensor_id, Reading.ts >= start, Reading.ts <= end)
    total = session.scalar(select(func.count()).select_from(Reading).where(*in_range)) or 0
    if total <= max_points:
        rows = session.execute(select(Reading.ts, Reading.value, Reading.humidity)
                               .where(*in_range).order_by(Reading.ts)).all()
        return {"points": [[ts.isoformat(), v, h, v, v] for ts, v, h in rows],
                "downsampled": False, "bucket_s": None, "count": total}
    span = max((end - start).total_seconds(), 1.0)
    width = span / max_points
    bucket = func.floor((_epoch(session, Reading.ts) - start.timestamp()) / width)
    stmt = (select(bucket.label("b"), func.avg(Reading.value), func.avg(Reading.humidity),
                   func.min(Reading.value), func.max(Reading.value))
            .where(*in_range).group_by("b").order_by("b"))
    points = []
    for b, avg, hum, lo, hi in session.execute(stmt).all():
        middle = start + timedelta(seconds=(float(b) + 0.5) * width)
        points.append([min(middle, end).isoformat(), _round(avg), _round(hum), lo, hi])
    return {"points": points, "downsampled": True, "bucket_s": round(width, 3), "count": total}


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def _query(request: web.Request) -> dict[str, str]:
    query = dict(request.query)
    for name in ("from", "to"):
        raw = query.get(name)
        if raw is not None and "T" in raw and " " in raw:
            query[name] = raw.replace(" ", "+")  # an unencoded "+00:00" arrives as " 00:00"
        if raw == "":
            del query[name]
    return query


@routes.get("/api/sensors/{sensor_id}/readings")
async def sensor_readings(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    sensor_id = request.match_info["sensor_id"]
    query = validate_query(q.SensorReadingsQuery, _query(request))
    end = query.to or utcnow()
    start = query.from_ or end - timedelta(hours=24)
    if start > end:
        raise malformed("from: must not be after to")
    if end - start > MAX_RANGE:
        raise malformed(f"the range from..to may span at most {MAX_RANGE.days} days")
    max_points = query.max_points

    def work(session: Session) -> dict[str, Any]:
        sensor = session.get(Sensor, sensor_id)
        if sensor is None or not principal.can_see("sensor", sensor.district_id):
            raise not_found("sensor", sensor_id)
        body = sensor_points(session, sensor_id, start, end, max_points)
        return {"sensor_id": sensor_id, "from": start.isoformat(), "to": end.isoformat(),
                **body}

    return web.json_response(await request.app[DB].read(work))


def list_users(session: Session, principal: Principal, role: str | None) -> list[dict[str, Any]]:
    """Active users the caller may know of: the city for operator and admin, their own
    district's for district staff (the route refuses every other role)."""
    if principal.role not in READS_USERS:
        return []
    stmt = select(User).where(User.active.is_(True))
    if role:
        stmt = stmt.where(User.role == role)
    if principal.district_scope:
        stmt = stmt.where(User.district_id == principal.district_scope)
    out = []
    for user in session.scalars(stmt.order_by(User.username)):
        row = user_json(user) | {"phone": user.phone}
        out.append(present(principal, "user", row))
    return out


@routes.get("/api/users")
async def users(request: web.Request) -> web.Response:
    principal = await principal_of(request, READS_USERS, "list users")
    role = validate_query(q.UsersQuery, {k: v for k, v in request.query.items() if v}).role
    rows = await request.app[DB].read(lambda s: list_users(s, principal, role))
    return web.json_response({"users": rows})


@routes.get("/api/entity/{entity}/{entity_id}")
async def entity(request: web.Request) -> web.Response:
    """One synced row as the feed would carry it (current state, scoped, masked)."""
    principal = await principal_of(request)
    name, ident = request.match_info["entity"], request.match_info["entity_id"]
    if name not in SYNCED_ENTITIES:
        raise malformed(f"entity: expected one of {', '.join(SYNCED_ENTITIES)}")
    if not _ENTITY_ID.fullmatch(ident) or len(ident) > 48:
        raise not_found(name, ident[:80])
    if name not in principal.entities:
        raise ApiError(403, "forbidden", f"role {principal.role} may not read {name} rows")

    def work(session: Session) -> dict[str, Any]:
        row = changes.current(session, name, ident)
        if row is None or row.deleted or not principal.can_see(name, row.district_id):
            raise not_found(name, ident)
        message = changes.as_message(row)
        message["payload"] = present(principal, name, message["payload"])
        return message

    return web.json_response(await request.app[DB].read(work))
