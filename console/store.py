"""The console's local database: the synced cache, the sync cursor and the outbox.

All writes go through one worker thread (SQLite has one writer; the UI thread never waits on
disk). An operator action is written to the outbox in the same transaction as its local effect,
so after a crash either both exist or neither does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.engine import CorruptDatabaseError, open_sqlite
from db.models import (
    SYNCED_ENTITIES,
    Business,
    Camera,
    District,
    Grid,
    OutboxAction,
    Sensor,
    SyncState,
    new_id,
    utcnow,
)
from db.serialize import PayloadError, upsert

log = logging.getLogger("kitchenwatch.console.store")
T = TypeVar("T")
CURSOR = "cursor"
SERVER = "server"
USER = "user"


@dataclass(frozen=True)
class RegistrySnapshot:
    """Plain rows for the channel tree, read in one go."""

    districts: list[dict[str, Any]]
    grids: list[dict[str, Any]]
    businesses: list[dict[str, Any]]
    cameras: list[dict[str, Any]]
    sensors: list[dict[str, Any]]


class LocalStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered_from: Path | None = None
        try:
            self.engine = open_sqlite(path)
        except CorruptDatabaseError as exc:
            self.recovered_from = exc.moved_to
            self.engine = open_sqlite(path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-db")

    # -- plumbing ------------------------------------------------------------------------
    def _tx(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as session, session.begin():
            return work(session)

    async def run(self, work: Callable[[Session], T]) -> T:
        # qasync does not always mark its loop as running inside Qt-slot-started tasks.
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(self._writer, self._tx, work)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.engine.dispose()

    # -- sync state ------------------------------------------------------------------------
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
        return await self.run(lambda s: self._get(s, key, default))

    async def set_state(self, key: str, value: str) -> None:
        await self.run(lambda s: self._put(s, key, value))

    async def cursor(self) -> int:
        return int(await self.state(CURSOR, "0") or 0)

    async def bind_server(self, server: str, username: str) -> bool:
        """Remember which server and user this cache belongs to; a different one (or a server
        whose database was replaced) starts a fresh cache. Returns True if it was reset."""

        def work(session: Session) -> bool:
            if self._get(session, SERVER) == server and self._get(session, USER) == username:
                return False
            had_data = bool(self._get(session, SERVER))
            self._reset(session)
            self._put(session, SERVER, server)
            self._put(session, USER, username)
            return had_data

        return await self.run(work)

    async def reset_cache(self) -> None:
        await self.run(self._reset)

    @staticmethod
    def _reset(session: Session) -> None:
        for model in SYNCED_ENTITIES.values():
            session.execute(delete(model))
        LocalStore._put(session, CURSOR, "0")

    # -- change feed -------------------------------------------------------------------------
    async def apply_changes(self, changes: list[dict[str, Any]], last_seq: int) -> set[str]:
        """Apply one page and advance the cursor in the same transaction."""

        def work(session: Session) -> set[str]:
            touched: set[str] = set()
            cursor = int(self._get(session, CURSOR, "0") or 0)
            for change in changes:
                if change["seq"] <= cursor:
                    continue  # already applied (a replay after reconnect)
                try:
                    upsert(session, change["entity"], change["payload"], change["deleted"])
                except PayloadError as exc:
                    log.warning("skipped malformed %s %s from the server: %s",
                                change.get("entity"), change.get("id"), exc)
                    continue
                touched.add(change["entity"])
                cursor = change["seq"]
            self._put(session, CURSOR, str(max(cursor, last_seq)))
            return touched

        return await self.run(work)

    # -- reads -------------------------------------------------------------------------------
    async def registry(self) -> RegistrySnapshot:
        def work(session: Session) -> RegistrySnapshot:
            def rows(model: Any, *order: Any) -> list[dict[str, Any]]:
                cols = [c.key for c in model.__table__.columns]
                return [{k: getattr(r, k) for k in cols}
                        for r in session.scalars(select(model).order_by(*order))]

            return RegistrySnapshot(
                districts=rows(District, District.id), grids=rows(Grid, Grid.id),
                businesses=rows(Business, Business.id), cameras=rows(Camera, Camera.id),
                sensors=rows(Sensor, Sensor.id))

        return await self.run(work)

    async def count(self, model: Any) -> int:
        return await self.run(lambda s: s.scalar(select(func.count()).select_from(model)) or 0)

    # -- outbox ------------------------------------------------------------------------------
    async def record_action(self, kind: str, payload: dict[str, Any],
                            effect: Callable[[Session], None] | None = None) -> str:
        """Write the local effect and the outbox row in ONE transaction."""
        key = new_id()

        def work(session: Session) -> str:
            if effect is not None:
                effect(session)
            session.add(OutboxAction(idem_key=key, kind=kind, payload=payload,
                                     created_at=utcnow()))
            return key

        return await self.run(work)

    async def pending(self, limit: int = 50) -> list[OutboxAction]:
        return await self.run(lambda s: list(s.scalars(
            select(OutboxAction).where(OutboxAction.state == "pending")
            .order_by(OutboxAction.id).limit(limit))))

    async def outbox_counts(self) -> tuple[int, int]:
        def work(session: Session) -> tuple[int, int]:
            counts = dict(session.execute(select(OutboxAction.state, func.count())
                                          .group_by(OutboxAction.state)).all())
            return counts.get("pending", 0), counts.get("rejected", 0)

        return await self.run(work)

    async def rejected(self) -> list[OutboxAction]:
        return await self.run(lambda s: list(s.scalars(
            select(OutboxAction).where(OutboxAction.state == "rejected")
            .order_by(OutboxAction.id))))

    async def settle(self, action_id: int, state: str, error: str = "") -> None:
        def work(session: Session) -> None:
            row = session.get(OutboxAction, action_id)
            if row is not None:
                row.state, row.error = state, error
                row.attempts += 1

        await self.run(work)
