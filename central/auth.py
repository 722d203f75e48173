"""Login, tokens and throttling.

Passwords are hashed with Argon2id (memory-hard), verified on a thread outside both the event
loop and the database writer (a verification costs tens of milliseconds of CPU). Tokens are
random; only their SHA-256 is stored, so a copy of the database lets nobody log in. Repeated
failures for one username from one address, or from one address for any username, are
throttled with a 429 and the seconds to wait, without revealing whether the name exists.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from central.context import AUTH, CONFIG, DB, bearer_token, principal_of
from central.database import Database
from central.errors import ApiError, read_object
from central.schemas.auth import LoginRequest
from central.schemas.common import validate
from central.scope import Principal
from db.models import AuthToken, User, utcnow

log = logging.getLogger("kitchenwatch.central.auth")
routes = web.RouteTableDef()

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)  # OWASP minimum
_DUMMY_HASH = _hasher.hash("timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginThrottle:
    """Allows ``limit`` failures per key within ``window_s``; then refuses until one expires."""

    def __init__(self, window_s: float = 300.0) -> None:
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, limits: dict[str, int]) -> float:
        """Seconds to wait before another attempt with these keys (0 = go ahead)."""
        now = time.monotonic()
        wait = 0.0
        for key, limit in limits.items():
            hits = self._failures.get(key)
            if not hits:
                continue
            while hits and now - hits[0] > self.window_s:
                hits.popleft()
            if len(hits) >= limit:
                wait = max(wait, self.window_s - (now - hits[-limit]))
        return wait

    def failed(self, keys: list[str]) -> None:
        now = time.monotonic()
        for key in keys:
            self._failures.setdefault(key, deque(maxlen=1000)).append(now)
        if len(self._failures) > 100_000:  # keep memory bounded under a spray of names
            oldest = sorted(self._failures, key=lambda k: self._failures[k][-1])
            for key in oldest[: len(oldest) // 2]:
                del self._failures[key]

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: datetime
    user: dict[str, str | None]


def user_json(user: User) -> dict[str, str | None]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "district_id": user.district_id}


class Authenticator:
    """Checks passwords and tokens; caches valid tokens briefly to spare the database."""

    def __init__(self, db: Database, lifetime: timedelta, throttle: LoginThrottle,
                 per_user: int, per_address: int, cache_s: float) -> None:
        self.db = db
        self.lifetime = lifetime
        self.throttle = throttle
        self.per_user = per_user
        self.per_address = per_address
        self.cache_s = cache_s
        self._cache: dict[str, tuple[Principal, datetime, float]] = {}

    async def login(self, username: str, password: str, address: str) -> LoginResult:
        limits = {f"user:{username}|{address}": self.per_user,
                  f"addr:{address}": self.per_address}
        wait = self.throttle.retry_after(limits)
        if wait > 0:
            raise ApiError(429, "throttled",
                           f"too many failed logins; try again in {int(wait) + 1} s",
                           retry_after=int(wait) + 1)

        def fetch(session: Session) -> tuple[str, str, bool] | None:
            user = session.scalar(select(User).where(User.username == username))
            return None if user is None else (user.id, user.password_hash, user.active)

        found = await self.db.read(fetch)
        stored = found[1] if found and found[1] else _DUMMY_HASH
        ok = await asyncio.get_running_loop().run_in_executor(
            None, verify_password, stored, password)
        if not ok or found is None or not found[2] or not found[1]:
            self.throttle.failed(list(limits))
            log.info("failed login for %r from %s", username, address)
            raise ApiError(401, "bad_credentials", "wrong username or password")
        self.throttle.succeeded(f"user:{username}|{address}")
        token = secrets.token_urlsafe(32)
        expires = utcnow() + self.lifetime
        user_id = found[0]

        def store(session: Session) -> dict[str, str | None]:
            session.execute(delete(AuthToken).where(AuthToken.expires_at < utcnow()))
            session.add(AuthToken(token_hash=token_hash(token), user_id=user_id,
                                  expires_at=expires))
            user = session.get(User, user_id)
            assert user is not None
            return user_json(user)

        user = await self.db.write(store)
        log.info("user %s (%s) logged in from %s", username, user["role"], address)
        return LoginResult(token, expires, user)

    async def authenticate(self, token: str) -> Principal:
        digest = token_hash(token)
        cached = self._cache.get(digest)
        now = utcnow()
        if cached is not None:
            principal, expires, at = cached
            if expires <= now:
                self._cache.pop(digest, None)
                raise ApiError(401, "token_expired", "the session has expired; log in again")
            if time.monotonic() - at < self.cache_s:
                return principal

        def check(session: Session) -> tuple[Principal, datetime]:
            row = session.get(AuthToken, digest)
            if row is None:
                raise ApiError(401, "invalid_token",
                               "unknown or logged-out token; log in again")
            if row.expires_at <= utcnow():
                raise ApiError(401, "token_expired", "the session has expired; log in again")
            user = session.get(User, row.user_id)
            if user is None or not user.active:
                raise ApiError(401, "account_disabled", "the account is disabled")
            return Principal(user.id, user.username, user.role, user.district_id), \
                row.expires_at

        try:
            principal, expires = await self.db.read(check)
        except ApiError:
            self._cache.pop(digest, None)
            raise
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[digest] = (principal, expires, time.monotonic())
        return principal

    async def logout(self, token: str) -> None:
        digest = token_hash(token)
        self._cache.pop(digest, None)
        await self.db.write(lambda s: s.execute(
            delete(AuthToken).where(AuthToken.token_hash == digest)))


def create_authenticator(app: web.Application) -> Authenticator:
    cfg = app[CONFIG]
    return Authenticator(app[DB], cfg.token_lifetime, LoginThrottle(cfg.login_window_s),
                         cfg.login_failures_per_user, cfg.login_failures_per_address,
                         cfg.token_cache_s)


@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    body = await read_object(request, 64 * 1024, '{"username", "password"}')
    credentials = validate(LoginRequest, body)  # the message never echoes the password
    result = await request.app[AUTH].login(credentials.username, credentials.password,
                                           request.remote or "unknown")
    return web.json_response({"token": result.token, "expires_at": result.expires_at.isoformat(),
                              "user": result.user})


@routes.post("/api/logout")
async def logout(request: web.Request) -> web.Response:
    await principal_of(request)
    await request.app[AUTH].logout(bearer_token(request))
    return web.json_response({"status": "logged_out"})


@routes.get("/api/me")
async def me(request: web.Request) -> web.Response:
    p = await principal_of(request)
    return web.json_response({"id": p.user_id, "username": p.username, "role": p.role,
                              "district_id": p.district_id})
