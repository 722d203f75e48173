"""Login throttling kept in the database, so it holds across worker processes.

Each login attempt is *counted before the password is checked*, in one write transaction
(serialised on every backend: SQLite's single writer, PostgreSQL's writers' lock), and the
count is taken back on success. So a burst of concurrent guesses cannot all slip through
between a check and the recording of a failure: once the limit is reached, the next claims are
refused before any of them reaches the password check.

Two kinds of counter (rows of ``central_login_throttle``):

- per account (keyed by a digest of the username, whether or not it exists, so the answer
  reveals nothing): after ``per_account`` failures every further attempt waits a growing delay
  (``base``, 2×, 4× … capped at ``max_delay``). A success resets it.
- per client address: ``per_address`` failures for accounts that never logged in from there
  block the address, with the same growing delay. Someone spraying names from one address is
  stopped; colleagues behind the same address (one NAT for a whole bureau) are not: an account
  that has logged in successfully from an address before is exempt from that address's limit,
  and counts its failures there on a counter of its own (like OWASP's device cookies), so
  neither a sprayer next door nor a guesser elsewhere locks it out at its usual place.

An "address" is an IPv4 address or an IPv6 /64 (:func:`address_bucket`). Counters are
forgotten after ``forget_s`` without a failure; rows are purged hourly.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from central.bulk import rowcount
from central.errors import ApiError
from db.models import UTCDateTime
from domain.clock import utcnow

metadata = MetaData()
counters = Table(
    "central_login_throttle", metadata,
    Column("key", String(80), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("blocked_until", UTCDateTime(), nullable=True),
    Column("last_at", UTCDateTime(), nullable=False),
)
known_addresses = Table(
    "central_login_known", metadata,
    Column("account", String(64), primary_key=True),  # digest of the username
    Column("address", String(64), primary_key=True),
    Column("last_success", UTCDateTime(), nullable=False),
)


def address_bucket(address: str) -> str:
    """The unit an address limit counts: an IPv4 address, or an IPv6 /64 (one household or
    office gets a whole /64 and may rotate through it at will)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_digest(username: str) -> str:
    """Usernames are not stored as typed: people type passwords into the username field."""
    return hashlib.sha256(b"kw-login|" + username.encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """An attempt that was counted: the keys it was counted on, to take back on success."""

    account_key: str
    address_key: str | None  # None: the account is known at this address (exempt)
    account: str
    address: str


@dataclass(frozen=True)
class Policy:
    per_account: int = 5
    per_address: int = 20
    base_delay_s: float = 1.0
    max_delay_s: float = 900.0
    forget_s: float = 86400.0
    known_for_s: float = 90 * 86400.0

    def delay(self, failures: int, limit: int) -> float:
        """The wait after ``failures`` counted attempts (0 below the limit)."""
        if failures < limit:
            return 0.0
        return min(self.max_delay_s, self.base_delay_s * 2.0 ** min(failures - limit, 40))


def throttled(wait_s: float) -> ApiError:
    seconds = max(1, math.ceil(wait_s))
    return ApiError(429, "throttled", f"too many failed logins; try again in {seconds} s",
                    retry_after=seconds)


def _ensure_row(session: Session, key: str, now: datetime) -> None:
    """Insert the counter if missing. It is the transaction's first statement, so on SQLite
    it takes the write lock before anything is read (no stale snapshot between processes)."""
    values = {"key": key, "failures": 0, "blocked_until": None, "last_at": now}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(counters).values(**values).on_conflict_do_nothing())


def claim(session: Session, policy: Policy, username: str, address: str,
          now: datetime | None = None) -> Claim:
    """Count one attempt for ``username`` from ``address``, or raise 429 without counting.

    Must run in a write transaction (``Database.write``), which makes it atomic.
    """
    now = now or utcnow()
    account = account_digest(username)
    address = address_bucket(address)
    known_since = now - timedelta(seconds=policy.known_for_s)
    keys: dict[str, int] = {}
    _ensure_row(session, f"ip:{address[:64]}", now)  # first a write: see _ensure_row
    known = session.execute(
        select(known_addresses.c.last_success)
        .where(known_addresses.c.account == account,
               known_addresses.c.address == address[:64])).scalar()
    if known is not None and known >= known_since:
        pair = hashlib.sha256(f"{account}|{address}".encode()).hexdigest()
        keys[f"k:{pair}"] = policy.per_account
    else:
        keys[f"a:{account}"] = policy.per_account
        keys[f"ip:{address[:64]}"] = policy.per_address
    for key in keys:
        _ensure_row(session, key, now)
    rows = {r.key: r for r in session.execute(
        select(counters).where(counters.c.key.in_(list(keys))).with_for_update())}
    forget = now - timedelta(seconds=policy.forget_s)
    wait = 0.0
    for key in keys:
        row = rows[key]
        if row.blocked_until is not None and row.blocked_until > now and row.last_at >= forget:
            wait = max(wait, (row.blocked_until - now).total_seconds())
    if wait > 0:
        raise throttled(wait)
    for key, limit in keys.items():
        row = rows[key]
        failures = (0 if row.last_at < forget else row.failures) + 1
        delay = policy.delay(failures, limit)
        session.execute(counters.update().where(counters.c.key == key).values(
            failures=failures, last_at=now,
            blocked_until=now + timedelta(seconds=delay) if delay else None))
    account_key = next(iter(keys))
    address_key = next((k for k in keys if k.startswith("ip:")), None)
    return Claim(account_key, address_key, account, address)


def failed(session: Session, policy: Policy, attempt: Claim,
           now: datetime | None = None) -> None:
    """A claim whose password was wrong: a block it started runs from now, the answer, rather
    than from the claim (a slow password check must not eat the wait)."""
    now = now or utcnow()
    keys = {attempt.account_key: policy.per_account}
    if attempt.address_key is not None:
        keys[attempt.address_key] = policy.per_address
    # A write first: on SQLite it takes the write lock before the read (see _ensure_row).
    session.execute(counters.update().where(counters.c.key.in_(list(keys)))
                    .values(last_at=counters.c.last_at))
    for key, limit in keys.items():
        row = session.execute(select(counters.c.failures, counters.c.blocked_until)
                              .where(counters.c.key == key).with_for_update()).first()
        if row is None or row.blocked_until is None:
            continue
        until = now + timedelta(seconds=policy.delay(row.failures, limit))
        if until > row.blocked_until:
            session.execute(counters.update().where(counters.c.key == key)
                            .values(blocked_until=until))


def succeeded(session: Session, policy: Policy, attempt: Claim,
              now: datetime | None = None) -> None:
    """Take back a claim whose password was right: the account's counter is reset, the
    address's loses this attempt, and the account is known at this address from now on."""
    now = now or utcnow()
    session.execute(delete(counters).where(counters.c.key == attempt.account_key))
    if attempt.address_key is not None:
        row = session.execute(select(counters.c.failures)
                              .where(counters.c.key == attempt.address_key)
                              .with_for_update()).first()
        if row is not None:
            failures = max(0, row.failures - 1)
            values: dict[str, object] = {"failures": failures}
            if failures < policy.per_address:
                values["blocked_until"] = None
            session.execute(counters.update().where(counters.c.key == attempt.address_key)
                            .values(**values))
    address = attempt.address[:64]
    updated = rowcount(session.execute(known_addresses.update().where(
        known_addresses.c.account == attempt.account,
        known_addresses.c.address == address).values(last_success=now)))
    if not updated:
        session.execute(known_addresses.insert().values(
            account=attempt.account, address=address, last_success=now))


def purge(session: Session, policy: Policy, now: datetime | None = None) -> int:
    """Forget counters and known addresses past their time (the hourly clean-up)."""
    now = now or utcnow()
    n = rowcount(session.execute(delete(counters).where(
        counters.c.last_at < now - timedelta(seconds=policy.forget_s))))
    n += rowcount(session.execute(delete(known_addresses).where(
        known_addresses.c.last_success < now - timedelta(seconds=policy.known_for_s))))
    return n
