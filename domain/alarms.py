"""Alarm kinds, the AI-detected violations, severities and the alarm life cycle."""

from __future__ import annotations

import enum


class AlarmKind(enum.StrEnum):
    SENSOR_THRESHOLD = "sensor_threshold"
    DISINFECTION_INVALID = "disinfection_invalid"
    NO_DISINFECTION = "no_disinfection"
    AI_VIOLATION = "ai_violation"
    DEVICE_OFFLINE = "device_offline"
    RECORDER = "recorder"  # a recorder stopped (disk full): its cameras are not recorded
    LICENCE = "licence"  # a business works (cameras online) on an expired licence


class AiViolation(enum.StrEnum):
    NO_CHEF_HAT = "no_chef_hat"
    NO_MASK = "no_mask"
    NO_WORK_CLOTHES = "no_work_clothes"
    NO_GLOVES = "no_gloves"
    SMOKING = "smoking"
    PHONE_USE = "phone_use"
    RODENT = "rodent"
    UNCOVERED_BIN = "uncovered_bin"
    UNATTENDED_FLAME = "unattended_flame"


class Severity(enum.IntEnum):
    """Stored and sent as its number, so that "at least major" is a comparison."""

    INFO = 1
    MINOR = 2
    MAJOR = 3
    CRITICAL = 4


class AlarmState(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    DISMISSED = "dismissed"  # false positive, reason required
    CLOSED = "closed"  # its task was ticked off (销号)
