"""Central's recordings: the index a recorder writes, scope-checked playback with HTTP ranges,
retention and quota that never delete a locked range, the recording actions and the
disk-full alarm."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central.config import CentralConfig
from db.models import Alarm, Camera, RecordingSegment
from domain.clock import utcnow
from tests.central.conftest import Api

RECORDER = "rec-a"


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> CentralConfig:
    return CentralConfig(db_url=db_url, media_dir=tmp_path / "media",
                         recordings_dir=tmp_path / "recordings", run_background=False,
                         token_cache_s=0.0)


def _iso(ts: datetime) -> str:
    return ts.isoformat()


def _camera(api: Api, district: str) -> Camera:
    def work(session: Any) -> Camera:
        camera = session.scalars(select(Camera).where(Camera.district_id == district)
                                 .order_by(Camera.id)).first()
        session.expunge(camera)
        return camera

    return api.db.read_sync(work)


def _segment(config: CentralConfig, camera_id: str, start: datetime, seconds: float = 10,
             data: bytes | None = None, reason: str = "continuous",
             retention_days: int = 7) -> dict[str, Any]:
    ms = int(start.timestamp() * 1000)
    rel = f"{camera_id}/{start:%Y%m%d}/{ms}.ts"
    path = config.recordings_dir / RECORDER / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if data is not None else bytes(range(256)) * 8)
    return {"id": f"{camera_id}_{ms}", "camera_id": camera_id, "start": _iso(start),
            "end": _iso(start + timedelta(seconds=seconds)), "bytes": path.stat().st_size,
            "codec": "h264", "path": rel, "reason": reason, "retention_days": retention_days}


async def _index(api: Api, segments: list[dict[str, Any]]) -> None:
    reply = await api.post("/api/recordings/segments",
                           {"recorder": RECORDER, "segments": segments}, as_user="recorder")
    assert reply.status == 200, reply.body


async def test_the_index_shows_ranges_and_an_outage_as_a_gap(api: Api,
                                                             config: CentralConfig) -> None:
    camera = _camera(api, "D01")
    t0 = utcnow().replace(microsecond=0) - timedelta(minutes=10)
    # 3 back-to-back segments, a 60 s outage, 2 more
    segs = [_segment(config, camera.id, t0 + timedelta(seconds=10 * i)) for i in range(3)]
    segs += [_segment(config, camera.id, t0 + timedelta(seconds=90 + 10 * i)) for i in range(2)]
    await _index(api, segs)
    await _index(api, segs)  # a repeat after a lost reply changes nothing
    frm, to = t0 - timedelta(seconds=5), t0 + timedelta(seconds=120)
    reply = await api.get("/api/recordings", "kbs", params={
        "camera": camera.id, "from": _iso(frm), "to": _iso(to)})
    assert reply.status == 200, reply.body
    body = reply.body
    assert len(body["segments"]) == 5
    spans = [(datetime.fromisoformat(r["start"]), datetime.fromisoformat(r["end"]))
             for r in body["ranges"]]
    assert spans == [(t0, t0 + timedelta(seconds=30)),
                     (t0 + timedelta(seconds=90), t0 + timedelta(seconds=110))]
    gaps = [(datetime.fromisoformat(r["start"]), datetime.fromisoformat(r["end"]))
            for r in body["gaps"]]
    assert gaps == [(frm, t0), (t0 + timedelta(seconds=30), t0 + timedelta(seconds=90)),
                    (t0 + timedelta(seconds=110), to)]


async def test_a_segment_is_served_with_ranges_and_only_within_scope(
        api: Api, config: CentralConfig) -> None:
    camera = _camera(api, "D01")
    data = bytes((i * 7) % 251 for i in range(5000))
    seg = _segment(config, camera.id, utcnow() - timedelta(minutes=1), data=data)
    await _index(api, [seg])
    url = f"/api/recordings/{seg['id']}"

    whole = await api.http.get(api.base + url, headers={
        "Authorization": f"Bearer {await api.login('operator')}"})
    assert whole.status == 200 and await whole.read() == data
    token = await api.login("kbs")
    part = await api.http.get(api.base + url, headers={
        "Authorization": f"Bearer {token}", "Range": "bytes=1000-1999"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert await part.read() == data[1000:2000]
    tail = await api.http.get(api.base + url, headers={
        "Authorization": f"Bearer {token}", "Range": "bytes=-100"})
    assert tail.status == 206 and await tail.read() == data[-100:]
    beyond = await api.http.get(api.base + url, headers={
        "Authorization": f"Bearer {token}", "Range": f"bytes={len(data) + 10}-"})
    assert beyond.status == 416

    assert (await api.http.get(api.base + url)).status == 401  # never without a token
    assert (await api.get(url, "ds")).status == 404  # another district: not there at all
    assert (await api.get(url, "kbs_field1")).status == 403  # field staff never
    index = {"camera": camera.id, "from": _iso(utcnow() - timedelta(hours=1)),
             "to": _iso(utcnow())}
    assert (await api.get("/api/recordings", "ds", params=index)).status == 404
    assert (await api.get("/api/recordings", "kbs_field1", params=index)).status == 403
    assert (await api.get("/api/recordings", None, params=index)).status == 401


async def test_a_clip_for_a_time_range_is_the_segments_in_order(api: Api,
                                                                config: CentralConfig) -> None:
    camera = _camera(api, "D01")
    t0 = utcnow() - timedelta(minutes=5)
    segs = [_segment(config, camera.id, t0 + timedelta(seconds=10 * i),
                     data=bytes([i]) * (188 * (i + 1))) for i in range(3)]
    await _index(api, segs)
    query = {"camera": camera.id, "from": _iso(t0 + timedelta(seconds=12)),
             "to": _iso(t0 + timedelta(seconds=25))}
    clip = await api.http.get(api.base + "/api/recordings/clip.ts", params=query,
                              headers={"Authorization": f"Bearer {await api.login('kbs')}"})
    assert clip.status == 200
    assert await clip.read() == bytes([1]) * 376 + bytes([2]) * 564
    token = await api.login("kbs")
    raw = await (await api.http.get(api.base + "/api/recordings/clip.m3u8", params=query,
                                    headers={"Authorization": f"Bearer {token}"})).text()
    assert raw.startswith("#EXTM3U") and raw.rstrip().endswith("#EXT-X-ENDLIST")
    assert token not in raw and "token=" not in raw  # a saved playlist holds no credential
    links = [line for line in raw.splitlines() if line.startswith("/api/recordings/")]
    assert [link.split("?")[0].rsplit("/", 1)[1] for link in links] == [
        f"{segs[1]['id']}.ts", f"{segs[2]['id']}.ts"]
    assert (await api.get("/api/recordings/clip.ts", "ds", params=query)).status == 404


async def test_retention_and_quota_delete_oldest_first_and_never_a_locked_range(
        api: Api, config: CentralConfig) -> None:
    camera = _camera(api, "D01")
    old = utcnow() - timedelta(days=9)
    # continuous: 7 days; two expired, one of them locked; then three recent ones
    expired = [_segment(config, camera.id, old + timedelta(seconds=10 * i)) for i in range(2)]
    recent = [_segment(config, camera.id, utcnow() - timedelta(hours=3 - i)) for i in range(3)]
    await _index(api, expired + recent)
    lock = await api.action("kbs", "recording.lock", {
        "camera_id": camera.id, "start": expired[1]["start"], "end": expired[1]["end"],
        "reason": "the rodent, evidence for case 2026-17"})
    assert lock.status == 200, lock.body
    recent_lock = await api.action("kbs", "recording.lock", {
        "camera_id": camera.id, "start": recent[0]["start"], "end": recent[0]["end"],
        "reason": "kept for the hearing"})
    assert recent_lock.status == 200

    reply = await api.post("/api/recordings/prune", {"recorder": RECORDER, "free_bytes": 0},
                           as_user="recorder")
    assert reply.status == 200, reply.body
    assert [d["id"] for d in reply.body["deleted"]] == [expired[0]["id"]]
    # quota: free one segment's bytes: the oldest unlocked one goes (not the locked ones)
    reply = await api.post("/api/recordings/prune", {
        "recorder": RECORDER, "free_bytes": recent[1]["bytes"]}, as_user="recorder")
    assert [d["id"] for d in reply.body["deleted"]] == [recent[1]["id"]]
    left = api.db.read_sync(lambda s: sorted(s.scalars(select(RecordingSegment.id))))
    assert left == sorted([expired[1]["id"], recent[0]["id"], recent[2]["id"]])
    # a lock needs an end after its start
    bad = await api.action("kbs", "recording.lock", {
        "camera_id": camera.id, "start": recent[0]["end"], "end": recent[0]["start"],
        "reason": "x"})
    assert bad.status == 422 and "payload.end" in bad.body["message"]


async def test_record_now_and_stop_change_the_recorders_plan(api: Api) -> None:
    camera = _camera(api, "D02")

    async def planned() -> dict[str, Any]:
        reply = await api.get(f"/api/recorder/plan?recorder={RECORDER}", "recorder")
        assert reply.status == 200, reply.body
        return {row["camera_id"]: row["modes"] for row in reply.body["cameras"]}

    assert camera.id not in await planned()
    started = await api.action("operator", "recording.start", {"camera_id": camera.id,
                                                               "minutes": 5})
    assert started.status == 200, started.body
    assert "demand" in (await planned())[camera.id]
    assert (await api.action("ds", "recording.stop", {"camera_id": camera.id})).status == 200
    assert camera.id not in await planned()
    # another district's staff cannot start it; field staff and the viewer cannot at all
    assert (await api.action("kbs", "recording.start", {"camera_id": camera.id})).status == 404
    assert (await api.action("viewer", "recording.start",
                             {"camera_id": camera.id})).status == 403
    # policies are the admin's: alarm recording for a whole district
    refused = await api.action("operator", "recording.policy", {"mode": "alarm",
                                                                "district_id": "D02"})
    assert refused.status == 403
    saved = await api.action("admin", "recording.policy", {"mode": "alarm",
                                                           "district_id": "D02"})
    assert saved.status == 200, saved.body
    modes = (await planned())[camera.id]
    assert modes["alarm"]["retention_days"] == 180
    assert modes["alarm"]["pre_s"] >= 10 and modes["alarm"]["post_s"] >= 20


async def test_a_full_disk_raises_a_recorder_alarm_and_its_end_clears_it(api: Api) -> None:
    camera = _camera(api, "D01")
    reply = await api.post("/api/recordings/status", {
        "recorder": RECORDER, "disk_full": True, "camera_ids": [camera.id]}, as_user="recorder")
    assert reply.status == 200, reply.body

    def alarm(session: Any) -> Alarm:
        row = session.scalars(select(Alarm).where(Alarm.kind == "recorder",
                                                  Alarm.camera_id == camera.id)).one()
        session.expunge(row)
        return row

    raised = api.db.read_sync(alarm)
    assert raised.subtype == "disk_full" and raised.cleared_at is None
    assert RECORDER in raised.message
    await api.post("/api/recordings/status", {
        "recorder": RECORDER, "disk_full": False, "camera_ids": [camera.id]}, as_user="recorder")
    assert api.db.read_sync(alarm).cleared_at is not None
    # an operator cannot pretend to be a recorder
    assert (await api.post("/api/recordings/status", {
        "recorder": RECORDER, "disk_full": True, "camera_ids": [camera.id]},
        as_user="operator")).status == 403
