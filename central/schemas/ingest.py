"""Gateway bodies: sensor readings, AI violation events and device health.

A batch is validated item by item (``readings[3].value: ...``): the envelope models here only
say "an array of at most N"; each item is then checked against its own model so the good items
of a batch are stored and the bad ones reported by index.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from central.config import CentralConfig
from central.schemas.common import (
    PATTERN_WORDS,
    CameraHealthWord,
    DeviceId,
    Id,
    Model,
    Reply,
    Timestamp,
    text,
)

# domain.alarms.AiViolation's values, in its order, written out so that the type checker reads a
# closed set; tests/central/test_vocabularies.py keeps the two equal.
AiViolationWord = Literal["no_chef_hat", "no_mask", "no_work_clothes", "no_gloves", "smoking",
                          "phone_use", "rodent", "uncovered_bin", "unattended_flame"]

_DEFAULTS = CentralConfig()
TEMP_RANGE = (-60.0, 400.0)  # freezers to disinfection cabinets; anything else is a fault
MAX_READINGS = _DEFAULTS.max_readings_per_batch
MAX_HEALTH_EVENTS = 5000
BASE64_PATTERN = r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
PATTERN_WORDS[BASE64_PATTERN] = "valid base64 (A-Z, a-z, 0-9, + and /, padded with =)"


class Reading(Model):
    sensor_id: DeviceId
    ts: Timestamp = Field(description="at most 7 days old and at most 5 min ahead of central's "
                                      "clock (server settings)")
    value: Annotated[float, Field(ge=TEMP_RANGE[0], le=TEMP_RANGE[1], description="°C",
                                  json_schema_extra={"x-unit": "°C"})]
    humidity: Annotated[float, Field(ge=0.0, le=100.0, description="%RH",
                                     json_schema_extra={"x-unit": "%RH"})] | None = None


class ReadingsBatch(Model):
    readings: list[Reading] = Field(max_length=MAX_READINGS,
                                    description="each item is checked on its own; more than "
                                                f"{MAX_READINGS} is a 413")


class ReadingsBody(Model):
    """What is checked before the items (each item against :class:`Reading`)."""

    readings: list[Any]


class Rejected(Reply):
    index: int
    message: str


class ReadingsReply(Reply):
    accepted: int
    rejected: list[Rejected]


Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


class Box(Model):
    """Where in the frame, as fractions of its width and height.

    A box that reaches past the frame's edge (detectors round, and pad boxes at the edge) is
    clipped to the frame rather than refused: the evidence is still good, and a limit on
    ``x + w`` could not be stated in the API description that clients are built from.
    """

    x: Fraction
    y: Fraction
    w: Fraction = Field(description="clipped to 1 - x")
    h: Fraction = Field(description="clipped to 1 - y")

    @model_validator(mode="after")
    def _clip(self) -> Box:
        self.w = min(self.w, 1.0 - self.x)
        self.h = min(self.h, 1.0 - self.y)
        return self


class AiEvent(Model):
    camera_id: DeviceId
    violation: AiViolationWord
    ts: Timestamp
    confidence: Fraction | None = None
    box: Box | None = None
    snapshot_jpeg_b64: Annotated[str, Field(
        max_length=(_DEFAULTS.max_media_bytes + 2) // 3 * 4, pattern=BASE64_PATTERN,
        description="a JPEG or PNG image, base64 (at most 5 MB decoded)")] = ""
    clip_b64: Annotated[str, Field(
        max_length=(_DEFAULTS.max_clip_bytes + 2) // 3 * 4, pattern=BASE64_PATTERN,
        description="the AI box's own clip of the event: a few seconds of video as MP4 or "
                    "MPEG-TS (recognised by its bytes), base64 (at most 16 MB decoded)")] = ""


class AiReply(Reply):
    alarm_id: Id
    count: int
    evidence_url: str
    clip_url: str = Field("", description="/media/<sha256>.mp4 or .ts when a clip came along")
    clip_sha256: str = ""


class HealthEvent(Model):
    device: Literal["camera", "sensor"]
    id: DeviceId
    online: bool
    health: CameraHealthWord | None = Field(
        None, description="cameras only; default: online or offline")
    reason: Annotated[str, text(500)] = ""


class HealthBatch(Model):
    events: list[HealthEvent] = Field(max_length=MAX_HEALTH_EVENTS)


class HealthBatchBody(Model):
    events: Annotated[list[Any], Field(max_length=MAX_HEALTH_EVENTS)]
