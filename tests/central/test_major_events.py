"""Major-event mode through the actions: an admin sets up the reception kitchens and tighter
limits (only tighter, within physical ranges), staff sign off each meal once, the list names
the meals past due, and the report carries the sign-offs, alarms and tasks."""

from __future__ import annotations

import io
from datetime import timedelta
from uuid import uuid4

from openpyxl import load_workbook
from sqlalchemy import select

from db.models import AuditEntry, Business, Camera, utcnow
from tests.central.conftest import Api


async def _kitchens(api: Api, district: str = "D01", n: int = 2) -> list[str]:
    return await api.db.read(lambda s: list(s.scalars(
        select(Business.id).where(Business.district_id == district).order_by(Business.id)
        .limit(n))))


def _event(kitchens: list[str], **extra: object) -> dict:
    start = utcnow() - timedelta(days=1)
    return {"id": uuid4().hex, "name": "国际会议保障", "business_ids": kitchens,
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(days=3)).isoformat(),
            "overrides": {"special_room": {"max_temp": 22}}, **extra}


async def test_an_admin_sets_up_an_event_and_staff_sign_off_each_meal_once(api: Api) -> None:
    kitchens = await _kitchens(api)
    reply = await api.action("admin", "event.save", _event(kitchens))
    assert reply.status == 200, reply.body
    event = reply.body["result"]["event"]
    assert event["active"] and event["district_id"] == "D01"
    # yesterday's meals (the event began a day ago) are past due for both kitchens
    assert event["missing_signoffs"]
    first = event["missing_signoffs"][0]
    body = {"event_id": event["id"], "business_id": first[0], "day": first[1],
            "meal": first[2], "verdict": "passed"}
    reply = await api.action("kbs", "event.signoff", body)
    assert reply.status == 200, reply.body
    again = await api.action("operator", "event.signoff", body)
    assert again.status == 409 and "already signed off" in again.body["message"]
    listed = (await api.get("/api/major-events", "kbs")).body["events"]
    assert [e["id"] for e in listed] == [event["id"]] and listed[0]["signoffs"] == 1
    assert first not in listed[0]["missing_signoffs"]
    assert (await api.get("/api/major-events", "ds")).body["events"] == []  # another district
    audit = await api.db.read(lambda s: list(s.scalars(select(AuditEntry.action).where(
        AuditEntry.action.in_(["event.save", "event.signoff"])))))
    assert sorted(audit) == ["event.save", "event.signoff"]


async def test_limits_may_only_tighten_and_only_admins_set_up_events(api: Api) -> None:
    kitchens = await _kitchens(api)
    looser = await api.action("admin", "event.save", _event(
        kitchens, overrides={"special_room": {"max_temp": 30}}))
    assert looser.status == 422 and "looser than the usual 25" in looser.body["message"]
    silly = await api.action("admin", "event.save", _event(
        kitchens, overrides={"freezer": {"max_temp": -100}}))
    assert silly.status == 422 and "outside the physical range" in silly.body["message"]
    assert (await api.action("kbs", "event.save", _event(kitchens))).status == 403
    problem = await api.action("kbs", "event.signoff", {
        "event_id": "nope", "business_id": kitchens[0], "day": "2026-12-07", "meal": "lunch",
        "verdict": "problem"})
    assert problem.status == 422 and "a problem needs a note" in problem.body["message"]
    backwards = _event(kitchens)
    backwards["ends_at"] = backwards["starts_at"]
    reply = await api.action("admin", "event.save", backwards)
    assert reply.status == 422 and reply.body["error"] == "event_period"


async def test_the_report_has_the_sign_offs_alarms_and_tasks_of_the_kitchens(api: Api) -> None:
    kitchens = await _kitchens(api, n=1)
    event = (await api.action("admin", "event.save", _event(kitchens))).body["result"]["event"]
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.business_id == kitchens[0]).limit(1)).one())
    await api.post("/api/events/ai", {"camera_id": camera.id, "violation": "no_mask",
                                      "ts": utcnow().isoformat()}, "gateway")
    first = event["missing_signoffs"][0]
    await api.action("kbs", "event.signoff", {"event_id": event["id"], "business_id": first[0],
                                              "day": first[1], "meal": first[2],
                                              "verdict": "problem", "note": "留样不足"})
    token = await api.login("kbs")
    async with api.http.get(f"{api.base}/api/major-events/{event['id']}/report.xlsx",
                            headers={"Authorization": f"Bearer {token}"}) as resp:
        assert resp.status == 200 and "spreadsheetml" in resp.content_type
        book = load_workbook(io.BytesIO(await resp.read()))
    signoffs, alarms, _tasks = (list(ws.iter_rows(values_only=True)) for ws in book.worksheets)
    assert signoffs[1][5:7] == ("problem", "留样不足")
    assert any(row[2] == "ai_violation" for row in alarms[1:])
    assert (await api.get(f"/api/major-events/{event['id']}/report.xlsx", "ds")).status == 404


async def test_a_special_room_alarms_at_the_events_tighter_limit_only_during_it(api: Api) -> None:
    from db.models import Alarm, Sensor

    sensor = await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == "special_room", Sensor.district_id == "D01")
        .order_by(Sensor.id).limit(1)).one())

    async def feed(start, value: float) -> int:  # type: ignore[no-untyped-def]
        # 23.5 °C for five minutes: fine under 25 °C, a breach under the event's 22 °C
        batch = [{"sensor_id": sensor.id, "ts": (start + timedelta(seconds=30 * i)).isoformat(),
                  "value": value} for i in range(10)]
        reply = await api.post("/api/readings", {"readings": batch}, "gateway")
        assert reply.status == 200, reply.body
        return await api.db.read(lambda s: len(list(s.scalars(select(Alarm.id).where(
            Alarm.sensor_id == sensor.id, Alarm.kind == "sensor_threshold")))))

    # Before any event: no alarm at 23.5 °C.
    assert await feed(utcnow() - timedelta(minutes=30), 23.5) == 0
    start = utcnow() - timedelta(minutes=20)
    event = _event([sensor.business_id], starts_at=start.isoformat(),
                   ends_at=(start + timedelta(hours=2)).isoformat())
    assert (await api.action("admin", "event.save", event)).status == 200
    assert await feed(utcnow() - timedelta(minutes=10), 23.5) == 1
