"""Sessions that end everywhere: what a token was issued for, and the check that ends it.

A token is bound at login to what made it valid: the user's role, district and password (as a
fingerprint of the stored hash). One query, :func:`verdicts`, compares many tokens at once with
the token rows and the users as they are *now*: a logout (token row gone), an expiry, a disabled
account, a changed password, role or district, or a revocation ends the session. Both the HTTP
check (every request, after a cache of at most a second) and the WebSocket sweep
(:class:`SessionWatch`, every ``session_check_s`` on every worker) use it, so a session ends on
every worker process within about a second of the change, whoever made it and however (a
route, a CLI, or an ``UPDATE users`` by hand): nothing needs to be told.

The table is central-internal (like :mod:`central.rule_state`): its own metadata, made by
migration 0004. A token without a row here (issued by an older version) is not accepted. Each
row also says when the session started, when it was last used (written at most once a
minute per session, see :func:`touch`) and from which address: the "signed in now" list.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Column, MetaData, Row, String, Table, delete, select
from sqlalchemy.orm import Session

from central.bulk import rowcount
from central.scope import Principal
from common.aio import wait_event
from db.models import AuthToken, User, UTCDateTime
from domain.clock import utcnow

log = logging.getLogger("kitchenwatch.central.sessions")
T = TypeVar("T")

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
    Column("started_at", UTCDateTime(), nullable=True),
    Column("last_seen_at", UTCDateTime(), nullable=True),
    Column("address", String(64), nullable=True),
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


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored password hash: it changes whenever the password does
    (Argon2 hashes are salted), and reveals nothing the hash itself would not."""
    return hashlib.sha256(b"kw-session|" + (password_hash or "").encode()).hexdigest()[:32]


def start(session: Session, digest: str, user: User, expires_at: datetime,
          address: str = "") -> None:
    """Record a new session for ``user`` (in the login's transaction)."""
    now = utcnow()
    session.execute(session_table.insert().values(
        token_hash=digest, user_id=user.id, role=user.role, district_id=user.district_id,
        password_fp=password_fingerprint(user.password_hash), expires_at=expires_at,
        started_at=now, last_seen_at=now, address=address[:64] or None))


def touch(session: Session, digest: str, at: datetime) -> None:
    """Note that the session of ``digest`` was used at ``at`` (the authenticator calls this at
    most once a minute per session, so a busy console costs one small write a minute)."""
    session.execute(session_table.update().where(session_table.c.token_hash == digest)
                    .values(last_seen_at=at))


def keep_after_password_change(session: Session, digest: str, password_hash: str) -> None:
    """The session that changed its own password stays valid: its fingerprint follows."""
    session.execute(session_table.update().where(session_table.c.token_hash == digest)
                    .values(password_fp=password_fingerprint(password_hash)))


def revoke(session: Session, user_id: str, reason: str = REVOKED, *,
           keep: str | None = None) -> int:
    """End every session of ``user_id`` (in the caller's transaction); returns how many.

    The token rows are deleted (HTTP answers 401 at once on this worker, within the cache
    time on others) and the sessions keep ``reason`` so that WebSockets are closed with it.
    ``keep``: the token digest of a session that stays (a user changing their own password).
    """
    where = [session_table.c.user_id == user_id, session_table.c.ended.is_(None)]
    tokens = [AuthToken.user_id == user_id]
    if keep is not None:
        where.append(session_table.c.token_hash != keep)
        tokens.append(AuthToken.token_hash != keep)
    ended = rowcount(session.execute(session_table.update().where(*where).values(ended=reason)))
    session.execute(delete(AuthToken).where(*tokens))
    return ended


def end_one(session: Session, digest: str, reason: str = REVOKED) -> str | None:
    """End the one session ``digest`` (an administrator's "end session"); returns its user id,
    or None when there is no such live session."""
    user_id = session.scalar(select(session_table.c.user_id).where(
        session_table.c.token_hash == digest, session_table.c.ended.is_(None)))
    if user_id is None:
        return None
    session.execute(session_table.update().where(session_table.c.token_hash == digest)
                    .values(ended=reason))
    session.execute(delete(AuthToken).where(AuthToken.token_hash == digest))
    return str(user_id)


@dataclass(frozen=True)
class SignedIn:
    """One live session, as the "signed in now" list shows it. ``session_id`` is a digest of
    the token digest: enough to end the session, useless to log in with or to look it up."""

    session_id: str
    user_id: str
    username: str
    display_name: str
    role: str
    district_id: str | None
    started_at: datetime | None
    last_seen_at: datetime | None
    address: str

    def to_json(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "user_id": self.user_id,
                "username": self.username, "display_name": self.display_name,
                "role": self.role, "district_id": self.district_id,
                "started_at": self.started_at.isoformat() if self.started_at else None,
                "last_seen_at": self.last_seen_at.isoformat() if self.last_seen_at else None,
                "address": self.address}


def public_id(digest: str) -> str:
    """The id under which a session is listed and ended (never the token's own digest)."""
    return hashlib.sha256(b"kw-session-id|" + digest.encode()).hexdigest()[:32]


def signed_in(session: Session, district_id: str | None = None,
              now: datetime | None = None) -> list[SignedIn]:
    """Every live session (not ended, not expired, token present, account active), newest use
    first; only those of users in ``district_id`` when it is given."""
    now = now or utcnow()
    s, u = session_table, User.__table__
    query = (select(s.c.token_hash, s.c.started_at, s.c.last_seen_at, s.c.address,
                    u.c.id, u.c.username, u.c.display_name, u.c.role, u.c.district_id)
             .select_from(s)
             .join(AuthToken, AuthToken.token_hash == s.c.token_hash)
             .join(u, u.c.id == s.c.user_id)
             .where(s.c.ended.is_(None), s.c.expires_at > now, u.c.active.is_(True)))
    if district_id is not None:
        query = query.where(u.c.district_id == district_id)
    rows = session.execute(query).all()
    out = [SignedIn(public_id(r.token_hash), r.id, r.username, r.display_name or "", r.role,
                    r.district_id, r.started_at, r.last_seen_at, r.address or "")
           for r in rows]
    out.sort(key=lambda x: x.last_seen_at or x.started_at or now, reverse=True)
    return out


def digest_of(session: Session, session_id: str) -> str | None:
    """The token digest of the listed session ``session_id`` (None: no such live session).
    Linear in live sessions: an administrator's click, not a hot path."""
    for digest in session.scalars(select(session_table.c.token_hash)
                                  .where(session_table.c.ended.is_(None))):
        if public_id(digest) == session_id:
            return str(digest)
    return None


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
                   u.c.district_id.label("user_district"), u.c.password_hash, u.c.active,
                   u.c.must_change_password)
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
    return Verdict(Principal(row.id, row.username, row.user_role, row.user_district,
                             bool(row.must_change_password)),
                   row.expires_at, None)


@dataclass(eq=False)
class _Watched:
    digest: str
    on_end: Callable[[str], None]


class _Reads(Protocol):
    """What the watch needs of :class:`central.database.Database` (typed here, not imported:
    the database creates this module's table, and tests/test_layering.py refuses cycles)."""

    async def read(self, work: Callable[[Session], T]) -> T: ...


class SessionWatch:
    """This worker's open WebSockets by token, re-checked together every ``interval_s``.

    ``watch`` registers a socket with a callback that is called once, with the reason, when
    its session ends; the WebSocket handler then closes the socket with 4401.
    """

    def __init__(self, db: _Reads, interval_s: float) -> None:
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
