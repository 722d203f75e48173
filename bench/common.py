"""Small helpers the benchmarks share (not a test).

Each benchmark prints human lines through :func:`say` and talks to central over loopback with
:func:`post_json`, as a device or a console would. Central seeded with a demo city
(:func:`start_seeded_central`; with the simulator's streams: :func:`start_central_and_simulator`)
and the paint watcher (:class:`PaintWatch`, "until the operator sees it") are here once, so
every benchmark starts the same stack and stops its clocks at the same moment.

Importing this module loads neither Qt nor the project: :class:`PaintWatch` imports PySide6
when it is made, the start-up helpers the launcher when they run (the database benchmarks use
only :func:`say` and :func:`post_json`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from demo.launcher import Child


def say(message: str) -> None:
    """One human line, flushed at once (the benchmarks run for minutes)."""
    print(message, flush=True)


def post_json(url: str, body: dict[str, Any], token: str | None = None,
              timeout: float = 15.0) -> dict[str, Any]:
    """POST ``body`` as JSON (with a bearer token when given); the JSON answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def stop_on_sigterm() -> None:
    """A SIGTERM (a timeout, a wrapper's Ctrl+C) unwinds the benchmark, so that central and
    the simulator are stopped by its ``finally``. Inside the Qt loop an exception raised by a
    signal handler would be swallowed by the slot that happens to run: stop the loop instead
    (``run_until_complete`` then raises)."""
    import asyncio
    import signal

    def on_term(*_args: object) -> None:
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = None
        if loop is not None and loop.is_running():
            loop.stop()
        else:
            raise SystemExit(143)

    signal.signal(signal.SIGTERM, on_term)


def start_seeded_central(work: Path, businesses: int, *, db_url: str = "", workers: int = 1,
                         stream_base: str = "", log_level: str = "INFO",
                         log_to: Path | None = None) -> tuple[subprocess.Popen[str], str, float]:
    """``kitchenwatch-central`` on an ephemeral loopback port with a demo city of
    ``businesses`` seeded (about two cameras each; the registry is bulk-inserted at start-up):
    (process, URL, seconds it took to seed and start — reported by the benchmarks, never part
    of their figures).

    Its database is ``db_url`` (default: a SQLite file in ``work``); its log goes to the file
    ``log_to``, or to a pipe the caller reads once central has stopped (``proc.stderr``)."""
    started = time.perf_counter()
    log: IO[str] | int = log_to.open("w") if log_to is not None else subprocess.PIPE
    argv = [sys.executable, "-m", "central", "--port", "0",
            "--db", db_url or f"sqlite:///{work / 'central.db'}", "--workers", str(workers),
            "--media-dir", str(work / "media"), "--demo-registry", "--businesses",
            str(businesses), "--log-level", log_level]
    if stream_base:
        argv += ["--stream-base", stream_base]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("KITCHENWATCH_CENTRAL_URL="):
        proc.kill()
        proc.wait()
        why = log_to.read_text() if log_to is not None else (
            proc.stderr.read() if proc.stderr else "")
        raise SystemExit(f"central did not start: {why}")
    return proc, line.strip().split("=", 1)[1], time.perf_counter() - started


def start_central_and_simulator(work: Path, businesses: int, *,
                                simulator_args: Sequence[str] = (),
                                simulator_posts: bool = False,
                                central_log_level: str | None = None) -> tuple[Child, Child]:
    """Central (SQLite file in ``work``, a demo city of ``businesses`` whose cameras stream
    from the simulator) and the simulator, each on a loopback port, as (central, simulator).

    With ``simulator_posts`` the simulator also logs in to central and posts what its
    ``simulator_args`` leave on (sensor readings, detections); without, it only serves the
    streams and the benchmark posts what it measures itself. If the simulator does not start,
    central is stopped before the error is raised."""
    from central.demo_registry import DEMO_PASSWORD
    from demo.launcher import free_port, start_child

    sim_port = free_port()
    sim_url = f"http://127.0.0.1:{sim_port}"
    argv = [sys.executable, "-m", "central", "--host", "127.0.0.1", "--port", "0",
            "--db", f"sqlite:///{work / 'central.db'}", "--media-dir", str(work / "media"),
            "--demo-registry", "--businesses", str(businesses), "--stream-base", sim_url]
    if central_log_level:
        argv += ["--log-level", central_log_level]
    central = start_child("central", argv, "KITCHENWATCH_CENTRAL_URL", timeout=300)
    posting = ["--central", central.url, "--password", DEMO_PASSWORD] if simulator_posts else []
    try:
        sim = start_child("simulator", [
            sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(sim_port),
            *posting, *simulator_args, "--log-level", "WARNING"], "KITCHENWATCH_SIM_URL",
            timeout=600)
    except BaseException:
        central.stop()
        raise
    return central, sim


@cache
def _paint_filter() -> type:
    """The Qt event filter class behind :class:`PaintWatch` (made once, when first needed)."""
    from PySide6.QtCore import QEvent, QObject

    class PaintFilter(QObject):
        def __init__(self, on_paint: Any) -> None:
            super().__init__()
            self.on_paint = on_paint

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.on_paint()
            return False

    return PaintFilter


class PaintWatch:
    """When a widget last painted (``painted_at``, ``time.perf_counter()``): the moment the
    operator sees new rows or a new picture, where the benchmarks stop their clocks. Watches
    ``widget`` from construction until :meth:`remove`."""

    def __init__(self, widget: Any) -> None:
        self.painted_at = 0.0
        self._widget = widget
        self._filter = _paint_filter()(self._painted)
        widget.installEventFilter(self._filter)

    def _painted(self) -> None:
        self.painted_at = time.perf_counter()

    def painted_since(self, moment: float) -> bool:
        return self.painted_at > moment

    def remove(self) -> None:
        self._widget.removeEventFilter(self._filter)
