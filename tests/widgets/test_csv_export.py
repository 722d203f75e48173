"""CSV exports cannot smuggle a formula into the operator's spreadsheet (OWASP "CSV
injection"): text that starts like a formula gets a leading ``'``, numbers stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from widgets.alarm_list import AlarmListWidget
from widgets.csv_export import safe_cell, write_csv
from widgets.task_board import TaskBoard

from .conftest import NOW, alarm, task

EVIL = '=HYPERLINK("http://evil","x")'


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_a_formula_becomes_text_and_a_negative_number_stays_a_number(tmp_path) -> None:
    path = tmp_path / "rows.csv"
    rows = [[EVIL, -5.2, "-5.2"], ["+86 13800001234", 3, "@SUM(A1:A9)"],
            ["\tcmd", "\r=1+1", "－1+1"], ["正常店名", None, "-5.2 °C"]]
    assert write_csv(path, ["Business", "Value", "Text"], rows) == 4
    back = read_back(path)
    assert back[0] == ["Business", "Value", "Text"]
    assert back[1] == ["'" + EVIL, "-5.2", "-5.2"]
    assert back[2] == ["'+86 13800001234", "3", "'@SUM(A1:A9)"]
    assert back[3] == ["'\tcmd", "'\r=1+1", "'－1+1"]
    assert back[4] == ["正常店名", "", "'-5.2 °C"]


@pytest.mark.parametrize("value, expected", [
    (-5.2, -5.2), (0, 0), (-3, -3), (1e-3, 1e-3), ("-5.2", "-5.2"), ("+7", "+7"),
    ("-1e3", "-1e3"), ("-1+1", "'-1+1"), ("=1", "'=1"), ("@x", "'@x"), ("a=b", "a=b"),
    ("", ""), (None, ""), (True, "True"), (float("nan"), "nan"), ("-", "'-"),
    ("＝cmd|' /C calc'!A0", "'＝cmd|' /C calc'!A0"),
])
def test_each_cell(value, expected) -> None:
    assert safe_cell(value) == expected


def test_the_task_board_export_neutralises_a_business_name(qtbot, tmp_path) -> None:
    board = TaskBoard(clock=lambda: NOW)
    qtbot.addWidget(board)
    board.replace_tasks([task(1, business_name=EVIL), task(2, title="-rm -rf")])
    path = tmp_path / "tasks.csv"
    assert board.export_csv(path) == 2
    rows = read_back(path)
    business = rows[0].index("Business")
    cells = [row[business] for row in rows[1:]]
    assert "'" + EVIL in cells and EVIL not in cells
    title = rows[0].index("Task")
    assert "'-rm -rf" in [row[title] for row in rows[1:]]


def test_the_alarm_list_export_neutralises_a_business_name(qtbot, tmp_path) -> None:
    widget = AlarmListWidget(clock=lambda: NOW)
    qtbot.addWidget(widget)
    widget.replace_alarms([alarm(1, business_name=EVIL)])
    path = tmp_path / "alarms.csv"
    assert widget.export_csv(path) == 1
    rows = read_back(path)
    flat = [cell for row in rows[1:] for cell in row]
    assert "'" + EVIL in flat and EVIL not in flat
