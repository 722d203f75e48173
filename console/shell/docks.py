"""The console's bottom panels (alarms, tasks, statistics) share one dock area as tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

FIRST_TAB = "alarms"


def add_bottom_panel(window: QMainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    """Dock ``widget`` at the bottom, tabbed with the alarm list (which stays in front).

    Each panel sits in a scroll area: tabbed docks take the largest minimum height among
    them, and the dashboard's charts alone would otherwise claim half the screen from the wall.
    """
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    scroller = QScrollArea(dock)
    scroller.setObjectName(f"{name}-scroll")
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setWidget(widget)
    dock.setWidget(scroller)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    first = window.findChild(QDockWidget, FIRST_TAB)
    if first is not None and first is not dock:
        window.tabifyDockWidget(first, dock)
        first.raise_()
    return dock
