"""The main window as an operator sees it: the city in the channel tree with online counts,
the wall filled and re-laid-out from the toolbar, cameras opened from the tree, and a status
bar that says whether the data is live. The wall is a stand-in (no decoders) here; the real
one is tested by its engineer and in the end-to-end tests."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import func, select

from console.channels.tree import KEY_ROLE, SOURCES_ROLE
from console.shell.main_window import TOOLBAR_LAYOUTS, MainWindow
from console.sync.puller import SyncProgress
from console.sync.state import ConnectionState, ConnectionStatus
from db.models import Business, Camera, District
from tests.console.conftest import run, wait_until
from tests.console.fakes import FakeWall, fake_wall
from videowall import CAMERAS_MIME

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def window(qloop, qtbot, synced_store):
    win = MainWindow(synced_store, {"username": "operator", "role": "operator",
                                    "display_name": "市局值班员"}, "4",
                     server_url="http://central:8750", wall_factory=fake_wall)
    qtbot.addWidget(win)
    win.show()
    win.schedule_reload()
    wait_until(qloop, lambda: win.tree.model.rowCount() > 0, 10, "the channel tree")
    return win


def top_labels(win: MainWindow) -> list[str]:
    model = win.tree.model
    return [model.label(row) for row in range(model.rowCount())]


def find(win: MainWindow, kind: str, ident: str) -> QModelIndex:
    index = win.tree.model.item_for(kind, ident)
    assert index is not None
    return index


def test_tree_lists_the_city_with_online_counts(qloop, window, synced_store) -> None:
    labels = top_labels(window)
    names = run(qloop, synced_store.read(lambda s: s.scalars(
        select(District.name).order_by(District.id)).all()))
    assert [label.rsplit(" (", 1)[0] for label in labels] == names
    for label, district_id in zip(labels, ("D01", "D02", "D03", "D04", "D05"), strict=False):
        online, total = map(int, re.search(r"\((\d+)/(\d+)\)$", label).groups())
        expect_total, expect_online = run(qloop, synced_store.read(lambda s, d=district_id: (
            s.scalar(select(func.count()).where(Camera.district_id == d)),
            s.scalar(select(func.count()).where(Camera.district_id == d, Camera.online)))))
        assert (online, total) == (expect_online, expect_total)
    assert "市局值班员" in window.windowTitle()


def test_a_camera_going_offline_updates_counts_in_place(qloop, window, synced_store) -> None:
    cam = run(qloop, synced_store.read(lambda s: s.scalars(
        select(Camera).where(Camera.online).order_by(Camera.id)).first()))
    district_index = find(window, "district", cam.district_id)
    window.tree.view.expand(district_index)
    before = district_index.data()
    seq = run(qloop, synced_store.cursor()) + 1
    payload = {"id": cam.id, "business_id": cam.business_id, "district_id": cam.district_id,
               "name": cam.name, "online": False, "version": cam.version + 1}
    run(qloop, synced_store.apply_changes([{"seq": seq, "entity": "camera", "id": cam.id,
                                            "district_id": cam.district_id, "deleted": False,
                                            "payload": payload}]))
    window.on_entities_changed(frozenset({"camera"}))
    wait_until(qloop, lambda: find(window, "district", cam.district_id).data() != before, 5,
               "the district's count to change")
    online, total = map(int, re.search(r"\((\d+)/(\d+)\)$", before).groups())
    assert find(window, "district", cam.district_id).data().endswith(
        f"({online - 1}/{total})")
    assert window.tree.view.isExpanded(find(window, "district", cam.district_id))
    assert "offline" in find(window, "camera", cam.id).data(Qt.ItemDataRole.ToolTipRole)


def test_wall_starts_with_the_first_cameras_and_layouts_change_it(window) -> None:
    wall: FakeWall = window.wall
    sources = window.tree.model.all_sources
    assert [c.camera_id for c in wall.cells()] == [s.camera_id for s in sources[:4]]
    assert all(c.sub_url.endswith("/sub.ts") for c in wall.cells())
    bar_names = [a.data() for a in window.layout_bar.actions()]
    assert bar_names == list(TOOLBAR_LAYOUTS)
    window.layout_actions["9"].trigger()
    assert len(wall.cells()) == 9 and window.layout_actions["9"].isChecked()
    assert [c.camera_id for c in wall.cells()] == [s.camera_id for s in sources[:9]]
    window.layout_actions["1"].trigger()
    assert len(wall.cells()) == 1
    wall.set_layout("16")  # the wall changed by itself (a saved layout): the bar follows
    assert window.layout_actions["16"].isChecked()


def test_double_click_opens_a_camera_in_the_selected_tile(qtbot, window) -> None:
    wall: FakeWall = window.wall
    last = window.tree.model.all_sources[-1]
    index = find(window, "camera", last.camera_id)
    wall.select(2)
    window.tree.view.doubleClicked.emit(index)
    assert wall.cells()[2].camera_id == last.camera_id
    # A business opens all its cameras from the first free tile.
    window.set_layout("9")
    wall.set_cell(5, None)
    biz = find(window, "business", last.business_id)
    wall.select(None)
    window.tree.view.doubleClicked.emit(biz)
    opened = [s.camera_id for s in biz.data(SOURCES_ROLE)]
    assert [c.camera_id for c in wall.cells()[5:5 + len(opened)]] == opened


def test_drag_carries_the_cameras_in_the_walls_format(window) -> None:
    district = window.tree.model.index(0, 0)
    mime = window.tree.model.mimeData([district])
    cameras = json.loads(bytes(mime.data(CAMERAS_MIME)).decode())
    assert len(cameras) == int(re.search(r"/(\d+)\)$", district.data()).group(1))
    assert set(cameras[0]) >= {"camera_id", "title", "sub_url", "main_url", "business_id"}


def test_search_filters_the_tree(qloop, window, synced_store) -> None:
    names = run(qloop, synced_store.read(lambda s: s.scalars(
        select(Business.name).order_by(Business.id)).all()))
    query = names[0][-4:]
    window.tree.search.setText(query)
    shown = [i for i in window.tree._walk()]
    businesses = [i.data() for i in shown if i.data(KEY_ROLE)[0] == "business"]
    assert businesses and len(businesses) < len(names)
    assert all(query in label for label in businesses)
    # A matching business shows its cameras (to drag them), not just its name.
    assert any(i.data(KEY_ROLE)[0] == "camera" for i in shown)
    window.tree.search.setText("no such kitchen anywhere")
    assert window.tree.visible_rows() == 0
    window.tree.search.clear()
    assert window.tree.visible_rows() > len(names)


def test_status_bar_says_whether_the_data_is_live(window) -> None:
    now = datetime.now().astimezone()
    window.on_connection(ConnectionStatus(ConnectionState.CONNECTING, now))
    assert "Connecting" in window.connection_label.text()
    window.on_connection(ConnectionStatus(ConnectionState.ONLINE, now))
    assert "Online" in window.connection_label.text()
    lost = now - timedelta(minutes=3)
    window.on_connection(ConnectionStatus(ConnectionState.CONNECTING, lost, "closed",
                                          reconnecting=True))
    assert "Reconnecting" in window.connection_label.text()
    window.on_connection(ConnectionStatus(ConnectionState.OFFLINE, lost,
                                          "cannot reach http://central:8750"))
    text = window.connection_label.text()
    assert "Offline since " + lost.strftime("%H:%M:%S") in text
    assert window.connection_label.toolTip() == "cannot reach http://central:8750"
    window.on_connection(ConnectionStatus(ConnectionState.AUTH_EXPIRED, lost, "expired"))
    assert "log in again" in window.connection_label.text()

    window.on_progress(SyncProgress(1234, 20000, 1200))
    assert window.progress.isVisible() and window.progress.text() == "Syncing 1,234 / 20,000"
    window.on_progress(SyncProgress(20000, 20000, 19000))
    assert not window.progress.isVisible()

    window.on_outbox(3, 0)
    assert window.outbox_label.text() == "3 actions waiting to send"
    window.on_outbox(0, 2)
    assert "2 refused by the server" in window.outbox_label.text()
    window.on_outbox(0, 0)
    assert window.outbox_label.text() == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", window.clock_label.text())


def test_about_names_every_version(window) -> None:
    text = window.about_text()
    for part in ("Kitchen Watch", "Qt ", "PySide6 ", "libVLC ", "Python "):
        assert part in text


def test_on_first_start_the_wall_gets_most_of_the_window(qloop, qtbot, synced_store) -> None:
    from PySide6.QtWidgets import QDockWidget

    from console.shell.docks import add_bottom_panel
    from widgets.dashboard import Dashboard

    win = MainWindow(synced_store, {"username": "operator", "role": "operator"}, "4",
                     server_url="http://central:8750", wall_factory=fake_wall)
    qtbot.addWidget(win)
    add_bottom_panel(win, "Alarms", "alarms", Dashboard())  # charts: a tall minimum size
    win.resize(1600, 1000)
    win.show()
    wait_until(qloop, lambda: win._shown_once, 5, "the window to show")
    qtbot.wait(100)
    dock = win.findChild(QDockWidget, "alarms")
    assert dock is not None and dock.height() <= 0.35 * win.height(), dock.height()
    assert win.wall.height() >= 0.5 * win.height(), win.wall.height()
    assert win.tree_dock.width() <= 0.25 * win.width()
