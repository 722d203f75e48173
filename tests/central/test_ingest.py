"""Ingest: validation with precise messages, good items kept, limits, AI events, health."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

from sqlalchemy import func, select

from db.models import Alarm, Camera, Reading, Sensor, SensorKind, utcnow
from tests.central.conftest import Api

# A 1x1 JPEG (the smallest real JPEG the server must accept).
TINY_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////"
    "////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQAB"
    "PxA=")


def ts(seconds_ago: float = 0) -> str:
    return (utcnow() - timedelta(seconds=seconds_ago)).isoformat()


async def _sensor(api: Api, kind: str = SensorKind.SPECIAL_ROOM) -> Sensor:
    return await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.kind == kind).order_by(Sensor.id).limit(1)).one())


async def _count_readings(api: Api) -> int:
    return await api.db.read(lambda s: s.scalar(select(func.count()).select_from(Reading)))


async def test_bad_items_are_reported_and_good_ones_kept(api: Api) -> None:
    sensor = await _sensor(api)
    batch = [
        {"sensor_id": sensor.id, "ts": ts(10), "value": 21.0, "humidity": 50},
        {"sensor_id": sensor.id, "ts": ts(9), "value": "hot"},
        {"sensor_id": sensor.id, "ts": "yesterday", "value": 20.0},
        {"sensor_id": "no-such-sensor", "ts": ts(8), "value": 20.0},
        {"sensor_id": sensor.id, "ts": ts(7), "value": 20.0, "humidity": 140},
        "not an object",
        {"sensor_id": sensor.id, "ts": ts(-3600), "value": 20.0},
        {"sensor_id": sensor.id, "ts": "2026-03-01T10:00:00", "value": 20.0},
        {"sensor_id": sensor.id, "ts": ts(5), "value": 22.5},
    ]
    reply = await api.post("/api/readings", {"readings": batch}, "gateway")
    assert reply.status == 200
    assert reply.body["accepted"] == 2
    messages = {r["index"]: r["message"] for r in reply.body["rejected"]}
    assert messages == {
        1: "readings[1].value: expected a number, got 'hot'",
        2: "readings[2].ts: 'yesterday' is not an ISO-8601 timestamp",
        3: "readings[3].sensor_id: unknown sensor 'no-such-sensor'",
        4: "readings[4].humidity: 140 is outside 0..100 %RH",
        5: "readings[5]: expected an object, got 'not an object'",
        6: messages[6],
        7: "readings[7].ts: timestamp '2026-03-01T10:00:00' lacks a UTC offset (add +00:00 or Z)",
    }
    assert "in the future" in messages[6]
    assert await _count_readings(api) == 2
    row = await api.db.read(lambda s: s.get(Sensor, sensor.id))
    assert row.last_value == 22.5 and row.last_humidity is None
    trend = await api.get(f"/api/sensors/{sensor.id}/readings", "operator")
    assert [p[1] for p in trend.body["points"]] == [21.0, 22.5]


async def test_a_batch_with_nothing_acceptable_says_why_in_its_code(api: Api) -> None:
    unknown = await api.post("/api/readings", {"readings": [{"sensor_id": "x", "ts": ts(),
                                                             "value": 1}]}, "gateway")
    assert (unknown.status, unknown.body["error"]) == (404, "not_found")
    assert unknown.body["message"].startswith("none of the 1 readings was accepted")
    assert unknown.body["rejected"][0]["index"] == 0
    sensor = await api.db.read(lambda s: s.scalars(select(Sensor).limit(1)).one())
    stale = await api.post("/api/readings", {"readings": [
        {"sensor_id": sensor.id, "ts": "2001-01-01T00:00:00+00:00", "value": 1}]}, "gateway")
    assert (stale.status, stale.body["error"]) == (422, "out_of_window")
    mixed = await api.post("/api/readings", {"readings": [
        {"sensor_id": sensor.id, "ts": "2001-01-01T00:00:00+00:00", "value": 1},
        {"sensor_id": sensor.id, "ts": ts(), "value": 1e6}]}, "gateway")
    assert (mixed.status, mixed.body["error"]) == (422, "invalid_payload")


async def test_limits_and_malformed_bodies(api: Api) -> None:
    sensor = await _sensor(api)
    item = {"sensor_id": sensor.id, "ts": ts(), "value": 20.0}
    big = await api.post("/api/readings", {"readings": [item] * 5001}, "gateway")
    assert big.status == 413 and "batch limit of 5000" in big.body["message"]
    huge = await api.post("/api/readings", data=b'{"readings": [' + b" " * (3 << 20) + b"]}",
                          as_user="gateway", headers={"Content-Type": "application/json"})
    assert huge.status == 413 and huge.body["error"] == "too_large"
    broken = await api.post("/api/readings", data=b'{"readings": [', as_user="gateway")
    assert broken.status == 400 and "not valid JSON" in broken.body["message"]
    nan = await api.post("/api/readings", data=b'{"readings": [{"sensor_id": "%s", "ts": "%s",'
                         b' "value": NaN}]}' % (sensor.id.encode(), ts().encode()),
                         as_user="gateway")
    assert nan.status == 400 and "NaN" in nan.body["message"]
    shape = await api.post("/api/readings", {"readings": {"a": 1}}, "gateway")
    assert shape.status == 422
    assert shape.body["message"] == "readings: expected an array, got object"
    role = await api.post("/api/readings", {"readings": [item]}, "operator")
    assert role.status == 403 and "may not post readings" in role.body["message"]
    # ... and the server still serves good requests after all that.
    ok = await api.post("/api/readings", {"readings": [item]}, "gateway")
    assert ok.status == 200 and ok.body == {"accepted": 1, "rejected": []}


async def test_ai_event_with_snapshot_opens_one_alarm_per_camera_and_violation(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())
    event = {"camera_id": camera.id, "violation": "no_chef_hat", "ts": ts(), "confidence": 0.91,
             "box": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4},
             "snapshot_jpeg_b64": base64.b64encode(TINY_JPEG).decode()}
    first = await api.post("/api/events/ai", event, "gateway")
    assert first.status == 200, first.body
    second = await api.post("/api/events/ai", dict(event, ts=ts()), "gateway")
    assert second.body["alarm_id"] == first.body["alarm_id"] and second.body["count"] == 2
    other = await api.post("/api/events/ai", dict(event, violation="smoking"), "gateway")
    assert other.body["alarm_id"] != first.body["alarm_id"]
    alarm = await api.db.read(lambda s: s.get(Alarm, first.body["alarm_id"]))
    assert (alarm.kind, alarm.subtype, alarm.count) == ("ai_violation", "no_chef_hat", 2)
    assert alarm.evidence_box == {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}
    image = await api.get(alarm.evidence_url, "operator")
    assert image.status == 200 and image.body == TINY_JPEG


async def test_ai_event_validation(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())
    base = {"camera_id": camera.id, "violation": "no_mask", "ts": ts(), "confidence": 0.8}
    cases = {
        "violation": (dict(base, violation="dancing"), 422, "violation: expected one of"),
        "box": (dict(base, box={"x": 1.2, "y": 0, "w": 0.5, "h": 0.1}), 422,
                "box.x: 1.2 is outside 0..1"),
        "b64": (dict(base, snapshot_jpeg_b64="%%%"), 422, "not valid base64"),
        "png?": (dict(base, snapshot_jpeg_b64=base64.b64encode(b"GIF89a...").decode()), 422,
                 "expected a JPEG or PNG image"),
        "camera": (dict(base, camera_id="D09-B1-C1"), 404, "camera D09-B1-C1 not found"),
        "conf": (dict(base, confidence=3), 422, "confidence: 3 is outside 0..1"),
    }
    for name, (body, status, text) in cases.items():
        reply = await api.post("/api/events/ai", body, "gateway")
        assert (reply.status, text in reply.body["message"]) == (status, True), (name, reply.body)
    assert await api.db.read(lambda s: s.scalar(select(func.count()).select_from(Alarm))) == 0


async def test_an_ai_box_past_the_frame_edge_is_clipped_to_it(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())
    reply = await api.post("/api/events/ai", {
        "camera_id": camera.id, "violation": "no_mask", "ts": ts(), "confidence": 0.8,
        "box": {"x": 0.75, "y": 0.5, "w": 0.5, "h": 0.25}}, "gateway")
    assert reply.status == 200, reply.body
    alarm = await api.db.read(lambda s: s.get(Alarm, reply.body["alarm_id"]))
    assert alarm.evidence_box == {"x": 0.75, "y": 0.5, "w": 0.25, "h": 0.25}


async def test_camera_health_opens_and_clears_device_offline(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())
    down = await api.post("/api/events/health", {"device": "camera", "id": camera.id,
                                                 "online": False, "health": "frozen",
                                                 "reason": "same frame for 60 s"}, "gateway")
    assert down.status == 200 and down.body["online"] is False
    alarm = await api.db.read(lambda s: s.scalars(select(Alarm)).one())
    assert (alarm.kind, alarm.subtype, alarm.cleared_at) == ("device_offline", "frozen", None)
    assert "same frame for 60 s" in alarm.message
    up = await api.post("/api/events/health", {"device": "camera", "id": camera.id,
                                               "online": True}, "gateway")
    assert up.body == {"device": "camera", "id": camera.id, "online": True, "health": "online"}
    alarm = await api.db.read(lambda s: s.get(Alarm, alarm.id))
    assert alarm.cleared_at is not None and alarm.state == "open"  # the operator closes it
    batch = await api.post("/api/events/health", {"events": [
        {"device": "camera", "id": camera.id, "online": False},
        {"device": "toaster", "id": "x", "online": False}]}, "gateway")
    assert batch.body["accepted"] == 1
    assert batch.body["rejected"] == [{"index": 1, "error": "invalid_payload",
                                       "message": "events[1].device: expected "
                                                  "'camera' or 'sensor', got 'toaster'"}]


async def test_a_camera_counts_as_ever_online_only_after_an_online_report(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())

    async def first_online() -> object:
        return await api.db.read(lambda s: s.get(Camera, camera.id).first_online_at)

    assert await first_online() is None
    for health in ("offline", "black"):  # reports, but never a picture: not online yet
        reply = await api.post("/api/events/health", {"device": "camera", "id": camera.id,
                                                      "online": False, "health": health},
                               "gateway")
        assert reply.status == 200, reply.body
    assert await first_online() is None
    await api.post("/api/events/health", {"device": "camera", "id": camera.id,
                                          "online": True, "health": "playing"}, "gateway")
    stamped = await first_online()
    assert stamped is not None
    await api.post("/api/events/health", {"device": "camera", "id": camera.id,
                                          "online": False}, "gateway")
    assert await first_online() == stamped  # offline since: it still was online once


async def test_media_upload_and_download(api: Api) -> None:
    reply = await api.post("/api/media", data=TINY_JPEG, as_user="operator",
                           headers={"Content-Type": "image/jpeg"})
    assert reply.status == 200 and reply.body["url"].endswith(".jpg")
    got = await api.get(reply.body["url"], "operator")
    assert got.body == TINY_JPEG
    text = await api.post("/api/media", data=io.BytesIO(b"hello").read(), as_user="operator")
    assert text.status == 415 and text.body["error"] == "unsupported_media"
    assert (await api.get("/media/../../etc/passwd", "operator")).status == 404
    assert (await api.get("/media/" + "0" * 64 + ".jpg", "operator")).status == 404


def test_ingests_plain_sensor_rows_declare_every_column_as_the_model_types_it() -> None:
    """Ingest's plain sensor rows (SensorFacts) are typed by hand for the type checker: a
    column added to Sensor, or a type changed, must be changed there too."""
    from typing import get_args, get_type_hints

    from central.evaluator import SensorFacts

    model = {name: get_args(hint)[0] for name, hint in get_type_hints(Sensor).items()
             if name in Sensor.__table__.columns}
    facts = get_type_hints(SensorFacts)
    assert facts.pop("feed") is bool
    assert facts == model
