"""The console's main window: channel tree, video wall, layout bar, menus and status bar.

Views are refreshed from the local store when the sync coordinator reports changed entities
(already coalesced to a fixed rate); a refresh that arrives while one is running is merged
into one more, so a burst of changes costs at most two reads. Reads run on the store's reader
thread and the tree is grouped off the UI thread.
"""

from __future__ import annotations

import asyncio
import logging
import platform
from collections.abc import Callable
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar, QWidget

from console import __version__ as console_version
from console.channels.hierarchy import ChannelForest, build_forest
from console.channels.tree import ChannelTree
from console.diagnostics.about_dialog import AboutDialog
from console.shell.aio import Coalescer
from console.shell.status_bar import StatusPanel
from console.sync.puller import SyncProgress
from console.sync.state import ConnectionStatus
from console.sync.store import LocalStore, RegistrySnapshot
from console.walls.gauges import GaugeBinder
from domain.registry import REGISTRY_ENTITIES
from videowall import LAYOUTS, TileSource, VideoWall, WallEngine
from videowall.interfaces import WallView
from videowall.layouts import Layout
from videowall.tour_qt import TourDriver

log = logging.getLogger("kitchenwatch.console.window")
TOOLBAR_LAYOUTS = ("1", "4", "9", "16", "25", "36")

# Builds the window's wall: ``(layout name, parent) -> a QWidget implementing WallView``.
WallFactory = Callable[[str, QWidget], WallView]


def make_wall(layout_name: str, parent: QWidget) -> VideoWall:
    """The console's wall on an engine (decode workers) of its own.

    Not the shared ``WallEngine.default()``: that one shuts down on ``aboutToQuit``, which
    qasync emits every time a ``run_until_complete`` ends, i.e. long before the console does.
    The window shuts its engine down when it closes (:meth:`MainWindow.shutdown_wall`).
    """
    return VideoWall(layout_name, parent, engine=WallEngine(parent=parent))


def libvlc_version() -> str:
    try:
        import vlc  # on demand: loading libVLC is slow, and the About box may never open

        return vlc.libvlc_get_version().decode()
    except Exception as exc:  # not installed, or the library fails to load
        return f"not available ({exc.__class__.__name__})"


# Saved with the panel arrangement; a state from an older arrangement of the panels (the
# bottom panels side by side instead of tabbed, from builds before version 2) is not
# restored: the window starts with today's default layout instead of a cramped old one.
WINDOW_STATE_VERSION = 2


class MainWindow(QMainWindow):
    registry_loaded = Signal(int)  # number of cameras now in the tree

    def __init__(self, store: LocalStore, user: dict[str, Any], layout_name: str = "16", *,
                 server_url: str = "", wall_factory: WallFactory = make_wall) -> None:
        super().__init__()
        self.store = store
        self.user = user
        self.server_url = server_url
        self.forest: ChannelForest | None = None
        self._filled = False
        # Fills the empty wall when the registry first arrives (console.walls.layout_menu: the wall
        # the operator left); returns False to let the tree order fill it instead.
        self.restore_wall: Callable[[ChannelForest], bool] | None = None
        # Extra entries of the tree's context menu: (kind, name, cameras, menu) -> None.
        self.tree_menu_hooks: list[Callable[[str, str, list[TileSource], Any], None]] = []
        self.tour: TourDriver | None = None  # the running tour (console.walls.tours),
        # paused by alarms
        self._state_restored = False  # the operator's saved dock sizes, if any
        # Off for the kiosk, which hides every panel: its layout must not become the one an
        # operator finds at the next ordinary start (no tree, no alarm list, no toolbar).
        self.remembers_state = True
        self._shown_once = False
        self._reloader = Coalescer(self._reload_registry, "window-reload")
        self._sensor_reloader = Coalescer(self._reload_sensors, "window-sensors")
        self.setObjectName("kitchenwatch-main")
        who = user.get("display_name") or user.get("username", "")
        self.setWindowTitle(self.tr("Kitchen Watch — bright-kitchen supervision") + f" · {who}")
        wall = wall_factory(layout_name, self)
        if not isinstance(wall, QWidget):
            raise TypeError(f"the wall factory made a {type(wall).__name__}, not a widget")
        self.wall: WallView = wall
        self.setCentralWidget(wall)
        self.gauges = GaugeBinder(wall, wall)
        self.tree = ChannelTree(self)
        self.tree.open_requested.connect(self.open_sources)
        self.tree_dock = QDockWidget(self.tr("Channels"), self)
        self.tree_dock.setObjectName("channels")
        self.tree_dock.setWidget(self.tree)
        self.tree_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                   | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)
        self.layout_actions: dict[str, QAction] = {}
        self._layout_group = QActionGroup(self)
        self._build_toolbar(layout_name)
        self._build_menus(layout_name)
        self.status = StatusPanel(self.statusBar(), server_url)
        self.connection_label = self.status.connection_label
        self.outbox_label = self.status.outbox_label
        self.progress = self.status.progress
        self.clock_label = self.status.clock_label
        self.wall.layout_changed.connect(self._on_wall_layout_changed)
        self.resize(1600, 900)

    # -- construction ----------------------------------------------------------------------------
    def _layout_action(self, name: str, current: str) -> QAction:
        action = self.layout_actions.get(name)
        if action is None:
            text = self.tr("1 tile") if name == "1" else self.tr("%1 tiles").replace("%1", name)
            action = QAction(text, self)
            action.setCheckable(True)
            action.setData(name)
            action.setChecked(name == current)
            action.triggered.connect(lambda _checked=False, n=name: self.set_layout(n))
            self._layout_group.addAction(action)
            self.layout_actions[name] = action
        return action

    def _build_toolbar(self, current: str) -> None:
        bar = QToolBar(self.tr("Layouts"), self)
        bar.setObjectName("layouts")
        for name in TOOLBAR_LAYOUTS:
            bar.addAction(self._layout_action(name, current))
        self.addToolBar(bar)
        self.layout_bar = bar

    def _build_menus(self, current: str) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.rejected_action = QAction(self.tr("Actions refused by the server…"), self)
        file_menu.addAction(self.rejected_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view = self.menuBar().addMenu(self.tr("&View"))
        layouts = view.addMenu(self.tr("Wall layout"))
        for name in sorted(LAYOUTS, key=lambda n: (len(n), n)):
            layouts.addAction(self._layout_action(name, current))
        self.fullscreen_action = QAction(self.tr("Full screen"), self)
        self.fullscreen_action.setCheckable(True)
        self.fullscreen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.fullscreen_action.toggled.connect(self._on_fullscreen_toggled)
        view.addAction(self.fullscreen_action)
        view.addAction(self.tree_dock.toggleViewAction())
        gauges = QAction(self.tr("Show sensor gauges"), self)
        gauges.setCheckable(True)
        gauges.setChecked(True)
        gauges.toggled.connect(self.gauges.set_visible)
        view.addAction(gauges)

        help_menu = self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Kitchen Watch"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # -- reactions to sync -----------------------------------------------------------------------
    def on_connection(self, status: ConnectionStatus) -> None:
        self.status.set_connection(status)

    def on_progress(self, progress: SyncProgress) -> None:
        self.status.set_progress(progress)

    def on_outbox(self, pending: int, rejected: int) -> None:
        self.status.set_outbox(pending, rejected)

    def on_entities_changed(self, names: frozenset[str] | set[str]) -> None:
        """Reload what the changed kinds of rows show: the tree (and with it the gauges) for
        districts, streets, businesses and cameras; only the gauges' sensors when nothing but
        sensors changed — sensor rows change all the time in a storm (online, limits), and
        each change used to read and group the whole registry again."""
        changed = REGISTRY_ENTITIES & set(names)
        if changed - {"sensor"}:
            self.schedule_reload()
        elif changed:
            self._sensor_reloader.request()

    def schedule_reload(self) -> None:
        """Reload the registry views; merges requests that arrive while one runs."""
        self._reloader.request()

    async def _reload_registry(self) -> None:
        snap = await self.store.registry()
        forest = await asyncio.get_event_loop().run_in_executor(None, build_forest, snap)
        self._show_registry(snap, forest)

    async def _reload_sensors(self) -> None:
        self.gauges.set_sensors(await self.store.sensors())

    def _show_registry(self, snap: RegistrySnapshot, forest: ChannelForest) -> None:
        self.forest = forest
        self.tree.set_forest(forest)
        self.gauges.set_registry(snap)
        if not self._filled and forest.sources:
            self._filled = True
            if all(cell is None for cell in self.wall.cells()) and not (
                    self.restore_wall is not None and self.restore_wall(forest)):
                self.wall.fill(forest.sources)
        self.registry_loaded.emit(forest.camera_count)

    # -- operator actions --------------------------------------------------------------------------
    def set_layout(self, name: str | Layout, fill_spare: bool = True) -> None:
        """Change the tile count (a standard name or a custom ``Layout``); new empty tiles get
        the next cameras of the tree unless ``fill_spare`` is off (a saved wall's own cells)."""
        before = len(self.wall.cells())
        self.wall.set_layout(name)
        self._check_layout(name if isinstance(name, str) else name.name)
        cells = self.wall.cells()
        if fill_spare and len(cells) > before and self.forest is not None:
            shown = {c.camera_id for c in cells if c is not None}
            empty = [i for i in range(before, len(cells)) if cells[i] is None]
            # Lazily: only as many tile sources as there are new tiles are built, not one for
            # each of a province's 200,000 cameras.
            spare = (s for s in self.forest.sources if s.camera_id not in shown)
            for index, source in zip(empty, spare, strict=False):
                self.wall.set_cell(index, source)

    def _check_layout(self, name: str) -> None:
        action = self.layout_actions.get(name)
        if action is not None and not action.isChecked():
            action.setChecked(True)

    def _on_wall_layout_changed(self, name: str) -> None:
        self._check_layout(name)

    def open_sources(self, sources: list[TileSource]) -> None:
        """Show cameras from the tree: one camera goes to the selected tile (or the first free
        one); several fill from the first free tile on."""
        if not sources:
            return
        selected = self.wall.selected
        cells = self.wall.cells()
        if len(sources) == 1 and selected is not None and 0 <= selected < len(cells):
            self.wall.set_cell(selected, sources[0])
            return
        free = [i for i, cell in enumerate(cells) if cell is None]
        start = free[0] if free else (selected if selected is not None else 0)
        self.wall.fill(sources, start)

    def _on_fullscreen_toggled(self, on: bool) -> None:
        if on and not self.isFullScreen():
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.showNormal()

    def about_text(self) -> str:
        return (self.tr("Kitchen Watch %1 — bright-kitchen supervision console")
                .replace("%1", console_version)
                + "\n\n" + f"Qt {qVersion()} · PySide6 {pyside_version}\n"
                + f"libVLC {libvlc_version()}\n"
                + f"Python {platform.python_version()} ({platform.system()})")

    def show_about(self) -> None:
        """Versions and what the decoders can open (``console.diagnostics.about_dialog``)."""
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- window state ------------------------------------------------------------------------------
    def restore_window_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray) and self.restoreState(state, WINDOW_STATE_VERSION):
            self._state_restored = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._state_restored:  # first start: sizes once the window has its size
                QTimer.singleShot(0, self.apply_default_dock_sizes)

    def apply_default_dock_sizes(self) -> None:
        """The wall is what the window is for: side and bottom panels get a modest share
        (a table's size hint would otherwise take most of the height)."""
        docks = [d for d in self.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
        bottom = [d for d in docks
                  if self.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]
        if bottom:
            self.resizeDocks(bottom[:1], [max(180, int(self.height() * 0.28))],
                             Qt.Orientation.Vertical)
        sides = [d for d in docks if self.dockWidgetArea(d) in (
            Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)]
        if sides:
            self.resizeDocks(sides, [max(240, int(self.width() * 0.16))] * len(sides),
                             Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.remembers_state:
            settings = QSettings()
            settings.setValue("window/geometry", self.saveGeometry())
            settings.setValue("window/state", self.saveState(WINDOW_STATE_VERSION))
        self.shutdown_wall()
        super().closeEvent(event)

    def shutdown_wall(self) -> None:
        """Release every stream and stop the wall's decode workers (idempotent)."""
        self.wall.shutdown()
        engine = self.wall.engine  # the window's own (make_wall), not one it was lent
        if isinstance(engine, WallEngine) and engine.parent() is self:
            engine.shutdown()
