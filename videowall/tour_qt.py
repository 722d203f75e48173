"""The thin Qt driver of a :class:`~videowall.tour.Tour` on a wall (a
:class:`~videowall.interfaces.WallView`: the real one, or the console tests' stand-in).

Pre-opening acquires the next page's streams at exactly the sizes the target tiles will ask
for, so when the page switches each tile's ``acquire`` finds its stream already running with a
picture and shows it at once; the driver then lets go of its own references. The previous
page's streams are released by the tiles as they change camera.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal

from videowall.interfaces import WallView
from videowall.source import TileSource
from videowall.streams import Stream
from videowall.tour import Tour, TourAction, TourStep

log = logging.getLogger("kitchenwatch.wall.tour")


class TourDriver(QObject):
    page_changed = Signal(int, int)   # page, page count
    paused_changed = Signal(bool)

    def __init__(self, wall: WallView, sources: list[TileSource], dwell_s: float = 10.0,
                 pinned: set[int] | None = None, preopen_s: float = 2.0) -> None:
        super().__init__(wall if isinstance(wall, QObject) else None)
        self.wall = wall
        self.tour = Tour(sources, len(wall.cells()), pinned, dwell_s, preopen_s)
        self._preopened: list[Stream] = []
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._on_tick)
        self.last_switch_s: float | None = None

    def start(self, page: int = 0) -> None:
        self._run(self.tour.start(time.monotonic(), page))
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._run(self.tour.pause())
        self._drop_preopened()

    def pause(self) -> None:
        self._run(self.tour.pause())
        self.paused_changed.emit(True)

    def pause_for_alarm(self) -> None:
        self._run(self.tour.pause_for_alarm())
        self.paused_changed.emit(True)

    def resume(self) -> None:
        self._run(self.tour.resume(time.monotonic()))
        self.paused_changed.emit(False)

    def next(self) -> None:
        self._run(self.tour.jump(self.tour.page + 1, time.monotonic()))

    def previous(self) -> None:
        self._run(self.tour.jump(self.tour.page - 1, time.monotonic()))

    @property
    def preopened(self) -> list[Stream]:
        return list(self._preopened)

    def _on_tick(self) -> None:
        self._run(self.tour.tick(time.monotonic()))

    def _run(self, steps: list[TourStep]) -> None:
        for step in steps:
            if step.action == TourAction.PREOPEN:
                self._preopen(step.cells)
            elif step.action == TourAction.SWITCH:
                started = time.monotonic()
                self.wall.set_cells(step.cells)
                self._drop_preopened()
                self.last_switch_s = time.monotonic() - started
                self.page_changed.emit(step.page, self.tour.page_count)
            elif step.action == TourAction.CANCEL:
                self._drop_preopened()

    def _preopen(self, cells: dict[int, TileSource | None]) -> None:
        self._drop_preopened()
        engine = self.wall.engine
        if engine is None:
            return  # a stand-in wall that decodes nothing: nothing to open ahead
        for index, source in cells.items():
            if source is None:
                continue
            tile = self.wall.tile(index)
            width, height = tile.decode_size()
            self._preopened.append(engine.acquire(source.url(False), width, height))
        log.debug("pre-opened %d streams for the next tour page", len(self._preopened))

    def _drop_preopened(self) -> None:
        streams, self._preopened = self._preopened, []
        engine = self.wall.engine
        for stream in streams:
            if engine is not None:
                engine.release(stream)
