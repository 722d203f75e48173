"""The server's database: one SQLAlchemy engine, all work on a worker thread.

SQLite allows one writer at a time, so every unit of work runs on a single dedicated thread
(the event loop never blocks and writers never contend). Each unit is one transaction; the
change-feed rows a unit writes commit or roll back with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.engine import make_engine, upgrade

log = logging.getLogger("kitchenwatch.central.db")
T = TypeVar("T")


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="central-db")

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def run_sync(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction on the calling thread (tests, start-up)."""
        with self._sessions() as session, session.begin():
            return work(session)

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in one transaction on the database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.run_sync, work)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()


def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[Session], T]:
    """Bind arguments so ``await db.run(call(f, a, b))`` runs ``f(session, a, b)``."""
    return lambda session: fn(session, *args, **kwargs)
