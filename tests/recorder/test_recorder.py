"""The recorder end to end: real streams, real FFmpeg, real files, central's real index."""

from __future__ import annotations

import asyncio
import os
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from central.config import CentralConfig
from domain.clock import utcnow
from tests.central.conftest import Api
from tests.recorder.conftest import (
    StartRecorder,
    cameras,
    decode_all,
    indexed,
    probe,
    wait_for,
)
from tests.videowall.conftest import Sim

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(240)]


def _file(config: CentralConfig, seg) -> Path:  # type: ignore[no-untyped-def]
    return config.recordings_dir / seg.recorder / seg.path


def _covered(segs, start: datetime, end: datetime) -> bool:  # type: ignore[no-untyped-def]
    """The segments cover [start, end] without a hole longer than a key-frame cut."""
    cursor = start
    for seg in segs:
        if seg.start - cursor > timedelta(seconds=1.5) and seg.start > cursor:
            return False
        if seg.end > cursor:
            cursor = seg.end
        if cursor >= end:
            return True
    return False


async def test_an_alarm_on_a_recorded_camera_yields_a_clip_that_covers_it_and_plays(
        api: Api, sim: Sim, config: CentralConfig, start_recorder: StartRecorder,
        tmp_path: Path) -> None:
    alarmed, quiet = cameras(api, sim, 2)
    for camera_id in (alarmed, quiet):
        assert (await api.action("admin", "recording.policy", {
            "mode": "alarm", "camera_id": camera_id})).status == 200
    await start_recorder()
    await asyncio.sleep(14)  # the rolling buffer fills; nothing is indexed without an alarm
    assert indexed(api) == []
    raised = await api.post("/api/events/ai", {"camera_id": alarmed, "violation": "no_mask",
                                               "ts": utcnow().isoformat()}, as_user="gateway")
    assert raised.status == 200, raised.body
    alarm_at = utcnow()
    want_from, want_to = alarm_at - timedelta(seconds=10), alarm_at + timedelta(seconds=20)
    await wait_for(lambda: _covered(indexed(api, alarmed), want_from, want_to), 60,
                   "segments covering 10 s before to 20 s after the alarm")
    segs = indexed(api, alarmed)
    assert {seg.reason for seg in segs} == {"alarm"}
    assert all(seg.expires_at - seg.end == timedelta(days=180) for seg in segs)
    assert indexed(api, quiet) == []  # the other camera's buffer was never kept

    token = await api.login("kbs")
    clip = tmp_path / "clip.ts"
    async with api.http.get(api.base + "/api/recordings/clip.ts", params={
            "camera": alarmed, "from": want_from.isoformat(), "to": want_to.isoformat()},
            headers={"Authorization": f"Bearer {token}"}) as resp:
        assert resp.status == 200
        clip.write_bytes(await resp.read())
    info = probe(clip)
    assert info["streams"][0]["codec_name"] == "h264"
    assert float(info["format"]["duration"]) >= 29.0
    assert decode_all(clip) >= 29 * 15 * 0.9  # 15 fps, every picture decodes
    # the HLS playlist of the same range plays through ffprobe as well, which sends the header
    # for the playlist and every segment (the playlist itself carries no token)
    playlist = f"{api.base}/api/recordings/clip.m3u8?camera={alarmed}" \
               f"&from={want_from.isoformat()}&to={want_to.isoformat()}"
    hls = await asyncio.to_thread(probe_url, playlist.replace("+00:00", "Z"), token)
    assert float(hls["format"]["duration"]) >= 29.0


def probe_url(url: str, token: str) -> dict:  # type: ignore[type-arg]
    import json

    header = f"Authorization: Bearer {token}\r\n"
    out = subprocess.run(["ffprobe", "-v", "error", "-headers", header, "-print_format", "json",
                          "-show_format", url],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


async def test_an_outage_is_a_gap_and_a_crash_loses_only_the_unfinished_segment(
        api: Api, sim: Sim, config: CentralConfig, start_recorder: StartRecorder) -> None:
    (camera_id,) = cameras(api, sim, 1)
    assert (await api.action("admin", "recording.policy", {
        "mode": "continuous", "camera_id": camera_id})).status == 200
    running = await start_recorder()
    await wait_for(lambda: len(indexed(api, camera_id)) >= 3, 40, "three segments")
    sim.fault(camera_id, "offline")
    outage_from = utcnow()
    await asyncio.sleep(8)
    sim.fault(camera_id, None)
    outage_to = utcnow()
    await wait_for(lambda: any(s.start > outage_to for s in indexed(api, camera_id)), 40,
                   "recording after the outage")
    reply = await api.get("/api/recordings", "operator", params={
        "camera": camera_id, "from": (outage_from - timedelta(minutes=2)).isoformat(),
        "to": utcnow().isoformat()})
    inner = [(datetime.fromisoformat(g["start"]), datetime.fromisoformat(g["end"]))
             for g in reply.body["gaps"][1:-1] or reply.body["gaps"]]
    assert any(end - start >= timedelta(seconds=4) and start >= outage_from - timedelta(seconds=3)
               and end <= outage_to + timedelta(seconds=15) for start, end in inner), \
        reply.body["gaps"]

    # a crash mid-segment, then a restart on the same store
    before = {s.id for s in indexed(api, camera_id)}
    await asyncio.sleep(1.0)
    await running.crash()
    partial = config.recordings_dir / "rec-test" / ".partial" / camera_id
    assert any(p.suffix == ".ts" for p in partial.iterdir())  # a half-written segment
    crashed_at = utcnow()
    await start_recorder()
    await wait_for(lambda: any(s.start > crashed_at for s in indexed(api, camera_id)), 40,
                   "recording after the restart")
    after = indexed(api, camera_id)
    assert before <= {s.id for s in after}
    for seg in after:  # every indexed file is whole: it is there, its size, and it decodes
        path = _file(config, seg)
        assert path.stat().st_size == seg.bytes, [(s.id, s.start, s.end, s.bytes) for s in after]
        assert decode_all(path) > 0
        duration = float(probe(path)["format"]["duration"])
        assert abs(duration - (seg.end - seg.start).total_seconds()) < 1.0


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 6 MB tmpfs: a real full disk. Needs the right to mount (root in CI's container)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


async def test_a_full_disk_stops_recording_with_an_alarm_and_keeps_what_was_recorded(
        api: Api, sim: Sim, config: CentralConfig, start_recorder: StartRecorder,
        small_disk: Path) -> None:
    from sqlalchemy import select

    from db.models import Alarm

    config.recordings_dir = small_disk
    camera_ids = cameras(api, sim, 2)
    for camera_id in camera_ids:
        assert (await api.action("admin", "recording.policy", {
            "mode": "continuous", "camera_id": camera_id})).status == 200
        # everything is evidence: nothing may be deleted to make room
        assert (await api.action("operator", "recording.lock", {
            "camera_id": camera_id, "start": (utcnow() - timedelta(hours=1)).isoformat(),
            "end": (utcnow() + timedelta(hours=1)).isoformat(),
            "reason": "inquiry"})).status == 200
    running = await start_recorder(store_root=small_disk, min_free_bytes=1_500_000)

    def disk_alarms() -> list[Alarm]:
        return api.db.read_sync(lambda s: list(s.scalars(
            select(Alarm).where(Alarm.kind == "recorder", Alarm.cleared_at.is_(None)))))

    await wait_for(lambda: len(disk_alarms()) == 2, 120, "the disk-full alarms")
    assert running.recorder.disk_full
    assert not running.recorder.captures  # recording stopped
    segs = indexed(api)
    assert segs
    for seg in segs:  # the index and the finished segments are intact
        path = _file(config, seg)
        assert path.stat().st_size == seg.bytes
        assert decode_all(path) > 0
    # space comes back: recording resumes and the alarms clear
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    await wait_for(lambda: not disk_alarms(), 30, "the disk-full alarms to clear")
    count = len(segs)
    await wait_for(lambda: len(indexed(api)) > count + 2, 40, "recording to resume")
    assert os.path.isdir(small_disk / "rec-test")


async def test_a_quota_deletes_the_oldest_first_and_never_a_locked_range(
        api: Api, sim: Sim, config: CentralConfig, start_recorder: StartRecorder) -> None:
    (camera_id,) = cameras(api, sim, 1)
    assert (await api.action("admin", "recording.policy", {
        "mode": "continuous", "camera_id": camera_id})).status == 200
    running = await start_recorder(prune_s=1.0)
    first = (await wait_for(lambda: indexed(api, camera_id), 40, "a first segment"))[0]
    assert (await api.action("operator", "recording.lock", {
        "camera_id": camera_id, "start": first.start.isoformat(),
        "end": first.end.isoformat(), "reason": "the cook without a mask"})).status == 200
    await wait_for(lambda: len(indexed(api, camera_id)) >= 6, 60, "six segments")
    size = max(seg.bytes for seg in indexed(api, camera_id))
    running.recorder.config.quota_bytes = size * 4
    seen = {seg.id: seg for seg in indexed(api, camera_id)}

    def pruned() -> bool:
        return running.recorder.kept_bytes <= size * 4 and len(indexed(api, camera_id)) < 6

    await wait_for(pruned, 30, "the quota to be enforced")
    left = indexed(api, camera_id)
    assert first.id in {seg.id for seg in left}  # locked: kept although the oldest
    gone = [seg for seg in seen.values() if seg.id not in {s.id for s in left}]
    assert gone

    def locked(seg) -> bool:  # type: ignore[no-untyped-def]
        return seg.start < first.end and first.start < seg.end  # overlaps the locked range

    assert not any(locked(seg) for seg in gone)
    unlocked_left = [seg for seg in left if not locked(seg) and seg.id in seen]
    assert all(g.start < u.start for g in gone for u in unlocked_left)  # oldest first
    for seg in gone:
        assert not _file(config, seg).exists()
    for seg in left:
        assert _file(config, seg).exists()
