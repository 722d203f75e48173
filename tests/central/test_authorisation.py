"""Issue 12's authorisation holes, each tried the way a careless or hostile user of the API
would: a district user's city-wide patrol plan, forged audit entries, a 1e9 °C limit, the demo
viewer listing the city's users, and evidence links that point anywhere but central's media."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from db.models import (
    Alarm,
    AppliedAction,
    AuditEntry,
    Business,
    Camera,
    Grid,
    PatrolPlan,
    PatrolRecord,
    Sensor,
    SensorKind,
    TaskEvent,
    utcnow,
)
from tests.central.conftest import Api
from tests.central.test_ingest import TINY_JPEG

ALL_ROLES = ("admin", "operator", "kbs", "kbs_field1", "viewer", "gateway")


async def _count(api: Api, model: type, *where: Any) -> int:
    return await api.db.read(lambda s: s.scalar(
        select(func.count()).select_from(model).where(*where)))


# --------------------------------------------------------------------------- patrol plans


async def test_district_staff_plan_only_their_own_district(api: Api) -> None:
    city = await api.action("kbs", "patrol_plan.save", {
        "id": "plan-city-key", "name": "hijacked", "selection": {"business_ids": ["x"]}})
    assert city.status == 403 and "city-wide" in city.body["message"]
    new_city = await api.action("kbs", "patrol_plan.save", {
        "id": uuid4().hex, "name": "mine", "district_id": None, "selection": {}})
    assert new_city.status == 403 and "city-wide plans are the centre's" in new_city.body["message"]
    foreign = await api.action("kbs", "patrol_plan.save", {"id": "plan-D02-school", "name": "x"})
    assert foreign.status == 404  # another district's plan does not exist for kbs
    moved = await api.action("kbs", "patrol_plan.save", {"id": "plan-D01-all",
                                                         "district_id": "D02"})
    assert moved.status == 403
    plan = await api.db.read(lambda s: s.get(PatrolPlan, "plan-city-key"))
    assert (plan.name, plan.version) != ("hijacked", 2) and plan.district_id is None

    d02_grid = await api.db.read(lambda s: s.scalars(
        select(Grid.id).where(Grid.district_id == "D02").limit(1)).one())
    stray = await api.action("kbs", "patrol_plan.save", {
        "id": uuid4().hex, "name": "x", "selection": {"grid_ids": [d02_grid]}})
    assert stray.status == 422
    assert stray.body["message"] == \
        f"payload.selection.grid_ids: no grid {d02_grid} in district D01"

    # The centre edits the city-wide plan; district staff edit their own.
    ok = await api.action("operator", "patrol_plan.save", {
        "id": "plan-city-key", "name": "全市重点单位", "expected_version": 1})
    assert ok.status == 200 and ok.body["result"]["patrol_plan"]["district_id"] is None
    own = await api.action("kbs", "patrol_plan.save", {
        "id": "plan-D01-all", "times_per_period": 3, "expected_version": 1})
    assert own.status == 200 and own.body["result"]["patrol_plan"]["times_per_period"] == 3


async def test_a_malformed_selection_is_refused_and_an_odd_stored_plan_spares_stats(
        api: Api, caplog: pytest.LogCaptureFixture) -> None:
    for selection, words in (({"business_ids": 5}, "selection.business_ids: expected an array"),
                             ({"categories": ["pizzeria"]}, "selection.categories[0]: expected "
                                                            "one of 'extra_large'"),
                             ({"grid_ids": "G1"}, "selection.grid_ids: expected an array"),
                             ({"business_id": ["x"]}, "selection.business_id: unknown field")):
        reply = await api.action("operator", "patrol_plan.save", {
            "id": uuid4().hex, "name": "x", "district_id": "D01", "selection": selection})
        assert reply.status == 422 and reply.body["message"].startswith(f"payload.{words}"), \
            reply.body
    # A plan stored before plans were validated (or edited by hand in the database).
    await api.db.write(lambda s: s.add(PatrolPlan(id="odd", name="odd", district_id=None,
                                                  selection={"business_ids": 5},
                                                  times_per_period=1, period_days=30)))
    with caplog.at_level(logging.WARNING, logger="kitchenwatch.central.stats"):
        for user in ("operator", "kbs", "viewer"):
            stats = await api.get("/api/stats", user)
            assert stats.status == 200, stats.body
            assert stats.body["patrol"]["planned"] > 0
    assert "patrol plan odd skipped" in caplog.text


# --------------------------------------------------------------------------- audit


async def test_audit_entries_are_written_only_by_central(api: Api) -> None:
    before = await _count(api, AuditEntry)
    forged = await api.action("kbs", "audit", {
        "id": uuid4().hex, "action": "alarm.dismiss", "district_id": "D01", "user": "operator",
        "ts": (utcnow() - timedelta(days=300)).isoformat(), "detail": "back-dated"})
    assert forged.status == 422 and forged.body["message"].startswith("kind: unknown action")
    # Asking for another district's entry by its id gets nothing either.
    await api.db.write(lambda s: s.add(AuditEntry(id="d02-entry", district_id="D02",
                                                  user="ds", action="alarm.ack")))
    peek = await api.action("kbs", "audit", {"id": "d02-entry", "action": "x"})
    assert peek.status == 422 and "d02-entry" not in str(peek.body)
    assert await _count(api, AuditEntry) == before + 1

    # What the console records instead: central's time, the caller's name, the business's
    # district; nothing in the payload can set them.
    sent_at = utcnow()
    spoof = await api.action("kbs", "patrol.skip", {
        "business_id": "D01-B00002", "reason": "skipped", "seconds": 5, "user": "operator"})
    assert spoof.status == 422 and spoof.body["message"] == \
        "payload.user: unknown field (check its spelling)"
    skip = await api.action("kbs", "patrol.skip", {"business_id": "D01-B00002",
                                                   "reason": "closed for lunch", "seconds": 5})
    assert skip.status == 200, skip.body
    entry = await api.db.read(lambda s: s.scalars(
        select(AuditEntry).where(AuditEntry.action == "patrol.skip")).one())
    assert (entry.user, entry.district_id) == ("kbs", "D01")
    assert abs((entry.ts - sent_at).total_seconds()) < 30
    other = await api.action("kbs", "patrol.skip", {"business_id": "D02-B00001",
                                                    "reason": "x", "seconds": 1})
    assert other.status == 404
    viewer = await api.action("viewer", "patrol.skip", {"business_id": "D01-B00002",
                                                        "reason": "x", "seconds": 1})
    assert viewer.status == 403


# --------------------------------------------------------------------------- rule parameters


async def _sensor(api: Api, kind: str, district: str = "D01") -> Sensor:
    return await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == kind, Sensor.district_id == district)
        .order_by(Sensor.id).limit(1)).one())


async def test_only_admin_sets_rule_parameters_and_only_within_physical_ranges(api: Api) -> None:
    room = await _sensor(api, SensorKind.SPECIAL_ROOM)
    for user in ("kbs", "operator", "kbs_field1", "viewer", "gateway"):
        reply = await api.action(user, "sensor.params", {"sensor_id": room.id,
                                                         "params": {"max_temp": 30}})
        assert reply.status == 403, (user, reply.body)
    silencing = [
        ({"max_temp": 1e9}, "payload.params.max_temp: 1000000000 is outside -40..60 °C"),
        ({"hold_s": 1e12}, "payload.params.hold_s: 1000000000000 is outside 0..86400 s"),
        ({"max_temp": 61}, "payload.params.max_temp: 61 is outside -40..60 °C"),
        ({"max_temp": -30}, "payload.params.max_temp: -30.0 is outside -20..60 °C"),
        ({"max_humidity": 101}, "payload.params.max_humidity: 101 is outside 0..100 %RH"),
        ({"hold_s": -1}, "payload.params.hold_s: -1 is outside 0..86400 s"),
        ({"min_temp": 30, "max_temp": 20},
         "payload.params.min_temp: 30 °C must be below max_temp 20 °C"),
        ({"target_temp": 120}, "payload.params.target_temp: not a parameter of a special_room"),
        ({"max_temperature": 20}, "payload.params.max_temperature: unknown field"),
    ]
    for params, words in silencing:
        reply = await api.action("admin", "sensor.params", {"sensor_id": room.id,
                                                            "params": params})
        assert reply.status == 422 and reply.body["message"].startswith(words), reply.body
    freezer = await _sensor(api, SensorKind.SPECIAL_ROOM, "D04")  # the demo has no freezer
    await api.db.write(lambda s: setattr(s.get(Sensor, freezer.id), "kind", SensorKind.FREEZER))
    warm = await api.action("admin", "sensor.params", {"sensor_id": freezer.id,
                                                       "params": {"max_temp": 5}})
    assert warm.status == 422
    assert warm.body["message"] == "payload.params.max_temp: 5.0 is outside -40..0 °C"
    cabinet = await _sensor(api, SensorKind.DISINFECTION_CABINET)
    cold = await api.action("admin", "sensor.params", {"sensor_id": cabinet.id,
                                                       "params": {"target_temp": 60,
                                                                  "start_temp": 70}})
    assert cold.status == 422 and "start_temp" in cold.body["message"]
    meals = await api.action("admin", "sensor.params", {"sensor_id": cabinet.id,
                                                        "params": {"meal_services": ["25:00"]}})
    assert meals.status == 422 and 'a "HH:MM" time' in meals.body["message"]
    stored = await api.db.read(lambda s: (s.get(Sensor, room.id).params,
                                          s.get(Sensor, freezer.id).params))
    assert stored == (room.params, freezer.params)  # nothing changed

    ok = await api.action("admin", "sensor.params", {"sensor_id": room.id, "params": {
        "max_temp": 22, "hold_s": 86400, "max_humidity": 80}})
    assert ok.status == 200, ok.body
    assert ok.body["result"]["sensor"]["params"]["max_temp"] == 22


# --------------------------------------------------------------------------- users


async def test_who_may_list_users(api: Api) -> None:
    for user in ("viewer", "kbs_field1", "gateway"):
        reply = await api.get("/api/users", user)
        assert reply.status == 403, (user, reply.body)
    district = await api.get("/api/users", "kbs")
    assert district.status == 200
    assert {u["district_id"] for u in district.body["users"]} == {"D01"}
    city = await api.get("/api/users", "operator")
    assert {u["district_id"] for u in city.body["users"]} >= {None, "D01", "D02"}
    bad = await api.get("/api/users?role=wizard", "operator")
    assert bad.status == 400 and bad.body["message"].startswith("query parameter role:")


# --------------------------------------------------------------------------- evidence links


async def _upload(api: Api, user: str = "kbs_field1") -> str:
    reply = await api.post("/api/media", data=TINY_JPEG, as_user=user,
                           headers={"Content-Type": "image/jpeg"})
    assert reply.status == 200, reply.body
    return reply.body["url"]


_FRESH = iter(range(10**6))


async def _task_on_site(api: Api) -> dict[str, Any]:
    """A new alarm (another camera or violation each time) dispatched to kbs_field1."""
    n = next(_FRESH)
    cameras = await api.db.read(lambda s: list(s.scalars(
        select(Camera.id).where(Camera.district_id == "D01").order_by(Camera.id))))
    violations = ["rodent", "smoking", "no_mask", "no_gloves", "phone_use", "no_chef_hat",
                  "no_work_clothes", "uncovered_bin", "unattended_flame"]
    alarm = await api.post("/api/events/ai", {
        "camera_id": cameras[n // len(violations) % len(cameras)],
        "violation": violations[n % len(violations)], "ts": utcnow().isoformat()}, "gateway")
    task = await api.action("operator", "task.dispatch", {
        "alarm_id": alarm.body["alarm_id"], "task": {"assignee": "kbs_field1"}})
    assert task.status == 200, task.body
    return task.body["result"]["task"]


HOSTILE_LINKS = [".attacker.example/x.jpg", "//evil.example/x.jpg", "@evil.example/x.jpg",
                 "http://evil.example/" + "a" * 64 + ".jpg", "\\\\evil\\x.jpg",
                 "/media/../central.db", "/media/" + "A" * 64 + ".jpg",
                 "/media/" + "a" * 64 + ".jpg?x=1", "/media/" + "a" * 64 + ".gif",
                 "/api/me", " /media/" + "a" * 64 + ".jpg"]


async def test_evidence_fields_take_only_central_media(api: Api) -> None:
    task = await _task_on_site(api)
    for link in HOSTILE_LINKS:
        reply = await api.action("kbs_field1", "task.transition", {
            "task_id": task["id"], "action": "accept", "attachment_url": link})
        assert reply.status == 422, (link, reply.body)
        assert reply.body["message"].startswith("payload.attachment_url: ")
        record = await api.action("kbs", "patrol.record", {
            "business_id": "D01-B00001", "verdict": "compliant", "snapshot_url": link})
        assert record.status == 422 and "payload.snapshot_url" in record.body["message"]
        dispatch = await api.action("kbs", "task.dispatch", {
            "task": {"business_id": "D01-B00001", "evidence_url": link}})
        assert dispatch.status == 422 and "payload.task.evidence_url" in \
            dispatch.body["message"]
    assert await _count(api, PatrolRecord) == 0
    assert await _count(api, TaskEvent, TaskEvent.attachment_url != "") == 0


async def test_a_link_to_media_not_yet_uploaded_waits_for_the_upload(api: Api) -> None:
    """The console links a snapshot before its upload finishes (the spool uploads on its own):
    the action is refused with media_missing, not remembered, and applies once it arrived."""
    task = await _task_on_site(api)
    url = "/media/" + __import__("hashlib").sha256(TINY_JPEG).hexdigest() + ".jpg"
    key = uuid4().hex
    payload = {"task_id": task["id"], "action": "accept", "attachment_url": url}
    early = await api.action("kbs_field1", "task.transition", payload, key=key)
    assert early.status == 409 and early.body["error"] == "media_missing"
    assert await api.db.read(lambda s: s.get(AppliedAction, key)) is None
    assert await _upload(api) == url
    later = await api.action("kbs_field1", "task.transition", payload, key=key)
    assert later.status == 200, later.body
    assert later.body["result"]["event"]["attachment_url"] == url
    assert later.body["result"]["task"]["evidence_url"] == url


# --------------------------------------------------------------------------- every kind


def _payloads(alarm_id: str, task_id: str, sensor_id: str, camera_id: str) -> dict[str, dict]:
    return {
        "alarm.ack": {"alarm_id": alarm_id},
        "alarm.dismiss": {"alarm_id": alarm_id, "reason": "test"},
        "alarm.close": {"alarm_id": alarm_id, "note": "test"},
        "alarm.escalate": {"alarm_id": alarm_id},
        "task.dispatch": {"task": {"business_id": "D01-B00001"}},
        "task.transition": {"task_id": task_id, "action": "escalate"},
        "patrol.record": {"business_id": "D01-B00001", "verdict": "compliant"},
        "patrol_plan.save": {"id": uuid4().hex, "name": "x", "district_id": "D01"},
        "patrol.skip": {"business_id": "D01-B00001", "reason": "x", "seconds": 1},
        "camera.health": {"camera_id": camera_id, "health": "frozen"},
        "sensor.params": {"sensor_id": sensor_id, "params": {"hold_s": 60}},
        "recording.start": {"camera_id": camera_id, "minutes": 5},
        "recording.stop": {"camera_id": camera_id},
        "recording.lock": {"camera_id": camera_id, "start": "2026-01-01T08:00:00+00:00",
                           "end": "2026-01-01T08:05:00+00:00", "reason": "evidence"},
        "recording.policy": {"mode": "alarm", "camera_id": camera_id},
        "recording.export": {"camera_id": camera_id, "start": "2026-01-01T08:00:00+00:00",
                             "end": "2026-01-01T08:05:00+00:00", "sha256": "0" * 64,
                             "bytes": 1000},
        # The registry's edits (rows made by _registry_rows where one must exist).
        "district.save": {"id": "D01", "name": "x", "expected_version": 999},  # 409 stale
        "district.retire": {"id": "D01"},  # 409 in use
        "street.save": {"id": uuid4().hex, "district_id": "D01", "name": "x"},
        "street.retire": {"id": "S-auth"},  # 409: it has a community
        "grid.save": {"id": uuid4().hex, "district_id": "D01", "name": "x"},
        "grid.retire": {"id": "G-auth"},
        "business.save": {"id": uuid4().hex, "district_id": "D01", "name": "x",
                          "category": "small"},
        "business.retire": {"id": "B-auth"},
        "camera.save": {"id": uuid4().hex, "business_id": "D01-B00001", "name": "x",
                        "main_url": "rtsp://h/x"},
        "camera.retire": {"id": "C-auth"},
        "sensor.save": {"id": uuid4().hex, "business_id": "D01-B00001",
                        "kind": "refrigerator"},
        "sensor.retire": {"id": "S-auth"},
        "onboarding_target.set": {"district_id": "D01", "businesses": 10},
        "bulletin.draft": {"district_id": "D01", "period": "2026-11"},
        "bulletin.approve": {"bulletin_id": "BUL-auth", "expected_version": 1},
        "bulletin.publish": {"bulletin_id": "BUL-auth", "expected_version": 2},
        "user.create": {"username": "new" + uuid4().hex[:8], "role": "field",
                        "district_id": "D01", "password": "Grid-officer-2026"},
        "user.update": {"user_id": "u-kbs_field2", "display_name": "网格员 " + uuid4().hex[:4]},
        "user.disable": {"user_id": "u-kbs_field2"},
        "user.enable": {"user_id": "u-kbs_field2"},
        "user.reset_password": {"user_id": "u-kbs_field2", "password": "Grid-officer-2026"},
        "session.end": {"session_id": "0" * 32},  # a live one for the admin: _live_session
        # 包保 (central.baobao)
        "baobao.assign": {"business_id": "D01-B00001", "username": "kbs_field1"},
        "checklist.save": {"category": "small", "items": [{"key": "x", "text": "x"}]},
        "baobao.visit": {"business_id": "D01-B00001", "mode": "online",
                         "verdict": "compliant", "checklist_version": 0},
        "view.batch": {"views": [{"camera_id": camera_id, "source": "wall",
                                  "started_at": "2026-01-01T08:00:00+00:00", "seconds": 60}]},
        # major events (central.major_events): the first signoff of a meal 200, then 409
        "event.save": {"name": "x", "business_ids": ["D01-B00001"],
                       "starts_at": (utcnow() - timedelta(hours=1)).isoformat(),
                       "ends_at": (utcnow() + timedelta(days=1)).isoformat()},
        "event.signoff": {"event_id": "EVT-auth", "business_id": "D01-B00001",
                          "day": utcnow().astimezone().date().isoformat(), "meal": "lunch",
                          "verdict": "passed"},
    }


async def _live_session(api: Api, username: str) -> str:
    """The session_id of a new session of ``username`` (as GET /api/sessions lists it)."""
    login = await api.post("/api/login", {"username": username, "password": "kw-demo-2026"})
    assert login.status == 200, login.body
    listed = await api.get("/api/sessions", "admin")
    return next(s["session_id"] for s in listed.body["sessions"] if s["username"] == username)


async def _registry_rows(api: Api) -> None:
    """Rows the registry's retire actions act on (each applies once, for the admin)."""
    from db.models import Bulletin, Grid, MajorEventRow, Sensor, Street

    def work(session: Any) -> None:
        session.add(Street(id="S-auth", district_id="D01", name="x", version=1))
        session.add(Grid(id="G-auth", district_id="D01", street_id="S-auth", name="x",
                         version=1))
        session.add(Business(id="B-auth", district_id="D01", name="x", category="small",
                             version=1))
        session.add(Camera(id="C-auth", business_id="D01-B00001", district_id="D01",
                           name="x", version=1))
        session.add(Sensor(id="S-auth", business_id="D01-B00001", district_id="D01",
                           kind="freezer", params={}, version=1))
        session.add(Bulletin(id="BUL-auth", district_id="D01", period="2026-10",
                             state="draft", content={}, version=1))
        session.add(MajorEventRow(id="EVT-auth", name="x", district_id="D01",
                                  business_ids=["D01-B00001"],
                                  starts_at=utcnow() - timedelta(days=1),
                                  ends_at=utcnow() + timedelta(days=1), overrides={}))

    await api.db.write(work)


REGISTRY_KINDS = ("district.save", "district.retire", "street.save", "street.retire",
                  "grid.save", "grid.retire", "business.save", "business.retire",
                  "camera.save", "camera.retire", "sensor.save", "sensor.retire",
                  "onboarding_target.set")
# Kinds whose payloads name no alarm or task: no fresh alarm is raised for them (the demo
# district's cameras × violations run out of fresh alarms otherwise).
NO_TASK_KINDS = (*REGISTRY_KINDS, "baobao.assign", "checklist.save", "baobao.visit",
                 "view.batch", "bulletin.draft", "bulletin.approve", "bulletin.publish",
                 "recording.start", "recording.stop", "recording.lock", "recording.policy",
                 "recording.export", "event.save", "event.signoff")
# Which roles each kind refuses with 403 (on a row of their own district).
REFUSED = {
    "alarm.ack": {"kbs_field1", "viewer", "gateway"},
    "alarm.dismiss": {"kbs_field1", "viewer", "gateway"},
    "alarm.close": {"kbs_field1", "viewer", "gateway"},
    "alarm.escalate": {"kbs_field1", "viewer", "gateway"},
    "task.dispatch": {"kbs_field1", "viewer", "gateway"},
    "task.transition": {"kbs_field1", "viewer", "gateway"},  # escalate is an office action
    "patrol.record": {"viewer", "gateway"},
    "patrol_plan.save": {"kbs_field1", "viewer", "gateway"},
    "patrol.skip": {"viewer", "gateway"},
    "camera.health": {"kbs_field1", "viewer", "gateway"},
    "sensor.params": {"operator", "kbs", "kbs_field1", "viewer", "gateway"},
    "recording.start": {"kbs_field1", "viewer", "gateway"},
    "recording.stop": {"kbs_field1", "viewer", "gateway"},
    "recording.lock": {"kbs_field1", "viewer", "gateway"},
    "recording.export": {"kbs_field1", "viewer", "gateway"},
    "recording.policy": {"operator", "kbs", "kbs_field1", "viewer", "gateway"},
    **{kind: {"operator", "kbs", "kbs_field1", "viewer", "gateway"}
       for kind in ("user.create", "user.update", "user.disable", "user.enable",
                    "user.reset_password", "session.end")},  # accounts: admins only
    **{kind: {"operator", "kbs", "kbs_field1", "viewer", "gateway"} for kind in
       REGISTRY_KINDS},
    "bulletin.draft": {"kbs_field1", "viewer", "gateway"},
    # approving and publishing a 督查通报: city and district administrators only
    "bulletin.approve": {"operator", "kbs_field1", "viewer", "gateway"},
    "bulletin.publish": {"operator", "kbs_field1", "viewer", "gateway"},
    "baobao.assign": {"operator", "kbs_field1", "viewer", "gateway"},
    "checklist.save": {"operator", "kbs", "kbs_field1", "viewer", "gateway"},
    "baobao.visit": {"viewer", "gateway"},
    "view.batch": {"kbs_field1", "viewer", "gateway"},
    "event.save": {"operator", "kbs", "kbs_field1", "viewer", "gateway"},  # admins only
    "event.signoff": {"kbs_field1", "viewer", "gateway"},
}


async def test_every_kind_checks_role_and_district(api: Api) -> None:
    from central.actions import HANDLERS

    assert set(REFUSED) == set(HANDLERS)
    await _registry_rows(api)
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == "D01").order_by(Camera.id).limit(1)).one())
    for kind in HANDLERS:
        for user in ALL_ROLES:
            task = (await _task_on_site(api) if kind not in NO_TASK_KINDS
                    else {"alarm_id": "-", "id": "-"})
            payload = _payloads(task["alarm_id"], task["id"], sensor.id, camera.id)[kind]
            if kind == "session.end" and user == "admin":
                payload = {"session_id": await _live_session(api, "kbs_field3")}
            reply = await api.action(user, kind, payload)
            if user in REFUSED[kind]:
                assert reply.status == 403, (kind, user, reply.body)
            else:
                assert reply.status in (200, 409), (kind, user, reply.body)
    # Another district's rows are invisible to district and field staff: 404, whatever kind.
    # Another district with a special room (which one depends on the demo city's draw).
    other_sensor = await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == SensorKind.SPECIAL_ROOM, Sensor.district_id != "D01")
        .order_by(Sensor.id).limit(1)).one())
    other = other_sensor.district_id
    other_camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == other).order_by(Camera.id).limit(1)).one())
    other_alarm = await api.post("/api/events/ai", {"camera_id": other_camera.id,
                                                  "violation": "smoking",
                                                  "ts": utcnow().isoformat()}, "gateway")
    other_task = await api.action("operator", "task.dispatch", {
        "alarm_id": other_alarm.body["alarm_id"], "task": {}})
    foreign = _payloads(other_alarm.body["alarm_id"], other_task.body["result"]["task"]["id"],
                        other_sensor.id, other_camera.id)
    other_business = await api.db.read(lambda s: s.scalars(
        select(Business.id).where(Business.district_id == other).limit(1)).one())
    for kind in ("task.dispatch", "patrol.record", "patrol.skip", "baobao.assign",
                 "baobao.visit", "event.signoff"):
        key = "task" if kind == "task.dispatch" else None
        if key:
            foreign[kind][key]["business_id"] = other_business
        else:
            foreign[kind]["business_id"] = other_business
    foreign["patrol_plan.save"]["district_id"] = other
    foreign["bulletin.draft"]["district_id"] = other
    their_event = await api.action("admin", "event.save", {
        **foreign["event.save"], "business_ids": [other_business]})
    foreign["event.signoff"]["event_id"] = their_event.body["result"]["event"]["id"]
    theirs = await api.action("admin", "bulletin.draft", {"district_id": other,
                                                          "period": "2026-09"})
    for kind in ("bulletin.approve", "bulletin.publish"):
        foreign[kind]["bulletin_id"] = theirs.body["result"]["bulletin"]["id"]
    for kind, payload in foreign.items():
        for user in ("kbs", "kbs_field1"):
            if user in REFUSED[kind]:
                continue
            reply = await api.action(user, kind, payload)
            if kind == "view.batch":  # a look at another district's camera is not stored
                assert reply.status == 200 and reply.body["result"]["skipped"] == [0]
                continue
            expected = 403 if kind == "patrol_plan.save" else 404
            assert reply.status == expected, (kind, user, reply.body)
    alarm = await api.db.read(lambda s: s.get(Alarm, other_alarm.body["alarm_id"]))
    assert alarm.acked_by in (None, "operator")
