"""The import's own workbook reader gives the values openpyxl gives, for workbooks written by
openpyxl both ways (shared and inline strings), with dates, numbers, booleans, formulas'
cached text, gaps, merged cells and a hidden sheet."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from ledger.read import read_xlsx

ROWS: list[list[Any]] = [
    ["康巴什区台账"],
    [],
    ["商户名称", "统一社会信用代码", "有效期至", "电话", "纬度", "公开", None, "备注"],
    ["老王家牛肉面", "91150602MA0N000001", datetime(2027, 3, 1), 13812345678, 39.61, True,
     None, "  尾随空格  "],
    ["草原酒楼", 91150602000000002, date(2027, 3, 2), "0477-8581234", "39.6", False],
    [None, None, None, None, None, None, None, "只有最后一列"],
    ["１２３", 1.5e-7, 46447, -3, 0, "=not a formula", "", "x"],
]


def _openpyxl_values(data: bytes) -> list[tuple[str, bool, list[tuple[int, list[Any]]]]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    for sheet in book.worksheets:
        hidden = sheet.sheet_state != "visible"
        rows: list[tuple[int, list[Any]]] = []
        if not hidden:
            sheet.reset_dimensions()
            for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
                values = list(cells)
                while values and values[-1] in (None, ""):
                    values.pop()
                if values:
                    rows.append((number, values))
        out.append((sheet.title, hidden, rows))
    book.close()
    return out


@pytest.mark.parametrize("write_only", [False, True])
def test_the_reader_gives_what_openpyxl_gives(tmp_path: Path, write_only: bool) -> None:
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    sheet = book.create_sheet("商户台账")
    for row in ROWS:
        sheet.append(row)
    if not write_only:
        sheet["C7"].number_format = "yyyy\"年\"m\"月\"d\"日\""  # a serial shown as a date
        sheet.merge_cells("A1:H1")
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont

        sheet["A8"] = CellRichText(["老王家", TextBlock(InlineFont(b=True), "牛肉面")])
    helper = book.create_sheet("选项")
    helper.append(["小型餐馆"])
    helper.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    book.save(path)
    data = path.read_bytes()
    ours = [(s.name, s.hidden, s.rows) for s in read_xlsx("book.xlsx", data)]
    assert ours == _openpyxl_values(data)
    rows = dict(ours[0][2])
    assert rows[4][2] == datetime(2027, 3, 1) and rows[4][3] == 13812345678
    assert rows[6] == [None, None, None, None, None, None, None, "只有最后一列"]
    assert 2 not in rows  # the blank row is left out, and the numbers stay Excel's
    if not write_only:
        assert rows[8] == ["老王家牛肉面"]  # rich text: its runs joined
    assert ours[1][1] is True and ours[1][2] == []
