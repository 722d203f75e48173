"""Ingest from kitchen gateways: sensor readings, AI violation events, device health.

Each item is validated on its own and every message names the item and field
(``readings[3].value: expected a number``): a malformed reading is reported by index and the good
ones of the same batch are stored. A batch in which nothing could be accepted is a 422 (with
the same per-item list), so a gateway with a systematic bug notices.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from central import changes
from central.alarms import apply_decision
from central.config import CentralConfig
from central.context import CONFIG, DB, HUB, RULES, principal_of
from central.errors import ApiError, invalid, not_found, read_object
from central.evaluator import IngestResult, ParsedReading, RuleEngine
from central.media import store_media
from central.rules import Decision
from central.schemas import ingest as schema
from central.schemas.common import shown, validate
from central.scope import INGESTS, Principal
from db.models import Camera, Sensor
from domain.alarms import AiViolation, AlarmKind, Severity
from domain.clock import utcnow

routes = web.RouteTableDef()

AI_SEVERITY: dict[str, int] = {
    AiViolation.RODENT: Severity.CRITICAL, AiViolation.UNATTENDED_FLAME: Severity.CRITICAL,
    AiViolation.SMOKING: Severity.MAJOR, AiViolation.UNCOVERED_BIN: Severity.MINOR,
    AiViolation.PHONE_USE: Severity.MINOR,
}
VIOLATIONS = tuple(v.value for v in AiViolation)


OUT_OF_WINDOW = "out_of_window"


def check_ts(ts: datetime, where: str, cfg: CentralConfig, now: datetime) -> datetime:
    """A reading's time must be recent and not ahead of central's clock (beyond the skew).

    A window relative to *now* cannot be written in the API description, so its refusal has a
    code of its own (422 ``out_of_window``): the shape was right, the gateway's clock or its
    backlog is not.
    """
    if ts > now + cfg.max_clock_skew:
        raise ApiError(422, OUT_OF_WINDOW,
                       f"{where}: {ts.isoformat()} is in the future (the gateway's clock is "
                       f"ahead by {(ts - now).total_seconds():.0f} s)")
    if ts < now - cfg.max_reading_age:
        raise ApiError(422, OUT_OF_WINDOW,
                       f"{where}: {ts.isoformat()} is older than "
                       f"{cfg.max_reading_age.total_seconds() / 86400:.0f} days")
    return ts


def parse_reading(item: Any, index: int, cfg: CentralConfig, now: datetime) -> ParsedReading:
    where = f"readings[{index}]"
    if not isinstance(item, dict):
        raise invalid(f"{where}: expected an object, got {shown(item)}")
    reading = validate(schema.Reading, item, where)
    ts = check_ts(reading.ts, f"{where}.ts", cfg, now)
    return ParsedReading(index, reading.sensor_id, ts, reading.value, reading.humidity)


@routes.post("/api/readings")
async def post_readings(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "post readings")
    cfg = request.app[CONFIG]
    body = await read_object(request, cfg.max_body_bytes, '{"readings": [...]}')
    items = validate(schema.ReadingsBody, body).readings
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
            rejected.append({"index": index, "error": exc.code, "message": exc.message})
    rules, origin = request.app[RULES], cfg.worker_id

    def work(session: Session) -> IngestResult:
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
        codes = {r.get("error") for r in rejected}
        # One reason for all (every sensor unknown, every time outside the window) is named
        # by its own code; a mix is an invalid payload.
        only = codes.pop() if len(codes) == 1 else None
        status, code = ((404, "not_found") if only == "not_found" else
                        (422, only) if isinstance(only, str) else
                        (422, "invalid_payload"))
        raise ApiError(status, code,
                       f"none of the {len(items)} readings was accepted; first problem: {first}",
                       accepted=0, rejected=rejected)
    return web.json_response({"accepted": accepted, "rejected": rejected})


def _scoped_device(session: Session, principal: Principal, model: type, ident: str,
                   what: str) -> Any:
    row = session.get(model, ident)
    if row is None or not principal.in_district(row.district_id):
        raise not_found(what, ident)
    return row


@routes.post("/api/events/ai")
async def post_ai(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "post AI events")
    cfg = request.app[CONFIG]
    # base64 grows the picture and the clip by a third; leave room for the other fields
    body = await read_object(request, (cfg.max_media_bytes + cfg.max_clip_bytes) * 4 // 3
                             + 64 * 1024,
                             '{"camera_id", "violation", "ts", ...}')
    event = validate(schema.AiEvent, body)
    violation, confidence = event.violation, event.confidence
    ts = check_ts(event.ts, "ts", cfg, utcnow())
    box = event.box.model_dump() if event.box is not None else None
    url = ""
    if event.snapshot_jpeg_b64:
        data = base64.b64decode(event.snapshot_jpeg_b64)  # the model checked the alphabet
        if len(data) > cfg.max_media_bytes:
            raise ApiError(413, "too_large", f"snapshot of {len(data)} bytes exceeds the limit "
                                             f"of {cfg.max_media_bytes}")
        try:
            url = await store_media(request.app, principal, data, "snapshot_jpeg_b64")
        except ApiError as exc:
            raise invalid(exc.message) from exc
    clip_url, clip_sha256 = "", ""
    if event.clip_b64:
        clip = base64.b64decode(event.clip_b64)
        if len(clip) > cfg.max_clip_bytes:
            raise ApiError(413, "too_large", f"clip of {len(clip)} bytes exceeds the limit "
                                             f"of {cfg.max_clip_bytes}")
        try:
            clip_url = await store_media(request.app, principal, clip, "clip_b64", clip=True)
        except ApiError as exc:
            raise invalid(exc.message) from exc
        clip_sha256 = hashlib.sha256(clip).hexdigest()

    def work(session: Session) -> dict[str, Any]:
        camera = _scoped_device(session, principal, Camera, event.camera_id, "camera")
        label = f"{camera.name}" + (f" ({confidence:.0%})" if confidence is not None else "")
        decision = Decision(AlarmKind.AI_VIOLATION, violation, True,
                            AI_SEVERITY.get(violation, Severity.MAJOR), value=confidence,
                            message=f"AI detected {violation.replace('_', ' ')} at {label}",
                            repeat=True)
        alarm = apply_decision(session, decision, district_id=camera.district_id,
                               business_id=camera.business_id, camera_id=camera.id,
                               evidence_url=url, evidence_box=box,
                               evidence_clip_url=clip_url, at=ts)
        assert alarm is not None
        return {"alarm_id": alarm.id, "count": alarm.count, "evidence_url": url,
                "clip_url": clip_url, "clip_sha256": clip_sha256}

    return web.json_response(await request.app[DB].write(work))


def _apply_health(session: Session, rules: RuleEngine, principal: Principal,
                  item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise invalid(f"{where}: expected an object, got {shown(item)}")
    event = validate(schema.HealthEvent, item, where)
    reason = event.reason[:200]
    if event.device == "camera":
        health = event.health or ("online" if event.online else "offline")
        camera = _scoped_device(session, principal, Camera, event.id, "camera")
        rules.set_camera_health(session, camera, health, event.online, reason)
        return {"device": "camera", "id": camera.id, "online": camera.online,
                "health": camera.health}
    sensor = _scoped_device(session, principal, Sensor, event.id, "sensor")
    rules.set_sensor_online(session, sensor, event.online, reason)
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
    events = validate(schema.HealthBatchBody, body).events

    def work(session: Session) -> dict[str, Any]:
        applied, rejected = [], []
        for index, event in enumerate(events):
            try:  # _apply_health validates everything before it changes anything
                applied.append(_apply_health(session, rules, principal, event,
                                             f"events[{index}]"))
            except ApiError as exc:
                rejected.append({"index": index, "error": exc.code, "message": exc.message})
        return {"accepted": len(applied), "results": applied, "rejected": rejected}

    return web.json_response(await request.app[DB].write(work))
