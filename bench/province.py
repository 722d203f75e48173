"""Province scale: the real console's main window syncing a city of 100,000 businesses.

Starts a real ``kitchenwatch-central`` on loopback (SQLite file) seeded with ``--businesses``
demo businesses (about two cameras each; the demo registry bulk-inserts them, and the seeding
time is reported but is not part of the figures). Then, in this process, an offscreen
QApplication runs the console's own :class:`ConsoleSession` over qasync: it logs in as the
operator, opens the real main window (channel tree, wall, alarm list, task board, statistics)
and does its initial sync into an empty local cache while a 10 ms :class:`LoopProbe` measures
how late the event loop runs.

No video: the camera URLs point at a closed loopback port, so the wall's tiles try to connect
and fail (the figures are about the registry, the tree and the event loop, not decoding).

Figures:

- ``initial_sync_s``: login → the channel tree shows every camera of the city
  (``registry_loaded`` with the server's camera count, emitted after the tree took the rows);
- ``pull_s``: login → every page of the feed applied to the local cache (the rest of
  ``initial_sync_s`` is reading the registry back, grouping it and showing it in the tree);
- ``console_cpu_s`` / ``central_cpu_s``: CPU seconds each process used until then (they do
  not depend on what else shares the cores, as the wall time does);
- ``ui_lag_ms_p99`` (and ``_max``): how late the 10 ms probe ticked meanwhile;
- ``tree_search_ms``: median over a few business names of "typed into the tree's search box →
  the tree's viewport painted the filtered rows" (the named business is then checked to be
  among the visible rows);
- ``console_rss_mb``: this process's resident memory after the sync and the searches (the
  console; central runs in its own process);
- ``full_gc_count`` / ``_ms_max`` / ``_ms_total`` / ``_at_s``: Python's full garbage
  collections during the sync (each stops every thread, the UI's too), and when they began;
- ``load_average`` and ``switch_interval_s``: the conditions (the console's own GIL switch
  interval unless ``--switch-interval`` says otherwise).

``--stall-stacks`` samples the UI thread's Python stack from a watcher thread whenever the loop
is 100 ms late (a diagnostic: one such run ended in a segmentation fault, cause not found;
runs without it never did).

Human lines first; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
import qasync
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from bench.common import PaintWatch, say, start_seeded_central
from central.demo_registry import DEMO_PASSWORD
from console.diagnostics.loop_probe import LoopProbe, percentile

TARGETS = {"initial_sync_s": 30.0, "ui_lag_ms_p99": 50.0, "tree_search_ms": 100.0}
NO_VIDEO = "http://127.0.0.1:9"  # the discard port: nothing listens, tiles fail fast


class StallSampler:
    """Where the UI thread is while the event loop is late (``--stall-stacks``): a watcher
    thread samples the UI thread's Python stack whenever the 10 ms heartbeat is more than
    ``late_ms`` overdue. A stack that shows the UI thread in the event loop itself means it was
    in Qt's C++ code or waiting for the GIL another thread held."""

    def __init__(self, late_ms: float = 100.0) -> None:
        self.late_s = late_ms / 1000
        self.beat = time.perf_counter()
        self.stacks: Counter[str] = Counter()
        self._main = threading.get_ident()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-sampler", daemon=True)

    def start(self) -> None:
        from PySide6.QtCore import QTimer

        self._timer = QTimer(interval=10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._thread.start()

    def _tick(self) -> None:
        self.beat = time.perf_counter()

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            if time.perf_counter() - self.beat < self.late_s:
                continue
            frame = sys._current_frames().get(self._main)
            if frame is not None:
                lines = traceback.format_stack(frame, limit=12)
                self.stacks["".join(line for line in lines[-9:])] += 1

    def stop(self) -> None:
        self._stop.set()
        self._timer.stop()

    def report(self, top: int = 6) -> None:
        total = sum(self.stacks.values())
        say(f"UI thread stack samples while the loop was late: {total} (20 ms apart)")
        for stack, count in self.stacks.most_common(top):
            say(f"--- {count} samples:\n{stack}")


class GcWatch:
    """Full (generation 2) garbage collections and how long each held every thread."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.at: list[float] = []  # perf_counter when each began
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
            self.at.append(self._began)
        else:
            self.pauses.append((time.perf_counter() - self._began) * 1000)


async def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.001)


def business_visible(tree: Any, name: str) -> bool:
    """Whether a row labelled ``name (…)`` is among the tree's visible rows (after timing)."""
    model = tree.view.model()

    def walk(parent: Any) -> bool:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if str(index.data() or "").startswith(f"{name} (") or walk(index):
                return True
        return False

    from PySide6.QtCore import QModelIndex

    return walk(QModelIndex())


def cpu_seconds(process: psutil.Process) -> float:
    """User and system CPU time a process has used (its threads included): a figure that,
    unlike wall time, does not grow when other programs share the cores."""
    times = process.cpu_times()
    return times.user + times.system


async def measure(url: str, work: Path, cameras: int, names: list[str],
                  sampler: StallSampler | None = None,
                  central_pid: int | None = None) -> dict[str, Any]:
    from console.shell.session import ConsoleSession

    session = ConsoleSession(work / "data", layout="16")
    loaded: list[tuple[float, int]] = []
    probe = LoopProbe(10)
    probe.start()
    if sampler is not None:
        sampler.start()
    gc_watch = GcWatch()
    gc.callbacks.append(gc_watch)
    console, central = psutil.Process(), psutil.Process(central_pid or os.getpid())
    cpu_before = cpu_seconds(console), cpu_seconds(central)
    started = time.perf_counter()
    start_task = asyncio.ensure_future(session.async_start(url, "operator", DEMO_PASSWORD))
    await wait_for(lambda: session.window is not None or start_task.done(), 120, "the window")
    if start_task.done() and not start_task.result():
        raise SystemExit("the console did not log in")
    window = session.window
    assert window is not None
    window.registry_loaded.connect(lambda n: loaded.append((time.perf_counter(), n)))
    pulled: list[float] = []  # when the feed's pages were all applied to the local cache

    def on_progress(progress: Any) -> None:
        if progress.finished and progress.rows >= cameras:
            pulled.append(time.perf_counter())

    if session.coordinator is not None:
        session.coordinator.progress.connect(on_progress)
    await start_task
    await wait_for(lambda: any(n >= cameras for _, n in loaded), 900,
                   f"the tree to show all {cameras:,} cameras")
    done = next(t for t, n in loaded if n >= cameras)
    console_cpu, central_cpu = (cpu_seconds(console) - cpu_before[0],
                                cpu_seconds(central) - cpu_before[1])
    lags = probe.between(started, done)
    probe.stop()
    gc.callbacks.remove(gc_watch)
    if sampler is not None:
        sampler.stop()
        sampler.report()
    results: dict[str, Any] = {
        "initial_sync_s": round(done - started, 2),
        "pull_s": round(pulled[0] - started, 2) if pulled else None,
        "ui_lag_ms_p99": round(percentile(lags, 99), 1),
        "ui_lag_ms_max": round(max(lags, default=0.0), 1),
        "lag_ticks": len(lags),
        "tree_reloads": len(loaded),
        "console_cpu_s": round(console_cpu, 2),
        "central_cpu_s": round(central_cpu, 2) if central_pid else None,
        "full_gc_count": len(gc_watch.pauses),
        "full_gc_ms_max": round(max(gc_watch.pauses, default=0.0), 1),
        "full_gc_ms_total": round(sum(gc_watch.pauses), 1),
        "full_gc_at_s": [round(t - started, 1) for t in gc_watch.at],
    }
    say(f"initial sync with the tree: {results['initial_sync_s']} s; UI lag p99 "
        f"{results['ui_lag_ms_p99']} ms, max {results['ui_lag_ms_max']} ms over {len(lags)} "
        f"ticks; the tree was (re)loaded {len(loaded)} times; CPU: console "
        f"{results['console_cpu_s']} s, central {results['central_cpu_s']} s")
    await asyncio.sleep(1.0)  # let the live link settle before searching

    tree = window.tree
    watch = PaintWatch(tree.view.viewport())
    searches: list[float] = []
    for name in names:
        typed = time.perf_counter()
        tree.search.setText(name)
        await wait_for(lambda t=typed: watch.painted_at > t, 60, f"the search for {name}")
        searches.append((watch.painted_at - typed) * 1000)
        if not business_visible(tree, name):
            raise SystemExit(f"the tree's search for {name!r} did not show that business")
        say(f"search {name!r}: {searches[-1]:.1f} ms")
        tree.search.clear()
        await asyncio.sleep(0.2)
    results["tree_search_ms"] = round(statistics.median(searches), 1)
    results["tree_search_ms_max"] = round(max(searches), 1)
    results["console_rss_mb"] = round(psutil.Process().memory_info().rss / 2**20, 1)
    say(f"tree search: median {results['tree_search_ms']} ms, max "
        f"{results['tree_search_ms_max']} ms; console RSS {results['console_rss_mb']} MB")
    await session.async_stop()
    return results


def city_facts(db: Path, samples: int) -> tuple[int, int, list[str]]:
    """(businesses, cameras, a few business names spread over the city) from central's file."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        (businesses,) = conn.execute("SELECT count(*) FROM businesses").fetchone()
        (cameras,) = conn.execute("SELECT count(*) FROM cameras").fetchone()
        step = max(1, businesses // samples)
        names = [row[0] for row in conn.execute(
            "SELECT name FROM (SELECT name, row_number() OVER (ORDER BY id) AS n FROM businesses)"
            " WHERE n % ? = 0 LIMIT ?", (step, samples))]
    finally:
        conn.close()
    return int(businesses), int(cameras), names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--businesses", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=5, help="business names searched")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="the GIL switch interval in seconds (default: the console's own, "
                             "console.shell.app.UI_SWITCH_INTERVAL_S)")
    parser.add_argument("--stall-stacks", action="store_true",
                        help="sample the UI thread's stack whenever the loop is 100 ms late "
                             "during the sync, and print the most frequent ones")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kw-bench-province-") as tmp:
        work = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")  # the operator's settings untouched
        os.environ["HOME"] = str(work)
        db_url = f"sqlite:///{work / 'central.db'}"
        say(f"seeding central with {args.businesses:,} businesses …")
        proc, url, seeded_s = start_seeded_central(
            work, args.businesses, db_url=db_url, stream_base=NO_VIDEO, log_level="WARNING",
            log_to=work / "central.log")
        try:
            businesses, cameras, names = city_facts(work / "central.db", args.searches)
            say(f"central at {url}: {businesses:,} businesses, {cameras:,} cameras (seeded and "
                f"started in {seeded_s:.1f} s, not counted)")
            from console.shell.app import UI_SWITCH_INTERVAL_S, favour_the_ui_thread

            favour_the_ui_thread(args.switch_interval or UI_SWITCH_INTERVAL_S)
            app = QApplication.instance() or QApplication([])
            QCoreApplication.setOrganizationName("kitchenwatch-bench")
            QCoreApplication.setApplicationName("province")
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            with loop:
                results = loop.run_until_complete(measure(
                    url, work, cameras, names, StallSampler() if args.stall_stacks else None,
                    central_pid=proc.pid))
        finally:
            proc.terminate()
            proc.wait(30)
    results = {**results, "businesses": businesses, "cameras": cameras,
               "central": "sqlite", "switch_interval_s": sys.getswitchinterval(),
               "load_average": [round(x, 1) for x in os.getloadavg()],
               "seed_s": round(seeded_s, 1), "video": "none (offscreen, no streams)",
               "targets": TARGETS}
    print(json.dumps(results, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
