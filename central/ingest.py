"""Ingest from kitchen gateways: sensor readings, AI violation events, device health.

Each item is validated on its own and every message names the item and field
(``readings[3].value: expected a number``): a malformed reading is reported by index and the good
ones of the same batch are stored. A batch in which nothing could be accepted is a 422 (with
the same per-item list), so a gateway with a systematic bug notices.
"""

from __future__ import annotations

import base64
import binascii
import math
from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from central import changes
from central.alarms import apply_decision
from central.config import CentralConfig
from central.context import CONFIG, DB, HUB, RULES, parse_time, principal_of
from central.errors import ApiError, invalid, not_found, read_object
from central.evaluator import CAMERA_HEALTH, ParsedReading, RuleEngine
from central.media import store_media
from central.rules import Decision
from central.scope import INGESTS, Principal
from db.models import AiViolation, AlarmKind, Camera, Sensor, Severity, utcnow

routes = web.RouteTableDef()

AI_SEVERITY: dict[str, int] = {
    AiViolation.RODENT: Severity.CRITICAL, AiViolation.UNATTENDED_FLAME: Severity.CRITICAL,
    AiViolation.SMOKING: Severity.MAJOR, AiViolation.UNCOVERED_BIN: Severity.MINOR,
    AiViolation.PHONE_USE: Severity.MINOR,
}
VIOLATIONS = tuple(v.value for v in AiViolation)
TEMP_RANGE = (-60.0, 400.0)  # freezers to disinfection cabinets; anything else is a fault


def _number(value: Any, where: str, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(f"{where}: expected a number, got {_kind(value)}")
    if not math.isfinite(value) or not lo <= value <= hi:
        raise invalid(f"{where}: {value} is outside {lo:g}..{hi:g} {unit}")
    return float(value)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def check_ts(value: Any, where: str, cfg: CentralConfig, now: datetime) -> datetime:
    ts = parse_time(value, where)
    if ts > now + cfg.max_clock_skew:
        raise invalid(f"{where}: {value} is in the future (the gateway's clock is ahead by "
                      f"{(ts - now).total_seconds():.0f} s)")
    if ts < now - cfg.max_reading_age:
        raise invalid(f"{where}: {value} is older than "
                      f"{cfg.max_reading_age.total_seconds() / 86400:.0f} days")
    return ts


def parse_reading(item: Any, index: int, cfg: CentralConfig, now: datetime) -> ParsedReading:
    where = f"readings[{index}]"
    if not isinstance(item, dict):
        raise invalid(f"{where}: expected an object, got {_kind(item)}")
    sensor_id = item.get("sensor_id")
    if not isinstance(sensor_id, str) or not sensor_id or len(sensor_id) > 48:
        raise invalid(f"{where}.sensor_id: expected a sensor id (1..48 characters), "
                      f"got {_kind(sensor_id)}")
    ts = check_ts(item.get("ts"), f"{where}.ts", cfg, now)
    if "value" not in item:
        raise invalid(f"{where}.value: required (temperature in °C)")
    value = _number(item["value"], f"{where}.value", *TEMP_RANGE, "°C")
    humidity = item.get("humidity")
    if humidity is not None:
        humidity = _number(humidity, f"{where}.humidity", 0.0, 100.0, "%RH")
    return ParsedReading(index, sensor_id, ts, value, humidity)


@routes.post("/api/readings")
async def post_readings(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "post readings")
    cfg = request.app[CONFIG]
    body = await read_object(request, cfg.max_body_bytes, '{"readings": [...]}')
    items = body.get("readings")
    if not isinstance(items, list):
        raise invalid(f"readings: expected a list, got {_kind(items)}")
    if len(items) > cfg.max_readings_per_batch:
        raise ApiError(413, "too_large", f"{len(items)} readings exceed the batch limit of "
                                         f"{cfg.max_readings_per_batch}; split the batch")
    now = utcnow()
    parsed: list[ParsedReading] = []
    rejected: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        try:
            parsed.append(parse_reading(item, index, cfg, now))
        except ApiError as exc:
            rejected.append({"index": index, "message": exc.message})
    rules, origin = request.app[RULES], cfg.worker_id

    def work(session: Session):
        result = rules.ingest(session, parsed, principal.district_scope)
        changes.notify_readings(session, origin, result.live)
        return result

    result = await request.app[DB].write(work, row_locked=True) if parsed else None
    if result is not None:
        request.app[HUB].publish_readings(result.live)
        rejected = sorted(rejected + result.rejected, key=lambda r: r["index"])
    accepted = result.accepted if result else 0
    if items and not accepted:
        first = rejected[0]["message"] if rejected else "no readings"
        raise ApiError(422, "invalid_payload",
                       f"none of the {len(items)} readings was accepted; first problem: {first}",
                       accepted=0, rejected=rejected)
    return web.json_response({"accepted": accepted, "rejected": rejected})


def _scoped_device(session: Session, principal: Principal, model: type, ident: Any,
                   what: str) -> Any:
    if not isinstance(ident, str) or not ident:
        raise invalid(f"{what}_id: expected a {what} id string, got {_kind(ident)}")
    row = session.get(model, ident)
    if row is None or not principal.in_district(row.district_id):
        raise not_found(what, ident)
    return row


def parse_box(box: Any) -> dict[str, float] | None:
    if box is None:
        return None
    if not isinstance(box, dict):
        raise invalid(f"box: expected {{x, y, w, h}} within 0..1, got {_kind(box)}")
    out = {}
    for key in "xywh":
        out[key] = _number(box.get(key), f"box.{key}", 0.0, 1.0, "(fraction of the frame)")
    if out["x"] + out["w"] > 1.001 or out["y"] + out["h"] > 1.001:
        raise invalid("box: extends beyond the frame (x + w and y + h must be ≤ 1)")
    return out


@routes.post("/api/events/ai")
async def post_ai(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "post AI events")
    cfg = request.app[CONFIG]
    # base64 grows the picture by a third; leave room for the other fields
    body = await read_object(request, cfg.max_media_bytes * 4 // 3 + 64 * 1024,
                             '{"camera_id", "violation", "ts", ...}')
    violation = body.get("violation")
    if violation not in VIOLATIONS:
        raise invalid(f"violation: expected one of {', '.join(VIOLATIONS)}, got {violation!r}")
    ts = check_ts(body.get("ts"), "ts", cfg, utcnow())
    confidence = body.get("confidence")
    if confidence is not None:
        confidence = _number(confidence, "confidence", 0.0, 1.0, "")
    box = parse_box(body.get("box"))
    snapshot = body.get("snapshot_jpeg_b64")
    url = ""
    if snapshot is not None and snapshot != "":
        if not isinstance(snapshot, str):
            raise invalid(f"snapshot_jpeg_b64: expected base64 text, got {_kind(snapshot)}")
        try:
            data = base64.b64decode(snapshot, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise invalid(f"snapshot_jpeg_b64: not valid base64 ({exc})") from exc
        if len(data) > cfg.max_media_bytes:
            raise ApiError(413, "too_large", f"snapshot of {len(data)} bytes exceeds the limit "
                                             f"of {cfg.max_media_bytes}")
        try:
            url = await store_media(request.app, principal, data, "snapshot_jpeg_b64")
        except ApiError as exc:
            raise invalid(exc.message) from exc

    def work(session: Session) -> dict[str, Any]:
        camera = _scoped_device(session, principal, Camera, body.get("camera_id"), "camera")
        label = f"{camera.name}" + (f" ({confidence:.0%})" if confidence is not None else "")
        decision = Decision(AlarmKind.AI_VIOLATION, violation, True,
                            AI_SEVERITY.get(violation, Severity.MAJOR), value=confidence,
                            message=f"AI detected {violation.replace('_', ' ')} at {label}",
                            repeat=True)
        alarm = apply_decision(session, decision, district_id=camera.district_id,
                               business_id=camera.business_id, camera_id=camera.id,
                               evidence_url=url, evidence_box=box, at=ts)
        assert alarm is not None
        return {"alarm_id": alarm.id, "count": alarm.count, "evidence_url": url}

    return web.json_response(await request.app[DB].write(work))


def _apply_health(session: Session, rules: RuleEngine, principal: Principal,
                  event: Any, where: str) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise invalid(f"{where}: expected an object, got {_kind(event)}")
    device = event.get("device")
    if device not in ("camera", "sensor"):
        raise invalid(f"{where}.device: expected 'camera' or 'sensor', got {device!r}")
    online = event.get("online")
    if not isinstance(online, bool):
        raise invalid(f"{where}.online: expected true or false, got {_kind(online)}")
    reason = event.get("reason", "")
    if not isinstance(reason, str):
        raise invalid(f"{where}.reason: expected text, got {_kind(reason)}")
    health = event.get("health")
    if device == "camera":
        if health is None:
            health = "online" if online else "offline"
        if health not in CAMERA_HEALTH:
            raise invalid(f"{where}.health: expected one of {', '.join(sorted(CAMERA_HEALTH))}, "
                          f"got {health!r}")
        camera = _scoped_device(session, principal, Camera, event.get("id"), "camera")
        rules.set_camera_health(session, camera, health, online, reason[:200])
        return {"device": "camera", "id": camera.id, "online": camera.online,
                "health": camera.health}
    sensor = _scoped_device(session, principal, Sensor, event.get("id"), "sensor")
    rules.set_sensor_online(session, sensor, online, reason[:200])
    return {"device": "sensor", "id": sensor.id, "online": sensor.online}


@routes.post("/api/events/health")
async def post_health(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "post health events")
    body = await read_object(request, 1024 * 1024, '{"device", "id", "online", ...}')
    rules = request.app[RULES]
    if "events" not in body:
        result = await request.app[DB].write(
            lambda s: _apply_health(s, rules, principal, body, "body"))
        return web.json_response(result)
    events = body["events"]
    if not isinstance(events, list) or len(events) > 5000:
        raise invalid("events: expected a list of at most 5000 health events")

    def work(session: Session) -> dict[str, Any]:
        applied, rejected = [], []
        for index, event in enumerate(events):
            try:  # _apply_health validates everything before it changes anything
                applied.append(_apply_health(session, rules, principal, event,
                                             f"events[{index}]"))
            except ApiError as exc:
                rejected.append({"index": index, "message": exc.message})
        return {"accepted": len(applied), "results": applied, "rejected": rejected}

    return web.json_response(await request.app[DB].write(work))
