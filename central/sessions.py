"""Sessions that end everywhere: what a token was issued for, and the check that ends it.

A token is bound at login to what made it valid: the user's role, district and password (as a
fingerprint of the stored hash). One query, :func:`verdicts`, compares many tokens at once with
the token rows and the users as they are *now*: a logout (token row gone), an expiry, a disabled
account, a changed password, role or district, or a revocation ends the session. Both the HTTP
check (every request, after a cache of at most a second) and the WebSocket sweep
(:class:`SessionWatch`, every ``session_check_s`` on every worker) use it, so a session ends on
every worker process within about a second of the change, whoever made it and however (a
route, a CLI, or an ``UPDATE users`` by hand): nothing needs to be told.

The table is central-internal (like :mod:`central.rule_state`): its own metadata, created on
start-up if missing. A token without a row here (issued by an older version) is not accepted.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, MetaData, Row, String, Table, delete, select
from sqlalchemy.orm import Session

from central.bulk import rowcount
from central.database import Database
from central.scope import Principal
from common.aio import wait_event
from db.models import AuthToken, User, UTCDateTime, utcnow

log = logging.getLogger("kitchenwatch.central.sessions")

metadata = MetaData()
session_table = Table(
    "central_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(32), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("district_id", String(32), nullable=True),
    Column("password_fp", String(32), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("ended", String(32), nullable=True),  # set by revoke(): why central ended it
)

# Why a session ended. The WebSocket close reason is "session ended: " + REASON_TEXT[reason].
UNKNOWN = "unknown_token"
LOGGED_OUT = "logged_out"
EXPIRED = "expired"
DISABLED = "account_disabled"
PASSWORD_CHANGED = "password_changed"
ROLE_CHANGED = "role_changed"
DISTRICT_CHANGED = "district_changed"
REVOKED = "revoked"
REASON_TEXT = {
    UNKNOWN: "logged out", LOGGED_OUT: "logged out", EXPIRED: "expired",
    DISABLED: "account disabled", PASSWORD_CHANGED: "password changed",
    ROLE_CHANGED: "role changed", DISTRICT_CHANGED: "district changed",
    REVOKED: "revoked by an administrator",
}
CLOSE_SESSION_ENDED = 4401  # WebSocket close code; the reason text says why


def create_table(engine: Engine) -> None:
    metadata.create_all(engine, checkfirst=True)


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored password hash: it changes whenever the password does
    (Argon2 hashes are salted), and reveals nothing the hash itself would not."""
    return hashlib.sha256(b"kw-session|" + (password_hash or "").encode()).hexdigest()[:32]


def start(session: Session, digest: str, user: User, expires_at: datetime) -> None:
    """Record a new session for ``user`` (in the login's transaction)."""
    session.execute(session_table.insert().values(
        token_hash=digest, user_id=user.id, role=user.role, district_id=user.district_id,
        password_fp=password_fingerprint(user.password_hash), expires_at=expires_at))


def revoke(session: Session, user_id: str, reason: str = REVOKED) -> int:
    """End every session of ``user_id`` (in the caller's transaction); returns how many.

    The token rows are deleted (HTTP answers 401 at once on this worker, within the cache
    time on others) and the sessions keep ``reason`` so that WebSockets are closed with it.
    """
    ended = rowcount(session.execute(session_table.update()
                                     .where(session_table.c.user_id == user_id,
                                            session_table.c.ended.is_(None))
                                     .values(ended=reason)))
    session.execute(delete(AuthToken).where(AuthToken.user_id == user_id))
    return ended


def purge(session: Session) -> int:
    """Delete sessions past their expiry (the hourly token clean-up)."""
    return rowcount(session.execute(delete(session_table)
                                    .where(session_table.c.expires_at < utcnow())))


@dataclass(frozen=True)
class Verdict:
    """A token as checked now: the caller (when valid) or why its session ended."""

    principal: Principal | None
    expires_at: datetime | None
    reason: str | None  # None = valid


def verdicts(session: Session, digests: Sequence[str],
             now: datetime | None = None) -> dict[str, Verdict]:
    """Check every token of ``digests`` in one query per 500 (see the module docstring)."""
    now = now or utcnow()
    out = {d: Verdict(None, None, UNKNOWN) for d in digests}
    s, u = session_table, User.__table__
    unique = list(dict.fromkeys(digests))
    for start_at in range(0, len(unique), 500):
        rows = session.execute(
            select(s.c.token_hash, s.c.role, s.c.district_id, s.c.password_fp, s.c.ended,
                   AuthToken.token_hash.label("live"), AuthToken.expires_at,
                   u.c.id, u.c.username, u.c.role.label("user_role"),
                   u.c.district_id.label("user_district"), u.c.password_hash, u.c.active)
            .select_from(s)
            .outerjoin(AuthToken, AuthToken.token_hash == s.c.token_hash)
            .outerjoin(u, u.c.id == s.c.user_id)
            .where(s.c.token_hash.in_(unique[start_at:start_at + 500])))
        for row in rows:
            out[row.token_hash] = _judge(row, now)
    return out


def _judge(row: Row[Any], now: datetime) -> Verdict:
    if row.id is None or not row.active:
        return Verdict(None, None, DISABLED)
    if row.ended:
        return Verdict(None, None, row.ended)
    if row.password_fp != password_fingerprint(row.password_hash):
        return Verdict(None, None, PASSWORD_CHANGED)
    if row.role != row.user_role:
        return Verdict(None, None, ROLE_CHANGED)
    if row.district_id != row.user_district:
        return Verdict(None, None, DISTRICT_CHANGED)
    if row.live is None:
        return Verdict(None, None, LOGGED_OUT)
    if row.expires_at <= now:
        return Verdict(None, row.expires_at, EXPIRED)
    return Verdict(Principal(row.id, row.username, row.user_role, row.user_district),
                   row.expires_at, None)


@dataclass(eq=False)
class _Watched:
    digest: str
    on_end: Callable[[str], None]


class SessionWatch:
    """This worker's open WebSockets by token, re-checked together every ``interval_s``.

    ``watch`` registers a socket with a callback that is called once, with the reason, when
    its session ends; the WebSocket handler then closes the socket with 4401.
    """

    def __init__(self, db: Database, interval_s: float) -> None:
        self.db = db
        self.interval_s = interval_s
        self._watched: set[_Watched] = set()
        self._wake = asyncio.Event()
        self.sweeps = 0

    def watch(self, digest: str, on_end: Callable[[str], None]) -> Callable[[], None]:
        """Watch the session of token ``digest``; returns the function that stops watching."""
        item = _Watched(digest, on_end)
        self._watched.add(item)
        return lambda: self._watched.discard(item)

    def wake(self) -> None:
        """Sweep now rather than at the next tick (after a logout on this worker)."""
        self._wake.set()

    def __len__(self) -> int:
        return len(self._watched)

    async def sweep(self) -> int:
        """Check every watched session once; returns how many were ended."""
        watched = list(self._watched)
        if not watched:
            return 0
        found = await self.db.read(lambda s: verdicts(s, [w.digest for w in watched]))
        self.sweeps += 1
        ended = 0
        for item in watched:
            reason = found[item.digest].reason
            if reason is not None and item in self._watched:
                self._watched.discard(item)
                ended += 1
                item.on_end(reason)
        return ended

    async def run(self) -> None:
        """Sweep forever (started by the application on every worker). While the database
        cannot be read the sockets stay open (they receive nothing new either) and the
        failure is logged once, not twice a second."""
        failing = False
        while True:
            await wait_event(self._wake, self.interval_s)
            self._wake.clear()
            try:
                await self.sweep()
            except Exception:
                if not failing:
                    log.exception("session check failed; retrying every %.1f s",
                                  self.interval_s)
                failing = True
            else:
                if failing:
                    log.info("session check works again")
                failing = False
