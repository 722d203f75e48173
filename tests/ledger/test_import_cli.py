"""``kitchenwatch-central import`` with files as bureaus keep them: title rows and merged cells
above the header, blank rows, full-width digits, serial dates, codes stored as numbers,
GB18030 CSV; the last line one JSON object; all valid rows or none."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from central.__main__ import main as central_main
from central.database import Database
from db.models import AuditEntry, Business, Camera, ChangeLog, District, Grid, Sensor, Street
from tests.ledger.conftest import credit, write_xlsx

FW = str.maketrans("0123456789JY", "０１２３４５６７８９ＪＹ")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    database = Database(url)
    database.write_sync(lambda s: s.add_all([
        District(id="D01", name="康巴什区", name_en="Kangbashi District"),
        District(id="D02", name="东胜区", name_en="Dongsheng District")]))
    database.close()
    return url


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = central_main(["import", *args])
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1])


def _count(url: str, model: Any) -> int:
    database = Database(url, migrate=False)
    try:
        return database.read_sync(lambda s: s.scalar(select(func.count()).select_from(model)))
    finally:
        database.close()


BUSINESS_HEADER = ["商户名称*", "统一社会信用代码（必填）", "食品经营许可证编号", "有效期至",
                   "所属区县", "街道/乡镇", "社区", "业态", "联系电话", "纬度", "经度"]


def dirty_workbook(path: Path) -> Path:
    """Two businesses and three cameras as a district office would send them."""
    return write_xlsx(path, {
        "餐饮单位": [
            ["康巴什区餐饮服务单位明厨亮灶台账（2026年）"],
            ["填报单位：康巴什区市场监督管理局", None, None, "填报日期：2026年3月"],
            BUSINESS_HEADER,
            ["老王家牛肉面 ", credit(1).translate(FW), "JY11506020000001".translate(FW),
             46447, "康巴什区 ", "青春山街道", "康城社区", "小型餐馆", 13812345678, "39.61",
             "109.78"],
            [None, None, None, None, None, None, None, None, None],
            ["  ", None],
            ["草原酒楼", credit(2), "JY11506020000002", "2027年3月1日", "康巴什", "滨河街道",
             None, "中型 餐馆", "０４７７－８５８１２３４", None, None],
        ],
        "摄像头台账": [
            ["摄像头点位表"],
            ["商户名称", "统一社会信用代码", "设备编码", "通道名称", "主码流地址", "子码流地址",
             "是否公开"],
            ["老王家牛肉面", credit(1), "34020000001320000001", "后厨操作间",
             "rtsp://admin:pw@10.0.0.5:554/main", "rtsp://admin:pw@10.0.0.5:554/sub", "否"],
            ["老王家牛肉面", credit(1), "34020000001320000002", "凉菜专间",
             "rtsp://10.0.0.6/main", "", "是"],
            ["草原酒楼", credit(2), "３４０２００００００１３２００００００３", "后厨", "",
             "http://10.0.0.7/live.flv", None],
        ],
        "传感器": [
            ["统一社会信用代码", "传感器类型", "安装位置", "关联摄像头编码", "温度上限"],
            [credit(1), "专间温湿度", "凉菜专间", "34020000001320000002", 25],
        ],
    }, merged={"餐饮单位": ["A1:K1"], "摄像头台账": ["A1:G1"]})


def test_a_dirty_workbook_imports_and_the_same_file_twice_changes_nothing(
        tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = dirty_workbook(tmp_path / "台账.xlsx")
    code, result = _run(capsys, str(path), "--db", db_url)
    assert code == 0, result["errors"]
    assert result["applied"] is True and result["errors"] == []
    assert result["businesses"] == {"added": 2, "updated": 0, "unchanged": 0}
    assert result["cameras"] == {"added": 3, "updated": 0, "unchanged": 0}
    assert result["sensors"] == {"added": 1, "updated": 0, "unchanged": 0}
    # New streets and a community are created, and said so as warnings.
    assert {w["code"] for w in result["warnings"]} == {"street_new", "grid_new"}
    database = Database(db_url, migrate=False)
    try:
        rows = database.read_sync(lambda s: {b.name: b for b in s.scalars(select(Business))})
        wang = rows["老王家牛肉面"]
        assert wang.credit_code == credit(1) and wang.licence_no == "JY11506020000001"
        assert wang.licence_expiry == date(2027, 3, 1)  # serial 46447
        assert wang.contact_phone == "13812345678" and wang.district_id == "D01"
        assert (wang.latitude, wang.longitude) == (39.61, 109.78)
        assert rows["草原酒楼"].licence_expiry == date(2027, 3, 1)
        assert rows["草原酒楼"].contact_phone == "0477-8581234"
        assert rows["草原酒楼"].category == "medium"
        cams = database.read_sync(lambda s: {c.gb_code: c for c in s.scalars(select(Camera))})
        assert cams["34020000001320000003"].business_id == rows["草原酒楼"].id
        assert cams["34020000001320000002"].public is True
        sensor = database.read_sync(lambda s: s.scalar(select(Sensor)))
        assert sensor.camera_id == cams["34020000001320000002"].id
        assert sensor.params == {"max_temp": 25.0}
        streets = database.read_sync(lambda s: sorted(x.name for x in s.scalars(select(Street))))
        assert streets == ["滨河街道", "青春山街道"]
    finally:
        database.close()
    feed = _count(db_url, ChangeLog)
    audits = _count(db_url, AuditEntry)

    code, again = _run(capsys, str(path), "--db", db_url)
    assert code == 0
    for kind, n in (("businesses", 2), ("cameras", 3), ("sensors", 1)):
        assert again[kind] == {"added": 0, "updated": 0, "unchanged": n}
    assert _count(db_url, ChangeLog) == feed and _count(db_url, AuditEntry) == audits
    assert _count(db_url, Street) == 2 and _count(db_url, Grid) == 1


def test_problems_name_file_sheet_excel_row_and_column_and_nothing_is_written(
        tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", {
        "商户": [
            ["台账"],
            BUSINESS_HEADER,
            ["甲", credit(1), "JY11506020000001", "2020-01-01", "康巴什区", None, None, "小型餐馆"],
            ["乙", credit(2), "JY11506020000001", "2030-01-01", "康巴什区", None, None, "小型餐馆"],
            ["丙", credit(3), "JY11506020000003", "2030-01-01", "伊金霍洛旗", None, None, "小型"],
        ],
        "摄像头": [
            ["统一社会信用代码", "设备编码", "通道名称", "主码流"],
            [credit(1), "1506020000132000001", "后厨", "rtsp://a/b"],
            [credit(1), 34020000001320000005, "后厨2", "rtsp://a/c"],
            [credit(1), "34020000001320000006", "后厨3", "ftp://admin:S3cret@a/c"],
        ],
    })
    code, result = _run(capsys, str(path), "--db", db_url)
    assert code == 2 and result["applied"] is False
    by_code = {e["code"]: e for e in result["errors"]}
    dup = by_code["duplicate_in_file"]
    assert (dup["file"], dup["sheet"], dup["row"]) == ("bad.xlsx", "商户", 4)
    assert dup["column"] == "C 食品经营许可证编号" and "row 3" in dup["reason"]
    assert by_code["district_unknown"]["row"] == 5
    assert by_code["district_unknown"]["column"] == "E 所属区县"
    assert by_code["gb_code_digits"]["row"] == 2 and by_code["gb_code_digits"]["column"] \
        == "B 设备编码"
    assert by_code["number_lost_digits"]["row"] == 3
    assert by_code["url_scheme"]["row"] == 4 and "S3cret" not in json.dumps(result)
    assert [w["code"] for w in result["warnings"]] == ["licence_expired"]
    assert result["warnings"][0]["row"] == 3
    assert _count(db_url, Business) == 0 and _count(db_url, ChangeLog) == 0

    # --skip-invalid: the valid rows go in, the errors are still listed.
    code, result = _run(capsys, str(path), "--db", db_url, "--skip-invalid")
    assert code == 0 and result["applied"] is True and result["errors"]
    assert result["businesses"]["added"] == 1  # 甲 (乙 repeats its licence, 丙 no district)
    assert _count(db_url, Business) == 1


def test_dry_run_counts_and_writes_nothing(tmp_path: Path, db_url: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = dirty_workbook(tmp_path / "台账.xlsx")
    code, result = _run(capsys, str(path), "--db", db_url, "--dry-run")
    assert code == 0 and result["applied"] is False and result["dry_run"] is True
    assert result["businesses"]["added"] == 2 and result["cameras"]["added"] == 3
    assert _count(db_url, Business) == 0 and _count(db_url, Street) == 0
    assert _count(db_url, ChangeLog) == 0


def test_csv_files_in_gb18030_and_utf8_with_bom(tmp_path: Path, db_url: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    businesses = tmp_path / "商户.csv"
    businesses.write_bytes(("\r\n".join([
        "东胜区餐饮单位台账,,,,",
        "单位名称,统一社会信用代码,许可证编号,许可证有效期,辖区,街道,经营类别",
        f"\"李记饺子馆，老店\",{credit(7)},JY12506020000007,2027/3/1,东胜区,交通街道,小型餐馆",
        ",,,,",
        f"赵家烧烤 ,{credit(8)},JY12506020000008,46447,东胜区,交通街道,饮品店",
    ]) + "\r\n").encode("gb18030"))
    cameras = tmp_path / "cameras.csv"
    cameras.write_bytes(("\ufeff" + "\n".join([
        "许可证编号,国标编码,安装位置,主码流,子码流",
        "JY12506020000007,15060200001320000011,后厨,rtsp://10.1.1.1/m,rtsp://10.1.1.1/s",
    ]) + "\n").encode("utf-8"))
    code, result = _run(capsys, str(businesses), str(cameras), "--db", db_url)
    assert code == 0, result["errors"]
    assert result["businesses"]["added"] == 2 and result["cameras"]["added"] == 1
    database = Database(db_url, migrate=False)
    try:
        names = database.read_sync(lambda s: sorted(b.name for b in s.scalars(select(Business))))
        assert names == ["李记饺子馆，老店", "赵家烧烤"]
        cam = database.read_sync(lambda s: s.scalar(select(Camera)))
        assert cam.name == cam.location == "后厨" and cam.district_id == "D02"
    finally:
        database.close()


def test_unreadable_file_is_an_error_and_exit_2(tmp_path: Path, db_url: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(b"PK\x03\x04not really a zip")
    code, result = _run(capsys, str(broken), "--db", db_url)
    assert code == 2 and result["errors"][0]["code"] == "file_unreadable"
