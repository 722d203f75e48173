"""The server's database: one SQLAlchemy engine, used from worker threads only.

The event loop never touches the database. Writes run on a dedicated writer thread (SQLite
allows one writer at a time; queueing them in-process is cheaper than lock retries) and reads on
a small pool of reader threads (WAL lets them run beside the writer). Each unit of work is one
transaction; the change-feed rows it writes commit or roll back with it.

On PostgreSQL several threads (and several worker processes) write at once, so every write
transaction first takes one transaction-scoped advisory lock. An ordinary write takes it
exclusively, which serialises it against every other writer: "one open alarm per condition"
and "apply each action key once" need no further locking, and no two such writers can
deadlock. Sensor ingest, the one write that arrives thousands of times a second, takes it
*shared* (``row_locked=True``): ingests run beside each other and take turns per sensor
through row locks on the sensors they read (in id order, so they cannot deadlock either),
while an ordinary write still excludes them all (PostgreSQL queues new shared requests
behind a waiting exclusive one, so an operator's action is not starved by ingest).

The change feed's sequence order must equal commit order (a reader must never see seq 12
committed while seq 11 is still in flight). Exclusive writers guarantee that by running
alone; concurrent ingests take a second, exclusive feed lock just before they write feed rows
and hold it to their commit, after all their other work. Reads never lock. A committed write
that touched the feed sends ``NOTIFY kw_changes`` so every worker's publisher wakes up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from central.changes import CHANGES_CHANNEL, flush_feed
from db.engine import make_engine, upgrade

log = logging.getLogger("kitchenwatch.central.db")
T = TypeVar("T")

WRITE_LOCK_KEY = 0x4B57_0001  # "KW" + 1: the writers' advisory lock on PostgreSQL
FEED_LOCK_KEY = 0x4B57_0002  # taken by concurrent (row-locked) writers to write the feed
DEADLOCK = "40P01"
DEADLOCK_RETRIES = 3


class Database:
    """Engine plus executors; ``await write(fn)`` / ``await read(fn)`` run ``fn(session)``."""

    def __init__(self, url: str, *, migrate: bool = True, reader_threads: int = 2,
                 pg_writer_threads: int = 4) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        if migrate:
            upgrade(self.engine)  # every table, central's own too (migrations 0002, 0004)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_commit", flush_feed)
        self.writer_threads = pg_writer_threads if self.is_postgres else 1  # writes at once
        self._writer = ThreadPoolExecutor(max_workers=self.writer_threads,
                                          thread_name_prefix="central-dbw")
        self._readers = ThreadPoolExecutor(max_workers=reader_threads,
                                           thread_name_prefix="central-dbr")
        self._feed_listeners: list[Callable[[], None]] = []

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def on_feed_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (on the event loop) after a write that added change-feed rows."""
        self._feed_listeners.append(callback)

    # ------------------------------------------------------------------ synchronous forms
    def write_sync(self, work: Callable[[Session], T], *, row_locked: bool = False) -> T:
        """Run ``work`` in one write transaction on the calling thread (start-up, tests)."""
        result, _ = self._write(work, row_locked)
        return result

    def rehearse_sync(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` as a write transaction and roll it back: a dry run that does exactly
        what the write would (ids, counts, constraint checks) and keeps none of it."""
        with self._sessions() as session:
            session.begin()
            try:
                if self.is_postgres:
                    session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))
                return work(session)
            finally:
                session.info.pop("feed_pending", None)
                session.rollback()

    async def rehearse(self, work: Callable[[Session], T]) -> T:
        """:meth:`rehearse_sync` on the writer thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, self.rehearse_sync, work)

    def read_sync(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as session, session.begin():
            return work(session)

    def _write(self, work: Callable[[Session], T], row_locked: bool = False) -> tuple[T, bool]:
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                return self._write_once(work, row_locked)
            except OperationalError as exc:
                code = getattr(exc.orig, "sqlstate", None)
                if code != DEADLOCK or attempt == DEADLOCK_RETRIES:
                    raise
                log.warning("write deadlocked (attempt %d); retrying", attempt + 1)
        raise AssertionError("unreachable")

    def _write_once(self, work: Callable[[Session], T], row_locked: bool) -> tuple[T, bool]:
        with self._sessions() as session:
            with session.begin():
                if self.is_postgres and row_locked:
                    session.execute(select(func.pg_advisory_xact_lock_shared(WRITE_LOCK_KEY)))
                    session.info["feed_lock_key"] = FEED_LOCK_KEY  # see flush_feed
                elif self.is_postgres:
                    session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))
                result = work(session)
                flush_feed(session)
                wrote_feed = bool(session.info.get("feed_written"))
                if wrote_feed and self.is_postgres:
                    session.execute(text(f"NOTIFY {CHANGES_CHANNEL}"))
            return result, wrote_feed

    # ------------------------------------------------------------------ asynchronous forms
    async def write(self, work: Callable[[Session], T], *, row_locked: bool = False) -> T:
        """Run ``work(session)`` in one write transaction on the writer thread.

        ``row_locked``: ``work`` locks every row it reads to change (sensor ingest), so on
        PostgreSQL it may run beside other such work (see the module docstring).
        """
        loop = asyncio.get_running_loop()
        result, wrote_feed = await loop.run_in_executor(self._writer, self._write, work,
                                                        row_locked)
        if wrote_feed:
            for callback in self._feed_listeners:
                callback()
        return result

    async def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in a read-only transaction on a reader thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self.read_sync, work)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        self.engine.dispose()


def bind(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[Session], T]:
    """``await db.write(bind(f, a, b))`` runs ``f(session, a, b)``."""
    return lambda session: fn(session, *args, **kwargs)
