"""The wall against real streams from the simulator: live pictures, honest states, healing."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import pytest

from console.demo import Child, start_child
from videowall import StreamState, TileSource, VideoWall

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def sim() -> Iterator[Child]:
    child = start_child("simulator", [sys.executable, "-m", "simulator", "--port", "0"],
                        "KITCHENWATCH_SIM_URL")
    yield child
    child.stop()


def fault(sim: Child, camera_id: str, kind: str | None) -> None:
    request = urllib.request.Request(f"{sim.url}/control/cameras/{camera_id}",
                                     data=json.dumps({"fault": kind}).encode(), method="POST")
    urllib.request.urlopen(request, timeout=5).read()


def source(sim: Child, camera_id: str) -> TileSource:
    return TileSource(camera_id, f"测试厨房 · {camera_id}", f"{sim.url}/live/{camera_id}/sub.ts",
                      f"{sim.url}/live/{camera_id}/main.ts")


@pytest.fixture
def wall(qtbot) -> Iterator[VideoWall]:
    widget = VideoWall("4")
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    widget.show()
    yield widget
    widget.shutdown()


def test_four_tiles_play_and_a_lost_source_heals(sim, wall, qtbot) -> None:
    cams = [f"W{i}" for i in range(4)]
    wall.fill([source(sim, c) for c in cams])
    tiles = wall.tiles()
    qtbot.waitUntil(lambda: all(t.status.state == StreamState.PLAYING for t in tiles),
                    timeout=20000)
    fault(sim, "W0", "offline")
    try:
        qtbot.waitUntil(lambda: tiles[0].status.state in (StreamState.RECONNECTING,
                                                          StreamState.OFFLINE), timeout=5000)
        others = [t.player.frames for t in tiles[1:]]
        qtbot.wait(1000)
        gained = [t.player.frames - n for t, n in zip(tiles[1:], others, strict=True)]
        assert all(g >= 10 for g in gained), f"other tiles slowed down: {gained} frames/s"
        assert "503" in tiles[0].status.reason or "refused" in tiles[0].status.reason \
            or tiles[0].status.reason, tiles[0].status
    finally:
        fault(sim, "W0", None)
    qtbot.waitUntil(lambda: tiles[0].status.state == StreamState.PLAYING, timeout=35000)


def test_frozen_picture_is_called_frozen(sim, wall, qtbot) -> None:
    wall.set_cell(0, source(sim, "F1"))
    tile = wall.tiles()[0]
    qtbot.waitUntil(lambda: tile.status.state == StreamState.PLAYING, timeout=20000)
    fault(sim, "F1", "frozen")
    try:
        qtbot.waitUntil(lambda: tile.status.state == StreamState.FROZEN, timeout=25000)
        assert "unchanged" in tile.state_text().lower() or "frozen" in tile.state_text().lower()
    finally:
        fault(sim, "F1", None)


def test_maximise_switches_to_main_stream_and_back(sim, wall, qtbot) -> None:
    wall.set_cell(1, source(sim, "M1"))
    tile = wall.tiles()[1]
    qtbot.waitUntil(lambda: tile.status.state == StreamState.PLAYING, timeout=20000)
    wall.maximise(1)
    assert tile.main_stream
    qtbot.waitUntil(lambda: tile.player is not None and tile.player.poll_source_size()[0] == 1280,
                    timeout=20000)
    wall.maximise(None)
    assert not tile.main_stream


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:1/x.ts",
    "rtsp://admin:secret@127.0.0.1:1/Streaming/Channels/102",
    "file:///nonexistent/clip.ts",
    "javascript:alert(1)",
    "http://127.0.0.1:1/" + "a" * 10000,
    "\u202e\u0000💥://??",
    "",
])
def test_hostile_urls_give_a_clear_error_and_no_credentials(wall, qtbot, url: str) -> None:
    wall.set_cell(0, TileSource("bad", "坏摄像头", url))
    tile = wall.tiles()[0]
    qtbot.waitUntil(lambda: tile.status.state in (StreamState.OFFLINE, StreamState.RECONNECTING)
                    and bool(tile.status.reason), timeout=15000)
    text = tile.state_text()
    assert text and "secret" not in text and "admin" not in text


def test_probe_reports_json_and_exit_status(sim) -> None:
    ok = subprocess.run([sys.executable, "-m", "console", "probe", f"{sim.url}/live/P1/sub.ts",
                         "--seconds", "3"], capture_output=True, text=True, timeout=60)
    result = json.loads(ok.stdout.strip().splitlines()[-1])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert result["state"] == "playing" and result["width"] == 640 and result["frames"] > 10
    bad = subprocess.run([sys.executable, "-m", "console", "probe",
                          "http://user:pw@127.0.0.1:1/x.ts", "--seconds", "2"],
                         capture_output=True, text=True, timeout=60)
    last = json.loads(bad.stdout.strip().splitlines()[-1])
    assert bad.returncode == 1 and last["state"] == "offline" and "refused" in last["error"]
    assert "pw" not in bad.stdout
