"""The shared domain model: migrations, payload round trips, corrupt-file handling."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from db.engine import CorruptDatabaseError, open_sqlite
from db.models import Business, Camera, District, OutboxAction
from db.serialize import PayloadError, to_payload, upsert


def test_migration_creates_schema_and_is_repeatable(tmp_path: Path) -> None:
    path = tmp_path / "local.db"
    engine = open_sqlite(path)
    tables = set(inspect(engine).get_table_names())
    assert {"businesses", "cameras", "outbox", "change_log", "alembic_version"} <= tables
    engine.dispose()
    # Opening an existing file again keeps its data (migrated, never wiped).
    engine = open_sqlite(path)
    with Session(engine) as s:
        s.add(District(id="D01", name="康巴什区"))
        s.commit()
    engine.dispose()
    engine = open_sqlite(path)
    with Session(engine) as s:
        assert s.get(District, "D01").name == "康巴什区"


def test_payload_round_trip_keeps_types(tmp_path: Path) -> None:
    engine = open_sqlite(tmp_path / "a.db")
    biz = Business(id="D01-B0001", district_id="D01", name="老王家常菜", category="small",
                   licence_expiry=date(2027, 3, 1))
    cam = Camera(id="D01-B0001-C1", business_id="D01-B0001", district_id="D01", name="后厨",
                 online=False)
    with Session(engine) as s:
        s.add_all([biz, cam])
        s.commit()
        payloads = [("business", to_payload(biz)), ("camera", to_payload(cam))]
    other = open_sqlite(tmp_path / "b.db")
    with Session(other) as s:
        for entity, payload in payloads:
            upsert(s, entity, payload)
        s.commit()
        got = s.get(Business, "D01-B0001")
        assert got.licence_expiry == date(2027, 3, 1)
        assert s.get(Camera, "D01-B0001-C1").online is False


def test_malformed_payload_names_the_column() -> None:
    with pytest.raises(PayloadError, match=r"cameras\.online"):
        upsert(None, "camera", {"id": "x", "online": "yes"})  # type: ignore[arg-type]
    with pytest.raises(PayloadError, match="unknown entity"):
        upsert(None, "spaceship", {"id": "x"})  # type: ignore[arg-type]


def test_timestamps_come_back_aware(tmp_path: Path) -> None:
    engine = open_sqlite(tmp_path / "a.db")
    when = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    with Session(engine) as s:
        s.add(OutboxAction(kind="alarm.ack", payload={"alarm_id": "a"}, created_at=when))
        s.commit()
        got = s.scalars(select(OutboxAction)).one()
        assert got.created_at == when and got.created_at.tzinfo is not None


def test_corrupt_file_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "local.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CorruptDatabaseError) as info:
        open_sqlite(path)
    assert info.value.moved_to.exists()
    assert info.value.moved_to.read_bytes().startswith(b"this is not")
    assert not path.exists()
