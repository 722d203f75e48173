"""One field of a ledger row: normalised to what the registry stores, or refused with a reason.

Ledgers are typed by many hands: full-width digits and spaces, trailing blanks, codes that
Excel turned into numbers, dates as text in three spellings or as serial numbers. Every rule
about a field lives here once; the import, the console's edit dialogs and central's actions
all call these functions, so a value accepted in one place is accepted everywhere.

A refused value raises :class:`FieldError` with a stable ``code`` (the console translates
codes, central answers with the English ``message``) and never echoes a credential: stream
addresses are masked in every message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from common.masking import mask_url
from domain.registry import BusinessCategory, SensorKind

# ----------------------------------------------------------------------------- reasons

#: Every reason code with its English message (``{placeholders}`` filled from the params).
#: The console keeps the Chinese of each code (console/ledger/reasons.py).
REASONS: dict[str, str] = {
    "required": "a value is required",
    "too_long": "longer than {limit} characters",
    "number_lost_digits": "the code was stored as a number and Excel kept only 15 digits; "
                          "format the column as text and type the code again",
    "credit_code_length": "a unified social credit code has 18 characters, this has {length}",
    "credit_code_chars": "a unified social credit code has digits and the capitals "
                         "0-9 A-H J-N P-R T U W-Y only, not {char!r}",
    "credit_code_check": "the check character of the unified social credit code is wrong "
                         "(expected {expected}), likely a typing error",
    "licence_format": "a food business licence number is JY and 14 digits",
    "gb_code_digits": "a GB/T 28181 code has 20 digits, this has {length}",
    "gb_code_chars": "a GB/T 28181 code has digits only",
    "phone_format": "not a mobile (11 digits) or landline (area code and number) phone number",
    "url_scheme": "a stream address starts with rtsp://, rtmp://, http(s):// or srt://: {url}",
    "url_host": "the stream address names no host: {url}",
    "url_port": "the stream address has an unusable port: {url}",
    "url_spaces": "the stream address contains spaces: {url}",
    "coordinate_number": "not a number of degrees",
    "latitude_range": "a latitude lies between -90 and 90",
    "longitude_range": "a longitude lies between -180 and 180",
    "coordinates_swapped": "latitude and longitude look swapped",
    "coordinates_pair": "give both latitude and longitude, or neither",
    "date_format": "not a date (use 2027-03-01, 2027/3/1 or 2027年3月1日)",
    "category_unknown": "unknown business category {value!r}",
    "sensor_kind_unknown": "unknown sensor kind {value!r}",
    "yes_no": "answer 是 or 否 (yes or no)",
    "number": "not a number",
    # Row and file level (ledger.check): the same vocabulary, so one table translates all.
    "duplicate_in_file": "{key} {value} appears again in this file (first at row {first_row})",
    "district_unknown": "unknown district {value!r}",
    "district_forbidden": "row of district {value!r}, outside your district",
    "street_new": "street {value!r} does not exist yet in {district} and will be created",
    "grid_new": "community {value!r} does not exist yet in {district} and will be created",
    "street_unknown": "street {value!r} is not in {district}",
    "business_unknown": "no business with this credit code or licence number: {value}",
    "business_key_missing": "neither a unified social credit code nor a licence number",
    "camera_key_missing": "neither a GB/T 28181 code nor a camera name",
    "camera_moves": "camera {value} belongs to another business now and will move to this one",
    "key_conflict": "licence {value} belongs to another business than this credit code",
    "business_invalid": "the business {value} has errors in its own row",
    "url_missing": "neither a main nor a sub stream address",
    "param_range": "outside {lo} to {hi} {unit}",
    "interval_range": "a reporting interval lies between 5 and 3600 seconds",
    "licence_expired": "the licence expired on {value}",
    "sheet_unknown": "sheet {sheet!r} is not a ledger of businesses, cameras or sensors",
    "header_missing": "no header row found (expected columns such as {expected})",
    "column_missing": "column {column!r} is missing",
    "file_unreadable": "the file cannot be read: {detail}",
    "file_format": "not an .xlsx or .csv file",
    "encoding": "the file is neither UTF-8 nor GB18030 text",
    "too_many_rows": "more than {limit} rows",
    "example_row": "the template's example row (name starting with 示例) is not imported",
}


def reason_message(code: str, params: dict[str, Any] | None = None) -> str:
    """The English message of ``code`` with its parameters filled in."""
    template = REASONS.get(code, code)
    try:
        return template.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template


@dataclass
class FieldError(ValueError):
    """A value the registry cannot take; ``code`` is stable, ``message`` is English."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return reason_message(self.code, self.params)

    def __str__(self) -> str:
        return self.message


# ----------------------------------------------------------------------------- text

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_DIRTY = re.compile(r"^\s|\s$|[^\S ]| {2}|[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ANY_SPACE = re.compile(r"\s")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def halfwidth(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, the ideographic space) as its ordinary form.

    Only for codes, numbers, phones, addresses of streams and dates: names keep their
    full-width brackets (``（二分店）``) because that is how the bureau writes them."""
    return text.translate(_FULLWIDTH)


def number_text(value: Any) -> str:
    """A cell that may hold a number as the text a person typed (``1.0`` → ``"1"``).

    Raises ``number_lost_digits`` for a float of more than 15 digits: Excel stored a code as a
    number and the digits after the 15th are gone, so guessing would import a wrong code."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer():
            if abs(value) >= 1e15:
                raise FieldError("number_lost_digits")
            return str(int(value))
        return repr(value)
    return str(value)


def text(value: Any, *, limit: int | None = None, required: bool = False) -> str:
    """A name or an address: trimmed, inner runs of spaces as one, invisible marks removed."""
    if value is None:
        out = ""
    elif isinstance(value, int | float) and not isinstance(value, bool):
        out = number_text(value)
    elif isinstance(value, datetime | date):
        out = value.isoformat()
    else:
        out = str(value)
        if _DIRTY.search(out):  # most cells are clean: one search instead of three passes
            out = _SPACES.sub(" ", out.translate(_INVISIBLE)).strip()
    if required and not out:
        raise FieldError("required")
    if limit is not None and len(out) > limit:
        raise FieldError("too_long", {"limit": limit})
    return out


def code_text(value: Any) -> str:
    """A code cell (credit code, licence, GB/T 28181, phone) as compact half-width text."""
    if value is None:
        return ""
    raw = number_text(value) if isinstance(value, int | float) else str(value)
    if raw.isascii() and not _ANY_SPACE.search(raw):
        return raw  # the usual case: nothing to convert
    return re.sub(r"[\s\u00a0]+", "", halfwidth(raw.translate(_INVISIBLE)))


# ----------------------------------------------------------------------------- codes

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015, modulus 31)."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code(value: Any) -> str:
    """统一社会信用代码: 18 characters of the GB 32100 alphabet with a correct check character
    ("" when the cell is empty: the licence number may identify the business instead)."""
    code = code_text(value).upper().replace("-", "")
    if not code:
        return ""
    return _checked_credit_code(code)


@lru_cache(maxsize=65536)  # a camera sheet repeats its business's code on every row
def _checked_credit_code(code: str) -> str:
    if len(code) != 18:
        raise FieldError("credit_code_length", {"length": len(code)})
    for char in code:
        if char not in CREDIT_CHARS:
            raise FieldError("credit_code_chars", {"char": char})
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise FieldError("credit_code_check", {"expected": expected})
    return code


_LICENCE = re.compile(r"^JY\d{14}$")


def licence_no(value: Any) -> str:
    """食品经营许可证编号: ``JY`` and 14 digits ("" when empty)."""
    code = code_text(value).upper().replace("-", "")
    if not code:
        return ""
    if not _LICENCE.match(code):
        raise FieldError("licence_format")
    return code


def gb_code(value: Any) -> str:
    """A GB/T 28181 device or channel code: exactly 20 digits ("" when empty)."""
    code = code_text(value)
    if not code:
        return ""
    if not code.isdigit() or not code.isascii():
        raise FieldError("gb_code_chars")
    if len(code) != 20:
        raise FieldError("gb_code_digits", {"length": len(code)})
    return code


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def phone(value: Any) -> str:
    """A mobile number (11 digits, ``+86`` dropped) or a landline with its area code, kept as
    ``0477-8581234``; "" when empty."""
    raw = code_text(value).replace("（", "(").replace("）", ")").replace("—", "-")
    raw = raw.replace("(", "").replace(")", "-").replace("－", "-").strip("-")
    if not raw:
        return ""
    digits = raw.replace("-", "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(raw):
        return raw
    raise FieldError("phone_format")


# ----------------------------------------------------------------------------- streams

STREAM_SCHEMES = frozenset({"rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "srt"})


def stream_url(value: Any) -> str:
    """A camera's main, sub or playback address ("" when empty).

    Credentials in the address are kept (the wall needs them) but every message masks them."""
    url = halfwidth(text(value))
    if not url:
        return ""
    return _checked_url(url)


_WHITESPACE = re.compile(r"\s")


@lru_cache(maxsize=4096)
def _checked_url(url: str) -> str:
    if _WHITESPACE.search(url):
        raise FieldError("url_spaces", {"url": mask_url(url)})
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FieldError("url_port", {"url": mask_url(url)}) from None
    if parts.scheme.lower() not in STREAM_SCHEMES:
        raise FieldError("url_scheme", {"url": mask_url(url)})
    if not parts.hostname:
        raise FieldError("url_host", {"url": mask_url(url)})
    if port == 0:
        raise FieldError("url_port", {"url": mask_url(url)})
    return url


# ----------------------------------------------------------------------------- numbers


def number(value: Any) -> float | None:
    """A plain number cell (None when empty)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        out = float(halfwidth(text(value)).replace(",", ""))
    except ValueError:
        raise FieldError("number") from None
    if math.isnan(out) or math.isinf(out):
        raise FieldError("number")
    return out


def coordinates(latitude: Any, longitude: Any) -> tuple[float | None, float | None]:
    """WGS-84 degrees; both or neither. Swapped columns are recognised for China's longitudes
    (73-135 °E never fit a latitude) and refused rather than silently turned around."""
    try:
        lat = number(latitude)
        lon = number(longitude)
    except FieldError:
        raise FieldError("coordinate_number") from None
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        raise FieldError("coordinates_pair")
    if abs(lat) > 90 and abs(lon) <= 90:
        raise FieldError("coordinates_swapped")
    if abs(lat) > 90:
        raise FieldError("latitude_range")
    if abs(lon) > 180:
        raise FieldError("longitude_range")
    return lat, lon


# ----------------------------------------------------------------------------- dates

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's phantom 1900-02-29 included)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
NO_EXPIRY = frozenset({"长期", "长期有效", "永久", "无", "-", "/"})


def date_value(value: Any) -> date | None:
    """A date from a cell: a date, an Excel serial number, or text in the spellings ledgers
    use (``2027-03-01``, ``2027/3/1``, ``2027.3.1``, ``2027年3月1日``, ``20270301``).
    None for an empty cell or a licence valid without end (长期)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000101 <= value <= 29991231 and float(value).is_integer():
            return date_value(str(int(value)))
        if 1 <= value <= 2958465:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise FieldError("date_format")
    raw = halfwidth(text(value)).replace(" ", "")
    if not raw or raw in NO_EXPIRY:
        return None
    raw = raw.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", raw) else raw
    raw = re.sub(r"\s*0?0:00:00$", "", raw)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    if re.fullmatch(r"\d{5}(\.\d+)?", raw):  # a serial number that arrived as text (CSV)
        return date_value(float(raw))
    raise FieldError("date_format")


# ----------------------------------------------------------------------------- vocabularies

#: 业态 as ledgers spell them → the registry's category.
CATEGORY_LABELS: dict[str, str] = {
    "特大型餐馆": BusinessCategory.EXTRA_LARGE, "特大型": BusinessCategory.EXTRA_LARGE,
    "大型餐馆": BusinessCategory.LARGE, "大型": BusinessCategory.LARGE,
    "中型餐馆": BusinessCategory.MEDIUM, "中型": BusinessCategory.MEDIUM,
    "小型餐馆": BusinessCategory.SMALL, "小型": BusinessCategory.SMALL,
    "小餐饮": BusinessCategory.SMALL, "小餐馆": BusinessCategory.SMALL,
    "饮品店": BusinessCategory.BEVERAGE, "饮品": BusinessCategory.BEVERAGE,
    "学校食堂": BusinessCategory.SCHOOL_CANTEEN, "托幼机构食堂": BusinessCategory.SCHOOL_CANTEEN,
    "养老机构食堂": BusinessCategory.ELDERLY_CANTEEN,
    "养老院食堂": BusinessCategory.ELDERLY_CANTEEN,
    "医院食堂": BusinessCategory.HOSPITAL_CANTEEN,
    "医疗机构食堂": BusinessCategory.HOSPITAL_CANTEEN,
    "机关食堂": BusinessCategory.GOVERNMENT_CANTEEN,
    "机关单位食堂": BusinessCategory.GOVERNMENT_CANTEEN,
    "单位食堂": BusinessCategory.GOVERNMENT_CANTEEN,
}
#: The label the template and the export write for each category (the first spelling above).
CATEGORY_NAMES: dict[str, str] = {}
for _label, _category in CATEGORY_LABELS.items():
    CATEGORY_NAMES.setdefault(_category, _label)

SENSOR_KIND_LABELS: dict[str, str] = {
    "专间温湿度": SensorKind.SPECIAL_ROOM, "专间温湿度计": SensorKind.SPECIAL_ROOM,
    "专间": SensorKind.SPECIAL_ROOM,
    "消毒柜": SensorKind.DISINFECTION_CABINET, "消毒柜温度": SensorKind.DISINFECTION_CABINET,
    "冷藏": SensorKind.REFRIGERATOR, "冷藏柜": SensorKind.REFRIGERATOR,
    "冰箱": SensorKind.REFRIGERATOR,
    "冷冻": SensorKind.FREEZER, "冷冻柜": SensorKind.FREEZER, "冰柜": SensorKind.FREEZER,
}
SENSOR_KIND_NAMES: dict[str, str] = {}
for _label, _kind in SENSOR_KIND_LABELS.items():
    SENSOR_KIND_NAMES.setdefault(_kind, _label)


def category(value: Any) -> str:
    """业态: a ledger's label (or the registry's own value) → :class:`BusinessCategory`."""
    label = text(value, required=True)
    key = label.replace(" ", "")
    if key in CATEGORY_LABELS:
        return CATEGORY_LABELS[key]
    if key.lower() in set(BusinessCategory):
        return key.lower()
    raise FieldError("category_unknown", {"value": label})


def sensor_kind(value: Any) -> str:
    label = text(value, required=True)
    key = label.replace(" ", "")
    if key in SENSOR_KIND_LABELS:
        return SENSOR_KIND_LABELS[key]
    if key.lower() in set(SensorKind):
        return key.lower()
    raise FieldError("sensor_kind_unknown", {"value": label})


_YES = frozenset({"是", "y", "yes", "true", "1", "公开", "√", "✓"})
_NO = frozenset({"否", "n", "no", "false", "0", "不公开", "", "×", "✗"})


def yes_no(value: Any) -> bool:
    """是/否 (and the English, 1/0, ticks); an empty cell is no."""
    if isinstance(value, bool):
        return value
    key = halfwidth(text(value)).lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise FieldError("yes_no")
