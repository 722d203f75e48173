"""Alarm list: filters, search, aggregation, sorting, incremental updates, CSV export."""

from __future__ import annotations

import csv
import time
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from tests.widgets.conftest import NOW, alarm
from widgets.alarm_list import AlarmListWidget
from widgets.models.alarm_filter import AlarmFilter, AlarmSort


@pytest.fixture
def alarm_list(qtbot) -> AlarmListWidget:
    w = AlarmListWidget(clock=lambda: NOW)
    qtbot.addWidget(w)
    w.set_districts({"D01": "康巴什区", "D02": "东胜区"})
    return w


def shown_ids(w: AlarmListWidget) -> list[str]:
    m = w.model
    return [m.rowset.id_at(i) for i in range(m.rowCount())]


def cell(w: AlarmListWidget, row: int, key: str) -> str:
    m = w.model
    return m.data(m.index(row, m.column_index(key)))


def test_default_view_shows_alarms_needing_action_newest_first(alarm_list) -> None:
    alarm_list.replace_alarms([
        alarm(1), alarm(2, state="acknowledged"), alarm(3, state="dismissed"),
        alarm(4, state="closed"), alarm(5, state="dispatched"),
    ])
    assert shown_ids(alarm_list) == ["A00001", "A00002", "A00005"]
    assert "3 of 5" in alarm_list.status.text()


def test_filters_by_kind_severity_district_state_and_time(alarm_list) -> None:
    rows = [
        alarm(1, kind="ai_violation", subtype="rodent", severity=3),
        alarm(2, kind="ai_violation", subtype="no_mask", severity=2),
        alarm(3, severity=4, district_id="D02", district_name="东胜区"),
        alarm(4, kind="device_offline", severity=1),
        alarm(5, opened_at=(NOW - timedelta(days=3)).isoformat(),
              last_seen_at=(NOW - timedelta(days=2)).isoformat()),
    ]
    alarm_list.replace_alarms(rows)
    w = alarm_list
    w.kind_box.setCurrentIndex(w.kind_box.findData("ai_violation"))
    assert shown_ids(w) == ["A00001", "A00002"]
    w.kind_box.setCurrentIndex(w.kind_box.findData("ai_violation:rodent"))
    assert shown_ids(w) == ["A00001"]
    w.kind_box.setCurrentIndex(0)
    w.severity_box.setCurrentIndex(w.severity_box.findData(3))
    assert shown_ids(w) == ["A00001", "A00003", "A00005"]
    w.severity_box.setCurrentIndex(0)
    w.district_box.setCurrentIndex(w.district_box.findData("D02"))
    assert shown_ids(w) == ["A00003"]
    w.district_box.setCurrentIndex(0)
    w.time_box.setCurrentIndex(2)  # last 24 hours
    assert "A00005" not in shown_ids(w) and len(shown_ids(w)) == 4
    w.time_box.setCurrentIndex(3)  # last 7 days: an alarm still seen 2 days ago counts
    assert "A00005" in shown_ids(w)


def test_state_filter_and_business_filter(alarm_list) -> None:
    alarm_list.replace_alarms([alarm(1, state="dismissed", dismiss_reason="误报：是店主的猫"),
                               alarm(2), alarm(51)])  # 1 and 51 share business D01-B0001
    w = alarm_list
    w.state_box.setCurrentIndex(w.state_box.findData("dismissed"))
    assert shown_ids(w) == ["A00001"]
    assert cell(w, 0, "state") == "Dismissed"
    tip = w.model.data(w.model.index(0, w.model.column_index("state")),
                       Qt.ItemDataRole.ToolTipRole)
    assert tip == "误报：是店主的猫"
    w.state_box.setCurrentIndex(w.state_box.findData(None))
    w.set_business_filter("D01-B0001", "老王家常菜1号店")
    assert shown_ids(w) == ["A00001", "A00051"]
    assert w.business_chip.isVisibleTo(w) and "老王家常菜1号店" in w.business_chip.text()
    w.business_chip.click()
    assert len(shown_ids(w)) == 3


def test_search_matches_business_name_and_message_case_insensitively(alarm_list) -> None:
    alarm_list.replace_alarms([
        alarm(1, business_name="蜜雪冰城（康巴什店）", message="no MASK detected"),
        alarm(2, business_name="老王家常菜", message="专间温度 27.0°C"),
        alarm(3, business_name="幸福食堂", message="Cabinet cycle too short"),
    ])
    alarm_list.set_search_text("蜜雪")
    assert shown_ids(alarm_list) == ["A00001"]
    alarm_list.set_search_text("mask")
    assert shown_ids(alarm_list) == ["A00001"]
    alarm_list.set_search_text("专间温度")
    assert shown_ids(alarm_list) == ["A00002"]
    alarm_list.set_search_text("")
    assert len(shown_ids(alarm_list)) == 3


def test_search_box_applies_after_typing_pauses(qtbot, alarm_list) -> None:
    alarm_list.replace_alarms([alarm(1, business_name="蜜雪冰城"), alarm(2)])
    alarm_list.search.setText("蜜雪")
    assert len(shown_ids(alarm_list)) == 2  # debounced
    qtbot.waitUntil(lambda: shown_ids(alarm_list) == ["A00001"], timeout=2000)


def test_repeats_show_as_count_and_sort_by_severity(alarm_list) -> None:
    alarm_list.replace_alarms([alarm(1, severity=2), alarm(2, severity=4, count=12),
                               alarm(3, severity=3)])
    w = alarm_list
    row = shown_ids(w).index("A00002")
    assert cell(w, row, "count") == "×12"
    assert cell(w, shown_ids(w).index("A00001"), "count") == ""
    w.set_sort(AlarmSort.SEVERITY)
    assert shown_ids(w) == ["A00002", "A00003", "A00001"]
    assert cell(w, 0, "severity") == "Critical"
    w.set_sort(AlarmSort.NEWEST)
    assert shown_ids(w) == ["A00001", "A00002", "A00003"]


def test_header_click_sorts_by_column_and_toggles(alarm_list) -> None:
    alarm_list.replace_alarms([alarm(1, count=3), alarm(2, count=9), alarm(3, count=1)])
    col = alarm_list.model.column_index("count")
    alarm_list._on_header_clicked(col)
    assert shown_ids(alarm_list) == ["A00002", "A00001", "A00003"]
    alarm_list._on_header_clicked(col)
    assert shown_ids(alarm_list) == ["A00003", "A00001", "A00002"]


def test_upsert_moves_one_row_without_reset_and_keeps_selection(qtbot, alarm_list) -> None:
    alarm_list.replace_alarms([alarm(i) for i in range(1, 201)])
    alarm_list.select_alarm("A00100")
    resets: list[int] = []
    alarm_list.model.modelReset.connect(lambda: resets.append(1))
    # A repeat of an older alarm: count up, last seen now -> moves to the top.
    bumped = alarm(150, count=5, last_seen_at=(NOW + timedelta(seconds=5)).isoformat())
    with qtbot.waitSignal(alarm_list.model.rowsMoved, timeout=1000):
        alarm_list.upsert_alarms([bumped])
    assert shown_ids(alarm_list)[0] == "A00150"
    assert cell(alarm_list, 0, "count") == "×5"
    alarm_list.upsert_alarms([alarm(300)])  # new, older than all: appended at the end
    alarm_list.upsert_alarms([alarm(7, state="closed")])  # leaves the active view
    alarm_list.remove_alarms(["A00008"])
    assert resets == []
    assert alarm_list.selected_alarm_id() == "A00100"
    assert shown_ids(alarm_list)[-1] == "A00300"
    assert "A00007" not in shown_ids(alarm_list) and "A00008" not in shown_ids(alarm_list)


def test_payload_dicts_get_names_from_the_directory(alarm_list) -> None:
    alarm_list.set_directory({"D01-B0009": "沙县小吃"}, {"D01": "康巴什区"})
    alarm_list.upsert_alarms([{
        "id": "X1", "kind": "ai_violation", "subtype": "smoking", "severity": 3,
        "state": "open", "district_id": "D01", "business_id": "D01-B0009",
        "condition_key": "k", "opened_at": NOW.isoformat(), "last_seen_at": NOW.isoformat(),
        "unknown_future_column": 1,
    }])
    assert cell(alarm_list, 0, "business") == "沙县小吃"
    assert cell(alarm_list, 0, "district") == "康巴什区"
    assert cell(alarm_list, 0, "type") == "Smoking"


def test_csv_export_writes_what_is_shown_with_translated_header(alarm_list, tmp_path) -> None:
    alarm_list.replace_alarms([alarm(1, count=12), alarm(2, state="closed"), alarm(3)])
    alarm_list.set_sort(AlarmSort.NEWEST)
    path = tmp_path / "alarms.csv"
    assert alarm_list.export_csv(path) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese correctly
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Last seen", "Severity", "Type", "Business", "District", "Message",
                       "Count", "State"]
    assert [r[3] for r in rows[1:]] == ["老王家常菜1号店", "老王家常菜3号店"]
    assert rows[1][6] == "×12" and rows[1][7] == "Open"
    assert rows[1][0] == cell(alarm_list, 0, "time") and "2026" in rows[1][0]


def test_export_to_unwritable_place_raises_clear_error(alarm_list, tmp_path) -> None:
    alarm_list.replace_alarms([alarm(1)])
    with pytest.raises(OSError, match="cannot write"):
        alarm_list.export_csv(tmp_path / "missing-dir" / "a.csv")


def test_ten_thousand_rows_load_and_update_quickly(alarm_list, qtmodeltester) -> None:
    rows = [alarm(i, state=("open", "closed")[i % 2], severity=1 + i % 4)
            for i in range(10_000)]
    t0 = time.perf_counter()
    alarm_list.replace_alarms(rows)
    load_s = time.perf_counter() - t0
    assert alarm_list.model.rowCount() == 5000
    t0 = time.perf_counter()
    for i in range(0, 400, 2):
        alarm_list.upsert_alarms([alarm(i, count=7, last_seen_at=(NOW + timedelta(
            seconds=i)).isoformat())])
    per_upsert_ms = (time.perf_counter() - t0) / 200 * 1000
    assert load_s < 3.0
    assert per_upsert_ms < 5.0, per_upsert_ms
    alarm_list.set_filter(AlarmFilter(min_severity=4))
    assert alarm_list.model.rowCount() == 2500
    qtmodeltester.check(alarm_list.model, force_py=True)
