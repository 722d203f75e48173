"""Live sources on loopback for each scheme a camera platform hands out (tests and bench).

RTMP and HTTP-FLV come from ``ffmpeg -listen 1`` (a real RTMP server handshake and a real
HTTP response; one client per ffmpeg, so each call starts a fresh one); HTTP-TS and HLS from
the simulator's server; RTSP from libVLC's VLM (``rtspserver.py``). Every source loops a clip
with ``-re``, so pictures arrive at the stream's own rate, as from a camera.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

SCHEMES = ("rtsp", "rtmp", "http-flv", "hls", "http-ts")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, timeout: float = 10.0) -> None:
    # ffmpeg -listen 1 accepts exactly one client: probing by connecting would use it up, so
    # look at the kernel's table of listening sockets instead.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _listening(port):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def _listening(port: int) -> bool:
    needle = f":{port:04X} "
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                if len(fields) > 3 and (fields[1] + " ").endswith(needle) and fields[3] == "0A":
                    return True
    return False


@contextlib.contextmanager
def ffmpeg_server(clip: Path, scheme: str) -> Iterator[str]:
    """``rtmp`` or ``http-flv``: an ffmpeg that serves ``clip`` live to the first client."""
    port = free_port()
    if scheme == "rtmp":
        url = f"rtmp://127.0.0.1:{port}/live/cam"
    elif scheme == "http-flv":
        url = f"http://127.0.0.1:{port}/live/cam.flv"
    else:
        raise ValueError(scheme)
    proc = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                             "-stream_loop", "-1", "-i", str(clip), "-c", "copy", "-f", "flv",
                             "-listen", "1", url], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(port)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def rtsp_server(clip: Path) -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("rtspserver.py")),
                             str(clip)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("RTSP_URL="):
        proc.kill()
        raise RuntimeError(f"the test RTSP server did not start: {line!r}")
    time.sleep(0.5)  # let the broadcast start before the first DESCRIBE
    try:
        yield line.split("=", 1)[1]
    finally:
        assert proc.stdin is not None
        with contextlib.suppress(OSError):
            proc.stdin.close()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def warm_hls(url: str, timeout: float = 15.0) -> None:
    """The simulator starts an HLS writer on the first request; wait for its playlist to list
    segments so that a measurement times the player, not the writer's start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            body = urllib.request.urlopen(url, timeout=5).read().decode()
            if body.count(".ts") >= 2:
                return
        time.sleep(0.3)
    raise RuntimeError("the HLS playlist never listed two segments")


@contextlib.contextmanager
def source(scheme: str, sim_url: str, media: Path, camera_id: str = "c1",
           clip: str = "clip-live-sub.mp4") -> Iterator[str]:
    """A live URL of ``scheme`` playing ``clip`` (``clip-frozen-sub.mp4``, ``clip-black-…``)."""
    if scheme in ("rtmp", "http-flv"):
        with ffmpeg_server(media / clip, scheme) as url:
            yield url
    elif scheme == "rtsp":
        with rtsp_server(media / clip) as url:
            yield url
    elif scheme == "http-ts":
        yield f"{sim_url}/live/{camera_id}/sub.ts"
    elif scheme == "hls":
        url = f"{sim_url}/hls/{camera_id}/sub/index.m3u8"
        warm_hls(url)
        yield url
    else:
        raise ValueError(f"unknown scheme {scheme}")
