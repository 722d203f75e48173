"""Business card: licence warnings, personal data masking, category in words."""

from __future__ import annotations

from datetime import date

import pytest

from tests.widgets.conftest import business
from widgets.business_card import BusinessCardWidget, licence_status
from widgets.models.masking import mask_name, mask_phone

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(("expiry", "state"), [
    (date(2026, 2, 28), "expired"),
    (date(2026, 3, 1), "expiring"),
    (date(2026, 3, 31), "expiring"),
    (date(2026, 4, 1), "valid"),
    (None, "unknown"),
])
def test_licence_status(expiry, state) -> None:
    assert licence_status(expiry, TODAY) == state


def test_masking_rules() -> None:
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张**") == "张**"  # already masked by the server: unchanged
    assert mask_phone("13800001234") == "138****1234"
    assert mask_phone("138****1234") == "138****1234"
    assert mask_phone("0477-8123456") == "047*****3456"
    assert mask_phone("12") == "**"
    assert mask_phone("") == ""


def test_card_shows_words_warnings_and_masks(qtbot) -> None:
    card = BusinessCardWidget(today=lambda: TODAY)
    qtbot.addWidget(card)
    card.set_card(business(licence_expiry="2026-02-01"))
    f = card.fields
    assert card.name_label.text() == "老王家常菜（康巴什店）"
    assert f["category"].text() == "School / kindergarten canteen"
    assert f["district"].text() == "康巴什区 / 青春山街道 / 青春山社区"
    assert "(expired)" in f["licence"].text() and "color" in f["licence"].styleSheet()
    assert f["official"].text() == "张伟 · 13800001234"
    assert f["history"].text() == "7 previous alarms · 2 open tasks"
    card.set_mask_personal(True)
    assert f["official"].text() == "张* · 138****1234"
    assert f["contact"].text() == "王** · 139****5678"
    card.set_card(business(licence_expiry="2027-01-01"))
    assert f["licence"].styleSheet() == "" and "expired" not in f["licence"].text()


def test_unknown_codes_are_shown_as_they_are(qapp) -> None:
    from widgets import labels

    assert labels.category("food_truck") == "food_truck"
    assert labels.alarm_type("ai_violation", "no_hairnet") == "no_hairnet"
    assert labels.alarm_type("ai_violation", "rodent") == "Rodent"
    assert labels.severity(9) == "9"
    assert labels.alarm_type("sensor_threshold", "temp_high") == "Temperature too high"
    assert labels.alarm_type("device_offline", "camera") == "Camera offline"
    assert labels.alarm_type("disinfection_invalid", "cycle") == "Disinfection cycle invalid"
