"""Benchmark of the console's video wall against the decode floor (not a test).

    python bench/wall.py --tiles 64 --seconds 30 [--tile 320x180] [--decoder ffmpeg|vlc]
                         [--display offscreen|xvfb] [--profile FILE]

What a user gets, measured on the real console: a real ``kitchenwatch-central`` (SQLite, demo
city) and the simulator's live streams (640×360, 15 fps H.264 sub streams) on loopback, and in
this process the console as the product builds it (``ConsoleSession``: login as the operator,
main window with the channel tree, alarm list, task board, status bar, the wall's gauges fed
by the simulator's sensors through the live link). The operator opens ``--tiles`` cameras from
the tree onto a wall whose tiles are ``--tile`` pixels. Then:

- ``cpu_cores``: CPU of every console process (this UI process and its decode workers) over
  ``--seconds``; ``ui_cores`` and ``worker_cores`` split it;
- ``floor_cores``: :mod:`bench.floor` decoding the same pictures (each tile's clip, the
  frames its source sent in that time, scaled to the tile's picture size) with the wall's
  decoder and the wall's shortcuts (one thread, loop filter skipped, fast bilinear), run twice
  after the console, central and the simulator have stopped — while nothing else of the
  benchmark runs. ``ratio = cpu_cores / floor_cores`` (target ≤ 1.25), comparable only when
  the console kept up (``delivered_fps_ratio`` and ``decoded_fps_ratio`` near 1; a warning
  says when not); ``ratio_per_painted_picture`` divides it by the share painted;
  ``ratio_sequential`` is against the floor decoding one stream after another (kinder than
  any live wall can be: its decoder state stays in the cache);
- ``rss_mb_per_tile``: (PSS of the console and its workers with the wall − PSS of the console
  before the wall had a camera) / tiles (target ≤ 8); PSS counts shared memory (the frame
  buffers, the libraries the workers share) once. ``rss_sum_mb_per_tile`` is the same with
  plain RSS summed over the processes (shared pages counted in each);
- ``delivered_fps_ratio``: distinct pictures painted / pictures the sources sent;
  ``decoded_fps_ratio``: distinct pictures the workers published / pictures sent;
- ``page_switch_s``: a tour page switch (the next page pre-opened, as tours do), from the
  switch command until every tile has *painted* a picture of its new camera;
  ``page_next_s``: the operator's "next page" (nothing pre-opened), timed the same way;
  ``black_tiles_on_switch``: tiles of the tour's switch whose new camera had no picture yet.

The CPU governor is off (tiles stay at full rate, like the floor). Other programs on the
machine compete for the CPU: the load average is printed with the result. Human lines first;
the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false;qt.multimedia.*=false")

import psutil  # noqa: E402

from bench.common import say, start_central_and_simulator, stop_on_sigterm  # noqa: E402

FPS = 15
TARGET_RATIO = 1.25
TARGET_MB_PER_TILE = 8.0


# -- measuring processes -------------------------------------------------------------------------
def memory_mb(pids: list[int], field: str) -> float:
    """Sum of ``field`` (``Pss`` or ``Rss``) from /proc/PID/smaps_rollup, in MB."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(field + ":"):
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


def run_floor(jobs: list[tuple[Path, int, int, int, int]], sequential: bool = False) -> float:
    """CPU seconds :mod:`bench.floor` needs for ``jobs`` (clip, width, height, frames,
    streams); ``sequential``: one stream after another instead of in turn."""
    argv = [sys.executable, "-m", "bench.floor", *(["--sequential"] if sequential else []),
            *(f"{clip}:{w}:{h}:{frames}:{streams}" for clip, w, h, frames, streams in jobs)]
    run = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit("the floor failed:\n" + run.stdout[-2000:] + run.stderr[-2000:])
    return float(json.loads(run.stdout.strip().splitlines()[-1])["cpu_s"])


# -- the console ---------------------------------------------------------------------------------
async def wait_for(condition: Any, timeout: float, what: str) -> float:
    """Seconds until ``condition()`` held (the Qt loop keeps running meanwhile)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.002)
    return time.perf_counter() - started


def painted_count(wall: Any, cells: dict[int, Any]) -> int:
    """Tiles in ``cells`` that show their camera and have painted one of its pictures."""
    count = 0
    for index, source in cells.items():
        tile = wall.tile(index)
        if source is not None and tile.source is not None and \
                tile.source.camera_id == source.camera_id and tile.painted_number:
            count += 1
    return count


def painted(wall: Any, cells: dict[int, Any]) -> bool:
    """Every tile in ``cells`` shows its camera and has painted one of its pictures."""
    return painted_count(wall, cells) == sum(1 for s in cells.values() if s is not None)


async def time_painting(wall: Any, cells: dict[int, Any], since: float,
                        what: str) -> tuple[float, float]:
    """Seconds from ``since`` until the first, and until every, tile painted its camera."""
    first = None
    deadline = time.perf_counter() + 60
    while not painted(wall, cells):
        if first is None and painted_count(wall, cells):
            first = time.perf_counter() - since
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out after 60 s waiting for {what}")
        await asyncio.sleep(0.002)
    last = time.perf_counter() - since
    return (last if first is None else first), last


async def fit_wall(window: Any, width: int, height: int) -> None:
    """Resize the main window so that its wall is ``width × height`` (docks stay as they are)."""
    for _ in range(6):
        wall = window.wall
        dw, dh = width - wall.width(), height - wall.height()
        if not dw and not dh:
            return
        window.resize(window.width() + dw, window.height() + dh)
        await asyncio.sleep(0.1)


async def run_console(args: argparse.Namespace, central_url: str, work: Path,
                      tile_w: int, tile_h: int) -> dict[str, Any]:
    from central.demo_registry import DEMO_PASSWORD
    from console.channels.hierarchy import ChannelForest
    from console.settings.model import ConsoleSettings
    from console.shell.session import ConsoleSession
    from console.sync.state import ConnectionState
    from videowall import VideoWall, WallEngine
    from videowall.governor import Governor, GovernorConfig
    from videowall.layouts import layout

    lay = layout(str(args.tiles))

    def wall_factory(layout_name: str, parent: Any) -> VideoWall:
        # The product's wall (console.shell.main_window.make_wall) with the governor off.
        engine = WallEngine(backend=args.decoder, parent=parent,
                            governor=Governor(GovernorConfig(enabled=False)))
        return VideoWall(layout_name, parent, engine=engine)

    settings = ConsoleSettings(file=None, overrides={"tour_dwell_s": args.dwell,
                                                     "alarm_sounds": False})
    session = ConsoleSession(work / "console", layout=lay.name, settings=settings,
                             wall_factory=wall_factory)
    if not await session.async_start(central_url, "operator", DEMO_PASSWORD):
        raise RuntimeError("the console did not log in")
    window = session.window
    assert window is not None
    window.restore_wall = lambda _forest: True  # keep the wall empty until the operator acts
    alarms, coordinator, wall = session.alarms, session.coordinator, window.wall
    if alarms is None or coordinator is None or not isinstance(wall, VideoWall):
        raise RuntimeError("the console logged in without its alarms, sync or video wall")
    engine = wall.engine
    result: dict[str, Any] = {}
    try:
        await fit_wall(window, lay.cols * tile_w, lay.rows * tile_h)
        await wait_for(lambda: alarms.loaded and window.forest is not None
                       and coordinator.state == ConnectionState.ONLINE, 300,
                       "the console's first sync")

        def tree() -> ChannelForest:
            if window.forest is None:
                raise RuntimeError("the channel tree went away")
            return window.forest

        await wait_for(lambda: tree().camera_count >= 3 * args.tiles, 60, "the channel tree")
        await fit_wall(window, lay.cols * tile_w, lay.rows * tile_h)
        await asyncio.sleep(3.0)
        ui_pid = os.getpid()
        base_pss, base_rss = memory_mb([ui_pid], "Pss"), memory_mb([ui_pid], "Rss")
        say(f"console online: {tree().camera_count} cameras in the tree, "
            f"{len(alarms.list.model.groups.entries())} alarm list entries; window "
            f"{window.width()}×{window.height()}, wall {wall.width()}×{wall.height()}; "
            f"PSS without a camera on the wall {base_pss:.0f} MB (RSS {base_rss:.0f} MB)")

        sources = list(tree().sources)
        first = {i: s for i, s in enumerate(sources[:args.tiles])}
        window.open_sources(list(first.values()))  # as the operator opening a group
        took = await wait_for(lambda: painted(wall, first), 120, "every tile's first picture")
        tiles = wall.tiles()[:args.tiles]
        sizes = Counter((t.stream.key.width, t.stream.key.height) for t in tiles)
        say(f"{args.tiles} tiles of {tile_w}×{tile_h} ({lay.name} layout), {args.decoder} "
            f"decoder, {len(engine.manager.pool.pids())} workers; every tile painted after "
            f"{took:.1f} s; decode sizes {dict(sizes)}; gauges on "
            f"{sum(1 for t in tiles if t.overlay is not None)} tiles")
        await asyncio.sleep(3.0)  # start-up bursts settle

        pids = engine.pids()
        cpu0, ui0 = cpu_seconds(pids), cpu_seconds([ui_pid])
        shown0 = sum(t.shown for t in tiles)
        decoded0 = sum(t.stream.frames for t in tiles)
        t0 = time.perf_counter()
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        await asyncio.sleep(args.seconds)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        elapsed = time.perf_counter() - t0
        pids = engine.pids()
        cpu_used, ui_used = cpu_seconds(pids) - cpu0, cpu_seconds([ui_pid]) - ui0
        shown = sum(t.shown for t in tiles) - shown0
        decoded = sum(t.stream.frames for t in tiles) - decoded0
        pss, rss = memory_mb(pids, "Pss"), memory_mb(pids, "Rss")
        sent = FPS * elapsed * args.tiles
        result.update({
            "seconds": elapsed, "cpu_cores": cpu_used / elapsed, "ui_cores": ui_used / elapsed,
            "worker_cores": (cpu_used - ui_used) / elapsed, "processes": len(pids),
            "pss_mb": pss, "rss_mb": rss, "base_pss_mb": base_pss, "base_rss_mb": base_rss,
            "delivered": shown / sent, "decoded": decoded / sent,
            "keyframes_only_tiles": sum(1 for t in tiles if t.status.keyframes_only),
            "jobs": Counter((t.source.camera_id, t.stream.key.width, t.stream.key.height,
                             t.status.width or 640, t.status.height or 360)
                            for t in tiles)})
        say(f"console: {result['cpu_cores']:.3f} cores over {elapsed:.1f} s ({len(pids)} "
            f"processes: UI {result['ui_cores']:.3f}, decode workers "
            f"{result['worker_cores']:.3f}); PSS {pss:.0f} MB, RSS sum {rss:.0f} MB; "
            f"{shown} of ~{sent:.0f} pictures painted ({result['delivered']:.3f}), "
            f"{decoded} decoded ({result['decoded']:.3f})")

        if not args.no_switch:
            try:
                result.update(await page_switches(session, window, sources, args.tiles))
            except TimeoutError as exc:  # a figure missing, said so, rather than no figures
                say(f"page switch not measured: {exc}")
    finally:
        window_ = session.window
        await session.async_stop()
        if window_ is not None:
            window_.close()
        await asyncio.sleep(0.5)
    return result


async def page_switches(session: Any, window: Any, sources: list[Any],
                        tiles: int) -> dict[str, Any]:
    """A tour over the next pages: its pre-opened switch, then the operator's "next page"."""
    wall = window.wall
    commands: list[tuple[float, dict[int, Any]]] = []
    set_cells = wall.set_cells

    def timed_set_cells(cells: dict[int, Any]) -> None:
        commands.append((time.perf_counter(), dict(cells)))
        set_cells(cells)

    wall.set_cells = timed_set_cells  # the tour's one call that switches a page
    out: dict[str, Any] = {}
    try:
        session.tours.start(sources[:3 * tiles], "bench")
        count = len(commands)
        # The tour's own switch, pre-opened 2 s before (page 0 → 1).
        await wait_for(lambda: len(commands) > count, session.settings.tour_dwell_s + 30,
                       "the tour's page switch")
        session.tours.pause()  # this page stays until every tile has painted it
        at, cells = commands[-1]
        black = sum(1 for i, s in cells.items() if s is not None
                    and not (wall.tile(i).stream and wall.tile(i).stream.has_picture()))
        first, out["page_switch_s"] = await time_painting(wall, cells, at,
                                                          "the tour page's pictures")
        out["page_switch_first_s"] = first
        out["black_tiles_on_switch"] = black
        # The operator's "next page" (1 → 2) on the paused tour: nothing pre-opened.
        count = len(commands)
        session.tours.next()
        at, cells = commands[count]
        next_first, out["page_next_s"] = await time_painting(wall, cells, at,
                                                             "the next page's pictures")
        say(f"page switch: every tile painted its new camera {out['page_switch_s']:.3f} s "
            f"after the tour's switch (the first {first:.3f} s; {black} tiles without a "
            f"picture at the switch); {out['page_next_s']:.3f} s after the operator's "
            f"\"next page\" (the first {next_first:.3f} s)")
    finally:
        session.tours.stop()
        wall.__dict__.pop("set_cells", None)
    return out


def start_stack(args: argparse.Namespace, work: Path) -> tuple[Any, Any]:
    # Sensors on (the wall's gauges move); no AI events and no breaches: an alarm panel
    # opening a full-rate view would not be the wall any more.
    return start_central_and_simulator(
        work, args.businesses, simulator_posts=True, central_log_level="WARNING",
        simulator_args=("--no-ai", "--no-field", "--breach-rate", "0"))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiles", type=int, default=64, help="a layout's tile count")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--tile", default="320x180", help="tile size WxH")
    parser.add_argument("--decoder", choices=("ffmpeg", "vlc"), default="ffmpeg")
    parser.add_argument("--businesses", type=int, default=100,
                        help="demo city size (needs 3 × tiles cameras; 100 has ~300)")
    parser.add_argument("--dwell", type=int, default=8, help="tour seconds a page")
    parser.add_argument("--display", choices=("offscreen", "xvfb"), default="offscreen")
    parser.add_argument("--no-switch", action="store_true", help="skip the page switches")
    parser.add_argument("--profile", default="", help="cProfile the UI thread into FILE")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_sigterm()
    tile_w, tile_h = (int(v) for v in args.tile.lower().split("x"))
    from videowall.layouts import LAYOUTS

    if str(args.tiles) not in LAYOUTS:
        raise SystemExit(f"--tiles must be a layout's tile count: {', '.join(LAYOUTS)}")
    with contextlib.ExitStack() as stack:
        if args.display == "xvfb":
            from demo.launcher import virtual_display

            display = stack.enter_context(virtual_display("3840x2160x24"))
            os.environ.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
        else:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return run(args, tile_w, tile_h)


def run(args: argparse.Namespace, tile_w: int, tile_h: int) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    from simulator.media import clip_for, prepare

    say("preparing the simulator's clips …")
    media = prepare()
    work = Path(tempfile.mkdtemp(prefix="kw-bench-wall-"))
    # The simulator keeps using the clips already encoded (not a fresh cache in the work dir).
    from simulator.media import default_media_dir

    os.environ["KITCHENWATCH_MEDIA_DIR"] = str(default_media_dir())
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(work / var.lower())  # never the operator's own settings
    app = QApplication.instance() or QApplication(["bench-wall"])
    app.setOrganizationName("kitchenwatch-bench")
    app.setApplicationName("wall")
    QApplication.setQuitOnLastWindowClosed(False)  # the benchmark goes on after the window closes
    load_before = os.getloadavg()
    central, sim = start_stack(args, work)
    say(f"central at {central.url} (demo city of {args.businesses} businesses), simulator at "
        f"{sim.url}")
    try:
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            console = loop.run_until_complete(run_console(args, central.url, work,
                                                          tile_w, tile_h))
    finally:
        sim.stop()
        central.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    load_console = os.getloadavg()

    # The floor, with nothing else of the benchmark running: each tile's clip and picture size.
    from videowall.frames import fit_size

    jobs: Counter[tuple[Path, int, int]] = Counter()
    for (camera_id, box_w, box_h, src_w, src_h), count in console["jobs"].items():
        width, height = fit_size(src_w, src_h, box_w, box_h)
        jobs[(media.clip(clip_for(camera_id), "sub"), width, height)] += count
    per_tile = round(FPS * console["seconds"])
    floor_jobs = [(clip, w, h, per_tile * n, n) for (clip, w, h), n in sorted(jobs.items())]
    floors = [run_floor(floor_jobs) / console["seconds"] for _ in range(2)]
    floor = sum(floors) / len(floors)
    floor_seq = run_floor(floor_jobs, sequential=True) / console["seconds"]
    load_after = os.getloadavg()
    frames = sum(j[3] for j in floor_jobs)
    say(f"floor (alone, after the console stopped): {frames} pictures of {args.tiles} streams "
        f"({len(jobs)} clip/size pairs) decoded and scaled with the wall's decoder and options, "
        f"one picture of each stream in turn: {floor:.3f} cores "
        f"({', '.join(f'{f:.3f}' for f in floors)}); one stream after another: "
        f"{floor_seq:.3f} cores")

    tiles = args.tiles
    ratio = console["cpu_cores"] / floor if floor else None
    per_tile_mb = (console["pss_mb"] - console["base_pss_mb"]) / tiles
    per_tile_rss = (console["rss_mb"] - console["base_rss_mb"]) / tiles
    # A starved console decodes and paints fewer pictures than the floor did: per picture
    # painted, its cost is what the user gets for it (and a starved run does not look good).
    per_painted = ratio / console["delivered"] if ratio and console["delivered"] else None
    if console["delivered"] < 0.9 or console["decoded"] < 0.95:
        say(f"warning: the console painted {console['delivered']:.0%} and decoded "
            f"{console['decoded']:.0%} of the sources' pictures: the machine could not keep up, "
            f"so the ratio is not comparable (per picture painted: {per_painted:.2f})")
    say(f"ratio {ratio:.3f} (target ≤ {TARGET_RATIO}); memory {per_tile_mb:.2f} MB per tile "
        f"PSS, {per_tile_rss:.2f} MB RSS summed (target ≤ {TARGET_MB_PER_TILE})")
    say(f"machine load average: {load_before[0]:.2f} before, {load_console[0]:.2f} after the "
        f"console, {load_after[0]:.2f} after the floor ({psutil.cpu_count()} cores; other "
        f"programs share them)")
    result = {
        "tiles": tiles, "tile": f"{tile_w}x{tile_h}", "decoder": args.decoder,
        "display": args.display, "seconds": round(console["seconds"], 1),
        "cpu_cores": _cores(console["cpu_cores"]), "ui_cores": _cores(console["ui_cores"]),
        "worker_cores": _cores(console["worker_cores"]),
        "floor_cores": _cores(floor), "floor_runs": [_cores(f) for f in floors],
        "ratio": round(ratio, 3) if ratio else None, "ratio_target": TARGET_RATIO,
        "ratio_per_painted_picture": round(per_painted, 3) if per_painted else None,
        "floor_sequential_cores": _cores(floor_seq),
        "ratio_sequential": round(console["cpu_cores"] / floor_seq, 3) if floor_seq else None,
        "rss_mb_per_tile": round(per_tile_mb, 2), "memory_measure": "PSS",
        "rss_sum_mb_per_tile": round(per_tile_rss, 2),
        "console_base_pss_mb": round(console["base_pss_mb"], 1),
        "console_pss_mb": round(console["pss_mb"], 1),
        "delivered_fps_ratio": round(console["delivered"], 3),
        "decoded_fps_ratio": round(console["decoded"], 3),
        "keyframes_only_tiles": console["keyframes_only_tiles"],
        "page_switch_s": _round(console.get("page_switch_s")),
        "page_switch_first_s": _round(console.get("page_switch_first_s")),
        "page_next_s": _round(console.get("page_next_s")),
        "black_tiles_on_switch": console.get("black_tiles_on_switch"),
        "load_avg_before": round(load_before[0], 2),
        "load_avg_console": round(load_console[0], 2),
        "load_avg_after": round(load_after[0], 2),
    }
    print(json.dumps(result), flush=True)
    return 0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _cores(value: float) -> float:
    """Four significant figures: a short run's floor can be a few hundredths of a core, where
    three decimals would shift the ratio a reader recomputes from the printed figures by
    several per cent."""
    return float(f"{value:.4g}")


if __name__ == "__main__":
    raise SystemExit(main())
