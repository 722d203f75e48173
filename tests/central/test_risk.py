"""``GET /api/risk`` and ``/api/risk/plan`` count the facts central holds, in the caller's
scope, and a user sees a business's score move when its record does."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from db.models import Alarm, Business, Camera, PatrolRecord, Task, utcnow
from tests.central.conftest import Api

LOCAL = ZoneInfo("Asia/Shanghai")  # central's default time zone: licences expire on local days


async def _business(api: Api, district: str, category: str | None = None) -> Business:
    def pick(s):  # type: ignore[no-untyped-def]
        stmt = select(Business).where(Business.district_id == district)
        if category:
            stmt = stmt.where(Business.category == category)
        return s.scalars(stmt.order_by(Business.id).limit(1)).one()
    return await api.db.read(pick)


async def test_scores_rise_with_the_record_and_show_their_reasons(api: Api) -> None:
    biz = await _business(api, "D01")
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.business_id == biz.id).limit(1)).one())
    before = (await api.get(f"/api/risk?business_id={biz.id}", "kbs")).body["businesses"][0]

    await api.post("/api/events/ai", {"camera_id": camera.id, "violation": "no_mask",
                                      "ts": utcnow().isoformat()}, "gateway")
    await api.post("/api/events/health", {"device": "camera", "id": camera.id,
                                          "online": False}, "gateway")
    now = utcnow()

    def age(s):  # type: ignore[no-untyped-def]
        # the camera has been dark for ten hours; the licence expired five days ago
        s.execute(update(Alarm).where(Alarm.kind == "device_offline",
                                      Alarm.camera_id == camera.id)
                  .values(opened_at=now - timedelta(hours=10)))
        s.execute(update(Business).where(Business.id == biz.id)
                  .values(licence_expiry=now.astimezone(LOCAL).date() - timedelta(days=5)))
        s.add(Task(district_id="D01", business_id=biz.id, state="dispatched",
                   deadline=now - timedelta(hours=1)))
    await api.db.write(age)

    reply = await api.get(f"/api/risk?business_id={biz.id}", "kbs")
    assert reply.status == 200, reply.body
    after = reply.body["businesses"][0]
    reasons = {r["code"]: r for r in after["reasons"]}
    assert after["score"] > before["score"]
    assert reasons["alarms_30d"]["value"] == 2
    assert reasons["open_tasks"]["value"] == 1 and reasons["overdue_tasks"]["value"] == 1
    assert 9.9 <= reasons["dark_hours_30d"]["value"] <= 10.1
    assert reasons["licence_expired"]["text"] == "licence expired 5 day(s) ago"
    assert after["score"] == round(sum(r["points"] for r in after["reasons"]), 1)


async def test_school_canteens_rank_above_small_restaurants_and_scope_holds(api: Api) -> None:
    school = await _business(api, "D01", "school_canteen")
    small = await _business(api, "D01", "small")
    other = await _business(api, "D02")
    body = (await api.get("/api/risk", "kbs")).body
    order = [b["business_id"] for b in body["businesses"]]
    assert {b["district_id"] for b in body["businesses"]} == {"D01"}
    assert order.index(school.id) < order.index(small.id)
    assert [b["score"] for b in body["businesses"]] == sorted(
        (b["score"] for b in body["businesses"]), reverse=True)
    assert (await api.get(f"/api/risk?business_id={other.id}", "kbs")).status == 404
    assert (await api.get(f"/api/risk?business_id={other.id}", "operator")).status == 200
    assert (await api.get("/api/risk", "gateway")).status == 403
    assert (await api.get("/api/risk?limit=0", "kbs")).status == 400


async def test_plan_lists_businesses_behind_first_and_counts_looks_done(api: Api) -> None:
    school = await _business(api, "D01", "school_canteen")
    small = await _business(api, "D01", "small")
    now = utcnow()
    month = now.strftime("%Y-%m")

    def look(s):  # type: ignore[no-untyped-def]
        for _ in range(2):
            s.add(PatrolRecord(district_id="D01", business_id=small.id, user="kbs",
                               started_at=now, verdict="compliant"))
        # a task of the small restaurant was ticked off this month: one follow-up look
        s.add(Task(district_id="D01", business_id=small.id, state="closed", closed_at=now))
    await api.db.write(look)
    reply = await api.get(f"/api/risk/plan?month={month}&monthly_min=2&high_risk_extra=0"
                          f"&reception={school.id}&reception_yearly_min=48", "kbs")
    assert reply.status == 200, reply.body
    lines = {ln["business_id"]: ln for ln in reply.body["lines"]}
    assert lines[small.id]["follow_ups"] == 1 and lines[small.id]["required"] == 3
    assert lines[small.id]["done"] == 2 and lines[small.id]["planned"] == 1
    # 48 a year for a reception kitchen: at least 4 in any month
    assert lines[school.id]["reception"] and lines[school.id]["required"] >= 4
    behind = [ln["behind"] for ln in reply.body["lines"]]
    assert behind == sorted(behind, reverse=True)
    assert reply.body["planned_looks"] == sum(ln["planned"] for ln in reply.body["lines"])
    assert (await api.get("/api/risk/plan?month=2026-13", "kbs")).status == 400
