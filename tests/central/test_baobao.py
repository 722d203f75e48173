"""The 包保 network on central: officials as accounts, versioned checklists, visits with a
verdict per item, the looks at cameras, and the figures built from them (issue 18)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import func, select, update

from central import registry_write as rw
from central.auth import hash_password
from central.database import Database
from central.demo_registry import DEMO_PASSWORD
from central.schemas import baobao as schema
from db.models import AuditEntry, Business, Camera, District, User, ViewRecord
from domain.baobao import ItemVerdict, ViewSource, VisitMode, default_checklist
from domain.clock import utcnow
from tests.central.conftest import Api


def _first(api: Api, district: str, *, offset: int = 0) -> tuple[str, str, str]:
    """(business id, its category, one of its camera ids) in ``district``."""
    def work(session: Any) -> tuple[str, str, str]:
        camera = session.scalars(select(Camera).where(Camera.district_id == district)
                                 .order_by(Camera.id).offset(offset)).first()
        business = session.get(Business, camera.business_id)
        return business.id, business.category, camera.id

    return api.db.read_sync(work)


async def _figures(api: Api, user: str, **params: str) -> dict[str, Any]:
    reply = await api.get("/api/baobao/figures", user, params=params)
    assert reply.status == 200, reply.body
    return reply.body


def _overdue_ids(figures: dict[str, Any]) -> set[str]:
    return {o["business_id"] for o in figures["overdue"]}


def test_the_payload_vocabularies_are_the_domains() -> None:
    assert set(get_args(schema.VisitModeWord)) == set(VisitMode)
    assert set(get_args(schema.ItemVerdictWord)) == set(ItemVerdict)
    assert set(get_args(schema.ViewSourceWord)) == set(ViewSource)


async def test_an_official_is_an_account_of_the_district_and_counts_toward_coverage(
        api: Api) -> None:
    business_id, _, _ = _first(api, "D01")
    # a kitchen whose ledger named an official who has no account (the demo links them all)
    await api.db.write(lambda s: s.execute(update(Business).where(
        Business.id == business_id).values(official_user_id=None, official_name="王某")))
    before = await _figures(api, "kbs")
    earlier = next((o["total"] for o in before["officials"] if o["username"] == "kbs_field1"),
                   0)
    reply = await api.action("kbs", "baobao.assign",
                             {"business_id": business_id, "username": "kbs_field1"})
    assert reply.status == 200, reply.body
    row = reply.body["result"]["business"]
    assert row["official_user_id"] == "u-kbs_field1"
    account = await api.db.read(lambda s: s.get(User, "u-kbs_field1"))
    assert row["official_name"] == account.display_name  # the text follows the account
    after = await _figures(api, "kbs")
    assert after["totals"]["covered"] == before["totals"]["covered"] + 1
    official = next(o for o in after["officials"] if o["username"] == "kbs_field1")
    assert official["total"] == earlier + 1 and official["coverage"] == 100.0
    assert after["businesses"][business_id]["official"] == row["official_name"]
    # another district's account, another district's business, a role that may not
    wrong = await api.action("kbs", "baobao.assign",
                             {"business_id": business_id, "username": "ds_field1"})
    assert wrong.status == 422 and "works in district D02" in wrong.body["message"]
    other, _, _ = _first(api, "D02")
    hidden = await api.action("kbs", "baobao.assign",
                              {"business_id": other, "username": "kbs_field1"})
    assert hidden.status == 404
    field = await api.action("kbs_field1", "baobao.assign",
                             {"business_id": business_id, "username": "kbs_field1"})
    assert field.status == 403
    # a district user's figures are their district's only
    assert {d["district_id"] for d in after["districts"]} == {"D01"}
    assert (await api.get("/api/baobao/figures", "kbs",
                          params={"district_id": "D02"})).status == 404


async def test_checklists_are_versioned_and_a_visit_names_the_version_it_used(
        api: Api) -> None:
    business_id, category, _ = _first(api, "D01")
    listed = await api.get("/api/checklists", "kbs", params={"category": category})
    assert listed.status == 200
    [current] = listed.body["checklists"]
    assert current["version"] == 0 and current["items"] == default_checklist(category)
    keys = [item["key"] for item in current["items"]]
    assert "health_certs" in keys and "rodent_proofing" in keys
    items = [{"key": "health_certs", "text": "从业人员持有效健康证明"},
             {"key": "new_item", "text": "新增检查项"}]
    denied = await api.action("kbs", "checklist.save",
                              {"category": category, "items": items, "expected_version": 0})
    assert denied.status == 403
    saved = await api.action("admin", "checklist.save",
                             {"category": category, "items": items, "expected_version": 0})
    assert saved.status == 200 and saved.body["result"]["checklist"]["version"] == 1
    await api.db.write(lambda session: session.add(User(
        username="kbs_admin", role="admin", district_id="D01",
        password_hash=hash_password(DEMO_PASSWORD))))
    district_admin = await api.action("kbs_admin", "checklist.save",
                                      {"category": category, "items": items})
    assert district_admin.status == 403 and "the city's" in district_admin.body["message"]
    stale = await api.action("admin", "checklist.save",
                             {"category": category, "items": items, "expected_version": 0})
    assert stale.status == 409 and stale.body["error"] == "stale_version"
    listed = await api.get("/api/checklists", "kbs", params={"category": category})
    assert listed.body["checklists"][0]["version"] == 1
    # an officer still on version 0 records a visit with its items: accepted, as version 0
    old = await api.action("kbs", "baobao.visit", {
        "business_id": business_id, "mode": "onsite", "verdict": "compliant",
        "checklist_version": 0, "items": [{"key": "rodent_proofing", "verdict": "pass"}]})
    assert old.status == 200, old.body
    assert old.body["result"]["visit"]["checklist_version"] == 0
    # an item version 1 does not have is refused, as is a version that never existed
    wrong = await api.action("kbs", "baobao.visit", {
        "business_id": business_id, "mode": "online", "verdict": "compliant",
        "checklist_version": 1, "items": [{"key": "rodent_proofing", "verdict": "pass"}]})
    assert wrong.status == 422 and "rodent_proofing" in wrong.body["message"]
    never = await api.action("kbs", "baobao.visit", {
        "business_id": business_id, "mode": "online", "verdict": "compliant",
        "checklist_version": 7, "items": []})
    assert never.status == 422 and "version 7" in never.body["message"]


async def test_a_visit_takes_the_business_off_the_overdue_list_and_names_failed_items(
        api: Api) -> None:
    business_id, _, _ = _first(api, "D01", offset=3)
    before = await _figures(api, "kbs")
    if business_id not in _overdue_ids(before):
        # the demo's history may have patrolled it: pick one that is overdue
        business_id = sorted(_overdue_ids(before))[0]
    contradiction = await api.action("kbs", "baobao.visit", {
        "business_id": business_id, "mode": "onsite", "verdict": "compliant",
        "checklist_version": 0, "items": [{"key": "bins_covered", "verdict": "fail"}]})
    assert contradiction.status == 422
    reply = await api.action("kbs_field1", "baobao.visit", {
        "business_id": business_id, "mode": "onsite", "verdict": "problem",
        "checklist_version": 0, "note": "后厨垃圾桶未加盖",
        "items": [{"key": "bins_covered", "verdict": "fail", "note": "两只未加盖"},
                  {"key": "health_certs", "verdict": "pass"}]})
    assert reply.status == 200, reply.body
    [failed] = reply.body["result"]["failed"]
    assert failed["key"] == "bins_covered" and failed["text"] == "垃圾桶加盖"
    after = await _figures(api, "kbs")
    assert business_id not in _overdue_ids(after)
    assert after["totals"]["visited"] == before["totals"]["visited"] + 1
    assert after["overdue_count"] == before["overdue_count"] - 1
    card = after["businesses"][business_id]
    account = await api.db.read(lambda s: s.get(User, "u-kbs_field1"))
    assert card["last_visit_how"] == "onsite" and card["last_visit_by"] == account.display_name
    visits = await api.get("/api/baobao/visits", "kbs", params={"business_id": business_id})
    assert visits.body["visits"][0]["items"][0]["verdict"] == "fail"
    audited = api.db.read_sync(lambda s: s.scalar(
        select(func.count()).select_from(AuditEntry)
        .where(AuditEntry.action == "baobao.visit")))
    assert audited == 1


async def test_looks_are_stored_in_batches_and_a_long_one_counts_as_an_online_visit(
        api: Api) -> None:
    before = await _figures(api, "kbs")
    business_id = sorted(_overdue_ids(before))[-1]
    camera_id = api.db.read_sync(lambda s: s.scalar(
        select(Camera.id).where(Camera.business_id == business_id).limit(1)))
    _, _, foreign = _first(api, "D02")
    now = utcnow().replace(microsecond=0)
    views = [{"camera_id": camera_id, "source": "tour", "seconds": 10,
              "started_at": (now - timedelta(minutes=30)).isoformat()},
             {"camera_id": foreign, "source": "wall", "seconds": 600,
              "started_at": now.isoformat()},
             {"camera_id": camera_id, "source": "wall", "seconds": 20,
              "started_at": (now + timedelta(hours=3)).isoformat()}]
    reply = await api.action("kbs", "view.batch", {"views": views})
    assert reply.status == 200, reply.body
    # another district's camera and a look dated hours ahead are skipped, not stored
    assert reply.body["result"] == {"stored": 1, "skipped": [1, 2]}
    # a 10-second glance from a tour is a trace, not a visit
    assert business_id in _overdue_ids(await _figures(api, "kbs"))
    reply = await api.action("kbs", "view.batch", {"views": [
        {"camera_id": camera_id, "source": "patrol", "seconds": 180,
         "started_at": (now - timedelta(minutes=5)).isoformat()}]})
    assert reply.status == 200
    after = await _figures(api, "kbs")
    assert business_id not in _overdue_ids(after)
    assert after["businesses"][business_id]["last_visit_how"] == "view"
    looks = await api.get("/api/views", "kbs", params={"business_id": business_id})
    assert [(v["source"], v["seconds"]) for v in looks.body["views"]] == [
        ("patrol", 180), ("tour", 10)]
    assert looks.body["views"][0]["name"] == "康巴什区市场监督管理局"
    hidden = await api.get("/api/views", "ds", params={"business_id": business_id})
    assert hidden.status == 404
    assert (await api.action("viewer", "view.batch", {"views": views[:1]})).status == 403
    stored = api.db.read_sync(lambda s: s.scalar(select(func.count()).select_from(ViewRecord)))
    assert stored == 2


async def test_a_batch_of_a_full_wall_is_one_request(api: Api) -> None:
    cameras = api.db.read_sync(lambda s: list(s.scalars(
        select(Camera.id).where(Camera.district_id == "D01").order_by(Camera.id).limit(64))))
    now = utcnow().replace(microsecond=0)
    views = [{"camera_id": c, "source": "wall", "seconds": 900,
              "started_at": (now - timedelta(minutes=15)).isoformat()} for c in cameras]
    reply = await api.action("kbs", "view.batch", {"views": views})
    assert reply.status == 200 and reply.body["result"]["stored"] == len(cameras)
    over = (views * 40)[:schema.MAX_VIEWS_PER_BATCH + 1]
    too_many = await api.action("kbs", "view.batch", {"views": over})
    assert too_many.status == 422


def test_a_ledgers_official_is_linked_to_the_account_with_that_name_and_phone(
        tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'c.db'}")
    database.write_sync(lambda s: s.add_all([
        District(id="D01", name="康巴什区"),
        User(id="u1", username="wangjg", display_name="王建国", role="field",
             district_id="D01", phone="13800000001"),
        User(id="u2", username="lisi", display_name="李四", role="field",
             district_id="D02", phone="13800000002")]))
    rows = [{"district_id": "D01", "name": "甲", "category": "small",
             "licence_no": "JY11506020000001", "official_name": "王建国",
             "official_phone": "13800000001"},
            {"district_id": "D01", "name": "乙", "category": "small",
             "licence_no": "JY11506020000002", "official_name": "李四",
             "official_phone": "13800000002"},  # another district's
            {"district_id": "D01", "name": "丙", "category": "small",
             "licence_no": "JY11506020000003", "official_name": "赵六",
             "official_phone": "13800000003"}]  # no account yet
    result = database.write_sync(lambda s: rw.write(s, businesses=rows, actor="admin"))
    linked = database.read_sync(lambda s: {
        b.name: (b.official_user_id, b.official_name) for b in s.scalars(select(Business))})
    assert linked == {"甲": ("u1", "王建国"), "乙": (None, "李四"), "丙": (None, "赵六")}
    # a later ledger naming someone else for 甲 drops the link, keeping the new name
    first = result.business_ids[0]
    database.write_sync(lambda s: rw.write(s, businesses=[
        {"id": first, "district_id": "D01", "official_name": "赵六",
         "official_phone": "13800000003"}], actor="admin"))
    assert database.read_sync(lambda s: s.get(Business, first).official_user_id) is None
    database.close()
