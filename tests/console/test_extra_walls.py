"""Walls on further screens: their own layouts, the cameras that follow the main wall's, the
wall each screen was left with back at the next start, saved walls opened on any screen."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from console.shell.main_window import MainWindow
from console.sync.store import LocalStore
from console.walls.extra_screens import ExtraWalls
from console.walls.layout_menu import LayoutMenu
from console.walls.layouts import Arrangement, LayoutLibrary
from tests.console.conftest import run, wait_until
from videowall import TileSource, VideoWall, WallEngine, WallWindow
from videowall.layouts import layout

pytestmark = pytest.mark.timeout(90)
OPERATOR = {"username": "operator", "role": "operator"}


def _real_wall(name: str, parent):
    return VideoWall(name, parent, engine=WallEngine(parent=parent, workers=1))


def _submenus(menu) -> dict[str, object]:
    """A tile menu's submenus by title. Not through ``QAction.menu()``: PySide6 6.9 (the glibc
    2.28 lock) hands back a dead wrapper for a submenu made by ``addMenu(title)`` once the
    Python name that ``addMenu`` returned is gone, although Qt still shows the submenu."""
    from PySide6.QtWidgets import QMenu

    return {sub.title(): sub for sub in menu.findChildren(QMenu)}


def _sources(n: int) -> list[TileSource]:
    # Nothing listens on port 9: tiles try and fail, which is all these tests need.
    return [TileSource(f"C{i}", f"camera {i}", sub_url=f"http://127.0.0.1:9/{i}.ts")
            for i in range(n)]


def test_extra_screens_get_their_own_wall_with_the_next_cameras(qtbot, tmp_path, caplog) -> None:
    from types import SimpleNamespace

    from console.shell.main_window import MainWindow
    from console.sync.store import LocalStore
    from console.walls.extra_screens import ExtraWalls

    store = LocalStore(tmp_path / "local.db")
    window = MainWindow(store, OPERATOR, "1", wall_factory=_real_wall)
    qtbot.addWidget(window)
    try:
        with caplog.at_level("WARNING", logger="kitchenwatch.console.shell.roles"):
            assert ExtraWalls(window, (0, 7)).screens == []
        assert "wall screen 7 is not connected" in caplog.text
        # Offscreen Qt has one screen: the "second" wall goes on it too, which is all the
        # logic needs (real control rooms list distinct screens).
        extra = ExtraWalls(window, (0, 0))
        sources = _sources(4)
        window.forest = SimpleNamespace(sources=sources)
        window.registry_loaded.emit(len(sources))
        [wall_window] = extra.walls
        assert isinstance(wall_window, WallWindow) and wall_window.isVisible()
        assert wall_window.wall.engine is window.wall.engine  # one set of decode workers
        assert wall_window.wall.layout_name == window.wall.layout_name == "1"
        assert wall_window.wall.cells() == [sources[1]]  # after the main wall's one tile
        # Each screen has a layout of its own, chosen from its tiles' menu.
        menu = wall_window.wall.build_menu(0)
        layouts = _submenus(menu)["Layout of this screen"]
        nine = next(a for a in layouts.actions() if a.text().startswith("9 "))
        nine.trigger()
        assert wall_window.wall.layout_name == "9" and window.wall.layout_name == "1"
        assert wall_window.wall.cells()[0] == sources[1]  # the cameras it showed stay
        window.close()  # closing the console closes the extra walls first
        assert not wall_window.isVisible() and extra.walls == []
    finally:
        window.close()
        store.close()


def test_each_further_screen_gets_its_wall_back_and_opens_saved_walls(qloop, qtbot,
                                                                      tmp_path) -> None:
    store = LocalStore(tmp_path / "local.db")
    sources = _sources(8)
    opened: list[MainWindow] = []

    def start() -> tuple[MainWindow, LayoutMenu, ExtraWalls]:
        window = MainWindow(store, OPERATOR, "1", wall_factory=_real_wall)
        qtbot.addWidget(window)
        opened.append(window)
        layouts = LayoutMenu(window, LayoutLibrary(store))
        extra = ExtraWalls(window, (0, 0), store, layouts)
        window.forest = SimpleNamespace(sources=sources)
        window.registry_loaded.emit(len(sources))
        wait_until(qloop, lambda: bool(extra.walls), 10, "the further screen's wall")
        return window, layouts, extra

    def stop(window: MainWindow, layouts: LayoutMenu, extra: ExtraWalls) -> None:
        window.close()  # as the console closes: the further walls go first
        run(qloop, extra.async_stop())
        run(qloop, layouts.async_stop())

    try:
        window, layouts, extra = start()
        [screen] = extra.walls
        assert screen.wall.cells() == [sources[1]]  # nothing remembered: the next camera
        screen.wall.set_layout("4")
        screen.wall.set_cells({0: sources[5], 1: None, 2: sources[2], 3: None})
        stop(window, layouts, extra)

        window, layouts, extra = start()
        [screen] = extra.walls
        assert screen.wall.layout_name == "4"  # as it was left, not the main wall's "1"
        assert [c.camera_id if c else None for c in screen.wall.cells()] == [
            "C5", None, "C2", None]
        assert window.wall.layout_name == "1"

        # A wall saved from the Layouts menu opens on this screen from a tile's menu.
        assert run(qloop, layouts.save("午餐前", Arrangement.of(layout("1"), ["C7"])))
        menu = screen.wall.build_menu(0)
        here = _submenus(menu)["Open saved wall on this screen"]
        [entry] = here.actions()
        assert entry.text() == "午餐前"
        entry.trigger()
        wait_until(qloop, lambda: screen.wall.layout_name == "1", 5, "the saved wall here")
        assert screen.wall.cells() == [sources[7]]
        stop(window, layouts, extra)
    finally:
        for window in opened:
            window.close()
        store.close()
