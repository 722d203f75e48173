"""The video wall: tiles laid out on a grid, one repaint timer, drag and drop, maximise, tours.

One 25 Hz timer walks the tiles and repaints only those whose frame number moved (there is no
timer per tile). A maximised tile switches to the camera's main stream and back to the sub
stream when restored (Esc or another double-click); F11 toggles full screen. The layout and its
cameras round-trip through a plain dict (:meth:`VideoWall.to_spec`), which the console stores.
A wall is an ordinary widget: one per screen (:class:`WallWindow`), each with its own layout,
all sharing the application's decode workers through :class:`~videowall.engine.WallEngine`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QKeyEvent, QPainter, QScreen
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from videowall.engine import WallEngine
from videowall.governor import GovernedTile
from videowall.interfaces import MenuHook
from videowall.layouts import LAYOUTS, Layout, layout
from videowall.source import TileSource
from videowall.streams import SnapshotResult
from videowall.tile import TileWidget
from videowall.watchdog import StreamStatus

log = logging.getLogger("kitchenwatch.wall")

CAMERAS_MIME = "application/x-kitchenwatch-cameras"
TILE_MIME = "application/x-kitchenwatch-tile"
REPAINT_MS = 20  # 50 Hz: a 15 fps picture is never two frames ahead of a tick


class VideoWall(QWidget):
    """A grid of :class:`TileWidget`. Not a singleton: one per screen is fine."""

    health_changed = Signal(str, object)   # camera_id, StreamStatus (on state/reason change)
    layout_changed = Signal(str)
    tile_maximised = Signal(int)           # index, or -1 when restored
    selection_changed = Signal(int)
    cells_changed = Signal()

    def __init__(self, layout_name: str | Layout = "4", parent: QWidget | None = None,
                 engine: WallEngine | None = None, full_rate: bool = False) -> None:
        """``full_rate``: every tile is a view that is never degraded (an alarm panel's live
        picture) and decodes on the engine's main backend."""
        super().__init__(parent)
        self.full_rate = full_rate
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(False)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.engine = engine or WallEngine.default()
        self.engine.register_wall(self)
        self._layout: Layout = layout_name if isinstance(layout_name, Layout) else \
            layout(layout_name)
        self._tiles: list[TileWidget] = []
        self._sources: list[TileSource | None] = []
        self._maximised: int | None = None
        self._selected: int | None = None
        self._health: dict[str, tuple[str, str]] = {}
        self._menu_hooks: list[MenuHook] = []
        self._delivered: dict[int, tuple[int, int]] = {}
        self._closed = False
        self._repaint = QTimer(self)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.setTimerType(Qt.TimerType.PreciseTimer)
        self._repaint.timeout.connect(self._on_repaint)
        self._apply_layout()
        self._repaint.start()

    # -- layout -------------------------------------------------------------------------------
    @property
    def layout_name(self) -> str:
        return self._layout.name

    @property
    def wall_layout(self) -> Layout:
        return self._layout

    def set_layout(self, name: str | Layout) -> None:
        new = name if isinstance(name, Layout) else layout(name)
        if new == self._layout:
            return
        self._layout = new
        self._apply_layout()
        self.layout_changed.emit(new.name)

    def _apply_layout(self) -> None:
        count = len(self._layout)
        self._sources = (self._sources + [None] * count)[:count]
        if self._maximised is not None:
            self._maximised = None
            self.tile_maximised.emit(-1)
        while len(self._tiles) > count:
            tile = self._tiles.pop()
            tile.release()
            tile.deleteLater()
        while len(self._tiles) < count:
            tile = TileWidget(len(self._tiles), self.engine, self)
            tile.full_rate = self.full_rate
            tile.status_changed.connect(self._on_tile_status)
            tile.double_clicked.connect(self._on_double_clicked)
            tile.clicked.connect(self._on_clicked)
            tile.drag_requested.connect(self.start_tile_drag)
            tile.context_menu_requested.connect(self._on_context_menu)
            self._tiles.append(tile)
        if self._selected is not None and self._selected >= count:
            self._selected = None
        self._place_tiles()
        for tile, source in zip(self._tiles, self._sources, strict=True):
            tile.show()
            tile.set_source(source, main=False)

    def cell_rect(self, index: int) -> tuple[int, int, int, int]:
        return self._layout.rect(index, self.width(), self.height())

    def _place_tiles(self) -> None:
        for index, tile in enumerate(self._tiles):
            if self._maximised is None:
                tile.setGeometry(*self.cell_rect(index))
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

    def paintEvent(self, event) -> None:
        """Paint every tile in the dirty region with one painter (tiles do not paint)."""
        region = event.region()
        painter = QPainter(self)
        covered = False
        for tile in self._tiles:
            if tile.isHidden():
                continue
            geometry = tile.geometry()
            if not region.intersects(geometry):
                continue
            x, y = geometry.x(), geometry.y()
            # A rectangular clip per tile: the dirty region is a union of many rectangles,
            # and clipping every picture against that is several times slower.
            painter.setClipRect(geometry)
            painter.translate(x, y)
            tile.paint(painter)
            painter.translate(-x, -y)
            covered = True
        if not covered and not self._tiles:
            painter.fillRect(self.rect(), Qt.GlobalColor.black)
        painter.end()

    # -- content ------------------------------------------------------------------------------
    def tiles(self) -> list[TileWidget]:
        return list(self._tiles)

    def tile(self, index: int) -> TileWidget:
        return self._tiles[index]

    def cells(self) -> list[TileSource | None]:
        return list(self._sources)

    def set_cell(self, index: int, source: TileSource | None) -> None:
        if not 0 <= index < len(self._tiles):
            raise IndexError(f"the {self._layout.name}-tile layout has no cell {index}")
        self._sources[index] = source
        self._tiles[index].set_source(source, main=self._maximised == index)
        self.cells_changed.emit()

    def set_cells(self, cells: dict[int, TileSource | None]) -> None:
        """Several cells at once (a tour page); streams already open are reused as they are."""
        for index, source in cells.items():
            if 0 <= index < len(self._tiles):
                self._sources[index] = source
                self._tiles[index].set_source(source, main=self._maximised == index)
        self.cells_changed.emit()

    def fill(self, sources: Sequence[TileSource], start: int = 0) -> int:
        """Put ``sources`` into consecutive cells from ``start``; returns how many fitted."""
        placed = {}
        for offset, source in enumerate(sources):
            if start + offset >= len(self._tiles):
                break
            placed[start + offset] = source
        self.set_cells(placed)
        return len(placed)

    def first_free_cell(self) -> int:
        for index, source in enumerate(self._sources):
            if source is None:
                return index
        return self._selected or 0

    def clear(self) -> None:
        self.set_cells(dict.fromkeys(range(len(self._tiles))))

    def swap(self, a: int, b: int) -> None:
        if a == b or not (0 <= a < len(self._tiles) and 0 <= b < len(self._tiles)):
            return
        self.set_cells({a: self._sources[b], b: self._sources[a]})

    def statuses(self) -> dict[str, StreamStatus]:
        return {t.source.camera_id: t.status for t in self._tiles if t.source is not None}

    def set_alarm(self, camera_id: str, active: bool) -> bool:
        """Flash the border of every tile showing ``camera_id``; False if none does."""
        hit = False
        for tile in self._tiles:
            if tile.source is not None and tile.source.camera_id == camera_id:
                tile.set_alarm(active)
                hit = True
        return hit

    def snapshot(self, index: int, path: str | Path) -> Future[SnapshotResult]:
        """PNG of the tile's stream at the source's full resolution (written by its worker).

        The future resolves on the UI thread; use ``add_done_callback`` or
        ``await asyncio.wrap_future(future)``.
        """
        stream = self._tiles[index].stream
        if stream is None:
            future: Future[SnapshotResult] = Future()
            future.set_exception(OSError("this tile shows no camera"))
            return future
        return self.engine.manager.snapshot(stream, str(path))

    def reconnect(self, index: int) -> None:
        stream = self._tiles[index].stream
        if stream is not None:
            self.engine.manager.restart(stream, "reconnect requested by the operator")

    # -- maximise, selection, keys ------------------------------------------------------------
    @property
    def maximised(self) -> int | None:
        return self._maximised

    def maximise(self, index: int | None) -> None:
        """Show one tile over the whole wall on the main stream; None restores the grid."""
        previous = self._maximised
        if index == previous:
            return
        self._maximised = index
        self._place_tiles()
        for i, tile in enumerate(self._tiles):
            tile.set_background(index is not None and i != index)
        if previous is not None and previous < len(self._tiles):
            self._tiles[previous].set_source(self._sources[previous], main=False)
        if index is not None:
            self._tiles[index].set_source(self._sources[index], main=True)
            self._tiles[index].setFocus()
        self.tile_maximised.emit(-1 if index is None else index)

    def _on_double_clicked(self, index: int) -> None:
        self.maximise(None if self._maximised == index else index)

    def _on_clicked(self, index: int) -> None:
        self.select(index)

    def select(self, index: int | None) -> None:
        self._selected = index
        for i, tile in enumerate(self._tiles):
            tile.set_selected(i == index)
        self.selection_changed.emit(-1 if index is None else index)

    @property
    def selected(self) -> int | None:
        return self._selected

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if self._maximised is not None:
                self.maximise(None)
                return
            if self.window().isFullScreen():
                self.window().showNormal()
                return
        if key == Qt.Key.Key_F11:
            self.toggle_full_screen()
            return
        super().keyPressEvent(event)

    def toggle_full_screen(self) -> None:
        window = self.window()
        if window.isFullScreen():
            window.showNormal()
        else:
            window.showFullScreen()

    # -- context menu -------------------------------------------------------------------------
    def add_menu_hook(self, hook: MenuHook) -> None:
        """``hook(index, source, menu)`` may add actions to a tile's context menu; hooks run
        in the order they were added (each part of the console adds its own)."""
        self._menu_hooks.append(hook)

    def build_menu(self, index: int) -> QMenu:
        menu = QMenu(self)
        source = self._sources[index] if index < len(self._sources) else None
        if source is not None:
            if self._maximised == index:
                menu.addAction(self.tr("Restore"), lambda: self.maximise(None))
            else:
                menu.addAction(self.tr("Maximise (main stream)"), lambda: self.maximise(index))
            menu.addAction(self.tr("Reconnect"), lambda: self.reconnect(index))
            menu.addAction(self.tr("Close"), lambda: self.set_cell(index, None))
        for hook in self._menu_hooks:
            hook(index, source, menu)
        return menu

    def _on_context_menu(self, index: int, pos: QPoint) -> None:
        menu = self.build_menu(index)
        if not menu.isEmpty():
            menu.popup(pos)

    # -- timers -------------------------------------------------------------------------------
    def _on_repaint(self) -> None:
        now = time.monotonic()
        for tile in self._tiles:
            if tile.isVisible():
                tile.refresh(now)

    def _on_tile_status(self, camera_id: str, status: StreamStatus) -> None:
        news = (status.state.value, status.reason)
        if self._health.get(camera_id) == news:
            return
        self._health[camera_id] = news
        self.health_changed.emit(camera_id, status)

    def governed_tiles(self) -> list[GovernedTile]:
        """The engine's governor asks once a second."""
        result = []
        for index, tile in enumerate(self._tiles):
            stream = tile.stream
            if stream is None or not tile.isVisible():
                continue
            frames, shown = stream.frames, tile.shown
            last = self._delivered.get(index)
            self._delivered[index] = (frames, shown)
            delivered = None
            if last is not None and frames - last[0] >= 5:
                delivered = min(1.0, (shown - last[1]) / (frames - last[0]))
            protected = tile.main_stream or tile.full_rate or tile.alarm or tile.selected or \
                self._maximised == index
            result.append(GovernedTile((id(self), index), tile.decode_area(), protected,
                                       tile.keyframes_only, delivered, tile.set_keyframes_only))
        return result

    # -- persistence --------------------------------------------------------------------------
    def to_spec(self) -> dict[str, Any]:
        return {"layout": self._layout.to_dict(),
                "cells": [s.to_dict() if s else None for s in self._sources]}

    def from_spec(self, spec: dict[str, Any]) -> None:
        raw = spec.get("layout", "4")
        self.set_layout(Layout.from_dict(raw) if isinstance(raw, dict) else layout(str(raw)))
        cells: dict[int, TileSource | None] = {}
        for index, cell in enumerate(spec.get("cells", [])[: len(self._tiles)]):
            try:
                cells[index] = TileSource.from_dict(cell) if cell else None
            except (KeyError, TypeError, ValueError):
                cells[index] = None
        self.set_cells(cells)

    def shutdown(self) -> None:
        """Stop painting and release every stream (the engine keeps running for others)."""
        if self._closed:
            return
        self._closed = True
        self._repaint.stop()
        self.engine.unregister_wall(self)
        for tile in self._tiles:
            tile.release()

    # -- drag and drop ------------------------------------------------------------------------
    def index_at(self, pos: QPoint) -> int | None:
        for index, tile in enumerate(self._tiles):
            if tile.isVisible() and tile.geometry().contains(pos):
                return index
        return None

    def start_tile_drag(self, index: int) -> None:
        source = self._sources[index]
        if source is None:
            return
        mime = QMimeData()
        mime.setData(TILE_MIME, json.dumps({"wall": id(self), "index": index}).encode())
        mime.setData(CAMERAS_MIME, json.dumps([source.to_dict()]).encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERAS_MIME) or event.mimeData().hasFormat(TILE_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        target = self.index_at(event.position().toPoint())
        if target is None:
            return
        if self.drop_mime(event.mimeData(), target):
            event.acceptProposedAction()

    def drop_mime(self, mime: QMimeData, target: int) -> bool:
        """Apply a drop on cell ``target``: a tile of this wall swaps, cameras fill onwards."""
        if mime.hasFormat(TILE_MIME):
            try:
                info = json.loads(bytes(mime.data(TILE_MIME)).decode())
                if info.get("wall") == id(self):
                    self.swap(int(info["index"]), target)
                    return True
            except (ValueError, KeyError, TypeError):
                return False
        if mime.hasFormat(CAMERAS_MIME):
            try:
                items = json.loads(bytes(mime.data(CAMERAS_MIME)).decode())
                sources = [TileSource.from_dict(item) for item in items]
            except (ValueError, KeyError, TypeError, AttributeError):
                log.warning("ignored a malformed camera drop")
                return False
            self.fill(sources, target)
            return True
        return False


LAYOUT_NAMES = sorted(LAYOUTS, key=int)


class WallWindow(QMainWindow):
    """A wall in its own window on a given screen, for control rooms with several screens.

    It has no menu bar (the screen is for pictures); its layout and full screen are on every
    tile's context menu and F11, so each screen keeps a layout of its own."""

    def __init__(self, layout_name: str | Layout = "16", screen: QScreen | None = None,
                 engine: WallEngine | None = None) -> None:
        super().__init__()
        self.wall = VideoWall(layout_name, self, engine=engine)
        self.setCentralWidget(self.wall)
        self.setWindowTitle(self.tr("Kitchen Watch — video wall"))
        self.wall.add_menu_hook(self._tile_menu)
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.availableGeometry())

    def _tile_menu(self, _index: int, _source: TileSource | None, menu: QMenu) -> None:
        layouts = menu.addMenu(self.tr("Layout of this screen"))
        current = self.wall.layout_name
        for name in LAYOUT_NAMES:
            action = layouts.addAction(self.tr("1 tile") if name == "1"
                                       else self.tr("%1 tiles").replace("%1", name))
            action.setCheckable(True)
            action.setChecked(name == current)
            action.triggered.connect(lambda _c=False, n=name: self.wall.set_layout(n))
        full = menu.addAction(self.tr("Full screen (F11)"))
        full.setCheckable(True)
        full.setChecked(self.isFullScreen())
        full.triggered.connect(self.toggle_full_screen)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F11:
            self.toggle_full_screen()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.wall.shutdown()
        super().closeEvent(event)
