"""Control-room soak of the real console (not a test): does anything grow over hours?

    python bench/soak.py --minutes 20 [--tiles 64] [--decoder ffmpeg|vlc] [--display xvfb]

Starts, on loopback, a real ``kitchenwatch-central`` (SQLite demo city of ``--businesses``) on
a fixed port, the simulated kitchens (live streams, sensor readings, field staff) and the real
console as ``python -m console`` — a separate process logged in as the demo operator, exactly
as ``make demo`` starts it — with a ``--tiles`` wall on an Xvfb display (``--display
offscreen``: Qt's offscreen platform). Then, for the whole run:

- a tour of every camera runs (``KITCHENWATCH_TOUR=all``, ``--dwell`` seconds a page);
- ``--dead`` (5 %) of the cameras are offline from start to end, ``--flaky`` (10 %) drop (offline,
  or a stall: connected, no data) and come back at random (the simulator's fault injection);
- central is restarted every ``--restart-minutes`` on the same port and database, alternately
  stopped cleanly (SIGTERM) and killed (SIGKILL, a crash);
- an alarm storm every ``--storm-minutes``: ``--storm-rate`` AI detections a second for
  ``--storm-seconds`` plus breaching readings from a few special rooms, posted to central as
  the kitchen gateway does. Only critical alarms pop up a panel (``--popup-severity 4``) and
  the storm's are major or minor: with nobody at the keyboard a panel would stay open and
  pause the tour for good (an alarm pauses a tour until the operator resumes it);
- every ``--sample-seconds``, per process kind (``console`` = the UI process, ``worker`` = its
  decode workers, ``central``, ``simulator``): RSS, open file descriptors and threads, and the
  console's shared-memory picture segments (``/dev/shm/kwvw-<console pid>-*``).

The console's UI-thread lag comes from its own loop probe, asked to log its percentiles every
``--lag-seconds`` (10) on a 10 ms tick (``KITCHENWATCH_LOOP_STATS=10:10``, see
``console/diagnostics/loop_probe.py``).

Figures are computed over the samples after ``--warmup-minutes``:

- ``rss_mb_per_hour``: least-squares slope of RSS against time, MB per hour, per kind —
  ``console`` (target ≤ 2), ``worker`` (the worst single worker; target ≤ 1; a worker that
  was replaced starts a new series), ``central`` (mean over its lives — each restart starts
  a new one — leaving out each life's first 2 minutes, when its caches fill: short series,
  read it with care), ``simulator``; ``rss_mb_per_hour_stderr`` is
  the slope's standard error (a 20-minute run on a busy machine leaves a wide one).
  ``anon_mb_per_hour``: the same for ``RssAnon`` (private heap: RSS without mapped files and
  shared memory — a worker's RSS also moves with the picture segments it has mapped as the
  tour pages, its heap does not); ``*_second_half``: the same slopes over the later half of
  the samples after warm-up only — well under the whole window's, the process is still
  filling caches towards a bound (warm-up not over: run longer); about the same, it grows
  steadily (a leak, or growth whose bound lies beyond the run); ``anon_floor_mb_per_hour``:
  the slope of each 2-minute slice's lowest ``RssAnon`` (a touring worker's memory is a
  sawtooth of ~90 MB as the tour pre-opens the next page; a 10 s sampling catches its teeth at
  random, so the plain slope's error is wide — the floor rises only when the process keeps
  more);
- ``fd_growth``, ``thread_growth`` per kind and ``shm_segments_growth`` (targets 0): the
  median of the last samples after warm-up minus the median of the first ones (up to 5 each,
  so a tile reconnecting at the instant of one sample does not count); central's within its
  last life;
- ``ui_lag_ms_p99`` (target ≤ 50): the largest p99 of the console's 10 s periods — an upper
  bound of the p99 over the whole run; ``ui_lag_ms_over_50_fraction`` is exact;
- ``errors_logged``: ERROR and CRITICAL lines in the console's, central's and the simulator's
  logs over the whole run, and native crash lines (``Fatal Python error``, ``Segmentation
  fault``) there, on the console's stderr and in its ``logs/native-crash.log`` (with the
  frame it crashed in); each distinct one is listed (numbers and ids
  folded) with a count and an example, for a human to judge. The few the soak causes on
  purpose (the console cannot reach central while it restarts) say so (``explained``);
  ``errors_unexplained`` counts the rest (target 0);
- ``shm_segments_left_after_stop``: the console's segments still in ``/dev/shm`` after it
  exited (target 0);
- the console's local database (``cache/*.db`` with its WAL) and log sizes at the start and
  the end; the run's conditions (minutes, tiles, decoder, display, load average, cores).

Other programs on the machine compete for the CPU: the load average is part of the result.
Every sample is kept in ``samples.csv`` in the work directory (kept after the run, with the
logs). Human lines first; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bench.common import post_json, say  # noqa: E402
from central.demo_registry import DEMO_PASSWORD  # noqa: E402
from console.diagnostics.loop_probe import STATS_ENV, STATS_LINE  # noqa: E402
from console.walls.tours import TOUR_ENV  # noqa: E402
from demo.launcher import Child, DemoError, free_port, start_child, virtual_display  # noqa: E402

KINDS = ("console", "worker", "central", "simulator")
TARGETS = {"rss_mb_per_hour_console": 2.0, "rss_mb_per_hour_worker": 1.0, "fd_growth": 0,
           "thread_growth": 0, "shm_segments_growth": 0, "ui_lag_ms_p99": 50.0}
# The storm's detections: none of these is critical (rodent and unattended flame are), so
# none pops up a panel that would pause the tour (see the module docstring).
STORM_AI = ("no_mask", "smoking", "no_chef_hat", "no_gloves", "phone_use", "no_work_clothes",
            "uncovered_bin")
CENTRAL_SETTLE_S = 120.0  # a fresh central's memory climbs while its caches fill, then stays
# A touring worker's memory is a sawtooth: up by ~90 MB while the tour pre-opens the next
# page (both pages decode), down when the old page closes. The floor — the lowest sample of
# each window this long, several tour pages — moves only when the process keeps more.
FLOOR_WINDOW_S = 120.0
SHM_PREFIX = "kwvw"  # videowall.frames.NAME_PREFIX: kwvw-<UI process pid>-<n>
# ERROR lines the soak causes on purpose: (log, logger, start of the message, why). Anything
# else is unexplained until a human says otherwise.
EXPLAINED = (
    ("console", "kitchenwatch.console.sync", "cannot reach http://127.0.0.1:",
     "central was restarted on purpose; the console works on its cache and retries"),
)
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+ (ERROR|CRITICAL) (\S+): (.*)$")
LAG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+ INFO \S+: "
                      + re.escape(STATS_LINE) + r" ([\d.]+) s: p50 ([\d.]+) ms, p99 ([\d.]+) ms, "
                      r"max ([\d.]+) ms, (\d+) ticks of \d+ ms, (\d+) over")
# A native crash writes no log record: Python's faulthandler and the C library print these.
NATIVE_CRASH = re.compile(r"^(Fatal Python error|Segmentation fault|Aborted|.*core dumped)")
FOLD = re.compile(r"0x[0-9a-f]+|[0-9a-f]{8}-[0-9a-f-]{27}|\b[A-Z]*\d[\w.:-]*|\d+")


# -- the stack -----------------------------------------------------------------------------

class ChildLogs(logging.Handler):
    """``demo.launcher.start_child`` hands every line a child prints to the ``kitchenwatch.demo``
    logger as ``[name] line``; this writes each child's lines to its own file (appending, so
    central's lives follow each other in one log)."""

    def __init__(self, files: dict[str, Path]) -> None:
        super().__init__(logging.DEBUG)
        self.files = {name: path.open("a", encoding="utf-8") for name, path in files.items()}

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        out = self.files.get(str(args[0])) if len(args) == 2 else None
        if out is not None:
            out.write(f"{args[1]}\n")
            out.flush()

    def close(self) -> None:
        for out in self.files.values():
            out.close()
        super().close()


@dataclass
class Stack:
    work: Path
    businesses: int
    central_port: int = field(default_factory=free_port)
    sim_port: int = field(default_factory=free_port)
    central: Child | None = None
    simulator: Child | None = None
    console: subprocess.Popen[bytes] | None = None
    lives: int = 0  # central's
    downtime_s: list[float] = field(default_factory=list)

    @property
    def central_url(self) -> str:
        return f"http://127.0.0.1:{self.central_port}"

    @property
    def sim_url(self) -> str:
        return f"http://127.0.0.1:{self.sim_port}"

    def start_central(self) -> None:
        self.central = start_child("central", [
            sys.executable, "-m", "central", "--host", "127.0.0.1",
            "--port", str(self.central_port), "--db", f"sqlite:///{self.work / 'central.db'}",
            "--media-dir", str(self.work / "central-media"), "--demo-registry",
            "--businesses", str(self.businesses), "--stream-base", self.sim_url,
        ], "KITCHENWATCH_CENTRAL_URL", timeout=300)
        self.lives += 1

    def restart_central(self, crash: bool) -> float:
        """Stop (SIGTERM) or kill (SIGKILL) central and start it again on the same port and
        database; returns the seconds it was away."""
        assert self.central is not None
        started = time.monotonic()
        if crash:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.central.proc.pid, signal.SIGKILL)
            self.central.proc.wait(10)
        else:
            self.central.stop()
        for attempt in range(20):  # the port may linger a moment after a kill
            try:
                self.start_central()
                break
            except DemoError:
                if attempt == 19:
                    raise
                time.sleep(1.0)
        away = time.monotonic() - started
        self.downtime_s.append(away)
        return away

    def start_simulator(self) -> None:
        # No AI events and no random breaches from the simulator: the storms bring them, and
        # the simulator's rodents and flames are critical (a panel that pauses the tour).
        self.simulator = start_child("simulator", [
            sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port",
            str(self.sim_port), "--central", self.central_url, "--password", DEMO_PASSWORD,
            "--no-ai", "--breach-rate", "0", "--log-level", "WARNING",
        ], "KITCHENWATCH_SIM_URL", timeout=600)

    def start_console(self, layout: str, dwell: int, decoder: str, display: str | None,
                      env_base: dict[str, str], lag_period_s: float) -> None:
        env = dict(env_base)
        env.update({"KITCHENWATCH_PASSWORD": DEMO_PASSWORD, TOUR_ENV: "all",
                    STATS_ENV: f"{lag_period_s:g}:10", "KITCHENWATCH_DECODER": decoder})
        if display:
            env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
            env.pop("WAYLAND_DISPLAY", None)
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"
        stderr = (self.work / "console-stderr.log").open("ab")
        self.console = subprocess.Popen(
            [sys.executable, "-m", "console", "--server", self.central_url, "--user",
             "operator", "--data-dir", str(self.console_dir), "--settings",
             str(self.work / "console-settings.json"), "--layout", layout,
             "--tour-dwell", str(dwell), "--popup-severity", "4", "--no-sounds"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
            start_new_session=True)
        stderr.close()

    @property
    def console_dir(self) -> Path:
        return self.work / "console"

    def stop(self) -> int | None:
        code = None
        if self.console is not None:
            code = self.console.poll()
            Child("console", self.console).stop(20)  # type: ignore[arg-type]
        for child in (self.simulator, self.central):
            if child is not None:
                child.stop()
        return code


def wait_for_line(path: Path, needle: str, timeout: float, alive: Any) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if needle in path.read_text(encoding="utf-8", errors="replace"):
                return True
        if not alive():
            return False
        time.sleep(0.5)
    return False


def registry(central_db: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """Camera ids and special-room sensors, read from central's SQLite file."""
    with contextlib.closing(sqlite3.connect(f"file:{central_db}?mode=ro", uri=True)) as db:
        cameras = [row[0] for row in db.execute("SELECT id FROM cameras ORDER BY id")]
        rooms = [{"id": row[0], "params": json.loads(row[1] or "{}")} for row in db.execute(
            "SELECT id, params FROM sensors WHERE kind = 'special_room' ORDER BY id")]
    return cameras, rooms


# -- the disturbances ------------------------------------------------------------------------

class Faults:
    """Dead cameras stay offline; flaky ones drop (offline or stalled) and come back."""

    def __init__(self, sim_url: str, cameras: list[str], dead: float, flaky: float,
                 rng: random.Random) -> None:
        self.sim_url = sim_url
        shuffled = rng.sample(cameras, len(cameras))
        n_dead = round(len(cameras) * dead)
        self.dead = shuffled[:n_dead]
        self.flaky = shuffled[n_dead:n_dead + round(len(cameras) * flaky)]
        self.down_until: dict[str, float] = {}
        self.rng = rng
        self.drops = 0
        self.errors = 0

    def set(self, camera_id: str, fault: str | None) -> None:
        try:
            post_json(f"{self.sim_url}/control/cameras/{camera_id}", {"fault": fault},
                      timeout=5)
        except OSError:
            self.errors += 1

    def start(self) -> None:
        for camera_id in self.dead:
            self.set(camera_id, "offline")

    def churn(self, now: float) -> None:
        """Called every few seconds: each flaky camera up drops with a small chance, for
        10–90 s; each one down whose time is up comes back."""
        for camera_id in self.flaky:
            until = self.down_until.get(camera_id)
            if until is None and self.rng.random() < 0.05:
                self.down_until[camera_id] = now + self.rng.uniform(10, 90)
                self.set(camera_id, "offline" if self.rng.random() < 0.8 else "stall")
                self.drops += 1
            elif until is not None and now >= until:
                del self.down_until[camera_id]
                self.set(camera_id, None)


@dataclass
class Storms:
    central_url: str
    cameras: list[str]
    rooms: list[dict[str, Any]]
    rate: int
    seconds: float
    count: int = 0
    posted: int = 0
    errors: int = 0
    _seq: int = 0

    def run(self) -> None:
        """One storm (in a thread): AI detections at ``rate``/s, then breaching readings of
        up to 5 special rooms (2 °C over the limit: major, under the critical margin)."""
        self.count += 1
        try:
            token = post_json(f"{self.central_url}/api/login",
                              {"username": "gateway", "password": DEMO_PASSWORD})["token"]
        except OSError:
            self.errors += 1
            return
        started = time.monotonic()
        total = int(self.rate * self.seconds)
        for i in range(total):
            time.sleep(max(0.0, started + i / self.rate - time.monotonic()))
            self._seq += 1
            camera_id = self.cameras[self._seq % len(self.cameras)]
            violation = STORM_AI[(self._seq // len(self.cameras)) % len(STORM_AI)]
            self._post("/api/events/ai", {"camera_id": camera_id, "violation": violation,
                                          "ts": datetime.now(UTC).isoformat(),
                                          "confidence": 0.9}, token)
        now = datetime.now(UTC)
        for room in self.rooms[(self.count * 5) % max(1, len(self.rooms)):][:5]:
            limit = float(room["params"].get("max_temp", 25.0))
            readings = [{"sensor_id": room["id"], "value": limit + 2.0, "humidity": 60.0,
                         "ts": (now - timedelta(seconds=s)).isoformat()}
                        for s in (*range(180, 0, -60), 0)]
            self._post("/api/readings", {"readings": readings}, token)

    def _post(self, path: str, body: dict[str, Any], token: str) -> None:
        try:
            post_json(f"{self.central_url}{path}", body, token, timeout=10)
            self.posted += 1
        except OSError:  # central restarting, or refusing: counted, the storm goes on
            self.errors += 1


# -- sampling --------------------------------------------------------------------------------

@dataclass
class Sample:
    t: float  # seconds since the console was ready
    kind: str
    key: str  # the process series: a worker's pid, central's life
    rss_mb: float
    anon_mb: float  # RssAnon: the process's private heap, without mapped files and shm
    fds: int
    threads: int


def processes(stack: Stack) -> list[tuple[str, str, psutil.Process]]:
    found: list[tuple[str, str, psutil.Process]] = []
    with contextlib.suppress(psutil.Error):
        if stack.console is not None:
            console = psutil.Process(stack.console.pid)
            found.append(("console", "console", console))
            for child in console.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    if "videowall.worker" in " ".join(child.cmdline()):
                        found.append(("worker", f"worker-{child.pid}", child))
    for kind, child in (("central", stack.central), ("simulator", stack.simulator)):
        if child is not None and child.proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                found.append((kind, f"{kind}-{stack.lives if kind == 'central' else 1}",
                              psutil.Process(child.proc.pid)))
    return found


def take_samples(stack: Stack, t: float) -> list[Sample]:
    out = []
    for kind, key, proc in processes(stack):
        try:
            with proc.oneshot():
                out.append(Sample(t, kind, key, proc.memory_info().rss / 2**20,
                                  anon_mb(proc.pid), proc.num_fds(), proc.num_threads()))
        except psutil.Error:
            continue
    return out


def anon_mb(pid: int) -> float:
    """``RssAnon`` from /proc: what a leak in the process's own code makes grow (RSS also
    counts the picture segments a worker happens to have mapped at that moment)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def shm_segments(console_pid: int) -> int:
    """The console's picture segments (other programs on the machine may have their own)."""
    return sum(1 for _ in Path("/dev/shm").glob(f"{SHM_PREFIX}-{console_pid}-*"))


def fit_per_hour(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least-squares slope of ``(seconds, value)`` points and its standard error, both per
    hour; None under 3 points."""
    points = [p for p in points if not math.isnan(p[1])]
    if len(points) < 3:
        return None
    mean_t = statistics.fmean(p[0] for p in points)
    mean_v = statistics.fmean(p[1] for p in points)
    var = sum((p[0] - mean_t) ** 2 for p in points)
    if var == 0:
        return None
    slope = sum((p[0] - mean_t) * (p[1] - mean_v) for p in points) / var
    residual = sum((p[1] - mean_v - slope * (p[0] - mean_t)) ** 2 for p in points)
    stderr = math.sqrt(residual / (len(points) - 2) / var) if len(points) > 2 else 0.0
    return slope * 3600, stderr * 3600


def floors(series: dict[str, list[Sample]], value: str,
           window_s: float = FLOOR_WINDOW_S) -> dict[str, list[Sample]]:
    """Per series, the sample with the lowest ``value`` in each ``window_s`` slice."""
    out: dict[str, list[Sample]] = {}
    for key, rows in series.items():
        start = rows[0].t
        slices: dict[int, Sample] = {}
        for s in rows:
            slot = int((s.t - start) // window_s)
            if slot not in slices or getattr(s, value) < getattr(slices[slot], value):
                slices[slot] = s
        out[key] = [slices[k] for k in sorted(slices)]
    return out


def per_kind_slopes(series: dict[str, list[Sample]], value: str) -> dict[str, Any]:
    """Per kind: ``[slope, stderr]`` MB/h — the console's and the simulator's single series,
    the worst worker, central's lives averaged (weighted by their samples)."""
    out: dict[str, Any] = {}
    for kind in KINDS:
        fits = {k: fit_per_hour([(s.t, getattr(s, value)) for s in rows])
                for k, rows in series.items() if rows[0].kind == kind}
        known = {k: v for k, v in fits.items() if v is not None}
        if not known:
            out[kind] = None
            continue
        if kind == "worker":
            slope, err = max(known.values())
        elif kind == "central":
            weight = {k: len(series[k]) for k in known}
            total = sum(weight.values())
            slope = sum(known[k][0] * weight[k] for k in known) / total
            err = math.sqrt(sum((known[k][1] * weight[k] / total) ** 2 for k in known))
        else:
            slope, err = next(iter(known.values()))
        out[kind] = [round(slope, 2), round(err, 2)]
    return out


def growth(values: list[float]) -> float | None:
    """Median of the last up-to-5 values minus the median of the first up-to-5."""
    if len(values) < 2:
        return None
    k = max(1, min(5, len(values) // 4))
    return statistics.median(values[-k:]) - statistics.median(values[:k])


def summarise(samples: list[Sample], shm: list[tuple[float, int]],
              warmup_s: float) -> dict[str, Any]:
    born: dict[str, float] = {}
    for s in samples:
        born.setdefault(s.key, s.t)
    after = [s for s in samples if s.t >= warmup_s
             and (s.kind != "central" or s.t - born[s.key] >= CENTRAL_SETTLE_S)]
    series: dict[str, list[Sample]] = defaultdict(list)
    for s in after:
        series[s.key].append(s)
    rss_fit = per_kind_slopes(series, "rss_mb")
    anon_fit = per_kind_slopes(series, "anon_mb")
    # The same over the second half of the window: a cache filling to its bound (warm-up
    # not over) shows a second-half slope well under the whole window's; a leak does not.
    end = max((s.t for s in after), default=warmup_s)
    middle = (max(warmup_s, min((s.t for s in after), default=warmup_s)) + end) / 2
    late: dict[str, list[Sample]] = defaultdict(list)
    for s in after:
        if s.t >= middle:
            late[s.key].append(s)
    late_rss = per_kind_slopes(late, "rss_mb")
    late_anon = per_kind_slopes(late, "anon_mb")
    floor_anon = per_kind_slopes(floors(series, "anon_mb"), "anon_mb")
    fds: dict[str, float | None] = {}
    threads: dict[str, float | None] = {}
    for kind in KINDS:
        if kind == "central":
            lives = sorted((k for k, v in series.items() if v[0].kind == "central"),
                           key=lambda k: int(k.split("-")[1]))
            rows = next((series[k] for k in reversed(lives) if len(series[k]) >= 2), [])
            per_t = {s.t: (s.fds, s.threads) for s in rows}
        else:
            per_t_sum: dict[float, list[int]] = defaultdict(lambda: [0, 0])
            for s in after:
                if s.kind == kind:
                    per_t_sum[s.t][0] += s.fds
                    per_t_sum[s.t][1] += s.threads
            per_t = {t: (v[0], v[1]) for t, v in per_t_sum.items()}
        ordered = [per_t[t] for t in sorted(per_t)]
        fds[kind] = growth([float(v[0]) for v in ordered])
        threads[kind] = growth([float(v[1]) for v in ordered])
    shm_after = [float(n) for t, n in shm if t >= warmup_s]
    worker_keys = {s.key for s in samples if s.kind == "worker"}
    return {"rss_mb_per_hour": {k: v and v[0] for k, v in rss_fit.items()},
            "rss_mb_per_hour_stderr": {k: v and v[1] for k, v in rss_fit.items()},
            "anon_mb_per_hour": {k: v and v[0] for k, v in anon_fit.items()},
            "anon_mb_per_hour_stderr": {k: v and v[1] for k, v in anon_fit.items()},
            "rss_mb_per_hour_second_half": {k: v and v[0] for k, v in late_rss.items()},
            "anon_mb_per_hour_second_half": {k: v and v[0] for k, v in late_anon.items()},
            "anon_floor_mb_per_hour": {k: v and v[0] for k, v in floor_anon.items()},
            "fd_growth": fds, "thread_growth": threads,
            "shm_segments_growth": growth(shm_after),
            "workers_seen": len(worker_keys),
            "samples_after_warmup": len({s.t for s in after})}


def last_values(samples: list[Sample]) -> dict[str, dict[str, float]]:
    """RSS, fds and threads per kind at the last sample (for the human lines)."""
    if not samples:
        return {}
    t = samples[-1].t
    out: dict[str, dict[str, float]] = {}
    for s in samples:
        if s.t == t:
            row = out.setdefault(s.kind, {"processes": 0, "rss_mb": 0.0, "fds": 0,
                                          "threads": 0})
            row["processes"] += 1
            row["rss_mb"] = round(row["rss_mb"] + s.rss_mb, 1)
            row["fds"] += s.fds
            row["threads"] += s.threads
    return out


# -- logs ------------------------------------------------------------------------------------

def log_files(stack: Stack) -> dict[str, list[Path]]:
    logs = stack.console_dir / "logs"
    return {"console": sorted(logs.glob("console.log*")),
            "central": [stack.work / "central.log"],
            "simulator": [stack.work / "simulator.log"]}


def crashed_at(path: Path) -> str:
    """The innermost frame of the crashing thread in a faulthandler trace ("" if none)."""
    with contextlib.suppress(OSError):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Current thread") and i + 1 < len(lines):
                return lines[i + 1].strip()
    return ""


def errors_logged(stack: Stack) -> tuple[int, list[dict[str, Any]]]:
    distinct: Counter[tuple[str, str, str]] = Counter()
    example: dict[tuple[str, str, str], str] = {}
    # A segfault in the console leaves its trace in logs/native-crash.log (faulthandler; the
    # rotating log cannot be written from a signal handler), not in console.log.
    sources = {**log_files(stack), "console-stderr": [stack.work / "console-stderr.log"],
               "console-native-crash": sorted((stack.console_dir / "logs").glob(
                   "native-crash*.log"))}
    for source, paths in sources.items():
        for path in paths:
            where = crashed_at(path) if source == "console-native-crash" else ""
            with contextlib.suppress(OSError), path.open(encoding="utf-8",
                                                         errors="replace") as lines:
                for line in lines:
                    line = line.rstrip("\n")
                    # the console's stderr repeats its log: only what the log cannot hold
                    match = None if source == "console-stderr" else LOG_LINE.match(line)
                    if match:
                        key = (source, match[3], FOLD.sub("#", match[4])[:160])
                        message = match[4]
                    elif NATIVE_CRASH.match(line):
                        key, message = (source, "native", FOLD.sub("#", line)[:160]), line
                        message += f" (in {where})" if where else ""
                    else:
                        continue
                    distinct[key] += 1
                    example.setdefault(key, message[:300])
    listed = [{"log": k[0], "logger": k[1], "count": n, "example": example[k],
               "explained": next((why for log, logger, start, why in EXPLAINED
                                  if (log, logger) == k[:2] and example[k].startswith(start)),
                                 None)}
              for k, n in distinct.most_common()]
    return sum(distinct.values()), listed


def ui_lag(stack: Stack, ready_at: datetime, warmup_s: float) -> dict[str, Any]:
    """The console's periodic lag lines after the warm-up (times are local, as logged)."""
    periods: list[tuple[float, float, int, int]] = []  # p50, p99, ticks, over 50 ms
    worst = 0.0
    for path in log_files(stack)["console"]:
        with contextlib.suppress(OSError), path.open(encoding="utf-8",
                                                     errors="replace") as lines:
            for line in lines:
                match = LAG_LINE.match(line)
                if not match:
                    continue
                at = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S")
                if (at - ready_at).total_seconds() < warmup_s:
                    continue
                periods.append((float(match[3]), float(match[4]), int(match[6]),
                                int(match[7])))
                worst = max(worst, float(match[5]))
    if not periods:
        return {"ui_lag_ms_p99": None, "ui_lag_periods": 0}
    ticks = sum(p[2] for p in periods)
    return {"ui_lag_ms_p99": max(p[1] for p in periods),
            "ui_lag_ms_p99_median_period": round(statistics.median(p[1] for p in periods), 1),
            "ui_lag_ms_p50_median_period": round(statistics.median(p[0] for p in periods), 1),
            "ui_lag_ms_max": worst,
            "ui_lag_ms_over_50_fraction": round(sum(p[3] for p in periods) / ticks, 5)
            if ticks else None,
            "ui_lag_periods": len(periods)}


def tour_started(stack: Stack) -> bool:
    """The console logged that its tour of every camera began (KITCHENWATCH_TOUR=all)."""
    for path in log_files(stack)["console"]:
        with contextlib.suppress(OSError):
            if "kitchenwatch.console.tour: tour of" in path.read_text(encoding="utf-8",
                                                                      errors="replace"):
                return True
    return False


def sizes(stack: Stack) -> dict[str, float | int]:
    def mb(paths: list[Path]) -> float:
        return round(sum(p.stat().st_size for p in paths if p.exists()) / 1e6, 3)

    files = log_files(stack)
    local = [p for p in (stack.console_dir / "cache").glob("*.db*") if not p.name.endswith("-shm")]
    return {"local_db_mb": mb(local),
            "console_log_mb": mb(files["console"]),
            "console_log_files": len(files["console"]),
            "central_db_mb": mb([stack.work / "central.db", stack.work / "central.db-wal"]),
            "central_log_mb": mb(files["central"]),
            "console_stderr_mb": mb([stack.work / "console-stderr.log"]),
            **local_rows(stack)}


def local_rows(stack: Stack) -> dict[str, int]:
    """Rows in the console's local database that grow with the run: alarms (the storms' are
    never handled, so the console's alarm list fills towards its bound — part of its memory
    growth is that) and delivered outbox actions (camera health reports)."""
    out: dict[str, int] = {}
    for path in (stack.console_dir / "cache").glob("*.db"):
        with contextlib.suppress(sqlite3.Error), contextlib.closing(
                sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)) as db:
            for name, query in (("local_alarms", "SELECT count(*) FROM alarms"),
                                ("local_alarms_open", "SELECT count(*) FROM alarms WHERE "
                                                      "state NOT IN ('closed', 'dismissed')"),
                                ("local_outbox", "SELECT count(*) FROM outbox")):
                out[name] = out.get(name, 0) + int(db.execute(query).fetchone()[0])
    return out


# -- the run ---------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    length = p.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, default=20.0, help="run length (default 20)")
    length.add_argument("--seconds", type=float, help="run length in seconds (short checks)")
    p.add_argument("--tiles", type=int, default=64, help="wall size (default 64)")
    p.add_argument("--businesses", type=int, default=100,
                   help="demo city (default 100: ~200 cameras, so the tour pages)")
    p.add_argument("--decoder", choices=("ffmpeg", "vlc"), default="ffmpeg")
    p.add_argument("--display", choices=("auto", "xvfb", "offscreen"), default="auto",
                   help="auto: Xvfb when installed, else Qt's offscreen platform")
    p.add_argument("--warmup-minutes", type=float, default=None,
                   help="samples before this are not used (default: a third of the run, at "
                        "most 10 minutes; the decode workers' heap, trimmed every 30 s, levels "
                        "off within ~3 minutes on a 64-tile touring wall. The console's alarm "
                        "list fills for longer: the storms open ~35 alarms a minute that "
                        "nobody handles, ~6 kB each, up to its 2,000 live rows — about an "
                        "hour — so a 30-minute run's console slope still holds that fill)")
    p.add_argument("--sample-seconds", type=float, default=10.0)
    p.add_argument("--lag-seconds", type=float, default=10.0,
                   help="period of the console's UI-lag lines (default 10)")
    p.add_argument("--dwell", type=int, default=20, help="seconds a tour page stays")
    p.add_argument("--restart-minutes", type=float, default=4.0,
                   help="restart central this often (0: never)")
    p.add_argument("--storm-minutes", type=float, default=3.0,
                   help="an alarm storm this often (0: never)")
    p.add_argument("--storm-seconds", type=float, default=5.0)
    p.add_argument("--storm-rate", type=int, default=20, help="AI detections a second")
    p.add_argument("--dead", type=float, default=0.05, help="share of cameras always offline")
    p.add_argument("--flaky", type=float, default=0.10,
                   help="share of cameras dropping and coming back")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--workdir", type=Path, default=None, help="keep everything here")
    return p.parse_args(argv)


def layout_for(tiles: int) -> str:
    from videowall.layouts import LAYOUTS

    return next((n for n in sorted(LAYOUTS, key=int) if int(n) >= tiles), "64")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Stopped early (kill, or Ctrl-C in a background shell, which ignores SIGINT): still stop
    # central, the simulator and the console in the ``finally`` below, never leave them running.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: sys.exit(143))
    run_s = args.seconds if args.seconds is not None else args.minutes * 60
    warmup_s = (args.warmup_minutes * 60 if args.warmup_minutes is not None
                else min(600.0, run_s / 3))
    layout = layout_for(args.tiles)
    display_mode = args.display
    if display_mode == "auto":
        display_mode = "xvfb" if shutil.which("Xvfb") else "offscreen"
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kw-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[var] = str(work / var.lower())  # never the operator's own settings or keyring
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    rng = random.Random(args.seed)
    router = ChildLogs({"central": work / "central.log", "simulator": work / "simulator.log"})
    demo_log = logging.getLogger("kitchenwatch.demo")
    demo_log.setLevel(logging.DEBUG)
    demo_log.propagate = False
    demo_log.addHandler(router)
    say(f"soak: {run_s / 60:.1f} min, {args.tiles} tiles (layout {layout}), {args.decoder} "
        f"decoder, {display_mode} display, warm-up {warmup_s / 60:.1f} min; work in {work}")
    prep = subprocess.run([sys.executable, "-m", "simulator", "--prepare-only"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)
    if prep.returncode != 0:
        raise SystemExit("preparing the simulator's media failed:\n" + prep.stderr[-2000:])
    stack = Stack(work, args.businesses)
    load_start = os.getloadavg()
    display_cm = (virtual_display() if display_mode == "xvfb"
                  else contextlib.nullcontext(None))
    samples: list[Sample] = []
    shm: list[tuple[float, int]] = []
    loads: list[float] = []
    restarts: list[dict[str, Any]] = []
    console_exit: int | None = None
    result: dict[str, Any] = {}
    try:
        with display_cm as display:
            stack.start_central()
            cameras, rooms = registry(work / "central.db")
            stack.start_simulator()
            faults = Faults(stack.sim_url, cameras, args.dead, args.flaky, rng)
            faults.start()
            storms = Storms(stack.central_url, cameras, rooms, args.storm_rate,
                            args.storm_seconds)
            say(f"central {stack.central_url}, simulator {stack.sim_url}: {len(cameras)} "
                f"cameras ({len(faults.dead)} offline all along, {len(faults.flaky)} flaky), "
                f"{len(rooms)} special rooms")
            stack.start_console(layout, args.dwell, args.decoder, display, env,
                                args.lag_seconds)
            console_pid = stack.console.pid
            console_log = stack.console_dir / "logs" / "console.log"
            if not wait_for_line(console_log, "console ready", 300,
                                 lambda: stack.console.poll() is None):
                raise SystemExit(f"the console did not come up (exit {stack.console.poll()}); "
                                 f"see {console_log} and {work / 'console-stderr.log'}")
            ready_wall = datetime.now()
            ready = time.monotonic()
            say(f"console ready (pid {console_pid}); the run starts")
            size_start: dict[str, float | int] = {}
            next_sample = next_churn = ready
            next_restart = ready + args.restart_minutes * 60 if args.restart_minutes else math.inf
            next_storm = (ready + args.storm_minutes * 60 / 2 if args.storm_minutes
                          else math.inf)
            storm_thread: threading.Thread | None = None
            crash = False
            storms_started = 0
            while (now := time.monotonic()) < ready + run_s:
                if stack.console.poll() is not None:
                    console_exit = stack.console.returncode
                    say(f"the console exited with status {console_exit} after "
                        f"{now - ready:.0f} s")
                    break
                if now >= next_churn:
                    faults.churn(now)
                    next_churn = now + 5
                if now >= next_storm and (storm_thread is None or not storm_thread.is_alive()):
                    storm_thread = threading.Thread(target=storms.run, name="storm",
                                                    daemon=True)
                    storm_thread.start()
                    storms_started += 1
                    say(f"[{(now - ready) / 60:5.1f} min] alarm storm {storms_started}")
                    next_storm = now + args.storm_minutes * 60
                if now >= next_restart:
                    away = stack.restart_central(crash)
                    restarts.append({"at_min": round((now - ready) / 60, 2),
                                     "how": "SIGKILL" if crash else "SIGTERM",
                                     "away_s": round(away, 1)})
                    say(f"[{(now - ready) / 60:5.1f} min] central "
                        f"{'killed' if crash else 'stopped'} and started again ({away:.1f} s "
                        f"away)")
                    crash = not crash
                    next_restart = time.monotonic() + args.restart_minutes * 60
                if now >= next_sample:
                    t = round(now - ready, 1)
                    got = take_samples(stack, t)
                    samples.extend(got)
                    shm.append((t, shm_segments(console_pid)))
                    loads.append(os.getloadavg()[0])
                    if not size_start:
                        size_start = sizes(stack)
                    if len(shm) % max(1, round(60 / args.sample_seconds)) == 1:
                        row = last_values(got)
                        say(f"[{t / 60:5.1f} min] " + "; ".join(
                            f"{k} {v['processes']}× {v['rss_mb']:.0f} MB {v['fds']} fds "
                            f"{v['threads']} thr" for k, v in row.items())
                            + f"; shm {shm[-1][1]}; load {loads[-1]:.1f}")
                    next_sample = now + args.sample_seconds
                time.sleep(0.2)
            elapsed = time.monotonic() - ready
            if storm_thread is not None:
                storm_thread.join(30)
            size_end = sizes(stack)
            console_exit = stack.stop() if console_exit is None else console_exit
    finally:
        stack.stop()
        router.close()
    shm_after_stop = shm_segments(console_pid)
    with (work / "samples.csv").open("w", encoding="utf-8") as out:
        out.write("t_s,kind,series,rss_mb,anon_mb,fds,threads\n")
        out.writelines(f"{s.t},{s.kind},{s.key},{s.rss_mb:.2f},{s.anon_mb:.2f},{s.fds},"
                       f"{s.threads}\n" for s in samples)
        out.writelines(f"{t},shm,console,,,{n},\n" for t, n in shm)
    load_end = os.getloadavg()
    summary = summarise(samples, shm, warmup_s)
    n_errors, distinct = errors_logged(stack)
    lag = ui_lag(stack, ready_wall, warmup_s)
    say("")
    say(f"ran {elapsed / 60:.1f} min after the console was ready; central restarted "
        f"{len(restarts)}× (away {', '.join(str(r['away_s']) for r in restarts) or '-'} s); "
        f"{storms.count} storms ({storms.posted} posts, {storms.errors} refused or failed); "
        f"{faults.drops} camera drops")
    for kind in KINDS:
        say(f"{kind:9s} RSS {summary['rss_mb_per_hour'][kind]} ± "
            f"{summary['rss_mb_per_hour_stderr'][kind]} MB/h (private heap "
            f"{summary['anon_mb_per_hour'][kind]} ± {summary['anon_mb_per_hour_stderr'][kind]}"
            f"; second half {summary['rss_mb_per_hour_second_half'][kind]}, heap "
            f"{summary['anon_mb_per_hour_second_half'][kind]}; heap floor "
            f"{summary['anon_floor_mb_per_hour'][kind]}"
            f"), fds {summary['fd_growth'][kind]:+}, threads "
            f"{summary['thread_growth'][kind]:+} (after warm-up)"
            if summary['fd_growth'][kind] is not None
            else f"{kind:9s} no samples after warm-up")
    say(f"shared-memory segments: growth {summary['shm_segments_growth']} after warm-up; "
        f"{shm_after_stop} left after the console stopped")
    say(f"UI lag: p99 ≤ {lag['ui_lag_ms_p99']} ms (worst 10 s period), median period p99 "
        f"{lag.get('ui_lag_ms_p99_median_period')} ms, max {lag.get('ui_lag_ms_max')} ms, "
        f"{lag.get('ui_lag_ms_over_50_fraction')} of ticks over 50 ms")
    unexplained = sum(row["count"] for row in distinct if not row["explained"])
    say(f"errors logged: {n_errors} ({len(distinct)} distinct), {unexplained} not explained "
        f"by the soak's own disturbances")
    for row in distinct:
        say(f"  {row['count']:5d}× [{row['log']}] {row['logger']}: {row['example']}"
            + (f"  — explained: {row['explained']}" if row["explained"] else ""))
    say(f"sizes at start {size_start}")
    say(f"sizes at end   {size_end}")
    say(f"machine: load average {load_start[0]:.2f} at start, {load_end[0]:.2f} at end, mean "
        f"{statistics.fmean(loads) if loads else float('nan'):.2f} over the run "
        f"({psutil.cpu_count()} cores, shared with other programs)")
    result = {
        "rss_mb_per_hour": summary["rss_mb_per_hour"],
        "rss_mb_per_hour_stderr": summary["rss_mb_per_hour_stderr"],
        "anon_mb_per_hour": summary["anon_mb_per_hour"],
        "anon_mb_per_hour_stderr": summary["anon_mb_per_hour_stderr"],
        "rss_mb_per_hour_second_half": summary["rss_mb_per_hour_second_half"],
        "anon_mb_per_hour_second_half": summary["anon_mb_per_hour_second_half"],
        "anon_floor_mb_per_hour": summary["anon_floor_mb_per_hour"],
        "fd_growth": summary["fd_growth"],
        "thread_growth": summary["thread_growth"],
        "shm_segments_growth": summary["shm_segments_growth"],
        "growth_measure": "median of the last up-to-5 samples after warm-up minus the median "
                          "of the first up-to-5; central within its last life; RSS: "
                          "least-squares slope after warm-up",
        "shm_segments_left_after_stop": shm_after_stop,
        **lag,
        "errors_logged": n_errors,
        "errors_unexplained": unexplained,
        "errors": distinct,
        "sizes_start": size_start,
        "sizes_end": size_end,
        "targets": TARGETS,
        "conditions": {
            "minutes": round(elapsed / 60, 2), "warmup_minutes": round(warmup_s / 60, 2),
            "tiles": args.tiles, "layout": layout, "decoder": args.decoder,
            "display": display_mode, "businesses": args.businesses, "cameras": len(cameras),
            "dead_cameras": len(faults.dead), "flaky_cameras": len(faults.flaky),
            "camera_drops": faults.drops, "central_restarts": restarts,
            "storms": storms.count, "storm_posts": storms.posted,
            "storm_failures": storms.errors, "tour_dwell_s": args.dwell,
            "samples_after_warmup": summary["samples_after_warmup"],
            "workers_seen": summary["workers_seen"],
            "console_exit": console_exit, "tour_started": tour_started(stack),
            "load_avg_start": round(load_start[0], 2), "load_avg_end": round(load_end[0], 2),
            "load_avg_mean": round(statistics.fmean(loads), 2) if loads else None,
            "cores": psutil.cpu_count(),
        },
    }
    if args.workdir is None:
        say(f"work directory kept for inspection: {work}")
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
