"""Accounts as actions (``user.create|update|disable|enable|reset_password``, ``session.end``)
and ``GET /api/sessions`` ("who is signed in now").

Only administrators act on accounts. A *district admin* (role ``admin`` with a district) acts
within their district only: the account it touches, and the account as it will be, belong to
that district; it can therefore neither create a city-wide account nor make anyone a
city-wide admin. Nobody disables themselves, and the last active city-wide admin can be
neither disabled nor demoted: a city must always have someone who can administer it.

Every change is audited, goes through the change feed (``user`` rows, without the password
hash) and ends the sessions it invalidates (:mod:`central.sessions` ends them on every worker
within the sweep bound, closing WebSockets too). Passwords are checked against
:mod:`domain.passwords`; they are hashed inside the write transaction (an administrator's
click, tens of milliseconds) and never appear in a reply, an audit entry or a log line.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central import auth, changes, sessions
from central.context import DB, principal_of
from central.errors import ApiError, forbidden, not_found
from central.schemas import accounts as s
from central.scope import Principal
from db.models import AuditEntry, District, Street, User
from db.serialize import to_payload
from domain import passwords
from domain.clock import utcnow
from domain.ids import new_id
from domain.roles import Role

routes = web.RouteTableDef()

#: Roles whose accounts belong to one district (a district is required).
DISTRICT_ROLES = frozenset({Role.DISTRICT, Role.FIELD})
#: Roles that are city-wide by nature (a district is refused).
CITYWIDE_ROLES = frozenset({Role.OPERATOR, Role.VIEWER})
#: 422 code of a district that does not fit the role (a rule between two fields that the
#: payload's JSON Schema does not state; weak_password is the other such refusal).
SCOPE_MISMATCH = "scope_mismatch"


def _require_admin(principal: Principal, doing: str) -> None:
    if principal.role != Role.ADMIN:
        raise forbidden(f"role {principal.role} may not {doing}")


def _administered(session: Session, principal: Principal, user_id: str) -> User:
    """The account ``user_id`` if the caller administers it (404 otherwise: a district admin
    does not learn of other districts' accounts)."""
    user = session.get(User, user_id)
    if user is None or (principal.district_id is not None
                        and user.district_id != principal.district_id):
        raise not_found("user", user_id)
    return user


def _check_place(session: Session, principal: Principal, role: str, district_id: str | None,
                 street_id: str | None) -> None:
    """The account as it will be: a scope that fits its role, inside the caller's district."""
    if role in DISTRICT_ROLES and district_id is None:
        raise ApiError(422, SCOPE_MISMATCH, f"payload.district_id: a {role} account needs a "
                                            f"district")
    if role in CITYWIDE_ROLES and district_id is not None:
        raise ApiError(422, SCOPE_MISMATCH, f"payload.district_id: a {role} account is "
                                            f"city-wide; leave it empty")
    if principal.district_id is not None and district_id != principal.district_id:
        raise forbidden(f"a district administrator creates and edits accounts of district "
                        f"{principal.district_id} only"
                        + (" (not city-wide ones)" if district_id is None else ""))
    if district_id is not None and session.get(District, district_id) is None:
        raise ApiError(404, "not_found", f"payload.district_id: no district {district_id!r}")
    if street_id is not None:
        street = session.get(Street, street_id)
        if street is None or street.district_id != district_id:
            raise ApiError(404, "not_found", f"payload.street_id: no street {street_id!r} in "
                                             f"district {district_id or '(none)'}")


def _citywide_admins(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.district_id.is_(None), User.active.is_(True))) or 0)


def _keeps_a_citywide_admin(session: Session, user: User) -> None:
    """Refuse to take away the last active city-wide admin (the caller is about to)."""
    if (user.role == Role.ADMIN and user.district_id is None and user.active
            and _citywide_admins(session) <= 1):
        raise ApiError(409, "last_admin", f"{user.username} is the last active city-wide "
                                          f"administrator; make another one first")


def _checked_password(password: str, username: str) -> str:
    verdict = passwords.check(password, username)
    if not verdict.ok:
        raise ApiError(422, "weak_password", f"payload.password: {verdict.message()}",
                       reasons=list(verdict.reasons))
    return auth.hash_password(password)


def _audit(session: Session, principal: Principal, action: str, user: User,
           detail: str = "") -> None:
    entry = AuditEntry(district_id=user.district_id or "", user=principal.username,
                       action=action, detail=f"{user.username}{': ' if detail else ''}{detail}"
                       [:2000], ts=utcnow())
    session.add(entry)
    changes.record(session, entry)


def _bump(session: Session, user: User) -> None:
    user.version += 1
    changes.record(session, user)


def _reply(user: User, **extra: Any) -> dict[str, Any]:
    return {"user": to_payload(user), **extra}


# --------------------------------------------------------------------------- handlers
# Each takes (session, ActionContext, payload); only ``ctx.principal`` is used.


def user_create(session: Session, ctx: Any, payload: s.UserCreate) -> dict[str, Any]:
    principal: Principal = ctx.principal
    _require_admin(principal, "create accounts")
    _check_place(session, principal, payload.role, payload.district_id, payload.street_id)
    if session.scalar(select(User.id).where(User.username == payload.username)) is not None:
        raise ApiError(409, "username_taken", f"the user name {payload.username} is taken")
    if payload.id is not None and session.get(User, payload.id) is not None:
        raise ApiError(409, "id_taken", f"an account with id {payload.id} exists")
    user = User(id=payload.id or new_id(), username=payload.username,
                display_name=payload.display_name.strip(), role=payload.role,
                district_id=payload.district_id, street_id=payload.street_id,
                phone=payload.phone.strip(),
                password_hash=_checked_password(payload.password, payload.username),
                must_change_password=payload.must_change_password,
                password_changed_at=utcnow(), active=True, version=1)
    session.add(user)
    changes.record(session, user)
    _audit(session, principal, "user.create", user, f"role {user.role}")
    return _reply(user)


def user_update(session: Session, ctx: Any, payload: s.UserUpdate) -> dict[str, Any]:
    principal: Principal = ctx.principal
    _require_admin(principal, "edit accounts")
    user = _administered(session, principal, payload.user_id)
    if payload.expected_version is not None and payload.expected_version != user.version:
        raise ApiError(409, "stale_version", f"the account {user.username} changed meanwhile "
                                             f"(version {user.version})",
                       current=to_payload(user))
    given = payload.model_fields_set
    role = payload.role if "role" in given and payload.role is not None else user.role
    district = payload.district_id if "district_id" in given else user.district_id
    street = payload.street_id if "street_id" in given else user.street_id
    if district != user.district_id and "street_id" not in given:
        street = None  # a street of the old district means nothing in the new one
    _check_place(session, principal, role, district, street)
    if (role, district) != (user.role, user.district_id):
        if user.id == principal.user_id:
            raise forbidden("nobody changes their own role or district; ask another "
                            "administrator")
        if role != Role.ADMIN or district is not None:
            _keeps_a_citywide_admin(session, user)
    changed = []
    for name, value in (("role", role), ("district_id", district), ("street_id", street),
                        ("display_name", (payload.display_name or "").strip()
                         if "display_name" in given else user.display_name),
                        ("phone", (payload.phone or "").strip()
                         if "phone" in given else user.phone)):
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if changed:
        _bump(session, user)
        _audit(session, principal, "user.update", user, ", ".join(changed))
    # A new role or district ends the sessions by itself (central.sessions compares them).
    return _reply(user)


def user_disable(session: Session, ctx: Any, payload: s.UserRef) -> dict[str, Any]:
    principal: Principal = ctx.principal
    _require_admin(principal, "disable accounts")
    user = _administered(session, principal, payload.user_id)
    if user.id == principal.user_id:
        raise forbidden("nobody disables their own account")
    if not user.active:
        return _reply(user, sessions_ended=0)
    _keeps_a_citywide_admin(session, user)
    ended = auth.set_active(session, user.id, False)
    _audit(session, principal, "user.disable", user, f"{ended} session(s) ended")
    return _reply(user, sessions_ended=ended)


def user_enable(session: Session, ctx: Any, payload: s.UserRef) -> dict[str, Any]:
    principal: Principal = ctx.principal
    _require_admin(principal, "enable accounts")
    user = _administered(session, principal, payload.user_id)
    if not user.active:
        auth.set_active(session, user.id, True)
        _audit(session, principal, "user.enable", user)
    return _reply(user)


def user_reset_password(session: Session, ctx: Any,
                        payload: s.UserResetPassword) -> dict[str, Any]:
    principal: Principal = ctx.principal
    _require_admin(principal, "reset passwords")
    user = _administered(session, principal, payload.user_id)
    if user.id == principal.user_id:
        raise forbidden("change your own password with your current one (POST /api/password)")
    ended = auth.reset_password(session, user.id,
                                _checked_password(payload.password, user.username))
    _audit(session, principal, "user.reset_password", user,
           f"must change at next login; {ended} session(s) ended")
    return _reply(user, sessions_ended=ended)


def session_end(session: Session, ctx: Any, payload: s.SessionEnd) -> dict[str, Any]:
    principal: Principal = ctx.principal
    _require_admin(principal, "end sessions")
    digest = sessions.digest_of(session, payload.session_id)
    owner = session.scalar(select(sessions.session_table.c.user_id).where(
        sessions.session_table.c.token_hash == digest)) if digest else None
    if digest is None or owner is None:
        raise not_found("session", payload.session_id)
    user = _administered(session, principal, str(owner))
    sessions.end_one(session, digest, sessions.REVOKED)
    _audit(session, principal, "session.end", user, "1 session ended")
    return {"user_id": user.id, "sessions_ended": 1}


def end_sessions(session: Session, principal: Principal, user_id: str) -> int:
    """Log ``user_id`` out everywhere (the command line's ``users end-sessions``)."""
    user = _administered(session, principal, user_id)
    ended = sessions.revoke(session, user.id, sessions.REVOKED)
    _audit(session, principal, "session.end", user, f"{ended} session(s) ended")
    return ended


HANDLERS: dict[str, Any] = {
    "user.create": user_create,
    "user.update": user_update,
    "user.disable": user_disable,
    "user.enable": user_enable,
    "user.reset_password": user_reset_password,
    "session.end": session_end,
}
assert HANDLERS.keys() == s.PAYLOADS.keys(), "every account action has a payload model"


@routes.get("/api/sessions")
async def signed_in(request: web.Request) -> web.Response:
    """Who is signed in now: city-wide for a city-wide admin, one district for a district
    admin (the district's accounts); every other role 403."""
    principal = await principal_of(request, frozenset({Role.ADMIN}), "list sessions")
    rows = await request.app[DB].read(
        lambda session: sessions.signed_in(session, principal.district_id))
    return web.json_response({"sessions": [r.to_json() for r in rows]})
