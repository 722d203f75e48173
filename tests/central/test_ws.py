"""The WebSocket: replay, hello, live changes and readings, resume without gap or duplicate,
scoping, and slow clients cut off instead of slowing others."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import aiohttp
from sqlalchemy import select

from central.hub import Hub
from central.scope import Principal
from db.models import Camera, Sensor, utcnow
from tests.central.conftest import Api

TIMEOUT = 10.0


async def _until(ws: aiohttp.ClientWebSocketResponse, pred, seen: list[dict[str, Any]]
                 ) -> dict[str, Any]:
    """Receive messages (collecting them) until one matches ``pred``."""
    async with asyncio.timeout(TIMEOUT):
        while True:
            msg = await ws.receive_json()
            seen.append(msg)
            if pred(msg):
                return msg


async def _until_head(api: Api, ws: aiohttp.ClientWebSocketResponse,
                      seen: list[dict[str, Any]]) -> None:
    """Receive until the server's current head sequence has arrived."""
    head = (await api.get("/api/health")).body["head_seq"]
    await _until(ws, lambda m: m.get("type") == "change" and m["seq"] >= head, seen)


async def _camera(api: Api, district: str) -> Camera:
    return await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == district).order_by(Camera.id).limit(1)).one())


async def test_replay_hello_then_live(api: Api) -> None:
    token = await api.login("operator")
    rows, cursor = await api.feed("operator")
    seen: list[dict[str, Any]] = []
    async with api.http.ws_connect(api.ws_url(token, 0)) as ws:
        hello = await _until(ws, lambda m: m["type"] == "hello", seen)
        replayed = [m for m in seen if m["type"] == "change"]
        assert [m["seq"] for m in replayed] == [r["seq"] for r in rows]
        assert hello["head_seq"] == cursor and hello["feed_id"]
        camera = await _camera(api, "D02")
        await api.action("operator", "camera.health", {"camera_id": camera.id,
                                                       "health": "offline"})
        live = await _until(ws, lambda m: m.get("entity") == "camera", seen)
        assert live["id"] == camera.id and live["payload"]["online"] is False
        assert live["seq"] > cursor


async def test_resume_from_cursor_has_no_gap_and_no_duplicate(api: Api) -> None:
    token = await api.login("operator")
    _, start = await api.feed("operator")
    cams = await api.db.read(lambda s: list(s.scalars(select(Camera.id).order_by(Camera.id))))
    got: list[dict[str, Any]] = []
    async with api.http.ws_connect(api.ws_url(token, start)) as ws:
        await _until(ws, lambda m: m["type"] == "hello", got)
        for cam in cams[:3]:
            await api.action("operator", "camera.health", {"camera_id": cam,
                                                           "health": "black"})
        await _until_head(api, ws, got)
    cursor = max(m["seq"] for m in got if m["type"] == "change")
    # While disconnected, more changes happen.
    for cam in cams[3:6]:
        await api.action("operator", "camera.health", {"camera_id": cam, "health": "black"})
    resumed: list[dict[str, Any]] = []
    async with api.http.ws_connect(api.ws_url(token, cursor)) as ws:
        await _until(ws, lambda m: m["type"] == "hello", resumed)
        for cam in cams[6:8]:  # and some while connected again
            await api.action("operator", "camera.health", {"camera_id": cam,
                                                           "health": "black"})
        await _until_head(api, ws, resumed)
    seqs = [m["seq"] for m in got + resumed if m["type"] == "change"]
    assert len(seqs) == len(set(seqs)), "duplicate change"
    feed, _ = await api.feed("operator", since=start)
    assert sorted(seqs) == [r["seq"] for r in feed], "gap: the feed has changes the WS missed"
    assert {m["id"] for m in got + resumed if m.get("entity") == "camera"} == set(cams[:8])


async def test_district_socket_gets_only_its_district(api: Api) -> None:
    token = await api.login("kbs")
    _, cursor = await api.feed("kbs")
    seen: list[dict[str, Any]] = []
    async with api.http.ws_connect(api.ws_url(token, cursor)) as ws:
        await _until(ws, lambda m: m["type"] == "hello", seen)
        other, own = await _camera(api, "D02"), await _camera(api, "D01")
        await api.action("operator", "camera.health", {"camera_id": other.id,
                                                       "health": "offline"})
        await api.action("operator", "camera.health", {"camera_id": own.id,
                                                       "health": "offline"})
        await _until(ws, lambda m: m.get("id") == own.id, seen)
    changes = [m for m in seen if m["type"] == "change"]
    assert changes and {m["district_id"] for m in changes} == {"D01"}


async def test_live_readings_reach_sockets_that_see_the_sensor(api: Api) -> None:
    """One batch with a reading of a D01 sensor and one of a D02 sensor: each district's
    socket gets its own sensor's reading (as a single ``reading`` message) and nothing of the
    other district's. A socket's messages arrive in the order they were published, so once its
    own reading is in, anything of the other district from the same batch would be too."""
    def first_sensor(district: str):
        return api.db.read(lambda s: s.scalars(
            select(Sensor).where(Sensor.district_id == district).order_by(Sensor.id)
            .limit(1)).one())

    own = {"kbs": await first_sensor("D01"), "ds": await first_sensor("D02")}
    seen: dict[str, list[dict[str, Any]]] = {"kbs": [], "ds": []}
    async with api.http.ws_connect(api.ws_url(await api.login("kbs"))) as kbs, \
            api.http.ws_connect(api.ws_url(await api.login("ds"))) as ds:
        sockets = {"kbs": kbs, "ds": ds}
        for user, ws in sockets.items():
            await _until(ws, lambda m: m["type"] == "hello", seen[user])
            seen[user].clear()  # from here on: live messages only
        ts = (utcnow() - timedelta(seconds=5)).isoformat()
        reply = await api.post("/api/readings", {"readings": [
            {"sensor_id": own["kbs"].id, "ts": ts, "value": 21.5, "humidity": 55.0},
            {"sensor_id": own["ds"].id, "ts": ts, "value": 3.5, "humidity": 60.0}]}, "gateway")
        assert reply.status == 200 and reply.body["accepted"] == 2
        for user, ws in sockets.items():
            await _until(ws, lambda m, sid=own[user].id: sid in _reading_sensors(m), seen[user])
    for user, sensor in own.items():
        live = [m for m in seen[user] if m["type"] in ("reading", "readings")]
        assert [_reading_sensors(m) for m in live] == [[sensor.id]], (user, live)
    kbs_reading = next(m for m in seen["kbs"] if m["type"] == "reading")
    assert kbs_reading == {"type": "reading", "sensor_id": own["kbs"].id, "ts": ts,
                           "value": 21.5, "humidity": 55.0,
                           "rule_state": kbs_reading["rule_state"]}


def _reading_sensors(message: dict[str, Any]) -> list[str]:
    """The sensors whose live readings ``message`` carries (none for other messages)."""
    if message.get("type") == "reading":
        return [message["sensor_id"]]
    if message.get("type") == "readings":
        return [r["sensor_id"] for r in message["readings"]]
    return []


async def test_websocket_without_token_is_401_json(api: Api) -> None:
    reply = await api.get("/api/ws")
    assert reply.status == 401 and reply.body["error"] == "not_logged_in"


def test_slow_client_is_dropped_and_others_keep_receiving() -> None:
    async def scenario() -> None:
        hub = Hub(queue_size=10)
        slow = hub.subscribe(Principal("1", "slow", "operator", None))
        fast = hub.subscribe(Principal("2", "fast", "operator", None))
        received: list[int] = []

        async def consume() -> None:
            while (msg := await fast.get()) is not None:
                received.append(msg["seq"])
                if msg["seq"] == 50:
                    return

        consumer = asyncio.create_task(consume())
        for seq in range(1, 51):
            hub.publish_change({"seq": seq, "entity": "camera", "id": "c",
                                "district_id": "D01", "deleted": False, "payload": {}})
            await asyncio.sleep(0)  # the fast client drains as it goes; the slow one never
        await asyncio.wait_for(consumer, 5)
        assert received == list(range(1, 51))
        assert slow.overflowed and await slow.get() is None
        assert len(hub) == 1 and hub.dropped == 1

    asyncio.run(scenario())


async def test_a_batch_of_readings_is_one_frame_per_client_with_only_what_it_may_see(
        api: Api) -> None:
    def pick(district: str):
        return api.db.read(lambda s: s.scalars(
            select(Sensor).where(Sensor.district_id == district).order_by(Sensor.id)
            .limit(3)).all())

    own, other = await pick("D01"), await pick("D02")
    seen_kbs: list[dict[str, Any]] = []
    seen_op: list[dict[str, Any]] = []
    async with api.http.ws_connect(api.ws_url(await api.login("kbs"))) as kbs, \
            api.http.ws_connect(api.ws_url(await api.login("operator"))) as op:
        await _until(kbs, lambda m: m["type"] == "hello", seen_kbs)
        await _until(op, lambda m: m["type"] == "hello", seen_op)
        ts = (utcnow() - timedelta(seconds=5)).isoformat()
        reply = await api.post("/api/readings", {"readings": [
            {"sensor_id": s.id, "ts": ts, "value": 20.0 + i, "humidity": 50.0}
            for i, s in enumerate(own + other)]}, "gateway")
        assert len(own) > 1 and other
        assert reply.status == 200 and reply.body["accepted"] == len(own + other)
        mine = await _until(kbs, lambda m: m["type"] == "readings", seen_kbs)
        every = await _until(op, lambda m: m["type"] == "readings", seen_op)
    assert [r["sensor_id"] for r in mine["readings"]] == [s.id for s in own]
    assert {r["sensor_id"] for r in every["readings"]} == {s.id for s in own + other}
    assert all(r["type"] == "reading" and "value" in r for r in every["readings"])
