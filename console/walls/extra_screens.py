"""Walls on the further screens of a control room, each remembered as the operator left it.

``wall_screens`` lists the screens for the wall; the first holds the main window, every further
one gets a :class:`videowall.WallWindow` sharing the main wall's decode engine. A screen's
wall comes back at start-up as it was: layout and cameras, in the same local table as the
main wall's, under the wall's place in ``wall_screens`` (0 is the main window's). A screen
with nothing saved yet shows the cameras that follow the main wall's in the channel tree.
From any tile's menu a saved wall can be opened on that screen, and the screen's wall saved
under a name (names are shared with the Layouts menu).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QMenu

from console.shell.aio import spawn
from console.shell.main_window import MainWindow
from console.sync.store import LocalStore
from console.walls.layout_menu import LastWallKeeper, LayoutMenu, arrangement_of, show_arrangement
from console.walls.layouts import LAST_WALL, Arrangement, LayoutLibrary
from videowall import TileSource, WallEngine, WallWindow

log = logging.getLogger("kitchenwatch.console.shell.roles")


class ExtraWalls(QObject):
    """One more wall window per extra screen in ``screens`` (``screens[0]`` is the main
    window's). Without a ``store`` nothing is remembered (the walls are filled afresh)."""

    def __init__(self, window: MainWindow, screens: tuple[int, ...],
                 store: LocalStore | None = None, layouts: LayoutMenu | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.layouts = layouts
        self.walls: list[WallWindow] = []
        self.keepers: list[LastWallKeeper] = []
        available = QGuiApplication.screens()
        self.screens: list[QScreen] = []
        self.places: list[int] = []  # the wall's place in ``screens``: what it is saved under
        for place, number in enumerate(screens[1:], start=1):
            if number < len(available):
                self.screens.append(available[number])
                self.places.append(place)
            else:
                log.warning("wall screen %d is not connected (this computer has %d screens)",
                            number, len(available))
        self._opening = False
        self._closed = False
        if self.screens:
            window.registry_loaded.connect(self._on_registry)
            window.installEventFilter(self)

    def _on_registry(self, _count: int) -> None:
        if self._opening or self.walls or self.window.forest is None:
            return
        self._opening = True
        if self.store is None:
            self._open({})
        else:
            spawn(self._restore_and_open(), name="extra-walls")

    async def _restore_and_open(self) -> None:
        """Read each screen's last wall first: opening the following cameras and then
        replacing them would start streams only to stop them."""
        assert self.store is not None
        last: dict[int, Arrangement | None] = {}
        for place in self.places:
            last[place] = await LayoutLibrary(self.store, place).load(LAST_WALL)
        if not self._closed:
            self._open(last)

    def _open(self, last: dict[int, Arrangement | None]) -> None:
        main = self.window.wall
        forest = self.window.forest
        sources: list[TileSource] = list(forest.sources) if forest is not None else []
        following = len(main.cells())
        # The main wall's decode workers (a stand-in wall has none: the shared default then).
        engine = main.engine if isinstance(main.engine, WallEngine) else None
        for place, screen in zip(self.places, self.screens, strict=True):
            wall_window = WallWindow(main.layout_name, screen, engine=engine)
            wall_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            arrangement = last.get(place)
            if arrangement is None or not show_arrangement(wall_window.wall, arrangement,
                                                           sources):
                following += wall_window.wall.fill(sources[following:])
            wall_window.wall.add_menu_hook(
                lambda _i, _s, menu, w=wall_window: self._tile_menu(w, menu))
            if self.store is not None:
                self.keepers.append(LastWallKeeper(
                    wall_window.wall, LayoutLibrary(self.store, place),
                    lambda: self.window.forest is not None, self))
            wall_window.show()
            self.walls.append(wall_window)
        log.info("opened %d further wall window(s)%s", len(self.walls),
                 f", {sum(a is not None for a in last.values())} as last left" if last else "")

    # -- the tile menu of a further screen ---------------------------------------------------
    def _tile_menu(self, wall_window: WallWindow, menu: QMenu) -> None:
        if self.layouts is None:
            return
        menu.addSeparator()
        saved = menu.addMenu(self.tr("Open saved wall on this screen"))
        for name in self.layouts.saved_names:
            action = saved.addAction(name)
            action.triggered.connect(
                lambda _c=False, n=name, w=wall_window: spawn(self.open_saved(w, n),
                                                              name="open-wall-here"))
        saved.setEnabled(bool(self.layouts.saved_names))
        keep = menu.addAction(self.tr("Save this screen's wall as…"))
        keep.triggered.connect(
            lambda _c=False, w=wall_window: self.layouts.ask_save(arrangement_of(w.wall)))

    async def open_saved(self, wall_window: WallWindow, name: str) -> bool:
        """Show the saved wall ``name`` on ``wall_window``'s screen."""
        if self.layouts is None:
            return False
        arrangement = await self.layouts.library.load(name)
        forest = self.window.forest
        if arrangement is None or forest is None:
            return False
        return show_arrangement(wall_window.wall, arrangement, forest.sources) > 0

    # -- stop ------------------------------------------------------------------------------
    def close_all(self) -> None:
        for keeper in self.keepers:
            keeper.keep_final()  # before the windows let go of their cameras
        walls, self.walls = self.walls, []
        for wall_window in walls:
            wall_window.close()

    async def async_stop(self) -> None:
        """Save each screen's wall for the next start (the store closes next)."""
        self._closed = True
        for keeper in self.keepers:
            await keeper.async_stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close_all()  # before the main window stops the shared engine
        return False
