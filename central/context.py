"""Typed application keys and the small request helpers every route module shares."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from central.config import CONFIG as CONFIG  # re-exported: the routes take it from here
from central.database import Database
from central.errors import ApiError, malformed
from central.evaluator import RuleEngine
from central.hub import Hub
from central.publisher import Publisher
from central.scope import Principal

if TYPE_CHECKING:
    from central.auth import Authenticator  # central.auth imports this module

DB = web.AppKey("db", Database)
HUB = web.AppKey("hub", Hub)
PUBLISHER = web.AppKey("publisher", Publisher)
RULES = web.AppKey("rules", RuleEngine)
AUTH: web.AppKey[Authenticator] = web.AppKey("auth")

PRINCIPAL_KEY = web.RequestKey("principal", Principal)
# What a session whose password must be changed may still call.
PENDING_PASSWORD_ROUTES = frozenset({"/api/me", "/api/password", "/api/logout"})


def bearer_token(request: web.Request) -> str:
    """The token from ``Authorization: Bearer`` or, for WebSockets, ``?token=``."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.query.get("token", "")


async def principal_of(request: web.Request, roles: frozenset[str] | None = None,
                       doing: str = "") -> Principal:
    """The authenticated caller (401 otherwise); 403 if ``roles`` is given and not matched."""
    principal = request.get(PRINCIPAL_KEY)
    if principal is None:
        token = bearer_token(request)
        if not token:
            raise ApiError(401, "not_logged_in",
                           "not logged in: send 'Authorization: Bearer <token>' from /api/login")
        principal = await request.app[AUTH].authenticate(token)
        request[PRINCIPAL_KEY] = principal
    if principal.must_change_password and request.path not in PENDING_PASSWORD_ROUTES:
        raise ApiError(403, "password_change_required",
                       "the password must be changed first (an administrator set it): "
                       "POST /api/password with the old and the new password")
    if roles is not None and principal.role not in roles:
        raise ApiError(403, "forbidden", f"role {principal.role} may not {doing}")
    return principal


def query_int(request: web.Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise malformed(f"query parameter {name}: expected an integer, got {raw!r}") from exc
    if not lo <= value <= hi:
        raise malformed(f"query parameter {name}: must be between {lo} and {hi}, got {value}")
    return value


def parse_time(value: Any, field: str, *, status: int = 422) -> datetime:
    """An aware datetime from an ISO-8601 string with a UTC offset."""
    if not isinstance(value, str):
        raise ApiError(status, "invalid_payload" if status == 422 else "bad_request",
                       f"{field}: expected an ISO-8601 timestamp with a UTC offset, "
                       f"got {type(value).__name__}")
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z")
                                    else value)
    except ValueError as exc:
        raise ApiError(status, "invalid_payload" if status == 422 else "bad_request",
                       f"{field}: {value!r} is not an ISO-8601 timestamp") from exc
    if ts.tzinfo is None:
        raise ApiError(status, "invalid_payload" if status == 422 else "bad_request",
                       f"{field}: timestamp {value!r} lacks a UTC offset (add +00:00 or Z)")
    return ts
