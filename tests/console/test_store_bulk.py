"""A feed page is written to the local cache with one compiled statement per kind of row and
plain tuples, not SQLAlchemy's per-row parameter building (which cost a province's initial
sync more CPU than SQLite's own writing) — and the rows come out exactly as SQLAlchemy's own
executemany writes them, columns the payloads lack (a central that does not send them yet)
taking their defaults."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

import db.serialize as serialize
from central import changes
from central.database import Database
from central.demo_registry import populate
from central.feed import page
from central.scope import Principal
from console.sync.store import LocalStore


@pytest.fixture(scope="module")
def feed_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("central") / "central.db"
    database = Database(f"sqlite:///{path}")
    try:
        database.write_sync(changes.ensure_feed_id)
        database.write_sync(lambda s: populate(s, 40, 7, "http://127.0.0.1:9"))
        body = database.read_sync(lambda s: page(s, Principal("u1", "admin", "admin", None),
                                                 0, 5000))
    finally:
        database.close()
    result: dict[str, Any] = json.loads(body)
    return result


def apply(path: Path, body: dict[str, Any]) -> None:
    store = LocalStore(path)
    try:
        asyncio.run(store.apply_changes(body["changes"], upto=body["last_seq"]))
    finally:
        store.close()


def rows_of(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                  if t not in ("sync_state", "alembic_version")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    finally:
        conn.close()


def test_a_page_is_written_as_sqlalchemy_would_without_its_per_row_parameters(
        feed_page: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cameras = [c["payload"] for c in feed_page["changes"] if c["entity"] == "camera"]
    assert cameras and "id" in cameras[0]
    many: list[str] = []  # tables SQLAlchemy was given many rows for
    execute = Session.execute

    def counted(self: Session, statement: Any, params: Any = None, *args: Any,
                **kwargs: Any) -> Any:
        if isinstance(params, list) and len(params) > 1:
            many.append(str(getattr(statement, "table", "")))
        return execute(self, statement, params, *args, **kwargs)

    monkeypatch.setattr(Session, "execute", counted)
    apply(tmp_path / "fast.db", feed_page)
    assert "cameras" not in many and "businesses" not in many, many

    monkeypatch.setattr(serialize, "_execute_many_sqlite",
                        lambda session, model, stmt, keys, rows: execute(session, stmt, rows))
    apply(tmp_path / "sqlalchemy.db", feed_page)
    fast, reference = rows_of(tmp_path / "fast.db"), rows_of(tmp_path / "sqlalchemy.db")
    assert len(fast["cameras"]) == len(cameras) and fast["businesses"]
    assert fast == reference
