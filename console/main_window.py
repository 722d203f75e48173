"""The console's main window: channel tree, video wall, layout bar and status bar.

Views are refreshed from the local store when the sync engine reports changed entities,
coalesced to at most one reload per second so a burst of changes costs one query.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import vlc
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QToolBar,
)

from console.channel_tree import ChannelTree
from console.store import LocalStore
from videowall import StreamStatus, TileSource, VideoWall

log = logging.getLogger("kitchenwatch.console.window")
LAYOUT_CHOICES = ("1", "4", "6", "8", "9", "13", "16", "25", "36", "49", "64")
VERSION = "0.1.0"


class MainWindow(QMainWindow):
    registry_loaded = Signal(int)  # number of cameras now in the tree

    def __init__(self, store: LocalStore, user: dict, layout_name: str = "16") -> None:
        super().__init__()
        self.store = store
        self.user = user
        self._filled = False
        self._tree_stale = True
        self._reload_task: asyncio.Future[None] | None = None
        self._offline_since: datetime | None = None
        self.setWindowTitle(self.tr("Kitchen Watch — bright-kitchen supervision") + " · "
                            + (user.get("display_name") or user.get("username", "")))
        self.wall = VideoWall(layout_name, self)
        self.setCentralWidget(self.wall)
        from console.gauges import GaugeBinder

        self.gauges = GaugeBinder(self.wall)
        self.tree = ChannelTree(self)
        self.tree.open_requested.connect(self._on_open_requested)
        dock = QDockWidget(self.tr("Channels"), self)
        dock.setObjectName("channels")
        dock.setWidget(self.tree)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self._build_toolbar(layout_name)
        self._build_menus()
        self._build_status_bar()
        self._reload_timer = QTimer(self, singleShot=True, interval=1000)
        self._reload_timer.timeout.connect(self._reload)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self.resize(1600, 900)

    # -- construction ---------------------------------------------------------------------
    def _build_toolbar(self, current: str) -> None:
        bar = QToolBar(self.tr("Layouts"), self)
        bar.setObjectName("layouts")
        group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for name in LAYOUT_CHOICES:
            action = QAction(self.tr("%1 tiles").replace("%1", name), self, checkable=True)
            action.setData(name)
            action.setChecked(name == current)
            action.triggered.connect(lambda _=False, n=name: self.set_layout(n))
            group.addAction(action)
            bar.addAction(action)
            self.layout_actions[name] = action
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view = self.menuBar().addMenu(self.tr("&View"))
        full = QAction(self.tr("Full screen"), self, checkable=True)
        full.setShortcut(QKeySequence(Qt.Key.Key_F11))
        full.toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        view.addAction(full)
        gauges = QAction(self.tr("Show sensor gauges"), self, checkable=True, checked=True)
        gauges.toggled.connect(lambda on: self.gauges.set_visible(on))
        view.addAction(gauges)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Kitchen Watch"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.connection_label = QLabel(self.tr("Connecting…"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setFormat(self.tr("sync %v / %m"))
        self.progress.hide()
        self.outbox_label = QLabel("")
        self.clock_label = QLabel("")
        bar.addWidget(self.connection_label)
        bar.addWidget(self.progress)
        bar.addPermanentWidget(self.outbox_label)
        bar.addPermanentWidget(self.clock_label)

    # -- reactions to sync -----------------------------------------------------------------
    def on_sync_state(self, state: str, detail: str) -> None:
        if state == "online":
            self._offline_since = None
            text = self.tr("● Online: %1").replace("%1", self._server_name())
            style = "color:#16a34a;"
        elif state == "offline":
            self._offline_since = self._offline_since or datetime.now()
            text = self.tr("● Offline since %1 — working on the local cache").replace(
                "%1", self._offline_since.strftime("%H:%M:%S"))
            style = "color:#dc2626;"
        elif state == "auth_failed":
            text = self.tr("● Login refused: %1").replace("%1", detail)
            style = "color:#dc2626;"
        else:
            text = self.tr("● Connecting…")
            style = "color:#ca8a04;"
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(style)
        self.connection_label.setToolTip(detail)

    def _server_name(self) -> str:
        return self.property("server_url") or ""

    def on_progress(self, done: int, total: int) -> None:
        if total > 500 and done < total:
            self.progress.setMaximum(total)
            self.progress.setValue(done)
            self.progress.show()
        else:
            self.progress.hide()

    def on_outbox(self, pending: int, rejected: int) -> None:
        parts = []
        if pending:
            parts.append(self.tr("%1 actions waiting to send").replace("%1", str(pending)))
        if rejected:
            parts.append(self.tr("%1 rejected").replace("%1", str(rejected)))
        self.outbox_label.setText(" · ".join(parts))

    def on_entities_changed(self, names: set[str]) -> None:
        if names & {"district", "grid", "business", "camera"}:
            self._tree_stale = True
        if names & {"district", "grid", "business", "camera", "sensor"} \
                and not self._reload_timer.isActive():
            self._reload_timer.start()

    def schedule_reload(self) -> None:
        self._reload_timer.start(0)

    def _reload(self) -> None:
        self._reload_task = asyncio.ensure_future(self._async_reload())

    async def _async_reload(self) -> None:
        snap = await self.store.registry()
        if self._tree_stale or not self._filled:
            self._tree_stale = False
            self.tree.set_registry(snap)
        self.gauges.set_registry(snap)
        if not self._filled and self.tree.model.all_sources:
            self._filled = True
            self.wall.fill(self.tree.model.all_sources)
        self.registry_loaded.emit(len(snap.cameras))

    # -- operator actions ------------------------------------------------------------------
    def set_layout(self, name: str) -> None:
        self.wall.set_layout(name)
        if name in self.layout_actions:
            self.layout_actions[name].setChecked(True)
        cells = self.wall.cells()
        sources = self.tree.model.all_sources
        if sources and all(cell is None for cell in cells[len(cells) // 2:]):
            used = {c.camera_id for c in cells if c}
            self.wall.fill([s for s in sources if s.camera_id not in used],
                           self.wall.first_free_cell())

    def _on_open_requested(self, sources: list[TileSource]) -> None:
        self.wall.fill(sources, self.wall.first_free_cell())

    def on_health(self, camera_id: str, status: StreamStatus) -> None:
        log.debug("camera %s: %s %s", camera_id, status.state.value, status.reason)

    def _tick(self) -> None:
        self.clock_label.setText(datetime.now().strftime("%Y-%m-%d %H:%M:%S"))

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About Kitchen Watch"), self.tr(
            "Kitchen Watch %1\nBright-kitchen supervision console\n\nQt %2 · PySide6 %3\n"
            "libVLC %4").replace("%1", VERSION).replace("%2", QCoreApplication.applicationVersion()
                                                        or pyside_version)
            .replace("%3", pyside_version).replace("%4", vlc.libvlc_get_version().decode()))

    def closeEvent(self, event) -> None:
        self.wall.shutdown()
        super().closeEvent(event)


