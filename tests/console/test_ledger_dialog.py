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
