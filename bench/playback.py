"""Benchmark of recording and playback (issue 16): what can be measured today (not a test).

    python bench/playback.py [--cameras 16] [--seconds 30] [--variant main|sub]

A real ``kitchenwatch-central`` (SQLite, the demo city, its cameras on the simulator's live
HTTP-TS streams on loopback) and a real ``kitchenwatch-recorder`` recording ``--cameras``
cameras continuously (10 s segments). Then, in the same run:

- ``recorder_cpu_ratio``: the CPU of the recorder (its Python process and its FFmpeg children)
  over ``--seconds``, against plain ``ffmpeg -c copy`` of the same streams into segments (the
  floor: the same copy without the recorder's bookkeeping) over as long, measured after the
  recorder has stopped. Target ≤ 1.2.
- ``bytes_ratio``: the bytes the recorder stored for segments that ended in the measured
  window, against the bytes the same streams delivered to a plain reader over the same window
  (the streams' own bitrate × time). Target ≤ 1.05.

- ``alarm_clip_first_frame_s``: an AI alarm on the first recorded camera; the real console
  (``bench/playback_console.py``, offscreen) opens its panel, clicks Playback, and times the
  panel's opening to the clip's first picture painted.
- ``seek_ms_p95``: in that playback window, seeks to random instants of the recorded range,
  each timed to a painted picture within 2 s of the target.
- ``main_first_frame_s``: the libVLC path's worst first picture over RTSP, RTMP, HTTP-FLV, HLS
  and HTTP-TS, painted in a real TileWidget (``bench/main_first_frame.py``). Target ≤ 1.5.

The load average is printed with each console figure and with the result. Human lines first;
the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import post_json, say, stop_on_sigterm  # noqa: E402

PASSWORD = "kw-demo-2026"
SEGMENT_S = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(argv: list[str], key: str | None, env: dict[str, str] | None = None,
           timeout: float = 180.0) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, cwd=ROOT, start_new_session=True)
    if key is None:
        return proc, ""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        if line.startswith(key + "="):
            threading.Thread(target=lambda: [None for _ in proc.stdout],  # type: ignore[union-attr]
                             daemon=True).start()
            return proc, line.split("=", 1)[1].strip()
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise SystemExit(f"{argv[2]} did not start")


def _stop(proc: subprocess.Popen[str] | subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _tree_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) of these processes and all their children now alive."""
    total = 0.0
    seen: set[int] = set()
    for pid in pids:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for proc in procs:
            if proc.pid in seen:
                continue
            seen.add(proc.pid)
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                continue
    return total


def _measure(pids: list[int], seconds: float) -> float:
    """Cores used by the process trees over ``seconds``."""
    before = _tree_cpu(pids)
    time.sleep(seconds)
    return (_tree_cpu(pids) - before) / seconds


def _stream_bytes(urls: list[str], seconds: float) -> int:
    """Bytes the streams deliver to plain readers in ``seconds`` (after a 2 s warm-up)."""
    counts = [0] * len(urls)
    start_at = time.monotonic() + 2.0
    stop_at = start_at + seconds

    def read(index: int, url: str) -> None:
        with urllib.request.urlopen(url, timeout=10) as resp:
            while time.monotonic() < stop_at:
                chunk = resp.read(65536)
                if not chunk:
                    break
                if time.monotonic() >= start_at:
                    counts[index] += len(chunk)

    threads = [threading.Thread(target=read, args=(i, u), daemon=True)
               for i, u in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 20)
    return sum(counts)


def _console_figures(url: str, camera_id: str, py: str) -> dict[str, Any]:
    """An AI alarm on a recorded camera, then the real console (bench/playback_console.py,
    offscreen): its panel's Playback to the first picture, and seeks on the timeline."""
    gateway = post_json(f"{url}/api/login", {"username": "gateway",
                                             "password": PASSWORD})["token"]
    alarm = post_json(f"{url}/api/events/ai", {
        "camera_id": camera_id, "violation": "no_mask",
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, gateway)["alarm_id"]
    time.sleep(SEGMENT_S + 4)  # the segment holding the alarm time is finished and indexed
    out = subprocess.run([py, "-m", "bench.playback_console", "--central", url,
                          "--alarm", alarm], capture_output=True, text=True, timeout=600,
                         cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"error": f"console probe failed: {out.stderr[-500:]}"}
    figures: dict[str, Any] = json.loads(lines[-1])
    say(f"console: alarm clip first picture {figures.get('alarm_clip_first_frame_s')} s "
        f"(load {figures.get('load_average_alarm_clip')}), seek p95 "
        f"{figures.get('seek_ms_p95')} ms over {figures.get('seeks')} seeks "
        f"(load {figures.get('load_average_seek')})")
    return figures


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cameras", type=int, default=16)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--variant", choices=["main", "sub"], default="main")
    args = p.parse_args(argv)
    stop_on_sigterm()
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-playback-"))
    procs: list[subprocess.Popen[str]] = []
    try:
        subprocess.run([py, "-m", "simulator", "--prepare-only"], check=True, cwd=ROOT,
                       capture_output=True, timeout=600)
        sim_port = _free_port()
        sim_base = f"http://127.0.0.1:{sim_port}"
        sim, _ = _start([py, "-m", "simulator", "--host", "127.0.0.1", "--port",
                         str(sim_port)], "KITCHENWATCH_SIM_URL")
        procs.append(sim)
        central, url = _start([py, "-m", "central", "--host", "127.0.0.1", "--port", "0",
                               "--db", f"sqlite:///{work / 'central.db'}",
                               "--media-dir", str(work / "media"),
                               "--recordings-dir", str(work / "recordings"),
                               "--demo-registry", "--businesses", "12",
                               "--stream-base", sim_base], "KITCHENWATCH_CENTRAL_URL")
        procs.append(central)
        token = post_json(f"{url}/api/login", {"username": "admin",
                                               "password": PASSWORD})["token"]
        request = urllib.request.Request(f"{url}/api/changes?since=0&limit=5000",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as resp:
            rows = json.load(resp)["changes"]
        cameras = sorted(r["payload"]["id"] for r in rows if r["entity"] == "camera")
        cameras = cameras[:args.cameras]
        urls = [f"{sim_base}/live/{c}/{args.variant}.ts" for c in cameras]
        for camera_id in cameras:
            post_json(f"{url}/api/actions", {
                "idem_key": uuid.uuid4().hex, "kind": "recording.policy",
                "payload": {"mode": "continuous", "camera_id": camera_id}}, token)
        say(f"{len(cameras)} cameras ({args.variant} streams), {args.seconds:.0f} s each phase")

        # --- the recorder
        env = {**os.environ, "KITCHENWATCH_PASSWORD": PASSWORD}
        recorder, store = _start([py, "-m", "recorder", "--central", url, "--user", "recorder",
                                  "--name", "bench", "--store", str(work / "recordings"),
                                  "--segment-seconds", str(SEGMENT_S), "--min-free-mb", "64"],
                                 "KITCHENWATCH_RECORDER", env=env)
        procs.append(recorder)
        time.sleep(SEGMENT_S + 3)  # every camera connected and one segment through
        window_from = time.time()
        recorder_cores = _measure([recorder.pid], args.seconds)
        window_to = time.time()
        time.sleep(SEGMENT_S + 3)  # the segments that end in the window are finished
        stored, recorded_s = 0, 0.0
        for path in Path(store).glob("*/*/*.ts"):
            if path.parts[-3].startswith("."):
                continue  # the buffer and the segments being written
            start_ms, end_ms = (int(x) for x in path.stem.split("_"))
            if window_from * 1000 <= end_ms <= window_to * 1000:
                stored += path.stat().st_size
                recorded_s += (end_ms - start_ms) / 1000
        console = _console_figures(url, cameras[0], py)
        _stop(recorder, signal.SIGTERM)
        say(f"recorder: {recorder_cores:.4f} cores; {stored / 1e6:.1f} MB stored for "
            f"{recorded_s:.0f} camera-seconds in segments ending within the window")

        # --- the floor: plain ffmpeg -c copy of the same streams
        floor_dir = work / "floor"
        floors = []
        for index, stream in enumerate(urls):
            out = floor_dir / str(index)
            out.mkdir(parents=True)
            floors.append(subprocess.Popen(
                ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", stream,
                 "-map", "0:v:0", "-c", "copy", "-f", "segment", "-segment_time",
                 f"{SEGMENT_S:g}", "-segment_format", "mpegts", str(out / "s-%06d.ts")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True))
        time.sleep(5)
        floor_cores = _measure([f.pid for f in floors], args.seconds)
        for floor in floors:
            _stop(floor, signal.SIGINT)
        say(f"ffmpeg -c copy: {floor_cores:.4f} cores")

        # --- the streams' own bytes over as long
        wire = _stream_bytes(urls, args.seconds)
        say(f"streams delivered {wire / 1e6:.1f} MB in {args.seconds:.0f} s")
        ratio = recorder_cores / floor_cores if floor_cores > 0 else None

        # --- the libVLC path's first picture in a real tile, per scheme
        from bench.main_first_frame import measure as measure_main_first_frame

        main_first = measure_main_first_frame(say=say, sim_url=sim_base)
        # per camera-second: stored bytes over recorded time, delivered bytes over read time
        bytes_ratio = ((stored / recorded_s) / (wire / (args.seconds * len(urls)))
                       if wire and recorded_s else None)
        result: dict[str, Any] = {
            "cameras": len(cameras), "seconds": args.seconds, "variant": args.variant,
            "recorder_cores": round(recorder_cores, 5), "floor_cores": round(floor_cores, 5),
            "recorder_cpu_ratio": round(ratio, 3) if ratio is not None else None,
            "stored_bytes": stored, "recorded_camera_s": round(recorded_s, 1),
            "stream_bytes": wire,
            "bytes_ratio": round(bytes_ratio, 3) if bytes_ratio is not None else None,
            "seek_ms_p95": console.get("seek_ms_p95"),
            "alarm_clip_first_frame_s": console.get("alarm_clip_first_frame_s"),
            **main_first,
            "console": console,
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        print(json.dumps(result), flush=True)
        return 0
    finally:
        for child in reversed(procs):
            _stop(child)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
