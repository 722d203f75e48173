"""``GET /api/openapi.json``: an OpenAPI 3 description of every route.

Kept by hand next to docs/protocol.md (which explains the semantics); a test checks that every
route the application registers is described here, so the two cannot drift apart silently.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from central.actions import HANDLERS
from central.evaluator import CAMERA_HEALTH
from central.ingest import VIOLATIONS
from central.tasks import ACTIONS

routes = web.RouteTableDef()
ERROR = {"$ref": "#/components/schemas/Error"}
OBJ: dict[str, Any] = {"type": "object"}
STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
NUM: dict[str, Any] = {"type": "number"}
TS: dict[str, Any] = {"type": "string", "format": "date-time"}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def _op(summary: str, body: dict[str, Any] | None = None, *, auth: bool = True,
        params: list[dict[str, Any]] | None = None, ok: dict[str, Any] | None = None,
        content_type: str = "application/json") -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            "200": {"description": "OK", **({"content": {"application/json": {"schema": ok}}}
                                            if ok else {})},
            "default": {"description": "error: {error, message}",
                        "content": {"application/json": {"schema": ERROR}}},
        },
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": {content_type: {"schema": body}}}
    if auth:
        op["security"] = [{"bearer": []}]
    if params:
        op["parameters"] = params
    return op


def _q(name: str, schema: dict[str, Any], description: str = "",
       where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "schema": schema,
            "description": description}


CHANGE = _obj(["seq", "entity", "id", "deleted", "payload"], seq=INT, entity=STR, id=STR,
              district_id=STR, deleted={"type": "boolean"}, payload=OBJ)
READING = _obj(["sensor_id", "ts", "value"], sensor_id=STR, ts=TS,
               value={"type": "number", "minimum": -60, "maximum": 400},
               humidity={"type": "number", "minimum": 0, "maximum": 100})
BOX = _obj(["x", "y", "w", "h"], x=NUM, y=NUM, w=NUM, h=NUM)
HEALTH_EVENT = _obj(["device", "id", "online"], device={"enum": ["camera", "sensor"]}, id=STR,
                    online={"type": "boolean"}, health={"enum": sorted(CAMERA_HEALTH)},
                    reason=STR)


def openapi_document(version: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kitchen Watch central", "version": version,
                 "description": "Semantics of every route: docs/protocol.md."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": _obj(["error", "message"], error=STR, message=STR)},
        },
        "paths": {
            "/api/health": {"get": _op("liveness, version, head sequence and feed id",
                                       auth=False)},
            "/api/login": {"post": _op(
                "log in; returns a bearer token (429 with retry_after when throttled)",
                _obj(["username", "password"], username=STR, password=STR), auth=False,
                ok=_obj(["token", "expires_at", "user"], token=STR, expires_at=TS, user=OBJ))},
            "/api/logout": {"post": _op("invalidate the caller's token")},
            "/api/me": {"get": _op("the caller's identity and role")},
            "/api/changes": {"get": _op(
                "change feed page after a sequence number, filtered to the caller's scope",
                params=[_q("since", INT, "cursor (0 = full snapshot)"),
                        _q("limit", INT, "1..5000")],
                ok=_obj(["changes", "last_seq", "head_seq", "more"],
                        changes={"type": "array", "items": CHANGE}, last_seq=INT,
                        head_seq=INT, more={"type": "boolean"}, feed_id=STR))},
            "/api/ws": {"get": _op(
                "WebSocket: replay after since, hello, then live change and reading messages",
                params=[_q("since", INT), _q("token", STR, "bearer token")])},
            "/api/readings": {"post": _op(
                "ingest a batch of sensor readings (device role)",
                _obj(["readings"], readings={"type": "array", "maxItems": 5000,
                                             "items": READING}),
                ok=_obj(["accepted", "rejected"], accepted=INT, rejected={
                    "type": "array", "items": _obj(["index", "message"], index=INT,
                                                   message=STR)}))},
            "/api/events/ai": {"post": _op(
                "AI violation event with an optional JPEG snapshot (device role)",
                _obj(["camera_id", "violation", "ts"], camera_id=STR,
                     violation={"enum": list(VIOLATIONS)}, ts=TS,
                     confidence={"type": "number", "minimum": 0, "maximum": 1}, box=BOX,
                     snapshot_jpeg_b64=STR),
                ok=_obj(["alarm_id"], alarm_id=STR, count=INT, evidence_url=STR))},
            "/api/events/health": {"post": _op(
                "camera or sensor health; one event or {\"events\": [...]} (device role)",
                {"oneOf": [HEALTH_EVENT, _obj(["events"], events={"type": "array",
                                                                  "items": HEALTH_EVENT})]})},
            "/api/actions": {"post": _op(
                "apply an operator or field action once per idempotency key",
                _obj(["idem_key", "kind", "payload"], idem_key=STR,
                     kind={"enum": list(HANDLERS)}, payload=OBJ),
                ok=_obj(["status", "result"], status={"enum": ["applied"]}, result=OBJ))},
            "/api/sensors/{sensor_id}/readings": {"get": _op(
                "readings of one sensor, bucketed in SQL to at most max_points",
                params=[_q("sensor_id", STR, where="path"), _q("from", TS), _q("to", TS),
                        _q("max_points", INT)],
                ok=_obj(["points"], points={"type": "array", "items": {"type": "array"}},
                        downsampled={"type": "boolean"}, bucket_s=NUM, count=INT))},
            "/api/users": {"get": _op("active users (e.g. role=field assignees) in scope",
                                      params=[_q("role", STR)])},
            "/api/entity/{entity}/{entity_id}": {"get": _op(
                "one synced row in its current state (404 outside the caller's scope)",
                params=[_q("entity", STR, where="path"), _q("entity_id", STR, where="path")],
                ok=CHANGE)},
            "/api/stats": {"get": _op("dashboard statistics for the caller's scope")},
            "/api/media": {"post": _op("upload an evidence image (≤ 5 MB)",
                                       {"type": "string", "format": "binary"},
                                       content_type="image/jpeg",
                                       ok=_obj(["url"], url=STR))},
            "/media/{name}": {"get": _op("download an evidence image", auth=False,
                                         params=[_q("name", STR, where="path")])},
            "/api/openapi.json": {"get": _op("this document", auth=False)},
        },
        "x-task-actions": ACTIONS,
    }


@routes.get("/api/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    from central.app import VERSION

    return web.json_response(openapi_document(VERSION))
