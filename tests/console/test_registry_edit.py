"""The registry's edit dialogs and the onboarding progress, driven as an administrator would,
against the real central server: typing shows the reason at once, saving goes through the
outbox and lands on central, a stale edit says so and keeps the input, a refused edit rolls the
local copy back, a camera is tried with the wall's probe, and the progress exports."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit
from sqlalchemy import select

from console.registry import onboarding
from console.registry.dialogs import CameraDialog, RecordDialog
from console.registry.menu import RegistryUi
from console.registry.progress import ProgressDialog
from console.shell.session import ConsoleSession
from db.models import Business, Camera, OnboardingTarget
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.fakes import fake_wall
from tests.videowall.conftest import media, rtsp_url  # noqa: F401 - the simulator's RTSP source

pytestmark = pytest.mark.timeout(120)
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def start(qloop, tmp_path: Path, url: str, user: str) -> ConsoleSession:
    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall)
    assert run(qloop, session.async_start(url, user, DEMO_PASSWORD))
    return session


def stop(qloop, session: ConsoleSession) -> None:
    run(qloop, session.async_stop())
    if session.window is not None:
        session.window.close()
        session.window.deleteLater()


def registry_ui(session: ConsoleSession) -> RegistryUi:
    ui = session.role_ui.registry
    assert isinstance(ui, RegistryUi)
    return ui


def kept(qtbot, dialog: Any) -> Any:
    """The dialog deletes itself when closed; the test keeps it to read what it showed."""
    assert dialog is not None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(dialog)
    return dialog


def type_into(qtbot, dialog: RecordDialog, key: str, text: str) -> None:
    line = dialog.inputs[key]
    assert isinstance(line, QLineEdit)
    line.clear()
    if text.isascii():
        qtbot.keyClicks(line, text)
    else:  # QTest types Latin-1 only; an input method inserts Chinese like this
        line.insert(text)


def shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def first_business(qloop, qcentral) -> Business:
    return run(qloop, qcentral.read(lambda s: s.scalars(
        select(Business).where(Business.district_id == "D01").order_by(Business.id)
        .limit(1)).one()))


def wait_synced(qloop, session: ConsoleSession, qcentral, business_id: str) -> None:
    async def there() -> bool:
        return await session.store.read(lambda s: s.get(Business, business_id)) is not None

    wait_until(qloop, there, 20, "the business in the local cache")


def test_only_admins_see_the_registry_entries(qloop, qtbot, qcentral, tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "operator")
    try:
        titles = [a.text() for a in session.window.menuBar().actions()]
        assert "&Registry" not in titles and session.role_ui.registry is None
    finally:
        stop(qloop, session)


def test_editing_a_business_reaches_central_and_refusals_roll_back(qloop, qtbot, qcentral,
                                                                    tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        assert "&Registry" in [a.text() for a in session.window.menuBar().actions()]
        business = first_business(qloop, qcentral)
        wait_synced(qloop, session, qcentral, business.id)
        ui = registry_ui(session)
        dialog = kept(qtbot, run(qloop, ui.edit_business(business.id)))
        # Inline reasons in the interface language as the user types.
        type_into(qtbot, dialog, "credit_code", "91350100M000100Y44")
        assert dialog.errors["credit_code"].isVisibleTo(dialog)
        assert "expected 3" in dialog.errors["credit_code"].text()
        type_into(qtbot, dialog, "official_phone", "12345")
        assert "landline" in dialog.errors["official_phone"].text()
        dialog.save_button.click()
        assert dialog.status.text() == "" and dialog.isVisible()  # nothing saved
        shot(dialog, "registry-business-errors")
        type_into(qtbot, dialog, "credit_code", "91350100M000100Y43")
        type_into(qtbot, dialog, "official_phone", "13800000000")
        assert not dialog.errors["credit_code"].isVisibleTo(dialog)
        type_into(qtbot, dialog, "name", "改过名字的餐厅")
        dialog.save_button.click()
        wait_until(qloop, lambda: not dialog.isVisible(), 20, "the accepted save")
        stored = run(qloop, qcentral.read(lambda s: s.get(Business, business.id)))
        assert (stored.name, stored.credit_code, stored.version) == (
            "改过名字的餐厅", "91350100M000100Y43", business.version + 1)

        # Someone else edits meanwhile: the user's save is refused as stale, the row reloads
        # and the input stays; saving again applies it.
        stale = kept(qtbot, run(qloop, ui.edit_business(business.id)))

        def other_admin(s: Any) -> None:
            row = s.get(Business, business.id)
            row.address, row.version = "别人改的地址", row.version + 1

        run(qloop, qcentral.write(other_admin))
        type_into(qtbot, stale, "contact_name", "李四")
        stale.save_button.click()
        wait_until(qloop, lambda: "meanwhile" in stale.status.text(), 20, "the stale refusal")
        assert stale.isVisible() and stale.inputs["contact_name"].text() == "李四"
        assert stale.version == business.version + 2
        shot(stale, "registry-business-stale")
        stale.save_button.click()
        wait_until(qloop, lambda: not stale.isVisible(), 20, "the second save")
        stored = run(qloop, qcentral.read(lambda s: s.get(Business, business.id)))
        assert stored.contact_name == "李四"

        # A refusal for another reason shows central's words and rolls the local copy back.
        other = run(qloop, qcentral.read(lambda s: s.scalars(select(Business).where(
            Business.district_id == "D01", Business.id != business.id).limit(1)).one()))
        wait_synced(qloop, session, qcentral, other.id)
        dup = kept(qtbot, run(qloop, ui.edit_business(other.id)))
        type_into(qtbot, dup, "credit_code", "91350100M000100Y43")  # the first one's code
        type_into(qtbot, dup, "name", "抄错代码的店")
        dup.save_button.click()
        wait_until(qloop, lambda: "already registered" in dup.status.text(), 20,
                   "the refusal")
        # Said under the field it is about, and nothing typed is lost.
        assert dup.errors["credit_code"].isVisibleTo(dup)
        assert "already registered" in dup.errors["credit_code"].text()
        assert dup.inputs["name"].text() == "抄错代码的店" and dup.isVisible()

        async def rolled_back() -> bool:
            row = await session.store.read(lambda s: s.get(Business, other.id))
            return row.name == other.name

        wait_until(qloop, rolled_back, 10, "the local copy rolled back")
    finally:
        stop(qloop, session)


def camera_dialog(qloop, qtbot, session: ConsoleSession, business_id: str,
                  url: str) -> CameraDialog:
    dialog = kept(qtbot, run(qloop, registry_ui(session).camera(business_id)))
    assert isinstance(dialog, CameraDialog)
    type_into(qtbot, dialog, "name", "凉菜专间")
    type_into(qtbot, dialog, "gb_code", "35010000001320000099")
    type_into(qtbot, dialog, "main_url", url)
    box = dialog.inputs["public"]
    assert isinstance(box, QCheckBox)
    box.setChecked(True)
    return dialog


def test_a_camera_is_tried_with_the_wall_probe_before_it_is_saved(qloop, qtbot, qcentral,
                                                                   tmp_path, request) -> None:
    live = request.getfixturevalue("rtsp_url")  # a live RTSP source on loopback
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        business = first_business(qloop, qcentral)
        wait_synced(qloop, session, qcentral, business.id)
        dialog = camera_dialog(qloop, qtbot, session, business.id, live)
        dialog.save_button.click()
        wait_until(qloop, lambda: not dialog.isVisible(), 60, "the probe and the save")
        assert dialog.probe_result is not None and dialog.probe_result["state"] == "playing"
        assert dialog.probe_result["width"] > 0
        saved = run(qloop, qcentral.read(lambda s: s.scalars(select(Camera).where(
            Camera.gb_code == "35010000001320000099")).one()))
        assert saved.business_id == business.id and saved.public and saved.main_url == live
    finally:
        stop(qloop, session)


def test_a_dead_camera_address_warns_and_can_be_saved_anyway(qloop, qtbot, qcentral,
                                                             tmp_path) -> None:
    from tests.console.conftest import free_port

    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        business = first_business(qloop, qcentral)
        wait_synced(qloop, session, qcentral, business.id)
        dead = f"rtsp://user:secret@127.0.0.1:{free_port()}/nothing"
        dialog = camera_dialog(qloop, qtbot, session, business.id, dead)
        dialog.save_button.click()
        wait_until(qloop, lambda: dialog.save_button.text() == "Save anyway", 60,
                   "the probe's failure")
        assert dialog.isVisible() and "did not play" in dialog.probe_label.text()
        assert "secret" not in dialog.probe_label.text()
        shot(dialog, "registry-camera-dead")
        none = run(qloop, qcentral.read(lambda s: s.scalars(select(Camera).where(
            Camera.gb_code == "35010000001320000099")).first()))
        assert none is None  # not saved until the user confirms
        dialog.save_button.click()
        wait_until(qloop, lambda: not dialog.isVisible(), 20, "the confirmed save")
        saved = run(qloop, qcentral.read(lambda s: s.scalars(select(Camera).where(
            Camera.gb_code == "35010000001320000099")).one()))
        assert saved.main_url == dead
    finally:
        stop(qloop, session)


def test_onboarding_progress_counts_sets_targets_and_exports(qloop, qtbot, qcentral,
                                                             tmp_path) -> None:
    def healths(s: Any) -> None:
        cams = list(s.scalars(select(Camera).where(Camera.district_id == "D01")
                              .order_by(Camera.id)))
        from datetime import UTC, datetime

        # Playing now; only ever reported offline; online once and offline since.
        cams[0].health, cams[1].health, cams[2].health = "playing", "offline", "offline"
        cams[0].first_online_at = cams[2].first_online_at = datetime.now(UTC)
        for cam in cams[:3]:
            cam.version += 1
            from central import changes

            changes.record(s, cam)

    run(qloop, qcentral.write(healths))
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        wait_synced(qloop, session, qcentral, first_business(qloop, qcentral).id)

        async def healths_synced() -> bool:
            return await session.store.read(lambda s: s.scalar(
                select(Camera.id).where(Camera.health == "playing").limit(1))) is not None

        wait_until(qloop, healths_synced, 20, "the camera health in the local cache")
        dialog = kept(qtbot, registry_ui(session).open_progress())
        assert isinstance(dialog, ProgressDialog)
        wait_until(qloop, lambda: dialog.table.rowCount() > 0, 20, "the progress")
        d01 = next(r for r in dialog.progress.rows if r.district_id == "D01"
                   and r.level == "district")
        assert d01.cameras_ever_online == 2 and d01.cameras_online == 1
        total = run(qloop, qcentral.read(lambda s: s.scalar(
            select(Business).where(Business.district_id == "D01").with_only_columns(
                __import__("sqlalchemy").func.count()))))
        assert d01.businesses == total
        assert d01.connected in (1, 2) and len([w for w in dialog.progress.waiting
                                                if w.district == d01.district]) \
            == total - d01.connected
        row = dialog.progress.rows.index(d01)
        item = dialog.table.item(row, 2)
        assert item.flags() & Qt.ItemFlag.ItemIsEditable
        item.setText("40")

        async def target_set() -> bool:
            return await qcentral.read(lambda s: s.scalar(select(OnboardingTarget.businesses)
                                                          .where(OnboardingTarget.district_id
                                                                 == "D01"))) == 40

        wait_until(qloop, target_set, 20, "the target on central")
        assert d01.share == pytest.approx(d01.connected / 40)
        shot(dialog, "registry-progress")
        xlsx, csv_path = tmp_path / "progress.xlsx", tmp_path / "progress.csv"
        dialog.export(xlsx)
        dialog.export(csv_path)
        from openpyxl import load_workbook

        book = load_workbook(xlsx)
        assert len(book.sheetnames) == 2
        sheet = book[book.sheetnames[0]]
        assert sheet.cell(1, 1).value == "District"
        assert [c.value for c in sheet[row + 2]][2] == 40
        with csv_path.open(encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][0] == "District" and rows[row + 1][2] == "40"
    finally:
        stop(qloop, session)


def test_progress_counts_from_rows() -> None:
    """The Qt-free counts: never reported, or only reported offline = never online; online
    once and frozen now still counts; a business without a street sits under its district's
    no-street row."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from db.models import Base, District, Street

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        s.add_all([District(id="D1", name="一区"), Street(id="S1", district_id="D1", name="甲街"),
                   Business(id="B1", district_id="D1", street_id="S1", name="有", category="small"),
                   Business(id="B2", district_id="D1", name="无街道", category="small"),
                   Business(id="B3", district_id="D1", street_id="S1", name="没上报",
                            category="small"),
                   Camera(id="C1", business_id="B1", district_id="D1", name="x",
                          health="offline"),  # its only report said offline
                   Camera(id="C2", business_id="B1", district_id="D1", name="x",
                          health="frozen", first_online_at=datetime.now(UTC)),
                   Camera(id="C3", business_id="B3", district_id="D1", name="x",
                          health="unknown"),
                   OnboardingTarget(district_id="D1", street_id="", businesses=4)])
        s.commit()
        progress = onboarding.compute(s)
    district, *streets = progress.rows
    assert (district.businesses, district.with_camera, district.cameras_ever_online,
            district.cameras_online, district.connected) == (3, 2, 1, 0, 1)
    assert district.share == 0.25
    assert {(r.street_id, r.businesses) for r in streets} == {("S1", 2), ("", 1)}
    assert {r.level for r in streets} == {"street"}
    assert {w.business_id for w in progress.waiting} == {"B2", "B3"}


def text_fits(combo: QComboBox) -> bool:
    """The combo box's current text fits its edit field (the part left of the arrow)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    return combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width()


def test_dialogs_in_chinese_show_every_label_whole(qtbot, qapp, tmp_path) -> None:
    """The dialogs in the bureau's language: reasons in Chinese, no label cut off (the
    screenshots under build/screenshots are for a human look as well)."""
    from PySide6.QtWidgets import QLabel

    from console.registry.dialogs import BusinessDialog, SensorDialog
    from console.sync.store import LocalStore
    from resources.i18n import install_translator

    store = LocalStore(tmp_path / "local.db")
    assert install_translator(qapp, "zh_CN")
    try:
        places = [("D01", "康巴什区")]
        business = BusinessDialog(store, None, places, [(None, "（无）")], [(None, "（无）")])
        sensor = SensorDialog(store, None, {"id": "B1", "district_id": "D01",
                                            "name": "示例餐厅"}, [(None, "（无）")])
        for dialog in (business, sensor):
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
        type_into(qtbot, business, "credit_code", "91350100M000100Y44")
        type_into(qtbot, business, "official_phone", "12345")
        assert business.errors["credit_code"].text() == "校验位不正确（应为 3），可能输错了。"
        assert business.windowTitle() == "经营主体"
        type_into(qtbot, sensor, "param:max_temp", "99")
        assert "超出 -20 至 60 °C" in sensor.errors["param:max_temp"].text()
        kind = sensor.inputs["kind"]
        assert isinstance(kind, QComboBox)
        kind.setCurrentIndex(kind.findData("disinfection_cabinet"))
        assert "param:target_temp" in sensor.inputs and "param:max_humidity" not in sensor.inputs
        assert sensor.values()["kind"] == "disinfection_cabinet"
        qapp.processEvents()
        for dialog, name in ((business, "registry-business-zh"), (sensor, "registry-sensor-zh")):
            shot(dialog, name)
            for label in dialog.findChildren(QLabel):
                if label.isVisible() and label.text() and not label.wordWrap():
                    assert label.width() >= label.sizeHint().width(), label.text()
            for combo in dialog.findChildren(QComboBox):
                if combo.isVisible():
                    assert text_fits(combo), combo.currentText()
    finally:
        install_translator(qapp, "en")
        store.close()


def test_retiring_in_chinese_confirms_and_explains(qtbot, qapp, tmp_path) -> None:
    """The retire confirmation, an in-use refusal and the sensor list in the bureau's
    language, whole (screenshots registry-retire-confirm-zh, registry-camera-in-use-zh,
    registry-sensor-list-zh)."""
    from PySide6.QtWidgets import QLabel, QPushButton

    from console.registry import edits
    from console.registry.dialogs import CameraDialog
    from console.registry.sensor_list import SensorListDialog
    from console.sync.store import LocalStore
    from resources.i18n import install_translator

    store = LocalStore(tmp_path / "local.db")
    assert install_translator(qapp, "zh_CN")
    try:
        business = {"id": "B1", "district_id": "D01", "name": "示例餐厅"}
        camera = CameraDialog(store, {"id": "C1", "name": "后厨操作间", "version": 3,
                                      "business_id": "B1", "gb_code": "35010000001320000001",
                                      "main_url": "rtsp://10.0.0.5/main"}, business)
        qtbot.addWidget(camera)
        camera.show()
        qtbot.waitExposed(camera)
        assert camera.retire_button.text() == "停用…" and camera.retire_button.isVisible()
        box = camera.ask_retire()
        assert box is not None
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        qtbot.addWidget(box)
        qtbot.waitExposed(box)
        assert "确定将“后厨操作间”移出档案吗" in box.text() and "不再关联其画面" in box.text()
        assert box.findChild(QPushButton, "registry-retire-yes").text() == "停用"
        shot(box, "registry-retire-confirm-zh")
        box.reject()
        camera.refused(edits.Verdict("rejected", "camera C1 cannot be retired: it has 2 open "
                                                 "alarms; close or dismiss them first"))
        assert camera.status.text() == \
            "未停用：仍有 2 条未办结告警；请先关闭或忽略它们。"
        qapp.processEvents()
        shot(camera, "registry-camera-in-use-zh")
        sensors = SensorListDialog(business, [
            {"id": "S1", "kind": "special_room", "location": "凉菜专间",
             "params": {"max_temp": 25.0, "max_humidity": 70.0}},
            {"id": "S2", "kind": "disinfection_cabinet", "location": "洗消间", "params": {}}],
            lambda _id: None)
        qtbot.addWidget(sensors)
        sensors.show()
        qtbot.waitExposed(sensors)
        assert sensors.windowTitle() == "示例餐厅 的传感器"
        assert "凉菜专间" in sensors.list.item(0).text() and "25 °C" in sensors.list.item(0).text()
        shot(sensors, "registry-sensor-list-zh")
        for widget in (camera, sensors):
            for label in widget.findChildren(QLabel):
                if label.isVisible() and label.text() and not label.wordWrap():
                    assert label.width() >= label.sizeHint().width(), label.text()
    finally:
        install_translator(qapp, "en")
        store.close()


def test_the_tree_goes_district_street_community_business() -> None:
    """Streets sit between districts and communities; a business without a community hangs
    under its street, one without either under its district."""
    from console.channels.hierarchy import build_forest
    from console.sync.store import RegistrySnapshot

    snap = RegistrySnapshot(
        districts=[{"id": "D1", "name": "一区"}],
        grids=[{"id": "G1", "district_id": "D1", "street_id": "S1", "name": "甲社区"},
               {"id": "G2", "district_id": "D1", "street_id": None, "name": "散社区"}],
        businesses=[{"id": "B1", "district_id": "D1", "grid_id": "G1", "street_id": "S1",
                     "name": "社区里的店"},
                    {"id": "B2", "district_id": "D1", "grid_id": None, "street_id": "S1",
                     "name": "街道上的店"},
                    {"id": "B3", "district_id": "D1", "grid_id": None, "street_id": None,
                     "name": "区里的店"}],
        cameras=[{"id": "C1", "business_id": "B1", "name": "后厨", "online": True}],
        sensors=[], streets=[{"id": "S1", "district_id": "D1", "name": "甲街道"}])
    forest = build_forest(snap)

    def tree(uid: int, depth: int = 0) -> list[str]:
        out = ["  " * depth + f"{forest.kinds[uid]}:{forest.names[uid]}"]
        for child in forest.child_uids(uid):
            out.extend(tree(child, depth + 1))
        return out

    assert tree(forest.roots[0]) == [
        "district:一区", "  street:甲街道", "    grid:甲社区", "      business:社区里的店",
        "        camera:后厨", "    business:街道上的店", "  grid:散社区", "  business:区里的店"]
    assert forest.total[forest.roots[0]] == 1


def test_a_community_is_edited_from_the_tree(qloop, qtbot, qcentral, tmp_path) -> None:
    from PySide6.QtWidgets import QMenu

    from console.registry.dialogs import CommunityDialog
    from db.models import Grid
    from videowall.source import TileSource

    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        business = first_business(qloop, qcentral)
        wait_synced(qloop, session, qcentral, business.id)
        ui = registry_ui(session)
        menu = QMenu()
        ui.tree_menu("grid", "", [TileSource("c", "t", "", "", business.id)], menu)
        assert "Edit community…" in [a.text() for a in menu.actions()]
        dialog = kept(qtbot, run(qloop, ui.edit_place("grid", business.id)))
        assert isinstance(dialog, CommunityDialog)
        type_into(qtbot, dialog, "officer_phone", "0477-8581234")
        dialog.save_button.click()
        wait_until(qloop, lambda: not dialog.isVisible(), 20, "the accepted save")
        grid = run(qloop, qcentral.read(lambda s: s.get(Grid, business.grid_id)))
        assert grid.officer_phone == "0477-8581234" and grid.version == 2
    finally:
        stop(qloop, session)


def test_a_new_installation_gets_its_districts_from_the_console(qloop, qtbot, qcentral,
                                                                tmp_path) -> None:
    """A bureau's registry starts empty and a ledger naming an unknown district is refused:
    a city-wide administrator adds the district first (Registry → New district…), and it
    reaches central and comes back through the feed like any other row."""
    from db.models import District

    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        ui = registry_ui(session)
        assert "New district…" in [a.text() for a in ui.menu.actions()]
        dialog = kept(qtbot, run(qloop, ui.new_district()))
        dialog.save_button.click()
        assert dialog.isVisible() and dialog.errors["name"].isVisibleTo(dialog)  # required
        type_into(qtbot, dialog, "name", "杭锦旗")
        type_into(qtbot, dialog, "name_en", "Hanggin Banner")
        dialog.save_button.click()
        wait_until(qloop, lambda: not dialog.isVisible(), 20, "the accepted save")
        stored = run(qloop, qcentral.read(lambda s: s.scalars(
            select(District).where(District.name == "杭锦旗")).one()))
        assert stored.name_en == "Hanggin Banner" and stored.id == dialog.ident
    finally:
        stop(qloop, session)


def test_a_district_administrator_is_not_offered_new_districts(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QMainWindow

    from console.sync.store import LocalStore

    window = QMainWindow()
    qtbot.addWidget(window)
    window.help_menu = window.menuBar().addMenu("Help")  # type: ignore[attr-defined]
    window.tree_menu_hooks = []  # type: ignore[attr-defined]
    store = LocalStore(tmp_path / "local.db")
    try:
        ui = RegistryUi(window, store, {"role": "admin", "district_id": "D02"})
        titles = [a.text() for a in ui.menu.actions()]
        assert "New district…" not in titles and "New street / township…" in titles
    finally:
        store.close()


def confirm_retire(dialog: RecordDialog) -> None:
    from PySide6.QtWidgets import QPushButton

    box = dialog.ask_retire()
    assert box is not None and box.isVisible()
    assert "alarms, tasks and audit entries stay" in box.text()
    yes = box.findChild(QPushButton, "registry-retire-yes")
    assert yes is not None
    yes.click()


def test_a_sensor_is_edited_and_retired_and_refusals_are_explained(qloop, qtbot, qcentral,
                                                                    tmp_path) -> None:
    from PySide6.QtWidgets import QPushButton

    from console.registry.dialogs import SensorDialog
    from console.registry.sensor_list import SensorListDialog
    from db.models import Alarm, Sensor
    from domain.alarms import AlarmKind, AlarmState, Severity

    sensor = run(qloop, qcentral.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.district_id == "D01", Sensor.kind == "special_room")
        .order_by(Sensor.id).limit(1)).one()))
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        wait_synced(qloop, session, qcentral, sensor.business_id)

        async def sensor_synced() -> bool:
            return await session.store.read(lambda s: s.get(Sensor, sensor.id)) is not None

        wait_until(qloop, sensor_synced, 20, "the sensor in the local cache")
        ui = registry_ui(session)
        # The business's sensors are listed with their limits; editing one opens its form.
        picked: list[str | None] = []
        chooser = kept(qtbot, run(qloop, ui.sensors(sensor.business_id)))
        assert isinstance(chooser, SensorListDialog) and chooser.list.count() >= 1
        chooser.on_edit = picked.append
        chooser.findChild(QPushButton, "sensor-edit").click()
        assert picked and picked[0] is not None
        shot(chooser, "registry-sensor-list")
        dialog = kept(qtbot, run(qloop, ui.sensor(sensor.business_id, sensor.id)))
        assert isinstance(dialog, SensorDialog) and dialog.retire_button.isVisibleTo(dialog)
        assert dialog.inputs["kind"].isEnabled()  # an existing sensor's kind can change
        labels = [dialog.form.labelForField(dialog.inputs[k].parentWidget()).text()
                  for k in dialog.specs if k.startswith("param:")]
        assert any("-20…60 °C" in text for text in labels), labels
        type_into(qtbot, dialog, "param:max_temp", "95")  # no kitchen room is held to 95 °C
        assert dialog.errors["param:max_temp"].isVisibleTo(dialog)
        dialog.save_button.click()
        assert dialog.isVisible() and dialog.status.text() == ""
        type_into(qtbot, dialog, "param:max_temp", "6")
        type_into(qtbot, dialog, "location", "后厨冷藏柜")
        from PySide6.QtWidgets import QScrollArea

        qtbot.waitExposed(dialog)
        scroll = dialog.findChild(QScrollArea)
        assert not scroll.horizontalScrollBar().isVisible()  # the long limits' labels fit
        shot(dialog, "registry-sensor-edit")
        dialog.save_button.click()
        wait_until(qloop, lambda: not dialog.isVisible(), 20, "the accepted save")
        stored = run(qloop, qcentral.read(lambda s: s.get(Sensor, sensor.id)))
        assert (stored.params.get("max_temp"), stored.location, stored.version) == \
            (6.0, "后厨冷藏柜", sensor.version + 1)

        # Retiring someone else changed meanwhile: refused as stale, reloaded, then retired.
        async def local_version() -> int:
            row = await session.store.read(lambda s: s.get(Sensor, sensor.id))
            return row.version if row is not None else 0

        wait_until(qloop, lambda: _eq(qloop, local_version, sensor.version + 1), 20,
                   "the saved sensor back from the feed")
        retiring = kept(qtbot, run(qloop, ui.sensor(sensor.business_id, sensor.id)))

        def other_admin(s: Any) -> None:
            from central import changes

            row = s.get(Sensor, sensor.id)
            row.interval_s, row.version = 30, row.version + 1
            changes.record(s, row)

        run(qloop, qcentral.write(other_admin))
        confirm_retire(retiring)
        wait_until(qloop, lambda: "meanwhile" in retiring.status.text(), 20, "the stale retire")
        assert retiring.isVisible() and retiring.version == sensor.version + 2
        confirm_retire(retiring)
        wait_until(qloop, lambda: not retiring.isVisible(), 20, "the retirement")
        assert run(qloop, qcentral.read(lambda s: s.get(Sensor, sensor.id))) is None

        # A camera with an open alarm is not retired, and the reason says why.
        camera = run(qloop, qcentral.read(lambda s: s.scalars(
            select(Camera).where(Camera.district_id == "D01").order_by(Camera.id)
            .limit(1)).one()))

        def open_alarm(s: Any) -> None:
            from datetime import UTC, datetime

            s.add(Alarm(kind=AlarmKind.DEVICE_OFFLINE, subtype="offline",
                        severity=Severity.MINOR, state=AlarmState.OPEN,
                        district_id=camera.district_id, business_id=camera.business_id,
                        camera_id=camera.id, message="offline",
                        condition_key=f"device_offline:{camera.id}",
                        opened_at=datetime.now(UTC), last_seen_at=datetime.now(UTC)))

        run(qloop, qcentral.write(open_alarm))
        cam_dialog = kept(qtbot, run(qloop, ui.camera(camera.business_id, camera.id)))
        type_into(qtbot, cam_dialog, "name", "用户正在改的名字")
        confirm_retire(cam_dialog)
        wait_until(qloop, lambda: "Not retired" in cam_dialog.status.text(), 20,
                   "the in-use refusal")
        assert "open alarms" in cam_dialog.status.text()
        assert cam_dialog.inputs["name"].text() == "用户正在改的名字"
        shot(cam_dialog, "registry-camera-in-use")
        assert run(qloop, qcentral.read(lambda s: s.get(Camera, camera.id))) is not None
    finally:
        stop(qloop, session)


def _eq(qloop, read: Any, expected: Any) -> Any:
    async def check() -> bool:
        return await read() == expected
    return check()
