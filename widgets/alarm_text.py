"""What an alarm says, in the operator's language.

Central writes a short English ``message`` on every alarm for logs and for API clients, but an
operator in a Chinese interface must not read English sentences. The alarm also carries its
facts as data (kind, subtype, measured value, limit, the camera or sensor concerned), so the
console writes the sentence itself from those, through Qt's translator. Central's text is the
fallback for alarm kinds this console does not know yet (a newer server), never hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from resources.i18n import QT_TRANSLATE_NOOP
from widgets import labels
from widgets.formatting import number_text
from widgets.models.rows import AlarmRow

#: English sources (collected by lupdate), translated when a sentence is written.
SENTENCES = {
    "temp_high": QT_TRANSLATE_NOOP("AlarmText", "temperature %1 °C, above the limit of %2 °C"),
    "temp_low": QT_TRANSLATE_NOOP("AlarmText", "temperature %1 °C, below the limit of %2 °C"),
    "humidity_high": QT_TRANSLATE_NOOP("AlarmText",
                                       "humidity %1 %RH, above the limit of %2 %RH"),
    "no_disinfection": QT_TRANSLATE_NOOP("AlarmText",
                                         "no valid disinfection cycle before the meal service"),
    "too_short": QT_TRANSLATE_NOOP("AlarmText",
                                   "invalid disinfection cycle: %1 °C was not held long enough"),
    "not_reached": QT_TRANSLATE_NOOP("AlarmText", "invalid disinfection cycle: it peaked at "
                                                  "%1 °C, below the required %2 °C"),
    "data_gap": QT_TRANSLATE_NOOP("AlarmText", "invalid disinfection cycle: readings were "
                                               "missing while it was at temperature"),
    "invalid_cycle": QT_TRANSLATE_NOOP("AlarmText", "invalid disinfection cycle"),
    "camera_offline": QT_TRANSLATE_NOOP("AlarmText", "camera offline"),
    "camera_frozen": QT_TRANSLATE_NOOP("AlarmText", "camera picture frozen"),
    "camera_black": QT_TRANSLATE_NOOP("AlarmText", "camera picture black or lens covered"),
    "sensor_silent": QT_TRANSLATE_NOOP("AlarmText", "sensor silent past its reporting interval"),
    "sensor_offline": QT_TRANSLATE_NOOP("AlarmText", "sensor offline"),
    "ai": QT_TRANSLATE_NOOP("AlarmText", "AI detected: %1"),
    "confidence": QT_TRANSLATE_NOOP("AlarmText", "%1 (confidence %2 %)"),
    "placed": QT_TRANSLATE_NOOP("AlarmText", "%1 — %2"),
}


def _say(key: str, *values: str) -> str:
    text = QCoreApplication.translate("AlarmText", SENTENCES[key])
    for number, value in enumerate(values, 1):
        text = text.replace(f"%{number}", value)
    return text


def _sensor_sentence(row: AlarmRow) -> str | None:
    if row.value is None or row.threshold is None or row.subtype not in SENTENCES:
        return None
    decimals = 0 if row.subtype == "humidity_high" else 1
    return _say(row.subtype, number_text(row.value, decimals),
                number_text(row.threshold, decimals))


def _disinfection_sentence(row: AlarmRow) -> str:
    if row.kind == "no_disinfection":
        return _say("no_disinfection")
    target = number_text(row.threshold, 0)
    if row.subtype == "too_short" and row.threshold is not None:
        return _say("too_short", target)
    if row.subtype == "not_reached" and row.value is not None and row.threshold is not None:
        return _say("not_reached", number_text(row.value, 0), target)
    if row.subtype == "data_gap":
        return _say("data_gap")
    return _say("invalid_cycle")


def _device_sentence(row: AlarmRow) -> str | None:
    if row.camera_id:
        return _say({"frozen": "camera_frozen", "black": "camera_black"}.get(
            row.subtype, "camera_offline"))
    if row.sensor_id:
        return _say("sensor_silent" if row.subtype == "silent" else "sensor_offline")
    return None


def describe(row: AlarmRow) -> str:
    """One sentence for the list, the panel, the dispatch notes and the evidence pack."""
    sentence: str | None = None
    if row.kind == "ai_violation":
        sentence = _say("ai", labels.ai_violation(row.subtype))
        if row.value is not None and 0 < row.value <= 1:
            sentence = _say("confidence", sentence, number_text(row.value * 100, 0))
    elif row.kind == "sensor_threshold":
        sentence = _sensor_sentence(row)
    elif row.kind in ("disinfection_invalid", "no_disinfection"):
        sentence = _disinfection_sentence(row)
    elif row.kind == "device_offline":
        sentence = _device_sentence(row)
    if sentence is None:
        return row.message
    return _say("placed", row.place, sentence) if row.place else sentence
