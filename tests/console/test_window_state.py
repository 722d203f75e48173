"""The window's panel arrangement is remembered between runs, but an arrangement saved by an
older build (bottom panels side by side, squeezing their columns) is not brought back."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QLabel

from console.shell.docks import add_bottom_panel
from console.shell.main_window import MainWindow
from console.sync.store import LocalStore
from tests.console.fakes import fake_wall

PANELS = (("Alarms", "alarms"), ("Tasks", "tasks"), ("Statistics", "statistics"))


def _window(store: LocalStore, qtbot) -> MainWindow:
    window = MainWindow(store, {"username": "operator", "role": "operator"}, "4",
                        wall_factory=fake_wall)
    qtbot.addWidget(window)
    for title, name in PANELS:
        add_bottom_panel(window, title, name, QLabel(title))
    return window


def _tabbed_with_alarms(window: MainWindow) -> set[str]:
    alarms = window.findChild(QDockWidget, "alarms")
    return {d.objectName() for d in window.tabifiedDockWidgets(alarms)}


def test_panels_come_back_tabbed_and_an_old_arrangement_is_ignored(qtbot, tmp_path) -> None:
    store = LocalStore(tmp_path / "local.db")
    try:
        first = _window(store, qtbot)
        first.show()
        first.close()  # saves its arrangement
        again = _window(store, qtbot)
        again.restore_window_state()
        again.show()
        assert again._state_restored and _tabbed_with_alarms(again) == {"tasks", "statistics"}
        again.close()

        # An older build saved the panels side by side (and without a version).
        old = _window(store, qtbot)
        docks = [old.findChild(QDockWidget, name) for _title, name in PANELS]
        for dock in docks:
            old.removeDockWidget(dock)
            old.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.show()
        old.splitDockWidget(docks[0], docks[1], Qt.Orientation.Horizontal)
        old.splitDockWidget(docks[1], docks[2], Qt.Orientation.Horizontal)
        old.show()
        assert _tabbed_with_alarms(old) == set()
        QSettings().setValue("window/state", old.saveState())
        old.hide()

        fresh = _window(store, qtbot)
        fresh.restore_window_state()
        fresh.show()
        assert not fresh._state_restored
        assert _tabbed_with_alarms(fresh) == {"tasks", "statistics"}
    finally:
        store.close()
