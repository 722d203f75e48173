"""An AI box's own clip of an event (issue 16 item 2): validated, stored by hash, scoped.

Real clips, cut by ffmpeg as the simulator does; central recognises MP4 and MPEG-TS by their
bytes and keeps the clip on the alarm, served like evidence images: the token in the header,
only within the caller's scope, privately cached, with range requests for a player.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central.context import CONFIG
from central.media import clip_extension, clip_reference
from db.models import Alarm, Camera, utcnow
from tests.central.conftest import Api


def _cut(tmp: Path, fmt: str) -> bytes:
    out = tmp / f"clip.{fmt}"
    muxer = ["-f", "mp4", "-movflags", "+faststart"] if fmt == "mp4" else ["-f", "mpegts"]
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=160x90:rate=10", "-t", "2", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", *muxer, str(out)], check=True,
                   timeout=60)
    return out.read_bytes()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("clips")
    return {"mp4": _cut(tmp, "mp4"), "ts": _cut(tmp, "ts")}


async def _camera(api: Api, district: str) -> Camera:
    return await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == district).order_by(Camera.id)
        .limit(1)).one())


async def _post(api: Api, camera: Camera, clip: bytes, **extra: Any):
    return await api.post("/api/events/ai", {
        "camera_id": camera.id, "violation": "no_mask", "ts": utcnow().isoformat(),
        "clip_b64": base64.b64encode(clip).decode(), **extra}, "gateway")


@pytest.mark.parametrize("fmt", ["mp4", "ts"])
async def test_a_clip_rides_with_its_ai_event_and_is_served_within_scope(
        api: Api, clips: dict[str, bytes], fmt: str) -> None:
    data = clips[fmt]
    camera = await _camera(api, "D01")
    reply = await _post(api, camera, data)
    assert reply.status == 200, reply.body
    digest = hashlib.sha256(data).hexdigest()
    assert reply.body["clip_url"] == f"/media/{digest}.{fmt}"
    assert reply.body["clip_sha256"] == digest
    alarm = await api.db.read(lambda s: s.get(Alarm, reply.body["alarm_id"]))
    assert alarm.evidence_clip_url == reply.body["clip_url"]
    rows, _ = await api.feed("kbs")  # consoles learn of the clip through the change feed
    synced = [r["payload"] for r in rows if r["entity"] == "alarm"
              and r["payload"]["id"] == alarm.id]
    assert synced and synced[-1]["evidence_clip_url"] == reply.body["clip_url"]
    got = await api.get(reply.body["clip_url"], "kbs")  # the camera's district
    assert got.status == 200 and hashlib.sha256(got.body).hexdigest() == digest
    assert got.headers["Content-Type"] == {"mp4": "video/mp4", "ts": "video/mp2t"}[fmt]
    assert got.headers["Cache-Control"].startswith("private")
    part = await api.get(reply.body["clip_url"], "operator", headers={"Range": "bytes=0-187"})
    assert part.status == 206 and part.body == data[:188]
    other = await api.get(reply.body["clip_url"], "ds")  # another district: as if absent
    assert other.status == 404
    anonymous = await api.get(reply.body["clip_url"], None)
    assert anonymous.status == 401


async def test_a_clip_is_recognised_by_its_bytes_not_its_claims(
        api: Api, clips: dict[str, bytes]) -> None:
    camera = await _camera(api, "D01")
    png = b"\x89PNG\r\n\x1a\n" + bytes(600)
    for fake in (png, b"ftyp" + clips["mp4"][8:], b"G" + bytes(600), b"not a video at all"):
        reply = await _post(api, camera, fake)
        assert reply.status == 422, reply.body
        assert "expected an MP4 or MPEG-TS video clip" in reply.body["message"]
    assert clip_extension(clips["mp4"]) == "mp4" and clip_extension(clips["ts"]) == "ts"
    assert clip_reference("/media/" + "a" * 64 + ".ts") == "a" * 64 + ".ts"
    assert clip_reference("/media/" + "a" * 64 + ".jpg") is None


async def test_a_clip_over_the_limit_is_refused(api: Api, clips: dict[str, bytes]) -> None:
    camera = await _camera(api, "D01")
    api.app[CONFIG].max_clip_bytes = len(clips["ts"]) - 1
    reply = await _post(api, camera, clips["ts"])
    assert reply.status == 413, reply.body
    assert f"clip of {len(clips['ts'])} bytes exceeds the limit" in reply.body["message"]


@pytest.mark.parametrize("fmt", ["ts", "mp4"])
async def test_the_simulator_s_clips_are_accepted_and_play(
        api: Api, tmp_path: Path, fmt: str) -> None:
    """What the simulator sends (simulator/ai_clips.py, cut from its looped stream without
    re-encoding) is taken by central and decodes to about CLIP_SECONDS of pictures."""
    import av

    from simulator.ai_clips import CLIP_SECONDS, cut_clip

    source = tmp_path / "stream.mp4"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=320x180:rate=15", "-t", "10", "-c:v", "libx264", "-preset",
                    "ultrafast", "-g", "15", "-pix_fmt", "yuv420p", str(source)], check=True,
                   timeout=60)
    data = await cut_clip(source, 3.0, fmt)
    assert clip_extension(data) == fmt
    reply = await _post(api, await _camera(api, "D01"), data)
    assert reply.status == 200 and reply.body["clip_url"].endswith(f".{fmt}"), reply.body
    stored = tmp_path / f"stored.{fmt}"
    stored.write_bytes((await api.get(reply.body["clip_url"], "operator")).body)
    with av.open(str(stored)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert abs(frames / 15 - CLIP_SECONDS) <= 1.0, frames
