# ruff: noqa: E501  (a table of messages: one per line reads best)
"""The ledger import's reason codes in the interface language.

Central and ``ledger.check`` give every problem a stable code, its English words and the
values they name; the console shows the translation of the code's words with the same values
(``{value}``), so a Chinese interface shows Chinese reasons for problems found on either side.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from resources.i18n import QT_TRANSLATE_NOOP

#: Reason code → its English words, marked for translation (ledger.fields.REASONS has the
#: same words; tests/ledger keeps the two equal).
REASON_TEXTS: dict[str, str] = {
    'required': QT_TRANSLATE_NOOP("LedgerReason", 'a value is required'),
    'too_long': QT_TRANSLATE_NOOP("LedgerReason", 'longer than {limit} characters'),
    'number_lost_digits': QT_TRANSLATE_NOOP("LedgerReason", 'the code was stored as a number and Excel kept only 15 digits; format the column as text and type the code again'),
    'credit_code_length': QT_TRANSLATE_NOOP("LedgerReason", 'a unified social credit code has 18 characters, this has {length}'),
    'credit_code_chars': QT_TRANSLATE_NOOP("LedgerReason", 'a unified social credit code has digits and the capitals 0-9 A-H J-N P-R T U W-Y only, not {char!r}'),
    'credit_code_check': QT_TRANSLATE_NOOP("LedgerReason", 'the check character of the unified social credit code is wrong (expected {expected}), likely a typing error'),
    'licence_format': QT_TRANSLATE_NOOP("LedgerReason", 'a food business licence number is JY and 14 digits'),
    'gb_code_digits': QT_TRANSLATE_NOOP("LedgerReason", 'a GB/T 28181 code has 20 digits, this has {length}'),
    'gb_code_chars': QT_TRANSLATE_NOOP("LedgerReason", 'a GB/T 28181 code has digits only'),
    'phone_format': QT_TRANSLATE_NOOP("LedgerReason", 'not a mobile (11 digits) or landline (area code and number) phone number'),
    'url_scheme': QT_TRANSLATE_NOOP("LedgerReason", 'a stream address starts with rtsp://, rtmp://, http(s):// or srt://: {url}'),
    'url_host': QT_TRANSLATE_NOOP("LedgerReason", 'the stream address names no host: {url}'),
    'url_port': QT_TRANSLATE_NOOP("LedgerReason", 'the stream address has an unusable port: {url}'),
    'url_spaces': QT_TRANSLATE_NOOP("LedgerReason", 'the stream address contains spaces: {url}'),
    'coordinate_number': QT_TRANSLATE_NOOP("LedgerReason", 'not a number of degrees'),
    'latitude_range': QT_TRANSLATE_NOOP("LedgerReason", 'a latitude lies between -90 and 90'),
    'longitude_range': QT_TRANSLATE_NOOP("LedgerReason", 'a longitude lies between -180 and 180'),
    'coordinates_swapped': QT_TRANSLATE_NOOP("LedgerReason", 'latitude and longitude look swapped'),
    'coordinates_pair': QT_TRANSLATE_NOOP("LedgerReason", 'give both latitude and longitude, or neither'),
    'date_format': QT_TRANSLATE_NOOP("LedgerReason", 'not a date (use 2027-03-01, 2027/3/1 or 2027年3月1日)'),
    'category_unknown': QT_TRANSLATE_NOOP("LedgerReason", 'unknown business category {value!r}'),
    'sensor_kind_unknown': QT_TRANSLATE_NOOP("LedgerReason", 'unknown sensor kind {value!r}'),
    'yes_no': QT_TRANSLATE_NOOP("LedgerReason", 'answer 是 or 否 (yes or no)'),
    'number': QT_TRANSLATE_NOOP("LedgerReason", 'not a number'),
    'duplicate_in_file': QT_TRANSLATE_NOOP("LedgerReason", '{key} {value} appears again in this file (first at row {first_row})'),
    'district_unknown': QT_TRANSLATE_NOOP("LedgerReason", 'unknown district {value!r}'),
    'district_forbidden': QT_TRANSLATE_NOOP("LedgerReason", 'row of district {value!r}, outside your district'),
    'street_new': QT_TRANSLATE_NOOP("LedgerReason", 'street {value!r} does not exist yet in {district} and will be created'),
    'grid_new': QT_TRANSLATE_NOOP("LedgerReason", 'community {value!r} does not exist yet in {district} and will be created'),
    'street_unknown': QT_TRANSLATE_NOOP("LedgerReason", 'street {value!r} is not in {district}'),
    'business_unknown': QT_TRANSLATE_NOOP("LedgerReason", 'no business with this credit code or licence number: {value}'),
    'business_key_missing': QT_TRANSLATE_NOOP("LedgerReason", 'neither a unified social credit code nor a licence number'),
    'camera_key_missing': QT_TRANSLATE_NOOP("LedgerReason", 'neither a GB/T 28181 code nor a camera name'),
    'camera_moves': QT_TRANSLATE_NOOP("LedgerReason", 'camera {value} belongs to another business now and will move to this one'),
    'key_conflict': QT_TRANSLATE_NOOP("LedgerReason", 'licence {value} belongs to another business than this credit code'),
    'business_invalid': QT_TRANSLATE_NOOP("LedgerReason", 'the business {value} has errors in its own row'),
    'url_missing': QT_TRANSLATE_NOOP("LedgerReason", 'neither a main nor a sub stream address'),
    'param_range': QT_TRANSLATE_NOOP("LedgerReason", 'outside {lo} to {hi} {unit}'),
    'interval_range': QT_TRANSLATE_NOOP("LedgerReason", 'a reporting interval lies between 5 and 3600 seconds'),
    'licence_expired': QT_TRANSLATE_NOOP("LedgerReason", 'the licence expired on {value}'),
    'sheet_unknown': QT_TRANSLATE_NOOP("LedgerReason", 'sheet {sheet!r} is not a ledger of businesses, cameras or sensors'),
    'header_missing': QT_TRANSLATE_NOOP("LedgerReason", 'no header row found (expected columns such as {expected})'),
    'column_missing': QT_TRANSLATE_NOOP("LedgerReason", 'column {column!r} is missing'),
    'file_unreadable': QT_TRANSLATE_NOOP("LedgerReason", 'the file cannot be read: {detail}'),
    'file_format': QT_TRANSLATE_NOOP("LedgerReason", 'not an .xlsx or .csv file'),
    'encoding': QT_TRANSLATE_NOOP("LedgerReason", 'the file is neither UTF-8 nor GB18030 text'),
    'too_many_rows': QT_TRANSLATE_NOOP("LedgerReason", 'more than {limit} rows'),
    'example_row': QT_TRANSLATE_NOOP("LedgerReason", "the template's example row (name starting with 示例) is not imported"),
}


def reason_text(code: str, params: dict[str, Any] | None, english: str = "") -> str:
    """The reason in the interface language (``english`` for a code this console does not
    know yet: a newer central may have more)."""
    source = REASON_TEXTS.get(code)
    if source is None:
        return english or code
    words = QCoreApplication.translate("LedgerReason", source)
    try:
        return words.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return english or words
