"""Actions are applied exactly once per idempotency key, whatever happens to the reply."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit
from uuid import uuid4

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from central.config import CentralConfig
from db.models import Alarm, AppliedAction, AuditEntry, Camera, PatrolRecord, utcnow
from tests.central.conftest import Api, start_api


async def _alarm_id(api: Api) -> str:
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == "D01").limit(1)).one())
    reply = await api.post("/api/events/ai", {"camera_id": camera.id, "violation": "smoking",
                                              "ts": utcnow().isoformat()}, "gateway")
    return reply.body["alarm_id"]


async def _audits(api: Api, action: str) -> int:
    return await api.db.read(lambda s: s.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)))


async def test_same_key_twice_applies_once_with_the_same_answer(api: Api) -> None:
    alarm_id = await _alarm_id(api)
    key = uuid4().hex
    first = await api.action("operator", "alarm.ack", {"alarm_id": alarm_id}, key=key)
    second = await api.action("operator", "alarm.ack", {"alarm_id": alarm_id}, key=key)
    assert first.status == second.status == 200
    assert first.body == second.body and first.body["status"] == "applied"
    assert first.body["result"]["alarm"]["state"] == "acknowledged"
    assert await _audits(api, "alarm.ack") == 1


async def test_concurrent_repeats_apply_once(api: Api) -> None:
    alarm_id = await _alarm_id(api)
    key = uuid4().hex
    replies = await asyncio.gather(*(api.action("operator", "alarm.dismiss", {
        "alarm_id": alarm_id, "reason": "the rodent was the owner's cat"}, key=key)
        for _ in range(5)))
    assert {r.status for r in replies} == {200}
    assert len({json.dumps(r.body, sort_keys=True) for r in replies}) == 1
    assert await _audits(api, "alarm.dismiss") == 1


async def test_a_refusal_is_remembered_too(api: Api) -> None:
    alarm_id = await _alarm_id(api)
    key = uuid4().hex
    empty = await api.action("operator", "alarm.dismiss", {"alarm_id": alarm_id, "reason": " "},
                             key=key)
    assert empty.status == 422
    assert empty.body["message"] == "payload.reason: required non-empty text"
    # The same key keeps its answer even though a valid payload would now apply.
    again = await api.action("operator", "alarm.dismiss", {"alarm_id": alarm_id,
                                                           "reason": "cat"}, key=key)
    assert (again.status, again.body) == (422, empty.body)
    assert (await api.db.read(lambda s: s.get(Alarm, alarm_id))).state == "open"


async def test_a_key_belongs_to_its_user(api: Api) -> None:
    alarm_id = await _alarm_id(api)
    key = uuid4().hex
    assert (await api.action("operator", "alarm.ack", {"alarm_id": alarm_id}, key)).status == 200
    stolen = await api.action("kbs", "alarm.ack", {"alarm_id": alarm_id}, key)
    assert stolen.status == 409 and stolen.body["error"] == "key_reused"


async def test_a_key_answers_only_the_kind_of_action_it_was_used_for(api: Api) -> None:
    """A stored refusal of a dispatch must not come back as the answer to an acknowledgement
    sent with the same key (the fuzzer found one): that is a reuse, refused as such."""
    alarm_id = await _alarm_id(api)
    key = uuid4().hex
    refused = await api.action("operator", "task.dispatch", {"task": {}}, key)
    assert refused.status == 422
    other = await api.action("operator", "alarm.ack", {"alarm_id": alarm_id}, key)
    assert other.status == 409 and other.body["error"] == "key_reused"
    assert "task.dispatch" in other.body["message"]
    assert (await api.db.read(lambda s: s.get(Alarm, alarm_id))).state == "open"


async def test_bad_envelopes(api: Api) -> None:
    short = await api.post("/api/actions", {"idem_key": "x", "kind": "alarm.ack",
                                            "payload": {}}, "operator")
    assert short.status == 400 and "idem_key" in short.body["message"]
    kind = await api.action("operator", "alarm.explode", {})
    assert kind.status == 422 and kind.body["message"].startswith("kind: unknown action")
    viewer = await api.action("viewer", "alarm.ack", {"alarm_id": "x"})
    assert viewer.status == 403 and "read-only" in viewer.body["message"]
    device = await api.action("gateway", "alarm.ack", {"alarm_id": "x"})
    assert device.status == 403


async def test_reply_lost_after_commit_then_retry_applies_once(config: CentralConfig) -> None:
    """The server commits, the network dies before the answer leaves, the console sends the
    same key again: one effect, and the retry gets the original answer."""
    drop_keys: set[str] = set()

    @web.middleware
    async def network_dies_after_commit(request: web.Request, handler):
        response = await handler(request)
        if request.headers.get("X-Test-Key") in drop_keys:
            drop_keys.discard(request.headers["X-Test-Key"])
            assert request.transport is not None
            request.transport.close()
            raise ConnectionResetError("simulated network failure after commit")
        return response

    api, server, session = await start_api(config, middlewares=(network_dies_after_commit,))
    try:
        alarm_id = await _alarm_id(api)
        key = uuid4().hex
        drop_keys.add(key)
        payload = {"alarm_id": alarm_id, "note": "serious"}
        envelope = {"idem_key": key, "kind": "alarm.escalate", "payload": payload}
        try:
            lost = await api.post("/api/actions", envelope, "operator",
                                  headers={"X-Test-Key": key})
        except aiohttp.ClientError:
            lost = None
        assert lost is None, "the first reply must not arrive"
        assert await api.db.read(lambda s: s.get(AppliedAction, key)) is not None
        retry = await api.action("operator", "alarm.escalate", payload, key=key)
        assert retry.status == 200 and retry.body["result"]["alarm"]["severity"] == 4
        assert await _audits(api, "alarm.escalate") == 1
    finally:
        await session.close()
        await server.close()


async def test_connection_dropped_before_the_body_arrived_then_retry(api: Api) -> None:
    alarm_id = await _alarm_id(api)
    token = await api.login("operator")
    key = uuid4().hex
    body = json.dumps({"idem_key": key, "kind": "alarm.ack",
                       "payload": {"alarm_id": alarm_id}}).encode()
    url = urlsplit(api.base)
    _, writer = await asyncio.open_connection(url.hostname, url.port)
    writer.write(b"POST /api/actions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Authorization: Bearer " + token.encode() + b"\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    retry = await api.action("operator", "alarm.ack", {"alarm_id": alarm_id}, key=key)
    assert retry.status == 200
    assert await _audits(api, "alarm.ack") == 1
    again = await api.action("operator", "alarm.ack", {"alarm_id": alarm_id}, key=key)
    assert again.body == retry.body and await _audits(api, "alarm.ack") == 1


async def test_patrol_record_and_plan(api: Api) -> None:
    business = "D01-B00001"
    record_id = uuid4().hex
    reply = await api.action("kbs", "patrol.record", {
        "id": record_id, "business_id": business, "plan_id": "plan-D01-school",
        "verdict": "problem", "note": "垃圾桶未加盖", "started_at": utcnow().isoformat(),
        "user": "someone-else"})
    assert reply.status == 200, reply.body
    row = await api.db.read(lambda s: s.get(PatrolRecord, record_id))
    assert (row.user, row.district_id, row.verdict) == ("kbs", "D01", "problem")
    bad = await api.action("kbs", "patrol.record", {"business_id": business, "verdict": "meh"})
    assert bad.status == 422 and "verdict" in bad.body["message"]
    other = await api.action("kbs", "patrol.record", {"business_id": "D02-B00001",
                                                      "verdict": "compliant"})
    assert other.status == 404
    plan = await api.action("kbs", "patrol_plan.save", {
        "id": "plan-kbs-hot", "name": "夏季专间温度巡查", "selection": {"categories": ["medium"]},
        "times_per_period": 2, "period_days": 14})
    assert plan.status == 200 and plan.body["result"]["patrol_plan"]["district_id"] == "D01"
    foreign = await api.action("kbs", "patrol_plan.save", {"name": "x", "district_id": "D02"})
    assert foreign.status == 403
    # Skipping a business leaves central's own audit entry (the console no longer writes any).
    skip = await api.action("kbs", "patrol.skip", {"business_id": business,
                                                   "plan_id": "plan-D01-school",
                                                   "reason": "skipped", "seconds": 12})
    assert skip.status == 200, skip.body
    entry = await api.db.read(lambda s: s.scalars(
        select(AuditEntry).where(AuditEntry.action == "patrol.skip")).one())
    assert (entry.user, entry.district_id) == ("kbs", "D01")
    assert entry.detail.startswith(f"{business} ") and "after 12 s" in entry.detail
