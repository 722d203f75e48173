"""Tours (轮巡) for the operator: page the wall through a district, a street, a business or the
whole city, with pinned tiles that stay while the others rotate.

The paging itself is ``videowall.tour`` / ``tour_qt`` (pre-opened pages, no black tiles); this
module is the console's part: the Tour menu and the tree's context menu, the dwell time from
the settings, pinning from the tile menu, the page shown in the status bar, a pause when an
alarm takes a tile (``AlarmCentre`` calls ``window.tour.pause_for_alarm``), and the wall the
operator had before the tour coming back when it stops. Changing the layout restarts the tour
on the new cells, from the page it was on.

``KITCHENWATCH_TOUR=all`` starts "Tour every camera" by itself once the tree has its cameras:
for a control-room screen that should be touring when it comes up unattended, and for the soak
benchmark (``bench/soak.py``), which runs the real console with nobody at the keyboard.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from console.settings.model import ConsoleSettings
from console.shell.aio import spawn
from console.shell.main_window import MainWindow
from console.sync.client import SyncError
from videowall.layouts import Layout
from videowall.source import TileSource
from videowall.tour_qt import TourDriver

log = logging.getLogger("kitchenwatch.console.tour")
TOUR_ENV = "KITCHENWATCH_TOUR"
#: Business id → risk score (console/risk fetches them from central's GET /api/risk).
RiskScores = Callable[[], Awaitable[Mapping[str, float]]]


def order_by_risk(sources: Sequence[TileSource], scores: Mapping[str, float]) -> list[TileSource]:
    """``sources`` with the riskiest business's cameras first; a business's cameras stay
    together in their tree order, and businesses without a score come last as they were."""
    items = list(sources)
    first_seen: dict[str, int] = {}
    for i, source in enumerate(items):
        first_seen.setdefault(source.business_id, i)

    def key(entry: tuple[int, TileSource]) -> tuple[float, int, int]:
        i, source = entry
        return (-scores.get(source.business_id, float("-inf")), first_seen[source.business_id],
                i)

    return [source for _, source in sorted(enumerate(items), key=key)]


class TourControl(QObject):
    running_changed = Signal(bool)

    def __init__(self, window: MainWindow, settings: ConsoleSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.driver: TourDriver | None = None
        self.title = ""
        self.sources: list[TileSource] = []
        self.pinned: set[int] = set()
        self._before: tuple[Layout, list[TileSource | None]] | None = None
        self._restarting = False
        #: Set by console/risk when the session can read scores; None hides "by risk".
        self.risk_scores: RiskScores | None = None
        self.status_label = QLabel()
        self.status_label.setObjectName("tour-status")
        self.status_label.hide()
        window.statusBar().addPermanentWidget(self.status_label)
        self._build_menu()
        self._hook_tile_menu()
        window.tree_menu_hooks.append(self._tree_menu)
        window.wall.layout_changed.connect(self._on_layout_changed)
        self._update_actions()
        # The window stops its wall's decode engine when it closes; the operator's wall must
        # come back before that (a tile given a camera on a stopped engine raises).
        window.installEventFilter(self)
        self._tour_at_start = os.environ.get(TOUR_ENV, "").strip().lower() == "all"
        if self._tour_at_start:
            window.registry_loaded.connect(self._on_registry_loaded)

    @property
    def dwell_s(self) -> float:
        """The operator's page time, read at each start (10 s without settings)."""
        return float(self.settings.tour_dwell_s) if self.settings is not None else 10.0

    # -- menus ------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.menu = QMenu(self.tr("&Tour"), self.window)
        menu.setObjectName("tour-menu")
        self.window.menuBar().insertMenu(self.window.help_menu.menuAction(), menu)
        self.all_action = menu.addAction(self.tr("Tour every camera"), self.tour_all)
        self.risk_action = menu.addAction(self.tr("Tour every camera, highest risk first"),
                                          self.tour_by_risk)
        self.risk_action.setVisible(False)
        self.selection_action = menu.addAction(self.tr("Tour the selection in the tree"),
                                               self.tour_selection)
        menu.addSeparator()
        self.pause_action = QAction(self.tr("Pause"), self)
        self.pause_action.setCheckable(True)
        self.pause_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.pause_action.toggled.connect(self._on_pause_toggled)
        menu.addAction(self.pause_action)
        self.previous_action = menu.addAction(self.tr("Previous page"), self.previous)
        self.previous_action.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.next_action = menu.addAction(self.tr("Next page"), self.next)
        self.next_action.setShortcut(QKeySequence(Qt.Key.Key_PageDown))
        self.stop_action = menu.addAction(self.tr("Stop the tour"), self.stop)
        menu.addSeparator()
        self.unpin_action = menu.addAction(self.tr("Unpin all tiles"), self.unpin_all)

    def _hook_tile_menu(self) -> None:
        def hook(index: int, _source: TileSource | None, menu: QMenu) -> None:
            action = menu.addAction(self.tr("Keep this tile during tours"))
            action.setCheckable(True)
            action.setChecked(index in self.pinned)
            action.toggled.connect(lambda on, i=index: self.set_pinned(i, on))

        self.window.wall.add_menu_hook(hook)

    def _tree_menu(self, kind: str, name: str, sources: list[TileSource], menu: QMenu) -> None:
        # Offered where a tour has something to page through: more cameras than the wall
        # has cells (a business's two or three cameras simply go on the wall).
        if len(sources) > len(self.window.wall.cells()):
            menu.addAction(self.tr("Tour these %1 cameras").replace("%1", str(len(sources))),
                           lambda: self.start(sources, name))

    # -- operator actions -------------------------------------------------------------------
    def tour_all(self) -> None:
        forest = self.window.forest
        if forest is not None and forest.sources:
            self.start(forest.sources, self.tr("every camera"))

    def set_risk_scores(self, scores: RiskScores | None) -> None:
        self.risk_scores = scores
        self.risk_action.setVisible(scores is not None)

    def tour_by_risk(self) -> None:
        """Every camera, the riskiest businesses first (scores fetched at each start)."""
        spawn(self.start_by_risk(), name="tour-by-risk")

    async def start_by_risk(self) -> bool:
        forest, fetch = self.window.forest, self.risk_scores
        if forest is None or not forest.sources or fetch is None:
            return False
        try:
            scores = await fetch()
        except SyncError as exc:
            log.info("risk scores unavailable: %s", exc)
            self.window.statusBar().showMessage(
                self.tr("Risk scores are unavailable (no connection to central?)"), 6000)
            return False
        return self.start(order_by_risk(forest.sources, scores),
                          self.tr("every camera by risk"))

    def tour_selection(self) -> None:
        tree = self.window.tree
        sources = tree.selected_sources()
        if not sources:
            self.window.statusBar().showMessage(
                self.tr("Select a district, street or business in the tree first"), 5000)
            return
        index = tree.view.currentIndex()
        self.start(sources, str(index.data() or "") if index.isValid() else "")

    def start(self, sources: Sequence[TileSource], title: str = "", page: int = 0) -> bool:
        """Tour ``sources`` on the unpinned cells; False (and a status message) when the wall
        has no free cell for it."""
        restarting = self.driver is not None
        if restarting:
            self._stop_driver()  # the wall from before the first start stays remembered
        else:
            wall = self.window.wall
            self._before = (wall.wall_layout, wall.cells())
        try:
            driver = TourDriver(self.window.wall, list(sources), self.dwell_s,
                                pinned=set(self.pinned))
        except ValueError as exc:
            log.info("tour not started: %s", exc)
            self.window.statusBar().showMessage(
                self.tr("Every tile is kept: unpin one to tour"), 6000)
            if restarting:
                self._give_back()  # the tour ended: the operator gets the wall back
            else:
                self._before = None
            return False
        self.driver, self.sources, self.title = driver, list(sources), title
        self.window.tour = driver
        driver.page_changed.connect(self._status)
        driver.paused_changed.connect(self._show_paused)
        driver.start(min(page, driver.tour.page_count - 1))
        log.info("tour of %d cameras (%s), %d pages of %d s", len(sources), title,
                 driver.tour.page_count, self.dwell_s)
        self._update_actions()
        self.running_changed.emit(True)
        return True

    def pause(self) -> None:
        if self.driver is not None:
            self.driver.pause()

    def resume(self) -> None:
        if self.driver is not None:
            self.driver.resume()

    def next(self) -> None:
        if self.driver is not None:
            self.driver.next()

    def previous(self) -> None:
        if self.driver is not None:
            self.driver.previous()

    def stop(self) -> None:
        """End the tour and give the operator back the wall as it was before it."""
        if self.driver is None:
            return
        self._stop_driver()
        self._give_back()

    def _give_back(self) -> None:
        before, self._before = self._before, None
        if before is not None:
            wall_layout, cells = before
            self.window.set_layout(wall_layout, fill_spare=False)
            self.window.wall.set_cells(dict(enumerate(cells)))
        self.status_label.hide()
        self._update_actions()
        self.running_changed.emit(False)

    def set_pinned(self, index: int, on: bool) -> None:
        (self.pinned.add if on else self.pinned.discard)(index)
        if self.driver is not None:
            self._restart()

    def unpin_all(self) -> None:
        if self.pinned:
            self.pinned.clear()
            if self.driver is not None:
                self._restart()

    def shutdown(self) -> None:
        self.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.stop()  # before MainWindow.closeEvent shuts the wall down
        return False

    # -- internals --------------------------------------------------------------------------
    def _on_registry_loaded(self, cameras: int) -> None:
        if self._tour_at_start and cameras and self.driver is None:
            self._tour_at_start = False  # once: a later reload must not restart a stopped tour
            self.tour_all()

    def _stop_driver(self) -> None:
        driver, self.driver = self.driver, None
        self.window.tour = None
        if driver is not None:
            driver.stop()
            driver.deleteLater()

    def _restart(self) -> None:
        page = self.driver.tour.page if self.driver is not None else 0
        self._restarting = True
        try:
            self.start(self.sources, self.title, page)
        finally:
            self._restarting = False

    def _on_layout_changed(self, _name: str) -> None:
        if self.driver is None or self._restarting:
            return
        count = len(self.window.wall.cells())
        self.pinned = {i for i in self.pinned if i < count}
        self._restart()

    def _on_pause_toggled(self, on: bool) -> None:
        if self.driver is None or self.driver.tour.paused == on:
            return
        self.pause() if on else self.resume()

    def _show_paused(self, paused: bool) -> None:
        self.pause_action.blockSignals(True)
        self.pause_action.setChecked(paused)
        self.pause_action.blockSignals(False)
        if self.driver is not None:
            self._status(self.driver.tour.page, self.driver.tour.page_count)

    def _status(self, page: int, count: int) -> None:
        driver = self.driver
        if driver is None:
            return
        text = self.tr("Tour %1: page %2 of %3, %4 s each").replace("%1", self.title) \
            .replace("%2", str(page + 1)).replace("%3", str(count)) \
            .replace("%4", f"{self.dwell_s:.0f}")
        if driver.tour.paused_for_alarm:
            text += " · " + self.tr("paused for an alarm (F9 resumes)")
        elif driver.tour.paused:
            text += " · " + self.tr("paused (F9 resumes)")
        self.status_label.setText(text)
        self.status_label.show()

    def _update_actions(self) -> None:
        running = self.driver is not None
        for action in (self.pause_action, self.previous_action, self.next_action,
                       self.stop_action):
            action.setEnabled(running)
        if not running:
            self.pause_action.blockSignals(True)
            self.pause_action.setChecked(False)
            self.pause_action.blockSignals(False)

