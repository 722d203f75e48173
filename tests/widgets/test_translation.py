"""Strings reach Qt's translator under the contexts lupdate extracts them with.

A Chinese translation for a handful of strings is compiled with lrelease and installed; the
widgets must then show (and export) Chinese. This catches strings marked in a way lupdate
cannot see or with a context that differs from the one used at run time.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from tests.widgets.conftest import NOW, alarm, task
from widgets.alarm_list import AlarmListWidget
from widgets.dialogs import common_dismiss_reasons
from widgets.dispatch_dialog import default_checklists
from widgets.gauges import CabinetGauge
from widgets.task_board import TaskBoard

TRANSLATIONS = {
    ("AlarmTableModel", "Last seen"): "最后出现",
    ("AlarmTableModel", "Business"): "经营主体",
    ("AlarmListWidget", "Last 24 hours"): "最近 24 小时",
    ("Labels", "Rodent"): "鼠患",
    ("Labels", "Open"): "待处理",
    ("CabinetGauge", "Holding"): "保温中",
    ("DismissReasons", "False alarm: it was the owner's cat"): "误报：是店主的猫",
    ("Checklists", "Check for rodent holes, droppings and gnaw marks"): "检查鼠洞、鼠粪和咬痕",
    ("TaskBoard", "Deadline"): "期限",
    ("TaskBoard", "Any age"): "不限时长",
    ("Duration", "%1 h"): "%1 小时",
}


def _lrelease() -> str | None:
    exe = Path(sys.executable).with_name("pyside6-lrelease")
    return str(exe) if exe.exists() else shutil.which("pyside6-lrelease")


@pytest.fixture
def chinese(qapp, tmp_path):
    lrelease = _lrelease()
    if lrelease is None:
        pytest.skip("pyside6-lrelease not available to compile a test translation")
    contexts: dict[str, list[str]] = {}
    for (ctx, src), tr in TRANSLATIONS.items():
        src_x = src.replace("&", "&amp;").replace("'", "&apos;")
        contexts.setdefault(ctx, []).append(
            f"<message><source>{src_x}</source><translation>{tr}</translation></message>")
    ts = tmp_path / "zh_CN.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
        + "".join(f"<context><name>{c}</name>{''.join(m)}</context>"
                  for c, m in contexts.items()) + "</TS>", encoding="utf-8")
    qm = tmp_path / "zh_CN.qm"
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True,
                   timeout=60)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_alarm_list_header_cells_and_csv_in_chinese(chinese, qtbot, tmp_path) -> None:
    w = AlarmListWidget(clock=lambda: NOW)
    qtbot.addWidget(w)
    w.replace_alarms([alarm(1, kind="ai_violation", subtype="rodent")])
    m = w.model
    assert m.headerData(0, Qt.Orientation.Horizontal) == "最后出现"
    assert m.data(m.index(0, m.column_index("type"))) == "鼠患"
    assert m.data(m.index(0, m.column_index("state"))) == "待处理"
    assert w.time_box.itemText(2) == "最近 24 小时"
    path = tmp_path / "a.csv"
    w.export_csv(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[0] == "最后出现" and header[3] == "经营主体"


def test_gauge_dialog_texts_and_task_board_in_chinese(chinese, qtbot) -> None:
    from datetime import timedelta

    gauge = CabinetGauge()
    qtbot.addWidget(gauge)
    for i, v in enumerate([30, 90, 121, 122]):
        gauge.update_reading(NOW + timedelta(seconds=30 * i), v, None, "normal")
    assert gauge.renderer.phase_text() == "保温中"
    assert common_dismiss_reasons("ai_violation", "rodent")[0] == "误报：是店主的猫"
    assert default_checklists()["ai_violation:rodent"][0] == "检查鼠洞、鼠粪和咬痕"
    board = TaskBoard(clock=lambda: NOW)
    qtbot.addWidget(board)
    board.replace_tasks([task(1, deadline=(NOW + timedelta(hours=5)).isoformat())])
    assert board.model.header()[0] == "期限"
    assert board.age_box.itemText(0) == "不限时长"
    # "%1 left" has no translation in this test file; the duration inside it does.
    assert board.model.data(board.model.index(0, 0)) == "5 小时 left"
