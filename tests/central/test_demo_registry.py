"""The demo city: deterministic, realistic proportions, every role present, fast at scale."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from central.auth import verify_password
from central.database import Database
from central.demo_registry import DEMO_PASSWORD, build_city, populate
from db.models import Business, Camera, ChangeLog, Sensor, User

TODAY = date(2026, 3, 1)


def test_same_seed_same_city_other_seed_other_city() -> None:
    a = build_city(80, 5, "http://sim", TODAY)
    b = build_city(80, 5, "http://sim", TODAY)
    c = build_city(80, 6, "http://sim", TODAY)
    assert a == b
    assert [x["name"] for x in a["business"]] != [x["name"] for x in c["business"]]


def test_proportions_names_cameras_and_sensors() -> None:
    city = build_city(452, 1, "http://127.0.0.1:8751/", TODAY)
    cats = Counter(b["category"] for b in city["business"])
    assert cats["small"] == 328 and cats["school_canteen"] == 34 and cats["medium"] == 72
    assert len({b["name"] for b in city["business"]}) == 452
    assert all(b["licence_no"].startswith("JY1") and len(b["licence_no"]) == 16
               for b in city["business"])
    soon = [b for b in city["business"] if (b["licence_expiry"] - TODAY).days <= 30]
    assert 0.04 < len(soon) / 452 < 0.25  # some licences expire soon or have expired
    cameras = city["camera"]
    assert 1.8 <= len(cameras) / 452 <= 2.3
    cam = cameras[0]
    assert cam["sub_url"] == f"http://127.0.0.1:8751/live/{cam['id']}/sub.ts"
    assert cam["main_url"] == f"http://127.0.0.1:8751/live/{cam['id']}/main.ts"
    rooms = {c["id"]: c["name"] for c in cameras}
    kinds = Counter(s["kind"] for s in city["sensor"])
    assert kinds["special_room"] and kinds["disinfection_cabinet"]
    for sensor in city["sensor"]:
        room = rooms[sensor["camera_id"]]
        assert room == ("凉菜专间" if sensor["kind"] == "special_room" else "洗消间")
    canteens = {b["id"] for b in city["business"] if b["category"].endswith("canteen")}
    assert {s["business_id"] for s in city["sensor"] if s["kind"] == "disinfection_cabinet"} \
        & canteens


def test_populate_creates_users_for_every_role_and_feed_rows(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        assert db.write_sync(lambda s: populate(s, 20, 2, "http://sim")) is True
        assert db.write_sync(lambda s: populate(s, 20, 2, "http://sim")) is False  # kept

        def check(session):
            users = {u.username: u for u in session.scalars(select(User))}
            feed = session.scalar(select(func.count()).select_from(ChangeLog))
            rows = sum(session.scalar(select(func.count()).select_from(m))
                       for m in (Business, Camera, Sensor, User))
            return users, feed, rows

        users, feed, rows = db.read_sync(check)
        roles = Counter(u.role for u in users.values())
        assert roles["admin"] == roles["operator"] == roles["viewer"] == 1
        assert roles["device"] == 2  # the gateway and the recorder
        assert roles["district"] == 5 and roles["field"] >= 10
        assert users["kbs"].district_id == "D01" and users["kbs_field1"].role == "field"
        assert users["gateway"].role == "device" and users["recorder"].role == "device"
        assert verify_password(users["operator"].password_hash, DEMO_PASSWORD)
        assert feed > rows  # plus districts, grids and patrol plans
    finally:
        db.close()


def test_a_city_of_ten_thousand_businesses_in_seconds(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'big.db'}")
    try:
        # CPU seconds, not wall time: what populating costs, whatever else shares the cores
        # (about 5 s; a loaded test machine tripled the wall time).
        started = time.process_time()
        db.write_sync(lambda s: populate(s, 10_000, 7, "http://sim"))
        elapsed = time.process_time() - started
        counts = db.read_sync(lambda s: (
            s.scalar(select(func.count()).select_from(Camera)),
            s.scalar(select(func.count()).select_from(Sensor))))
    finally:
        db.close()
    assert 19_000 <= counts[0] <= 21_000 and 1_800 <= counts[1] <= 2_800
    assert elapsed < 12, f"populating took {elapsed:.1f} CPU s"


def test_demo_history_gives_the_dashboard_something_to_show(tmp_path: Path) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from central.demo_history import populate_history
    from central.stats import compute_stats
    from db.models import Alarm, PatrolRecord, Task, TaskEvent

    now = datetime(2026, 3, 15, 4, 0, tzinfo=UTC)
    db = Database(f"sqlite:///{tmp_path / 'h.db'}")
    try:
        db.write_sync(lambda s: populate(s, 60, 4, "http://sim", TODAY))
        made = db.write_sync(lambda s: populate_history(s, 14, 4, now))
        assert made > 14 * 3
        assert db.write_sync(lambda s: populate_history(s, 14, 4, now)) == 0  # once

        def future(session) -> list[str]:
            """Every recorded moment but a deadline is in the past: the panel must never say
            an alarm was last seen twelve minutes from now."""
            out = []
            for model in (Alarm, Task, TaskEvent, PatrolRecord):
                for row in session.scalars(select(model)):
                    for column in model.__table__.columns:
                        value = getattr(row, column.key)
                        if (isinstance(value, datetime) and column.key != "deadline"
                                and value > now):
                            out.append(f"{model.__tablename__}.{column.key} {value}")
            return out

        assert db.read_sync(future) == []

        def facts(session):
            live = session.execute(select(Alarm.condition_key).where(
                Alarm.state.in_(("open", "acknowledged", "dispatched")))).scalars().all()
            closed = session.scalar(select(func.count()).select_from(Task)
                                    .where(Task.state == "closed"))
            return live, closed, compute_stats(session, None, ZoneInfo("Asia/Shanghai"), now)

        live, closed, stats = db.read_sync(facts)
    finally:
        db.close()
    assert len(live) == len(set(live)), "two live alarms for one condition"
    assert closed > 0 and 0.5 < stats["tasks"]["closure_rate"] < 1.0
    assert stats["tasks"]["overdue"] > 0
    shown = sum(sum(d.values()) for d in stats["alarms"]["by_day"].values())
    assert 0.85 * made <= shown <= made  # the oldest hours fall before the 14-day window
    assert stats["black_list"] and stats["red_list"]
    assert stats["patrol"]["coverage_rate"] > 0.5


def test_the_demo_city_comes_in_through_the_ledger_import(tmp_path: Path) -> None:
    """Every demo start exercises the import: streets and communities as a ledger names them,
    credit codes that pass their check, and the import's audit entry naming the workbook."""
    from db.models import AuditEntry, Grid, Street
    from ledger.fields import credit_code, gb_code

    db = Database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        db.write_sync(lambda s: populate(s, 60, 7, "http://sim", TODAY))

        def facts(session):
            return tuple(list(session.scalars(select(m).order_by(m.id)))
                         for m in (AuditEntry, Street, Grid, Business, Camera))

        audits, streets, grids, businesses, cameras = db.read_sync(facts)
    finally:
        db.close()
    assert {a.action for a in audits} == {"registry_import"}
    assert all("demo-city.xlsx" in a.detail for a in audits) and len(audits) == 5
    assert len(streets) == 18 and all(s.name.endswith(("街道", "镇")) for s in streets)
    assert grids and all(g.name.endswith("社区") and g.street_id for g in grids)
    assert all(g.officer_name for g in grids)
    assert all(credit_code(b.credit_code) == b.credit_code and b.street_id for b in businesses)
    assert all(gb_code(c.gb_code) == c.gb_code for c in cameras)
    assert businesses[0].id == "D01-B00001" and cameras[0].id == "D01-B00001-C1"


def test_a_history_ending_now_records_nothing_after_now(tmp_path: Path) -> None:
    """A busy day (240 alarms) puts some alarms minutes before the demo starts; their repeats
    and clearings, drawn up to hours after opening, must stop at the start."""
    from datetime import UTC, datetime

    from central.demo_history import populate_history
    from db.models import Alarm

    now = datetime(2026, 3, 15, 4, 0, tzinfo=UTC)
    db = Database(f"sqlite:///{tmp_path / 'busy.db'}")
    try:
        db.write_sync(lambda s: populate(s, 2000, 4, "http://sim", TODAY))
        db.write_sync(lambda s: populate_history(s, 1, 4, now))
        late = db.read_sync(lambda s: s.execute(select(Alarm.opened_at, Alarm.last_seen_at,
                                                       Alarm.cleared_at)).all())
    finally:
        db.close()
    assert len(late) > 100
    assert [row for row in late if row.last_seen_at > now
            or (row.cleared_at is not None and row.cleared_at > now)] == []
