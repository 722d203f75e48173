"""RTSP on a Debian libVLC without live555, and the ``probe`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.videowall.conftest import wait_for
from videowall.adapters import libvlc_can_play_rtsp, needs_rtsp_adapter
from videowall.pool import WorkerPool
from videowall.streams import StreamManager
from videowall.watchdog import StreamState

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]


def _with_credentials(url: str) -> str:
    return url.replace("rtsp://", "rtsp://operator:s3cret@")


def test_debian_libvlc_is_detected_as_lacking_rtsp() -> None:
    # Debian's VLC is built with --disable-live555 (docs/platform-notes).
    assert libvlc_can_play_rtsp() is False
    assert needs_rtsp_adapter("rtsp://cam/1") and not needs_rtsp_adapter("http://cam/1.ts")


@pytest.mark.parametrize("backend", ["ffmpeg", "vlc"])
def test_rtsp_camera_plays_on_both_backends(rtsp_url: str, backend: str, caplog) -> None:
    manager = StreamManager(WorkerPool(workers=1), backend=backend)
    statuses = []
    manager.on_status.append(lambda _s, status: statuses.append(status))
    stream = manager.acquire(_with_credentials(rtsp_url), 320, 180)
    try:
        def live() -> bool:
            # libVLC reports the track's size and codec a moment after the first pictures: on a
            # loaded machine that status can come a poll or two after PLAYING.
            manager.poll()
            return (stream.status.state == StreamState.PLAYING and stream.frames > 10
                    and stream.status.width > 0)
        took = wait_for(live, 15, f"RTSP pictures through the {backend} backend")
        print(f"RTSP via {backend}: playing after {took:.2f} s")
        assert stream.status.width == 640 and stream.status.codec.startswith("h264")
    finally:
        manager.release(stream)
        manager.shutdown()
    text = " ".join([s.reason for s in statuses] + [r.getMessage() for r in caplog.records])
    assert "s3cret" not in text


def _probe(*args: str) -> tuple[int, dict, str]:
    done = subprocess.run([sys.executable, "-m", "videowall.probe", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1]), \
        done.stdout + done.stderr


def test_probe_reports_a_playing_stream(sim) -> None:
    code, result, _out = _probe(sim.sub("P1"), "--seconds", "3")
    assert code == 0, result
    assert result["state"] == "playing" and result["width"] == 640 and result["frames"] > 10
    assert result["codec"] == "h264" and 10 < result["fps"] < 20
    assert 0 < result["first_frame_s"] < 3


def test_probe_names_refusals_and_hides_credentials(sim) -> None:
    code, result, out = _probe("http://user:pw1234@127.0.0.1:1/x.ts", "--seconds", "2")
    assert code == 1 and result["state"] == "offline" and "refused" in result["error"]
    assert "pw1234" not in out
    sim.fault("P2", "offline")
    try:
        code, result, _out = _probe(sim.sub("P2"), "--seconds", "2")
    finally:
        sim.fault("P2", None)
    assert code == 1 and "503" in result["error"]


def test_probe_through_the_console_entry_point(rtsp_url: str) -> None:
    done = subprocess.run([sys.executable, "-m", "console", "probe",
                           _with_credentials(rtsp_url), "--seconds", "4"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0 and result["state"] == "playing", done.stdout + done.stderr
    assert "s3cret" not in done.stdout + done.stderr and "***@" in result["url"]
