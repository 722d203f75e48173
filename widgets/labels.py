"""Human words for the domain's codes, in the interface language.

The codes (``school_canteen``, ``ai_violation``, ``rodent``…) are data; what the operator reads
goes through Qt's translator. The tables hold English source strings marked with
``QT_TRANSLATE_NOOP`` so ``lupdate`` collects them; lookups translate at call time, so a
language switch takes effect on the next repaint. Unknown codes are shown as they are rather
than hidden: a newer server may send a violation type this console does not know yet.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from resources.i18n import QT_TRANSLATE_NOOP

_CTX = "Labels"

CATEGORIES = {
    "extra_large": QT_TRANSLATE_NOOP("Labels", "Extra-large restaurant"),
    "large": QT_TRANSLATE_NOOP("Labels", "Large restaurant"),
    "medium": QT_TRANSLATE_NOOP("Labels", "Medium restaurant"),
    "small": QT_TRANSLATE_NOOP("Labels", "Small restaurant"),
    "beverage": QT_TRANSLATE_NOOP("Labels", "Beverage shop"),
    "school_canteen": QT_TRANSLATE_NOOP("Labels", "School / kindergarten canteen"),
    "elderly_canteen": QT_TRANSLATE_NOOP("Labels", "Elderly-care canteen"),
    "hospital_canteen": QT_TRANSLATE_NOOP("Labels", "Hospital canteen"),
    "government_canteen": QT_TRANSLATE_NOOP("Labels", "Government canteen"),
}

ALARM_KINDS = {
    "sensor_threshold": QT_TRANSLATE_NOOP("Labels", "Sensor limit breached"),
    "disinfection_invalid": QT_TRANSLATE_NOOP("Labels", "Disinfection cycle invalid"),
    "no_disinfection": QT_TRANSLATE_NOOP("Labels", "No disinfection cycle"),
    "ai_violation": QT_TRANSLATE_NOOP("Labels", "AI-detected violation"),
    "device_offline": QT_TRANSLATE_NOOP("Labels", "Device offline"),
    "recorder": QT_TRANSLATE_NOOP("Labels", "Recording stopped"),
    "licence": QT_TRANSLATE_NOOP("Labels", "Licence expired"),
}

AI_VIOLATIONS = {
    "no_chef_hat": QT_TRANSLATE_NOOP("Labels", "No chef hat"),
    "no_mask": QT_TRANSLATE_NOOP("Labels", "No mask"),
    "no_work_clothes": QT_TRANSLATE_NOOP("Labels", "No work clothes"),
    "no_gloves": QT_TRANSLATE_NOOP("Labels", "No gloves"),
    "smoking": QT_TRANSLATE_NOOP("Labels", "Smoking"),
    "phone_use": QT_TRANSLATE_NOOP("Labels", "Phone use"),
    "rodent": QT_TRANSLATE_NOOP("Labels", "Rodent"),
    "uncovered_bin": QT_TRANSLATE_NOOP("Labels", "Uncovered bin"),
    "unattended_flame": QT_TRANSLATE_NOOP("Labels", "Unattended flame"),
}

#: Subtypes of non-AI alarms as central's rules name them (central/rules.py, ingest.py).
ALARM_SUBTYPES = {
    "temp_high": QT_TRANSLATE_NOOP("Labels", "Temperature too high"),
    "temp_low": QT_TRANSLATE_NOOP("Labels", "Temperature too low"),
    "humidity_high": QT_TRANSLATE_NOOP("Labels", "Humidity too high"),
    "camera": QT_TRANSLATE_NOOP("Labels", "Camera offline"),
    "sensor": QT_TRANSLATE_NOOP("Labels", "Sensor offline"),
}

SEVERITIES = {
    1: QT_TRANSLATE_NOOP("Labels", "Info"),
    2: QT_TRANSLATE_NOOP("Labels", "Minor"),
    3: QT_TRANSLATE_NOOP("Labels", "Major"),
    4: QT_TRANSLATE_NOOP("Labels", "Critical"),
}

ALARM_STATES = {
    "open": QT_TRANSLATE_NOOP("Labels", "Open"),
    "acknowledged": QT_TRANSLATE_NOOP("Labels", "Acknowledged"),
    "dispatched": QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    "dismissed": QT_TRANSLATE_NOOP("Labels", "Dismissed"),
    "closed": QT_TRANSLATE_NOOP("Labels", "Closed"),
}

TASK_STATES = {
    "dispatched": QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    "accepted": QT_TRANSLATE_NOOP("Labels", "Accepted"),
    "on_site": QT_TRANSLATE_NOOP("Labels", "On site"),
    "rectifying": QT_TRANSLATE_NOOP("Labels", "Rectifying"),
    "review": QT_TRANSLATE_NOOP("Labels", "Review"),
    "closed": QT_TRANSLATE_NOOP("Labels", "Closed"),
    "rejected": QT_TRANSLATE_NOOP("Labels", "Rejected"),
}

TASK_ACTIONS = {
    "dispatch": QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    "accept": QT_TRANSLATE_NOOP("Labels", "Accepted"),
    "decline": QT_TRANSLATE_NOOP("Labels", "Declined"),
    "arrive": QT_TRANSLATE_NOOP("Labels", "Arrived on site"),
    "rectify": QT_TRANSLATE_NOOP("Labels", "Rectification ordered"),
    "submit_review": QT_TRANSLATE_NOOP("Labels", "Submitted for review"),
    "close": QT_TRANSLATE_NOOP("Labels", "Closed (ticked off)"),
    "close_by_look": QT_TRANSLATE_NOOP("Labels", "Closed by a second online look"),
    "reject": QT_TRANSLATE_NOOP("Labels", "Rejected"),
    "reopen": QT_TRANSLATE_NOOP("Labels", "Reopened"),
    "escalate": QT_TRANSLATE_NOOP("Labels", "Escalated"),
    "comment": QT_TRANSLATE_NOOP("Labels", "Comment"),
}

SENSOR_KINDS = {
    "special_room": QT_TRANSLATE_NOOP("Labels", "Special room"),
    "disinfection_cabinet": QT_TRANSLATE_NOOP("Labels", "Disinfection cabinet"),
    "refrigerator": QT_TRANSLATE_NOOP("Labels", "Refrigerator"),
    "freezer": QT_TRANSLATE_NOOP("Labels", "Freezer"),
}

RULE_STATES = {
    "normal": QT_TRANSLATE_NOOP("Labels", "Normal"),
    "warning": QT_TRANSLATE_NOOP("Labels", "Warning"),
    "breach": QT_TRANSLATE_NOOP("Labels", "Breach"),
    "offline": QT_TRANSLATE_NOOP("Labels", "Offline"),
}

DEADLINE_PURPOSES = {
    "rectification plan": QT_TRANSLATE_NOOP("Labels", "rectification plan"),
    "rectification": QT_TRANSLATE_NOOP("Labels", "rectification"),
    "re-check": QT_TRANSLATE_NOOP("Labels", "re-check"),
}


def _lookup(table: dict, code: object) -> str:
    source = table.get(code)
    if source is None:
        return str(code) if code not in (None, "") else ""
    return QCoreApplication.translate(_CTX, source)


def category(code: str) -> str:
    return _lookup(CATEGORIES, code)


def alarm_kind(code: str) -> str:
    return _lookup(ALARM_KINDS, code)


def ai_violation(code: str) -> str:
    return _lookup(AI_VIOLATIONS, code)


def alarm_type(kind: str, subtype: str = "") -> str:
    """What happened, in words: "No mask" for an AI alarm, "Temperature too high" for a
    sensor limit, else the kind ("Disinfection cycle invalid")."""
    if kind == "ai_violation" and subtype:
        return ai_violation(subtype)
    if subtype in ALARM_SUBTYPES:
        return _lookup(ALARM_SUBTYPES, subtype)
    return alarm_kind(kind)


def severity(level: int) -> str:
    return _lookup(SEVERITIES, level)


def alarm_state(code: str) -> str:
    return _lookup(ALARM_STATES, code)


def task_state(code: str) -> str:
    return _lookup(TASK_STATES, code)


def task_action(code: str) -> str:
    return _lookup(TASK_ACTIONS, code)


def sensor_kind(code: str) -> str:
    return _lookup(SENSOR_KINDS, code)


def rule_state(code: str) -> str:
    return _lookup(RULE_STATES, code)


def deadline_purpose(code: str) -> str:
    return _lookup(DEADLINE_PURPOSES, code)
