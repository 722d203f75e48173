"""Ledgers with two header rows: a merged group cell over its parts ("包保责任人" over
"姓名 | 电话", "摄像头" over "主码流 | 子码流"), as real bureaus lay them out, in workbooks
written by openpyxl with real merged cells and in CSV files Excel saved from them."""

from __future__ import annotations

from pathlib import Path

from ledger.check import check_files
from ledger.headers import find_header
from ledger.known import Known
from tests.ledger.conftest import credit, write_xlsx

CODE1, CODE2 = "34020000001320000001", "34020000001320000002"


def _known() -> Known:
    known = Known()
    known.add_district("D01", "康巴什区")
    return known


def _businesses_rows() -> list[list[object]]:
    return [
        ["康巴什区餐饮服务单位台账"],  # a title over everything (merged A1:I1)
        ["商户名称", "统一社会信用代码", "所属区县", "业态", "包保责任人", None,
         "食品安全总监", None, "联系电话"],
        [None, None, None, None, "姓名", "电话", "姓名", "手机", None],
        ["老王家牛肉面", credit(1), "康巴什区", "小型餐馆", "李干部", "13900000001",
         "王总监", "13900000002", "13900000003"],
        ["草原酒楼", credit(2), "康巴什区", "中型餐馆", "赵干部", "13900000011",
         None, None, "13900000013"],
    ]


def _cameras_rows() -> list[list[object]]:
    return [
        ["统一社会信用代码", "设备编码", "安装位置", "摄像头", None, "是否公开"],
        [None, None, None, "主码流", "子码流", None],
        [credit(1), CODE1, "后厨", "rtsp://10.0.0.5/main", "rtsp://10.0.0.5/sub", "否"],
        [credit(2), CODE2, "凉菜专间", "rtsp://10.0.0.6/main", None, "是"],
    ]


def _assert_read(result) -> None:  # type: ignore[no-untyped-def]
    assert result.errors == [], [e.as_dict() for e in result.errors]
    wang, grass = result.rows["businesses"]
    assert (wang["name"], wang["official_name"], wang["official_phone"]) == \
        ("老王家牛肉面", "李干部", "13900000001")
    assert (wang["director_name"], wang["director_phone"], wang["contact_phone"]) == \
        ("王总监", "13900000002", "13900000003")  # 电话 under a group is not the contact's
    assert (grass["official_name"], grass["official_phone"]) == ("赵干部", "13900000011")
    first, second = result.rows["cameras"]
    assert (first["gb_code"], first["main_url"], first["sub_url"]) == \
        (CODE1, "rtsp://10.0.0.5/main", "rtsp://10.0.0.5/sub")
    assert (second["main_url"], second["public"]) == ("rtsp://10.0.0.6/main", True)


def test_a_workbook_with_merged_group_headers_is_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "台账.xlsx",
                      {"商户台账": _businesses_rows(), "摄像头台账": _cameras_rows()},
                      merged={"商户台账": ["A1:I1", "E2:F2", "G2:H2", "A2:A3", "B2:B3",
                                           "C2:C3", "D2:D3", "I2:I3"],
                              "摄像头台账": ["D1:E1", "A1:A2", "B1:B2", "C1:C2", "F1:F2"]})
    result = check_files([(path.name, path.read_bytes())], _known())
    _assert_read(result)


def test_csv_files_with_a_blank_continued_first_row_are_read(tmp_path: Path) -> None:
    def csv_text(rows: list[list[object]]) -> str:
        return "".join(",".join("" if c is None else str(c) for c in row) + "\r\n"
                       for row in rows)

    businesses = csv_text(_businesses_rows()).encode("gb18030")  # Chinese Excel's "CSV"
    cameras = csv_text(_cameras_rows()).encode("utf-8-sig")
    result = check_files([("商户台账.csv", businesses), ("摄像头台账.csv", cameras)], _known())
    _assert_read(result)


def test_problems_name_the_excel_row_under_a_two_row_header(tmp_path: Path) -> None:
    rows = _cameras_rows()
    rows[3][1] = "3402"  # not 20 digits: Excel row 4 (two header rows, then row 3 is fine)
    path = write_xlsx(tmp_path / "cams.xlsx", {"摄像头台账": rows},
                      merged={"摄像头台账": ["D1:E1"]})
    known = _known()
    known.credit_codes[credit(1)] = ("B1", "D01")
    known.credit_codes[credit(2)] = ("B2", "D01")
    result = check_files([(path.name, path.read_bytes())], known)
    assert [(e.row, e.column.split()[0]) for e in result.errors] == [(4, "B")]
    assert result.errors[0].column == "B 设备编码"
    assert len(result.rows["cameras"]) == 1


def test_a_header_over_its_first_data_row_is_not_taken_for_a_group() -> None:
    header = find_header([["商户名称", "所属区县", "联系人", "联系电话"],
                          ["老王家", "康巴什区", "电话", "姓名"]], "商户")
    assert header is not None and header.row == 0
    assert header.columns == {"name": 0, "district": 1, "contact_name": 2, "contact_phone": 3}
