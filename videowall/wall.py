"""The video wall: tiles laid out on a grid, one repaint timer, drag and drop, maximise.

One 25 Hz timer repaints only tiles whose frame changed, and a 2 Hz timer runs every tile's
watchdog. A maximised tile switches to the main stream and back to the sub stream when
restored. The layout and its cameras round-trip through a plain dict (saved by the console).
"""

from __future__ import annotations

import json
import time
from typing import Any

from PySide6.QtCore import QMimeData, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from videowall.layouts import Layout, layout
from videowall.source import TileSource
from videowall.tile import TileWidget
from videowall.watchdog import StreamStatus

CAMERAS_MIME = "application/x-kitchenwatch-cameras"
TILE_MIME = "application/x-kitchenwatch-tile"


class VideoWall(QWidget):
    """A grid of :class:`TileWidget`. Not a singleton: one per screen is fine."""

    health_changed = Signal(str, object)  # camera_id, StreamStatus
    layout_changed = Signal(str)
    tile_maximised = Signal(int)

    def __init__(self, layout_name: str = "4", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet("background:#000;")
        self._layout: Layout = layout(layout_name)
        self._tiles: list[TileWidget] = []
        self._sources: list[TileSource | None] = []
        self._maximised: int | None = None
        self._selected = 0
        self._drag_from: int | None = None
        self._repaint = QTimer(self, interval=40, timerType=Qt.TimerType.PreciseTimer)
        self._repaint.timeout.connect(self._on_repaint)
        self._watch = QTimer(self, interval=500)
        self._watch.timeout.connect(self._on_watch)
        self._apply_layout()
        self._repaint.start()
        self._watch.start()

    # -- layout ----------------------------------------------------------------------
    @property
    def layout_name(self) -> str:
        return self._layout.name

    def set_layout(self, name: str) -> None:
        new = layout(name)
        if new == self._layout:
            return
        self._layout = new
        self._apply_layout()
        self.layout_changed.emit(name)

    def _apply_layout(self) -> None:
        count = len(self._layout)
        self._sources = (self._sources + [None] * count)[:count]
        while len(self._tiles) > count:
            tile = self._tiles.pop()
            tile.release()
            tile.deleteLater()
        while len(self._tiles) < count:
            tile = TileWidget(len(self._tiles), self)
            tile.status_changed.connect(self.health_changed)
            tile.double_clicked.connect(self._on_double_clicked)
            tile.clicked.connect(self._on_clicked)
            self._tiles.append(tile)
        self._maximised = None
        self._place_tiles()
        for tile, source in zip(self._tiles, self._sources, strict=True):
            tile.show()
            tile.set_source(source, main=False)

    def _cell_rect(self, index: int) -> QRect:
        cell = self._layout.cells[index]
        w, h = self.width(), self.height()
        x0 = cell.col * w // self._layout.cols
        y0 = cell.row * h // self._layout.rows
        x1 = (cell.col + cell.cols) * w // self._layout.cols
        y1 = (cell.row + cell.rows) * h // self._layout.rows
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def _place_tiles(self) -> None:
        for index, tile in enumerate(self._tiles):
            if self._maximised is None:
                tile.setGeometry(self._cell_rect(index))
                tile.show()
            elif index == self._maximised:
                tile.setGeometry(self.rect())
                tile.raise_()
                tile.show()
            else:
                tile.hide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_tiles()

    # -- content ------------------------------------------------------------------------
    def tiles(self) -> list[TileWidget]:
        return list(self._tiles)

    def cells(self) -> list[TileSource | None]:
        return list(self._sources)

    def set_cell(self, index: int, source: TileSource | None) -> None:
        if not 0 <= index < len(self._tiles):
            raise IndexError(f"the {self._layout.name}-tile layout has no cell {index}")
        self._sources[index] = source
        self._tiles[index].set_source(source, main=self._maximised == index)

    def fill(self, sources: list[TileSource], start: int = 0) -> int:
        """Put ``sources`` into consecutive cells from ``start``; returns how many fitted."""
        placed = 0
        for offset, source in enumerate(sources):
            if start + offset >= len(self._tiles):
                break
            self.set_cell(start + offset, source)
            placed += 1
        return placed

    def first_free_cell(self) -> int:
        for index, source in enumerate(self._sources):
            if source is None:
                return index
        return self._selected

    def clear(self) -> None:
        for index in range(len(self._tiles)):
            self.set_cell(index, None)

    def statuses(self) -> dict[str, StreamStatus]:
        return {t.source.camera_id: t.status for t in self._tiles if t.source is not None}

    def set_alarm(self, camera_id: str, active: bool) -> bool:
        hit = False
        for tile in self._tiles:
            if tile.source is not None and tile.source.camera_id == camera_id:
                tile.set_alarm(active)
                hit = True
        return hit

    # -- maximise --------------------------------------------------------------------------
    @property
    def maximised(self) -> int | None:
        return self._maximised

    def maximise(self, index: int | None) -> None:
        previous = self._maximised
        self._maximised = index
        if previous is not None and previous < len(self._tiles):
            self._tiles[previous].set_source(self._sources[previous], main=False)
        if index is not None:
            self._tiles[index].set_source(self._sources[index], main=True)
            self.tile_maximised.emit(index)
        self._place_tiles()

    def _on_double_clicked(self, index: int) -> None:
        self.maximise(None if self._maximised == index else index)

    def _on_clicked(self, index: int) -> None:
        for i, tile in enumerate(self._tiles):
            tile.set_selected(i == index)
        self._selected = index

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._maximised is not None:
            self.maximise(None)
            return
        super().keyPressEvent(event)

    # -- timers --------------------------------------------------------------------------
    def _on_repaint(self) -> None:
        for tile in self._tiles:
            if tile.isVisible():
                tile.refresh()

    def _on_watch(self) -> None:
        now = time.monotonic()
        for tile in self._tiles:
            tile.watch(now)

    # -- persistence --------------------------------------------------------------------
    def to_spec(self) -> dict[str, Any]:
        return {"layout": self._layout.name,
                "cells": [s.to_dict() if s else None for s in self._sources]}

    def from_spec(self, spec: dict[str, Any]) -> None:
        self.set_layout(str(spec.get("layout", "4")))
        for index, cell in enumerate(spec.get("cells", [])[: len(self._tiles)]):
            self.set_cell(index, TileSource.from_dict(cell) if cell else None)

    def shutdown(self) -> None:
        self._repaint.stop()
        self._watch.stop()
        for tile in self._tiles:
            tile.release()

    # -- drag and drop ----------------------------------------------------------------------
    def _index_at(self, pos) -> int | None:
        for index, tile in enumerate(self._tiles):
            if tile.isVisible() and tile.geometry().contains(pos):
                return index
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag_from = self._index_at(event.position().toPoint())
        super().mousePressEvent(event)

    def start_tile_drag(self, index: int) -> None:
        mime = QMimeData()
        mime.setData(TILE_MIME, str(index).encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERAS_MIME) or event.mimeData().hasFormat(TILE_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        target = self._index_at(event.position().toPoint())
        if target is None:
            return
        mime = event.mimeData()
        if mime.hasFormat(TILE_MIME):
            source_index = int(bytes(mime.data(TILE_MIME)).decode())
            self.swap(source_index, target)
        elif mime.hasFormat(CAMERAS_MIME):
            try:
                items = json.loads(bytes(mime.data(CAMERAS_MIME)).decode())
                sources = [TileSource.from_dict(item) for item in items]
            except (ValueError, KeyError, TypeError):
                return
            self.fill(sources, target)
        event.acceptProposedAction()

    def swap(self, a: int, b: int) -> None:
        if a == b:
            return
        sa, sb = self._sources[a], self._sources[b]
        self.set_cell(a, sb)
        self.set_cell(b, sa)


class WallWindow(QMainWindow):
    """A wall on its own window (and screen), for control rooms with several screens."""

    def __init__(self, layout_name: str = "16", screen=None) -> None:
        super().__init__()
        self.wall = VideoWall(layout_name, self)
        self.setCentralWidget(self.wall)
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())

    def closeEvent(self, event) -> None:
        self.wall.shutdown()
        super().closeEvent(event)
