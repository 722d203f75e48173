"""Alarms read in the interface language, from their facts, not central's English text."""

from __future__ import annotations

from resources.i18n import install_translator
from widgets.alarm_text import describe
from widgets.models.rows import AlarmRow


def _row(**fields) -> AlarmRow:
    base = {"id": "a1", "kind": "sensor_threshold", "message": "temperature 28.3 °C above"}
    base.update(fields)
    return AlarmRow.from_payload(base, place=fields.pop("place", ""))


def test_chinese_sentences_carry_the_place_value_and_limit(qapp) -> None:
    assert install_translator(qapp, "zh_CN")
    try:
        hot = describe(_row(subtype="temp_high", value=28.34, threshold=25.0, sensor_id="s1",
                            place="凉菜专间"))
        assert "凉菜专间" in hot and "28.3" in hot and "25.0" in hot and "高于上限" in hot
        assert "above" not in hot
        ai = describe(_row(kind="ai_violation", subtype="smoking", value=0.91, camera_id="c1",
                           place="后厨操作间"))
        assert "吸烟" in ai and "91" in ai and "后厨操作间" in ai
        frozen = describe(_row(kind="device_offline", subtype="frozen", camera_id="c1"))
        assert frozen == "摄像头画面冻结"
    finally:
        install_translator(qapp, "en")


def test_english_sentences_and_the_servers_text_for_unknown_kinds(qapp) -> None:
    install_translator(qapp, "en")
    cycle = describe(_row(kind="disinfection_invalid", subtype="not_reached", value=98.0,
                          threshold=120.0, sensor_id="s2", place="消毒柜"))
    assert cycle == "消毒柜 — invalid disinfection cycle: it peaked at 98 °C, below the " \
                    "required 120 °C"
    unknown = _row(kind="water_leak", message="leak under the sink")
    assert describe(unknown) == "leak under the sink"  # a newer server's kind is not hidden


def test_tile_failure_reasons_are_translated_and_keep_their_details(qapp) -> None:
    from videowall.reason_text import translate_reason

    assert install_translator(qapp, "zh_CN")
    try:
        assert translate_reason("connection refused by 127.0.0.1:554") == \
            "127.0.0.1:554 拒绝连接"
        assert translate_reason("no new picture for 6 s (stalled)") == "6 秒无新画面（卡顿）"
        assert translate_reason("something new") == "something new"
    finally:
        install_translator(qapp, "en")
