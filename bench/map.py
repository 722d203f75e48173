"""The city map at scale: the real console's map dock over a city of ``--businesses`` kitchens.

Starts ``kitchenwatch-central`` on loopback seeded with the demo city (bench.common; seeding
is reported, not counted), then runs the console's own :class:`ConsoleSession` offscreen in
this process (window 1920×1080), waits until the map holds every kitchen, and measures:

- ``first_paint_ms``: the map is handed the city (its outlines, every kitchen, the district
  figures — what a reload shows) → its viewport has painted (bench.common.PaintWatch). The
  store read that precedes it runs on the store's reader thread, off the UI, and is reported
  as ``snapshot_read_ms``;
- ``pan_zoom_ms_p95`` (and ``_max``): 240 steps of the operator's hand — pans of 60 px and
  wheel zooms of ×1.25 in and out, from the whole city down to single kitchens and back —
  each timed from the step to its repaint finished (a synchronous repaint);
- ``ui_lag_ms_p99`` (and ``_max``): how late a 10 ms loop probe ticks while AI alarms arrive
  from the gateway at ``--rate`` a second for ``--seconds`` (each one pulses its kitchen and
  the map reloads its colours and figures on the change feed), and ``alarms_seen``;
- ``load_average``: the machine's load meanwhile.

No video: the cameras point at a closed loopback port. Human lines first; the last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtCore import QCoreApplication, QPointF
from PySide6.QtWidgets import QApplication

from bench.common import PaintWatch, post_json, say, start_seeded_central
from central.demo_registry import DEMO_PASSWORD
from console.diagnostics.loop_probe import LoopProbe, percentile

TARGETS = {"first_paint_ms": 300.0, "pan_zoom_ms_p95": 16.0, "ui_lag_ms_p99": 50.0}
NO_VIDEO = "http://127.0.0.1:9"


async def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def pan_zoom_steps(view: Any, steps: int) -> list[float]:
    """Each step: a pan or a zoom, then the viewport repainted; its duration in ms."""
    times: list[float] = []
    centre = QPointF(view.viewport().width() / 2, view.viewport().height() / 2)
    plan: list[tuple[str, float]] = []
    for cycle in range(steps // 24 or 1):
        direction = 1 if cycle % 2 == 0 else -1
        plan += [("zoom", 1.25 if direction > 0 else 0.8)] * 12  # ×14.6 in (or out)
        plan += [("pan", 60.0 * direction)] * 6 + [("vpan", 60.0 * direction)] * 6
    for kind, amount in plan[:steps]:
        started = time.perf_counter()
        if kind == "zoom":
            view.zoom_by(amount, centre)
        elif kind == "pan":
            bar = view.horizontalScrollBar()
            bar.setValue(bar.value() + int(amount))
        else:
            bar = view.verticalScrollBar()
            bar.setValue(bar.value() + int(amount))
        view.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def storm(url: str, token: str, kitchens: list[str], rate: float, seconds: float,
                round_: int) -> tuple[list[float], int, list[str]]:
    """AI alarms from the gateway at ``rate`` a second (a new condition each: new alarms, not
    repeats); the loop probe's lateness meanwhile, the number posted, the failures."""
    total = int(rate * seconds)
    errors: list[str] = []
    done = threading.Event()
    violations = ("no_mask", "no_chef_hat", "smoking", "no_gloves", "phone_use")

    def run() -> None:
        started = time.monotonic()

        def send(i: int) -> None:
            try:
                post_json(f"{url}/api/events/ai", {
                    "camera_id": f"{kitchens[(i + round_ * 7) % len(kitchens)]}-C1",
                    "violation": violations[(i + round_ * 3) % len(violations)],
                    "ts": datetime.now(UTC).isoformat(), "confidence": 0.9}, token)
            except Exception as exc:
                errors.append(str(exc))

        with ThreadPoolExecutor(max_workers=4) as pool:
            for i in range(total):
                time.sleep(max(0.0, started + i / rate - time.monotonic()))
                pool.submit(send, i)
        done.set()

    probe = LoopProbe(10)
    probe.start()
    began = time.perf_counter()
    threading.Thread(target=run, name="storm", daemon=True).start()
    await wait_for(done.is_set, seconds + 120, "the alarms to be posted")
    await asyncio.sleep(2.0)  # the last ones reach the console and the map
    lags = probe.between(began, time.perf_counter())
    probe.stop()
    if errors:
        say(f"{len(errors)} alarm posts failed, first: {errors[0]}")
    return lags, total, errors


async def measure(url: str, work: Path, businesses: int, rate: float,
                  seconds: float) -> dict[str, Any]:
    from console.shell.session import ConsoleSession

    session = ConsoleSession(work / "data", layout="4")
    ok = await session.async_start(url, "operator", DEMO_PASSWORD)
    if not ok or session.window is None or session.city_map is None:
        raise SystemExit("the console did not log in")
    window, panel = session.window, session.city_map
    window.showNormal()
    window.resize(1920, 1080)
    await wait_for(lambda: len(panel.view.points.clusterer.points) >= businesses, 900,
                   f"the map to hold {businesses:,} kitchens")
    assert panel.dock is not None
    panel.dock.raise_()
    panel.dock.setFloating(True)  # the map on a screen of its own, as a control room has it
    panel.dock.resize(1920, 1080)
    await asyncio.sleep(1.0)
    say(f"the map holds {len(panel.view.points.clusterer.points):,} kitchens")

    from console.map.panel import read_snapshot

    scope = panel.scope
    firsts, reads = [], []
    watch = PaintWatch(panel.view.viewport())
    for _ in range(5):
        t0 = time.perf_counter()
        snap = await panel.store.read(lambda s: read_snapshot(s, scope))
        reads.append((time.perf_counter() - t0) * 1000)
        panel._regions_shown_for = None  # outlines built anew too, as at the first show
        panel._base = None  # and every kitchen placed anew
        handed = time.perf_counter()
        panel.show(snap)
        await wait_for(lambda h=handed: watch.painted_at > h, 30, "the map to paint")
        firsts.append((watch.painted_at - handed) * 1000)
        await asyncio.sleep(0.3)
    say(f"first paint: {', '.join(f'{f:.0f}' for f in firsts)} ms (store read "
        f"{statistics.median(reads):.0f} ms, off the UI thread)")

    view = panel.view
    view.fit()
    steps = pan_zoom_steps(view, 240)
    say(f"pan/zoom: p50 {percentile(steps, 50):.1f} ms, p95 {percentile(steps, 95):.1f} ms, "
        f"max {max(steps):.1f} ms over {len(steps)} steps")
    view.fit()

    gateway = post_json(f"{url}/api/login", {"username": "gateway", "password": DEMO_PASSWORD})
    token = gateway["token"]
    kitchens = [p.business_id for p in view.points.clusterer.points[::37]]
    seen: list[str] = []
    coordinator = session.coordinator
    assert coordinator is not None
    coordinator.alarm_received.connect(lambda a: seen.append(a.get("id", "")))
    # The same storm twice: first with the map deaf to it (what the rest of the console costs
    # on this machine now), then with the map pulsing and recolouring.
    coordinator.entities_changed.disconnect(panel.on_entities_changed)
    coordinator.alarm_received.disconnect(panel.on_alarm_received)
    without = await storm(url, token, kitchens, rate, seconds, 0)
    coordinator.entities_changed.connect(panel.on_entities_changed)
    coordinator.alarm_received.connect(panel.on_alarm_received)
    seen.clear()
    lags, total, errors = await storm(url, token, kitchens, rate, seconds, 1)
    say(f"while {total} alarms arrived ({rate}/s): UI lag p99 {percentile(lags, 99):.1f} ms, "
        f"max {max(lags, default=0):.1f} ms (without the map: p99 "
        f"{percentile(without[0], 99):.1f} ms); the console received {len(seen)} alarm "
        f"updates; {len(view.points.pulses)} kitchens still pulsing")
    await session.async_stop()
    return {
        "first_paint_ms": round(statistics.median(firsts), 1),
        "first_paint_ms_max": round(max(firsts), 1),
        "snapshot_read_ms": round(statistics.median(reads), 1),
        "pan_zoom_ms_p95": round(percentile(steps, 95), 1),
        "pan_zoom_ms_max": round(max(steps), 1),
        "ui_lag_ms_p99": round(percentile(lags, 99), 1),
        "ui_lag_ms_max": round(max(lags, default=0.0), 1),
        "ui_lag_ms_p99_map_deaf": round(percentile(without[0], 99), 1),
        "alarms_posted": total, "alarm_posts_failed": len(errors) + len(without[2]),
        "alarms_seen": len(seen),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--businesses", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=10.0, help="alarms a second")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long alarms arrive")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kw-bench-map-") as tmp:
        work = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        os.environ["HOME"] = str(work)
        say(f"seeding central with {args.businesses:,} businesses …")
        proc, url, seeded_s = start_seeded_central(
            work, args.businesses, stream_base=NO_VIDEO, log_level="WARNING",
            log_to=work / "central.log")
        try:
            say(f"central at {url} (seeded and started in {seeded_s:.1f} s, not counted)")
            from console.shell.app import UI_SWITCH_INTERVAL_S, favour_the_ui_thread

            favour_the_ui_thread(UI_SWITCH_INTERVAL_S)
            app = QApplication.instance() or QApplication([])
            QCoreApplication.setOrganizationName("kitchenwatch-bench")
            QCoreApplication.setApplicationName("map")
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            with loop:
                results = loop.run_until_complete(measure(
                    url, work, args.businesses, args.rate, args.seconds))
        finally:
            proc.terminate()
            proc.wait(30)
    results = {**results, "businesses": args.businesses,
               "load_average": [round(x, 1) for x in os.getloadavg()],
               "seed_s": round(seeded_s, 1), "targets": TARGETS}
    print(json.dumps(results, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
