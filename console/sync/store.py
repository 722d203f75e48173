"""The console's local database: the synced cache, the sync cursor and the outbox.

One file per (server, user) — a different login never sees, or sends, another's data. All
writes are serialised on ONE worker thread (SQLite has one writer; the UI thread never waits
on disk); UI reads run on a second thread with their own connection, so a big sync page being
written does not hold up a repaint (WAL lets readers and the writer overlap). Both are exposed
as ``async`` methods for the qasync loop.

Guarantees the sync layer builds on:

- A change-feed page is applied and the cursor (and the feed's identity) advanced in one
  transaction: after a crash the cursor never points past data that is not there.
- An operator action's local effect and its outbox row are written in one transaction with
  ``synchronous=FULL``: after a crash, either both exist or neither does.

An unreadable file is moved aside (never deleted) and a fresh one created; ``recovered_from``
tells the caller where the copy is, so the user can be told and the cache resynchronised. The
actions still waiting in the old file's outbox are read back (:mod:`db.salvage`) and queued
again in the new one under their own idempotency keys, so central applies each once even if it
had received it before the damage; ``salvage`` says how many came back and how many rows could
not be read.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, func, inspect, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from db.engine import CorruptDatabaseError, open_sqlite
from db.models import (
    SYNCED_ENTITIES,
    Alarm,
    AuditEntry,
    Business,
    Camera,
    District,
    Grid,
    OutboxAction,
    PatrolRecord,
    Sensor,
    Street,
    SyncState,
    Task,
    TaskEvent,
)
from db.salvage import OutboxSalvage, salvage_outbox
from db.serialize import PayloadError, delete_many, upsert, upsert_many, validated
from domain.alarms import AlarmState
from domain.clock import utcnow
from domain.ids import new_id
from domain.tasks import TaskState

log = logging.getLogger("kitchenwatch.console.sync.store")
T = TypeVar("T")

# SyncState keys.
CURSOR = "cursor"
FEED_ID = "feed_id"
SERVER = "server"
USER = "user"
USER_JSON = "user_json"
LOGIN_VERIFIER = "login_verifier"
LAST_SYNC = "last_sync"

PENDING, ACKED, REJECTED, DISCARDED = "pending", "acked", "rejected", "discarded"
DEFAULT_CACHE_RETENTION = timedelta(days=90)  # finished history kept in the local cache
# Payload fields that are secrets: kept only while the action waits to be delivered (the
# console is offline-safe, so a new account's temporary password must survive a restart), and
# overwritten as soon as central answers, delivered or refused. The outbox keeps delivered rows
# for 30 days (prune_outbox), and the refused ones are shown to the user.
SECRET_FIELDS: dict[str, tuple[str, ...]] = {
    "user.create": ("password",),
    "user.reset_password": ("password",),
}
SCRUBBED = "(removed after delivery)"


def scrubbed(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` without the secrets of ``kind`` (a copy; unchanged if it has none)."""
    secret = [name for name in SECRET_FIELDS.get(kind, ()) if name in payload]
    return {**payload, **{name: SCRUBBED for name in secret}} if secret else payload
_IN_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


@dataclass(frozen=True)
class RegistrySnapshot:
    """Plain rows for the channel tree and the gauges, read in one go."""

    districts: list[dict[str, Any]]
    grids: list[dict[str, Any]]
    businesses: list[dict[str, Any]]
    cameras: list[dict[str, Any]]
    sensors: list[dict[str, Any]]
    streets: list[dict[str, Any]] = field(default_factory=list)  # 街道/乡镇 above the grids


@dataclass(frozen=True)
class AppliedPage:
    """What one applied page changed."""

    cursor: int  # the cursor now stored
    applied: int  # rows written (replays at or below the old cursor are not counted)
    touched: frozenset[str] = frozenset()  # entity names that changed
    alarms: tuple[dict[str, Any], ...] = ()  # alarm payloads that changed, feed order


@dataclass(frozen=True)
class PendingAction:
    id: int
    idem_key: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class RejectedAction:
    id: int
    idem_key: str
    kind: str
    payload: dict[str, Any]
    created_at: datetime
    message: str


@dataclass(frozen=True)
class OutboxCounts:
    pending: int = 0
    rejected: int = 0


def cache_file_name(server: str, username: str) -> str:
    """``operator@10.0.0.5_8750.db``: one cache per login, readable for support staff."""
    def safe(text: str) -> str:
        return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in text)

    host = server.split("://", 1)[-1].rstrip("/")
    return f"{safe(username)}@{safe(host)}.db"


def pending_in_other_caches(directory: Path, current: Path) -> dict[str, int]:
    """Actions still queued in the other cache files of ``directory`` (``user@server`` →
    count): another user's work on this computer, sent only when that user logs in again.
    Read-only and tolerant: a file that cannot be read is skipped."""
    held: dict[str, int] = {}
    for path in sorted(directory.glob("*.db")):
        if path.resolve() == current.resolve():
            continue
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
        except sqlite3.Error:
            continue
        try:
            state = dict(conn.execute("SELECT key, value FROM sync_state "
                                      "WHERE key IN ('server', 'user')").fetchall())
            (count,) = conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'"
                                    ).fetchone()
        except sqlite3.Error:
            continue
        finally:
            conn.close()
        if count:
            who = f"{state.get('user') or path.stem}@{state.get('server') or '?'}"
            held[who] = held.get(who, 0) + int(count)
    return held


def _columns(model: Any) -> list[str]:
    return [c.key for c in inspect(model).columns]


@dataclass
class _Listeners:
    action_recorded: list[Callable[[], None]] = field(default_factory=list)


class LocalStore:
    """Open with ``await LocalStore.async_open(path)`` from the UI (the file check, the
    migration and a possible recovery run off the UI thread), or ``LocalStore(path)`` from
    worker code and tests."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered_from: Path | None = None
        self.recovery_reason = ""
        self.salvage: OutboxSalvage | None = None  # queued actions read back after a recovery
        try:
            self.engine = open_sqlite(path)
        except CorruptDatabaseError as exc:
            self.recovered_from, self.recovery_reason = exc.moved_to, exc.reason
            log.error("local database %s was unreadable (%s); kept it as %s and started a "
                      "fresh one", path, exc.reason, exc.moved_to)
            self.engine = open_sqlite(path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.recovered_from is not None:
            self.salvage = salvage_outbox(self.recovered_from)
            self._tx(self._requeue)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-db-write")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-db-read")
        self._listeners = _Listeners()
        self._closed = False

    def _requeue(self, session: Session) -> None:
        """Queue the salvaged actions again, in their order, under their own keys."""
        assert self.salvage is not None
        known = set(session.scalars(select(OutboxAction.idem_key)))
        added = 0
        for action in self.salvage.actions:
            if action.idem_key in known:
                continue
            known.add(action.idem_key)
            session.add(OutboxAction(idem_key=action.idem_key, kind=action.kind,
                                     payload=action.payload, created_at=action.created_at,
                                     state=PENDING))
            added += 1
        log.warning("queued %d action(s) recovered from %s again; %d outbox row(s) could not "
                    "be read%s", added, self.salvage.source, self.salvage.unreadable,
                    f" ({self.salvage.error})" if self.salvage.error else "")

    @classmethod
    async def async_open(cls, path: Path) -> LocalStore:
        loop = asyncio.get_event_loop()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-db-open") as pool:
            return await loop.run_in_executor(pool, cls, path)

    # -- plumbing ------------------------------------------------------------------------------
    def _tx(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as session, session.begin():
            return work(session)

    def _tx_cache(self, work: Callable[[Session], T]) -> T:
        """``_tx`` without waiting for the disk at commit (``synchronous=NORMAL`` in WAL mode)
        — for synced rows only. A power cut may then lose the last pages applied, but never
        half of one: the rows and the cursor commit together, so the console just pulls them
        again. The outbox (the operator's own work) always commits with ``synchronous=FULL``:
        the setting is put back on this connection before it returns to the pool. A province's
        snapshot is 350 pages; waiting for the disk at each cost seconds on a busy machine."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA synchronous=NORMAL")  # outside any transaction
            conn.commit()
            try:
                with self._sessions(bind=conn) as session, session.begin():
                    return work(session)
            finally:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA synchronous=FULL")
                conn.commit()

    def _ro(self, work: Callable[[Session], T]) -> T:
        # Closing (not rolling back) ends the read transaction and leaves loaded rows usable.
        with self._sessions() as session:
            return work(session)

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in one write transaction on the writer thread."""
        # qasync does not always mark its loop as running in tasks started from Qt slots.
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(self._writer, self._tx, work)

    async def run_cache(self, work: Callable[[Session], T]) -> T:
        """``run`` for synced rows: see :meth:`_tx_cache`."""
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(self._writer, self._tx_cache, work)

    async def read(self, work: Callable[[Session], T]) -> T:
        """Run read-only ``work(session)`` on the reader thread (does not wait for writes)."""
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(self._reader, self._ro, work)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._writer.shutdown(wait=True)
        self._reader.shutdown(wait=True)
        self.engine.dispose()

    async def async_close(self) -> None:
        await asyncio.get_event_loop().run_in_executor(None, self.close)

    # -- sync state ----------------------------------------------------------------------------
    @staticmethod
    def _get(session: Session, key: str, default: str = "") -> str:
        row = session.get(SyncState, key)
        return row.value if row else default

    @staticmethod
    def _put(session: Session, key: str, value: str) -> None:
        row = session.get(SyncState, key)
        if row is None:
            session.add(SyncState(key=key, value=value))
        else:
            row.value = value

    async def state(self, key: str, default: str = "") -> str:
        return await self.read(lambda s: self._get(s, key, default))

    async def set_state(self, key: str, value: str) -> None:
        await self.run(lambda s: self._put(s, key, value))

    async def cursor(self) -> int:
        return int(await self.state(CURSOR, "0") or 0)

    async def feed_position(self) -> tuple[int, str]:
        """(cursor, feed id it was taken with)."""
        def work(session: Session) -> tuple[int, str]:
            return int(self._get(session, CURSOR, "0") or 0), self._get(session, FEED_ID)

        return await self.read(work)

    async def bind(self, server: str, username: str) -> bool:
        """Record whose cache this is. A file that belongs to another server or user (copied
        by hand, say) is emptied first; returns True if that happened."""

        def work(session: Session) -> bool:
            old = (self._get(session, SERVER), self._get(session, USER))
            if old == (server, username):
                return False
            reset = any(old)
            if reset:
                self._reset(session)
                session.execute(delete(SyncState).where(SyncState.key.in_(
                    (USER_JSON, LOGIN_VERIFIER))))
            self._put(session, SERVER, server)
            self._put(session, USER, username)
            return reset

        return await self.run(work)

    async def reset_cache(self, reason: str) -> None:
        """Forget every synced row and the cursor (the outbox stays: it is the user's work)."""
        log.warning("emptying the local cache to resynchronise from scratch: %s", reason)
        await self.run(self._reset)

    @staticmethod
    def _reset(session: Session) -> None:
        for model in SYNCED_ENTITIES.values():
            session.execute(delete(model))
        LocalStore._put(session, CURSOR, "0")
        LocalStore._put(session, FEED_ID, "")

    # -- login cache ---------------------------------------------------------------------------
    async def remember_login(self, user: dict[str, Any], password: str) -> None:
        """Keep the user record and an Argon2id verifier of the password, so the same user can
        open this cache while the server is unreachable. The password itself is never kept."""
        from argon2 import PasswordHasher
        from argon2.exceptions import Argon2Error, InvalidHashError

        def work(session: Session) -> None:
            self._put(session, USER_JSON, json.dumps(user, ensure_ascii=False))
            verifier = self._get(session, LOGIN_VERIFIER)
            hasher = PasswordHasher()
            try:
                if verifier and hasher.verify(verifier, password):
                    return
            except (Argon2Error, InvalidHashError):
                pass  # another password (changed on the server) or an old format: store anew
            self._put(session, LOGIN_VERIFIER, hasher.hash(password))

        await self.run(work)

    async def offline_login(self, username: str, password: str) -> dict[str, Any] | None:
        """The cached user record if ``password`` matches the last successful online login of
        ``username`` on this cache and the cache holds synced data; otherwise None."""
        from argon2 import PasswordHasher
        from argon2.exceptions import Argon2Error, InvalidHashError

        def work(session: Session) -> dict[str, Any] | None:
            if self._get(session, USER) != username or not int(
                    self._get(session, CURSOR, "0") or 0):
                return None
            raw, verifier = self._get(session, USER_JSON), self._get(session, LOGIN_VERIFIER)
            if not raw or not verifier:
                return None
            try:
                PasswordHasher().verify(verifier, password)
            except (Argon2Error, InvalidHashError):
                return None
            return dict(json.loads(raw))

        return await self.read(work)

    # -- change feed ---------------------------------------------------------------------------
    async def apply_changes(self, changes: Sequence[dict[str, Any]], *, upto: int | None = None,
                            feed_id: str | None = None) -> AppliedPage:
        """Apply one page of feed rows in order and advance the cursor in the same
        transaction. Rows at or below the stored cursor are replays and skipped; ``upto`` (the
        page's ``last_seq`` or a ``hello``'s head) moves the cursor past rows the server
        filtered out of our scope; ``feed_id`` is stored with the cursor."""

        def work(session: Session) -> AppliedPage:
            cursor = start = int(self._get(session, CURSOR, "0") or 0)
            # The last state of each row in the page wins: (entity, id) -> values or None.
            final: dict[tuple[str, Any], dict[str, Any] | None] = {}
            touched: set[str] = set()
            alarms: list[dict[str, Any]] = []
            applied = 0
            for change in changes:
                seq = int(change["seq"])
                if seq <= cursor:
                    continue  # a replay, or an out of order duplicate within the page
                cursor = seq
                try:
                    entity, key, values = validated(change)
                except (PayloadError, KeyError, TypeError) as exc:
                    log.warning("skipped malformed %s %s (seq %s) from the server: %s",
                                change.get("entity"), change.get("id"), seq, exc)
                    continue
                final.pop((entity, key), None)  # keep feed order for the re-inserted
                final[(entity, key)] = values
                applied += 1
                touched.add(entity)
                if entity == "alarm" and values is not None:
                    alarms.append(change["payload"])
            gone: dict[str, list[Any]] = {}
            kept: dict[str, list[dict[str, Any]]] = {}
            for (entity, key), values in final.items():
                if values is None:
                    gone.setdefault(entity, []).append(key)
                else:
                    kept.setdefault(entity, []).append(values)
            for entity, ids in gone.items():
                delete_many(session, entity, ids)
            for entity, rows in kept.items():
                upsert_many(session, entity, rows)
            if upto is not None:
                cursor = max(cursor, int(upto))
            if cursor != start:
                self._put(session, CURSOR, str(cursor))
            if feed_id:
                self._put(session, FEED_ID, feed_id)
            if applied:
                self._put(session, LAST_SYNC, utcnow().isoformat())
            return AppliedPage(cursor, applied, frozenset(touched), tuple(alarms))

        return await self.run_cache(work)

    async def repair_row(self, entity: str, payload: dict[str, Any] | None,
                         entity_id: str) -> bool:
        """Put back the server's version of a row after the server refused a local change to
        it (``payload`` None: the row does not exist there, drop it). A row that the feed has
        meanwhile updated past that version is left alone. Returns True if it changed."""
        model = SYNCED_ENTITIES[entity]

        def work(session: Session) -> bool:
            row = session.get(model, entity_id)
            if payload is None:
                if row is None:
                    return False
                session.delete(row)
                return True
            local_version = getattr(row, "version", None) if row is not None else None
            server_version = payload.get("version")
            if (isinstance(local_version, int) and isinstance(server_version, int)
                    and local_version > server_version):
                return False
            upsert(session, entity, payload)
            return True

        return await self.run(work)

    # -- reads ---------------------------------------------------------------------------------
    async def registry(self) -> RegistrySnapshot:
        def work(session: Session) -> RegistrySnapshot:
            def rows(model: Any, *order: Any) -> list[dict[str, Any]]:
                cols = _columns(model)
                return [dict(zip(cols, values, strict=True)) for values in session.execute(
                    select(*(getattr(model, c) for c in cols)).order_by(*order))]

            # Hundreds of thousands of new dicts would set off full garbage collections (each
            # stopping every thread, the UI's too, for up to a second); plain rows form no
            # cycles, so nothing waits for the collector meanwhile.
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                return RegistrySnapshot(
                    districts=rows(District, District.id), grids=rows(Grid, Grid.id),
                    businesses=rows(Business, Business.id), cameras=rows(Camera, Camera.id),
                    sensors=rows(Sensor, Sensor.id), streets=rows(Street, Street.id))
            finally:
                if was_enabled:
                    gc.enable()

        return await self.read(work)

    async def sensors(self) -> list[dict[str, Any]]:
        """Every sensor row (what the wall's gauges need when only sensors changed)."""
        def work(session: Session) -> list[dict[str, Any]]:
            cols = _columns(Sensor)
            return [dict(zip(cols, values, strict=True)) for values in session.execute(
                select(*(getattr(Sensor, c) for c in cols)).order_by(Sensor.id))]

        return await self.read(work)

    async def camera_health(self) -> dict[str, str]:
        """Each camera's last reported health (id → state, "" when none): two columns, not the
        whole registry — a province has 200,000 cameras, and reading every registry row again
        for this delayed the channel tree at the end of an initial sync by seconds."""
        def work(session: Session) -> dict[str, str]:
            return {str(camera_id): health or "" for camera_id, health in
                    session.execute(select(Camera.id, Camera.health))}

        return await self.read(work)

    async def count(self, model: Any) -> int:
        return await self.read(lambda s: s.scalar(select(func.count()).select_from(model)) or 0)

    # -- outbox --------------------------------------------------------------------------------
    def on_action_recorded(self, callback: Callable[[], None]) -> None:
        """``callback()`` runs on the loop after each action is committed (wakes the pusher)."""
        self._listeners.action_recorded.append(callback)

    async def record_action(self, kind: str, payload: dict[str, Any],
                            local_effect: Callable[[Session], object] | None = None) -> str:
        """Write ``local_effect`` and the outbox row in ONE transaction; returns the
        idempotency key the server will apply it under. If the effect raises, nothing is
        written."""
        key = new_id()

        def work(session: Session) -> str:
            if local_effect is not None:
                local_effect(session)
            session.add(OutboxAction(idem_key=key, kind=kind, payload=payload,
                                     created_at=utcnow(), state=PENDING))
            return key

        await self.run(work)
        for callback in list(self._listeners.action_recorded):
            try:
                callback()
            except Exception:  # a broken listener must not lose the user's action
                log.exception("outbox listener failed")
        return key

    async def next_pending(self, limit: int = 50) -> list[PendingAction]:
        def work(session: Session) -> list[PendingAction]:
            return [PendingAction(r.id, r.idem_key, r.kind, dict(r.payload or {}), r.attempts,
                                  r.created_at)
                    for r in session.scalars(select(OutboxAction)
                                             .where(OutboxAction.state == PENDING)
                                             .order_by(OutboxAction.id).limit(limit))]

        return await self.read(work)

    async def mark_acked(self, action_id: int) -> None:
        if await self.run(lambda s: self._answered(s, action_id, ACKED, "")):
            await self._flush_secrets()

    async def mark_rejected(self, action_id: int, message: str) -> None:
        if await self.run(lambda s: self._answered(s, action_id, REJECTED, message)):
            await self._flush_secrets()

    async def _flush_secrets(self) -> None:
        """After a scrub: checkpoint the WAL into the file (where ``secure_delete`` zeroed the
        old payload) and truncate it, so the secret is not left in the log either. Best effort
        only: while a reader holds an older snapshot the log cannot be truncated, and the old
        frames stay until SQLite reuses the log (the outbox row itself no longer holds it)."""
        def work() -> None:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.commit()

        await asyncio.get_event_loop().run_in_executor(self._writer, work)

    @staticmethod
    def _answered(session: Session, action_id: int, state: str, message: str) -> bool:
        """Central answered: record it, and overwrite the action's secrets (SECRET_FIELDS);
        returns whether there were any. ``secure_delete`` makes SQLite zero the freed bytes
        of the old payload too."""
        values: dict[str, Any] = {"state": state, "error": message,
                                  "attempts": OutboxAction.attempts + 1}
        row = session.execute(select(OutboxAction.kind, OutboxAction.payload)
                              .where(OutboxAction.id == action_id)).one_or_none()
        secret = row is not None and row.kind in SECRET_FIELDS
        if secret:
            assert row is not None
            session.execute(text("PRAGMA secure_delete=ON"))
            values["payload"] = scrubbed(row.kind, dict(row.payload or {}))
        session.execute(update(OutboxAction).where(OutboxAction.id == action_id)
                        .values(**values))
        if secret:
            session.execute(text("PRAGMA secure_delete=OFF"))  # the rest of the sync as before
        return secret

    async def note_failure(self, action_id: int, message: str,
                           next_try_at: datetime | None = None) -> None:
        """A delivery attempt failed for a reason that may pass; the action stays pending."""
        await self.run(lambda s: s.execute(
            update(OutboxAction).where(OutboxAction.id == action_id)
            .values(error=message, next_try_at=next_try_at,
                    attempts=OutboxAction.attempts + 1)))

    async def outbox_counts(self) -> OutboxCounts:
        def work(session: Session) -> OutboxCounts:
            counts = dict(session.execute(select(OutboxAction.state, func.count())
                                          .where(OutboxAction.state.in_((PENDING, REJECTED)))
                                          .group_by(OutboxAction.state)).all())
            return OutboxCounts(counts.get(PENDING, 0), counts.get(REJECTED, 0))

        return await self.read(work)

    async def rejected(self) -> list[RejectedAction]:
        def work(session: Session) -> list[RejectedAction]:
            return [RejectedAction(r.id, r.idem_key, r.kind, dict(r.payload or {}),
                                   r.created_at, r.error)
                    for r in session.scalars(select(OutboxAction)
                                             .where(OutboxAction.state == REJECTED)
                                             .order_by(OutboxAction.id))]

        return await self.read(work)

    async def discard_rejected(self, action_ids: Iterable[int]) -> None:
        """The user has read these refusals; keep the rows (audit) but stop listing them."""
        ids = list(action_ids)
        await self.run(lambda s: s.execute(
            update(OutboxAction).where(OutboxAction.id.in_(ids),
                                       OutboxAction.state == REJECTED)
            .values(state=DISCARDED)))

    async def prune_outbox(self, keep: timedelta = timedelta(days=30)) -> int:
        """Delete delivered and discarded actions older than ``keep``."""
        cutoff = utcnow() - keep

        def work(session: Session) -> int:
            result = session.execute(delete(OutboxAction).where(
                OutboxAction.state.in_((ACKED, DISCARDED)), OutboxAction.created_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)

        return await self.run(work)

    async def prune_cache(self, keep: timedelta = DEFAULT_CACHE_RETENTION) -> dict[str, int]:
        """Forget finished history older than ``keep`` from the synced cache; returns the rows
        deleted per entity.

        A control-room console runs for weeks: every alarm storm, task and audit line central
        sends stays in this file otherwise, and it grows without end. Central keeps the
        history (reports and searches past ``keep`` ask it); the cache keeps what is live.
        Deleted: alarms closed or dismissed, tasks closed (with their events), patrol
        records, audit entries — each only when its last change is older than ``keep``.
        Never deleted: anything the operator's unsent or refused actions (the outbox's
        pending and rejected rows) name, since its local state is not on central yet; and the
        outbox itself (:meth:`prune_outbox` deletes only delivered actions). SQLite reuses the
        freed pages, so the file stops growing once history ages out."""
        cutoff = utcnow() - keep

        def referenced(session: Session) -> set[str]:
            """Every string in the payloads of actions central has not taken yet."""
            found: set[str] = set()

            def walk(value: Any) -> None:
                if isinstance(value, str):
                    found.add(value)
                elif isinstance(value, dict):
                    for item in value.values():
                        walk(item)
                elif isinstance(value, list | tuple):
                    for item in value:
                        walk(item)

            for payload in session.scalars(select(OutboxAction.payload).where(
                    OutboxAction.state.in_((PENDING, REJECTED)))):
                walk(payload)
            return found

        held: set[str] = set()  # ids and values named by actions central has not taken

        def doomed(session: Session, model: Any, *where: Any) -> list[str]:
            return [i for i in session.scalars(select(model.id).where(*where))
                    if i not in held]

        def work(session: Session) -> dict[str, int]:
            held.clear()
            held.update(referenced(session))
            finished = (AlarmState.CLOSED.value, AlarmState.DISMISSED.value)
            alarms = doomed(session, Alarm, Alarm.state.in_(finished),
                            func.coalesce(Alarm.closed_at, Alarm.last_seen_at) < cutoff)
            tasks = doomed(session, Task, Task.state == TaskState.CLOSED.value,
                           func.coalesce(Task.closed_at, Task.updated_at) < cutoff)
            events = [i for start in range(0, len(tasks), _IN_CHUNK)
                      for i in doomed(session, TaskEvent,
                                      TaskEvent.task_id.in_(tasks[start:start + _IN_CHUNK]))]
            patrols = doomed(session, PatrolRecord,
                             func.coalesce(PatrolRecord.ended_at, PatrolRecord.started_at)
                             < cutoff)
            audit = doomed(session, AuditEntry, AuditEntry.ts < cutoff)
            out: dict[str, int] = {}
            for name, ids in (("alarm", alarms), ("task_event", events), ("task", tasks),
                              ("patrol_record", patrols), ("audit", audit)):
                if ids:
                    delete_many(session, name, ids)
                    out[name] = len(ids)
            return out

        deleted = await self.run_cache(work)
        if deleted:
            log.info("local cache retention (%d days): forgot %s", keep.days,
                     ", ".join(f"{n} {name}" for name, n in deleted.items()))
        return deleted
