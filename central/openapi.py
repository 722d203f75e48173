"""The OpenAPI description served at /api/openapi.json (kept next to the routes it lists)."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}


def _op(summary: str, body: dict[str, Any] | None = None, auth: bool = True,
        params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {"200": {"description": "OK"},
                      "4XX": {"description": "client error",
                              "content": {"application/json": {"schema": _ERROR}}}},
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if auth:
        op["security"] = [{"bearer": []}]
    if params:
        op["parameters"] = params
    return op


def _q(name: str, kind: str = "integer") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind}}


def openapi_document(version: str) -> dict[str, Any]:
    obj = {"type": "object"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kitchen Watch central", "version": version,
                 "description": "See docs/protocol.md for the semantics of every route."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": {"type": "string"},
                                                 "message": {"type": "string"}}}},
        },
        "paths": {
            "/api/health": {"get": _op("liveness and head sequence", auth=False)},
            "/api/login": {"post": _op("log in; returns a bearer token", {
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"},
                               "password": {"type": "string"}}}, auth=False)},
            "/api/changes": {"get": _op("change feed page after a sequence number",
                                        params=[_q("since"), _q("limit")])},
            "/api/ws": {"get": _op("WebSocket: replay from since, then live changes and readings",
                                   params=[_q("since"), _q("token", "string")])},
            "/api/readings": {"post": _op("ingest a batch of sensor readings", {
                "type": "object", "required": ["readings"],
                "properties": {"readings": {"type": "array", "maxItems": 5000, "items": {
                    "type": "object", "required": ["sensor_id", "ts", "value"],
                    "properties": {"sensor_id": {"type": "string"},
                                   "ts": {"type": "string", "format": "date-time"},
                                   "value": {"type": "number"},
                                   "humidity": {"type": "number"}}}}}})},
            "/api/events/ai": {"post": _op("AI violation event with optional snapshot", obj)},
            "/api/events/health": {"post": _op("camera or sensor online/offline", obj)},
            "/api/actions": {"post": _op("apply an operator action once per idempotency key", {
                "type": "object", "required": ["idem_key", "kind", "payload"],
                "properties": {"idem_key": {"type": "string"}, "kind": {"type": "string"},
                               "payload": obj}})},
            "/api/sensors/{sensor_id}/readings": {"get": _op(
                "readings of one sensor", params=[
                    {"name": "sensor_id", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                    _q("from", "string"), _q("to", "string"), _q("max_points")])},
            "/api/users": {"get": _op("users of a role in the caller's scope",
                                      params=[_q("role", "string")])},
            "/api/stats": {"get": _op("dashboard statistics for the caller's scope")},
            "/api/media": {"post": _op("upload an evidence image (JPEG or PNG body)")},
            "/media/{name}": {"get": _op("download an evidence image", params=[
                {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}])},
        },
    }
