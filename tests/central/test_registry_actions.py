"""Editing the registry through actions: who may, what is refused and why, and that every
change reaches the feed and the audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from central.auth import hash_password
from central.demo_registry import DEMO_PASSWORD
from db.models import (
    Alarm,
    AuditEntry,
    Business,
    Camera,
    ChangeLog,
    Grid,
    OnboardingTarget,
    Sensor,
    Street,
    User,
)
from domain.clock import utcnow
from tests.central.conftest import Api

D1, D2 = "D01", "D02"


async def _district_admin(api: Api, district: str = D1) -> str:
    """An admin with a district: administers that district only."""
    name = f"admin_{district.lower()}"

    def work(session: Any) -> None:
        session.add(User(id=f"u-{name}", username=name, display_name="区管理员", role="admin",
                         district_id=district, password_hash=hash_password(DEMO_PASSWORD),
                         active=True, version=1))

    await api.db.write(work)
    return name


async def _first(api: Api, model: Any, district: str = D1) -> Any:
    return await api.db.read(lambda s: s.scalars(
        select(model).where(model.district_id == district).order_by(model.id).limit(1)).one())


def _business(**over: Any) -> dict[str, Any]:
    return {"id": "B-new-1", "district_id": D1, "name": "  新开张小吃店 ", "category": "small",
            "address": "某路1号", "credit_code": "91350100M000100Y43",
            "licence_no": "JY13501000000001",
            "licence_expiry": "2028-03-01", "latitude": 26.07, "longitude": 119.3,
            "official_name": "王五", "official_phone": "13800000000", **over}


async def _audits(api: Api, action: str) -> list[AuditEntry]:
    return await api.db.read(lambda s: list(s.scalars(
        select(AuditEntry).where(AuditEntry.action == action))))


async def _feed_row(api: Api, entity: str, ident: str) -> ChangeLog | None:
    return await api.db.read(lambda s: s.scalars(select(ChangeLog).where(
        ChangeLog.entity == entity, ChangeLog.entity_id == ident)).first())


async def test_admin_creates_a_street_a_community_and_a_business_under_them(api: Api) -> None:
    street = await api.action("admin", "street.save", {"id": "S-new", "district_id": D1,
                                                       "name": "新港街道"})
    assert street.status == 200, street.body
    assert street.body["result"]["street"]["version"] == 1
    grid = await api.action("admin", "grid.save", {"id": "G-new", "district_id": D1,
                                                   "street_id": "S-new", "name": "新港社区",
                                                   "officer_phone": "0591-1234567"})
    assert grid.status == 200, grid.body
    created = await api.action("admin", "business.save", _business(grid_id="G-new"))
    assert created.status == 200, created.body
    row = created.body["result"]["business"]
    assert (row["name"], row["street_id"], row["grid_id"]) == ("新开张小吃店", "S-new", "G-new")
    assert row["licence_expiry"] == "2028-03-01" and row["version"] == 1
    feed = await _feed_row(api, "business", "B-new-1")
    assert feed is not None and feed.payload["street_id"] == "S-new" and not feed.deleted
    assert [a.district_id for a in await _audits(api, "business.save")] == [D1]


async def test_an_edit_bumps_the_version_and_an_unchanged_save_writes_nothing(api: Api) -> None:
    await api.action("admin", "business.save", _business())
    edited = await api.action("admin", "business.save",
                              _business(name="新名字", expected_version=1))
    assert edited.status == 200 and edited.body["result"]["business"]["version"] == 2
    again = await api.action("admin", "business.save",
                             _business(name="新名字", expected_version=2))
    assert again.body["result"]["outcome"] == "unchanged"
    assert len(await _audits(api, "business.save")) == 2


async def test_a_stale_edit_is_refused_with_the_current_row(api: Api) -> None:
    await api.action("admin", "business.save", _business())
    await api.action("admin", "business.save", _business(name="甲改的", expected_version=1))
    stale = await api.action("admin", "business.save",
                             _business(name="乙改的", expected_version=1))
    assert stale.status == 409 and stale.body["error"] == "stale_version"
    assert "changed by someone else meanwhile" in stale.body["message"]
    assert stale.body["current"]["name"] == "甲改的" and stale.body["current"]["version"] == 2
    missing = await api.action("admin", "business.save", _business(name="丙"))
    assert missing.status == 409 and missing.body["error"] == "version_required"
    assert missing.body["current"]["name"] == "甲改的"
    stored = await api.db.read(lambda s: s.get(Business, "B-new-1"))
    assert stored.name == "甲改的"


async def test_only_admins_edit_the_registry(api: Api) -> None:
    for user in ("operator", "kbs", "viewer"):
        reply = await api.action(user, "street.save", {"id": "S-x", "district_id": D1,
                                                       "name": "街道"})
        assert reply.status == 403, (user, reply.body)
    assert await api.db.read(lambda s: s.get(Street, "S-x")) is None


async def test_a_district_admin_edits_their_district_only(api: Api) -> None:
    admin = await _district_admin(api, D1)
    mine = await api.action(admin, "business.save", _business())
    assert mine.status == 200, mine.body
    other = await _first(api, Business, D2)
    foreign = await api.action(admin, "business.save", _business(
        id=other.id, district_id=D2, expected_version=other.version, credit_code=""))
    assert foreign.status == 404 and foreign.body["error"] == "not_found"
    assert (await api.db.read(lambda s: s.get(Business, other.id))).name == other.name
    into_other = await api.action(admin, "business.save", _business(id="B-new-2",
                                                                    district_id=D2,
                                                                    credit_code=""))
    assert into_other.status == 404 and "district D02 not found" in into_other.body["message"]
    retire = await api.action(admin, "business.retire", {"id": other.id})
    assert retire.status == 404
    district = await api.action(admin, "district.save", {"id": D1, "name": "改名区",
                                                         "expected_version": 1})
    assert district.status == 403


async def test_retiring_a_business_with_open_alarms_is_refused_with_the_reason(api: Api) -> None:
    business = await _first(api, Business)

    def alarm(session: Any) -> None:
        session.add(Alarm(kind="ai", subtype="smoking", district_id=D1,
                          business_id=business.id, condition_key=f"test:{business.id}",
                          opened_at=utcnow(), last_seen_at=utcnow()))

    await api.db.write(alarm)
    refused = await api.action("admin", "business.retire", {"id": business.id})
    assert refused.status == 409 and refused.body["error"] == "in_use"
    assert "1 open alarms" in refused.body["message"]
    assert await api.db.read(lambda s: s.get(Business, business.id)) is not None


async def test_retiring_a_business_takes_its_cameras_and_sensors_along(api: Api) -> None:
    await api.action("admin", "business.save", _business())
    await api.action("admin", "camera.save", {"id": "C-new", "business_id": "B-new-1",
                                              "name": "后厨", "main_url": "rtsp://h/1"})
    await api.action("admin", "sensor.save", {"id": "S-new-TH", "business_id": "B-new-1",
                                              "camera_id": "C-new", "kind": "special_room"})
    retired = await api.action("admin", "business.retire", {"id": "B-new-1",
                                                            "expected_version": 1})
    assert retired.status == 200, retired.body
    for model, ident in ((Business, "B-new-1"), (Camera, "C-new"), (Sensor, "S-new-TH")):
        assert await api.db.read(lambda s, m=model, i=ident: s.get(m, i)) is None
    for entity, ident in (("business", "B-new-1"), ("camera", "C-new"),
                          ("sensor", "S-new-TH")):
        feed = await _feed_row(api, entity, ident)
        assert feed is not None and feed.deleted, entity
    assert len(await _audits(api, "business.retire")) == 1


async def test_a_street_with_communities_or_businesses_is_not_retired(api: Api) -> None:
    await api.action("admin", "street.save", {"id": "S-new", "district_id": D1, "name": "街"})
    await api.action("admin", "grid.save", {"id": "G-new", "district_id": D1,
                                            "street_id": "S-new", "name": "社区"})
    refused = await api.action("admin", "street.retire", {"id": "S-new"})
    assert refused.status == 409 and "1 communities" in refused.body["message"]
    assert (await api.action("admin", "grid.retire", {"id": "G-new"})).status == 200
    assert (await api.action("admin", "street.retire", {"id": "S-new"})).status == 200
    assert await api.db.read(lambda s: s.get(Street, "S-new")) is None
    grid = await _first(api, Grid)
    busy = await api.action("admin", "grid.retire", {"id": grid.id})
    assert busy.status == 409 and "businesses" in busy.body["message"]


async def test_a_district_with_rows_is_not_retired(api: Api) -> None:
    refused = await api.action("admin", "district.retire", {"id": D1})
    assert refused.status == 409 and refused.body["error"] == "in_use"
    created = await api.action("admin", "district.save", {"id": "D99", "name": "新区"})
    assert created.status == 200
    assert (await api.action("admin", "district.retire", {"id": "D99"})).status == 200


async def test_inconsistent_places_are_refused(api: Api) -> None:
    other_grid = await _first(api, Grid, D2)
    wrong = await api.action("admin", "business.save", _business(grid_id=other_grid.id))
    assert wrong.status == 404 and f"no community {other_grid.id} in district D01" \
        in wrong.body["message"]
    await api.action("admin", "street.save", {"id": "S-a", "district_id": D1, "name": "甲"})
    await api.action("admin", "street.save", {"id": "S-b", "district_id": D1, "name": "乙"})
    await api.action("admin", "grid.save", {"id": "G-a", "district_id": D1,
                                            "street_id": "S-a", "name": "甲社区"})
    mismatch = await api.action("admin", "business.save", _business(grid_id="G-a",
                                                                     street_id="S-b"))
    assert mismatch.status == 422 and "lies in street S-a" in mismatch.body["message"]
    half = await api.action("admin", "business.save", _business(longitude=None))
    assert half.status == 422 and "give both latitude and longitude" in half.body["message"]
    typo = await api.action("admin", "business.save", _business(credit_code="91350100M000100Y44"))
    assert typo.status == 422 and typo.body["reason"] == "credit_code_check"
    assert "expected 3" in typo.body["message"]


async def test_natural_keys_name_one_row(api: Api) -> None:
    first = await api.action("admin", "business.save", _business())
    assert first.status == 200
    twin = await api.action("admin", "business.save", _business(id="B-new-2", licence_no=""))
    assert twin.status == 409 and twin.body["error"] == "duplicate"
    assert "credit code 91350100M000100Y43 is already registered (B-new-1)" \
        in twin.body["message"]
    admin = await _district_admin(api, D2)
    hidden = await api.action(admin, "business.save", _business(id="B-new-3", district_id=D2,
                                                                credit_code=""))
    assert hidden.status == 409 and "B-new-1" not in hidden.body["message"]
    assert "another district" in hidden.body["message"]


async def test_camera_fields_are_checked_without_echoing_credentials(api: Api) -> None:
    business = await _first(api, Business)
    base = {"id": "C-new", "business_id": business.id, "name": "凉菜间"}
    short = await api.action("admin", "camera.save", {**base, "main_url": "rtsp://h/1",
                                                      "gb_code": "3501"})
    assert short.status == 422 and "gb_code" in short.body["message"]
    bad = await api.action("admin", "camera.save", {**base,
                                                    "main_url": "ftp://u:secret@h/x"})
    assert bad.status == 422 and bad.body["reason"] == "url_scheme"
    assert "secret" not in bad.body["message"]
    good = await api.action("admin", "camera.save", {
        **base, "main_url": "rtsp://u:secret@h/1", "gb_code": "35010000001320000001",
        "public": True, "playback_url": "http://nvr.example/pb"})
    assert good.status == 200, good.body
    assert good.body["result"]["camera"]["district_id"] == business.district_id
    twin = await api.action("admin", "camera.save", {**base, "id": "C-new-2",
                                                     "main_url": "rtsp://h/2",
                                                     "gb_code": "35010000001320000001"})
    assert twin.status == 409 and twin.body["error"] == "duplicate"


async def test_sensor_limits_keep_the_rule_bounds(api: Api) -> None:
    business = await _first(api, Business)
    base = {"id": "S-new", "business_id": business.id, "kind": "special_room"}
    hot = await api.action("admin", "sensor.save", {**base, "params": {"max_temp": 99}})
    assert hot.status == 422 and "max_temp" in hot.body["message"]
    alien = await api.action("admin", "sensor.save", {**base, "params": {"hold_min": 10}})
    assert alien.status == 422 and "not a parameter of a special_room sensor" \
        in alien.body["message"]
    ok = await api.action("admin", "sensor.save", {**base, "params": {"max_temp": 24}})
    assert ok.status == 200 and ok.body["result"]["sensor"]["params"] == {"max_temp": 24}
    other_camera = await _first(api, Camera, D2)
    wrong = await api.action("admin", "sensor.save", {**base, "camera_id": other_camera.id,
                                                      "expected_version": 1})
    assert wrong.status == 404 and "no camera" in wrong.body["message"]


async def test_onboarding_target_is_one_per_district_and_street(api: Api) -> None:
    first = await api.action("admin", "onboarding_target.set", {"district_id": D1,
                                                                "businesses": 500})
    assert first.status == 200, first.body
    second = await api.action("admin", "onboarding_target.set", {"district_id": D1,
                                                                 "businesses": 480})
    assert second.body["result"]["onboarding_target"]["version"] == 2
    rows = await api.db.read(lambda s: s.scalar(select(func.count()).select_from(
        OnboardingTarget)))
    assert rows == 1
    admin = await _district_admin(api, D1)
    foreign = await api.action(admin, "onboarding_target.set", {"district_id": D2,
                                                                "businesses": 1})
    assert foreign.status == 404 and "district D02 not found" in foreign.body["message"]
    operator = await api.action("operator", "onboarding_target.set", {"district_id": D1,
                                                                      "businesses": 1})
    assert operator.status == 403
    assert len(await _audits(api, "onboarding_target.save")) == 2
