"""The 清洗消毒台账 of one business as an Excel workbook, from the ledger rows central keeps.

Rows are plain dictionaries (``central.disinfection`` writes them from the cabinet sensors):
day, meal, sensor, start, reached, peak, hold, valid/missing. The sheet is laid out as the
paper ledgers bureaus ask kitchens to keep (date, meal, equipment, times, temperature, result,
recorded by), with a missing cycle in red so an inspector sees the gaps at a glance.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

MEALS_ZH = {"breakfast": "早餐", "lunch": "午餐", "dinner": "晚餐"}
HEADERS = ("日期", "餐次", "消毒设备", "开始时间", "达标时间", "最高温度 (°C)", "保温 (分钟)",
           "结果", "记录方式")
WIDTHS = (12, 8, 22, 10, 10, 14, 12, 26, 16)
MISSING_FILL = PatternFill("solid", fgColor="FFC9C9")


def _time(value: datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%H:%M") if value is not None else ""


def workbook_bytes(business: dict[str, Any], rows: Iterable[dict[str, Any]],
                   sensors: dict[str, str], first: date, last: date, tz: ZoneInfo) -> bytes:
    """The ledger of ``business`` (id, name, licence_no) for ``first``..``last``.

    ``sensors`` names each cabinet (its location, e.g. 洗消间) by sensor id."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "清洗消毒台账"
    sheet.append([f"{business['name']} 清洗消毒台账"])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([f"许可证编号：{business.get('licence_no') or '—'}    "
                  f"期间：{first.isoformat()} 至 {last.isoformat()}    "
                  f"依据：消毒柜温度传感器自动记录"])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    ordered = sorted(rows, key=lambda r: (r["day"], list(MEALS_ZH).index(r["meal"])
                                          if r["meal"] in MEALS_ZH else 9, r["sensor_id"]))
    for row in ordered:
        if row["missing"]:
            result = "缺失：餐前无合格消毒"
        elif row["valid"]:
            result = "合格"
        else:
            result = "不合格"
        peak = row.get("peak_c")
        held = row.get("held_min")
        sheet.append([row["day"].isoformat(), MEALS_ZH.get(row["meal"], row["meal"]),
                      sensors.get(row["sensor_id"], row["sensor_id"]),
                      _time(row.get("started_at"), tz), _time(row.get("ended_at"), tz),
                      round(peak, 1) if peak is not None else "",
                      round(held) if held is not None else "", result, "自动（传感器）"])
        if row["missing"] or not row["valid"]:
            for cell in sheet[sheet.max_row]:
                cell.fill = MISSING_FILL
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
