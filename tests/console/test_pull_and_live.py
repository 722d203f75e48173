"""Snapshot, incremental pull and the live WebSocket against the real central server: paged
with progress, resumable, scoped, resynced when the server's database is replaced, and after a
dropped connection neither a gap nor a duplicate."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from common.backoff import Backoff
from console.sync.client import ApiClient, ServerUnreachable
from console.sync.live import LiveFeed, LiveSync
from console.sync.puller import Puller, SyncProgress
from console.sync.state import ConnectionState, ConnectionStatus, ConnectionTracker
from console.sync.store import LocalStore
from db.models import Business, Camera, District, Reading, Sensor, User
from tests.console.conftest import BUSINESSES, DEMO_PASSWORD, CentralServer, wait_for

pytestmark = pytest.mark.timeout(90)


class RecordingStore(LocalStore):
    """Remembers every feed position it actually applied, to prove none twice, none lost."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.applied_seqs: list[int] = []

    async def apply_changes(self, changes, *, upto=None, feed_id=None):  # type: ignore[override]
        cursor = await self.cursor()
        page = await super().apply_changes(changes, upto=upto, feed_id=feed_id)
        for change in changes:
            if int(change["seq"]) > cursor:
                cursor = int(change["seq"])
                self.applied_seqs.append(cursor)
        return page


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[RecordingStore]:
    local = RecordingStore(tmp_path / "local.db")
    yield local
    local.close()


async def login(central: CentralServer, username: str = "operator") -> ApiClient:
    client = ApiClient(central.url)
    await client.login(username, DEMO_PASSWORD)
    return client


async def server_feed(client: ApiClient) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    since = 0
    while True:
        page = await client.changes(since, 5000)
        rows += page["changes"]
        since = page["last_seq"]
        if not page["more"]:
            return rows, since


async def health_events(client: ApiClient, cameras: list[str], online: bool) -> None:
    """A gateway reports camera health: one feed change per camera (more for alarms)."""
    await client.request("POST", "/api/events/health", json={"events": [
        {"device": "camera", "id": cam, "online": online, "reason": "test"} for cam in cameras]})


async def test_snapshot_in_pages_with_progress_then_nothing_new(central, store) -> None:
    client = await login(central)
    try:
        progress: list[SyncProgress] = []
        puller = Puller(client, store, page_size=50, on_progress=progress.append)
        rows = await puller.pull()
        feed, head = await server_feed(client)
        assert rows == len(feed) and await store.cursor() == head
        assert len(progress) == -(-head // 50)  # one report per page
        assert [p.done for p in progress] == sorted(p.done for p in progress)
        assert progress[-1].finished and progress[-1].text() == f"{head:,} / {head:,}"
        assert await store.count(Business) == BUSINESSES
        assert await store.count(User) > 0  # operators see users (never their hashes)
        assert await puller.pull() == 0  # incremental: nothing changed
    finally:
        await client.close()


async def test_an_interrupted_pull_resumes_where_it_stopped(central, store) -> None:
    client = await login(central)
    calls = 0
    real_changes = client.changes

    async def flaky(since: int, limit: int) -> dict:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise ServerUnreachable("network cable pulled")
        return await real_changes(since, limit)

    client.changes = flaky  # type: ignore[method-assign]
    try:
        puller = Puller(client, store, page_size=40)
        with pytest.raises(ServerUnreachable):
            await puller.pull()
        assert await store.cursor() > 0  # the two pages that arrived are kept
        kept = list(store.applied_seqs)
        await puller.pull()
        _, head = await server_feed(client)
        assert await store.cursor() == head
        assert store.applied_seqs[:len(kept)] == kept
        assert len(store.applied_seqs) == len(set(store.applied_seqs))  # nothing twice
    finally:
        await client.close()


async def test_district_user_gets_only_their_district(central, store) -> None:
    client = await login(central, "kbs")
    try:
        await Puller(client, store).pull()
        districts = await store.read(lambda s: set(s.scalars(select(Business.district_id))))
        assert districts == {"D01"}
        assert await store.count(User) == 0
        assert await store.read(lambda s: s.scalars(select(District.id)).all()) == ["D01"]
    finally:
        await client.close()


async def test_a_replaced_server_database_means_a_fresh_sync(central, store) -> None:
    client = await login(central)
    try:
        puller = Puller(client, store)
        await puller.pull()
        await store.run(lambda s: s.add(District(id="GHOST", name="只在旧库里")))
        # The server's database is swapped for another (restored backup): other feed id.
        await central.stop()
        with sqlite3.connect(central.db_path) as db:
            db.execute("update sync_state set value='another-db' where key='central.feed_id'")
        await central.start()
        await client.login("operator", DEMO_PASSWORD)
        await puller.pull()
        assert (await store.feed_position())[1] == "another-db"
        assert await store.read(lambda s: s.get(District, "GHOST")) is None
        assert await store.count(Business) == BUSINESSES
        # Our cursor ahead of the server's head (older backup): also from scratch.
        await store.apply_changes([], upto=10**9)
        await puller.pull()
        _, head = await server_feed(client)
        assert await store.cursor() == head and await store.count(Business) == BUSINESSES
    finally:
        await client.close()


def make_sync(client: ApiClient, store: LocalStore, statuses: list[ConnectionStatus],
              readings: list[dict] | None = None) -> LiveSync:
    puller = Puller(client, store)
    live = LiveFeed(client, store, on_applied=lambda page: None,
                    on_reading=(readings.append if readings is not None else lambda m: None))
    return LiveSync(client, store, puller, live, ConnectionTracker(client.base_url),
                    on_status=statuses.append,
                    backoff=Backoff(initial_s=0.3, cap_s=1.0))


async def test_live_changes_and_readings_arrive(central, store) -> None:
    client = await login(central)
    gateway = await login(central, "gateway")
    statuses: list[ConnectionStatus] = []
    readings: list[dict] = []
    sync = make_sync(client, store, statuses, readings)
    task = asyncio.ensure_future(sync.run())
    try:
        await wait_for(lambda: statuses and statuses[-1].state == ConnectionState.ONLINE, 15,
                       "online")
        cam = await store.read(lambda s: s.scalars(select(Camera).order_by(Camera.id)).first())
        await health_events(gateway, [cam.id], online=False)
        await wait_for(lambda: store.read(lambda s: not s.get(Camera, cam.id).online), 10,
                       "the camera going offline in the cache")
        sensor_id = await store.read(lambda s: s.scalars(select(Sensor.id)).first())
        await gateway.request("POST", "/api/readings", json={"readings": [
            {"sensor_id": sensor_id, "ts": datetime.now(UTC).isoformat(), "value": 4.5}]})
        await wait_for(lambda: any(r.get("sensor_id") == sensor_id and r["value"] == 4.5
                                   for r in readings), 10, "the live reading")
        # A batch of several readings arrives as one "readings" frame: each reaches the
        # subscriber as a reading of its own.
        sensors = await store.read(lambda s: s.scalars(select(Sensor.id).limit(4)).all())
        now = datetime.now(UTC).isoformat()
        await gateway.request("POST", "/api/readings", json={"readings": [
            {"sensor_id": sid, "ts": now, "value": 5.5} for sid in sensors]})
        await wait_for(lambda: {r.get("sensor_id") for r in readings if r["value"] == 5.5}
                       == set(sensors), 10, "every reading of the batch")
        assert await store.count(Reading) == 0  # readings are forwarded, not stored
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()
        await gateway.close()


async def test_dropped_link_resumes_without_gap_or_duplicate(central, store) -> None:
    client = await login(central)
    gateway = await login(central, "gateway")
    statuses: list[ConnectionStatus] = []
    sync = make_sync(client, store, statuses)
    task = asyncio.ensure_future(sync.run())
    try:
        await wait_for(lambda: statuses and statuses[-1].state == ConnectionState.ONLINE, 15,
                       "online")
        cameras = await store.read(lambda s: s.scalars(select(Camera.id).order_by(Camera.id))
                                   .all())
        await health_events(gateway, cameras[:10], online=False)  # while live
        # The server goes away (all connections drop) and comes back.
        await central.stop()
        await wait_for(lambda: statuses[-1].state == ConnectionState.OFFLINE, 15,
                       "the drop to be noticed")
        offline = statuses[-1]
        assert offline.since <= statuses[-1].since and offline.detail
        central.edit_while_down(cameras[10:30], online=False)  # only a catch-up finds these
        await central.start()
        await gateway.login("gateway", DEMO_PASSWORD)
        await wait_for(lambda: statuses[-1].state == ConnectionState.ONLINE, 15,
                       "the reconnect")
        assert not any(await store.read(lambda s: s.execute(select(Camera.online).where(
            Camera.id.in_(cameras[:30]))).scalars().all()))
        await health_events(gateway, cameras[:30], online=True)  # after
        feed, head = await server_feed(client)
        await wait_for(lambda: _at(store, head), 15, "the cache to reach the server's head")
        assert len(store.applied_seqs) == len(set(store.applied_seqs)), "a duplicate"
        assert store.applied_seqs == sorted(store.applied_seqs), "out of order"
        server_cams = {c["id"]: c["payload"]["online"] for c in feed if c["entity"] == "camera"}
        local_cams = dict(await store.read(lambda s: s.execute(
            select(Camera.id, Camera.online)).all()))
        assert local_cams == server_cams, "a gap: the cache differs from the server"
        assert all(server_cams[c] for c in cameras[:30])
        states = [s.state for s in statuses]
        assert states.count(ConnectionState.OFFLINE) == 1  # reported once, not per retry
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()
        await gateway.close()


async def _at(store: LocalStore, head: int) -> bool:
    return await store.cursor() >= head


async def test_websocket_replays_from_the_cursor_then_says_hello(central, store) -> None:
    client = await login(central)
    try:
        first = await client.changes(0, 60)
        await store.apply_changes(first["changes"], upto=first["last_seq"],
                                  feed_id=first["feed_id"])
        hello: list[dict] = []
        live = LiveFeed(client, store, on_applied=lambda page: None, on_reading=lambda m: None,
                        batch_max=25)

        def on_hello(message: dict) -> None:
            hello.append(message)
            raise asyncio.CancelledError  # stop after the replay

        with pytest.raises(asyncio.CancelledError):
            await live.run(on_hello)
        feed, head = await server_feed(client)
        assert hello[0]["head_seq"] == head and await store.cursor() == head
        assert store.applied_seqs == sorted({c["seq"] for c in feed})
    finally:
        await client.close()


async def test_replayed_and_duplicated_messages_are_ignored(store) -> None:
    def cam(seq: int, online: bool) -> dict:
        return {"type": "change", "seq": seq, "entity": "camera", "id": "C1",
                "district_id": "D01", "deleted": False,
                "payload": {"id": "C1", "business_id": "B1", "district_id": "D01", "name": "c",
                            "online": online}}

    live = LiveFeed(None, store, on_applied=lambda page: None,  # type: ignore[arg-type]
                    on_reading=lambda m: None)
    queue: asyncio.Queue = asyncio.Queue()
    for message in (cam(5, True), cam(6, False), cam(5, True), cam(6, True),
                    {"type": "hello", "head_seq": 9, "feed_id": "F"}):
        queue.put_nowait(message)
    with pytest.raises(asyncio.CancelledError):
        await live._apply(queue, "", lambda m: (_ for _ in ()).throw(asyncio.CancelledError))
    assert store.applied_seqs == [5, 6]
    assert (await store.read(lambda s: s.get(Camera, "C1"))).online is False
    assert await store.feed_position() == (9, "F")
