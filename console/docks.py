"""The console's bottom panels (alarms, tasks, statistics) share one dock area as tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

FIRST_TAB = "alarms"


def add_bottom_panel(window: QMainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    """Dock ``widget`` at the bottom, tabbed with the alarm list (which stays in front)."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    first = window.findChild(QDockWidget, FIRST_TAB)
    if first is not None and first is not dock:
        window.tabifyDockWidget(first, dock)
        first.raise_()
    return dock
