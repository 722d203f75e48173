"""Benchmark of the video wall against the decode floor measured in the same run (not a test).

    python bench/wall.py --tiles 64 --seconds 30 [--tile 320x180] [--decoder ffmpeg|vlc]

Starts the simulator's live streams on loopback (640×360, 15 fps H.264 sub streams), runs a
wall offscreen with N tiles of the given size, and measures for ``--seconds``:

- ``cpu_cores``: CPU of every console process (the UI process and its decode workers);
- ``floor_cores``: ``ffmpeg -threads 1`` decoding the same number of frames and scaling them
  to the tile size (``-vf scale=W:H -pix_fmt bgra -f null -``), run right after; ``ratio`` is
  ``cpu_cores / floor_cores``. ``floor_lite_cores`` is the same with the options the wall uses
  (loop filter skipped, fast bilinear), for an apples-to-apples view;
- ``rss_mb_per_tile``: PSS of all console processes (shared memory counted once) per tile;
- ``delivered_fps_ratio``: distinct pictures painted / pictures the sources sent;
- ``page_switch_s`` and ``black_tiles_on_switch``: a tour on a 36-tile page switches to 36
  other cameras; time until every tile shows a live picture, and tiles without one at the
  moment of the switch.

Other programs on the machine compete for the CPU; the load average is printed with the
result. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psutil  # noqa: E402

FPS = 15


def say(text: str) -> None:
    print(text, flush=True)


def _die_with_parent() -> None:
    import ctypes
    import signal

    ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


def start_simulator() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--port", "0",
                             "--log-level", "WARNING"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
                            preexec_fn=_die_with_parent)
    assert proc.stdout is not None
    deadline = time.monotonic() + 300  # the first run encodes the demo clips
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the simulator exited before serving streams")
        if line.startswith("KITCHENWATCH_SIM_URL="):
            return proc, line.strip().split("=", 1)[1]
    raise SystemExit("the simulator did not start in time")


def pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def run_floor(clip: Path, frames: int, width: int, height: int, lite: bool) -> float:
    """CPU seconds ffmpeg needs to decode ``frames`` frames and scale them to the tile."""
    scale = f"scale={width}:{height}" + (":flags=fast_bilinear" if lite else "")
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-threads", "1"]
    if lite:
        cmd += ["-skip_loop_filter", "all"]
    cmd += ["-stream_loop", "-1", "-i", str(clip), "-frames:v", str(frames), "-vf", scale,
            "-pix_fmt", "bgra", "-f", "null", "-"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def wait(app, condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def pump(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.003)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiles", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--tile", default="320x180", help="tile size WxH")
    parser.add_argument("--decoder", choices=("ffmpeg", "vlc"), default="ffmpeg")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-switch", action="store_true", help="skip the page-switch test")
    args = parser.parse_args()
    tile_w, tile_h = (int(v) for v in args.tile.lower().split("x"))
    if shutil.which("ffmpeg") is None:
        raise SystemExit("ffmpeg is needed for the floor")

    from PySide6.QtWidgets import QApplication

    from simulator.media import MediaSet, default_media_dir, prepare
    from simulator.server import clip_for
    from videowall import TileSource, VideoWall
    from videowall.engine import WallEngine
    from videowall.governor import Governor, GovernorConfig
    from videowall.layouts import LAYOUTS
    from videowall.tour_qt import TourDriver

    say(f"preparing the simulator's clips in {default_media_dir()} …")
    media: MediaSet = prepare()
    # The floor is measured before the wall runs and again after it; other programs share
    # this machine, so the mean of the two is the fairer reference.
    floor_clip = media.clip(clip_for("BENCH000"), "sub")
    floor_frames = round(FPS * args.seconds * args.tiles)
    floor_before = run_floor(floor_clip, floor_frames, tile_w, tile_h, lite=False)
    sim, url = start_simulator()
    app = QApplication.instance() or QApplication([])
    engine = WallEngine(backend=args.decoder, workers=args.workers,
                        governor=Governor(GovernorConfig(enabled=False)))
    layout_name = next((n for n in sorted(LAYOUTS, key=int) if int(n) >= args.tiles), "64")
    lay = LAYOUTS[layout_name]
    wall = VideoWall(layout_name, engine=engine)
    wall.resize(lay.cols * tile_w, lay.rows * tile_h)
    wall.show()
    load_before = os.getloadavg()
    try:
        cams = [f"BENCH{i:03d}" for i in range(args.tiles)]
        wall.fill([TileSource(c, f"基准厨房 · {c}", f"{url}/live/{c}/sub.ts") for c in cams])
        tiles = wall.tiles()[: args.tiles]
        say(f"{args.tiles} tiles of {tile_w}×{tile_h} on the {layout_name} layout, "
            f"{args.decoder} decoder, {len(engine.manager.pool.pids())} workers; warming up …")
        started = time.monotonic()
        if not wait(app, lambda: all(t.has_live_picture() for t in tiles), 60):
            missing = sum(1 for t in tiles if not t.has_live_picture())
            say(f"warning: {missing} tiles still without a picture after 60 s")
        say(f"all tiles live after {time.monotonic() - started:.1f} s")
        pump(app, 3.0)  # let start-up bursts settle

        pids = engine.pids()
        cpu0, shown0 = cpu_seconds(pids), sum(t.shown for t in tiles)
        ui0 = cpu_seconds([os.getpid()])
        t0 = time.monotonic()
        if os.environ.get("KW_BENCH_PROFILE"):  # where the UI process spends its time
            import cProfile

            cProfile.runctx("pump(app, args.seconds)", globals(), locals(),
                            os.environ["KW_BENCH_PROFILE"])
        else:
            pump(app, args.seconds)
        elapsed = time.monotonic() - t0
        pids = engine.pids()
        cpu_used = cpu_seconds(pids) - cpu0
        shown = sum(t.shown for t in tiles) - shown0
        pss = pss_mb(pids)
        ui_cores = (cpu_seconds([os.getpid()]) - ui0) / elapsed
        cpu_cores = cpu_used / elapsed
        sent = FPS * elapsed * args.tiles
        delivered = shown / sent
        say(f"wall: {cpu_cores:.3f} cores over {elapsed:.1f} s ({len(pids)} processes), "
            f"of which UI {ui_cores:.3f}; PSS {pss:.0f} MB = {pss / args.tiles:.2f} MB per tile, "
            f"{shown} of ~{sent:.0f} pictures shown ({delivered:.3f})")

        floor_after = run_floor(floor_clip, floor_frames, tile_w, tile_h, lite=False)
        floor = (floor_before + floor_after) / 2 / args.seconds
        floor_lite = run_floor(floor_clip, floor_frames, tile_w, tile_h, lite=True) / args.seconds
        say(f"floor: ffmpeg -threads 1 decoding {floor_frames} frames and scaling to "
            f"{tile_w}×{tile_h}: {floor:.3f} cores (before the wall "
            f"{floor_before / args.seconds:.3f}, after {floor_after / args.seconds:.3f}; with "
            f"the wall's options {floor_lite:.3f})")

        wall.shutdown()
        pump(app, 1.0)
        switch_s, black = None, None
        if not args.no_switch:
            switch_s, black = page_switch(app, engine, url, tile_w, tile_h, TourDriver,
                                          TileSource, VideoWall)
            say(f"page switch: every tile live {switch_s:.3f} s after the switch, "
                f"{black} tiles without a picture at the switch")
    finally:
        wall.shutdown()
        engine.shutdown()
        sim.terminate()
        sim.wait(10)
    load_after = os.getloadavg()
    say(f"machine load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"({psutil.cpu_count()} cores; other programs share them)")
    result = {"tiles": args.tiles, "seconds": round(elapsed, 1), "decoder": args.decoder,
              "tile": f"{tile_w}x{tile_h}", "cpu_cores": round(cpu_cores, 3),
              "ui_cores": round(ui_cores, 3),
              "floor_cores": round(floor, 3), "floor_lite_cores": round(floor_lite, 3),
              "ratio": round(cpu_cores / floor, 3) if floor else None,
              "ratio_lite": round(cpu_cores / floor_lite, 3) if floor_lite else None,
              "rss_mb_per_tile": round(pss / args.tiles, 2), "memory_measure": "PSS",
              "delivered_fps_ratio": round(delivered, 3),
              "page_switch_s": None if switch_s is None else round(switch_s, 3),
              "black_tiles_on_switch": black,
              "load_avg_before": round(load_before[0], 2),
              "load_avg_after": round(load_after[0], 2)}
    print(json.dumps(result), flush=True)
    return 0


def page_switch(app, engine, url: str, tile_w: int, tile_h: int, driver_cls, source_cls,
                wall_cls) -> tuple[float, int]:
    """A 36-tile tour page switching to 36 other cameras: when is every tile live again?"""
    wall = wall_cls("36", engine=engine)
    wall.resize(6 * tile_w, 6 * tile_h)
    wall.show()
    sources = [source_cls(f"PAGE{i:03d}", f"翻页厨房 · {i}", f"{url}/live/PAGE{i:03d}/sub.ts")
               for i in range(72)]
    tour = driver_cls(wall, sources, dwell_s=6.0, preopen_s=2.5)
    result: dict[str, float | int] = {}

    def on_page(page: int, _count: int) -> None:
        if page == 1 and "at" not in result:
            result["at"] = time.monotonic()
            result["black"] = sum(1 for t in wall.tiles() if not t.has_live_picture())

    tour.page_changed.connect(on_page)
    try:
        tour.start()
        wait(app, lambda: all(t.has_live_picture() for t in wall.tiles()), 60)
        wait(app, lambda: "at" in result, 30)
        wait(app, lambda: all(t.has_live_picture() and t.source.camera_id >= "PAGE036"
                              for t in wall.tiles()), 30)
        live_after = time.monotonic() - float(result["at"])
    finally:
        tour.stop()
        wall.shutdown()
    return live_after, int(result["black"])


if __name__ == "__main__":
    raise SystemExit(main())
