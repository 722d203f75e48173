"""Shared builders for widget tests: alarm/task rows with Chinese data, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from widgets.models.rows import AlarmRow, Assignee, BusinessCard, TaskRow

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns on every shown top-level window that it cannot
    propagate size hints; that is the platform, not our code, so it must not fail a run
    with ``qt_log_level_fail = WARNING``."""
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


def alarm(i: int = 1, **kw: Any) -> AlarmRow:
    base: dict[str, Any] = dict(
        id=f"A{i:05d}",
        kind="sensor_threshold",
        severity=3,
        state="open",
        district_id="D01",
        business_id=f"D01-B{i % 50:04d}",
        condition_key=f"cond-{i}",
        count=1,
        message=f"专间温度 {26 + i % 3}.0°C 超过上限 25°C",
        opened_at=(NOW - timedelta(minutes=i)).isoformat(),
        last_seen_at=(NOW - timedelta(minutes=i)).isoformat(),
    )
    names = {"business_name": kw.pop("business_name", f"老王家常菜{i % 50}号店"),
             "district_name": kw.pop("district_name", "康巴什区")}
    base.update(kw)
    return AlarmRow.from_payload(base, **names)


def task(i: int = 1, **kw: Any) -> TaskRow:
    base: dict[str, Any] = dict(
        id=f"T{i:04d}",
        district_id="D01",
        business_id=f"D01-B{i:04d}",
        alarm_id=f"A{i:05d}",
        state="dispatched",
        assignee="li.na",
        title=f"老王家常菜{i}号店：专间温度超限",
        severity=3,
        deadline=(NOW + timedelta(hours=24)).isoformat(),
        created_at=(NOW - timedelta(hours=i)).isoformat(),
        updated_at=(NOW - timedelta(hours=i)).isoformat(),
        version=3,
    )
    names = {"business_name": kw.pop("business_name", f"老王家常菜{i}号店"),
             "district_name": kw.pop("district_name", "康巴什区"),
             "assignee_name": kw.pop("assignee_name", "李娜")}
    base.update(kw)
    return TaskRow.from_payload(base, **names)


def business(**kw: Any) -> BusinessCard:
    base: dict[str, Any] = dict(
        id="D01-B0001", name="老王家常菜（康巴什店）", district_id="D01", category="school_canteen",
        address="鄂尔多斯市康巴什区青春山街道 12 号", licence_no="JY11506030012345",
        licence_expiry="2027-06-30", official_name="张伟", official_phone="13800001234",
        contact_name="王建国", contact_phone="13912345678",
    )
    street = kw.pop("street_name", "青春山街道")
    base.update(kw)
    return BusinessCard.from_payload(
        base, grid={"name": "青春山社区", "officer_name": "李娜", "officer_phone": "13700000000"},
        district_name="康巴什区", street_name=street,
        previous_alarms=7, open_tasks=2)


ASSIGNEES = [
    Assignee("zhang.wei", "张伟", "D01", "13800001234"),
    Assignee("li.na", "李娜", "D01", "13700000000"),
    Assignee("zhao.lei", "赵磊", "D01", ""),
]

