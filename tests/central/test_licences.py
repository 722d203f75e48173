"""Licences that act (issue 18, item 5): one reminder task per licence expiry within 30 days,
an alarm while a business with an expired licence has cameras online."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central import bureau
from central.config import CentralConfig
from central.database import Database
from db.models import Alarm, Business, Camera, Task
from domain.clock import utcnow


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def cfg(db_url: str, tmp_path: Path) -> CentralConfig:
    return CentralConfig(db_url=db_url, media_dir=tmp_path)


def _first_business(db: Database) -> str:
    found = db.read_sync(lambda s: s.scalars(select(Business.id).order_by(Business.id)).first())
    assert found is not None
    return found


def _set_expiry(db: Database, business_id: str | None, expiry: date | None) -> None:
    def work(session: Session) -> None:
        stmt = update(Business).values(licence_expiry=None)
        session.execute(stmt if business_id is None else stmt.where(Business.id != business_id))
        if business_id is not None:
            session.execute(update(Business).where(Business.id == business_id)
                            .values(licence_expiry=expiry, licence_no="JY13205020012345"))
    db.write_sync(work)


def _reminders(db: Database, business_id: str) -> list[Task]:
    return db.read_sync(lambda s: list(s.scalars(select(Task).where(
        Task.business_id == business_id, Task.origin_key.is_not(None)))))


def _licence_alarms(db: Database, business_id: str) -> list[Alarm]:
    return db.read_sync(lambda s: list(s.scalars(select(Alarm).where(
        Alarm.business_id == business_id, Alarm.kind == "licence"))))


def test_one_reminder_per_licence_expiry_not_one_a_day(db: Database,
                                                       cfg: CentralConfig) -> None:
    now = utcnow()
    today = bureau.local_today(cfg, now)
    business = _first_business(db)
    _set_expiry(db, business, today + timedelta(days=20))
    for day in range(3):  # three daily runs
        db.write_sync(lambda s, d=day: bureau.check_licences(s, cfg, now + timedelta(days=d)))
    tasks = _reminders(db, business)
    assert len(tasks) == 1
    assert "JY13205020012345" in tasks[0].title and "到期" in tasks[0].title
    _set_expiry(db, business, today + timedelta(days=25))  # renewed to another date
    db.write_sync(lambda s: bureau.check_licences(s, cfg, now))
    assert len(_reminders(db, business)) == 2


def test_a_licence_far_from_expiry_gets_no_reminder(db: Database, cfg: CentralConfig) -> None:
    now = utcnow()
    business = _first_business(db)
    _set_expiry(db, business, bureau.local_today(cfg, now) + timedelta(days=31))
    db.write_sync(lambda s: bureau.check_licences(s, cfg, now))
    assert _reminders(db, business) == []


def test_expired_with_cameras_online_is_an_alarm_until_they_go_dark(
        db: Database, cfg: CentralConfig) -> None:
    now = utcnow()
    business = _first_business(db)
    _set_expiry(db, business, bureau.local_today(cfg, now) - timedelta(days=1))
    db.write_sync(lambda s: s.execute(update(Camera).where(Camera.business_id == business)
                                      .values(online=True)))
    db.write_sync(lambda s: bureau.check_licences(s, cfg, now))
    db.write_sync(lambda s: bureau.check_licences(s, cfg, now + timedelta(minutes=1)))
    alarms = _licence_alarms(db, business)
    assert len(alarms) == 1 and alarms[0].count == 1 and alarms[0].cleared_at is None
    assert "过期" in alarms[0].message
    db.write_sync(lambda s: s.execute(update(Camera).where(Camera.business_id == business)
                                      .values(online=False)))
    db.write_sync(lambda s: bureau.check_licences(s, cfg, now + timedelta(minutes=2)))
    assert _licence_alarms(db, business)[0].cleared_at is not None
