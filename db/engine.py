"""Opening SQLite files the way both programs need them, and upgrading them with Alembic.

WAL lets the UI read while the sync writer commits; ``synchronous=FULL`` makes a commit that
returned survive a power cut (the outbox depends on it). An unreadable file is moved aside,
never deleted, so the operator or support can still recover it.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

log = logging.getLogger("db.engine")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class CorruptDatabaseError(RuntimeError):
    """The local database file could not be opened as SQLite; it was moved aside."""

    def __init__(self, path: Path, moved_to: Path, reason: str) -> None:
        super().__init__(f"database {path} is unreadable ({reason}); kept a copy at {moved_to}")
        self.path = path
        self.moved_to = moved_to
        self.reason = reason


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=OFF")  # the cache may receive children before parents
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def check_sqlite_file(path: Path) -> None:
    """Raise CorruptDatabaseError (after moving the file aside) if ``path`` is not usable."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(path)
        try:
            row = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(str(row[0] if row else "quick_check returned nothing"))
    except sqlite3.DatabaseError as exc:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        moved = path.with_name(f"{path.name}.corrupt-{stamp}")
        shutil.move(path, moved)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                shutil.move(side, moved.with_name(moved.name + suffix))
        log.error("database %s unreadable (%s); moved to %s", path, exc, moved)
        raise CorruptDatabaseError(path, moved, str(exc)) from exc


def make_engine(url: str | URL, **kwargs: object) -> Engine:
    """An engine with this project's SQLite settings; other dialects pass through."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creating it on an empty file)."""
    from alembic import command
    from alembic.config import Config

    logging.getLogger("alembic").setLevel(logging.WARNING)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_sqlite(path: Path) -> Engine:
    """Check, open and migrate a local SQLite database file."""
    check_sqlite_file(path)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine
