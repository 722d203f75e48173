"""Evidence images: served only with a token, only to callers whose scope covers them, with
private caching; every stored image has its uploader on record; references are recognised."""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select, text

from central import media_index
from central.config import CentralConfig
from central.media import media_reference
from central.scope import Principal
from db.models import Camera, utcnow
from tests.central.conftest import Api, Reply

JPEG_MAGIC = b"\xff\xd8\xff\xe0"


def image(seed: int, size: int = 20_000) -> bytes:
    return JPEG_MAGIC + random.Random(seed).randbytes(size - len(JPEG_MAGIC))


async def _upload(api: Api, user: str, data: bytes) -> str:
    reply = await api.post("/api/media", None, user, data=data,
                           headers={"Content-Type": "image/jpeg"})
    assert reply.status == 200, reply.body
    return reply.body["url"]


async def _ai_alarm(api: Api, district: str, data: bytes) -> dict[str, Any]:
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == district).order_by(Camera.id)
        .limit(1)).one())
    reply = await api.post("/api/events/ai", {
        "camera_id": camera.id, "violation": "rodent", "ts": utcnow().isoformat(),
        "snapshot_jpeg_b64": base64.b64encode(data).decode()}, "gateway")
    assert reply.status == 200, reply.body
    return {**reply.body, "business_id": camera.business_id}


async def _fetch(api: Api, url: str, user: str | None, **kwargs: Any) -> Reply:
    reply = await api.get(url, user, **kwargs)
    return reply


def _absent(name: str) -> dict[str, str]:
    return {"error": "not_found", "message": f"media {name} not found"}


async def test_evidence_of_an_alarm_is_served_only_within_scope(api: Api) -> None:
    data = image(1)
    url = (await _ai_alarm(api, "D01", data))["evidence_url"]
    name = media_reference(url)
    assert name is not None
    for user in ("operator", "admin", "viewer", "gateway", "kbs", "kbs_field1"):
        got = await _fetch(api, url, user)
        assert got.status == 200, (user, got.body)
        assert hashlib.sha256(got.body).digest() == hashlib.sha256(data).digest()
        cache = got.headers["Cache-Control"]
        assert cache.startswith("private") and "public" not in cache, cache
        assert "immutable" not in cache
    for user in ("ds", "ds_field1", "yjhl"):  # other districts: as if it did not exist
        got = await _fetch(api, url, user)
        assert (got.status, got.body) == (404, _absent(name)), user
    missing = "0" * 64 + ".jpg"
    assert (await _fetch(api, f"/media/{missing}", "ds")).body == _absent(missing)


async def test_evidence_needs_the_token_in_the_header(api: Api) -> None:
    url = (await _ai_alarm(api, "D01", image(2)))["evidence_url"]
    anonymous = await _fetch(api, url, None)
    assert anonymous.status == 401 and anonymous.body["error"] == "not_logged_in"
    token = await api.login("operator")
    in_address = await _fetch(api, f"{url}?token={token}", None)
    assert in_address.status == 401, "a token in the address ends up in logs"
    forged = await _fetch(api, url, None, headers={"Authorization": "Bearer not-a-token"})
    assert forged.status == 401
    # Unknown and malformed names are 401 too without a token: nothing is learnt.
    assert (await _fetch(api, "/media/" + "0" * 64 + ".jpg", None)).status == 401
    assert (await _fetch(api, "/media/../../etc/passwd", None)).status in (401, 404)
    await api.post("/api/logout", None, "operator")
    api._tokens.pop("operator")
    after = await _fetch(api, url, None, headers={"Authorization": f"Bearer {token}"})
    assert after.status == 401


async def test_an_upload_is_seen_by_its_uploader_and_by_the_district_once_attached(
        api: Api) -> None:
    alarm = await _ai_alarm(api, "D01", image(3))
    dispatched = await api.action("operator", "task.dispatch", {
        "alarm_id": alarm["alarm_id"], "task": {"id": uuid4().hex,
                                                "business_id": alarm["business_id"],
                                                "assignee": "kbs_field1"}})
    assert dispatched.status == 200, dispatched.body
    task = dispatched.body["result"]["task"]
    photo = image(4)
    url = await _upload(api, "kbs_field1", photo)
    assert (await _fetch(api, url, "kbs_field1")).status == 200  # their own upload
    assert (await _fetch(api, url, "kbs")).status == 404  # not attached to anything yet
    accepted = await api.action("kbs_field1", "task.transition", {
        "task_id": task["id"], "action": "accept", "expected_version": task["version"],
        "event_id": uuid4().hex, "attachment_url": url})
    assert accepted.status == 200, accepted.body
    got = await _fetch(api, url, "kbs")
    assert got.status == 200 and got.body == photo
    assert (await _fetch(api, url, "ds")).status == 404
    assert (await _fetch(api, url, "ds_field1")).status == 404


async def test_task_evidence_and_patrol_snapshots_count_as_references(api: Api) -> None:
    evidence = await _upload(api, "operator", image(5))
    alarm = await _ai_alarm(api, "D01", image(6))
    dispatched = await api.action("operator", "task.dispatch", {
        "alarm_id": alarm["alarm_id"], "task": {"id": uuid4().hex,
                                                "business_id": alarm["business_id"],
                                                "evidence_url": evidence}})
    assert dispatched.status == 200, dispatched.body
    snapshot = await _upload(api, "operator", image(7))
    record = await api.action("operator", "patrol.record", {
        "business_id": "D02-B00001", "verdict": "problem", "snapshot_url": snapshot,
        "started_at": utcnow().isoformat()})
    assert record.status == 200, record.body
    assert (await _fetch(api, evidence, "kbs")).status == 200
    assert (await _fetch(api, evidence, "ds")).status == 404
    assert (await _fetch(api, snapshot, "ds")).status == 200
    assert (await _fetch(api, snapshot, "kbs")).status == 404


async def test_every_stored_image_has_its_uploader_on_record(api: Api) -> None:
    snapshot = image(8)
    url = (await _ai_alarm(api, "D01", snapshot))["evidence_url"]
    photo = image(9, size=12_345)
    photo_url = await _upload(api, "kbs_field1", photo)
    await _upload(api, "kbs_field1", photo)  # the same bytes again: one record
    await _upload(api, "operator", photo)  # another uploader: a second record
    rows = await api.db.read(lambda s: s.execute(
        select(media_index.uploads).order_by(media_index.uploads.c.uploaded_by)).all())
    by_name: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_name.setdefault(row.name, []).append(
            (row.uploaded_by, row.uploader_district, row.bytes, row.sha256))
    digest = hashlib.sha256(photo).hexdigest()
    assert by_name[media_reference(photo_url)] == [
        ("u-kbs_field1", "D01", len(photo), digest), ("u-operator", None, len(photo), digest)]
    assert by_name[media_reference(url)] == [
        ("u-gateway", None, len(snapshot), hashlib.sha256(snapshot).hexdigest())]


async def test_the_viewer_still_cannot_upload(api: Api, config: CentralConfig) -> None:
    reply = await api.post("/api/media", None, "viewer", data=image(10),
                           headers={"Content-Type": "image/jpeg"})
    assert reply.status == 403 and reply.body["error"] == "forbidden"
    assert not config.media_dir.exists() or list(config.media_dir.iterdir()) == []


async def test_the_scope_check_is_index_lookups_not_table_scans(api: Api) -> None:
    """A city keeps 100 000s of alarms and patrol records; a task board asks for dozens of
    thumbnails at once. Each check must be a few index look-ups, never a scan of a table."""
    for user, district in (("kbs", "D01"), ("kbs_field1", "D01")):
        principal = Principal(f"u-{user}", user,
                              "district" if "_" not in user else "field", district)
        query = media_index.access_query(principal, "a" * 64 + ".jpg")
        assert query is not None
        sql = str(query.compile(api.db.engine, compile_kwargs={"literal_binds": True}))
        plan = await api.db.read(lambda s, sql=sql: [
            row[-1] for row in s.execute(text("EXPLAIN QUERY PLAN " + sql))])
        steps = [step for step in plan if step.startswith(("SCAN", "SEARCH"))
                 and step != "SCAN CONSTANT ROW"]
        assert steps and all(step.startswith("SEARCH") for step in steps), plan
        for table, column in (("alarms", "evidence_url"), ("task_events", "attachment_url")):
            assert any(f"ix_central_{table}_{column}" in step for step in steps), plan
    city = media_index.access_query(Principal("u-operator", "operator", "operator", None), "x")
    assert city is None


@pytest.mark.parametrize(("url", "name"), [
    ("/media/" + "a" * 64 + ".jpg", "a" * 64 + ".jpg"),
    ("/media/" + "0123456789abcdef" * 4 + ".png", "0123456789abcdef" * 4 + ".png"),
    ("/media/" + "A" * 64 + ".jpg", None),
    ("/media/" + "a" * 63 + ".jpg", None),
    ("/media/" + "a" * 64 + ".gif", None),
    ("/media/" + "a" * 64 + ".jpg\n", None),
    ("/media/" + "a" * 64 + ".jpg?x=1", None),
    ("/media/" + "a" * 64 + ".jpg#x", None),
    ("//evil.example/media/" + "a" * 64 + ".jpg", None),
    ("http://evil.example/media/" + "a" * 64 + ".jpg", None),
    (".evil.example/media/" + "a" * 64 + ".jpg", None),
    ("@evil.example/media/" + "a" * 64 + ".jpg", None),
    ("\\\\evil.example/media/" + "a" * 64 + ".jpg", None),
    ("/media/../media/" + "a" * 64 + ".jpg", None),
    ("media/" + "a" * 64 + ".jpg", None),
    ("", None),
    (None, None),
    (42, None),
])
def test_media_reference_recognises_only_central_s_own_media(url: Any, name: str | None) -> None:
    assert media_reference(url) == name
