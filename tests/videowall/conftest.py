"""Streams for the wall's tests: small synthetic clips served live by the simulator's server.

Clips are encoded once per machine (a few seconds of ffmpeg) into ``.cache/videowall-media``:
a moving picture with a running clock (sub 640×360, main 960×540), a frozen one and a black
one, all 15 fps H.264 with a key frame every second. The simulator's own server
(``simulator.server.create_app``) serves them as looped live HTTP-TS with fault injection
(``POST /control/cameras/<id> {"fault": ...}``); it runs in a child process on a free port.
When ``simulator/testing.py`` (the simulator's own test helper) lands, ``start_sim`` can
delegate to it; the fixtures' interface (``Sim.sub/main/fault/source``) stays.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEDIA = ROOT / ".cache" / "videowall-media" / "v2"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
H264 = ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
        "-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-bf", "0", "-an"]


def _encode(lavfi: str, seconds: int, out: Path) -> None:
    tmp = out.with_name(f"{out.stem}.part{os.getpid()}{out.suffix}")
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", lavfi, "-t", str(seconds), *H264, str(tmp)], check=True, timeout=120)
    tmp.replace(out)


def prepare_media(root: Path = MEDIA) -> Path:
    """Encode the test clips if missing (locked: parallel sessions wait for one encoder)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        clock = ("drawtext=text='%{pts\\:hms} #%{n}':x=10:y=10:fontsize=28:fontcolor=white:"
                 "box=1:boxcolor=black@0.5")
        if FONT.exists():
            clock = clock.replace("drawtext=", f"drawtext=fontfile={FONT}:")
        clips = {
            "clip-live-sub.mp4": (f"testsrc2=size=640x360:rate=15,{clock}", 8),
            "clip-live-main.mp4": (f"testsrc2=size=960x540:rate=15,{clock}", 8),
            "clip-frozen-sub.mp4": ("testsrc=size=640x360:rate=15,trim=end_frame=1,"
                                    "loop=-1:1:0,setpts=N/15/TB", 4),
            "clip-black-sub.mp4": ("color=c=black:size=640x360:rate=15", 4),
        }
        for name, (lavfi, seconds) in clips.items():
            if not (root / name).exists():
                _encode(lavfi, seconds, root / name)
        for variant in ("sub", "main"):
            for fault in ("frozen", "black"):
                link = root / f"clip-{fault}-{variant}.mp4"
                if not link.exists():
                    link.symlink_to(f"clip-{fault}-sub.mp4")
            for index in range(8):  # the simulator picks clip 0..7 by camera id
                link = root / f"clip-{index}-{variant}.mp4"
                if not link.exists():
                    link.symlink_to(f"clip-live-{variant}.mp4")
    return root


@dataclass
class Sim:
    url: str
    proc: subprocess.Popen[str]

    def sub(self, camera_id: str) -> str:
        return f"{self.url}/live/{camera_id}/sub.ts"

    def main(self, camera_id: str) -> str:
        return f"{self.url}/live/{camera_id}/main.ts"

    def fault(self, camera_id: str, kind: str | None) -> None:
        request = urllib.request.Request(f"{self.url}/control/cameras/{camera_id}",
                                         data=json.dumps({"fault": kind}).encode(),
                                         method="POST",
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=5).read()

    def source(self, camera_id: str, title: str | None = None):
        from videowall import TileSource

        return TileSource(camera_id, title or f"测试厨房 · {camera_id}", self.sub(camera_id),
                          self.main(camera_id), "biz-test")


def start_sim(media: Path) -> Sim:
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("simserver.py")),
                             str(media)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("KITCHENWATCH_SIM_URL="):
        proc.kill()
        raise RuntimeError(f"the test stream server did not start: {line!r}")
    return Sim(line.split("=", 1)[1], proc)


def stop_sim(sim: Sim) -> None:
    with contextlib.suppress(OSError):
        assert sim.proc.stdin is not None
        sim.proc.stdin.close()
    try:
        sim.proc.wait(5)
    except subprocess.TimeoutExpired:
        sim.proc.kill()
        sim.proc.wait(5)


@pytest.fixture(scope="session")
def media() -> Path:
    return prepare_media()


@pytest.fixture(scope="session")
def sim(media: Path) -> Iterator[Sim]:
    server = start_sim(media)
    yield server
    stop_sim(server)


@pytest.fixture(scope="session")
def stalling_url(media: Path) -> Iterator[str]:
    """An HTTP-TS source that sends two seconds of live video, then keeps the connection
    open and sends nothing (what a hung camera does)."""
    import socket
    import threading

    ts = media / "clip-live-sub.ts"
    if not ts.exists():
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i",
                        str(media / "clip-live-sub.mp4"), "-c", "copy", "-f", "mpegts",
                        str(ts)], check=True, timeout=60)
    data = ts.read_bytes()
    per_second = len(data) // 8
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    stop = threading.Event()

    def client(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\n\r\n")
            for tenth in range(20):
                conn.sendall(data[tenth * per_second // 10:(tenth + 1) * per_second // 10])
                if stop.wait(0.1):
                    return
            stop.wait(60)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=client, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/camera/stalls.ts"
    stop.set()
    server.close()


@pytest.fixture(scope="session")
def rtsp_url(media: Path) -> Iterator[str]:
    """A live RTSP source on loopback (RTP over UDP), for the RTSP paths of both backends."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "rtspserver.py"),
                             str(media / "clip-live-sub.mp4")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("RTSP_URL="):
        proc.kill()
        raise RuntimeError(f"the test RTSP server did not start: {line!r}")
    time.sleep(0.5)  # let the broadcast start before the first DESCRIBE
    yield line.split("=", 1)[1]
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture
def engine(qapp):
    """A private engine (own workers) per test, shut down afterwards."""
    from videowall.engine import WallEngine
    from videowall.watchdog import WatchdogConfig

    eng = WallEngine(workers=2, watchdog=WatchdogConfig(frozen_s=4.0, black_s=2.0))
    yield eng
    eng.shutdown()


@pytest.fixture
def wall(qtbot, engine):
    from videowall import VideoWall

    widget = VideoWall("4", engine=engine)
    qtbot.addWidget(widget)
    widget.resize(640, 360)  # 4 tiles of 320×180
    widget.show()
    yield widget
    widget.shutdown()


def wait_for(condition: Callable[[], bool], timeout: float, what: str, qtbot=None) -> float:
    """Poll ``condition`` (processing Qt events when ``qtbot`` is given); seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout:.1f} s waiting for {what}")
        if qtbot is not None:
            qtbot.wait(20)
        else:
            time.sleep(0.02)
    return time.monotonic() - started
