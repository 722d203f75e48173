"""The bulletin actions and reads: office staff draft, a city or district administrator
approves and publishes (the four-eyes step a bureau asks before a 督查通报 names businesses on
a black list), each with an audit entry; everyone in scope may list and read them.

``GET /api/bulletins`` lists the bulletins of the caller's districts (``?district=``,
``?state=``); ``GET /api/bulletins/{id}`` gives one with its figures; ``GET
/api/bulletins/{id}/pdf`` the PDF. A viewer (demonstrations) sees published ones only.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from central import bulletins
from central.action_context import ActionContext, Handler
from central.action_context import audit as _audit
from central.context import DB, principal_of
from central.errors import ApiError, forbidden, malformed, not_found
from central.schemas import bulletins as s
from central.scope import Principal
from db.models import Bulletin
from domain.clock import utcnow
from domain.roles import OFFICE_ROLES, Role

routes = web.RouteTableDef()
#: Who may approve and publish: the city's administrators, and a district's bureau for its own.
APPROVES = frozenset({Role.ADMIN, Role.DISTRICT})


def _visible(principal: Principal, row: Bulletin | None, ident: str) -> Bulletin:
    if row is None or not principal.in_district(row.district_id) or (
            principal.role == Role.VIEWER and row.state != "published"):
        raise not_found("bulletin", ident)
    return row


def bulletin_draft(session: Session, ctx: ActionContext,
                   payload: s.BulletinDraft) -> dict[str, Any]:
    if ctx.principal.role not in OFFICE_ROLES:
        raise forbidden(f"role {ctx.principal.role} may not draft bulletins")
    if not ctx.principal.in_district(payload.district_id):
        raise not_found("district", payload.district_id)
    row = bulletins.draft(session, payload.district_id, payload.period,
                          ZoneInfo(ctx.config.timezone))
    _audit(session, ctx, "bulletin.draft", row.district_id,
           detail=f"bulletin={row.id}; period={row.period}; version={row.version}")
    return {"bulletin": bulletins.summary(row)}


def _step(to: str) -> Handler:
    def handler(session: Session, ctx: ActionContext, payload: s.BulletinStep) -> dict[str, Any]:
        if ctx.principal.role not in APPROVES:
            raise forbidden(f"role {ctx.principal.role} may not make a bulletin {to}; a city "
                            f"or district administrator does")
        row = _visible(ctx.principal, session.get(Bulletin, payload.bulletin_id,
                                                  with_for_update=True), payload.bulletin_id)
        if row.version != payload.expected_version:
            raise ApiError(409, "stale_version",
                           f"bulletin {row.id} changed meanwhile: you saw version "
                           f"{payload.expected_version}, it is now version {row.version} "
                           f"({row.state})", current=bulletins.summary(row))
        bulletins.advance(row, to, ctx.principal.username, utcnow())
        _audit(session, ctx, f"bulletin.{'approve' if to == 'approved' else 'publish'}",
               row.district_id, detail=f"bulletin={row.id}; period={row.period}")
        return {"bulletin": bulletins.summary(row)}

    return handler


HANDLERS: dict[str, Handler] = {
    "bulletin.draft": bulletin_draft,
    "bulletin.approve": _step("approved"),
    "bulletin.publish": _step("published"),
}


def _reader(principal: Principal) -> None:
    if principal.role in (Role.DEVICE, Role.FIELD):
        raise forbidden(f"role {principal.role} has no bulletins")


@routes.get("/api/bulletins")
async def list_bulletins(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    _reader(principal)
    district = request.query.get("district") or None
    state = request.query.get("state") or None
    if state is not None and state not in bulletins.STATES:
        raise malformed(f"state: expected one of {', '.join(bulletins.STATES)}")

    def work(session: Session) -> list[dict[str, Any]]:
        stmt = select(Bulletin).order_by(Bulletin.period.desc(), Bulletin.district_id)
        scope = principal.district_scope
        if scope is not None:
            stmt = stmt.where(Bulletin.district_id == scope)
        if district is not None:
            stmt = stmt.where(Bulletin.district_id == district)
        if principal.role == Role.VIEWER:
            stmt = stmt.where(Bulletin.state == "published")
        elif state is not None:
            stmt = stmt.where(Bulletin.state == state)
        return [bulletins.summary(row) for row in session.scalars(stmt.limit(500))]

    return web.json_response({"bulletins": await request.app[DB].read(work)})


async def _one(request: web.Request) -> Bulletin:
    principal = await principal_of(request)
    _reader(principal)
    ident = request.match_info["id"]
    return await request.app[DB].read(lambda s: _visible(principal, s.get(Bulletin, ident),
                                                         ident))


@routes.get("/api/bulletins/{id}")
async def get_bulletin(request: web.Request) -> web.Response:
    row = await _one(request)
    return web.json_response({"bulletin": {**bulletins.summary(row), "content": row.content}})


@routes.get("/api/bulletins/{id}/pdf")
async def bulletin_pdf(request: web.Request) -> web.Response:
    row = await _one(request)
    pdf = bulletins.render_pdf(row.content, row.state)
    name = f"bulletin-{row.district_id}-{row.period}.pdf"
    return web.Response(body=pdf, content_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
