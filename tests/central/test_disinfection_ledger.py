"""The 清洗消毒台账 written from evidence (issue 18, item 6): each meal service that passes
leaves a ledger row, valid (with its times and peak temperature) or missing, and the business's
ledger downloads as Excel within the caller's district."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select, update

from central.context import CONFIG, RULES
from db.models import DisinfectionCycle, Sensor, SensorKind
from tests.central.conftest import Api

TZ = ZoneInfo("Asia/Shanghai")


async def _cabinet(api: Api) -> Sensor:
    cabinet: Sensor = await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == SensorKind.DISINFECTION_CABINET)
        .order_by(Sensor.id).limit(1)).one())
    return cabinet


async def test_each_meal_leaves_a_row_and_the_ledger_exports(api: Api) -> None:
    assert api.app[CONFIG].timezone == "Asia/Shanghai"
    cabinet = await _cabinet(api)
    await api.db.write(lambda s: s.execute(update(Sensor).where(Sensor.id == cabinet.id)
                                           .values(params={"meal_services": ["10:30", "16:30"]})))
    day = (datetime.now(TZ) - timedelta(days=1)).date()
    lunch = datetime.combine(day, time(10, 30), TZ).astimezone(UTC)
    # A valid cycle an hour before lunch: heat to 125 °C and hold 20 min; none before dinner.
    start = lunch - timedelta(hours=1)
    series = [(start + timedelta(minutes=m), 125.0 if 2 <= m <= 22 else 40.0)
              for m in range(0, 30)]
    reply = await api.post("/api/readings", {"readings": [
        {"sensor_id": cabinet.id, "ts": ts.isoformat(), "value": v} for ts, v in series]},
        "gateway")
    assert reply.status == 200 and not reply.body["rejected"], reply.body
    rules = api.app[RULES]
    evening = datetime.combine(day, time(20, 0), TZ).astimezone(UTC)
    await api.db.write(lambda s: rules.check_meals(s, evening, since=lunch - timedelta(hours=2)))
    await api.db.write(lambda s: rules.check_meals(s, evening, since=lunch - timedelta(hours=2)))
    rows = await api.db.read(lambda s: list(s.scalars(select(DisinfectionCycle).where(
        DisinfectionCycle.sensor_id == cabinet.id).order_by(DisinfectionCycle.meal))))
    assert [(r.meal, r.valid, r.missing) for r in rows] == [("dinner", False, True),
                                                            ("lunch", True, False)]
    assert rows[1].peak_c == 125.0  # no second row from the repeated check

    path = (f"/api/businesses/{cabinet.business_id}/disinfection-ledger.xlsx"
            f"?from={day.isoformat()}&to={day.isoformat()}")
    token = await api.login("operator")
    async with api.http.get(api.base + path,
                            headers={"Authorization": f"Bearer {token}"}) as resp:
        assert resp.status == 200, await resp.text()
        body = await resp.read()
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    assert "清洗消毒台账" in str(sheet["A1"].value)
    lines = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(r[1], r[7]) for r in lines] == [("午餐", "合格"), ("晚餐", "缺失：餐前无合格消毒")]
    assert lines[0][5] == 125.0


async def test_the_ledger_is_scoped_and_checks_its_dates(api: Api) -> None:
    cabinet = await _cabinet(api)
    district = cabinet.district_id
    outsider = "ds" if district != "D02" else "kbs"
    base = f"/api/businesses/{cabinet.business_id}/disinfection-ledger.xlsx"
    assert (await api.get(base, outsider)).status == 404
    assert (await api.get(base, "gateway")).status == 403
    bad = await api.get(base + "?from=2026-13-01", "operator")
    assert bad.status == 400 and "not a date" in bad.body["message"]
    wide = await api.get(base + "?from=2024-01-01&to=2026-01-01", "operator")
    assert wide.status == 422 and wide.body["error"] == "date_range"
    assert "366" in wide.body["message"]
