"""The console's local store and sync engine against a real central server on loopback."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from central.demo_registry import DEMO_PASSWORD
from console.demo import Child, start_child
from console.store import LocalStore
from console.sync.client import ApiClient, AuthError, ServerUnreachable
from console.sync.engine import SyncCallbacks, SyncEngine
from db.models import Alarm, Business, Camera, OutboxAction

pytestmark = pytest.mark.timeout(120)


def start_central(db: Path, port: int = 0) -> Child:
    return start_child("central", [
        sys.executable, "-m", "central", "--host", "127.0.0.1", "--port", str(port),
        "--db", f"sqlite:///{db}", "--media-dir", str(db.parent / "media"),
        "--demo-registry", "--businesses", "30"], "KITCHENWATCH_CENTRAL_URL")


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Child]:
    child = start_central(tmp_path / "central.db")
    yield child
    child.stop()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    local = LocalStore(tmp_path / "local.db")
    yield local
    local.close()


async def test_initial_sync_mirrors_the_registry_and_resumes(central, store) -> None:
    client = ApiClient(central.url)
    await client.login("operator", DEMO_PASSWORD)
    progress: list[tuple[int, int]] = []
    engine = SyncEngine(client, store, "operator", DEMO_PASSWORD,
                        SyncCallbacks(progress=lambda d, t: progress.append((d, t))))
    applied = await engine.pull()
    assert applied > 100
    snap = await store.registry()
    assert len(snap.businesses) == 30 and len(snap.cameras) >= 30
    cursor = await store.cursor()
    assert cursor > 0
    assert await engine.pull() == 0  # nothing new: an incremental pull applies nothing
    assert await store.cursor() == cursor
    await client.close()


async def test_district_user_only_gets_their_district(central, store) -> None:
    client = ApiClient(central.url)
    user = await client.login("kbs", DEMO_PASSWORD)
    await SyncEngine(client, store, "kbs", DEMO_PASSWORD).pull()
    districts = await store.run(lambda s: set(s.scalars(select(Business.district_id))))
    assert districts == {user["district_id"]}
    await client.close()


async def test_wrong_password_and_unreachable_server_say_so(central) -> None:
    client = ApiClient(central.url)
    with pytest.raises(AuthError, match="wrong username or password"):
        await client.login("operator", "nope")
    await client.close()
    away = ApiClient("http://127.0.0.1:1")
    with pytest.raises(ServerUnreachable, match="cannot reach"):
        await away.login("operator", DEMO_PASSWORD)
    await away.close()


async def test_outbox_is_written_with_its_effect_or_not_at_all(store) -> None:
    def failing_effect(session) -> None:
        session.add(Alarm(id="x1", kind="ai_violation", district_id="D01", business_id="B",
                          condition_key="k"))
        raise RuntimeError("power cut in the middle")

    with pytest.raises(RuntimeError):
        await store.record_action("alarm.ack", {"alarm_id": "x1"}, failing_effect)
    assert await store.run(lambda s: s.scalars(select(OutboxAction)).all()) == []
    assert await store.run(lambda s: s.get(Alarm, "x1")) is None


async def test_actions_queue_offline_and_arrive_exactly_once(tmp_path: Path, store) -> None:
    db = tmp_path / "central.db"
    central = start_central(db)
    port = int(central.url.rsplit(":", 1)[1])
    try:
        client = ApiClient(central.url)
        await client.login("operator", DEMO_PASSWORD)
        engine = SyncEngine(client, store, "operator", DEMO_PASSWORD)
        await engine.pull()
        camera = await store.run(lambda s: s.scalars(select(Camera)).first())
        central.stop()
        # Offline: the operator keeps working; actions wait in the outbox.
        keys = [await store.record_action("camera.health", {
            "camera_id": camera.id, "health": state, "reason": "test"})
            for state in ("offline", "playing", "frozen")]
        bad = await store.record_action("alarm.ack", {"alarm_id": "does-not-exist"})
        assert (await store.outbox_counts()) == (4, 0)
        central = start_central(db, port)
        engine.start()
        deadline = asyncio.get_running_loop().time() + 30
        while (await store.outbox_counts())[0] and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
        pending, rejected = await store.outbox_counts()
        assert (pending, rejected) == (0, 1)
        rows = await store.rejected()
        assert rows[0].idem_key == bad and "not found" in rows[0].error
        # Re-sending an acknowledged key is answered, not applied again.
        again = await client.action(keys[0], "camera.health",
                                    {"camera_id": camera.id, "health": "offline"})
        assert again["status"] == "applied"
        await engine.stop()
    finally:
        central.stop()


async def test_corrupt_local_database_is_kept_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "local.db"
    path.write_bytes(b"garbage" * 1000)
    local = LocalStore(path)
    try:
        assert local.recovered_from is not None and local.recovered_from.exists()
        assert local.recovered_from.read_bytes().startswith(b"garbage")
        assert await local.cursor() == 0
        sqlite3.connect(path).execute("select count(*) from outbox").fetchone()
    finally:
        local.close()
