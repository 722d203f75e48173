"""The change feed: a complete snapshot from 0, increments from a cursor, scoping, masking."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import SYNCED_ENTITIES, Business, Camera, Sensor, User
from tests.central.conftest import STREAM_BASE, Api


def _ids(rows: list[dict], entity: str) -> set[str]:
    return {r["id"] for r in rows if r["entity"] == entity}


async def test_feed_from_zero_is_the_whole_registry(api: Api) -> None:
    rows, cursor = await api.feed("operator", limit=37)  # odd page size: pages split entities
    seqs = [r["seq"] for r in rows]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))

    def counts(session):
        return {name: {str(i) for i in session.scalars(select(model.id))}
                for name, model in SYNCED_ENTITIES.items()}

    expected = await api.db.read(counts)
    for entity, ids in expected.items():
        assert _ids(rows, entity) == ids, entity
    assert expected["business"] and len(expected["camera"]) >= 2 * len(expected["business"]) * 0.8
    health = await api.get("/api/health")
    assert cursor == health.body["head_seq"]
    user_rows = [r for r in rows if r["entity"] == "user"]
    assert user_rows and all("password_hash" not in r["payload"] for r in user_rows)


async def test_incremental_feed_returns_only_what_changed(api: Api) -> None:
    _, cursor = await api.feed("operator")
    camera = await api.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())
    reply = await api.action("operator", "camera.health",
                             {"camera_id": camera.id, "health": "frozen", "reason": "test"})
    assert reply.status == 200, reply.body
    rows, new_cursor = await api.feed("operator", since=cursor)
    kinds = sorted((r["entity"], r["id"]) for r in rows)
    assert ("camera", camera.id) in kinds
    assert {e for e, _ in kinds} == {"camera", "alarm"}
    assert all(r["seq"] > cursor for r in rows) and new_cursor > cursor
    cam = next(r for r in rows if r["entity"] == "camera")
    assert cam["payload"]["health"] == "frozen" and cam["payload"]["online"] is False
    # Nothing new: an empty page that keeps the cursor.
    again, same = await api.feed("operator", since=new_cursor)
    assert again == [] and same == new_cursor


async def test_district_user_sees_only_own_district(api: Api) -> None:
    rows, _ = await api.feed("kbs")
    assert rows
    assert {r["district_id"] for r in rows if r["entity"] != "patrol_plan"} == {"D01"}
    assert not [r for r in rows if r["entity"] == "user"]
    plans = {r["id"]: r["district_id"] for r in rows if r["entity"] == "patrol_plan"}
    assert plans and set(plans.values()) <= {"D01", None}  # own and city-wide plans

    def d01(session):
        return {str(i) for i in session.scalars(select(Business.id)
                                                .where(Business.district_id == "D01"))}

    assert _ids(rows, "business") == await api.db.read(d01)


async def test_direct_reads_outside_scope_are_not_found(api: Api) -> None:
    other = await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.district_id != "D01").limit(1)).one())
    own = await api.db.read(lambda s: s.scalars(
        select(Sensor).where(Sensor.district_id == "D01").limit(1)).one())
    hidden = await api.get(f"/api/entity/sensor/{other.id}", "kbs")
    assert hidden.status == 404 and hidden.body["error"] == "not_found"
    assert (await api.get(f"/api/sensors/{other.id}/readings", "kbs")).status == 404
    assert (await api.get(f"/api/entity/sensor/{own.id}", "kbs")).status == 200
    assert (await api.get(f"/api/entity/business/{other.business_id}", "kbs")).status == 404
    assert (await api.get(f"/api/entity/business/{other.business_id}", "operator")).status == 200
    assert (await api.get("/api/entity/user/u-admin", "kbs")).status == 403
    # Acting on another district's row is just as invisible.
    reply = await api.action("kbs", "camera.health", {"camera_id": f"{other.business_id}-C1",
                                                      "health": "black"})
    assert reply.status == 404
    users = await api.get("/api/users?role=field", "kbs")
    assert users.body["users"] and {u["district_id"] for u in users.body["users"]} == {"D01"}


async def test_viewer_sees_masked_people_and_no_credentials(api: Api) -> None:
    rows, _ = await api.feed("viewer")
    assert not [r for r in rows if r["entity"] in ("user", "audit")]
    cameras = [r["payload"] for r in rows if r["entity"] == "camera"]
    assert cameras and all(c["sub_url"].startswith("rtsp://media.example:554/live/")
                           for c in cameras)
    assert "cam-secret" not in str(rows)
    business = next(r["payload"] for r in rows if r["entity"] == "business")
    assert business["official_name"][1:] == "*" * (len(business["official_name"]) - 1)
    assert business["contact_phone"][3:7] == "****" and len(business["contact_phone"]) == 11
    grid = next(r["payload"] for r in rows if r["entity"] == "grid")
    assert "*" in grid["officer_name"] and "****" in grid["officer_phone"]
    # The operator sees the real values, URLs included (it plays the streams).
    op_rows, _ = await api.feed("operator")
    op_cam = next(r["payload"] for r in op_rows if r["entity"] == "camera")
    assert op_cam["sub_url"].startswith(STREAM_BASE)
    # The demonstration account does not list the city's users at all (issue 12).
    users = await api.get("/api/users?role=field", "viewer")
    assert users.status == 403 and users.body["error"] == "forbidden"


async def test_field_users_get_no_stream_urls(api: Api) -> None:
    rows, _ = await api.feed("kbs_field1")
    cameras = [r["payload"] for r in rows if r["entity"] == "camera"]
    assert cameras and all(c["main_url"] == c["sub_url"] == "" for c in cameras)


async def test_cursor_ahead_of_head_means_a_replaced_database(api: Api) -> None:
    reply = await api.get("/api/changes?since=999999", "operator")
    assert reply.status == 409 and reply.body["error"] == "cursor_ahead"
    bad = await api.get("/api/changes?since=abc", "operator")
    assert bad.status == 400 and "since" in bad.body["message"]
    big = await api.get("/api/changes?limit=5001", "operator")
    assert big.status == 400
    assert big.body["message"] == "query parameter limit: '5001' is outside 1..5000"


async def test_user_rows_only_for_operators(api: Api) -> None:
    rows, _ = await api.feed("admin")
    count = await api.db.read(lambda s: s.scalar(select(func.count()).select_from(User)))
    assert len(_ids(rows, "user")) == count


def test_payloads_sent_as_stored_are_exactly_what_present_would_send() -> None:
    """The feed skips :func:`present` where :func:`shown_as_stored` says it changes nothing:
    for every role and entity, a payload carrying every masked field must then come out of
    ``present`` unchanged (a new masking rule without the matching exception fails here)."""
    from central.scope import (
        PERSONAL_FIELDS,
        PHONE_FIELDS,
        URL_FIELDS,
        Principal,
        present,
        shown_as_stored,
    )
    from domain.roles import Role

    payload = {"id": "X1", "name": "测试", **{f: "张三丰" for f in PERSONAL_FIELDS},
               **{f: "13912345678" for f in PHONE_FIELDS},
               **{f: "rtsp://user:pw@cam.example/live?token=s3cret" for f in URL_FIELDS}}
    as_stored = 0
    for role in Role:
        principal = Principal("u1", "someone", role, "D01")
        for entity in SYNCED_ENTITIES:
            if shown_as_stored(principal, entity):
                as_stored += 1
                assert present(principal, entity, dict(payload)) == payload, (role, entity)
    assert as_stored  # the operator's and the admin's feeds take the short way


async def test_a_feed_page_decodes_to_the_rows_as_stored(api: Api) -> None:
    """The page is assembled from the stored JSON text: each row's payload decodes to the
    entity's payload as the ORM reads it (Chinese text, nulls, numbers and flags intact)."""
    from central import changes
    from db.models import ChangeLog

    def remove_a_camera(session):
        camera = session.scalars(select(Camera).limit(1)).one()
        changes.record(session, camera, deleted=True)
        session.delete(camera)

    await api.db.write(remove_a_camera)
    rows, _ = await api.feed("operator", limit=50)
    stored = await api.db.read(lambda s: {
        (c.entity, c.entity_id): (c.seq, c.district_id, c.deleted, c.payload)
        for c in s.scalars(select(ChangeLog))})
    assert rows and len(rows) == len(stored)
    for row in rows:
        seq, district, deleted, payload = stored[(row["entity"], row["id"])]
        assert (row["seq"], row["district_id"], row["deleted"], row["payload"]) == \
            (seq, district, deleted, payload), row["entity"]
    assert any(row["deleted"] for row in rows)
    assert any("\u4e00" <= ch <= "\u9fff" for row in rows for ch in str(row["payload"]))
