"""Kiosk mode: no controls, pages advance, the dashboard comes round, failed tiles are replaced."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QToolBar

from console.shell.docks import add_bottom_panel
from console.walls.kiosk import KioskTour
from videowall import StreamState, TileSource, VideoWall
from widgets.dashboard import Dashboard


def sources(n: int, url: str = "http://127.0.0.1:1/x.ts") -> list[TileSource]:
    return [TileSource(f"C{i}", f"厨房 {i}", url) for i in range(n)]


def test_tour_pages_dashboard_and_replaces_failed_tiles(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.addToolBar(QToolBar("layouts"))
    wall = VideoWall("4")
    window.setCentralWidget(wall)
    tour = KioskTour(window, wall, Dashboard(), dwell_s=3600, pages_between_stats=2)
    window.show()
    assert window.menuBar().isHidden() and window.statusBar().isHidden()
    assert all(bar.isHidden() for bar in window.findChildren(QToolBar))
    tour.start(sources(10))
    assert [c.camera_id for c in wall.cells()] == ["C0", "C1", "C2", "C3"]
    tour.advance()
    assert [c.camera_id for c in wall.cells()] == ["C4", "C5", "C6", "C7"]
    tour.advance()  # second page shown → the dashboard takes the screen
    assert tour.stack.currentWidget() is tour.dashboard
    tour.advance()
    assert tour.stack.currentWidget() is wall
    # Every tile's stream fails (nothing listens on port 1): spare kitchens take their place.
    # Both kitchens of the last page must have failed before the check: the second one's
    # failure can come a poll later than the first on a loaded machine.
    qtbot.waitUntil(lambda: all(t.status.state in (StreamState.OFFLINE,
                                                   StreamState.RECONNECTING)
                                for t in wall.tiles() if t.source is not None), timeout=15000)
    before = {c.camera_id for c in wall.cells() if c}
    tour.replace_failed()
    after = {c.camera_id for c in wall.cells() if c}
    assert after.isdisjoint(before) and len(after) == len(before) == 2
    wall.shutdown()


def test_the_big_screen_cycles_tour_then_map_then_dashboard(qtbot) -> None:
    from console.map.view import MapView

    window = QMainWindow()
    qtbot.addWidget(window)
    wall = VideoWall("4")
    window.setCentralWidget(wall)
    city_map = MapView()
    dashboard = Dashboard()
    add_bottom_panel(window, "统计", "statistics", dashboard)  # where the console keeps it
    tour = KioskTour(window, wall, dashboard, dwell_s=3600, pages_between_stats=2,
                     city_map=city_map)
    window.resize(1600, 900)
    window.show()
    assert city_map.big_screen and city_map.selector.isHidden()
    tour.start(sources(8))
    shown = []
    for _ in range(6):
        tour.advance()
        current = tour.stack.currentWidget()
        shown.append("wall" if current is wall else "map" if current is city_map
                     else "dashboard" if current is tour.dashboard else "?")
    assert shown == ["wall", "map", "dashboard", "wall", "wall", "map"]
    tour.advance()
    assert tour.stack.currentWidget() is dashboard
    # The dashboard fills the screen (not the size of the hidden dock it came from).
    qtbot.waitUntil(lambda: dashboard.size() == tour.stack.size())
    assert dashboard.width() > 1500
    wall.shutdown()


def test_the_kiosk_leaves_the_operators_window_layout_alone(qloop, qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from console.shell.main_window import MainWindow
    from console.sync.store import LocalStore
    from tests.console.fakes import fake_wall

    store = LocalStore(tmp_path / "local.db")
    user = {"username": "viewer", "role": "viewer"}
    try:
        operator = MainWindow(store, user, "4", wall_factory=fake_wall)
        qtbot.addWidget(operator)
        operator.show()
        operator.close()  # an ordinary session remembers its panels
        saved = QSettings().value("window/state")
        assert saved is not None

        kiosk = MainWindow(store, user, "4", wall_factory=fake_wall)
        qtbot.addWidget(kiosk)
        KioskTour(kiosk, kiosk.wall, Dashboard(), dwell_s=3600)
        kiosk.show()
        kiosk.close()  # every panel hidden: that must not become the operator's layout
        assert QSettings().value("window/state") == saved
    finally:
        store.close()
