"""The main window's "Alarms" menu: sounds, the next waiting alarm, the list, CSV export.

It sits before "Help" (menus read left to right from the work to the help), or last on a
window without one (a benchmark's bare window).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from console.alarms.sounds import AlarmSounds


class AlarmMenu(QObject):
    """The menu and its "Show next waiting alarm" action (enabled while alarms wait)."""

    def __init__(self, window: QMainWindow, sounds: AlarmSounds, dock: QDockWidget, *,
                 show_next: Callable[[], None], export_csv: Callable[[], None],
                 before: QMenu | None = None) -> None:
        super().__init__(window)
        menu = self.menu = QMenu(self.tr("&Alarms"), window)
        menu.setObjectName("alarms-menu")
        menu.addAction(sounds.mute_action)
        menu.addAction(sounds.silence_action)
        menu.addSeparator()
        self.next_action = QAction(self.tr("Show next waiting alarm"), menu)
        self.next_action.setEnabled(False)
        self.next_action.triggered.connect(show_next)
        menu.addAction(self.next_action)
        show_list = dock.toggleViewAction()
        show_list.setText(self.tr("Alarm list"))
        menu.addAction(show_list)
        menu.addSeparator()
        export = QAction(self.tr("Export alarm list (CSV)…"), menu)
        export.triggered.connect(export_csv)
        menu.addAction(export)
        bar = window.menuBar()
        if before is not None:
            bar.insertMenu(before.menuAction(), menu)
        else:
            bar.addMenu(menu)

    def set_waiting(self, waiting: int) -> None:
        self.next_action.setEnabled(waiting > 0)
