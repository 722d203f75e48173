"""The 包保 network on central (issue 18 items 1, 2 and 9): who is each business's official,
the versioned checklists, the visits, the looks at cameras, and the figures a bureau reports.

Actions (applied through :mod:`central.actions`, so once per key, audited, district-scoped):
``baobao.assign``, ``checklist.save``, ``baobao.visit`` and ``view.batch``. Reads: the figures
per official, street and district; a business's visits; the current checklists; the looks.

What counts as a visit for the supervision rate: a recorded 包保 visit (on site or online), a
patrol record, or a look at one of the business's cameras of at least
:data:`domain.baobao.ONLINE_LOOK_MIN_SECONDS` (a tour's 10-second glance leaves a trace but is
not an inspection).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, get_args

from aiohttp import web
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from central.action_context import ActionContext, Handler, audit, bump
from central.context import DB, principal_of
from central.errors import ApiError, forbidden, not_found
from central.schemas import baobao as b
from central.schemas.common import stored_media, validate_query
from central.schemas.params import Category
from central.scope import ACTS_ON_ALARMS, CHANGES_RULES, PATROLS, Principal
from db.models import (
    BaobaoVisit,
    Business,
    Camera,
    Checklist,
    PatrolRecord,
    Street,
    User,
    ViewRecord,
)
from db.serialize import to_payload
from domain.baobao import (
    ONLINE_LOOK_MIN_SECONDS,
    default_checklist,
    failed_items,
    is_overdue,
    rate,
    visit_period,
)
from domain.clock import utcnow
from domain.ids import new_id
from domain.roles import Role

routes = web.RouteTableDef()
# Who reads the figures and the looks: office staff and field officials (the officials are the
# people the figures are about); not the demonstration viewer (names), not devices.
READS_FIGURES = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.FIELD})
ASSIGNS = frozenset({Role.ADMIN, Role.DISTRICT})
# Accounts that can be a 包保 official.
OFFICIAL_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.FIELD})
# A look reported this far in the future is a console clock gone wrong: skipped, not stored.
CLOCK_SLACK = timedelta(minutes=10)
OVERDUE_LIST_MAX = 500


def _iso(ts: datetime | None) -> str | None:
    return ts.isoformat() if ts is not None else None


def _business(session: Session, principal: Principal, business_id: str) -> Business:
    row = session.get(Business, business_id)
    if row is None or not principal.can_see("business", row.district_id):
        raise not_found("business", business_id)
    return row


def _unfit(message: str) -> ApiError:
    """The named account cannot be this business's official: a rule about the database, not
    the payload's shape, so a code of its own."""
    return ApiError(422, "official_unfit", message)


def _mismatch(message: str) -> ApiError:
    """A visit's items do not fit the checklist version it names (or its verdict)."""
    return ApiError(422, "checklist_mismatch", message)


def level_of(user: User) -> str:
    """The official's level in the district → street → community network."""
    if user.grid_id:
        return "community"
    if user.street_id:
        return "street"
    return "district" if user.district_id else "city"


# --------------------------------------------------------------------------- checklists


def current_checklist(session: Session, category: str) -> tuple[int, list[dict[str, Any]]]:
    """The newest version of a category's checklist (0: the built-in default)."""
    row = session.scalar(select(Checklist).where(Checklist.category == category)
                         .order_by(Checklist.version.desc()).limit(1))
    if row is None:
        return 0, default_checklist(category)
    return row.version, list(row.items)


def checklist_version(session: Session, category: str, version: int) -> list[dict[str, Any]]:
    if version == 0:
        return default_checklist(category)
    row = session.scalar(select(Checklist).where(Checklist.category == category,
                                                 Checklist.version == version))
    if row is None:
        raise _mismatch(f"payload.checklist_version: category {category} has no checklist "
                        f"version {version}")
    return list(row.items)


def checklist_save(session: Session, ctx: ActionContext,
                   payload: b.ChecklistSave) -> dict[str, Any]:
    """The category's next version; earlier ones stay, as visits name the one they used."""
    if ctx.principal.role not in CHANGES_RULES:
        raise forbidden(f"role {ctx.principal.role} may not edit checklists; they are the "
                        f"administrators'")
    if ctx.principal.district_id:
        raise forbidden("checklists are the city's: a district administrator may not edit "
                        "them")
    keys = [item.key for item in payload.items]
    if len(set(keys)) != len(keys):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        raise ApiError(422, "checklist_mismatch", f"payload.items: each key once; "
                                                  f"{', '.join(twice)} given twice")
    version, _items = current_checklist(session, payload.category)
    if payload.expected_version is not None and payload.expected_version != version:
        raise ApiError(409, "stale_version",
                       f"checklist {payload.category} is at version {version} now, not "
                       f"{payload.expected_version}; reload it and edit again")
    items = [item.model_dump() for item in payload.items]
    for item in items:
        item["text"] = item["text"].strip()
    row = Checklist(category=payload.category, version=version + 1, items=items,
                    created_by=ctx.principal.username, created_at=utcnow())
    session.add(row)
    session.flush()
    audit(session, ctx, "checklist.save", "",
          detail=f"{payload.category} v{row.version}: {len(items)} items")
    return {"checklist": {"category": row.category, "version": row.version, "items": items}}


# --------------------------------------------------------------------------- officials


def baobao_assign(session: Session, ctx: ActionContext,
                  payload: b.BaobaoAssign) -> dict[str, Any]:
    """Make an account the business's 包保 official (empty: none). The text columns follow the
    account, so a ledger export and older consoles still read the name and phone."""
    if ctx.principal.role not in ASSIGNS:
        raise forbidden(f"role {ctx.principal.role} may not assign 包保 officials")
    business = _business(session, ctx.principal, payload.business_id)
    username = payload.username
    if not username:
        business.official_user_id = None
        detail = f"{business.id}: none"
    else:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            raise _unfit(f"payload.username: no active user {username!r}")
        if user.role not in OFFICIAL_ROLES:
            raise _unfit(f"payload.username: {username} ({user.role}) cannot be a 包保 "
                         f"official")
        if user.district_id and user.district_id != business.district_id:
            raise _unfit(f"payload.username: {username} works in district "
                         f"{user.district_id}, not {business.district_id}")
        if user.street_id and business.street_id and user.street_id != business.street_id:
            raise _unfit(f"payload.username: {username} works in street {user.street_id}, "
                         f"not {business.street_id}")
        business.official_user_id = user.id
        business.official_name = (user.display_name or user.username)[:32]
        business.official_phone = user.phone[:32]
        detail = f"{business.id}: {username} ({level_of(user)})"
    bump(session, business)
    audit(session, ctx, "baobao.assign", business.district_id, detail=detail)
    return {"business": to_payload(business)}


class OfficialLinker:
    """Links a ledger row's 包保责任人 (name and phone) to an account: the one active account
    that can be an official, of the row's district or city-wide, whose display name (or
    username) and phone are the ledger's. No such account, or two: no link, and the text
    columns still name the official. Used by :func:`central.registry_write.write`."""

    def __init__(self, session: Session) -> None:
        self._by_key: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
        for uid, display, username, phone, district, role in session.execute(
                select(User.id, User.display_name, User.username, User.phone,
                       User.district_id, User.role).where(User.active)):
            if role in OFFICIAL_ROLES and phone:
                for name in {display, username} - {""}:
                    self._by_key.setdefault((name, phone), []).append((uid, district))

    def account_of(self, name: str, phone: str, district_id: str) -> str | None:
        fits = {uid for uid, district in self._by_key.get((name.strip(), phone.strip()), [])
                if district in (None, "", district_id)}
        return fits.pop() if len(fits) == 1 else None


# --------------------------------------------------------------------------- visits


def baobao_visit(session: Session, ctx: ActionContext,
                 payload: b.BaobaoVisit) -> dict[str, Any]:
    """A visit with a verdict per checklist item; the answer lists the failed items, each of
    which the console dispatches as a task (``task.dispatch``) with the item filled in."""
    if ctx.principal.role not in PATROLS:
        raise forbidden(f"role {ctx.principal.role} may not record 包保 visits")
    business = _business(session, ctx.principal, payload.business_id)
    visit_id = payload.id or new_id()
    if session.get(BaobaoVisit, visit_id) is not None:
        raise ApiError(409, "exists", f"visit {visit_id} already exists")
    defined = {item["key"]: item for item in
               checklist_version(session, business.category, payload.checklist_version)}
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(payload.items):
        if item.key not in defined:
            raise _mismatch(f"payload.items[{index}].key: {item.key!r} is not an item of the "
                            f"{business.category} checklist version "
                            f"{payload.checklist_version}")
        if item.key in seen:
            raise _mismatch(f"payload.items[{index}].key: {item.key!r} given twice")
        seen.add(item.key)
        items.append({"key": item.key, "text": defined[item.key].get("text", ""),
                      "verdict": item.verdict, "note": item.note})
    if payload.verdict == "compliant" and failed_items(items):
        raise _mismatch("payload.verdict: compliant, but an item failed; a failed item makes "
                        "the visit a problem")
    photos = [stored_media(ctx.config.media_dir, url, f"payload.photos[{i}]")
              for i, url in enumerate(payload.photos)]
    now = utcnow()
    visit = BaobaoVisit(id=visit_id, district_id=business.district_id, business_id=business.id,
                        user=ctx.principal.username, mode=payload.mode,
                        started_at=payload.started_at or now, ended_at=payload.ended_at,
                        verdict=payload.verdict, category=business.category,
                        checklist_version=payload.checklist_version, items=items,
                        photos=photos, note=payload.note)
    session.add(visit)
    session.flush()
    audit(session, ctx, "baobao.visit", business.district_id,
          detail=f"{business.id} {business.name}: {payload.mode} {payload.verdict}, "
                 f"{len(failed_items(items))} failed of {len(items)}")
    return {"visit": visit_payload(visit), "failed": failed_items(items)}


def visit_payload(visit: BaobaoVisit) -> dict[str, Any]:
    return {"id": visit.id, "business_id": visit.business_id, "district_id": visit.district_id,
            "user": visit.user, "mode": visit.mode, "started_at": _iso(visit.started_at),
            "ended_at": _iso(visit.ended_at), "verdict": visit.verdict,
            "category": visit.category, "checklist_version": visit.checklist_version,
            "items": visit.items, "photos": visit.photos, "note": visit.note}


# --------------------------------------------------------------------------- looks


def view_batch(session: Session, ctx: ActionContext, payload: b.ViewBatch) -> dict[str, Any]:
    """Store a batch of looks. A camera retired or out of scope meanwhile, or a look dated in
    the future, is skipped (by index) rather than refusing the batch: the rest are true."""
    if ctx.principal.role not in ACTS_ON_ALARMS:
        raise forbidden(f"role {ctx.principal.role} does not watch cameras")
    ids = sorted({v.camera_id for v in payload.views})
    found = session.execute(select(Camera.id, Camera.business_id, Camera.district_id)
                            .where(Camera.id.in_(ids))).all()
    cameras = {camera: business for camera, business, _ in found}
    districts = {camera: district for camera, _, district in found}
    latest = utcnow() + CLOCK_SLACK
    stored, skipped = 0, []
    for index, view in enumerate(payload.views):
        district = districts.get(view.camera_id)
        if district is None or not ctx.principal.can_see("camera", district) \
                or view.started_at > latest:
            skipped.append(index)
            continue
        session.add(ViewRecord(id=new_id(), district_id=district,
                               business_id=cameras[view.camera_id], camera_id=view.camera_id,
                               user=ctx.principal.username, source=view.source,
                               started_at=view.started_at, seconds=view.seconds))
        stored += 1
    return {"stored": stored, "skipped": skipped}


HANDLERS: dict[str, Handler] = {
    "baobao.assign": baobao_assign,
    "checklist.save": checklist_save,
    "baobao.visit": baobao_visit,
    "view.batch": view_batch,
}


# --------------------------------------------------------------------------- figures


def _scope_filter(principal: Principal, district_id: str | None) -> str | None:
    scope = principal.district_scope
    if district_id and scope is not None and district_id != scope:
        raise not_found("district", district_id)
    return district_id or scope


def last_looks(session: Session, district: str | None,
               since: datetime) -> dict[str, tuple[datetime, str, str]]:
    """Each business's latest visit, patrol record or long-enough look since ``since``:
    business id → (when, who, how)."""
    best: dict[str, tuple[datetime, str, str]] = {}
    sources: tuple[tuple[Any, Any, tuple[Any, ...]], ...] = (
        (BaobaoVisit, BaobaoVisit.mode, ()),
        (PatrolRecord, literal("patrol"), ()),
        (ViewRecord, literal("view"), (ViewRecord.seconds >= ONLINE_LOOK_MIN_SECONDS,)))
    for model, how, extra in sources:
        latest = (select(model.business_id.label("bid"), func.max(model.started_at).label("ts"))
                  .where(model.started_at >= since, *extra))
        if district:
            latest = latest.where(model.district_id == district)
        sub = latest.group_by(model.business_id).subquery()
        rows = session.execute(
            select(model.business_id, model.started_at, model.user, how)
            .join(sub, (sub.c.bid == model.business_id) & (sub.c.ts == model.started_at))
            .where(*extra))
        for business_id, ts, who, mode in rows:
            if business_id not in best or ts > best[business_id][0]:
                best[business_id] = (ts, who, str(mode))
    return best


def figures(session: Session, principal: Principal, district_id: str | None,
            now: datetime) -> dict[str, Any]:
    """Coverage, supervision rate and overdue visits per official, street and district."""
    district = _scope_filter(principal, district_id)
    stmt = select(Business.id, Business.name, Business.category, Business.district_id,
                  Business.street_id, Business.official_user_id, Business.official_name)
    if district:
        stmt = stmt.where(Business.district_id == district)
    businesses = session.execute(stmt.order_by(Business.id)).all()
    looks = last_looks(session, district, now - timedelta(days=400))
    users = {u.id: u for u in session.scalars(select(User))}
    usernames = {u.username: (u.display_name or u.username) for u in users.values()}
    streets = dict(session.execute(select(Street.id, Street.name)).all())

    def bucket() -> dict[str, Any]:
        return {"total": 0, "covered": 0, "named_only": 0, "visited": 0, "overdue": 0}

    totals = bucket()
    by_district: dict[str, dict[str, Any]] = {}
    by_street: dict[str, dict[str, Any]] = {}
    by_official: dict[str, dict[str, Any]] = {}
    overdue: list[dict[str, Any]] = []
    cards: dict[str, Any] = {}
    for bid, name, category, dist, street, official, official_text in businesses:
        look = looks.get(bid)
        late = is_overdue(look[0] if look else None, category, now)
        user = users.get(official) if official else None
        groups = [totals, by_district.setdefault(dist, {"district_id": dist, **bucket()}),
                  by_street.setdefault(street or "", {"street_id": street,
                                                      "name": streets.get(street or "", ""),
                                                      "district_id": dist, **bucket()})]
        if user is not None:
            groups.append(by_official.setdefault(user.id, {
                "user_id": user.id, "username": user.username,
                "name": user.display_name or user.username, "level": level_of(user),
                "district_id": user.district_id, **bucket()}))
        for group in groups:
            group["total"] += 1
            group["covered"] += user is not None
            group["named_only"] += user is None and bool(official_text)
            group["visited"] += not late
            group["overdue"] += late
        official_name = (user.display_name or user.username) if user else official_text
        cards[bid] = {"official": official_name, "official_user_id": official,
                      "last_visit": _iso(look[0]) if look else None,
                      "last_visit_by": usernames.get(look[1], look[1]) if look else None,
                      "last_visit_how": look[2] if look else None}
        if late:
            due = (look[0] + visit_period(category)) if look else None
            overdue.append({"business_id": bid, "name": name, "category": category,
                            "district_id": dist, "street_id": street,
                            "official": official_name, "last_visit": _iso(look[0]) if look
                            else None, "due": _iso(due),
                            "days_overdue": (now - due).days if due else None})
    for group in [totals, *by_district.values(), *by_street.values(), *by_official.values()]:
        group["coverage"] = rate(group["covered"], group["total"])
        group["supervision_rate"] = rate(group["visited"], group["total"])
    # Never visited first, then the longest overdue.
    overdue.sort(key=lambda o: (o["days_overdue"] is not None, -(o["days_overdue"] or 0),
                                o["business_id"]))
    return {"now": _iso(now), "totals": totals,
            "districts": sorted(by_district.values(), key=lambda g: g["district_id"]),
            "streets": sorted(by_street.values(), key=lambda g: (g["district_id"],
                                                                 g["street_id"] or "")),
            "officials": sorted(by_official.values(), key=lambda g: g["username"]),
            "overdue": overdue[:OVERDUE_LIST_MAX], "overdue_count": len(overdue),
            "businesses": cards}


@routes.get("/api/baobao/figures")
async def get_figures(request: web.Request) -> web.Response:
    principal = await principal_of(request, READS_FIGURES, "read 包保 figures")
    query = validate_query(b.FiguresQuery, request.query)
    now = utcnow()
    return web.json_response(await request.app[DB].read(
        lambda s: figures(s, principal, query.district_id, now)))


@routes.get("/api/baobao/visits")
async def get_visits(request: web.Request) -> web.Response:
    principal = await principal_of(request, READS_FIGURES, "read 包保 visits")
    query = validate_query(b.VisitsQuery, request.query)

    def work(session: Session) -> dict[str, Any]:
        stmt = select(BaobaoVisit)
        if query.business_id:
            stmt = stmt.where(BaobaoVisit.business_id
                              == _business(session, principal, query.business_id).id)
        scope = principal.district_scope
        if scope is not None:
            stmt = stmt.where(BaobaoVisit.district_id == scope)
        rows = session.scalars(stmt.order_by(BaobaoVisit.started_at.desc())
                               .limit(query.limit))
        return {"visits": [visit_payload(v) for v in rows]}

    return web.json_response(await request.app[DB].read(work))


@routes.get("/api/checklists")
async def get_checklists(request: web.Request) -> web.Response:
    await principal_of(request, READS_FIGURES, "read checklists")
    query = validate_query(b.ChecklistsQuery, request.query)
    categories = [query.category] if query.category else list(get_args(Category))

    def work(session: Session) -> dict[str, Any]:
        out = []
        for category in categories:
            version, items = current_checklist(session, category)
            out.append({"category": category, "version": version, "items": items})
        return {"checklists": out}

    return web.json_response(await request.app[DB].read(work))


@routes.get("/api/views")
async def get_views(request: web.Request) -> web.Response:
    """The looks at a business's cameras, or one user's: newest first, with the viewer's
    display name (what a business card shows as "远程查看：张三 12-07 14:20，3 分钟")."""
    principal = await principal_of(request, READS_FIGURES, "read the viewing record")
    query = validate_query(b.ViewsQuery, request.query)

    def work(session: Session) -> dict[str, Any]:
        stmt = select(ViewRecord)
        if query.business_id:
            _business(session, principal, query.business_id)
            stmt = stmt.where(ViewRecord.business_id == query.business_id)
        if query.user:
            stmt = stmt.where(ViewRecord.user == query.user)
        scope = principal.district_scope
        if scope is not None:
            stmt = stmt.where(ViewRecord.district_id == scope)
        rows = list(session.scalars(stmt.order_by(ViewRecord.started_at.desc())
                                    .limit(query.limit)))
        names = dict(session.execute(select(User.username, User.display_name)
                                     .where(User.username.in_({r.user for r in rows}))).all())
        return {"views": [{"user": r.user, "name": names.get(r.user) or r.user,
                           "business_id": r.business_id, "camera_id": r.camera_id,
                           "source": r.source, "started_at": _iso(r.started_at),
                           "seconds": r.seconds} for r in rows]}

    return web.json_response(await request.app[DB].read(work))
