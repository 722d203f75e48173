"""``GET /api/openapi.json``: the OpenAPI 3.1 description, generated from the payload models.

Every request body and query is the JSON Schema of the same pydantic model the route validates
with (:mod:`central.schemas`), with the models' ``$defs`` hoisted to ``components/schemas``; so
a request the description allows passes the server's shape checks, and a change to a model is a
change to the description. docs/protocol.md explains the semantics; a test checks that every
route the application registers is described here.
"""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, TypeAdapter

from central.config import CentralConfig
from central.schemas import accounts, auth, ingest, reads
from central.schemas import actions as act
from central.schemas import baobao as bb
from central.schemas import bulletins as bulletin_schema
from central.schemas import events as event_schema
from central.schemas import ledger as ledger_schema
from central.schemas import recordings as rec
from central.schemas import risk as risk_schema
from central.schemas.common import MEDIA_PATTERN, Id, Reply
from central.version import VERSION
from domain.tasks import ACTIONS

routes = web.RouteTableDef()
REF = "#/components/schemas/{model}"
_DEFAULTS = CentralConfig()


class ErrorReply(Reply):
    """Every refusal: a stable code and words that say what to fix (plus e.g. ``current``)."""

    error: str
    message: str


class HealthReply(Reply):
    status: str
    version: str
    head_seq: int
    feed_id: str
    clients: int


class LogoutReply(Reply):
    status: str


class MediaReply(Reply):
    url: str
    sha256: str
    bytes: int


ERRORS = {400: "unparseable body or query parameter", 401: "not logged in or token expired",
          403: "this role or scope may not do it", 404: "not found in the caller's scope",
          409: "conflict (stale version, wrong state, media not stored yet); 'current' row",
          408: "the body stopped arriving (nothing for 30 s)", 413: "body larger than the limit",
          415: "not a JPEG or PNG image",
          422: "invalid_payload: '<field path>: <what is wrong>'",
          429: "too many failed logins; retry_after seconds"}


class _Builder:
    """Collects the component schemas while the operations are described."""

    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def schema(self, tp: Any) -> dict[str, Any]:
        """The JSON Schema of a model or type; a model becomes a ``$ref`` to its component."""
        schema = TypeAdapter(tp).json_schema(ref_template=REF)
        self.components.update(schema.pop("$defs", {}))
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            name = tp.__name__
            self.components[name] = schema
            return {"$ref": REF.format(model=name)}
        return schema

    def params(self, model: type[BaseModel], where: str = "query") -> list[dict[str, Any]]:
        schema = model.model_json_schema(ref_template=REF)
        self.components.update(schema.pop("$defs", {}))
        required = set(schema.get("required", ()))
        return [{"name": name, "in": where, "required": name in required or where == "path",
                 "schema": _not_null(prop), **({"description": prop["description"]}
                                               if "description" in prop else {})}
                for name, prop in schema["properties"].items()]

    def path(self, name: str, tp: Any) -> dict[str, Any]:
        return {"name": name, "in": "path", "required": True, "schema": self.schema(tp)}

    def op(self, summary: str, body: Any = None, *, ok: Any = None, auth: bool = True,
           params: list[dict[str, Any]] | None = None, errors: tuple[int, ...] = (),
           content: dict[str, Any] | None = None, ok_status: str = "200",
           ok_content: dict[str, Any] | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {"summary": summary}
        if params:
            op["parameters"] = params
        if body is not None or content is not None:
            op["requestBody"] = {"required": True, "content": content or {
                "application/json": {"schema": self.schema(body)}}}
        response: dict[str, Any] = {"description": "OK"}
        if ok_content is not None:
            response["content"] = ok_content
        elif ok is not None:
            response["content"] = {"application/json": {"schema": self.schema(ok)}}
        error = {"content": {"application/json": {"schema": self.schema(ErrorReply)}}}
        codes = sorted(set(errors) | ({401} if auth else set()))
        op["responses"] = {ok_status: response,
                           **{str(code): {"description": ERRORS[code], **error}
                              for code in codes}}
        op["security"] = [{"bearer": []}] if auth else []
        return op


def openapi_document(version: str) -> dict[str, Any]:
    b = _Builder()
    json_body = (400, 413, 422)
    image = {"type": "string", "format": "binary", "minLength": 1,
             "maxLength": _DEFAULTS.max_media_bytes}
    paths: dict[str, Any] = {
        "/api/health": {"get": b.op("liveness, version, head sequence and feed id",
                                    ok=HealthReply, auth=False)},
        "/api/login": {"post": b.op(
            "log in; returns a bearer token (429 with retry_after when throttled)",
            auth.LoginRequest, ok=auth.LoginReply, auth=False, errors=(*json_body, 401, 429))},
        "/api/logout": {"post": b.op("invalidate the caller's token", ok=LogoutReply)},
        "/api/me": {"get": b.op("the caller's identity and role", ok=auth.UserInfo)},
        "/api/password": {"post": b.op(
            "change the caller's own password (old and new; policy checked); the caller's other "
            "sessions end; the only route besides /api/me and /api/logout open to a session "
            "whose password must be changed",
            auth.PasswordChange, ok=auth.PasswordChanged, errors=(*json_body, 403, 409))},
        "/api/sessions": {"get": b.op(
            "who is signed in now (admin: the city; district admin: the accounts of the "
            "district); end one with the action session.end",
            ok=accounts.SessionsReply, errors=(403,))},
        "/api/changes": {"get": b.op(
            "change feed page after a sequence number, filtered to the caller's scope "
            "(409 cursor_ahead when since is beyond the head)",
            params=b.params(reads.ChangesQuery), ok=reads.ChangesReply, errors=(400, 409))},
        "/api/ws": {"get": b.op(
            "WebSocket: replay after since, hello, then live change and reading messages "
            "(the token may come as ?token= instead of the header)",
            params=[*b.params(reads.WsQuery), *_upgrade_headers()], ok_status="101",
            errors=(400,))},
        "/api/readings": {"post": b.op(
            "ingest a batch of sensor readings (device role); bad items are rejected by index "
            "and the good ones stored; 422 if none was accepted",
            ingest.ReadingsBatch, ok=ingest.ReadingsReply, errors=(*json_body, 403))},
        "/api/events/ai": {"post": b.op(
            "AI violation event with an optional JPEG or PNG snapshot (device role)",
            ingest.AiEvent, ok=ingest.AiReply, errors=(*json_body, 403, 404))},
        "/api/events/health": {"post": b.op(
            "camera or sensor health; one event or {\"events\": [...]} (device role)",
            ingest.HealthEvent | ingest.HealthBatch, ok=dict[str, Any],
            errors=(*json_body, 403, 404))},
        "/api/actions": {"post": b.op(
            "apply an operator or field action once per idempotency key; the payload is "
            "chosen by kind",
            act.ActionRequest, ok=act.ActionReply, errors=(*json_body, 403, 404, 409))},
        "/api/sensors/{sensor_id}/readings": {"get": b.op(
            "readings of one sensor, bucketed in SQL to at most max_points (400 when from is "
            "after to or the range exceeds 400 days)",
            params=[b.path("sensor_id", reads.SensorId), *b.params(reads.SensorReadingsQuery)],
            ok=reads.ReadingsReply, errors=(400, 404))},
        "/api/users": {"get": b.op(
            "active users (e.g. role=field assignees): admin and operator the city, district "
            "staff their district; other roles 403",
            params=b.params(reads.UsersQuery), ok=reads.UsersReply, errors=(400, 403))},
        "/api/entity/{entity}/{entity_id}": {"get": b.op(
            "one synced row in its current state (404 outside the caller's scope)",
            params=[b.path("entity", reads.Entity), b.path("entity_id", reads.EntityId)],
            ok=reads.Change, errors=(400, 403, 404))},
        "/api/stats": {"get": b.op("dashboard statistics for the caller's scope",
                                   ok=dict[str, Any], errors=(403,))},
        "/api/media": {"post": b.op(
            "upload an evidence image (JPEG or PNG, at most 5 MB); named by its SHA-256",
            content={"image/jpeg": {"schema": image}, "image/png": {"schema": image}},
            ok=MediaReply, errors=(403, 408, 413, 415, 422))},
        "/media/{name}": {"get": b.op(
            "download an evidence image (bearer token in the header; 404 unless the caller's "
            "scope covers a row that refers to it, or the caller uploaded it; cached privately)",
            params=[b.path("name", reads.MediaName)], errors=(401, 404),
            ok_content={"image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                        "image/png": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/recorder/plan": {"get": b.op(
            "for a recorder (device or admin): the cameras in its scope that a live recording "
            "policy covers, with each mode's retention and pre/post roll",
            params=b.params(rec.PlanQuery), ok=dict[str, Any], errors=(400, 403))},
        "/api/recordings/segments": {"post": b.op(
            "index finished segments (a known id is skipped: repeats are harmless)",
            rec.SegmentsBody, ok=rec.SegmentsReply, errors=(*json_body, 403, 404))},
        "/api/recordings/prune": {"post": b.op(
            "remove from the index this recorder's expired segments, then its oldest until "
            "free_bytes are freed, never a locked one; the recorder then deletes the files",
            rec.PruneBody, ok=rec.PruneReply, errors=(*json_body, 403))},
        "/api/recordings/status": {"post": b.op(
            "a recorder reports a full disk (or its end): a 'recorder' alarm per camera",
            rec.RecorderStatus, ok=dict[str, Any], errors=(*json_body, 403))},
        "/api/recordings": {"get": b.op(
            "what was recorded of one camera in a time range: segments, ranges, gaps and "
            "evidence locks (office and viewer; a district user their district; field never)",
            params=b.params(rec.RecordingsQuery), ok=rec.RecordingsReply,
            errors=(400, 403, 404))},
        "/api/recordings/clip.{ext}": {"get": b.op(
            "one continuous clip of a time range without re-encoding: an HLS playlist (m3u8, "
            "segments linked with the caller's token) or the segments as one MPEG-TS stream",
            params=[b.path("ext", Literal["m3u8", "ts"]), *b.params(rec.RecordingsQuery)],
            errors=(400, 403, 404),
            ok_content={"application/vnd.apple.mpegurl": {"schema": {"type": "string"}},
                        "video/mp2t": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/recordings/links": {"post": b.op(
            "mint a signed playback address (for players that cannot send a header) for one "
            "camera and range: valid 2 minutes, tied to the caller's session, scope-checked",
            rec.LinkBody, ok=rec.LinkReply, errors=(*json_body, 403, 404))},
        "/api/recordings/signed/clip.ts": {"get": b.op(
            "play a signed address (no Authorization header): 401 once expired, after logout, "
            "when tampered with or claiming more than 5 minutes of life",
            errors=(400, 401, 404),
            ok_content={"video/mp2t": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/recordings/{segment}": {"get": b.op(
            "one segment file (MPEG-TS); Range requests answer 206 with Content-Range, 416 "
            "outside the file",
            params=[b.path("segment", rec.SegmentId)], errors=(403, 404),
            ok_content={"video/mp2t": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/recordings/{segment}.ts": {"get": b.op(
            "the same segment under a media file name (what the HLS playlist links)",
            params=[b.path("segment", rec.SegmentId)], errors=(403, 404),
            ok_content={"video/mp2t": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/registry/import": {"post": b.op(
            "import a ledger file (.xlsx or .csv, the file as the body): check every row, then "
            "write all valid rows in one transaction, or none (dry_run=1: count only); admin "
            "city-wide, a district admin only rows of their district",
            params=b.params(ledger_schema.ImportQuery),
            content={"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                     {"schema": {"type": "string", "format": "binary", "minLength": 1}},
                     "text/csv": {"schema": {"type": "string", "minLength": 1}}},
            ok=ledger_schema.ImportReply, errors=(400, 403, 408, 413, 415, 422))},
        "/api/bulletins": {"get": b.op(
            "督查通报 of the caller's districts, newest period first (a viewer: published only; "
            "field and device roles 403)",
            params=b.params(bulletin_schema.BulletinsQuery), ok=dict[str, Any],
            errors=(400, 403))},
        "/api/bulletins/{id}": {"get": b.op(
            "one bulletin with its figures and red/black lists (404 outside the caller's scope)",
            params=[b.path("id", Id)], ok=dict[str, Any], errors=(403, 404))},
        "/api/bulletins/{id}/pdf": {"get": b.op(
            "the bulletin as a PDF (Chinese; its state printed on every page)",
            params=[b.path("id", Id)], errors=(403, 404),
            ok_content={"application/pdf": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/businesses/{id}/disinfection-ledger.xlsx": {"get": b.op(
            "the business's 清洗消毒台账 (one row per cabinet and meal service, a missing cycle "
            "in red) for from..to (local dates, default the last 30 days, at most 366)",
            params=[b.path("id", Id),
                    {"name": "from", "in": "query", "required": False,
                     "schema": {"type": "string", "format": "date"}},
                    {"name": "to", "in": "query", "required": False,
                     "schema": {"type": "string", "format": "date"}}],
            errors=(400, 403, 404, 422),
            ok_content={"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                        {"schema": {"type": "string", "format": "binary"}}})},
        "/api/baobao/figures": {"get": b.op(
            "包保 coverage, supervision rate and overdue visits per official, street and "
            "district, and each business's official and last visit (the caller's scope; "
            "404 for another district)",
            params=b.params(bb.FiguresQuery), ok=bb.FiguresReply, errors=(400, 403, 404))},
        "/api/baobao/visits": {"get": b.op(
            "the newest 包保 visits (of one business), with a verdict per checklist item",
            params=b.params(bb.VisitsQuery), ok=dict[str, Any], errors=(400, 403, 404))},
        "/api/checklists": {"get": b.op(
            "the current checklist of each business category (version 0: the built-in "
            "default); change one with the action checklist.save",
            params=b.params(bb.ChecklistsQuery), ok=dict[str, Any], errors=(400, 403))},
        "/api/views": {"get": b.op(
            "who watched the cameras of a business (or what one user watched): newest first, "
            "from the console's view.batch actions",
            params=b.params(bb.ViewsQuery), ok=dict[str, Any], errors=(400, 403, 404))},
        "/api/risk": {"get": b.op(
            "risk scores of the businesses in the caller's scope, highest first, each with "
            "its reasons (category, open and overdue tasks, alarms, red/black list, licence, "
            "hours with a covered or offline camera); devices 403",
            params=b.params(risk_schema.RiskQuery), ok=risk_schema.RiskReply,
            errors=(400, 403, 404))},
        "/api/risk/plan": {"get": b.op(
            "a month's online patrol plan: looks each business needs by the frequency rules "
            "and its risk, looks done, who is behind schedule (first), then by risk",
            params=b.params(risk_schema.RiskPlanQuery), ok=risk_schema.RiskPlanReply,
            errors=(400, 403))},
        "/api/major-events": {"get": b.op(
            "major events (重大活动保障) of the caller's scope with their reception kitchens, "
            "period, tighter limits and the meal sign-offs past due; set up with the action "
            "event.save, meals signed with event.signoff",
            ok=event_schema.EventsReply, errors=(403,))},
        "/api/major-events/{event_id}/report.xlsx": {"get": b.op(
            "the event's report: sign-offs, and the alarms and tasks of its kitchens during "
            "the period, one sheet each",
            params=[b.path("event_id", reads.EntityId)], errors=(403, 404),
            ok_content={"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                        {"schema": {"type": "string", "format": "binary"}}})},
        "/api/openapi.json": {"get": b.op("this document", auth=False, ok=dict[str, Any])},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kitchen Watch central", "version": version,
                 "description": "Semantics of every route: docs/protocol.md. Generated from "
                                "central's payload models (central/schemas)."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": dict(sorted(b.components.items())),
        },
        "paths": paths,
        "x-task-actions": ACTIONS,
        "x-media-pattern": MEDIA_PATTERN,
    }


def _not_null(prop: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is text or absent, never JSON null: drop the model's null branch."""
    branches = [s for s in prop.get("anyOf", ()) if s.get("type") != "null"]
    if len(branches) != 1:
        return prop
    rest = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
    return {**branches[0], **rest}


def _upgrade_headers() -> list[dict[str, Any]]:
    """What makes a GET a WebSocket handshake (RFC 6455); without them the answer is 400."""
    def header(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "in": "header", "required": True, "schema": schema}

    return [header("Upgrade", {"const": "websocket"}),
            header("Connection", {"const": "Upgrade"}),
            header("Sec-WebSocket-Version", {"const": "13"}),
            header("Sec-WebSocket-Key", {"type": "string",
                                         "pattern": r"^[A-Za-z0-9+/]{21}[AQgw]==$"})]


_CACHE: dict[str, dict[str, Any]] = {}


@routes.get("/api/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    if VERSION not in _CACHE:
        _CACHE[VERSION] = openapi_document(VERSION)
    return web.json_response(_CACHE[VERSION])
