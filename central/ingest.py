"""Ingest of sensor readings, AI violation events and device health from kitchen gateways.

Each item is validated on its own: a malformed reading is reported by index and the good ones
in the same batch are stored. Rule evaluation happens here, in the same transaction as the
readings, so an alarm and the reading that raised it commit together.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import changes
from central.actions import parse_time, set_camera_health
from central.alarms import apply_decision
from central.errors import ApiError
from central.rules import Decision, SensorState, evaluate
from db.models import AiViolation, AlarmKind, Camera, Reading, Sensor, Severity, utcnow

MAX_BATCH = 5000
SENSOR_FEED_INTERVAL = timedelta(seconds=5)
AI_SEVERITY = {AiViolation.RODENT: Severity.CRITICAL, AiViolation.SMOKING: Severity.MAJOR,
               AiViolation.UNATTENDED_FLAME: Severity.CRITICAL}


@dataclass
class IngestResult:
    accepted: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    live: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (reading msg, district)


class RuleEngine:
    """Per-sensor evaluator state, kept in memory by the server process."""

    def __init__(self) -> None:
        self.states: dict[str, SensorState] = {}
        self._feed_written: dict[str, datetime] = {}

    def ingest_readings(self, session: Session, items: Any) -> IngestResult:
        if not isinstance(items, list):
            raise ApiError(422, "invalid_payload", "readings: expected a list")
        if len(items) > MAX_BATCH:
            raise ApiError(413, "too_large", f"{len(items)} readings exceed the batch limit of "
                                             f"{MAX_BATCH}")
        result = IngestResult()
        parsed: list[tuple[int, str, datetime, float, float | None]] = []
        for index, item in enumerate(items):
            try:
                parsed.append((index, *self._parse(item, index)))
            except ApiError as exc:
                result.rejected.append({"index": index, "message": exc.message})
        ids = {p[1] for p in parsed}
        sensors = {s.id: s for s in session.scalars(select(Sensor).where(Sensor.id.in_(ids)))}
        rows = []
        for index, sensor_id, ts, value, humidity in sorted(parsed, key=lambda p: p[2]):
            sensor = sensors.get(sensor_id)
            if sensor is None:
                result.rejected.append({"index": index,
                                        "message": f"readings[{index}].sensor_id: unknown "
                                                   f"sensor {sensor_id}"})
                continue
            rows.append({"sensor_id": sensor_id, "ts": ts, "value": value, "humidity": humidity})
            self._evaluate(session, sensor, ts, value, humidity)
            result.accepted += 1
            result.live.append(({"type": "reading", "sensor_id": sensor_id,
                                 "ts": ts.isoformat(), "value": value, "humidity": humidity,
                                 "rule_state": sensor.rule_state}, sensor.district_id))
        if rows:
            session.execute(Reading.__table__.insert(), rows)
        result.rejected.sort(key=lambda r: r["index"])
        return result

    @staticmethod
    def _parse(item: Any, index: int) -> tuple[str, datetime, float, float | None]:
        where = f"readings[{index}]"
        if not isinstance(item, dict):
            raise ApiError(422, "invalid_payload", f"{where}: expected an object")
        sensor_id = item.get("sensor_id")
        if not isinstance(sensor_id, str) or not sensor_id:
            raise ApiError(422, "invalid_payload", f"{where}.sensor_id: required string")
        ts = parse_time(item.get("ts"), f"{where}.ts")
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                -100 <= value <= 400):
            raise ApiError(422, "invalid_payload",
                           f"{where}.value: expected a temperature in °C between -100 and 400")
        humidity = item.get("humidity")
        if humidity is not None and (isinstance(humidity, bool)
                                     or not isinstance(humidity, int | float)
                                     or not 0 <= humidity <= 100):
            raise ApiError(422, "invalid_payload", f"{where}.humidity: expected 0..100 %RH")
        return sensor_id, ts, float(value), None if humidity is None else float(humidity)

    def _evaluate(self, session: Session, sensor: Sensor, ts: datetime, value: float,
                  humidity: float | None) -> None:
        state = self.states.setdefault(sensor.id, SensorState())
        for decision in evaluate(sensor.kind, sensor.params, state, ts, value, humidity):
            apply_decision(session, decision, district_id=sensor.district_id,
                           business_id=sensor.business_id, sensor_id=sensor.id,
                           camera_id=sensor.camera_id)
        changed_state = sensor.rule_state != state.rule_state
        sensor.last_value, sensor.last_humidity, sensor.last_ts = value, humidity, ts
        sensor.rule_state = state.rule_state
        if not sensor.online:
            sensor.online = True
            changed_state = True
            apply_decision(session, Decision(AlarmKind.DEVICE_OFFLINE, "sensor", False),
                           district_id=sensor.district_id, business_id=sensor.business_id,
                           sensor_id=sensor.id)
        last = self._feed_written.get(sensor.id)
        if changed_state or last is None or ts - last >= SENSOR_FEED_INTERVAL:
            sensor.version += 1
            changes.record(session, sensor)
            self._feed_written[sensor.id] = ts

    def check_silent(self, session: Session, now: datetime | None = None) -> int:
        """Mark sensors that sent nothing for 3× their interval offline (with an alarm)."""
        now = now or utcnow()
        count = 0
        for sensor in session.scalars(select(Sensor).where(Sensor.online.is_(True))):
            if sensor.last_ts is None:
                continue
            if (now - sensor.last_ts).total_seconds() > 3 * max(sensor.interval_s, 1):
                sensor.online = False
                sensor.rule_state = "offline"
                sensor.version += 1
                changes.record(session, sensor)
                apply_decision(session, Decision(
                    AlarmKind.DEVICE_OFFLINE, "sensor", True, Severity.MINOR,
                    message=f"sensor {sensor.location or sensor.id} silent since "
                            f"{sensor.last_ts.isoformat(timespec='seconds')}"),
                    district_id=sensor.district_id, business_id=sensor.business_id,
                    sensor_id=sensor.id)
                count += 1
        return count


def save_media(media_dir: Path, data: bytes, content_type: str) -> str:
    """Store evidence by content hash (the same picture twice is one file)."""
    if data.startswith(b"\xff\xd8"):
        ext = "jpg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        ext = "png"
    else:
        raise ApiError(415, "unsupported_media",
                       f"evidence must be a JPEG or PNG image (got {content_type or 'unknown'})")
    name = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    media_dir.mkdir(parents=True, exist_ok=True)
    path = media_dir / name
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return f"/media/{name}"


def ingest_ai(session: Session, media_dir: Path, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_payload", "body: expected an object")
    camera_id = body.get("camera_id")
    camera = session.get(Camera, camera_id) if isinstance(camera_id, str) else None
    if camera is None:
        raise ApiError(404, "not_found", f"camera {camera_id!r} not found")
    violation = body.get("violation")
    if violation not in {v.value for v in AiViolation}:
        raise ApiError(422, "invalid_payload",
                       f"violation: expected one of {', '.join(v.value for v in AiViolation)}")
    parse_time(body.get("ts"), "ts")
    box = body.get("box")
    if box is not None and not (isinstance(box, dict) and all(
            isinstance(box.get(k), int | float) and 0 <= box[k] <= 1 for k in "xywh")):
        raise ApiError(422, "invalid_payload", "box: expected {x, y, w, h} within 0..1")
    url = ""
    if body.get("snapshot_jpeg_b64"):
        try:
            data = base64.b64decode(body["snapshot_jpeg_b64"], validate=True)
        except (binascii.Error, TypeError) as exc:
            raise ApiError(422, "invalid_payload", f"snapshot_jpeg_b64: {exc}") from exc
        url = save_media(media_dir, data, "image/jpeg")
    confidence = body.get("confidence")
    decision = Decision(AlarmKind.AI_VIOLATION, violation, True,
                        AI_SEVERITY.get(AiViolation(violation), Severity.MAJOR),
                        value=float(confidence) if isinstance(confidence, int | float) else None,
                        message=f"AI: {violation} at {camera.name}")
    alarm = apply_decision(session, decision, district_id=camera.district_id,
                           business_id=camera.business_id, camera_id=camera.id,
                           evidence_url=url, evidence_box=box)
    return {"alarm_id": alarm.id if alarm else None}


def ingest_health(session: Session, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or body.get("device") not in ("camera", "sensor"):
        raise ApiError(422, "invalid_payload", "device: expected 'camera' or 'sensor'")
    online = body.get("online")
    if not isinstance(online, bool):
        raise ApiError(422, "invalid_payload", "online: expected true or false")
    ident = body.get("id")
    if body["device"] == "camera":
        camera = session.get(Camera, ident) if isinstance(ident, str) else None
        if camera is None:
            raise ApiError(404, "not_found", f"camera {ident!r} not found")
        return set_camera_health(session, camera, "online" if online else "offline",
                                 str(body.get("reason", "")))
    sensor = session.get(Sensor, ident) if isinstance(ident, str) else None
    if sensor is None:
        raise ApiError(404, "not_found", f"sensor {ident!r} not found")
    sensor.online = online
    sensor.version += 1
    changes.record(session, sensor)
    apply_decision(session, Decision(AlarmKind.DEVICE_OFFLINE, "sensor", not online,
                                     Severity.MINOR, message=str(body.get("reason", ""))),
                   district_id=sensor.district_id, business_id=sensor.business_id,
                   sensor_id=sensor.id)
    return {"sensor_id": sensor.id, "online": online}
