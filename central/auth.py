"""Login, tokens, and the end of sessions.

Passwords are hashed with Argon2id (memory-hard), verified on a thread outside both the event
loop and the database writer (a verification costs tens of milliseconds of CPU). Tokens are
random; only their SHA-256 is stored, so a copy of the database lets nobody log in. Every
attempt is counted in the database before its password is checked (:mod:`central.throttle`);
every token is checked against what it was issued for (:mod:`central.sessions`), so a logout,
expiry, password reset, disabled account or changed role ends it on every worker.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from central import changes, sessions, throttle
from central.client_address import client_address
from central.context import AUTH, CONFIG, DB, bearer_token, principal_of
from central.database import Database
from central.errors import ApiError, read_object
from central.schemas.auth import LoginRequest, PasswordChange
from central.schemas.common import validate
from central.scope import Principal
from central.sessions import SessionWatch
from db.models import AuthToken, User
from domain import passwords
from domain.clock import utcnow

log = logging.getLogger("kitchenwatch.central.auth")
routes = web.RouteTableDef()

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)  # OWASP minimum
_DUMMY_HASH = _hasher.hash("timing-equaliser")
MAX_CACHE_S = 1.0  # with the 0.5 s sweep, a session ends everywhere within 2 s
SEEN_EVERY_S = 60.0  # how often a session's "last seen" is written at most


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    # surrogatepass: a header byte that is not UTF-8 reaches us as a lone surrogate; such a
    # token is simply unknown (401), never a 500.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: datetime
    user: dict[str, str | bool | None]


def user_json(user: User) -> dict[str, str | bool | None]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "district_id": user.district_id,
            "must_change_password": bool(user.must_change_password)}


_REFUSALS = {
    sessions.UNKNOWN: ("invalid_token", "unknown or logged-out token; log in again"),
    sessions.LOGGED_OUT: ("invalid_token", "unknown or logged-out token; log in again"),
    sessions.EXPIRED: ("token_expired", "the session has expired; log in again"),
    sessions.DISABLED: ("account_disabled", "the account is disabled"),
}


def refusal(reason: str) -> ApiError:
    """The 401 for a session that ended for ``reason`` (body ``reason`` says which)."""
    code, message = _REFUSALS.get(reason, (
        "session_ended", f"the session ended ({sessions.REASON_TEXT.get(reason, reason)}); "
                         f"log in again"))
    return ApiError(401, code, message, reason=reason)


class Authenticator:
    """Checks passwords and tokens; caches valid tokens for at most a second.

    ``verify`` is the password check (replaceable so that tests can count the verifications
    and hold them at a barrier); ``watch`` ends this worker's WebSockets whose session ended.
    """

    def __init__(self, db: Database, lifetime: timedelta, policy: throttle.Policy,
                 cache_s: float, session_check_s: float) -> None:
        self.db = db
        self.lifetime = lifetime
        self.policy = policy
        self.cache_s = min(cache_s, MAX_CACHE_S)
        self._cache: dict[str, tuple[Principal, datetime, float]] = {}
        self.watch = SessionWatch(db, session_check_s)
        self.verify: Callable[[str, str], bool] = verify_password
        self._seen: dict[str, float] = {}  # token digest -> monotonic time last_seen was written

    async def login(self, username: str, password: str, address: str) -> LoginResult:
        attempt = await self.db.write(
            lambda s: throttle.claim(s, self.policy, username, address))  # 429, or counted

        def fetch(session: Session) -> tuple[str, str, bool] | None:
            user = session.scalar(select(User).where(User.username == username))
            return None if user is None else (user.id, user.password_hash, user.active)

        found = await self.db.read(fetch)
        stored = found[1] if found and found[1] else _DUMMY_HASH
        ok = await asyncio.get_running_loop().run_in_executor(None, self.verify, stored,
                                                              password)
        if not ok or found is None or not found[2] or not found[1]:
            # An unknown name is not logged: it may be a password typed into the wrong field.
            log.info("failed login for %s from %s",
                     repr(username) if found else "an unknown username", address)
            await self.db.write(lambda s: throttle.failed(s, self.policy, attempt))
            raise ApiError(401, "bad_credentials", "wrong username or password")
        token = secrets.token_urlsafe(32)
        expires = utcnow() + self.lifetime
        user_id, verified_hash = found[0], found[1]

        def store(session: Session) -> dict[str, str | bool | None]:
            user = session.get(User, user_id)
            if user is None or not user.active or user.password_hash != verified_hash:
                # disabled or given a new password while the old one was being checked
                raise ApiError(401, "bad_credentials", "wrong username or password")
            throttle.succeeded(session, self.policy, attempt)
            session.execute(delete(AuthToken).where(AuthToken.expires_at < utcnow()))
            digest = token_hash(token)
            session.add(AuthToken(token_hash=digest, user_id=user_id, expires_at=expires))
            sessions.start(session, digest, user, expires, address)
            return user_json(user)

        user = await self.db.write(store)
        log.info("user %s (%s) logged in from %s", username, user["role"], address)
        return LoginResult(token, expires, user)

    async def authenticate(self, token: str) -> Principal:
        digest = token_hash(token)
        cached = self._cache.get(digest)
        if cached is not None:
            principal, expires, at = cached
            if expires > utcnow() and time.monotonic() - at < self.cache_s:
                return principal
            self._cache.pop(digest, None)
        verdict = await self.db.read(lambda s: sessions.verdicts(s, [digest])[digest])
        if verdict.reason is not None or verdict.principal is None:
            self._seen.pop(digest, None)
            raise refusal(verdict.reason or sessions.UNKNOWN)
        await self._note_use(digest)
        if self.cache_s > 0:
            if len(self._cache) > 50_000:
                self._cache.clear()
            assert verdict.expires_at is not None
            self._cache[digest] = (verdict.principal, verdict.expires_at, time.monotonic())
        return verdict.principal

    async def _note_use(self, digest: str) -> None:
        """Write the session's "last seen" at most every :data:`SEEN_EVERY_S` on this worker."""
        now = time.monotonic()
        if now - self._seen.get(digest, -SEEN_EVERY_S) < SEEN_EVERY_S:
            return
        if len(self._seen) > 50_000:
            self._seen.clear()
        self._seen[digest] = now
        at = utcnow()
        await self.db.write(lambda s: sessions.touch(s, digest, at))

    def forget(self, digest: str) -> None:
        """Drop this worker's cached verdict of ``digest`` (after a change to its session)."""
        self._cache.pop(digest, None)

    async def change_password(self, token: str, principal: Principal, old: str,
                              new: str) -> int:
        """The caller's own password change: the old password checked (a stolen, unlocked
        console cannot lock its owner out), the policy checked, the other sessions ended;
        this one stays. Returns how many other sessions ended."""
        verdict = passwords.check(new, principal.username)
        if not verdict.ok:
            raise ApiError(422, "weak_password", verdict.message(),
                           reasons=list(verdict.reasons))
        stored = await self.db.read(lambda s: _stored_hash(s, principal.user_id))
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(None, self.verify, stored or _DUMMY_HASH, old):
            raise ApiError(403, "wrong_password", "the current password is wrong")
        if old == new:
            raise ApiError(422, "weak_password", "the new password must differ from the old one",
                           reasons=["unchanged"])
        new_hash = await loop.run_in_executor(None, hash_password, new)
        digest = token_hash(token)

        def work(session: Session) -> int:
            user = _user(session, principal.user_id)
            if user.password_hash != stored:
                raise ApiError(409, "password_changed_meanwhile",
                               "the password was changed meanwhile; log in again")
            user.password_hash = new_hash
            user.must_change_password = False
            user.password_changed_at = utcnow()
            user.version += 1
            changes.record(session, user)
            ended = sessions.revoke(session, user.id, sessions.PASSWORD_CHANGED, keep=digest)
            sessions.keep_after_password_change(session, digest, new_hash)
            return ended

        ended = await self.db.write(work)
        self.forget(digest)
        self.watch.wake()
        log.info("user %s changed their password; %d other session(s) ended",
                 principal.username, ended)
        return ended

    async def logout(self, token: str) -> None:
        digest = token_hash(token)
        self._cache.pop(digest, None)
        await self.db.write(lambda s: s.execute(
            delete(AuthToken).where(AuthToken.token_hash == digest)))
        self.watch.wake()  # this worker's sockets close now; the others' at their next sweep

    async def purge(self) -> None:
        """Forget expired tokens and sessions and old throttle counters (hourly)."""
        def work(session: Session) -> None:
            session.execute(delete(AuthToken).where(AuthToken.expires_at < utcnow()))
            sessions.purge(session)
            throttle.purge(session, self.policy)

        await self.db.write(work)


# ------------------------------------------------------------------ account administration
# Functions for the user-administration routes and CLI (issue 15): each runs in the caller's
# write transaction and ends the user's sessions on every worker within the sweep bound.


def reset_password(session: Session, user_id: str, password_hash: str, *,
                   must_change: bool = True) -> int:
    """Give ``user_id`` a new password (hash it with :func:`hash_password` *before* the
    transaction: Argon2 takes tens of milliseconds) and end all of its sessions; returns how
    many sessions ended. LookupError if there is no such user. The user must change the
    password at the next login (an administrator knows it) unless ``must_change`` is False."""
    user = _user(session, user_id)
    user.password_hash = password_hash
    user.must_change_password = must_change
    user.password_changed_at = utcnow()
    user.version += 1
    changes.record(session, user)
    ended = sessions.revoke(session, user_id, sessions.PASSWORD_CHANGED)
    log.info("password of user %s reset; %d session(s) ended", user.username, ended)
    return ended


def set_active(session: Session, user_id: str, active: bool) -> int:
    """Enable or disable ``user_id``; disabling ends all of its sessions (returns how many)."""
    user = _user(session, user_id)
    if user.active != active:
        user.active = active
        user.version += 1
        changes.record(session, user)
    ended = 0 if active else sessions.revoke(session, user_id, sessions.DISABLED)
    log.info("user %s %s; %d session(s) ended", user.username,
             "enabled" if active else "disabled", ended)
    return ended


def revoke_sessions(session: Session, user_id: str) -> int:
    """Log ``user_id`` out everywhere ("revoked by an administrator")."""
    _user(session, user_id)
    return sessions.revoke(session, user_id, sessions.REVOKED)


def _stored_hash(session: Session, user_id: str) -> str | None:
    return session.scalar(select(User.password_hash).where(User.id == user_id))


def _user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"no user {user_id!r}")
    return user


def create_authenticator(app: web.Application) -> Authenticator:
    cfg = app[CONFIG]
    policy = throttle.Policy(
        per_account=cfg.login_failures_per_account, per_address=cfg.login_failures_per_address,
        base_delay_s=cfg.login_delay_s, max_delay_s=cfg.login_delay_max_s,
        forget_s=cfg.login_forget_s, known_for_s=cfg.login_known_days * 86400.0)
    return Authenticator(app[DB], cfg.token_lifetime, policy, cfg.token_cache_s,
                         cfg.session_check_s)


@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    body = await read_object(request, 64 * 1024, '{"username", "password"}')
    credentials = validate(LoginRequest, body)  # the message never echoes the password
    result = await request.app[AUTH].login(credentials.username, credentials.password,
                                           client_address(request))
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
                              "district_id": p.district_id,
                              "must_change_password": p.must_change_password})


@routes.post("/api/password")
async def change_password(request: web.Request) -> web.Response:
    """The caller's own new password (the only way out of "must change the password")."""
    principal = await principal_of(request)
    body = await read_object(request, 64 * 1024, '{"old_password", "new_password"}')
    change = validate(PasswordChange, body)  # the message never echoes a password
    ended = await request.app[AUTH].change_password(
        bearer_token(request), principal, change.old_password, change.new_password)
    return web.json_response({"status": "changed", "other_sessions_ended": ended})
