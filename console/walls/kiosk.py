"""Big-screen demonstration mode (数据大屏, `--kiosk`): no controls, a tour of kitchens page by
page, then the city map, then the statistics dashboard, round again; personal details masked
(the demo viewer account gets them masked by central), and failed tiles replaced by another
kitchen instead of staying black. Meant to run unattended for hours.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QScrollArea, QStackedWidget, QWidget

from console.shell.main_window import MainWindow
from videowall import StreamState, TileSource
from videowall.interfaces import WallView
from widgets.dashboard import Dashboard

log = logging.getLogger("kitchenwatch.console.walls.kiosk")
FAILED = (StreamState.OFFLINE, StreamState.RECONNECTING, StreamState.BLACK, StreamState.FROZEN)


def _take_out_of_scroll_area(widget: QWidget) -> None:
    """A bottom panel's widget sits in a scroll area (console.shell.docks); reparenting it
    alone leaves the area resizing it to the hidden dock's size, so the big screen showed the
    dashboard in a corner a quarter of the screen large. Taking it out ends that."""
    holder = widget.parentWidget()
    while holder is not None and not isinstance(holder, QScrollArea):
        holder = holder.parentWidget()
    if isinstance(holder, QScrollArea) and holder.widget() is widget:
        holder.takeWidget()


class KioskTour(QObject):
    """Cycles wall pages and the dashboard on one full-screen window."""

    def __init__(self, window: QMainWindow, wall: WallView, dashboard: Dashboard,
                 dwell_s: float = 20.0, pages_between_stats: int = 3,
                 city_map: QWidget | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.wall = wall
        self.dashboard = dashboard
        self.sources: list[TileSource] = []
        self.page = 0
        self.pages_shown = 0
        self.pages_between_stats = pages_between_stats
        if isinstance(window, MainWindow):  # a bare window (tests) has no state to keep
            window.remembers_state = False  # the hidden panels are not the operator's choice
        for bar in window.findChildren(QObject):
            if bar.metaObject().className() in ("QToolBar", "QDockWidget"):
                bar.hide()
        window.menuBar().hide()
        window.statusBar().hide()
        self.stack = QStackedWidget()
        window.takeCentralWidget()
        if not isinstance(wall, QWidget):
            raise TypeError(f"the kiosk shows a wall widget, not a {type(wall).__name__}")
        self._wall_widget: QWidget = wall
        self.stack.addWidget(wall)
        _take_out_of_scroll_area(dashboard)
        dashboard.setParent(None)
        dashboard.set_big_screen(True)
        self.stack.addWidget(dashboard)
        self.city_map = city_map  # shown between the tour and the dashboard (console.map)
        if city_map is not None:
            _take_out_of_scroll_area(city_map)
            city_map.setParent(None)
            set_big = getattr(city_map, "set_big_screen", None)
            if set_big is not None:
                set_big(True)
            self.stack.addWidget(city_map)
        window.setCentralWidget(self.stack)
        self._dwell = QTimer(self, interval=int(dwell_s * 1000))
        self._dwell.timeout.connect(self.advance)
        self._healer = QTimer(self, interval=3000)
        self._healer.timeout.connect(self.replace_failed)

    def stop(self) -> None:
        """Stop paging and healing (the session ends)."""
        self._dwell.stop()
        self._healer.stop()

    def start(self, sources: Sequence[TileSource]) -> None:
        self.sources = list(sources)
        self.page = 0
        self._show_page()
        self._dwell.start()
        self._healer.start()

    @property
    def per_page(self) -> int:
        return len(self.wall.tiles())

    def advance(self) -> None:
        """Next page of kitchens; every ``pages_between_stats`` pages: the map, then the
        dashboard, then the kitchens again."""
        current = self.stack.currentWidget()
        if current is self.dashboard:
            self.stack.setCurrentWidget(self._wall_widget)
            return
        if self.city_map is not None and current is self.city_map:
            self.stack.setCurrentWidget(self.dashboard)
            return
        self.pages_shown += 1
        if self.pages_between_stats and self.pages_shown % self.pages_between_stats == 0:
            self.stack.setCurrentWidget(self.city_map if self.city_map is not None
                                        else self.dashboard)
        pages = max(1, -(-len(self.sources) // self.per_page))
        self.page = (self.page + 1) % pages
        self._show_page()

    def _show_page(self) -> None:
        start = self.page * self.per_page
        chunk = self.sources[start:start + self.per_page]
        for index in range(self.per_page):
            self.wall.set_cell(index, chunk[index] if index < len(chunk) else None)

    def replace_failed(self) -> None:
        """A kitchen whose stream failed gives its tile to one that is not on screen."""
        shown = {c.camera_id for c in self.wall.cells() if c is not None}
        spare = [s for s in self.sources if s.camera_id not in shown]
        for index, tile in enumerate(self.wall.tiles()):
            if not spare:
                return
            if tile.source is not None and tile.status.state in FAILED:
                replacement = spare.pop(0)
                log.info("kiosk: replacing failed tile %s with %s", tile.source.camera_id,
                         replacement.camera_id)
                self.wall.set_cell(index, replacement)
