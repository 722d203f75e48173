"""Rules applied through ingest and the periodic checks: alarm rows, one per condition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from central.context import RULES
from db.models import Alarm, Sensor, SensorKind, utcnow
from tests.central.conftest import Api

START = utcnow().replace(microsecond=0) - timedelta(hours=2)


def at(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).isoformat()


async def _sensor(api: Api, kind: str) -> Sensor:
    return await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == kind).order_by(Sensor.id).limit(1)).one())


async def _post(api: Api, sensor: Sensor, series: list[tuple[float, float]]) -> None:
    reply = await api.post("/api/readings", {"readings": [
        {"sensor_id": sensor.id, "ts": at(t), "value": v} for t, v in series]}, "gateway")
    assert reply.status == 200 and not reply.body["rejected"], reply.body


async def _alarms(api: Api) -> list[Alarm]:
    return await api.db.read(lambda s: list(s.scalars(select(Alarm).order_by(Alarm.opened_at))))


async def test_one_live_alarm_per_condition_with_count_and_clearing(api: Api) -> None:
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    await _post(api, sensor, [(0, 24.0), (30, 26.0), (60, 26.0), (90, 26.0), (120, 26.0),
                              (150, 26.5)])
    (alarm,) = await _alarms(api)
    assert (alarm.kind, alarm.subtype, alarm.count, alarm.cleared_at) == (
        "sensor_threshold", "temp_high", 1, None)
    assert alarm.sensor_id == sensor.id and alarm.camera_id == sensor.camera_id
    assert alarm.opened_at == START + timedelta(seconds=150)
    row = await api.db.read(lambda s: s.get(Sensor, sensor.id))
    assert row.rule_state == "breach" and row.last_value == 26.5
    # Back to normal in a later batch: the alarm is cleared but stays for the operator.
    await _post(api, sensor, [(180, 23.0)])
    (alarm,) = await _alarms(api)
    assert alarm.cleared_at == START + timedelta(seconds=180) and alarm.state == "open"
    # Breach again while the alarm is still live: the same alarm, count 2.
    await _post(api, sensor, [(t, 27.0) for t in range(210, 400, 30)])
    (alarm,) = await _alarms(api)
    assert alarm.count == 2 and alarm.cleared_at is None
    # Once closed, a new breach is a new alarm.
    await _post(api, sensor, [(420, 22.0)])
    reply = await api.action("operator", "alarm.close", {"alarm_id": alarm.id,
                                                         "note": "door fixed"})
    assert reply.status == 200, reply.body
    await _post(api, sensor, [(t, 28.0) for t in range(450, 700, 30)])
    alarms = await _alarms(api)
    assert [a.state for a in alarms] == ["closed", "open"]


async def test_readings_out_of_order_are_stored_but_not_judged_twice(api: Api) -> None:
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    await _post(api, sensor, [(300, 22.0)])
    await _post(api, sensor, [(0, 30.0), (200, 30.0)])  # older than what the rules saw
    assert await _alarms(api) == []
    trend = await api.get(f"/api/sensors/{sensor.id}/readings?from={at(-1)}&to={at(400)}",
                          "operator")
    assert [p[1] for p in trend.body["points"]] == [30.0, 30.0, 22.0]


async def test_invalid_cycle_and_missed_meal(api: Api) -> None:
    cabinet = await _sensor(api, SensorKind.DISINFECTION_CABINET)
    short = [(0, 25.0), (60, 80.0), (120, 121.0), (180, 122.0), (240, 122.0), (300, 60.0),
             (360, 30.0)]
    await _post(api, cabinet, short)
    (alarm,) = await _alarms(api)
    assert (alarm.kind, alarm.subtype) == ("disinfection_invalid", "too_short")
    row = await api.db.read(lambda s: s.get(Sensor, cabinet.id))
    assert row.rule_state == "invalid"
    # A meal service passes with no valid cycle before it.
    rules = api.app[RULES]
    now = utcnow()
    count = await api.db.write(lambda s: rules.check_meals(s, now, since=now - timedelta(days=1)))
    assert count >= 1
    kinds = sorted(a.kind for a in await _alarms(api))
    assert kinds[-1] == "no_disinfection"
    missed = [a for a in await _alarms(api) if a.kind == "no_disinfection"]
    assert len(missed) == 1 and missed[0].count == count  # repeats of one condition
    # A valid cycle clears both.
    hold = [(400 + 60 * i, 125.0) for i in range(17)]
    await _post(api, cabinet, [*hold, (1500, 30.0)])
    assert all(a.cleared_at is not None for a in await _alarms(api))


async def test_silent_sensor_goes_offline_and_comes_back(api: Api) -> None:
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    await _post(api, sensor, [(0, 21.0)])
    rules = api.app[RULES]
    later = START + timedelta(seconds=sensor.interval_s * 3 + 5)
    assert await api.db.write(lambda s: rules.check_silent(s, later)) == 1
    assert await api.db.write(lambda s: rules.check_silent(s, later)) == 0  # once
    (alarm,) = await _alarms(api)
    assert (alarm.kind, alarm.subtype, alarm.severity) == ("device_offline", "silent", 2)
    row = await api.db.read(lambda s: s.get(Sensor, sensor.id))
    assert (row.online, row.rule_state) == (False, "offline")
    await _post(api, sensor, [(600, 21.0)])
    (alarm,) = await _alarms(api)
    assert alarm.cleared_at is not None
    assert (await api.db.read(lambda s: s.get(Sensor, sensor.id))).online is True


async def test_sensor_rows_reach_the_feed_at_most_every_few_seconds(api: Api) -> None:
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    _, cursor = await api.feed("operator")
    for second in range(0, 20):
        await _post(api, sensor, [(second, 21.0)])
    rows, _ = await api.feed("operator", since=cursor)
    assert [r["entity"] for r in rows] == ["sensor"]  # latest state only, one row
    versions = (await api.db.read(lambda s: s.get(Sensor, sensor.id))).version
    assert 2 <= versions <= 6  # 20 readings in 20 s -> one feed write per 5 s, not 20


async def test_trend_is_bucketed_in_sql_keeping_extremes(api: Api) -> None:
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    series = [(t, 20.0 + (5.0 if t == 3000 else 0.0)) for t in range(0, 3600, 10)]
    await _post(api, sensor, series)
    reply = await api.get(f"/api/sensors/{sensor.id}/readings?from={at(0)}&to={at(3600)}"
                          f"&max_points=60", "operator")
    body = reply.body
    assert body["downsampled"] and body["count"] == 360 and len(body["points"]) <= 60
    assert max(p[4] for p in body["points"]) == 25.0  # the 10-second peak survives
    assert min(p[3] for p in body["points"]) == 20.0
    first = datetime.fromisoformat(body["points"][0][0])
    assert first.tzinfo == UTC or first.utcoffset() == timedelta(0)


async def test_rule_parameters_are_set_per_sensor(api: Api) -> None:
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    bad = await api.action("admin", "sensor.params", {"sensor_id": sensor.id,
                                                      "params": {"max_temp": "warm"}})
    assert bad.status == 422
    assert bad.body["message"] == "payload.params.max_temp: expected a number, got 'warm'"
    reply = await api.action("admin", "sensor.params", {"sensor_id": sensor.id,
                                                        "params": {"max_temp": 20, "hold_s": 0}})
    assert reply.status == 200, reply.body
    assert reply.body["result"]["sensor"]["params"]["max_temp"] == 20
    await _post(api, sensor, [(0, 21.0)])
    (alarm,) = await _alarms(api)
    assert (alarm.subtype, alarm.threshold, alarm.value) == ("temp_high", 20.0, 21.0)
    viewer = await api.action("viewer", "sensor.params", {"sensor_id": sensor.id,
                                                          "params": {}})
    assert viewer.status == 403


async def test_old_readings_are_purged_in_chunks(api: Api) -> None:
    sensor = await _sensor(api, SensorKind.SPECIAL_ROOM)
    await _post(api, sensor, [(t, 21.0) for t in range(0, 50)])
    rules = api.app[RULES]
    cut = START + timedelta(seconds=20)
    assert await api.db.write(lambda s: rules.purge_readings(s, cut, limit=15)) == 15
    assert await api.db.write(lambda s: rules.purge_readings(s, cut, limit=15)) == 5
    assert await api.db.write(lambda s: rules.purge_readings(s, cut, limit=15)) == 0
    trend = await api.get(f"/api/sensors/{sensor.id}/readings?from={at(0)}&to={at(60)}",
                          "operator")
    assert trend.body["count"] == 30
