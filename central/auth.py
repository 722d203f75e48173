"""Login, tokens and throttling.

Passwords are hashed with Argon2id (memory-hard). Tokens are random and only their SHA-256 is
stored, so a copy of the database does not let anyone log in. Repeated failures for a username
or from an address are throttled with a growing wait, without revealing whether the name exists.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import defaultdict, deque
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from central.errors import ApiError
from central.scope import Principal
from db.models import AuthToken, User, utcnow

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginThrottle:
    """Allows ``limit`` failures per key in ``window_s``; then refuses until the window frees."""

    def __init__(self, limit: int = 5, window_s: float = 300.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def retry_after(self, *keys: str) -> float:
        now = time.monotonic()
        wait = 0.0
        for key in keys:
            hits = self._failures.get(key)
            if not hits:
                continue
            while hits and now - hits[0] > self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                wait = max(wait, self.window_s - (now - hits[0]))
        return wait

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._failures[key].append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)


def login(session: Session, username: str, password: str,
          lifetime: timedelta) -> tuple[str, datetime, User] | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    token = secrets.token_urlsafe(32)
    expires = utcnow() + lifetime
    session.execute(delete(AuthToken).where(AuthToken.expires_at < utcnow()))
    session.add(AuthToken(token_hash=_token_hash(token), user_id=user.id, expires_at=expires))
    return token, expires, user


def authenticate(session: Session, token: str) -> Principal:
    row = session.get(AuthToken, _token_hash(token))
    if row is None:
        raise ApiError(401, "invalid_token", "not logged in or the token is unknown")
    if row.expires_at <= utcnow():
        raise ApiError(401, "token_expired", "the session has expired; log in again")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise ApiError(401, "invalid_token", "the account is disabled")
    return Principal(user.id, user.username, user.role, user.district_id)


def user_json(user: User) -> dict[str, str | None]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "district_id": user.district_id}
