"""The ledger template: one workbook with a sheet per kind, the headers the import reads, an
example row and drop-down lists (district, street, category, sensor kind).

Written with openpyxl (no hand-made XML). The export (ledger/export.py) writes the registry
into the very same layout, so an exported workbook can be edited and imported back: every
code column is formatted as text, so Excel never turns a 20-digit camera code into
``3.402E+19``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from ledger.fields import CATEGORY_NAMES, SENSOR_KIND_NAMES, credit_check_char
from ledger.headers import BUSINESSES, CAMERAS, HEADERS, SENSORS

#: The sheets of the template, in order, with their names.
SHEET_TITLES = {BUSINESSES: "商户台账", CAMERAS: "摄像头台账", SENSORS: "传感器台账"}
LISTS_SHEET = "选项"
#: Columns per sheet, in order (field names of ledger.headers.HEADERS).
COLUMNS: dict[str, tuple[str, ...]] = {
    BUSINESSES: ("name", "credit_code", "licence_no", "licence_expiry", "district", "street",
                 "grid", "category", "address", "latitude", "longitude", "official_name",
                 "official_phone", "director_name", "director_phone", "contact_name",
                 "contact_phone"),
    CAMERAS: ("business_name", "business_credit_code", "business_licence_no", "gb_code",
              "name", "location", "main_url", "sub_url", "playback_url", "public"),
    SENSORS: ("business_name", "business_credit_code", "business_licence_no", "kind",
              "location", "camera_gb_code", "camera_name", "max_temp", "min_temp",
              "max_humidity", "target_temp", "hold_min", "interval_s"),
}
TEXT_COLUMNS = frozenset({"credit_code", "licence_no", "business_credit_code",
                          "business_licence_no", "gb_code", "camera_gb_code", "official_phone",
                          "director_phone", "contact_phone"})
WIDTHS = {"name": 28, "business_name": 28, "address": 36, "main_url": 44, "sub_url": 44,
          "playback_url": 44, "credit_code": 22, "business_credit_code": 22, "gb_code": 24,
          "camera_gb_code": 24, "licence_no": 20, "business_licence_no": 20}
FIRST_ROW = 2  # row 1: the headers (a template has no title row; the import accepts one)
MAX_VALIDATED_ROWS = 20000


def header_text(kind: str, name: str) -> str:
    return HEADERS[kind][name][0]


@dataclass
class Places:
    """The names the drop-down lists offer."""

    districts: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=lambda: list(CATEGORY_NAMES.values()))
    sensor_kinds: list[str] = field(default_factory=lambda: list(SENSOR_KIND_NAMES.values()))


def _example_rows(places: Places) -> dict[str, list[dict[str, Any]]]:
    credit = "91150602MA0N2XQW3"
    credit += credit_check_char(credit)
    district = places.districts[0] if places.districts else "康巴什区"
    street = places.streets[0] if places.streets else "青春山街道"
    return {
        BUSINESSES: [{"name": "示例：老王家牛肉面", "credit_code": credit,
                      "licence_no": "JY11506020001234", "licence_expiry": date(2028, 3, 1),
                      "district": district, "street": street, "grid": "康城社区",
                      "category": CATEGORY_NAMES["small"], "address": "康和路88号",
                      "latitude": 39.6083, "longitude": 109.7813, "official_name": "王建国",
                      "official_phone": "13800000000", "director_name": "李秀英",
                      "director_phone": "13900000000", "contact_name": "王海军",
                      "contact_phone": "0477-8581234"}],
        CAMERAS: [{"business_name": "示例：老王家牛肉面", "business_credit_code": credit,
                   "business_licence_no": "JY11506020001234",
                   "gb_code": "15060200001320000001", "name": "后厨操作间",
                   "location": "后厨操作间",
                   "main_url": "rtsp://192.168.1.64:554/Streaming/Channels/101",
                   "sub_url": "rtsp://192.168.1.64:554/Streaming/Channels/102",
                   "playback_url": "", "public": "否"}],
        SENSORS: [{"business_name": "示例：老王家牛肉面", "business_credit_code": credit,
                   "business_licence_no": "JY11506020001234",
                   "kind": SENSOR_KIND_NAMES["special_room"], "location": "凉菜专间",
                   "camera_gb_code": "15060200001320000001", "camera_name": "",
                   "max_temp": 25, "max_humidity": 80, "interval_s": 30}],
    }


def _lists_sheet(workbook: Any, places: Places) -> dict[str, str]:
    """The drop-down lists on a hidden sheet (a list written into the validation itself is
    limited to 255 characters: a city's streets do not fit)."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for column, (name, values) in enumerate((("district", places.districts),
                                             ("street", places.streets),
                                             ("category", places.categories),
                                             ("kind", places.sensor_kinds)), 1):
        letter = chr(ord("A") + column - 1)
        sheet.cell(row=1, column=column, value=name)
        for row, value in enumerate(dict.fromkeys(values), 2):
            sheet.cell(row=row, column=column, value=value)
        if values:
            ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(set(values)) + 1}"
    return ranges


def write_workbook(stream: IO[bytes], rows: dict[str, Iterable[dict[str, Any]]],
                   places: Places, *, blank_text_rows: int = 200) -> dict[str, int]:
    """Write the three sheets with ``rows`` (ledger field names → values); returns the
    number of rows written per kind. ``blank_text_rows`` empty rows below the data get the
    text format in code columns, for what a person types in next."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    for first in list(workbook.worksheets):  # the default empty sheet
        workbook.remove(first)
    counts: dict[str, int] = {}
    sheets = {kind: workbook.create_sheet(title) for kind, title in SHEET_TITLES.items()}
    ranges = _lists_sheet(workbook, places)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for kind, sheet in sheets.items():
        columns = COLUMNS[kind]
        for index, name in enumerate(columns, 1):
            cell = sheet.cell(row=1, column=index, value=header_text(kind, name))
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center")
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 14)
        sheet.freeze_panes = "A2"
        count = 0
        for count, row in enumerate(rows.get(kind, ()), 1):
            for index, name in enumerate(columns, 1):
                value = row.get(name)
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=FIRST_ROW + count - 1, column=index, value=value)
                if name in TEXT_COLUMNS:
                    cell.value = str(value)
                    cell.number_format = "@"
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        counts[kind] = count
        last = max(FIRST_ROW + count + 1000, 1000)
        last = min(last, FIRST_ROW + MAX_VALIDATED_ROWS + count)
        for index, name in enumerate(columns, 1):
            letter = get_column_letter(index)
            if name in TEXT_COLUMNS:  # typed into later: kept as text, not a number
                for row_number in range(FIRST_ROW + count, FIRST_ROW + count + blank_text_rows):
                    sheet.cell(row=row_number, column=index).number_format = "@"
            source = {"district": "district", "street": "street", "category": "category",
                      "kind": "kind"}.get(name)
            if source and source in ranges:
                validation = DataValidation(type="list", formula1=f"={ranges[source]}",
                                            allow_blank=True, showErrorMessage=False)
                validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
                sheet.add_data_validation(validation)
            if name == "public":
                validation = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
                validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
                sheet.add_data_validation(validation)
    workbook.active = 0
    workbook.save(stream)
    return counts


def template_bytes(places: Places) -> bytes:
    """The template workbook (an example row per sheet) as .xlsx bytes."""
    stream = io.BytesIO()
    write_workbook(stream, dict(_example_rows(places)), places)
    return stream.getvalue()

