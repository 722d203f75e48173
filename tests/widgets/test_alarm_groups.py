"""No flood: live alarms of one business and type share one list entry with the total count;
only a genuinely new entry is announced; the list applies the smallest change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

import widgets.alarm_list as alarm_list_module
from tests.widgets.conftest import NOW, alarm
from widgets.alarm_list import AlarmListWidget
from widgets.models.alarm_groups import AlarmGroups, group_key, merge


def two_cameras(**kw):
    """Both cameras of one shop see the same cook without a mask."""
    base = dict(kind="ai_violation", subtype="no_mask", business_id="D01-B0007")
    a = alarm(1, camera_id="D01-B0007-C1", count=3, **{**base, **kw})
    b = alarm(2, camera_id="D01-B0007-C2", count=2, severity=4,
              last_seen_at=(NOW + timedelta(minutes=5)).isoformat(), **{**base, **kw})
    return a, b


def test_an_entry_sums_counts_and_spans_first_opening_to_last_sighting() -> None:
    a, b = two_cameras()
    entry = merge([a, b])
    assert entry.count == 5 and entry.severity == 4
    assert entry.opened_at == min(a.opened_at, b.opened_at)
    assert entry.last_seen_at == b.last_seen_at
    assert set(entry.member_ids) == {a.id, b.id} and set(entry.alarm_ids) == {a.id, b.id}
    assert merge([a]) is a and a.alarm_ids == (a.id,)


def test_only_the_first_open_alarm_of_an_entry_is_new() -> None:
    groups = AlarmGroups()
    a, b = two_cameras()
    assert groups.upsert([a]).new_entries == [a.id]
    change = groups.upsert([b])
    assert change.new_entries == []  # joins the live entry: no second sound or popup
    assert len(change.upserts) == 1 and change.upserts[0].count == 5
    assert groups.upsert([a.__class__(**{**_fields(a), "count": 4})]).new_entries == []
    assert groups.members(a.id) == [b.id, a.id]  # oldest first


def _fields(row):
    return {f: getattr(row, f) for f in row.__slots__}


def test_dispatched_and_finished_alarms_keep_their_own_rows() -> None:
    groups = AlarmGroups()
    a, b = two_cameras()
    groups.upsert([a, b])
    dispatched = a.__class__(**{**_fields(a), "state": "dispatched", "task_id": "T1"})
    change = groups.upsert([dispatched])
    keys = {group_key(r) for r in change.upserts}
    assert a.id in keys  # now an entry of its own
    assert groups.entry_key(b.id) == group_key(b) != a.id
    assert groups.entry(group_key(b)).count == b.count
    closed = b.__class__(**{**_fields(b), "state": "closed"})
    change = groups.upsert([closed])
    assert group_key(b) in change.removed  # the live entry is gone; the closed row stays
    assert groups.entry_key(b.id) == b.id
    assert groups.counts_by_state() == {"dispatched": 1, "closed": 1}


def test_replace_touches_only_what_changed() -> None:
    groups = AlarmGroups()
    rows = [alarm(i, business_id=f"D01-B{i:04d}") for i in range(1, 101)]
    groups.replace(rows)
    bumped = alarm(7, business_id="D01-B0007", count=9)
    change = groups.replace([*rows[:6], bumped, *rows[7:99]])  # 7 changed, 100 gone
    assert [r.id for r in change.upserts] == [bumped.id]
    assert change.removed == [group_key(rows[99])]
    assert change.new_entries == []


def test_grouping_off_shows_every_alarm() -> None:
    groups = AlarmGroups(grouping=False)
    a, b = two_cameras()
    change = groups.upsert([a, b])
    assert sorted(change.new_entries) == [a.id, b.id]
    assert len(groups.entries()) == 2


@pytest.fixture
def grouped(qtbot) -> AlarmListWidget:
    w = AlarmListWidget(clock=lambda: NOW, grouping=True)
    qtbot.addWidget(w)
    return w


def test_list_shows_one_entry_and_selects_it_for_any_member(grouped) -> None:
    a, b = two_cameras()
    grouped.replace_alarms([a, b, alarm(3)])
    m = grouped.model
    assert m.rowCount() == 2
    row = m.index_of_id(a.id).row()
    assert row == m.index_of_id(b.id).row()
    assert m.data(m.index(row, m.column_index("count"))) == "×5"
    tip = m.data(m.index(row, m.column_index("count")), Qt.ItemDataRole.ToolTipRole)
    assert "2 alarm(s) of this type" in tip
    assert grouped.select_alarm(a.id)
    assert grouped.selected_alarm_id() == b.id  # the entry opens its most urgent member
    grouped.group_box.setChecked(False)
    assert m.rowCount() == 3 and grouped.selected_alarm_id() == b.id
    assert "3 of 3" in grouped.status.text()


def test_dismissing_an_entry_dismisses_each_member_with_the_reason(grouped,
                                                                    monkeypatch) -> None:
    a, b = two_cameras()
    grouped.replace_alarms([a, b])

    class Accepting:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

        def reason(self) -> str:
            return "误报：是店主的猫"

    monkeypatch.setattr(alarm_list_module, "DismissDialog", Accepting)
    dismissed: list[tuple[str, str]] = []
    grouped.dismissed.connect(lambda i, r: dismissed.append((i, r)))
    entry = grouped.model.groups.entry(group_key(a))
    grouped.ask_dismiss(entry, entry.alarm_ids)
    assert sorted(dismissed) == [(a.id, "误报：是店主的猫"), (b.id, "误报：是店主的猫")]


def test_a_live_repeat_updates_the_entry_in_place(qtbot, grouped) -> None:
    a, b = two_cameras()
    grouped.replace_alarms([a, b, alarm(3)])
    resets: list[int] = []
    grouped.model.modelReset.connect(lambda: resets.append(1))
    change = grouped.upsert_alarms([a.__class__(**{**_fields(a), "count": 10})])
    assert change.new_entries == [] and resets == []
    m = grouped.model
    assert m.data(m.index(m.index_of_id(a.id).row(), m.column_index("count"))) == "×12"
