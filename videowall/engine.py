"""The Qt side of the stream engine: one :class:`StreamManager` per application, polled by a timer.

Every wall (one per screen, a tour, the alarm panel's live view) shares the same decode
workers through :meth:`WallEngine.default`, so the same camera at the same size is decoded once.
Stream status changes reach tiles through the streams' own listeners; the CPU governor runs
here too, once a second.
"""

from __future__ import annotations

import logging
import os
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from videowall.governor import CpuMeter, Governor
from videowall.pool import WorkerPool
from videowall.streams import Stream, StreamManager
from videowall.watchdog import StreamStatus, WatchdogConfig
from videowall.wire import BACKENDS, PlayerOptions

log = logging.getLogger("kitchenwatch.wall.engine")

POLL_MS = 100


def default_backend() -> str:
    """The decoder of grid tiles: FFmpeg (PyAV) unless ``KITCHENWATCH_DECODER=vlc``.

    Measured (bench/wall.py, 64 tiles): FFmpeg costs 1.2× the decode floor against 1.6× for
    libVLC, and only FFmpeg honours key-frames-only, which the CPU governor relies on."""
    chosen = os.environ.get("KITCHENWATCH_DECODER", "ffmpeg").strip().lower()
    return chosen if chosen in BACKENDS else "ffmpeg"


def default_main_backend() -> str:
    """The decoder of full-rate views (a maximised tile, an alarm panel): libVLC unless
    ``KITCHENWATCH_MAIN_DECODER`` (or ``KITCHENWATCH_DECODER``) names another.

    These few streams are main streams (1080p, often H.265, any protocol the media platform
    hands out) that are never degraded, where libVLC's breadth of formats and its own
    clock-driven playback matter more than a few percent of CPU."""
    chosen = (os.environ.get("KITCHENWATCH_MAIN_DECODER")
              or os.environ.get("KITCHENWATCH_DECODER") or "vlc").strip().lower()
    return chosen if chosen in BACKENDS else "vlc"


class WallEngine(QObject):
    """Owns the worker pool and the streams; not a singleton, but usually shared."""

    status_changed = Signal(object, object)  # Stream, StreamStatus
    governor_changed = Signal(int)           # number of tiles on key frames only

    _default: WallEngine | None = None

    def __init__(self, backend: str | None = None, workers: int | None = None,
                 watchdog: WatchdogConfig | None = None, options: PlayerOptions | None = None,
                 governor: Governor | None = None, parent: QObject | None = None,
                 main_backend: str | None = None) -> None:
        super().__init__(parent)
        # An engine built for one backend (tests, the probe) uses it for every view.
        self.main_backend = main_backend or (backend if backend else default_main_backend())
        self.manager = StreamManager(WorkerPool(workers,
                                                warm_libvlc=self.main_backend == "vlc"),
                                     backend or default_backend(), watchdog, options)
        self.manager.on_status.append(self._on_status)
        self.governor = governor or Governor()
        self.cpu = CpuMeter()
        self._walls: list[object] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_poll)
        self._timer.start()
        self._last_govern = 0.0
        self._closed = False

    @classmethod
    def default(cls) -> WallEngine:
        """The application's shared engine, shut down when the application quits."""
        if cls._default is None or cls._default._closed:
            app = QCoreApplication.instance()
            engine = cls(parent=app)
            if app is not None:
                app.aboutToQuit.connect(engine.shutdown)
            cls._default = engine
        return cls._default

    # -- streams ------------------------------------------------------------------------------
    def acquire(self, url: str, width: int, height: int, *, full_rate: bool = False) -> Stream:
        """A stream of ``url`` at that size; ``full_rate`` views (maximised, alarm panels)
        decode on :attr:`main_backend`."""
        if self._closed:
            raise RuntimeError("the wall engine was shut down")
        return self.manager.acquire(url, width, height,
                                    backend=self.main_backend if full_rate else None)

    def release(self, stream: Stream) -> None:
        if not self._closed:
            self.manager.release(stream)

    def set_keyframes_only(self, stream: Stream, on: bool) -> None:
        """The governor's lever for one stream (tiles call it; nobody reaches the manager)."""
        if not self._closed:
            self.manager.set_keyframes_only(stream, on)

    @property
    def options(self) -> PlayerOptions:
        """The options streams opened from now on start with (the operator's buffer)."""
        return self.manager.options

    @property
    def backend(self) -> str:
        return self.manager.backend

    def register_wall(self, wall: object) -> None:
        if wall not in self._walls:
            self._walls.append(wall)

    def unregister_wall(self, wall: object) -> None:
        """The shared engine stops its workers when its last wall is gone (a new wall starts
        them again in a fraction of a second); private engines are shut down by their owner."""
        if wall in self._walls:
            self._walls.remove(wall)
        if self is WallEngine._default and not self._walls and not self.manager.streams():
            self.shutdown()

    def pids(self) -> list[int]:
        return [os.getpid(), *self.manager.pool.pids()]

    # -- loop ---------------------------------------------------------------------------------
    def _on_status(self, stream: Stream, status: StreamStatus) -> None:
        self.status_changed.emit(stream, status)

    def _on_poll(self) -> None:
        self.manager.poll()
        now = time.monotonic()
        if now - self._last_govern >= 1.0:
            self._last_govern = now
            self._govern(now)

    def _govern(self, now: float) -> None:
        tiles = []
        for wall in list(self._walls):
            tiles += wall.governed_tiles()  # type: ignore[attr-defined]
        if not tiles:
            return
        cpu = self.cpu.sample(self.pids())
        delivered = [t.delivered for t in tiles if t.delivered is not None]
        ratio = sum(delivered) / len(delivered) if delivered else 1.0
        decisions = self.governor.update(now, cpu, ratio, tiles)
        if decisions is None:
            return
        for tile in tiles:
            wanted = decisions.get(tile.key, tile.keyframes_only)
            if wanted != tile.keyframes_only:
                tile.apply(wanted)
        self.governor_changed.emit(sum(1 for on in decisions.values() if on))

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self.manager.shutdown()
        if WallEngine._default is self:
            WallEngine._default = None
