"""Business details opened from the channel tree against the real central: the registry from
the cache, a day of 30-second readings arriving bucketed from central's SQL, cameras to the
wall, and the tile menu's entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QMenu
from sqlalchemy import insert, select

from console.channels.business_detail import HISTORY_POINTS
from console.channels.tree import KEY_ROLE
from console.shell.session import ConsoleSession
from console.sync.state import ConnectionState
from db.models import Reading, Sensor, utcnow
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.fakes import fake_wall
from widgets.business_detail import ID_ROLE
from widgets.trend import TrendSpan

pytestmark = pytest.mark.timeout(90)


def find_index(tree, kind: str, ident: str):
    for index in tree._walk():
        if index.data(KEY_ROLE) == (kind, ident):
            return index
    raise AssertionError(f"{kind} {ident} is not in the tree")


def test_details_from_the_tree_show_bucketed_history_and_put_cameras_on_the_wall(
        qloop, qtbot, qcentral, tmp_path) -> None:
    sensor = run(qloop, qcentral.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == "special_room").order_by(Sensor.id)).first()))
    sensor_id, business_id, camera_id = sensor.id, sensor.business_id, sensor.camera_id
    now = utcnow()
    rows = [{"sensor_id": sensor_id, "ts": now - timedelta(seconds=30 * i),
             "value": 22.0 + (6.0 if i == 1000 else 0.0), "humidity": 60.0}
            for i in range(2880)]  # a day at the demo's 30-second interval, one hot reading
    run(qloop, qcentral.write(lambda s: s.execute(insert(Reading), rows)))

    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        window = session.window
        wait_until(qloop, lambda: session.coordinator.state == ConnectionState.ONLINE, 15,
                   "online")
        wait_until(qloop, lambda: window.tree.model.item_for("business", business_id), 15,
                   "the business in the tree")
        window.tree.view.expandAll()
        menu = session.details.tree_menu(find_index(window.tree, "business", business_id))
        assert isinstance(menu, QMenu)
        texts = {a.text(): a for a in menu.actions()}
        assert set(texts) == {"Show on the wall", "Business details…", "Playback…"}
        texts["Business details…"].trigger()
        view = wait_until(qloop, lambda: session.details.views.get(business_id), 10,
                          "the detail window")
        wait_until(qloop, lambda: view.isVisible() and sensor_id in view.sensor_panels, 10,
                   "the sensor panel")
        panel = view.sensor_panels[sensor_id]
        wait_until(qloop, lambda: curve_length(panel) > 0, 15,
                   "the history from central")
        panel.flush()
        values = panel.chart.curve.getData()[1]
        assert panel.downsampled and 100 < len(values) <= HISTORY_POINTS  # bucketed, not 2,880
        assert max(values) == 28.0  # the one hot reading is kept as its bucket's maximum
        assert panel.chart.breach_regions()  # ... and shaded above the 25 °C limit
        assert panel.chart.span is TrendSpan.DAY
        assert view.business.id == business_id and view.camera_list.count() >= 1

        row = next(i for i in range(view.camera_list.count())
                   if view.camera_list.item(i).data(ID_ROLE) == camera_id)
        view.camera_list.setCurrentRow(row)
        view.show_camera_button.click()
        wait_until(qloop, lambda: any(c is not None and c.camera_id == camera_id
                                      for c in window.wall.cells()), 10, "the camera on the wall")
        view.close()
        wait_until(qloop, lambda: business_id not in session.details.views, 5, "the close")
    finally:
        run(qloop, session.async_stop())
        session.window.close()
        session.window.deleteLater()


def curve_length(panel) -> int:
    values = panel.chart.curve.getData()[1]
    return 0 if values is None else len(values)


def test_the_disinfection_ledger_exports_from_the_details(qloop, qtbot, qcentral, tmp_path,
                                                          monkeypatch) -> None:
    """Ledgers → Export disinfection ledger: the file dialog's name receives central's Excel
    ledger of the business (the rows central wrote from its cabinet at each meal)."""
    import io
    from datetime import date

    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from db.models import DisinfectionCycle

    cabinet = run(qloop, qcentral.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == "disinfection_cabinet").order_by(Sensor.id))
        .first()))
    yesterday = date.today() - timedelta(days=1)

    def add_rows(s):
        s.add(DisinfectionCycle(business_id=cabinet.business_id,
                                district_id=cabinet.district_id, sensor_id=cabinet.id,
                                day=yesterday, meal="lunch", valid=True, missing=False,
                                peak_c=123.0, held_min=15.0))
        s.add(DisinfectionCycle(business_id=cabinet.business_id,
                                district_id=cabinet.district_id, sensor_id=cabinet.id,
                                day=yesterday, meal="dinner", valid=False, missing=True))

    run(qloop, qcentral.write(add_rows))
    target = tmp_path / "ledger.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        wait_until(qloop, lambda: session.window.tree.model.item_for(
            "business", cabinet.business_id), 15, "the business in the tree")
        session.details.open(cabinet.business_id)
        view = wait_until(qloop, lambda: session.details.views.get(cabinet.business_id), 10,
                          "the detail window")
        view.disinfection_button.click()
        wait_until(qloop, lambda: target.exists() and "Saved" in view.disinfection_note.text(),
                   15, "the ledger saved")
        sheet = load_workbook(io.BytesIO(target.read_bytes())).active
        results = [row[7].value for row in sheet.iter_rows(min_row=4)]
        assert results == ["合格", "缺失：餐前无合格消毒"]
        view.close()
    finally:
        run(qloop, session.async_stop())
        session.window.close()
        session.window.deleteLater()
