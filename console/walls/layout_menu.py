"""The Layouts menu of the main window: save the wall under a name, open or delete a saved one,
design a custom layout with merged cells, and bring back the wall the operator left.

Storage is ``console.walls.layouts`` (local database, async); this module is the Qt side. The
last wall is saved a second after every change, so a crash or a power cut loses at most that
second, and restored when the registry first arrives (cameras that no longer exist, or are
outside the user's district now, leave their cells empty rather than failing the restore).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from console.channels.hierarchy import ChannelForest
from console.shell.aio import spawn
from console.shell.main_window import MainWindow
from console.walls.layouts import LAST_WALL, Arrangement, LayoutLibrary, LayoutNameError
from videowall.interfaces import WallView
from videowall.layout_editor import LayoutEditor
from videowall.source import TileSource

log = logging.getLogger("kitchenwatch.console.layouts")

AUTOSAVE_MS = 1000


def arrangement_of(wall: WallView) -> Arrangement:
    """What ``wall`` shows now, as a storable arrangement."""
    return Arrangement.of(wall.wall_layout,
                          (c.camera_id if c is not None else None for c in wall.cells()))


def show_arrangement(wall: WallView, arrangement: Arrangement,
                     sources: Iterable[TileSource]) -> int:
    """Show ``arrangement`` on ``wall`` with the cameras of ``sources``; returns how many of
    its cameras could be shown (the others' cells stay empty rather than failing)."""
    by_id = {s.camera_id: s for s in sources}
    wall.set_layout(arrangement.layout)
    cells = {i: by_id.get(cid) if cid else None for i, cid in enumerate(arrangement.cameras)}
    wall.set_cells(cells)
    shown = sum(1 for s in cells.values() if s is not None)
    missing = sum(1 for cid in arrangement.cameras if cid) - shown
    if missing:
        log.info("%d camera(s) of the saved wall are no longer in the registry", missing)
    return shown


class LastWallKeeper(QObject):
    """Keeps one wall's arrangement under ``LAST_WALL``: a second after every change (a crash
    or a power cut loses at most that second) and once more when the session stops.

    ``may_save`` says whether the wall is the operator's own right now (not before the last
    one was restored, not while a tour borrows it).
    """

    def __init__(self, wall: WallView, library: LayoutLibrary, may_save: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wall = wall
        self.library = library
        self.may_save = may_save
        self.enabled = True
        self._final: Arrangement | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(lambda: spawn(self.save(), name="save-last-wall"))
        wall.cells_changed.connect(self._changed)
        wall.layout_changed.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        if self.enabled and self.may_save():
            self._timer.start()

    async def save(self) -> None:
        await self.library.save(LAST_WALL, arrangement_of(self.wall))

    def keep_final(self) -> None:
        """Remember the wall as it is now (its window is about to close and let go of its
        cameras); :meth:`async_stop` saves this."""
        if self.enabled and self.may_save():
            self._final = arrangement_of(self.wall)

    async def async_stop(self) -> None:
        """Save one last time and stop (the store closes next). A wall that never became the
        operator's is not saved over the one from the last session."""
        final = self._final
        if final is None and self.enabled and self.may_save():
            final = arrangement_of(self.wall)
        self.enabled = False
        self._timer.stop()
        if final is not None:
            try:
                await self.library.save(LAST_WALL, final)
            except Exception:  # a full disk must not keep the console from closing
                log.exception("the wall could not be saved for the next start")


class LayoutMenu(QObject):
    def __init__(self, window: MainWindow, library: LayoutLibrary, *, restore_last: bool = True,
                 autosave: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.library = library
        self.saved_names: list[str] = []
        self._last: Arrangement | None = None
        self._last_loaded = not restore_last
        self._waiting_forest: ChannelForest | None = None
        self.keeper = LastWallKeeper(window.wall, library, self._wall_is_the_operators, self)
        self.keeper.enabled = autosave
        self._build_menu()
        if restore_last:
            window.restore_wall = self.restore_into
            spawn(self._load_last(), name="load-last-wall")
        spawn(self.refresh_names(), name="saved-layouts")

    # -- menu -------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.menu = QMenu(self.tr("&Layouts"), self.window)
        self.menu.setObjectName("layouts-menu")
        bar = self.window.menuBar()
        help_action = self.window.help_menu.menuAction()
        bar.insertMenu(help_action, menu)
        self.save_action = QAction(self.tr("Save wall as…"), self)
        self.save_action.triggered.connect(lambda: self.ask_save())
        menu.addAction(self.save_action)
        self.open_menu = menu.addMenu(self.tr("Open saved wall"))
        self.delete_menu = menu.addMenu(self.tr("Delete saved wall"))
        menu.addSeparator()
        self.custom_action = QAction(self.tr("Custom layout with merged cells…"), self)
        self.custom_action.triggered.connect(self.ask_custom)
        menu.addAction(self.custom_action)
        self._fill_name_menus()

    def _fill_name_menus(self) -> None:
        for sub, slot in ((self.open_menu, self.open), (self.delete_menu, self.ask_delete)):
            sub.clear()
            for name in self.saved_names:
                action = sub.addAction(name)
                action.triggered.connect(lambda _c=False, n=name, s=slot: s(n))
            sub.setEnabled(bool(self.saved_names))

    async def refresh_names(self) -> None:
        self.saved_names = await self.library.names()
        self._fill_name_menus()

    # -- the wall as an arrangement ---------------------------------------------------------
    def current(self) -> Arrangement:
        return arrangement_of(self.window.wall)

    def apply(self, arrangement: Arrangement, forest: ChannelForest | None = None) -> int:
        """Show ``arrangement``; returns how many of its cameras could be shown."""
        forest = forest or self.window.forest
        return show_arrangement(self.window.wall, arrangement,
                                forest.sources if forest is not None else [])

    # -- start-up ---------------------------------------------------------------------------
    async def _load_last(self) -> None:
        try:
            self._last = await self.library.load(LAST_WALL)
        finally:
            self._last_loaded = True
        if self._waiting_forest is not None:
            forest, self._waiting_forest = self._waiting_forest, None
            if self._last is None or not self.apply(self._last, forest):
                self.window.wall.fill(forest.sources)

    def restore_into(self, forest: ChannelForest) -> bool:
        """``MainWindow.restore_wall``: True when this fills (or will fill) the empty wall."""
        if not self._last_loaded:
            self._waiting_forest = forest  # the read is under way; it fills the wall itself
            return True
        return self._last is not None and self.apply(self._last, forest) > 0

    def _wall_is_the_operators(self) -> bool:
        # A tour's pages are not the operator's wall: the tour gives the wall back when it
        # stops, and that is saved then.
        return (self._last_loaded and self.window.forest is not None
                and self.window.tour is None)

    async def save_last(self) -> None:
        await self.keeper.save()

    async def async_stop(self) -> None:
        """Save the wall one last time and stop autosaving (the store closes next)."""
        await self.keeper.async_stop()

    # -- operator actions -------------------------------------------------------------------
    def ask_save(self, arrangement: Arrangement | None = None) -> None:
        name, ok = QInputDialog.getText(self.window, self.tr("Save wall"),
                                        self.tr("Name of this wall:"))
        if not ok:
            return
        if name.strip() in self.saved_names:
            answer = QMessageBox.question(
                self.window, self.tr("Save wall"),
                self.tr("A wall named \u201c%1\u201d exists. Replace it?").replace(
                    "%1", name.strip()))
            if answer != QMessageBox.StandardButton.Yes:
                return
        spawn(self.save(name, arrangement), name="save-wall")

    async def save(self, name: str, arrangement: Arrangement | None = None) -> bool:
        """Save ``arrangement`` (the main wall's by default) under ``name``."""
        try:
            await self.library.save(name, arrangement or self.current())
        except LayoutNameError as exc:
            QMessageBox.warning(self.window, self.tr("Save wall"),
                                self.tr("This name cannot be used: %1").replace(
                                    "%1", self._reason(exc)))
            return False
        await self.refresh_names()
        self.window.statusBar().showMessage(
            self.tr("Wall saved as \u201c%1\u201d").replace("%1", " ".join(name.split())), 4000)
        return True

    def open(self, name: str) -> None:
        spawn(self.open_named(name), name="open-wall")

    async def open_named(self, name: str) -> bool:
        arrangement = await self.library.load(name)
        if arrangement is None:
            self.window.statusBar().showMessage(
                self.tr("The saved wall \u201c%1\u201d cannot be opened").replace("%1", name),
                6000)
            await self.refresh_names()
            return False
        self.apply(arrangement)
        return True

    def ask_delete(self, name: str) -> None:
        answer = QMessageBox.question(
            self.window, self.tr("Delete saved wall"),
            self.tr("Delete the saved wall \u201c%1\u201d?").replace("%1", name))
        if answer == QMessageBox.StandardButton.Yes:
            spawn(self.delete(name), name="delete-wall")

    async def delete(self, name: str) -> None:
        await self.library.delete(name)
        await self.refresh_names()

    def ask_custom(self) -> None:
        editor = LayoutEditor(self.window, start=self.window.wall.wall_layout)
        if editor.exec() == LayoutEditor.DialogCode.Accepted:
            self.window.set_layout(editor.result_layout())

    def _reason(self, exc: LayoutNameError) -> str:
        if exc.code == "empty":
            return self.tr("the name is empty")
        if exc.code == "reserved":
            return self.tr("names starting with \u201c__\u201d are reserved")
        return self.tr("it is too long")
