"""The template a bureau fills in and the export of its registry: written with openpyxl,
read back by the import; an exported registry imported again changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from central import registry_write
from central.database import Database
from central.demo_registry import populate
from central.importer import ImportOptions, run_import
from db.models import Business, Camera, District, Grid, Sensor, Street
from ledger.check import check_files
from ledger.export import Registry, export_bytes
from ledger.known import Known
from ledger.template import Places, template_bytes


def test_template_has_headers_an_example_and_drop_down_lists() -> None:
    data = template_bytes(Places(districts=["康巴什区", "东胜区"], streets=["青春山街道"]))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[:3] == ["商户台账", "摄像头台账", "传感器台账"]
    sheet = workbook["商户台账"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["商户名称", "统一社会信用代码", "许可证编号", "有效期至", "所属区县"]
    assert sheet["A2"].value.startswith("示例") and sheet["B2"].number_format == "@"
    lists = {str(v.sqref).split(":")[0][0]: v.formula1
             for v in sheet.data_validations.dataValidation}
    assert lists["E"] == "=选项!$A$2:$A$3"  # district
    assert lists["F"] == "=选项!$B$2:$B$2"  # street
    assert lists["H"] == "=选项!$C$2:$C$10"  # category
    assert workbook["选项"].sheet_state == "hidden"
    assert [c.value for c in workbook["选项"]["C"]][1] == "特大型餐馆"
    kinds = workbook["传感器台账"].data_validations.dataValidation
    assert any(v.formula1.startswith("=选项!$D$") for v in kinds)  # sensor kinds
    # The example row is recognised and not imported; the template itself checks clean.
    known = Known()
    known.add_district("D01", "康巴什区")
    result = check_files([("template.xlsx", data)], known)
    assert result.errors == [] and result.valid_rows() == 0
    assert {w.code for w in result.warnings} == {"example_row"}


def test_an_exported_registry_imports_back_unchanged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    database = Database(url)
    try:
        database.write_sync(lambda s: populate(s, 30, 5, "rtsp://u:p@media:554"))

        def snapshot(session) -> Registry:
            def rows(model):
                return [dict(r._mapping) for r in session.execute(model.__table__.select())]
            return Registry(districts=rows(District), streets=rows(Street), grids=rows(Grid),
                            businesses=rows(Business), cameras=rows(Camera),
                            sensors=rows(Sensor))

        registry = database.read_sync(snapshot)
        data = export_bytes(registry)
        result = run_import(database, [("export.xlsx", data)], ImportOptions(actor="t"))
        known = database.read_sync(registry_write.load_known)
    finally:
        database.close()
    assert result["errors"] == [] and result["applied"] is True
    assert result["businesses"] == {"added": 0, "updated": 0, "unchanged": 30}
    assert result["cameras"]["unchanged"] == len(registry.cameras)
    assert result["sensors"]["unchanged"] == len(registry.sensors)
    assert result["cameras"]["added"] == result["sensors"]["added"] == 0
    assert len(known.credit_codes) == 30
    sheet = load_workbook(io.BytesIO(data))["摄像头台账"]
    assert sheet["D2"].number_format == "@" and len(sheet["D2"].value) == 20
