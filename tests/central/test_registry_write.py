"""The registry's one writer: natural keys, versions, feed and audit, all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from central import registry_write as rw
from central.database import Database
from db.models import AuditEntry, Business, Camera, ChangeLog, District, Grid, Sensor, Street


@pytest.fixture
def db(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'c.db'}")
    database.write_sync(lambda s: s.add_all([District(id="D01", name="康巴什区"),
                                             District(id="D02", name="东胜区")]))
    yield database
    database.close()


def _business(**extra: Any) -> dict[str, Any]:
    return {"district_id": "D01", "street": "青春山街道", "grid": "康城社区",
            "name": "老王家牛肉面", "category": "small", "credit_code": "91330100799655058B",
            "licence_no": "JY11506020001234", "licence_expiry": date(2027, 3, 1),
            "latitude": 39.61, "longitude": 109.78, **extra}


def _camera(**extra: Any) -> dict[str, Any]:
    return {"business_credit_code": "91330100799655058B", "gb_code": "15060200001320000001",
            "name": "后厨操作间", "location": "后厨操作间",
            "main_url": "rtsp://admin:pw@10.0.0.5/main", "sub_url": "rtsp://10.0.0.5/sub",
            **extra}


def _write(db: Database, **rows: Any) -> rw.WriteResult:
    return db.write_sync(lambda s: rw.write(s, actor="admin", note="t.xlsx", **rows))


def _count(db: Database, model: Any) -> int:
    return db.read_sync(lambda s: s.scalar(select(func.count()).select_from(model)))


def test_added_then_unchanged_then_updated_by_natural_key(db: Database) -> None:
    first = _write(db, businesses=[_business()], cameras=[_camera()],
                   sensors=[{"business_licence_no": "JY11506020001234", "kind": "special_room",
                             "location": "凉菜专间", "camera_gb_code": "15060200001320000001",
                             "params": {"max_temp": 25.0}}])
    assert first.as_dict()["businesses"] == {"added": 1, "updated": 0, "unchanged": 0}
    assert first.counts["streets"].added == first.counts["grids"].added == 1
    assert first.business_ids == ["D01-B00001"] and first.camera_ids == ["D01-B00001-C1"]
    assert first.sensor_ids == ["D01-B00001-C1-TH"]
    feed_after_first = _count(db, ChangeLog)

    again = _write(db, businesses=[_business()], cameras=[_camera()],
                   sensors=[{"business_licence_no": "JY11506020001234", "kind": "special_room",
                             "location": "凉菜专间", "camera_gb_code": "15060200001320000001",
                             "params": {"max_temp": 25.0}}])
    assert again.as_dict() == {e: {"added": 0, "updated": 0, "unchanged": n}
                               for e, n in (("streets", 0), ("grids", 0), ("businesses", 1),
                                            ("cameras", 1), ("sensors", 1))}
    assert _count(db, ChangeLog) == feed_after_first  # nothing new in the feed, no audit
    assert _count(db, AuditEntry) == 1

    # The licence number matches when the credit code was missing: an update, not a new one.
    changed = _write(db, businesses=[_business(credit_code="", name="老王家牛肉面（康城店）")],
                     cameras=[_camera(business_credit_code="", sub_url="rtsp://10.0.0.6/sub",
                                      business_licence_no="JY11506020001234")])
    assert changed.counts["businesses"].updated == 1 and changed.counts["cameras"].updated == 1
    row = db.read_sync(lambda s: s.get(Business, "D01-B00001"))
    assert row.name == "老王家牛肉面（康城店）" and row.version == 2
    assert _count(db, Business) == 1 and _count(db, Camera) == 1 and _count(db, Sensor) == 1
    feed = db.read_sync(lambda s: s.scalar(select(ChangeLog).where(
        ChangeLog.entity == "business")))
    assert feed.payload["name"] == "老王家牛肉面（康城店）" and feed.payload["version"] == 2
    assert feed.payload["licence_expiry"] == "2027-03-01"


def test_streets_and_communities_are_created_inside_a_known_district(db: Database) -> None:
    _write(db, businesses=[_business()])
    street = db.read_sync(lambda s: s.scalar(select(Street)))
    grid = db.read_sync(lambda s: s.scalar(select(Grid)))
    assert (street.id, street.district_id, street.name) == ("D01-S01", "D01", "青春山街道")
    assert (grid.id, grid.street_id, grid.name) == ("D01-G01", "D01-S01", "康城社区")
    business = db.read_sync(lambda s: s.get(Business, "D01-B00001"))
    assert business.street_id == "D01-S01" and business.grid_id == "D01-G01"


def test_an_error_anywhere_writes_nothing(db: Database) -> None:
    with pytest.raises(rw.RegistryWriteError) as info:
        _write(db, businesses=[_business()],
               cameras=[_camera(), _camera(business_credit_code="91110108551385082Q",
                                           gb_code="15060200001320000002")])
    assert info.value.code == "business_unknown" and info.value.index == 1
    assert _count(db, Business) == _count(db, Camera) == _count(db, Street) == 0
    assert _count(db, ChangeLog) == 0
    with pytest.raises(rw.RegistryWriteError) as info:
        _write(db, businesses=[_business(district_id="D09")])
    assert info.value.code == "district_unknown"


def test_a_district_admin_writes_only_their_district(db: Database) -> None:
    with pytest.raises(rw.RegistryWriteError) as info:
        db.write_sync(lambda s: rw.write(s, businesses=[_business(district_id="D02")],
                                         actor="kbs", district_scope="D01"))
    assert info.value.code == "district_forbidden"
    assert _count(db, Business) == 0


def test_audit_names_the_actor_and_counts(db: Database) -> None:
    _write(db, businesses=[_business()], cameras=[_camera()])
    entry = db.read_sync(lambda s: s.scalar(select(AuditEntry)))
    assert entry.user == "admin" and entry.action == "registry_import"
    assert entry.district_id == "D01" and '"t.xlsx"' in entry.detail
    assert '"added": 1' in entry.detail


def test_known_lists_places_and_keys(db: Database) -> None:
    _write(db, businesses=[_business()], cameras=[_camera()])
    known = db.read_sync(rw.load_known)
    assert known.district_id("康巴什区") == "D01" and known.district_id("康巴什") == "D01"
    assert known.streets[("D01", "青春山街道")] == "D01-S01"
    assert known.business("", "JY11506020001234") == ("D01-B00001", "D01")
    assert known.gb_codes["15060200001320000001"] == ("D01-B00001-C1", "D01-B00001")


def test_single_edits_and_the_import_share_one_row_level_write(db: Database) -> None:
    """merge_row is the one row write: the import's rows and a single edit's (which also
    checks the version it was made on) leave the same feed entry, every column of the row."""
    from types import SimpleNamespace

    from db.serialize import payload_of, to_payload

    _write(db, businesses=[_business()], cameras=[_camera()])

    def edit(expected: int | None) -> str:
        def work(session: Any) -> str:
            old = rw.load_row(session, Camera, "D01-B00001-C1")
            plan = rw._Plan(Camera, "camera")
            _, outcome = rw.merge_row(old, {"name": "凉菜专间"}, plan, rw.Counts(),
                                      expected_version=expected, versioned=True,
                                      entity="camera")
            plan.apply(session)
            return outcome
        return db.write_sync(work)

    with pytest.raises(rw.StaleRow) as missing:
        edit(None)
    assert missing.value.code == "version_required"
    with pytest.raises(rw.StaleRow) as stale:
        edit(7)
    assert stale.value.code == "stale_version" and stale.value.current["version"] == 1
    assert edit(1) == "updated"
    camera = db.read_sync(lambda s: s.get(Camera, "D01-B00001-C1"))
    assert (camera.name, camera.version) == ("凉菜专间", 2)
    entry = db.read_sync(lambda s: s.scalars(select(ChangeLog).where(
        ChangeLog.entity == "camera").order_by(ChangeLog.seq.desc()).limit(1)).one())
    assert entry.payload == to_payload(camera)
    # A new row gets every column's default, so its feed entry is whole too.
    fresh = rw.new_row(Camera, {"id": "X", "business_id": "B", "district_id": "D01",
                                "name": "n"})
    assert set(fresh) == set(payload_of(Camera, SimpleNamespace(**fresh)))
    assert (fresh["online"], fresh["health"], fresh["version"]) == (True, "unknown", 1)
