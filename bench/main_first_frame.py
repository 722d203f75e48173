"""The libVLC path's first picture, painted in a real TileWidget, per scheme (issue 16 item 6).

    python bench/main_first_frame.py [--rounds 1]

A real wall (one tile, offscreen) on a real WallEngine whose full-rate views decode on libVLC,
as a maximised tile does; its workers have started (as in a console that has been open a
while). For RTSP, RTMP, HTTP-FLV, HLS and HTTP-TS served live on loopback (``bench/schemes.py``,
the simulator's own clips and server), the time from giving the tile the main stream until the tile
has painted its first picture. ``main_first_frame_s`` is the worst over the schemes (the
issue's target: ≤ 1.5 s). Human lines first; the last line is one JSON object.
``bench/playback.py`` calls :func:`measure`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, bench/ comes first on the path, and bench/common.py would hide the
# project's common package.
sys.path.insert(0, str(ROOT))

from bench.schemes import SCHEMES, free_port, source  # noqa: E402

TIMEOUT_S = 15.0
CLIP = "clip-0-sub.mp4"  # the simulator's first kitchen, sub stream


def _start_simulator() -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT, start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("KITCHENWATCH_SIM_URL="):
            threading.Thread(target=lambda: [None for _ in proc.stdout],  # type: ignore[union-attr]
                             daemon=True).start()
            return proc, line.split("=", 1)[1].strip()
    proc.kill()
    raise SystemExit("the simulator did not start")


def measure(rounds: int = 1, say: Any = print, sim_url: str | None = None) -> dict[str, Any]:
    """Per-scheme first-picture seconds (worst of ``rounds``) and their worst; ``sim_url``: a
    simulator already running (bench/playback.py), else one is started for the measurement."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from simulator.media import prepare
    from videowall import TileSource, VideoWall, WallEngine

    app = QApplication.instance() or QApplication([])
    media = prepare(None).root
    sim: subprocess.Popen[str] | None = None
    if sim_url is None:
        sim, sim_url = _start_simulator()
    engine = WallEngine(backend="ffmpeg", main_backend="vlc")
    wall = VideoWall("1", engine=engine)
    wall.resize(960, 540)
    wall.show()
    engine.manager.pool.start()
    settle = time.monotonic() + 3.0
    while time.monotonic() < settle:  # the workers up and libVLC loaded, as in a console
        app.processEvents()
        time.sleep(0.02)
    per_scheme: dict[str, float | None] = {}
    try:
        tile = wall.tile(0)
        for scheme in SCHEMES:
            worst: float | None = 0.0
            for attempt in range(rounds):
                with source(scheme, sim_url, media, camera_id=f"bench-{scheme}-{attempt}",
                            clip=CLIP) as url:
                    tile_source = TileSource(f"bench-{scheme}", scheme, url, url, "biz-bench")
                    started = time.monotonic()
                    tile.set_source(tile_source, main=True)
                    took: float | None = None
                    while time.monotonic() - started < TIMEOUT_S:
                        app.processEvents()
                        if tile.painted_number:
                            took = time.monotonic() - started
                            break
                        time.sleep(0.005)
                    tile.set_source(None)
                    app.processEvents()
                worst = None if took is None or worst is None else max(worst, took)
            per_scheme[scheme] = round(worst, 3) if worst is not None else None
            say(f"{scheme:9s} first picture painted after "
                f"{'never' if worst is None else f'{worst:.2f} s'}")
    finally:
        wall.shutdown()
        engine.shutdown()
        if sim is not None:
            os.killpg(sim.pid, signal.SIGTERM)
            sim.wait(15)
    values = list(per_scheme.values())
    overall = None if any(v is None for v in values) else max(v for v in values if v is not None)
    return {"main_first_frame_s": overall, "main_first_frame_by_scheme": per_scheme}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    result = measure(args.rounds)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
