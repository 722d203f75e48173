"""Every request body is read whole or refused whole, over a real socket from a slow client.

A body that arrives in pieces (small writes with pauses, or chunked without Content-Length)
must be stored or applied exactly as sent: the stored and the downloaded image hash like the
sent one. A body over a route's limit is a 413 that names the limit, and nothing is stored.
JSON nested deeper than central allows is a 400 that says so, never a 500.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from central.config import CentralConfig
from central.errors import MAX_JSON_DEPTH, json_depth_exceeds
from db.models import Alarm, Camera, Sensor, SensorKind, utcnow
from tests.central.conftest import Api, start_api
from tests.central.slow_client import RawReply, pieces, send

JPEG_MAGIC = b"\xff\xd8\xff\xe0"


def image(size: int, seed: int = 1) -> bytes:
    """``size`` bytes that central takes for a JPEG (it checks the magic, not the picture)."""
    return JPEG_MAGIC + random.Random(seed).randbytes(size - len(JPEG_MAGIC))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_files(media_dir: Path) -> list[Path]:
    """Everything in the media directory, temporary upload files included."""
    return sorted(media_dir.iterdir()) if media_dir.exists() else []


async def _auth(api: Api, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api.login(user)}"}


async def _download(api: Api, url: str, user: str = "operator") -> bytes:
    async with api.http.get(api.base + url, headers=await _auth(api, user)) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.read()


async def _assert_stored_whole(api: Api, config: CentralConfig, reply: RawReply,
                               data: bytes) -> None:
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["url"] == f"/media/{sha(data)}.jpg"
    assert (body["sha256"], body["bytes"]) == (sha(data), len(data))
    on_disk = (config.media_dir / f"{sha(data)}.jpg").read_bytes()
    assert sha(on_disk) == sha(data) and len(on_disk) == len(data)
    assert sha(await _download(api, body["url"])) == sha(data)


async def test_an_image_sent_slowly_in_small_pieces_is_stored_whole(
        api: Api, config: CentralConfig) -> None:
    data = image(100 * 1024)
    reply = await send(api.base, "POST", "/api/media", pieces(data, 4096), pause=0.02,
                       headers={**await _auth(api, "kbs_field1"),
                                "Content-Type": "image/jpeg"})
    await _assert_stored_whole(api, config, reply, data)


async def test_a_chunked_image_over_3_mb_is_stored_whole(api: Api,
                                                         config: CentralConfig) -> None:
    data = image(3 * 1024 * 1024 + 123_457, seed=2)
    reply = await send(api.base, "POST", "/api/media", pieces(data, 64 * 1024), chunked=True,
                       pause=0.005, headers={**await _auth(api, "operator"),
                                             "Content-Type": "image/jpeg"})
    await _assert_stored_whole(api, config, reply, data)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_an_image_over_the_limit_is_refused_whole_and_nothing_is_stored(
        api: Api, config: CentralConfig, chunked: bool) -> None:
    limit = config.max_media_bytes
    data = image(limit + 1024 * 1024, seed=3)
    reply = await send(api.base, "POST", "/api/media", pieces(data, 256 * 1024),
                       chunked=chunked, pause=0.002,
                       headers={**await _auth(api, "operator"), "Content-Type": "image/jpeg"})
    assert reply.status == 413, reply.body
    body = reply.json()
    assert body["error"] == "too_large" and f"limit of {limit} bytes" in body["message"]
    assert body["limit"] == limit
    assert stored_files(config.media_dir) == []
    # The server is still there, and a small image after the refusal is stored.
    small = image(2000, seed=4)
    again = await send(api.base, "POST", "/api/media", [small],
                       headers=await _auth(api, "operator"))
    await _assert_stored_whole(api, config, again, small)


async def _alarm_id(api: Api) -> str:
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == "D01").order_by(Camera.id).limit(1)).one())
    reply = await api.post("/api/events/ai", {"camera_id": camera.id, "violation": "smoking",
                                              "ts": utcnow().isoformat()}, "gateway")
    assert reply.status == 200, reply.body
    return reply.body["alarm_id"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_an_action_split_across_segments_is_applied(api: Api, chunked: bool) -> None:
    alarm_id = await _alarm_id(api)
    raw = json.dumps({"idem_key": uuid4().hex, "kind": "alarm.ack",
                      "payload": {"alarm_id": alarm_id}}).encode()
    reply = await send(api.base, "POST", "/api/actions", pieces(raw, 9), chunked=chunked,
                       pause=0.02, headers={**await _auth(api, "operator"),
                                            "Content-Type": "application/json"})
    assert reply.status == 200, reply.body
    assert reply.json()["status"] == "applied"
    alarm = await api.db.read(lambda s: s.get(Alarm, alarm_id))
    assert alarm.state == "acknowledged" and alarm.acked_by == "operator"


async def test_a_large_readings_batch_sent_chunked_and_slowly_is_accepted(api: Api) -> None:
    sensor = await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == SensorKind.SPECIAL_ROOM).order_by(Sensor.id)
        .limit(1)).one())
    start = utcnow().timestamp() - 3600
    batch = [{"sensor_id": sensor.id, "value": 20.0 + (i % 7) / 10,
              "ts": datetime.fromtimestamp(start + i, UTC).isoformat()} for i in range(3000)]
    raw = json.dumps({"readings": batch}).encode()
    assert len(raw) > 200_000
    reply = await send(api.base, "POST", "/api/readings", pieces(raw, 16 * 1024),
                       chunked=True, pause=0.01,
                       headers={**await _auth(api, "gateway"),
                                "Content-Type": "application/json"})
    assert reply.status == 200, reply.body
    assert reply.json() == {"accepted": 3000, "rejected": []}


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_json_body_over_the_limit_is_413_naming_it(api: Api, config: CentralConfig,
                                                          chunked: bool) -> None:
    limit = config.max_body_bytes
    filler = "x" * (limit + 100_000)
    raw = json.dumps({"idem_key": uuid4().hex, "kind": "audit",
                      "payload": {"detail": filler}}).encode()
    reply = await send(api.base, "POST", "/api/actions", pieces(raw, 128 * 1024),
                       chunked=chunked, pause=0.002,
                       headers={**await _auth(api, "operator"),
                                "Content-Type": "application/json"})
    assert reply.status == 413, reply.body
    assert f"limit of {limit} bytes" in reply.json()["message"]


def _nested(depth: int, leaf: str = "1") -> bytes:
    """An object nesting objects and lists ``depth`` levels deep."""
    text = leaf
    for level in range(depth):
        text = f'{{"a": {text}}}' if level % 2 else f"[{text}]"
    return text.encode()


@pytest.mark.parametrize("raw", [
    b"[" * 5000 + b"]" * 5000,
    b'{"a": ' * 5000 + b"1" + b"}" * 5000,
    _nested(MAX_JSON_DEPTH + 1),
    b'{"idem_key": "0123456789abcdef", "kind": "audit", "payload": ' + _nested(200) + b"}",
], ids=["lists-5000", "objects-5000", "limit+1", "inside-an-action"])
async def test_json_nested_too_deep_is_a_clear_400(api: Api, raw: bytes) -> None:
    for path, user in (("/api/actions", "operator"), ("/api/readings", "gateway"),
                       ("/api/login", None)):
        headers = {"Content-Type": "application/json"}
        if user:
            headers.update(await _auth(api, user))
        reply = await send(api.base, "POST", path, pieces(raw, 4096), pause=0, headers=headers)
        assert reply.status == 400, (path, reply.body)
        assert reply.json() == {"error": "bad_request", "message": (
            f"body is nested too deeply: objects and lists may nest at most "
            f"{MAX_JSON_DEPTH} levels")}


async def test_nesting_up_to_the_limit_and_brackets_in_text_are_not_refused(api: Api) -> None:
    deep_but_allowed = _nested(MAX_JSON_DEPTH)
    brackets_in_text = json.dumps({"idem_key": uuid4().hex, "kind": "nope", "payload": {
        "note": "[[[{{{" * 200 + '\\"]' * 50}}).encode()
    for raw in (deep_but_allowed, brackets_in_text):
        reply = await api.post("/api/actions", None, "operator", data=raw,
                               headers={"Content-Type": "application/json"})
        assert reply.status in (400, 422), reply.body
        assert "nested" not in reply.body["message"]


async def test_nan_and_infinity_stay_refused(api: Api) -> None:
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        raw = b'{"readings": [{"sensor_id": "x", "ts": "2026-01-01T00:00:00Z", "value": ' + \
            constant + b"}]}"
        reply = await api.post("/api/readings", None, "gateway", data=raw,
                               headers={"Content-Type": "application/json"})
        assert reply.status == 400 and "is not a number JSON allows" in reply.body["message"]


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


tricky_text = st.text(alphabet='[]{}"\\/ ax熊\n\u2028', max_size=12)
documents = st.recursive(st.none() | st.integers() | tricky_text,
                         lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(tricky_text, inner, max_size=3), max_leaves=30)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(document=documents, limit=st.integers(min_value=0, max_value=8),
       ensure_ascii=st.booleans())
def test_depth_check_agrees_with_the_parsed_document(document: object, limit: int,
                                                     ensure_ascii: bool) -> None:
    raw = json.dumps(document, ensure_ascii=ensure_ascii).encode()
    assert json_depth_exceeds(raw, limit) == (_depth(document) > limit)


async def test_an_image_that_does_not_read_back_intact_is_not_confirmed(
        api: Api, config: CentralConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """A short write (full disk, bad medium) must not be answered as stored: the console would
    delete its copy of the evidence."""
    import central.media

    real_write = central.media._write_file
    monkeypatch.setattr(central.media, "_write_file",
                        lambda path, data: real_write(path, data[:-10]))
    data = image(50_000, seed=5)
    reply = await send(api.base, "POST", "/api/media", [data],
                       headers=await _auth(api, "operator"))
    assert reply.status == 500, reply.body
    assert reply.json()["error"] == "not_stored"
    assert stored_files(config.media_dir) == []
    # A damaged file already under the name is replaced, not trusted, on the next upload.
    monkeypatch.setattr(central.media, "_write_file", real_write)
    config.media_dir.mkdir(parents=True, exist_ok=True)
    (config.media_dir / f"{sha(data)}.jpg").write_bytes(data[:30_000])
    reply = await send(api.base, "POST", "/api/media", pieces(data, 5000), pause=0.01,
                       headers=await _auth(api, "operator"))
    await _assert_stored_whole(api, config, reply, data)


async def test_a_body_that_stops_arriving_is_refused_not_waited_for_for_ever(
        config: CentralConfig) -> None:
    """A client that stalls mid-body, or sends a malformed chunk after the first one (aiohttp
    then feeds the handler nothing more, and never ends the body), gets a 408 once nothing has
    arrived for ``body_idle_timeout_s``: the handler is not held for ever."""
    config.body_idle_timeout_s = 0.5
    api, server, session = await start_api(config)
    try:
        token = await api.login("operator")
        url = urlsplit(api.base)
        head = (f"POST /api/actions HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: Bearer "
                f"{token}\r\nContent-Type: application/json\r\n")
        stalled = head + "Content-Length: 200\r\n\r\n" + '{"idem_key": "'
        bad_chunk = head + 'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n'
        for first, later in ((stalled, b""), (bad_chunk, b"zz\r\nnot a chunk\r\n0\r\n\r\n")):
            reader, writer = await asyncio.open_connection(url.hostname, url.port)
            try:
                writer.write(first.encode())
                await writer.drain()
                await asyncio.sleep(0.2)  # the handler is reading the body by now
                writer.write(later)
                await writer.drain()
                started = asyncio.get_running_loop().time()
                async with asyncio.timeout(10):
                    answer = await reader.readuntil(b"\r\n\r\n")
                    length = int(answer.lower().split(b"content-length: ")[1].split(b"\r")[0])
                    body = json.loads(await reader.readexactly(length))
                waited = asyncio.get_running_loop().time() - started
            finally:
                writer.close()
            assert answer.startswith(b"HTTP/1.1 408"), answer
            assert body["error"] == "timeout" and "nothing arrived for 0.5 s" in body["message"]
            assert waited < 5
        assert (await api.get("/api/health")).status == 200
    finally:
        await session.close()
        await server.close()


async def test_a_compressed_body_is_limited_by_what_it_expands_to(api: Api,
                                                                  config: CentralConfig) -> None:
    """aiohttp inflates ``Content-Encoding: gzip`` bodies: 20 KB on the wire can be 20 MB in
    memory. The limit applies to the inflated body, and a small compressed action works."""
    bomb = gzip.compress(b" " * (20 * 1024 * 1024))
    assert len(bomb) < 100_000
    headers = {**await _auth(api, "operator"), "Content-Type": "application/json",
               "Content-Encoding": "gzip"}
    reply = await send(api.base, "POST", "/api/actions", pieces(bomb, 8192), pause=0.001,
                       headers=headers)
    assert reply.status == 413, reply.body
    assert f"limit of {config.max_body_bytes} bytes" in reply.json()["message"]
    alarm_id = await _alarm_id(api)
    action = gzip.compress(json.dumps({"idem_key": uuid4().hex, "kind": "alarm.ack",
                                       "payload": {"alarm_id": alarm_id}}).encode())
    reply = await send(api.base, "POST", "/api/actions", pieces(action, 10), pause=0.01,
                       headers=headers)
    assert reply.status == 200, reply.body
