"""Tours (轮巡) as an operator runs them: from the tree, page by page with the dwell from the
settings, pinned tiles kept, paused by an alarm, and the wall given back when the tour stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from console.settings.model import ConsoleSettings
from console.shell.main_window import MainWindow
from console.walls.tours import TourControl
from tests.console.conftest import wait_until
from tests.console.fakes import FakeEngine, fake_wall

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def touring(qloop, qtbot, synced_store, tmp_path: Path):
    window = MainWindow(synced_store, {"username": "operator", "role": "operator"}, "4",
                        wall_factory=fake_wall)
    qtbot.addWidget(window)
    window.show()
    window.schedule_reload()
    wait_until(qloop, lambda: window.forest is not None and window.wall.cells()[0], 10,
               "the first wall")
    window.wall.engine = FakeEngine()
    settings = ConsoleSettings.load(tmp_path / "settings.json")
    assert settings.update({"tour_dwell_s": 3}) == {}
    return window, TourControl(window, settings)


def ids(window: MainWindow) -> list[str | None]:
    return [c.camera_id if c else None for c in window.wall.cells()]


def test_a_district_tour_pages_keeps_pinned_tiles_and_gives_the_wall_back(qloop, qtbot,
                                                                           touring) -> None:
    window, tours = touring
    before = ids(window)
    district = window.forest.node(window.forest.roots[1])
    cameras = window.forest.sources_below(district.uid)
    assert len(cameras) > 6
    # Pin the first tile from its context menu, then tour the district from the tree's menu.
    pin = next(a for a in window.wall.build_menu(0).actions() if a.isCheckable())
    pin.setChecked(True)
    menu = QMenu()
    for hook in window.tree_menu_hooks:
        hook("district", district.name, cameras, menu)
    offer = [a for a in menu.actions() if str(len(cameras)) in a.text()]
    assert offer, "the tree's context menu offers a tour of the district"
    offer[0].trigger()
    assert tours.driver is not None and tours.title == district.name
    assert window.tour is tours.driver
    first_page = ids(window)
    assert first_page[0] == before[0]  # pinned
    assert first_page[1:] == [c.camera_id for c in cameras[:3]]
    assert "1" in tours.status_label.text() and district.name in tours.status_label.text()

    # The next page comes after the dwell, pre-opened before its turn.
    qtbot.waitUntil(lambda: len(window.wall.engine.open) == 3, timeout=4000)
    qtbot.waitUntil(lambda: ids(window)[1:] == [c.camera_id for c in cameras[3:6]],
                    timeout=3000)
    assert ids(window)[0] == before[0]
    assert window.wall.engine.open == []  # the tiles hold the streams now, not the tour

    # An alarm pauses the page; the status says why; F9 (the action) resumes.
    window.tour.pause_for_alarm()
    assert "alarm" in tours.status_label.text()
    assert tours.pause_action.isChecked()
    tours.pause_action.setChecked(False)
    assert not tours.driver.tour.paused

    # A layout change restarts the tour on the new cells, from the page it was on.
    page = tours.driver.tour.page
    window.set_layout("9")
    assert tours.driver is not None and tours.driver.tour.page == page
    assert len(tours.driver.tour.slots) == 8

    tours.stop()
    assert window.tour is None and window.wall.layout_name == "4"
    assert ids(window) == before
    assert not tours.status_label.isVisible()


def test_a_wall_with_every_tile_kept_refuses_a_tour(qloop, touring) -> None:
    window, tours = touring
    for index in range(4):
        tours.set_pinned(index, True)
    assert not tours.start(window.forest.sources, "all")
    assert window.tour is None and tours.driver is None


def test_keeping_the_last_free_tile_ends_the_tour_and_gives_the_wall_back(qloop,
                                                                          touring) -> None:
    window, tours = touring
    before = ids(window)
    assert tours.start(window.forest.sources, "all")
    for index in range(3):
        tours.set_pinned(index, True)
    assert tours.driver is not None and ids(window) != before
    tours.set_pinned(3, True)  # nothing left to tour
    assert tours.driver is None and window.tour is None
    assert ids(window) == before and not tours.status_label.isVisible()


def test_an_unattended_screen_starts_touring_every_camera_when_asked(
        qloop, qtbot, synced_store, tmp_path: Path, monkeypatch) -> None:
    """``KITCHENWATCH_TOUR=all``: the tour of every camera runs as soon as the tree is loaded,
    and a later reload of the tree does not start it again once the operator stopped it."""
    monkeypatch.setenv("KITCHENWATCH_TOUR", "all")
    window = MainWindow(synced_store, {"username": "operator", "role": "operator"}, "4",
                        wall_factory=fake_wall)
    qtbot.addWidget(window)
    window.show()
    tours = TourControl(window, ConsoleSettings.load(tmp_path / "settings.json"))
    window.schedule_reload()
    wait_until(qloop, lambda: tours.driver is not None, 10, "the tour to start by itself")
    assert len(tours.sources) == len(window.forest.sources) > len(window.wall.cells())
    assert ids(window) == [s.camera_id for s in tours.sources[:4]]
    tours.stop()
    window.schedule_reload()
    loaded: list[int] = []
    window.registry_loaded.connect(loaded.append)
    wait_until(qloop, lambda: loaded, 10, "the tree to reload")
    assert tours.driver is None


def test_closing_the_window_during_a_tour_gives_the_wall_back_before_it_stops(
        qloop, touring) -> None:
    """The window stops its wall's decode engine when it closes; the tour must end and the
    operator's wall come back first (it used to come back onto a stopped engine: a crash
    report at every exit during a tour, and the tour's page remembered as the wall)."""
    window, tours = touring
    before = ids(window)
    stopped_with: list[list[str | None]] = []
    real_shutdown = window.shutdown_wall
    window.shutdown_wall = lambda: (stopped_with.append(ids(window)), real_shutdown())[1]
    assert tours.start(window.forest.sources[4:], "the others")
    assert ids(window) != before
    window.close()
    assert stopped_with == [before]
    assert tours.driver is None and window.tour is None
