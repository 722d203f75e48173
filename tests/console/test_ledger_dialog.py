"""The console's ledger import: the dry run runs off the UI thread with its progress, Cancel
really stops it, problems are listed in the interface language and exported as CSV."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

import console.ledger.dialog as dialog_module
from console.ledger.dialog import ImportDialog
from ledger.known import Known
from tests.ledger.conftest import credit, write_xlsx

HEADER = ["商户名称", "统一社会信用代码", "许可证编号", "所属区县", "业态"]


def _known() -> Known:
    known = Known()
    known.add_district("D01", "康巴什区")
    return known


def _bad_workbook(tmp_path: Path) -> bytes:
    return write_xlsx(tmp_path / "b.xlsx", {"商户": [
        ["台账"], HEADER,
        ["甲", credit(1), "JY11506020000001", "康巴什区", "小型餐馆"],
        ["乙", credit(2), "JY11506020000001", "康巴什区", "小型餐馆"],
        ["丙", credit(3), "JY11506020000003", "火星区", "小型餐馆"],
    ]}).read_bytes()


def test_dry_run_lists_problems_and_offers_the_valid_rows(qtbot, tmp_path: Path) -> None:
    dialog = ImportDialog(None, None, {"role": "admin"})
    qtbot.addWidget(dialog)
    main_thread = threading.get_ident()
    seen: list[int] = []
    real = dialog_module.check_sheets

    def spy(*args, **kwargs):
        seen.append(threading.get_ident())
        return real(*args, **kwargs)

    dialog_module.check_sheets = spy
    try:
        dialog.start_dry_run([("b.xlsx", _bad_workbook(tmp_path))], _known())
        qtbot.waitUntil(lambda: dialog.checked is not None, timeout=10000)
    finally:
        dialog_module.check_sheets = real
    assert seen and seen[0] != main_thread  # checked off the UI thread
    assert dialog.table.rowCount() == 2
    rows = {dialog.table.item(r, 3).data(0): dialog.table.item(r, 5).text()
            for r in range(dialog.table.rowCount())}
    assert "row 3" in rows[4] and "unknown district" in rows[5]
    assert dialog.import_button.text().startswith("Import 1 ")
    assert not dialog.import_button.isEnabled()  # no server in this test
    assert dialog.progress.value() == 100
    csv_text = dialog.problems_csv().decode("utf-8-sig")
    assert "火星区" in csv_text and csv_text.splitlines()[0].startswith("Severity")


def test_cancel_really_stops_the_check(qtbot, tmp_path: Path, monkeypatch) -> None:
    started, go = threading.Event(), threading.Event()
    real = dialog_module.read_file

    def slow_read(*args, **kwargs):
        started.set()
        go.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "read_file", slow_read)
    lines = [",".join(HEADER)] + [f"店{i},{credit(100 + i)},JY1150602{i:07d},康巴什区,小型餐馆"
                                  for i in range(3000)]
    data = "\n".join(lines).encode("utf-8")
    checked: list[int] = []
    real_business = dialog_module.check_sheets

    def counting(*args, **kwargs):
        result = real_business(*args, **kwargs)
        checked.append(sum(result.read.values()))
        return result

    monkeypatch.setattr(dialog_module, "check_sheets", counting)
    dialog = ImportDialog(None, None, {"role": "admin"})
    qtbot.addWidget(dialog)
    dialog.start_dry_run([("big.csv", data)], _known())
    assert started.wait(10)
    assert dialog.cancel_button.isEnabled()
    dialog.cancel()
    go.set()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10000)
    assert dialog.checked is None and checked == []  # stopped before the check finished
    assert "Cancelled" in dialog.status.text()
    assert not dialog.import_button.isEnabled()


@pytest.fixture
def chinese(qapp):
    translator = QTranslator()
    qm = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "kitchenwatch_zh_CN.qm"
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(QLocale.c())


def test_reasons_are_shown_in_chinese(qtbot, tmp_path: Path, chinese) -> None:
    dialog = ImportDialog(None, None, {"role": "admin"})
    qtbot.addWidget(dialog)
    dialog.start_dry_run([("b.xlsx", _bad_workbook(tmp_path))], _known())
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=10000)
    reasons = [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
    assert any("未知区县" in r and "火星区" in r for r in reasons), reasons
    assert any("重复出现" in r for r in reasons), reasons


def test_the_console_knows_every_reason_central_gives() -> None:
    from console.ledger.reasons import REASON_TEXTS
    from ledger.fields import REASONS

    assert REASON_TEXTS == REASONS


def test_import_through_central_and_back_through_the_feed(qloop, qcentral, qtbot,
                                                         tmp_path: Path) -> None:
    """The dialog checks against the synced registry, sends the file to the real central,
    shows the counts, and the new business reaches this console's cache through the feed."""
    from sqlalchemy import select

    from console.ledger import local
    from console.sync.client import ApiClient
    from console.sync.puller import Puller
    from console.sync.store import LocalStore
    from db.models import Business
    from tests.console.conftest import DEMO_PASSWORD, run, wait_until

    store = LocalStore(tmp_path / "local.db")
    client = ApiClient(qcentral.url)
    try:
        run(qloop, client.login("admin", DEMO_PASSWORD))
        run(qloop, Puller(client, store).pull())
        data = write_xlsx(tmp_path / "new.xlsx", {"商户": [
            HEADER,
            ["新开的面馆", credit(77), "JY11506020000077", "康巴什区", "小型餐馆"],
            ["外区的饭店", credit(78), "JY11506020000078", "火星区", "小型餐馆"],
        ]}).read_bytes()
        dialog = ImportDialog(client, store, client.user)
        qtbot.addWidget(dialog)
        known = run(qloop, store.read(local.known))
        dialog.start_dry_run([("new.xlsx", data)], known)
        qtbot.waitUntil(lambda: dialog.checked is not None, timeout=10000)
        assert dialog.import_button.isEnabled()
        assert dialog.import_button.text() == "Import 1 valid rows"
        dialog.start_import()
        wait_until(qloop, lambda: dialog.answer is not None, 30, "the import's answer")
        assert dialog.answer["applied"] is True
        assert dialog.answer["businesses"]["added"] == 1
        assert "1 added" in dialog.status.text()
        assert dialog.table.rowCount() == 1  # central's own error for the unknown district
        run(qloop, Puller(client, store).pull())
        names = run(qloop, store.read(lambda s: set(s.scalars(select(Business.name)))))
        assert "新开的面馆" in names and "外区的饭店" not in names
    finally:
        run(qloop, client.close())
        store.close()
