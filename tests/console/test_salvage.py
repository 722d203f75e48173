"""A local database that fails its check on start-up: the queued actions in the moved-aside
file are read back and queued again under their own keys, and what could not be read is
reported. Real files, damaged the way a failing disk does it (one page overwritten)."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from console.shell.session import salvage_text
from console.sync.client import ApiClient
from console.sync.pusher import Pusher
from console.sync.store import LocalStore
from db.models import AppliedAction, Camera
from db.salvage import salvage_outbox
from tests.console.conftest import DEMO_PASSWORD, run

pytestmark = pytest.mark.timeout(120)


def pages_of(path: Path, *tables: str) -> list[int]:
    """The pages that hold ``tables`` (their b-trees, indexes included), from SQLite's own
    page map (the ``dbstat`` table)."""
    conn = sqlite3.connect(path)
    try:
        marks = ",".join("?" * len(tables))
        names = [row[0] for row in conn.execute(
            f"SELECT name FROM sqlite_master WHERE tbl_name IN ({marks})", tables)]
        return [row[0] for row in conn.execute(
            f"SELECT pageno FROM dbstat WHERE name IN ({','.join('?' * len(names))}) "
            "ORDER BY pageno", names)]
    finally:
        conn.close()


def garble(path: Path, pages: list[int]) -> None:
    """Overwrite whole pages with noise (what a failed sector leaves behind)."""
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(os.urandom(size))


def quick_check(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def health(camera_id: str, note: str) -> dict:
    return {"camera_id": camera_id, "health": "offline", "reason": note}


def test_actions_in_a_damaged_file_are_queued_again_and_central_applies_each_once(
        qloop, qcentral, synced_store: LocalStore, tmp_path: Path) -> None:
    store = synced_store
    cameras = run(qloop, store.read(lambda s: list(s.scalars(
        select(Camera.id).order_by(Camera.id).limit(3)))))
    keys = [run(qloop, store.record_action("camera.health", health(c, f"report {n}")))
            for n, c in enumerate(cameras)]
    # Central got the first one before the disk failed, but its answer was never recorded.
    client = ApiClient(qcentral.url)
    run(qloop, client.login("operator", DEMO_PASSWORD))
    run(qloop, client.action(keys[0], "camera.health", health(cameras[0], "report 0")))
    path = store.path
    store.close()
    cached = pages_of(path, "cameras")
    assert len(cached) > 3 and not set(cached) & set(pages_of(path, "outbox"))
    garble(path, cached[len(cached) // 2:len(cached) // 2 + 1])  # one page of the cache
    assert quick_check(path) != "ok"

    fresh = LocalStore(path)
    try:
        assert fresh.recovered_from is not None and fresh.recovered_from.exists()
        assert fresh.salvage is not None
        assert [a.idem_key for a in fresh.salvage.actions] == keys
        assert fresh.salvage.unreadable == 0
        pending = run(qloop, fresh.next_pending())
        assert [(a.idem_key, a.kind, a.payload["reason"]) for a in pending] == [
            (key, "camera.health", f"report {n}") for n, key in enumerate(keys)]
        text = salvage_text(fresh.salvage)
        assert text.startswith("3 action(s) that were waiting to be sent were recovered")
        result = run(qloop, Pusher(client, fresh).drain())
        assert (result.sent, result.rejected, result.blocked_by) == (3, 0, None)
        applied = run(qloop, qcentral.read(lambda s: s.scalars(select(AppliedAction.idem_key)
                      .where(AppliedAction.idem_key.in_(keys))).all()))
        assert sorted(applied) == sorted(keys)  # each once, the first not applied again
    finally:
        fresh.close()
        run(qloop, client.close())


def test_actions_committed_just_before_a_power_cut_are_recovered_too(
        qloop, synced_store: LocalStore, tmp_path: Path) -> None:
    """The files as a power cut leaves them while the console runs: the last actions are still
    in the write-ahead log beside a main file with a damaged page. (The start-up check itself
    replays the log into the file it moves aside; the salvage also reads a log left beside
    it.)"""
    store = synced_store
    run(qloop, store.run(lambda s: s.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))))
    keys = run(qloop, _record(store, 3))
    wal = store.path.with_name(store.path.name + "-wal")
    assert wal.stat().st_size > 0  # the actions are only in the log so far
    crashed = tmp_path / "crashed" / "local.db"
    crashed.parent.mkdir()
    shutil.copyfile(store.path, crashed)
    shutil.copyfile(wal, crashed.with_name("local.db-wal"))
    store.close()
    cached = pages_of(store.path, "cameras")
    garble(crashed, cached[len(cached) // 2:len(cached) // 2 + 1])

    fresh = LocalStore(crashed)
    try:
        assert fresh.recovered_from is not None and fresh.salvage is not None
        assert [a.idem_key for a in fresh.salvage.actions] == keys
        assert [a.idem_key for a in run(qloop, fresh.next_pending())] == keys
    finally:
        fresh.close()


async def _record(store: LocalStore, count: int) -> list[str]:
    return [await store.record_action("camera.health", health(f"C{n}", "x"))
            for n in range(count)]


def test_an_unreadable_outbox_is_reported_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "local.db"
    store = LocalStore(path)
    asyncio.run(_record(store, 3))
    store.close()
    garble(path, pages_of(path, "outbox"))
    assert quick_check(path) != "ok"

    fresh = LocalStore(path)
    try:
        salvage = fresh.salvage
        assert salvage is not None and salvage.actions == []
        assert salvage.error or salvage.unreadable
        assert asyncio.run(fresh.next_pending()) == []
        text = salvage_text(salvage)
        assert "could not be read" in text and "Check with central" in text
    finally:
        fresh.close()


def test_pure_garbage_yields_nothing_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"\x00garbage after a disk failure" * 1000)
    salvage = salvage_outbox(path)
    assert salvage.actions == [] and "not a database" in salvage.error
    assert path.read_bytes().startswith(b"\x00garbage")  # the evidence is left as it was
