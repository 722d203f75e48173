"""A stand-in for ``videowall.VideoWall`` in pure UI tests (no decoder processes): the same
cell/layout API and signals, recording what the console asked for."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from videowall.layouts import Layout, layout
from videowall.source import TileSource


class FakeEngine:
    """Counts the streams a tour pre-opens (acquire) and lets go of (release); a test that
    tours sets ``wall.engine = FakeEngine()`` (other views treat a wall without an engine as
    the stand-in it is)."""

    def __init__(self) -> None:
        self.open: list[tuple[str, int, int]] = []

    def acquire(self, url: str, width: int, height: int) -> tuple[str, int, int]:
        stream = (url, width, height)
        self.open.append(stream)
        return stream

    def release(self, stream: tuple[str, int, int]) -> None:
        self.open.remove(stream)


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
        self.wall_layout = layout(layout_name)
        self._cells: list[TileSource | None] = [None] * len(self.wall_layout)
        self.selected: int | None = None
        self.alarms: set[str] = set()
        self.closed = False
        self._menu_hooks: list = []

    def add_menu_hook(self, hook) -> None:
        self._menu_hooks.append(hook)

    def build_menu(self, index: int):
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        for hook in self._menu_hooks:
            hook(index, self._cells[index], menu)
        return menu

    def tile(self, index: int) -> FakeTile:
        return FakeTile()

    @property
    def layout_name(self) -> str:
        return self.wall_layout.name

    def set_layout(self, name: str | Layout) -> None:
        new = name if isinstance(name, Layout) else layout(name)
        if new == self.wall_layout:
            return
        count = len(new)
        self._cells = (self._cells + [None] * count)[:count]
        self.wall_layout = new
        self.layout_changed.emit(new.name)

    def set_cells(self, cells: dict[int, TileSource | None]) -> None:
        for index, source in cells.items():
            if 0 <= index < len(self._cells):
                self._cells[index] = source
        self.cells_changed.emit()

    def cells(self) -> list[TileSource | None]:
        return list(self._cells)

    def tiles(self) -> list:
        return []  # no TileWidgets: gauges have nothing to attach to

    def set_cell(self, index: int, source: TileSource | None) -> None:
        self._cells[index] = source
        self.cells_changed.emit()

    def fill(self, sources: list[TileSource], start: int = 0) -> int:
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
        self.selected = index

    def set_alarm(self, camera_id: str, active: bool) -> bool:
        (self.alarms.add if active else self.alarms.discard)(camera_id)
        return any(c is not None and c.camera_id == camera_id for c in self._cells)

    def shutdown(self) -> None:
        self.closed = True


def fake_wall(layout_name: str, parent: QWidget) -> FakeWall:
    return FakeWall(layout_name, parent)
