"""The OpenAPI document covers every route; statistics follow the caller's scope."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select

from central import actions as actions_module
from central.actions import _IDEM_KEY as IDEM_KEY
from central.actions import HANDLERS
from central.openapi import openapi_document
from central.schemas import common, ingest, reads
from central.schemas.actions import PAYLOADS, Envelope
from central.schemas.auth import LoginRequest
from central.schemas.common import MEDIA_PATTERN, validate_query
from db.models import Camera, utcnow
from tests.central.conftest import Api
from tests.central.schema_strategies import SchemaStrategies


async def test_every_route_is_described(api: Api) -> None:
    doc = (await api.get("/api/openapi.json")).body
    described = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    registered = set()
    for route in api.app.router.routes():
        if route.method in ("HEAD", "OPTIONS"):
            continue
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        registered.add((path, route.method.lower()))
    assert registered <= described, registered - described
    assert doc["openapi"].startswith("3.")


async def test_stats_per_scope(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == "D01").limit(1)).one())
    await api.post("/api/events/ai", {"camera_id": camera.id, "violation": "no_mask",
                                      "ts": utcnow().isoformat()}, "gateway")
    await api.post("/api/events/health", {"device": "camera", "id": camera.id,
                                          "online": False}, "gateway")
    city = (await api.get("/api/stats", "operator")).body
    kbs = (await api.get("/api/stats", "kbs")).body
    ds = (await api.get("/api/stats", "ds")).body
    assert set(city["districts"]) == {"D01", "D02", "D03", "D04", "D05"}
    assert set(kbs["districts"]) == {"D01"} and kbs["scope"]["name"] == "康巴什区"
    assert city["businesses"]["total"] == sum(city["businesses"]["by_district"].values())
    assert kbs["businesses"]["total"] == city["businesses"]["by_district"]["D01"]
    assert city["channels"]["online"] == city["channels"]["total"] - 1
    assert kbs["channels"]["online_by_district"]["D01"] == kbs["channels"]["by_district"]["D01"] - 1
    assert city["alarms"]["today"] == kbs["alarms"]["today"] == 2 and ds["alarms"]["today"] == 0
    assert sorted(kbs["alarms"]["open_by_kind"]) == ["ai_violation", "device_offline"]
    assert len(city["alarms"]["by_day"]) == 14
    assert kbs["black_list"][0]["business_id"] == camera.business_id
    assert city["patrol"]["planned"] > 0 and city["tasks"]["closure_rate"] is None
    assert (await api.get("/api/stats", "gateway")).status == 403


# --------------------------------------------------------------------------- the description
# The description is generated from the models the routes validate with; these tests hold the
# two together: what the description allows, the server's own shape checks accept.

AGREE = settings(max_examples=150, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow, HealthCheck.filter_too_much])
DOC = openapi_document("test")
SCHEMAS = SchemaStrategies(DOC)


def _body(path: str) -> dict:
    return DOC["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


def _refs(node: object) -> set[str]:
    if isinstance(node, dict):
        own = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_the_description_is_generated_from_the_models() -> None:
    assert DOC["openapi"] == "3.1.0"
    refs = _refs(DOC)
    assert refs and all(r.rsplit("/", 1)[-1] in DOC["components"]["schemas"] for r in refs)
    actions = _body("/api/actions")
    mapping = actions["discriminator"]["mapping"]
    assert set(mapping) == set(HANDLERS) == set(PAYLOADS) and "audit" not in mapping
    for kind, ref in mapping.items():
        variant = DOC["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert variant["properties"]["kind"]["const"] == kind
        assert variant["properties"]["payload"]["$ref"].endswith("/" + PAYLOADS[kind].__name__)
        assert variant["additionalProperties"] is False
    # A model's constraint is the description's constraint.
    params = DOC["components"]["schemas"]["RuleParams"]["properties"]
    hold = next(b for b in params["hold_s"]["anyOf"] if b.get("type") == "number")
    assert (hold["minimum"], hold["maximum"]) == (0, 86400)
    record = DOC["components"]["schemas"]["PatrolRecord"]["properties"]
    assert record["snapshot_url"]["pattern"] == MEDIA_PATTERN
    ws = {p["name"]: p for p in DOC["paths"]["/api/ws"]["get"]["parameters"]}
    assert ws["since"]["schema"]["minimum"] == 0 and ws["Upgrade"]["in"] == "header"
    media = DOC["paths"]["/api/media"]["post"]
    assert "image/jpeg" in media["requestBody"]["content"] and "413" in media["responses"]
    assert DOC["paths"]["/media/{name}"]["get"]["parameters"][0]["schema"]["pattern"]


def _shape_errors(model: type, data: object) -> list[dict]:
    """Errors of ``model`` for ``data`` other than cross-field checks (which JSON Schema
    cannot express: a box inside the frame, a patrol that ends after it started)."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [e for e in exc.errors() if e["type"] != "value_error"
                or ("before started_at" not in e["msg"] and "beyond the frame" not in e["msg"])]
    return []


@AGREE
@given(body=SCHEMAS.of(_body("/api/actions")))
def test_every_action_the_description_allows_passes_the_shape_checks(body: dict) -> None:
    assert IDEM_KEY.fullmatch(body["idem_key"])
    Envelope.model_validate(body)
    assert _shape_errors(PAYLOADS[body["kind"]], body["payload"]) == []


@AGREE
@given(reading=SCHEMAS.of(DOC["components"]["schemas"]["Reading"]),
       event=SCHEMAS.of(_body("/api/events/ai")),
       health=SCHEMAS.of(_body("/api/events/health")),
       login=SCHEMAS.of(_body("/api/login")))
def test_every_gateway_and_login_body_the_description_allows_passes(
        reading: dict, event: dict, health: dict, login: dict) -> None:
    assert _shape_errors(ingest.Reading, reading) == []
    assert _shape_errors(ingest.AiEvent, event) == []
    if "events" in health:
        assert all(_shape_errors(ingest.HealthEvent, e) == [] for e in health["events"])
    else:
        assert _shape_errors(ingest.HealthEvent, health) == []
    assert _shape_errors(LoginRequest, login) == []


def _query_strategy(path: str) -> st.SearchStrategy[dict[str, str]]:
    params = [p for p in DOC["paths"][path]["get"].get("parameters", ()) if p["in"] == "query"]
    return st.fixed_dictionaries({}, optional={
        p["name"]: SCHEMAS.of(p["schema"]).map(str) for p in params})


@AGREE
@given(changes=_query_strategy("/api/changes"), users=_query_strategy("/api/users"),
       readings=_query_strategy("/api/sensors/{sensor_id}/readings"),
       ws=_query_strategy("/api/ws"))
def test_every_query_the_description_allows_passes(changes: dict, users: dict, readings: dict,
                                                   ws: dict) -> None:
    validate_query(reads.ChangesQuery, changes)
    validate_query(reads.UsersQuery, users)
    validate_query(reads.SensorReadingsQuery, readings)
    validate_query(reads.WsQuery, ws)


async def test_the_fuzzers_500s_are_422s(api: Api) -> None:
    """What a fuzzer driven by the old description found: an empty camera id with an empty
    health object was a 500."""
    reply = await api.post("/api/events/health", {"device": "camera", "id": "", "online": True,
                                                  "health": {}}, "gateway")
    assert reply.status == 422 and reply.body["message"].startswith("body.id: ")
    batch = await api.post("/api/events/health", {"events": [
        {"device": "camera", "id": "x", "online": True, "health": {}}]}, "gateway")
    assert batch.status == 200
    assert batch.body["rejected"][0]["message"].startswith("events[0].health: expected one of")
    far = await api.get("/api/sensors/x/readings?to=0001-01-01T00:00:00Z", "operator")
    assert far.status == 400 and "outside the years" in far.body["message"]


async def test_described_requests_reach_the_handlers(api: Api) -> None:
    """Requests drawn from the description, sent to the running server: none is refused by
    the server's own shape validation (a spy counts the ValidationErrors it turns into
    answers); what remains are answers about the world (404, 409, a past deadline)."""
    refusals: list[str] = []
    real = common.describe_error

    def spy(*args, **kwargs):
        message = real(*args, **kwargs)
        if "before started_at" not in message and "beyond the frame" not in message:
            refusals.append(message)
        return message

    examples: list[tuple[str, dict]] = []

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(action=SCHEMAS.of(_body("/api/actions")), login=SCHEMAS.of(_body("/api/login")),
           event=SCHEMAS.of(_body("/api/events/ai")))
    def draw(action: dict, login: dict, event: dict) -> None:
        examples.extend([("/api/actions", action), ("/api/login", login),
                         ("/api/events/ai", event)])

    draw()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common, "describe_error", spy)
        patch.setattr(actions_module, "describe_error", spy)
        for path, body in examples:
            user = {"/api/actions": "admin", "/api/events/ai": "gateway"}.get(path)
            reply = await api.post(path, body, as_user=user)
            assert reply.status < 500 and reply.status != 400, (path, body, reply.body)
    assert refusals == []
