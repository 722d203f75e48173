"""Playback end to end: a real recorder copying the simulator's live stream into segments that
a real central indexes, the console's alarm panel → "Playback" → libVLC painting a picture of
the alarm time through a signed address; a recorder stop is a gap on the timeline; an export
is an MP4 ffprobe reads whose SHA-256 is in central's audit and in the evidence pack."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import aiohttp
import pytest
from sqlalchemy import select, update

from console.playback.ledger import ExportLedger
from console.playback.opener import PlaybackOpener
from console.playback.timeline_widget import GAP, LABEL_W, RANGE, SCALE_H
from console.playback.window import PlaybackWindow
from db.models import AuditEntry, Camera, RecordingSegment
from domain.clock import utcnow
from recorder.service import Recorder, RecorderConfig
from simulator.client import CentralClient
from tests.console.conftest import DEMO_PASSWORD, CentralServer, run, wait_until
from tests.recorder.conftest import probe, sim  # noqa: F401 - the simulator's stream server
from tests.videowall.conftest import Sim

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300),
              pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")]


class _Running:
    def __init__(self, base: str, root: Path) -> None:
        self.base, self.root = base, root
        self.task: asyncio.Task[None] | None = None
        self.recorder: Recorder | None = None
        self.session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self.session = aiohttp.ClientSession()
        client = CentralClient(self.session, self.base, "recorder", DEMO_PASSWORD)
        self.recorder = Recorder(client, RecorderConfig(
            name="rec-pb", store_root=self.root, segment_s=2.0, buffer_s=20.0, tick_s=0.2,
            plan_s=0.5, prune_s=3600.0, min_free_bytes=1024 * 1024, retry_cap_s=2.0))
        self.task = asyncio.ensure_future(self.recorder.run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.recorder is not None:
            await self.recorder.close()
        if self.session is not None:
            await self.session.close()
        self.task = self.recorder = self.session = None


@pytest.fixture
def recorded(qloop: asyncio.AbstractEventLoop, central_db: Path, sim: Sim,  # noqa: F811
             tmp_path: Path) -> Any:
    """Central with a continuous policy on one camera of D01, a recorder, and the console's
    client and store synced as the district user."""
    server = CentralServer(central_db, central_db.parent / "media",
                           config_overrides={"recordings_dir": tmp_path / "recordings"})
    run(qloop, server.start())

    def pick(session: Any) -> str:
        camera_id = session.scalars(select(Camera.id).where(Camera.district_id == "D01")
                                    .order_by(Camera.id)).first()
        session.execute(update(Camera).where(Camera.id == camera_id)
                        .values(main_url=sim.sub(camera_id)))
        return str(camera_id)

    camera_id = run(qloop, server.write(pick))
    recorder = _Running(server.url, tmp_path / "recordings")
    yield server, recorder, camera_id
    run(qloop, recorder.stop())
    run(qloop, server.stop())


def _segments(qloop: asyncio.AbstractEventLoop, server: CentralServer,
              camera_id: str) -> list[tuple[Any, Any]]:
    def work(session: Any) -> list[tuple[Any, Any]]:
        return [(s.start, s.end) for s in session.scalars(
            select(RecordingSegment).where(RecordingSegment.camera_id == camera_id)
            .order_by(RecordingSegment.start))]

    from central.context import DB

    assert server.app is not None
    return server.app[DB].read_sync(work)


def test_an_alarm_s_panel_plays_its_recording_a_gap_shows_and_an_export_is_audited(
        qloop: asyncio.AbstractEventLoop, recorded: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    from console.alarms.evidence_export import exported_clips
    from console.alarms.panels import PanelManager
    from console.sync.client import ApiClient
    from console.sync.puller import Puller
    from console.sync.store import LocalStore

    server, recorder, camera_id = recorded

    async def admin_policy() -> None:
        admin = ApiClient(server.url)
        await admin.login("admin", DEMO_PASSWORD)
        await admin.action(f"pol-{camera_id}", "recording.policy",
                           {"mode": "continuous", "camera_id": camera_id})
        await admin.close()

    run(qloop, admin_policy())
    run(qloop, recorder.start())
    wait_until(qloop, lambda: sum((b - a).total_seconds() for a, b in
                                  _segments(qloop, server, camera_id)) >= 14, 90,
               "14 s recorded")

    # the alarm, in the middle of what is recorded
    async def raise_alarm() -> str:
        async with aiohttp.ClientSession() as http:
            async with http.post(server.url + "/api/login", json={
                    "username": "gateway", "password": DEMO_PASSWORD}) as resp:
                token = (await resp.json())["token"]
            async with http.post(server.url + "/api/events/ai", json={
                    "camera_id": camera_id, "violation": "no_mask",
                    "ts": utcnow().isoformat()},
                    headers={"Authorization": f"Bearer {token}"}) as resp:
                assert resp.status == 200, await resp.text()
                return str((await resp.json())["alarm_id"])

    alarm_id = run(qloop, raise_alarm())
    alarm_at = utcnow()
    wait_until(qloop, lambda: _segments(qloop, server, camera_id)[-1][1]
               >= alarm_at + timedelta(seconds=6), 60, "6 s recorded after the alarm")
    # an outage of the recorder: a gap of several seconds
    run(qloop, recorder.stop())
    stopped_at = utcnow()
    run(qloop, asyncio.sleep(6))
    run(qloop, recorder.start())
    wait_until(qloop, lambda: _segments(qloop, server, camera_id)[-1][0]
               > stopped_at + timedelta(seconds=4), 60, "recording again after the outage")

    store = LocalStore(tmp_path / "local.db")
    client = ApiClient(server.url)
    run(qloop, client.login("kbs", DEMO_PASSWORD))
    run(qloop, Puller(client, store).pull())
    ledger = ExportLedger(tmp_path / "clips.json")
    opener = PlaybackOpener(store, client, "kbs", ledger=ledger)
    class Still(QWidget):
        """The panel's live picture (not under test here)."""

        def shutdown(self) -> None:
            pass

    panels = PanelManager(store, client, {"username": "kbs", "role": "district"},
                          lambda _a: None, lambda _l, _s, parent: cast(Any, Still(parent)),
                          read_only=False)
    opened: list[PlaybackWindow | None] = []
    panels.playback_requested.connect(
        lambda a: asyncio.ensure_future(opener.for_alarm(a)).add_done_callback(
            lambda f: opened.append(f.result())))
    try:
        panels.open(alarm_id)
        panel = wait_until(qloop, lambda: panels.panel(alarm_id), 20, "the alarm's panel")
        assert panel.playback_button.isVisible() or not panel.isVisible()
        clicked = time.monotonic()
        panel.playback_button.click()
        window = wait_until(qloop, lambda: opened and opened[0], 20, "a playback window")
        pane = window.panes[0]
        wait_until(qloop, lambda: pane.picture is not None, 30, "a picture painted")
        first_frame_s = time.monotonic() - clicked
        shown = wait_until(qloop, lambda: pane.vlc.at(), 10, "the picture's time")
        want = alarm_at - timedelta(seconds=10)  # the pre-roll before the alarm
        assert abs((shown - want).total_seconds()) <= 3.0, (shown, want)
        assert pane.picture.pixelColor(pane.picture.width() // 2,
                                       pane.picture.height() // 2).value() > 20  # not black
        print(f"alarm_clip_first_frame_s={first_frame_s:.2f}")

        # a click on the timeline: a picture of the instant clicked
        target = alarm_at + timedelta(seconds=3)
        window.seek(target)
        seek_started = time.monotonic()
        wait_until(qloop, lambda: pane.vlc.opened_at >= seek_started - 0.5
                   and (at := pane.vlc.at()) is not None
                   and abs((at - target).total_seconds()) <= 2.0, 20,
                   "a picture of the instant sought")

        # the gap: on the timeline, in grey, where the recorder was stopped
        track = window.tracks[0]
        gap = next(g for g in track.gaps if g.start <= stopped_at + timedelta(seconds=2) < g.end)
        assert gap.seconds >= 4
        window.set_paused(True)
        window.timer.stop()
        window.timeline.head = None  # the play head's line is not what is checked here
        window.timeline.resize(1200, window.timeline.height())
        window.timeline.window_model.zoom_to(6, gap.start)  # 5 minutes across
        # the gap in the middle: zooming keeps gap.start at its column of the whole day,
        # which late in the evening is the right edge (the test failed after 23:30)
        window.timeline.window_model.center_on(gap.start + (gap.end - gap.start) / 2)
        image = window.timeline.grab().toImage()
        y = SCALE_H + 2 + 9
        gap_x = int(window.timeline.time_to_x(gap.start + (gap.end - gap.start) / 2))
        rec_x = int(window.timeline.time_to_x(want))
        assert image.pixelColor(gap_x, y) == GAP and image.pixelColor(rec_x, y) == RANGE
        assert gap_x > LABEL_W

        # export: 6 s around the alarm
        out = tmp_path / "export" / "clip.mp4"
        clip = run(qloop, window.export_clip(0, alarm_at - timedelta(seconds=3),
                                             alarm_at + timedelta(seconds=3), out))
        assert clip is not None, window.status.text()
        info = probe(out)
        assert info["streams"][0]["codec_name"] == "h264"
        assert 5.0 <= float(info["format"]["duration"]) <= 7.5
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        assert clip.sha256 == digest
        assert not list(out.parent.glob("*.part"))

        def audit(session: Any) -> list[str]:
            return [a.detail for a in session.scalars(
                select(AuditEntry).where(AuditEntry.action == "recording.export"))]

        assert any(digest in d for d in run(qloop, server.read(audit)))
        rows, frames = exported_clips(ledger, alarm_id)
        assert rows and rows[0][2] == digest and len(frames) >= 2

        # a range with nothing recorded: a clear error, nothing written
        empty = tmp_path / "export" / "none.mp4"
        day_start = window.day.start
        assert run(qloop, window.export_clip(0, day_start, day_start + timedelta(seconds=5),
                                             empty)) is None
        assert "There is no recording" in window.status.text() and not empty.exists()

        # 痕迹化: closing the window records one playback look at the camera it showed
        import console.playback.window as playback_window

        looked: list[tuple[str, str, float]] = []
        real_record = playback_window.record_look
        playback_window.record_look = lambda cam, src, _at, secs: looked.append((cam, src, secs))
        try:
            window.close()
        finally:
            playback_window.record_look = real_record
        assert [(cam, src) for cam, src, _ in looked] == [(camera_id, "playback")]
        assert looked[0][2] > 1
    finally:
        panels.close_all()
        for w in opener.windows:
            w.close()
        run(qloop, client.close())
        store.close()
