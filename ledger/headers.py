"""Which column is which: the header spellings real ledgers use, per kind of sheet.

A bureau's ledger names the same column in many ways (商户名称, 单位名称, 经营者名称) and
decorates it (``统一社会信用代码*``, ``许可证编号（必填）``, a full-width space inside).
Headers are compared after :func:`normalise`; the header row is the first row near the top
that names at least two known columns, so title rows and merged cells above it are skipped.

Real ledgers also group columns under a merged cell: "包保责任人" over "姓名 | 电话", "摄像头"
over "主码流 | 子码流". A workbook keeps a merged cell's text in its first cell only (the
others read as empty), and a CSV saved from it leaves the continuation blank, so both look
the same here: a header row whose blanks continue the group to their left, and a row under it
naming the parts. :func:`two_row_columns` reads such a pair; it is taken when it names more
columns than the top row alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledger.fields import halfwidth

BUSINESSES, CAMERAS, SENSORS = "businesses", "cameras", "sensors"
KINDS = (BUSINESSES, CAMERAS, SENSORS)

# The business a camera or sensor belongs to is named by the same keys in every sheet.
_BUSINESS_REF: dict[str, tuple[str, ...]] = {
    "business_credit_code": ("统一社会信用代码", "社会信用代码", "信用代码",
                             "商户统一社会信用代码", "credit code"),
    "business_licence_no": ("许可证编号", "食品经营许可证编号", "许可证号", "经营许可证编号",
                            "食品经营许可证号", "licence no", "license no"),
    "business_name": ("商户名称", "单位名称", "经营者名称", "企业名称", "店铺名称", "主体名称",
                      "所属商户", "所属单位", "business"),
}

#: kind → field → header spellings (the first is what the template writes).
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    BUSINESSES: {
        "name": ("商户名称", "单位名称", "经营者名称", "企业名称", "店铺名称", "主体名称",
                 "名称", "name"),
        "credit_code": _BUSINESS_REF["business_credit_code"],
        "licence_no": _BUSINESS_REF["business_licence_no"],
        "licence_expiry": ("有效期至", "许可证有效期", "许可证有效期至", "有效期",
                           "有效期截止日期", "许可证到期日期", "到期日期", "licence expiry"),
        "district": ("所属区县", "辖区", "区县", "所属辖区", "所在区县", "区(县)", "区/县",
                     "所属区(县)", "district"),
        "street": ("街道/乡镇", "街道", "乡镇", "所属街道", "街道(乡镇)", "乡镇(街道)",
                   "所属街道(乡镇)", "乡镇/街道", "street"),
        "grid": ("社区/网格", "社区", "网格", "所属社区", "所属网格", "村(社区)", "社区(村)",
                 "community"),
        "category": ("业态", "经营类别", "经营业态", "类别", "单位类型", "主体业态",
                     "category"),
        "address": ("经营地址", "地址", "经营场所", "详细地址", "住所", "address"),
        "latitude": ("纬度", "latitude", "lat"),
        "longitude": ("经度", "longitude", "lng", "lon"),
        "official_name": ("包保责任人", "包保干部", "包保人", "包保责任人姓名"),
        "official_phone": ("包保责任人电话", "包保干部电话", "包保人电话", "包保干部联系电话",
                           "包保责任人联系电话"),
        "director_name": ("食品安全总监", "食品安全员", "食品安全总监/员", "食品安全总监姓名"),
        "director_phone": ("食品安全总监电话", "食品安全员电话", "总监电话",
                           "食品安全总监联系电话"),
        "contact_name": ("联系人", "负责人", "法定代表人(负责人)", "法定代表人", "法人",
                         "contact"),
        "contact_phone": ("联系电话", "联系人电话", "负责人电话", "电话", "手机", "phone"),
    },
    CAMERAS: {
        **_BUSINESS_REF,
        "gb_code": ("设备编码", "国标编码", "通道编码", "国标ID", "设备国标编码", "通道国标编码",
                    "GB28181编码", "gb code"),
        "name": ("通道名称", "摄像头名称", "点位名称", "设备名称", "camera"),
        "location": ("安装位置", "位置", "安装区域", "location"),
        "main_url": ("主码流", "主码流地址", "取流地址", "视频地址", "播放地址", "main stream"),
        "sub_url": ("子码流", "子码流地址", "辅码流", "辅码流地址", "sub stream"),
        "playback_url": ("回放地址", "录像地址", "录像回放地址", "playback"),
        "public": ("是否公开", "公开", "对公众展示", "public"),
    },
    SENSORS: {
        **_BUSINESS_REF,
        "kind": ("传感器类型", "监测类型", "类型", "设备类型", "sensor kind", "kind"),
        "location": ("安装位置", "位置", "location"),
        "camera_gb_code": ("关联摄像头编码", "摄像头编码", "同室摄像头编码", "关联通道编码"),
        "camera_name": ("关联摄像头", "同室摄像头", "关联通道名称"),
        "max_temp": ("温度上限", "最高温度", "温度上限(℃)", "max temp"),
        "min_temp": ("温度下限", "最低温度", "温度下限(℃)", "min temp"),
        "max_humidity": ("湿度上限", "最高湿度", "湿度上限(%)", "max humidity"),
        "target_temp": ("消毒温度", "目标温度", "消毒温度(℃)", "target temp"),
        "hold_min": ("消毒时长", "保持时间", "保持时间(分钟)", "消毒时长(分钟)", "hold min"),
        "interval_s": ("上报间隔", "上报间隔(秒)", "采样间隔", "采样间隔(秒)", "interval s"),
    },
}

#: Sheet names that say the kind (matched as substrings after normalising).
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    CAMERAS: ("摄像头", "摄像机", "监控", "通道", "视频", "camera"),
    SENSORS: ("传感器", "温湿度", "物联", "sensor"),
    BUSINESSES: ("商户", "单位", "主体", "企业", "台账", "餐饮", "business"),
}
#: A column that only this kind has: decides the kind when the sheet name does not.
DECIDING: dict[str, tuple[str, ...]] = {
    CAMERAS: ("gb_code", "main_url", "sub_url"),
    SENSORS: ("kind", "max_temp", "target_temp"),
    BUSINESSES: ("name", "district", "category", "address"),
}
HEADER_SEARCH_ROWS = 20  # title rows, notes and merged banners above the header


_DECORATION = re.compile(r"[*＊※]|[(（](必填|选填|必录|选录|可选|required|optional)[)）]")


def normalise(value: Any) -> str:
    """A header cell as compared: half-width, no spaces or line breaks, no ``*`` or
    ``（必填）`` marks, lower case; full-width brackets as ASCII ones."""
    if value is None:
        return ""
    out = halfwidth(str(value)).replace("（", "(").replace("）", ")").replace("／", "/")
    out = _DECORATION.sub("", out)
    out = re.sub(r"[\s\u00a0\u3000_]+", " ", out).strip().lower()
    return out.replace(" ", "") if not out.isascii() else out


_LOOKUP: dict[str, dict[str, str]] = {
    kind: {normalise(variant): name for name, variants in fields.items()
           for variant in variants}
    for kind, fields in HEADERS.items()
}


@dataclass(frozen=True)
class Header:
    """The header row of one sheet: where it is and which column holds which field."""

    kind: str
    row: int  # index in the rows given (0-based) of the header's last row: data follows it
    columns: dict[str, int]  # field → 0-based column index
    titles: dict[str, str]  # field → the header text as written (for messages)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def kind_from_sheet_name(name: str) -> str | None:
    key = normalise(name)
    for kind, words in SHEET_NAMES.items():
        if any(word in key for word in words):
            return kind
    return None


def match_row(kind: str, cells: Sequence[Any]) -> tuple[dict[str, int], dict[str, str]]:
    lookup = _LOOKUP[kind]
    columns: dict[str, int] = {}
    titles: dict[str, str] = {}
    for index, cell in enumerate(cells):
        name = lookup.get(normalise(cell))
        if name is not None and name not in columns:
            columns[name] = index
            titles[name] = str(cell).strip()
    return columns, titles


_NAME_PARTS = frozenset({"姓名", "名字", "名称", "name"})
_PHONE_PARTS = frozenset({"电话", "联系电话", "手机", "手机号", "手机号码", "电话号码", "phone"})


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def two_row_columns(kind: str, top: Sequence[Any], bottom: Sequence[Any]
                    ) -> tuple[dict[str, int], dict[str, str]]:
    """The columns named by a grouped header: ``top`` with group cells (blank where a merged
    group continues), ``bottom`` with the parts under them (blank under a cell merged down).

    A part is read with its group first ("包保责任人" + "电话" = 包保责任人电话), then as a
    person's name or phone of the group ("联系人" + "姓名" = 联系人), then alone ("摄像头" +
    "主码流" = 主码流): so "电话" under 包保责任人 is never taken for the contact's phone."""
    lookup = _LOOKUP[kind]
    width = max(len(top), len(bottom))
    columns: dict[str, int] = {}
    titles: dict[str, str] = {}
    group, group_has_parts = "", False
    for index in range(width):
        upper = _text(top[index]) if index < len(top) else ""
        lower = _text(bottom[index]) if index < len(bottom) else ""
        if upper:
            group, group_has_parts = upper, bool(lower)
        elif not (lower and group and group_has_parts):
            group = ""  # a blank above a part that follows no group: no group
        if not lower:
            candidates = [upper] if upper else []
            title = upper
        else:
            owner = upper or group
            part = normalise(lower)
            candidates = []
            if owner:
                candidates.append(owner + lower)
                if part in _NAME_PARTS:
                    candidates.append(owner)
                elif part in _PHONE_PARTS:
                    candidates += [owner + "电话", owner + "联系电话"]
            candidates.append(lower)
            title = f"{owner}/{lower}" if owner else lower
        for candidate in candidates:
            name = lookup.get(normalise(candidate))
            if name is not None:
                if name not in columns:
                    columns[name] = index
                    titles[name] = title
                break
    return columns, titles


def find_header(rows: Sequence[Sequence[Any]], sheet_name: str = "") -> Header | None:
    """The header of a sheet from its first rows, or None when no row names two columns.

    The kind is the sheet name's when it says one (摄像头台账); otherwise the kind whose
    deciding columns the header has (a GB/T 28181 code → cameras)."""
    named = kind_from_sheet_name(sheet_name)
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in cells if c is not None and str(c).strip()) < 2:
            continue
        candidates = [named] if named else list(KINDS)
        below = rows[index + 1] if index + 1 < len(rows) else None
        best: Header | None = None
        for kind in candidates:
            found = [(index, *match_row(kind, cells))]
            if below is not None:
                found.append((index + 1, *two_row_columns(kind, cells, below)))
            for last, columns, titles in found:
                if len(columns) < 2:
                    continue
                if not named and not any(f in columns for f in DECIDING[kind]):
                    continue
                if best is None or len(columns) > len(best.columns):
                    best = Header(kind, last, columns, titles)
        if best is not None:
            return best
    return None
