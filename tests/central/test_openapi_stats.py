"""The OpenAPI document covers every route; statistics follow the caller's scope."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Camera, utcnow
from tests.central.conftest import Api


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
