"""The server's database: one SQLAlchemy engine, used from worker threads only.

The event loop never touches the database. Writes run on a dedicated writer thread (SQLite
allows one writer at a time; queueing them in-process is cheaper than lock retries) and reads on
a small pool of reader threads (WAL lets them run beside the writer). Each unit of work is one
transaction; the change-feed rows it writes commit or roll back with it.

On PostgreSQL several threads (and several worker processes) write at once, so every write
transaction first takes one transaction-scoped advisory lock. That serialises writers: the
change feed's sequence order equals commit order (a reader never sees seq 12 committed while
seq 11 is still in flight), "one open alarm per condition" and "apply each action key once"
need no further locking, and no two writers can deadlock. Writes are short, so the lock is
cheap; reads never take it. A committed write that touched the feed sends ``NOTIFY
kw_changes`` so every worker's publisher wakes up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from central.changes import CHANGES_CHANNEL, flush_feed
from db.engine import make_engine, upgrade

log = logging.getLogger("kitchenwatch.central.db")
T = TypeVar("T")

WRITE_LOCK_KEY = 0x4B57_0001  # "KW" + 1: the writers' advisory lock on PostgreSQL


class Database:
    """Engine plus executors; ``await write(fn)`` / ``await read(fn)`` run ``fn(session)``."""

    def __init__(self, url: str, *, migrate: bool = True, reader_threads: int = 2,
                 pg_writer_threads: int = 4) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        if migrate:
            upgrade(self.engine)
            from central.rule_state import create_table

            create_table(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_commit", flush_feed)
        writers = pg_writer_threads if self.is_postgres else 1
        self._writer = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="central-dbw")
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
    def write_sync(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction on the calling thread (start-up, tests)."""
        result, _ = self._write(work)
        return result

    def read_sync(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as session, session.begin():
            return work(session)

    def _write(self, work: Callable[[Session], T]) -> tuple[T, bool]:
        with self._sessions() as session:
            with session.begin():
                if self.is_postgres:
                    session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))
                result = work(session)
                flush_feed(session)
                wrote_feed = bool(session.info.get("feed_written"))
                if wrote_feed and self.is_postgres:
                    session.execute(text(f"NOTIFY {CHANGES_CHANNEL}"))
            return result, wrote_feed

    # ------------------------------------------------------------------ asynchronous forms
    async def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in one write transaction on the writer thread."""
        loop = asyncio.get_running_loop()
        result, wrote_feed = await loop.run_in_executor(self._writer, self._write, work)
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
