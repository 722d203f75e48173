"""Sensor history and live gauges against the targets of issue 6 (not a test).

    python bench/history.py [--db PATH] [--lag-seconds 20] [--skip-lag]

Two figures, printed as human lines and then, as the last line, one JSON object:

- ``chart_7d_ms`` (target ≤ 100): one sensor's 7-day chart on a year of readings — central's
  SQL for ``GET /api/sensors/{id}/readings`` (``central.reads.sensor_points``: the count, then
  min/max/avg per time bucket GROUP BY in SQL) on a real SQLite file, the answer through JSON,
  and the business detail view's chart fed and painted offscreen. Median of several runs; the
  file holds a year of readings for 100 sensors: 99 at one reading per 10 minutes and the
  charted one at the demo's one per 30 seconds (1.05 M rows of its own, 20,160 in the week),
  6.2 M rows in all, generated with ``executemany`` in time order.
- ``ui_lag_ms_p99`` (target ≤ 50): event-loop lag (a 10 ms timer's lateness, 99th percentile)
  of the real console — :class:`console.shell.session.ConsoleSession` with its real 36-tile wall,
  logged in to a real central started for the run (demo city, 200 businesses) — while a
  gateway process posts a reading for each of the 36 sensors on the wall every second and the
  readings come back over the console's WebSocket to the 36 gauges. Stream URLs point at a
  closed port: the wall shows "offline" tiles, so this measures the gauges and the live path,
  not video decoding (that is ``bench/wall.py``).

Other programs on this machine compete for the CPU; the load average is printed with the result.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import numpy as np  # noqa: E402

SENSORS = 100
BULK_INTERVAL_S = 600
CHART_INTERVAL_S = 30
CHART_SENSOR = "BENCH-S000"
YEAR = timedelta(days=365)
CHART_RUNS = 7
TARGET_CHART_MS = 100.0
TARGET_LAG_MS = 50.0
WALL_TILES = 36
PROBE_MS = 10.0


def say(text: str) -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------- a year of readings


def _timestamps(start: datetime, count: int, step_s: int) -> list[str]:
    """Naive-UTC text as SQLAlchemy stores ``UTCDateTime`` in SQLite, vectorised."""
    base = np.datetime64(start.replace(tzinfo=None), "us")
    stamps = base + np.arange(count, dtype=np.int64) * np.timedelta64(step_s, "s")
    text = np.datetime_as_string(stamps, unit="us")
    return np.char.replace(text, "T", " ").tolist()


def _series(rng: np.random.Generator, count: int, step_s: int, excursions: bool) -> np.ndarray:
    """A special room: a daily swing around 21 °C with noise; some short hot spells."""
    t = np.arange(count) * step_s
    values = 21.0 + 2.5 * np.sin(2 * np.pi * t / 86400.0) + rng.normal(0, 0.4, count)
    if excursions:
        for start in rng.integers(0, count - 40, size=count // 2000):
            values[start:start + int(rng.integers(5, 40))] += rng.uniform(5, 9)
    return np.round(values, 2)


def build_database(path: Path, end: datetime) -> int:
    """Create the readings file with central's schema; returns the number of rows."""
    from sqlalchemy import create_engine

    from db.models import Base, Reading

    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine, tables=[Reading.__table__])
    engine.dispose()
    rng = np.random.default_rng(2026)
    start = end - YEAR
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    sql = "INSERT INTO readings (sensor_id, ts, value, humidity) VALUES (?, ?, ?, ?)"
    bulk_count = int(YEAR.total_seconds() // BULK_INTERVAL_S)
    bulk_ts = _timestamps(start, bulk_count, BULK_INTERVAL_S)
    rows = 0
    began = time.perf_counter()
    for n in range(SENSORS):
        sensor = f"BENCH-S{n:03d}"
        if sensor == CHART_SENSOR:
            count = int(YEAR.total_seconds() // CHART_INTERVAL_S)
            ts = _timestamps(start, count, CHART_INTERVAL_S)
            values = _series(rng, count, CHART_INTERVAL_S, excursions=True)
        else:
            count, ts = bulk_count, bulk_ts
            values = _series(rng, count, BULK_INTERVAL_S, excursions=False)
        humidity = np.round(55 + 10 * rng.random(count), 1)
        conn.executemany(sql, zip([sensor] * count, ts, values.tolist(), humidity.tolist(),
                                  strict=True))
        rows += count
        if n % 25 == 24:
            say(f"  {n + 1} sensors, {rows:,} readings, {time.perf_counter() - began:.0f} s")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return rows


# --------------------------------------------------------------------------- chart


def measure_chart(path: Path, end: datetime) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy.orm import Session

    from central.reads import sensor_points
    from db.engine import make_engine
    from widgets.business_detail import SensorHistoryPanel, SensorInfo
    from widgets.trend import TrendSpan

    app = QApplication.instance() or QApplication([])
    engine = make_engine(f"sqlite:///{path}")
    panel = SensorHistoryPanel(SensorInfo(CHART_SENSOR, "special_room", "专间",
                                          params={"max_temp": 25.0}))
    panel.resize(1100, 300)
    panel.show()
    app.processEvents()

    def once(span: TrendSpan) -> tuple[float, float, int, bool]:
        began = time.perf_counter()
        with Session(engine) as session:
            body = sensor_points(session, CHART_SENSOR, end - span.value, end, 1200)
        wire = json.loads(json.dumps(body))
        queried = time.perf_counter()
        panel.set_history(wire["points"], span, wire["downsampled"])
        panel.flush()
        panel.chart.plot_widget.grab()  # paint it, offscreen
        drawn = time.perf_counter()
        return ((queried - began) * 1000, (drawn - began) * 1000, len(wire["points"]),
                bool(panel.chart.breach_regions()))

    once(TrendSpan.WEEK)  # first paint builds fonts and caches: not what an operator waits for
    week = [once(TrendSpan.WEEK) for _ in range(CHART_RUNS)]
    day = [once(TrendSpan.DAY) for _ in range(CHART_RUNS)]
    panel.close()
    engine.dispose()
    return {
        "chart_7d_ms": statistics.median(r[1] for r in week),
        "query_7d_ms": statistics.median(r[0] for r in week),
        "chart_7d_max_ms": max(r[1] for r in week),
        "points_7d": week[0][2],
        "breaches_shaded_7d": week[0][3],
        "chart_24h_ms": statistics.median(r[1] for r in day),
        "points_24h": day[0][2],
    }


# --------------------------------------------------------------------------- UI lag


def post_readings(url: str, sensor_ids: list[str]) -> None:
    """Child process: a kitchen gateway posting one reading per sensor every second."""
    import asyncio

    import aiohttp

    from central.demo_registry import DEMO_PASSWORD

    rng = np.random.default_rng(7)
    values = {s: 22.0 for s in sensor_ids}

    async def run() -> None:
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{url}/api/login", json={
                    "username": "gateway", "password": DEMO_PASSWORD}) as resp:
                token = (await resp.json())["token"]
            headers = {"Authorization": f"Bearer {token}"}
            tick = time.monotonic()
            while True:
                now = datetime.now(UTC).isoformat()
                batch = []
                for sensor in sensor_ids:
                    if sensor.endswith("-DC"):  # a cabinet idles warm, sometimes heats
                        value = float(40 + 90 * rng.random() if rng.random() < 0.2 else 28)
                    else:
                        values[sensor] = float(np.clip(values[sensor] + rng.normal(0, 0.3),
                                                       18, 27))
                        value = round(values[sensor], 2)
                    batch.append({"sensor_id": sensor, "ts": now, "value": value,
                                  "humidity": round(float(55 + 10 * rng.random()), 1)})
                async with http.post(f"{url}/api/readings", json={"readings": batch},
                                     headers=headers) as resp:
                    await resp.read()
                tick += 1.0
                await asyncio.sleep(max(0.0, tick - time.monotonic()))

    asyncio.run(run())


def measure_lag(workdir: Path, seconds: float) -> dict[str, float]:
    """The real console on a real central, 36 gauges fed over the WebSocket."""
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    from demo.launcher import start_child

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    say("starting central (demo city, 200 businesses)")
    central = start_child("central", [
        sys.executable, "-m", "central", "--host", "127.0.0.1", "--port", "0",
        "--db", f"sqlite:///{workdir / 'central.db'}", "--media-dir", str(workdir / "media"),
        "--demo-registry", "--businesses", "200", "--stream-base", "http://127.0.0.1:9",
        "--log-level", "WARNING"], "KITCHENWATCH_CENTRAL_URL")
    try:
        with loop:
            return loop.run_until_complete(_lag_session(central.url, workdir, seconds))
    finally:
        central.stop()


async def _until(condition, timeout: float, what: str) -> None:
    import asyncio

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.1)


def _gauge_value(gauge: object) -> float | None:
    """The temperature a room gauge or a cabinet gauge shows (None: nothing yet)."""
    status = getattr(gauge, "status", None)
    if status is not None:
        return status.temperature
    return getattr(gauge, "value", None)


async def _lag_session(url: str, workdir: Path, seconds: float) -> dict[str, float]:
    import asyncio

    from PySide6.QtCore import Qt, QTimer

    from central.demo_registry import DEMO_PASSWORD
    from console.shell.session import ConsoleSession
    from demo.launcher import start_child

    session = ConsoleSession(workdir / "console", layout="36")
    if not await session.async_start(url, "operator", DEMO_PASSWORD):
        raise SystemExit("the console did not log in")
    window, store, coordinator = session.window, session.store, session.coordinator
    if window is None or store is None or coordinator is None:
        raise SystemExit("the console logged in without its window, store or sync")
    poster = None
    try:
        window.showNormal()
        window.resize(1920, 1080)
        await _until(lambda: window.forest is not None and window.forest.camera_count, 30,
                     "the registry")
        snap = await store.registry()
        sensors = [s for s in snap.sensors if s.get("camera_id")][:WALL_TILES]
        if len(sensors) < WALL_TILES:
            raise SystemExit(f"the demo city has only {len(sensors)} sensors with cameras")
        forest = window.forest
        if forest is None:
            raise SystemExit("the console has no channel tree")
        sources = {s.camera_id: s for s in forest.sources}
        window.wall.set_layout(str(WALL_TILES))
        window.wall.set_cells({i: sources[s["camera_id"]] for i, s in enumerate(sensors)})
        gauges = window.gauges
        await _until(lambda: all(gauges.gauge_for_tile(i) is not None
                                 for i in range(WALL_TILES)), 15, "36 gauges on the tiles")
        received = [0]
        coordinator.reading_received.connect(
            lambda _m: received.__setitem__(0, received[0] + 1))
        poster = start_child("gateway", [sys.executable, str(Path(__file__).resolve()),
                                         "--post-readings", url, "--sensors",
                                         ",".join(s["id"] for s in sensors)], None)
        await _until(lambda: received[0] >= WALL_TILES, 20, "live readings on the WebSocket")
        await asyncio.sleep(2.0)  # warm-up
        lateness: list[float] = []
        last = [time.perf_counter()]

        def probe() -> None:
            now = time.perf_counter()
            lateness.append(max(0.0, (now - last[0]) * 1000 - PROBE_MS))
            last[0] = now

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(int(PROBE_MS))
        timer.timeout.connect(probe)
        start_count = received[0]
        last[0] = time.perf_counter()
        timer.start()
        await asyncio.sleep(seconds)
        timer.stop()
        got = received[0] - start_count
        showing = sum(1 for i in range(WALL_TILES) if _gauge_value(gauges.gauge_for_tile(i))
                      is not None)
    finally:
        if poster is not None:
            poster.stop()
        await session.async_stop()
        window.close()
    ordered = sorted(lateness)
    return {
        "ui_lag_ms_p99": ordered[int(0.99 * (len(ordered) - 1))],
        "ui_lag_ms_p50": ordered[len(ordered) // 2],
        "ui_lag_ms_max": ordered[-1],
        "readings_per_s": round(got / seconds, 1),
        "gauges_with_value": showing,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None,
                        help="readings file to reuse (created if missing); default: a "
                             "temporary file, deleted afterwards")
    parser.add_argument("--lag-seconds", type=float, default=20.0)
    parser.add_argument("--skip-lag", action="store_true",
                        help="only the chart figure (no central, no console)")
    parser.add_argument("--post-readings", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--sensors", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.post_readings:
        post_readings(args.post_readings, args.sensors.split(","))
        return 0
    end = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="kw-bench-history-") as tmp:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())  # never the user's own settings
        path = args.db or Path(tmp) / "readings.db"
        if not path.exists():
            say(f"generating a year of readings for {SENSORS} sensors in {path}")
            began = time.perf_counter()
            rows = build_database(path, end)
            say(f"  {rows:,} readings in {time.perf_counter() - began:.1f} s, "
                f"{path.stat().st_size / 1e6:.0f} MB")
        else:
            say(f"reusing {path}")
        chart = measure_chart(path, end)
        say(f"7-day chart: {chart['chart_7d_ms']:.1f} ms median (SQL {chart['query_7d_ms']:.1f}"
            f" ms, worst {chart['chart_7d_max_ms']:.1f} ms) for {chart['points_7d']} points "
            f"from 20,160 readings; breaches shaded: {chart['breaches_shaded_7d']}")
        say(f"24-hour chart: {chart['chart_24h_ms']:.1f} ms median, {chart['points_24h']} "
            f"points")
        result.update(chart)
        if not args.skip_lag:
            lag = measure_lag(Path(tmp), args.lag_seconds)
            say(f"event-loop lag with {WALL_TILES} gauges live: p99 {lag['ui_lag_ms_p99']:.1f} "
                f"ms, p50 {lag['ui_lag_ms_p50']:.1f} ms, worst {lag['ui_lag_ms_max']:.1f} ms; "
                f"{lag['readings_per_s']} readings/s reached the console, "
                f"{lag['gauges_with_value']} gauges show a value")
            result.update(lag)
    result.update({"targets": {"chart_7d_ms": TARGET_CHART_MS, "ui_lag_ms_p99": TARGET_LAG_MS},
                   "load_avg": round(os.getloadavg()[0], 2)})
    say(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
