"""The console's side of the sync benchmark: the real sync code on a real Qt event loop.

Run by ``bench/sync.py`` against the central it started (or by hand:
``python bench/console_sync.py --server URL``). An offscreen QApplication runs the console's
:class:`SyncCoordinator` over qasync, exactly as the console does, with a 10 ms QTimer probe
measuring how late the event loop runs (UI lag). It measures:

- ``initial_sync_s``: empty local cache → the whole registry pulled, applied, the live link
  open and the main window's channel tree (``console.channels.tree.ChannelTree``, shown
  offscreen) built from the local cache and showing every camera, as the main window does it
  (registry read on the store's reader thread, forest grouped off the UI thread, model set on
  it); ``ui_lag_ms_p99`` during all of it (``initial_pull_s``: the pull alone);
- ``tree_search_ms``: a business name typed into the tree's search box → the tree's viewport
  painted the filtered rows (median of 5 names);
- ``incremental_sync_ms``: one change made by another user on central → the row applied in
  this console's local database (live WebSocket path), median of ``--samples``;
- ``alarm_latency_ms_p50/_p99``: a breaching reading batch posted → the alarm reaches the
  console's alarm model (``alarm_received``, what the alarm centre listens to).

Prints human lines and, last, one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import qasync
from PySide6.QtWidgets import QApplication

from bench.common import PaintWatch
from central.demo_registry import DEMO_PASSWORD
from console.channels.hierarchy import BUSINESS, build_forest
from console.channels.tree import KEY_ROLE, ChannelTree
from console.diagnostics.loop_probe import LoopProbe, percentile
from console.shell.sync_coordinator import SyncCoordinator
from console.sync.client import ApiClient
from console.sync.state import ConnectionState
from console.sync.store import LocalStore


async def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.005)


async def tree_search(tree: ChannelTree, names: list[str]) -> list[float]:
    """Typed → painted, per name; each name must then be among the visible businesses."""
    painted = PaintWatch(tree.view.viewport())
    took: list[float] = []
    for name in names:
        typed = time.perf_counter()
        tree.search.setText(name)
        await wait_for(lambda t=typed: painted.painted_since(t), 30, f"the search for {name}")
        took.append((painted.painted_at - typed) * 1000)
        shown = [i.data() for i in tree._walk() if i.data(KEY_ROLE)[0] == BUSINESS]
        if not any(label.startswith(f"{name} (") for label in shown):
            raise RuntimeError(f"the tree's search for {name!r} did not show it")
        tree.search.clear()
        await asyncio.sleep(0.1)
    return took


async def other_user(http: aiohttp.ClientSession, url: str, username: str) -> str:
    async with http.post(f"{url}/api/login",
                         json={"username": username, "password": DEMO_PASSWORD}) as resp:
        resp.raise_for_status()
        return (await resp.json())["token"]


async def measure(url: str, work: Path, samples: int) -> dict[str, Any]:
    client = ApiClient(url)
    await client.login("operator", DEMO_PASSWORD)
    store = await LocalStore.async_open(work / "console.db")
    await store.bind(url, "operator")
    coordinator = SyncCoordinator(client, store, coalesce_ms=50)
    # (when, entity names) of each page applied by the live path; nothing else writes to
    # central during the bench, so the first camera page after a change is that change.
    live_pages: list[tuple[float, frozenset[str]]] = []
    alarms_at: dict[str, float] = {}  # sensor id → when its alarm reached the alarm model

    original_on_live = coordinator._on_live

    def on_live(page) -> None:  # the live path's callback, wrapped to time it
        live_pages.append((time.perf_counter(), page.touched))
        original_on_live(page)

    coordinator.live.on_applied = on_live
    coordinator.alarm_received.connect(
        lambda alarm: alarms_at.setdefault(str(alarm.get("sensor_id") or ""), time.perf_counter()))
    probe = LoopProbe()
    results: dict[str, Any] = {}
    tree = ChannelTree()
    tree.resize(320, 900)
    tree.show()

    probe.start()
    started = time.perf_counter()
    coordinator.start()
    await wait_for(lambda: coordinator.state == ConnectionState.ONLINE, 600, "initial sync")
    pulled = time.perf_counter() - started
    snap = await store.registry()
    forest = await asyncio.get_event_loop().run_in_executor(None, build_forest, snap)
    tree.set_forest(forest)
    await asyncio.sleep(0)  # the tree paints its first rows
    initial = time.perf_counter() - started
    lags = probe.stop()
    if tree.model.forest is None or tree.model.forest.camera_count != len(snap.cameras):
        raise RuntimeError("the tree does not show every camera")
    results["initial_sync_s"] = round(initial, 2)
    results["initial_pull_s"] = round(pulled, 2)
    results["initial_rows"] = {"businesses": len(snap.businesses), "cameras": len(snap.cameras),
                               "sensors": len(snap.sensors)}
    results["ui_lag_ms_p99"] = round(percentile(lags, 99), 1)
    results["ui_lag_ms_max"] = round(max(lags, default=0.0), 1)
    print(f"console initial sync: {len(snap.businesses)} businesses, {len(snap.cameras)} "
          f"cameras, {len(snap.sensors)} sensors in {initial:.2f} s; UI lag p99 "
          f"{results['ui_lag_ms_p99']} ms (max {results['ui_lag_ms_max']} ms), with the channel "
          f"tree (the pull alone: {pulled:.2f} s)", flush=True)
    names = [b["name"] for b in snap.businesses[::max(1, len(snap.businesses) // 5)]][:5]
    searches = await tree_search(tree, names)
    results["tree_search_ms"] = round(statistics.median(searches), 1)
    results["tree_search_ms_max"] = round(max(searches), 1)
    print(f"channel tree search ({len(searches)} business names): median "
          f"{results['tree_search_ms']} ms, max {results['tree_search_ms_max']} ms", flush=True)

    async with aiohttp.ClientSession() as http:
        admin = await other_user(http, url, "admin")
        gateway = await other_user(http, url, "gateway")
        cameras = [c["id"] for c in snap.cameras][:samples]
        incremental: list[float] = []
        for camera_id in cameras:
            await asyncio.sleep(0.05)
            posted = time.perf_counter()
            body = {"idem_key": uuid4().hex, "kind": "camera.health",
                    "payload": {"camera_id": camera_id, "health": "offline",
                                "reason": "bench: one change"}}
            async with http.post(f"{url}/api/actions", json=body,
                                 headers={"Authorization": f"Bearer {admin}"}) as resp:
                if resp.status >= 300:
                    raise RuntimeError(f"camera.health refused: {await resp.text()}")

            def applied(since: float = posted) -> float | None:
                return next((t for t, names in live_pages if t > since and "camera" in names),
                            None)

            await wait_for(lambda: applied() is not None, 30, f"change of {camera_id}")
            incremental.append((applied() - posted) * 1000)
        results["incremental_sync_ms"] = round(statistics.median(incremental), 1)
        results["incremental_sync_ms_p95"] = round(percentile(incremental, 95), 1)
        print(f"incremental sync (another user's change → this console's DB): median "
              f"{results['incremental_sync_ms']} ms, p95 {results['incremental_sync_ms_p95']} ms",
              flush=True)

        rooms = [s for s in snap.sensors if s.get("kind") == "special_room"][:samples]
        latencies: list[float] = []
        for sensor in rooms:
            limit = float((sensor.get("params") or {}).get("max_temp", 25.0))
            now = datetime.now(UTC)
            readings = [{"sensor_id": sensor["id"], "ts": (now - timedelta(seconds=s)).isoformat(),
                         "value": limit + 2.5, "humidity": 60.0} for s in (240, 180, 120, 60, 0)]
            await asyncio.sleep(0.05)
            # The demo city's history already holds alarms of this sensor, which reached the
            # model during the initial sync: only what arrives after this post counts.
            alarms_at.pop(sensor["id"], None)
            posted = time.perf_counter()
            async with http.post(f"{url}/api/readings", json={"readings": readings},
                                 headers={"Authorization": f"Bearer {gateway}"}) as resp:
                if resp.status >= 300:
                    raise RuntimeError(f"readings refused: {await resp.text()}")
            await wait_for(lambda s=sensor["id"]: s in alarms_at, 30, f"alarm of {sensor['id']}")
            latencies.append((alarms_at[sensor["id"]] - posted) * 1000)
        results["alarm_latency_ms_p50"] = round(percentile(latencies, 50), 1)
        results["alarm_latency_ms_p99"] = round(percentile(latencies, 99), 1)
        results["alarm_samples"] = len(latencies)
        print(f"alarm latency (breaching readings posted → console alarm model): p50 "
              f"{results['alarm_latency_ms_p50']} ms, p99 {results['alarm_latency_ms_p99']} ms "
              f"over {len(latencies)} alarms", flush=True)

    await coordinator.async_stop()
    await store.async_close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="central server URL")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="kw-bench-console-") as work, loop:
        results = loop.run_until_complete(measure(args.server, Path(work), args.samples))
    print(json.dumps(results, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
