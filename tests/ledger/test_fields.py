"""Field rules: what real ledgers contain is normalised, what the registry cannot use is refused
with a specific reason, and no message ever shows a stream password."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ledger import fields
from ledger.fields import FieldError


def _code(call, *args):
    with pytest.raises(FieldError) as info:
        call(*args)
    return info.value.code


def test_credit_code_check_character_per_gb_32100() -> None:
    # Known valid codes (check characters computed by GB 32100-2015's modulus 31).
    body = "91150602MA0N2XQW3"
    good = body + fields.credit_check_char(body)
    assert fields.credit_code(good) == good
    assert fields.credit_code(" " + good.lower() + "　") == good  # case, spaces, full-width space
    full = good.translate({ord(c): ord(c) + 0xFEE0 for c in good})  # typed on a Chinese IME
    assert fields.credit_code(full) == good
    wrong = body + ("0" if good[-1] != "0" else "1")
    assert _code(fields.credit_code, wrong) == "credit_code_check"
    assert _code(fields.credit_code, good[:-1]) == "credit_code_length"
    assert _code(fields.credit_code, "91150602MA0N2XQWI3") == "credit_code_chars"  # I
    assert fields.credit_code(None) == ""
    # Published codes of well-known companies pass the check.
    for code in ("91330100799655058B", "91110108551385082Q", "91440300708461136T",
                 "914403001922038216"):
        assert fields.credit_code(code) == code


def test_licence_and_gb_codes_stored_as_numbers() -> None:
    assert fields.licence_no("jy１１５０６０２０００１２３４") == "JY11506020001234"
    assert _code(fields.licence_no, "JY115060200012") == "licence_format"
    assert fields.gb_code(34020000001320000001) == "34020000001320000001"  # an int cell
    assert fields.gb_code("3402 0000 0013 2000 0001") == "34020000001320000001"
    assert _code(fields.gb_code, 3.4020000001320001e19) == "number_lost_digits"  # a float
    assert _code(fields.gb_code, "3402000000132000001") == "gb_code_digits"
    assert _code(fields.gb_code, "3402000000132000000A") == "gb_code_chars"


def test_phones() -> None:
    assert fields.phone("138 1234 5678") == "13812345678"
    assert fields.phone("+86 13812345678") == "13812345678"
    assert fields.phone(13812345678) == "13812345678"
    assert fields.phone("１３８１２３４５６７８") == "13812345678"
    assert fields.phone("0477-8581234") == "0477-8581234"
    assert fields.phone("(0477)8581234") == "0477-8581234"
    assert _code(fields.phone, "1381234567") == "phone_format"
    assert _code(fields.phone, "8581234") == "phone_format"


def test_stream_urls_never_show_a_password() -> None:
    url = "rtsp://admin:S3cret@10.1.2.3:554/Streaming/Channels/101"
    assert fields.stream_url(" " + url + " ") == url
    assert fields.stream_url("ｒｔｓｐ://10.1.2.3/ch1") == "rtsp://10.1.2.3/ch1"
    for bad, code in (("ftp://admin:S3cret@10.1.2.3/x", "url_scheme"),
                      ("rtsp://admin:S3cret@/x", "url_host"),
                      ("rtsp://admin:S3cret@10.1.2.3:99999/x", "url_port"),
                      ("rtsp://admin:S3cret@10.1.2.3/a b", "url_spaces"),
                      ("10.1.2.3:554/ch1", "url_scheme")):
        with pytest.raises(FieldError) as info:
            fields.stream_url(bad)
        assert info.value.code == code, bad
        assert "S3cret" not in info.value.message and "S3cret" not in str(info.value)


def test_dates_as_ledgers_write_them() -> None:
    want = date(2027, 3, 1)
    for value in ("2027-03-01", "2027/3/1", "2027.3.1", "2027年3月1日", "２０２７年３月１日",
                  "20270301", 20270301, 46447, 46447.0, "46447", datetime(2027, 3, 1, 0, 0),
                  want, "2027-03-01 00:00:00"):
        assert fields.date_value(value) == want, value
    assert fields.date_value("长期") is None
    assert fields.date_value("") is None
    assert _code(fields.date_value, "2027-02-30") == "date_format"
    assert _code(fields.date_value, "next spring") == "date_format"


def test_coordinates_text_and_categories() -> None:
    assert fields.coordinates("39.61", "109.78") == (39.61, 109.78)
    assert fields.coordinates(None, "") == (None, None)
    assert _code(fields.coordinates, "109.78", "39.61") == "coordinates_swapped"
    assert _code(fields.coordinates, "39.61", None) == "coordinates_pair"
    assert _code(fields.coordinates, "北纬39", "109") == "coordinate_number"
    assert fields.text("  老王家\u3000 牛肉面 \u200b") == "老王家 牛肉面"
    assert fields.text("小李（二分店）") == "小李（二分店）"  # names keep full-width brackets
    assert _code(lambda: fields.text("", required=True)) == "required"
    assert fields.category(" 学校食堂 ") == "school_canteen"
    assert fields.category("small") == "small"
    assert _code(fields.category, "夜市摊") == "category_unknown"
    assert fields.sensor_kind("消毒柜") == "disinfection_cabinet"
    assert fields.yes_no("是") is True and fields.yes_no(None) is False
    assert _code(fields.yes_no, "也许") == "yes_no"


def test_every_reason_has_a_message() -> None:
    for code in fields.REASONS:
        assert fields.reason_message(code, {}) != ""
    assert "18" in fields.FieldError("credit_code_length", {"length": 17}).message
