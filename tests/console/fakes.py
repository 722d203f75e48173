"""A stand-in for ``videowall.VideoWall`` in pure UI tests (no decoder processes): the same
cell/layout API and signals (``videowall.interfaces.WallView``, checked by
``tests/videowall/test_interfaces.py``), recording what the console asked for."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget

from videowall.interfaces import MenuHook, TileEngine
from videowall.layouts import Layout, layout
from videowall.source import TileSource
from videowall.streams import SnapshotResult


class FakeEngine:
    """A ``TileEngine`` that counts the streams a tour pre-opens (acquire) and lets go of
    (release); a test that tours sets ``wall.engine = FakeEngine()`` (a wall whose engine is
    None is a stand-in that decodes nothing). The "streams" are ``(url, width, height)``."""

    def __init__(self) -> None:
        self.open: list[Any] = []
        self.keyframes_only: dict[Any, bool] = {}

    def acquire(self, url: str, width: int, height: int, *, full_rate: bool = False) -> Any:
        stream = (url, width, height)
        self.open.append(stream)
        return stream

    def release(self, stream: Any) -> None:
        self.open.remove(stream)

    def set_keyframes_only(self, stream: Any, on: bool) -> None:
        self.keyframes_only[stream] = on


class FakeTile:
    def decode_size(self) -> tuple[int, int]:
        return 320, 180


class FakeWall(QWidget):
    health_changed = Signal(str, object)
    layout_changed = Signal(str)
    tile_maximised = Signal(int)
    selection_changed = Signal(int)
    cells_changed = Signal()

    def __init__(self, layout_name: str = "4", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = layout(layout_name)
        self._cells: list[TileSource | None] = [None] * len(self._layout)
        self._selected: int | None = None
        self.engine: TileEngine | None = None  # decodes nothing unless a test gives it one
        self.alarms: set[str] = set()
        self.closed = False
        self._menu_hooks: list[MenuHook] = []

    @property
    def wall_layout(self) -> Layout:
        return self._layout

    @property
    def selected(self) -> int | None:
        return self._selected

    def add_menu_hook(self, hook: MenuHook) -> None:
        self._menu_hooks.append(hook)

    def build_menu(self, index: int) -> QMenu:
        menu = QMenu(self)
        for hook in self._menu_hooks:
            hook(index, self._cells[index], menu)
        return menu

    def tile(self, index: int) -> Any:
        return FakeTile()

    @property
    def layout_name(self) -> str:
        return self._layout.name

    def set_layout(self, name: str | Layout) -> None:
        new = name if isinstance(name, Layout) else layout(name)
        if new == self._layout:
            return
        count = len(new)
        self._cells = (self._cells + [None] * count)[:count]
        self._layout = new
        self.layout_changed.emit(new.name)

    def set_cells(self, cells: dict[int, TileSource | None]) -> None:
        for index, source in cells.items():
            if 0 <= index < len(self._cells):
                self._cells[index] = source
        self.cells_changed.emit()

    def cells(self) -> list[TileSource | None]:
        return list(self._cells)

    def tiles(self) -> list[Any]:
        return []  # no TileWidgets: gauges have nothing to attach to

    def set_cell(self, index: int, source: TileSource | None) -> None:
        self._cells[index] = source
        self.cells_changed.emit()

    def fill(self, sources: Sequence[TileSource], start: int = 0) -> int:
        placed = 0
        for offset, source in enumerate(sources):
            if start + offset >= len(self._cells):
                break
            self._cells[start + offset] = source
            placed += 1
        self.cells_changed.emit()
        return placed

    def first_free_cell(self) -> int:
        return next((i for i, c in enumerate(self._cells) if c is None), 0)

    def select(self, index: int | None) -> None:
        self._selected = index

    def set_alarm(self, camera_id: str, active: bool) -> bool:
        (self.alarms.add if active else self.alarms.discard)(camera_id)
        return any(c is not None and c.camera_id == camera_id for c in self._cells)

    def snapshot(self, index: int, path: str | Path) -> Future[SnapshotResult]:
        """The stand-in has no pictures: the future fails as a real tile without one does
        (``tests/console/test_patrol.SnapshotWall`` draws some)."""
        future: Future[SnapshotResult] = Future()
        future.set_exception(OSError("this stand-in wall takes no pictures"))
        return future

    def shutdown(self) -> None:
        self.closed = True


def fake_wall(layout_name: str, parent: QWidget) -> FakeWall:
    return FakeWall(layout_name, parent)
